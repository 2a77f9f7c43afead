#!/usr/bin/env python3
"""Build the RV64 benchmark programs and record what they must print.

The benchmarks use the same toolchain, flags and runtime as the test programs
(tests/programs/build.py): riscv64-unknown-elf-gcc -O2 -march=rv64gc
-mabi=lp64d -static, picolibc, tests/programs/runtime.  Each is self-checking:
it prints one line with a checksum and exits 0 only when its own check passed.

Outputs: bin/<name>.elf (committed) and expected.json with, per benchmark, the
stdout and exit code under qemu-riscv64 and, when a host gcc is available to
build the counting plugin (qemu_insn_count.c), the executed instruction count.
With --time it also reports qemu-riscv64 wall time (best of --repeat runs).

Usage:
    python3 benchmarks/programs/build.py                 # compile, run, write expected.json
    python3 benchmarks/programs/build.py --no-build --time
Standard library only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SRC = HERE / "src"
BIN = HERE / "bin"
EXPECTED = HERE / "expected.json"


def _load_tests_build():
    path = REPO_ROOT / "tests" / "programs" / "build.py"
    spec = importlib.util.spec_from_file_location("programs_build", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tests_build = _load_tests_build()

BENCHMARKS: dict[str, dict] = {
    "mm_int32": {"src": "mm_int32.c", "about": "int32 matrix multiply 152x152, Freivalds check"},
    "mm_fp32": {"src": "mm_fp32.c",
                "about": "scalar fp32 matrix multiply 150x150 (fmadd.s), exact check vs integers"},
    "qsort_int": {"src": "qsort_int.c",
                  "about": "quicksort of 300000 int32, order + sum + xor check"},
}

ARGV_ENV = {"LANG": "C"}


def compile_benchmark(name: str, spec: dict) -> None:
    BIN.mkdir(exist_ok=True)
    tb = tests_build
    cmd = [tb.CC, *tb.C_FLAGS, f"-I{tb.RUNTIME}", *tb.LINK_FLAGS, str(SRC / spec["src"]),
           *map(str, tb.RUNTIME_SOURCES), "-lm", "-o", str(BIN / f"{name}.elf")]
    print("cc", name, flush=True)
    subprocess.run(cmd, check=True)


def run(name: str) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    proc = tests_build.run_under_qemu(BIN / f"{name}.elf", [name], ARGV_ENV, b"", HERE)
    return proc, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="do not compile")
    parser.add_argument("--time", action="store_true", help="report qemu-riscv64 wall time")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per benchmark")
    args = parser.parse_args()

    if shutil.which(tests_build.QEMU) is None:
        print("qemu-riscv64 not found", file=sys.stderr)
        return 2
    if not args.no_build:
        for name, spec in BENCHMARKS.items():
            compile_benchmark(name, spec)

    expected = {}
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        plugin = None
        if shutil.which("gcc"):
            plugin = tests_build.build_count_plugin(Path(tmp))
        for name, spec in BENCHMARKS.items():
            proc, seconds = run(name)
            entry = {"elf": f"bin/{name}.elf", "source": f"src/{spec['src']}",
                     "about": spec["about"], "argv": [name], "env": ARGV_ENV,
                     "exit_code": proc.returncode, "stdout": proc.stdout.decode()}
            if plugin:
                entry["qemu_insn_count"] = tests_build.count_instructions(
                    plugin, BIN / f"{name}.elf", [name], ARGV_ENV, b"", HERE, Path(tmp))
            expected[name] = entry
            failed |= proc.returncode != 0
            line = f"{name}: exit {proc.returncode}, {proc.stdout.decode().strip()}"
            if "qemu_insn_count" in entry:
                line += f", {entry['qemu_insn_count'] / 1e6:.1f} M instructions"
            if args.time:
                best = min([seconds] + [run(name)[1] for _ in range(args.repeat - 1)])
                line += f", qemu-riscv64 best of {args.repeat}: {best:.3f} s"
            print(line, flush=True)

    if not args.no_build or not EXPECTED.exists():
        EXPECTED.write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
