"""The rvsim command line, run as a user would (a subprocess): exit statuses, messages, stats."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "tests" / "programs" / "bin"


def rvsim(*args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "rvsim", *map(str, args)], input=stdin,
                          capture_output=True, cwd=ROOT)


def test_guest_exit_code_and_output():
    r = rvsim("run", BIN / "exit_code.elf")
    assert r.returncode == 42


def test_options_after_the_program_and_arguments_after_double_dash(tmp_path):
    stats = tmp_path / "s.json"
    r = rvsim("run", BIN / "argv_env.elf", "first", "--stats", stats, "--", "-x", "--y")
    assert r.returncode == 0
    out = r.stdout.decode()
    assert "argc=4" in out and "argv[2]=[-x]" in out and "argv[3]=[--y]" in out
    data = json.loads(stats.read_text())
    assert data["stop"] == "exit" and data["exit_code"] == 0
    assert data["instructions"] > 1000 and data["seconds"] > 0 and "cycles" in data


def test_version_is_the_packages():
    """`rvsim --version` prints the version pip installed (pyproject reads it from rvsim/__init__.py)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    assert "version" in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dynamic"]
    from rvsim import __version__
    for flag in ("--version", "-V"):
        r = rvsim(flag)
        assert r.returncode == 0 and r.stdout.decode() == f"rvsim {__version__}\n"


def test_instruction_limit_is_a_simulator_failure():
    r = rvsim("run", "--max-insns", 100, BIN / "recursion.elf")
    assert r.returncode == 125
    assert b"instruction limit (100) reached at pc 0x" in r.stderr


def test_unhandled_trap_names_cause_pc_and_instruction(tmp_path):
    src = tmp_path / "wild.s"
    src.write_text(".globl _start\n_start:\n  li a0, 8\n  ld a1, 0(a0)\n")
    r = rvsim("run", src)
    assert r.returncode == 125
    err = r.stderr.decode()
    assert "unhandled trap: load access (address 0x8) at pc 0x" in err
    assert "ld\ta1,0(a0)" in err


def test_bad_program_files_exit_126(tmp_path):
    junk = tmp_path / "junk.elf"
    junk.write_bytes(b"\x7fELF" + b"\0" * 10)
    for path in (junk, tmp_path / "missing.elf", "/bin/sh"):
        r = rvsim("run", path)
        assert r.returncode == 126, path
        assert r.stderr.startswith(b"rvsim: ")
        assert b"Traceback" not in r.stderr


def test_assembly_errors_exit_1_without_traceback(tmp_path):
    src = tmp_path / "bad.s"
    src.write_text("addi a0, a0, 5000\n")
    r = rvsim("run", src)
    assert r.returncode == 1
    assert b"bad.s:1:14: error: immediate 5000 out of range" in r.stderr
    assert b"Traceback" not in r.stderr


def test_trace_prints_a_commit_log():
    r = rvsim("run", "--trace", "--max-insns", 5, BIN / "exit_code.elf")
    lines = r.stderr.decode().splitlines()
    assert lines[0].startswith("core   0: 0 0x") and len([x for x in lines if x.startswith("core")]) == 5


def test_stdin_reaches_the_program():
    r = rvsim("run", BIN / "stdin_upper.elf", stdin=b"hello\nworld\n")
    assert b"HELLO" in r.stdout and r.returncode == 0


def test_disasm_and_asm_commands(tmp_path):
    src = tmp_path / "p.s"
    src.write_text(".globl _start\n_start:\n  li a0, 3\n  li a7, 93\n  ecall\n")
    out = tmp_path / "p.elf"
    assert rvsim("asm", src, "-o", out).returncode == 0
    assert rvsim("run", out).returncode == 3
    listing = rvsim("disasm", out).stdout.decode()
    assert "<_start>:" in listing and "ecall" in listing


def test_bare_metal_elf_stops_through_tohost(tmp_path):
    """A program that defines tohost runs bare-metal (HTIF), not as a Linux process."""
    from rvsim.asm import assemble
    src = """
    .globl _start
_start:
    la t0, tohost
    li t1, (5 << 1) | 1          # exit code 5
    sd t1, 0(t0)
1:  j 1b
    .data
    .p2align 3
    .globl tohost
tohost: .dword 0
fromhost: .dword 0
"""
    elf = tmp_path / "bare.elf"
    elf.write_bytes(assemble(src).to_elf())
    r = rvsim("run", elf)
    assert r.returncode == 5, r.stderr


def test_environment_is_empty_unless_given():
    import os
    bare = rvsim("run", BIN / "argv_env.elf").stdout.decode()
    assert "envc=0" in bare
    given = rvsim("run", "-E", "RVSIM_TEST=hello", "--env", "EMPTY=", BIN / "argv_env.elf").stdout.decode()
    assert "getenv(RVSIM_TEST)=hello" in given and "getenv(EMPTY)=[]" in given and "envc=2" in given
    inherited = subprocess.run([sys.executable, "-m", "rvsim", "run", "--host-env", "-E", "EMPTY=x",
                                str(BIN / "argv_env.elf")], capture_output=True, cwd=ROOT,
                               env=dict(os.environ, RVSIM_TEST="from-host")).stdout.decode()
    assert "getenv(RVSIM_TEST)=from-host" in inherited and "getenv(EMPTY)=[x]" in inherited
