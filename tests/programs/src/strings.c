/* String and memory functions, formatting into buffers, and sorting strings. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Truncation below is the point of the test. */
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#pragma GCC diagnostic ignored "-Wformat-truncation"

static const char *const words[] = {
    "pear",    "apple",  "fig",     "banana", "cherry", "apple",   "kiwi",  "date",
    "elder",   "grape",  "Zucchini", "lemon", "mango",  "nectarine", "",    "a",
    "aa",      "ab",     "orange",  "papaya", "quince", "raspberry", "B",   "zebra",
};
#define NWORDS (sizeof words / sizeof words[0])

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_len_then_str(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x, y);
}

/* Our own insertion sort over a char matrix, so copying whole rows matters. */
static void sort_rows(char rows[][16], int n)
{
    char tmp[16];
    for (int i = 1; i < n; i++) {
        memcpy(tmp, rows[i], sizeof tmp);
        int j = i - 1;
        while (j >= 0 && strcmp(rows[j], tmp) > 0) {
            memcpy(rows[j + 1], rows[j], sizeof tmp);
            j--;
        }
        memcpy(rows[j + 1], tmp, sizeof tmp);
    }
}

static uint32_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

int main(void)
{
    const char *sorted[NWORDS];
    memcpy(sorted, words, sizeof words);
    qsort(sorted, NWORDS, sizeof sorted[0], cmp_str);
    printf("qsort:");
    for (unsigned i = 0; i < NWORDS; i++)
        printf(" '%s'", sorted[i]);
    printf("\n");
    qsort(sorted, NWORDS, sizeof sorted[0], cmp_len_then_str);
    printf("by length:");
    for (unsigned i = 0; i < NWORDS; i++)
        printf(" %s", sorted[i]);
    printf("\n");

    char rows[NWORDS][16];
    for (unsigned i = 0; i < NWORDS; i++)
        strcpy(rows[i], words[NWORDS - 1 - i]);
    sort_rows(rows, NWORDS);
    printf("rows:");
    for (unsigned i = 0; i < NWORDS; i++)
        printf(" %s", rows[i]);
    printf("\n");

    char buf[256];
    for (unsigned i = 0; i < NWORDS; i++)
        printf("len(%s)=%zu ", words[i], strlen(words[i]));
    printf("\n");

    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strncat(buf, "world!!!", 6);
    printf("concat '%s' len %zu\n", buf, strlen(buf));
    printf("strchr %s strrchr %s strstr %s\n", strchr(buf, 'o'), strrchr(buf, 'o'),
           strstr(buf, "wor"));
    printf("strcmp %d %d %d strncmp %d\n", strcmp("abc", "abd") < 0, strcmp("abc", "abc"),
           strcmp("b", "a") > 0, strncmp("abcdef", "abcxyz", 3));
    printf("strspn %zu strcspn %zu\n", strspn("aabbccxyz", "abc"), strcspn("hello world", " "));

    /* memset / memcpy / memmove at every small alignment and length. */
    static unsigned char area[300];
    uint32_t h = 0;
    for (int off = 0; off < 8; off++) {
        for (int len = 0; len < 40; len += 3) {
            memset(area, 0xa5, sizeof area);
            memset(area + off, off * 16 + len, len);
            h = h * 31 + hash_bytes(area, sizeof area);
            for (int i = 0; i < 64; i++)
                area[i] = (unsigned char)(i * 7 + off);
            memcpy(area + 100 + off, area + (len % 8), len);
            h = h * 31 + hash_bytes(area, sizeof area);
            memmove(area + off + 2, area + off, len); /* overlapping, forward */
            memmove(area + 1, area + off + 1, len);   /* overlapping, backward */
            h = h * 31 + hash_bytes(area, sizeof area);
        }
    }
    printf("mem hash %08x\n", h);
    printf("memcmp %d %d\n", memcmp("abcd", "abce", 4) < 0, memcmp("abcd", "abce", 3));

    int n = snprintf(buf, sizeof buf, "%s-%05d-%x-%c", "tag", 42, 0xbeef, 'Z');
    printf("snprintf '%s' %d\n", buf, n);
    n = snprintf(buf, 8, "%s", "truncated string");
    printf("truncated '%s' %d\n", buf, n);

    char tok[] = "alpha,beta,,gamma;delta";
    char *save = NULL;
    printf("tokens:");
    for (char *t = strtok_r(tok, ",;", &save); t; t = strtok_r(NULL, ",;", &save))
        printf(" [%s]", t);
    printf("\n");
    printf("strtol %ld %ld %lu atoi %d\n", strtol("-12345", NULL, 10), strtol("ff", NULL, 16),
           strtoul("777", NULL, 8), atoi("  99bottles"));
    return 0;
}
