"""Timed blocks that hold vector instructions (csrc/jit_x86.c timed_vec, csrc/vector_block.c
rv_timed_block_v): each runs where the timed loop would run it and calls the model's step, or the block
leaves before it.

Oracles: the figures the per-instruction model counted (tests/timing_goldens.json, the interpreter
alone); for the hand-written strip-mined loop below, its results worked out here from the data, and,
for the model's figures only, the same run with the block compiler off (RVSIM_NO_JIT=1).  Blocks are
compiled at the first (or third) taken branch to a slot, so that every loop runs compiled.
"""
from __future__ import annotations

import io
import platform
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from rvsim._core import lib
from rvsim.machine import StopReason
from tests.conftest import set_jit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_timing_goldens import STORED  # noqa: E402
from timing_goldens import _vlen, measure, scenarios  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="the block compiler is x86-64 Linux only")


# the scenarios whose programs run vector instructions, whole or in odd chunks, with a trace, on
# several presets
_VECTOR_KEYS = sorted(key for key, *_ in scenarios()
                      if any(w in key for w in ("rvv", "int8", "bf16", "gemv", "saxpy", "conv2d", "vmem",
                                                "cycle_reader", "zvt")) and "dram" not in key)


@pytest.mark.parametrize("hot", ["1", "3"])
@pytest.mark.parametrize("key", _VECTOR_KEYS)
def test_vector_kernels_count_what_the_interpreter_counted(key, hot, monkeypatch):
    set_jit(monkeypatch, True, hot)
    args = next(s[1:] for s in scenarios() if s[0] == key)
    kept = []
    got = measure(*args, keep=kept)
    want = STORED[key]
    for field in ("totals", "instret", "exit_code", "by_pc", "memory", "s3", "trap"):
        assert got.get(field) == want.get(field), field
    if args[0] == "asm" and (args[3] is None or args[3] > 100):
        assert lib.rv_jit_code_bytes(kept[0]._core) > 0     # the kernels' loops did compile


# A strip-mined loop (N = 37: full strips and a tail) run PASSES times: vsetvli inside the loop (its vl
# read by the scalar code after it), unit-stride loads and stores (fast path), vfmacc.vf (fast path, or
# the general path in the pass that runs with frm = RTZ), an integer add, a masked add and a masked store
# (general path), a reduction read back with vmv.x.s into a scalar register the loop then uses, and a
# strided load (the block leaves before it, the vl that vsetvli wrote to t0 read before and after).  The FP data are small integers, exact under any rounding.
STRIP = """
        .globl  _start
_start: li      s1, PASSES
        li      s3, 0
        la      t6, three
        flw     fa0, 0(t6)
pass:   li      t6, PASSES / 2
        bne     s1, t6, 1f
        csrwi   frm, 1
        j       2f
1:      csrwi   frm, 0
2:      la      a1, A
        la      a2, B
        la      a3, C
        li      a0, N
strip:  vsetvli t0, a0, e32, m2, ta, mu
        vle32.v v2, (a1)
        vle32.v v4, (a2)
        vfmacc.vf v4, fa0, v2
        vadd.vi v8, v2, 3
        vmsne.vi v0, v2, 0
        vadd.vv v10, v8, v8, v0.t
        vse32.v v10, (a3), v0.t
        vmv.s.x v12, zero
        vredsum.vs v12, v8, v12
        vmv.x.s t3, v12
        add     s3, s3, t3
        vse32.v v4, (a2)
        slli    t1, t0, 2
        li      t5, 4
        vlse32.v v14, (a1), t5
        add     a1, a1, t1
        add     a2, a2, t1
        add     a3, a3, t1
        sub     a0, a0, t0
        bnez    a0, strip
        addi    s1, s1, -1
        bnez    s1, pass
        csrwi   frm, 0
        li      a0, 0
        li      a7, 93
        ecall
        .data
        .align  6
three:  .float  3.0
        .align  6
A:      .float  FLOATS_A
        .align  6
B:      .float  FLOATS_B
        .align  6
C:      .zero   4 * N
"""
N = 37
PASSES = 9


# machines the loop runs on: agnostic elements set to ones (no slot is specialised: the general path),
# Zve32f (vset*vli on the general path), and a block arena smaller than the loop's blocks (about 7 KB):
# it fills, every block is dropped and compiled again
_VARIANTS = {"v": ("rv64gcv", "undisturbed"), "ones": ("rv64gcv", "ones"),
             "zve32f": ("rv64imafc_zve32f", "undisturbed"), "arena": ("rv64gcv", "undisturbed")}


def _strip_machine(variant="v"):
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine
    isa, agnostic = _VARIANTS[variant]
    m = Machine(isa, vlen=_vlen("x60"), vector_agnostic=agnostic,
                env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.enable_timing("x60")
    src = (STRIP.replace("FLOATS_A", ", ".join(f"{i}.0" for i in range(N)))
           .replace("FLOATS_B", ", ".join(f"{2 * i}.0" for i in range(N))))
    m.load_asm(src, name="strip.s", defsym={"N": N, "PASSES": PASSES})
    return m


def _strip_run(chunk=None, variant="v"):
    m = _strip_machine(variant)
    while True:
        info = m.run(chunk) if chunk else m.run()
        if info.reason is not StopReason.LIMIT:
            break
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    sym = m.asm_program.symbol
    return m, {
        "totals": m.timing.totals(),
        "by_pc": sorted((pc, s.count, s.cycles, sorted(s.stalls.items())) for pc, s in m.timing.by_pc().items()),
        "instret": int(m.instret), "x": m.x.tolist(), "f": m.f.tolist(), "v": bytes(m.v),
        "fflags": m.fflags, "B": m.read(sym("B"), 4 * N), "C": m.read(sym("C"), 4 * N),
    }


def _expected_s3(vlmax):
    # per strip, vredsum of the SEW=32 sums bits(float(i)) + 3, read back sign-extended
    bits = [struct.unpack("<I", struct.pack("<f", float(i)))[0] for i in range(N)]
    total, at = 0, 0
    while at < N:
        vl = min(vlmax, N - at)
        s = sum(b + 3 for b in bits[at:at + vl]) & 0xFFFFFFFF
        total += s - (1 << 32) if s >> 31 else s
        at += vl
    return (PASSES * total) & 0xFFFFFFFFFFFFFFFF


@pytest.mark.parametrize("variant", sorted(_VARIANTS))
@pytest.mark.parametrize("chunk", [None, 7, 101])
@pytest.mark.parametrize("hot", ["1", "3"])
def test_strip_mined_loop_in_blocks(hot, chunk, variant, monkeypatch):
    set_jit(monkeypatch, True, hot)
    if variant == "arena":
        monkeypatch.setenv("RVSIM_JIT_ARENA", "7000")
    m, got = _strip_run(chunk, variant)
    assert lib.rv_jit_code_bytes(m._core) > 0 or variant == "arena"     # (which may end just dropped)
    # the program's results, from its data
    vlmax = _vlen("x60") * 2 // 32
    assert got["x"][19] == _expected_s3(vlmax)
    assert np.frombuffer(got["B"], "<f4").tolist() == [float((2 + 3 * PASSES) * i) for i in range(N)]
    c = np.frombuffer(got["C"], "<u4").tolist()
    bits = [struct.unpack("<I", struct.pack("<f", float(i)))[0] for i in range(N)]
    assert c == [0] + [2 * (b + 3) for b in bits[1:]]       # element 0 masked off: never stored
    # the model's figures and the whole state: as the interpreter alone counts and leaves them
    set_jit(monkeypatch, False)
    m2, want = _strip_run(chunk, variant)
    assert lib.rv_jit_code_bytes(m2._core) == 0
    for field in want:
        assert got[field] == want[field], field


# A slot specialised under one vtype (LMUL=1) runs under another (LMUL=8) in the block's last pass, where
# its register groups (v2, v4, v6) are illegal: the instruction must trap, not run its fast path.
RETYPE = """
        .globl  _start
_start: li      s1, 20
        li      s2, 0xd0                # e32, m1, ta, ma
        li      t1, 8
        li      s3, 0
loop:   vsetvl  t0, t1, s2
        vadd.vv v2, v4, v6
        addi    s3, s3, 1
        addi    s1, s1, -1
        sltiu   t2, s1, 2               # the last pass: LMUL=8
        slli    t3, t2, 1
        add     t3, t3, t2
        addi    s2, t3, 0xd0
        bnez    s1, loop
        li      a0, 0
        li      a7, 93
        ecall
"""


def _retype_run():
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine
    m = Machine("rv64gcv", vlen=_vlen("x60"), env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.enable_timing("x60")
    m.load_asm(RETYPE, name="retype.s")
    info = m.run()
    return m, info


@pytest.mark.parametrize("hot", ["1", "3"])
def test_a_slot_specialised_under_another_vtype_traps_in_a_block(hot, monkeypatch):
    set_jit(monkeypatch, True, hot)
    m, info = _retype_run()
    assert lib.rv_jit_code_bytes(m._core) > 0
    assert info.reason is StopReason.TRAP and int(info.cause) == 2     # illegal instruction
    assert int(m.x[19]) == 19 and info.pc == m.asm_program.symbol("loop") + 4     # the 20th vadd.vv
    set_jit(monkeypatch, False)
    m2, info2 = _retype_run()
    assert (info2.reason, info2.pc, int(m2.instret)) == (info.reason, info.pc, int(m.instret))
    assert m.timing.totals() == m2.timing.totals()


# vfmacc.vv and vfmacc.vf at SEW 32 in a timed block (eight elements at a time, and the rest): inf x 0
# with a quiet NaN addend must raise invalid, which x86's FMA does not, and NaN results become the
# canonical NaN.  Only those raise invalid here (every inf x 0 has a quiet NaN addend); vl = 13 (one
# group of eight and five more).
FMA = """
        .globl  _start
_start: li      s1, 12
        la      t6, zero_f
        flw     fa1, 0(t6)
loop:   li      a0, 13
        vsetvli t0, a0, e32, m2, ta, ma
        la      a1, A
        vle32.v v2, (a1)
        la      a1, B
        vle32.v v4, (a1)
        la      a1, D
        vle32.v v6, (a1)
        vmv.v.v v8, v6
        vfmacc.vv v6, v2, v4
        vfmacc.vf v8, fa1, v2
        la      a1, OUT
        vse32.v v6, (a1)
        la      a1, OUTF
        vse32.v v8, (a1)
        frflags s2                      # this pass's flags (the block leaves before the CSR access)
        fsflags zero
        addi    s1, s1, -1
        bnez    s1, loop
        li      a0, 0
        li      a7, 93
        ecall
        .data
        .align  6
zero_f: .word   0
        .align  6
A:      .word   0x7f800000, 0, 0x3f800000, 0x40000000, 0x40400000, 0x7f800000, 0x3f800000, 0x40000000
        .word   0x40400000, 0x7f800000, 0x3f800000, 0x40000000, 0
B:      .word   0, 0x7f800000, 0x3f800000, 0x3f800000, 0x40000000, 0x3f800000, 0x40000000, 0x3f800000
        .word   0x3f800000, 0, 0x3f800000, 0x40000000, 0x7f800000
        .align  6
D:      .word   0x7fc00001, 0x7fc00002, 0x3f800000, 0x3f800000, 0x7fc00003, 0x7fc00006, 0x3f800000
        .word   0x3f800000, 0x3f800000, 0x7fc00004, 0x3f800000, 0x3f800000, 0x7fc00005
        .align  6
OUT:    .zero   64
OUTF:   .zero   64
"""


def _x60_run(source, name):
    """The Linux program SOURCE run to a clean exit on the x60 model; the machine."""
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine
    m = Machine("rv64gcv", vlen=_vlen("x60"), env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.enable_timing("x60")
    m.load_asm(source, name=name)
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    return m


def _fma_run():
    m = _x60_run(FMA, "fma.s")
    sym = m.asm_program.symbol
    return m, {"totals": m.timing.totals(), "fflags": m.fflags, "s2": int(m.x[18]), "v": bytes(m.v),
               "out": np.frombuffer(m.read(sym("OUT"), 52), "<u4").tolist(),
               "outf": np.frombuffer(m.read(sym("OUTF"), 52), "<u4").tolist()}


@pytest.mark.parametrize("hot", ["1", "3"])
def test_vfmacc_in_a_block_raises_invalid_for_inf_times_zero(hot, monkeypatch):
    set_jit(monkeypatch, True, hot)
    m, got = _fma_run()
    assert lib.rv_jit_code_bytes(m._core) > 0
    one, two, three, four, five, cnan = 0x3f800000, 0x40000000, 0x40400000, 0x40800000, 0x40a00000, 0x7fc00000
    # A * B + D per element (vfmacc.vv: vs1 = A, vs2 = B), worked out by hand: inf x 0 (elements 0, 1, 9,
    # 12) and any NaN addend give the canonical NaN
    assert got["out"] == [cnan, cnan, two, three, cnan, cnan, three, three, four, cnan, two, five, cnan]
    # 0 x A + D (vfmacc.vf with f[fa1] = 0): 0 x inf at elements 0, 5 and 9
    assert got["outf"] == [cnan, cnan, one, one, cnan, cnan, one, one, one, cnan, one, one, cnan]
    assert got["s2"] == 0x10         # the last pass's flags: NV only
    set_jit(monkeypatch, False)
    m2, want = _fma_run()
    assert got == want


# vfmacc.vf at SEW 32 with an infinite scalar and vl = 13: inf x (finite, nonzero) + finite is inf
# exactly, with no flag raised (IEEE 754).  The packed FMA's last group holds three lanes past vl; the
# scalar must not meet zeros there (inf x 0 would raise invalid).
FMA_INF = """
        .globl  _start
_start: li      s1, 12
        la      t6, inf_f
        flw     fa1, 0(t6)
loop:   li      a0, 13
        vsetvli t0, a0, e32, m2, ta, ma
        la      a1, A
        vle32.v v2, (a1)
        la      a1, D
        vle32.v v8, (a1)
        vfmacc.vf v8, fa1, v2
        la      a1, OUT
        vse32.v v8, (a1)
        frflags s2                      # this pass's flags (the block leaves before the CSR access)
        fsflags zero
        addi    s1, s1, -1
        bnez    s1, loop
        li      a0, 0
        li      a7, 93
        ecall
        .data
        .align  6
inf_f:  .word   0x7f800000
        .align  6
A:      .word   0x3f800000, 0x40000000, 0x40400000, 0x40800000, 0x40a00000, 0x3f800000, 0x40000000
        .word   0x40400000, 0x40800000, 0x40a00000, 0x3f800000, 0x40000000, 0x40400000
        .align  6
D:      .word   0x3f800000, 0, 0x40000000, 0x3f800000, 0, 0x40400000, 0x3f800000, 0, 0x40000000
        .word   0x3f800000, 0, 0x40400000, 0x3f800000
        .align  6
OUT:    .zero   64
"""


def _fma_inf_run():
    m = _x60_run(FMA_INF, "fma_inf.s")
    return m, {"totals": m.timing.totals(), "fflags": m.fflags, "s2": int(m.x[18]),
               "out": np.frombuffer(m.read(m.asm_program.symbol("OUT"), 64), "<u4").tolist()}


@pytest.mark.parametrize("hot", ["1", "3"])
def test_vfmacc_vf_with_an_infinite_scalar_raises_nothing(hot, monkeypatch):
    set_jit(monkeypatch, True, hot)
    m, got = _fma_inf_run()
    assert lib.rv_jit_code_bytes(m._core) > 0
    assert got["out"] == [0x7f800000] * 13 + [0, 0, 0]     # +inf, and nothing stored past vl
    assert got["s2"] == 0 and got["fflags"] == 0
    set_jit(monkeypatch, False)
    m2, want = _fma_inf_run()
    assert got == want
