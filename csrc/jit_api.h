/* The block compiler's part of the Python interface (jit.h describes the compiler). */
#ifndef RVSIM_JIT_API_H
#define RVSIM_JIT_API_H

/* cffi-begin */
/* Bytes of compiled code the machine holds now: 0 while the block compiler is off (it is on for RV64
   machines on x86-64 Linux unless RVSIM_NO_JIT=1 or RVSIM_JIT=0 when the machine is made) or has
   compiled nothing. */
uint64_t rv_jit_code_bytes(rv_machine *m);
/* cffi-end */

#endif
