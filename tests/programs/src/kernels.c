/* Small compute kernels: sieve, CRC32, FNV-1a, Collatz, sorts, a tiny
 * bytecode interpreter (indirect jumps through a switch table), setjmp. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static unsigned sieve(unsigned n, unsigned *largest)
{
    static unsigned char composite[30001];
    unsigned count = 0;
    memset(composite, 0, sizeof composite);
    for (unsigned i = 2; i <= n; i++) {
        if (composite[i])
            continue;
        count++;
        *largest = i;
        for (unsigned j = i * i; j <= n; j += i)
            composite[j] = 1;
    }
    return count;
}

static uint32_t crc32(const unsigned char *p, size_t n)
{
    static uint32_t table[256];
    if (!table[1]) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    }
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static unsigned collatz_steps(uint64_t n)
{
    unsigned steps = 0;
    while (n != 1) {
        n = n & 1 ? 3 * n + 1 : n / 2;
        steps++;
    }
    return steps;
}

static void insertion_sort(int16_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        int16_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_MUL, OP_JNZ, OP_HALT };

/* A stack machine with a few registers; the switch becomes a jump table. */
static int64_t interpret(const int *code)
{
    int64_t stack[16], regs[4] = {0, 0, 0, 0};
    int sp = 0, pc = 0;
    for (;;) {
        switch (code[pc++]) {
        case OP_PUSH:
            stack[sp++] = code[pc++];
            break;
        case OP_LOAD:
            stack[sp++] = regs[code[pc++]];
            break;
        case OP_STORE:
            regs[code[pc++]] = stack[--sp];
            break;
        case OP_ADD:
            sp--;
            stack[sp - 1] += stack[sp];
            break;
        case OP_MUL:
            sp--;
            stack[sp - 1] *= stack[sp];
            break;
        case OP_JNZ: {
            int target = code[pc++];
            if (stack[--sp] != 0)
                pc = target;
            break;
        }
        default:
            return stack[sp - 1];
        }
    }
}

static jmp_buf jump_back;

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static void throw_from_depth(int depth)
{
    if (depth == 0)
        longjmp(jump_back, 1234);
    throw_from_depth(depth - 1);
}

int main(void)
{
    unsigned largest = 0;
    unsigned primes = sieve(30000, &largest);
    printf("primes below 30000: %u, largest %u\n", primes, largest);

    static unsigned char data[4096];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * i + (i >> 3));
    printf("crc32 %08x crc32(\"123456789\") %08x\n", crc32(data, sizeof data),
           crc32((const unsigned char *)"123456789", 9));
    printf("fnv1a64 %016llx\n", (unsigned long long)fnv1a64(data, sizeof data));

    unsigned best = 0, best_n = 0;
    for (unsigned n = 1; n < 1000; n++) {
        unsigned s = collatz_steps(n);
        if (s > best) {
            best = s;
            best_n = n;
        }
    }
    printf("collatz longest below 1000: n=%u steps=%u\n", best_n, best);

    static int16_t values[600];
    uint32_t x = 1;
    for (int i = 0; i < 600; i++) {
        x = x * 1103515245u + 12345u;
        values[i] = (int16_t)(x >> 16);
    }
    insertion_sort(values, 600);
    int sorted = 1;
    for (int i = 1; i < 600; i++)
        sorted &= values[i - 1] <= values[i];
    printf("insertion sort ok %d min %d max %d median %d\n", sorted, values[0], values[599],
           values[300]);

    /* r0 = 0; r1 = 1000; do { r0 += r1; r1 -= 1; } while (r1); */
    static const int sum_loop[] = {OP_PUSH, 0,  OP_STORE, 0,  OP_PUSH, 1000, OP_STORE, 1,
                                   /* 8: */ OP_LOAD, 0, OP_LOAD, 1, OP_ADD, OP_STORE, 0,
                                   OP_LOAD, 1,  OP_PUSH,  -1, OP_ADD,  OP_STORE, 1,
                                   OP_LOAD, 1,  OP_JNZ,   8,  OP_LOAD, 0,    OP_HALT};
    /* r0 = 1; r1 = 20; do { r0 *= r1; r1 -= 1; } while (r1); */
    static const int factorial[] = {OP_PUSH, 1,  OP_STORE, 0,  OP_PUSH, 20, OP_STORE, 1,
                                    /* 8: */ OP_LOAD, 0, OP_LOAD, 1, OP_MUL, OP_STORE, 0,
                                    OP_LOAD, 1,  OP_PUSH,  -1, OP_ADD,  OP_STORE, 1,
                                    OP_LOAD, 1,  OP_JNZ,   8,  OP_LOAD, 0,  OP_HALT};
    printf("bytecode sum(1..1000) %lld 20! %lld\n", (long long)interpret(sum_loop),
           (long long)interpret(factorial));

    volatile int reached = 0;
    int v = setjmp(jump_back);
    if (v == 0) {
        reached = 1;
        throw_from_depth(100);
        printf("not reached\n");
    }
    printf("longjmp returned %d after reaching %d\n", v, reached);
    return 0;
}
