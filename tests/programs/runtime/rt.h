/* rvsim test runtime: raw RV64 Linux system calls and the structures they use.
 *
 * Only the syscall subset that rvsim emulates is wrapped here.  The raw
 * wrappers (rt_sys_*) return the kernel result unchanged: a negative value is
 * -errno.  The POSIX-named functions in rt.c (read, write, open, ...) follow
 * the libc convention instead (-1 and errno).
 */
#ifndef RVSIM_RT_H
#define RVSIM_RT_H

#include <stddef.h>
#include <stdint.h>

/* RISC-V Linux system call numbers (asm-generic table). */
#define RT_SYS_openat 56
#define RT_SYS_close 57
#define RT_SYS_lseek 62
#define RT_SYS_read 63
#define RT_SYS_write 64
#define RT_SYS_fstat 80
#define RT_SYS_exit 93
#define RT_SYS_exit_group 94
#define RT_SYS_set_tid_address 96
#define RT_SYS_clock_gettime 113
#define RT_SYS_uname 160
#define RT_SYS_gettimeofday 169
#define RT_SYS_getpid 172
#define RT_SYS_brk 214
#define RT_SYS_munmap 215
#define RT_SYS_mmap 222
#define RT_SYS_getrandom 278

/* Linux open flags (generic values, not picolibc's). */
#define RT_O_RDONLY 0
#define RT_O_WRONLY 1
#define RT_O_RDWR 2
#define RT_O_CREAT 0100
#define RT_O_EXCL 0200
#define RT_O_TRUNC 01000
#define RT_O_APPEND 02000
#define RT_AT_FDCWD (-100)

#define RT_PROT_READ 1
#define RT_PROT_WRITE 2
#define RT_PROT_EXEC 4
#define RT_MAP_PRIVATE 0x02
#define RT_MAP_ANONYMOUS 0x20

#define RT_CLOCK_REALTIME 0
#define RT_CLOCK_MONOTONIC 1

/* Auxiliary vector keys used by the tests. */
#define RT_AT_NULL 0
#define RT_AT_PHDR 3
#define RT_AT_PHENT 4
#define RT_AT_PHNUM 5
#define RT_AT_PAGESZ 6
#define RT_AT_ENTRY 9
#define RT_AT_RANDOM 25

/* struct stat as the riscv64 kernel writes it (asm-generic layout, 128 bytes). */
struct rt_kstat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint32_t st_mode;
    uint32_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    uint64_t st_rdev;
    uint64_t pad1;
    int64_t st_size;
    int32_t st_blksize;
    int32_t pad2;
    int64_t st_blocks;
    int64_t st_atime_sec;
    uint64_t st_atime_nsec;
    int64_t st_mtime_sec;
    uint64_t st_mtime_nsec;
    int64_t st_ctime_sec;
    uint64_t st_ctime_nsec;
    uint32_t unused4;
    uint32_t unused5;
};

struct rt_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct rt_timeval {
    int64_t tv_sec;
    int64_t tv_usec;
};

struct rt_utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};

long rt_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

static inline long rt_syscall(long nr, long a0, long a1, long a2)
{
    return rt_syscall6(nr, a0, a1, a2, 0, 0, 0);
}

long rt_sys_write(int fd, const void *buf, size_t len);
long rt_sys_read(int fd, void *buf, size_t len);
long rt_sys_openat(int dirfd, const char *path, int flags, int mode);
long rt_sys_close(int fd);
long rt_sys_lseek(int fd, long offset, int whence);
long rt_sys_fstat(int fd, struct rt_kstat *st);
long rt_sys_brk(void *addr);
void *rt_sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
long rt_sys_munmap(void *addr, size_t len);
long rt_sys_clock_gettime(int clk, struct rt_timespec *ts);
long rt_sys_gettimeofday(struct rt_timeval *tv, void *tz);
long rt_sys_uname(struct rt_utsname *u);
long rt_sys_getpid(void);
long rt_sys_set_tid_address(int *tidptr);
long rt_sys_getrandom(void *buf, size_t len, unsigned flags);
__attribute__((noreturn)) void rt_sys_exit_group(int code);
__attribute__((noreturn)) void rt_sys_exit(int code);

/* The auxiliary vector found above envp by the start-up code. */
extern uint64_t *rt_auxv;
uint64_t rt_getauxval(uint64_t key, int *found);

/* Write a NUL-terminated string to a file descriptor (no stdio). */
long rt_puts_fd(int fd, const char *s);

#endif
