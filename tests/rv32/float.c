/* Floating point on RV32 (rv32gc/ilp32d: F and D instructions, fcvt.w/wu, and the soft 64-bit integer
   conversions through libgcc), printed with snprintf. */
#include <stdint.h>
#include <stdio.h>

void rt_puts(const char *s);

static char line[160];
#define OUT(...) do { snprintf(line, sizeof line, __VA_ARGS__); rt_puts(line); } while (0)

static volatile double vd = 1.0;
static volatile float vf = 3.0f;
static volatile int32_t vi = -123456789;
static volatile int64_t vl = -1234567890123ll;

int main(void)
{
    double d = vd;
    for (int i = 1; i < 40; i++)
        d = d * 1.25 + 1.0 / i;
    float f = vf;
    for (int i = 1; i < 30; i++)
        f = f * 0.75f + (float)i / 7.0f;
    OUT("d %.9g f %.6g\n", d, (double)f);
    OUT("cvt %ld %lu %d %u\n", (long)(int32_t)(d / 1000.0), (unsigned long)(uint32_t)d, (int)-f,
        (unsigned)(f * 1000.0f));
    OUT("i2f %.3f %.3f %.1f\n", (double)vi, (double)(uint32_t)vi, (double)vl);
    OUT("f2l %lld %llu\n", (long long)(d * -1e6), (unsigned long long)(d * 1e7));
    union { double d; uint64_t u; } u = { .d = d };
    OUT("bits %08lx%08lx\n", (unsigned long)(u.u >> 32), (unsigned long)u.u);
    return (int)d & 0x3f;
}
