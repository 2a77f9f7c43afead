/* The RV32 test programs' runtime: write(2) and exit_group(2), the two Linux system calls they make
   (numbers 64 and 94 of the generic table, which rv32 and rv64 Linux share). */
#include <stddef.h>

static long syscall3(long nr, long a0, long a1, long a2)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a7 __asm__("a7") = nr;
    __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
    return r_a0;
}

void rt_write(const char *s, size_t n) { syscall3(64, 1, (long)s, (long)n); }

void rt_exit(int code)
{
    syscall3(94, code, 0, 0);
    for (;;) {}
}

size_t rt_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

void rt_puts(const char *s) { rt_write(s, rt_strlen(s)); }

int main(int argc, char **argv, char **envp);

/* Called by the shared entry point (tests/programs/runtime/crt0.S); main's value is the exit status.
   (A main declared with fewer parameters ignores the extra argument registers.) */
void __rt_start_c(long argc, char **argv, char **envp)
{
    rt_exit(main((int)argc, argv, envp));
}
