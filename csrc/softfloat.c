/*
 * rvsim software IEEE-754 binary floating point (see softfloat.h).
 *
 * One engine serves all four formats.  A finite operand is unpacked into
 * sign, integer significand and exponent (value = sig * 2^exp).  Operations
 * compute the exact result, or a truncated result whose lowest bit is "jammed"
 * (ORed with 1) when nonzero bits were dropped; they always keep at least two
 * bits below the final rounding position, so the jammed bit is enough for
 * every rounding decision.  round_pack() then rounds once and raises flags.
 * Integer arithmetic only: no host floating point.
 */
#include "softfloat.h"

typedef unsigned __int128 u128;

typedef struct {
    int exp_bits;
    int frac_bits;          /* stored fraction bits; precision p = frac_bits + 1 */
} fp_format;

static const fp_format FORMATS[4] = {
    [SF_BF16] = {8, 7},
    [SF_F16] = {5, 10},
    [SF_F32] = {8, 23},
    [SF_F64] = {11, 52},
};

static const fp_format *format_of(int fmt)
{
    return (fmt >= 0 && fmt <= 3) ? &FORMATS[fmt] : 0;
}

static int bias_of(const fp_format *f) { return (1 << (f->exp_bits - 1)) - 1; }
static int emin_of(const fp_format *f) { return 1 - bias_of(f); }
static int max_biased_exp(const fp_format *f) { return (1 << f->exp_bits) - 1; }
static uint64_t frac_mask(const fp_format *f) { return (UINT64_C(1) << f->frac_bits) - 1; }
static uint64_t width_mask(const fp_format *f)
{
    int width = 1 + f->exp_bits + f->frac_bits;
    return width == 64 ? ~UINT64_C(0) : (UINT64_C(1) << width) - 1;
}
static uint64_t sign_bit(const fp_format *f) { return UINT64_C(1) << (f->exp_bits + f->frac_bits); }

static uint64_t pack(const fp_format *f, int sign, uint64_t biased_exp, uint64_t frac)
{
    return (sign ? sign_bit(f) : 0) | (biased_exp << f->frac_bits) | frac;
}

static uint64_t infinity(const fp_format *f, int sign) { return pack(f, sign, max_biased_exp(f), 0); }
static uint64_t max_finite(const fp_format *f, int sign)
{
    return pack(f, sign, max_biased_exp(f) - 1, frac_mask(f));
}
static uint64_t canonical_nan(const fp_format *f)
{
    return pack(f, 0, max_biased_exp(f), UINT64_C(1) << (f->frac_bits - 1));
}

/* ---- unpacking ---------------------------------------------------------- */

enum fp_class { FP_ZERO, FP_FINITE, FP_INF, FP_QNAN, FP_SNAN };

typedef struct {
    enum fp_class cls;
    int sign;
    uint64_t sig;   /* FP_FINITE: value = sig * 2^exp, sig != 0 */
    int exp;
} unpacked;

static unpacked unpack(const fp_format *f, uint64_t bits)
{
    unpacked u;
    bits &= width_mask(f);
    uint64_t frac = bits & frac_mask(f);
    int biased = (int)((bits >> f->frac_bits) & (uint64_t)max_biased_exp(f));
    u.sign = (bits & sign_bit(f)) != 0;
    u.sig = 0;
    u.exp = 0;
    if (biased == max_biased_exp(f)) {
        if (frac == 0)
            u.cls = FP_INF;
        else
            u.cls = (frac >> (f->frac_bits - 1)) ? FP_QNAN : FP_SNAN;
    } else if (biased == 0 && frac == 0) {
        u.cls = FP_ZERO;
    } else {
        u.cls = FP_FINITE;
        u.sig = biased ? (frac | (UINT64_C(1) << f->frac_bits)) : frac;
        u.exp = (biased ? biased : 1) - bias_of(f) - f->frac_bits;
    }
    return u;
}

static int is_nan(const unpacked *u) { return u->cls == FP_QNAN || u->cls == FP_SNAN; }

static int bit_length(u128 x)
{
    int n = 0;
    while (x >> 64) { x >>= 64; n += 64; }
    uint64_t lo = (uint64_t)x;
    return lo ? n + 64 - __builtin_clzll(lo) : n;
}

/* Shift right, ORing any dropped nonzero bits into the lowest kept bit. */
static u128 shift_right_jam(u128 x, int shift)
{
    if (shift <= 0)
        return x;
    if (shift >= 128)
        return x != 0;
    return (x >> shift) | ((x & (((u128)1 << shift) - 1)) != 0);
}

/* ---- rounding ----------------------------------------------------------- */

/*
 * Round sig / 2^shift to an integer with mode rm (sign selects the direction
 * of RDN/RUP).  Sets *inexact when bits were discarded.  Callers keep
 * sig < 2^127 (all significands, products, sums and quotients here do).
 */
static u128 round_shift(u128 sig, int shift, int sign, int rm, int *inexact)
{
    if (shift <= 0) {
        *inexact = 0;
        return sig << -shift;
    }
    if (shift > 127) {
        /* sig < 2^127 <= half the unit: the quotient is 0 and the rest is
         * nonzero but below half, exactly as for sig = 1, shift = 2. */
        sig = sig != 0;
        shift = 2;
    }
    u128 quotient = sig >> shift;
    u128 rest = sig & (((u128)1 << shift) - 1);
    u128 half = (u128)1 << (shift - 1);
    int up = 0;
    *inexact = rest != 0;
    switch (rm) {
    case SF_RTZ: up = 0; break;
    case SF_RDN: up = sign && rest; break;
    case SF_RUP: up = !sign && rest; break;
    case SF_RMM: up = rest >= half; break;
    case SF_ROD: if (rest) quotient |= 1; break;
    default: up = rest > half || (rest == half && (quotient & 1)); break;
    }
    return quotient + up;
}

/*
 * Round (-1)^sign * sig * 2^exp to the format and pack it.  sig is exact, or
 * jammed with at least two bits below the format's rounding position.
 */
static uint64_t round_pack(const fp_format *f, int sign, u128 sig, int exp, int rm, unsigned *flags)
{
    if (rm < SF_RNE || rm > SF_ROD)
        rm = SF_RNE;
    if (sig == 0)
        return pack(f, sign, 0, 0);
    int p = f->frac_bits + 1;
    int emin = emin_of(f);
    int top = exp + bit_length(sig) - 1;       /* value lies in [2^top, 2^(top+1)) */
    int inexact;

    /* Tininess after rounding: would rounding to p bits with an unbounded
     * exponent range still leave the magnitude below 2^emin? */
    int tiny = 0;
    if (top < emin) {
        int lsb = top - p + 1;
        u128 q = round_shift(sig, lsb - exp, sign, rm, &inexact);
        tiny = !(top == emin - 1 && q >> p);
    }

    int lsb = (top < emin ? emin : top) - p + 1;   /* weight of the last kept bit */
    u128 q = round_shift(sig, lsb - exp, sign, rm, &inexact);
    if (q >> p) {                                  /* carried into a new binade */
        q >>= 1;
        lsb++;
    }
    if (inexact)
        *flags |= SF_NX | (tiny ? SF_UF : 0);

    if (q == 0)
        return pack(f, sign, 0, 0);
    if (!(q >> (p - 1)))                           /* subnormal (lsb is at emin) */
        return pack(f, sign, 0, (uint64_t)q);
    int biased = lsb + p - 1 + bias_of(f);
    if (biased >= max_biased_exp(f)) {
        *flags |= SF_OF | SF_NX;
        int to_inf = rm == SF_RNE || rm == SF_RMM || (rm == SF_RDN && sign) || (rm == SF_RUP && !sign);
        return to_inf ? infinity(f, sign) : max_finite(f, sign);
    }
    return pack(f, sign, (uint64_t)biased, (uint64_t)q & frac_mask(f));
}

/* NaN result: canonical, NV when any operand was signaling. */
static uint64_t nan_result(const fp_format *f, int signaling, unsigned *flags)
{
    if (signaling)
        *flags |= SF_NV;
    return canonical_nan(f);
}

static uint64_t invalid_result(const fp_format *f, unsigned *flags)
{
    *flags |= SF_NV;
    return canonical_nan(f);
}

static uint64_t bad_format(unsigned *flags)
{
    *flags |= SF_NV;
    return 0;
}

/* ---- addition (shared by add, sub and fma) ------------------------------ */

/*
 * Exact-enough sum of two finite-or-zero terms (sig == 0 means zero; each sig
 * has at most 110 bits).  The term with the higher leading bit is moved so
 * its leading bit sits at bit 125 (so its low bits are zero); the other is
 * aligned to it, jamming bits that fall off.  Bits are only lost when the
 * terms are far apart, and then the sum keeps its leading bit at >= 124.
 */
static uint64_t add_terms(const fp_format *f, int sign_x, u128 sig_x, int exp_x,
                          int sign_y, u128 sig_y, int exp_y, int rm, unsigned *flags)
{
    if (sig_x == 0 && sig_y == 0) {
        int sign = sign_x == sign_y ? sign_x : rm == SF_RDN;
        return pack(f, sign, 0, 0);
    }
    if (sig_y == 0)
        return round_pack(f, sign_x, sig_x, exp_x, rm, flags);
    if (sig_x == 0)
        return round_pack(f, sign_y, sig_y, exp_y, rm, flags);

    if (exp_x + bit_length(sig_x) < exp_y + bit_length(sig_y)) {
        int ts = sign_x; sign_x = sign_y; sign_y = ts;
        u128 tm = sig_x; sig_x = sig_y; sig_y = tm;
        int te = exp_x; exp_x = exp_y; exp_y = te;
    }
    int up = 125 - (bit_length(sig_x) - 1);
    sig_x <<= up;
    exp_x -= up;
    int align = exp_y - exp_x;          /* < 0: y has bits below x's new lsb */
    sig_y = align >= 0 ? sig_y << align : shift_right_jam(sig_y, -align);

    if (sign_x == sign_y)
        return round_pack(f, sign_x, sig_x + sig_y, exp_x, rm, flags);
    if (sig_x == sig_y)
        return pack(f, rm == SF_RDN, 0, 0);
    if (sig_x > sig_y)
        return round_pack(f, sign_x, sig_x - sig_y, exp_x, rm, flags);
    return round_pack(f, sign_y, sig_y - sig_x, exp_x, rm, flags);
}

static uint64_t add_signed(int fmt, uint64_t a, uint64_t b, int negate_b, int rm, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return bad_format(flags);
    unpacked x = unpack(f, a), y = unpack(f, b);
    y.sign ^= negate_b;
    if (is_nan(&x) || is_nan(&y))
        return nan_result(f, x.cls == FP_SNAN || y.cls == FP_SNAN, flags);
    if (x.cls == FP_INF && y.cls == FP_INF && x.sign != y.sign)
        return invalid_result(f, flags);
    if (x.cls == FP_INF || y.cls == FP_INF)
        return infinity(f, x.cls == FP_INF ? x.sign : y.sign);
    return add_terms(f, x.sign, x.sig, x.exp, y.sign, y.sig, y.exp, rm, flags);
}

uint64_t sf_add(int fmt, uint64_t a, uint64_t b, int rm, unsigned *flags)
{
    return add_signed(fmt, a, b, 0, rm, flags);
}

uint64_t sf_sub(int fmt, uint64_t a, uint64_t b, int rm, unsigned *flags)
{
    return add_signed(fmt, a, b, 1, rm, flags);
}

/* ---- multiplication, fma, division, square root ------------------------- */

uint64_t sf_mul(int fmt, uint64_t a, uint64_t b, int rm, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return bad_format(flags);
    unpacked x = unpack(f, a), y = unpack(f, b);
    int sign = x.sign ^ y.sign;
    if (is_nan(&x) || is_nan(&y))
        return nan_result(f, x.cls == FP_SNAN || y.cls == FP_SNAN, flags);
    if ((x.cls == FP_INF && y.cls == FP_ZERO) || (x.cls == FP_ZERO && y.cls == FP_INF))
        return invalid_result(f, flags);
    if (x.cls == FP_INF || y.cls == FP_INF)
        return infinity(f, sign);
    if (x.cls == FP_ZERO || y.cls == FP_ZERO)
        return pack(f, sign, 0, 0);
    return round_pack(f, sign, (u128)x.sig * y.sig, x.exp + y.exp, rm, flags);
}

uint64_t sf_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return bad_format(flags);
    unpacked x = unpack(f, a), y = unpack(f, b), z = unpack(f, c);
    int product_sign = x.sign ^ y.sign;
    int inf_times_zero = (x.cls == FP_INF && y.cls == FP_ZERO) || (x.cls == FP_ZERO && y.cls == FP_INF);
    /* RISC-V: inf*0 is invalid even when the addend is a quiet NaN. */
    if (is_nan(&x) || is_nan(&y) || is_nan(&z))
        return nan_result(f, x.cls == FP_SNAN || y.cls == FP_SNAN || z.cls == FP_SNAN || inf_times_zero,
                          flags);
    if (inf_times_zero)
        return invalid_result(f, flags);
    if (x.cls == FP_INF || y.cls == FP_INF) {
        if (z.cls == FP_INF && z.sign != product_sign)
            return invalid_result(f, flags);
        return infinity(f, product_sign);
    }
    if (z.cls == FP_INF)
        return infinity(f, z.sign);
    /* The full 2p-bit product (at most 106 bits) is exact in 128 bits. */
    return add_terms(f, product_sign, (u128)x.sig * y.sig, x.exp + y.exp, z.sign, z.sig, z.exp, rm, flags);
}

uint64_t sf_div(int fmt, uint64_t a, uint64_t b, int rm, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return bad_format(flags);
    unpacked x = unpack(f, a), y = unpack(f, b);
    int sign = x.sign ^ y.sign;
    if (is_nan(&x) || is_nan(&y))
        return nan_result(f, x.cls == FP_SNAN || y.cls == FP_SNAN, flags);
    if ((x.cls == FP_INF && y.cls == FP_INF) || (x.cls == FP_ZERO && y.cls == FP_ZERO))
        return invalid_result(f, flags);
    if (x.cls == FP_INF)
        return infinity(f, sign);
    if (y.cls == FP_INF || x.cls == FP_ZERO)
        return pack(f, sign, 0, 0);
    if (y.cls == FP_ZERO) {
        *flags |= SF_DZ;
        return infinity(f, sign);
    }
    /* Dividend moved to bit 125, divisor < 2^53: the quotient has > 72 bits. */
    int up = 125 - (bit_length(x.sig) - 1);
    u128 dividend = (u128)x.sig << up;
    u128 quotient = dividend / y.sig;
    quotient |= (dividend % y.sig) != 0;
    return round_pack(f, sign, quotient, x.exp - up - y.exp, rm, flags);
}

/* floor(sqrt(n)), bit by bit. */
static u128 isqrt128(u128 n, int *exact)
{
    u128 root = 0, rest = n;
    u128 bit = n ? (u128)1 << ((bit_length(n) - 1) & ~1) : 0;   /* highest power of 4 <= n */
    while (bit) {
        if (rest >= root + bit) {
            rest -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    *exact = rest == 0;
    return root;
}

uint64_t sf_sqrt(int fmt, uint64_t a, int rm, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return bad_format(flags);
    unpacked x = unpack(f, a);
    if (is_nan(&x))
        return nan_result(f, x.cls == FP_SNAN, flags);
    if (x.cls == FP_ZERO)
        return pack(f, x.sign, 0, 0);
    if (x.sign)
        return invalid_result(f, flags);
    if (x.cls == FP_INF)
        return infinity(f, 0);
    /* Scale to an even exponent with a radicand of 2p+4 or 2p+5 bits, so the
     * root has p+2 bits or more: the jammed remainder bit lies below the guard bit. */
    int up = 2 * (f->frac_bits + 3) - bit_length(x.sig);
    if ((x.exp - up) & 1)
        up++;
    int exact;
    u128 root = isqrt128((u128)x.sig << up, &exact);
    root |= !exact;
    return round_pack(f, 0, root, (x.exp - up) / 2, rm, flags);
}

/* ---- conversions -------------------------------------------------------- */

uint64_t sf_convert(int to_fmt, int from_fmt, uint64_t a, int rm, unsigned *flags)
{
    const fp_format *to = format_of(to_fmt), *from = format_of(from_fmt);
    if (!to || !from)
        return bad_format(flags);
    unpacked x = unpack(from, a);
    switch (x.cls) {
    case FP_QNAN:
    case FP_SNAN: return nan_result(to, x.cls == FP_SNAN, flags);
    case FP_INF: return infinity(to, x.sign);
    case FP_ZERO: return pack(to, x.sign, 0, 0);
    default: return round_pack(to, x.sign, x.sig, x.exp, rm, flags);
    }
}

int64_t sf_to_int(int fmt, uint64_t a, int bits, int is_unsigned, int rm, unsigned *flags)
{
    if (bits < 1 || bits > 64)
        bits = 64;
    /* Range limits as magnitudes: [-min_mag, max_mag]. */
    uint64_t max_mag = is_unsigned ? (bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1)
                                   : (UINT64_C(1) << (bits - 1)) - 1;
    uint64_t min_mag = is_unsigned ? 0 : UINT64_C(1) << (bits - 1);
    uint64_t result;
    const fp_format *f = format_of(fmt);
    if (!f) {
        *flags |= SF_NV;
        return 0;
    }
    unpacked x = unpack(f, a);
    if (x.cls == FP_ZERO)
        return 0;
    if (is_nan(&x) || x.cls == FP_INF) {
        *flags |= SF_NV;
        result = (x.cls == FP_INF && x.sign) ? (uint64_t)0 - min_mag : max_mag;
    } else {
        int inexact = 0;
        u128 magnitude;
        if (x.exp + bit_length(x.sig) > 65)        /* >= 2^65: out of range anyway */
            magnitude = (u128)1 << 65;
        else
            magnitude = round_shift(x.sig, -x.exp, x.sign, rm, &inexact);
        if (x.sign ? magnitude > min_mag : magnitude > max_mag) {
            *flags |= SF_NV;
            result = x.sign ? (uint64_t)0 - min_mag : max_mag;
        } else {
            if (inexact)
                *flags |= SF_NX;
            result = x.sign ? (uint64_t)0 - (uint64_t)magnitude : (uint64_t)magnitude;
        }
    }
    /* Sign-extend the bits-wide result into the 64-bit register. */
    if (bits < 64) {
        uint64_t top = UINT64_C(1) << (bits - 1);
        result &= (top << 1) - 1;
        result = (result ^ top) - top;
    }
    return (int64_t)result;
}

uint64_t sf_from_int(int fmt, uint64_t v, int bits, int is_unsigned, int rm, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return bad_format(flags);
    if (bits < 1 || bits > 64)
        bits = 64;
    if (bits < 64)
        v &= (UINT64_C(1) << bits) - 1;
    int sign = !is_unsigned && ((v >> (bits - 1)) & 1);
    uint64_t magnitude = sign ? (UINT64_C(0) - v) & (bits < 64 ? (UINT64_C(1) << bits) - 1 : ~UINT64_C(0)) : v;
    return round_pack(f, sign, magnitude, 0, rm, flags);
}

/* ---- comparisons, min/max, classify ------------------------------------- */

/* Order key for non-NaN values: monotone in value, with -0 just below +0. */
static int64_t order_key(const fp_format *f, uint64_t bits)
{
    bits &= width_mask(f);
    int64_t magnitude = (int64_t)(bits & ~sign_bit(f));
    return (bits & sign_bit(f)) ? -magnitude - 1 : magnitude;
}

/* -1, 0, 1 for a < b, a == b, a > b (numerically, so -0 == +0); 2 if unordered. */
static int compare(const fp_format *f, uint64_t a, uint64_t b, int signal_quiet_nan, unsigned *flags)
{
    unpacked x = unpack(f, a), y = unpack(f, b);
    if (is_nan(&x) || is_nan(&y)) {
        if (signal_quiet_nan || x.cls == FP_SNAN || y.cls == FP_SNAN)
            *flags |= SF_NV;
        return 2;
    }
    if (x.cls == FP_ZERO && y.cls == FP_ZERO)
        return 0;
    int64_t ka = order_key(f, a), kb = order_key(f, b);
    return ka < kb ? -1 : ka > kb;
}

int sf_eq(int fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return (int)bad_format(flags);
    return compare(f, a, b, 0, flags) == 0;
}

int sf_lt(int fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return (int)bad_format(flags);
    return compare(f, a, b, 1, flags) == -1;
}

int sf_le(int fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return (int)bad_format(flags);
    int c = compare(f, a, b, 1, flags);
    return c == -1 || c == 0;
}

static uint64_t min_max(int fmt, uint64_t a, uint64_t b, int want_max, unsigned *flags)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return bad_format(flags);
    unpacked x = unpack(f, a), y = unpack(f, b);
    if (x.cls == FP_SNAN || y.cls == FP_SNAN)
        *flags |= SF_NV;
    a &= width_mask(f);
    b &= width_mask(f);
    if (is_nan(&x) && is_nan(&y))
        return canonical_nan(f);
    if (is_nan(&x))
        return b;
    if (is_nan(&y))
        return a;
    int a_is_less = order_key(f, a) < order_key(f, b);
    return a_is_less != want_max ? a : b;
}

uint64_t sf_min(int fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    return min_max(fmt, a, b, 0, flags);
}

uint64_t sf_max(int fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    return min_max(fmt, a, b, 1, flags);
}

unsigned sf_classify(int fmt, uint64_t a)
{
    const fp_format *f = format_of(fmt);
    if (!f)
        return 0;
    unpacked x = unpack(f, a);
    switch (x.cls) {
    case FP_SNAN: return 1u << 8;
    case FP_QNAN: return 1u << 9;
    case FP_INF: return x.sign ? 1u << 0 : 1u << 7;
    case FP_ZERO: return x.sign ? 1u << 3 : 1u << 4;
    default: {
        int subnormal = !(x.sig >> f->frac_bits);
        if (x.sign)
            return subnormal ? 1u << 2 : 1u << 1;
        return subnormal ? 1u << 5 : 1u << 6;
    }
    }
}

uint64_t sf_canonical_nan(int fmt)
{
    const fp_format *f = format_of(fmt);
    return f ? canonical_nan(f) : 0;
}
