/* Freestanding runtime for the corpus programs: write/exit system calls, no libc. */
static long sys_call3(long n, long a, long b, long c) {
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}
static void put(const char *s, long n) { sys_call3(64, 1, (long)s, n); }
static long slen(const char *s) { long n = 0; while (s[n]) n++; return n; }
static void puts_(const char *s) { put(s, slen(s)); }
static void put_int(long v) {
    char buf[24]; int i = 23; int neg = v < 0;
    unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
    buf[i] = '\n';
    do { buf[--i] = '0' + u % 10; u /= 10; } while (u);
    if (neg) buf[--i] = '-';
    put(buf + i, 24 - i);
}
__attribute__((noreturn)) static void exit_(long code) {
    sys_call3(93, code, 0, 0);
    for (;;) {}
}
