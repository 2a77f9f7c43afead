#!/usr/bin/env python3
"""Regenerate the golden encoding corpus (tests/golden/*.tsv) with GNU binutils.

Run from the repository root:  python tests/golden/make_corpus.py
Needs riscv64-unknown-elf-as / objcopy / objdump on PATH (the checked-in files were made with 2.40).
Standard library only; deterministic (every random choice comes from a Random seeded with SEED and the
instruction's mnemonic, so adding records to the ISA table does not change the lines of other records).

What is generated
-----------------
* ``encodings_<ext>.tsv``: for every table record whose extensions GNU as knows, several lines with
  random valid operands (registers biased towards x0/ra/sp and repeats, edge and random immediates,
  every rounding mode and none, CSR names and numbers, fence sets, .aq/.rl suffixes, compressed
  instructions by their explicit c.* mnemonics).  ``<ext>`` is the record's extension with ``+`` -> ``_``.
* ``encodings_pseudo.tsv``: pseudo-instructions GNU accepts (li with awkward 64-bit constants, mv, not,
  neg, beqz..., j, ret, call/tail to a local label, fmv/fabs/fneg, csr and fp-csr shorthands, rdcycle...).
* ``encodings_sequences.tsv``: short instruction sequences (``;``-separated statements) that exercise
  objdump's ``# address`` comments (lui/auipc followed by addi, loads, stores, jalr).
* ``encodings_words.tsv``: raw ``.word``/``.hword`` values: random words of every record with any field
  values (hints, reserved rounding modes, odd fence sets...) and words that are illegal to objdump.
* ``encodings_csrs.tsv``: ``csrrs a0,<n>,a1`` for every CSR number 0..4095 (objdump's CSR names).

How it is assembled and disassembled
------------------------------------
Each line goes into its own section (``.text.<n>``, preceded by a ``.text.<n>.reset`` section that
clears objdump's memory of lui/auipc results, so no line depends on the ones before) and is wrapped in
``.option push`` / ``.option norvc`` (32-bit lines) or ``.option rvc`` (c.* lines) / ``.option pop`` so GNU as does not compress 32-bit
instructions (push/pop also keeps the object's arch attribute, which objdump reads, at the full -march).
The object is assembled with ``-mno-relax`` and linked with ``ld --no-relax`` and a linker script that puts
every section at pc 0x80000000 (overlapping, ``--no-check-sections``), so relocations against local labels
(call, tail, lla) are resolved and every line starts at a known pc.  The executable is stripped of all
symbols with ``objcopy --strip-all`` (no mapping symbols, so ``.word`` data is disassembled as code, and no
labels, so objdump prints branch targets and address comments as plain ``0x...`` addresses, which is what
rvsim's disassembler prints) and disassembled with ``objdump -d -z`` with and without ``-M no-aliases``.

File format
-----------
``#`` lines are comments.  Other lines have four tab-separated fields:
``source<TAB>words<TAB>objdump<TAB>objdump_no_aliases``.  ``words`` are objdump's hex encoding column, one
group per instruction (4 digits = 16-bit parcel, 8 digits = 32-bit word; values, not byte order).  The two
text fields are objdump's instruction text exactly (``mnemonic<TAB>operands``) with a tab written as
``\\t`` and a backslash as ``\\\\``; a line that produced several instructions joins their texts with
`` ; ``.  Lines GNU as rejected are left out (reported on stderr when the script runs).
"""
from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rvsim.isa import INSTRUCTIONS  # noqa: E402
from rvsim.isa.operands import (AQRL, CSR, FENCE, FREG, IMM, PCREL, RM, UIMM, VM, VREG,  # noqa: E402
                                VTYPEI, XREG)

OUT_DIR = Path(__file__).resolve().parent
SEED = 20240601
BASE_PC = 0x80000000
LINES_PER_RECORD = 14
WORDS_PER_RECORD = 6

AS = "riscv64-unknown-elf-as"
OBJCOPY = "riscv64-unknown-elf-objcopy"
OBJDUMP = "riscv64-unknown-elf-objdump"
LD = "riscv64-unknown-elf-ld"

# Table extensions GNU as 2.40 knows ("priv" is not an ISA-string extension but mret/wfi are base
# privileged instructions every RISC-V assembler knows).  2.40 rejects zfbfmin, zvfh, zvfhmin, zvfbfmin,
# zvfbfwma and the ML extensions.
GNU_EXTENSIONS = frozenset({"i", "m", "a", "f", "d", "c", "zicsr", "zifencei", "priv", "zba", "zbb", "zbs", "zbc",
                            "zfh", "zfhmin", "v"})

# What the live word tests compare: objdump without V (see AS_FLAGS_SCALAR); vector words are checked by
# the encodings_v.tsv corpus.
GNU_SCALAR_EXTENSIONS = GNU_EXTENSIONS - {"v"}

XREG_ABI = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1"] + [f"a{i}" for i in range(8)] + \
    [f"s{i}" for i in range(2, 12)] + [f"t{i}" for i in range(3, 7)]
FREG_ABI = [f"ft{i}" for i in range(8)] + ["fs0", "fs1"] + [f"fa{i}" for i in range(8)] + \
    [f"fs{i}" for i in range(2, 12)] + [f"ft{i}" for i in range(8, 12)]
ROUNDING = ["rne", "rtz", "rdn", "rup", "rmm", None, None, "dyn"]   # None: written without an rm operand

# The 20-bit upper-immediate spelling GNU uses for c.lui (1..31 or 0xfffe0..0xfffff).
GNU_UPPER_IMMEDIATE_KINDS = {"c_nzimm18"}


def gnu_knows(record) -> bool:
    return all(e in GNU_EXTENSIONS for e in record.extensions)


def march(vector: bool = True) -> str:
    exts = {e for r in INSTRUCTIONS if gnu_knows(r) for e in r.extensions}
    if not vector:
        exts.discard("v")
    single = "".join(ch for ch in "imafdqcv" if ch in exts)
    multi = [e for e in ("zicsr", "zifencei", "zba", "zbb", "zbc", "zbs", "zfh", "zfhmin") if e in exts]
    return "rv64" + single + "".join("_" + m for m in multi)


# Privileged spec 1.12: the CSR names objdump uses when an object has no priv-spec attribute (GNU as only
# records one when the source uses a CSR), so every file sees the same names.
AS_FLAGS = [f"-march={march()}", "-mpriv-spec=1.12", "-mno-relax"]
# Everything but the vector file is made without V: objdump 2.40 with V enabled prints some illegal
# words as the `vmsge.vx` macro (a binutils quirk no disassembler should copy).
AS_FLAGS_SCALAR = [f"-march={march(vector=False)}", "-mpriv-spec=1.12", "-mno-relax"]


def as_flags(tag: str) -> list[str]:
    return AS_FLAGS if tag in ("ext_v", "encodings_v.tsv") else AS_FLAGS_SCALAR


# ---------------------------------------------------------------------------------------------------
# Random operands


def pick_value(kind, rng: random.Random, previous: list[int]) -> int:
    """A value ``kind`` accepts in assembly, biased towards edges and the values aliases look for."""
    lo, hi = kind.value_range()
    step = max(kind.scale, 1 << min(s[2] for s in kind.slices))
    if kind.role in (XREG, FREG, VREG):
        pool = [lo, lo + 1, lo + 2] if lo == 0 else [lo, lo + 1, hi]
        choices = []
        if previous and rng.random() < 0.3:
            choices = [rng.choice(previous)]
        elif rng.random() < 0.35:
            choices = [rng.choice(pool)]
        candidates = choices + [rng.randint(lo, hi) for _ in range(20)]
    else:
        edges = [lo, hi, 0, step, -step, 2 * step, hi - step, lo + step]
        if kind.role in (IMM, UIMM) and kind.width >= 8:
            edges += [255, 2047, -2048, 1]
        candidates = ([rng.choice(edges)] if rng.random() < 0.45 else []) + \
            [rng.randint(lo // step, hi // step) * step for _ in range(20)]
    for v in candidates:
        if not lo <= v <= hi or not kind.fits(v):
            continue
        if (kind.nonzero or kind.reserved_zero or kind.role == FENCE) and v == 0:
            continue
        if kind.not_value is not None and v == kind.not_value:
            continue
        return v
    raise RuntimeError(f"no value found for operand kind {kind.name}")


def operand_text(kind, value: int, rng: random.Random) -> str:
    role = kind.role
    if role == XREG:
        return XREG_ABI[value] if rng.random() < 0.8 else f"x{value}"
    if role == FREG:
        return FREG_ABI[value] if rng.random() < 0.8 else f"f{value}"
    if role == VREG:
        return f"v{value}"
    if role == PCREL:
        return f".{value:+d}"
    if kind.name in GNU_UPPER_IMMEDIATE_KINDS:
        return hex(value & 0xFFFFF)
    if role in (IMM, UIMM):
        if value >= 0 and rng.random() < 0.25:
            return hex(value)
        return str(value)
    if role == FENCE:
        return "".join(ch for bit, ch in zip((8, 4, 2, 1), "iorw") if value & bit)
    if role == CSR:
        return str(value)          # names are substituted by the caller
    raise ValueError(f"no assembly spelling for operand kind {kind.name} (role {role})")


def instruction_line(record, rng: random.Random, csr_names: dict[int, str]) -> str:
    """One assembly line for ``record`` with random operands, written the way GNU as reads it."""
    values: dict[str, int] = {}
    by_role: dict[str, list[int]] = {}
    mnemonic = record.mnemonic
    for kind in record.hidden:
        if kind.role == AQRL:
            mnemonic += rng.choice(["", "", ".aq", ".rl", ".aqrl"])
    operands = []
    for tok in record.tokens:
        if tok in (",", "(", ")"):
            operands.append(tok)
            continue
        kind = next((k for k in record.operands if k.name == tok), None)
        if kind is None:
            operands.append(tok)             # a literal register such as sp
            continue
        if kind.role == RM:
            rm = rng.choice(ROUNDING)
            if rm is None:
                if operands and operands[-1] == ",":
                    operands.pop()
            else:
                operands.append(rm)
            continue
        if kind.role == VM:
            if rng.random() < 0.5:
                operands.append("v0.t")
            elif operands and operands[-1] == ",":
                operands.pop()
            continue
        if kind.role == VTYPEI:
            operands.append(",".join([rng.choice(["e8", "e16", "e32", "e64"]),
                                      rng.choice(["m1", "m2", "m4", "m8", "mf2", "mf4", "mf8"]),
                                      rng.choice(["ta", "tu"]), rng.choice(["ma", "mu"])]))
            continue
        if kind.role == CSR:
            if rng.random() < 0.12:
                v = rng.randrange(4096)
            else:
                v = rng.choice(sorted(csr_names))
            values[kind.name] = v
            operands.append(csr_names[v] if v in csr_names and rng.random() < 0.7
                            else rng.choice([str(v), hex(v)]))
            continue
        prev = by_role.setdefault(kind.role, [])
        v = pick_value(kind, rng, prev)
        prev.append(v)
        values[kind.name] = v
        operands.append(operand_text(kind, v, rng))
    text = "".join(operands)
    text = text.replace(",", ", ") if rng.random() < 0.5 else text
    return mnemonic + (" " + text if text else "")


def random_word(record, rng: random.Random) -> int:
    """An encoding of ``record`` with arbitrary operand and ignored-bit values, edges favoured."""
    word = record.match
    for kind in record.all_operands:
        nbits = bin(kind.bits_mask).count("1")
        r = rng.random()
        raw = 0 if r < 0.2 else (1 << nbits) - 1 if r < 0.3 else 1 if r < 0.4 else rng.getrandbits(nbits)
        bits = 0
        pos = 0
        for bit in range(32):
            if kind.bits_mask >> bit & 1:
                bits |= (raw >> pos & 1) << bit
                pos += 1
        word |= bits
    if record.ignored and rng.random() < 0.5:
        word |= rng.getrandbits(32) & record.ignored
    return word


# ---------------------------------------------------------------------------------------------------
# Hand-written lines

LI_CONSTANTS = [
    0, 1, -1, 2047, -2048, 2048, -2049, 4095, 4096, 0x7FF, 0x800, 0xFFF, 0x1000, 0x12345, -0x12345,
    0x7FFFF000, 0x7FFFF7FF, 0x7FFFF800, 0x7FFFFFFF, -0x80000000, 0x80000000, 0xFFFFFFFF, 0x100000000,
    0x7FFFFFFFFFFFFFFF, -0x8000000000000000, 0xFFFFFFFF00000000, 0x123456789ABCDEF0, 0xFEDCBA9876543210,
    0x8000000000000001, 0x00000FFFFFFFF000, 0x7FF0000000000000, 0x0000000100000001, 0x5555555555555555,
    0xAAAAAAAAAAAAAAAA, 0xDEADBEEFCAFEBABE, 0x00FF00FF00FF00FF, 0x1_0000_0800, 0xFFFF_FFFF_FFFF_F800,
    0x8000_0000_0000_0800, 0x0000_7FFF_FFFF_F800, 1 << 63 | 1 << 11, 0x3FF << 32,
]

PSEUDO_LINES = [
    "nop", "mv a0, a1", "mv s0, zero", "not a0, a1", "neg a0, a1", "negw a0, a1", "sext.w a0, a1",
    "sext.w t6, t6", "seqz a0, a1", "snez a0, a1", "sltz a0, a1", "sgtz a0, a1",
    "beqz a0, .+16", "bnez a1, .-16", "blez a2, .+4094", "bgez a3, .-4096", "bltz a4, .+2",
    "bgtz a5, .+0", "bgt a0, a1, .+8", "ble a0, a1, .-8", "bgtu a0, a1, .+12", "bleu a0, a1, .-12",
    "j .+8", "j .-1048576", "j .+1048574", "jal .+8", "jal .-8", "jr a0", "jr ra", "jalr a0", "jalr t1",
    "ret", "fence", "fence.tso", "unimp", "ecall", "ebreak",
    "1: call 1b", "1: tail 1b", "call 1f; 1: nop", "tail 1f; nop; 1: nop",
    "fmv.s fa0, fa1", "fabs.s fa0, fa1", "fneg.s fa0, fa1", "fmv.d fs0, ft11", "fabs.d fa0, fa1",
    "fneg.d fa0, fa1", "fmv.h fa0, fa1", "fabs.h fa0, fa1", "fneg.h fa0, fa1",
    "fmv.x.s a0, fa0", "fmv.s.x fa0, a0",
    "csrr a0, mstatus", "csrr t0, 0x7c0", "csrw mtvec, a0", "csrs mie, a1", "csrc mip, a2",
    "csrwi mscratch, 5", "csrsi mstatus, 8", "csrci mstatus, 31", "csrw 0x800, t1",
    "frcsr a0", "fscsr a1", "fscsr a0, a1", "frrm a2", "fsrm a3", "fsrm a3, a4", "fsrmi 3", "fsrmi a0, 4",
    "frflags a4", "fsflags a5", "fsflags a0, a5", "fsflagsi 31", "fsflagsi a0, 1",
    "rdcycle a0", "rdtime a1", "rdinstret a2",
    "zext.b a0, a1", "zext.h a0, a1", "zext.w a0, a1", "sext.b a0, a1", "sext.h a0, a1",
    "lla a0, 1f; 1: nop", "1: lla a0, 1b", "la a0, 1f; 1: nop",
    "lb a0, 1f; 1: nop", "lw a0, 1f; 1: nop", "ld a0, 1f; 1: nop", "sw a0, 1f, t0; 1: nop",
    "flw fa0, 1f, t0; 1: nop", "fsd fa0, 1f, t0; 1: nop",
    "jump 1f, t0; 1: nop", "lui a0, %hi(0x12345678)", "addi a0, a0, %lo(0x12345678)",
    "addi a0, a1, 0", "addi a0, zero, 7", "addiw a0, a1, 0", "jalr zero, 0(ra)", "jalr ra, 0(a0)",
    "jal zero, .+8", "jal ra, .+8", "xori a0, a1, -1", "sub a0, zero, a1", "subw a0, zero, a1",
    "sltiu a0, a1, 1", "sltu a0, zero, a1", "slt a0, a1, zero", "slt a0, zero, a1",
    "andi a0, a1, 255", "add.uw a0, a1, zero",
    "fsgnj.s fa0, fa1, fa1", "fsgnjx.d fa0, fa1, fa1", "fsgnjn.h fa0, fa1, fa1",
    "csrrs a0, fflags, zero", "csrrw zero, frm, a0", "csrrw a1, fcsr, a0", "csrrwi zero, frm, 2",
    "csrrs a0, cycle, zero", "csrrs a0, time, zero", "csrrs a0, instret, zero",
    "csrrs a0, cycleh, zero", "csrrs a0, 0xc03, zero",
    "addi a0, a0, 1", "addi sp, sp, -16", "addi sp, sp, 16", "addi a0, sp, 8", "add a0, a0, a1",
    "add a0, zero, a1", "li a0, 5",
]

# Sequences for objdump's address comments (a register known from lui/auipc, then used as a base).
SEQUENCES = [
    "lui a0, 0x12345; addi a0, a0, 0x678",
    "lui a0, 0x12345; addi a1, a0, -1; addi a2, a0, 8",
    "lui a0, 0x80000; addiw a0, a0, -1",
    "lui a0, 0x80000; addi a0, a0, -1",
    "lui a0, 0xfffff; addiw a1, a0, 2047",
    "auipc t0, 0; jalr ra, 8(t0)",
    "auipc t0, 0xfffff; jalr t0",
    "auipc t0, 1; jr t0",
    "auipc a5, 0; ld a4, 16(a5)",
    "auipc a5, 0x10; lw a4, -16(a5)",
    "auipc a5, 0; flw fa4, 12(a5)",
    "auipc a5, 0; fld fa4, 12(a5)",
    "auipc a5, 0; sd a4, 16(a5)",
    "auipc a5, 0; fsw fa4, -4(a5)",
    "lui a1, 2; lbu a0, 7(a1)",
    "lui a1, 3; add a1, a1, a2; addi a3, a1, 4",
    "lui a1, 3; addi a1, a1, 0",
    "lui a1, 3; addiw a1, a1, 0",
    "lui a1, 3; sext.w a2, a1; addi a3, a1, 1",
    "lui a1, 3; mv a2, a1; addi a3, a1, 1",
    "lui a1, 4; jalr a1",
    "lui a1, 4; jalr zero, 0(a1)",
    "lui a1, 4; jalr ra, -4(a1)",
    "lui zero, 4; jalr ra, 16(zero)",
    "ld a2, 8(tp)", "ld a2, 8(zero)", "sd a2, -8(zero)", "ld a2, 8(gp)", "addi a2, tp, 5",
    "addi a2, zero, 5", "jalr ra, 16(zero)", "jalr ra, -16(tp)", "lw a0, 2047(tp)", "lw a0, -2048(zero)",
    "addiw a0, tp, 3", "addiw a0, zero, 3", "lui tp, 3; jalr ra, 4(tp)", "lui tp, 3; ld a0, 4(tp)",
    "lui a0, 0x80000; .option rvc; c.addiw a0, -1", "lui a0, 0x7ffff; .option rvc; c.addi a0, 31",
    "lui ra, 1; .option rvc; c.addi ra, 1", "ld a0, -1(zero)", "lui a0, 1; ld a1, -1(a0)",
    ".option rvc; c.lui a0, 2; c.addi a0, 4",
    ".option rvc; c.lui a0, 0xfffe0; c.addiw a0, -1",
    ".option rvc; c.lui a1, 1; c.ld a2, 8(a1)",
    ".option rvc; c.lui a1, 1; c.sd a2, 8(a1)",
    ".option rvc; c.lui a1, 1; c.jr a1",
    ".option rvc; c.lui a1, 1; c.jalr a1",
    ".option rvc; c.lui a1, 1; c.li a1, 3; c.addi a1, 1",
    ".option rvc; c.lui a1, 1; c.mv a2, a1; c.addi a1, 1",
    "lui sp, 3; .option rvc; c.addi16sp sp, 16; c.addi4spn a0, sp, 16; .option norvc; addi a0, sp, 16",
    "lui sp, 3; .option rvc; c.ldsp a0, 8(sp); c.sdsp a0, 8(sp); .option norvc; ld a0, 8(sp)",
    "lui a0, 1; lui a0, 2; addi a1, a0, 3",
    "auipc a0, 0; lui a0, 2; addi a1, a0, 3",
    "lui a0, 1; csrrs a1, mstatus, a0; addi a1, a0, 4",
    "lui a0, 1; beq a0, a0, .+8; addi a1, a0, 4",
]

# Words objdump considers illegal or treats specially (reserved encodings, hints, long formats).
SPECIAL_WORDS_16 = [0x0000, 0x0001, 0x0005, 0x0041, 0x0004, 0x4002, 0x6002, 0x8002, 0x2001, 0x6581,
                    0x6101, 0x6105, 0x8000, 0x9c41, 0x9c61, 0x9c01, 0x4001, 0x4005, 0x0002, 0x0502,
                    0x1002, 0x8006, 0x9002, 0xa002, 0x0082, 0x0402, 0x2002, 0xe002, 0x6001, 0x6081,
                    0x0501, 0x1501, 0x7001, 0x7fff, 0xffff, 0x9d02, 0x9d7d, 0x8082, 0x1081, 0x8001,
                    0x8401, 0x8801, 0x9001, 0x9401, 0x9801, 0xc002, 0x6000, 0xe000]
SPECIAL_WORDS_32 = [0x0000000B, 0x0000002B, 0x0000005B, 0x0000007B, 0x00004073, 0xC0001073, 0x8330000F,
                    0x0100000F, 0x0000000F, 0x00F0000F, 0x0F00000F, 0x8FF0000F, 0x0000500F, 0x0000100F,
                    0xFFFFF00F, 0x00000013, 0x00000073, 0x00100073, 0x30200073, 0x10500073, 0xFFFFFFFF,
                    0x00007003, 0x00007023, 0x00004027, 0x0000702F, 0x1800302F, 0x0010302F, 0x42058553,
                    0x42059553, 0x4205F553, 0x4205D553, 0x42158553, 0x4015F553, 0xD2057553, 0x0205D553,
                    0x0205E553, 0xE0051553, 0xE0052553, 0x06000033, 0x0A000033, 0x60801013, 0x60601013,
                    0x48001013, 0x08001013, 0x00002063, 0x00003063, 0x0000206F, 0x02001013,
                    0x0200101B, 0x0200501B, 0x4200501B, 0x6B805013, 0x28705013, 0x0805C53B, 0x0805C533,
                    0x0805453B, 0x08004033]
SPECIAL_WORDS_LONG = [(0x1234501F, 0x6789), (0x1234503F, 0x89ABCDEF), (0x0000001F, 0x0001),
                      (0x0000003F, 0x10000001)]


# ---------------------------------------------------------------------------------------------------
# Running binutils

# objdump remembers lui/auipc results per register across sections until an offset from that register
# is printed.  A reset section before every line uses each register as a base once, so no line's
# address comments depend on the lines before it.
RESET = "\n".join([".option push", ".option norvc"] + [f"ld zero, 0(x{r})" for r in range(32)] +
                   [".option pop"])


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t")


_INSN_LINE = re.compile(r"^\s*([0-9a-f]+):\t((?:[0-9a-f]+ ?)+)\s*\t(.*)$")
_SECTION = re.compile(r"^Disassembly of section (\S+):")
_LINE_SECTION = re.compile(r"^\.text\.(\d+)$")
_ERROR = re.compile(r":(\d+): Error: (.*)")


def _objdump(obj: Path, options: list[str]) -> dict[int, list[tuple[str, str]]]:
    out = subprocess.run([OBJDUMP, "-d", "-z", *options, str(obj)],
                         check=True, capture_output=True, text=True).stdout
    sections: dict[int, list[tuple[str, str]]] = {}
    current = None
    for line in out.splitlines():
        m = _SECTION.match(line)
        if m:
            m = _LINE_SECTION.match(m.group(1))
            current = sections.setdefault(int(m.group(1)), []) if m else None
            continue
        m = _INSN_LINE.match(line)
        if m and current is not None:
            current.append((m.group(2).strip(), m.group(3)))
    return sections


def assemble(entries: list[tuple[str, str]], tmp: Path, tag: str):
    """Assemble ``entries`` [(source, "rvc"|"norvc")]; returns rows and the rejected entries."""
    rejected: list[tuple[str, str]] = []
    entries = list(entries)
    while True:
        lines, where = [], {}
        for i, (source, mode) in enumerate(entries):
            lines.append(f'.section .text.{i}.reset,"ax",@progbits')
            lines.append(RESET)
            lines.append(f'.section .text.{i},"ax",@progbits')
            lines.append(".option push")
            lines.append(f".option {mode}")
            where[len(lines) + 1] = i
            lines.append(source)
            lines.append(".option pop")
        src = tmp / f"{tag}.s"
        obj = tmp / f"{tag}.o"
        src.write_text("\n".join(lines) + "\n")
        proc = subprocess.run([AS, *as_flags(tag), "-o", str(obj), str(src)], capture_output=True,
                              text=True)
        if proc.returncode == 0:
            break
        bad = {}
        for m in _ERROR.finditer(proc.stderr):
            lineno = int(m.group(1))
            if lineno not in where:
                raise RuntimeError(f"assembler error outside a corpus line:\n{proc.stderr}")
            bad.setdefault(where[lineno], m.group(2))
        if not bad:
            raise RuntimeError(proc.stderr)
        for i in sorted(bad, reverse=True):
            rejected.append((entries[i][0], bad[i]))
            del entries[i]
    # Link with every section at BASE_PC (overlapping on purpose) so relocations against local labels
    # (call, tail, lla, ...) are resolved, then drop all symbols.
    script = tmp / f"{tag}.ld"
    script.write_text("SECTIONS {\n" + "".join(
        f"  .text.{i}.reset {BASE_PC - 0x100:#x} : {{ *(.text.{i}.reset) }}\n"
        f"  .text.{i} {BASE_PC:#x} : {{ *(.text.{i}) }}\n" for i in range(len(entries))) + "}\n")
    elf = tmp / f"{tag}.elf"
    subprocess.run([LD, "--no-relax", "--no-check-sections", "-e", "0", "-T", str(script), "-o", str(elf),
                    str(obj)], check=True)
    subprocess.run([OBJCOPY, "--strip-all", str(elf)], check=True)
    plain = _objdump(elf, [])
    raw = _objdump(elf, ["-M", "no-aliases"])
    rows = []
    for i, (source, _mode) in enumerate(entries):
        a, b = plain.get(i, []), raw.get(i, [])
        if not a or [w for w, _ in a] != [w for w, _ in b]:
            raise RuntimeError(f"objdump output for {source!r} is inconsistent: {a} / {b}")
        rows.append((source, " ".join(w for w, _ in a), " ; ".join(t for _, t in a),
                     " ; ".join(t for _, t in b)))
    return rows, rejected


def binutils_version() -> str:
    return subprocess.run([AS, "--version"], capture_output=True, text=True,
                          check=True).stdout.splitlines()[0]


def write(name: str, rows, description: str, version: str) -> None:
    path = OUT_DIR / name
    with path.open("w") as f:
        f.write(f"# {description}\n")
        f.write(f"# Generated by tests/golden/make_corpus.py (seed {SEED}) with {version};\n")
        f.write(f"# as {' '.join(as_flags(name))}, ld --no-relax (each line's section at {BASE_PC:#x}),\n"
                f"# objcopy --strip-all, objdump -d -z [-M no-aliases].\n")
        f.write("# Each line assembled alone at pc 0x80000000. Fields: source, words (hex), objdump, "
                "objdump -M no-aliases;\n# tab in text written as \\t, several instructions joined "
                "with ' ; '. See the script's docstring.\n")
        for row in rows:
            f.write("\t".join(escape(x) for x in row) + "\n")
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} lines")


def main() -> int:
    for tool in (AS, LD, OBJCOPY, OBJDUMP):
        if shutil.which(tool) is None:
            print(f"{tool} not found on PATH", file=sys.stderr)
            return 1
    version = binutils_version()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        all_rejected = []

        # CSR names first: the instruction lines use the names objdump prints.
        csr_rows, rej = assemble([(f"csrrs a0, {n:#x}, a1", "norvc") for n in range(4096)], tmp, "csrs")
        all_rejected += rej
        write("encodings_csrs.tsv", csr_rows, "csrrs a0,<n>,a1 for every CSR number", version)
        csr_names = {}
        for _src, words, text, _ in csr_rows:
            name = text.split("\t")[1].split(",")[1]
            if not name.startswith("0x"):
                csr_names[int(words, 16) >> 20] = name

        by_ext: dict[str, list[tuple[str, str]]] = {}
        skipped = []
        for record in INSTRUCTIONS:
            if not gnu_knows(record):
                skipped.append(record.mnemonic)
                continue
            rng = random.Random(f"{SEED}:{record.mnemonic}")
            mode = "rvc" if record.length == 2 else "norvc"
            seen, lines = set(), []
            for _ in range(LINES_PER_RECORD * 4):
                line = instruction_line(record, rng, csr_names)
                if line not in seen:
                    seen.add(line)
                    lines.append((line, mode))
                if len(lines) == LINES_PER_RECORD:
                    break
            by_ext.setdefault(record.extension, []).extend(lines)
        for ext, entries in by_ext.items():
            rows, rej = assemble(entries, tmp, "ext_" + ext.replace("+", "_"))
            all_rejected += rej
            write(f"encodings_{ext.replace('+', '_')}.tsv", rows,
                  f"instructions of extension {ext} with random operands", version)

        pseudo = [(f"li a{i % 8}, {c:#x}" if c >= 0 else f"li a{i % 8}, {c}", "norvc")
                  for i, c in enumerate(LI_CONSTANTS)]
        pseudo += [(line, "norvc") for line in PSEUDO_LINES]
        pseudo += [(line, "rvc") for line in ("li a0, 5", "mv a0, a1", "ret", "nop", "j .+64", "beqz a0, .-8",
                                              "addi sp, sp, -64", "ld ra, 8(sp)", "sd ra, 8(sp)",
                                              "li a0, 0x12345678abcdef")]
        rows, rej = assemble(pseudo, tmp, "pseudo")
        all_rejected += rej
        write("encodings_pseudo.tsv", rows, "pseudo-instructions and alias spellings", version)

        rows, rej = assemble([(s, "norvc") for s in SEQUENCES], tmp, "sequences")
        all_rejected += rej
        write("encodings_sequences.tsv", rows, "instruction sequences (address comments)", version)

        words = [(f".hword {w:#06x}", "norvc") for w in SPECIAL_WORDS_16]
        words += [(f".word {w:#010x}", "norvc") for w in SPECIAL_WORDS_32]
        words += [(f".word {a:#010x}; " + (f".hword {b:#06x}" if b < 0x10000 else f".word {b:#010x}"), "norvc")
                  for a, b in SPECIAL_WORDS_LONG]
        for record in INSTRUCTIONS:
            if not gnu_knows(record) or "v" in record.extensions:   # vector words: encodings_v.tsv
                continue
            rng = random.Random(f"{SEED}:word:{record.mnemonic}")
            for _ in range(WORDS_PER_RECORD):
                w = random_word(record, rng)
                words.append((f".hword {w:#06x}" if record.length == 2 else f".word {w:#010x}", "norvc"))
        words = list(dict.fromkeys(words))
        rows, rej = assemble(words, tmp, "words")
        all_rejected += rej
        write("encodings_words.tsv", rows, "raw words (.word/.hword) of every record and special words",
              version)

        if skipped:
            print(f"not known to GNU as ({version}): {' '.join(skipped)}", file=sys.stderr)
        for source, msg in all_rejected:
            print(f"rejected by GNU as: {source!r}: {msg}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
