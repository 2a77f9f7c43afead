/* Zicsr from user mode: the floating-point CSRs (fflags, frm, fcsr) through
 * every CSR instruction form, field masking and aliasing between the three,
 * flags raised by arithmetic, and the counters (cycle, time, instret), which
 * are only checked for moving forward since their values are not portable. */
    .file "asm_zicsr.S"
#include "asm_rt.inc"

    .text
    .globl test_main
test_main:
    addi sp, sp, -16
    sd ra, 0(sp)

    /* csrrw returns the old value and writes the new one. */
    csrrw s1, fcsr, zero
    li t0, 0xff
    csrrw s1, fcsr, t0
    SHOW "csrrw fcsr old", s1
    csrr s1, fcsr
    SHOW "fcsr after writing 0xff", s1
    csrr s1, fflags
    SHOW "fflags view", s1
    csrr s1, frm
    SHOW "frm view", s1

    /* Bits above the field are dropped. */
    li t0, -1
    csrw fcsr, t0
    csrr s1, fcsr
    SHOW "fcsr after writing all ones", s1
    csrw fflags, zero
    csrr s1, fcsr
    SHOW "fcsr after clearing fflags", s1
    li t0, 0x1a5
    csrw frm, t0
    csrr s1, frm
    SHOW "frm after writing 0x1a5", s1
    csrr s1, fcsr
    SHOW "fcsr", s1

    /* Set and clear forms, register and immediate. */
    csrw fcsr, zero
    li t0, 0x11
    csrrs s1, fflags, t0
    SHOW "csrrs fflags old", s1
    csrr s1, fflags
    SHOW "fflags after set 0x11", s1
    li t0, 0x01
    csrrc s1, fflags, t0
    SHOW "csrrc fflags old", s1
    csrr s1, fflags
    SHOW "fflags after clear 0x01", s1
    csrrwi s1, frm, 3
    SHOW "csrrwi frm old", s1
    csrrsi s1, fflags, 0x6
    SHOW "csrrsi fflags old", s1
    csrrci s1, fflags, 0x12
    SHOW "csrrci fflags old", s1
    csrr s1, fcsr
    SHOW "fcsr now", s1
    /* csrrs/csrrc with x0 or immediate 0 only read. */
    csrrs s1, fcsr, x0
    SHOW "csrrs x0 reads", s1
    csrrci s1, fcsr, 0
    SHOW "csrrci 0 reads", s1
    /* Pseudo-instructions frcsr/fscsr/frrm/fsrm/frflags/fsflags. */
    li t0, 0x42
    fscsr s1, t0
    SHOW "fscsr old", s1
    frrm s1
    SHOW "frrm", s1
    li t0, 1
    fsrm s1, t0
    SHOW "fsrm old", s1
    frflags s1
    SHOW "frflags", s1
    fsflags s1, zero
    SHOW "fsflags old", s1

    /* Flags accrue from arithmetic: 1/0 sets DZ, 1/3 sets NX, 0/0 sets NV. */
    csrw fcsr, zero
    li t0, 1
    fcvt.d.l ft0, t0
    fcvt.d.l ft1, zero
    fdiv.d ft2, ft0, ft1
    csrr s1, fflags
    SHOW "flags after 1/0", s1
    li t0, 3
    fcvt.d.l ft1, t0
    fdiv.d ft2, ft0, ft1
    csrr s1, fflags
    SHOW "flags after 1/3 too", s1
    fcvt.d.l ft1, zero
    fdiv.d ft2, ft1, ft1
    csrr s1, fflags
    SHOW "flags after 0/0 too", s1
    fmv.x.d s1, ft2
    SHOW "0/0 result", s1

    /* The dynamic rounding mode steers fcvt without a static mode. */
    li t0, 0x4004000000000000      /* 2.5 */
    fmv.d.x ft0, t0
    .irp mode, 0, 1, 2, 3, 4
    csrwi frm, \mode
    fcvt.l.d s1, ft0, dyn
    SHOW "fcvt.l.d 2.5 with frm=\mode", s1
    .endr
    csrw fcsr, zero

    /* Counters: later reads are not smaller; instret counts executed
     * instructions, so a loop of 2 x 100000 instructions adds at least 2000
     * (the margin is for qemu-user, where instret follows the host clock). */
    rdinstret s1
    rdcycle s2
    rdtime s3
    li t0, 100000
1:  addi t0, t0, -1
    bnez t0, 1b
    rdinstret s4
    rdcycle s5
    rdtime s6
    sub t1, s4, s1
    li t2, 2000
    sltu t1, t1, t2
    xori t1, t1, 1
    SHOW "instret advanced by >= 2000", t1
    sltu t1, s5, s2
    xori t1, t1, 1
    SHOW "cycle did not go back", t1
    sltu t1, s6, s3
    xori t1, t1, 1
    SHOW "time did not go back", t1
    csrr s1, instret
    csrr s2, cycle
    csrr s3, time
    sltu t1, s1, s4
    xori t1, t1, 1
    SHOW "csrr instret agrees", t1

    ld ra, 0(sp)
    addi sp, sp, 16
    li a0, 0
    ret
