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
