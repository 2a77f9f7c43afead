#!/usr/bin/env python3
"""rvsim against qemu-riscv64 and Spike, and rvsim's start-up, in one run on this machine.

Workloads (the same ELF for every simulator):

* the C benchmarks of benchmarks/programs/ (int32 matmul, quicksort, scalar fp32 matmul: GCC -O2,
  picolibc, committed ELFs);
* the RVV fp32 matmul of bench_vector.py at VLEN 128 (assembled here by rvsim's assembler).

For each: rvsim as a whole process (``python -m rvsim run``), rvsim's inner time (CPU seconds of the
run() call alone, in this process) with its MIPS, the run() time as ``rvsim run --report`` prints it
(wall clock, read from ``--stats``: above the inner time when the machine is busy), qemu-riscv64 and
Spike (``spike pk``) as whole processes when they are installed (otherwise ``-``), and the ratios
rvsim/qemu and rvsim/Spike of whole-process times (below 1: rvsim is faster).

Start-up: ``python -c pass`` against ``import rvsim.machine``, ``rvsim run`` of a 5-instruction
program as an ELF and as an assembly file, and of an assembly kernel that needs the full grammar.
The targets (issue #14) are: ELF within 2x ``python -c pass``, assembly within 3x.

Times are medians of --repeat runs; whole-process times are CPU seconds (user + system) of the child,
which hold on a machine busy with other work, and the start-up table also gives wall seconds.  Runs of
the start-up commands are interleaved so that a drift in the machine's speed affects all alike.
rvsim runs from this checkout, with its bytecode compiled first (as an installed package has it).

    python benchmarks/bench_summary.py [--repeat 5] [--skip-workloads] [--skip-startup]
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_core import PROGRAMS, timed_process  # noqa: E402
from bench_core import run_rvsim as inner_scalar  # noqa: E402

TINY_ASM = """\
    .globl _start
_start:
    li a0, 0
    li a7, 93
    ecall
"""
RVV_VLEN = 128
LABELS = {"mm_int32": "int32 matmul", "qsort_int": "quicksort", "mm_fp32": "fp32 matmul"}


def rvsim_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def rvsim_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "rvsim", *args]


def find_spike():
    """(spike, pk) when both are installed: pk on PATH, next to spike, or in RVSIM_SPIKE_PK."""
    spike = shutil.which("spike")
    if not spike:
        return None
    pk = os.environ.get("RVSIM_SPIKE_PK") or shutil.which("pk")
    if not pk:
        for cand in (Path(spike).parent.parent / "riscv64-unknown-elf" / "bin" / "pk",
                     Path(spike).parent / "pk"):
            if cand.is_file():
                pk = str(cand)
                break
    return (spike, pk) if pk else None


def median_cpu(cmd, repeat: int, env=None) -> float:
    return statistics.median(timed_process(cmd, env=env)[0] for _ in range(repeat))


def workloads(tmp: Path):
    """(label, elf, rvsim options, inner run, qemu command, spike options) for each workload; the inner
    run executes the ELF in this process and returns (instructions, CPU seconds of run())."""
    expected = json.loads((PROGRAMS / "expected.json").read_text())
    qemu = shutil.which("qemu-riscv64")
    for name in ("mm_int32", "qsort_int", "mm_fp32"):
        elf = PROGRAMS / expected[name]["elf"]
        argv = expected[name]["argv"]
        yield (LABELS[name], elf, ["--isa", "rv64gc"], lambda e=elf, a=argv: inner_scalar(e, a)[:2],
               [qemu, str(elf)] if qemu else None, ["--isa=rv64gc"])
    try:
        from bench_vector import build, qemu_command
        from bench_vector import run_rvsim as inner_vector
    except ImportError as exc:          # numpy is needed to make the RVV program's data
        print(f"(RVV fp32 matmul skipped: {exc})")
        return
    elf_bytes, _ = build(RVV_VLEN, 30e6)
    elf = tmp / f"rvv_matmul_vlen{RVV_VLEN}.elf"
    elf.write_bytes(elf_bytes)
    elf.chmod(0o755)                    # qemu-user refuses a file without x
    yield (f"RVV fp32 matmul VLEN {RVV_VLEN}", elf, ["--isa", "rv64gcv", "--vlen", str(RVV_VLEN)],
           lambda: inner_vector(elf, RVV_VLEN), qemu_command(qemu, elf, RVV_VLEN) if qemu else None,
           [f"--isa=rv64gcv_zvl{RVV_VLEN}b"])


def bench_workloads(repeat: int, tmp: Path) -> None:
    spike = find_spike()
    env = rvsim_env()
    print(f"{'workload':26s} {'instructions':>13s} {'rvsim s':>8s} {'inner s':>8s} {'MIPS':>5s} "
          f"{'report s':>8s} {'qemu s':>7s} {'spike s':>8s} {'rvsim/qemu':>10s} {'rvsim/spike':>11s}")
    for label, elf, opts, inner_run, qemu_cmd, spike_opts in workloads(tmp):
        stats = tmp / "stats.json"
        whole, report = [], []
        for _ in range(repeat):
            cpu, _wall, status = timed_process(rvsim_cmd("run", *opts, "--stats", str(stats), str(elf)),
                                               env=env, check=False)
            if status != 0:
                raise SystemExit(f"{label}: rvsim exited with {status}")
            whole.append(cpu)
            report.append(json.loads(stats.read_text())["seconds"])
        inner = [inner_run() for _ in range(repeat)]
        insns = inner[0][0]
        rv, rv_inner = statistics.median(whole), statistics.median(t for _, t in inner)
        q = median_cpu(qemu_cmd, repeat) if qemu_cmd else None
        s = median_cpu([spike[0], *spike_opts, spike[1], str(elf)], repeat) if spike else None
        fmt = lambda v, w, spec: f"{v:{w}{spec}}" if v is not None else f"{'-':>{w}s}"  # noqa: E731
        print(f"{label:26s} {insns:13,d} {rv:8.3f} {rv_inner:8.3f} {insns / rv_inner / 1e6:5.0f} "
              f"{statistics.median(report):8.3f} {fmt(q, 7, '.3f')} {fmt(s, 8, '.3f')} "
              f"{fmt(rv / q if q else None, 10, '.2f')} {fmt(rv / s if s else None, 11, '.2f')}", flush=True)
    notes = []
    if not shutil.which("qemu-riscv64"):
        notes.append("qemu-riscv64 not installed (Debian package qemu-user)")
    if not spike:
        notes.append("Spike not installed (spike and pk on PATH, or RVSIM_SPIKE_PK=path/to/pk)")
    for n in notes:
        print(f"({n})")


def bench_startup(repeat: int, tmp: Path) -> None:
    env = rvsim_env()
    asm = tmp / "exit.s"
    asm.write_text(TINY_ASM)
    elf = tmp / "exit.elf"
    subprocess.run(rvsim_cmd("asm", str(asm), "-o", str(elf)), check=True, env=env)
    kernel = ROOT / "asm" / "matmul_int32.s"
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("python -c 'import rvsim.machine'", [sys.executable, "-c", "import rvsim.machine"], None),
        ("rvsim run exit.elf (5 insns)", rvsim_cmd("run", str(elf)), 2.0),
        ("rvsim run exit.s (5 insns)", rvsim_cmd("run", str(asm)), 3.0),
        ("rvsim run matmul_int32.s N=4", rvsim_cmd("run", "--defsym", "N=4", str(kernel)), None),
    ]
    for _label, cmd, _target in cases:                  # warm-up: caches, page cache, lark tables
        timed_process(cmd, env=env, check=False)
    cpu = {label: [] for label, _, _ in cases}
    wall = {label: [] for label, _, _ in cases}
    for _ in range(repeat):
        for label, cmd, _target in cases:
            c, w, _status = timed_process(cmd, env=env, check=False)
            cpu[label].append(c)
            wall[label].append(w)
    base = cases[0][0]
    print(f"{'start-up':34s} {'cpu s':>7s} {'x pass':>7s} {'wall s':>7s} {'x pass':>7s} {'target':>7s}")
    for label, _cmd, target in cases:
        # ratios pair by pair (run i of this command against run i of python -c pass), then the median
        rc = statistics.median(a / b for a, b in zip(cpu[label], cpu[base]))
        rw = statistics.median(a / b for a, b in zip(wall[label], wall[base]))
        t = f"<= {target:.0f}x" if target else ""
        print(f"{label:34s} {statistics.median(cpu[label]):7.3f} {rc:7.2f} "
              f"{statistics.median(wall[label]):7.3f} {rw:7.2f} {t:>7s}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="median of this many runs (default 5)")
    ap.add_argument("--skip-workloads", action="store_true")
    ap.add_argument("--skip-startup", action="store_true")
    args = ap.parse_args()
    # an installed package has its bytecode compiled; a checkout may not (PYTHONDONTWRITEBYTECODE)
    compileall.compile_dir(str(ROOT / "rvsim"), quiet=1)
    print(f"python {sys.version.split()[0]} ({sys.executable}); rvsim from {ROOT}")
    with tempfile.TemporaryDirectory() as d:
        if not args.skip_workloads:
            bench_workloads(args.repeat, Path(d))
            print()
        if not args.skip_startup:
            bench_startup(args.repeat, Path(d))
    return 0


if __name__ == "__main__":
    sys.exit(main())
