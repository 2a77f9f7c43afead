/* The block compiler (see jit.h): a direct x86-64 emitter for hot blocks of the RV64 functional loop,
 * of the RV64 recording loop (see "recording blocks" below) and of the RV64 timed loop ("timed
 * blocks").
 *
 * A compiled block is a SysV function uint64_t block(rv_machine *m, int64_t budget).  Host registers:
 * rdi = m (guest registers at m->h.x, the TLB in m), r11 = m->mem_bias, r15 = instructions retired by
 * earlier passes, rax/rcx/rdx scratch, and up to nine guest registers (the block's most used) in rbx,
 * rbp, rsi, r8, r9, r10, r12, r13, r14, loaded at entry and stored back at every exit.  Every
 * instruction goes through rax: operand in, operation, result out (the moves cost little next to the
 * interpreter's dispatch and slot reads).
 *
 * Exactness leans on the interpreter:
 * - a block holds only instructions whose slots are decoded (not the decoder, not a breakpoint), whose
 *   bytes are on the page, and that it handles; it ends before the first other one;
 * - a load or store checks the interpreter's software TLB exactly as the interpreter does, and on a miss
 *   returns at that instruction unretired: the interpreter redoes it on its slow path (faults, page
 *   crossing, misalignment, watched, code and HTIF pages);
 * - a taken branch back to the block's first instruction starts another pass; any other branch or jal
 *   target on the page returns to the interpreter there; one off the page (or misaligned without C)
 *   ends the block before it, and so does jal to itself (the interpreter's hang check);
 * - each pass starts with one budget check: the budget must exceed what has retired plus the block's
 *   length, so every exit leaves the interpreter at least one instruction, and instret (which the
 *   interpreter derives from its budget) is exact at every exit.
 * A block's entry is its slot's handler, so anything that sends the slot back to the decoder (a store to
 * the page, the host writing memory, a breakpoint, a switch of loop) drops it; the interpreter neither
 * compiles nor enters blocks on a page that holds a breakpoint (rv_page_has_breakpoint).
 */
#include "interp.h"
#include "jit_api.h"
#include "timing_block.h"

#if defined(__x86_64__) && defined(__linux__)
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define ARENA_SIZE (8u << 20)
#define MAX_INSNS 64            /* instructions per block */
#define MIN_INSNS 8             /* shorter runs that neither loop nor end in a jump (say, between
                                   vector instructions) stay interpreted: entering and leaving costs
                                   about 40 host instructions */
#define MAX_EXITS (2 * MAX_INSNS + 4)
#define BUF_SIZE 32768          /* bytes a block may take (64 instructions need far fewer) */

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
enum { CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_A = 7, CC_L = 0xc, CC_GE = 0xd };

typedef struct {
    uint8_t *p, *start, *end;
    int overflow;
} buf_t;

static void b1(buf_t *b, unsigned v)
{
    if (b->p < b->end)
        *b->p++ = (uint8_t)v;
    else
        b->overflow = 1;
}

static void b4(buf_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b1(b, (v >> (8 * i)) & 0xff);
}

static void rex(buf_t *b, int w, int reg, int base)
{
    unsigned v = 0x40 | (w ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((base >> 3) & 1);
    if (v != 0x40)
        b1(b, v);
}

static void opcode(buf_t *b, unsigned op)
{
    if (op > 0xff)
        b1(b, op >> 8);
    b1(b, op & 0xff);
}

/* op reg, rm (both registers) */
static void op_rr(buf_t *b, int w, unsigned op, int reg, int rm)
{
    rex(b, w, reg, rm);
    opcode(b, op);
    b1(b, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/* op reg, [base + disp32]; base is never rsp or r12 */
static void op_rm(buf_t *b, int w, unsigned op, int reg, int base, int32_t disp)
{
    rex(b, w, reg, base);
    opcode(b, op);
    b1(b, 0x80 | (reg & 7) << 3 | (base & 7));
    b4(b, (uint32_t)disp);
}

/* op qword [base + disp32], imm32 (81 /ext); base is never rsp or r12 */
static void op_mi(buf_t *b, unsigned ext, int base, int32_t disp, int32_t imm)
{
    rex(b, 1, 0, base);
    b1(b, 0x81);
    b1(b, 0x80 | ext << 3 | (base & 7));
    b4(b, (uint32_t)disp);
    b4(b, (uint32_t)imm);
}

/* mov reg, [rsp + disp8] (load: 0x8b) or mov [rsp + disp8], reg (store: 0x89) */
static void op_rsp(buf_t *b, unsigned op, int reg, unsigned disp)
{
    rex(b, 1, reg, 0);
    b1(b, op);
    b1(b, 0x44 | (reg & 7) << 3);
    b1(b, 0x24);
    b1(b, disp);
}

static void op_rsp8(buf_t *b, unsigned op, int reg)
{
    op_rsp(b, op, reg, 8);
}

/* op r/m, imm32 (81 /ext) */
static void op_ri(buf_t *b, int w, unsigned ext, int rm, int32_t imm)
{
    rex(b, w, 0, rm);
    b1(b, 0x81);
    b1(b, 0xc0 | ext << 3 | (rm & 7));
    b4(b, (uint32_t)imm);
}

/* shift r/m by imm8 (C1 /ext) */
static void shift_ri(buf_t *b, int w, unsigned ext, int rm, unsigned n)
{
    rex(b, w, 0, rm);
    b1(b, 0xc1);
    b1(b, 0xc0 | ext << 3 | (rm & 7));
    b1(b, n);
}

static void mov_imm(buf_t *b, int reg, uint64_t v)
{
    if ((int64_t)v == (int64_t)(int32_t)v) {
        rex(b, 1, 0, reg);
        b1(b, 0xc7);
        b1(b, 0xc0 | (reg & 7));
        b4(b, (uint32_t)v);
    } else {
        rex(b, 1, 0, reg);
        b1(b, 0xb8 | (reg & 7));
        b4(b, (uint32_t)v);
        b4(b, (uint32_t)(v >> 32));
    }
}

static void push(buf_t *b, int r)
{
    if (r >= 8)
        b1(b, 0x41);
    b1(b, 0x50 | (r & 7));
}

static void pop(buf_t *b, int r)
{
    if (r >= 8)
        b1(b, 0x41);
    b1(b, 0x58 | (r & 7));
}

/* jcc/jmp rel32 to a position not known yet: returns where the rel32 is */
static uint8_t *jcc_fwd(buf_t *b, int cc)
{
    if (cc < 0) {
        b1(b, 0xe9);
    } else {
        b1(b, 0x0f);
        b1(b, 0x80 | cc);
    }
    uint8_t *at = b->p;
    b4(b, 0);
    return at;
}

static void patch(buf_t *b, uint8_t *at, uint8_t *to)
{
    if (b->overflow || !at || at + 4 > b->end)
        return;
    int32_t rel = (int32_t)(to - (at + 4));
    memcpy(at, &rel, 4);
}

/* ---------------------------------------------------------------- guest registers */

#define XOFF(g) ((int32_t)(offsetof(rv_machine, h.x) + 8u * (unsigned)(g)))
#define FOFF(g) ((int32_t)(offsetof(rv_machine, h.f) + 8u * (unsigned)(g)))

/* (a recording block keeps r13 = m->hist and r14 = its pass's first record: the first 7 only) */
static const int alloc_regs[] = {RBX, RBP, RSI, R8, R9, R10, R12, R13, R14};
#define NALLOC ((int)(sizeof alloc_regs / sizeof alloc_regs[0]))
#define NALLOC_REC 7
/* (a timed block calls the model's step after each instruction: guest registers only in callee-saved
   host registers) */
static const int alloc_regs_timed[] = {RBX, RBP, R12, R13, R14};
#define NALLOC_TIMED ((int)(sizeof alloc_regs_timed / sizeof alloc_regs_timed[0]))
#define HS R13
#define RP R14

typedef struct {
    int loc[33];                /* host register of each guest register, or -1: in m->h.x */
    unsigned written;           /* guest registers in host registers that the block writes */
    int sink;                   /* writes to x0 land in x[32] as in the interpreter (recording: the
                                   undo record of such a write keeps x[32]'s old value) */
} regs_t;

static void load_g(buf_t *b, const regs_t *r, int hreg, unsigned g)
{
    if (r->loc[g] >= 0) {
        if (r->loc[g] != hreg)
            op_rr(b, 1, 0x8b, hreg, r->loc[g]);
    } else {
        op_rm(b, 1, 0x8b, hreg, RDI, XOFF(g));
    }
}

static void store_g(buf_t *b, const regs_t *r, unsigned g, int hreg)
{
    if (g == RV_X_SINK && !r->sink)
        return;                 /* writes to x0 are dropped */
    if (r->loc[g] >= 0)
        op_rr(b, 1, 0x8b, r->loc[g], hreg);
    else
        op_rm(b, 1, 0x89, hreg, RDI, XOFF(g));
}

/* hreg = hreg op x[g] (op: the "reg, r/m" opcode) */
static void alu_g(buf_t *b, const regs_t *r, unsigned op, int w, int hreg, unsigned g)
{
    if (r->loc[g] >= 0)
        op_rr(b, w, op, hreg, r->loc[g]);
    else
        op_rm(b, w, op, hreg, RDI, XOFF(g));
}

/* ---------------------------------------------------------------- which instructions */

/* (K_FCMP: feq.s, flt.s, fle.s; K_FTOI: fcvt.w.s, fcvt.l.s; K_ITOF: fcvt.s.w, fcvt.s.l.  The kinds
   before K_FLOAD write an integer rd) */
enum { K_NONE, K_ALU_I, K_ALU_R, K_SHIFT_I, K_SHIFT_R, K_SET_I, K_SET_R, K_LUI, K_AUIPC, K_LOAD, K_STORE,
       K_BRANCH, K_JAL, K_JALR, K_FCMP, K_FTOI, K_FLOAD, K_FSTORE, K_FMADD, K_ITOF, K_VEC };

/* the vector instructions as history.c's classes file them (RV_HC_V: a vector extension's, not the
   matrix unit's), known without the class table */
static int vector_op(unsigned op)
{
    const uint64_t vec = RV_EXT_V | RV_EXT_ZVFH | RV_EXT_ZVFHMIN | RV_EXT_ZVFBFMIN | RV_EXT_ZVFBFWMA |
                         RV_EXT_ZVDOT4A8I;
    const uint64_t full = RV_EXT_ZVT | RV_EXT_ZICSR | RV_EXT_ZIFENCEI | RV_EXT_PRIV;
    return op != 0 && op < RV_OP_COUNT && (rv_op_extensions[op] & vec) && !(rv_op_extensions[op] & full);
}

/* (a recording block handles the same set, and the vector instructions: K_VEC; so does a timed one) */
static int kind_of(unsigned op)
{
    switch (op) {
    case RV_OP_ADDI: case RV_OP_ANDI: case RV_OP_ORI: case RV_OP_XORI: case RV_OP_ADDIW:
        return K_ALU_I;
    case RV_OP_ADD: case RV_OP_SUB: case RV_OP_AND: case RV_OP_OR: case RV_OP_XOR: case RV_OP_ADDW:
    case RV_OP_SUBW: case RV_OP_MUL: case RV_OP_MULW:
        return K_ALU_R;
    case RV_OP_SLLI: case RV_OP_SRLI: case RV_OP_SRAI: case RV_OP_SLLIW: case RV_OP_SRLIW: case RV_OP_SRAIW:
        return K_SHIFT_I;
    case RV_OP_SLL: case RV_OP_SRL: case RV_OP_SRA: case RV_OP_SLLW: case RV_OP_SRLW: case RV_OP_SRAW:
        return K_SHIFT_R;
    case RV_OP_SLTI: case RV_OP_SLTIU:
        return K_SET_I;
    case RV_OP_SLT: case RV_OP_SLTU:
        return K_SET_R;
    case RV_OP_LUI:
        return K_LUI;
    case RV_OP_AUIPC:
        return K_AUIPC;
    case RV_OP_LB: case RV_OP_LH: case RV_OP_LW: case RV_OP_LD: case RV_OP_LBU: case RV_OP_LHU: case RV_OP_LWU:
        return K_LOAD;
    case RV_OP_SB: case RV_OP_SH: case RV_OP_SW: case RV_OP_SD:
        return K_STORE;
    case RV_OP_BEQ: case RV_OP_BNE: case RV_OP_BLT: case RV_OP_BGE: case RV_OP_BLTU: case RV_OP_BGEU:
        return K_BRANCH;
    case RV_OP_JAL:
        return K_JAL;
    case RV_OP_JALR:
        return K_JALR;
#if FP_HOST_ARITH
    case RV_OP_FLW: case RV_OP_FLD:
        return K_FLOAD;
    case RV_OP_FSW: case RV_OP_FSD:
        return K_FSTORE;
    case RV_OP_FMADD_S:
        return fp_host_fma_ok ? K_FMADD : K_NONE;
    case RV_OP_FEQ_S: case RV_OP_FLT_S: case RV_OP_FLE_S:
        return K_FCMP;
    case RV_OP_FCVT_W_S: case RV_OP_FCVT_L_S:
        return K_FTOI;
    case RV_OP_FCVT_S_W: case RV_OP_FCVT_S_L:
        return K_ITOF;
#endif
    default:
        /* (the class table is filled once a machine records; timed blocks ask vector_op) */
        return rv_hist_class[op] == RV_HC_V || vector_op(op) ? K_VEC : K_NONE;
    }
}

/* which fields are integer registers (the FP ones stay in m->h.f) */
static int uses_rs1(int k)
{
    return k != K_LUI && k != K_AUIPC && k != K_JAL && k != K_FMADD && k != K_VEC && k != K_FCMP && k != K_FTOI;
}
static int uses_rs2(int k) { return k == K_ALU_R || k == K_SHIFT_R || k == K_SET_R || k == K_STORE || k == K_BRANCH; }
static int writes_rd(int k) { return k != K_STORE && k != K_BRANCH && k < K_FLOAD; }

/* ---------------------------------------------------------------- compiling */

typedef struct {
    uint8_t *at;                /* the rel32 to patch */
    int loop;                   /* 1: back to the top after retiring k in this pass, 0: leave */
    unsigned to, k;             /* leave at slot `to` having retired k instructions of this pass */
    const rv_insn_t *taken;     /* (timed) a taken branch: its step runs first, or NULL */
    uint64_t taken_pc;
    int taken_same_line;
} exit_t;

typedef struct {
    buf_t b;
    regs_t r;
    exit_t ex[MAX_EXITS];
    int nex;
    uint8_t *epi[MAX_EXITS];    /* jumps to the epilogue */
    int nepi;
    uint8_t *chain_at[MAX_EXITS];       /* jumps into other blocks: where, and to which code */
    const uint8_t *chain_to[MAX_EXITS];
    int nchain;
    uint64_t target_align;
    int rec;                    /* a recording block */
    int timed;                  /* a timed block */
    struct rv_timing *T;        /* (timed) the model */
    int same_line;              /* (timed) the instruction being compiled shares the fetch line of the
                                   one retired just before it (its predecessor in the block) */
    int vinline;                /* (timed) vector instructions' steps may be done inline (about 800
                                   bytes each: a block that does not fit so is compiled again without) */
    uint64_t mem_base, store_limit;   /* (recording) the last address whose 8 bytes a store logs */
    unsigned nent;              /* (recording) extras entries a pass may log at most (stores, fmadd.s) */
    unsigned nvec;              /* (recording) vector instructions (rv_hist_block_v logs their entries) */
    rv_history *hs;             /* (recording) the history whose dictionary holds the records' meta ids */
    unsigned vreserve;          /* (recording) bytes of the pass's entries after the vector instruction
                                   being compiled */
    const void *const *labels;  /* the loop's label table */
    struct rv_jit *jit;         /* the compiler, the block's page and kind (chain_at_run_time) */
    rv_code_page *page;
    unsigned kind;
} comp_t;

static void store_written(comp_t *c)
{
    for (int g = 1; g < 32; g++)
        if (c->r.written & (1u << g))
            op_rm(&c->b, 1, 0x89, c->r.loc[g], RDI, XOFF(g));
}

static void add_exit(comp_t *c, uint8_t *at, int loop, unsigned to, unsigned k)
{
    if (c->nex >= MAX_EXITS) {
        c->b.overflow = 1;
        return;
    }
    c->ex[c->nex++] = (exit_t){at, loop, to, k, NULL, 0, 0};
}

/* the scalar FP ops whose record (rv_hist_retire_f) depends on the host's exception flags: a recording
   block holding one starts only with none pending */
static int fp_flags_matter(int k) { return k == K_FMADD || k == K_FTOI || k == K_ITOF || k == K_FCMP; }

/* the instructions of the block entered at idx: how many (0: none) */
static unsigned scan(rv_machine *m, rv_code_page *page, unsigned idx, const void *const *labels,
                     const rv_insn_t **insn, unsigned *slot, int rec, int timed)
{
    const uint64_t target_align = (m->cfg.extensions & RV_EXT_C) ? 1 : 3;
    unsigned n = 0, i = idx;
    while (n < MAX_INSNS && i < RV_SLOTS_PER_PAGE) {
        const rv_insn_t *d = &page->slot[i];
        if (d->handler == labels[RV_LABEL_DECODE] || d->handler == labels[RV_LABEL_BREAKPOINT] ||
            d->handler == labels[RV_LABEL_NEXT_PAGE] || d->op == 0)
            break;
        unsigned len = d->len;
        if ((len != 2 && len != 4) || i + len / 2 > RV_SLOTS_PER_PAGE)
            break;          /* the instruction's bytes must be on this page */
        int k = kind_of(d->exec_op);
        if (k == K_VEC) {
            if (!rec && !timed)
                break;      /* functional blocks run no vector instruction */
            insn[n] = d;
            slot[n] = i;
            n++;
            i += len / 2;
            continue;       /* (rv_hist_block_v reads its fields) */
        }
        if (rec && k != K_NONE &&
            (rv_hist_class[d->exec_op] != (k == K_FLOAD || k == K_FSTORE ? RV_HC_FQ
                                           : k == K_FMADD || k == K_FCMP || k == K_FTOI || k == K_ITOF ? RV_HC_F
                                           : RV_HC_X) ||
             ((k == K_STORE || k == K_FSTORE) && m->cfg.mem_size < 8)))
            break;          /* recorded otherwise than the block records it */
        if (k == K_NONE || d->rd > RV_X_SINK || d->rs1 > 31 || d->rs2 > 31 || d->rs3 > 31)
            break;
        if ((k == K_FLOAD || k == K_FMADD || k == K_ITOF) && d->rd > 31)
            break;
        if ((k == K_FMADD || k == K_ITOF) && d->rm != SF_RNE && d->rm != 7)
            break;          /* a static rounding mode other than RNE: softfloat, in the interpreter */
        if (k == K_FTOI && d->rm != SF_RTZ)
            break;          /* only round-toward-zero runs on the host (exec_fp.inc TO_INT_S) */
        if (k != K_LUI && k != K_AUIPC && k != K_BRANCH && k != K_JAL &&
            d->imm != (int64_t)(int32_t)d->imm)
            break;
        if (k == K_BRANCH || k == K_JAL) {
            int64_t t = (int64_t)i + (d->imm >> 1);
            if ((d->imm & 1) || (d->imm & 2 & (int64_t)target_align) || t < 0 || t >= RV_SLOTS_PER_PAGE)
                break;      /* off the page or misaligned: the interpreter's */
            if (k == K_JAL && d->imm == 0)
                break;      /* jal to itself: the interpreter's hang check */
        }
        insn[n] = d;
        slot[n] = i;
        n++;
        i += len / 2;
        if (k == K_JAL || k == K_JALR)
            break;
    }
    slot[n] = i;
    return n;
}

static void choose_regs(regs_t *r, const rv_insn_t *const *insn, unsigned n, const int *alloc, int nalloc)
{
    unsigned uses[33] = {0};
    r->written = 0;
    for (unsigned i = 0; i < n; i++) {
        int k = kind_of(insn[i]->exec_op);
        if (uses_rs1(k))
            uses[insn[i]->rs1]++;
        if (uses_rs2(k))
            uses[insn[i]->rs2]++;
        if (writes_rd(k))
            uses[insn[i]->rd]++;
    }
    uses[0] = uses[RV_X_SINK] = 0;    /* x0 is read from memory, as the interpreter does */
    for (int g = 0; g < 33; g++)
        r->loc[g] = -1;
    for (int a = 0; a < nalloc; a++) {
        int best = -1;
        for (int g = 1; g < 32; g++)
            if (uses[g] && r->loc[g] < 0 && (best < 0 || uses[g] > uses[best]))
                best = g;
        if (best < 0)
            break;
        r->loc[best] = alloc[a];
        uses[best] = 0;
    }
    for (unsigned i = 0; i < n; i++) {
        int k = kind_of(insn[i]->exec_op);
        if (writes_rd(k) && insn[i]->rd != RV_X_SINK && r->loc[insn[i]->rd] >= 0)
            r->written |= 1u << insn[i]->rd;
    }
}

/* the address of a load or store in rax, host address in rax on a TLB hit, else leave at slot `at` */
static void mem_access(comp_t *c, const rv_insn_t *d, int store, unsigned size, unsigned at, unsigned k)
{
    buf_t *b = &c->b;
    load_g(b, &c->r, RAX, d->rs1);
    if (d->imm)
        op_ri(b, 1, 0, RAX, (int32_t)d->imm);               /* add rax, imm */
    op_rr(b, 1, 0x8b, RDX, RAX);                            /* mov rdx, rax */
    shift_ri(b, 1, 5, RDX, RV_PAGE_BITS);                   /* shr rdx, 12 */
    op_ri(b, 0, 4, RDX, RV_TLB_SIZE - 1);                   /* and edx, 255 */
    op_rr(b, 1, 0x8b, RCX, RAX);                            /* mov rcx, rax */
    op_ri(b, 1, 4, RCX, (int32_t)(~(uint32_t)(RV_PAGE_SIZE - 1) | (size - 1)));
    /* cmp rcx, [rdi + rdx*8 + tlb] */
    int32_t tlb = (int32_t)(store ? offsetof(rv_machine, tlb_store) : offsetof(rv_machine, tlb_load));
    b1(b, 0x48);
    b1(b, 0x3b);
    b1(b, 0x80 | RCX << 3 | 4);
    b1(b, 3 << 6 | RDX << 3 | RDI);
    b4(b, (uint32_t)tlb);
    add_exit(c, jcc_fwd(b, CC_NE), 0, at, k);
    if (c->timed)       /* (r11 does not survive the step's calls) */
        op_rm(b, 1, 0x03, RAX, RDI, (int32_t)offsetof(rv_machine, mem_bias));
    else
        op_rr(b, 1, 0x03, RAX, R11);                        /* add rax, r11 (mem_bias) */
}

/* ---------------------------------------------------------------- recording blocks
 *
 * A recording block (kind RV_JIT_RECORDING, entered only from the recording loop) writes, for each
 * instruction, the 12-byte undo record the recording loop's inline push would (history_internal.h):
 * the old value of rd, read before the instruction runs, and the id of a meta word whose pc and
 * register are constants (the id is found in the history's dictionary as the block is compiled); a
 * store also logs its 8 old bytes in the extras ring as rv_hist_store does.  Each pass
 * starts by checking that the records ring has room for the whole pass without reaching the bound
 * (history.room >= n: -1 with watchpoints or a lost step) and without wrapping, and likewise the
 * extras ring for the pass's stores; r14 then points at the pass's first record and [rsp + 8] at its
 * first extras entry, and [rsp + 16] and [rsp + 24] hold how far past this pass the checks found room
 * (records, extras bytes: rec_pass_top), so that a loop back, which only advances what the pass used,
 * checks only those (rec_loop_top) while nothing but the block's own passes moves the rings.  Every exit (and every loop back) advances rhead, room, ehead and ecommit by
 * what the pass retired, so the history is exactly the interpreter's at every exit; whatever a block
 * cannot record so (the bound, a ring wrapping, a store within 8 bytes of the end of memory) leaves
 * to the interpreter before the instruction. */
#define HOFF(f) ((int32_t)offsetof(rv_history, f))

static uint64_t rec_meta(const comp_t *c, uint64_t pc, unsigned nx, unsigned flags, unsigned reg)
{
    return ((pc - c->mem_base) >> 1) << 24 | (uint64_t)nx << 8 | (uint64_t)flags << 6 | reg;
}

#define REC_STRIDE ((int32_t)sizeof(rv_hist_rec))

/* record k of the pass: its old value from host register src */
static void rec_put_old(comp_t *c, unsigned k, int src)
{
    op_rm(&c->b, 1, 0x89, src, RP, REC_STRIDE * (int32_t)k);
}

/* record k of the pass: the id of meta word meta (mov dword [r14 + 12k + 8], id) */
static void rec_put_meta(comp_t *c, unsigned k, uint64_t meta)
{
    buf_t *b = &c->b;
    uint32_t id = rv_hist_meta_id(c->hs, meta);
    if (c->hs->metas[id] != meta)
        b->overflow = 1;        /* the dictionary could not take it (no host memory): not compiled */
    rex(b, 0, 0, RP);
    b1(b, 0xc7);
    b1(b, 0x80 | (RP & 7));
    b4(b, (uint32_t)(REC_STRIDE * (int32_t)k + 8));
    b4(b, id);
}

/* record k of the pass: old = x[g] (as it is now), meta */
static void rec_write_x_via(comp_t *c, unsigned k, unsigned g, uint64_t meta, int tmp)
{
    buf_t *b = &c->b;
    int src = c->r.loc[g];
    if (src < 0) {
        op_rm(b, 1, 0x8b, tmp, RDI, XOFF(g));
        src = tmp;
    }
    rec_put_old(c, k, src);
    rec_put_meta(c, k, meta);
}

static void rec_write_x(comp_t *c, unsigned k, unsigned g, uint64_t meta)
{
    rec_write_x_via(c, k, g, meta, RAX);
}

/* an extras entry of 8 bytes (rcx, clobbered) and its trailer (address, type | 8 << 32) at the
   pass's next entry ([rsp + 8], advanced), and ehead past it (rdx clobbered) */
static void rec_entry8(comp_t *c, uint64_t addr, uint64_t type)
{
    buf_t *b = &c->b;
    op_rsp8(b, 0x8b, RDX);
    op_rm(b, 1, 0x89, RCX, RDX, 0);
    mov_imm(b, RCX, addr);
    op_rm(b, 1, 0x89, RCX, RDX, 8);
    mov_imm(b, RCX, type | (uint64_t)8 << 32);
    op_rm(b, 1, 0x89, RCX, RDX, 16);
    b1(b, 0x48); b1(b, 0x81); b1(b, 0x44); b1(b, 0x24); b1(b, 0x08); b4(b, 24);   /* add qword [rsp+8], 24 */
    op_mi(b, 0, HS, HOFF(ehead), 24);
}

/* the history after k instructions of the pass retired */
static void rec_commit(comp_t *c, unsigned k)
{
    buf_t *b = &c->b;
    if (!k)
        return;
    op_mi(b, 0, HS, HOFF(rhead), (int32_t)k);                /* add [hs.rhead], k */
    op_mi(b, 5, HS, HOFF(room), (int32_t)k);                 /* sub [hs.room], k */
    if (c->nent || c->nvec) {
        /* (ehead moved with each entry) */
        op_rm(b, 1, 0x8b, RDX, HS, HOFF(ehead));
        op_rm(b, 1, 0x89, RDX, HS, HOFF(ecommit));
    }
}

/* the top of a pass of n instructions with ns stores: room for them, or leave at slot idx */
static void rec_pass_top(comp_t *c, unsigned n, unsigned ns, unsigned idx)
{
    buf_t *b = &c->b;
    op_rm(b, 1, 0x8b, RAX, HS, HOFF(room));
    op_ri(b, 1, 7, RAX, (int32_t)n);                        /* cmp rax, n */
    add_exit(c, jcc_fwd(b, CC_L), 0, idx, 0);
    op_rm(b, 1, 0x8b, RAX, HS, HOFF(rhead));
    op_rm(b, 1, 0x23, RAX, HS, HOFF(rmask));                /* and rax, rmask */
    op_rm(b, 1, 0x8d, RCX, RAX, (int32_t)n);                /* lea rcx, [rax + n] */
    op_rm(b, 1, 0x3b, RCX, HS, HOFF(rcap));
    add_exit(c, jcc_fwd(b, CC_A), 0, idx, 0);               /* the pass would wrap the ring */
    _Static_assert(sizeof(rv_hist_rec) == 12, "the records' stride below");
    b1(b, 0x48); b1(b, 0x8d); b1(b, 0x04); b1(b, 0x40);     /* lea rax, [rax + rax*2] */
    shift_ri(b, 1, 4, RAX, 2);                              /* shl rax, 2 */
    op_rm(b, 1, 0x03, RAX, HS, HOFF(rec));
    op_rr(b, 1, 0x8b, RP, RAX);                             /* r14: the pass's first record */
    /* [rsp + 16]: the records the passes after this one may take, min(room, rcap - index) - n */
    op_rm(b, 1, 0x8b, RDX, HS, HOFF(rcap));
    op_rr(b, 1, 0x2b, RDX, RCX);                            /* sub rdx, rcx (index + n) */
    op_rm(b, 1, 0x8b, RCX, HS, HOFF(room));
    op_ri(b, 1, 5, RCX, (int32_t)n);                        /* sub rcx, n */
    op_rr(b, 1, 0x3b, RCX, RDX);
    op_rr(b, 1, 0x0f4c, RDX, RCX);                          /* cmovl rdx, rcx */
    op_rsp(b, 0x89, RDX, 16);
    if (!ns)
        return;
    op_rm(b, 1, 0x8b, RAX, HS, HOFF(ehead));
    op_rr(b, 1, 0x8b, RCX, RAX);
    op_rm(b, 1, 0x2b, RCX, HS, HOFF(etail));
    op_ri(b, 1, 0, RCX, (int32_t)(24 * ns));
    op_rm(b, 1, 0x3b, RCX, HS, HOFF(ecap));
    add_exit(c, jcc_fwd(b, CC_A), 0, idx, 0);               /* the extras ring is full */
    op_rr(b, 1, 0x8b, RDX, RCX);                            /* rdx: the length after the pass */
    op_rm(b, 1, 0x8b, RCX, HS, HOFF(ecap));
    op_ri(b, 1, 0, RCX, -1);
    op_rr(b, 1, 0x23, RAX, RCX);                            /* and rax, ecap - 1 */
    op_rm(b, 1, 0x8d, RCX, RAX, (int32_t)(24 * ns));
    op_rm(b, 1, 0x3b, RCX, HS, HOFF(ecap));
    add_exit(c, jcc_fwd(b, CC_A), 0, idx, 0);               /* the pass's entries would wrap */
    /* [rsp + 24]: the extras bytes the passes after this one may take, ecap - max(both ends) */
    op_rr(b, 1, 0x3b, RDX, RCX);
    op_rr(b, 1, 0x0f42, RDX, RCX);                          /* cmovb rdx, rcx */
    op_rm(b, 1, 0x8b, RCX, HS, HOFF(ecap));
    op_rr(b, 1, 0x2b, RCX, RDX);
    op_rsp(b, 0x89, RCX, 24);
    op_rm(b, 1, 0x03, RAX, HS, HOFF(ext));
    op_rsp8(b, 0x89, RAX);                                  /* [rsp + 8]: the next entry */
}

/* A loop back to the block's top after a pass that retired k of its n instructions (committed): the
   next pass starts k records further on, [rsp + 8] already points past the entries the pass made (at
   most 24 ns bytes), and nothing else moved the rings (no vector instruction, whose helpers may: the
   caller checks), so the next pass fits if k records and 24 ns bytes are still within the room the last
   full check found ([rsp + 16], [rsp + 24]); else the full top (`top`) checks again, or leaves.  Then
   r15 and r14 advance and the pass starts at `body`. */
static void rec_loop_top(comp_t *c, unsigned n, unsigned ns, unsigned k, uint8_t *top, uint8_t *body)
{
    buf_t *b = &c->b;
    op_ri(b, 1, 0, R15, (int32_t)k);                        /* add r15, k */
    op_rm(b, 1, 0x8d, RAX, R15, (int32_t)n);                /* lea rax, [r15 + n] */
    b1(b, 0x48); b1(b, 0x3b); b1(b, 0x04); b1(b, 0x24);     /* cmp rax, [rsp] */
    patch(b, jcc_fwd(b, CC_GE), top);                       /* (the full top leaves) */
    b1(b, 0x48); b1(b, 0x81); b1(b, 0x6c); b1(b, 0x24); b1(b, 0x10); b4(b, k);   /* sub qword [rsp+16], k */
    patch(b, jcc_fwd(b, CC_L), top);
    if (ns) {
        b1(b, 0x48); b1(b, 0x81); b1(b, 0x6c); b1(b, 0x24); b1(b, 0x18); b4(b, 24 * ns);   /* sub qword [rsp+24], 24 ns */
        patch(b, jcc_fwd(b, CC_L), top);
    }
    op_ri(b, 1, 0, RP, REC_STRIDE * (int32_t)k);            /* add r14, 12k */
    patch(b, jcc_fwd(b, -1), body);
}

/* a store (instruction k of the pass, at slot at) of size bytes, whose host address is in rax: log
   its old bytes as rv_hist_store does (type and size, the address, the 8 bytes there) */
static void rec_store_log(comp_t *c, unsigned size, unsigned at, unsigned k)
{
    buf_t *b = &c->b;
    op_rr(b, 1, 0x8b, RCX, RAX);
    op_rr(b, 1, 0x2b, RCX, R11);                            /* rcx: the guest address */
    mov_imm(b, RDX, c->store_limit);
    op_rr(b, 1, 0x3b, RCX, RDX);
    add_exit(c, jcc_fwd(b, CC_A), 0, at, k);                /* near the end of memory: rv_hist_mem's */
    op_rsp8(b, 0x8b, RDX);
    op_rm(b, 1, 0x89, RCX, RDX, 8);
    op_rm(b, 1, 0x8b, RCX, RAX, 0);
    op_rm(b, 1, 0x89, RCX, RDX, 0);
    mov_imm(b, RCX, RV_HE_MEM | (uint64_t)size << 32);
    op_rm(b, 1, 0x89, RCX, RDX, 16);
    b1(b, 0x48); b1(b, 0x81); b1(b, 0x44); b1(b, 0x24); b1(b, 0x08); b4(b, 24);   /* add qword [rsp+8], 24 */
    op_mi(b, 0, HS, HOFF(ehead), 24);
}

/* clear the host's exception flags (MXCSR through the red zone at [rsp - 8]) */
static void rec_clear_host_flags(buf_t *b)
{
    b1(b, 0x0f); b1(b, 0xae); b1(b, 0x5c); b1(b, 0x24); b1(b, 0xf8);     /* stmxcsr [rsp-8] */
    b1(b, 0x81); b1(b, 0x64); b1(b, 0x24); b1(b, 0xf8); b4(b, ~0x3fu);  /* and dword [rsp-8], ~0x3f */
    b1(b, 0x0f); b1(b, 0xae); b1(b, 0x54); b1(b, 0x24); b1(b, 0xf8);     /* ldmxcsr [rsp-8] */
}

/* an SSE instruction prefix 0f op between xmm registers dst and src (both below xmm8) */
static void sse_rr(buf_t *b, unsigned prefix, unsigned op, int dst, int src)
{
    if (prefix)
        b1(b, prefix);
    b1(b, 0x0f); b1(b, op); b1(b, 0xc0 | dst << 3 | src);
}

enum { CVTSS2SD = 0x5a, ADDSD = 0x58, MULSD = 0x59, SUBSD = 0x5c, UCOMISD = 0x2e };

/* the AVX scalar double op (VEX.F2.0F op) dst = src1 op src2 between xmm registers below xmm8 */
static void vex_sd(buf_t *b, unsigned op, int dst, int src1, int src2)
{
    b1(b, 0xc5);                                            /* two-byte VEX: R, vvvv inverted, L0, F2 */
    b1(b, 0x80 | (~(unsigned)src1 & 15u) << 3 | 3);
    b1(b, op); b1(b, 0xc0 | dst << 3 | src2);
}

/* fmadd.s's host flags without reading MXCSR: stmxcsr costs about 7 ns on the AMD hosts measured
   (2026-12-08), more than the rest of a recorded fmadd.s, and the usual fmadd.s raises no flag at all
   (it is exact: products of short operands).  With the single result r in xmm2 (not a NaN: checked
   before), a and b still in xmm0 and xmm1, and c = f[rs3], this decides exactly when the fmadd.s
   raised no flag, and then jumps (the rel32 returned, to patch) to the record of no flag; else it
   falls through to the stmxcsr path, with no flag raised that the fmadd.s did not raise itself.
   - r not infinite: then a, b and c are finite (an infinite operand gives an infinity or a NaN), so
     no overflow; and no flag but DE, denormal operand, is raised by an exact result.
   - No operand a denormal (DE, which also the conversions below would raise), and r not one (its
     conversion below would raise DE, which the fmadd.s does not raise for its result).
   - a*b + c == r exactly, found in double precision: p = a*b is exact (48 significant bits, far from
     double's range limits) and s = p + c is rounded (to nearest, no overflow: MXCSR.RC is nearest, the
     guest's rounding mode never reaches it).  s == p + c iff s - p == c and s - c == p (both computed):
     an exact s makes both differences exact; and of p and c the one of larger magnitude, say p, makes
     s - p exact (Dekker's Fast2Sum), the error c - (s - p) then being 0.  The fmadd.s is exact iff s
     is and s == r.  When it is exact, every double operation is exact and raises nothing; when it is
     not, the fmadd.s raised PE, so PE from the double operations is no new flag (they raise no other:
     no overflow, no denormal double).  (Three-operand AVX forms: the host has FMA3, so AVX.)
   Clobbers rdx and xmm3-xmm7 (the block keeps nothing in them). */
static uint8_t *rec_fmadd_exact(comp_t *c, const rv_insn_t *d)
{
    buf_t *b = &c->b;
    uint8_t *slow[8];
    int ns = 0;
    /* a single x is denormal when 2x (the sign dropped) is in [2, 0x00fffffe], so 2x - 1 (32 bits) in
       [1, 0x00fffffd] (for a zero it wraps to 0xffffffff); infinite (or a NaN) when 2x - 1 >= 0xfeffffff */
    op_rr(b, 0, 0x8b, RDX, RAX);                            /* mov edx, eax: r's bits */
    b1(b, 0x8d); b1(b, 0x54); b1(b, 0x12); b1(b, 0xff);     /* lea edx, [rdx + rdx - 1] */
    op_ri(b, 0, 7, RDX, 0x00fffffd);
    slow[ns++] = jcc_fwd(b, 0x6);                           /* jbe: r denormal (converting it raises DE) */
    op_ri(b, 0, 7, RDX, (int32_t)0xfefffffe);
    slow[ns++] = jcc_fwd(b, CC_A);                          /* r infinite */
    const unsigned src[3] = {d->rs1, d->rs2, d->rs3};
    for (int i = 0; i < 3; i++) {
        op_rm(b, 0, 0x8b, RDX, RDI, FOFF(src[i]));          /* mov edx, f[src] (low word) */
        b1(b, 0x8d); b1(b, 0x54); b1(b, 0x12); b1(b, 0xff); /* lea edx, [rdx + rdx - 1] */
        op_ri(b, 0, 7, RDX, 0x00fffffd);
        slow[ns++] = jcc_fwd(b, 0x6);                       /* jbe: a denormal operand */
    }
    sse_rr(b, 0xf3, CVTSS2SD, 3, 0);                        /* xmm3 = a */
    sse_rr(b, 0xf3, CVTSS2SD, 4, 1);                        /* xmm4 = b */
    sse_rr(b, 0xf2, MULSD, 3, 4);                           /* xmm3 = p = a*b (exact) */
    b1(b, 0xf3); op_rm(b, 0, 0x0f00 | CVTSS2SD, 4, RDI, FOFF(d->rs3));   /* xmm4 = c */
    vex_sd(b, ADDSD, 5, 3, 4);                              /* xmm5 = s = p + c */
    sse_rr(b, 0xf3, CVTSS2SD, 6, 2);                        /* xmm6 = r */
    sse_rr(b, 0x66, UCOMISD, 5, 6);
    slow[ns++] = jcc_fwd(b, CC_NE);                         /* s != r (neither is a NaN) */
    vex_sd(b, SUBSD, 6, 5, 3);                              /* xmm6 = s - p */
    sse_rr(b, 0x66, UCOMISD, 6, 4);
    slow[ns++] = jcc_fwd(b, CC_NE);                         /* s - p != c */
    vex_sd(b, SUBSD, 7, 5, 4);                              /* xmm7 = s - c */
    sse_rr(b, 0x66, UCOMISD, 7, 3);
    slow[ns++] = jcc_fwd(b, CC_NE);                         /* s - c != p */
    uint8_t *exact = jcc_fwd(b, -1);
    for (int i = 0; i < ns; i++)
        patch(b, slow[i], b->p);
    return exact;
}

/* fmadd.s (instruction k of the pass, at slot at), its boxed result in rax, f[rd] not written yet:
   the record the recording loop makes.  No flag raised: rv_hist_retire_f's inline push (f[rd] and
   its old value when it changed, else x[rd]).  Only inexact raised with NX already in fflags (the
   usual case), or only the host's denormal flag (DE, which has no RISC-V flag): its slow path
   (rv_hist_retire_f_slow) folds them, which changes nothing, clears the host's flags and logs the
   words that changed (only f[rd] can) as hart entries under a record of no register.  Any other flag
   changes fflags: leave before the instruction, the interpreter redoes it (raising the same flags)
   and logs the change. */
static void rec_fmadd(comp_t *c, const rv_insn_t *d, unsigned at, unsigned k, uint64_t pc, int is_fmadd)
{
    buf_t *b = &c->b;
    const unsigned fr = d->rd & 31u;
    op_rm(b, 1, 0x8b, RCX, RDI, FOFF(fr));                  /* rcx: the old f[rd] */
    uint8_t *exact = is_fmadd ? rec_fmadd_exact(c, d) : NULL;
    b1(b, 0x0f); b1(b, 0xae); b1(b, 0x5c); b1(b, 0x24); b1(b, 0xf8);     /* stmxcsr [rsp-8] */
    b1(b, 0x8b); b1(b, 0x54); b1(b, 0x24); b1(b, 0xf8);     /* mov edx, [rsp-8] */
    b1(b, 0x83); b1(b, 0xe2); b1(b, 0x3f);                  /* and edx, 0x3f */
    uint8_t *flags = jcc_fwd(b, CC_NE);
    if (exact)
        patch(b, exact, b->p);
    op_rr(b, 1, 0x3b, RAX, RCX);
    uint8_t *diff = jcc_fwd(b, CC_NE);
    rec_write_x_via(c, k, d->rd, rec_meta(c, pc, 0, RV_HR_RETIRED, d->rd), RDX);
    uint8_t *done1 = jcc_fwd(b, -1);
    patch(b, diff, b->p);
    rec_put_old(c, k, RCX);
    rec_put_meta(c, k, rec_meta(c, pc, 0, RV_HR_RETIRED | RV_HR_FREG, fr));
    uint8_t *done2 = jcc_fwd(b, -1);
    patch(b, flags, b->p);
    /* clear them, as the fold does (none was pending before: leaving, the interpreter starts from the
       same state) */
    b1(b, 0x81); b1(b, 0x64); b1(b, 0x24); b1(b, 0xf8); b4(b, ~0x3fu);  /* and dword [rsp-8], ~0x3f */
    b1(b, 0x0f); b1(b, 0xae); b1(b, 0x54); b1(b, 0x24); b1(b, 0xf8);     /* ldmxcsr [rsp-8] */
    b1(b, 0xf6); b1(b, 0xc2); b1(b, 0x1d);                  /* test dl, IE | ZE | OE | UE */
    add_exit(c, jcc_fwd(b, CC_NE), 0, at, k);
    b1(b, 0xf6); b1(b, 0xc2); b1(b, 0x20);                  /* test dl, PE */
    uint8_t *denormal_only = jcc_fwd(b, CC_E);
    b1(b, 0xf6); b1(b, 0x87); b4(b, (uint32_t)offsetof(rv_machine, h.fflags)); b1(b, 1);   /* test byte fflags, NX */
    add_exit(c, jcc_fwd(b, CC_E), 0, at, k);
    patch(b, denormal_only, b->p);
    op_rr(b, 0, 0x33, RDX, RDX);                            /* xor edx, edx */
    rec_put_old(c, k, RDX);                                 /* old: 0 (no register) */
    op_rr(b, 1, 0x3b, RAX, RCX);
    uint8_t *same = jcc_fwd(b, CC_E);
    rec_entry8(c, (uint64_t)offsetof(rv_hart_state, f) + 8u * fr, RV_HE_HART);   /* the old f[rd] */
    rec_put_meta(c, k, rec_meta(c, pc, 24, RV_HR_RETIRED, 63));
    uint8_t *done3 = jcc_fwd(b, -1);
    patch(b, same, b->p);
    rec_put_meta(c, k, rec_meta(c, pc, 0, RV_HR_RETIRED, 63));
    patch(b, done1, b->p);
    patch(b, done2, b->p);
    patch(b, done3, b->p);
}

/* FP results need mstatus.FS dirty: leave (before the instruction) when it is not, and the
   interpreter sets it */
static void fs_dirty_or_leave(comp_t *c, unsigned at, unsigned k)
{
    buf_t *b = &c->b;
    op_rm(b, 1, 0x8b, RAX, RDI, (int32_t)offsetof(rv_machine, h.mstatus));
    b1(b, 0x48); b1(b, 0xf7); b1(b, 0xd0);                  /* not rax */
    b1(b, 0xa9); b4(b, (uint32_t)MSTATUS_FS_DIRTY);         /* test eax, imm32 */
    add_exit(c, jcc_fwd(b, CC_NE), 0, at, k);
}

/* ---------------------------------------------------------------- timed blocks
 *
 * A timed block (kind RV_JIT_TIMED, entered only from the RV64 timed loop) calls the cycle model's step
 * after each instruction it retires, as the timed loop's retirement does (interp.h RV_TIMED_RETIRE):
 * T->step[exec_op] read at run time (the table changes when a pipeline trace starts), with the slot and
 * the pc as constants, the values x[rs1] and x[rs2] held before the instruction ran, and whether it
 * transferred control (a taken branch calls it on its way out, jal and jalr before they leave).  An
 * instruction the block leaves before is not stepped: the interpreter retires it.  Guest registers live
 * only in callee-saved host registers, m is reloaded from the stack after each call and the memory bias
 * is read from m.  Stack: [rsp] the budget, [rsp + 8] and [rsp + 16] x[rs1] and x[rs2] before an
 * instruction that overwrites one of them, [rsp + 24] a jalr's target across its step, [rsp + 32] m
 * (five slots: rsp stays 16-byte aligned at the calls). */
#define TS_RS1 8
#define TS_RS2 16
#define TS_TMP 24
#define TS_M 32
#define TS_SLOTS 5

/* the ops whose block copy of the step reads rs1's value (an address; a vector instruction's, when it
   is a load or store); the others read no register value */
static int block_step_reads_rs1(int k)
{
    return k == K_LOAD || k == K_STORE || k == K_FLOAD || k == K_FSTORE || k == K_JALR || k == K_VEC;
}

/* does the instruction overwrite one of the registers its step is given? */
static int timed_needs_pre(comp_t *c, const rv_insn_t *d)
{
    int k = kind_of(d->exec_op);
    if (rv_timing_block_step(c->T, d->exec_op))
        return block_step_reads_rs1(k) && writes_rd(k) && d->rd != RV_X_SINK && d->rd == (d->rs1 & 31u);
    return writes_rd(k) && d->rd != RV_X_SINK && (d->rd == (d->rs1 & 31u) || d->rd == (d->rs2 & 31u));
}

/* the step of d (at pc) after it ran; pre: its x[rs1] and x[rs2] were saved before it ran.  Clobbers
   every caller-saved register; rdi is m again after it.  The model's block copy of the step when it
   has one (timing_block.h: given the per-address record and whether the fetch line is the previous
   instruction's), else T->step[op] as the loop calls it. */
static void timed_step_inline(comp_t *c, const rv_insn_t *d, const rv_block_inline *s, uint64_t *rec,
                              uint64_t pc, int pre, int taken, int same_line, const uint8_t *vdesc,
                              rv_block_vresult_fn vresult);

static void timed_step(comp_t *c, const rv_insn_t *d, uint64_t pc, int taken, int pre, int same_line)
{
    buf_t *b = &c->b;
    rv_block_step_fn bf = rv_timing_block_step(c->T, d->exec_op);
    rv_block_inline si;
    if (bf && rv_timing_block_inline(c->T, d, &si) && (!taken || si.branch || si.jump) &&
        si.lat < (1u << 30) && si.occ < (1u << 30)) {
        timed_step_inline(c, d, &si, rv_timing_block_rec(c->T, pc), pc, pre, taken, same_line, NULL, NULL);
        return;
    }
    uint8_t vdesc[RV_BLOCK_VDESC_BYTES];
    uint8_t *other = NULL, *done = NULL;
    rv_block_vresult_fn vresult = bf && !taken && c->vinline && kind_of(d->exec_op) == K_VEC
                                  ? rv_timing_block_vstep(c->T, d, &si, vdesc) : NULL;
    if (vresult && si.lat < (1u << 30) && si.occ < (1u << 30)) {
        /* the step done inline while the vector state is the one the block resolved its cost for, else
           the block copy below; the cost's descriptor kept in the code, jumped over (8-byte aligned, as
           blocks start 16-byte aligned in the arena) */
        uint8_t *over = jcc_fwd(b, -1);
        while ((b->p - b->start) & 7)
            b1(b, 0xcc);
        uint8_t *at = b->p;
        for (unsigned i = 0; i < RV_BLOCK_VDESC_BYTES; i++)
            b1(b, vdesc[i]);
        patch(b, over, b->p);
        /* (vill: vl counts as 0, as the resolved vl is) */
        const struct { int32_t at; uint64_t want; } guard[3] = {
            {(int32_t)offsetof(rv_machine, h.vtype), si.vtype},
            {(si.vtype >> 63) ? -1 : (int32_t)offsetof(rv_machine, h.vl), si.vl},
            {(int32_t)offsetof(rv_machine, h.mtype), si.mtype}};
        uint8_t *fail[3];
        int nf = 0;
        for (int i = 0; i < 3; i++) {
            if (guard[i].at < 0)
                continue;
            if ((int64_t)guard[i].want == (int64_t)(int32_t)guard[i].want) {
                op_mi(b, 7, RDI, guard[i].at, (int32_t)guard[i].want);     /* cmp qword [rdi + at], imm */
            } else {
                mov_imm(b, RDX, guard[i].want);
                op_rm(b, 1, 0x3b, RDX, RDI, guard[i].at);
            }
            fail[nf++] = jcc_fwd(b, CC_NE);
        }
        timed_step_inline(c, d, &si, rv_timing_block_rec(c->T, pc), pc, pre, taken, same_line, at, vresult);
        done = jcc_fwd(b, -1);
        other = b->p;
        for (int i = 0; i < nf; i++)
            patch(b, fail[i], other);
    }
    if (bf) {
        if (!block_step_reads_rs1(kind_of(d->exec_op)))
            ;       /* (rcx left as it is: the copy does not read it) */
        else if (pre)
            op_rsp(b, 0x8b, RCX, TS_RS1);
        else
            load_g(b, &c->r, RCX, d->rs1 & 31u);
        mov_imm(b, R8, (uint64_t)(uintptr_t)rv_timing_block_rec(c->T, pc));
        op_rm(b, 1, 0x8b, RDI, RDI, (int32_t)offsetof(rv_machine, timing));
        mov_imm(b, RSI, (uint64_t)(uintptr_t)d);
        mov_imm(b, RDX, pc);
        b1(b, 0x41); b1(b, 0xb9);
        b4(b, (taken ? RV_BSTEP_TAKEN : 0) | (same_line ? RV_BSTEP_SAME_LINE : 0));   /* mov r9d, flags */
        mov_imm(b, RAX, (uint64_t)(uintptr_t)bf);
        b1(b, 0xff); b1(b, 0xd0);                           /* call rax */
        op_rsp(b, 0x8b, RDI, TS_M);
        if (done)
            patch(b, done, b->p);
        return;
    }
    if (pre) {
        op_rsp(b, 0x8b, RCX, TS_RS1);
        op_rsp(b, 0x8b, R8, TS_RS2);
    } else {
        load_g(b, &c->r, RCX, d->rs1 & 31u);
        load_g(b, &c->r, R8, d->rs2 & 31u);
    }
    op_rm(b, 1, 0x8b, RDI, RDI, (int32_t)offsetof(rv_machine, timing));  /* rdi: the model */
    mov_imm(b, RSI, (uint64_t)(uintptr_t)d);
    mov_imm(b, RDX, pc);
    if (taken) {
        b1(b, 0x41); b1(b, 0xb9); b4(b, 1);                 /* mov r9d, 1 */
    } else {
        op_rr(b, 0, 0x33, R9, R9);                          /* xor r9d, r9d */
    }
    /* call [rdi + offsetof(step[exec_op])] (the hooks lead the model's state: timing_hooks.h) */
    b1(b, 0xff); b1(b, 0x97);
    b4(b, (uint32_t)(offsetof(rv_timing_hooks, step) + sizeof(rv_step_fn) * d->exec_op));
    op_rsp(b, 0x8b, RDI, TS_M);
}

/* op [base + index*8 + disp32], reg (or reg, [...]): the SIB form */
static void op_sib8(buf_t *b, unsigned op, int reg, int base, int index, int32_t disp)
{
    b1(b, 0x48 | ((reg >> 3) & 1) << 2 | ((index >> 3) & 1) << 1 | ((base >> 3) & 1));
    opcode(b, op);
    b1(b, 0x84 | (reg & 7) << 3);
    b1(b, 0xc0 | (index & 7) << 3 | (base & 7));
    b4(b, (uint32_t)disp);
}

/* CONSTRAIN(rdx, esi) of the step (timing.c): t (rax) and cause (ecx) become rdx and esi when rdx is
   later than t */
static void inline_constrain(buf_t *b)
{
    op_rr(b, 1, 0x3b, RDX, RAX);                            /* cmp rdx, rax */
    op_rr(b, 0, 0x0f47, RCX, RSI);                          /* cmova ecx, esi */
    op_rr(b, 1, 0x0f47, RAX, RDX);                          /* cmova rax, rdx */
}

/* The block copy of the step of a plain, multiply/divide or FP instruction on the fetch line of the one
   before it, done inline (timing_block.h rv_block_inline; the same operations in the same order as
   step_body, with the scoreboard entries, latency, unit and record resolved).  rdi is m on entry and
   again after; rax, rcx, rdx, rsi, r8-r11 clobbered. */
/* The end of the step of a load or store (rdx = x[rs1], rdi = T, rcx = t) when it hits the L1D line
   found last, as tm_data_access_fast does it, then the result's entry and the latest completion as
   rv_timing_block_mem; jumps to the returned rel32 when done, falls through (rdx, rcx, rdi kept) when
   the line is another. */
static uint8_t *timed_mem_mru(comp_t *c, const rv_insn_t *d, const rv_block_inline *s)
{
    buf_t *b = &c->b;
    const int load = s->mem == 1;
    op_rm(b, 1, 0x8d, R11, RDX, (int32_t)d->imm);           /* r11: rs1 + imm */
    if (s->addr_mask != ~(uint64_t)0) {
        mov_imm(b, R8, s->addr_mask);
        op_rr(b, 1, 0x23, R11, R8);
    }
    shift_ri(b, 1, 5, R11, s->l1d_line_bits);               /* its line */
    op_rm(b, 1, 0x3b, R11, RDI, s->o_mru_line0);
    uint8_t *other = jcc_fwd(b, CC_NE);
    op_rm(b, 1, 0x8b, R8, RDI, s->o_mru_way0);              /* r8: the way */
    op_mi(b, 0, RDI, s->o_l1d_access, 1);
    op_rm(b, 1, 0x8b, R9, RDI, s->o_l1d_clock);
    op_ri(b, 1, 0, R9, 1);
    op_rm(b, 1, 0x89, R9, RDI, s->o_l1d_clock);
    mov_imm(b, R10, s->l1d_stamp);
    op_sib8(b, 0x89, R9, R10, R8, 0);                       /* stamp[way] = ++clock */
    if (load) {
        op_rm(b, 1, 0x8d, RAX, RCX, (int32_t)s->hit_latency);   /* rax: t + hit latency */
        mov_imm(b, R10, s->l1d_ready);
        op_sib8(b, 0x8b, RDX, R10, R8, 0);                  /* rdx: the line's ready */
        b1(b, 0xbe); b4(b, s->cause_load);                  /* mov esi, load */
        b1(b, 0x41); b1(b, 0xb9); b4(b, s->cause_dcache);   /* mov r9d, dcache */
        op_rr(b, 1, 0x3b, RDX, RAX);
        op_rr(b, 1, 0x0f47, RAX, RDX);                      /* ready = max */
        op_rr(b, 0, 0x0f47, RSI, R9);                       /* missed: later than a hit */
    } else {
        mov_imm(b, R10, s->l1d_dirty);
        b1(b, 0x43); b1(b, 0xc6); b1(b, 0x04); b1(b, 0x02); b1(b, 1);   /* mov byte [r10 + r8], 1 */
        op_rm(b, 1, 0x8d, RAX, RCX, 1);                     /* ready = t + 1 */
        b1(b, 0xbe); b4(b, s->rcause);
    }
    op_rm(b, 1, 0x89, RAX, RDI, s->o_rr + 8 * (int32_t)s->dreg);
    b1(b, 0x40); b1(b, 0x88); b1(b, 0xb7); b4(b, (uint32_t)(s->o_reg_cause + (int32_t)s->dreg));   /* mov [..], sil */
    op_rm(b, 1, 0x8b, RDX, RDI, s->o_end);
    op_rr(b, 1, 0x3b, RDX, RAX);
    op_rr(b, 1, 0x0f42, RDX, RAX);
    op_rm(b, 1, 0x8d, R8, RCX, 1);
    op_rr(b, 1, 0x3b, RDX, R8);
    op_rr(b, 1, 0x0f42, RDX, R8);                           /* end = max(end, ready, t + 1) */
    op_rm(b, 1, 0x89, RDX, RDI, s->o_end);
    uint8_t *done = jcc_fwd(b, -1);
    patch(b, other, b->p);
    return done;
}

/* base (r8) = cycle + (slots >= issue width), rdi = T; clobbers rdx */
static void inline_base(buf_t *b, const rv_block_inline *s)
{
    op_rm(b, 0, 0x8b, RDX, RDI, s->o_slots);
    op_rm(b, 1, 0x8b, R8, RDI, s->o_cycle);
    op_rm(b, 0, 0x3b, RDX, RDI, s->o_issue_width);         /* cmp edx, issue_width */
    op_ri(b, 1, 3, R8, -1);                                 /* sbb r8, -1: + 1 unless below */
}

static void timed_step_inline(comp_t *c, const rv_insn_t *d, const rv_block_inline *s, uint64_t *rec,
                              uint64_t pc, int pre, int taken, int same_line, const uint8_t *vdesc,
                              rv_block_vresult_fn vresult)
{
    buf_t *b = &c->b;
    op_rm(b, 1, 0x8b, RDI, RDI, (int32_t)offsetof(rv_machine, timing));  /* rdi: the model */
    /* fetch: on the line fetched last (the step's test; known when it shares the line of the
       instruction before it in the block), base (r8) = cycle + (slots >= issue width), t (rax) = base
       constrained by the fetch, cause (ecx); on another line, the same by rv_timing_block_fetch, which
       looks the line up */
    uint8_t *other = NULL, *fetched = NULL;
    if (!same_line) {
        mov_imm(b, RAX, pc >> rv_timing_fetch_line_bits(c->T));
        op_rm(b, 1, 0x3b, RAX, RDI, s->o_last_fetch_line);
        other = jcc_fwd(b, CC_NE);
    }
    inline_base(b, s);
    op_rr(b, 1, 0x8b, RAX, R8);
    b1(b, 0xb9); b4(b, s->no_cause);                        /* mov ecx, no cause */
    op_rm(b, 1, 0x8b, RDX, RDI, s->o_fetch_ready);
    op_rm(b, 0, 0x0fb6, RSI, RDI, s->o_fetch_cause);
    inline_constrain(b);
    if (other) {
        fetched = jcc_fwd(b, -1);
        patch(b, other, b->p);
        mov_imm(b, RSI, pc);
        mov_imm(b, RAX, (uint64_t)(uintptr_t)&rv_timing_block_fetch);
        b1(b, 0xff); b1(b, 0xd0);                           /* call rax: rax = t, rdx = cause */
        op_rr(b, 0, 0x8b, RCX, RDX);
        op_rsp(b, 0x8b, RDI, TS_M);
        op_rm(b, 1, 0x8b, RDI, RDI, (int32_t)offsetof(rv_machine, timing));
        inline_base(b, s);
        patch(b, fetched, b->p);
    }
    /* sources (RAW) */
    for (unsigned i = 0; i < s->nraw; i++) {
        op_rm(b, 1, 0x8b, RDX, RDI, s->o_rr + 8 * (int32_t)s->raw[i]);
        op_rm(b, 0, 0x0fb6, RSI, RDI, s->o_reg_cause + (int32_t)s->raw[i]);
        inline_constrain(b);
    }
    /* WAW: ready[dreg] - lat (0 below) */
    if (s->waw) {
        op_rm(b, 1, 0x8b, RDX, RDI, s->o_rr + 8 * (int32_t)s->dreg);
        op_rr(b, 0, 0x33, RSI, RSI);                        /* xor esi, esi */
        op_ri(b, 1, 5, RDX, (int32_t)s->lat);               /* sub rdx, lat */
        op_rr(b, 1, 0x0f42, RDX, RSI);                      /* cmovb rdx, rsi */
        b1(b, 0xbe); b4(b, s->stall_waw);                   /* mov esi, WAW */
        inline_constrain(b);
    }
    /* the unit's instance (r9: its free cycle's address), free first of two */
    op_rm(b, 1, 0x8d, R9, RDI, s->o_unit);
    if (s->unit_pair) {
        op_rm(b, 1, 0x8b, RDX, R9, 0);
        op_rm(b, 1, 0x39, RDX, R9, 8);                      /* cmp [r9 + 8], rdx */
        op_rm(b, 1, 0x8d, R10, R9, 8);
        op_rr(b, 1, 0x0f42, R9, R10);                       /* cmovb r9, r10 */
    }
    op_rm(b, 1, 0x8b, RDX, R9, 0);
    b1(b, 0xbe); b4(b, s->stall_unit);
    inline_constrain(b);
    if (s->vector) {
        /* the queue (r10: the slot of its head, 0 when not full): once n = v_instructions >= depth,
           the depth-th older one must have left, at vq[(n - depth) & mask] */
        op_rr(b, 0, 0x33, R10, R10);                        /* xor r10d, r10d */
        op_rm(b, 1, 0x8b, RDX, RDI, s->o_v_instructions);
        op_ri(b, 1, 7, RDX, (int32_t)s->vq_depth);          /* cmp rdx, depth */
        uint8_t *room = jcc_fwd(b, CC_B);
        op_ri(b, 1, 5, RDX, (int32_t)s->vq_depth);          /* sub rdx, depth */
        op_ri(b, 0, 4, RDX, (int32_t)s->vq_mask);           /* and edx, mask */
        op_rr(b, 1, 0x8b, R10, RDX);
        op_sib8(b, 0x8b, RDX, RDI, R10, s->o_vq);           /* mov rdx, [rdi + r10*8 + vq] */
        b1(b, 0xbe); b4(b, s->stall_vqueue);
        inline_constrain(b);
        patch(b, room, b->p);
    }
    /* issue at t */
    op_rm(b, 0, 0x8b, RDX, RDI, s->o_slots);
    op_ri(b, 0, 0, RDX, 1);                                 /* add edx, 1 */
    b1(b, 0xbe); b4(b, 1);                                  /* mov esi, 1 */
    op_rm(b, 1, 0x3b, RAX, RDI, s->o_cycle);                /* cmp rax, cycle */
    op_rr(b, 0, 0x0f47, RDX, RSI);                          /* cmova edx, esi */
    op_rm(b, 0, 0x89, RDX, RDI, s->o_slots);
    op_rm(b, 1, 0x89, RAX, RDI, s->o_cycle);
    op_rr(b, 1, 0x8b, RSI, RAX);
    op_rr(b, 1, 0x2b, RSI, R8);                             /* rsi: stall = t - base */
    op_sib8(b, 0x01, RSI, RDI, RCX, s->o_stall);            /* add [rdi + rcx*8 + stall], rsi */
    if (s->vector) {
        /* a full queue: its stall charged to the reason its head started late */
        op_ri(b, 0, 7, RCX, (int32_t)s->stall_vqueue);
        uint8_t *not_full = jcc_fwd(b, CC_NE);
        op_rr(b, 1, 0x8b, RDX, R10);
        op_rr(b, 1, 0x03, RDX, RDI);
        op_rm(b, 0, 0x0fb6, RDX, RDX, s->o_vq_cause);       /* movzx edx, byte vq_cause[head] */
        b1(b, 0x41); b1(b, 0xba); b4(b, s->vwait_pipe);    /* mov r10d, pipe */
        op_ri(b, 0, 7, RDX, (int32_t)s->vwait_count);
        op_rr(b, 0, 0x0f43, RDX, R10);                      /* cmovae edx, r10d */
        op_sib8(b, 0x01, RSI, RDI, RDX, s->o_v_queue_full); /* add [rdi + rdx*8 + full], rsi */
        patch(b, not_full, b->p);
    }
    op_rm(b, 1, 0x8d, RDX, RAX, (int32_t)s->occ);
    op_rm(b, 1, 0x89, RDX, R9, 0);                          /* the unit busy until t + occ */
    /* results (a load's or store's: rv_timing_block_mem at the end; a vector instruction's:
       the function rv_timing_block_vstep returned) */
    if (!s->mem && !s->vector) {
        op_rm(b, 1, 0x8d, R10, RAX, (int32_t)s->lat);       /* r10: ready */
        if (s->flops)
            op_mi(b, 0, RDI, s->o_flops, (int32_t)s->flops);
        if (!s->branch) {
            op_rm(b, 1, 0x89, R10, RDI, s->o_rr + 8 * (int32_t)s->dreg);
            b1(b, 0xc6); b1(b, 0x80 | RDI); b4(b, (uint32_t)(s->o_reg_cause + (int32_t)s->dreg));
            b1(b, s->rcause);
        }
        op_rm(b, 1, 0x8b, RDX, RDI, s->o_end);
        op_rr(b, 1, 0x3b, RDX, R10);
        op_rr(b, 1, 0x0f42, RDX, R10);                      /* cmovb rdx, r10 */
        op_rm(b, 1, 0x8d, R8, RAX, 1);
        op_rr(b, 1, 0x3b, RDX, R8);
        op_rr(b, 1, 0x0f42, RDX, R8);                       /* end = max(end, ready, t + 1) */
        op_rm(b, 1, 0x89, RDX, RDI, s->o_end);
    }
    op_mi(b, 0, RDI, s->o_instructions, 1);
    /* per-pc counters: rdx = charged = t - charge_mark */
    op_rr(b, 1, 0x8b, RDX, RAX);
    op_rm(b, 1, 0x2b, RDX, RDI, s->o_charge_mark);
    op_rm(b, 1, 0x89, RAX, RDI, s->o_charge_mark);
    mov_imm(b, R11, (uint64_t)(uintptr_t)rec);
    op_mi(b, 0, R11, 8 * (int32_t)s->pc_count, 1);
    op_sib8(b, 0x01, RSI, R11, RCX, 0);                     /* rec[cause] += stall */
    if (s->branch || s->jump) {
        /* (it set fetch_pc to its own pc before this point in the step: nothing to charge) */
        op_rm(b, 1, 0x01, RDX, R11, 8 * (int32_t)s->pc_cycles);
        op_rm(b, 1, 0x89, R11, RDI, s->o_fetch_rec);        /* fetch_rec = rec */
        op_rr(b, 1, 0x8b, R8, RAX);
        if (s->branch) {
            /* rv_timing_block_branch(T, d, pc, taken, t) */
            b1(b, 0xb9); b4(b, taken ? 1 : 0);              /* mov ecx, taken */
        } else if (s->jump == 1) {
            ;       /* (jal reads no register) */
        } else if (pre) {
            op_rsp(b, 0x8b, RCX, TS_RS1);
        } else if (c->r.loc[d->rs1 & 31u] >= 0) {
            load_g(b, &c->r, RCX, d->rs1 & 31u);
        } else {
            /* rv_timing_block_jal / _jalr(T, d, pc, x[rs1] before it ran, t) */
            op_rsp(b, 0x8b, RCX, TS_M);
            op_rm(b, 1, 0x8b, RCX, RCX, XOFF(d->rs1 & 31u));
        }
        mov_imm(b, RDX, pc);
        mov_imm(b, RSI, (uint64_t)(uintptr_t)d);
        mov_imm(b, RAX, s->branch ? (uint64_t)(uintptr_t)&rv_timing_block_branch
                        : s->jump == 1 ? (uint64_t)(uintptr_t)&rv_timing_block_jal
                        : (uint64_t)(uintptr_t)&rv_timing_block_jalr);
        b1(b, 0xff); b1(b, 0xd0);                           /* call rax */
        op_rsp(b, 0x8b, RDI, TS_M);
        return;
    }
    op_ri(b, 0, 7, RCX, (int32_t)s->stall_mispredict);
    uint8_t *fetch = jcc_fwd(b, CC_E);
    op_ri(b, 0, 7, RCX, (int32_t)s->stall_taken);
    uint8_t *plain = jcc_fwd(b, CC_NE);
    patch(b, fetch, b->p);
    mov_imm(b, R9, pc);
    op_rm(b, 1, 0x3b, R9, RDI, s->o_fetch_pc);
    uint8_t *own = jcc_fwd(b, CC_E);
    /* charge_fetch_stall (timing.c) when the branch or jump left its record in fetch_rec: the stall
       moves to it, with as many of the issue cycles (charged) as the stall accounts for */
    op_rm(b, 1, 0x8b, R9, RDI, s->o_fetch_rec);
    op_rr(b, 1, 0x85, R9, R9);                              /* test r9, r9 */
    uint8_t *no_rec = jcc_fwd(b, CC_E);
    op_rr(b, 1, 0x8b, RAX, RDX);
    op_rr(b, 1, 0x3b, RSI, RAX);
    op_rr(b, 1, 0x0f42, RAX, RSI);                          /* rax: moved = min(stall, charged) */
    op_sib8(b, 0x29, RSI, R11, RCX, 0);                     /* rec[cause] -= stall */
    op_rm(b, 1, 0x01, RAX, R9, 8 * (int32_t)s->pc_cycles);  /* blamed[cycles] += moved */
    op_sib8(b, 0x01, RSI, R9, RCX, 0);                      /* blamed[cause] += stall */
    op_rr(b, 1, 0x2b, RDX, RAX);                            /* charged -= moved */
    uint8_t *charged_inline = jcc_fwd(b, -1);
    patch(b, no_rec, b->p);
    /* charged = rv_timing_block_charge(T, rec, cause, stall, charged) */
    op_rr(b, 1, 0x8b, R8, RDX);
    op_rr(b, 0, 0x8b, RDX, RCX);
    op_rr(b, 1, 0x8b, RCX, RSI);
    op_rr(b, 1, 0x8b, RSI, R11);
    mov_imm(b, RAX, (uint64_t)(uintptr_t)&rv_timing_block_charge);
    b1(b, 0xff); b1(b, 0xd0);                               /* call rax */
    op_rr(b, 1, 0x8b, RDX, RAX);
    mov_imm(b, R11, (uint64_t)(uintptr_t)rec);
    patch(b, plain, b->p);
    patch(b, own, b->p);
    patch(b, charged_inline, b->p);
    op_rm(b, 1, 0x01, RDX, R11, 8 * (int32_t)s->pc_cycles); /* rec[cycles] += charged */
    op_rsp(b, 0x8b, RDI, TS_M);
    if (s->vector) {
        /* vresult(T, the descriptor, x[rs1] before d ran) */
        if (pre)
            op_rsp(b, 0x8b, RDX, TS_RS1);
        else
            load_g(b, &c->r, RDX, d->rs1 & 31u);
        op_rm(b, 1, 0x8b, RDI, RDI, (int32_t)offsetof(rv_machine, timing));
        b1(b, 0x48); b1(b, 0x8d); b1(b, 0x35);              /* lea rsi, [rip + disp32] */
        b4(b, (uint32_t)(int32_t)(vdesc - (b->p + 4)));
        mov_imm(b, RAX, (uint64_t)(uintptr_t)vresult);
        b1(b, 0xff); b1(b, 0xd0);                           /* call rax */
        op_rsp(b, 0x8b, RDI, TS_M);
    }
    if (s->mem) {
        /* rdx = x[rs1] before d ran, rdi = T, rcx = t */
        if (pre)
            op_rsp(b, 0x8b, RDX, TS_RS1);
        else
            load_g(b, &c->r, RDX, d->rs1 & 31u);
        op_rm(b, 1, 0x8b, RDI, RDI, (int32_t)offsetof(rv_machine, timing));
        op_rm(b, 1, 0x8b, RCX, RDI, s->o_cycle);
        uint8_t *done = NULL;
        if (s->mru)
            done = timed_mem_mru(c, d, s);
        /* rv_timing_block_mem(T, d, x[rs1], t) */
        mov_imm(b, RSI, (uint64_t)(uintptr_t)d);
        mov_imm(b, RAX, (uint64_t)(uintptr_t)&rv_timing_block_mem);
        b1(b, 0xff); b1(b, 0xd0);                           /* call rax */
        if (done)
            patch(b, done, b->p);
        op_rsp(b, 0x8b, RDI, TS_M);
    }
}

/* before d runs: keep the values its step is given if d overwrites one of them */
static void timed_pre(comp_t *c, const rv_insn_t *d)
{
    buf_t *b = &c->b;
    load_g(b, &c->r, RAX, d->rs1 & 31u);
    op_rsp(b, 0x89, RAX, TS_RS1);
    load_g(b, &c->r, RAX, d->rs2 & 31u);
    op_rsp(b, 0x89, RAX, TS_RS2);
}

/* The interpreter's fast-path guard of a vector instruction d (slot in rsi, the machine in rdi), as
   exec_v.inc's V_FAST_GUARD and V_FAST_GUARD_FP test it: the slot specialised (its handler neither the
   general path's nor a block's entry) under this vtype, vstart 0; for an FP op (fk >= 2) also frm RNE
   and FS on.  Emits the tests, each a jump taken when the guard fails, into general[] (at most 6);
   returns how many.  Clobbers rax and r9. */
static int vfast_guard(comp_t *c, const rv_insn_t *d, unsigned fk, uint8_t **general)
{
    buf_t *b = &c->b;
    int ng = 0;
    op_rm(b, 1, 0x8b, RAX, RSI, (int32_t)offsetof(rv_insn_t, handler));
    mov_imm(b, R9, (uint64_t)(uintptr_t)c->labels[d->exec_op]);
    op_rr(b, 1, 0x3b, RAX, R9);
    general[ng++] = jcc_fwd(b, CC_E);
    mov_imm(b, R9, (uint64_t)(uintptr_t)c->labels[RV_LABEL_JIT]);
    op_rr(b, 1, 0x3b, RAX, R9);
    general[ng++] = jcc_fwd(b, CC_E);
    op_rm(b, 0, 0x0fb6, RAX, RSI, (int32_t)offsetof(rv_insn_t, rm));     /* movzx eax, byte rm */
    op_rm(b, 1, 0x3b, RAX, RDI, (int32_t)offsetof(rv_machine, h.vtype));
    general[ng++] = jcc_fwd(b, CC_NE);
    op_rm(b, 1, 0x8b, RAX, RDI, (int32_t)offsetof(rv_machine, h.vstart));
    op_rr(b, 1, 0x85, RAX, RAX);
    general[ng++] = jcc_fwd(b, CC_NE);
    if (fk >= 2) {
        op_rm(b, 0, 0x8b, RAX, RDI, (int32_t)offsetof(rv_machine, h.frm));
        op_rr(b, 0, 0x85, RAX, RAX);
        general[ng++] = jcc_fwd(b, CC_NE);
        op_rm(b, 1, 0x8b, RAX, RDI, (int32_t)offsetof(rv_machine, h.mstatus));
        b1(b, 0xa9); b4(b, (uint32_t)MSTATUS_FS);       /* test eax, FS */
        general[ng++] = jcc_fwd(b, CC_E);
    }
    return ng;
}

/* a vector instruction (instruction k of the pass, at slot at; recording blocks only): rv_hist_block_vf
   (when the interpreter's fast-path guard holds, checked here) or rv_hist_block_v runs it and writes its
   record and entries, or the block leaves before it.  The guest registers the
   block holds are written back first (it reads x[rs1] from the machine) and an x[rd] it may write is
   reloaded; the caller-saved host registers the block uses are kept on the stack around the call. */
static void emit_vec(comp_t *c, const rv_insn_t *d, unsigned at, unsigned k, uint64_t pc)
{
    buf_t *b = &c->b;
    static const int keep[] = {RDI, RSI, R8, R9, R10, R11, RAX};   /* (rax: rsp 16-byte aligned at the call) */
    const unsigned fk = rv_v_fast_kind[d->exec_op];
    store_written(c);
    for (unsigned i = 0; i < 7; i++)
        push(b, keep[i]);
    mov_imm(b, RSI, (uint64_t)(uintptr_t)d);
    mov_imm(b, RDX, pc);
    op_rm(b, 1, 0x8d, RCX, RP, REC_STRIDE * (int32_t)k);   /* lea rcx, [r14 + 12k]: its record */
    mov_imm(b, R8, c->vreserve);
    uint8_t *general[6];
    int ng = 0, fast = fk && ((d->raw >> 25) & 1);
    if (fast) {
        ng = vfast_guard(c, d, fk, general);
        mov_imm(b, RDX, rec_meta(c, pc, 0, RV_HR_RETIRED, 63));
        mov_imm(b, RAX, (uint64_t)(uintptr_t)&rv_hist_block_vf);
        b1(b, 0xff); b1(b, 0xd0);                           /* call rax */
    }
    uint8_t *done = fast ? jcc_fwd(b, -1) : NULL;
    for (int i = 0; i < ng; i++)
        patch(b, general[i], b->p);
    mov_imm(b, RAX, (uint64_t)(uintptr_t)&rv_hist_block_v);
    b1(b, 0xff); b1(b, 0xd0);                               /* call rax */
    if (done)
        patch(b, done, b->p);
    pop(b, RCX);
    for (int i = 5; i >= 0; i--)
        pop(b, keep[i]);
    op_rr(b, 0, 0x85, RAX, RAX);                            /* test eax, eax */
    add_exit(c, jcc_fwd(b, CC_E), 0, at, k);
    if (c->nent) {
        /* the pass's next entry moved: [rsp + 8] = ext + (ehead & (ecap - 1)) */
        op_rm(b, 1, 0x8b, RAX, HS, HOFF(ehead));
        op_rm(b, 1, 0x8b, RCX, HS, HOFF(ecap));
        op_ri(b, 1, 0, RCX, -1);
        op_rr(b, 1, 0x23, RAX, RCX);
        op_rm(b, 1, 0x03, RAX, HS, HOFF(ext));
        op_rsp8(b, 0x89, RAX);
    }
    if ((d->raw & 0x7f) == 0x57 && d->rd < 32 && c->r.loc[d->rd] >= 0)
        op_rm(b, 1, 0x8b, c->r.loc[d->rd], RDI, XOFF(d->rd));   /* vset*, vmv.x.s ... may have written it */
}

/* ---------------------------------------------------------------- scalar FP conversions and compares
 *
 * Each runs as the interpreter's fast path does (exec_fp.inc) or leaves before the instruction for it:
 * the compares are integer logic on boxed, non-NaN operands (a NaN or an unboxed operand, which reads
 * as the canonical NaN, may raise NV: the interpreter's); fcvt.w.s and fcvt.l.s convert on the host in
 * RTZ (the rm field; scan() lets no other through) values within range, raising only inexact; fcvt.s.w
 * and fcvt.s.l convert on the host in RNE (the rm field, or frm = RNE at run time), raising inexact as
 * needed.  Host flags are folded into fflags as the interpreter's are (when the loop returns); a
 * recording block checks them after the instruction as for fmadd.s.  All of them set FS dirty: they
 * leave when it is not, as the FP loads do. */

/* leave (before the instruction) unless the 64-bit value in reg is NaN-boxed; clobbers rdx */
static void boxed_or_leave(comp_t *c, int reg, unsigned at, unsigned k)
{
    buf_t *b = &c->b;
    op_rr(b, 1, 0x8b, RDX, reg);                            /* mov rdx, reg */
    shift_ri(b, 1, 5, RDX, 32);                             /* shr rdx, 32 */
    op_ri(b, 0, 7, RDX, -1);                                /* cmp edx, 0xffffffff */
    add_exit(c, jcc_fwd(b, CC_NE), 0, at, k);
}

/* leave unless the single in the low half of reg is not a NaN; clobbers rdx */
static void not_nan_or_leave(comp_t *c, int reg, unsigned at, unsigned k)
{
    buf_t *b = &c->b;
    op_rr(b, 0, 0x8b, RDX, reg);                            /* mov edx, reg32 */
    op_ri(b, 0, 4, RDX, 0x7fffffff);                        /* and edx, 0x7fffffff */
    op_ri(b, 0, 7, RDX, 0x7f800000);                        /* cmp edx, 0x7f800000 */
    add_exit(c, jcc_fwd(b, CC_A), 0, at, k);
}

/* a recording block: leave (before the instruction, host flags cleared: none was pending before it)
   when the host instruction just run raised any flag; the interpreter redoes it and logs the change */
static void rec_no_host_flags_or_leave(comp_t *c, unsigned at, unsigned k)
{
    buf_t *b = &c->b;
    b1(b, 0x0f); b1(b, 0xae); b1(b, 0x5c); b1(b, 0x24); b1(b, 0xf8);     /* stmxcsr [rsp-8] */
    b1(b, 0xf6); b1(b, 0x44); b1(b, 0x24); b1(b, 0xf8); b1(b, 0x3f);     /* test byte [rsp-8], 0x3f */
    uint8_t *none = jcc_fwd(b, CC_E);
    rec_clear_host_flags(b);
    add_exit(c, jcc_fwd(b, -1), 0, at, k);
    patch(b, none, b->p);
}

/* feq.s, flt.s, fle.s (fp_eq_s, fp_lt_s, fp_le_s of fp.h): x[rd] */
static void emit_fcmp(comp_t *c, const rv_insn_t *d, unsigned at, unsigned k)
{
    buf_t *b = &c->b;
    const unsigned op = d->exec_op;
    fs_dirty_or_leave(c, at, k);
    op_rm(b, 1, 0x8b, RAX, RDI, FOFF(d->rs1));
    op_rm(b, 1, 0x8b, RCX, RDI, FOFF(d->rs2));
    boxed_or_leave(c, RAX, at, k);
    boxed_or_leave(c, RCX, at, k);
    not_nan_or_leave(c, RAX, at, k);
    not_nan_or_leave(c, RCX, at, k);
    /* both zeros (either sign): equal */
    op_rr(b, 0, 0x8b, RDX, RAX);
    op_rr(b, 0, 0x0b, RDX, RCX);                            /* or edx, ecx */
    op_ri(b, 0, 4, RDX, 0x7fffffff);
    uint8_t *nonzero = jcc_fwd(b, CC_NE);
    b1(b, 0xb8); b4(b, op == RV_OP_FLT_S ? 0 : 1);          /* mov eax, 0 or 1 */
    uint8_t *done = jcc_fwd(b, -1);
    patch(b, nonzero, b->p);
    int cc = CC_E;
    if (op != RV_OP_FEQ_S) {
        /* order keys: a negative value's magnitude bits flipped, compared as signed words */
        for (int i = 0; i < 2; i++) {
            int reg = i ? RCX : RAX;
            op_rr(b, 0, 0x8b, RDX, reg);
            shift_ri(b, 0, 7, RDX, 31);                     /* sar edx, 31 */
            shift_ri(b, 0, 5, RDX, 1);                      /* shr edx, 1 */
            op_rr(b, 0, 0x33, reg, RDX);                    /* xor reg, edx */
        }
        cc = op == RV_OP_FLT_S ? CC_L : 0xe;                /* jl / jle */
    }
    op_rr(b, 0, 0x3b, RAX, RCX);                            /* cmp eax, ecx */
    b1(b, 0x0f); b1(b, 0x90 | cc); b1(b, 0xc2);             /* setcc dl */
    b1(b, 0x0f); b1(b, 0xb6); b1(b, 0xc2);                  /* movzx eax, dl */
    patch(b, done, b->p);
    store_g(b, &c->r, d->rd, RAX);
}

/* fcvt.w.s, fcvt.l.s in RTZ: x[rd] */
static void emit_ftoi(comp_t *c, const rv_insn_t *d, unsigned at, unsigned k)
{
    buf_t *b = &c->b;
    const int l = d->exec_op == RV_OP_FCVT_L_S;
    fs_dirty_or_leave(c, at, k);
    op_rm(b, 1, 0x8b, RAX, RDI, FOFF(d->rs1));
    boxed_or_leave(c, RAX, at, k);
    /* |x| < 2^31 (word) or 2^63 (long): the biased exponent below 127 + 31 or 127 + 63 (NaN, inf above) */
    op_rr(b, 0, 0x8b, RDX, RAX);
    shift_ri(b, 0, 5, RDX, 23);                             /* shr edx, 23 */
    op_ri(b, 0, 4, RDX, 0xff);
    op_ri(b, 0, 7, RDX, l ? 127 + 63 : 127 + 31);
    add_exit(c, jcc_fwd(b, CC_AE), 0, at, k);
    b1(b, 0x66); b1(b, 0x0f); b1(b, 0x6e); b1(b, 0xc0);     /* movd xmm0, eax */
    b1(b, 0xf3); rex(b, l, RAX, 0); b1(b, 0x0f); b1(b, 0x2c); b1(b, 0xc0);   /* cvttss2si rax/eax, xmm0 */
    if (!l)
        op_rr(b, 1, 0x63, RAX, RAX);                        /* movsxd rax, eax */
    if (c->rec)
        rec_no_host_flags_or_leave(c, at, k);
    store_g(b, &c->r, d->rd, RAX);
}

/* fcvt.s.w, fcvt.s.l in RNE: f[rd], boxed */
static void emit_itof(comp_t *c, const rv_insn_t *d, unsigned at, unsigned k, uint64_t pc)
{
    buf_t *b = &c->b;
    const int l = d->exec_op == RV_OP_FCVT_S_L;
    if (d->rm == 7) {
        op_rm(b, 0, 0x8b, RAX, RDI, (int32_t)offsetof(rv_machine, h.frm));
        op_rr(b, 0, 0x85, RAX, RAX);                        /* test eax, eax */
        add_exit(c, jcc_fwd(b, CC_NE), 0, at, k);
    }
    fs_dirty_or_leave(c, at, k);
    load_g(b, &c->r, RCX, d->rs1);
    b1(b, 0x0f); b1(b, 0x57); b1(b, 0xc0);                  /* xorps xmm0, xmm0 (no false dependency) */
    b1(b, 0xf3); rex(b, l, 0, RCX); b1(b, 0x0f); b1(b, 0x2a); b1(b, 0xc1);   /* cvtsi2ss xmm0, rcx/ecx */
    b1(b, 0x66); b1(b, 0x0f); b1(b, 0x7e); b1(b, 0xc0);     /* movd eax, xmm0 */
    mov_imm(b, RDX, FP_BOX32);
    op_rr(b, 1, 0x0b, RAX, RDX);                            /* or rax, rdx: NaN-boxed */
    if (c->rec)
        rec_fmadd(c, d, at, k, pc, 0);  /* (its record: any FP result in rax, f[rd] not written yet) */
    op_rm(b, 1, 0x89, RAX, RDI, FOFF(d->rd));
}

/* a vector instruction of a timed block (instruction k of the pass, at slot at): rv_timed_block_vf_*
   (when the interpreter's fast-path guard holds, checked here as emit_vec checks it; then the block
   calls its step) or rv_timed_block_v (which calls it) runs it as the timed loop would, or the block
   leaves before it.
   The guest registers the block holds are written back first (they read x[rs1] and x[rs2] from the
   machine) and an x[rd] it may write is reloaded; m is reloaded after the call, as after a step. */
static void timed_vec(comp_t *c, const rv_insn_t *d, unsigned at, unsigned k, uint64_t pc)
{
    buf_t *b = &c->b;
    const unsigned fk = rv_v_fast_kind[d->exec_op];
    const int fast = fk && ((d->raw >> 25) & 1);
    store_written(c);
    mov_imm(b, RSI, (uint64_t)(uintptr_t)d);
    mov_imm(b, RDX, pc);
    uint8_t *general[6], *done = NULL;
    int ng = 0;
    if (fast) {
        ng = vfast_guard(c, d, fk, general);
        unsigned major = (unsigned)d->raw & 0x7f;
        mov_imm(b, RAX, (uint64_t)(uintptr_t)(major == 0x07 || major == 0x27 ? &rv_timed_block_vf_mem
                                                                            : &rv_timed_block_vf_op));
        b1(b, 0xff); b1(b, 0xd0);                           /* call rax */
        op_rsp(b, 0x8b, RDI, TS_M);
        op_rr(b, 0, 0x85, RAX, RAX);                        /* test eax, eax */
        add_exit(c, jcc_fwd(b, CC_E), 0, at, k);
        timed_step(c, d, pc, 0, 0, c->same_line);          /* (x[rs1], x[rs2] unchanged: no x result) */
        done = jcc_fwd(b, -1);
    }
    for (int i = 0; i < ng; i++)
        patch(b, general[i], b->p);
    mov_imm(b, RCX, (uint64_t)(uintptr_t)c->labels[d->exec_op]);
    mov_imm(b, R8, (uint64_t)(uintptr_t)c->labels[RV_LABEL_JIT]);
    mov_imm(b, RAX, (uint64_t)(uintptr_t)&rv_timed_block_v);
    b1(b, 0xff); b1(b, 0xd0);                               /* call rax */
    op_rsp(b, 0x8b, RDI, TS_M);
    op_rr(b, 0, 0x85, RAX, RAX);                            /* test eax, eax */
    add_exit(c, jcc_fwd(b, CC_E), 0, at, k);
    if (done)
        patch(b, done, b->p);
    if ((d->raw & 0x7f) == 0x57 && d->rd < 32 && c->r.loc[d->rd] >= 0)
        op_rm(b, 1, 0x8b, c->r.loc[d->rd], RDI, XOFF(d->rd));   /* vset*, vmv.x.s ... may have written it */
}

/* Leaving for slot rax of this page (a jump's or branch's target, or where the block ends) after
   retiring k more instructions: into the block entered there if the slot has one of this kind by now
   (compiled after this one, so not chained when this one was written), else on to the code after this
   (rax kept).  The guest registers are in m (store_written) and a recording block's pass committed, as
   for a chain made at compile time.  Clobbers rcx, rdx. */
static void chain_at_run_time(comp_t *c, unsigned k)
{
    buf_t *b = &c->b;
    rex(b, 1, RCX, RAX); b1(b, 0x69); b1(b, 0xc0 | (RCX & 7) << 3 | (RAX & 7));
    b4(b, (uint32_t)sizeof(rv_insn_t));                     /* imul rcx, rax, sizeof slot */
    mov_imm(b, RDX, (uint64_t)(uintptr_t)&c->page->slot[0].handler);
    op_rr(b, 1, 0x03, RCX, RDX);
    op_rm(b, 1, 0x8b, RDX, RCX, 0);                         /* rdx: the slot's handler */
    mov_imm(b, RCX, (uint64_t)(uintptr_t)c->labels[RV_LABEL_JIT]);
    op_rr(b, 1, 0x3b, RDX, RCX);
    uint8_t *none = jcc_fwd(b, CC_NE);
    op_rr(b, 1, 0x8b, RCX, RAX);
    shift_ri(b, 1, 4, RCX, 2);                              /* shl rcx, 2 */
    mov_imm(b, RDX, (uint64_t)(uintptr_t)&c->page->jit_off[0]);
    op_rr(b, 1, 0x03, RCX, RDX);
    op_rm(b, 0, 0x8b, RDX, RCX, 0);                         /* edx: the block's offset */
    mov_imm(b, RCX, (uint64_t)(uintptr_t)&c->jit->code);
    op_rm(b, 1, 0x8b, RCX, RCX, 0);
    op_rr(b, 1, 0x03, RDX, RCX);                            /* rdx: its header */
    op_mi(b, 7, RDX, 8, (int32_t)c->kind);                  /* cmp qword [rdx + 8], kind */
    uint8_t *other = jcc_fwd(b, CC_NE);
    op_rm(b, 0, 0x8b, RCX, RDX, 4);                         /* ecx: its chained entry's offset */
    op_rr(b, 1, 0x03, RDX, RCX);
    op_ri(b, 1, 0, RDX, 16);
    if (k)
        op_ri(b, 1, 0, R15, (int32_t)k);                    /* add r15, k */
    b1(b, 0xff); b1(b, 0xe2);                               /* jmp rdx */
    patch(b, none, b->p);
    patch(b, other, b->p);
}

static void emit_insn(comp_t *c, const rv_insn_t *d, unsigned at, unsigned k, uint64_t pc, unsigned start)
{
    buf_t *b = &c->b;
    const regs_t *r = &c->r;
    int32_t imm = (int32_t)d->imm;
    const int kind = kind_of(d->exec_op);
    const int pre = c->timed && timed_needs_pre(c, d);
    if (pre)
        timed_pre(c, d);
    if (kind == K_VEC) {
        if (c->timed)
            timed_vec(c, d, at, k, pc);
        else
            emit_vec(c, d, at, k, pc);
        return;
    }
    if (c->rec && kind != K_FLOAD && kind != K_FMADD && kind != K_ITOF) {
        /* the undo record, before the instruction changes rd (a store also logs 24 bytes of extras) */
        int st = kind == K_STORE || kind == K_FSTORE;
        rec_write_x(c, k, d->rd, rec_meta(c, pc, st ? 24 : 0, RV_HR_RETIRED, d->rd));
    }
    switch (d->exec_op) {
    case RV_OP_ADDI: case RV_OP_ANDI: case RV_OP_ORI: case RV_OP_XORI:
        if (d->rd == d->rs1 && r->loc[d->rd] >= 0) {
            /* in place in the host register */
            unsigned ext = d->exec_op == RV_OP_ADDI ? 0 : d->exec_op == RV_OP_ANDI ? 4 : d->exec_op == RV_OP_ORI ? 1 : 6;
            if (imm || ext == 4)
                op_ri(b, 1, ext, r->loc[d->rd], imm);
            break;
        }
        if (d->exec_op != RV_OP_ADDI)
            goto logic_i;
        /* fall through */
    case RV_OP_ADDIW:
        load_g(b, r, RAX, d->rs1);
        if (imm)
            op_ri(b, 1, 0, RAX, imm);
        if (d->exec_op == RV_OP_ADDIW)
            op_rr(b, 1, 0x63, RAX, RAX);                    /* movsxd rax, eax */
        store_g(b, r, d->rd, RAX);
        break;
    logic_i:
        load_g(b, r, RAX, d->rs1);
        op_ri(b, 1, d->exec_op == RV_OP_ANDI ? 4 : d->exec_op == RV_OP_ORI ? 1 : 6, RAX, imm);
        store_g(b, r, d->rd, RAX);
        break;
    case RV_OP_ADD: case RV_OP_SUB: case RV_OP_AND: case RV_OP_OR: case RV_OP_XOR: case RV_OP_ADDW:
    case RV_OP_SUBW: case RV_OP_MUL: case RV_OP_MULW: {
        unsigned op = 0;
        switch (d->exec_op) {
        case RV_OP_ADD: case RV_OP_ADDW: op = 0x03; break;
        case RV_OP_SUB: case RV_OP_SUBW: op = 0x2b; break;
        case RV_OP_AND: op = 0x23; break;
        case RV_OP_OR: op = 0x0b; break;
        case RV_OP_XOR: op = 0x33; break;
        default: op = 0x0faf; break;                        /* imul */
        }
        int w32 = d->exec_op == RV_OP_ADDW || d->exec_op == RV_OP_SUBW || d->exec_op == RV_OP_MULW;
        if (!w32 && d->rd == d->rs1 && r->loc[d->rd] >= 0) {
            alu_g(b, r, op, 1, r->loc[d->rd], d->rs2);      /* in place: rd = rd op rs2 */
            break;
        }
        load_g(b, r, RAX, d->rs1);
        alu_g(b, r, op, 1, RAX, d->rs2);
        if (d->exec_op == RV_OP_ADDW || d->exec_op == RV_OP_SUBW || d->exec_op == RV_OP_MULW)
            op_rr(b, 1, 0x63, RAX, RAX);
        store_g(b, r, d->rd, RAX);
        break;
    }
    case RV_OP_SLLI: case RV_OP_SRLI: case RV_OP_SRAI:
    case RV_OP_SLLIW: case RV_OP_SRLIW: case RV_OP_SRAIW: {
        int w32 = d->exec_op == RV_OP_SLLIW || d->exec_op == RV_OP_SRLIW || d->exec_op == RV_OP_SRAIW;
        unsigned ext = (d->exec_op == RV_OP_SLLI || d->exec_op == RV_OP_SLLIW) ? 4
                     : (d->exec_op == RV_OP_SRLI || d->exec_op == RV_OP_SRLIW) ? 5 : 7;
        load_g(b, r, RAX, d->rs1);
        shift_ri(b, !w32, ext, RAX, (unsigned)imm & (w32 ? 31 : 63));
        if (w32)
            op_rr(b, 1, 0x63, RAX, RAX);
        store_g(b, r, d->rd, RAX);
        break;
    }
    case RV_OP_SLL: case RV_OP_SRL: case RV_OP_SRA: case RV_OP_SLLW: case RV_OP_SRLW: case RV_OP_SRAW: {
        int w32 = d->exec_op == RV_OP_SLLW || d->exec_op == RV_OP_SRLW || d->exec_op == RV_OP_SRAW;
        unsigned ext = (d->exec_op == RV_OP_SLL || d->exec_op == RV_OP_SLLW) ? 4
                     : (d->exec_op == RV_OP_SRL || d->exec_op == RV_OP_SRLW) ? 5 : 7;
        load_g(b, r, RCX, d->rs2);
        load_g(b, r, RAX, d->rs1);
        rex(b, !w32, 0, RAX);
        b1(b, 0xd3);
        b1(b, 0xc0 | ext << 3 | RAX);                       /* shift rax/eax by cl (masked as RISC-V) */
        if (w32)
            op_rr(b, 1, 0x63, RAX, RAX);
        store_g(b, r, d->rd, RAX);
        break;
    }
    case RV_OP_SLTI: case RV_OP_SLTIU: case RV_OP_SLT: case RV_OP_SLTU: {
        int u = d->exec_op == RV_OP_SLTIU || d->exec_op == RV_OP_SLTU;
        load_g(b, r, RCX, d->rs1);
        op_rr(b, 0, 0x33, RAX, RAX);                        /* xor eax, eax */
        if (d->exec_op == RV_OP_SLTI || d->exec_op == RV_OP_SLTIU)
            op_ri(b, 1, 7, RCX, imm);                       /* cmp rcx, imm (sign-extended, as IMM) */
        else
            alu_g(b, r, 0x3b, 1, RCX, d->rs2);              /* cmp rcx, rs2 */
        b1(b, 0x0f);
        b1(b, 0x90 | (u ? CC_B : CC_L));
        b1(b, 0xc0);                                        /* setcc al */
        store_g(b, r, d->rd, RAX);
        break;
    }
    case RV_OP_LUI:
        mov_imm(b, RAX, (uint64_t)d->imm);
        store_g(b, r, d->rd, RAX);
        break;
    case RV_OP_AUIPC:
        mov_imm(b, RAX, pc + (uint64_t)d->imm);
        store_g(b, r, d->rd, RAX);
        break;
    case RV_OP_LB: case RV_OP_LH: case RV_OP_LW: case RV_OP_LD: case RV_OP_LBU: case RV_OP_LHU:
    case RV_OP_LWU: {
        unsigned size = 0, op = 0;
        int w = 1;
        switch (d->exec_op) {
        case RV_OP_LB: size = 1; op = 0x0fbe; break;             /* movsx rcx, byte */
        case RV_OP_LH: size = 2; op = 0x0fbf; break;             /* movsx rcx, word */
        case RV_OP_LW: size = 4; op = 0x63; break;               /* movsxd rcx, dword */
        case RV_OP_LD: size = 8; op = 0x8b; break;
        case RV_OP_LBU: size = 1; op = 0x0fb6; w = 0; break;     /* movzx ecx, byte */
        case RV_OP_LHU: size = 2; op = 0x0fb7; w = 0; break;
        default: size = 4; op = 0x8b; w = 0; break;              /* mov ecx, dword */
        }
        mem_access(c, d, 0, size, at, k);
        if (d->rd != RV_X_SINK && r->loc[d->rd] >= 0) {
            op_rm(b, w, op, r->loc[d->rd], RAX, 0);         /* straight into rd's host register */
        } else {
            op_rm(b, w, op, RCX, RAX, 0);
            store_g(b, r, d->rd, RCX);
        }
        break;
    }
    case RV_OP_SB: case RV_OP_SH: case RV_OP_SW: case RV_OP_SD: {
        unsigned size = d->exec_op == RV_OP_SB ? 1 : d->exec_op == RV_OP_SH ? 2 : d->exec_op == RV_OP_SW ? 4 : 8;
        mem_access(c, d, 1, size, at, k);
        if (c->rec)
            rec_store_log(c, size, at, k);
        load_g(b, r, RCX, d->rs2);
        if (size == 2)
            b1(b, 0x66);
        op_rm(b, size == 8, size == 1 ? 0x88 : 0x89, RCX, RAX, 0);
        break;
    }
    case RV_OP_BEQ: case RV_OP_BNE: case RV_OP_BLT: case RV_OP_BGE: case RV_OP_BLTU: case RV_OP_BGEU: {
        int cc = d->exec_op == RV_OP_BEQ ? CC_E : d->exec_op == RV_OP_BNE ? CC_NE
               : d->exec_op == RV_OP_BLT ? CC_L : d->exec_op == RV_OP_BGE ? CC_GE
               : d->exec_op == RV_OP_BLTU ? CC_B : CC_AE;
        unsigned t = (unsigned)((int64_t)at + (d->imm >> 1));
        load_g(b, r, RAX, d->rs1);
        alu_g(b, r, 0x3b, 1, RAX, d->rs2);
        add_exit(c, jcc_fwd(b, cc), t == start, t, k + 1);
        if (c->timed && c->nex) {
            c->ex[c->nex - 1].taken = d;    /* its exit steps it taken */
            c->ex[c->nex - 1].taken_pc = pc;
            c->ex[c->nex - 1].taken_same_line = c->same_line;
        }
        break;
    }
    case RV_OP_JALR: {
        /* a target on this page returns there (rax = its slot << 40 | retired); any other, or a
           misaligned one, leaves before the jalr for the interpreter */
        load_g(b, r, RAX, d->rs1);
        if (imm)
            op_ri(b, 1, 0, RAX, imm);
        op_ri(b, 1, 4, RAX, -2);                            /* and rax, ~1 */
        if (c->target_align & 2) {
            b1(b, 0xa8); b1(b, 2);                          /* test al, 2 */
            add_exit(c, jcc_fwd(b, CC_NE), 0, at, k);
        }
        mov_imm(b, RDX, pc & ~(uint64_t)(RV_PAGE_SIZE - 1));
        op_rr(b, 1, 0x2b, RAX, RDX);                        /* sub rax, page address */
        op_ri(b, 1, 7, RAX, RV_PAGE_SIZE);                  /* cmp rax, 4096 */
        add_exit(c, jcc_fwd(b, CC_AE), 0, at, k);
        if (c->timed) {
            /* it retires: its step (rd is not written yet, so x[rs1] and x[rs2] are as before) */
            op_rsp(b, 0x89, RAX, TS_TMP);
            timed_step(c, d, pc, 1, 0, c->same_line);
            op_rsp(b, 0x8b, RAX, TS_TMP);
        }
        mov_imm(b, RDX, pc + d->len);
        store_g(b, r, d->rd, RDX);
        store_written(c);
        if (c->rec)
            rec_commit(c, k + 1);                           /* (rdx only) */
        shift_ri(b, 1, 5, RAX, 1);                          /* shr rax, 1: the slot */
        chain_at_run_time(c, k + 1);
        shift_ri(b, 1, 4, RAX, 40);
        op_rm(b, 1, 0x8d, RCX, R15, (int32_t)(k + 1));      /* lea rcx, [r15 + k + 1] */
        op_rr(b, 1, 0x03, RAX, RCX);
        if (c->nepi < MAX_EXITS)
            c->epi[c->nepi++] = jcc_fwd(b, -1);
        else
            b->overflow = 1;
        break;
    }
    case RV_OP_JAL: {
        unsigned t = (unsigned)((int64_t)at + (d->imm >> 1));
        mov_imm(b, RAX, pc + d->len);
        store_g(b, r, d->rd, RAX);
        if (c->timed)
            timed_step(c, d, pc, 1, pre, c->same_line);
        add_exit(c, jcc_fwd(b, -1), t == start, t, k + 1);
        break;
    }
#if FP_HOST_ARITH
    case RV_OP_FLW: case RV_OP_FLD: {
        int s = d->exec_op == RV_OP_FLW;
        fs_dirty_or_leave(c, at, k);
        mem_access(c, d, 0, s ? 4 : 8, at, k);
        op_rm(b, !s, 0x8b, RCX, RAX, 0);                    /* mov ecx/rcx, [rax] */
        if (s) {
            mov_imm(b, RDX, FP_BOX32);
            op_rr(b, 1, 0x0b, RCX, RDX);                    /* or rcx, rdx: NaN-boxed */
        }
        if (c->rec) {
            /* the interpreter's record of an FP load: f[rd] when it changed, else x[rd] */
            op_rm(b, 1, 0x8b, RDX, RDI, FOFF(d->rd));
            op_rr(b, 1, 0x3b, RCX, RDX);
            uint8_t *diff = jcc_fwd(b, CC_NE);
            rec_write_x(c, k, d->rd, rec_meta(c, pc, 0, RV_HR_RETIRED, d->rd));
            uint8_t *done = jcc_fwd(b, -1);
            patch(b, diff, b->p);
            rec_put_old(c, k, RDX);
            rec_put_meta(c, k, rec_meta(c, pc, 0, RV_HR_RETIRED | RV_HR_FREG, d->rd & 31u));
            patch(b, done, b->p);
        }
        op_rm(b, 1, 0x89, RCX, RDI, FOFF(d->rd));
        break;
    }
    case RV_OP_FSW: case RV_OP_FSD: {
        int s = d->exec_op == RV_OP_FSW;
        mem_access(c, d, 1, s ? 4 : 8, at, k);
        if (c->rec)
            rec_store_log(c, s ? 4 : 8, at, k);
        op_rm(b, !s, 0x8b, RCX, RDI, FOFF(d->rs2));
        op_rm(b, !s, 0x89, RCX, RAX, 0);
        break;
    }
    case RV_OP_FMADD_S:
        /* the interpreter's host path (exec_fp.inc FMA_S): RNE, all operands boxed, a result that is
           not NaN; anything else leaves before the instruction (a redone FMA raises the same flags) */
        if (d->rm == 7) {
            op_rm(b, 0, 0x8b, RAX, RDI, (int32_t)offsetof(rv_machine, h.frm));
            op_rr(b, 0, 0x85, RAX, RAX);                    /* test eax, eax */
            add_exit(c, jcc_fwd(b, CC_NE), 0, at, k);
        }
        fs_dirty_or_leave(c, at, k);
        op_rm(b, 1, 0x8b, RAX, RDI, FOFF(d->rs1));
        op_rm(b, 1, 0x23, RAX, RDI, FOFF(d->rs2));
        op_rm(b, 1, 0x23, RAX, RDI, FOFF(d->rs3));
        mov_imm(b, RDX, FP_BOX32);
        op_rr(b, 1, 0x3b, RAX, RDX);
        add_exit(c, jcc_fwd(b, CC_B), 0, at, k);            /* not all boxed */
        b1(b, 0xf3); op_rm(b, 0, 0x0f10, 0, RDI, FOFF(d->rs1));   /* movss xmm0, f[rs1] */
        b1(b, 0xf3); op_rm(b, 0, 0x0f10, 1, RDI, FOFF(d->rs2));   /* movss xmm1, f[rs2] */
        b1(b, 0xf3); op_rm(b, 0, 0x0f10, 2, RDI, FOFF(d->rs3));   /* movss xmm2, f[rs3] */
        b1(b, 0xc4); b1(b, 0xe2); b1(b, 0x79); b1(b, 0xb9); b1(b, 0xd1);   /* vfmadd231ss xmm2, xmm0, xmm1 */
        b1(b, 0x0f); b1(b, 0x2e); b1(b, 0xd2);              /* ucomiss xmm2, xmm2 */
        if (c->rec) {
            /* a NaN result: put back the host's flags as they were (none raised) and leave */
            uint8_t *ok = jcc_fwd(b, 0xb);                  /* jnp */
            rec_clear_host_flags(b);
            add_exit(c, jcc_fwd(b, -1), 0, at, k);
            patch(b, ok, b->p);
        } else {
            add_exit(c, jcc_fwd(b, 0xa), 0, at, k);         /* jp: a NaN result */
        }
        b1(b, 0x66); b1(b, 0x0f); b1(b, 0x7e); b1(b, 0xd0); /* movd eax, xmm2 */
        op_rr(b, 1, 0x0b, RAX, RDX);                        /* or rax, rdx: NaN-boxed */
        if (c->rec)
            rec_fmadd(c, d, at, k, pc, 1);
        op_rm(b, 1, 0x89, RAX, RDI, FOFF(d->rd));
        break;
    case RV_OP_FEQ_S: case RV_OP_FLT_S: case RV_OP_FLE_S:
        emit_fcmp(c, d, at, k);
        break;
    case RV_OP_FCVT_W_S: case RV_OP_FCVT_L_S:
        emit_ftoi(c, d, at, k);
        break;
    case RV_OP_FCVT_S_W: case RV_OP_FCVT_S_L:
        emit_itof(c, d, at, k, pc);
        break;
#endif
    default:
        b->overflow = 1;        /* scan() let through an instruction this does not handle */
        break;
    }
    /* (a branch steps on both ways out, jal and jalr before they leave) */
    if (c->timed && kind != K_BRANCH && kind != K_JAL && kind != K_JALR)
        timed_step(c, d, pc, 0, pre, c->same_line);
    else if (c->timed && kind == K_BRANCH)
        timed_step(c, d, pc, 0, 0, c->same_line);
}

int rv_jit_compile(rv_machine *m, rv_code_page *page, unsigned idx, const void *const *labels, unsigned kind)
{
    struct rv_jit *j = m->jit;
    const rv_insn_t *insn[MAX_INSNS + 1];
    unsigned slot[MAX_INSNS + 1];
    const int rec = kind == RV_JIT_RECORDING, timed = kind == RV_JIT_TIMED;
    if (!j || idx >= RV_SLOTS_PER_PAGE || (rec && !m->hist) || (timed && !m->timing))
        return 0;
    unsigned n = scan(m, page, idx, labels, insn, slot, rec, timed);
    int loops = 0;
    for (unsigned i = 0; i < n; i++) {
        int k = kind_of(insn[i]->exec_op);
        if ((k == K_BRANCH || k == K_JAL) && (int64_t)slot[i] + (insn[i]->imm >> 1) == (int64_t)idx)
            loops = 1;
    }
    int jumps = n && (kind_of(insn[n - 1]->exec_op) == K_JAL || kind_of(insn[n - 1]->exec_op) == K_JALR);
    /* a branch that has been taken every time so far (the slot after it was never decoded) ends the
       run as a jump does: its target gets a block of its own (a block's exit is counted) */
    int always_taken = n && kind_of(insn[n - 1]->exec_op) == K_BRANCH && slot[n] < RV_SLOTS_PER_PAGE &&
                       page->slot[slot[n]].handler == labels[RV_LABEL_DECODE];
    if (n == 0 || (n < MIN_INSNS && !loops && !jumps && !always_taken))
        return 0;       /* entering and leaving would cost more than the block saves */

    static __thread uint8_t mem[BUF_SIZE];
    static __thread comp_t comp;
    comp_t *c = &comp;
    int vinline = timed;
again:
    c->b = (buf_t){mem, mem, mem + BUF_SIZE, 0};
    c->vinline = vinline;
    c->nex = c->nepi = c->nchain = 0;
    c->target_align = (m->cfg.extensions & RV_EXT_C) ? 1 : 3;
    c->rec = rec;
    c->timed = timed;
    c->T = m->timing;
    c->same_line = 0;
    c->mem_base = m->cfg.mem_base;
    c->store_limit = m->cfg.mem_base + m->cfg.mem_size - 8;
    c->nent = c->nvec = 0;
    c->hs = m->hist;
    c->labels = labels;
    c->jit = j;
    c->page = page;
    c->kind = kind;
    int has_fmadd = 0;
    for (unsigned i = 0; i < n; i++) {
        int k = kind_of(insn[i]->exec_op);
        c->nent += k == K_STORE || k == K_FSTORE || k == K_FMADD || k == K_ITOF;
        c->nvec += k == K_VEC;
        has_fmadd |= fp_flags_matter(k);
    }
    if (timed)
        choose_regs(&c->r, insn, n, alloc_regs_timed, NALLOC_TIMED);
    else
        choose_regs(&c->r, insn, n, alloc_regs, rec ? NALLOC_REC : NALLOC);
    c->r.sink = rec;
    buf_t *b = &c->b;

    /* prologue: save the callee-saved registers, keep the budget at [rsp] (and a recording block's
       first extras entry of the pass at [rsp + 8], its room past the pass at [rsp + 16] and [rsp + 24]:
       every recording block has the same frame, as blocks chained to each other share it) */
    static const int saved[] = {RBX, RBP, R12, R13, R14, R15};
    for (unsigned i = 0; i < 6; i++)
        push(b, saved[i]);
    if (rec)
        for (int i = 0; i < 3; i++)
            push(b, RSI);
    if (timed) {
        push(b, RDI);                                       /* [rsp + TS_M]: m */
        for (int i = 0; i < TS_SLOTS - 2; i++)
            push(b, RSI);                                   /* (the step's slots) */
    }
    push(b, RSI);
    op_rr(b, 0, 0x33, R15, R15);                            /* xor r15d, r15d */
    op_rm(b, 1, 0x8b, R11, RDI, (int32_t)offsetof(rv_machine, mem_bias));
    /* another block of the page that leaves to this one's first slot jumps here (r15 kept) */
    uint32_t chain_off = (uint32_t)(b->p - b->start);
    if (rec)
        op_rm(b, 1, 0x8b, HS, RDI, (int32_t)offsetof(rv_machine, hist));
    for (int g = 1; g < 32; g++)
        if (c->r.loc[g] >= 0)
            op_rm(b, 1, 0x8b, c->r.loc[g], RDI, XOFF(g));
    if (rec && has_fmadd) {
        /* the recording loop folds (and clears) the host's exception flags as each FP step retires,
           so none is pending here but after, say, a vector FP instruction: leave then.  Within the
           block each fmadd.s clears what it raised or leaves, so none is pending at the next. */
        b1(b, 0x0f); b1(b, 0xae); b1(b, 0x5c); b1(b, 0x24); b1(b, 0xf8);     /* stmxcsr [rsp-8] */
        b1(b, 0xf6); b1(b, 0x44); b1(b, 0x24); b1(b, 0xf8); b1(b, 0x3f);     /* test byte [rsp-8], 0x3f */
        add_exit(c, jcc_fwd(b, CC_NE), 0, idx, 0);
    }
    /* top of each pass: leave unless retired + n < budget */
    uint8_t *top = b->p;
    op_rm(b, 1, 0x8d, RAX, R15, (int32_t)n);                /* lea rax, [r15 + n] */
    b1(b, 0x48); b1(b, 0x3b); b1(b, 0x04); b1(b, 0x24);     /* cmp rax, [rsp] */
    add_exit(c, jcc_fwd(b, CC_GE), 0, idx, 0);
    if (rec)
        rec_pass_top(c, n, c->nent, idx);
    uint8_t *body = b->p;

    const uint64_t vaddr = page->vaddr;
    int ends_in_jump = 0;
    const unsigned line_bits = timed ? rv_timing_fetch_line_bits(m->timing) : 0;
    for (unsigned i = 0; i < n; i++) {
        c->same_line = timed && i > 0 &&
                       ((vaddr + 2ull * slot[i]) >> line_bits) == ((vaddr + 2ull * slot[i - 1]) >> line_bits);
        c->vreserve = 0;
        for (unsigned j = i + 1; j < n; j++) {
            int k = kind_of(insn[j]->exec_op);
            c->vreserve += 24 * (k == K_STORE || k == K_FSTORE || k == K_FMADD || k == K_ITOF);
        }
        emit_insn(c, insn[i], slot[i], i, vaddr + 2ull * slot[i], idx);
        ends_in_jump = insn[i]->exec_op == RV_OP_JAL;
    }
    if (!ends_in_jump)
        add_exit(c, jcc_fwd(b, -1), slot[n] == idx, slot[n], n);

    /* the exits: back to the top, into the block compiled at the target slot (same page, so the
       same invalidation drops both), or back to the interpreter */
    for (int e = 0; e < c->nex; e++) {
        exit_t *x = &c->ex[e];
        patch(b, x->at, b->p);
        if (x->taken)
            timed_step(c, x->taken, x->taken_pc, 1, 0, x->taken_same_line);
        if (rec)
            rec_commit(c, x->k);
        if (x->loop && rec && !c->nvec) {
            rec_loop_top(c, n, c->nent, x->k, top, body);
            continue;
        }
        if (x->loop) {
            op_ri(b, 1, 0, R15, (int32_t)x->k);             /* add r15, k */
            patch(b, jcc_fwd(b, -1), top);
            continue;
        }
        store_written(c);
        if (x->to != idx && x->to < RV_SLOTS_PER_PAGE && page->slot[x->to].handler == labels[RV_LABEL_JIT] &&
            rv_jit_kind(j, page->jit_off[x->to]) == kind) {
            uint32_t toff = page->jit_off[x->to];
            uint32_t hdr[2];
            memcpy(hdr, j->code + toff, sizeof hdr);
            if (x->k)
                op_ri(b, 1, 0, R15, (int32_t)x->k);         /* add r15, k */
            c->chain_at[c->nchain] = jcc_fwd(b, -1);
            c->chain_to[c->nchain++] = j->code + toff + 16 + hdr[1];
            continue;
        }
        if (x->to != idx && x->to < RV_SLOTS_PER_PAGE && (x->to != slot[x->k] || x->k == n)) {
            /* a jump's or branch's target, or the slot after the block */
            mov_imm(b, RAX, x->to);
            chain_at_run_time(c, x->k);
        }
        mov_imm(b, RAX, (uint64_t)x->to << 40 | x->k);
        op_rr(b, 1, 0x03, RAX, R15);                        /* add rax, r15 */
        c->epi[c->nepi++] = jcc_fwd(b, -1);
    }
    for (int e = 0; e < c->nepi; e++)
        patch(b, c->epi[e], b->p);
    pop(b, RCX);                                            /* the budget */
    if (rec)
        for (int i = 0; i < 3; i++)
            pop(b, RCX);
    if (timed)
        for (int i = 0; i < TS_SLOTS - 1; i++)
            pop(b, RCX);
    for (int i = 5; i >= 0; i--)
        pop(b, saved[i]);
    b1(b, 0xc3);
    if (b->overflow && vinline) {
        vinline = 0;
        goto again;
    }
    if (b->overflow)
        return 0;

    if (!j->code) {
        void *a = mmap(NULL, j->size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (a == MAP_FAILED)
            return 0;
        j->code = a;
    }
    size_t len = (size_t)(b->p - b->start);
    size_t off = (j->used + 15) & ~(size_t)15;
    if (off + 16 + len > j->size)
        return off ? -1 : 0;    /* full; or a block larger than the whole arena: never compiled */
    size_t pgsz = (size_t)sysconf(_SC_PAGESIZE);
    size_t lo = off & ~(pgsz - 1), hi = (off + 16 + len + pgsz - 1) & ~(pgsz - 1);
    if (mprotect(j->code + lo, hi - lo, PROT_READ | PROT_WRITE))
        return 0;
    for (int e = 0; e < c->nchain; e++) {
        const uint8_t *at = j->code + off + 16 + (c->chain_at[e] - b->start) + 4;
        int32_t rel = (int32_t)(c->chain_to[e] - at);
        memcpy(c->chain_at[e], &rel, 4);
    }
    uint32_t hdr[4] = {n, chain_off, kind, 0};
    memcpy(j->code + off, hdr, sizeof hdr);
    memcpy(j->code + off + 16, b->start, len);
    if (mprotect(j->code + lo, hi - lo, PROT_READ | PROT_EXEC))
        return 0;       /* left read-write: never entered, as no slot points at it */
    j->used = off + 16 + len;
    page->jit_off[idx] = (uint32_t)off;
    return 1;
}

struct rv_jit *rv_jit_new(void)
{
    /* on unless RVSIM_NO_JIT is set (to anything but 0) or RVSIM_JIT=0 */
    const char *on = getenv("RVSIM_JIT"), *off = getenv("RVSIM_NO_JIT");
    if (off && *off && strcmp(off, "0"))
        return NULL;
    if (on && !strcmp(on, "0"))
        return NULL;
    struct rv_jit *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->hot = 64;        /* the arena is mapped at the first compile */
    j->size = ARENA_SIZE;
    const char *arena = getenv("RVSIM_JIT_ARENA");     /* bytes (tests: a small arena fills often) */
    if (arena && *arena) {
        long long v = strtoll(arena, NULL, 10);
        if (v >= 4096 && v <= (1ll << 30))
            j->size = (size_t)v;
    }
    const char *hot = getenv("RVSIM_JIT_HOT");
    if (hot && *hot) {
        long v = strtol(hot, NULL, 10);
        if (v >= 1 && v <= 255)
            j->hot = (unsigned)v;
    }
    return j;
}

void rv_jit_free(struct rv_jit *j)
{
    if (!j)
        return;
    if (j->code)
        munmap(j->code, j->size);
    free(j);
}

void rv_jit_reset(struct rv_jit *j)
{
    j->used = 0;
}

uint64_t rv_jit_code_bytes(rv_machine *m)
{
    return m->jit ? m->jit->used : 0;
}



#else   /* not x86-64 Linux: the interpreter is the only engine */

struct rv_jit *rv_jit_new(void) { return NULL; }
void rv_jit_free(struct rv_jit *j) { (void)j; }
void rv_jit_reset(struct rv_jit *j) { (void)j; }
uint64_t rv_jit_code_bytes(rv_machine *m) { (void)m; return 0; }
int rv_jit_compile(struct rv_machine *m, struct rv_code_page *page, unsigned idx, const void *const *labels,
                   unsigned kind)
{
    (void)m; (void)page; (void)idx; (void)labels; (void)kind;
    return 0;
}

#endif
