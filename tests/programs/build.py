#!/usr/bin/env python3
"""Build the RV64 Linux user-mode test programs and record their golden results.

Every program in src/ is compiled with the bare-metal cross compiler
(riscv64-unknown-elf-gcc), picolibc and our own runtime (runtime/), which talks
to the kernel only through the syscall subset rvsim emulates; the glibc_* ones
with the Linux cross compiler (riscv64-linux-gnu-gcc -static, Debian package
gcc-riscv64-linux-gnu) and glibc's own startup.  The ELFs go to bin/ and are
committed, so the test suite runs where no cross compiler exists.

Each ELF is then run under qemu-riscv64 (the independent oracle) with the
exact argv, environment, stdin and working directory given in PROGRAMS, and the
results are written to golden.json.  tests/test_programs_qemu.py re-runs the
committed ELFs under qemu to keep that file honest; the rvsim tests replay the
same argv/env/stdin/cwd and compare against it.

Usage (from anywhere):
    python3 tests/programs/build.py            # compile everything, regenerate golden.json
    python3 tests/programs/build.py --no-build # only regenerate golden.json from bin/
    python3 tests/programs/build.py --check    # compare qemu runs with golden.json, write nothing
    python3 tests/programs/build.py --only int_arith exit_code
    python3 tests/programs/build.py --no-build --count   # also write insn_counts.json
--count builds benchmarks/programs/qemu_insn_count.c (a TCG plugin; needs a host
gcc) and records how many instructions each program executes under qemu.
Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SRC = HERE / "src"
BIN = HERE / "bin"
RUNTIME = HERE / "runtime"
GOLDEN = HERE / "golden.json"
INSN_COUNTS = HERE / "insn_counts.json"
PLUGIN_SOURCE = REPO_ROOT / "benchmarks" / "programs" / "qemu_insn_count.c"

CC = "riscv64-unknown-elf-gcc"
GLIBC_CC = "riscv64-linux-gnu-gcc"
QEMU = "qemu-riscv64"
TIMEOUT_S = 120

ARCH_FLAGS = ["-march=rv64gc", "-mabi=lp64d"]
C_FLAGS = ["--specs=picolibc.specs", "-O2", *ARCH_FLAGS, "-static", "-Wall", "-Wextra",
           "-fno-ident"]
LINK_FLAGS = ["-nostartfiles", f"-T{RUNTIME / 'linux.ld'}", "-Wl,--build-id=none",
              "-Wl,--strip-debug"]  # keep the symbol table, drop libc debug info
RUNTIME_SOURCES = [RUNTIME / "crt0.S", RUNTIME / "rt.c"]
GLIBC_FLAGS = ["-O2", *ARCH_FLAGS, "-static", "-Wall", "-Wextra", "-fno-ident", "-Wl,--build-id=none",
               "-Wl,--strip-debug", f"-fmacro-prefix-map={HERE}/="]   # assert messages name src/x.c
# Hand-written assembly programs bring their own _start and use no libc.
ASM_FLAGS = [*ARCH_FLAGS, "-static", "-nostdlib", "-nostartfiles", f"-I{RUNTIME}",
             f"-T{RUNTIME / 'linux.ld'}", "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments"]

# Fixed environment for every run: qemu-user hands its own environment to the
# guest, so the host's must never leak in.
BASE_ENV = {"LANG": "C", "TERM": "dumb"}

# Per-program run spec.  argv includes argv[0]; cwd is relative to tests/programs
# (the working directory the program must see; relative paths in argv use it).
PROGRAMS: dict[str, dict] = {
    "int_arith": {"src": "int_arith.c",
                  "about": "M extension corners (div by zero, overflow, mulh*), W forms, mixed integer ops"},
    "float_ops": {"src": "float_ops.c", "cflags": ["-frounding-math"],
                  "about": "F/D arithmetic, sqrt, fma, min/max, fclass, saturating fcvt, fflags, rounding modes"},
    "libm_funcs": {"src": "libm_funcs.c",
                   "about": "picolibc libm (exp/log/sin/pow/...) in float and double, printed as bits"},
    "strings": {"src": "strings.c",
                "about": "strlen/strcpy/memcpy/memmove/memset/strcmp/strstr, snprintf, qsort of strings"},
    "recursion": {"src": "recursion.c",
                  "about": "fib, ackermann, n-queens, towers of hanoi, mutual recursion (deep stack)"},
    "printf_fmt": {"src": "printf_fmt.c",
                   "about": "printf conversions %d %i %u %x %o %c %s %p %f %e %g %a %ld %lld %zu, widths, flags"},
    "argv_env": {"src": "argv_env.c",
                 "argv": ["argv_env", "first", "with space", "", "ünïcödé", "--flag=1"],
                 "env": {"RVSIM_TEST": "hello", "EMPTY": "", "PATHLIKE": "/a:/b"},
                 "about": "argc/argv/envp from the initial stack, getenv"},
    "auxv": {"src": "auxv.c",
             "about": "auxiliary vector: AT_PAGESZ, AT_PHDR/AT_PHNUM/AT_PHENT vs the ELF header, AT_ENTRY, AT_RANDOM"},
    "malloc_stress": {"src": "malloc_stress.c",
                      "about": "malloc/calloc/realloc/free with pattern checks (heap grows through brk)"},
    "atomics": {"src": "atomics.c",
                "about": "C11 atomics and __atomic builtins: AMO add/and/or/xor/swap/min/max, LR/SC CAS loops"},
    "stdin_upper": {"src": "stdin_upper.c",
                    "stdin": "hello, world\nThe quick brown fox jumps over the lazy dog.\n"
                             "mixed CASE 123 !?\n\nno newline at end",
                    "about": "reads stdin until EOF, echoes it uppercased, counts bytes and lines"},
    "exit_code": {"src": "exit_code.c", "about": "main returns 42"},
    "exit_atexit": {"src": "exit_atexit.c",
                    "about": "exit(7) from deep recursion runs atexit handlers in reverse order"},
    "file_io": {"src": "file_io.c", "argv": ["file_io", "data/input.txt"],
                "about": "openat/read/lseek/fstat/close on a data file, ENOENT, EBADF"},
    "sysinfo": {"src": "sysinfo.c",
                "about": "uname, getpid, set_tid_address, clock_gettime, gettimeofday, getrandom, mmap/munmap, brk"},
    "kernels": {"src": "kernels.c",
                "about": "sieve, CRC32, FNV hash, Collatz, bubble/insertion sort, setjmp/longjmp"},
    "asm_muldiv": {"src": "asm_muldiv.S", "about": "hand-written M extension incl. W forms and corner cases"},
    "asm_amo": {"src": "asm_amo.S",
                "about": "hand-written A extension: every AMO .w/.d, sign extension, LR/SC loop, SC failure"},
    "asm_zicsr": {"src": "asm_zicsr.S",
                  "about": "fcsr/frm/fflags via csrrw/csrrs/csrrc and immediate forms; rdcycle/rdtime/rdinstret"},
    "asm_smc": {"src": "asm_smc.S",
                "about": "self-modifying code: write instructions, fence.i, execute, overwrite, execute again"},
    "asm_misaligned": {"src": "asm_misaligned.S",
                       "about": "misaligned integer and FP loads/stores of every width"},
    "asm_rvc": {"src": "asm_rvc.S", "about": "explicit compressed (C extension) instructions"},
    "glibc_posix": {"src": "glibc_posix.c", "toolchain": "glibc",
                    "about": "static glibc: newfstatat, sysinfo, sched_getaffinity, dup/dup3/fcntl, pread, "
                             "getcwd, getrusage, times; glibc printf/strtod/qsort"},
    "glibc_abort": {"src": "glibc_abort.c", "toolchain": "glibc", "argv": ["glibc_abort", "x"],
                    "about": "static glibc: a failed assert, abort() and death by SIGABRT (tgkill)"},
}


def program_env(spec: dict) -> dict[str, str]:
    env = dict(BASE_ENV)
    env.update(spec.get("env", {}))
    return env


def program_argv(name: str, spec: dict) -> list[str]:
    return list(spec.get("argv", [name]))


def program_stdin(spec: dict) -> bytes:
    return spec.get("stdin", "").encode("utf-8")


def elf_path(name: str) -> Path:
    return BIN / f"{name}.elf"


def compile_program(name: str, spec: dict) -> None:
    src = SRC / spec["src"]
    out = elf_path(name)
    BIN.mkdir(exist_ok=True)
    if spec.get("toolchain") == "glibc":
        cmd = [GLIBC_CC, *GLIBC_FLAGS, str(src), "-o", str(out)]
    elif src.suffix == ".S":
        cmd = [CC, *ASM_FLAGS, str(src), "-o", str(out)]
    else:
        cmd = [CC, *C_FLAGS, *spec.get("cflags", []), f"-I{RUNTIME}", *LINK_FLAGS,
               str(src), *map(str, RUNTIME_SOURCES), "-lm", "-o", str(out)]
    print("cc", name, flush=True)
    subprocess.run(cmd, check=True, cwd=HERE)


def run_under_qemu(elf: Path, argv: list[str], env: dict[str, str], stdin: bytes,
                   cwd: Path, qemu: str = QEMU) -> subprocess.CompletedProcess:
    """Run one ELF under qemu-user exactly as the golden spec says."""
    cmd = [qemu, "-0", argv[0], str(elf), *argv[1:]]
    return subprocess.run(cmd, input=stdin, capture_output=True, env=env, cwd=cwd,
                          timeout=TIMEOUT_S)


def shell_status(returncode: int) -> int:
    """A process's exit status as a shell reports it: 128 + the signal for a death by signal."""
    return returncode if returncode >= 0 else 128 - returncode


def encode_stream(data: bytes) -> dict:
    """Text when it is clean UTF-8, base64 otherwise."""
    try:
        text = data.decode("utf-8")
        if "\r" not in text:
            return {"text": text}
    except UnicodeDecodeError:
        pass
    return {"base64": base64.b64encode(data).decode("ascii")}


def decode_stream(entry: dict) -> bytes:
    if "text" in entry:
        return entry["text"].encode("utf-8")
    return base64.b64decode(entry["base64"])


def build_count_plugin(workdir: Path) -> Path:
    """Compile the instruction-counting qemu plugin with the host compiler."""
    plugin = workdir / "qemu_insn_count.so"
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(plugin), str(PLUGIN_SOURCE)],
                   check=True)
    return plugin


def count_instructions(plugin: Path, elf: Path, argv: list[str], env: dict[str, str],
                       stdin: bytes, cwd: Path, workdir: Path) -> int | None:
    """Executed guest instructions (qemu plugin, inline per-instruction counter)."""
    out = workdir / f"{elf.stem}.count"
    cmd = [QEMU, "-plugin", f"{plugin},out={out}", "-0", argv[0], str(elf), *argv[1:]]
    subprocess.run(cmd, input=stdin, capture_output=True, env=env, cwd=cwd, timeout=TIMEOUT_S)
    # a program killed by a signal never reaches the plugin's exit callback: no count
    return int(out.read_text()) if out.exists() else None


def golden_entry(name: str, spec: dict) -> dict:
    argv = program_argv(name, spec)
    env = program_env(spec)
    stdin = program_stdin(spec)
    cwd = HERE / spec.get("cwd", ".")
    proc = run_under_qemu(elf_path(name), argv, env, stdin, cwd)
    return {
        "elf": str(elf_path(name).relative_to(HERE)),
        "source": f"src/{spec['src']}",
        "about": spec["about"],
        "argv": argv,
        "env": env,
        "stdin": encode_stream(stdin),
        "cwd": spec.get("cwd", "."),
        # a death by signal as a shell reports it (128 + the signal), the signal named beside it
        "exit_code": shell_status(proc.returncode),
        **({"signal": -proc.returncode} if proc.returncode < 0 else {}),
        "stdout": encode_stream(proc.stdout),
        "stderr": encode_stream(proc.stderr),
    }


def load_golden() -> dict:
    if GOLDEN.exists():
        return json.loads(GOLDEN.read_text())
    return {"programs": {}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="do not compile, only run")
    parser.add_argument("--check", action="store_true",
                        help="compare qemu results with golden.json, write nothing")
    parser.add_argument("--only", nargs="*", help="program names (default: all)")
    parser.add_argument("--count", action="store_true",
                        help="also count executed instructions into insn_counts.json")
    args = parser.parse_args()

    names = args.only or list(PROGRAMS)
    unknown = [n for n in names if n not in PROGRAMS]
    if unknown:
        parser.error(f"unknown program(s): {', '.join(unknown)}")
    if shutil.which(QEMU) is None:
        print(f"{QEMU} not found: cannot produce golden results", file=sys.stderr)
        return 2

    if not args.no_build and not args.check:
        for cc in sorted({GLIBC_CC if PROGRAMS[n].get("toolchain") == "glibc" else CC for n in names}):
            if shutil.which(cc) is None:
                print(f"{cc} not found: use --no-build to reuse the committed ELFs", file=sys.stderr)
                return 2
        for name in names:
            compile_program(name, PROGRAMS[name])

    golden = load_golden()
    failures = 0
    for name in names:
        entry = golden_entry(name, PROGRAMS[name])
        status = f"exit {entry['exit_code']}, {len(decode_stream(entry['stdout']))} bytes of stdout"
        if args.check:
            same = golden["programs"].get(name) == entry
            failures += not same
            print(f"{'ok  ' if same else 'DIFF'} {name}: {status}")
        else:
            golden["programs"][name] = entry
            print(f"run {name}: {status}")

    if args.check:
        return 1 if failures else 0
    if args.count:
        write_insn_counts(names)
    golden["programs"] = {n: golden["programs"][n] for n in PROGRAMS if n in golden["programs"]}
    golden["generated_by"] = "tests/programs/build.py"
    golden["oracle"] = subprocess.run([QEMU, "--version"], capture_output=True,
                                      text=True).stdout.splitlines()[0]
    golden["notes"] = ("argv includes argv[0] (qemu was run with -0 argv[0]); env is the complete "
                       "environment; cwd is relative to tests/programs; stdin/stdout/stderr are "
                       "{'text': ...} or {'base64': ...}.")
    GOLDEN.write_text(json.dumps(golden, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return 0


def write_insn_counts(names: list[str]) -> None:
    import tempfile

    counts = json.loads(INSN_COUNTS.read_text()) if INSN_COUNTS.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        plugin = build_count_plugin(Path(tmp))
        for name in names:
            spec = PROGRAMS[name]
            n = count_instructions(plugin, elf_path(name), program_argv(name, spec), program_env(spec),
                                   program_stdin(spec), HERE / spec.get("cwd", "."), Path(tmp))
            if n is None:
                counts.pop(name, None)
                print(f"count {name}: none (killed by a signal)")
            else:
                counts[name] = n
                print(f"count {name}: {n} instructions")
    counts = {n: counts[n] for n in PROGRAMS if n in counts}
    INSN_COUNTS.write_text(json.dumps(counts, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
