"""The debugger's engine: :class:`DebugSession` owns a loaded Machine and runs gdb's commands on it.

It has no terminal: each command returns text lines (gdb's wording) and, for commands that run the
program, a :class:`StopEvent` with the structured facts (reason, pc, source location, what changed,
the program's output).  ``rvsim debug`` (rvsim/debug/repl.py) and the web IDE are front ends over it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..machine import StopReason
from .expr import (DOUBLE, FLOAT, INT, CType, DebugError, Value,
                   bits_of, cast, data_model, evaluate, format_float, format_value, from_bits, wrap)
from .program import ABI, FABI, ProgramInfo, call_or_return, memory_access, register_index

MASK64 = 2**64 - 1
WATCHED_CSRS = ("fflags", "frm", "vstart", "vxsat", "vxrm", "vl", "vtype")
FORMATS = "xduotacfsiz"
UNITS = {"b": 1, "h": 2, "w": 4, "g": 8}


# a stop after many instructions lists the memory they wrote, the most recent first, up to this many
MEMORY_CHANGES_SHOWN = 10


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass
class Change:
    """One location the last command wrote: a register or memory."""
    location: str          # 'a0', 'ft1', 'vl', 'v2', 'mem 0x11000'
    old: object
    new: object
    text: str              # 'a0: 0x1 -> 0x2a (1 -> 42)'


@dataclass
class StopEvent:
    reason: str            # step breakpoint watchpoint signal exited trap hang history-start ebreak ...
    pc: int
    lines: list[str] = field(default_factory=list)      # gdb's text of the stop
    changes: list[Change] = field(default_factory=list)
    output: bytes = b""    # what the program wrote while it ran
    file: str | None = None
    line: int | None = None
    function: str | None = None
    breakpoint: int | None = None
    exit_code: int | None = None
    finished: bool = False


@dataclass
class Breakpoint:
    number: int
    kind: str                      # breakpoint | watchpoint | read watchpoint | acc watchpoint
    address: int | None = None     # breakpoints
    what: str = ""                 # the location or expression as given
    condition: str | None = None
    temporary: bool = False
    once: bool = False             # `enable once`: disabled after the next hit
    enabled: bool = True
    hits: int = 0
    ignore: int = 0
    # watchpoints
    lval: tuple | None = None      # ('mem', addr) or ('x', n) ('f', n)
    ctype: CType | None = None
    old: object = None
    core_id: int | None = None

    @property
    def is_watch(self) -> bool:
        return self.kind != "breakpoint"


@dataclass
class Display:
    number: int
    expr: str
    fmt: str | None          # print format or x format ('i', 's' ...)
    is_x: bool
    count: int = 1
    unit: int | None = None
    enabled: bool = True


class _Tracker:
    """Wraps the program's stdout/stderr: remembers what it wrote and whether a line is open."""

    def __init__(self, stream, owner):
        self.stream, self.owner = stream, owner

    def write(self, data):
        if data:
            self.owner._output.extend(data)
            self.owner.wrote_output = True
            self.owner.at_line_start = bytes(data)[-1:] == b"\n"
            if self.owner.echo_output:
                n = self.stream.write(data)
                self.stream.flush()
                return n
        return len(data)

    def flush(self):
        if self.owner.echo_output:
            self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


class _Interrupted(Exception):
    pass


class DebugSession:
    """A debugging session over a loaded :class:`rvsim.Machine`.

    ``program`` is the rvsim.asm.Program when the source was assembled by rvsim (it gives source lines);
    ``record`` turns reverse execution on when the core offers it.  ``echo_output=False`` keeps the
    program's output in the stop events only (for a web front end)."""

    def __init__(self, machine, program=None, *, timing=None, record=True, echo_output=True,
                 record_limit=10_000_000):
        self.m = machine
        self.addr_digits = getattr(machine, "xlen", 64) // 4     # GDB prints RV32 addresses with 8 digits
        self.model = data_model(getattr(machine, "xlen", 64))    # C types: ILP32 on RV32, LP64 on RV64
        self.timing = timing
        self.info = ProgramInfo(machine, program)
        self.echo_output = echo_output
        self.at_line_start = True
        self._output = bytearray()
        self._track_output()
        self.breakpoints: dict[int, Breakpoint] = {}
        self.displays: dict[int, Display] = {}
        self._next_bp = 1
        self._next_display = 1
        self.values: list[Value] = []
        self.convenience: dict[str, Value] = {}
        self.finished = False
        self.exit_code = None
        self.start_instret = machine.instret
        self._instret_at_stop = machine.instret          # the cycle view's interval starts here
        self._cycles_at_stop = timing.cycles if timing is not None else 0
        self._last_x = ("x", 4, "x")         # x's remembered format, unit and next address
        self._x_next = None
        self._list_next = None
        self._last_function = None
        self.history_note_shown = False
        self.recording = False
        self.record_error = None if record else "recording is off: start rvsim debug without --no-record"
        if record:
            self.start_recording(record_limit)

    # ---------------------------------------------------------------- output of the program

    def _track_output(self):
        env = self.m.env
        if env is None:
            return
        wrapped = {}
        for attr in ("stdout", "stderr"):
            stream = getattr(env, attr, None)
            if stream is not None and not isinstance(stream, _Tracker):
                wrapped[id(stream)] = _Tracker(stream, self)
                setattr(env, attr, wrapped[id(stream)])
        for table in (getattr(env, "fds", None), getattr(env, "handles", None)):
            if not isinstance(table, dict):
                continue
            for key, entry in table.items():
                target = entry.stream if hasattr(entry, "stream") else entry
                if id(target) in wrapped:
                    if hasattr(entry, "stream"):
                        entry.stream = wrapped[id(target)]
                    else:
                        table[key] = wrapped[id(target)]

    def take_output(self) -> bytes:
        out = bytes(self._output)
        self._output.clear()
        return out

    # ---------------------------------------------------------------- reverse execution

    @property
    def can_reverse(self) -> bool:
        return self.rev is not None

    rev = None

    def start_recording(self, limit=10_000_000):
        """Record from here (the core's undo log) so that the reverse commands work."""
        try:
            self.m.record(max_instructions=limit)
            self._recorded_from = self.m.instret
            self.rev = self.m
            self.recording = True
        except (MemoryError, ValueError, RuntimeError) as exc:   # debug on, without history
            self.record_error = f"recording failed: {exc}"

    # ---------------------------------------------------------------- state snapshots for changes

    def _regs(self):
        csrs = {}
        for name in WATCHED_CSRS:
            try:
                csrs[name] = self.m.csr[name]
            except KeyError:
                pass
        return (self.m.x.copy(), self.m.f.copy(), csrs, self.m.v.copy(), self.m.pc, self.m.instret)

    def _vector_dest(self, pc0: int, instret0: int) -> tuple[str, int]:
        """How to show the vector registers the last command changed: ('f' or 'd', element width).
        Decided by the instruction that wrote them when the command moved by one instruction
        (forward: the one at the old pc; back: the one at the new pc), else integers at SEW."""
        sew = self._sew()
        moved = self.m.instret - instret0
        pc = pc0 if moved == 1 else self.m.pc if moved == -1 else None
        insn = self.info.insn_at(pc) if pc is not None else None
        return vector_dest_format(insn[2].split()[0] if insn else "", sew)

    def _diff(self, before, mem_changes) -> list[Change]:
        x0, f0, c0, v0, pc0, instret0 = before
        out = []
        x1, f1 = self.m.x, self.m.f
        for i in np.nonzero(x0 != x1)[0]:
            if i == 0:
                continue
            old, new = int(x0[i]), int(x1[i])
            out.append(Change(ABI[i], old, new, f"{ABI[i]}: {old:#x} -> {new:#x} "
                              f"({wrap(old, self.model.long)} -> {wrap(new, self.model.long)})"))
        for i in np.nonzero(f0 != f1)[0]:
            old, new = int(f0[i]), int(f1[i])
            out.append(Change(FABI[i], old, new, f"{FABI[i]}: {old:#x} -> {new:#x} "
                              f"({self._fp_text(old)} -> {self._fp_text(new)})"))
        for name, old in c0.items():
            new = self.m.csr[name]
            if new != old:
                out.append(Change(name, old, new, f"{name}: {old:#x} -> {new:#x}"))
        changed_v = np.nonzero((v0 != self.m.v).any(axis=1))[0]
        if len(changed_v):
            fmt, eew = self._vector_dest(pc0, instret0)
        for i in changed_v:
            old = vector_elements(v0[i], eew, fmt)
            new = vector_elements(self.m.v[i], eew, fmt)
            out.append(Change(f"v{i}", old, new, f"v{i}: {_short_list(old)} -> {_short_list(new)}"))
        shown = 0
        for addr, old, new in mem_changes:
            if old == new:
                continue
            if shown == MEMORY_CHANGES_SHOWN:
                rest = sum(1 for _, o, n in mem_changes if o != n) - shown
                out.append(Change("mem ...", None, None, f"... and {rest} more memory location"
                                  f"{'s' if rest > 1 else ''} written"))
                break
            shown += 1
            n = len(new)
            where = self.info.addr_text(addr)
            if n not in (1, 2, 4, 8):
                # a vector store's bytes: as words (x/Nxw's order), not as one huge number
                k = 4 if n % 4 == 0 else 1
                words = lambda data: [f"{int.from_bytes(data[i:i + k], 'little'):#x}"   # noqa: E731
                                      for i in range(0, n, k)]
                out.append(Change(f"mem {addr:#x}", old, new, f"[{where}] ({n} bytes): "
                                  f"{_short_list(words(old))} -> {_short_list(words(new))}"))
                continue
            o, w = int.from_bytes(old, "little"), int.from_bytes(new, "little")
            out.append(Change(f"mem {addr:#x}", old, new,
                              f"[{where}] ({n} bytes): {o:#x} -> {w:#x} "
                              f"({wrap(o, CType('s', n))} -> {wrap(w, CType('s', n))})"))
        return out

    @staticmethod
    def _fp_text(raw: int) -> str:
        if raw >> 32 == 0xFFFFFFFF:
            from .expr import format_float
            return format_float(from_bits(raw & 0xFFFFFFFF, FLOAT), 4)
        from .expr import format_float
        return format_float(from_bits(raw, DOUBLE), 8)

    def _sew(self) -> int:
        try:
            vtype = self.m.csr["vtype"]
        except KeyError:
            return 64
        if vtype >> 63:
            return 64
        return 8 << ((vtype >> 3) & 7) if ((vtype >> 3) & 7) < 4 else 64

    # ---------------------------------------------------------------- executing

    def _check_running(self):
        if self.finished:
            raise DebugError("The program is not being run.")

    def _sync_core_breakpoints(self, extra=()):
        want = {bp.address for bp in self.breakpoints.values()
                if not bp.is_watch and bp.enabled and bp.address is not None} | set(extra)
        have = set(self.m.breakpoints)
        for a in have - want:
            self.m.remove_breakpoint(a)
        for a in want - have:
            self.m.add_breakpoint(a)

    def _soft_watches(self) -> list[Breakpoint]:
        return [bp for bp in self.breakpoints.values()
                if bp.is_watch and bp.enabled and bp.core_id is None]

    def _one(self, mem_log) -> tuple:
        """Execute one instruction in Python's sight: returns (StopInfo, kind of control transfer,
        memory access).  Records what memory it wrote in mem_log."""
        got = self.info.word_at(self.m.pc)
        word = got[0] if got else 0
        access = memory_access(word, self.m.x) if got else None
        old = None
        if access and "w" in access[0] and self._readable(access[1], access[2]):
            old = self.m.read(access[1], access[2])
        transfer = call_or_return(word) if got else None
        info = self.m.step(1)
        if old is not None:
            mem_log.append((access[1], old, self.m.read(access[1], access[2])))
        return info, transfer, access

    def _readable(self, addr: int, size: int) -> bool:
        if addr < self.m.memory_base or addr + size > self.m.memory_base + self.m.memory_size:
            return False
        flags = self.m._page_flags()
        first = (addr - self.m.memory_base) // 4096
        last = (addr + size - 1 - self.m.memory_base) // 4096
        return all(flags[p] & 7 for p in range(first, last + 1))

    def read_memory(self, addr: int, size: int) -> bytes:
        addr &= MASK64
        if size <= 0:
            return b""
        if not self._readable(addr, size):
            bad = addr
            if self.m.memory_base <= addr < self.m.memory_base + self.m.memory_size:
                flags = self.m._page_flags()
                while bad < addr + size and flags[(bad - self.m.memory_base) // 4096] & 7:
                    bad = (bad // 4096 + 1) * 4096
            raise DebugError(f"Cannot access memory at address {bad:#x}")
        return self.m.read(addr, size)

    def _run_until(self, stop_check=None, *, single=False, extra_bps=(), limit=None, mem_log=None):
        """Run forward, in C when possible, stepping in Python when a check must see every instruction.

        Returns (StopInfo or None, stop kind) where the kind is 'breakpoint' (a user breakpoint whose
        condition holds), 'watch' (a watchpoint fired: ``self._watch_hit``), 'check' (stop_check said
        so), 'signal' (Ctrl-C), 'internal' (an extra breakpoint address reached) or 'machine'."""
        mem_log = [] if mem_log is None else mem_log
        soft = self._soft_watches()
        bp_addrs = {bp.address for bp in self.breakpoints.values() if not bp.is_watch and bp.enabled}
        self._watch_hit = None
        first = True
        start_instret = self.m.instret
        try:
            while True:
                if limit is not None and self.m.instret - start_instret >= limit:
                    return None, "limit"
                if single or soft or stop_check is not None:
                    pc = self.m.pc
                    if not first:
                        if pc in extra_bps:
                            return None, "internal"
                        if pc in bp_addrs and self._breakpoint_hits(pc):
                            return None, "breakpoint"
                    first = False
                    before_watch = [(bp, self._watch_value(bp)) for bp in soft]
                    info, transfer, access = self._one(mem_log)
                    for bp, old in before_watch:
                        if self._soft_watch_fired(bp, old, access):
                            return info, "watch"
                    if info.reason.name == "WATCHPOINT":
                        if self._core_watch_hit(info) is not None:
                            return info, "watch"
                        info = None
                    elif info.reason is not StopReason.LIMIT:
                        return info, "machine"
                    if stop_check is not None and stop_check(pc, transfer):
                        return info, "check"
                    if limit is not None and self.m.instret - start_instret >= limit:
                        return info, "limit"
                    continue
                self._sync_core_breakpoints(extra_bps)
                info = self.m.run(None if limit is None else limit - (self.m.instret - start_instret))
                if info.reason is StopReason.BREAKPOINT:
                    pc = self.m.pc
                    if pc in extra_bps:
                        return info, "internal"
                    if self._breakpoint_hits(pc):
                        return info, "breakpoint"
                    continue          # a false condition, an ignore count: go on
                if info.reason.name == "WATCHPOINT":
                    if self._core_watch_hit(info) is None:
                        continue
                    return info, "watch"
                if info.reason is StopReason.LIMIT:
                    return info, "limit"
                return info, "machine"
        except KeyboardInterrupt:
            return None, "signal"
        finally:
            self._sync_core_breakpoints()

    def _breakpoint_hits(self, pc: int) -> bool:
        """A user breakpoint at pc that stops here (enabled, condition true, not ignored)."""
        hit = False
        for bp in self.breakpoints.values():
            if bp.is_watch or not bp.enabled or bp.address != pc:
                continue
            if bp.condition:
                try:
                    if not self.eval(bp.condition).truth():
                        continue
                except DebugError as exc:
                    self._pending.append(f"Error in testing condition for breakpoint {bp.number}: {exc}")
                    hit = True
                    self._hit_bp = bp
                    continue
            if bp.ignore > 0:
                bp.ignore -= 1
                continue
            bp.hits += 1
            self._hit_bp = bp
            hit = True
        return hit

    # ---------------------------------------------------------------- watchpoints

    def _watch_value(self, bp: Breakpoint):
        kind = bp.lval[0]
        if kind == "mem":
            try:
                return self.read_memory(bp.lval[1], bp.ctype.size)
            except DebugError:
                return None
        if kind == "x":
            return int(self.m.x[bp.lval[1]])
        if kind == "f":
            return int(self.m.f[bp.lval[1]])
        return None

    def _soft_watch_fired(self, bp: Breakpoint, old, access) -> bool:
        new = self._watch_value(bp)
        touched = False
        if bp.lval[0] == "mem" and access is not None:
            a, n = access[1], access[2]
            lo, hi = bp.lval[1], bp.lval[1] + bp.ctype.size
            touched = a < hi and lo < a + n
            kind = access[0]
        else:
            kind = ""
        fired = False
        if bp.kind == "watchpoint":
            fired = new != old
        elif bp.kind == "read watchpoint":
            fired = touched and "r" in kind
        else:
            fired = new != old or (touched and ("r" in kind or "w" in kind))
        if fired:
            if bp.condition:
                try:
                    if not self.eval(bp.condition).truth():
                        return False
                except DebugError:
                    pass
            bp.hits += 1
            self._watch_hit = (bp, old, new)
        return fired

    def _core_watch_hit(self, info):
        """The user's watchpoint behind a core WATCHPOINT stop (StopInfo.watch: kind, where, old,
        new, .id), once its condition holds; None to go on."""
        watch = getattr(info, "watch", None)
        wid = getattr(watch, "id", None)
        for bp in self.breakpoints.values():
            if bp.core_id is None or not bp.enabled or (wid is not None and bp.core_id != wid):
                continue
            if bp.kind == "read watchpoint" and watch is not None and watch[0] == "write":
                return None
            if bp.kind == "watchpoint" and watch is not None and watch[0] == "write" and \
                    watch[2] == watch[3]:
                return None             # gdb's watch stops when the value changes, not on any store
            old = self._decode_watch(bp, watch[2]) if watch is not None else bp.old
            new = self._watch_value(bp)
            if getattr(watch, "reverse", False) and watch[0] in ("write", "register"):
                # going backwards the value changes from what the store wrote to what it overwrote
                old, new = self._decode_watch(bp, watch[3]), self._decode_watch(bp, watch[2])
            if bp.condition:
                try:
                    if not self.eval(bp.condition).truth():
                        return None
                except DebugError:
                    pass
            bp.hits += 1
            self._watch_hit = (bp, old if watch is None or watch[0] != "read" else new, new)
            return self._watch_hit
        return None

    def _decode_watch(self, bp, raw):
        if isinstance(raw, (bytes, bytearray)):
            return bytes(raw)
        if bp.lval[0] == "mem" and isinstance(raw, int):
            return (raw & ((1 << 8 * bp.ctype.size) - 1)).to_bytes(bp.ctype.size, "little")
        return raw

    def _watch_text(self, bp, raw) -> str:
        if raw is None:
            return "<unreadable>"
        if isinstance(raw, (bytes, bytearray)):
            return format_value(Value(from_bits(int.from_bytes(raw, "little"), bp.ctype), bp.ctype),
                                None, self._symbolize)
        return format_value(Value(from_bits(raw, bp.ctype), bp.ctype), None, self._symbolize)

    # ---------------------------------------------------------------- stop reporting

    def _frame_line(self, pc: int, with_addr: bool = False) -> str:
        func = self.info.function_at(pc)
        name = func[1] if func else "??"
        where = self.info.line_at(pc)
        prefix = f"0x{pc:0{self.addr_digits}x} in " if with_addr else ""
        if where:
            return f"{prefix}{name} () at {where[0]}:{where[1]}"
        return f"0x{pc:0{self.addr_digits}x} in {name} ()"

    def _insn_line(self, pc: int, marker: bool = True) -> str:
        got = self.info.insn_at(pc) if self._readable(pc, 2) else None
        sym = self.info.symbolize(pc)
        label = f"{pc:#x} <{sym}>" if sym else f"{pc:#x}"
        arrow = "=> " if marker and pc == self.m.pc else "   "
        return f"{arrow}{label}:\t{got[2] if got else f'Cannot access memory at address {pc:#x}'}"

    def _location_lines(self, pc: int, header: bool, stepi: bool = False) -> list[str]:
        lines = []
        where = self.info.line_at(pc)
        func = self.info.function_at(pc)
        if header or not where:
            lines.append(self._frame_line(pc))
        if where:
            text = self.info.source_text(*where)
            mid = not self.info.is_line_start(pc)
            prefix = f"0x{pc:0{self.addr_digits}x}\t" if mid and not header else ""
            lines.append(f"{prefix}{where[1]}\t{text if text is not None else ''}")
        if not where or stepi:
            lines.append(self._insn_line(pc))
        self._last_function = func
        return lines

    def _make_event(self, reason, info, before, mem_log, *, header=None, stepi=False,
                    pre_lines=()) -> StopEvent:
        pc = self.m.pc
        lines = list(self._pending) + list(pre_lines)
        self._pending = []
        ev = StopEvent(reason, pc)
        func = self.info.function_at(pc)
        if header is None:
            header = func != self._last_function
        if info is not None and info.reason is StopReason.EXIT:
            self.finished = True
            self.exit_code = info.exit_code
            ev.finished, ev.exit_code = True, info.exit_code
            ev.reason = "exited"
            total = f"{self.m.instret} instructions"
            if self.timing is not None:
                total += f", {self.timing.cycles} cycles"
            code = info.exit_code
            lines.append("[Inferior 1 (process 1) exited normally]" if code == 0 else
                         f"[Inferior 1 (process 1) exited with code {code:02o}]")
            lines.append(f"(exit status {code}, {total})")
        elif info is not None and info.reason is StopReason.TRAP:
            ev.reason = "trap"
            self.trapped = info
            lines.append("")
            lines.append(f"Program received a trap it cannot handle: {info.cause_name} "
                         f"(tval {info.tval:#x}).")
            from ..explain import explain_stop      # the same hints as rvsim run's (the location follows)
            lines += [("Hint: " + line[len("hint: "):]) if line.startswith("hint: ") else line
                      for line in explain_stop(self.m, info, self.info.program, with_source=False)]
            lines += self._location_lines(self.m.pc, True, stepi=True)
        elif info is not None and info.reason is StopReason.HANG:
            ev.reason = "hang"
            self.finished = True
            ev.finished = True
            lines.append(f"The program hangs in a jump to itself at {self.info.addr_text(pc)} "
                         "(nothing can interrupt it).")
            lines += self._location_lines(pc, True)
        elif info is not None and info.reason is StopReason.EBREAK:
            ev.reason = "ebreak"
            lines.append("")
            lines.append("Program received signal SIGTRAP, Trace/breakpoint trap (ebreak).")
            lines += self._location_lines(pc, True, stepi=True)
        elif info is not None and info.reason.name == "HISTORY_START":
            ev.reason = "history-start"
            lines.append("")
            lines.append("No more reverse-execution history.")
            lines += self._location_lines(pc, True)
        else:
            if reason == "signal":
                lines.append("")
                lines.append("Program received signal SIGINT, Interrupt.")
                header = True
            lines += self._location_lines(pc, header, stepi)
        ev.changes = self._diff(before, self._mem_changes(mem_log)) if before is not None else []
        ev.output = self.take_output()
        where = self.info.line_at(pc)
        if where:
            ev.file, ev.line = where
        ev.function = func[1] if func else None
        if not ev.finished:
            lines += self._display_lines()
        ev.lines = lines
        if self.timing is not None:
            # going back takes the whole cycle model back (caches, predictor, counters), so the clock
            # is that of a forward run to this instruction either way
            now, insns = self.timing.cycles, self.m.instret
            if insns < self._instret_before:
                went = self._instret_before - insns
                ev.lines.append(f"(cycle {now}: went back {_count(went, 'instruction')}, "
                                f"{_count(self._cycles_at_stop - now, 'cycle')})")
            else:
                ev.lines.append(f"(cycle {now}: {_count(insns - self._instret_at_stop, 'instruction')}, "
                                f"{_count(now - self._cycles_at_stop, 'cycle')} since the last stop)")
            self._cycles_at_stop, self._instret_at_stop = now, insns

        return ev

    _pending: list = []
    _cycles_at_stop = 0
    _instret_at_stop = 0
    wrote_output = False
    _hit_bp = None

    def _mem_changes(self, mem_log):
        last = getattr(self.m, "last_changes", None)
        if not mem_log and last is not None and abs(self.m.instret - self._instret_before) == 1:
            # one instruction ran (or was undone): the core's undo log says what memory it wrote
            try:
                out = []
                for loc, old, new in last() or ():
                    if isinstance(loc, tuple) and loc[0] == "memory":
                        n = loc[2]
                        out.append((loc[1], _as_bytes(old, n), _as_bytes(new, n)))
                return out
            except Exception:         # the debugger must not fail over a nicety
                return []
        ran = self.m.instret - self._instret_before
        history = getattr(self.m, "memory_changes", None)
        if not mem_log and ran > 1 and history is not None and self.m.recording:
            # several instructions ran forward: the undo log has what each wrote
            try:
                return history(ran) or []
            except Exception:
                return []
        # several writes to one address: first old value, last new one
        merged: dict[tuple, list] = {}
        for addr, old, new in mem_log:
            key = (addr, len(new))
            if key in merged:
                merged[key][1] = new
            else:
                merged[key] = [old, new]
        return [(a, o, n) for (a, _), (o, n) in merged.items()]

    _instret_before = 0

    trapped = None          # the StopInfo of a trap the program cannot handle (it cannot go on)

    def check_can_run(self):
        """Raise the reason the program cannot run forward (it exited, or stopped on a fatal trap)."""
        self._check_running()
        if self.trapped is not None:
            raise DebugError(f"The program stopped on a trap it cannot handle ({self.trapped.cause_name} "
                             f"at pc {self.trapped.pc:#x}): look around, or go back with "
                             "reverse-step / reverse-continue.")

    def _begin(self):
        self._instret_before = self.m.instret
        self.check_can_run()
        self._pending = []
        self._hit_bp = None
        self._output.clear()
        return self._regs()

    def _finish_event(self, kind, info, before, mem_log, *, stepi=False, header=None, pre=()):
        if kind == "signal":
            return self._make_event("signal", None, before, mem_log, header=True, pre_lines=pre)
        if kind == "breakpoint":
            bp = self._hit_bp
            pre = list(pre) + ([""] if not pre else [])
            if bp is not None:
                word = "Temporary breakpoint" if bp.temporary else "Breakpoint"
                ev = self._make_event("breakpoint", None, before, mem_log, header=True,
                                      pre_lines=pre + [f"{word} {bp.number}, " + self._frame_line(self.m.pc)])
                ev.breakpoint = bp.number
                # the frame line is in the breakpoint line already (as gdb prints it)
                if len(ev.lines) > len(pre) + 1 and ev.lines[len(pre) + 1].startswith(
                        self._frame_line(self.m.pc)):
                    del ev.lines[len(pre) + 1]
                if bp.temporary:
                    del self.breakpoints[bp.number]
                elif bp.once:
                    bp.enabled = bp.once = False
                self._sync_core_breakpoints()
                return ev
        if kind == "watch" and self._watch_hit is not None:
            bp, old, new = self._watch_hit
            title = {"watchpoint": "Hardware watchpoint", "read watchpoint": "Hardware read watchpoint",
                     "acc watchpoint": "Hardware access (read/write) watchpoint"}[bp.kind]
            if bp.lval[0] != "mem":
                title = "Watchpoint"
            lines = ["", f"{title} {bp.number}: {bp.what}", ""]
            if bp.kind == "read watchpoint" or old == new:
                lines.append(f"Value = {self._watch_text(bp, new)}")
            else:
                lines.append(f"Old value = {self._watch_text(bp, old)}")
                lines.append(f"New value = {self._watch_text(bp, new)}")
            ev = self._make_event("watchpoint", info if info is not None and info.reason in (
                StopReason.EXIT, StopReason.TRAP) else None, before, mem_log, header=True, pre_lines=lines)
            ev.breakpoint = bp.number
            if bp.temporary:
                self._remove(bp)
            elif bp.once:
                bp.enabled = bp.once = False
            return ev
        if kind in ("machine",) and info is not None and info.reason is not StopReason.LIMIT:
            return self._make_event("stopped", info, before, mem_log, header=True, pre_lines=pre)
        return self._make_event("step", None, before, mem_log, header=header, stepi=stepi, pre_lines=pre)

    # ---------------------------------------------------------------- commands that run

    def stepi(self, n: int = 1, over_calls: bool = False) -> StopEvent:
        before = self._begin()
        mem_log = []
        for _ in range(n):
            pc = self.m.pc
            got = self.info.insn_at(pc)
            if over_calls and got and call_or_return(got[0]) == "call":
                info, kind = self._step_over_call(pc + got[1], mem_log)
            else:
                info, kind = self._run_until(single=True, limit=1, mem_log=mem_log)
                if kind == "limit":
                    kind = "step"
            if kind not in ("step", "internal", "limit", "check"):
                return self._finish_event(kind, info, before, mem_log, stepi=True)
        return self._finish_event("step", None, before, mem_log, stepi=True, header=None)

    def _step_over_call(self, return_pc: int, mem_log):
        """Execute the call at pc and run until it returns to return_pc in this frame."""
        sp = int(self.m.x[2])
        info, kind = self._run_until(single=True, limit=1, mem_log=mem_log)
        if kind not in ("limit",):
            return info, kind
        while True:
            if self.m.pc == return_pc and int(self.m.x[2]) >= sp:
                return None, "internal"
            info, kind = self._run_until(extra_bps=(return_pc,), mem_log=mem_log)
            if kind == "internal":
                if int(self.m.x[2]) >= sp:
                    return info, "internal"
                continue            # a deeper recursive frame returned there: go on
            return info, kind

    def step(self, n: int = 1, over_calls: bool = False) -> StopEvent:
        """Source-line step (or one instruction where there are no lines)."""
        before = self._begin()
        mem_log = []
        for _ in range(n):
            start = self.m.pc
            where = self.info.line_at(start)
            if where is None:
                got = self.info.insn_at(start)
                if over_calls and got and call_or_return(got[0]) == "call":
                    info, kind = self._step_over_call(start + got[1], mem_log)
                else:
                    info, kind = self._run_until(single=True, limit=1, mem_log=mem_log)
                if kind not in ("limit", "internal"):
                    return self._finish_event(kind, info, before, mem_log)
                continue
            while True:
                pc = self.m.pc
                got = self.info.word_at(pc)
                if over_calls and got and call_or_return(got[0]) == "call":
                    info, kind = self._step_over_call(pc + got[1], mem_log)
                else:
                    info, kind = self._run_until(single=True, limit=1, mem_log=mem_log)
                if kind not in ("limit", "internal"):
                    return self._finish_event(kind, info, before, mem_log)
                now = self.m.pc
                here = self.info.line_at(now)
                if here is None or (self.info.is_line_start(now) and (here != where or now <= pc)):
                    break
        return self._finish_event("step", None, before, mem_log)

    def until_start(self) -> StopEvent:
        """The stop event of where the program is now (nothing runs)."""
        before = self._begin()
        return self._make_event("step", None, before, [], header=True)

    def next(self, n: int = 1) -> StopEvent:
        return self.step(n, over_calls=True)

    def nexti(self, n: int = 1) -> StopEvent:
        return self.stepi(n, over_calls=True)

    def run(self) -> StopEvent:
        """Start the program: a breakpoint at the entry point stops it before its first instruction
        (as in gdb, where the program has not reached the entry yet when the breakpoint is set)."""
        pc = self.m.pc
        if any(not bp.is_watch and bp.enabled and bp.address == pc for bp in self.breakpoints.values()):
            before = self._begin()            # (this forgets the last breakpoint hit: test after it)
            if self._breakpoint_hits(pc):
                return self._finish_event("breakpoint", None, before, [], header=True)
        return self.cont()

    def cont(self, n: int = 1) -> StopEvent:
        pre = []
        if n > 1 and self._hit_bp is not None and self._hit_bp.number in self.breakpoints:
            self._hit_bp.ignore = n - 1
            pre.append(f"Will ignore next {n - 1} crossings of breakpoint {self._hit_bp.number}.  "
                       "Continuing.")
        before = self._begin()
        mem_log = []
        info, kind = self._run_until(mem_log=mem_log)
        return self._finish_event(kind, info, before, mem_log, header=True, pre=pre)

    def _caller(self):
        """(return address, caller's sp) of the current frame, from the unwinder."""
        frames = self.frames()
        if len(frames) < 2:
            raise DebugError("\"finish\" not meaningful in the outermost frame.")
        return frames[1]["pc"], frames[1]["sp"]

    def finish(self, announce=None) -> StopEvent:
        """Run until the current function returns.  ``announce(text)``, when given, receives the
        "Run till exit from ..." line before the program runs (so it precedes the program's output);
        otherwise the line starts the event."""
        self.check_can_run()
        ret_pc, caller_sp = self._caller()
        head = ["Run till exit from #0  " + self._frame_line(self.m.pc, with_addr=
                                                                not self.info.is_line_start(self.m.pc))]
        if announce is not None:
            announce(head[0])
            head = []
        before = self._begin()
        mem_log = []
        while True:
            info, kind = self._run_until(extra_bps=(ret_pc,), mem_log=mem_log)
            if kind == "internal" and int(self.m.x[2]) < caller_sp:
                continue
            break
        if kind != "internal":
            return self._finish_event(kind, info, before, mem_log, pre=head)
        ev = self._make_event("finish", None, before, mem_log, header=True, pre_lines=head)
        value = Value(wrap(int(self.m.x[10]), self.model.long), self.model.long)
        self.values.append(value)
        loc = [i for i, ln in enumerate(ev.lines) if ln.startswith(("=>", "0x")) or "\t" in ln]
        at = (loc[-1] + 1) if loc else len(ev.lines)
        ev.lines.insert(at, f"Value returned is ${len(self.values)} = {format_value(value, None, self._symbolize)}")
        return ev

    def until(self, location: str | None = None, advance: bool = False) -> StopEvent:
        self._check_running()
        if location is None:
            start_pc, sp = self.m.pc, int(self.m.x[2])
            ev = self.next()
            while not ev.finished and ev.reason == "step" and self.m.pc < start_pc and \
                    int(self.m.x[2]) == sp and self.info.function_at(self.m.pc) == \
                    self.info.function_at(start_pc):
                ev2 = self.next()
                ev2.changes = ev.changes + ev2.changes
                ev = ev2
            return ev
        target = self.resolve_location(location)[0]
        extra = [target]
        frames = self.frames()
        caller = frames[1] if len(frames) > 1 else None
        if caller:
            extra.append(caller["pc"])
        sp = int(self.m.x[2])
        before = self._begin()
        mem_log = []
        while True:
            info, kind = self._run_until(extra_bps=tuple(extra), mem_log=mem_log)
            if kind == "internal":
                pc = self.m.pc
                if pc == target and (advance or int(self.m.x[2]) >= sp or caller is None):
                    break
                if caller and pc == caller["pc"] and int(self.m.x[2]) >= caller["sp"]:
                    break
                continue
            return self._finish_event(kind, info, before, mem_log)
        return self._make_event("until", None, before, mem_log, header=True)

    # ---------------------------------------------------------------- reverse

    def _need_reverse(self):
        if not self.can_reverse:
            raise DebugError("Target native does not support this command: " + (
                self.record_error or "reverse execution is not available"))

    def _reverse_note(self):
        if not self.history_note_shown and self.wrote_output:
            self.history_note_shown = True
            self._pending.append("(Going back restores registers and memory; output the program "
                                 "already wrote stays written, and going forward again replays its "
                                 "system calls instead of repeating them.)")

    def _reverse_one(self):
        return self.rev.reverse_step(1)

    def reverse_stepi(self, n: int = 1) -> StopEvent:
        self._need_reverse()
        if self.finished:
            self.finished = False
        self.trapped = None
        before = self._begin()
        self._reverse_note()
        info = None
        info = self.rev.reverse_step(n)
        return self._reverse_event(info, before, stepi=True)

    def _reverse_event(self, info, before, stepi=False, header=None):
        if info is not None and info.reason.name == "HISTORY_START":
            return self._make_event("history-start", info, before, [], header=True)
        if info is not None and info.reason.name == "WATCHPOINT":
            if self._core_watch_hit(info) is not None:
                return self._finish_event("watch", None, before, [])
        if info is not None and info.reason is StopReason.BREAKPOINT:
            if self._breakpoint_hits(self.m.pc):
                return self._finish_event("breakpoint", None, before, [])
        return self._make_event("step", None, before, [], stepi=stepi, header=header)

    def reverse_step(self, n: int = 1, over_calls: bool = False) -> StopEvent:
        self._need_reverse()
        self.finished = False
        self.trapped = None
        before = self._begin()
        self._reverse_note()
        info = None
        for _ in range(n):
            where = self.info.line_at(self.m.pc)
            depth = 0
            while True:
                info = self._reverse_one()
                if info.reason.name == "HISTORY_START":
                    return self._reverse_event(info, before)
                pc = self.m.pc
                got = self.info.word_at(pc)
                transfer = call_or_return(got[0]) if got else None
                if over_calls:
                    if transfer == "ret":
                        depth += 1       # went back into a callee (at its ret): on to its call
                        continue
                    if transfer == "call" and depth > 0:
                        depth -= 1
                        if depth > 0:
                            continue
                    elif depth > 0:
                        continue
                here = self.info.line_at(pc)
                if where is None or here is None or (self.info.is_line_start(pc) and here != where):
                    break
                if self.info.is_line_start(pc) and here == where:
                    break
        return self._reverse_event(info, before)

    def reverse_next(self, n: int = 1) -> StopEvent:
        return self.reverse_step(n, over_calls=True)

    def reverse_finish(self) -> StopEvent:
        self._need_reverse()
        self.finished = False
        self.trapped = None
        func = self.info.function_at(self.m.pc)
        head = ["Run back to call of #0  " + self._frame_line(self.m.pc)]
        before = self._begin()
        self._reverse_note()
        depth = 0
        info = None
        while True:
            info = self._reverse_one()
            if info.reason.name == "HISTORY_START":
                return self._reverse_event(info, before)
            got = self.info.word_at(self.m.pc)
            transfer = call_or_return(got[0]) if got else None
            if transfer == "ret":
                depth += 1
            elif transfer == "call":
                if depth == 0:
                    break
                depth -= 1
        ev = self._make_event("step", None, before, [], header=True, pre_lines=head, stepi=True)
        del func
        return ev

    def reverse_continue(self) -> StopEvent:
        self._need_reverse()
        self.finished = False
        self.trapped = None
        before = self._begin()
        self._reverse_note()
        self._sync_core_breakpoints()
        try:
            while True:
                info = self.rev.reverse_continue()
                if info.reason is StopReason.BREAKPOINT and not self._breakpoint_hits(self.m.pc):
                    continue
                break
        except KeyboardInterrupt:
            return self._make_event("signal", None, before, [], header=True)
        if info.reason is StopReason.BREAKPOINT:
            return self._finish_event("breakpoint", None, before, [])
        return self._reverse_event(info, before, header=True)

    # ---------------------------------------------------------------- frames

    _recorded_from = None

    def frames(self, limit: int = 64) -> list[dict]:
        """The call stack: each frame is {pc, sp, function}.  From the recorded calls and returns
        when the history covers the whole run (exact, whatever the functions do with sp, ra and fp),
        else by prologue analysis (the RISC-V ABI: ra, sp and, when used, fp).  Neither needs a frame
        pointer or debug information."""
        out = self._history_frames(limit)
        if out is not None:
            return out
        return self._prologue_frames(limit)

    def _history_frames(self, limit: int) -> list[dict] | None:
        if not self.recording or self._recorded_from != 0:
            return None     # calls made before recording began are not in the history
        got = self.m.call_stack()
        if got is None or not got[1]:
            return None
        calls = got[0]

        def name(pc):
            func = self.info.function_at(pc)
            return func[1] if func else "??"
        out = [{"pc": self.m.pc, "sp": int(self.m.x[2]), "function": name(self.m.pc)}]
        for ret, sp in calls[:max(0, limit - 1)]:
            out.append({"pc": ret, "sp": sp, "function": name(ret)})
        return out

    def _prologue_frames(self, limit: int) -> list[dict]:
        out = []
        pc, sp = self.m.pc, int(self.m.x[2])
        ra = int(self.m.x[1])
        regs_ra_valid = True
        for depth in range(limit):
            func = self.info.function_at(pc)
            out.append({"pc": pc, "sp": sp, "function": func[1] if func else "??"})
            if func is None:
                break
            frame_size, ra_slot, fp_setup = self._prologue(func[0], pc)
            if ra_slot is not None:
                try:
                    ra = int.from_bytes(self.read_memory(sp + ra_slot, 8), "little")
                except DebugError:
                    break
            elif not regs_ra_valid:
                break
            regs_ra_valid = False
            caller_sp = sp + frame_size
            if ra == 0 or not self.info.in_code(ra) or (ra == pc and frame_size == 0):
                break
            if func[1] in ("_start",):
                break
            pc, sp = ra, caller_sp
        return out

    def _prologue(self, start: int, pc: int) -> tuple[int, int | None, bool]:
        """(bytes the function has taken off sp, offset from the current sp of the saved ra, whether
        fp was set up) by reading the instructions from the function's entry up to pc."""
        import re
        sp_delta = 0
        ra_at = None
        fp = False
        addr = start
        steps = 0
        while addr < pc and steps < 64:
            got = self.info.insn_at(addr)
            if not got:
                break
            text = got[2].replace("\t", " ")
            mo = re.match(r"(?:c\.)?addi?(?:16sp)?\s+sp,\s*sp,\s*(-?\d+)", text)
            if mo:
                sp_delta -= int(mo.group(1))
                if ra_at is not None:
                    ra_at += int(mo.group(1))
            mo = re.match(r"(?:c\.)?s[dw](?:sp)?\s+ra,\s*(-?\d+)\(sp\)", text)
            if mo:
                ra_at = int(mo.group(1))
            if re.match(r"(?:c\.)?l[dw](?:sp)?\s+ra,", text):
                ra_at = None
            if re.match(r"addi?\s+s0,\s*sp", text):
                fp = True
            if call_or_return(got[0]) == "ret":
                break
            addr += got[1]
            steps += 1
        return sp_delta, ra_at, fp

    def backtrace(self, limit: int | None = None) -> list[str]:
        self._check_running()
        lines = []
        for i, fr in enumerate(self.frames()):
            if limit is not None and i >= limit:
                lines.append("(More stack frames follow...)")
                break
            # a caller's line is the line of its call (the return address may start the next line)
            where = self.info.line_at(fr["pc"] - (1 if i else 0))
            addr = "" if i == 0 and (where is None or self.info.is_line_start(fr["pc"])) and where \
                else f"0x{fr['pc']:0{self.addr_digits}x} in "
            at = f" at {where[0]}:{where[1]}" if where else ""
            lines.append(f"#{i:<2} {addr}{fr['function']} (){at}")
        return lines

    # ---------------------------------------------------------------- expressions (Target API)

    def _symbolize(self, addr: int, with_addr: bool = True) -> str:
        sym = self.info.symbolize(addr)
        return f"{addr:#x} <{sym}>" if sym else f"{addr:#x}"

    def lookup(self, name: str) -> Value:
        if name.startswith("$"):
            body = name[1:]
            if body == "" or body == "$" or body.lstrip("$").isdigit() or body.startswith("$"):
                return self._history(name)
            reg = self._register_value(body)
            if reg is not None:
                return reg
            if body in self.convenience:
                return self.convenience[body]
            from .expr import VOID
            return Value(0, VOID, ("conv", body))
        if name in self.info.symbols:
            addr = self.info.symbols[name]
            if self.info.in_code(addr):
                return Value(addr, self.model.code_ptr)
            return Value(wrap(int.from_bytes(self.read_memory(addr, 4), "little"), INT), INT,
                         ("mem", addr))
        reg = self._register_value(name)
        if reg is not None:
            return reg
        raise DebugError(f'No symbol "{name}" in current context.')

    def _history(self, name: str) -> Value:
        body = name[1:]
        if not self.values:
            if body in ("", "$"):
                return Value(0, CType("void", 1))
            raise DebugError("History is empty.")
        if body == "":
            return self.values[-1]
        if body.startswith("$"):
            back = int(body[1:]) if body[1:] else 1
            idx = len(self.values) - 1 - back
        else:
            idx = int(body) - 1
        if not 0 <= idx < len(self.values):
            raise DebugError(f"History has not yet reached ${idx + 1}.")
        return self.values[idx]

    def _register_value(self, name: str) -> Value | None:
        reg = register_index(name)
        if reg is not None:
            kind, n = reg
            if kind == "pc":
                return Value(self.m.pc, self.model.code_ptr, ("pc",))
            if kind == "x":
                raw = int(self.m.x[n])
                if n == 2 or n == 8 and name == "fp":
                    return Value(raw, self.model.data_ptr, ("x", n))
                if n == 1:
                    return Value(raw, self.model.code_ptr, ("x", n))
                return Value(wrap(raw, self.model.long), self.model.long, ("x", n))
            if kind == "f":
                raw = int(self.m.f[n])
                if raw >> 32 == 0xFFFFFFFF:
                    return Value(from_bits(raw, FLOAT), FLOAT, ("f", n))
                return Value(from_bits(raw, DOUBLE), DOUBLE, ("f", n))
            raise DebugError(f"${name}: vector registers are shown by `info vector` or `p $v{n}`" )
        from ..isa.csrs import CSR_NUMBERS
        if name in CSR_NUMBERS:
            try:
                return Value(self.m.csr[name], self.model.ulong, ("csr", name))
            except KeyError:
                return None
        return None

    def deref(self, v: Value) -> Value:
        if v.type.floating:
            raise DebugError("Attempt to take contents of a non-pointer value.")
        target = v.type.target if v.type.target is not None else INT
        if target.name == "void":
            raise DebugError("Attempt to take contents of a non-pointer value.")
        addr = int(v.value) & MASK64
        raw = int.from_bytes(self.read_memory(addr, target.size), "little")
        return Value(from_bits(raw, target), target, ("mem", addr))

    def index(self, base: Value, index: Value) -> Value:
        if base.lval and base.lval[0] == "mem" and base.type.target is None:
            addr, elem = base.lval[1], base.type          # a labelled array of .word
        elif base.type.target is not None:
            addr, elem = int(base.value), base.type.target
        elif base.type.code:
            addr, elem = int(base.value), INT
        else:
            raise DebugError("cannot subscript something of type `%s'" % base.type.name)
        addr = (addr + int(index.value) * elem.size) & MASK64
        raw = int.from_bytes(self.read_memory(addr, elem.size), "little")
        return Value(from_bits(raw, elem), elem, ("mem", addr))

    def assign(self, left: Value, right: Value) -> Value:
        if left.lval is None:
            raise DebugError("Left operand of assignment is not an lvalue.")
        kind = left.lval[0]
        if kind == "conv":
            self.convenience[left.lval[1]] = Value(right.value, right.type)
            return self.convenience[left.lval[1]]
        ctype = left.type
        new = cast(right, ctype) if not (ctype.is_pointer and not right.type.floating) else \
            Value(int(right.value) & MASK64, ctype)
        raw = bits_of(new)
        if kind == "pc":
            self.m.pc = raw
        elif kind == "x":
            if left.lval[1] != 0:
                self.m.x[left.lval[1]] = raw & MASK64 if not ctype.signed else int(new.value) & MASK64
        elif kind == "f":
            self.m.f[left.lval[1]] = raw | (0xFFFFFFFF00000000 if ctype.size == 4 else 0)
        elif kind == "csr":
            self.m.csr[left.lval[1]] = raw
        elif kind == "mem":
            self.read_memory(left.lval[1], ctype.size)       # unmapped: the same error as a read
            self.m.write(left.lval[1], raw.to_bytes(ctype.size, "little"))
        return Value(new.value, ctype, left.lval)

    def eval(self, text: str) -> Value:
        return evaluate(self, text)

    # ---------------------------------------------------------------- print, x, display, set

    @staticmethod
    def split_format(cmd_suffix: str) -> tuple[int | None, str | None, int | None]:
        """'/4dw' -> (4, 'd', 4)."""
        if not cmd_suffix:
            return None, None, None
        spec = cmd_suffix.lstrip("/")
        num = ""
        while spec and spec[0].isdigit():
            num, spec = num + spec[0], spec[1:]
        fmt = unit = None
        for ch in spec:
            if ch in UNITS:
                unit = UNITS[ch]
            elif ch in FORMATS:
                fmt = ch
            else:
                raise DebugError(f"Undefined output format \"{ch}\".")
        return (int(num) if num else None), fmt, unit

    def print_cmd(self, fmt: str | None, text: str) -> list[str]:
        self._finished_ok()
        import re
        vreg = re.fullmatch(r"\s*\$v(\d+)\s*", text)
        if vreg and int(vreg.group(1)) < 32:
            # a vector register: its elements at the current SEW (all of them; vl marks the active)
            if fmt not in (None, *VECTOR_FORMATS):
                raise DebugError(f"Undefined output format \"{fmt}\" for vector registers "
                                 f"(one of {', '.join(VECTOR_FORMATS)}).")
            elems = vector_elements(self.m.v[int(vreg.group(1))], self._sew(), fmt or "d")
            from .expr import VOID
            self.values.append(Value(0, VOID))
            return [f"${len(self.values)} = {{{', '.join(str(e) for e in elems)}}}"]
        if not text.strip():
            if not self.values:
                raise DebugError("History is empty.")
            v = self.values[-1]
        else:
            v = self.eval(text)
        self.values.append(Value(v.value, v.type))
        return [f"${len(self.values)} = {format_value(v, fmt, self._symbolize)}"]

    def _finished_ok(self):
        pass

    def x_cmd(self, spec: str, text: str) -> list[str]:
        count, fmt, unit = self.split_format(spec)
        last_fmt, last_unit, _ = self._last_x
        fmt = fmt or last_fmt
        if unit is None:
            unit = last_unit if fmt not in ("a",) else 8
        if fmt == "a":
            unit = 8
        if fmt == "c" and spec and not any(ch in spec for ch in UNITS):
            unit = 1
        count = count or 1
        if text.strip():
            v = self.eval(text)
            addr = v.lval[1] if v.lval and v.lval[0] == "mem" and not v.type.is_pointer and \
                v.type.size <= 8 and _is_label_expr(text, self) else int(v.value) & MASK64
        elif self._x_next is not None:
            addr = self._x_next
        else:
            raise DebugError("Argument required (starting display address).")
        self._last_x = (fmt, unit, None)
        if fmt == "i":
            lines = []
            for _ in range(count):
                got = self.info.insn_at(addr) if self._readable(addr, 2) else None
                if got is None:
                    raise DebugError(f"Cannot access memory at address {addr:#x}")
                lines.append(self._insn_line(addr))
                addr += got[1]
            self._x_next = addr
            return lines
        if fmt == "s":
            lines = []
            for _ in range(count):
                self.read_memory(addr, 1)
                raw = bytearray()
                while len(raw) < 200:
                    b = self.read_memory(addr + len(raw), 1)[0]
                    if b == 0:
                        break
                    raw.append(b)
                text_s = "".join(char_escape(b) for b in raw)
                lines.append(f"{self._symbolize(addr)}:\t\"{text_s}\"")
                addr += len(raw) + 1
            self._x_next = addr
            return lines
        per_line = {1: 8, 2: 8, 4: 4, 8: 2}[unit]
        if fmt == "c":
            per_line = 8
        data = self.read_memory(addr, count * unit)
        lines = []
        ctype_f = {4: FLOAT, 8: DOUBLE}.get(unit)
        for i in range(0, count, per_line):
            here = addr + i * unit
            cells = []
            for j in range(i, min(count, i + per_line)):
                raw = int.from_bytes(data[j * unit:(j + 1) * unit], "little")
                if fmt == "f" and ctype_f is not None:
                    val = Value(from_bits(raw, ctype_f), ctype_f)
                    cells.append(format_value(val, None, self._symbolize))
                elif fmt == "x":
                    cells.append(f"0x{raw:0{unit * 2}x}")
                elif fmt == "t":
                    cells.append(f"{raw:0{unit * 8}b}")
                else:
                    cells.append(format_value(Value(wrap(raw, CType("s", unit)), CType("s", unit)),
                                              fmt if fmt != "f" else "d", self._symbolize))
            lines.append(f"{self._symbolize(here)}:\t" + "\t".join(cells))
        self._x_next = addr + count * unit
        return lines

    def set_var(self, text: str) -> list[str]:
        if "=" not in text.replace("==", "").replace("!=", "").replace("<=", "").replace(">=", ""):
            words = text.split(None, 1)
            if len(words) == 2:
                self.eval(words[1])         # a bad number or symbol gets its own message first
            raise DebugError(f"A syntax error in expression, near `{text.split(None, 1)[-1]}' "
                             "(write `set var REGISTER = VALUE`, e.g. `set var $a0 = 5`).")
        self.eval(text)
        return []

    def display_cmd(self, spec: str, text: str) -> list[str]:
        if not text.strip():
            return self._display_lines()
        count, fmt, unit = self.split_format(spec)
        is_x = fmt in ("i", "s") or count is not None or unit is not None
        d = Display(self._next_display, text.strip(), fmt, is_x, count or 1, unit)
        self._next_display += 1
        self.displays[d.number] = d
        return self._display_one(d) if not self.finished else []

    def _display_one(self, d: Display) -> list[str]:
        try:
            if d.is_x:
                spec = f"/{d.count if d.count != 1 else ''}{d.fmt or ''}" + (
                    {1: "b", 2: "h", 4: "w", 8: "g"}[d.unit] if d.unit else "")
                body = self.x_cmd(spec, d.expr)
                label = f"{d.number}: x{spec} {d.expr}"
                return [label] + body
            v = self.eval(d.expr)
            fmt = f"/{d.fmt} " if d.fmt else ""
            return [f"{d.number}: {fmt}{d.expr} = {format_value(v, d.fmt, self._symbolize)}"]
        except DebugError as exc:
            return [f"{d.number}: {d.expr} = <error: {exc}>"]

    def _display_lines(self) -> list[str]:
        out = []
        for d in self.displays.values():
            if d.enabled:
                out += self._display_one(d)
        return out

    # ---------------------------------------------------------------- breakpoints

    def resolve_location(self, text: str) -> tuple[int, str]:
        """(address, description) of a location: *ADDR, LINE, FILE:LINE or a label."""
        text = text.strip()
        if not text:
            raise DebugError("Argument required (a location: LABEL, LINE, FILE:LINE or *ADDRESS).")
        if text.startswith("*"):
            v = self.eval(text[1:])
            return int(v.value) & MASK64, ""
        file = None
        line = None
        if text.isdigit():
            line = int(text)
            if self.info.program is None:
                raise DebugError(f"No line {line} in this program: it has no line information "
                                 f"(an ELF file); use `break *{line}` for an address or a label.")
            file = self.info.main_file
        elif ":" in text:
            fname, _, ln = text.rpartition(":")
            if not ln.isdigit():
                raise DebugError(f"Function \"{text}\" not defined.")
            file = self.info.match_file(fname)
            if file is None:
                raise DebugError(f"No source file named {fname}.")
            line = int(ln)
        if line is not None:
            found = self.info.address_of_line(file, line)
            if found is None:
                raise DebugError(f"Line {line} is out of range for \"{file}\".")
            return found[0], f"file {file}, line {found[1]}"
        if text in self.info.symbols:
            return self.info.symbols[text], ""
        raise DebugError(f"Function \"{text}\" not defined.")

    def _bp_where(self, addr: int) -> str:
        where = self.info.line_at(addr)
        return f": file {where[0]}, line {where[1]}." if where else "."

    def break_cmd(self, args: str, temporary: bool = False) -> list[str]:
        loc, cond = _split_if(args)
        if not loc:
            if self.finished:
                raise DebugError("No default breakpoint location now selected.")
            addr = self.m.pc
        else:
            addr = self.resolve_location(loc)[0]
        if cond:
            self.eval(cond) if not self.finished else None
        bp = Breakpoint(self._next_bp, "breakpoint", addr, loc or self.info.addr_text(addr),
                        condition=cond, temporary=temporary)
        self._next_bp += 1
        self.breakpoints[bp.number] = bp
        try:
            self._sync_core_breakpoints()
        except ValueError as exc:
            del self.breakpoints[bp.number]
            raise DebugError(str(exc)) from None
        word = "Temporary breakpoint" if temporary else "Breakpoint"
        return [f"{word} {bp.number} at {addr:#x}{self._bp_where(addr)}"]

    def watch_cmd(self, text: str, kind: str = "watchpoint") -> list[str]:
        expr, cond = _split_if(text)
        if not expr:
            raise DebugError("Argument required (expression to compute).")
        v = self.eval(expr)
        if v.lval is None or v.lval[0] not in ("mem", "x", "f"):
            if v.type.code or (v.lval is None and not v.type.floating):
                raise DebugError("Cannot watch constant value `%s'." % expr)
            raise DebugError(f"Cannot watch `{expr}'.")
        if v.lval[0] != "mem" and kind != "watchpoint":
            raise DebugError("Expression cannot be implemented with read/access watchpoint.")
        bp = Breakpoint(self._next_bp, kind, what=expr, condition=cond, lval=v.lval, ctype=v.type)
        bp.old = self._watch_value(bp)
        core_kind = {"watchpoint": "write", "read watchpoint": "read", "acc watchpoint": "access"}[kind]
        try:
            if v.lval[0] == "mem":
                bp.core_id = self.m.add_watchpoint(v.lval[1], size=v.type.size, kind=core_kind)
            else:
                bp.core_id = self.m.add_register_watchpoint((ABI if v.lval[0] == "x" else FABI)[v.lval[1]])
        except Exception:               # the core cannot watch this (a vector register, > 4 KiB): step
            bp.core_id = None
        self._next_bp += 1
        self.breakpoints[bp.number] = bp
        title = {"watchpoint": "Hardware watchpoint", "read watchpoint": "Hardware read watchpoint",
                 "acc watchpoint": "Hardware access (read/write) watchpoint"}[kind]
        if v.lval[0] != "mem":
            title = "Watchpoint"
        return [f"{title} {bp.number}: {expr}"]

    def _numbers(self, args: str, what="breakpoint") -> list[int]:
        nums = []
        for word in args.split():
            if "-" in word and word.replace("-", "").isdigit():
                lo, hi = word.split("-", 1)
                nums += list(range(int(lo), int(hi) + 1))
            elif word.isdigit():
                nums.append(int(word))
            else:
                raise DebugError(f"Bad {what} number '{word}'")
        return nums

    def delete_cmd(self, args: str) -> list[str]:
        words = args.split()
        if words[:1] == ["display"]:
            return self.undisplay_cmd(" ".join(words[1:]))
        if words[:1] in (["breakpoints"], ["break"]):
            words = words[1:]
        if not words:
            for bp in list(self.breakpoints.values()):
                self._remove(bp)
            return []
        out = []
        for n in self._numbers(" ".join(words)):
            bp = self.breakpoints.get(n)
            if bp is None:
                out.append(f"No breakpoint number {n}.")
                continue
            self._remove(bp)
        return out

    def _remove(self, bp):
        if bp.core_id is not None:
            try:
                self.m.remove_watchpoint(bp.core_id)
            except Exception:
                pass
        del self.breakpoints[bp.number]
        self._sync_core_breakpoints()

    def enable_cmd(self, args: str, enable: bool) -> list[str]:
        words = args.split()
        if words[:1] == ["display"]:
            for n in self._numbers(" ".join(words[1:])) or list(self.displays):
                if n in self.displays:
                    self.displays[n].enabled = enable
            return []
        if words[:1] in (["once"], ["delete"]):
            mode, words = words[0], words[1:]
            for n in self._numbers(" ".join(words)):
                if n in self.breakpoints:
                    self.breakpoints[n].enabled = True
                    self.breakpoints[n].temporary = mode == "delete"
                    self.breakpoints[n].once = mode == "once"
            self._sync_core_breakpoints()
            return []
        out = []
        nums = self._numbers(" ".join(words)) if words else list(self.breakpoints)
        for n in nums:
            bp = self.breakpoints.get(n)
            if bp is None:
                out.append(f"No breakpoint number {n}.")
                continue
            bp.enabled = enable
        self._sync_core_breakpoints()
        return out

    def condition_cmd(self, args: str) -> list[str]:
        words = args.split(None, 1)
        if not words:
            raise DebugError("Argument required (breakpoint number).")
        if not words[0].isdigit():
            raise DebugError(f"Bad breakpoint argument: '{words[0]}'")
        bp = self.breakpoints.get(int(words[0]))
        if bp is None:
            raise DebugError(f"No breakpoint number {words[0]}.")
        if len(words) == 1:
            bp.condition = None
            return [f"Breakpoint {bp.number} now unconditional."]
        if not self.finished:
            self.eval(words[1])
        bp.condition = words[1]
        return []

    def ignore_cmd(self, args: str) -> list[str]:
        words = args.split()
        if len(words) != 2 or not all(w.isdigit() for w in words):
            raise DebugError("Argument required (a breakpoint number and a count).")
        bp = self.breakpoints.get(int(words[0]))
        if bp is None:
            raise DebugError(f"No breakpoint number {words[0]}.")
        bp.ignore = int(words[1])
        return [f"Will ignore next {bp.ignore} crossings of breakpoint {bp.number}."]

    def undisplay_cmd(self, args: str) -> list[str]:
        if not args.strip():
            self.displays.clear()
            return []
        out = []
        for n in self._numbers(args, "display"):
            if self.displays.pop(n, None) is None:
                out.append(f"No display number {n}.")
        return out

    # ---------------------------------------------------------------- info

    def info_breakpoints(self, watch_only: bool = False) -> list[str]:
        bps = [bp for bp in self.breakpoints.values() if bp.is_watch or not watch_only]
        if not bps:
            return ["No watchpoints." if watch_only else "No breakpoints or watchpoints."]
        lines = ["Num     Type            Disp Enb Address            What"]
        for bp in bps:
            disp = "del " if bp.temporary else "dis " if bp.once else "keep"
            enb = "y" if bp.enabled else "n"
            if bp.is_watch:
                kind = {"watchpoint": "hw watchpoint", "read watchpoint": "read watchpoint",
                        "acc watchpoint": "acc watchpoint"}[bp.kind]
                lines.append(f"{bp.number:<7} {kind:<15} {disp} {enb}   {'':18} {bp.what}")
            else:
                where = self.info.line_at(bp.address)
                func = self.info.function_at(bp.address)
                what = f"in {func[1]} at {where[0]}:{where[1]}" if where and func else \
                    f"<{self.info.symbolize(bp.address)}>" if self.info.symbolize(bp.address) else ""
                lines.append(f"{bp.number:<7} {'breakpoint':<15} {disp} {enb}   0x{bp.address:0{self.addr_digits}x} {what}")
            if bp.condition:
                lines.append(f"\tstop only if {bp.condition}")
            if bp.hits:
                lines.append(f"\tbreakpoint already hit {bp.hits} time{'s' if bp.hits != 1 else ''}")
            if bp.ignore:
                lines.append(f"\tWill ignore next {bp.ignore} crossings of breakpoint.")
        return lines

    def info_registers(self, names: list[str], all_regs: bool = False) -> list[str]:
        self._check_running()
        out = []
        if not names:
            names = [*ABI[1:], "pc"]
            if all_regs:
                names += [*FABI] + [c for c in ("fflags", "frm", "fcsr", "vstart", "vxsat", "vxrm", "vcsr",
                                             "vl", "vtype", "vlenb", "mstatus", "misa", "mcycle",
                                             "minstret", "mepc", "mcause", "mtval", "mtvec")]
        for raw_name in names:
            name = raw_name.lstrip("$")
            v = self._register_value(name)
            if v is None:
                raise DebugError(f"Invalid register `{name}'")
            kind = v.lval[0] if v.lval else ""
            if kind == "f":
                bits = int(self.m.f[v.lval[1]])
                out.append(f"{name:<15}{format_value(v, None, self._symbolize):<19}(raw 0x{bits:016x})")
                continue
            raw = bits_of(v) if not v.type.floating else 0
            natural = format_value(v, None, self._symbolize)
            if v.type.code:
                natural = self._symbolize(raw)
            elif v.type.target is not None:
                natural = f"{raw:#x}"
            elif kind == "csr":
                natural = str(raw)
            out.append(f"{name:<15}{raw:<#19x}{natural}")
        return out

    def info_vector(self, args: list[str] = ()) -> list[str]:
        """vl, vtype and the vector registers as elements at the current SEW, grouped by LMUL.
        args: an optional /FMT (x d u t f) and register names (v2 or $v2) to show only those."""
        self._check_running()
        try:
            vtype, vl, vlenb = self.m.csr["vtype"], self.m.csr["vl"], self.m.csr["vlenb"]
        except KeyError:
            raise DebugError("This machine has no vector unit.") from None
        fmt, wanted = None, []
        for arg in args:
            if arg.startswith("/"):
                fmt = arg[1:]
                if fmt not in VECTOR_FORMATS:
                    raise DebugError(f"Undefined output format \"{fmt}\" for vector registers "
                                     f"(one of {', '.join(VECTOR_FORMATS)}).")
                continue
            number = _vector_register_number(arg)
            if number is None:
                raise DebugError(f"Invalid vector register `{arg}' (v0 ... v31).")
            wanted.append(number)
        if vtype >> 63:
            head = f"vl = {vl}, vtype = {vtype:#x} (vill: no valid vector configuration), vlenb = {vlenb}"
            return [head]
        sew = self._sew()
        vlmul = vtype & 7
        lmul = {0: 1, 1: 2, 2: 4, 3: 8, 5: 1 / 8, 6: 1 / 4, 7: 1 / 2}.get(vlmul, 1)
        lmul_txt = f"m{int(lmul)}" if lmul >= 1 else f"mf{int(1 / lmul)}"
        ta = "ta" if vtype >> 6 & 1 else "tu"
        ma = "ma" if vtype >> 7 & 1 else "mu"
        lines = [f"vl = {vl}, vtype = {vtype:#x} (e{sew}, {lmul_txt}, {ta}, {ma}), vlenb = {vlenb}, "
                 f"vstart = {self.m.csr['vstart']}"]
        group = int(lmul) if lmul >= 1 else 1
        bases = sorted({n - n % group for n in wanted}) if wanted else range(0, 32, group)
        for base in bases:
            elems = vector_elements(np.concatenate([self.m.v[base + k] for k in range(group)]), sew,
                                    fmt or "d")
            active = ", ".join(elems[:vl])
            rest = elems[vl:]
            tail = (" | " + ", ".join(rest[:8]) + (" ..." if len(rest) > 8 else "")) if rest else ""
            name = f"v{base}" if group == 1 else f"v{base}-v{base + group - 1}"
            lines.append(f"{name:<8}{{{active}{tail}}}")
        return lines

    def info_frame(self) -> list[str]:
        self._check_running()
        frames = self.frames()
        fr = frames[0]
        where = self.info.line_at(fr["pc"])
        at = f" ({where[0]}:{where[1]})" if where else ""
        caller = frames[1] if len(frames) > 1 else None
        lines = [f"Stack level 0, frame at {fr['sp']:#x}:",
                 f" pc = {fr['pc']:#x} in {fr['function']}{at}; saved pc = " +
                 (f"{caller['pc']:#x}" if caller else "(none: outermost frame)")]
        if caller:
            lines.append(f" called by frame at {caller['sp']:#x}")
        lines.append(f" sp = {fr['sp']:#x}, ra = {int(self.m.x[1]):#x}, fp = {int(self.m.x[8]):#x}")
        return lines

    def info_line(self, arg: str) -> list[str]:
        addr = self.resolve_location(arg)[0] if arg.strip() else self.m.pc
        rng = self.info.line_range(addr)
        where = self.info.line_at(addr)
        if where is None or rng is None:
            return [f"No line number information available for address {self.info.addr_text(addr)}"]
        return [f"Line {where[1]} of \"{where[0]}\" starts at address {self.info.addr_text(rng[0])} "
                f"and ends at {self.info.addr_text(rng[1])}."]

    def info_symbol(self, arg: str) -> list[str]:
        if not arg.strip():
            raise DebugError("Argument required (address).")
        addr = int(self.eval(arg).value) & MASK64
        sym = self.info.symbolize(addr)
        if not sym:
            return [f"No symbol matches {arg}."]
        section = ".text" if self.info.in_code(addr) else ".data"
        if self.info.program is not None:
            for sec in self.info.program.sections:
                if sec.address <= addr < sec.address + sec.size:
                    section = sec.name
        return [f"{sym.replace('+', ' + ')} in section {section}"]

    def info_display(self) -> list[str]:
        if not self.displays:
            return ["There are no auto-display expressions now."]
        lines = ["Auto-display expressions now in effect:", "Num Enb Expression"]
        for d in self.displays.values():
            spec = ""
            if d.is_x:
                spec = f"/{d.count}{d.fmt or ''} "
            elif d.fmt:
                spec = f"/{d.fmt} "
            lines.append(f"{d.number}:   {'y' if d.enabled else 'n'}  {spec}{d.expr}")
        return lines

    # ---------------------------------------------------------------- list, disassemble

    def list_cmd(self, arg: str) -> list[str]:
        if self.info.program is None:
            raise DebugError("No source file: this program was not assembled by rvsim "
                             "(try `disassemble` or `x/8i $pc`).")
        arg = arg.strip()
        if not arg:
            if self._list_next is not None:
                file, first = self._list_next
            else:
                where = self.info.line_at(self.m.pc) or (self.info.main_file, 1)
                file, first = where[0], max(1, where[1] - 5)
        elif arg == "-":
            if self._list_next is None:
                raise DebugError("No previous listing.")
            file, first = self._list_next[0], max(1, self._list_next[1] - 20)
        else:
            if arg.isdigit():
                file, line = self.info.main_file, int(arg)
            elif ":" in arg and arg.rpartition(":")[2].isdigit():
                fname, _, ln = arg.rpartition(":")
                file = self.info.match_file(fname)
                if file is None:
                    raise DebugError(f"No source file named {fname}.")
                line = int(ln)
            else:
                addr = self.resolve_location(arg)[0]
                where = self.info.line_at(addr)
                if where is None:
                    raise DebugError(f"No line number known for {arg}.")
                file, line = where
            first = max(1, line - 5)
        src = self.info.source_lines(file)
        if not src:
            raise DebugError(f"Cannot read the source file {file}.")
        if first > len(src):
            raise DebugError(f"Line number {first} out of range; \"{file}\" has {len(src)} lines.")
        lines = [f"{n}\t{src[n - 1]}" for n in range(first, min(len(src), first + 9) + 1)]
        self._list_next = (file, first + 10)
        return lines

    def disassemble_cmd(self, args: str) -> list[str]:
        raw = False
        words = args.strip()
        while words.startswith("/"):
            mod, _, words = words.partition(" ")
            raw = raw or "r" in mod
            words = words.strip()
        if "," in words:
            a, _, b = words.partition(",")
            lo = int(self.eval(a).value) & MASK64
            b = b.strip()
            hi = lo + int(self.eval(b[1:]).value) if b.startswith("+") else int(self.eval(b).value) & MASK64
            title = f"Dump of assembler code from {lo:#x} to {hi:#x}:"
            func_start = None
        else:
            if words:
                v = self.eval(words)
                addr = int(v.value) & MASK64
            else:
                self._check_running()
                addr = self.m.pc
            func = self.info.function_at(addr)
            if func is None:
                raise DebugError("No function contains specified address.")
            lo, hi = func[0], self.info.function_end(func[0])
            title = f"Dump of assembler code for function {func[1]}:"
            func_start = lo
        lines = [title]
        addr = lo
        while addr < hi:
            got = self.info.insn_at(addr)
            if got is None:
                raise DebugError(f"Cannot access memory at address {addr:#x}")
            word, n, text = got
            mark = "=> " if addr == self.m.pc and not self.finished else "   "
            label = f"<+{addr - func_start}>" if func_start is not None else \
                (f"<{self.info.symbolize(addr)}>" if self.info.symbolize(addr) else "")
            rawtxt = (" ".join(f"{b:02x}" for b in word.to_bytes(n, "little")) + "\t") if raw else ""
            lines.append(f"{mark}0x{addr:0{self.addr_digits}x} {label}:\t{rawtxt}{text}")
            addr += n
        lines.append("End of assembler dump.")
        return lines


def _split_if(text: str) -> tuple[str, str | None]:
    words = text.strip()
    if words.startswith("if ") or words == "if":
        return "", words[3:].strip() or None
    idx = words.find(" if ")
    if idx >= 0:
        return words[:idx].strip(), words[idx + 4:].strip() or None
    return words, None


def _is_label_expr(text: str, session) -> bool:
    """`x msg`: a bare data label means its address (gdb needs &msg for a typed variable; a label
    has no type, so the address is what a student means)."""
    return text.strip() in session.info.symbols


def char_escape(b: int) -> str:
    if b == 34:
        return '\\"'
    from .expr import char_repr
    return char_repr(b) if b != 39 else "'"


VECTOR_FORMATS = ("x", "d", "u", "t", "f")
_VECTOR_FLOATS = {16: np.float16, 32: np.float32, 64: np.float64}


def vector_elements(row: np.ndarray, eew: int, fmt: str = "d") -> list[str]:
    """A vector register's (or group's) bytes as elements of eew bits, as text in a print format:
    d signed, u unsigned, x hex, t binary, f IEEE float (half at 16 bits), bf bfloat16 (16 bits)."""
    data = np.ascontiguousarray(row, dtype=np.uint8)
    if fmt == "bf" and eew == 16:
        # bfloat16 is the upper half of a float32
        singles = (data.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
        return [format_float(float(e), 4) for e in singles]
    if fmt in ("f", "bf") and eew == 16:
        # numpy's text of a half is its shortest (format_float's is a single's)
        return [t[:-2] if t.endswith(".0") else t for t in map(str, data.view(np.float16))]
    if fmt in ("f", "bf") and eew in _VECTOR_FLOATS:
        return [format_float(float(e), eew // 8) for e in data.view(_VECTOR_FLOATS[eew])]
    unsigned = data.view({8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}[eew]).tolist()
    if fmt == "x":
        return [f"{e:#x}" for e in unsigned]
    if fmt == "t":
        return [f"{e:b}" for e in unsigned]
    if fmt == "u":
        return [str(e) for e in unsigned]
    return [str(e - (1 << eew) if e >> (eew - 1) else e) for e in unsigned]


# the vector FP instructions whose destination holds integers (or no vector register at all)
_VF_INTEGER_DEST = ("vfcvt.x", "vfcvt.rtz", "vfwcvt.x", "vfwcvt.rtz", "vfncvt.x", "vfncvt.rtz",
                    "vfclass", "vfirst", "vfmv.f.s")


def vector_dest_format(mnemonic: str, sew: int) -> tuple[str, int]:
    """('f', 'bf' or 'd', element width) of the vector destination of an instruction, from its
    mnemonic: floats for the FP instructions that write floats, twice SEW for widening ones
    (vw*, vfw*), bfloat16 for vfncvtbf16; integers at SEW for everything else."""
    widening = mnemonic.startswith(("vw", "vfw"))
    eew = min(2 * sew, 64) if widening else sew
    if mnemonic.startswith("vfncvtbf16"):
        return "bf", 16
    if mnemonic.startswith("vf") and not mnemonic.startswith(_VF_INTEGER_DEST):
        return "f", eew
    return "d", eew


def _vector_register_number(name: str) -> int | None:
    text = name.strip().lstrip("$")
    if text.startswith("v") and text[1:].isdigit() and int(text[1:]) < 32:
        return int(text[1:])
    return None


def _short_list(items, limit: int = 8) -> str:
    text = ", ".join(str(i) for i in items[:limit])
    return "{" + text + (", ..." if len(items) > limit else "") + "}"


def _as_bytes(value, n: int) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return (int(value) & ((1 << 8 * n) - 1)).to_bytes(n, "little")

