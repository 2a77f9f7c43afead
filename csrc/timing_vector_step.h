/* The vector unit's part of the step (docs/timing.md section 4): when a vector instruction starts, how
 * long it holds its pipe, when its results are ready.  Inline in the step (timing.c), which runs it on
 * every vector instruction; the decoding of an instruction's cost and the rest of the unit are in
 * timing_vector.c.
 */
#ifndef RVSIM_TIMING_VECTOR_STEP_H
#define RVSIM_TIMING_VECTOR_STEP_H

#include "timing_internal.h"

/* When may a consumer start, given the producer state g of one of its source registers (chaining rules,
   section 4.3; quarter cycles)?  The state holds the answer, worked out when the producer started
   (vgroup_write): the earliest start, and the earliest end of the consumer's last element group, which
   stretches a consumer that would otherwise overtake its producer (0 without chaining: the consumer
   waits for the whole result).  A consumer that accumulates into vd (acc, from the memo) with a producer
   of its own class takes the acc_latency forms. */
static inline __attribute__((always_inline)) void
vgroup_wait(const rv_vgroup_state *g, unsigned acc, unsigned cls, uint64_t *s, unsigned *why,
            uint64_t *finish)
{
    int fwd = acc && g->cls == cls;
    uint64_t ready = fwd ? g->acc_ready : g->ready;
    uint64_t fin = fwd ? g->acc_finish : g->finish;
    *finish = MAX64(*finish, fin);
    if (ready > *s) {
        *s = ready;
        *why = g->cls == RV_TC_VLOAD ? RV_VWAIT_MEMORY : RV_VWAIT_CHAIN;
    }
}

/* The producer of registers [d, d + n) started at s: its results' first group is ready at s + lat and,
   with occupancy o, the last at s + max(o, 1) - 1 + lat (quarter cycles).  Its state is kept once, at
   the group's first register; a run of registers that had their head inside the group and go on after it
   is given its own head (a copy of the old state) first. */
static inline __attribute__((always_inline)) void
vgroup_write(rv_timing *T, unsigned d, unsigned n, unsigned cls, uint64_t s, uint64_t o, uint64_t lat)
{
    const rv_timing_params *P = &T->p;
    uint8_t *head = T->vhead;
    unsigned after = d + n;
    if (after < 32 && head[after] != after) {
        unsigned old = head[after];
        T->vstate[after] = T->vstate[old];
        for (unsigned r = after; r < 32 && head[r] == old; r++)
            head[r] = (uint8_t)after;
    }
    uint64_t po = o > Q ? o : Q;
    uint64_t first = s + lat, last = s + po - Q + lat;
    uint64_t acc = (uint64_t)P->v_acc_latency * Q;
    uint64_t acc_first = s + acc, acc_last = s + po - Q + acc;
    rv_vgroup_state *g = &T->vstate[d];
    g->cls = (uint8_t)cls;
    if (P->v_chaining) {
        g->ready = first;
        g->finish = last + Q;
        g->acc_ready = acc_first;
        g->acc_finish = acc_last + Q;
    } else {
        g->ready = last;
        g->finish = 0;
        g->acc_ready = acc_last;
        g->acc_finish = 0;
    }
    uint64_t pattern = 0x0101010101010101ull * d;       /* d in every byte */
    switch (n) {
    case 1: head[d] = (uint8_t)d; break;
    case 2: memcpy(head + d, &pattern, 2); break;
    case 4: memcpy(head + d, &pattern, 4); break;
    case 8: memcpy(head + d, &pattern, 8); break;
    default:
        for (unsigned i = 0; i < n; i++)
            head[d + i] = (uint8_t)d;
    }
}

/* The decoded cost of vector instruction e at pc for the current vtype / vl / mtype: its memo entry,
   decoded again when the entry holds another instruction or state.  (The cost depends on the encoding
   and that state only, not on the address: the address just spreads the instructions over the entries.) */
static inline __attribute__((always_inline)) const rv_vmemo *
tm_vector_memo(rv_timing *T, const rv_insn_t *e, uint64_t pc)
{
    const rv_hart_state *h = &T->m->h;
    rv_vmemo *d = &T->vmemo[(pc >> 1) & (RV_VMEMO_SIZE - 1)];
    uint64_t vtype = h->vtype, vl_now = (vtype >> 63) ? 0 : h->vl;
    /* (one test for the four: the entry is nearly always right) */
    if (unlikely(((d->raw ^ e->raw) | (d->vtype ^ vtype) | (d->vl ^ vl_now) | (d->mtype ^ h->mtype)) != 0)) {
        tm_vector_decode(T, T->m, e, &rv_op_timing[e->exec_op], d);
        d->raw = e->raw;
        d->vtype = h->vtype;
        d->mtype = h->mtype;
    }
    return d;
}

/* Time one vector instruction that issued (left the scalar pipeline) at cycle t, whose decoded cost is
   d (tm_vector_memo's, or the one a timed block resolved when it was compiled): when it starts, how
   long it holds its pipe, when its results are ready; returns when its result is ready for a scalar
   consumer: for an instruction with a scalar result, when that result reaches the scalar register
   file, else its completion cycle.  (NLIST, MEM: d->nlist and whether d->mem is set when the caller
   knows them at compile time, else -1: a block's copies, unrolled) */
static inline __attribute__((always_inline)) uint64_t
tm_vector_step(rv_timing *T, const rv_insn_t *e, const rv_vmemo *d, uint64_t t, uint64_t rs1v,
               uint64_t rs2v, const int NLIST, const int MEM)
{
    const rv_timing_params *P = &T->p;
    /* the memo's facts, read once: the model's stores below could alias the entry (no strict
       aliasing), which would make the compiler read them again, or keep the entry's address, after
       every store */
    const unsigned cls = d->cls, pk = d->pk, npipes = d->npipes, ndest = d->ndest,
                   nlist = NLIST >= 0 ? (unsigned)NLIST : d->nlist, mem = MEM >= 0 ? (unsigned)MEM : d->mem,
                   scalar_result = d->scalar_result;
    const uint64_t work = d->o, velements = d->vl, vflops = d->flops, vint_ops = d->int_ops;
    uint64_t o = work;

    /* start: in order (one per cycle), after the queue, on a free pipe, when the sources allow
       (section 4.3) */
    uint64_t arrive = (t + P->v_issue_latency) * Q, in_order = T->v_last_start + Q;
    uint64_t s = MAX64(arrive, in_order);
    uint64_t after_queue = s;
    /* what set s beyond in_order, if anything did (section 4.7) */
    unsigned why = arrive > in_order ? RV_VWAIT_SCALAR : RV_VWAIT_COUNT;
    uint64_t *pipe = T->vpipe_free[pk];
    unsigned best = 0;
    uint64_t pipe_at = pipe[0];
    for (unsigned k = 1; k < npipes; k++)
        if (pipe[k] < pipe_at) {
            best = k;
            pipe_at = pipe[k];
        }
    if (pipe_at > s) {
        s = pipe_at;
        why = RV_VWAIT_PIPE;
    }
    /* the source groups: each run of registers one instruction wrote is looked at once (a group that
       one instruction wrote whole, the common case, has the same head at both ends) */
    uint64_t finish = 0;
    const uint8_t *head = T->vhead;
    _Pragma("GCC unroll 5")     /* (a block's copies know nlist: no loop) */
    for (unsigned k = 0; k < nlist; k++) {
        unsigned r = d->list[k].reg, n = d->list[k].n, acc = d->list[k].acc;
        unsigned h = head[r];
        vgroup_wait(&T->vstate[h], acc, cls, &s, &why, &finish);
        if (unlikely(head[r + n - 1] != h)) {
            for (unsigned i = 1; i < n; i++) {
                if (head[r + i] == h)
                    continue;
                h = head[r + i];
                vgroup_wait(&T->vstate[h], acc, cls, &s, &why, &finish);
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
    if (finish > s + o)
        o = finish - s;

    /* memory (section 4.4): caches are looked up at whole cycles */
    uint64_t lat = (uint64_t)P->latency[cls] * Q;
    rv_vdata data = {0, 0};     /* cycles: the first and the last line's data */
    if (mem)
        data = tm_vector_memory(T, d, rs1v & T->addr_mask, rs2v, ceil_div(s, Q), P->latency[cls]);
    /* occupy the pipe */
    pipe[best] = s + o;
    T->t.v_busy[pk] += work;                /* quarter cycles until rv_timing_get_totals */
    T->t.v_wait_queue += s - after_queue;   /* likewise */
    T->v_last_start = s;
    uint64_t done = s + (o > Q ? o : Q) - Q + lat;
    /* The data may arrive later than the pipe would have produced it: the first element group is
       ready when the first line arrives, the last when the last line does.  (Stretching the result
       between the two, rather than adding the wait to the latency of every group, keeps a faster port
       from delaying the first group that chained consumers wait for.) */
    uint64_t first_ready = s + lat, occupancy = o;
    if (data.last * Q > done) {
        first_ready = MAX64(first_ready, data.first * Q);
        done = data.last * Q;
        occupancy = done - first_ready + Q;
        lat = first_ready - s;
    }
    /* destination registers */
    if (ndest)
        vgroup_write(T, e->rd, ndest, cls, s, occupancy, lat);
    uint64_t done_c = ceil_div(done, Q);
    /* work counters */
    T->t.v_instructions++;
    T->t.v_elements += velements;
    T->t.flops += vflops;
    T->t.int_ops += vint_ops;
    T->last_vstart = ceil_div(s, Q);
    return scalar_result ? done_c + P->v_to_scalar_latency : done_c;
}

#endif
