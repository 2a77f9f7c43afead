"""``rvsim debug``: an interactive, scriptable debugger over the Machine API.

Commands (unique prefixes work; an empty line repeats the last step/next):

    step [N]          execute N instructions (default 1) and show the next one
    continue          run until a breakpoint, exit or trap
    break WHERE       stop before the instruction at an address, a symbol or (assembly programs) a
                      source line, `LINE` or `FILE:LINE`; `break` alone lists them
    delete WHERE      remove a breakpoint
    regs              integer registers (ABI names);  fregs: FP registers
    csr NAME          a CSR by name or number
    x ADDR [N]        N bytes of memory in hex (default 64)
    list [N]          disassemble N instructions from pc (default 8)
    set REG VALUE     write a register (x5, a0, pc, f3)
    info              pc, instructions retired, instructions (and, with --timing, cycles) since the
                      last stop
    quit

For an assembly program, each instruction shown is followed by its source line.

Commands are read from the terminal (with line editing and history when prompt_toolkit is installed)
or from standard input, so a debugging session can be scripted: ``rvsim debug prog.elf < cmds``.
"""
from __future__ import annotations

import sys

from .machine import Machine, StopReason

ABI = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
       "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
       "t5", "t6"]
FABI = ["ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
        "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
        "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"]
COMMANDS = ["step", "continue", "break", "delete", "regs", "fregs", "csr", "x", "list", "set", "info",
            "quit", "help"]


def _register(name: str):
    """('x', n), ('f', n) or ('pc', None) for a register name."""
    n = name.lower()
    if n == "pc":
        return "pc", None
    if n == "fp":
        return "x", 8
    if n in ABI:
        return "x", ABI.index(n)
    if n in FABI:
        return "f", FABI.index(n)
    if n[0] in "xf" and n[1:].isdigit() and int(n[1:]) < 32:
        return n[0], int(n[1:])
    raise ValueError(f"unknown register {name!r}")


class Debugger:
    def __init__(self, machine: Machine, out=None, timing=None, program=None):
        self.m = machine
        self.out = out or sys.stdout
        self.timing = timing            # a rvsim.timing.Timing: cycles are reported with instructions
        self.program = program          # the rvsim.asm.Program of an assembly source: its line table
        self._sources: dict[str, list[str]] = {}
        self.last_stop_instret = machine.instret
        # the debugger's own interval (Timing's mark is reset by run() at every breakpoint stop)
        self.last_stop_cycles = timing.cycles if timing is not None else 0
        self.finished = False

    def _since_last_stop(self) -> str:
        """"N instructions[, C cycles]" since the last stop; starts a new interval."""
        text = f"{self.m.instret - self.last_stop_instret} instructions"
        if self.timing is not None:
            now = self.timing.cycles
            text += f", {now - self.last_stop_cycles} cycles"
            self.last_stop_cycles = now
        self.last_stop_instret = self.m.instret
        return text

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def _addr(self, text: str) -> int:
        try:
            value = int(text, 0)
        except ValueError:
            value = None
        if self.program is not None and (":" in text or (value is not None and text.isdigit())):
            # a source line: LINE of the main file, or FILE:LINE
            file, _, line = text.rpartition(":")
            if not file and self.program.line_table:
                file = self.program.line_table[0][1]          # the main source file
            if line.isdigit():
                addr = self.program.address_of_line(file, int(line))
                if addr is None:
                    raise ValueError(f"no instruction at {file}:{line}")
                return addr
        if value is not None:
            return value
        if text in self.m.symbols:
            return self.m.symbols[text]
        raise ValueError(f"not an address, symbol or source line: {text!r}")

    def _source_line(self, pc: int) -> str:
        """`  ; file:line  text` for an assembled program's instruction at pc ('' otherwise)."""
        if self.program is None:
            return ""
        where = self.program.line_at(pc)
        code = [sec for sec in self.program.sections if "x" in sec.flags]
        if where is None or not any(sec.address <= pc < sec.address + sec.size for sec in code):
            return ""
        file, line = where
        lines = self._sources.get(file)
        if lines is None:
            try:
                with open(file, encoding="utf-8", errors="replace") as fh:
                    lines = fh.read().splitlines()
            except OSError:
                lines = []
            self._sources[file] = lines
        src = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        return f"    ; {file}:{line}  {src}"

    def _insn_text(self, pc: int) -> str:
        from .trace import describe_insn
        name = next((s for s, a in self.m.symbols.items() if a == pc), None)
        label = f" <{name}>" if name else ""
        return f"{pc:#010x}{label}:  {describe_insn(self.m, pc)}{self._source_line(pc)}"

    def _report(self, info) -> None:
        since = self._since_last_stop()
        if info.reason is StopReason.EXIT:
            total = f"{self.m.instret} instructions"
            if self.timing is not None:
                total += f", {self.timing.cycles} cycles"
            self.say(f"program exited with code {info.exit_code} after {total}")
            self.finished = True
            return
        if info.reason is StopReason.BREAKPOINT:
            self.say(f"breakpoint, {since} since the last stop")
        elif info.reason is StopReason.TRAP:
            self.say(f"trap: {info.cause_name} (tval {info.tval:#x}) at pc {info.pc:#x}")
            self.finished = True
        elif info.reason in (StopReason.EBREAK, StopReason.ECALL):
            self.say(f"stopped: {info.reason.value} at pc {info.pc:#x}")
        elif info.reason is StopReason.HANG:
            self.say(f"the program hangs in a jump to itself at pc {info.pc:#x}")
            self.finished = True
        self.say(self._insn_text(self.m.pc))

    # ------------------------------------------------------------------ commands

    def cmd_step(self, n="1"):
        if self.finished:
            return self.say("the program has finished")
        info = self.m.step(int(n, 0))
        self._report(info)

    def cmd_continue(self):
        if self.finished:
            return self.say("the program has finished")
        self._report(self.m.run())

    def cmd_break(self, where=None):
        if where is None:
            for a in sorted(self.m.breakpoints):
                self.say(self._insn_text(a))
            return
        addr = self.m.add_breakpoint(self._addr(where))
        self.say(f"breakpoint at {addr:#x}")

    def cmd_delete(self, where):
        self.m.remove_breakpoint(self._addr(where))

    def cmd_regs(self):
        x = self.m.x
        for row in range(8):
            self.say("  ".join(f"{ABI[r]:>4s} {int(x[r]):016x}" for r in range(row, 32, 8)))
        self.say(f"  pc {self.m.pc:016x}")

    def cmd_fregs(self):
        f = self.m.f
        for row in range(8):
            self.say("  ".join(f"{FABI[r]:>4s} {int(f[r]):016x}" for r in range(row, 32, 8)))

    def cmd_csr(self, name):
        key = int(name, 0) if name[0].isdigit() else name
        self.say(f"{name} = {self.m.csr[key]:#x}")

    def cmd_x(self, addr, n="64"):
        a, count = self._addr(addr), int(n, 0)
        data = self.m.read(a, count)
        for i in range(0, len(data), 16):
            chunk = data[i:i + 16]
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            self.say(f"{a + i:#010x}: {chunk.hex(' '):<48s} {text}")

    def cmd_list(self, n="8"):
        pc = self.m.pc
        for _ in range(int(n, 0)):
            self.say(self._insn_text(pc))
            try:
                low = self.m.read(pc, 2)[0]
            except ValueError:
                break
            pc += 4 if low & 3 == 3 else 2

    def cmd_set(self, reg, value):
        kind, n = _register(reg)
        v = int(value, 0) & (2**64 - 1)
        if kind == "pc":
            self.m.pc = v
        elif kind == "x":
            self.m.x[n] = v
        else:
            self.m.f[n] = v

    def cmd_info(self):
        since = f"{self.m.instret - self.last_stop_instret} instructions"
        clock = ""
        if self.timing is not None:
            since += f", {self.timing.cycles - self.last_stop_cycles} cycles"
            clock = f", cycle {self.timing.cycles}"
        self.say(f"pc {self.m.pc:#x}, {self.m.instret} instructions retired{clock}, {since} since the last stop")

    def cmd_help(self):
        self.say(__doc__.split("\n\n")[1])

    # ------------------------------------------------------------------ loop

    def execute(self, line: str) -> bool:
        """Run one command line; False when the session should end."""
        words = line.split()
        if not words:
            return True
        matches = [c for c in COMMANDS if c.startswith(words[0].lower())]
        if words[0] in ("s", "c", "b", "q", "r"):
            matches = [{"s": "step", "c": "continue", "b": "break", "q": "quit", "r": "regs"}[words[0]]]
        if len(matches) != 1:
            self.say(f"unknown command {words[0]!r} (try help)" if not matches else
                     f"ambiguous command {words[0]!r}: {', '.join(matches)}")
            return True
        if matches[0] == "quit":
            return False
        try:
            getattr(self, f"cmd_{matches[0]}")(*words[1:])
        except (ValueError, KeyError, TypeError) as exc:
            self.say(f"error: {exc}")
        return True

    def interact(self, stdin=None) -> None:
        stdin = stdin or sys.stdin
        self.say(self._insn_text(self.m.pc))
        read = _line_reader(stdin)
        last = ""
        while True:
            try:
                line = read()
            except (EOFError, KeyboardInterrupt):
                break
            if line is None:
                break
            if not line.strip() and last.split()[:1] in (["step"], ["s"]):
                line = last
            last = line
            if not self.execute(line):
                break


def _line_reader(stdin):
    if stdin.isatty():
        try:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.completion import WordCompleter
            session = PromptSession(completer=WordCompleter(COMMANDS))
            return lambda: session.prompt("(rvsim) ")
        except ImportError:
            return lambda: input("(rvsim) ")

    def from_pipe():
        line = stdin.readline()
        return line if line else None
    return from_pipe
