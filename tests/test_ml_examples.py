"""The self-checking vector and ML example programs in asm/ run on rvsim's own assembler and print "ok"."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CASES = [
    ("saxpy_rvv.s", "rv64gcv", [], ["N=37"]),
    ("saxpy_rvv.s", "rv64gcv", ["--vlen", "128"], ["N=1"]),
    ("matmul_int8_vdot4a.s", "rv64gcv_zvdot4a8i", [], ["N=12"]),
    ("matmul_int8_vwmacc.s", "rv64gcv", [], ["N=13"]),
    ("matmul_bf16.s", "rv64gcv_zvfbfwma", [], ["N=7"]),
    ("matmul_zvt.s", "rv64gcv_zvt", [], ["N=37"]),
    ("matmul_zvt.s", "rv64gcv_zvt", ["--vlen", "128", "--tile-te", "8"], ["N=20"]),
    ("matmul_zvt.s", "rv64gcv_zvt", ["--vlen", "512", "--tile-te", "64"], []),
]


def _run(name, isa, options, defsyms):
    cmd = [sys.executable, "-m", "rvsim", "run", "--isa", isa, *options]
    for d in defsyms:
        cmd += ["--defsym", d]
    cmd.append(str(ROOT / "asm" / name))
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("name, isa, options, defsyms", CASES)
def test_example_passes(name, isa, options, defsyms):
    for syms in ([], defsyms) if defsyms else ([],):
        r = _run(name, isa, options, syms)
        assert r.returncode == 0 and r.stdout.strip().endswith(": ok"), (name, syms, r.stdout, r.stderr)


def test_example_detects_a_wrong_result(tmp_path):
    # the self-check is real: the unsigned dot product in place of the signed one fails it
    src = (ROOT / "asm" / "matmul_int8_vdot4a.s").read_text().replace("vdot4a.vx v8", "vdot4au.vx v8")
    bad = tmp_path / "bad.s"
    bad.write_text(src)
    r = subprocess.run([sys.executable, "-m", "rvsim", "run", "--isa", "rv64gcv_zvdot4a8i", "--defsym", "N=8",
                        str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 1 and "FAILED" in r.stdout
