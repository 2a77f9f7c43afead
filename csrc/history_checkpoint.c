/* Reverse execution with the cycle model, and replay of what the host did (interface: history.h).
 *
 * The undo log (history.c) puts the architectural state back one step at a time, but not the cycle
 * model's: its caches, predictor, scoreboard, vector unit and counters change on every instruction in
 * ways that are not worth logging.  While recording with the cycle model on, this file takes
 * checkpoints of the whole model (it is plain C structs and arrays: rv_timing, the caches' tag, ready,
 * stamp, dirty and prefetched arrays, the predictor and target table, the per-address counters) every
 * K steps.  Undoing steps leaves the model stale; rv_history_settle then makes it exact: it undoes on
 * to the newest checkpoint at or before the target, restores the model from it and executes forward
 * again to the target in the recording loop, so that every counter and every piece of
 * micro-architectural state is what a forward run to the target gives.  Going back costs the undo of
 * the distance plus at most K steps undone and executed again.
 *
 * Executing forward again must not ask the host again: a system call's results (registers, the memory
 * a read filled, pages mapped) are what it returned the first time, and output already written must
 * not be written twice.  Steps to which the host attached changes are marked (RV_HREC_HOST in the
 * record); when such a step is undone, what the step and the host left (the values of every location
 * its entries name, before the undo) is kept on a redo stack.  Forward execution over undone steps
 * (the settle above, and run() after reverse_step: rv_history_replay) puts those values back instead of
 * servicing the call again.  The redo stack is dropped when the machine leaves the recorded path (the
 * host changed something, or a step with host changes was executed without them).
 *
 * The checkpoints count against the history's byte bound: they get an eighth of it (rv_hist_ck_budget),
 * and when they outgrow it every other one is dropped and K doubles.  The model cannot be taken back past
 * the oldest checkpoint (which follows the oldest step kept), nor past a reset, flush or replacement of
 * the model made while the machine was stopped: a reverse stops there as at the start of the history.
 */
#include <stdlib.h>
#include "history_internal.h"
#include "timing_internal.h"

#define CK_FIRST_INTERVAL (1u << 16)
#define PAD8_CK(n) (((n) + 7) & ~(uint64_t)7)

/* One checkpoint: the model's state before the step of logical index idx.  data holds the arrays:
   predictor, target table, the three caches' per-line arrays, then the per-address counters of each
   code page that has any, as {uint64 page, uint64 slots} and per slot {uint64 slot, words[16]}. */
typedef struct rv_ck {
    uint64_t idx, bytes;
    rv_timing t;
    uint8_t data[];
} rv_ck;

/* What undoing a step with host changes found: the values its entries' locations held. */
typedef struct rv_redo {
    uint64_t idx, pc, len;      /* len: bytes of entries at data */
    uint8_t *data;              /* entries {uint32 type, uint32 len, uint64 addr, value[len] padded to 8} */
} rv_redo;

struct rv_hist_ck {
    rv_ck **ck;                 /* oldest first */
    uint64_t n, cap, bytes, interval;
    int stale;                  /* steps were undone since the model was last exact */
    int settling;
    int replaying;              /* the changes attached now are the redo stack's */
    int host_dirty;             /* the host changed the machine (not by replaying) */
    uint64_t exits[8];          /* steps after which the host ended the program (newest last) */
    unsigned nexits;
    /* the model as run() left it: a change between runs (reset, flush, a new model) starts again */
    rv_timing *x_model;
    uint64_t x_end, x_base, x_cycle, x_instructions;
    int x_valid;
    /* redo stack: highest index at the bottom, the next one forward on top */
    rv_redo *redo;
    uint64_t nredo, redo_cap, redo_bytes;
};

/* ---------------------------------------------------------------- checkpoints */

static uint64_t cache_lines(const rv_tcache *c)
{
    return c->p.size ? (uint64_t)c->sets * c->p.ways : 0;
}

static const uint64_t zero_rec[RV_PC_WORDS];

static uint64_t pc_slots(const rv_pc_page *page)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < RV_SLOTS_PER_PAGE; i++)
        n += memcmp(page->rec[i], zero_rec, sizeof zero_rec) != 0;
    return n;
}

/* Copy n bytes to/from the checkpoint's data at *pos. */
#define PUT(p, src, n) do { memcpy((p), (src), (n)); (p) += (n); } while (0)
#define GET(dst, p, n) do { memcpy((dst), (p), (n)); (p) += (n); } while (0)

static void cache_put(uint8_t **pp, const rv_tcache *c)
{
    uint64_t n = cache_lines(c);
    uint8_t *p = *pp;
    if (n) {
        PUT(p, c->tag, 8 * n); PUT(p, c->ready, 8 * n); PUT(p, c->stamp, 8 * n);
        PUT(p, c->dirty, n); PUT(p, c->prefetched, n);
    }
    *pp = p;
}

static void cache_get(const uint8_t **pp, rv_tcache *c)
{
    uint64_t n = cache_lines(c);
    const uint8_t *p = *pp;
    if (n) {
        GET(c->tag, p, 8 * n); GET(c->ready, p, 8 * n); GET(c->stamp, p, 8 * n);
        GET(c->dirty, p, n); GET(c->prefetched, p, n);
    }
    *pp = p;
}

static uint64_t fixed_bytes(const rv_timing *T)
{
    uint64_t b = T->bp ? (uint64_t)T->bp_mask + 1 : 0;
    b += T->btb ? 8ull * T->p.btb_entries : 0;
    b += 26 * (cache_lines(&T->l1i) + cache_lines(&T->l1d) + cache_lines(&T->l2));
    return b;
}

/* The code pages that have per-address counters, into *list (malloc'd); returns their number.  The
   table has an entry per page of guest memory, mostly empty: it is read eight entries at a time. */
static uint64_t counter_pages(const rv_timing *T, uint64_t **list)
{
    uint64_t n = 0, cap = 16;
    uint64_t *l = malloc(cap * sizeof *l);
    if (!l)
        return *list = NULL, 0;
    for (uint64_t pg = 0; pg < T->npages; pg += 8) {
        if (pg + 8 <= T->npages) {
            uintptr_t any = 0;
            for (unsigned j = 0; j < 8; j++)
                any |= (uintptr_t)T->pcpage[pg + j];
            if (!any)
                continue;
        }
        for (uint64_t q = pg; q < pg + 8 && q < T->npages; q++) {
            if (!T->pcpage[q])
                continue;
            if (n == cap) {
                uint64_t *b = realloc(l, 2 * cap * sizeof *l);
                if (!b)
                    return *list = l, n;
                l = b;
                cap *= 2;
            }
            l[n++] = q;
        }
    }
    *list = l;
    return n;
}

static rv_ck *take(rv_timing *T, uint64_t idx, uint64_t *npc)
{
    uint64_t *pages, np = counter_pages(T, &pages);
    *npc = np;
    uint64_t size = sizeof(rv_ck) + fixed_bytes(T);
    for (uint64_t k = 0; k < np; k++) {
        uint64_t s = pc_slots(T->pcpage[pages[k]]);
        if (s)
            size += 16 + s * 8 * (1 + RV_PC_WORDS);
    }
    rv_ck *c = malloc(size);
    if (!c) {
        free(pages);
        return NULL;
    }
    c->idx = idx;
    c->bytes = size;
    memcpy(&c->t, T, sizeof *T);
    uint8_t *p = c->data;
    if (T->bp)
        PUT(p, T->bp, (uint64_t)T->bp_mask + 1);
    if (T->btb)
        PUT(p, T->btb, 8ull * T->p.btb_entries);
    cache_put(&p, &T->l1i);
    cache_put(&p, &T->l1d);
    cache_put(&p, &T->l2);
    for (uint64_t k = 0; k < np; k++) {
        uint64_t pg = pages[k];
        const rv_pc_page *page = T->pcpage[pg];
        uint64_t s = pc_slots(page);
        if (!s)
            continue;
        PUT(p, &pg, 8);
        PUT(p, &s, 8);
        for (uint64_t i = 0; i < RV_SLOTS_PER_PAGE; i++)
            if (memcmp(page->rec[i], zero_rec, sizeof zero_rec)) {
                PUT(p, &i, 8);
                PUT(p, page->rec[i], sizeof page->rec[i]);
            }
    }
    free(pages);
    return c;
}

/* Put the model back as it was at c.  Returns -1 (model unchanged... or partly: only on no host
   memory for a counters page) on failure. */
static int restore(rv_timing *T, const rv_ck *c)
{
    /* what is not the model's state: the trace buffer the host lent, the arrays (the same ones: a new
       model starts the checkpoints again) */
    rv_timing_trace_rec *trace = T->trace;
    uint64_t trace_cap = T->trace_cap, trace_used = T->trace_used;
    rv_pc_page **pcpage = T->pcpage;
    memcpy(T, &c->t, sizeof *T);
    T->trace = trace;
    T->trace_cap = trace_cap;
    T->trace_used = trace_used;
    T->pcpage = pcpage;
    const uint8_t *p = c->data;
    if (T->bp)
        GET(T->bp, p, (uint64_t)T->bp_mask + 1);
    if (T->btb)
        GET(T->btb, p, 8ull * T->p.btb_entries);
    cache_get(&p, &T->l1i);
    cache_get(&p, &T->l1d);
    cache_get(&p, &T->l2);
    uint64_t *pages, np = counter_pages(T, &pages);
    for (uint64_t k = 0; k < np; k++)
        memset(pcpage[pages[k]], 0, sizeof *pcpage[pages[k]]);
    free(pages);
    const uint8_t *end = (const uint8_t *)c + c->bytes;
    int r = 0;
    while (p < end) {
        uint64_t pg, s;
        GET(&pg, p, 8);
        GET(&s, p, 8);
        if (!pcpage[pg] && !(pcpage[pg] = calloc(1, sizeof *pcpage[pg]))) {
            p += s * 8 * (1 + RV_PC_WORDS);
            r = -1;
            continue;
        }
        for (uint64_t k = 0; k < s; k++) {
            uint64_t i;
            GET(&i, p, 8);
            GET(pcpage[pg]->rec[i], p, sizeof pcpage[pg]->rec[i]);
        }
    }
    if (T->pc_cur_index < T->npages && pcpage[T->pc_cur_index]) {
        T->pc_cur = pcpage[T->pc_cur_index];
    } else {
        T->pc_cur = NULL;
        T->pc_cur_index = ~0ull;
    }
    return r;
}

static struct rv_hist_ck *ck_of(rv_machine *m)
{
    rv_history *hs = m->hist;
    if (!hs->ck)
        hs->ck = calloc(1, sizeof *hs->ck);
    return hs->ck;
}

static void drop_checkpoints(struct rv_hist_ck *k)
{
    for (uint64_t i = 0; i < k->n; i++)
        free(k->ck[i]);
    k->n = 0;
    k->bytes = 0;
    k->interval = CK_FIRST_INTERVAL;
    k->stale = 0;
}

static void redo_drop(struct rv_hist_ck *k)
{
    for (uint64_t i = 0; i < k->nredo; i++)
        free(k->redo[i].data);
    k->nredo = 0;
    k->redo_bytes = 0;
}

uint64_t rv_hist_ck_budget(const rv_history *hs)
{
    return hs->max_bytes / 8;
}

/* Forget the checkpoints older than the oldest step kept (they cannot be reached), but the newest of
   them when it is the state at that step. */
static void drop_unreachable(rv_history *hs)
{
    struct rv_hist_ck *k = hs->ck;
    uint64_t first = 0;
    while (first < k->n && k->ck[first]->idx < hs->rtail)
        first++;
    if (!first)
        return;
    for (uint64_t i = 0; i < first; i++) {
        k->bytes -= k->ck[i]->bytes;
        free(k->ck[i]);
    }
    memmove(k->ck, k->ck + first, (k->n - first) * sizeof *k->ck);
    k->n -= first;
}

/* Every other checkpoint goes (the oldest and the newest stay) and the interval doubles. */
static void thin(struct rv_hist_ck *k)
{
    uint64_t out = 0;
    for (uint64_t i = 0; i < k->n; i++) {
        if (i == 0 || i + 1 == k->n || i % 2 == 0) {
            k->ck[out++] = k->ck[i];
        } else {
            k->bytes -= k->ck[i]->bytes;
            free(k->ck[i]);
        }
    }
    k->n = out;
    k->interval *= 2;
}

static void checkpoint(rv_machine *m)
{
    rv_history *hs = m->hist;
    struct rv_hist_ck *k = hs->ck;
    drop_unreachable(hs);
    if (k->n && k->ck[k->n - 1]->idx == hs->rhead)
        return;
    if (k->n == k->cap) {
        uint64_t ncap = k->cap ? 2 * k->cap : 64;
        rv_ck **n = realloc(k->ck, ncap * sizeof *n);
        if (!n)
            return;
        k->ck = n;
        k->cap = ncap;
    }
    uint64_t npc;
    rv_ck *c = take(m->timing, hs->rhead, &npc);
    if (!c)
        return;
    k->ck[k->n++] = c;
    k->bytes += c->bytes;
    /* taking one reads every per-address counter page (256 KiB each): the interval grows with them so
       that checkpoints cost a few percent of the run (about one step per 4 bytes read) */
    uint64_t read = fixed_bytes(m->timing) + npc * sizeof(rv_pc_page), want = k->interval;
    while (want < read / 4)
        want *= 2;
    k->interval = want;
    while (k->n > 2 && (k->bytes > rv_hist_ck_budget(hs) || rv_history_bytes(m) > hs->max_bytes))
        thin(k);
    /* but a quarter of the history at most, so that some checkpoint is always inside it (a short one:
       the steps it can hold, or once steps were dropped, the steps it holds), and not below 64 steps
       (a history shorter than that can lose up to 64 steps to its oldest checkpoint) */
    uint64_t span = hs->rtail != hs->rbase ? hs->rhead - hs->rtail : hs->rlimit;
    if (k->interval > span / 4)
        k->interval = span / 4 > 64 ? span / 4 : 64;
}

/* The oldest step the model can be taken back to (rhead when there is no checkpoint). */
uint64_t rv_hist_ck_floor(rv_machine *m)
{
    rv_history *hs = m->hist;
    struct rv_hist_ck *k = hs->ck;
    if (!k || !m->timing || !hs->timed)
        return hs->rtail;
    uint64_t i = 0;
    while (i < k->n && k->ck[i]->idx < hs->rtail)
        i++;
    return i < k->n ? k->ck[i]->idx : hs->rhead;
}

uint64_t rv_hist_ck_bytes(const rv_history *hs)
{
    const struct rv_hist_ck *k = hs->ck;
    return k ? k->bytes + k->redo_bytes + k->cap * sizeof(rv_ck *) + k->redo_cap * sizeof(rv_redo) : 0;
}

void rv_hist_ck_clear(rv_history *hs)
{
    if (!hs->ck)
        return;
    drop_checkpoints(hs->ck);
    redo_drop(hs->ck);
    hs->ck->x_valid = 0;
    hs->ck->nexits = 0;
}

void rv_hist_ck_free(rv_history *hs)
{
    struct rv_hist_ck *k = hs->ck;
    if (!k)
        return;
    drop_checkpoints(k);
    redo_drop(k);
    free(k->ck);
    free(k->redo);
    free(k);
    hs->ck = NULL;
}

void rv_hist_ck_undone(rv_machine *m)
{
    if (m->hist->ck && m->timing)
        m->hist->ck->stale = 1;
}

/* ---------------------------------------------------------------- redo */

static void redo_append(uint8_t **buf, uint64_t *len, uint64_t *cap, unsigned type, uint64_t addr,
                        const void *src, uint64_t n)
{
    uint64_t need = *len + 16 + PAD8_CK(n);
    if (need > *cap) {
        uint64_t ncap = *cap ? *cap : 256;
        while (ncap < need)
            ncap *= 2;
        uint8_t *b = realloc(*buf, ncap);
        if (!b)
            return;
        *buf = b;
        *cap = ncap;
    }
    uint8_t *p = *buf + *len;
    uint32_t t = type, l = (uint32_t)n;
    memcpy(p, &t, 4);
    memcpy(p + 4, &l, 4);
    memcpy(p + 8, &addr, 8);
    memset(p + 16, 0, PAD8_CK(n));
    memcpy(p + 16, src, n);
    *len = need;
}

/* The newest step is about to be undone: when the host changed something after it, keep what it and
   the host left. */
void rv_hist_ck_before_pop(rv_machine *m)
{
    rv_history *hs = m->hist;
    uint64_t idx = hs->rhead - 1;
    uint64_t meta = rv_hist_meta(hs, idx);
    if (!(meta & RV_HREC_HOST))
        return;
    struct rv_hist_ck *k = ck_of(m);
    if (!k)
        return;
    if (k->host_dirty || (k->nredo && k->redo[k->nredo - 1].idx <= idx)) {
        redo_drop(k);       /* (the stack describes a future the machine has left) */
        k->host_dirty = 0;
    }
    uint8_t *buf = NULL;
    uint64_t len = 0, cap = 0, end = hs->ehead, start_all = end - rv_hist_rec_nextra(hs, idx);
    unsigned reg = RV_HREC_REG(meta);
    if (reg < 32)
        redo_append(&buf, &len, &cap, RV_HE_HART, offsetof(rv_hart_state, x) + 8u * reg, &m->h.x[reg], 8);
    while (end > start_all) {
        unsigned type; uint64_t addr, n, payload;
        uint64_t start = rv_hist_entry_before(hs, end, &type, &addr, &n, &payload);
        if (type == RV_HE_PERM) {
            uint8_t *now = malloc(n ? n : 1);
            if (now) {
                for (uint64_t i = 0; i < n; i++)
                    now[i] = m->page_flags[addr + i] & 7;
                redo_append(&buf, &len, &cap, type, addr, now, n);
                free(now);
            }
        } else {
            const uint8_t *target = rv_hist_entry_target(m, type, addr);
            if (target)
                redo_append(&buf, &len, &cap, type, addr, target, n);
        }
        end = start;
    }
    if (k->nredo == k->redo_cap) {
        uint64_t ncap = k->redo_cap ? 2 * k->redo_cap : 16;
        rv_redo *r = realloc(k->redo, ncap * sizeof *r);
        if (!r) {
            free(buf);
            redo_drop(k);
            return;
        }
        k->redo = r;
        k->redo_cap = ncap;
    }
    k->redo[k->nredo++] = (rv_redo){idx, rv_hist_rec_pc(m, idx), len, buf};
    k->redo_bytes += cap;
    /* bounded like the checkpoints: the steps furthest ahead are forgotten first (executing forward
       to them asks the host again) */
    while (k->nredo > 1 && k->redo_bytes > rv_hist_ck_budget(hs)) {
        k->redo_bytes -= k->redo[0].len;
        free(k->redo[0].data);
        memmove(k->redo, k->redo + 1, (k->nredo - 1) * sizeof *k->redo);
        k->nredo--;
    }
}

/* Put back what the host did after step idx (the top of the redo stack), as the host would: memory and
   page permissions through the logging paths, registers and CSRs by direct writes (which the next
   comparison with the exit state attaches to the step). */
static void redo_apply(rv_machine *m, rv_redo *r)
{
    const uint8_t *p = r->data, *end = r->data + r->len;
    int flush = 0;
    while (p < end) {
        uint32_t type, n;
        uint64_t addr;
        memcpy(&type, p, 4);
        memcpy(&n, p + 4, 4);
        memcpy(&addr, p + 8, 8);
        const uint8_t *v = p + 16;
        if (type == RV_HE_MEM) {
            rv_write_memory(m, addr, v, n);
        } else if (type == RV_HE_PERM) {
            rv_hist_host_map(m, addr, addr + n);
            for (uint64_t i = 0; i < n; i++) {
                uint64_t pg = addr + i;
                m->page_flags[pg] = (uint8_t)((m->page_flags[pg] & ~7u) | (v[i] & 7u));
                if (m->code[pg])
                    rv_invalidate_code_page(m, pg);
            }
            rv_tlb_flush(m);
        } else {
            uint8_t *target = rv_hist_entry_target(m, type, addr);
            if (target) {
                memcpy(target, v, n);
                if (type == RV_HE_HART && addr == offsetof(rv_hart_state, mstatus))
                    flush = 1;
            }
        }
        p += 16 + PAD8_CK(n);
    }
    if (flush)
        rv_flush_decode_cache(m);
}

static void redo_pop(struct rv_hist_ck *k)
{
    rv_redo *r = &k->redo[--k->nredo];
    free(r->data);
    k->redo_bytes -= r->len;    /* (approximately what was counted) */
    if (k->nredo == 0)
        k->redo_bytes = 0;
}

void rv_history_host_exit(rv_machine *m)
{
    rv_history *hs = m->hist;
    struct rv_hist_ck *k;
    if (!hs || !hs->user_on || hs->rhead == hs->rtail || !(k = ck_of(m)))
        return;
    if (k->nexits == sizeof k->exits / sizeof k->exits[0]) {
        memmove(k->exits, k->exits + 1, sizeof k->exits - sizeof k->exits[0]);
        k->nexits--;
    }
    k->exits[k->nexits++] = hs->rhead - 1;
}

int rv_history_replay(rv_machine *m)
{
    rv_history *hs = m->hist;
    if (!hs || !hs->user_on || !hs->ck || !hs->ck->nredo || hs->rhead == hs->rtail)
        return 0;
    struct rv_hist_ck *k = hs->ck;
    rv_redo *r = &k->redo[k->nredo - 1];
    uint64_t idx = hs->rhead - 1;
    if (r->idx != idx || r->pc != rv_hist_rec_pc(m, idx))
        return 0;
    for (unsigned i = 0; i < k->nexits; i++)
        if (k->exits[i] == idx)
            return 0;       /* (the host ends the program again) */
    rv_hist_attach_host(m);     /* (nothing, unless the host changed something before asking) */
    k->replaying = 1;
    redo_apply(m, r);
    rv_hist_attach_host(m);
    k->replaying = 0;
    rv_hist_set_host(hs, idx);
    redo_pop(k);
    return 1;
}

/* run() starts: steps with host changes that were executed again without them leave the recorded path
   (the redo stack no longer describes what comes next). */
void rv_hist_ck_run_begin(rv_machine *m)
{
    struct rv_hist_ck *k = m->hist->ck;
    if (!k)
        return;
    if (k->host_dirty || (k->nredo && k->redo[k->nredo - 1].idx < m->hist->rhead))
        redo_drop(k);
    k->host_dirty = 0;
}

/* The host attached changes to the newest step. */
void rv_hist_mark_host(rv_machine *m)
{
    rv_history *hs = m->hist;
    if (hs->rhead == hs->rtail)
        return;
    rv_hist_set_host(hs, hs->rhead - 1);
    if (hs->ck && !hs->ck->replaying)
        hs->ck->host_dirty = 1;
}

/* ---------------------------------------------------------------- running and settling */

static int loop(rv_machine *m, uint64_t n)
{
    if (m->cfg.flags & RV_CFG_XLEN32)
        return m->timing ? rv_run_recording_timed32(m, n) : rv_run_recording32(m, n);
    return m->timing ? rv_run_recording_timed(m, n) : rv_run_recording(m, n);
}

static void note_exit(struct rv_hist_ck *k, rv_timing *T)
{
    k->x_model = T;
    k->x_end = T->end;
    k->x_base = T->cycle_base;
    k->x_cycle = T->cycle;
    k->x_instructions = T->t.instructions;
    k->x_valid = 1;
}

/* A run that stops for the host to service an ecall or HTIF request: the step is marked as one the
   host acts on even when nothing it does shows in the machine (a write whose count equals the fd it
   replaced in a0), so that executing it again replays instead of writing twice. */
static int serviced(rv_machine *m, int r)
{
    rv_history *hs = m->hist;
    if ((r == RV_STOP_ECALL || r == RV_STOP_HTIF) && hs->user_on && hs->rhead != hs->rtail)
        rv_hist_set_host(hs, hs->rhead - 1);
    return r;
}

static int run_chunks(rv_machine *m, uint64_t max_instructions);

int rv_hist_ck_run(rv_machine *m, uint64_t max_instructions)
{
    return serviced(m, run_chunks(m, max_instructions));
}

/* The recording loop for rv_hist_run: with the cycle model on, in chunks that end where a checkpoint
   is due. */
static int run_chunks(rv_machine *m, uint64_t max_instructions)
{
    rv_history *hs = m->hist;
    rv_timing *T = m->timing;
    if (!T || !hs->user_on)
        return loop(m, max_instructions);
    struct rv_hist_ck *k = ck_of(m);
    if (!k)
        return loop(m, max_instructions);
    if (k->stale)
        rv_history_settle(m);
    if (!k->x_valid || k->x_model != T || k->x_end != T->end || k->x_base != T->cycle_base ||
        k->x_cycle != T->cycle || k->x_instructions != T->t.instructions) {
        /* the model was reset, flushed or replaced since run() last returned: the checkpoints (and
           the records' clocks) describe another model */
        drop_checkpoints(k);
    }
    if (k->interval == 0)
        k->interval = CK_FIRST_INTERVAL;
    int r = RV_STOP_LIMIT;
    uint64_t left = max_instructions;
    int first = 1;
    while (left) {
        drop_unreachable(hs);
        if (!k->n || hs->rhead - k->ck[k->n - 1]->idx >= k->interval)
            checkpoint(m);
        if (!first && m->nbreakpoints && rv_is_breakpoint(m, m->h.pc)) {
            r = RV_STOP_BREAKPOINT;     /* as one run would have stopped there */
            break;
        }
        uint64_t due = k->n ? k->ck[k->n - 1]->idx + k->interval : hs->rhead + k->interval;
        uint64_t chunk = due > hs->rhead ? due - hs->rhead : k->interval;
        if (chunk > left)
            chunk = left;
        r = loop(m, chunk);
        first = 0;
        if (r != RV_STOP_LIMIT || hs->hit == 1)
            break;
        left -= chunk;
    }
    note_exit(k, T);
    return r;
}

/* Make the cycle model exact after steps were undone (history.h). */
int rv_history_settle(rv_machine *m)
{
    rv_history *hs = m->hist;
    if (!hs || !hs->ck || !hs->ck->stale || !m->timing || hs->ck->settling)
        return 0;
    struct rv_hist_ck *k = hs->ck;
    rv_timing *T = m->timing;
    uint64_t target = hs->rhead;
    k->stale = 0;
    drop_unreachable(hs);
    uint64_t i = k->n;
    while (i && k->ck[i - 1]->idx > target)
        i--;
    if (!i)
        return -1;      /* (the reverse stops at the oldest checkpoint: cannot happen) */
    const rv_ck *c = k->ck[i - 1];
    /* the checkpoints after the target describe a future that may not come again */
    for (uint64_t j = i; j < k->n; j++) {
        k->bytes -= k->ck[j]->bytes;
        free(k->ck[j]);
    }
    k->n = i;
    k->settling = 1;
    /* what the caller sees of the reverse stays: the changes of the last step undone, a watch hit */
    int keep = hs->keep_undone, hit = hs->hit, last_undone = hs->last_undone;
    uint64_t undone_len = hs->undone_len;
    uint64_t nmem_write = hs->nmem_write, nmem_read = hs->nmem_read, reg_mask = hs->reg_mask;
    rv_watch_hit hitinfo = hs->hitinfo;
    uint8_t *hit_old = malloc(2 * RV_WATCH_MAX_SIZE);
    if (hit_old) {
        memcpy(hit_old, hs->hit_old, RV_WATCH_MAX_SIZE);
        memcpy(hit_old + RV_WATCH_MAX_SIZE, hs->hit_new, RV_WATCH_MAX_SIZE);
    }
    rv_hist_attach_host(m);
    hs->undoing = 1;
    hs->keep_undone = 0;
    while (hs->rhead > c->idx && hs->rhead > hs->rtail) {
        rv_hist_ck_before_pop(m);
        rv_hist_pop(m);
    }
    hs->undoing = 0;
    int ok = hs->rhead == c->idx && restore(T, c) == 0;
    /* forward again, the watchpoints quiet and the host's part replayed */
    hs->nmem_write = hs->nmem_read = 0;
    hs->reg_mask = 0;
    hs->slow = hs->lost;
    rv_hist_room_update(hs);
    hs->hit = 0;
    rv_hist_save_exit_state(m);
    uint64_t guard = 0;
    while (ok && hs->rhead < target) {
        uint64_t to = target;
        if (k->nredo && k->redo[k->nredo - 1].idx >= hs->rhead && k->redo[k->nredo - 1].idx < target)
            to = k->redo[k->nredo - 1].idx + 1;
        uint64_t before = hs->rhead;
        int r = loop(m, to - hs->rhead);
        rv_hist_save_exit_state(m);
        hs->hit = 0;
        if (k->nredo && hs->rhead > hs->rtail && k->redo[k->nredo - 1].idx == hs->rhead - 1) {
            rv_redo *rd = &k->redo[k->nredo - 1];
            if (rd->pc == rv_hist_rec_pc(m, rd->idx)) {
                k->replaying = 1;
                redo_apply(m, rd);
                rv_hist_attach_host(m);
                k->replaying = 0;
                /* (marked as the first time, whether or not the values put back show a change) */
                rv_hist_set_host(hs, rd->idx);
            }
            redo_pop(k);
        } else if (hs->rhead == before && r != RV_STOP_LIMIT && ++guard > 2) {
            ok = 0;     /* stopped for the host with nothing recorded to replay */
        }
        if (hs->rhead != before)
            guard = 0;
    }
    hs->keep_undone = keep;
    hs->hit = hit;
    hs->hitinfo = hitinfo;
    if (hit_old) {
        memcpy(hs->hit_old, hit_old, RV_WATCH_MAX_SIZE);
        memcpy(hs->hit_new, hit_old + RV_WATCH_MAX_SIZE, RV_WATCH_MAX_SIZE);
        free(hit_old);
    }
    hs->nmem_write = nmem_write;
    hs->nmem_read = nmem_read;
    hs->reg_mask = reg_mask;
    hs->slow = hs->lost || hs->nmem_write || hs->nmem_read || hs->reg_mask;
    rv_hist_room_update(hs);
    hs->last_undone = last_undone;
    hs->undone_len = undone_len;
    rv_hist_save_exit_state(m);
    note_exit(k, T);
    k->settling = 0;
    return ok ? 0 : -1;
}
