/* Integer arithmetic: M-extension corner cases (division by zero, signed
 * overflow, high-half multiplies, 32-bit W forms) plus a mixed workload of
 * shifts, compares and bit operations over pseudo-random values.
 *
 * Division by zero and INT_MIN / -1 are undefined in C, so those cases go
 * through inline assembly to get the exact RISC-V results. */
#include <stdint.h>
#include <stdio.h>

#define OP2(name, insn)                                                  \
    static int64_t name(int64_t a, int64_t b)                            \
    {                                                                    \
        int64_t r;                                                       \
        __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); \
        return r;                                                        \
    }

OP2(op_mul, "mul")
OP2(op_mulh, "mulh")
OP2(op_mulhsu, "mulhsu")
OP2(op_mulhu, "mulhu")
OP2(op_div, "div")
OP2(op_divu, "divu")
OP2(op_rem, "rem")
OP2(op_remu, "remu")
OP2(op_mulw, "mulw")
OP2(op_divw, "divw")
OP2(op_divuw, "divuw")
OP2(op_remw, "remw")
OP2(op_remuw, "remuw")

struct op {
    const char *name;
    int64_t (*fn)(int64_t, int64_t);
};

static const struct op ops[] = {
    {"mul", op_mul},     {"mulh", op_mulh},   {"mulhsu", op_mulhsu}, {"mulhu", op_mulhu},
    {"div", op_div},     {"divu", op_divu},   {"rem", op_rem},       {"remu", op_remu},
    {"mulw", op_mulw},   {"divw", op_divw},   {"divuw", op_divuw},   {"remw", op_remw},
    {"remuw", op_remuw},
};

static const int64_t values[] = {
    0,
    1,
    -1,
    2,
    -2,
    3,
    7,
    -7,
    0x7fffffffffffffffLL,
    (int64_t)0x8000000000000000ULL,
    0x7fffffff,
    -0x80000000LL,
    0xffffffffLL,
    0x100000000LL,
    0x123456789abcdef0LL,
    (int64_t)0xfedcba9876543210ULL,
    (int64_t)0xffffffff80000000ULL,
    0x00000000ffffffffLL * 3,
};

#define NVALUES (sizeof values / sizeof values[0])
#define NOPS (sizeof ops / sizeof ops[0])

/* Indices of 0, 1, -1, INT64_MAX, INT64_MIN and INT32_MIN in values[]. */
static int is_corner(unsigned i) { return i <= 2 || i == 8 || i == 9 || i == 11; }

static uint64_t lcg_state = 0x2545F4914F6CDD1DULL;

static uint64_t next_random(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lcg_state;
}

/* Mixed C-level integer work; the compiler picks the instructions. */
static uint64_t mixed_workload(int rounds)
{
    uint64_t acc = 0;
    for (int i = 0; i < rounds; i++) {
        uint64_t a = next_random();
        uint64_t b = next_random();
        int64_t sa = (int64_t)a;
        int32_t wa = (int32_t)(a >> 7);
        int32_t wb = (int32_t)(b >> 13) | 1;
        unsigned sh = (unsigned)(b & 63);
        acc += a * b;
        acc ^= (a >> sh) | (a << ((64 - sh) & 63));
        acc += (uint64_t)(sa >> (sh & 31));
        acc += (uint64_t)(int64_t)(wa / wb) + (uint64_t)(int64_t)(wa % wb);
        acc += (b | 1) ? a / (b | 1) : 0;
        acc += (uint64_t)(sa < (int64_t)b) + (a < b) * 2u;
        acc += (uint64_t)(int64_t)(int32_t)((uint32_t)a + (uint32_t)b);
        acc += (uint64_t)(int64_t)(int32_t)((uint32_t)a << (sh & 31));
        acc += (uint64_t)__builtin_popcountll(a) + (uint64_t)__builtin_clzll(b | 1) +
               (uint64_t)__builtin_ctzll(a | (1ULL << 63));
        acc = (acc << 5) | (acc >> 59);
    }
    return acc;
}

int main(void)
{
    uint64_t checksum = 0;
    for (unsigned o = 0; o < NOPS; o++) {
        for (unsigned i = 0; i < NVALUES; i++) {
            for (unsigned j = 0; j < NVALUES; j++) {
                int64_t r = ops[o].fn(values[i], values[j]);
                checksum = checksum * 31 + (uint64_t)r;
                /* Print the interesting corners explicitly, hash the rest. */
                if (is_corner(i) && is_corner(j))
                    printf("%s %016llx %016llx -> %016llx\n", ops[o].name,
                           (unsigned long long)values[i], (unsigned long long)values[j],
                           (unsigned long long)r);
            }
        }
    }
    printf("table checksum %016llx\n", (unsigned long long)checksum);

    /* 128-bit products via the compiler (mulhu/mulh under the hood). */
    unsigned __int128 p = (unsigned __int128)0xfedcba9876543210ULL * 0x123456789abcdef1ULL;
    printf("u128 %016llx%016llx\n", (unsigned long long)(p >> 64), (unsigned long long)p);
    __int128 q = (__int128)(int64_t)0x8000000000000001LL * (int64_t)0x7fffffffffffffffLL;
    printf("i128 %016llx%016llx\n", (unsigned long long)((unsigned __int128)q >> 64),
           (unsigned long long)q);

    printf("mixed %016llx\n", (unsigned long long)mixed_workload(5000));
    return 0;
}
