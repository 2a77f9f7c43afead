"""Reverse execution (Machine.record / reverse_step / reverse_continue), watchpoints and last_changes.

The oracle of the property tests is forward execution: running N steps and then M back must give
exactly the state (every hart field, CSRs, vector registers, memory and page permissions, mcycle) that a
fresh machine reaches after N - M steps in the functional (or timed) loop, which has no recording code.
"""
from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rvsim.asm import assemble
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.testing import diff
from rvsim.testing.harness import Batch
from rvsim.testing.strategies import programs
from tests.history_common import every_step_undoes, linux_machine

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _steps_to_end(make) -> int:
    m = make()
    m.record(max_instructions=1 << 30)
    info = m.run(200_000)
    assert info.reason in (StopReason.EXIT, StopReason.EBREAK, StopReason.LIMIT), info
    return m.history_length


def _check_forward_back(make, total, n_frac, m_frac):
    """N steps forward then M back equals N - M steps forward on a machine that never recorded."""
    n = max(1, round(total * n_frac))
    back = round(n * m_frac)
    reference = make()
    if n - back:
        reference.step(n - back)
    expected = reference.snapshot()
    m = make()
    m.record()
    m.step(n)
    assert m.history_length == n
    info = m.reverse_step(back)
    assert info.reason is StopReason.LIMIT and info.instructions == back
    assert m.history_length == n - back
    assert not diff(m.snapshot(), expected)
    return m


fractions = st.floats(0, 1)


@SETTINGS
@given(prog=programs(extensions="rv64gc", length=(1, 12)), n_frac=fractions, m_frac=fractions,
       timing=st.booleans())
def test_forward_then_back_scalar(prog, n_frac, m_frac, timing):
    batch = Batch([prog])
    make = lambda: linux_machine(batch.elf, batch.isa, batch.vlen, timing=timing)   # noqa: E731
    _check_forward_back(make, _steps_to_end(make), n_frac, m_frac)


@pytest.mark.parametrize("vlen", [128, 256])     # (the two lengths whose destination groups are logged inline)
@SETTINGS
@given(data=st.data(), n_frac=fractions, m_frac=fractions, timing=st.booleans())
def test_forward_then_back_vector(vlen, data, n_frac, m_frac, timing):
    prog = data.draw(programs(extensions="rv64gcv", length=(1, 8), vlen=vlen, memory=256), label="prog")
    batch = Batch([prog])
    make = lambda: linux_machine(batch.elf, batch.isa, batch.vlen, timing=timing)   # noqa: E731
    _check_forward_back(make, _steps_to_end(make), n_frac, m_frac)


# one instruction of each way a vector instruction writes its destination, for the recording's class V
# (which saves the destination group sized from LMUL, widening, EMUL of loads, segments, whole-register
# moves, and the vector CSRs, not the whole state): every step of it is undone and compared
VECTOR_CLASSES = """
    .globl _start
_start:
    la s0, buf
    li t0, 8
    vsetvli t1, t0, e32, m2, ta, mu
    vle32.v v2, (s0)
    addi s1, s0, 32
    vle32.v v4, (s1)
    vwadd.vv v8, v2, v4                 # widening: v8..v11
    vfwadd.vv v12, v2, v4               # FP widening, fflags
    vfmv.f.s fa0, v2                    # f rd
    vsetvli t1, t0, e16, m1, ta, mu
    vnsrl.wi v16, v8, 3                 # narrowing
    vmslt.vv v0, v2, v4                 # mask-producing
    vredsum.vs v17, v2, v4              # reduction: element 0
    vrgather.vv v18, v2, v4
    vadd.vv v19, v2, v4, v0.t           # masked
    vcpop.m a0, v0                      # x rd
    vmv.x.s a1, v2
    vsaddu.vv v20, v2, v4               # vxsat
    vsetvli t1, t0, e8, m1, ta, mu
    vlseg4e8.v v20, (s0)                # segment load: v20..v23
    vsseg4e8.v v20, (s1)                # segment store
    vle64.v v24, (s0)                   # EMUL 8: v24..v31
    vse64.v v24, (s1)
    vmv4r.v v4, v24                     # whole-register move
    vl2re32.v v6, (s0)                  # whole-register load
    vs2r.v v6, (s1)
    vsetvli t1, t0, e32, m8, ta, mu
    vadd.vi v16, v24, 1                 # LMUL 8
    vsetvli t1, t0, e16, m4, ta, mu
    vwmul.vv v8, v16, v20               # widening to LMUL 8
    vsetvli t1, t0, e32, mf2, ta, mu
    vfmv.v.f v1, fa0                    # fractional LMUL
    li t2, 2
    vslidedown.vx v3, v2, t2
    vle32ff.v v2, (s0)                  # fault-only-first
    vsetvli t1, zero, e32, m1, ta, mu
    vcompress.vm v5, v2, v0
    vsetvli t1, t0, e8, m1, ta, mu
    vid.v v9
    vsll.vi v9, v9, 2                   # byte offsets 0, 4, ... 28
    vsetvli t1, t0, e32, m2, ta, mu
    vluxei8.v v10, (s0), v9             # indexed: the data's EMUL is LMUL (v10..v11), not the index's
    li t2, 8
    vlse32.v v12, (s0), t2              # strided: v12..v13
    vluxseg2ei8.v v14, (s0), v9         # indexed segment: v14..v17
    vsetvli t1, t0, e64, m1, ta, mu
    vle16.v v18, (s0)                   # EMUL 1/4
    vlm.v v19, (s0)                     # mask load: one register
    li a0, 0
    li a7, 93
    ecall
    .data
    .balign 64
buf:
    .word 1, -2, 3, 0x7fffffff, -5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
    .word 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
    .word 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48
"""


@pytest.mark.parametrize("timing", [False, True])
@pytest.mark.parametrize("vlen", [128, 256, 512])
def test_every_vector_step_undoes_exactly(timing, vlen):
    # (VLEN 128 and 256 log the group inline, other lengths through the general entry writer)
    elf = assemble(VECTOR_CLASSES, march="rv64gcv").to_elf()
    every_step_undoes(lambda: linux_machine(elf, "rv64gcv", vlen, timing=timing), min_steps=31)


@pytest.mark.parametrize("timing", [False, True])
def test_every_vector_step_undoes_exactly_rv32(timing):
    elf = assemble(VECTOR_CLASSES, march="rv32gcv").to_elf()
    every_step_undoes(lambda: linux_machine(elf, "rv32gcv", 128, timing=timing), min_steps=31)


# vector instructions that fault part-way (an indexed load whose third element is outside memory: the
# first two are written and vstart is left at 2), taken by the guest's handler, which skips them; the
# next vector instruction starts at that vstart and clears it
VECTOR_TRAPS = """
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    la s0, buf
    vsetivli t1, 4, e64, m2, ta, mu
    vle64.v v2, (s0)                    # the addresses
    vle64.v v4, (s0)
    vluxei64.v v4, (zero), v2           # faults at element 2
    csrr a0, vstart
    vadd.vv v6, v4, v4                  # from element 2
    sd a0, 40(s0)
    vsetivli t1, 4, e32, m1, ta, mu
    vluxseg2ei64.v v8, (zero), v2       # segment load faulting at element 2: v8, v9
    vmv.v.i v0, 5
    vadd.vi v10, v8, 3, v0.t            # masked, from vstart 2
    vfwcvt.f.x.v v16, v8                # widening: v16, v17; fflags
    vsetivli t1, 4, e64, m2, ta, mu
    vluxei64.v v12, (zero), v2, v0.t    # masked: faults at element 2
    csrw vstart, zero
    vsetivli t1, 4, e16, mf2, ta, mu
    vluxei64.v v14, (zero), v2          # fractional LMUL, faulting
    vsetivli t1, 4, e64, m2, ta, mu
    vmv.x.s a2, v4                      # (x rd) with vstart 2
    li a0, 1
    la t0, tohost
    sd a0, 0(t0)
1:  j 1b
    .balign 4
handler:
    csrr t6, mepc
    addi t6, t6, 4
    csrw mepc, t6
    mret
    .data
    .balign 64
buf: .dword d0, d1, -64, d2, 0, 0
d0: .dword 11
d1: .dword 22
d2: .dword 33
tohost: .dword 0
"""


@pytest.mark.parametrize("timing", [False, True])
@pytest.mark.parametrize("vlen", [128, 256])
def test_vector_steps_that_fault_part_way_undo_exactly(timing, vlen):
    elf = assemble(VECTOR_TRAPS, march="rv64gcv").to_elf()

    def make():
        m = Machine("rv64gcv", vlen=vlen)
        m.load_elf(elf)
        if timing:
            m.enable_timing()
        return m
    m = every_step_undoes(make, min_steps=30)
    m.run()
    assert int.from_bytes(m.read(m.symbols["buf"] + 40, 8), "little") == 2     # (the fault left vstart 2)


VECTOR_BREAK = """
    .globl _start
_start:
    la s0, buf
    li s1, 3
1:  vsetivli t1, 8, e32, m2, ta, mu
    vle32.v v2, (s0)
vbreak:
    vadd.vi v4, v2, 1
    vse32.v v4, (s0)
    addi s1, s1, -1
    bnez s1, 1b
    li a0, 0
    li a7, 93
    ecall
    .data
    .balign 64
buf: .word 1, 2, 3, 4, 5, 6, 7, 8
"""


def test_breakpoint_on_a_vector_instruction_then_back():
    """run() stops at a breakpoint on a vector instruction after the recording loop has looked at it but
    before it runs: that instruction is recorded once, when it does run."""
    elf = assemble(VECTOR_BREAK, march="rv64gcv").to_elf()
    make = lambda: linux_machine(elf, "rv64gcv", 128)   # noqa: E731
    reference = make()
    snapshots = [reference.snapshot()]
    while reference.step(1).reason is StopReason.LIMIT:
        snapshots.append(reference.snapshot())
    m = make()
    m.record()
    bp = m.symbols["vbreak"]
    m.add_breakpoint(bp)
    stops = 0
    while (info := m.run()).reason is StopReason.BREAKPOINT:
        assert info.pc == bp
        stops += 1
    assert stops == 3 and info.reason is StopReason.EXIT
    total = m.history_length
    assert total == len(snapshots)      # (the last step, the exit, has no snapshot after it)
    m.remove_breakpoint(bp)
    for k in range(total - 1, -1, -1):
        assert m.reverse_step(1).reason is StopReason.LIMIT, k
        assert not diff(m.snapshot(), snapshots[k]), k


VECTOR_LOOP = """
    .globl _start
_start:
    la s0, buf
    li s1, 200
1:  vsetvli t1, zero, e32, m8, ta, mu
    vle32.v v8, (s0)
    vadd.vx v16, v8, s1
    vse32.v v16, (s0)
    vsetvli t1, zero, e16, m4, ta, mu
    vwadd.vv v16, v8, v12
    vmv.x.s a0, v16
    add s2, s2, a0
    addi s1, s1, -1
    bnez s1, 1b
    li a0, 0
    li a7, 93
    ecall
    .data
    .balign 64
buf: .zero 4096
"""


@pytest.mark.parametrize("vlen", [128, 256, 512])
def test_vector_steps_undo_exactly_under_a_small_byte_bound(vlen):
    """A byte bound the history reaches many times over: the extras ring wraps (the destination groups
    then go through the general path) and drops its oldest steps; every step still held undoes exactly."""
    elf = assemble(VECTOR_LOOP, march="rv64gcv").to_elf()
    make = lambda: linux_machine(elf, "rv64gcv", vlen)   # noqa: E731
    m = make()
    m.record(max_bytes=1 << 18)
    info = m.run()
    assert info.reason is StopReason.EXIT
    total = m.instret
    held = m.history_length
    assert 50 < held < total
    for back in sorted({1, 2, 3, 7, held // 3, held // 2, held - 5, held - 1, held}):
        m2 = make()
        m2.record(max_bytes=1 << 18)
        m2.run()
        assert m2.reverse_step(back).instructions == back
        reference = make()
        reference.step(total - back)
        assert not diff(m2.snapshot(), reference.snapshot()), back


def _one_register_destinations(lmul):
    """Mask destinations, reductions (a widening one too) and vmv.s.x, 1,000 times each at LMUL lmul."""
    return f"""
    .globl _start
_start:
    li t0, 64
    vsetvli t1, t0, e32, {lmul}, ta, ma
    vid.v v8
    vid.v v16
    li t2, 1000
1:  vmseq.vv v1, v8, v16
    vredsum.vs v2, v8, v16
    vwredsum.vs v3, v8, v16
    vmand.mm v4, v1, v3
    vmv.s.x v5, t2
    addi t2, t2, -1
    bnez t2, 1b
    li a7, 93
    li a0, 0
    ecall
"""


def test_one_register_destinations_log_one_register_at_any_lmul():
    """A mask destination is a single register, a reduction writes element 0 of vd, vmv.s.x ignores
    LMUL (vector-common / the V spec): logging the whole LMUL group for them would hold fewer steps
    in the same bytes at LMUL 8 than at LMUL 1.  Each held step still undoes exactly."""
    held = {}
    for lmul in ("m1", "m8"):
        m = Machine("rv64gcv", vlen=256)
        m.load_asm(_one_register_destinations(lmul), name="one_register.s")
        m.run(6)
        m.record(max_bytes=1 << 18)
        assert m.run(7 * 1000).reason is StopReason.LIMIT
        held[lmul] = m.history_length
        assert 1000 < held[lmul] < 7000
        reference = Machine("rv64gcv", vlen=256)
        reference.load_asm(_one_register_destinations(lmul), name="one_register.s")
        reference.run(6 + 7 * 1000 - 777)
        assert m.reverse_step(777).instructions == 777
        assert not diff(m.snapshot(), reference.snapshot())
    assert held["m8"] == held["m1"]


@pytest.mark.parametrize("fault", ["ld a3, 0(zero)", ".word 0", "ebreak", "jr zero"])
def test_going_back_from_a_stop_at_an_unhandled_trap(fault):
    """A run that stops at a trap no handler takes (mtvec 0): the trap's CSR writes belong to the step
    before, and undoing it must give the state (instret included) of a fresh run of one instruction
    fewer, then of each earlier count."""
    src = f"""
    .globl _start
_start:
    li a0, 1
    li a1, 2
    add a2, a0, a1
    {fault}
    nop
"""
    m = Machine("rv64gc")
    m.load_asm(src, name="trap.s")
    m.record()
    assert m.run().reason is not StopReason.EXIT
    retired = m.instret                             # 3, or 4 when the jump retired and its target faults
    assert retired in (3, 4) and m.history_length == retired
    for back in range(1, retired + 1):
        m.reverse_step(1)
        reference = Machine("rv64gc")
        reference.load_asm(src, name="trap.s")
        reference.step(retired - back)
        assert (m.pc, m.instret) == (reference.pc, reference.instret), back
        assert not diff(m.snapshot(), reference.snapshot()), back


# a bare-metal program whose traps the guest's own handler takes: illegal instructions, ecall,
# misaligned and faulting accesses, counters read and written, an LR/SC pair
TRAPS = """
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    la s0, buf
    li s1, 6
1:  .word 0x0000000b              # custom-0: illegal
    ecall
    lw t1, 1(s0)                  # misaligned (the handler skips it when trap_misaligned)
    lr.d t2, (s0)
    addi t2, t2, 3
    sc.d t3, t2, (s0)
    csrr t4, mcycle
    csrw mscratch, t4
    fcvt.d.w ft0, s1
    fdiv.d ft1, ft0, ft0
    ld t5, 0(zero)                # access fault
    addi s1, s1, -1
    bnez s1, 1b
    li a0, 1
    la t0, tohost
    sd a0, 0(t0)
2:  j 2b
handler:
    csrr t6, mepc
    csrr a5, mcause
    add a6, a6, a5
    sd a6, 8(s0)
    lhu a4, 0(t6)
    andi a4, a4, 3
    li a3, 3
    addi t6, t6, 2
    bne a4, a3, 3f
    addi t6, t6, 2
3:  csrw mepc, t6
    mret
    .data
    .balign 64
buf: .dword 0, 0, 0, 0
tohost: .dword 0
"""


@pytest.fixture(scope="module")
def traps_elf():
    return assemble(TRAPS, march="rv64gc").to_elf()


@SETTINGS
@given(n_frac=fractions, m_frac=fractions, timing=st.booleans(), misaligned=st.booleans())
def test_forward_then_back_with_guest_trap_handler(traps_elf, n_frac, m_frac, timing, misaligned):
    def make():
        m = Machine("rv64gc", trap_misaligned=misaligned)
        m.load_elf(traps_elf)
        if timing:
            m.enable_timing()
        return m
    total = _steps_to_end(make)
    assert total > 100
    _check_forward_back(make, total, n_frac, m_frac)


READER = """
    .globl _start
_start:
    li s1, 5
1:  li a0, 0
    la a1, buf
    li a2, 24
    li a7, 63                     # read(0, buf, 24)
    ecall
    add s2, s2, a0
    la t0, buf
    ld t1, 8(t0)
    add s3, s3, t1
    li a0, 1
    la a1, buf
    li a2, 4
    li a7, 64                     # write(1, buf, 4): not unwritten
    ecall
    addi s1, s1, -1
    bnez s1, 1b
    li a0, 0
    li a7, 93
    ecall
    .data
buf: .zero 32
"""


@SETTINGS
@given(n_frac=fractions, m_frac=fractions, timing=st.booleans(), data=st.binary(min_size=0, max_size=150))
def test_forward_then_back_over_read_system_calls(n_frac, m_frac, timing, data):
    elf = assemble(READER, march="rv64gc").to_elf()
    make = lambda: linux_machine(elf, "rv64gc", stdin=data, timing=timing)   # noqa: E731
    _check_forward_back(make, _steps_to_end(make), n_frac, m_frac)


@SETTINGS
@given(m_frac=fractions, timing=st.booleans(), data=st.binary(min_size=0, max_size=150))
def test_running_on_after_going_back_replays_the_system_calls(m_frac, timing, data):
    """Back M steps from the end and on to the end again: the reads see the same input and the writes
    are not made twice (they are replayed from what was recorded, not serviced again)."""
    elf = assemble(READER, march="rv64gc").to_elf()
    make = lambda: linux_machine(elf, "rv64gc", stdin=data, timing=timing)   # noqa: E731
    straight = make()
    first = straight.run()
    m = make()
    m.record()
    m.run()
    m.reverse_step(max(1, round(m.history_length * m_frac)))     # (at least the exit)
    info = m.run()
    assert (info.reason, info.exit_code) == (first.reason, first.exit_code)
    assert m.env.stdout.getvalue() == straight.env.stdout.getvalue()
    assert not diff(m.snapshot(), straight.snapshot())


# reads of more than 64 KiB: the step that owns them keeps its count of logged bytes in the side ring
BIG_READER = READER.replace("li a2, 24", "li a2, 100000").replace("buf: .zero 32", "buf: .zero 100000")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_frac=fractions, m_frac=fractions, timing=st.booleans())
def test_forward_then_back_over_large_reads(n_frac, m_frac, timing):
    elf = assemble(BIG_READER, march="rv64gc").to_elf()
    data = bytes(range(256)) * 1200
    make = lambda: linux_machine(elf, "rv64gc", stdin=data, timing=timing)   # noqa: E731
    _check_forward_back(make, _steps_to_end(make), n_frac, m_frac)


def test_large_reads_are_dropped_with_their_steps_at_the_bound():
    elf = assemble(BIG_READER, march="rv64gc").to_elf()
    data = bytes(range(256)) * 1200
    make = lambda: linux_machine(elf, "rv64gc", stdin=data)   # noqa: E731
    total = _steps_to_end(make)
    reference = make()
    reference.step(total - 7)
    m = make()
    m.record(max_instructions=7)
    m.step(total)
    assert m.history_length == 7
    info = m.reverse_step(100)
    assert info.reason is StopReason.HISTORY_START and info.instructions == 7
    assert not diff(m.snapshot(), reference.snapshot())


def test_read_system_call_is_undone_and_last_changes_show_it():
    elf = assemble(READER, march="rv64gc").to_elf()
    m = linux_machine(elf, "rv64gc", stdin=b"A" * 24 + b"B" * 24)
    prog_buf = m.symbols["buf"] if "buf" in m.symbols else None
    m.record()
    before = m.snapshot()
    wid = m.add_watchpoint(prog_buf, 8) if prog_buf else None
    info = m.run()
    if wid is not None:
        # the host's read() into buf is reported as a write by the ecall
        assert info.reason is StopReason.WATCHPOINT
        kind, where, old, new = info.watch
        assert (kind, where, old, new) == ("write", prog_buf, 0, int.from_bytes(b"A" * 8, "little"))
        changes = dict((loc, (o, n)) for loc, o, n in m.last_changes())
        assert changes["a0"] == (0, 24)
        assert changes[("memory", prog_buf, 24)] == (bytes(24), b"A" * 24)
        m.remove_watchpoint(wid)
    m.run()
    m.reverse_step(m.history_length)
    assert not diff(m.snapshot(), before)


# ------------------------------------------------------------------ watchpoints

WATCHED = """
    .globl _start
_start:
    la s0, counter
    li s1, 3
1:  ld t0, 0(s0)
    addi t0, t0, 1
    sd t0, 0(s0)
    li a0, 7
    addi s1, s1, -1
    bnez s1, 1b
    ld a1, 8(s0)
    li a0, 0
    li a7, 93
    ecall
    .data
    .balign 8
counter: .dword 40
other: .dword 5
"""


def _watched(**kw):
    prog = assemble(WATCHED, march="rv64gc")
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=io.BytesIO()), **kw)
    m.load_elf(prog.to_elf())
    return m, prog


def test_write_watchpoint_stops_after_each_store_with_old_and_new():
    m, prog = _watched()
    counter = prog.symbol("counter")
    m.add_watchpoint(counter, 8, kind="write")
    seen = []
    while True:
        info = m.run()
        if info.reason is not StopReason.WATCHPOINT:
            break
        kind, where, old, new = info.watch
        assert kind == "write" and where == counter and m.pc == info.watch.pc + 4
        seen.append((old, new))
    assert seen == [(40, 41), (41, 42), (42, 43)]
    assert info.reason is StopReason.EXIT


def test_read_and_access_watchpoints():
    m, prog = _watched()
    counter = prog.symbol("counter")
    m.add_watchpoint(counter, 8, kind="read")
    m.add_watchpoint("other", 8, kind="read") if "other" in m.symbols else None
    reads = []
    while (info := m.run()).reason is StopReason.WATCHPOINT:
        reads.append((info.watch.kind, info.watch.where, info.watch.new))
    assert reads[:3] == [("read", counter, 40), ("read", counter, 41), ("read", counter, 42)]
    m2, _ = _watched()
    m2.add_watchpoint(counter, 4, kind="access")
    kinds = []
    while (info := m2.run()).reason is StopReason.WATCHPOINT:
        kinds.append(info.watch.kind)
    assert kinds == ["read", "write"] * 3


def test_register_watchpoint_triggers_on_change_only():
    m, _ = _watched()
    m.add_register_watchpoint("a0")
    hits = []
    while (info := m.run()).reason is StopReason.WATCHPOINT:
        hits.append(info.watch[:])
    # li a0, 7 changes a0 once (0 -> 7), then writes the same value; li a0, 0 changes it back
    assert hits == [("register", "a0", 0, 7), ("register", "a0", 7, 0)]


def test_removed_watchpoint_no_longer_stops_and_the_fast_loop_returns():
    m, prog = _watched()
    wid = m.add_watchpoint(prog.symbol("counter"), 8)
    assert m.run().reason is StopReason.WATCHPOINT
    m.remove_watchpoint(wid)
    assert m.run().reason is StopReason.EXIT
    with pytest.raises(KeyError):
        m.remove_watchpoint(wid)


def test_reverse_continue_stops_at_the_instruction_that_wrote():
    m, prog = _watched()
    counter = prog.symbol("counter")
    m.record()
    assert m.run().reason is StopReason.EXIT
    m.add_watchpoint(counter, 8)
    info = m.reverse_continue()
    assert info.reason is StopReason.WATCHPOINT
    kind, where, old, new = info.watch
    assert (kind, where, old, new) == ("write", counter, 42, 43) and info.watch.reverse
    assert m.read_u64(counter) == 42
    assert m.pc == info.watch.pc          # before the sd that wrote 43
    info = m.reverse_continue()
    assert info.watch[2:] == (41, 42)
    m.reverse_continue()
    info = m.reverse_continue()
    assert info.reason is StopReason.HISTORY_START and m.history_length == 0
    assert m.read_u64(counter) == 40


def test_reverse_continue_stops_at_breakpoints_and_register_watches():
    m, prog = _watched()
    m.record()
    m.run()
    loop = prog.entry + 8 + 2       # (la = auipc+addi: 8 bytes; li s1, 3 compressed: 2)
    m.add_breakpoint(loop)
    info = m.reverse_continue()
    assert info.reason is StopReason.BREAKPOINT and m.pc == loop
    m.remove_breakpoint(loop)
    m.add_register_watchpoint("s1")
    info = m.reverse_continue()
    assert info.reason is StopReason.WATCHPOINT
    assert info.watch[:] == ("register", "s1", 2, 1) and info.watch.reverse


# ------------------------------------------------------------------ history limits and API

LOOP = """
    .globl _start
_start:
    li t0, 0
1:  addi t0, t0, 1
    j 1b
"""


def _loop():
    m = Machine("rv64gc")
    m.load_elf(assemble(LOOP, march="rv64gc").to_elf())
    return m


def test_history_is_bounded_by_instructions_and_oldest_steps_are_dropped():
    m = _loop()
    m.record(max_instructions=1000)
    m.step(5000)
    assert m.history_length == 1000
    t0 = int(m.x[5])
    info = m.reverse_step(1500)
    assert info.reason is StopReason.HISTORY_START and info.instructions == 1000
    assert int(m.x[5]) == t0 - 500 and m.history_length == 0
    assert m.reverse_step().reason is StopReason.HISTORY_START


def test_history_is_bounded_by_bytes():
    m = _loop()
    m.record(max_instructions=10_000_000, max_bytes=1 << 20)
    m.step(200_000)
    assert 0 < m.history_length < 200_000
    assert m.history_bytes <= (1 << 20) + (64 << 10)
    n = m.history_length
    assert m.reverse_step(n).reason is StopReason.LIMIT
    assert m.reverse_step(1).reason is StopReason.HISTORY_START


def _stores(apart: int) -> Machine:
    """A loop of 16 stores alternating between two pages apart bytes apart (1 MiB: the two pages
    share a software-TLB entry, so every store misses it and takes the slow path)."""
    body = "\n".join(f"    sd t0, {8 * i}(s0)\n    sd t0, {8 * i}(s1)" for i in range(8))
    src = f"""
    .globl _start
_start:
    li t0, 0
    la s0, buf
    li t1, {apart}
    add s1, s0, t1
    li t2, 3000
1:
{body}
    addi t0, t0, 1
    bne t0, t2, 1b
    ebreak
    .bss
    .balign 4096
buf: .space 257 * 4096
"""
    m = Machine("rv64gc")
    m.load_elf(assemble(src, march="rv64gc").to_elf())
    return m


@pytest.mark.parametrize("max_bytes", [1 << 17, 1 << 20])
def test_a_store_that_misses_the_tlb_is_logged_once(max_bytes):
    # the byte bound keeps as many steps of a program whose stores all miss the software TLB as of the
    # same program whose stores hit it (a store logged twice used to halve them); and they undo exactly
    lengths = []
    for apart in (4096, 256 * 4096):
        m = _stores(apart)
        m.record(max_bytes=max_bytes)
        assert m.run().reason is StopReason.EBREAK
        total, n = m.instret, m.history_length
        assert 0 < n < total
        lengths.append(n)
        back = n - 7
        assert m.reverse_step(back).reason is StopReason.LIMIT
        reference = _stores(apart)
        reference.step(total - back)
        assert not diff(m.snapshot(), reference.snapshot())
    assert lengths[0] == lengths[1]


def test_recording_switches_off_and_reverse_needs_it():
    m = _loop()
    assert not m.recording and m.history_length == 0 and m.last_changes() is None
    with pytest.raises(RuntimeError):
        m.reverse_step()
    m.record()
    assert m.recording
    m.step(10)
    assert m.history_length == 10
    m.stop_recording()
    assert not m.recording and m.history_length == 0


def test_last_changes_forward_and_undone():
    m = _loop()
    m.record()
    m.step(1)                         # li t0, 0: no change
    assert m.last_changes() == []
    m.step(1)
    assert m.last_changes() == [("t0", 0, 1)]
    m.reverse_step()
    assert m.last_changes() == [("t0", 1, 0)]


def test_csr_and_fp_changes_are_named():
    src = """
    .globl _start
_start:
    csrwi frm, 2
    li t1, 3
    fcvt.s.w fa0, t1
    fdiv.s fa1, fa0, fa0
    li t2, 0
    fcvt.s.w fa2, t2
    fdiv.s fa3, fa0, fa2
    ebreak
    """
    m = Machine("rv64gc")
    m.load_elf(assemble(src, march="rv64gc").to_elf())
    m.record()
    changes = []
    while m.step(1).reason is StopReason.LIMIT:
        changes.append({loc: (o, n) for loc, o, n in m.last_changes()})
    assert changes[0]["frm"] == (0, 2)
    assert changes[2]["fa0"] == (0, 0xFFFFFFFF40400000)
    assert changes[6]["fflags"] == (0, 8)          # divide by zero
    assert changes[6]["fa3"][1] == 0xFFFFFFFF7F800000
    m.reverse_step()
    assert {loc: (o, n) for loc, o, n in m.last_changes()}["fflags"] == (8, 0)


def test_changes_of_the_step_a_reverse_continue_stopped_at():
    # rv_reverse keeps the undone changes of the last step only; stopping at a breakpoint in the
    # middle of its budget must still report that step's (a0: 42 -> 1)
    elf = assemble("""
    .globl _start
_start:
    li a0, 1
bp: addi a0, a0, 41
    addi a1, a0, 1
    addi a2, a0, 2
    li a7, 93
    ecall
""", march="rv64gc").to_elf()
    m = linux_machine(elf, "rv64gc")
    m.record()
    assert m.run().exit_code == 42
    m.add_breakpoint("bp")
    info = m.reverse_continue()
    assert info.reason is StopReason.BREAKPOINT and int(m.x[10]) == 1
    assert ("a0", 42, 1) in [(loc, int(old), int(new)) for loc, old, new in m.last_changes()
                             if loc == "a0"]
