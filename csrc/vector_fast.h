/* The vector instructions with fast paths, and their element loops: one list, expanded twice.
 *
 * A fast path runs an unmasked instruction over the whole vl with vstart 0, under a vtype its general
 * path (vector*.c) already accepted, so no legality check is left to do.  The interpreter's loop
 * (exec_v.inc) expands the lists into one label per op and SEW; recording blocks (vector_block.c) into
 * the cases of a switch.  Both run the same loops, so a step gives the same result either way.
 *
 * The loops expect, where they expand: m (rv_machine *), h (&m->h), e (the rv_insn_t), x (h->x) and n
 * (the element count).  Operands in the lists' expressions: VS2 and VS1 (the elements of vs2 and vs1),
 * VD (the old element of vd) and SC (the scalar operand: x[rs1], the immediate or the NaN-unboxed
 * f[rs1]); integer arithmetic is in P, the element type promoted to at least unsigned int (no signed
 * overflow); FP arithmetic in the host's float or double.
 */
#ifndef RV_VECTOR_FAST_H
#define RV_VECTOR_FAST_H

#include <string.h>
#include "fp.h"

/* Integer ops at any SEW: X(OP, SCALAR, EXPR) */
#define V_FAST_INT_OPS(X) \
    X(VADD_VV, 0, VS2 + VS1) X(VADD_VX, x[e->rs1], VS2 + SC) X(VADD_VI, e->imm, VS2 + SC) \
    X(VSUB_VV, 0, VS2 - VS1) X(VSUB_VX, x[e->rs1], VS2 - SC) X(VRSUB_VX, x[e->rs1], SC - VS2) \
    X(VAND_VV, 0, VS2 & VS1) X(VAND_VX, x[e->rs1], VS2 & SC) X(VOR_VV, 0, VS2 | VS1) \
    X(VXOR_VV, 0, VS2 ^ VS1) X(VSLL_VI, e->imm, VS2 << V_SHAMT(SC)) X(VSRL_VI, e->imm, VS2 >> V_SHAMT(SC)) \
    X(VMUL_VV, 0, VS2 * VS1) X(VMUL_VX, x[e->rs1], VS2 * SC) \
    X(VMACC_VV, 0, VS1 * VS2 + VD) X(VMACC_VX, x[e->rs1], SC * VS2 + VD) \
    X(VMV_V_V, 0, VS1) X(VMV_V_X, x[e->rs1], SC) X(VMV_V_I, e->imm, SC)

/* FP arithmetic at SEW 32 and 64, in RNE on the host FPU: X(OP, EXPR) */
#define V_FAST_FP_OPS(X) \
    X(VFADD_VV, VS2 + VS1) X(VFADD_VF, VS2 + SC) X(VFSUB_VV, VS2 - VS1) X(VFSUB_VF, VS2 - SC) \
    X(VFMUL_VV, VS2 * VS1) X(VFMUL_VF, VS2 * SC)

/* The multiply-adds vd = vs1 (or f[rs1]) * vs2 + vd with the host's FMA3: X(OP, SCALAR 0 or 1) */
#define V_FAST_FMA_OPS(X) X(VFMACC_VV, 0) X(VFMACC_VF, 1)

/* Unit-stride loads and stores of vl elements inside one page: X(OP, element bytes) */
#define V_FAST_LOAD_OPS(X) X(VLE8_V, 1) X(VLE16_V, 2) X(VLE32_V, 4) X(VLE64_V, 8)
#define V_FAST_STORE_OPS(X) X(VSE8_V, 1) X(VSE16_V, 2) X(VSE32_V, 4) X(VSE64_V, 8)

/* (vfmv.v.f, also a fast path, copies bits: V_FAST_FMV_LOOP) */

#define V_FAST_VREG(T, r) ((T *)(m->vreg + (uint64_t)(r) * h->vlenb))
#define V_SHAMT(v) ((v) & (8 * sizeof(U) - 1))

/* The operands' names in the lists, as the loops below declare them per element (an operand an op
   does not name is a dead load: every register number addresses the register file) */
#define VS2 va_
#define VS1 vb_
#define VD vd_
#define SC s_

/* vd[i] = EXPR over [0, n) at W bits */
#define V_FAST_INT_LOOP(W, SCALAR, EXPR) { \
        typedef uint##W##_t U; typedef __typeof__((U)0 + 0u) P; \
        U *d_ = V_FAST_VREG(U, e->rd); \
        const U *a_ = V_FAST_VREG(const U, e->rs2), *b_ = V_FAST_VREG(const U, e->rs1); \
        const P s_ = (P)(U)(SCALAR); (void)s_; \
        for (uint64_t i = 0; i < n; i++) { \
            const P va_ = a_[i], vb_ = b_[i], vd_ = d_[i]; (void)va_; (void)vb_; (void)vd_; \
            d_[i] = (U)(EXPR); } }

/* vd[i] = EXPR over [0, n) in FT (float or double at W bits); a NaN result becomes the canonical NaN;
   the flags accrue in the host's */
#define V_FAST_FP_LOOP(W, F, EXPR) { \
        typedef uint##W##_t U; typedef F FT; \
        U *d_ = V_FAST_VREG(U, e->rd); \
        const U *a_ = V_FAST_VREG(const U, e->rs2), *b_ = V_FAST_VREG(const U, e->rs1); \
        U sb_ = W == 32 ? (U)fp_unbox_s(h->f[e->rs1]) : (U)h->f[e->rs1]; FT s_; memcpy(&s_, &sb_, sizeof s_); \
        (void)s_; \
        for (uint64_t i = 0; i < n; i++) { \
            FT va_, vb_; memcpy(&va_, &a_[i], sizeof va_); memcpy(&vb_, &b_[i], sizeof vb_); (void)vb_; \
            FT r_ = (EXPR); U u_; memcpy(&u_, &r_, sizeof u_); \
            d_[i] = unlikely(r_ != r_) ? (U)(W == 32 ? FP_CNAN_S : FP_CNAN_D) : u_; } }

/* vd[i] = b * a + vd[i] with the host's FMA (fp_host_fma_s/_d), b = f[rs1] when SCALAR else vs1[i].
   x86 does not raise invalid for inf * 0 + qNaN, which RISC-V requires: patched on the NaN path. */
#define V_FAST_FMA_LOOP(W, F, SCALAR, FMA) { \
        typedef uint##W##_t U; typedef F FT; \
        U *d_ = V_FAST_VREG(U, e->rd); \
        const U *a_ = V_FAST_VREG(const U, e->rs2), *b_ = V_FAST_VREG(const U, e->rs1); \
        U sb_ = W == 32 ? (U)fp_unbox_s(h->f[e->rs1]) : (U)h->f[e->rs1]; \
        for (uint64_t i = 0; i < n; i++) { \
            U bu = (SCALAR) ? sb_ : b_[i], au = a_[i]; FT a, b, d; \
            memcpy(&a, &au, sizeof a); memcpy(&b, &bu, sizeof b); memcpy(&d, &d_[i], sizeof d); \
            FT r = FMA(b, a, d); U u; memcpy(&u, &r, sizeof u); \
            if (unlikely(r != r)) { \
                u = (U)(W == 32 ? FP_CNAN_S : FP_CNAN_D); \
                if ((W == 32) ? ((fp_isinf_s((uint32_t)au) && fp_iszero_s((uint32_t)bu)) || \
                                 (fp_iszero_s((uint32_t)au) && fp_isinf_s((uint32_t)bu))) \
                              : ((fp_isinf_d(au) && fp_iszero_d(bu)) || (fp_iszero_d(au) && fp_isinf_d(bu)))) \
                    h->fflags |= SF_NV; \
            } \
            d_[i] = u; } }

/* vfmv.v.f: vd[i] = the NaN-unboxed bits of f[rs1] (no arithmetic, no NaN canonicalisation, no flags) */
#define V_FAST_FMV_LOOP(W) { \
        typedef uint##W##_t U; \
        U *d_ = V_FAST_VREG(U, e->rd), s_ = W == 32 ? (U)fp_unbox_s(h->f[e->rs1]) : (U)h->f[e->rs1]; \
        for (uint64_t i = 0; i < n; i++) d_[i] = s_; }

#endif
