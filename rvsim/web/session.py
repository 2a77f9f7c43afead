"""One browser tab's machine: load, run in chunks (so Stop works and progress shows), step, break, and
the state the page draws, as JSON-ready dictionaries.

Everything here runs in the tab's worker thread, one command at a time, except :meth:`WebSession.stop`
and :meth:`WebSession.send_input`, which any thread may call.  Reverse execution (``Machine.record``,
``reverse_step``, ``reverse_continue``) is used when the Machine has it.
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


class SessionError(ValueError):
    """A command the session cannot do now (no program, bad argument): shown to the user."""


class ConsoleOut:
    """The program's stdout/stderr: kept (bounded) until the page fetches it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = bytearray()
        self.total = 0
        self.truncated = False

    def write(self, data) -> int:
        data = bytes(data)
        with self._lock:
            room = MAX_OUTPUT - self.total
            if room <= 0:
                self.truncated = True
            else:
                self._pending += data[:room]
                self.total += min(len(data), room)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> str:
        with self._lock:
            out, self._pending = bytes(self._pending), bytearray()
        return out.decode("utf-8", errors="replace")


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


def _is_call(word: int) -> bool:
    """jal/jalr writing ra or t0 (x1/x5), or c.jal/c.jalr: a call, for step over."""
    if word & 3 != 3:
        h = word & 0xFFFF
        return (h & 0xF07F) == 0x9002 and (h >> 7) & 31 != 0     # c.jalr rs1
    op, rd = word & 0x7F, (word >> 7) & 31
    return op in (0x6F, 0x67) and rd in (1, 5)


def _is_return(word: int) -> bool:
    """jalr x0, 0(ra) (ret) or c.jr ra."""
    if word & 3 != 3:
        return (word & 0xFFFF) == 0x8082
    return word & 0x7F == 0x67 and (word >> 7) & 31 == 0 and (word >> 15) & 31 in (1, 5)


class WebSession:
    """The machine behind one tab."""

    def __init__(self, limits: Limits | None = None, library: Library | None = None, notify=None):
        self.limits = limits or Limits()
        self.library = library or Library()
        self.notify = notify or (lambda event: None)       # called from the worker thread
        self.machine = None
        self.program = None
        self.files: list[tuple[str, str]] = []
        self.settings: dict = {}
        self.stdout = ConsoleOut()
        self.stdin = ConsoleIn()
        self._stop = threading.Event()
        self.running = False
        self.breakpoints: set[tuple[str, int]] = set()      # (file, line)
        self._bp_addrs: set[int] = set()
        self.timeline: list[dict] = []
        self.finished: dict | None = None     # the exit/trap that ended the program
        self.last_used = time.monotonic()
        self.reverse = False
        self._disasm_cache: dict[tuple[int, int], str] = {}

    # ------------------------------------------------------------------ loading

    def assemble(self, files, isa: str):
        """Assemble without loading: ``{"ok", "errors", "warnings"}``."""
        from ..asm import AsmError
        srcs = check_sources(files)
        try:
            prog = assemble_sources(srcs, isa, self.library)
        except AsmError as exc:
            return {"ok": False, "errors": [diagnostic_json(d) for d in exc.diagnostics]}, None
        return {"ok": True, "errors": [], "size": sum(len(s.data) for s in prog.sections)}, prog

    def load(self, files, isa: str = "rv64gcv", env: str = "linux", preset: str | None = None,
             vlen: int | None = None) -> dict:
        """Assemble ``files``, build a fresh machine and load the program (breakpoints are kept)."""
        result, prog = self.assemble(files, isa)
        if prog is None:
            return result
        self.files = check_sources(files)
        self.settings = {"isa": isa, "env": env, "preset": preset, "vlen": vlen}
        self._build(prog)
        result["program"] = self.program_info()
        result["state"] = self.state()
        return result

    def _build(self, prog) -> None:
        from ..machine import Machine
        s = self.settings
        timing_cfg = None
        vlen = s.get("vlen") or 256
        if s.get("preset"):
            timing_cfg = _timing_config(str(s["preset"]))
            if timing_cfg["vector"]["enabled"]:
                vlen = timing_cfg["vector"]["vlen"]
        try:
            m = Machine(s["isa"], memory_size=self.limits.memory, vlen=vlen,
                        env=self._environment(s.get("env", "linux")))
        except ValueError as exc:
            raise SessionError(str(exc)) from None
        self.stdout = ConsoleOut()
        self.stdin.reset()
        m.env = self._environment(s.get("env", "linux"))
        name = self.files[0][0]
        from ..errors import LoadError
        try:
            m.load_elf(prog.to_elf(), argv=[name], envp=[], name=name)
        except LoadError as exc:
            raise SessionError(str(exc)) from None
        self.machine, self.program = m, prog
        self.timing = None
        if timing_cfg is not None:
            self.timing = m.enable_timing(timing_cfg)
            self.timing.record_trace(TRACE_CHUNK)
        self.timeline = []
        self.finished = None
        self._bp_addrs = set()
        for file, line in list(self.breakpoints):
            self._arm(file, line)
        self.reverse = hasattr(m, "record") and hasattr(m, "reverse_step")
        if self.reverse:
            m.record()

    def _environment(self, name: str):
        from ..host import LinuxEnvironment
        if name == "linux":
            return LinuxEnvironment(stdin=self.stdin, stdout=self.stdout, stderr=self.stdout,
                                    deterministic=True, warn=lambda msg: self.stdout.write(
                                        f"[rvsim: {msg}]\n".encode()))
        factory = available_environments().get(name)
        if factory is None:
            raise SessionError(f"environment {name!r} is not available in this rvsim "
                               f"(have: {', '.join(available_environments())})")
        return factory(self)

    def reset(self) -> dict:
        """Reload the current program: state, console and the cycle model start over."""
        self._need_program()
        self._build(self.program)
        return {"state": self.state()}

    def program_info(self) -> dict:
        """Which lines hold code (gutter), symbols, the text range."""
        lines: dict[str, list[int]] = {}
        for addr, f, ln in self.program.line_table:
            lines.setdefault(f, []).append(ln)
        syms = {n: _hex(v) for n, v in self.program.symbol_map.items() if not n.startswith(".L")}
        return {"lines": {f: sorted(set(v)) for f, v in lines.items()}, "symbols": syms,
                "entry": _hex(self.program.entry), "reverse": self.reverse,
                "timing": self.timing.name if self.timing else None,
                "vlen": self.machine.vlen}

    # ------------------------------------------------------------------ breakpoints

    def set_breakpoint(self, file: str, line: int, on: bool = True) -> dict:
        key = (str(file), int(line))
        if on:
            self.breakpoints.add(key)
            if self.program is not None and self._arm(*key) is None:
                self.breakpoints.discard(key)
                raise SessionError(f"no instruction at {file}:{line}")
        else:
            self.breakpoints.discard(key)
            if self.program is not None:
                addr = self.program.address_of_line(*key)
                if addr is not None and addr in self._bp_addrs:
                    self._bp_addrs.discard(addr)
                    self.machine.remove_breakpoint(addr)
        return {"breakpoints": sorted([f, ln] for f, ln in self.breakpoints)}

    def _arm(self, file: str, line: int):
        addr = self.program.address_of_line(file, line)
        if addr is not None:
            self.machine.add_breakpoint(addr)
            self._bp_addrs.add(addr)
        return addr

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
        b = int(budget)
        if b <= 0:
            raise SessionError("the instruction budget must be positive")
        return min(b, self.limits.max_budget)

    def _run(self, budget: int, single: bool = False, until=None) -> dict:
        """Run up to ``budget`` instructions in chunks, checking Stop between them.  ``until(m)`` is tested
        after each instruction when given (slow path, for step out)."""
        from ..machine import StopReason
        m = self.machine
        if self.finished is not None:
            return self._stop_report(self.finished, 0)
        self._stop.clear()
        self.stdin.reset()
        self.running = True
        start, last_note = m.instret, time.monotonic()
        remaining = budget
        chunk_size = TRACE_CHUNK if self.timing is not None else CHUNK
        try:
            while True:
                n = 1 if until is not None else min(chunk_size, remaining)
                info = m.run(n)
                remaining -= max(info.instructions, 1 if info.reason is StopReason.LIMIT else 0)
                self._drain_trace()
                if info.reason is not StopReason.LIMIT:
                    if info.reason in (StopReason.EXIT, StopReason.TRAP, StopReason.HANG,
                                       StopReason.EBREAK, StopReason.ECALL):
                        self.finished = self._describe(info)
                    return self._stop_report(self._describe(info), m.instret - start)
                if until is not None and until(m):
                    return self._stop_report({"reason": "step", "message": ""}, m.instret - start)
                if remaining <= 0:
                    reason = "step" if single else "budget"
                    msg = "" if single else f"instruction budget ({budget:,}) used up"
                    return self._stop_report({"reason": reason, "message": msg}, m.instret - start)
                if self._stop.is_set():
                    return self._stop_report({"reason": "stopped", "message": "stopped"},
                                             m.instret - start)
                now = time.monotonic()
                if now - last_note >= PROGRESS_EVERY:
                    last_note = now
                    self.notify({"event": "progress", "instructions": m.instret - start,
                                 "pc": _hex(m.pc), "console": self.stdout.take()})
        except KeyboardInterrupt:
            raise
        except Exception as exc:   # a SimulationError or a host-environment failure: the tab shows it
            from ..errors import SimulationError
            if not isinstance(exc, (SimulationError, ValueError, OSError)):
                raise
            self.finished = {"reason": "error", "message": str(exc)}
            return self._stop_report(self.finished, m.instret - start)
        finally:
            self.running = False

    def _describe(self, info) -> dict:
        from ..machine import StopReason
        r = info.reason
        if r is StopReason.EXIT:
            return {"reason": "exit", "exit_code": info.exit_code,
                    "message": f"program exited with status {info.exit_code}"}
        if r is StopReason.BREAKPOINT:
            return {"reason": "breakpoint", "message": "breakpoint"}
        if r is StopReason.TRAP:
            what = info.cause_name
            if info.cause in (0, 1, 4, 5, 6, 7):
                what += f" (address {info.tval:#x})"
            return {"reason": "trap", "message": f"unhandled trap: {what} at pc {info.pc:#x}"}
        if r is StopReason.HANG:
            return {"reason": "hang", "message": "the program hangs in a jump to itself"}
        return {"reason": r.value, "message": f"{r.value} at pc {info.pc:#x}"}

    def _stop_report(self, what: dict, retired: int) -> dict:
        return {"stop": dict(what, instructions=retired), "state": self.state(),
                "console": self.stdout.take()}

    # the commands
    def step(self, n: int = 1) -> dict:
        self._need_program()
        return self._run(max(1, min(int(n), self.limits.max_budget)), single=True)

    def cont(self, budget=None) -> dict:
        self._need_program()
        return self._run(self._budget(budget))

    def step_over(self, budget=None) -> dict:
        """One instruction, or a whole call (stopping at a breakpoint inside it)."""
        self._need_program()
        m = self.machine
        word = self._word(m.pc)
        if word is None or not _is_call(word):
            return self.step()
        ret = m.pc + (4 if word & 3 == 3 else 2)
        sp0 = int(m.x[2])
        return self._run_to(ret, self._budget(budget), lambda: int(m.x[2]) >= sp0)

    def step_out(self, budget=None) -> dict:
        """Run until the current function returns (counting the calls and returns on the way)."""
        self._need_program()
        m = self.machine
        depth = [0]
        budget = self._budget(budget)
        start = m.instret
        self._stop.clear()
        deadline_note = time.monotonic()
        while True:
            word = self._word(m.pc)
            if word is not None:
                if _is_call(word):
                    depth[0] += 1
                elif _is_return(word):
                    depth[0] -= 1
            report = self._run(1, single=True)
            stop = report["stop"]
            if stop["reason"] != "step" or depth[0] < 0:
                stop["instructions"] = m.instret - start
                return report
            if m.instret - start >= budget:
                report["stop"] = {"reason": "budget", "instructions": m.instret - start,
                                  "message": f"instruction budget ({budget:,}) used up"}
                return report
            if self._stop.is_set():
                report["stop"] = {"reason": "stopped", "message": "stopped",
                                  "instructions": m.instret - start}
                return report
            if time.monotonic() - deadline_note > PROGRESS_EVERY:
                deadline_note = time.monotonic()
                self.notify({"event": "progress", "instructions": m.instret - start, "pc": _hex(m.pc),
                             "console": self.stdout.take()})

    def run_to_line(self, file: str, line: int, budget=None) -> dict:
        """Continue to a source line (continue to cursor)."""
        self._need_program()
        addr = self.program.address_of_line(str(file), int(line))
        if addr is None:
            raise SessionError(f"no instruction at {file}:{line}")
        return self._run_to(addr, self._budget(budget), lambda: True)

    def _run_to(self, addr: int, budget: int, accept) -> dict:
        m = self.machine
        temporary = addr not in self._bp_addrs
        if temporary:
            m.add_breakpoint(addr)
        try:
            start = m.instret
            while True:
                report = self._run(budget - (m.instret - start))
                stop = report["stop"]
                stop["instructions"] = m.instret - start
                if stop["reason"] == "breakpoint" and m.pc == addr:
                    if accept():
                        if temporary:
                            stop.update(reason="step", message="")
                        return report
                    # the same return address at a deeper recursion: go on
                    m.step()
                    continue
                return report
        finally:
            if temporary:
                m.remove_breakpoint(addr)

    def reverse_step(self, n: int = 1) -> dict:
        self._need_program()
        if not self.reverse:
            raise SessionError("reverse execution is not available in this rvsim")
        self.finished = None
        info = self.machine.reverse_step(max(1, int(n)))
        return self._reverse_report(info)

    def reverse_continue(self) -> dict:
        self._need_program()
        if not self.reverse:
            raise SessionError("reverse execution is not available in this rvsim")
        self.finished = None
        info = self.machine.reverse_continue()
        return self._reverse_report(info)

    def _reverse_report(self, info) -> dict:
        reason = getattr(getattr(info, "reason", None), "value", "step")
        msg = "" if reason in ("step", "limit") else str(reason).replace("_", " ")
        if reason == "history_start":
            msg = "reached the start of the recorded history"
        self.timeline = []
        return self._stop_report({"reason": str(reason), "message": msg}, 0)

    # ------------------------------------------------------------------ state

    def _word(self, pc: int) -> int | None:
        try:
            raw = self.machine.read(pc, 4)
        except ValueError:
            return None
        w = int.from_bytes(raw, "little")
        return w if w & 3 == 3 else w & 0xFFFF

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
        if self.program is None:
            return None
        text = [s for s in self.program.sections if s.name.startswith(".text")]
        if not any(s.address <= pc < s.end for s in text):
            return None
        loc = self.program.line_at(pc)
        return {"file": loc[0], "line": loc[1]} if loc else None

    def function_at(self, pc: int) -> str | None:
        best, best_addr = None, -1
        text = [s for s in self.program.sections if s.name.startswith(".text")]
        if not any(s.address <= pc < s.end for s in text):
            return None
        for s in self.program.symbols:
            if s.value <= pc and s.value > best_addr and not s.name.startswith(".L") and \
                    any(t.address <= s.value < t.end for t in text) and not s.name[:1].isdigit():
                best, best_addr = s.name, s.value
        return best

    def call_stack(self) -> list[dict]:
        """Frames from the ABI: the pc, then return addresses found in ra and on the stack (a word that
        points just after a call instruction), innermost first.  A heuristic that suits course programs."""
        m = self.machine
        frames = [{"pc": _hex(m.pc), "function": self.function_at(m.pc), "where": self.where(m.pc)}]
        here = self.function_at(m.pc)
        ra, sp = int(m.x[1]), int(m.x[2])
        try:
            stack = m.read(sp, max(0, min(2048, m.memory_base + m.memory_size - sp)))
        except ValueError:
            stack = b""
        saved = [int.from_bytes(stack[off:off + 8], "little") for off in range(0, len(stack) - 7, 8)]
        saved = [r for r in saved if self._is_return_address(r)]
        # ra is a frame of its own unless this function already stored it on the stack (the copy there is
        # the frame) or it is stale (it points back into this function, at or before the pc)
        stale = self.function_at(ra) == here and ra <= m.pc
        if self._is_return_address(ra) and not stale and not self._saved_ra(here, m.pc):
            saved.insert(0, ra)
        for ret in saved[:15]:
            frames.append({"pc": _hex(ret), "function": self.function_at(ret), "where": self.where(ret)})
        return frames

    def _saved_ra(self, function: str | None, pc: int) -> bool:
        """Whether an `sd/sw ra, N(sp)` (or c.sdsp/c.swsp ra) lies between the function's start and pc."""
        start = self.program.symbol_map.get(function) if function else None
        if start is None or not 0 <= pc - start <= 4096:
            return False
        addr = start
        while addr < pc:
            w = self._word(addr)
            if w is None:
                return False
            if w & 3 == 3:
                if w & 0x7F == 0x23 and (w >> 12) & 7 in (2, 3) and (w >> 20) & 31 == 1 and \
                        (w >> 15) & 31 == 2:
                    return True
                addr += 4
            else:
                if (w & 0xE003) in (0xE002, 0xC002) and (w >> 2) & 31 == 1:
                    return True
                addr += 2
        return False

    def _is_return_address(self, addr: int) -> bool:
        """In the program's text, just after a call instruction."""
        if self.where(addr) is None:
            return False
        prev = self._word(addr - 4)
        if prev is not None and prev & 3 == 3 and _is_call(prev):
            return True
        prev2 = self._word(addr - 2)
        return prev2 is not None and prev2 & 3 != 3 and _is_call(prev2)

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
    """Environment name -> factory(session) for the teaching environments this rvsim has."""
    envs: dict = {}
    try:
        from .. import host
    except ImportError:  # pragma: no cover
        return envs
    for name, cls_name in (("rars", "RarsEnvironment"), ("venus", "VenusEnvironment")):
        cls = getattr(host, cls_name, None)
        if cls is not None:
            envs[name] = (lambda cls: lambda s: cls(stdin=s.stdin, stdout=s.stdout, stderr=s.stdout))(cls)
    return envs


def environment_names() -> list[str]:
    return ["linux", *available_environments()]
