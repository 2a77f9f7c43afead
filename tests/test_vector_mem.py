"""Vector loads and stores (unit-stride, strided, indexed, segment, fault-only-first, whole-register,
mask) against the reference model, including access faults (precise: vstart = faulting element) and
fault-only-first trimming of vl."""
import copy
import os
import sys
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference.vector_ref import Illegal, MemoryFault, VState, execute_mem  # noqa: E402
from rvsim.isa import INSTRUCTIONS  # noqa: E402
from vector_data.harness import DATA, DATA_SIZE, compare, draw_vector_config, run_one  # noqa: E402

EXAMPLES = int(os.environ.get("RVSIM_VECTOR_EXAMPLES", "40"))
MEM_OPS = sorted(r.mnemonic for r in INSTRUCTIONS if "v" in r.extensions and r.match & 0x7f in (0x07, 0x27))


def fields(insn):
    w = insn.match
    return {"nf": ((w >> 29) & 7) + 1, "mop": (w >> 26) & 3, "lumop": (w >> 20) & 31,
            "width": (w >> 12) & 7, "store": (w & 0x7f) == 0x27}


@st.composite
def mem_case(draw, mnemonics):
    mnemonic = draw(st.sampled_from(mnemonics))
    insn = next(r for r in INSTRUCTIONS if r.mnemonic == mnemonic)
    vlen = draw(st.sampled_from([128, 256]))
    sew, lmul, vl, vstart, vta, vma = draw_vector_config(draw, vlen)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    state = VState(vlen=vlen, vreg=rng.integers(0, 256, (32, vlen // 8), dtype=np.uint8), sew=sew, lmul=lmul,
                   vta=vta, vma=vma, vl=vl, vstart=vstart,
                   ones=draw(st.booleans()))
    state.x = [0] * 32
    ops = {}
    for k in insn.operands:
        if k.role == "vreg":
            ops[k.name] = draw(st.one_of(st.integers(0, 31), st.sampled_from([0, 8, 16, 24]),
                                         st.sampled_from([2, 4, 6, 10, 12])))
        elif k.role == "xreg":
            ops[k.name] = draw(st.integers(1, 31))
        elif k.role == "vm":
            ops[k.name] = draw(st.integers(0, 1))
    if "rs2" in ops and ops["rs2"] == ops["rs1"]:
        ops["rs2"] = ops["rs1"] % 31 + 1
    # base inside the data window, sometimes near its end (faults) or before it
    base = draw(st.one_of(st.integers(DATA, DATA + 0x800), st.integers(DATA + DATA_SIZE - 0x100, DATA + DATA_SIZE),
                          st.integers(DATA - 0x40, DATA)))
    state.x[ops["rs1"]] = base
    if "rs2" in ops:
        state.x[ops["rs2"]] = draw(st.one_of(st.integers(-64, 64), st.sampled_from([0, 1, 2, 3, 8, -8])) ) % 2**64
    if "vs2" in ops and insn.match & (1 << 26):
        # keep index values moderate most of the time
        if draw(st.booleans()):
            state.vreg[ops["vs2"]:ops["vs2"] + 8] &= 0x3f
    memory = bytes(rng.integers(0, 256, DATA_SIZE, dtype=np.uint8))
    return mnemonic, ops, state, memory


def check_mem(mnemonic, ops, state, memory):
    insn = next(r for r in INSTRUCTIONS if r.mnemonic == mnemonic)
    ref = copy.deepcopy(state)
    ref.vreg = state.vreg.copy()
    mem = bytearray(memory)
    expected = None
    try:
        execute_mem(ref, fields(insn), ops, mem, DATA)
    except Illegal as exc:
        expected = f"illegal ({exc})"
    except MemoryFault as f:
        expected = ("fault", f.element, f.addr)
    outcome, m = run_one(state, mnemonic, ops, memory)
    if isinstance(expected, str):
        assert outcome == "illegal", f"{mnemonic} {ops}: reference says {expected}, rvsim: {outcome}"
        return
    if isinstance(expected, tuple):
        cause = 7 if fields(insn)["store"] else 5
        assert outcome == ("trap", cause, expected[2]), f"{mnemonic} {ops} {state}: expected {expected}, got {outcome}"
    else:
        assert outcome is None, f"{mnemonic} {ops} {state}: rvsim says {outcome}, reference executed it"
    problems = compare(ref, m)
    got = m.read(DATA, DATA_SIZE)
    if got != bytes(mem):
        diff = [i for i in range(DATA_SIZE) if got[i] != mem[i]]
        problems.append(f"memory differs at {len(diff)} bytes from {DATA + diff[0]:#x}")
    assert not problems, f"{mnemonic} {ops} {state}:\n" + "\n".join(problems)


@settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=list(HealthCheck))
@given(mem_case(MEM_OPS))
def test_loads_and_stores(case):
    check_mem(*case)


@settings(max_examples=EXAMPLES * 5, deadline=None, suppress_health_check=list(HealthCheck))
@given(mem_case([m for m in MEM_OPS if "seg" not in m and "r." not in m and not m.startswith("vlm")
                 and not m.startswith("vsm")]))
def test_single_field_accesses(case):
    check_mem(*case)


def test_vstart_resumes_after_a_fault():
    """A unit-stride load crossing into unmapped memory traps with vstart at the first bad element;
    mapping the page and re-running the instruction completes it."""
    from vector_data.harness import run_one as run
    state = VState(vlen=256, vreg=np.zeros((32, 32), np.uint8), sew=32, lmul=8, vl=64)
    state.x = [0] * 32
    state.x[5] = DATA + DATA_SIZE - 16          # 4 elements fit, the 5th faults
    outcome, m = run(state, "vle32.v", {"vd": 8, "rs1": 5, "vm": 1}, bytes(range(256)) * (DATA_SIZE // 256))
    assert outcome == ("trap", 5, DATA + DATA_SIZE)
    assert int(m._hart.vstart) == 4
    m.map(DATA + DATA_SIZE, 4096, "rw")
    try:
        m.pc = 0x1000
        m.step(1)
        assert int(m._hart.vstart) == 0 and m.pc == 0x1004
        assert m.v[8, :16].tobytes() == bytes(range(240, 256))
    finally:
        m.map(DATA + DATA_SIZE, 4096, "")
