/* C11 atomics and GCC __atomic builtins on 32- and 64-bit objects.  With the A
 * extension these become AMOs (amoadd, amoswap, ...) and LR/SC loops
 * (compare-exchange, nand, min/max through CAS).  Single-threaded: this checks
 * the values each operation returns and leaves behind. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static _Atomic int32_t a32 = 5;
static _Atomic int64_t a64 = 5;
static uint32_t u32 = 0xf0f0f0f0u;
static uint64_t u64 = 0xf0f0f0f0f0f0f0f0ull;

#define SHOW(label, old, now) \
    printf("%-14s old %016llx now %016llx\n", label, (unsigned long long)(old), (unsigned long long)(now))

static int32_t cas_max32(_Atomic int32_t *p, int32_t v)
{
    int32_t cur = atomic_load(p);
    while (cur < v && !atomic_compare_exchange_weak(p, &cur, v))
        ;
    return cur;
}

int main(void)
{
    int64_t old;
    old = atomic_fetch_add(&a32, 10);
    SHOW("add32", old, a32);
    old = atomic_fetch_sub(&a32, 100);
    SHOW("sub32", old, a32);
    old = atomic_fetch_and(&a32, 0x7ffffff0);
    SHOW("and32", old, a32);
    old = atomic_fetch_or(&a32, (int32_t)0x80000001u);
    SHOW("or32", old, a32);
    old = atomic_fetch_xor(&a32, -1);
    SHOW("xor32", old, a32);
    old = atomic_exchange(&a32, (int32_t)0x89abcdefu);
    SHOW("xchg32", old, a32);

    old = atomic_fetch_add(&a64, 0x100000000ll);
    SHOW("add64", old, a64);
    old = atomic_fetch_sub(&a64, 0x200000006ll);
    SHOW("sub64", old, a64);
    old = atomic_fetch_or(&a64, 0x0f00000000000000ll);
    SHOW("or64", old, a64);
    old = atomic_fetch_and(&a64, 0x0fff0000ffff0000ll);
    SHOW("and64", old, a64);
    old = atomic_fetch_xor(&a64, 0x5555555555555555ll);
    SHOW("xor64", old, a64);
    old = atomic_exchange(&a64, INT64_MIN);
    SHOW("xchg64", old, a64);

    int32_t expect32 = 1;
    int ok = atomic_compare_exchange_strong(&a32, &expect32, 2);
    printf("cas32 fail: ok %d expected now %08x\n", ok, (uint32_t)expect32);
    ok = atomic_compare_exchange_strong(&a32, &expect32, 2);
    printf("cas32 succeed: ok %d value %08x\n", ok, (uint32_t)atomic_load(&a32));
    int64_t expect64 = 0;
    ok = atomic_compare_exchange_strong(&a64, &expect64, 1);
    printf("cas64 fail: ok %d expected now %016llx\n", ok, (unsigned long long)expect64);
    ok = atomic_compare_exchange_strong(&a64, &expect64, -3);
    printf("cas64 succeed: ok %d value %016llx\n", ok, (unsigned long long)atomic_load(&a64));

    /* __atomic builtins, including nand (an LR/SC loop). */
    uint32_t o32 = __atomic_fetch_nand(&u32, 0xff00ff00u, __ATOMIC_SEQ_CST);
    printf("nand32 old %08x now %08x\n", o32, u32);
    uint64_t o64 = __atomic_fetch_nand(&u64, 0x00ff00ff00ff00ffull, __ATOMIC_ACQ_REL);
    printf("nand64 old %016llx now %016llx\n", (unsigned long long)o64, (unsigned long long)u64);
    uint32_t n32 = __atomic_add_fetch(&u32, 1, __ATOMIC_RELAXED);
    uint64_t n64 = __atomic_sub_fetch(&u64, 1, __ATOMIC_RELEASE);
    printf("add_fetch %08x sub_fetch %016llx\n", n32, (unsigned long long)n64);
    __atomic_store_n(&u64, 77, __ATOMIC_RELEASE);
    printf("load %llu\n", (unsigned long long)__atomic_load_n(&u64, __ATOMIC_ACQUIRE));

    atomic_store(&a32, -50);
    printf("cas max: %d", cas_max32(&a32, -60));
    printf(" %d", cas_max32(&a32, 12));
    printf(" now %d\n", atomic_load(&a32));

    /* A counter hammered by AMOs and CAS, with fences in between. */
    static _Atomic uint64_t counter;
    for (int i = 0; i < 20000; i++) {
        atomic_fetch_add_explicit(&counter, (uint64_t)i, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
        uint64_t cur = atomic_load_explicit(&counter, memory_order_acquire);
        while (!atomic_compare_exchange_weak_explicit(&counter, &cur, cur ^ (uint64_t)(i * 31),
                                                       memory_order_acq_rel, memory_order_relaxed))
            ;
    }
    printf("counter %016llx\n", (unsigned long long)atomic_load(&counter));

    atomic_flag flag = ATOMIC_FLAG_INIT;
    int t1 = atomic_flag_test_and_set(&flag);
    int t2 = atomic_flag_test_and_set(&flag);
    atomic_flag_clear(&flag);
    int t3 = atomic_flag_test_and_set(&flag);
    printf("flag %d %d %d lock-free32 %d lock-free64 %d\n", t1, t2, t3,
           atomic_is_lock_free(&a32), atomic_is_lock_free(&a64));
    return 0;
}
