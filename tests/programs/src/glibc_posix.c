/* A static glibc program (riscv64-linux-gnu-gcc -static): what glibc's startup and stdio ask of the
   kernel beyond the picolibc programs -- newfstatat for fstat/stat, sysinfo and sched_getaffinity behind
   sysconf, dup/dup3/fcntl, getcwd, getrusage/times -- plus glibc's own printf, strtod and qsort.  Only
   results that do not depend on the host are printed (qemu's stdout is a pipe, rvsim's a character
   device; the working directory differs). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <unistd.h>
#include <wchar.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    (void)argc;
    /* glibc's printf and strtod */
    printf("%s: %.17g %a %e %g\n", argv[0], 1.0 / 3, 0.1, 6.02214076e23, strtod("0x1.8p-3", NULL));
    printf("%'d|%-8s|%+05d|%#x|%lc\n", 1234567, "left", 42, 255, (wint_t)'Z');

    /* fstat of stdout (newfstatat with AT_EMPTY_PATH) and of a file, and stat of its path */
    struct stat st_out, st_file, st_path;
    printf("fstat(1) = %d\n", fstat(1, &st_out));
    int fd = open("data/input.txt", O_RDONLY);
    printf("open: %s\n", fd >= 3 ? "fd >= 3" : strerror(errno));
    printf("fstat = %d, stat = %d, same size: %d, regular: %d\n", fstat(fd, &st_file),
           stat("data/input.txt", &st_path), st_file.st_size == st_path.st_size, S_ISREG(st_path.st_mode));
    printf("stat missing: %d %s\n", stat("data/no-such-file", &st_path), strerror(errno));

    /* descriptors: dup, dup2 (dup3), fcntl F_DUPFD and F_GETFL, pread */
    int d = dup(fd);
    int d2 = dup2(fd, 20);
    int d3 = fcntl(fd, F_DUPFD, 30);
    printf("dup > fd: %d, dup2 = %d, F_DUPFD = %d, F_GETFL rdonly: %d\n", d > fd, d2, d3,
           (fcntl(d, F_GETFL) & O_ACCMODE) == O_RDONLY);
    char buf[16] = {0};
    printf("pread %zd '%.6s'\n", pread(d2, buf, 6, 0), buf);
    lseek(fd, 2, SEEK_SET);                 /* the offset is shared by the duplicates */
    memset(buf, 0, sizeof buf);
    printf("read after lseek on the original: %zd '%.4s'\n", read(d3, buf, 4), buf);
    close(fd);
    printf("read through a dup after close: %zd\n", read(d, buf, 2));
    printf("close twice: %d %d, bad fd: %s\n", close(d), close(d), strerror(errno));
    int out = dup(1);
    dprintf(out, "through a dup of stdout\n");
    close(out);

    /* sysconf (sysinfo, sched_getaffinity), getcwd, getrusage, times */
    printf("cpus >= 1: %d, pages > 0: %d, page size %ld\n", sysconf(_SC_NPROCESSORS_ONLN) >= 1,
           sysconf(_SC_PHYS_PAGES) > 0, sysconf(_SC_PAGESIZE));
    char cwd[4096];
    printf("getcwd absolute: %d\n", getcwd(cwd, sizeof cwd) != NULL && cwd[0] == '/');
    struct rusage ru;
    struct tms tm;
    printf("getrusage = %d, times ok: %d\n", getrusage(RUSAGE_SELF, &ru), times(&tm) != (clock_t)-1);

    /* qsort of many doubles (glibc's merge sort sizes its buffer with sysconf) */
    enum { N = 20000 };
    double *v = malloc(N * sizeof *v);
    unsigned s = 1;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        v[i] = (double)(s >> 8) / 3.0 - 1e6;
    }
    qsort(v, N, sizeof *v, by_value);
    int sorted = 1;
    for (int i = 1; i < N; i++)
        sorted &= v[i - 1] <= v[i];
    printf("sorted: %d, min %.6f, max %.6f\n", sorted, v[0], v[N - 1]);
    free(v);
    return 0;
}
