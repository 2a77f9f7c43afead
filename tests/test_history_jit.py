"""Recording through compiled blocks (csrc/jit_x86.c "recording blocks", docs/guide.md).

With RVSIM_JIT_HOT=1 the recording loop compiles a block at the first taken branch to a slot, so every
loop of every program below is recorded by blocks that write their own undo records, entered and left
at every kind of exit.  The oracles do not use the recording code:
- qemu-riscv64's output of the committed test programs (tests/programs) for the recorded forward run;
- the state of a fresh machine that ran N - M instructions with recording off and the block compiler
  off (RVSIM_NO_JIT=1): N instructions recorded through blocks and M undone must equal it exactly,
  registers, CSRs and memory;
- worked-out values for the hand-written loops (a watchpoint's pc and old/new bytes, a breakpoint).
The same runs recorded by the interpreter alone (RVSIM_NO_JIT=1) must also give the same views of the
history (memory changes, call stack, the changes of each undone step), which a block that recorded a
wrong register, pc or store would not.
"""
from __future__ import annotations

import io
import json
import platform
import sys

import pytest

from rvsim._core import lib
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.testing import diff
from tests.strategies import CODE, DATA, MEM_SIZE, enc
from tests.test_engine import _li
from tests.test_jit import EBREAK, _machine
from tests.test_programs import GOLDEN, PROGRAMS_DIR, _decode, load_program
from tests.conftest import set_jit, set_jit_now

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="the block compiler is x86-64 Linux only")

BENCH = PROGRAMS_DIR.parent.parent / "benchmarks" / "programs"


def _bench_machine(name):
    spec = json.loads((BENCH / "expected.json").read_text())[name]
    out = io.BytesIO()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
    m.load_elf(BENCH / spec["elf"], argv=spec["argv"])
    return m, out, spec


def _check_back(monkeypatch, make, n, backs):
    """Record n steps through blocks, then undo back[0], back[1]... steps in turn: after each, the
    machine equals a fresh uncompiled machine that ran the remaining steps without recording."""
    set_jit(monkeypatch, True)
    m = make()
    m.record(max_instructions=1 << 26)
    info = m.run(n)
    assert info.reason is StopReason.LIMIT and m.history_length == n
    assert lib.rv_jit_code_bytes(m._core) > 0           # the recording loop compiled blocks
    left = n
    for back in backs:
        info = m.reverse_step(back)
        assert info.reason is StopReason.LIMIT and info.instructions == back
        left -= back
        set_jit(monkeypatch, False)
        ref = make()
        if left:
            assert ref.run(left).reason is StopReason.LIMIT
        assert ref.instret == left == m.instret
        assert not diff(m.snapshot(), ref.snapshot()), (n, left)
        set_jit(monkeypatch, True)
    return m


@pytest.mark.parametrize("name", ["mm_int32", "mm_fp32", "qsort_int"])
def test_benchmarks_recorded_through_blocks_undo_to_uncompiled_unrecorded_states(name, monkeypatch):
    """The benchmarks' hot loops (stores, loads, flw/fsw, branches, jal, jalr) recorded by blocks:
    400,000 steps, then back by odd amounts to points in and between compiled loops."""
    make = lambda: _bench_machine(name)[0]      # noqa: E731
    _check_back(monkeypatch, make, 400_000, [1, 2, 61, 997, 12_345, 100_003, 286_591])


@pytest.mark.parametrize("name", ["mm_int32", "mm_fp32", "qsort_int"])
def test_benchmarks_recorded_to_their_end_print_qemus_line(name, monkeypatch):
    set_jit(monkeypatch, True, "64")           # the default threshold
    m, out, spec = _bench_machine(name)
    m.record()
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == spec["exit_code"]
    assert out.getvalue().decode() == spec["stdout"]
    assert lib.rv_jit_code_bytes(m._core) > 0


GOLDEN_RECORDED = ["kernels", "recursion", "strings", "int_arith", "asm_smc", "asm_misaligned", "asm_rvc",
                   "file_io", "stdin_upper", "asm_zicsr", "float_ops"]


@pytest.mark.parametrize("name", GOLDEN_RECORDED)
def test_golden_program_recorded_through_blocks_matches_qemu_and_undoes_to_its_start(name, monkeypatch):
    """Recorded to its end through blocks (system calls, traps, self-modifying code in asm_smc): qemu's
    output, then undone step by step in large strides to the very first instruction, where it must
    equal the freshly loaded machine; on the way, at a few points, a fresh uncompiled machine that ran
    that far without recording."""
    set_jit(monkeypatch, True)
    m, out, err = load_program(name)
    m.record(max_instructions=1 << 26, max_bytes=1 << 30)
    info = m.run(max_instructions=50_000_000)
    entry = GOLDEN[name]
    assert info.reason is StopReason.EXIT and info.exit_code == entry["exit_code"]
    assert out.getvalue() == _decode(entry["stdout"]) and err.getvalue() == _decode(entry["stderr"])
    assert lib.rv_jit_code_bytes(m._core) > 0
    total = m.history_length
    assert total >= m.instret
    for frac in (0.999, 0.75, 0.5, 0.2):
        target = int(m.instret * frac)
        # traps are steps too: undo until instret is the target
        while m.instret > target:
            assert m.reverse_step(min(m.instret - target, 1 << 20)).reason is StopReason.LIMIT
        set_jit(monkeypatch, False)
        ref, _, _ = load_program(name)
        ref.run(target)
        # a trap (ecall) at the stop: the reference stands before it too, or after it
        assert ref.instret == target
        if ref.pc != m.pc:
            m.reverse_step(1)
            assert m.instret == target
        assert not diff(m.snapshot(), ref.snapshot()), (name, target)
        set_jit(monkeypatch, True)
    info = m.reverse_step(total)
    assert info.reason is StopReason.HISTORY_START
    set_jit(monkeypatch, False)
    fresh, _, _ = load_program(name)
    assert not diff(m.snapshot(), fresh.snapshot())


def _views(m, steps):
    """What the history says about the last `steps` steps: memory changes, calls not returned, and the
    changes of each step as it is undone."""
    views = [m.memory_changes(steps), m.call_stack()]
    for _ in range(steps):
        assert m.reverse_step(1).reason is StopReason.LIMIT
        views.append((m.pc, m.last_changes()))
    return views


@pytest.mark.parametrize("name", ["mm_int32", "qsort_int", "mm_fp32"])
def test_blocks_record_what_the_interpreter_records(name, monkeypatch):
    """Differential: the same 200,000 steps recorded through blocks and by the interpreter alone give
    the same memory changes, call stack, and changes of each of the last 3,000 steps as undone."""
    views = []
    for on in (True, False):
        set_jit(monkeypatch, on)
        m = _bench_machine(name)[0]
        m.record()
        m.run(200_000)
        assert (lib.rv_jit_code_bytes(m._core) > 0) == on
        views.append(_views(m, 3000))
    assert views[0] == views[1]


def _store_loop(n):
    """Pass i (t0 = n..1) stores t0 as a doubleword at DATA + 8 (n - t0), then sums it into a0:
    CODE+12 sd, CODE+16 addi t1, CODE+20 add a0, CODE+24 addi t0, CODE+28 bne back, CODE+32 ebreak."""
    return [*_li(6, DATA), enc("addi", rd=5, rs1=0, imm_i=n), enc("addi", rd=10, rs1=0, imm_i=0),
            enc("sd", rs1=6, rs2=5, imm_s=0), enc("addi", rd=6, rs1=6, imm_i=8),
            enc("add", rd=10, rs1=10, rs2=5), enc("addi", rd=5, rs1=5, imm_i=-1),
            enc("bne", rs1=5, rs2=0, imm_b=-16), EBREAK]


def _store_loop_at(words):
    idx = words.index(enc("sd", rs1=6, rs2=5, imm_s=0))
    return CODE + 4 * idx


def test_a_watchpoint_set_after_recording_through_blocks_is_found_by_reverse_continue(monkeypatch):
    """200 passes recorded by a compiled loop; then a write watchpoint on the 50th doubleword:
    reverse_continue stops before the sd of pass 50 (t0 = 151), old 0, and the state there equals a
    fresh machine's after the steps up to it."""
    set_jit(monkeypatch, True)
    words = _store_loop(200)
    sd = _store_loop_at(words)
    m = _machine(words)
    m.record()
    info = m.run(4 + 5 * 200)                   # up to the ebreak
    assert info.reason is StopReason.LIMIT and m.pc == sd + 20
    assert m.x[10] == 200 * 201 // 2
    assert lib.rv_jit_code_bytes(m._core) > 0
    m.add_watchpoint(DATA + 8 * 49, 8)
    info = m.reverse_continue()
    assert info.reason is StopReason.WATCHPOINT and m.pc == sd and m.x[5] == 151
    assert m.read(DATA + 8 * 49, 8) == bytes(8)
    steps = m.instret
    set_jit(monkeypatch, False)
    ref = _machine(words)
    ref.run(steps)
    assert not diff(m.snapshot(), ref.snapshot())


def test_a_breakpoint_set_after_recording_through_blocks_is_found_by_reverse_continue(monkeypatch):
    """reverse_continue to a breakpoint on the add of the loop stops at its last pass (t0 = 1), with
    a0 the sum of the 199 earlier passes."""
    set_jit(monkeypatch, True)
    words = _store_loop(200)
    m = _machine(words)
    m.record()
    m.run(4 + 5 * 200)
    add = _store_loop_at(words) + 8
    m.add_breakpoint(add)
    info = m.reverse_continue()
    assert info.reason is StopReason.BREAKPOINT and m.pc == add
    assert m.x[5] == 1 and m.x[10] == 200 * 201 // 2 - 1
    info = m.reverse_continue()
    assert m.pc == add and m.x[5] == 2 and m.x[10] == 200 * 201 // 2 - 3


def test_watchpoints_set_before_recording_keep_the_loop_interpreted_and_stop_at_each_store(monkeypatch):
    """With a watchpoint set, the recording loop enters no block: every pass's sd to the watched
    doubleword stops run() right after it (pc at the following addi), t0 counting down."""
    set_jit(monkeypatch, True)
    words = [*_li(6, DATA), enc("addi", rd=5, rs1=0, imm_i=20), enc("addi", rd=10, rs1=0, imm_i=0),
             enc("sd", rs1=6, rs2=5, imm_s=0), enc("add", rd=10, rs1=10, rs2=5),
             enc("addi", rd=5, rs1=5, imm_i=-1), enc("bne", rs1=5, rs2=0, imm_b=-12), EBREAK]
    sd = _store_loop_at(words)
    m = _machine(words)
    m.record()
    m.run(3 + 4 * 5)            # 5 passes; no watchpoint yet
    m.add_watchpoint(DATA, 8)
    for t0 in range(15, 0, -1):
        info = m.run(100_000)
        assert info.reason is StopReason.WATCHPOINT and m.pc == sd + 4, t0
        assert m.read(DATA, 8) == t0.to_bytes(8, "little")
    assert m.x[10] == sum(range(2, 21))         # pass t0 = 1's add not run yet
    assert m.run(100_000).reason is StopReason.TRAP


def test_self_modifying_code_in_a_recorded_block_undoes(monkeypatch):
    """test_jit's patched loop recorded: at t0 == 50 a store rewrites the running block's addi 1 into
    addi 7 (a0 = 400 at the end); undoing to before that store puts the old instruction back, and
    running forward again recomputes 400."""
    set_jit(monkeypatch, True)
    new = enc("addi", rd=10, rs1=10, imm_i=7)
    words = [enc("addi", rd=5, rs1=0, imm_i=100), enc("addi", rd=10, rs1=0, imm_i=0),
             enc("addi", rd=7, rs1=0, imm_i=50), *_li(6, CODE + 40), *_li(28, new),
             enc("jal", rd=0, imm_j=12),
             EBREAK, EBREAK,
             enc("addi", rd=10, rs1=10, imm_i=1),            # CODE+40: the patched instruction
             enc("addi", rd=5, rs1=5, imm_i=-1),
             enc("bne", rs1=5, rs2=7, imm_b=8),
             enc("sw", rs1=6, rs2=28, imm_s=0),
             enc("bne", rs1=5, rs2=0, imm_b=-16),
             EBREAK]
    m = _machine(words)
    m.record()
    info = m.run(100_000)
    assert info.reason is StopReason.TRAP and m.x[10] == 400
    old = enc("addi", rd=10, rs1=10, imm_i=1).to_bytes(4, "little")
    m.reverse_step(m.history_length - 1)         # back to after the first instruction
    assert m.read(CODE + 40, 4) == old and m.x[5] == 100 and m.x[10] == 0
    info = m.run(100_000)
    assert info.reason is StopReason.TRAP and m.x[10] == 400
    assert m.read(CODE + 40, 4) == new.to_bytes(4, "little")


def test_a_small_history_bound_drops_the_oldest_and_undoes_exactly(monkeypatch):
    """At its bound the history drops the oldest steps (the blocks leave that to the interpreter):
    1,000 steps kept of 50,000 recorded, and undoing all of them gives the uncompiled state."""
    make = lambda: _bench_machine("qsort_int")[0]      # noqa: E731
    set_jit(monkeypatch, True)
    m = make()
    m.record(max_instructions=1000)
    m.run(50_000)
    assert m.history_length == 1000
    assert m.reverse_step(1000).instructions == 1000
    assert m.reverse_step(1).reason is StopReason.HISTORY_START
    set_jit(monkeypatch, False)
    ref = make()
    ref.run(49_000)
    assert not diff(m.snapshot(), ref.snapshot())


def test_a_load_fault_in_a_recorded_block_undoes(monkeypatch):
    """test_jit's faulting loop, recorded: it stops at the faulting ld after 1024 passes (no trap
    handler: the trap is not taken); undoing one pass gives the state of the uncompiled machine after
    3 + 4 * 1023 instructions, and exactly the state the interpreter's recording gives (instret
    included: after a run that stopped at a trap, both leave it one higher, see the session notes)."""
    words = [*_li(6, DATA), enc("addi", rd=10, rs1=0, imm_i=0),
             enc("ld", rd=7, rs1=6, imm_i=0),
             enc("addi", rd=6, rs1=6, imm_i=8),
             enc("addi", rd=10, rs1=10, imm_i=1),
             enc("jal", rd=0, imm_j=-12)]
    got = []
    for on in (True, False):
        set_jit(monkeypatch, on)
        m = _machine(words)
        m.write(DATA, bytes(range(256)) * 32)
        m.record()
        info = m.run(100_000)
        assert info.reason is StopReason.TRAP and info.cause == 5 and m.x[10] == 1024
        assert m.history_length == m.instret == 3 + 4 * 1024
        assert (lib.rv_jit_code_bytes(m._core) > 0) == on
        assert m.reverse_step(4).instructions == 4
        got.append(m.snapshot())
    assert not diff(got[0], got[1])
    ref = _machine(words)
    ref.write(DATA, bytes(range(256)) * 32)
    ref.run(3 + 4 * 1023)
    assert [d.where for d in diff(got[0], ref.snapshot())] in ([], ["instret"])


FMA = """
    .data
vals: .float 2.0, 0.0, 0.0, 1.0, 1.0e10
tab:  .float """ + ", ".join(["1.0"] * 5 + ["0.1"] * 395) + """
out:  .zero 4096
    .text
    .globl _start
_start:
    la t1, vals
    flw fa1, 0(t1)
    flw fa2, 4(t1)
    flw fa6, 12(t1)
    flw fs0, 16(t1)
    fmv.w.x fa3, zero
    fmv.w.x fa4, zero
    fmv.w.x fs1, zero
    la t2, tab
    la t1, out
    li t0, 400
1:  flw fa0, 0(t2)
    fmadd.s fa3, fa0, fa1, fa3      # exact for 5 passes, then inexact: NX first raised in the block
    fmadd.s fa4, fa2, fa1, fa4      # 0 * 2 + 0, exact: f[rd] does not change
    fsw fa3, 0(t1)
    addi t1, t1, 4
    addi t2, t2, 4
    addi t0, t0, -1
    bnez t0, 1b
    fmv.s fa7, fa6
    li t0, 50
2:  fmadd.s fa7, fa7, fs0, fs1      # 1e10, 1e20 (inexact), 1e30, then overflow: OF first raised in the block
    fsw fa7, 0(t1)
    addi t1, t1, 4
    addi t0, t0, -1
    bnez t0, 2b
    ebreak
"""


def _asm_machine(source):
    """A machine (rv64gc) with the guest program source assembled and loaded."""
    from rvsim.asm import assemble
    m = Machine("rv64gc")
    m.load_elf(assemble(source, march="rv64gc").to_elf())
    return m


def _recorded_as_the_interpreter(monkeypatch, source, ref, backs):
    """Record source's first ref.instret steps with the block compiler on and off: both end in ref's
    state (the uncompiled unrecorded run) with the same history views; then _check_back undoes backs[0],
    backs[1]... steps in turn, each time against a fresh uncompiled unrecorded run."""
    total = ref.instret
    views = []
    for on in (True, False):
        set_jit(monkeypatch, on)
        m = _asm_machine(source)
        m.record()
        assert m.run(total).reason is StopReason.LIMIT
        assert (lib.rv_jit_code_bytes(m._core) > 0) == on
        assert not diff(m.snapshot(), ref.snapshot())
        views.append(_views(m, total))
    assert views[0] == views[1]
    _check_back(monkeypatch, lambda: _asm_machine(source), total, backs)


def test_fmadd_in_recorded_blocks_records_flags_and_unchanged_results_as_the_interpreter(monkeypatch):
    """fmadd.s in compiled loops: exact (the inline record), raising inexact for the first time (which
    the block leaves to the interpreter: fflags changes), raising only inexact once NX is set (the
    recording loop's slow path: a hart entry for f[rd]), exact with f[rd] unchanged (a record of
    x[rd]), overflowing for the first time (left to the interpreter) and exact again on infinities.  The
    same history views as the interpreter's recording, step by step, and every few hundred steps back the
    uncompiled unrecorded state."""
    set_jit(monkeypatch, False)
    ref = _asm_machine(FMA)
    info = ref.run(100_000)
    assert info.reason is StopReason.EBREAK
    assert ref.fflags == 1 | 4          # NX and OF
    _recorded_as_the_interpreter(monkeypatch, FMA, ref, [1, 3, 250, 333, 1000, ref.instret - 1587])


# (a, b, c) of fmadd.s as single bit patterns: which flags each raises, and so which record it gets
FMA_CASES = [
    (0x3fc00000, 0x40000000, 0x3e800000),   # 1.5 * 2 + 0.25: exact (no flag)
    (0x3f800000, 0x40000000, 0xc0000000),   # 1 * 2 - 2 = +0: exact
    (0x40400000, 0x40a00000, 0x3f800000),   # 3 * 5 + 1: exact
    (0x00000001, 0x3f800000, 0x00000000),   # a denormal, exact denormal result: DE only
    (0x40000000, 0x00400000, 0x00000000),   # b denormal, normal result: DE only
    (0x00000000, 0x3f800000, 0x00000010),   # c denormal (0 * 1 + c): DE only
    (0x1c800000, 0x1c800000, 0x00000000),   # 2^-70 * 2^-70 = 2^-140: a denormal result, exact: no flag
    (0x7f800000, 0x3f800000, 0x00000000),   # inf * 1 + 0 = inf: exact, no flag
    (0xff800000, 0x3f800000, 0x3f800000),   # -inf * 1 + 1 = -inf: no flag
    (0x3f800001, 0x3f800001, 0x00000000),   # (1 + 2^-23)^2: inexact, exact in double: NX first raised
    (0x3f800000, 0x40000000, 0x3e800000),   # 1 * 2 + 0.25: exact
    (0x21800000, 0x21800000, 0x3f800000),   # 2^-60 * 2^-60 + 1 rounds to 1: inexact, also in double
    (0x3f800001, 0x3f800001, 0x00000000),   # inexact with NX set: no change of fflags
    (0x3f800003, 0x3f800005, 0xbf800000),   # inexact, exact in double, with a cancelling c
    (0x00000003, 0x3f000000, 0x00000000),   # a denormal halved: inexact and DE (and UF)
    (0x3f800000, 0x3f800000, 0x3f800000),   # exact
    (0x7f000000, 0x7f000000, 0x00000000),   # overflow: OF first raised
    (0x4b800001, 0x3f800000, 0x3f800000),   # 2^24 + 2 + 1: inexact (ties to even)
    (0x3f800000, 0x3f800000, 0xbf800000),   # exact zero
    (0x3f800000, 0x3f800000, 0x3f800001),   # 1 + (1 + 2^-23) rounds to 2 (a tie): inexact
    (0x3f800000, 0x3f800000, 0x21800000),   # 1 * 1 + 2^-60 rounds to 1 (case 11 with p the larger):
    (0x3f800000, 0x3f800000, 0xa1800000),   #   inexact, also in double; then 1 - 2^-60
    (0x21800000, 0x21800000, 0xbf800000),   # 2^-120 - 1 rounds to -1: inexact, also in double
]

FMA_EDGES = """
    .data
tab:  .word """ + ", ".join(f"{w:#x}" for case in FMA_CASES * 3 for w in case) + """
out:  .zero 2048
    .text
    .globl _start
_start:
    li t3, 1                        # first round: fflags cleared after each case (inexact results
    li t4, 12                       # raise NX for the first time), then 11 without (NX set)
0:  la t1, out
    la t2, tab
    li t0, """ + str(3 * len(FMA_CASES)) + """
1:  flw fa0, 0(t2)
    flw fa1, 4(t2)
    flw fa2, 8(t2)
    fmadd.s fa3, fa0, fa1, fa2
    fmadd.s fa2, fa0, fa1, fa2      # rd == rs3: c read before the result is written
    fsw fa3, 0(t1)
    fsw fa2, 4(t1)
    addi t1, t1, 8
    addi t2, t2, 12
    addi t0, t0, -1
    beqz t3, 2f
    fsflags zero
2:  bnez t0, 1b
    li t3, 0
    addi t4, t4, -1
    bnez t4, 0b
    ebreak
"""


# fa3 of some cases, worked out by hand
FMA_EDGE_RESULTS = {0: 0x40500000, 2: 0x41800000, 6: 0x00000200, 7: 0x7f800000, 8: 0xff800000,
                    9: 0x3f800002, 11: 0x3f800000, 16: 0x7f800000, 17: 0x4b800002, 18: 0x00000000,
                    19: 0x40000000}


def test_fmadd_flag_edges_in_recorded_blocks_record_as_the_interpreter(monkeypatch):
    """A recorded block decides without reading MXCSR when an fmadd.s raised no flag (exact, no
    denormal operand or result, not infinite).  Operands around each of its conditions: exact results,
    zero sums, denormal operands (DE only) and results, infinities, results exact in double but not in
    single, sums inexact in double too, overflow.  The same history views as the interpreter's
    recording, step by step; the results and fflags as worked out by hand; and undone steps equal the
    uncompiled unrecorded machine."""
    set_jit(monkeypatch, False)
    ref = _asm_machine(FMA_EDGES)
    assert ref.run(100_000).reason is StopReason.EBREAK
    assert ref.fflags == 1 | 2 | 4      # NX, UF (the halved denormal) and OF
    from rvsim.asm import assemble
    out = assemble(FMA_EDGES, march="rv64gc").symbol("out")
    for i, want in FMA_EDGE_RESULTS.items():
        assert int.from_bytes(ref.read(out + 8 * i, 4), "little") == want, i
    _recorded_as_the_interpreter(monkeypatch, FMA_EDGES, ref, [1, 2, 5, 7, 11, 13, 60, ref.instret - 99])


RING_LOOP = """
    .data
    .balign 64
buf:  .zero 4096
    .text
    .globl _start
_start:
    li t0, 0
    li t5, 2500
    la t3, buf
1:  andi t1, t0, 255
    slli t1, t1, 4
    add t1, t1, t3
    sd t0, 0(t1)                    # stores: 24 bytes of extras each
    sd t5, 8(t1)
    addi t0, t0, 1
    andi t2, t0, 3
    beqz t2, 1b                     # every fourth pass loops back after 8 of its 12 instructions
    addi t5, t5, -1
    sw t5, 4(t1)
    sh t0, 12(t1)
    bnez t5, 1b
    ebreak
"""


def _ring_loop_machine():
    return _asm_machine(RING_LOOP)


@pytest.mark.parametrize("limit", [1024, 1000, 993])
def test_recorded_loop_passes_at_the_bound_and_the_rings_ends_undo_exactly(limit, monkeypatch):
    """A loop recorded through a block (passes of 12 instructions, and of 8 where a branch loops back
    early; 2 to 4 stores each) under a bound that the passes reach again and again, with the records
    ring as small as it gets (1024 records) and the extras ring too (64 KiB): both wrap many times.
    Every 900 steps the history holds no more steps than the bound, and undoing all of it gives the
    state of an uncompiled machine that never recorded; the steps are then recorded again."""
    set_jit(monkeypatch, False)
    ref = _ring_loop_machine()
    assert ref.run(100_000).reason is StopReason.EBREAK
    total = ref.instret
    set_jit(monkeypatch, True)
    m = _ring_loop_machine()
    m.record(max_instructions=limit, max_bytes=1 << 16)
    done = 0
    while done + 900 < total:
        assert m.run(900).reason is StopReason.LIMIT
        done += 900
        held = m.history_length
        assert 0 < held <= limit
        assert m.reverse_step(held).instructions == held
        set_jit(monkeypatch, False)
        fresh = _ring_loop_machine()
        fresh.run(done - held)
        assert not diff(m.snapshot(), fresh.snapshot()), (limit, done, held)
        set_jit(monkeypatch, True)
        assert m.run(held).reason is StopReason.LIMIT
    assert lib.rv_jit_code_bytes(m._core) > 0
    assert m.run(total).reason is StopReason.EBREAK
    assert not diff(m.snapshot(), ref.snapshot())


def _riscv_tests():
    from tests.test_riscv_tests import _tests
    return [p for p in _tests() if p.name.startswith("rv64")]


@pytest.mark.skipif(not _riscv_tests(), reason="RISCV_TESTS_ISA_DIR is not set (a built riscv-tests isa/ dir)")
@pytest.mark.parametrize("elf", _riscv_tests() or [None], ids=lambda p: p.name if p else "none")
def test_official_riscv_test_recorded_through_blocks_passes_and_undoes_to_its_start(elf, monkeypatch):
    """Each rv64 riscv-test recorded with blocks compiled at the first taken branch: it passes (its
    own checks are the oracle), and undoing the whole history gives the freshly loaded machine."""
    set_jit(monkeypatch, True)
    isa = elf.name[:4] + ("gc_zba_zbb_zbs_zfh" if elf.name[4:6] == "uz" else "gc")
    m = Machine(isa)
    m.load_elf(elf)
    fresh = m.snapshot()
    m.record()
    info = m.run(max_instructions=10_000_000)
    assert info.reason is StopReason.EXIT and info.exit_code == 0, info
    assert m.reverse_step(m.history_length + 1).reason is StopReason.HISTORY_START
    assert not diff(m.snapshot(), fresh)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rvsim.testing.harness import Batch  # noqa: E402
from rvsim.testing.strategies import programs  # noqa: E402
from tests.history_common import linux_machine  # noqa: E402


# the instructions blocks compile (about half of such programs then record through blocks; of the
# unrestricted ones, about one in seven)
COMPILED = ("addi andi ori xori addiw add sub and or xor addw subw mul mulw slli srli srai slliw srliw sraiw "
            "sll srl sra sllw srlw sraw slti sltiu slt sltu lui auipc lb lh lw ld lbu lhu lwu sb sh sw sd "
            "flw fld fsw fsd fmadd.s").split()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(prog=st.one_of(programs(extensions="rv64gc", length=(4, 16), max_trips=4, include=COMPILED),
                      programs(extensions="rv64gc", length=(4, 16), max_trips=4)),
       n_frac=st.floats(0, 1), m_frac=st.floats(0, 1))
def test_random_programs_recorded_through_blocks_undo_to_uncompiled_states(restore_jit_env, prog, n_frac, m_frac):
    """The project's random programs (loops, forward branches, loads, FP), with blocks compiled at the
    first taken branch: N steps recorded and M undone equal N - M steps of an uncompiled machine that
    never recorded.  (Their scratch buffer shares a page with their code, so their stores are the
    interpreter's: stores in blocks are covered by the benchmarks and the hand-written loops above.)"""
    batch = Batch([prog])
    make = lambda: linux_machine(batch.elf, batch.isa, batch.vlen)   # noqa: E731
    set_jit_now(False)
    ref = make()
    info = ref.run(200_000)
    total = ref.instret
    n = max(1, round(total * n_frac))
    back = round(n * m_frac)
    set_jit_now(True)
    m = make()
    m.record(max_instructions=1 << 30)
    m.run(n)
    got = m.history_length
    if got < n:
        return                  # (stopped early: a trap ended the run)
    assert m.reverse_step(back).instructions == back
    set_jit_now(False)
    ref = make()
    if n - back:
        ref.run(n - back)
    assert not diff(m.snapshot(), ref.snapshot())
    del info


# ------------------------------------------------------------------ vector instructions in blocks

def _vector_source(lmul: int) -> str:
    """A strip-mined loop of vector instructions at LMUL `lmul`, 30 passes over 117 elements (the last
    strip of each pass is short: vl changes): loads, plain, masked and FP arithmetic, a mask
    destination, a reduction, a move to x, plain and masked stores, tail-agnostic and -undisturbed
    vset*, and at LMUL <= 4 widening ops under a second vtype.  Ends in ebreak."""
    src = "\n".join("    .word " + ", ".join(str((i * 7 + j) % 23 - 11) for j in range(8)) for i in range(64))
    fsrc = "\n".join("    .float " + ", ".join(f"{(i + j) % 9 - 4}.5" for j in range(8)) for i in range(32))
    wide = """
    vsetvli t1, t0, e16, m1, ta, mu
    vwadd.vv v24, v8, v9            # widening: two registers
    vwmul.vx v26, v10, s2, v0.t""" if lmul <= 4 else ""
    return f"""
    .data
    .p2align 6
src:
{src}
fsrc:
{fsrc}
    .p2align 6
dst:  .zero 4096
    .text
    .globl _start
_start:
    li s0, 30
    li s2, 3
    la t2, fsrc
    flw fa0, 8(t2)
pass:
    la a0, src
    la a1, dst
    la a3, fsrc
    li a2, 117
strip:
    vsetvli t0, a2, e32, m{lmul}, ta, ma
    vle32.v v8, (a0)
    vadd.vi v16, v8, 3
    vmslt.vx v0, v8, s2             # a mask destination: one register
    vadd.vv v16, v16, v8, v0.t      # masked
    vsub.vx v16, v16, s0, v0.t
    vredsum.vs v24, v16, v24        # a reduction: one register
    vmv.x.s t4, v24
    add s3, s3, t4
    vse32.v v16, (a1)
    vsetvli t1, a2, e32, m{lmul}, tu, mu
    vle32.v v16, (a3)
    vfmacc.vf v16, fa0, v16
    vfmul.vv v8, v16, v16, v0.t
    vse32.v v8, (a1), v0.t          # a masked store
    slli t3, t0, 2
    add a0, a0, t3
    add a1, a1, t3
    sub a2, a2, t0{wide}
    bnez a2, strip
    addi s0, s0, -1
    bnez s0, pass
    ebreak
"""


def _vector_machine(source, vlen, agnostic="undisturbed"):
    from rvsim.asm import assemble
    m = Machine("rv64gcv", vlen=vlen, vector_agnostic=agnostic)
    m.load_elf(assemble(source, march="rv64gcv").to_elf())
    return m


def _same_as_interpreter(monkeypatch, make, steps, views_of=1500):
    """The same `steps` recorded through blocks and by the interpreter alone: the same state, and the
    same history views of the last `views_of` steps (memory changes, call stack, each step's changes
    as undone)."""
    got = []
    for on in (True, False):
        set_jit(monkeypatch, on)
        m = make()
        m.record(max_instructions=1 << 26)
        m.run(steps)
        assert (lib.rv_jit_code_bytes(m._core) > 0) == on
        snap = m.snapshot()
        got.append((snap, _views(m, min(views_of, m.history_length))))
    assert not diff(got[0][0], got[1][0])
    assert got[0][1] == got[1][1]


@pytest.mark.parametrize("vlen", [128, 256, 512])
@pytest.mark.parametrize("lmul", [1, 2, 4, 8])
def test_vector_loops_recorded_through_blocks_as_the_interpreter_records_them(lmul, vlen, monkeypatch):
    """Vector instructions inside recording blocks (rv_hist_block_v): at each VLEN and LMUL the whole
    run (up to its ebreak) recorded through blocks gives the interpreter's recording, step by step,
    and undoing to points in it gives the uncompiled machine that ran that far without recording."""
    source = _vector_source(lmul)
    set_jit(monkeypatch, False)
    ref = _vector_machine(source, vlen)
    assert ref.run(1_000_000).reason is StopReason.EBREAK
    total = ref.instret
    make = lambda: _vector_machine(source, vlen)     # noqa: E731
    _same_as_interpreter(monkeypatch, make, total)
    _check_back(monkeypatch, make, total - 1, [1, 5, 333, total // 3])


@pytest.mark.parametrize("lmul", [1, 8])
def test_tail_agnostic_ones_vector_loops_recorded_through_blocks(lmul, monkeypatch):
    """With agnostic elements set to ones (no fast paths for tail-agnostic vtypes: the general path
    inside blocks) the same."""
    source = _vector_source(lmul)
    make = lambda: _vector_machine(source, 256, "ones")      # noqa: E731
    set_jit(monkeypatch, False)
    ref = make()
    assert ref.run(1_000_000).reason is StopReason.EBREAK
    _same_as_interpreter(monkeypatch, make, ref.instret)


@pytest.mark.parametrize("vlen", [128, 256])
def test_rvv_matmul_recorded_through_blocks_as_the_interpreter(vlen, monkeypatch):
    """bench_vector's kernel (flw, vle32.v, vfmacc.vf, vse32.v, vsetvli per strip), 300,000 steps."""
    sys.path.insert(0, str(PROGRAMS_DIR.parent.parent / "benchmarks"))
    from bench_vector import build
    elf = build(vlen, 1e6)[0]

    def make():
        m = Machine("rv64gcv", vlen=vlen, env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
        m.load_elf(elf)
        return m
    _same_as_interpreter(monkeypatch, make, 300_000, views_of=3000)
    _check_back(monkeypatch, make, 300_000, [1, 2, 19, 997, 100_003])


VLOAD_FAULT = """
    .text
    .globl _start
_start:
    li t0, {start}
    li a0, 0
1:  vsetvli t1, zero, e32, m1, ta, ma
    vle32.v v8, (t0)                # runs off the end of the mapped data part-way, at the last pass
    vadd.vv v9, v9, v8
    addi a0, a0, 1
    addi t0, t0, 8
    j 1b
"""


def test_a_vector_load_faulting_part_way_in_a_recorded_block_undoes(monkeypatch):
    """A compiled loop whose vle32.v (8 elements at VLEN 256) walks 8 bytes a pass up to the end of
    the mapped data: the last pass loads the elements before the unmapped page and stops there (vstart
    at the element, no trap handler).  Recorded through blocks: the interpreter's recording and state;
    undoing one pass gives the uncompiled machine that ran that far."""
    from rvsim.asm import assemble
    prog = assemble(VLOAD_FAULT.format(start=DATA + 0x2000 - 8 * 200 - 12), march="rv64gcv")

    def make():
        m = Machine("rv64gcv", vlen=256, memory_size=MEM_SIZE)
        m.map(CODE, 0x1000, "rwx")
        m.map(DATA, 0x2000, "rw")
        m.write(DATA, bytes(range(256)) * 32)
        m.load_image(prog.to_binary(), addr=prog.entry)
        m.pc = prog.entry
        m.csr["mstatus"] = m.csr["mstatus"] | 0x600        # VS on (the ELF loader's job otherwise)
        return m
    got = []
    for on in (True, False):
        set_jit(monkeypatch, on)
        m = make()
        m.record()
        info = m.run(100_000)
        assert info.reason is StopReason.TRAP and info.cause == 5, info
        assert m.vstart == 7 and m.x[10] == 198
        assert (lib.rv_jit_code_bytes(m._core) > 0) == on
        n = m.instret
        got.append((m.snapshot(), _views(m, 40), m.snapshot()))
    assert not diff(got[0][0], got[1][0])
    assert got[0][1] == got[1][1]
    set_jit(monkeypatch, False)
    ref = make()
    ref.run(n - 40)
    assert [d.where for d in diff(got[0][2], ref.snapshot())] in ([], ["instret"])
