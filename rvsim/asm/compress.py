"""Automatic compression: which 16-bit form GNU as picks for a 32-bit instruction under ``.option rvc``.

The candidates come from the table: every compressed record names the instruction it expands to and the
decoded slots its expansion fixes (``c.lwsp`` is ``lw`` with rs1=sp).  A candidate applies when the
instruction's operand values, read by slot (rd, rs1, rs2, imm), satisfy the compressed operand kinds
(register ranges, nonzero fields, immediate ranges and scales) and every slot the compressed form does not
carry is zero.  The first applicable candidate in table order wins.

GNU as's choices, established by experiment with binutils 2.40 (tests/test_asm_compress.py keeps them):

* ``addi rd, rs, 0`` becomes ``c.mv rd, rs`` (rd, rs nonzero) — GNU's ``mv`` alias table entry;
* ``add/and/or/xor/addw rd, rs1, rd`` compress with the operands swapped (``c.add rd, rs1``), but
  ``add rd, rs, x0`` does not become ``c.mv``;
* ``jalr`` and ``jal`` written out are never compressed; only the ``jr``/``jalr rs``/``ret`` and ``j``
  pseudo-instructions become ``c.jr``/``c.jalr``/``c.j``;
* ``beq``/``bne`` with rs2 = x0 become ``c.beqz``/``c.bnez`` when the target is near (see the relaxation
  in assembler.py);
* ``li rd, 0`` to x0 stays ``addi`` (no ``c.nop``).
"""
from __future__ import annotations

from functools import lru_cache

from ..isa import BY_MNEMONIC, INSTRUCTIONS, Instruction, enabled
from ..isa import operands as K

SWAPPABLE = {"c.add", "c.and", "c.or", "c.xor", "c.addw"}
# Compressed forms never chosen automatically for the written base instruction.
NOT_AUTOMATIC = {"c.jr", "c.jalr", "c.j", "c.beqz", "c.bnez"}

_SLOT_OF = {"rd": "rd", "rs1": "rs1", "rs2": "rs2", "fd": "rd", "fs1": "rs1", "fs2": "rs2"}


def _slot(kind: K.OperandKind) -> str | None:
    if kind.name in _SLOT_OF:
        return _SLOT_OF[kind.name]
    if kind.role in (K.IMM, K.UIMM):
        return "imm"
    return None


def _fits(kind: K.OperandKind, v: int) -> bool:
    if kind.role in (K.XREG, K.FREG):
        if kind.offset and not kind.offset <= v < kind.offset + (1 << kind.width):
            return False
        if not kind.offset and not 0 <= v < 32:
            return False
    elif not kind.fits(v):
        return False
    if kind.nonzero and v == 0:
        return False
    if kind.not_value is not None and v == kind.not_value:
        return False
    return True


class Candidate:
    """One compressed form of a base instruction, with how to read its operands from the base slots."""

    def __init__(self, c: Instruction, fixed: dict[str, int], reads: list[tuple[K.OperandKind, tuple]],
                 covered: set[str]):
        self.c = c
        self.fixed = fixed          # slot -> required value (from the expansion, e.g. rs1=2)
        self.reads = reads          # (compressed kind, base slots that must all hold its value)
        self.covered = covered      # base slots this form represents

    def try_encode(self, slots: dict[str, int]) -> int | None:
        for s, v in self.fixed.items():
            if slots.get(s, 0) != v:
                return None
        for s, v in slots.items():
            if s not in self.covered and v != 0:
                return None
        word = self.c.match
        for kind, from_slots in self.reads:
            v = slots.get(from_slots[0], 0)
            for s in from_slots[1:]:
                if slots.get(s, 0) != v:
                    return None
            if not _fits(kind, v):
                return None
            word |= kind.insert(v)
        return word


def _candidate(c: Instruction) -> Candidate:
    fixed = dict(c.implied)
    reads = []
    covered = set(fixed)
    for k in c.operands:
        slots = tuple(s for s in k.slots if s in ("rd", "rs1", "rs2", "imm"))
        reads.append((k, slots))
        covered.update(slots)
    return Candidate(c, fixed, reads, covered)


class _MvFromAddi(Candidate):
    """``addi rd, rs, 0`` -> ``c.mv rd, rs``."""

    def try_encode(self, slots):
        if slots.get("imm", 0) != 0:
            return None
        return super().try_encode({"rd": slots.get("rd", 0), "rs2": slots.get("rs1", 0)})


@lru_cache(maxsize=None)
def candidates(mnemonic: str, jumps: bool = False) -> tuple[Candidate, ...]:
    out = []
    for c in INSTRUCTIONS:
        if c.expands_to == mnemonic and (jumps or c.mnemonic not in NOT_AUTOMATIC):
            out.append(_candidate(c))
    if mnemonic == "addi":
        mv = BY_MNEMONIC["c.mv"]
        out.append(_MvFromAddi(mv, {"rs1": 0}, [(k, tuple(s for s in k.slots if s != "rs1") or ("rd",))
                                                 for k in mv.operands], {"rd", "rs1", "rs2", "imm"}))
    return tuple(out)


def base_slots(insn: Instruction, values: dict[str, int]) -> dict[str, int]:
    """Operand values of a base instruction by decoded slot (rd, rs1, rs2, imm)."""
    slots = {}
    for k in insn.operands:
        s = _slot(k)
        if s is None:
            if k.role == K.RM:
                return {}                  # instructions with a rounding mode have no compressed form
            continue
        v = values.get(k.name, 0)
        if k.name == "imm_u":              # lui: the 20-bit field read as a signed upper immediate
            v = v - (1 << 20) if v >> 19 else v
        slots[s] = v
    return slots


def compress(insn: Instruction, values: dict[str, int], exts, allow_nop: bool = True,
             jumps: bool = False, only: str | None = None) -> int | None:
    """The 16-bit encoding GNU as would choose for ``insn`` with ``values``, or None.

    ``jumps`` admits c.jr/c.jalr (for the jr/jalr/ret pseudo-instructions); ``only`` restricts the
    choice to one compressed mnemonic (GNU compresses ``mv`` only to c.mv, never to c.li or c.nop)."""
    cands = candidates(insn.mnemonic, jumps)
    if not cands:
        return None
    slots = base_slots(insn, values)
    if not slots and insn.operands:
        return None
    for cand in cands:
        if not enabled(cand.c, exts):
            continue
        if not allow_nop and cand.c.mnemonic == "c.nop" or only is not None and cand.c.mnemonic != only:
            continue
        w = cand.try_encode(slots)
        if w is None and cand.c.mnemonic in SWAPPABLE and "rs2" in slots:
            swapped = dict(slots)
            swapped["rs1"], swapped["rs2"] = slots["rs2"], slots["rs1"]
            w = cand.try_encode(swapped)
        if w is not None:
            return w
    return None
