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
