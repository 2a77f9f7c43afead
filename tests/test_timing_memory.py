"""The memory system of the cycle model (docs/timing.md section 3): outstanding misses (MSHRs), the
stride/stream prefetcher and the achieved DRAM bandwidth, checked against counts worked out by hand for
small programs on the teach core with a cache added."""
from __future__ import annotations

import json

import pytest

from rvsim.cli import main
from rvsim.timing import TimingConfigError
from rvsim.timing.config import limits, to_params

from .test_timing import config, run

LATENCY = 100


def memory(l1d=None, prefetch=None, bandwidth=0):
    """teach with a 4 KiB L1D, no L2, DRAM of LATENCY cycles."""
    mem = {"l1d": dict({"size": 4096, "ways": 4, "line": 64}, **(l1d or {})),
           "dram": {"latency": LATENCY, "bandwidth": bandwidth}}
    if prefetch is not None:
        mem["prefetch"] = dict({"enabled": True, "level": "l1d"}, **prefetch)
    return config(memory=mem)


# eight independent loads from eight lines (nothing uses their results)
EIGHT_MISSES = "    la a0, buf\n" + "".join(f"    ld t{i % 7}, {64 * i}(a0)\n" for i in range(8))
BUF = "    .balign 64\nbuf: .zero 65536\n"


@pytest.mark.parametrize("mshrs,rounds", [(1, 8), (2, 4), (4, 2), (8, 1), (0, 1)])
def test_misses_overlap_up_to_the_number_of_mshrs(mshrs, rounds):
    """With k MSHRs the eight misses go to memory k at a time: ceil(8 / k) round trips of LATENCY
    (0 = unlimited: all eight at once)."""
    r, _ = run(EIGHT_MISSES, memory({"mshrs": mshrs}), data=BUF)
    assert r.cache["l1d_misses"] == 8
    assert rounds * LATENCY <= r.cycles < rounds * LATENCY + 30
    waited = r.cache["mshr_wait"]
    assert (waited == 0) == (rounds == 1)


STREAM = """
    la a0, buf
    li a1, 1024
1:  ld t1, 0(a0)
    add t2, t2, t1
    addi a0, a0, 64
    addi a1, a1, -1
    bnez a1, 1b
"""


def test_the_prefetcher_follows_a_stream_of_lines():
    """1024 loads, one per line, each used at once: without a prefetcher each misses and the use waits
    LATENCY; with one, every line after the first few was asked for ahead of its load."""
    off, _ = run(STREAM, memory(), data=BUF)
    on, _ = run(STREAM, memory(prefetch={"distance": 8}), data=BUF)
    assert off.cache["l1d_misses"] == 1024 and off.cache["prefetches"] == 0
    assert off.cycles > 1024 * LATENCY
    assert on.cache["prefetch_hits"] >= 1024 - 8
    assert on.cache["prefetches"] >= on.cache["prefetch_hits"]
    assert on.cache["l1d_misses"] + on.cache["prefetch_hits"] <= 1024 + 8
    # 8 lines ahead: a line is asked for 8 iterations before its load, so an iteration waits about
    # LATENCY / 8 (the loop runs at the pace at which lines arrive)
    assert on.cycles < 1024 * (LATENCY / 8 + 8)
    far, _ = run(STREAM, memory(prefetch={"distance": 32}), data=BUF)
    # a distance that covers the latency: the loop's own pace, 8 cycles an iteration (5 instructions,
    # a load-use cycle, teach's not-taken prediction of the backward branch costing 2)
    assert far.cycles < 1024 * 9 and far.cycles <= on.cycles


def test_the_prefetcher_ignores_accesses_with_no_stride_it_can_follow():
    """Loads 20 lines apart (beyond the 8-line window of a stream): nothing is prefetched."""
    body = STREAM.replace("addi a0, a0, 64", "addi a0, a0, 1280").replace("li a1, 1024", "li a1, 48")
    r, _ = run(body, memory(prefetch={}), data=BUF)
    assert r.cache["prefetches"] == 0 and r.cache["l1d_misses"] == 48


def test_achieved_dram_bandwidth_is_reported_against_the_configured_one():
    """A stream of 1024 lines at 8 bytes/cycle with the prefetcher far enough ahead moves 64 KiB at
    (nearly) the configured bandwidth, and never faster."""
    r, _ = run(STREAM, memory(prefetch={"distance": 32}, bandwidth=8), data=BUF)
    assert r.cache["dram_bytes"] >= 1024 * 64
    assert r.dram_bandwidth == 8
    assert r.dram_bytes_per_cycle == pytest.approx(r.cache["dram_bytes"] / r.cycles)
    assert 80.0 <= r.dram_bandwidth_pct <= 101.0
    d = r.to_dict(lines=False)["dram"]
    assert d["configured_bytes_per_cycle"] == 8 and d["pct_of_configured"] == round(r.dram_bandwidth_pct, 2)


def test_run_report_and_stats_show_the_dram_bandwidth(capsys, tmp_path):
    stats = tmp_path / "s.json"
    rc = main(["run", "asm/saxpy_rvv.s", "--defsym", "N=65536", "--timing", "x60", "--region",
               "kernel_begin:kernel_end", "--stats", str(stats)])
    err = capsys.readouterr().err
    assert rc == 0
    assert "bytes/cycle" in err and "% of the configured 8)" in err and "prefetcher:" in err
    dram = json.loads(stats.read_text())["timing"]["dram"]
    assert dram["bytes"] >= 2 * 65536 * 4 and dram["pct_of_configured"] >= 80


def test_memory_parameters_are_checked_in_python_and_in_c():
    from rvsim._core import ffi, lib
    from rvsim.machine import Machine
    lim = limits()
    with pytest.raises(TimingConfigError, match="has no L2"):
        config(memory={"l1d": {"size": 4096, "ways": 4}, "prefetch": {"enabled": True, "level": "l2"}})
    with pytest.raises(TimingConfigError, match="mshrs must be at most"):
        config(memory={"l1d": {"size": 4096, "ways": 4, "mshrs": lim["mshrs"] + 1}})
    with pytest.raises(TimingConfigError, match="distance must be"):
        config(memory={"l1d": {"size": 4096, "ways": 4}, "prefetch": {"enabled": True, "level": "l1d",
                                                                     "distance": 0}})
    ok = memory(prefetch={})
    m = Machine("rv64gc")
    params = to_params(ok, ffi)
    assert lib.rv_timing_enable(m._core, params) == 0
    params.prefetch_level = 2                       # no L2 to fill
    assert lib.rv_timing_enable(m._core, params) == -1
    params.prefetch_level = 1
    params.l1d.mshrs = lim["mshrs"] + 1
    assert lib.rv_timing_enable(m._core, params) == -1
