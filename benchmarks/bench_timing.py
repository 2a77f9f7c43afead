#!/usr/bin/env python3
"""Timed-mode speed: the matmul programs on the cycle model, in MIPS of CPU time.

Runs the scalar matmuls of benchmarks/programs/bin (mm_int32, mm_fp32) and the RVV fp32 matmul of asm/
(assembled by rvsim's own assembler) with the cycle model on, and prints retired instructions, the CPU
seconds of the run() call (best of --repeat) and MIPS, per preset.  Also the functional-mode MIPS of the
same programs for comparison.  CPU time (time.process_time), not wall clock: the machine is shared.

    python benchmarks/bench_timing.py [--repeat 3] [--preset x60 --preset teach]

Issue 12's target: >= 80 MIPS on the x60 preset (docs/timing.md section 9: the figures, and where the
time goes).
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from rvsim.host import LinuxEnvironment  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402

PROGRAMS = [
    ("mm_int32", HERE / "programs" / "bin" / "mm_int32.elf", None),
    ("mm_fp32", HERE / "programs" / "bin" / "mm_fp32.elf", None),
    ("rvv_fp32_m1", ROOT / "asm" / "matmul_rvv_fp32.s", {"N": 192, "LMUL": 1}),
    ("rvv_fp32_m4", ROOT / "asm" / "matmul_rvv_fp32.s", {"N": 192, "LMUL": 4}),
    ("rvv_fp32_blocked", ROOT / "asm" / "matmul_rvv_fp32_blocked.s", {"N": 192}),
]


def load(path: Path, defsyms, preset):
    from rvsim.timing import load_config
    vlen = load_config(preset)["vector"]["vlen"] if preset else 256
    m = Machine("rv64gcv_zvfh", vlen=vlen, env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    if preset:
        m.enable_timing(preset)
    if path.suffix == ".s":
        from rvsim.asm import assemble_files
        prog = assemble_files([str(path)], defsym=defsyms or {}, march="rv64gcv_zvfh")
        m.load_elf(prog.to_elf(), name=str(path))
    else:
        m.load_elf(path)
    return m


def measure(path: Path, defsyms, preset, repeat: int):
    best = None
    for _ in range(repeat):
        m = load(path, defsyms, preset)
        t0 = time.process_time()
        info = m.run()
        seconds = time.process_time() - t0
        if info.reason is not StopReason.EXIT or info.exit_code != 0:
            raise RuntimeError(f"{path.name} did not finish cleanly: {info}")
        best = seconds if best is None else min(best, seconds)
        cycles = m.timing.result().cycles if preset else None
    return m.instret, best, cycles


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--preset", action="append", help="presets to time (default: x60 teach)")
    ap.add_argument("--program", action="append", help="only these programs (names as printed)")
    args = ap.parse_args(argv)
    presets = args.preset or ["x60", "teach"]
    print(f"{'program':18s} {'mode':10s} {'instructions':>13s} {'cycles':>13s} {'cpu s':>8s} {'MIPS':>7s}")
    for name, path, defsyms in PROGRAMS:
        if args.program and name not in args.program:
            continue
        if not path.exists():
            print(f"{name:18s} (missing: {path})")
            continue
        for preset in [None] + presets:
            n, s, cycles = measure(path, defsyms, preset, args.repeat)
            cyc = f"{cycles:13,d}" if cycles is not None else f"{'-':>13s}"
            print(f"{name:18s} {preset or 'functional':10s} {n:13,d} {cyc} {s:8.3f} {n / s / 1e6:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
