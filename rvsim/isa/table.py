"""The instruction record and the parser for rvsim's table notation.

A table is text, one instruction per line, three or four ``|``-separated columns::

    mnemonic | assembly syntax          | fixed bits                   | expansion (compressed only)
    addi     | rd, rs1, imm_i           | 14..12=0 6..0=0x13
    lw       | rd, imm_i(rs1)           | 14..12=2 6..0=0x03
    c.lwsp   | c_rd_n0r, c_uimm8sp(sp)  | 1..0=2 15..13=2              | lw rs1=2

A block keyed ``ext@rv64`` (or ``@rv32``) holds the encodings that exist on that XLEN only, as does a line
whose mnemonic carries the mark (``c.ld@rv64``, where a block keeps the order the decoder tries them in);
a mnemonic may appear once per XLEN (RV32's slli has a 5-bit shift amount, RV64's a 6-bit one).

The syntax column names operand kinds (see :mod:`rvsim.isa.operands`) in assembly order, with the
punctuation GNU as uses; other words (``sp``) are literal registers.  Operands after ``;`` are encoded
but not written as operands (the ``.aq/.rl`` suffix of atomics).  Fixed bits are ``hi..lo=value`` or
``bit=value``; ``=?`` marks bits the instruction ignores.  A compressed instruction names the instruction
it expands to and the decoded-entry slots its expansion fixes (``rs1=2`` is sp).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .operands import OPERAND_KINDS, OperandKind

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*|[(),]")


@dataclass(frozen=True)
class Instruction:
    """One instruction encoding: the single source of truth for assembler, disassembler and decoder."""

    mnemonic: str
    extension: str                     # e.g. "i", "zba"; "c+d" means both must be enabled
    syntax: str                        # operand template in assembly order, e.g. "rd, imm_i(rs1)"
    match: int                         # fixed bit values
    mask: int                          # which bits are fixed
    length: int                        # 2 or 4 bytes
    operands: tuple[OperandKind, ...]  # kinds written in assembly, in order
    hidden: tuple[OperandKind, ...] = ()   # encoded but not written as an operand (aq/rl)
    ignored: int = 0                   # bits the instruction ignores (encoded as 0)
    expands_to: str | None = None      # compressed: mnemonic of the 32-bit instruction it stands for
    implied: tuple[tuple[str, int], ...] = ()  # compressed: decoded-entry slots the expansion fixes
    tokens: tuple[str, ...] = field(default=(), repr=False)  # syntax split into words and punctuation
    alternatives: tuple[str, ...] = ()  # other extensions that also provide it on their own (flh: zfbfmin)
    xlen: int = 0                      # 32 or 64 when the instruction exists on that XLEN only; 0: both

    def on_xlen(self, xlen: int) -> bool:
        """Whether this encoding exists on an RV``xlen`` machine."""
        return self.xlen in (0, xlen)

    @property
    def extensions(self) -> tuple[str, ...]:
        """The extensions this instruction needs (all of them), when no alternative provides it."""
        return tuple(self.extension.split("+"))

    @property
    def all_operands(self) -> tuple[OperandKind, ...]:
        return self.operands + self.hidden

    @property
    def c_name(self) -> str:
        """Identifier used for this instruction in generated C (``c.addi4spn`` -> ``C_ADDI4SPN``)."""
        return re.sub(r"[^A-Za-z0-9]", "_", self.mnemonic).upper()

    def matches(self, word: int) -> bool:
        return (word & self.mask) == self.match

    def decode_operands(self, word: int) -> dict[str, int]:
        """Operand values (by kind name) of an encoded ``word`` of this instruction."""
        return {k.name: k.extract(word) for k in self.all_operands}

    def encode(self, values: dict[str, int]) -> int:
        """Instruction word for operand ``values`` (by kind name; missing hidden operands are 0)."""
        word = self.match
        for k in self.all_operands:
            word |= k.insert(values.get(k.name, 0))
        return word


def _parse_bits(spec: str, where: str) -> tuple[int, int, int]:
    match = mask = ignored = 0
    for item in spec.split():
        rng, _, val = item.partition("=")
        hi, _, lo = rng.partition("..")
        hi = int(hi)
        lo = int(lo) if lo else hi
        bits = ((1 << (hi - lo + 1)) - 1) << lo
        if (mask | ignored) & bits:
            raise ValueError(f"{where}: bits {rng} given twice")
        if val == "?":
            ignored |= bits
            continue
        v = int(val, 0)
        if v >> (hi - lo + 1):
            raise ValueError(f"{where}: value {val} does not fit bits {rng}")
        match |= v << lo
        mask |= bits
    return match, mask, ignored


def parse_table(text: str, extension: str) -> list[Instruction]:
    """Parse one table block (see the module docstring) into instruction records.

    ``extension`` is what the block's instructions need: ``"zfhmin"``, ``"c+d"`` (both) or
    ``"zfhmin|zfbfmin"`` (either: the first is the instruction's own extension, the rest alternatives),
    followed by ``@rv32`` or ``@rv64`` for a block that exists on that XLEN only (``"i@rv64"``: ld, addw...)."""
    extension, _, only = extension.partition("@")
    xlen = {"": 0, "rv32": 32, "rv64": 64}.get(only)
    if xlen is None:
        raise ValueError(f"table {extension}@{only}: the XLEN must be rv32 or rv64")
    extension, *alternatives = extension.split("|")
    records = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        cols = [c.strip() for c in line.split("|")]
        if len(cols) not in (3, 4):
            raise ValueError(f"{extension} table line {lineno}: expected 3 or 4 columns: {raw!r}")
        mnemonic, syntax, bits = cols[:3]
        line_xlen = xlen
        if "@" in mnemonic:                 # one line of a block that exists on one XLEN only
            mnemonic, _, only = mnemonic.partition("@")
            line_xlen = {"rv32": 32, "rv64": 64}.get(only, -1)
            if line_xlen < 0 or xlen:
                raise ValueError(f"{extension} table line {lineno}: bad XLEN mark @{only}")
        where = f"{extension} table, {mnemonic}"
        shown, _, hidden = syntax.partition(";")
        tokens = tuple(_TOKEN.findall(shown))
        operands = tuple(OPERAND_KINDS[t] for t in tokens if t in OPERAND_KINDS)
        hidden_kinds = tuple(OPERAND_KINDS[t] for t in hidden.split())
        match, mask, ignored = _parse_bits(bits, where)
        length = 2 if (match & 3) != 3 else 4
        expands_to, implied = None, ()
        if len(cols) == 4:
            words = cols[3].split()
            expands_to = words[0]
            implied = tuple((k, int(v, 0)) for k, v in (w.split("=") for w in words[1:]))
        covered = mask | ignored
        for k in operands + hidden_kinds:
            if covered & k.bits_mask:
                raise ValueError(f"{where}: operand {k.name} overlaps other fields")
            covered |= k.bits_mask
        full = (1 << (8 * length)) - 1
        if covered != full:
            raise ValueError(f"{where}: bits {full & ~covered:#x} are not described")
        records.append(Instruction(mnemonic, extension, syntax.strip(), match, mask, length,
                                   operands, hidden_kinds, ignored, expands_to, implied, tokens,
                                   tuple(alternatives), line_xlen))
    return records
