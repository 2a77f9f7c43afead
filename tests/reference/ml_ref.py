"""Reference model of the vector ML extensions and the reciprocal estimates, written from the spec texts.

Independent of the C core: values are exact rationals (tests/reference/fp.py) or plain Python ints, the
estimate tables are derived from their defining formula rather than copied, and the Zvt tile state is a
bytearray addressed by the draft's punning algorithm.

* vfrec7.v / vfrsqrt7.v (unpriv/vector-common.adoc): the special-case tables, normalization of
  subnormals, the output exponent rules; the lookup tables are regenerated here (see ``rec7_table``).
* Zvfbfmin / Zvfbfwma (unpriv/zvfbfmin.adoc, zvfbfwma.adoc): conversions between bf16 and fp32, and
  vfwmaccbf16 = the exact bf16 product added to the fp32 accumulator with one rounding.
* Zvdot4a8i (drafts/zvdot4a): four 8-bit products summed into a 32-bit element, wrapping.
* Zvt 0.4 (drafts/zvt.adoc, rvbna.adoc): ``ZvtState`` and ``execute_zvt``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import isqrt

from . import fp
from .vector_ref import Illegal, VState, check_group, check_overlap, regs_of, s, u, _write_elems

# ---------------------------------------------------------------- estimate tables

def _round_half_up(x: Fraction) -> int:
    return int((x + Fraction(1, 2)) // 1)


def rec7_table() -> list[int]:
    """vfrec7's table: input significand 1.s (seven bits s) -> output bits o of 1.o / 2 ~ 1/1.s.  Each
    entry is the reciprocal of the input interval's midpoint, scaled to [1, 2) and rounded to seven
    fraction bits (this reproduces every entry of the spec's table, and its worked examples)."""
    out = []
    for i in range(128):
        mid = 1 + Fraction(2 * i + 1, 256)
        out.append(_round_half_up((2 / mid - 1) * 128))
    return out


def _sqrt_floor_scaled(x: Fraction, bits: int) -> Fraction:
    """floor(sqrt(x) * 2^bits) / 2^bits, exactly."""
    n = x.numerator * 4 ** bits
    return Fraction(isqrt(n // x.denominator), 2 ** bits)


def rsqrt7_table() -> list[int]:
    """vfrsqrt7's table, indexed by exp[0] * 64 + the six high significand bits: 1/sqrt of the input
    interval's midpoint (x in [2, 4) when the exponent's low bit is 0 for these odd biases, [1, 2)
    when it is 1), scaled to [1, 2), rounded to seven fraction bits."""
    out = []
    for e in (0, 1):
        scale = 2 if e == 0 else 1
        for i in range(64):
            mid = scale * (1 + Fraction(2 * i + 1, 128))
            # y = 1/sqrt(mid) in (1/2, 1]: doubled into (1, 2]; 2^-40 resolution is far below the
            # rounding boundary distances of these midpoints (none is within 2^-20 of a tie)
            y = 2 / _sqrt_floor_scaled(mid, 40)
            out.append(_round_half_up((y - 1) * 128))
    return out


REC7 = rec7_table()
RSQRT7 = rsqrt7_table()


def _fields(fmt: int, bits: int):
    f = fp.FORMATS[fmt]
    bits &= (1 << f.width) - 1
    return bits >> (f.width - 1), (bits >> f.frac_bits) & ((1 << f.exp_bits) - 1), bits & ((1 << f.frac_bits) - 1)


def _normalized(fmt: int, exp: int, frac: int) -> tuple[int, int]:
    """The spec's normalized exponent and significand (subnormals shifted past their leading one)."""
    f = fp.FORMATS[fmt]
    if exp != 0:
        return exp, frac
    lz = f.frac_bits - frac.bit_length()
    return -lz, (frac << (lz + 1)) & ((1 << f.frac_bits) - 1)


def rsqrt7(fmt: int, bits: int) -> tuple[int, int]:
    f = fp.FORMATS[fmt]
    v = fp.decode(fmt, bits)
    if v.kind in (fp.QNAN, fp.SNAN):
        return f.canonical_nan, fp.NV if v.kind == fp.SNAN else 0
    if v.kind == fp.ZERO:
        return fp._infinity(fmt, v.sign), fp.DZ
    if v.sign:
        return f.canonical_nan, fp.NV
    if v.kind == fp.INF:
        return 0, 0
    _, exp, frac = _fields(fmt, bits)
    exp, frac = _normalized(fmt, exp, frac)
    out_sig = RSQRT7[(exp & 1) * 64 + (frac >> (f.frac_bits - 6))]
    out_exp = (3 * f.bias - 1 - exp) // 2
    return (out_exp << f.frac_bits) | (out_sig << (f.frac_bits - 7)), 0


def rec7(fmt: int, bits: int, rm: int) -> tuple[int, int]:
    f = fp.FORMATS[fmt]
    v = fp.decode(fmt, bits)
    if v.kind in (fp.QNAN, fp.SNAN):
        return f.canonical_nan, fp.NV if v.kind == fp.SNAN else 0
    if v.kind == fp.ZERO:
        return fp._infinity(fmt, v.sign), fp.DZ
    if v.kind == fp.INF:
        return fp._zero(fmt, v.sign), 0
    sign, exp, frac = _fields(fmt, bits)
    exp, frac = _normalized(fmt, exp, frac)
    out_exp = 2 * f.bias - 1 - exp
    if not -1 <= out_exp <= 2 * f.bias:
        # the table's tiny-subnormal rows: overflow to infinity or to the greatest finite magnitude
        to_inf = rm in ((fp.RUP, fp.RNE, fp.RMM) if not sign else (fp.RDN, fp.RNE, fp.RMM))
        mag = fp._infinity(fmt, 0) if to_inf else fp._encode_exact(fmt, 0, f.max_finite)
        return (sign << (f.width - 1)) | mag, fp.OF | fp.NX
    sig = REC7[frac >> (f.frac_bits - 7)] << (f.frac_bits - 7)
    if out_exp in (0, -1):
        sig = ((1 << f.frac_bits) | sig) >> (1 - out_exp)
        out_exp = 0
    return (sign << (f.width - 1)) | (out_exp << f.frac_bits) | sig, 0


# ---------------------------------------------------------------- bf16

def bf16_widen(a: int) -> tuple[int, int]:
    return fp.convert(fp.F32, fp.BF16, a, fp.RNE)


def bf16_narrow(a: int, rm: int) -> tuple[int, int]:
    return fp.convert(fp.BF16, fp.F32, a, rm)


def bf16_wmacc(d: int, b: int, a: int, rm: int) -> tuple[int, int]:
    """d (fp32) + b * a (bf16), one rounding: the product is exact in the fp32 fma of the widened
    operands (spec: vfwcvtbf16 both operands, then vfmacc)."""
    flags = 0
    wb, fl = bf16_widen(b)
    flags |= fl
    wa, fl = bf16_widen(a)
    flags |= fl
    r, fl = fp.fma(fp.F32, wb, wa, d, rm)
    return r, flags | fl


# ---------------------------------------------------------------- int8 dot products

def dot4(a: int, b: int, a_signed: bool, b_signed: bool) -> int:
    total = 0
    for k in range(4):
        x, y = (a >> 8 * k) & 0xFF, (b >> 8 * k) & 0xFF
        total += (s(x, 8) if a_signed else x) * (s(y, 8) if b_signed else y)
    return total


DOT4_SIGNS = {"vdot4a": (True, True), "vdot4au": (False, False), "vdot4asu": (True, False),
              "vdot4aus": (False, True)}


# ---------------------------------------------------------------- vector execution

def _fp_scalar(fregs, reg: int, width: int, fmt: int) -> int:
    v = fregs[reg]
    box = ((1 << 64) - 1) ^ ((1 << width) - 1)
    return v & ((1 << width) - 1) if v & box == box else fp.canonical_nan(fmt)


def execute_vector_ml(st: VState, mnemonic: str, ops: dict, frm: int, fregs: list, exts) -> int:
    """One vfrec7/vfrsqrt7, bf16 or vdot4a instruction on ``st``; returns the accrued FP flags.  Raises
    Illegal for reserved encodings (and FP instructions with an invalid frm)."""
    flags = _execute_vector_ml(st, mnemonic, ops, frm, fregs, exts)
    st.vstart = 0
    return flags


def _execute_vector_ml(st: VState, mnemonic: str, ops: dict, frm: int, fregs: list, exts) -> int:
    vm = ops.get("vm", 1)
    masked = vm == 0
    sew, lmul = st.sew, st.lmul
    vd, vs1, vs2 = ops.get("vd"), ops.get("vs1"), ops.get("vs2")
    flags = [0]

    def call(r):
        flags[0] |= r[1]
        return r[0]

    def checks(d_emul, d_eew, srcs):
        check_group(vd, d_emul)
        if masked and vd == 0:
            raise Illegal("masked destination overlaps v0")
        for reg, emul, eew in srcs:
            check_group(reg, emul)
            check_overlap(vd, d_emul, d_eew, reg, emul, eew)
            if masked and reg == 0:
                raise Illegal("v0 read as mask and as data")

    name, _, form = mnemonic.rpartition(".")
    if mnemonic.startswith("vdot4a"):
        if sew != 32:
            raise Illegal("vdot4a* are reserved unless SEW=32")
        srcs = [(vs2, lmul, 32)] + ([(vs1, lmul, 32)] if form == "vv" else [])
        checks(lmul, 32, srcs)
        a_signed, b_signed = DOT4_SIGNS[name]
        _write_elems(st, vd, vm, 32, lmul, lambda i: u(
            st.get(vd, i, 32) + dot4(st.get(vs2, i, 32),
                                     st.get(vs1, i, 32) if form == "vv" else st.x[ops["rs1"]] & 0xFFFFFFFF,
                                     a_signed, b_signed), 32))
        return 0
    if frm > 4:
        raise Illegal("invalid frm")
    if mnemonic in ("vfrec7.v", "vfrsqrt7.v"):
        if sew not in ((16, 32, 64) if "zvfh" in exts else (32, 64)):
            raise Illegal("FP SEW")
        checks(lmul, sew, [(vs2, lmul, sew)])
        fmt = {16: fp.F16, 32: fp.F32, 64: fp.F64}[sew]
        if mnemonic == "vfrec7.v":
            _write_elems(st, vd, vm, sew, lmul, lambda i: call(rec7(fmt, st.get(vs2, i, sew), frm)))
        else:
            _write_elems(st, vd, vm, sew, lmul, lambda i: call(rsqrt7(fmt, st.get(vs2, i, sew))))
        return flags[0]
    # bf16: SEW=16, EEW 32 on the wide side
    if sew != 16 or lmul == 8:
        raise Illegal("bf16 instructions are reserved unless SEW=16 (and LMUL < 8)")
    if mnemonic == "vfwcvtbf16.f.f.v":
        checks(2 * lmul, 32, [(vs2, lmul, 16)])
        _write_elems(st, vd, vm, 32, 2 * lmul, lambda i: call(bf16_widen(st.get(vs2, i, 16))))
    elif mnemonic == "vfncvtbf16.f.f.w":
        checks(lmul, 16, [(vs2, 2 * lmul, 32)])
        _write_elems(st, vd, vm, 16, lmul, lambda i: call(bf16_narrow(st.get(vs2, i, 32), frm)))
    elif name == "vfwmaccbf16":
        srcs = [(vs2, lmul, 16)] + ([(vs1, lmul, 16)] if form == "vv" else [])
        checks(2 * lmul, 32, srcs)
        scalar = _fp_scalar(fregs, ops["fs1"], 16, fp.BF16) if form == "vf" else None
        _write_elems(st, vd, vm, 32, 2 * lmul, lambda i: call(bf16_wmacc(
            st.get(vd, i, 32), st.get(vs1, i, 16) if scalar is None else scalar, st.get(vs2, i, 16), frm)))
    else:
        raise KeyError(mnemonic)
    return flags[0]


# ---------------------------------------------------------------- Zvt 0.4

def punning(te: int, tile: int, row: int, col: int, tew: int) -> int:
    """Byte offset of a tile element in the 16 * TE * TE byte tile state (drafts/zvt.adoc, "Tile
    Punning")."""
    if tew == 8:
        ptile, minor, major = tile, (row % 4) * 4 + col % 4, (row // 4) * (te // 4) + col // 4
    elif tew == 16:
        ptile = tile + ((row & 2) >> 1)
        minor = (row % 2) * 4 + (col % 2) * 2 + ((col // 2) % 2) * 8
        major = (row // 4) * (te // 4) + col // 4
    elif tew == 32:
        ptile = tile + 2 * (row // (te // 2)) + ((col & 2) >> 1)
        minor = (row % 2) * 8 + (col % 2) * 4
        major = ((row // 2) % (te // 4)) * (te // 4) + col // 4
    else:
        ptile, minor, major = tile + row // (te // 4), (col % 2) * 8, (row % (te // 4)) * (te // 4) + col // 2
    return ptile * te * te + major * 16 + minor


MSTATUS_FS = 3 << 13
MSTATUS_MS = 3 << 29


@dataclass
class ZvtState:
    """Matrix state beside a VState: tiles (bytes), mtype, vtype (raw, with altfmt), mstatus bits, the
    agnostic-ones option, TE and the fflags accrued."""

    te: int
    tiles: bytearray
    mtype: int = 0
    vtype: int = 1 << 63
    mstatus: int = MSTATUS_FS | MSTATUS_MS
    frm: int = 0
    fflags: int = 0
    ones: bool = False
    mem: dict = field(default_factory=dict)     # address -> byte, for vtle/vtse

    def ete(self, tew: int) -> int:
        return self.te if tew < 64 else self.te // 2

    def get(self, tile, row, col, tew) -> int:
        o = punning(self.te, tile, row, col, tew)
        return int.from_bytes(self.tiles[o:o + tew // 8], "little")

    def put(self, tile, row, col, tew, value) -> None:
        o = punning(self.te, tile, row, col, tew)
        self.tiles[o:o + tew // 8] = u(value, tew).to_bytes(tew // 8, "little")


KMAX = {8: 4, 16: 2, 32: 1, 64: 1}
TILE_STEP = {8: 1, 16: 2, 32: 4, 64: 2}


def _vtype_fields(vtype: int):
    vlmul = vtype & 7
    return 8 << ((vtype >> 3) & 7), (2.0 ** (vlmul if vlmul < 4 else vlmul - 8)), (vtype >> 8) & 1


def vtype_valid(vtype: int) -> bool:
    """vsetvl's rules, with altfmt (bit 8) accepted at SEW 8 and 16 (needed by Zvt's multiplies)."""
    vlmul, vsew = vtype & 7, (vtype >> 3) & 7
    if vtype >> 9 or (vtype >> 8 & 1 and vsew > 1):
        return False
    if vlmul == 4 or vsew > 3:
        return False
    lmul = 2.0 ** (vlmul if vlmul < 4 else vlmul - 8)
    return (8 << vsew) <= lmul * 64


def configured(z: ZvtState) -> bool:
    return (z.mtype & 3) != 0 and not z.vtype >> 63


def _unit(z: ZvtState, st: VState):
    sew, lmul, alt = _vtype_fields(z.vtype)
    twiden = 1 << ((z.mtype & 3) - 1)
    tew = sew * twiden
    return sew, lmul, alt, twiden, tew


def set_mtype(z: ZvtState, st: VState, mtype: int, vtype: int) -> None:
    """msetmtype[i] (the draft's behaviour listing)."""
    st.vl = 0
    ok = vtype_valid(vtype)
    if ok and mtype & 3:
        sew, _, _ = _vtype_fields(vtype)
        twiden = 1 << ((mtype & 3) - 1)
        tew = sew * twiden
        if tew > 64:
            ok = False
        else:
            ete, eve, kmax = z.ete(tew), st.vlen // sew, KMAX[sew]
            lmul = min(8 // kmax, 8 // twiden, -(-ete // eve))
            vtype = (vtype & ~7) | (lmul.bit_length() - 1) | 0xC0
            tk = min((mtype >> 5) & 7, kmax)
            tm = min((mtype >> 10) & 0x3FFF, lmul * eve, ete)
            mtype = (mtype & 3) | tk << 5 | tm << 10
    if not ok or not mtype & 3:
        mtype = 0
    z.vtype = vtype if ok else 1 << 63
    z.mtype = mtype
    _sync_vtype(z, st)


def _sync_vtype(z: ZvtState, st: VState) -> None:
    if not z.vtype >> 63:
        st.sew, st.lmul, _ = _vtype_fields(z.vtype)
        st.vta, st.vma = (z.vtype >> 6) & 1, (z.vtype >> 7) & 1


def _tss(v: int, tew: int, ete: int):
    tile = (v >> 27) & 15 & ~(TILE_STEP[tew] - 1)
    return tile, (v >> 24) & 1, (v & 0xFFFFFF) % ete


def _tss_pos(column: int, index: int, i: int):
    return (i, index) if column else (index, i)


def _ones(z: ZvtState) -> bool:
    return z.ones and (z.vtype >> 6) & 1 == 1


def rvbna_dot(fmt: int, a: list[int], b: list[int], n: int = 2) -> tuple[int, int]:
    """RVBNA dot product into fp32 (drafts/rvbna.adoc) with exact rationals: n products (missing ones
    are zeros), aligned on the largest reference exponent (sum of the factors' biased exponents, 1 for a
    subnormal), each truncated to the grid 2^(max_exp - bias_l - bias_r - (q + g - 1)) with round to odd,
    summed exactly, then rounded to fp32 with round to odd except that overflow gives infinity and zero
    is +0.  Returns (bits, flags), flags among NV and OF."""
    f = fp.FORMATS[fmt]
    q, g = 24, (n - 1).bit_length()
    products = []
    nan = inf = invalid = False
    inf_sign = 0
    for x, y in zip(a, b):
        vx, vy = fp.decode(fmt, x), fp.decode(fmt, y)
        sign = vx.sign ^ vy.sign
        if fp.SNAN in (vx.kind, vy.kind):
            invalid = True
        if vx.is_nan or vy.is_nan:
            nan = True
        if {vx.kind, vy.kind} == {fp.INF, fp.ZERO}:
            nan = invalid = True
        elif fp.INF in (vx.kind, vy.kind) and not (vx.is_nan or vy.is_nan):
            if inf and inf_sign != sign:
                nan = invalid = True
            inf, inf_sign = True, sign
        ex = (x >> f.frac_bits) & ((1 << f.exp_bits) - 1)
        ey = (y >> f.frac_bits) & ((1 << f.exp_bits) - 1)
        zero = fp.ZERO in (vx.kind, vy.kind)
        ref = 0 if zero else max(ex, 1) + max(ey, 1)
        products.append((sign, Fraction(0) if zero or vx.kind == fp.INF or vy.kind == fp.INF or nan
                         else vx.magnitude * vy.magnitude, ref))
    if nan:
        return fp.canonical_nan(fp.F32), fp.NV if invalid else 0
    if inf:
        return fp._infinity(fp.F32, inf_sign), 0
    max_exp = max([r for _, _, r in products] + [0])
    grid = fp.pow2(max_exp - 2 * f.bias - (q + g - 1))
    total = 0
    for sign, mag, _ in products:
        k = mag / grid
        t = k.numerator // k.denominator
        if t != k:
            t |= 1
        total += -t if sign else t
    if total == 0:
        return 0, 0
    bits, flags = fp.round_value(fp.F32, int(total < 0), abs(total) * grid, fp.ROD)
    if flags & fp.OF:
        return fp._infinity(fp.F32, int(total < 0)), fp.OF
    return bits, 0


def rvbna_accumulate(acc: int, dot: int) -> tuple[int, int]:
    """fp32 acc + dot rounded to odd, overflow to infinity, zero results +0; NV and OF only."""
    r, flags = fp.add(fp.F32, acc, dot, fp.ROD)
    if flags & fp.OF:
        r = fp._infinity(fp.F32, r >> 31)
    if r & 0x7FFFFFFF == 0:
        r = 0
    return r, flags & (fp.NV | fp.OF)


class MemFault(Exception):
    def __init__(self, cause, addr):
        super().__init__(cause, addr)
        self.cause, self.addr = cause, addr


def execute_zvt(st: VState, z: ZvtState, mnemonic: str, ops: dict, mem_ok=lambda addr, size, store: True):
    """One Zvt instruction.  ``st`` holds the vector registers, x registers, vl and vstart (its sew/lmul/
    vta/vma mirror z.vtype); ``z`` the rest.  Raises Illegal, or MemFault (cause, address) with vstart
    left at the faulting element.  ``mem_ok(addr, size, store)`` says whether an access is allowed."""
    x = st.x
    rd = ops.get("rd", 0)

    def write_x(reg, value):
        if reg:
            x[reg] = value

    if mnemonic in ("msetmtype", "msetmtypei"):
        if mnemonic == "msetmtype":
            set_mtype(z, st, x[ops["rs1"]], x[ops["rs2"]])
        else:
            imm = ops["mtypei"]
            set_mtype(z, st, imm & 3, ((imm >> 2) & 3) << 3 | ((imm >> 4) & 1) << 8)
        write_x(rd, 0)
        st.vstart = 0
        return
    if mnemonic == "msettn":
        avl = x[ops["rs1"]]
        if configured(z):
            sew, lmul, _, _, tew = _unit(z, st)
            st.vl = min(avl, int(lmul * st.vlen // sew), z.ete(tew))
        elif z.vtype >> 63:
            st.vl = 0
        else:
            sew, lmul, _ = _vtype_fields(z.vtype)
            st.vl = min(avl, int(lmul * st.vlen // sew))
        write_x(rd, st.vl)
        st.vstart = 0
        return
    if mnemonic in ("msettm", "msettk"):
        if not configured(z):
            raise Illegal("msettm/msettk with the matrix unit not configured")
        sew, lmul, _, _, tew = _unit(z, st)
        if mnemonic == "msettm":
            v = min(x[ops["rs1"]], int(lmul * st.vlen // sew), z.ete(tew))
            z.mtype = (z.mtype & ~(0x3FFF << 10)) | v << 10
        else:
            v = min(x[ops["rs1"]], KMAX[sew])
            z.mtype = (z.mtype & ~(7 << 5)) | v << 5
        write_x(rd, v)
        st.vstart = 0
        return
    # the rest touch the tile state
    if not z.mstatus & MSTATUS_MS:
        raise Illegal("mstatus.MS is Off")
    if mnemonic == "vtdiscard":
        if z.vtype >> 63:
            raise Illegal("vill")
        z.mstatus = (z.mstatus & ~MSTATUS_MS) | (1 << 29)
        st.vstart = 0
        return
    if not configured(z):
        raise Illegal("reserved while mtwiden = 0 (or vill)")
    sew, lmul, alt, twiden, tew = _unit(z, st)
    tm, tk = (z.mtype >> 10) & 0x3FFF, (z.mtype >> 5) & 7

    if mnemonic[:4] in ("vtle", "vtse"):
        eew = int(mnemonic[4:])
        ete = z.ete(eew)
        tile, column, index = _tss(x[ops["rs2"]], eew, ete)
        n, base, nb = min(st.vl, ete), x[ops["rs1"]], eew // 8
        store = mnemonic.startswith("vtse")
        for i in range(st.vstart, n):
            addr = (base + i * nb) % 2 ** 64
            if addr % nb:
                st.vstart = i
                raise MemFault(6 if store else 4, addr)
            if not mem_ok(addr, nb, store):
                st.vstart = i
                raise MemFault(7 if store else 5, addr)
            r, c = _tss_pos(column, index, i)
            if store:
                v = z.get(tile, r, c, eew)
                for k in range(nb):
                    z.mem[addr + k] = (v >> 8 * k) & 0xFF
            else:
                z.put(tile, r, c, eew, sum(z.mem.get(addr + k, 0) << 8 * k for k in range(nb)))
                z.mstatus |= MSTATUS_MS
        if not store and st.vstart < n:
            if _ones(z):
                for i in range(n, ete):
                    z.put(tile, *_tss_pos(column, index, i), eew, -1)
            z.mstatus |= MSTATUS_MS
        st.vstart = 0
        return
    if mnemonic in ("vtmv.v.t", "vtmv.t.v"):
        to_tile = mnemonic == "vtmv.t.v"
        vreg = ops["vs2"] if to_tile else ops["vd"]
        check_group(vreg, lmul)
        ete = z.ete(sew)
        tile, column, index = _tss(x[ops["rs1"]], sew, ete)
        n = min(st.vl, ete)
        if st.vstart < n:
            for i in range(st.vstart, n):
                r, c = _tss_pos(column, index, i)
                if to_tile:
                    z.put(tile, r, c, sew, st.get(vreg, i, sew))
                else:
                    st.put(vreg, i, sew, z.get(tile, r, c, sew))
            if to_tile:
                if _ones(z):
                    for i in range(n, ete):
                        z.put(tile, *_tss_pos(column, index, i), sew, -1)
                z.mstatus |= MSTATUS_MS
            elif st.ones and st.vta:
                for i in range(n, regs_of(lmul) * st.vlenb * 8 // sew):
                    st.put(vreg, i, sew, -1)
        st.vstart = 0
        return

    def tail(tile):
        if _ones(z):
            ete = z.ete(tew)
            for r in range(ete):
                for c in range(ete):
                    if r >= tm or c >= tn:
                        z.put(tile, r, c, tew, -1)

    tn = min(st.vl, z.ete(tew))
    if mnemonic == "vtzero":
        tile = ops["mtd16"]
        if st.vstart or tile % TILE_STEP[tew]:
            raise Illegal("vtzero: vstart != 0 or a tile that does not exist at this TEW")
        if tm and tn:
            for r in range(tm):
                for c in range(tn):
                    z.put(tile, r, c, tew, 0)
            tail(tile)
            z.mstatus |= MSTATUS_MS
        return
    # multiply-accumulate
    if st.vstart:
        raise Illegal("vstart != 0")
    kind = {"vtmmu.tvv": "u", "vtmms.tvv": "s", "vtfmm.tvv": "f", "vtfmm.alt.tvv": "alt"}[mnemonic]
    if kind in "us":
        if (sew, twiden) != (8, 4):
            raise Illegal("integer matmul needs SEW=8, TWIDEN=4")
        typ = "int8"
    elif (sew, twiden) == (16, 2) and alt == (kind == "alt"):
        typ = "bf16" if alt else "fp16"
    elif kind == "f" and twiden == 1 and not alt and sew in (32, 64):
        typ = f"fp{sew}"
    else:
        raise Illegal("unsupported SEW/TWIDEN/altfmt for this multiply")
    if typ != "int8" and (not z.mstatus & MSTATUS_FS or (sew >= 32 and z.frm > 4)):
        raise Illegal("FP state off or invalid frm")
    tile = ops["mtd8"]
    if tile % TILE_STEP[tew]:
        raise Illegal("tile not valid at this TEW")
    kmax = KMAX[sew]
    for reg in (ops["vs2"], ops["vs1"]):
        if lmul < 1 or lmul > 8 // kmax or reg % int(lmul) or reg % 8 >= 8 // kmax:
            raise Illegal("operand register group not valid for KMAX/LMUL")
    if not (tm and tn and tk):
        return

    def a_elem(k, i, w):
        return st.get(ops["vs2"] + k * (8 // kmax), i, w)

    def b_elem(k, j, w):
        return st.get(ops["vs1"] + k * (8 // kmax), j, w)

    flags = 0
    for r in range(tm):
        for c in range(tn):
            acc = z.get(tile, r, c, tew)
            if typ == "int8":
                total = acc
                for k in range(tk):
                    av, bv = a_elem(k, r, 8), b_elem(k, c, 8)
                    total += (s(av, 8) if kind == "s" else av) * (s(bv, 8) if alt else bv)
                z.put(tile, r, c, 32, total)
            elif typ in ("fp16", "bf16"):
                fmt = fp.F16 if typ == "fp16" else fp.BF16
                dot, fl1 = rvbna_dot(fmt, [a_elem(k, r, 16) for k in range(tk)],
                                     [b_elem(k, c, 16) for k in range(tk)], n=kmax)
                res, fl2 = rvbna_accumulate(acc, dot)
                flags |= fl1 | fl2
                z.put(tile, r, c, 32, res)
            else:
                fmt = fp.F32 if sew == 32 else fp.F64
                p, fl1 = fp.mul(fmt, a_elem(0, r, sew), b_elem(0, c, sew), z.frm)
                res, fl2 = fp.add(fmt, acc, p, z.frm)
                flags |= (fl1 | fl2) & (fp.NV | fp.OF)
                z.put(tile, r, c, sew, res)
    tail(tile)
    z.mstatus |= MSTATUS_MS
    z.fflags |= flags
