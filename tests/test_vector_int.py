"""Vector integer, fixed-point, reduction, mask and permutation instructions against the reference model.

Each example draws VLEN, SEW, LMUL, vl, vstart, the policy bits, the agnostic-fill option, operands and the
whole register file, runs one instruction on rvsim and on tests/reference/vector_ref.py, and compares the
register files, x registers, vxsat, vl and vstart (or both must call the encoding illegal).
Set RVSIM_VECTOR_EXAMPLES for a longer run.
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

from reference.vector_ref import Illegal, VState, execute  # noqa: E402
from rvsim.isa import INSTRUCTIONS  # noqa: E402
from vector_data.harness import compare, draw_vector_config, run_one  # noqa: E402

EXAMPLES = int(os.environ.get("RVSIM_VECTOR_EXAMPLES", "40"))

# OP-V integer categories: OPIVV, OPMVV, OPIVI, OPIVX, OPMVX
INTEGER_OPS = sorted(r.mnemonic for r in INSTRUCTIONS
                     if "v" in r.extensions and r.match & 0x7f == 0x57 and (r.match >> 12) & 7 in (0, 2, 3, 4, 6))
SPECIAL_SCALARS = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
                   2**63 - 1, 2**63, 2**64 - 1]


@st.composite
def vector_case(draw, mnemonics):
    mnemonic = draw(st.sampled_from(mnemonics))
    insn = next(r for r in INSTRUCTIONS if r.mnemonic == mnemonic)
    vlen = draw(st.sampled_from([128, 256, 64]))
    sew, lmul, vl, vstart, vta, vma = draw_vector_config(draw, vlen)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    state = VState(vlen=vlen, vreg=rng.integers(0, 256, (32, vlen // 8), dtype=np.uint8), sew=sew, lmul=lmul,
                   vta=vta, vma=vma, vl=vl, vstart=vstart,
                   vxrm=draw(st.integers(0, 3)), ones=draw(st.booleans()))
    # narrow values sometimes, to reach equalities, saturation and small shift amounts
    if draw(st.booleans()):
        state.vreg[1:] &= draw(st.sampled_from([0x01, 0x03, 0x81, 0xff]))
    state.x = [0] + [int(v) for v in rng.integers(0, 2**64, 31, dtype=np.uint64)]
    ops = {}
    group = max(1, int(lmul)) * 2
    for k in insn.operands:
        if k.role == "vreg":
            ops[k.name] = draw(st.one_of(st.integers(0, 31), st.integers(0, 32 // group - 1).map(lambda r: r * group)))
        elif k.role == "xreg":
            ops[k.name] = draw(st.integers(0, 31))
        elif k.role == "vm":
            ops[k.name] = draw(st.integers(0, 1))
        else:
            lo, hi = k.value_range()
            ops[k.name] = draw(st.integers(lo, hi))
    if "rs1" in ops and ops["rs1"]:
        state.x[ops["rs1"]] = draw(st.one_of(st.sampled_from(SPECIAL_SCALARS), st.integers(0, 2**64 - 1),
                                             st.integers(0, 70)))
    return mnemonic, ops, state


def check_case(mnemonic, ops, state):
    ref = copy.deepcopy(state)
    ref.vreg = state.vreg.copy()
    ref.x = list(state.x)
    try:
        execute(ref, mnemonic, ops)
        expected = None
    except Illegal as exc:
        expected = f"illegal ({exc})"
    outcome, m = run_one(state, mnemonic, ops)
    if expected is not None:
        assert outcome == "illegal", f"{mnemonic} {ops}: reference says {expected}, rvsim executed it"
        return
    assert outcome is None, f"{mnemonic} {ops}: rvsim says {outcome}, reference executed it"
    problems = compare(ref, m)
    assert not problems, f"{mnemonic} {ops} sew={state.sew} lmul={state.lmul} vl={state.vl} " \
                         f"vstart={state.vstart}:\n" + "\n".join(problems)


@settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=list(HealthCheck))
@given(vector_case(INTEGER_OPS))
def test_integer_instructions(case):
    check_case(*case)


@pytest.mark.parametrize("mnemonic", INTEGER_OPS)
@settings(max_examples=EXAMPLES // 4 or 1, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_each_integer_instruction(mnemonic, data):
    check_case(*data.draw(vector_case([mnemonic])))


@pytest.mark.parametrize("vlen", [128, 256])
@pytest.mark.parametrize("lmul,ops", [(1, {"vd": 1, "vs2": 3, "vs1": 2, "vm": 1}),
                                      (2, {"vd": 2, "vs2": 6, "vs1": 4, "vm": 1})])
def test_gather_with_the_index_group_overlapping_the_source(vlen, lmul, ops):
    """vrgatherei16.vv at SEW=8 whose EEW=16 indices overlap vs2 (riscv-vector-tests vrgatherei16_vv-0
    and -1): reserved by the spec, executed by Spike, QEMU and rvsim with each group read at its own
    EEW; the indices are small so that the gather reads the overlapping register too."""
    rng = np.random.default_rng(lmul * vlen)
    vreg = rng.integers(0, 256, (32, vlen // 8), dtype=np.uint8)
    n = vlen * lmul // 8
    idx = rng.integers(0, n + 4, n).astype(np.uint16)           # some out of range: 0
    vreg[ops["vs1"]:ops["vs1"] + 2 * lmul] = idx.view(np.uint8).reshape(2 * lmul, vlen // 8)
    state = VState(vlen=vlen, vreg=vreg, sew=8, lmul=lmul, vl=n)
    ref = copy.deepcopy(state)
    ref.vreg = vreg.copy()
    execute(ref, "vrgatherei16.vv", ops)
    src = vreg[ops["vs2"]:ops["vs2"] + lmul].reshape(-1)        # vs2 as the gather reads it (e8)
    want = np.where(idx < n, src[np.minimum(idx, n - 1)], 0).astype(np.uint8)
    assert np.array_equal(ref.vreg[ops["vd"]:ops["vd"] + lmul].reshape(-1), want)
    check_case("vrgatherei16.vv", ops, state)


@pytest.mark.parametrize("mnemonic,ops", [("viota.m", {"vd": 4, "vs2": 1, "vm": 1}),
                                          ("vcompress.vm", {"vd": 4, "vs2": 8, "vs1": 1})])
def test_vl_zero_writes_no_agnostic_tail(mnemonic, ops):
    """Regression: with vl = 0 no destination element is written, not even agnostic tail elements as
    all ones (viota.m and vcompress.vm filled the tail with the "ones" option)."""
    rng = np.random.default_rng(7)
    state = VState(vlen=128, vreg=rng.integers(0, 256, (32, 16), dtype=np.uint8), sew=8, lmul=1, vta=1, vma=1,
                   vl=0, ones=True)
    state.x = [0] * 32
    check_case(mnemonic, ops, state)
