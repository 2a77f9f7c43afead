"""Consistency of the ISA table (rvsim/isa/): field coverage, overlaps, encode/decode round trips, the
generated C decoder's freshness, agreement with GNU as (the golden corpus) and the alias rules."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.golden.corpus import corpus_files, load
from rvsim.isa import BY_MNEMONIC, INSTRUCTIONS, RECORDS, by_mnemonic, decode, instructions
from rvsim.isa.aliases import ALIASES, kind as alias_kind

ROOT = Path(__file__).resolve().parents[1]

# Encodings two records share.  Each is a compressed special case where the first record's encodings
# are a strict subset of the second's and the decoder (most specific mask first) picks the first:
#   c.nop      = c.addi with rd=0 (the rd=0 c.addi encodings are c.nop and its hints)
#   c.addi16sp = c.lui with rd=2 (sp)
#   c.jr       = c.mv with rs2=0
#   c.ebreak   = c.add with rd=0, rs2=0; c.jalr = c.add with rs2=0; c.ebreak = c.jalr with rs1=0
ALLOWED_OVERLAPS = {
    ("c.nop", "c.addi"), ("c.addi16sp", "c.lui"), ("c.jr", "c.mv"),
    ("c.ebreak", "c.jalr"), ("c.ebreak", "c.add"), ("c.jalr", "c.add"),
}


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.mnemonic + (f"@rv{r.xlen}" if r.xlen else ""))
def test_fields_cover_the_word_exactly(record):
    full = (1 << (8 * record.length)) - 1
    fields = [record.mask, record.ignored] + [k.bits_mask for k in record.all_operands]
    covered = 0
    for bits in fields:
        assert not covered & bits, f"{record.mnemonic}: overlapping fields {bits:#x}"
        covered |= bits
    assert covered == full, f"{record.mnemonic}: bits {full & ~covered:#x} not described"
    assert record.match & ~record.mask == 0
    assert (record.match & 3 == 3) == (record.length == 4)


def _overlaps(xlen=64):
    found = set()
    table = instructions(xlen)
    for i, a in enumerate(table):
        for b in table[i + 1:]:
            if a.length != b.length or (a.match ^ b.match) & a.mask & b.mask:
                continue
            if a.mask != b.mask and a.mask & b.mask == b.mask:
                found.add((a.mnemonic, b.mnemonic))       # a's encodings are a subset of b's
            elif a.mask != b.mask and a.mask & b.mask == a.mask:
                found.add((b.mnemonic, a.mnemonic))
            else:
                found.add(("ambiguous", f"{a.mnemonic}/{b.mnemonic}"))
    return found


@pytest.mark.parametrize("xlen", [64, 32])
def test_overlaps_are_only_the_documented_compressed_special_cases(xlen):
    # each XLEN's view is unambiguous: c.jal and c.addiw share 0x2001, but never on one machine
    assert _overlaps(xlen) == ALLOWED_OVERLAPS


@pytest.mark.parametrize("xlen", [64, 32])
def test_decoder_prefers_the_more_specific_record(xlen):
    for specific, general in ALLOWED_OVERLAPS:
        r = by_mnemonic(xlen)[specific]
        word = r.match
        for k in r.all_operands:               # smallest legal operand values
            lo, _ = k.value_range()
            v = lo if not (k.nonzero or k.reserved_zero) or lo else k.scale
            word |= k.insert(v)
        assert decode(word, xlen=xlen) is r, (specific, general)


@st.composite
def record_and_values(draw):
    record = draw(st.sampled_from(INSTRUCTIONS))
    values = {}
    for k in record.all_operands:
        lo, hi = k.value_range()
        step = max(k.scale, 1 << min(s[2] for s in k.slices))
        v = draw(st.integers(-(-lo // step), hi // step)) * step
        if (k.nonzero or k.reserved_zero) and v == 0 or v == k.not_value:
            # zero (or the excluded value) belongs to a hint, a reserved encoding or another record
            v = step if step <= hi and step != k.not_value else hi
        values[k.name] = v
    return record, values


@settings(max_examples=400, deadline=None)
@given(record_and_values())
def test_decode_of_encode_round_trips(rv):
    record, values = rv
    for k in record.all_operands:
        assert k.fits(values[k.name]), (record.mnemonic, k.name, values[k.name])
    word = record.encode(values)
    assert decode(word) is record, f"{word:#x} decodes as {decode(word)} not {record.mnemonic}"
    assert record.decode_operands(word) == values


def test_generated_c_decoder_is_fresh():
    # the documented command line (tests/test_generated_files.py calls main() in-process)
    proc = subprocess.run([sys.executable, "-m", "rvsim.isa.gen_c", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# GNU as is the oracle for encodings: every instruction line of the corpus must decode to the record
# it names, with the extension of its file, and re-encode to the same word.
INSTRUCTION_FILES = [p for p in corpus_files()
                     if p.stem not in ("encodings_pseudo", "encodings_sequences", "encodings_words",
                                       "encodings_csrs")]


@pytest.mark.parametrize("path", INSTRUCTION_FILES, ids=lambda p: p.name)
def test_table_encodes_like_gnu_as(path):
    ext = path.stem[len("encodings_"):].replace("_", "+")
    problems = []
    for line in load(path):
        assert len(line.words) == 1, line.id
        word = int(line.words[0], 16)
        mnemonic = line.source.split()[0]
        for suffix in (".aqrl", ".aq", ".rl"):
            mnemonic = mnemonic.removesuffix(suffix)
        record = decode(word)
        if record is None or record.mnemonic != mnemonic or record.extension != ext:
            problems.append(f"{line.id}: {line.source!r} -> {word:#x} decodes as "
                            f"{record.mnemonic if record else None}")
        elif record.encode(record.decode_operands(word)) != word:
            problems.append(f"{line.id}: {word:#x} does not re-encode")
    assert not problems, "\n".join(problems[:30])


def test_csr_corpus_encodes_csr_numbers():
    (path,) = [p for p in corpus_files() if p.stem == "encodings_csrs"]
    lines = load(path)
    assert len(lines) == 4096
    for n, line in enumerate(lines):
        word = int(line.words[0], 16)
        assert decode(word) is BY_MNEMONIC["csrrs"] and word >> 20 == n, line.id


@pytest.mark.parametrize("rule", ALIASES, ids=lambda r: f"{r.mnemonic}<{r.insn}")
def test_alias_rule_determines_every_operand(rule):
    record = BY_MNEMONIC.get(rule.insn) or by_mnemonic(32)[rule.insn]
    for name in list(rule.tokens) + [c.kind for c in rule.when] + [c.other for c in rule.when if c.other]:
        if name in ",()":
            continue
        assert alias_kind(name) is not None or name in ("sp", "zero"), f"{rule}: unknown kind {name}"
    if not rule.asm:
        return
    # An assembler reading the spelling must learn every operand: written, fixed, or equal to a written one.
    written = set(rule.operand_names)
    fixed = {c.kind for c in rule.when if c.op == "=" and (c.other is None or c.other in written)}
    hidden = {k.name for k in record.hidden}
    missing = [k.name for k in record.operands if k.name not in written | fixed | hidden]
    assert not missing, f"{rule.mnemonic} ({rule.insn}) leaves {missing} undetermined"
