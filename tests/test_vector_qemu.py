"""Differential test of the vector unit against qemu-riscv64 (QEMU 7.2).

tests/vector_data/qemu/ holds static Linux ELFs made by tests/vector_data/gen_qemu_programs.py (random
vector programs valid by construction, with tail- and mask-undisturbed policies, and hand-written
kernels) and, for VLEN=128 and 256, the state dump qemu-riscv64 wrote for each: all vector registers,
vl, vtype, vxsat, vxrm, fcsr, x and f registers, and the scratch buffer the loads and stores used.
rvsim must produce the same bytes.  Where qemu-riscv64 is installed, the committed ELFs are also re-run
on it (the golden files must still be what it says), and a few fresh random programs run on both.

More live programs: QEMU_VECTOR_PROGRAMS=20 python -m pytest -q tests/test_vector_qemu.py
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

pytest.importorskip("rvsim._core", reason="the C extension is not built (python setup.py build_ext --inplace)")

from tests.conftest import require_tool  # noqa: E402
from vector_data import gen_qemu_programs as gen  # noqa: E402

PROGRAMS = sorted(p.stem for p in gen.OUT.glob("*.elf"))
CASES = [(name, vlen) for name in PROGRAMS for vlen in gen.VLENS]
LIVE = int(os.environ.get("QEMU_VECTOR_PROGRAMS", "2"))


def test_the_committed_set_is_there():
    assert len(PROGRAMS) >= 30 and any(n.startswith("kernel_") for n in PROGRAMS)


@pytest.mark.parametrize("name,vlen", CASES, ids=[f"{n}-vlen{v}" for n, v in CASES])
def test_rvsim_matches_qemu_golden(name, vlen):
    golden = (gen.OUT / f"{name}.vlen{vlen}.out").read_bytes()
    got = gen.run_rvsim((gen.OUT / f"{name}.elf").read_bytes(), vlen)
    assert got == golden, f"{name} at VLEN={vlen} differs from qemu's dump:\n" + gen.describe(golden, got, vlen)


@pytest.mark.parametrize("name", PROGRAMS)
def test_qemu_still_gives_the_golden_dumps(name, tmp_path):
    qemu = require_tool("qemu-riscv64")
    elf = tmp_path / f"{name}.elf"
    elf.write_bytes((gen.OUT / f"{name}.elf").read_bytes())
    elf.chmod(0o755)
    for vlen in gen.VLENS:
        assert gen.run_qemu(qemu, elf, vlen) == (gen.OUT / f"{name}.vlen{vlen}.out").read_bytes(), \
            f"{name} VLEN={vlen}: qemu's output is not the committed one (regenerate with gen_qemu_programs.py)"


@pytest.mark.parametrize("seed", range(100_000, 100_000 + LIVE))
def test_fresh_random_programs_against_live_qemu(seed, tmp_path):
    qemu = require_tool("qemu-riscv64")
    program = gen.random_program(seed)
    data = gen.build(program)
    elf = tmp_path / "prog.elf"
    elf.write_bytes(data)
    elf.chmod(0o755)
    for vlen in gen.VLENS:
        expected = gen.run_qemu(qemu, elf, vlen)
        got = gen.run_rvsim(data, vlen)
        assert got == expected, (f"random program {seed} at VLEN={vlen} differs from qemu (source: "
                                 f"gen_qemu_programs.random_program({seed}).source()):\n"
                                 + gen.describe(expected, got, vlen))
