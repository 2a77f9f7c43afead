# Recursive factorial: the debugger tests' main program.
        .data
msg:    .string "fact(5) = "
        .align  2
counter: .word  0
arr:    .word   1, 2, 3, 4, 5
        .text
        .globl  _start
_start:
        li      a0, 5
        call    fact
        mv      s1, a0
        la      t0, counter
        sw      s1, 0(t0)
        lw      t1, 0(t0)
        li      a0, 1
        la      a1, msg
        li      a2, 10
        li      a7, 64
        ecall
        mv      a0, s1
        li      a7, 93
        ecall

fact:
        addi    sp, sp, -16
        sd      ra, 8(sp)
        sd      a0, 0(sp)
        li      t1, 1
        ble     a0, t1, base
        addi    a0, a0, -1
        call    fact
        ld      t2, 0(sp)
        mul     a0, a0, t2
        j       done
base:
        li      a0, 1
done:
        ld      ra, 8(sp)
        addi    sp, sp, 16
        ret
