/* The undo log's state and the parts of it the recording loop inlines (history.c has the rest). */
#ifndef RVSIM_HISTORY_INTERNAL_H
#define RVSIM_HISTORY_INTERNAL_H

#include <fenv.h>
#include "core.h"
#include "history.h"

/* How the recording loop captures an instruction's old state, by exec_op:
   X     only an integer rd (and memory, logged by the store hook): kept in loop locals, no call;
   F     floating point: x[rd], f[rd], fflags and mstatus, in loop locals too; a change of f[rd] is
         logged inline, one of fflags or mstatus (rare: the first dirtying, a raised flag) out of line;
   FQ    floating point that raises no exception flag (loads, stores, moves, sign injection, fclass):
         as F, without reading the host's flags (nothing is pending: every F instruction folds them);
   V     vector (not matrix): the destination register group (LMUL registers from vd, 2 x LMUL for a
         widening op; loads NF x EMUL; whole-register moves 8; stores none), x[rd], f[rd] and
         the CSRs a vector instruction may write (vset* clears mtype too), by rv_hist_capture_v and
         rv_hist_retire_v (no whole-state fallback unless watchpoints or a trap need it);
   FULL  anything else (CSRs, system, LR/SC, matrix): the whole hart, vector registers and tiles are
         copied before and compared after. */
enum { RV_HC_X = 0, RV_HC_FQ = 1, RV_HC_F = 2, RV_HC_V = 3, RV_HC_FULL = 4 };
/* (hidden: the loop reads the class table without a load of its address from the GOT) */
extern uint8_t rv_hist_class[RV_OP_COUNT] __attribute__((visibility("hidden")));
/* Class V, the vector registers an instruction other than a load or store may write, from vd:
   0 none (vset*, moves to x or f), 1 LMUL registers (at least one), 2 twice LMUL (widening),
   8 (the whole-register moves vmv<n>r.v), RV_HIST_VGROUP_ONE one register whatever LMUL (mask
   destinations, reductions, vmv.s.x and vfmv.s.f). */
#define RV_HIST_VGROUP_ONE 16
extern uint8_t rv_hist_vgroup[RV_OP_COUNT] __attribute__((visibility("hidden")));

enum { RV_HR_RETIRED = 1, RV_HR_FREG = 2 };

/* One undoable step (an instruction that retired, or a trap) in 12 bytes, so that recording moves
   little memory: the old value of the register it wrote, and the id of its meta word (below) in the
   history's dictionary of meta words (rv_history.metas), with RV_HID_HOST for RV_HREC_HOST.  A meta
   word depends only on the instruction's address and what it logs, so a program has few of them, and a
   compiled block finds the ids of its own when it is compiled: its records are two constant-free
   stores.  The meta word:
     bits 0-5   that register (an integer one, >= 32: none; with RV_HR_FREG, f0..f31),
     bit  6     RV_HR_RETIRED,
     bit  7     RV_HR_FREG: the register is a floating-point one,
     bits 8-22  the bytes of its other old values (memory, CSRs, vector registers...) in the extras
                ring, ending where the next record's begin; RV_HREC_SIDE: see the side ring,
     bit  23    RV_HREC_HOST: the host changed something after the step (set after the push,
                history_checkpoint.c; kept in the id as RV_HID_HOST, never in the dictionary),
     bits 24-63 (pc before - mem_base) / 2; RV_HREC_SIDE in bits 8-23 also covers a pc outside this.
   A step with a larger count or such a pc keeps both in the side ring (in record order).  The records
   are packed (12 bytes, old unaligned): the ring is a fourth smaller than with 16-byte records, and
   the stream a recording writes a fourth lighter. */
typedef struct __attribute__((packed)) rv_hist_rec {
    uint64_t old;
    uint32_t id;
} rv_hist_rec;
_Static_assert(sizeof(rv_hist_rec) == 12, "records are 12 bytes (the block compiler's stride)");

#define RV_HID_HOST 0x80000000u
#define RV_HREC_REG(meta) ((unsigned)(meta) & 63u)
#define RV_HREC_NEXTRA(meta) ((unsigned)((meta) >> 8) & 0x7fffu)
#define RV_HREC_SIDE 0x7fffu
#define RV_HREC_HOST (1ull << 23)
#define RV_HREC_PCBITS 40
#define RV_HREC_META(pcoff, nextra, flags, reg) \
    (((pcoff) >> 1) << 24 | (uint64_t)(nextra) << 8 | (uint64_t)(flags) << 6 | (uint64_t)(reg))

/* the direct-mapped cache in front of the dictionary (the interpreter's recording loop looks up each
   record's id there) */
#define RV_HIST_MCACHE 512
typedef struct rv_hist_mcache {
    uint64_t meta;              /* (RV_HIST_NO_META: empty; no meta word has RV_HREC_HOST) */
    uint32_t id;
} rv_hist_mcache;
#define RV_HIST_NO_META (~0ull)

typedef struct rv_hist_side {
    uint64_t index;             /* the record's logical index */
    uint64_t nextra, pc;
} rv_hist_side;

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
    /* the dictionary of meta words: id -> word (metas[0..nmetas)), and an open-addressed index of
       mindex_mask + 1 slots holding id + 1 (0: empty); it only grows while the history exists (the
       recording blocks hold ids), bounded by the program's instructions times what they log */
    uint64_t *metas;
    uint32_t nmetas, metas_cap;
    uint32_t *mindex;
    uint32_t mindex_mask;
    rv_hist_mcache mcache[RV_HIST_MCACHE];
    uint64_t *clk;              /* the cycle model's issue clock before each step (timed records) */
    uint64_t rcap, rmask, rhead, rtail;
    /* side ring: [stail, shead) of scap (a power of two), the records that need it, oldest first */
    rv_hist_side *side;
    uint64_t scap, shead, stail;
    uint64_t rlimit;            /* min(rcap, max_records) (lazy: rcap): a push beyond it drops or grows */
    uint64_t rbase;             /* rtail when the history was last cleared (rtail > rbase: steps dropped) */
    int rfull;                  /* the records ring cannot grow: a push beyond rlimit drops the oldest */
    /* extras: a byte ring of ecap (a power of two), logical positions [etail, ehead); entries of the
       instruction in flight are [ecommit, ehead) */
    uint8_t *ext;
    uint64_t ecap, ehead, etail, ecommit;
    uint64_t ecap_max;          /* the size the limits reserve for the extras ring (>= ecap): the ring
                                   starts smaller and doubles as the steps held need it (before any
                                   step is dropped for room), so that a run whose extras the bounds
                                   keep small does not touch (and have the host zero) every page of
                                   it; the bounds and history_bytes are those of the reserved size */
    int lost;                   /* the instruction in flight logged more than fits: history restarts */
    int slow;                   /* lost, or watchpoints: the inline push defers to rv_hist_push_slow
                                   (and only then can a watch hit be pending) */
    int wide;                   /* the memory window is too large for a pc in a record's 40 bits */
    int64_t room;               /* records the inline push may write without looking at the bounds:
                                   -1 slow (or wide), 0 at the limit, else rlimit - length; history.c
                                   recomputes it (rv_hist_room_update) whenever any of them changes */
    int timed;                  /* records were made with the cycle model on */
    /* the instruction in flight (classes F and FULL) */
    uint64_t s_pc, s_clock;
    int s_full;
    int s_nw;
    uint16_t s_off[9];
    uint64_t s_old[9];
    unsigned s_vfirst, s_vcount;    /* class V: the vector registers captured */
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
    int keep_undone;            /* pop keeps what it undid in `undone` */
    struct rv_hist_ck *ck;      /* the cycle model's checkpoints and the redo stack (history_checkpoint.c) */
    /* The bounds the steps held keep to: at most lrecords records whose extras take at most lbytes.
       Without `lazy` they are the rings' own limits (rlimit and ecap) and each push drops what they
       exclude.  With `lazy` (large rings, no cycle model) the rings are larger than the bounds by a
       sixteenth: pushes, compiled blocks included, only look at the rings' room (rlimit = rcap), and
       the oldest steps the bounds exclude are dropped in chunks (history.c, apply_bounds) when a ring
       is full and whenever the loop returns, so that between runs the history is exactly the one a
       drop at each push would leave. */
    int lazy;
    uint64_t lrecords, lbytes;
} rv_history;

/* The inline push's allowance (rv_history.room) from the state it summarises. */
static inline void rv_hist_room_update(rv_history *hs)
{
    hs->room = (hs->slow | hs->wide) ? -1 : (int64_t)(hs->rlimit - (hs->rhead - hs->rtail));
}

/* The id of a meta word (without RV_HREC_HOST) in the dictionary, adding it as needed.  (Only when the
   host has no memory left for the dictionary does this return id 0 and mark the step lost.) */
uint32_t rv_hist_meta_id_slow(rv_history *hs, uint64_t meta);
static inline uint32_t rv_hist_meta_id(rv_history *hs, uint64_t meta)
{
    rv_hist_mcache *c = &hs->mcache[(meta * 0x9e3779b97f4a7c15ull) >> 55];
    _Static_assert(RV_HIST_MCACHE == 1 << 9, "the cache index is the hash's top 9 bits");
    if (likely(c->meta == meta))
        return c->id;
    return rv_hist_meta_id_slow(hs, meta);
}

/* The meta word of record idx (RV_HREC_HOST included). */
static inline uint64_t rv_hist_meta(const rv_history *hs, uint64_t idx)
{
    uint32_t id = hs->rec[idx & hs->rmask].id;
    return hs->metas[id & ~RV_HID_HOST] | (id & RV_HID_HOST ? RV_HREC_HOST : 0);
}

/* Mark record idx as one the host changed something after. */
static inline void rv_hist_set_host(rv_history *hs, uint64_t idx)
{
    hs->rec[idx & hs->rmask].id |= RV_HID_HOST;
}

void rv_hist_make_room(rv_history *hs);
void rv_hist_drop_oldest(rv_history *hs);
void rv_hist_push_slow(rv_machine *m, uint64_t pc, unsigned rd, uint64_t old, uint64_t clock, unsigned flags);
void rv_hist_retire_f_slow(rv_machine *m, const rv_insn_t *e, uint64_t pc, uint64_t old_x, uint64_t old_f,
                           uint64_t old_mstatus, uint64_t old_fflags, uint64_t clock);
void rv_hist_hart_old(rv_machine *m, uint64_t off, uint64_t old);
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
int rv_run_recording32(rv_machine *m, uint64_t max_instructions);
int rv_run_recording_timed32(rv_machine *m, uint64_t max_instructions);
int rv_hist_run(rv_machine *m, uint64_t max_instructions);
void rv_hist_capture_v(rv_machine *m, const rv_insn_t *e, uint64_t pc, uint64_t clock);
void rv_hist_retire_v(rv_machine *m, const rv_insn_t *e, int timed);
/* a vector instruction inside a recording block (jit_x86.c): 1 retired and recorded at r, 0 not run */
int rv_hist_block_v(rv_machine *m, const rv_insn_t *e, uint64_t pc, rv_hist_rec *r, uint64_t reserve);
/* vector_block.c: the same for an instruction the interpreter would run on its fast path (the block
   checked the guard), pcmeta its record's meta word but for the extras count; the ops with a fast
   path (1 integer and memory, 2 FP, 3 FMA), and whether this one would take it now */
int rv_hist_block_vf(rv_machine *m, const rv_insn_t *e, uint64_t pcmeta, rv_hist_rec *r, uint64_t reserve);
extern const uint8_t rv_v_fast_kind[RV_OP_COUNT] __attribute__((visibility("hidden")));
int rv_v_block_has_fast(const rv_machine *m, const rv_insn_t *e);
/* (history.c, for rv_hist_block_vf) */
void rv_hist_block_v_words(rv_machine *m, const rv_insn_t *e);
void rv_hist_block_v_fold(rv_machine *m);

/* history.c for history_checkpoint.c */
void rv_hist_pop(rv_machine *m);
void rv_hist_save_exit_state(rv_machine *m);
void rv_hist_attach_host(rv_machine *m);
uint64_t rv_hist_rec_nextra(rv_history *hs, uint64_t idx);
uint64_t rv_hist_rec_pc(rv_machine *m, uint64_t idx);
uint64_t rv_hist_entry_before(const rv_history *hs, uint64_t end, unsigned *type, uint64_t *addr,
                              uint64_t *len, uint64_t *payload);
uint8_t *rv_hist_entry_target(rv_machine *m, unsigned type, uint64_t addr);
/* history_checkpoint.c */
int rv_hist_ck_run(rv_machine *m, uint64_t max_instructions);
void rv_hist_ck_run_begin(rv_machine *m);
void rv_hist_ck_before_pop(rv_machine *m);
void rv_hist_ck_undone(rv_machine *m);
void rv_hist_mark_host(rv_machine *m);
uint64_t rv_hist_ck_floor(rv_machine *m);
uint64_t rv_hist_ck_bytes(const rv_history *hs);
uint64_t rv_hist_ck_budget(const rv_history *hs);
void rv_hist_ck_clear(rv_history *hs);
void rv_hist_ck_free(rv_history *hs);

/* Room for one more record. */
static inline void rv_hist_room(rv_history *hs)
{
    if (likely(hs->rhead - hs->rtail < hs->rlimit))
        return;
    if (hs->rfull) {
        rv_hist_drop_oldest(hs);
        return;
    }
    rv_hist_make_room(hs);
}

/* Log the old bytes of a store of up to 8 bytes (the common case inline, the rest in history.c).
   The loop never runs while rv_reverse is undoing, so the hook need not test for it. */
static inline void rv_hist_store(rv_machine *m, rv_history *hs, uint64_t addr, uint64_t size)
{
    uint64_t off = addr - m->cfg.mem_base, at = hs->ehead & (hs->ecap - 1);
    if (likely(size <= 8 && off <= m->cfg.mem_size - 8 &&
               hs->ehead + 24 - hs->etail <= hs->ecap && at + 24 <= hs->ecap)) {
        uint8_t *p = hs->ext + at;
        uint64_t tl = RV_HE_MEM | size << 32;
        memcpy(p, m->mem + off, 8);         /* the payload is padded to 8 bytes anyway */
        memcpy(p + 8, &addr, 8);
        memcpy(p + 16, &tl, 8);
        hs->ehead += 24;
        return;
    }
    rv_hist_mem(m, addr, size);
}

/* Retire an instruction of class X: register rd (flags & RV_HR_FREG: f[rd]) held old before it.  The
   common case is a 12-byte record written inline, checked against one allowance (rv_history.room) and
   the extras count; watchpoints, a lost step, the bound and the rare large counts take
   rv_hist_push_slow.  pchalf: (pc - mem_base) / 2 (below 2^40 unless hs->wide, which makes room -1);
   timed: the loop runs the cycle model (hs->clk is set), a constant of each loop variant.  Returns 1
   when it took the slow path (only then can a watch hit be pending), else 0. */
static inline int rv_hist_push_x(rv_machine *m, rv_history *hs, uint64_t pchalf, unsigned rd, uint64_t old,
                                 uint64_t clock, unsigned flags, int timed)
{
    uint64_t nx = hs->ehead - hs->ecommit, idx = hs->rhead;
    int64_t room = hs->room;
    if (unlikely((room <= 0) | (nx >= RV_HREC_SIDE))) {
        /* at the bound with a full ring: drop the oldest step, inline unless it keeps a side entry */
        /* (the oldest record is read only when the ring is full: else its slot may never have been
           written, and its id is no index into the dictionary) */
        if (room < 0 || nx >= RV_HREC_SIDE || !hs->rfull ||
            RV_HREC_NEXTRA(rv_hist_meta(hs, hs->rtail)) == RV_HREC_SIDE) {
            rv_hist_push_slow(m, (pchalf << 1) + m->cfg.mem_base, rd, old, clock, flags);
            return 1;
        }
        hs->etail += RV_HREC_NEXTRA(rv_hist_meta(hs, hs->rtail));
        hs->rtail++;
    } else {
        hs->room = room - 1;
    }
    if (timed)
        hs->clk[idx & hs->rmask] = clock;
    rv_hist_rec *r = &hs->rec[idx & hs->rmask];
    r->old = old;
    r->id = rv_hist_meta_id(hs, pchalf << 24 | nx << 8 | (uint64_t)flags << 6 | rd);
    hs->rhead = idx + 1;
    hs->ecommit = hs->ehead;
    return 0;
}

/* Host FP exception flags raised since they were last folded into fflags (every recorded instruction
   that can raise them folds them as it retires, so none are pending as the next one starts). */
static inline int rv_hist_host_flags(void)
{
#if defined(__x86_64__)
    return __builtin_ia32_stmxcsr() & 0x3f;
#else
    return fetestexcept(FE_ALL_EXCEPT);
#endif
}

/* Retire an instruction of class F: x[rd], f[rd], mstatus and the fflags/frm word held the old_*
   values before it. */
static inline int rv_hist_retire_f(rv_machine *m, rv_history *hs, const rv_insn_t *e, uint64_t pchalf,
                                   uint64_t old_x, uint64_t old_f, uint64_t old_mstatus, uint64_t old_fflags,
                                   uint64_t clock, int quiet, int timed)
{
    uint64_t fflags_now;
    memcpy(&fflags_now, &m->h.fflags, 8);
    if (unlikely((hs->room < 0) | (quiet ? 0 : rv_hist_host_flags()) | (m->h.mstatus != old_mstatus) |
                 (fflags_now != old_fflags))) {
        rv_hist_retire_f_slow(m, e, (pchalf << 1) + m->cfg.mem_base, old_x, old_f, old_mstatus, old_fflags,
                              clock);
        return 1;
    }
    /* an instruction writes x[rd] or f[rd], never both: the record keeps the one that changed */
    unsigned fr = e->rd & 31u;
    if (m->h.f[fr] != old_f)
        return rv_hist_push_x(m, hs, pchalf, fr, old_f, clock, RV_HR_RETIRED | RV_HR_FREG, timed);
    return rv_hist_push_x(m, hs, pchalf, e->rd, old_x, clock, RV_HR_RETIRED, timed);
}

#endif
