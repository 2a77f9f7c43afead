/* Reverse execution and watchpoints (interface: history.h).
 *
 * The recording loop (interp.c, built from interp_loop.inc like the functional and timed loops) logs,
 * for every retired instruction and every trap, what it overwrote: one fixed-size record (pc, the old
 * value of an integer destination, the cycle model's clock) in a ring of records, plus variable-size
 * entries (memory bytes, other hart words, vector registers, tile bytes, page permissions) in a byte
 * ring.  Undoing a step restores its entries newest first, then the record.  Both rings are bounded
 * (instructions and bytes); the oldest steps are dropped when either bound is reached.
 *
 * What the host changes while the machine is stopped (system-call results in registers, memory written
 * through rv_write_memory, pages mapped by brk/mmap, a debugger's edits) belongs to the step before:
 * memory and mappings are logged as they happen, registers and CSRs by comparing the state with a copy
 * taken when run() returned.  Undoing that step undoes them too; output already written stays written.
 */
#include <fenv.h>
#include <stdlib.h>
#include "history_internal.h"
#include "timing_internal.h"
#include "vector.h"

uint8_t rv_hist_class[RV_OP_COUNT];
/* the vector destination groups (history_internal.h) */
uint8_t rv_hist_vgroup[RV_OP_COUNT];
/* The registers a vector load writes, by op (from its mnemonic; 0: not known, decode the encoding):
   RV_VLOAD_FIXED | n, n registers whatever vtype (whole-register loads, vlm.v); else NF in bits 0-3 and
   in bits 4-6 the data's EEW, 0 for SEW (indexed loads), 1-4 for 8, 16, 32, 64 bits. */
#define RV_VLOAD_FIXED 0x80u
static uint8_t vload_desc[RV_OP_COUNT];

/* The vector steps' word loops stay loops (GCC would make them calls of memcpy: a few words are cheaper inline). */
#if defined(__GNUC__) && !defined(__clang__)
#define INLINE_COPIES __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define INLINE_COPIES
#endif

#define ENTRY_TRAILER 16u       /* uint64 addr, uint32 type, uint32 len after each payload */
#define PAD8(n) (((n) + 7) & ~(uint64_t)7)
#define HART_OFF(field) ((uint64_t)offsetof(rv_hart_state, field))
#define REC_BYTES sizeof(rv_hist_rec)

/* The scalar FP instructions that raise no exception flag: loads, stores, moves between register
   files, sign injection, fclass. */
static int quiet_fp(const char *name)
{
    static const char *const exact[] = {"flh", "flw", "fld", "flq", "fsh", "fsw", "fsd", "fsq"};
    for (unsigned i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (!strcmp(name, exact[i]))
            return 1;
    return !strncmp(name, "fsgnj", 5) || !strncmp(name, "fclass.", 7) || !strncmp(name, "fmv.", 4);
}

/* The vector instructions whose destination is one register whatever LMUL (vector-common: a mask
   destination is a single register; a reduction writes element 0 of vd; vmv.s.x and vfmv.s.f ignore
   LMUL): mask logical ops (.mm), compares and the other mask producers, reductions (.vs). */
static int one_register_dest(const char *name)
{
    size_t n = strlen(name);
    if (n > 3 && (!strcmp(name + n - 3, ".mm") || !strcmp(name + n - 3, ".vs")))
        return 1;
    return !strncmp(name, "vms", 3) || !strncmp(name, "vmf", 3) || !strncmp(name, "vmadc.", 6) ||
           !strcmp(name, "vmv.s.x") || !strcmp(name, "vfmv.s.f");
}

static uint8_t load_desc(const char *name)
{
    if (!strcmp(name, "vlm.v"))
        return RV_VLOAD_FIXED | 1;
    if (strncmp(name, "vl", 2))
        return 0;
    const char *p = name + 2;
    if (p[0] >= '1' && p[0] <= '8' && !strncmp(p + 1, "re", 2))
        return (uint8_t)(RV_VLOAD_FIXED | (unsigned)(p[0] - '0'));
    int indexed = (p[0] == 'u' || p[0] == 'o') && p[1] == 'x';
    if (indexed)
        p += 2;
    else if (p[0] == 's' && strncmp(p, "seg", 3))
        p++;                    /* strided */
    unsigned nf = 1;
    if (!strncmp(p, "seg", 3)) {
        if (p[3] < '2' || p[3] > '8')
            return 0;
        nf = (unsigned)(p[3] - '0');
        p += 4;
    }
    if (indexed)
        return (uint8_t)(strncmp(p, "ei", 2) ? 0 : nf);
    if (p[0] != 'e')
        return 0;
    unsigned code = !strncmp(p + 1, "8", 1) && (p[2] == '.' || p[2] == 'f') ? 1 :
                    !strncmp(p + 1, "16", 2) ? 2 : !strncmp(p + 1, "32", 2) ? 3 : !strncmp(p + 1, "64", 2) ? 4 : 0;
    return (uint8_t)(code ? nf | code << 4 : 0);
}

static void init_classes(void)
{
    static int ready;
    if (ready)
        return;
    const uint64_t fp = RV_EXT_F | RV_EXT_D | RV_EXT_ZFH | RV_EXT_ZFHMIN | RV_EXT_ZFBFMIN;
    const uint64_t vec = RV_EXT_V | RV_EXT_ZVFH | RV_EXT_ZVFHMIN | RV_EXT_ZVFBFMIN | RV_EXT_ZVFBFWMA |
                         RV_EXT_ZVDOT4A8I;
    const uint64_t full = RV_EXT_ZVT | RV_EXT_ZICSR | RV_EXT_ZIFENCEI | RV_EXT_PRIV;
    for (int op = 0; op < RV_OP_COUNT; op++) {
        uint64_t ext = rv_op_extensions[op];
        const char *name = rv_op_mnemonic[op];
        unsigned cls = RV_HC_X;
        if (ext & full)
            cls = RV_HC_FULL;
        else if (ext & vec)
            cls = RV_HC_V;
        else if (ext & fp)
            cls = RV_HC_F;
        /* the reservation, and the system instructions whatever extension the table files them under */
        if (!strncmp(name, "lr.", 3) || !strncmp(name, "sc.", 3) || !strcmp(name, "ecall") ||
            !strcmp(name, "ebreak") || !strcmp(name, "mret") || !strcmp(name, "wfi") ||
            !strncmp(name, "csr", 3) || !strcmp(name, "fence.i"))
            cls = RV_HC_FULL;
        if (cls == RV_HC_F && quiet_fp(name))
            cls = RV_HC_FQ;
        rv_hist_class[op] = (uint8_t)cls;
        unsigned group = 1;
        if (!strncmp(name, "vmv", 3) && name[3] >= '1' && name[3] <= '8' && name[4] == 'r')
            group = 8;
        else if (one_register_dest(name))
            group = RV_HIST_VGROUP_ONE;     /* (widening reductions too) */
        else if (!strncmp(name, "vw", 2) || !strncmp(name, "vfw", 3))
            group = 2;      /* widening: the destination's EEW is 2 x SEW */
        else if (!strncmp(name, "vset", 4) || !strcmp(name, "vmv.x.s") || !strcmp(name, "vfmv.f.s") ||
                 !strcmp(name, "vcpop.m") || !strcmp(name, "vfirst.m"))
            group = 0;
        rv_hist_vgroup[op] = (uint8_t)(cls == RV_HC_V ? group : 0);
        vload_desc[op] = (uint8_t)(cls == RV_HC_V ? load_desc(name) : 0);
    }
    rv_hist_class[0] = RV_HC_FULL;      /* illegal: traps */
    ready = 1;
}

/* ---------------------------------------------------------------- the rings */

static uint64_t used_bytes(const rv_history *hs)
{
    return hs->rcap * (REC_BYTES + (hs->clk ? 8 : 0)) + (hs->ecap_max > hs->ecap ? hs->ecap_max : hs->ecap) +
           hs->scap * sizeof(rv_hist_side) +
           rv_hist_ck_bytes(hs);
}

static void update_slow(rv_history *hs)
{
    hs->slow = hs->lost || hs->nmem_write || hs->nmem_read || hs->reg_mask;
    rv_hist_room_update(hs);
}

static int set_timed(rv_history *hs, int on);

/* A ring buffer of n bytes: memory the host commits as the ring is first written through.  (Asking
   for transparent huge pages made it slower: the kernel compacts memory on the fault.) */
static void *ring_alloc(uint64_t n)
{
    return malloc(n);
}

/* ---------------------------------------------------------------- the dictionary of meta words */

static uint32_t meta_slot(uint64_t meta, uint32_t mask)
{
    return (uint32_t)((meta * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

/* The index at twice its slots (it is kept at most half full). */
static int grow_meta_index(rv_history *hs)
{
    uint32_t nmask = hs->mindex_mask ? 2 * hs->mindex_mask + 1 : 2047;
    uint32_t *n = calloc((size_t)nmask + 1, sizeof *n);
    if (!n)
        return -1;
    for (uint32_t id = 0; id < hs->nmetas; id++) {
        uint32_t s = meta_slot(hs->metas[id], nmask);
        while (n[s])
            s = (s + 1) & nmask;
        n[s] = id + 1;
    }
    free(hs->mindex);
    hs->mindex = n;
    hs->mindex_mask = nmask;
    return 0;
}

/* (history_internal.h, rv_hist_meta_id: the word was not in the cache) */
uint32_t rv_hist_meta_id_slow(rv_history *hs, uint64_t meta)
{
    uint32_t s = meta_slot(meta, hs->mindex_mask), id;
    while (hs->mindex[s] && hs->metas[hs->mindex[s] - 1] != meta)
        s = (s + 1) & hs->mindex_mask;
    if (hs->mindex[s]) {
        id = hs->mindex[s] - 1;
    } else {
        if (hs->nmetas == hs->metas_cap) {
            uint64_t *n = hs->metas_cap < RV_HID_HOST / 2 ? realloc(hs->metas, 2 * sizeof *n * hs->metas_cap)
                                                          : NULL;     /* (ids stay below the host bit) */
            if (!n)
                goto no_memory;
            hs->metas = n;
            hs->metas_cap *= 2;
        }
        if (2 * (hs->nmetas + 1) > hs->mindex_mask + 1) {
            if (grow_meta_index(hs))
                goto no_memory;
            s = meta_slot(meta, hs->mindex_mask);
            while (hs->mindex[s])
                s = (s + 1) & hs->mindex_mask;
        }
        id = hs->nmetas++;
        hs->metas[id] = meta;
        hs->mindex[s] = id + 1;
    }
    rv_hist_mcache *c = &hs->mcache[(meta * 0x9e3779b97f4a7c15ull) >> 55];
    c->meta = meta;
    c->id = id;
    return id;
no_memory:
    /* the step cannot be described: it and everything before it are forgotten at the next push or as
       the loop returns (id 0 stands for it meanwhile) */
    hs->lost = 1;
    update_slow(hs);
    return 0;
}

static void meta_cache_clear(rv_history *hs)
{
    for (unsigned i = 0; i < RV_HIST_MCACHE; i++)
        hs->mcache[i].meta = RV_HIST_NO_META;
}

/* The side entry of record idx (the oldest or the newest record with one). */
static rv_hist_side *side_of(rv_history *hs, uint64_t idx)
{
    rv_hist_side *s = &hs->side[hs->stail & (hs->scap - 1)];
    if (s->index == idx)
        return s;
    return &hs->side[(hs->shead - 1) & (hs->scap - 1)];
}

static uint64_t rec_nextra(rv_history *hs, uint64_t idx)
{
    uint64_t meta = rv_hist_meta(hs, idx);
    return RV_HREC_NEXTRA(meta) == RV_HREC_SIDE ? side_of(hs, idx)->nextra : RV_HREC_NEXTRA(meta);
}

static uint64_t rec_pc(rv_machine *m, uint64_t idx)
{
    rv_history *hs = m->hist;
    uint64_t meta = rv_hist_meta(hs, idx);
    return RV_HREC_NEXTRA(meta) == RV_HREC_SIDE ? side_of(hs, idx)->pc : m->cfg.mem_base + (meta >> 24 << 1);
}

static int side_push(rv_history *hs, uint64_t idx, uint64_t nextra, uint64_t pc)
{
    if (hs->shead - hs->stail == hs->scap) {
        uint64_t ncap = hs->scap ? 2 * hs->scap : 64;
        rv_hist_side *n = malloc(ncap * sizeof *n);
        if (!n)
            return -1;
        for (uint64_t i = hs->stail; i != hs->shead; i++)
            n[i & (ncap - 1)] = hs->side[i & (hs->scap - 1)];
        free(hs->side);
        hs->side = n;
        hs->scap = ncap;
    }
    hs->side[hs->shead++ & (hs->scap - 1)] = (rv_hist_side){idx, nextra, pc};
    return 0;
}

void rv_hist_drop_oldest(rv_history *hs)
{
    uint64_t meta = rv_hist_meta(hs, hs->rtail);
    if (RV_HREC_NEXTRA(meta) == RV_HREC_SIDE) {
        hs->etail += hs->side[hs->stail & (hs->scap - 1)].nextra;
        hs->stail++;
    } else {
        hs->etail += RV_HREC_NEXTRA(meta);
    }
    hs->rtail++;
    rv_hist_room_update(hs);
}

static void drop_oldest(rv_history *hs)
{
    rv_hist_drop_oldest(hs);
}

/* Rings at least this large get slack beyond the bounds (rv_history.lazy).  The extras' minimum also
   keeps lbytes above what one step can log through the inline paths (a vector register group: at most
   8 registers of 8 KiB), which do not look at lbytes: no step they log can be one that the bounds
   would lose whole (rv_hist_lost). */
#define LAZY_MIN_RECORDS (1u << 14)
#define LAZY_MIN_EXTRAS (1u << 20)
/* the extras ring as recording starts (it doubles up to rv_history.ecap_max as needed) */
#define EXTRAS_START (1u << 20)

/* The extras counts of records [from, to), none of which keeps its count in the side ring. */
static uint64_t sum_nextra(const rv_history *hs, uint64_t from, uint64_t to)
{
    uint64_t e = 0;
    while (from < to) {
        uint64_t at = from & hs->rmask, n = to - from;
        if (n > hs->rcap - at)
            n = hs->rcap - at;
        const rv_hist_rec *r = hs->rec + at;
        const uint64_t *w = hs->metas;
        uint64_t k = 0, e1 = 0, e2 = 0, e3 = 0;
        for (; k + 4 <= n; k += 4) {        /* (four sums: the loads are the cost) */
            e += RV_HREC_NEXTRA(w[r[k].id & ~RV_HID_HOST]);
            e1 += RV_HREC_NEXTRA(w[r[k + 1].id & ~RV_HID_HOST]);
            e2 += RV_HREC_NEXTRA(w[r[k + 2].id & ~RV_HID_HOST]);
            e3 += RV_HREC_NEXTRA(w[r[k + 3].id & ~RV_HID_HOST]);
        }
        for (; k < n; k++)
            e += RV_HREC_NEXTRA(w[r[k].id & ~RV_HID_HOST]);
        e += e1 + e2 + e3;
        from += n;
    }
    return e;
}

/* Drop the oldest steps the bounds exclude (nrec: records about to be pushed): what dropping at each
   push and each reserve would have dropped by now.  Each bound alone excludes a prefix of the steps,
   one that only grows as records and extras are added, so dropping late and in one go leaves the same
   steps as dropping at each push. */
static void apply_bounds(rv_history *hs, uint64_t nrec)
{
    uint64_t i = hs->rtail, e = hs->etail, s = hs->stail, head = hs->rhead;
    uint64_t cut = head + nrec > hs->lrecords ? head + nrec - hs->lrecords : 0;
    if (i >= cut && hs->ehead - e <= hs->lbytes)
        return;
    if (cut > head)
        cut = head;
    /* the step bound: the records before cut, a run at a time between those with a side entry */
    while (i < cut) {
        uint64_t next = s != hs->shead ? hs->side[s & (hs->scap - 1)].index : cut;
        if (next > cut)
            next = cut;
        if (next < i)
            next = i;       /* (cannot happen: side entries are of held records, in order) */
        e += sum_nextra(hs, i, next);
        i = next;
        if (i < cut) {
            e += hs->side[s++ & (hs->scap - 1)].nextra;
            i++;
        }
    }
    /* the extras bound (it stops at the step in flight: rv_hist_lost's case is reserve_extras') */
    while (i < head && hs->ehead - e > hs->lbytes && e != hs->ecommit) {
        uint64_t nx = RV_HREC_NEXTRA(rv_hist_meta(hs, i));
        e += nx == RV_HREC_SIDE ? hs->side[s++ & (hs->scap - 1)].nextra : nx;
        i++;
    }
    hs->rtail = i;
    hs->etail = e;
    hs->stail = s;
    rv_hist_room_update(hs);
}

/* rlimit and the bounds from the rings' sizes and the limits; drops what the new bounds exclude. */
static void set_bounds(rv_history *hs)
{
    uint64_t rl = hs->rcap < hs->max_records ? hs->rcap : hs->max_records;
    hs->lazy = hs->user_on && !hs->clk && hs->rcap >= LAZY_MIN_RECORDS && hs->ecap_max >= LAZY_MIN_EXTRAS;
    if (hs->lazy) {
        uint64_t rslack = hs->rcap / 16;
        hs->rlimit = hs->rcap;
        hs->lrecords = rl < hs->rcap - rslack ? rl : hs->rcap - rslack;
        hs->lbytes = hs->ecap_max - hs->ecap_max / 16;
    } else {
        hs->rlimit = rl;
        hs->lrecords = rl;
        hs->lbytes = hs->ecap_max;
    }
    apply_bounds(hs, 0);
    rv_hist_room_update(hs);
}

/* A ring of cap elements was reallocated to 2 x cap (its first cap as they were): move the elements of
   the logical range [from, to) (at most cap) whose position in the larger ring is in its upper half.
   Growing in place lets the host move large buffers without copying them (mremap), and only half of
   the elements move. */
static void ring_spread(void *buf, uint64_t cap, uint64_t from, uint64_t to, size_t elem)
{
    while (from != to) {
        uint64_t s = from & (cap - 1), n = to - from;
        if (n > cap - s)
            n = cap - s;
        if (from & cap)
            memcpy((uint8_t *)buf + (s + cap) * elem, (uint8_t *)buf + s * elem, n * elem);
        from += n;
    }
}

/* Grow the records ring to twice the size (same logical indices). */
static int grow_records(rv_history *hs)
{
    uint64_t cap = hs->rcap, ncap = cap * 2;
    rv_hist_rec *n = realloc(hs->rec, ncap * REC_BYTES);
    if (!n)
        return -1;
    hs->rec = n;            /* (the same ring until rcap changes) */
    if (hs->clk) {
        uint64_t *nc = realloc(hs->clk, ncap * 8);
        if (!nc)
            return -1;
        hs->clk = nc;
        ring_spread(nc, cap, hs->rtail, hs->rhead, 8);
    }
    ring_spread(n, cap, hs->rtail, hs->rhead, REC_BYTES);
    hs->rcap = ncap;
    hs->rmask = ncap - 1;
    return 0;
}

static int grow_extras(rv_history *hs)
{
    uint64_t cap = hs->ecap;
    uint8_t *n = realloc(hs->ext, cap * 2);
    if (!n)
        return -1;
    ring_spread(n, cap, hs->etail, hs->ehead, 1);
    hs->ext = n;
    hs->ecap = cap * 2;
    if (hs->ecap > hs->ecap_max) {
        hs->ecap_max = hs->ecap;
        if (!hs->lazy)
            hs->lbytes = hs->ecap;
    }
    return 0;
}

/* A record must be pushed and the ring is full (or at the instruction limit). */
void rv_hist_make_room(rv_history *hs)
{
    if (hs->lazy) {
        apply_bounds(hs, 1);    /* (the ring is larger than lrecords: this makes room) */
        return;
    }
    uint64_t count = hs->rhead - hs->rtail;
    if (count < hs->max_records && count >= hs->rcap &&
        used_bytes(hs) + hs->rcap * (REC_BYTES + (hs->clk ? 8 : 0)) <= hs->max_bytes && grow_records(hs) == 0) {
        hs->rlimit = hs->rcap < hs->max_records ? hs->rcap : hs->max_records;
        return;
    }
    while (hs->rhead - hs->rtail >= hs->rcap || hs->rhead - hs->rtail >= hs->max_records)
        drop_oldest(hs);
    hs->rfull = 1;      /* from now on a push at the limit drops the oldest (inline) */
}

/* Set the extras count of the newest record. */
static int set_newest_nextra(rv_machine *m, uint64_t nextra)
{
    rv_history *hs = m->hist;
    uint64_t idx = hs->rhead - 1;
    rv_hist_rec *r = &hs->rec[idx & hs->rmask];
    uint64_t meta = rv_hist_meta(hs, idx) & ~RV_HREC_HOST;
    uint32_t host = r->id & RV_HID_HOST;
    if (RV_HREC_NEXTRA(meta) == RV_HREC_SIDE) {
        hs->side[(hs->shead - 1) & (hs->scap - 1)].nextra = nextra;
    } else if (nextra < RV_HREC_SIDE) {
        r->id = rv_hist_meta_id(hs, (meta & ~((uint64_t)RV_HREC_SIDE << 8)) | nextra << 8) | host;
    } else {
        if (side_push(hs, idx, nextra, rec_pc(m, idx)))
            return -1;
        /* (the pc moves to the side entry too: rec_pc reads it there from now on) */
        r->id = rv_hist_meta_id(hs, (meta & 0xffffffull) | (uint64_t)RV_HREC_SIDE << 8) | host;
    }
    return 0;
}

/* The extras [ecommit, ehead) belong to the newest record (what the host or a trap changed after it). */
static void attach_to_newest(rv_machine *m)
{
    rv_history *hs = m->hist;
    if (hs->lost || set_newest_nextra(m, rec_nextra(hs, hs->rhead - 1) + (hs->ehead - hs->ecommit))) {
        hs->ehead = hs->ecommit;
        rv_hist_lost(hs);
        return;
    }
    hs->ecommit = hs->ehead;
}

/* Push a record for the step in flight, whose extras are [ecommit, ehead). */
static void push_record(rv_machine *m, uint64_t pc, unsigned reg, uint64_t old, uint64_t clock,
                        unsigned flags)
{
    rv_history *hs = m->hist;
    uint64_t nx = hs->ehead - hs->ecommit, pcoff = pc - m->cfg.mem_base;
    rv_hist_room(hs);
    uint64_t idx = hs->rhead;
    rv_hist_rec *r = &hs->rec[idx & hs->rmask];
    r->old = old;
    if (nx < RV_HREC_SIDE && !(pcoff & 1) && !(pcoff >> (RV_HREC_PCBITS + 1))) {
        r->id = rv_hist_meta_id(hs, RV_HREC_META(pcoff, nx, flags, reg));
    } else {
        if (side_push(hs, idx, nx, pc)) {
            hs->lost = 1;
            hs->ehead = hs->ecommit;
            rv_hist_lost(hs);
            return;
        }
        r->id = rv_hist_meta_id(hs, RV_HREC_META(0, RV_HREC_SIDE, flags, reg));
    }
    if (hs->clk)
        hs->clk[idx & hs->rmask] = clock;
    hs->rhead = idx + 1;
    hs->ecommit = hs->ehead;
    rv_hist_room_update(hs);
}

/* The instruction in flight logged more than the whole byte budget: nothing before it can be undone. */
void rv_hist_lost(rv_history *hs)
{
    hs->rtail = hs->rhead;
    hs->stail = hs->shead;
    hs->etail = hs->ehead = hs->ecommit;
    hs->lost = 0;
    update_slow(hs);
}

/* Make room for n more bytes of extras; 0, or -1 when they cannot fit (the step is lost). */
static int reserve_extras(rv_history *hs, uint64_t n)
{
    if (hs->lost)
        return -1;
    /* (lazy: the extras bound is applied here as without slack; lbytes < ecap_max.  The ring grows to
       ecap_max before any step is dropped for room, so the steps held are those of a ring reserved
       at ecap_max) */
    uint64_t cap = hs->lazy ? hs->lbytes : hs->ecap_max;
    while (hs->ehead + n - hs->etail > cap || hs->ehead + n - hs->etail > hs->ecap) {
        if (hs->ecap < hs->ecap_max && grow_extras(hs) == 0)
            continue;
        if (!hs->lazy && used_bytes(hs) + hs->ecap <= hs->max_bytes && grow_extras(hs) == 0) {
            cap = hs->ecap_max;
            continue;
        }
        if (hs->rtail == hs->rhead || hs->etail == hs->ecommit) {
            /* only the step in flight is left */
            hs->lost = 1;
            hs->slow = 1;
            rv_hist_room_update(hs);
            hs->ehead = hs->ecommit;
            return -1;
        }
        drop_oldest(hs);
    }
    return 0;
}

static void ext_write(rv_history *hs, uint64_t pos, const void *src, uint64_t n)
{
    const uint8_t *s = src;
    while (n) {
        uint64_t at = pos & (hs->ecap - 1), chunk = hs->ecap - at < n ? hs->ecap - at : n;
        memcpy(hs->ext + at, s, chunk);
        s += chunk; pos += chunk; n -= chunk;
    }
}

static void ext_read(const rv_history *hs, uint64_t pos, void *dst, uint64_t n)
{
    uint8_t *d = dst;
    while (n) {
        uint64_t at = pos & (hs->ecap - 1), chunk = hs->ecap - at < n ? hs->ecap - at : n;
        memcpy(d, hs->ext + at, chunk);
        d += chunk; pos += chunk; n -= chunk;
    }
}

/* Append an entry (old bytes `src`) for the step in flight. */
static void log_entry(rv_history *hs, unsigned type, uint64_t addr, const void *src, uint64_t len)
{
    uint64_t total = PAD8(len) + ENTRY_TRAILER;
    if (reserve_extras(hs, total))
        return;
    uint64_t at = hs->ehead & (hs->ecap - 1);
    if (at + total <= hs->ecap) {
        uint8_t *p = hs->ext + at;
        uint64_t tl = type | len << 32;
        memcpy(p, src, len);
        memcpy(p + PAD8(len), &addr, 8);
        memcpy(p + PAD8(len) + 8, &tl, 8);
        hs->ehead += total;
        return;
    }
    ext_write(hs, hs->ehead, src, len);
    uint8_t trailer[ENTRY_TRAILER];
    uint32_t t = type, l = (uint32_t)len;
    memcpy(trailer, &addr, 8);
    memcpy(trailer + 8, &t, 4);
    memcpy(trailer + 12, &l, 4);
    ext_write(hs, hs->ehead + PAD8(len), trailer, ENTRY_TRAILER);
    hs->ehead += total;
}

/* log_entry when the entry fits without wrapping or dropping (len a multiple of 8). */
static inline void log_entry_fast(rv_history *hs, unsigned type, uint64_t addr, const void *src, uint64_t len)
{
    uint64_t total = len + ENTRY_TRAILER, at = hs->ehead & (hs->ecap - 1);
    if (likely(!hs->lost && !(len & 7) && hs->ehead + total - hs->etail <= hs->ecap && at + total <= hs->ecap)) {
        uint8_t *p = hs->ext + at;
        uint64_t tl = type | len << 32;
        memcpy(p, src, len);
        memcpy(p + len, &addr, 8);
        memcpy(p + len + 8, &tl, 8);
        hs->ehead += total;
        return;
    }
    log_entry(hs, type, addr, src, len);
}

/* Read the entry that ends at `end`: returns where it starts. */
static uint64_t entry_before(const rv_history *hs, uint64_t end, unsigned *type, uint64_t *addr,
                             uint64_t *len, uint64_t *payload)
{
    uint8_t trailer[ENTRY_TRAILER];
    ext_read(hs, end - ENTRY_TRAILER, trailer, ENTRY_TRAILER);
    uint32_t t, l;
    memcpy(addr, trailer, 8);
    memcpy(&t, trailer + 8, 4);
    memcpy(&l, trailer + 12, 4);
    *type = t;
    *len = l;
    *payload = end - ENTRY_TRAILER - PAD8(l);
    return *payload;
}

/* ---------------------------------------------------------------- logging hooks */

static void fold_host_fflags(rv_machine *m)
{
    if (!m->running)
        return;
#if defined(__x86_64__)
    /* guest FP arithmetic runs on SSE: no flag raised since the last fold is the common case, and
       reading MXCSR is far cheaper than fetestexcept (which also reads the x87 status) */
    unsigned csr = __builtin_ia32_stmxcsr();
    if (!(csr & 0x3f))
        return;
    /* the denormal flag (DE) has no RISC-V counterpart and feclearexcept leaves it: cleared here, or
       once raised (by any code of the process) it would send every later FP step to the slow path */
    if (csr & 0x02)
        __builtin_ia32_ldmxcsr(csr & ~0x02u);
#endif
    int fe = fetestexcept(FE_ALL_EXCEPT);
    if (!fe)
        return;
    m->h.fflags |= ((fe & FE_INEXACT) ? 1u : 0) | ((fe & FE_UNDERFLOW) ? 2u : 0) |
                   ((fe & FE_OVERFLOW) ? 4u : 0) | ((fe & FE_DIVBYZERO) ? 8u : 0) |
                   ((fe & FE_INVALID) ? 16u : 0);
    feclearexcept(FE_ALL_EXCEPT);
}

/* Clip [addr, addr+size) to the memory window; 0 when nothing of it is inside. */
static uint64_t clip(rv_machine *m, uint64_t *addr, uint64_t size)
{
    uint64_t base = m->cfg.mem_base, end = base + m->cfg.mem_size;
    uint64_t a = *addr, b = a + size;
    if (b < a)
        b = ~0ull;
    if (a < base)
        a = base;
    if (b > end)
        b = end;
    if (a >= b)
        return 0;
    *addr = a;
    return b - a;
}

/* The register (0..31 x, 32..63 f) a hart word at byte offset `off` is, or -1. */
static int reg_of_offset(uint64_t off)
{
    uint64_t xo = HART_OFF(x), fo = HART_OFF(f);
    if (off - xo < 32 * 8)
        return (int)((off - xo) / 8);
    if (off - fo < 32 * 8)
        return 32 + (int)((off - fo) / 8);
    return -1;
}

static int overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return a < b + bn && b < a + an;
}

static void mem_watch_hit(rv_machine *m, const rv_watch *w, unsigned access, uint64_t pc)
{
    rv_history *hs = m->hist;
    hs->hit = 1;
    hs->hitinfo = (rv_watch_hit){w->id, w->kind, access, 0, w->addr, w->size, pc};
    uint64_t a = w->addr, n;
    memset(hs->hit_old, 0, sizeof hs->hit_old);
    if ((n = clip(m, &a, w->size)) != 0)
        memcpy(hs->hit_old + (a - w->addr), m->mem + (a - m->cfg.mem_base), n);
    memcpy(hs->hit_new, hs->hit_old, w->size);
}

void rv_hist_mem(rv_machine *m, uint64_t addr, uint64_t size)
{
    rv_history *hs = m->hist;
    if (!hs || hs->undoing)
        return;
    uint64_t n = clip(m, &addr, size);
    if (n)
        log_entry(hs, RV_HE_MEM, addr, m->mem + (addr - m->cfg.mem_base), n);
}

void rv_hist_read(rv_machine *m, uint64_t addr, uint64_t size)
{
    rv_hist_read_at(m, addr, size, m->h.pc);
}

void rv_hist_read_at(rv_machine *m, uint64_t addr, uint64_t size, uint64_t pc)
{
    rv_history *hs = m->hist;
    if (!hs || !hs->nmem_read || hs->hit)
        return;
    for (int i = 0; i < hs->nwatch; i++) {
        rv_watch *w = &hs->watch[i];
        if ((w->kind & RV_WATCH_READ) && w->kind != RV_WATCH_REGISTER && overlaps(addr, size, w->addr, w->size)) {
            mem_watch_hit(m, w, RV_WATCH_READ, pc);
            return;
        }
    }
}

int rv_hist_reading(rv_machine *m)
{
    return m->hist && m->hist->nmem_read;
}

void rv_hist_hart_word(rv_machine *m, const uint64_t *word)
{
    rv_history *hs = m->hist;
    if (!hs || hs->undoing)
        return;
    log_entry(hs, RV_HE_HART, (uint64_t)((const uint8_t *)word - (const uint8_t *)&m->h), word, 8);
}

void rv_hist_host_map(rv_machine *m, uint64_t first, uint64_t end)
{
    rv_history *hs = m->hist;
    if (!hs || hs->undoing || m->running || hs->rhead == hs->rtail || end <= first)
        return;
    uint64_t n = end - first;
    uint8_t *old = malloc(n);
    if (!old)
        return;
    for (uint64_t p = first; p < end; p++)
        old[p - first] = m->page_flags[p] & 7;
    log_entry(hs, RV_HE_PERM, first, old, n);
    free(old);
    attach_to_newest(m);
    rv_hist_mark_host(m);
}

/* The host writes guest memory while the machine is stopped (a read system call, a debugger). */
static void host_write(rv_machine *m, uint64_t addr, uint64_t size)
{
    rv_history *hs = m->hist;
    if (hs->nmem_write && !hs->hit) {
        for (int i = 0; i < hs->nwatch; i++) {
            rv_watch *w = &hs->watch[i];
            if ((w->kind & RV_WATCH_WRITE) && w->kind != RV_WATCH_REGISTER &&
                overlaps(addr, size, w->addr, w->size)) {
                mem_watch_hit(m, w, RV_WATCH_WRITE, m->h.pc);
                break;
            }
        }
    }
    if (hs->rhead == hs->rtail)
        return;             /* nothing to attach it to: it cannot be undone, nor does it need to be */
    uint64_t n = clip(m, &addr, size);
    if (!n)
        return;
    log_entry(hs, RV_HE_MEM, addr, m->mem + (addr - m->cfg.mem_base), n);
    if (hs->lost) {
        rv_hist_lost(hs);
        return;
    }
    attach_to_newest(m);
    rv_hist_mark_host(m);
}

void rv_hist_host_write(rv_machine *m, uint64_t addr, uint64_t size)
{
    if (m->hist && !m->hist->undoing && !m->running)
        host_write(m, addr, size);
}

/* ---------------------------------------------------------------- capture and commit */

static uint64_t clock_now(rv_machine *m)
{
    return m->timing ? m->timing->cycle : 0;
}

static void capture_full(rv_machine *m)
{
    rv_history *hs = m->hist;
    fold_host_fflags(m);
    hs->s_pc = m->h.pc;
    hs->s_clock = clock_now(m);
    hs->s_full = 1;
    hs->s_nw = 0;
    hs->s_hart = m->h;
    hs->s_cycle_offset = m->cycle_offset;
    memcpy(hs->s_vreg, m->vreg, 32 * m->h.vlenb);
    if (m->tiles)
        memcpy(hs->s_tiles, m->tiles, 16ull * m->cfg.tile_te * m->cfg.tile_te);
}

/* ---------------------------------------------------------------- class V

   Called by the loop for every vector (not matrix) instruction: the capture and the retirement of the
   common case, without the whole-state comparison of the other classes. */

/* The hart words a vector step captures: every vector instruction may change the first VWORDS_ANY
   (fflags, which shares its word with frm; mstatus as it dirties VS or FS; vl, a fault-only-first load;
   vstart, which it clears; vxsat, a fixed-point one); those with no destination register group
   (rv_hist_vgroup 0: vset*, and the moves to x or f) may also change x[rd], f[rd], vtype and mtype
   (vset* clear it). */
#define VWORDS 9
#define VWORDS_ANY 5
static const uint16_t vword_off[VWORDS - 2] = {
    HART_OFF(fflags), HART_OFF(mstatus), HART_OFF(vl), HART_OFF(vstart), HART_OFF(vxsat), HART_OFF(vtype),
    HART_OFF(mtype)};
_Static_assert(VWORDS <= sizeof ((rv_history *)0)->s_old / 8, "s_old holds the vector words");

/* The offsets of a class V step's first VWORDS - 2 words (the capture sets only x[rd]'s and f[rd]'s). */
static void v_offsets(rv_history *hs)
{
    memcpy(hs->s_off, vword_off, sizeof vword_off);
}

/* The vector registers a vector load may write (vtype valid): NF x EMUL from vd, EMUL = EEW/SEW x LMUL
   for the data (indexed loads: SEW), at least one register; whole-register loads NF; vlm.v one. */
static unsigned load_regs(uint32_t raw, uint64_t vtype)
{
    unsigned nf = (raw >> 29 & 7u) + 1, mop = raw >> 26 & 3u, lumop = raw >> 20 & 31u, width = raw >> 12 & 7u;
    if (mop == 0 && lumop == 8)
        return nf;
    if (mop == 0 && lumop == 11)
        return 1;
    if (width != 0 && width < 5)
        return 8;
    int eew_log2 = width == 0 ? 0 : (int)width - 4, sew_log2 = (int)(vtype >> 3 & 7u);
    int vlmul = (int)(vtype & 7u), lmul_log2 = vlmul < 4 ? vlmul : vlmul - 8;
    int emul_log2 = lmul_log2 + ((mop & 1) ? sew_log2 : eew_log2) - sew_log2;
    unsigned regs = nf * (emul_log2 <= 0 ? 1u : 1u << (emul_log2 > 3 ? 3 : emul_log2));
    return regs > 8 ? 8 : regs;
}

/* rv_hist_capture_v's group when it does not fit the ring's free end as it is, or VLEN is neither 128
   nor 256: make room (dropping the oldest steps or growing), then log it as entries if they fit without
   wrapping, else copy it aside (s_full 2) to be compared as the step retires. */
static __attribute__((noinline)) void capture_group_slow(rv_machine *m, unsigned first, unsigned count)
{
    rv_history *hs = m->hist;
    uint64_t vb = m->h.vlenb, total = count * (vb + ENTRY_TRAILER);
    if (hs->ehead + total - hs->etail > hs->ecap && !hs->lost)
        reserve_extras(hs, total);      /* (lost: the copy below) */
    uint64_t at = hs->ehead & (hs->ecap - 1);
    if (!(vb & 7) && !hs->lost && hs->ehead + total - hs->etail <= hs->ecap && at + total <= hs->ecap) {
        for (unsigned i = 0; i < count; i++)
            log_entry_fast(hs, RV_HE_VREG, (first + i) * vb, m->vreg + (first + i) * vb, vb);
        hs->s_full = 3;
        return;
    }
    hs->s_full = 2;
    memcpy(hs->s_vreg + first * vb, m->vreg + first * vb, count * vb);
}

/* Before a vector instruction at pc executes: the words it may write, and the old value of its
   destination register group.  Arithmetic writes LMUL registers (at least one; twice as many widening,
   none for vset* and moves to x or f: rv_hist_vgroup), a load NF x EMUL, a store none; whole-register
   moves up to 8.  The group goes straight into the extras ring as the step's entries (s_full 3), one
   entry a register, whether the instruction changes it or not: undoing restores what was there, and
   nothing is compared after.  When the ring would wrap (or is full and cannot make room) the group is
   copied aside instead and compared as the step retires (s_full 2).  A trap (rv_hist_trap_begin) or the
   out-of-line commit finds the words (and a copied group) in the step in flight. */
INLINE_COPIES void rv_hist_capture_v(rv_machine *m, const rv_insn_t *e, uint64_t pc, uint64_t clock)
{
    rv_history *hs = m->hist;
    const rv_hart_state *h = &m->h;
    unsigned rd = e->rd;
    hs->s_pc = pc;
    hs->s_clock = clock;
    unsigned group = rv_hist_vgroup[e->exec_op];
    /* (s_off[0..6] are set by the uncommon paths that read them: v_offsets) */
    memcpy(&hs->s_old[0], &h->fflags, 8);
    hs->s_old[1] = h->mstatus;
    hs->s_old[2] = h->vl;
    hs->s_old[3] = h->vstart;
    hs->s_old[4] = h->vxsat;
    if (likely(group)) {
        hs->s_nw = VWORDS_ANY;
    } else {
        hs->s_nw = VWORDS;
        hs->s_old[5] = h->vtype;
        hs->s_old[6] = h->mtype;
        hs->s_off[7] = (uint16_t)(HART_OFF(x) + 8u * rd);
        hs->s_off[8] = (uint16_t)(HART_OFF(f) + 8u * (rd & 31u));
        hs->s_old[7] = h->x[rd];
        hs->s_old[8] = h->f[rd & 31u];
    }
    unsigned first = rd & 31u, count, vlmul = (unsigned)h->vtype & 7u, major = e->raw & 0x7f;
    if (major == 0x27)
        count = 0;
    else if (h->vtype >> 63)
        count = 8;
    else if (major == 0x07) {
        unsigned d = vload_desc[e->exec_op], code = d >> 4 & 7u;
        if (d & RV_VLOAD_FIXED) {
            count = d & 15u;
        } else if (likely(d)) {
            int lmul_log2 = (int)(vlmul ^ 4) - 4, sew_log2 = (int)(h->vtype >> 3 & 7u);
            int emul_log2 = code ? lmul_log2 + (int)code - 1 - sew_log2 : lmul_log2;
            count = (d & 15u) << (emul_log2 <= 0 ? 0 : emul_log2 > 3 ? 3 : emul_log2);
        } else {
            count = load_regs(e->raw, h->vtype);
        }
    } else if (group == 8)
        count = 8;
    else if (group == RV_HIST_VGROUP_ONE)
        count = 1;
    else
        count = vlmul < 4 ? group << vlmul : group ? 1u : 0u;    /* fractional LMUL: one (or none) */
    if (count > 8)
        count = 8;
    if (count > 32 - first)
        count = 32 - first;
    hs->s_vfirst = first;
    hs->s_vcount = count;
    uint64_t vb = h->vlenb, total = count * (vb + ENTRY_TRAILER), head = hs->ehead, at = head & (hs->ecap - 1);
    /* (a lost step's entries are dropped as it commits: no need to test for it here) */
    if (unlikely((head + total - hs->etail > hs->ecap) | (at + total > hs->ecap) | ((vb - 16) & ~(uint64_t)16))) {
        capture_group_slow(m, first, count);
        return;
    }
    /* VLEN 128 or 256: each register an entry of fixed size, copied inline */
    const uint8_t *src = m->vreg + first * vb;
    uint8_t *p = hs->ext + at, *end = p + total;
    uint64_t off = first * vb, tl = RV_HE_VREG | vb << 32;
    hs->ehead = head + total;
    hs->s_full = 3;
    if (vb == 16) {
        for (; p < end; p += 16 + ENTRY_TRAILER, src += 16, off += 16) {
            memcpy(p, src, 16);
            memcpy(p + 16, &off, 8);
            memcpy(p + 24, &tl, 8);
        }
    } else {
        for (; p < end; p += 32 + ENTRY_TRAILER, src += 32, off += 32) {
            memcpy(p, src, 32);
            memcpy(p + 32, &off, 8);
            memcpy(p + 40, &tl, 8);
        }
    }
}

/* The words of a class V step in flight that changed (bit i: s_off[i]). */
static void log_words(rv_history *hs, unsigned changed)
{
    while (changed) {
        int i = __builtin_ctz(changed);
        changed &= changed - 1;
        log_entry_fast(hs, RV_HE_HART, hs->s_off[i], &hs->s_old[i], 8);
    }
}

/* The registers of a copied group (s_full 2) that changed. */
static void log_copied_group(rv_machine *m)
{
    rv_history *hs = m->hist;
    uint64_t vb = m->h.vlenb, off = (uint64_t)hs->s_vfirst * vb;
    for (unsigned i = 0; i < hs->s_vcount; i++, off += vb)
        if (memcmp(hs->s_vreg + off, m->vreg + off, vb))
            log_entry(hs, RV_HE_VREG, off, hs->s_vreg + off, vb);
}

/* rv_hist_retire_v's words when one of the first VWORDS_ANY changed or the step has all VWORDS. */
static __attribute__((noinline)) void retire_v_words(rv_machine *m, const rv_insn_t *e)
{
    rv_history *hs = m->hist;
    const rv_hart_state *h = &m->h;
    uint64_t fw;
    memcpy(&fw, &h->fflags, 8);
    unsigned changed = (unsigned)(fw != hs->s_old[0]) | (unsigned)(h->mstatus != hs->s_old[1]) << 1 |
                       (unsigned)(h->vl != hs->s_old[2]) << 2 | (unsigned)(h->vstart != hs->s_old[3]) << 3 |
                       (unsigned)(h->vxsat != hs->s_old[4]) << 4;
    if (hs->s_nw != VWORDS_ANY) {
        unsigned rd = e->rd;
        changed |= (unsigned)(h->vtype != hs->s_old[5]) << 5 | (unsigned)(h->mtype != hs->s_old[6]) << 6 |
                   (unsigned)(h->x[rd] != hs->s_old[7] && rd != RV_X_SINK) << 7 |
                   (unsigned)(h->f[rd & 31u] != hs->s_old[8]) << 8;
    }
    v_offsets(hs);
    log_words(hs, changed);
}

/* Whether a vector instruction may have changed a CSR word its capture saved: any of the five every
   vector instruction saves differs, or it saved more (vset*, the moves to x or f), which
   retire_v_words compares one by one. */
static inline int v_words_may_have_changed(const rv_history *hs, const rv_hart_state *h)
{
    uint64_t fw;
    memcpy(&fw, &h->fflags, 8);
    return ((fw ^ hs->s_old[0]) | (h->mstatus ^ hs->s_old[1]) | (h->vl ^ hs->s_old[2]) |
            (h->vstart ^ hs->s_old[3]) | (h->vxsat ^ hs->s_old[4])) != 0 || hs->s_nw != VWORDS_ANY;
}

/* A vector instruction captured by rv_hist_capture_v retires: log the words it changed and push its
   record (its group is logged already; watchpoints and a lost step: the out-of-line commit).  timed:
   the loop runs the cycle model. */
INLINE_COPIES void rv_hist_retire_v(rv_machine *m, const rv_insn_t *e, int timed)
{
    rv_history *hs = m->hist;
    if (unlikely(hs->room < 0)) {
        rv_hist_commit(m, RV_HR_RETIRED);
        return;
    }
    const rv_hart_state *h = &m->h;
    if (unlikely(rv_hist_host_flags()))
        fold_host_fflags(m);
    /* one test for the common case, nothing changed; which words did only when one did */
    if (unlikely(v_words_may_have_changed(hs, h)))
        retire_v_words(m, e);
    if (unlikely(hs->s_full == 2))
        log_copied_group(m);
    rv_hist_push_x(m, hs, (hs->s_pc - m->cfg.mem_base) >> 1, 63, 0, hs->s_clock, RV_HR_RETIRED, timed);
}

/* ---------------------------------------------------------------- class V in recording blocks */

/* Undo what a vector instruction that did not complete wrote (its step's entries from `from`, newest
   first, and the words captured), and drop the entries: as if it had not run.  Only the entries a
   block's vector step can have: the destination group, memory inside one plain page, hart words. */
static void block_v_rollback(rv_machine *m, uint64_t from)
{
    rv_history *hs = m->hist;
    uint64_t end = hs->ehead;
    while (end > from) {
        unsigned type; uint64_t addr, len, payload;
        uint64_t start = entry_before(hs, end, &type, &addr, &len, &payload);
        uint8_t *target = type == RV_HE_VREG ? m->vreg + addr : type == RV_HE_HART ? (uint8_t *)&m->h + addr
                        : type == RV_HE_MEM ? m->mem + (addr - m->cfg.mem_base) : NULL;
        if (target)
            ext_read(hs, payload, target, len);
        end = start;
    }
    for (int i = 0; i < (hs->s_nw == VWORDS ? VWORDS - 2 : VWORDS_ANY); i++)
        memcpy((uint8_t *)&m->h + vword_off[i], &hs->s_old[i], 8);
    for (int i = VWORDS - 2; i < hs->s_nw; i++)
        memcpy((uint8_t *)&m->h + hs->s_off[i], &hs->s_old[i], 8);
    hs->ehead = from;
}

/* For rv_hist_block_vf (vector_block.c): a class V step's words s_old[0..4] changed; fold the host's
   flags into fflags. */
void rv_hist_block_v_words(rv_machine *m, const rv_insn_t *e)
{
    m->hist->s_nw = VWORDS_ANY;
    retire_v_words(m, e);
}

void rv_hist_block_v_fold(rv_machine *m)
{
    fold_host_fflags(m);
}

/* A vector instruction of a recording block (jit_x86.c, at pc): the step exactly as the recording loop
   records it (rv_hist_capture_v, the instruction, rv_hist_retire_v), with its record written at r, the
   block's record for it (the block moves rhead, room and ecommit as it leaves).  Only what cannot trap
   or stop part-way runs here: vstart 0, a valid vtype (but for vset*), unit-stride loads and stores
   inside one page that takes them without the slow path (no code, watched or HTIF page); and only when
   the extras ring holds the most the step can log, and `reserve` bytes after it (the block's own
   entries later in the pass), without wrapping or making room.  The instruction runs where the
   interpreter's general path runs it (rv_vector_exec); an illegal encoding is undone (the group and
   words it captured) and left to the interpreter.  Returns 1 when the instruction retired, 0 when
   nothing changed and the block must leave before it. */
int rv_hist_block_v(rv_machine *m, const rv_insn_t *e, uint64_t pc, rv_hist_rec *r, uint64_t reserve)
{
    rv_history *hs = m->hist;
    rv_hart_state *h = &m->h;
    const uint32_t raw = (uint32_t)e->raw;
    const unsigned major = raw & 0x7f;
    uint64_t vb = h->vlenb, need = 8 * (vb + ENTRY_TRAILER) + VWORDS * (8 + ENTRY_TRAILER);
    if (unlikely(h->vstart != 0))
        return 0;
    if (unlikely(h->vtype >> 63) && !(major == 0x57 && (raw >> 12 & 7u) == 7))
        return 0;                       /* illegal but vset*: the interpreter traps */
    if (major == 0x07 || major == 0x27) {
        unsigned width = raw >> 12 & 7u, eew = width == 0 ? 1 : width >= 5 ? 1u << (width - 4) : 0;
        if ((raw >> 29) || (raw >> 26 & 3u) || (raw >> 20 & 31u) || !eew)
            return 0;                   /* segments, strided, indexed, whole-register, mask, ff */
        uint64_t a = h->x[e->rs1], len = h->vl * eew, off = a - m->cfg.mem_base, pg = off >> RV_PAGE_BITS;
        if (len) {
            unsigned mask = major == 0x07 ? RV_PERM_R : RV_PERM_W | RV_PAGE_CODE | RV_PAGE_WATCH;
            unsigned want = major == 0x07 ? RV_PERM_R : RV_PERM_W;
            if (pg >= m->npages || (m->page_flags[pg] & mask) != want ||
                (off & (RV_PAGE_SIZE - 1)) + len > RV_PAGE_SIZE ||
                ((a & (eew - 1)) && (m->cfg.flags & RV_CFG_TRAP_MISALIGNED)))
                return 0;
            if (major == 0x27)
                need += VM_BIT(e) ? PAD8(len) + ENTRY_TRAILER : h->vl * (8 + ENTRY_TRAILER);
        }
    }
    if (need >= RV_HREC_SIDE)
        return 0;                       /* its count would go to the side ring */
    uint64_t head = hs->ehead, at = head & (hs->ecap - 1);
    if (unlikely(head + need + reserve - hs->etail > hs->ecap || at + need + reserve > hs->ecap))
        return 0;
    h->pc = pc;
    int fast = rv_v_fast_kind[e->exec_op] && VM_BIT(e) &&
               !((m->cfg.flags & RV_CFG_VECTOR_AGNOSTIC_ONES) && (h->vtype & 0x40)) ? rv_v_block_has_fast(m, e) : 0;
    if (fast)
        return 0;       /* the block calls rv_hist_block_vf when the interpreter's fast path would run it;
                           else its general path runs it and (re)specialises the slot: left to it */
    rv_hist_capture_v(m, e, pc, 0);
    uint64_t tval = 0;
    int c = rv_vector_exec(m, e, &tval);
    if (unlikely(c != 0)) {
        block_v_rollback(m, head);
        return 0;
    }
    if (unlikely(rv_hist_host_flags()))
        fold_host_fflags(m);
    if (unlikely(v_words_may_have_changed(hs, h)))
        retire_v_words(m, e);
    r->old = 0;
    r->id = rv_hist_meta_id(hs, ((pc - m->cfg.mem_base) >> 1) << 24 | (hs->ehead - head) << 8 |
                                (uint64_t)RV_HR_RETIRED << 6 | 63);
    return 1;
}

void rv_hist_capture(rv_machine *m, const rv_insn_t *e, unsigned cls)
{
    rv_history *hs = m->hist;
    if (cls == RV_HC_FULL) {
        capture_full(m);
        return;
    }
    /* (no host flags are pending: the instructions that raise them fold them as they retire) */
    hs->s_pc = m->h.pc;
    hs->s_clock = clock_now(m);
    if (cls == RV_HC_V) {
        rv_hist_capture_v(m, e, m->h.pc, hs->s_clock);
        return;
    }
    hs->s_full = 0;
    hs->s_nw = 4;
    hs->s_off[0] = (uint16_t)(HART_OFF(x) + 8u * e->rd);
    hs->s_off[1] = (uint16_t)(HART_OFF(f) + 8u * (e->rd & 31));
    hs->s_off[2] = (uint16_t)HART_OFF(fflags);      /* fflags and frm share this word */
    hs->s_off[3] = (uint16_t)HART_OFF(mstatus);
    for (int i = 0; i < 4; i++)
        memcpy(&hs->s_old[i], (uint8_t *)&m->h + hs->s_off[i], 8);
}

void rv_hist_trap_begin(rv_machine *m, unsigned cls)
{
    /* the faulting instruction of class X or F changed nothing before it faulted; a vector or matrix
       one may have (elements before the faulting one, vstart): a matrix one's capture is kept, a
       vector one's is widened to the whole state (the trap writes CSRs it did not capture) */
    rv_history *hs = m->hist;
    int same = hs->s_pc == m->h.pc;
    if (cls == RV_HC_V && same && hs->s_full >= 2) {
        v_offsets(hs);
        hs->s_hart = m->h;
        for (int i = 0; i < hs->s_nw; i++)
            memcpy((uint8_t *)&hs->s_hart + hs->s_off[i], &hs->s_old[i], 8);
        uint64_t vb = m->h.vlenb, lo = hs->s_vfirst * vb, hi = lo + hs->s_vcount * vb;
        if (hs->s_full == 3) {
            /* the group's old values are the step's entries already: none of it compares as changed */
            memcpy(hs->s_vreg, m->vreg, 32 * vb);
        } else {
            memcpy(hs->s_vreg, m->vreg, lo);
            memcpy(hs->s_vreg + hi, m->vreg + hi, 32 * vb - hi);
        }
        hs->s_cycle_offset = m->cycle_offset;
        if (m->tiles)
            memcpy(hs->s_tiles, m->tiles, 16ull * m->cfg.tile_te * m->cfg.tile_te);
        hs->s_full = 1;
        return;
    }
    if (cls != RV_HC_FULL || hs->s_full != 1 || !same)
        capture_full(m);
}

void rv_hist_reg_hit(rv_machine *m, unsigned reg, uint64_t old, uint64_t pc)
{
    rv_history *hs = m->hist;
    if (hs->hit)
        return;
    for (int i = 0; i < hs->nwatch; i++) {
        rv_watch *w = &hs->watch[i];
        if (w->kind == RV_WATCH_REGISTER && w->addr == reg) {
            uint64_t now = reg < 32 ? m->h.x[reg] : m->h.f[reg - 32];
            hs->hit = 1;
            hs->hitinfo = (rv_watch_hit){w->id, w->kind, RV_WATCH_WRITE, 0, reg, 8, pc};
            memcpy(hs->hit_old, &old, 8);
            memcpy(hs->hit_new, &now, 8);
            return;
        }
    }
}

/* Memory entries of the step in flight against the write watchpoints. */
void rv_hist_check_mem_watches(rv_machine *m, uint64_t pc)
{
    rv_history *hs = m->hist;
    if (hs->hit)
        return;
    uint64_t end = hs->ehead;
    while (end > hs->ecommit) {
        unsigned type; uint64_t addr, len, payload;
        uint64_t start = entry_before(hs, end, &type, &addr, &len, &payload);
        if (type == RV_HE_MEM) {
            for (int i = 0; i < hs->nwatch; i++) {
                rv_watch *w = &hs->watch[i];
                if ((w->kind & RV_WATCH_WRITE) && w->kind != RV_WATCH_REGISTER &&
                    overlaps(addr, len, w->addr, w->size)) {
                    mem_watch_hit(m, w, RV_WATCH_WRITE, pc);
                    /* old: the bytes this step's entries saved (the oldest entry wins) */
                    uint64_t e2 = hs->ehead;
                    while (e2 > hs->ecommit) {
                        unsigned t2; uint64_t a2, l2, p2;
                        uint64_t s2 = entry_before(hs, e2, &t2, &a2, &l2, &p2);
                        if (t2 == RV_HE_MEM)
                            for (uint64_t k = 0; k < l2; k++)
                                if (a2 + k >= w->addr && a2 + k < w->addr + w->size)
                                    ext_read(hs, p2 + k, &hs->hit_old[a2 + k - w->addr], 1);
                        e2 = s2;
                    }
                    return;
                }
            }
        }
        end = start;
    }
}

static void diff_words(rv_machine *m, const void *before, const void *after, uint64_t size, unsigned type,
                       uint64_t force_off)
{
    const uint64_t *b = before, *a = after;
    for (uint64_t i = 0; i < size / 8; i++)
        if (b[i] != a[i] || 8 * i == force_off)
            log_entry(m->hist, type, 8 * i, &b[i], 8);
}

static void diff_blocks(rv_machine *m, const uint8_t *before, const uint8_t *after, uint64_t size,
                        uint64_t block, unsigned type)
{
    for (uint64_t off = 0; off < size; off += block) {
        uint64_t n = size - off < block ? size - off : block;
        if (memcmp(before + off, after + off, n))
            log_entry(m->hist, type, off, before + off, n);
    }
}

/* Register watchpoints against hart-word entries of [from, ehead). */
static void check_reg_entries(rv_machine *m, uint64_t from, uint64_t pc)
{
    rv_history *hs = m->hist;
    uint64_t end = hs->ehead;
    while (end > from && !hs->hit) {
        unsigned type; uint64_t addr, len, payload;
        uint64_t start = entry_before(hs, end, &type, &addr, &len, &payload);
        if (type == RV_HE_HART) {
            int reg = reg_of_offset(addr);
            if (reg >= 0 && (hs->reg_mask >> reg & 1)) {
                uint64_t old;
                ext_read(hs, payload, &old, 8);
                uint64_t now = reg < 32 ? m->h.x[reg] : m->h.f[reg - 32];
                if (old != now)
                    rv_hist_reg_hit(m, (unsigned)reg, old, pc);
            }
        }
        end = start;
    }
}

/* Log what the step in flight (classes F and FULL, and traps) changed.  A whole-hart capture logs
   instret even when it compares equal (force_off), so that undoing a step restores the count it
   started from whatever the step wrote to it; a trap's changes attached to the step before
   (rv_hist_attach_step) must not, since that capture was taken after the step before retired. */
static void log_step_changes(rv_machine *m, uint64_t force_off)
{
    rv_history *hs = m->hist;
    fold_host_fflags(m);
    if (hs->s_full >= 2) {
        unsigned changed = 0;
        v_offsets(hs);
        for (int i = 0; i < hs->s_nw; i++) {
            uint64_t now;
            memcpy(&now, (uint8_t *)&m->h + hs->s_off[i], 8);
            changed |= (unsigned)(now != hs->s_old[i]) << i;
        }
        for (int i = 0; i < hs->s_nw; i++)
            if (hs->s_off[i] == HART_OFF(x) + 8 * RV_X_SINK)
                changed &= ~(1u << i);
        while (changed) {
            int i = __builtin_ctz(changed);
            changed &= changed - 1;
            log_entry_fast(hs, RV_HE_HART, hs->s_off[i], &hs->s_old[i], 8);
        }
        if (hs->s_full == 2)
            log_copied_group(m);    /* (s_full 3: the group is logged already) */
    } else if (hs->s_full) {
        diff_words(m, &hs->s_hart, &m->h, sizeof m->h, RV_HE_HART, force_off);
        if (hs->s_cycle_offset != m->cycle_offset)
            log_entry(hs, RV_HE_MACH, 0, &hs->s_cycle_offset, 8);
        diff_blocks(m, hs->s_vreg, m->vreg, 32 * m->h.vlenb, m->h.vlenb, RV_HE_VREG);
        if (m->tiles)
            diff_blocks(m, hs->s_tiles, m->tiles, 16ull * m->cfg.tile_te * m->cfg.tile_te, 256, RV_HE_TILE);
    } else {
        for (int i = 0; i < hs->s_nw; i++) {
            uint64_t now;
            memcpy(&now, (uint8_t *)&m->h + hs->s_off[i], 8);
            if (now != hs->s_old[i] && hs->s_off[i] != HART_OFF(x) + 8 * RV_X_SINK)
                log_entry(hs, RV_HE_HART, hs->s_off[i], &hs->s_old[i], 8);
        }
    }
}

/* A trap stopped run() for the host: not a step of its own (it used no budget), so what it and the
   faulting instruction changed (the trap CSRs; a vector access's elements before the fault) belongs
   to the step before, like the host's own changes that follow. */
void rv_hist_attach_step(rv_machine *m)
{
    rv_history *hs = m->hist;
    log_step_changes(m, UINT64_MAX);
    if (hs->lost) {
        rv_hist_lost(hs);
        return;
    }
    if (hs->rhead == hs->rtail) {
        hs->ehead = hs->ecommit;    /* nothing before it to undo */
        return;
    }
    attach_to_newest(m);
}

/* The step in flight (classes F and FULL, and traps) is complete: log what changed and push it. */
void rv_hist_commit(rv_machine *m, unsigned flags)
{
    rv_history *hs = m->hist;
    uint64_t from = hs->ehead;
    log_step_changes(m, HART_OFF(instret));
    if (hs->lost) {
        rv_hist_lost(hs);
        return;
    }
    if (hs->reg_mask)
        check_reg_entries(m, from, hs->s_pc);
    if (hs->nmem_write)
        rv_hist_check_mem_watches(m, hs->s_pc);
    push_record(m, hs->s_pc, 63, 0, hs->s_clock, flags);
}

/* The inline F retire's uncommon cases: the step is logged as an out-of-line capture would have. */
void rv_hist_retire_f_slow(rv_machine *m, const rv_insn_t *e, uint64_t pc, uint64_t old_x, uint64_t old_f,
                           uint64_t old_mstatus, uint64_t old_fflags, uint64_t clock)
{
    rv_history *hs = m->hist;
    hs->s_pc = pc;
    hs->s_clock = clock;
    hs->s_full = 0;
    hs->s_nw = 4;
    hs->s_off[0] = (uint16_t)(HART_OFF(x) + 8u * e->rd);
    hs->s_off[1] = (uint16_t)(HART_OFF(f) + 8u * (e->rd & 31));
    hs->s_off[2] = (uint16_t)HART_OFF(fflags);
    hs->s_off[3] = (uint16_t)HART_OFF(mstatus);
    hs->s_old[0] = old_x;
    hs->s_old[1] = old_f;
    hs->s_old[2] = old_fflags;
    hs->s_old[3] = old_mstatus;
    rv_hist_commit(m, RV_HR_RETIRED);
}

void rv_hist_hart_old(rv_machine *m, uint64_t off, uint64_t old)
{
    log_entry(m->hist, RV_HE_HART, off, &old, 8);
}

/* The inline push's uncommon cases: watchpoints, a lost step, a large count, a full ring. */
void rv_hist_push_slow(rv_machine *m, uint64_t pc, unsigned rd, uint64_t old, uint64_t clock, unsigned flags)
{
    rv_history *hs = m->hist;
    if (hs->lost) {
        rv_hist_lost(hs);
        return;
    }
    if (hs->ehead != hs->ecommit && hs->nmem_write)
        rv_hist_check_mem_watches(m, pc);
    if (flags & RV_HR_FREG) {
        if ((hs->reg_mask >> (32 + rd) & 1) && old != m->h.f[rd])
            rv_hist_reg_hit(m, 32 + rd, old, pc);
    } else if (rd < 32 && (hs->reg_mask >> rd & 1) && old != m->h.x[rd]) {
        rv_hist_reg_hit(m, rd, old, pc);
    }
    push_record(m, pc, rd, old, clock, flags);
}

/* ---------------------------------------------------------------- between runs */

static void save_exit_state(rv_machine *m)
{
    rv_history *hs = m->hist;
    hs->x_hart = m->h;
    hs->x_cycle_offset = m->cycle_offset;
    memcpy(hs->x_vreg, m->vreg, 32 * m->h.vlenb);
    if (m->tiles)
        memcpy(hs->x_tiles, m->tiles, 16ull * m->cfg.tile_te * m->cfg.tile_te);
    hs->x_valid = 1;
}

/* Attach what the host changed since run() last returned to the newest step. */
static void attach_host_changes(rv_machine *m)
{
    rv_history *hs = m->hist;
    if (!hs->x_valid || hs->rhead == hs->rtail) {
        save_exit_state(m);
        return;
    }
    uint64_t from = hs->ehead;
    diff_words(m, &hs->x_hart, &m->h, sizeof m->h, RV_HE_HART, ~0ull);
    if (hs->x_cycle_offset != m->cycle_offset)
        log_entry(hs, RV_HE_MACH, 0, &hs->x_cycle_offset, 8);
    diff_blocks(m, hs->x_vreg, m->vreg, 32 * m->h.vlenb, m->h.vlenb, RV_HE_VREG);
    if (m->tiles)
        diff_blocks(m, hs->x_tiles, m->tiles, 16ull * m->cfg.tile_te * m->cfg.tile_te, 256, RV_HE_TILE);
    if (hs->lost) {
        rv_hist_lost(hs);
    } else if (hs->ehead != from) {
        if (hs->reg_mask)
            check_reg_entries(m, from, m->h.pc);
        attach_to_newest(m);
        rv_hist_mark_host(m);
    }
    save_exit_state(m);
}

int rv_hist_run(rv_machine *m, uint64_t max_instructions)
{
    rv_history *hs = m->hist;
    if (hs->timed != (m->timing != NULL)) {
        /* the cycle model went on or off: records of the other mode cannot restore its clock */
        rv_history_clear(m);
        if (set_timed(hs, m->timing != NULL))
            return RV_STOP_ERROR;   /* (no host memory for the clocks) */
        if (hs->user_on && used_bytes(hs) > hs->max_bytes &&
            rv_history_start(m, hs->max_records, hs->max_bytes))
            return RV_STOP_ERROR;   /* (the clocks made the rings too big: smaller ones) */
    }
    attach_host_changes(m);
    rv_hist_ck_run_begin(m);
    hs->last_undone = 0;
    if (hs->hit == 2)
        hs->hit = 0;
    if (hs->hit == 1) {
        hs->hit = 2;
        return RV_STOP_WATCH;
    }
    int r = rv_hist_ck_run(m, max_instructions);    /* (the loop, with the cycle model's checkpoints) */
    if (hs->lazy)
        apply_bounds(hs, 0);        /* (before a capture is taken back: it was reserved for) */
    if (hs->s_full == 3 && hs->ehead != hs->ecommit)
        hs->ehead = hs->ecommit;    /* a vector instruction captured but not run (a breakpoint on it) */
    if (hs->hit == 1 && r == RV_STOP_LIMIT) {
        hs->hit = 2;
        r = RV_STOP_WATCH;
    }
    save_exit_state(m);
    return r;
}

/* ---------------------------------------------------------------- undo */

static void undone_append(rv_history *hs, unsigned type, uint64_t addr, const void *before,
                          const void *after, uint64_t len)
{
    if (!hs->keep_undone)
        return;
    uint64_t need = hs->undone_len + 16 + 2 * PAD8(len);
    if (need > hs->undone_cap) {
        uint64_t ncap = hs->undone_cap ? hs->undone_cap : 4096;
        while (ncap < need)
            ncap *= 2;
        uint8_t *n = realloc(hs->undone, ncap);
        if (!n)
            return;
        hs->undone = n;
        hs->undone_cap = ncap;
    }
    uint8_t *p = hs->undone + hs->undone_len;
    uint32_t t = type, l = (uint32_t)len;
    memcpy(p, &t, 4);
    memcpy(p + 4, &l, 4);
    memcpy(p + 8, &addr, 8);
    memset(p + 16, 0, 2 * PAD8(len));
    memcpy(p + 16, before, len);
    memcpy(p + 16 + PAD8(len), after, len);
    hs->undone_len = need;
}

static void invalidate_pages(rv_machine *m, uint64_t addr, uint64_t len)
{
    uint64_t first = (addr - m->cfg.mem_base) >> RV_PAGE_BITS;
    uint64_t end = (addr + len - 1 - m->cfg.mem_base) >> RV_PAGE_BITS;
    if (first > 0)
        first--;        /* an instruction may start on the page before */
    for (uint64_t p = first; p <= end && p < m->npages; p++)
        if (m->code[p])
            rv_invalidate_code_page(m, p);
}

/* Where the entry of `type` at `addr` lives in the machine. */
static uint8_t *entry_target(rv_machine *m, unsigned type, uint64_t addr)
{
    switch (type) {
    case RV_HE_MEM: return m->mem + (addr - m->cfg.mem_base);
    case RV_HE_HART: return (uint8_t *)&m->h + addr;
    case RV_HE_VREG: return m->vreg + addr;
    case RV_HE_TILE: return m->tiles + addr;
    case RV_HE_MACH: return (uint8_t *)&m->cycle_offset;
    default: return NULL;
    }
}

/* Undo the newest step; the caller checks there is one. */
static void pop(rv_machine *m)
{
    rv_history *hs = m->hist;
    uint64_t idx = hs->rhead - 1;
    uint64_t old = hs->rec[idx & hs->rmask].old, meta = rv_hist_meta(hs, idx);
    uint64_t nextra = rec_nextra(hs, idx), pc = rec_pc(m, idx);
    unsigned flags = (unsigned)(meta >> 6) & 3u, reg = RV_HREC_REG(meta);
    hs->undone_len = 0;
    if (flags & RV_HR_RETIRED)
        m->h.instret--;
    uint64_t end = hs->ehead, start_all = hs->ehead - nextra;
    int flush = 0;
    uint8_t small[64];
    while (end > start_all) {
        unsigned type; uint64_t addr, len, payload;
        uint64_t start = entry_before(hs, end, &type, &addr, &len, &payload);
        uint8_t *buf = len <= sizeof small ? small : malloc(len);
        if (!buf)
            break;      /* (no host memory: cannot happen for the sizes logged) */
        ext_read(hs, payload, buf, len);
        if (type == RV_HE_PERM) {
            uint8_t before[64];
            for (uint64_t i = 0; i < len; i++) {
                uint64_t p = addr + i;
                if (i < sizeof before)
                    before[i] = m->page_flags[p] & 7;
                m->page_flags[p] = (uint8_t)((m->page_flags[p] & ~7u) | buf[i]);
                if (m->code[p])
                    rv_invalidate_code_page(m, p);
            }
            if (len <= sizeof before)
                undone_append(hs, type, addr, before, buf, len);
        } else {
            uint8_t *target = entry_target(m, type, addr);
            if (target) {
                undone_append(hs, type, addr, target, buf, len);
                memcpy(target, buf, len);
                if (type == RV_HE_MEM)
                    invalidate_pages(m, addr, len);
                if (type == RV_HE_HART && addr == HART_OFF(mstatus))
                    flush = 1;  /* FS/VS decide what decodes as legal */
            }
        }
        if (buf != small)
            free(buf);
        end = start;
    }
    if (flags & RV_HR_FREG) {
        if (m->h.f[reg & 31] != old) {
            undone_append(hs, RV_HE_REG, 32 + (reg & 31), &m->h.f[reg & 31], &old, 8);
            m->h.f[reg & 31] = old;
        }
    } else if (reg < 32 && m->h.x[reg] != old) {
        undone_append(hs, RV_HE_REG, reg, &m->h.x[reg], &old, 8);
        m->h.x[reg] = old;
    }
    if (hs->clk && m->timing) {
        m->timing->cycle = hs->clk[idx & hs->rmask];
        if ((flags & RV_HR_RETIRED) && m->timing->t.instructions)
            m->timing->t.instructions--;
    }
    m->h.pc = pc;
    if (RV_HREC_NEXTRA(meta) == RV_HREC_SIDE)
        hs->shead--;
    hs->ehead = hs->ecommit = start_all;
    hs->rhead--;
    if (flush)
        rv_flush_decode_cache(m);
}

/* Did the step just undone (its entries are in hs->undone) write a watched location? */
static int reverse_watch_hit(rv_machine *m, uint64_t pc)
{
    rv_history *hs = m->hist;
    const uint8_t *p = hs->undone, *end = hs->undone + hs->undone_len;
    while (p < end) {
        uint32_t type, len;
        uint64_t addr;
        memcpy(&type, p, 4); memcpy(&len, p + 4, 4); memcpy(&addr, p + 8, 8);
        const uint8_t *before = p + 16, *after = p + 16 + PAD8(len);  /* before/after the undo */
        int reg = type == RV_HE_REG ? (int)addr : type == RV_HE_HART ? reg_of_offset(addr) : -1;
        for (int i = 0; i < hs->nwatch; i++) {
            rv_watch *w = &hs->watch[i];
            int match = 0;
            if (w->kind == RV_WATCH_REGISTER)
                match = reg >= 0 && w->addr == (uint64_t)reg && memcmp(before, after, 8);
            else if ((w->kind & RV_WATCH_WRITE) && type == RV_HE_MEM)
                match = overlaps(addr, len, w->addr, w->size);
            if (!match)
                continue;
            hs->hit = 2;
            hs->hitinfo = (rv_watch_hit){w->id, w->kind, RV_WATCH_WRITE, 1, w->addr,
                                         w->kind == RV_WATCH_REGISTER ? 8 : w->size, pc};
            if (w->kind == RV_WATCH_REGISTER) {
                memcpy(hs->hit_old, after, 8);      /* before the instruction = after the undo */
                memcpy(hs->hit_new, before, 8);
            } else {
                uint64_t a = w->addr;
                memset(hs->hit_old, 0, sizeof hs->hit_old);
                uint64_t n = clip(m, &a, w->size);
                if (n)
                    memcpy(hs->hit_old + (a - w->addr), m->mem + (a - m->cfg.mem_base), n);
                memcpy(hs->hit_new, hs->hit_old, w->size);
                /* the values the undone step had written: the "before the undo" bytes of its entries,
                   which were undone newest first, so the first one seen per byte is the final value */
                uint8_t seen[RV_WATCH_MAX_SIZE];
                memset(seen, 0, w->size);
                const uint8_t *q = hs->undone;
                while (q < end) {
                    uint32_t t2, l2; uint64_t a2;
                    memcpy(&t2, q, 4); memcpy(&l2, q + 4, 4); memcpy(&a2, q + 8, 8);
                    if (t2 == RV_HE_MEM)
                        for (uint64_t k = 0; k < l2; k++)
                            if (a2 + k >= w->addr && a2 + k < w->addr + w->size && !seen[a2 + k - w->addr]) {
                                seen[a2 + k - w->addr] = 1;
                                hs->hit_new[a2 + k - w->addr] = q[16 + k];
                            }
                    q += 16 + 2 * PAD8(l2);
                }
            }
            return 1;
        }
        p += 16 + 2 * PAD8(len);
    }
    return 0;
}

int rv_reverse(rv_machine *m, uint64_t n, int flags, uint64_t *undone)
{
    rv_history *hs = m->hist;
    *undone = 0;
    if (!hs || !hs->user_on)
        return RV_STOP_HISTORY_START;
    attach_host_changes(m);
    hs->hit = 0;
    hs->undoing = 1;
    int r = RV_STOP_LIMIT;
    uint64_t floor = rv_hist_ck_floor(m);     /* the cycle model goes back no further */
    for (uint64_t i = 0; i < n; i++) {
        if (hs->rhead <= floor) {
            r = RV_STOP_HISTORY_START;
            break;
        }
        /* what a step changed is kept for the last step undone: any of them when stopping at
           breakpoints and watchpoints, else the last of the n */
        hs->keep_undone = (flags & 1) || i + 1 == n || hs->rhead - 1 == floor;
        rv_hist_ck_before_pop(m);
        pop(m);
        hs->keep_undone = 1;
        hs->last_undone = 1;
        ++*undone;
        if (flags & 1) {
            if (hs->nwatch && reverse_watch_hit(m, m->h.pc)) {
                r = RV_STOP_WATCH;
                break;
            }
            if (m->nbreakpoints && rv_is_breakpoint(m, m->h.pc)) {
                r = RV_STOP_BREAKPOINT;
                break;
            }
        }
    }
    hs->undoing = 0;
    rv_hist_room_update(hs);
    if (*undone)
        rv_hist_ck_undone(m);
    save_exit_state(m);
    return r;
}

/* ---------------------------------------------------------------- the public interface */

static void free_history(rv_history *hs)
{
    rv_hist_ck_free(hs);
    free(hs->rec);
    free(hs->metas);
    free(hs->mindex);
    free(hs->clk);
    free(hs->side);
    free(hs->ext);
    free(hs->s_vreg);
    free(hs->s_tiles);
    free(hs->x_vreg);
    free(hs->x_tiles);
    free(hs->undone);
    free(hs);
}

/* Records keep the cycle model's clock while it is on. */
static int set_timed(rv_history *hs, int on)
{
    hs->timed = on;
    if (!on) {
        free(hs->clk);
        hs->clk = NULL;
    } else if (!hs->clk && !(hs->clk = ring_alloc(hs->rcap * 8))) {
        return -1;
    }
    set_bounds(hs);     /* (no slack with the cycle model) */
    return 0;
}

static rv_history *ensure(rv_machine *m)
{
    if (m->hist)
        return m->hist;
    init_classes();
    rv_history *hs = calloc(1, sizeof *hs);
    if (!hs)
        return NULL;
    uint64_t vbytes = 32 * m->h.vlenb, tbytes = m->tiles ? 16ull * m->cfg.tile_te * m->cfg.tile_te : 0;
    hs->rcap = 1024;
    hs->rmask = hs->rcap - 1;
    hs->ecap = hs->ecap_max = 1 << 16;
    hs->rec = malloc(hs->rcap * REC_BYTES);
    hs->ext = malloc(hs->ecap);
    hs->s_vreg = malloc(vbytes);
    hs->x_vreg = malloc(vbytes);
    if (tbytes) {
        hs->s_tiles = malloc(tbytes);
        hs->x_tiles = malloc(tbytes);
    }
    hs->metas_cap = 1024;
    hs->metas = malloc(hs->metas_cap * sizeof *hs->metas);
    meta_cache_clear(hs);
    if (!hs->rec || !hs->ext || !hs->s_vreg || !hs->x_vreg || (tbytes && (!hs->s_tiles || !hs->x_tiles)) ||
        !hs->metas || grow_meta_index(hs)) {
        free_history(hs);
        return NULL;
    }
    /* id 0: a step of no register at mem_base (what a step the dictionary could not take stands for) */
    rv_hist_meta_id_slow(hs, RV_HREC_META(0, 0, 0, 63));
    /* the recording blocks compiled for an earlier history hold ids of its dictionary: drop them */
    rv_flush_decode_cache(m);
    hs->max_records = 1;
    hs->rlimit = 1;
    hs->max_bytes = used_bytes(hs);
    hs->wide = (m->cfg.mem_size >> (RV_HREC_PCBITS + 1)) != 0;
    update_slow(hs);
    hs->next_id = 1;
    hs->keep_undone = 1;
    m->hist = hs;
    if (set_timed(hs, m->timing != NULL)) {
        m->hist = NULL;
        free_history(hs);
        return NULL;
    }
    return hs;
}

void rv_history_clear(rv_machine *m)
{
    rv_history *hs = m->hist;
    if (!hs)
        return;
    hs->rtail = hs->rbase = hs->rhead;
    hs->stail = hs->shead;
    hs->etail = hs->ehead = hs->ecommit;
    hs->undone_len = 0;
    hs->last_undone = 0;
    hs->x_valid = 0;
    rv_hist_ck_clear(hs);
    set_bounds(hs);
}

int rv_history_start(rv_machine *m, uint64_t max_instructions, uint64_t max_bytes)
{
    rv_history *hs = ensure(m);
    if (!hs)
        return -1;
    if (max_instructions == 0)
        max_instructions = 1;
    if (max_bytes < used_bytes(hs)) {
        /* the buffers are bigger than the new bound: start again from small ones */
        rv_history_clear(m);
        rv_hist_rec *r = malloc(1024 * REC_BYTES);
        uint64_t *c = hs->clk ? malloc(1024 * 8) : NULL;
        uint8_t *e = malloc(1 << 16);
        if (!r || !e || (hs->clk && !c)) {
            free(r);
            free(c);
            free(e);
            return -1;
        }
        free(hs->rec);
        free(hs->clk);
        free(hs->ext);
        hs->rec = r;
        hs->clk = c;
        hs->ext = e;
        hs->rcap = 1024;
        hs->rmask = 1023;
        hs->ecap = hs->ecap_max = 1 << 16;
        hs->rhead = hs->rtail = hs->rbase = 0;
        hs->ehead = hs->etail = hs->ecommit = 0;
    }
    if (!hs->user_on)
        rv_history_clear(m);
    hs->user_on = 1;
    hs->max_records = max_instructions;
    hs->max_bytes = max_bytes < used_bytes(hs) ? used_bytes(hs) : max_bytes;
    while (hs->rhead - hs->rtail > hs->max_records)
        drop_oldest(hs);
    hs->rfull = 0;
    hs->rlimit = hs->rcap < hs->max_records ? hs->rcap : hs->max_records;
    /* reserve the rings at the size the limits allow, half each: the host commits pages as they are
       first written, and the rings never need copying as they fill */
    uint64_t want_r = hs->rcap, want_e = hs->ecap, rb = REC_BYTES + (hs->clk ? 8 : 0);
    /* with the cycle model, the records carry its clock and an eighth goes to its checkpoints */
    uint64_t rings = hs->max_bytes - (hs->clk ? rv_hist_ck_budget(hs) : 0);
    /* (an eighth more than the limit: the slack of set_bounds, which then keeps the limit itself) */
    uint64_t target = hs->max_records + hs->max_records / 8;
    while (want_r < target && (want_r * 2) * rb <= rings / 2)
        want_r *= 2;
    while ((want_e * 2) <= rings - want_r * rb && want_e * 2 <= rings / 2)
        want_e *= 2;
    while (hs->rcap < want_r && grow_records(hs) == 0)
        ;
    /* (the extras ring only up to EXTRAS_START: it grows to want_e as the steps need it) */
    if (want_e > hs->ecap_max)
        hs->ecap_max = want_e;
    while (hs->ecap < want_e && hs->ecap < EXTRAS_START && grow_extras(hs) == 0)
        ;
    set_bounds(hs);
    return 0;
}

void rv_history_stop(rv_machine *m)
{
    rv_history *hs = m->hist;
    if (!hs)
        return;
    hs->user_on = 0;
    hs->max_records = 1;
    rv_history_clear(m);
    if (hs->nwatch == 0)
        rv_hist_destroy(m);
}

void rv_hist_destroy(rv_machine *m)
{
    if (m->hist) {
        free_history(m->hist);
        m->hist = NULL;
    }
}

int rv_history_recording(rv_machine *m)
{
    return m->hist && m->hist->user_on;
}

uint64_t rv_history_length(rv_machine *m)
{
    rv_history *hs = m->hist;
    return hs && hs->user_on ? hs->rhead - rv_hist_ck_floor(m) : 0;
}

uint64_t rv_history_bytes(rv_machine *m)
{
    rv_history *hs = m->hist;
    return hs ? used_bytes(hs) + sizeof *hs + 2 * 32 * m->h.vlenb + hs->metas_cap * sizeof *hs->metas +
                    (hs->mindex_mask + 1ull) * sizeof *hs->mindex : 0;
}

int64_t rv_history_changes(rv_machine *m, uint8_t *buf, uint64_t cap)
{
    rv_history *hs = m->hist;
    if (!hs)
        return -1;
    if (cap >= 8) {
        uint64_t flag = hs->last_undone;
        memcpy(buf, &flag, 8);
    }
    if (hs->last_undone) {
        if (hs->undone_len + 8 <= cap)
            memcpy(buf + 8, hs->undone, hs->undone_len);
        return (int64_t)hs->undone_len + 8;
    }
    attach_host_changes(m);
    if (hs->rhead == hs->rtail)
        return 8;
    uint64_t old = hs->rec[(hs->rhead - 1) & hs->rmask].old, meta = rv_hist_meta(hs, hs->rhead - 1);
    unsigned reg = RV_HREC_REG(meta), freg = (unsigned)(meta >> 6) & RV_HR_FREG;
    uint64_t need = 8, end = hs->ehead, start_all = hs->ehead - rec_nextra(hs, hs->rhead - 1);
    const uint64_t *now = freg ? &m->h.f[reg & 31] : reg < 32 ? &m->h.x[reg] : NULL;
    if (now && old != *now) {
        if (need + 32 <= cap) {
            uint32_t t = RV_HE_REG, l = 8;
            uint64_t a = freg ? 32 + (reg & 31) : reg;
            memcpy(buf + need, &t, 4); memcpy(buf + need + 4, &l, 4); memcpy(buf + need + 8, &a, 8);
            memcpy(buf + need + 16, &old, 8); memcpy(buf + need + 24, now, 8);
        }
        need += 32;
    }
    while (end > start_all) {
        unsigned type; uint64_t addr, len, payload;
        uint64_t start = entry_before(hs, end, &type, &addr, &len, &payload);
        uint64_t size = 16 + 2 * PAD8(len);
        if (need + size <= cap) {
            uint8_t *p = buf + need;
            uint32_t t = type, l = (uint32_t)len;
            memset(p, 0, size);
            memcpy(p, &t, 4); memcpy(p + 4, &l, 4); memcpy(p + 8, &addr, 8);
            ext_read(hs, payload, p + 16, len);
            if (type == RV_HE_PERM) {
                for (uint64_t i = 0; i < len; i++)
                    p[16 + PAD8(len) + i] = m->page_flags[addr + i] & 7;
            } else {
                uint8_t *target = entry_target(m, type, addr);
                if (target)
                    memcpy(p + 16 + PAD8(len), target, len);
            }
        }
        need += size;
        end = start;
    }
    return (int64_t)need;
}

int64_t rv_history_memory_changes(rv_machine *m, uint64_t steps, uint8_t *buf, uint64_t cap)
{
    rv_history *hs = m->hist;
    if (!hs)
        return -1;
    attach_host_changes(m);
    uint64_t avail = hs->rhead - hs->rtail, need = 0, end = hs->ehead;
    if (steps > avail)
        steps = avail;
    uint64_t stop = end;
    for (uint64_t i = 0; i < steps; i++)
        stop -= rec_nextra(hs, hs->rhead - 1 - i);
    while (end > stop) {
        unsigned type; uint64_t addr, len, payload;
        uint64_t start = entry_before(hs, end, &type, &addr, &len, &payload);
        if (type == RV_HE_MEM) {
            uint64_t size = 16 + PAD8(len);
            if (need + size <= cap) {
                memcpy(buf + need, &addr, 8);
                memcpy(buf + need + 8, &len, 8);
                ext_read(hs, payload, buf + need + 16, len);
            }
            need += size;
        }
        end = start;
    }
    return (int64_t)need;
}

int rv_watch_add(rv_machine *m, unsigned kind, uint64_t addr, uint64_t size)
{
    if (kind < RV_WATCH_READ || kind > RV_WATCH_REGISTER)
        return -1;
    if (kind == RV_WATCH_REGISTER) {
        if (addr >= 64)
            return -1;
        size = 8;
    } else if (size == 0 || size > RV_WATCH_MAX_SIZE || addr + size < addr) {
        return -1;
    }
    rv_history *hs = ensure(m);
    if (!hs || hs->nwatch == RV_MAX_WATCHES)
        return -1;
    rv_watch *w = &hs->watch[hs->nwatch++];
    w->id = hs->next_id++;
    w->kind = kind;
    w->addr = addr;
    w->size = size;
    if (kind == RV_WATCH_REGISTER)
        hs->reg_mask |= 1ull << addr;
    else {
        if (kind & RV_WATCH_WRITE) hs->nmem_write++;
        if (kind & RV_WATCH_READ) hs->nmem_read++;
    }
    update_slow(hs);
    return w->id;
}

int rv_watch_remove(rv_machine *m, int id)
{
    rv_history *hs = m->hist;
    if (!hs)
        return -1;
    for (int i = 0; i < hs->nwatch; i++) {
        if (hs->watch[i].id != id)
            continue;
        hs->watch[i] = hs->watch[--hs->nwatch];
        hs->reg_mask = 0;
        hs->nmem_write = hs->nmem_read = 0;
        for (int j = 0; j < hs->nwatch; j++) {
            rv_watch *w = &hs->watch[j];
            if (w->kind == RV_WATCH_REGISTER)
                hs->reg_mask |= 1ull << w->addr;
            else {
                if (w->kind & RV_WATCH_WRITE) hs->nmem_write++;
                if (w->kind & RV_WATCH_READ) hs->nmem_read++;
            }
        }
        update_slow(hs);
        if (hs->nwatch == 0 && !hs->user_on)
            rv_hist_destroy(m);
        return 0;
    }
    return -1;
}

int rv_watch_hit_info(rv_machine *m, rv_watch_hit *hit, uint8_t *old_bytes, uint8_t *new_bytes)
{
    rv_history *hs = m->hist;
    if (!hs || !hs->hit)
        return -1;
    *hit = hs->hitinfo;
    if (!hit->reverse && hit->access == RV_WATCH_WRITE && hit->kind != RV_WATCH_REGISTER) {
        /* written going forwards (by an instruction or the host): the new value is what memory holds */
        uint64_t a = hit->addr, n = clip(m, &a, hit->size);
        if (n)
            memcpy(hs->hit_new + (a - hit->addr), m->mem + (a - m->cfg.mem_base), n);
    }
    memcpy(old_bytes, hs->hit_old, RV_WATCH_MAX_SIZE);
    memcpy(new_bytes, hs->hit_new, RV_WATCH_MAX_SIZE);
    return 0;
}

/* ---------------------------------------------------------------- the call stack */

enum { RAS_POP = 1, RAS_PUSH = 2 };

/* What the instruction at pc does to a return-address stack (the hint table of the spec's JALR). */
static unsigned ras_action(rv_machine *m, uint64_t pc, int rv32, unsigned *len)
{
    uint64_t off = pc - m->cfg.mem_base;
    *len = 4;
    if (off > m->cfg.mem_size - 2)
        return 0;
    uint32_t w = 0;
    memcpy(&w, m->mem + off, off <= m->cfg.mem_size - 4 ? 4 : 2);
    unsigned rd, rs1;
    if ((w & 3) == 3) {
        unsigned op = w & 0x7f;
        rd = w >> 7 & 31;
        rs1 = w >> 15 & 31;
        if (op == 0x6f)
            return (rd == 1 || rd == 5) ? RAS_PUSH : 0;
        if (op != 0x67 || (w >> 12 & 7))
            return 0;
    } else {
        unsigned c = w & 0xffff;
        *len = 2;
        if (rv32 && (c & 3) == 1 && c >> 13 == 1)
            return RAS_PUSH;                    /* c.jal */
        if ((c & 3) != 2 || c >> 13 != 4 || (c >> 2 & 31) || !(c >> 7 & 31))
            return 0;
        rs1 = c >> 7 & 31;
        rd = (c >> 12 & 1) ? 1 : 0;             /* c.jalr links ra, c.jr nothing */
    }
    int link_rd = rd == 1 || rd == 5, link_rs1 = rs1 == 1 || rs1 == 5;
    if (!link_rd)
        return link_rs1 ? RAS_POP : 0;
    if (!link_rs1 || rd == rs1)
        return RAS_PUSH;
    return RAS_POP | RAS_PUSH;
}

int64_t rv_history_calls(rv_machine *m, int rv32, uint64_t *buf, uint64_t cap, int *complete)
{
    rv_history *hs = m->hist;
    *complete = 0;
    if (!hs || !hs->user_on)
        return -1;
    attach_host_changes(m);
    const uint64_t sp_off = HART_OFF(x) + 16;
    uint64_t sp = m->h.x[2], pending = 0, found = 0, end = hs->ehead;
    for (uint64_t idx = hs->rhead; idx-- > hs->rtail;) {
        uint64_t old = hs->rec[idx & hs->rmask].old, meta = rv_hist_meta(hs, idx);
        uint64_t nextra = rec_nextra(hs, idx), start_all = end - nextra;
        /* sp before this step: its old value where the step (or the host after it) wrote it */
        for (uint64_t e = end; e > start_all;) {
            unsigned type; uint64_t addr, len, payload;
            uint64_t s0 = entry_before(hs, e, &type, &addr, &len, &payload);
            if (type == RV_HE_HART && addr == sp_off && len == 8)
                ext_read(hs, payload, &sp, 8);
            e = s0;
        }
        if (RV_HREC_REG(meta) == 2 && !((unsigned)(meta >> 6) & RV_HR_FREG))
            sp = old;
        end = start_all;
        if (!((unsigned)(meta >> 6) & RV_HR_RETIRED))
            continue;
        unsigned len, act = ras_action(m, rec_pc(m, idx), rv32, &len);
        if (act & RAS_PUSH) {
            if (pending) {
                pending--;
            } else {
                if (found < cap) {
                    buf[2 * found] = rec_pc(m, idx) + len;
                    buf[2 * found + 1] = sp;
                }
                found++;
            }
        }
        if (act & RAS_POP)
            pending++;
    }
    *complete = hs->rtail == hs->rbase;
    return (int64_t)found;
}

/* ---------------------------------------------------------------- for history_checkpoint.c */

void rv_hist_pop(rv_machine *m) { pop(m); }
void rv_hist_save_exit_state(rv_machine *m) { save_exit_state(m); }
void rv_hist_attach_host(rv_machine *m) { attach_host_changes(m); }
uint64_t rv_hist_rec_nextra(rv_history *hs, uint64_t idx) { return rec_nextra(hs, idx); }
uint64_t rv_hist_rec_pc(rv_machine *m, uint64_t idx) { return rec_pc(m, idx); }
uint64_t rv_hist_entry_before(const rv_history *hs, uint64_t end, unsigned *type, uint64_t *addr,
                              uint64_t *len, uint64_t *payload)
{
    return entry_before(hs, end, type, addr, len, payload);
}
uint8_t *rv_hist_entry_target(rv_machine *m, unsigned type, uint64_t addr) { return entry_target(m, type, addr); }
