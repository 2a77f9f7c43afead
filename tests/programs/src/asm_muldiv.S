/* M extension, written out by hand: every multiply/divide instruction on the
 * corner cases the spec defines (division by zero, signed overflow), the
 * 32-bit W forms with their sign extension, and register aliasing. */
    .file "asm_muldiv.S"
#include "asm_rt.inc"

    .macro T op, a, b
    li s1, \a
    li s2, \b
    \op s3, s1, s2
    SHOW "\op \a \b", s3
    .endm

    .macro ALL a, b
    T mul, \a, \b
    T mulh, \a, \b
    T mulhsu, \a, \b
    T mulhu, \a, \b
    T div, \a, \b
    T divu, \a, \b
    T rem, \a, \b
    T remu, \a, \b
    T mulw, \a, \b
    T divw, \a, \b
    T divuw, \a, \b
    T remw, \a, \b
    T remuw, \a, \b
    .endm

    .text
    .globl test_main
test_main:
    addi sp, sp, -16
    sd ra, 0(sp)

    ALL 7, 3
    ALL -7, 3
    ALL 7, -3
    ALL -7, -3
    ALL 0, 0
    ALL 5, 0
    ALL -5, 0
    ALL 0x8000000000000000, -1
    ALL 0x8000000000000000, 1
    ALL 0x7fffffffffffffff, 0x7fffffffffffffff
    ALL -1, -1
    ALL 0xffffffff80000000, -1      /* INT32_MIN / -1 in the W forms */
    ALL 0x0000000080000000, -1      /* upper bits ignored by W forms */
    ALL 0x123456789abcdef0, 0xfedcba9876543210
    ALL 0xffffffff, 0x100000000     /* divisor is 0 in the W forms */

    /* Aliasing: destination equal to a source. */
    li s1, 12345
    li s2, -678
    mul s1, s1, s2
    SHOW "mul rd=rs1", s1
    li s1, 1000003
    div s2, s1, s1
    SHOW "div rs1=rs2", s2
    li s1, -99
    rem s1, s1, s1
    SHOW "rem rd=rs1=rs2", s1
    /* A write to x0 is discarded. */
    li s1, 3
    mul x0, s1, s1
    SHOW "x0 after mul", x0

    /* Sum of i*i and i/7, i%7 for i in 1..1000: a loop the decoder sees often. */
    li s1, 1
    li s2, 1000
    li s3, 0
    li s4, 7
1:  mul t0, s1, s1
    div t1, s1, s4
    rem t2, s1, s4
    add s3, s3, t0
    add s3, s3, t1
    add s3, s3, t2
    addi s1, s1, 1
    ble s1, s2, 1b
    SHOW "loop sum", s3

    ld ra, 0(sp)
    addi sp, sp, 16
    li a0, 0
    ret
