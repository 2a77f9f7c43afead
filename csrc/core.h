/* Internal definitions shared by the core's C files (not part of the cffi interface). */
#ifndef RVSIM_CORE_H
#define RVSIM_CORE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "rvsim.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define RV_X_SINK 32            /* decoded rd of x0: writes land in x[32] and are never read */
#define RV_PAGE_BITS 12
#define RV_PAGE_SIZE (1u << RV_PAGE_BITS)
#define RV_SLOTS_PER_PAGE (RV_PAGE_SIZE / 2)   /* one decode slot per halfword */

/* A decoded instruction.  32 bytes, cached per halfword of each code page. */
typedef struct rv_insn {
    const void *handler;        /* label in the fast loop that executes exec_op (or the decode stub) */
    int64_t imm;                /* decoded immediate, already sign-extended and shifted */
    uint32_t raw;               /* instruction bits (16-bit forms in the low half) */
    uint16_t op;                /* the instruction as encoded (RV_OP_C_ADDI for c.addi) */
    uint16_t exec_op;           /* the instruction whose semantics run (RV_OP_ADDI for c.addi) */
    uint8_t rd, rs1, rs2, rs3;  /* register numbers; integer rd = x0 is RV_X_SINK */
    uint8_t rm;                 /* rounding mode, or aq/rl bits of atomics */
    uint8_t len;                /* 2 or 4 */
    uint8_t aux[2];             /* per-extension extra fields (vector: vm, nf) */
} rv_insn_t;

#include "isa_decode.h"

/* The decoded instructions of one 4 KiB page, plus two sentinel slots past the end that move
   execution to the next page. */
typedef struct rv_code_page {
    uint64_t vaddr;
    rv_insn_t slot[RV_SLOTS_PER_PAGE + 2];
    /* the block compiler (jit_x86.c), RV64 functional loop only: how often a taken branch came to
       each slot (it compiles a block there when the count reaches its threshold), and where the
       block entered at a slot is (valid only while the slot's handler is the loop's RV_LABEL_JIT) */
    uint8_t hot[RV_SLOTS_PER_PAGE];
    uint32_t jit_off[RV_SLOTS_PER_PAGE];
} rv_code_page;

/* Page flags beyond RV_PERM_*: stores to these pages take the slow path. */
enum { RV_PAGE_CODE = 8, RV_PAGE_WATCH = 16 };

#define RV_MAX_BREAKPOINTS 64

/* The interpreter's software TLB: a direct-mapped cache, indexed by guest page number, of the pages a
   plain load (tlb_load) or store (tlb_store) may touch without the slow path.  An entry holds the
   page's guest address; an access hits when its address, masked to the page and its own alignment
   bits, equals the entry, so one compare checks the page, the permission and natural alignment
   (misaligned accesses, which may cross a page or trap, always miss).  The host address is the guest
   address plus the constant mem_bias (the window is one host mapping), so the data load does not
   wait for the TLB's.  Only the slow paths fill entries, and only for pages that need nothing else:
   stores never hit code pages (self-modifying code), the HTIF page or unmapped ones.  Anything that
   changes page flags flushes (rv_tlb_flush), and every run() starts with an empty TLB, so the host
   may change flags between runs by any route. */
#define RV_TLB_BITS 8
#define RV_TLB_SIZE (1u << RV_TLB_BITS)
#define RV_TLB_EMPTY (~0ull)       /* never equals a masked address: bits 3..11 would be zero */
#define RV_TLB_INDEX(addr) (((addr) >> RV_PAGE_BITS) & (RV_TLB_SIZE - 1))

struct rv_machine {
    rv_hart_state h;
    rv_config cfg;
    uint8_t *mem;               /* host copy of the window [mem_base, mem_base + mem_size) */
    uint8_t *page_flags;        /* RV_PERM_* | RV_PAGE_* per page */
    rv_code_page **code;        /* decode cache per page, NULL until code runs there */
    uint64_t npages;
    uint8_t *vreg;              /* 32 * vlenb bytes */
    uint8_t *tiles;             /* Zvt tile state, 16 * TE * TE bytes (cfg.tile_te = TE), or NULL */
    uint64_t tohost;
    uint64_t breakpoints[RV_MAX_BREAKPOINTS];
    int nbreakpoints;
    uint64_t cycle_offset;      /* mcycle - instret (functional mode counts one cycle per instruction) */
    int counter_written;        /* a CSR write set minstret: the writing instruction does not count */
    int running;                /* inside rv_run: the host FPU's flags belong to the guest */
    const void *const *labels;  /* label table of the loop variant whose labels the decode cache holds */
    struct rv_timing *timing;   /* the cycle model, when on (timing.c) */
    struct rv_history *hist;    /* undo log and watchpoints, when on (history.c): run() records */
    uintptr_t mem_bias;         /* host address - guest address in the window: mem - mem_base */
    uint64_t tlb_load[RV_TLB_SIZE];     /* software TLB (above): page address, or RV_TLB_EMPTY */
    uint64_t tlb_store[RV_TLB_SIZE];
    struct rv_jit *jit;         /* compiled blocks (jit_x86.c), or NULL: off, RV32, or not x86-64 Linux */
};

/* Trap causes (privileged spec, mcause values for synchronous exceptions). */
enum {
    CAUSE_MISALIGNED_FETCH = 0, CAUSE_FETCH_ACCESS = 1, CAUSE_ILLEGAL_INSTRUCTION = 2,
    CAUSE_BREAKPOINT = 3, CAUSE_MISALIGNED_LOAD = 4, CAUSE_LOAD_ACCESS = 5,
    CAUSE_MISALIGNED_STORE = 6, CAUSE_STORE_ACCESS = 7, CAUSE_USER_ECALL = 8,
    CAUSE_SUPERVISOR_ECALL = 9, CAUSE_MACHINE_ECALL = 11
};

#define PRIV_U 0
#define PRIV_M 3

/* mstatus fields */
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_VS (3ull << 9)
#define MSTATUS_MPP (3ull << 11)
#define MSTATUS_FS (3ull << 13)
#define MSTATUS_XS (3ull << 15)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SD (1ull << 63)
#define MSTATUS_FS_DIRTY (3ull << 13)
#define MSTATUS_VS_DIRTY (3ull << 9)
#define MSTATUS_MS (3ull << 29)         /* Zvt matrix tile state (draft) */
#define MSTATUS_MS_DIRTY (3ull << 29)

/* machine.c: state outside the hot loop */
int rv_csr_access(rv_machine *m, unsigned csr, int write, uint64_t wvalue, uint64_t *rvalue);
int rv_csr_instruction(rv_machine *m, unsigned csr, int kind, uint64_t src, int writes, uint64_t *old);
void rv_mret(rv_machine *m);
int rv_take_trap(rv_machine *m, uint64_t cause, uint64_t tval);  /* 0 = guest handles it, else an rv_stop */
rv_code_page *rv_code_page_for(rv_machine *m, uint64_t pg);
void rv_invalidate_code_page(rv_machine *m, uint64_t pg);
int rv_fetch_word(rv_machine *m, uint64_t pc, uint32_t *word, uint64_t *fault_addr);
int rv_is_breakpoint(rv_machine *m, uint64_t pc);
/* 1 if a breakpoint lies on the code page starting at vaddr (compiled blocks never leave their page,
   so a block may run while breakpoints are set elsewhere) */
int rv_page_has_breakpoint(rv_machine *m, uint64_t vaddr);
void rv_tlb_flush(rv_machine *m);

/* Slow paths of guest memory access (page-crossing, faults, watched pages).
   Return 0 or a trap cause; *tval gets the faulting address. */
int rv_load_slow(rv_machine *m, uint64_t addr, unsigned size, uint64_t *value, uint64_t *tval);
int rv_store_slow(rv_machine *m, uint64_t addr, unsigned size, uint64_t value, uint64_t *tval,
                  int *htif);
/* the same for a caller that has logged the bytes it overwrites in the history already (the recording
   loop's store hook runs before the software TLB is looked up) */
int rv_store_slow_logged(rv_machine *m, uint64_t addr, unsigned size, uint64_t value, uint64_t *tval,
                         int *htif);

/* interp.c */
void rv_reset_slot(rv_machine *m, rv_insn_t *slot);
void rv_init_code_page(rv_machine *m, rv_code_page *page, uint64_t vaddr);
void rv_reset_code_page(rv_machine *m, rv_code_page *page);

/* history.c: memory accesses outside the interpreter loop (vector unit, slow paths) tell the history
   what they are about to overwrite or read; nothing happens unless it is on. */
void rv_hist_mem(rv_machine *m, uint64_t addr, uint64_t size);
void rv_hist_read(rv_machine *m, uint64_t addr, uint64_t size);
void rv_hist_hart_word(rv_machine *m, const uint64_t *word);
void rv_hist_host_map(rv_machine *m, uint64_t first_page, uint64_t end_page);
void rv_hist_host_write(rv_machine *m, uint64_t addr, uint64_t size);
void rv_hist_destroy(rv_machine *m);
int rv_hist_reading(rv_machine *m);
#define RV_HIST_STORE(m, addr, size) do { if (unlikely((m)->hist != NULL)) rv_hist_mem((m), (addr), (size)); } while (0)
#define RV_HIST_LOAD(m, addr, size) do { if (unlikely((m)->hist != NULL)) rv_hist_read((m), (addr), (size)); } while (0)

/* timing.c */
uint64_t rv_timing_now(rv_machine *m);      /* the model's clock (cycles issued so far) */
void rv_timing_destroy(rv_machine *m);

#endif
