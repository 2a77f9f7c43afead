/* The recording loop of RV32 machines: interp_recording.c compiled with RV_XLEN 32 (see interp_loop.inc). */
#define RV_XLEN 32
#define rv_run_recording rv_run_recording32
#include "interp_recording.c"
