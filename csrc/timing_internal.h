/* The cycle model's state and what its components share (internal to the core; the public side is
 * timing.h, the interpreter's side timing_hooks.h).
 *
 * The model is split by component, each in its own file, all reading and writing the one struct
 * rv_timing below:
 *   timing.c          the step (issue, scoreboard, stall accounting, per-pc counters), enable/reset, API
 *   timing_scalar.c   per-op records (rv_top) from the ISA table and the parameters, divide latency
 *   timing_branch.c   branch and jump prediction (predictor, target table, return-address stack)
 *   timing_memory.c   caches, DRAM, the vector unit's memory accesses
 *   timing_vector.c   the vector unit: occupancy, chaining, pipes, queue (its per-instruction part,
 *                     inline in the step: timing_vector_step.h)
 *   timing_ml.c       the ML units (int8 dot product, bf16 widening MAC, Zvt tile array)
 * What runs on every instruction is inline here (so the split costs no calls on the hot path).
 */
#ifndef RVSIM_TIMING_INTERNAL_H
#define RVSIM_TIMING_INTERNAL_H

#include "core.h"
#include "timing.h"
#include "isa_timing.h"
#include "timing_hooks.h"

#define RV_VQUEUE_MAX RV_TIMING_MAX_QUEUE     /* capacity of the vector-queue ring (>= any queue depth) */
#define RV_RAS_MAX RV_TIMING_MAX_RAS

_Static_assert(RV_TC_COUNT <= RV_TIMING_CLASSES, "raise RV_TIMING_CLASSES");

#define RV_FOUND_WAYS 16    /* rv_tcache.found_way: a loop's code lines, one entry each */

typedef struct rv_tcache {
    rv_cache_params p;
    uint32_t sets, line_bits;
    uint64_t *tag;              /* line address per way, ~0 when empty */
    uint64_t *ready;            /* cycle the line's data is (or was) available */
    uint64_t *stamp;            /* LRU: last use */
    uint8_t *dirty;
    uint8_t *prefetched;        /* brought in by the prefetcher and not used yet */
    uint64_t clock;
    uint64_t mshr_free[RV_TIMING_MAX_MSHRS];    /* when each miss status register frees up: a ring,
                                                   in increasing order from mshr_head */
    uint32_t mshr_head;
    uint64_t mru_line[2], mru_way[2];   /* the two lines found last (most accesses hit them again) */
    uint64_t found_way[RV_FOUND_WAYS];  /* L1I: the way a line was last found in or put into, by the
                                           line's low bits: a hint (tm_fetch_line_fast checks the tag) */
} rv_tcache;

/* What the step needs to know about one instruction (exec_op), resolved from the ISA table and the
   parameters when the model is enabled, so that the per-instruction work reads one small record. */
enum {
    RV_K_PLAIN = 0, RV_K_LOAD, RV_K_STORE, RV_K_AMO, RV_K_BRANCH, RV_K_JAL, RV_K_JALR, RV_K_MULDIV,
    RV_K_FP, RV_K_VECTOR
};
/* Scoreboard layout: x0..x32 at 0 (x32 is where writes to x0 go), f0..f31 at RV_REG_F, then 32
   entries that are never written (the "register" an absent source reads: always ready), then 32 that
   are written and never read (where an instruction without a register result writes). */
#define RV_REG_F 64
#define RV_REG_NONE 96
#define RV_REG_JUNK 128
#define RV_REG_COUNT 160
/* Rare work an instruction needs (rv_top.special). */
enum { RV_SP_RD_SOURCE = 1, RV_SP_DIV = 2, RV_SP_SERIAL = 4, RV_SP_VECTOR = 8 };
typedef struct rv_top {
    uint8_t kind;               /* RV_K_*: how results are produced */
    uint8_t special;            /* RV_SP_* */
    uint8_t src[4];             /* scoreboard base of rd (when read), rs1, rs2, rs3: 0, RV_REG_F or
                                   RV_REG_NONE */
    uint8_t dst;                /* scoreboard base of the written register: 0, RV_REG_F, RV_REG_JUNK */
    uint8_t unit;               /* scalar unit kind (the spare row RV_TIMING_UNITS when unlimited) */
    uint8_t unit_count;
    uint8_t waw;                /* results must arrive after an older write to rd */
    uint8_t flops;              /* scalar FP operations (FMA = 2) */
    uint8_t rcause;             /* the stall cause of instructions waiting for this one's result */
    uint32_t lat;               /* issue to result */
    uint32_t occ;               /* cycles the unit stays busy (0 for an unlimited unit) */
} rv_top;

/* One stream of the prefetcher: lines a fixed stride apart (section 3.2). */
typedef struct rv_pf_stream {
    uint64_t last;              /* the stream's newest demand line */
    int64_t stride;             /* in lines (0 until a second access sets it) */
    uint64_t ahead;             /* the furthest line prefetched */
    uint32_t confirmed;         /* accesses in a row at that stride */
    uint64_t stamp;             /* LRU: last use; 0 = unused entry */
} rv_pf_stream;

/* Per-address counters of one code page: for every instruction slot, 16 words: the stall cycles per
   cause (0..12), a bucket for "no cause" (13, always 0 in practice: stalls are added unconditionally),
   the retirement count (14) and the issue cycles charged (15). */
enum { RV_NO_CAUSE = RV_STALL_COUNT, RV_PC_COUNT = 14, RV_PC_CYCLES = 15, RV_PC_WORDS = 16 };
_Static_assert(RV_STALL_COUNT == 13 && RV_TIMING_CAUSES >= 14, "per-pc record layout");
typedef struct rv_pc_page {
    uint64_t rec[RV_SLOTS_PER_PAGE][RV_PC_WORDS];
} rv_pc_page;

/* The producer of a vector register group, for chaining (section 4.3), as its consumers see it: the
   times are worked out once, when the producer starts (quarter cycles; all 0 before any producer: a
   register that nothing wrote holds nothing up). */
typedef struct rv_vgroup_state {
    uint64_t ready;             /* earliest start of a consumer: the producer's first element group with
                                   chaining, its whole result without */
    uint64_t finish;            /* with chaining, the earliest end of a consumer's last group (one group
                                   after the producer's last); 0 without */
    uint64_t acc_ready, acc_finish;     /* the same for a consumer of the same multiply-add class that
                                           accumulates into the register (acc_latency) */
    uint8_t cls;
} rv_vgroup_state;

/* The decoded cost of a vector instruction (raw: its encoding; 0, which encodes none, in an empty entry)
   for one vtype / vl / mtype (timing_vector.c). */
#define RV_VMEMO_SIZE 256
typedef struct rv_vmemo {
    uint64_t vtype, vl, mtype;
    uint32_t raw;
    uint8_t cls, pk, mem, write;        /* mem: 0 none, 1 unit stride (or whole/mask), 2 strided, 3 indexed */
    uint8_t nlist, ndest, scalar_result, npipes;
    struct { uint8_t reg, n, acc; } list[5];    /* vector source groups: first register, count, and
                                                   whether it is vd accumulated with acc_latency */
    uint64_t o;                         /* occupancy, quarter cycles */
    uint64_t mem_bytes, flops, int_ops;
} rv_vmemo;

typedef struct rv_timing {
    struct { RV_TIMING_HOOK_FIELDS };   /* step[], cycle: first, as the interpreter sees them */
    rv_timing_params p;
    rv_machine *m;              /* the machine it times (vtype, vl, mtype of vector instructions) */
    uint64_t addr_mask;         /* an effective address's bits: 32 on RV32, whose registers are held
                                   sign-extended, so that rs1 + imm wraps as the hart's address does */
    rv_top op[RV_OP_COUNT];
    rv_timing_totals t;
    /* issue */
    uint64_t charge_mark;       /* issue cycle of the previous instruction (~0 before the first) */
    uint32_t slots;             /* instructions issued in that cycle */
    uint64_t fetch_ready;       /* earliest issue cycle allowed by fetch */
    uint8_t fetch_cause;
    uint64_t fetch_pc;          /* the branch/jump that set fetch_ready (blamed for its stalls) */
    uint64_t *fetch_rec;        /* its per-pc counters when known (NULL: look them up) */
    uint64_t end;               /* latest completion so far */
    uint64_t cycle_base;        /* `end` when the counters were last reset (reported cycles count from it) */
    uint64_t reg_ready[RV_REG_COUNT];   /* when each register's value is ready (layout above) */
    uint8_t reg_cause[RV_REG_COUNT];
    uint64_t unit_free[RV_TIMING_UNITS + 1][RV_TIMING_MAX_PIPES];   /* + a row for unlimited units */
    /* branch prediction */
    uint8_t *bp;
    uint32_t bp_mask, ghist, ghist_mask;    /* ghist_mask: history_bits ones */
    uint64_t *btb;
    uint64_t ras[RV_RAS_MAX];
    uint64_t ras_top, ras_bottom;
    uint64_t last_fetch_line;
    /* memory */
    rv_tcache l1i, l1d, l2;
    uint64_t dram_free;
    rv_pf_stream pf[RV_TIMING_MAX_STREAMS];
    uint64_t pf_clock;
    uint8_t v_stream[2];        /* a vector line read ([0]) or written ([1]) may take the streaming path
                                   (timing_memory.c vector_l1d_stream; set from the parameters) */
    /* vector unit */
    uint64_t vq[RV_VQUEUE_MAX];  /* start cycle of recent vector instructions (queue exits) */
    uint8_t vq_cause[RV_VQUEUE_MAX];    /* and why each waited (rv_vwait_cause; RV_VWAIT_COUNT: it did not) */
    uint8_t v_last_cause;       /* the latest reason a vector instruction started late */
    uint64_t v_last_start, last_vstart;
    uint64_t vpipe_free[RV_VPIPE_COUNT][RV_TIMING_MAX_PIPES];
    /* the producers of the vector registers: register r's is vstate[vhead[r]], where vhead[r] is the
       first register of the group that producer wrote (what is left of it: the registers with one head
       are always a run of consecutive registers starting at the head), so that a group's state is
       written once and a source group written by one instruction is looked at once */
    rv_vgroup_state vstate[32];
    uint8_t vhead[32];
    uint64_t machine_te;        /* the machine's Zvt TE (0 without Zvt) */
    uint64_t mtype_now;         /* mtype of the vector instruction being timed */
    rv_vmemo vmemo[RV_VMEMO_SIZE];
    /* per-pc statistics, one array per code page */
    uint64_t mem_base, npages;
    rv_pc_page **pcpage;
    rv_pc_page *pc_cur;         /* the page of the last instruction, and its index (~0 when none) */
    uint64_t pc_cur_index;
    uint64_t stray[RV_PC_WORDS];    /* addresses outside memory (cannot execute; kept for safety) */
    /* pipeline trace */
    rv_timing_trace_rec *trace;
    uint64_t trace_cap, trace_used;
} rv_timing;
_Static_assert(offsetof(rv_timing, step) == offsetof(rv_timing_hooks, step) &&
               offsetof(rv_timing, cycle) == offsetof(rv_timing_hooks, cycle),
               "rv_timing begins with the fields of rv_timing_hooks");

uint64_t rv_timing_now(rv_machine *m);
void rv_timing_destroy(rv_machine *m);

/* ------------------------------------------------------------------ shared by the components */

#define RV_TM_INTERNAL __attribute__((visibility("hidden")))   /* not exported from the module */
#define MAX64(a, b) ((a) > (b) ? (a) : (b))
#define NO_CAUSE RV_NO_CAUSE     /* 255 in trace records */
/* The vector unit keeps time in quarter cycles (Q per cycle), so that fractional occupancies (a
   memory port that moves 16 bytes per cycle loading 24 bytes, a per-instruction overhead of half a
   cycle) add up as they would in hardware instead of rounding up on every instruction. */
#define Q 4u

static inline uint64_t ceil_div(uint64_t a, uint64_t b)
{
    if (likely(b && !(b & (b - 1))))
        return (a + b - 1) >> __builtin_ctzll(b);      /* widths are powers of two: no divide */
    return b ? (a + b - 1) / b : a;
}

/* timing_scalar.c */
RV_TM_INTERNAL void tm_build_op_table(rv_timing *T);
RV_TM_INTERNAL uint64_t tm_divide_latency(const rv_timing_params *P, const rv_insn_t *e, uint64_t rs1v,
                                          uint64_t rs2v);

/* timing_branch.c (section 2.3 of docs/timing.md) */
RV_TM_INTERNAL int tm_branch_init(rv_timing *T, char *err, size_t n);
RV_TM_INTERNAL void tm_branch_clear(rv_timing *T);
RV_TM_INTERNAL void tm_branch_free(rv_timing *T);

static inline uint32_t tm_bp_index(const rv_timing *T, uint64_t pc)
{
    uint32_t i = (uint32_t)(pc >> 1);
    if (T->p.predictor == 3)
        i ^= T->ghist;
    return i & T->bp_mask;
}

/* A conditional branch: returns 1 when the direction was mispredicted; updates the predictor with the
   outcome. */
static inline int tm_predict_branch(rv_timing *T, uint64_t pc, int64_t offset, int taken)
{
    int predicted;
    switch (T->p.predictor) {
    case 0: predicted = offset < 0; break;              /* backward taken, forward not taken */
    case 1: predicted = 0; break;
    default: {
        uint32_t i = tm_bp_index(T, pc);
        uint8_t ctr = T->bp[i];
        predicted = ctr >= 2;
        /* (a saturating two-bit counter, written back unchanged when saturated: no branch on it) */
        T->bp[i] = (uint8_t)(taken ? ctr + (ctr < 3) : ctr - (ctr > 0));
        if (T->p.predictor == 3)
            T->ghist = ((T->ghist << 1) | (uint32_t)taken) & T->ghist_mask;
    }
    }
    return predicted != taken;
}

/* A conditional branch retired at cycle t: counted, predicted, and the fetch redirected after a
   mispredict (or a taken branch's bubble), charged to this branch (the step's, and a timed block's
   rv_timing_block_branch). */
static inline void tm_branch_retired(rv_timing *T, uint64_t pc, int64_t offset, int taken, uint64_t t)
{
    T->t.branches++;
    T->t.taken += (unsigned)taken;
    if (tm_predict_branch(T, pc, offset, taken)) {
        T->t.mispredicts++;
        T->fetch_ready = t + 1 + T->p.mispredict_penalty;
        T->fetch_cause = RV_STALL_MISPREDICT;
    } else if (taken) {
        T->fetch_ready = t + 1 + T->p.taken_penalty;
        T->fetch_cause = RV_STALL_TAKEN;
    }
    T->fetch_pc = pc;
}

/* Return-address stack: a ring of the newest ras_entries return addresses (older ones are overwritten,
   as in hardware), used by calls through jal and jalr alike. */
static inline void tm_ras_push(rv_timing *T, uint64_t return_address)
{
    T->ras[T->ras_top % RV_RAS_MAX] = return_address;
    T->ras_top++;
    if (T->ras_top - T->ras_bottom > T->p.ras_entries)
        T->ras_bottom = T->ras_top - T->p.ras_entries;
}

/* A jalr: predicted by the return-address stack (returns) or the target table; returns 1 when the
   target was predicted correctly.  A jalr that links pushes its return address, as a call does. */
static inline int tm_predict_jalr(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v)
{
    const rv_timing_params *P = &T->p;
    uint64_t target = (rs1v + (uint64_t)e->imm) & ~1ull & T->addr_mask;
    int correct = 0;
    int is_return = (e->rs1 == 1 || e->rs1 == 5) && e->rd == RV_X_SINK;
    if (is_return && P->ras_entries) {
        if (T->ras_top > T->ras_bottom) {
            T->ras_top--;
            correct = T->ras[T->ras_top % RV_RAS_MAX] == target;
        }
    } else if (T->btb) {
        uint32_t i = (uint32_t)(pc >> 1) & (P->btb_entries - 1);
        correct = T->btb[i] == target;
        T->btb[i] = target;
    }
    if ((e->rd == 1 || e->rd == 5) && P->ras_entries)
        tm_ras_push(T, pc + e->len);
    return correct;
}

/* timing_memory.c (section 3) */
RV_TM_INTERNAL int tm_memory_init(rv_timing *T, char *err, size_t n);
RV_TM_INTERNAL void tm_memory_clear(rv_timing *T);
RV_TM_INTERNAL void tm_memory_free(rv_timing *T);
RV_TM_INTERNAL uint64_t tm_data_access(rv_timing *T, uint64_t addr, int write, uint64_t now,
                                       uint32_t hit_latency, int *missed);
RV_TM_INTERNAL uint64_t tm_l1d_miss(rv_timing *T, uint64_t addr, int write, uint64_t now,
                                    uint32_t hit_latency, int *missed);
RV_TM_INTERNAL uint64_t tm_fetch_line(rv_timing *T, uint64_t pc, uint64_t now);
/* when the first and the last line of a vector load's data arrive (cycles; 0 for a store) */
typedef struct rv_vdata { uint64_t first, last; } rv_vdata;
RV_TM_INTERNAL rv_vdata tm_vector_memory(rv_timing *T, const rv_vmemo *d, uint64_t rs1v, uint64_t rs2v,
                                         uint64_t start, uint32_t latency);

/* tm_data_access for the common case, inline: a hit in a write-back L1D on a line that is not waiting
   for its first use after a prefetch.  The line found last is checked first, then the one before it,
   then the set; the remembered lines are updated as cache_find does.  Anything else (a miss, a
   prefetched line, a write-through cache, no L1D) goes to tm_data_access, before any state changed. */
static inline uint64_t tm_data_access_fast(rv_timing *T, uint64_t addr, int write, uint64_t now,
                                           uint32_t hit_latency, int *missed)
{
    rv_tcache *c = &T->l1d;
    uint64_t line = addr >> c->line_bits;
    if (likely(c->p.size && (!write || c->p.write_back))) {
        uint64_t way;
        if (likely(line == c->mru_line[0])) {
            way = c->mru_way[0];        /* never a prefetched line: the first use clears the mark */
        } else {
            if (line == c->mru_line[1]) {
                way = c->mru_way[1];
            } else {
                uint64_t base = (line & (c->sets - 1)) * c->p.ways;
                uint32_t w = 0;
                while (w < c->p.ways && c->tag[base + w] != line)
                    w++;
                if (w == c->p.ways) {
                    /* not in L1D (its set was just searched): what tm_data_access does on a miss */
                    T->t.l1d_access++;
                    return tm_l1d_miss(T, addr, write, now, hit_latency, missed);
                }
                way = base + w;
            }
            if (unlikely(c->prefetched[way]))
                return tm_data_access(T, addr, write, now, hit_latency, missed);
            c->mru_line[1] = c->mru_line[0];
            c->mru_way[1] = c->mru_way[0];
            c->mru_line[0] = line;
            c->mru_way[0] = way;
        }
        T->t.l1d_access++;
        c->stamp[way] = ++c->clock;
        *missed = 0;
        if (write) {
            c->dirty[way] = 1;
            return now + 1;
        }
        uint64_t r = MAX64(now + hit_latency, c->ready[way]);
        *missed = r > now + hit_latency;
        return r;
    }
    return tm_data_access(T, addr, write, now, hit_latency, missed);
}

/* tm_fetch_line for the common case, inline: a hit on one of the two L1I lines found last (a loop or a
   call going back and forth between two lines), or on the way found_way names for the line (a loop over
   more lines): a way holds a line when its tag says so, as the set search would find it.  The same
   updates as cache_find and tm_fetch_line's hit; anything else goes to tm_fetch_line. */
static inline uint64_t tm_fetch_line_fast(rv_timing *T, uint64_t pc, uint64_t now)
{
    rv_tcache *c = &T->l1i;
    uint64_t line = pc >> c->line_bits, way;
    if (unlikely(!c->p.size))
        return tm_fetch_line(T, pc, now);
    if (line == c->mru_line[0]) {
        way = c->mru_way[0];
    } else {
        if (line == c->mru_line[1]) {
            way = c->mru_way[1];
        } else {
            way = c->found_way[line & (RV_FOUND_WAYS - 1)];
            if (c->tag[way] != line)
                return tm_fetch_line(T, pc, now);
        }
        c->mru_line[1] = c->mru_line[0];
        c->mru_way[1] = c->mru_way[0];
        c->mru_line[0] = line;
        c->mru_way[0] = way;
    }
    T->t.l1i_access++;
    c->stamp[way] = ++c->clock;
    return c->ready[way] > now ? c->ready[way] - now : 0;
}

/* timing_vector.c (section 4) */
RV_TM_INTERNAL void tm_vector_clear(rv_timing *T);
/* What a vector instruction costs for the current vtype / vl / mtype, into its memo entry. */
RV_TM_INTERNAL void tm_vector_decode(rv_timing *T, const rv_machine *m, const rv_insn_t *e,
                                     const rv_op_timing_t *ot, rv_vmemo *d);
/* tm_vector_step: timing_vector_step.h (inline in the step) */

/* timing_ml.c (section 4.2): occupancy in quarter cycles of the ML units' instructions (classes
   RV_TC_VDOT, RV_TC_VBF16MAC, RV_TC_VTILE) before the common adjustments; *tile_flops gets the
   operations a tile instruction performs. */
RV_TM_INTERNAL uint64_t tm_ml_occupancy(rv_timing *T, unsigned cls, uint64_t vl, uint64_t width,
                                        uint64_t cost, uint64_t *tile_flops);

#endif
