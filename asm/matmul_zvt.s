# int8 matrix multiply on Zvt 0.4 matrix tiles (draft): C = A^T x B with A and B N x N int8 (A stored
# as its transpose, K x M, the layout the outer-product instructions read), C int32.
#
# The tile loop is TE-agnostic: msetmtypei e8alt, w4 configures int8 x int8 (altfmt = 1: vs1 signed)
# into int32 tiles and picks LMUL; msettm / msettn / msettk cut each step to what the matrix unit
# holds.  For each tm x tn block of C: vtzero mt0, then for every 4 rows of K load 4 rows of A (tm
# bytes each, vl = tm) into v0, v2, v4, v6 and 4 rows of B (tn bytes, vl = tn) into v8 .. v14 and
# accumulate with vtmms.tvv; finally store the tile row by row with vtse32 (TSS = row index, tile 0).
# Self-checking: every element of C against a scalar triple loop.  Prints "ok" and exits 0 on success.
#
#   rvsim run --isa rv64gcv_zvt asm/matmul_zvt.s
#   rvsim run --isa rv64gcv_zvt --vlen 512 --tile-te 64 --defsym N=100 asm/matmul_zvt.s
        .ifndef N
        .equ    N, 64
        .endif

        .section .rodata
ok:     .ascii  "matmul_zvt: ok\n"
ok_end:
failed: .ascii  "matmul_zvt: FAILED\n"
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
        msetmtypei e8alt, w4            # SEW=8, int8 x int8 -> int32 tiles (KMAX = 4)
        li      s1, 0                   # m0
mloop:  li      t0, N
        sub     t0, t0, s1
        msettm  s3, t0                  # s3 = tm
        li      s2, 0                   # n0
nloop:  li      t0, N
        sub     t0, t0, s2
        msettn  s4, t0                  # s4 = tn (= vl)
        vtzero  mt0
        li      s5, 0                   # k0
kloop:  li      t0, N
        sub     t0, t0, s5
        msettk  s6, t0                  # s6 = tk (<= 4)
        msettn  zero, s3                # vl = tm: rows of A
        li      t1, N
        mul     t0, s5, t1
        add     t0, t0, s1
        la      t2, A
        add     t0, t0, t2              # &A[k0][m0]
        vle8.v  v0, (t0)
        li      t3, 2                   # rows past tk are not read by vtmms: skip their loads
        blt     s6, t3, 2f
        add     t0, t0, t1
        vle8.v  v2, (t0)
        add     t0, t0, t1
        li      t3, 3
        blt     s6, t3, 2f
        vle8.v  v4, (t0)
        add     t0, t0, t1
        li      t3, 4
        blt     s6, t3, 2f
        vle8.v  v6, (t0)
2:      msettn  zero, s4                # vl = tn: rows of B
        mul     t0, s5, t1
        add     t0, t0, s2
        la      t2, B
        add     t0, t0, t2              # &B[k0][n0]
        vle8.v  v8, (t0)
        li      t3, 2
        blt     s6, t3, 3f
        add     t0, t0, t1
        vle8.v  v10, (t0)
        li      t3, 3
        blt     s6, t3, 3f
        add     t0, t0, t1
        vle8.v  v12, (t0)
        li      t3, 4
        blt     s6, t3, 3f
        add     t0, t0, t1
        vle8.v  v14, (t0)
3:      vtmms.tvv mt0, v0, v8           # mt0[tm, tn] += A[tk, tm]^T B[tk, tn]
        add     s5, s5, s6
        li      t0, N
        blt     s5, t0, kloop
        # store the block: row r of the tile to C[m0 + r][n0 .. n0 + tn)
        li      s7, 0                   # r (the TSS: tile 0, row pattern, index r)
store:  add     t0, s1, s7
        li      t1, N
        mul     t0, t0, t1
        add     t0, t0, s2
        slli    t0, t0, 2
        la      t2, C
        add     t0, t0, t2
        vtse32  s7, (t0)
        addi    s7, s7, 1
        blt     s7, s3, store
        add     s2, s2, s4
        li      t0, N
        blt     s2, t0, nloop
        add     s1, s1, s3
        blt     s1, t0, mloop
kernel_end:

        # check every C[m][n] against sum_k A[k][m] * B[k][n]
        li      s3, 0                   # m
chk_m:  li      s4, 0                   # n
chk_n:  li      a3, 0
        li      s6, 0                   # k
chk_k:  li      t0, N
        mul     t1, s6, t0
        add     t2, t1, s3
        la      t3, A
        add     t3, t3, t2
        lb      t2, 0(t3)               # A[k][m]
        add     t1, t1, s4
        la      t3, B
        add     t3, t3, t1
        lb      t3, 0(t3)               # B[k][n]
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
        blt     s4, t0, chk_n
        addi    s3, s3, 1
        blt     s3, t0, chk_m

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
        .balign 8
C:      .zero   N*N*4
