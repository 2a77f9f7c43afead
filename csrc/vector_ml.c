/* ML extensions of the vector unit, and the V extension's reciprocal estimates.
 *
 *  vfrec7.v, vfrsqrt7.v   7-bit estimates (SEW=16 with Zvfh, 32, 64), the spec's lookup tables
 *  Zvfbfmin, Zvfbfwma     vfwcvtbf16.f.f.v, vfncvtbf16.f.f.w, vfwmaccbf16.vv/.vf (SEW=16)
 *  Zvdot4a8i (draft)      vdot4a[u|su|us]: four int8 products summed into each 32-bit element
 *  Zvt 0.4 (draft)        matrix tiles: mtype, msett*, msetmtype[i], vtle/vtse, vtmv, vtzero,
 *                         vtdiscard, vtmmu/vtmms (int8 -> int32), vtfmm (fp16/bf16 -> fp32 with the
 *                         RVBNA dot product, fp32, fp64)
 *
 * The choices made where the drafts leave room are listed in docs/vector.md ("ML extensions").
 */
#include "vector.h"
#include "softfloat.h"

#define HANDLER(name) static int name(rv_machine *m, const rv_insn_t *e, uint64_t *tval)

/* ---------------------------------------------------------------- shared helpers */

/* FP vector instructions need mstatus.FS on and a valid frm. */
static inline int fp_state_ok(const rv_machine *m) { return (m->h.mstatus & MSTATUS_FS) && m->h.frm <= 4; }

static inline void fp_flags(rv_machine *m, unsigned fl)
{
    if (fl) {
        m->h.fflags |= fl;
        m->h.mstatus |= MSTATUS_FS_DIRTY;
    }
}

/* f[reg] as a NaN-boxed value of `bits` bits (else the format's canonical NaN). */
static inline uint64_t boxed(const rv_machine *m, unsigned reg, unsigned bits, int fmt)
{
    uint64_t v = m->h.f[reg], box = ~0ull << bits;
    return (v & box) == box ? v & ~box : sf_canonical_nan(fmt);
}

/* Register-group legality for an instruction writing vd (EEW d_eew, EMUL 2^d_log2) from vs2 and, when
   use_vs1, vs1 (both EEW s_eew, EMUL 2^s_log2): the rules of "Vector Operands" as in vector_int.c. */
static int groups_legal(const rv_insn_t *e, int d_log2, unsigned d_eew, int s_log2, unsigned s_eew, int use_vs1)
{
    int masked = !VM_BIT(e);
    if (!group_ok(e->rd, d_log2) || (masked && e->rd == 0))
        return 0;
    if (!group_ok(e->rs2, s_log2) || !overlap_ok(e->rd, d_log2, d_eew, e->rs2, s_log2, s_eew) ||
        (masked && e->rs2 == 0))
        return 0;
    if (use_vs1 && (!group_ok(e->rs1, s_log2) || !overlap_ok(e->rd, d_log2, d_eew, e->rs1, s_log2, s_eew) ||
                    (masked && e->rs1 == 0)))
        return 0;
    return 1;
}

static inline int done(rv_machine *m)
{
    vs_dirty(m);
    m->h.vstart = 0;
    return 0;
}

/* ---------------------------------------------------------------- vfrec7.v, vfrsqrt7.v */

/* The spec's lookup tables ("Vector Floating-Point Reciprocal [Square-Root] Estimate Instruction"):
   the seven high output significand bits by the seven high input significand bits (rec7), and by the
   low input exponent bit and the six high significand bits (rsqrt7, index exp[0] * 64 + sig). */
static const uint8_t rec7_table[128] = {
    127, 125, 123, 121, 119, 117, 116, 114, 112, 110, 109, 107, 105, 104, 102, 100,
     99,  97,  96,  94,  93,  91,  90,  88,  87,  85,  84,  83,  81,  80,  79,  77,
     76,  75,  74,  72,  71,  70,  69,  68,  66,  65,  64,  63,  62,  61,  60,  59,
     58,  57,  56,  55,  54,  53,  52,  51,  50,  49,  48,  47,  46,  45,  44,  43,
     42,  41,  40,  40,  39,  38,  37,  36,  35,  35,  34,  33,  32,  31,  31,  30,
     29,  28,  28,  27,  26,  25,  25,  24,  23,  23,  22,  21,  21,  20,  19,  19,
     18,  17,  17,  16,  15,  15,  14,  14,  13,  12,  12,  11,  11,  10,   9,   9,
      8,   8,   7,   7,   6,   5,   5,   4,   4,   3,   3,   2,   2,   1,   1,   0,
};
static const uint8_t rsqrt7_table[128] = {
     52,  51,  50,  48,  47,  46,  44,  43,  42,  41,  40,  39,  38,  36,  35,  34,
     33,  32,  31,  30,  30,  29,  28,  27,  26,  25,  24,  23,  23,  22,  21,  20,
     19,  19,  18,  17,  16,  16,  15,  14,  14,  13,  12,  12,  11,  10,  10,   9,
      9,   8,   7,   7,   6,   6,   5,   4,   4,   3,   3,   2,   2,   1,   1,   0,
    127, 125, 123, 121, 119, 118, 116, 114, 113, 111, 109, 108, 106, 105, 103, 102,
    100,  99,  97,  96,  95,  93,  92,  91,  90,  88,  87,  86,  85,  84,  83,  82,
     80,  79,  78,  77,  76,  75,  74,  73,  72,  71,  70,  70,  69,  68,  67,  66,
     65,  64,  63,  63,  62,  61,  60,  59,  59,  58,  57,  56,  56,  55,  54,  53,
};

/* A value split into fields, subnormals normalized as the spec describes: the exponent becomes
   0 - (leading zeros of the fraction) and the fraction is shifted up past its leading one. */
typedef struct { unsigned sign; int64_t exp; uint64_t frac; unsigned ebits, mbits; int64_t bias; } fp_parts;

static fp_parts split(uint64_t a, unsigned sew)
{
    fp_parts p;
    p.ebits = sew == 16 ? 5 : sew == 32 ? 8 : 11;
    p.mbits = sew - 1 - p.ebits;
    p.bias = (1 << (p.ebits - 1)) - 1;
    p.sign = (unsigned)(a >> (sew - 1)) & 1;
    p.exp = (int64_t)((a >> p.mbits) & ((1u << p.ebits) - 1));
    p.frac = a & ((1ull << p.mbits) - 1);
    return p;
}

static void normalize(fp_parts *p)
{
    if (p->exp == 0 && p->frac) {
        int lz = 0;
        while (!((p->frac << lz) >> (p->mbits - 1) & 1))
            lz++;
        p->exp = -lz;
        p->frac = (p->frac << (lz + 1)) & ((1ull << p->mbits) - 1);
    }
}

static uint64_t rsqrt7(uint64_t a, unsigned sew, unsigned *fl)
{
    int fmt = sew == 16 ? SF_F16 : sew == 32 ? SF_F32 : SF_F64;
    fp_parts p = split(a, sew);
    uint64_t emax = (1u << p.ebits) - 1, sign_bit = (uint64_t)p.sign << (sew - 1);
    if (p.exp == (int64_t)emax) {
        if (p.frac) {                                   /* NaN: NV when signaling */
            if (!(p.frac >> (p.mbits - 1)))
                *fl |= SF_NV;
            return sf_canonical_nan(fmt);
        }
        if (p.sign) { *fl |= SF_NV; return sf_canonical_nan(fmt); }
        return 0;                                       /* 1/sqrt(+inf) = +0 */
    }
    if (p.exp == 0 && p.frac == 0) {                    /* +-0 -> +-inf, DZ */
        *fl |= SF_DZ;
        return sign_bit | (emax << p.mbits);
    }
    if (p.sign) { *fl |= SF_NV; return sf_canonical_nan(fmt); }
    normalize(&p);
    unsigned idx = (unsigned)((p.exp & 1) << 6) | (unsigned)(p.frac >> (p.mbits - 6));
    int64_t out_exp = (3 * p.bias - 1 - p.exp) / 2;    /* the numerator is positive: / floors */
    return ((uint64_t)out_exp << p.mbits) | ((uint64_t)rsqrt7_table[idx] << (p.mbits - 7));
}

static uint64_t rec7(uint64_t a, unsigned sew, int rm, unsigned *fl)
{
    int fmt = sew == 16 ? SF_F16 : sew == 32 ? SF_F32 : SF_F64;
    fp_parts p = split(a, sew);
    uint64_t emax = (1u << p.ebits) - 1, sign_bit = (uint64_t)p.sign << (sew - 1);
    if (p.exp == (int64_t)emax) {
        if (p.frac) {
            if (!(p.frac >> (p.mbits - 1)))
                *fl |= SF_NV;
            return sf_canonical_nan(fmt);
        }
        return sign_bit;                                /* 1/+-inf = +-0 */
    }
    if (p.exp == 0 && p.frac == 0) {
        *fl |= SF_DZ;
        return sign_bit | (emax << p.mbits);
    }
    normalize(&p);
    int64_t out_exp = 2 * p.bias - 1 - p.exp;
    if (out_exp > 2 * p.bias) {
        /* tiny subnormal input: the estimate overflows; infinity or the largest finite value */
        *fl |= SF_OF | SF_NX;
        int to_inf = rm == SF_RNE || rm == SF_RMM || (p.sign ? rm == SF_RDN : rm == SF_RUP);
        return sign_bit | (to_inf ? emax << p.mbits : ((emax - 1) << p.mbits) | ((1ull << p.mbits) - 1));
    }
    uint64_t sig = (uint64_t)rec7_table[p.frac >> (p.mbits - 7)] << (p.mbits - 7);
    if (out_exp <= 0) {                                 /* 0 or -1: subnormal output */
        sig = ((1ull << p.mbits) | sig) >> (1 - out_exp);
        out_exp = 0;
    }
    return sign_bit | ((uint64_t)out_exp << p.mbits) | sig;
}

/* vfrsqrt7.v / vfrec7.v: unary FP at SEW 16 (Zvfh), 32, 64 */
static int estimate(rv_machine *m, const rv_insn_t *e, int reciprocal)
{
    rv_vcfg c;
    if (vcfg_load(m, &c) || !fp_state_ok(m) || c.sew == 8 ||
        (c.sew == 16 && !(m->cfg.extensions & RV_EXT_ZVFH)))
        return V_ILLEGAL;
    if (!groups_legal(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, 0))
        return V_ILLEGAL;
    unsigned fl = 0;
    int rm = (int)m->h.frm;
    uint8_t *vd = vreg_ptr(m, e->rd);
    const uint8_t *vs2 = vreg_ptr(m, e->rs2), *v0 = m->vreg;
    if (c.vstart < c.vl) {
        switch (c.sew) {
        case 16: { const uint16_t *A = (const uint16_t *)vs2;
            V_ELEMENTS(&c, e, v0, vd, uint16_t, reciprocal ? rec7(A[i], 16, rm, &fl) : rsqrt7(A[i], 16, &fl));
            break; }
        case 32: { const uint32_t *A = (const uint32_t *)vs2;
            V_ELEMENTS(&c, e, v0, vd, uint32_t, reciprocal ? rec7(A[i], 32, rm, &fl) : rsqrt7(A[i], 32, &fl));
            break; }
        default: { const uint64_t *A = (const uint64_t *)vs2;
            V_ELEMENTS(&c, e, v0, vd, uint64_t, reciprocal ? rec7(A[i], 64, rm, &fl) : rsqrt7(A[i], 64, &fl));
            break; }
        }
        tail_ones(&c, vd, c.lmul_log2, c.sew_bytes);
    }
    fp_flags(m, fl);
    return done(m);
}
HANDLER(v_vfrsqrt7) { return estimate(m, e, 0); }
HANDLER(v_vfrec7) { return estimate(m, e, 1); }

/* ---------------------------------------------------------------- Zvfbfmin, Zvfbfwma (SEW=16) */

/* vfwcvtbf16.f.f.v (widen = 1) and vfncvtbf16.f.f.w */
static int bf16_convert(rv_machine *m, const rv_insn_t *e, int widen)
{
    rv_vcfg c;
    if (vcfg_load(m, &c) || !fp_state_ok(m) || c.sew != 16 || c.lmul_log2 == 3)
        return V_ILLEGAL;
    int w = c.lmul_log2 + 1;
    if (widen ? !groups_legal(e, w, 32, c.lmul_log2, 16, 0) : !groups_legal(e, c.lmul_log2, 16, w, 32, 0))
        return V_ILLEGAL;
    unsigned fl = 0;
    int rm = (int)m->h.frm;
    uint8_t *vd = vreg_ptr(m, e->rd);
    const uint8_t *vs2 = vreg_ptr(m, e->rs2), *v0 = m->vreg;
    if (c.vstart < c.vl) {
        if (widen) {
            const uint16_t *A = (const uint16_t *)vs2;
            V_ELEMENTS(&c, e, v0, vd, uint32_t, sf_convert(SF_F32, SF_BF16, A[i], rm, &fl));
            tail_ones(&c, vd, w, 4);
        } else {
            const uint32_t *A = (const uint32_t *)vs2;
            V_ELEMENTS(&c, e, v0, vd, uint16_t, sf_convert(SF_BF16, SF_F32, A[i], rm, &fl));
            tail_ones(&c, vd, c.lmul_log2, 2);
        }
    }
    fp_flags(m, fl);
    return done(m);
}
HANDLER(v_vfwcvtbf16) { return bf16_convert(m, e, 1); }
HANDLER(v_vfncvtbf16) { return bf16_convert(m, e, 0); }

/* vfwmaccbf16: vd (fp32) += vs1 (or f[rs1]) * vs2 (bf16), one rounding: the bf16 operands widen exactly
   to fp32 (a signaling NaN raising NV on the way, as the spec's vfwcvtbf16 + vfmacc sequence does). */
static int bf16_wmacc(rv_machine *m, const rv_insn_t *e, int scalar)
{
    rv_vcfg c;
    if (vcfg_load(m, &c) || !fp_state_ok(m) || c.sew != 16 || c.lmul_log2 == 3)
        return V_ILLEGAL;
    int w = c.lmul_log2 + 1;
    if (!groups_legal(e, w, 32, c.lmul_log2, 16, !scalar))
        return V_ILLEGAL;
    unsigned fl = 0;
    int rm = (int)m->h.frm;
    uint8_t *vd = vreg_ptr(m, e->rd);
    const uint8_t *v0 = m->vreg;
    const uint16_t *A = (const uint16_t *)vreg_ptr(m, e->rs2), *B = (const uint16_t *)vreg_ptr(m, e->rs1);
    const uint32_t *D = (const uint32_t *)vd;
    if (c.vstart < c.vl) {
        uint64_t bs = scalar ? sf_convert(SF_F32, SF_BF16, boxed(m, e->rs1, 16, SF_BF16), rm, &fl) : 0;
        V_ELEMENTS(&c, e, v0, vd, uint32_t, ({
            uint64_t b = scalar ? bs : sf_convert(SF_F32, SF_BF16, B[i], rm, &fl);
            uint64_t a = sf_convert(SF_F32, SF_BF16, A[i], rm, &fl);
            sf_fma(SF_F32, b, a, D[i], rm, &fl); }));
        tail_ones(&c, vd, w, 4);
    }
    fp_flags(m, fl);
    return done(m);
}
HANDLER(v_vfwmaccbf16_vv) { return bf16_wmacc(m, e, 0); }
HANDLER(v_vfwmaccbf16_vf) { return bf16_wmacc(m, e, 1); }

/* ---------------------------------------------------------------- Zvdot4a8i (SEW=32) */

/* Four byte products of a (vs2) and b (vs1 / x[rs1]) summed; the signedness of each side by flag. */
static inline uint32_t dot4(uint32_t a, uint32_t b, int a_signed, int b_signed)
{
    int32_t sum = 0;
    for (int k = 0; k < 32; k += 8) {
        int32_t x = a_signed ? (int8_t)(a >> k) : (int32_t)(uint8_t)(a >> k);
        int32_t y = b_signed ? (int8_t)(b >> k) : (int32_t)(uint8_t)(b >> k);
        sum += x * y;                       /* |sum| <= 4 * 255 * 255: no overflow */
    }
    return (uint32_t)sum;
}

static int dot4a(rv_machine *m, const rv_insn_t *e, int scalar, int a_signed, int b_signed)
{
    rv_vcfg c;
    if (vcfg_load(m, &c) || c.sew != 32 || !groups_legal(e, c.lmul_log2, 32, c.lmul_log2, 32, !scalar))
        return V_ILLEGAL;
    uint8_t *vd = vreg_ptr(m, e->rd);
    const uint8_t *v0 = m->vreg;
    const uint32_t *A = (const uint32_t *)vreg_ptr(m, e->rs2), *B = (const uint32_t *)vreg_ptr(m, e->rs1);
    const uint32_t *D = (const uint32_t *)vd;
    if (c.vstart < c.vl) {
        uint32_t bs = (uint32_t)m->h.x[e->rs1];
        /* the accumulation wraps modulo 2^32 */
        V_ELEMENTS(&c, e, v0, vd, uint32_t, D[i] + dot4(A[i], scalar ? bs : B[i], a_signed, b_signed));
        tail_ones(&c, vd, c.lmul_log2, 4);
    }
    return done(m);
}
HANDLER(v_vdot4a_vv) { return dot4a(m, e, 0, 1, 1); }
HANDLER(v_vdot4a_vx) { return dot4a(m, e, 1, 1, 1); }
HANDLER(v_vdot4au_vv) { return dot4a(m, e, 0, 0, 0); }
HANDLER(v_vdot4au_vx) { return dot4a(m, e, 1, 0, 0); }
HANDLER(v_vdot4asu_vv) { return dot4a(m, e, 0, 1, 0); }
HANDLER(v_vdot4asu_vx) { return dot4a(m, e, 1, 1, 0); }
HANDLER(v_vdot4aus_vx) { return dot4a(m, e, 1, 0, 1); }

/* ---------------------------------------------------------------- Zvt: configuration */

/* mtype fields: MT_* in vector.h (the cycle model reads them too). */

int rv_v_vtype_extra_ok(const rv_machine *m, uint64_t vtype)
{
    /* altfmt selects the second operand type of the Zvt multiplies at SEW=8 and SEW=16 (bf16) */
    return (m->cfg.extensions & RV_EXT_ZVT) && (vtype >> 8) == 1 && ((vtype >> 3) & 7) <= 1;
}

static int vtype_valid(const rv_machine *m, uint64_t vtype)
{
    unsigned vlmul = vtype & 7, vsew = (vtype >> 3) & 7;
    int l = vlmul < 4 ? (int)vlmul : (int)vlmul - 8;
    return ((vtype >> 8) == 0 || rv_v_vtype_extra_ok(m, vtype)) && vlmul != 4 && vsew <= 3 &&
           (l >= 0 || (int)vsew <= 3 + l);
}

static inline unsigned ete_of(const rv_machine *m, unsigned tew) { return tew < 64 ? m->cfg.tile_te : m->cfg.tile_te / 2; }
static inline unsigned kmax_of(unsigned sew) { return sew == 8 ? 4 : sew == 16 ? 2 : 1; }
static inline uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* msetmtype / msetmtypei: vl = 0, mtype and vtype from the operands, then LMUL, the policies, tk and tm
   fitted to the matrix unit when it is configured (mtwiden != 0). */
static void set_mtype(rv_machine *m, uint64_t mtype, uint64_t vtype, unsigned rd)
{
    rv_hart_state *h = &m->h;
    h->vl = 0;
    int ok = vtype_valid(m, vtype);
    unsigned code = MT_TWIDEN_CODE(mtype);
    if (ok && code) {
        unsigned sew = 8u << ((vtype >> 3) & 7), twiden = 1u << (code - 1), tew = sew * twiden;
        if (tew > 64) {
            ok = 0;
        } else {
            uint64_t ete = ete_of(m, tew), eve = (uint64_t)m->cfg.vlen / sew, kmax = kmax_of(sew);
            uint64_t lmul = min64(min64(8 / kmax, 8 / twiden), (ete + eve - 1) / eve);
            unsigned lg = 0;
            while ((1u << lg) < lmul)
                lg++;
            vtype = (vtype & ~7ull) | lg | (1u << 6) | (1u << 7);
            uint64_t tk = min64(MT_TK(mtype), kmax), tm = min64(min64(MT_TM(mtype), lmul * eve), ete);
            mtype = code | tk << 5 | tm << 10;      /* reserved mtype bits read as zero */
        }
    }
    if (!ok || code == 0)
        mtype = 0;
    h->vtype = ok ? vtype : 1ull << 63;
    h->mtype = mtype;
    h->vstart = 0;
    h->x[rd] = 0;           /* riscv-opcodes' rd field: the new vl */
    vs_dirty(m);
}

HANDLER(v_msetmtype) { set_mtype(m, m->h.x[e->rs1], m->h.x[e->rs2], e->rd); return 0; }
HANDLER(v_msetmtypei)
{
    uint64_t imm = (uint64_t)e->imm;        /* mtwiden | vsew << 2 | altfmt << 4 */
    set_mtype(m, imm & 3, ((imm >> 2) & 3) << 3 | ((imm >> 4) & 1) << 8, e->rd);
    return 0;
}

/* The configured matrix unit, from vtype and mtype; 0 when mtwiden = 0 (or vill). */
typedef struct zvt_cfg {
    unsigned sew, twiden, tew, ete, kmax, altfmt;
    int lmul_log2;
    uint64_t vlmax, tm, tn, tk;
} zvt_cfg;

static int zvt_load(const rv_machine *m, zvt_cfg *z)
{
    const rv_hart_state *h = &m->h;
    unsigned code = MT_TWIDEN_CODE(h->mtype);
    if (!code || (h->vtype >> 63))
        return 0;
    unsigned vlmul = h->vtype & 7;
    z->sew = 8u << ((h->vtype >> 3) & 7);
    z->twiden = 1u << (code - 1);
    z->tew = z->sew * z->twiden;
    z->ete = ete_of(m, z->tew);
    z->kmax = kmax_of(z->sew);
    z->altfmt = VTYPE_ALTFMT(h->vtype);
    z->lmul_log2 = vlmul < 4 ? (int)vlmul : (int)vlmul - 8;
    int sh = z->lmul_log2 + 3 - (int)((h->vtype >> 3) & 7) - 3;
    z->vlmax = sh >= 0 ? h->vlenb << sh : h->vlenb >> -sh;
    /* the instructions keep tm <= min(VLMAX, ETE), tk <= KMAX and vl <= VLMAX; clamping again keeps every
       tile and register access in bounds whatever the host wrote into the CSR fields */
    z->tm = min64(min64(MT_TM(h->mtype), z->vlmax), z->ete);
    z->tk = min64(MT_TK(h->mtype), z->kmax);
    z->tn = min64(min64(h->vl, z->vlmax), z->ete);
    return 1;
}

/* msettn: vl = tn; like vsetvl with the current vtype when the matrix unit is not configured */
HANDLER(v_msettn)
{
    rv_hart_state *h = &m->h;
    uint64_t avl = h->x[e->rs1];
    zvt_cfg z;
    if (zvt_load(m, &z)) {
        h->vl = min64(min64(avl, z.vlmax), z.ete);
    } else {
        rv_vcfg c;
        h->vl = vcfg_load(m, &c) ? 0 : min64(avl, c.vlmax);
    }
    h->vstart = 0;
    h->x[e->rd] = h->vl;
    vs_dirty(m);
    return 0;
}

HANDLER(v_msettm)
{
    zvt_cfg z;
    if (!zvt_load(m, &z))
        return V_ILLEGAL;
    uint64_t tm = min64(min64(m->h.x[e->rs1], z.vlmax), z.ete);
    m->h.mtype = (m->h.mtype & ~(0x3fffull << 10)) | tm << 10;
    m->h.x[e->rd] = tm;
    return done(m);
}

HANDLER(v_msettk)
{
    zvt_cfg z;
    if (!zvt_load(m, &z))
        return V_ILLEGAL;
    uint64_t tk = min64(m->h.x[e->rs1], z.kmax);
    m->h.mtype = (m->h.mtype & ~(7ull << 5)) | tk << 5;
    m->h.x[e->rd] = tk;
    return done(m);
}

/* ---------------------------------------------------------------- Zvt: tile state */

/* Byte offset of element (row, col) of tile `tile` viewed with element width tew, in the tile state of
   16 * TE * TE bytes: the draft's punning layout ("Tile Punning"). */
static inline uint64_t tile_offset(unsigned te, unsigned tile, unsigned row, unsigned col, unsigned tew)
{
    unsigned ptile, minor, major;
    switch (tew) {
    case 8:
        ptile = tile;
        minor = (row % 4) * 4 + col % 4;
        major = (row / 4) * (te / 4) + col / 4;
        break;
    case 16:
        ptile = tile + ((row & 2) >> 1);
        minor = (row % 2) * 4 + (col % 2) * 2 + ((col / 2) % 2) * 8;
        major = (row / 4) * (te / 4) + col / 4;
        break;
    case 32:
        ptile = tile + 2 * (row / (te / 2)) + ((col & 2) >> 1);
        minor = (row % 2) * 8 + (col % 2) * 4;
        major = ((row / 2) % (te / 4)) * (te / 4) + col / 4;
        break;
    default:
        ptile = tile + row / (te / 4);
        minor = (col % 2) * 8;
        major = (row % (te / 4)) * (te / 4) + col / 2;
        break;
    }
    return (uint64_t)ptile * te * te + (uint64_t)major * 16 + minor;
}

static inline uint8_t *tile_elem(rv_machine *m, unsigned tile, unsigned row, unsigned col, unsigned tew)
{
    return m->tiles + tile_offset(m->cfg.tile_te, tile, row, col, tew);
}

/* Tiles of element width tew are numbered in steps of 16 / NTiles: 1 (TEW=8), 2 (16, 64), 4 (32). */
static inline unsigned tile_step(unsigned tew) { return tew == 8 ? 1 : tew == 32 ? 4 : 2; }

/* Instructions that touch the tile state need mstatus.MS on (and valid vtype). */
static inline int ms_on(const rv_machine *m) { return (m->h.mstatus & MSTATUS_MS) != 0; }
static inline void ms_dirty(rv_machine *m) { m->h.mstatus |= MSTATUS_MS_DIRTY; }

/* A tile subset specifier: tile (low bits ignored below the tile step), pattern (row or column; the
   reserved patterns are taken mod 2) and index (mod ETE), the draft's expected handling of reserved TSS
   values.  Element i of the subset is (row, col) = (index, i) for a row, (i, index) for a column. */
typedef struct { unsigned tile, column, index; } tss_t;

static tss_t tss_decode(uint64_t v, unsigned tew, unsigned ete)
{
    tss_t t;
    t.tile = (unsigned)(v >> 27) & 15 & ~(tile_step(tew) - 1);
    t.column = (unsigned)(v >> 24) & 1;
    t.index = (unsigned)(v & 0xffffff) % ete;
    return t;
}

static inline uint8_t *tss_elem(rv_machine *m, const tss_t *t, unsigned i, unsigned tew)
{
    return t->column ? tile_elem(m, t->tile, i, t->index, tew) : tile_elem(m, t->tile, t->index, i, tew);
}

/* Tile elements [from, ete) of a subset become all ones when the machine writes ones to agnostic
   elements (the tail policy is vta; msetmtype sets it). */
static void tss_tail(rv_machine *m, const tss_t *t, uint64_t from, unsigned ete, unsigned tew)
{
    if ((m->cfg.flags & RV_CFG_VECTOR_AGNOSTIC_ONES) && ((m->h.vtype >> 6) & 1))
        for (uint64_t i = from; i < ete; i++)
            memset(tss_elem(m, t, (unsigned)i, tew), 0xff, tew / 8);
}

/* vtle<eew> / vtse<eew>: a row or column of a tile (TEW = EEW) to or from contiguous memory.  Elements
   must be naturally aligned (the draft allows a misaligned or access fault: rvsim raises misaligned);
   faults are precise, vstart holding the element. */
static int tile_mem(rv_machine *m, const rv_insn_t *e, uint64_t *tval, int store)
{
    zvt_cfg z;
    if (!ms_on(m) || !zvt_load(m, &z))
        return V_ILLEGAL;
    unsigned tew = 8u << ((e->raw >> 29) & 3), bytes = tew / 8, ete = ete_of(m, tew);
    tss_t t = tss_decode(m->h.x[e->rs2], tew, ete);
    uint64_t n = min64(m->h.vl, ete), base = m->h.x[e->rs1];
    int htif = 0;
    vs_dirty(m);
    for (uint64_t i = m->h.vstart; i < n; i++) {
        uint64_t addr = base + i * bytes;
        uint8_t *el = tss_elem(m, &t, (unsigned)i, tew);
        int cause;
        if (addr & (bytes - 1)) {
            cause = store ? CAUSE_MISALIGNED_STORE : CAUSE_MISALIGNED_LOAD;
            *tval = addr;
        } else if (store) {
            uint64_t v = 0;
            memcpy(&v, el, bytes);
            cause = rv_store_slow(m, addr, bytes, v, tval, &htif);
        } else {
            uint64_t v;
            cause = rv_load_slow(m, addr, bytes, &v, tval);
            if (!cause) {
                memcpy(el, &v, bytes);
                ms_dirty(m);
            }
        }
        if (cause) {
            m->h.vstart = i;
            return cause;
        }
    }
    if (!store && m->h.vstart < n) {
        tss_tail(m, &t, n, ete, tew);
        ms_dirty(m);
    }
    m->h.vstart = 0;
    return htif ? RV_V_HTIF : 0;
}
HANDLER(v_vtle) { return tile_mem(m, e, tval, 0); }
HANDLER(v_vtse) { return tile_mem(m, e, tval, 1); }

/* vtmv.v.t vd, rs1 (to_tile = 0) and vtmv.t.v rs1, vs2: TEW = SEW, the vector group has EMUL = LMUL */
static int tile_move(rv_machine *m, const rv_insn_t *e, int to_tile)
{
    zvt_cfg z;
    rv_vcfg c;
    if (!ms_on(m) || !zvt_load(m, &z) || vcfg_load(m, &c))
        return V_ILLEGAL;
    unsigned vreg = to_tile ? e->rs2 : e->rd, tew = c.sew, ete = ete_of(m, tew);
    if (!group_ok(vreg, c.lmul_log2))
        return V_ILLEGAL;
    tss_t t = tss_decode(m->h.x[e->rs1], tew, ete);
    uint64_t n = min64(min64(c.vl, c.vlmax), ete);     /* vl <= VLMAX unless the host wrote it */
    uint8_t *v = vreg_ptr(m, vreg);
    if (c.vstart < n) {
        for (uint64_t i = c.vstart; i < n; i++) {
            uint8_t *el = tss_elem(m, &t, (unsigned)i, tew);
            if (to_tile)
                memcpy(el, v + i * c.sew_bytes, c.sew_bytes);
            else
                memcpy(v + i * c.sew_bytes, el, c.sew_bytes);
        }
        if (to_tile) {
            tss_tail(m, &t, n, ete, tew);
            ms_dirty(m);
        } else {
            rv_vcfg tail = c;
            tail.vl = n;
            tail_ones(&tail, v, c.lmul_log2, c.sew_bytes);
        }
    }
    return done(m);
}
HANDLER(v_vtmv_v_t) { return tile_move(m, e, 0); }
HANDLER(v_vtmv_t_v) { return tile_move(m, e, 1); }

/* Elements of tile `tile` (TEW z->tew) outside [0, tm) x [0, tn) are the tail: all ones when the machine
   writes ones to agnostic elements (vta is 1 whenever the matrix unit is configured). */
static void tile_tail(rv_machine *m, const zvt_cfg *z, unsigned tile)
{
    if (!(m->cfg.flags & RV_CFG_VECTOR_AGNOSTIC_ONES) || !((m->h.vtype >> 6) & 1))
        return;
    for (unsigned r = 0; r < z->ete; r++)
        for (unsigned col = 0; col < z->ete; col++)
            if (r >= z->tm || col >= z->tn)
                memset(tile_elem(m, tile, r, col, z->tew), 0xff, z->tew / 8);
}

/* vtzero: zeros in the tm x tn corner of a tile of the configured TEW = SEW * TWIDEN */
HANDLER(v_vtzero)
{
    zvt_cfg z;
    if (!ms_on(m) || !zvt_load(m, &z) || m->h.vstart || (e->rd & (tile_step(z.tew) - 1)))
        return V_ILLEGAL;
    if (z.tm && z.tn) {
        for (unsigned r = 0; r < z.tm; r++)
            for (unsigned col = 0; col < z.tn; col++)
                memset(tile_elem(m, e->rd, r, col, z.tew), 0, z.tew / 8);
        tile_tail(m, &z, e->rd);
        ms_dirty(m);
    }
    return done(m);
}

/* vtdiscard: the tile state need not be saved (mstatus.MS becomes Initial) */
HANDLER(v_vtdiscard)
{
    if (!ms_on(m) || (m->h.vtype >> 63))
        return V_ILLEGAL;
    m->h.mstatus = (m->h.mstatus & ~MSTATUS_MS) | (1ull << 29);
    return done(m);
}

/* ---------------------------------------------------------------- Zvt: multiply-accumulate */

/* Operand rows: row k of a vs2/vs1 operand is the register group at reg + k * (8 / KMAX).  The
   specifier must be a multiple of LMUL, and below 8 / KMAX modulo 8. */
static int operand_ok(unsigned reg, const zvt_cfg *z)
{
    unsigned stride = 8 / z->kmax;
    if (z->lmul_log2 < 0 || (1u << z->lmul_log2) > stride)
        return 0;
    return (reg & ((1u << z->lmul_log2) - 1)) == 0 && reg % 8 < stride;
}

static inline const uint8_t *row_ptr(rv_machine *m, unsigned reg, unsigned k, const zvt_cfg *z)
{
    return vreg_ptr(m, reg + k * (8 / z->kmax));
}

/* RVBNA dot product (drafts/rvbna.adoc) of up to two products a[k] * b[k] of 16-bit floats with `ebits`
   exponent bits (fp16: 5, bf16: 8) into an fp32 result, n = KMAX = 2 (g = o = 1) whatever tk is: the
   products k >= tk are zeros.  Products are aligned on the largest reference exponent, truncated to
   q + g = 25 fractional bits below it with the discarded bits jammed into the last (round to odd),
   summed exactly, and the sum rounded to fp32 by round to odd; overflow gives an infinity, a zero sum
   +0.  Only NV and OF are raised. */
static uint32_t rvbna_dot2(const uint16_t *a, const uint16_t *b, unsigned tk, unsigned ebits, unsigned *fl)
{
    const unsigned mbits = 15 - ebits, p = mbits + 1;
    const unsigned emask = (1u << ebits) - 1, mmask = (1u << mbits) - 1;
    const int bias = (1 << (ebits - 1)) - 1;
    int nan = 0, inf = 0, invalid = 0;
    unsigned inf_sign = 0;
    uint64_t sig[2] = {0, 0};
    int ref[2] = {0, 0};
    unsigned sign[2] = {0, 0};
    int max_exp = 0;
    for (unsigned k = 0; k < 2 && k < tk; k++) {
        unsigned ae = (a[k] >> mbits) & emask, be = (b[k] >> mbits) & emask;
        unsigned am = a[k] & mmask, bm = b[k] & mmask;
        sign[k] = ((a[k] ^ b[k]) >> 15) & 1;
        int a_zero = ae == 0 && am == 0, b_zero = be == 0 && bm == 0;
        int a_inf = ae == emask && am == 0, b_inf = be == emask && bm == 0;
        int a_nan = ae == emask && am != 0, b_nan = be == emask && bm != 0;
        int a_snan = a_nan && !(am >> (mbits - 1)), b_snan = b_nan && !(bm >> (mbits - 1));
        int inf_times_zero = (a_inf && b_zero) || (b_inf && a_zero);
        int inf_prod = (a_inf && !b_nan && !b_zero) || (b_inf && !a_nan && !a_zero);
        int inf_minus_inf = inf && inf_prod && inf_sign != sign[k];
        inf |= inf_prod;
        invalid |= inf_times_zero || inf_minus_inf || a_snan || b_snan;
        if (inf_prod)
            inf_sign = sign[k];
        nan |= a_nan || b_nan || inf_times_zero || inf_minus_inf;
        sig[k] = (uint64_t)(((ae != 0) << mbits) | am) * (((be != 0) << mbits) | bm);
        ref[k] = (a_zero || b_zero) ? 0 : (int)(ae ? ae : 1) + (int)(be ? be : 1);
        if (ref[k] > max_exp)
            max_exp = ref[k];
    }
    if (nan) {
        if (invalid)
            *fl |= SF_NV;
        return 0x7fc00000u;
    }
    if (inf)
        return inf_sign << 31 | 0x7f800000u;
    const unsigned pad = 24 + 1 + 1 - 2 * p;       /* q + 1 + g - (p_l + p_r) */
    int64_t acc = 0;
    for (unsigned k = 0; k < 2; k++) {
        unsigned shift = (unsigned)(max_exp - ref[k]);
        uint64_t wide = sig[k] << pad, aligned = shift < 64 ? wide >> shift : 0;
        if (sig[k] && shift && (shift >= 64 || (wide & ((1ull << shift) - 1))))
            aligned |= 1;                           /* jam: round the aligned product to odd */
        acc += sign[k] ? -(int64_t)aligned : (int64_t)aligned;
    }
    if (acc == 0)
        return 0;
    unsigned s = acc < 0;
    uint64_t mag = s ? (uint64_t)-acc : (uint64_t)acc;
    /* value = mag * 2^e0 with e0 = max_exp - 2 * bias - (q + g - 1) */
    int e0 = max_exp - 2 * bias - 24;
    int nb = 64 - __builtin_clzll(mag);
    int biased = nb - 1 + e0 + 127;
    if (biased >= 255) {
        *fl |= SF_OF;
        return s << 31 | 0x7f800000u;
    }
    uint64_t out;
    if (biased >= 1) {
        uint64_t sg = nb > 24 ? mag >> (nb - 24) : mag << (24 - nb);
        if (nb > 24 && (mag & ((1ull << (nb - 24)) - 1)))
            sg |= 1;
        out = (uint64_t)biased << 23 | (sg & 0x7fffff);
    } else {
        int sh = e0 + 149;                          /* subnormal quantum 2^-149 */
        if (sh >= 0) {
            out = mag << sh;
        } else {
            unsigned r = (unsigned)-sh;
            out = r < 64 ? mag >> r : 0;
            if (r >= 64 || (mag & ((1ull << r) - 1)))
                out |= 1;
        }
    }
    return (uint32_t)(s << 31 | out);
}

/* acc + dot in fp32 rounded to odd, RVBNA style: overflow gives an infinity and a zero sum is +0. */
static uint32_t rvbna_accumulate(uint32_t acc, uint32_t dot, unsigned *fl)
{
    unsigned lf = 0;
    uint32_t r = (uint32_t)sf_add(SF_F32, acc, dot, SF_ROD, &lf);
    if (lf & SF_OF)
        r = (r & 0x80000000u) | 0x7f800000u;
    if ((r & 0x7fffffffu) == 0)
        r = 0;
    *fl |= lf & (SF_NV | SF_OF);
    return r;
}

/* vtmmu.tvv / vtmms.tvv (kind 0 / 1), vtfmm.tvv / vtfmm.alt.tvv (kind 2 / 3):
   C[tm, tn] += A[tk, tm]^T * B[tk, tn], A from vs2, B from vs1, C the tile. */
static int tile_mma(rv_machine *m, const rv_insn_t *e, int kind)
{
    zvt_cfg z;
    if (!ms_on(m) || !zvt_load(m, &z) || m->h.vstart)
        return V_ILLEGAL;
    /* supported (SEW, TWIDEN, altfmt) per instruction */
    enum { INT8, FP16, BF16, FP32, FP64 } type;
    if (kind <= 1) {
        if (z.sew != 8 || z.twiden != 4) return V_ILLEGAL;
        type = INT8;
    } else if (z.sew == 16 && z.twiden == 2 && z.altfmt == (unsigned)(kind == 3)) {
        type = kind == 3 ? BF16 : FP16;
    } else if (kind == 2 && z.twiden == 1 && !z.altfmt && (z.sew == 32 || z.sew == 64)) {
        type = z.sew == 32 ? FP32 : FP64;
    } else {
        return V_ILLEGAL;                           /* OFP8 (Zvtofp8fmm) and other combinations */
    }
    if (type != INT8 && (!(m->h.mstatus & MSTATUS_FS) || (type >= FP32 && m->h.frm > 4)))
        return V_ILLEGAL;
    unsigned tile = e->rd;
    if ((tile & (tile_step(z.tew) - 1)) || !operand_ok(e->rs2, &z) || !operand_ok(e->rs1, &z))
        return V_ILLEGAL;
    if (!z.tm || !z.tn || !z.tk)
        return done(m);                             /* nothing computed, no state updated */
    unsigned fl = 0;
    int rm = (int)m->h.frm;
    for (unsigned r = 0; r < z.tm; r++) {
        for (unsigned col = 0; col < z.tn; col++) {
            uint8_t *cp = tile_elem(m, tile, r, col, z.tew);
            switch (type) {
            case INT8: {
                int a_signed = kind == 1, b_signed = (int)z.altfmt;
                uint32_t acc;
                memcpy(&acc, cp, 4);
                for (unsigned k = 0; k < z.tk; k++) {
                    uint8_t x = row_ptr(m, e->rs2, k, &z)[r], y = row_ptr(m, e->rs1, k, &z)[col];
                    int32_t xa = a_signed ? (int8_t)x : (int32_t)x, yb = b_signed ? (int8_t)y : (int32_t)y;
                    acc += (uint32_t)(xa * yb);     /* wraps modulo 2^32 */
                }
                memcpy(cp, &acc, 4);
                break;
            }
            case FP16: case BF16: {
                uint16_t av[2], bv[2];
                for (unsigned k = 0; k < z.tk; k++) {
                    memcpy(&av[k], row_ptr(m, e->rs2, k, &z) + 2 * r, 2);
                    memcpy(&bv[k], row_ptr(m, e->rs1, k, &z) + 2 * col, 2);
                }
                uint32_t acc;
                memcpy(&acc, cp, 4);
                uint32_t dot = rvbna_dot2(av, bv, (unsigned)z.tk, type == FP16 ? 5 : 8, &fl);
                acc = rvbna_accumulate(acc, dot, &fl);
                memcpy(cp, &acc, 4);
                break;
            }
            default: {
                /* the product rounded to TEW, then added, both under frm (tk = KMAX = 1) */
                unsigned b = z.sew / 8, lf = 0;
                int fmt = type == FP32 ? SF_F32 : SF_F64;
                uint64_t x = 0, y = 0, acc = 0;
                memcpy(&x, row_ptr(m, e->rs2, 0, &z) + b * r, b);
                memcpy(&y, row_ptr(m, e->rs1, 0, &z) + b * col, b);
                memcpy(&acc, cp, b);
                acc = sf_add(fmt, acc, sf_mul(fmt, x, y, rm, &lf), rm, &lf);
                fl |= lf & (SF_NV | SF_OF);         /* NX, UF and DZ are not raised */
                memcpy(cp, &acc, b);
                break;
            }
            }
        }
    }
    tile_tail(m, &z, tile);
    ms_dirty(m);
    fp_flags(m, fl);
    return done(m);
}
HANDLER(v_vtmmu) { return tile_mma(m, e, 0); }
HANDLER(v_vtmms) { return tile_mma(m, e, 1); }
HANDLER(v_vtfmm) { return tile_mma(m, e, 2); }
HANDLER(v_vtfmm_alt) { return tile_mma(m, e, 3); }

/* ---------------------------------------------------------------- registration */

void rv_v_register_ml(rv_v_handler *t)
{
#define R(OP, fn) t[RV_OP_##OP] = fn;
    R(VFRSQRT7_V, v_vfrsqrt7) R(VFREC7_V, v_vfrec7)
    R(VFWCVTBF16_F_F_V, v_vfwcvtbf16) R(VFNCVTBF16_F_F_W, v_vfncvtbf16)
    R(VFWMACCBF16_VV, v_vfwmaccbf16_vv) R(VFWMACCBF16_VF, v_vfwmaccbf16_vf)
    R(VDOT4A_VV, v_vdot4a_vv) R(VDOT4A_VX, v_vdot4a_vx) R(VDOT4AU_VV, v_vdot4au_vv) R(VDOT4AU_VX, v_vdot4au_vx)
    R(VDOT4ASU_VV, v_vdot4asu_vv) R(VDOT4ASU_VX, v_vdot4asu_vx) R(VDOT4AUS_VX, v_vdot4aus_vx)
    R(MSETTN, v_msettn) R(MSETTM, v_msettm) R(MSETTK, v_msettk)
    R(MSETMTYPE, v_msetmtype) R(MSETMTYPEI, v_msetmtypei)
    R(VTLE8, v_vtle) R(VTLE16, v_vtle) R(VTLE32, v_vtle) R(VTLE64, v_vtle)
    R(VTSE8, v_vtse) R(VTSE16, v_vtse) R(VTSE32, v_vtse) R(VTSE64, v_vtse)
    R(VTMV_V_T, v_vtmv_v_t) R(VTMV_T_V, v_vtmv_t_v) R(VTZERO, v_vtzero) R(VTDISCARD, v_vtdiscard)
    R(VTMMU_TVV, v_vtmmu) R(VTMMS_TVV, v_vtmms) R(VTFMM_TVV, v_vtfmm) R(VTFMM_ALT_TVV, v_vtfmm_alt)
#undef R
}
