"""The C soft-float library (csrc/softfloat.c) against the exact Python reference.

Property tests draw operands biased towards the values where floating point
goes wrong (zeros, infinities, NaNs with payloads, subnormal/normal and
overflow boundaries, ties, exact cancellation) for every format and rounding
mode; known-answer tests pin down rules quoted from the RISC-V spec.

More examples: SOFTFLOAT_EXAMPLES=20000 python -m pytest -q tests/test_softfloat.py
"""

import functools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reference import fp

core = pytest.importorskip("rvsim._core", reason="the C extension is not built (python setup.py build_ext --inplace)")
ffi, lib = core.ffi, core.lib

EXAMPLES = int(os.environ.get("SOFTFLOAT_EXAMPLES", "300"))
examples = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ALL_FORMATS = (fp.BF16, fp.F16, fp.F32, fp.F64)
FORMAT_IDS = ["bf16", "f16", "f32", "f64"]
each_format = pytest.mark.parametrize("fmt", ALL_FORMATS, ids=FORMAT_IDS)
rounding_modes = st.sampled_from(fp.ROUNDING_MODES)


def call(name, *args):
    """Call sf_<name>(*args, flags) and return (result, flags)."""
    flags = ffi.new("unsigned *")
    result = getattr(lib, "sf_" + name)(*args, flags)
    return result, flags[0]


def show(fmt, *patterns):
    width = (fp.FORMATS[fmt].width + 3) // 4
    return " ".join(f"{p:#0{width + 2}x}" for p in patterns)


# ---- operand strategies --------------------------------------------------------

def pattern(fmt, sign, biased_exp, frac):
    f = fp.FORMATS[fmt]
    return (sign << (f.width - 1)) | (biased_exp << f.frac_bits) | frac


@functools.lru_cache(maxsize=None)
def special_patterns(fmt):
    """Every boundary value of the format, both signs."""
    f = fp.FORMATS[fmt]
    top_exp = 2 ** f.exp_bits - 1
    all_frac = 2 ** f.frac_bits - 1
    quiet = 1 << (f.frac_bits - 1)
    one = pattern(fmt, 0, f.bias, 0)
    magnitudes = [
        0, 1, 2, 3, all_frac - 1, all_frac,                   # zero, subnormals
        1 << f.frac_bits, (1 << f.frac_bits) + 1,              # smallest normals
        one - 1, one, one + 1, pattern(fmt, 0, f.bias, 1 << (f.frac_bits - 1)),   # around 1, 1.5
        pattern(fmt, 0, f.bias + 1, 0), pattern(fmt, 0, f.bias - 1, 0),          # 2, 0.5
        pattern(fmt, 0, top_exp - 1, all_frac), pattern(fmt, 0, top_exp - 1, all_frac - 1),   # near max
        pattern(fmt, 0, top_exp - 1, 0),
        pattern(fmt, 0, top_exp, 0),                            # infinity
        pattern(fmt, 0, top_exp, quiet), pattern(fmt, 0, top_exp, quiet | 1),   # quiet NaNs
        pattern(fmt, 0, top_exp, 1), pattern(fmt, 0, top_exp, quiet - 1),       # signaling NaNs
    ]
    sign = 1 << (f.width - 1)
    return tuple(magnitudes + [m | sign for m in magnitudes])


@functools.lru_cache(maxsize=None)
def fractions(fmt):
    """Fraction fields: random, with few significant bits (ties), or just below a power of two."""
    frac_bits = fp.FORMATS[fmt].frac_bits
    return st.one_of(
        st.integers(0, 2 ** frac_bits - 1),
        st.integers(0, 15).map(lambda k: (k << frac_bits) >> 4),
        st.integers(0, 15).map(lambda k: 2 ** frac_bits - 1 - k),
    )


@functools.lru_cache(maxsize=None)   # building strategies is slow; reuse them
def near_exponent(fmt, low, high):
    """A finite value of either sign with biased exponent in [low, high] (clipped to the format)."""
    top = 2 ** fp.FORMATS[fmt].exp_bits - 2
    exponents = st.integers(min(max(low, 0), top), min(max(high, 0), top))
    return st.builds(functools.partial(pattern, fmt), st.integers(0, 1), exponents, fractions(fmt))


@functools.lru_cache(maxsize=None)   # building strategies is slow; reuse one per format
def values(fmt):
    f = fp.FORMATS[fmt]
    top = 2 ** f.exp_bits - 1
    return st.one_of(
        st.sampled_from(special_patterns(fmt)),
        st.integers(0, 2 ** f.width - 1),
        near_exponent(fmt, 0, 3),                             # subnormal/normal boundary
        near_exponent(fmt, f.bias - 3, f.bias + 3),            # around 1
        near_exponent(fmt, top - 4, top - 1),                  # around overflow
    )


@st.composite
def operand_pairs(draw, fmt):
    """(a, b) with b often related to a: equal, negated, close in exponent or a few ulps away."""
    a = draw(values(fmt))
    f = fp.FORMATS[fmt]
    sign = 1 << (f.width - 1)
    mask = 2 ** f.width - 1
    kind = draw(st.integers(0, 4))
    if kind == 0:
        b = draw(values(fmt))
    elif kind == 1:
        b = a ^ draw(st.sampled_from([0, sign]))
    elif kind == 2:
        b = (a ^ draw(st.sampled_from([0, sign]))) + draw(st.integers(-3, 3))
    elif kind == 3:
        a_exp = (a >> f.frac_bits) & (2 ** f.exp_bits - 1)
        b = draw(near_exponent(fmt, a_exp - f.precision - 2, a_exp + f.precision + 2))
    else:
        b = draw(values(fmt)) ^ (a & sign)
    return a, b & mask


# ---- comparing C with the reference -------------------------------------------------

def check(name, args, expected, got):
    assert got == expected, (
        f"sf_{name}({', '.join(map(str, args))}): C gives ({got[0]:#x}, flags {got[1]:#x}), "
        f"reference ({expected[0]:#x}, flags {expected[1]:#x})")


@each_format
@examples
@given(data=st.data(), rm=rounding_modes)
def test_add_sub_mul_div(fmt, data, rm):
    a, b = data.draw(operand_pairs(fmt))
    for name in ("add", "sub", "mul", "div"):
        check(name, (fmt, show(fmt, a, b), rm), getattr(fp, name)(fmt, a, b, rm), call(name, fmt, a, b, rm))


@functools.lru_cache(maxsize=None)
def sqrt_inputs(fmt):
    return st.one_of(values(fmt), near_exponent(fmt, 0, 2 ** fp.FORMATS[fmt].exp_bits))   # any exponent


@each_format
@examples
@given(data=st.data(), rm=rounding_modes)
def test_sqrt(fmt, data, rm):
    a = data.draw(sqrt_inputs(fmt))
    check("sqrt", (fmt, show(fmt, a), rm), fp.sqrt(fmt, a, rm), call("sqrt", fmt, a, rm))


@st.composite
def fma_operands(draw, fmt):
    a, b = draw(operand_pairs(fmt))
    kind = draw(st.integers(0, 2))
    if kind == 0:
        c = draw(values(fmt))
    else:
        # c close to -(a*b): massive cancellation, the product's low bits decide the result.
        product, _ = fp.mul(fmt, a, b, draw(rounding_modes))
        sign = 1 << (fp.FORMATS[fmt].width - 1)
        c = (product ^ sign) + (0 if kind == 1 else draw(st.integers(-2, 2)))
        c &= 2 ** fp.FORMATS[fmt].width - 1
    return a, b, c


@each_format
@examples
@given(data=st.data(), rm=rounding_modes)
def test_fma(fmt, data, rm):
    a, b, c = data.draw(fma_operands(fmt))
    check("fma", (fmt, show(fmt, a, b, c), rm), fp.fma(fmt, a, b, c, rm), call("fma", fmt, a, b, c, rm))


@functools.lru_cache(maxsize=None)
def convert_inputs(fmt, to_fmt):
    """Values of the source format, many near the target's subnormal range and overflow threshold."""
    t = fp.FORMATS[to_fmt]
    f = fp.FORMATS[fmt]
    shift = f.bias - t.bias
    return st.one_of(
        values(fmt),
        near_exponent(fmt, shift - t.precision - 2, shift + 2),
        near_exponent(fmt, shift + 2 ** t.exp_bits - 4, shift + 2 ** t.exp_bits),
    )


@each_format
@examples
@given(data=st.data(), to_fmt=st.sampled_from(ALL_FORMATS), rm=st.sampled_from(fp.ROUNDING_MODES + (fp.ROD,)))
def test_convert(fmt, data, to_fmt, rm):
    a = data.draw(convert_inputs(fmt, to_fmt))
    check("convert", (to_fmt, fmt, show(fmt, a), rm),
          fp.convert(to_fmt, fmt, a, rm), call("convert", to_fmt, fmt, a, rm))


@functools.lru_cache(maxsize=None)
def to_int_inputs(fmt, bits):
    f = fp.FORMATS[fmt]
    return st.one_of(
        values(fmt),
        near_exponent(fmt, f.bias - 2, f.bias + f.precision + 1),          # fractions and ties
        near_exponent(fmt, f.bias + bits - 3, f.bias + bits + 1),          # range limits
    )


@each_format
@examples
@given(data=st.data(), rm=st.sampled_from(fp.ROUNDING_MODES + (fp.ROD,)),
       bits=st.sampled_from([8, 16, 32, 64]), is_unsigned=st.booleans())
def test_to_int(fmt, data, rm, bits, is_unsigned):
    a = data.draw(to_int_inputs(fmt, bits))
    check("to_int", (fmt, show(fmt, a), bits, is_unsigned, rm),
          fp.to_int(fmt, a, bits, is_unsigned, rm), call("to_int", fmt, a, bits, is_unsigned, rm))


@functools.lru_cache(maxsize=None)
def integers_for(bits):
    mask = 2 ** bits - 1
    powers = st.integers(0, bits - 1).flatmap(lambda k: st.integers(-2, 2).map(lambda d: 2 ** k + d))
    wide = st.integers(1, bits).flatmap(lambda n: st.integers(0, 2 ** n - 1))   # any magnitude scale
    edges = st.sampled_from([0, 1, mask, mask - 1, 2 ** (bits - 1), 2 ** (bits - 1) - 1, 2 ** (bits - 1) + 1])
    return st.one_of(edges, powers, wide, wide.map(lambda v: -v)).map(lambda v: v & mask)


@each_format
@examples
@given(data=st.data(), rm=rounding_modes, bits=st.sampled_from([8, 16, 32, 64]), is_unsigned=st.booleans())
def test_from_int(fmt, data, rm, bits, is_unsigned):
    v = data.draw(integers_for(bits))
    check("from_int", (fmt, hex(v), bits, is_unsigned, rm),
          fp.from_int(fmt, v, bits, is_unsigned, rm), call("from_int", fmt, v, bits, is_unsigned, rm))


@each_format
@examples
@given(data=st.data())
def test_compare_min_max_classify(fmt, data):
    a, b = data.draw(operand_pairs(fmt))
    for name in ("eq", "lt", "le", "min", "max"):
        check(name, (fmt, show(fmt, a, b)), getattr(fp, name)(fmt, a, b), call(name, fmt, a, b))
    assert lib.sf_classify(fmt, a) == fp.classify(fmt, a)


# ---- known answers from the spec -------------------------------------------------------

F32_ONE, F32_TWO, F32_HALF = 0x3F800000, 0x40000000, 0x3F000000
F32_INF, F32_NEG_INF = 0x7F800000, 0xFF800000
F32_QNAN, F32_SNAN = 0x7FC00000, 0x7F800001
NEG = 0x80000000
MASK64 = 2 ** 64 - 1


def test_canonical_nans():
    assert [lib.sf_canonical_nan(f) for f in ALL_FORMATS] == [0x7FC0, 0x7E00, 0x7FC00000, 0x7FF8000000000000]


@pytest.mark.parametrize("fmt,bits,expected", [
    (fp.F32, 0x7F800000, 1 << 7), (fp.F32, 0xFF800000, 1 << 0),
    (fp.F32, 0x3F800000, 1 << 6), (fp.F32, 0xBF800000, 1 << 1),
    (fp.F32, 0x00000001, 1 << 5), (fp.F32, 0x807FFFFF, 1 << 2),
    (fp.F32, 0x00000000, 1 << 4), (fp.F32, 0x80000000, 1 << 3),
    (fp.F32, 0x7F800001, 1 << 8), (fp.F32, 0xFFC00000, 1 << 9),
    (fp.F16, 0x7C01, 1 << 8), (fp.F16, 0x7E00, 1 << 9), (fp.F16, 0x0400, 1 << 6), (fp.F16, 0x83FF, 1 << 2),
    (fp.BF16, 0x7F81, 1 << 8), (fp.BF16, 0xFF80, 1 << 0), (fp.BF16, 0x0080, 1 << 6), (fp.BF16, 0x007F, 1 << 5),
    (fp.F64, 0x7FF0000000000001, 1 << 8), (fp.F64, 0x7FF8000000000000, 1 << 9), (fp.F64, 0x8000000000000001, 1 << 2),
])
def test_classify_known(fmt, bits, expected):
    assert lib.sf_classify(fmt, bits) == expected
    assert fp.classify(fmt, bits) == expected


def two_pow(n):
    """f32 pattern of 2^n (normal range)."""
    return (127 + n) << 23


# (fmt, input, bits, unsigned, rm, register value, flags): the fcvt domain table.
TO_INT_CASES = [
    (fp.F32, F32_NEG_INF, 32, False, fp.RNE, -2 ** 31, fp.NV),
    (fp.F32, F32_INF, 32, False, fp.RNE, 2 ** 31 - 1, fp.NV),
    (fp.F32, F32_QNAN, 32, False, fp.RNE, 2 ** 31 - 1, fp.NV),
    (fp.F32, F32_QNAN | NEG, 32, False, fp.RNE, 2 ** 31 - 1, fp.NV),     # NaN of either sign: largest
    (fp.F32, two_pow(31), 32, False, fp.RNE, 2 ** 31 - 1, fp.NV),
    (fp.F32, two_pow(31) | NEG, 32, False, fp.RNE, -2 ** 31, 0),          # exactly the minimum
    (fp.F32, two_pow(40) | NEG, 32, False, fp.RNE, -2 ** 31, fp.NV),
    (fp.F32, F32_NEG_INF, 32, True, fp.RNE, 0, fp.NV),
    (fp.F32, F32_INF, 32, True, fp.RNE, -1, fp.NV),                       # 2^32-1 sign-extended
    (fp.F32, F32_QNAN, 32, True, fp.RNE, -1, fp.NV),
    (fp.F32, 0x4F32D05E, 32, True, fp.RTZ, 0xFFFFFFFFB2D05E00 - 2 ** 64, 0),   # fcvt.wu.s 3e9
    (fp.F32, two_pow(32), 32, True, fp.RNE, -1, fp.NV),
    (fp.F32, F32_HALF | NEG, 32, True, fp.RTZ, 0, fp.NX),                 # -0.5 rounds to 0: fine
    (fp.F32, F32_HALF | NEG, 32, True, fp.RDN, 0, fp.NV),                 # rounds to -1: invalid
    (fp.F32, F32_ONE | NEG, 32, True, fp.RTZ, 0, fp.NV),
    (fp.F32, F32_NEG_INF, 64, False, fp.RNE, -2 ** 63, fp.NV),
    (fp.F32, F32_INF, 64, False, fp.RNE, 2 ** 63 - 1, fp.NV),
    (fp.F32, F32_QNAN, 64, False, fp.RNE, 2 ** 63 - 1, fp.NV),
    (fp.F32, two_pow(63), 64, False, fp.RNE, 2 ** 63 - 1, fp.NV),
    (fp.F32, two_pow(63) | NEG, 64, False, fp.RNE, -2 ** 63, 0),
    (fp.F32, F32_NEG_INF, 64, True, fp.RNE, 0, fp.NV),
    (fp.F32, F32_INF, 64, True, fp.RNE, -1, fp.NV),                       # 2^64-1
    (fp.F32, F32_SNAN, 64, True, fp.RNE, -1, fp.NV),
    (fp.F32, two_pow(63), 64, True, fp.RNE, -2 ** 63, 0),                 # 2^63 fits unsigned
    (fp.F32, two_pow(64), 64, True, fp.RNE, -1, fp.NV),
    # Narrower widths (vector conversions use bits = SEW); results are sign-extended too.
    (fp.F32, 0x4788B800, 16, False, fp.RNE, 2 ** 15 - 1, fp.NV),          # 70000 -> int16
    (fp.F32, 0x477FFF40, 16, True, fp.RNE, -1, fp.NX),                    # 65535.25 -> uint16 0xffff
    (fp.F32, 0xC3010000, 8, False, fp.RNE, -128, fp.NV),                  # -129 -> int8
    (fp.F32, 0x43488000, 8, True, fp.RNE, 200 - 256, fp.NX),              # 200.5 -> uint8 200 (even)
    (fp.F32, 0x3FC00000, 32, False, fp.RNE, 2, fp.NX),                    # 1.5 -> 2 (even)
    (fp.F32, 0x40200000, 32, False, fp.RNE, 2, fp.NX),                    # 2.5 -> 2 (even)
    (fp.F32, 0x40200000, 32, False, fp.RMM, 3, fp.NX),                    # 2.5 -> 3 (away)
    (fp.F32, 0xC0200000, 32, False, fp.RMM, -3, fp.NX),
    (fp.F32, 0xC0200000, 32, False, fp.RDN, -3, fp.NX),
    (fp.F32, 0xC0200000, 32, False, fp.RUP, -2, fp.NX),
]


@pytest.mark.parametrize("fmt,a,bits,is_unsigned,rm,value,flags", TO_INT_CASES)
def test_to_int_known(fmt, a, bits, is_unsigned, rm, value, flags):
    assert call("to_int", fmt, a, bits, is_unsigned, rm) == (value, flags)
    assert fp.to_int(fmt, a, bits, is_unsigned, rm) == (value, flags)


def test_to_int_never_both_nv_and_nx():
    # 2^31 - 0.5 rounds up to 2^31 under RNE (tie to even): out of range, NV only.
    f64_half_below = 0x41DFFFFFFFE00000    # 2^31 - 0.5
    for fn in (lambda *a: call("to_int", *a), fp.to_int):
        assert fn(fp.F64, f64_half_below, 32, False, fp.RNE) == (2 ** 31 - 1, fp.NV)
        assert fn(fp.F64, f64_half_below, 32, False, fp.RTZ) == (2 ** 31 - 1, fp.NX)


# (op, a, b, result, flags) for f32 fmin/fmax.
MIN_MAX_CASES = [
    ("min", 0x80000000, 0x00000000, 0x80000000, 0), ("min", 0x00000000, 0x80000000, 0x80000000, 0),
    ("max", 0x80000000, 0x00000000, 0x00000000, 0), ("max", 0x00000000, 0x80000000, 0x00000000, 0),
    ("min", F32_QNAN, F32_ONE, F32_ONE, 0), ("max", F32_ONE, 0xFFC00001, F32_ONE, 0),
    ("min", F32_SNAN, F32_ONE, F32_ONE, fp.NV), ("max", F32_TWO, 0xFF800005, F32_TWO, fp.NV),
    ("min", F32_SNAN, F32_QNAN, F32_QNAN, fp.NV), ("max", 0xFFC00123, 0x7FC00456, F32_QNAN, 0),
    ("min", F32_NEG_INF, F32_ONE, F32_NEG_INF, 0), ("max", F32_NEG_INF, F32_INF, F32_INF, 0),
]


@pytest.mark.parametrize("op,a,b,result,flags", MIN_MAX_CASES)
def test_min_max_known(op, a, b, result, flags):
    assert call(op, fp.F32, a, b) == (result, flags)
    assert getattr(fp, op)(fp.F32, a, b) == (result, flags)


@pytest.mark.parametrize("op,a,b,result,flags", [
    ("eq", F32_QNAN, F32_QNAN, 0, 0), ("eq", F32_SNAN, F32_ONE, 0, fp.NV),
    ("lt", F32_QNAN, F32_ONE, 0, fp.NV), ("le", F32_ONE, F32_QNAN, 0, fp.NV),
    ("eq", 0x80000000, 0, 1, 0), ("lt", 0x80000000, 0, 0, 0), ("le", 0x80000000, 0, 1, 0),
    ("lt", F32_NEG_INF, F32_INF, 1, 0), ("le", F32_INF, F32_INF, 1, 0), ("lt", F32_INF, F32_INF, 0, 0),
])
def test_compare_known(op, a, b, result, flags):
    assert call(op, fp.F32, a, b) == (result, flags)
    assert getattr(fp, op)(fp.F32, a, b) == (result, flags)


@pytest.mark.parametrize("op,args,result,flags", [
    # fma sets NV for inf*0 even when the addend is a quiet NaN.
    ("fma", (F32_INF, 0, F32_QNAN), F32_QNAN, fp.NV),
    ("fma", (0, F32_NEG_INF, 0xFFC01234), F32_QNAN, fp.NV),
    ("fma", (F32_ONE, F32_QNAN, F32_SNAN), F32_QNAN, fp.NV),
    ("fma", (F32_INF, F32_ONE, F32_NEG_INF), F32_QNAN, fp.NV),
    ("add", (F32_INF, F32_NEG_INF), F32_QNAN, fp.NV),
    ("mul", (0, F32_INF), F32_QNAN, fp.NV),
    ("div", (0, 0x80000000), F32_QNAN, fp.NV),
    ("div", (F32_INF, F32_INF), F32_QNAN, fp.NV),
    ("div", (F32_ONE, 0x80000000), F32_NEG_INF, fp.DZ),
    ("div", (F32_INF, 0), F32_INF, 0),                       # no DZ for infinite dividend
    ("sqrt", (F32_ONE | NEG,), F32_QNAN, fp.NV),
    ("sqrt", (0x80000000,), 0x80000000, 0),                  # sqrt(-0) = -0
    ("add", (0xFFC00001, F32_ONE), F32_QNAN, 0),             # qNaN payload and sign not propagated
    ("add", (F32_SNAN, F32_ONE), F32_QNAN, fp.NV),
])
def test_invalid_and_nan_known(op, args, result, flags):
    args = (fp.F32,) + args + (fp.RNE,)
    assert call(op, *args) == (result, flags)
    assert getattr(fp, op)(*args) == (result, flags)


@pytest.mark.parametrize("rm,result", [(fp.RNE, 0), (fp.RTZ, 0), (fp.RDN, NEG), (fp.RUP, 0), (fp.RMM, 0)])
def test_exact_zero_sign(rm, result):
    assert call("add", fp.F32, F32_ONE, F32_ONE | NEG, rm) == (result, 0)
    assert call("sub", fp.F32, F32_ONE, F32_ONE, rm) == (result, 0)
    assert call("add", fp.F32, NEG, 0, rm) == (result, 0)
    assert call("add", fp.F32, NEG, NEG, rm) == (NEG, 0)          # -0 + -0 keeps its sign
    assert call("fma", fp.F32, F32_ONE, F32_ONE | NEG, F32_ONE, rm) == (result, 0)
    assert fp.add(fp.F32, F32_ONE, F32_ONE | NEG, rm) == (result, 0)


@pytest.mark.parametrize("rm,result", [
    (fp.RNE, F32_INF), (fp.RMM, F32_INF), (fp.RTZ, 0x7F7FFFFF), (fp.RDN, 0x7F7FFFFF), (fp.RUP, F32_INF)])
def test_overflow_by_mode(rm, result):
    assert call("mul", fp.F32, 0x7F7FFFFF, F32_TWO, rm) == (result, fp.OF | fp.NX)
    negative = call("mul", fp.F32, 0x7F7FFFFF, F32_TWO | NEG, rm)
    expected_negative = {fp.RDN: F32_NEG_INF, fp.RUP: 0xFF7FFFFF}.get(rm, result | NEG)
    assert negative == (expected_negative, fp.OF | fp.NX)


def test_round_to_odd_overflow_saturates():
    # vfncvt.rod.f.f.w: a finite value beyond the range becomes the largest finite value.
    assert call("convert", fp.F32, fp.F64, 0x47F0000000000000, fp.ROD) == (0x7F7FFFFF, fp.OF | fp.NX)
    assert call("convert", fp.F32, fp.F64, 0x3FF0000010000000, fp.ROD) == (0x3F800001, fp.NX)


def test_tininess_after_rounding():
    # 2^-126 - 2^-151 rounds (RNE, unbounded exponent) to 2^-126: not tiny, so no UF.
    just_below = 0x380FFFFFF0000000
    assert call("convert", fp.F32, fp.F64, just_below, fp.RNE) == (0x00800000, fp.NX)
    # 2^-126 - 2^-150 is representable with an unbounded exponent, hence tiny: UF although the
    # delivered result (after subnormal rounding) is the smallest normal.
    tiny = 0x380FFFFFE0000000
    assert call("convert", fp.F32, fp.F64, tiny, fp.RNE) == (0x00800000, fp.NX | fp.UF)
    assert call("convert", fp.F32, fp.F64, tiny, fp.RTZ) == (0x007FFFFF, fp.NX | fp.UF)
    # Exact subnormal results raise nothing.
    assert call("mul", fp.F32, 0x00800000, F32_HALF, fp.RNE) == (0x00400000, 0)
    for args in [(fp.F32, fp.F64, just_below, fp.RNE), (fp.F32, fp.F64, tiny, fp.RNE)]:
        assert fp.convert(*args) == call("convert", *args)


def test_widening_is_exact_and_quiets_nans():
    assert call("convert", fp.F32, fp.BF16, 0x3F81, fp.RNE) == (0x3F810000, 0)
    assert call("convert", fp.F64, fp.F16, 0x0001, fp.RDN) == (0x3E70000000000000, 0)   # 2^-24
    assert call("convert", fp.F32, fp.BF16, 0x7F81, fp.RNE) == (F32_QNAN, fp.NV)
    assert call("convert", fp.F16, fp.F64, 0xFFF8000000000001, fp.RNE) == (0x7E00, 0)


def test_from_int_known():
    assert call("from_int", fp.F32, 0, 32, False, fp.RNE) == (0, 0)             # fcvt.s.w rd, x0
    assert call("from_int", fp.F32, 0xFFFFFFFF, 32, False, fp.RNE) == (F32_ONE | NEG, 0)
    assert call("from_int", fp.F32, 0xFFFFFFFF, 32, True, fp.RNE) == (0x4F800000, fp.NX)
    assert call("from_int", fp.F16, 65520, 32, False, fp.RNE) == (0x7C00, fp.OF | fp.NX)
    assert call("from_int", fp.F16, 65520, 32, False, fp.RTZ) == (0x7BFF, fp.NX)
    assert call("from_int", fp.F64, 1 << 63, 64, False, fp.RNE) == (0xC3E0000000000000, 0)
    assert call("from_int", fp.F64, MASK64, 64, True, fp.RTZ) == (0x43EFFFFFFFFFFFFF, fp.NX)
    assert call("from_int", fp.F16, 0xFFFF, 16, False, fp.RNE) == (0xBC00, 0)         # int16 -1
    assert call("from_int", fp.F16, 0xFFFF, 16, True, fp.RNE) == (0x7C00, fp.OF | fp.NX)   # 65535
