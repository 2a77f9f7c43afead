"""Hypothesis strategies and a one-instruction harness for the integer ISA tests.

The harness builds a Machine and a reference hart (tests/reference/int_ref.py) in the same initial
state, runs one instruction on each and compares every integer register, the pc, the data pages and the
trap (cause, mtval).  The reference never looks at the core's results.

Guest memory layout (window [0, 1 MiB)):

    0x10000  code page, rwx          (the instruction under test sits at CODE_PC)
    0x20000  two data pages, rw      (filled with seeded random bytes)
    0x22000  hole, unmapped
    0x23000  read-only page
    0x24000  execute-only page
    0x25000+ unmapped up to the end of the window; everything past 1 MiB is outside memory
"""
from __future__ import annotations

import os
import random
from functools import lru_cache

from hypothesis import strategies as st

from rvsim import isa
from rvsim.machine import Machine, StopReason
from rvsim.testing import strategies as testing_strategies
from tests.reference import int_ref
from tests.reference.int_ref import MASK64, Ops, RefHart, RefMemory

MEM_SIZE = 1 << 20
CODE = 0x10000
CODE_PC = 0x10800            # mid-page: short branches stay on the page, long ones leave it
DATA = 0x20000
DATA_END = 0x22000
HOLE = 0x22000
RO = 0x23000
XO = 0x24000
COMPARE_LO, COMPARE_HI = DATA, 0x25000
INT_ISA = "rv64gc_zba_zbb_zbs_zbc"

def examples(n: int) -> int:
    """Hypothesis example count: ``n`` by default; RVSIM_HYPOTHESIS_SCALE=k runs k times as many
    (for an occasional deep run; the default keeps the suite quick on a shared machine)."""
    return n * max(1, int(os.environ.get("RVSIM_HYPOTHESIS_SCALE", "1")))


INT64_MIN, INT64_MAX = 1 << 63, (1 << 63) - 1
EDGE_VALUES = tuple(v & MASK64 for v in (
    0, 1, 2, 3, -1, -2, INT64_MIN, INT64_MAX, 0x80000000, 0x7FFFFFFF, 0xFFFFFFFF, 0x100000000,
    0xFFFFFFFF80000000, 0xFFFFFFFF7FFFFFFF, 31, 32, 33, 63, 64, 65, 0x7F, 0x80, 0xFF, 0x8000, 0xFFFF,
    0x0123456789ABCDEF, 0xFEDCBA9876543210, 0x8080808080808080, 0x0101010101010101,
))


@lru_cache(maxsize=None)
def reg_values() -> st.SearchStrategy[int]:
    """64-bit register values with a strong bias towards edge cases: the public toolkit's
    (rvsim.testing.strategies.int_values) plus a few the integer tests want in particular."""
    return st.one_of(
        testing_strategies.int_values(64),
        st.sampled_from(EDGE_VALUES),
        st.integers(-300, 300).map(lambda v: v & MASK64),
        st.integers(0, 0xFFFFFFFF).map(lambda v: v | (_upper_noise(v) << 32)),
    )


def _upper_noise(v: int) -> int:
    # a deterministic upper half that differs from the sign extension of the low word
    return (v * 0x9E3779B1 + 0x5A5A5A5A) & 0xFFFFFFFF


@lru_cache(maxsize=None)
def registers() -> st.SearchStrategy[int]:
    """Register numbers, often 0 (x0), 1, 2 or a repeat of another operand."""
    return st.one_of(st.sampled_from((0, 1, 2, 5, 8, 15, 31)), st.integers(0, 31))


@lru_cache(maxsize=None)
def operand_values(kind: isa.OperandKind) -> st.SearchStrategy[int]:
    """Encodable values of an operand kind of the table, edge values first (the public toolkit's, with
    x0/x1/x2 and repeated registers more often for the plain register fields)."""
    if kind.role == "xreg" and kind.offset == 0 and kind.width == 5:
        if kind.nonzero:
            return registers().filter(lambda r: r != 0 and r != kind.not_value)
        return registers()
    return testing_strategies.operand_values(kind)


def encode_drawn(data, record: isa.Instruction) -> tuple[int, dict[str, int]]:
    """Draw operand values for ``record`` and encode them; returns (word, values by kind name)."""
    values = {k.name: data.draw(operand_values(k), label=k.name) for k in record.all_operands}
    return record.encode(values), values


# --------------------------------------------------------------------------- addresses


@lru_cache(maxsize=None)
def addresses(size: int) -> st.SearchStrategy[int]:
    """Effective addresses for an access of ``size`` bytes, over every interesting region."""
    in_rw = st.integers(DATA, DATA_END - size)
    aligned = in_rw.map(lambda a: a & ~(size - 1))
    regions = [
        aligned, aligned, in_rw,
        st.integers(RO, RO + 0x1000 - size),
        st.integers(XO, XO + 0x1000 - size),
        st.integers(HOLE, HOLE + 0x1000 - size),
        st.sampled_from((MEM_SIZE, MEM_SIZE - 8, 1 << 63, (1 << 64) - 8, (1 << 64) - 1, 0, 8, 0xFF8)),
    ]
    if size > 1:
        crossings = st.integers(1, size - 1)
        regions += [
            crossings.map(lambda j: DATA + 0x1000 - j),     # rw -> rw
            crossings.map(lambda j: DATA_END - j),          # rw -> hole
            crossings.map(lambda j: RO - j),                # hole -> read-only
            crossings.map(lambda j: MEM_SIZE - j),          # last page -> outside memory
        ]
    return st.one_of(*regions)


# --------------------------------------------------------------------------- the harness


def base_register_values() -> list[int]:
    """Initial value of every register the test does not set: distinct, recognisable patterns."""
    return [0] + [(0x1111111111111111 * (i % 16) ^ (i << 56) ^ 0xA5) & MASK64 for i in range(1, 32)]


class Pair:
    """A Machine and a reference hart set up identically."""

    def __init__(self, isa_string: str = INT_ISA, *, trap_misaligned: bool = False, seed: int = 0,
                 priv: int = 3, fs_on: bool = False):
        self.m = Machine(isa_string, memory_size=MEM_SIZE, trap_misaligned=trap_misaligned)
        exts = isa.parse_isa_string(isa_string)
        self.ref = RefHart(RefMemory(MEM_SIZE), has_c="c" in exts, trap_misaligned=trap_misaligned)
        content = random.Random(seed).randbytes(COMPARE_HI - COMPARE_LO)
        for addr, size, perms in ((CODE, 0x1000, "rwx"), (DATA, 0x2000, "rw"), (RO, 0x1000, "r"),
                                  (XO, 0x1000, "x")):
            self.m.map(addr, size, perms)
            self.ref.mem.map(addr, size, perms)
        self.m.write(COMPARE_LO, content)
        self.ref.mem.poke(COMPARE_LO, content)
        for i, v in enumerate(base_register_values()):
            self.set_x(i, v)
        if fs_on:
            self.m.csr["mstatus"] = self.m.csr["mstatus"] | (1 << 13)   # FS = Initial
        for i in range(32):
            f = (0x3FF0000000000000 + i * 0x10001) & MASK64
            self.m.f[i] = f
            self.ref.f[i] = f
        self.m.priv = priv
        self.ref.priv = priv

    def set_x(self, i: int, value: int) -> None:
        if i:
            self.m.x[i] = value & MASK64
            self.ref.x[i] = value & MASK64

    def place(self, code: bytes, pc: int = CODE_PC) -> None:
        self.m.write(pc, code)
        self.ref.mem.poke(pc, code)
        self.m.pc = pc
        self.ref.pc = pc

    def step_and_compare(self, mnemonic: str, ops: Ops, length: int, what: str = "") -> int_ref.Trap | None:
        """Run one instruction on both and assert the outcomes agree; returns the reference trap."""
        pc0 = self.ref.pc
        before = [int(v) for v in self.m.x]
        info = self.m.step(1)
        trap = int_ref.execute(self.ref, mnemonic, ops, length)
        label = f"{what or mnemonic} {ops} at {pc0:#x}, registers before {[hex(v) for v in before]}"
        if trap is not None:
            assert info.reason == StopReason.TRAP, f"{label}: expected {trap}, core gave {info}"
            assert (info.cause, info.tval) in trap.allowed, f"{label}: expected {trap}, core gave {info}"
            assert info.pc == pc0 and self.m.pc == pc0, f"{label}: trap pc {info.pc:#x}"
            assert self.m.instret == 0, f"{label}: a trapping instruction must not retire"
        else:
            assert info.reason == StopReason.LIMIT, f"{label}: core stopped with {info}"
            assert self.m.instret == 1
        got = [int(v) for v in self.m.x]
        for i in range(32):
            assert got[i] == self.ref.x[i], (f"{label}: x{i} = {got[i]:#x}, reference "
                                              f"{self.ref.x[i]:#x}")
        assert self.m.pc == self.ref.pc, f"{label}: pc {self.m.pc:#x}, reference {self.ref.pc:#x}"
        for i in range(32):
            assert int(self.m.f[i]) == self.ref.f[i], f"{label}: f{i} = {int(self.m.f[i]):#x}"
        got_mem = self.m.read(COMPARE_LO, COMPARE_HI - COMPARE_LO)
        want_mem = self.ref.mem.peek(COMPARE_LO, COMPARE_HI - COMPARE_LO)
        if got_mem != want_mem:
            diff = next(i for i in range(len(got_mem)) if got_mem[i] != want_mem[i])
            raise AssertionError(f"{label}: memory differs first at {COMPARE_LO + diff:#x}: "
                                 f"{got_mem[diff:diff + 8].hex()} vs {want_mem[diff:diff + 8].hex()}")
        return trap


_BOOLEANS = st.booleans()
_JALR_TARGETS = st.integers(CODE, CODE + 0x2FFF)


def aim(data, pair: Pair, mnemonic: str, ops: Ops) -> None:
    """Give the source registers values: edge values, or for memory instructions an address aimed at
    an interesting region (rs1 = address - offset), for branches often equal operands."""
    if ops.rs1:
        pair.set_x(ops.rs1, data.draw(reg_values(), label="rs1 value"))
    if ops.rs2 and ops.rs2 != ops.rs1:
        pair.set_x(ops.rs2, data.draw(reg_values(), label="rs2 value"))
    size = int_ref.LOADS.get(mnemonic) or int_ref.STORES.get(mnemonic) or int_ref.ATOMICS.get(mnemonic)
    if size and ops.rs1:
        addr = data.draw(addresses(size), label="address")
        pair.set_x(ops.rs1, (addr - ops.imm) & MASK64)
    elif mnemonic in int_ref.BRANCHES and ops.rs1 and ops.rs2 and ops.rs1 != ops.rs2 \
            and data.draw(_BOOLEANS, label="equal operands"):
        pair.set_x(ops.rs2, pair.ref.x[ops.rs1])
    elif mnemonic == "jalr" and ops.rs1 and data.draw(_BOOLEANS, label="aimed jalr"):
        target = data.draw(_JALR_TARGETS, label="jalr target")
        pair.set_x(ops.rs1, (target - ops.imm) & MASK64)


def word_bytes(word: int, length: int | None = None) -> bytes:
    if length is None:
        length = 4 if word & 3 == 3 else 2
    return word.to_bytes(length, "little")


def enc(mnemonic: str, **operands) -> int:
    """Encode with the ISA table: ``enc("addi", rd=5, rs1=6, imm_i=-3)`` (operand kind names)."""
    return isa.BY_MNEMONIC[mnemonic].encode(operands)


def program(*words: int) -> bytes:
    """Little-endian bytes of a sequence of 32-bit and 16-bit instruction words."""
    return b"".join(word_bytes(w) for w in words)


@lru_cache(maxsize=None)
def core_has_fp_loads() -> bool:
    """Whether this core executes fld yet (its FP semantics are written separately from the integer
    side); tests of FP-dependent behaviour skip until it does."""
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.csr["mstatus"] = m.csr["mstatus"] | (1 << 13)
    m.load_image(program(enc("fld", fd=1, rs1=5, imm_i=0)), addr=CODE)
    m.x[5] = CODE           # a mapped address (0 is not mapped: fld from it faults)
    return m.step().reason == StopReason.LIMIT
