/* Heap stress (picolibc's malloc zero-fills every block, so sizes stay modest
 * to keep the instruction count low): many allocations of mixed sizes, frees in shuffled order,
 * realloc growth and shrink, calloc zeroing.  Every block carries a pattern
 * derived from its slot, checked before it is released.  Addresses are never
 * printed (the heap start differs between loaders). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 256
#define ROUNDS 2000

static uint32_t rng = 12345;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static unsigned char *blocks[SLOTS];
static size_t sizes[SLOTS];
static unsigned char tags[SLOTS];

static size_t pick_size(void)
{
    uint32_t r = next();
    switch (r & 7) {
    case 0:
        return 1 + (r >> 8) % 8;
    case 1:
    case 2:
    case 3:
        return 1 + (r >> 8) % 128;
    case 4:
    case 5:
        return 1 + (r >> 8) % 512;
    case 6:
        return 1 + (r >> 8) % 1024;
    default:
        return 1024 + (r >> 8) % 3072;
    }
}

/* Patterns are written at a sparse stride plus the last byte, which is enough
 * to catch overlapping blocks while keeping the instruction count small. */
#define STRIDE 29

static void fill(int s)
{
    for (size_t i = 0; i < sizes[s]; i += STRIDE)
        blocks[s][i] = (unsigned char)(tags[s] + i * 3);
    blocks[s][sizes[s] - 1] = (unsigned char)(tags[s] + (sizes[s] - 1) * 3);
}

/* Checks the stride positions below len; the last byte too when whole. */
static int check_prefix(int s, size_t len, int whole)
{
    for (size_t i = 0; i < len; i += STRIDE)
        if (blocks[s][i] != (unsigned char)(tags[s] + i * 3))
            return 0;
    return !whole || blocks[s][len - 1] == (unsigned char)(tags[s] + (len - 1) * 3);
}

static int check(int s) { return check_prefix(s, sizes[s], 1); }

int main(void)
{
    unsigned long allocs = 0, frees = 0, reallocs = 0, errors = 0, peak = 0, live = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int s = (int)(next() % SLOTS);
        if (blocks[s] == NULL) {
            sizes[s] = pick_size();
            tags[s] = (unsigned char)next();
            if ((next() & 3) == 0 && sizes[s] <= 2048) {
                blocks[s] = calloc(1, sizes[s]);
                for (size_t i = 0; blocks[s] && i < sizes[s]; i += STRIDE)
                    errors += blocks[s][i] != 0;
            } else {
                blocks[s] = malloc(sizes[s]);
            }
            if (!blocks[s]) {
                printf("allocation of %zu failed\n", sizes[s]);
                return 1;
            }
            errors += ((uintptr_t)blocks[s] & 7) != 0;
            fill(s);
            allocs++;
            live += sizes[s];
        } else if (next() % 4 == 0) {
            size_t old = sizes[s];
            size_t keep = old;
            size_t want = pick_size();
            errors += !check(s);
            unsigned char *p = realloc(blocks[s], want);
            if (!p) {
                printf("realloc to %zu failed\n", want);
                return 1;
            }
            blocks[s] = p;
            if (want < keep)
                keep = want;
            errors += !check_prefix(s, keep, keep == old); /* the common prefix survives */
            sizes[s] = want;
            fill(s);
            live = live - old + want;
            reallocs++;
        } else {
            errors += !check(s);
            free(blocks[s]);
            live -= sizes[s];
            blocks[s] = NULL;
            frees++;
        }
        if (live > peak)
            peak = live;
    }
    for (int s = 0; s < SLOTS; s++) {
        if (blocks[s]) {
            errors += !check(s);
            free(blocks[s]);
            frees++;
        }
    }
    /* After freeing everything a large block must be obtainable again; touch
     * one byte per page. */
    unsigned char *big = malloc(256 << 10);
    for (size_t i = 0; big && i < (256u << 10); i += 4096)
        big[i] = (unsigned char)i;
    printf("allocs %lu frees %lu reallocs %lu peak live bytes %lu\n", allocs, frees, reallocs, peak);
    printf("big block %s\n", big ? "ok" : "FAILED");
    free(big);
    printf("pattern errors %lu\n", errors);
    return errors != 0 || big == NULL;
}
