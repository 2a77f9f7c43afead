/* The C extension, written out with explicit compressed mnemonics so each one
 * really is a 16-bit instruction.  Results are printed; branches and jumps
 * leave a trace value in s1 (x9). */
    .file "asm_rvc.S"
#include "asm_rt.inc"

    .data
    .balign 8
cells:
    .dword 0x1111111122222222
    .dword 0x33333333c4444444
    .dword 0
    .dword 0

    .text
    .globl test_main
test_main:
    addi sp, sp, -64
    sd ra, 56(sp)

    /* Immediates and upper immediates. */
    c.li a0, -32
    SHOW "c.li -32", a0
    c.li a0, 31
    SHOW "c.li 31", a0
    c.lui a1, 0x1f
    SHOW "c.lui 0x1f", a1
    c.lui a1, 0xfffe0            /* nzimm = -32 -> 0xfffffffffffe0000 */
    SHOW "c.lui -32", a1
    c.addi a0, -1
    SHOW "c.addi -1", a0
    c.addiw a0, 5
    SHOW "c.addiw 5", a0
    li a2, 0x7fffffff
    c.addiw a2, 1                /* wraps and sign-extends */
    SHOW "c.addiw overflow", a2
    c.addi16sp sp, -32
    c.addi4spn a3, sp, 16
    sub a3, a3, sp
    SHOW "c.addi4spn offset", a3
    c.addi16sp sp, 32

    /* Shifts and ALU. */
    li a4, -256
    c.srli a4, 4
    SHOW "c.srli 4", a4
    li a4, -256
    c.srai a4, 4
    SHOW "c.srai 4", a4
    li a4, 3
    c.slli a4, 62
    SHOW "c.slli 62", a4
    li a4, 0x0ff0
    c.andi a4, -16
    SHOW "c.andi -16", a4
    li a4, 0x0ff0
    c.andi a4, 15
    SHOW "c.andi 15", a4
    li a4, 100
    li a5, 42
    c.sub a4, a5
    SHOW "c.sub", a4
    c.xor a4, a5
    SHOW "c.xor", a4
    c.or a4, a5
    SHOW "c.or", a4
    c.and a4, a5
    SHOW "c.and", a4
    li a4, 0x7fffffff
    li a5, 1
    c.addw a4, a5
    SHOW "c.addw overflow", a4
    li a4, 0
    c.subw a4, a5
    SHOW "c.subw", a4
    li s0, 5
    c.mv a0, s0
    c.add a0, s0
    SHOW "c.mv then c.add", a0

    /* Loads and stores, register-based and sp-based. */
    la a5, cells
    c.ld a0, 0(a5)
    SHOW "c.ld", a0
    c.lw a1, 8(a5)
    SHOW "c.lw (sign-extends)", a1
    c.lw a1, 12(a5)
    SHOW "c.lw upper word", a1
    c.sd a0, 16(a5)
    c.sw a1, 24(a5)
    ld a2, 16(a5)
    SHOW "after c.sd", a2
    ld a2, 24(a5)
    SHOW "after c.sw", a2
    c.sdsp a0, 0(sp)
    c.swsp a1, 8(sp)
    c.ldsp a3, 0(sp)
    SHOW "c.ldsp", a3
    c.lwsp a3, 8(sp)
    SHOW "c.lwsp", a3
    fld fa0, 0(a5)
    c.fsd fa0, 16(a5)
    c.fld fa1, 16(a5)
    fmv.x.d a3, fa1
    SHOW "c.fsd/c.fld round trip", a3
    c.fsdsp fa1, 16(sp)
    c.fldsp fa2, 16(sp)
    fmv.x.d a3, fa2
    SHOW "c.fsdsp/c.fldsp round trip", a3

    /* Control flow: c.beqz, c.bnez, c.j, c.jr, c.jalr. */
    c.li s1, 0
    c.li a0, 0
    c.beqz a0, 1f
    c.addi s1, 1                 /* skipped */
1:  c.bnez a0, 2f
    c.addi s1, 2                 /* executed */
2:  c.li a0, 1
    c.bnez a0, 3f
    c.addi s1, 4                 /* skipped */
3:  c.j 4f
    c.addi s1, 8                 /* skipped */
4:  la a1, 5f
    c.jr a1
    c.addi s1, 16                /* skipped */
5:  la a1, rvc_leaf
    c.jalr a1                    /* links through ra */
    SHOW "branch trace (expect 2+32)", s1
    /* A compressed countdown loop. */
    c.li a0, 20
    c.li a2, 0
6:  c.add a2, a0
    c.addi a0, -1
    c.bnez a0, 6b
    SHOW "sum 1..20 by compressed loop", a2
    c.nop

    ld ra, 56(sp)
    addi sp, sp, 64
    li a0, 0
    ret

rvc_leaf:
    c.addi s1, 16
    c.addi s1, 16
    c.jr ra
