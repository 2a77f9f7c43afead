/* printf conversions, flags, widths and precisions. */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("d: %d %d %d %d\n", 0, 42, -42, INT_MIN);
    printf("i/u: %i %u %u\n", INT_MAX, 3000000000u, UINT_MAX);
    printf("x/X/o: %x %X %o %#x %#o %#X\n", 0xdeadbeef, 0xabcdefu, 0755, 255, 8, 0xabc);
    printf("ld: %ld %ld %lu %lx\n", LONG_MAX, LONG_MIN, ULONG_MAX, 0x123456789abcdef0L);
    printf("lld: %lld %llu %llx\n", (long long)-9000000000LL, 18000000000000000000ULL,
           0xfedcba9876543210ULL);
    printf("hh/h: %hhd %hhu %hd %hu\n", (signed char)-5, (unsigned char)250, (short)-1234,
           (unsigned short)65000);
    printf("z/t/j: %zu %zd %td %jd\n", (size_t)123456789, (ptrdiff_t)-77, (ptrdiff_t)99,
           (intmax_t)-5);
    printf("width: [%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+6d|]\n", 42, 42, 42, 42, 42, -42, 7);
    printf("prec: [%.3d] [%8.3d] [%-8.3x] [%.0d]\n", 7, -7, 0xa, 0);
    printf("star: [%*d] [%-*d] [%.*d]\n", 6, 1, 6, 2, 4, 3);
    printf("s: [%s] [%10s] [%-10s] [%.3s] [%10.2s]\n", "hello", "right", "left", "truncate", "ab");
    printf("c: [%c] [%3c] [%-3c] %%\n", 'x', 'y', 'z');
    printf("p: %p %p\n", (void *)0x1234, (void *)0);
    printf("f: %f %f %f %.2f %.0f %10.3f %-10.1f| %+f\n", 0.0, 1.5, -2.25, 3.14159, 2.5, 1.0 / 3,
           -7.77, 1.0);
    printf("f big: %f %.1f\n", 1e20, 123456789.987654321);
    printf("e: %e %E %.2e %.0e %e %e\n", 12345.678, 0.000123, -1.0e-10, 5e300, 0.0, 1e-310);
    printf("g: %g %g %g %g %G %g %.3g %#g\n", 100000.0, 1000000.0, 0.0001, 0.00001, 1e-20, 123.456,
           3.14159, 1.0);
    printf("a: %a %a %A\n", 1.0, -0.1, 255.5);
    printf("special: %f %f %e %g %F\n", 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, -0.0, 1.0 / 0.0);
    printf("float arg: %f %e\n", (double)1.1f, (double)3.4028235e38f);
    int len = printf("return value test\n");
    printf("printf returned %d\n", len);
    for (int i = -3; i <= 3; i++)
        printf("table %3d %6.2f %-8x|%08.3f\n", i * i * i, i / 7.0, i * 1000, i * 1.25);
    return 0;
}
