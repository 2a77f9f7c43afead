"""An independent reference model of the RV64 integer ISA and its machine-mode trap rules.

Written from the specification text (unpriv: rv32, rv64, m, zaamo/zalrsc, zba/zbb/zbs, zca, zicsr;
priv: machine.adoc), not from rvsim's C core.  Plain Python integers throughout; registers hold
unsigned 64-bit values.  Nothing here imports rvsim: instruction fields are extracted from the
instruction words by the spec's format rules, so the ISA table's bit scatters are checked too.

Usage::

    hart = RefHart(RefMemory(1 << 20))
    ops = decode32("addi", word)          # or expand_compressed(halfword)
    trap = execute(hart, "addi", ops, 4)   # None, or the Trap the instruction raises

A trapping instruction leaves the hart unchanged (the model raises before writing anything).
Where the spec leaves a choice to the implementation (trap priorities, ebreak's mtval), ``Trap``
lists every allowed (cause, tval) outcome.
"""
from __future__ import annotations

from dataclasses import dataclass

XLEN = 64
MASK64 = (1 << 64) - 1
MASK32 = (1 << 32) - 1
PAGE = 4096

# mcause values of synchronous exceptions (priv spec, table "Machine cause register values")
MISALIGNED_FETCH, FETCH_ACCESS, ILLEGAL_INSTRUCTION, BREAKPOINT = 0, 1, 2, 3
MISALIGNED_LOAD, LOAD_ACCESS, MISALIGNED_STORE, STORE_ACCESS = 4, 5, 6, 7
ECALL_FROM_U, ECALL_FROM_S, ECALL_FROM_M = 8, 9, 11

PRIV_U, PRIV_M = 0, 3


def u64(v: int) -> int:
    return v & MASK64


def sext(v: int, bits: int) -> int:
    """Sign-extend the low ``bits`` of v (result is a Python signed int)."""
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def s64(v: int) -> int:
    return sext(v, 64)


def s32(v: int) -> int:
    return sext(v, 32)


class Trap(Exception):
    """A synchronous exception: cause and mtval, plus any other outcome the spec also allows."""

    def __init__(self, cause: int, tval: int = 0, alternatives=()):
        super().__init__(cause, tval)
        self.cause = cause
        self.tval = u64(tval)
        self.allowed = {(cause, u64(tval))} | {(c, u64(t)) for c, t in alternatives}

    def __repr__(self) -> str:
        return f"Trap(cause={self.cause}, tval={self.tval:#x}, allowed={sorted(self.allowed)})"


# ----------------------------------------------------------------------------- memory


class RefMemory:
    """Byte-addressed guest memory of ``size`` bytes from address ``base``, with page permissions.

    Bytes outside the window, or on pages without the needed permission, are inaccessible.  Pages are
    allocated (zeroed) on first touch.
    """

    def __init__(self, size: int, base: int = 0):
        self.base, self.size = base, size
        self.pages: dict[int, bytearray] = {}
        self.perms: dict[int, str] = {}       # page number -> subset of "rwx"

    def map(self, addr: int, size: int, perms: str) -> None:
        for pg in range((addr - self.base) // PAGE, (addr - self.base + size + PAGE - 1) // PAGE):
            self.perms[pg] = perms

    def _page(self, off: int) -> bytearray:
        pg = off // PAGE
        if pg not in self.pages:
            self.pages[pg] = bytearray(PAGE)
        return self.pages[pg]

    def _chunks(self, addr: int, size: int):
        """(page bytes, start, end, position in the access) for each page [addr, addr+size) touches;
        addresses wrap modulo 2**64 like the hart's."""
        done = 0
        while done < size:
            off = u64(addr + done - self.base)
            n = min(size - done, PAGE - off % PAGE)
            yield self._page(off), off % PAGE, off % PAGE + n, done
            done += n

    def poke(self, addr: int, data: bytes) -> None:
        for page, lo, hi, pos in self._chunks(addr, len(data)):
            page[lo:hi] = data[pos:pos + hi - lo]

    def peek(self, addr: int, size: int) -> bytes:
        return b"".join(bytes(page[lo:hi]) for page, lo, hi, _ in self._chunks(addr, size))

    def allows(self, addr: int, perm: str) -> bool:
        off = u64(addr - self.base)
        return off < self.size and perm in self.perms.get(off // PAGE, "")

    def first_denied(self, addr: int, size: int, perms: str) -> int | None:
        """Address of the first byte of [addr, addr+size) lacking one of ``perms``, else None."""
        for i in range(size):
            a = u64(addr + i)
            if not all(self.allows(a, p) for p in perms):
                return a
        return None

    def read(self, addr: int, size: int) -> int:
        return int.from_bytes(self.peek(addr, size), "little")

    def write(self, addr: int, size: int, value: int) -> None:
        self.poke(addr, (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))


# ----------------------------------------------------------------------------- hart


class RefHart:
    """Architectural state the integer instructions touch."""

    def __init__(self, mem: RefMemory, *, has_c: bool = True, trap_misaligned: bool = False):
        self.mem = mem
        self.x = [0] * 32
        self.f = [0] * 32                 # raw 64-bit patterns (only c.fld/c.fsd use them here)
        self.pc = 0
        self.priv = PRIV_M
        self.has_c = has_c                # IALIGN = 16 with C, else 32
        self.trap_misaligned = trap_misaligned
        self.reservation: tuple[int, int] | None = None   # (address, size) of the LR reservation
        self.ilen = 4                     # length of the instruction being executed

    # registers: x0 reads 0, writes to it are discarded
    def rx(self, i: int) -> int:
        return self.x[i] if i else 0

    def wx(self, i: int, value: int) -> None:
        if i:
            self.x[i] = u64(value)

    # control transfer: IALIGN-misaligned targets trap on the jump itself, with mtval = target
    def target(self, addr: int) -> int:
        addr = u64(addr)
        if addr & (1 if self.has_c else 3):
            raise Trap(MISALIGNED_FETCH, addr)
        return addr

    # data accesses
    def _check(self, addr: int, size: int, perms: str, misaligned_cause: int, access_cause: int,
               always_aligned: bool = False) -> None:
        misaligned = addr % size != 0 and (always_aligned or self.trap_misaligned)
        denied = self.mem.first_denied(addr, size, perms)
        if misaligned and denied is not None:
            # either may be reported: misaligned may rank above or below access faults
            raise Trap(misaligned_cause, addr, alternatives=[(access_cause, denied)])
        if misaligned:
            raise Trap(misaligned_cause, addr)
        if denied is not None:
            # a (misaligned) access partly inside an accessible page reports the faulting portion
            raise Trap(access_cause, denied)

    def load(self, addr: int, size: int, *, atomic: bool = False) -> int:
        addr = u64(addr)
        self._check(addr, size, "r", MISALIGNED_LOAD, LOAD_ACCESS, always_aligned=atomic)
        return self.mem.read(addr, size)

    def check_store(self, addr: int, size: int, *, atomic: bool = False, amo: bool = False) -> None:
        self._check(u64(addr), size, "rw" if amo else "w", MISALIGNED_STORE, STORE_ACCESS,
                    always_aligned=atomic)

    def store(self, addr: int, size: int, value: int, *, atomic: bool = False) -> None:
        addr = u64(addr)
        self.check_store(addr, size, atomic=atomic)
        self.mem.write(addr, size, value)


@dataclass
class Ops:
    """Decoded operands: register numbers and the immediate (sign-extended, scaled, as a Python int)."""

    rd: int = 0
    rs1: int = 0
    rs2: int = 0
    imm: int = 0


# ----------------------------------------------------------------------------- semantics

SEMANTICS: dict = {}
FORMAT: dict[str, str] = {}


def insn(name: str, fmt: str):
    """Register the semantics of ``name``; ``fmt`` is its 32-bit encoding format (see decode32)."""
    def wrap(fn):
        SEMANTICS[name] = fn
        FORMAT[name] = fmt
        return fn
    return wrap


def _alu(name: str, fmt: str, fn):
    """An instruction rd = fn(rs1 value, second operand): rs2 for R formats, imm otherwise."""
    if fmt in ("R", "R1"):
        insn(name, fmt)(lambda h, o: h.wx(o.rd, fn(h.rx(o.rs1), h.rx(o.rs2))))
    else:
        insn(name, fmt)(lambda h, o: h.wx(o.rd, fn(h.rx(o.rs1), o.imm)))


def _w(v: int) -> int:
    """RV64 *W result: the low 32 bits, sign-extended."""
    return u64(s32(v))


# --- RV32I/RV64I: upper immediates, jumps, branches

insn("lui", "U")(lambda h, o: h.wx(o.rd, o.imm))
insn("auipc", "U")(lambda h, o: h.wx(o.rd, h.pc + o.imm))


@insn("jal", "J")
def _jal(h, o):
    t = h.target(h.pc + o.imm)
    h.wx(o.rd, h.pc + h.ilen)
    return t


@insn("jalr", "I")
def _jalr(h, o):
    t = h.target((h.rx(o.rs1) + o.imm) & ~1)      # the target's bit 0 is cleared
    h.wx(o.rd, h.pc + h.ilen)
    return t


def _branch(name, cond):
    @insn(name, "B")
    def _b(h, o):
        if cond(h.rx(o.rs1), h.rx(o.rs2)):
            return h.target(h.pc + o.imm)        # not-taken branches never trap
        return None


_branch("beq", lambda a, b: a == b)
_branch("bne", lambda a, b: a != b)
_branch("blt", lambda a, b: s64(a) < s64(b))
_branch("bge", lambda a, b: s64(a) >= s64(b))
_branch("bltu", lambda a, b: a < b)
_branch("bgeu", lambda a, b: a >= b)


# --- loads and stores: little-endian, sign- or zero-extended to XLEN

def _load(name, size, signed):
    @insn(name, "I")
    def _l(h, o):
        v = h.load(h.rx(o.rs1) + o.imm, size)
        h.wx(o.rd, sext(v, 8 * size) if signed else v)


for _n, _s, _sg in (("lb", 1, True), ("lh", 2, True), ("lw", 4, True), ("ld", 8, True),
                    ("lbu", 1, False), ("lhu", 2, False), ("lwu", 4, False)):
    _load(_n, _s, _sg)


def _store(name, size):
    insn(name, "S")(lambda h, o: h.store(h.rx(o.rs1) + o.imm, size, h.rx(o.rs2)))


for _n, _s in (("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)):
    _store(_n, _s)


# --- register-immediate and register-register arithmetic (shift amounts: low 6 bits, or 5 for *W)

_alu("addi", "I", lambda a, i: a + i)
_alu("slti", "I", lambda a, i: int(s64(a) < i))
_alu("sltiu", "I", lambda a, i: int(a < u64(i)))       # immediate sign-extended, compared unsigned
_alu("xori", "I", lambda a, i: a ^ u64(i))
_alu("ori", "I", lambda a, i: a | u64(i))
_alu("andi", "I", lambda a, i: a & u64(i))
_alu("slli", "SH6", lambda a, i: a << i)
_alu("srli", "SH6", lambda a, i: a >> i)
_alu("srai", "SH6", lambda a, i: s64(a) >> i)
_alu("add", "R", lambda a, b: a + b)
_alu("sub", "R", lambda a, b: a - b)
_alu("sll", "R", lambda a, b: a << (b & 63))
_alu("slt", "R", lambda a, b: int(s64(a) < s64(b)))
_alu("sltu", "R", lambda a, b: int(a < b))
_alu("xor", "R", lambda a, b: a ^ b)
_alu("srl", "R", lambda a, b: a >> (b & 63))
_alu("sra", "R", lambda a, b: s64(a) >> (b & 63))
_alu("or", "R", lambda a, b: a | b)
_alu("and", "R", lambda a, b: a & b)

_alu("addiw", "I", lambda a, i: _w(a + i))
_alu("slliw", "SH5", lambda a, i: _w((a & MASK32) << i))
_alu("srliw", "SH5", lambda a, i: _w((a & MASK32) >> i))
_alu("sraiw", "SH5", lambda a, i: _w(s32(a) >> i))
_alu("addw", "R", lambda a, b: _w(a + b))
_alu("subw", "R", lambda a, b: _w(a - b))
_alu("sllw", "R", lambda a, b: _w((a & MASK32) << (b & 31)))
_alu("srlw", "R", lambda a, b: _w((a & MASK32) >> (b & 31)))
_alu("sraw", "R", lambda a, b: _w(s32(a) >> (b & 31)))


# --- fence, ecall, ebreak

insn("fence", "NONE")(lambda h, o: None)     # one hart, no caches to order


@insn("ecall", "NONE")
def _ecall(h, o):
    raise Trap(ECALL_FROM_M if h.priv == PRIV_M else ECALL_FROM_U, 0)


@insn("ebreak", "NONE")
def _ebreak(h, o):
    # mtval is either zero or the address of the ebreak
    raise Trap(BREAKPOINT, h.pc, alternatives=[(BREAKPOINT, 0)])


# --- M: multiply and divide.  Division by zero and overflow do not trap.

def _div(a, b, bits):
    """Signed division rounding towards zero (results as Python ints)."""
    if b == 0:
        return -1
    if a == -(1 << (bits - 1)) and b == -1:
        return a                                  # overflow: the dividend
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _rem(a, b, bits):
    if b == 0:
        return a
    if a == -(1 << (bits - 1)) and b == -1:
        return 0
    return a - b * _div(a, b, bits)               # sign follows the dividend


_alu("mul", "R", lambda a, b: a * b)
_alu("mulh", "R", lambda a, b: (s64(a) * s64(b)) >> 64)
_alu("mulhsu", "R", lambda a, b: (s64(a) * b) >> 64)
_alu("mulhu", "R", lambda a, b: (a * b) >> 64)
_alu("div", "R", lambda a, b: _div(s64(a), s64(b), 64))
_alu("divu", "R", lambda a, b: MASK64 if b == 0 else a // b)
_alu("rem", "R", lambda a, b: _rem(s64(a), s64(b), 64))
_alu("remu", "R", lambda a, b: a if b == 0 else a % b)
_alu("mulw", "R", lambda a, b: _w(a * b))
_alu("divw", "R", lambda a, b: _w(_div(s32(a), s32(b), 32)))
_alu("divuw", "R", lambda a, b: _w(MASK32 if b & MASK32 == 0 else (a & MASK32) // (b & MASK32)))
_alu("remw", "R", lambda a, b: _w(_rem(s32(a), s32(b), 32)))
_alu("remuw", "R", lambda a, b: _w(a if b & MASK32 == 0 else (a & MASK32) % (b & MASK32)))


# --- A: LR/SC and AMOs.  Addresses must be naturally aligned (misaligned ones trap, AMOs and SC as
# store/AMO faults); an AMO needs both read and write access and reports store/AMO access faults.

def _lr(name, size):
    @insn(name, "LR")
    def _l(h, o):
        addr = u64(h.rx(o.rs1))
        v = h.load(addr, size, atomic=True)
        h.reservation = (addr, size)
        h.wx(o.rd, u64(sext(v, 8 * size)))


def _sc(name, size):
    @insn(name, "AMO")
    def _s(h, o):
        addr = u64(h.rx(o.rs1))
        if addr % size:
            raise Trap(MISALIGNED_STORE, addr,
                       alternatives=[(STORE_ACCESS, addr)])   # spec: misaligned or access fault
        r = h.reservation
        ok = r is not None and r[0] <= addr and addr + size <= r[0] + r[1]
        if ok:
            h.store(addr, size, h.rx(o.rs2), atomic=True)
        # a failing SC does not access memory; either way the reservation is gone
        h.reservation = None
        h.wx(o.rd, 0 if ok else 1)


def _amo(name, size, fn):
    @insn(name, "AMO")
    def _a(h, o):
        addr = u64(h.rx(o.rs1))
        if addr % size:
            raise Trap(MISALIGNED_STORE, addr, alternatives=[(STORE_ACCESS, addr)])
        h.check_store(addr, size, atomic=True, amo=True)
        bits = 8 * size
        old = h.mem.read(addr, size)
        src = h.rx(o.rs2) & ((1 << bits) - 1)
        h.mem.write(addr, size, fn(old, src, bits))
        h.wx(o.rd, u64(sext(old, bits)))           # .w results are sign-extended


_AMO_OPS = {
    "amoswap": lambda a, b, n: b,
    "amoadd": lambda a, b, n: a + b,
    "amoxor": lambda a, b, n: a ^ b,
    "amoand": lambda a, b, n: a & b,
    "amoor": lambda a, b, n: a | b,
    "amomin": lambda a, b, n: a if sext(a, n) < sext(b, n) else b,
    "amomax": lambda a, b, n: a if sext(a, n) > sext(b, n) else b,
    "amominu": lambda a, b, n: a if a < b else b,
    "amomaxu": lambda a, b, n: a if a > b else b,
}
for _sfx, _size in ((".w", 4), (".d", 8)):
    _lr("lr" + _sfx, _size)
    _sc("sc" + _sfx, _size)
    for _n, _f in _AMO_OPS.items():
        _amo(_n + _sfx, _size, _f)


# --- Zba

_alu("sh1add", "R", lambda a, b: (a << 1) + b)
_alu("sh2add", "R", lambda a, b: (a << 2) + b)
_alu("sh3add", "R", lambda a, b: (a << 3) + b)
_alu("add.uw", "R", lambda a, b: (a & MASK32) + b)
_alu("sh1add.uw", "R", lambda a, b: ((a & MASK32) << 1) + b)
_alu("sh2add.uw", "R", lambda a, b: ((a & MASK32) << 2) + b)
_alu("sh3add.uw", "R", lambda a, b: ((a & MASK32) << 3) + b)
_alu("slli.uw", "SH6", lambda a, i: (a & MASK32) << i)


# --- Zbb

def _clz(v, bits):
    n = 0
    for i in range(bits - 1, -1, -1):
        if v >> i & 1:
            break
        n += 1
    return n


def _ctz(v, bits):
    n = 0
    for i in range(bits):
        if v >> i & 1:
            break
        n += 1
    return n


def _rotr(v, n, bits):
    mask = (1 << bits) - 1
    v &= mask
    n %= bits
    return ((v >> n) | (v << (bits - n))) & mask


_alu("andn", "R", lambda a, b: a & ~b)
_alu("orn", "R", lambda a, b: a | (~b & MASK64))
_alu("xnor", "R", lambda a, b: ~(a ^ b))
_alu("clz", "R1", lambda a, b: _clz(a, 64))
_alu("ctz", "R1", lambda a, b: _ctz(a, 64))
_alu("cpop", "R1", lambda a, b: bin(a).count("1"))
_alu("clzw", "R1", lambda a, b: _clz(a & MASK32, 32))
_alu("ctzw", "R1", lambda a, b: _ctz(a & MASK32, 32))
_alu("cpopw", "R1", lambda a, b: bin(a & MASK32).count("1"))
_alu("max", "R", lambda a, b: a if s64(a) > s64(b) else b)
_alu("maxu", "R", lambda a, b: max(a, b))
_alu("min", "R", lambda a, b: a if s64(a) < s64(b) else b)
_alu("minu", "R", lambda a, b: min(a, b))
_alu("sext.b", "R1", lambda a, b: sext(a, 8))
_alu("sext.h", "R1", lambda a, b: sext(a, 16))
_alu("zext.h", "R1", lambda a, b: a & 0xFFFF)
_alu("rol", "R", lambda a, b: _rotr(a, 64 - (b & 63), 64))
_alu("ror", "R", lambda a, b: _rotr(a, b & 63, 64))
_alu("rori", "SH6", lambda a, i: _rotr(a, i, 64))
_alu("rolw", "R", lambda a, b: _w(_rotr(a, 32 - (b & 31), 32)))
_alu("rorw", "R", lambda a, b: _w(_rotr(a, b & 31, 32)))
_alu("roriw", "SH5", lambda a, i: _w(_rotr(a, i, 32)))
_alu("orc.b", "R1", lambda a, b: sum(0xFF << (8 * k) for k in range(8) if (a >> (8 * k)) & 0xFF))
_alu("rev8", "R1", lambda a, b: int.from_bytes(a.to_bytes(8, "little"), "big"))


# --- Zbs: bit index is the low 6 bits of rs2 / shamt

_alu("bclr", "R", lambda a, b: a & ~(1 << (b & 63)))
_alu("bset", "R", lambda a, b: a | (1 << (b & 63)))
_alu("binv", "R", lambda a, b: a ^ (1 << (b & 63)))
_alu("bext", "R", lambda a, b: (a >> (b & 63)) & 1)
_alu("bclri", "SH6", lambda a, i: a & ~(1 << i))
_alu("bseti", "SH6", lambda a, i: a | (1 << i))
_alu("binvi", "SH6", lambda a, i: a ^ (1 << i))
_alu("bexti", "SH6", lambda a, i: (a >> i) & 1)


# --- Zbc: the carry-less product of rs1 and rs2 (128 bits), from the bitmanip spec's definitions:
# clmul its bits 63..0, clmulh 127..64, clmulr 126..63

def _clmul_product(a, b):
    product = 0
    for i in range(64):
        if b >> i & 1:
            product ^= a << i
    return product


_alu("clmul", "R", lambda a, b: _clmul_product(a, b) & MASK64)
_alu("clmulh", "R", lambda a, b: _clmul_product(a, b) >> 64)
_alu("clmulr", "R", lambda a, b: (_clmul_product(a, b) >> 63) & MASK64)


# --- the two D-extension instructions compressed forms expand to (raw 64-bit moves)

@insn("fld", "I")
def _fld(h, o):
    h.f[o.rd] = h.load(h.rx(o.rs1) + o.imm, 8)


@insn("fsd", "S")
def _fsd(h, o):
    h.store(h.rx(o.rs1) + o.imm, 8, h.f[o.rs2])


# ----------------------------------------------------------------------------- execution


def execute(h: RefHart, mnemonic: str, ops: Ops, length: int = 4) -> Trap | None:
    """Execute one instruction at h.pc.  Returns the Trap it raises (state untouched), else None."""
    h.ilen = length
    try:
        nxt = SEMANTICS[mnemonic](h, ops)
    except Trap as t:
        return t
    h.pc = u64(h.pc + length) if nxt is None else nxt
    return None


# ----------------------------------------------------------------------------- 32-bit decoding


def _bits(w: int, hi: int, lo: int) -> int:
    return (w >> lo) & ((1 << (hi - lo + 1)) - 1)


def decode32(mnemonic: str, word: int) -> Ops:
    """Operands of a 32-bit instruction word, by its format (rv32.adoc "Base Instruction Formats")."""
    fmt = FORMAT[mnemonic]
    o = Ops(rd=_bits(word, 11, 7), rs1=_bits(word, 19, 15), rs2=_bits(word, 24, 20))
    if fmt == "I":
        o.imm = sext(_bits(word, 31, 20), 12)
    elif fmt == "S":
        o.imm = sext(_bits(word, 31, 25) << 5 | _bits(word, 11, 7), 12)
    elif fmt == "B":
        o.imm = sext(_bits(word, 31, 31) << 12 | _bits(word, 7, 7) << 11 | _bits(word, 30, 25) << 5
                     | _bits(word, 11, 8) << 1, 13)
    elif fmt == "U":
        o.imm = sext(word & 0xFFFFF000, 32)
    elif fmt == "J":
        o.imm = sext(_bits(word, 31, 31) << 20 | _bits(word, 19, 12) << 12 | _bits(word, 20, 20) << 11
                     | _bits(word, 30, 21) << 1, 21)
    elif fmt == "SH6":
        o.imm = _bits(word, 25, 20)
    elif fmt == "SH5":
        o.imm = _bits(word, 24, 20)
    # R, R1, AMO, LR, NONE: registers only
    return o


# Formats whose instructions access memory, and how (for tests that aim addresses).
LOADS = {"lb": 1, "lh": 2, "lw": 4, "ld": 8, "lbu": 1, "lhu": 2, "lwu": 4, "fld": 8}
STORES = {"sb": 1, "sh": 2, "sw": 4, "sd": 8, "fsd": 8}
ATOMICS = {n: (4 if n.endswith(".w") else 8) for n in SEMANTICS if n.startswith(("lr.", "sc.", "amo"))}
BRANCHES = {"beq", "bne", "blt", "bge", "bltu", "bgeu"}
JUMPS = {"jal", "jalr"}


# ----------------------------------------------------------------------------- compressed (RV64C)


def expand_compressed(h16: int) -> tuple[str, str, Ops] | None:
    """The 32-bit instruction a 16-bit RV64C word stands for: (c mnemonic, expansion, operands).

    Returns None for reserved / illegal encodings.  Bit layouts are the zca chapter's formats
    (CIW, CL, CS, CI, CSS, CB, CJ, CR, CA); registers written r' are x8..x15.
    """
    b = lambda hi, lo: _bits(h16, hi, lo)  # noqa: E731
    op, f3 = b(1, 0), b(15, 13)
    rd_p, rs1_p, rs2_p = 8 + b(4, 2), 8 + b(9, 7), 8 + b(4, 2)
    rd, rs2 = b(11, 7), b(6, 2)
    ci_imm = sext(b(12, 12) << 5 | b(6, 2), 6)              # CI: imm[5] = bit 12, imm[4:0] = 6..2
    ci_uimm = b(12, 12) << 5 | b(6, 2)
    if h16 == 0:
        return None                                          # permanently illegal
    if op == 0:
        # CL/CS offsets: word = uimm[5:3] 12..10, [2] 6, [6] 5; double = [5:3] 12..10, [7:6] 6..5
        off_w = b(12, 10) << 3 | b(6, 6) << 2 | b(5, 5) << 6
        off_d = b(12, 10) << 3 | b(6, 5) << 6
        if f3 == 0:
            nz = b(12, 11) << 4 | b(10, 7) << 6 | b(6, 6) << 2 | b(5, 5) << 3
            return None if nz == 0 else ("c.addi4spn", "addi", Ops(rd=rd_p, rs1=2, imm=nz))
        if f3 == 1:
            return ("c.fld", "fld", Ops(rd=rd_p, rs1=rs1_p, imm=off_d))
        if f3 == 2:
            return ("c.lw", "lw", Ops(rd=rd_p, rs1=rs1_p, imm=off_w))
        if f3 == 3:
            return ("c.ld", "ld", Ops(rd=rd_p, rs1=rs1_p, imm=off_d))
        if f3 == 4:
            return None                                      # reserved
        if f3 == 5:
            return ("c.fsd", "fsd", Ops(rs1=rs1_p, rs2=rs2_p, imm=off_d))
        if f3 == 6:
            return ("c.sw", "sw", Ops(rs1=rs1_p, rs2=rs2_p, imm=off_w))
        return ("c.sd", "sd", Ops(rs1=rs1_p, rs2=rs2_p, imm=off_d))
    if op == 1:
        if f3 == 0:
            if rd == 0:
                return ("c.nop", "addi", Ops())             # imm != 0: a HINT, still a no-op
            return ("c.addi", "addi", Ops(rd=rd, rs1=rd, imm=ci_imm))
        if f3 == 1:
            return None if rd == 0 else ("c.addiw", "addiw", Ops(rd=rd, rs1=rd, imm=ci_imm))
        if f3 == 2:
            return ("c.li", "addi", Ops(rd=rd, rs1=0, imm=ci_imm))
        if f3 == 3:
            if rd == 2:
                nz = sext(b(12, 12) << 9 | b(6, 6) << 4 | b(5, 5) << 6 | b(4, 3) << 7 | b(2, 2) << 5, 10)
                return None if nz == 0 else ("c.addi16sp", "addi", Ops(rd=2, rs1=2, imm=nz))
            if ci_imm == 0:
                return None
            return ("c.lui", "lui", Ops(rd=rd, imm=ci_imm << 12))
        if f3 == 4:
            sub = b(11, 10)
            if sub == 0:
                return ("c.srli", "srli", Ops(rd=rs1_p, rs1=rs1_p, imm=ci_uimm))
            if sub == 1:
                return ("c.srai", "srai", Ops(rd=rs1_p, rs1=rs1_p, imm=ci_uimm))
            if sub == 2:
                return ("c.andi", "andi", Ops(rd=rs1_p, rs1=rs1_p, imm=ci_imm))
            o = Ops(rd=rs1_p, rs1=rs1_p, rs2=rs2_p)
            names = (("c.sub", "sub"), ("c.xor", "xor"), ("c.or", "or"), ("c.and", "and"),
                     ("c.subw", "subw"), ("c.addw", "addw"), None, None)[b(12, 12) << 2 | b(6, 5)]
            return None if names is None else (names[0], names[1], o)
        if f3 == 5:
            off = sext(b(12, 12) << 11 | b(11, 11) << 4 | b(10, 9) << 8 | b(8, 8) << 10 | b(7, 7) << 6
                       | b(6, 6) << 7 | b(5, 3) << 1 | b(2, 2) << 5, 12)
            return ("c.j", "jal", Ops(rd=0, imm=off))
        off = sext(b(12, 12) << 8 | b(11, 10) << 3 | b(6, 5) << 6 | b(4, 3) << 1 | b(2, 2) << 5, 9)
        return ("c.beqz" if f3 == 6 else "c.bnez", "beq" if f3 == 6 else "bne",
                Ops(rs1=rs1_p, rs2=0, imm=off))
    # quadrant 2
    if f3 == 0:
        return ("c.slli", "slli", Ops(rd=rd, rs1=rd, imm=ci_uimm))
    if f3 == 1:
        return ("c.fldsp", "fld", Ops(rd=rd, rs1=2, imm=b(12, 12) << 5 | b(6, 5) << 3 | b(4, 2) << 6))
    if f3 == 2:
        off = b(12, 12) << 5 | b(6, 4) << 2 | b(3, 2) << 6
        return None if rd == 0 else ("c.lwsp", "lw", Ops(rd=rd, rs1=2, imm=off))
    if f3 == 3:
        off = b(12, 12) << 5 | b(6, 5) << 3 | b(4, 2) << 6
        return None if rd == 0 else ("c.ldsp", "ld", Ops(rd=rd, rs1=2, imm=off))
    if f3 == 4:
        if b(12, 12) == 0:
            if rs2 == 0:
                return None if rd == 0 else ("c.jr", "jalr", Ops(rd=0, rs1=rd, imm=0))
            return ("c.mv", "add", Ops(rd=rd, rs1=0, rs2=rs2))
        if rs2 == 0:
            if rd == 0:
                return ("c.ebreak", "ebreak", Ops())
            return ("c.jalr", "jalr", Ops(rd=1, rs1=rd, imm=0))
        return ("c.add", "add", Ops(rd=rd, rs1=rd, rs2=rs2))
    off_d = b(12, 10) << 3 | b(9, 7) << 6
    if f3 == 5:
        return ("c.fsdsp", "fsd", Ops(rs1=2, rs2=rs2, imm=off_d))
    if f3 == 6:
        return ("c.swsp", "sw", Ops(rs1=2, rs2=rs2, imm=b(12, 9) << 2 | b(8, 7) << 6))
    return ("c.sdsp", "sd", Ops(rs1=2, rs2=rs2, imm=off_d))


# ----------------------------------------------------------------------------- machine-mode traps

MSTATUS_MIE, MSTATUS_MPIE = 1 << 3, 1 << 7
MSTATUS_MPP_SHIFT = 11
MSTATUS_MPP = 3 << MSTATUS_MPP_SHIFT
MSTATUS_MPRV = 1 << 17


def trap_entry(mstatus: int, priv: int) -> tuple[int, int]:
    """mstatus and privilege after a trap into M-mode: MPIE <- MIE, MIE <- 0, MPP <- old priv."""
    mie = (mstatus >> 3) & 1
    s = mstatus & ~(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)
    s |= mie << 7 | priv << MSTATUS_MPP_SHIFT
    return s, PRIV_M


def mret(mstatus: int, least_privileged: int = PRIV_U) -> tuple[int, int]:
    """mstatus and privilege after MRET: priv <- MPP, MIE <- MPIE, MPIE <- 1, MPP <- least
    privileged mode, MPRV <- 0 when the new mode is below M."""
    mpp = (mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT
    mpie = (mstatus >> 7) & 1
    s = mstatus & ~(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)
    s |= mpie << 3 | MSTATUS_MPIE | least_privileged << MSTATUS_MPP_SHIFT
    if mpp != PRIV_M:
        s &= ~MSTATUS_MPRV
    return s, mpp


# ----------------------------------------------------------------------------- Zicsr


def csr_effect(mnemonic: str, rs1_field: int, src: int, old: int) -> tuple[bool, int]:
    """(does it write, value written) for a CSR instruction (zicsr.adoc).

    ``rs1_field`` is the rs1 / uimm field, ``src`` the source value (register contents or uimm).
    CSRRW/CSRRWI always write.  CSRRS/CSRRC (and the immediate forms) write only when the rs1 field is
    not x0 (the immediate not 0): a source register that merely holds zero still counts as a write.
    """
    if mnemonic in ("csrrw", "csrrwi"):
        return True, u64(src)
    if rs1_field == 0:
        return False, old
    if mnemonic in ("csrrs", "csrrsi"):
        return True, old | src
    return True, old & ~src & MASK64


def csr_reads(mnemonic: str, rd: int) -> bool:
    """CSRRW(I) with rd = x0 does not read the CSR (no read side effects); every other form reads."""
    return not (mnemonic in ("csrrw", "csrrwi") and rd == 0)


def csr_is_read_only(csr: int) -> bool:
    """csr[11:10] = 3 marks a read-only CSR."""
    return csr >> 10 == 3


def csr_min_priv(csr: int) -> int:
    """csr[9:8]: the lowest privilege level that may access the CSR."""
    return (csr >> 8) & 3
