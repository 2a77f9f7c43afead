"""The ML extensions' table records against riscv-opcodes (GNU as 2.40 knows none of them), and their
assembly syntax: the assembler, the disassembler and the old Zvqdotq spellings.

tests/vector_data/ml_opcodes.txt holds the riscv-opcodes lines (regenerate with
tests/vector_data/gen_ml_opcodes.py); when the riscv-opcodes checkout is present the test also reads it live.
"""
import os
import random
from pathlib import Path

import pytest

from rvsim.asm import AsmError, assemble
from rvsim.disasm import disassemble
from rvsim.isa import INSTRUCTIONS, decode

GOLDEN = Path(__file__).with_name("vector_data") / "ml_opcodes.txt"
# the reference tree lives beside the project (../shared)
LIVE = Path(os.environ.get("RVSIM_OPCODES")
            or Path(__file__).resolve().parents[2] / "shared" / "reference" / "riscv-opcodes")
ML_EXTENSIONS = ("zvfbfmin", "zvfbfwma", "zvdot4a8i", "zvt")
ML_RECORDS = [r for r in INSTRUCTIONS if r.extension in ML_EXTENSIONS]
MARCH = "rv64gcv_zvfbfwma_zvdot4a8i_zvt"


def parse_opcodes(lines, fields):
    """{name: (match, mask, field masks)} from riscv-opcodes instruction lines."""
    out = {}
    for line in lines:
        name, *tokens = line.split()
        match = mask = 0
        masks = set()
        for t in tokens:
            if "=" in t:
                rng, val = t.split("=")
                hi, _, lo = rng.partition("..")
                hi, lo = int(hi), int(lo or hi)
                width = ((1 << (hi - lo + 1)) - 1) << lo
                mask |= width
                match |= int(val, 0) << lo
            else:
                hi, lo = fields[t]
                masks.add(((1 << (hi - lo + 1)) - 1) << lo)
        out[name] = (match, mask, masks)
    return out


def read_golden(text):
    lines, fields = [], {}
    section = None
    for raw in text.splitlines():
        if raw.startswith("#"):
            section = raw[2:]
            continue
        if section == "arg_lut.csv":
            name, hi, lo = [c.strip().strip('"') for c in raw.split(",")]
            fields[name] = (int(hi), int(lo))
        elif raw.strip():
            lines.append(raw)
    return lines, fields


def read_live():
    from importlib.util import module_from_spec, spec_from_file_location
    spec = spec_from_file_location("gen", Path(__file__).with_name("vector_data") / "gen_ml_opcodes.py")
    gen = module_from_spec(spec)
    spec.loader.exec_module(gen)
    lines, fields = [], {}
    for name in gen.FILES:
        for raw in (LIVE / "extensions" / name).read_text().splitlines():
            if raw.strip() and not raw.strip().startswith(("#", "$")):
                lines.append(raw.strip())
    for row in (LIVE / "arg_lut.csv").read_text().splitlines():
        cols = [c.strip().strip('"') for c in row.split(",")]
        if len(cols) == 3:
            fields[cols[0]] = (int(cols[1]), int(cols[2]))
    return lines, fields


def check_against(opcodes):
    problems = []
    assert {r.mnemonic for r in ML_RECORDS} == set(opcodes), "record set differs from riscv-opcodes"
    for r in ML_RECORDS:
        match, mask, masks = opcodes[r.mnemonic]
        if (r.match, r.mask) != (match, mask):
            problems.append(f"{r.mnemonic}: table {r.match:08x}/{r.mask:08x}, riscv-opcodes {match:08x}/{mask:08x}")
            continue
        ours = {k.bits_mask for k in r.all_operands}
        # bits riscv-opcodes leaves unnamed (msetmtypei's immediate) are one operand of ours
        free = 0xFFFFFFFF & ~mask
        for m in masks:
            free &= ~m
        expected = masks | ({free} if free else set())
        if ours != expected:
            problems.append(f"{r.mnemonic}: operand fields {sorted(map(hex, ours))}, "
                            f"riscv-opcodes {sorted(map(hex, expected))}")
    assert not problems, "\n".join(problems)


def test_records_match_riscv_opcodes_golden():
    check_against(parse_opcodes(*read_golden(GOLDEN.read_text())))


def test_records_match_riscv_opcodes_live():
    if not (LIVE / "extensions").is_dir():
        pytest.skip(f"riscv-opcodes not found at {LIVE} (set RVSIM_OPCODES)")
    check_against(parse_opcodes(*read_live()))


def test_ml_record_counts():
    by = {e: sum(r.extension == e for r in INSTRUCTIONS) for e in ML_EXTENSIONS}
    assert by == {"zvfbfmin": 2, "zvfbfwma": 2, "zvdot4a8i": 7, "zvt": 21}


def _random_operands(r, rng):
    values = {}
    for k in r.operands:
        if k.name == "mtd8":
            values[k.name] = rng.randrange(0, 16, 2)
        elif k.name == "mtypei":
            values[k.name] = rng.randrange(32)
        elif k.name == "vm":
            values[k.name] = rng.randrange(2)
        else:
            values[k.name] = rng.randrange(32) if k.width == 5 else rng.randrange(1 << k.width)
    return values


def test_encode_disassemble_assemble_round_trip():
    """Every ML record with random operands: the word decodes to the record, its disassembly assembles
    back to the same word."""
    rng = random.Random(7)
    lines, words = [], []
    for r in ML_RECORDS:
        for _ in range(12):
            w = r.encode(_random_operands(r, rng))
            got = decode(w)
            assert got is not None and got.mnemonic == r.mnemonic, (r.mnemonic, hex(w))
            lines.append(disassemble(w).replace("\t", " "))
            words.append(w)
    text = assemble("\n".join(lines) + "\n", march=MARCH).sections
    data = next(s for s in text if s.name == ".text").data
    got = [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data), 4)]
    bad = [(line, f"{w:08x}", f"{g:08x}") for line, w, g in zip(lines, words, got) if w != g]
    assert not bad, bad[:10]


def _words(src, march=MARCH):
    data = next(s for s in assemble(src, march=march).sections if s.name == ".text").data
    return [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data), 4)]


def test_old_zvqdotq_spellings():
    old = _words("vqdot.vv v1, v2, v3\nvqdot.vx v1, v2, a0, v0.t\nvqdotu.vv v4, v8, v12\nvqdotu.vx v4, v8, t0\n"
                 "vqdotsu.vv v5, v6, v7\nvqdotsu.vx v5, v6, a7\nvqdotus.vx v9, v10, s1\n")
    new = _words("vdot4a.vv v1, v2, v3\nvdot4a.vx v1, v2, a0, v0.t\nvdot4au.vv v4, v8, v12\nvdot4au.vx v4, v8, t0\n"
                 "vdot4asu.vv v5, v6, v7\nvdot4asu.vx v5, v6, a7\nvdot4aus.vx v9, v10, s1\n")
    assert old == new
    assert disassemble(new[0]).split()[0] == "vdot4a.vv"     # the new name is displayed


def test_zvt_syntax():
    words = _words("msetmtypei e8alt, w4\nmsetmtypei e64, w1\nmsetmtype a0, a1\nvtzero mt15\nvtmms.tvv mt12, v8, v9\n"
                   "vtle64 t1, (a5)\n")
    assert [disassemble(w) for w in words] == [
        "msetmtypei\te8alt,w4", "msetmtypei\te64,w1", "msetmtype\ta0,a1", "vtzero\tmt15",
        "vtmms.tvv\tmt12,v8,v9", "vtle64\tt1,(a5)"]
    assert words[0] == 0x9841F057


@pytest.mark.parametrize("src, message", [
    ("vtmmu.tvv mt3, v8, v16", "even tiles"),
    ("vtzero v3", "matrix tile"),
    ("msetmtypei e8, w3", "widening"),
    ("msetmtypei e128, w1", "element width"),
    ("vtmmu.tvv mt4, v8", "operands"),
])
def test_zvt_syntax_errors(src, message):
    with pytest.raises(AsmError) as info:
        assemble(src + "\n", march=MARCH)
    assert message in str(info.value)


def test_ml_needs_its_extension():
    with pytest.raises(AsmError) as info:
        assemble("vdot4a.vv v1, v2, v3\n", march="rv64gcv")
    assert "ZVDOT4A8I" in str(info.value)
    with pytest.raises(AsmError):
        assemble("vfwmaccbf16.vv v2, v4, v6\n", march="rv64gcv_zvfbfmin")
    _words("vfwcvtbf16.f.f.v v2, v4\n", march="rv64gcv_zvfbfmin")
