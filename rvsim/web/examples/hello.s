# Hello, world: the Linux way (write and exit system calls)
# env: linux
        .data
msg:    .string "Hello, RISC-V!\n"
        .equ    LEN, . - msg - 1

        .text
        .globl  _start
_start:
        li      a0, 1           # file descriptor 1: standard output
        la      a1, msg         # the bytes
        li      a2, LEN         # how many
        li      a7, 64          # write
        ecall
        li      a0, 0           # exit status
        li      a7, 93          # exit
        ecall
