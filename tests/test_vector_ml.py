"""Vector ML instructions and the reciprocal estimates against tests/reference/ml_ref.py (and vector_ref.py
for Zvfh): bf16 conversions and vfwmaccbf16 (Zvfbfmin, Zvfbfwma), the int8 dot products (Zvdot4a8i),
vfrec7/vfrsqrt7, and binary16 vector arithmetic with its Zvfh / Zvfhmin gating.

Property tests draw the vector configuration, operands and register file as tests/test_vector_fp.py does;
boundary tests enumerate ties, subnormals, NaNs, overflow and wrap-around.  Set RVSIM_VECTOR_EXAMPLES for
a longer run.
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

from reference import fp  # noqa: E402
from reference import ml_ref as R  # noqa: E402
from reference.vector_ref import Illegal, VState, execute_fp  # noqa: E402
from rvsim.isa import BY_MNEMONIC, INSTRUCTIONS  # noqa: E402
from vector_data.harness import compare, machine, run_one  # noqa: E402

EXAMPLES = int(os.environ.get("RVSIM_VECTOR_EXAMPLES", "40"))
ISA = "rv64gcv_zvfh_zvfbfwma_zvdot4a8i"
LMULS = [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8]
ML_OPS = sorted(r.mnemonic for r in INSTRUCTIONS if r.extension in ("zvfbfmin", "zvfbfwma", "zvdot4a8i")) \
    + ["vfrec7.v", "vfrsqrt7.v"]


# ---------------------------------------------------------------- running one instruction

def run_ml(state, mnemonic, ops, fregs, frm, isa=ISA, reference=None):
    """Run on rvsim and on the reference; returns None after asserting they agree."""
    ref = copy.deepcopy(state)
    ref.vreg = state.vreg.copy()
    ref_f = list(fregs)
    expected = None
    exts = set(isa.split("_")[1:])
    try:
        if reference is None:
            flags = R.execute_vector_ml(ref, mnemonic, ops, frm, ref_f, exts)
        else:
            flags = reference(ref, mnemonic, ops, frm, ref_f, exts)
    except Illegal as exc:
        expected = f"illegal ({exc})"
    m = machine(state.vlen, state.ones, isa)
    m.f[:] = np.array(fregs, np.uint64)
    m.csr["frm"] = frm
    m._hart.fflags = 0
    outcome, m = run_one(state, mnemonic, ops, isa=isa)
    where = f"{mnemonic} {ops} {state} frm={frm} isa={isa}"
    if expected is not None:
        assert outcome == "illegal", f"{where}: reference says {expected}, rvsim: {outcome}"
        return None
    assert outcome is None, f"{where}: rvsim says {outcome}"
    problems = compare(ref, m)
    if int(m._hart.fflags) != flags:
        problems.append(f"fflags: expected {flags:#x} got {int(m._hart.fflags):#x}")
    for i in range(32):
        if int(m.f[i]) != ref_f[i]:
            problems.append(f"f{i}: expected {ref_f[i]:#x} got {int(m.f[i]):#x}")
    assert not problems, where + ":\n" + "\n".join(problems)
    return m


# ---------------------------------------------------------------- property tests

SPECIAL16 = [0, 0x8000, 0x3c00, 0xbc00, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 1, 0x83ff, 0x7bff, 0x0400, 0x0200,
             0x0100, 0x03ff, 0x5800]
SPECIAL_BF16 = [0, 0x8000, 0x3f80, 0xbf80, 0x7f80, 0xff80, 0x7fc0, 0x7f81, 1, 0x807f, 0x7f7f, 0x0080, 0x0040,
                0x4f00, 0x7f00, 0x3f81]
SPECIAL32 = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 1,
             0x807fffff, 0x7f7fffff, 0x00800000, 0x00400000, 0x00200000, 0x00100000, 0x3f808000, 0x3f818000,
             0x7f7f8000, 0x477fe000]
SPECIAL64 = [0, 1 << 63, 0x3ff0000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
             0x7ff0000000000001, 1, 0x7fefffffffffffff, 0x0010000000000000, 0x0008000000000000,
             0x0004000000000000, 0x0002000000000000]


def fill(rng, vreg, bf16=False):
    """Registers of random widths with ordinary and special values (bf16 patterns at 16 bits when
    asked, else binary16)."""
    for r in range(32):
        w = int(rng.choice([16, 32, 64]))
        n = vreg.shape[1] * 8 // w
        if w == 16:
            if bf16:
                vals = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)).astype(np.float32)
                vals = (vals.view(np.uint32) >> 16).astype(np.uint16)
                specials = np.array(SPECIAL_BF16, np.uint16)
            else:
                vals = (rng.standard_normal(n) * 10.0 ** rng.integers(-2, 3, n)).astype(np.float16).view(np.uint16)
                specials = np.array(SPECIAL16, np.uint16)
        elif w == 32:
            vals = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)).astype(np.float32).view(np.uint32)
            specials = np.array(SPECIAL32, np.uint32)
        else:
            vals = (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)).view(np.uint64)
            specials = np.array(SPECIAL64, np.uint64)
        pick = rng.random(n) < 0.2
        vals[pick] = rng.choice(specials, int(pick.sum()))
        if rng.random() < 0.15:
            vals = rng.integers(0, 2 ** w, n, dtype={16: np.uint16, 32: np.uint32, 64: np.uint64}[w])
        vreg[r] = np.frombuffer(vals.tobytes(), np.uint8)


@st.composite
def ml_case(draw, mnemonics, sews=(16, 16, 32, 32, 64, 8)):
    mnemonic = draw(st.sampled_from(mnemonics))
    insn = BY_MNEMONIC[mnemonic]
    vlen = draw(st.sampled_from([128, 256]))
    # mostly the SEW the instruction is defined at, sometimes any
    natural = 32 if mnemonic.startswith("vdot4a") else 16 if "bf16" in mnemonic else None
    sew = draw(st.sampled_from(sews + ((natural,) * (2 * len(sews)) if natural else ())))
    lmul = draw(st.sampled_from([x for x in LMULS if sew <= x * 64]))
    vlmax = int(lmul * vlen // sew)
    vl = draw(st.one_of(st.just(vlmax), st.integers(0, vlmax)))
    vstart = draw(st.one_of(st.just(0), st.just(0), st.just(0), st.integers(0, vlmax)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    vreg = np.zeros((32, vlen // 8), np.uint8)
    fill(rng, vreg, bf16="bf16" in mnemonic)
    state = VState(vlen=vlen, vreg=vreg, sew=sew, lmul=lmul, vta=draw(st.integers(0, 1)),
                   vma=draw(st.integers(0, 1)), vl=vl, vstart=vstart, ones=draw(st.booleans()))
    state.x = [0] + [int(v) for v in rng.integers(0, 2**64, 31, dtype=np.uint64)]
    ops = {}
    group = max(1, int(lmul)) * 2
    # mostly distinct aligned groups (besides v0), sometimes any register
    distinct = iter(draw(st.permutations(range(group, 32, group))))
    for k in insn.operands:
        if k.role == "vreg":
            ops[k.name] = draw(st.one_of(st.integers(0, 31), st.just(next(distinct, 0)), st.just(next(distinct, 0)),
                                         st.just(next(distinct, 0))))
        elif k.role in ("freg", "xreg"):
            ops[k.name] = draw(st.integers(0, 31))
        elif k.role == "vm":
            ops[k.name] = draw(st.integers(0, 1))
    fregs = []
    for _ in range(32):
        kind = rng.integers(0, 4)
        if kind == 0:
            fregs.append(((1 << 48) - 1) << 16 | int(rng.choice(SPECIAL_BF16)))
        elif kind == 1:
            fregs.append(((1 << 48) - 1) << 16 | int(rng.integers(0, 2**16)))
        elif kind == 2:
            fregs.append((0xffffffff << 32) | int(rng.choice(SPECIAL32)))
        else:
            fregs.append(int(rng.integers(0, 2**64, dtype=np.uint64)))
    frm = draw(st.sampled_from([0, 0, 0, 1, 2, 3, 4, 1, 2, 3, 4, 5, 7]))      # 5..7: reserved
    return mnemonic, ops, state, fregs, frm


@settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=list(HealthCheck))
@given(ml_case(ML_OPS))
def test_ml_instructions(case):
    mnemonic, ops, state, fregs, frm = case
    run_ml(state, mnemonic, ops, fregs, frm)


@settings(max_examples=EXAMPLES * 3, deadline=None, suppress_health_check=list(HealthCheck))
@given(ml_case(["vfrec7.v", "vfrsqrt7.v"], sews=(16, 32)))
def test_estimates_without_zvfh(case):
    mnemonic, ops, state, fregs, frm = case
    run_ml(state, mnemonic, ops, fregs, frm, isa="rv64gcv")


# Zvfh: every vector FP instruction at SEW=16 with exact IEEE binary16 rounding and flags
FP_OPS = sorted(r.mnemonic for r in INSTRUCTIONS
                if "v" in r.extensions and r.match & 0x7f == 0x57 and (r.match >> 12) & 7 in (1, 5)
                and r.mnemonic not in ("vfrsqrt7.v", "vfrec7.v"))


def _execute_fp(st, mnemonic, ops, frm, fregs, exts):
    return execute_fp(st, mnemonic, ops, frm, fregs, exts=exts)


@settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=list(HealthCheck))
@given(ml_case(FP_OPS, sews=(16, 16, 16, 8, 32)))
def test_zvfh_half_precision(case):
    mnemonic, ops, state, fregs, frm = case
    run_ml(state, mnemonic, ops, fregs, frm, isa="rv64gcv_zvfh", reference=_execute_fp)


@pytest.mark.parametrize("isa", ["rv64gcv", "rv64gcv_zvfhmin", "rv64gcv_zvfh"])
def test_half_precision_gating(isa):
    """Which FP instructions exist at SEW=16 and SEW=8 under no Zvfh*, Zvfhmin and Zvfh: the reference
    (zvfh.adoc / zvfhmin.adoc) and rvsim must agree for every one (with plain operands: v8 <- v16, v24)."""
    exts = set(isa.split("_")[1:])
    vreg = np.zeros((32, 16), np.uint8)
    disagreements = []
    for mnemonic in FP_OPS:
        insn = BY_MNEMONIC[mnemonic]
        ops = {k.name: {"vd": 8, "vs2": 16, "vs1": 24, "vm": 1}.get(k.name, 1) for k in insn.operands}
        for sew in (8, 16):
            state = VState(vlen=128, vreg=vreg.copy(), sew=sew, lmul=1, vl=4)
            state.x = [0] * 32
            fregs = [(1 << 64) - 1] * 32
            try:
                execute_fp(copy.deepcopy(state), mnemonic, ops, 0, list(fregs), exts=exts)
                legal = True
            except Illegal:
                legal = False
            m = machine(128, False, isa)
            m.f[:] = np.array(fregs, np.uint64)
            m.csr["frm"] = 0
            outcome, _ = run_one(state, mnemonic, ops, isa=isa)
            if legal != (outcome is None):
                disagreements.append(f"{mnemonic} SEW={sew}: reference {'legal' if legal else 'illegal'}, "
                                     f"rvsim {outcome}")
    assert not disagreements, "\n".join(disagreements)


def test_zvfhmin_defines_only_the_two_conversions():
    exts = {"zvfhmin"}
    legal = []
    for mnemonic in FP_OPS:
        insn = BY_MNEMONIC[mnemonic]
        ops = {k.name: {"vd": 8, "vs2": 16, "vs1": 24, "vm": 1}.get(k.name, 1) for k in insn.operands}
        st_ = VState(vlen=128, vreg=np.zeros((32, 16), np.uint8), sew=16, lmul=1, vl=4)
        try:
            execute_fp(st_, mnemonic, ops, 0, [0] * 32, exts=exts)
        except Illegal:
            continue
        # FP-to-FP at SEW=16 needs binary16; the integer<->FP ones that pass are int16 <-> f32
        if not set(mnemonic.split(".")) & {"x", "xu"}:
            legal.append(mnemonic)
    assert sorted(legal) == ["vfncvt.f.f.w", "vfwcvt.f.f.v"]


# ---------------------------------------------------------------- boundary cases

def run_vec(mnemonic, ops, sew, lmul, vl, inputs, frm=0, isa=ISA, vlen=1024, x=None):
    """Run one unmasked instruction with the registers from ``inputs`` ({first register: array}) and
    everything else zero; returns (machine, fflags)."""
    state = VState(vlen=vlen, vreg=np.zeros((32, vlen // 8), np.uint8), sew=sew, lmul=lmul, vl=vl)
    state.x = list(x) if x else [0] * 32
    flat = state.vreg.reshape(-1)
    for reg, arr in inputs.items():
        b = np.ascontiguousarray(arr).view(np.uint8)
        flat[reg * vlen // 8: reg * vlen // 8 + b.size] = b
    m = machine(vlen, False, isa)
    m.csr["frm"] = frm
    m._hart.fflags = 0
    outcome, m = run_one(state, mnemonic, {"vm": 1, **ops}, isa=isa)
    assert outcome is None, (mnemonic, ops, sew, lmul, outcome)
    return m, int(m._hart.fflags)


def _batch(sew, values, mnemonic, frm=0, isa=ISA, vlen=1024):
    """`mnemonic` (single-width unary) over `values` in groups of VLMAX at LMUL=8: (results, flags)."""
    dt = {16: np.uint16, 32: np.uint32, 64: np.uint64}[sew]
    vlmax = vlen * 8 // sew
    out, flags = [], []
    for start in range(0, len(values), vlmax):
        chunk = np.array(values[start:start + vlmax], dtype=dt)
        m, fl = run_vec(mnemonic, {"vd": 16, "vs2": 8}, sew, 8, len(chunk), {8: chunk}, frm, isa, vlen)
        out.extend(m.vreg(16, dt, 8)[:len(chunk)].tolist())
        flags.append(fl)
    return out, flags


def _edge_inputs(fmt):
    """Every sign, the exponents at and near the ends of the range and some in between, subnormals of
    each leading-zero count, and all 128 top-significand patterns, plus the specials."""
    f = fp.FORMATS[fmt]
    values = set()
    emax = (1 << f.exp_bits) - 1
    exps = sorted({0, 1, 2, 3, f.bias - 2, f.bias - 1, f.bias, f.bias + 1, emax - 3, emax - 2, emax - 1})
    for sign in (0, 1):
        for e in exps:
            for top in range(128):
                frac = top << (f.frac_bits - 7)
                values.add(sign << (f.width - 1) | e << f.frac_bits | frac)
                values.add(sign << (f.width - 1) | e << f.frac_bits | frac | 1)
        for lz in range(f.frac_bits):
            values.add(sign << (f.width - 1) | (1 << (f.frac_bits - 1 - lz)))
            values.add(sign << (f.width - 1) | ((1 << (f.frac_bits - lz)) - 1))
        values.add(sign << (f.width - 1) | emax << f.frac_bits)                    # inf
        values.add(sign << (f.width - 1) | emax << f.frac_bits | 1)                # sNaN
        values.add(sign << (f.width - 1) | emax << f.frac_bits | 1 << (f.frac_bits - 1))   # qNaN
    return sorted(values)


@pytest.mark.parametrize("sew", [16, 32, 64])
def test_estimates_edge_values(sew):
    fmt = {16: fp.F16, 32: fp.F32, 64: fp.F64}[sew]
    values = _edge_inputs(fmt) if sew > 16 else list(range(1 << 16))     # binary16: every input
    for frm in (fp.RNE, fp.RTZ, fp.RDN, fp.RUP, fp.RMM):
        got, _ = _batch(sew, values, "vfrec7.v", frm)
        bad = [(hex(v), hex(g), hex(R.rec7(fmt, v, frm)[0])) for v, g in zip(values, got)
               if g != R.rec7(fmt, v, frm)[0]]
        assert not bad, f"vfrec7 SEW={sew} frm={frm}: {bad[:8]}"
    got, _ = _batch(sew, values, "vfrsqrt7.v")
    bad = [(hex(v), hex(g)) for v, g in zip(values, got) if g != R.rsqrt7(fmt, v)[0]]
    assert not bad, f"vfrsqrt7 SEW={sew}: {bad[:8]}"


@pytest.mark.parametrize("sew", [16, 32, 64])
def test_estimate_flags_one_at_a_time(sew):
    """Flags per special input (each its own instruction), every rounding mode for the overflow cases."""
    fmt = {16: fp.F16, 32: fp.F32, 64: fp.F64}[sew]
    f = fp.FORMATS[fmt]
    emax = (1 << f.exp_bits) - 1
    cases = []
    for sign in (0, 1):
        sb = sign << (f.width - 1)
        cases += [sb, sb | emax << f.frac_bits, sb | emax << f.frac_bits | 1,
                  sb | emax << f.frac_bits | 1 << (f.frac_bits - 1), sb | 1, sb | 1 << (f.frac_bits - 2),
                  sb | 1 << (f.frac_bits - 1), sb | (1 << (f.frac_bits - 2)) - 1, sb | f.bias << f.frac_bits,
                  sb | (emax - 1) << f.frac_bits, sb | (emax - 2) << f.frac_bits | 5]
    for v in cases:
        for frm in (fp.RNE, fp.RTZ, fp.RDN, fp.RUP, fp.RMM):
            for mn, ref in (("vfrec7.v", lambda: R.rec7(fmt, v, frm)), ("vfrsqrt7.v", lambda: R.rsqrt7(fmt, v))):
                got, flags = _batch(sew, [v], mn, frm)
                assert (got[0], flags[0]) == ref(), (mn, sew, hex(v), frm, hex(got[0]), flags, ref())


def test_estimate_spec_examples():
    # vector-common.adoc's worked examples (SEW=32)
    got, _ = _batch(32, [0x00718abc, 0x7f765432], "vfrsqrt7.v")
    assert got == [0x5f080000, 0x1f820000]
    got, _ = _batch(32, [0x00718abc, 0x7f765432], "vfrec7.v")
    assert got == [0x7e900000, 0x00214000]


def test_estimate_tables_are_the_spec_tables():
    # the reference derives its tables from the defining formula; spot values of the spec's tables
    assert R.REC7[:8] == [127, 125, 123, 121, 119, 117, 116, 114] and R.REC7[-4:] == [2, 1, 1, 0]
    assert R.RSQRT7[:4] == [52, 51, 50, 48] and R.RSQRT7[64:68] == [127, 125, 123, 121]
    assert R.RSQRT7[63] == 0 and R.RSQRT7[127] == 53


def test_bf16_narrowing_boundaries():
    """fp32 -> bf16 at every rounding mode: ties to even/odd, just above/below a tie, overflow to inf or
    the largest bf16, subnormals and underflow, NaNs (signaling raises NV, the result is 0x7fc0), zeros;
    one element per instruction so that each one's flags are checked."""
    values = []
    for hi in (0x3f80, 0x3f81, 0x0000, 0x0001, 0x007f, 0x0080, 0x7f7e, 0x7f7f, 0x7f80, 0x7fc0, 0x7f81):
        for lo in (0, 1, 0x7fff, 0x8000, 0x8001, 0xffff):
            for sign in (0, 0x8000):
                values.append((hi | sign) << 16 | lo)
    for frm in (fp.RNE, fp.RTZ, fp.RDN, fp.RUP, fp.RMM):
        for v in values:
            m, fl = run_vec("vfncvtbf16.f.f.w", {"vd": 1, "vs2": 2}, 16, 1, 1, {2: np.array([v], np.uint32)},
                            frm, vlen=128)
            got = int(m.vreg(1, np.uint16)[0])
            assert (got, fl) == R.bf16_narrow(v, frm), (hex(v), frm, hex(got), fl)


def test_bf16_widening_every_input():
    values = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    per = 1024 * 4 // 16                        # VLMAX at LMUL=4, SEW=16
    for start in range(0, len(values), per):
        chunk = values[start:start + per]
        m, fl = run_vec("vfwcvtbf16.f.f.v", {"vd": 16, "vs2": 8}, 16, 4, len(chunk), {8: chunk})
        got = m.vreg(16, np.uint32, 8)[:len(chunk)].tolist()
        want = [R.bf16_widen(v) for v in chunk.tolist()]
        assert got == [w for w, _ in want], start
        expect = 0
        for _, f in want:
            expect |= f
        assert fl == expect


def _wmacc_values():
    one, big, tiny = 0x3f80, 0x7f7f, 0x0001
    bf = [0, 0x8000, one, 0xbf80, big, 0xff7f, tiny, 0x8001, 0x0080, 0x7f80, 0xff80, 0x7fc0, 0x7f81, 0x3f81,
          0x4000, 0x3c00, 0x2000, 0x1f80]
    acc = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000,
           0x7f800001, 0x00000001, 0x80800000, 0x33800000, 0x3f800001, 0x4b800000, 0xcb800001]
    return bf, acc


def test_vfwmaccbf16_boundaries():
    """d + a*b over special and boundary operands (products that overflow fp32, inf*0 with a NaN addend,
    signaling NaNs, ties of the final addition, subnormal results), every rounding mode; each
    instruction covers one (a, b) pair against one accumulator so that flags are exact."""
    bf, acc = _wmacc_values()
    for frm in (fp.RNE, fp.RTZ, fp.RDN, fp.RUP, fp.RMM):
        for a in bf:
            for b in bf:
                for d in acc:
                    m, fl = run_vec("vfwmaccbf16.vv", {"vd": 4, "vs1": 3, "vs2": 2}, 16, 1, 1,
                                    {2: np.array([a], np.uint16), 3: np.array([b], np.uint16),
                                     4: np.array([d], np.uint32)}, frm, vlen=128)
                    got = int(m.vreg(4, np.uint32)[0])
                    assert (got, fl) == R.bf16_wmacc(d, b, a, frm), (hex(a), hex(b), hex(d), frm, hex(got), fl)


def test_vfwmaccbf16_scalar_nan_boxing():
    """The .vf scalar is a bf16 NaN-boxed in f[rs1]; an improperly boxed value reads as the canonical NaN."""
    m = machine(128, False, ISA)
    for freg, expect_nan in (((1 << 48) - 1) << 16 | 0x3f80, False), (0xffff0000ffff3f80, True), (0x3f80, True):
        state = VState(vlen=128, vreg=np.zeros((32, 16), np.uint8), sew=16, lmul=1, vl=4)
        state.x = [0] * 32
        state.vreg[2] = np.frombuffer(np.full(8, 0x4000, np.uint16).tobytes(), np.uint8)    # 2.0
        m.f[5] = freg
        m._hart.fflags = 0
        outcome, m = run_one(state, "vfwmaccbf16.vf", {"vd": 4, "fs1": 5, "vs2": 2, "vm": 1}, isa=ISA)
        assert outcome is None
        got = m.vreg(4, np.uint32)[:4].tolist()
        assert got == ([0x7fc00000] * 4 if expect_nan else [0x40000000] * 4), [hex(g) for g in got]


def test_dot_products_wrap_and_extremes():
    """Every signedness variant over the extreme byte values, accumulators at the int32 edges (wrap-around
    in both directions), and the .vx scalar's upper bits ignored."""
    bytes_ = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xff]
    words = [sum(b << 8 * k for k in range(4)) for b in bytes_] + [0x807f01ff, 0x7f80ff01, 0x01020304]
    accs = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x7fff0000, 0x8000ffff]
    pairs = [(a, d) for a in words for d in accs]
    avec = np.array([a for a, _ in pairs], np.uint32)
    dvec = np.array([d for _, d in pairs], np.uint32)
    for name, (a_signed, b_signed) in R.DOT4_SIGNS.items():
        for form in (("vv", "vx") if name != "vdot4aus" else ("vx",)):
            for b in words:
                x = [0] * 32
                x[7] = (0xdeadbeef << 32) | b
                ops = {"vd": 16, "vs2": 8, **({"vs1": 24} if form == "vv" else {"rs1": 7})}
                m, _ = run_vec(f"{name}.{form}", ops, 32, 8, len(pairs),
                               {8: avec, 16: dvec, 24: np.full(len(pairs), b, np.uint32)}, vlen=256, x=x)
                got = m.vreg(16, np.uint32, 8)[:len(pairs)].tolist()
                want = [(d + R.dot4(a, b, a_signed, b_signed)) % 2**32 for a, d in pairs]
                assert got == want, f"{name}.{form} b={b:#x}"


def test_dot4_reference_by_hand():
    assert R.dot4(0x80808080, 0x80808080, True, True) == 4 * 128 * 128
    assert R.dot4(0xffffffff, 0xffffffff, False, False) == 4 * 255 * 255
    assert R.dot4(0x80808080, 0xffffffff, True, False) == -4 * 128 * 255
    assert R.dot4(0xffffffff, 0x80808080, False, True) == -4 * 128 * 255
    assert R.dot4(0x04030201, 0x01010101, True, True) == 10


def test_ml_extensions_are_illegal_without_their_isa_letter():
    state = VState(vlen=128, vreg=np.zeros((32, 16), np.uint8), sew=32, lmul=1, vl=4)
    state.x = [0] * 32
    for mnemonic, ops in (("vdot4a.vv", {"vd": 1, "vs2": 2, "vs1": 3, "vm": 1}),
                          ("vfwmaccbf16.vv", {"vd": 2, "vs2": 4, "vs1": 5, "vm": 1}),
                          ("vfwcvtbf16.f.f.v", {"vd": 2, "vs2": 4, "vm": 1})):
        state.sew = 32 if mnemonic.startswith("vdot") else 16
        assert run_one(state, mnemonic, ops, isa="rv64gcv")[0] == "illegal"
    # Zvfbfmin alone has the conversions but not the multiply-add
    state.sew = 16
    assert run_one(state, "vfwcvtbf16.f.f.v", {"vd": 2, "vs2": 4, "vm": 1}, isa="rv64gcv_zvfbfmin")[0] is None
    assert run_one(state, "vfwmaccbf16.vv", {"vd": 2, "vs2": 4, "vs1": 5, "vm": 1},
                   isa="rv64gcv_zvfbfmin")[0] == "illegal"
