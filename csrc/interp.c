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
 * retires (in sequence / transferring control), RV_HOOK_STORE(addr, size) before each store.  Since
 * decode-cache slots hold label addresses of the loop that decoded them, switching between loop
 * variants flushes the decode cache.
 */
#include <fenv.h>
#include <math.h>
#include "core.h"
#include "fp.h"
#include "timing_internal.h"
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

int rv_run(rv_machine *m, uint64_t max_instructions)
{
    return m->timing ? run_timed(m, max_instructions) : run_functional(m, max_instructions);
}

