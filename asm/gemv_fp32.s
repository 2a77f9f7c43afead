# RVV fp32 matrix-vector product: y = A x with A N x N row-major (default N = 128).  Each row is a dot
# product: vfmacc.vv over strips of the row and of x (vsetvli e32 m4, tail undisturbed so the partial
# sums of a short last strip keep the others), then one vfredusum.vs at VLMAX and vfmv.f.s into y[i].
# Inputs are small integers (-8..7), so every sum is exact; self-checking against an integer reference.
# Exit code 0 and "gemv_fp32: ok" on success.
#
#   rvsim run --timing x60 asm/gemv_fp32.s
#   rvsim run --timing c908 --defsym N=300 asm/gemv_fp32.s
        .ifndef N
        .equ    N, 128
        .endif

        .include "common.inc"

        .section .rodata
name:   .ascii  "gemv_fp32"
name_end:

        .text
        .globl  _start
_start:
        fill_elems A, N*N, KIND_F32, -8, 16, 1
        fill_elems X, N, KIND_F32, -8, 16, 3

kernel_begin:
        la      s0, A                   # &A[i][0]
        la      s1, Y                   # &y[i]
        li      s3, N                   # rows left
        fmv.w.x fs0, zero
row:    vsetvli t0, zero, e32, m4, ta, ma
        vmv.v.i v8, 0                   # partial sums (all of VLMAX)
        mv      a0, s0
        la      a1, X
        li      a2, N                   # columns left
strip:  vsetvli t1, a2, e32, m4, tu, ma
        vle32.v v16, (a0)
        vle32.v v20, (a1)
        vfmacc.vv v8, v16, v20
        slli    t2, t1, 2
        add     a0, a0, t2
        add     a1, a1, t2
        sub     a2, a2, t1
        bnez    a2, strip
        vsetvli t0, zero, e32, m4, ta, ma
        vfmv.s.f v24, fs0
        vfredusum.vs v24, v8, v24
        vfmv.f.s fa0, v24
        fsw     fa0, 0(s1)
        addi    s1, s1, 4
        li      t0, N*4
        add     s0, s0, t0
        addi    s3, s3, -1
        bnez    s3, row
kernel_end:

        # check: y[i] == sum_j A[i][j] x[j] in integers
        li      s3, 0                   # i
        li      s8, 0                   # status
1:      li      s4, 0                   # j
        li      s5, 0                   # sum
2:      li      t0, N
        mul     t0, t0, s3
        add     t0, t0, s4
        slli    t0, t0, 2
        la      a0, A
        add     a0, a0, t0
        li      a1, KIND_F32
        call    load_elem
        mv      s6, a0
        slli    t0, s4, 2
        la      a0, X
        add     a0, a0, t0
        li      a1, KIND_F32
        call    load_elem
        mul     a0, a0, s6
        add     s5, s5, a0
        addi    s4, s4, 1
        li      t0, N
        blt     s4, t0, 2b
        slli    t0, s3, 2
        la      a0, Y
        add     a0, a0, t0
        li      a1, KIND_F32
        call    load_elem
        beq     a0, s5, 3f
        li      s8, 1
3:      addi    s3, s3, 1
        li      t0, N
        blt     s3, t0, 1b
        mv      a0, s8
        report_status

        .bss
        .balign 64
A:      .zero   N*N*4
X:      .zero   N*4
Y:      .zero   N*4
