"""The cycle model's Python side: presets, results, reports, profiles, pipeline views, sweeps.

    >>> from rvsim import Machine
    >>> m = Machine("rv64gcv", vlen=256)
    >>> timing = m.enable_timing("x60")                 # doctest: +SKIP
    >>> m.load_elf("kernel.elf"); m.run()               # doctest: +SKIP
    >>> r = timing.result()                             # doctest: +SKIP
    >>> r.cycles, r.ipc, r.stalls["dep_load"]           # doctest: +SKIP

The model itself is C (csrc/timing.c), run by a second compilation of the interpreter loop, so turning
it on never slows the functional mode down.  docs/timing.md has every formula.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .config import TimingConfigError, TimingConfigWarning, load_config, parse_config, preset_names, to_params

# Stall causes in the order of the C enum rv_stall_cause.
STALL_CAUSES = ("dep_alu", "dep_load", "dep_muldiv", "dep_fp", "dep_vector", "waw", "unit",
                "mispredict", "taken_branch", "icache", "dcache", "vector_queue", "serialize")
STALL_DESCRIPTIONS = {
    "dep_alu": "waiting for an integer result",
    "dep_load": "load-use (L1D hit)",
    "dep_muldiv": "waiting for a multiply/divide",
    "dep_fp": "waiting for an FP result",
    "dep_vector": "waiting for a vector-unit result",
    "waw": "older write to the same register",
    "unit": "functional unit busy",
    "mispredict": "branch/jump mispredicted",
    "taken_branch": "taken-branch fetch redirect",
    "icache": "L1I miss",
    "dcache": "waiting for an L1D miss",
    "vector_queue": "vector instruction queue full",
    "serialize": "CSR/fence waits for older work",
}
VECTOR_PIPES = ("arith", "permute", "memory", "tile")
# Why the vector unit started an instruction late, in the order of the C enum rv_vwait_cause
# (docs/timing.md section 4.7).
VECTOR_WAITS = ("memory", "chaining", "pipe_busy", "scalar")
VECTOR_WAIT_DESCRIPTIONS = {
    "memory": "a source not yet loaded by a vector load",
    "chaining": "a source not yet produced by vector arithmetic",
    "pipe_busy": "every pipe of its kind busy",
    "scalar": "not yet issued by the scalar core",
}


class TraceRecord(NamedTuple):
    """One instruction of a pipeline trace (cycles; ``cause`` 255 when it did not stall)."""

    pc: int
    fetch: int
    issue: int
    start: int
    done: int
    raw: int
    cause: int
    vector: int
    stall: int


@dataclass
class LineStats:
    """Cycles charged to one instruction address, or to one source line (all its instructions)."""

    count: int                      # retirements
    cycles: int                     # issue cycles charged (1 per instruction plus its stalls)
    stalls: dict[str, int]
    pc: int | None = None
    file: str | None = None
    line: int | None = None

    @property
    def stall_cycles(self) -> int:
        return sum(self.stalls.values())

    @property
    def main_cause(self) -> str | None:
        if not self.stalls:
            return None
        cause, n = max(self.stalls.items(), key=lambda kv: kv[1])
        return cause if n else None

    def to_dict(self) -> dict:
        d = {"count": self.count, "cycles": self.cycles,
             "stalls": {k: v for k, v in self.stalls.items() if v}}
        if self.pc is not None:
            d["pc"] = self.pc
        if self.file is not None:
            d["file"], d["line"] = self.file, self.line
        return d


@dataclass
class TimingResult:
    """What the cycle model measured over a run (``Timing.result()``)."""

    preset: str
    cycles: int
    instructions: int
    stalls: dict[str, int]
    branches: int = 0
    mispredicts: int = 0
    taken: int = 0
    cache: dict = field(default_factory=dict)
    vector: dict = field(default_factory=dict)
    flops: int = 0
    by_pc: dict[int, LineStats] = field(default_factory=dict)
    by_line: dict[tuple[str, int], LineStats] = field(default_factory=dict)
    dram_bandwidth: float = 0.0     # the preset's DRAM bytes per cycle (0: not limited)
    int_ops: int = 0                # integer vector operations (multiply-add = 2)

    @property
    def ipc(self) -> float:
        return self.instructions / self.cycles if self.cycles else 0.0

    @property
    def flops_per_cycle(self) -> float:
        return self.flops / self.cycles if self.cycles else 0.0

    @property
    def stall_cycles(self) -> int:
        return sum(self.stalls.values())

    @property
    def dram_bytes_per_cycle(self) -> float:
        """Achieved DRAM bandwidth: bytes moved (reads, writebacks, prefetches) per cycle."""
        return self.cache.get("dram_bytes", 0) / self.cycles if self.cycles else 0.0

    @property
    def dram_bandwidth_pct(self) -> float | None:
        """Achieved DRAM bandwidth as a percentage of the configured one (None when unlimited)."""
        return 100.0 * self.dram_bytes_per_cycle / self.dram_bandwidth if self.dram_bandwidth else None

    def dram(self) -> dict:
        pct = self.dram_bandwidth_pct
        return {"bytes": self.cache.get("dram_bytes", 0),
                "bytes_per_cycle": round(self.dram_bytes_per_cycle, 4),
                "configured_bytes_per_cycle": self.dram_bandwidth,
                "pct_of_configured": None if pct is None else round(pct, 2)}

    def to_dict(self, lines: bool = True) -> dict:
        d = {
            "preset": self.preset, "cycles": self.cycles, "instructions": self.instructions,
            "ipc": round(self.ipc, 4), "stalls": dict(self.stalls),
            "branches": self.branches, "mispredicts": self.mispredicts, "taken_transfers": self.taken,
            "cache": dict(self.cache), "dram": self.dram(), "vector": dict(self.vector), "flops": self.flops,
            "flops_per_cycle": round(self.flops_per_cycle, 4), "int_ops": self.int_ops,
            "int_ops_per_cycle": round(self.int_ops / self.cycles, 4) if self.cycles else 0.0,
        }
        if lines:
            d["by_pc"] = {f"{pc:#x}": s.to_dict() for pc, s in sorted(self.by_pc.items())}
            d["by_line"] = [s.to_dict() for s in sorted(self.by_line.values(),
                                                       key=lambda s: (s.file or "", s.line or 0))]
        return d


def lines_of(by_pc: dict, line_at) -> dict:
    """Per-address counters summed per source line; ``line_at(pc)`` gives (file, line, ...) or None (an
    assembled Program's ``line_at``, or a DWARF line table's)."""
    by_line: dict = {}
    for pc, s in by_pc.items():
        where = line_at(pc)
        if where is None:
            continue
        key = (where[0], where[1])
        agg = by_line.get(key)
        if agg is None:
            by_line[key] = LineStats(s.count, s.cycles, dict(s.stalls), file=key[0], line=key[1])
        else:
            agg.count += s.count
            agg.cycles += s.cycles
            for c, v in s.stalls.items():
                agg.stalls[c] += v
    return by_line


class Timing:
    """The cycle model attached to a :class:`~rvsim.machine.Machine` (``Machine.enable_timing``)."""

    def __init__(self, machine, config):
        from .._core import ffi, lib
        self._ffi, self._lib = ffi, lib
        self.machine = machine
        self.config = load_config(config) if not isinstance(config, dict) or "core" not in config \
            else config
        vec = self.config["vector"]
        if vec["enabled"] and vec["vlen"] != machine.vlen:
            raise TimingConfigError(
                f"preset {self.config['name']!r} models VLEN={vec['vlen']} but the machine has "
                f"VLEN={machine.vlen} (create the Machine with vlen={vec['vlen']})")
        self._params = to_params(self.config, ffi)
        self._mark = 0
        self._trace_buf = None
        self._frozen = None         # (totals, by_pc, trace) kept when the model is switched off
        self._attach()

    def _attach(self) -> None:
        if self._lib.rv_timing_enable(self.machine._core, self._params):
            raise TimingConfigError(self._ffi.string(self.machine._hart.error).decode())
        self._frozen = None

    @property
    def attached(self) -> bool:
        """True while this model is the machine's (not disabled, not replaced by another preset)."""
        return self._frozen is None

    def _require_attached(self, what: str) -> None:
        if self._frozen is not None:
            raise RuntimeError(f"cannot {what}: this timing model is no longer attached to its machine "
                               "(it was disabled or replaced); its results stay readable")

    @property
    def name(self) -> str:
        return self.config["name"]

    @property
    def cycles(self) -> int:
        """Cycles until the last retired instruction's results are ready (since the last reset)."""
        if self._frozen is not None:
            return self._frozen[0]["cycles"]
        t = self._ffi.new("rv_timing_totals *")
        self._lib.rv_timing_get_totals(self.machine._core, t)
        return int(t.cycles)

    @property
    def cycles_since_mark(self) -> int:
        """Cycles since the last breakpoint stop (or :meth:`mark`, or the start)."""
        return self.cycles - self._mark

    def mark(self) -> None:
        """Start counting :attr:`cycles_since_mark` from now."""
        self._mark = self.cycles

    def reset(self) -> None:
        """Restart the counters (cycles, instructions, stalls, per-line records, the trace) and keep the
        micro-architectural state: caches, predictor and work in flight stay as they are, so what is
        measured next runs warm, as the same code would on hardware.  :meth:`flush` restarts cold."""
        self._require_attached("reset")
        self._lib.rv_timing_reset(self.machine._core)
        self._mark = 0

    def flush(self) -> None:
        """Restart the whole model cold: clock, counters, caches, predictor, vector unit."""
        self._require_attached("flush")
        self._lib.rv_timing_flush(self.machine._core)
        self._mark = 0

    def disable(self) -> None:
        """Switch the model off (the machine runs on at functional speed); results stay readable."""
        if self._frozen is None:
            frozen = (self.totals(), self.by_pc(), self.trace_records())
            self._lib.rv_timing_enable(self.machine._core, self._ffi.NULL)
            self._frozen = frozen
            self._trace_buf = None
        if self.machine.timing is self:
            self.machine.timing = None

    # ------------------------------------------------------------------ results

    def totals(self) -> dict:
        if self._frozen is not None:
            import copy
            return copy.deepcopy(self._frozen[0])
        ffi, lib = self._ffi, self._lib
        t = ffi.new("rv_timing_totals *")
        lib.rv_timing_get_totals(self.machine._core, t)
        return {
            "cycles": int(t.cycles), "instructions": int(t.instructions),
            "stalls": {name: int(t.stall[i]) for i, name in enumerate(STALL_CAUSES)},
            "branches": int(t.branches), "mispredicts": int(t.mispredicts), "taken": int(t.taken),
            "cache": {"l1i_accesses": int(t.l1i_access), "l1i_misses": int(t.l1i_miss),
                      "l1d_accesses": int(t.l1d_access), "l1d_misses": int(t.l1d_miss),
                      "l2_accesses": int(t.l2_access), "l2_misses": int(t.l2_miss),
                      "dram_bytes": int(t.dram_bytes), "writebacks": int(t.writebacks),
                      "prefetches": int(t.prefetches), "prefetch_hits": int(t.prefetch_hits),
                      "mshr_wait": int(t.mshr_wait)},
            "vector": {"instructions": int(t.v_instructions), "elements": int(t.v_elements),
                       "busy": {p: int(t.v_busy[i]) for i, p in enumerate(VECTOR_PIPES)},
                       "queue_wait": int(t.v_wait_queue),
                       "wait": {w: int(t.v_wait[i]) for i, w in enumerate(VECTOR_WAITS)},
                       "queue_full": {w: int(t.v_queue_full[i]) for i, w in enumerate(VECTOR_WAITS)}},
            "flops": int(t.flops), "int_ops": int(t.int_ops),
        }

    def by_pc(self) -> dict[int, LineStats]:
        if self._frozen is not None:
            import copy
            return copy.deepcopy(self._frozen[1])
        ffi, lib = self._ffi, self._lib
        n = lib.rv_timing_pc_count(self.machine._core)
        pcs = ffi.new("uint64_t[]", max(n, 1))
        stats = ffi.new("rv_timing_pc_stats[]", max(n, 1))
        n = lib.rv_timing_get_pcs(self.machine._core, pcs, stats, n)
        out = {}
        for i in range(n):
            s = stats[i]
            out[int(pcs[i])] = LineStats(int(s.count), int(s.cycles),
                                         {c: int(s.stall[k]) for k, c in enumerate(STALL_CAUSES)},
                                         pc=int(pcs[i]))
        return out

    def result(self, program=None) -> TimingResult:
        """Everything measured so far.  With ``program`` (an assembled :class:`rvsim.asm.Program`), the
        per-address counters are also summed per source line into ``by_line``."""
        t = self.totals()
        vec = dict(t["vector"])
        cycles = t["cycles"]
        cfg = self.config["vector"]
        if cfg["enabled"] and cycles:
            vec["busy_pct"] = {p: round(100.0 * vec["busy"][p] / (cycles * max(1, cfg["pipes"][p])), 2)
                               for p in VECTOR_PIPES}
        by_pc = self.by_pc()
        by_line = lines_of(by_pc, program.line_at) if program is not None else {}
        return TimingResult(self.name, cycles, t["instructions"], t["stalls"], t["branches"],
                            t["mispredicts"], t["taken"], t["cache"], vec, t["flops"], by_pc, by_line,
                            dram_bandwidth=float(self.config["memory"]["dram"]["bandwidth"]),
                            int_ops=t["int_ops"])

    # ------------------------------------------------------------------ pipeline trace

    def record_trace(self, capacity: int = 100_000) -> None:
        """Record the timeline of the next ``capacity`` instructions (see :mod:`rvsim.timing.pipeview`)."""
        self._require_attached("record a trace")
        self._trace_buf = self._ffi.new("rv_timing_trace_rec[]", capacity)
        self._lib.rv_timing_trace(self.machine._core, self._trace_buf, capacity)

    def trace_records(self) -> list:
        if self._frozen is not None:
            return list(self._frozen[2])
        if self._trace_buf is None:
            return []
        n = self._lib.rv_timing_trace_used(self.machine._core)
        # copied out of the C buffer, which goes when the model is disabled or traces again
        return [TraceRecord(*(int(getattr(r, f)) for f in TraceRecord._fields))
                for r in (self._trace_buf[i] for i in range(n))]


__all__ = ["Timing", "TimingResult", "LineStats", "TraceRecord", "TimingConfigError", "TimingConfigWarning", "STALL_CAUSES", "load_config",
           "parse_config", "preset_names"]
