/* RV32 integer arithmetic as C compiles it: 32-bit wrap-around, 64-bit arithmetic on register pairs
   (mulhu, sltu carries, the libgcc division routines), shifts, comparisons, bit manipulation.  Prints
   one line per check with snprintf (picolibc), exits with a status computed from the results. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rt_puts(const char *s);

static char line[160];
#define OUT(...) do { snprintf(line, sizeof line, __VA_ARGS__); rt_puts(line); } while (0)

static volatile int32_t vmax = 0x7fffffff, vmin = (int32_t)0x80000000, vneg = -7, v3 = 3;
static volatile uint32_t vu = 0xfffffff0u;

static uint32_t hash(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static int cmp_u(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int32_t w = vmax + (int32_t)(argc > 0);
    OUT("wrap %ld %d\n", (long)w, w < 0);
    OUT("div %ld %ld %ld %ld\n", (long)(vmin / vneg), (long)(vmin % vneg), (long)(vneg / v3), (long)(vneg % v3));
    OUT("divu %lu %lu\n", (unsigned long)(vu / 7u), (unsigned long)(vu % 7u));
    OUT("shift %lx %lx %lx\n", (unsigned long)((uint32_t)vmin >> 3), (unsigned long)(vmin >> 3),
        (unsigned long)((uint32_t)vneg << 28));
    uint64_t a = 0x0123456789abcdefull, b = 0xfedcba9876543210ull, acc = 1;
    for (int i = 0; i < 64; i++) {
        acc = acc * (a | 1) + (b >> (i & 63)) + (uint64_t)i;
        a ^= acc << (i & 31);
        b += a >> 5;
    }
    OUT("u64 %08lx%08lx\n", (unsigned long)(acc >> 32), (unsigned long)acc);
    int64_t s = (int64_t)acc, d = -(int64_t)(b | 3);
    OUT("i64 %lld %lld %llu\n", (long long)(s / d), (long long)(s % d), (unsigned long long)(acc / (b | 1)));
    OUT("mulh %lx %lx\n", (unsigned long)(((int64_t)vmin * vneg) >> 32), (unsigned long)(((uint64_t)vu * vu) >> 32));
    OUT("slt %d %d %d\n", vneg < v3, (uint32_t)vneg < (uint32_t)v3, vmin < vmax);
    uint32_t arr[37];
    for (int i = 0; i < 37; i++)
        arr[i] = (uint32_t)(i * 2654435761u) ^ (uint32_t)(i << 29);
    qsort(arr, 37, sizeof arr[0], cmp_u);
    OUT("sorted %lx %lx %lx\n", (unsigned long)arr[0], (unsigned long)arr[18], (unsigned long)arr[36]);
    char text[64];
    strcpy(text, "the quick brown fox jumps over the lazy dog");
    OUT("hash %08lx %u\n", (unsigned long)hash((const uint8_t *)text, strlen(text)), (unsigned)strlen(text));
    OUT("clz %d %d %d\n", __builtin_clz(0x00f00000u), __builtin_ctz(0x00f00000u), __builtin_popcount(vu));
    OUT("argc %d %s\n", argc, argv[argc - 1]);
    return (int)((acc ^ (acc >> 32)) & 0x7f);
}
