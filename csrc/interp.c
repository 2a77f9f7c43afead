/* The fast interpreter loop: threaded code over the decode cache.
 *
 * Every instruction is decoded once into an rv_insn_t slot of its code page; the slot holds the address
 * of the label that executes it, so dispatch is one indirect jump.  Sequential flow steps to the next
 * slot, branches inside a page index the slot array directly, and only jumps across pages look the page
 * up.  Everything rare (CSRs, traps, page-crossing or faulting memory accesses, host calls) leaves the
 * loop through a slow-path function in machine.c.
 *
 * Semantics live in exec_*.inc, grouped by extension, one label per instruction (the labels are named
 * L_<OP> after the generated op enum; a missing one is a compile error, so every instruction of the ISA
 * table has semantics).
 *
 * The loop itself is in interp_loop.inc, compiled twice: run_functional with empty hooks and run_timed
 * with hooks that feed the cycle model (timing.c), rather than testing a flag per instruction.  Hooks:
 * RV_HOOK_EXECUTE(e) before an instruction executes, RV_HOOK_RETIRE(e) / RV_HOOK_RETIRE_JUMP(e) as it
 * retires (in sequence / transferring control), RV_HOOK_STORE(addr, size) before each store, and the
 * load and trap hooks of interp_loop.inc.  A third and fourth copy record the undo log for reverse
 * execution and check watchpoints (history.c), so that neither costs anything while off.  Since
 * decode-cache slots hold label addresses of the loop that decoded them, switching between loop
 * variants flushes the decode cache.
 */
#include <fenv.h>
#include <math.h>
#include "core.h"
#include "fp.h"
#include "timing_internal.h"
#include "history_internal.h"
#include "vector.h"

enum { RV_LABEL_DECODE = RV_OP_COUNT, RV_LABEL_NEXT_PAGE, RV_LABEL_BREAKPOINT, RV_LABEL_COUNT };

/* Send a slot back to the decoder of the loop that runs this machine.  Only the handler changes: an
   instruction that invalidates its own slot (a store into its page, fence.i) still finishes with its
   decoded fields. */
void rv_reset_slot(rv_machine *m, rv_insn_t *slot)
{
    slot->handler = m->labels[RV_LABEL_DECODE];
}

/* Send every slot of a page back to the decoder, and point its two end sentinels at the current loop's
   page-crossing label: the sentinels hold label addresses too, so a page set up by one loop variant and
   entered by another after a switch would otherwise jump into the wrong function. */
void rv_reset_code_page(rv_machine *m, rv_code_page *page)
{
    for (unsigned i = 0; i < RV_SLOTS_PER_PAGE; i++)
        page->slot[i].handler = m->labels[RV_LABEL_DECODE];
    page->slot[RV_SLOTS_PER_PAGE].handler = m->labels[RV_LABEL_NEXT_PAGE];
    page->slot[RV_SLOTS_PER_PAGE + 1].handler = m->labels[RV_LABEL_NEXT_PAGE];
}

void rv_init_code_page(rv_machine *m, rv_code_page *page, uint64_t vaddr)
{
    memset(page, 0, sizeof *page);
    page->vaddr = vaddr;
    rv_reset_code_page(m, page);
}

/* The functional loop: no hooks, nothing but the instructions' semantics. */
#define RV_LOOP_FN run_functional
#define RV_LOOP_LOCALS
#define RV_HOOK_EXECUTE(e) ((void)0)
#define RV_HOOK_RETIRE(e) ((void)0)
#define RV_HOOK_RETIRE_JUMP(e) ((void)0)
#define RV_HOOK_STORE(addr, size) ((void)0)
#define RV_HOOK_LOAD(addr, size) ((void)0)
#define RV_HOOK_TRAP(at_target) ((void)0)
#define RV_HOOK_TRAPPED(r) ((void)0)
static int run_functional(rv_machine *m, uint64_t max_instructions);
#include "interp_loop.inc"
#undef RV_LOOP_FN
#undef RV_LOOP_LOCALS
#undef RV_HOOK_EXECUTE
#undef RV_HOOK_RETIRE
#undef RV_HOOK_RETIRE_JUMP
#undef RV_HOOK_STORE

/* The timed loop: the same instructions, each retirement fed to the cycle model (timing.c) with the
   values its rs1/rs2 slots held before it executed (addresses, strides, divide operands). */
#define RV_LOOP_FN run_timed
#define RV_LOOP_LOCALS rv_timing *const tm = m->timing; uint64_t t_rs1 = 0, t_rs2 = 0;
#define RV_HOOK_EXECUTE(e) (t_rs1 = x[(e)->rs1 & 31], t_rs2 = x[(e)->rs2 & 31])
#define RV_HOOK_RETIRE(e) tm->step[(e)->exec_op](m, tm, (e), PC_OF(e), t_rs1, t_rs2, 0)
#define RV_HOOK_RETIRE_JUMP(e) tm->step[(e)->exec_op](m, tm, (e), PC_OF(e), t_rs1, t_rs2, 1)
#define RV_HOOK_STORE(addr, size) ((void)0)
static int run_timed(rv_machine *m, uint64_t max_instructions);
#include "interp_loop.inc"
#undef RV_LOOP_FN
#undef RV_LOOP_LOCALS
#undef RV_HOOK_EXECUTE
#undef RV_HOOK_RETIRE
#undef RV_HOOK_RETIRE_JUMP
#undef RV_HOOK_STORE
#undef RV_HOOK_LOAD
#undef RV_HOOK_TRAP
#undef RV_HOOK_TRAPPED

/* The recording loops (history.c): before an instruction executes, the old value of what it may
   overwrite is captured (an integer rd in a local; anything else out of line); as it retires, a
   record of what changed is pushed on the undo log; stores log the bytes they overwrite.  A
   watchpoint hit makes the instruction that hit it the last of the budget, so run() stops after it. */
#define RV_HIST_LOCALS rv_history *const hs = m->hist; const uint8_t *const hs_class = rv_hist_class; \
    uint64_t hs_pc = 0, hs_old = 0, hs_clock = 0; unsigned hs_cls = RV_HC_X;
#define RV_HIST_EXECUTE(e, clock) do { hs_pc = PC_OF(e); hs_cls = hs_class[(e)->exec_op]; \
        if (likely(hs_cls == RV_HC_X)) { hs_old = x[(e)->rd]; hs_clock = (clock); } \
        else { SYNC(); rv_hist_capture(m, (e), hs_cls); } } while (0)
#define RV_HIST_STOP_AFTER() do { if (unlikely(hs->hit == 1)) { instret0 += 1 - (uint64_t)budget; budget = 1; } } while (0)
#define RV_HIST_RETIRE(e, flags) do { \
        if (likely(hs_cls == RV_HC_X)) \
            rv_hist_push_x(m, hs, hs_pc, (e)->rd, hs_old, x[(e)->rd], hs_clock, RV_HR_RETIRED | (flags)); \
        else rv_hist_commit(m, RV_HR_RETIRED); \
        RV_HIST_STOP_AFTER(); } while (0)
#define RV_HOOK_STORE(addr, size) rv_hist_store(m, hs, (addr), (size))
#define RV_HOOK_LOAD(addr, size) do { if (unlikely(hs->nmem_read)) rv_hist_read_at(m, (addr), (size), hs_pc); } while (0)
#define RV_HOOK_TRAP(at_target) rv_hist_trap_begin(m, (at_target) ? RV_HC_X : hs_cls)
#define RV_HOOK_TRAPPED(r) do { if (r) rv_hist_attach_step(m); \
        else { rv_hist_commit(m, 0); RV_HIST_STOP_AFTER(); } } while (0)

#define RV_LOOP_FN rv_run_recording
#define RV_LOOP_LOCALS RV_HIST_LOCALS
#define RV_HOOK_EXECUTE(e) RV_HIST_EXECUTE(e, 0)
#define RV_HOOK_RETIRE(e) RV_HIST_RETIRE(e, 0)
#define RV_HOOK_RETIRE_JUMP(e) RV_HIST_RETIRE(e, 0)
#include "interp_loop.inc"
#undef RV_LOOP_FN
#undef RV_LOOP_LOCALS
#undef RV_HOOK_EXECUTE
#undef RV_HOOK_RETIRE
#undef RV_HOOK_RETIRE_JUMP

/* ... and with the cycle model: both loops' hooks. */
#define RV_LOOP_FN rv_run_recording_timed
#define RV_LOOP_LOCALS RV_HIST_LOCALS rv_timing *const tm = m->timing; uint64_t t_rs1 = 0, t_rs2 = 0;
#define RV_HOOK_EXECUTE(e) do { t_rs1 = x[(e)->rs1 & 31]; t_rs2 = x[(e)->rs2 & 31]; \
        RV_HIST_EXECUTE(e, tm->cycle); } while (0)
#define RV_HOOK_RETIRE(e) do { RV_HIST_RETIRE(e, RV_HR_TIMED); \
        tm->step[(e)->exec_op](m, tm, (e), PC_OF(e), t_rs1, t_rs2, 0); } while (0)
#define RV_HOOK_RETIRE_JUMP(e) do { RV_HIST_RETIRE(e, RV_HR_TIMED); \
        tm->step[(e)->exec_op](m, tm, (e), PC_OF(e), t_rs1, t_rs2, 1); } while (0)
#include "interp_loop.inc"

int rv_run(rv_machine *m, uint64_t max_instructions)
{
    if (m->hist)
        return rv_hist_run(m, max_instructions);
    return m->timing ? run_timed(m, max_instructions) : run_functional(m, max_instructions);
}

