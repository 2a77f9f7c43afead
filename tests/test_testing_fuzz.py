"""Differential fuzzing: generated programs run on rvsim and on qemu-riscv64 with identical final state
(x, f, fcsr, v, vl/vtype/vstart/vxrm/vxsat and the scratch memory), for I/M/A/C/Zb*, F/D/Zfh and V.

Each hypothesis example is a batch of 5 to 10 programs run in one QEMU process, so a CI run checks
thousands of programs in about two minutes on two cores.  RVSIM_HYPOTHESIS_SCALE=k runs k times as many.
Instructions QEMU 7.2 gets wrong are left out (rvsim.testing.qemu.QEMU_KNOWN_BUGS).
"""
from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rvsim.testing import compare
from rvsim.testing.qemu import QEMU_KNOWN_BUGS
from rvsim.testing.strategies import generated_mnemonics, programs
from tests.conftest import require_tool

SCALE = max(1, int(os.environ.get("RVSIM_HYPOTHESIS_SCALE", "1")))

# (ISA, hypothesis examples, VLEN, misaligned scalar accesses): about 7.5 programs per example
CONFIGS = [
    ("rv64imac_zba_zbb_zbc_zbs", 130, 128, False),
    ("rv64gc_zba_zbb_zbs_zfh", 130, 128, False),
    ("rv64gc", 25, 128, True),
    ("rv64gcv", 80, 128, False),
    ("rv64gcv", 40, 256, False),
]


@pytest.mark.parametrize("isa,examples,vlen,misaligned", CONFIGS)
def test_generated_programs_match_qemu(isa, examples, vlen, misaligned):
    require_tool("qemu-riscv64")
    count = Counter()

    @settings(max_examples=examples * SCALE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(programs(extensions=isa, vlen=vlen, memory=max(256, vlen), exclude=QEMU_KNOWN_BUGS,
                             misaligned=misaligned),
                    min_size=5, max_size=10))
    def run(progs):
        count["programs"] += len(progs)
        count.update(i.mnemonic for p in progs for i in p.instructions())
        compare(progs, against="qemu")

    run()
    programs_run = count.pop("programs")
    assert programs_run >= 5 * examples * SCALE
    # breadth (a run covers all of the scalar mnemonics and about half of the ~630 vector ones)
    possible = generated_mnemonics(isa, exclude=QEMU_KNOWN_BUGS)
    assert len(set(count) & possible) >= 0.3 * len(possible)
