/* The vector unit: dispatch, configuration (vset*), loads and stores, whole-register moves.
   Arithmetic is in vector_int.c and vector_fp.c. */
#include "vector.h"

/* ---------------------------------------------------------------- dispatch */

static rv_v_handler handlers[RV_OP_COUNT];

/* ---------------------------------------------------------------- the embedded subsets (Zve*)

   A machine with Zve32x (RV_EXT_ZVE32X) and no V has the vector unit with the limits of unpriv
   "Vector Extensions" (zv.adoc, zve64x.adoc, zve64d.adoc; rvsim.isa.ZVE):
   - ELEN is 32 without Zve64x: vset* set vill for SEW > ELEN and for LMUL < SEWmin/ELEN (set_vtype), and
     no operand may have EEW > ELEN (the 2*SEW operand of a widening or narrowing instruction, the
     width field of a load or store);
   - the FP vector instructions need Zve32f, and FP operands of EEW=64 Zve64d ("Zve64d implements all
     vector floating-point instructions for floating-point operands with EEW=32 or EEW=64"), so Zve32f and
     Zve64f have FP32 only (conversions to and from FP64 included);
   - Zve64* leave out vmulh, vmulhu, vmulhsu and vsmul for EEW=64 (zve64x.adoc,
     norm:Zve64_eew64_nsupport_vmulh and norm:Zve64_eew64_nsupport_vsmul).
   What the encoding alone decides (FP at all, the EEW=64 loads and stores) the decoder's caller learns
   from the ISA table (rvsim.isa.enabled); here everything is checked again, as the C decoder gates on
   RV_EXT_V only.  Only a Zve machine pays for this test. */
static inline unsigned v_elen(const rv_machine *m)
{
    uint64_t x = m->cfg.extensions;
    return !(x & RV_EXT_ZVE32X) || (x & RV_EXT_ZVE64X) ? 64 : 32;
}

static int zve_allows(const rv_machine *m, uint32_t w)
{
    uint64_t x = m->cfg.extensions;
    unsigned elen = v_elen(m);
    unsigned felen = (x & RV_EXT_ZVE64D) ? 64 : (x & RV_EXT_ZVE32F) ? 32 : 0;
    unsigned opc = w & 0x7f, f3 = (w >> 12) & 7, f6 = w >> 26, vs1 = (w >> 15) & 31;
    if (opc == 0x07 || opc == 0x27)         /* width field: the data EEW, or the index EEW */
        return f3 != 7 || elen >= 64;
    if (opc != 0x57 || f3 == 7)             /* vset*: set_vtype; the matrix unit is not a subset's */
        return 1;
    uint64_t vt = m->h.vtype;
    if (vt >> 63)
        return 1;                           /* vill: the instruction's own check refuses it */
    unsigned sew = 8u << ((vt >> 3) & 7);
    unsigned int_eew = sew, fp_eew = 0;     /* the widest integer and FP operands */
    switch (f3) {
    case 0: case 3: case 4:                 /* OPIVV, OPIVI, OPIVX */
        if ((f6 >= 0x2c && f6 <= 0x2f) || (f3 == 0 && (f6 == 0x30 || f6 == 0x31)))
            int_eew = 2 * sew;              /* vnsrl/vnsra/vnclip[u] read, vwredsum[u] write 2*SEW */
        if (f6 == 0x27 && f3 != 3 && sew == 64)
            return 0;                       /* vsmul */
        break;
    case 2: case 6:                         /* OPMVV, OPMVX */
        if (f6 >= 0x30)
            int_eew = 2 * sew;              /* vwadd ... vwmaccsu */
        if ((f6 == 0x24 || f6 == 0x26 || f6 == 0x27) && sew == 64)
            return 0;                       /* vmulhu, vmulhsu, vmulh */
        break;
    default:                                /* OPFVV, OPFVF */
        if (!felen)
            return 0;
        fp_eew = sew;
        if (f6 >= 0x30)
            fp_eew = 2 * sew;               /* vfwadd ... vfwnmsac, vfwred[ou]sum */
        else if (f6 == 0x12 && f3 == 1) {   /* VFUNARY0: the conversions */
            if (vs1 == 0x08 || vs1 == 0x09 || vs1 == 0x0e || vs1 == 0x0f)
                int_eew = 2 * sew;          /* vfwcvt.[rtz.]x[u].f.v: FP SEW -> integer 2*SEW */
            else if (vs1 == 0x0a || vs1 == 0x0b || vs1 == 0x0c)
                fp_eew = 2 * sew;           /* vfwcvt.f.x[u].v, vfwcvt.f.f.v */
            else if (vs1 == 0x12 || vs1 == 0x13)
                int_eew = 2 * sew;          /* vfncvt.f.x[u].w: integer 2*SEW -> FP SEW */
            else if (vs1 >= 0x10 && vs1 <= 0x17)
                fp_eew = 2 * sew;           /* vfncvt.[rtz.]x[u].f.w, vfncvt.[rod.]f.f.w */
        }
        break;
    }
    return int_eew <= elen && fp_eew <= felen && fp_eew <= elen;
}

int rv_vector_exec(rv_machine *m, const rv_insn_t *e, uint64_t *tval)
{
    static int ready;
    if (unlikely(!ready)) {
        rv_v_register_mem(handlers);
        rv_v_register_int(handlers);
        rv_v_register_fp(handlers);
        rv_v_register_ml(handlers);
        ready = 1;
    }
    if (unlikely(m->cfg.extensions & RV_EXT_ZVE32X) && !zve_allows(m, (uint32_t)e->raw)) {
        *tval = e->raw;
        return V_ILLEGAL;
    }
    rv_v_handler fn = handlers[e->exec_op];
    int c = fn ? fn(m, e, tval) : V_ILLEGAL;    /* not implemented yet: illegal, never wrong */
    if (c == V_ILLEGAL)
        *tval = e->raw;
    return c;
}

/* ---------------------------------------------------------------- vsetvli / vsetivli / vsetvl */

/* Apply a new vtype and AVL; avl_kind: 0 = avl given, 1 = VLMAX (rs1 = x0, rd != x0),
   2 = keep vl (rs1 = rd = x0). */
static void set_vtype(rv_machine *m, uint64_t vtype, uint64_t avl, int avl_kind, unsigned rd)
{
    rv_hart_state *h = &m->h;
    unsigned vlmul = vtype & 7, vsew = (vtype >> 3) & 7;
    int lmul_log2 = vlmul < 4 ? (int)vlmul : (int)vlmul - 8;
    /* supported: SEW <= ELEN (64, or 32 for Zve32*), LMUL in 1/8..8, SEW <= LMUL * ELEN, reserved bits
       zero.  LMUL < SEWmin/ELEN is reserved ("implementations can set vill", vector-common.adoc
       norm:vtype_lmul_fval_rsv): vill, so LMUL=1/8 with ELEN=32 always. */
    int elen_log2 = v_elen(m) == 64 ? 6 : 5;
    int ok = ((vtype >> 8) == 0 || rv_v_vtype_extra_ok(m, vtype)) && vlmul != 4 && (int)vsew <= elen_log2 - 3 &&
             (lmul_log2 >= 0 || (int)vsew <= elen_log2 - 3 + lmul_log2);
    uint64_t vlmax = 0;
    if (ok) {
        int sh = lmul_log2 - (int)vsew;
        vlmax = sh >= 0 ? h->vlenb << sh : h->vlenb >> -sh;
    }
    if (ok && avl_kind == 2) {
        /* keeping vl is reserved when VLMAX changes or vill was set: we set vill then */
        uint64_t old = h->vtype;
        unsigned olmul = old & 7, osew = (old >> 3) & 7;
        int old_log2 = olmul < 4 ? (int)olmul : (int)olmul - 8;
        if ((old >> 63) || old_log2 - (int)osew != lmul_log2 - (int)vsew)
            ok = 0;
    }
    if (!ok) {
        h->vtype = 1ull << 63;
        h->vl = 0;
    } else {
        h->vtype = vtype;
        if (avl_kind == 1)
            h->vl = vlmax;
        else if (avl_kind == 0)
            h->vl = avl < vlmax ? avl : vlmax;
    }
    h->vstart = 0;
    h->mtype = 0;               /* Zvt: vset* leave the matrix unit unconfigured */
    h->x[rd] = h->vl;
    vs_dirty(m);
}

static int v_vsetvli(rv_machine *m, const rv_insn_t *e, uint64_t *tval)
{
    int kind = e->rs1 ? 0 : (e->rd != RV_X_SINK ? 1 : 2);
    set_vtype(m, (uint64_t)e->imm, m->h.x[e->rs1], kind, e->rd);
    return 0;
}

static int v_vsetivli(rv_machine *m, const rv_insn_t *e, uint64_t *tval)
{
    set_vtype(m, (uint64_t)e->imm, e->rs1, 0, e->rd);
    return 0;
}

static int v_vsetvl(rv_machine *m, const rv_insn_t *e, uint64_t *tval)
{
    int kind = e->rs1 ? 0 : (e->rd != RV_X_SINK ? 1 : 2);
    set_vtype(m, m->h.x[e->rs2], m->h.x[e->rs1], kind, e->rd);
    return 0;
}

/* ---------------------------------------------------------------- guest memory, one element */

static inline int elem_load(rv_machine *m, uint64_t addr, unsigned size, void *dst, uint64_t *tval)
{
    uint64_t off = addr - m->cfg.mem_base, pg = off >> RV_PAGE_BITS;
    int misaligned_trap = (addr & (size - 1)) && (m->cfg.flags & RV_CFG_TRAP_MISALIGNED);
    if (likely(pg < m->npages && (m->page_flags[pg] & RV_PERM_R) &&
               (off & (RV_PAGE_SIZE - 1)) <= RV_PAGE_SIZE - size && !misaligned_trap)) {
        RV_HIST_LOAD(m, addr, size);
        memcpy(dst, m->mem + off, size);
        return 0;
    }
    uint64_t v;
    int c = rv_load_slow(m, addr, size, &v, tval);
    if (c)
        return c;
    memcpy(dst, &v, size);
    return 0;
}

static inline int elem_store(rv_machine *m, uint64_t addr, unsigned size, const void *src, uint64_t *tval,
                             int *htif)
{
    uint64_t off = addr - m->cfg.mem_base, pg = off >> RV_PAGE_BITS;
    int misaligned_trap = (addr & (size - 1)) && (m->cfg.flags & RV_CFG_TRAP_MISALIGNED);
    if (likely(pg < m->npages &&
               (m->page_flags[pg] & (RV_PERM_W | RV_PAGE_CODE | RV_PAGE_WATCH)) == RV_PERM_W &&
               (off & (RV_PAGE_SIZE - 1)) <= RV_PAGE_SIZE - size && !misaligned_trap)) {
        RV_HIST_STORE(m, addr, size);
        memcpy(m->mem + off, src, size);
        return 0;
    }
    uint64_t v = 0;
    memcpy(&v, src, size);
    return rv_store_slow(m, addr, size, v, tval, htif);
}

/* [addr, addr+len) lies in one page with the wanted flags (fast block copy possible). */
static inline int block_ok(rv_machine *m, uint64_t addr, uint64_t len, unsigned fmask, unsigned want,
                           unsigned align)
{
    uint64_t off = addr - m->cfg.mem_base, pg = off >> RV_PAGE_BITS;
    if ((addr & (align - 1)) && (m->cfg.flags & RV_CFG_TRAP_MISALIGNED))
        return 0;
    return len && pg < m->npages && (m->page_flags[pg] & fmask) == want &&
           (off & (RV_PAGE_SIZE - 1)) + len <= RV_PAGE_SIZE;
}

/* ---------------------------------------------------------------- loads and stores */

enum { MOP_UNIT = 0, MOP_INDEXED_UNORDERED = 1, MOP_STRIDED = 2, MOP_INDEXED_ORDERED = 3 };
enum { LUMOP_UNIT = 0, LUMOP_WHOLE = 8, LUMOP_MASK = 0xb, LUMOP_FF = 0x10 };

static unsigned width_eew(unsigned width)   /* width field -> EEW in bytes (0 = not a vector width) */
{
    switch (width) {
    case 0: return 1;
    case 5: return 2;
    case 6: return 4;
    case 7: return 8;
    default: return 0;
    }
}

static int log2u(unsigned v) { int r = 0; while (v > 1) { v >>= 1; r++; } return r; }

/* Unit-stride, strided, indexed and fault-only-first loads/stores, segments included. */
static int v_mem(rv_machine *m, const rv_insn_t *e, uint64_t *tval, int store)
{
    rv_vcfg c;
    if (vcfg_load(m, &c))
        return V_ILLEGAL;
    uint32_t raw = e->raw;
    unsigned nf = ((raw >> 29) & 7) + 1, mop = (raw >> 26) & 3, lumop = (raw >> 20) & 31;
    unsigned eew = width_eew((raw >> 12) & 7);
    int indexed = mop & 1;
    int ff = !store && mop == MOP_UNIT && lumop == LUMOP_FF;
    /* data EEW/EMUL: the instruction's width, or SEW for indexed accesses (the width is the index's) */
    unsigned data_eew = indexed ? c.sew_bytes : eew;
    int data_log2 = indexed ? c.lmul_log2 : c.lmul_log2 + log2u(eew) - log2u(c.sew_bytes);
    unsigned vd = e->rd, regs = group_regs(data_log2);
    if (!group_ok(vd, data_log2) || nf * regs > 8 || vd + nf * regs > 32)
        return V_ILLEGAL;
    if (!store && !VM_BIT(e) && vd == 0)
        return V_ILLEGAL;                       /* masked load into v0 */
    int idx_log2 = 0;
    /* "the V extension does not support EEW=64 for index values when XLEN=32" (v-st-ext.adoc, V) */
    if (indexed && eew == 8 && (m->cfg.flags & RV_CFG_XLEN32))
        return V_ILLEGAL;
    if (indexed) {
        idx_log2 = c.lmul_log2 + log2u(eew) - log2u(c.sew_bytes);
        if (!group_ok(e->rs2, idx_log2))
            return V_ILLEGAL;
        if (!store) {
            for (unsigned f = 0; f < nf; f++) {
                unsigned fd = vd + f * regs;
                if (nf > 1 ? groups_overlap(fd, regs, e->rs2, group_regs(idx_log2))
                           : !overlap_ok(fd, data_log2, data_eew * 8, e->rs2, idx_log2, eew * 8))
                    return V_ILLEGAL;
            }
        }
    }
    uint64_t vl = c.vl, base = m->h.x[e->rs1];
    if (m->cfg.flags & RV_CFG_XLEN32)
        base = (uint32_t)base;      /* RV32 addresses: the register's 32 bits, unsigned */
    if (c.vstart >= vl) {
        m->h.vstart = 0;
        return 0;
    }
    int64_t stride = mop == MOP_STRIDED ? (int64_t)m->h.x[e->rs2] : (int64_t)(nf * data_eew);
    const uint8_t *v0 = m->vreg;
    const uint8_t *vidx = vreg_ptr(m, e->rs2);
    int htif = 0;
    if (!store)
        vs_dirty(m);

    /* fast path: unmasked unit-stride single-field access inside one page */
    if (mop == MOP_UNIT && nf == 1 && VM_BIT(e)) {
        uint64_t a = base + c.vstart * eew, len = (vl - c.vstart) * eew;
        uint8_t *dst = vreg_ptr(m, vd) + c.vstart * eew;
        if (!store && block_ok(m, a, len, RV_PERM_R, RV_PERM_R, eew)) {
            RV_HIST_LOAD(m, a, len);
            memcpy(dst, m->mem + (a - m->cfg.mem_base), len);
            tail_ones(&c, vreg_ptr(m, vd), data_log2, data_eew);
            m->h.vstart = 0;
            return 0;
        }
        if (store && block_ok(m, a, len, RV_PERM_W | RV_PAGE_CODE | RV_PAGE_WATCH, RV_PERM_W, eew)) {
            RV_HIST_STORE(m, a, len);
            memcpy(m->mem + (a - m->cfg.mem_base), dst, len);
            m->h.vstart = 0;
            return 0;
        }
    }

    int ma1 = c.ones && c.vma && !store;
    for (uint64_t i = c.vstart; i < vl; i++) {
        if (!VM_BIT(e) && !mask_bit(v0, i)) {
            if (ma1)
                for (unsigned f = 0; f < nf; f++)
                    memset(vreg_ptr(m, vd + f * regs) + i * data_eew, 0xff, data_eew);
            continue;
        }
        uint64_t a;
        if (indexed) {
            uint64_t off = 0;
            memcpy(&off, vidx + i * eew, eew);
            a = base + off;
        } else {
            a = base + i * (uint64_t)stride;    /* (unsigned: addresses wrap, and i * stride may overflow int64) */
        }
        for (unsigned f = 0; f < nf; f++) {
            uint8_t *reg = vreg_ptr(m, vd + f * regs) + i * data_eew;
            uint64_t fa = a + (uint64_t)f * data_eew;
            int cause;
            if (store) {
                cause = elem_store(m, fa, data_eew, reg, tval, &htif);
            } else {
                uint8_t tmp[8];
                cause = elem_load(m, fa, data_eew, tmp, tval);
                if (!cause)
                    memcpy(reg, tmp, data_eew);
            }
            if (cause) {
                if (ff && i > 0) {
                    /* fault-only-first: a fault after element 0 trims vl instead of trapping */
                    m->h.vl = i;
                    c.vl = i;
                    goto done;
                }
                m->h.vstart = i;        /* precise: resume at this element */
                if (!store)
                    vs_dirty(m);
                return cause;
            }
        }
    }
done:
    if (!store)
        for (unsigned f = 0; f < nf; f++)
            tail_ones(&c, vreg_ptr(m, vd + f * regs), data_log2, data_eew);
    m->h.vstart = 0;
    return htif ? RV_V_HTIF : 0;
}

static int v_load(rv_machine *m, const rv_insn_t *e, uint64_t *tval) { return v_mem(m, e, tval, 0); }
static int v_store(rv_machine *m, const rv_insn_t *e, uint64_t *tval) { return v_mem(m, e, tval, 1); }

/* Whole-register loads/stores (vl<nf>re<eew>.v, vs<nf>r.v) and the mask loads/stores vlm.v/vsm.v:
   byte-granular copies of evl elements; whole-register ones ignore vtype and vl. */
static int v_mem_whole(rv_machine *m, const rv_insn_t *e, uint64_t *tval, int store, int mask)
{
    uint32_t raw = e->raw;
    unsigned nf = ((raw >> 29) & 7) + 1, eew = width_eew((raw >> 12) & 7);
    uint64_t evl;
    rv_vcfg c = {0};
    if (mask) {
        if (vcfg_load(m, &c))
            return V_ILLEGAL;
        evl = (c.vl + 7) / 8;
        eew = 1;
    } else {
        if ((nf & (nf - 1)) || (e->rd & (nf - 1)))
            return V_ILLEGAL;
        evl = nf * m->h.vlenb / eew;
    }
    uint64_t start = m->h.vstart, base = m->h.x[e->rs1];
    if (m->cfg.flags & RV_CFG_XLEN32)
        base = (uint32_t)base;
    uint8_t *reg = vreg_ptr(m, e->rd);
    int htif = 0;
    if (!store)
        vs_dirty(m);
    if (start < evl) {
        uint64_t a = base + start * eew, len = (evl - start) * eew;
        if (!store && block_ok(m, a, len, RV_PERM_R, RV_PERM_R, eew)) {
            RV_HIST_LOAD(m, a, len);
            memcpy(reg + start * eew, m->mem + (a - m->cfg.mem_base), len);
        } else if (store && block_ok(m, a, len, RV_PERM_W | RV_PAGE_CODE | RV_PAGE_WATCH, RV_PERM_W, eew)) {
            RV_HIST_STORE(m, a, len);
            memcpy(m->mem + (a - m->cfg.mem_base), reg + start * eew, len);
        } else {
            for (uint64_t i = start; i < evl; i++) {
                int cause = store ? elem_store(m, base + i * eew, eew, reg + i * eew, tval, &htif)
                                  : elem_load(m, base + i * eew, eew, reg + i * eew, tval);
                if (cause) {
                    m->h.vstart = i;
                    return cause;
                }
            }
        }
        if (mask && !store && c.ones) {
            /* vlm.v: the tail is agnostic */
            memset(reg + evl, 0xff, c.vlenb - evl);
        }
    }
    m->h.vstart = 0;
    return htif ? RV_V_HTIF : 0;
}

static int v_load_whole(rv_machine *m, const rv_insn_t *e, uint64_t *tval) { return v_mem_whole(m, e, tval, 0, 0); }
static int v_store_whole(rv_machine *m, const rv_insn_t *e, uint64_t *tval) { return v_mem_whole(m, e, tval, 1, 0); }
static int v_load_mask(rv_machine *m, const rv_insn_t *e, uint64_t *tval) { return v_mem_whole(m, e, tval, 0, 1); }
static int v_store_mask(rv_machine *m, const rv_insn_t *e, uint64_t *tval) { return v_mem_whole(m, e, tval, 1, 1); }

void rv_v_register_mem(rv_v_handler *t)
{
    t[RV_OP_VSETVLI] = v_vsetvli;
    t[RV_OP_VSETIVLI] = v_vsetivli;
    t[RV_OP_VSETVL] = v_vsetvl;
#define LS(name, fn) t[RV_OP_##name] = fn;
#define LS_EEW(eew) \
    LS(VLE##eew##_V, v_load) LS(VSE##eew##_V, v_store) LS(VLE##eew##FF_V, v_load) \
    LS(VLSE##eew##_V, v_load) LS(VSSE##eew##_V, v_store) \
    LS(VLUXEI##eew##_V, v_load) LS(VSUXEI##eew##_V, v_store) LS(VLOXEI##eew##_V, v_load) LS(VSOXEI##eew##_V, v_store) \
    LS_SEG(eew, 2) LS_SEG(eew, 3) LS_SEG(eew, 4) LS_SEG(eew, 5) LS_SEG(eew, 6) LS_SEG(eew, 7) LS_SEG(eew, 8) \
    LS(VL1RE##eew##_V, v_load_whole) LS(VL2RE##eew##_V, v_load_whole) LS(VL4RE##eew##_V, v_load_whole) \
    LS(VL8RE##eew##_V, v_load_whole)
#define LS_SEG(eew, nf) \
    LS(VLSEG##nf##E##eew##_V, v_load) LS(VSSEG##nf##E##eew##_V, v_store) LS(VLSEG##nf##E##eew##FF_V, v_load) \
    LS(VLSSEG##nf##E##eew##_V, v_load) LS(VSSSEG##nf##E##eew##_V, v_store) \
    LS(VLUXSEG##nf##EI##eew##_V, v_load) LS(VSUXSEG##nf##EI##eew##_V, v_store) \
    LS(VLOXSEG##nf##EI##eew##_V, v_load) LS(VSOXSEG##nf##EI##eew##_V, v_store)
    LS_EEW(8) LS_EEW(16) LS_EEW(32) LS_EEW(64)
    LS(VS1R_V, v_store_whole) LS(VS2R_V, v_store_whole) LS(VS4R_V, v_store_whole) LS(VS8R_V, v_store_whole)
    LS(VLM_V, v_load_mask) LS(VSM_V, v_store_mask)
#undef LS
#undef LS_EEW
#undef LS_SEG
}
