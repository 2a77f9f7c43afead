#!/bin/sh
# Regenerate the committed .s files from the C sources with the installed GNU cross compiler.
set -e
cd "$(dirname "$0")"
for c in *.c; do
    riscv64-unknown-elf-gcc -O2 -S -march=rv64gc -mabi=lp64d -ffreestanding -fno-builtin -nostdlib \
        -fno-asynchronous-unwind-tables -o "${c%.c}.s" "$c"
done
