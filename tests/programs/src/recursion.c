/* Recursion: call/return, stack frames, deep stacks. */
#include <stdint.h>
#include <stdio.h>

static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }

static unsigned long ackermann(unsigned long m, unsigned long n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int queens_solutions;

static int safe(const int *cols, int row, int col)
{
    for (int r = 0; r < row; r++) {
        int c = cols[r];
        if (c == col || c - col == r - row || c - col == row - r)
            return 0;
    }
    return 1;
}

static void queens(int *cols, int row, int n)
{
    if (row == n) {
        queens_solutions++;
        return;
    }
    for (int c = 0; c < n; c++) {
        if (safe(cols, row, c)) {
            cols[row] = c;
            queens(cols, row + 1, n);
        }
    }
}

static unsigned long hanoi_moves;
static unsigned long hanoi_check;

static void hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    hanoi_moves++;
    hanoi_check = hanoi_check * 3 + (unsigned long)(from * 4 + to);
    hanoi(n - 1, via, to, from);
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

/* A deep, non-tail recursion with a real frame: about 10000 frames. */
static long deep_sum(const volatile long *v, int n)
{
    volatile long local[4] = {n, n * 2, n * 3, n * 4};
    if (n == 0)
        return 0;
    return local[n & 3] + *v + deep_sum(v, n - 1);
}

int main(void)
{
    for (int n = 0; n <= 22; n += 2)
        printf("fib(%d) = %llu\n", n, (unsigned long long)fib(n));
    for (unsigned long m = 0; m <= 3; m++)
        for (unsigned long n = 0; n <= 4; n++)
            printf("ack(%lu,%lu) = %lu\n", m, n, ackermann(m, n));
    for (int n = 1; n <= 8; n++) {
        int cols[8];
        queens_solutions = 0;
        queens(cols, 0, n);
        printf("queens(%d) = %d\n", n, queens_solutions);
    }
    hanoi(12, 1, 3, 2);
    printf("hanoi(12) moves %lu check %lx\n", hanoi_moves, hanoi_check);
    printf("even(10001) %d odd(7777) %d\n", is_even(10001), is_odd(7777));
    volatile long one = 1;
    printf("deep_sum %ld\n", deep_sum(&one, 10000));
    return 0;
}
