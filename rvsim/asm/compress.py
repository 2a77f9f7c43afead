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

from ..isa import Instruction, by_mnemonic, enabled, instructions, xlen_of
from ..isa import operands as K

SWAPPABLE = {"c.add", "c.and", "c.or", "c.xor", "c.addw"}
# Compressed forms never chosen automatically for the written base instruction.
NOT_AUTOMATIC = {"c.jr", "c.jalr", "c.j", "c.jal", "c.beqz", "c.bnez"}

_SLOT_OF = {"rd": "rd", "rs1": "rs1", "rs2": "rs2", "fd": "rd", "fs1": "rs1", "fs2": "rs2"}


def _slot(kind: K.OperandKind) -> str | None:
    if kind.name in _SLOT_OF:
        return _SLOT_OF[kind.name]
    if kind.role in (K.IMM, K.UIMM):
        return "imm"
    return None


def _limits(kind: K.OperandKind):
    """(lo, hi, step, nonzero, not_value) of a compressed operand kind's allowed values."""
    if kind.role in (K.XREG, K.FREG):
        lo = kind.offset
        hi = kind.offset + (1 << kind.width) - 1 if kind.offset else 31
        step = 1
    else:
        lo, hi = kind.value_range()
        step = max(kind.scale, 1 << min(sl[2] for sl in kind.slices))
    return lo, hi, step, kind.nonzero, kind.not_value


def _slot_names(base: Instruction) -> dict[str, str] | None:
    """Base operand kind name by slot, or None when the base has no compressed form (rounding mode)."""
    out = {}
    for k in base.operands:
        s = _slot(k)
        if s is None:
            if k.role == K.RM:
                return None
            continue
        out[s] = k.name
    return out


class Candidate:
    """One compressed form of a base instruction, checked directly on the base's operand values.

    ``fixed``: base operands that must have a given value (the expansion's rs1=2, and 0 for every slot
    the compressed form does not carry); ``checks``: per compressed operand, the base operands holding
    its value (two when the field is rd = rs1) and its limits.
    """

    def __init__(self, c: Instruction, fixed, checks, upper=None):
        self.c = c
        self.fixed = tuple(fixed)
        self.checks = tuple(checks)
        self.upper = upper              # lui's imm_u: read as a signed 20-bit value

    def try_encode(self, values: dict[str, int]) -> int | None:
        get = values.get
        for name, v in self.fixed:
            if get(name, 0) != v:
                return None
        word = self.c.match
        upper = self.upper
        for names, lo, hi, step, nonzero, notv, insert in self.checks:
            v = get(names[0], 0)
            if len(names) > 1 and get(names[1], 0) != v:
                return None
            if names[0] == upper and v >> 19:
                v -= 1 << 20
            if v < lo or v > hi or (step > 1 and v % step) or (nonzero and v == 0) or v == notv:
                return None
            word |= insert(v)
        return word


def _candidate(c: Instruction, base: Instruction, slot_map: dict[str, str] | None = None):
    names = _slot_names(base)
    if names is None:
        return None
    if slot_map:                               # read compressed slot X from base slot slot_map[X]
        names = {s: names[slot_map.get(s, s)] for s in names if slot_map.get(s, s) in names}
    fixed = []
    covered = set()
    for slot, v in c.implied:
        if slot in names:
            fixed.append((names[slot], v))
        covered.add(slot)
    checks = []
    for k in c.operands:
        slots = [s for s in k.slots if s in ("rd", "rs1", "rs2", "imm")]
        covered.update(slots)
        if any(s not in names for s in slots):
            return None
        checks.append((tuple(names[s] for s in slots), *_limits(k), k.insert))
    for slot, name in names.items():
        if slot not in covered:
            fixed.append((name, 0))
    upper = "imm_u" if any(k.name == "imm_u" for k in base.operands) else None
    return Candidate(c, fixed, checks, upper)


@lru_cache(maxsize=None)
def candidates(mnemonic: str, jumps: bool = False, xlen: int = 64) -> tuple[Candidate, ...]:
    """The compressed forms of ``mnemonic`` on RV``xlen`` (c.jal and c.flw on RV32, c.ld on RV64)."""
    table = by_mnemonic(xlen)
    base = table.get(mnemonic)
    if base is None:
        return ()
    out = []
    for c in instructions(xlen):
        if c.expands_to == mnemonic and (jumps or c.mnemonic not in NOT_AUTOMATIC):
            cand = _candidate(c, base)
            if cand is None:
                continue
            out.append(cand)
            if c.mnemonic in SWAPPABLE:        # rd = rs2: the operands of a commutative op swapped
                swapped = _candidate(c, base, {"rs1": "rs2", "rs2": "rs1"})
                if swapped is not None:
                    out.append(swapped)
    if mnemonic == "addi":                     # addi rd, rs, 0 -> c.mv rd, rs
        mv = table["c.mv"]
        rd_k, rs_k = mv.operands
        out.append(Candidate(mv, [("imm_i", 0)], [(("rd",), *_limits(rd_k), rd_k.insert),
                                                   (("rs1",), *_limits(rs_k), rs_k.insert)]))
    return tuple(out)


_USABLE: dict = {}


def _usable(mnemonic: str, jumps: bool, exts, allow_nop: bool, only) -> tuple[Candidate, ...]:
    key = (mnemonic, jumps, allow_nop, only)
    r = _USABLE.get(key)
    if r is None or r[0] is not exts:
        r = _USABLE[key] = (exts, tuple(
            c for c in candidates(mnemonic, jumps, xlen_of(exts))
            if enabled(c.c, exts) and not (not allow_nop and c.c.mnemonic == "c.nop")
            and (only is None or c.c.mnemonic == only)))
    return r[1]


def has_candidates(mnemonic: str, xlen: int = 64) -> bool:
    return bool(candidates(mnemonic, True, xlen))


def compress(insn: Instruction, values: dict[str, int], exts, allow_nop: bool = True,
             jumps: bool = False, only: str | None = None) -> int | None:
    """The 16-bit encoding GNU as would choose for ``insn`` with ``values``, or None.

    ``jumps`` admits c.jr/c.jalr (for the jr/jalr/ret pseudo-instructions); ``only`` restricts the
    choice to one compressed mnemonic (GNU compresses ``mv`` only to c.mv, never to c.li or c.nop)."""
    for cand in _usable(insn.mnemonic, jumps, exts, allow_nop, only):
        w = cand.try_encode(values)
        if w is not None:
            return w
    return None
