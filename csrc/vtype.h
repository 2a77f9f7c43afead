/* The vector configuration state (vtype, vl, mtype) decoded in one place: the semantics (vector*.c)
 * and the cycle model (timing_vector.c, timing_ml.c) both read the fields through these, so the two
 * cannot disagree on an encoding, and the cycle model does not depend on the vector unit's internals.
 */
#ifndef RVSIM_VTYPE_H
#define RVSIM_VTYPE_H

#include "core.h"

/* The vtype/vl state an instruction runs under, decoded once per instruction. */
typedef struct rv_vcfg {
    unsigned sew;           /* element width in bits: 8..64 */
    unsigned sew_bytes;
    int lmul_log2;          /* -3..3 */
    uint64_t vl, vstart;
    uint64_t vlmax;         /* LMUL * VLEN / SEW */
    uint64_t vlenb;
    int vta, vma;           /* agnostic policies in vtype */
    int ones;               /* the machine writes all ones to agnostic elements (RV_CFG_VECTOR_AGNOSTIC_ONES) */
} rv_vcfg;

/* Zvt mtype fields (draft 0.4): mtwiden[1:0], tk[7:5], tm[23:10]; TWIDEN = 1 << (mtwiden - 1).  The
   semantics (vector_ml.c) and the cycle model (timing_ml.c) both read mtype through these. */
#define MT_TWIDEN_CODE(mt) ((unsigned)(mt) & 3)
#define MT_TK(mt) (((mt) >> 5) & 7)
#define MT_TM(mt) (((mt) >> 10) & 0x3fff)
#define VTYPE_ALTFMT(vt) (((vt) >> 8) & 1)

/* Fill the vtype-derived configuration; returns 0, or CAUSE_ILLEGAL_INSTRUCTION (V_ILLEGAL) when vill is
   set. */
static inline int vcfg_load(const rv_machine *m, rv_vcfg *c)
{
    const rv_hart_state *h = &m->h;
    if (unlikely(h->vtype >> 63))
        return CAUSE_ILLEGAL_INSTRUCTION;
    unsigned vsew = (h->vtype >> 3) & 7, vlmul = h->vtype & 7;
    c->sew = 8u << vsew;
    c->sew_bytes = 1u << vsew;
    c->lmul_log2 = vlmul < 4 ? (int)vlmul : (int)vlmul - 8;
    c->vl = h->vl;
    c->vstart = h->vstart;
    c->vlenb = h->vlenb;
    int sh = 3 + c->lmul_log2 - 3 - (int)vsew;     /* VLMAX = VLENB*8 * LMUL / SEW */
    c->vlmax = sh >= 0 ? (h->vlenb << sh) : (h->vlenb >> -sh);
    c->vta = (h->vtype >> 6) & 1;
    c->vma = (h->vtype >> 7) & 1;
    c->ones = (m->cfg.flags & RV_CFG_VECTOR_AGNOSTIC_ONES) != 0;
    return 0;
}

#endif
