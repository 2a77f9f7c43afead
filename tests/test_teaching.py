"""Teaching environments (RARS/MARS and Venus system calls), programs that start at `main` and return
from it, `--teach`, and the explanations `rvsim run` gives for a trap.

Expected outputs are written by hand from the tools' documentation: RARS's system-call table (PrintInt
decimal, PrintIntHex 0x + 8 hex digits, PrintIntBinary 32 digits, PrintIntUnsigned, PrintFloat as
Java's Float.toString, ReadString with fgets semantics, Exit2) and the Venus wiki's table (number in a0,
argument in a1).
"""
import io
import subprocess
import sys
from pathlib import Path

import pytest

from rvsim import Machine
from rvsim.machine import StopReason
from rvsim.teaching import (RarsEnvironment, VenusEnvironment, format_bin, format_hex, format_unsigned,
                            java_float_string)

ROOT = Path(__file__).resolve().parent.parent


def run_asm(source: str, env_cls, stdin: bytes = b"", isa="rv64gc", max_insns=100_000):
    out, err = io.BytesIO(), []
    env = env_cls(stdin=io.BytesIO(stdin), stdout=out, warn=err.append)
    m = Machine(isa, env=env)
    m.load_asm(source, name="prog.s")
    info = m.run(max_insns)
    return info, out.getvalue().decode(), err


def rvsim(*args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "rvsim", *map(str, args)], input=stdin,
                          capture_output=True, cwd=ROOT)


RARS_IO = r"""
        .data
prompt: .asciiz "Enter a number: "
buf:    .space 16
        .text
        .globl main
main:
        li a7, 4            # PrintString
        la a0, prompt
        ecall
        li a7, 5            # ReadInt
        ecall
        mv s0, a0
        li a7, 1            # PrintInt
        slli a0, s0, 1
        ecall
        li a7, 11           # PrintChar
        li a0, '\n'
        ecall
        li a7, 8            # ReadString: at most 15 bytes and the NUL
        la a0, buf
        li a1, 16
        ecall
        li a7, 4
        la a0, buf
        ecall
        li a7, 17           # Exit2
        mv a0, s0
        ecall
        li a0, 99           # not reached
"""


def test_rars_print_and_read_int_and_string_and_exit2():
    info, out, err = run_asm(RARS_IO, RarsEnvironment, b"21\nhello world\nrest\n")
    assert out == "Enter a number: 42\nhello world\n"
    assert info.reason is StopReason.EXIT and info.exit_code == 21
    assert err == []


def test_rars_read_int_accepts_negative_and_surrounding_blanks():
    info, out, _ = run_asm(RARS_IO, RarsEnvironment, b"  -7 \nx\n")
    assert out == "Enter a number: -14\nx\n" and info.exit_code == (-7) & 0xFF


def test_rars_read_int_rejects_what_is_not_a_number():
    info, out, err = run_asm(RARS_IO, RarsEnvironment, b"forty\n")
    assert info.reason is StopReason.EXIT and info.exit_code == 1
    assert "invalid integer input `forty`" in err[0]


@pytest.mark.parametrize("size, line, stored", [
    (16, b"hi\n", b"hi\n\0"),                      # fits: the newline is kept
    (5, b"abcdefgh\n", b"abcd\0"),                 # n - 1 bytes, then the NUL
    (1, b"abc\n", b"\0"),                          # n = 1: only the NUL
])
def test_rars_read_string_has_fgets_semantics(size, line, stored):
    src = f"""
        .data
buf:    .fill 20, 1, 0x2e
        .text
main:   li a7, 8
        la a0, buf
        li a1, {size}
        ecall
        la a0, buf
        ret
"""
    out, env = io.BytesIO(), None
    env = RarsEnvironment(stdin=io.BytesIO(line), stdout=out)
    m = Machine("rv64gc", env=env)
    m.load_asm(src)
    m.run(1000)
    buf = m.symbols["buf"]
    assert m.read(buf, len(stored) + 1) == stored + b"."


def test_rars_number_formats():
    src = r"""
main:   li a7, 34
        li a0, -1
        ecall              # 0xffffffff
        li a7, 11
        li a0, ' '
        ecall
        li a7, 34
        li a0, 255
        ecall              # 0x000000ff
        li a7, 11
        li a0, ' '
        ecall
        li a7, 35
        li a0, 5
        ecall              # 32 binary digits
        li a7, 11
        li a0, ' '
        ecall
        li a7, 36
        li a0, -1
        ecall              # 4294967295
        li a7, 11
        li a0, ' '
        ecall
        li a7, 1
        li a0, -2147483648
        ecall
        li a7, 11
        li a0, ' '
        ecall
        li a7, 34
        li a0, 0x123456789
        ecall              # wider than 32 bits: all 64
        li a7, 10
        ecall
"""
    info, out, _ = run_asm(src, RarsEnvironment)
    assert out == ("0xffffffff 0x000000ff 00000000000000000000000000000101 4294967295 -2147483648 "
                   "0x0000000123456789")
    assert info.exit_code == 0


def test_rars_floats_print_as_java_and_read_back():
    src = r"""
        .data
f1:     .float 3.14
f2:     .float 1.0e10
f3:     .float 0.0001
d1:     .double 0.1
        .text
main:   li a7, 2
        la t0, f1
        flw fa0, 0(t0)
        ecall
        li a7, 11
        li a0, ' '
        ecall
        li a7, 2
        flw fa0, 4(t0)
        ecall
        li a7, 11
        li a0, ' '
        ecall
        li a7, 2
        flw fa0, 8(t0)
        ecall
        li a7, 11
        li a0, ' '
        ecall
        li a7, 3
        la t0, d1
        fld fa0, 0(t0)
        ecall
        li a7, 11
        li a0, ' '
        ecall
        li a7, 6          # ReadFloat
        ecall
        fadd.s fa0, fa0, fa0
        li a7, 2
        ecall
        li a7, 11
        li a0, ' '
        ecall
        li a7, 7          # ReadDouble
        ecall
        li a7, 3
        ecall
        li a7, 10
        ecall
"""
    info, out, _ = run_asm(src, RarsEnvironment, b"1.25\n-2.5e-5\n")
    assert out == "3.14 1.0E10 1.0E-4 0.1 2.5 -2.5E-5"


@pytest.mark.parametrize("value, single, text", [
    (1.0, True, "1.0"), (100.0, True, "100.0"), (1 / 3, True, "0.33333334"),
    (1 / 3, False, "0.3333333333333333"), (1e7, True, "1.0E7"), (9999999.0, False, "9999999.0"),
    (0.001, False, "0.001"), (0.000999, False, "9.99E-4"), (-0.0, True, "-0.0"),
    (float("inf"), True, "Infinity"), (float("-inf"), False, "-Infinity"), (float("nan"), True, "NaN"),
    (123456.7, True, "123456.7"), (1.0e-10, False, "1.0E-10"), (3.4028235e38, True, "3.4028235E38"),
])
def test_java_float_strings(value, single, text):
    assert java_float_string(value, single) == text


def test_wide_values_print_all_64_bits():
    assert format_hex(0xFFFF_FFFF_FFFF_FFFF) == "0xffffffff"          # -1 sign-extended: as RARS
    assert format_hex(0xFFFF_FFFF) == "0x00000000ffffffff"            # zero-extended: wider than 32
    assert format_bin(1 << 40) == "0" * 23 + "1" + "0" * 40
    assert len(format_bin(1 << 40)) == 64 and len(format_bin(-5)) == 32
    assert format_unsigned(-1) == "4294967295" and format_unsigned(1 << 32) == str(1 << 32)


def test_rars_sbrk_returns_aligned_heap_memory_that_can_be_used():
    src = r"""
main:   li a7, 9
        li a0, 10
        ecall
        mv s0, a0
        li t0, 1234
        sw t0, 0(s0)
        li a7, 9
        li a0, 8
        ecall
        mv s1, a0
        sub a0, s1, s0     # the second block follows the first, 8-byte aligned
        ret
"""
    out, err = io.BytesIO(), []
    m = Machine("rv64gc", env=RarsEnvironment(stdout=out, stdin=io.BytesIO(), warn=err.append))
    m.load_asm(src)
    info = m.run(1000)
    assert info.exit_code == 16
    assert m.x["s0"] % 8 == 0 and m.read(int(m.x["s0"]), 4) == (1234).to_bytes(4, "little")


def test_rars_random_is_deterministic_and_in_range():
    src = r"""
main:   li s1, 20
        li s2, 0
loop:   li a7, 42
        li a0, 0
        li a1, 6
        ecall
        bltz a0, bad
        li t0, 6
        bge a0, t0, bad
        add s2, s2, a0
        addi s1, s1, -1
        bnez s1, loop
        mv a0, s2
        ret
bad:    li a0, 255
        ret
"""
    first = run_asm(src, RarsEnvironment)[0].exit_code
    assert first != 255 and first == run_asm(src, RarsEnvironment)[0].exit_code


def test_rars_time_gives_milliseconds_in_a0_and_a1():
    src = "main: li a7, 30\n ecall\n ret\n"
    out = io.BytesIO()
    m = Machine("rv64gc", env=RarsEnvironment(stdout=out, stdin=io.BytesIO()))
    m.load_asm(src)
    m.run(100)
    ms = int(m.x["a0"]) | int(m.x["a1"]) << 32
    assert 1_700_000_000_000 <= ms < 1_700_000_001_000      # the deterministic clock's epoch


def test_rars_file_calls(tmp_path):
    src = r"""
        .data
name:   .asciz "out.txt"
text:   .ascii "written by RARS-style code\n"
        .text
main:   li a7, 1024        # Open for writing
        la a0, name
        li a1, 1
        ecall
        mv s0, a0
        li a7, 64          # Write
        la a1, text
        li a2, 27
        ecall
        mv s1, a0
        li a7, 57          # Close
        mv a0, s0
        ecall
        mv a0, s1
        ret
"""
    m = Machine("rv64gc", env=RarsEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO(), allow_dir=tmp_path))
    m.load_asm(src)
    assert m.run(1000).exit_code == 27
    assert (tmp_path / "out.txt").read_text() == "written by RARS-style code\n"


VENUS = r"""
        .data
hello:  .asciiz "Hello, Venus\n"
        .text
        .globl main
main:
        addi a0, x0, 4      # print_string
        la a1, hello
        ecall
        addi a0, x0, 1      # print_int
        addi a1, x0, -42
        ecall
        addi a0, x0, 11     # print_character
        addi a1, x0, 10
        ecall
        addi a0, x0, 34     # printHex
        addi a1, x0, 255
        ecall
        addi a0, x0, 9      # sbrk
        addi a1, x0, 16
        ecall
        sw a1, 0(a0)
        addi a0, x0, 17     # exit2
        addi a1, x0, 3
        ecall
"""


def test_venus_calls_take_the_number_in_a0():
    info, out, err = run_asm(VENUS, VenusEnvironment)
    assert out == "Hello, Venus\n-42\n0x000000ff"
    assert info.exit_code == 3 and err == []


def test_venus_exit_is_status_0_and_unknown_calls_are_reported_once():
    src = "main: li a0, 77\n ecall\n li a0, 77\n ecall\n li a0, 10\n ecall\n"
    info, out, err = run_asm(src, VenusEnvironment)
    assert info.exit_code == 0 and len(err) == 1 and "venus system call 77" in err[0]


@pytest.mark.parametrize("env", ["linux", "rars", "venus"])
def test_main_without_start_returns_its_status(env):
    src = """
helper: li a0, 99           # placed before main: must not run first
        ret
main:   addi sp, sp, -16
        sd ra, 8(sp)
        call helper
        addi a0, a0, -94    # 5
        ld ra, 8(sp)
        addi sp, sp, 16
        ret
"""
    m = Machine("rv64gc", env=env)
    m.load_asm(src)
    info = m.run(1000)
    assert info.reason is StopReason.EXIT and info.exit_code == 5


def test_main_gets_argc_and_argv():
    m = Machine("rv64gc")
    m.load_asm("main: ld a0, 8(a1)\n lbu a0, 0(a0)\n ret\n", argv=["prog", "Z"])
    assert m.run(100).exit_code == ord("Z")


def test_start_still_wins_over_main():
    m = Machine("rv64gc")
    m.load_asm("main: li a0, 1\n ret\n.globl _start\n_start: li a0, 2\n li a7, 93\n ecall\n")
    assert m.run(100).exit_code == 2


def test_linux_gives_a_one_time_hint_for_rars_and_venus_calls():
    err = []
    from rvsim.host import LinuxEnvironment
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO(), warn=err.append))
    m.load_asm("main: li a7, 4\n ecall\n li a7, 1\n ecall\n li a7, 10\n ecall\n li a0, 0\n ret\n")
    m.run(100)
    hints = [e for e in err if "--env rars" in e]
    assert len(hints) == 1 and "PrintString" in hints[0] and len(err) == 3
    err.clear()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO(), warn=err.append))
    m.load_asm("main: li a0, 4\n ecall\n li a0, 0\n ret\n")
    m.run(100)
    assert "--env venus" in err[0]


# ---------------------------------------------------------------------------------------- command line

def test_cli_env_rars_runs_a_rars_program(tmp_path):
    src = tmp_path / "io.s"
    src.write_text(RARS_IO)
    r = rvsim("run", "--env", "rars", src, stdin=b"5\nabc\n")
    assert r.stdout == b"Enter a number: 10\nabc\n" and r.returncode == 5, r.stderr
    linux = rvsim("run", src, stdin=b"5\nabc\n")
    assert b"--env rars" in linux.stderr


def test_cli_env_venus_and_env_variables_still_work(tmp_path):
    src = tmp_path / "v.s"
    src.write_text(VENUS)
    r = rvsim("run", src, "--env", "venus", "--env", "X=1")
    assert r.stdout.startswith(b"Hello, Venus\n-42\n") and r.returncode == 3
    bad = rvsim("run", src, "--env", "spim")
    assert bad.returncode == 2 and b"choose linux, rars or venus" in bad.stderr


def test_cli_teach_traps_misaligned_and_does_not_compress(tmp_path):
    src = tmp_path / "t.s"
    src.write_text("main:\n  la t0, main\n  lw a0, 2(t0)\n  li a0, 0\n  ret\n")
    assert rvsim("run", src).returncode == 0
    r = rvsim("run", "--teach", src)
    assert r.returncode == 125
    err = r.stderr.decode()
    assert "misaligned load" in err and f"in {src}:3: lw a0, 2(t0)" in err and "not a multiple" in err
    m = Machine("rv64gv", env="linux")
    from rvsim.teaching import isa_without_compression
    assert isa_without_compression("rv64gcv_zba") == "rv64gv_zba"
    prog = m.load_asm("main: li a0, 0\n ret\n", march=isa_without_compression("rv64gcv"))
    assert prog.section(".text").size == 8          # two 4-byte instructions


@pytest.mark.parametrize("body, line, hint", [
    ("  li a0, 1\n", None, "ran past the end of your code"),
    ("  li ra, 0\n  ret\n", None, "jumped to address 0"),
    ("  li t0, 16\n  sw zero, 0(t0)\n  ret\n", 3, "near 0"),
    ("  la t0, main\n  sw zero, 0(t0)\n  ret\n", 3, "read-only"),
])
def test_cli_explains_common_traps(tmp_path, body, line, hint):
    src = tmp_path / "bug.s"
    src.write_text("main:\n" + body)
    r = rvsim("run", src)
    err = r.stderr.decode()
    assert r.returncode == 125 and hint in err, err
    if line is not None:
        assert f"in {src}:{line}:" in err


def test_cli_warns_about_misaligned_data(tmp_path):
    src = tmp_path / "d.s"
    src.write_text('.data\nmsg: .asciiz "ab"\nval: .word 7\n.text\nmain: li a0, 0\n ret\n')
    r = rvsim("run", src)
    assert r.returncode == 0
    assert f"{src}:3:6: warning: misaligned .word".encode() in r.stderr and b".align 2" in r.stderr


def test_rars_environment_hints_at_venus_for_a_venus_program():
    info, out, err = run_asm("main: li a0, 1\n li a1, 5\n ecall\n li a0, 0\n ret\n", RarsEnvironment)
    assert out == "" and len(err) == 1 and "--env venus" in err[0] and "print_int" in err[0]


def test_cli_explains_a_return_from_start(tmp_path):
    src = tmp_path / "s.s"
    src.write_text(".globl _start\n_start:\n  li a0, 0\n  ret\n")
    r = rvsim("run", src)
    assert r.returncode == 125 and b"did `_start` return?" in r.stderr


from hypothesis import given, settings, strategies as st  # noqa: E402

_ARGS = st.sampled_from([0, 1, 5, 32, -1, 2**31 - 1, -2**31, 2**63, 2**64 - 1, 0x10000, 0x3FFFFFF0,
                         0x40000000, 1 << 40])


@settings(max_examples=60, deadline=None)
@given(calls=st.lists(st.tuples(st.sampled_from(sorted(__import__("rvsim.teaching_calls").teaching_calls.RARS_CALLS)
                                                + [0, 31, 999]), _ARGS, _ARGS), min_size=1, max_size=6),
       venus=st.booleans(), data=st.binary(max_size=40))
def test_any_call_with_any_arguments_ends_cleanly(calls, venus, data):
    """Whatever the numbers and pointers, a call prints, returns or ends the program: never a Python
    exception, never a host allocation the guest sized."""
    lines = []
    for number, a0, a1 in calls:
        if venus:
            lines += [f"li a0, {number}", f"li a1, {a1}"]
        else:
            lines += [f"li a7, {number}", f"li a0, {a0}", f"li a1, {a1}"]
        lines.append("ecall")
    lines += ["li a0, 0", "ret"]
    env_cls = VenusEnvironment if venus else RarsEnvironment
    out, err = io.BytesIO(), []
    m = Machine("rv64gc", env=env_cls(stdin=io.BytesIO(data), stdout=out, warn=err.append))
    m.load_asm("main:\n" + "\n".join(lines) + "\n")
    info = m.run(10_000)
    assert info.reason in (StopReason.EXIT, StopReason.TRAP)


def test_rars_environment_falls_back_to_linux_calls():
    src = '.data\nm: .ascii "ok\\n"\n.text\nmain: li a7, 172\n ecall\n mv s0, a0\n li a7, 64\n li a0, 1\n' \
          ' la a1, m\n li a2, 3\n ecall\n mv a0, s0\n li a7, 93\n ecall\n'
    info, out, err = run_asm(src, RarsEnvironment)
    assert out == "ok\n" and info.exit_code == 1000 & 0xFF and err == []      # getpid is 1000


def test_cli_teach_keeps_the_isa_of_a_compiled_elf():
    r = rvsim("run", "--teach", ROOT / "tests" / "programs" / "bin" / "exit_code.elf")
    assert r.returncode == 42, r.stderr


def test_rars_console_output_is_bounded_by_max_output(tmp_path):
    """An autograder's bound holds for the teaching calls too: a RARS program printing forever ends."""
    src = tmp_path / "chatty.s"
    src.write_text("        .data\nmsg:    .asciiz \"chatter!!\\n\"\n        .text\nmain:\n"
                   "        li a7, 4\n        la a0, msg\n        ecall\n        j main\n")
    r = rvsim("run", "--env", "rars", "--max-output", "1k", src)
    assert r.returncode == 125, r.stderr
    assert len(r.stdout) == 1024 and r.stdout.startswith(b"chatter!!\n")
    assert b"output limit reached" in r.stderr and b"Traceback" not in r.stderr


def test_environments_work_where_sys_stdout_has_no_buffer(monkeypatch):
    """Jupyter's and doctest's sys.stdout are text streams without .buffer."""
    captured = io.StringIO()
    monkeypatch.setattr(sys, "stdout", captured)
    for env in ("linux", "rars"):
        m = Machine("rv64gc", env=env)
        m.load_asm('main: li a7, 64\n li a0, 1\n la a1, s\n li a2, 3\n ecall\n li a0, 0\n ret\n'
                   '.data\ns: .ascii "ok\\n"\n')
        assert m.run(100).exit_code == 0
    assert captured.getvalue() == "ok\nok\n"


def test_environments_know_when_output_left_a_line_open():
    from rvsim.host import LinuxEnvironment
    for env_cls, src in ((RarsEnvironment, "main: li a7, 1\n li a0, 5\n ecall\n li a0, 0\n ret\n"),
                         (LinuxEnvironment, 'main: li a7, 64\n li a0, 1\n la a1, s\n li a2, 2\n ecall\n'
                                            ' li a0, 0\n ret\n.data\ns: .ascii "ab"\n')):
        env = env_cls(stdout=io.BytesIO(), stdin=io.BytesIO())
        m = Machine("rv64gc", env=env)
        m.load_asm(src)
        m.run(100)
        assert env.output_mid_line
    info, out, _ = run_asm("main: li a7, 11\n li a0, 10\n ecall\n li a0, 0\n ret\n", RarsEnvironment)
    assert out == "\n"


def test_cli_past_the_end_hint_names_the_environments_exit_call(tmp_path):
    src = tmp_path / "v.s"
    src.write_text("main:\n  addi a0 x0 1\n  addi a1 x0 5\n  ecall\n")
    r = rvsim("run", "--env", "venus", src)
    assert r.stdout == b"5" and b"li a0, 10 then ecall" in r.stderr
