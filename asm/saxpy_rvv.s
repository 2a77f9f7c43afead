# RVV fp32 saxpy: y = a x + y over N floats (default N = 1000, a = 3), strip-mined with vsetvli e32, m8:
# each strip loads x and y, multiplies-adds the scalar with vfmacc.vf and stores y back; the last strip is
# short whenever N is not a multiple of VLMAX.  Inputs are small integers, so every result is exact;
# self-checking against an integer computation from the same seeds.  Exit code 0 and "saxpy_rvv: ok".
#
#   rvsim run asm/saxpy_rvv.s
#   rvsim run --vlen 128 --defsym N=37 --timing x60 asm/saxpy_rvv.s
        .ifndef N
        .equ    N, 1000
        .endif
        .equ    ALPHA, 3

        .include "common.inc"

        .section .rodata
name:   .ascii  "saxpy_rvv"
name_end:

        .text
        .globl  _start
_start:
        # x, y and y0 (a copy of y for the check): N small integers in -64..63 each
        fill_elems X, N, KIND_F32, -64, 128, 5
        fill_elems Y, N, KIND_F32, -64, 128, 9
        fill_elems Y0, N, KIND_F32, -64, 128, 9

kernel_begin:
        li      t0, ALPHA
        fcvt.s.l fa0, t0
        li      a0, N                   # elements left
        la      a1, X
        la      a2, Y
1:      vsetvli t0, a0, e32, m8, ta, ma
        vle32.v v0, (a1)
        vle32.v v8, (a2)
        vfmacc.vf v8, fa0, v0
        vse32.v v8, (a2)
        sub     a0, a0, t0
        slli    t0, t0, 2
        add     a1, a1, t0
        add     a2, a2, t0
        bnez    a0, 1b
kernel_end:

        # check: y[i] == ALPHA x[i] + y0[i] in integers
        li      s3, 0                   # i
        li      s8, 0                   # status
2:      slli    s4, s3, 2
        la      a0, X
        add     a0, a0, s4
        li      a1, KIND_F32
        call    load_elem
        li      t0, ALPHA
        mul     s5, a0, t0
        la      a0, Y0
        add     a0, a0, s4
        li      a1, KIND_F32
        call    load_elem
        add     s5, s5, a0
        la      a0, Y
        add     a0, a0, s4
        li      a1, KIND_F32
        call    load_elem
        beq     a0, s5, 3f
        li      s8, 1
3:      addi    s3, s3, 1
        li      t0, N
        blt     s3, t0, 2b
        mv      a0, s8
        report_status

        .bss
        .balign 64
X:      .zero   N*4
Y:      .zero   N*4
Y0:     .zero   N*4
