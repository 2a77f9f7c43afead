"""Helpers shared by the reverse-execution tests (test_history.py, test_history_formats.py)."""
from __future__ import annotations

import io

from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.testing import diff


def linux_machine(elf, isa, vlen=128, stdin=b"", timing=False):
    """A Linux-mode machine with the ELF loaded, output captured, and the cycle model on if asked."""
    m = Machine(isa, vlen=vlen, env=LinuxEnvironment(stdout=io.BytesIO(), stderr=io.BytesIO(),
                                                     stdin=io.BytesIO(stdin)))
    m.load_elf(elf)
    if timing:
        m.enable_timing()
    return m


def every_step_undoes(make, min_steps=10):
    """Run the program to its end recording, then undo it one step at a time: after each undo the
    machine equals the snapshot a machine that never recorded took before that step."""
    reference = make()
    snapshots = [reference.snapshot()]
    while reference.step(1).reason is StopReason.LIMIT:
        snapshots.append(reference.snapshot())
    total = len(snapshots) - 1
    assert total >= min_steps
    m = make()
    m.record()
    m.step(total)
    assert not diff(m.snapshot(), snapshots[total])
    for k in range(total - 1, -1, -1):
        info = m.reverse_step(1)
        assert info.reason is StopReason.LIMIT, k
        assert not diff(m.snapshot(), snapshots[k]), k
    assert m.reverse_step(1).reason is StopReason.HISTORY_START
    return m
