"""RISC-V semihosting: a picolibc --oslib=semihost program (tests/semihosting/, committed ELF), and small
assembled programs for the parts of the protocol a libc seldom shows (WRITE0, EXIT_EXTENDED, unknown
calls, an ebreak that is not a semihosting call)."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from rvsim.asm import assemble
from rvsim.host import SemihostEnvironment
from rvsim.loader import read_elf
from rvsim.machine import Machine, StopReason

ROOT = Path(__file__).resolve().parents[1]
ELF = ROOT / "tests" / "semihosting" / "semihost_io.elf"


def run_elf(elf, argv, stdin=b"", allow_dir=None):
    out = io.BytesIO()
    m = Machine("rv64gc")
    m.env = SemihostEnvironment(stdin=io.BytesIO(stdin), stdout=out, stderr=out, allow_dir=allow_dir)
    m.load_elf(elf, argv=argv)
    info = m.run(max_instructions=50_000_000)
    return info, out.getvalue().decode()


def test_the_loader_recognises_a_semihosting_program():
    prog = read_elf(ELF)
    assert prog.semihosting and prog.bare_metal and prog.tohost is None
    # .data is loaded at its load address (LMA) for the startup code to copy
    assert any(s.load_address != s.vaddr for s in prog.segments)


def test_picolibc_program_console_cmdline_files_and_exit_code(tmp_path):
    info, out = run_elf(ELF, ["prog", "a", "b"], stdin=b"one\ntwo\n", allow_dir=tmp_path)
    assert info.reason is StopReason.EXIT and info.exit_code == 3     # argc > 2
    # SYS_GET_CMDLINE gives the whole command line; this picolibc puts its own argv[0] first
    assert out.splitlines()[0].endswith("[prog] [a] [b]")
    assert "stdin: one\nstdin: two\n" in out
    assert "to stderr\n" in out
    assert "file: written 42\n" in out                  # SYS_OPEN/WRITE/CLOSE/READ under allow_dir
    assert not any(tmp_path.iterdir())                   # SYS_REMOVE
    assert "clock advances: 1\n" in out
    assert "H(1000) = 7.485470860550\n" in out


def test_files_are_refused_without_an_allowed_directory():
    info, out = run_elf(ELF, ["prog"], stdin=b"x\ny\n")
    assert info.exit_code == 0 and "fopen failed" in out


def test_cli_runs_a_semihosting_program(tmp_path):
    r = subprocess.run([sys.executable, "-m", "rvsim", "run", "--allow-dir", str(tmp_path), str(ELF), "x"],
                       input=b"l1\nl2\n", capture_output=True, cwd=ROOT, timeout=120)
    assert r.returncode == 3, r.stderr          # picolibc's argv: its own name, the path, "x"
    assert b"file: written 42" in r.stdout and b"stdin: l2" in r.stdout


SEMIHOST = """
        .macro  semihost op, arg
        li      a0, \\op
        la      a1, \\arg
        .option push
        .option norvc
        .balign 16
        slli    x0, x0, 0x1f
        ebreak
        srai    x0, x0, 7
        .option pop
        .endm
"""


def _asm_machine(body: str, **env):
    out = io.BytesIO()
    m = Machine("rv64gc")
    m.env = SemihostEnvironment(stdout=out, stderr=out, warn=lambda msg: out.write(msg.encode() + b"\n"),
                                **env)
    m.load_elf(assemble(SEMIHOST + body, march="rv64gc").to_elf())
    return m, out


def test_write0_exit_extended_and_an_unknown_call():
    m, out = _asm_machine("""
        .globl _start
_start: semihost 0x04, msg                 # SYS_WRITE0
        semihost 0x99, msg                 # unknown: -1, named once
        mv      s1, a0
        semihost 0x20, block               # SYS_EXIT_EXTENDED (ApplicationExit, 7)
        .data
msg:    .asciz  "hello from write0\\n"
        .balign 8
block:  .dword  0x20026, 7
""")
    info = m.run(max_instructions=10_000)
    assert info.reason is StopReason.EXIT and info.exit_code == 7
    text = out.getvalue().decode()
    assert text.startswith("hello from write0\n")
    assert "semihosting call 0x99 is not implemented" in text
    assert int(m.x[9]) == 2**64 - 1


def test_a_plain_ebreak_is_the_guests_breakpoint_trap():
    m, out = _asm_machine("""
        .globl _start
        .option norvc
_start: la      t0, handler
        csrw    mtvec, t0
        ebreak                             # not a semihosting sequence
        li      s2, 1                      # the handler returns past the ebreak
        semihost 0x18, block               # SYS_EXIT (ApplicationExit, 5)
        .balign 4
handler:
        csrr    s1, mcause
        csrr    t1, mepc
        addi    t1, t1, 4
        csrw    mepc, t1
        mret
        .data
        .balign 8
block:  .dword  0x20026, 5
""")
    info = m.run(max_instructions=10_000)
    assert info.reason is StopReason.EXIT and info.exit_code == 5
    assert int(m.x[9]) == 3 and int(m.x[18]) == 1           # mcause = breakpoint, then resumed


def test_exit_with_another_reason_is_status_1():
    m, _ = _asm_machine("""
        .globl _start
_start: semihost 0x18, block
        .data
        .balign 8
block:  .dword  0x20023, 0               # RunTimeErrorUnknown (what abort() reports)
""")
    assert m.run(max_instructions=1000).exit_code == 1


@pytest.mark.parametrize("deterministic", [True, False])
def test_clock_and_elapsed(deterministic):
    m, _ = _asm_machine("""
        .globl _start
_start: li      t0, 1000
1:      addi    t0, t0, -1
        bnez    t0, 1b
        semihost 0x30, ticks               # SYS_ELAPSED
        semihost 0x31, ticks + 8           # SYS_TICKFREQ
        mv      s1, a0
        semihost 0x18, block
        .data
        .balign 8
ticks:  .dword  0, 0
block:  .dword  0x20026, 0
""", deterministic=deterministic)
    m.run(max_instructions=100_000)
    ticks = int.from_bytes(m.read(m.symbols["ticks"], 8), "little")
    assert int(m.x[9]) == 1_000_000_000
    if deterministic:
        assert 2000 <= ticks <= 2100        # one nanosecond per retired instruction
    else:
        assert ticks > 0
