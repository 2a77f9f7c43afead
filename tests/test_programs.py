"""Differential tests: the committed test programs (tests/programs/, built with riscv64-unknown-elf-gcc
and picolibc, the glibc_* ones with riscv64-linux-gnu-gcc -static) run on rvsim with exactly the argv, environment and stdin recorded in golden.json, and
must produce qemu-riscv64's stdout, stderr and exit status; where the instruction count does not
depend on the host (no clocks or randomness), it must equal the count a qemu plugin measured."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason

PROGRAMS_DIR = Path(__file__).resolve().parent / "programs"
GOLDEN = json.loads((PROGRAMS_DIR / "golden.json").read_text())["programs"]
COUNTS_FILE = PROGRAMS_DIR / "insn_counts.json"


def _decode(stream) -> bytes:
    import base64
    return stream["text"].encode() if "text" in stream else base64.b64decode(stream["base64"])


def load_program(name):
    """A machine with the golden program `name` loaded as qemu ran it, and its stdout and stderr."""
    entry = GOLDEN[name]
    stdout, stderr = io.BytesIO(), io.BytesIO()
    env = LinuxEnvironment(stdin=io.BytesIO(_decode(entry["stdin"])), stdout=stdout, stderr=stderr,
                           allow_dir=PROGRAMS_DIR / entry["cwd"])
    m = Machine("rv64gc", env=env)
    m.load_elf(PROGRAMS_DIR / entry["elf"], argv=entry["argv"],
               envp=[f"{k}={v}" for k, v in entry["env"].items()])
    return m, stdout, stderr


def run_program(name):
    m, stdout, stderr = load_program(name)
    info = m.run(max_instructions=50_000_000)
    return m, info, stdout.getvalue(), stderr.getvalue()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_program_matches_qemu(name):
    entry = GOLDEN[name]
    m, info, out, err = run_program(name)
    assert info.reason is StopReason.EXIT, f"{name} stopped: {info}"
    assert out.decode(errors="replace") == _decode(entry["stdout"]).decode(errors="replace")
    assert err == _decode(entry["stderr"])
    assert info.exit_code == entry["exit_code"]      # 128 + the signal for a death by signal


# Programs whose instruction count depends on the host: how it lays out the environment or auxiliary
# vector (qemu passes the environment in reverse order, so sorting it takes a different path), or what
# it answers (glibc_posix: qemu passes on the host's CPU count, working directory and times).
COUNT_DEPENDS_ON_HOST = {"argv_env", "auxv", "glibc_posix"}
COUNTS = json.loads(COUNTS_FILE.read_text())


@pytest.mark.parametrize("name", sorted(set(GOLDEN) - COUNT_DEPENDS_ON_HOST - {
    n for n, e in GOLDEN.items() if "signal" in e}))       # the qemu plugin counts nothing then
def test_instruction_count_matches_qemu(name):
    m, info, _, _ = run_program(name)
    assert info.reason is StopReason.EXIT
    assert m.instret == COUNTS[name]


def test_deterministic_runs_see_the_same_file_times_after_the_file_was_read(tmp_path):
    """file_io fstats its data file.  Reading a file moves its access time on the host (relatime: the
    first read after a change), so a deterministic run must not show it: two runs around a change of
    the access time alone end in the same memory.  (Found when a recorded run and a fresh one differed
    in the stat buffer.)"""
    import os
    import shutil
    from rvsim.testing import diff

    entry = GOLDEN["file_io"]
    shutil.copytree(PROGRAMS_DIR / "data", tmp_path / "data")
    data = tmp_path / "data" / "input.txt"
    ends = []
    for atime in (1_000_000_000, 1_500_000_000):
        st = os.stat(data)
        os.utime(data, ns=(atime * 10**9, st.st_mtime_ns))
        out = io.BytesIO()
        env = LinuxEnvironment(stdin=io.BytesIO(_decode(entry["stdin"])), stdout=out, stderr=io.BytesIO(),
                               allow_dir=tmp_path)
        m = Machine("rv64gc", env=env)
        m.load_elf(PROGRAMS_DIR / entry["elf"], argv=entry["argv"], envp=[])
        assert m.run(max_instructions=50_000_000).reason is StopReason.EXIT
        assert out.getvalue() == _decode(entry["stdout"])
        ends.append(m.snapshot())
    assert not diff(ends[0], ends[1])
