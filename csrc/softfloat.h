/*
 * rvsim software IEEE-754 binary floating point.
 *
 * Implements RISC-V semantics (canonical NaN results, tininess detected after
 * rounding, fmin/fmax as minimumNumber/maximumNumber, saturating float->int).
 * The host FPU is never used, so results do not depend on (or change) its state.
 *
 * Values are raw bit patterns in the low bits of a uint64_t; bits above the
 * format's width are ignored (the caller unboxes NaN-boxed values first).
 * Every function ORs RISC-V fflags bits into *flags.
 *
 * Caller contract: fmt is one of enum sf_format (anything else returns 0 and
 * sets NV); rm is one of enum sf_rounding (anything else is treated as SF_RNE,
 * the core rejects reserved rm encodings before calling); `bits` of the integer
 * conversions is the integer width: 32 or 64 for fcvt, the element width (8..64)
 * for the vector conversions; any value in 1..64 works, others are treated as 64.
 */
#ifndef RVSIM_SOFTFLOAT_H
#define RVSIM_SOFTFLOAT_H

#include <stdint.h>

/* cffi-begin */
enum sf_format { SF_BF16 = 0, SF_F16 = 1, SF_F32 = 2, SF_F64 = 3 };
/* rounding modes use RISC-V's frm encoding; SF_ROD (round to odd) is for vfncvt.rod */
enum sf_rounding { SF_RNE = 0, SF_RTZ = 1, SF_RDN = 2, SF_RUP = 3, SF_RMM = 4, SF_ROD = 5 };
/* exception flags use RISC-V's fflags bits */
enum sf_flag { SF_NX = 1, SF_UF = 2, SF_OF = 4, SF_DZ = 8, SF_NV = 16 };
uint64_t sf_add(int fmt, uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t sf_sub(int fmt, uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t sf_mul(int fmt, uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t sf_div(int fmt, uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t sf_sqrt(int fmt, uint64_t a, int rm, unsigned *flags);
uint64_t sf_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags);
uint64_t sf_convert(int to_fmt, int from_fmt, uint64_t a, int rm, unsigned *flags);
int64_t  sf_to_int(int fmt, uint64_t a, int bits, int is_unsigned, int rm, unsigned *flags);
uint64_t sf_from_int(int fmt, uint64_t v, int bits, int is_unsigned, int rm, unsigned *flags);
int sf_eq(int fmt, uint64_t a, uint64_t b, unsigned *flags);
int sf_lt(int fmt, uint64_t a, uint64_t b, unsigned *flags);
int sf_le(int fmt, uint64_t a, uint64_t b, unsigned *flags);
uint64_t sf_min(int fmt, uint64_t a, uint64_t b, unsigned *flags);
uint64_t sf_max(int fmt, uint64_t a, uint64_t b, unsigned *flags);
unsigned sf_classify(int fmt, uint64_t a);
uint64_t sf_canonical_nan(int fmt);
/* cffi-end */

/*
 * Notes on the declarations above:
 *  sf_fma      a*b+c with a single rounding; NV for inf*0 even when c is a quiet NaN.
 *  sf_convert  float->float; widening is exact, narrowing rounds (SF_ROD allowed).
 *  sf_to_int   the `bits`-wide result sign-extended to int64 (fcvt.wu.s of 3e9 is
 *              0xffffffffb2d05e00); out-of-range/inf/NaN saturate per the spec table
 *              with NV only; NX only when in range and inexact.
 *  sf_from_int takes the integer in the low `bits` bits of v.
 *  sf_eq       quiet compare (NV only for sNaN); sf_lt/sf_le signal NV for any NaN.
 *  sf_min/max  RISC-V fmin/fmax: -0 < +0, one NaN -> the other operand, two NaNs ->
 *              canonical NaN, NV for any sNaN input.
 *  sf_classify RISC-V fclass 10-bit mask.
 */

#endif
