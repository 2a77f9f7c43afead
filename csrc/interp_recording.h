/* The recording hooks (history.c), shared by interp_recording.c and interp_recording_timed.c.
 *
 * Before an instruction executes, the old value of what it may overwrite is captured (an integer rd in
 * a local; anything else out of line: see the classes in history_internal.h); as it retires, a record of what changed is pushed on the undo
 * log; stores log the bytes they overwrite.  A watchpoint hit makes the instruction that hit it the
 * last of the budget, so run() stops after it.
 */
#ifndef RVSIM_INTERP_RECORDING_H
#define RVSIM_INTERP_RECORDING_H

/* hs_pcb: (pc - mem_base) / 2 of an instruction is hs_pcb + (its slot's address >> 5) on the current
   page (the slots of a page are 32 bytes, one per halfword), set as `page` changes */
_Static_assert(sizeof(rv_insn_t) == 32, "hs_pcb assumes 32-byte slots");
#define RV_HIST_LOCALS rv_history *const hs = m->hist; const uint8_t *const hs_class = rv_hist_class; \
    uint64_t hs_old = 0, hs_clock = 0, hs_fold = 0, hs_mstatus = 0, hs_fflags = 0, hs_pcb = 0; \
    unsigned hs_cls = RV_HC_X;
#define RV_HOOK_PAGE() (hs_pcb = ((page->vaddr - mem_base) >> 1) - ((uintptr_t)page->slot >> 5))
#define RV_HIST_PCHALF(e) (hs_pcb + ((uintptr_t)(e) >> 5))
#define RV_HIST_EXECUTE(e, clock) do { hs_cls = hs_class[(e)->exec_op]; \
        if (likely(hs_cls <= RV_HC_F)) { hs_old = x[(e)->rd]; hs_clock = (clock); \
            if (hs_cls != RV_HC_X) { hs_fold = h->f[(e)->rd & 31]; hs_mstatus = h->mstatus; \
                                     memcpy(&hs_fflags, &h->fflags, 8); } } \
        else if (hs_cls == RV_HC_V) rv_hist_capture_v(m, (e), PC_OF(e), (clock)); \
        else { SYNC(); rv_hist_capture(m, (e), hs_cls); } } while (0)
#define RV_HIST_STOP_AFTER() do { if (unlikely(hs->slow) && hs->hit == 1) { instret0 += 1 - (uint64_t)budget; budget = 1; } } while (0)
/* RV_HIST_TIMED: 1 in the loop with the cycle model (records keep its clock) */
#ifndef RV_HIST_TIMED
#define RV_HIST_TIMED 0
#endif
/* (a watch hit can be pending only when the push took its slow path: watchpoints make room -1) */
#define RV_HIST_RETIRE(e) do { \
        if (likely(hs_cls == RV_HC_X)) { \
            if (unlikely(rv_hist_push_x(m, hs, RV_HIST_PCHALF(e), (e)->rd, hs_old, hs_clock, RV_HR_RETIRED, \
                                        RV_HIST_TIMED))) \
                RV_HIST_STOP_AFTER(); \
        } else if (hs_cls <= RV_HC_F) { \
            if (unlikely(rv_hist_retire_f(m, hs, (e), RV_HIST_PCHALF(e), hs_old, hs_fold, hs_mstatus, hs_fflags, \
                                          hs_clock, hs_cls == RV_HC_FQ, RV_HIST_TIMED))) \
                RV_HIST_STOP_AFTER(); \
        } else { \
            if (hs_cls == RV_HC_V) rv_hist_retire_v(m, (e), RV_HIST_TIMED); \
            else rv_hist_commit(m, RV_HR_RETIRED); \
            RV_HIST_STOP_AFTER(); \
        } } while (0)
#define RV_HOOK_STORE(addr, size) rv_hist_store(m, hs, (addr), (size))
/* (the hook logged the old bytes: a store that misses the software TLB must not log them again) */
#define RV_STORE_SLOW rv_store_slow_logged
#define RV_HOOK_LOAD(addr, size) do { if (unlikely(hs->nmem_read)) rv_hist_read_at(m, (addr), (size), PC_OF(e)); } while (0)
#define RV_HOOK_TRAP(at_target) rv_hist_trap_begin(m, (at_target) ? RV_HC_X : hs_cls)
#define RV_HOOK_TRAPPED(r) do { if (r) rv_hist_attach_step(m); \
        else { rv_hist_commit(m, 0); RV_HIST_STOP_AFTER(); } } while (0)


#endif
