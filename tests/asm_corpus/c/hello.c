#include "rt.h"
static const char *names[] = {"zero", "one", "two", "three", "four", "five"};
int counter;
int table[8] = {3, 1, 4, 1, 5, 9, 2, 6};

static int classify(int x) {
    switch (x) {
    case 0: return 10;
    case 1: return 21;
    case 2: return 32;
    case 3: return 43;
    case 4: return 54;
    case 5: return 65;
    case 6: return 76;
    default: return -1;
    }
}

void _start(void) {
    puts_("hello from rvsim\n");
    for (int i = 0; i < 6; i++) {
        puts_(names[i]);
        puts_(" ");
        put_int(classify(table[i]) + counter++);
    }
    put_int(0x123456789abcdefL);
    put_int(-42);
    exit_(counter);
}
