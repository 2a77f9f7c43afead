/* A failed assert in a static glibc program: the message on stderr, then abort() raises SIGABRT
   (tgkill), which ends the process as the signal's default action (exit status 128 + 6 in a shell). */
#include <assert.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    printf("before the assertion\n");
    fflush(stdout);
    assert(argc == 5);
    printf("not reached\n");
    return 0;
}
