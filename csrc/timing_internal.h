/* The cycle model's state (internal to the core; the public side is timing.h). */
#ifndef RVSIM_TIMING_INTERNAL_H
#define RVSIM_TIMING_INTERNAL_H

#include "timing.h"
#include "isa_timing.h"

#define RV_VQUEUE_MAX 256       /* capacity of the vector-queue ring (>= any queue depth) */
#define RV_RAS_MAX 64

_Static_assert(RV_TC_COUNT <= RV_TIMING_CLASSES, "raise RV_TIMING_CLASSES");

typedef struct rv_tcache {
    rv_cache_params p;
    uint32_t sets, line_bits;
    uint64_t *tag;              /* line address per way, ~0 when empty */
    uint64_t *ready;            /* cycle the line's data is (or was) available */
    uint64_t *stamp;            /* LRU: last use */
    uint8_t *dirty;
    uint64_t clock;
} rv_tcache;

/* The producer of one vector register, for chaining. */
typedef struct rv_vreg_state {
    uint64_t start, occupancy, latency;
    uint8_t cls, valid;
} rv_vreg_state;

typedef struct rv_timing {
    rv_timing_params p;
    rv_timing_totals t;
    /* issue */
    uint64_t cycle;             /* issue cycle of the newest instruction */
    uint32_t slots;             /* instructions issued in that cycle */
    uint64_t fetch_ready;       /* earliest issue cycle allowed by fetch */
    uint8_t fetch_cause;
    uint64_t fetch_pc;          /* the branch/jump that set fetch_ready (blamed for its stalls) */
    uint64_t end;               /* latest completion so far */
    uint64_t reg_ready[128];    /* x0..x32 at 0.., f0..f31 at 64.. */
    uint8_t reg_cause[128];
    uint64_t unit_free[RV_TIMING_UNITS][RV_TIMING_MAX_PIPES];
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
    uint64_t v_last_start, last_vstart, last_vdone;
    uint64_t vpipe_free[RV_VPIPE_COUNT][RV_TIMING_MAX_PIPES];
    rv_vreg_state vreg[32];
    /* per-pc statistics, one array per code page */
    uint64_t mem_base, npages;
    rv_timing_pc_stats **pcpage;
    rv_timing_pc_stats stray;
    /* pipeline trace */
    rv_timing_trace_rec *trace;
    uint64_t trace_cap, trace_used;
} rv_timing;

void rv_timing_step(rv_machine *m, rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v,
                    uint64_t rs2v, int taken);
uint64_t rv_timing_now(rv_machine *m);
void rv_timing_destroy(rv_machine *m);

#endif
