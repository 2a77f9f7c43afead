/* exit() from deep inside the program runs atexit handlers (last registered
 * first) and flushes stdout before the process ends with the given status. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit handler registered first\n"); }
static void second(void) { printf("atexit handler registered second\n"); }

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static void descend(int depth)
{
    if (depth == 0) {
        printf("no newline before exit...");
        exit(7);
    }
    descend(depth - 1);
    printf("never printed\n");
}

int main(void)
{
    atexit(first);
    atexit(second);
    descend(50);
    return 0;
}
