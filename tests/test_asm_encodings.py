"""rvsim's assembler against GNU as: committed golden files (always) and live random comparisons
(when riscv64-unknown-elf-as is installed).

Golden files in tests/asm_corpus/ are produced by GNU as 2.40; regenerate with
``python tests/asm_corpus/asmgen.py``.
"""
from __future__ import annotations

import glob
import os
import random
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "asm_corpus"))

import asmgen  # noqa: E402
from rvsim.isa import INSTRUCTIONS  # noqa: E402

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

CORPUS = os.path.join(HERE, "asm_corpus")
MARCH = asmgen.GNU_MARCH
needs_gnu = pytest.mark.skipif(asmgen.GNU_AS is None or asmgen.GNU_OBJCOPY is None,
                               reason="riscv64-unknown-elf-as/objcopy not installed: live GNU comparison skipped")


def _hex_le(word_hex: str) -> str:
    return int(word_hex, 16).to_bytes(len(word_hex) // 2, "little").hex()


# ------------------------------------------------------------------------------------------------ golden

def test_golden_encodings_cover_every_gnu_record():
    rows = asmgen.read_golden(os.path.join(CORPUS, "golden_encodings.tsv"))
    seen = {src.split()[0].split(".aq")[0].split(".rl")[0] for src, _ in rows}
    missing = [r.mnemonic for r in INSTRUCTIONS if asmgen.gnu_supported(r) and r.mnemonic not in seen]
    assert not missing


def test_golden_encodings():
    rows = asmgen.read_golden(os.path.join(CORPUS, "golden_encodings.tsv"))
    base = [(s, w) for s, w in rows if len(w) == 8]
    comp = [(s, w) for s, w in rows if len(w) == 4]
    for group, prelude in ((base, ".option norvc\n"), (comp, ".option rvc\n")):
        got = asmgen.rvsim_assemble_lines([s for s, _ in group], prelude)
        bad = [(s, g.hex(), _hex_le(w)) for (s, w), g in zip(group, got) if g.hex() != _hex_le(w)]
        assert not bad, bad[:10]
    assert len(rows) > 3000


@pytest.mark.parametrize("name,prelude", [("golden_li.tsv", ".option rvc\n"),
                                          ("golden_li_norvc.tsv", ".option norvc\n"),
                                          ("golden_compress.tsv", ".option rvc\n"),
                                          ("golden_pseudo.tsv", ".option rvc\n")])
def test_golden_lines(name, prelude):
    rows = asmgen.read_golden(os.path.join(CORPUS, name))
    got = asmgen.rvsim_assemble_lines([s for s, _ in rows], prelude)
    bad = [(s, g.hex(), want) for (s, want), g in zip(rows, got) if g.hex() != want]
    assert not bad, bad[:10]


def _disassembler_corpus():
    return sorted(glob.glob(os.path.join(HERE, "golden", "encodings_*.tsv")))


def _corpus_mode(line) -> str:
    """The .option the corpus generator used: rvc for lines that produced 16-bit instructions."""
    if line.source.lstrip().startswith((".word", ".hword")) or ".option" in line.source:
        return "norvc"
    return "rvc" if any(len(w) == 4 for w in line.words) else "norvc"


@pytest.mark.skipif(not _disassembler_corpus(), reason="tests/golden/encodings_*.tsv (the disassembler's "
                    "binutils corpus) not present")
def test_disassembler_corpus_words():
    """Every line of the binutils corpus (source, words, objdump, objdump_no_aliases) assembles to its words."""
    from tests.golden.corpus import load_all
    lines = load_all()
    wrapped = [f".option push\n.option {_corpus_mode(l)}\n{l.source}\n.option pop" for l in lines]
    got = asmgen.rvsim_assemble_lines(wrapped, "", march="rv64gcv_zba_zbb_zbc_zbs_zfh_zfhmin")
    bad = [(l.id, l.source, g.hex(), l.data.hex()) for l, g in zip(lines, got) if g != l.data]
    assert len(lines) > 1000
    assert not bad, f"{len(bad)}/{len(lines)} differ: {bad[:10]}"


# ------------------------------------------------------------------------------------------------ live

GNU_RECORDS = asmgen.table_records()


@needs_gnu
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_live_every_record_random_operands(seed):
    """Random operands for every GNU-supported table record: rvsim gives GNU's bytes line by line."""
    rng = random.Random(seed)
    base = [asmgen.random_line(rng, r) for r in GNU_RECORDS if r.length == 4 for _ in range(2)]
    comp = [asmgen.random_line(rng, r) for r in GNU_RECORDS if r.length == 2 for _ in range(2)]
    for lines, prelude in ((base, ".option norvc\n"), (comp, ".option rvc\n")):
        want = asmgen.gnu_assemble_lines(lines, prelude)
        got = asmgen.rvsim_assemble_lines(lines, prelude)
        bad = [(l, g.hex(), w.hex()) for l, g, w in zip(lines, got, want) if g != w]
        assert not bad, bad[:10]


@needs_gnu
@settings(max_examples=10, deadline=None)
@given(values=st.lists(st.integers(-2**63, 2**64 - 1), min_size=200, max_size=200), rvc=st.booleans())
def test_live_li_constants(values, rvc):
    """li of hypothesis 64-bit constants: the same instruction sequence as GNU as."""
    regs = ["a0", "s1", "t6", "sp", "zero"]
    lines = [f"li {regs[i % 5]}, {v:#x}" if i % 2 else f"li {regs[i % 5]}, {v}" for i, v in enumerate(values)]
    prelude = ".option rvc\n" if rvc else ".option norvc\n"
    want = asmgen.gnu_assemble_lines(lines, prelude)
    got = asmgen.rvsim_assemble_lines(lines, prelude)
    assert [(l, g.hex()) for l, g in zip(lines, got)] == [(l, w.hex()) for l, w in zip(lines, want)]


@needs_gnu
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_live_compression_choice(seed):
    lines = asmgen.compress_lines(random.Random(seed), 400)
    want = asmgen.gnu_assemble_lines(lines, ".option rvc\n")
    got = asmgen.rvsim_assemble_lines(lines, ".option rvc\n")
    bad = [(l, g.hex(), w.hex()) for l, g, w in zip(lines, got, want) if g != w]
    assert not bad, bad[:10]


def test_li_sequences_compute_their_constant():
    """Independent of GNU: simulating each li expansion gives the constant (all 64-bit patterns)."""
    from rvsim.asm.pseudo import li_sequence
    rng = random.Random(3)
    mask = 2**64 - 1

    def sx(v, b):
        v &= (1 << b) - 1
        return v - (1 << b) if v >> (b - 1) else v
    for _ in range(3000):
        v = asmgen.random_constant(rng)
        reg = 0
        for mn, ops in li_sequence(10, v):
            src = 0 if ops.get("rs1", 10) == 0 else reg
            if mn == "lui":
                reg = sx(ops["imm_u"] << 12, 32)
            elif mn == "addiw":
                reg = sx(src + ops["imm_i"], 32)
            elif mn == "addi":
                reg = (src + ops["imm_i"]) & mask
            elif mn == "slli":
                reg = (reg << ops["shamt6"]) & mask
        assert reg & mask == v & mask, hex(v)
        assert len(li_sequence(10, v)) <= 8
