/* Reverse execution and watchpoints: the public interface (wrapped by cffi with rvsim.h).
 *
 * While recording, run() executes in the recording loop (interp.c), which logs what each retired
 * instruction (or trap) overwrote into a bounded undo log (history.c); rv_reverse() pops entries off
 * that log and puts the old values back.  Watchpoints are checked in the same loop, so the functional
 * loop stays free of both.  With the cycle model on, history_checkpoint.c keeps checkpoints of the
 * model so that a reverse takes it back exactly (rv_history_settle), and a redo stack of what the host
 * did, so that executing undone steps again replays system calls (rv_history_replay).
 */
#ifndef RVSIM_HISTORY_H
#define RVSIM_HISTORY_H

#include <stdint.h>
#include "rvsim.h"

/* cffi-begin */
/* Watchpoint kinds.  Memory watches cover [addr, addr+size); a register watch has addr = 0..31 for
   x0..x31 and 32..63 for f0..f31 and triggers when the register's value changes. */
enum rv_watch_kind { RV_WATCH_READ = 1, RV_WATCH_WRITE = 2, RV_WATCH_ACCESS = 3, RV_WATCH_REGISTER = 4 };
#define RV_WATCH_MAX_SIZE 4096

typedef struct rv_watch_hit {
    int32_t id;                 /* the watchpoint that triggered */
    uint32_t kind;              /* its kind */
    uint32_t access;            /* what happened: RV_WATCH_READ or RV_WATCH_WRITE (registers: WRITE) */
    uint32_t reverse;           /* found by rv_reverse (the machine is now before the instruction) */
    uint64_t addr, size;        /* the watched range (register: its number and 8) */
    uint64_t pc;                /* the instruction that read or wrote it */
} rv_watch_hit;

/* Start recording (or change the limits of a running recording): keep the undo information of at most
   max_instructions instructions and about max_bytes bytes, dropping the oldest.  Returns 0, or -1 when
   the host has no memory for it. */
int rv_history_start(rv_machine *m, uint64_t max_instructions, uint64_t max_bytes);
void rv_history_stop(rv_machine *m);         /* stop recording and forget the history */
void rv_history_clear(rv_machine *m);        /* forget the history, keep recording */
int rv_history_recording(rv_machine *m);
uint64_t rv_history_length(rv_machine *m);   /* instructions (and traps) that can be undone */
uint64_t rv_history_bytes(rv_machine *m);    /* host memory the history holds */
/* Undo up to n instructions.  flags & 1: stop at breakpoints (the restored pc is one) and watchpoints
   (the undone instruction wrote a watched location or changed a watched register).  *undone gets the
   number undone.  Returns RV_STOP_LIMIT (n undone), RV_STOP_HISTORY_START, RV_STOP_BREAKPOINT or
   RV_STOP_WATCH. */
int rv_reverse(rv_machine *m, uint64_t n, int flags, uint64_t *undone);
/* With the cycle model on, rv_reverse puts back its clock only; this makes the whole model (counters,
   caches, predictor, scoreboard, vector unit) what a forward run to this point gives, from the nearest
   checkpoint at or before it (history_checkpoint.c).  Call it when a reverse is finished (run() does
   before it runs).  Returns 0, or -1 when the model could not be made exact. */
int rv_history_settle(rv_machine *m);
/* run() stopped for the host (ecall, HTIF, ebreak) at a step that had been undone: put back what the
   host did there the first time (the system call's results, memory it wrote, pages it mapped) instead
   of having it service the call again.  Returns 1 when it did (the host must not service it), else 0. */
int rv_history_replay(rv_machine *m);
/* The host ended the program at this stop: executed again, the step is not replayed (the host is
   asked again, and ends it again). */
void rv_history_host_exit(rv_machine *m);
/* What the last executed (or undone) instruction changed, serialised into buf: a uint64 that is 1
   when the changes are those of an undo (old = before the undo), then entries of
   {uint32 type, uint32 len, uint64 addr, old[len], new[len]} with old and new padded to 8 bytes.
   Types: 1 memory (addr = guest address), 2 hart word (addr = byte offset in rv_hart_state),
   3 vector register bytes (addr = byte offset in the register file), 4 tile bytes, 5 machine word
   (addr 0: the cycle offset), 6 page permissions (addr = page index), 7 register (addr 0..31 x, 32..63 f).
   Returns the bytes needed (call again with a larger buffer when more than cap); -1 without history. */
int64_t rv_history_changes(rv_machine *m, uint8_t *buf, uint64_t cap);
/* The memory the last `steps` steps overwrote, newest first, serialised into buf as entries of
   {uint64 addr, uint64 len, old[len] padded to 8 bytes} (old: the bytes before that write; the same
   bytes may appear again, older, further on).  Returns the bytes needed for all of them (entries that
   do not fit in cap are left out whole); -1 without history. */
int64_t rv_history_memory_changes(rv_machine *m, uint64_t steps, uint8_t *buf, uint64_t cap);

/* The calls that have not returned at this point, innermost first, from the history's calls and returns
   as the return-address-stack hints of the spec name them (jal/jalr linking ra or t0 push; jalr x0
   through ra or t0 pops; jalr linking one through the other pops then pushes; c.jal (rv32 != 0), c.jalr,
   c.jr alike): up to cap pairs {return address, sp when it was called} in buf.  Returns the number
   of such calls found in the whole history (the pairs beyond cap are left out), or -1 without history;
   *complete gets 1 when the history reaches back to where recording began (no step was dropped), so
   that no call older than it can be missing. */
int64_t rv_history_calls(rv_machine *m, int rv32, uint64_t *buf, uint64_t cap, int *complete);

/* Returns the watchpoint's id (> 0), or -1 (bad kind/size, or too many watchpoints). */
int rv_watch_add(rv_machine *m, unsigned kind, uint64_t addr, uint64_t size);
int rv_watch_remove(rv_machine *m, int id);
/* The last watch hit: 0, or -1 if none.  old/new get the watched bytes before and after (for reads:
   both the value read); each buffer must hold RV_WATCH_MAX_SIZE bytes. */
int rv_watch_hit_info(rv_machine *m, rv_watch_hit *hit, uint8_t *old_bytes, uint8_t *new_bytes);
/* cffi-end */

#endif
