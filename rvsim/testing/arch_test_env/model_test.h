/* rvsim as a model for the RISC-V architectural tests (riscv-arch-test; RISCOF's model_test.h).
 *
 * The test ends by writing 1 to the HTIF tohost word, which rvsim watches in any ELF that defines the
 * symbol; the signature is the memory between begin_signature and end_signature, which
 * `rvsim run --signature FILE [--signature-granularity N]` writes as the reference models do.
 * Compile with -I for this directory and the suite's env/, and link with link.ld from here.
 */
#ifndef RVSIM_MODEL_TEST_H
#define RVSIM_MODEL_TEST_H

/* the HTIF words, in a section of their own (link.ld) */
#define RVSIM_HTIF_WORDS \
        .pushsection .tohost, "aw", @progbits; \
        .balign 8; .global tohost; tohost: .dword 0; \
        .balign 8; .global fromhost; fromhost: .dword 0; \
        .popsection

/* exit status 0: tohost = (0 << 1) | 1 */
#define RVMODEL_HALT \
        li t0, 1; \
        la t1, tohost; \
        sw t0, 0(t1); \
        sw zero, 4(t1); \
1:      j 1b;

#define RVMODEL_BOOT

#define RVMODEL_DATA_BEGIN \
        RVSIM_HTIF_WORDS \
        .balign 16; .global begin_signature; begin_signature:

#define RVMODEL_DATA_END \
        .balign 16; .global end_signature; end_signature:

/* no console and no interrupt sources: these do nothing */
#define RVMODEL_IO_INIT
#define RVMODEL_IO_WRITE_STR(_R, _STR)
#define RVMODEL_IO_CHECK()
#define RVMODEL_IO_ASSERT_GPR_EQ(_S, _R, _I)
#define RVMODEL_IO_ASSERT_SFPR_EQ(_F, _R, _I)
#define RVMODEL_IO_ASSERT_DFPR_EQ(_D, _R, _I)
#define RVMODEL_SET_MSW_INT
#define RVMODEL_CLEAR_MSW_INT
#define RVMODEL_CLEAR_MTIMER_INT
#define RVMODEL_CLEAR_MEXT_INT

#endif
