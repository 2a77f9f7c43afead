#!/usr/bin/env python3
"""One window of a bench_history.py program, run functionally or recording, for counting host
instructions.

Runs PROGRAM (a name of bench_history.py: mm_int32, mm_fp32, qsort_int, rvv_mm128, rvv_mm256) for
SKIP instructions functionally, then (with --record) WARM instructions recording, then COUNT more in
one call of the loop, and prints the instructions of the window.  Without --record the WARM
instructions run functionally too, so that both windows are the same instructions.  Under callgrind,
with collection limited to that call, the host instructions per guest instruction are deterministic,
unlike CPU time on a shared machine:

    valgrind --tool=callgrind --toggle-collect=rv_run_recording --zero-before=rv_run_recording \\
        PYTHON benchmarks/history_window.py rvv_mm128 --record
    valgrind --tool=callgrind --toggle-collect=rv_run_functional --zero-before=rv_run_functional \\
        PYTHON benchmarks/history_window.py rvv_mm128

(the last call's counts are those of the window).  PYTHON must be the interpreter itself
(sys.executable), not a wrapper script.  RVSIM_NO_JIT=1 measures the functional loop without the block
compiler.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_history import machine  # noqa: E402

NAMES = ("mm_int32", "mm_fp32", "qsort_int", "rvv_mm128", "rvv_mm256")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("program", choices=NAMES)
    ap.add_argument("--record", action="store_true", help="record the window (else run it functionally)")
    ap.add_argument("--skip", type=int, default=3_000_000)
    ap.add_argument("--warm", type=int, default=1_000_000)
    ap.add_argument("--count", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    if args.skip < 0 or args.warm < 0 or args.count <= 0:
        ap.error("skip and warm must be >= 0 and count > 0")
    with tempfile.TemporaryDirectory() as d:
        if args.program.startswith("rvv_mm"):
            from bench_vector import build
            vlen = int(args.program[6:])
            elf = Path(d, "matmul.elf")
            elf.write_bytes(build(vlen, 10e6)[0])
            m = machine(elf, None, "rv64gcv", vlen)
        else:
            spec = json.loads((HERE / "programs" / "expected.json").read_text())[args.program]
            m = machine(HERE / "programs" / spec["elf"], spec["argv"], "rv64gc", 256)
        if args.skip:
            m.run(args.skip)
        if args.record:
            m.record()
        if args.warm:
            m.run(args.warm)
        start = m.instret
        m.run(args.count)
        print(f"{args.program} ({'recording' if args.record else 'functional'}): "
              f"instructions {m.instret - start:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
