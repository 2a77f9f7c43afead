/* Command line and environment from the initial stack. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv, char **envp)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=[%s] len %zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    /* Printed sorted: loaders differ in the order they lay envp out. */
    int n = 0;
    while (envp[n])
        n++;
    qsort(envp, (size_t)n, sizeof envp[0], compare_strings);
    for (int i = 0; i < n; i++)
        printf("env (sorted) [%s]\n", envp[i]);
    printf("envc=%d\n", n);
    const char *v = getenv("RVSIM_TEST");
    printf("getenv(RVSIM_TEST)=%s\n", v ? v : "(null)");
    v = getenv("EMPTY");
    printf("getenv(EMPTY)=[%s]\n", v ? v : "(null)");
    v = getenv("NOT_SET_ANYWHERE");
    printf("getenv(NOT_SET_ANYWHERE)=%s\n", v ? v : "(null)");
    /* argv strings and envp strings follow each other on the stack. */
    printf("stack order ok %d\n", argc < 2 || argv[1] > argv[0]);
    return 0;
}
