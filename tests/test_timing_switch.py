"""Switching the cycle model at any instruction never changes what a program computes, and never crashes.

Real programs (glibc-static and picolibc Linux ELFs of tests/programs, the picolibc semihosting ELF, an RVV
kernel of asm/) run with the model enabled, disabled, given another preset, reset (counters only) and
flushed (everything) at random instruction counts, any number of times; the exit code, the output, the
instruction count and the final registers must equal an untimed run's.

The decode cache holds label addresses of the interpreter loop that decoded it (the functional and the
timed loop are two compilations of one loop), so a switch that left any slot of the other loop behind
jumped into the wrong function: this test is the guard.  It also runs under the AddressSanitizer and
UndefinedBehaviorSanitizer build (in a copy of the tree: ``RVSIM_DEBUG=1 python setup.py build_ext
--inplace``, then ``LD_PRELOAD=$(gcc -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0 python -m
pytest -p no:cacheprovider tests/test_timing_switch.py``: Python itself is not built with ASan, so the
runtime is preloaded, and leak checking would report the interpreter's own allocations).
RVSIM_SWITCH_EXAMPLES sets the examples per program (default 12; about 40 s in all under ASan).
"""
from __future__ import annotations

import functools
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rvsim.host import LinuxEnvironment, SemihostEnvironment
from rvsim.machine import Machine, StopReason

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS_DIR = ROOT / "tests" / "programs"
GOLDEN = json.loads((PROGRAMS_DIR / "golden.json").read_text())["programs"]
EXAMPLES = int(os.environ.get("RVSIM_SWITCH_EXAMPLES", "12"))

# presets that fit a machine of each VLEN (teach has no vector unit: it fits every machine)
PRESETS_FOR_VLEN = {128: ("c908", "teach"), 256: ("x60", "teach")}


def _decode(stream) -> bytes:
    import base64
    return stream["text"].encode() if "text" in stream else base64.b64decode(stream["base64"])


def _linux_program(name):
    entry = GOLDEN[name]

    def make(vlen):
        out, err = io.BytesIO(), io.BytesIO()
        env = LinuxEnvironment(stdin=io.BytesIO(_decode(entry["stdin"])), stdout=out, stderr=err,
                               allow_dir=PROGRAMS_DIR / entry["cwd"])
        m = Machine("rv64gc", vlen=vlen, env=env)
        m.load_elf(PROGRAMS_DIR / entry["elf"], argv=entry["argv"],
                   envp=[f"{k}={v}" for k, v in entry["env"].items()])
        return m, lambda: (out.getvalue(), err.getvalue())
    return make


def _semihosting_program(vlen):
    out = io.BytesIO()
    m = Machine("rv64gc", vlen=vlen)
    m.env = SemihostEnvironment(stdin=io.BytesIO(b"one\ntwo\n"), stdout=out, stderr=out)
    m.load_elf(ROOT / "tests" / "semihosting" / "semihost_io.elf", argv=["prog", "a"])
    return m, lambda: (out.getvalue(), b"")


@functools.lru_cache(maxsize=None)
def _vector_kernel_elf():
    from rvsim.asm import assemble_files
    return assemble_files([str(ROOT / "asm" / "matmul_rvv_fp32.s")], defsym={"N": 12, "LMUL": 2},
                          march="rv64gcv").to_elf()


def _vector_program(vlen):
    out = io.BytesIO()
    m = Machine("rv64gcv", vlen=vlen, env=LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
    m.load_elf(_vector_kernel_elf())
    return m, lambda: (out.getvalue(), b"")


PROGRAMS = {
    "glibc_posix": _linux_program("glibc_posix"),        # glibc static (the crash was in __libc_malloc)
    "glibc_abort": _linux_program("glibc_abort"),        # glibc static, dies by SIGABRT
    "malloc_stress": _linux_program("malloc_stress"),    # picolibc
    "printf_fmt": _linux_program("printf_fmt"),          # picolibc
    "semihost_io": _semihosting_program,                 # picolibc, semihosting
    "matmul_rvv_fp32": _vector_program,                  # RVV kernel of asm/
}


def _final_state(m, info, outputs):
    return {"reason": info.reason, "exit_code": info.exit_code, "pc": m.pc, "instret": m.instret,
            "x": m.x.copy(), "f": m.f.copy(), "v": m.v.copy(), "output": outputs()}


def _assert_same(got, want):
    for key in want:
        if isinstance(want[key], np.ndarray):
            assert np.array_equal(got[key], want[key]), key
        else:
            assert got[key] == want[key], key


@functools.lru_cache(maxsize=None)
def _reference(name, vlen):
    m, outputs = PROGRAMS[name](vlen)
    info = m.run(max_instructions=50_000_000)
    assert info.reason is StopReason.EXIT
    return _final_state(m, info, outputs)


ACTIONS = st.one_of(
    st.tuples(st.just("enable"), st.integers(0, 1)),     # index into the presets that fit the VLEN
    st.tuples(st.just("disable"), st.just(0)),
    st.tuples(st.just("reset"), st.just(0)),
    st.tuples(st.just("flush"), st.just(0)),
    st.tuples(st.just("trace"), st.integers(1, 64)),
)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vlen=st.sampled_from(sorted(PRESETS_FOR_VLEN)),
       plan=st.lists(st.tuples(st.floats(0, 1), ACTIONS), min_size=1, max_size=8))
def test_switching_the_model_keeps_the_result(name, vlen, plan):
    want = _reference(name, vlen)
    total = want["instret"]
    presets = PRESETS_FOR_VLEN[vlen]
    m, outputs = PROGRAMS[name](vlen)
    info = None
    timings = []
    for fraction, (action, arg) in sorted(plan, key=lambda p: p[0]):
        target = int(fraction * total)
        if target > m.instret:
            info = m.run(max_instructions=target - m.instret)
            if info.reason is not StopReason.LIMIT:
                break
        if action == "enable":
            timings.append(m.enable_timing(presets[arg]))
        elif action == "disable":
            m.disable_timing()
        elif action == "reset" and m.timing is not None:
            m.timing.reset()
        elif action == "flush" and m.timing is not None:
            m.timing.flush()
        elif action == "trace" and m.timing is not None:
            m.timing.record_trace(arg)
    if info is None or info.reason is StopReason.LIMIT:
        info = m.run(max_instructions=50_000_000)
    _assert_same(_final_state(m, info, outputs), want)
    # every model that was on (the current one and the ones replaced or disabled) still answers
    for t in timings:
        r = t.result()
        assert r.cycles >= 0 and r.instructions <= m.instret
        assert len(t.trace_records()) <= 64


def test_a_disabled_model_keeps_its_results():
    m, _ = PROGRAMS["printf_fmt"](256)
    t = m.enable_timing("x60")
    m.run(max_instructions=20_000)
    m.disable_timing()
    before = t.result()
    m.run()
    after = t.result()
    assert before.cycles == after.cycles > 0 and after.instructions == 20_000
    assert before.by_pc.keys() == after.by_pc.keys()
    with pytest.raises(RuntimeError, match="no longer attached"):
        t.reset()


def test_reset_keeps_caches_and_flush_empties_them():
    """Timing.reset() restarts the counters only: the second pass over the same data finds it in the
    caches and the predictor trained; flush() restarts everything cold."""
    def second_pass(restart):
        m, _ = _vector_program(256)
        t = m.enable_timing("x60")
        m.add_breakpoint("kernel_begin")
        m.add_breakpoint("kernel_end")
        m.run()                         # at kernel_begin
        restart(t)
        m.run()                         # at kernel_end
        return t.result()
    warm = second_pass(lambda t: t.reset())
    cold = second_pass(lambda t: t.flush())
    assert warm.instructions == cold.instructions
    assert warm.cache["l1d_misses"] < cold.cache["l1d_misses"]
    assert warm.cycles < cold.cycles
