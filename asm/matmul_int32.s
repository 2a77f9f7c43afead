# Scalar int32 matrix multiply: C = A x B with N x N matrices (default N = 64).
# Self-checking: the sum of all elements of C must equal sum_k colsum(A)[k] * rowsum(B)[k],
# computed independently.  Exit code 0 and "ok" on success, 1 and "FAILED" otherwise.
#
#   rvsim run asm/matmul_int32.s --report
#   rvsim run asm/matmul_int32.s --defsym N=128 --report
        .ifndef N
        .equ    N, 64
        .endif

        .section .rodata
ok:     .ascii  "matmul_int32: ok\n"
ok_end:
failed: .ascii  "matmul_int32: FAILED\n"
failed_end:
        .equ    OK_LEN, ok_end - ok
        .equ    FAILED_LEN, failed_end - failed

        .text
        .globl  _start
_start:
        # fill A and B with small pseudo-random values (a linear congruential generator)
        la      s0, A
        la      s1, B
        li      t0, N*N
        li      t1, 12345               # LCG state
        li      t2, 1103515245
1:      mul     t1, t1, t2
        addi    t1, t1, 1234
        srai    t3, t1, 16
        andi    t3, t3, 255
        addi    t3, t3, -128
        sw      t3, 0(s0)
        srai    t4, t1, 24
        andi    t4, t4, 127
        addi    t4, t4, -64
        sw      t4, 0(s1)
        addi    s0, s0, 4
        addi    s1, s1, 4
        addi    t0, t0, -1
        bnez    t0, 1b

        # C[i][j] = sum_k A[i][k] * B[k][j]
kernel_begin:                           # rvsim bench times kernel_begin..kernel_end
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
        li      a3, 0
dot:    lw      a4, 0(a0)
        lw      a5, 0(a1)
        mul     a4, a4, a5
        addw    a3, a3, a4
        addi    a0, a0, 4
        add     a1, a1, s4
        addi    a2, a2, -1
        bnez    a2, dot
        sw      a3, 0(s5)
        addi    s5, s5, 4
        addi    s1, s1, 4
        addi    s6, s6, -1
        bnez    s6, col
        add     s0, s0, s4
        add     s2, s2, s4
        addi    s3, s3, -1
        bnez    s3, row
kernel_end:

        # check: total of C against sum_k colsum(A)[k] * rowsum(B)[k] (64-bit arithmetic)
        la      a0, C
        li      t0, N*N
        li      s7, 0
2:      lw      t1, 0(a0)
        add     s7, s7, t1
        addi    a0, a0, 4
        addi    t0, t0, -1
        bnez    t0, 2b
        sext.w  s7, s7                  # C was accumulated mod 2^32

        li      s8, 0                   # expected total
        li      t0, 0                   # k
3:      la      a0, A
        slli    t1, t0, 2
        add     a0, a0, t1              # &A[0][k]
        li      t2, N
        li      t3, 0                   # colsum A[.][k]
4:      lw      t4, 0(a0)
        add     t3, t3, t4
        add     a0, a0, s4
        addi    t2, t2, -1
        bnez    t2, 4b
        la      a1, B
        mul     t1, t0, s4
        add     a1, a1, t1              # &B[k][0]
        li      t2, N
        li      t5, 0                   # rowsum B[k][.]
5:      lw      t4, 0(a1)
        add     t5, t5, t4
        addi    a1, a1, 4
        addi    t2, t2, -1
        bnez    t2, 5b
        mul     t3, t3, t5
        add     s8, s8, t3
        addi    t0, t0, 1
        li      t1, N
        blt     t0, t1, 3b
        sext.w  s8, s8

        li      a0, 1                   # write(1, msg, len)
        beq     s7, s8, pass
        la      a1, failed
        li      a2, FAILED_LEN
        li      a7, 64
        ecall
        li      a0, 1
        j       exit
pass:   la      a1, ok
        li      a2, OK_LEN
        li      a7, 64
        ecall
        li      a0, 0
exit:   li      a7, 93                  # exit(a0)
        ecall


        .bss
        .balign 8
A:      .zero   N*N*4
B:      .zero   N*N*4
C:      .zero   N*N*4
