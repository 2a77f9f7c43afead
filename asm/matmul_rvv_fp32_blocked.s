# RVV fp32 matrix multiply, register-blocked (the shape of Ara's fmatmul): C = A x B with N x N
# row-major matrices (default N = 64, a multiple of 4).  Four rows of C are computed at once, each
# strip of vl columns held in an accumulator (v0, v4, v8, v12 at e32 m4).  Per k the loop loads the next
# row of B (vle32, double-buffered in v16/v20, so the load of B[k+1] overlaps the multiply-adds with
# B[k]) and, interleaved with the four vfmacc.vf, the four scalars A[i..i+3][k] (flw).  The k loop is
# unrolled twice.
# Inputs are small integers (-8..7), so every sum is exact; self-checking (Freivalds' check in
# integers, asm/common.inc).  Exit code 0 and "matmul_rvv_fp32_blocked: ok" on success.
#
#   rvsim run --timing ara asm/matmul_rvv_fp32_blocked.s
#   rvsim run --timing ara --defsym N=128 asm/matmul_rvv_fp32_blocked.s
        .ifndef N
        .equ    N, 64
        .endif
        .if     N % 4
        .error  "N must be a multiple of 4"
        .endif

        .include "common.inc"

        .section .rodata
name:   .ascii  "matmul_rvv_fp32_blocked"
name_end:

        .text
        .globl  _start
_start:
        fill_elems A, N*N, KIND_F32, -8, 16, 1
        fill_elems B, N*N, KIND_F32, -8, 16, 2

kernel_begin:
        li      s4, N*4                 # row stride in bytes
        la      s0, A                   # &A[i][0], i = 0, 4, 8, ...
        la      s2, C                   # &C[i][0]
        li      s3, N/4                 # blocks of rows left
block:  li      s5, 0                   # j
strip:  li      t0, N
        sub     t0, t0, s5              # columns left
        vsetvli t1, t0, e32, m4, ta, ma # t1 = vl
        slli    t2, s5, 2
        la      a4, B
        add     a4, a4, t2              # &B[0][j]
        mv      a0, s0                  # &A[i][k] .. &A[i+3][k]
        add     a1, a0, s4
        add     a2, a1, s4
        add     a3, a2, s4
        vle32.v v16, (a4)               # B[0][strip]
        add     a4, a4, s4
        vle32.v v20, (a4)               # B[1][strip], loaded while k = 0 computes
        add     a4, a4, s4
        flw     fa0, 0(a0)
        flw     fa1, 0(a1)
        flw     fa2, 0(a2)
        flw     fa3, 0(a3)
        vfmul.vf v0, v16, fa0           # k = 0 starts the accumulators
        vfmul.vf v4, v16, fa1
        vfmul.vf v8, v16, fa2
        vfmul.vf v12, v16, fa3
        li      a5, N-1                 # k left
        # k = 1, 2, ...: two per trip.  B[k] is in v20 (k odd) or v16 (k even); B[k+1] is loaded into
        # the other buffer before the four multiply-adds of B[k], so the load overlaps them.
kloop:  addi    a5, a5, -1
        beqz    a5, 1f
        vle32.v v16, (a4)               # B[k+1]
        add     a4, a4, s4
1:      flw     fa0, 4(a0)
        vfmacc.vf v0, fa0, v20
        flw     fa1, 4(a1)
        vfmacc.vf v4, fa1, v20
        flw     fa2, 4(a2)
        vfmacc.vf v8, fa2, v20
        flw     fa3, 4(a3)
        vfmacc.vf v12, fa3, v20
        beqz    a5, kdone
        addi    a5, a5, -1
        beqz    a5, 2f
        vle32.v v20, (a4)               # B[k+2]
        add     a4, a4, s4
2:      flw     fa0, 8(a0)
        vfmacc.vf v0, fa0, v16
        flw     fa1, 8(a1)
        vfmacc.vf v4, fa1, v16
        flw     fa2, 8(a2)
        vfmacc.vf v8, fa2, v16
        flw     fa3, 8(a3)
        vfmacc.vf v12, fa3, v16
        addi    a0, a0, 8
        addi    a1, a1, 8
        addi    a2, a2, 8
        addi    a3, a3, 8
        bnez    a5, kloop
kdone:  add     t3, s2, t2              # &C[i][j]
        vse32.v v0, (t3)
        add     t3, t3, s4
        vse32.v v4, (t3)
        add     t3, t3, s4
        vse32.v v8, (t3)
        add     t3, t3, s4
        vse32.v v12, (t3)
        add     s5, s5, t1
        li      t0, N
        blt     s5, t0, strip
        slli    t0, s4, 2
        add     s0, s0, t0
        add     s2, s2, t0
        addi    s3, s3, -1
        bnez    s3, block
kernel_end:

        check_matmul_abc KIND_F32

        .bss
        .balign 64
A:      .zero   N*N*4
B:      .zero   N*N*4
C:      .zero   N*N*4
