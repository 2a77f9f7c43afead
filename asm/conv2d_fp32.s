# RVV fp32 2-D convolution: out = in * w, a 3x3 filter over an N x N image (default N = 64), "valid"
# borders, so out is (N-2) x (N-2) (row-major, row stride N-2).  The nine weights live in fs0..fs8; each
# strip of vl output columns (vsetvli e32 m4) accumulates nine vle32 (unaligned, shifted by kx) times
# vfmacc.vf.  Inputs are small integers (-8..7), so every sum is exact; self-checking against an
# integer reference.  Exit code 0 and "conv2d_fp32: ok" on success.
#
#   rvsim run --timing x60 asm/conv2d_fp32.s
#   rvsim run --timing c908 --defsym N=100 asm/conv2d_fp32.s
        .ifndef N
        .equ    N, 64
        .endif
        .if     N < 3
        .error  "N must be at least 3"
        .endif
        .equ    M, N-2                  # output edge

        .include "common.inc"

        .section .rodata
name:   .ascii  "conv2d_fp32"
name_end:

        .text
        .globl  _start
_start:
        fill_elems IN, N*N, KIND_F32, -8, 16, 1
        fill_elems W, 9, KIND_F32, -8, 16, 5

kernel_begin:
        la      t0, W
        flw     fs0, 0(t0)
        flw     fs1, 4(t0)
        flw     fs2, 8(t0)
        flw     fs3, 12(t0)
        flw     fs4, 16(t0)
        flw     fs5, 20(t0)
        flw     fs6, 24(t0)
        flw     fs7, 28(t0)
        flw     fs8, 32(t0)
        li      s4, N*4                 # input row stride
        la      s0, IN                  # &in[y][0]
        la      s2, OUT                 # &out[y][0]
        li      s3, M                   # output rows left
row:    li      s5, 0                   # x
strip:  li      t0, M
        sub     t0, t0, s5
        vsetvli t1, t0, e32, m4, ta, ma
        slli    t2, s5, 2
        add     a0, s0, t2              # &in[y][x]
        add     a1, a0, s4              # &in[y+1][x]
        add     a2, a1, s4              # &in[y+2][x]
        vle32.v v16, (a0)
        vfmul.vf v8, v16, fs0
        addi    t3, a0, 4
        vle32.v v20, (t3)
        vfmacc.vf v8, fs1, v20
        addi    t3, a0, 8
        vle32.v v24, (t3)
        vfmacc.vf v8, fs2, v24
        vle32.v v16, (a1)
        vfmacc.vf v8, fs3, v16
        addi    t3, a1, 4
        vle32.v v20, (t3)
        vfmacc.vf v8, fs4, v20
        addi    t3, a1, 8
        vle32.v v24, (t3)
        vfmacc.vf v8, fs5, v24
        vle32.v v16, (a2)
        vfmacc.vf v8, fs6, v16
        addi    t3, a2, 4
        vle32.v v20, (t3)
        vfmacc.vf v8, fs7, v20
        addi    t3, a2, 8
        vle32.v v24, (t3)
        vfmacc.vf v8, fs8, v24
        add     t3, s2, t2              # &out[y][x]
        vse32.v v8, (t3)
        add     s5, s5, t1
        li      t0, M
        blt     s5, t0, strip
        add     s0, s0, s4
        li      t0, M*4
        add     s2, s2, t0
        addi    s3, s3, -1
        bnez    s3, row
kernel_end:

        # check: out[y][x] == sum_{ky,kx} w[ky][kx] in[y+ky][x+kx] in integers
        li      s8, 0                   # status
        li      s3, 0                   # y
1:      li      s4, 0                   # x
2:      li      s5, 0                   # sum
        li      s6, 0                   # t = 3 ky + kx
3:      li      t0, 3
        divu    t1, s6, t0              # ky
        remu    t2, s6, t0              # kx
        add     t1, t1, s3
        add     t2, t2, s4
        li      t0, N
        mul     t1, t1, t0
        add     t1, t1, t2
        slli    t1, t1, 2
        la      a0, IN
        add     a0, a0, t1
        li      a1, KIND_F32
        call    load_elem
        mv      s7, a0
        slli    t0, s6, 2
        la      a0, W
        add     a0, a0, t0
        li      a1, KIND_F32
        call    load_elem
        mul     a0, a0, s7
        add     s5, s5, a0
        addi    s6, s6, 1
        li      t0, 9
        blt     s6, t0, 3b
        li      t0, M
        mul     t0, t0, s3
        add     t0, t0, s4
        slli    t0, t0, 2
        la      a0, OUT
        add     a0, a0, t0
        li      a1, KIND_F32
        call    load_elem
        beq     a0, s5, 4f
        li      s8, 1
4:      addi    s4, s4, 1
        li      t0, M
        blt     s4, t0, 2b
        addi    s3, s3, 1
        blt     s3, t0, 1b
        mv      a0, s8
        report_status

        .bss
        .balign 64
IN:     .zero   N*N*4
W:      .zero   9*4
        .balign 64
OUT:    .zero   M*M*4
