"""A scalar fp32 matrix multiply compiled with riscv64-unknown-elf-gcc -O2 (which contracts the inner
product into fmadd.s): the product's bits must equal qemu-riscv64's, and the run reports the
simulator's speed in MIPS (printed; see with -s).  A speed floor is not asserted: the test machines
are shared.

Benchmark size: FP_MATMUL_N=128 FP_MATMUL_REPS=4 python -m pytest -q -s tests/test_fp_matmul.py
"""
from __future__ import annotations

import io
import os
import subprocess
import time

import pytest

from tests.conftest import require_tool

pytest.importorskip("rvsim._core", reason="the C extension is not built (python setup.py build_ext --inplace)")

from rvsim.host import LinuxEnvironment  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402

N = int(os.environ.get("FP_MATMUL_N", "40"))
REPS = int(os.environ.get("FP_MATMUL_REPS", "1"))

SOURCE = r"""
#define N %(n)d
#define REPS %(reps)d
static float A[N][N], B[N][N], C[N][N];
static unsigned seed = 12345;

static float next_value(void)
{
    seed = seed * 1103515245u + 12345u;
    return (float)(int)((seed >> 8) & 0xffff) / 4096.0f - 8.0f;
}

static long sys_write(long fd, const void *buf, long len)
{
    register long a0 __asm__("a0") = fd, a1 __asm__("a1") = (long)buf, a2 __asm__("a2") = len;
    register long a7 __asm__("a7") = 64;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = next_value();
            B[i][j] = next_value();
        }
    for (int r = 0; r < REPS; r++)
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                float s = 0.0f;
                for (int k = 0; k < N; k++)
                    s += A[i][k] * B[k][j];
                C[i][j] = s;
            }
    sys_write(1, C, sizeof C);
    return 0;
}

void _start(void) __attribute__((naked, noreturn));
void _start(void)
{
    __asm__ volatile(".option push\n.option norelax\nla gp, __global_pointer$\n.option pop\n"
                     "call main\nli a7, 93\necall\n");
}
"""


@pytest.fixture(scope="module")
def matmul_elf(tmp_path_factory):
    gcc = require_tool("riscv64-unknown-elf-gcc")
    d = tmp_path_factory.mktemp("matmul")
    src, elf = d / "matmul.c", d / "matmul.elf"
    src.write_text(SOURCE % {"n": N, "reps": REPS})
    subprocess.run([gcc, "-O2", "-march=rv64gc", "-mabi=lp64d", "-static", "-nostdlib",
                    "-Wl,-e,_start", "-o", elf, src], check=True)
    disassembly = subprocess.run([require_tool("riscv64-unknown-elf-objdump"), "-d", elf],
                                 capture_output=True, text=True, check=True).stdout
    assert "fmadd.s" in disassembly
    return elf


def test_fp32_matmul_matches_qemu_and_reports_speed(matmul_elf):
    qemu = require_tool("qemu-riscv64")
    want = subprocess.run([qemu, matmul_elf], capture_output=True, check=True).stdout
    out = io.BytesIO()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=out))
    m.load_elf(matmul_elf)
    start = time.perf_counter()
    info = m.run()
    seconds = time.perf_counter() - start
    assert info.reason is StopReason.EXIT and info.exit_code == 0, info
    assert len(want) == 4 * N * N
    assert out.getvalue() == want
    print(f"\nfp32 matmul {N}x{N} x{REPS}: {info.instructions} instructions in {seconds:.3f} s = "
          f"{info.instructions / seconds / 1e6:.0f} MIPS")
