# scale.s: y[i] = 2.5 * x[i] with vector instructions, a few elements per loop
        .data
        .align  2
x:      .float  1, 2, 3, 4, 5, 6, 7, 8, 9, 10
y:      .zero   40
factor: .float  2.5
        .text
        .globl  main
main:
        la      a0, x           # a0: the next x
        la      a1, y           # a1: the next y
        li      a2, 10          # a2: elements left
        la      t0, factor
        flw     fa0, 0(t0)      # fa0 = 2.5
loop:
        vsetvli t1, a2, e32, m1, ta, ma   # t1: this round's element count (at most VLEN/32)
        vle32.v v1, (a0)        # v1 = t1 elements of x
        vfmul.vf v2, v1, fa0    # v2 = v1 * 2.5
        vse32.v v2, (a1)        # store them into y
        slli    t2, t1, 2       # t1 elements are 4 * t1 bytes
        add     a0, a0, t2
        add     a1, a1, t2
        sub     a2, a2, t1
        bnez    a2, loop
        li      a0, 0
        ret
