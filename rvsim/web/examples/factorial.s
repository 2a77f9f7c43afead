# Recursive factorial: calls, returns and the stack
# env: linux
        .text
        .globl  _start
_start:
        li      a0, 5
        call    fact            # a0 = 5! = 120
        li      a7, 93          # exit with it as the status
        ecall

# fact(a0 = n) -> a0 = n!
fact:
        addi    sp, sp, -16
        sd      ra, 8(sp)
        sd      s0, 0(sp)
        mv      s0, a0
        li      t0, 1
        ble     a0, t0, base    # 0! = 1! = 1
        addi    a0, a0, -1
        call    fact            # (n-1)!
        mul     a0, a0, s0      # n * (n-1)!
        j       done
base:
        li      a0, 1
done:
        ld      s0, 0(sp)
        ld      ra, 8(sp)
        addi    sp, sp, 16
        ret
