/* The block compiler's part of the Python interface (jit.h describes the compiler). */
#ifndef RVSIM_JIT_API_H
#define RVSIM_JIT_API_H

/* cffi-begin */
/* Bytes of compiled code the machine holds now: 0 while the block compiler is off (it is on with
   RVSIM_JIT=1 on x86-64 Linux for RV64 machines, unless RVSIM_NO_JIT=1) or has compiled nothing. */
uint64_t rv_jit_code_bytes(rv_machine *m);
/* cffi-end */

#endif
