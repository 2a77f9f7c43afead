#include "rt.h"
#define N 200
long data[N];
static unsigned long seed = 12345;
static unsigned long rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return seed >> 33; }

static void quicksort(long *a, long lo, long hi) {
    while (lo < hi) {
        long p = a[(lo + hi) / 2], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { long t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; } else { quicksort(a, i, hi); hi = j; }
    }
}

static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

void _start(void) {
    for (int i = 0; i < N; i++) data[i] = (long)(rnd() % 100000) - 50000;
    quicksort(data, 0, N - 1);
    long ok = 1;
    for (int i = 1; i < N; i++) ok &= data[i - 1] <= data[i];
    put_int(ok);
    put_int(data[0]);
    put_int(data[N - 1]);
    put_int(fib(20));
    unsigned long h = 0;
    for (int i = 0; i < N; i++) h = h * 31 + (unsigned long)data[i];
    put_int((long)(h & 0xffffffff));
    exit_(0);
}
