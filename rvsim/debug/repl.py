"""``rvsim debug``'s terminal front end over :class:`DebugSession`: gdb's command names, abbreviations,
help and output; prompt_toolkit line editing, history and completion on a terminal, plain line reading
otherwise; ``--batch``, ``-x FILE`` and ``-ex CMD`` as gdb has them."""
from __future__ import annotations

import os
import sys

from .commands import ALIASES, COMMANDS, INFO_SUBCOMMANDS, CommandInterpreter, resolve_last
from .session import DebugSession

class Frontend:
    """Runs command lines against a DebugSession and writes gdb-style text."""

    def __init__(self, session: DebugSession, out=None, color: bool | None = None):
        self.s = session
        self.out = out or sys.stdout
        self.color = self.out.isatty() if color is None and hasattr(self.out, "isatty") else bool(color)
        self.commands = CommandInterpreter(session, on_text=self.say)

    def execute(self, line: str) -> bool:
        """Run one command line and show its result; False when the session should end."""
        result = self.commands.execute(line)
        if result.raw:
            self.out.write(result.raw)
            self.s.at_line_start = result.raw.endswith("\n")
        for text in result.lines:
            self.say(text)
        if result.event is not None:
            self.show_event(result.event)
        return not result.quit

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


def run_debugger(machine, program=None, *, timing=None, record=True, batch=False, steps=(),
                 quiet=False, stdin=None, out=None) -> int:
    """The ``rvsim debug`` session: ``steps``, the -x scripts and -ex commands as ("x", FILE) and
    ("ex", COMMAND) in command-line order, then the prompt unless --batch.  Returns the exit status
    (the program's when it exited, else 0)."""
    session = DebugSession(machine, program, timing=timing, record=record)
    front = Frontend(session, out=out)
    if not quiet and not batch:
        front.banner()
    if not batch:
        for line in session._location_lines(machine.pc, True):
            front.say(line)
    for kind, item in steps:
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
