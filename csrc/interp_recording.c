/* The recording loop: the functional loop plus the undo log of reverse execution (see
   interp_recording.h and history.c). */
#include "interp.h"
#include "interp_recording.h"

#define RV_LOOP_FN rv_run_recording
#define RV_LOOP_LOCALS RV_HIST_LOCALS
#if !defined(RV_XLEN) || RV_XLEN == 64
/* enters compiled blocks that write their own undo records (jit_x86.c): RV64 only.  A block is entered
   only where the inline push could take all its records (room >= len: no watchpoints, no lost step,
   not at the bound) and nothing is in flight. */
#define RV_LOOP_JIT
#define RV_LOOP_JIT_KIND RV_JIT_RECORDING
#define RV_HOOK_JIT_OK(len) (hs->room >= (int64_t)(len) && hs->ehead == hs->ecommit)
#endif
#define RV_HOOK_EXECUTE(e) RV_HIST_EXECUTE(e, 0)
#define RV_HOOK_RETIRE(e) RV_HIST_RETIRE(e)
#define RV_HOOK_RETIRE_JUMP(e) RV_HIST_RETIRE(e)
#include "interp_loop.inc"
