/* An RVV program for clang (tests/test_profile.py: it runs on rvsim without --isa, which comes from the
   ELF's .riscv.attributes).  Intrinsic names: the v0.10 ones of clang 14, the __riscv_ ones later. */
#include <riscv_vector.h>

#if defined(__riscv_v_intrinsic) && __riscv_v_intrinsic >= 12000
#define VSETVL __riscv_vsetvl_e32m1
#define VLE __riscv_vle32_v_f32m1
#define VSE __riscv_vse32_v_f32m1
#define VFADD __riscv_vfadd_vv_f32m1
#else
#define VSETVL vsetvl_e32m1
#define VLE vle32_v_f32m1
#define VSE vse32_v_f32m1
#define VFADD vfadd_vv_f32m1
#endif

#define N 100

float x[N], y[N];

int main(void)
{
    for (int i = 0; i < N; i++) {
        x[i] = (float)i;
        y[i] = 1.0f;
    }
    float *px = x, *py = y;
    for (size_t n = N; n > 0;) {
        size_t vl = VSETVL(n);
        VSE(py, VFADD(VLE(px, vl), VLE(py, vl), vl), vl);
        px += vl;
        py += vl;
        n -= vl;
    }
    for (int i = 0; i < N; i++)
        if (y[i] != (float)i + 1.0f)
            return 1;
    return 0;
}
