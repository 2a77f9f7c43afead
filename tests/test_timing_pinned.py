"""Kernel cycle counts pinned: the shipped kernels at N=16 on every preset, as the model counts them
today.  A change to the model (or to a preset, or to a kernel) that moves any of them fails here and
shows as a diff of this table; update the table in the same commit, saying why the figures moved."""
from __future__ import annotations

import pytest

from rvsim.timing.bench import run_point

# (kernel, preset): (cycles, instructions) between kernel_begin and kernel_end, N = 16
PINNED = {
    ("int32", "x60"): (49472, 35206), ("fp32", "x60"): (28860, 31110),
    ("rvv_fp32_m4", "x60"): (2386, 2118), ("rvv_fp32_blocked", "x60"): (1718, 1054),
    ("gemv", "x60"): (909, 406), ("conv2d", "x60"): (1282, 605), ("saxpy", "x60"): (202, 17),
    ("int8_vwmacc", "x60"): (3035, 2918), ("rvv_fp16", "x60"): (2358, 2118), ("bf16", "x60"): (2739, 2454),
    ("int8_vdot4a", "x60"): (1054, 790), ("zvt", "x60"): (1221, 377),
    ("int32", "c908"): (44686, 35206), ("fp32", "c908"): (32295, 31110),
    ("rvv_fp32_m4", "c908"): (2234, 2118), ("rvv_fp32_blocked", "c908"): (1607, 1054),
    ("gemv", "c908"): (848, 406), ("conv2d", "c908"): (1188, 605), ("saxpy", "c908"): (170, 17),
    ("int8_vwmacc", "c908"): (2889, 2918), ("rvv_fp16", "c908"): (2212, 2118), ("bf16", "c908"): (2578, 2454),
    ("int8_vdot4a", "c908"): (957, 790), ("zvt", "c908"): (1023, 377),
    ("int32", "ara"): (54325, 35206), ("fp32", "ara"): (46129, 31110),
    ("rvv_fp32_m4", "ara"): (5068, 2118), ("rvv_fp32_blocked", "ara"): (2340, 1054),
    ("gemv", "ara"): (2432, 406), ("conv2d", "ara"): (2611, 605), ("saxpy", "ara"): (65, 17),
    ("int8_vwmacc", "ara"): (6152, 2918), ("rvv_fp16", "ara"): (5038, 2118), ("bf16", "ara"): (5320, 2454),
    ("int8_vdot4a", "ara"): (1430, 790), ("zvt", "ara"): (606, 377),
    ("int32", "teach"): (47492, 35206), ("fp32", "teach"): (43398, 31110),
}


@pytest.mark.parametrize("kernel,preset", sorted(PINNED))
def test_kernel_cycles_are_pinned(kernel, preset):
    point = run_point(kernel, 16, preset)
    assert point.ok, point.error
    assert (point.cycles, point.instructions) == PINNED[kernel, preset]
