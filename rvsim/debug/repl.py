"""``rvsim debug``'s terminal front end over :class:`DebugSession`: gdb's command names, abbreviations,
help and output; prompt_toolkit line editing, history and completion on a terminal, plain line reading
otherwise; ``--batch``, ``-x FILE`` and ``-ex CMD`` as gdb has them."""
from __future__ import annotations

import os
import sys

from .expr import DebugError
from .session import DebugSession

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
             "frame | line [LOCATION] | vector | display | watchpoints | symbol ADDRESS."),
    "backtrace": (("bt", "where"), "backtrace [N]",
                  "The call stack, innermost first, from the RISC-V calling convention (the saved ra of each "
                  "function's prologue, sp; no frame pointer or debug information needed)."),
    "list": (("l",), "list [LINE|FUNCTION|FILE:LINE|-]", "Show ten source lines around a place; again "
             "to continue."),
    "disassemble": (("disas",), "disassemble [/r] [FUNCTION|ADDRESS|START,END|START,+LENGTH]",
                    "Disassemble a function (the current one by default) or a range; /r adds raw bytes."),
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


class Frontend:
    """Runs command lines against a DebugSession and writes gdb-style text."""

    def __init__(self, session: DebugSession, out=None, color: bool | None = None):
        self.s = session
        self.out = out or sys.stdout
        self.color = self.out.isatty() if color is None and hasattr(self.out, "isatty") else bool(color)
        self.last_line = ""

    # ------------------------------------------------------------------ output

    def say(self, text: str = "") -> None:
        if not self.s.at_line_start:
            # the program's last output left a line open: the debugger starts its own
            self.out.write("\n")
            self.s.at_line_start = True
        self.out.write(text + "\n")

    def show_event(self, ev) -> None:
        self.out.flush()
        for line in ev.lines:
            self.say(line)
        if ev.changes:
            for ch in ev.changes:
                if self.color:
                    self.say(f"  \x1b[33m{ch.location}\x1b[0m: " + _color_arrow(ch.text.split(": ", 1)[1]))
                else:
                    self.say(f"  * {ch.text}")

    def banner(self) -> None:
        s = self.s
        rec = "on (reverse-step, reverse-continue ... work; --no-record turns it off)" if s.recording \
            else f"off ({s.record_error or '--no-record'})"
        self.say(f"rvsim debug: {getattr(s.m, 'isa_string', '')}, reverse execution recording {rec}.")
        self.say("Type \"help\" for the commands, \"help COMMAND\" for one.")

    # ------------------------------------------------------------------ commands

    def execute(self, line: str) -> bool:
        """Run one command line; False when the session should end."""
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            return True
        try:
            return self._execute(stripped)
        except DebugError as exc:
            for part in str(exc).splitlines():
                self.say(part)
        except KeyboardInterrupt:
            self.say("Quit")
        except (ValueError, KeyError, OverflowError, IndexError) as exc:
            # the library's own errors on a bad argument: one line, as any other error
            self.say(str(exc).strip("'\""))
        return True

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
        if cmd == "help":
            for text in self.help(rest):
                self.say(text)
            return True
        if cmd in RUNNING:
            if s.finished and not cmd.startswith("reverse"):
                raise DebugError("The program is not being run.")
            ev = self._run(cmd, rest)
            self.show_event(ev)
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
        for text in handlers[cmd]():
            self.say(text)
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
            self.say("Continuing.") if not rest else None
            return s.cont(self._count(rest, cmd))
        if cmd in ("run", "start"):
            if s.m.instret != s.start_instret:
                raise DebugError("The program being debugged has been started already; rvsim cannot "
                                 "restart it (quit and start again, or reverse-continue to go back).")
            if cmd == "start":
                if "main" not in s.info.symbols or s.m.pc == s.info.symbols["main"]:
                    return s.stepi(0) if False else s.until_start()
                return s.until("main", advance=True)
            self.say("Continuing.") if False else None
            return s.cont()
        if cmd == "finish":
            return s.finish()
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
            return s.info_vector()
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

    # ------------------------------------------------------------------ loop

    def interact(self, stdin=None, first_event=True) -> None:
        stdin = stdin or sys.stdin
        if first_event:
            for line in self.s._location_lines(self.s.m.pc, True):
                self.say(line)
        read = _line_reader(stdin, self)
        last = ""
        while True:
            self.out.flush()
            try:
                line = read()
            except EOFError:
                self.say("quit") if stdin.isatty() else None
                break
            except KeyboardInterrupt:
                self.say("Quit")
                continue
            if line is None:
                break
            if not line.strip() and resolve_last(last) in ("step", "next", "stepi", "nexti", "continue",
                                                           "reverse-step", "reverse-next",
                                                           "reverse-stepi", "x", "list"):
                line = last
            elif line.strip():
                last = line
            if not self.execute(line):
                break


def resolve_last(line: str) -> str | None:
    word = line.split(None, 1)[0].split("/")[0] if line.strip() else ""
    try:
        return resolve_command(word) if word else None
    except DebugError:
        return None


def _color_arrow(text: str) -> str:
    old, sep, new = text.partition(" -> ")
    if not sep:
        return text
    return f"\x1b[2m{old}\x1b[0m -> \x1b[1;32m{new}\x1b[0m"


def _line_reader(stdin, front):
    if stdin.isatty():
        try:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.completion import Completer, Completion
            from prompt_toolkit.history import FileHistory, InMemoryHistory

            class _Complete(Completer):
                def get_completions(self, document, complete_event):
                    text = document.text_before_cursor
                    words = text.split()
                    if len(words) <= 1 and not text.endswith(" "):
                        word = words[0] if words else ""
                        for name in sorted(ALIASES):
                            if name.startswith(word) and len(name) > 2:
                                yield Completion(name, -len(word))
                        return
                    word = "" if text.endswith(" ") else words[-1]
                    first = resolve_last(words[0]) if words else None
                    pool = INFO_SUBCOMMANDS if first == "info" and len(words) <= 2 else \
                        list(COMMANDS) if first == "help" else \
                        list(front.s.info.symbols) + ["$" + r for r in
                                                      ("pc", "sp", "ra", "a0", "a1", "a2", "t0", "fp")]
                    for name in sorted(set(pool)):
                        if name.startswith(word.lstrip("*&(")) and not name.startswith("."):
                            yield Completion(name, -len(word.lstrip("*&(")))

            try:
                path = os.path.join(os.path.expanduser("~"), ".rvsim_debug_history")
                history = FileHistory(path)
            except OSError:
                history = InMemoryHistory()
            session = PromptSession(completer=_Complete(), history=history)

            def read():
                front.out.flush()
                if not front.s.at_line_start:
                    front.out.write("\n")
                    front.s.at_line_start = True
                return session.prompt("(rvsim) ")
            return read
        except ImportError:
            return lambda: input("(rvsim) ")

    def from_pipe():
        line = stdin.readline()
        return line if line else None
    return from_pipe


def run_debugger(machine, program=None, *, timing=None, record=True, batch=False, scripts=(),
                 commands=(), quiet=False, stdin=None, out=None) -> int:
    """The ``rvsim debug`` session: -x scripts and -ex commands first (in order), then the prompt
    unless --batch.  Returns the exit status (the program's, in batch mode, when it exited)."""
    session = DebugSession(machine, program, timing=timing, record=record)
    session._cycles_at_stop = timing.cycles if timing is not None else 0
    front = Frontend(session, out=out)
    if not quiet and not batch:
        front.banner()
    if not batch:
        for line in session._location_lines(machine.pc, True):
            front.say(line)
    for kind, item in list(scripts) + list(commands):
        if kind == "x":
            try:
                with open(item, encoding="utf-8") as fh:
                    lines = fh.read().splitlines()
            except OSError as exc:
                front.say(f"{item}: {exc.strerror}.")
                continue
            for line in lines:
                if not front.execute(line):
                    return _status(session)
        elif not front.execute(item):
            return _status(session)
    if batch:
        return _status(session)
    front.interact(stdin, first_event=False)
    return _status(session)


def _status(session) -> int:
    return session.exit_code if session.exit_code is not None else 0
