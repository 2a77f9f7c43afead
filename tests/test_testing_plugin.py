"""The pytest plugin rvsim.testing.plugin: fixtures, the rvsim marker and --rvsim-ref, exercised in a
separate pytest run (the plugin is loaded explicitly there, installed or not)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]

USER_TESTS = '''
import pytest
from hypothesis import given, settings, strategies as st
from rvsim.testing.strategies import programs


def test_machine_fixture(machine):
    assert machine.isa_string == "rv64gc" and machine.vlen == 128


@pytest.mark.rvsim(isa="rv64gcv", vlen=256)
def test_marker_sets_isa_and_vlen(machine):
    assert "v" in machine.extensions and machine.vlen == 256


def test_assemble_fixture(assemble, machine):
    prog = assemble("_start: li a0, 7\\n li a7, 93\\n ecall\\n")
    assert prog.entry
    info = assemble.run("_start: li a0, 7\\n li a7, 93\\n ecall\\n")
    assert info.exit_code == 7 and machine.x[10] == 7


@settings(max_examples=3, deadline=None, database=None)
@given(st.lists(programs(extensions="rv64im", length=(1, 4)), min_size=1, max_size=3))
def test_compare_fixture(rvsim_compare, progs):
    rvsim_compare(progs)


@settings(max_examples=5, deadline=None, database=None)
@given(programs(extensions="rv64im", include={"add"}, length=(2, 4), loops=False, branches=False))
def test_compare_adds(rvsim_compare, program):
    rvsim_compare(program)


def test_unrelated():
    assert 1 + 1 == 2
'''

TOY_REFERENCE = '''
from rvsim.testing.toysim import ToySim
reference = ToySim()
broken = ToySim(broken="add")
'''


def _pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    (tmp_path / "myref.py").write_text(TOY_REFERENCE)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(tmp_path)]))
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:rvsim", "-p", "rvsim.testing.plugin",
           "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path / "test_user.py"), *args]
    return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)


def test_fixtures_and_a_callable_reference(tmp_path):
    r = _pytest(tmp_path, "--rvsim-ref=myref:reference")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "6 passed" in r.stdout


def test_a_broken_reference_fails_the_compare_test(tmp_path):
    r = _pytest(tmp_path, "--rvsim-ref=myref:broken", "-k", "compare_adds")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "first diverging instruction" in r.stdout and "add " in r.stdout


def test_qemu_is_the_default_reference(tmp_path):
    from tests.conftest import require_tool
    require_tool("qemu-riscv64")
    r = _pytest(tmp_path, "-k", "compare_fixture")
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_bad_reference_option_is_a_usage_error(tmp_path):
    r = _pytest(tmp_path, "--rvsim-ref=nonsense", "-k", "compare_fixture")
    assert r.returncode != 0 and "--rvsim-ref" in (r.stdout + r.stderr)


def test_the_plugin_module_imports_nothing_heavy():
    code = textwrap.dedent("""
        import sys
        import rvsim.testing.plugin
        heavy = [m for m in ("hypothesis", "numpy", "rvsim.machine", "rvsim.isa", "rvsim.asm") if m in sys.modules]
        print(heavy)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.stdout.strip() == "[]", r.stdout + r.stderr
