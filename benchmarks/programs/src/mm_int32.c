/* Benchmark: int32 matrix multiply C = A * B (N x N, naive i-k-j loops),
 * about 30 million RV64 instructions.  Self-checking: Freivalds' identity
 * C * r == A * (B * r) for two fixed vectors r, exact in wrapping 32-bit
 * arithmetic.  Prints a checksum of C; exits 0 only when the check passes. */
#include <stdint.h>
#include <stdio.h>

#define N 152

static int32_t a[N][N], b[N][N], c[N][N];

static uint32_t seed = 0x12345678u;

static int32_t next_value(void)
{
    seed = seed * 1664525u + 1013904223u;
    return (int32_t)(seed >> 8) % 2001 - 1000;
}

static void multiply(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            c[i][j] = 0;
        for (int k = 0; k < N; k++) {
            int32_t aik = a[i][k];
            for (int j = 0; j < N; j++)
                c[i][j] = (int32_t)((uint32_t)c[i][j] + (uint32_t)aik * (uint32_t)b[k][j]);
        }
    }
}

/* Returns 1 when C r == A (B r) for r = (1, 1, ...) and r = (seed-derived). */
static int freivalds(void)
{
    static uint32_t r[N], br[N];
    for (int pass = 0; pass < 2; pass++) {
        for (int j = 0; j < N; j++)
            r[j] = pass == 0 ? 1u : (uint32_t)(j * 2654435761u);
        for (int k = 0; k < N; k++) {
            uint32_t s = 0;
            for (int j = 0; j < N; j++)
                s += (uint32_t)b[k][j] * r[j];
            br[k] = s;
        }
        for (int i = 0; i < N; i++) {
            uint32_t lhs = 0, rhs = 0;
            for (int j = 0; j < N; j++)
                lhs += (uint32_t)c[i][j] * r[j];
            for (int k = 0; k < N; k++)
                rhs += (uint32_t)a[i][k] * br[k];
            if (lhs != rhs) {
                printf("mismatch in row %d pass %d: %08x != %08x\n", i, pass, lhs, rhs);
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
            a[i][j] = next_value();
            b[i][j] = next_value();
        }
    multiply();
    uint32_t checksum = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            checksum = checksum * 31u + (uint32_t)c[i][j];
    int ok = freivalds();
    printf("mm_int32 N=%d checksum %08x c[0][0] %d c[N-1][N-1] %d check %s\n", N, checksum,
           c[0][0], c[N - 1][N - 1], ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
