# A main that returns: no _start, and `ret` from main ends the program with a0 as its status
# env: linux
        .text
        .globl  main
main:
        addi    sp, sp, -16
        sd      ra, 8(sp)
        li      a0, 10
        call    square          # a0 = 100
        addi    a0, a0, -58     # 42
        ld      ra, 8(sp)
        addi    sp, sp, 16
        ret

square:
        mul     a0, a0, a0
        ret
