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
 * The loop itself is in interp_loop.inc, compiled once per variant, each in its own translation unit
 * (interp_functional.c, interp_timed.c, interp_recording.c, interp_recording_timed.c, so that they build
 * in parallel, and again for RV32 machines in interp_*32.c): the functional loop with empty hooks and the timed loop with hooks that feed the cycle
 * model (timing.c), rather than testing a flag per instruction.  Hooks:
 * RV_HOOK_EXECUTE(e) before an instruction executes, RV_HOOK_RETIRE(e) / RV_HOOK_RETIRE_JUMP(e) as it
 * retires (in sequence / transferring control), RV_HOOK_STORE(addr, size) before each store, and the
 * load and trap hooks of interp_loop.inc.  A third and fourth copy record the undo log for reverse
 * execution and check watchpoints (history.c), so that neither costs anything while off.  Since
 * decode-cache slots hold label addresses of the loop that decoded them, switching between loop
 * variants flushes the decode cache.
 */
#include "interp.h"

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

int rv_run(rv_machine *m, uint64_t max_instructions)
{
    if (m->hist)
        return rv_hist_run(m, max_instructions);
    if (m->cfg.flags & RV_CFG_XLEN32)
        return m->timing ? rv_run_timed32(m, max_instructions) : rv_run_functional32(m, max_instructions);
    return m->timing ? rv_run_timed(m, max_instructions) : rv_run_functional(m, max_instructions);
}

