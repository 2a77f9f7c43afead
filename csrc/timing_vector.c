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

static inline int is_macc_class(unsigned cls)
{
    return cls == RV_TC_VMUL || cls == RV_TC_VFMA || cls == RV_TC_VDOT || cls == RV_TC_VBF16MAC ||
           cls == RV_TC_VTILE;
}

/* When may a consumer start, given the producer of register r (chaining rules, section 4.3; all in
   quarter cycles)?  Returns the earliest start; *finish gets the earliest cycle the consumer may finish
   its last element group (one group after the producer's last), which stretches a consumer that would
   otherwise overtake its producer.  Without chaining the consumer waits for the whole result. */
static inline uint64_t vreg_ready_for(rv_timing *T, unsigned r, int accumulate, unsigned cls,
                                      uint64_t *finish)
{
    const rv_vreg_state *p = &T->vreg[r];
    if (!p->valid)
        return 0;
    uint64_t lat = p->latency;
    if (accumulate && T->p.v_acc_latency && p->cls == cls && is_macc_class(cls))
        lat = (uint64_t)T->p.v_acc_latency * Q;
    uint64_t po = p->occupancy > Q ? p->occupancy : Q;
    uint64_t first = p->start + lat, last = p->start + po - Q + lat;
    if (!T->p.v_chaining)
        return last;
    *finish = MAX64(*finish, last + Q);
    return first;
}

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
static void vector_decode(rv_timing *T, const rv_machine *m, const rv_insn_t *e, const rv_op_timing_t *ot,
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
        d->list[d->nlist].dest = (uint8_t)is_dest;
        d->nlist++;
    }
    if ((flags & RV_TF_HAS_VM) && !e->aux[0]) {
        d->list[d->nlist].reg = 0;
        d->list[d->nlist].n = 1;
        d->list[d->nlist].dest = 0;
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

/* Time one vector instruction that issued (left the scalar pipeline) at cycle t: when it starts, how
   long it holds its pipe, when its results are ready; returns the completion cycle and, for an
   instruction with a scalar result, when that result reaches the scalar register file. */
uint64_t tm_vector_step(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t t, uint64_t rs1v,
                        uint64_t rs2v, uint64_t *scalar_ready)
{
    const rv_machine *m = T->m;
    const rv_timing_params *P = &T->p;
    const rv_hart_state *h = &m->h;
    /* the decoded cost, remembered per address with the state it depends on */
    rv_vmemo *d = &T->vmemo[(pc >> 1) & (RV_VMEMO_SIZE - 1)];
    uint64_t vl_now = (h->vtype >> 63) ? 0 : h->vl;
    if (unlikely(d->pc != pc || d->raw != e->raw || d->vtype != h->vtype || d->vl != vl_now ||
                 d->mtype != h->mtype)) {
        vector_decode(T, m, e, &rv_op_timing[e->exec_op], d);
        d->pc = pc;
        d->raw = e->raw;
        d->vtype = h->vtype;
        d->mtype = h->mtype;
    }
    unsigned cls = d->cls, pk = d->pk;
    uint64_t o = d->o;

    /* start: in order (one per cycle), after the queue, on a free pipe, when the sources allow
       (section 4.3) */
    uint64_t arrive = (t + P->v_issue_latency) * Q, in_order = T->v_last_start + Q;
    uint64_t s = MAX64(arrive, in_order);
    uint64_t after_queue = s;
    /* what set s beyond in_order, if anything did (section 4.7) */
    unsigned why = arrive > in_order ? RV_VWAIT_SCALAR : RV_VWAIT_COUNT;
    unsigned npipes = P->v_pipes[pk] ? P->v_pipes[pk] : 1;
    if (npipes > RV_TIMING_MAX_PIPES) npipes = RV_TIMING_MAX_PIPES;
    unsigned best = 0;
    for (unsigned k = 1; k < npipes; k++)
        if (T->vpipe_free[pk][k] < T->vpipe_free[pk][best])
            best = k;
    if (T->vpipe_free[pk][best] > s) {
        s = T->vpipe_free[pk][best];
        why = RV_VWAIT_PIPE;
    }
    uint64_t finish = 0;
    for (unsigned k = 0; k < d->nlist; k++) {
        unsigned r = d->list[k].reg, is_dest = d->list[k].dest;
        uint64_t seen = ~0ull;
        for (unsigned i = 0; i < d->list[k].n; i++) {
            /* a register written by the same instruction as the one before it in the group has the
               same state, so the same answer (and the same effect on finish): looked at once */
            uint64_t w = T->vreg[r + i].writer;
            if (w == seen)
                continue;
            seen = w;
            uint64_t ready = vreg_ready_for(T, r + i, is_dest, cls, &finish);
            if (ready > s) {
                s = ready;
                why = T->vreg[r + i].cls == RV_TC_VLOAD ? RV_VWAIT_MEMORY : RV_VWAIT_CHAIN;
            }
        }
    }
    /* the vector unit's start timeline: each start comes at least one cycle after the previous one;
       the rest of the gap is charged to the constraint that set it (4.7).  The newest cause stays the
       reason for a full queue until another one takes over. */
    if (why < RV_VWAIT_COUNT) {
        if (T->t.v_instructions)
            T->t.v_wait[why] += s - in_order;
        T->v_last_cause = (uint8_t)why;
    }
    /* A chained consumer starts with its producer's first element group and, when it is faster than
       its producer, runs at the producer's pace: it holds its pipe until one group after the producer's
       last (rather than starting late so as to end then, which would hold up the in-order start of
       everything behind it: a faster unit must never make a program slower). */
    uint64_t work = o;
    if (finish > s + o)
        o = finish - s;

    /* memory (section 4.4): caches are looked up at whole cycles */
    uint64_t lat = (uint64_t)P->latency[cls] * Q;
    uint64_t data_first = 0, data_last = 0;     /* cycles: the first and the last line's data */
    if (d->mem)
        tm_vector_memory(T, d, rs1v & T->addr_mask, rs2v, ceil_div(s, Q), P->latency[cls], &data_first, &data_last);
    /* occupy the pipe */
    T->vpipe_free[pk][best] = s + o;
    T->t.v_busy[pk] += work;                /* quarter cycles until rv_timing_get_totals */
    T->t.v_wait_queue += s - after_queue;   /* likewise */
    T->v_last_start = s;
    uint64_t done = s + (o > Q ? o : Q) - Q + lat;
    /* The data may arrive later than the pipe would have produced it: the first element group is
       ready when the first line arrives, the last when the last line does.  (Stretching the result
       between the two, rather than adding the wait to the latency of every group, keeps a faster port
       from delaying the first group that chained consumers wait for.) */
    uint64_t first_ready = s + lat, occupancy = o;
    if (data_last * Q > done) {
        first_ready = MAX64(first_ready, data_first * Q);
        done = data_last * Q;
        occupancy = done - first_ready + Q;
        lat = first_ready - s;
    }
    /* destination registers */
    uint64_t writer = d->ndest ? ++T->v_writer : 0;
    for (unsigned i = 0; i < d->ndest; i++) {
        rv_vreg_state *v = &T->vreg[e->rd + i];
        v->writer = writer;
        v->valid = 1;
        v->start = s;
        v->occupancy = occupancy;
        v->latency = lat;
        v->cls = (uint8_t)cls;
    }
    uint64_t done_c = ceil_div(done, Q);
    if (d->scalar_result)
        *scalar_ready = done_c + P->v_to_scalar_latency;
    /* work counters */
    T->t.v_instructions++;
    T->t.v_elements += d->vl;
    T->t.flops += d->flops;
    T->t.int_ops += d->int_ops;
    T->last_vstart = ceil_div(s, Q);
    return done_c;
}

/* Nothing in flight in the vector unit, nothing remembered. */
void tm_vector_clear(rv_timing *T)
{
    memset(T->vpipe_free, 0, sizeof T->vpipe_free);
    memset(T->vreg, 0, sizeof T->vreg);
    T->v_writer = 0;
    memset(T->vq, 0, sizeof T->vq);
    memset(T->vq_cause, RV_VWAIT_COUNT, sizeof T->vq_cause);
    T->v_last_cause = RV_VWAIT_COUNT;
    for (unsigned i = 0; i < RV_VMEMO_SIZE; i++)
        T->vmemo[i].pc = ~0ull;     /* nothing remembered */
    T->v_last_start = 0;
    T->last_vstart = 0;
}
