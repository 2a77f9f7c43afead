# Scalar fp32 matrix multiply: C = A x B with N x N row-major matrices (default N = 32), fmadd.s in an
# i-j-k loop.  Inputs are small integers (-8..7), so every sum is exact; self-checking (Freivalds' check
# in integers, asm/common.inc).  Exit code 0 and "matmul_fp32: ok" on success.
#
#   rvsim run asm/matmul_fp32.s --timing x60
#   rvsim run asm/matmul_fp32.s --defsym N=64 --timing teach
        .ifndef N
        .equ    N, 32
        .endif

        .include "common.inc"

        .section .rodata
name:   .ascii  "matmul_fp32"
name_end:

        .text
        .globl  _start
_start:
        fill_elems A, N*N, KIND_F32, -8, 16, 1
        fill_elems B, N*N, KIND_F32, -8, 16, 2

kernel_begin:
        la      s0, A                   # row i of A
        la      s2, C                   # row i of C
        li      s3, N                   # rows left
        li      s4, N*4                 # row stride in bytes
row:    la      s1, B                   # column j of B
        mv      s5, s2
        li      s6, N                   # columns left
col:    mv      a0, s0
        mv      a1, s1
        li      a2, N
        fmv.w.x fa0, zero
dot:    flw     fa1, 0(a0)
        flw     fa2, 0(a1)
        fmadd.s fa0, fa1, fa2, fa0
        addi    a0, a0, 4
        add     a1, a1, s4
        addi    a2, a2, -1
        bnez    a2, dot
        fsw     fa0, 0(s5)
        addi    s5, s5, 4
        addi    s1, s1, 4
        addi    s6, s6, -1
        bnez    s6, col
        add     s0, s0, s4
        add     s2, s2, s4
        addi    s3, s3, -1
        bnez    s3, row
kernel_end:

        check_matmul_abc KIND_F32

        .bss
        .balign 64
A:      .zero   N*N*4
B:      .zero   N*N*4
C:      .zero   N*N*4
