"""``rvsim bench``: sweeps of kernels x sizes x presets.  Not written yet: the command says so."""
from __future__ import annotations

import sys


def main_bench(argv) -> int:
    sys.stderr.write("rvsim bench: not implemented yet (the kernel sweep of issue 5 is still to come)\n")
    return 2
