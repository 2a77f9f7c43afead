"""The cycle model's whole-program figures are those it counted before batched retirement.

The figures in timing_goldens.json were produced by main at 9146191, where the timed loop called the
model once per retired instruction; tests/timing_goldens.py lists the scenarios (cycle reads mid-run,
self-modifying code, vector kernels, odd run() chunks, a pipeline trace, several presets) and
regenerates the file.  Any difference in any total or in the per-address counters fails here."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing_goldens import GOLDENS, measure, scenarios  # noqa: E402

STORED = json.loads(GOLDENS.read_text())


def test_every_scenario_has_stored_figures():
    assert sorted(key for key, *_ in scenarios()) == sorted(STORED)


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda s: s[0])
def test_figures_match_the_per_instruction_model(scenario):
    key, *args = scenario
    got = measure(*args)
    want = STORED[key]
    assert got["totals"] == want["totals"]
    assert (got["instret"], got["exit_code"], got["by_pc"]) == (want["instret"], want["exit_code"],
                                                              want["by_pc"])
    assert got.get("memory") == want.get("memory")     # the cycle values a program read
    assert (got.get("s3"), got.get("trap")) == (want.get("s3"), want.get("trap"))   # vl after vle32ff; the fault
