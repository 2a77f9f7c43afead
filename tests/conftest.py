"""Shared test helpers.

Live oracle tests (GNU binutils, qemu-riscv64) call :func:`require_tool`: where the tool is missing
they skip with the reason, except under RVSIM_REQUIRE_TOOLS=1 (CI installs the tools), where a missing
tool is a failure, so CI can never pass by skipping.

Hypothesis profiles (RVSIM_HYPOTHESIS_PROFILE): the default draws new random examples on every run, as a
developer's run should; ``ci`` derandomizes, so that the gate that decides what lands tests the same
examples every time (a landing is never refused for a bug that the previous, identical run missed).  Deep
random runs: RVSIM_HYPOTHESIS_SCALE=k (and RVSIM_VECTOR_EXAMPLES=n for the vector tests).
"""
import os
import shutil

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("RVSIM_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["RVSIM_HYPOTHESIS_PROFILE"])


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    tool_missing(f"{name} is not installed (Debian: see .ci/run for the packages)")


def tool_missing(message: str):
    """A tool (or a part of one, such as a C library) a live test needs is absent: skip, or fail
    under RVSIM_REQUIRE_TOOLS=1 so that CI never passes by skipping."""
    if os.environ.get("RVSIM_REQUIRE_TOOLS") == "1":
        pytest.fail(message + "; RVSIM_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)


# The block compiler's switches (csrc/jit_x86.c): blocks on, compiled after HOT taken branches to a slot,
# or off.  One place for the tests that compare blocks with the interpreter.
JIT_VARIABLES = ("RVSIM_NO_JIT", "RVSIM_JIT", "RVSIM_JIT_HOT")


def set_jit(monkeypatch, on: bool, hot: str = "1") -> None:
    """Machines made from here on compile blocks after `hot` taken branches to a slot (or never)."""
    if on:
        monkeypatch.delenv("RVSIM_NO_JIT", raising=False)
        monkeypatch.setenv("RVSIM_JIT", "1")
        monkeypatch.setenv("RVSIM_JIT_HOT", hot)
    else:
        monkeypatch.setenv("RVSIM_NO_JIT", "1")


def set_jit_now(on: bool, hot: str = "1") -> None:
    """As set_jit, in os.environ directly, for a hypothesis body that runs many times per test (use the
    restore_jit_env fixture so that the test's environment is put back)."""
    for k in JIT_VARIABLES:
        os.environ.pop(k, None)
    if on:
        os.environ.update(RVSIM_JIT="1", RVSIM_JIT_HOT=hot)
    else:
        os.environ["RVSIM_NO_JIT"] = "1"


@pytest.fixture
def restore_jit_env(monkeypatch):
    for k in JIT_VARIABLES:
        monkeypatch.delenv(k, raising=False)     # (monkeypatch puts back what was there)
    yield
