"""Keep tests/programs/golden.json honest: re-run every committed test ELF under
qemu-riscv64 (the independent oracle) with the recorded argv, environment, stdin
and working directory, and compare exit status, stdout and stderr.

These tests need no part of rvsim.  They skip when qemu-riscv64 is absent.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

PROGRAMS_DIR = Path(__file__).resolve().parent / "programs"
GOLDEN = json.loads((PROGRAMS_DIR / "golden.json").read_text())["programs"]


def _load_build_script():
    spec = importlib.util.spec_from_file_location("programs_build", PROGRAMS_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()

needs_qemu = pytest.mark.skipif(shutil.which(build.QEMU) is None,
                                reason="qemu-riscv64 is not installed (Debian package qemu-user)")


def test_every_program_has_golden_data_and_an_elf():
    assert set(GOLDEN) == set(build.PROGRAMS)
    for name, entry in GOLDEN.items():
        assert (PROGRAMS_DIR / entry["elf"]).is_file(), name
        assert (PROGRAMS_DIR / entry["source"]).is_file(), name
        assert entry["argv"] == build.program_argv(name, build.PROGRAMS[name])
        assert entry["env"] == build.program_env(build.PROGRAMS[name])


@needs_qemu
@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_qemu_still_matches_golden(name):
    entry = GOLDEN[name]
    proc = build.run_under_qemu(
        PROGRAMS_DIR / entry["elf"],
        entry["argv"],
        entry["env"],
        build.decode_stream(entry["stdin"]),
        PROGRAMS_DIR / entry["cwd"],
    )
    assert proc.stdout == build.decode_stream(entry["stdout"])
    assert proc.stderr == build.decode_stream(entry["stderr"])
    assert build.shell_status(proc.returncode) == entry["exit_code"]
