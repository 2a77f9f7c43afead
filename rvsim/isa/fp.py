"""Scalar floating point: F, D, Zfh (half), Zfhmin and Zfbfmin (bfloat16 conversions).

Conversions that are always exact (fcvt.d.s, fcvt.d.w, fcvt.d.wu, fcvt.s.h, fcvt.d.h, fcvt.s.bf16) keep
their rm field as a hidden operand: GNU as takes no rounding-mode operand for them and encodes rm=0 (rne),
and objdump shows other rm values as illegal; the decoder still accepts any rm, as the spec does.
"""

F = """
flw        | fd, imm_i(rs1)         | 14..12=2 6..0=0x7
fsw        | fs2, imm_s(rs1)        | 14..12=2 6..0=0x27
fmadd.s    | fd, fs1, fs2, fs3, rm  | 26..25=0 6..0=0x43
fmsub.s    | fd, fs1, fs2, fs3, rm  | 26..25=0 6..0=0x47
fnmsub.s   | fd, fs1, fs2, fs3, rm  | 26..25=0 6..0=0x4b
fnmadd.s   | fd, fs1, fs2, fs3, rm  | 26..25=0 6..0=0x4f
fadd.s     | fd, fs1, fs2, rm       | 31..27=0x00 26..25=0 6..0=0x53
fsub.s     | fd, fs1, fs2, rm       | 31..27=0x01 26..25=0 6..0=0x53
fmul.s     | fd, fs1, fs2, rm       | 31..27=0x02 26..25=0 6..0=0x53
fdiv.s     | fd, fs1, fs2, rm       | 31..27=0x03 26..25=0 6..0=0x53
fsqrt.s    | fd, fs1, rm            | 24..20=0 31..27=0x0B 26..25=0 6..0=0x53
fsgnj.s    | fd, fs1, fs2           | 31..27=0x04 14..12=0 26..25=0 6..0=0x53
fsgnjn.s   | fd, fs1, fs2           | 31..27=0x04 14..12=1 26..25=0 6..0=0x53
fsgnjx.s   | fd, fs1, fs2           | 31..27=0x04 14..12=2 26..25=0 6..0=0x53
fmin.s     | fd, fs1, fs2           | 31..27=0x05 14..12=0 26..25=0 6..0=0x53
fmax.s     | fd, fs1, fs2           | 31..27=0x05 14..12=1 26..25=0 6..0=0x53
fcvt.w.s   | rd, fs1, rm            | 24..20=0 31..27=0x18 26..25=0 6..0=0x53
fcvt.wu.s  | rd, fs1, rm            | 24..20=1 31..27=0x18 26..25=0 6..0=0x53
fmv.x.w    | rd, fs1                | 24..20=0 31..27=0x1C 14..12=0 26..25=0 6..0=0x53
feq.s      | rd, fs1, fs2           | 31..27=0x14 14..12=2 26..25=0 6..0=0x53
flt.s      | rd, fs1, fs2           | 31..27=0x14 14..12=1 26..25=0 6..0=0x53
fle.s      | rd, fs1, fs2           | 31..27=0x14 14..12=0 26..25=0 6..0=0x53
fclass.s   | rd, fs1                | 24..20=0 31..27=0x1C 14..12=1 26..25=0 6..0=0x53
fcvt.s.w   | fd, rs1, rm            | 24..20=0 31..27=0x1A 26..25=0 6..0=0x53
fcvt.s.wu  | fd, rs1, rm            | 24..20=1 31..27=0x1A 26..25=0 6..0=0x53
fmv.w.x    | fd, rs1                | 24..20=0 31..27=0x1E 14..12=0 26..25=0 6..0=0x53
"""

F_RV64 = """
fcvt.l.s   | rd, fs1, rm  | 24..20=2 31..27=0x18 26..25=0 6..0=0x53
fcvt.lu.s  | rd, fs1, rm  | 24..20=3 31..27=0x18 26..25=0 6..0=0x53
fcvt.s.l   | fd, rs1, rm  | 24..20=2 31..27=0x1A 26..25=0 6..0=0x53
fcvt.s.lu  | fd, rs1, rm  | 24..20=3 31..27=0x1A 26..25=0 6..0=0x53
"""

D = """
fld        | fd, imm_i(rs1)         | 14..12=3 6..0=0x7
fsd        | fs2, imm_s(rs1)        | 14..12=3 6..0=0x27
fmadd.d    | fd, fs1, fs2, fs3, rm  | 26..25=1 6..0=0x43
fmsub.d    | fd, fs1, fs2, fs3, rm  | 26..25=1 6..0=0x47
fnmsub.d   | fd, fs1, fs2, fs3, rm  | 26..25=1 6..0=0x4b
fnmadd.d   | fd, fs1, fs2, fs3, rm  | 26..25=1 6..0=0x4f
fadd.d     | fd, fs1, fs2, rm       | 31..27=0x00 26..25=1 6..0=0x53
fsub.d     | fd, fs1, fs2, rm       | 31..27=0x01 26..25=1 6..0=0x53
fmul.d     | fd, fs1, fs2, rm       | 31..27=0x02 26..25=1 6..0=0x53
fdiv.d     | fd, fs1, fs2, rm       | 31..27=0x03 26..25=1 6..0=0x53
fsqrt.d    | fd, fs1, rm            | 24..20=0 31..27=0x0B 26..25=1 6..0=0x53
fsgnj.d    | fd, fs1, fs2           | 31..27=0x04 14..12=0 26..25=1 6..0=0x53
fsgnjn.d   | fd, fs1, fs2           | 31..27=0x04 14..12=1 26..25=1 6..0=0x53
fsgnjx.d   | fd, fs1, fs2           | 31..27=0x04 14..12=2 26..25=1 6..0=0x53
fmin.d     | fd, fs1, fs2           | 31..27=0x05 14..12=0 26..25=1 6..0=0x53
fmax.d     | fd, fs1, fs2           | 31..27=0x05 14..12=1 26..25=1 6..0=0x53
fcvt.s.d   | fd, fs1, rm            | 24..20=1 31..27=0x08 26..25=0 6..0=0x53
fcvt.d.s   | fd, fs1 ; rm           | 24..20=0 31..27=0x08 26..25=1 6..0=0x53
feq.d      | rd, fs1, fs2           | 31..27=0x14 14..12=2 26..25=1 6..0=0x53
flt.d      | rd, fs1, fs2           | 31..27=0x14 14..12=1 26..25=1 6..0=0x53
fle.d      | rd, fs1, fs2           | 31..27=0x14 14..12=0 26..25=1 6..0=0x53
fclass.d   | rd, fs1                | 24..20=0 31..27=0x1C 14..12=1 26..25=1 6..0=0x53
fcvt.w.d   | rd, fs1, rm            | 24..20=0 31..27=0x18 26..25=1 6..0=0x53
fcvt.wu.d  | rd, fs1, rm            | 24..20=1 31..27=0x18 26..25=1 6..0=0x53
fcvt.d.w   | fd, rs1 ; rm           | 24..20=0 31..27=0x1A 26..25=1 6..0=0x53
fcvt.d.wu  | fd, rs1 ; rm           | 24..20=1 31..27=0x1A 26..25=1 6..0=0x53
"""

D_RV64 = """
fcvt.l.d   | rd, fs1, rm  | 24..20=2 31..27=0x18 26..25=1 6..0=0x53
fcvt.lu.d  | rd, fs1, rm  | 24..20=3 31..27=0x18 26..25=1 6..0=0x53
fmv.x.d    | rd, fs1      | 24..20=0 31..27=0x1C 14..12=0 26..25=1 6..0=0x53
fcvt.d.l   | fd, rs1, rm  | 24..20=2 31..27=0x1A 26..25=1 6..0=0x53
fcvt.d.lu  | fd, rs1, rm  | 24..20=3 31..27=0x1A 26..25=1 6..0=0x53
fmv.d.x    | fd, rs1      | 24..20=0 31..27=0x1E 14..12=0 26..25=1 6..0=0x53
"""

ZFH = """
fmadd.h    | fd, fs1, fs2, fs3, rm  | 26..25=2 6..0=0x43
fmsub.h    | fd, fs1, fs2, fs3, rm  | 26..25=2 6..0=0x47
fnmsub.h   | fd, fs1, fs2, fs3, rm  | 26..25=2 6..0=0x4b
fnmadd.h   | fd, fs1, fs2, fs3, rm  | 26..25=2 6..0=0x4f
fadd.h     | fd, fs1, fs2, rm       | 31..27=0x00 26..25=2 6..0=0x53
fsub.h     | fd, fs1, fs2, rm       | 31..27=0x01 26..25=2 6..0=0x53
fmul.h     | fd, fs1, fs2, rm       | 31..27=0x02 26..25=2 6..0=0x53
fdiv.h     | fd, fs1, fs2, rm       | 31..27=0x03 26..25=2 6..0=0x53
fsqrt.h    | fd, fs1, rm            | 24..20=0 31..27=0x0B 26..25=2 6..0=0x53
fsgnj.h    | fd, fs1, fs2           | 31..27=0x04 14..12=0 26..25=2 6..0=0x53
fsgnjn.h   | fd, fs1, fs2           | 31..27=0x04 14..12=1 26..25=2 6..0=0x53
fsgnjx.h   | fd, fs1, fs2           | 31..27=0x04 14..12=2 26..25=2 6..0=0x53
fmin.h     | fd, fs1, fs2           | 31..27=0x05 14..12=0 26..25=2 6..0=0x53
fmax.h     | fd, fs1, fs2           | 31..27=0x05 14..12=1 26..25=2 6..0=0x53
feq.h      | rd, fs1, fs2           | 31..27=0x14 14..12=2 26..25=2 6..0=0x53
flt.h      | rd, fs1, fs2           | 31..27=0x14 14..12=1 26..25=2 6..0=0x53
fle.h      | rd, fs1, fs2           | 31..27=0x14 14..12=0 26..25=2 6..0=0x53
fclass.h   | rd, fs1                | 24..20=0 31..27=0x1C 14..12=1 26..25=2 6..0=0x53
fcvt.w.h   | rd, fs1, rm            | 24..20=0 31..27=0x18 26..25=2 6..0=0x53
fcvt.wu.h  | rd, fs1, rm            | 24..20=1 31..27=0x18 26..25=2 6..0=0x53
fcvt.h.w   | fd, rs1, rm            | 24..20=0 31..27=0x1A 26..25=2 6..0=0x53
fcvt.h.wu  | fd, rs1, rm            | 24..20=1 31..27=0x1A 26..25=2 6..0=0x53
"""

ZFH_RV64 = """
fcvt.l.h   | rd, fs1, rm  | 24..20=2 31..27=0x18 26..25=2 6..0=0x53
fcvt.lu.h  | rd, fs1, rm  | 24..20=3 31..27=0x18 26..25=2 6..0=0x53
fcvt.h.l   | fd, rs1, rm  | 24..20=2 31..27=0x1A 26..25=2 6..0=0x53
fcvt.h.lu  | fd, rs1, rm  | 24..20=3 31..27=0x1A 26..25=2 6..0=0x53
"""

# Zfhmin is a subset of Zfh: loads, stores, moves and conversions to/from single (and double with D).
ZFHMIN = """
fcvt.s.h  | fd, fs1 ; rm     | 24..20=2 31..27=0x08 26..25=0 6..0=0x53
fcvt.h.s  | fd, fs1, rm      | 24..20=0 31..27=0x08 26..25=2 6..0=0x53
"""

# Half-precision loads, stores and moves: Zfbfmin provides them too (for bfloat16 values).
ZFHMIN_OR_ZFBFMIN = """
flh       | fd, imm_i(rs1)   | 14..12=1 6..0=0x7
fsh       | fs2, imm_s(rs1)  | 14..12=1 6..0=0x27
fmv.x.h   | rd, fs1          | 24..20=0 31..27=0x1C 14..12=0 26..25=2 6..0=0x53
fmv.h.x   | fd, rs1          | 24..20=0 31..27=0x1E 14..12=0 26..25=2 6..0=0x53
"""

ZFHMIN_D = """
fcvt.d.h  | fd, fs1 ; rm | 24..20=2 31..27=0x08 26..25=1 6..0=0x53
fcvt.h.d  | fd, fs1, rm  | 24..20=1 31..27=0x08 26..25=2 6..0=0x53
"""

ZFBFMIN = """
fcvt.bf16.s  | fd, fs1, rm  | 24..20=8 31..27=0x08 26..25=2 6..0=0x53
fcvt.s.bf16  | fd, fs1 ; rm | 24..20=6 31..27=0x08 26..25=0 6..0=0x53
"""

# Keys name the extensions an instruction needs: "a+b" both, "a|b" either.
# "@rv64": conversions to and from 64-bit integers, and fmv between a double and an x register.
TABLES = {"f": F, "f@rv64": F_RV64, "d": D, "d@rv64": D_RV64, "zfh": ZFH, "zfh@rv64": ZFH_RV64, "zfhmin": ZFHMIN, "zfhmin|zfbfmin": ZFHMIN_OR_ZFBFMIN,
          "zfhmin+d": ZFHMIN_D, "zfbfmin": ZFBFMIN}
