#!/bin/sh
# Regenerate the committed .s files from the C sources with the installed GNU cross compilers
# (Debian gcc-riscv64-unknown-elf; pic.c with gcc-riscv64-linux-gnu, whose output is PIC with -g).
set -e
cd "$(dirname "$0")"
for c in fp.c hello.c sort.c; do
    riscv64-unknown-elf-gcc -O2 -S -march=rv64gc -mabi=lp64d -ffreestanding -fno-builtin -nostdlib \
        -fno-asynchronous-unwind-tables -o "${c%.c}.s" "$c"
done
riscv64-linux-gnu-gcc -O2 -g -fPIC -S -march=rv64gc -mabi=lp64d -ffreestanding -fno-builtin -nostdlib \
    -fdebug-prefix-map="$(pwd)"=. -o pic.s pic.c
riscv64-linux-gnu-gcc -O1 -g -S -march=rv64gc -mabi=lp64d -ffreestanding -fno-builtin -nostdlib \
    -fdebug-prefix-map="$(pwd)"=. -o pie.s pic.c
