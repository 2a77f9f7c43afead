"""rvsim debug, driven by a command script on standard input."""
import io
from pathlib import Path

from rvsim.debugger import Debugger
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine

ELF = Path(__file__).resolve().parent / "programs" / "bin" / "exit_code.elf"


def session(commands: str) -> str:
    out = io.StringIO()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=io.BytesIO()))
    m.load_elf(ELF, argv=["exit_code"])
    Debugger(m, out=out).interact(io.StringIO(commands))
    return out.getvalue()


def test_break_at_main_step_and_continue_to_exit():
    text = session("break main\ncontinue\ninfo\nstep 3\nregs\ncontinue\n")
    assert "breakpoint at 0x" in text
    assert "breakpoint, " in text and " instructions since the last stop" in text
    assert "<main>" in text
    assert " sp " in text and "  pc " in text
    assert "program exited with code 42" in text


def test_errors_are_reported_not_raised():
    text = session("break no_such_symbol\nset q9 1\nfrobnicate\nx 0xffffffffffff0000 16\nquit\n")
    assert text.count("error:") == 3
    assert "unknown command 'frobnicate'" in text


def test_set_register_and_memory_dump():
    text = session("set a0 0x1234\nregs\nx main 8\n")
    assert "a0 0000000000001234" in text
    assert text.count("0x") >= 2


LOOP = """
        .globl _start
_start: li      t0, 5
loop:   addi    t1, t1, 1
        mul     t2, t1, t1
        addi    t0, t0, -1
        bnez    t0, loop
        li      a0, 0
        li      a7, 93
        ecall
"""


def test_with_timing_each_stop_reports_cycles_since_the_last():
    from rvsim.asm import assemble
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=io.BytesIO()))
    timing = m.enable_timing("teach")
    m.load_elf(assemble(LOOP, march="rv64gc").to_elf())
    out = io.StringIO()
    Debugger(m, out=out, timing=timing).interact(io.StringIO("break loop\ncontinue\ncontinue\ncontinue\n"
                                                             "continue\ndelete loop\ncontinue\n"))
    text = out.getvalue()
    # teach: one cycle per instruction plus two per taken branch, paid by the interval that fetches
    # the branch target (so the first pass through the loop costs 4, the next ones 6)
    assert "breakpoint, 1 instructions, 1 cycles since the last stop" in text
    assert "breakpoint, 4 instructions, 4 cycles since the last stop" in text
    assert text.count("breakpoint, 4 instructions, 6 cycles since the last stop") == 2
    assert "program exited with code 0 after 24 instructions, 32 cycles" in text


def test_assembly_programs_show_source_lines_and_take_line_breakpoints(tmp_path):
    from rvsim.asm import assemble_files
    src = tmp_path / "loop.s"
    src.write_text(LOOP)
    prog = assemble_files([str(src)], march="rv64gc")
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=io.BytesIO()))
    m.load_elf(prog.to_elf())
    out = io.StringIO()
    Debugger(m, out=out, program=prog).interact(io.StringIO(
        f"break 6\ncontinue\nbreak {src}:7\ncontinue\nbreak nowhere.s:3\nbreak 1\nquit\n"))
    text = out.getvalue()
    assert f"; {src}:3  _start: li      t0, 5" in text               # the first instruction shown
    assert text.count("breakpoint at 0x") == 2
    assert f"; {src}:6  addi    t0, t0, -1" in text and f"; {src}:7  bnez    t0, loop" in text
    assert "error: no instruction at nowhere.s:3" in text
    assert f"error: no instruction at {src}:1" in text
