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

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_vector_fp import check_fp, fp_case  # noqa: E402
from test_vector_int import check_case, vector_case  # noqa: E402
from test_vector_mem import check_mem, mem_case  # noqa: E402

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
