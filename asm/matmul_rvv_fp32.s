# RVV fp32 matrix multiply, row broadcast: C = A x B with N x N row-major matrices (default N = 64).
# For each row i of C and each strip of vl columns (vsetvli e32 at LMUL = 1, 2, 4 or 8): the strip is
# sum_k A[i][k] * B[k][strip], one vle32 of a row of B and one vfmacc.vf with the scalar A[i][k] per k.
# Inputs are small integers (-8..7), so every sum is exact; self-checking (Freivalds' check in
# integers, asm/common.inc).  Exit code 0 and "matmul_rvv_fp32: ok" on success.
#
#   rvsim run --timing x60 asm/matmul_rvv_fp32.s
#   rvsim run --timing c908 --defsym N=48 --defsym LMUL=8 asm/matmul_rvv_fp32.s
        .ifndef N
        .equ    N, 64
        .endif
        .ifndef LMUL
        .equ    LMUL, 4
        .endif

        .include "common.inc"
        .include "vset.inc"

        .section .rodata
name:   .ascii  "matmul_rvv_fp32"
name_end:

        .text
        .globl  _start
_start:
        fill_elems A, N*N, KIND_F32, -8, 16, 1
        fill_elems B, N*N, KIND_F32, -8, 16, 2

kernel_begin:
        li      s4, N*4                 # row stride in bytes
        la      s0, A                   # &A[i][0]
        la      s2, C                   # &C[i][0]
        li      s3, N                   # rows left
row:    li      s5, 0                   # j
strip:  li      t0, N
        sub     t0, t0, s5              # columns left
        vset_lmul t1, t0, 32            # t1 = vl
        vmv.v.i v8, 0                   # the strip of C[i]
        slli    t2, s5, 2
        la      a1, B
        add     a1, a1, t2              # &B[0][j]
        mv      a0, s0                  # &A[i][0]
        li      a2, N                   # k left
kloop:  flw     fa0, 0(a0)
        vle32.v v16, (a1)
        vfmacc.vf v8, fa0, v16
        addi    a0, a0, 4
        add     a1, a1, s4
        addi    a2, a2, -1
        bnez    a2, kloop
        add     t3, s2, t2              # &C[i][j]
        vse32.v v8, (t3)
        add     s5, s5, t1
        li      t0, N
        blt     s5, t0, strip
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
