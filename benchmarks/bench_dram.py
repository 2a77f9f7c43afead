#!/usr/bin/env python3
"""Achieved DRAM bandwidth of the cycle model: memory-bound kernels larger than the last-level cache.

Runs the DRAM-sized kernels of ``rvsim bench`` (saxpy_dram, gemv_dram: vectors and a matrix several times
the size of every preset's L2) on each preset and prints, over the kernel's region, the DRAM bytes moved
(reads, writebacks, prefetches), the bytes per cycle and their share of the preset's configured
bandwidth, with the prefetcher as the preset has it and switched off.  docs/timing.md section 3 has the
memory model; issue 12 asks a streaming kernel for >= 80% of the configured bandwidth.

    python benchmarks/bench_dram.py [--preset x60 --preset c908] [--kernel saxpy_dram] [--size N]
"""
from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rvsim.timing import load_config  # noqa: E402
from rvsim.timing.bench import KERNELS, run_point  # noqa: E402

DRAM_KERNELS = ("saxpy_dram", "gemv_dram")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", action="append", help="presets (default: x60 c908 ara)")
    ap.add_argument("--kernel", action="append", choices=DRAM_KERNELS, help="kernels (default: both)")
    ap.add_argument("--size", type=int, help="N (default: each kernel's largest size)")
    args = ap.parse_args(argv)
    presets = args.preset or ["x60", "c908", "ara"]
    print(f"{'kernel':11s} {'N':>8s} {'preset':7s} {'prefetch':8s} {'cycles':>11s} {'DRAM bytes':>12s} "
          f"{'B/cycle':>8s} {'config':>7s} {'% of config':>11s}")
    for name in args.kernel or DRAM_KERNELS:
        n = args.size or max(KERNELS[name].sizes)
        for preset in presets:
            cfg = load_config(preset)
            variants = [("as preset", cfg)]
            if cfg["memory"]["prefetch"]["enabled"]:
                off = copy.deepcopy(cfg)
                off["memory"]["prefetch"]["enabled"] = False
                variants.append(("off", off))
            for label, c in variants:
                point = run_point(name, n, c)
                if not point.ok:
                    print(f"{name:11s} {n:8d} {preset:7s} FAILED: {point.error}")
                    continue
                dram = point.raw.get("cache", {}).get("dram_bytes", 0)
                bw = c["memory"]["dram"]["bandwidth"]
                pct = f"{point.dram_pct:10.1f}%" if point.dram_pct is not None else f"{'-':>11s}"
                print(f"{name:11s} {n:8d} {preset:7s} {label:8s} {point.cycles:11,d} {dram:12,d} "
                      f"{point.dram_bytes_per_cycle:8.2f} {bw or '-':>7} {pct}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
