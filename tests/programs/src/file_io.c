/* File system calls on the file named by argv[1]: openat, read, lseek, fstat,
 * close, and the error results for a missing file and a closed descriptor. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: file_io FILE\n");
        return 2;
    }
    long fd = rt_sys_openat(RT_AT_FDCWD, argv[1], RT_O_RDONLY, 0);
    printf("open: %s\n", fd >= 3 ? "fd >= 3" : "FAILED");
    if (fd < 0)
        return 1;
    struct rt_kstat st;
    long r = rt_sys_fstat((int)fd, &st);
    printf("fstat: ret %ld size %lld regular %d\n", r, (long long)st.st_size,
           (st.st_mode & 0170000) == 0100000);

    char buf[64];
    long total = 0;
    unsigned long sum = 0;
    long got;
    while ((got = rt_sys_read((int)fd, buf, sizeof buf)) > 0) {
        for (long i = 0; i < got; i++)
            sum = sum * 131 + (unsigned char)buf[i];
        total += got;
    }
    printf("read: total %ld (matches size %d) hash %016lx last read %ld\n", total,
           total == st.st_size, sum, got);

    printf("lseek SEEK_SET 10 -> %ld\n", rt_sys_lseek((int)fd, 10, 0));
    got = rt_sys_read((int)fd, buf, 20);
    printf("read 20 at 10 -> %ld: [%.*s]\n", got, (int)(got > 0 ? got : 0), buf);
    printf("lseek SEEK_CUR -5 -> %ld\n", rt_sys_lseek((int)fd, -5, 1));
    long end_pos = rt_sys_lseek((int)fd, -8, 2);
    printf("lseek SEEK_END -8 -> %ld (is size-8 %d)\n", end_pos, end_pos == st.st_size - 8);
    got = rt_sys_read((int)fd, buf, sizeof buf);
    printf("tail %ld: [%.*s]\n", got, (int)(got > 0 ? got : 0), buf);
    printf("close -> %ld\n", rt_sys_close((int)fd));
    printf("read after close -> %ld (EBADF is %d)\n", rt_sys_read((int)fd, buf, 1), EBADF);
    printf("open missing -> %ld (ENOENT is %d)\n",
           rt_sys_openat(RT_AT_FDCWD, "data/does-not-exist.txt", RT_O_RDONLY, 0), ENOENT);

    /* stdio over the same file through picolibc's POSIX layer. */
    FILE *f = fopen(argv[1], "r");
    printf("fopen %s\n", f ? "ok" : "FAILED");
    if (f) {
        char line[128];
        int n = 0;
        while (fgets(line, sizeof line, f))
            printf("line %d: %s", ++n, line);
        fclose(f);
    }
    return 0;
}
