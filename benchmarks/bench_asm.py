"""Assembler speed: a generated 20,000-line kernel, rvsim against GNU as (when installed).

    python benchmarks/bench_asm.py [--lines N] [--repeat R]

Prints lines per second.  The kernel mixes what compiled and hand-written kernels contain: loads and
stores with offsets, ALU operations with registers and immediates, branches to local labels, li of
assorted constants, floating-point arithmetic, and a few directives.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

REGS = ["a0", "a1", "a2", "a3", "a4", "a5", "t0", "t1", "t2", "s0", "s1", "s2", "s3"]
FREGS = ["fa0", "fa1", "fa2", "fa3", "ft0", "ft1", "fs0"]


def generate_kernel(lines: int = 20000, seed: int = 1) -> str:
    rng = random.Random(seed)
    out = ["\t.text", "\t.globl\t_start", "_start:"]
    label = 0
    while len(out) < lines:
        k = rng.random()
        r = lambda: rng.choice(REGS)                      # noqa: E731
        f = lambda: rng.choice(FREGS)                     # noqa: E731
        if k < 0.18:
            out.append(f"\taddi\t{r()},{r()},{rng.randint(-2048, 2047)}")
        elif k < 0.34:
            out.append(f"\t{rng.choice(['add', 'sub', 'mul', 'and', 'or', 'xor', 'sll'])}\t{r()},{r()},{r()}")
        elif k < 0.48:
            out.append(f"\t{rng.choice(['ld', 'lw', 'lbu'])}\t{r()},{rng.randrange(0, 2048, 8)}({r()})")
        elif k < 0.58:
            out.append(f"\t{rng.choice(['sd', 'sw', 'sb'])}\t{r()},{rng.randrange(0, 2048, 8)}({r()})")
        elif k < 0.66:
            out.append(f"\t{rng.choice(['fld', 'flw'])}\t{f()},{rng.randrange(0, 256, 8)}({r()})")
            out.append(f"\tfmadd.d\t{f()},{f()},{f()},{f()}")
        elif k < 0.72:
            out.append(f"\tli\t{r()},{rng.choice([rng.randint(-2048, 2047), rng.randint(-2**31, 2**31), rng.randint(-2**63, 2**63 - 1)])}")
        elif k < 0.80:
            out.append(f".L{label}:")
            label += 1
            out.append(f"\tslli\t{r()},{r()},{rng.randrange(64)}")
        elif k < 0.90 and label:
            out.append(f"\t{rng.choice(['bne', 'beq', 'blt', 'bgeu'])}\t{r()},{r()},.L{rng.randrange(max(0, label - 3), label)}")
        elif k < 0.95:
            out.append(f"\tmv\t{r()},{r()}")
        else:
            out.append(f"\tsrai\t{r()},{r()},{rng.randrange(64)}  # shift")
    out.append("\tret")
    return "\n".join(out[:lines]) + "\n"


def time_rvsim(text: str, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU time of ``repeat`` runs (the CPU time is steadier on a busy machine)."""
    from rvsim.asm import assemble
    best = cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        assemble(text, "kernel.s")
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return best, cpu


def time_gnu(text: str, repeat: int) -> float | None:
    gas = shutil.which("riscv64-unknown-elf-as")
    if not gas:
        return None
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "kernel.s")
        with open(src, "w") as fh:
            fh.write(text)
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run([gas, "-march=rv64gc", src, "-o", os.path.join(d, "k.o")], check=True)
            best = min(best, time.perf_counter() - t)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    text = generate_kernel(args.lines)
    n = text.count("\n")
    t, cpu = time_rvsim(text, args.repeat)
    print(f"rvsim asm : {n} lines in {t:.3f} s  = {n / t:,.0f} lines/s  (CPU time {cpu:.3f} s)")
    g = time_gnu(text, args.repeat)
    if g is None:
        print("GNU as    : not installed")
    else:
        print(f"GNU as    : {n} lines in {g:.3f} s  = {n / g:,.0f} lines/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
