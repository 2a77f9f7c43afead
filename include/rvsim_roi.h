/* Region-of-interest markers for rvsim's cycle model (rvsim run --timing P --region markers).
 *
 * Each marker is `slti x0, x0, IMM`, an instruction of the HINT space the RISC-V unprivileged spec
 * designates for custom use (rd = x0): it changes no architectural state, so real hardware executes it
 * as a no-op and the same binary runs anywhere.  rvsim switches its cycle model on at RVSIM_ROI_BEGIN,
 * off at RVSIM_ROI_END (functional speed outside), drops the region's counts so far at RVSIM_ROI_RESET
 * and records its totals so far at RVSIM_ROI_DUMP.
 *
 *     #include "rvsim_roi.h"
 *     RVSIM_ROI_BEGIN();
 *     kernel();
 *     RVSIM_ROI_END();
 */
#ifndef RVSIM_ROI_H
#define RVSIM_ROI_H

#define RVSIM_ROI_HINT_(imm) __asm__ volatile("slti x0, x0, " #imm ::: "memory")
#define RVSIM_ROI_BEGIN() RVSIM_ROI_HINT_(0x5c0)
#define RVSIM_ROI_END() RVSIM_ROI_HINT_(0x5c1)
#define RVSIM_ROI_RESET() RVSIM_ROI_HINT_(0x5c2)
#define RVSIM_ROI_DUMP() RVSIM_ROI_HINT_(0x5c3)

#endif
