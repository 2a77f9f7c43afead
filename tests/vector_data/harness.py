"""Run single vector instructions on rvsim for the property tests.

The vector state is set directly in the hart's CSR-backed fields (``m._hart.vtype``, ``vl``, ``vstart``,
``vxrm``, ``vxsat``) rather than by executing a vsetvli first, so that any vstart and any vl up to VLMAX
can be tested; the instruction under test is written at CODE and executed with ``step(1)``.  An
illegal-instruction trap (mtvec is 0, so the trap stops run()) is reported as "illegal".
"""
from __future__ import annotations

import struct
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reference.vector_ref import VState  # noqa: E402
from rvsim.isa import BY_MNEMONIC  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402
from rvsim.testing import strategies as testing_strategies  # noqa: E402

CODE = 0x1000
DATA = 0x10000          # test data window for loads/stores
DATA_SIZE = 0x4000
MSTATUS_VS_INITIAL = 1 << 9
MSTATUS_FS_MASK, MSTATUS_FS_DIRTY = 3 << 13, 3 << 13
MSTATUS_FS_INITIAL = 1 << 13

LMUL_CODE = {1: 0, 2: 1, 4: 2, 8: 3, 1 / 8: 5, 1 / 4: 6, 1 / 2: 7}


def vtype_value(sew: int, lmul: float, vta: int, vma: int) -> int:
    return LMUL_CODE[lmul] | ({8: 0, 16: 1, 32: 2, 64: 3}[sew] << 3) | (vta << 6) | (vma << 7)


def draw_vector_config(draw, vlen: int, sew: int | None = None):
    """(sew, lmul, vl, vstart, vta, vma) from the public toolkit's vector_configs (legal SEW/LMUL, vl edge
    values first); vstart is mostly 0, sometimes within vl and sometimes anywhere up to VLMAX (vstart >= vl:
    nothing may be written)."""
    cfg = draw(testing_strategies.vector_configs(vlen=vlen, sew=sew, vstart=True))
    pick = draw(st.integers(0, 3))
    vstart = 0 if pick < 2 else cfg.vstart if pick == 2 else draw(st.integers(0, cfg.vlmax))
    return cfg.sew, 2.0 ** cfg.lmul, cfg.vl, vstart, int(cfg.tail_agnostic), int(cfg.mask_agnostic)


def machine(vlen: int, ones: bool, isa: str = "rv64gcv") -> Machine:
    """The (cached) machine of a configuration: run_one uses the same one."""
    return _machine(vlen, ones, isa)


@lru_cache(maxsize=None)
def _machine(vlen: int, ones: bool, isa: str) -> Machine:
    m = Machine(isa, vlen=vlen, memory_size=1 << 20,
                vector_agnostic="ones" if ones else "undisturbed")
    m.map(CODE, 0x1000, "rwx")
    m.map(DATA, DATA_SIZE, "rw")
    m.csr["mstatus"] = m.csr["mstatus"] | MSTATUS_VS_INITIAL | MSTATUS_FS_INITIAL
    return m


def run_one(st: VState, mnemonic: str, ops: dict, memory: bytes | None = None, isa: str = "rv64gcv"):
    """Execute ``mnemonic`` with operand values ``ops`` on a machine (ISA string ``isa``) in state ``st``.

    The instruction runs twice from the same state without re-decoding it: the first run takes the
    general path, which may specialise the decode slot (exec_v.inc), the second then takes the fast
    path; both must leave the same state.  Scalar FP state (f registers, frm, fflags) is what the
    caller set before the call.  Returns (outcome, machine): outcome is None, "illegal", or
    ("trap", cause, tval).
    """
    m = machine(st.vlen, st.ones, isa)
    code = struct.pack("<I", BY_MNEMONIC[mnemonic].encode(ops))
    if m.read(CODE, 4) != code:         # an unchanged word keeps its decode slot (and its fast path)
        m.write(CODE, code)
    h = m._hart
    f0, frm0, fflags0 = m.f.copy(), int(h.frm), int(h.fflags)

    def setup():
        m.v[:] = st.vreg
        for i in range(1, 32):
            m.x[i] = st.x[i]
        m.f[:] = f0
        h.frm = frm0
        h.fflags = fflags0
        h.vtype = vtype_value(st.sew, st.lmul, st.vta, st.vma)
        h.vl = st.vl
        h.vstart = st.vstart
        h.vxrm = st.vxrm
        h.vxsat = st.vxsat
        # FP state Initial, so that whether the instruction made it Dirty shows (check_fp)
        h.mstatus = (int(h.mstatus) & ~MSTATUS_FS_MASK) | MSTATUS_FS_INITIAL
        if memory is not None:
            m.write(DATA, memory)
        m.pc = CODE

    def result():
        info = m.step(1)
        if info.reason == StopReason.TRAP:
            outcome = "illegal" if info.cause == 2 else ("trap", info.cause, info.tval)
        else:
            assert info.reason == StopReason.LIMIT and m.pc == CODE + 4, info
            outcome = None
        state = (m.v.tobytes(), m.x.tobytes(), m.f.tobytes(), int(h.fflags), int(h.vxsat), int(h.vl),
                 int(h.vstart), int(h.vtype), m.read(DATA, DATA_SIZE) if memory is not None else None)
        return outcome, state

    setup()
    # the second run starts from a snapshot of the first's initial state (the toolkit's snapshot/restore,
    # over the data window only: the code page, and so its decode slot, stays untouched)
    before = m.snapshot(region=(DATA, DATA_SIZE))
    first = result()
    m.restore(before)
    second = result()
    assert first == second, f"{mnemonic} {ops}: the second run (fast path) differs from the first"
    return first[0], m


def compare(st: VState, m: Machine) -> list[str]:
    """Differences between the reference state and the machine."""
    problems = []
    if not np.array_equal(st.vreg, m.v):
        rows = [r for r in range(32) if not np.array_equal(st.vreg[r], m.v[r])]
        for r in rows[:3]:
            problems.append(f"v{r}: expected {st.vreg[r].tobytes().hex()} got {m.v[r].tobytes().hex()}")
    for i in range(1, 32):
        if int(m.x[i]) != st.x[i]:
            problems.append(f"x{i}: expected {st.x[i]:#x} got {int(m.x[i]):#x}")
    if int(m._hart.vxsat) != st.vxsat:
        problems.append(f"vxsat: expected {st.vxsat} got {int(m._hart.vxsat)}")
    if int(m._hart.vstart) != st.vstart:
        problems.append(f"vstart: expected {st.vstart} got {int(m._hart.vstart)}")
    if int(m._hart.vl) != st.vl:
        problems.append(f"vl: expected {st.vl} got {int(m._hart.vl)}")
    return problems
