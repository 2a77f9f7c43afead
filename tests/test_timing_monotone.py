""""What if" answers in the right direction: a more capable machine never takes more cycles.

Every shipped kernel of ``rvsim bench`` (at a small size) on the calibrated presets, against each change
that only adds capability: a wider vector datapath or memory port, more pipes, a deeper vector queue,
bigger caches, more DRAM bandwidth, lower latencies, a wider scalar issue, a smaller mispredict penalty.
The model is deterministic, so any increase is a failure.  (The first such failure found: a wider
arithmetic datapath made a multiply-add chained to a load start later, so as not to overtake it, which
delayed everything behind it in the in-order vector unit; docs/timing.md section 4.3.)

The memory system's parameters (MSHRs, bandwidth, the prefetcher) are also checked on the DRAM-sized
kernels, where they matter, and the prefetcher against none on every small case.  (A failure found on
the way: with a fixed prefetch distance, the prefetcher ran 32 lines past the end of the set-up code's
short streams, and those useless lines held DRAM up when the region's first miss came, so a wider
issue, which ran the set-up faster, made x60's saxpy at N=16 slower; the reach now ramps up with the
stream's length, docs/timing.md section 3.2.)
"""
from __future__ import annotations

import copy
import warnings

import pytest

from rvsim.timing import load_config
from rvsim.timing.bench import run_point


def _set(path, f):
    def apply(cfg):
        d = cfg
        for k in path[:-1]:
            d = d[k]
        d[path[-1]] = f(d[path[-1]], cfg)
    return apply


def _dlen(cfg):
    return cfg["vector"]["dlen"]


CHANGES = {
    "dlen x2": _set(("vector", "dlen"), lambda v, c: 2 * v),
    "memory port x2": _set(("vector", "width", "memory"), lambda v, c: 2 * (v or _dlen(c))),
    "permute width x2": _set(("vector", "width", "permute"), lambda v, c: 2 * (v or _dlen(c))),
    "arith pipes +1": _set(("vector", "pipes", "arith"), lambda v, c: v + 1),
    "memory pipes +1": _set(("vector", "pipes", "memory"), lambda v, c: v + 1),
    "vector queue x2": _set(("vector", "queue_depth"), lambda v, c: 2 * v),
    "L1D x2": _set(("memory", "l1d", "size"), lambda v, c: 2 * v),
    "L2 x2": _set(("memory", "l2", "size"), lambda v, c: 2 * v),
    "DRAM bandwidth x2": _set(("memory", "dram", "bandwidth"), lambda v, c: 2 * v),
    "DRAM latency /2": _set(("memory", "dram", "latency"), lambda v, c: v // 2),
    "L1D MSHRs x2": _set(("memory", "l1d", "mshrs"), lambda v, c: 2 * v),
    "L2 MSHRs x2": _set(("memory", "l2", "mshrs"), lambda v, c: 2 * v),
    "vfma latency -1": _set(("vector", "latency", "vfma"), lambda v, c: max(1, v - 1)),
    "vload latency -1": _set(("vector", "latency", "vload"), lambda v, c: max(1, v - 1)),
    "load latency -1": _set(("core", "latency", "load"), lambda v, c: max(1, v - 1)),
    "issue width +1": _set(("core", "issue_width"), lambda v, c: v + 1),
    "mispredict penalty -1": _set(("core", "mispredict_penalty"), lambda v, c: max(0, v - 1)),
}
# the less capable side of a change: the preset without its prefetcher (the test compares it to the preset)
WORSE = {
    "no prefetcher": _set(("memory", "prefetch", "enabled"), lambda v, c: False),
}
KERNELS = ("rvv_fp32_m4", "rvv_fp32_blocked", "gemv", "conv2d", "saxpy", "int8_vwmacc", "fp32", "int32")
PRESETS = ("x60", "c908")
N = 16

_baseline: dict = {}


def _cycles(kernel, cfg):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")         # a doubled dlen may contradict a preset's given width
        point = run_point(kernel, N, cfg)
    assert point.ok, point.error
    return point.cycles


CASES = [(k, p) for p in PRESETS for k in KERNELS] + \
    [(k, "ara") for k in ("rvv_fp32_m4", "rvv_fp32_blocked", "gemv")] + \
    [(k, "x280") for k in ("rvv_fp32_m4", "gemv", "conv2d", "saxpy")]      # written by docs/timing.md 11


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("kernel,preset", CASES)
def test_more_capability_never_costs_cycles(kernel, preset, change):
    base = load_config(preset)
    if (kernel, preset) not in _baseline:
        _baseline[kernel, preset] = _cycles(kernel, base)
    better = copy.deepcopy(base)
    CHANGES[change](better)
    assert _cycles(kernel, better) <= _baseline[kernel, preset]


@pytest.mark.parametrize("change", sorted(WORSE))
@pytest.mark.parametrize("kernel,preset", [(k, p) for p in PRESETS for k in KERNELS])
def test_less_capability_never_saves_cycles(kernel, preset, change):
    base = load_config(preset)
    if (kernel, preset) not in _baseline:
        _baseline[kernel, preset] = _cycles(kernel, base)
    worse = copy.deepcopy(base)
    WORSE[change](worse)
    assert _cycles(kernel, worse) >= _baseline[kernel, preset]


def test_a_wider_datapath_no_longer_slows_a_chained_kernel_down():
    """The case of the bug report: x60's arithmetic width 128 -> 256 -> 512 (N=32 here)."""
    cycles = []
    for width in (128, 256, 512):
        cfg = load_config("x60")
        cfg["vector"]["dlen"] = width
        cycles.append(run_point("rvv_fp32_m4", 32, cfg).cycles)
    assert cycles[0] >= cycles[1] >= cycles[2]


DRAM_CASES = [("saxpy_dram", 65536), ("gemv_dram", 512)]
DRAM_CHANGES = {
    "L1D MSHRs x2": CHANGES["L1D MSHRs x2"],
    "L2 MSHRs x2": CHANGES["L2 MSHRs x2"],
    "DRAM bandwidth x2": CHANGES["DRAM bandwidth x2"],
    "DRAM latency /2": CHANGES["DRAM latency /2"],
    "prefetch distance x2": _set(("memory", "prefetch", "distance"), lambda v, c: 2 * v),
    "prefetch streams x2": _set(("memory", "prefetch", "streams"), lambda v, c: 2 * v),
}
_dram_baseline: dict = {}


def _dram_cycles(kernel, n, cfg):
    point = run_point(kernel, n, cfg)
    assert point.ok, point.error
    return point


def _dram_base(kernel, n, preset):
    if (kernel, preset) not in _dram_baseline:
        _dram_baseline[kernel, preset] = _dram_cycles(kernel, n, load_config(preset))
    return _dram_baseline[kernel, preset]


@pytest.mark.parametrize("change", sorted(DRAM_CHANGES))
@pytest.mark.parametrize("kernel,n", DRAM_CASES)
@pytest.mark.parametrize("preset", PRESETS)
def test_a_better_memory_system_never_costs_cycles(kernel, n, preset, change):
    better = copy.deepcopy(load_config(preset))
    DRAM_CHANGES[change](better)
    assert _dram_cycles(kernel, n, better).cycles <= _dram_base(kernel, n, preset).cycles


@pytest.mark.parametrize("kernel,n", DRAM_CASES)
@pytest.mark.parametrize("preset", PRESETS)
def test_the_prefetcher_helps_a_kernel_that_streams_from_dram(kernel, n, preset):
    base = _dram_base(kernel, n, preset)
    assert load_config(preset)["memory"]["prefetch"]["enabled"]
    off = copy.deepcopy(load_config(preset))
    off["memory"]["prefetch"]["enabled"] = False
    without = _dram_cycles(kernel, n, off)
    assert base.cycles < without.cycles
    assert base.raw["cache"]["prefetch_hits"] > 0 and without.raw["cache"]["prefetches"] == 0


@pytest.mark.parametrize("preset", PRESETS)
def test_a_streaming_kernel_beyond_the_l2_reaches_80_percent_of_the_dram_bandwidth(preset):
    """saxpy over 2 x 256 KiB (beyond c908's L2, and x60's with y's writebacks): the issue's criterion."""
    point = _dram_base("saxpy_dram", 65536, preset)
    cfg = load_config(preset)
    traffic = point.raw["cache"]["dram_bytes"]
    assert traffic >= 2 * 65536 * 4                 # x and y at least once from DRAM
    assert point.dram_pct >= 80.0, (point.dram_bytes_per_cycle, cfg["memory"]["dram"]["bandwidth"])
