# Echo: read a line from the console and write it back
# env: linux
        .bss
buf:    .zero   128

        .text
        .globl  _start
_start:
        li      a0, 0           # standard input
        la      a1, buf
        li      a2, 128
        li      a7, 63          # read: returns the byte count in a0
        ecall
        mv      a2, a0
        li      a0, 1
        la      a1, buf
        li      a7, 64          # write them back
        ecall
        li      a0, 0
        li      a7, 93
        ecall
