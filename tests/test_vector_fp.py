"""Vector floating-point instructions against the reference model (exact flags, every rounding mode).

The reference's FP arithmetic is tests/reference/fp.py (exact rational arithmetic); the vector layer
(masking, policies, widening/narrowing, reductions) is tests/reference/vector_ref.py.  rvsim is built
without Zvfh here, so SEW=16 FP is illegal except where integer<->FP conversions allow it.
"""
import copy
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference.vector_ref import Illegal, VState, execute_fp  # noqa: E402
from rvsim.isa import INSTRUCTIONS  # noqa: E402
from vector_data.harness import (MSTATUS_FS_DIRTY, MSTATUS_FS_MASK, compare, draw_vector_config,  # noqa: E402
                                 machine, run_one)  # noqa: E402

EXAMPLES = int(os.environ.get("RVSIM_VECTOR_EXAMPLES", "40"))
# vfrsqrt7.v and vfrec7.v are tested in test_vector_ml.py
FP_OPS = sorted(r.mnemonic for r in INSTRUCTIONS
                if "v" in r.extensions and r.match & 0x7f == 0x57 and (r.match >> 12) & 7 in (1, 5))
SPECIAL32 = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 1,
             0x807fffff, 0x7f7fffff, 0x00800000, 0x4f000000, 0xcf000000, 0x5f800000, 0x3effffff]
SPECIAL64 = [0, 1 << 63, 0x3ff0000000000000, 0xbff0000000000000, 0x7ff0000000000000, 0xfff0000000000000,
             0x7ff8000000000000, 0x7ff0000000000001, 1, 0x7fefffffffffffff, 0x0010000000000000,
             0x43e0000000000000, 0xc3e0000000000000, 0x41e0000000000000]


def fill(rng, vreg, sew_choices):
    """Registers hold mostly ordinary floats of random widths, with special values sprinkled in."""
    for r in range(32):
        w = int(rng.choice(sew_choices))
        n = vreg.shape[1] * 8 // w
        if w == 32:
            vals = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)).astype(np.float32).view(np.uint32)
            specials = np.array(SPECIAL32, np.uint32)
        elif w == 64:
            vals = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)).view(np.uint64)
            specials = np.array(SPECIAL64, np.uint64)
        else:
            vals = rng.integers(0, 2**16, n, dtype=np.uint16)
            specials = vals[:1]
        pick = rng.random(n) < 0.15
        vals[pick] = rng.choice(specials, int(pick.sum()))
        if rng.random() < 0.2:
            vals = (rng.integers(-1000, 1000, n)).astype({16: np.int16, 32: np.int32, 64: np.int64}[w]).view(vals.dtype)
        vreg[r] = np.frombuffer(vals.tobytes(), np.uint8)


@st.composite
def fp_case(draw, mnemonics):
    mnemonic = draw(st.sampled_from(mnemonics))
    insn = next(r for r in INSTRUCTIONS if r.mnemonic == mnemonic)
    vlen = draw(st.sampled_from([128, 256]))
    sew, lmul, vl, vstart, vta, vma = draw_vector_config(draw, vlen, sew=draw(st.sampled_from([32, 64, 32, 64, 16, 8])))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    vreg = np.zeros((32, vlen // 8), np.uint8)
    fill(rng, vreg, [sew if sew >= 32 else 32, 2 * sew if sew <= 32 else 64])
    state = VState(vlen=vlen, vreg=vreg, sew=sew, lmul=lmul, vta=vta, vma=vma, vl=vl, vstart=vstart,
                   ones=draw(st.booleans()))
    state.x = [0] * 32
    ops = {}
    group = max(1, int(lmul)) * 2
    for k in insn.operands:
        if k.role == "vreg":
            ops[k.name] = draw(st.one_of(st.integers(0, 31), st.integers(0, 32 // group - 1).map(lambda r: r * group)))
        elif k.role in ("freg", "xreg"):
            ops[k.name] = draw(st.integers(0, 31))
        elif k.role == "vm":
            ops[k.name] = draw(st.integers(0, 1))
    fregs = [int(v) for v in rng.integers(0, 2**64, 32, dtype=np.uint64)]
    for i in range(32):
        kind = rng.integers(0, 4)
        if kind == 0:
            fregs[i] = (0xffffffff << 32) | int(rng.choice(SPECIAL32))
        elif kind == 1:
            fregs[i] = (0xffffffff << 32) | int(np.float32(rng.standard_normal() * 100).view(np.uint32))
        elif kind == 2:
            fregs[i] = int(np.float64(rng.standard_normal() * 100).view(np.uint64))
    frm = draw(st.one_of(st.just(0), st.integers(0, 4), st.integers(5, 7)))
    return mnemonic, ops, state, fregs, frm


def check_fp(mnemonic, ops, state, fregs, frm):
    ref = copy.deepcopy(state)
    ref.vreg = state.vreg.copy()
    ref_f = list(fregs)
    expected = None
    try:
        flags = execute_fp(ref, mnemonic, ops, frm, ref_f)
    except Illegal as exc:
        expected = f"illegal ({exc})"
    m = machine(state.vlen, state.ones)
    m.f[:] = np.array(fregs, np.uint64)
    m.csr["frm"] = frm
    m.csr["fflags"] = 0
    m._hart.fflags = 0
    outcome, m = run_one(state, mnemonic, ops)
    if expected is not None:
        assert outcome == "illegal", f"{mnemonic} {ops} {state} frm={frm}: reference says {expected}, rvsim: {outcome}"
        return
    assert outcome is None, f"{mnemonic} {ops} {state} frm={frm}: rvsim says {outcome}"
    problems = compare(ref, m)
    # the hart field (accrued when run() returned), not the CSR: reading the CSR also accrues the host's
    # FP flags, which the test's own numpy arithmetic may have raised
    got_flags = int(m._hart.fflags)
    if got_flags != flags:
        problems.append(f"fflags: expected {flags:#x} got {got_flags:#x}")
    for i in range(32):
        if int(m.f[i]) != ref_f[i]:
            problems.append(f"f{i}: expected {ref_f[i]:#x} got {int(m.f[i]):#x}")
    # "Any vector floating-point instruction that modifies any floating-point extension state (i.e.,
    # floating-point CSRs or f registers) must set mstatus.FS to Dirty" (the V spec, vector-common.adoc);
    # run_one starts it Initial
    fs = int(m._hart.mstatus) & MSTATUS_FS_MASK
    if (flags or ref_f != list(fregs)) and fs != MSTATUS_FS_DIRTY:
        problems.append(f"mstatus.FS: {fs >> 13} after changing FP state, expected 3 (Dirty)")
    assert not problems, f"{mnemonic} {ops} {state} frm={frm}:\n" + "\n".join(problems)


@settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=list(HealthCheck))
@given(fp_case(FP_OPS))
def test_fp_instructions(case):
    check_fp(*case)


@settings(max_examples=EXAMPLES * 5, deadline=None, suppress_health_check=list(HealthCheck))
@given(fp_case([m for m in FP_OPS if "cvt" in m]))
def test_fp_conversions(case):
    check_fp(*case)


@settings(max_examples=EXAMPLES * 3, deadline=None, suppress_health_check=list(HealthCheck))
@given(fp_case(["vfrec7.v", "vfrsqrt7.v"]))
def test_reciprocal_estimates(case):
    check_fp(*case)


def test_reciprocal_estimates_spec_examples():
    """The worked examples of the V specification (SEW=32), also through the reference model."""
    from reference.vector_ref import estimate
    examples = [("vfrsqrt7.v", 0x00718abc, 0x5f080000), ("vfrsqrt7.v", 0x7f765432, 0x1f820000),
                ("vfrec7.v", 0x00718abc, 0x7e900000), ("vfrec7.v", 0x7f765432, 0x00214000)]
    for mn, x, want in examples:
        assert estimate(2, x, mn == "vfrsqrt7.v", 0) == (want, 0)
        vreg = np.zeros((32, 16), np.uint8)
        vreg[2, :4] = np.frombuffer(x.to_bytes(4, "little"), np.uint8)
        state = VState(vlen=128, vreg=vreg, sew=32, lmul=1, vl=1)
        state.x = [0] * 32
        m = machine(128, False)
        m.csr["frm"] = 0
        outcome, m = run_one(state, mn, {"vd": 1, "vs2": 2, "vm": 1})
        assert outcome is None
        assert int.from_bytes(m.v[1, :4].tobytes(), "little") == want, mn


@pytest.mark.parametrize("mnemonic", ["vfmacc.vv", "vfmacc.vf", "vfnmsac.vv", "vfmadd.vv", "vfnmadd.vf"])
@pytest.mark.parametrize("sew", [32, 64])
def test_fma_of_infinity_times_zero_plus_quiet_nan_is_invalid(mnemonic, sew):
    """inf * 0 + qNaN raises NV on RISC-V (the host's fma need not): every element of the multiply-add
    family, first run and fast-path rerun alike, against the reference model."""
    n = 128 // sew
    dt = np.float32 if sew == 32 else np.float64
    vreg = np.zeros((32, 16), np.uint8)
    vreg[8] = np.full(n, np.inf, dt).view(np.uint8)          # vs2
    vreg[16] = np.zeros(n, dt).view(np.uint8)                # vs1
    vreg[24] = np.full(n, np.nan, dt).view(np.uint8)         # vd (a quiet NaN)
    state = VState(vlen=128, vreg=vreg, sew=sew, lmul=1, vl=n)
    state.x = [0] * 32
    fregs = [0] * 32                                         # f1 = +0.0 for the .vf forms
    fregs[1] = 0xFFFFFFFF00000000 if sew == 32 else 0        # (NaN-boxed at SEW=32)
    ops = {"vd": 24, "vs2": 8, "vs1": 16, "fs1": 1, "vm": 1}
    insn = next(r for r in INSTRUCTIONS if r.mnemonic == mnemonic)
    ops = {k.name: ops[k.name] for k in insn.operands}
    if mnemonic.startswith(("vfmadd", "vfnmadd")):            # vd is a multiplicand there: put the NaN in vs2
        vreg[8], vreg[24] = vreg[24].copy(), np.full(n, np.inf, dt).view(np.uint8)
    check_fp(mnemonic, ops, state, fregs, 0)
