# An infinite loop (the most common student bug): Ctrl-C must stop it.
        .globl  _start
_start:
        li      t0, 0
loop:
        addi    t0, t0, 1
        j       loop
