/* The undo log's state and the parts of it the recording loop inlines (history.c has the rest). */
#ifndef RVSIM_HISTORY_INTERNAL_H
#define RVSIM_HISTORY_INTERNAL_H

#include "core.h"
#include "history.h"

/* How the recording loop captures an instruction's old state, by exec_op:
   X     only an integer rd (and memory, logged by the store hook): kept in loop locals, no call;
   F     floating point: x[rd], f[rd], fflags and mstatus, captured out of line;
   FULL  anything else (CSRs, system, LR/SC, vector, matrix): the whole hart, vector registers and
         tiles are copied before and compared after. */
enum { RV_HC_X = 0, RV_HC_F = 1, RV_HC_FULL = 2 };
extern uint8_t rv_hist_class[RV_OP_COUNT];

enum { RV_HR_RETIRED = 1, RV_HR_TIMED = 2 };
#define RV_HREG_NONE 0xff

/* One undoable step: an instruction that retired, or a trap.  Its other old values (memory, CSRs,
   vector registers...) are `nextra` bytes of entries in the extras ring, ending where the next
   record's begin. */
typedef struct rv_hist_rec {
    uint64_t pc;                /* pc before */
    uint64_t old;               /* old value of x[reg] */
    uint64_t clock;             /* the cycle model's issue clock before (RV_HR_TIMED) */
    uint32_t nextra;
    uint8_t reg;                /* integer register written (RV_HREG_NONE: none changed) */
    uint8_t flags;              /* RV_HR_* */
    uint16_t pad;
} rv_hist_rec;

/* Entry types in the extras ring (also the types of rv_history_changes). */
enum { RV_HE_MEM = 1, RV_HE_HART = 2, RV_HE_VREG = 3, RV_HE_TILE = 4, RV_HE_MACH = 5, RV_HE_PERM = 6,
       RV_HE_REG = 7 };

#define RV_MAX_WATCHES 64

typedef struct rv_watch {
    int id;
    unsigned kind;
    uint64_t addr, size;
} rv_watch;

typedef struct rv_history {
    int user_on;                /* recording asked for (else only watchpoints keep the loop on) */
    uint64_t max_records, max_bytes;
    /* records: a ring of rcap (a power of two), logical indices [rtail, rhead) */
    rv_hist_rec *rec;
    uint64_t rcap, rhead, rtail;
    uint64_t rlimit;            /* min(rcap, max_records): a push beyond it drops or grows */
    int rfull;                  /* the records ring cannot grow: a push beyond rlimit drops the oldest */
    /* extras: a byte ring of ecap (a power of two), logical positions [etail, ehead); entries of the
       instruction in flight are [ecommit, ehead) */
    uint8_t *ext;
    uint64_t ecap, ehead, etail, ecommit;
    int lost;                   /* the instruction in flight logged more than fits: history restarts */
    int timed;                  /* records were made with the cycle model on */
    /* the instruction in flight (classes F and FULL) */
    uint64_t s_pc, s_clock;
    int s_full;
    int s_nw;
    uint16_t s_off[4];
    uint64_t s_old[4];
    rv_hart_state s_hart;
    uint64_t s_cycle_offset;
    uint8_t *s_vreg, *s_tiles;
    /* the state when run() last returned: what the host changes between runs is found by comparison */
    rv_hart_state x_hart;
    uint64_t x_cycle_offset;
    uint8_t *x_vreg, *x_tiles;
    int x_valid;
    /* watchpoints */
    rv_watch watch[RV_MAX_WATCHES];
    int nwatch, next_id, nmem_write, nmem_read;
    uint64_t reg_mask;          /* bit r: x_r (0..31), f_(r-32) (32..63) watched */
    int hit;                    /* 0 none, 1 pending (stop after this instruction), 2 reported */
    rv_watch_hit hitinfo;
    uint8_t hit_old[RV_WATCH_MAX_SIZE], hit_new[RV_WATCH_MAX_SIZE];
    /* changes of the last undone step (rv_history_changes after rv_reverse) */
    uint8_t *undone;
    uint64_t undone_len, undone_cap;
    int last_undone;
    int undoing;                /* rv_reverse is writing: the hooks must not log */
} rv_history;

void rv_hist_make_room(rv_history *hs);
void rv_hist_lost(rv_history *hs);
void rv_hist_capture(rv_machine *m, const rv_insn_t *e, unsigned cls);
void rv_hist_commit(rv_machine *m, unsigned flags);
void rv_hist_attach_step(rv_machine *m);
void rv_hist_trap_begin(rv_machine *m, unsigned cls);
void rv_hist_check_mem_watches(rv_machine *m, uint64_t pc);
void rv_hist_read_at(rv_machine *m, uint64_t addr, uint64_t size, uint64_t pc);
void rv_hist_host_write(rv_machine *m, uint64_t addr, uint64_t size);
void rv_hist_reg_hit(rv_machine *m, unsigned reg, uint64_t old, uint64_t pc);
int rv_run_recording(rv_machine *m, uint64_t max_instructions);
int rv_run_recording_timed(rv_machine *m, uint64_t max_instructions);
int rv_hist_run(rv_machine *m, uint64_t max_instructions);

/* Room for one more record. */
static inline void rv_hist_room(rv_history *hs)
{
    if (likely(hs->rhead - hs->rtail < hs->rlimit))
        return;
    if (hs->rfull) {
        rv_hist_rec *old = &hs->rec[hs->rtail & (hs->rcap - 1)];
        hs->etail += old->nextra;
        hs->rtail++;
        return;
    }
    rv_hist_make_room(hs);
}

/* Log the old bytes of a store of up to 8 bytes (the common case inline, the rest in history.c). */
static inline void rv_hist_store(rv_machine *m, rv_history *hs, uint64_t addr, uint64_t size)
{
    uint64_t off = addr - m->cfg.mem_base, at = hs->ehead & (hs->ecap - 1);
    if (likely(size <= 8 && off <= m->cfg.mem_size - 8 && !hs->undoing &&
               hs->ehead + 24 - hs->etail <= hs->ecap && at + 24 <= hs->ecap)) {
        uint8_t *p = hs->ext + at;
        uint32_t tl[2] = {RV_HE_MEM, (uint32_t)size};
        memcpy(p, m->mem + off, 8);         /* the payload is padded to 8 bytes anyway */
        memcpy(p + 8, &addr, 8);
        memcpy(p + 16, tl, 8);
        hs->ehead += 24;
        return;
    }
    rv_hist_mem(m, addr, size);
}

/* Retire an instruction of class X: x[rd] went from old to now. */
static inline void rv_hist_push_x(rv_machine *m, rv_history *hs, uint64_t pc, unsigned rd, uint64_t old,
                                  uint64_t now, uint64_t clock, unsigned flags)
{
    if (unlikely(hs->ehead != hs->ecommit || hs->lost)) {
        if (hs->lost) {
            rv_hist_lost(hs);
            return;
        }
        if (hs->nmem_write)
            rv_hist_check_mem_watches(m, pc);
    }
    unsigned reg = RV_HREG_NONE;
    if (old != now && rd < 32) {
        reg = rd;
        if (unlikely(hs->reg_mask >> rd & 1))
            rv_hist_reg_hit(m, rd, old, pc);
    }
    rv_hist_room(hs);
    rv_hist_rec *r = &hs->rec[hs->rhead & (hs->rcap - 1)];
    r->pc = pc;
    r->old = old;
    r->clock = clock;
    r->nextra = (uint32_t)(hs->ehead - hs->ecommit);
    r->reg = (uint8_t)reg;
    r->flags = (uint8_t)flags;
    hs->rhead++;
    hs->ecommit = hs->ehead;
}

#endif
