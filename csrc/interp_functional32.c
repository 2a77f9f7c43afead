/* The functional loop of RV32 machines: interp_functional.c compiled with RV_XLEN 32 (see interp_loop.inc). */
#define RV_XLEN 32
#define rv_run_functional rv_run_functional32
#include "interp_functional.c"
