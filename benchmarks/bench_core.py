#!/usr/bin/env python3
"""Scalar core speed: the benchmark programs of benchmarks/programs/ on rvsim and on qemu-riscv64.

Prints, per program, the retired instructions, rvsim's simulation time (the run() call only) and
whole-process time, qemu-riscv64's whole-process time, and MIPS for each; the best of --repeat runs.
Times are CPU seconds (this process's for run(), the child's for whole processes), so the figures hold
on a machine that is busy with other work; wall-clock figures would only be lower bounds there.
qemu's MIPS uses rvsim's instruction count (both execute the same instructions: the counts were
checked against a qemu plugin when the programs were built).

    python benchmarks/bench_core.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
sys.path.insert(0, str(HERE.parent))

from rvsim.host import LinuxEnvironment  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402


def run_rvsim(elf: Path, argv):
    out = io.BytesIO()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
    m.load_elf(elf, argv=argv)
    t0 = time.process_time()
    info = m.run()
    seconds = time.process_time() - t0
    if info.reason is not StopReason.EXIT or info.exit_code != 0:
        raise RuntimeError(f"rvsim did not finish cleanly: {info}")
    return m.instret, seconds, out.getvalue()


def whole_process(cmd) -> float:
    """CPU seconds (user + system) a child process used."""
    return timed_process(cmd)[0]


def timed_process(cmd, env=None, check=True) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, exit status) of one run of a child process (output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, check=check, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, r.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    expected = json.loads((PROGRAMS / "expected.json").read_text())
    qemu = shutil.which("qemu-riscv64")
    print(f"{'program':12s} {'instructions':>13s} {'rvsim run s':>12s} {'rvsim MIPS':>11s} "
          f"{'rvsim proc s':>13s} {'qemu proc s':>12s} {'qemu MIPS':>10s} {'rvsim/qemu':>10s}")
    for name, spec in sorted(expected.items()):
        elf = PROGRAMS / spec["elf"]
        try:
            runs = [run_rvsim(elf, spec["argv"]) for _ in range(args.repeat)]
        except RuntimeError as exc:
            print(f"{name:12s} {exc}")
            continue
        insns = runs[0][0]
        best = min(r[1] for r in runs)
        if runs[0][2].decode() != spec["stdout"]:
            raise SystemExit(f"{name}: rvsim output differs from the expected output")
        proc = min(whole_process([sys.executable, "-m", "rvsim", "run", "--isa", "rv64gc", str(elf)])
                   for _ in range(args.repeat))
        qtime = min(whole_process([qemu, str(elf)]) for _ in range(args.repeat)) if qemu else None
        q_mips = insns / qtime / 1e6 if qtime else float("nan")
        ratio = (insns / best / 1e6) / q_mips if qtime else float("nan")
        print(f"{name:12s} {insns:13,d} {best:12.3f} {insns / best / 1e6:11.0f} {proc:13.3f} "
              f"{qtime if qtime else float('nan'):12.3f} {q_mips:10.0f} {ratio:10.2f}")
    if not qemu:
        print("(qemu-riscv64 not installed: Debian package qemu-user)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
