/* The cycle model's memory system (docs/timing.md section 3): set-associative LRU caches (L1I, L1D,
 * L2) with a limited number of outstanding misses (MSHRs), a stride/stream prefetcher, DRAM with a
 * latency and a bandwidth, and the vector unit's memory accesses (section 4.4).
 */
#include <stdlib.h>
#include "timing_internal.h"

static int log2u(uint64_t v)
{
    int n = 0;
    while ((1ull << n) < v) n++;
    return n;
}

static void cache_free(rv_tcache *c)
{
    free(c->tag); free(c->ready); free(c->stamp); free(c->dirty); free(c->prefetched);
    memset(c, 0, sizeof *c);
}

static int cache_init(rv_tcache *c, const rv_cache_params *p, const char *name, char *err, size_t n)
{
    cache_free(c);
    c->p = *p;
    if (p->size == 0)
        return 0;
    if (p->line < 4 || (p->line & (p->line - 1)) || p->ways == 0 || p->size % (p->line * p->ways)) {
        snprintf(err, n, "%s: size must be a multiple of ways x line, line a power of two >= 4", name);
        return -1;
    }
    uint64_t sets = p->size / (p->line * p->ways);
    if (sets & (sets - 1)) {
        snprintf(err, n, "%s: the number of sets (size / (ways x line) = %llu) must be a power of two",
                 name, (unsigned long long)sets);
        return -1;
    }
    c->sets = (uint32_t)sets;
    c->line_bits = (uint32_t)log2u(p->line);
    uint64_t lines = sets * p->ways;
    c->tag = malloc(lines * sizeof *c->tag);
    c->ready = calloc(lines, sizeof *c->ready);
    c->stamp = calloc(lines, sizeof *c->stamp);
    c->dirty = calloc(lines, 1);
    c->prefetched = calloc(lines, 1);
    if (!c->tag || !c->ready || !c->stamp || !c->dirty || !c->prefetched) {
        snprintf(err, n, "%s: out of memory", name);
        return -1;
    }
    for (uint64_t i = 0; i < lines; i++)
        c->tag[i] = ~0ull;
    c->mru_line[0] = c->mru_line[1] = ~0ull;
    return 0;
}

static void cache_clear(rv_tcache *c)
{
    if (!c->p.size)
        return;
    uint64_t lines = (uint64_t)c->sets * c->p.ways;
    for (uint64_t i = 0; i < lines; i++)
        c->tag[i] = ~0ull;
    memset(c->ready, 0, lines * sizeof *c->ready);
    memset(c->stamp, 0, lines * sizeof *c->stamp);
    memset(c->dirty, 0, lines);
    memset(c->prefetched, 0, lines);
    memset(c->mshr_free, 0, sizeof c->mshr_free);
    c->mshr_head = 0;
    c->clock = 0;
    c->mru_line[0] = c->mru_line[1] = ~0ull;
    memset(c->found_way, 0, sizeof c->found_way);
}

/* DRAM: fixed latency plus a bandwidth limit; transfers are served in request order. */
static uint64_t dram_transfer(rv_timing *T, uint64_t now, uint32_t bytes)
{
    T->t.dram_bytes += bytes;
    uint64_t start = MAX64(now, T->dram_free);
    uint64_t xfer = T->p.dram_bytes_per_cycle ? (bytes + T->p.dram_bytes_per_cycle - 1) /
                                                T->p.dram_bytes_per_cycle : 0;
    T->dram_free = start + xfer;
    return start + xfer + T->p.dram_latency;
}

/* The line found last becomes `line` (in `way`), the one before it the line found last before. */
static inline void mru_remember(rv_tcache *c, uint64_t line, uint64_t way)
{
    c->mru_line[1] = c->mru_line[0];
    c->mru_way[1] = c->mru_way[0];
    c->mru_line[0] = line;
    c->mru_way[0] = way;
}

/* The way of set `base` holding `line`, or -1; WAYS: the set's size, a constant where tag_search_sized
   instantiates it for the usual sizes (the loop then unrolls), else c->p.ways. */
static inline __attribute__((always_inline)) int64_t
tag_search_n(const rv_tcache *c, uint64_t base, uint64_t line, const uint32_t WAYS)
{
    const uint64_t *tag = c->tag + base;
#pragma GCC unroll 16
    for (uint32_t w = 0; w < WAYS; w++)
        if (tag[w] == line)
            return (int64_t)(base + w);
    return -1;
}

/* tag_search_n unrolled for the presets' set sizes (every line of a streaming access searches its set,
   every instruction fetch of a new line outside the two L1I lines found last searches one). */
static inline __attribute__((always_inline)) int64_t tag_search_sized(const rv_tcache *c, uint64_t base,
                                                                      uint64_t line)
{
    switch (c->p.ways) {
    case 4: return tag_search_n(c, base, line, 4);
    case 8: return tag_search_n(c, base, line, 8);
    default: return tag_search_n(c, base, line, c->p.ways);
    }
}

/* Look a line up; returns the way index or -1 (and in *set_base its set's first way). */
static inline int64_t cache_find(rv_tcache *c, uint64_t line, uint64_t *set_base)
{
    uint64_t base = (line & (c->sets - 1)) * c->p.ways;
    *set_base = base;
    if (line == c->mru_line[0])
        return (int64_t)c->mru_way[0];
    if (line == c->mru_line[1]) {
        uint64_t way = c->mru_way[1];
        mru_remember(c, line, way);
        return (int64_t)way;
    }
    int64_t way = tag_search_sized(c, base, line);
    if (way >= 0)
        mru_remember(c, line, (uint64_t)way);
    return way;
}

/* cache_find without remembering the line as found last.  The lines found last only spare searches of
   the set: any of them, kept in step with the tags (and the first never a prefetched line not used
   yet), gives the same results, so a lookup that will not be repeated soon (a vector line) need not
   replace them. */
static inline __attribute__((always_inline)) int64_t cache_find_quiet(const rv_tcache *c, uint64_t line)
{
    if (line == c->mru_line[0])
        return (int64_t)c->mru_way[0];
    if (line == c->mru_line[1])
        return (int64_t)c->mru_way[1];
    return tag_search_sized(c, (line & (c->sets - 1)) * c->p.ways, line);
}

/* Put a line into way v (the caller evicted what was there): a remembered line that lived in v is
   forgotten. */
static inline void cache_fill(rv_tcache *c, uint64_t v, uint64_t line)
{
    c->tag[v] = line;
    c->stamp[v] = ++c->clock;
    for (int k = 0; k < 2; k++)
        if (c->mru_way[k] == v)
            c->mru_line[k] = ~0ull;
    mru_remember(c, line, v);
}

/* One pass over the set at base: the way holding `line` when FIND and one does (else -1), and in
   *victim the way a new line replaces: the least recently used, the first of them on a tie (the
   replacement rule; cache_victim is this search without a line).  WAYS is the set's size: a constant
   where set_search_sized instantiates it for the usual sizes (the loop then unrolls), else c->p.ways. */
static inline __attribute__((always_inline)) int64_t
set_search_n(const rv_tcache *c, uint64_t base, uint64_t line, const int FIND, uint64_t *victim,
             const uint32_t WAYS)
{
    const uint64_t *tag = c->tag + base, *stamp = c->stamp + base;
    uint32_t v = 0;
    uint64_t oldest = stamp[0];
    if (FIND && tag[0] == line)
        return (int64_t)base;
#pragma GCC unroll 16
    for (uint32_t w = 1; w < WAYS; w++) {
        if (FIND && tag[w] == line)
            return (int64_t)(base + w);
        if (stamp[w] < oldest) {
            oldest = stamp[w];
            v = w;
        }
    }
    *victim = base + v;
    return -1;
}

static inline __attribute__((always_inline)) int64_t
set_search(const rv_tcache *c, uint64_t base, uint64_t line, const int FIND, uint64_t *victim)
{
    return set_search_n(c, base, line, FIND, victim, c->p.ways);
}

/* set_search with the loop unrolled for the presets' set sizes (a streaming access searches a whole
   set on every line). */
static inline __attribute__((always_inline)) int64_t
set_search_sized(const rv_tcache *c, uint64_t base, uint64_t line, const int FIND, uint64_t *victim)
{
    switch (c->p.ways) {
    case 4: return set_search_n(c, base, line, FIND, victim, 4);
    case 8: return set_search_n(c, base, line, FIND, victim, 8);
    default: return set_search_n(c, base, line, FIND, victim, c->p.ways);
    }
}

static inline uint64_t cache_victim(rv_tcache *c, uint64_t base)
{
    uint64_t v = base;
    set_search(c, base, 0, 0, &v);
    return v;
}

/* Whether a line is present (or on its way), without disturbing the remembered lines. */
static int cache_holds(const rv_tcache *c, uint64_t line)
{
    uint64_t base = (line & (c->sets - 1)) * c->p.ways;
    for (uint32_t w = 0; w < c->p.ways; w++)
        if (c->tag[base + w] == line)
            return 1;
    return 0;
}

/* cache_fill for a prefetched line: it is not remembered as found last, so that the first demand access
   to it takes the path that notices it was prefetched (and for a vector line, see cache_find_quiet). */
static inline void cache_fill_quiet(rv_tcache *c, uint64_t v, uint64_t line)
{
    c->tag[v] = line;
    c->stamp[v] = ++c->clock;
    for (int k = 0; k < 2; k++)
        if (c->mru_way[k] == v)
            c->mru_line[k] = ~0ull;
}

/* ------------------------------------------------------------------ outstanding misses (section 3.1) */

/* A miss (or prefetch) needs one of the cache's miss status holding registers: the one that frees
   first.  Returns when the request can leave (`now`, or later when all are busy), with the register in
   *slot (-1 when their number is unlimited); mshr_hold keeps it busy until the data arrives.  Demand
   misses count the wait in mshr_wait.  Requests
   are taken in program order, the order the model sees them in, not strictly in time order.

   The registers' free times are kept sorted in a ring (mshr_free from mshr_head, earliest first), so
   that taking one reads the head and holding it replaces the head by the new free time.  A miss usually
   frees later than every one in flight (its request is the newest): the old head's place is then the
   ring's new tail, and nothing moves; otherwise the new time moves back to its place.  Which register a
   request gets does not matter, only the set of free times: the ring evolves the same set as a search
   for the first earliest one would.  A take is always followed by its hold before the next take on the
   same cache. */
static inline uint64_t mshr_take(rv_timing *T, rv_tcache *c, uint64_t now, int demand, int *slot)
{
    if (!c->p.mshrs) {
        *slot = -1;
        return now;
    }
    *slot = 0;
    uint64_t free_at = c->mshr_free[c->mshr_head];
    if (free_at <= now)
        return now;
    if (demand)
        T->t.mshr_wait += free_at - now;    /* (a prefetch waiting holds nothing up) */
    return free_at;
}

static inline void mshr_hold(rv_tcache *c, int slot, uint64_t until)
{
    if (slot < 0)
        return;
    uint64_t *f = c->mshr_free;
    unsigned n = c->p.mshrs, i = c->mshr_head;     /* the earliest, now the ring's last place */
    unsigned head = i + 1 == n ? 0 : i + 1;
    c->mshr_head = head;
    for (;;) {
        unsigned prev = i ? i - 1 : n - 1;
        if (i == head || f[prev] <= until)
            break;
        f[i] = f[prev];
        i = prev;
    }
    f[i] = until;
}

/* ------------------------------------------------------------------ the levels */

/* What a request to the level below L1 is for. */
enum { REQ_READ = 0, REQ_WRITEBACK = 1, REQ_FETCH = 2, REQ_PREFETCH = 3 };

static void prefetch_train(rv_timing *T, uint64_t line, uint64_t now);

/* The level below L1 (L2 if present, else DRAM): when does a line requested at `now` arrive?  Data
   reads (REQ_READ) train an L2 prefetcher; a write-back does not wait for an MSHR (write buffer). */
static uint64_t below_l1(rv_timing *T, uint64_t addr, uint64_t now, int kind)
{
    rv_tcache *c = &T->l2;
    uint32_t line_bytes = T->l1d.p.size ? T->l1d.p.line : 64;
    if (!c->p.size)
        return dram_transfer(T, now, line_bytes);
    uint64_t line = addr >> c->line_bits, base;
    T->t.l2_access++;
    int64_t way = cache_find(c, line, &base);
    int trains = kind == REQ_READ && T->p.prefetch_streams && T->p.prefetch_level == 2;
    if (way >= 0) {
        c->stamp[way] = ++c->clock;
        if (kind == REQ_WRITEBACK) {
            c->dirty[way] = 1;
            return now;
        }
        if (unlikely(c->prefetched[way]) && kind == REQ_READ) {
            c->prefetched[way] = 0;         /* its first use: the stream goes on */
            T->t.prefetch_hits++;
            if (trains)
                prefetch_train(T, line, now);
        }
        return MAX64(now + c->p.latency, c->ready[way]);
    }
    T->t.l2_miss++;
    uint64_t v = cache_victim(c, base);
    if (c->tag[v] != ~0ull && c->dirty[v]) {
        T->t.writebacks++;
        dram_transfer(T, now, c->p.line);
    }
    cache_fill(c, v, line);
    c->dirty[v] = (uint8_t)(kind == REQ_WRITEBACK);
    c->prefetched[v] = 0;
    int slot = -1;
    uint64_t at = now + c->p.latency;
    if (kind != REQ_WRITEBACK)
        at = mshr_take(T, c, at, kind != REQ_PREFETCH, &slot);
    uint64_t r = dram_transfer(T, at, c->p.line);
    mshr_hold(c, slot, r);
    c->ready[v] = r;
    if (trains)
        prefetch_train(T, line, now);
    return r;
}

/* ------------------------------------------------------------------ prefetcher (section 3.2) */

/* Bring one line into the prefetcher's cache (L1D or L2) unless it is there already. */
static void prefetch_line(rv_timing *T, uint64_t line, uint64_t now)
{
    int into_l1 = T->p.prefetch_level == 1;
    rv_tcache *c = into_l1 ? &T->l1d : &T->l2;
    if (cache_holds(c, line))
        return;
    T->t.prefetches++;
    uint64_t base = (line & (c->sets - 1)) * c->p.ways;
    uint64_t v = cache_victim(c, base);
    if (c->tag[v] != ~0ull && c->dirty[v]) {
        T->t.writebacks++;
        if (into_l1) below_l1(T, c->tag[v] << c->line_bits, now, REQ_WRITEBACK);
        else dram_transfer(T, now, c->p.line);
    }
    cache_fill_quiet(c, v, line);
    c->dirty[v] = 0;
    c->prefetched[v] = 1;
    int slot;
    uint64_t at = mshr_take(T, c, now, 0, &slot);
    uint64_t r = into_l1 ? below_l1(T, line << c->line_bits, at, REQ_PREFETCH)
                         : dram_transfer(T, at, c->p.line);
    mshr_hold(c, slot, r);
    c->ready[v] = r;
}

/* Strides (in lines) the prefetcher recognises; a demand line further than this from every stream
   starts a new stream. */
#define PF_WINDOW 8

/* A demand access that missed in the prefetcher's cache, or used a prefetched line for the first time:
   find its stream (a tracked stream whose newest line is within PF_WINDOW lines), and once two steps in
   a row had the same stride, prefetch ahead of it: 2, 4, 8, ... strides as the stream goes on, up to
   prefetch_distance. */
static void prefetch_train(rv_timing *T, uint64_t line, uint64_t now)
{
    const rv_timing_params *P = &T->p;
    unsigned n = P->prefetch_streams;
    rv_pf_stream *s = NULL, *lru = &T->pf[0];
    for (unsigned k = 0; k < n; k++) {
        rv_pf_stream *e = &T->pf[k];
        if (e->stamp) {
            int64_t d = (int64_t)(line - e->last);
            if (d == 0)
                return;
            if (d >= -PF_WINDOW && d <= PF_WINDOW) {
                s = e;
                break;
            }
        }
        if (e->stamp < lru->stamp)
            lru = e;
    }
    if (!s) {
        lru->last = line;
        lru->stride = 0;
        lru->confirmed = 0;
        lru->ahead = line;
        lru->stamp = ++T->pf_clock;
        return;
    }
    int64_t d = (int64_t)(line - s->last);
    s->stamp = ++T->pf_clock;
    s->last = line;
    if (d != s->stride) {
        s->stride = d;
        s->confirmed = 1;
        s->ahead = line;
        return;
    }
    if (s->confirmed < 64)
        s->confirmed++;
    if (s->confirmed < 2)
        return;
    /* the lines line + k * stride, k = 1 .. reach, that were not asked for before; the reach doubles
       with every access that confirms the stream, up to the distance (a short stream is not
       over-fetched by the whole distance) */
    int64_t reach = (int64_t)P->prefetch_distance;
    if (s->confirmed - 1 < 16 && (1ll << (s->confirmed - 1)) < reach)
        reach = 1ll << (s->confirmed - 1);
    int64_t done = (int64_t)(s->ahead - line) / s->stride;
    int64_t k = done > 0 ? done + 1 : 1;
    for (; k <= reach; k++)
        prefetch_line(T, line + (uint64_t)(k * s->stride), now);
    if (reach > done)
        s->ahead = line + (uint64_t)(reach * s->stride);
}

/* A data access through L1D at cycle `now`.  Returns when the data is available (loads) or the
   access is accepted (stores, which never wait for a miss).  *missed tells whether it missed. */
uint64_t tm_data_access(rv_timing *T, uint64_t addr, int write, uint64_t now, uint32_t hit_latency,
                        int *missed)
{
    rv_tcache *c = &T->l1d;
    *missed = 0;
    if (!c->p.size) {
        /* no L1D: every access goes to the level below */
        if (write) {
            if (T->l2.p.size) below_l1(T, addr, now, REQ_WRITEBACK);
            else dram_transfer(T, now, 8);
            return now + 1;
        }
        uint64_t r = (T->l2.p.size || T->p.dram_latency || T->p.dram_bytes_per_cycle)
                         ? below_l1(T, addr, now + hit_latency, REQ_READ) : now + hit_latency;
        *missed = r > now + hit_latency;
        return r;
    }
    uint64_t line = addr >> c->line_bits, base;
    T->t.l1d_access++;
    int64_t way = cache_find(c, line, &base);
    int trains = T->p.prefetch_streams && T->p.prefetch_level == 1;
    if (way >= 0) {
        c->stamp[way] = ++c->clock;
        if (unlikely(c->prefetched[way])) {
            c->prefetched[way] = 0;         /* its first use: the stream goes on */
            T->t.prefetch_hits++;
            if (trains)
                prefetch_train(T, line, now);
        }
        if (write) {
            if (c->p.write_back) c->dirty[way] = 1;
            else below_l1(T, addr, now, REQ_WRITEBACK);
            return now + 1;
        }
        uint64_t r = MAX64(now + hit_latency, c->ready[way]);
        *missed = r > now + hit_latency;    /* the line is still on its way */
        return r;
    }
    if (write && !c->p.write_back) {
        T->t.l1d_miss++;
        *missed = 1;
        below_l1(T, addr, now, REQ_WRITEBACK);     /* write-through, no write-allocate */
        return now + 1;
    }
    return tm_l1d_miss(T, addr, write, now, hit_latency, missed);
}

/* A read hitting L2 on a line it did not prefetch (way), requested at `at`: when its data arrives. */
static inline __attribute__((always_inline)) uint64_t l2_hit(rv_timing *T, int64_t way, uint64_t at)
{
    rv_tcache *c = &T->l2;
    T->t.l2_access++;
    c->stamp[way] = ++c->clock;
    return MAX64(at + c->p.latency, c->ready[way]);
}

/* below_l1(T, addr, at, REQ_READ) for an L1D miss, with the common case inline: a line that L2 holds
   and did not prefetch (a kernel whose data fits L2).  Anything else (no L2, an L2 miss, a prefetched
   line's first use) goes to below_l1 before anything changed but the lines L2 found last, which
   cache_find leaves as below_l1's own search would.  Without REMEMBER (vector lines) the line is not
   remembered as found last (cache_find_quiet). */
static inline __attribute__((always_inline)) uint64_t l2_read(rv_timing *T, uint64_t addr, uint64_t at,
                                                              const int REMEMBER)
{
    rv_tcache *c = &T->l2;
    if (likely(c->p.size)) {
        uint64_t base;
        int64_t way = REMEMBER ? cache_find(c, addr >> c->line_bits, &base)
                               : cache_find_quiet(c, addr >> c->line_bits);
        if (likely(way >= 0 && !c->prefetched[way]))
            return l2_hit(T, way, at);
    }
    return below_l1(T, addr, at, REQ_READ);
}

/* A line L1D missed, into way v (whose line has been written back if need be), its data arriving at r. */
static inline __attribute__((always_inline)) void l1d_fill(rv_tcache *c, uint64_t v, uint64_t line, int write,
                                                           uint64_t r, const int REMEMBER)
{
    if (REMEMBER)
        cache_fill(c, v, line);
    else
        cache_fill_quiet(c, v, line);   /* (a vector line: the scalar core's lines found last stay) */
    c->dirty[v] = (uint8_t)(write != 0);
    c->prefetched[v] = 0;
    c->ready[v] = r;
}

/* The rest of tm_data_access for a line that is not in L1D (a write only to a write-back L1D); the
   access has been counted.  Entered directly from tm_data_access_fast after its own set search. */
static inline __attribute__((always_inline)) uint64_t
l1d_miss_into(rv_timing *T, uint64_t addr, int write, uint64_t now, uint32_t hit_latency, uint64_t v,
              const int REMEMBER)
{
    rv_tcache *c = &T->l1d;
    uint64_t line = addr >> c->line_bits;
    T->t.l1d_miss++;
    if (c->tag[v] != ~0ull && c->dirty[v]) {
        T->t.writebacks++;
        below_l1(T, c->tag[v] << c->line_bits, now, REQ_WRITEBACK);
    }
    int slot;
    uint64_t at = mshr_take(T, c, now + hit_latency, 1, &slot);
    uint64_t r = l2_read(T, addr, at, REMEMBER);
    mshr_hold(c, slot, r);
    l1d_fill(c, v, line, write, r, REMEMBER);
    if (T->p.prefetch_streams && T->p.prefetch_level == 1)
        prefetch_train(T, line, now);
    return write ? now + 1 : r;
}

uint64_t tm_l1d_miss(rv_timing *T, uint64_t addr, int write, uint64_t now, uint32_t hit_latency,
                     int *missed)
{
    rv_tcache *c = &T->l1d;
    uint64_t line = addr >> c->line_bits;
    *missed = 1;
    return l1d_miss_into(T, addr, write, now, hit_latency, cache_victim(c, (line & (c->sets - 1)) * c->p.ways),
                         1);
}

/* Instruction fetch of a new line at `now`: returns the extra cycles a miss costs. */
uint64_t tm_fetch_line(rv_timing *T, uint64_t pc, uint64_t now)
{
    rv_tcache *c = &T->l1i;
    if (!c->p.size)
        return 0;
    uint64_t line = pc >> c->line_bits, base;
    T->t.l1i_access++;
    int64_t way = cache_find(c, line, &base);
    if (way >= 0) {
        c->found_way[line & (RV_FOUND_WAYS - 1)] = (uint64_t)way;
        c->stamp[way] = ++c->clock;
        return c->ready[way] > now ? c->ready[way] - now : 0;
    }
    T->t.l1i_miss++;
    uint64_t v = cache_victim(c, base);
    uint64_t r = below_l1(T, pc, now, REQ_FETCH);
    cache_fill(c, v, line);
    c->found_way[line & (RV_FOUND_WAYS - 1)] = v;
    c->ready[v] = r;
    return r - now;
}

/* A vector access that bypasses L1D (vector.mem_via_l1 = false, section 4.4): through L2 when there is
   one, else over the vector unit's own memory port, whose bandwidth is the memory pipe's width (already
   in the occupancy), so it does not queue behind (or hold up) the scalar core's DRAM traffic. */
static uint64_t vector_port_access(rv_timing *T, uint64_t addr, int write, uint64_t when, uint32_t lat)
{
    if (T->l2.p.size)
        return write ? (below_l1(T, addr, when, REQ_WRITEBACK), when + 1)
                     : l2_read(T, addr, when + lat, 0);
    T->t.dram_bytes += T->l1d.p.size ? T->l1d.p.line : 64;
    return write ? when + 1 : when + lat + T->p.dram_latency;
}

/* The usual line of a streaming vector access, without calls (which would make the caller keep its
   values in saved registers): an access through a write-back L1D with MSHRs that misses, whose victim
   is clean, and that hits L2 on a line L2 did not prefetch, with no L1D prefetcher to train (the
   conditions on the configuration: T->v_stream).  For such
   a line, what vector_l1d_general does (l1d_miss_into, l2_read), in the same order but for the L2
   search, done first (nothing before it changes L2): *result gets its result.  Any other line: 0,
   before anything changed.  (The sets are searched without looking at the lines found last first:
   those are in their sets, so the search gives the same answer.) */
static inline __attribute__((always_inline)) int
vector_l1d_stream(rv_timing *T, uint64_t addr, int write, uint64_t now, uint32_t hit_latency, uint64_t *result)
{
    rv_tcache *c = &T->l1d, *l2 = &T->l2;
    if (unlikely(!T->v_stream[write != 0]))
        return 0;
    uint64_t line = addr >> c->line_bits;
    uint64_t base = (line & (c->sets - 1)) * c->p.ways, v = base;
    if (set_search_sized(c, base, line, 1, &v) >= 0 || (c->tag[v] != ~0ull && c->dirty[v]))
        return 0;
    uint64_t line2 = addr >> l2->line_bits;
    int64_t way2 = tag_search_sized(l2, (line2 & (l2->sets - 1)) * l2->p.ways, line2);
    if (unlikely(way2 < 0 || l2->prefetched[way2]))
        return 0;
    T->t.l1d_access++;
    T->t.l1d_miss++;
    int slot;
    uint64_t at = mshr_take(T, c, now + hit_latency, 1, &slot);
    uint64_t r = l2_hit(T, way2, at);
    mshr_hold(c, slot, r);
    l1d_fill(c, v, line, write, r, 0);
    *result = write ? now + 1 : r;
    return 1;
}

/* A line of a vector access through L1D that vector_l1d_stream does not take: tm_data_access_fast,
   except that a miss goes straight to the miss handling with the victim found by the same pass over
   the set that looked for the line. */
static __attribute__((noinline)) uint64_t vector_l1d_general(rv_timing *T, uint64_t addr, int write, uint64_t now,
                                                             uint32_t hit_latency)
{
    rv_tcache *c = &T->l1d;
    int missed;
    if (unlikely(!c->p.size || (write && !c->p.write_back)))
        return tm_data_access(T, addr, write, now, hit_latency, &missed);
    uint64_t line = addr >> c->line_bits;
    if (line == c->mru_line[0] || line == c->mru_line[1])
        return tm_data_access_fast(T, addr, write, now, hit_latency, &missed);
    uint64_t base = (line & (c->sets - 1)) * c->p.ways, v = base;
    if (set_search(c, base, line, 1, &v) >= 0)
        return tm_data_access_fast(T, addr, write, now, hit_latency, &missed);
    T->t.l1d_access++;
    return l1d_miss_into(T, addr, write, now, hit_latency, v, 0);
}

/* A line of a vector access through L1D at `now`: when its data arrives (or the store is accepted). */
static inline __attribute__((always_inline)) uint64_t
vector_l1d_access(rv_timing *T, uint64_t addr, int write, uint64_t now, uint32_t hit_latency)
{
    uint64_t r;
    if (likely(vector_l1d_stream(T, addr, write, now, hit_latency, &r)))
        return r;
    return vector_l1d_general(T, addr, write, now, hit_latency);
}

/* The lines of a unit-stride access (tm_vector_memory), through L1D (VIA_L1) or the vector port. */
static inline __attribute__((always_inline)) void
unit_stride_lines(rv_timing *T, const rv_vmemo *d, uint64_t rs1v, uint64_t start, uint32_t latency,
                  const int VIA_L1, uint64_t *data_first, uint64_t *data_last)
{
    const rv_timing_params *P = &T->p;
    int write = d->write;
    uint64_t first = 0, last = 0;
    uint64_t line = T->l1d.p.size ? T->l1d.p.line : 64;
    uint64_t a = rs1v & ~(line - 1), end = rs1v + d->mem_bytes;
    uint64_t port = P->v_width[d->pk] ? P->v_width[d->pk] : 128;     /* bits per cycle */
    int pshift = (port & (port - 1)) ? -1 : __builtin_ctzll(port);   /* widths are powers of two */
    for (; a < end; a += line) {
        /* the port reaches line k after moving the k lines before it */
        uint64_t moved = a > rs1v ? (a - rs1v) * 8 : 0;
        uint64_t when = start + (pshift >= 0 ? moved >> pshift : moved / port);
        uint64_t r = VIA_L1 ? vector_l1d_access(T, a, write, when, latency)
                            : vector_port_access(T, a, write, when, latency);
        if (!write) { last = MAX64(last, r); if (!first) first = r; }
    }
    *data_first = first;
    *data_last = last;
}

/* The lines a vector load or store touches, looked up from cycle `start` (section 4.4): a unit-stride
   access moves its lines through the memory port one after another, a strided one reaches a new line
   every strided_cycles per element; returns when the first and the last line's data arrive (loads;
   they stay 0 for stores).  Indexed accesses are not modelled here: their element addresses are not
   known to the model, they cost strided_cycles per element in the occupancy.  (tm_vector_memory takes
   unit-stride accesses through L1D itself.) */
static __attribute__((noinline)) rv_vdata vector_memory_lines(rv_timing *T, const rv_vmemo *d, uint64_t rs1v,
                                                              uint64_t rs2v, uint64_t start, uint32_t latency)
{
    const rv_timing_params *P = &T->p;
    int write = d->write;
    rv_vdata data = {0, 0};
    if (d->mem == 1) {
        unit_stride_lines(T, d, rs1v, start, latency, 0, &data.first, &data.last);  /* (via L1: inline there) */
    } else if (d->mem == 2) {
        uint64_t prev_line = ~0ull;
        uint64_t step = P->v_strided_cycles ? P->v_strided_cycles : 1;
        unsigned lb = T->l1d.p.size ? T->l1d.line_bits : 6;
        for (uint64_t i = 0; i < d->vl; i++) {
            uint64_t a = rs1v + i * rs2v;
            if ((a >> lb) == prev_line) continue;
            prev_line = a >> lb;
            uint64_t when = start + i * step;
            uint64_t r = P->v_mem_via_l1 ? vector_l1d_access(T, a, write, when, latency)
                                         : vector_port_access(T, a, write, when, latency);
            if (!write) { data.last = MAX64(data.last, r); if (!data.first) data.first = r; }
        }
    }
    return data;
}

/* vector_memory_lines, with the usual accesses inline: unit-stride through L1D, and first of all one
   within a line (an m1 load), which the port reaches at once (unit_stride_lines' single pass). */
rv_vdata tm_vector_memory(rv_timing *T, const rv_vmemo *d, uint64_t rs1v, uint64_t rs2v, uint64_t start,
                          uint32_t latency)
{
    if (likely(d->mem == 1 && T->p.v_mem_via_l1)) {
        uint64_t line = T->l1d.p.size ? T->l1d.p.line : 64;
        uint64_t a = rs1v & ~(line - 1), end = rs1v + d->mem_bytes;
        if (likely(end > a && end - a <= line && a + line != 0)) {
            uint64_t r = vector_l1d_access(T, a, d->write, start, latency);
            return d->write ? (rv_vdata){0, 0} : (rv_vdata){r, r};
        }
        rv_vdata data;
        unit_stride_lines(T, d, rs1v, start, latency, 1, &data.first, &data.last);
        return data;
    }
    return vector_memory_lines(T, d, rs1v, rs2v, start, latency);
}

/* ------------------------------------------------------------------ set-up */

int tm_memory_init(rv_timing *T, char *err, size_t n)
{
    const rv_timing_params *p = &T->p;
    if (cache_init(&T->l1i, &p->l1i, "L1I", err, n) || cache_init(&T->l1d, &p->l1d, "L1D", err, n) ||
        cache_init(&T->l2, &p->l2, "L2", err, n))
        return -1;
    if (!T->l1i.p.size) T->l1i.line_bits = 6;
    /* vector_l1d_stream's conditions on the configuration: a write-back L1D (for a write) with MSHRs over
       an L2, no L1D prefetcher */
    for (int write = 0; write < 2; write++)
        T->v_stream[write] = T->l1d.p.size && (!write || T->l1d.p.write_back) && T->l1d.p.mshrs && T->l2.p.size &&
                             !(p->prefetch_streams && p->prefetch_level == 1);
    return 0;
}

/* Empty caches, nothing in flight. */
void tm_memory_clear(rv_timing *T)
{
    T->dram_free = 0;
    T->last_fetch_line = ~0ull;
    memset(T->pf, 0, sizeof T->pf);
    T->pf_clock = 0;
    cache_clear(&T->l1i); cache_clear(&T->l1d); cache_clear(&T->l2);
}

void tm_memory_free(rv_timing *T)
{
    cache_free(&T->l1i); cache_free(&T->l1d); cache_free(&T->l2);
}
