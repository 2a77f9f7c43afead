# sum.s: add up an array with a function
        .data
        .align  2
array:  .word   3, 1, 4, 1, 5, 9
total:  .word   0
        .text
        .globl  _start
_start:
        la      a0, array       # a0: address of the first element
        li      a1, 6           # a1: how many elements
        call    sum             # a0 = sum(array, 6)
        la      t0, total
        sw      a0, 0(t0)       # total = a0
        li      a7, 93          # exit, with the sum as the status
        ecall

# sum(a0 = address, a1 = count) returns the sum in a0
sum:
        li      t0, 0           # t0: the running sum
loop:
        beqz    a1, end         # no elements left?
        lw      t1, 0(a0)       # t1 = the element a0 points at
        add     t0, t0, t1
        addi    a0, a0, 4       # the next element is 4 bytes on
        addi    a1, a1, -1
        j       loop
end:
        mv      a0, t0
        ret
