#!/usr/bin/env python3
"""Cost of recording for reverse execution: the benchmark programs (benchmarks/programs, scalar C) and
the RVV matrix multiply of bench_vector.py, run functionally, then while recording (Machine.record()
with the default limits: the last 10 M instructions or 256 MiB), then recording with the cycle model.

Prints MIPS of each and the slowdown of recording (target: at most 3x), plus how fast the undo log
replays backwards (reverse_step over the whole history).  Times are CPU seconds of the run() call.

The default limits make the history up to 256 MiB, which the host commits (zeroes) page by page as the
undo log first fills: for programs of a few ten million instructions like these, that one-time cost
is a large part of the recording's.  The "record 16M" column records with a 16 MiB budget (the last
~500 k instructions), where it is negligible: the per-instruction cost of recording.

    python benchmarks/bench_history.py [--repeat 3] [--vector-instructions 10e6]
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rvsim.host import LinuxEnvironment  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402


def run(elf: Path, argv, isa: str, vlen: int, mode: str):
    m = Machine(isa, vlen=vlen, env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.load_elf(elf, argv=argv)
    if mode in ("record", "record+timing"):
        m.record()
    elif mode == "record 16M":
        m.record(max_bytes=16 << 20)
    if mode in ("timing", "record+timing"):
        m.enable_timing()
    t0 = time.process_time()
    info = m.run()
    seconds = time.process_time() - t0
    if info.reason is not StopReason.EXIT or info.exit_code != 0:
        raise SystemExit(f"{elf.name} ({mode}) did not finish cleanly: {info}")
    back = None
    if mode == "record":
        n = m.history_length
        t0 = time.process_time()
        m.reverse_step(n)
        back = (n, time.process_time() - t0, m.history_bytes)
    return m.instret, seconds, back


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--vector-instructions", type=float, default=10e6)
    args = ap.parse_args()
    expected = json.loads((HERE / "programs" / "expected.json").read_text())
    cases = [(name, HERE / "programs" / spec["elf"], spec["argv"], "rv64gc", 256)
             for name, spec in sorted(expected.items())]
    with tempfile.TemporaryDirectory() as d:
        sys.path.insert(0, str(HERE))
        from bench_vector import build
        for vlen in (128, 256):
            elf_bytes, _ = build(vlen, args.vector_instructions)
            path = Path(d, f"matmul{vlen}.elf")
            path.write_bytes(elf_bytes)
            cases.append((f"rvv_mm{vlen}", path, None, "rv64gcv", vlen))
        modes = ("functional", "record", "record 16M", "timing", "record+timing")
        print(f"{'program':12s} {'instructions':>13s} " + " ".join(f"{m + ' MIPS':>19s}" for m in modes) +
              f" {'record/func':>12s} {'rec16M/func':>12s} {'rec+t/timing':>13s} {'undo MIPS':>10s}"
              f" {'history':>9s} {'MiB':>6s}")
        for name, elf, argv, isa, vlen in cases:
            best = {}
            for mode in modes:
                runs = [run(elf, argv, isa, vlen, mode) for _ in range(args.repeat)]
                best[mode] = min(runs, key=lambda r: r[1])
            insns = best["functional"][0]
            mips = {mode: insns / best[mode][1] / 1e6 for mode in modes}
            n, undo_s, nbytes = best["record"][2]
            print(f"{name:12s} {insns:13,d} " + " ".join(f"{mips[m]:19.0f}" for m in modes) +
                  f" {mips['functional'] / mips['record']:12.2f} {mips['functional'] / mips['record 16M']:12.2f}"
                  f" {mips['timing'] / mips['record+timing']:13.2f}"
                  f" {n / max(undo_s, 1e-9) / 1e6:10.0f} {n:9,d} {nbytes / 2**20:6.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
