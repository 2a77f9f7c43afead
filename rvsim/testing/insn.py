"""Decoded instructions as test values: a table record plus operand values, with text and encoding.

An :class:`Insn` is what :func:`rvsim.testing.strategies.instructions` yields.  ``insn.text`` is the
GNU-as syntax (``addi a0, sp, -16``, ``amoadd.w.aqrl t0, a1, (a2)``, ``vadd.vv v4, v8, v12, v0.t``)
written from the record's own syntax template, so the mnemonic is always the record's (never an
alias); ``insn.word`` is the encoding, computed from the table without the assembler.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..isa import BY_MNEMONIC, Instruction
from ..isa import operands as K
from ..isa.csrs import CSR_NUMBERS

from ..isa.operands import FREG_NAMES, XREG_NAMES
ROUNDING_MODES = {0: "rne", 1: "rtz", 2: "rdn", 3: "rup", 4: "rmm", 7: "dyn"}
AQRL_SUFFIXES = ("", ".rl", ".aq", ".aqrl")          # field value = aq:rl
LMUL_NAMES = {0: "m1", 1: "m2", 2: "m4", 3: "m8", 5: "mf8", 6: "mf4", 7: "mf2"}
# CSRs written by name (GNU as and rvsim both know these); others are written as numbers.
_CSR_NAMES = {CSR_NUMBERS[n]: n for n in ("fflags", "frm", "fcsr", "vstart", "vxsat", "vxrm", "vcsr", "vl",
                                          "vtype", "vlenb", "cycle", "time", "instret", "mstatus",
                                          "mscratch", "mepc", "mcause", "mtval", "misa")}


def vtype_text(vtypei: int) -> str:
    """The assembly form of a vtype immediate without reserved bits: ``e32, m4, ta, mu``."""
    sew, lmul = (vtypei >> 3) & 7, vtypei & 7
    if vtypei >> 8 or sew > 3 or lmul == 4:
        return str(vtypei)       # reserved values: GNU as takes the number
    return (f"e{8 << sew}, {LMUL_NAMES[lmul]}, {'ta' if vtypei >> 6 & 1 else 'tu'}, "
            f"{'ma' if vtypei >> 7 & 1 else 'mu'}")


@dataclass(frozen=True)
class Insn:
    """One instruction: a table record and its operand values (by operand-kind name).

    ``values`` holds every operand of the record, hidden ones (the ``.aq/.rl`` bits) included.  A PC-relative
    operand is a byte offset; in a program it may instead name a ``target`` label.
    """

    record: Instruction
    values: tuple[tuple[str, int], ...]
    target: str | None = None

    @classmethod
    def make(cls, mnemonic_or_record, target: str | None = None, **values: int) -> "Insn":
        """``Insn.make("addi", rd=10, rs1=2, imm_i=-16)``; missing hidden operands default to 0 and a
        missing ``vm`` to 1 (unmasked)."""
        record = BY_MNEMONIC[mnemonic_or_record] if isinstance(mnemonic_or_record, str) \
            else mnemonic_or_record
        full = {}
        for k in record.all_operands:
            if k.name in values:
                full[k.name] = int(values.pop(k.name))
            elif k.role == K.VM:
                full[k.name] = 1
            elif k in record.hidden or k.role == K.PCREL and target is not None:
                full[k.name] = 0
            else:
                raise ValueError(f"{record.mnemonic}: operand {k.name} not given")
        if values:
            raise ValueError(f"{record.mnemonic} has no operand {', '.join(values)}")
        return cls(record, tuple(full.items()), target)

    @property
    def mnemonic(self) -> str:
        return self.record.mnemonic

    @property
    def operands(self) -> dict[str, int]:
        return dict(self.values)

    def __getitem__(self, kind: str) -> int:
        return self.operands[kind]

    def replace(self, target: str | None = None, **values: int) -> "Insn":
        ops = self.operands
        ops.update(values)
        return Insn(self.record, tuple(ops.items()), target if target is not None else self.target)

    @property
    def length(self) -> int:
        return self.record.length

    @cached_property
    def word(self) -> int:
        """The encoding (a PC-relative operand given as a label encodes as offset 0)."""
        return self.record.encode(self.operands)

    def encode(self) -> bytes:
        return self.word.to_bytes(self.record.length, "little")

    @cached_property
    def text(self) -> str:
        return render(self.record, self.operands, self.target)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Insn({self.text!r})"

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(repr(self))


def _format(k: K.OperandKind, v: int, target: str | None) -> str | None:
    role = k.role
    if role == K.XREG:
        return XREG_NAMES[v]
    if role == K.FREG:
        return FREG_NAMES[v]
    if role == K.VREG:
        return f"v{v}"
    if role == K.PCREL:
        return target if target is not None else f".{v:+d}"
    if role in (K.IMM, K.UIMM):
        if k.name == "c_nzimm18":       # GNU as writes c.lui's immediate as the 20-bit field value
            return hex(v & 0xFFFFF)
        return str(v)
    if role == K.CSR:
        return _CSR_NAMES.get(v, hex(v))
    if role == K.RM:
        return ROUNDING_MODES[v]
    if role == K.FENCE:
        return "".join(ch for bit, ch in zip((8, 4, 2, 1), "iorw") if v & bit)
    if role == K.VM:
        return None if v else "v0.t"
    if role == K.VTYPEI:
        return vtype_text(v)
    if role == "treg":
        return f"mt{v}"
    if role == "mtypei":
        from ..isa.ml import format_mtype_immediate
        return format_mtype_immediate(v)
    raise ValueError(f"no text form for operand kind {k.name} (role {role})")


def render(record: Instruction, values: dict[str, int], target: str | None = None) -> str:
    """Assembly text of ``record`` with operand ``values``."""
    kinds = {k.name: k for k in record.operands}
    parts: list[str] = []
    for tok in record.tokens:
        k = kinds.get(tok)
        if k is None:
            parts.append(", " if tok == "," else tok)
            continue
        text = _format(k, values[tok], target)
        if text is None:                       # optional operand at its default (unmasked)
            if parts and parts[-1] == ", ":
                parts.pop()
            continue
        parts.append(text)
    mnemonic = record.mnemonic
    for k in record.hidden:
        if k.role == K.AQRL:
            mnemonic += AQRL_SUFFIXES[values.get(k.name, 0)]
    ops = "".join(parts)
    return f"{mnemonic} {ops}" if ops else mnemonic
