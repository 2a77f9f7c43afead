"""The step of a vector instruction in a timed block done inline (csrc/jit_x86.c timed_step with
rv_timing_block_vstep / rv_timing_block_vresult, csrc/timing.c): the scalar half emitted as the scalar
kinds' steps are, the vector unit's half given the instruction's cost as resolved when the block was
compiled, both only while vtype, vl and mtype are what they were then (else the block copy of the step).

Oracles: the same program with the block compiler off (RVSIM_NO_JIT=1: the interpreter's timed loop and
its step, which looks the cost up in the vector unit's memo), on every per-address record and every
total; and counts known by hand (how often each vector instruction retired, that the queue did fill).
"""
from __future__ import annotations

import io
import platform
import sys
from pathlib import Path

import pytest

from rvsim._core import lib
from rvsim.machine import StopReason
from tests.conftest import set_jit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing_goldens import _vlen  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="the block compiler is x86-64 Linux only")

_EXIT = """
        li      a0, 0
        li      a7, 93
        ecall
"""
_DATA = """
        .data
        .align  6
three:  .float  3.0
        .align  6
A:      .rept   256
        .float  1.0
        .endr
B:      .rept   256
        .float  2.0
        .endr
C:      .zero   1024
"""

# One loop run at vl 8 for 40 passes (the block is compiled then), then the same loop at vl 5 (same
# vtype: the slots stay specialised, the interpreter's fast-path guard holds, the block's own guard on vl
# fails), then at e64/m2 and vl 8 (vtype: the slots are specialised again under it, the block's guard
# fails on vtype alone: wider elements, pairs of registers), then at vl 8 again (the guard holds again).
RETYPE = """
        .globl  _start
_start: la      t6, three
        flw     fa0, 0(t6)
        la      a1, A
        la      a2, B
        la      a3, C
        li      a0, 8
        vsetvli t0, a0, e32, m1, ta, mu
        jal     ra, loop40
        li      a0, 5
        vsetvli t0, a0, e32, m1, ta, mu
        jal     ra, loop40
        li      a0, 8
        vsetvli t0, a0, e64, m2, ta, mu
        jal     ra, loop40
        li      a0, 8
        vsetvli t0, a0, e32, m1, ta, mu
        jal     ra, loop40
""" + _EXIT + """
loop40: li      s1, 40
body:   vle32.v v2, (a1)
        vle32.v v4, (a2)
        vfmacc.vf v4, fa0, v2
        vadd.vv v6, v4, v2
        vse32.v v6, (a3)
        addi    s1, s1, -1
        bnez    s1, body
        ret
""" + _DATA

# Register groups of LMUL 1, 2, 4 and 8 written over one another, so that sources span runs with several
# heads (a group partly overwritten by a narrower one, a wider one over the rest) and the heads after a
# written group are split; a load chained into arithmetic at each LMUL.
GROUPS = """
        .globl  _start
_start: la      a1, A
        la      a2, B
        li      s1, 30
        li      a0, 64
1:      vsetvli t0, a0, e32, m1, ta, mu
        vle32.v v9, (a1)
        vadd.vi v13, v9, 1
        vsetvli t0, a0, e32, m2, ta, mu
        vle32.v v10, (a2)
        vadd.vv v14, v10, v12
        vsetvli t0, a0, e32, m4, ta, mu
        vadd.vv v8, v12, v16
        vle32.v v20, (a1)
        vsetvli t0, a0, e32, m1, ta, mu
        vadd.vi v11, v9, 3
        vsetvli t0, a0, e32, m8, ta, mu
        vadd.vv v16, v8, v0
        vadd.vv v24, v16, v8
        vsetvli t0, a0, e32, m2, ta, mu
        vadd.vv v18, v16, v24
        addi    s1, s1, -1
        bnez    s1, 1b
""" + _EXIT + _DATA

# Long independent LMUL-8 operations back to back: the vector unit falls behind and the queue fills
# (its stalls charged by the reason its head started late); a scalar result read back (vmv.x.s,
# vfmv.f.s, vcpop.m on the general path, in the same blocks) and used by the scalar code.
QUEUE = """
        .globl  _start
_start: la      a1, A
        la      a2, B
        li      s1, 25
        li      s3, 0
        li      a0, 64
        vsetvli t0, a0, e32, m8, ta, mu
1:      vle32.v v0, (a1)
        vadd.vv v8, v0, v0
        vadd.vv v16, v0, v0
        vadd.vv v24, v0, v0
        vadd.vi v8, v0, 1
        vadd.vi v16, v0, 2
        vadd.vi v24, v0, 3
        vadd.vv v8, v0, v0
        vadd.vv v16, v0, v0
        vadd.vv v24, v0, v0
        vadd.vi v8, v0, 1
        vadd.vi v16, v0, 2
        vadd.vi v24, v0, 3
        vmv.x.s t1, v8
        add     s3, s3, t1
        vfmv.f.s ft0, v16
        vmsne.vi v1, v24, 0
        vcpop.m t2, v1
        add     s3, s3, t2
        vle32.v v8, (a2)
        addi    s1, s1, -1
        bnez    s1, 1b
""" + _EXIT + _DATA

# A loop of 48 vector instructions: a block too large for the compiler's buffer with every vector step
# inline is compiled with their block copies called instead (it is compiled all the same: the loop is
# the only code that runs often enough).
WIDE = """
        .globl  _start
_start: li      s1, 20
        li      a0, 8
        fmv.w.x fa0, zero
        vsetvli t0, a0, e32, m2, ta, mu
1:
""" + "\n".join(f"        vfmacc.vf v{8 + (i % 8) * 2}, fa0, v{(i % 4) * 2}" for i in range(48)) + """
        addi    s1, s1, -1
        bnez    s1, 1b
""" + _EXIT

PROGRAMS = {"retype": (RETYPE, 40 * 4), "groups": (GROUPS, 30), "queue": (QUEUE, 25), "wide": (WIDE, 20)}


def _run(source, preset, jit, hot, monkeypatch):
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine
    set_jit(monkeypatch, jit, hot)
    m = Machine("rv64gcv", vlen=_vlen(preset), env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.enable_timing(preset)
    m.load_asm(source, name="vinline.s")
    info = m.run(2_000_000)
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    assert (lib.rv_jit_code_bytes(m._core) > 0) == jit
    by_pc = sorted((pc, s.count, s.cycles, sorted(s.stalls.items())) for pc, s in m.timing.by_pc().items())
    return m, {"totals": m.timing.totals(), "by_pc": by_pc, "instret": int(m.instret),
               "x": m.x.tolist(), "f": m.f.tolist(), "v": bytes(m.v)}


@pytest.mark.parametrize("preset", ["x60", "teach"])
@pytest.mark.parametrize("hot", ["1", "3"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_vector_steps_in_blocks_count_what_the_interpreter_counts(name, hot, preset, monkeypatch):
    source, passes = PROGRAMS[name]
    m, got = _run(source, preset, True, hot, monkeypatch)
    _, want = _run(source, preset, False, hot, monkeypatch)
    assert got["totals"] == want["totals"]
    assert got["by_pc"] == want["by_pc"]
    assert got["instret"] == want["instret"] and got["x"] == want["x"] and got["v"] == want["v"]
    # by hand: every vector instruction of the loop retired once per pass
    sym = m.asm_program.symbol
    counts = {pc: count for pc, count, _, _ in got["by_pc"]}
    if name == "retype":
        for k in range(5):      # vle32, vle32, vfmacc.vf, vadd.vv, vse32
            assert counts[sym("body") + 4 * k] == passes
    vec = got["totals"]["vector"]
    if name == "queue" and preset == "x60":
        # the queue did fill, and its stalls were charged by the head's reason
        assert got["totals"]["stalls"]["vector_queue"] > 0
        assert sum(vec["queue_full"].values()) == got["totals"]["stalls"]["vector_queue"]
    if name == "wide" and preset == "x60":
        assert vec["instructions"] == 20 * 48
    if name == "groups" and preset == "x60":
        assert vec["instructions"] == 30 * 10      # the 10 of a pass that reach the unit (not vsetvli)
