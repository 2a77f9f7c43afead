/* rvsim test runtime: Linux system calls over `ecall`, the POSIX entry points
 * picolibc expects from its host, stdio streams, and C start-up.
 *
 * Everything goes through the syscall subset rvsim emulates: read, write,
 * openat, close, lseek, fstat, brk, mmap, munmap, clock_gettime,
 * gettimeofday, uname, getpid, set_tid_address, getrandom, exit, exit_group.
 */
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- syscalls */

long rt_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a4 __asm__("a4") = a4;
    register long r_a5 __asm__("a5") = a5;
    register long r_a7 __asm__("a7") = nr;
    __asm__ volatile("ecall"
                     : "+r"(r_a0)
                     : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
                     : "memory");
    return r_a0;
}

long rt_sys_write(int fd, const void *buf, size_t len)
{
    return rt_syscall(RT_SYS_write, fd, (long)buf, (long)len);
}

long rt_sys_read(int fd, void *buf, size_t len)
{
    return rt_syscall(RT_SYS_read, fd, (long)buf, (long)len);
}

long rt_sys_openat(int dirfd, const char *path, int flags, int mode)
{
    return rt_syscall6(RT_SYS_openat, dirfd, (long)path, flags, mode, 0, 0);
}

long rt_sys_close(int fd) { return rt_syscall(RT_SYS_close, fd, 0, 0); }

long rt_sys_lseek(int fd, long offset, int whence)
{
    return rt_syscall(RT_SYS_lseek, fd, offset, whence);
}

long rt_sys_fstat(int fd, struct rt_kstat *st)
{
    return rt_syscall(RT_SYS_fstat, fd, (long)st, 0);
}

long rt_sys_brk(void *addr) { return rt_syscall(RT_SYS_brk, (long)addr, 0, 0); }

void *rt_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
    return (void *)rt_syscall6(RT_SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

long rt_sys_munmap(void *addr, size_t len)
{
    return rt_syscall(RT_SYS_munmap, (long)addr, (long)len, 0);
}

long rt_sys_clock_gettime(int clk, struct rt_timespec *ts)
{
    return rt_syscall(RT_SYS_clock_gettime, clk, (long)ts, 0);
}

long rt_sys_gettimeofday(struct rt_timeval *tv, void *tz)
{
    return rt_syscall(RT_SYS_gettimeofday, (long)tv, (long)tz, 0);
}

long rt_sys_uname(struct rt_utsname *u) { return rt_syscall(RT_SYS_uname, (long)u, 0, 0); }

long rt_sys_getpid(void) { return rt_syscall(RT_SYS_getpid, 0, 0, 0); }

long rt_sys_set_tid_address(int *tidptr)
{
    return rt_syscall(RT_SYS_set_tid_address, (long)tidptr, 0, 0);
}

long rt_sys_getrandom(void *buf, size_t len, unsigned flags)
{
    return rt_syscall(RT_SYS_getrandom, (long)buf, (long)len, flags);
}

void rt_sys_exit_group(int code)
{
    for (;;)
        rt_syscall(RT_SYS_exit_group, code, 0, 0);
}

void rt_sys_exit(int code)
{
    for (;;)
        rt_syscall(RT_SYS_exit, code, 0, 0);
}

long rt_puts_fd(int fd, const char *s) { return rt_sys_write(fd, s, strlen(s)); }

/* ------------------------------------------------- POSIX layer for picolibc */

static long set_errno(long ret)
{
    if (ret < 0 && ret > -4096) {
        errno = (int)-ret;
        return -1;
    }
    return ret;
}

ssize_t write(int fd, const void *buf, size_t len) { return set_errno(rt_sys_write(fd, buf, len)); }

ssize_t read(int fd, void *buf, size_t len) { return set_errno(rt_sys_read(fd, buf, len)); }

int close(int fd) { return (int)set_errno(rt_sys_close(fd)); }

off_t lseek(int fd, off_t offset, int whence) { return set_errno(rt_sys_lseek(fd, offset, whence)); }

/* picolibc's O_EXCL differs from Linux's; the other flags agree but are mapped
 * one by one so the intent stays visible. */
static int linux_open_flags(int flags)
{
    int out = flags & 3;
    if (flags & O_CREAT)
        out |= RT_O_CREAT;
    if (flags & O_EXCL)
        out |= RT_O_EXCL;
    if (flags & O_TRUNC)
        out |= RT_O_TRUNC;
    if (flags & O_APPEND)
        out |= RT_O_APPEND;
    return out;
}

int open(const char *path, int flags, ...)
{
    int mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, int);
        va_end(ap);
    }
    return (int)set_errno(rt_sys_openat(RT_AT_FDCWD, path, linux_open_flags(flags), mode));
}

int fstat(int fd, struct stat *st)
{
    struct rt_kstat k;
    long r = rt_sys_fstat(fd, &k);
    if (r < 0)
        return (int)set_errno(r);
    memset(st, 0, sizeof *st);
    st->st_dev = k.st_dev;
    st->st_ino = k.st_ino;
    st->st_mode = k.st_mode;
    st->st_nlink = k.st_nlink;
    st->st_uid = k.st_uid;
    st->st_gid = k.st_gid;
    st->st_rdev = k.st_rdev;
    st->st_size = k.st_size;
    return 0;
}

pid_t getpid(void) { return (pid_t)rt_sys_getpid(); }

int gettimeofday(struct timeval *tv, void *tz)
{
    struct rt_timeval k;
    long r = rt_sys_gettimeofday(&k, tz);
    if (r < 0)
        return (int)set_errno(r);
    if (tv) {
        tv->tv_sec = k.tv_sec;
        tv->tv_usec = k.tv_usec;
    }
    return 0;
}

int getentropy(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        long r = rt_sys_getrandom(p, len, 0);
        if (r < 0)
            return (int)set_errno(r);
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

void _exit(int code) { rt_sys_exit_group(code); }

/* malloc grows the heap through sbrk; the break itself lives in the kernel. */
static char *heap_break;

void *sbrk(ptrdiff_t incr)
{
    if (!heap_break) {
        char *start = (char *)rt_sys_brk(0);
        char *aligned = (char *)(((uintptr_t)start + 15) & ~(uintptr_t)15);
        if (aligned != start && (char *)rt_sys_brk(aligned) != aligned) {
            errno = ENOMEM;
            return (void *)-1;
        }
        heap_break = aligned;
    }
    char *old = heap_break;
    if (incr != 0) {
        char *want = old + incr;
        if ((char *)rt_sys_brk(want) != want) {
            errno = ENOMEM;
            return (void *)-1;
        }
        heap_break = want;
    }
    return old;
}

/* ------------------------------------------------------------------- stdio */

static char out_buf[512];
static size_t out_len;

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        long r = rt_sys_write(fd, p, n);
        if (r <= 0)
            return;
        p += r;
        n -= (size_t)r;
    }
}

static int stdout_flush(FILE *f)
{
    (void)f;
    write_all(1, out_buf, out_len);
    out_len = 0;
    return 0;
}

/* Line buffered: one write per line keeps the syscall count low. */
static int stdout_put(char c, FILE *f)
{
    out_buf[out_len++] = c;
    if (c == '\n' || out_len == sizeof out_buf)
        stdout_flush(f);
    return (unsigned char)c;
}

static int stderr_put(char c, FILE *f)
{
    (void)f;
    write_all(2, &c, 1);
    return (unsigned char)c;
}

static unsigned char in_buf[512];
static size_t in_pos, in_len;

static int stdin_get(FILE *f)
{
    (void)f;
    if (in_pos == in_len) {
        long r = rt_sys_read(0, in_buf, sizeof in_buf);
        if (r <= 0)
            return EOF;
        in_len = (size_t)r;
        in_pos = 0;
    }
    return in_buf[in_pos++];
}

static FILE rt_stdin = FDEV_SETUP_STREAM(NULL, stdin_get, NULL, _FDEV_SETUP_READ);
static FILE rt_stdout = FDEV_SETUP_STREAM(stdout_put, NULL, stdout_flush, _FDEV_SETUP_WRITE);
static FILE rt_stderr = FDEV_SETUP_STREAM(stderr_put, NULL, NULL, _FDEV_SETUP_WRITE);

FILE *const stdin = &rt_stdin;
FILE *const stdout = &rt_stdout;
FILE *const stderr = &rt_stderr;

/* ----------------------------------------------------------------- start-up */

extern char __tdata_start[], __tdata_end[], __tbss_end[];
extern char __tls_align[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
extern char **environ;

uint64_t *rt_auxv;

uint64_t rt_getauxval(uint64_t key, int *found)
{
    for (uint64_t *p = rt_auxv; p && p[0] != RT_AT_NULL; p += 2) {
        if (p[0] == key) {
            if (found)
                *found = 1;
            return p[1];
        }
    }
    if (found)
        *found = 0;
    return 0;
}

/* RISC-V TLS (variant I, no TCB): tp points at the block, which holds a copy
 * of .tdata followed by zeroed .tbss. */
static char tls_block[1024] __attribute__((aligned(64)));

static void setup_tls(void)
{
    size_t data = (size_t)(__tdata_end - __tdata_start);
    size_t total = (size_t)(__tbss_end - __tdata_start);
    if (total > sizeof tls_block || (uintptr_t)__tls_align > 64) {
        rt_puts_fd(2, "rt: TLS image too large\n");
        rt_sys_exit_group(127);
    }
    memcpy(tls_block, __tdata_start, data);
    memset(tls_block + data, 0, total - data);
    __asm__ volatile("mv tp, %0" : : "r"(tls_block));
}

static void flush_stdout_at_exit(void) { fflush(stdout); }

int main(int argc, char **argv, char **envp);

__attribute__((noreturn, used)) void __rt_start_c(int argc, char **argv, char **envp)
{
    setup_tls();
    environ = envp;
    char **p = envp;
    while (*p)
        p++;
    rt_auxv = (uint64_t *)(p + 1);
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
        (*f)();
    atexit(flush_stdout_at_exit);
    exit(main(argc, argv, envp));
}
