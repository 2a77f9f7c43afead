/* Benchmark: quicksort of COUNT pseudo-random 32-bit ints (our own
 * median-of-three quicksort with insertion sort for short ranges), about 50
 * million RV64 instructions.  Self-checking: the output is ordered and has the
 * same sum and xor as the input.  Prints a checksum; exits 0 on success. */
#include <stdint.h>
#include <stdio.h>

#define COUNT 300000

static int32_t data[COUNT];

static void insertion_sort(int32_t *v, long n)
{
    for (long i = 1; i < n; i++) {
        int32_t x = v[i];
        long j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void swap(int32_t *x, int32_t *y)
{
    int32_t t = *x;
    *x = *y;
    *y = t;
}

static void quicksort(int32_t *v, long n)
{
    while (n > 16) {
        long mid = n / 2;
        if (v[mid] < v[0])
            swap(&v[mid], &v[0]);
        if (v[n - 1] < v[0])
            swap(&v[n - 1], &v[0]);
        if (v[n - 1] < v[mid])
            swap(&v[n - 1], &v[mid]);
        int32_t pivot = v[mid];
        long i = 0, j = n - 1;
        for (;;) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap(&v[i], &v[j]);
            i++;
            j--;
        }
        /* Recurse into the smaller part, loop on the larger: bounded stack. */
        long left = j + 1;
        if (left < n - left) {
            quicksort(v, left);
            v += left;
            n -= left;
        } else {
            quicksort(v + left, n - left);
            n = left;
        }
    }
    insertion_sort(v, n);
}

int main(void)
{
    uint64_t state = 0x853c49e6748fea9bULL;
    uint64_t sum_in = 0;
    uint32_t xor_in = 0;
    for (long i = 0; i < COUNT; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        data[i] = (int32_t)(state >> 32);
        sum_in += (uint64_t)(int64_t)data[i];
        xor_in ^= (uint32_t)data[i];
    }
    quicksort(data, COUNT);
    uint64_t sum_out = 0;
    uint32_t xor_out = 0, checksum = 0;
    int ordered = 1;
    for (long i = 0; i < COUNT; i++) {
        sum_out += (uint64_t)(int64_t)data[i];
        xor_out ^= (uint32_t)data[i];
        checksum = checksum * 31u + (uint32_t)data[i];
        if (i > 0 && data[i - 1] > data[i])
            ordered = 0;
    }
    int ok = ordered && sum_in == sum_out && xor_in == xor_out;
    printf("qsort_int n=%d checksum %08x min %d median %d max %d check %s\n", COUNT, checksum,
           data[0], data[COUNT / 2], data[COUNT - 1], ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
