/* The cycle model's step and its management (formulas and their rationale: docs/timing.md; section
 * numbers below refer to it; the components are in timing_*.c, listed in timing_internal.h).
 *
 * run_timed calls the step (T->step[opcode], one compiled copy per kind of instruction) once per
 * retired instruction, after it has executed, with its decoded entry, its pc, the values its rs1/rs2
 * slots held before it executed (for addresses, strides and divide operands) and whether it transferred
 * control.  The model decides the cycle the
 * instruction issues in and when its results are ready; it never influences what the program computes.
 */
#include <stdlib.h>
#include "timing_internal.h"
#include "timing_vector_step.h"
#include "timing_block.h"

/* ------------------------------------------------------------------ per-pc statistics (section 2.4) */

static rv_pc_page *pc_page(rv_timing *T, uint64_t pg)
{
    if (pg >= T->npages)
        return NULL;
    rv_pc_page *page = T->pcpage[pg];
    if (unlikely(!page)) {
        page = calloc(1, sizeof *page);
        T->pcpage[pg] = page;
    }
    return page;
}

/* The counters of the instruction at pc (the page of the previous instruction is remembered). */
static inline uint64_t *pc_rec(rv_timing *T, uint64_t pc)
{
    uint64_t off = pc - T->mem_base, pg = off >> RV_PAGE_BITS;
    if (unlikely(pg != T->pc_cur_index)) {      /* ~0 while there is no pc_cur */
        rv_pc_page *page = pc_page(T, pg);
        if (!page)
            return T->stray;
        T->pc_cur = page;
        T->pc_cur_index = pg;
    }
    return T->pc_cur->rec[(off & (RV_PAGE_SIZE - 1)) >> 1];
}

/* ------------------------------------------------------------------ the step (section 2) */

/* A fetch stall after a branch or jump is charged to that branch (the instruction that waited did
   nothing wrong): its stall cycles, and as many of the issue cycles as the stall accounts for. */
static __attribute__((noinline)) uint64_t charge_fetch_stall(rv_timing *T, uint64_t *rec, unsigned cause,
                                                             uint64_t stall, uint64_t charged)
{
    uint64_t moved = stall < charged ? stall : charged;
    rec[cause] -= stall;
    uint64_t *blamed = T->fetch_rec ? T->fetch_rec : pc_rec(T, T->fetch_pc);
    blamed[RV_PC_CYCLES] += moved;
    blamed[cause] += stall;
    return charged - moved;     /* what stays with the instruction that waited */
}

/* The step, written once and compiled once per kind of instruction (KIND a constant, GENERAL = 0 for
   instructions that need none of the rare work of rv_top.special), so that each compiled copy holds
   only what its instructions need.  The copies are also specialised on the op's unit count (UNITS: 1
   or 2 instances, 0 any number), and plain ops on whether they read rs2 (RS2 = 0: the op has none, its
   slot would read an always-ready entry) and check WAW (WAW = 0: rv_top.waw is 0), so that the common
   instructions skip work whose outcome is known when the model is enabled. */
/* Take constraint `when` if it is later than t (the first constraint to set t names the cause).
   Written as selects rather than branches: whether an instruction stalls is data, not a pattern. */
#define CONSTRAIN(when, why) do { uint64_t w_ = (when); unsigned y_ = (why); int later_ = w_ > t; \
        cause = later_ ? y_ : cause; t = later_ ? w_ : t; } while (0)

/* Instruction fetch: one L1I lookup per new line, at the cycle *t the instruction could issue by
   bandwidth and the fetch stall before it; a miss delays fetch, and with it *t (cause: the I-cache). */
static inline __attribute__((always_inline)) void fetch_line(rv_timing *T, uint64_t pc, uint64_t *tp,
                                                             unsigned *causep)
{
    uint64_t fline = pc >> T->l1i.line_bits;
    if (unlikely(fline != T->last_fetch_line)) {
        T->last_fetch_line = fline;
        uint64_t t = *tp, extra = tm_fetch_line_fast(T, pc, t);
        if (extra) {
            T->fetch_ready = t + extra;
            T->fetch_cause = RV_STALL_ICACHE;
            *tp = t + extra;
            *causep = RV_STALL_ICACHE;
        }
    }
}

/* The results of a jump (jal, jalr) retired at t: taken, the fetch it redirects, its prediction. */
static inline __attribute__((always_inline)) void jump_retired(rv_timing *T, const rv_insn_t *e, uint64_t pc,
                                                               uint64_t rs1v, uint64_t t, const unsigned KIND)
{
    const rv_timing_params *P = &T->p;
    T->t.taken++;
    T->fetch_pc = pc;
    if (KIND == RV_K_JAL) {
        T->fetch_ready = t + 1 + P->taken_penalty;
        T->fetch_cause = RV_STALL_TAKEN;
        if ((e->rd == 1 || e->rd == 5) && P->ras_entries)
            tm_ras_push(T, pc + e->len);
    } else if (tm_predict_jalr(T, e, pc, rs1v)) {
        T->fetch_ready = t + 1 + P->taken_penalty;
        T->fetch_cause = RV_STALL_TAKEN;
    } else {
        T->t.mispredicts++;
        T->fetch_ready = t + 1 + P->mispredict_penalty;
        T->fetch_cause = RV_STALL_MISPREDICT;
    }
}

/* A vector instruction was timed (T->t.v_instructions counts it): its start is when it leaves the queue,
   with the reason it started late */
static inline __attribute__((always_inline)) void vector_queue_exit(rv_timing *T)
{
    T->vq[(T->t.v_instructions - 1) % RV_VQUEUE_MAX] = T->last_vstart;
    T->vq_cause[(T->t.v_instructions - 1) % RV_VQUEUE_MAX] = T->v_last_cause;
}

/* (BLOCK: the copy a timed block calls (timing_block.h): taken_in holds its flags, brec is the
   instruction's per-address record; vcost: a vector instruction's decoded cost when the block resolved
   it, NULL to look it up) */
static inline __attribute__((always_inline)) void
step_body(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, uint64_t rs2v,
          int taken_in, const unsigned KIND, const int GENERAL, const unsigned UNITS, const int RS2,
          const int WAW, const int BLOCK, uint64_t *brec, const rv_vmemo *vcost)
{
    const int taken = BLOCK ? (taken_in & RV_BSTEP_TAKEN) : taken_in;
    const rv_timing_params *P = &T->p;
    const rv_top *const op = &T->op[e->exec_op];
    /* the op's record read once: the stores below could alias it (no strict aliasing), which would
       make the compiler read each field again after every store */
    const unsigned op_src1 = op->src[1], op_src2 = op->src[2], op_dst = op->dst, op_unit = op->unit;
    /* (the store and vector copies keep the occupancy and result cause read up front; the others read them where
       used, which spares the registers the compiler would spill them to) */
    const unsigned op_occ_early = (!GENERAL && (KIND == RV_K_STORE || KIND == RV_K_VECTOR)) ? op->occ : 0;
    const unsigned op_rcause_early = (!GENERAL && (KIND == RV_K_STORE || KIND == RV_K_VECTOR)) ? op->rcause : 0;
    uint64_t *const rr = T->reg_ready;
    /* earliest cycle by issue bandwidth */
    uint64_t base = T->cycle + (T->slots >= P->issue_width);
    uint64_t t = base;
    unsigned cause = NO_CAUSE;
    unsigned vq_head = 0;           /* the queue slot whose start bounds a vector instruction's issue */
    CONSTRAIN(T->fetch_ready, T->fetch_cause);
    /* instruction fetch: one L1I lookup per new line */
    /* (a block knows when the instruction retired just before this one, by its step, set the line) */
    if (!(BLOCK && (taken_in & RV_BSTEP_SAME_LINE)))
        fetch_line(T, pc, &t, &cause);
    const uint64_t fetch = t;
    /* scalar sources (RAW), in the order rs1, rs2, rs3, rd.  An absent source reads an entry that is
       never written. */
    /* (a kind known at compile time skips the operands none of its instructions has: jal has no
       register source, loads no rs2, only FP and vector instructions an rs3) */
    if (GENERAL || KIND != RV_K_JAL) {
        unsigned i1 = op_src1 + (e->rs1 & 31u);
        CONSTRAIN(rr[i1], T->reg_cause[i1]);
    }
    if (GENERAL || (KIND != RV_K_JAL && KIND != RV_K_LOAD && RS2)) {
        unsigned i2 = op_src2 + (e->rs2 & 31u);
        CONSTRAIN(rr[i2], T->reg_cause[i2]);
    }
    if (GENERAL || KIND == RV_K_FP || (KIND == RV_K_VECTOR && RS2)) {   /* (RS2 = 0: neither) */
        unsigned i3 = op->src[3] + (e->rs3 & 31u);
        CONSTRAIN(rr[i3], T->reg_cause[i3]);
    }
    unsigned dreg = op_dst + e->rd;
    uint64_t lat = op->lat;
    if (GENERAL && unlikely(op->special & (RV_SP_RD_SOURCE | RV_SP_DIV))) {
        if (op->special & RV_SP_RD_SOURCE) {
            unsigned i0 = op->src[0] + e->rd;
            CONSTRAIN(rr[i0], T->reg_cause[i0]);
        }
        /* latency (section 2.1) */
        if (op->special & RV_SP_DIV)
            lat = tm_divide_latency(P, e, rs1v, rs2v);
    }
    /* WAW: the result must not arrive before an older write to the same register (x0 excepted) */
    /* (the plain copies with WAW are only used for ops that check it; the branch copies only for ops
       without a register result) */
    if ((GENERAL || (WAW && KIND != RV_K_BRANCH)) && (op->waw || (!GENERAL && KIND == RV_K_PLAIN)) &&
        dreg != RV_X_SINK)
        CONSTRAIN(rr[dreg] > lat ? rr[dreg] - lat : 0, RV_STALL_WAW);
    /* functional unit (structural hazard): the instance that is free first */
    uint64_t *uf = T->unit_free[op_unit];
    unsigned inst = 0;
    if (!GENERAL && UNITS == 1) {
        inst = 0;
    } else if (!GENERAL && UNITS == 2) {
        inst = uf[1] < uf[0];
    } else if (op->unit_count == 2) {
        inst = uf[1] < uf[0];
    } else {
        for (unsigned k = 1; k < op->unit_count; k++)
            if (uf[k] < uf[inst])
                inst = k;
    }
    CONSTRAIN(uf[inst], RV_STALL_UNIT);
    /* serialising instructions wait for all older work */
    if (GENERAL && unlikely(op->special & RV_SP_SERIAL))
        CONSTRAIN(T->end, RV_STALL_SERIAL);
    /* vector queue space (section 4.1) */
    if ((KIND == RV_K_VECTOR || (GENERAL && unlikely(op->special & RV_SP_VECTOR))) && P->v_enabled) {
        const uint32_t q = P->v_queue_depth;    /* (1..RV_VQUEUE_MAX: rv_timing_enable checks it) */
        uint64_t n = T->t.v_instructions;
        if (n >= q) {
            CONSTRAIN(T->vq[(n - q) % RV_VQUEUE_MAX], RV_STALL_VQUEUE);   /* the q-th older one left */
            vq_head = (n - q) % RV_VQUEUE_MAX;
        }
    }

    /* ---- issue at t */
    T->slots = t > T->cycle ? 1 : T->slots + 1;    /* (t >= T->cycle) */
    T->cycle = t;
    uint64_t stall = t - base;
    T->t.stall[cause] += stall;     /* cause is NO_CAUSE (a bucket nobody reads) only when stall = 0 */
    if ((GENERAL || KIND == RV_K_VECTOR) && cause == RV_STALL_VQUEUE) {   /* (only a vector op waits so) */
        /* the queue was full because its head had not started: charge the latest reason the vector unit
           started late (none: it starts one instruction per cycle, a busy pipe) */
        unsigned hc = T->vq_cause[vq_head];
        T->t.v_queue_full[hc < RV_VWAIT_COUNT ? hc : RV_VWAIT_PIPE] += stall;
    }
    /* an operand-dependent divider is busy for its whole latency */
    uf[inst] = t + ((GENERAL && unlikely(op->special & RV_SP_DIV)) ? (lat ? lat : 1) : ((!GENERAL && (KIND == RV_K_STORE || KIND == RV_K_VECTOR)) ? op_occ_early : op->occ));

    /* ---- results */
    uint64_t ready = t + lat;
    unsigned rcause = (!GENERAL && (KIND == RV_K_STORE || KIND == RV_K_VECTOR)) ? op_rcause_early : op->rcause;
    uint64_t vstart = 0;
    switch (GENERAL ? op->kind : KIND) {
    case RV_K_PLAIN:
        /* (only the general step sees a plain op that transfers control: build_step_table gives it mret,
           the one such op) */
        if (GENERAL && unlikely(taken)) {
            /* mret and other transfers: treat as a taken jump */
            T->fetch_ready = t + 1 + P->taken_penalty;
            T->fetch_cause = RV_STALL_TAKEN;
            T->fetch_pc = pc;
            T->fetch_rec = NULL;
        }
        break;
    case RV_K_LOAD: {
        int missed;
        ready = tm_data_access_fast(T, (rs1v + (uint64_t)e->imm) & T->addr_mask, 0, t, (uint32_t)P->latency[RV_TC_LOAD],
                                 &missed);
        rcause = missed ? RV_STALL_DCACHE : RV_STALL_DEP_LOAD;
        break;
    }
    case RV_K_AMO: {
        int missed;
        ready = tm_data_access(T, rs1v & T->addr_mask, 0, t, (uint32_t)P->latency[RV_TC_LOAD], &missed);
        tm_data_access(T, rs1v & T->addr_mask, 1, t, (uint32_t)P->latency[RV_TC_LOAD], &missed);
        ready += P->latency[RV_TC_AMO];
        rcause = missed ? RV_STALL_DCACHE : RV_STALL_DEP_LOAD;
        break;
    }
    case RV_K_STORE: {
        int missed;
        tm_data_access_fast(T, (rs1v + (uint64_t)e->imm) & T->addr_mask, 1, t, (uint32_t)P->latency[RV_TC_LOAD], &missed);
        ready = t + 1;      /* sc.w/sc.d result */
        break;
    }
    case RV_K_FP:
        T->t.flops += op->flops;
        break;
    case RV_K_BRANCH:
        tm_branch_retired(T, pc, e->imm, taken, t);
        break;
    case RV_K_JAL:
        jump_retired(T, e, pc, rs1v, t, RV_K_JAL);
        break;
    case RV_K_JALR:
        jump_retired(T, e, pc, rs1v, t, RV_K_JALR);
        break;
    case RV_K_VECTOR:
        /* (a scalar result's readiness; vector registers are tracked by the vector unit) */
        if (likely(P->v_enabled))
            ready = tm_vector_step(T, e, vcost ? vcost : tm_vector_memo(T, e, pc), t, rs1v, rs2v, -1, -1);
        else if (rv_op_timing[e->exec_op].flags & RV_TF_SCALAR_RESULT)
            ready = 0;
        vstart = T->last_vstart;
        vector_queue_exit(T);
        break;
    default:
        break;
    }
    if (GENERAL || KIND != RV_K_BRANCH) {   /* (a branch would write an entry nobody reads) */
        rr[dreg] = ready;
        T->reg_cause[dreg] = (uint8_t)rcause;
    }
    uint64_t end = T->end;
    end = MAX64(end, ready);
    T->end = MAX64(end, t + 1);
    T->t.instructions++;

    /* per-pc counters: the issue cycles this instruction added, and its stall by cause */
    uint64_t *rec = BLOCK ? brec : pc_rec(T, pc);
    uint64_t charged = t - T->charge_mark;     /* (t is T->cycle now) */
    T->charge_mark = t;
    rec[RV_PC_COUNT]++;
    rec[cause] += stall;
    if (unlikely((cause == RV_STALL_MISPREDICT || cause == RV_STALL_TAKEN) && T->fetch_pc != pc))
        charged = charge_fetch_stall(T, rec, cause, stall, charged);
    rec[RV_PC_CYCLES] += charged;
    /* a branch or jump remembers its counters for the stalls it causes (charge_fetch_stall) */
    if (!GENERAL && (KIND == RV_K_BRANCH || KIND == RV_K_JAL || KIND == RV_K_JALR))
        T->fetch_rec = rec;
    else if (GENERAL && T->fetch_pc == pc)
        T->fetch_rec = rec;

    /* (only the general step traces: the table holds it for every op while a trace is recorded) */
    if (GENERAL && unlikely(T->trace)) {
        if (T->trace_used < T->trace_cap) {
            int is_vector = op->kind == RV_K_VECTOR;
            rv_timing_trace_rec *r = &T->trace[T->trace_used++];
            r->pc = pc;
            r->fetch = fetch;
            r->issue = t;
            r->start = is_vector ? vstart : t;
            r->done = ready > t ? ready : t + 1;
            r->raw = e->raw;
            r->cause = (uint8_t)(stall && cause < RV_STALL_COUNT ? cause : 255);
            r->vector = (uint8_t)is_vector;
            r->stall = (uint16_t)(stall > 65535 ? 65535 : stall);
        }
    }
}

#define RV_STEP_FN(name, kind, general, units, rs2, waw) \
    static void name(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, uint64_t rs2v, \
                     int taken) \
    { step_body(T, e, pc, rs1v, rs2v, taken, kind, general, units, rs2, waw, 0, NULL, NULL); }
RV_STEP_FN(step_general, RV_K_PLAIN, 1, 0, 1, 1)
/* the copies of one kind, by unit count (any, 1, 2) */
#define RV_STEP_KIND(name, kind, rs2, waw) \
    RV_STEP_FN(name##_u0, kind, 0, 0, rs2, waw) RV_STEP_FN(name##_u1, kind, 0, 1, rs2, waw) \
    RV_STEP_FN(name##_u2, kind, 0, 2, rs2, waw) \
    static const rv_step_fn name[3] = { name##_u0, name##_u1, name##_u2 };
/* the specialised kinds that timed blocks also get copies of (below): name, kind, reads rs2, checks WAW
   (plain_imm: no rs2; vector_rs1: neither rs2 nor rs3, as a unit-stride load or a .vf op).  (A block
   calls a vector copy only for an op with a fast path, never a strided access, the one vector op
   whose step reads rs2's value.) */
#define RV_BLOCK_STEP_KINDS(X) \
    X(step_plain, RV_K_PLAIN, 1, 1) X(step_plain_imm, RV_K_PLAIN, 0, 1) \
    X(step_plain_nowaw, RV_K_PLAIN, 1, 0) X(step_plain_imm_nowaw, RV_K_PLAIN, 0, 0) \
    X(step_load, RV_K_LOAD, 1, 1) X(step_store, RV_K_STORE, 1, 1) X(step_branch, RV_K_BRANCH, 1, 1) \
    X(step_jal, RV_K_JAL, 1, 1) X(step_jalr, RV_K_JALR, 1, 1) X(step_muldiv, RV_K_MULDIV, 1, 1) \
    X(step_fp, RV_K_FP, 1, 1) X(step_vector, RV_K_VECTOR, 1, 1) X(step_vector_rs1, RV_K_VECTOR, 0, 1)
RV_BLOCK_STEP_KINDS(RV_STEP_KIND)
#undef RV_STEP_KIND
#undef RV_STEP_FN

/* the copies timed blocks call, one for each copy of the table a block's instruction can have */
#define RV_BSTEP_FN(name, kind, units, rs2, waw) \
    static void name(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, uint64_t *rec, \
                     int flags) \
    { step_body(T, e, pc, rs1v, 0, flags, kind, 0, units, rs2, waw, 1, rec, NULL); }
#define RV_BSTEP_KIND(name, kind, rs2, waw) \
    RV_BSTEP_FN(b##name##_u0, kind, 0, rs2, waw) RV_BSTEP_FN(b##name##_u1, kind, 1, rs2, waw) \
    RV_BSTEP_FN(b##name##_u2, kind, 2, rs2, waw) \
    static const rv_block_step_fn b##name[3] = { b##name##_u0, b##name##_u1, b##name##_u2 };
RV_BLOCK_STEP_KINDS(RV_BSTEP_KIND)
#undef RV_BSTEP_KIND
#undef RV_BSTEP_FN

rv_block_step_fn rv_timing_block_step(rv_timing *T, unsigned op)
{
#define RV_COPY_PAIR(name, kind, rs2, waw) {name, b##name},
    static const struct { const rv_step_fn *from; const rv_block_step_fn *to; } copies[] = {
        RV_BLOCK_STEP_KINDS(RV_COPY_PAIR)
    };
#undef RV_COPY_PAIR
    if (op >= RV_OP_COUNT)
        return NULL;
    for (unsigned i = 0; i < sizeof copies / sizeof copies[0]; i++)
        for (unsigned u = 0; u < 3; u++)
            if (T->step[op] == copies[i].from[u])
                return copies[i].to[u];
    return NULL;        /* the general step (a trace, or an op with rare work) */
}

uint64_t *rv_timing_block_rec(rv_timing *T, uint64_t pc) { return pc_rec(T, pc); }

/* The step table's copy for op (a specialised kind: its index in RV_BLOCK_STEP_KINDS and unit count),
   or -1 (the general step). */
static int block_copy_of(rv_timing *T, unsigned opn, unsigned *units)
{
#define RV_COPY_FROM(name, kind, rs2, waw) name,
    static const rv_step_fn *const copies[] = { RV_BLOCK_STEP_KINDS(RV_COPY_FROM) };
#undef RV_COPY_FROM
    if (opn >= RV_OP_COUNT)
        return -1;
    for (unsigned i = 0; i < sizeof copies / sizeof copies[0]; i++)
        for (unsigned u = 0; u < 3; u++)
            if (T->step[opn] == copies[i][u]) {
                *units = u;
                return (int)i;
            }
    return -1;
}

/* rv_block_inline of e, whose step is the table's copy `copy` (block_copy_of) for units; 0 when the
   unit has more than two instances */
static int block_inline_fill(rv_timing *T, const rv_insn_t *e, int copy, unsigned units, rv_block_inline *o)
{
#define RV_COPY_META(name, kind, rs2, waw) {kind, rs2, waw},
    static const struct { unsigned kind; int rs2, waw; } copies[] = { RV_BLOCK_STEP_KINDS(RV_COPY_META) };
#undef RV_COPY_META
    const unsigned kind = copies[copy].kind;
    const rv_top *op = &T->op[e->exec_op];
    /* the instance: step_body's choice for the copy's unit count (UNITS 0: by the op's count) */
    unsigned count = units == 1 ? 1 : units == 2 ? 2 : op->unit_count;
    if (count > 2)
        return 0;
    memset(o, 0, sizeof *o);
    if (kind != RV_K_JAL)       /* (step_body: jal reads no register) */
        o->raw[o->nraw++] = op->src[1] + (e->rs1 & 31u);
    if (copies[copy].rs2 && kind != RV_K_LOAD && kind != RV_K_JAL)
        o->raw[o->nraw++] = op->src[2] + (e->rs2 & 31u);
    if (kind == RV_K_FP || (kind == RV_K_VECTOR && copies[copy].rs2))
        o->raw[o->nraw++] = op->src[3] + (e->rs3 & 31u);
    o->dreg = op->dst + e->rd;
    o->waw = copies[copy].waw && kind != RV_K_BRANCH && (op->waw || kind == RV_K_PLAIN) &&
             o->dreg != RV_X_SINK;
    o->lat = op->lat;
    o->occ = op->occ;
    o->rcause = op->rcause;
    o->flops = kind == RV_K_FP ? op->flops : 0;
    o->unit_pair = count == 2;
    o->mem = kind == RV_K_LOAD ? 1 : kind == RV_K_STORE ? 2 : 0;
    o->branch = kind == RV_K_BRANCH;
    o->jump = kind == RV_K_JAL ? 1 : kind == RV_K_JALR ? 2 : 0;
    const rv_tcache *l1d = &T->l1d;
    o->mru = o->mem && l1d->p.size && (kind == RV_K_LOAD || l1d->p.write_back) &&
             T->p.latency[RV_TC_LOAD] < (1u << 30);
    o->l1d_line_bits = l1d->line_bits;
    o->hit_latency = (uint32_t)T->p.latency[RV_TC_LOAD];
    o->cause_dcache = RV_STALL_DCACHE;
    o->cause_load = RV_STALL_DEP_LOAD;
    o->o_mru_line0 = (int32_t)offsetof(rv_timing, l1d.mru_line[0]);
    o->o_mru_way0 = (int32_t)offsetof(rv_timing, l1d.mru_way[0]);
    o->o_l1d_access = (int32_t)offsetof(rv_timing, t.l1d_access);
    o->o_l1d_clock = (int32_t)offsetof(rv_timing, l1d.clock);
    o->addr_mask = T->addr_mask;
    o->l1d_stamp = (uint64_t)(uintptr_t)l1d->stamp;
    o->l1d_ready = (uint64_t)(uintptr_t)l1d->ready;
    o->l1d_dirty = (uint64_t)(uintptr_t)l1d->dirty;
    o->o_unit = (int32_t)offsetof(rv_timing, unit_free[op->unit][0]);
    o->o_cycle = (int32_t)offsetof(rv_timing, cycle);
    o->o_slots = (int32_t)offsetof(rv_timing, slots);
    o->o_issue_width = (int32_t)offsetof(rv_timing, p.issue_width);
    o->o_fetch_ready = (int32_t)offsetof(rv_timing, fetch_ready);
    o->o_fetch_cause = (int32_t)offsetof(rv_timing, fetch_cause);
    o->o_fetch_pc = (int32_t)offsetof(rv_timing, fetch_pc);
    o->o_rr = (int32_t)offsetof(rv_timing, reg_ready);
    o->o_reg_cause = (int32_t)offsetof(rv_timing, reg_cause);
    o->o_stall = (int32_t)offsetof(rv_timing, t.stall);
    o->o_end = (int32_t)offsetof(rv_timing, end);
    o->o_instructions = (int32_t)offsetof(rv_timing, t.instructions);
    o->o_charge_mark = (int32_t)offsetof(rv_timing, charge_mark);
    o->o_flops = (int32_t)offsetof(rv_timing, t.flops);
    o->o_last_fetch_line = (int32_t)offsetof(rv_timing, last_fetch_line);
    o->o_fetch_rec = (int32_t)offsetof(rv_timing, fetch_rec);
    o->no_cause = NO_CAUSE;
    o->stall_waw = RV_STALL_WAW;
    o->stall_unit = RV_STALL_UNIT;
    o->stall_mispredict = RV_STALL_MISPREDICT;
    o->stall_taken = RV_STALL_TAKEN;
    o->pc_count = RV_PC_COUNT;
    o->pc_cycles = RV_PC_CYCLES;
    return 1;
}

int rv_timing_block_inline(rv_timing *T, const rv_insn_t *e, rv_block_inline *o)
{
    unsigned units = 0;
    int copy = block_copy_of(T, e->exec_op, &units);
    if (copy < 0)
        return 0;
    const unsigned kind = T->op[e->exec_op].kind;
    if ((kind != RV_K_PLAIN && kind != RV_K_MULDIV && kind != RV_K_FP && kind != RV_K_LOAD &&
         kind != RV_K_STORE && kind != RV_K_BRANCH && kind != RV_K_JAL && kind != RV_K_JALR) ||
        T->op[e->exec_op].special)
        return 0;
    return block_inline_fill(T, e, copy, units, o);
}

/* What the end of a vector instruction's step done inline (vresult_*) is given: its decoded cost for
   the vtype / vl / mtype the block checks, and what the rest of its step needs. */
typedef struct rv_block_vdesc {
    rv_vmemo cost;
    const rv_insn_t *e;
    uint32_t dreg, rcause;
} rv_block_vdesc;
_Static_assert(sizeof(rv_block_vdesc) <= RV_BLOCK_VDESC_BYTES, "raise RV_BLOCK_VDESC_BYTES");
_Static_assert((RV_VQUEUE_MAX & (RV_VQUEUE_MAX - 1)) == 0, "the block finds the queue's head with a mask");

static inline __attribute__((always_inline)) void
vresult_body(rv_timing *T, const void *desc, uint64_t rs1v, const int NLIST, const int MEM)
{
    const rv_block_vdesc *v = desc;
    const uint64_t t = T->cycle;        /* (its issue cycle: the block set it) */
    uint64_t ready = tm_vector_step(T, v->e, &v->cost, t, rs1v, 0, NLIST, MEM);
    vector_queue_exit(T);
    /* (step_body's order from here) */
    T->reg_ready[v->dreg] = ready;
    T->reg_cause[v->dreg] = (uint8_t)v->rcause;
    uint64_t end = MAX64(T->end, ready);
    T->end = MAX64(end, t + 1);
}
/* its copies by the number of source groups (0 to 3, or any) and whether it accesses memory */
#define RV_VRESULT_FN(nlist, mem) \
    static void vresult_##nlist##_##mem(rv_timing *T, const void *desc, uint64_t rs1v) \
    { vresult_body(T, desc, rs1v, nlist, mem); }
#define RV_VRESULT_MEM(nlist) RV_VRESULT_FN(nlist, 0) RV_VRESULT_FN(nlist, 1)
RV_VRESULT_MEM(0) RV_VRESULT_MEM(1) RV_VRESULT_MEM(2) RV_VRESULT_MEM(3)
#undef RV_VRESULT_MEM
#undef RV_VRESULT_FN
static void vresult_any(rv_timing *T, const void *desc, uint64_t rs1v) { vresult_body(T, desc, rs1v, -1, -1); }

rv_block_vresult_fn rv_timing_block_vstep(rv_timing *T, const rv_insn_t *e, rv_block_inline *o, void *desc)
{
    static const rv_block_vresult_fn copies[4][2] = {
        {vresult_0_0, vresult_0_1}, {vresult_1_0, vresult_1_1}, {vresult_2_0, vresult_2_1},
        {vresult_3_0, vresult_3_1}};
    unsigned units = 0;
    int copy = block_copy_of(T, e->exec_op, &units);
    const rv_top *op = &T->op[e->exec_op];
    if (copy < 0 || op->kind != RV_K_VECTOR || !T->p.v_enabled || !block_inline_fill(T, e, copy, units, o))
        return NULL;
    const rv_hart_state *h = &T->m->h;
    rv_block_vdesc v;
    memset(&v, 0, sizeof v);
    tm_vector_decode(T, T->m, e, &rv_op_timing[e->exec_op], &v.cost);
    v.cost.raw = e->raw;
    v.cost.vtype = h->vtype;
    v.cost.mtype = h->mtype;
    v.e = e;
    v.dreg = o->dreg;
    v.rcause = op->rcause;
    memcpy(desc, &v, sizeof v);
    o->vector = 1;
    o->vtype = v.cost.vtype;
    o->vl = v.cost.vl;
    o->mtype = v.cost.mtype;
    o->vq_depth = T->p.v_queue_depth;
    o->vq_mask = RV_VQUEUE_MAX - 1;
    o->stall_vqueue = RV_STALL_VQUEUE;
    o->vwait_count = RV_VWAIT_COUNT;
    o->vwait_pipe = RV_VWAIT_PIPE;
    o->o_v_instructions = (int32_t)offsetof(rv_timing, t.v_instructions);
    o->o_vq = (int32_t)offsetof(rv_timing, vq);
    o->o_vq_cause = (int32_t)offsetof(rv_timing, vq_cause);
    o->o_v_queue_full = (int32_t)offsetof(rv_timing, t.v_queue_full);
    return v.cost.nlist < 4 ? copies[v.cost.nlist][v.cost.mem != 0] : vresult_any;
}

void rv_timing_block_mem(rv_timing *T, const rv_insn_t *e, uint64_t rs1v, uint64_t t)
{
    const rv_top *op = &T->op[e->exec_op];
    int missed;
    uint64_t addr = (rs1v + (uint64_t)e->imm) & T->addr_mask, ready;
    unsigned rcause;
    if (op->kind == RV_K_LOAD) {
        ready = tm_data_access_fast(T, addr, 0, t, (uint32_t)T->p.latency[RV_TC_LOAD], &missed);
        rcause = missed ? RV_STALL_DCACHE : RV_STALL_DEP_LOAD;
    } else {
        tm_data_access_fast(T, addr, 1, t, (uint32_t)T->p.latency[RV_TC_LOAD], &missed);
        ready = t + 1;
        rcause = op->rcause;
    }
    unsigned dreg = op->dst + e->rd;
    T->reg_ready[dreg] = ready;
    T->reg_cause[dreg] = (uint8_t)rcause;
    uint64_t end = MAX64(T->end, ready);
    T->end = MAX64(end, t + 1);
}

void rv_timing_block_branch(rv_timing *T, const rv_insn_t *e, uint64_t pc, int taken, uint64_t t)
{
    tm_branch_retired(T, pc, e->imm, taken, t);
}

void rv_timing_block_jal(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, uint64_t t)
{
    jump_retired(T, e, pc, rs1v, t, RV_K_JAL);
}

void rv_timing_block_jalr(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, uint64_t t)
{
    jump_retired(T, e, pc, rs1v, t, RV_K_JALR);
}

rv_block_fetch rv_timing_block_fetch(rv_timing *T, uint64_t pc)
{
    /* (step_body's first lines) */
    uint64_t t = T->cycle + (T->slots >= T->p.issue_width);
    unsigned cause = NO_CAUSE;
    CONSTRAIN(T->fetch_ready, T->fetch_cause);
    fetch_line(T, pc, &t, &cause);
    return (rv_block_fetch){t, cause};
}

uint64_t rv_timing_block_charge(rv_timing *T, uint64_t *rec, unsigned cause, uint64_t stall, uint64_t charged)
{
    return charge_fetch_stall(T, rec, cause, stall, charged);
}

unsigned rv_timing_fetch_line_bits(rv_timing *T) { return T->l1i.line_bits; }

/* The step of each op (rv_timing.step): the general one for anything with rare work to do, and for
   every op while a pipeline trace is recorded (the specialised copies do not trace). */
static void build_step_table(rv_timing *T)
{
    for (unsigned op = 0; op < RV_OP_COUNT; op++) {
        const rv_top *o = &T->op[op];
        rv_step_fn fn = step_general;
        if (T->trace) {
            T->step[op] = fn;
            continue;
        }
        /* the copy for the op's unit count (unlimited units use one spare instance) */
        unsigned u = o->unit_count == 1 ? 1 : o->unit_count == 2 ? 2 : 0;
        int has_rs1 = o->src[1] != RV_REG_NONE, has_rs2 = o->src[2] != RV_REG_NONE;
        int has_rs3 = o->src[3] != RV_REG_NONE;
        if (o->special == RV_SP_VECTOR && o->kind == RV_K_VECTOR)
            fn = (has_rs2 || has_rs3 ? step_vector : step_vector_rs1)[u];
        int fits = !(o->kind == RV_K_JAL && (has_rs1 || has_rs2)) &&
                   !(o->kind == RV_K_LOAD && has_rs2) &&
                   !(o->kind != RV_K_FP && o->kind != RV_K_VECTOR && has_rs3);
        if (!fits || op == RV_OP_MRET)
            fn = step_general;      /* (mret retires transferring control, which only the general
                                       step handles for a plain op) */
        else if (!o->special) {
            switch (o->kind) {
            case RV_K_PLAIN:
                fn = has_rs2 ? (o->waw ? step_plain : step_plain_nowaw)[u]
                             : (o->waw ? step_plain_imm : step_plain_imm_nowaw)[u];
                break;
            case RV_K_LOAD: fn = step_load[u]; break;
            case RV_K_STORE: fn = step_store[u]; break;
            case RV_K_BRANCH:
                fn = o->dst == RV_REG_JUNK && !o->waw ? step_branch[u] : step_general;
                break;
            case RV_K_JAL: fn = step_jal[u]; break;
            case RV_K_JALR: fn = step_jalr[u]; break;
            case RV_K_MULDIV: fn = step_muldiv[u]; break;
            case RV_K_FP: fn = step_fp[u]; break;
            default: break;
            }
        }
        T->step[op] = fn;
    }
}

/* ------------------------------------------------------------------ management */

static void timing_free(rv_timing *T)
{
    if (!T) return;
    tm_memory_free(T);
    tm_branch_free(T);
    if (T->pcpage) {
        for (uint64_t i = 0; i < T->npages; i++)
            free(T->pcpage[i]);
        free(T->pcpage);
    }
    free(T);
}

void rv_timing_destroy(rv_machine *m)
{
    timing_free(m->timing);
    m->timing = NULL;
}

static void timing_clear_state(rv_timing *T)
{
    memset(&T->t, 0, sizeof T->t);
    T->cycle = 0; T->slots = 0; T->fetch_ready = 0; T->fetch_cause = NO_CAUSE;
    memset(T->reg_ready, 0, sizeof T->reg_ready);
    memset(T->reg_cause, 0, sizeof T->reg_cause);
    memset(T->unit_free, 0, sizeof T->unit_free);
    T->end = 0; T->cycle_base = 0;
    tm_vector_clear(T);
    tm_branch_clear(T);
    tm_memory_clear(T);
    if (T->pcpage)
        for (uint64_t i = 0; i < T->npages; i++) { free(T->pcpage[i]); T->pcpage[i] = NULL; }
    T->pc_cur = NULL;
    T->pc_cur_index = ~0ull;
    T->fetch_rec = NULL;
    T->charge_mark = ~0ull;
    memset(T->stray, 0, sizeof T->stray);
    T->trace_used = 0;
}

int rv_timing_enable(rv_machine *m, const rv_timing_params *p)
{
    char *err = m->h.error;
    size_t n = sizeof m->h.error;
    if (!p) {
        rv_timing_destroy(m);
        return 0;
    }
    if (p->issue_width < 1 || p->issue_width > RV_TIMING_MAX_ISSUE) {
        snprintf(err, n, "issue width must be 1..%u (got %u)", RV_TIMING_MAX_ISSUE, p->issue_width);
        return -1;
    }
    if (p->ras_entries > RV_TIMING_MAX_RAS) {
        snprintf(err, n, "return-address stack entries must be at most %u (got %u)", RV_TIMING_MAX_RAS,
                 p->ras_entries);
        return -1;
    }
    if (p->v_enabled && (p->v_queue_depth < 1 || p->v_queue_depth > RV_TIMING_MAX_QUEUE)) {
        snprintf(err, n, "vector queue depth must be 1..%u (got %u)", RV_TIMING_MAX_QUEUE, p->v_queue_depth);
        return -1;
    }
    for (unsigned k = 0; k < RV_VPIPE_COUNT; k++)
        if (p->v_pipes[k] > RV_TIMING_MAX_PIPES) {
            snprintf(err, n, "at most %u vector pipes of a kind (got %u)", RV_TIMING_MAX_PIPES, p->v_pipes[k]);
            return -1;
        }
    for (unsigned k = 0; k < RV_TIMING_UNITS; k++)
        if (p->unit_count[k] > RV_TIMING_MAX_PIPES) {
            snprintf(err, n, "at most %u units of a kind (got %u)", RV_TIMING_MAX_PIPES, p->unit_count[k]);
            return -1;
        }
    if (p->predictor > 3) {
        snprintf(err, n, "unknown branch predictor kind %u", p->predictor);
        return -1;
    }
    if (p->predictor >= 2 && (p->predictor_entries == 0 || (p->predictor_entries & (p->predictor_entries - 1)))) {
        snprintf(err, n, "predictor entries must be a power of two (got %u)", p->predictor_entries);
        return -1;
    }
    if (p->btb_entries & (p->btb_entries - 1)) {
        snprintf(err, n, "BTB entries must be a power of two (got %u)", p->btb_entries);
        return -1;
    }
    if (p->history_bits > RV_TIMING_MAX_HISTORY) {
        snprintf(err, n, "history bits must be at most %u (got %u)", RV_TIMING_MAX_HISTORY, p->history_bits);
        return -1;
    }
    if (p->l1d.mshrs > RV_TIMING_MAX_MSHRS || p->l2.mshrs > RV_TIMING_MAX_MSHRS) {
        snprintf(err, n, "at most %u MSHRs per cache (got %u)", RV_TIMING_MAX_MSHRS,
                 p->l1d.mshrs > p->l2.mshrs ? p->l1d.mshrs : p->l2.mshrs);
        return -1;
    }
    if (p->prefetch_streams) {
        if (p->prefetch_streams > RV_TIMING_MAX_STREAMS) {
            snprintf(err, n, "prefetch streams must be at most %u (got %u)", RV_TIMING_MAX_STREAMS,
                     p->prefetch_streams);
            return -1;
        }
        if (p->prefetch_distance < 1 || p->prefetch_distance > RV_TIMING_MAX_PF_DISTANCE) {
            snprintf(err, n, "prefetch distance must be 1..%u lines (got %u)", RV_TIMING_MAX_PF_DISTANCE,
                     p->prefetch_distance);
            return -1;
        }
        if ((p->prefetch_level != 1 && p->prefetch_level != 2) ||
            (p->prefetch_level == 1 ? p->l1d.size : p->l2.size) == 0) {
            snprintf(err, n, "the prefetcher fills L1D (level 1) or L2 (level 2), which must exist "
                     "(got level %u)", p->prefetch_level);
            return -1;
        }
    }
    if (p->v_enabled && p->vlen != m->cfg.vlen) {
        snprintf(err, n, "the timing preset's VLEN (%u) differs from the machine's (%u)", p->vlen,
                 m->cfg.vlen);
        return -1;
    }
    rv_timing *T = calloc(1, sizeof *T);
    if (!T) { snprintf(err, n, "out of memory"); return -1; }
    T->p = *p;
    T->m = m;
    T->addr_mask = (m->cfg.flags & RV_CFG_XLEN32) ? 0xffffffffull : ~0ull;
    tm_build_op_table(T);
    build_step_table(T);
    if (tm_memory_init(T, err, n) || tm_branch_init(T, err, n)) {
        timing_free(T);
        return -1;
    }
    T->mem_base = m->cfg.mem_base;
    T->machine_te = m->cfg.tile_te;
    T->npages = m->npages;
    T->pcpage = calloc(m->npages ? m->npages : 1, sizeof *T->pcpage);
    if (!T->pcpage) {
        timing_free(T);
        snprintf(err, n, "out of memory");
        return -1;
    }
    timing_clear_state(T);
    rv_timing_destroy(m);
    m->timing = T;
    rv_flush_decode_cache(m);   /* timed blocks hold the old model's step copies and records */
    return 0;
}

int rv_timing_enabled(rv_machine *m) { return m->timing != NULL; }

/* Restart the counters (totals, per-address records, the trace) and keep every piece of
   micro-architectural state: caches, predictor, queues, pipes in flight, the clock itself.  Cycles are
   counted from the completion time reached so far (cycle_base), so a region measured after a reset sees
   warm caches, as it would on hardware. */
void rv_timing_reset(rv_machine *m)
{
    rv_timing *T = m->timing;
    if (!T) return;
    memset(&T->t, 0, sizeof T->t);
    if (T->pcpage)
        for (uint64_t i = 0; i < T->npages; i++) { free(T->pcpage[i]); T->pcpage[i] = NULL; }
    T->pc_cur = NULL;
    T->pc_cur_index = ~0ull;
    T->fetch_rec = NULL;
    memset(T->stray, 0, sizeof T->stray);
    T->trace_used = 0;
    T->cycle_base = T->end;
    rv_flush_decode_cache(m);   /* timed blocks hold per-address records freed above */
}

/* Restart the model cold: clock, counters, caches, predictor, queues (the trace buffer stays). */
void rv_timing_flush(rv_machine *m)
{
    if (m->timing) {
        rv_timing_trace_rec *tr = m->timing->trace;
        uint64_t cap = m->timing->trace_cap;
        timing_clear_state(m->timing);
        m->timing->trace = tr;
        m->timing->trace_cap = cap;
        rv_flush_decode_cache(m);   /* timed blocks hold per-address records freed above */
    }
}

uint64_t rv_timing_now(rv_machine *m)
{
    rv_timing *T = m->timing;
    return T->end ? T->cycle + 1 : 0;
}

void rv_timing_get_totals(rv_machine *m, rv_timing_totals *out)
{
    rv_timing *T = m->timing;
    if (!T) { memset(out, 0, sizeof *out); return; }
    *out = T->t;
    out->cycles = T->end - T->cycle_base;
    for (unsigned k = 0; k < RV_VPIPE_COUNT; k++)
        out->v_busy[k] = (T->t.v_busy[k] + Q / 2) / Q;      /* kept in quarter cycles */
    out->v_wait_queue = (T->t.v_wait_queue + Q / 2) / Q;
    for (unsigned k = 0; k < RV_VWAIT_COUNT; k++)
        out->v_wait[k] = (T->t.v_wait[k] + Q / 2) / Q;
}

uint64_t rv_timing_pc_count(rv_machine *m)
{
    rv_timing *T = m->timing;
    uint64_t n = 0;
    if (!T) return 0;
    for (uint64_t pg = 0; pg < T->npages; pg++) {
        rv_pc_page *page = T->pcpage[pg];
        if (!page) continue;
        for (unsigned i = 0; i < RV_SLOTS_PER_PAGE; i++)
            n += page->rec[i][RV_PC_COUNT] != 0;
    }
    return n;
}

uint64_t rv_timing_get_pcs(rv_machine *m, uint64_t *pcs, rv_timing_pc_stats *stats, uint64_t max)
{
    rv_timing *T = m->timing;
    uint64_t n = 0;
    if (!T) return 0;
    for (uint64_t pg = 0; pg < T->npages && n < max; pg++) {
        rv_pc_page *page = T->pcpage[pg];
        if (!page) continue;
        for (unsigned i = 0; i < RV_SLOTS_PER_PAGE && n < max; i++) {
            if (!page->rec[i][RV_PC_COUNT]) continue;
            pcs[n] = T->mem_base + (pg << RV_PAGE_BITS) + ((uint64_t)i << 1);
            memset(&stats[n], 0, sizeof stats[n]);
            stats[n].count = page->rec[i][RV_PC_COUNT];
            stats[n].cycles = page->rec[i][RV_PC_CYCLES];
            for (unsigned c = 0; c < RV_STALL_COUNT; c++)
                stats[n].stall[c] = page->rec[i][c];
            n++;
        }
    }
    return n;
}

int rv_timing_trace(rv_machine *m, rv_timing_trace_rec *buffer, uint64_t capacity)
{
    if (!m->timing) return -1;
    m->timing->trace = buffer;
    m->timing->trace_cap = buffer ? capacity : 0;
    m->timing->trace_used = 0;
    build_step_table(m->timing);
    rv_flush_decode_cache(m);   /* timed blocks chose their step copies from the table */
    return 0;
}

uint64_t rv_timing_trace_used(rv_machine *m) { return m->timing ? m->timing->trace_used : 0; }

void rv_timing_trace_clear(rv_machine *m) { if (m->timing) m->timing->trace_used = 0; }
