/* The cycle model's ML units (docs/timing.md section 4.2): the int8 dot-product datapath, the bf16
 * widening multiply-accumulate datapath and the Zvt tile array.  They run in the vector unit's arith
 * pipe (timing_vector.c); what differs is how much work one cycle does.
 */
#include "timing_internal.h"
#include "vtype.h"

/* Occupancy in quarter cycles of one ML instruction at vl elements (width: the arith pipe's bits per
   cycle; cost: the class's multiplier). */
uint64_t tm_ml_occupancy(rv_timing *T, unsigned cls, uint64_t vl, uint64_t width, uint64_t cost,
                         uint64_t *tile_flops)
{
    const rv_timing_params *P = &T->p;
    switch (cls) {
    case RV_TC_VDOT:        /* 32-bit accumulators, each fed by four int8 products */
        return ceil_div(vl * 32, P->dot_width ? P->dot_width : width) * cost * Q;
    case RV_TC_VBF16MAC:    /* fp32 accumulators, one bf16 product each */
        return ceil_div(vl * 32, P->bf16_width ? P->bf16_width : width) * cost * Q;
    case RV_TC_VTILE: {
        /* tm x tn x tk multiply-accumulates on a TE x TE array: tm and tk from mtype, tn = vl, all at
           most the machine's TE */
        uint64_t te = P->tile_te ? P->tile_te : T->machine_te;
        uint64_t ete = T->machine_te ? T->machine_te : te;
        uint64_t mtype = T->mtype_now;
        uint64_t tm = MT_TM(mtype), tk = MT_TK(mtype);
        uint64_t tn = vl;
        if (tm > ete) tm = ete;
        if (tn > ete) tn = ete;
        if (te == 0) te = 4;
        *tile_flops = 2 * tm * tn * tk;
        return ceil_div(tm * tn * tk, te * te) * cost * Q;
    }
    default:
        return ceil_div(vl * 32, width) * cost * Q;
    }
}
