"""Reverse execution, watchpoints and "what did the last instruction change" for :class:`Machine`.

The undo log lives in the C core (csrc/history.c): while recording, ``run()`` executes in a recording
copy of the interpreter loop that logs what every retired instruction (and every trap) overwrote, so
the functional loop pays nothing when recording is off.  Watchpoints are checked in the same loop.
:class:`HistoryMixin` is the Python side; Machine inherits it.
"""
from __future__ import annotations

from ._core import ffi, lib
from .stop import StopInfo, StopReason

WATCH_KINDS = {"read": lib.RV_WATCH_READ, "write": lib.RV_WATCH_WRITE, "access": lib.RV_WATCH_ACCESS}
REVERSE_CHUNK = 1 << 22           # steps undone per C call, so Ctrl-C is noticed
_MEM, _HART, _VREG, _TILE, _MACH, _PERM, _REG = range(1, 8)
# hart fields that are bookkeeping rather than state a program sees change
_QUIET_FIELDS = {"pc", "instret", "cycle", "_pad", "trap_cause", "trap_tval", "trap_pc", "htif_value",
                 "error", "vlenb", "misa"}


def _register_names():
    from .disasm import FREG_NAMES, XREG_NAMES
    return XREG_NAMES, FREG_NAMES


def register_number(name) -> int:
    """0..31 for x registers, 32..63 for f registers, from an ABI or x/f name (or a number)."""
    if isinstance(name, int):
        if not 0 <= name < 64:
            raise ValueError(f"register number {name} is not 0..63")
        return name
    xs, fs = _register_names()
    n = str(name).strip().lower().lstrip("$")
    if n == "fp":
        n = "s0"
    if n in xs:
        return xs.index(n)
    if n in fs:
        return 32 + fs.index(n)
    if n[:1] in "xf" and n[1:].isdigit() and int(n[1:]) < 32:
        return int(n[1:]) + (32 if n[0] == "f" else 0)
    raise ValueError(f"unknown register {name!r} (use x0..x31, f0..f31 or an ABI name such as a0)")


def register_name(number: int) -> str:
    xs, fs = _register_names()
    return xs[number] if number < 32 else fs[number - 32]


class WatchHit(tuple):
    """``(kind, where, old, new)``: kind ``"write"``, ``"read"`` or ``"register"``; where the watched
    address (memory) or register name; old/new the watched value before and after (ints for up to 8
    bytes, else bytes; for a read old is None and new is the value read).  Also ``.id`` (the
    watchpoint), ``.pc`` (the instruction that read or wrote), ``.size`` and ``.reverse`` (found going
    backwards: the machine now stands before that instruction)."""

    def __new__(cls, kind, where, old, new, *, id, pc, size, reverse):
        self = super().__new__(cls, (kind, where, old, new))
        self.id, self.pc, self.size, self.reverse = id, pc, size, reverse
        return self

    kind = property(lambda self: self[0])
    where = property(lambda self: self[1])
    old = property(lambda self: self[2])
    new = property(lambda self: self[3])

    def __repr__(self) -> str:
        where = self.where if isinstance(self.where, str) else hex(self.where)
        fmt = (lambda v: hex(v) if isinstance(v, int) else repr(v))
        return f"WatchHit({self.kind}, {where}, {fmt(self.old)}, {fmt(self.new)}, pc={self.pc:#x})"


def _hart_layout():
    """(offset, size, name) of every hart field word, arrays expanded."""
    global _LAYOUT
    if _LAYOUT is None:
        xs, fs = _register_names()
        out = []
        for name, f in ffi.typeof("rv_hart_state").fields:
            t = f.type
            if t.kind == "array":
                item = t.item.cdata if hasattr(t.item, "cdata") else None
                size = ffi.sizeof(t.item)
                for i in range(t.length):
                    if name == "x":
                        label = xs[i] if i < 32 else "_sink"
                    elif name == "f":
                        label = fs[i]
                    elif name == "error":
                        label = "error"
                    else:
                        label = f"{name}{i}"
                    out.append((f.offset + i * size, size, label))
                del item
            else:
                out.append((f.offset, ffi.sizeof(t), name))
        _LAYOUT = out
    return _LAYOUT


_LAYOUT = None


class HistoryMixin:
    """Recording, reverse execution and watchpoints (mixed into :class:`rvsim.machine.Machine`)."""

    _history_limits: tuple[int, int] | None = None

    # ------------------------------------------------------------------ recording

    def record(self, max_instructions: int = 10_000_000, max_bytes: int = 256 << 20) -> None:
        """Start recording an undo log (or change its limits): the last ``max_instructions``
        instructions, in at most about ``max_bytes`` of host memory; older history is dropped."""
        max_instructions, max_bytes = int(max_instructions), int(max_bytes)
        if max_instructions <= 0 or max_bytes <= 0:
            raise ValueError("record() limits must be positive")
        if lib.rv_history_start(self._core, max_instructions, max_bytes):
            raise MemoryError("no host memory for the undo log")
        self._history_limits = (max_instructions, max_bytes)

    def stop_recording(self) -> None:
        """Stop recording and forget the history."""
        lib.rv_history_stop(self._core)
        self._history_limits = None

    @property
    def recording(self) -> bool:
        return bool(lib.rv_history_recording(self._core))

    @property
    def history_length(self) -> int:
        """Steps (retired instructions, and traps) that :meth:`reverse_step` can undo now."""
        return int(lib.rv_history_length(self._core))

    @property
    def history_bytes(self) -> int:
        """Host memory the undo log holds."""
        return int(lib.rv_history_bytes(self._core))

    # ------------------------------------------------------------------ reverse execution

    def reverse_step(self, n: int = 1):
        """Undo ``n`` steps (fewer when the history runs out: reason HISTORY_START)."""
        if n < 0:
            raise ValueError("reverse_step(n) needs n >= 0")
        self._require_recording()
        done_total, remaining = 0, int(n)
        done = ffi.new("uint64_t *")
        try:
            while True:
                chunk = min(remaining, REVERSE_CHUNK)
                code = lib.rv_reverse(self._core, chunk, 0, done)
                done_total += int(done[0])
                remaining -= int(done[0])
                if code == lib.RV_STOP_HISTORY_START:
                    return StopInfo(StopReason.HISTORY_START, self.pc, done_total)
                if remaining <= 0:
                    return StopInfo(StopReason.LIMIT, self.pc, done_total)
        finally:
            self._settle()

    def reverse_continue(self):
        """Run backwards until a breakpoint address is reached, a watched location was written by the
        instruction just undone (the machine then stands before it), or the history runs out."""
        self._require_recording()
        done = ffi.new("uint64_t *")
        total = 0
        try:
            while True:
                code = lib.rv_reverse(self._core, REVERSE_CHUNK, 1, done)
                total += int(done[0])
                if code == lib.RV_STOP_LIMIT:
                    continue
                if code == lib.RV_STOP_BREAKPOINT:
                    return StopInfo(StopReason.BREAKPOINT, self.pc, total)
                if code == lib.RV_STOP_WATCH:
                    return StopInfo(StopReason.WATCHPOINT, self.pc, total, watch=self._watch_hit())
                return StopInfo(StopReason.HISTORY_START, self.pc, total)
        finally:
            self._settle()

    def _settle(self) -> None:
        """With the cycle model on, a reverse puts back only its clock as it goes; this makes the whole
        model (counters, caches, predictor, vector unit) what a forward run to here gives
        (csrc/history_checkpoint.c)."""
        if lib.rv_history_settle(self._core):
            raise RuntimeError("the cycle model could not be taken back exactly")

    def _replayed(self) -> bool:
        """run() stopped for the host at a step that was undone and is executed again: what the host
        did there the first time (system call results, memory a read filled) is put back and it is not
        asked again, so input is not read twice and output is not written twice."""
        return self._history_limits is not None and bool(lib.rv_history_replay(self._core))

    def _host_exited(self) -> None:
        """The host ended the program at this stop: executed again, the call is serviced again."""
        if self._history_limits is not None:
            lib.rv_history_host_exit(self._core)

    def _require_recording(self) -> None:
        if not self.recording:
            raise RuntimeError("reverse execution needs a recording: call Machine.record() first")

    # ------------------------------------------------------------------ watchpoints

    def add_watchpoint(self, where, size: int | None = None, kind: str = "write") -> int:
        """Stop ``run()`` after an instruction (or the host, for a system call) writes, reads or
        accesses guest memory ``[where, where+size)``; ``where`` is an address or a symbol (whose
        size is used when known, else 8).  Returns the watchpoint's id."""
        if kind not in WATCH_KINDS:
            raise ValueError(f"watchpoint kind must be one of {', '.join(WATCH_KINDS)}")
        addr = self._resolve(where)
        if size is None:
            size = self._symbol_size(where) or 8
        if not 0 < size <= lib.RV_WATCH_MAX_SIZE:
            raise ValueError(f"watchpoint size must be 1..{lib.RV_WATCH_MAX_SIZE} bytes")
        return self._add_watch(WATCH_KINDS[kind], addr, size)

    def add_register_watchpoint(self, register) -> int:
        """Stop ``run()`` after an instruction (or the host) changes an integer or FP register
        (``"a0"``, ``"x10"``, ``"fa0"``, ``"f10"``).  Returns the watchpoint's id."""
        return self._add_watch(lib.RV_WATCH_REGISTER, register_number(register), 8)

    def remove_watchpoint(self, watch_id: int) -> None:
        watches = self._watch_table()
        if watch_id not in watches:
            raise KeyError(f"no watchpoint {watch_id}")
        kind, addr, size, cid = watches.pop(watch_id)
        lib.rv_watch_remove(self._core, cid)

    @property
    def watchpoints(self) -> dict:
        """id -> (kind, address or register name, size)."""
        names = {v: k for k, v in WATCH_KINDS.items()}
        return {i: (("register", register_name(a), 8) if k == lib.RV_WATCH_REGISTER else (names[k], a, s))
                for i, (k, a, s, _) in self._watch_table().items()}

    def _watch_table(self) -> dict:
        if "_watches" not in self.__dict__:
            self._watches = {}
            self._next_watch = 1
        return self._watches

    def _add_watch(self, kind: int, addr: int, size: int) -> int:
        watches = self._watch_table()
        cid = lib.rv_watch_add(self._core, kind, addr, size)
        if cid < 0:
            raise ValueError("too many watchpoints (or a bad range)")
        wid = self._next_watch
        self._next_watch += 1
        watches[wid] = (kind, addr, size, cid)
        return wid

    def _symbol_size(self, where) -> int | None:
        if not isinstance(where, str):
            return None
        sizes = getattr(self.program, "symbol_sizes", None) if self.program is not None else None
        try:
            size = sizes.get(where) if sizes else None
        except AttributeError:
            size = None
        return size if size and size <= lib.RV_WATCH_MAX_SIZE else None

    def _watch_hit(self) -> WatchHit | None:
        hit = ffi.new("rv_watch_hit *")
        old = ffi.new("uint8_t[]", lib.RV_WATCH_MAX_SIZE)
        new = ffi.new("uint8_t[]", lib.RV_WATCH_MAX_SIZE)
        if lib.rv_watch_hit_info(self._core, hit, old, new):
            return None
        size = int(hit.size)
        ids = {cid: wid for wid, (_, _, _, cid) in self._watch_table().items()}
        wid = ids.get(int(hit.id), int(hit.id))
        if hit.kind == lib.RV_WATCH_REGISTER:
            return WatchHit("register", register_name(int(hit.addr)),
                            int.from_bytes(ffi.buffer(old, 8), "little"),
                            int.from_bytes(ffi.buffer(new, 8), "little"),
                            id=wid, pc=int(hit.pc), size=8, reverse=bool(hit.reverse))
        value = (lambda b: int.from_bytes(b, "little") if size <= 8 else b)
        old_v, new_v = value(bytes(ffi.buffer(old, size))), value(bytes(ffi.buffer(new, size)))
        if hit.access == lib.RV_WATCH_READ:
            return WatchHit("read", int(hit.addr), None, new_v, id=wid, pc=int(hit.pc), size=size,
                            reverse=bool(hit.reverse))
        return WatchHit("write", int(hit.addr), old_v, new_v, id=wid, pc=int(hit.pc), size=size,
                        reverse=bool(hit.reverse))

    def _history_reattach(self) -> None:
        """The core was re-created (a new memory window): recording and watchpoints follow it."""
        if self._history_limits is not None:
            lib.rv_history_start(self._core, *self._history_limits)
        for wid, (kind, addr, size, _) in list(self._watch_table().items()):
            self._watches[wid] = (kind, addr, size, lib.rv_watch_add(self._core, kind, addr, size))

    # ------------------------------------------------------------------ changes

    def last_changes(self) -> list[tuple] | None:
        """What the last executed instruction changed (after :meth:`reverse_step`: what undoing the
        last step changed), as ``(location, old, new)``: location is a register name (``"a0"``,
        ``"fa0"``), a CSR name (``"mstatus"``, ``"vl"``, ``"fflags"``), ``"v3"`` (old/new bytes),
        ``("memory", address, size)`` (old/new bytes), ``("tile", offset, size)`` or
        ``("permissions", address, size)``.  Host changes during a system call (a0, memory a
        ``read`` filled) belong to the ecall.  None when neither recording nor watchpoints are on."""
        buf = ffi.new("uint8_t[]", 4096)
        need = lib.rv_history_changes(self._core, buf, 4096)
        if need < 0:
            return None
        if need > 4096:
            buf = ffi.new("uint8_t[]", need)
            need = lib.rv_history_changes(self._core, buf, need)
        data = bytes(ffi.buffer(buf, need))
        return _parse_changes(data, self)

    def call_stack(self) -> tuple[list[tuple[int, int]], bool] | None:
        """The calls that have not returned, innermost first, found in the recorded calls and returns
        (the return-address-stack hints of the spec: a jal/jalr linking ra or t0 is a call, a jalr x0
        through ra or t0 a return), so no frame pointer or unwind information is needed: a list of
        ``(return address, sp at the call)``, and whether the history reaches back to where
        recording began (when steps were dropped, older calls may be missing).  None when not
        recording."""
        cap = 256
        rv32 = 1 if getattr(self, "xlen", 64) == 32 else 0
        while True:
            buf = ffi.new("uint64_t[]", 2 * cap)
            complete = ffi.new("int *")
            n = lib.rv_history_calls(self._core, rv32, buf, cap, complete)
            if n < 0:
                return None
            if n <= cap:
                return [(int(buf[2 * i]), int(buf[2 * i + 1])) for i in range(n)], bool(complete[0])
            cap = n

    def memory_changes(self, steps: int, limit: int = 64 << 20) -> list[tuple[int, bytes, bytes]] | None:
        """The memory the last ``steps`` instructions wrote, as ``(address, old, new)`` per location,
        the most recently written first: old is what it held before the first of those writes, new what
        it holds now (locations written back to their old value are left out).  The undo log is read
        newest first up to ``limit`` bytes of it, so a very long run reports its latest writes.  None
        when not recording."""
        cap = 1 << 16
        while True:
            buf = ffi.new("uint8_t[]", cap)
            need = lib.rv_history_memory_changes(self._core, max(0, int(steps)), buf, cap)
            if need < 0:
                return None
            if need <= cap or cap >= limit:
                break
            cap = min(int(need), limit)
        data = bytes(ffi.buffer(buf, min(need, cap)))
        oldest: dict[tuple[int, int], bytes] = {}
        order: list[tuple[int, int]] = []
        pos = 0
        while pos + 16 <= len(data):
            addr = int.from_bytes(data[pos:pos + 8], "little")
            length = int.from_bytes(data[pos + 8:pos + 16], "little")
            key = (addr, length)
            if key not in oldest:
                order.append(key)
            oldest[key] = data[pos + 16:pos + 16 + length]      # entries go newest first
            pos += 16 + ((length + 7) & ~7)
        out = []
        for addr, length in order:
            new = self.read(addr, length)
            if new != oldest[(addr, length)]:
                out.append((addr, oldest[(addr, length)], new))
        return out


def _parse_changes(data: bytes, machine) -> list[tuple]:
    layout = _hart_layout()
    vlenb = machine.vlen // 8
    order: list = []
    merged: dict = {}
    undone = bool(int.from_bytes(data[:8], "little"))
    pos = 8
    while pos < len(data):
        etype = int.from_bytes(data[pos:pos + 4], "little")
        length = int.from_bytes(data[pos + 4:pos + 8], "little")
        addr = int.from_bytes(data[pos + 8:pos + 16], "little")
        padded = (length + 7) & ~7
        old = data[pos + 16:pos + 16 + length]
        new = data[pos + 16 + padded:pos + 16 + padded + length]
        pos += 16 + 2 * padded
        items = []
        if etype == _MEM:
            items.append((("memory", addr, length), old, new))
        elif etype == _REG:
            items.append((register_name(addr), int.from_bytes(old, "little"), int.from_bytes(new, "little")))
        elif etype == _HART:
            for off, size, name in layout:
                if off + size <= addr or off >= addr + length or name in _QUIET_FIELDS or name == "_sink":
                    continue
                lo, hi = off - addr, off - addr + size
                o, n = int.from_bytes(old[lo:hi], "little"), int.from_bytes(new[lo:hi], "little")
                items.append((name, o, n))
        elif etype == _VREG:
            reg = addr // vlenb
            items.append((f"v{reg}", old, new))
        elif etype == _TILE:
            items.append((("tile", addr, length), old, new))
        elif etype == _PERM:
            items.append((("permissions", machine.memory_base + addr * 4096, length * 4096), old, new))
        for loc, o, n in items:
            if loc in merged:
                first_old, first_new = merged[loc]
                # forward: entries come newest first, so the last seen holds the oldest old value;
                # undone: the first seen holds the value before the undo, the last the restored one
                merged[loc] = (first_old, n) if undone else (o, first_new)
            else:
                merged[loc] = (o, n)
                order.append(loc)
    return [(loc, *merged[loc]) for loc in order if merged[loc][0] != merged[loc][1]]

