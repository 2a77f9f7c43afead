/* Benchmark: scalar fp32 matrix multiply C = A * B (N x N, naive i-k-j
 * loops), about 30 million RV64 instructions.  The entries are multiples of
 * 1/4 between -4 and 4, so every product and partial sum is exact in binary32
 * (|sum| <= N * 16 < 2^24 * 1/16): the result is checked exactly against an
 * integer computation of the same product.  Prints a checksum of C's bit
 * patterns; exits 0 only when the check passes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 150

static float a[N][N], b[N][N], c[N][N];
static int16_t ai[N][N], bi[N][N]; /* the same values times 4 */

static uint32_t seed = 0x9e3779b9u;

static int16_t next_quarter(void)
{
    seed = seed * 1664525u + 1013904223u;
    return (int16_t)((int32_t)(seed >> 12) % 33 - 16); /* -16..16, i.e. -4..4 in quarters */
}

static void multiply(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            c[i][j] = 0.0f;
        for (int k = 0; k < N; k++) {
            float aik = a[i][k];
            for (int j = 0; j < N; j++)
                c[i][j] += aik * b[k][j];
        }
    }
}

/* Exact check of a sample of rows (all columns) against integer arithmetic:
 * C[i][j] * 16 == sum_k ai[i][k] * bi[k][j]. */
static int check_rows(void)
{
    for (int i = 0; i < N; i += 7) {
        for (int j = 0; j < N; j++) {
            int32_t s = 0;
            for (int k = 0; k < N; k++)
                s += ai[i][k] * bi[k][j];
            if (c[i][j] * 16.0f != (float)s) {
                printf("mismatch at %d,%d\n", i, j);
                return 0;
            }
        }
    }
    return 1;
}

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            ai[i][j] = next_quarter();
            bi[i][j] = next_quarter();
            a[i][j] = (float)ai[i][j] * 0.25f;
            b[i][j] = (float)bi[i][j] * 0.25f;
        }
    multiply();
    uint32_t checksum = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            uint32_t bits;
            memcpy(&bits, &c[i][j], 4);
            checksum = checksum * 31u + bits;
        }
    int ok = check_rows();
    printf("mm_fp32 N=%d checksum %08x c[0][0] %g c[N-1][N-1] %g check %s\n", N, checksum,
           (double)c[0][0], (double)c[N - 1][N - 1], ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
