"""Architectural state as simulators report it, and differences between two states.

:class:`ArchState` is the common currency of the differential harness: rvsim, qemu-riscv64 and user
callbacks all return one.  A field left at ``None`` was not reported and is not compared, so a reference
that only models the integer registers returns ``ArchState(x=...)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from .insn import FREG_NAMES, XREG_NAMES

MASK64 = (1 << 64) - 1
_SCALAR_FIELDS = ("pc", "fcsr", "vl", "vtype", "vstart", "vxrm", "vxsat")


@dataclass
class ArchState:
    """Registers and memory at the end of a run (``None``: not reported, not compared).

    ``x`` and ``f`` hold 32 unsigned 64-bit values (``x[0]`` is 0; ``f`` registers NaN-boxed as stored),
    ``v`` 32 byte strings of VLEN/8 bytes (element 0 first), ``memory`` maps start addresses to the bytes
    found there.  ``trap`` describes how a run ended early (``"SIGILL at 0x10230"``); it is ``None`` when
    the program ran to its end.
    """

    pc: int | None = None
    x: tuple[int, ...] | None = None
    f: tuple[int, ...] | None = None
    fcsr: int | None = None
    v: tuple[bytes, ...] | None = None
    vl: int | None = None
    vtype: int | None = None
    vstart: int | None = None
    vxrm: int | None = None
    vxsat: int | None = None
    memory: dict[int, bytes] = field(default_factory=dict)
    trap: str | None = None

    def __post_init__(self):
        if self.x is not None:
            self.x = tuple(int(v) & MASK64 for v in self.x)
            if len(self.x) == 31:                  # x1..x31 given
                self.x = (0,) + self.x
            if len(self.x) != 32:
                raise ValueError(f"ArchState.x needs 32 (or 31: x1..x31) values, got {len(self.x)}")
        if self.f is not None:
            self.f = tuple(int(v) & MASK64 for v in self.f)
            if len(self.f) != 32:
                raise ValueError(f"ArchState.f needs 32 values, got {len(self.f)}")
        if self.v is not None:
            self.v = tuple(bytes(r) for r in self.v)
            if len(self.v) != 32:
                raise ValueError(f"ArchState.v needs 32 registers, got {len(self.v)}")
        self.memory = {int(a): bytes(b) for a, b in self.memory.items()}

    @property
    def fflags(self) -> int | None:
        return None if self.fcsr is None else self.fcsr & 0x1F

    @property
    def frm(self) -> int | None:
        return None if self.fcsr is None else (self.fcsr >> 5) & 7

    @classmethod
    def from_machine(cls, m, memory=(), vector: bool | None = None) -> "ArchState":
        """The state of an rvsim :class:`~rvsim.machine.Machine`, with the memory ``(addr, size)``
        regions listed.  Vector state is included when the machine has V (or ``vector=True``)."""
        exts = m.extensions
        has_f = "f" in exts
        has_v = ("v" in exts) if vector is None else vector
        h = m._hart
        # (tolist() of the plain arrays: iterating the register views element by element costs
        # milliseconds, a good part of running a generated program)
        state = cls(pc=m.pc, x=tuple(np.asarray(m.x).tolist()), trap=None)
        if has_f:
            state.f = tuple(np.asarray(m.f).tolist())
            state.fcsr = (int(h.frm) << 5) | int(h.fflags)
        if has_v:
            state.v = tuple(bytes(r) for r in m.v)
            state.vl, state.vtype, state.vstart = int(h.vl), int(h.vtype), int(h.vstart)
            if getattr(m, "xlen", 64) == 32:     # vtype as RV32 software reads it: vill is bit 31
                state.vtype = (state.vtype & 0x7FFFFFFF) | (state.vtype >> 63) << 31
            state.vxrm, state.vxsat = int(h.vxrm), int(h.vxsat)
        state.memory = {addr: m.read(addr, size) for addr, size in memory}
        return state

    def restricted_to(self, other: "ArchState") -> "ArchState":
        """A copy keeping only the fields ``other`` reports too (for comparing with a partial reference)."""
        out = ArchState()
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if f.name == "memory":
                out.memory = {a: b for a, b in self.memory.items() if a in other.memory}
            elif f.name == "trap":
                out.trap = self.trap
            elif theirs is not None:
                setattr(out, f.name, mine)
        return out


@dataclass(frozen=True)
class Difference:
    """One differing item: ``where`` names it (``x10 (a0)``, ``f3``, ``fcsr``, ``v8``, ``mem[0x11200]``)."""

    where: str
    a: object
    b: object

    def __str__(self) -> str:
        return f"{self.where}: {_show(self.a)} != {_show(self.b)}"


def _show(v) -> str:
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, int):
        return f"{v:#x}"
    return str(v)


def xreg_name(i: int) -> str:
    return f"x{i} ({XREG_NAMES[i]})"


def freg_name(i: int) -> str:
    return f"f{i} ({FREG_NAMES[i]})"


def _diff_states(a: ArchState, b: ArchState) -> list[Difference]:
    out: list[Difference] = []
    if a.trap != b.trap:
        out.append(Difference("trap", a.trap or "none (ran to the end)", b.trap or "none (ran to the end)"))
    if a.pc is not None and b.pc is not None and a.pc != b.pc:
        out.append(Difference("pc", a.pc, b.pc))
    if a.x is not None and b.x is not None:
        out += [Difference(xreg_name(i), a.x[i], b.x[i]) for i in range(1, 32) if a.x[i] != b.x[i]]
    if a.f is not None and b.f is not None:
        out += [Difference(freg_name(i), a.f[i], b.f[i]) for i in range(32) if a.f[i] != b.f[i]]
    for name in _SCALAR_FIELDS[1:]:
        va, vb = getattr(a, name), getattr(b, name)
        if va is not None and vb is not None and va != vb:
            out.append(Difference(name, va, vb))
    if a.v is not None and b.v is not None:
        out += [Difference(f"v{i}", a.v[i], b.v[i]) for i in range(32) if a.v[i] != b.v[i]]
    for addr in sorted(set(a.memory) & set(b.memory)):
        out += _diff_bytes(addr, a.memory[addr], b.memory[addr])
    return out


def _diff_bytes(addr: int, a: bytes, b: bytes, chunk: int = 8) -> list[Difference]:
    """Differing 8-byte aligned chunks of two memory images (one Difference per chunk)."""
    out = []
    n = min(len(a), len(b))
    for off in range(0, n, chunk):
        ca, cb = a[off:off + chunk], b[off:off + chunk]
        if ca != cb:
            out.append(Difference(f"mem[{addr + off:#x}]", ca, cb))
    if len(a) != len(b):
        out.append(Difference(f"mem[{addr:#x}] size", len(a), len(b)))
    return out


def _snapshot_fields(snap) -> dict:
    from .._core import ffi
    h = ffi.new("rv_hart_state *")
    ffi.buffer(h)[:] = snap.hart
    out = {}
    for name, _ in ffi.typeof("rv_hart_state").fields:
        if name.startswith("_") or name in ("trap_cause", "trap_tval", "trap_pc", "htif_value", "error"):
            continue
        value = getattr(h, name)
        if name == "x":
            for i in range(1, 32):
                out[xreg_name(i)] = int(value[i])
        elif name == "f":
            for i in range(32):
                out[freg_name(i)] = int(value[i])
        elif isinstance(value, ffi.CData):
            for i in range(len(value)):
                out[f"{name}[{i}]"] = int(value[i])
        else:
            out[name] = int(value)
    return out


def diff(a, b, ignore=()) -> list[Difference]:
    """Differences between two states: two :class:`ArchState` objects (fields either side leaves at
    ``None`` are skipped) or two :class:`rvsim.machine.Snapshot` objects (every hart field, the vector
    registers and the saved memory).  ``ignore`` lists names to leave out (``"instret"``, ``"cycle"``,
    ``"pc"``...).  An empty list means the states agree."""
    from ..machine import Snapshot
    if isinstance(a, Snapshot) and isinstance(b, Snapshot):
        fa, fb = _snapshot_fields(a), _snapshot_fields(b)
        out = [Difference(k, fa[k], fb[k]) for k in fa if fa[k] != fb[k]]
        out += [Difference(f"v{i}", a.v[i].tobytes(), b.v[i].tobytes()) for i in range(len(a.v))
                if (a.v[i] != b.v[i]).any()]
        pages_a = {int(p): i for i, p in enumerate(a.pages)}
        pages_b = {int(p): i for i, p in enumerate(b.pages)}
        for pg in sorted(set(pages_a) | set(pages_b)):
            ra = a.data[pages_a[pg]].tobytes() if pg in pages_a else bytes(4096)
            rb = b.data[pages_b[pg]].tobytes() if pg in pages_b else bytes(4096)
            if ra != rb:
                out += _diff_bytes(a.memory_base + pg * 4096, ra, rb)
    elif isinstance(a, ArchState) and isinstance(b, ArchState):
        out = _diff_states(a, b)
    else:
        raise TypeError("diff() compares two ArchState or two Snapshot objects, "
                        f"not {type(a).__name__} and {type(b).__name__}")
    if ignore:
        out = [d for d in out if d.where.split(" ")[0].split("[")[0] not in ignore and d.where not in ignore]
    return out


def side_by_side(a: ArchState, b: ArchState, names=("rvsim", "reference"), only_differences=False) -> str:
    """The two states in two columns; differing lines are marked with ``<>``."""
    rows: list[tuple[str, str, str]] = []

    def add(where, va, vb):
        rows.append((where, "-" if va is None else _show(va), "-" if vb is None else _show(vb)))
    if a.trap or b.trap:
        add("trap", a.trap or "none", b.trap or "none")
    add("pc", a.pc, b.pc)
    if a.x is not None or b.x is not None:
        for i in range(1, 32):
            add(xreg_name(i), a.x[i] if a.x else None, b.x[i] if b.x else None)
    if a.f is not None or b.f is not None:
        for i in range(32):
            add(freg_name(i), a.f[i] if a.f else None, b.f[i] if b.f else None)
    for name in _SCALAR_FIELDS[1:]:
        va, vb = getattr(a, name), getattr(b, name)
        if va is not None or vb is not None:
            add(name, va, vb)
    if a.v is not None or b.v is not None:
        for i in range(32):
            add(f"v{i}", a.v[i] if a.v else None, b.v[i] if b.v else None)
    for addr in sorted(set(a.memory) | set(b.memory)):
        ma, mb = a.memory.get(addr), b.memory.get(addr)
        size = max(len(ma or b""), len(mb or b""))
        for off in range(0, size, 16):
            add(f"mem[{addr + off:#x}]", (ma or b"")[off:off + 16] or None, (mb or b"")[off:off + 16] or None)
    w0 = max(len(r[0]) for r in rows)
    w1 = max(max(len(r[1]) for r in rows), len(names[0]))
    lines = [f"  {'':{w0}}  {names[0]:{w1}}  {names[1]}"]
    for where, va, vb in rows:
        differs = va != vb and va != "-" and vb != "-"
        if only_differences and not differs:
            continue
        lines.append(f"{'<>' if differs else '  '}{where:{w0}}  {va:{w1}}  {vb}")
    return "\n".join(lines)
