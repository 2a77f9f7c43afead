/* What the block compiler (jit_x86.c) asks the cycle model when it compiles a timed block: copies of
 * the step that are given what the block knows when it is compiled, the instruction's per-address
 * record and whether it shares the fetch line of the instruction retired just before it, instead of
 * finding them at every retirement.  They count exactly what the step of the table counts.
 */
#ifndef RVSIM_TIMING_BLOCK_H
#define RVSIM_TIMING_BLOCK_H

#include "core.h"

struct rv_timing;
/* flags: it transferred control; the instruction retired just before it was on its fetch line */
enum { RV_BSTEP_TAKEN = 1, RV_BSTEP_SAME_LINE = 2 };
/* (no rs2 value: none of the ops these copies serve reads it) */
typedef void (*rv_block_step_fn)(struct rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v,
                                 uint64_t *rec, int flags);

/* The block copy of the step T->step[op] is, or NULL (then the block calls T->step[op]). */
rv_block_step_fn rv_timing_block_step(struct rv_timing *T, unsigned op);
/* The per-address record of pc.  It lives until the model is reset, flushed, re-enabled or traced,
   each of which flushes the decode cache and with it every block. */
uint64_t *rv_timing_block_rec(struct rv_timing *T, uint64_t pc);
/* log2 of the L1I line size: instructions whose pcs agree above it share a fetch line */
unsigned rv_timing_fetch_line_bits(struct rv_timing *T);
/* A vector instruction of a timed block (vector_block.c): run as the timed loop runs it, then stepped;
   general and jit are the loop's labels of its op's general path and of a block's entry.  1 retired,
   0 nothing changed (the block leaves before it). */
int rv_timed_block_v(rv_machine *m, const rv_insn_t *e, uint64_t pc, const void *general, const void *jit);
/* Its fast path without the step, once the block checked the interpreter's fast-path guard (a
   unit-stride load or store, or another op with a fast path): 1 done, 0 nothing changed */
int rv_timed_block_vf_mem(rv_machine *m, const rv_insn_t *e);
int rv_timed_block_vf_op(rv_machine *m, const rv_insn_t *e);

/* The step of a plain, multiply/divide, FP, load, store, branch or jump instruction, spelled out for a
   block to do inline (jit_x86.c timed_step_inline; on another fetch line than the one fetched last,
   after rv_timing_block_fetch's lookup): what the block copy of
   the step would do, with everything known when the block is compiled resolved (the scoreboard entries
   it reads and writes, latency, occupancy, unit, and the offsets of the model's fields).  The model's
   records and the values are constants while the model lives (a reset, flush, re-enable or trace drops
   every block). */
typedef struct rv_block_inline {
    uint32_t nraw, raw[3];          /* scoreboard entries read (RAW), in the step's order */
    uint32_t waw;                   /* 1: the WAW check on dreg */
    uint32_t dreg, lat, occ, rcause, flops;
    uint32_t unit_pair;             /* 1: the first free of two instances, 0: instance 0 */
    uint32_t mem;                   /* 1: a load, 2: a store: its result (the data access, the result's
                                       entry and the end of all work) is rv_timing_block_mem's */
    /* (a load or store) its access when it hits the L1D line found last (tm_data_access_fast's first
       test), done inline: 1, with the L1D's fields */
    uint32_t mru, l1d_line_bits, hit_latency, cause_dcache, cause_load;
    int32_t o_mru_line0, o_mru_way0, o_l1d_access, o_l1d_clock;
    uint64_t addr_mask, l1d_stamp, l1d_ready, l1d_dirty;  /* (the last three: addresses of arrays) */
    uint32_t branch;                /* 1: a conditional branch: no result entry, no stall charged to
                                       the branch or jump before it (the step's test sees this one as
                                       the one that set fetch), the prediction rv_timing_block_branch's,
                                       and it is the one later fetch stalls are charged to */
    uint32_t jump;                  /* 1: jal, 2: jalr: as a branch, but with its link's result entry
                                       and the prediction rv_timing_block_jal's or _jalr's */
    int32_t o_unit;                 /* offset of the unit's instance 0 */
    /* (rv_timing_block_vstep) a vector instruction, done so while the machine's vtype, vl (0 when vtype
       has vill) and mtype are the ones it was resolved for (else the block calls its block copy of the
       step): the vector queue's constraint (depth, ring mask, the causes) after the unit's, a full
       queue's stall charged by the reason of its head (v_queue_full[vq_cause[head]], at most
       vwait_count - 1, else vwait_pipe); no result here: the step's end (the vector unit's part, the
       result's scoreboard entry and the end of all work) is the function rv_timing_block_vstep returns */
    uint32_t vector;
    uint64_t vtype, vl, mtype;
    uint32_t vq_depth, vq_mask, stall_vqueue, vwait_count, vwait_pipe;
    int32_t o_v_instructions, o_vq, o_vq_cause, o_v_queue_full;
    /* offsets of the model's fields */
    int32_t o_cycle, o_slots, o_issue_width, o_fetch_ready, o_fetch_cause, o_fetch_pc, o_rr, o_reg_cause,
            o_stall, o_end, o_instructions, o_charge_mark, o_flops, o_last_fetch_line, o_fetch_rec;
    /* constants: no cause, the causes of WAW, unit, mispredict and taken stalls, the per-pc words */
    uint32_t no_cause, stall_waw, stall_unit, stall_mispredict, stall_taken, pc_count, pc_cycles;
} rv_block_inline;
/* 1 and *out filled when the step T->step[e->exec_op] can be done so, else 0 */
int rv_timing_block_inline(struct rv_timing *T, const rv_insn_t *e, rv_block_inline *out);
/* The end of a vector instruction's step done so, once it issued (T's cycle) and its per-address
   record is counted: the vector unit's part, the result's scoreboard entry and the end of all work,
   given its descriptor and x[rs1] before it ran */
typedef void (*rv_block_vresult_fn)(struct rv_timing *T, const void *desc, uint64_t rs1v);
/* A vector instruction's rv_block_inline when it can be done so (its step one of the step table's
   vector copies, the vector unit on), with its descriptor (what the vector unit's memo holds for it
   under the state the block checks, and the rest the end of its step needs) written into desc: a block
   keeps it 8-byte aligned in its code (it holds pointers and no reference to itself, so it may be
   copied); returns the function that ends its step, or NULL */
#define RV_BLOCK_VDESC_BYTES 128
rv_block_vresult_fn rv_timing_block_vstep(struct rv_timing *T, const rv_insn_t *e, rv_block_inline *o,
                                          void *desc);
/* The end of the step of a load or store done so: the data access at rs1v + imm in cycle t, the
   result's scoreboard entry and the latest completion (the step's order: none of the rest reads them) */
void rv_timing_block_mem(struct rv_timing *T, const rv_insn_t *e, uint64_t rs1v, uint64_t t);
/* The prediction part of the step of a conditional branch done so (taken: 0 or 1) */
void rv_timing_block_branch(struct rv_timing *T, const rv_insn_t *e, uint64_t pc, int taken, uint64_t t);
/* ... of a jal or jalr done so (rs1v: x[rs1] before it ran) */
void rv_timing_block_jal(struct rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, uint64_t t);
void rv_timing_block_jalr(struct rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, uint64_t t);
/* The start of the step done so of an instruction whose fetch line may not be the one fetched last:
   the cycle it could issue by bandwidth and fetch (t) and the cause of its wait, after the line's L1I
   lookup when the line is another (the step's fetch, which sets the line fetched last) */
typedef struct rv_block_fetch {
    uint64_t t, cause;
} rv_block_fetch;
rv_block_fetch rv_timing_block_fetch(struct rv_timing *T, uint64_t pc);
/* The rare part of that step: a stall behind a branch or jump charged to it (the step's
   charge_fetch_stall); returns the cycles that stay with the instruction. */
uint64_t rv_timing_block_charge(struct rv_timing *T, uint64_t *rec, unsigned cause, uint64_t stall,
                                uint64_t charged);

#endif
