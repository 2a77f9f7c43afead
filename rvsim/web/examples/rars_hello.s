# RARS-style: main, .asciiz and RARS system calls (number in a7)
# env: rars
        .data
msg:    .asciiz "Hello from RARS\n"
prod:   .asciiz "6 * 7 = "

        .text
main:
        la      a0, msg
        li      a7, 4           # print_string
        ecall
        la      a0, prod
        li      a7, 4
        ecall
        li      t0, 6
        li      t1, 7
        mul     a0, t0, t1
        li      a7, 1           # print_int
        ecall
        li      a0, '\n'
        li      a7, 11          # print_char
        ecall
        li      a7, 10          # exit
        ecall
