/* picolibc with --oslib=semihost --crt0=semihost: console, command line, files, clock and exit code, all
   through RISC-V semihosting (built by build.py; the ELF is committed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    printf("argc=%d", argc);
    for (int i = 1; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\n");
    char line[64];
    for (int i = 0; i < 2 && fgets(line, sizeof line, stdin); i++)   /* (semihosting has no EOF on the console) */
        printf("stdin: %s", line);
    fprintf(stderr, "to stderr\n");
    FILE *f = fopen("out.txt", "w");
    if (f) {
        fprintf(f, "written %d\n", 42);
        fclose(f);
        f = fopen("out.txt", "r");
        if (f && fgets(line, sizeof line, f))
            printf("file: %s", line);
        if (f)
            fclose(f);
        remove("out.txt");
    } else {
        printf("fopen failed\n");
    }
    printf("clock advances: %d\n", clock() >= 0);
    double x = 0;
    for (int i = 1; i <= 1000; i++)
        x += 1.0 / i;
    printf("H(1000) = %.12f\n", x);
    return argc > 2 ? 3 : 0;
}
