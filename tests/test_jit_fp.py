"""Scalar FP compares and conversions inside compiled blocks (csrc/jit_x86.c: feq.s, flt.s, fle.s,
fcvt.w.s and fcvt.l.s in RTZ, fcvt.s.w and fcvt.s.l in RNE or the dynamic mode), in every kind of
block: functional, timed and recording.

The oracle is qemu-riscv64: one program, assembled once, runs loops of these instructions over a table of
edge-biased operands (zeros of both signs, subnormals, NaNs quiet and signaling, infinities, values at
and beyond the integer-conversion limits, inexact integers, improperly NaN-boxed singles), once for each
dynamic rounding mode, and writes every result and the flags each loop pass raised (frflags after the
compiled part of the body) to stdout.  rvsim must print qemu's bytes with blocks compiled at the first
(and the third) taken branch to a slot, in functional mode, with the cycle model on (whose figures must
also be those of the same run with the block compiler off) and while recording (whose history must also
undo to the freshly loaded machine).
"""
from __future__ import annotations

import io
import platform
import random
import struct
import subprocess
import sys

import pytest

from rvsim._core import lib
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.testing import diff
from tests.conftest import require_tool
from tests.conftest import set_jit

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="the block compiler is x86-64 Linux only")

BOX = 0xFFFFFFFF00000000


def _singles(rng):
    """edge-biased single-precision bit patterns"""
    fixed = [0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff,
             0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fa00000,
             0x3f800000, 0xbf800000, 0x3f000000, 0xbfc00000, 0x3fc00000, 0x40200000, 0xc0200000,
             0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f800000, 0x5effffff, 0x5f000000,
             0xdf000000, 0xdf000001, 0x5f800000, 0x4b800001, 0x4b7fffff, 0x47000000, 0xc7000000]
    out = list(fixed)
    for _ in range(60):
        exp = rng.choice([0, 1, 126, 127, 128, 150, 157, 158, 159, 189, 190, 191, 254, 255,
                          rng.randrange(256)])
        out.append(rng.getrandbits(1) << 31 | exp << 23 | rng.choice([0, 1, rng.getrandbits(23)]))
    return out


def _integers(rng):
    fixed = [0, 1, -1, 2, 3, 7, -8, (1 << 24) + 1, -(1 << 24) - 3, (1 << 31) - 1, -(1 << 31), 1 << 31,
             (1 << 63) - 1, -(1 << 63), (1 << 32) + 1, 0x12345679, 0xfffffffff, 0x7fffffff80000000]
    out = list(fixed)
    for _ in range(60):
        bits = rng.choice([8, 24, 25, 31, 32, 33, 53, 63, 64])
        out.append(rng.getrandbits(bits) - (1 << (bits - 1)) * rng.getrandbits(1))
    return [v & ((1 << 64) - 1) for v in out]


def _table(seed=12):
    """(a, b, i, j) per entry: two 64-bit FP register images (mostly boxed singles, some improperly
    boxed) and two integers"""
    rng = random.Random(seed)
    singles, ints = _singles(rng), _integers(rng)
    rows = []
    for n in range(max(len(singles), len(ints))):
        a = singles[n % len(singles)]
        b = rng.choice(singles + [a, a ^ 0x80000000])
        box_a = BOX if rng.randrange(8) else rng.choice([0, 0xFFFFFFFE00000000, 0x7FFFFFFF00000000])
        box_b = BOX if rng.randrange(8) else rng.choice([0, 0xFFFFFFFE00000000])
        rows.append((box_a | a, box_b | b, ints[n % len(ints)], rng.choice(ints)))
    return rows


ROWS = _table()
FRMS = [0, 1, 2, 3, 4]

# each loop: at least 8 instructions before frflags (blocks shorter than that that neither loop nor
# jump are not compiled), then the pass's flags logged and cleared (the interpreter's, up to the branch)
LOOPS = {
    "cmp": ["fld fa0, 0(s0)", "fld fa1, 8(s0)", "feq.s a2, fa0, fa1", "flt.s a3, fa0, fa1",
            "fle.s a4, fa0, fa1", "feq.s a5, fa1, fa0", "flt.s a6, fa1, fa0", "fle.s a7, fa1, fa0",
            "feq.s zero, fa0, fa1", "flt.s t1, fa0, fa0",
            "sd a2, 0(s1)", "sd a3, 8(s1)", "sd a4, 16(s1)", "sd a5, 24(s1)", "sd a6, 32(s1)",
            "sd a7, 40(s1)", "sd t1, 48(s1)"],
    "toint": ["fld fa0, 0(s0)", "fld fa1, 8(s0)", "fcvt.l.s a2, fa0, rtz", "fcvt.w.s a3, fa0, rtz",
              "fcvt.l.s a4, fa1, rtz", "fcvt.w.s a5, fa1, rtz", "fcvt.w.s a6, fa0, rtz",
              "fcvt.l.s a0, fa1, rtz",
              "sd a2, 0(s1)", "sd a3, 8(s1)", "sd a4, 16(s1)", "sd a5, 24(s1)", "sd a6, 32(s1)",
              "sd a0, 40(s1)"],
    "tofloat": ["ld a1, 16(s0)", "ld a2, 24(s0)", "fcvt.s.l fa2, a1", "fcvt.s.w fa3, a1",
                "fcvt.s.l fa4, a2", "fcvt.s.w fa5, a2", "fcvt.s.l fa6, a1, rne", "fcvt.s.w fa7, a2, rne",
                "fcvt.s.w ft0, zero",
                "fsd fa2, 0(s1)", "fsd fa3, 8(s1)", "fsd fa4, 16(s1)", "fsd fa5, 24(s1)", "fsd fa6, 32(s1)",
                "fsd fa7, 40(s1)", "fsd ft0, 48(s1)"],
    # an integer-register chain through both directions (x[rd] = x[rs1] cases, s-registers held by
    # the block in host registers)
    "chain": ["ld s4, 16(s0)", "fld fa0, 0(s0)", "fcvt.s.l fa1, s4", "fcvt.l.s s5, fa1, rtz",
              "fcvt.s.w fa2, s5", "fcvt.w.s s5, fa2, rtz", "feq.s s6, fa1, fa2", "fle.s s4, fa0, fa1",
              "add s7, s5, s6", "add s7, s7, s4",
              "sd s5, 0(s1)", "sd s6, 8(s1)", "sd s7, 16(s1)", "fsd fa1, 24(s1)", "fsd fa2, 32(s1)"],
}


def _out_words(body):
    return max(int(i.split(",")[-1].split("(")[0]) for i in body if i.startswith(("sd", "fsd"))) // 8 + 2


def _source():
    lines = [".text", ".globl _start", "_start:", "  la s1, out", "  li s3, 0", "outer:",
             "  la t0, frms", "  slli t1, s3, 3", "  add t0, t0, t1", "  ld t0, 0(t0)", "  fsrm t0"]
    for name, body in LOOPS.items():
        words = _out_words(body)
        lines += ["  la s0, table", f"  li s2, {len(ROWS)}", f"{name}_loop:"]
        lines += ["  " + i for i in body]
        lines += ["  frflags t2", f"  sd t2, {8 * (words - 1)}(s1)", "  fsflags zero",
                  f"  addi s1, s1, {8 * words}", "  addi s0, s0, 32", "  addi s2, s2, -1",
                  f"  bnez s2, {name}_loop"]
    lines += ["  addi s3, s3, 1", f"  li t0, {len(FRMS)}", "  blt s3, t0, outer",
              "  li a0, 1", "  la a1, out", "  sub a2, s1, a1", "  li a7, 64", "  ecall",
              "  li a0, 0", "  li a7, 93", "  ecall", ".data", ".balign 8", "frms:"]
    lines += [f"  .dword {v}" for v in FRMS]
    lines += ["table:"]
    for row in ROWS:
        lines += [f"  .dword {v:#x}" for v in row]
    size = len(FRMS) * len(ROWS) * 8 * sum(_out_words(b) for b in LOOPS.values())
    lines += [".bss", ".balign 8", "out:", f"  .zero {size}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def elf_and_qemu(tmp_path_factory):
    from rvsim.asm import assemble
    elf = assemble(_source(), march="rv64gc").to_elf()
    path = tmp_path_factory.mktemp("jitfp") / "fp.elf"
    path.write_bytes(elf)
    path.chmod(0o755)       # (qemu-riscv64 runs only an executable file)
    qemu = require_tool("qemu-riscv64")
    want = subprocess.run([qemu, str(path)], capture_output=True, check=True).stdout
    return elf, want


def _machine(elf):
    out = io.BytesIO()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
    m.load_elf(elf)
    return m, out


def _first_difference(got, want):
    words = LOOPS
    per_row = [_out_words(b) for b in words.values()]
    for i in range(0, min(len(got), len(want)), 8):
        if got[i:i + 8] != want[i:i + 8]:
            w = i // 8
            frm, rest = divmod(w, len(ROWS) * sum(per_row))
            for (name, body), n in zip(words.items(), per_row):
                if rest < len(ROWS) * n:
                    row, word = divmod(rest, n)
                    what = body[[j for j, s in enumerate(body) if s.startswith(("sd", "fsd"))][word]] \
                        if word < n - 1 else "fflags"
                    return (f"frm {FRMS[frm]}, loop {name}, row {row} {[hex(v) for v in ROWS[row]]}, "
                            f"{what}: rvsim {struct.unpack('<Q', got[i:i + 8])[0]:#x}, "
                            f"qemu {struct.unpack('<Q', want[i:i + 8])[0]:#x}")
                rest -= len(ROWS) * n
    return f"lengths {len(got)} and {len(want)}"


def _check(m, out, want):
    info = m.run(max_instructions=10_000_000)
    assert info.reason is StopReason.EXIT and info.exit_code == 0, info
    got = out.getvalue()
    assert got == want, _first_difference(got, want)


def test_the_programs_words_are_qemus_without_blocks(elf_and_qemu, monkeypatch):
    elf, want = elf_and_qemu
    set_jit(monkeypatch, False)
    m, out = _machine(elf)
    _check(m, out, want)


@pytest.mark.parametrize("hot", ["1", "3"])
def test_functional_blocks(elf_and_qemu, monkeypatch, hot):
    elf, want = elf_and_qemu
    set_jit(monkeypatch, True, hot)
    m, out = _machine(elf)
    _check(m, out, want)
    assert lib.rv_jit_code_bytes(m._core) > 0


@pytest.mark.parametrize("hot", ["1", "3"])
def test_timed_blocks(elf_and_qemu, monkeypatch, hot):
    elf, want = elf_and_qemu
    figures = []
    for on in (True, False):
        set_jit(monkeypatch, on, hot)
        m, out = _machine(elf)
        m.enable_timing("x60")
        _check(m, out, want)
        assert (lib.rv_jit_code_bytes(m._core) > 0) == on
        figures.append((m.timing.totals(), sorted((pc, s.count, s.cycles, sorted(s.stalls.items()))
                                                  for pc, s in m.timing.by_pc().items())))
    assert figures[0] == figures[1]


@pytest.mark.parametrize("hot", ["1", "3"])
def test_recording_blocks(elf_and_qemu, monkeypatch, hot):
    """Recorded through blocks: qemu's words; undone part-way, the state of an uncompiled machine that
    never recorded and ran that far; undone to the start, the fresh machine; and (differential, as
    test_history_jit.py) each step's changes as the interpreter's recording gives them."""
    elf, want = elf_and_qemu
    views = []
    for on in (True, False):
        set_jit(monkeypatch, on, hot)
        m, out = _machine(elf)
        fresh = m.snapshot()
        m.record(max_instructions=1 << 24)
        _check(m, out, want)
        assert (lib.rv_jit_code_bytes(m._core) > 0) == on
        total = m.instret
        if on:
            for back in (1, 777, 5003, 12345):
                assert m.reverse_step(back).instructions == back
                set_jit(monkeypatch, False)
                ref, _ = _machine(elf)
                ref.run(m.instret)
                assert ref.instret == m.instret
                assert not diff(m.snapshot(), ref.snapshot()), m.instret
            set_jit(monkeypatch, True, hot)
            m.run(total - m.instret)
            assert m.instret == total
        views.append([m.memory_changes(total)])
        for _ in range(total):
            assert m.reverse_step(1).reason is StopReason.LIMIT
            views[-1].append((m.pc, m.last_changes()))
        assert m.reverse_step(1).reason is StopReason.HISTORY_START
        assert not diff(m.snapshot(), fresh)
    assert views[0] == views[1]

