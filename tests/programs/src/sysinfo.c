/* The remaining emulated system calls.  Only properties that hold on any
 * correct Linux (or rvsim) are printed, never times, pids or addresses. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"

int main(void)
{
    struct rt_utsname u;
    memset(&u, 0, sizeof u);
    long r = rt_sys_uname(&u);
    printf("uname ret %ld sysname %s machine %s release nonempty %d\n", r, u.sysname, u.machine,
           u.release[0] != 0);

    long pid = rt_sys_getpid();
    printf("getpid positive %d\n", pid > 0);
    static int tid_slot;
    long tid = rt_sys_set_tid_address(&tid_slot);
    printf("set_tid_address positive %d\n", tid > 0);

    struct rt_timespec t0, t1;
    long r0 = rt_sys_clock_gettime(RT_CLOCK_MONOTONIC, &t0);
    volatile unsigned long spin = 0;
    for (int i = 0; i < 10000; i++)
        spin += (unsigned long)i;
    long r1 = rt_sys_clock_gettime(RT_CLOCK_MONOTONIC, &t1);
    int forward = t1.tv_sec > t0.tv_sec || (t1.tv_sec == t0.tv_sec && t1.tv_nsec >= t0.tv_nsec);
    printf("clock_gettime monotonic ret %ld %ld nondecreasing %d nsec in range %d\n", r0, r1,
           forward, t0.tv_nsec >= 0 && t0.tv_nsec < 1000000000 && t1.tv_nsec < 1000000000);
    struct rt_timespec rt;
    r = rt_sys_clock_gettime(RT_CLOCK_REALTIME, &rt);
    printf("clock_gettime realtime ret %ld after 2020 %d\n", r, rt.tv_sec > 1577836800);
    struct rt_timeval tv;
    r = rt_sys_gettimeofday(&tv, 0);
    printf("gettimeofday ret %ld after 2020 %d usec in range %d\n", r, tv.tv_sec > 1577836800,
           tv.tv_usec >= 0 && tv.tv_usec < 1000000);

    unsigned char rnd[64];
    memset(rnd, 0, sizeof rnd);
    r = rt_sys_getrandom(rnd, sizeof rnd, 0);
    int nonzero = 0;
    for (unsigned i = 0; i < sizeof rnd; i++)
        nonzero += rnd[i] != 0;
    printf("getrandom ret %ld mostly nonzero %d\n", r, nonzero > 32);

    size_t len = 3 * 4096 + 100;
    unsigned char *m = rt_sys_mmap(0, len, RT_PROT_READ | RT_PROT_WRITE,
                                   RT_MAP_PRIVATE | RT_MAP_ANONYMOUS, -1, 0);
    int mapped = (long)m > 0 || (long)m < -4096;
    printf("mmap anonymous ok %d page aligned %d\n", mapped, ((uintptr_t)m & 4095) == 0);
    if (mapped) {
        int zero = 1;
        for (size_t i = 0; i < len; i++)
            zero &= m[i] == 0;
        for (size_t i = 0; i < len; i++)
            m[i] = (unsigned char)(i * 13);
        unsigned sum = 0;
        for (size_t i = 0; i < len; i++)
            sum = sum * 31 + m[i];
        printf("mmap zero filled %d pattern hash %08x\n", zero, sum);
        printf("munmap ret %ld\n", rt_sys_munmap(m, len));
    }
    unsigned char *m2 = rt_sys_mmap(0, 1 << 20, RT_PROT_READ | RT_PROT_WRITE,
                                    RT_MAP_PRIVATE | RT_MAP_ANONYMOUS, -1, 0);
    printf("mmap 1 MiB ok %d\n", (long)m2 > 0 || (long)m2 < -4096);
    m2[(1 << 20) - 1] = 1;
    printf("munmap ret %ld\n", rt_sys_munmap(m2, 1 << 20));

    char *b0 = (char *)rt_sys_brk(0);
    char *b1 = (char *)rt_sys_brk(b0 + 65536);
    printf("brk grows %d\n", b1 == b0 + 65536);
    memset(b0, 0x77, 65536);
    char *b2 = (char *)rt_sys_brk(b0 + 4096);
    printf("brk shrinks %d\n", b2 == b0 + 4096);
    return 0;
}
