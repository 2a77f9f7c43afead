/* A extension, written out by hand: every AMO in word and doubleword form
 * (word results are sign-extended), ordering bits, LR/SC success and failure,
 * and an LR/SC increment loop. */
    .file "asm_amo.S"
#include "asm_rt.inc"

    .data
    .balign 8
word_cell:  .word 0
            .word 0x5a5a5a5a          /* guard: must never change */
dword_cell: .dword 0
guard2:     .dword 0x1122334455667788

    .text
    /* AMO op, width (w/d), initial memory, operand: shows old value and new memory. */
    .macro AMO op, width, init, operand
    la s1, \width\()_cellp
    ld s1, 0(s1)
    li t0, \init
    s\width t0, 0(s1)
    li s2, \operand
    \op\().\width s3, s2, (s1)
    l\width s4, 0(s1)
    SHOW "\op\().\width \init \operand old", s3
    SHOW "    memory now", s4
    .endm

    .macro AMOS init, operand
    AMO amoswap, w, \init, \operand
    AMO amoadd, w, \init, \operand
    AMO amoxor, w, \init, \operand
    AMO amoand, w, \init, \operand
    AMO amoor, w, \init, \operand
    AMO amomin, w, \init, \operand
    AMO amomax, w, \init, \operand
    AMO amominu, w, \init, \operand
    AMO amomaxu, w, \init, \operand
    AMO amoswap, d, \init, \operand
    AMO amoadd, d, \init, \operand
    AMO amoxor, d, \init, \operand
    AMO amoand, d, \init, \operand
    AMO amoor, d, \init, \operand
    AMO amomin, d, \init, \operand
    AMO amomax, d, \init, \operand
    AMO amominu, d, \init, \operand
    AMO amomaxu, d, \init, \operand
    .endm

    .section .rodata
    .balign 8
w_cellp: .dword word_cell
d_cellp: .dword dword_cell

    .text
    .globl test_main
test_main:
    addi sp, sp, -16
    sd ra, 0(sp)

    AMOS 5, 3
    AMOS -5, 3
    AMOS 0x7fffffff, 1
    AMOS 0x80000000, 0x7fffffff
    AMOS 0xffffffff, 0xfffffffe
    AMOS 0x8000000000000000, 0x7fffffffffffffff
    AMOS -1, 1

    /* Ordering annotations change nothing in a single hart. */
    la s1, dword_cell
    li t0, 10
    sd t0, 0(s1)
    li t1, 1
    amoadd.d.aq s2, t1, (s1)
    amoadd.d.rl s2, t1, (s1)
    amoadd.d.aqrl s2, t1, (s1)
    ld s3, 0(s1)
    SHOW "aq/rl adds, memory", s3
    SHOW "aq/rl adds, last old", s2

    /* rd = x0: the memory still changes. */
    amoadd.d x0, t1, (s1)
    ld s3, 0(s1)
    SHOW "amoadd rd=x0, memory", s3

    /* LR/SC: success writes and returns 0. */
    lr.d s2, (s1)
    addi s2, s2, 100
    sc.d s3, s2, (s1)
    ld s4, 0(s1)
    SHOW "sc.d after lr.d result", s3
    SHOW "    memory", s4

    /* A store-conditional with no reservation (the previous SC consumed it)
     * fails: nonzero result, memory unchanged. */
    li s2, 999
    sc.d s3, s2, (s1)
    ld s4, 0(s1)
    SHOW "sc.d without lr, failed", s3
    SHOW "    memory unchanged", s4

    /* Word LR sign-extends; SC.W writes 32 bits only. */
    la s1, word_cell
    li t0, -2
    sw t0, 0(s1)
    lr.w s2, (s1)
    SHOW "lr.w of -2", s2
    li t0, 0x7fff0000
    sc.w s3, t0, (s1)
    lwu s4, 0(s1)
    lwu s5, 4(s1)
    SHOW "sc.w result", s3
    SHOW "    word", s4
    SHOW "    guard word", s5

    /* LR/SC increment loop, the usual retry pattern. */
    la s1, dword_cell
    sd zero, 0(s1)
    li s2, 5000
1:  lr.d.aq t0, (s1)
    addi t0, t0, 3
    sc.d.rl t1, t0, (s1)
    bnez t1, 1b
    addi s2, s2, -1
    bnez s2, 1b
    ld s3, 0(s1)
    SHOW "lr/sc loop total", s3
    la s1, guard2
    ld s3, 0(s1)
    SHOW "guard dword", s3

    ld ra, 0(sp)
    addi sp, sp, 16
    li a0, 0
    ret
