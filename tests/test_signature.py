"""`rvsim run --signature`: the signature region of an architectural test, as Spike and Sail write it.

An architectural test written here with the shipped model_test.h (rvsim/testing/arch_test_env) is
compiled by riscv64-unknown-elf-gcc with the shipped link.ld, for RV64 and RV32; its signature is
worked out by hand from the instructions (the oracle), then checked line for line at granularities 4
and 8.  The real suite (riscv-arch-test) is not vendored; docs/testing.md gives the commands and the
figures measured with it.
"""
import subprocess

import pytest

from rvsim.cli import main
from rvsim.signature import ARCH_TEST_ENV, SignatureError, signature_lines

# An architectural test in the suite's shape: code from rvtest_entry_point, results stored through a
# base register into the region RVMODEL_DATA_BEGIN/END delimit, RVMODEL_HALT at the end.
ARCH_TEST = r"""
#include "model_test.h"
    .section .text.init
    .globl rvtest_entry_point
rvtest_entry_point:
    RVMODEL_BOOT
    la      x1, signature
    li      x2, 0x12345678
    sw      x2, 0(x1)               # 12345678
    li      x3, -3
    li      x4, 7
    mul     x5, x3, x4              # -21: ffffffeb
    sw      x5, 4(x1)
    srai    x6, x3, 1               # -2: fffffffe
    sw      x6, 8(x1)
    li      x7, 0xa5
    sb      x7, 12(x1)              # the word at 12: deadbe, then a5 in its low byte
    sltu    x8, x4, x3              # 7 < (unsigned) -3: 1
    sw      x8, 16(x1)
    csrr    x9, misa
    srli    x9, x9, 12              # misa bit 12 (M) now bit 0
    andi    x9, x9, 1
    sw      x9, 20(x1)
    RVMODEL_HALT

    .data
RVMODEL_DATA_BEGIN
signature:
    .word 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef
RVMODEL_DATA_END
"""
WORDS = ["12345678", "ffffffeb", "fffffffe", "deadbea5", "00000001", "00000001", "deadbeef", "deadbeef"]


@pytest.fixture(scope="module", params=[("rv64im_zicsr", "lp64"), ("rv32im_zicsr", "ilp32")],
                ids=["rv64", "rv32"])
def arch_test_elf(request, tmp_path_factory):
    from tests.conftest import require_tool
    gcc = require_tool("riscv64-unknown-elf-gcc")
    march, mabi = request.param
    d = tmp_path_factory.mktemp(march)
    src, elf = d / "test.S", d / "test.elf"
    src.write_text(ARCH_TEST)
    subprocess.run([gcc, f"-march={march}", f"-mabi={mabi}", "-static", "-mcmodel=medany", "-nostdlib",
                    "-nostartfiles", f"-I{ARCH_TEST_ENV}", "-T", str(ARCH_TEST_ENV / "link.ld"),
                    "-o", str(elf), str(src)], check=True)
    return elf


def test_signature_of_an_architectural_test(arch_test_elf, tmp_path, capfd):
    sig = tmp_path / "out.signature"
    assert main(["run", str(arch_test_elf), "--signature", str(sig)]) == 0
    assert sig.read_text() == "".join(w + "\n" for w in WORDS)
    # 8-byte granules: the second word of each pair is the high half
    sig8 = tmp_path / "out8.signature"
    assert main(["run", str(arch_test_elf), "--signature", str(sig8), "--signature-granularity", "8"]) == 0
    assert sig8.read_text().split() == [WORDS[i + 1] + WORDS[i] for i in range(0, len(WORDS), 2)]
    capfd.readouterr()


def test_a_partial_last_granule_is_padded_with_zeros(tmp_path, capfd):
    """A region of 6 bytes at granularity 4: the second line holds bytes 4-5 and two zero bytes (the
    memory after the region is not read into it), as Spike writes it."""
    src = tmp_path / "short.s"
    src.write_text("""
        .globl _start
_start: la t0, tohost
        li t1, 1
        sw t1, 0(t0)
1:      j 1b
        .data
        .balign 8
tohost: .dword 0
fromhost: .dword 0
        .globl begin_signature, end_signature
begin_signature:
        .byte 1, 2, 3, 4, 5, 6
end_signature:
        .byte 0x77, 0x88
""")
    sig = tmp_path / "short.signature"
    assert main(["run", str(src), "--signature", str(sig), "--signature-granularity", "4"]) == 0
    assert sig.read_text() == "04030201\n00000605\n"
    sig2 = tmp_path / "short2.signature"
    assert main(["run", str(src), "--signature", str(sig2), "--signature-granularity", "2"]) == 0
    assert sig2.read_text() == "0201\n0403\n0605\n"
    capfd.readouterr()


def test_no_signature_region_is_a_clear_error(tmp_path, capfd):
    src = tmp_path / "plain.s"
    src.write_text("main: li a0, 0\n ret\n")
    status = main(["run", str(src), "--signature", str(tmp_path / "x.sig")])
    err = capfd.readouterr().err
    assert status == 125
    assert "--signature: the program has no begin_signature or end_signature symbol" in err
    assert "Traceback" not in err


def test_granularity_is_checked():
    class Fake:
        symbols = {"begin_signature": 0, "end_signature": 8}
    with pytest.raises(SignatureError, match="granularity of 3 bytes"):
        signature_lines(Fake(), 3)
    with pytest.raises(SystemExit):
        main(["run", "x.s", "--signature", "x.sig", "--signature-granularity", "3"])
