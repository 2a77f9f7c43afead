# bfloat16 matrix multiply with Zvfbfwma: C = A x B, A and B N x N bf16, C fp32 (vfwmaccbf16 multiplies
# bf16 pairs exactly and adds them to fp32 accumulators with one rounding).  The inputs are small
# integers (-8..7), converted to bf16 with vector instructions (vfcvt.f.x.v, then Zvfbfmin's
# vfncvtbf16.f.f.w), so that every fp32 sum is exact and C can be checked against integer arithmetic.
# A[i][k] is broadcast with vmv.v.x of its bit pattern (no scalar FP needed).
# Self-checking: every element of C (converted back with vfcvt.rtz.x.f.v) against a scalar triple loop.
#
#   rvsim run --isa rv64gcv_zvfbfwma asm/matmul_bf16.s
#   rvsim run --isa rv64gcv_zvfbfwma --defsym N=96 --report asm/matmul_bf16.s
        .ifndef N
        .equ    N, 64
        .endif

        .section .rodata
ok:     .ascii  "matmul_bf16: ok\n"
ok_end:
failed: .ascii  "matmul_bf16: FAILED\n"
failed_end:

        .text
        .globl  _start
_start:
        la      s0, AI                  # AI and BI (adjacent): int8 values in -8..7
        li      t0, 2*N*N
        li      t1, 2463534242
        li      t2, 1103515245
1:      mul     t1, t1, t2
        addi    t1, t1, 1234
        srli    t3, t1, 17
        andi    t3, t3, 15
        addi    t3, t3, -8
        sb      t3, 0(s0)
        addi    s0, s0, 1
        addi    t0, t0, -1
        bnez    t0, 1b

        # AH, BH (bf16) from AI, BI: int8 -> int32 -> fp32 -> bf16, vl elements at a time
        la      a0, AI                  # source bytes (AI then BI)
        la      a1, AH                  # destination halves (AH then BH)
        li      t0, 2*N*N
2:      vsetvli t1, t0, e32, m4, ta, ma
        vsetvli zero, zero, e8, m1, ta, ma
        vle8.v  v4, (a0)
        vsetvli zero, zero, e32, m4, ta, ma
        vsext.vf4 v8, v4
        vfcvt.f.x.v v8, v8              # exact
        vsetvli zero, zero, e16, m2, ta, ma
        vfncvtbf16.f.f.w v12, v8        # exact for these values
        vse16.v v12, (a1)
        add     a0, a0, t1
        slli    t2, t1, 1
        add     a1, a1, t2
        sub     t0, t0, t1
        bnez    t0, 2b

        # C[i][j0 .. j0+vl) += A[i][k] * B[k][j0 .. j0+vl) over k
kernel_begin:                           # rvsim bench times kernel_begin..kernel_end
        la      s0, AH                  # row i of A
        la      s2, C                   # row i of C
        li      s3, N
        li      t6, 2*N                 # bytes per row of B
row:    li      s4, 0
col:    li      t0, N
        sub     t0, t0, s4
        vsetvli s5, t0, e32, m4, ta, ma
        vmv.v.i v8, 0                   # +0.0
        vsetvli zero, zero, e16, m2, ta, ma
        mv      a0, s0
        la      a1, BH
        slli    t1, s4, 1
        add     a1, a1, t1
        li      s6, N
k:      lhu     a2, 0(a0)               # A[i][k] as a bf16 bit pattern
        vmv.v.x v20, a2
        vle16.v v16, (a1)
        vfwmaccbf16.vv v8, v20, v16
        addi    a0, a0, 2
        add     a1, a1, t6
        addi    s6, s6, -1
        bnez    s6, k
        vsetvli zero, zero, e32, m4, ta, ma
        vfcvt.rtz.x.f.v v12, v8
        slli    t1, s4, 2
        add     t1, s2, t1
        vse32.v v12, (t1)
        add     s4, s4, s5
        li      t0, N
        blt     s4, t0, col
        add     s0, s0, t6
        li      t0, N*4
        add     s2, s2, t0
        addi    s3, s3, -1
        bnez    s3, row
kernel_end:

        # check every C[i][j] against sum_k AI[i][k] * BI[k][j]
        li      s3, 0
chk_i:  li      s4, 0
chk_j:  li      a3, 0
        li      s6, 0
chk_k:  li      t0, N
        mul     t1, s3, t0
        add     t1, t1, s6
        la      t2, AI
        add     t2, t2, t1
        lb      t2, 0(t2)
        mul     t1, s6, t0
        add     t1, t1, s4
        la      t3, BI
        add     t3, t3, t1
        lb      t3, 0(t3)
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
AI:     .zero   N*N
BI:     .zero   N*N
        .balign 8
AH:     .zero   N*N*2
BH:     .zero   N*N*2
C:      .zero   N*N*4
