/* The recording loop with the cycle model: the hooks of both (interp_recording.h, interp.h). */
#include "interp.h"
#define RV_HIST_TIMED 1
#include "interp_recording.h"

#define RV_LOOP_FN rv_run_recording_timed
#define RV_LOOP_LOCALS RV_HIST_LOCALS RV_TIMED_LOCALS
#define RV_HOOK_EXECUTE(e) do { RV_TIMED_EXECUTE(e); RV_HIST_EXECUTE(e, tm->cycle); } while (0)
#define RV_HOOK_RETIRE(e) do { RV_HIST_RETIRE(e); RV_TIMED_RETIRE(e, 0); } while (0)
#define RV_HOOK_RETIRE_JUMP(e) do { RV_HIST_RETIRE(e); RV_TIMED_RETIRE(e, 1); } while (0)
#include "interp_loop.inc"
