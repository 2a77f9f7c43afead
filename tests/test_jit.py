"""The block compiler (csrc/jit.h, docs/guide.md "The block compiler"), forced on with RVSIM_JIT=1.

RVSIM_JIT_HOT=1 compiles a block at the first taken branch to a slot, so that every loop of every
program runs compiled, entered and left at every kind of exit.  The oracles are independent of rvsim:
the committed test programs' stdout, stderr and exit status recorded from qemu-riscv64 and their
instruction counts from a qemu plugin (tests/programs/), and, for the hand-written programs here and
test_engine.py's (all of which run again below with the compiler on), values worked out by hand from
the spec.  Budget stops: the programs run again in chunks of odd sizes, each of which must retire
exactly its size.
"""
from __future__ import annotations

import io
import platform
import sys

import pytest

from rvsim._core import lib
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from tests.strategies import CODE, DATA, MEM_SIZE, enc, program
from tests.test_programs import COUNT_DEPENDS_ON_HOST, COUNTS, GOLDEN, PROGRAMS_DIR, _decode, load_program
# test_engine's tests run again in this module, with the compiler forced on by the fixture below
from tests.test_engine import *  # noqa: F401,F403
from tests.test_engine import _li

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")),
    reason="the block compiler is x86-64 Linux only")


@pytest.fixture(autouse=True, params=["1", "3"])
def jit_on(request, monkeypatch):
    """Machines made in the test compile blocks after 1 (or 3) taken branches to a slot."""
    monkeypatch.delenv("RVSIM_NO_JIT", raising=False)
    monkeypatch.setenv("RVSIM_JIT", "1")
    monkeypatch.setenv("RVSIM_JIT_HOT", request.param)
    return request.param


def _run_program(name, chunk=None):
    m, stdout, stderr = load_program(name)
    if chunk is None:
        info = m.run(max_instructions=50_000_000)
    else:
        for _ in range(50_000_000 // chunk):
            before = m.instret
            info = m.run(max_instructions=chunk)
            if info.reason is not StopReason.LIMIT:
                break
            assert m.instret - before == chunk      # a budget stop retires exactly the budget
    return m, info, stdout.getvalue(), stderr.getvalue()


def _check_against_qemu(name, m, info, out, err):
    entry = GOLDEN[name]
    assert info.reason is StopReason.EXIT, f"{name} stopped: {info}"
    assert out.decode(errors="replace") == _decode(entry["stdout"]).decode(errors="replace")
    assert err == _decode(entry["stderr"])
    assert info.exit_code == entry["exit_code"]
    if name not in COUNT_DEPENDS_ON_HOST and "signal" not in entry:
        assert m.instret == COUNTS[name]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_program_matches_qemu_compiled(name):
    m, info, out, err = _run_program(name)
    _check_against_qemu(name, m, info, out, err)
    assert lib.rv_jit_code_bytes(m._core) > 0       # the compiler did compile blocks


# single steps (chunk 1) only for the programs short enough to step through quickly
_CHUNKED = [(name, chunk)
            for name in ["kernels", "recursion", "asm_smc", "asm_misaligned", "strings", "int_arith", "asm_rvc"]
            for chunk in [1, 97, 10_007]
            if chunk != 1 or COUNTS.get(name, 10**9) <= 400_000]


@pytest.mark.parametrize("name,chunk", _CHUNKED)
def test_program_in_budget_chunks_matches_qemu(name, chunk):
    m, info, out, err = _run_program(name, chunk)
    _check_against_qemu(name, m, info, out, err)


def _machine(words):
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.map(CODE, 0x1000, "rwx")
    m.map(DATA, 0x2000, "rw")
    m.load_image(program(*words), addr=CODE)
    m.pc = CODE
    return m


EBREAK = enc("ebreak")


def _loop(n):
    """a0 += 3 n times: CODE+8 addi a0, CODE+12 addi t0, CODE+16 bne back to CODE+8, CODE+20 ebreak."""
    return [enc("addi", rd=5, rs1=0, imm_i=n), enc("addi", rd=10, rs1=0, imm_i=0),
            enc("addi", rd=10, rs1=10, imm_i=3), enc("addi", rd=5, rs1=5, imm_i=-1),
            enc("bne", rs1=5, rs2=0, imm_b=-8), EBREAK]


def _ebreak_stop(info):
    return info.reason is StopReason.TRAP and info.cause == 3


def test_a_hot_loop_is_compiled_and_exact():
    m = _machine(_loop(1000))
    info = m.run(100_000)
    assert _ebreak_stop(info) and info.pc == CODE + 20
    assert m.x[10] == 3000 and m.x[5] == 0 and m.instret == 2 + 3 * 1000
    assert lib.rv_jit_code_bytes(m._core) > 0


@pytest.mark.parametrize("budget", [2, 3, 4, 5, 6, 7, 50, 301, 2999, 3001])
def test_budget_stops_inside_a_compiled_loop(budget):
    """After a first run has compiled the loop, a run of `budget` instructions from the start stops
    exactly there: pc and registers of the budget-th instruction's end."""
    m = _machine(_loop(1000))
    assert _ebreak_stop(m.run(100_000))
    m.pc, m.x[10], m.x[5] = CODE, 0, 0
    before = m.instret
    info = m.run(budget)
    assert info.reason is StopReason.LIMIT and m.instret - before == budget
    k = budget - 2                      # instructions of the loop retired
    passes, within = divmod(k, 3)
    pc = CODE + 8 + 4 * within
    a0 = 3 * (passes + (within >= 1))
    t0 = 1000 - passes - (within >= 2)
    assert (m.pc, m.x[10], m.x[5]) == (pc, a0, t0)


def test_breakpoint_inside_a_compiled_loop_stops_every_pass():
    m = _machine(_loop(100))
    assert _ebreak_stop(m.run(100_000))
    assert lib.rv_jit_code_bytes(m._core) > 0
    m.pc, m.x[10] = CODE, 0
    m.add_breakpoint(CODE + 12)
    for k in range(1, 41):
        info = m.run(100_000)
        assert info.reason is StopReason.BREAKPOINT and info.pc == CODE + 12
        assert m.x[10] == 3 * k and m.x[5] == 100 - (k - 1)
    m.remove_breakpoint(CODE + 12)
    assert _ebreak_stop(m.run(100_000))
    assert m.x[10] == 300


def _loop_then_far_ebreak(n):
    """_loop(n) on the first page, then a jal to an ebreak at the start of the next page."""
    words = _loop(n)[:-1] + [enc("jal", rd=0, imm_j=0x1000 - 20)]
    image = program(*words)
    return image + bytes(0x1000 - len(image)) + program(EBREAK)


def test_breakpoint_on_another_page_leaves_the_loop_compiled():
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.map(CODE, 0x2000, "rwx")
    m.load_image(_loop_then_far_ebreak(1000), addr=CODE)
    m.pc = CODE
    m.add_breakpoint(CODE + 0x1000)
    info = m.run(100_000)
    assert info.reason is StopReason.BREAKPOINT and info.pc == CODE + 0x1000
    assert m.x[10] == 3000 and m.x[5] == 0
    assert lib.rv_jit_code_bytes(m._core) > 0      # the loop's page holds no breakpoint: compiled


def test_breakpoint_on_the_loops_page_keeps_it_interpreted():
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.map(CODE, 0x2000, "rwx")
    m.load_image(_loop_then_far_ebreak(1000), addr=CODE)
    m.pc = CODE
    m.add_breakpoint(CODE + 20)                     # the jal after the loop, on the loop's page
    info = m.run(100_000)
    assert info.reason is StopReason.BREAKPOINT and info.pc == CODE + 20
    assert m.x[10] == 3000
    assert lib.rv_jit_code_bytes(m._core) == 0
    m.remove_breakpoint(CODE + 20)
    assert _ebreak_stop(m.run(100_000)) and m.pc == CODE + 0x1000


def test_a_store_patches_an_instruction_of_the_running_block():
    """At t0 == 50 the loop overwrites its own `addi a0, a0, 1` with `addi a0, a0, 7`: the 50 later
    passes add 7 (precise self-modifying code): a0 = 50 + 350."""
    new = enc("addi", rd=10, rs1=10, imm_i=7)
    words = [enc("addi", rd=5, rs1=0, imm_i=100), enc("addi", rd=10, rs1=0, imm_i=0),
             enc("addi", rd=7, rs1=0, imm_i=50), *_li(6, CODE + 40), *_li(28, new),
             enc("jal", rd=0, imm_j=12),                      # CODE+28: to the loop at CODE+40
             EBREAK, EBREAK,
             enc("addi", rd=10, rs1=10, imm_i=1),            # CODE+40: the patched instruction
             enc("addi", rd=5, rs1=5, imm_i=-1),
             enc("bne", rs1=5, rs2=7, imm_b=8),
             enc("sw", rs1=6, rs2=28, imm_s=0),
             enc("bne", rs1=5, rs2=0, imm_b=-16),             # CODE+56
             EBREAK]
    m = _machine(words)
    info = m.run(100_000)
    assert _ebreak_stop(info) and info.pc == CODE + 60
    assert m.x[10] == 400


def test_a_load_fault_in_a_compiled_loop_traps_at_the_load():
    """The loop reads DATA upwards, one doubleword a pass, and faults on the first address past the
    mapped 8 KiB: mtval = DATA + 0x2000, at the ld, after 1024 passes."""
    words = [*_li(6, DATA), enc("addi", rd=10, rs1=0, imm_i=0),
             enc("ld", rd=7, rs1=6, imm_i=0),                # CODE+12
             enc("addi", rd=6, rs1=6, imm_i=8),
             enc("addi", rd=10, rs1=10, imm_i=1),
             enc("jal", rd=0, imm_j=-12)]
    m = _machine(words)
    m.write(DATA, bytes(range(256)) * 32)
    info = m.run(100_000)
    assert info.reason is StopReason.TRAP and info.cause == 5
    assert info.tval == DATA + 0x2000 and info.pc == CODE + 12
    assert m.x[10] == 1024 and m.instret == 3 + 4 * 1024
    assert m.x[7] == int.from_bytes((bytes(range(256)) * 32)[-8:], "little")


def test_no_jit_turns_it_off(monkeypatch):
    monkeypatch.setenv("RVSIM_NO_JIT", "1")
    m = _machine(_loop(1000))
    assert _ebreak_stop(m.run(100_000)) and m.x[10] == 3000
    assert lib.rv_jit_code_bytes(m._core) == 0


def test_rv32_machines_do_not_compile():
    m = Machine("rv32gc", memory_size=MEM_SIZE)
    m.map(CODE, 0x1000, "rwx")
    m.load_image(program(*_loop(1000)), addr=CODE)
    m.pc = CODE
    assert _ebreak_stop(m.run(100_000)) and m.x[10] == 3000
    assert lib.rv_jit_code_bytes(m._core) == 0


BENCH = PROGRAMS_DIR.parent.parent / "benchmarks" / "programs"


@pytest.mark.parametrize("name", ["mm_int32", "mm_fp32", "qsort_int"])
def test_benchmark_programs_compiled(name):
    """The three benchmarks (their loops are what the compiler is for: flw/fmadd.s/fsw included)
    print qemu-riscv64's line, whose checks pass only if every product and comparison was right."""
    import json
    spec = json.loads((BENCH / "expected.json").read_text())[name]
    out = io.BytesIO()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
    m.load_elf(BENCH / spec["elf"], argv=spec["argv"])
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == spec["exit_code"]
    assert out.getvalue().decode() == spec["stdout"]
    assert lib.rv_jit_code_bytes(m._core) > 0


@pytest.mark.parametrize("name", ["kernels", "recursion", "asm_smc", "strings"])
def test_a_small_arena_that_fills_again_and_again(name, monkeypatch):
    """A 4 KiB arena holds a few blocks: filling it drops every block and flushes the decode cache,
    many times over in these programs, and the results stay qemu's."""
    monkeypatch.setenv("RVSIM_JIT_ARENA", "4096")
    m, info, out, err = _run_program(name)
    _check_against_qemu(name, m, info, out, err)


# The timed loop enters compiled blocks too (jit_x86.c, "timed blocks": each instruction calls the
# model's step): the model's figures must be those the per-instruction model counted before blocks
# existed (tests/timing_goldens.json, measured at 9146191), with a pipeline trace, self-modifying code
# and odd run() chunks.  (test_timing_goldens.py runs every scenario with the compiler's defaults.)
_TIMED_SCENARIOS = ["asm:int32:x60", "asm:int32:c908", "asm:rvv_fp32_blocked:x60:trace",
                    "elf:asm_smc:x60:chunk7", "asm:rvv_fp32_m4:x60:chunk997"]


@pytest.mark.parametrize("key", _TIMED_SCENARIOS)
def test_timed_blocks_count_what_the_interpreter_counted(key):
    from tests.test_timing_goldens import STORED
    from tests.timing_goldens import measure, scenarios
    args = next(s[1:] for s in scenarios() if s[0] == key)
    kept = []
    got = measure(*args, keep=kept)
    want = STORED[key]
    for field in ("totals", "instret", "exit_code", "by_pc", "memory", "s3", "trap"):
        assert got.get(field) == want.get(field), field
    assert lib.rv_jit_code_bytes(kept[0]._core) > 0     # the timed loop did compile blocks


def _switched_run(monkeypatch, jit):
    """int32 (42,929 instructions) on x60 for 10,000 instructions, then the model re-enabled as teach, reset
    after 20,000 and flushed after 30,000 (each frees what timed blocks compiled before it point to), a
    pipeline trace from 35,000 (timed blocks chose their step copies from the table), then to the end."""
    from tests.timing_goldens import _asm_machine
    if not jit:
        monkeypatch.setenv("RVSIM_NO_JIT", "1")
    m = _asm_machine("int32", "x60")
    m.run(10_000)
    m.enable_timing("teach")
    m.run(10_000)
    m.timing.reset()
    m.run(10_000)
    m.timing.flush()
    m.run(5_000)
    m.timing.record_trace(1 << 16)      # the table turns to the general step, which traces
    info = m.run()
    assert info.reason is StopReason.EXIT
    compiled = lib.rv_jit_code_bytes(m._core)
    return (m.timing.totals(), sorted((pc, s.count, s.cycles, sorted(s.stalls.items()))
                                      for pc, s in m.timing.by_pc().items()),
            compiled, [tuple(r) for r in m.timing.trace_records()])


def test_timed_blocks_follow_a_model_switched_reset_and_flushed_mid_run(monkeypatch):
    # (the interpreter alone is the reference: the same calls with the compiler off)
    with_blocks = _switched_run(monkeypatch, True)
    assert with_blocks[2] > 0
    interpreted = _switched_run(monkeypatch, False)
    assert interpreted[2] == 0
    assert with_blocks[:2] == interpreted[:2]
    assert len(with_blocks[3]) > 1000 and with_blocks[3] == interpreted[3]
