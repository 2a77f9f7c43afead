"""Timed blocks (csrc/jit_x86.c "timed blocks") count what the per-instruction model counts.

A timed block steps the cycle model after each instruction it runs; the step of a plain, multiply or
FP instruction that shares the fetch line of the one before it is done inline (timed_step_inline, from
what timing.c's rv_timing_block_inline resolves).  The reference is the interpreter's timed loop with
the block compiler off (RVSIM_NO_JIT=1), which calls the model's step for every instruction: the totals
and every per-pc record (count, cycles, stalls by cause) must be the same, for
- a hand-written loop whose stalls are the rarer ones of that step: WAW behind a load that missed and
  behind a multiply, hits on a line still arriving, dirty lines evicted, replacement by last use, two sources ready in the same cycle, long FP latencies;
- the project's random programs (loops, forward branches, loads and stores, FP), on several presets.
"""
from __future__ import annotations

import platform
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rvsim._core import lib
from rvsim.machine import Machine, StopReason
from rvsim.testing.harness import Batch
from rvsim.testing.strategies import programs
from tests.history_common import linux_machine
from tests.conftest import set_jit, set_jit_now

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="the block compiler is x86-64 Linux only")

STALLS = """
    .data
    .p2align 6
buf: .zero 65536
vals: .float 1.5, 2.25, -0.5, 3.0
    .text
    .globl _start
_start:
    la a0, buf
    la a1, vals
    flw fa0, 0(a1)
    flw fa1, 4(a1)
    flw fa2, 8(a1)
    flw fa3, 12(a1)
    li s0, 200
    li a3, 7
1:  lw t0, 0(a0)            # a new line each pass: misses
    addi t0, zero, 5        # WAW behind the load
    mul t1, a3, s0
    addi t1, t1, 1          # RAW on the multiply
    mul t2, t1, a3
    li t2, 3                # WAW behind the multiply
    add t3, t2, t1
    add t3, t0, t3          # rd = rs2 (its own WAW and RAW)
    fmadd.s fa4, fa0, fa1, fa2
    fmadd.s fa4, fa4, fa1, fa3      # RAW on FP, same destination
    fadd.s fa5, fa4, fa0
    fmul.s fa5, fa5, fa5
    fsub.s fa6, fa5, fa4
    div t4, t3, a3
    addi t4, t4, 1
    add s1, s1, t4
    mul t6, a3, s0          # a multiply and a load hit ready in the same cycle, read by one add:
    lw t5, 0(a1)            # (with 0 to 3 instructions between them) the stall is the first
    add s3, t6, t5          # source's cause
    mul t6, a3, s0
    addi s4, s4, 1
    lw t5, 0(a1)
    add s3, t5, t6
    andi t5, s0, 3          # forward branches taken every other pass or three in four: the stall
    beqz t5, 2f             # after one is charged to it, not to the loop's branch
    addi s7, s7, 1
2:  andi t5, s0, 1
    bnez t5, 3f
    addi s8, s8, 1
3:  addi s9, s9, 1
    mul t6, a3, s0
    addi s4, s4, 1
    addi s5, s5, 1
    lw t5, 4(a1)
    add s3, t6, t5
    mul t6, a3, s0
    addi s4, s4, 1
    addi s5, s5, 1
    addi s6, s6, 1
    lw t5, 8(a1)
    add s3, t5, t6
    andi t5, s0, 3          # forward branches taken every other pass or three in four: the stall
    beqz t5, 2f             # after one is charged to it, not to the loop's branch
    addi s7, s7, 1
2:  andi t5, s0, 1
    bnez t5, 3f
    addi s8, s8, 1
3:  addi s9, s9, 1
    xor s2, s1, t3
    addi a0, a0, 256
    addi s0, s0, -1
    bnez s0, 1b
    li s1, 8                # then 8 passes over 16 lines 4 KiB apart (one L1D set: evictions of
    li t4, 4096             # dirty lines, replacement by last use)
4:  la a0, buf
    li s0, 16
5:  lw t0, 0(a0)            # a miss (or a hit)
    lw t1, 4(a0)            # the same line, maybe still arriving: a hit that waits
    add t2, t1, t0          # (t1 first: its cause is the stall's)
    sw t2, 8(a0)            # the same line: now dirty
    lw t3, 12(a0)
    add t3, t3, t2
    sw t3, 16(a0)
    add a0, a0, t4
    addi s0, s0, -1
    bnez s0, 5b
    addi s1, s1, -1
    bnez s1, 4b
    ebreak
"""


def _vlen(preset):
    from rvsim.timing import load_config
    return load_config(preset)["vector"]["vlen"]


def _figures(m):
    return (m.timing.totals(), sorted((pc, s.count, s.cycles, sorted(s.stalls.items()))
                                      for pc, s in m.timing.by_pc().items()))


def timed_with_and_without_blocks(monkeypatch, source, preset, hot):
    """Run the assembly program SOURCE (ending in ebreak) on PRESET twice, through timed blocks compiled
    at HOT taken branches and with the block compiler off; the two machines, in that order."""
    from rvsim.asm import assemble
    elf = assemble(source, march="rv64gc").to_elf()
    machines = []
    for on in (True, False):
        set_jit(monkeypatch, on, hot)
        m = Machine("rv64gc", vlen=_vlen(preset))
        m.load_elf(elf)
        m.enable_timing(preset)
        assert m.run(1_000_000).reason is StopReason.EBREAK
        assert (lib.rv_jit_code_bytes(m._core) > 0) == on
        machines.append(m)
    return machines


@pytest.mark.parametrize("preset", ["x60", "c908", "teach"])
@pytest.mark.parametrize("hot", ["1", "3"])
def test_stalls_in_timed_blocks_as_the_interpreter_counts_them(monkeypatch, preset, hot):
    got = [_figures(m) for m in timed_with_and_without_blocks(monkeypatch, STALLS, preset, hot)]
    assert got[0] == got[1]
    if preset == "x60":
        assert got[1][0]["stalls"]["waw"] > 0      # the loop does stall on WAW


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(prog=programs(extensions="rv64gc", length=(4, 16), max_trips=4),
       preset=st.sampled_from(["x60", "c908", "teach"]))
def test_random_programs_timed_through_blocks_count_as_the_interpreter(restore_jit_env, prog, preset):
    batch = Batch([prog])
    got = []
    for on in (True, False):
        set_jit_now(on)
        m = linux_machine(batch.elf, batch.isa, _vlen(preset))
        m.enable_timing(preset)
        m.run(200_000)
        got.append((m.instret, _figures(m)))
    assert got[0] == got[1]
