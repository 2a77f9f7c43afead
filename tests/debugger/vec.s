# Vector registers at the current SEW/LMUL.
        .globl  _start
_start:
        vsetivli t0, 4, e32, m1, ta, ma
        vid.v   v1
        vadd.vi v2, v1, 10
        li      a0, 0
        li      a7, 93
        ecall
