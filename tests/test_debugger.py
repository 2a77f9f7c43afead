"""rvsim debug: scripted sessions (--batch -x SCRIPT / -ex CMD) over every command, asserting on the
values printed.  The expected values come from the programs' own arithmetic (fact(5) = 120, the
addresses the assembler gives the labels), not from the simulator."""
import os
import re
import sys
from pathlib import Path

import pytest

from rvsim.cli import main

HERE = Path(__file__).resolve().parent
FACT = str(HERE / "debugger" / "fact.s")
LOOP = str(HERE / "debugger" / "loop.s")
VEC = str(HERE / "debugger" / "vec.s")
FLOAT = str(HERE / "debugger" / "float.s")
ELF = str(HERE / "programs" / "bin" / "recursion.elf")


def debug(capfd, program, commands, *options, status=None):
    """Run `rvsim debug PROGRAM --batch -ex CMD...` in-process; returns its stdout (the program's
    output included, as a student sees it)."""
    argv = ["debug", program, "--batch", *options]
    for cmd in commands.strip().splitlines():
        argv += ["-ex", cmd.strip()]
    rc = main(argv)
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    if status is not None:
        assert rc == status
    return out


def test_a_vector_store_is_shown_as_words(capfd, tmp_path):
    """A store of more than 8 bytes lists its words (x/Nxw's order), not one 32-byte number."""
    src = tmp_path / "vstore.s"
    src.write_text("""
        .globl _start
_start: vsetivli t0, 8, e32, m2, ta, ma
        vid.v v2
        vadd.vi v2, v2, 15
        la a0, buf
        vse32.v v2, (a0)
done:   li a0, 0
        li a7, 93
        ecall
        .data
buf:    .zero 32
""")
    out = debug(capfd, str(src), """
        break done
        continue
    """, "--isa", "rv64gcv")
    words = ", ".join(f"{15 + i:#x}" for i in range(8))
    assert "<buf>] (32 bytes): {" + ", ".join(["0x0"] * 8) + "} -> {" + words + "}" in out


def fact_symbols():
    from rvsim.asm import assemble_files
    return assemble_files([FACT]).symbol_map


def test_break_continue_backtrace_and_finish(capfd):
    out = debug(capfd, FACT, """
        break fact if a0 == 1
        info breakpoints
        continue
        backtrace
        finish
        finish
        p $
        continue
    """, status=120)
    addr = fact_symbols()["fact"]
    assert f"Breakpoint 1 at {addr:#x}: file {FACT}, line 26." in out
    assert "\tstop only if a0 == 1" in out
    assert f"Breakpoint 1, fact () at {FACT}:26" in out
    frames = [ln for ln in out.splitlines() if ln.startswith("#")]
    # fact(5) -> fact(4) -> ... -> fact(1): five fact frames, then _start
    assert len(frames) == 6 and all(" fact () at " in f for f in frames[:5])
    assert frames[5].startswith("#5  0x") and " in _start () at " in frames[5]
    assert out.count("Run till exit from #0  fact () at") == 2
    assert "Value returned is $1 = 1" in out      # fact(1)
    assert "Value returned is $2 = 2" in out      # fact(2)
    assert "$3 = 2" in out
    assert "fact(5) = \n[Inferior 1 (process 1) exited with code 170]" in out    # gdb: octal
    assert "(exit status 120, " in out


def test_step_next_stepi_nexti_until_advance(capfd):
    out = debug(capfd, FACT, """
        next
        next
        p $a0
        step
        stepi
        nexti 2
        until
        advance 20
        p $a1
        info line
    """)
    lines = out.splitlines()
    # next over `call fact` (an auipc + jalr pair) lands after it with a0 = 120
    assert "12\t        mv      s1, a0" in lines
    assert "$1 = 120" in out
    assert "13\t        la      t0, counter" in lines
    assert "  * a0: 0x5 -> 0x78 (5 -> 120)" in lines
    # la is two instructions: stepi stops in the middle of line 13 and says where
    assert any(re.fullmatch(r"0x[0-9a-f]{16}\t13\t.*la\s+t0, counter", ln) for ln in lines)
    assert "15\t        lw      t1, 0(t0)" in lines        # nexti 2: the rest of la, then sw
    assert f"  * [{fact_symbols()['counter']:#x} <counter>] (4 bytes): 0x0 -> 0x78 (0 -> 120)" in lines
    assert "16\t        li      a0, 1" in lines             # until: the next line
    assert "20\t        ecall" in lines                     # advance 20
    assert f"$2 = {fact_symbols()['msg']}" in lines
    assert f"Line 20 of \"{FACT}\" starts at address" in out


def test_next_steps_over_calls_and_step_enters_them(capfd):
    out = debug(capfd, FACT, "step\nstep\nbt 1\n")
    assert f"fact () at {FACT}:26" in out
    assert "(More stack frames follow...)" in out


def test_print_expressions_and_formats(capfd):
    out = debug(capfd, FACT, """
        stepi
        p $a0
        p a0 * 2 + 1
        p/x 255
        p/t 10
        p/o 8
        p/c 65
        p/d 0xffffffff
        p/u -1
        p 7 / 2
        p -7 / 2
        p -7 % 3
        p 1.5 * 2
        p 10 > 3 && 2 < 1
        p counter
        p &counter
        p arr[2]
        p *(int *)&arr + arr[4]
        p $pc
        p $1 + $2
        p $$2
        set $k = 6
        p $k * 7
        p sizeof(long)
        p (char)66
        p/x -1
        output 5 + 5
    """)
    syms = fact_symbols()
    expect = ["$1 = 5", "$2 = 11", "$3 = 0xff", "$4 = 1010", "$5 = 010", "$6 = 65 'A'", "$7 = -1",
              "$8 = 4294967295", "$9 = 3", "$10 = -3", "$11 = -1", "$12 = 3", "$13 = 0",
              "$14 = 0", f"$15 = (int *) {syms['counter']:#x} <counter>", "$16 = 3", "$17 = 6",
              f"$18 = (void (*)()) {syms['_start'] + 2:#x} <_start+2>", "$19 = 16", "$20 = 6",
              "$21 = 42", "$22 = 8", "$23 = 66 'B'", "$24 = 0xffffffff"]
    for e in expect:
        assert e in out.splitlines(), e
    assert out.rstrip().endswith("10")


def test_x_examines_memory_as_gdb(capfd):
    out = debug(capfd, FACT, """
        x/4dw arr
        x/2xw &arr
        x/s msg
        x/3i $pc
        x/2gx $sp
        x/4xb msg
        x/2c msg
        x
        x 0
        x 4096
    """)
    arr = fact_symbols()["arr"]
    msg = fact_symbols()["msg"]
    lines = out.splitlines()
    assert f"{arr:#x} <arr>:\t1\t2\t3\t4" in lines
    assert f"{arr:#x} <arr>:\t0x00000001\t0x00000002" in lines
    assert f'{msg:#x} <msg>:\t"fact(5) = "' in lines
    assert any(ln.startswith("=> 0x") and "<_start>:\tli\ta0,5" in ln for ln in lines)
    assert f"{msg:#x} <msg>:\t0x66\t0x61\t0x63\t0x74" in lines      # "fact"
    assert f"{msg:#x} <msg>:\t102 'f'\t97 'a'" in lines
    assert f"{msg + 2:#x} <msg+2>:\t99 'c'" in lines               # x again continues
    # a decimal number after x is an address, and an unmapped one is reported as gdb does
    assert "Cannot access memory at address 0x0" in lines
    assert "Cannot access memory at address 0x1000" in lines


def test_set_var_registers_and_memory(capfd):
    out = debug(capfd, FACT, """
        set var $a1 = 0x1234
        p $a1
        set var a2 = -2
        p/x $a2
        set var counter = 99
        p counter
        set var arr[1] = -3
        p arr[1]
        p/u arr[1]
        set var *(short *)&arr = 7
        x/2dw arr
        set var $pc = fact
        p $pc
    """)
    fact = fact_symbols()["fact"]
    arr = fact_symbols()["arr"]
    assert "$1 = 4660" in out and "$2 = 0xfffffffffffffffe" in out and "$3 = 99" in out
    assert "$4 = -3" in out and "$5 = 4294967293" in out
    assert f"{arr:#x} <arr>:\t7\t-3" in out
    assert f"$6 = (void (*)()) {fact:#x} <fact>" in out


def test_watchpoints_on_memory_and_registers(capfd):
    out = debug(capfd, FACT, """
        watch counter
        rwatch *(int *)&counter
        continue
        continue
        delete
        watch $s1
        info watchpoints
        reverse-stepi
        continue
    """)
    assert "Hardware watchpoint 1: counter" in out
    assert "Hardware read watchpoint 2: *(int *)&counter" in out
    assert "Old value = 0\nNew value = 120" in out
    assert "Hardware read watchpoint 2: *(int *)&counter\n\nValue = 120" in out
    assert "Watchpoint 3: $s1" in out
    assert "3       hw watchpoint   keep y" in out


def test_access_watchpoint_and_array_element(capfd):
    out = debug(capfd, FACT, """
        set var arr[2] = 0
        awatch arr[2]
        info breakpoints
        watch arr[2]
        set var arr[2] = 5
        stepi
    """)
    assert "Hardware access (read/write) watchpoint 1: arr[2]" in out
    assert "acc watchpoint" in out


def test_display_and_undisplay(capfd):
    out = debug(capfd, FACT, """
        display $a0
        display/x $sp
        display/i $pc
        info display
        stepi
        undisplay 2
        stepi
        undisplay
        info display
    """)
    assert "1: $a0 = 0" in out and "1: $a0 = 5" in out
    assert re.search(r"2: /x \$sp = 0x[0-9a-f]+", out)
    assert "3: x/i $pc\n=> 0x" in out
    assert "Auto-display expressions now in effect:" in out
    assert "There are no auto-display expressions now." in out
    assert out.count("2: /x $sp =") == 2          # shown when made and at the first stepi


def test_tbreak_condition_ignore_disable_enable_delete(capfd):
    out = debug(capfd, FACT, """
        tbreak fact
        break fact
        condition 2 a0 == 3
        continue
        info breakpoints
        continue
        p $a0
        condition 2
        ignore 2 1
        continue
        p $a0
        disable 2
        break done
        continue
        enable 2
        delete 3
        continue 2
        p $a0
        delete 2
        info breakpoints
    """)
    assert "Temporary breakpoint 1, fact ()" in out
    assert "Breakpoint 2 now unconditional." in out
    assert "Will ignore next 1 crossings of breakpoint 2." in out
    assert "$1 = 3" in out and "$2 = 1" in out
    assert "Breakpoint 3, fact ()" in out
    assert "No breakpoints or watchpoints." in out


def test_info_registers_frame_symbol_all_registers(capfd):
    out = debug(capfd, FACT, """
        stepi
        info registers a0 sp pc
        info registers
        info all-registers
        info frame
        info symbol $pc
        info symbol 0
    """)
    lines = out.splitlines()
    assert "a0             0x5                5" in lines
    assert any(re.fullmatch(r"sp             0x[0-9a-f]+ +0x[0-9a-f]+", ln) for ln in lines)
    assert any(ln.startswith("pc             0x") and "<_start+2>" in ln for ln in lines)
    assert any(ln.startswith("t6 ") for ln in lines) and any(ln.startswith("ft11 ") for ln in lines)
    assert any(ln.startswith("vtype ") for ln in lines)
    assert "Stack level 0, frame at 0x" in out
    assert "_start + 2 in section .text" in out
    assert "No symbol matches 0." in out


def test_info_registers_in_signed_decimal(capfd):
    out = debug(capfd, FACT, "set var $t3 = -5\ninfo registers t3\n")
    assert "t3             0xfffffffffffffffb -5" in out


def test_info_vector_shows_elements_at_sew(capfd):
    out = debug(capfd, VEC, "stepi 3\ninfo vector\np $v2\n")
    assert "vl = 4, vtype = 0xd0 (e32, m1, ta, ma), vlenb = 32, vstart = 0" in out
    assert "v2      {10, 11, 12, 13 | 0, 0, 0, 0}" in out
    assert "  * v1: {0, 0, 0, 0, 0, 0, 0, 0} -> {0, 1, 2, 3, 0, 0, 0, 0}" in out
    assert "$1 = {10, 11, 12, 13, 0, 0, 0, 0}" in out


VECTOR_FP = """\
    .data
arr: .float 1.5, 2.25, -3.0, 4.0
halves: .half 0x3c00, 0xc100, 0x3555, 0x7c00
    .text
    .globl main
main:
    la a0, arr
    la a1, halves
    vsetivli t0, 4, e32, m1, ta, ma
    vle32.v v1, (a0)
    vfadd.vv v2, v1, v1
    vfcvt.rtz.x.f.v v3, v2
    vsetivli t0, 4, e16, mf2, ta, ma
    vle16.v v4, (a1)
    vfwcvt.f.f.v v6, v4
    li a0, 0
    ret
"""


def test_vector_fp_registers_show_floats(capfd, tmp_path):
    """What a vector FP instruction wrote is shown as floats (at twice SEW for a widening one, as
    integers for a conversion to integers); p/f and info vector /f show any register as floats."""
    src = tmp_path / "vf.s"
    src.write_text(VECTOR_FP)
    out = debug(capfd, str(src), "break 11\nrun\nstepi\nstepi\np/f $v2\np/x $v2\ninfo vector /f v2 v1\n"
                                 "reverse-stepi\nstepi 3\nstepi\np/f $v4\np/c $v2\ninfo vector /q\ninfo vector v40\n",
                "--isa", "rv64gcv_zvfh")
    assert "  * v2: {0, 0, 0, 0, 0, 0, 0, 0} -> {3, 4.5, -6, 8, 0, 0, 0, 0}" in out
    # vfcvt.rtz.x.f.v truncates to integers: 3, 4, -6, 8
    assert "  * v3: {0, 0, 0, 0, 0, 0, 0, 0} -> {3, 4, -6, 8, 0, 0, 0, 0}" in out
    assert "$1 = {3, 4.5, -6, 8, 0, 0, 0, 0}" in out
    assert "$2 = {0x40400000, 0x40900000, 0xc0c00000, 0x41000000, 0x0, 0x0, 0x0, 0x0}" in out
    assert "v1      {1.5, 2.25, -3, 4 | 0, 0, 0, 0}" in out
    assert "v2      {3, 4.5, -6, 8 | 0, 0, 0, 0}" in out
    # going back over vfcvt: v3 is shown as it was written (integers)
    assert "  * v3: {3, 4, -6, 8, 0, 0, 0, 0} -> {0, 0, 0, 0, 0, 0, 0, 0}" in out
    # halves 1, -2.5, 0x3555 (0.33325), inf; widened to singles by vfwcvt.f.f.v (SEW 16 -> 32)
    assert "  * v6: {0, 0, 0, 0, 0, 0, 0, 0} -> {1, -2.5, 0.33325195, inf, 0, 0, 0, 0}" in out
    assert "$3 = {1, -2.5, 0.3333, inf, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}" in out
    assert 'Undefined output format "c" for vector registers' in out
    assert 'Undefined output format "q" for vector registers' in out
    assert "Invalid vector register `v40' (v0 ... v31)." in out


def test_floating_point_registers(capfd):
    out = debug(capfd, FLOAT, "stepi 4\np $fa1\np $fa0 * 3\nx/fg &half\ninfo registers fa0\n")
    assert "$1 = 1" in out and "$2 = 1.5" in out
    assert "  * fa0: 0x0 -> 0x3fe0000000000000 (0 -> 0.5)" in out
    assert "<half>:\t0.5" in out
    assert "fa0            0.5                (raw 0x3fe0000000000000)" in out


def test_list_and_disassemble(capfd):
    out = debug(capfd, FACT, """
        list fact
        list
        list 3
        list fact.s:30
        disassemble
        disassemble /r fact
    """)
    lines = out.splitlines()
    assert "26\t        addi    sp, sp, -16" in lines
    assert "30\t        ble     a0, t1, base" in lines
    assert "3\tmsg:    .string \"fact(5) = \"" in lines
    assert "Dump of assembler code for function _start:" in lines
    assert "Dump of assembler code for function fact:" in lines
    assert any(re.fullmatch(r"=> 0x0*[0-9a-f]+ <\+0>:\tli\ta0,5", ln) for ln in lines)
    assert any(re.fullmatch(r"   0x0*[0-9a-f]+ <\+2>:\t06 e4\tsd\tra,8\(sp\)", ln) for ln in lines)
    assert lines.count("End of assembler dump.") == 2


def test_reverse_execution(capfd):
    out = debug(capfd, FACT, """
        break done
        continue
        p $a0
        reverse-stepi
        p $a0
        reverse-step
        reverse-next
        reverse-finish
        p $a0
        reverse-continue
        reverse-continue
        p $a0
        stepi
        p $a0
    """)
    assert "$1 = 1" in out                   # at done after base: a0 = 1
    assert "$2 = 1" in out
    assert "Run back to call of #0  fact () at" in out
    assert "$3 = 1" in out                   # the call of fact(1) is made with a0 = 1
    assert "No more reverse-execution history." in out
    assert "$4 = 0" in out and "$5 = 5" in out


def test_going_forward_again_does_not_repeat_the_output(capfd):
    # back over the write system call and forward again: it is replayed, not made a second time
    out = debug(capfd, FACT, """
        break 22
        continue
        reverse-stepi 4
        continue
    """)
    assert out.count("Breakpoint 1, ") == 2
    assert out.count("fact(5) = ") == 1
    assert "going forward again replays its system calls" in out


def test_reverse_continue_stops_at_breakpoints(capfd):
    out = debug(capfd, FACT, """
        break base
        break fact if a0 == 2
        continue
        continue
        p $a0
        reverse-continue
        p $a0
    """)
    assert "Breakpoint 1, fact () at" in out          # base: fact(1)
    assert out.count("Breakpoint 2, fact () at") == 2   # forward, then backward to fact(2)
    assert "$1 = 1" in out and "$2 = 2" in out


def test_continue_lists_the_memory_it_wrote_most_recent_first(capfd):
    from rvsim.asm import assemble_files
    stores = str(HERE / "debugger" / "stores.s")
    base = assemble_files([stores]).symbol_map["squares"]
    out = debug(capfd, stores, """
        break done
        continue
    """)
    lines = out.splitlines()
    # squares[i] = i * i for i = 0..11: square 0 rewrites a 0 (no change), the eleven others are
    # listed, the last ten written first, then a count of the rest
    for i in range(11, 1, -1):
        where = f"{base + 4 * i:#x} <squares+{4 * i}>"
        assert f"  * [{where}] (4 bytes): 0x0 -> {i * i:#x} (0 -> {i * i})" in lines, i
    assert "  * ... and 1 more memory location written" in lines
    assert not any("<squares+4>]" in ln for ln in lines)
    listed = [ln for ln in lines if "<squares+" in ln]
    assert listed[0].startswith(f"  * [{base + 44:#x}") and listed[-1].startswith(f"  * [{base + 8:#x}")


def test_no_record_disables_reverse(capfd):
    out = debug(capfd, FACT, "stepi\nreverse-stepi\n", "--no-record")
    assert "recording is off" in out


def test_errors_are_one_line_never_tracebacks(capfd):
    """The issue's list: each bad command gets one line of gdb-style error."""
    cases = {
        "delete 99": "No breakpoint number 99.",
        "list nosuch": 'Function "nosuch" not defined.',
        "set pc fact": "A syntax error in expression, near `fact'",
        "set t0 0xzz": 'Invalid number "0xzz".',
        "x 0": "Cannot access memory at address 0x0",
        "x 4096": "Cannot access memory at address 0x1000",
        "step -1": "step: the count must be at least 1 (to go back, use reverse-step).",
        "frobnicate": 'Undefined command: "frobnicate".  Try "help".',
        "p nosuch": 'No symbol "nosuch" in current context.',
        "p 1 +": "A syntax error in expression, near `'.",
        "p 1/0": "Division by zero",
        "break nosuch": 'Function "nosuch" not defined.',
        "info registers q9": "Invalid register `q9'",
        "info nothing": 'Undefined info command: "nothing".  Try "help info".',
        "x/4q $sp": 'Undefined output format "q".',
        "finish": '"finish" not meaningful in the outermost frame.',
        "break nowhere.s:3": "No source file named nowhere.s.",
        "condition 7 a0": "No breakpoint number 7.",
        "p *(int *)0": "Cannot access memory at address 0x0",
    }
    for cmd, message in cases.items():
        out = debug(capfd, FACT, cmd)
        assert out.strip().splitlines() == [message] or out.strip().startswith(message), (cmd, out)
        assert len(out.strip().splitlines()) == 1, (cmd, out)
    out = debug(capfd, FACT, "info registers\ndelete\n")
    assert "a0             0x0                0" in out


def test_break_line_on_an_elf_is_an_error_and_star_decimal_is_an_address(capfd):
    from rvsim.loader import read_elf
    main_addr = read_elf(ELF).symbols["main"]
    out = debug(capfd, ELF, f"break 38\nbreak *{main_addr}\ncontinue\nbt\nx/2i $pc\n")
    assert "No line 38 in this program: it has no line information" in out
    assert f"Breakpoint 1 at {main_addr:#x}." in out
    assert f"Breakpoint 1, 0x{main_addr:016x} in main ()" in out
    assert "#1  0x" in out and "in __rt_start_c ()" in out and " in _start ()" in out


def test_help_describes_every_command(capfd):
    from rvsim.debug.repl import COMMANDS
    script = "help\n" + "".join(f"help {name}\n" for name in COMMANDS)
    out = debug(capfd, FACT, script)
    for name, (_, usage, _) in COMMANDS.items():
        assert f"Usage: {usage}" in out
        assert f" {name}" in out.split("Usage:")[0]


def test_program_output_never_shares_a_line_with_the_debugger(capfd):
    out = debug(capfd, FACT, "break 22\ncontinue\nstepi\np 1\n")
    # the program writes "fact(5) = " with no newline; the debugger's next line starts a new line
    assert "fact(5) = \n" in out
    assert "fact(5) = $" not in out and "fact(5) = 2" not in out


def test_debug_help_lists_the_debugger_options(capfd):
    with pytest.raises(SystemExit):
        main(["debug", "--help"])
    out = capfd.readouterr().out
    for option in ("--batch", "-x SCRIPT", "-ex COMMAND", "--no-record", "--timing"):
        assert option in out


def test_x_script_file_and_exit_status(tmp_path, capfd):
    script = tmp_path / "cmds.gdb"
    script.write_text("break fact\ncontinue\np $a0\ncontinue 5\ncontinue\n")
    main_status = main(["debug", FACT, "--batch", "-x", str(script)])
    out = capfd.readouterr().out
    assert "$1 = 5" in out
    assert "Will ignore next 4 crossings of breakpoint 1.  Continuing." in out
    assert main_status == 120


def test_with_timing_each_stop_reports_cycles(capfd):
    out = debug(capfd, FACT, "break fact\ncontinue\nstepi\nreverse-stepi\nstepi\n", "--timing", "teach")
    found = re.findall(r"\(cycle (\d+): \d+ instructions?, (\d+) cycles? since the last stop\)", out)
    assert len(found) == 3
    assert int(found[1][1]) >= 1 and int(found[1][0]) == int(found[0][0]) + int(found[1][1])
    # going back takes the model back: the clock returns to the breakpoint's, and stepping again
    # counts the same cycles as the first time
    back = re.findall(r"\(cycle (\d+): went back 1 instruction, (\d+) cycles?\)", out)
    assert back == [(found[0][0], found[1][1])]
    assert found[2] == found[1]


def test_ctrl_c_during_continue_returns_to_the_prompt():
    import pexpect      # in the test extra: the pty is the only way to press Ctrl-C
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    child = pexpect.spawn(sys.executable, ["-m", "rvsim", "debug", LOOP], env=env, encoding="utf-8",
                          timeout=30, dimensions=(40, 200))
    try:
        child.expect(r"\(rvsim\)")
        child.sendline("continue")
        child.expect("Continuing.")
        child.expect(pexpect.TIMEOUT, timeout=0.5)      # let it spin
        child.sendintr()
        child.expect("Program received signal SIGINT, Interrupt.")
        child.expect(r"\(rvsim\)")
        child.sendline("p $t0 > 1000")
        child.expect(r"\$1 = 1")
        child.sendline("quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_the_engine_has_no_terminal_a_web_page_can_drive_it():
    """DebugSession + CommandInterpreter: structured results, the program's output inside the event."""
    import io
    from rvsim.asm import assemble_files
    from rvsim.debug import CommandInterpreter, DebugSession
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine
    prog = assemble_files([FACT])
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=io.BytesIO()))
    m.load_elf(prog.to_elf())
    session = DebugSession(m, prog, echo_output=False)
    cli = CommandInterpreter(session)
    assert cli.execute("break fact").lines[0].startswith("Breakpoint 1 at ")
    result = cli.execute("continue")
    ev = result.event
    assert result.lines == ["Continuing."]
    assert (ev.reason, ev.breakpoint, ev.function, ev.line) == ("breakpoint", 1, "fact", 26)
    assert {c.location: (c.old, c.new) for c in ev.changes}["a0"] == (0, 5)
    assert cli.execute("p $a0 * 3").lines == ["$1 = 15"]
    assert cli.execute("bogus").error
    cli.execute("delete")
    ev = cli.execute("continue").event
    assert ev.finished and ev.exit_code == 120 and ev.output == b"fact(5) = "
    assert cli.execute("quit").quit


def test_reverse_next_steps_back_over_a_whole_call(capfd):
    out = debug(capfd, FACT, "next\nnext\np $a0\nreverse-next\np $a0\nreverse-next\np $a0\n")
    lines = out.splitlines()
    assert "$1 = 120" in lines
    assert lines[lines.index("$1 = 120") + 1] == "11\t        call    fact"
    assert "$2 = 5" in lines and "$3 = 0" in lines


def test_reverse_continue_stops_at_a_watchpoint_going_back(capfd):
    out = debug(capfd, FACT, "watch counter\ncontinue\ncontinue\nreverse-continue\np counter\np $pc\n")
    assert "Old value = 0\nNew value = 120" in out
    assert "Old value = 120\nNew value = 0" in out       # the same store, seen backwards
    assert "$1 = 0" in out


def test_watch_an_address_through_a_cast_and_disassemble_a_range(capfd):
    syms = fact_symbols()
    counter = syms["counter"]
    out = debug(capfd, FACT, f"""
        watch *(int *){counter:#x}
        continue
        p $pc
        disassemble fact,+6
        enable once 1
        info breakpoints
    """)
    assert f"Hardware watchpoint 1: *(int *){counter:#x}" in out
    assert "Old value = 0\nNew value = 120" in out
    assert f"Dump of assembler code from {syms['fact']:#x} to {syms['fact'] + 6:#x}:" in out
    assert re.search(r"   0x0*%x <fact>:\taddi?\tsp,sp,-16" % syms["fact"], out)
    assert re.search(r"1       hw watchpoint   dis  y", out)


def test_a_fatal_trap_stops_the_program_for_inspection(capfd):
    null = str(HERE / "debugger" / "null.s")
    out = debug(capfd, null, "continue\np $a0\nbacktrace\ncontinue\nreverse-stepi\np $a0\nnext\n")
    lines = out.splitlines()
    assert "Program received a trap it cannot handle: load access (tval 0x0)." in lines
    assert "6\t        lw      t1, 0(t0)" in lines
    assert "$1 = 7" in lines
    assert "The program stopped on a trap it cannot handle (load access at pc 0x100b4): look around, " \
           "or go back with reverse-step / reverse-continue." in lines
    # the load never retired, so one step back undoes `li a0, 7`, the last instruction that did
    back = lines.index("$2 = 0")
    assert "5\t        li      a0, 7" in lines[lines.index("$1 = 7"):back]
    assert "Continuing." not in lines[lines.index("$1 = 7"):]


# Recursion through a function with a variable-length array (gcc -O2 -fomit-frame-pointer): sp moves
# by an amount known only at run time, so reading the prologue cannot find the saved ra; the call
# stack comes from the recorded calls and returns (the spec's return-address-stack hints).
RECURSIVE_VLA = r"""
static volatile int sink;

__attribute__((noinline)) int leaf(int x)
{
    sink += x;
    return sink;
}

__attribute__((noinline)) int down(int n)
{
    volatile char buf[n + 16];
    buf[n] = (char)n;
    int r = n ? down(n - 1) : leaf(buf[n]);
    return r + buf[n];
}

int main(void)
{
    return down(3) & 0x7f;
}

void _start(void) __attribute__((naked, noreturn));
void _start(void)
{
    __asm__ volatile(".option push\n.option norelax\nla gp, __global_pointer$\n.option pop\n"
                     "call main\nli a7, 93\necall\n");
}
"""


@pytest.fixture(scope="module")
def recursive_vla(tmp_path_factory):
    import subprocess
    from tests.conftest import require_tool
    gcc = require_tool("riscv64-unknown-elf-gcc")
    objdump = require_tool("riscv64-unknown-elf-objdump")
    d = tmp_path_factory.mktemp("bt")
    src, elf = d / "down.c", d / "down.elf"
    src.write_text(RECURSIVE_VLA)
    subprocess.run([gcc, "-O2", "-fomit-frame-pointer", "-march=rv64gc", "-mabi=lp64d", "-static",
                    "-nostdlib", "-Wl,-e,_start", "-o", elf, src], check=True)
    dis = subprocess.run([objdump, "-d", "--no-show-raw-insn", elf], capture_output=True, text=True,
                         check=True).stdout
    insns = {}
    for line in dis.splitlines():
        mo = re.match(r"\s*([0-9a-f]+):\s+(\S+)\s*(.*)", line)
        if mo:
            insns[int(mo.group(1), 16)] = (mo.group(2), mo.group(3))
    return str(elf), insns


def _check_frames(frames, want, insns):
    """Frames are [(pc, function)]: the functions as the source nests them, and each caller's pc the
    return address of a call (objdump: the instruction before it is a jal to the callee)."""
    assert [f for _, f in frames] == want
    for k in range(1, len(frames)):
        pc, callee = frames[k][0], frames[k - 1][1]
        before = [insns[a] for a in (pc - 4, pc - 2) if a in insns and a + (4 if a == pc - 4 else 2) == pc]
        assert any(op in ("jal", "call") and f"<{callee}>" in args for op, args in before), (pc, before)


def _bt_frames(out):
    frames = []
    for line in out.splitlines():
        mo = re.match(r"#(\d+)\s+(?:0x([0-9a-f]+) in )?(\S+) \(\)", line)
        if mo:
            if mo.group(1) == "0":
                frames.append([])
            frames[-1].append((int(mo.group(2), 16) if mo.group(2) else None, mo.group(3)))
    return frames


def test_backtrace_from_call_history_without_frame_pointer(capfd, recursive_vla):
    elf, insns = recursive_vla
    out = debug(capfd, elf, """
        break leaf
        run
        bt
        finish
        bt
        reverse-finish
        bt
        reverse-stepi
        bt
    """)
    bts = _bt_frames(out)
    assert len(bts) == 4
    # at leaf: leaf <- down(0) <- down(1) <- down(2) <- down(3) <- main <- _start
    _check_frames(bts[0], ["leaf"] + ["down"] * 4 + ["main", "_start"], insns)
    # back in down(0) after leaf returned
    _check_frames(bts[1], ["down"] * 4 + ["main", "_start"], insns)
    # reverse-finish: at the call of down(0) in down(1)
    assert insns[bts[2][0][0]][0] == "jal" and "<down>" in insns[bts[2][0][0]][1]
    _check_frames(bts[2], ["down"] * 3 + ["main", "_start"], insns)
    # one more step back stays in down(1)
    _check_frames(bts[3], ["down"] * 3 + ["main", "_start"], insns)
    # the sp of each frame, as `finish` needs it: finish from leaf stopped in down(0) at the
    # return address with the sp down(0) had when it called
    assert "Run till exit from #0" in out and "Value returned is $1 = 0" in out


def test_call_stack_api_follows_calls_returns_and_reverse_steps(recursive_vla):
    from rvsim.machine import Machine, StopReason
    elf, insns = recursive_vla
    m = Machine("rv64gc")
    m.load_elf(elf)
    m.record()
    m.add_breakpoint("leaf")
    assert m.run().reason is StopReason.BREAKPOINT
    calls, complete = m.call_stack()
    assert complete and len(calls) == 6           # down(0..3), main, _start
    sps = [sp for _, sp in calls]
    assert sps == sorted(sps)                     # each caller's frame is above its callee's
    assert calls[0][1] == int(m.x[2])             # leaf is called with the sp it still has
    m.reverse_step(1)                             # before the jal to leaf: one call fewer
    assert len(m.call_stack()[0]) == 5
    m.stop_recording()
    assert m.call_stack() is None


def test_break_at_the_entry_then_run_stops_before_the_first_instruction(tmp_path, capfd):
    # gdb: the program has not started when `break _start` is set, so `run` stops at _start
    prog = tmp_path / "entry.s"
    prog.write_text("    .globl _start\n_start:\n    li a0, 7\n    li a7, 93\n    ecall\n")
    out = debug(capfd, str(prog), "break _start\nrun\ninfo registers pc\np $a0\ncontinue", status=7)
    from rvsim.asm import assemble_files
    entry = assemble_files([str(prog)]).symbol_map["_start"]
    assert f"Breakpoint 1, _start () at {prog}:3" in out
    assert re.search(rf"^pc\s+{entry:#x}\s+{entry:#x} <_start>$", out, re.M)
    assert "$1 = 0" in out          # li a0, 7 has not run yet


def test_a_local_main_is_a_function_in_stops_and_backtraces(tmp_path, capfd):
    # RARS-style: no .globl, no _start; the program starts at the local label main and calls a local label
    prog = tmp_path / "rars.s"
    prog.write_text("main:\n    li a0, 5\n    call twice\n    li a7, 10\n    ecall\n"
                    "twice:\n    add a0, a0, a0\n    ret\n")
    out = debug(capfd, str(prog), "break main\nrun\nbreak twice\ncontinue\nbt\ncontinue", "--env", "rars",
                status=0)
    assert f"Breakpoint 1, main () at {prog}:2" in out
    assert f"Breakpoint 2, twice () at {prog}:7" in out
    assert re.search(r"^#1\s+0x[0-9a-f]+ in main \(\)", out, re.M), out


def test_rv32_c_types_are_ilp32_and_registers_are_signed_longs(tmp_path, capfd):
    # ilp32 (the RV32 psABI): int, long and pointers are 4 bytes, long long 8; x registers are long
    prog = tmp_path / "s32.s"
    prog.write_text('    .attribute arch, "rv32i2p1_m2p0"\n    .globl _start\n_start:\n'
                    "    li a0, -1\n    nop\n    li a0, 0\n    li a7, 93\n    ecall\n")
    out = debug(capfd, str(prog), """
        break _start
        run
        stepi
        p $a0
        p/x $a0
        p sizeof(long)
        p sizeof(long long)
        p sizeof(int *)
        p sizeof(unsigned long)
        p (long) 0x80000000
        continue
    """, status=0)
    assert "$1 = -1\n" in out and "$2 = 0xffffffff\n" in out
    assert "$3 = 4\n$4 = 8\n$5 = 4\n$6 = 4\n" in out
    assert "$7 = -2147483648\n" in out


@pytest.mark.parametrize("value, size, text", [
    (10.0, 4, "10"), (10.0, 8, "10"), (100.0, 4, "100"), (16777216.0, 4, "16777216"),
    (1e9, 4, "1e+09"), (1e16, 8, "10000000000000000"), (1e17, 8, "1e+17"),
    (0.1, 4, "0.1"), (0.1, 8, "0.1"), (-6.0, 4, "-6"), (1e-5, 8, "1e-05"), (2.5, 8, "2.5"),
    # FLT_MAX: its shortest candidates round above FLT_MAX as singles (they must not overflow)
    (3.4028234663852886e38, 4, "3.4028235e+38"), (-3.4028234663852886e38, 4, "-3.4028235e+38"),
    (1.7976931348623157e308, 8, "1.7976931348623157e+308"),
])
def test_floats_are_printed_as_gdb_prints_them(value, size, text):
    """Whole numbers in full below gdb's %g precision (9 digits for float, 17 for double), the
    shortest text that reads back as the value, exponents beyond (gdb's `p 10.0` is 10)."""
    from rvsim.debug.expr import format_float
    assert format_float(value, size) == text
