# hello.s: print a line and exit, the Linux way (system calls numbered in a7)
        .data
msg:    .string "Hello, RISC-V!\n"
        .text
        .globl  _start
_start:
        li      a0, 1           # file descriptor 1: standard output
        la      a1, msg         # the bytes to write
        li      a2, 15          # how many
        li      a7, 64          # system call 64: write
        ecall
        li      a0, 0           # exit status 0
        li      a7, 93          # system call 93: exit
        ecall
