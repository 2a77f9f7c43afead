/* The cycle model's vector unit (docs/timing.md section 4): the queue between scalar issue and the
 * unit, in-order start, pipes by kind, occupancy from vtype/vl, chaining between producers and
 * consumers, and the work counters.  Its memory accesses go through timing_memory.c, the ML units'
 * occupancy through timing_ml.c.
 */
#include "timing_internal.h"
#include "vtype.h"

static inline uint32_t ceil_log2(uint64_t v)
{
    uint32_t n = 0;
    while ((1ull << n) < v) n++;
    return n;
}

/* Registers a vector operand spans: emul8 is EMUL in eighths, at least one register. */
static inline unsigned operand_regs(unsigned emul8) { return emul8 <= 8 ? 1 : emul8 / 8; }

/* Occupancy of a vector instruction in quarter cycles (section 4.2). */
static uint64_t vector_occupancy(rv_timing *T, const rv_insn_t *e, const rv_op_timing_t *ot, unsigned sew,
                                 unsigned lmul8, uint64_t vl, unsigned pk, uint64_t *mem_bytes,
                                 uint64_t *tile_flops)
{
    const rv_timing_params *P = &T->p;
    unsigned cls = ot->tclass, flags = ot->flags;
    uint64_t width = P->v_width[pk] ? P->v_width[pk] : 128;
    unsigned w = (flags & (RV_TF_WIDEN | RV_TF_WIDE_SRC)) ? 2 * sew : sew;   /* widest element */
    uint64_t cost = P->v_cost[cls] ? P->v_cost[cls] : 1;
    unsigned nf = ot->nf ? ot->nf : 1;
    uint64_t o;
    switch (cls) {
    case RV_TC_VLOAD: case RV_TC_VSTORE: {
        unsigned eew = ot->mem ? ot->mem : sew;
        uint64_t bytes;
        if (flags & RV_TF_INDEXED) eew = sew;
        if (flags & RV_TF_WHOLE) bytes = (uint64_t)nf * P->vlen / 8;
        else if (flags & RV_TF_MASK_MEM) bytes = (vl + 7) / 8;
        else bytes = vl * eew / 8 * nf;
        *mem_bytes = bytes;
        if ((flags & (RV_TF_STRIDED | RV_TF_INDEXED)) && !(flags & RV_TF_WHOLE))
            o = vl * nf * (P->v_strided_cycles ? P->v_strided_cycles : 1) * Q;
        else
            o = ceil_div(bytes * 8 * Q, width);         /* unit stride: bytes / width, to a quarter */
        break;
    }
    case RV_TC_VDIV: case RV_TC_VFDIV:
        o = ceil_div(vl * w, width) * cost * Q;
        break;
    case RV_TC_VGATHER: case RV_TC_VCOMPRESS: case RV_TC_VFREDO:
        o = vl * cost * Q;
        break;
    case RV_TC_VRED: case RV_TC_VFRED:
        o = ceil_div(vl * sew, width) * Q + ceil_log2(vl) * P->v_tree_step[cls];
        break;
    case RV_TC_VMASK:
        o = ceil_div(vl, width) * cost * Q;
        break;
    case RV_TC_VTOSCALAR: case RV_TC_VFROMSCALAR:
        o = Q;
        break;
    case RV_TC_VMVR:
        o = ceil_div((uint64_t)nf * P->vlen, width) * cost * Q;
        break;
    case RV_TC_VDOT: case RV_TC_VBF16MAC: case RV_TC_VTILE:
        o = tm_ml_occupancy(T, cls, vl, width, cost, tile_flops);
        break;
    default:
        o = ceil_div(vl * w, width) * cost * Q;
        if (cls == RV_TC_VMUL && sew == 64 && P->v_e64_mul_factor)
            o *= P->v_e64_mul_factor;
        break;
    }
    (void)lmul8;
    if ((flags & RV_TF_HAS_VM) && !e->aux[0] && P->v_masked_factor)
        o = ceil_div(o * P->v_masked_factor, 4);       /* the factor is in quarters */
    o += P->v_extra[cls];                               /* in quarters */
    return o ? o : Q;
}

/* What a vector instruction costs given its vtype and vl, worked out once and remembered per address
   (rv_vmemo): loops run the same instruction with the same vtype and vl over and over. */
void tm_vector_decode(rv_timing *T, const rv_machine *m, const rv_insn_t *e, const rv_op_timing_t *ot,
                      rv_vmemo *d)
{
    const rv_timing_params *P = &T->p;
    const rv_hart_state *h = &m->h;
    unsigned cls = ot->tclass, flags = ot->flags;
    rv_vcfg c;
    unsigned sew = 8, lmul8 = 8;        /* with vill set nothing runs: vl = 0 */
    uint64_t vl = 0;
    if (vcfg_load(m, &c) == 0) {
        sew = c.sew;
        lmul8 = c.lmul_log2 >= 0 ? 8u << c.lmul_log2 : 8u >> -c.lmul_log2;   /* LMUL in eighths */
        vl = c.vl;
    }
    unsigned pk = P->v_pipe_of[cls] < RV_VPIPE_COUNT ? P->v_pipe_of[cls] : RV_VPIPE_ARITH;
    unsigned nf = ot->nf ? ot->nf : 1;
    uint64_t mem_bytes = 0, tile_flops = 0;
    T->mtype_now = h->mtype;
    d->o = vector_occupancy(T, e, ot, sew, lmul8, vl, pk, &mem_bytes, &tile_flops);   /* quarter cycles */
    d->mem_bytes = mem_bytes;
    d->vl = vl;
    d->pk = (uint8_t)pk;
    unsigned npipes = P->v_pipes[pk] ? P->v_pipes[pk] : 1;
    d->npipes = (uint8_t)(npipes > RV_TIMING_MAX_PIPES ? RV_TIMING_MAX_PIPES : npipes);
    d->cls = (uint8_t)cls;
    int is_mem = cls == RV_TC_VLOAD || cls == RV_TC_VSTORE;
    d->mem = !is_mem || !vl ? 0 : !((flags & (RV_TF_STRIDED | RV_TF_INDEXED)) && !(flags & RV_TF_WHOLE)) ? 1
             : (flags & RV_TF_STRIDED) ? 2 : 3;
    d->write = cls == RV_TC_VSTORE;
    int tile_fp = cls == RV_TC_VTILE && (flags & RV_TF_FP);
    d->flops = (tile_fp ? tile_flops : 0) +
               (((flags & RV_TF_FP) && cls != RV_TC_VTILE) ? vl * ((flags & RV_TF_FLOP2) ? 2 : 1) : 0);
    /* integer operations: element operations of the integer arithmetic classes (a multiply-add 2, a
       4-way dot product 8 per 32-bit result), 2 tm tn tk for integer tiles (section 4.7) */
    d->int_ops = 0;
    if (cls == RV_TC_VTILE && !tile_fp)
        d->int_ops = tile_flops;
    else if (cls == RV_TC_VDOT)
        d->int_ops = vl * 8;
    else if (cls == RV_TC_VALU || cls == RV_TC_VMUL || cls == RV_TC_VDIV || cls == RV_TC_VRED)
        d->int_ops = vl * ((flags & RV_TF_READS_RD) && cls == RV_TC_VMUL ? 2 : 1);

    /* register groups each operand covers (EMUL in eighths) */
    unsigned dest_emul8 = lmul8, src_emul8 = lmul8;
    switch (cls) {
    case RV_TC_VLOAD: case RV_TC_VSTORE: {
        unsigned eew = ot->mem ? ot->mem : sew;
        if (flags & RV_TF_INDEXED) eew = sew;
        unsigned emul8 = (unsigned)((uint64_t)lmul8 * eew / sew);
        if (flags & RV_TF_WHOLE) { emul8 = 8 * nf; nf = 1; }
        else if (flags & RV_TF_MASK_MEM) emul8 = 8;
        dest_emul8 = src_emul8 = emul8 * nf;
        break;
    }
    case RV_TC_VRED: case RV_TC_VFRED:
        dest_emul8 = 8;
        break;
    case RV_TC_VMASK: case RV_TC_VTOSCALAR: case RV_TC_VFROMSCALAR:
        dest_emul8 = src_emul8 = 8;
        break;
    case RV_TC_VMVR:
        dest_emul8 = src_emul8 = 8 * nf;
        break;
    default:
        break;
    }
    if (flags & RV_TF_WIDEN) dest_emul8 = 2 * lmul8;
    if (flags & RV_TF_WIDE_SRC) src_emul8 = 2 * lmul8;
    if (flags & RV_TF_MASK_DEST) dest_emul8 = 8;
    /* source register groups, in slot order (slot 0 only when the instruction accumulates into vd),
       then v0 when masked */
    unsigned acc = (flags & RV_TF_READS_RD) != 0;
    /* vd accumulated by a multiply-add class: a producer of the same class forwards its result after
       acc_latency (section 4.3) */
    unsigned acc_fwd = P->v_acc_latency && (cls == RV_TC_VMUL || cls == RV_TC_VFMA || cls == RV_TC_VDOT ||
                                            cls == RV_TC_VBF16MAC || cls == RV_TC_VTILE);
    const uint8_t regs[4] = {e->rd, e->rs1, e->rs2, e->rs3};
    d->nlist = 0;
    for (int slot = 0; slot < 4; slot++) {
        if (ot->slot[slot] != RV_SLOT_V)
            continue;
        int is_dest = slot == 0 && !(flags & RV_TF_RD_IS_SOURCE);
        if (is_dest && !acc)
            continue;
        unsigned n = operand_regs(slot == 0 ? dest_emul8 : (slot == 2 ? src_emul8 : lmul8));
        if (cls == RV_TC_VRED || cls == RV_TC_VFRED || cls == RV_TC_VFREDO)
            n = slot == 2 ? operand_regs(src_emul8) : 1;
        if (regs[slot] + n > 32) n = 32 - regs[slot];
        if (n == 0)
            continue;
        d->list[d->nlist].reg = regs[slot];
        d->list[d->nlist].n = (uint8_t)n;
        d->list[d->nlist].acc = (uint8_t)(is_dest && acc_fwd);
        d->nlist++;
    }
    if ((flags & RV_TF_HAS_VM) && !e->aux[0]) {
        d->list[d->nlist].reg = 0;
        d->list[d->nlist].n = 1;
        d->list[d->nlist].acc = 0;
        d->nlist++;
    }
    d->ndest = 0;
    if (ot->slot[0] == RV_SLOT_V && !(flags & RV_TF_RD_IS_SOURCE)) {
        unsigned n = operand_regs(dest_emul8);
        if (e->rd + n > 32) n = 32 - e->rd;
        d->ndest = (uint8_t)n;
    }
    d->scalar_result = (flags & RV_TF_SCALAR_RESULT) != 0;
}

/* Nothing in flight in the vector unit, nothing remembered. */
void tm_vector_clear(rv_timing *T)
{
    memset(T->vpipe_free, 0, sizeof T->vpipe_free);
    memset(T->vstate, 0, sizeof T->vstate);
    for (unsigned r = 0; r < 32; r++)
        T->vhead[r] = (uint8_t)r;
    memset(T->vq, 0, sizeof T->vq);
    memset(T->vq_cause, RV_VWAIT_COUNT, sizeof T->vq_cause);
    T->v_last_cause = RV_VWAIT_COUNT;
    for (unsigned i = 0; i < RV_VMEMO_SIZE; i++)
        T->vmemo[i].raw = 0;        /* nothing remembered */
    T->v_last_start = 0;
    T->last_vstart = 0;
}
