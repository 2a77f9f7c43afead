"""The records' meta words kept once each in the history's dictionary (csrc/history.c, "the dictionary of
meta words"; history_internal.h rv_hist_rec): a record is the old value and a 32-bit id, the host mark
a bit of the id.

The programs here are chosen to stress what the dictionary adds: thousands of distinct steps (the
dictionary and its index grow several times; the cache in front of it, of 512 entries, is overrun
and its entries collide), through compiled blocks and through the interpreter, with integer, FP and
store records; and steps the host acted on (system calls), whose id carries the host's mark, dropped
by the bounds and undone.  The oracles are fresh machines that ran as far with neither recording nor
the block compiler, and (for the views of each undone step) the same run recorded by the interpreter
alone, whose records do not come from a block's compile-time ids.
"""
from __future__ import annotations

import platform
import sys

import pytest

from rvsim._core import lib
from rvsim.asm import assemble
from rvsim.machine import StopReason
from rvsim.testing import diff
from tests.conftest import set_jit
from tests.history_common import linux_machine
from tests.test_history_jit import _views

on_x86 = sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")

BODY = 1800         # distinct instructions in the loop: more than the dictionary's first 1,024 ids
GROUP = 8           # each group of the body runs twice as a loop of its own: a compiled block


def _body_line(i: int) -> str:
    t, u, a, f, g = f"t{i % 7}", f"t{(i + 3) % 7}", f"a{i % 8}", f"fa{i % 8}", f"ft{(i + 5) % 8}"
    off = 8 * (i * 5 % 200)
    return [f"addi {t}, {u}, {i % 1999 - 999}",
            f"sd {t}, {off}(s0)",
            f"ld {a}, {8 * (i * 3 % 200)}(s0)",
            f"fcvt.s.l {g}, {a}",
            f"fmadd.s {f}, {g}, {g}, {f}",
            f"fsw {f}, {off}(s0)",
            f"xor {t}, {t}, {a}",
            f"flw {g}, {off}(s0)"][i % 8]


def _body():
    for i in range(BODY):
        if i % GROUP == 0:
            yield "    li s2, 2"
            yield f"g{i}:"
        yield f"    {_body_line(i)}"
        if i % GROUP == GROUP - 1:
            yield "    addi s2, s2, -1"
            yield f"    bnez s2, g{i - GROUP + 1}"


MANY = "\n".join([
    "    .globl _start",
    "_start:",
    "    la s0, buf",
    "    li s1, 3",
    "1:",
    *_body(),
    "    addi s1, s1, -1",
    "    beqz s1, 2f",
    "    j 1b",
    "2:  li a0, 0",
    "    li a7, 93",
    "    ecall",
    "    .data",
    "buf: .zero 1600",
])


def _many():
    return linux_machine(assemble(MANY, march="rv64gc").to_elf(), "rv64gc")


def _steps_before_exit():
    m = _many()
    assert m.run().reason is StopReason.EXIT
    return m.instret - 2


def _fresh_run(make, steps):
    m = make()
    if steps:
        assert m.run(steps).reason is StopReason.LIMIT
    assert m.instret == steps
    return m


@pytest.mark.parametrize("jit", [pytest.param(True, marks=pytest.mark.skipif(not on_x86, reason="x86-64 only")),
                                 False])
def test_thousands_of_distinct_steps_undo_to_fresh_runs(jit, monkeypatch):
    """3 passes over 1,800 distinct instructions, in 225 loops of 2 passes (each a meta word of its own, some
    with variants: the fmadd.s's, by the flags it raises, and the FP loads', by whether f[rd] changed):
    recorded, then undone in odd strides, each stop equal to a fresh unrecorded uncompiled run."""
    set_jit(monkeypatch, jit)
    m = _many()
    m.record()
    n = _steps_before_exit()
    assert m.run(n).reason is StopReason.LIMIT and m.history_length == n
    assert (lib.rv_jit_code_bytes(m._core) > 0) == jit
    left = n
    for back in (1, 7, 999, 1801, 2500, n - 1 - 7 - 999 - 1801 - 2500 - 1):
        assert m.reverse_step(back).reason is StopReason.LIMIT
        left -= back
        monkeypatch.setenv("RVSIM_NO_JIT", "1")
        ref = _fresh_run(_many, left)
        assert not diff(m.snapshot(), ref.snapshot()), left
        set_jit(monkeypatch, jit)
    assert left == 1
    assert m.reverse_step(1).reason is StopReason.LIMIT
    assert m.reverse_step(1).reason is StopReason.HISTORY_START


@pytest.mark.skipif(not on_x86, reason="the block compiler is x86-64 Linux only")
def test_thousands_of_distinct_steps_give_the_interpreters_views(monkeypatch):
    """The last 4,000 steps of the same run recorded through blocks and by the interpreter alone: the
    same memory changes, call stack, and pc and changes of each step as it is undone (a wrong id gives
    a wrong register or pc)."""
    views = []
    for jit in (True, False):
        set_jit(monkeypatch, jit)
        m = _many()
        m.record()
        m.run(_steps_before_exit())
        assert (lib.rv_jit_code_bytes(m._core) > 0) == jit
        views.append(_views(m, 4000))
    assert views[0] == views[1]


READS = """
    .globl _start
_start:
    li s1, 2500
1:  li a0, 0
    la a1, buf
    li a2, 3
    li a7, 63                     # read(0, buf, 3): the host writes buf and a0
    ecall
    add s2, s2, a0
    la t0, buf
    ld t1, 0(t0)
    add s3, s3, t1
    sd s3, 8(t0)
    addi s1, s1, -1
    bnez s1, 1b
    li a0, 0
    li a7, 93
    ecall
    .data
buf: .zero 32
"""


@pytest.mark.parametrize("jit", [pytest.param(True, marks=pytest.mark.skipif(not on_x86, reason="x86-64 only")),
                                 False])
def test_steps_the_host_acted_on_are_dropped_by_the_bound_and_undone(jit, monkeypatch):
    """2,500 read() calls (each step the host serviced is marked in its id, and the host's writes are
    attached to it), recorded under a step bound of 20,000 (large enough for the bounds to drop the
    oldest steps in chunks): the history holds exactly the bound, and undoing all of it reaches a fresh
    run's state that many steps before the end; running on from there replays the reads."""
    set_jit(monkeypatch, jit)
    data = bytes(range(256)) * 30
    elf = assemble(READS, march="rv64gc").to_elf()
    make = lambda: linux_machine(elf, "rv64gc", stdin=data)     # noqa: E731
    m = make()
    m.record(max_instructions=20_000)
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    total = m.instret
    assert total > 30_000 and m.history_length == 20_000
    final = m.snapshot()
    assert m.reverse_step(20_000).reason is StopReason.LIMIT
    assert m.reverse_step(1).reason is StopReason.HISTORY_START
    monkeypatch.setenv("RVSIM_NO_JIT", "1")
    ref = _fresh_run(make, total - 20_000)
    assert not diff(m.snapshot(), ref.snapshot())
    set_jit(monkeypatch, jit)
    info = m.run()
    assert info.reason is StopReason.EXIT and m.instret == total
    assert not diff(m.snapshot(), final)
