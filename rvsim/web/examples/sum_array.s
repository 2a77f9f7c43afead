# Sum of an array: a loop over words in memory
# env: linux
        .data
array:  .word   3, 1, 4, 1, 5, 9, 2, 6
        .equ    COUNT, 8

        .text
        .globl  _start
_start:
        la      t0, array       # pointer to the next element
        li      t1, COUNT       # elements left
        li      a0, 0           # the sum
loop:
        lw      t2, 0(t0)
        add     a0, a0, t2
        addi    t0, t0, 4
        addi    t1, t1, -1
        bnez    t1, loop
        li      a7, 93          # exit with the sum (31) as the status
        ecall
