"""Shared test helpers.

Live oracle tests (GNU binutils, qemu-riscv64) call :func:`require_tool`: where the tool is missing
they skip with the reason, except under RVSIM_REQUIRE_TOOLS=1 (CI installs the tools), where a missing
tool is a failure, so CI can never pass by skipping.
"""
import os
import shutil

import pytest


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (Debian: see .ci/run for the packages)"
    if os.environ.get("RVSIM_REQUIRE_TOOLS") == "1":
        pytest.fail(message + "; RVSIM_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)
