#!/usr/bin/env python3
"""Build the semihosting test program with the Debian cross compiler and picolibc (packages
gcc-riscv64-unknown-elf, picolibc-riscv64-unknown-elf).  The ELF is committed, so tests/test_semihosting.py
runs where the toolchain is absent.

    python3 tests/semihosting/build.py
"""
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
CMD = ["riscv64-unknown-elf-gcc", "--specs=picolibc.specs", "--oslib=semihost", "--crt0=semihost", "-O2",
       "-march=rv64gc", "-mabi=lp64d", "-fno-ident", "-Wl,--build-id=none", "-Wl,--strip-debug"]

if __name__ == "__main__":
    subprocess.run([*CMD, str(HERE / "semihost_io.c"), "-o", str(HERE / "semihost_io.elf")], check=True)
