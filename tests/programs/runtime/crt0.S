/* rvsim test runtime: process entry point for RV64 Linux user mode.
 *
 * The kernel (or rvsim) enters _start with sp pointing at the initial stack:
 *   sp+0: argc, sp+8: argv[0..argc-1], NULL, envp[...], NULL, auxv pairs.
 * Registers other than sp carry nothing we rely on.
 */
    /* A fixed file symbol (not the temporary object's name) keeps builds reproducible. */
    .file "crt0.S"
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    /* gp must be set without relaxation: a relaxed `la gp` would itself use gp. */
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv tp, zero
    ld a0, 0(sp)            /* argc */
    addi a1, sp, 8          /* argv */
    slli t0, a0, 3
    add a2, a1, t0
    addi a2, a2, 8          /* envp = argv + argc + 1 */
    andi sp, sp, -16        /* the ABI wants 16-byte alignment at calls */
    call __rt_start_c       /* never returns */
1:  j 1b
    .size _start, . - _start
