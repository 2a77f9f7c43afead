"""rvsim's debugger, in layers with no terminal below the last:

* :class:`DebugSession` (session.py): the engine over a loaded Machine: breakpoints, watchpoints,
  stepping, reverse execution, expressions; running commands return a :class:`StopEvent` (reason, pc,
  source location, the registers and memory that changed, the program's output, gdb's text).
* :class:`CommandInterpreter` (commands.py): gdb's command language over a session; ``execute(line)``
  returns a :class:`CommandResult` (lines, event).  A web page drives the debugger through this.
* repl.py: ``rvsim debug``'s terminal: prompt_toolkit editing, history and completion, colours.
"""
from .commands import CommandInterpreter, CommandResult
from .expr import DebugError
from .session import DebugSession, StopEvent

__all__ = ["CommandInterpreter", "CommandResult", "DebugError", "DebugSession", "StopEvent",
           "add_debug_options"]


def add_debug_options(parser) -> None:
    """The options ``rvsim debug`` adds to ``rvsim run``'s (the caller owns the parser)."""
    parser.description = ("Debug a RISC-V program with gdb's commands: break, step, next, finish, print, "
                          "x, watch, display, backtrace, reverse-step, reverse-continue ...  Type `help` at "
                          "the (rvsim) prompt.")
    import argparse
    for action in parser._actions:       # run's reporting options mean nothing in a debugger
        if action.dest in ("stats", "report", "trace", "pipeview", "pipeview_limit", "max_insns"):
            action.help = argparse.SUPPRESS
    g = parser.add_argument_group("debugger options")
    g.add_argument("--batch", action="store_true",
                   help="run the -x scripts and -ex commands, then exit (no prompt), as gdb --batch; the "
                        "exit status is the program's when it exited")
    g.add_argument("-x", dest="debug_steps", action="append", type=lambda v: ("x", v), metavar="SCRIPT",
                   help="execute the debugger commands in SCRIPT (repeatable, in order with -ex)")
    g.add_argument("-ex", dest="debug_steps", action="append", type=lambda v: ("ex", v), metavar="COMMAND",
                   help="execute one debugger command (repeatable)")
    g.add_argument("--no-record", action="store_true",
                   help="do not record execution history (no reverse-step/reverse-continue; a little faster)")
    g.add_argument("-q", "--quiet", action="store_true", help="no banner")
