/* Entry point for the rv32-vs-rv64 benchmark (benchmarks/bench_rv32.py, tests/test_rv32_qemu.py): crt0.S
 * for either XLEN.  The initial stack holds argc, argv[], NULL, envp[] in XLEN-bit words. */
    .file "crt0_xlen.S"
    .section .text.start, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv tp, zero
#if __riscv_xlen == 32
    lw a0, 0(sp)
    addi a1, sp, 4
    slli t0, a0, 2
    add a2, a1, t0
    addi a2, a2, 4
#else
    ld a0, 0(sp)
    addi a1, sp, 8
    slli t0, a0, 3
    add a2, a1, t0
    addi a2, a2, 8
#endif
    andi sp, sp, -16
    call __rt_start_c
1:  j 1b
