/* Entry point of the RV32 differential test programs (tests/test_rv32_qemu.py): Linux user mode,
 * ilp32.  The initial stack holds argc at sp+0 and argv[] from sp+4 (4-byte words).
 */
    .file "crt0.S"
    .text
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    lw a0, 0(sp)            /* argc */
    addi a1, sp, 4          /* argv */
    andi sp, sp, -16
    call main
    call rt_exit            /* main's value is the exit status */
1:  j 1b
    .size _start, . - _start
