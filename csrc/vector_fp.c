/* Vector floating-point instructions (SEW=32/64, and SEW=16 with Zvfh).
 *
 * Elements are handled as bit patterns.  Arithmetic goes through softfloat (every rounding mode, exact
 * RISC-V flags and NaNs); the hot operations at SEW=32/64 under round-to-nearest-even use the host FPU
 * instead (its flags accrue into fflags when run() returns; NaN results are replaced by the canonical
 * NaN).  The reciprocal estimates vfrsqrt7.v and vfrec7.v are in vector_ml.c.
 */
#include <math.h>
#include "vector.h"
#include "softfloat.h"

#define UNUSED __attribute__((unused))
#define HANDLER(name) static UNUSED int name(rv_machine *m, const rv_insn_t *e, uint64_t *tval)

enum { SRC_V, SRC_F };

static inline int sew_fmt(unsigned sew) { return sew == 16 ? SF_F16 : sew == 32 ? SF_F32 : SF_F64; }

/* The scalar operand f[rs1] as a SEW-bit value: narrower values must be NaN-boxed, else canonical NaN. */
static inline uint64_t f_scalar(rv_machine *m, unsigned reg, unsigned sew)
{
    uint64_t v = m->h.f[reg];
    if (sew == 64)
        return v;
    uint64_t box = ~0ull << sew;
    if ((v & box) != box)
        return sf_canonical_nan(sew_fmt(sew));
    return v & ~box;
}

/* FP instructions need mstatus.FS on, a valid frm, and a supported SEW (32/64; 16 with Zvfh). */
static inline int fp_ok(rv_machine *m, const rv_vcfg *c, unsigned sew)
{
    if (!(m->h.mstatus & MSTATUS_FS) || m->h.frm > 4)
        return 0;
    if (sew == 16)
        return (m->cfg.extensions & RV_EXT_ZVFH) != 0;
    return sew == 32 || sew == 64;
}

/* flags: raised by softfloat; host: the host FPU may have done some of the arithmetic (its flags are
   folded into fflags later, when the loop returns), so FS is made Dirty whether or not it raised any
   (the privileged spec allows reporting Dirty imprecisely; the V spec requires Dirty when fflags
   changes) */
static inline void fp_done(rv_machine *m, unsigned flags, int host)
{
    m->h.fflags |= flags;
    if (flags || host)
        m->h.mstatus |= MSTATUS_FS_DIRTY;
}

#define F_VS2 1
#define F_VS1 2
/* same operand checks as the integer instructions (see check_ops in vector_int.c) */
static int check_fp_ops(const rv_insn_t *e, int d_log2, unsigned d_eew, int s2_log2, unsigned s2_eew,
                        int s1_log2, unsigned s1_eew, unsigned fl)
{
    unsigned vd = e->rd, vs2 = e->rs2, vs1 = e->rs1;
    int masked = !VM_BIT(e);
    if (d_eew == 1) d_log2 = 0;
    if (!group_ok(vd, d_log2) || (masked && vd == 0 && d_eew != 1))
        return 0;
    if (fl & F_VS2) {
        if (!group_ok(vs2, s2_log2) || !overlap_ok(vd, d_log2, d_eew, vs2, s2_log2, s2_eew) || (masked && vs2 == 0))
            return 0;
    }
    if (fl & F_VS1) {
        if (!group_ok(vs1, s1_log2) || !overlap_ok(vd, d_log2, d_eew, vs1, s1_log2, s1_eew) || (masked && vs1 == 0))
            return 0;
    }
    return 1;
}

#define PROLOGUE \
    rv_vcfg c; \
    if (vcfg_load(m, &c) || !fp_ok(m, &c, c.sew)) return V_ILLEGAL; \
    const uint8_t *v0 = m->vreg; (void)v0; \
    uint8_t *vd_ = vreg_ptr(m, e->rd); (void)vd_; \
    const uint8_t *vs2_ = vreg_ptr(m, e->rs2); (void)vs2_; \
    const uint8_t *vs1_ = vreg_ptr(m, e->rs1); (void)vs1_; \
    int rm = (int)m->h.frm; (void)rm; \
    int fmt = sew_fmt(c.sew); (void)fmt; \
    unsigned fl = 0

#define EPILOGUE \
    fp_done(m, fl, HOST_OK); \
    vs_dirty(m); \
    m->h.vstart = 0; \
    return 0

#define SIGN(T) ((T)1 << (8 * sizeof(T) - 1))

/* FP element types per SEW (16/32/64 only; SEW=8 never gets here). */
#define FP_SEW_SWITCH(sew, ...) do { switch (sew) { \
    case 16: { typedef uint16_t U; typedef uint32_t UW; __VA_ARGS__; break; } \
    case 32: { typedef uint32_t U; typedef uint64_t UW; __VA_ARGS__; break; } \
    default: { typedef uint64_t U; typedef uint64_t UW; __VA_ARGS__; break; } } } while (0)

/* Single width: vd[i] = EXPR on bit patterns a (vs2), b (vs1 or f[rs1]), d (old vd). */
#define DEF_FSW(name, src, EXPR) HANDLER(name) { \
    PROLOGUE; \
    if (!check_fp_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, c.lmul_log2, c.sew, \
                      F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t fs_ = (src) == SRC_F ? f_scalar(m, e->rs1, c.sew) : 0; (void)fs_; \
        FP_SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_, *B_ = (const U *)vs1_, *D_ = (const U *)vd_; (void)B_; (void)D_; \
            V_ELEMENTS(&c, e, v0, vd_, U, ({ uint64_t a = A_[i]; uint64_t b = (src) == SRC_V ? B_[i] : fs_; \
                uint64_t d = D_[i]; (void)a; (void)b; (void)d; (U)(EXPR); })); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
#define DEF_FSW2(name, EXPR) DEF_FSW(name##_vv, SRC_V, EXPR) DEF_FSW(name##_vf, SRC_F, EXPR)

/* Host fast path for SEW=32/64 under RNE, used by the hot arithmetic. */
static inline uint64_t host_nan_fix32(float r) { uint32_t u; if (r != r) return 0x7fc00000u; memcpy(&u, &r, 4); return u; }
static inline uint64_t host_nan_fix64(double r) { uint64_t u; if (r != r) return 0x7ff8000000000000ull; memcpy(&u, &r, 8); return u; }
static inline float f32(uint64_t v) { uint32_t u = (uint32_t)v; float r; memcpy(&r, &u, 4); return r; }
static inline double f64(uint64_t v) { double r; memcpy(&r, &v, 8); return r; }

#define HOST_OK (rm == SF_RNE && c.sew >= 32)
/* a op b, by host or softfloat */
#define ADD(x, y) (HOST_OK ? (c.sew == 32 ? host_nan_fix32(f32(x) + f32(y)) : host_nan_fix64(f64(x) + f64(y))) \
                           : sf_add(fmt, x, y, rm, &fl))
#define SUB(x, y) (HOST_OK ? (c.sew == 32 ? host_nan_fix32(f32(x) - f32(y)) : host_nan_fix64(f64(x) - f64(y))) \
                           : sf_sub(fmt, x, y, rm, &fl))
#define MUL(x, y) (HOST_OK ? (c.sew == 32 ? host_nan_fix32(f32(x) * f32(y)) : host_nan_fix64(f64(x) * f64(y))) \
                           : sf_mul(fmt, x, y, rm, &fl))
#define DIV(x, y) (HOST_OK ? (c.sew == 32 ? host_nan_fix32(f32(x) / f32(y)) : host_nan_fix64(f64(x) / f64(y))) \
                           : sf_div(fmt, x, y, rm, &fl))
/* (a NaN result is redone in softfloat: the host need not raise invalid for inf * 0 + qNaN, RISC-V does) */
static inline uint64_t host_fma(int fmt, uint64_t x, uint64_t y, uint64_t z, unsigned *fl)
{
    if (fmt == SF_F32) {
        float r = fmaf(f32(x), f32(y), f32(z));
        return r == r ? host_nan_fix32(r) : sf_fma(fmt, x, y, z, SF_RNE, fl);
    }
    double r = fma(f64(x), f64(y), f64(z));
    return r == r ? host_nan_fix64(r) : sf_fma(fmt, x, y, z, SF_RNE, fl);
}
#define FMA(x, y, z) (HOST_OK ? host_fma(fmt, x, y, z, &fl) : sf_fma(fmt, x, y, z, rm, &fl))
#define NEG(x) ((x) ^ ((uint64_t)1 << (c.sew - 1)))

DEF_FSW2(vfadd, ADD(a, b))
DEF_FSW2(vfsub, SUB(a, b))
DEF_FSW(vfrsub_vf, SRC_F, SUB(b, a))
DEF_FSW2(vfmul, MUL(a, b))
DEF_FSW2(vfdiv, DIV(a, b))
DEF_FSW(vfrdiv_vf, SRC_F, DIV(b, a))
DEF_FSW2(vfmin, sf_min(fmt, a, b, &fl))
DEF_FSW2(vfmax, sf_max(fmt, a, b, &fl))
DEF_FSW2(vfsgnj, (a & ~((uint64_t)SIGN(U))) | (b & SIGN(U)))
DEF_FSW2(vfsgnjn, (a & ~((uint64_t)SIGN(U))) | (~b & SIGN(U)))
DEF_FSW2(vfsgnjx, a ^ (b & SIGN(U)))
/* multiply-add: b is vs1 / f[rs1], a is vs2, d is vd */
DEF_FSW2(vfmacc, FMA(b, a, d))

DEF_FSW2(vfnmacc, FMA(NEG(b), a, NEG(d)))
DEF_FSW2(vfmsac, FMA(b, a, NEG(d)))
DEF_FSW2(vfnmsac, FMA(NEG(b), a, d))
DEF_FSW2(vfmadd, FMA(b, d, a))
DEF_FSW2(vfnmadd, FMA(NEG(b), d, NEG(a)))
DEF_FSW2(vfmsub, FMA(b, d, NEG(a)))
DEF_FSW2(vfnmsub, FMA(NEG(b), d, a))

/* Unary ops on vs2 (vs1 field is the function code). */
#define DEF_FUN(name, EXPR) HANDLER(name) { \
    PROLOGUE; \
    if (!check_fp_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, 0, 0, F_VS2)) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        FP_SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_; \
            V_ELEMENTS(&c, e, v0, vd_, U, ({ uint64_t a = A_[i]; (U)(EXPR); })); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
DEF_FUN(vfsqrt_v, sf_sqrt(fmt, a, rm, &fl))
DEF_FUN(vfclass_v, sf_classify(fmt, a))
DEF_FUN(vfcvt_xu_f_v, (uint64_t)sf_to_int(fmt, a, (int)c.sew, 1, rm, &fl))
DEF_FUN(vfcvt_x_f_v, (uint64_t)sf_to_int(fmt, a, (int)c.sew, 0, rm, &fl))
DEF_FUN(vfcvt_rtz_xu_f_v, (uint64_t)sf_to_int(fmt, a, (int)c.sew, 1, SF_RTZ, &fl))
DEF_FUN(vfcvt_rtz_x_f_v, (uint64_t)sf_to_int(fmt, a, (int)c.sew, 0, SF_RTZ, &fl))
DEF_FUN(vfcvt_f_xu_v, sf_from_int(fmt, a, (int)c.sew, 1, rm, &fl))
DEF_FUN(vfcvt_f_x_v, sf_from_int(fmt, a, (int)c.sew, 0, rm, &fl))

/* Compares into a mask. */
#define DEF_FCMP(name, src, COND) HANDLER(name) { \
    PROLOGUE; \
    if (!check_fp_ops(e, 0, 1, c.lmul_log2, c.sew, c.lmul_log2, c.sew, F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) \
        return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t fs_ = (src) == SRC_F ? f_scalar(m, e->rs1, c.sew) : 0; (void)fs_; \
        uint8_t out_[RV_V_MAX_VLENB]; memcpy(out_, vd_, c.vlenb); \
        FP_SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_, *B_ = (const U *)vs1_; (void)B_; \
            V_MASK_ELEMENTS(&c, e, v0, out_, ({ uint64_t a = A_[i]; uint64_t b = (src) == SRC_V ? B_[i] : fs_; \
                                                (COND); })); }); \
        mask_tail_ones(&c, out_); \
        memcpy(vd_, out_, c.vlenb); \
    } \
    EPILOGUE; }
DEF_FCMP(vmfeq_vv, SRC_V, sf_eq(fmt, a, b, &fl))
DEF_FCMP(vmfeq_vf, SRC_F, sf_eq(fmt, a, b, &fl))
DEF_FCMP(vmfne_vv, SRC_V, !sf_eq(fmt, a, b, &fl))
DEF_FCMP(vmfne_vf, SRC_F, !sf_eq(fmt, a, b, &fl))
DEF_FCMP(vmflt_vv, SRC_V, sf_lt(fmt, a, b, &fl))
DEF_FCMP(vmflt_vf, SRC_F, sf_lt(fmt, a, b, &fl))
DEF_FCMP(vmfle_vv, SRC_V, sf_le(fmt, a, b, &fl))
DEF_FCMP(vmfle_vf, SRC_F, sf_le(fmt, a, b, &fl))
DEF_FCMP(vmfgt_vf, SRC_F, sf_lt(fmt, b, a, &fl))
DEF_FCMP(vmfge_vf, SRC_F, sf_le(fmt, b, a, &fl))

/* Widening: operands converted (exactly) to 2*SEW, then the 2*SEW operation. a is vs2 (SEW, or 2*SEW
   for .w forms), b is vs1 / f[rs1] (SEW), d the old 2*SEW destination. */
#define DEF_FW(name, src, wide_a, EXPR) HANDLER(name) { \
    PROLOGUE; \
    if (c.sew == 64 || (c.sew == 16 && !(m->cfg.extensions & RV_EXT_ZVFH))) return V_ILLEGAL; \
    int w_ = c.lmul_log2 + 1; int wf = sew_fmt(2 * c.sew); \
    if (!check_fp_ops(e, w_, 2 * c.sew, (wide_a) ? w_ : c.lmul_log2, (wide_a) ? 2 * c.sew : c.sew, \
                      c.lmul_log2, c.sew, F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t fs_ = (src) == SRC_F ? f_scalar(m, e->rs1, c.sew) : 0; (void)fs_; \
        FP_SEW_SWITCH(c.sew, { \
            const U *B_ = (const U *)vs1_; const UW *D_ = (const UW *)vd_; (void)B_; \
            V_ELEMENTS(&c, e, v0, vd_, UW, ({ \
                uint64_t a = (wide_a) ? ((const UW *)vs2_)[i] : sf_convert(wf, fmt, ((const U *)vs2_)[i], rm, &fl); \
                uint64_t b = sf_convert(wf, fmt, (src) == SRC_V ? B_[i] : fs_, rm, &fl); \
                uint64_t d = D_[i]; (void)d; (UW)(EXPR); })); \
            tail_ones(&c, vd_, w_, sizeof(UW)); }); \
    } \
    EPILOGUE; }
#define DEF_FW2(name, wide_a, EXPR) DEF_FW(name##_vv, SRC_V, wide_a, EXPR) DEF_FW(name##_vf, SRC_F, wide_a, EXPR)
#define WNEG(x) ((x) ^ ((uint64_t)1 << (2 * c.sew - 1)))
DEF_FW2(vfwadd, 0, sf_add(wf, a, b, rm, &fl))
DEF_FW2(vfwsub, 0, sf_sub(wf, a, b, rm, &fl))
DEF_FW2(vfwadd_w, 1, sf_add(wf, a, b, rm, &fl))
DEF_FW2(vfwsub_w, 1, sf_sub(wf, a, b, rm, &fl))
DEF_FW2(vfwmul, 0, sf_mul(wf, a, b, rm, &fl))
DEF_FW2(vfwmacc, 0, sf_fma(wf, b, a, d, rm, &fl))
DEF_FW2(vfwnmacc, 0, sf_fma(wf, WNEG(b), a, WNEG(d), rm, &fl))
DEF_FW2(vfwmsac, 0, sf_fma(wf, b, a, WNEG(d), rm, &fl))
DEF_FW2(vfwnmsac, 0, sf_fma(wf, WNEG(b), a, d, rm, &fl))

/* Widening conversions: destination 2*SEW.  src_float: 1 the source is FP, 2 FP-to-FP (Zvfhmin is
   enough at SEW=16), 0 integer. */
#define DEF_FWCVT(name, src_float, EXPR) HANDLER(name) { \
    const uint64_t half_ext_ = (src_float) == 2 ? (RV_EXT_ZVFH | RV_EXT_ZVFHMIN) : RV_EXT_ZVFH; \
    rv_vcfg c; \
    if (vcfg_load(m, &c) || c.sew == 64 || !(m->h.mstatus & MSTATUS_FS) || m->h.frm > 4) return V_ILLEGAL; \
    /* FP sources need SEW 16 (Zvfh; Zvfhmin for vfwcvt.f.f) or 32; integer sources produce FP of 2*SEW */ \
    if ((src_float) ? (c.sew == 8 || (c.sew == 16 && !(m->cfg.extensions & half_ext_))) \
                    : (c.sew == 8 && !(m->cfg.extensions & RV_EXT_ZVFH))) return V_ILLEGAL; \
    int w_ = c.lmul_log2 + 1; \
    if (!check_fp_ops(e, w_, 2 * c.sew, c.lmul_log2, c.sew, 0, 0, F_VS2)) return V_ILLEGAL; \
    const uint8_t *v0 = m->vreg; uint8_t *vd_ = vreg_ptr(m, e->rd); const uint8_t *vs2_ = vreg_ptr(m, e->rs2); \
    int rm = (int)m->h.frm; unsigned fl = 0; (void)rm; \
    int nf = c.sew == 8 ? SF_F16 : sew_fmt(c.sew), wf = sew_fmt(2 * c.sew); (void)nf; (void)wf; \
    if (c.vstart < c.vl) { \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_; \
            V_ELEMENTS(&c, e, v0, vd_, UW, ({ uint64_t a = A_[i]; (UW)(EXPR); })); \
            tail_ones(&c, vd_, w_, sizeof(UW)); }); \
    } \
    EPILOGUE; }
DEF_FWCVT(vfwcvt_f_f_v, 2, sf_convert(wf, nf, a, rm, &fl))
DEF_FWCVT(vfwcvt_xu_f_v, 1, (uint64_t)sf_to_int(nf, a, 2 * (int)c.sew, 1, rm, &fl))
DEF_FWCVT(vfwcvt_x_f_v, 1, (uint64_t)sf_to_int(nf, a, 2 * (int)c.sew, 0, rm, &fl))
DEF_FWCVT(vfwcvt_rtz_xu_f_v, 1, (uint64_t)sf_to_int(nf, a, 2 * (int)c.sew, 1, SF_RTZ, &fl))
DEF_FWCVT(vfwcvt_rtz_x_f_v, 1, (uint64_t)sf_to_int(nf, a, 2 * (int)c.sew, 0, SF_RTZ, &fl))
DEF_FWCVT(vfwcvt_f_xu_v, 0, sf_from_int(wf, a, (int)c.sew, 1, rm, &fl))
DEF_FWCVT(vfwcvt_f_x_v, 0, sf_from_int(wf, (uint64_t)sext(a, c.sew), 64, 0, rm, &fl))

/* Narrowing conversions: source 2*SEW, destination SEW (dst_float as src_float above). */
#define DEF_FNCVT(name, dst_float, EXPR) HANDLER(name) { \
    const uint64_t half_ext_ = (dst_float) == 2 ? (RV_EXT_ZVFH | RV_EXT_ZVFHMIN) : RV_EXT_ZVFH; \
    rv_vcfg c; \
    if (vcfg_load(m, &c) || c.sew == 64 || !(m->h.mstatus & MSTATUS_FS) || m->h.frm > 4) return V_ILLEGAL; \
    if ((dst_float) ? (c.sew == 8 || (c.sew == 16 && !(m->cfg.extensions & half_ext_))) \
                    : (c.sew == 8 && !(m->cfg.extensions & RV_EXT_ZVFH))) return V_ILLEGAL; \
    int w_ = c.lmul_log2 + 1; \
    if (!check_fp_ops(e, c.lmul_log2, c.sew, w_, 2 * c.sew, 0, 0, F_VS2)) return V_ILLEGAL; \
    const uint8_t *v0 = m->vreg; uint8_t *vd_ = vreg_ptr(m, e->rd); const uint8_t *vs2_ = vreg_ptr(m, e->rs2); \
    int rm = (int)m->h.frm; unsigned fl = 0; (void)rm; \
    int nf = c.sew == 8 ? SF_F16 : sew_fmt(c.sew), wf = sew_fmt(2 * c.sew); (void)nf; (void)wf; \
    if (c.vstart < c.vl) { \
        SEW_SWITCH(c.sew, { \
            const UW *A_ = (const UW *)vs2_; \
            V_ELEMENTS(&c, e, v0, vd_, U, ({ uint64_t a = A_[i]; (U)(EXPR); })); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
DEF_FNCVT(vfncvt_f_f_w, 2, sf_convert(nf, wf, a, rm, &fl))
DEF_FNCVT(vfncvt_rod_f_f_w, 1, sf_convert(nf, wf, a, SF_ROD, &fl))   /* Zvfhmin does not define rod */
DEF_FNCVT(vfncvt_xu_f_w, 0, (uint64_t)sf_to_int(wf, a, (int)c.sew, 1, rm, &fl))
DEF_FNCVT(vfncvt_x_f_w, 0, (uint64_t)sf_to_int(wf, a, (int)c.sew, 0, rm, &fl))
DEF_FNCVT(vfncvt_rtz_xu_f_w, 0, (uint64_t)sf_to_int(wf, a, (int)c.sew, 1, SF_RTZ, &fl))
DEF_FNCVT(vfncvt_rtz_x_f_w, 0, (uint64_t)sf_to_int(wf, a, (int)c.sew, 0, SF_RTZ, &fl))
DEF_FNCVT(vfncvt_f_xu_w, 1, sf_from_int(nf, a, 2 * (int)c.sew, 1, rm, &fl))
DEF_FNCVT(vfncvt_f_x_w, 1, sf_from_int(nf, (uint64_t)sext(a, 2 * c.sew), 64, 0, rm, &fl))

/* ---------------------------------------------------------------- moves, merge, slides */

HANDLER(vfmv_f_s) {
    rv_vcfg c;
    if (vcfg_load(m, &c) || !fp_ok(m, &c, c.sew)) return V_ILLEGAL;
    uint64_t v = 0;
    memcpy(&v, vreg_ptr(m, e->rs2), c.sew_bytes);
    m->h.f[e->rd] = c.sew == 64 ? v : (v | (~0ull << c.sew));
    m->h.mstatus |= MSTATUS_FS_DIRTY;
    vs_dirty(m);
    m->h.vstart = 0;
    return 0;
}

HANDLER(vfmv_s_f) {
    PROLOGUE;
    if (c.vstart < c.vl) {
        uint64_t x = f_scalar(m, e->rs1, c.sew);
        memcpy(vd_, &x, c.sew_bytes);
        if (c.ones && c.vta) memset(vd_ + c.sew_bytes, 0xff, c.vlenb - c.sew_bytes);
    }
    EPILOGUE;
}

/* vfmerge.vfm (vm=0) and vfmv.v.f (vm=1). */
HANDLER(vfmerge_vfm) {
    PROLOGUE;
    int merge = !VM_BIT(e);
    if (!group_ok(e->rd, c.lmul_log2) || (merge && (e->rd == 0 || e->rs2 == 0 || !group_ok(e->rs2, c.lmul_log2))))
        return V_ILLEGAL;
    if (c.vstart < c.vl) {
        uint64_t x = f_scalar(m, e->rs1, c.sew);
        FP_SEW_SWITCH(c.sew, {
            const U *A_ = (const U *)vs2_; U *D_ = (U *)vd_;
            for (uint64_t i = c.vstart; i < c.vl; i++)
                D_[i] = (!merge || mask_bit(v0, i)) ? (U)x : A_[i];
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); });
    }
    EPILOGUE;
}

HANDLER(vfslide1up_vf) {
    PROLOGUE;
    if (!group_ok(e->rd, c.lmul_log2) || !group_ok(e->rs2, c.lmul_log2) || (!VM_BIT(e) && (e->rd == 0 || e->rs2 == 0)) ||
        groups_overlap(e->rd, group_regs(c.lmul_log2), e->rs2, group_regs(c.lmul_log2))) return V_ILLEGAL;
    if (c.vstart < c.vl) {
        uint64_t x = f_scalar(m, e->rs1, c.sew);
        FP_SEW_SWITCH(c.sew, {
            const U *A_ = (const U *)vs2_;
            V_ELEMENTS(&c, e, v0, vd_, U, i == 0 ? (U)x : A_[i - 1]);
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); });
    }
    EPILOGUE;
}

HANDLER(vfslide1down_vf) {
    PROLOGUE;
    if (!group_ok(e->rd, c.lmul_log2) || !group_ok(e->rs2, c.lmul_log2) || (!VM_BIT(e) && (e->rd == 0 || e->rs2 == 0)))
        return V_ILLEGAL;
    if (c.vstart < c.vl) {
        uint64_t x = f_scalar(m, e->rs1, c.sew);
        FP_SEW_SWITCH(c.sew, {
            const U *A_ = (const U *)vs2_;
            V_ELEMENTS(&c, e, v0, vd_, U, i + 1 == c.vl ? (U)x : A_[i + 1]);
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); });
    }
    EPILOGUE;
}

/* ---------------------------------------------------------------- reductions */

/* vd[0] = fold(vs1[0], active vs2[i]) in element order.  The unordered sum (vfredusum) uses the same
   sequential order as the ordered one: a permitted order, and deterministic. */
#define DEF_FRED(name, WIDE, STEP) HANDLER(name) { \
    PROLOGUE; \
    if ((WIDE) && (c.sew == 64 || (c.sew == 16 && !(m->cfg.extensions & RV_EXT_ZVFH)))) return V_ILLEGAL; \
    if (c.vstart != 0 || !group_ok(e->rs2, c.lmul_log2) || (!VM_BIT(e) && e->rs2 == 0)) return V_ILLEGAL; \
    int af = (WIDE) ? sew_fmt(2 * c.sew) : fmt; unsigned ab = (WIDE) ? 2 * c.sew_bytes : c.sew_bytes; \
    if (c.vl > 0) { \
        uint64_t acc = 0; memcpy(&acc, vs1_, ab); \
        FP_SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_; \
            for (uint64_t i = 0; i < c.vl; i++) { \
                if (!VM_BIT(e) && !mask_bit(v0, i)) continue; \
                uint64_t a = (WIDE) ? sf_convert(af, fmt, A_[i], rm, &fl) : A_[i]; \
                acc = (STEP); } }); \
        memcpy(vd_, &acc, ab); \
        if (c.ones && c.vta) memset(vd_ + ab, 0xff, c.vlenb - ab); \
    } \
    EPILOGUE; }
DEF_FRED(vfredosum_vs, 0, sf_add(af, acc, a, rm, &fl))
DEF_FRED(vfredusum_vs, 0, sf_add(af, acc, a, rm, &fl))
DEF_FRED(vfredmin_vs, 0, sf_min(af, acc, a, &fl))
DEF_FRED(vfredmax_vs, 0, sf_max(af, acc, a, &fl))
DEF_FRED(vfwredosum_vs, 1, sf_add(af, acc, a, rm, &fl))
DEF_FRED(vfwredusum_vs, 1, sf_add(af, acc, a, rm, &fl))

void rv_v_register_fp(rv_v_handler *t)
{
#define R(OP, fn) t[RV_OP_##OP] = fn;
#define R2(NAME, name) R(NAME##_VV, name##_vv) R(NAME##_VF, name##_vf)
    R2(VFADD, vfadd) R2(VFSUB, vfsub) R(VFRSUB_VF, vfrsub_vf) R2(VFMUL, vfmul) R2(VFDIV, vfdiv)
    R(VFRDIV_VF, vfrdiv_vf) R2(VFMIN, vfmin) R2(VFMAX, vfmax)
    R2(VFSGNJ, vfsgnj) R2(VFSGNJN, vfsgnjn) R2(VFSGNJX, vfsgnjx)
    R2(VFMACC, vfmacc) R2(VFNMACC, vfnmacc) R2(VFMSAC, vfmsac) R2(VFNMSAC, vfnmsac)
    R2(VFMADD, vfmadd) R2(VFNMADD, vfnmadd) R2(VFMSUB, vfmsub) R2(VFNMSUB, vfnmsub)
    R(VFSQRT_V, vfsqrt_v) R(VFCLASS_V, vfclass_v)
    R(VFCVT_XU_F_V, vfcvt_xu_f_v) R(VFCVT_X_F_V, vfcvt_x_f_v) R(VFCVT_RTZ_XU_F_V, vfcvt_rtz_xu_f_v)
    R(VFCVT_RTZ_X_F_V, vfcvt_rtz_x_f_v) R(VFCVT_F_XU_V, vfcvt_f_xu_v) R(VFCVT_F_X_V, vfcvt_f_x_v)
    R(VMFEQ_VV, vmfeq_vv) R(VMFEQ_VF, vmfeq_vf) R(VMFNE_VV, vmfne_vv) R(VMFNE_VF, vmfne_vf)
    R(VMFLT_VV, vmflt_vv) R(VMFLT_VF, vmflt_vf) R(VMFLE_VV, vmfle_vv) R(VMFLE_VF, vmfle_vf)
    R(VMFGT_VF, vmfgt_vf) R(VMFGE_VF, vmfge_vf)
    R2(VFWADD, vfwadd) R2(VFWSUB, vfwsub) R(VFWADD_WV, vfwadd_w_vv) R(VFWADD_WF, vfwadd_w_vf)
    R(VFWSUB_WV, vfwsub_w_vv) R(VFWSUB_WF, vfwsub_w_vf) R2(VFWMUL, vfwmul)
    R2(VFWMACC, vfwmacc) R2(VFWNMACC, vfwnmacc) R2(VFWMSAC, vfwmsac) R2(VFWNMSAC, vfwnmsac)
    R(VFWCVT_F_F_V, vfwcvt_f_f_v) R(VFWCVT_XU_F_V, vfwcvt_xu_f_v) R(VFWCVT_X_F_V, vfwcvt_x_f_v)
    R(VFWCVT_RTZ_XU_F_V, vfwcvt_rtz_xu_f_v) R(VFWCVT_RTZ_X_F_V, vfwcvt_rtz_x_f_v)
    R(VFWCVT_F_XU_V, vfwcvt_f_xu_v) R(VFWCVT_F_X_V, vfwcvt_f_x_v)
    R(VFNCVT_F_F_W, vfncvt_f_f_w) R(VFNCVT_ROD_F_F_W, vfncvt_rod_f_f_w)
    R(VFNCVT_XU_F_W, vfncvt_xu_f_w) R(VFNCVT_X_F_W, vfncvt_x_f_w) R(VFNCVT_RTZ_XU_F_W, vfncvt_rtz_xu_f_w)
    R(VFNCVT_RTZ_X_F_W, vfncvt_rtz_x_f_w) R(VFNCVT_F_XU_W, vfncvt_f_xu_w) R(VFNCVT_F_X_W, vfncvt_f_x_w)
    R(VFMV_F_S, vfmv_f_s) R(VFMV_S_F, vfmv_s_f) R(VFMERGE_VFM, vfmerge_vfm) R(VFMV_V_F, vfmerge_vfm)
    R(VFSLIDE1UP_VF, vfslide1up_vf) R(VFSLIDE1DOWN_VF, vfslide1down_vf)
    R(VFREDOSUM_VS, vfredosum_vs) R(VFREDUSUM_VS, vfredusum_vs) R(VFREDMIN_VS, vfredmin_vs)
    R(VFREDMAX_VS, vfredmax_vs) R(VFWREDOSUM_VS, vfwredosum_vs) R(VFWREDUSUM_VS, vfwredusum_vs)
#undef R
#undef R2
}
