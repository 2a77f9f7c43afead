# A runaway loop (the most common bug): press Stop
# env: linux
        .text
        .globl  _start
_start:
        li      t0, 0
forever:
        addi    t0, t0, 1       # counts for ever: the loop's exit test was forgotten
        j       forever
