#!/usr/bin/env python3
"""RV32 against RV64 on the same kernels: MIPS of the functional core for each XLEN.

The kernels of benchmarks/programs/src (int32 and fp32 matrix multiply, quicksort) are compiled here with
riscv64-unknown-elf-gcc -O2 and picolibc, with the test runtime (tests/programs/runtime) and an entry
point for either XLEN (crt0.S there), once for -march=rv64gc -mabi=lp64d and once for
-march=rv32gc -mabi=ilp32d; each ELF runs on rvsim (best of --repeat runs, CPU seconds of the run() call).
The RV32 builds execute more instructions where the kernel does 64-bit work, so the figure compared is
MIPS (instructions per second), not time.  Needs the cross compiler with picolibc.

    python benchmarks/bench_rv32.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from rvsim.host import LinuxEnvironment  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402

CC = "riscv64-unknown-elf-gcc"
RUNTIME = ROOT / "tests" / "programs" / "runtime"
KERNELS = ("mm_int32", "qsort_int", "mm_fp32")
TARGETS = {64: ("rv64gc", "lp64d"), 32: ("rv32gc", "ilp32d")}


def build(kernel: str, xlen: int, out_dir: Path) -> Path:
    march, mabi = TARGETS[xlen]
    out = out_dir / f"{kernel}_{march}.elf"
    subprocess.run([CC, "--specs=picolibc.specs", "-O2", f"-march={march}", f"-mabi={mabi}", "-static",
                    "-nostartfiles", f"-T{RUNTIME / 'linux.ld'}", f"-I{RUNTIME}", "-w",
                    str(RUNTIME / "crt0.S"), str(RUNTIME / "rt.c"),
                    str(HERE / "programs" / "src" / f"{kernel}.c"), "-o", str(out)], check=True)
    return out


def run(elf: Path) -> tuple[int, float, bytes]:
    out = io.BytesIO()
    m = Machine(env=LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
    m.load_elf(elf, argv=[elf.stem])
    t0 = time.process_time()
    info = m.run()
    seconds = time.process_time() - t0
    if info.reason is not StopReason.EXIT or info.exit_code != 0:
        raise RuntimeError(f"{elf.name} did not finish cleanly: {info}")
    return m.instret, seconds, out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if shutil.which(CC) is None:
        print(f"{CC} is not installed: cannot build the kernels", file=sys.stderr)
        return 2
    print(f"{'kernel':<10} {'rv64 insns':>12} {'rv64 MIPS':>10} {'rv32 insns':>12} {'rv32 MIPS':>10} "
          f"{'rv32/rv64':>9}")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for kernel in KERNELS:
            row = {}
            for xlen in (64, 32):
                elf = build(kernel, xlen, Path(tmp))
                runs = [run(elf) for _ in range(args.repeat)]
                insns, outputs = runs[0][0], {r[2] for r in runs}
                row[xlen] = (insns, insns / min(r[1] for r in runs) / 1e6, outputs)
            if row[32][2] != row[64][2]:
                raise RuntimeError(f"{kernel}: RV32 and RV64 builds print different results")
            ratio = row[32][1] / row[64][1]
            ratios.append(ratio)
            print(f"{kernel:<10} {row[64][0]:>12,} {row[64][1]:>10.0f} {row[32][0]:>12,} {row[32][1]:>10.0f} "
                  f"{ratio:>8.0%}")
    geo = 1.0
    for r in ratios:
        geo *= r
    print(f"geometric mean rv32/rv64 MIPS: {geo ** (1 / len(ratios)):.0%} (target: at least 90%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
