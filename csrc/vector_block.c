/* The vector fast paths of the interpreter (vector_fast.h, as exec_v.inc expands them) as a function,
 * for the vector instructions of recording blocks (rv_hist_block_v, history.c; jit_x86.c).
 *
 * The interpreter runs an instruction here only from a slot it specialised (its general path ran it
 * under the current vtype: the register groups are legal) with vstart 0 and, for FP, frm RNE and FS on;
 * rv_hist_block_v checks the same before calling, and a unit-stride access's page as exec_v.inc's
 * V_BLOCK_OK does.  The element loops are the interpreter's (vector_fast.h: host FP arithmetic, NaN
 * results made canonical, flags accrued in the host's and folded as the step retires), so a step runs
 * and records the same whether the block or the interpreter runs it.
 */
#include "history_internal.h"
#include "fp.h"
#include "vector.h"
#include "vector_fast.h"
#include "timing_hooks.h"
#include "timing_block.h"

#define VREGP(T, r) ((T *)(m->vreg + (uint64_t)(r) * h->vlenb))
#define V_DIRTY() do { if (unlikely(~h->mstatus & MSTATUS_VS_DIRTY)) h->mstatus |= MSTATUS_VS_DIRTY; } while (0)
/* (as exec_v.inc's V_FP_DIRTY: FP arithmetic makes FS Dirty, flags raised or not) */
#define V_FP_DIRTY() do { if (unlikely(~h->mstatus & (MSTATUS_VS_DIRTY | MSTATUS_FS_DIRTY))) \
        h->mstatus |= MSTATUS_VS_DIRTY | MSTATUS_FS_DIRTY; } while (0)

/* the cases of v_block_fast, from vector_fast.h's lists and loops */
#define INT(OP, SCALAR, EXPR) case RV_OP_##OP: \
        switch (sew) { case 0: V_FAST_INT_LOOP(8, SCALAR, EXPR) break; \
                       case 1: V_FAST_INT_LOOP(16, SCALAR, EXPR) break; \
                       case 2: V_FAST_INT_LOOP(32, SCALAR, EXPR) break; \
                       default: V_FAST_INT_LOOP(64, SCALAR, EXPR) break; } \
        V_DIRTY(); return 1;
#define FP(OP, EXPR) case RV_OP_##OP: \
        if (sew == 2) V_FAST_FP_LOOP(32, float, EXPR) else V_FAST_FP_LOOP(64, double, EXPR) \
        V_FP_DIRTY(); return 1;
#define FMA(OP, SCALAR) case RV_OP_##OP: \
        if (!fp_host_fma_ok) return 0; \
        if (sew == 2) V_FAST_FMA_LOOP(32, float, SCALAR, fp_host_fma_s) \
        else V_FAST_FMA_LOOP(64, double, SCALAR, fp_host_fma_d) \
        V_FP_DIRTY(); return 1;
#define LOAD(OP, EEWB) case RV_OP_##OP: { \
        uint64_t a = x[e->rs1], len = n * (EEWB); \
        if (hs && unlikely(hs->nmem_read)) \
            rv_hist_read_at(m, a, len, h->pc); \
        memcpy(VREGP(uint8_t, e->rd), m->mem + (a - m->cfg.mem_base), len); \
        V_DIRTY(); \
        return 1; }
#define STORE(OP, EEWB) case RV_OP_##OP: { \
        uint64_t a = x[e->rs1], len = n * (EEWB); \
        if (hs) \
            rv_hist_store(m, hs, a, len); \
        memcpy(m->mem + (a - m->cfg.mem_base), VREGP(uint8_t, e->rd), len); \
        return 1; }

/* Run e (see above: specialised, vstart 0, vl elements, a unit-stride access's bytes inside one page
   that takes it): 1 done, 0 not an op with a fast path here (nothing done).  hs: the history that
   logs its memory accesses, or NULL (timed blocks). */
static inline __attribute__((always_inline)) int v_block_fast(rv_machine *m, const rv_insn_t *e, rv_history *hs)
{
    rv_hart_state *h = &m->h;
    const unsigned sew = (unsigned)(h->vtype >> 3) & 7u;
    const uint64_t n = h->vl;
    const uint64_t *x = h->x;
    switch (e->exec_op) {
    V_FAST_LOAD_OPS(LOAD)
    V_FAST_STORE_OPS(STORE)
    V_FAST_INT_OPS(INT)
#if FP_HOST_ARITH
    V_FAST_FP_OPS(FP)
    V_FAST_FMA_OPS(FMA)
    case RV_OP_VFMV_V_F:
        if (sew == 2) V_FAST_FMV_LOOP(32) else V_FAST_FMV_LOOP(64)
        V_DIRTY();
        return 1;
#endif
    default:
        return 0;
    }
}

/* The ops with a fast path (vector_fast.h): 1 integer ops and unit-stride loads and stores (any SEW),
   2 FP ops (SEW 32 or 64, frm RNE, a host FPU), 3 the FMAs (also the host's FMA3). */
#define KIND_MEM(OP, EEWB) [RV_OP_##OP] = 1,
#define KIND_INT(OP, SCALAR, EXPR) [RV_OP_##OP] = 1,
#define KIND_FP(OP, EXPR) [RV_OP_##OP] = 2,
#define KIND_FMA(OP, SCALAR) [RV_OP_##OP] = 3,
const uint8_t rv_v_fast_kind[RV_OP_COUNT] = {
    V_FAST_LOAD_OPS(KIND_MEM) V_FAST_STORE_OPS(KIND_MEM) V_FAST_INT_OPS(KIND_INT)
    V_FAST_FP_OPS(KIND_FP) [RV_OP_VFMV_V_F] = 2, V_FAST_FMA_OPS(KIND_FMA)
};

/* Would the interpreter's general path specialise e's slot to a fast path (exec_v.inc v_general), the
   instruction being unmasked and vtype valid: the op has one at this SEW (FP: SEW 32 or 64 with frm
   RNE on a host FPU; the FMAs also need the host's FMA3).  0 no, 1 yes, 2 yes and an FP op (whose fast
   path also wants FS on). */
int rv_v_block_has_fast(const rv_machine *m, const rv_insn_t *e)
{
    const unsigned k = rv_v_fast_kind[e->exec_op];
    if (k <= 1)
        return k;
    const int fp_ok = FP_HOST_ARITH && m->h.frm == 0 && ((m->h.vtype >> 3) & 7u) >= 2;
    return fp_ok && (k == 2 || fp_host_fma_ok) ? 2 : 0;
}

#define TRAILER 16u     /* history.c's ENTRY_TRAILER: uint64 addr, uint32 type, uint32 len after a payload */

/* rv_hist_block_v's fast path (history.c), called by the block itself once it checked what the
   interpreter's fast path checks (exec_v.inc V_FAST_GUARD, V_FAST_GUARD_FP): e's slot is specialised
   under this vtype (which makes its register groups legal and the op unmasked, its SEW one with a
   fast path, its tail not ones), vstart is 0 and, for an FP op, frm is RNE and FS on.  The step is
   recorded as rv_hist_capture_v and rv_hist_retire_v record it: its group (LMUL registers from vd,
   loads EMUL, stores none) as entries before it runs, the words that changed after (of the five a
   vector step may change, these ops change only fflags and mstatus), its record at r.  pcmeta: the
   record's meta word but for the extras count.  1 retired, 0 not run (the block leaves before it). */
int rv_hist_block_vf(rv_machine *m, const rv_insn_t *e, uint64_t pcmeta, rv_hist_rec *r, uint64_t reserve)
{
    rv_history *hs = m->hist;
    rv_hart_state *h = &m->h;
    const uint32_t raw = (uint32_t)e->raw;
    const unsigned major = raw & 0x7f;
    const uint64_t vb = h->vlenb;
    uint64_t need = 8 * (vb + TRAILER) + 5 * (8 + TRAILER) + reserve;
    unsigned count;
    int lmul_log2 = (int)(((unsigned)h->vtype & 7u) ^ 4) - 4;
    if (major == 0x07 || major == 0x27) {
        unsigned width = raw >> 12 & 7u, eew_log2 = width == 0 ? 0 : width - 4;
        uint64_t a = h->x[e->rs1], len = h->vl << eew_log2, off = a - m->cfg.mem_base, pg = off >> RV_PAGE_BITS;
        unsigned mask = major == 0x07 ? RV_PERM_R : RV_PERM_W | RV_PAGE_CODE | RV_PAGE_WATCH;
        unsigned want = major == 0x07 ? RV_PERM_R : RV_PERM_W;
        if (!len || pg >= m->npages || (m->page_flags[pg] & mask) != want ||
            (off & (RV_PAGE_SIZE - 1)) + len > RV_PAGE_SIZE ||
            ((a & ((1u << eew_log2) - 1)) && (m->cfg.flags & RV_CFG_TRAP_MISALIGNED)))
            return 0;       /* no element, or the general path's (faults, page crossing): the interpreter's */
        if (major == 0x27) {
            count = 0;
            need += ((len + 7) & ~(uint64_t)7) + TRAILER;
        } else {
            int emul_log2 = lmul_log2 + (int)eew_log2 - (int)(h->vtype >> 3 & 7u);
            count = emul_log2 <= 0 ? 1u : 1u << emul_log2;
        }
    } else {
        count = lmul_log2 <= 0 ? 1u : 1u << lmul_log2;
    }
    uint64_t head = hs->ehead, at = head & (hs->ecap - 1);
    if (unlikely(need >= RV_HREC_SIDE || head + need - hs->etail > hs->ecap || at + need > hs->ecap))
        return 0;
    uint64_t fw0, ms0 = h->mstatus;
    memcpy(&fw0, &h->fflags, 8);
    uint8_t *p = hs->ext + at;
    const unsigned first = e->rd & 31u;
    const uint8_t *src = m->vreg + first * vb;
    uint64_t off = first * vb, tl = RV_HE_VREG | vb << 32;
    if (vb == 16 && count == 1) {
        memcpy(p, src, 16);
        memcpy(p + 16, &off, 8);
        memcpy(p + 24, &tl, 8);
    } else if (vb == 32 && count == 1) {
        memcpy(p, src, 32);
        memcpy(p + 32, &off, 8);
        memcpy(p + 40, &tl, 8);
    } else {
        for (unsigned i = 0; i < count; i++, p += vb + TRAILER, src += vb, off += vb) {
            memcpy(p, src, vb);
            memcpy(p + vb, &off, 8);
            memcpy(p + vb + 8, &tl, 8);
        }
    }
    hs->ehead = head + count * (vb + TRAILER);
    v_block_fast(m, e, hs);
    if (unlikely(rv_hist_host_flags()))
        rv_hist_block_v_fold(m);
    uint64_t fw;
    memcpy(&fw, &h->fflags, 8);
    if (unlikely((fw ^ fw0) | (h->mstatus ^ ms0))) {
        hs->s_old[0] = fw0;
        hs->s_old[1] = ms0;
        hs->s_old[2] = h->vl;
        hs->s_old[3] = h->vstart;
        hs->s_old[4] = h->vxsat;
        rv_hist_block_v_words(m, e);
    }
    r->old = 0;
    r->id = rv_hist_meta_id(hs, pcmeta | (hs->ehead - head) << 8);
    return 1;
}

/* ---------------------------------------------------------------- timed blocks */

/* A vector instruction of a timed block (jit_x86.c, at pc): it runs where the timed loop would run it,
   then its retirement goes to the model's step as the loop's (interp.h RV_TIMED_RETIRE: x[rs1] and
   x[rs2] as they were before it ran, not taken).  general and jit: the loop's labels for the op's
   general path and for a block's entry.
   - The interpreter's fast path (v_block_fast) when the slot is specialised under the current vtype
     (exec_v.inc V_FAST_GUARD, V_FAST_GUARD_FP): its handler neither label, vtype equal to its rm,
     vstart 0 and, for FP, frm RNE and FS on.
   - vsetvli and vsetivli: exec_v.inc V_SET_INLINE for the common forms.
   - Else the general path (rv_vector_exec), only where nothing can trap part-way: vstart 0, a valid
     vtype (but for vset*), and of the loads and stores only unit-stride ones of at least one element
     inside one page that takes them (no code, watched or HTIF page) on a machine that does not trap on
     misaligned accesses.  An illegal encoding changes nothing and is left to the interpreter, as is a
     slot the interpreter's general path would (re)specialise: it does, and the block's next pass runs
     the fast path.
   Returns 1 when the instruction retired, 0 when nothing changed and the block must leave before it. */
int rv_timed_block_v(rv_machine *m, const rv_insn_t *e, uint64_t pc, const void *general, const void *jit)
{
    rv_hart_state *h = &m->h;
    uint64_t *x = h->x;
    const uint64_t rs1v = x[e->rs1 & 31u], rs2v = x[e->rs2 & 31u];
    const uint32_t raw = (uint32_t)e->raw;
    const unsigned major = raw & 0x7f;
    if (unlikely(h->vstart != 0))
        return 0;
    int done = 0;
    if (major == 0x57 && (raw >> 12 & 7u) == 7) {
        if (e->exec_op == RV_OP_VSETVLI || e->exec_op == RV_OP_VSETIVLI) {
            /* (exec_v.inc V_SET_INLINE) */
            const int vli = e->exec_op == RV_OP_VSETVLI;
            uint64_t vt = (uint64_t)e->imm;
            unsigned vlmul = vt & 7, vsew = (vt >> 3) & 7;
            int lmul_log2 = (int)(vlmul ^ 4) - 4;
            int keeps_vl = vli && e->rs1 == 0 && e->rd == RV_X_SINK;
            if (vt < 0x100 && vlmul != 4 && vsew <= 3 && (int)vsew <= 3 + lmul_log2 && !keeps_vl &&
                !(m->cfg.extensions & RV_EXT_ZVE32X)) {
                int sh = lmul_log2 - (int)vsew;
                uint64_t vlmax = sh >= 0 ? h->vlenb << sh : h->vlenb >> -sh;
                uint64_t avl = vli ? (e->rs1 ? x[e->rs1] : ~0ull) : e->rs1;
                uint64_t vl = avl < vlmax ? avl : vlmax;
                h->vtype = vt;
                h->vl = vl;
                h->vstart = 0;
                x[e->rd] = vl;
                h->mtype = 0;
                V_DIRTY();
                done = 1;
            }
        }
    } else {
        if (unlikely(h->vtype >> 63))
            return 0;
        if (major == 0x07 || major == 0x27) {
            unsigned width = raw >> 12 & 7u, eew = width == 0 ? 1 : width >= 5 ? 1u << (width - 4) : 0;
            if ((raw >> 29) || (raw >> 26 & 3u) || (raw >> 20 & 31u) || !eew ||
                (m->cfg.flags & RV_CFG_TRAP_MISALIGNED))
                return 0;               /* segments, strided, indexed, whole-register, mask, ff */
            uint64_t a = x[e->rs1], len = h->vl * eew, off = a - m->cfg.mem_base, pg = off >> RV_PAGE_BITS;
            unsigned mask = major == 0x07 ? RV_PERM_R : RV_PERM_W | RV_PAGE_CODE | RV_PAGE_WATCH;
            unsigned want = major == 0x07 ? RV_PERM_R : RV_PERM_W;
            if (!len || pg >= m->npages || (m->page_flags[pg] & mask) != want ||
                (off & (RV_PAGE_SIZE - 1)) + len > RV_PAGE_SIZE)
                return 0;
        }
        const unsigned fk = rv_v_fast_kind[e->exec_op];
        if (fk && VM_BIT(e)) {
            if (e->handler != general && e->handler != jit && h->vtype == e->rm &&
                (fk < 2 || (h->frm == 0 && (h->mstatus & MSTATUS_FS)))) {
                v_block_fast(m, e, NULL);
                done = 1;
            } else if (e->handler != jit && rv_v_block_has_fast(m, e) &&
                       !((m->cfg.flags & RV_CFG_VECTOR_AGNOSTIC_ONES) && (h->vtype & 0x40))) {
                return 0;               /* the interpreter's general path runs it and specialises the slot */
            }
        }
    }
    if (!done) {
        uint64_t tval = 0;
        h->pc = pc;
        if (rv_vector_exec(m, e, &tval) != 0)
            return 0;                   /* illegal: nothing changed (the page checks above rule out faults) */
    }
    rv_timing_hooks *tm = (rv_timing_hooks *)m->timing;
    tm->step[e->exec_op]((struct rv_timing *)tm, e, pc, rs1v, rs2v, 0);
    return 1;
}

#if FP_HOST_ARITH && defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TIMED_PACKED_FMA 1
/* elements i .. i + left - 1 of timed_vfmacc_s (left <= 8; PART: fewer than eight, the lanes past them
   masked off) */
__attribute__((target("avx,fma"), always_inline)) static inline void
vfmacc_s_group(rv_hart_state *h, uint32_t *d_, const uint32_t *a_, const uint32_t *b_, uint32_t sb, __m256 bs,
               uint64_t i, unsigned left, const int SCALAR, const int PART)
{
    /* (eight lanes from ones_then_zeros + 8 - k: the first k all ones, the rest zeros) */
    static const int32_t ones_then_zeros[16] = {-1, -1, -1, -1, -1, -1, -1, -1};
    const __m256i lanes = _mm256_loadu_si256((const __m256i *)(ones_then_zeros + 8 - left));
    __m256 a, b, d;
    if (PART) {
        a = _mm256_maskload_ps((const float *)(a_ + i), lanes);
        b = SCALAR ? _mm256_and_ps(bs, _mm256_castsi256_ps(lanes))    /* (no scalar past vl) */
                   : _mm256_maskload_ps((const float *)(b_ + i), lanes);
        d = _mm256_maskload_ps((const float *)(d_ + i), lanes);
    } else {
        a = _mm256_loadu_ps((const float *)(a_ + i));
        b = SCALAR ? bs : _mm256_loadu_ps((const float *)(b_ + i));
        d = _mm256_loadu_ps((const float *)(d_ + i));
    }
    __m256 r = _mm256_fmadd_ps(b, a, d);
    unsigned nan = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(r, r, _CMP_UNORD_Q));
    if (unlikely(nan)) {
        /* (the sources are read before the store: vd may be one of them) */
        for (unsigned k = 0; k < left; k++) {
            if (!(nan >> k & 1))
                continue;
            uint32_t au = a_[i + k], bu = SCALAR ? sb : b_[i + k];
            if ((fp_isinf_s(au) && fp_iszero_s(bu)) || (fp_iszero_s(au) && fp_isinf_s(bu)))
                h->fflags |= SF_NV;
        }
        __m256 cnan = _mm256_castsi256_ps(_mm256_set1_epi32((int)FP_CNAN_S));
        r = _mm256_blendv_ps(r, cnan, _mm256_cmp_ps(r, r, _CMP_UNORD_Q));
    }
    if (PART)
        _mm256_maskstore_ps((float *)(d_ + i), lanes, r);
    else
        _mm256_storeu_ps((float *)(d_ + i), r);
}

/* vfmacc.vf and vfmacc.vv at SEW 32 (v_block_fast's FMA_W), eight elements at a time with the host's
   packed FMA (only where the host has FMA3, as every fast vfmacc): the same fused operation per element
   under the same MXCSR, so the same results and the same accrued flags.  The last group, when vl is not
   a multiple of eight, is the same operation on the elements left, the lanes after them loaded as zeros
   (0 x 0 + 0 raises nothing) and not stored.  An element whose result is NaN is finished as FMA_W
   finishes it: the canonical NaN, and invalid for inf x 0 (x86 does not raise it with a quiet NaN
   addend).  vd overlaps a source only as the same group, element for element. */
__attribute__((target("avx,fma"), always_inline)) static inline void timed_vfmacc_s(rv_machine *m,
                                                                                    const rv_insn_t *e,
                                                                                    const int SCALAR)
{
    rv_hart_state *h = &m->h;
    uint32_t *d_ = VREGP(uint32_t, e->rd);
    const uint32_t *a_ = VREGP(const uint32_t, e->rs2), *b_ = VREGP(const uint32_t, e->rs1);
    const uint32_t sb = SCALAR ? (uint32_t)fp_unbox_s(h->f[e->rs1]) : 0;
    const uint64_t n = h->vl;
    const __m256 bs = _mm256_castsi256_ps(_mm256_set1_epi32((int)sb));
    if (likely(n == 8)) {       /* (one register at VLEN 256: one group, no loop) */
        vfmacc_s_group(h, d_, a_, b_, sb, bs, 0, 8, SCALAR, 0);
    } else {
        uint64_t i = 0;
        for (; i + 8 <= n; i += 8)
            vfmacc_s_group(h, d_, a_, b_, sb, bs, i, 8, SCALAR, 0);
        if (i < n)
            vfmacc_s_group(h, d_, a_, b_, sb, bs, i, (unsigned)(n - i), SCALAR, 1);
    }
    V_FP_DIRTY();
}
/* (one copy per form: the scalar operand or a register group, fixed) */
__attribute__((target("avx,fma"), noinline)) static void timed_vfmacc_vf_s(rv_machine *m, const rv_insn_t *e)
{
    timed_vfmacc_s(m, e, 1);
}
__attribute__((target("avx,fma"), noinline)) static void timed_vfmacc_vv_s(rv_machine *m, const rv_insn_t *e)
{
    timed_vfmacc_s(m, e, 0);
}
#endif

/* memcpy with the usual lengths of one access as constants (inline moves, not a call): one register
   of VLEN 128 or 256 */
static inline __attribute__((always_inline)) void copy_access(void *to, const void *from, uint64_t len)
{
    if (len == 32)
        memcpy(to, from, 32);
    else if (len == 16)
        memcpy(to, from, 16);
    else
        memcpy(to, from, len);
}

/* The fast path of rv_timed_block_v, called by the block once it checked the interpreter's fast-path
   guard itself (as recording blocks do: the slot specialised under this vtype, vstart 0, for FP frm RNE
   and FS on): a load or store (MEM) still needs its bytes inside one page that takes them.  Runs the
   instruction only: the block calls its step (these ops write no x register, so the block's x[rs1] and
   x[rs2] are the values from before it ran).  1 done, 0 nothing changed (the block leaves before it). */
static inline __attribute__((always_inline)) int timed_block_vf(rv_machine *m, const rv_insn_t *e, const int MEM)
{
    rv_hart_state *h = &m->h;
    if (MEM) {
        const unsigned major = (uint32_t)e->raw & 0x7f, width = (uint32_t)e->raw >> 12 & 7u;
        const uint64_t eew = width == 0 ? 1 : 1u << (width - 4);    /* (the fast ops: vle*.v, vse*.v) */
        uint64_t len = h->vl * eew, off = h->x[e->rs1] - m->cfg.mem_base, pg = off >> RV_PAGE_BITS;
        unsigned mask = major == 0x07 ? RV_PERM_R : RV_PERM_W | RV_PAGE_CODE | RV_PAGE_WATCH;
        unsigned want = major == 0x07 ? RV_PERM_R : RV_PERM_W;
        if (!len || pg >= m->npages || (m->page_flags[pg] & mask) != want ||
            (off & (RV_PAGE_SIZE - 1)) + len > RV_PAGE_SIZE || (m->cfg.flags & RV_CFG_TRAP_MISALIGNED))
            return 0;
        /* the ops here are v_block_fast's LOAD and STORE (vle*.v, vse*.v: the fast ops of these majors),
           without history: the same copies */
        uint8_t *vr = VREGP(uint8_t, e->rd), *mem = m->mem + off;
        if (major == 0x07) {
            copy_access(vr, mem, len);
            V_DIRTY();
        } else {
            copy_access(mem, vr, len);
        }
        return 1;
    }
#ifdef TIMED_PACKED_FMA
    if ((e->exec_op == RV_OP_VFMACC_VF || e->exec_op == RV_OP_VFMACC_VV) && ((h->vtype >> 3) & 7u) == 2 &&
        fp_host_fma_ok) {
        if (e->exec_op == RV_OP_VFMACC_VF)
            timed_vfmacc_vf_s(m, e);
        else
            timed_vfmacc_vv_s(m, e);
        return 1;
    }
#endif
    return v_block_fast(m, e, NULL);    /* (0 not reached: a slot is specialised only to an op it runs) */
}

int rv_timed_block_vf_mem(rv_machine *m, const rv_insn_t *e) { return timed_block_vf(m, e, 1); }
int rv_timed_block_vf_op(rv_machine *m, const rv_insn_t *e) { return timed_block_vf(m, e, 0); }
