/* Floating point, printed as bit patterns so the output is exact:
 * float and double arithmetic, sqrt, fused multiply-add, min/max, sign
 * injection, classification, conversions (including the saturating
 * out-of-range and NaN cases), the accrued exception flags, and the dynamic
 * rounding modes set through fesetround.
 *
 * Built with -frounding-math and volatile operands so the compiler does not
 * fold anything at compile time. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static float fromf(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static double fromd(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

/* The memory clobbers keep the volatile operand loads between the two. */
static unsigned read_fflags(void)
{
    unsigned v;
    __asm__ volatile("frflags %0" : "=r"(v) : : "memory");
    return v;
}

static void clear_fflags(void) { __asm__ volatile("fsflags zero" : : : "memory"); }

/* Evaluate expr with clean flags and capture the flags it raised.  The empty
 * asm pins the result before the flags are read: the compiler otherwise may
 * sink the arithmetic past frflags, which it does not see as a dependency. */
#define MEASURE(res, fl, expr)                  \
    do {                                        \
        clear_fflags();                         \
        (res) = (expr);                         \
        __asm__ volatile("" : "+f"(res));       \
        (fl) = read_fflags();                   \
    } while (0)

static const uint32_t fvals[] = {
    0x00000000, /* +0 */
    0x80000000, /* -0 */
    0x3f800000, /* 1 */
    0xbf800000, /* -1 */
    0x40490fdb, /* pi */
    0x3eaaaaab, /* 1/3 */
    0x7f7fffff, /* max */
    0x00800000, /* min normal */
    0x00000001, /* min subnormal */
    0x7f800000, /* +inf */
    0xff800000, /* -inf */
    0x7fc00000, /* canonical qNaN */
    0x7f800001, /* sNaN */
    0x4f000000, /* 2^31 */
    0xcf000000, /* -2^31 */
    0x5f800000, /* 2^64 */
    0x3f000000, /* 0.5 */
    0x3fc00000, /* 1.5 */
    0xc0200000, /* -2.5 */
};

static const uint64_t dvals[] = {
    0x0000000000000000ULL, 0x8000000000000000ULL, 0x3ff0000000000000ULL, 0xbff0000000000000ULL,
    0x400921fb54442d18ULL, 0x3fd5555555555555ULL, 0x7fefffffffffffffULL, 0x0010000000000000ULL,
    0x0000000000000001ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x7ff8000000000000ULL,
    0x7ff0000000000001ULL, 0x41e0000000000000ULL, 0xc1e0000000000000ULL, 0x43f0000000000000ULL,
    0x3fe0000000000000ULL, 0x3ff8000000000000ULL, 0xc004000000000000ULL,
};

#define NF (sizeof fvals / sizeof fvals[0])
#define ND (sizeof dvals / sizeof dvals[0])

/* Conversions through explicit instructions: C casts of out-of-range values are
 * undefined, the RISC-V instructions saturate. rtz is the C-cast rounding. */
#define CVT(name, insn, tin, tout, regin)                                      \
    static tout name(tin x)                                                    \
    {                                                                          \
        tout r;                                                                \
        __asm__ volatile(insn : "=r"(r) : regin(x));                           \
        return r;                                                              \
    }

CVT(cvt_w_s, "fcvt.w.s %0, %1, rtz", float, int64_t, "f")
CVT(cvt_wu_s, "fcvt.wu.s %0, %1, rtz", float, int64_t, "f")
CVT(cvt_l_s, "fcvt.l.s %0, %1, rtz", float, int64_t, "f")
CVT(cvt_lu_s, "fcvt.lu.s %0, %1, rtz", float, int64_t, "f")
CVT(cvt_w_d, "fcvt.w.d %0, %1, rtz", double, int64_t, "f")
CVT(cvt_wu_d, "fcvt.wu.d %0, %1, rtz", double, int64_t, "f")
CVT(cvt_l_d, "fcvt.l.d %0, %1, rtz", double, int64_t, "f")
CVT(cvt_lu_d, "fcvt.lu.d %0, %1, rtz", double, int64_t, "f")
CVT(cvt_w_d_rne, "fcvt.w.d %0, %1, rne", double, int64_t, "f")
CVT(cvt_l_d_rmm, "fcvt.l.d %0, %1, rmm", double, int64_t, "f")
CVT(class_s, "fclass.s %0, %1", float, int64_t, "f")
CVT(class_d, "fclass.d %0, %1", double, int64_t, "f")

static void float_binary_ops(void)
{
    uint32_t hash = 0;
    for (unsigned i = 0; i < NF; i++) {
        for (unsigned j = 0; j < NF; j++) {
            volatile float a = fromf(fvals[i]), b = fromf(fvals[j]);
            float r[7];
            unsigned flags[7];
            MEASURE(r[0], flags[0], a + b);
            MEASURE(r[1], flags[1], a - b);
            MEASURE(r[2], flags[2], a * b);
            MEASURE(r[3], flags[3], a / b);
            MEASURE(r[4], flags[4], fminf(a, b));
            MEASURE(r[5], flags[5], fmaxf(a, b));
            MEASURE(r[6], flags[6], copysignf(a, b));
            clear_fflags();
            int cmp = (a < b) | (a <= b) << 1 | (a == b) << 2;
            __asm__ volatile("" : "+r"(cmp));
            unsigned cmpflags = read_fflags();
            if ((i + j) % 3 == 0)
                printf("f %08x %08x: add %08x/%x sub %08x/%x mul %08x/%x div %08x/%x min %08x/%x "
                   "max %08x/%x sgnj %08x cmp %d/%x\n",
                   fvals[i], fvals[j], fbits(r[0]), flags[0], fbits(r[1]), flags[1],
                   fbits(r[2]), flags[2], fbits(r[3]), flags[3], fbits(r[4]), flags[4],
                   fbits(r[5]), flags[5], fbits(r[6]), cmp, cmpflags);
            for (int k = 0; k < 7; k++)
                hash = hash * 33 + fbits(r[k]) + flags[k];
        }
    }
    printf("float binary hash %08x\n", hash);
}

static void double_binary_ops(void)
{
    uint64_t hash = 0;
    for (unsigned i = 0; i < ND; i++) {
        for (unsigned j = 0; j < ND; j++) {
            volatile double a = fromd(dvals[i]), b = fromd(dvals[j]);
            double r[7];
            unsigned flags[7];
            MEASURE(r[0], flags[0], a + b);
            MEASURE(r[1], flags[1], a - b);
            MEASURE(r[2], flags[2], a * b);
            MEASURE(r[3], flags[3], a / b);
            MEASURE(r[4], flags[4], fmin(a, b));
            MEASURE(r[5], flags[5], fmax(a, b));
            MEASURE(r[6], flags[6], copysign(a, b));
            for (int k = 0; k < 7; k++)
                hash = hash * 33 + dbits(r[k]) + flags[k];
            if (i % 3 == 0 || j % 3 == 0)
                printf("d %016llx %016llx: add %016llx/%x mul %016llx/%x div %016llx/%x "
                       "min %016llx max %016llx\n",
                       (unsigned long long)dvals[i], (unsigned long long)dvals[j],
                       (unsigned long long)dbits(r[0]), flags[0], (unsigned long long)dbits(r[2]),
                       flags[2], (unsigned long long)dbits(r[3]), flags[3],
                       (unsigned long long)dbits(r[4]), (unsigned long long)dbits(r[5]));
        }
    }
    printf("double binary hash %016llx\n", (unsigned long long)hash);
}

static void unary_and_fma(void)
{
    for (unsigned i = 0; i < NF; i++) {
        volatile float a = fromf(fvals[i]);
        volatile float b = fromf(fvals[(i + 5) % NF]);
        volatile float c = fromf(fvals[(i + 11) % NF]);
        float s;
        unsigned fs;
        MEASURE(s, fs, sqrtf(a));
        float m;
        unsigned fm;
        MEASURE(m, fm, fmaf(a, b, c));
        float n;
        unsigned fn;
        MEASURE(n, fn, -fmaf(a, b, -c)); /* fnmadd */
        printf("s %08x: sqrt %08x/%x fma(%08x,%08x) %08x/%x nfma %08x/%x class %03llx\n", fvals[i],
               fbits(s), fs, fbits(b), fbits(c), fbits(m), fm, fbits(n), fn,
               (unsigned long long)class_s(a));
    }
    for (unsigned i = 0; i < ND; i++) {
        volatile double a = fromd(dvals[i]);
        volatile double b = fromd(dvals[(i + 5) % ND]);
        volatile double c = fromd(dvals[(i + 11) % ND]);
        double s;
        unsigned fs;
        MEASURE(s, fs, sqrt(a));
        double m;
        unsigned fm;
        MEASURE(m, fm, fma(a, b, c));
        printf("d %016llx: sqrt %016llx/%x fma %016llx/%x class %03llx\n",
               (unsigned long long)dvals[i], (unsigned long long)dbits(s), fs,
               (unsigned long long)dbits(m), fm, (unsigned long long)class_d(a));
    }
    /* The classic fused-vs-unfused difference: (1+2^-23)^2 - (1+2^-22). */
    volatile float x = fromf(0x3f800001), y = fromf(0xbf800002);
    volatile float prod = x * x;
    printf("fused %08x unfused %08x\n", fbits(fmaf(x, x, y)), fbits(prod + y));
}

static void conversions(void)
{
    for (unsigned i = 0; i < NF; i++) {
        volatile float a = fromf(fvals[i]);
        int64_t w;
        unsigned fw;
        clear_fflags();
        w = cvt_w_s(a);
        fw = read_fflags();
        int64_t wu;
        unsigned fwu;
        clear_fflags();
        wu = cvt_wu_s(a);
        fwu = read_fflags();
        int64_t l;
        unsigned fl;
        clear_fflags();
        l = cvt_l_s(a);
        fl = read_fflags();
        int64_t lu;
        unsigned flu;
        clear_fflags();
        lu = cvt_lu_s(a);
        flu = read_fflags();
        double widened;
        unsigned fwid;
        MEASURE(widened, fwid, a);
        printf("cvt.s %08x: w %016llx/%x wu %016llx/%x l %016llx/%x lu %016llx/%x d %016llx/%x\n",
               fvals[i], (unsigned long long)w, fw, (unsigned long long)wu, fwu,
               (unsigned long long)l, fl, (unsigned long long)lu, flu,
               (unsigned long long)dbits(widened), fwid);
    }
    for (unsigned i = 0; i < ND; i++) {
        volatile double a = fromd(dvals[i]);
        int64_t w;
        unsigned fw;
        clear_fflags();
        w = cvt_w_d(a);
        fw = read_fflags();
        int64_t wu;
        unsigned fwu;
        clear_fflags();
        wu = cvt_wu_d(a);
        fwu = read_fflags();
        int64_t l;
        unsigned fl;
        clear_fflags();
        l = cvt_l_d(a);
        fl = read_fflags();
        int64_t lu;
        unsigned flu;
        clear_fflags();
        lu = cvt_lu_d(a);
        flu = read_fflags();
        float narrowed;
        unsigned fnar;
        MEASURE(narrowed, fnar, (float)a);
        printf("cvt.d %016llx: w %016llx/%x wu %016llx/%x l %016llx/%x lu %016llx/%x s %08x/%x "
               "rne %llx rmm %llx\n",
               (unsigned long long)dvals[i], (unsigned long long)w, fw, (unsigned long long)wu,
               fwu, (unsigned long long)l, fl, (unsigned long long)lu, flu, fbits(narrowed), fnar,
               (unsigned long long)cvt_w_d_rne(a), (unsigned long long)cvt_l_d_rmm(a));
    }
    static const int64_t ints[] = {0,           1,          -1,         0x7fffffff,
                                   -0x80000000LL, 16777217,  -16777217, 0x7fffffffffffffffLL,
                                   (int64_t)0x8000000000000000ULL, 9007199254740993LL,
                                   (int64_t)0xffffffffffffffffULL};
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        volatile int64_t v = ints[i];
        volatile int32_t v32 = (int32_t)ints[i];
        volatile uint64_t uv = (uint64_t)ints[i];
        volatile uint32_t uv32 = (uint32_t)ints[i];
        printf("i2f %016llx: s.l %08x s.lu %08x s.w %08x s.wu %08x d.l %016llx d.lu %016llx "
               "d.w %016llx\n",
               (unsigned long long)v, fbits((float)v), fbits((float)uv), fbits((float)v32),
               fbits((float)uv32), (unsigned long long)dbits((double)v),
               (unsigned long long)dbits((double)uv), (unsigned long long)dbits((double)v32));
    }
}

static void rounding_modes(void)
{
    static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    static const char *const names[] = {"rne", "rup", "rdn", "rtz"};
    for (int m = 0; m < 4; m++) {
        int set = fesetround(modes[m]);
        unsigned frm;
        __asm__ volatile("frrm %0" : "=r"(frm));
        volatile float one = 1.0f, three = 3.0f, mone = -1.0f;
        volatile double done = 1.0, dthree = 3.0, dmone = -1.0;
        volatile double big = 1e308;
        volatile double x = 2.5, y = -2.5;
        float f1 = one / three, f2 = mone / three;
        double d1 = done / dthree, d2 = dmone / dthree;
        double ov = big * 10.0;
        float fs = sqrtf(three);
        long r1 = lrint(x), r2 = lrint(y);
        printf("%s set=%d frm=%u: %08x %08x %016llx %016llx ovf %016llx sqrt3 %08x rint %ld %ld "
               "getround %d\n",
               names[m], set, frm, fbits(f1), fbits(f2), (unsigned long long)dbits(d1),
               (unsigned long long)dbits(d2), (unsigned long long)dbits(ov), fbits(fs), r1, r2,
               fegetround() == modes[m]);
    }
    fesetround(FE_TONEAREST);
    /* Static rounding modes in the instruction override frm. */
    volatile float a = 1.0f, b = 3.0f;
    float up, dn;
    __asm__ volatile("fdiv.s %0, %1, %2, rup" : "=f"(up) : "f"(a), "f"(b));
    __asm__ volatile("fdiv.s %0, %1, %2, rdn" : "=f"(dn) : "f"(a), "f"(b));
    printf("static rup %08x rdn %08x\n", fbits(up), fbits(dn));
    feclearexcept(FE_ALL_EXCEPT);
    volatile float z = 0.0f;
    volatile float q = a / z;
    printf("divzero %08x flags %x testexcept %d\n", fbits(q), read_fflags(),
           fetestexcept(FE_DIVBYZERO) != 0);
}

int main(void)
{
    float_binary_ops();
    double_binary_ops();
    unary_and_fma();
    conversions();
    rounding_modes();
    return 0;
}
