# int8 matrix multiply with the Zvdot4a8i dot products: C = A x B, A and B N x N int8, C int32.
# B is stored packed for vdot4a: word (kb, j) holds B[4kb..4kb+3][j], one byte each, k ascending, so
# that vdot4a.vx multiplies four consecutive bytes of a row of A (one lw) with four rows of B at once.
# Self-checking: every element of C against a scalar triple loop.  Prints "ok" and exits 0 on success.
#
#   rvsim run --isa rv64gcv_zvdot4a8i asm/matmul_int8_vdot4a.s
#   rvsim run --isa rv64gcv_zvdot4a8i --defsym N=128 --report asm/matmul_int8_vdot4a.s
        .ifndef N
        .equ    N, 64
        .endif
        .if     N % 4
        .error  "N must be a multiple of 4"
        .endif

        .section .rodata
ok:     .ascii  "matmul_int8_vdot4a: ok\n"
ok_end:
failed: .ascii  "matmul_int8_vdot4a: FAILED\n"
failed_end:

        .text
        .globl  _start
_start:
        # A (N*N bytes) and packed B (N*N bytes) from a linear congruential generator, all int8 values
        la      s0, A
        li      t0, 2*N*N               # A and Bp are adjacent
        li      t1, 2463534242
        li      t2, 1103515245
1:      mul     t1, t1, t2
        addi    t1, t1, 1234
        srli    t3, t1, 17
        sb      t3, 0(s0)
        addi    s0, s0, 1
        addi    t0, t0, -1
        bnez    t0, 1b

        # C[i][j0 .. j0+vl) = sum over kb of vdot4a(A[i][4kb..4kb+3], Bp[kb][j0 .. j0+vl))
kernel_begin:                           # rvsim bench times kernel_begin..kernel_end
        la      s0, A                   # row i of A
        la      s2, C                   # row i of C
        li      s3, N                   # rows left
        li      t6, N*4                 # bytes per row of Bp and of C
row:    li      s4, 0                   # j0
col:    li      t0, N
        sub     t0, t0, s4
        vsetvli s5, t0, e32, m4, ta, ma
        vmv.v.i v8, 0
        mv      a0, s0
        la      a1, Bp
        slli    t1, s4, 2
        add     a1, a1, t1
        li      s6, N/4
kb:     lw      a2, 0(a0)               # four int8 of A[i]
        vle32.v v16, (a1)               # four rows of B, vl columns
        vdot4a.vx v8, v16, a2
        addi    a0, a0, 4
        add     a1, a1, t6
        addi    s6, s6, -1
        bnez    s6, kb
        slli    t1, s4, 2
        add     t1, s2, t1
        vse32.v v8, (t1)
        add     s4, s4, s5
        li      t0, N
        blt     s4, t0, col
        addi    s0, s0, N
        add     s2, s2, t6
        addi    s3, s3, -1
        bnez    s3, row
kernel_end:

        # check every C[i][j] against sum_k A[i][k] * B[k][j], B[k][j] = byte (k/4 * N + j) * 4 + k%4 of Bp
        li      s3, 0                   # i
chk_i:  li      s4, 0                   # j
chk_j:  li      a3, 0                   # sum
        li      s6, 0                   # k
chk_k:  li      t0, N
        mul     t0, s3, t0
        add     t0, t0, s6
        la      t1, A
        add     t1, t1, t0
        lb      t2, 0(t1)               # A[i][k]
        srli    t0, s6, 2
        li      t1, N
        mul     t0, t0, t1
        add     t0, t0, s4
        slli    t0, t0, 2
        andi    t1, s6, 3
        add     t0, t0, t1
        la      t1, Bp
        add     t1, t1, t0
        lb      t3, 0(t1)               # B[k][j]
        mul     t2, t2, t3
        addw    a3, a3, t2
        addi    s6, s6, 1
        li      t0, N
        blt     s6, t0, chk_k
        li      t0, N
        mul     t0, s3, t0
        add     t0, t0, s4
        slli    t0, t0, 2
        la      t1, C
        add     t1, t1, t0
        lw      t2, 0(t1)
        bne     t2, a3, fail
        addi    s4, s4, 1
        li      t0, N
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
Bp:     .zero   N*N
C:      .zero   N*N*4
