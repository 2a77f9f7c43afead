"""The V extension's table records against GNU as 2.40.

The golden file (tests/vector_data/table_golden.tsv, written by gen_table_golden.py from GNU as output)
holds random operand sets for every vector record with the word GNU as assembled; the table must encode
and decode them identically.  When GNU as is installed the golden lines are also re-assembled live.
"""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rvsim.isa import BY_MNEMONIC, INSTRUCTIONS, decode

DATA = Path(__file__).with_name("vector_data")
GOLDEN = DATA / "table_golden.tsv"


def _rows():
    return [line.split("\t") for line in GOLDEN.read_text().splitlines()]


def test_every_vector_record_is_in_the_golden_file():
    covered = {r[0] for r in _rows()}
    vector = {r.mnemonic for r in INSTRUCTIONS if "v" in r.extensions}
    assert vector == covered
    assert len(vector) == 627


def test_golden_encodings_and_decodings():
    bad = []
    for mn, vals, text, word, _dis in _rows():
        insn, values, w = BY_MNEMONIC[mn], json.loads(vals), int(word, 16)
        if insn.encode(values) != w:
            bad.append(f"{text}: encodes {insn.encode(values):08x}, GNU as {w:08x}")
        got = decode(w)
        if got is None or got.mnemonic != mn or got.decode_operands(w) != values:
            bad.append(f"{text}: {w:08x} decodes as {got and got.mnemonic}")
    assert not bad, "\n".join(bad[:20])


def test_objdump_prints_the_same_mnemonic():
    # the disassembler's reference text: GNU objdump names each word with the record's mnemonic
    bad = [(text, dis) for _mn, _v, text, _w, dis in _rows() if dis.split()[0] != text.split()[0]]
    assert not bad, bad[:10]


@pytest.mark.skipif(not shutil.which("riscv64-unknown-elf-as"), reason="GNU as (riscv64-unknown-elf-as) not installed")
def test_live_gnu_as(tmp_path):
    rows = _rows()
    src = tmp_path / "t.s"
    src.write_text(".option norvc\n" + "\n".join(r[2] for r in rows) + "\n")
    subprocess.run(["riscv64-unknown-elf-as", "-march=rv64gcv", "-o", str(tmp_path / "t.o"), str(src)],
                   check=True)
    subprocess.run(["riscv64-unknown-elf-objcopy", "-O", "binary", "-j", ".text", str(tmp_path / "t.o"),
                    str(tmp_path / "t.bin")], check=True)
    data = (tmp_path / "t.bin").read_bytes()
    words = [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data), 4)]
    assert len(words) == len(rows)
    bad = [(r[2], f"{w:08x}", r[3]) for r, w in zip(rows, words) if f"{w:08x}" != r[3]]
    assert not bad, bad[:10]
