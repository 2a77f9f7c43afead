"""The worked examples of docs/testing.md run as written (each python block that defines test functions)."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from tests.conftest import require_tool

DOC = Path(__file__).resolve().parents[1] / "docs" / "testing.md"
BLOCKS = [b for b in re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S) if "def test_" in b]


def test_the_doc_has_its_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_doc_example(index):
    code = BLOCKS[index]
    if "qemu" in code:
        require_tool("qemu-riscv64")
    namespace: dict = {"__name__": f"docs_testing_example_{index}"}
    exec(compile(code, f"docs/testing.md example {index}", "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert tests
    for test in tests:
        params = inspect.signature(getattr(test, "hypothesis", None) and test.hypothesis.inner_test or test).parameters
        if "rvsim_compare" in params:
            # the plugin example: give it the fixture's value by hand
            from rvsim.testing import compare
            test(rvsim_compare=lambda progs, **kw: compare(progs, against=_qemu(), **kw))
        else:
            test()


def _qemu():
    require_tool("qemu-riscv64")
    return "qemu"
