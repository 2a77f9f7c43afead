# A float in an FP register, a sum in memory.
        .data
        .align  3
half:   .double 0.5
        .text
        .globl  _start
_start:
        la      t0, half
        fld     fa0, 0(t0)
        fadd.d  fa1, fa0, fa0
        li      a0, 0
        li      a7, 93
        ecall
