/* Shared set-up for the libFuzzer harnesses of the C core (fuzz_exec.c, fuzz_timing.c).
 *
 * An input is a machine configuration followed by bytes the harness uses as it needs them:
 *
 *   [0..2]   optional extensions: bits 0-20 the extensions of OPTIONAL_EXTENSIONS below, bits 21-23 an
 *            embedded vector subset (ZVE_LEVELS); I and priv are always on.  The set is closed under the
 *            ISA's implications as rvsim.isa.expand_extensions closes it (rv_close_extensions, generated
 *            from the same table), so every machine is one Python can build
 *   [3]      bit 7: every extension (full V, no Zve limits), bit 6: none of the optional ones;
 *            bits 0-2: VLEN = 64 << n (<= 4096);
 *            bits 3-5: trap-misaligned, stop-on-trap, agnostic-ones
 *   [4]      bit 0 ecall-to-host, bit 1 ebreak-to-host, bit 2 user mode, bits 3-4 memory base, bits 5-6 Zvt TE,
 *            bit 7 set vstart after the vsetvli prologue
 *   [5]      initial vtype (vsetvli zimm), [6] AVL, [7] frm (bits 0-2) / vxrm (3-4) / mstatus FS,VS (5-6)
 *   [8..15]  mtvec (written through the CSR interface, so the core legalises it)
 *   [16..23] seed of the register / vector-register / data-memory generator
 *   [24..]   the instruction stream (placed at the start of the window), also used as data
 *
 * The window is 64 KiB: pages 0-3 RWX (code), 4-11 RW, 12-13 R, 14-15 unmapped, so wild accesses find
 * every kind of page.  Registers are mostly pointers into the window, edge values and small numbers.
 */
#ifndef RVSIM_FUZZ_HARNESS_H
#define RVSIM_FUZZ_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rvsim.h"
#include "timing.h"

#include "isa_extensions.h"

/* What header bits 0-20 turn on, one extension each */
static const uint64_t OPTIONAL_EXTENSIONS[21] = {
    RV_EXT_M, RV_EXT_A, RV_EXT_F, RV_EXT_D, RV_EXT_C, RV_EXT_ZICSR, RV_EXT_ZIFENCEI, RV_EXT_ZBA, RV_EXT_ZBB,
    RV_EXT_ZBS, RV_EXT_ZBC, RV_EXT_ZFH, RV_EXT_ZFHMIN, RV_EXT_ZFBFMIN, RV_EXT_V, RV_EXT_ZVFH, RV_EXT_ZVFHMIN,
    RV_EXT_ZVFBFMIN, RV_EXT_ZVFBFWMA, RV_EXT_ZVDOT4A8I, RV_EXT_ZVT,
};
/* Header bits 21-23: a Zve subset limits the vector unit (ELEN, FP widths, vmulh at EEW 64) even beside V,
   as rvsim.isa.ZVE says; values 0-2 leave it unlimited, so that full V stays common */
static const uint64_t ZVE_LEVELS[8] = {
    0, 0, 0, RV_EXT_ZVE32X, RV_EXT_ZVE32F, RV_EXT_ZVE64X, RV_EXT_ZVE64F, RV_EXT_ZVE64D,
};
#define EVERY_EXTENSION (((1ull << RV_EXT_COUNT) - 1) & ~(RV_EXT_ZVE32X | RV_EXT_ZVE32F | RV_EXT_ZVE64X | \
                                                          RV_EXT_ZVE64F | RV_EXT_ZVE64D))

#define WINDOW_SIZE (64u * 1024)
#define CODE_BYTES (16u * 1024)
#define HEADER 24

static uint64_t fuzz_instructions, fuzz_executions;

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static const uint64_t EDGE[] = {
    0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
    0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, ~0ull, ~1ull, 0xfffffffffffff000ull, 0x3ff0000000000000ull /* 1.0 */,
    0x7ff8000000000000ull /* qNaN */, 0xffffffff3f800000ull /* boxed 1.0f */, 0xffffffff7fc00000ull,
    0xffffffffffff3c00ull /* boxed 1.0h */, 0x7ff0000000000000ull, 0x0000000000000001ull,
};
#define NEDGE (sizeof EDGE / sizeof EDGE[0])

typedef struct fuzz_machine {
    rv_machine *m;
    uint64_t base;
    uint64_t seed;
    const uint8_t *body;        /* bytes after the header */
    size_t body_size;
} fuzz_machine;

static uint64_t random_value(fuzz_machine *f)
{
    uint64_t r = splitmix(&f->seed);
    switch (r & 7) {
    case 0: case 1: case 2:     /* a pointer into the window (any page kind), maybe misaligned */
        return f->base + ((r >> 8) % WINDOW_SIZE) - ((r >> 40) & 1 ? (r >> 41) & 7 : 0);
    case 3: case 4:
        return EDGE[(r >> 8) % NEDGE];
    case 5:
        return (r >> 8) & 0x3f;
    case 6:
        return f->base + WINDOW_SIZE - ((r >> 8) & 0xff);     /* near the end of the window */
    default:
        return splitmix(&f->seed);
    }
}

/* Build the machine described by the input; returns 0 (and leaves f->m NULL) for inputs too short. */
static int fuzz_setup(fuzz_machine *f, const uint8_t *data, size_t size)
{
    memset(f, 0, sizeof *f);
    if (size < HEADER + 2)
        return 0;
    /* the block compiler (RV64 functional runs) compiles at the first taken branch to a slot, so that
       the short loops random streams make run compiled, entered and left at every kind of exit
       (a FUZZ run may set its own RVSIM_JIT_HOT, or RVSIM_NO_JIT=1) */
    setenv("RVSIM_JIT_HOT", "1", 0);
    uint64_t opt = (uint64_t)data[0] | (uint64_t)data[1] << 8 | (uint64_t)data[2] << 16;
    uint64_t ext = RV_EXT_I;
    for (unsigned k = 0; k < sizeof OPTIONAL_EXTENSIONS / sizeof OPTIONAL_EXTENSIONS[0]; k++)
        if (opt & (1u << k))
            ext |= OPTIONAL_EXTENSIONS[k];
    ext |= ZVE_LEVELS[opt >> 21];
    if (data[3] & 0x80) ext = EVERY_EXTENSION;
    else if (data[3] & 0x40) ext = RV_EXT_I;
    ext = rv_close_extensions(ext);

    rv_config c;
    memset(&c, 0, sizeof c);
    c.extensions = ext;
    c.vlen = 64u << ((data[3] & 7) > 6 ? 6 : (data[3] & 7));
    c.flags = ((data[3] >> 3) & 1 ? RV_CFG_TRAP_MISALIGNED : 0) | ((data[3] >> 4) & 1 ? RV_CFG_STOP_ON_TRAP : 0) |
              ((data[3] >> 5) & 1 ? RV_CFG_VECTOR_AGNOSTIC_ONES : 0) |
              (data[4] & 1 ? RV_CFG_ECALL_TO_HOST : 0) | (data[4] & 2 ? RV_CFG_EBREAK_TO_HOST : 0);
    static const uint64_t bases[4] = {0x80000000ull, 0, 0x10000, 0xffffffffffff0000ull - WINDOW_SIZE};
    c.mem_base = bases[(data[4] >> 3) & 3];
    c.mem_size = WINDOW_SIZE;
    if (ext & RV_EXT_ZVT) {
        unsigned te_sel = (data[4] >> 5) & 3;
        c.tile_te = te_sel == 0 ? 0 : 4u << (te_sel - 1);
        if (c.tile_te > c.vlen / 4) c.tile_te = 0;
    }
    char err[200];
    f->m = rv_create(&c, err, sizeof err);
    if (!f->m) {
        fprintf(stderr, "rv_create failed for a legal configuration: %s\n", err);
        abort();
    }
    f->base = c.mem_base;
    f->body = data + HEADER;
    f->body_size = size - HEADER;
    memcpy(&f->seed, data + 16, 8);

    rv_map(f->m, f->base, CODE_BYTES, RV_PERM_R | RV_PERM_W | RV_PERM_X);
    rv_map(f->m, f->base + CODE_BYTES, 8 * 4096, RV_PERM_R | RV_PERM_W);
    rv_map(f->m, f->base + CODE_BYTES + 8 * 4096, 2 * 4096, RV_PERM_R);

    /* data pages: the stream's bytes, mixed */
    uint8_t page[4096];
    for (unsigned p = 4; p < 14; p++) {
        for (unsigned i = 0; i < sizeof page; i++)
            page[i] = f->body[(i * 7 + p) % f->body_size] ^ (uint8_t)(p * 37);
        rv_write_memory(f->m, f->base + p * 4096ull, page, sizeof page);
    }

    rv_hart_state *h = rv_hart(f->m);
    for (int i = 1; i < 32; i++)
        h->x[i] = random_value(f);
    for (int i = 0; i < 32; i++) {
        uint64_t v = random_value(f);
        h->f[i] = (v & 0xffffffff00000000ull) || !(v & 1) ? v : v | 0xffffffff00000000ull;
    }
    uint8_t *vr = rv_vregs(f->m);
    for (unsigned i = 0; i < 32 * c.vlen / 8; i += 8) {
        uint64_t v = random_value(f);
        memcpy(vr + i, &v, 8);
    }
    uint64_t mtvec;
    memcpy(&mtvec, data + 8, 8);
    rv_csr_write(f->m, 0x305, (data[8] & 0x80) ? f->base + (mtvec & (WINDOW_SIZE - 1)) : mtvec);
    rv_csr_write(f->m, 0x002, data[7] & 7);             /* frm, 5..7 reserved */
    rv_csr_write(f->m, 0x00a, (data[7] >> 3) & 3);      /* vxrm */
    uint64_t mstatus;
    rv_csr_read(f->m, 0x300, &mstatus);
    mstatus |= (uint64_t)((data[7] >> 5) & 3) * ((1ull << 13) | (1ull << 9));
    if (data[7] & 0x80) mstatus = (mstatus & ~(3ull << 13)) | (1ull << 13);
    rv_csr_write(f->m, 0x300, mstatus);

    size_t code = f->body_size < CODE_BYTES - 4 ? f->body_size : CODE_BYTES - 4;
    uint64_t pc = f->base;
    if (ext & RV_EXT_V) {
        /* prologue: vsetvli x0, x5, vtype with x5 = AVL */
        uint32_t vsetvli = (uint32_t)data[5] << 20 | 5u << 15 | 7u << 12 | 0x57;
        h->x[5] = data[6];
        rv_write_memory(f->m, pc, &vsetvli, 4);
        h->pc = pc;
        rv_run(f->m, 1);
        fuzz_instructions += 1;
        h->x[5] = random_value(f);
        if (data[4] & 0x80)
            rv_csr_write(f->m, 0x008, data[6] >> 1);    /* vstart */
        pc += 4;
    }
    rv_write_memory(f->m, pc, f->body, code);
    h->pc = pc;
    if (data[4] & 4)
        h->priv = 0;
    return 1;
}

/* Run up to budget instructions, servicing every stop the way a host would; returns instructions run. */
static uint64_t fuzz_run(fuzz_machine *f, uint64_t budget)
{
    /* counted per rv_run call and clamped, since the guest may rewrite minstret */
    rv_hart_state *h = rv_hart(f->m);
    uint64_t remaining = budget;
    for (int stops = 0; remaining && stops < 64; stops++) {
        uint64_t before = h->instret;
        int stop = rv_run(f->m, remaining);
        uint64_t ran = stop == RV_STOP_LIMIT ? remaining : h->instret - before;
        remaining -= ran < remaining ? ran : remaining;
        if (stop == RV_STOP_LIMIT || stop == RV_STOP_TRAP || stop == RV_STOP_ERROR || stop == RV_STOP_HANG)
            break;
        if (stop == RV_STOP_EBREAK) {
            if (rv_raise_trap(f->m, 3, h->pc) != 0)
                break;
        } else if (stop == RV_STOP_HTIF) {
            h->htif_value = 0;
        }
        /* ECALL: it retired, just continue */
    }
    fuzz_instructions += budget - remaining;
    return budget - remaining;
}

static void fuzz_finish(fuzz_machine *f)
{
    rv_destroy(f->m);
    f->m = NULL;
    /* figures for the campaign report: FUZZ_STATS=path is rewritten every 4096 executions */
    if ((++fuzz_executions & 4095) == 0) {
        const char *path = getenv("FUZZ_STATS");
        if (path) {
            FILE *out = fopen(path, "w");
            if (out) {
                fprintf(out, "executions %llu\ninstructions %llu\n", (unsigned long long)fuzz_executions,
                        (unsigned long long)fuzz_instructions);
                fclose(out);
            }
        }
    }
}

#endif
