/* The recording loop with the cycle model, of RV32 machines: interp_recording_timed.c compiled with
   RV_XLEN 32 (see interp_loop.inc). */
#define RV_XLEN 32
#define rv_run_recording_timed rv_run_recording_timed32
#include "interp_recording_timed.c"
