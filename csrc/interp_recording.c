/* The recording loop: the functional loop plus the undo log of reverse execution (see
   interp_recording.h and history.c). */
#include "interp.h"
#include "interp_recording.h"

#define RV_LOOP_FN rv_run_recording
#define RV_LOOP_LOCALS RV_HIST_LOCALS
#define RV_HOOK_EXECUTE(e) RV_HIST_EXECUTE(e, 0)
#define RV_HOOK_RETIRE(e) RV_HIST_RETIRE(e)
#define RV_HOOK_RETIRE_JUMP(e) RV_HIST_RETIRE(e)
#include "interp_loop.inc"
