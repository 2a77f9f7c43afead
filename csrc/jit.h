/* The block compiler: hot blocks of the RV64 functional loop, of the RV64 recording loop (blocks that
 * also write their undo records: jit_x86.c, "recording blocks") and of the RV64 timed loop (blocks that
 * call the cycle model's step: "timed blocks"), compiled to x86-64 (jit_x86.c).
 *
 * A block is a run of consecutive plain instructions of one code page (RV64I/M integer ALU, loads and
 * stores, conditional branches and jal) starting at a slot that taken branches came to often.  It is
 * entered from the interpreter's dispatch (the slot's handler becomes the loop's RV_LABEL_JIT), keeps
 * the guest registers it uses in host registers, and returns to the interpreter at the first slot it
 * does not handle: an instruction it cannot compile, a branch leaving it, a load or store that misses
 * the interpreter's software TLB (so faults, the HTIF page and stores to code pages all run in the
 * interpreter, which invalidates the page and with it the block's entry), or a budget too small for
 * one more pass.  The interpreter stays the only engine elsewhere.
 */
#ifndef RVSIM_JIT_H
#define RVSIM_JIT_H

#include <stdint.h>
#include <string.h>

struct rv_machine;
struct rv_code_page;

struct rv_jit {
    uint8_t *code;              /* the code arena: mapped read-write only while a block is written */
    size_t size, used;
    unsigned hot;               /* taken branches to a slot before its block is compiled (1..255) */
};

/* A block: called with the machine and the budget left (at most RV_JIT_BUDGET_MAX, more than the
   block's length); returns the slot it stopped at << 40 | the instructions it retired. */
typedef uint64_t (*rv_jit_fn)(struct rv_machine *m, int64_t budget);
#define RV_JIT_BUDGET_MAX ((int64_t)((1ull << 40) - 1))

/* NULL when the compiler is off (RVSIM_NO_JIT=1 or RVSIM_JIT=0) or the host is not x86-64 Linux */
struct rv_jit *rv_jit_new(void);
void rv_jit_free(struct rv_jit *j);
/* The kinds of block: a functional loop's, a recording loop's (RV_JIT_RECORDING: each instruction
   also writes its undo record, see jit_x86.c), or a timed loop's (RV_JIT_TIMED: each instruction also
   calls the cycle model's step, as the timed loop's retirement does).  A loop enters only blocks of its
   own kind. */
enum { RV_JIT_FUNCTIONAL = 0, RV_JIT_RECORDING = 1, RV_JIT_TIMED = 2 };
/* Compile the block of the given kind entered at slot idx of page; labels: the loop's label table
   (decode, breakpoint).  1: compiled (page->jit_off[idx] set), 0: nothing to compile, -1: the arena is
   full (rv_jit_reset and flush the decode cache, which drops every block's entry). */
int rv_jit_compile(struct rv_machine *m, struct rv_code_page *page, unsigned idx, const void *const *labels,
                   unsigned kind);
void rv_jit_reset(struct rv_jit *j);

/* a block's header (16 bytes before its entry): its length in instructions (the budget it needs per
   pass), the offset of its chained entry, its kind */
static inline uint32_t rv_jit_len(const struct rv_jit *j, uint32_t off)
{
    uint32_t n;
    memcpy(&n, j->code + off, sizeof n);
    return n;
}
static inline uint32_t rv_jit_kind(const struct rv_jit *j, uint32_t off)
{
    uint32_t k;
    memcpy(&k, j->code + off + 8, sizeof k);
    return k;
}
static inline rv_jit_fn rv_jit_entry(const struct rv_jit *j, uint32_t off)
{
    return (rv_jit_fn)(void *)(j->code + off + 16);
}

#endif
