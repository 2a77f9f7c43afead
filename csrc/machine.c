/* Machine state outside the hot loop: creation, guest memory and its slow paths, the decode cache's
   pages, CSRs, traps and breakpoints. */
#include <fenv.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "core.h"
#include "jit.h"

/* ---------------------------------------------------------------- creation */

rv_machine *rv_create(const rv_config *config, char *error, size_t error_size)
{
    rv_config c = *config;
    if (c.mem_size == 0 || (c.mem_size & (RV_PAGE_SIZE - 1)) || (c.mem_base & (RV_PAGE_SIZE - 1))) {
        snprintf(error, error_size, "memory window must be a non-empty multiple of 4 KiB, page aligned");
        return NULL;
    }
    if (c.mem_base + c.mem_size < c.mem_base) {
        snprintf(error, error_size, "memory window wraps around the address space");
        return NULL;
    }
    if (c.vlen < 64 || c.vlen > 65536 || (c.vlen & (c.vlen - 1))) {
        snprintf(error, error_size, "VLEN must be a power of two from 64 to 65536 bits");
        return NULL;
    }
    if (c.extensions & RV_EXT_ZVT) {
        if (c.tile_te == 0)
            c.tile_te = c.vlen / 4 < 32 ? c.vlen / 4 : 32;
        if (c.tile_te < 4 || c.tile_te > c.vlen / 4 || c.tile_te > 1024 || (c.tile_te & (c.tile_te - 1))) {
            snprintf(error, error_size, "Zvt tile size TE must be a power of two from 4 to min(VLEN/4, 1024)");
            return NULL;
        }
    } else {
        c.tile_te = 0;
    }
    rv_machine *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(error, error_size, "out of host memory");
        return NULL;
    }
    m->cfg = c;
    m->npages = c.mem_size >> RV_PAGE_BITS;
    /* reserve the whole window; the host commits pages only when the guest touches them */
    m->mem = mmap(NULL, c.mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                  -1, 0);
    m->page_flags = calloc(m->npages, 1);
    m->code = calloc(m->npages, sizeof *m->code);
    m->vreg = calloc(32, c.vlen / 8);
    if (c.tile_te)
        m->tiles = calloc(16, (size_t)c.tile_te * c.tile_te);
    if (m->mem == MAP_FAILED || !m->page_flags || !m->code || !m->vreg || (c.tile_te && !m->tiles)) {
        if (m->mem == MAP_FAILED)
            m->mem = NULL;
        snprintf(error, error_size, "cannot reserve %llu bytes of guest memory",
                 (unsigned long long)c.mem_size);
        rv_destroy(m);
        return NULL;
    }
    rv_hart_state *h = &m->h;
    h->priv = PRIV_M;
    h->reservation = ~0ull;
    /* misa: MXL (1: 32-bit, 2: 64-bit) and the single-letter extensions; U-mode is always there */
    const int rv32 = (c.flags & RV_CFG_XLEN32) != 0;
    h->misa = (rv32 ? 1ull << 30 : 2ull << 62) | 1u << ('U' - 'A');
    const char letters[] = "IMAFDCV";
    const uint64_t bits[] = {RV_EXT_I, RV_EXT_M, RV_EXT_A, RV_EXT_F, RV_EXT_D, RV_EXT_C, RV_EXT_V};
    for (int i = 0; letters[i]; i++)
        if (c.extensions & bits[i])
            h->misa |= 1ull << (letters[i] - 'A');
    /* an embedded vector subset is not V: "misa.v is set for implementations ... supporting V"
       (v-st-ext.adoc); the subsets keep RV_EXT_V as the vector unit's decode bit (rvsim.isa.ZVE) */
    if (c.extensions & RV_EXT_ZVE32X)
        h->misa &= ~(1ull << ('V' - 'A'));
    h->mstatus = rv32 ? 0 : MSTATUS_UXL & (2ull << 32);     /* RV32 has no UXL: U-mode is 32-bit too */
    h->vlenb = c.vlen / 8;
    h->vtype = 1ull << 63;      /* vill until the first vsetvl */
    m->mem_bias = (uintptr_t)m->mem - (uintptr_t)c.mem_base;
    rv_tlb_flush(m);
    if (!rv32)
        m->jit = rv_jit_new();
    return m;
}

void rv_destroy(rv_machine *m)
{
    if (!m)
        return;
    if (m->code) {
        for (uint64_t i = 0; i < m->npages; i++)
            free(m->code[i]);
        free(m->code);
    }
    if (m->mem)
        munmap(m->mem, m->cfg.mem_size);
    free(m->page_flags);
    free(m->vreg);
    free(m->tiles);
    rv_timing_destroy(m);
    rv_hist_destroy(m);
    rv_jit_free(m->jit);
    free(m);
}

rv_hart_state *rv_hart(rv_machine *m) { return &m->h; }
uint8_t *rv_vregs(rv_machine *m) { return m->vreg; }
uint8_t *rv_memory(rv_machine *m) { return m->mem; }
uint8_t *rv_tiles(rv_machine *m) { return m->tiles; }
uint32_t rv_tile_te(rv_machine *m) { return m->cfg.tile_te; }

/* ---------------------------------------------------------------- memory */

static int window_range(rv_machine *m, uint64_t addr, uint64_t size, uint64_t *first, uint64_t *end)
{
    uint64_t off = addr - m->cfg.mem_base;
    if (addr < m->cfg.mem_base || off > m->cfg.mem_size || size > m->cfg.mem_size - off)
        return -1;
    *first = off >> RV_PAGE_BITS;
    *end = (off + size + RV_PAGE_SIZE - 1) >> RV_PAGE_BITS;
    return 0;
}

int rv_map(rv_machine *m, uint64_t addr, uint64_t size, unsigned perms)
{
    uint64_t first, end;
    if (window_range(m, addr, size, &first, &end))
        return -1;
    if (m->hist)
        rv_hist_host_map(m, first, end);
    for (uint64_t p = first; p < end; p++) {
        unsigned keep = m->page_flags[p] & (RV_PAGE_CODE | RV_PAGE_WATCH);
        m->page_flags[p] = (uint8_t)((perms & 7) | keep);
        if (m->code[p])
            rv_invalidate_code_page(m, p);   /* fetch permission may have changed */
    }
    rv_tlb_flush(m);
    return 0;
}

unsigned rv_page_perms(rv_machine *m, uint64_t addr)
{
    uint64_t pg = (addr - m->cfg.mem_base) >> RV_PAGE_BITS;
    return pg < m->npages ? m->page_flags[pg] & 7u : 0;
}

const uint8_t *rv_page_flags(rv_machine *m)
{
    return m->page_flags;
}

void rv_tlb_flush(rv_machine *m)
{
    for (unsigned i = 0; i < RV_TLB_SIZE; i++) {
        m->tlb_load[i] = RV_TLB_EMPTY;
        m->tlb_store[i] = RV_TLB_EMPTY;
    }
}

/* After a slow-path access succeeded: let later accesses to the page take the fast path if the page
   needs no checks beyond its permission (flags: what the page must not have besides `need`). */
static void tlb_fill(rv_machine *m, uint64_t *table, uint64_t addr, unsigned need, unsigned reject)
{
    uint64_t pg = (addr - m->cfg.mem_base) >> RV_PAGE_BITS;
    if (addr < m->cfg.mem_base || pg >= m->npages || (m->page_flags[pg] & (need | reject)) != need)
        return;
    table[RV_TLB_INDEX(addr)] = addr & ~(uint64_t)(RV_PAGE_SIZE - 1);
}

static void invalidate_range(rv_machine *m, uint64_t first, uint64_t end)
{
    /* an instruction that starts on the previous page may extend into this one */
    if (first > 0)
        first--;
    for (uint64_t p = first; p < end; p++)
        if (m->code[p])
            rv_invalidate_code_page(m, p);
}

int rv_read_memory(rv_machine *m, uint64_t addr, void *dst, uint64_t size)
{
    uint64_t first, end;
    if (window_range(m, addr, size, &first, &end))
        return -1;
    memcpy(dst, m->mem + (addr - m->cfg.mem_base), size);
    return 0;
}

int rv_write_memory(rv_machine *m, uint64_t addr, const void *src, uint64_t size)
{
    uint64_t first, end;
    if (window_range(m, addr, size, &first, &end))
        return -1;
    if (m->hist)
        rv_hist_host_write(m, addr, size);
    memcpy(m->mem + (addr - m->cfg.mem_base), src, size);
    invalidate_range(m, first, end);
    return 0;
}

/* Check that every byte of [addr, addr+size) is in the window and has permission `need`.  If not,
   *denied (when given) gets the first byte that fails: for a misaligned access that runs into a bad
   page, mtval must be the address of the part that faulted, not the start of the access. */
static int accessible(rv_machine *m, uint64_t addr, unsigned size, unsigned need, uint64_t *denied)
{
    for (unsigned i = 0; i < size; i++) {
        uint64_t pg = (addr + i - m->cfg.mem_base) >> RV_PAGE_BITS;
        if (pg >= m->npages || !(m->page_flags[pg] & need)) {
            if (denied)
                *denied = addr + i;
            return 0;
        }
        /* skip to the page's last byte we need */
        uint64_t page_end = ((addr + i) | (RV_PAGE_SIZE - 1)) - addr;
        if (page_end > i)
            i = (unsigned)(page_end < size ? page_end : size - 1);
    }
    return 1;
}

int rv_load_slow(rv_machine *m, uint64_t addr, unsigned size, uint64_t *value, uint64_t *tval)
{
    *tval = addr;
    if ((addr & (size - 1)) && (m->cfg.flags & RV_CFG_TRAP_MISALIGNED))
        return CAUSE_MISALIGNED_LOAD;
    if (!accessible(m, addr, size, RV_PERM_R, tval))
        return CAUSE_LOAD_ACCESS;
    RV_HIST_LOAD(m, addr, size);
    uint64_t v = 0;
    memcpy(&v, m->mem + (addr - m->cfg.mem_base), size);   /* little-endian host */
    *value = v;
    tlb_fill(m, m->tlb_load, addr, RV_PERM_R, 0);
    return 0;
}

static int store_slow(rv_machine *m, uint64_t addr, unsigned size, uint64_t value, uint64_t *tval, int *htif,
                      int log)
{
    *tval = addr;
    if ((addr & (size - 1)) && (m->cfg.flags & RV_CFG_TRAP_MISALIGNED))
        return CAUSE_MISALIGNED_STORE;
    if (!accessible(m, addr, size, RV_PERM_W, tval))
        return CAUSE_STORE_ACCESS;
    if (log)
        RV_HIST_STORE(m, addr, size);
    uint64_t off = addr - m->cfg.mem_base;
    memcpy(m->mem + off, &value, size);
    uint64_t first = off >> RV_PAGE_BITS, last = (off + size - 1) >> RV_PAGE_BITS;
    for (uint64_t p = first; p <= last; p++) {
        if (m->page_flags[p] & RV_PAGE_CODE)
            invalidate_range(m, p, p + 1);
    }
    if (m->tohost && addr < m->tohost + 8 && m->tohost < addr + size) {
        uint64_t v;
        memcpy(&v, m->mem + (m->tohost - m->cfg.mem_base), 8);
        if (v) {
            if (m->hist)
                rv_hist_hart_word(m, &m->h.htif_value);
            m->h.htif_value = v;
            *htif = 1;
        }
    }
    tlb_fill(m, m->tlb_store, addr, RV_PERM_W, RV_PAGE_CODE | RV_PAGE_WATCH);
    return 0;
}

int rv_store_slow(rv_machine *m, uint64_t addr, unsigned size, uint64_t value, uint64_t *tval, int *htif)
{
    return store_slow(m, addr, size, value, tval, htif, 1);
}

int rv_store_slow_logged(rv_machine *m, uint64_t addr, unsigned size, uint64_t value, uint64_t *tval, int *htif)
{
    return store_slow(m, addr, size, value, tval, htif, 0);
}

void rv_set_tohost(rv_machine *m, uint64_t addr)
{
    uint64_t first, end;
    if (m->tohost && !window_range(m, m->tohost, 8, &first, &end))
        for (uint64_t p = first; p < end; p++)
            m->page_flags[p] &= (uint8_t)~RV_PAGE_WATCH;
    m->tohost = 0;
    if (addr && !window_range(m, addr, 8, &first, &end)) {
        m->tohost = addr;
        for (uint64_t p = first; p < end; p++)
            m->page_flags[p] |= RV_PAGE_WATCH;
    }
    rv_tlb_flush(m);
}

/* ---------------------------------------------------------------- decode cache */

rv_code_page *rv_code_page_for(rv_machine *m, uint64_t pg)
{
    if (!m->code[pg]) {
        rv_code_page *page = malloc(sizeof *page);
        if (!page)
            return NULL;
        rv_init_code_page(m, page, m->cfg.mem_base + (pg << RV_PAGE_BITS));
        m->code[pg] = page;
        m->page_flags[pg] |= RV_PAGE_CODE;
        /* stores to it must now take the slow path, which invalidates decoded instructions */
        uint64_t *t = &m->tlb_store[RV_TLB_INDEX(page->vaddr)];
        if (*t == page->vaddr)
            *t = RV_TLB_EMPTY;
    }
    return m->code[pg];
}

void rv_invalidate_code_page(rv_machine *m, uint64_t pg)
{
    rv_reset_code_page(m, m->code[pg]);
}

void rv_flush_decode_cache(rv_machine *m)
{
    if (!m->labels)
        return;     /* nothing has been decoded yet */
    for (uint64_t p = 0; p < m->npages; p++)
        if (m->code[p])
            rv_invalidate_code_page(m, p);
}

/* The upper half of an instruction that straddles a page boundary lies on a page that may hold no
   decoded instruction of its own.  Stores there must still take the slow path, whose invalidation
   also covers the previous page (invalidate_range), or a patched upper half would go unnoticed. */
static void mark_code_tail(rv_machine *m, uint64_t addr)
{
    uint64_t pg = (addr - m->cfg.mem_base) >> RV_PAGE_BITS;
    if (m->page_flags[pg] & RV_PAGE_CODE)
        return;
    m->page_flags[pg] |= RV_PAGE_CODE;
    uint64_t *t = &m->tlb_store[RV_TLB_INDEX(addr)];
    if (*t == (addr & ~(uint64_t)(RV_PAGE_SIZE - 1)))
        *t = RV_TLB_EMPTY;
}

int rv_fetch_word(rv_machine *m, uint64_t pc, uint32_t *word, uint64_t *fault_addr)
{
    uint16_t lo, hi;
    *fault_addr = pc;
    if (!accessible(m, pc, 2, RV_PERM_X, NULL))
        return CAUSE_FETCH_ACCESS;
    memcpy(&lo, m->mem + (pc - m->cfg.mem_base), 2);
    if ((lo & 3) != 3) {
        *word = lo;
        return 0;
    }
    if (!accessible(m, pc + 2, 2, RV_PERM_X, NULL)) {
        *fault_addr = pc + 2;
        return CAUSE_FETCH_ACCESS;
    }
    memcpy(&hi, m->mem + (pc + 2 - m->cfg.mem_base), 2);
    *word = (uint32_t)lo | (uint32_t)hi << 16;
    if (!((pc + 2) & (RV_PAGE_SIZE - 1)))
        mark_code_tail(m, pc + 2);
    return 0;
}

int rv_decode_op(rv_machine *m, uint32_t word)
{
    rv_insn_t d;
    memset(&d, 0, sizeof d);
    return rv_decode_word(word, m->cfg.extensions | ((m->cfg.flags & RV_CFG_XLEN32) ? RV_DECODE_RV32 : 0), &d);
}

const char *rv_op_name(int op)
{
    return (op >= 0 && op < RV_OP_COUNT) ? rv_op_mnemonic[op] : "(invalid)";
}

/* ---------------------------------------------------------------- breakpoints */

static void invalidate_pc(rv_machine *m, uint64_t pc)
{
    uint64_t pg = (pc - m->cfg.mem_base) >> RV_PAGE_BITS;
    if (pg < m->npages && m->code[pg])
        rv_reset_slot(m, &m->code[pg]->slot[((pc - m->cfg.mem_base) & (RV_PAGE_SIZE - 1)) >> 1]);
}

int rv_is_breakpoint(rv_machine *m, uint64_t pc)
{
    for (int i = 0; i < m->nbreakpoints; i++)
        if (m->breakpoints[i] == pc)
            return 1;
    return 0;
}

int rv_page_has_breakpoint(rv_machine *m, uint64_t vaddr)
{
    for (int i = 0; i < m->nbreakpoints; i++)
        if (m->breakpoints[i] - vaddr < RV_PAGE_SIZE)
            return 1;
    return 0;
}

int rv_add_breakpoint(rv_machine *m, uint64_t addr)
{
    if (rv_is_breakpoint(m, addr))
        return 0;
    if (m->nbreakpoints == RV_MAX_BREAKPOINTS)
        return -1;
    m->breakpoints[m->nbreakpoints++] = addr;
    invalidate_pc(m, addr);
    return 0;
}

int rv_remove_breakpoint(rv_machine *m, uint64_t addr)
{
    for (int i = 0; i < m->nbreakpoints; i++) {
        if (m->breakpoints[i] == addr) {
            m->breakpoints[i] = m->breakpoints[--m->nbreakpoints];
            invalidate_pc(m, addr);
            return 0;
        }
    }
    return -1;
}

/* ---------------------------------------------------------------- traps */

int rv_take_trap(rv_machine *m, uint64_t cause, uint64_t tval)
{
    rv_hart_state *h = &m->h;
    h->reservation = ~0ull;
    if ((m->cfg.flags & RV_CFG_STOP_ON_TRAP) || h->mtvec == 0) {
        h->trap_cause = cause;
        h->trap_tval = tval;
        h->trap_pc = h->pc;
        return RV_STOP_TRAP;
    }
    uint64_t vector = h->mtvec & ~3ull;
    if ((cause == CAUSE_FETCH_ACCESS || cause == CAUSE_MISALIGNED_FETCH) && h->pc == vector) {
        /* the handler itself cannot be fetched: report instead of trapping forever */
        h->trap_cause = cause;
        h->trap_tval = tval;
        h->trap_pc = h->pc;
        snprintf(h->error, sizeof h->error, "trap vector mtvec=0x%llx cannot be fetched",
                 (unsigned long long)h->mtvec);
        return RV_STOP_ERROR;
    }
    h->mepc = h->pc;
    h->mcause = cause;
    h->mtval = tval;
    uint64_t s = h->mstatus;
    s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
    s &= ~MSTATUS_MIE;
    s = (s & ~MSTATUS_MPP) | ((uint64_t)h->priv << 11);
    h->mstatus = s;
    h->priv = PRIV_M;
    h->pc = vector;
    return 0;
}

int rv_raise_trap(rv_machine *m, uint64_t cause, uint64_t tval)
{
    return rv_take_trap(m, cause, tval);
}

void rv_mret(rv_machine *m)
{
    rv_hart_state *h = &m->h;
    uint64_t s = h->mstatus;
    unsigned mpp = (unsigned)((s & MSTATUS_MPP) >> 11);
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s &= ~MSTATUS_MPP;              /* MPP becomes the least-privileged mode, U */
    if (mpp != PRIV_M)
        s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->priv = mpp;
    h->reservation = ~0ull;
    h->pc = h->mepc & ((m->cfg.extensions & RV_EXT_C) ? ~1ull : ~3ull);
}

/* ---------------------------------------------------------------- CSRs */

/* While rv_run executes, f32/f64 arithmetic in round-to-nearest runs on the host FPU and its sticky
   exception flags are the guest's accrued flags; outside rv_run they belong to the host program. */
static void accrue_host_fflags(rv_machine *m)
{
    if (!m->running)
        return;
    int fe = fetestexcept(FE_ALL_EXCEPT);
    m->h.fflags |= ((fe & FE_INEXACT) ? 1u : 0) | ((fe & FE_UNDERFLOW) ? 2u : 0) |
                   ((fe & FE_OVERFLOW) ? 4u : 0) | ((fe & FE_DIVBYZERO) ? 8u : 0) |
                   ((fe & FE_INVALID) ? 16u : 0);
    feclearexcept(FE_ALL_EXCEPT);
}

#define CSR_FFLAGS 0x001
#define CSR_FRM 0x002
#define CSR_FCSR 0x003
#define CSR_VSTART 0x008
#define CSR_VXSAT 0x009
#define CSR_VXRM 0x00a
#define CSR_VCSR 0x00f
#define CSR_SATP 0x180
#define CSR_MSTATUS 0x300
#define CSR_MISA 0x301
#define CSR_MEDELEG 0x302
#define CSR_MIDELEG 0x303
#define CSR_MIE 0x304
#define CSR_MTVEC 0x305
#define CSR_MCOUNTEREN 0x306
#define CSR_MENVCFG 0x30a
#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MSCRATCH 0x340
#define CSR_MEPC 0x341
#define CSR_MCAUSE 0x342
#define CSR_MTVAL 0x343
#define CSR_MIP 0x344
#define CSR_PMPCFG0 0x3a0
#define CSR_PMPADDR0 0x3b0
#define CSR_MSECCFG 0x747
#define CSR_TSELECT 0x7a0
#define CSR_TDATA1 0x7a1
#define CSR_TDATA2 0x7a2
#define CSR_MCYCLE 0xb00
#define CSR_MINSTRET 0xb02
#define CSR_CYCLE 0xc00
#define CSR_TIME 0xc01
#define CSR_INSTRET 0xc02
#define CSR_VL 0xc20
#define CSR_VTYPE 0xc21
#define CSR_VLENB 0xc22
#define CSR_MTYPE 0xc23
#define CSR_MVENDORID 0xf11
#define CSR_MARCHID 0xf12
#define CSR_MIMPID 0xf13
#define CSR_MHARTID 0xf14
#define CSR_MCONFIGPTR 0xf15

/* The time CSR ticks once per 100 retired instructions: a 10 MHz timer beside a nominal 1 GHz,
   one-instruction-per-cycle core, and deterministic across runs and hosts. */
#define RV_TIME_DIVISOR 100


/* One CSR as RV64 sees it (rv_csr_access below adapts it to RV32). */
static int csr_access64(rv_machine *m, unsigned csr, int write, uint64_t wv, uint64_t *rv)
{
    rv_hart_state *h = &m->h;
    const int has_f = (m->cfg.extensions & RV_EXT_F) != 0;
    const int has_v = (m->cfg.extensions & RV_EXT_V) != 0;
    uint64_t v = 0;

    switch (csr) {
    case CSR_FFLAGS: case CSR_FRM: case CSR_FCSR:
        if (!has_f)
            return -1;
        accrue_host_fflags(m);
        v = csr == CSR_FFLAGS ? h->fflags : csr == CSR_FRM ? h->frm : (h->frm << 5 | h->fflags);
        if (write) {
            if (csr == CSR_FFLAGS) h->fflags = wv & 0x1f;
            else if (csr == CSR_FRM) h->frm = wv & 7;
            else { h->fflags = wv & 0x1f; h->frm = (wv >> 5) & 7; }
            h->mstatus |= MSTATUS_FS_DIRTY;
        }
        break;
    case CSR_VSTART: case CSR_VXSAT: case CSR_VXRM: case CSR_VCSR:
        if (!has_v)
            return -1;
        v = csr == CSR_VSTART ? h->vstart : csr == CSR_VXSAT ? h->vxsat : csr == CSR_VXRM ? h->vxrm
                                                                        : (h->vxrm << 1 | h->vxsat);
        if (write) {
            if (csr == CSR_VSTART) h->vstart = wv & (m->cfg.vlen * 8 - 1);
            else if (csr == CSR_VXSAT) h->vxsat = wv & 1;
            else if (csr == CSR_VXRM) h->vxrm = wv & 3;
            else { h->vxsat = wv & 1; h->vxrm = (wv >> 1) & 3; }
            h->mstatus |= MSTATUS_VS_DIRTY;
        }
        break;
    case CSR_VL: case CSR_VTYPE: case CSR_VLENB:
        if (!has_v)
            return -1;
        v = csr == CSR_VL ? h->vl : csr == CSR_VTYPE ? h->vtype : h->vlenb;
        break;
    case CSR_MTYPE:                 /* Zvt: read-only, written by msetmtype[i]/msettm/msettk */
        if (!(m->cfg.extensions & RV_EXT_ZVT))
            return -1;
        v = h->mtype;
        break;
    case CSR_SATP:
        v = 0;                      /* Bare only: WARL, writes are ignored */
        break;
    case CSR_MSTATUS: {
        uint64_t s = h->mstatus;
        int dirty = (s & MSTATUS_FS) == MSTATUS_FS || (s & MSTATUS_VS) == MSTATUS_VS ||
                    (s & MSTATUS_MS) == MSTATUS_MS;
        v = s | (dirty ? MSTATUS_SD : 0);
        if (write) {
            uint64_t mask = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPRV | MSTATUS_TW | MSTATUS_MPP;
            if (has_f) mask |= MSTATUS_FS;
            if (has_v) mask |= MSTATUS_VS;
            if (m->cfg.extensions & RV_EXT_ZVT) mask |= MSTATUS_MS;
            uint64_t n = (s & ~mask) | (wv & mask);
            unsigned mpp = (unsigned)((n & MSTATUS_MPP) >> 11);
            if (mpp != PRIV_M && mpp != PRIV_U)      /* WARL: only M and U exist */
                n = (n & ~MSTATUS_MPP) | (s & MSTATUS_MPP);
            /* FP/vector instructions are decoded as illegal while FS/VS is Off */
            if (!(n & MSTATUS_FS) != !(s & MSTATUS_FS) || !(n & MSTATUS_VS) != !(s & MSTATUS_VS))
                rv_flush_decode_cache(m);
            h->mstatus = n;
        }
        break;
    }
    case CSR_MISA: v = h->misa; break;                  /* WARL, fixed */
    case CSR_MEDELEG: case CSR_MIDELEG: v = 0; break;   /* no S-mode to delegate to */
    case CSR_MIE:
        v = h->mie;
        if (write) h->mie = wv & 0x888;                 /* MSIE, MTIE, MEIE */
        break;
    case CSR_MIP: v = h->mip; break;                    /* no writable pending bits without S-mode */
    case CSR_MTVEC:
        v = h->mtvec;
        if (write) h->mtvec = (wv & 3) >= 2 ? (wv & ~3ull) : (wv & ~2ull);
        break;
    case CSR_MCOUNTEREN:
        v = h->mcounteren;
        if (write) h->mcounteren = wv & 0xffffffffull;
        break;
    case CSR_MENVCFG: v = h->menvcfg; break;            /* no optional features to enable */
    case CSR_MSECCFG: v = h->mseccfg; break;
    case CSR_MCOUNTINHIBIT: v = 0; break;               /* counters always count */
    case CSR_MSCRATCH: v = h->mscratch; if (write) h->mscratch = wv; break;
    case CSR_MEPC:
        v = h->mepc & ((m->cfg.extensions & RV_EXT_C) ? ~1ull : ~3ull);
        if (write) h->mepc = wv & ~1ull;
        break;
    case CSR_MCAUSE: v = h->mcause; if (write) h->mcause = wv; break;
    case CSR_MTVAL: v = h->mtval; if (write) h->mtval = wv; break;
    case CSR_TSELECT: v = 0; break;                     /* no triggers: tselect 0, tdata1 type 0 */
    case CSR_TDATA1: case CSR_TDATA2: v = 0; break;
    case CSR_MCYCLE: case CSR_CYCLE:
        /* functional mode counts one cycle per instruction; the cycle model keeps its own clock */
        v = (m->timing ? rv_timing_now(m) : h->instret) + m->cycle_offset;
        if (write) m->cycle_offset = wv - (m->timing ? rv_timing_now(m) : h->instret);
        break;
    case CSR_MINSTRET: case CSR_INSTRET:
        v = h->instret;
        if (write) {
            if (!m->timing)
                m->cycle_offset += h->instret - wv; /* mcycle is derived from instret: keep it */
            h->instret = wv;
        }
        break;
    case CSR_TIME: v = h->instret / RV_TIME_DIVISOR; break;
    case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MHARTID: case CSR_MCONFIGPTR:
        v = 0;
        break;
    default:
        if (csr >= CSR_PMPCFG0 && csr < CSR_PMPCFG0 + 16) {
            if (csr & 1)
                return -1;                              /* RV64 has only the even pmpcfg registers */
            unsigned i = csr - CSR_PMPCFG0;
            v = h->pmpcfg[i];
            if (write) {
                /* WARL: locked entries keep their value; the reserved W-without-R combination is
                   stored as no access */
                uint64_t n = 0;
                for (int b = 0; b < 8; b++) {
                    uint8_t old = (uint8_t)(v >> (8 * b)), cfg = (uint8_t)(wv >> (8 * b));
                    if (old & 0x80)
                        cfg = old;
                    else if ((cfg & 3) == 2)
                        cfg &= (uint8_t)~3;
                    n |= (uint64_t)(cfg & 0x9f) << (8 * b);
                }
                h->pmpcfg[i] = n;
            }
        } else if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + 64) {
            unsigned i = csr - CSR_PMPADDR0;
            v = h->pmpaddr[i];
            unsigned cfg = (unsigned)(h->pmpcfg[(i / 8) * 2] >> (8 * (i % 8))) & 0xff;
            if (write && !(cfg & 0x80))
                h->pmpaddr[i] = wv & ((1ull << 54) - 1);
        } else if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xc03 && csr <= 0xc1f) ||
                   (csr >= 0x323 && csr <= 0x33f)) {
            v = 0;      /* hpm counters and events: present, hard-wired to zero */
        } else {
            return -1;
        }
    }
    if (rv)
        *rv = v;
    return 0;
}

/* RV32: CSRs are 32 bits wide.  The core keeps every CSR at its RV64 width; an RV32 CSR is the low half
   (a write keeps the high half), the high halves of the 64-bit ones are CSRs of their own (mstatush,
   menvcfgh, mseccfgh, cycleh/timeh/instreth, mcycleh/minstreth, the hpm counters' ...h), and pmpcfgN
   holds 4 entries (the odd ones exist).  The flag in bit 63 of mstatus (SD) and vtype (vill) moves to
   bit 31. */
static int csr_access32(rv_machine *m, unsigned csr, int write, uint64_t wv, uint64_t *rv)
{
    const uint64_t lo = 0xffffffffull;
    unsigned base = 0;
    if (csr == CSR_MSTATUS + 0x10 || csr == CSR_MENVCFG + 0x10 || csr == CSR_MSECCFG + 0x10)
        base = csr - 0x10;
    else if ((csr >= 0xb80 && csr <= 0xb9f) || (csr >= 0xc80 && csr <= 0xc9f))
        base = csr - 0x80;
    if (base) {
        uint64_t full;
        if (csr_access64(m, base, 0, 0, &full))
            return -1;
        if (write)
            csr_access64(m, base, 1, (full & lo) | (wv & lo) << 32, NULL);
        if (rv)
            *rv = (full >> 32) & (base == CSR_MSTATUS ? 0x30 : lo);    /* mstatush: SBE, MBE */
        return 0;
    }
    if (csr >= CSR_PMPCFG0 && csr < CSR_PMPCFG0 + 16) {
        unsigned even = csr & ~1u, shift = 32 * (csr & 1);
        uint64_t full;
        if (csr_access64(m, even, 0, 0, &full))
            return -1;
        if (write)
            csr_access64(m, even, 1, (full & ~(lo << shift)) | (wv & lo) << shift, NULL);
        if (rv)
            *rv = (full >> shift) & lo;
        return 0;
    }
    uint64_t full;
    if (csr_access64(m, csr, 0, 0, &full))
        return -1;
    if (write)
        csr_access64(m, csr, 1, (full & ~lo) | (wv & lo), NULL);
    if (rv) {
        uint64_t v = full & lo;
        if (csr == CSR_MSTATUS || csr == CSR_VTYPE)
            v |= (full >> 63) << 31;
        *rv = v;
    }
    return 0;
}

/* Read (and, when write is set, then write) one CSR as the host or an instruction sees it.
   Returns 0, or -1 when the CSR does not exist on this machine. */
int rv_csr_access(rv_machine *m, unsigned csr, int write, uint64_t wv, uint64_t *rv)
{
    if (m->cfg.flags & RV_CFG_XLEN32)
        return csr_access32(m, csr, write, wv, rv);
    return csr_access64(m, csr, write, wv, rv);
}

int rv_csr_instruction(rv_machine *m, unsigned csr, int kind, uint64_t src, int writes, uint64_t *old)
{
    rv_hart_state *h = &m->h;
    unsigned min_priv = (csr >> 8) & 3;
    int read_only = (csr >> 10) == 3;
    if (h->priv < min_priv || (writes && read_only))
        return -1;
    /* user-mode counter access is gated by mcounteren */
    if (h->priv == PRIV_U && csr >= CSR_CYCLE && csr <= 0xc1f && !((h->mcounteren >> (csr - CSR_CYCLE)) & 1))
        return -1;
    const int rv32 = (m->cfg.flags & RV_CFG_XLEN32) != 0;
    if (rv32 && h->priv == PRIV_U && csr >= 0xc80 && csr <= 0xc9f && !((h->mcounteren >> (csr - 0xc80)) & 1))
        return -1;
    /* FP CSRs are inaccessible while mstatus.FS is Off (likewise vector CSRs and VS) */
    if (csr <= CSR_FCSR && csr >= CSR_FFLAGS && !(h->mstatus & MSTATUS_FS))
        return -1;
    if (((csr >= CSR_VSTART && csr <= CSR_VCSR) || (csr >= CSR_VL && csr <= CSR_MTYPE)) &&
        !(h->mstatus & MSTATUS_VS))
        return -1;
    uint64_t cur;
    if (rv_csr_access(m, csr, 0, 0, &cur))
        return -1;
    if (writes) {
        uint64_t n = kind == 1 ? src : kind == 2 ? (cur | src) : (cur & ~src);
        rv_csr_access(m, csr, 1, n, NULL);
        /* zicsr: an explicit write replaces the counter's own update by this instruction, so the
           next instruction reads the value written.  Only instruction writes do this (a host write
           is not followed by a retirement): minstret skips this instruction (CSR_OP), mcycle
           starts one lower to absorb this instruction's cycle. */
        unsigned counter = rv32 && (csr == CSR_MINSTRET + 0x80 || csr == CSR_MCYCLE + 0x80) ? csr - 0x80 : csr;
        if (counter == CSR_MINSTRET) {
            m->counter_written = 1;
            m->cycle_offset++;          /* the cycle still passes although instret skips it */
        } else if (counter == CSR_MCYCLE) {
            m->cycle_offset--;
        }
    }
    *old = rv32 ? (uint64_t)(int64_t)(int32_t)cur : cur;     /* RV32 registers hold values sign-extended */
    return 0;
}

int rv_csr_read(rv_machine *m, unsigned csr, uint64_t *value)
{
    return rv_csr_access(m, csr, 0, 0, value);
}

int rv_csr_write(rv_machine *m, unsigned csr, uint64_t value)
{
    uint64_t ignored;
    return rv_csr_access(m, csr, 1, value, &ignored);
}
