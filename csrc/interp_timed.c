/* The timed loop: the same instructions, each retirement fed to the cycle model (see interp.h). */
#include "interp.h"

#define RV_LOOP_FN rv_run_timed
#define RV_LOOP_LOCALS RV_TIMED_LOCALS
#if !defined(RV_XLEN) || RV_XLEN == 64
/* enters compiled blocks that call the model's step for each instruction (jit_x86.c): RV64 only */
#define RV_LOOP_JIT
#define RV_LOOP_JIT_KIND RV_JIT_TIMED
#endif
#define RV_HOOK_EXECUTE(e) RV_TIMED_EXECUTE(e)
#define RV_HOOK_RETIRE(e) RV_TIMED_RETIRE(e, 0)
#define RV_HOOK_RETIRE_JUMP(e) RV_TIMED_RETIRE(e, 1)
#define RV_HOOK_STORE(addr, size) ((void)0)
#define RV_HOOK_LOAD(addr, size) ((void)0)
#define RV_HOOK_TRAP(at_target) ((void)0)
#define RV_HOOK_TRAPPED(r) ((void)0)
#include "interp_loop.inc"
