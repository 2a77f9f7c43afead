"""IEEE 754 binary16/32/64 arithmetic on bit patterns, as the RISC-V F/D/Zfh chapters specify it.

Part of the mutation benchmark's reference simulator (:mod:`rvsim.testing.refsim`), written from the
spec text and sharing nothing with rvsim's C core: every result is computed exactly with Python
integers and rounded once.  Results follow RISC-V's rules (canonical NaN for every NaN result, tininess
detected after rounding, fmin/fmax of IEEE 754-2019 minimumNumber/maximumNumber, saturating
conversions) and each operation returns ``(bits, fflags)``.
"""
from __future__ import annotations

from math import isqrt

NV, DZ, OF, UF, NX = 16, 8, 4, 2, 1
RNE, RTZ, RDN, RUP, RMM = 0, 1, 2, 3, 4


class Fmt:
    def __init__(self, e: int, m: int):
        self.e, self.m = e, m
        self.width = 1 + e + m
        self.bias = (1 << (e - 1)) - 1
        self.emin = 1 - self.bias                    # exponent of the smallest normal
        self.emax = self.bias
        self.p = m + 1
        self.sign = 1 << (e + m)
        self.exp_mask = ((1 << e) - 1) << m
        self.frac_mask = (1 << m) - 1
        self.canonical_nan = self.exp_mask | (1 << (m - 1))
        self.max_finite = self.exp_mask - (1 << m) | self.frac_mask
        self.inf = self.exp_mask


H, S, D = Fmt(5, 10), Fmt(8, 23), Fmt(11, 52)
BY_WIDTH = {16: H, 32: S, 64: D}


def is_nan(f: Fmt, a: int) -> bool:
    return (a & f.exp_mask) == f.exp_mask and (a & f.frac_mask) != 0


def is_snan(f: Fmt, a: int) -> bool:
    return is_nan(f, a) and not (a >> (f.m - 1)) & 1


def is_inf(f: Fmt, a: int) -> bool:
    return (a & ~f.sign) == f.inf


def is_zero(f: Fmt, a: int) -> bool:
    return (a & ~f.sign) == 0


def sign_of(f: Fmt, a: int) -> int:
    return (a >> (f.width - 1)) & 1


def unpack(f: Fmt, a: int) -> tuple[int, int]:
    """A finite value as (mantissa, exponent): |value| = mantissa * 2**exponent."""
    exp = (a & f.exp_mask) >> f.m
    frac = a & f.frac_mask
    if exp == 0:
        return frac, f.emin - f.m
    return frac | (1 << f.m), exp - f.bias - f.m


def _round_int(mant: int, drop: int, sticky: bool, sign: int, rm: int) -> tuple[int, bool]:
    """mant >> drop rounded by rm (sticky: more non-zero bits below mant)."""
    if drop <= 0:
        return mant << -drop, sticky
    q = mant >> drop
    r = mant & ((1 << drop) - 1)
    half = 1 << (drop - 1)
    inexact = bool(r) or sticky
    if rm == RNE:
        up = r > half or (r == half and (sticky or q & 1))
    elif rm == RTZ:
        up = False
    elif rm == RDN:
        up = inexact and sign
    elif rm == RUP:
        up = inexact and not sign
    else:                                   # RMM
        up = r >= half
    return q + int(bool(up)), inexact


def round_pack(f: Fmt, sign: int, mant: int, exp: int, rm: int, sticky: bool = False) -> tuple[int, int]:
    """The bits of sign * (mant + sticky tail) * 2**exp rounded to f, and the flags it raises."""
    s = f.sign if sign else 0
    if mant == 0:
        return s, (NX | UF) if sticky else 0
    n = mant.bit_length()
    big_e = exp + n - 1
    # tininess after rounding: round to p bits with an unbounded exponent range
    tiny = False
    if big_e < f.emin:
        q_u, _ = _round_int(mant, n - f.p, sticky, sign, rm)
        tiny = big_e + (1 if q_u >> f.p else 0) < f.emin
    drop = max(n - f.p, f.emin - f.m - exp)
    q, inexact = _round_int(mant, drop, sticky, sign, rm)
    qexp = exp + drop
    if q >> f.p:
        q >>= 1
        qexp += 1
    flags = NX if inexact else 0
    if tiny and inexact:
        flags |= UF
    if q == 0:
        return s, flags
    if q >> f.m:                             # normal
        e_res = qexp + f.m
        if e_res > f.emax:
            big = rm in (RNE, RMM) or (rm == RDN and sign) or (rm == RUP and not sign)
            return s | (f.inf if big else f.max_finite), OF | NX
        return s | ((e_res + f.bias) << f.m) | (q & f.frac_mask), flags
    return s | q, flags


def _nan_result(f: Fmt, *ops: int) -> tuple[int, int]:
    return f.canonical_nan, NV if any(is_snan(f, a) for a in ops) else 0


def add(f: Fmt, a: int, b: int, rm: int, subtract: bool = False) -> tuple[int, int]:
    if subtract:
        b ^= f.sign
    if is_nan(f, a) or is_nan(f, b):
        return _nan_result(f, a, b)
    sa, sb = sign_of(f, a), sign_of(f, b)
    if is_inf(f, a) or is_inf(f, b):
        if is_inf(f, a) and is_inf(f, b) and sa != sb:
            return f.canonical_nan, NV
        return (a if is_inf(f, a) else b), 0
    return _exact_sum(f, sa, *unpack(f, a), sb, *unpack(f, b), rm)


def _exact_sum(f: Fmt, sa, ma, ea, sb, mb, eb, rm) -> tuple[int, int]:
    e = min(ea, eb)
    va = (ma << (ea - e)) * (-1 if sa else 1)
    vb = (mb << (eb - e)) * (-1 if sb else 1)
    total = va + vb
    if total == 0:
        if ma == 0 and mb == 0 and sa == sb:
            return (f.sign if sa else 0), 0
        return (f.sign if rm == RDN else 0), 0
    return round_pack(f, int(total < 0), abs(total), e, rm)


def mul(f: Fmt, a: int, b: int, rm: int) -> tuple[int, int]:
    if is_nan(f, a) or is_nan(f, b):
        return _nan_result(f, a, b)
    s = sign_of(f, a) ^ sign_of(f, b)
    if is_inf(f, a) or is_inf(f, b):
        if is_zero(f, a) or is_zero(f, b):
            return f.canonical_nan, NV
        return (f.sign if s else 0) | f.inf, 0
    ma, ea = unpack(f, a)
    mb, eb = unpack(f, b)
    return round_pack(f, s, ma * mb, ea + eb, rm)


def fma(f: Fmt, a: int, b: int, c: int, rm: int, negate_product=False, negate_addend=False) -> tuple[int, int]:
    """(±a*b) ± c with one rounding."""
    if (is_inf(f, a) and is_zero(f, b)) or (is_zero(f, a) and is_inf(f, b)):
        return f.canonical_nan, NV           # even when c is a quiet NaN
    if is_nan(f, a) or is_nan(f, b) or is_nan(f, c):
        return _nan_result(f, a, b, c)
    sp = sign_of(f, a) ^ sign_of(f, b) ^ int(negate_product)
    sc = sign_of(f, c) ^ int(negate_addend)
    if is_inf(f, a) or is_inf(f, b):
        if is_inf(f, c) and sc != sp:
            return f.canonical_nan, NV
        return (f.sign if sp else 0) | f.inf, 0
    if is_inf(f, c):
        return (f.sign if sc else 0) | f.inf, 0
    ma, ea = unpack(f, a)
    mb, eb = unpack(f, b)
    mc, ec = unpack(f, c)
    return _exact_sum(f, sp, ma * mb, ea + eb, sc, mc, ec, rm)


def div(f: Fmt, a: int, b: int, rm: int) -> tuple[int, int]:
    if is_nan(f, a) or is_nan(f, b):
        return _nan_result(f, a, b)
    s = sign_of(f, a) ^ sign_of(f, b)
    sbits = f.sign if s else 0
    if is_inf(f, a):
        return (f.canonical_nan, NV) if is_inf(f, b) else (sbits | f.inf, 0)
    if is_inf(f, b):
        return sbits, 0
    if is_zero(f, b):
        return (f.canonical_nan, NV) if is_zero(f, a) else (sbits | f.inf, DZ)
    if is_zero(f, a):
        return sbits, 0
    ma, ea = unpack(f, a)
    mb, eb = unpack(f, b)
    k = 2 * f.p + 8 + mb.bit_length()
    q, r = divmod(ma << k, mb)
    return round_pack(f, s, q, ea - eb - k, rm, sticky=r != 0)


def sqrt(f: Fmt, a: int, rm: int) -> tuple[int, int]:
    if is_nan(f, a):
        return _nan_result(f, a)
    if is_zero(f, a):
        return a, 0
    if sign_of(f, a):
        return f.canonical_nan, NV
    if is_inf(f, a):
        return a, 0
    m, e = unpack(f, a)
    k = 2 * f.p + 8
    if (e - k) % 2:
        k += 1
    big = m << k
    r = isqrt(big)
    return round_pack(f, 0, r, (e - k) // 2, rm, sticky=r * r != big)


def min_max(f: Fmt, a: int, b: int, want_max: bool) -> tuple[int, int]:
    flags = NV if is_snan(f, a) or is_snan(f, b) else 0
    if is_nan(f, a) and is_nan(f, b):
        return f.canonical_nan, flags
    if is_nan(f, a):
        return b, flags
    if is_nan(f, b):
        return a, flags
    lt = less(f, a, b) or (is_zero(f, a) and is_zero(f, b) and sign_of(f, a) > sign_of(f, b))
    if want_max:
        return (b if lt else a), flags
    return (a if lt else b), flags


def _key(f: Fmt, a: int):
    if is_zero(f, a):
        return 0
    mag = a & ~f.sign
    return -mag if sign_of(f, a) else mag


def less(f: Fmt, a: int, b: int) -> bool:
    return _key(f, a) < _key(f, b)


def compare(f: Fmt, a: int, b: int, op: str) -> tuple[int, int]:
    """feq (quiet), flt and fle (signalling): (0 or 1, flags)."""
    if is_nan(f, a) or is_nan(f, b):
        if op == "eq":
            return 0, NV if is_snan(f, a) or is_snan(f, b) else 0
        return 0, NV
    ka, kb = _key(f, a), _key(f, b)
    return int(ka == kb if op == "eq" else ka < kb if op == "lt" else ka <= kb), 0


def classify(f: Fmt, a: int) -> int:
    s = sign_of(f, a)
    if is_nan(f, a):
        return 1 << 8 if is_snan(f, a) else 1 << 9
    if is_inf(f, a):
        return 1 << 0 if s else 1 << 7
    if is_zero(f, a):
        return 1 << 3 if s else 1 << 4
    if (a & f.exp_mask) == 0:
        return 1 << 2 if s else 1 << 5
    return 1 << 1 if s else 1 << 6


def to_int(f: Fmt, a: int, rm: int, bits: int, signed: bool) -> tuple[int, int]:
    """fcvt.{w,wu,l,lu}: the integer (as an unsigned ``bits``-bit pattern) and the flags."""
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    mask = (1 << bits) - 1
    if is_nan(f, a):
        return hi & mask, NV
    s = sign_of(f, a)
    if is_inf(f, a):
        return (lo if s else hi) & mask, NV
    m, e = unpack(f, a)
    if e >= 0:
        v, inexact = m << e, False
    else:
        v, inexact = _round_int(m, -e, False, s, rm)
    v = -v if s else v
    if v < lo or v > hi:
        return (lo if v < lo else hi) & mask, NV
    return v & mask, NX if inexact else 0


def from_int(f: Fmt, v: int, rm: int) -> tuple[int, int]:
    """fcvt from a (Python, signed or unsigned) integer."""
    return round_pack(f, int(v < 0), abs(v), 0, rm)


def convert(dst: Fmt, src: Fmt, a: int, rm: int) -> tuple[int, int]:
    """fcvt between formats."""
    if is_nan(src, a):
        return dst.canonical_nan, NV if is_snan(src, a) else 0
    s = sign_of(src, a)
    sbits = dst.sign if s else 0
    if is_inf(src, a):
        return sbits | dst.inf, 0
    if is_zero(src, a):
        return sbits, 0
    return round_pack(dst, s, *unpack(src, a), rm)
