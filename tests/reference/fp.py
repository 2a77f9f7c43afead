"""Exact reference model of RISC-V binary floating point (F, D, Zfh, Zfbfmin).

Written from the RISC-V unprivileged spec (f-st-ext, d-st-ext, zfh, zfbfmin,
vector-common for round-to-odd) and IEEE 754-2008 definitions, independently of
rvsim's C library.  It is slow and simple on purpose: every operand is decoded
to an exact ``fractions.Fraction``, the exact mathematical result is computed,
and that result is rounded to the destination format with exact rational
arithmetic.  Flags follow the definitions directly:

* NX  the delivered result differs from the exact result;
* UF  the result is tiny *after rounding* (rounded to the format's precision
      with an unbounded exponent range it is nonzero and below 2^emin) and inexact;
* OF  the result rounded with an unbounded exponent range exceeds the largest
      finite number (OF always comes with NX);
* DZ  finite nonzero / zero;
* NV  invalid operation or a signaling NaN operand.

Every NaN result is the canonical NaN of its format.

Usage (run from the repository root, e.g. under ``python -m pytest``)::

    from tests.reference import fp
    bits, flags = fp.add(fp.F32, 0x3f800000, 0x3f800000, fp.RNE)   # 1 + 1
    value, flags = fp.to_int(fp.F64, 0xc000000000000000, 32, False, fp.RTZ)

Bit patterns are plain ints in the low bits; bits above the format's width are
ignored.  Functions mirror rvsim's C API (csrc/softfloat.h) and return
``(result, flags)``; ``to_int`` returns the register value as a signed 64-bit
int (a 32-bit result sign-extended), like the C ``int64_t``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor, isqrt

BF16, F16, F32, F64 = 0, 1, 2, 3
RNE, RTZ, RDN, RUP, RMM, ROD = 0, 1, 2, 3, 4, 5
NX, UF, OF, DZ, NV = 1, 2, 4, 8, 16

ROUNDING_MODES = (RNE, RTZ, RDN, RUP, RMM)   # the frm encodings; ROD is vfncvt.rod only


@dataclass(frozen=True)
class Format:
    name: str
    exp_bits: int
    frac_bits: int

    @property
    def width(self) -> int:
        return 1 + self.exp_bits + self.frac_bits

    @property
    def precision(self) -> int:
        return self.frac_bits + 1

    @property
    def bias(self) -> int:
        return 2 ** (self.exp_bits - 1) - 1

    @property
    def emin(self) -> int:
        return 1 - self.bias

    @property
    def emax(self) -> int:
        return self.bias

    @property
    def max_finite(self) -> Fraction:
        return (2 - Fraction(1, 2 ** self.frac_bits)) * pow2(self.emax)

    @property
    def canonical_nan(self) -> int:
        """Positive, quiet, zero payload."""
        return ((2 ** self.exp_bits - 1) << self.frac_bits) | (1 << (self.frac_bits - 1))


FORMATS = {
    BF16: Format("bf16", 8, 7),
    F16: Format("f16", 5, 10),
    F32: Format("f32", 8, 23),
    F64: Format("f64", 11, 52),
}


def pow2(k: int) -> Fraction:
    return Fraction(2) ** k


# ---- decoding ----------------------------------------------------------------

ZERO, FINITE, INF, QNAN, SNAN = "zero", "finite", "inf", "qnan", "snan"


@dataclass(frozen=True)
class Value:
    kind: str          # ZERO, FINITE (nonzero), INF, QNAN or SNAN
    sign: int          # 1 for negative
    magnitude: Fraction = Fraction(0)

    @property
    def is_nan(self) -> bool:
        return self.kind in (QNAN, SNAN)

    @property
    def signed(self) -> Fraction:
        return -self.magnitude if self.sign else self.magnitude


def decode(fmt: int, bits: int) -> Value:
    f = FORMATS[fmt]
    bits &= (1 << f.width) - 1
    sign = bits >> (f.width - 1)
    exponent = (bits >> f.frac_bits) & (2 ** f.exp_bits - 1)
    fraction = bits & (2 ** f.frac_bits - 1)
    if exponent == 2 ** f.exp_bits - 1:
        if fraction == 0:
            return Value(INF, sign)
        quiet = fraction >> (f.frac_bits - 1)
        return Value(QNAN if quiet else SNAN, sign)
    if exponent == 0:
        if fraction == 0:
            return Value(ZERO, sign)
        return Value(FINITE, sign, Fraction(fraction) * pow2(f.emin - f.frac_bits))
    return Value(FINITE, sign, (1 + Fraction(fraction, 2 ** f.frac_bits)) * pow2(exponent - f.bias))


def to_fraction(fmt: int, bits: int) -> Fraction | None:
    """Exact value of a finite pattern (zero included); None for inf/NaN."""
    v = decode(fmt, bits)
    return v.signed if v.kind in (ZERO, FINITE) else None


# ---- encoding and rounding ---------------------------------------------------

def _zero(fmt: int, sign: int) -> int:
    return sign << (FORMATS[fmt].width - 1)


def _infinity(fmt: int, sign: int) -> int:
    f = FORMATS[fmt]
    return (sign << (f.width - 1)) | ((2 ** f.exp_bits - 1) << f.frac_bits)


def _encode_exact(fmt: int, sign: int, magnitude: Fraction) -> int:
    """Pattern of a magnitude that is exactly representable (and finite)."""
    f = FORMATS[fmt]
    if magnitude == 0:
        return _zero(fmt, sign)
    if magnitude < pow2(f.emin):
        fraction = magnitude / pow2(f.emin - f.frac_bits)
        exponent = 0
    else:
        e = floor_log2(magnitude)
        fraction = magnitude / pow2(e - f.frac_bits) - 2 ** f.frac_bits
        exponent = e + f.bias
    assert fraction.denominator == 1 and 0 <= fraction < 2 ** f.frac_bits
    return (sign << (f.width - 1)) | (exponent << f.frac_bits) | int(fraction)


def floor_log2(x: Fraction) -> int:
    """The e with 2^e <= x < 2^(e+1), for x > 0."""
    e = x.numerator.bit_length() - x.denominator.bit_length()
    if pow2(e) > x:
        e -= 1
    return e


def round_to_integer(x: Fraction, negative: bool, rm: int) -> int:
    """Round the magnitude x >= 0 of a number with the given sign to an integer magnitude."""
    below = floor(x)
    rest = x - below
    if rest == 0:
        return below
    if rm == RTZ:
        return below
    if rm == RDN:
        return below + 1 if negative else below
    if rm == RUP:
        return below if negative else below + 1
    if rm == RMM:
        return below + 1 if rest >= Fraction(1, 2) else below
    if rm == ROD:
        return below if below % 2 == 1 else below + 1
    # RNE
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and below % 2 == 1):
        return below + 1
    return below


def _round_to_precision(x: Fraction, exponent: int, negative: bool, rm: int, fmt: int) -> Fraction:
    """Round x to a multiple of the quantum of a p-bit significand with leading exponent `exponent`."""
    quantum = pow2(exponent - FORMATS[fmt].precision + 1)
    return round_to_integer(x / quantum, negative, rm) * quantum


def round_value(fmt: int, sign: int, magnitude: Fraction, rm: int) -> tuple[int, int]:
    """Round a nonzero exact value (-1)^sign * magnitude to the format: (bits, flags)."""
    f = FORMATS[fmt]
    negative = bool(sign)
    e = floor_log2(magnitude)
    unbounded = _round_to_precision(magnitude, e, negative, rm, fmt)
    if unbounded > f.max_finite:
        overflow_to_infinity = {RNE: True, RMM: True, RTZ: False, ROD: False,
                                RDN: negative, RUP: not negative}[rm]
        if overflow_to_infinity:
            return _infinity(fmt, sign), OF | NX
        return _encode_exact(fmt, sign, f.max_finite), OF | NX
    tiny = unbounded < pow2(f.emin)
    # Below 2^emin the quantum stays that of the subnormals.
    delivered = _round_to_precision(magnitude, e if e > f.emin else f.emin, negative, rm, fmt)
    flags = 0
    if delivered != magnitude:
        flags |= NX | (UF if tiny else 0)
    return _encode_exact(fmt, sign, delivered), flags


def _nan(fmt: int, invalid: bool) -> tuple[int, int]:
    return FORMATS[fmt].canonical_nan, NV if invalid else 0


def _any_snan(*values: Value) -> bool:
    return any(v.kind == SNAN for v in values)


def _exact_sum(fmt: int, x_sign: int, x: Fraction, y_sign: int, y: Fraction, rm: int) -> tuple[int, int]:
    """Round x_sign*x + y_sign*y (finite magnitudes, possibly zero) with IEEE zero-sign rules."""
    total = (-x if x_sign else x) + (-y if y_sign else y)
    if total == 0:
        # x + x keeps the sign of zero x; any other exact zero sum is +0, or -0 under RDN.
        if x == 0 and y == 0 and x_sign == y_sign:
            return _zero(fmt, x_sign), 0
        return _zero(fmt, 1 if rm == RDN else 0), 0
    return round_value(fmt, int(total < 0), abs(total), rm)


# ---- arithmetic --------------------------------------------------------------

def _add_values(fmt: int, x: Value, y: Value, rm: int) -> tuple[int, int]:
    if x.is_nan or y.is_nan:
        return _nan(fmt, _any_snan(x, y))
    if x.kind == INF and y.kind == INF:
        if x.sign != y.sign:
            return _nan(fmt, True)
        return _infinity(fmt, x.sign), 0
    if x.kind == INF:
        return _infinity(fmt, x.sign), 0
    if y.kind == INF:
        return _infinity(fmt, y.sign), 0
    return _exact_sum(fmt, x.sign, x.magnitude, y.sign, y.magnitude, rm)


def _negated(v: Value) -> Value:
    return Value(v.kind, 1 - v.sign, v.magnitude)


def add(fmt: int, a: int, b: int, rm: int) -> tuple[int, int]:
    return _add_values(fmt, decode(fmt, a), decode(fmt, b), rm)


def sub(fmt: int, a: int, b: int, rm: int) -> tuple[int, int]:
    return _add_values(fmt, decode(fmt, a), _negated(decode(fmt, b)), rm)


def mul(fmt: int, a: int, b: int, rm: int) -> tuple[int, int]:
    x, y = decode(fmt, a), decode(fmt, b)
    sign = x.sign ^ y.sign
    if x.is_nan or y.is_nan:
        return _nan(fmt, _any_snan(x, y))
    if {x.kind, y.kind} == {INF, ZERO}:
        return _nan(fmt, True)
    if INF in (x.kind, y.kind):
        return _infinity(fmt, sign), 0
    if ZERO in (x.kind, y.kind):
        return _zero(fmt, sign), 0
    return round_value(fmt, sign, x.magnitude * y.magnitude, rm)


def div(fmt: int, a: int, b: int, rm: int) -> tuple[int, int]:
    x, y = decode(fmt, a), decode(fmt, b)
    sign = x.sign ^ y.sign
    if x.is_nan or y.is_nan:
        return _nan(fmt, _any_snan(x, y))
    if x.kind == y.kind and x.kind in (INF, ZERO):
        return _nan(fmt, True)
    if x.kind == INF:
        return _infinity(fmt, sign), 0
    if y.kind == INF or x.kind == ZERO:
        return _zero(fmt, sign), 0
    if y.kind == ZERO:
        return _infinity(fmt, sign), DZ
    return round_value(fmt, sign, x.magnitude / y.magnitude, rm)


# The square root of a format value is either a dyadic rational or irrational.
# An irrational root rounds exactly like any number strictly inside the same
# open interval between consecutive multiples of 2^-SQRT_GRID_BITS, because
# every rounding boundary (representable values, midpoints, 2^emin) of every
# format is a multiple of 2^-1075, a coarser grid.
SQRT_GRID_BITS = 1100


def sqrt(fmt: int, a: int, rm: int) -> tuple[int, int]:
    x = decode(fmt, a)
    if x.is_nan:
        return _nan(fmt, x.kind == SNAN)
    if x.kind == ZERO:
        return _zero(fmt, x.sign), 0
    if x.sign:
        return _nan(fmt, True)
    if x.kind == INF:
        return _infinity(fmt, 0), 0
    scaled = x.magnitude * pow2(2 * SQRT_GRID_BITS)
    assert scaled.denominator == 1
    root = isqrt(scaled.numerator)
    if root * root == scaled.numerator:
        exact_root = Fraction(root) / pow2(SQRT_GRID_BITS)
    else:
        exact_root = Fraction(2 * root + 1) / pow2(SQRT_GRID_BITS + 1)   # stand-in, see above
    return round_value(fmt, 0, exact_root, rm)


def fma(fmt: int, a: int, b: int, c: int, rm: int) -> tuple[int, int]:
    """a*b + c with a single rounding."""
    x, y, z = decode(fmt, a), decode(fmt, b), decode(fmt, c)
    product_sign = x.sign ^ y.sign
    inf_times_zero = {x.kind, y.kind} == {INF, ZERO}
    if x.is_nan or y.is_nan or z.is_nan:
        # RISC-V: inf * 0 raises NV even when the addend is a quiet NaN.
        return _nan(fmt, _any_snan(x, y, z) or inf_times_zero)
    if inf_times_zero:
        return _nan(fmt, True)
    if INF in (x.kind, y.kind):
        if z.kind == INF and z.sign != product_sign:
            return _nan(fmt, True)
        return _infinity(fmt, product_sign), 0
    if z.kind == INF:
        return _infinity(fmt, z.sign), 0
    return _exact_sum(fmt, product_sign, x.magnitude * y.magnitude, z.sign, z.magnitude, rm)


# ---- conversions -------------------------------------------------------------

def convert(to_fmt: int, from_fmt: int, a: int, rm: int) -> tuple[int, int]:
    x = decode(from_fmt, a)
    if x.is_nan:
        return _nan(to_fmt, x.kind == SNAN)
    if x.kind == INF:
        return _infinity(to_fmt, x.sign), 0
    if x.kind == ZERO:
        return _zero(to_fmt, x.sign), 0
    return round_value(to_fmt, x.sign, x.magnitude, rm)


def int_range(bits: int, is_unsigned: bool) -> tuple[int, int]:
    if is_unsigned:
        return 0, 2 ** bits - 1
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def _register_value(value: int, bits: int) -> int:
    """A bits-wide integer as the C int64_t holds it: sign-extended from bit bits-1."""
    value &= 2 ** bits - 1
    return value - 2 ** bits if value >> (bits - 1) else value


def to_int(fmt: int, a: int, bits: int, is_unsigned: bool, rm: int) -> tuple[int, int]:
    """fcvt.{w,wu,l,lu} (bits 32/64) and vfcvt (bits = SEW): (value sign-extended to int64, flags)."""
    low, high = int_range(bits, is_unsigned)
    x = decode(fmt, a)
    if x.is_nan or (x.kind == INF and not x.sign):
        return _register_value(high, bits), NV
    if x.kind == INF:
        return _register_value(low, bits), NV
    magnitude = round_to_integer(x.magnitude, bool(x.sign), rm)
    rounded = -magnitude if x.sign else magnitude
    if rounded < low:
        return _register_value(low, bits), NV
    if rounded > high:
        return _register_value(high, bits), NV
    return _register_value(rounded, bits), NX if rounded != x.signed else 0


def from_int(fmt: int, v: int, bits: int, is_unsigned: bool, rm: int) -> tuple[int, int]:
    """fcvt.{s,d,h}.{w,wu,l,lu}: the integer is the low `bits` bits of v."""
    v &= 2 ** bits - 1
    if not is_unsigned and v >> (bits - 1):
        v -= 2 ** bits
    if v == 0:
        return _zero(fmt, 0), 0
    return round_value(fmt, int(v < 0), Fraction(abs(v)), rm)


# ---- comparisons, min/max, classify ------------------------------------------

def eq(fmt: int, a: int, b: int) -> tuple[int, int]:
    """feq: quiet, NV only for a signaling NaN."""
    x, y = decode(fmt, a), decode(fmt, b)
    if x.is_nan or y.is_nan:
        return 0, NV if _any_snan(x, y) else 0
    return int(_extended(x) == _extended(y)), 0


def _ordered_compare(fmt: int, a: int, b: int, holds) -> tuple[int, int]:
    x, y = decode(fmt, a), decode(fmt, b)
    if x.is_nan or y.is_nan:
        return 0, NV
    return int(holds(_extended(x), _extended(y))), 0


def _extended(v: Value) -> float | Fraction:
    """Numeric value on the extended real line (zeros of both signs are 0)."""
    if v.kind == INF:
        return float("-inf") if v.sign else float("inf")
    return v.signed


def lt(fmt: int, a: int, b: int) -> tuple[int, int]:
    """flt: signaling, NV for any NaN."""
    return _ordered_compare(fmt, a, b, lambda p, q: p < q)


def le(fmt: int, a: int, b: int) -> tuple[int, int]:
    """fle: signaling, NV for any NaN."""
    return _ordered_compare(fmt, a, b, lambda p, q: p <= q)


def _min_max(fmt: int, a: int, b: int, want_max: bool) -> tuple[int, int]:
    f = FORMATS[fmt]
    a &= (1 << f.width) - 1
    b &= (1 << f.width) - 1
    x, y = decode(fmt, a), decode(fmt, b)
    flags = NV if _any_snan(x, y) else 0
    if x.is_nan and y.is_nan:
        return f.canonical_nan, flags
    if x.is_nan:
        return b, flags
    if y.is_nan:
        return a, flags
    # For fmin/fmax only, -0 is less than +0.
    key_x = (_extended(x), -1 if x.kind == ZERO and x.sign else 0)
    key_y = (_extended(y), -1 if y.kind == ZERO and y.sign else 0)
    if want_max:
        return (a if key_x >= key_y else b), flags
    return (a if key_x <= key_y else b), flags


def min(fmt: int, a: int, b: int) -> tuple[int, int]:  # noqa: A001 - mirrors sf_min
    return _min_max(fmt, a, b, want_max=False)


def max(fmt: int, a: int, b: int) -> tuple[int, int]:  # noqa: A001 - mirrors sf_max
    return _min_max(fmt, a, b, want_max=True)


FCLASS_NEG_INF, FCLASS_NEG_NORMAL, FCLASS_NEG_SUBNORMAL, FCLASS_NEG_ZERO = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FCLASS_POS_ZERO, FCLASS_POS_SUBNORMAL, FCLASS_POS_NORMAL, FCLASS_POS_INF = 1 << 4, 1 << 5, 1 << 6, 1 << 7
FCLASS_SNAN, FCLASS_QNAN = 1 << 8, 1 << 9


def classify(fmt: int, a: int) -> int:
    """fclass: the 10-bit mask (exactly one bit set)."""
    x = decode(fmt, a)
    if x.kind == SNAN:
        return FCLASS_SNAN
    if x.kind == QNAN:
        return FCLASS_QNAN
    if x.kind == INF:
        return FCLASS_NEG_INF if x.sign else FCLASS_POS_INF
    if x.kind == ZERO:
        return FCLASS_NEG_ZERO if x.sign else FCLASS_POS_ZERO
    subnormal = x.magnitude < pow2(FORMATS[fmt].emin)
    if x.sign:
        return FCLASS_NEG_SUBNORMAL if subnormal else FCLASS_NEG_NORMAL
    return FCLASS_POS_SUBNORMAL if subnormal else FCLASS_POS_NORMAL


def canonical_nan(fmt: int) -> int:
    return FORMATS[fmt].canonical_nan
