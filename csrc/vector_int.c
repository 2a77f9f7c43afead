/* Vector integer, fixed-point, reduction, mask and permutation instructions.
 *
 * Handlers are generated per operand shape by the DEF_* macros below: each checks the encoding against
 * the current vtype, switches once on SEW (SEW_SWITCH defines the element types U/S and their double
 * width UW/SW) and runs an element loop whose body is the instruction's expression, written in terms of
 * a (the vs2 element), b (the vs1 element, or the scalar/immediate operand) and d (the old destination
 * element, for multiply-add).
 */
#include "vector.h"

#define UNUSED __attribute__((unused))
#define HANDLER(name) static UNUSED int name(rv_machine *m, const rv_insn_t *e, uint64_t *tval)

enum { SRC_V, SRC_X, SRC_I };   /* second operand: vs1, x[rs1], immediate */

/* Operand-check flags */
enum {
    F_VS2 = 1,          /* vs2 is a vector source */
    F_VS1 = 2,          /* vs1 is a vector source */
    F_NO_OVERLAP = 4,   /* the destination may not overlap any source (slideup, gather, compress, ...) */
    F_V0_DEST_OK = 8,   /* a masked instruction may write v0 (scalar results of reductions) */
};

/* Register-group legality of an arithmetic instruction: alignment of every group, the overlap rules
   between the destination and each source, masked destinations overlapping v0, and v0 read both as mask
   and as data. EEW 1 marks a mask operand (one register).
   vs1 and vs2 overlapping at different EEWs (vrgatherei16.vv at SEW=8, the .wv forms) is reserved by
   the spec too, but Spike and QEMU execute it and the public riscv-vector-tests rely on that, so each
   group is simply read at its own EEW. */
static int check_ops(const rv_insn_t *e, int d_log2, unsigned d_eew, int s2_log2, unsigned s2_eew,
                     int s1_log2, unsigned s1_eew, unsigned fl)
{
    unsigned vd = e->rd, vs2 = e->rs2, vs1 = e->rs1;
    int masked = !VM_BIT(e);
    if (d_eew == 1) d_log2 = 0;
    if (s2_eew == 1) s2_log2 = 0;
    if (s1_eew == 1) s1_log2 = 0;
    if (!group_ok(vd, d_log2))
        return 0;
    if (masked && vd == 0 && d_eew != 1 && !(fl & F_V0_DEST_OK))
        return 0;
    if (fl & F_VS2) {
        if (!group_ok(vs2, s2_log2))
            return 0;
        if ((fl & F_NO_OVERLAP) ? groups_overlap(vd, group_regs(d_log2), vs2, group_regs(s2_log2))
                                : !overlap_ok(vd, d_log2, d_eew, vs2, s2_log2, s2_eew))
            return 0;
        if (masked && vs2 == 0 && s2_eew != 1)
            return 0;
    }
    if (fl & F_VS1) {
        if (!group_ok(vs1, s1_log2))
            return 0;
        if ((fl & F_NO_OVERLAP) ? groups_overlap(vd, group_regs(d_log2), vs1, group_regs(s1_log2))
                                : !overlap_ok(vd, d_log2, d_eew, vs1, s1_log2, s1_eew))
            return 0;
        if (masked && vs1 == 0 && s1_eew != 1)
            return 0;
    }
    return 1;
}

#define PROLOGUE \
    rv_vcfg c; \
    if (vcfg_load(m, &c)) return V_ILLEGAL; \
    const uint8_t *v0 = m->vreg; (void)v0; \
    uint8_t *vd_ = vreg_ptr(m, e->rd); (void)vd_; \
    const uint8_t *vs2_ = vreg_ptr(m, e->rs2); (void)vs2_; \
    const uint8_t *vs1_ = vreg_ptr(m, e->rs1); (void)vs1_; \
    unsigned vxrm = (unsigned)m->h.vxrm; (void)vxrm; \
    int sat = 0; (void)sat

#define EPILOGUE \
    if (sat) m->h.vxsat = 1; \
    vs_dirty(m); \
    m->h.vstart = 0; \
    return 0

#define SCALAR(src) ((src) == SRC_X ? m->h.x[e->rs1] : (uint64_t)e->imm)
#define SHMASK(T) ((unsigned)(8 * sizeof(T) - 1))
/* (the shift is done unsigned: 1 << 31 in int, or 1 << 63 in int64_t, is undefined) */
#define SMIN(T) ((T)((uint64_t)1 << (8 * sizeof(T) - 1)))
#define SMAX(T) ((T)~SMIN(T))

/* ---------------------------------------------------------------- shapes */

/* Single width: vd[i] = EXPR (a, b of type U). */
#define DEF_SW(name, src, EXPR) HANDLER(name) { \
    PROLOGUE; \
    if (!check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, c.lmul_log2, c.sew, \
                   F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_, *B_ = (const U *)vs1_; (void)B_; \
            V_ELEMENTS(&c, e, v0, vd_, U, ({ U a = A_[i]; U b = (src) == SRC_V ? B_[i] : (U)xs_; \
                                             (void)a; (void)b; (U)(EXPR); })); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }

#define DEF_SW_VV_VX_VI(name, EXPR) \
    DEF_SW(name##_vv, SRC_V, EXPR) DEF_SW(name##_vx, SRC_X, EXPR) DEF_SW(name##_vi, SRC_I, EXPR)

/* Multiply-add: vd[i] = EXPR (d the old vd element, a = vs2, b = vs1 or x). */
#define DEF_MACC(name, src, EXPR) HANDLER(name) { \
    PROLOGUE; \
    if (!check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, c.lmul_log2, c.sew, \
                   F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_, *B_ = (const U *)vs1_; const U *D_ = (const U *)vd_; (void)B_; \
            V_ELEMENTS(&c, e, v0, vd_, U, ({ U a = A_[i]; U b = (src) == SRC_V ? B_[i] : (U)xs_; U d = D_[i]; \
                                             (void)a; (void)b; (void)d; (U)(EXPR); })); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }

/* Widening: vd (2*SEW) [i] = EXPR; a is vs2 (SEW, or 2*SEW when wide_a), b is vs1 (SEW) or scalar;
   d is the old destination element (widening multiply-add). */
#define DEF_W(name, src, wide_a, EXPR) HANDLER(name) { \
    PROLOGUE; \
    if (c.sew == 64) return V_ILLEGAL; \
    int w_ = c.lmul_log2 + 1; \
    if (!check_ops(e, w_, 2 * c.sew, (wide_a) ? w_ : c.lmul_log2, (wide_a) ? 2 * c.sew : c.sew, \
                   c.lmul_log2, c.sew, F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        SEW_SWITCH(c.sew, { \
            const U *B_ = (const U *)vs1_; const UW *D_ = (const UW *)vd_; (void)B_; (void)D_; \
            V_ELEMENTS(&c, e, v0, vd_, UW, ({ \
                UW a = (wide_a) ? ((const UW *)vs2_)[i] : (UW)((const U *)vs2_)[i]; \
                S as = (S)((const U *)vs2_)[i]; (void)as; \
                U b = (src) == SRC_V ? B_[i] : (U)xs_; UW d = D_[i]; \
                (void)a; (void)b; (void)d; (UW)(EXPR); })); \
            tail_ones(&c, vd_, w_, sizeof(UW)); }); \
    } \
    EPILOGUE; }

/* Narrowing: vd (SEW) [i] = EXPR; a is vs2 (2*SEW, type UW), b is vs1 (SEW) or scalar. */
#define DEF_N(name, src, EXPR) HANDLER(name) { \
    PROLOGUE; \
    if (c.sew == 64) return V_ILLEGAL; \
    int w_ = c.lmul_log2 + 1; \
    if (!check_ops(e, c.lmul_log2, c.sew, w_, 2 * c.sew, c.lmul_log2, c.sew, \
                   F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        SEW_SWITCH(c.sew, { \
            const UW *A_ = (const UW *)vs2_; const U *B_ = (const U *)vs1_; (void)B_; \
            V_ELEMENTS(&c, e, v0, vd_, U, ({ UW a = A_[i]; U b = (src) == SRC_V ? B_[i] : (U)xs_; \
                                             (void)a; (void)b; (U)(EXPR); })); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }

/* Mask-producing compare: vd.mask[i] = COND (a, b of type U). */
#define DEF_CMP(name, src, COND) HANDLER(name) { \
    PROLOGUE; \
    if (!check_ops(e, 0, 1, c.lmul_log2, c.sew, c.lmul_log2, c.sew, \
                   F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        /* the destination may be one of the sources: compute into a copy */ \
        uint8_t out_[RV_V_MAX_VLENB]; memcpy(out_, vd_, c.vlenb); \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_, *B_ = (const U *)vs1_; (void)B_; \
            V_MASK_ELEMENTS(&c, e, v0, out_, ({ U a = A_[i]; U b = (src) == SRC_V ? B_[i] : (U)xs_; \
                                                (void)a; (void)b; (COND); })); }); \
        mask_tail_ones(&c, out_); \
        memcpy(vd_, out_, c.vlenb); \
    } \
    EPILOGUE; }

/* ---------------------------------------------------------------- helpers used in expressions */

#define DIVU(a, b) ((b) == 0 ? (U)~(U)0 : (U)((a) / (b)))
#define REMU(a, b) ((b) == 0 ? (a) : (U)((a) % (b)))
#define DIVS(a, b) ((b) == 0 ? (U)~(U)0 : ((S)(a) == SMIN(S) && (S)(b) == -1) ? (a) : (U)((S)(a) / (S)(b)))
#define REMS(a, b) ((b) == 0 ? (a) : ((S)(b) == -1) ? (U)0 : (U)((S)(a) % (S)(b)))

/* Saturating add/sub (set sat on overflow). */
#define SADDU(a, b) ({ U r_ = (U)((a) + (b)); if (r_ < (a)) { sat = 1; r_ = (U)~(U)0; } r_; })
#define SSUBU(a, b) ({ U r_ = (U)((a) - (b)); if ((a) < (b)) { sat = 1; r_ = 0; } r_; })
#define SADD(a, b) ({ S r_; if (__builtin_add_overflow((S)(a), (S)(b), &r_)) { sat = 1; \
                      r_ = (S)(a) < 0 ? SMIN(S) : SMAX(S); } (U)r_; })
#define SSUB(a, b) ({ S r_; if (__builtin_sub_overflow((S)(a), (S)(b), &r_)) { sat = 1; \
                      r_ = (S)(a) < 0 ? SMIN(S) : SMAX(S); } (U)r_; })
/* Averaging: (x >> 1) rounded, x computed in double width. */
#define AVG(x) ({ UW x_ = (UW)(x); (U)((x_ >> 1) + round_inc((u128)x_, 1, vxrm)); })
#define AVGS(x) ({ SW x_ = (SW)(x); (U)((UW)(x_ >> 1) + round_inc((u128)(UW)x_, 1, vxrm)); })
/* Fractional multiply with rounding and saturation. */
#define SMUL(a, b) ({ SW p_ = (SW)(S)(a) * (SW)(S)(b); unsigned sh_ = 8 * sizeof(U) - 1; \
                      SW r_ = (p_ >> sh_) + (SW)round_inc((u128)(UW)p_, sh_, vxrm); \
                      if (r_ > (SW)SMAX(S)) { sat = 1; r_ = SMAX(S); } \
                      if (r_ < (SW)SMIN(S)) { sat = 1; r_ = SMIN(S); } (U)r_; })
#define SSRL(a, b) ({ unsigned s_ = (b) & SHMASK(U); (U)(((a) >> s_) + round_inc((u128)(a), s_, vxrm)); })
#define SSRA(a, b) ({ unsigned s_ = (b) & SHMASK(U); \
                      (U)((U)((S)(a) >> s_) + round_inc((u128)(a), s_, vxrm)); })
/* Narrowing clips: a is UW. */
#define NCLIPU(a, b) ({ unsigned s_ = (b) & SHMASK(UW); UW r_ = ((a) >> s_) + round_inc((u128)(a), s_, vxrm); \
                        if (r_ > (UW)(U)~(U)0) { sat = 1; r_ = (U)~(U)0; } (U)r_; })
#define NCLIP(a, b) ({ unsigned s_ = (b) & SHMASK(UW); \
                       SW r_ = ((SW)(a) >> s_) + (SW)round_inc((u128)(a), s_, vxrm); \
                       if (r_ > (SW)SMAX(S)) { sat = 1; r_ = SMAX(S); } \
                       if (r_ < (SW)SMIN(S)) { sat = 1; r_ = SMIN(S); } (U)r_; })

/* ---------------------------------------------------------------- single-width integer */

DEF_SW_VV_VX_VI(vadd, a + b)
DEF_SW_VV_VX_VI(vsub, a - b)
DEF_SW_VV_VX_VI(vrsub, b - a)
DEF_SW_VV_VX_VI(vminu, a < b ? a : b)
DEF_SW_VV_VX_VI(vmin, (S)a < (S)b ? a : b)
DEF_SW_VV_VX_VI(vmaxu, a > b ? a : b)
DEF_SW_VV_VX_VI(vmax, (S)a > (S)b ? a : b)
DEF_SW_VV_VX_VI(vand, a & b)
DEF_SW_VV_VX_VI(vor, a | b)
DEF_SW_VV_VX_VI(vxor, a ^ b)
DEF_SW_VV_VX_VI(vsll, (UW)a << (b & SHMASK(U)))
DEF_SW_VV_VX_VI(vsrl, a >> (b & SHMASK(U)))
DEF_SW_VV_VX_VI(vsra, (S)a >> (b & SHMASK(U)))
DEF_SW_VV_VX_VI(vmul, (UW)a * (UW)b)
DEF_SW_VV_VX_VI(vmulh, ((SW)(S)a * (SW)(S)b) >> (8 * sizeof(U)))
DEF_SW_VV_VX_VI(vmulhu, ((UW)a * (UW)b) >> (8 * sizeof(U)))
DEF_SW_VV_VX_VI(vmulhsu, ((SW)(S)a * (SW)b) >> (8 * sizeof(U)))
DEF_SW_VV_VX_VI(vdivu, DIVU(a, b))
DEF_SW_VV_VX_VI(vdiv, DIVS(a, b))
DEF_SW_VV_VX_VI(vremu, REMU(a, b))
DEF_SW_VV_VX_VI(vrem, REMS(a, b))
/* fixed point */
DEF_SW_VV_VX_VI(vsaddu, SADDU(a, b))
DEF_SW_VV_VX_VI(vsadd, SADD(a, b))
DEF_SW_VV_VX_VI(vssubu, SSUBU(a, b))
DEF_SW_VV_VX_VI(vssub, SSUB(a, b))
DEF_SW_VV_VX_VI(vaaddu, AVG((UW)a + (UW)b))
DEF_SW_VV_VX_VI(vaadd, AVGS((SW)(S)a + (SW)(S)b))
DEF_SW_VV_VX_VI(vasubu, AVG((UW)a - (UW)b))
DEF_SW_VV_VX_VI(vasub, AVGS((SW)(S)a - (SW)(S)b))
DEF_SW_VV_VX_VI(vsmul, SMUL(a, b))
DEF_SW_VV_VX_VI(vssrl, SSRL(a, b))
DEF_SW_VV_VX_VI(vssra, SSRA(a, b))

#define DEF_MACC_VV_VX(name, EXPR) DEF_MACC(name##_vv, SRC_V, EXPR) DEF_MACC(name##_vx, SRC_X, EXPR)
#define MUL(x, y) ((UW)(x) * (UW)(y))     /* no int promotion overflow for 16-bit elements */
DEF_MACC_VV_VX(vmacc, d + MUL(b, a))
DEF_MACC_VV_VX(vnmsac, d - MUL(b, a))
DEF_MACC_VV_VX(vmadd, MUL(b, d) + a)
DEF_MACC_VV_VX(vnmsub, a - MUL(b, d))

/* ---------------------------------------------------------------- widening / narrowing */

#define DEF_W_VV_VX(name, wide_a, EXPR) DEF_W(name##_vv, SRC_V, wide_a, EXPR) DEF_W(name##_vx, SRC_X, wide_a, EXPR)
DEF_W_VV_VX(vwaddu, 0, a + (UW)b)
DEF_W_VV_VX(vwadd, 0, (SW)as + (SW)(S)b)
DEF_W_VV_VX(vwsubu, 0, a - (UW)b)
DEF_W_VV_VX(vwsub, 0, (SW)as - (SW)(S)b)
DEF_W_VV_VX(vwaddu_w, 1, a + (UW)b)
DEF_W_VV_VX(vwadd_w, 1, a + (UW)(SW)(S)b)
DEF_W_VV_VX(vwsubu_w, 1, a - (UW)b)
DEF_W_VV_VX(vwsub_w, 1, a - (UW)(SW)(S)b)
DEF_W_VV_VX(vwmulu, 0, a * (UW)b)
DEF_W_VV_VX(vwmul, 0, (SW)as * (SW)(S)b)
DEF_W_VV_VX(vwmulsu, 0, (SW)as * (SW)b)
DEF_W_VV_VX(vwmaccu, 0, d + a * (UW)b)
DEF_W_VV_VX(vwmacc, 0, d + (UW)((SW)as * (SW)(S)b))
DEF_W_VV_VX(vwmaccsu, 0, d + (UW)((SW)(S)b * (SW)a))
DEF_W_VV_VX(vwmaccus, 0, d + (UW)((SW)b * (SW)as))

#define DEF_N_WV_WX_WI(name, EXPR) DEF_N(name##_wv, SRC_V, EXPR) DEF_N(name##_wx, SRC_X, EXPR) \
    DEF_N(name##_wi, SRC_I, EXPR)
DEF_N_WV_WX_WI(vnsrl, a >> (b & SHMASK(UW)))
DEF_N_WV_WX_WI(vnsra, (SW)a >> (b & SHMASK(UW)))
DEF_N_WV_WX_WI(vnclipu, NCLIPU(a, b))
DEF_N_WV_WX_WI(vnclip, NCLIP(a, b))

/* ---------------------------------------------------------------- compares */

#define DEF_CMP_ALL(name, COND) DEF_CMP(name##_vv, SRC_V, COND) DEF_CMP(name##_vx, SRC_X, COND) \
    DEF_CMP(name##_vi, SRC_I, COND)
DEF_CMP_ALL(vmseq, a == b)
DEF_CMP_ALL(vmsne, a != b)
DEF_CMP_ALL(vmsltu, a < b)
DEF_CMP_ALL(vmslt, (S)a < (S)b)
DEF_CMP_ALL(vmsleu, a <= b)
DEF_CMP_ALL(vmsle, (S)a <= (S)b)
DEF_CMP_ALL(vmsgtu, a > b)
DEF_CMP_ALL(vmsgt, (S)a > (S)b)

/* ---------------------------------------------------------------- add with carry, merge, moves */

/* vadc/vsbc: every body element, carry from v0 (encoded vm=0); vd = v0 is reserved. */
#define DEF_CARRY(name, src, EXPR) HANDLER(name) { \
    PROLOGUE; \
    if (e->rd == 0 || !check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, c.lmul_log2, c.sew, \
                                 F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_, *B_ = (const U *)vs1_; U *D_ = (U *)vd_; (void)B_; \
            for (uint64_t i = c.vstart; i < c.vl; i++) { \
                U a = A_[i]; U b = (src) == SRC_V ? B_[i] : (U)xs_; U cin = (U)mask_bit(v0, i); \
                D_[i] = (U)(EXPR); } \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
DEF_CARRY(vadc_vvm, SRC_V, a + b + cin)
DEF_CARRY(vadc_vxm, SRC_X, a + b + cin)
DEF_CARRY(vadc_vim, SRC_I, a + b + cin)
DEF_CARRY(vsbc_vvm, SRC_V, a - b - cin)
DEF_CARRY(vsbc_vxm, SRC_X, a - b - cin)

/* vmadc/vmsbc: carry/borrow out as a mask; the carry-in (v0) is used when vm=0. */
#define DEF_CARRY_OUT(name, src, COND) HANDLER(name) { \
    PROLOGUE; \
    if (!check_ops(e, 0, 1, c.lmul_log2, c.sew, c.lmul_log2, c.sew, \
                   F_VS2 | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        uint8_t out_[RV_V_MAX_VLENB]; memcpy(out_, vd_, c.vlenb); \
        int use_c_ = !VM_BIT(e); \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_, *B_ = (const U *)vs1_; (void)B_; \
            for (uint64_t i = c.vstart; i < c.vl; i++) { \
                UW a = A_[i]; UW b = (src) == SRC_V ? B_[i] : (U)xs_; \
                UW cin = use_c_ ? (UW)mask_bit(v0, i) : 0; \
                set_mask_bit(out_, i, (COND) ? 1 : 0); } }); \
        mask_tail_ones(&c, out_); \
        memcpy(vd_, out_, c.vlenb); \
    } \
    EPILOGUE; }
DEF_CARRY_OUT(vmadc_vvm, SRC_V, ((a + b + cin) >> (8 * sizeof(U))) & 1)
DEF_CARRY_OUT(vmadc_vxm, SRC_X, ((a + b + cin) >> (8 * sizeof(U))) & 1)
DEF_CARRY_OUT(vmadc_vim, SRC_I, ((a + b + cin) >> (8 * sizeof(U))) & 1)
DEF_CARRY_OUT(vmsbc_vvm, SRC_V, a < b + cin)
DEF_CARRY_OUT(vmsbc_vxm, SRC_X, a < b + cin)

/* vmerge (vm=0: select by v0) and vmv.v.* (vm=1, vs2=0): every body element is written. */
#define DEF_MERGE(name, src) HANDLER(name) { \
    PROLOGUE; \
    int merge_ = !VM_BIT(e); \
    if (!group_ok(e->rd, c.lmul_log2) || (merge_ && (e->rd == 0 || !group_ok(e->rs2, c.lmul_log2) || e->rs2 == 0)) \
        || ((src) == SRC_V && (!group_ok(e->rs1, c.lmul_log2) || (merge_ && e->rs1 == 0)))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_, *B_ = (const U *)vs1_; U *D_ = (U *)vd_; (void)B_; \
            if (merge_) { for (uint64_t i = c.vstart; i < c.vl; i++) \
                D_[i] = mask_bit(v0, i) ? ((src) == SRC_V ? B_[i] : (U)xs_) : A_[i]; } \
            else if ((src) == SRC_V) { memmove(D_ + c.vstart, B_ + c.vstart, (c.vl - c.vstart) * sizeof(U)); } \
            else { for (uint64_t i = c.vstart; i < c.vl; i++) D_[i] = (U)xs_; } \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
DEF_MERGE(vmerge_vvm, SRC_V)
DEF_MERGE(vmerge_vxm, SRC_X)
DEF_MERGE(vmerge_vim, SRC_I)

/* vzext/vsext.vf2/4/8: source EEW = SEW/f. */
#define DEF_EXT(name, f_log2, SIGNED) HANDLER(name) { \
    PROLOGUE; \
    int s_log2_ = c.lmul_log2 - (f_log2); \
    if ((c.sew >> (f_log2)) < 8 || s_log2_ < -3 || \
        !check_ops(e, c.lmul_log2, c.sew, s_log2_, c.sew >> (f_log2), 0, 0, F_VS2)) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        unsigned sb_ = c.sew_bytes >> (f_log2); \
        SEW_SWITCH(c.sew, { \
            V_ELEMENTS(&c, e, v0, vd_, U, ({ uint64_t x_ = 0; memcpy(&x_, vs2_ + i * sb_, sb_); \
                (U)((SIGNED) ? (uint64_t)sext(x_, 8 * sb_) : x_); })); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
DEF_EXT(vzext_vf2, 1, 0)
DEF_EXT(vsext_vf2, 1, 1)
DEF_EXT(vzext_vf4, 2, 0)
DEF_EXT(vsext_vf4, 2, 1)
DEF_EXT(vzext_vf8, 3, 0)
DEF_EXT(vsext_vf8, 3, 1)

/* ---------------------------------------------------------------- reductions */

/* vd[0] = fold of vs1[0] and the active vs2 elements; TA is the accumulator type. */
#define DEF_RED(name, TA, WIDE, STEP) HANDLER(name) { \
    PROLOGUE; \
    if ((WIDE) && c.sew == 64) return V_ILLEGAL; \
    if (c.vstart != 0 || !group_ok(e->rs2, c.lmul_log2) || (!VM_BIT(e) && e->rs2 == 0)) return V_ILLEGAL; \
    if (c.vl > 0) { \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_; \
            TA acc; memcpy(&acc, vs1_, sizeof(TA)); \
            for (uint64_t i = 0; i < c.vl; i++) { \
                if (!VM_BIT(e) && !mask_bit(v0, i)) continue; \
                U a = A_[i]; (void)a; acc = (TA)(STEP); } \
            memcpy(vd_, &acc, sizeof(TA)); \
            if (c.ones && c.vta) memset(vd_ + sizeof(TA), 0xff, c.vlenb - sizeof(TA)); }); \
    } \
    EPILOGUE; }
DEF_RED(vredsum_vs, U, 0, acc + a)
DEF_RED(vredand_vs, U, 0, acc & a)
DEF_RED(vredor_vs, U, 0, acc | a)
DEF_RED(vredxor_vs, U, 0, acc ^ a)
DEF_RED(vredminu_vs, U, 0, a < acc ? a : acc)
DEF_RED(vredmin_vs, U, 0, (S)a < (S)acc ? a : acc)
DEF_RED(vredmaxu_vs, U, 0, a > acc ? a : acc)
DEF_RED(vredmax_vs, U, 0, (S)a > (S)acc ? a : acc)
DEF_RED(vwredsumu_vs, UW, 1, acc + (UW)a)
DEF_RED(vwredsum_vs, UW, 1, acc + (UW)(SW)(S)a)

/* ---------------------------------------------------------------- mask instructions */

#define DEF_MM(name, EXPR) HANDLER(name) { \
    PROLOGUE; \
    for (uint64_t i = c.vstart; i < c.vl; i++) { \
        int a = mask_bit(vs2_, i), b = mask_bit(vs1_, i); \
        set_mask_bit(vd_, i, (EXPR) & 1); } \
    if (c.vstart < c.vl) mask_tail_ones(&c, vd_); \
    EPILOGUE; }
DEF_MM(vmand_mm, a & b)
DEF_MM(vmnand_mm, !(a & b))
DEF_MM(vmandn_mm, a & !b)
DEF_MM(vmxor_mm, a ^ b)
DEF_MM(vmor_mm, a | b)
DEF_MM(vmnor_mm, !(a | b))
DEF_MM(vmorn_mm, a | !b)
DEF_MM(vmxnor_mm, !(a ^ b))

HANDLER(vcpop_m) {
    PROLOGUE;
    if (c.vstart != 0) return V_ILLEGAL;
    uint64_t n = 0;
    for (uint64_t i = 0; i < c.vl; i++)
        n += mask_bit(vs2_, i) & (VM_BIT(e) || mask_bit(v0, i));
    m->h.x[e->rd] = n;
    EPILOGUE;
}

HANDLER(vfirst_m) {
    PROLOGUE;
    if (c.vstart != 0) return V_ILLEGAL;
    int64_t r = -1;
    for (uint64_t i = 0; i < c.vl; i++)
        if (mask_bit(vs2_, i) && (VM_BIT(e) || mask_bit(v0, i))) { r = (int64_t)i; break; }
    m->h.x[e->rd] = (uint64_t)r;
    EPILOGUE;
}

/* vmsbf (kind 0), vmsif (1), vmsof (2). */
static int set_first(rv_machine *m, const rv_insn_t *e, int kind)
{
    PROLOGUE;
    if (c.vstart != 0 || e->rd == e->rs2 || (!VM_BIT(e) && e->rd == 0)) return V_ILLEGAL;
    int found = 0, ma1 = c.ones && c.vma;
    for (uint64_t i = 0; i < c.vl; i++) {
        if (!VM_BIT(e) && !mask_bit(v0, i)) {
            if (ma1) set_mask_bit(vd_, i, 1);
            continue;
        }
        int s = mask_bit(vs2_, i), bit;
        if (found) bit = 0;
        else if (s) { bit = kind != 0; found = 1; }
        else bit = kind != 2;
        set_mask_bit(vd_, i, bit);
    }
    if (c.vl > 0) mask_tail_ones(&c, vd_);
    EPILOGUE;
}
HANDLER(vmsbf_m) { return set_first(m, e, 0); }
HANDLER(vmsif_m) { return set_first(m, e, 1); }
HANDLER(vmsof_m) { return set_first(m, e, 2); }

HANDLER(viota_m) {
    PROLOGUE;
    if (c.vstart != 0 || !group_ok(e->rd, c.lmul_log2) || (!VM_BIT(e) && e->rd == 0) ||
        groups_overlap(e->rd, group_regs(c.lmul_log2), e->rs2, 1)) return V_ILLEGAL;
    uint64_t count = 0;
    if (c.vl > 0)       /* vl = 0: nothing is written, not even agnostic tail elements */
        SEW_SWITCH(c.sew, {
            V_ELEMENTS(&c, e, v0, vd_, U, ({ U r_ = (U)count; count += mask_bit(vs2_, i); r_; }));
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); });
    EPILOGUE;
}

HANDLER(vid_v) {
    PROLOGUE;
    if (!group_ok(e->rd, c.lmul_log2) || (!VM_BIT(e) && e->rd == 0)) return V_ILLEGAL;
    if (c.vstart < c.vl) {
        SEW_SWITCH(c.sew, {
            V_ELEMENTS(&c, e, v0, vd_, U, i);
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); });
    }
    EPILOGUE;
}

/* ---------------------------------------------------------------- permutation */

HANDLER(vmv_x_s) {
    PROLOGUE;
    uint64_t v = 0;
    memcpy(&v, vs2_, c.sew_bytes);
    m->h.x[e->rd] = (uint64_t)sext(v, c.sew);
    if (m->cfg.flags & RV_CFG_XLEN32)   /* SEW=64 on RV32: the low XLEN bits, sign-extended */
        m->h.x[e->rd] = (uint64_t)(int64_t)(int32_t)m->h.x[e->rd];
    EPILOGUE;
}

HANDLER(vmv_s_x) {
    PROLOGUE;
    if (c.vstart < c.vl) {
        uint64_t x = m->h.x[e->rs1];
        memcpy(vd_, &x, c.sew_bytes);
        if (c.ones && c.vta) memset(vd_ + c.sew_bytes, 0xff, c.vlenb - c.sew_bytes);
    }
    EPILOGUE;
}

/* vslideup: vd[i] = vs2[i - off] for max(vstart, off) <= i < vl. */
#define DEF_SLIDEUP(name, src) HANDLER(name) { \
    PROLOGUE; \
    if (!check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, 0, 0, F_VS2 | F_NO_OVERLAP)) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t off = SCALAR(src); \
        uint64_t start = off > c.vstart ? off : c.vstart; \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_; U *D_ = (U *)vd_; int ma1_ = c.ones && c.vma; \
            for (uint64_t i = start; i < c.vl; i++) { \
                if (VM_BIT(e) || mask_bit(v0, i)) D_[i] = A_[i - off]; \
                else if (ma1_) D_[i] = (U)~(U)0; } \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
DEF_SLIDEUP(vslideup_vx, SRC_X)
DEF_SLIDEUP(vslideup_vi, SRC_I)

/* vslidedown: vd[i] = i + off < VLMAX ? vs2[i + off] : 0. */
#define DEF_SLIDEDOWN(name, src) HANDLER(name) { \
    PROLOGUE; \
    if (!check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, 0, 0, F_VS2)) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t off = SCALAR(src); \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_; \
            /* the source may be the destination: sliding down reads ahead, so copy the source first */ \
            U src_[RV_V_MAX_VLENB * 8 / sizeof(U)]; memcpy(src_, A_, c.vlmax * sizeof(U)); \
            V_ELEMENTS(&c, e, v0, vd_, U, (off < c.vlmax && i < c.vlmax - off) ? src_[i + off] : (U)0); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
DEF_SLIDEDOWN(vslidedown_vx, SRC_X)
DEF_SLIDEDOWN(vslidedown_vi, SRC_I)

HANDLER(vslide1up_vx) {
    PROLOGUE;
    if (!check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, 0, 0, F_VS2 | F_NO_OVERLAP)) return V_ILLEGAL;
    if (c.vstart < c.vl) {
        uint64_t x = m->h.x[e->rs1];
        SEW_SWITCH(c.sew, {
            const U *A_ = (const U *)vs2_;
            V_ELEMENTS(&c, e, v0, vd_, U, i == 0 ? (U)x : A_[i - 1]);
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); });
    }
    EPILOGUE;
}

HANDLER(vslide1down_vx) {
    PROLOGUE;
    if (!check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, 0, 0, F_VS2)) return V_ILLEGAL;
    if (c.vstart < c.vl) {
        uint64_t x = m->h.x[e->rs1];
        SEW_SWITCH(c.sew, {
            const U *A_ = (const U *)vs2_;
            V_ELEMENTS(&c, e, v0, vd_, U, i + 1 == c.vl ? (U)x : A_[i + 1]);
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); });
    }
    EPILOGUE;
}

/* vrgather.vv / .vx / .vi and vrgatherei16.vv: vd[i] = idx < VLMAX ? vs2[idx] : 0. */
#define DEF_GATHER(name, src, EI16) HANDLER(name) { \
    PROLOGUE; \
    int i_log2_ = (EI16) ? c.lmul_log2 + 4 - (int)(3 + (c.sew == 16 ? 1 : c.sew == 32 ? 2 : c.sew == 64 ? 3 : 0)) \
                         : c.lmul_log2; \
    if (!check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, i_log2_, (EI16) ? 16 : c.sew, \
                   F_VS2 | F_NO_OVERLAP | ((src) == SRC_V ? F_VS1 : 0))) return V_ILLEGAL; \
    if (c.vstart < c.vl) { \
        uint64_t xs_ = SCALAR(src); (void)xs_; \
        SEW_SWITCH(c.sew, { \
            const U *A_ = (const U *)vs2_; \
            V_ELEMENTS(&c, e, v0, vd_, U, ({ \
                uint64_t k_ = (src) != SRC_V ? xs_ : (EI16) ? ((const uint16_t *)vs1_)[i] : ((const U *)vs1_)[i]; \
                k_ < c.vlmax ? A_[k_] : (U)0; })); \
            tail_ones(&c, vd_, c.lmul_log2, sizeof(U)); }); \
    } \
    EPILOGUE; }
DEF_GATHER(vrgather_vv, SRC_V, 0)
DEF_GATHER(vrgather_vx, SRC_X, 0)
DEF_GATHER(vrgather_vi, SRC_I, 0)
DEF_GATHER(vrgatherei16_vv, SRC_V, 1)

HANDLER(vcompress_vm) {
    PROLOGUE;
    if (c.vstart != 0 || !check_ops(e, c.lmul_log2, c.sew, c.lmul_log2, c.sew, 0, 1, F_VS2 | F_VS1 | F_NO_OVERLAP))
        return V_ILLEGAL;
    SEW_SWITCH(c.sew, {
        const U *A_ = (const U *)vs2_; U *D_ = (U *)vd_;
        uint64_t k = 0;
        for (uint64_t i = 0; i < c.vl; i++)
            if (mask_bit(vs1_, i)) D_[k++] = A_[i];
        /* elements past the packed ones are tail elements (none are written when vl = 0) */
        if (c.ones && c.vta && c.vl > 0) {
            uint64_t end = tail_end(&c, c.lmul_log2, sizeof(U));
            for (uint64_t i = k; i < end; i++) D_[i] = (U)~(U)0;
        } });
    EPILOGUE;
}

/* vmv<nr>r.v: copy nr whole registers; vstart counts SEW elements. */
static int move_whole(rv_machine *m, const rv_insn_t *e, unsigned nr)
{
    if ((e->rd & (nr - 1)) || (e->rs2 & (nr - 1)))
        return V_ILLEGAL;
    unsigned eb = (m->h.vtype >> 63) ? 1 : 1u << ((m->h.vtype >> 3) & 7);
    uint64_t bytes = nr * m->h.vlenb, start = m->h.vstart * eb;
    if (start < bytes && e->rd != e->rs2)
        memmove(vreg_ptr(m, e->rd) + start, vreg_ptr(m, e->rs2) + start, bytes - start);
    vs_dirty(m);
    m->h.vstart = 0;
    return 0;
}
HANDLER(vmv1r_v) { return move_whole(m, e, 1); }
HANDLER(vmv2r_v) { return move_whole(m, e, 2); }
HANDLER(vmv4r_v) { return move_whole(m, e, 4); }
HANDLER(vmv8r_v) { return move_whole(m, e, 8); }

/* ---------------------------------------------------------------- registration */

void rv_v_register_int(rv_v_handler *t)
{
#define R(OP, fn) t[RV_OP_##OP] = fn;
#define R3(NAME, name) R(NAME##_VV, name##_vv) R(NAME##_VX, name##_vx) R(NAME##_VI, name##_vi)
#define R2(NAME, name) R(NAME##_VV, name##_vv) R(NAME##_VX, name##_vx)
    R3(VADD, vadd) R2(VSUB, vsub) R(VRSUB_VX, vrsub_vx) R(VRSUB_VI, vrsub_vi)
    R2(VMINU, vminu) R2(VMIN, vmin) R2(VMAXU, vmaxu) R2(VMAX, vmax)
    R3(VAND, vand) R3(VOR, vor) R3(VXOR, vxor)
    R3(VSLL, vsll) R3(VSRL, vsrl) R3(VSRA, vsra)
    R2(VMUL, vmul) R2(VMULH, vmulh) R2(VMULHU, vmulhu) R2(VMULHSU, vmulhsu)
    R2(VDIVU, vdivu) R2(VDIV, vdiv) R2(VREMU, vremu) R2(VREM, vrem)
    R3(VSADDU, vsaddu) R3(VSADD, vsadd) R2(VSSUBU, vssubu) R2(VSSUB, vssub)
    R2(VAADDU, vaaddu) R2(VAADD, vaadd) R2(VASUBU, vasubu) R2(VASUB, vasub)
    R2(VSMUL, vsmul) R3(VSSRL, vssrl) R3(VSSRA, vssra)
    R2(VMACC, vmacc) R2(VNMSAC, vnmsac) R2(VMADD, vmadd) R2(VNMSUB, vnmsub)
    R2(VWADDU, vwaddu) R2(VWADD, vwadd) R2(VWSUBU, vwsubu) R2(VWSUB, vwsub)
    R(VWADDU_WV, vwaddu_w_vv) R(VWADDU_WX, vwaddu_w_vx) R(VWADD_WV, vwadd_w_vv) R(VWADD_WX, vwadd_w_vx)
    R(VWSUBU_WV, vwsubu_w_vv) R(VWSUBU_WX, vwsubu_w_vx) R(VWSUB_WV, vwsub_w_vv) R(VWSUB_WX, vwsub_w_vx)
    R2(VWMULU, vwmulu) R2(VWMUL, vwmul) R2(VWMULSU, vwmulsu)
    R2(VWMACCU, vwmaccu) R2(VWMACC, vwmacc) R2(VWMACCSU, vwmaccsu) R(VWMACCUS_VX, vwmaccus_vx)
#define RN(NAME, name) R(NAME##_WV, name##_wv) R(NAME##_WX, name##_wx) R(NAME##_WI, name##_wi)
    RN(VNSRL, vnsrl) RN(VNSRA, vnsra) RN(VNCLIPU, vnclipu) RN(VNCLIP, vnclip)
    R3(VMSEQ, vmseq) R3(VMSNE, vmsne) R2(VMSLTU, vmsltu) R2(VMSLT, vmslt) R3(VMSLEU, vmsleu)
    R3(VMSLE, vmsle) R(VMSGTU_VX, vmsgtu_vx) R(VMSGTU_VI, vmsgtu_vi) R(VMSGT_VX, vmsgt_vx) R(VMSGT_VI, vmsgt_vi)
    R(VADC_VVM, vadc_vvm) R(VADC_VXM, vadc_vxm) R(VADC_VIM, vadc_vim) R(VSBC_VVM, vsbc_vvm) R(VSBC_VXM, vsbc_vxm)
    R(VMADC_VVM, vmadc_vvm) R(VMADC_VXM, vmadc_vxm) R(VMADC_VIM, vmadc_vim)
    R(VMADC_VV, vmadc_vvm) R(VMADC_VX, vmadc_vxm) R(VMADC_VI, vmadc_vim)
    R(VMSBC_VVM, vmsbc_vvm) R(VMSBC_VXM, vmsbc_vxm) R(VMSBC_VV, vmsbc_vvm) R(VMSBC_VX, vmsbc_vxm)
    R(VMERGE_VVM, vmerge_vvm) R(VMERGE_VXM, vmerge_vxm) R(VMERGE_VIM, vmerge_vim)
    R(VMV_V_V, vmerge_vvm) R(VMV_V_X, vmerge_vxm) R(VMV_V_I, vmerge_vim)
    R(VZEXT_VF2, vzext_vf2) R(VSEXT_VF2, vsext_vf2) R(VZEXT_VF4, vzext_vf4) R(VSEXT_VF4, vsext_vf4)
    R(VZEXT_VF8, vzext_vf8) R(VSEXT_VF8, vsext_vf8)
    R(VREDSUM_VS, vredsum_vs) R(VREDAND_VS, vredand_vs) R(VREDOR_VS, vredor_vs) R(VREDXOR_VS, vredxor_vs)
    R(VREDMINU_VS, vredminu_vs) R(VREDMIN_VS, vredmin_vs) R(VREDMAXU_VS, vredmaxu_vs) R(VREDMAX_VS, vredmax_vs)
    R(VWREDSUMU_VS, vwredsumu_vs) R(VWREDSUM_VS, vwredsum_vs)
    R(VMAND_MM, vmand_mm) R(VMNAND_MM, vmnand_mm) R(VMANDN_MM, vmandn_mm) R(VMXOR_MM, vmxor_mm)
    R(VMOR_MM, vmor_mm) R(VMNOR_MM, vmnor_mm) R(VMORN_MM, vmorn_mm) R(VMXNOR_MM, vmxnor_mm)
    R(VCPOP_M, vcpop_m) R(VFIRST_M, vfirst_m) R(VMSBF_M, vmsbf_m) R(VMSIF_M, vmsif_m) R(VMSOF_M, vmsof_m)
    R(VIOTA_M, viota_m) R(VID_V, vid_v)
    R(VMV_X_S, vmv_x_s) R(VMV_S_X, vmv_s_x)
    R(VSLIDEUP_VX, vslideup_vx) R(VSLIDEUP_VI, vslideup_vi) R(VSLIDEDOWN_VX, vslidedown_vx)
    R(VSLIDEDOWN_VI, vslidedown_vi) R(VSLIDE1UP_VX, vslide1up_vx) R(VSLIDE1DOWN_VX, vslide1down_vx)
    R(VRGATHER_VV, vrgather_vv) R(VRGATHER_VX, vrgather_vx) R(VRGATHER_VI, vrgather_vi)
    R(VRGATHEREI16_VV, vrgatherei16_vv) R(VCOMPRESS_VM, vcompress_vm)
    R(VMV1R_V, vmv1r_v) R(VMV2R_V, vmv2r_v) R(VMV4R_V, vmv4r_v) R(VMV8R_V, vmv8r_v)
#undef R
#undef R2
#undef R3
#undef RN
}
