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

#endif
