"""The official riscv-tests ("p" environment), when a built copy is available.

The suite is not a Debian package and CI has no network beyond the package registries, so it is not
vendored or fetched here: point RISCV_TESTS_ISA_DIR at a riscv-tests `isa/` directory built with
riscv64-unknown-elf-gcc (docs/testing-riscv-tests.md) and these tests run every rv64ui, rv64um,
rv64ua, rv64uf, rv64ud, rv64uc and rv64mi test on rvsim, and the rv32 ones of the same suites (built with
XLEN=32) on an RV32 machine.  rv64si/rv32si need S-mode, which rvsim does not implement (M and U only).  The same ground is covered without them by tests/test_isa_int.py,
test_fp_insns.py, test_compressed.py and test_traps.py.
"""
import os
from pathlib import Path

import pytest

from rvsim.machine import Machine, StopReason

SUITES = ("rv64ui", "rv64um", "rv64ua", "rv64uf", "rv64ud", "rv64uc", "rv64mi",
          "rv32ui", "rv32um", "rv32ua", "rv32uf", "rv32ud", "rv32uc", "rv32mi",
          # the bit-manipulation and half-precision suites, where built (make rv32uzba ... rv64uzfh)
          "rv64uzba", "rv64uzbb", "rv64uzbs", "rv64uzfh", "rv32uzba", "rv32uzbb", "rv32uzbs", "rv32uzfh")
ISA_DIR = os.environ.get("RISCV_TESTS_ISA_DIR")


def _tests():
    if not ISA_DIR:
        return []
    return sorted(p for s in SUITES for p in Path(ISA_DIR).glob(f"{s}-p-*") if p.suffix != ".dump")


@pytest.mark.skipif(not ISA_DIR, reason="RISCV_TESTS_ISA_DIR is not set (a built riscv-tests isa/ dir)")
@pytest.mark.parametrize("elf", _tests() or [None], ids=lambda p: p.name if p else "none")
def test_official_riscv_test(elf):
    assert elf is not None, f"no rv64 p tests under {ISA_DIR}"
    m = Machine(elf.name[:4] + ("gc_zba_zbb_zbs_zfh" if elf.name[4:6] == "uz" else "gc"))
    m.load_elf(elf)
    info = m.run(max_instructions=10_000_000)
    assert info.reason is StopReason.EXIT, info
    assert info.exit_code == 0, f"failed test case {info.exit_code}"
