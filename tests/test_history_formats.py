"""The undo log's record formats, each undone against forward execution.

The recording loop logs each kind of step its own way (history_internal.h): an integer destination in
the step's record, a floating-point one in the record too (RV_HR_FREG), stores as memory entries, vector
steps as their destination group and the vector CSRs they may write, everything else as a whole-state
comparison.  Each test here runs a program that exercises one of these, undoes every step one at a
time and compares the machine with a snapshot that a machine which never recorded took at that point.
"""
from __future__ import annotations

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rvsim.asm import assemble
from rvsim.machine import Machine, StopReason
from rvsim.testing import diff
from rvsim.testing.harness import Batch
from rvsim.testing.strategies import programs
from tests.history_common import every_step_undoes, linux_machine

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# scalar steps: FP destinations (records that name an f register), FP instructions that write an
# integer register, fflags raised, stores of each size including ones that straddle a page and
# misaligned ones, AMOs, compressed forms
SCALAR = """
    .globl _start
_start:
    la s0, buf
    li t0, 7
    fcvt.d.w fa0, t0
    fcvt.d.w fa1, zero
    fdiv.d fa2, fa0, fa1            # divide by zero: fflags
    fdiv.d fa3, fa0, fa0
    fmv.x.d a1, fa2                 # FP instruction writing x
    feq.d a2, fa2, fa2
    fcvt.s.d fs0, fa0               # NaN-boxed single
    fmadd.s fs1, fs0, fs0, fs0
    fsd fa2, 8(s0)
    flw fs2, 8(s0)
    fsgnjn.d fs3, fa0, fa0
    fmv.d.x fs4, a1
    c.fsd fa0, 16(s0)
    c.fld fa5, 16(s0)
    li t1, -1
    sb t1, 1(s0)
    sh t1, 3(s0)                    # misaligned halfword
    sw t1, 6(s0)                    # misaligned word
    sd t1, 13(s0)                   # misaligned doubleword
    la s1, edge
    sd t1, -4(s1)                   # straddles a page
    sw t0, -2(s1)
    amoadd.w a3, t0, (s0)
    amoswap.d a4, t1, (s0)
    amomax.d a5, t0, (s0)
    c.li a5, 5
    c.addi a5, 3
    c.sw a5, 0(s0)
    c.sd a5, 8(s0)
    c.mv a6, a5
    li a0, 0
    li a7, 93
    ecall
    .data
    .balign 4096
    .space 4096 - 64
buf:
    .space 64
edge:
    .space 64
"""

SCALAR32 = SCALAR.replace("fcvt.d.w fa1, zero", "fcvt.d.w fa1, zero").replace(
    "fmv.x.d a1, fa2", "fmv.x.w a1, fs0").replace("fmv.d.x fs4, a1", "fmv.w.x fs4, a1").replace(
    "sd t1, 13(s0)", "sw t1, 13(s0)").replace("sd t1, -4(s1)", "sw t1, -2(s1)").replace(
    "amoswap.d a4, t1, (s0)", "amoswap.w a4, t1, (s0)").replace(
    "amomax.d a5, t0, (s0)", "amomax.w a5, t0, (s0)").replace("c.sd a5, 8(s0)", "c.sw a5, 8(s0)")


@pytest.mark.parametrize("timing", [False, True])
def test_every_scalar_step_undoes_exactly(timing):
    elf = assemble(SCALAR, march="rv64gc").to_elf()
    every_step_undoes(lambda: linux_machine(elf, "rv64gc", timing=timing), min_steps=30)


@pytest.mark.parametrize("timing", [False, True])
def test_every_scalar_step_undoes_exactly_rv32(timing):
    elf = assemble(SCALAR32, march="rv32gc").to_elf()
    every_step_undoes(lambda: linux_machine(elf, "rv32gc", timing=timing), min_steps=30)


def _bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def test_fp_destination_is_shown_and_undone():
    elf = assemble(SCALAR, march="rv64gc").to_elf()
    m = linux_machine(elf, "rv64gc")
    m.record()
    m.step(6)                       # la (2), li, fcvt.d.w, fcvt.d.w, fdiv.d fa2 = 7 / 0
    changes = {c[0]: c[1:] for c in m.last_changes()}
    assert changes["fa2"] == (0, _bits(float("inf")))
    assert "fflags" in changes
    m.step(2)                       # fdiv.d fa3, fmv.x.d a1
    changes = {c[0]: c[1:] for c in m.last_changes()}
    assert set(changes) == {"a1"} and changes["a1"] == (0, _bits(float("inf")))
    m.reverse_step(1)
    assert int(m.x[11]) == 0 and int(m.f[13]) == _bits(1.0)
    m.reverse_step(1)
    changes = {c[0]: c[1:] for c in m.last_changes()}
    assert changes["fa3"] == (_bits(1.0), 0) and int(m.f[13]) == 0 and int(m.f[12]) == _bits(float("inf"))


@pytest.mark.parametrize("timing", [False, True])
@pytest.mark.parametrize("watch_first", [False, True])
def test_register_watchpoint_on_an_f_register_forwards_and_backwards(timing, watch_first):
    """Recorded with the watchpoint on (the step logs f[rd] out of line) or added afterwards (the steps'
    records hold f[rd] themselves): reverse-continue stops at each instruction that changed it."""
    src = """
    .globl _start
_start:
    li t0, 3
    fcvt.d.w fa0, t0
    fadd.d fa0, fa0, fa0
    fadd.d fa1, fa0, fa0
    fmv.d fa0, fa0                  # writes the same value: no change
    fcvt.d.w fa0, zero
    li a0, 0
    li a7, 93
    ecall
"""
    elf = assemble(src, march="rv64gc").to_elf()
    m = linux_machine(elf, "rv64gc", timing=timing)
    m.record()
    initial = int(m.f[10])
    if watch_first:
        m.add_register_watchpoint("fa0")
        hits = []
        while (info := m.run()).reason is StopReason.WATCHPOINT:
            hits.append(info.watch[2:])
        assert hits == [(initial, _bits(3.0)), (_bits(3.0), _bits(6.0)), (_bits(6.0), _bits(0.0))]
    else:
        info = m.run()
        m.add_register_watchpoint("fa0")
    assert info.reason is StopReason.EXIT
    back = []
    while (info := m.reverse_continue()).reason is StopReason.WATCHPOINT:
        back.append(int(m.f[10]))
    assert back == [_bits(6.0), _bits(3.0), initial]
    assert info.reason is StopReason.HISTORY_START


# vector steps the inline capture sizes from the instruction and vtype: LMUL > 1 masked and
# tail-undisturbed, widening into LMUL 8, FP flags raised by a vector op, a non-zero vstart, segment
# stores at LMUL 2, fault-only-first trimming vl, vset* changing vl and vtype, scalar results
VECTOR = """
    .globl _start
_start:
    la s0, buf
    li t0, 12
    vsetvli t1, t0, e32, m2, tu, mu
    vle32.v v2, (s0)
    addi s1, s0, 64
    vle32.v v4, (s1)
    vmslt.vv v0, v2, v4
    vadd.vv v6, v2, v4, v0.t        # masked, tail and inactive elements undisturbed
    vmacc.vv v6, v2, v4, v0.t
    vsetvli t1, t0, e16, m4, tu, mu
    vwadd.vv v8, v12, v16           # widening into v8..v15 (LMUL 8)
    vsetvli t1, t0, e32, m2, ta, ma
    vfcvt.f.x.v v16, v2
    vfcvt.f.x.v v18, v4
    vfdiv.vv v20, v16, v18          # divide by zero: fflags
    vfredusum.vs v22, v20, v16
    vfmv.f.s fa0, v22
    vmv.x.s a0, v6
    li t2, 3
    csrw vstart, t2
    vadd.vi v24, v2, 1              # starts at element 3
    vsetvli t1, t0, e32, m2, ta, mu
    vsseg2e32.v v2, (s1)            # segment store of two LMUL-2 groups
    vssseg2e32.v v2, (s1), t2
    vle32ff.v v26, (s0)
    csrr a2, vl
    vsetivli t1, 3, e64, m1, tu, mu
    vse64.v v2, (s1)
    vsetvli t1, zero, e8, m8, ta, ma
    vmv.v.i v8, 0
    vsetvli t1, t0, e32, m1, ta, ma
    vfadd.vv v1, v2, v2
    li a0, 0
    li a7, 93
    ecall
    .data
    .balign 64
buf:
    .word 1, -2, 3, 0, -5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 16
    .word 17, 18, 0, 20, 21, 22, 23, 24, 25, 0, 27, 28, 29, 30, 31, 32
    .word 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48
"""


@pytest.mark.parametrize("vlen", [128, 256])
@pytest.mark.parametrize("timing", [False, True])
def test_every_vector_step_undoes_exactly(vlen, timing):
    elf = assemble(VECTOR, march="rv64gcv").to_elf()
    every_step_undoes(lambda: linux_machine(elf, "rv64gcv", vlen, timing=timing), min_steps=30)


def test_vector_steps_undo_exactly_rv32():
    src = VECTOR.replace("e64, m1", "e32, m1")
    elf = assemble(src, march="rv32gcv").to_elf()
    every_step_undoes(lambda: linux_machine(elf, "rv32gcv", 128), min_steps=30)


def test_vset_undo_restores_the_matrix_configuration():
    """vset* clears mtype (Zvt): undoing one gives it back."""
    code, size = 0x10000, 0x10000
    m = Machine("rv64gcv_zvt", memory_size=1 << 20, vlen=128)
    m.map(code, size, "rwx")
    src = ".option norvc\nmsetmtypei e16alt, w2\nli a0, 100\nmsettm a1, a0\nvsetvli a3, zero, e8, m1\n"
    data = next(s for s in assemble(src, march="rv64gcv_zvt").sections if s.name == ".text").data
    m.write(code, bytes(data))
    m.pc = code
    m._hart.mstatus = int(m._hart.mstatus) | (1 << 9)      # VS Initial
    m.record()
    assert m.step(3).reason is StopReason.LIMIT
    configured = tuple(m.mtype)
    before = m.snapshot()
    assert configured != (0, 0, 0, 0)
    assert m.step(1).reason is StopReason.LIMIT
    assert tuple(m.mtype) == (0, 0, 0, 0)
    assert m.reverse_step(1).reason is StopReason.LIMIT
    assert tuple(m.mtype) == configured
    assert not diff(m.snapshot(), before)


@pytest.mark.parametrize("limit", [1, 37, 1000])
def test_at_the_instruction_bound_the_oldest_steps_are_dropped_one_for_one(limit):
    """A full history stays exactly at its bound while recording goes on, and what it keeps undoes
    exactly."""
    src = """
    .globl _start
_start:
    la s0, buf
    li t0, 3000
1:  addi t0, t0, -1
    sd t0, 0(s0)
    fcvt.d.w fa0, t0
    bnez t0, 1b
    li a0, 0
    li a7, 93
    ecall
    .data
buf: .dword 0
"""
    elf = assemble(src, march="rv64gc").to_elf()
    reference = linux_machine(elf, "rv64gc")
    reference.step(5000 - limit)
    expected = reference.snapshot()
    m = linux_machine(elf, "rv64gc")
    m.record(max_instructions=limit)
    for chunk in (1, 2, 997, 4000 - 1000):
        m.step(chunk)
        assert m.history_length == min(limit, m.instret)
    m.step(5000 - m.instret)
    assert m.history_length == limit
    info = m.reverse_step(limit)
    assert info.reason is StopReason.LIMIT and info.instructions == limit
    assert not diff(m.snapshot(), expected)
    assert m.reverse_step(1).reason is StopReason.HISTORY_START


fractions = st.floats(0, 1)


def _check_forward_back(make, n_frac, m_frac):
    probe = make()
    probe.record(max_instructions=1 << 30)
    probe.run(200_000)
    total = probe.history_length
    n = max(1, round(total * n_frac))
    back = round(n * m_frac)
    reference = make()
    if n - back:
        reference.step(n - back)
    expected = reference.snapshot()
    m = make()
    m.record()
    m.step(n)
    info = m.reverse_step(back)
    assert info.reason is StopReason.LIMIT and info.instructions == back
    assert not diff(m.snapshot(), expected)


@SETTINGS
@given(prog=programs(extensions="rv64gcv", length=(1, 8), vlen=128, memory=256, vstart=True,
                     misaligned=True), n_frac=fractions, m_frac=fractions, timing=st.booleans())
def test_forward_then_back_vector_with_vstart_and_misaligned(prog, n_frac, m_frac, timing):
    batch = Batch([prog])
    _check_forward_back(lambda: linux_machine(batch.elf, batch.isa, batch.vlen, timing=timing), n_frac, m_frac)


@SETTINGS
@given(prog=programs(extensions="rv32gc", length=(1, 12), misaligned=True), n_frac=fractions,
       m_frac=fractions, timing=st.booleans())
def test_forward_then_back_rv32(prog, n_frac, m_frac, timing):
    batch = Batch([prog])
    _check_forward_back(lambda: linux_machine(batch.elf, batch.isa, batch.vlen, timing=timing), n_frac, m_frac)
