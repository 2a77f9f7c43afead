#!/usr/bin/env python3
"""Vector speed: an RVV fp32 matrix multiply (vfmacc.vf with a broadcast element of A) on rvsim and on
qemu-riscv64, at VLEN=128 and 256.

The program (assembled with rvsim's own assembler into a static Linux ELF) computes C = A*B for
N x K by K x M fp32 matrices REPS times, the way a compiler vectorises the loop nest: for each row of C
and each strip of vl columns, an accumulator register is zeroed, then for each k (unrolled by four) the
scalar A[i][k] is loaded with flw, row k of B with vle32.v, and vfmacc.vf accumulates; vse32.v stores
the strip.  The entries are small integers, so every sum is exact and the program checks C against the
expected product (computed here) and exits 0 only if it matches.  REPS is chosen per VLEN so that each
run retires about 30 million instructions.

Times are CPU seconds (this process's for rvsim's run() call, the child's for qemu's whole process),
so the figures hold on a machine that is busy with other work.  qemu's MIPS uses rvsim's instruction
count (both run the same instructions).  Elements are the vl-element operations of the vector
instructions (loads, multiply-adds, the zeroing vmv.v.i and the stores).

    python benchmarks/bench_vector.py [--vlen 128 256] [--repeat 3] [--instructions 30e6]
"""
from __future__ import annotations

import argparse
import io
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rvsim.asm import assemble  # noqa: E402
from rvsim.host import LinuxEnvironment  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402

N, K, M = 64, 64, 64        # C is N x M, A is N x K, B is K x M (row-major fp32)

KERNEL = """
    .text
    .globl _start
_start:
    li s0, REPS
    li s1, M * 4                # row stride of B and C in bytes
repeat:
    la s2, A                    # row i of A
    la s4, C                    # row i of C
    li s5, N
row:
    la s3, B                    # column strip j of B (row 0)
    mv s6, s4                   # column strip j of C
    li s7, M                    # columns left
strip:
    vsetvli t0, s7, e32, m1, ta, ma
    vmv.v.i v16, 0
    mv a3, s2
    mv a2, s3
    li t3, K
kloop:
    flw fa0, 0(a3)
    flw fa1, 4(a3)
    flw fa2, 8(a3)
    flw fa3, 12(a3)
    vle32.v v0, (a2)
    add a2, a2, s1
    vle32.v v1, (a2)
    add a2, a2, s1
    vle32.v v2, (a2)
    add a2, a2, s1
    vle32.v v3, (a2)
    add a2, a2, s1
    vfmacc.vf v16, fa0, v0
    vfmacc.vf v16, fa1, v1
    vfmacc.vf v16, fa2, v2
    vfmacc.vf v16, fa3, v3
    addi a3, a3, 16
    addi t3, t3, -4
    bnez t3, kloop
    vse32.v v16, (s6)
    slli t1, t0, 2
    add s3, s3, t1
    add s6, s6, t1
    sub s7, s7, t0
    bnez s7, strip
    addi s2, s2, K * 4
    add s4, s4, s1
    addi s5, s5, -1
    bnez s5, row
    addi s0, s0, -1
    bnez s0, repeat
    # check C against the expected product
    la a0, C
    la a1, EXPECTED
    li a2, N * M
check:
    lw t0, 0(a0)
    lw t1, 0(a1)
    bne t0, t1, fail
    addi a0, a0, 4
    addi a1, a1, 4
    addi a2, a2, -1
    bnez a2, check
    li a0, 0
    j exit
fail:
    li a0, 1
exit:
    li a7, 93
    ecall

    .data
    .p2align 6
A:
{a}
B:
{b}
EXPECTED:
{c}
    .bss
    .p2align 6
C:
    .zero N * M * 4
"""


def words(values: np.ndarray) -> str:
    u = values.astype(np.float32).view(np.uint32).ravel()
    return "\n".join("    .word " + ", ".join(f"{w:#x}" for w in u[i:i + 16]) for i in range(0, len(u), 16))


def instructions_per_matmul(vlen: int) -> int:
    vl = vlen // 32
    strips = -(-M // vl)
    per_strip = 5 + (K // 4) * 19 + 6
    per_row = 3 + strips * per_strip + 4
    return 3 + N * per_row + 2


def build(vlen: int, target_instructions: float) -> tuple[bytes, int]:
    rng = np.random.default_rng(1)
    a = rng.integers(-4, 5, size=(N, K)).astype(np.float32)
    b = rng.integers(-4, 5, size=(K, M)).astype(np.float32)
    c = (a.astype(np.int64) @ b.astype(np.int64)).astype(np.float32)
    reps = max(1, round(target_instructions / instructions_per_matmul(vlen)))
    src = KERNEL.replace("{a}", words(a)).replace("{b}", words(b)).replace("{c}", words(c))
    prog = assemble(src, filename="matmul.s", march="rv64gcv",
                    defsym={"REPS": reps, "N": N, "K": K, "M": M})
    return prog.to_elf(), reps


def run_rvsim(elf: Path, vlen: int) -> tuple[int, float]:
    m = Machine("rv64gcv", vlen=vlen, env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.load_elf(elf)
    t0 = time.process_time()
    info = m.run()
    seconds = time.process_time() - t0
    if info.reason is not StopReason.EXIT or info.exit_code != 0:
        raise SystemExit(f"rvsim VLEN={vlen}: the program did not check out: {info}")
    return m.instret, seconds


def qemu_command(qemu: str, elf: Path, vlen: int) -> list[str]:
    return [qemu, "-cpu", f"rv64,v=true,vlen={vlen},elen=64,vext_spec=v1.0", str(elf)]


def run_qemu(qemu: str, elf: Path, vlen: int) -> float:
    cmd = qemu_command(qemu, elf, vlen)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"qemu VLEN={vlen}: the program exited with {r.returncode}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vlen", type=int, nargs="+", default=[128, 256])
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    ap.add_argument("--instructions", type=float, default=30e6, help="about this many per run")
    args = ap.parse_args()
    qemu = shutil.which("qemu-riscv64")
    print(f"fp32 matmul {N}x{K} * {K}x{M}, vfmacc.vf, LMUL=1")
    print(f"{'VLEN':>5s} {'reps':>5s} {'instructions':>13s} {'rvsim s':>8s} {'rvsim MIPS':>11s} "
          f"{'Melem/s':>8s} {'qemu s':>7s} {'qemu MIPS':>10s} {'rvsim/qemu':>11s}")
    with tempfile.TemporaryDirectory() as d:
        for vlen in args.vlen:
            elf_bytes, reps = build(vlen, args.instructions)
            elf = Path(d, f"matmul{vlen}.elf")
            elf.write_bytes(elf_bytes)
            elf.chmod(0o755)            # qemu-user exits 1, silently, on a file without x
            runs = [run_rvsim(elf, vlen) for _ in range(args.repeat)]
            insns, best = runs[0][0], min(r[1] for r in runs)
            elements = reps * (2 * N * K * M + 2 * N * M)
            mips = insns / best / 1e6
            line = (f"{vlen:5d} {reps:5d} {insns:13,d} {best:8.3f} {mips:11.1f} "
                    f"{elements / best / 1e6:8.0f}")
            if qemu:
                qtime = min(run_qemu(qemu, elf, vlen) for _ in range(args.repeat))
                q_mips = insns / qtime / 1e6
                line += f" {qtime:7.3f} {q_mips:10.1f} {mips / q_mips:11.2f}"
            print(line, flush=True)
    if not qemu:
        print("(qemu-riscv64 not installed: Debian package qemu-user)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
