"""Reverse execution with the cycle model on (csrc/history_checkpoint.c), and replay of system calls.

The oracle is forward execution on a fresh machine that never recorded: N steps forward and then M back
must give the state N - M steps forward give (every hart field, CSRs, vector registers, memory), and
with the cycle model on also the same cycles and the same ``timing`` totals and per-address counters.
The micro-architectural state (caches, predictor, scoreboard, vector unit) has no reader of its own;
it is compared through what it decides next: running on to the end after the reverse must give the
totals of a straight run.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rvsim.asm import assemble, assemble_files
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.testing import diff
from rvsim.testing.harness import Batch
from rvsim.testing.strategies import programs

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROOT = Path(__file__).resolve().parent.parent
PROGRAMS_DIR = ROOT / "tests" / "programs"
GOLDEN = json.loads((PROGRAMS_DIR / "golden.json").read_text())["programs"]


def _linux(elf, isa="rv64gc", vlen=256, stdin=b"", timing="teach", argv=None):
    env = LinuxEnvironment(stdout=io.BytesIO(), stderr=io.BytesIO(), stdin=io.BytesIO(stdin))
    m = Machine(isa, vlen=vlen, env=env)
    m.load_elf(elf, argv=argv) if argv is not None else m.load_elf(elf)
    if timing:
        m.enable_timing(timing)
    return m


def _model(m) -> dict:
    """Everything the cycle model reports: totals and the per-address counters."""
    by_pc = {pc: (s.count, s.cycles, tuple(sorted(s.stalls.items())))
             for pc, s in m.timing.by_pc().items()}
    return {"totals": m.timing.totals(), "by_pc": by_pc}


def _steps_to_end(make, limit=3_000_000) -> int:
    m = make()
    m.record(max_instructions=1 << 30)
    info = m.run(limit)
    assert info.reason in (StopReason.EXIT, StopReason.EBREAK, StopReason.LIMIT), info
    return m.history_length


def _forward_back(make, n, back, **record):
    """Run n steps recording, then back: return the machine; compare with n - back forward."""
    reference = make()
    if n - back:
        reference.step(n - back)
    m = make()
    m.record(**record)
    assert m.step(n).instructions >= 0
    info = m.reverse_step(back)
    assert info.reason is StopReason.LIMIT and info.instructions == back, info
    assert not diff(m.snapshot(), reference.snapshot())
    assert m.timing.cycles == reference.timing.cycles
    assert _model(m) == _model(reference)
    return m, reference


def _then_to_the_end(m, reference):
    """After the reverse, both run to the end: the caches, predictor and vector unit put back decide
    the rest of the run as the reference's do."""
    a, b = m.run(3_000_000), reference.run(3_000_000)
    assert (a.reason, a.exit_code) == (b.reason, b.exit_code)
    assert not diff(m.snapshot(), reference.snapshot())
    assert _model(m) == _model(reference)
    assert m.env.stdout.getvalue() == reference.env.stdout.getvalue()


fractions = st.floats(0, 1)


@SETTINGS
@given(prog=programs(extensions="rv64gc", length=(1, 12)), n_frac=fractions, m_frac=fractions,
       preset=st.sampled_from(["teach", "x60"]))
def test_forward_then_back_scalar_with_the_cycle_model(prog, n_frac, m_frac, preset):
    batch = Batch([prog])
    make = lambda: _linux(batch.elf, batch.isa, 256, timing=preset)   # noqa: E731
    total = _steps_to_end(make)
    n = max(1, round(total * n_frac))
    m, reference = _forward_back(make, n, round(n * m_frac))
    _then_to_the_end(m, reference)


@SETTINGS
@given(prog=programs(extensions="rv64gcv", length=(1, 8), vlen=256, memory=256), n_frac=fractions,
       m_frac=fractions)
def test_forward_then_back_vector_with_the_cycle_model(prog, n_frac, m_frac):
    batch = Batch([prog])
    make = lambda: _linux(batch.elf, batch.isa, batch.vlen, timing="x60")   # noqa: E731
    total = _steps_to_end(make)
    n = max(1, round(total * n_frac))
    m, reference = _forward_back(make, n, round(n * m_frac))
    _then_to_the_end(m, reference)


def _golden(name, timing="x60"):
    entry = GOLDEN[name]
    import base64
    stdin = entry["stdin"]
    data = stdin["text"].encode() if "text" in stdin else base64.b64decode(stdin["base64"])
    return lambda: _linux(PROGRAMS_DIR / entry["elf"], stdin=data, timing=timing,   # noqa: E731
                          argv=entry["argv"])


@pytest.mark.parametrize("name, n, back", [
    ("kernels", 700_000, 400_000),          # several checkpoints back
    ("recursion", 300_000, 1),
    ("malloc_stress", 250_000, 131_072),    # a reverse that ends on a checkpoint
    ("stdin_upper", 9_000, 8_000),          # across the read and the write
])
def test_real_programs_forward_then_back(name, n, back):
    m, reference = _forward_back(_golden(name), n, back)
    _then_to_the_end(m, reference)


def test_reverse_in_several_calls_and_forward_in_between():
    make = _golden("kernels")
    reference = make()
    reference.step(500_000)
    m = make()
    m.record()
    m.step(600_000)
    m.reverse_step(150_000)
    m.step(70_000)
    m.reverse_step(1)
    m.reverse_step(19_999)
    assert m.instret == reference.instret
    assert not diff(m.snapshot(), reference.snapshot())
    assert _model(m) == _model(reference)


def _saxpy():
    src = ROOT / "asm" / "saxpy_rvv.s"
    return assemble_files([str(src)], defsym={"N": 3000}, march="rv64gcv").to_elf()


def test_vector_kernel_forward_then_back():
    elf = _saxpy()
    make = lambda: _linux(elf, "rv64gcv", 256, timing="x60")   # noqa: E731
    total = _steps_to_end(make)
    for n, back in ((total - 5, total // 2), (total // 2, 37), (total, total - 1)):
        m, reference = _forward_back(make, n, back)
    _then_to_the_end(m, reference)


def test_reverse_continue_to_a_breakpoint_with_the_cycle_model():
    make = _golden("kernels")
    m = make()
    m.record()
    m.run(300_000)
    pc = m.pc
    m.run(200_000)
    m.add_breakpoint(pc)
    info = m.reverse_continue()
    assert info.reason is StopReason.BREAKPOINT and m.pc == pc
    reference = make()
    reference.step(m.instret)
    assert not diff(m.snapshot(), reference.snapshot())
    assert _model(m) == _model(reference)


def test_small_byte_budget_keeps_the_model_exact():
    """Checkpoints count against the history's bytes: with a small budget there are fewer of them and
    the reverse is still exact (as far back as the history goes)."""
    make = _golden("kernels")
    m = make()
    m.record(max_bytes=4 << 20)
    m.step(900_000)
    assert m.history_bytes <= (4 << 20) + (1 << 20)
    back = m.history_length // 2
    assert 0 < back
    m.reverse_step(back)
    reference = make()
    reference.step(900_000 - back)
    assert not diff(m.snapshot(), reference.snapshot())
    assert _model(m) == _model(reference)
    # all the way back: the history ends where the oldest checkpoint is
    info = m.reverse_step(10 ** 9)
    assert info.reason is StopReason.HISTORY_START
    reference = make()
    reference.step(m.instret)
    assert not diff(m.snapshot(), reference.snapshot())
    assert _model(m) == _model(reference)


def test_the_model_is_not_taken_back_past_a_reset():
    make = _golden("kernels")
    m = make()
    m.record()
    m.step(1000)
    m.timing.reset()
    m.step(500)
    assert m.history_length == 500
    info = m.reverse_step(800)
    assert info.reason is StopReason.HISTORY_START and info.instructions == 500
    assert m.timing.totals()["instructions"] == 0
    m.step(500)
    assert m.timing.totals()["instructions"] == 500


# ------------------------------------------------------------------ system calls replayed

ECHO = r"""
    .globl _start
_start:
    li a0, 0                # read(0, buf, 64)
    la a1, buf
    li a2, 64
    li a7, 63
    ecall
    mv s1, a0
    la s0, buf              # upper-case what was read
    add s2, s0, s1
1:  beq s0, s2, 2f
    lbu t0, 0(s0)
    addi t1, t0, -97
    li t2, 26
    bgeu t1, t2, 3f
    addi t0, t0, -32
    sb t0, 0(s0)
3:  addi s0, s0, 1
    j 1b
2:  li a0, 1                # write(1, buf, n)
    la a1, buf
    mv a2, s1
    li a7, 64
    ecall
    mv a0, s1               # exit(n)
    li a7, 93
    ecall
    .data
buf: .zero 64
"""


@pytest.mark.parametrize("timing", [None, "teach"])
def test_read_and_write_are_replayed_not_repeated(timing):
    elf = assemble(ECHO).to_elf()
    m = _linux(elf, stdin=b"hello, world\n", timing=timing)
    m.record()
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 13
    assert m.env.stdout.getvalue() == b"HELLO, WORLD\n"
    end = m.snapshot()
    model = _model(m) if timing else None
    # back to before the read, and forward again step by step across both system calls
    info = m.reverse_step(m.history_length + 1)
    assert info.reason is StopReason.HISTORY_START and m.instret == 0
    assert m.read(m.symbols["buf"], 5) == bytes(5)
    for _ in range(6):
        m.step()
    assert m.read(m.symbols["buf"], 13) == b"hello, world\n"     # the same input, read once
    assert m.x[10] == 13
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 13
    assert m.env.stdout.getvalue() == b"HELLO, WORLD\n"           # written once
    assert not diff(m.snapshot(), end)
    if timing:
        assert _model(m) == model


def test_replay_stops_when_the_machine_leaves_the_recorded_path():
    """After a reverse, a change made by the host (a debugger's `set var`) starts a new future: the
    system calls ahead are serviced again, with the new arguments."""
    elf = assemble(ECHO).to_elf()
    m = _linux(elf, stdin=b"abc", timing=None)
    m.record()
    m.run()
    assert m.env.stdout.getvalue() == b"ABC"
    m.reverse_step(m.history_length)
    m.step(4)                   # before the read's ecall
    m.x[12] = 2                 # read at most 2 bytes
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0   # stdin was read up the first time
    assert m.env.stdout.getvalue() == b"ABC"


def test_stdin_program_reversed_across_its_read():
    make = _golden("stdin_upper", timing=None)
    straight = make()
    straight.run()
    m = make()
    m.record()
    info = m.run()
    assert info.reason is StopReason.EXIT
    out = m.env.stdout.getvalue()
    assert out == straight.env.stdout.getvalue() and out
    m.reverse_step(m.history_length)
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    assert m.env.stdout.getvalue() == out
    assert not diff(m.snapshot(), straight.snapshot())


@SETTINGS
@given(prog=programs(extensions="rv32gc", length=(1, 10)), n_frac=fractions, m_frac=fractions)
def test_forward_then_back_rv32_with_the_cycle_model(prog, n_frac, m_frac):
    batch = Batch([prog])
    make = lambda: _linux(batch.elf, batch.isa, 256, timing="teach")   # noqa: E731
    total = _steps_to_end(make)
    n = max(1, round(total * n_frac))
    m, reference = _forward_back(make, n, round(n * m_frac))
    assert m.xlen == 32
    _then_to_the_end(m, reference)
