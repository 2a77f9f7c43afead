/* rvsim's C core: the public interface (wrapped by cffi as rvsim._core).
 *
 * The region between the cffi markers is copied verbatim into cffi's cdef, so it holds plain
 * declarations only.  The core knows nothing of Python: the front end drives it through these calls,
 * services host calls (ecall, HTIF) when run() stops for them, and reads state through the pointers
 * returned by rv_hart_state().
 */
#ifndef RVSIM_H
#define RVSIM_H

#include <stdint.h>
#include <stddef.h>

/* cffi-begin */
enum rv_stop {
    RV_STOP_LIMIT = 0,      /* instruction budget used up */
    RV_STOP_ECALL = 1,      /* ecall for the host to service: it retired, trap_pc is its address */
    RV_STOP_EBREAK = 2,     /* ebreak with no guest handler (pc at the ebreak) */
    RV_STOP_BREAKPOINT = 3, /* a host breakpoint address was reached (not executed yet) */
    RV_STOP_TRAP = 4,       /* a trap the guest cannot handle: see trap_cause / trap_tval / trap_pc */
    RV_STOP_HTIF = 5,       /* the guest wrote a non-zero value to tohost: see htif_value */
    RV_STOP_ERROR = 6,      /* the core could not continue: see error */
    RV_STOP_HANG = 7,       /* a jump to itself (j .), which nothing can ever leave: pc at the jump */
    RV_STOP_WATCH = 8,      /* a watchpoint triggered (history.h: rv_watch_hit_info) */
    RV_STOP_HISTORY_START = 9   /* rv_reverse ran out of history */
};

enum rv_perm { RV_PERM_R = 1, RV_PERM_W = 2, RV_PERM_X = 4 };

/* Machine options fixed at creation. */
typedef struct rv_config {
    uint64_t extensions;        /* RV_EXT_* bits (rvsim.isa.extension_mask) */
    uint64_t mem_base;          /* guest address of the first byte of the memory window */
    uint64_t mem_size;          /* window size in bytes (a multiple of 4096); the guest's memory bound */
    uint32_t vlen;              /* vector register length in bits */
    uint32_t flags;             /* RV_CFG_* below */
    uint32_t tile_te;           /* Zvt: tiles are TE x TE (TEW=32); 0 = default min(32, VLEN/4) */
} rv_config;

enum rv_config_flags {
    RV_CFG_ECALL_TO_HOST = 1,       /* ecall stops run() with RV_STOP_ECALL instead of trapping */
    RV_CFG_TRAP_MISALIGNED = 2,     /* misaligned loads/stores trap instead of being performed */
    RV_CFG_EBREAK_TO_HOST = 4,      /* ebreak stops run() with RV_STOP_EBREAK instead of trapping */
    RV_CFG_STOP_ON_TRAP = 8,        /* any trap stops run() with RV_STOP_TRAP (user-mode programs) */
    RV_CFG_VECTOR_AGNOSTIC_ONES = 16,   /* vector tail/mask-agnostic elements are written with all ones
                                           (default: left undisturbed) */
    RV_CFG_XLEN32 = 32                  /* an RV32 hart (default RV64): integer registers hold their value
                                           sign-extended to 64 bits, addresses and the pc are 32-bit */
};

/* Architectural state.  Python holds numpy views onto these arrays; the core owns the memory. */
typedef struct rv_hart_state {
    uint64_t x[33];             /* x0..x31; x[32] is the write sink for rd = x0 (x[0] stays 0) */
    uint64_t f[32];             /* NaN-boxed FP registers */
    uint64_t pc;
    uint64_t instret;           /* retired instructions (valid whenever run() has returned) */
    uint64_t cycle;             /* cycle counter (functional mode: equals instret) */
    uint32_t priv;              /* 3 = machine, 0 = user */
    uint32_t fflags;            /* accrued exception flags (valid whenever run() has returned) */
    uint32_t frm;               /* dynamic rounding mode */
    uint32_t _pad;
    /* machine CSRs */
    uint64_t mstatus, misa, mtvec, mepc, mcause, mtval, mscratch, mie, mip;
    uint64_t medeleg, mideleg, mcounteren, mcountinhibit, menvcfg, mseccfg, satp;
    uint64_t pmpcfg[16];
    uint64_t pmpaddr[64];
    uint64_t tselect, tdata1, tdata2;
    /* vector CSRs (the vector unit is sized by rv_config.vlen) */
    uint64_t vl, vtype, vstart, vxrm, vxsat, vlenb;
    uint64_t mtype;             /* Zvt matrix configuration CSR (0xc23) */
    /* LR/SC reservation: address, or ~0 when none */
    uint64_t reservation;
    /* why run() stopped */
    uint64_t trap_cause, trap_tval, trap_pc;
    uint64_t htif_value;
    char error[160];
} rv_hart_state;

typedef struct rv_machine rv_machine;

rv_machine *rv_create(const rv_config *config, char *error, size_t error_size);
void rv_destroy(rv_machine *m);
rv_hart_state *rv_hart(rv_machine *m);
uint8_t *rv_vregs(rv_machine *m);            /* 32 * vlen/8 bytes */
uint8_t *rv_memory(rv_machine *m);           /* the window's host bytes */
uint8_t *rv_tiles(rv_machine *m);            /* Zvt tile state: 16 * TE * TE bytes (NULL without Zvt) */
uint32_t rv_tile_te(rv_machine *m);          /* Zvt: TE (0 without Zvt) */

/* Mark [addr, addr+size) accessible with RV_PERM_* (0 unmaps). Returns 0, or -1 if outside the window. */
int rv_map(rv_machine *m, uint64_t addr, uint64_t size, unsigned perms);
unsigned rv_page_perms(rv_machine *m, uint64_t addr);
/* The per-page flag bytes (RV_PERM_* in the low three bits), one per page of the window: read-only for
   the host (snapshots find the mapped pages with it); change permissions with rv_map. */
const uint8_t *rv_page_flags(rv_machine *m);
/* Host access to guest memory, checked against the window (not the permissions); keeps the decode cache
   coherent.  Return 0, or -1 when the range is outside the window. */
int rv_read_memory(rv_machine *m, uint64_t addr, void *dst, uint64_t size);
int rv_write_memory(rv_machine *m, uint64_t addr, const void *src, uint64_t size);

/* Execute at most max_instructions; returns an rv_stop. */
int rv_run(rv_machine *m, uint64_t max_instructions);
/* Take a trap at the current pc as the hart would (the host declined to service an ebreak or ecall
   stop): 0 when the guest's handler takes it, else the rv_stop the trap causes. */
int rv_raise_trap(rv_machine *m, uint64_t cause, uint64_t tval);

/* HTIF: stores to this address stop run() with RV_STOP_HTIF (0 disables). */
void rv_set_tohost(rv_machine *m, uint64_t addr);

/* Breakpoints stop run() before the instruction at addr executes. */
int rv_add_breakpoint(rv_machine *m, uint64_t addr);
int rv_remove_breakpoint(rv_machine *m, uint64_t addr);

/* CSR access as the host sees it (no privilege checks). Return 0, or -1 for an unknown CSR. */
int rv_csr_read(rv_machine *m, unsigned csr, uint64_t *value);
int rv_csr_write(rv_machine *m, unsigned csr, uint64_t value);

/* Decode one instruction word as the core does: returns the op number (0 = illegal). */
int rv_decode_op(rv_machine *m, uint32_t word);
const char *rv_op_name(int op);
void rv_flush_decode_cache(rv_machine *m);
/* cffi-end */

#endif
