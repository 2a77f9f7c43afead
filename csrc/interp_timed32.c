/* The timed loop of RV32 machines: interp_timed.c compiled with RV_XLEN 32 (see interp_loop.inc). */
#define RV_XLEN 32
#define rv_run_timed rv_run_timed32
#include "interp_timed.c"
