"""The debugger's command language, UI-free: gdb's command names, abbreviations, help and wording over a
:class:`DebugSession`.  ``CommandInterpreter.execute(line)`` returns a :class:`CommandResult` (text lines
and, for commands that run the program, the :class:`StopEvent`), so the terminal front end
(rvsim/debug/repl.py) and a web page share one implementation of every command."""
from __future__ import annotations

from dataclasses import dataclass, field

from .expr import DebugError
from .session import DebugSession, StopEvent

# name: (aliases, usage, help text)
COMMANDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "step": (("s",), "step [N]", "Step the program until it reaches a different source line (into calls); "
             "N times.  Without line information, one instruction."),
    "stepi": (("si",), "stepi [N]", "Execute N machine instructions (default 1), into calls."),
    "next": (("n",), "next [N]", "Step the program, proceeding through calls (call, jal ra, jalr ra)."),
    "nexti": (("ni",), "nexti [N]", "Execute N instructions, proceeding through calls."),
    "continue": (("c", "cont", "fg"), "continue [N]",
                 "Continue the program until a breakpoint, watchpoint, exit or Ctrl-C.  With N, ignore the "
                 "breakpoint the program is stopped at N-1 more times."),
    "run": (("r",), "run", "Start the program (it is loaded and waits at its entry point): the same as "
            "continue before the first instruction.  rvsim cannot restart a program; reverse-continue "
            "goes back to the start when recording."),
    "start": ((), "start", "Run to the start of main (or stay at the entry when there is no main)."),
    "finish": (("fin",), "finish", "Run until the current function returns; print the value in a0 as "
               "\"Value returned\"."),
    "until": (("u",), "until [LOCATION]", "Without an argument: like next, but do not go back in a loop "
              "(stop at a line after the current one).  With LOCATION: run until it is reached or the "
              "current function returns."),
    "advance": ((), "advance LOCATION", "Run until LOCATION is reached (in any frame) or the current "
                "function returns."),
    "reverse-step": (("rs",), "reverse-step [N]", "Step backward to the previous source line (into calls)."),
    "reverse-next": (("rn",), "reverse-next [N]", "Step backward over calls to the previous source line."),
    "reverse-stepi": (("rsi",), "reverse-stepi [N]", "Step backward N instructions."),
    "reverse-nexti": (("rni",), "reverse-nexti [N]", "Step backward N instructions, over calls."),
    "reverse-finish": ((), "reverse-finish", "Run backward to the call of the current function."),
    "reverse-continue": (("rc",), "reverse-continue",
                         "Run backward until a breakpoint or watchpoint, or the start of the history."),
    "break": (("b", "br", "brea"), "break [LOCATION] [if CONDITION]",
              "Set a breakpoint.  LOCATION: a label (main, loop), a LINE of the main source file, "
              "FILE:LINE, or *ADDRESS (`break *0x10078`, `break *65656`: a number after * is an address)."
              "  With `if`, stop only when CONDITION is true (`break loop if t0 == 3`)."),
    "tbreak": ((), "tbreak LOCATION [if CONDITION]", "Set a temporary breakpoint (deleted when hit)."),
    "condition": ((), "condition N [EXPR]", "Stop at breakpoint N only if EXPR is true; without EXPR "
                  "make it unconditional."),
    "ignore": ((), "ignore N COUNT", "Do not stop at breakpoint N for its next COUNT crossings."),
    "delete": (("d",), "delete [N...]", "Delete breakpoints/watchpoints N... (all of them without an "
               "argument).  `delete display N` deletes a display."),
    "disable": ((), "disable [N...]", "Disable breakpoints N... (all without an argument); "
                "`disable display N`."),
    "enable": ((), "enable [N...]", "Enable breakpoints N...; `enable once N`, `enable delete N`, "
               "`enable display N`."),
    "watch": ((), "watch EXPR [if CONDITION]",
              "Stop when EXPR changes: memory (`watch counter` for a labelled word, `watch *(int *)0x11000`, "
              "`watch arr[2]`, `watch *(long *)($sp + 8)`) or a register (`watch $a0`)."),
    "rwatch": ((), "rwatch EXPR", "Stop when the program reads the memory of EXPR."),
    "awatch": ((), "awatch EXPR", "Stop when the program reads or writes the memory of EXPR."),
    "display": ((), "display[/FMT] [EXPR]", "Print EXPR at every stop (`display $a0`, `display/x $t0`, "
                "`display/i $pc`); without EXPR, show the displays now."),
    "undisplay": ((), "undisplay [N...]", "Stop displaying expressions N... (all without an argument)."),
    "print": (("p", "inspect"), "print[/FMT] EXPR",
              "Print the value of EXPR as $N = VALUE.  EXPR: registers ($a0 or a0, $pc, $sp, $fa0, CSRs "
              "like $fflags), labels (a data label is an int there; &label is its address), memory "
              "(*(int *)($sp + 8), arr[2]), value history ($, $1, $$2), C operators and casts, "
              "assignment.  FMT: x hex, d signed, u unsigned, o octal, t binary, c char, f float, "
              "a address, z zero-padded hex."),
    "output": ((), "output EXPR", "Print the value of EXPR without $N = and without a newline record."),
    "x": ((), "x/NFU ADDRESS", "Examine memory: N units of size U (b 1, h 2, w 4, g 8 bytes) in format F "
          "(x d u o t a c f s i).  `x/4dw $sp`, `x/s msg`, `x/8i $pc`, `x/2gx &arr`.  A plain "
          "number is an address (`x 4096`); a label means its address (`x/4dw arr`)."),
    "set": ((), "set var EXPR = VALUE", "Assign to a register or memory: `set var $a0 = 5`, "
            "`set var *(int *)0x11000 = 7`, `set var arr[1] = 3`, `set $pc = main`."),
    "info": (("i", "inf"), "info SUBCOMMAND", "info breakpoints | registers [REG...] | all-registers | "
             "frame | line [LOCATION] | vector [/FMT] [vN...] | display | watchpoints | symbol ADDRESS.  "
             "`info vector /f v2` shows v2's elements at the current SEW as floats (FMT: x d u t f)."),
    "backtrace": (("bt", "where"), "backtrace [N]",
                  "The call stack, innermost first, from the RISC-V calling convention (the saved ra of each "
                  "function's prologue, sp; no frame pointer or debug information needed)."),
    "list": (("l",), "list [LINE|FUNCTION|FILE:LINE|-]", "Show ten source lines around a place; again "
             "to continue."),
    "disassemble": (("disas",), "disassemble [/r] [FUNCTION|ADDRESS|START,END|START,+LENGTH]",
                    "Disassemble a function (the current one by default) or a range; /r adds raw bytes."),
    "echo": ((), "echo TEXT", "Print TEXT (C escapes such as \\n work), for scripts."),
    "help": (("h",), "help [COMMAND]", "List the commands, or describe one."),
    "quit": (("q", "exit"), "quit", "Leave the debugger."),
}
INFO_SUBCOMMANDS = ["breakpoints", "registers", "all-registers", "frame", "line", "vector", "display",
                    "watchpoints", "symbol"]
RUNNING = {"run", "start", "step", "stepi", "next", "nexti", "continue", "finish", "until", "advance", "reverse-step",
           "reverse-next", "reverse-stepi", "reverse-nexti", "reverse-finish", "reverse-continue"}


def _alias_table() -> dict[str, str]:
    table = {}
    for name, (aliases, _, _) in COMMANDS.items():
        table[name] = name
        for a in aliases:
            table[a] = name
    return table


ALIASES = _alias_table()


def resolve_command(word: str) -> str:
    word = word.lower()
    if word in ALIASES:
        return ALIASES[word]
    matches = sorted({ALIASES[k] for k in ALIASES if k.startswith(word)})
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise DebugError(f"Undefined command: \"{word}\".  Try \"help\".")
    raise DebugError(f"Ambiguous command \"{word}\": {', '.join(matches)}.")




@dataclass
class CommandResult:
    lines: list[str] = field(default_factory=list)   # the answer (for a run: text before the stop)
    event: StopEvent | None = None                    # the stop, for commands that run the program
    raw: str = ""                                     # text to write as is (echo)
    quit: bool = False
    error: bool = False


class CommandInterpreter:
    """Executes command lines against a session.  ``on_text`` receives lines that must appear at once
    (``Continuing.`` before the program runs and writes); by default they go into the result."""

    def __init__(self, session: DebugSession, on_text=None):
        self.s = session
        self.on_text = on_text
        self._result = None

    def say(self, text: str = "") -> None:
        if self.on_text is not None:
            self.on_text(text)
        else:
            self._result.lines.append(text)

    def execute(self, line: str) -> CommandResult:
        """Run one command line."""
        self._result = result = CommandResult()
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            return result
        try:
            result.quit = not self._execute(stripped)
        except DebugError as exc:
            result.error = True
            result.lines += str(exc).splitlines()
        except KeyboardInterrupt:
            result.lines.append("Quit")
        except (ValueError, KeyError, OverflowError, IndexError) as exc:
            # the library's own errors on a bad argument: one line, as any other error
            result.error = True
            result.lines.append(str(exc).strip("'\""))
        except Exception as exc:        # a bug of ours must not end the student's session
            result.error = True
            result.lines.append(f"rvsim debug: internal error ({type(exc).__name__}: {exc}); "
                                "please report it")
        return result

    def _execute(self, line: str) -> bool:
        head = line.split(None, 1)[0]
        rest = line[len(head):].strip()
        fmt = ""
        if "/" in head and not head.startswith("/"):
            head, _, spec = head.partition("/")
            fmt = "/" + spec
        cmd = resolve_command(head)
        s = self.s
        if cmd == "quit":
            return False
        if cmd == "echo":
            self._result.raw = rest.encode("latin-1", "backslashreplace").decode("unicode_escape")
            return True
        if cmd == "help":
            self._result.lines += self.help(rest)
            return True
        if cmd in RUNNING:
            if s.finished and not cmd.startswith("reverse"):
                raise DebugError("The program is not being run.")
            self._result.event = self._run(cmd, rest)
            return True
        handlers = {
            "break": lambda: s.break_cmd(rest),
            "tbreak": lambda: s.break_cmd(rest, temporary=True),
            "condition": lambda: s.condition_cmd(rest),
            "ignore": lambda: s.ignore_cmd(rest),
            "delete": lambda: s.delete_cmd(rest),
            "disable": lambda: s.enable_cmd(rest, False),
            "enable": lambda: s.enable_cmd(rest, True),
            "watch": lambda: s.watch_cmd(rest),
            "rwatch": lambda: s.watch_cmd(rest, "read watchpoint"),
            "awatch": lambda: s.watch_cmd(rest, "acc watchpoint"),
            "display": lambda: s.display_cmd(fmt, rest),
            "undisplay": lambda: s.undisplay_cmd(rest),
            "print": lambda: s.print_cmd(self._print_fmt(fmt), rest),
            "output": lambda: [s.print_cmd(self._print_fmt(fmt), rest)[0].split(" = ", 1)[1]],
            "x": lambda: s.x_cmd(fmt, rest),
            "set": lambda: self._set(rest),
            "info": lambda: self._info(rest),
            "backtrace": lambda: s.backtrace(int(rest) if rest.isdigit() else None),
            "list": lambda: s.list_cmd(rest),
            "disassemble": lambda: s.disassemble_cmd((fmt + " " + rest) if fmt else rest),
        }
        self._result.lines += handlers[cmd]()
        return True

    @staticmethod
    def _print_fmt(fmt: str) -> str | None:
        if not fmt:
            return None
        count, f, unit = DebugSession.split_format(fmt)
        if count is not None or unit is not None:
            raise DebugError("Item count other than 1 is meaningless in \"print\" command."
                             if count else "Size letters are meaningless in \"print\" command.")
        return f

    def _count(self, rest: str, cmd: str) -> int:
        if not rest:
            return 1
        try:
            n = int(self.s.eval(rest).value)
        except DebugError:
            raise DebugError(f"{cmd}: the count must be a number (got {rest!r}).") from None
        if n < 1:
            raise DebugError(f"{cmd}: the count must be at least 1 (to go back, use reverse-{cmd}).")
        return n

    def _run(self, cmd: str, rest: str):
        s = self.s
        if cmd == "step":
            return s.step(self._count(rest, cmd))
        if cmd == "next":
            return s.next(self._count(rest, cmd))
        if cmd == "stepi":
            return s.stepi(self._count(rest, cmd))
        if cmd == "nexti":
            return s.nexti(self._count(rest, cmd))
        if cmd == "continue":
            s.check_can_run()
            if not rest:
                self.say("Continuing.")
            return s.cont(self._count(rest, cmd))
        if cmd in ("run", "start"):
            if s.m.instret != s.start_instret:
                raise DebugError("The program being debugged has been started already; rvsim cannot "
                                 "restart it (quit and start again, or reverse-continue to go back).")
            if cmd == "start":
                if "main" not in s.info.symbols or s.m.pc == s.info.symbols["main"]:
                    return s.until_start()
                return s.until("main", advance=True)
            return s.run()
        if cmd == "finish":
            return s.finish(announce=self.say)
        if cmd == "until":
            return s.until(rest or None)
        if cmd == "advance":
            if not rest:
                raise DebugError("Argument required (a location).")
            return s.until(rest, advance=True)
        if cmd == "reverse-step":
            return s.reverse_step(self._count(rest, "step"))
        if cmd == "reverse-next":
            return s.reverse_next(self._count(rest, "next"))
        if cmd == "reverse-stepi":
            return s.reverse_stepi(self._count(rest, "stepi"))
        if cmd == "reverse-nexti":
            return s.reverse_stepi(self._count(rest, "nexti"))
        if cmd == "reverse-finish":
            return s.reverse_finish()
        if cmd == "reverse-continue":
            self.say("Continuing.")
            return s.reverse_continue()
        raise DebugError(f"unknown command {cmd}")

    def _set(self, rest: str) -> list[str]:
        words = rest.split(None, 1)
        if not words:
            raise DebugError("Argument required (expression to compute).")
        if words[0] in ("var", "variable"):
            return self.s.set_var(words[1] if len(words) > 1 else "")
        return self.s.set_var(rest)

    def _info(self, rest: str) -> list[str]:
        words = rest.split()
        if not words:
            return ['"info" must be followed by the name of an info command:'] + \
                ["info " + w for w in INFO_SUBCOMMANDS]
        sub = words[0]
        args = words[1:]
        matches = [w for w in INFO_SUBCOMMANDS if w.startswith(sub)]
        if sub in ("b", "br", "break"):
            matches = ["breakpoints"]
        if sub in ("r", "reg"):
            matches = ["registers"]
        if len(matches) != 1:
            raise DebugError(f"Undefined info command: \"{sub}\".  Try \"help info\"." if not matches
                             else f"Ambiguous info command \"{sub}\": {', '.join(matches)}.")
        s = self.s
        sub = matches[0]
        if sub == "breakpoints":
            return s.info_breakpoints()
        if sub == "watchpoints":
            return s.info_breakpoints(watch_only=True)
        if sub == "registers":
            return s.info_registers(args)
        if sub == "all-registers":
            return s.info_registers(args, all_regs=True)
        if sub == "frame":
            return s.info_frame()
        if sub == "line":
            return s.info_line(" ".join(args))
        if sub == "vector":
            return s.info_vector(args)
        if sub == "display":
            return s.info_display()
        if sub == "symbol":
            return s.info_symbol(" ".join(args))
        return []

    def help(self, topic: str) -> list[str]:
        if not topic:
            lines = ["List of commands (`help COMMAND` for one; unique prefixes work; an empty line "
                     "repeats step/next/continue):", ""]
            for name, (aliases, usage, _) in COMMANDS.items():
                alias = f" ({', '.join(aliases)})" if aliases else ""
                lines.append(f"  {usage:<40} {name}{alias}")
            return lines
        try:
            name = resolve_command(topic.split()[0])
        except DebugError as exc:
            raise DebugError(f"Undefined command: \"{topic}\".  Try \"help\".") from exc
        aliases, usage, text = COMMANDS[name]
        lines = [f"Usage: {usage}", text]
        if aliases:
            lines.append(f"Aliases: {', '.join(aliases)}")
        return lines


def resolve_last(line: str) -> str | None:
    word = line.split(None, 1)[0].split("/")[0] if line.strip() else ""
    try:
        return resolve_command(word) if word else None
    except DebugError:
        return None
