"""ML extensions of the vector unit: bfloat16 conversions and multiply-add, int8 dot products, matrix tiles.

Encodings are those of riscv-opcodes (``extensions/rv_zvfbfmin``, ``rv_zvfbfwma``,
``unratified/rv_zvdot4a``, ``unratified/rv_zvtbase``, ``rv_zvt8e``/``16e``/``64e``, ``rv_zvti8i32mm``,
``rv_zvtofp8fmm``); tests/test_ml_table.py parses those files and compares every record.

* Zvfbfmin, Zvfbfwma (ratified): ``vfncvtbf16.f.f.w``, ``vfwcvtbf16.f.f.v``, ``vfwmaccbf16.vv/.vf``.
* Zvdot4a8i (draft, formerly Zvqdotq): ``vdot4a[u|su|us].vv/.vx``; the old ``vqdot*`` spellings are
  assembler aliases (rvsim.isa.aliases), the encodings being identical.
* Zvt 0.4 (draft): one ISA-string switch, ``zvt``, for the family as implemented (Zvtbase, Zvt8e,
  Zvt16e, Zvt64e, Zvti8i32mm, Zvtfmm, Zvtdmm, Zvtfp16fmm, Zvtbf16fmm; not Zvtofp8fmm).

Assembly syntax of the Zvt records (the draft's, where it gives one): ``vtle32 rs2, (rs1)`` (rs2 holds
the tile subset specifier), ``vtmv.v.t vd, rs1``, ``vtmv.t.v rs1, vs2``, ``vtzero mt4``,
``vtmmu.tvv mt0, vs2, vs1``, ``msettn rd, rs1``, ``msetmtype rs1, rs2`` and ``msetmtypei e8alt, w4``.
riscv-opcodes gives msetmtype[i] an rd field where the draft's figure has zeros: it is a hidden operand
here (assembled as x0, not shown); rvsim writes the new vl, always 0, to it.
"""
from __future__ import annotations

from .operands import OperandKind, register_kinds

# Roles of the new operand kinds (the assembler and disassembler register their syntax).
TREG = "treg"          # a matrix tile: mt0..mt15
MTYPEI = "mtypei"      # msetmtypei's immediate: e8[alt], w4

register_kinds([
    # tile specifier in rd: all four bits (vtzero), or t[3:1] with t[0] = 0 (arithmetic: TEW >= 16)
    OperandKind("mtd16", TREG, ((11, 8, 0),), slots=("rd",)),
    OperandKind("mtd8", TREG, ((11, 9, 1),), slots=("rd",)),
    # msetmtypei: value = mtwiden | vsew << 2 | altfmt << 4, from bits 16..15, 24..23 and 28
    OperandKind("mtypei", MTYPEI, ((16, 15, 0), (24, 23, 2), (28, 28, 4)), slots=("imm",)),
])


def format_mtype_immediate(v: int) -> str:
    """Assembly text of a packed msetmtypei immediate (``e8alt,w4``)."""
    widen = ("w0", "w1", "w2", "w4")[v & 3]
    return f"e{8 << ((v >> 2) & 3)}{'alt' if v >> 4 & 1 else ''},{widen}"


ZVFBFMIN = """
vfncvtbf16.f.f.w | vd, vs2, vm      | 31..26=0x12 19..15=0x1d 14..12=1 6..0=0x57
vfwcvtbf16.f.f.v | vd, vs2, vm      | 31..26=0x12 19..15=0x0d 14..12=1 6..0=0x57
"""

ZVFBFWMA = """
vfwmaccbf16.vv   | vd, vs1, vs2, vm | 31..26=0x3b 14..12=1 6..0=0x57
vfwmaccbf16.vf   | vd, fs1, vs2, vm | 31..26=0x3b 14..12=5 6..0=0x57
"""

ZVDOT4A8I = """
vdot4a.vv        | vd, vs2, vs1, vm | 31..26=0x2c 14..12=2 6..0=0x57
vdot4a.vx        | vd, vs2, rs1, vm | 31..26=0x2c 14..12=6 6..0=0x57
vdot4au.vv       | vd, vs2, vs1, vm | 31..26=0x28 14..12=2 6..0=0x57
vdot4au.vx       | vd, vs2, rs1, vm | 31..26=0x28 14..12=6 6..0=0x57
vdot4asu.vv      | vd, vs2, vs1, vm | 31..26=0x2a 14..12=2 6..0=0x57
vdot4asu.vx      | vd, vs2, rs1, vm | 31..26=0x2a 14..12=6 6..0=0x57
vdot4aus.vx      | vd, vs2, rs1, vm | 31..26=0x2e 14..12=6 6..0=0x57
"""

ZVT = """
msettn      | rd, rs1         | 31..29=4 28=0 27..25=4 24..23=0 22..20=0 14..12=7 6..0=0x57
msettm      | rd, rs1         | 31..29=4 28=0 27..25=4 24..23=0 22..20=1 14..12=7 6..0=0x57
msettk      | rd, rs1         | 31..29=4 28=0 27..25=4 24..23=0 22..20=2 14..12=7 6..0=0x57
msetmtype   | rs1, rs2 ; rd   | 31..29=4 28=0 27..25=2 14..12=7 6..0=0x57
msetmtypei  | mtypei ; rd     | 31..29=4 27..25=4 22..20=4 19..17=0 14..12=7 6..0=0x57
vtle8       | rs2, (rs1)      | 31..25=0x09 14..12=7 11..7=0 6..0=0x07
vtse8       | rs2, (rs1)      | 31..25=0x09 14..12=7 11..7=0 6..0=0x27
vtle16      | rs2, (rs1)      | 31..25=0x19 14..12=7 11..7=0 6..0=0x07
vtse16      | rs2, (rs1)      | 31..25=0x19 14..12=7 11..7=0 6..0=0x27
vtle32      | rs2, (rs1)      | 31..25=0x29 14..12=7 11..7=0 6..0=0x07
vtse32      | rs2, (rs1)      | 31..25=0x29 14..12=7 11..7=0 6..0=0x27
vtle64      | rs2, (rs1)      | 31..25=0x39 14..12=7 11..7=0 6..0=0x07
vtse64      | rs2, (rs1)      | 31..25=0x39 14..12=7 11..7=0 6..0=0x27
vtmv.v.t    | vd, rs1         | 31..26=0x10 25=1 24..20=0x1f 14..12=6 6..0=0x57
vtmv.t.v    | rs1, vs2        | 31..26=0x17 25=1 14..12=6 11..7=0 6..0=0x57
vtzero      | mtd16           | 31..26=0x10 25=1 24..20=0x1e 19..15=0 14..12=6 7=0 6..0=0x57
vtdiscard   |                 | 31..26=0x10 25=1 24..20=0x1c 19..15=0 14..12=6 11..7=0 6..0=0x57
vtmmu.tvv   | mtd8, vs2, vs1  | 31..26=0x3c 25=1 14..12=0 8..7=0 6..0=0x77
vtmms.tvv   | mtd8, vs2, vs1  | 31..26=0x3c 25=1 14..12=0 8..7=1 6..0=0x77
vtfmm.tvv   | mtd8, vs2, vs1  | 31..26=0x3c 25=1 14..12=1 8..7=0 6..0=0x77
vtfmm.alt.tvv | mtd8, vs2, vs1 | 31..26=0x3c 25=1 14..12=1 8..7=1 6..0=0x77
"""

TABLES = {"zvfbfmin": ZVFBFMIN, "zvfbfwma": ZVFBFWMA, "zvdot4a8i": ZVDOT4A8I, "zvt": ZVT}
