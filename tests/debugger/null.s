# A load through a null pointer: the program cannot go on, the student can look around.
        .globl  _start
_start:
        li      t0, 0
        li      a0, 7
        lw      t1, 0(t0)
        li      a7, 93
        ecall
