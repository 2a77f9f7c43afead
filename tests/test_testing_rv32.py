"""rvsim.testing on RV32: ``strategies.programs(extensions="rv32imac")`` draws only RV32 instructions with
RV32 values, and every program it draws assembles with GNU as 2.40 (-march=rv32imac) + ld -m elf32lriscv
to the same executable image as with rvsim's assembler."""
from __future__ import annotations

import io
import subprocess

import numpy as np
import pytest
from elftools.elf.elffile import ELFFile
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import lists as st_lists

from rvsim.asm import assemble
from rvsim.isa import by_mnemonic, parse_isa_string
from rvsim.testing import strategies as S
from rvsim.testing.program import walk
from rvsim.testing.program import Op
from tests.conftest import require_tool

MARCH = "rv32imac"
SCRATCH = "\n    .data\n    .balign 8\np_scratch: .zero 256\n"
RV32_ONLY = {r.mnemonic for r in by_mnemonic(32).values()} - {r.mnemonic for r in by_mnemonic(64).values()}
RV64_ONLY = {r.mnemonic for r in by_mnemonic(64).values()} - {r.mnemonic for r in by_mnemonic(32).values()}


def _standalone(program) -> str:
    return ".globl _start\n_start:\n    nop\n" + program.source() + SCRATCH


def _image(elf: bytes) -> dict:
    e = ELFFile(io.BytesIO(elf))
    return {"class": e.elfclass, "entry": e["e_entry"],
            "sections": {s.name: (s["sh_addr"], s.data()) for s in e.iter_sections()
                         if s["sh_flags"] & 2 and s["sh_type"] != "SHT_NOBITS"}}


def test_rv32_programs_name_an_rv32_isa():
    exts = parse_isa_string(MARCH, rv32=True)
    from rvsim.testing.program import isa_string
    assert isa_string(exts) == "rv32imac"
    assert S.generated_mnemonics(MARCH) & RV64_ONLY == set()
    assert {"c.jal"} <= S.generated_mnemonics(MARCH) | RV32_ONLY


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(program=S.programs(extensions=MARCH, length=(1, 12)))
def test_rv32_programs_assemble_like_gnu_as_and_ld(tmp_path, program):
    gas, ld = require_tool("riscv64-unknown-elf-as"), require_tool("riscv64-unknown-elf-ld")
    ops = [i for i in walk(program.items) if isinstance(i, Op)]
    assert all(op.insn.record.xlen in (0, 32) for op in ops)
    for op in ops:
        for line in op.setup:
            if isinstance(line, str) and line.startswith("li "):
                value = int(line.split(",")[1])
                assert -(1 << 31) <= value < 1 << 31, line          # an RV32 register value
    assert all(0 <= v < 1 << 32 for v in program.x)                  # RV32 register values
    source = _standalone(program)
    (tmp_path / "p.s").write_text(source)
    subprocess.run([gas, f"-march={MARCH}", "-mno-relax", str(tmp_path / "p.s"), "-o", str(tmp_path / "p.o")],
                   check=True, capture_output=True)
    subprocess.run([ld, "-m", "elf32lriscv", "--no-relax", str(tmp_path / "p.o"), "-o", str(tmp_path / "p.elf")],
                   check=True, capture_output=True)
    want = _image((tmp_path / "p.elf").read_bytes())
    got = _image(assemble(source, march=MARCH).to_elf())
    assert got == want, source


def test_vsetvl_vill_values_fit_rv32():
    # vill is bit XLEN-1 (31 on RV32): the vtype values drawn for vsetvl are 32-bit there
    seen = []

    @settings(max_examples=40, deadline=None, database=None)
    @given(program=S.programs(extensions="rv32gcv", length=(4, 8), include={"vsetvl"}))
    def draw(program):
        seen.append(program)
    try:
        draw()
    except ValueError as exc:           # the ISA has no vector unit the strategies know
        pytest.skip(str(exc))
    for program in seen:
        for op in (i for i in walk(program.items) if isinstance(i, Op)):
            for line in op.setup:
                if isinstance(line, str) and line.startswith("li "):
                    assert int(line.split(",")[1], 0) < 1 << 32, line


# ---------------------------------------------------------------- the qemu-riscv32 side of compare()

def _rv32_program(items, x=None):
    from rvsim.testing.program import TestProgram
    exts = parse_isa_string(MARCH, rv32=True)
    return TestProgram(tuple(items), tuple(x or [0] * 31), exts, bytes(64))


def test_qemu_reference_runs_rv32_batches_under_qemu_riscv32():
    from rvsim.testing.harness import Batch
    from rvsim.testing.insn import Insn
    from rvsim.testing.qemu import QemuReference
    require_tool("qemu-riscv32")
    # known RV32 results, independent of rvsim: 0x7fffffff + 1 wraps, slli by 31, mulh of 32-bit values
    wrap = _rv32_program([Op(Insn.make("addi", rd=10, rs1=10, imm_i=1), ("li a0, 0x7fffffff",)),
                          Op(Insn.make(by_mnemonic(32)["slli"], rd=11, rs1=10, shamt5=1)),
                          Op(Insn.make("mulh", rd=12, rs1=10, rs2=10))])
    batch = Batch([wrap])
    assert batch.xlen == 32 and batch.isa == "rv32imac"
    ref = QemuReference()
    assert ref.cpu(batch.extensions, 128).startswith("rv32")
    (state,) = ref.run_batch(batch)
    assert state.trap is None and state.pc == batch.cases[0].end
    assert (state.x[10], state.x[11], state.x[12]) == (0x80000000, 0, 0x40000000)


@settings(max_examples=10, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(progs=st_lists(S.programs(extensions=MARCH, length=(1, 10)), min_size=5, max_size=5))
def test_every_drawn_rv32_program_ends_at_its_ebreak_under_qemu_riscv32(progs):
    from rvsim.testing.harness import Batch
    from rvsim.testing.qemu import QemuReference
    require_tool("qemu-riscv32")
    batch = Batch(progs)
    states = QemuReference().run_batch(batch)
    for case, state in zip(batch.cases, states):
        assert state.trap is None and state.pc == case.end, state.trap
        assert all(0 <= v < 1 << 32 for v in state.x)


def test_compare_against_qemu_riscv32():
    from rvsim.testing import compare
    from rvsim.testing.insn import Insn
    require_tool("qemu-riscv32")
    prog = _rv32_program([Op(Insn.make("addi", rd=10, rs1=10, imm_i=1), ("li a0, 0x7fffffff",)),
                          Op(Insn.make("sra", rd=11, rs1=10, rs2=12), ("li a2, 35",))])
    result = compare(prog, against="qemu")
    assert result.ok and result.reference_name == "qemu"


def test_an_rv32_snapshot_shows_32_bit_registers_as_machine_x_does():
    from rvsim.machine import Machine
    m = Machine("rv32imac")
    m.x[10], m.x[11] = 0xFFFFFFFF, 0x7FFFFFFF
    snap = m.snapshot()
    assert snap.x.dtype == np.uint32
    assert int(snap.x[10]) == 0xFFFFFFFF and int(snap.x[11]) == 0x7FFFFFFF
    m64 = Machine("rv64imac")
    m64.x[10] = 2**64 - 1
    assert int(m64.snapshot().x[10]) == 2**64 - 1
