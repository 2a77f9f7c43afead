/* Self-modifying code: instructions are stored into a writable and
 * executable buffer, made visible with fence.i, executed, then overwritten
 * and executed again.  A simulator that caches decoded instructions must
 * notice the stores. */
    .file "asm_smc.S"
#include "asm_rt.inc"

    /* The buffer starts as "li a0, 1; ret" so the first call has a defined result. */
    .section .smc, "awx", @progbits
    .balign 4
code_buffer:
    .word 0x00100513            /* addi a0, zero, 1 */
    .word 0x00008067            /* jalr zero, 0(ra) */
    .space 56

    .text
/* Encodes "addi a0, zero, imm" for a 12-bit imm in a0, result in a0. */
encode_li_a0:
    slli a0, a0, 20
    li t0, 0x00000513
    or a0, a0, t0
    ret

    .globl test_main
test_main:
    addi sp, sp, -16
    sd ra, 0(sp)
    la s1, code_buffer

    jalr ra, 0(s1)
    SHOW "initial code returns", a0

    /* Rewrite the first instruction: li a0, 42. */
    li a0, 42
    call encode_li_a0
    sw a0, 0(s1)
    fence.i
    jalr ra, 0(s1)
    SHOW "after rewrite to li 42", a0

    /* Rewrite again, many times in a loop, each time executing the new code.
     * The sum shows every version ran. */
    li s2, 0
    li s3, 1
1:  mv a0, s3
    call encode_li_a0
    sw a0, 0(s1)
    fence.i
    jalr ra, 0(s1)
    add s2, s2, a0
    addi s3, s3, 1
    li t0, 300
    ble s3, t0, 1b
    SHOW "sum of 1..300 from rewritten code", s2

    /* A longer generated function: a chain of "addi a0, a0, k" then ret. */
    li t0, 0x00050513           /* addi a0, a0, 0 */
    li s2, 1
    mv s4, s1
    li a0, 0
    sw a0, 0(s1)                /* placeholder, replaced below */
2:  slli t1, s2, 20
    or t1, t1, t0
    sw t1, 0(s4)
    addi s4, s4, 4
    addi s2, s2, 1
    li t2, 12
    ble s2, t2, 2b
    li t1, 0x00008067           /* ret */
    sw t1, 0(s4)
    fence.i
    li a0, 1000
    jalr ra, 0(s1)
    SHOW "1000 + (1+..+12) from generated chain", a0

    /* Patch a compressed instruction in the middle of the chain:
     * c.li a0, 7 (0x451d) followed by c.nop (0x0001) replaces one addi. */
    li t1, 0x0001451d
    sw t1, 16(s1)
    fence.i
    li a0, 1000
    jalr ra, 0(s1)
    SHOW "chain with c.li a0,7 at slot 5", a0

    ld ra, 0(sp)
    addi sp, sp, 16
    li a0, 0
    ret
