/* The vector unit's part of the step (docs/timing.md section 4): when a vector instruction starts, how
 * long it holds its pipe, when its results are ready.  Inline in the step (timing.c), which runs it on
 * every vector instruction; the decoding of an instruction's cost and the rest of the unit are in
 * timing_vector.c.
 */
#ifndef RVSIM_TIMING_VECTOR_STEP_H
#define RVSIM_TIMING_VECTOR_STEP_H

#include "timing_internal.h"

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

/* Time one vector instruction that issued (left the scalar pipeline) at cycle t: when it starts, how
   long it holds its pipe, when its results are ready; returns the completion cycle and, for an
   instruction with a scalar result, when that result reaches the scalar register file. */
static inline __attribute__((always_inline)) uint64_t
tm_vector_step(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t t, uint64_t rs1v, uint64_t rs2v,
               uint64_t *scalar_ready)
{
    const rv_machine *m = T->m;
    const rv_timing_params *P = &T->p;
    const rv_hart_state *h = &m->h;
    /* the decoded cost, remembered per address with the state it depends on */
    rv_vmemo *d = &T->vmemo[(pc >> 1) & (RV_VMEMO_SIZE - 1)];
    uint64_t vl_now = (h->vtype >> 63) ? 0 : h->vl;
    if (unlikely(d->pc != pc || d->raw != e->raw || d->vtype != h->vtype || d->vl != vl_now ||
                 d->mtype != h->mtype)) {
        tm_vector_decode(T, m, e, &rv_op_timing[e->exec_op], d);
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
    if (d->ndest) {
        /* every register of the group gets the same state: built once, copied whole */
        rv_vreg_state st = { .start = s, .occupancy = occupancy, .latency = lat, .writer = ++T->v_writer,
                             .cls = (uint8_t)cls, .valid = 1 };
        rv_vreg_state *v = &T->vreg[e->rd];
        for (unsigned i = 0; i < d->ndest; i++)
            v[i] = st;
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

#endif
