"""The differential harness: run programs on rvsim and on a reference, compare, locate the divergence.

    compare(program, against="qemu")          # qemu-riscv64, one process for the whole batch
    compare(programs, against=my_simulator)   # any callable: my_simulator(case) -> ArchState

A reference is

* ``"qemu"`` or a :class:`~rvsim.testing.qemu.QemuReference` (runs a whole batch at once), or
* a callable taking a :class:`~rvsim.testing.harness.Case` and returning an
  :class:`~rvsim.testing.state.ArchState` (or a dict of its fields) — the state after executing from
  ``case.entry`` until ``pc == case.end``.  Fields it leaves at ``None`` are not compared.

When the final states differ, :func:`compare` looks for the first diverging instruction by running
prefixes of the program on both sides: every prefix of the top-level items (all in one batch), then,
inside the first item whose addition makes the states differ, every prefix of that item's body (a loop,
forward branch or vector block), down to a single instruction.  Because items are self-contained,
each prefix is itself a valid program.  rvsim then stops at that instruction (a breakpoint) to show the
source operands it read, identical on both sides since the shorter prefix agreed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..isa import operands as K
from .harness import Batch, Case, run_rvsim
from .insn import Insn
from .program import Loop, Skip, TestProgram, VectorBlock
from .qemu import QemuReference
from .state import ArchState, Difference, diff, freg_name, side_by_side, xreg_name


class Divergence(AssertionError):
    """rvsim and the reference disagree; ``comparison`` holds the details, ``str()`` the report."""

    def __init__(self, comparison: "Comparison"):
        self.comparison = comparison
        super().__init__(comparison.report())


@dataclass
class Located:
    """The instruction whose addition first makes the two states differ."""

    insn: Insn | None
    address: int | None
    path: tuple[int, ...]           # item indexes from the top level down
    program: TestProgram            # the prefix program ending with that instruction
    mine: ArchState                 # states after the prefix
    theirs: ArchState
    differences: list[Difference]
    operands: dict[str, int] = field(default_factory=dict)   # source operand values before it (rvsim)


@dataclass
class Comparison:
    """The outcome of comparing one program."""

    program: TestProgram
    mine: ArchState
    theirs: ArchState
    differences: list[Difference]
    reference_name: str = "reference"
    located: Located | None = None

    @property
    def ok(self) -> bool:
        return not self.differences

    def report(self, full_states: bool = False) -> str:
        if self.ok:
            n = len(self.program)
            return f"rvsim and {self.reference_name} agree ({n} instruction{'' if n == 1 else 's'} under test)"
        names = ("rvsim", self.reference_name)
        out = [f"rvsim and {self.reference_name} differ: " + "; ".join(str(d) for d in self.differences[:6])
               + (f" (+{len(self.differences) - 6} more)" if len(self.differences) > 6 else "")]
        loc = self.located
        if loc is not None and loc.insn is not None:
            where = f" at {loc.address:#x}" if loc.address is not None else ""
            out.append(f"first diverging instruction{where} (item {'.'.join(map(str, loc.path))}): "
                       f"{loc.insn.text}")
            if loc.operands:
                out.append("  its source operands (equal on both sides): " +
                           ", ".join(f"{k} = {v:#x}" for k, v in loc.operands.items()))
            out.append("  state after it:")
            out.append(_indent(side_by_side(loc.mine.restricted_to(loc.theirs), loc.theirs, names,
                                            only_differences=True), 4))
            out.append("  program up to that instruction:")
            out.append(_indent(str(loc.program), 4))
        elif loc is not None:
            out.append("could not narrow it down to one instruction (the program with no items already "
                       "differs: the initial state or the harness itself disagrees)")
        out.append("program:")
        out.append(_indent(str(self.program), 4))
        out.append("final state:")
        out.append(_indent(side_by_side(self.mine, self.theirs, names, only_differences=not full_states), 4))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.report()


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + ln for ln in text.splitlines())


# ------------------------------------------------------------------------------------ references

class _CallableReference:
    def __init__(self, fn, name=None):
        self.fn = fn
        self.name = name or getattr(fn, "name", None) or getattr(fn, "__name__", None) or type(fn).__name__

    def run_batch(self, batch: Batch) -> list[ArchState]:
        out = []
        for case in batch.cases:
            state = self.fn(case)
            if isinstance(state, dict):
                state = ArchState(**state)
            if not isinstance(state, ArchState):
                raise TypeError(f"reference {self.name} returned {type(state).__name__}, not an ArchState")
            out.append(state)
        return out


def resolve_reference(against):
    """A reference object with ``run_batch(batch)`` and ``name`` for ``against``."""
    if against == "qemu":
        return QemuReference()
    if hasattr(against, "run_batch"):
        return against
    if callable(against):
        return _CallableReference(against)
    raise TypeError(f"cannot use {against!r} as a reference: give 'qemu', a QemuReference or a callable "
                    "taking a Case and returning an ArchState")


# ------------------------------------------------------------------------------------ comparing

def _compare_states(mine: ArchState, theirs: ArchState) -> tuple[ArchState, list[Difference]]:
    mine = mine.restricted_to(theirs)
    return mine, diff(mine, theirs)


def run_both(programs, reference) -> tuple[Batch, list[ArchState], list[ArchState]]:
    batch = Batch(programs)
    return batch, run_rvsim(batch), reference.run_batch(batch)


def compare(programs, against="qemu", *, locate: bool = True, raise_on_mismatch: bool = True):
    """Run ``programs`` (one :class:`TestProgram` or a list) on rvsim and on ``against`` and compare
    the final states.  Returns a :class:`Comparison` (a list of them for a list of programs); raises
    :class:`Divergence` (an AssertionError, so it fails a test) for the first program that differs,
    with the first diverging instruction located unless ``locate=False``."""
    single = isinstance(programs, TestProgram)
    progs = [programs] if single else list(programs)
    if not progs:
        return []
    reference = resolve_reference(against)
    name = getattr(reference, "name", "reference")
    batch, mine, theirs = run_both(progs, reference)
    results = []
    for p, a, b in zip(progs, mine, theirs):
        a, d = _compare_states(a, b)
        results.append(Comparison(p, a, b, d, name))
    failed = next((r for r in results if not r.ok), None)
    if failed is not None and locate and not _hypothesis_is_shrinking():
        failed.located = locate_divergence(failed.program, reference)
    if failed is not None and raise_on_mismatch:
        raise Divergence(failed)
    return results[0] if single else results


def _hypothesis_is_shrinking() -> bool:
    """True while hypothesis runs a failing example that is not the final one it reports: locating
    the divergence then would only slow shrinking down."""
    try:
        from hypothesis.control import current_build_context
        return not current_build_context().is_final
    except Exception:       # not inside a hypothesis test (or a hypothesis without this API)
        return False


def _with_body(item, body):
    return replace(item, body=tuple(body))


def _prefixes(items: tuple, path: tuple[int, ...]) -> list[tuple]:
    """Body prefixes at ``path``: for path (), items[:0..n]; for a deeper path, the outer items up to
    the container at path[-1]... with that container's body cut at every point."""
    if not path:
        return [items[:i] for i in range(len(items) + 1)]
    i, rest = path[0], path[1:]
    container = items[i]
    return [items[:i] + (_with_body(container, inner),) for inner in _prefixes(container.body, rest)]


def _body_at(items: tuple, path: tuple[int, ...]) -> tuple:
    for i in path:
        items = items[i].body
    return items


def locate_divergence(program: TestProgram, reference) -> Located:
    """Find the first item (recursively, the first instruction) whose addition makes rvsim and
    ``reference`` differ (see the module docstring)."""
    path: tuple[int, ...] = ()
    last: Located | None = None
    while True:
        candidates = _prefixes(program.items, path)
        progs = [program.with_items(c) for c in candidates]
        batch, mine, theirs = run_both(progs, reference)
        first = None
        for k, (a, b) in enumerate(zip(mine, theirs)):
            a, d = _compare_states(a, b)
            if d:
                first = k
                break
        if first is None:
            # no prefix differs here (the divergence needs the rest of an enclosing item): keep the outer answer
            return last or Located(None, None, path, program, mine[-1], theirs[-1], [])
        if first == 0:
            if last is not None:
                return last             # the container's own scaffolding (jump, vsetvli) differs
            a, d = _compare_states(mine[0], theirs[0])
            return Located(None, None, path, progs[0], a, theirs[0], d)
        index = first - 1
        item = _body_at(program.items, path)[index]
        case = batch.cases[first]
        a, d = _compare_states(mine[first], theirs[first])
        insn, address = _last_instruction(batch, case)
        last = Located(insn, address, path + (index,), progs[first], a, theirs[first], d)
        if isinstance(item, (Loop, Skip, VectorBlock)) and item.body:
            path = path + (index,)
            continue
        if insn is not None and address is not None:
            last.operands = _operands_before(batch, case, insn, address)
        return last


def _last_instruction(batch: Batch, case: Case) -> tuple[Insn | None, int | None]:
    tested = batch.tested_instructions(case)
    if not tested:
        return None, None
    address, insn = tested[-1]
    return insn, address


def _operands_before(batch: Batch, case: Case, insn: Insn, address: int) -> dict[str, int]:
    """Source register values when rvsim first reaches ``address`` in ``case``."""
    from ..host import LinuxEnvironment
    from ..machine import Machine, StopReason
    import io
    m = Machine(batch.isa, vlen=batch.vlen, env=LinuxEnvironment(stdout=io.BytesIO()))
    m.load_elf(batch.elf, name="<rvsim.testing batch>")
    m.add_breakpoint(address)
    m.pc = case.entry
    info = m.run(max_instructions=1_000_000)
    if info.reason is not StopReason.BREAKPOINT:
        return {}
    out = {}
    for k in insn.record.operands:
        v = insn.operands[k.name]
        if k.role == K.XREG and v == 0:
            continue
        if k.role == K.XREG and "rd" not in k.slots:
            out[xreg_name(v)] = int(m.x[v])
        elif k.role == K.XREG and "rs1" in k.slots:          # read-modify-write compressed forms
            out[xreg_name(v)] = int(m.x[v])
        elif k.role == K.FREG and "rd" not in k.slots:
            out[freg_name(v)] = int(m.f[v])
    return out
