"""Regions of interest: run with the cycle model off (functional speed) outside them and on inside.

A region is ``[NAME=]BEGIN:END``; BEGIN and END are each a label (``kernel_begin``), an address
(``0x10078``, decimal too) or a source line ``FILE:LINE`` of an assembled program
(``matmul.s:40:matmul.s:52``).  The model is switched on when execution reaches BEGIN and off when it
reaches END; every pass through a region adds to that region's totals (the same name given twice makes
one region of several ranges).  A region that is a single label, ``[NAME=]FUNCTION`` (``--region
kernel`` for a C function), is every call of it: from its entry until it returns to its caller, that is
until the pc reaches the return address ``ra`` held at the entry with the stack pointer back at or above
its value there (so recursive calls inside stay within the outermost one).  ``warmup`` instructions at each entry run on the model without being
counted: caches and predictor fill, then the counters restart (:meth:`rvsim.timing.Timing.reset`).

    >>> regions = parse_regions(["kernel=kernel_begin:kernel_end"])        # doctest: +SKIP
    >>> results = run_regions(machine, "x60", regions, program=prog)        # doctest: +SKIP
    >>> results["kernel"].totals["cycles"]                                  # doctest: +SKIP

Guest-side markers: the region ``markers`` (``--region markers`` or ``--region NAME=markers``) is delimited
by HINT instructions the program executes, ``slti x0, x0, IMM`` from the HINT space the unprivileged
spec designates for custom use (rd = x0: no architectural effect, real hardware runs them as no-ops):
IMM = 0x5c0 begin, 0x5c1 end, 0x5c2 reset (drop what the open region counted so far), 0x5c3 dump (record
the region's totals so far in ``RegionResult.dumps``).  ``include/rvsim_roi.h`` (C) and
``asm/roi.inc`` (assembly) define them.  They are found by scanning the program's executable segments
for the four instruction words, so a data word with the same value inside a code segment would count as
a marker too.

This is the one function ``rvsim run --region`` uses; other front ends (``rvsim bench``, ``profile``)
can call it too.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from .config import TimingConfigError


MARKER_BASE = 0x5C0
MARKERS = {"begin": MARKER_BASE, "end": MARKER_BASE + 1, "reset": MARKER_BASE + 2, "dump": MARKER_BASE + 3}


def marker_word(kind: str) -> int:
    """The instruction word of a marker: slti x0, x0, IMM (a custom-use HINT)."""
    return (MARKERS[kind] << 20) | (0b010 << 12) | 0x13


def find_markers(machine) -> dict[str, list[int]]:
    """Addresses of the marker HINTs in the loaded program's executable segments, by kind."""
    import struct
    words = {marker_word(k): k for k in MARKERS}
    found: dict[str, list[int]] = {k: [] for k in MARKERS}
    prog = getattr(machine, "program", None)
    for seg in getattr(prog, "segments", ()) or ():
        if "x" not in seg.perms:
            continue
        data = seg.data
        for off in range(0, len(data) - 3, 2):          # 2-byte steps: code may be compressed
            w = struct.unpack_from("<I", data, off)[0]
            if w in words:
                found[words[w]].append(seg.vaddr + off)
    return found


# the END of a function region: wherever the call returns
RETURN = "<return>"


@dataclass(frozen=True)
class Region:
    name: str
    begin: str
    end: str


@dataclass
class RegionResult:
    """What the model measured over every pass through one region."""

    name: str
    entries: int = 0
    totals: dict = field(default_factory=dict)
    by_pc: dict = field(default_factory=dict)       # pc -> LineStats, summed over the passes
    dumps: list = field(default_factory=list)       # totals so far at each dump marker

    def to_dict(self) -> dict:
        d = {"name": self.name, "entries": self.entries, "totals": self.totals}
        if self.dumps:
            d["dumps"] = self.dumps
        return d


_LINE = re.compile(r"\d+$")


def parse_region(spec: str) -> Region:
    """``[NAME=]BEGIN:END`` with BEGIN/END a label, an address or FILE:LINE."""
    name, eq, rest = spec.partition("=")
    if not eq:
        name, rest = "", spec
    if rest == "markers":
        return Region(name or "markers", "markers", "markers")
    parts = rest.split(":")
    if len(parts) == 1 and rest:
        return Region(name or rest, rest, RETURN)
    if len(parts) == 2:
        begin, end = parts
    elif len(parts) == 3 and _LINE.match(parts[1]) and not _LINE.match(parts[0]):
        begin, end = f"{parts[0]}:{parts[1]}", parts[2]
    elif len(parts) == 3:
        begin, end = parts[0], f"{parts[1]}:{parts[2]}"
    elif len(parts) == 4:
        begin, end = f"{parts[0]}:{parts[1]}", f"{parts[2]}:{parts[3]}"
    else:
        raise TimingConfigError(f"region {spec!r}: expected [NAME=]BEGIN:END (a label, an address or "
                                "FILE:LINE each) or [NAME=]FUNCTION")
    if not begin or not end:
        raise TimingConfigError(f"region {spec!r}: BEGIN and END must both be given")
    return Region(name or f"{begin}:{end}", begin, end)


def parse_regions(specs) -> list[Region]:
    return [parse_region(s) for s in specs]


def resolve(machine, where: str, program=None) -> int:
    """The address of a label, an address or FILE:LINE (of ``program``, an assembled Program)."""
    if where in machine.symbols:
        return machine.symbols[where]
    try:
        return int(where, 0)
    except ValueError:
        pass
    file, colon, line = where.rpartition(":")
    if colon and _LINE.match(line):
        addr = program.address_of_line(file, int(line)) if program is not None else None
        if addr is None:
            raise TimingConfigError(f"region bound {where!r}: no instruction at that source line"
                                    + ("" if program is not None else " (source lines need an assembly program)"))
        return addr
    raise TimingConfigError(f"region bound {where!r}: no such label (nor an address or FILE:LINE)")


def _add(into: dict, d: dict) -> None:
    for k, v in d.items():
        if isinstance(v, dict):
            _add(into.setdefault(k, {}), v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            into[k] = into.get(k, 0) + v


def run_regions(machine, preset, regions, program=None, warmup: int = 0,
                max_instructions: int | None = None, trace: list | None = None, trace_limit: int = 0):
    """Run ``machine`` to its end with the model (``preset``: a name, path or parsed config) on only
    inside ``regions``.  Returns ``(StopInfo, {name: RegionResult})``.  User breakpoints already set on
    the machine are kept and stop the run as usual.  With ``trace`` (a list), the pipeline trace of the
    first ``trace_limit`` modelled instructions (warm-ups excluded) is appended to it, each region
    entry after the previous one on the time axis (TraceRecord; rvsim.timing.pipeview draws it)."""
    from ..machine import StopReason
    begins: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    results: dict[str, RegionResult] = {}
    returns_of: set[str] = set()                # function regions
    pending: dict[str, tuple[int, int]] = {}    # an open function region: (return address, entry sp)
    resets: dict[int, list[str]] = {}
    dumps: dict[int, list[str]] = {}
    markers = None

    def add(table, addr, name):
        names = table.setdefault(addr, [])
        if name not in names:
            names.append(name)

    for r in dict.fromkeys(regions):        # a region given twice is one region
        results.setdefault(r.name, RegionResult(r.name))
        if r.begin == "markers":
            markers = markers if markers is not None else find_markers(machine)
            for kind, table in (("begin", begins), ("end", ends), ("reset", resets), ("dump", dumps)):
                for addr in markers[kind]:
                    add(table, addr, r.name)
            continue
        add(begins, resolve(machine, r.begin, program), r.name)
        if r.end == RETURN:
            returns_of.add(r.name)
        else:
            add(ends, resolve(machine, r.end, program), r.name)
    own = (set(begins) | set(ends) | set(resets) | set(dumps)) - set(machine.breakpoints)
    for addr in own:
        machine.add_breakpoint(addr)
    active: set[str] = set()
    timing = None
    start = machine.instret
    trace_end = [0]                 # the last cycle of the trace so far

    def arm_trace():
        """Record the next instructions on the model, up to what is left of trace_limit."""
        if trace is None or timing is None:
            return
        left = trace_limit - len(trace)
        if left > 0:
            timing.record_trace(left)
        else:
            timing._lib.rv_timing_trace(machine._core, timing._ffi.NULL, 0)

    def collect_trace():
        if trace is None or timing is None:
            return
        recs = timing.trace_records()
        if not recs:
            return
        if trace and recs[0].issue < trace[-1].issue:
            # a new model, its clock restarted at 0: place the entry after what is already drawn
            shift = trace_end[0] + 1 - min(r.fetch for r in recs)
            recs = [r._replace(fetch=r.fetch + shift, issue=r.issue + shift, start=r.start + shift,
                               done=r.done + shift) for r in recs]
        trace_end[0] = max([trace_end[0]] + [max(r.done, r.issue + 1) for r in recs])
        trace.extend(recs[:max(0, trace_limit - len(trace))])

    def count_segment():
        """Add what the model counted since its last reset to every open region, and restart it."""
        totals, by_pc = timing.totals(), timing.by_pc()
        for name in active:
            res = results[name]
            _add(res.totals, totals)
            for pc, s in by_pc.items():
                agg = res.by_pc.get(pc)
                if agg is None:
                    res.by_pc[pc] = copy.deepcopy(s)
                else:
                    agg.count += s.count
                    agg.cycles += s.cycles
                    for c, v in s.stalls.items():
                        agg.stalls[c] += v
        collect_trace()
        timing.reset()
        arm_trace()

    xmask = (1 << machine.xlen) - 1

    def reg(n):
        return int(machine._hart.x[n]) & xmask      # the core's registers (no numpy for two of them)

    def add_bound(addr):
        """Stop at a return address too (a function region's end, known at its entry)."""
        if addr not in own and addr not in machine.breakpoints:
            own.add(addr)
            machine.add_breakpoint(addr)

    def drop_bound(addr):
        if addr in own and addr not in begins and addr not in resets and addr not in dumps:
            own.discard(addr)
            machine.remove_breakpoint(addr)

    def at_bound(pc):
        """Open and close the regions bounded at pc; returns a StopInfo to end the run with, or None."""
        nonlocal timing
        if timing is not None and any(n in active for n in dumps.get(pc, ())):
            count_segment()
            for n in dumps[pc]:
                if n in active:
                    results[n].dumps.append(copy.deepcopy(results[n].totals))
        if timing is not None and any(n in active for n in resets.get(pc, ())):
            count_segment()             # the other open regions keep their counts
            for n in resets[pc]:
                if n in active:
                    results[n].totals, results[n].by_pc = {}, {}
        ending = [n for n in ends.get(pc, ()) if n in active]
        for n, (ret, sp) in list(pending.items()):
            if pc == ret and reg(2) >= sp:
                ending.append(n)
                del pending[n]
                if ret not in ends and all(r != ret for r, _ in pending.values()):
                    drop_bound(ret)
        if ending:
            count_segment()
            active.difference_update(ending)
            if not active:
                machine.disable_timing()
                timing = None
        starting = [n for n in begins.get(pc, ()) if n not in active]
        if not starting:
            return None
        for n in starting:
            results[n].entries += 1
            if n in returns_of:
                pending[n] = (reg(1), reg(2))
                add_bound(reg(1))
        if timing is not None:
            count_segment()             # the open regions count up to here; the new one from here
            active.update(starting)
            return None
        timing = machine.enable_timing(preset)
        arm_trace()
        active.update(starting)
        if warmup:
            # the warm-up runs inside the region on the model, then its counts are dropped
            machine.remove_breakpoint(pc)
            try:
                info = machine.run(warmup)
            finally:
                machine.add_breakpoint(pc)
            timing.reset()
            if info.reason is StopReason.BREAKPOINT and machine.pc in own:
                return at_bound(machine.pc)
            if info.reason is not StopReason.LIMIT:
                return info
        return None

    try:
        while True:
            budget = None if max_instructions is None else max_instructions - (machine.instret - start)
            info = machine.run(budget) if budget is None or budget > 0 else machine.run(0)
            if info.reason is not StopReason.BREAKPOINT or machine.pc not in own:
                break
            ended = at_bound(machine.pc)
            if ended is not None:
                info = ended
                break
        if active:
            count_segment()             # the program ended inside a region: count what ran
            active.clear()
    finally:
        for addr in own:
            machine.remove_breakpoint(addr)
        if timing is not None:
            machine.disable_timing()
    return info, results


class RegionTiming:
    """The regions' summed results in the shape finish_run reads (result(), for one Timing)."""

    def __init__(self, timing, results, name=None, config=None, trace=None):
        self._timing, self.results = timing, results
        self._name = name or timing.name
        self._config = config or timing.config
        self._trace = list(trace or ())

    def trace_records(self) -> list:
        """The pipeline trace recorded within the regions (run_regions' ``trace``)."""
        return list(self._trace)

    def result(self, program=None):
        from . import TimingResult, lines_of
        total: dict = {}
        by_pc: dict = {}
        for res in self.results.values():
            _add(total, res.totals)
            by_pc.update(res.by_pc)
        stalls = total.get("stalls", {})
        vec, cfg, cycles = total.get("vector", {}), self._config["vector"], total.get("cycles", 0)
        if vec and cfg["enabled"] and cycles:
            vec["busy_pct"] = {p: round(100.0 * vec["busy"].get(p, 0) / (cycles * max(1, n)), 2)
                               for p, n in cfg["pipes"].items()}
        return TimingResult(self._name, total.get("cycles", 0), total.get("instructions", 0),
                            stalls, total.get("branches", 0), total.get("mispredicts", 0),
                            total.get("taken", 0), total.get("cache", {}), total.get("vector", {}),
                            total.get("flops", 0), by_pc,
                            lines_of(by_pc, program.line_at) if program is not None else {},
                            dram_bandwidth=float(self._config["memory"]["dram"]["bandwidth"]),
                            int_ops=total.get("int_ops", 0))
