# hello_rars.s: the RARS way
        .data
msg:    .asciz  "Hello, RISC-V!\n"
        .text
main:
        li      a7, 4           # PrintString: the string at a0
        la      a0, msg
        ecall
        li      a7, 10          # Exit
        ecall
