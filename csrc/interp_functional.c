/* The functional loop: no hooks, nothing but the instructions' semantics (see interp.c). */
#include "interp.h"

#define RV_LOOP_FN rv_run_functional
#if !defined(RV_XLEN) || RV_XLEN == 64
#define RV_LOOP_JIT     /* enters compiled blocks (jit.h): RV64 only */
#endif
#define RV_LOOP_LOCALS
#define RV_HOOK_EXECUTE(e) ((void)0)
#define RV_HOOK_RETIRE(e) ((void)0)
#define RV_HOOK_RETIRE_JUMP(e) ((void)0)
#define RV_HOOK_STORE(addr, size) ((void)0)
#define RV_HOOK_LOAD(addr, size) ((void)0)
#define RV_HOOK_TRAP(at_target) ((void)0)
#define RV_HOOK_TRAPPED(r) ((void)0)
#include "interp_loop.inc"
