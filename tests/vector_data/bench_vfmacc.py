"""Speed of rvsim on an RVV fp32 matrix-multiply inner loop (vfmacc.vf), in MIPS.

The loop is the inner kernel of C += A*B with a row of C held in vector registers:
    vle32.v v8, (a2)          # row k of B
    vfmacc.vf v0, fa0, v8     # C row += A[i][k] * B row
    addi a2, a2, ROWBYTES ; addi a1, a1, -1 ; bnez a1, loop
plus, per k, the scalar load of A[i][k]; scalar FP loads (flw) belong to the F extension, so this
benchmark keeps A[i][k] in fa0 and uses an integer load (lw) in its place to keep the same instruction
mix.  Needs GNU as.  Usage: python tests/vector_data/bench_vfmacc.py [VLEN]
"""
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rvsim.machine import Machine  # noqa: E402

SRC = """
    .option norvc
    li t0, 1000000          # outer repetitions
    vsetvli t1, x0, e32, m1, ta, ma
outer:
    li a1, 64               # k steps
    li a2, 0x100000         # B
    li a3, 0x200000         # A
loop:
    lw t2, 0(a3)
    vle32.v v8, (a2)
    vfmacc.vf v0, fa0, v8
    addi a2, a2, 64
    addi a3, a3, 4
    addi a1, a1, -1
    bnez a1, loop
    addi t0, t0, -1
    bnez t0, outer
    ebreak
"""


def main():
    vlen = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    with tempfile.TemporaryDirectory() as d:
        s, o, b = Path(d, "k.s"), Path(d, "k.o"), Path(d, "k.bin")
        s.write_text(SRC)
        subprocess.run(["riscv64-unknown-elf-as", "-march=rv64gcv", "-o", str(o), str(s)], check=True)
        subprocess.run(["riscv64-unknown-elf-objcopy", "-O", "binary", "-j", ".text", str(o), str(b)], check=True)
        code = b.read_bytes()
    m = Machine("rv64gcv", vlen=vlen, memory_size=1 << 23)
    m.load_image(code, addr=0x1000)
    m.map(0x100000, 0x200000, "rw")
    m.csr["mstatus"] = m.csr["mstatus"] | (1 << 9) | (1 << 13)
    m.f[10] = 0xffffffff3f800000
    n = 30_000_000
    t = time.perf_counter()
    info = m.run(n)
    dt = time.perf_counter() - t
    print(f"VLEN={vlen}: {info.instructions} instructions in {dt:.2f} s = {info.instructions / dt / 1e6:.0f} MIPS")


if __name__ == "__main__":
    main()
