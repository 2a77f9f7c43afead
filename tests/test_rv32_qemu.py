"""RV32 programs on rvsim against qemu-riscv32 (the independent oracle): same output, same exit status.

GCC-built C programs (tests/rv32/: riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 and
-march=rv32gc -mabi=ilp32d, picolibc for snprintf/qsort/string functions, a two-call Linux runtime), the
benchmark kernels over picolibc's stdio and the test runtime, and hand-written assembly programs.  Both are built here, live: they need riscv64-unknown-elf-gcc (with
picolibc) and qemu-riscv32, and skip without them (fail under RVSIM_REQUIRE_TOOLS=1, as in CI).
"""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from hypothesis import strategies as st

from hypothesis import HealthCheck, given, settings

from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from tests.conftest import require_tool, tool_missing

SRC = Path(__file__).resolve().parent / "rv32"
CC_FLAGS = ["--specs=picolibc.specs", "-O2", "-static", "-nostartfiles", "-Wall", "-Wextra",
            "-Wl,--build-id=none"]
ARGV = ["prog", "one", "two"]


def _build(tmp_path: Path, sources: list[Path], march: str, mabi: str, extra=()) -> Path:
    cc = require_tool("riscv64-unknown-elf-gcc")
    out = tmp_path / f"{sources[-1].stem}_{march}.elf"
    r = subprocess.run([cc, *CC_FLAGS, f"-march={march}", f"-mabi={mabi}", *extra, *map(str, sources),
                        "-o", str(out)], capture_output=True, text=True)
    if r.returncode and "picolibc.specs" in r.stderr:
        tool_missing("picolibc for riscv64-unknown-elf is not installed")
    assert r.returncode == 0, r.stderr
    return out


def _qemu(elf: Path) -> tuple[bytes, int]:
    qemu = require_tool("qemu-riscv32")
    r = subprocess.run([qemu, "-0", ARGV[0], str(elf), *ARGV[1:]], capture_output=True, timeout=60)
    return r.stdout, r.returncode


def _rvsim(elf: Path, isa: str | None = None) -> tuple[bytes, int, Machine]:
    out = io.BytesIO()
    m = Machine(isa, env=LinuxEnvironment(stdout=out, stderr=io.BytesIO()))
    m.load_elf(elf, argv=ARGV)
    info = m.run(max_instructions=500_000_000)
    assert info.reason is StopReason.EXIT, info
    return out.getvalue(), info.exit_code, m


RUNTIME = SRC.parent / "programs" / "runtime"     # the entry point shared with the RV64 test programs


@pytest.mark.parametrize("program,march,mabi", [
    ("arith", "rv32imac", "ilp32"),
    ("arith", "rv32gc", "ilp32d"),
    ("float", "rv32gc", "ilp32d"),
    ("arith", "rv32i", "ilp32"),
])
def test_gcc_program_matches_qemu(tmp_path, program, march, mabi):
    elf = _build(tmp_path, [RUNTIME / "crt0.S", SRC / "rt.c", SRC / f"{program}.c"], march, mabi)
    want_out, want_status = _qemu(elf)
    got_out, got_status, m = _rvsim(elf)
    assert m.xlen == 32                         # the ELF class chose RV32
    assert got_out == want_out
    assert got_status == want_status
    assert want_out.count(b"\n") >= 5           # the program ran to its end under qemu


KERNELS = SRC.parent.parent / "benchmarks" / "programs" / "src"


@pytest.mark.parametrize("kernel,march,mabi", [
    ("mm_int32", "rv32imac", "ilp32"),
    ("qsort_int", "rv32imac", "ilp32"),
    ("mm_fp32", "rv32gc", "ilp32d"),
])
def test_benchmark_kernel_matches_qemu(tmp_path, kernel, march, mabi):
    """The benchmark kernels with picolibc's stdio over the test runtime (tests/programs/runtime)."""
    elf = _build(tmp_path, [RUNTIME / "crt0.S", RUNTIME / "rt.c", KERNELS / f"{kernel}.c"], march, mabi,
                 extra=[f"-T{RUNTIME / 'linux.ld'}", f"-I{RUNTIME}", "-w"])
    want_out, want_status = _qemu(elf)
    got_out, got_status, m = _rvsim(elf)
    assert (got_out, got_status) == (want_out, want_status)
    assert b"check ok" in want_out and m.instret > 1_000_000


ASM_PROGRAMS = {
    # 32-bit wrap, shifts, M at the edges; the results leave as bytes of a buffer written to stdout
    "alu": """
        .globl _start
        _start:
            la s0, buf
            li a0, 0x7fffffff
            addi a0, a0, 1
            sw a0, 0(s0)
            li a1, -1
            srli a2, a1, 4
            sw a2, 4(s0)
            sra a3, a0, a1
            sw a3, 8(s0)
            li t0, 0x80000000
            li t1, -1
            div t2, t0, t1
            sw t2, 12(s0)
            rem t2, t0, t1
            sw t2, 16(s0)
            divu t2, t0, zero
            sw t2, 20(s0)
            mulh t2, t0, t0
            sw t2, 24(s0)
            mulhsu t2, t1, t0
            sw t2, 28(s0)
            mulhu t2, t1, t1
            sw t2, 32(s0)
            sltu t2, t0, t1
            sw t2, 36(s0)
            slti t2, t0, 0
            sw t2, 40(s0)
            sltiu t2, t1, -1
            sw t2, 44(s0)
            jal ra, 1f
        1:  la t3, 1b
            sub t2, ra, t3
            sw t2, 48(s0)
            li a0, 1
            mv a1, s0
            li a2, 52
            li a7, 64
            ecall
            lw a0, 0(s0)
            srli a0, a0, 24
            li a7, 94
            ecall
            .data
            .align 2
        buf: .zero 52
    """,
    # a loop of loads and stores with halfword/byte extension and AMOs
    "mem": """
        .globl _start
        _start:
            la s0, buf
            li t0, 0
            li t1, 64
        1:  slli t2, t0, 24
            or t2, t2, t0
            sw t2, 0(s0)
            lb t3, 3(s0)
            lhu t4, 2(s0)
            lh t5, 2(s0)
            add t6, t3, t4
            add t6, t6, t5
            la a3, out
            slli a4, t0, 2
            add a3, a3, a4
            sw t6, 0(a3)
            amoadd.w a5, t0, (s0)
            addi t0, t0, 7
            blt t0, t1, 1b
            li a0, 1
            la a1, out
            li a2, 40
            li a7, 64
            ecall
            li a0, 0
            li a7, 94
            ecall
            .data
            .align 2
        buf: .word 0
        out: .zero 256
    """,
}


@pytest.mark.parametrize("name", sorted(ASM_PROGRAMS))
def test_assembly_program_matches_qemu(tmp_path, name):
    src = tmp_path / f"{name}.s"
    src.write_text(ASM_PROGRAMS[name])
    elf = _build(tmp_path, [src], "rv32ima", "ilp32", extra=["-nostdlib"])
    want_out, want_status = _qemu(elf)
    got_out, got_status, _ = _rvsim(elf)
    assert (got_out, got_status) == (want_out, want_status)
    assert len(want_out) >= 40


# ------------------------------------------------------------------------------------- random programs

DUMP_WORDS = 32


def _differential_source(p) -> str:
    """A Linux program running one generated program (rvsim.testing.strategies.programs): x1..x31 from
    the program's initial state, the body, then x1..x29, x31 and the scratch buffer written to stdout.
    x30 is the base of the dump: the generated programs never write it (without FP folding)."""
    from rvsim.testing.program import render_items
    body, data = render_items(p.items, "c0", p.extensions, scratch_label="scratch")
    lines = [".text", ".globl _start", "_start:"]
    lines += [f"    li x{i}, {v}" for i, v in enumerate(p.x, start=1) if i != 30]
    lines += [f"    {ln}" if not ln.endswith(":") else ln for ln in body]
    lines += ["    la x30, dump"] + [f"    sw x{i}, {4 * i}(x30)" for i in range(1, 32) if i != 30]
    lines += ["    li a0, 1", "    la a1, dump", f"    li a2, {4 * DUMP_WORDS + len(p.scratch)}", "    li a7, 64",
              "    ecall", "    li a0, 0", "    li a7, 94", "    ecall"]
    lines += [".data", ".balign 64", "dump:", f"    .zero {4 * DUMP_WORDS}", "scratch:"]
    lines += [f"    .byte {', '.join(str(b) for b in p.scratch[i:i + 16])}" for i in range(0, len(p.scratch), 16)]
    lines += [f"    {ln}" for ln in data]
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_generated_programs_match_qemu(tmp_path_factory, data):
    """Differential fuzzing: the project's own program strategy for rv32imac_zba_zbb_zbc_zbs, on rvsim and
    on qemu-riscv32: the same registers and memory at the end."""
    qemu = require_tool("qemu-riscv32")
    from rvsim.asm import assemble
    from rvsim.testing import strategies as S
    p = data.draw(S.programs(length=(4, 14), extensions="rv32imac_zba_zbb_zbc_zbs", memory=128), label="program")
    assert all(v < 1 << 32 for v in p.x)
    src = _differential_source(p)
    elf = tmp_path_factory.mktemp("gen") / "prog.elf"
    elf.write_bytes(assemble(src, march="rv32imac_zba_zbb_zbc_zbs").to_elf())
    elf.chmod(0o755)
    r = subprocess.run([qemu, "-cpu", "rv32,zba=true,zbb=true,zbs=true", str(elf)], capture_output=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    got, status, m = _rvsim(elf)
    assert m.xlen == 32 and status == 0
    assert len(r.stdout) == 4 * DUMP_WORDS + len(p.scratch)
    if got != r.stdout:
        words = [(i, int.from_bytes(r.stdout[4 * i:4 * i + 4], "little"), int.from_bytes(got[4 * i:4 * i + 4], "little"))
                 for i in range(DUMP_WORDS)]
        diff = [f"x{i}: qemu {a:#x} rvsim {b:#x}" for i, a, b in words if a != b]
        raise AssertionError("state differs from qemu-riscv32:\n" + "\n".join(diff or ["(scratch memory)"]) +
                             "\n" + src)
