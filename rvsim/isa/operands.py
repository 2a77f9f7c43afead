"""Operand kinds: where an operand's bits live in an instruction word, and what it means.

Each kind names a bit scatter (``slices``), a role (which register file or immediate kind) and the
decoded-instruction slots it fills in the C core.  The same description drives encoding (assembler),
decoding (disassembler, Python decoder) and the generated C decoder, so a scatter is written once.
"""
from __future__ import annotations

from dataclasses import dataclass

# Roles: how the assembler parses and the disassembler prints an operand.
# ABI names of the integer and floating-point registers, by register number (the psABI's table).
XREG_NAMES = ("zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
              "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
              "t5", "t6")
FREG_NAMES = ("ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
              "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
              "fs10", "fs11", "ft8", "ft9", "ft10", "ft11")

XREG, FREG, VREG = "xreg", "freg", "vreg"
IMM, UIMM = "imm", "uimm"          # signed / unsigned plain immediates
PCREL = "pcrel"                    # signed byte offset from the instruction's pc
CSR = "csr"
RM = "rm"                          # static rounding mode (optional in assembly, default dyn)
FENCE = "fence"                    # iorw sets of fence
AQRL = "aqrl"                      # .aq/.rl mnemonic suffix of atomics
VM = "vm"                          # vector mask operand ``v0.t`` (absent = unmasked)
VTYPEI = "vtypei"                  # vsetvli/vsetivli immediate: e32, m4, ta, ma
NF = "nf"                          # segment count (in the mnemonic)


@dataclass(frozen=True)
class OperandKind:
    """One operand kind.

    ``slices`` are (inst_hi, inst_lo, value_lo): instruction bits inst_hi..inst_lo hold value bits
    value_lo..value_lo+(inst_hi-inst_lo).  ``offset`` is added after extraction (compressed register
    fields name x8..x15).  ``slots`` are the C decoded-entry fields the value goes to; ``c_expr`` turns the
    extracted value ``v`` into the slot value when the two differ (lui's immediate is stored pre-shifted).
    ``reserved_zero`` marks fields whose zero value makes the encoding reserved (decoder rejects it);
    ``nonzero`` is the assembler's rule (a HINT encoding may decode but must not be written by hand).
    """

    name: str
    role: str
    slices: tuple[tuple[int, int, int], ...]
    signed: bool = False
    offset: int = 0
    slots: tuple[str, ...] = ()
    c_expr: str | None = None
    nonzero: bool = False
    reserved_zero: bool = False
    not_value: int | None = None     # assembler: value this field may not take (c.lui rd != 2)
    scale: int = 1                   # value must be a multiple of this (offsets); encoding keeps low zero bits

    @property
    def bits_mask(self) -> int:
        """Instruction bits this operand occupies."""
        m = 0
        for hi, lo, _ in self.slices:
            m |= ((1 << (hi - lo + 1)) - 1) << lo
        return m

    @property
    def width(self) -> int:
        """Number of value bits (including the implicit low zero bits of scaled offsets)."""
        return max(vlo + hi - lo + 1 for hi, lo, vlo in self.slices)

    def extract(self, word: int) -> int:
        """Field value of this operand in ``word`` (sign-extended when signed, offset applied)."""
        v = 0
        for hi, lo, vlo in self.slices:
            v |= ((word >> lo) & ((1 << (hi - lo + 1)) - 1)) << vlo
        if self.signed and v >> (self.width - 1) & 1:
            v -= 1 << self.width
        return v + self.offset

    def insert(self, value: int) -> int:
        """Instruction bits for ``value`` (caller has range-checked it)."""
        v = (value - self.offset) & ((1 << self.width) - 1)
        word = 0
        for hi, lo, vlo in self.slices:
            word |= ((v >> vlo) & ((1 << (hi - lo + 1)) - 1)) << lo
        return word

    def value_range(self) -> tuple[int, int]:
        """Inclusive range of encodable values."""
        if self.signed:
            return -(1 << (self.width - 1)), (1 << (self.width - 1)) - 1
        return self.offset, self.offset + (1 << self.width) - 1

    def fits(self, value: int) -> bool:
        lo, hi = self.value_range()
        if not lo <= value <= hi:
            return False
        if value % self.scale:
            return False
        if (value - self.offset) & ((1 << min(s[2] for s in self.slices)) - 1):
            return False
        return True


def _k(name, role, slices, **kw) -> OperandKind:
    return OperandKind(name, role, tuple(slices), **kw)


_KINDS = [
    # integer registers
    _k("rd", XREG, [(11, 7, 0)], slots=("rd",)),
    _k("rs1", XREG, [(19, 15, 0)], slots=("rs1",)),
    _k("rs2", XREG, [(24, 20, 0)], slots=("rs2",)),
    # floating-point registers (same fields, other register file)
    _k("fd", FREG, [(11, 7, 0)], slots=("rd",)),
    _k("fs1", FREG, [(19, 15, 0)], slots=("rs1",)),
    _k("fs2", FREG, [(24, 20, 0)], slots=("rs2",)),
    _k("fs3", FREG, [(31, 27, 0)], slots=("rs3",)),
    # 32-bit immediates by format
    _k("imm_i", IMM, [(31, 20, 0)], signed=True, slots=("imm",)),
    _k("imm_s", IMM, [(31, 25, 5), (11, 7, 0)], signed=True, slots=("imm",)),
    _k("imm_b", PCREL, [(31, 31, 12), (30, 25, 5), (11, 8, 1), (7, 7, 11)], signed=True,
       slots=("imm",), scale=2),
    _k("imm_u", UIMM, [(31, 12, 0)], slots=("imm",),
       c_expr="(int64_t)(int32_t)((uint32_t)v << 12)"),
    _k("imm_j", PCREL, [(31, 31, 20), (30, 21, 1), (20, 20, 11), (19, 12, 12)], signed=True,
       slots=("imm",), scale=2),
    _k("shamt6", UIMM, [(25, 20, 0)], slots=("imm",)),
    _k("shamt5", UIMM, [(24, 20, 0)], slots=("imm",)),
    _k("csr", CSR, [(31, 20, 0)], slots=("imm",)),
    _k("zimm5", UIMM, [(19, 15, 0)], slots=("rs1",)),
    _k("rm", RM, [(14, 12, 0)], slots=("rm",)),
    _k("pred", FENCE, [(27, 24, 0)]),
    _k("succ", FENCE, [(23, 20, 0)]),
    _k("aqrl", AQRL, [(26, 25, 0)], slots=("rm",)),
    # compressed registers: 3-bit fields name x8..x15 / f8..f15
    _k("c_rd_p", XREG, [(4, 2, 0)], offset=8, slots=("rd",)),
    _k("c_rs1_p", XREG, [(9, 7, 0)], offset=8, slots=("rs1",)),
    _k("c_rs2_p", XREG, [(4, 2, 0)], offset=8, slots=("rs2",)),
    _k("c_rd_rs1_p", XREG, [(9, 7, 0)], offset=8, slots=("rd", "rs1")),
    _k("c_fd_p", FREG, [(4, 2, 0)], offset=8, slots=("rd",)),
    _k("c_fs2_p", FREG, [(4, 2, 0)], offset=8, slots=("rs2",)),
    # compressed 5-bit register fields
    _k("c_rd_rs1", XREG, [(11, 7, 0)], slots=("rd", "rs1")),
    _k("c_rd_rs1_n0", XREG, [(11, 7, 0)], slots=("rd", "rs1"), nonzero=True),
    _k("c_rd_rs1_n0r", XREG, [(11, 7, 0)], slots=("rd", "rs1"), nonzero=True, reserved_zero=True),
    _k("c_rd_n0", XREG, [(11, 7, 0)], slots=("rd",), nonzero=True),
    _k("c_rd_n0r", XREG, [(11, 7, 0)], slots=("rd",), nonzero=True, reserved_zero=True),
    _k("c_rd_n2", XREG, [(11, 7, 0)], slots=("rd",), nonzero=True, not_value=2),
    _k("c_rs1_n0", XREG, [(11, 7, 0)], slots=("rs1",), nonzero=True, reserved_zero=True),
    _k("c_rs2", XREG, [(6, 2, 0)], slots=("rs2",)),
    _k("c_rs2_n0", XREG, [(6, 2, 0)], slots=("rs2",), nonzero=True),
    _k("c_fd", FREG, [(11, 7, 0)], slots=("rd",)),
    _k("c_fs2", FREG, [(6, 2, 0)], slots=("rs2",)),
    # compressed immediates (bit scatters from the C chapter's tables)
    _k("c_nzuimm10", UIMM, [(12, 11, 4), (10, 7, 6), (6, 6, 2), (5, 5, 3)], slots=("imm",),
       nonzero=True, reserved_zero=True, scale=4),
    _k("c_uimm7", UIMM, [(12, 10, 3), (6, 6, 2), (5, 5, 6)], slots=("imm",), scale=4),
    _k("c_uimm8", UIMM, [(12, 10, 3), (6, 5, 6)], slots=("imm",), scale=8),
    _k("c_imm6", IMM, [(12, 12, 5), (6, 2, 0)], signed=True, slots=("imm",)),
    _k("c_nzimm6", IMM, [(12, 12, 5), (6, 2, 0)], signed=True, slots=("imm",), nonzero=True),
    _k("c_nzimm10", IMM, [(12, 12, 9), (6, 6, 4), (5, 5, 6), (4, 3, 7), (2, 2, 5)], signed=True,
       slots=("imm",), nonzero=True, reserved_zero=True, scale=16),
    _k("c_nzimm18", IMM, [(12, 12, 5), (6, 2, 0)], signed=True, slots=("imm",), nonzero=True,
       reserved_zero=True, c_expr="(int64_t)((uint64_t)v << 12)"),
    _k("c_nzuimm6", UIMM, [(12, 12, 5), (6, 2, 0)], slots=("imm",), nonzero=True),
    _k("c_nzuimm5", UIMM, [(6, 2, 0)], slots=("imm",), nonzero=True),       # RV32's shift amounts
    _k("c_imm_b", PCREL, [(12, 12, 8), (11, 10, 3), (6, 5, 6), (4, 3, 1), (2, 2, 5)], signed=True,
       slots=("imm",), scale=2),
    _k("c_imm_j", PCREL, [(12, 12, 11), (11, 11, 4), (10, 9, 8), (8, 8, 10), (7, 7, 6), (6, 6, 7),
                          (5, 3, 1), (2, 2, 5)], signed=True, slots=("imm",), scale=2),
    _k("c_uimm8sp", UIMM, [(12, 12, 5), (6, 4, 2), (3, 2, 6)], slots=("imm",), scale=4),
    _k("c_uimm9sp", UIMM, [(12, 12, 5), (6, 5, 3), (4, 2, 6)], slots=("imm",), scale=8),
    _k("c_uimm8sp_s", UIMM, [(12, 9, 2), (8, 7, 6)], slots=("imm",), scale=4),
    _k("c_uimm9sp_s", UIMM, [(12, 10, 3), (9, 7, 6)], slots=("imm",), scale=8),
]

OPERAND_KINDS: dict[str, OperandKind] = {k.name: k for k in _KINDS}


def register_kinds(kinds) -> None:
    """Add operand kinds (used by extension modules such as the vector table)."""
    for k in kinds:
        if k.name in OPERAND_KINDS:
            raise ValueError(f"operand kind {k.name} defined twice")
        OPERAND_KINDS[k.name] = k
