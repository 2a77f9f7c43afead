/* The cycle model's state (internal to the core; the public side is timing.h). */
#ifndef RVSIM_TIMING_INTERNAL_H
#define RVSIM_TIMING_INTERNAL_H

#include "core.h"
#include "timing.h"
#include "isa_timing.h"

#define RV_VQUEUE_MAX RV_TIMING_MAX_QUEUE     /* capacity of the vector-queue ring (>= any queue depth) */
#define RV_RAS_MAX RV_TIMING_MAX_RAS

_Static_assert(RV_TC_COUNT <= RV_TIMING_CLASSES, "raise RV_TIMING_CLASSES");

typedef struct rv_tcache {
    rv_cache_params p;
    uint32_t sets, line_bits;
    uint64_t *tag;              /* line address per way, ~0 when empty */
    uint64_t *ready;            /* cycle the line's data is (or was) available */
    uint64_t *stamp;            /* LRU: last use */
    uint8_t *dirty;
    uint64_t clock;
    uint64_t mru_line[2], mru_way[2];   /* the two lines found last (most accesses hit them again) */
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

/* Per-address counters of one code page: for every instruction slot, 16 words: the stall cycles per
   cause (0..12), a bucket for "no cause" (13, always 0 in practice: stalls are added unconditionally),
   the retirement count (14) and the issue cycles charged (15). */
enum { RV_NO_CAUSE = RV_STALL_COUNT, RV_PC_COUNT = 14, RV_PC_CYCLES = 15, RV_PC_WORDS = 16 };
_Static_assert(RV_STALL_COUNT == 13 && RV_TIMING_CAUSES >= 14, "per-pc record layout");
typedef struct rv_pc_page {
    uint64_t rec[RV_SLOTS_PER_PAGE][RV_PC_WORDS];
} rv_pc_page;

/* The producer of one vector register, for chaining. */
typedef struct rv_vreg_state {
    uint64_t start, occupancy, latency;
    uint8_t cls, valid;
} rv_vreg_state;

struct rv_timing;
typedef void (*rv_step_fn)(rv_machine *m, struct rv_timing *T, const rv_insn_t *e, uint64_t pc,
                           uint64_t rs1v, uint64_t rs2v, int taken);

/* The decoded cost of a vector instruction at one address for one vtype / vl / mtype (timing.c). */
#define RV_VMEMO_SIZE 256
typedef struct rv_vmemo {
    uint64_t pc, vtype, vl, mtype;
    uint32_t raw;
    uint8_t cls, pk, mem, write;        /* mem: 0 none, 1 unit stride (or whole/mask), 2 strided, 3 indexed */
    uint8_t nlist, ndest, scalar_result;
    struct { uint8_t reg, n, dest; } list[5];   /* vector source groups: first register, count, is vd */
    uint64_t o;                         /* occupancy, quarter cycles */
    uint64_t mem_bytes, flops;
} rv_vmemo;

typedef struct rv_timing {
    rv_timing_params p;
    rv_top op[RV_OP_COUNT];
    rv_step_fn step[RV_OP_COUNT];   /* the compiled copy of the step each op uses (timing.c) */
    rv_timing_totals t;
    /* issue */
    uint64_t cycle;             /* issue cycle of the newest instruction */
    uint64_t charge_mark;       /* issue cycle of the previous instruction (~0 before the first) */
    uint32_t slots;             /* instructions issued in that cycle */
    uint64_t fetch_ready;       /* earliest issue cycle allowed by fetch */
    uint8_t fetch_cause;
    uint64_t fetch_pc;          /* the branch/jump that set fetch_ready (blamed for its stalls) */
    uint64_t end;               /* latest completion so far */
    uint64_t cycle_base;        /* `end` when the counters were last reset (reported cycles count from it) */
    uint64_t reg_ready[RV_REG_COUNT];   /* when each register's value is ready (layout above) */
    uint8_t reg_cause[RV_REG_COUNT];
    uint64_t unit_free[RV_TIMING_UNITS + 1][RV_TIMING_MAX_PIPES];   /* + a row for unlimited units */
    /* branch prediction */
    uint8_t *bp;
    uint32_t bp_mask, ghist;
    uint64_t *btb;
    uint64_t ras[RV_RAS_MAX];
    uint64_t ras_top, ras_bottom;
    uint64_t last_fetch_line;
    /* memory */
    rv_tcache l1i, l1d, l2;
    uint64_t dram_free;
    /* vector unit */
    uint64_t vq[RV_VQUEUE_MAX];  /* start cycle of recent vector instructions (queue exits) */
    uint64_t v_last_start, last_vstart;
    uint64_t vpipe_free[RV_VPIPE_COUNT][RV_TIMING_MAX_PIPES];
    rv_vreg_state vreg[32];
    uint64_t machine_te;        /* the machine's Zvt TE (0 without Zvt) */
    uint64_t mtype_now;         /* mtype of the vector instruction being timed */
    rv_vmemo vmemo[RV_VMEMO_SIZE];
    /* per-pc statistics, one array per code page */
    uint64_t mem_base, npages;
    rv_pc_page **pcpage;
    rv_pc_page *pc_cur;         /* the page of the last instruction, and its index */
    uint64_t pc_cur_index;
    uint64_t stray[RV_PC_WORDS];    /* addresses outside memory (cannot execute; kept for safety) */
    /* pipeline trace */
    rv_timing_trace_rec *trace;
    uint64_t trace_cap, trace_used;
} rv_timing;

uint64_t rv_timing_now(rv_machine *m);
void rv_timing_destroy(rv_machine *m);

#endif
