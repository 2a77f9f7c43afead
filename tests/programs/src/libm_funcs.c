/* picolibc's libm in float and double, printed as bit patterns.  The results
 * depend only on the instructions executed (software math), so they are exact
 * regression data for the F/D datapath. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static unsigned long long dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

int main(void)
{
    static const double inputs[] = {-3.75, -1.0, -0.5, 0.0, 1e-300, 0.1, 0.5, 1.0,
                                    2.0,   3.14159, 10.0, 100.5, 1e10, 1e300};
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        volatile double x = inputs[i];
        volatile float xf = (float)inputs[i];
        printf("x=%016llx exp %016llx log %016llx sin %016llx cos %016llx atan %016llx\n", dbits(x),
               dbits(exp(x)), dbits(log(x)), dbits(sin(x)), dbits(cos(x)), dbits(atan(x)));
        printf("  pow %016llx cbrt %016llx tanh %016llx floor %016llx round %016llx fmod %016llx\n",
               dbits(pow(x, 1.5)), dbits(cbrt(x)), dbits(tanh(x)), dbits(floor(x)),
               dbits(round(x)), dbits(fmod(x, 0.75)));
        printf("  f: exp %08x log %08x sin %08x cos %08x sqrt %08x pow %08x hypot %08x\n",
               fbits(expf(xf)), fbits(logf(xf)), fbits(sinf(xf)), fbits(cosf(xf)),
               fbits(sqrtf(xf)), fbits(powf(xf, 2.5f)), fbits(hypotf(xf, 3.0f)));
    }
    int e;
    volatile double m = 1234.5;
    double fr = frexp(m, &e);
    printf("frexp %016llx %d ldexp %016llx\n", dbits(fr), e, dbits(ldexp(fr, e + 3)));
    double ip;
    double fp = modf(-7.625, &ip);
    printf("modf %016llx %016llx\n", dbits(fp), dbits(ip));
    return 0;
}
