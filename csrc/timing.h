/* The cycle model: parameters, results and the per-instruction step (docs/timing.md has the formulas).
 *
 * The model is fed by run_timed, a second compilation of the interpreter loop whose retire hook calls
 * the model's step (rv_timing.step[op]) with each retired instruction.  It never changes what the program computes: it only
 * keeps time (scoreboard, functional units, branch predictor, caches, DRAM, vector unit).
 *
 * The region between the cffi markers is part of the Python interface: plain structs that rvsim.timing
 * fills from a preset and reads back.
 */
#ifndef RVSIM_TIMING_H
#define RVSIM_TIMING_H

#include <stdint.h>
#include "rvsim.h"

/* cffi-begin */
#define RV_TIMING_CLASSES 48        /* capacity of per-class arrays (>= RV_TC_COUNT) */
#define RV_TIMING_UNITS 16          /* scalar functional-unit kinds */
#define RV_TIMING_CAUSES 16         /* capacity of per-cause stall counters */
#define RV_TIMING_MAX_PIPES 8       /* instances of one scalar unit or vector pipe kind */
/* Limits on the parameters: the one table both rv_timing_enable and the preset checks of rvsim.timing
   (which read these through cffi) apply. */
#define RV_TIMING_MAX_ISSUE 8       /* issue_width */
#define RV_TIMING_MAX_QUEUE 256     /* v_queue_depth */
#define RV_TIMING_MAX_HISTORY 30    /* history_bits */
#define RV_TIMING_MAX_RAS 64        /* ras_entries */
#define RV_TIMING_MAX_MSHRS 64      /* mshrs of a cache */
#define RV_TIMING_MAX_STREAMS 32    /* prefetch_streams */
#define RV_TIMING_MAX_PF_DISTANCE 256   /* prefetch_distance (lines) */

/* Why an instruction issued later than the cycle it could otherwise have issued in. */
enum rv_stall_cause {
    RV_STALL_DEP_ALU = 0,       /* waiting for a short-latency integer result */
    RV_STALL_DEP_LOAD = 1,      /* load-use: waiting for a load that hit */
    RV_STALL_DEP_MULDIV = 2,    /* waiting for a multiply or divide */
    RV_STALL_DEP_FP = 3,        /* waiting for a floating-point result */
    RV_STALL_DEP_VECTOR = 4,    /* waiting for a result from the vector unit */
    RV_STALL_WAW = 5,           /* an older write to the same register has not completed */
    RV_STALL_UNIT = 6,          /* every unit of the needed kind is busy (structural) */
    RV_STALL_MISPREDICT = 7,    /* fetch restarted after a mispredicted branch or jump */
    RV_STALL_TAKEN = 8,         /* fetch redirect after a correctly predicted taken branch/jump */
    RV_STALL_ICACHE = 9,        /* instruction fetch missed in L1I */
    RV_STALL_DCACHE = 10,       /* waiting for a load that missed in L1D */
    RV_STALL_VQUEUE = 11,       /* the vector instruction queue is full */
    RV_STALL_SERIAL = 12,       /* fence / CSR / system instruction waits for older work to drain */
    RV_STALL_COUNT = 13
};

/* Why the vector unit started an instruction later than one cycle after the previous one
   (docs/timing.md section 4.7): memory (a source written by a vector load whose data has not arrived),
   chaining (a source written by vector arithmetic), a busy pipe, or scalar (the instruction had not yet
   arrived from the scalar core). */
enum rv_vwait_cause {
    RV_VWAIT_MEMORY = 0, RV_VWAIT_CHAIN = 1, RV_VWAIT_PIPE = 2, RV_VWAIT_SCALAR = 3, RV_VWAIT_COUNT = 4
};
#define RV_TIMING_VWAITS 8          /* capacity of per-vector-cause counters */

/* Vector pipe kinds. */
enum { RV_VPIPE_ARITH = 0, RV_VPIPE_PERM = 1, RV_VPIPE_MEM = 2, RV_VPIPE_TILE = 3, RV_VPIPE_COUNT = 4 };

typedef struct rv_cache_params {
    uint32_t size;              /* bytes; 0 = this level does not exist */
    uint32_t ways;
    uint32_t line;              /* bytes (power of two) */
    uint32_t latency;           /* hit latency in cycles */
    uint32_t write_back;        /* 1: write-back + write-allocate; 0: write-through, no allocate */
    uint32_t mshrs;             /* misses that may be outstanding at once (0 = unlimited) */
} rv_cache_params;

typedef struct rv_timing_params {
    /* ---- scalar core */
    uint32_t issue_width;                       /* instructions per cycle, in order (1..RV_TIMING_MAX_ISSUE) */
    uint32_t latency[RV_TIMING_CLASSES];        /* scalar: issue to result; vector: start-up latency */
    uint32_t occupancy[RV_TIMING_CLASSES];      /* scalar: cycles a unit stays busy (0 = latency) */
    uint32_t unit_of[RV_TIMING_CLASSES];        /* scalar unit kind each class issues to */
    uint32_t unit_count[RV_TIMING_UNITS];       /* instances of each unit kind (0 = unlimited) */
    uint32_t div_operand_dependent;             /* 1: divide latency = latency + quotient bits/bpc */
    uint32_t div_bits_per_cycle;
    uint32_t predictor;                         /* 0 static BTFN, 1 always not-taken, 2 bimodal, 3 gshare */
    uint32_t predictor_entries;                 /* 2-bit counters (power of two) */
    uint32_t history_bits;                      /* gshare global history length */
    uint32_t btb_entries;                       /* indirect-jump target table (power of two; 0 = none) */
    uint32_t ras_entries;                       /* return-address stack depth (0 = none) */
    uint32_t mispredict_penalty;                /* cycles lost after a mispredicted branch/jump */
    uint32_t taken_penalty;                     /* fetch bubble after a predicted-taken transfer */
    uint32_t serialize_csr;                     /* 1: CSR/fence/system wait until older work drains */
    /* ---- memory */
    rv_cache_params l1i, l1d, l2;
    uint32_t dram_latency;                      /* cycles from request to first byte */
    uint32_t dram_bytes_per_cycle;              /* bandwidth (0 = unlimited) */
    uint32_t prefetch_streams;                  /* stream prefetcher: streams tracked (0 = none) */
    uint32_t prefetch_distance;                 /* lines it runs ahead of the demand stream */
    uint32_t prefetch_level;                    /* the cache it fills: 1 L1D, 2 L2 */
    /* ---- vector unit */
    uint32_t v_enabled;
    uint32_t vlen;                              /* bits (must match the machine's) */
    uint32_t v_queue_depth;                     /* instructions between scalar issue and the vector unit */
    uint32_t v_issue_latency;                   /* cycles from scalar issue to earliest vector start */
    uint32_t v_chaining;                        /* 1: dependents start on the first element group */
    uint32_t v_pipes[RV_VPIPE_COUNT];           /* instances per pipe kind */
    uint32_t v_width[RV_VPIPE_COUNT];           /* bits per cycle per pipe (arith: DLEN; mem: bytes*8) */
    uint32_t v_pipe_of[RV_TIMING_CLASSES];      /* pipe kind per vector class */
    uint32_t v_cost[RV_TIMING_CLASSES];         /* occupancy multiplier, or cycles per element */
    uint32_t v_extra[RV_TIMING_CLASSES];        /* cycles added to each occupancy (x1/4) */
    uint32_t v_tree_step[RV_TIMING_CLASSES];    /* reductions: cycles per tree level (x1/4) */
    uint32_t v_acc_latency;                     /* accumulator forwarding: macc -> macc on vd (0 = latency) */
    uint32_t v_masked_factor;                   /* occupancy multiplier of masked instructions (x1/4) */
    uint32_t v_e64_mul_factor;                  /* integer multiply occupancy multiplier at SEW=64 */
    uint32_t v_strided_cycles;                  /* strided/indexed memory: cycles per element */
    uint32_t v_mem_via_l1;                      /* 1: vector memory accesses look up L1D; 0: L2/DRAM */
    uint32_t v_to_scalar_latency;               /* vector -> x/f register transfer */
    uint32_t tile_te;                           /* Zvt: edge of the TE x TE MAC array (0 = the machine's TE) */
    uint32_t dot_width;                         /* int8 dot-product datapath bits/cycle (0 = DLEN) */
    uint32_t bf16_width;                        /* bf16 widening MAC datapath bits/cycle (0 = DLEN) */
} rv_timing_params;

/* Totals.  Per-line detail is read with rv_timing_pc_stats. */
typedef struct rv_timing_totals {
    uint64_t cycles;                            /* completion of the last instruction */
    uint64_t instructions;
    uint64_t stall[RV_TIMING_CAUSES];           /* issue cycles lost, by cause */
    uint64_t branches, mispredicts, taken;
    uint64_t l1i_access, l1i_miss, l1d_access, l1d_miss, l2_access, l2_miss;
    uint64_t dram_bytes, writebacks;            /* DRAM traffic (reads, writebacks, prefetches) */
    uint64_t prefetches, prefetch_hits;         /* lines prefetched; demand accesses that found one */
    uint64_t mshr_wait;                         /* cycles misses waited for a free MSHR */
    uint64_t v_instructions;
    uint64_t v_busy[RV_VPIPE_COUNT];            /* pipe-cycles each pipe kind was occupied */
    uint64_t v_elements;                        /* vector body elements processed */
    uint64_t flops;                             /* floating-point operations (FMA = 2) */
    uint64_t v_wait_queue;                      /* cycles vector instructions waited in the queue */
    uint64_t v_wait[RV_TIMING_VWAITS];          /* the vector unit's start delays by cause (rv_vwait_cause) */
    uint64_t v_queue_full[RV_TIMING_VWAITS];    /* RV_STALL_VQUEUE cycles by the cause that held the
                                                   instruction at the head of the queue */
    uint64_t int_ops;                           /* integer vector operations (multiply-add = 2) */
} rv_timing_totals;

/* Per-instruction-address counters. */
typedef struct rv_timing_pc_stats {
    uint64_t count;                             /* times retired */
    uint64_t cycles;                            /* issue cycles charged to it (its stall included) */
    uint64_t stall[RV_TIMING_CAUSES];
} rv_timing_pc_stats;

/* Turn the model on with these parameters (copied), resetting its state; NULL turns it off.
   Returns 0, or -1 with a message in the hart's error field for parameters it cannot use. */
int rv_timing_enable(rv_machine *m, const rv_timing_params *params);
int rv_timing_enabled(rv_machine *m);
/* Restart the counters; caches, predictor and everything in flight stay (cycles count from now). */
void rv_timing_reset(rv_machine *m);
/* Forget all counters and timing state (the clock restarts at 0, caches and predictor are empty). */
void rv_timing_flush(rv_machine *m);
void rv_timing_get_totals(rv_machine *m, rv_timing_totals *out);
/* Fill up to max entries of per-pc counters (addresses in pcs), in address order; returns the count. */
uint64_t rv_timing_pc_count(rv_machine *m);
uint64_t rv_timing_get_pcs(rv_machine *m, uint64_t *pcs, rv_timing_pc_stats *stats, uint64_t max);
/* Pipeline trace (Kanata): record issue/complete of each instruction into a buffer the host drains. */
typedef struct rv_timing_trace_rec {
    uint64_t pc;
    uint64_t fetch, issue, start, done;         /* cycles: fetch ready, issue, vector start, result */
    uint32_t raw;                               /* instruction bits */
    uint8_t cause;                              /* stall cause charged at issue (255 = none) */
    uint8_t vector;                             /* 1 for instructions run by the vector unit */
    uint16_t stall;                             /* stall cycles (saturated) */
} rv_timing_trace_rec;
int rv_timing_trace(rv_machine *m, rv_timing_trace_rec *buffer, uint64_t capacity);
uint64_t rv_timing_trace_used(rv_machine *m);
void rv_timing_trace_clear(rv_machine *m);
/* cffi-end */

#endif
