"""One browser tab's machine: assemble and load, the debugger's commands, and the state the page draws,
as JSON-ready dictionaries.

The commands (step, next, finish, until, continue, reverse-step, reverse-continue, breakpoints, the call
stack, what each stop changed) are :class:`rvsim.debug.DebugSession`'s; this module adds what a server
needs around it: the machine's ``run`` is wrapped so that every run goes in chunks, between which Stop,
the instruction budget and progress reports are handled, and the cycle model's trace is kept for the
timeline.  Everything here runs in the tab's worker thread, one command at a time, except
:meth:`WebSession.stop` and :meth:`WebSession.send_input`, which any thread may call.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from .workspace import Library, assemble_sources, check_sources, diagnostic_json

CHUNK = 200_000                  # instructions per call into the core between Stop checks
TRACE_CHUNK = 65_536             # with the cycle model: instructions per call (the trace buffer's size)
PROGRESS_EVERY = 0.1             # seconds between progress events
MAX_OUTPUT = 1 << 20             # console bytes kept per tab
ABI = ("zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 "
       "t3 t4 t5 t6").split()
FABI = ("ft0 ft1 ft2 ft3 ft4 ft5 ft6 ft7 fs0 fs1 fa0 fa1 fa2 fa3 fa4 fa5 fa6 fa7 fs2 fs3 fs4 fs5 "
        "fs6 fs7 fs8 fs9 fs10 fs11 ft8 ft9 ft10 ft11").split()
SHOWN_CSRS = ("fflags", "frm", "fcsr", "vstart", "vxsat", "vxrm", "vcsr", "vl", "vtype", "vlenb",
              "mstatus", "misa", "mtvec", "mepc", "mcause", "mtval", "mscratch", "mcycle", "minstret")


@dataclass
class Limits:
    """What one tab may use."""

    memory: int = 64 << 20               # guest memory window
    default_budget: int = 100_000_000    # instructions per run command unless the page asks otherwise
    max_budget: int = 2_000_000_000
    timeline: int = 200                  # instructions kept for the pipeline view
    max_memory_view: int = 4096          # bytes per memory request
    history: int = 10_000_000            # instructions of reverse-execution history
    history_bytes: int = 64 << 20        # host memory the history may take


class SessionError(ValueError):
    """A command the session cannot do now (no program, bad argument): shown to the user."""


class ConsoleOut:
    """The program's stdout/stderr, kept until the page fetches it (about ten times a second while the
    program runs); what does not fit in MAX_OUTPUT meanwhile is dropped, and the page is told."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = bytearray()
        self._dropped = 0

    def write(self, data) -> int:
        data = bytes(data)
        with self._lock:
            room = MAX_OUTPUT - len(self._pending)
            self._pending += data[:max(0, room)]
            self._dropped += max(0, len(data) - max(0, room))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> str:
        with self._lock:
            out, self._pending = bytes(self._pending), bytearray()
            dropped, self._dropped = self._dropped, 0
        text = out.decode("utf-8", errors="replace")
        if dropped:
            text += f"\n[rvsim: {dropped:,} more bytes of output not shown]\n"
        return text


class ConsoleIn:
    """The program's stdin: what the user typed in the console; a read waits for input or Stop (EOF)."""

    def __init__(self):
        self._cond = threading.Condition()
        self._data = bytearray()
        self._eof = False
        self.waiting = False

    def feed(self, data: bytes) -> None:
        with self._cond:
            self._data += data
            self._cond.notify_all()

    def interrupt(self) -> None:
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def reset(self) -> None:
        with self._cond:
            self._eof = False

    def read(self, n: int = -1) -> bytes:
        with self._cond:
            self.waiting = True
            while not self._data and not self._eof:
                self._cond.wait(0.5)
            self.waiting = False
            if not self._data:
                return b""
            n = len(self._data) if n is None or n < 0 else n
            out = bytes(self._data[:n])
            del self._data[:n]
            return out

    read1 = read


def _hex(v: int) -> str:
    return f"{int(v) & (2**64 - 1):#x}"


class WebSession:
    """The machine behind one tab."""

    def __init__(self, limits: Limits | None = None, library: Library | None = None, notify=None):
        self.limits = limits or Limits()
        self.library = library or Library()
        self.notify = notify or (lambda event: None)       # called from the worker thread
        self.machine = None
        self.debug = None                 # the rvsim.debug.DebugSession over the machine
        self.program = None
        self.timing = None
        self.files: list[tuple[str, str]] = []
        self.settings: dict = {}
        self.stdout = ConsoleOut()
        self.stdin = ConsoleIn()
        self._stop = threading.Event()
        self.running = False
        self.breakpoints: dict[tuple[str, int], int] = {}    # (file, line) -> debugger breakpoint number
        self.timeline: list[dict] = []
        self.finished: dict | None = None     # the exit/trap that ended the program
        self.last_used = time.monotonic()
        self._disasm_cache: dict[tuple[int, int], str] = {}
        self._budget_left = None
        self._budget_hit = False

    # ------------------------------------------------------------------ loading

    def assemble(self, files, isa: str):
        """Assemble without loading: ``({"ok", "errors"...}, Program or None)``."""
        from ..asm import AsmError
        srcs = check_sources(files)
        try:
            prog = assemble_sources(srcs, isa, self.library)
        except AsmError as exc:
            return {"ok": False, "errors": [diagnostic_json(d) for d in exc.diagnostics]}, None
        return {"ok": True, "errors": [], "size": sum(len(s.data) for s in prog.sections),
                "warnings": [diagnostic_json(d) for d in getattr(prog, "warnings", ())]}, prog

    def load(self, files, isa: str = "rv64gcv", env: str = "linux", preset: str | None = None,
             vlen: int | None = None) -> dict:
        """Assemble ``files``, build a fresh machine and load the program (breakpoints are kept)."""
        result, prog = self.assemble(files, isa)
        if prog is None:
            return result
        self.files = check_sources(files)
        from ..isa.arch import DEFAULT_ISA, DEFAULT_ISA32
        if isa == DEFAULT_ISA and getattr(prog, "xlen", 64) == 32:
            isa = DEFAULT_ISA32     # the page's default follows the program's `.attribute arch` (as the CLI)
        self.settings = {"isa": isa, "env": env, "preset": preset, "vlen": vlen}
        self._build(prog)
        result["program"] = self.program_info()
        result["state"] = self.state()
        return result

    def _build(self, prog) -> None:
        from ..debug import DebugSession
        from ..errors import LoadError
        from ..machine import Machine
        s = self.settings
        timing_cfg = _timing_config(str(s["preset"])) if s.get("preset") else None
        vlen = s.get("vlen") or 256
        if timing_cfg is not None and timing_cfg["vector"]["enabled"]:
            vlen = timing_cfg["vector"]["vlen"]
        self.stdout = ConsoleOut()
        self.stdin.reset()
        try:
            m = Machine(s["isa"], memory_size=self.limits.memory, vlen=vlen,
                        env=self._environment(s.get("env", "linux")))
        except ValueError as exc:
            raise SessionError(str(exc)) from None
        name = self.files[0][0]
        try:
            m.load_elf(prog.to_elf(), argv=[name], envp=[], name=name)
        except LoadError as exc:
            raise SessionError(str(exc)) from None
        self.timing = None
        if timing_cfg is not None:
            self.timing = m.enable_timing(timing_cfg)
            self.timing.record_trace(TRACE_CHUNK)
        self._wrap_run(m)
        old_bps = list(self.breakpoints)
        self.machine, self.program = m, prog
        self.debug = DebugSession(m, prog, timing=self.timing, record=True, echo_output=True,
                                  record_limit=self.limits.history)
        if self.debug.recording and getattr(self.debug, "rev", None) is m:
            m.record(max_instructions=self.limits.history, max_bytes=self.limits.history_bytes)
        # the debugger quotes source lines: give it the tab's texts, so it never opens a host file
        texts = dict(self.files)
        for _, f, _ in prog.line_table:
            if f not in self.debug.info._sources:
                text = texts.get(f)
                if text is None:
                    try:
                        text = self.library.read(f) or ""
                    except ValueError:
                        text = ""
                self.debug.info._sources[f] = text.splitlines()
        info = self.debug.info
        info.source_lines = lambda f: info._sources.get(f, [])      # never a host file
        self.timeline = []
        self.finished = None
        self.breakpoints = {}
        for file, line in old_bps:
            try:
                self.set_breakpoint(file, line)
            except SessionError:
                pass

    def _environment(self, name: str):
        from ..host import LinuxEnvironment
        if name == "linux":
            return LinuxEnvironment(stdin=self.stdin, stdout=self.stdout, stderr=self.stdout,
                                    deterministic=True, warn=self._warn)
        factory = available_environments().get(name)
        if factory is None:
            raise SessionError(f"environment {name!r} is not available in this rvsim "
                               f"(have: {', '.join(environment_names())})")
        return factory(self)

    def _warn(self, msg: str) -> None:
        """rvsim's notes about the program (an unknown system call...), in the console, set apart."""
        self.stdout.write(f"[rvsim: {msg}]\n".encode())

    def reset(self) -> dict:
        """Reload the current program: state, console and the cycle model start over."""
        self._need_program()
        self._build(self.program)
        return {"state": self.state()}

    @property
    def reverse(self) -> bool:
        return self.debug is not None and self.debug.can_reverse and self.debug.recording

    def program_info(self) -> dict:
        """Which lines hold code (gutter), symbols, the text range."""
        lines: dict[str, list[int]] = {}
        for addr, f, ln in self.program.line_table:
            lines.setdefault(f, []).append(ln)
        syms = {n: _hex(v) for n, v in self.program.symbol_map.items() if not n.startswith(".L")}
        return {"lines": {f: sorted(set(v)) for f, v in lines.items()}, "symbols": syms,
                "entry": _hex(self.program.entry), "reverse": self.reverse,
                "reverse_note": None if self.reverse else (self.debug.record_error if self.debug else None),
                "timing": self.timing.name if self.timing else None,
                "vlen": self.machine.vlen}

    # ------------------------------------------------------------------ breakpoints

    def set_breakpoint(self, file: str, line: int, on: bool = True) -> dict:
        from ..debug import DebugError
        key = (str(file), int(line))
        if on and key not in self.breakpoints and self.debug is not None:
            addr = self.program.address_of_line(*key)
            if addr is None:
                raise SessionError(f"no instruction at {file}:{line}")
            try:
                self.debug.break_cmd(f"*{addr:#x}")
            except DebugError as exc:
                raise SessionError(str(exc)) from None
            self.breakpoints[key] = max(self.debug.breakpoints)
        elif on and self.debug is None:
            self.breakpoints[key] = 0
        elif not on and key in self.breakpoints:
            number = self.breakpoints.pop(key)
            if self.debug is not None and number in self.debug.breakpoints:
                self.debug.delete_cmd(str(number))
        return {"breakpoints": sorted([f, ln] for f, ln in self.breakpoints)}

    # ------------------------------------------------------------------ running

    def stop(self) -> None:
        """Stop a run in progress (any thread); a program waiting for console input gets end of file."""
        self._stop.set()
        self.stdin.interrupt()

    def send_input(self, text: str) -> None:
        self.stdin.feed(text.encode("utf-8"))

    def _need_program(self):
        if self.machine is None:
            raise SessionError("no program loaded: assemble one first")

    def _budget(self, budget) -> int:
        if budget is None:
            return self.limits.default_budget
        try:
            b = int(budget)
        except (TypeError, ValueError):
            raise SessionError("the instruction budget must be a number") from None
        if b <= 0:
            raise SessionError("the instruction budget must be positive")
        return min(b, self.limits.max_budget)

    def _wrap_run(self, m) -> None:
        """Make ``m.run`` (which the debugger and ``m.step`` call) go in chunks: between them a Stop or
        the end of the budget interrupts the command (as Ctrl-C does in ``rvsim debug``), progress is
        reported and the cycle model's trace is kept."""
        from ..machine import StopInfo, StopReason
        core_run = m.run
        session = self

        def run(max_instructions=None):
            start = m.instret
            remaining = max_instructions
            chunk = TRACE_CHUNK if session.timing is not None else CHUNK
            last_note = time.monotonic()
            while True:
                if session._stop.is_set():
                    raise KeyboardInterrupt
                if session._budget_left is not None and session._budget_left <= 0:
                    session._budget_hit = True
                    raise KeyboardInterrupt
                n = chunk if remaining is None else min(chunk, remaining)
                if session._budget_left is not None:
                    n = min(n, session._budget_left)
                before = m.instret
                info = core_run(n)
                if session._budget_left is not None:
                    session._budget_left -= max(m.instret - before, 1)
                session._drain_trace()
                if session.debug is not None:
                    session.debug.take_output()     # the console has it; do not keep a second copy
                if info.reason is not StopReason.LIMIT:
                    info.instructions = m.instret - start
                    return info
                if remaining is not None:
                    remaining -= n
                    if remaining <= 0:
                        return StopInfo(StopReason.LIMIT, m.pc, m.instret - start)
                now = time.monotonic()
                if now - last_note >= PROGRESS_EVERY:
                    last_note = now
                    session.notify({"event": "progress", "instructions": m.instret - session._cmd_start,
                                    "pc": _hex(m.pc), "console": session.stdout.take()})

        m.run = run

    _cmd_start = 0

    def _command(self, action, budget=None) -> dict:
        """Run one debugger command under Stop and the budget; the page's stop report and state."""
        from ..debug import DebugError
        self._need_program()
        m = self.machine
        self._stop.clear()
        self.stdin.reset()
        self._budget_left = self._budget(budget)
        self._budget_hit = False
        self._cmd_start = m.instret
        self.running = True
        interrupted = False
        try:
            ev = action()
        except DebugError as exc:
            raise SessionError(str(exc)) from None
        except KeyboardInterrupt:         # Stop inside a part the debugger does not guard
            ev, interrupted = None, True
        except Exception as exc:   # a SimulationError or a host-environment failure: the tab shows it
            from ..errors import SimulationError
            if not isinstance(exc, (SimulationError, ValueError, OSError)):
                raise
            self.finished = {"reason": "error", "message": str(exc)}
            return self._report(dict(self.finished), None)
        finally:
            self.running = False
            self._budget_left = None
        if ev is None and not interrupted:
            return self._report({"reason": "none", "message": ""}, None)
        return self._report(self._describe(ev, budget), ev)

    def _describe(self, ev, budget) -> dict:
        if ev is None or ev.reason == "signal":
            if self._budget_hit:
                return {"reason": "budget",
                        "message": f"instruction budget ({self._budget(budget):,}) used up"}
            return {"reason": "stopped", "message": "stopped"}
        r = ev.reason
        if r == "exited":
            out = {"reason": "exit", "exit_code": ev.exit_code,
                   "message": f"program exited with status {ev.exit_code}"}
        elif r == "history-start":
            out = {"reason": "history_start", "message": "reached the start of the recorded history"}
        elif r == "watchpoint":
            text = "; ".join(ln.strip() for ln in ev.lines if ln.strip().startswith(
                ("Hardware", "Watchpoint", "Old value", "New value", "Value")))
            out = {"reason": r, "message": text or r}
        elif r in ("trap", "hang", "ebreak", "stopped"):
            # the debugger's first sentence (the location follows in the page itself)
            text = next((ln.strip() for ln in ev.lines if ln.strip()), r)
            out = {"reason": r, "message": text}
        elif r == "breakpoint":
            out = {"reason": "breakpoint", "message": "breakpoint", "number": ev.breakpoint}
        else:
            out = {"reason": "step", "message": ""}
        if ev.finished:
            self.finished = dict(out)
        out["changes"] = [{"location": c.location, "text": c.text} for c in ev.changes]
        return out

    def _report(self, what: dict, ev) -> dict:
        what["instructions"] = self.machine.instret - self._cmd_start
        return {"stop": what, "state": self.state(), "console": self.stdout.take()}

    def command(self, line: str, budget=None) -> dict:
        """One line of ``rvsim debug``'s command language (print, x, watch, display, info, break,
        backtrace, list...), as the page's debugger console types it: the text it prints, and for
        commands that run the program the stop and state as the buttons give."""
        from ..debug.commands import CommandInterpreter
        self._need_program()
        line = str(line)[:2000]
        word = line.split()[0] if line.split() else ""
        if word in ("quit", "q", "kill", "file", "source", "shell", "run", "r", "start"):
            raise SessionError(f"`{word}` is not available in the page (use the buttons)")
        texts: list[str] = []
        interp = CommandInterpreter(self.debug, on_text=texts.append)
        box = {}

        def run():
            box["result"] = interp.execute(line)
            return box["result"].event

        out = self._command(run, budget)
        result = box.get("result")
        if result is not None:
            texts += result.lines
            if result.raw:
                texts.append(result.raw.rstrip("\n"))
            if result.event is not None:
                texts += result.event.lines
        out["lines"] = texts
        if result is not None and result.event is None:
            out.pop("stop", None)               # nothing ran: no stop to report
        self._sync_breakpoints()
        out["breakpoints"] = sorted([f, ln] for f, ln in self.breakpoints)
        return out

    def _sync_breakpoints(self) -> None:
        """The gutter's breakpoints from the debugger's (a console `break` or `delete` changes them)."""
        marks = {}
        for number, bp in self.debug.breakpoints.items():
            if bp.is_watch or bp.address is None:
                continue
            where = self.debug.info.line_at(bp.address)
            if where is not None:
                marks[(where[0], where[1])] = number
        self.breakpoints = marks

    # the commands
    def step(self, n: int = 1, budget=None) -> dict:
        """``n`` source lines (an instruction where there is no line), into calls."""
        return self._command(lambda: self.debug.step(max(1, int(n))), budget)

    def stepi(self, n: int = 1, budget=None) -> dict:
        return self._command(lambda: self.debug.stepi(max(1, int(n))), budget)

    def cont(self, budget=None) -> dict:
        return self._command(self.debug_or_fail("cont"), budget)

    def step_over(self, budget=None) -> dict:
        return self._command(self.debug_or_fail("next"), budget)

    def step_out(self, budget=None) -> dict:
        return self._command(self.debug_or_fail("finish"), budget)

    def run_to_line(self, file: str, line: int, budget=None) -> dict:
        """Continue to a source line (continue to cursor), as gdb's ``advance``."""
        self._need_program()
        addr = self.program.address_of_line(str(file), int(line))
        if addr is None:
            raise SessionError(f"no instruction at {file}:{line}")
        return self._command(lambda: self.debug.until(f"*{addr:#x}", advance=True), budget)

    def reverse_step(self, n: int = 1) -> dict:
        """Back ``n`` source lines (the mirror of :meth:`step`)."""
        self._need_reverse()
        self.finished = None
        self.timeline = []
        return self._command(lambda: self.debug.reverse_step(max(1, int(n))))

    def reverse_stepi(self, n: int = 1) -> dict:
        self._need_reverse()
        self.finished = None
        self.timeline = []
        return self._command(lambda: self.debug.reverse_stepi(max(1, int(n))))

    def reverse_continue(self) -> dict:
        self._need_reverse()
        self.finished = None
        self.timeline = []
        return self._command(self.debug.reverse_continue)

    def _need_reverse(self):
        self._need_program()
        if not self.reverse:
            raise SessionError("reverse execution is not available in this rvsim" +
                               (f" ({self.debug.record_error})" if self.debug.record_error else ""))

    def debug_or_fail(self, name):
        self._need_program()
        return getattr(self.debug, name)

    # ------------------------------------------------------------------ state

    def _disasm(self, raw: int, pc: int) -> str:
        key = (raw, pc)
        text = self._disasm_cache.get(key)
        if text is None:
            try:
                from ..disasm import disassemble
                text = disassemble(raw, pc=pc)
            except Exception:   # a listing nicety; never a reason to fail a step
                text = f".word {raw:#x}"
            if len(self._disasm_cache) < 100_000:
                self._disasm_cache[key] = text
        return text

    def where(self, pc: int) -> dict | None:
        if self.debug is None or not self.debug.info.in_code(pc):
            return None
        loc = self.debug.info.line_at(pc)
        return {"file": loc[0], "line": loc[1]} if loc else None

    def call_stack(self) -> list[dict]:
        """The debugger's frames (recorded calls and returns, or prologue analysis), innermost first."""
        if self.debug is None or self.debug.finished:
            return []
        try:
            frames = self.debug.frames(limit=32)
        except Exception:   # unwinding a corrupted stack must not fail a step
            return []
        # an outer frame is shown at its call (the line of the instruction before the return address),
        # as backtrace does
        return [{"pc": _hex(f["pc"]), "sp": _hex(f["sp"]), "function": f["function"],
                 "where": self.where(f["pc"] - (1 if i else 0))} for i, f in enumerate(frames)]

    def read_memory(self, follow: str = "sp", count: int = 256) -> dict:
        """Bytes at a register (``sp``, ``a0``...), a label or an address."""
        self._need_program()
        m = self.machine
        count = max(16, min(int(count), self.limits.max_memory_view))
        follow = (follow or "sp").strip()
        if follow in ABI or (follow.startswith("x") and follow[1:].isdigit() and int(follow[1:]) < 32):
            addr = int(m.x[ABI.index(follow) if follow in ABI else int(follow[1:])])
        elif follow == "pc":
            addr = m.pc
        elif follow in self.program.symbol_map:
            addr = self.program.symbol_map[follow]
        else:
            try:
                addr = int(follow, 0)
            except ValueError:
                raise SessionError(f"cannot follow {follow!r}: give a register, a label or an address") \
                    from None
        lo = max(addr, m.memory_base)
        hi = min(addr + count, m.memory_base + m.memory_size)
        data = m.read(lo, hi - lo) if hi > lo else b""
        return {"follow": follow, "address": _hex(lo), "bytes": data.hex()}

    def state(self, memory: dict | None = None) -> dict:
        if self.machine is None:
            return {}
        m = self.machine
        self.last_used = time.monotonic()
        out = {"pc": _hex(m.pc), "instret": m.instret, "priv": m.priv,
               "x": [_hex(v) for v in m.x], "where": self.where(m.pc),
               "finished": self.finished, "history": getattr(m, "history_length", None)}
        exts = m.extensions
        if "f" in exts or "d" in exts:
            out["f"] = [_hex(v) for v in m.f]
        csrs = {}
        for name in SHOWN_CSRS:
            try:
                csrs[name] = _hex(m.csr[name])
            except KeyError:
                pass
        out["csr"] = csrs
        if "v" in exts:
            vt = m.vtype
            out["vector"] = {"vl": m.vl, "vstart": m.vstart, "vlen": m.vlen,
                             "vtype": {"sew": vt.sew, "lmul": vt.lmul, "ta": vt.ta, "ma": vt.ma,
                                       "vill": vt.vill, "raw": _hex(vt.raw)},
                             "regs": [bytes(m.v[i]).hex() for i in range(32)]}
        out["stack"] = self.call_stack()
        if memory is not None:
            try:
                out["memory"] = self.read_memory(memory.get("follow", "sp"), memory.get("count", 256))
            except SessionError as exc:
                out["memory"] = {"error": str(exc)}
        if self.timing is not None:
            out["timing"] = self.timing_state()
        return out

    # ------------------------------------------------------------------ cycle model

    def _drain_trace(self) -> None:
        """Keep the last N records of the timing trace (the buffer holds one chunk), then empty it."""
        if self.timing is None:
            return
        lib, m = self.timing._lib, self.machine
        used = lib.rv_timing_trace_used(m._core)
        if not used:
            return
        keep = self.limits.timeline
        buf = self.timing._trace_buf
        from ..timing import STALL_CAUSES
        fresh = []
        for i in range(max(0, used - keep), used):
            r = buf[i]
            pc, raw = int(r.pc), int(r.raw)
            fresh.append({"pc": _hex(pc), "text": self._disasm(raw, pc), "where": self.where(pc),
                          "fetch": int(r.fetch), "issue": int(r.issue), "start": int(r.start),
                          "done": int(r.done), "vector": bool(r.vector),
                          "cause": STALL_CAUSES[r.cause] if r.cause < len(STALL_CAUSES) else None,
                          "stall": int(r.stall)})
        self.timeline = (self.timeline + fresh)[-keep:]
        lib.rv_timing_trace_clear(m._core)

    def timing_state(self) -> dict:
        t = self.timing
        result = t.result(self.program)
        by_line: dict[str, dict[int, dict]] = {}
        for (f, ln), s in result.by_line.items():
            by_line.setdefault(f, {})[ln] = {"count": s.count, "cycles": s.cycles,
                                             "cause": s.main_cause}
        cache = result.cache
        return {"preset": t.name, "cycles": result.cycles, "instructions": result.instructions,
                "ipc": round(result.ipc, 3), "stalls": {k: v for k, v in result.stalls.items() if v},
                "cache": cache, "vector": result.vector, "by_line": by_line,
                "timeline": self.timeline}


def _timing_config(preset: str) -> dict:
    """A shipped preset by name, or the text of the user's TOML file (never a path: the page must not
    make the server read files)."""
    from ..timing.config import TimingConfigError, load_config, parse_config, preset_names
    try:
        if preset in preset_names():
            return load_config(preset)
        if "\n" not in preset and "=" not in preset:
            raise SessionError(f"no timing preset {preset!r} (have: {', '.join(preset_names())}, or "
                               "upload a .toml file)")
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib
        try:
            data = tomllib.loads(preset)
        except tomllib.TOMLDecodeError as exc:
            raise SessionError(f"the timing file is not valid TOML: {exc}") from None
        cfg = parse_config(data, "your timing file")
        cfg["name"] = cfg["name"] or "custom"
        return cfg
    except TimingConfigError as exc:
        raise SessionError(f"timing preset: {exc}") from None


def available_environments() -> dict:
    """Environment name -> factory(session) for the teaching environments (rvsim.teaching): RARS's and
    Venus's system calls, on the tab's console."""
    from ..teaching import ENVIRONMENTS
    return {name: (lambda cls: lambda s: cls(stdin=s.stdin, stdout=s.stdout, stderr=s.stdout,
                                             deterministic=True, warn=s._warn))(cls)
            for name, cls in ENVIRONMENTS.items() if name != "linux"}


def environment_names() -> list[str]:
    return ["linux", *available_environments()]
