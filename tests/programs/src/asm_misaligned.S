/* Misaligned loads and stores of every integer and FP width, at every offset
 * within a doubleword and across a page boundary.  Linux user programs may
 * rely on these working (the kernel emulates them where hardware traps). */
    .file "asm_misaligned.S"
#include "asm_rt.inc"

    .data
    .balign 4096
    .space 4096 - 16
page_edge:                      /* 16 bytes before a page boundary */
    .space 32
    .balign 8
pattern:
    .dword 0x8877665544332211
    .dword 0xffeeddccbbaa9988
    .dword 0x0123456789abcdef
scratch:
    .space 32

    .text
    .globl test_main
test_main:
    addi sp, sp, -16
    sd ra, 0(sp)

    la s1, pattern
    .irp off, 1, 2, 3, 5, 6, 7
    lh s2, \off(s1)
    SHOW "lh +\off", s2
    lhu s2, \off(s1)
    SHOW "lhu +\off", s2
    lw s2, \off(s1)
    SHOW "lw +\off", s2
    lwu s2, \off(s1)
    SHOW "lwu +\off", s2
    ld s2, \off(s1)
    SHOW "ld +\off", s2
    flw ft0, \off(s1)
    fmv.x.w s2, ft0
    SHOW "flw +\off", s2
    fld ft1, \off(s1)
    fmv.x.d s2, ft1
    SHOW "fld +\off", s2
    .endr

    /* Stores: write at an odd offset, read back aligned. */
    la s3, scratch
    sd zero, 0(s3)
    sd zero, 8(s3)
    sd zero, 16(s3)
    li t0, 0xa1a2a3a4a5a6a7a8
    sd t0, 3(s3)
    li t0, 0xb1b2b3b4
    sw t0, 13(s3)
    li t0, 0xc1c2
    sh t0, 17(s3)
    li t0, 0x3ff0000000000001
    fmv.d.x ft2, t0
    fsd ft2, 21(s3)
    li t0, 0x40490fdb
    fmv.w.x ft3, t0
    fsw ft3, 1(s3)              /* overlaps the sd above */
    ld s2, 0(s3)
    SHOW "scratch[0]", s2
    ld s2, 8(s3)
    SHOW "scratch[8]", s2
    ld s2, 16(s3)
    SHOW "scratch[16]", s2
    ld s2, 24(s3)
    SHOW "scratch[24]", s2

    /* Across the page boundary. */
    la s4, page_edge
    li t0, 0x0807060504030201
    sd t0, 12(s4)               /* bytes 12..19: crosses at 16 */
    ld s2, 12(s4)
    SHOW "ld across page", s2
    lw s2, 14(s4)
    SHOW "lw across page", s2
    lhu s2, 15(s4)
    SHOW "lhu across page", s2
    ld s2, 8(s4)
    SHOW "aligned below", s2
    ld s2, 16(s4)
    SHOW "aligned above", s2

    /* Compressed loads at misaligned addresses. */
    addi sp, sp, -32
    li t0, 0x1122334455667788
    sd t0, 0(sp)
    sd t0, 8(sp)
    addi t1, sp, 3
    c.ld a4, 0(s1)              /* aligned, for contrast */
    SHOW "c.ld aligned", a4
    mv a5, t1
    c.ld a4, 0(a5)
    SHOW "c.ld misaligned", a4
    c.lw a4, 4(a5)
    SHOW "c.lw misaligned", a4
    addi sp, sp, 32

    ld ra, 0(sp)
    addi sp, sp, 16
    li a0, 0
    ret
