# Twelve stores in a loop, then a label to stop at: a continue over them lists what memory they wrote.
        .globl  _start
_start:
        la      s0, squares
        li      s1, 0
        li      s2, 12
fill:
        mul     t0, s1, s1
        slli    t1, s1, 2
        add     t1, s0, t1
        sw      t0, 0(t1)
        addi    s1, s1, 1
        blt     s1, s2, fill
done:
        li      a0, 0
        li      a7, 93
        ecall

        .data
        .balign 4
squares:
        .zero   48
