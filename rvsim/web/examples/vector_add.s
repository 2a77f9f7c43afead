# Vector add: strip-mined RVV loop (watch vl, vtype and the element grid)
# env: linux
        .data
        .equ    N, 19
a:      .word   1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19
b:      .word   100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900
c:      .zero   4 * N

        .text
        .globl  _start
_start:
        li      a0, N           # elements left
        la      a1, a
        la      a2, b
        la      a3, c
loop:
        vsetvli t0, a0, e32, m1, ta, mu
        vle32.v v1, (a1)
        vle32.v v2, (a2)
        vadd.vv v3, v1, v2
        vse32.v v3, (a3)
        sub     a0, a0, t0
        slli    t1, t0, 2
        add     a1, a1, t1
        add     a2, a2, t1
        add     a3, a3, t1
        bnez    a0, loop
        li      a0, 0
        li      a7, 93
        ecall
