/* Helpers for the scalar floating-point handlers (exec_fp.inc): NaN-boxing, bit casts, and the
 * operations that are cheaper as integer logic than as a softfloat call (compare, min/max).
 *
 * Nothing here may raise a host FP exception flag: the host flags are folded into fflags lazily, so a
 * stray one would become a guest-visible flag.  NaN tests and orderings therefore work on the bits.
 */
#ifndef RVSIM_FP_H
#define RVSIM_FP_H

#include <stdint.h>
#include <string.h>
#include "softfloat.h"

#define FP_BOX32 0xffffffff00000000ull       /* upper bits of a NaN-boxed single */
#define FP_BOX16 0xffffffffffff0000ull       /* upper bits of a NaN-boxed half or bfloat16 */
#define FP_CNAN_H 0x7e00u
#define FP_CNAN_BF 0x7fc0u
#define FP_CNAN_S 0x7fc00000u
#define FP_CNAN_D 0x7ff8000000000000ull

/* A narrower value read by a non-transfer instruction: the low bits when properly boxed, otherwise
   the canonical NaN of the format. */
static inline uint32_t fp_unbox_s(uint64_t r)
{
    return (r >> 32) == 0xffffffffu ? (uint32_t)r : FP_CNAN_S;
}

static inline uint16_t fp_unbox_16(uint64_t r, uint16_t canonical_nan)
{
    return (r >> 16) == 0xffffffffffffull ? (uint16_t)r : canonical_nan;
}

static inline float fp_as_float(uint32_t v) { float x; memcpy(&x, &v, 4); return x; }
static inline double fp_as_double(uint64_t v) { double x; memcpy(&x, &v, 8); return x; }
static inline uint32_t fp_float_bits(float x) { uint32_t v; memcpy(&v, &x, 4); return v; }
static inline uint64_t fp_double_bits(double x) { uint64_t v; memcpy(&v, &x, 8); return v; }

/* Bit-level predicates and orderings for binary32 and binary64.  SIGN is the sign bit, INF the
   pattern of +infinity, QUIET the quiet bit of a NaN. */
#define FP_DEFINE_BITOPS(sfx, T, SIGN, INF, QUIET, CNAN)                                           \
    static inline int fp_isnan_##sfx(T v) { return (T)(v & ~(T)(SIGN)) > (T)(INF); }               \
    static inline int fp_issnan_##sfx(T v)                                                         \
    {                                                                                              \
        return fp_isnan_##sfx(v) && !(v & (T)(QUIET));                                             \
    }                                                                                              \
    static inline int fp_iszero_##sfx(T v) { return (T)(v << 1) == 0; }                            \
    static inline int fp_isinf_##sfx(T v) { return (T)(v & ~(T)(SIGN)) == (T)(INF); }              \
    /* an unsigned key that orders non-NaN values numerically, with -0 just below +0 */            \
    static inline T fp_key_##sfx(T v) { return (v & (T)(SIGN)) ? (T)~v : (T)(v | (T)(SIGN)); }     \
    /* feq: quiet, NV only for a signaling NaN */                                                  \
    static inline int fp_eq_##sfx(T a, T b, unsigned *fl)                                          \
    {                                                                                              \
        if (fp_isnan_##sfx(a) || fp_isnan_##sfx(b)) {                                              \
            if (fp_issnan_##sfx(a) || fp_issnan_##sfx(b))                                          \
                *fl |= SF_NV;                                                                      \
            return 0;                                                                              \
        }                                                                                          \
        return a == b || fp_iszero_##sfx((T)(a | b));                                              \
    }                                                                                              \
    /* flt, fle: signaling, NV for any NaN */                                                      \
    static inline int fp_lt_##sfx(T a, T b, unsigned *fl)                                          \
    {                                                                                              \
        if (fp_isnan_##sfx(a) || fp_isnan_##sfx(b)) {                                              \
            *fl |= SF_NV;                                                                          \
            return 0;                                                                              \
        }                                                                                          \
        return !fp_iszero_##sfx((T)(a | b)) && fp_key_##sfx(a) < fp_key_##sfx(b);                  \
    }                                                                                              \
    static inline int fp_le_##sfx(T a, T b, unsigned *fl)                                          \
    {                                                                                              \
        if (fp_isnan_##sfx(a) || fp_isnan_##sfx(b)) {                                              \
            *fl |= SF_NV;                                                                          \
            return 0;                                                                              \
        }                                                                                          \
        return fp_iszero_##sfx((T)(a | b)) || fp_key_##sfx(a) <= fp_key_##sfx(b);                  \
    }                                                                                              \
    /* fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber): a NaN operand yields the other       \
       operand, two NaNs the canonical NaN, any signaling NaN raises NV; -0 < +0 */                \
    static inline T fp_minmax_##sfx(T a, T b, int want_max, unsigned *fl)                          \
    {                                                                                              \
        int an = fp_isnan_##sfx(a), bn = fp_isnan_##sfx(b);                                        \
        if (an || bn) {                                                                            \
            if (fp_issnan_##sfx(a) || fp_issnan_##sfx(b))                                          \
                *fl |= SF_NV;                                                                      \
            return an && bn ? (T)(CNAN) : an ? b : a;                                              \
        }                                                                                          \
        int a_below = fp_key_##sfx(a) < fp_key_##sfx(b);                                           \
        return a_below != want_max ? a : b;                                                        \
    }

FP_DEFINE_BITOPS(s, uint32_t, 0x80000000u, 0x7f800000u, 0x00400000u, FP_CNAN_S)
FP_DEFINE_BITOPS(d, uint64_t, 0x8000000000000000ull, 0x7ff0000000000000ull, 0x0008000000000000ull,
                 FP_CNAN_D)

/* The host FPU computes RNE single/double arithmetic only where its semantics are known to match
   RISC-V's apart from NaN payloads: x86-64 SSE (IEEE rounding, tininess detected after rounding,
   flags as fflags defines them).  Other hosts take the softfloat path for every operation, as does
   a build with -DRVSIM_NO_HOST_FP (to check one path against the other). */
#if defined(__x86_64__) && !defined(RVSIM_NO_HOST_FP)
#define FP_HOST_ARITH 1
#else
#define FP_HOST_ARITH 0
#endif

/* Fused multiply-add on the host: one FMA3 instruction where the CPU has it (detected once at load
   time); without it the fused operations take the softfloat path (libm's fma would be a call in the
   hot loop, and its emulation on such hosts is slow anyway). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(RVSIM_NO_HOST_FP)
static int fp_host_fma_ok;

__attribute__((constructor)) static void fp_detect_host_fma3(void)
{
    __builtin_cpu_init();
    fp_host_fma_ok = __builtin_cpu_supports("fma");
}

/* volatile: the FMA raises host flags, so it must not be hoisted above the checks that guard it */
static inline float fp_host_fma_s(float a, float b, float c)
{
    __asm__ volatile("vfmadd231ss %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
    return c;
}

static inline double fp_host_fma_d(double a, double b, double c)
{
    __asm__ volatile("vfmadd231sd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
    return c;
}
#else
#define fp_host_fma_ok 0
static inline float fp_host_fma_s(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
static inline double fp_host_fma_d(double a, double b, double c) { return __builtin_fma(a, b, c); }
#endif

/* NaN test of a host FPU *result*: a quiet self-comparison (ucomiss/ucomisd), which raises invalid
   only for a signaling NaN, and host arithmetic never returns one.  Operands, which may be
   signaling, are tested on their bits (fp_isnan_*). */
static inline int fp_host_isnan_s(float x) { return __builtin_isnan(x); }
static inline int fp_host_isnan_d(double x) { return __builtin_isnan(x); }

/* A host result as RISC-V delivers it: any NaN becomes the canonical NaN. */
static inline uint32_t fp_result_s(float x)
{
    return __builtin_expect(fp_host_isnan_s(x), 0) ? FP_CNAN_S : fp_float_bits(x);
}

static inline uint64_t fp_result_d(double x)
{
    return __builtin_expect(fp_host_isnan_d(x), 0) ? FP_CNAN_D : fp_double_bits(x);
}

/* Biased exponent fields, for range checks before a host float-to-integer conversion. */
static inline unsigned fp_exp_s(uint32_t v) { return (v >> 23) & 0xff; }
static inline unsigned fp_exp_d(uint64_t v) { return (unsigned)(v >> 52) & 0x7ff; }

#endif
