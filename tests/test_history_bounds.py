"""The history's bounds on long runs recorded through compiled blocks (csrc/history.c, apply_bounds).

With large rings the history drops its oldest steps in chunks, late, rather than one at each push, so
that compiled blocks can keep recording at the bound.  The steps it holds between runs must be exactly
those that dropping at each push leaves.  The oracles:
- fresh machines that ran the same program with recording and the block compiler off: undoing every
  step held must give the state of one that ran only the steps before them;
- the same runs recorded by the interpreter alone (RVSIM_NO_JIT=1), which meets the bound at other
  points (blocks at pass boundaries, the interpreter at each record): the same steps held, the same
  memory changes;
- the program's shape: under the byte bound, every step but the stores logs nothing, so the steps held
  are the most that fit (the step just before them is a store) and hold the same number of stores
  wherever the run stops; under the step bound, exactly the limit.
"""
from __future__ import annotations

import pytest

from rvsim._core import lib
from rvsim.machine import Machine, StopReason
from rvsim.testing import diff
from tests.strategies import DATA, enc
from tests.test_engine import _li
from tests.conftest import set_jit
from tests.test_history_jit import _bench_machine
from tests.test_jit import EBREAK, _machine

PROLOGUE, PASS, STORES = 4, 11, 8
PASSES = 100_000


def _stores(passes):
    """Pass i (t0 = passes..1) stores t0 as 8 doublewords at DATA..DATA+56: 4 steps of prologue, then
    passes of 11 steps whose first 8 are the stores (then addi, addi, bne)."""
    return [*_li(6, DATA), *_li(5, passes),
            *[enc("sd", rs1=6, rs2=5, imm_s=8 * i) for i in range(STORES)],
            enc("addi", rd=5, rs1=5, imm_i=-1), enc("addi", rd=7, rs1=7, imm_i=1),
            enc("bne", rs1=5, rs2=0, imm_b=-40), EBREAK]


def _is_store(step):
    return step >= PROLOGUE and (step - PROLOGUE) % PASS < STORES


def _stores_in(first, end):
    return sum(_is_store(s) for s in range(first, end))


def _recorded(monkeypatch, jit, n, **limits):
    set_jit(monkeypatch, jit)
    m = _machine(_stores(PASSES))
    m.record(**limits)
    assert m.run(n).reason is StopReason.LIMIT
    assert (lib.rv_jit_code_bytes(m._core) > 0) == jit
    return m


def _undoes_to_a_fresh_run(monkeypatch, m, make):
    n, held = m.instret, m.history_length
    info = m.reverse_step(held)
    assert info.reason is StopReason.LIMIT and info.instructions == held
    assert m.reverse_step(1).reason is StopReason.HISTORY_START
    set_jit(monkeypatch, False)
    ref = make()
    if n - held:
        assert ref.run(n - held).reason is StopReason.LIMIT
    assert m.instret == ref.instret == n - held
    assert not diff(m.snapshot(), ref.snapshot())


# 3 MiB: rings of 64 Ki records and 1 MiB of extras, with slack (lazy); the stores' 24 bytes each fill
# the extras long before the records ring
BYTE_BOUND = dict(max_bytes=3 << 20)


def test_the_byte_bound_holds_the_same_steps_through_blocks_as_the_interpreter(monkeypatch):
    """Stopping at several points of a 300,000-step run (the bound dropped steps in chunks many times
    before), blocks and the interpreter hold the same steps: the most whose stores fit (the step before
    them is a store), the same number of stores at every stop, and the same memory changes."""
    held_stores = set()
    for n in (150_000, 150_000 + 7_919, 231_001, 300_000):
        views = []
        for jit in (True, False):
            m = _recorded(monkeypatch, jit, n, **BYTE_BOUND)
            held = m.history_length
            views.append((held, m.memory_changes(held)))
        assert views[0] == views[1], n
        held = views[0][0]
        assert 10_000 < held < 100_000          # the byte bound, not the step bound, keeps them
        assert _is_store(n - held - 1), (n, held)
        held_stores.add(_stores_in(n - held, n))
    assert len(held_stores) == 1, held_stores


def test_the_byte_bound_through_blocks_undoes_to_a_fresh_run(monkeypatch):
    m = _recorded(monkeypatch, True, 250_000, **BYTE_BOUND)
    _undoes_to_a_fresh_run(monkeypatch, m, lambda: _machine(_stores(PASSES)))


@pytest.mark.parametrize("limit, max_bytes", [(20_000, 256 << 20), (65_536, 256 << 20), (20_000, 3 << 20)])
def test_the_step_bound_through_blocks_keeps_exactly_the_limit(limit, max_bytes, monkeypatch):
    """Runs of 3 to 10 times the limit through blocks hold exactly `limit` steps, the interpreter's,
    and undo to a fresh run (the ring has slack: the limit is the history's length, not the ring's).
    Under 3 MiB the 20,000 steps' stores take a third of the extras ring: the extras of the steps
    dropped by the step bound must be counted exactly, or the byte bound would drop more."""
    for n in (3 * limit + 17, 10 * limit):
        views = []
        for jit in (True, False):
            m = _recorded(monkeypatch, jit, n, max_instructions=limit, max_bytes=max_bytes)
            assert m.history_length == limit
            views.append(m.memory_changes(limit))
        assert views[0] == views[1]
    _undoes_to_a_fresh_run(monkeypatch, m, lambda: _machine(_stores(PASSES)))


def test_a_whole_benchmark_recorded_with_the_default_bounds_through_blocks(monkeypatch):
    """mm_int32 to its end (30 M steps, the default bounds: 256 MiB keep about 7.9 M steps): blocks
    hold what the interpreter holds, and undoing all of it gives a fresh run's state."""
    held = []
    for jit in (True, False):
        set_jit(monkeypatch, jit)
        m = _bench_machine("mm_int32")[0]
        m.record()
        assert m.run().reason is StopReason.EXIT
        held.append((m.history_length, m.memory_changes(200_000)))
    assert held[0] == held[1]
    assert 1_000_000 < held[0][0] < m.instret
    _undoes_to_a_fresh_run(monkeypatch, m, lambda: _bench_machine("mm_int32")[0])


_VECTOR_LOOP = """
    .globl _start
_start:
    li t0, 64
    vsetvli t1, t0, e32, m8, ta, ma
    la a0, buf
    li t2, 1000000
loop: vle32.v v8, (a0)
    vadd.vi v8, v8, 1
    vse32.v v8, (a0)
    addi t2, t2, -1
    bnez t2, loop
    li a7, 93
    li a0, 0
    ecall
    .data
buf: .zero 256
"""


def _vector_machine():
    m = Machine("rv64gcv", vlen=256)
    loop = m.load_asm(_VECTOR_LOOP, name="vector_loop.s").symbol("loop")
    while m.pc != loop:
        m.run(1)
    return m


def test_the_byte_bound_with_vector_groups_holds_the_interpreters_steps(monkeypatch):
    """A loop of vle32/vadd/vse32 at LMUL 8 (each logs 256 bytes or more) under 3 MiB: the extras bound
    keeps a few thousand steps, dropped in chunks from rings with slack.  With and without the block
    compiler the same steps are held; the step before them logs (it was dropped for its bytes); undoing
    them all gives the state of a fresh unrecorded run."""
    for n in (200_000, 200_003):
        views = []
        for jit in (True, False):
            set_jit(monkeypatch, jit)
            m = _vector_machine()
            start = m.instret
            m.record(**BYTE_BOUND)
            assert m.run(n).reason is StopReason.LIMIT
            held = m.history_length
            views.append((held, m.memory_changes(held)))
        assert views[0] == views[1], n
        assert 1_000 < held < 20_000
        assert (n - held - 1) % 5 in (0, 1, 2), (n, held)      # vle, vadd or vse
    info = m.reverse_step(held)
    assert info.instructions == held
    ref = _vector_machine()
    ref.run(m.instret - ref.instret)
    assert m.instret == start + n - held
    assert not diff(m.snapshot(), ref.snapshot())


def test_the_step_bound_holds_the_limit_at_every_stop_under_a_small_byte_budget(monkeypatch):
    """20,000 steps under 3 MiB, stopped every 7,919 steps up to 400,000: the step bound drops a chunk
    of about 12,800 records at a time, and the extras of the records it drops must be counted exactly
    (too few and the ring fills early, too many and the newest entries overwrite held ones or the
    history is lost): the history is the limit at every stop, and its oldest step still undoes."""
    set_jit(monkeypatch, True)
    m = _machine(_stores(PASSES))
    m.record(max_instructions=20_000, max_bytes=3 << 20)
    while m.instret < 400_000:
        assert m.run(7_919).reason is StopReason.LIMIT
        assert m.history_length == min(m.instret, 20_000), m.instret
    _undoes_to_a_fresh_run(monkeypatch, m, lambda: _machine(_stores(PASSES)))


def test_the_byte_bound_holds_the_same_steps_when_the_extras_ring_grows_as_it_fills(monkeypatch):
    """Under 16 MiB the extras ring is reserved at 8 MiB but starts at 1 MiB and doubles as the steps
    held need it (so that a run whose extras stay small does not touch every page of it): the steps
    held are those of a ring reserved whole, the most whose stores fit in 8 MiB less its sixteenth of
    slack, 327,680 stores (as main's build, which reserved it whole, held), with and without blocks;
    and they undo to a fresh run."""
    limits = dict(max_bytes=16 << 20)
    for n in (600_000, 1_000_003):
        views = []
        for jit in (True, False):
            m = _recorded(monkeypatch, jit, n, **limits)
            held = m.history_length
            views.append((held, m.memory_changes(held)))
        assert views[0] == views[1], n
        assert _is_store(n - held - 1), (n, held)
        assert _stores_in(n - held, n) == (8 << 20) * 15 // 16 // 24
    _undoes_to_a_fresh_run(monkeypatch, m, lambda: _machine(_stores(PASSES)))
