# int8 matrix multiply with RVV 1.0 widening multiply-adds (the baseline for matmul_int8_vdot4a.s):
# C = A x B, A and B N x N int8 (row-major), C int32.  Each row of C is a sum of rows of B scaled by
# A[i][k]: the int8 row is sign-extended to int16 (vsext.vf2) and vwmacc.vx accumulates into int32.
# The element counts per register group stay equal (SEW/LMUL = 8: e8 m1, e16 m2, e32 m4) so that
# `vsetvli zero, zero` switches width without changing vl.
# Self-checking: every element of C against a scalar triple loop.  Prints "ok" and exits 0 on success.
#
#   rvsim run asm/matmul_int8_vwmacc.s
#   rvsim run --defsym N=128 --report asm/matmul_int8_vwmacc.s
        .ifndef N
        .equ    N, 64
        .endif

        .section .rodata
ok:     .ascii  "matmul_int8_vwmacc: ok\n"
ok_end:
failed: .ascii  "matmul_int8_vwmacc: FAILED\n"
failed_end:

        .text
        .globl  _start
_start:
        la      s0, A                   # A and B (adjacent) from a linear congruential generator
        li      t0, 2*N*N
        li      t1, 2463534242
        li      t2, 1103515245
1:      mul     t1, t1, t2
        addi    t1, t1, 1234
        srli    t3, t1, 17
        sb      t3, 0(s0)
        addi    s0, s0, 1
        addi    t0, t0, -1
        bnez    t0, 1b

kernel_begin:                           # rvsim bench times kernel_begin..kernel_end
        la      s0, A                   # row i of A
        la      s2, C                   # row i of C
        li      s3, N                   # rows left
        li      t6, N                   # bytes per row of B
row:    li      s4, 0                   # j0
col:    li      t0, N
        sub     t0, t0, s4
        vsetvli s5, t0, e32, m4, ta, ma
        vmv.v.i v8, 0                   # int32 accumulators
        mv      a0, s0
        la      a1, B
        add     a1, a1, s4              # &B[0][j0]
        li      s6, N
k:      vsetvli zero, zero, e8, m1, ta, ma
        vle8.v  v16, (a1)               # B[k][j0 .. j0+vl)
        vsetvli zero, zero, e16, m2, ta, ma
        vsext.vf2 v20, v16              # to int16
        lb      a2, 0(a0)               # A[i][k]
        vwmacc.vx v8, a2, v20           # int32 += int16 * int16
        addi    a0, a0, 1
        add     a1, a1, t6
        addi    s6, s6, -1
        bnez    s6, k
        vsetvli zero, zero, e32, m4, ta, ma
        slli    t1, s4, 2
        add     t1, s2, t1
        vse32.v v8, (t1)
        add     s4, s4, s5
        li      t0, N
        blt     s4, t0, col
        addi    s0, s0, N
        li      t0, N*4
        add     s2, s2, t0
        addi    s3, s3, -1
        bnez    s3, row
kernel_end:

        # check every C[i][j] against sum_k A[i][k] * B[k][j]
        li      s3, 0                   # i
chk_i:  li      s4, 0                   # j
chk_j:  li      a3, 0
        li      s6, 0                   # k
chk_k:  li      t0, N
        mul     t1, s3, t0
        add     t1, t1, s6
        la      t2, A
        add     t2, t2, t1
        lb      t2, 0(t2)               # A[i][k]
        mul     t1, s6, t0
        add     t1, t1, s4
        la      t3, B
        add     t3, t3, t1
        lb      t3, 0(t3)               # B[k][j]
        mul     t2, t2, t3
        addw    a3, a3, t2
        addi    s6, s6, 1
        blt     s6, t0, chk_k
        mul     t1, s3, t0
        add     t1, t1, s4
        slli    t1, t1, 2
        la      t2, C
        add     t2, t2, t1
        lw      t2, 0(t2)
        bne     t2, a3, fail
        addi    s4, s4, 1
        blt     s4, t0, chk_j
        addi    s3, s3, 1
        blt     s3, t0, chk_i

        la      a1, ok
        li      a2, ok_end - ok
        li      s0, 0
        j       report
fail:   la      a1, failed
        li      a2, failed_end - failed
        li      s0, 1
report: li      a0, 1                   # write(1, msg, len)
        li      a7, 64
        ecall
        mv      a0, s0                  # exit(status)
        li      a7, 93
        ecall

        .bss
        .balign 8
A:      .zero   N*N
B:      .zero   N*N
C:      .zero   N*N*4
