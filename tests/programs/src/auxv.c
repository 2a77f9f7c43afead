/* The auxiliary vector the loader places above envp. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rt.h"

extern char _start[];

int main(void)
{
    int found;
    uint64_t pagesz = rt_getauxval(RT_AT_PAGESZ, &found);
    printf("AT_PAGESZ present %d value %llu\n", found, (unsigned long long)pagesz);

    uint64_t entry = rt_getauxval(RT_AT_ENTRY, &found);
    printf("AT_ENTRY present %d equals _start %d\n", found, entry == (uint64_t)(uintptr_t)_start);

    uint64_t phdr = rt_getauxval(RT_AT_PHDR, &found);
    int have_phdr = found;
    uint64_t phnum = rt_getauxval(RT_AT_PHNUM, &found);
    int have_phnum = found;
    uint64_t phent = rt_getauxval(RT_AT_PHENT, &found);
    printf("AT_PHDR present %d AT_PHNUM present %d AT_PHENT present %d value %llu\n", have_phdr,
           have_phnum, found, (unsigned long long)phent);
    if (have_phdr && have_phnum) {
        /* The ELF header is mapped at 0x10000 by our linker script; the
         * program headers follow it. */
        const unsigned char *ehdr = (const unsigned char *)0x10000;
        uint16_t e_phnum;
        uint64_t e_phoff;
        memcpy(&e_phnum, ehdr + 56, 2);
        memcpy(&e_phoff, ehdr + 32, 8);
        printf("ELF magic ok %d phnum matches %d phdr matches %d\n",
               memcmp(ehdr, "\177ELF", 4) == 0, phnum == e_phnum, phdr == 0x10000 + e_phoff);
        uint32_t types = 0;
        for (uint64_t i = 0; i < phnum; i++) {
            uint32_t type;
            memcpy(&type, (const unsigned char *)(uintptr_t)phdr + i * phent, 4);
            types = types * 7 + type;
        }
        printf("phdr types hash %u\n", types);
    }
    uint64_t random = rt_getauxval(RT_AT_RANDOM, &found);
    printf("AT_RANDOM present %d nonzero %d\n", found, random != 0);
    return 0;
}
