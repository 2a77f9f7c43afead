"""Jumps and calls in compiled blocks (csrc/jit_x86.c) and the block compiler's view of where they go.

- A block that leaves (a taken branch out of it, jal, jalr) counts its exit's slot as a taken branch
  would (csrc/interp_loop.inc L_JIT_ENTER): a callee and the code after a call get blocks of their own
  even when the loop around the call became a block before the interpreter's counts reached them.
  Checked in the functional, recording and timed loops by the code the compiler wrote: a long callee
  must add its length's worth of code.
- Timed blocks do the model's step of jal and jalr inline, and the step of an instruction on another
  fetch line than the one before it (the fetch lookup by rv_timing_block_fetch, the rest inline).  The
  reference is the interpreter's timed loop with the block compiler off (RVSIM_NO_JIT=1): totals and
  every per-pc record must be the same for calls that the return-address stack predicts and that it
  does not (recursion deeper than it), indirect calls whose target changes (the target table),
  calls linking t0, plain jumps, callees spanning fetch lines, jumps and taken branches that are the
  first instruction of a fetch line, and the check code of asm/common.inc (FP conversions and
  compares).
"""
from __future__ import annotations

import platform
import sys

import pytest

from rvsim._core import lib
from rvsim.machine import Machine, StopReason
from tests.conftest import set_jit
from tests.test_jit_timed import _figures, timed_with_and_without_blocks

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="the block compiler is x86-64 Linux only")

# The loop is entered by a jump to its top, so that its top reaches the compile threshold in the same
# pass as the callee and the code after the call, but before them: from then on the interpreter runs
# neither the call nor the return.
CALL_IN_LOOP = """
    .text
    .globl _start
_start:
    li s0, 400
    j 1f
1:  addi s1, s1, 1
    addi s2, s2, 2
    call callee
    addi s3, s3, 3
    addi s4, s4, 4
    addi s5, s5, 5
    addi s6, s6, 6
    addi s7, s7, 7
    addi s8, s8, 8
    addi s9, s9, 9
    addi s0, s0, -1
    bnez s0, 1b
    ebreak
callee:
{body}
    ret
"""


def _code_bytes(monkeypatch, body, mode):
    from rvsim.asm import assemble
    elf = assemble(CALL_IN_LOOP.format(body=body), march="rv64gc").to_elf()
    set_jit(monkeypatch, True, "64")
    m = Machine("rv64gc")
    m.load_elf(elf)
    if mode == "timed":
        m.enable_timing("x60")
    elif mode == "recording":
        m.record(max_instructions=1 << 20)
    assert m.run(1_000_000).reason is StopReason.EBREAK
    assert m.instret > 400 * 14
    return lib.rv_jit_code_bytes(m._core)


@pytest.mark.parametrize("mode", ["functional", "recording", "timed"])
def test_callee_and_return_point_of_a_call_in_a_block_get_blocks(monkeypatch, mode):
    short = _code_bytes(monkeypatch, "    addi a0, a0, 1", mode)
    long = _code_bytes(monkeypatch, "\n".join(f"    addi a{i % 6}, a{i % 6}, {i}" for i in range(40)), mode)
    # 39 more instructions compiled (each at least 3 bytes of host code); without the exits counted,
    # only the loop's block, the same in both programs, is compiled
    assert long - short >= 39 * 3, (short, long)


CALLS = """
    .data
    .p2align 3
vals: .float 1.0, 2.5, -3.0, 4.0
table: .dword 0, 0
stack: .zero 4096
stack_top:
    .text
    .globl _start
_start:
    la sp, stack_top
    la s2, vals
    la s3, table
    la t0, f_a
    sd t0, 0(s3)
    la t0, f_b
    sd t0, 8(s3)
    li s0, 300
    j 1f
1:  mv a0, s0
    call load_like          # jal ra: its return is predicted by the return-address stack
    add s1, s1, a0
    andi t1, s0, 1          # an indirect call whose target alternates (the target table mispredicts)
    slli t1, t1, 3
    add t1, t1, s3
    ld t2, 0(t1)
    mv a0, s0
    jalr t2
    add s1, s1, a0
    andi a0, s0, 15         # recursion 1 to 16 deep: deeper than a return-address stack, mispredicted
    addi a0, a0, 1
    call deep
    add s1, s1, a0
    jal t0, alt_link        # a call linking t0, returned from by jr t0
    add s1, s1, a0
    call lines
    add s1, s1, a0
    j 2f                    # a plain jump
    addi s1, s1, 99
2:  andi t1, s0, 3
    bnez t1, 3f
    mul s4, s1, s0
3:  addi s0, s0, -1
    bnez s0, 1b
    ebreak

load_like:                  # asm/common.inc load_elem's FP path
    andi t0, a0, 3
    slli t0, t0, 2
    add t0, t0, s2
    flw ft0, 0(t0)
    j 4f
    addi a0, a0, 1
4:  fcvt.l.s a0, ft0, rtz
    fcvt.s.l ft1, a0
    feq.s t0, ft0, ft1
    bnez t0, 5f
    li a0, 1 << 40
5:  ret

f_a:
    addi a0, a0, 3
    ret

    .p2align 6
    .skip 52
f_b:                        # straight-line code over three fetch lines
    addi a0, a0, 1
    slli a1, a0, 2
    add a0, a0, a1
    xori a1, a0, 5
    add a0, a0, a1
    addi a0, a0, 1
    slli a1, a0, 2
    add a0, a0, a1
    xori a1, a0, 5
    add a0, a0, a1
    addi a0, a0, 1
    slli a1, a0, 2
    add a0, a0, a1
    xori a1, a0, 5
    add a0, a0, a1
    addi a0, a0, 1
    slli a1, a0, 2
    add a0, a0, a1
    xori a1, a0, 5
    add a0, a0, a1
    addi a0, a0, 1
    slli a1, a0, 2
    add a0, a0, a1
    xori a1, a0, 5
    add a0, a0, a1
    andi a0, a0, 1023
    ret

deep:
    addi sp, sp, -16
    sd ra, 8(sp)
    addi a0, a0, -1
    beqz a0, 6f
    call deep
    addi a0, a0, 2
6:  ld ra, 8(sp)
    addi sp, sp, 16
    ret

alt_link:
    addi a0, a0, 7
    jr t0

    .option push
    .option norvc
    .p2align 6
    .skip 60
lines:                      # a jump, a taken branch and a return, each the first instruction of a
    addi a0, a0, 1          # fetch line after an instruction of the line before
    j 7f
    .skip 56
7:  addi a0, a0, 1
    bnez a0, 8f
    .skip 56
8:  addi a0, a0, 1
    ret
    .option pop
"""


@pytest.mark.parametrize("preset", ["x60", "c908", "teach"])
@pytest.mark.parametrize("hot", ["1", "3", "64"])
def test_calls_and_returns_in_timed_blocks_count_as_the_interpreter(monkeypatch, preset, hot):
    got = [(m.instret, int(m.x["s1"]), _figures(m))
           for m in timed_with_and_without_blocks(monkeypatch, CALLS, preset, hot)]
    assert got[0] == got[1]
    totals = got[1][2][0]
    assert totals["mispredicts"] > 300         # the recursion and the alternating indirect call
