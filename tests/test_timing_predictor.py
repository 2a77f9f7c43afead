"""The cycle model's direction predictors (docs/timing.md section 2.3, csrc/timing_internal.h
tm_predict_branch) against a reference model written here: two-bit saturating counters that start
weakly not-taken, indexed by pc / 2 (bimodal) or pc / 2 xor the global history of the last
history_bits outcomes (gshare), on the branch outcomes of a loop over random data.  The loop runs in
the interpreter and in timed blocks (the block compiler on), whose branches go to the model through
rv_timing_block_branch."""
from __future__ import annotations

import random

import pytest

from rvsim.asm import assemble
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from tests.conftest import set_jit

from .test_timing import EXIT, config

N = 600
LOOP = """
    .globl _start
_start:
    la a0, bits
    li a1, {n}
loop:
    lbu t0, 0(a0)
    lbu t2, 1(a0)
skip_if_zero:
    beqz t0, 1f
    addi t1, t1, 1
1:
    and t3, t0, t2
both_set:
    bnez t3, 2f
    addi t1, t1, -1
2:
    addi a0, a0, 1
    addi a1, a1, -1
back:
    bnez a1, loop
""" + EXIT + """
    .data
bits: .byte {bits}
"""


def reference_mispredicts(trace, kind, entries, history_bits=0):
    """Mispredicted directions of the (pc, taken) sequence on the reference predictor."""
    counters = [1] * entries
    ghist, wrong = 0, 0
    for pc, taken in trace:
        i = (pc >> 1) ^ (ghist if kind == "gshare" else 0)
        i &= entries - 1
        wrong += (counters[i] >= 2) != taken
        counters[i] = min(counters[i] + 1, 3) if taken else max(counters[i] - 1, 0)
        if kind == "gshare":
            ghist = ((ghist << 1) | taken) & ((1 << history_bits) - 1)
    return wrong


@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("kind,entries,history_bits", [
    ("bimodal", 64, 0), ("gshare", 4096, 2), ("gshare", 4096, 5), ("gshare", 64, 12), ("gshare", 16, 3)])
def test_predictor_counts_as_the_reference_predicts(kind, entries, history_bits, jit, monkeypatch):
    """Mispredictions of three branches over random bits (a pattern that the history partly predicts)
    equal the reference model's."""
    set_jit(monkeypatch, jit, "1")
    rng = random.Random(entries * 31 + history_bits)
    bits = [rng.choice([0, 1, 1, 0, 1]) if i % 3 else 1 for i in range(N + 1)]
    prog = assemble(LOOP.format(n=N, bits=", ".join(map(str, bits))), march="rv64gc")
    pred = {"kind": kind, "entries": entries}
    if kind == "gshare":
        pred["history_bits"] = history_bits
    m = Machine("rv64gc", env=LinuxEnvironment())
    t = m.enable_timing(config(core={"predictor": pred}))
    m.load_elf(prog.to_elf())
    assert m.run().reason is StopReason.EXIT
    r = t.result(prog)
    sym = prog.symbol
    trace = []
    for i in range(N):
        trace.append((sym("skip_if_zero"), bits[i] == 0))
        trace.append((sym("both_set"), bool(bits[i] & bits[i + 1])))
        trace.append((sym("back"), i < N - 1))
    assert r.branches == len(trace)
    assert r.mispredicts == reference_mispredicts(trace, kind, entries, history_bits)
