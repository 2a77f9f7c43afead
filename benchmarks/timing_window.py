#!/usr/bin/env python3
"""One window of a bench_timing.py program on the cycle model, for counting host instructions.

Runs PROGRAM (a name from bench_timing.py) with the model on for SKIP instructions, then COUNT more in
one call of the timed loop, and prints the instructions and cycles of the window.  Under callgrind,
with collection limited to that call, the host instructions per guest instruction of the window are
deterministic, unlike CPU time on a shared machine (docs/timing.md section 9):

    valgrind --tool=callgrind --toggle-collect=rv_run_timed --zero-before=rv_run_timed \\
        PYTHON benchmarks/timing_window.py mm_int32 2000000 1000000

PYTHON must be the interpreter itself (sys.executable), not a wrapper script.  The vector matmuls' kernels
run from instruction 1,327,134 (kernel_begin) to 2,893,668 (LMUL=4), 2,161,476 (blocked) and 7,590,372
(LMUL=1); the rest of those programs is scalar filling and checking.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_timing import PROGRAMS, load  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("program", choices=[name for name, _, _ in PROGRAMS])
    ap.add_argument("skip", type=int, help="instructions before the window")
    ap.add_argument("count", type=int, help="instructions in the window")
    ap.add_argument("--preset", default="x60")
    args = ap.parse_args(argv)
    if args.skip < 0 or args.count <= 0:
        ap.error("skip must be >= 0 and count > 0")
    name, path, defsyms = next(p for p in PROGRAMS if p[0] == args.program)
    m = load(path, defsyms, args.preset)
    if args.skip:
        m.run(args.skip)
    start, cycles0 = m.instret, m.timing.result().cycles
    m.run(args.count)
    print(f"{name}: instructions {m.instret - start:,} cycles {m.timing.result().cycles - cycles0:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
