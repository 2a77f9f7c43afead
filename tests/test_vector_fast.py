"""The fast paths of csrc/exec_v.inc against the reference model.

A vector instruction's decode slot is specialised after the general path runs it unmasked (exec_v.inc):
later executions check only that vtype is still the recorded one and vstart is 0.  The harness already
runs every case twice (general path, then fast path).  Here each example runs one encoding of a
fast-path op on two drawn states in turn without re-decoding it, so the second state meets a slot
specialised under the first one's vtype: other SEW/LMUL/policies, vill, vstart != 0, misaligned
groups (illegal), another frm, pages that do not allow the block copy.
"""
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_vector_fp import check_fp, fp_case  # noqa: E402
from test_vector_int import check_case, vector_case  # noqa: E402
from test_vector_mem import check_mem, mem_case  # noqa: E402
from reference.vector_ref import VState  # noqa: E402
from rvsim.isa import INSTRUCTIONS  # noqa: E402
from vector_data.harness import run_one  # noqa: E402

EXAMPLES = int(os.environ.get("RVSIM_VECTOR_EXAMPLES", "40"))

FAST_INT = ["vadd.vv", "vadd.vx", "vadd.vi", "vsub.vv", "vsub.vx", "vrsub.vx", "vand.vv", "vand.vx",
            "vor.vv", "vxor.vv", "vsll.vi", "vsrl.vi", "vmul.vv", "vmul.vx", "vmacc.vv", "vmacc.vx",
            "vmv.v.v", "vmv.v.x", "vmv.v.i"]
FAST_FP = ["vfadd.vv", "vfadd.vf", "vfsub.vv", "vfsub.vf", "vfmul.vv", "vfmul.vf", "vfmv.v.f",
           "vfmacc.vv", "vfmacc.vf"]
FAST_MEM = [f"v{kind}e{eew}.v" for kind in ("l", "s") for eew in (8, 16, 32, 64)]


@settings(max_examples=EXAMPLES * 5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_integer_fast_paths(data):
    mnemonic = data.draw(st.sampled_from(FAST_INT))
    _, ops, first = data.draw(vector_case([mnemonic]))
    _, _, second = data.draw(vector_case([mnemonic]))
    check_case(mnemonic, ops, first)
    check_case(mnemonic, ops, second)


@settings(max_examples=EXAMPLES * 5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fp_fast_paths(data):
    mnemonic = data.draw(st.sampled_from(FAST_FP))
    _, ops, first, fregs1, frm1 = data.draw(fp_case([mnemonic]))
    _, _, second, fregs2, frm2 = data.draw(fp_case([mnemonic]))
    check_fp(mnemonic, ops, first, fregs1, frm1)
    check_fp(mnemonic, ops, second, fregs2, frm2)


@settings(max_examples=EXAMPLES * 5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_unit_stride_fast_paths(data):
    mnemonic = data.draw(st.sampled_from(FAST_MEM))
    _, ops, first, memory1 = data.draw(mem_case([mnemonic]))
    _, ops2, second, memory2 = data.draw(mem_case([mnemonic]))
    second.x[ops["rs1"]] = second.x[ops2["rs1"]]      # the second state's base, in the first's register
    check_mem(mnemonic, ops, first, memory1)
    check_mem(mnemonic, ops, second, memory2)


VL_ZERO_OPS = sorted(r.mnemonic for r in INSTRUCTIONS
                     if "v" in r.extensions and r.match & 0x7F == 0x57 and (r.match >> 12) & 7 != 7
                     and not r.mnemonic.startswith(("vmv1r", "vmv2r", "vmv4r", "vmv8r")))


@pytest.mark.parametrize("vl,vstart", [(0, 0), (2, 2), (1, 3)])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("mnemonic", VL_ZERO_OPS)
def test_vl_zero_writes_no_vector_register(mnemonic, masked, vl, vstart):
    """With vstart >= vl (vl = 0 among them) no element of any destination is written -- not the body,
    and not the tail or the masked-off elements as all ones under agnostic policies with the "ones"
    option (vfmacc's fast path once filled the tail).  Scalar results (vmv.x.s, vcpop.m...) may still
    be written; instructions that reject a non-zero vstart may trap instead."""
    insn = next(r for r in INSTRUCTIONS if r.mnemonic == mnemonic)
    rng = np.random.default_rng(len(mnemonic))
    for _ in range(2):                       # the second run may take a specialised fast path
        state = VState(vlen=128, vreg=rng.integers(0, 256, (32, 16), dtype=np.uint8), sew=32, lmul=1,
                       vta=1, vma=1, vl=vl, vstart=vstart, ones=True)
        state.x = [0] * 32
        ops = {k.name: {"vd": 8, "vs2": 16, "vs1": 24, "rs1": 5, "vm": 0 if masked else 1}.get(k.name, 1)
               for k in insn.operands}
        before = state.vreg.copy()
        outcome, m = run_one(state, mnemonic, ops, isa="rv64gcv_zvfh_zvfbfwma_zvdot4a8i")
        if outcome == "illegal":
            continue
        assert outcome is None, (mnemonic, outcome)
        assert np.array_equal(m.v, before), (mnemonic, [r for r in range(32) if (m.v[r] != before[r]).any()])
