# Venus-style: the call number in a0, its argument in a1
# env: venus
        .data
msg:    .asciiz "Hello from Venus: "

        .text
main:
        li      a0, 4           # print_string
        la      a1, msg
        ecall
        li      a0, 1           # print_int
        li      a1, 2024
        ecall
        li      a0, 11          # print_char
        li      a1, '\n'
        ecall
        li      a0, 10          # exit
        ecall
