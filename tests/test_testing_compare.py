"""rvsim.testing.compare: rvsim against references given as callbacks (ToySim, a small RV64IM model written
from the spec) and against qemu-riscv64; a deliberately wrong reference is caught, located and shrunk."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rvsim import isa
from rvsim.testing import ArchState, Divergence, Loop, Op, TestProgram, compare
from rvsim.testing.insn import Insn
from rvsim.testing.strategies import programs
from rvsim.testing.toysim import ToySim
from tests.conftest import require_tool

SCALE = max(1, int(os.environ.get("RVSIM_HYPOTHESIS_SCALE", "1")))
RV64IM = isa.parse_isa_string("rv64im")


def _program(*items, x=None) -> TestProgram:
    regs = x or tuple((0x1111111111111111 * (i % 15 + 1)) & (2**64 - 1) for i in range(31))
    return TestProgram(tuple(items), regs, RV64IM, bytes(range(256)))


@settings(max_examples=25 * SCALE, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(programs(extensions="rv64im"), min_size=1, max_size=4))
def test_rvsim_agrees_with_the_toy_model(progs):
    """ToySim is an independent Python model of RV64IM: rvsim's integer core must agree with it."""
    compare(progs, against=ToySim())


def test_a_wrong_reference_is_caught_located_and_shrunk():
    """A reference with mulhu broken: hypothesis finds a program, shrinks it to a few instructions, and
    the report names mulhu and the register it wrote."""
    broken = ToySim(broken="mulhu")

    @settings(max_examples=300, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(programs(extensions="rv64im", length=(1, 8)))
    def run(program):
        compare(program, against=broken)

    with pytest.raises(Divergence) as info:
        run()
    comparison = info.value.comparison
    located = comparison.located
    assert located is not None and located.insn is not None
    assert located.insn.mnemonic == "mulhu"
    rd = located.insn.operands["rd"]
    # the register it wrote, and the signature register that accumulates every result (programs(signature=True))
    wheres = [d.where for d in located.differences]
    assert f"x{rd} ({isa_name(rd)})" in wheres and set(wheres) <= {f"x{rd} ({isa_name(rd)})", "x31 (t6)"}
    assert len(comparison.program) <= 3          # shrunk: a few instructions
    report = str(info.value)
    assert "first diverging instruction" in report and "mulhu" in report and f"x{rd}" in report


def isa_name(n: int) -> str:
    from rvsim.testing.insn import XREG_NAMES
    return XREG_NAMES[n]


def test_the_divergence_is_located_inside_a_loop():
    mulhu = Op(Insn.make("mulhu", rd=10, rs1=11, rs2=12))
    add = Op(Insn.make("add", rd=13, rs1=13, rs2=14))
    program = _program(Op(Insn.make("xor", rd=5, rs1=6, rs2=7)), Loop(20, 3, (add, mulhu, add)), add)
    with pytest.raises(Divergence) as info:
        compare(program, against=ToySim(broken="mulhu"))
    located = info.value.comparison.located
    assert located.insn.text == "mulhu a0, a1, a2"
    assert located.path == (1, 1)               # top-level item 1 (the loop), its body item 1
    assert located.operands == {"x11 (a1)": 0xBBBBBBBBBBBBBBBB, "x12 (a2)": 0xCCCCCCCCCCCCCCCC}
    assert located.address is not None


def test_agreeing_programs_return_comparisons():
    result = compare(_program(Op(Insn.make("mulhu", rd=10, rs1=11, rs2=12))), against=ToySim())
    assert result.ok and not result.differences
    assert "agree" in result.report()


def test_a_partial_reference_is_compared_on_what_it_reports():
    def only_a0(case):
        full = ToySim()(case)
        return {"x": full.x}        # a dict of ArchState fields; memory, pc left out
    results = compare([_program(Op(Insn.make("sub", rd=10, rs1=11, rs2=12)))] * 3, against=only_a0)
    assert all(r.ok for r in results) and results[0].theirs.memory == {}

    def wrong_a0(case):
        x = list(ToySim()(case).x)
        x[10] ^= 1 << 40
        return ArchState(x=x)
    r = compare(_program(), against=wrong_a0, raise_on_mismatch=False)
    assert [d.where for d in r.differences] == ["x10 (a0)"]
    assert r.located.insn is None       # the empty program already differs: the harness, not an instruction


def test_a_reference_that_traps_is_reported():
    def trapping(case):
        return ArchState(x=ToySim()(case).x, trap=f"SIGILL at {case.body:#x}")
    r = compare(_program(Op(Insn.make("add", rd=1, rs1=2, rs2=3))), against=trapping, raise_on_mismatch=False)
    assert r.differences[0].where == "trap"
    assert "SIGILL" in r.report()


def test_bad_reference_arguments():
    with pytest.raises(TypeError):
        compare(_program(), against=42)
    with pytest.raises(TypeError):
        compare(_program(), against=lambda case: "not a state")


# ------------------------------------------------------------------------------------ qemu

def test_qemu_reference_runs_a_batch():
    require_tool("qemu-riscv64")
    progs = [_program(Op(Insn.make("mulhu", rd=10, rs1=11, rs2=12)), Op(Insn.make("sd", rs2=10, rs1=5, imm_s=8),
                                                                        setup=("lla t0, {scratch}+16",)))
             for _ in range(20)]
    results = compare(progs, against="qemu")
    assert len(results) == 20 and all(r.ok for r in results)
    assert results[0].theirs.memory and results[0].mine.memory == results[0].theirs.memory


def test_qemu_ctzw_bug_is_known():
    """QEMU 7.2's ctzw counts all 64 bits when the low word is zero (rvsim.testing.qemu.QEMU_KNOWN_BUGS);
    compare shows it.  When QEMU is fixed this test tells us to drop the entry."""
    require_tool("qemu-riscv64")
    exts = isa.parse_isa_string("rv64imac_zbb")
    x = [0] * 31
    x[10] = 1 << 63                                     # x11
    program = TestProgram((Op(Insn.make("ctzw", rd=10, rs1=11)),), tuple(x), exts, bytes(64))
    r = compare(program, against="qemu", raise_on_mismatch=False)
    if r.ok:
        pytest.fail("qemu-riscv64 now gets ctzw right: remove it from QEMU_KNOWN_BUGS")
    assert r.mine.x[10] == 32 and r.theirs.x[10] == 63
    assert r.located.insn.mnemonic == "ctzw"


def test_program_repr_counts_instructions_in_the_singular_when_one():
    one = _program(Op(Insn.make("add", rd=5, rs1=6, rs2=7)))
    two = _program(Op(Insn.make("add", rd=5, rs1=6, rs2=7)), Op(Insn.make("sub", rd=5, rs1=6, rs2=7)))
    assert "(1 instruction under test)" in repr(one)
    assert "(2 instructions under test)" in repr(two)
    assert "(0 instructions under test)" in repr(_program())
    assert str(compare(one, against=ToySim())).endswith("(1 instruction under test)")
