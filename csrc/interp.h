/* Internal to the interpreter: what interp.c and the loop variants (interp_*.c) share.
 *
 * Each variant is one compilation of interp_loop.inc with its own hooks, in its own translation unit so
 * that the variants compile in parallel and an edit to one rebuilds only it.  This header brings in what
 * interp_loop.inc and the exec_*.inc files need, the label indices past the op enum, and the hooks that
 * feed the cycle model, which the timed and the recording+timed variants share.  Of the model they see
 * only timing_hooks.h: a change to the model does not recompile the loops.
 */
#ifndef RVSIM_INTERP_H
#define RVSIM_INTERP_H

#include <fenv.h>
#include <math.h>
#include "core.h"
#include "fp.h"
#include "timing_hooks.h"
#include "history_internal.h"
#include "vector.h"
#include "vector_fast.h"
#include "jit.h"

/* Label slots after the ops: entry points of the loop that are not instructions. */
enum { RV_LABEL_DECODE = RV_OP_COUNT, RV_LABEL_NEXT_PAGE, RV_LABEL_BREAKPOINT, RV_LABEL_JIT, RV_LABEL_COUNT };

int rv_run_functional(rv_machine *m, uint64_t max_instructions);
int rv_run_timed(rv_machine *m, uint64_t max_instructions);
/* the same loops compiled for RV32 machines (interp_*32.c) */
int rv_run_functional32(rv_machine *m, uint64_t max_instructions);
int rv_run_timed32(rv_machine *m, uint64_t max_instructions);
/* rv_run_recording and rv_run_recording_timed (and their ...32 forms) are declared in history_internal.h */

/* The cycle model's hooks: each retirement is fed to the model (timing.c) with the values its rs1/rs2
   slots held before it executed (addresses, strides, divide operands), as XLEN-bit unsigned values
   (UX, interp_loop.inc: RV32 addresses are zero-extended). */
#define RV_TIMED_LOCALS \
    rv_timing_hooks *const tm = (rv_timing_hooks *)m->timing; uint64_t t_rs1 = 0, t_rs2 = 0;
#define RV_TIMED_EXECUTE(e) (t_rs1 = UX(x[(e)->rs1 & 31]), t_rs2 = UX(x[(e)->rs2 & 31]))
#define RV_TIMED_RETIRE(e, jumped) \
    tm->step[(e)->exec_op]((struct rv_timing *)tm, (e), PC_OF(e), t_rs1, t_rs2, (jumped))

#endif
