"""The fuzzing set-up (fuzz/, docs/security.md): a short smoke run of every harness.

* The libFuzzer harnesses of the C core (decoder + executor, the cycle model), built with clang and
  AddressSanitizer + UndefinedBehaviorSanitizer, run for SMOKE_SECONDS each from the committed seeds.
* The Python targets (ELF loader, host environments, assembler) run on byte-mutated seeds under
  hypothesis: only LoadError / SimulationError / AsmError or a clean run are allowed.

The long campaigns are run by hand (fuzz/README.md); findings become regression tests in the test file
of the part that was wrong.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
SMOKE_SECONDS = int(os.environ.get("RVSIM_FUZZ_SMOKE_SECONDS", "20"))

sys.path.insert(0, str(ROOT))
from fuzz import pytargets  # noqa: E402


@pytest.fixture(scope="module")
def libfuzzer_build():
    require_tool("clang")
    require_tool("make")
    result = subprocess.run(["make", "-C", str(FUZZ), "-j2", "all"], capture_output=True, text=True)
    if result.returncode != 0 and "libclang_rt.fuzzer" in result.stderr + result.stdout:
        message = "libFuzzer runtime missing (Debian: libclang-rt-14-dev)"
        if os.environ.get("RVSIM_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return FUZZ


@pytest.mark.parametrize("harness", ["exec", "timing"])
def test_libfuzzer_smoke(libfuzzer_build, harness, tmp_path):
    work = tmp_path / "corpus"
    work.mkdir()
    result = subprocess.run(
        [str(libfuzzer_build / f"fuzz_{harness}"), f"-max_total_time={SMOKE_SECONDS}", "-rss_limit_mb=2048",
         "-timeout=20", f"-artifact_prefix={tmp_path}/", str(work), str(FUZZ / "corpus" / harness)],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "FUZZ_STATS": str(tmp_path / "stats")})
    tail = result.stderr[-4000:]
    assert result.returncode == 0, f"fuzz_{harness} found a problem:\n{tail}"
    assert "Done" in result.stderr, tail
    assert not list(tmp_path.glob("crash-*")), tail


def test_the_harness_can_pick_every_extension():
    """fuzz/harness.h names each optional extension once (I and priv are always on): an extension appended to
    rvsim.isa.EXTENSIONS is fuzzed only once the harness's header can turn it on."""
    import re
    from rvsim.isa import EXTENSIONS
    text = (FUZZ / "harness.h").read_text()
    tables = re.findall(r"(?:OPTIONAL_EXTENSIONS|ZVE_LEVELS)\[\d+\] = \{(.*?)\};", text, re.S)
    assert len(tables) == 2, "harness.h's extension tables were not found"
    named = re.findall(r"RV_EXT_(\w+)", "".join(tables))
    assert len(named) == len(set(named)), "an extension is named twice"
    assert set(named) == {e.upper() for e in EXTENSIONS} - {"I", "PRIV"}


def _seeds(kind: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted((FUZZ / "corpus" / kind).iterdir())]


def _mutated(kind: str):
    seeds = _seeds(kind)
    return st.tuples(st.sampled_from(seeds), st.randoms(use_true_random=False)).map(
        lambda pair: pytargets.mutate(pair[0], pair[1]))


_settings = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@_settings
@given(data=st.one_of(_mutated("elf"), st.binary(max_size=512).map(lambda b: b"\x7fELF\x02\x01" + b)))
def test_loader_accepts_or_refuses_cleanly(data):
    pytargets.loader_target(data)


@_settings
@given(data=st.binary(min_size=1, max_size=400))
def test_host_environments_answer_every_call(data):
    pytargets.host_target(data)


@_settings
@given(data=st.one_of(_mutated("asm").map(lambda b: b"\x01" + b), st.binary(min_size=1, max_size=200)))
def test_assembler_reports_only_asm_errors(data):
    pytargets.asm_target(data)


def test_atheris_smoke(tmp_path):
    """The coverage-guided Python driver itself (skipped where atheris is not installed)."""
    pytest.importorskip("atheris")
    result = subprocess.run(
        [sys.executable, str(FUZZ / "run_atheris.py"), "asm", "-runs=200", "-max_len=64", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done 200 runs" in result.stderr


@pytest.mark.parametrize("path", sorted(p.relative_to(FUZZ / "corpus") for p in (FUZZ / "corpus").glob("*/regress-*")
                                        if p.parent.name in ("elf", "asm", "host")), ids=str)
def test_python_findings_stay_fixed(path):
    """The inputs of past Python-level findings (the C-core ones are replayed by the libFuzzer smoke run)."""
    target = {"elf": pytargets.loader_target, "asm": pytargets.asm_target, "host": pytargets.host_target}
    target[path.parts[0]]((FUZZ / "corpus" / path).read_bytes())
