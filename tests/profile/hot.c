/* A small C program for `rvsim profile`: two hot functions and a loop nest (tests/test_profile.py
   builds it with riscv64-unknown-elf-gcc -O2 -g and picolibc's semihosting crt0). */
#include <stdio.h>

#define N 24

static float a[N][N], b[N][N], c[N][N];

__attribute__((noinline)) static float dot_column(int i, int j)
{
    float s = 0.0f;
    for (int k = 0; k < N; k++)
        s += a[i][k] * b[k][j];
    return s;
}

__attribute__((noinline)) void matmul(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            c[i][j] = dot_column(i, j);
}

__attribute__((noinline)) unsigned checksum(void)
{
    unsigned h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = h * 31u + (unsigned)c[i][j];
    return h;
}

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (float)(i + j);
            b[i][j] = (float)(i == j);
        }
    matmul();
    printf("checksum %u\n", checksum());
    return c[3][5] == 8.0f ? 0 : 1;
}
