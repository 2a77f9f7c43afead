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
 * Hooks: RV_HOOK_RETIRE(e) runs as each instruction retires and RV_HOOK_STORE(addr, size) before each
 * store to guest memory.  They are empty here.  A timing model (or a bounded undo log for reverse
 * stepping) compiles this loop a second time with them defined, rather than testing a flag per
 * instruction; since decode-cache slots hold label addresses of the loop that decoded them, switching
 * between loop variants flushes the decode cache.
 */
#include <fenv.h>
#include <math.h>
#include "core.h"
#include "fp.h"
#include "vector.h"

enum { RV_LABEL_DECODE = RV_OP_COUNT, RV_LABEL_NEXT_PAGE, RV_LABEL_BREAKPOINT, RV_LABEL_COUNT };

const void *const *rv_fast_labels;

/* Send a slot back to the decoder.  Only the handler changes: an instruction that invalidates its own
   slot (a store into its page, fence.i) still finishes with its decoded fields. */
void rv_reset_slot(rv_insn_t *slot)
{
    slot->handler = rv_fast_labels[RV_LABEL_DECODE];
}

void rv_init_code_page(rv_code_page *page, uint64_t vaddr)
{
    memset(page, 0, sizeof *page);
    page->vaddr = vaddr;
    for (int i = 0; i < RV_SLOTS_PER_PAGE; i++)
        page->slot[i].handler = rv_fast_labels[RV_LABEL_DECODE];
    page->slot[RV_SLOTS_PER_PAGE].handler = rv_fast_labels[RV_LABEL_NEXT_PAGE];
    page->slot[RV_SLOTS_PER_PAGE + 1].handler = rv_fast_labels[RV_LABEL_NEXT_PAGE];
}

#ifndef RV_HOOK_RETIRE
#define RV_HOOK_RETIRE(e) ((void)0)
#endif
#ifndef RV_HOOK_STORE
#define RV_HOOK_STORE(addr, size) ((void)0)
#endif

int rv_run(rv_machine *m, uint64_t max_instructions)
{
    static const void *labels[RV_LABEL_COUNT];
    static const void *labels_compressed[RV_OP_COUNT];
    if (unlikely(!rv_fast_labels)) {
        for (unsigned i = 0; i < RV_LABEL_COUNT; i++)
            labels[i] = &&L_ILLEGAL;
#define RV_SET_LABEL(name) labels[RV_OP_##name] = &&L_##name;
        RV_FOR_EACH_EXEC_OP(RV_SET_LABEL)
#undef RV_SET_LABEL
        for (unsigned i = 0; i < RV_OP_COUNT; i++)
            labels_compressed[i] = &&L_ILLEGAL;
#define RV_SET_LABEL(name) labels_compressed[RV_OP_##name] = &&LC_##name;
        RV_FOR_EACH_EXEC_OP(RV_SET_LABEL)
#undef RV_SET_LABEL
        labels[RV_LABEL_DECODE] = &&L_DECODE;
        labels[RV_LABEL_NEXT_PAGE] = &&L_NEXT_PAGE;
        labels[RV_LABEL_BREAKPOINT] = &&L_BREAKPOINT;
        rv_fast_labels = labels;
    }
    if (max_instructions == 0)
        return RV_STOP_LIMIT;
    if (max_instructions > (uint64_t)INT64_MAX)
        max_instructions = INT64_MAX;

    rv_hart_state *const h = &m->h;
    uint64_t *const x = h->x;
    uint64_t *const f __attribute__((unused)) = h->f;   /* exec_fp.inc addresses h->f directly */
    uint8_t *const mem = m->mem;
    const uint8_t *const pflags = m->page_flags;
    const uint64_t mem_base = m->cfg.mem_base;
    const uint64_t npages = m->npages;
    const uint64_t ext = m->cfg.extensions;
    /* page flags a fast-path load/store needs; a machine that traps on misaligned accesses sends every
       access to the slow path (which checks alignment) by asking for a flag no page has */
    const unsigned load_want = (m->cfg.flags & RV_CFG_TRAP_MISALIGNED) ? 0x80u : RV_PERM_R;
    const unsigned store_want = (m->cfg.flags & RV_CFG_TRAP_MISALIGNED) ? 0x80u : RV_PERM_W;
    /* jump targets must be 4-byte aligned without C */
    const uint64_t target_align = (ext & RV_EXT_C) ? 1 : 3;
    const int64_t budget0 = (int64_t)max_instructions;
    int64_t budget = budget0;
    uint64_t instret0 = h->instret;
    rv_code_page *page;
    rv_insn_t *e;
    uint64_t target, cause = 0, tval = 0;
    unsigned step = 2;
    int stop = RV_STOP_LIMIT;

    feclearexcept(FE_ALL_EXCEPT);   /* host FP flags accrue into fflags until we leave */
    m->running = 1;

#define PC_OF(slotp) (page->vaddr + ((uint64_t)((slotp) - page->slot) << 1))
#define SYNC() do { h->pc = PC_OF(e); h->instret = instret0 + (uint64_t)(budget0 - budget); } while (0)
#define RESYNC_INSTRET() (instret0 = h->instret - (uint64_t)(budget0 - budget))
#define DISPATCH() goto *e->handler
/* `step` is the current instruction's length in slots.  It lives in a register and is reset to 2 after
   every instruction; compressed instructions enter through a stub that sets it to 1.  Reading e->len
   instead would put a load on the critical path from one instruction to the next. */
#define NEXT() do { RV_HOOK_RETIRE(e); e += step; step = 2; \
        if (unlikely(--budget <= 0)) { goto out_of_budget; } \
        DISPATCH(); } while (0)
#define TRAP(c, t) do { cause = (c); tval = (t); goto trap; } while (0)
/* Taken branch by byte offset: stay in the slot array when the target is on this page. */
#define BRANCH(off) do { int64_t off_ = (off); \
        if (unlikely(off_ & 2 & target_align)) TRAP(CAUSE_MISALIGNED_FETCH, PC_OF(e) + off_); \
        uint64_t idx_ = (uint64_t)((e - page->slot) + (off_ >> 1)); \
        if (likely(idx_ < RV_SLOTS_PER_PAGE)) { RV_HOOK_RETIRE(e); e = page->slot + idx_; step = 2; \
            if (unlikely(--budget <= 0)) { goto out_of_budget; } \
            DISPATCH(); } \
        target = PC_OF(e) + off_; goto retire_and_jump; } while (0)
/* Jump to an absolute target (link register already computed by the caller). */
#define JUMP(t) do { target = (t); \
        if (unlikely(target & 2 & target_align)) TRAP(CAUSE_MISALIGNED_FETCH, target); \
        goto retire_and_jump; } while (0)

#define RD x[e->rd]
#define RS1 x[e->rs1]
#define RS2 x[e->rs2]
#define IMM e->imm

/* Guest memory.  The fast path covers accesses inside one mapped page; everything else (page
   crossing, unmapped, watched or code pages, traps on misalignment) goes to machine.c. */
#define PAGE_OK(off_, mask_, want_, size_) \
    (likely(((off_) >> RV_PAGE_BITS) < npages && \
            (pflags[(off_) >> RV_PAGE_BITS] & (mask_)) == (want_) && \
            ((off_) & (RV_PAGE_SIZE - 1)) <= RV_PAGE_SIZE - (size_)))
#define LOAD(T, addr_expr, dest) do { \
        uint64_t a_ = (addr_expr), off_ = a_ - mem_base; \
        if (PAGE_OK(off_, RV_PERM_R, load_want, sizeof(T))) { \
            T v_; memcpy(&v_, mem + off_, sizeof(T)); dest = v_; \
        } else { \
            uint64_t v_; SYNC(); \
            int c_ = rv_load_slow(m, a_, sizeof(T), &v_, &tval); \
            if (c_) { cause = c_; goto trap; } \
            dest = (T)v_; \
        } } while (0)
#define STORE(T, addr_expr, value) do { \
        uint64_t a_ = (addr_expr), off_ = a_ - mem_base; T sv_ = (T)(value); \
        RV_HOOK_STORE(a_, sizeof(T)); \
        if (PAGE_OK(off_, RV_PERM_W | RV_PAGE_CODE | RV_PAGE_WATCH, store_want, sizeof(T))) { \
            memcpy(mem + off_, &sv_, sizeof(T)); \
        } else { \
            int htif_ = 0; SYNC(); \
            int c_ = rv_store_slow(m, a_, sizeof(T), (uint64_t)sv_, &tval, &htif_); \
            if (c_) { cause = c_; goto trap; } \
            if (htif_) { stop = RV_STOP_HTIF; e += e->len >> 1; --budget; goto stop_here; } \
        } } while (0)

    /* Enter at h->pc. */
    target = h->pc;
    if (unlikely(target & 1 || target & 2 & target_align)) {
        /* only reachable if the host set a misaligned pc */
        cause = CAUSE_MISALIGNED_FETCH; tval = target; goto trap_at_target;
    }
    goto jump;

retire_and_jump:
    RV_HOOK_RETIRE(e);
    if (unlikely(--budget <= 0)) {
        h->pc = target;
        goto out_of_budget_at_pc;
    }
jump: {
        uint64_t off = target - mem_base, pg = off >> RV_PAGE_BITS;
        if (unlikely(pg >= npages || !(pflags[pg] & RV_PERM_X))) {
            cause = CAUSE_FETCH_ACCESS; tval = target; goto trap_at_target;
        }
        page = m->code[pg];
        if (unlikely(!page)) {
            page = rv_code_page_for(m, pg);
            if (!page) {
                snprintf(h->error, sizeof h->error, "out of host memory for the decode cache");
                h->pc = target; stop = RV_STOP_ERROR; goto stop_at_pc;
            }
        }
        e = page->slot + ((off & (RV_PAGE_SIZE - 1)) >> 1);
        step = 2;
        DISPATCH();
    }

L_NEXT_PAGE:
    /* sequential flow ran off the end of a page: these sentinel slots are not instructions */
    target = PC_OF(e);
    goto jump;

L_DECODE: {
        uint64_t pc = PC_OF(e), fault;
        uint32_t raw;
        int c = rv_fetch_word(m, pc, &raw, &fault);
        if (c) { cause = c; tval = fault; goto trap; }
        rv_insn_t d;
        memset(&d, 0, sizeof d);
        int op = rv_decode_word(raw, ext, &d);
        if (op && (rv_op_extensions[op] & (RV_EXT_F | RV_EXT_D | RV_EXT_ZFH | RV_EXT_ZFHMIN |
                                           RV_EXT_ZFBFMIN)) && !(h->mstatus & MSTATUS_FS))
            op = 0;   /* FP instructions are illegal while mstatus.FS is Off */
        if (op && (rv_op_extensions[op] & RV_EXT_V) && !(h->mstatus & MSTATUS_VS))
            op = 0;
        d.raw = (raw & 3) == 3 ? raw : (raw & 0xffff);
        d.op = (uint16_t)op;
        d.exec_op = rv_op_exec[op];
        if (!op)
            d.len = (raw & 3) == 3 ? 4 : 2;
        d.handler = d.len == 2 ? labels_compressed[d.exec_op] : labels[d.exec_op];
        if (unlikely(m->nbreakpoints) && rv_is_breakpoint(m, pc))
            d.handler = &&L_BREAKPOINT;
        *e = d;
        DISPATCH();
    }

L_BREAKPOINT:
    /* a breakpoint at the pc run() started from has been reported already: execute it */
    if (budget == budget0 && PC_OF(e) == h->pc)
        goto *(e->len == 2 ? labels_compressed[e->exec_op] : labels[e->exec_op]);
    stop = RV_STOP_BREAKPOINT;
    goto stop_here;

L_ILLEGAL:
    TRAP(CAUSE_ILLEGAL_INSTRUCTION, e->raw);

/* compressed instructions run their expansion's semantics with a step of one slot */
#define RV_COMPRESSED_ENTRY(name) LC_##name: step = 1; goto L_##name;
    RV_FOR_EACH_EXEC_OP(RV_COMPRESSED_ENTRY)
#undef RV_COMPRESSED_ENTRY

#include "exec_i.inc"
#include "exec_m.inc"
#include "exec_a.inc"
#include "exec_system.inc"
#include "exec_fp.inc"
#include "exec_v.inc"

trap:
    /* e is the faulting instruction; it does not retire */
    SYNC();
    goto take_trap;
trap_at_target:
    h->pc = target;
    h->instret = instret0 + (uint64_t)(budget0 - budget);
take_trap: {
        int r = rv_take_trap(m, cause, tval);
        if (r) { stop = r; goto stop_at_pc; }
        /* a trap is not an instruction, but it uses budget so that trap loops still end */
        instret0--;
        if (unlikely(--budget <= 0)) goto out_of_budget_at_pc;
        target = h->pc;
        goto jump;
    }

out_of_budget:
    stop = RV_STOP_LIMIT;
stop_here:
    h->pc = PC_OF(e);
    goto stop_at_pc;
out_of_budget_at_pc:
    stop = RV_STOP_LIMIT;
stop_at_pc:
    h->instret = instret0 + (uint64_t)(budget0 - budget);
    {
        int fe = fetestexcept(FE_ALL_EXCEPT);
        h->fflags |= ((fe & FE_INEXACT) ? 1u : 0) | ((fe & FE_UNDERFLOW) ? 2u : 0) |
                     ((fe & FE_OVERFLOW) ? 4u : 0) | ((fe & FE_DIVBYZERO) ? 8u : 0) |
                     ((fe & FE_INVALID) ? 16u : 0);
        feclearexcept(FE_ALL_EXCEPT);
    }
    m->running = 0;
    return stop;
}
