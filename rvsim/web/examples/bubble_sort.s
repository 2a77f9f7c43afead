# Bubble sort of ten words, printed with write
# env: linux
        .data
values: .word   9, 4, 7, 1, 8, 2, 6, 3, 5, 0
        .equ    N, 10
digit:  .byte   0, 10

        .text
        .globl  _start
_start:
        li      s0, N - 1               # passes left
outer:
        la      t0, values
        mv      t1, s0                  # compares in this pass
inner:
        lw      t2, 0(t0)
        lw      t3, 4(t0)
        ble     t2, t3, 1f
        sw      t3, 0(t0)               # swap the pair
        sw      t2, 4(t0)
1:      addi    t0, t0, 4
        addi    t1, t1, -1
        bnez    t1, inner
        addi    s0, s0, -1
        bnez    s0, outer

        la      s1, values              # print each (one digit) on its own line
        li      s2, N
print:
        lw      t0, 0(s1)
        addi    t0, t0, '0'
        la      a1, digit
        sb      t0, 0(a1)
        li      a0, 1
        li      a2, 2
        li      a7, 64
        ecall
        addi    s1, s1, 4
        addi    s2, s2, -1
        bnez    s2, print
        li      a0, 0
        li      a7, 93
        ecall
