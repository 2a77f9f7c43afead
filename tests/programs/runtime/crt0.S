/* rvsim test runtime: process entry point for Linux user mode, RV64 or RV32.
 *
 * The kernel (or rvsim) enters _start with sp pointing at the initial stack, in XLEN-bit words:
 *   sp+0: argc, then argv[0..argc-1], NULL, envp[...], NULL, auxv pairs.
 * Registers other than sp carry nothing we rely on.
 */
#if __riscv_xlen == 32
#define LOAD_WORD lw
#define WORD_SHIFT 2
#else
#define LOAD_WORD ld
#define WORD_SHIFT 3
#endif
#define WORD_BYTES (1 << WORD_SHIFT)
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
    LOAD_WORD a0, 0(sp)     /* argc */
    addi a1, sp, WORD_BYTES /* argv */
    slli t0, a0, WORD_SHIFT
    add a2, a1, t0
    addi a2, a2, WORD_BYTES /* envp = argv + argc + 1 */
    andi sp, sp, -16        /* the ABI wants 16-byte alignment at calls */
    call __rt_start_c       /* never returns */
1:  j 1b
    .size _start, . - _start
