/* What the interpreter's timed loops (interp.h) see of the cycle model: the step table and the clock.
 *
 * The model's state (timing_internal.h) begins with these fields, so a change to the model rebuilds the
 * timing_*.c files only, not the four compilations of the interpreter loop.
 */
#ifndef RVSIM_TIMING_HOOKS_H
#define RVSIM_TIMING_HOOKS_H

#include "core.h"

struct rv_timing;
/* The model's step for one retired instruction (timing.c); the model knows its machine.  (Six
   arguments: all in registers.) */
typedef void (*rv_step_fn)(struct rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v,
                           uint64_t rs2v, int taken);

/* The leading fields of struct rv_timing (an anonymous member there, a named struct here). */
#define RV_TIMING_HOOK_FIELDS \
    rv_step_fn step[RV_OP_COUNT];   /* the compiled copy of the step each op uses */ \
    uint64_t cycle;                 /* issue cycle of the newest instruction */
typedef struct rv_timing_hooks { RV_TIMING_HOOK_FIELDS } rv_timing_hooks;

#endif
