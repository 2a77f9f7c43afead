# RVV fp16 (Zvfh) matrix multiply, row broadcast: C = A x B with N x N row-major fp16 matrices
# (default N = 64, at most 512: the sums stay exact integers in fp16).
# For each row i of C and each strip of vl columns (vsetvli e16 at LMUL = 1, 2, 4 or 8): the strip is
# sum_k A[i][k] * B[k][strip], one vle16 of a row of B and one vfmacc.vf with the scalar fp16 A[i][k]
# (flh, Zfhmin) per k.  Inputs are small integers (-2..1), so every sum is an exact fp16 integer;
# self-checking (Freivalds' check in integers, asm/common.inc).  Exit code 0 and "matmul_rvv_fp16: ok".
#
#   rvsim run --isa rv64gcv_zvfh --timing x60 asm/matmul_rvv_fp16.s
#   rvsim run --isa rv64gcv_zvfh --timing c908 --defsym N=48 --defsym LMUL=8 asm/matmul_rvv_fp16.s
        .ifndef N
        .equ    N, 64
        .endif
        .ifndef LMUL
        .equ    LMUL, 4
        .endif
        .if     N > 512
        .error  "N must be at most 512 (fp16 sums of up to 4N must stay exact)"
        .endif

        .include "common.inc"
        .option arch, +zvfh
        .include "vset.inc"

        .section .rodata
name:   .ascii  "matmul_rvv_fp16"
name_end:

        .text
        .globl  _start
_start:
        fill_elems A, N*N, KIND_F16, -2, 4, 1
        fill_elems B, N*N, KIND_F16, -2, 4, 2

kernel_begin:
        li      s4, N*2                 # row stride in bytes
        la      s0, A                   # &A[i][0]
        la      s2, C                   # &C[i][0]
        li      s3, N                   # rows left
row:    li      s5, 0                   # j
strip:  li      t0, N
        sub     t0, t0, s5              # columns left
        vset_lmul t1, t0, 16            # t1 = vl
        vmv.v.i v8, 0                   # the strip of C[i]
        slli    t2, s5, 1
        la      a1, B
        add     a1, a1, t2              # &B[0][j]
        mv      a0, s0                  # &A[i][0]
        li      a2, N                   # k left
kloop:  flh     fa0, 0(a0)
        vle16.v v16, (a1)
        vfmacc.vf v8, fa0, v16
        addi    a0, a0, 2
        add     a1, a1, s4
        addi    a2, a2, -1
        bnez    a2, kloop
        add     t3, s2, t2              # &C[i][j]
        vse16.v v8, (t3)
        add     s5, s5, t1
        li      t0, N
        blt     s5, t0, strip
        add     s0, s0, s4
        add     s2, s2, s4
        addi    s3, s3, -1
        bnez    s3, row
kernel_end:

        check_matmul_abc KIND_F16

        .bss
        .balign 64
A:      .zero   N*N*2
B:      .zero   N*N*2
C:      .zero   N*N*2
