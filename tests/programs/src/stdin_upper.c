/* Reads stdin until EOF through both read(2) directly and stdio, echoing it
 * uppercased; ends with byte and line counts. */
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    unsigned long bytes = 0, lines = 0;
    /* First chunk through the raw system call with a small buffer... */
    char buf[7];
    ssize_t n = read(0, buf, sizeof buf);
    for (ssize_t i = 0; i < n; i++) {
        putchar(toupper((unsigned char)buf[i]));
        bytes++;
        lines += buf[i] == '\n';
    }
    /* ...the rest through getchar. */
    int c;
    while ((c = getchar()) != EOF) {
        putchar(toupper(c));
        bytes++;
        lines += c == '\n';
    }
    printf("\n-- %lu bytes, %lu newlines, read again gives %ld\n", bytes, lines,
           (long)read(0, buf, sizeof buf));
    return 0;
}
