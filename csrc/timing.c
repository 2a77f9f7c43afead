/* The cycle model (formulas and their rationale: docs/timing.md; section numbers below refer to it).
 *
 * run_timed calls the step (T->step[opcode], one compiled copy per kind of instruction) once per
 * retired instruction, after it has executed,
 * with its decoded entry, its pc, the values its rs1/rs2 slots held before it executed (for addresses,
 * strides and divide operands) and whether it transferred control.  The model decides the cycle the
 * instruction issues in and when its results are ready; it never influences what the program computes.
 */
#include <stdlib.h>
#include "core.h"
#include "timing_internal.h"
#include "vector.h"

#define MAX64(a, b) ((a) > (b) ? (a) : (b))
#define NO_CAUSE RV_NO_CAUSE     /* 255 in trace records */

/* ------------------------------------------------------------------ caches (section 3) */

static int log2u(uint64_t v)
{
    int n = 0;
    while ((1ull << n) < v) n++;
    return n;
}

static void cache_free(rv_tcache *c)
{
    free(c->tag); free(c->ready); free(c->stamp); free(c->dirty);
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
    if (!c->tag || !c->ready || !c->stamp || !c->dirty) {
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
    c->clock = 0;
    c->mru_line[0] = c->mru_line[1] = ~0ull;
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

/* Look a line up; returns the way index or -1. */
static inline void mru_remember(rv_tcache *c, uint64_t line, uint64_t way)
{
    c->mru_line[1] = c->mru_line[0];
    c->mru_way[1] = c->mru_way[0];
    c->mru_line[0] = line;
    c->mru_way[0] = way;
}

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
    for (uint32_t w = 0; w < c->p.ways; w++)
        if (c->tag[base + w] == line) {
            mru_remember(c, line, base + w);
            return (int64_t)(base + w);
        }
    return -1;
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

static inline uint64_t cache_victim(rv_tcache *c, uint64_t base)
{
    uint64_t v = base;
    for (uint32_t w = 1; w < c->p.ways; w++)
        if (c->stamp[base + w] < c->stamp[v])
            v = base + w;
    return v;
}

/* The level below L1 (L2 if present, else DRAM): when does a line requested at `now` arrive? */
static uint64_t below_l1(rv_timing *T, uint64_t addr, uint64_t now, int write_back_only)
{
    rv_tcache *c = &T->l2;
    uint32_t line_bytes = T->l1d.p.size ? T->l1d.p.line : 64;
    if (!c->p.size)
        return dram_transfer(T, now, line_bytes);
    uint64_t line = addr >> c->line_bits, base;
    T->t.l2_access++;
    int64_t way = cache_find(c, line, &base);
    if (way >= 0) {
        c->stamp[way] = ++c->clock;
        if (write_back_only) {
            c->dirty[way] = 1;
            return now;
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
    c->dirty[v] = (uint8_t)write_back_only;
    uint64_t r = dram_transfer(T, now + c->p.latency, c->p.line);
    c->ready[v] = r;
    return r;
}

/* A data access through L1D at cycle `now`.  Returns when the data is available (loads) or the
   access is accepted (stores, which never wait for a miss).  *missed tells whether it missed. */
static uint64_t data_access(rv_timing *T, uint64_t addr, int write, uint64_t now, uint32_t hit_latency,
                            int *missed)
{
    rv_tcache *c = &T->l1d;
    *missed = 0;
    if (!c->p.size) {
        /* no L1D: every access goes to the level below */
        if (write) {
            if (T->l2.p.size) below_l1(T, addr, now, 1);
            else dram_transfer(T, now, 8);
            return now + 1;
        }
        uint64_t r = (T->l2.p.size || T->p.dram_latency || T->p.dram_bytes_per_cycle)
                         ? below_l1(T, addr, now + hit_latency, 0) : now + hit_latency;
        *missed = r > now + hit_latency;
        return r;
    }
    uint64_t line = addr >> c->line_bits, base;
    T->t.l1d_access++;
    int64_t way = cache_find(c, line, &base);
    if (way >= 0) {
        c->stamp[way] = ++c->clock;
        if (write) {
            if (c->p.write_back) c->dirty[way] = 1;
            else below_l1(T, addr, now, 1);
            return now + 1;
        }
        uint64_t r = MAX64(now + hit_latency, c->ready[way]);
        *missed = r > now + hit_latency;    /* the line is still on its way */
        return r;
    }
    T->t.l1d_miss++;
    *missed = 1;
    if (write && !c->p.write_back) {
        below_l1(T, addr, now, 1);          /* write-through, no write-allocate */
        return now + 1;
    }
    uint64_t v = cache_victim(c, base);
    if (c->tag[v] != ~0ull && c->dirty[v]) {
        T->t.writebacks++;
        below_l1(T, c->tag[v] << c->line_bits, now, 1);
    }
    uint64_t r = below_l1(T, addr, now + hit_latency, 0);
    cache_fill(c, v, line);
    c->dirty[v] = (uint8_t)(write != 0);
    c->ready[v] = r;
    return write ? now + 1 : r;
}

/* data_access for the common case, inline: the line accessed last, in a write-back L1D. */
static inline uint64_t data_access_fast(rv_timing *T, uint64_t addr, int write, uint64_t now,
                                        uint32_t hit_latency, int *missed)
{
    rv_tcache *c = &T->l1d;
    uint64_t line = addr >> c->line_bits;
    if (likely(c->p.size && line == c->mru_line[0] && (!write || c->p.write_back))) {
        uint64_t way = c->mru_way[0];
        T->t.l1d_access++;
        c->stamp[way] = ++c->clock;
        *missed = 0;
        if (write) {
            c->dirty[way] = 1;
            return now + 1;
        }
        uint64_t r = MAX64(now + hit_latency, c->ready[way]);
        *missed = r > now + hit_latency;
        return r;
    }
    return data_access(T, addr, write, now, hit_latency, missed);
}

/* Instruction fetch of a new line at `now`: returns the extra cycles a miss costs. */
static __attribute__((noinline)) uint64_t fetch_line(rv_timing *T, uint64_t pc, uint64_t now)
{
    rv_tcache *c = &T->l1i;
    if (!c->p.size)
        return 0;
    uint64_t line = pc >> c->line_bits, base;
    T->t.l1i_access++;
    int64_t way = cache_find(c, line, &base);
    if (way >= 0) {
        c->stamp[way] = ++c->clock;
        return c->ready[way] > now ? c->ready[way] - now : 0;
    }
    T->t.l1i_miss++;
    uint64_t v = cache_victim(c, base);
    uint64_t r = below_l1(T, pc, now, 0);
    cache_fill(c, v, line);
    c->ready[v] = r;
    return r - now;
}

/* ------------------------------------------------------------------ branch prediction (section 2.4) */

static inline uint32_t bp_index(rv_timing *T, uint64_t pc)
{
    uint32_t i = (uint32_t)(pc >> 1);
    if (T->p.predictor == 3)
        i ^= T->ghist;
    return i & T->bp_mask;
}

/* Returns 1 when the direction was mispredicted; updates the predictor with the outcome. */
static inline int predict_branch(rv_timing *T, uint64_t pc, int64_t offset, int taken)
{
    int predicted;
    switch (T->p.predictor) {
    case 0: predicted = offset < 0; break;              /* backward taken, forward not taken */
    case 1: predicted = 0; break;
    default: {
        uint32_t i = bp_index(T, pc);
        uint8_t ctr = T->bp[i];
        predicted = ctr >= 2;
        if (taken && ctr < 3) T->bp[i] = ctr + 1;
        if (!taken && ctr > 0) T->bp[i] = ctr - 1;
        if (T->p.predictor == 3)
            T->ghist = ((T->ghist << 1) | (uint32_t)taken) & ((1u << T->p.history_bits) - 1);
    }
    }
    return predicted != taken;
}

/* ------------------------------------------------------------------ per-pc statistics */

static rv_pc_page *pc_page(rv_timing *T, uint64_t pg)
{
    if (pg >= T->npages)
        return NULL;
    rv_pc_page *page = T->pcpage[pg];
    if (unlikely(!page)) {
        page = calloc(1, sizeof *page);
        T->pcpage[pg] = page;
    }
    return page;
}

/* The counters of the instruction at pc (the page of the previous instruction is remembered). */
static inline uint64_t *pc_rec(rv_timing *T, uint64_t pc)
{
    uint64_t off = pc - T->mem_base, pg = off >> RV_PAGE_BITS;
    if (unlikely(pg != T->pc_cur_index || !T->pc_cur)) {
        rv_pc_page *page = pc_page(T, pg);
        if (!page)
            return T->stray;
        T->pc_cur = page;
        T->pc_cur_index = pg;
    }
    return T->pc_cur->rec[(off & (RV_PAGE_SIZE - 1)) >> 1];
}

/* ------------------------------------------------------------------ vector unit (section 4) */

static inline uint64_t ceil_div(uint64_t a, uint64_t b)
{
    if (likely(b && !(b & (b - 1))))
        return (a + b - 1) >> __builtin_ctzll(b);      /* widths are powers of two: no divide */
    return b ? (a + b - 1) / b : a;
}

static inline uint32_t ceil_log2(uint64_t v)
{
    uint32_t n = 0;
    while ((1ull << n) < v) n++;
    return n;
}

/* Registers a vector operand spans: emul8 is EMUL in eighths, at least one register. */
static inline unsigned operand_regs(unsigned emul8) { return emul8 <= 8 ? 1 : emul8 / 8; }

static inline int is_macc_class(unsigned cls)
{
    return cls == RV_TC_VMUL || cls == RV_TC_VFMA || cls == RV_TC_VDOT || cls == RV_TC_VBF16MAC ||
           cls == RV_TC_VTILE;
}

/* The vector unit keeps time in quarter cycles (Q per cycle), so that fractional occupancies (a
   memory port that moves 16 bytes per cycle loading 24 bytes, a per-instruction overhead of half a
   cycle) add up as they would in hardware instead of rounding up on every instruction. */
#define Q 4u

/* When may a consumer start, given the producer of register r (chaining rules, section 4.3; all in
   quarter cycles)?  Returns the earliest start; *finish gets the earliest cycle the consumer may finish
   its last element group (one group after the producer's last), which stretches a consumer that would
   otherwise overtake its producer.  Without chaining the consumer waits for the whole result. */
static inline uint64_t vreg_ready_for(rv_timing *T, unsigned r, int accumulate, unsigned cls,
                                      uint64_t *finish)
{
    const rv_vreg_state *p = &T->vreg[r];
    if (!p->valid)
        return 0;
    uint64_t lat = p->latency;
    if (accumulate && T->p.v_acc_latency && p->cls == cls && is_macc_class(cls))
        lat = (uint64_t)T->p.v_acc_latency * Q;
    uint64_t po = p->occupancy > Q ? p->occupancy : Q;
    uint64_t first = p->start + lat, last = p->start + po - Q + lat;
    if (!T->p.v_chaining)
        return last;
    *finish = MAX64(*finish, last + Q);
    return first;
}

/* A vector access that bypasses L1D (vector.mem_via_l1 = false, section 4.4): through L2 when there is
   one, else over the vector unit's own memory port, whose bandwidth is the memory pipe's width (already
   in the occupancy), so it does not queue behind (or hold up) the scalar core's DRAM traffic. */
static uint64_t vector_port_access(rv_timing *T, uint64_t addr, int write, uint64_t when, uint32_t lat)
{
    if (T->l2.p.size)
        return write ? (below_l1(T, addr, when, 1), when + 1) : below_l1(T, addr, when + lat, 0);
    T->t.dram_bytes += T->l1d.p.size ? T->l1d.p.line : 64;
    return write ? when + 1 : when + lat + T->p.dram_latency;
}

/* Occupancy of a vector instruction in quarter cycles (section 4.2). */
static uint64_t vector_occupancy(rv_timing *T, const rv_insn_t *e, const rv_op_timing_t *ot, unsigned sew,
                                 unsigned lmul8, uint64_t vl, unsigned pk, uint64_t *mem_bytes,
                                 uint64_t *tile_flops)
{
    const rv_timing_params *P = &T->p;
    unsigned cls = ot->tclass, flags = ot->flags;
    uint64_t width = P->v_width[pk] ? P->v_width[pk] : 128;
    unsigned w = (flags & (RV_TF_WIDEN | RV_TF_WIDE_SRC)) ? 2 * sew : sew;   /* widest element */
    uint64_t cost = P->v_cost[cls] ? P->v_cost[cls] : 1;
    unsigned nf = ot->nf ? ot->nf : 1;
    uint64_t o;
    switch (cls) {
    case RV_TC_VLOAD: case RV_TC_VSTORE: {
        unsigned eew = ot->mem ? ot->mem : sew;
        uint64_t bytes;
        if (flags & RV_TF_INDEXED) eew = sew;
        if (flags & RV_TF_WHOLE) bytes = (uint64_t)nf * P->vlen / 8;
        else if (flags & RV_TF_MASK_MEM) bytes = (vl + 7) / 8;
        else bytes = vl * eew / 8 * nf;
        *mem_bytes = bytes;
        if ((flags & (RV_TF_STRIDED | RV_TF_INDEXED)) && !(flags & RV_TF_WHOLE))
            o = vl * nf * (P->v_strided_cycles ? P->v_strided_cycles : 1) * Q;
        else
            o = ceil_div(bytes * 8 * Q, width);         /* unit stride: bytes / width, to a quarter */
        break;
    }
    case RV_TC_VDIV: case RV_TC_VFDIV:
        o = ceil_div(vl * w, width) * cost * Q;
        break;
    case RV_TC_VGATHER: case RV_TC_VCOMPRESS: case RV_TC_VFREDO:
        o = vl * cost * Q;
        break;
    case RV_TC_VRED: case RV_TC_VFRED:
        o = ceil_div(vl * sew, width) * Q + ceil_log2(vl) * P->v_tree_step[cls];
        break;
    case RV_TC_VMASK:
        o = ceil_div(vl, width) * cost * Q;
        break;
    case RV_TC_VTOSCALAR: case RV_TC_VFROMSCALAR:
        o = Q;
        break;
    case RV_TC_VMVR:
        o = ceil_div((uint64_t)nf * P->vlen, width) * cost * Q;
        break;
    case RV_TC_VDOT:
        o = ceil_div(vl * 32, P->dot_width ? P->dot_width : width) * cost * Q;
        break;
    case RV_TC_VBF16MAC:
        o = ceil_div(vl * 32, P->bf16_width ? P->bf16_width : width) * cost * Q;
        break;
    case RV_TC_VTILE: {
        /* tm x tn x tk multiply-accumulates on a TE x TE array: tm and tk from mtype (MT_* of vector.h),
           tn = vl, all at most the machine's TE */
        uint64_t te = P->tile_te ? P->tile_te : T->machine_te;
        uint64_t ete = T->machine_te ? T->machine_te : te;
        uint64_t mtype = T->mtype_now;
        uint64_t tm = MT_TM(mtype), tk = MT_TK(mtype);
        uint64_t tn = vl;
        if (tm > ete) tm = ete;
        if (tn > ete) tn = ete;
        if (te == 0) te = 4;
        o = ceil_div(tm * tn * tk, te * te) * cost * Q;
        *tile_flops = 2 * tm * tn * tk;
        break;
    }
    default:
        o = ceil_div(vl * w, width) * cost * Q;
        if (cls == RV_TC_VMUL && sew == 64 && P->v_e64_mul_factor)
            o *= P->v_e64_mul_factor;
        break;
    }
    (void)lmul8;
    if ((flags & RV_TF_HAS_VM) && !e->aux[0] && P->v_masked_factor)
        o = ceil_div(o * P->v_masked_factor, 4);       /* the factor is in quarters */
    o += P->v_extra[cls];                               /* in quarters */
    return o ? o : Q;
}

/* What a vector instruction costs given its vtype and vl, worked out once and remembered per address
   (rv_vmemo): loops run the same instruction with the same vtype and vl over and over. */
static void vector_decode(rv_timing *T, const rv_machine *m, const rv_insn_t *e, const rv_op_timing_t *ot,
                          rv_vmemo *d)
{
    const rv_timing_params *P = &T->p;
    const rv_hart_state *h = &m->h;
    unsigned cls = ot->tclass, flags = ot->flags;
    rv_vcfg c;
    unsigned sew = 8, lmul8 = 8;        /* with vill set nothing runs: vl = 0 */
    uint64_t vl = 0;
    if (vcfg_load(m, &c) == 0) {
        sew = c.sew;
        lmul8 = c.lmul_log2 >= 0 ? 8u << c.lmul_log2 : 8u >> -c.lmul_log2;   /* LMUL in eighths */
        vl = c.vl;
    }
    unsigned pk = P->v_pipe_of[cls] < RV_VPIPE_COUNT ? P->v_pipe_of[cls] : RV_VPIPE_ARITH;
    unsigned nf = ot->nf ? ot->nf : 1;
    uint64_t mem_bytes = 0, tile_flops = 0;
    T->mtype_now = h->mtype;
    d->o = vector_occupancy(T, e, ot, sew, lmul8, vl, pk, &mem_bytes, &tile_flops);   /* quarter cycles */
    d->mem_bytes = mem_bytes;
    d->vl = vl;
    d->pk = (uint8_t)pk;
    d->cls = (uint8_t)cls;
    int is_mem = cls == RV_TC_VLOAD || cls == RV_TC_VSTORE;
    d->mem = !is_mem || !vl ? 0 : !((flags & (RV_TF_STRIDED | RV_TF_INDEXED)) && !(flags & RV_TF_WHOLE)) ? 1
             : (flags & RV_TF_STRIDED) ? 2 : 3;
    d->write = cls == RV_TC_VSTORE;
    d->flops = tile_flops + (((flags & RV_TF_FP) && cls != RV_TC_VTILE) ? vl * ((flags & RV_TF_FLOP2) ? 2 : 1)
                                                                        : 0);

    /* register groups each operand covers (EMUL in eighths) */
    unsigned dest_emul8 = lmul8, src_emul8 = lmul8;
    switch (cls) {
    case RV_TC_VLOAD: case RV_TC_VSTORE: {
        unsigned eew = ot->mem ? ot->mem : sew;
        if (flags & RV_TF_INDEXED) eew = sew;
        unsigned emul8 = (unsigned)((uint64_t)lmul8 * eew / sew);
        if (flags & RV_TF_WHOLE) { emul8 = 8 * nf; nf = 1; }
        else if (flags & RV_TF_MASK_MEM) emul8 = 8;
        dest_emul8 = src_emul8 = emul8 * nf;
        break;
    }
    case RV_TC_VRED: case RV_TC_VFRED:
        dest_emul8 = 8;
        break;
    case RV_TC_VMASK: case RV_TC_VTOSCALAR: case RV_TC_VFROMSCALAR:
        dest_emul8 = src_emul8 = 8;
        break;
    case RV_TC_VMVR:
        dest_emul8 = src_emul8 = 8 * nf;
        break;
    default:
        break;
    }
    if (flags & RV_TF_WIDEN) dest_emul8 = 2 * lmul8;
    if (flags & RV_TF_WIDE_SRC) src_emul8 = 2 * lmul8;
    if (flags & RV_TF_MASK_DEST) dest_emul8 = 8;
    /* source register groups, in slot order (slot 0 only when the instruction accumulates into vd),
       then v0 when masked */
    unsigned acc = (flags & RV_TF_READS_RD) != 0;
    const uint8_t regs[4] = {e->rd, e->rs1, e->rs2, e->rs3};
    d->nlist = 0;
    for (int slot = 0; slot < 4; slot++) {
        if (ot->slot[slot] != RV_SLOT_V)
            continue;
        int is_dest = slot == 0 && !(flags & RV_TF_RD_IS_SOURCE);
        if (is_dest && !acc)
            continue;
        unsigned n = operand_regs(slot == 0 ? dest_emul8 : (slot == 2 ? src_emul8 : lmul8));
        if (cls == RV_TC_VRED || cls == RV_TC_VFRED || cls == RV_TC_VFREDO)
            n = slot == 2 ? operand_regs(src_emul8) : 1;
        if (regs[slot] + n > 32) n = 32 - regs[slot];
        if (n == 0)
            continue;
        d->list[d->nlist].reg = regs[slot];
        d->list[d->nlist].n = (uint8_t)n;
        d->list[d->nlist].dest = (uint8_t)is_dest;
        d->nlist++;
    }
    if ((flags & RV_TF_HAS_VM) && !e->aux[0]) {
        d->list[d->nlist].reg = 0;
        d->list[d->nlist].n = 1;
        d->list[d->nlist].dest = 0;
        d->nlist++;
    }
    d->ndest = 0;
    if (ot->slot[0] == RV_SLOT_V && !(flags & RV_TF_RD_IS_SOURCE)) {
        unsigned n = operand_regs(dest_emul8);
        if (e->rd + n > 32) n = 32 - e->rd;
        d->ndest = (uint8_t)n;
    }
    d->scalar_result = (flags & RV_TF_SCALAR_RESULT) != 0;
}

static __attribute__((noinline)) uint64_t vector_step(rv_timing *T, rv_machine *m, const rv_insn_t *e,
                                                      uint64_t pc, uint64_t t, uint64_t rs1v,
                                                      uint64_t rs2v, uint64_t *scalar_ready)
{
    const rv_timing_params *P = &T->p;
    const rv_hart_state *h = &m->h;
    /* the decoded cost, remembered per address with the state it depends on */
    rv_vmemo *d = &T->vmemo[(pc >> 1) & (RV_VMEMO_SIZE - 1)];
    uint64_t vl_now = (h->vtype >> 63) ? 0 : h->vl;
    if (unlikely(d->pc != pc || d->raw != e->raw || d->vtype != h->vtype || d->vl != vl_now ||
                 d->mtype != h->mtype)) {
        vector_decode(T, m, e, &rv_op_timing[e->exec_op], d);
        d->pc = pc;
        d->raw = e->raw;
        d->vtype = h->vtype;
        d->mtype = h->mtype;
    }
    unsigned cls = d->cls, pk = d->pk;
    uint64_t o = d->o;

    /* start: in order (one per cycle), after the queue, on a free pipe, when the sources allow
       (section 4.3) */
    uint64_t s = MAX64((t + P->v_issue_latency) * Q, T->v_last_start + Q);
    uint64_t after_queue = s;
    unsigned npipes = P->v_pipes[pk] ? P->v_pipes[pk] : 1;
    if (npipes > RV_TIMING_MAX_PIPES) npipes = RV_TIMING_MAX_PIPES;
    unsigned best = 0;
    for (unsigned k = 1; k < npipes; k++)
        if (T->vpipe_free[pk][k] < T->vpipe_free[pk][best])
            best = k;
    s = MAX64(s, T->vpipe_free[pk][best]);
    uint64_t finish = 0;
    for (unsigned k = 0; k < d->nlist; k++) {
        unsigned r = d->list[k].reg, is_dest = d->list[k].dest;
        for (unsigned i = 0; i < d->list[k].n; i++)
            s = MAX64(s, vreg_ready_for(T, r + i, is_dest, cls, &finish));
    }
    /* A chained consumer starts with its producer's first element group and, when it is faster than
       its producer, runs at the producer's pace: it holds its pipe until one group after the producer's
       last (rather than starting late so as to end then, which would hold up the in-order start of
       everything behind it: a faster unit must never make a program slower). */
    uint64_t work = o;
    if (finish > s + o)
        o = finish - s;

    /* memory (section 4.4): caches are looked up at whole cycles */
    uint64_t lat = (uint64_t)P->latency[cls] * Q;
    uint64_t data_first = 0, data_last = 0;     /* cycles: the first and the last line's data */
    if (d->mem) {
        int write = d->write;
        int missed;
        uint64_t sc = ceil_div(s, Q);
        uint32_t lat_c = P->latency[cls];
        if (d->mem == 1) {
            uint64_t line = T->l1d.p.size ? T->l1d.p.line : 64;
            uint64_t a = rs1v & ~(line - 1), end = rs1v + d->mem_bytes;
            uint64_t port = P->v_width[pk] ? P->v_width[pk] : 128;     /* bits per cycle */
            for (; a < end; a += line) {
                /* the port reaches line k after moving the k lines before it */
                uint64_t when = sc + (a > rs1v ? (a - rs1v) * 8 / port : 0);
                uint64_t r = P->v_mem_via_l1 ? data_access(T, a, write, when, lat_c, &missed)
                                             : vector_port_access(T, a, write, when, lat_c);
                if (!write) { data_last = MAX64(data_last, r); if (!data_first) data_first = r; }
            }
        } else if (d->mem == 2) {
            uint64_t prev_line = ~0ull;
            uint64_t step = P->v_strided_cycles ? P->v_strided_cycles : 1;
            unsigned lb = T->l1d.p.size ? T->l1d.line_bits : 6;
            for (uint64_t i = 0; i < d->vl; i++) {
                uint64_t a = rs1v + i * rs2v;
                if ((a >> lb) == prev_line) continue;
                prev_line = a >> lb;
                uint64_t when = sc + i * step;
                uint64_t r = P->v_mem_via_l1 ? data_access(T, a, write, when, lat_c, &missed)
                                             : vector_port_access(T, a, write, when, lat_c);
                if (!write) { data_last = MAX64(data_last, r); if (!data_first) data_first = r; }
            }
        }
        /* indexed: element addresses are not modelled; they cost strided_cycles each */
    }
    /* occupy the pipe */
    T->vpipe_free[pk][best] = s + o;
    T->t.v_busy[pk] += work;                /* quarter cycles until rv_timing_get_totals */
    T->t.v_wait_queue += s - after_queue;   /* likewise */
    T->v_last_start = s;
    uint64_t done = s + (o > Q ? o : Q) - Q + lat;
    /* The data may arrive later than the pipe would have produced it: the first element group is
       ready when the first line arrives, the last when the last line does.  (Stretching the result
       between the two, rather than adding the wait to the latency of every group, keeps a faster port
       from delaying the first group that chained consumers wait for.) */
    uint64_t first_ready = s + lat, occupancy = o;
    if (data_last * Q > done) {
        first_ready = MAX64(first_ready, data_first * Q);
        done = data_last * Q;
        occupancy = done - first_ready + Q;
        lat = first_ready - s;
    }
    /* destination registers */
    for (unsigned i = 0; i < d->ndest; i++) {
        rv_vreg_state *v = &T->vreg[e->rd + i];
        v->valid = 1;
        v->start = s;
        v->occupancy = occupancy;
        v->latency = lat;
        v->cls = (uint8_t)cls;
    }
    uint64_t done_c = ceil_div(done, Q);
    if (d->scalar_result)
        *scalar_ready = done_c + P->v_to_scalar_latency;
    /* work counters */
    T->t.v_instructions++;
    T->t.v_elements += d->vl;
    T->t.flops += d->flops;
    T->last_vstart = ceil_div(s, Q);
    return done_c;
}

/* ------------------------------------------------------------------ the step (section 2) */

/* Resolve the per-op records (rv_top) from the ISA table and the parameters. */
static void build_op_table(rv_timing *T)
{
    const rv_timing_params *P = &T->p;
    for (unsigned op = 0; op < RV_OP_COUNT; op++) {
        const rv_op_timing_t *ot = &rv_op_timing[op];
        rv_top *o = &T->op[op];
        unsigned cls = ot->tclass, flags = ot->flags;
        memset(o, 0, sizeof *o);
        int is_vector = cls >= RV_TC_FIRST_VECTOR && cls != RV_TC_VSET;
        o->rcause = RV_STALL_DEP_ALU;
        switch (cls) {
        case RV_TC_LOAD: o->kind = RV_K_LOAD; break;
        case RV_TC_STORE: o->kind = RV_K_STORE; break;
        case RV_TC_AMO: o->kind = RV_K_AMO; break;
        case RV_TC_BRANCH: o->kind = RV_K_BRANCH; break;
        case RV_TC_JAL: o->kind = RV_K_JAL; break;
        case RV_TC_JALR: o->kind = RV_K_JALR; break;
        case RV_TC_MUL: case RV_TC_DIV:
            o->kind = RV_K_MULDIV;
            o->rcause = RV_STALL_DEP_MULDIV;
            if (cls == RV_TC_DIV && P->div_operand_dependent) o->special |= RV_SP_DIV;
            break;
        case RV_TC_FADD: case RV_TC_FMUL: case RV_TC_FMA: case RV_TC_FDIV: case RV_TC_FSQRT:
        case RV_TC_FMISC:
            o->kind = RV_K_FP;
            o->rcause = RV_STALL_DEP_FP;
            o->flops = (flags & RV_TF_FP) ? ((flags & RV_TF_FLOP2) ? 2 : 1) : 0;
            break;
        default:
            o->kind = is_vector ? RV_K_VECTOR : RV_K_PLAIN;
            if (is_vector) { o->special |= RV_SP_VECTOR; o->rcause = RV_STALL_DEP_VECTOR; }
            break;
        }
        for (int slot = 1; slot < 4; slot++) {
            unsigned kind = ot->slot[slot];
            o->src[slot] = kind == RV_SLOT_X ? 0 : kind == RV_SLOT_F ? RV_REG_F : RV_REG_NONE;
        }
        unsigned dkind = ot->slot[0];
        int dscalar = dkind == RV_SLOT_X || dkind == RV_SLOT_F;
        o->src[0] = RV_REG_NONE;
        if (dscalar && (flags & (RV_TF_RD_IS_SOURCE | RV_TF_READS_RD))) {
            o->src[0] = dkind == RV_SLOT_F ? RV_REG_F : 0;
            o->special |= RV_SP_RD_SOURCE;
        }
        int writes = dscalar && !(flags & RV_TF_RD_IS_SOURCE) &&
                     (!is_vector || (flags & RV_TF_SCALAR_RESULT));
        o->dst = writes ? (dkind == RV_SLOT_F ? RV_REG_F : 0) : RV_REG_JUNK;
        o->waw = dscalar && !(flags & RV_TF_RD_IS_SOURCE) && cls != RV_TC_LOAD && cls != RV_TC_AMO;
        o->lat = P->latency[cls];
        unsigned unit = P->unit_of[cls] < RV_TIMING_UNITS ? P->unit_of[cls] : 0;
        unsigned count = P->unit_count[unit];
        if (count > RV_TIMING_MAX_PIPES) count = RV_TIMING_MAX_PIPES;
        /* vector instructions only pass through the issue port: the vector unit keeps its own time */
        uint32_t occ = is_vector ? 1 : P->occupancy[cls] ? P->occupancy[cls] : o->lat;
        o->occ = occ ? occ : 1;
        o->unit = (uint8_t)unit;
        o->unit_count = (uint8_t)count;
        if (!count) {
            /* unlimited: a spare row that is never busy (occupancy 0 keeps it at the issue cycle) */
            o->unit = RV_TIMING_UNITS;
            o->unit_count = 1;
            o->occ = 0;
        }
        if ((cls == RV_TC_CSR || cls == RV_TC_FENCE || cls == RV_TC_SYSTEM) && P->serialize_csr)
            o->special |= RV_SP_SERIAL;
    }
}

/* Divide latency with an operand-dependent divider (section 2.1). */
static __attribute__((noinline)) uint64_t divide_latency(const rv_timing_params *P, const rv_insn_t *e, uint64_t rs1v, uint64_t rs2v)
{
    int is32 = e->exec_op == RV_OP_DIVW || e->exec_op == RV_OP_DIVUW || e->exec_op == RV_OP_REMW ||
               e->exec_op == RV_OP_REMUW;
    int is_signed = e->exec_op == RV_OP_DIV || e->exec_op == RV_OP_REM || e->exec_op == RV_OP_DIVW ||
                    e->exec_op == RV_OP_REMW;
    uint64_t a = rs1v, b = rs2v;
    if (is32) { a = is_signed ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
                b = is_signed ? (uint64_t)(int64_t)(int32_t)b : (uint32_t)b; }
    if (is_signed) { if ((int64_t)a < 0) a = -a; if ((int64_t)b < 0) b = -b; }
    unsigned la = a ? 64 - __builtin_clzll(a) : 0, lb = b ? 64 - __builtin_clzll(b) : 0;
    unsigned qbits = (b && la >= lb) ? la - lb + 1 : 0;
    unsigned bpc = P->div_bits_per_cycle ? P->div_bits_per_cycle : 1;
    return P->latency[RV_TC_DIV] + (qbits + bpc - 1) / bpc;
}

/* A jalr: predicted by the return-address stack (returns) or the target table (section 2.3). */
/* Return-address stack: a ring of the newest ras_entries return addresses (older ones are overwritten,
   as in hardware), used by calls through jal and jalr alike. */
static inline void ras_push(rv_timing *T, uint64_t return_address)
{
    T->ras[T->ras_top % RV_RAS_MAX] = return_address;
    T->ras_top++;
    if (T->ras_top - T->ras_bottom > T->p.ras_entries)
        T->ras_bottom = T->ras_top - T->p.ras_entries;
}

static __attribute__((noinline)) int predict_jalr(rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v)
{
    const rv_timing_params *P = &T->p;
    uint64_t target = (rs1v + (uint64_t)e->imm) & ~1ull;
    int correct = 0;
    int is_return = (e->rs1 == 1 || e->rs1 == 5) && e->rd == RV_X_SINK;
    if (is_return && P->ras_entries) {
        if (T->ras_top > T->ras_bottom) {
            T->ras_top--;
            correct = T->ras[T->ras_top % RV_RAS_MAX] == target;
        }
    } else if (T->btb) {
        uint32_t i = (uint32_t)(pc >> 1) & (P->btb_entries - 1);
        correct = T->btb[i] == target;
        T->btb[i] = target;
    }
    if ((e->rd == 1 || e->rd == 5) && P->ras_entries)
        ras_push(T, pc + e->len);
    return correct;
}

/* A fetch stall after a branch or jump is charged to that branch (the instruction that waited did
   nothing wrong): its stall cycles, and as many of the issue cycles as the stall accounts for. */
static __attribute__((noinline)) void charge_fetch_stall(rv_timing *T, uint64_t *rec, unsigned cause,
                                                         uint64_t stall, uint64_t *charged)
{
    uint64_t moved = stall < *charged ? stall : *charged;
    *charged -= moved;
    rec[cause] -= stall;
    uint64_t *blamed = pc_rec(T, T->fetch_pc);
    blamed[RV_PC_CYCLES] += moved;
    blamed[cause] += stall;
}

/* The step, written once and compiled once per kind of instruction (KIND a constant, GENERAL = 0 for
   instructions that need none of the rare work of rv_top.special), so that each compiled copy holds
   only what its instructions need. */
/* Take constraint `when` if it is later than t (the first constraint to set t names the cause).
   Written as selects rather than branches: whether an instruction stalls is data, not a pattern. */
#define CONSTRAIN(when, why) do { uint64_t w_ = (when); unsigned y_ = (why); int later_ = w_ > t; \
        cause = later_ ? y_ : cause; t = later_ ? w_ : t; } while (0)

static inline __attribute__((always_inline)) void
step_body(rv_machine *m, rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, uint64_t rs2v,
          int taken, const unsigned KIND, const int GENERAL)
{
    const rv_timing_params *P = &T->p;
    const rv_top *const op = &T->op[e->exec_op];
    uint64_t *const rr = T->reg_ready;
    /* earliest cycle by issue bandwidth */
    uint64_t base = T->cycle + (T->slots >= P->issue_width);
    uint64_t t = base;
    unsigned cause = NO_CAUSE;
    CONSTRAIN(T->fetch_ready, T->fetch_cause);
    uint64_t fetch = t;
    /* instruction fetch: one L1I lookup per new line */
    uint64_t fline = pc >> T->l1i.line_bits;
    if (unlikely(fline != T->last_fetch_line)) {
        T->last_fetch_line = fline;
        uint64_t extra = fetch_line(T, pc, fetch);
        if (extra) {
            fetch += extra;
            T->fetch_ready = fetch;
            T->fetch_cause = RV_STALL_ICACHE;
            CONSTRAIN(fetch, RV_STALL_ICACHE);
        }
    }
    /* scalar sources (RAW), in the order rs1, rs2, rs3, rd.  An absent source reads an entry that is
       never written. */
    /* (a kind known at compile time skips the operands none of its instructions has: jal has no
       register source, loads no rs2, only FP and vector instructions an rs3) */
    if (GENERAL || KIND != RV_K_JAL) {
        unsigned i1 = op->src[1] + (e->rs1 & 31u);
        CONSTRAIN(rr[i1], T->reg_cause[i1]);
    }
    if (GENERAL || (KIND != RV_K_JAL && KIND != RV_K_LOAD)) {
        unsigned i2 = op->src[2] + (e->rs2 & 31u);
        CONSTRAIN(rr[i2], T->reg_cause[i2]);
    }
    if (GENERAL || KIND == RV_K_FP || KIND == RV_K_VECTOR) {
        unsigned i3 = op->src[3] + (e->rs3 & 31u);
        CONSTRAIN(rr[i3], T->reg_cause[i3]);
    }
    unsigned dreg = op->dst + e->rd;
    uint64_t lat = op->lat;
    if (GENERAL && unlikely(op->special & (RV_SP_RD_SOURCE | RV_SP_DIV))) {
        if (op->special & RV_SP_RD_SOURCE) {
            unsigned i0 = op->src[0] + e->rd;
            CONSTRAIN(rr[i0], T->reg_cause[i0]);
        }
        /* latency (section 2.1) */
        if (op->special & RV_SP_DIV)
            lat = divide_latency(P, e, rs1v, rs2v);
    }
    /* WAW: the result must not arrive before an older write to the same register (x0 excepted) */
    if (op->waw && dreg != RV_X_SINK)
        CONSTRAIN(rr[dreg] > lat ? rr[dreg] - lat : 0, RV_STALL_WAW);
    /* functional unit (structural hazard): the instance that is free first */
    uint64_t *uf = T->unit_free[op->unit];
    unsigned inst = 0;
    if (op->unit_count == 2) {
        inst = uf[1] < uf[0];
    } else {
        for (unsigned k = 1; k < op->unit_count; k++)
            if (uf[k] < uf[inst])
                inst = k;
    }
    CONSTRAIN(uf[inst], RV_STALL_UNIT);
    /* serialising instructions wait for all older work */
    if (GENERAL && unlikely(op->special & RV_SP_SERIAL))
        CONSTRAIN(T->end, RV_STALL_SERIAL);
    /* vector queue space (section 4.1) */
    if ((KIND == RV_K_VECTOR || (GENERAL && unlikely(op->special & RV_SP_VECTOR))) && P->v_enabled) {
        uint32_t q = P->v_queue_depth ? P->v_queue_depth : 1;
        if (q > RV_VQUEUE_MAX) q = RV_VQUEUE_MAX;
        uint64_t n = T->t.v_instructions;
        if (n >= q)
            CONSTRAIN(T->vq[(n - q) % RV_VQUEUE_MAX], RV_STALL_VQUEUE);   /* the q-th older one left */
    }

    /* ---- issue at t */
    if (t > T->cycle) { T->cycle = t; T->slots = 1; }
    else T->slots++;
    uint64_t stall = t - base;
    T->t.stall[cause] += stall;     /* cause is NO_CAUSE (a bucket nobody reads) only when stall = 0 */
    /* an operand-dependent divider is busy for its whole latency */
    uf[inst] = t + ((GENERAL && unlikely(op->special & RV_SP_DIV)) ? (lat ? lat : 1) : op->occ);

    /* ---- results */
    uint64_t ready = t + lat;
    unsigned rcause = op->rcause;
    uint64_t vstart = 0;
    switch (GENERAL ? op->kind : KIND) {
    case RV_K_PLAIN:
        if (unlikely(taken)) {
            /* mret and other transfers: treat as a taken jump */
            T->fetch_ready = t + 1 + P->taken_penalty;
            T->fetch_cause = RV_STALL_TAKEN;
            T->fetch_pc = pc;
        }
        break;
    case RV_K_LOAD: {
        int missed;
        ready = data_access_fast(T, rs1v + (uint64_t)e->imm, 0, t, (uint32_t)P->latency[RV_TC_LOAD],
                                 &missed);
        rcause = missed ? RV_STALL_DCACHE : RV_STALL_DEP_LOAD;
        break;
    }
    case RV_K_AMO: {
        int missed;
        ready = data_access(T, rs1v, 0, t, (uint32_t)P->latency[RV_TC_LOAD], &missed);
        data_access(T, rs1v, 1, t, (uint32_t)P->latency[RV_TC_LOAD], &missed);
        ready += P->latency[RV_TC_AMO];
        rcause = missed ? RV_STALL_DCACHE : RV_STALL_DEP_LOAD;
        break;
    }
    case RV_K_STORE: {
        int missed;
        data_access_fast(T, rs1v + (uint64_t)e->imm, 1, t, (uint32_t)P->latency[RV_TC_LOAD], &missed);
        ready = t + 1;      /* sc.w/sc.d result */
        break;
    }
    case RV_K_FP:
        T->t.flops += op->flops;
        break;
    case RV_K_BRANCH:
        T->t.branches++;
        T->t.taken += (unsigned)taken;
        if (predict_branch(T, pc, e->imm, taken)) {
            T->t.mispredicts++;
            T->fetch_ready = t + 1 + P->mispredict_penalty;
            T->fetch_cause = RV_STALL_MISPREDICT;
        } else if (taken) {
            T->fetch_ready = t + 1 + P->taken_penalty;
            T->fetch_cause = RV_STALL_TAKEN;
        }
        T->fetch_pc = pc;
        break;
    case RV_K_JAL:
        T->t.taken++;
        T->fetch_pc = pc;
        T->fetch_ready = t + 1 + P->taken_penalty;
        T->fetch_cause = RV_STALL_TAKEN;
        if ((e->rd == 1 || e->rd == 5) && P->ras_entries)
            ras_push(T, pc + e->len);
        break;
    case RV_K_JALR:
        T->t.taken++;
        T->fetch_pc = pc;
        if (predict_jalr(T, e, pc, rs1v)) {
            T->fetch_ready = t + 1 + P->taken_penalty;
            T->fetch_cause = RV_STALL_TAKEN;
        } else {
            T->t.mispredicts++;
            T->fetch_ready = t + 1 + P->mispredict_penalty;
            T->fetch_cause = RV_STALL_MISPREDICT;
        }
        break;
    case RV_K_VECTOR: {
        const rv_op_timing_t *ot = &rv_op_timing[e->exec_op];
        uint64_t sready = 0;
        if (P->v_enabled)
            ready = vector_step(T, m, e, pc, t, rs1v, rs2v, &sready);
        vstart = T->last_vstart;
        T->vq[(T->t.v_instructions - 1) % RV_VQUEUE_MAX] = vstart;
        if (ot->flags & RV_TF_SCALAR_RESULT)
            ready = sready;     /* vector registers are tracked by the vector unit */
        break;
    }
    default:
        break;
    }
    rr[dreg] = ready;
    T->reg_cause[dreg] = (uint8_t)rcause;
    uint64_t end = T->end;
    end = MAX64(end, ready);
    T->end = MAX64(end, t + 1);
    T->t.instructions++;

    /* per-pc counters: the issue cycles this instruction added, and its stall by cause */
    uint64_t *rec = pc_rec(T, pc);
    uint64_t charged = T->cycle - T->charge_mark;
    T->charge_mark = T->cycle;
    rec[RV_PC_COUNT]++;
    rec[cause] += stall;
    if (unlikely((cause == RV_STALL_MISPREDICT || cause == RV_STALL_TAKEN) && T->fetch_pc != pc))
        charge_fetch_stall(T, rec, cause, stall, &charged);
    rec[RV_PC_CYCLES] += charged;

    if (unlikely(T->trace)) {
        if (T->trace_used < T->trace_cap) {
            int is_vector = op->kind == RV_K_VECTOR;
            rv_timing_trace_rec *r = &T->trace[T->trace_used++];
            r->pc = pc;
            r->fetch = fetch;
            r->issue = t;
            r->start = is_vector ? vstart : t;
            r->done = ready > t ? ready : t + 1;
            r->raw = e->raw;
            r->cause = (uint8_t)(stall && cause < RV_STALL_COUNT ? cause : 255);
            r->vector = (uint8_t)is_vector;
            r->stall = (uint16_t)(stall > 65535 ? 65535 : stall);
        }
    }
}

#define RV_STEP_FN(name, kind, general) \
    static void name(rv_machine *m, rv_timing *T, const rv_insn_t *e, uint64_t pc, uint64_t rs1v, \
                     uint64_t rs2v, int taken) \
    { step_body(m, T, e, pc, rs1v, rs2v, taken, kind, general); }
RV_STEP_FN(step_general, RV_K_PLAIN, 1)
RV_STEP_FN(step_plain, RV_K_PLAIN, 0)
RV_STEP_FN(step_load, RV_K_LOAD, 0)
RV_STEP_FN(step_store, RV_K_STORE, 0)
RV_STEP_FN(step_branch, RV_K_BRANCH, 0)
RV_STEP_FN(step_jal, RV_K_JAL, 0)
RV_STEP_FN(step_jalr, RV_K_JALR, 0)
RV_STEP_FN(step_muldiv, RV_K_MULDIV, 0)
RV_STEP_FN(step_fp, RV_K_FP, 0)
RV_STEP_FN(step_vector, RV_K_VECTOR, 0)
#undef RV_STEP_FN

/* The step of each op (rv_timing.step): the general one for anything with rare work to do. */
static void build_step_table(rv_timing *T)
{
    for (unsigned op = 0; op < RV_OP_COUNT; op++) {
        const rv_top *o = &T->op[op];
        rv_step_fn fn = step_general;
        if (o->special == RV_SP_VECTOR && o->kind == RV_K_VECTOR)
            fn = step_vector;
        int has_rs1 = o->src[1] != RV_REG_NONE, has_rs2 = o->src[2] != RV_REG_NONE;
        int has_rs3 = o->src[3] != RV_REG_NONE;
        int fits = !(o->kind == RV_K_JAL && (has_rs1 || has_rs2)) &&
                   !(o->kind == RV_K_LOAD && has_rs2) &&
                   !(o->kind != RV_K_FP && o->kind != RV_K_VECTOR && has_rs3);
        if (!fits)
            fn = step_general;
        else if (!o->special) {
            switch (o->kind) {
            case RV_K_PLAIN: fn = step_plain; break;
            case RV_K_LOAD: fn = step_load; break;
            case RV_K_STORE: fn = step_store; break;
            case RV_K_BRANCH: fn = step_branch; break;
            case RV_K_JAL: fn = step_jal; break;
            case RV_K_JALR: fn = step_jalr; break;
            case RV_K_MULDIV: fn = step_muldiv; break;
            case RV_K_FP: fn = step_fp; break;
            default: break;
            }
        }
        T->step[op] = fn;
    }
}

/* ------------------------------------------------------------------ management */

static void timing_free(rv_timing *T)
{
    if (!T) return;
    cache_free(&T->l1i); cache_free(&T->l1d); cache_free(&T->l2);
    free(T->bp);
    free(T->btb);
    if (T->pcpage) {
        for (uint64_t i = 0; i < T->npages; i++)
            free(T->pcpage[i]);
        free(T->pcpage);
    }
    free(T);
}

void rv_timing_destroy(rv_machine *m)
{
    timing_free(m->timing);
    m->timing = NULL;
}

static void timing_clear_state(rv_timing *T)
{
    memset(&T->t, 0, sizeof T->t);
    T->cycle = 0; T->slots = 0; T->fetch_ready = 0; T->fetch_cause = NO_CAUSE;
    memset(T->reg_ready, 0, sizeof T->reg_ready);
    memset(T->reg_cause, 0, sizeof T->reg_cause);
    memset(T->unit_free, 0, sizeof T->unit_free);
    memset(T->vpipe_free, 0, sizeof T->vpipe_free);
    memset(T->vreg, 0, sizeof T->vreg);
    memset(T->vq, 0, sizeof T->vq);
    for (unsigned i = 0; i < RV_VMEMO_SIZE; i++)
        T->vmemo[i].pc = ~0ull;     /* nothing remembered */
    T->end = 0; T->cycle_base = 0; T->v_last_start = 0; T->last_vstart = 0;
    T->dram_free = 0; T->ghist = 0;
    T->ras_top = T->ras_bottom = 0;
    T->last_fetch_line = ~0ull;
    if (T->bp) memset(T->bp, 1, T->bp_mask + 1);     /* weakly not-taken */
    if (T->btb) memset(T->btb, 0, sizeof *T->btb * T->p.btb_entries);
    cache_clear(&T->l1i); cache_clear(&T->l1d); cache_clear(&T->l2);
    if (T->pcpage)
        for (uint64_t i = 0; i < T->npages; i++) { free(T->pcpage[i]); T->pcpage[i] = NULL; }
    T->pc_cur = NULL;
    T->charge_mark = ~0ull;
    memset(T->stray, 0, sizeof T->stray);
    T->trace_used = 0;
}

int rv_timing_enable(rv_machine *m, const rv_timing_params *p)
{
    char *err = m->h.error;
    size_t n = sizeof m->h.error;
    if (!p) {
        rv_timing_destroy(m);
        return 0;
    }
    if (p->issue_width < 1 || p->issue_width > RV_TIMING_MAX_ISSUE) {
        snprintf(err, n, "issue width must be 1..%u (got %u)", RV_TIMING_MAX_ISSUE, p->issue_width);
        return -1;
    }
    if (p->ras_entries > RV_TIMING_MAX_RAS) {
        snprintf(err, n, "return-address stack entries must be at most %u (got %u)", RV_TIMING_MAX_RAS,
                 p->ras_entries);
        return -1;
    }
    if (p->v_enabled && (p->v_queue_depth < 1 || p->v_queue_depth > RV_TIMING_MAX_QUEUE)) {
        snprintf(err, n, "vector queue depth must be 1..%u (got %u)", RV_TIMING_MAX_QUEUE, p->v_queue_depth);
        return -1;
    }
    for (unsigned k = 0; k < RV_VPIPE_COUNT; k++)
        if (p->v_pipes[k] > RV_TIMING_MAX_PIPES) {
            snprintf(err, n, "at most %u vector pipes of a kind (got %u)", RV_TIMING_MAX_PIPES, p->v_pipes[k]);
            return -1;
        }
    for (unsigned k = 0; k < RV_TIMING_UNITS; k++)
        if (p->unit_count[k] > RV_TIMING_MAX_PIPES) {
            snprintf(err, n, "at most %u units of a kind (got %u)", RV_TIMING_MAX_PIPES, p->unit_count[k]);
            return -1;
        }
    if (p->predictor > 3) {
        snprintf(err, n, "unknown branch predictor kind %u", p->predictor);
        return -1;
    }
    if (p->predictor >= 2 && (p->predictor_entries == 0 || (p->predictor_entries & (p->predictor_entries - 1)))) {
        snprintf(err, n, "predictor entries must be a power of two (got %u)", p->predictor_entries);
        return -1;
    }
    if (p->btb_entries & (p->btb_entries - 1)) {
        snprintf(err, n, "BTB entries must be a power of two (got %u)", p->btb_entries);
        return -1;
    }
    if (p->history_bits > RV_TIMING_MAX_HISTORY) {
        snprintf(err, n, "history bits must be at most %u (got %u)", RV_TIMING_MAX_HISTORY, p->history_bits);
        return -1;
    }
    if (p->v_enabled && p->vlen != m->cfg.vlen) {
        snprintf(err, n, "the timing preset's VLEN (%u) differs from the machine's (%u)", p->vlen,
                 m->cfg.vlen);
        return -1;
    }
    rv_timing *T = calloc(1, sizeof *T);
    if (!T) { snprintf(err, n, "out of memory"); return -1; }
    T->p = *p;
    build_op_table(T);
    build_step_table(T);
    if (cache_init(&T->l1i, &p->l1i, "L1I", err, n) || cache_init(&T->l1d, &p->l1d, "L1D", err, n) ||
        cache_init(&T->l2, &p->l2, "L2", err, n)) {
        timing_free(T);
        return -1;
    }
    if (!T->l1i.p.size) T->l1i.line_bits = 6;
    if (p->predictor >= 2) {
        T->bp = malloc(p->predictor_entries);
        T->bp_mask = p->predictor_entries - 1;
    }
    if (p->btb_entries)
        T->btb = calloc(p->btb_entries, sizeof *T->btb);
    T->mem_base = m->cfg.mem_base;
    T->machine_te = m->cfg.tile_te;
    T->npages = m->npages;
    T->pcpage = calloc(m->npages ? m->npages : 1, sizeof *T->pcpage);
    if ((p->predictor >= 2 && !T->bp) || (p->btb_entries && !T->btb) || !T->pcpage) {
        timing_free(T);
        snprintf(err, n, "out of memory");
        return -1;
    }
    timing_clear_state(T);
    rv_timing_destroy(m);
    m->timing = T;
    return 0;
}

int rv_timing_enabled(rv_machine *m) { return m->timing != NULL; }

/* Restart the counters (totals, per-address records, the trace) and keep every piece of
   micro-architectural state: caches, predictor, queues, pipes in flight, the clock itself.  Cycles are
   counted from the completion time reached so far (cycle_base), so a region measured after a reset sees
   warm caches, as it would on hardware. */
void rv_timing_reset(rv_machine *m)
{
    rv_timing *T = m->timing;
    if (!T) return;
    memset(&T->t, 0, sizeof T->t);
    if (T->pcpage)
        for (uint64_t i = 0; i < T->npages; i++) { free(T->pcpage[i]); T->pcpage[i] = NULL; }
    T->pc_cur = NULL;
    memset(T->stray, 0, sizeof T->stray);
    T->trace_used = 0;
    T->cycle_base = T->end;
}

/* Restart the model cold: clock, counters, caches, predictor, queues (the trace buffer stays). */
void rv_timing_flush(rv_machine *m)
{
    if (m->timing) {
        rv_timing_trace_rec *tr = m->timing->trace;
        uint64_t cap = m->timing->trace_cap;
        timing_clear_state(m->timing);
        m->timing->trace = tr;
        m->timing->trace_cap = cap;
    }
}

uint64_t rv_timing_now(rv_machine *m)
{
    rv_timing *T = m->timing;
    return T->end ? T->cycle + 1 : 0;
}

void rv_timing_get_totals(rv_machine *m, rv_timing_totals *out)
{
    rv_timing *T = m->timing;
    if (!T) { memset(out, 0, sizeof *out); return; }
    *out = T->t;
    out->cycles = T->end - T->cycle_base;
    for (unsigned k = 0; k < RV_VPIPE_COUNT; k++)
        out->v_busy[k] = (T->t.v_busy[k] + Q / 2) / Q;      /* kept in quarter cycles */
    out->v_wait_queue = (T->t.v_wait_queue + Q / 2) / Q;
}

uint64_t rv_timing_pc_count(rv_machine *m)
{
    rv_timing *T = m->timing;
    uint64_t n = 0;
    if (!T) return 0;
    for (uint64_t pg = 0; pg < T->npages; pg++) {
        rv_pc_page *page = T->pcpage[pg];
        if (!page) continue;
        for (unsigned i = 0; i < RV_SLOTS_PER_PAGE; i++)
            n += page->rec[i][RV_PC_COUNT] != 0;
    }
    return n;
}

uint64_t rv_timing_get_pcs(rv_machine *m, uint64_t *pcs, rv_timing_pc_stats *stats, uint64_t max)
{
    rv_timing *T = m->timing;
    uint64_t n = 0;
    if (!T) return 0;
    for (uint64_t pg = 0; pg < T->npages && n < max; pg++) {
        rv_pc_page *page = T->pcpage[pg];
        if (!page) continue;
        for (unsigned i = 0; i < RV_SLOTS_PER_PAGE && n < max; i++) {
            if (!page->rec[i][RV_PC_COUNT]) continue;
            pcs[n] = T->mem_base + (pg << RV_PAGE_BITS) + ((uint64_t)i << 1);
            memset(&stats[n], 0, sizeof stats[n]);
            stats[n].count = page->rec[i][RV_PC_COUNT];
            stats[n].cycles = page->rec[i][RV_PC_CYCLES];
            for (unsigned c = 0; c < RV_STALL_COUNT; c++)
                stats[n].stall[c] = page->rec[i][c];
            n++;
        }
    }
    return n;
}

int rv_timing_trace(rv_machine *m, rv_timing_trace_rec *buffer, uint64_t capacity)
{
    if (!m->timing) return -1;
    m->timing->trace = buffer;
    m->timing->trace_cap = buffer ? capacity : 0;
    m->timing->trace_used = 0;
    return 0;
}

uint64_t rv_timing_trace_used(rv_machine *m) { return m->timing ? m->timing->trace_used : 0; }

void rv_timing_trace_clear(rv_machine *m) { if (m->timing) m->timing->trace_used = 0; }
