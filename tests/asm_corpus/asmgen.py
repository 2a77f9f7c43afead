"""Random assembly lines for every ISA table instruction, and GNU as as an oracle.

Used by tests/test_asm_encodings.py (live hypothesis comparison) and by ``python
tests/asm_corpus/asmgen.py`` which regenerates the committed golden file golden_encodings.tsv.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

from rvsim.isa import INSTRUCTIONS, Instruction  # noqa: E402
from rvsim.isa import operands as K  # noqa: E402
from rvsim.isa.csrs import CSR_NUMBERS  # noqa: E402
from rvsim.asm.encoder import EXACT_CONVERSIONS, FREG_ABI, XREG_ABI  # noqa: E402

# CSR names GNU as 2.40 knows (a subset of rvsim's list).
GNU_CSRS = """fflags frm fcsr cycle time instret hpmcounter3 hpmcounter31 sstatus sie stvec scounteren
senvcfg sscratch sepc scause stval sip satp mvendorid marchid mimpid mhartid mconfigptr mstatus misa
medeleg mideleg mie mtvec mcounteren menvcfg mstatush mscratch mepc mcause mtval mip mtinst mtval2 pmpcfg0
pmpcfg2 pmpaddr0 pmpaddr15 mcycle minstret mhpmcounter3 mhpmcounter31 mcountinhibit mhpmevent3
mhpmevent31 tselect tdata1 tdata2 tdata3 dcsr dpc dscratch0 dscratch1""".split()

GNU_AS = shutil.which("riscv64-unknown-elf-as")
GNU_LD = shutil.which("riscv64-unknown-elf-ld")
GNU_OBJCOPY = shutil.which("riscv64-unknown-elf-objcopy")
QEMU = shutil.which("qemu-riscv64")
GNU_MARCH = "rv64gc_zba_zbb_zbs_zfh"
# Extensions GNU as 2.40 does not know (their records are checked against the spec tables only).
GNU_UNSUPPORTED = {"zfbfmin"}


def gnu_supported(r: Instruction) -> bool:
    return not any(e in GNU_UNSUPPORTED or e.startswith("zv") or e == "v" for e in r.extensions)


def _reg(rng, kind, role):
    names = XREG_ABI if role == K.XREG else FREG_ABI
    while True:
        if kind.offset:
            n = rng.randrange(kind.offset, kind.offset + (1 << kind.width))
        else:
            n = rng.randrange(32)
        if kind.nonzero and n == 0:
            continue
        if kind.not_value is not None and n == kind.not_value:
            continue
        if rng.random() < 0.5:
            return names[n]
        return ("x" if role == K.XREG else "f") + str(n)


def _imm(rng, kind):
    lo, hi = kind.value_range()
    step = max(kind.scale, 1 << min(s[2] for s in kind.slices))
    while True:
        r = rng.random()
        if r < 0.15:
            v = lo
        elif r < 0.3:
            v = hi
        elif r < 0.45:
            v = rng.randint(-8, 8)
        else:
            v = rng.randint(lo, hi)
        v -= v % step
        if not lo <= v <= hi:
            continue
        if kind.nonzero and v == 0:
            continue
        return v


def _fence(rng):
    while True:
        s = "".join(c for c in "iorw" if rng.random() < 0.5)
        if s:
            return s


def _operand(rng, kind, insn):
    role = kind.role
    if role in (K.XREG, K.FREG):
        return _reg(rng, kind, role)
    if role in (K.IMM, K.UIMM):
        v = _imm(rng, kind)
        if kind.name == "c_nzimm18" and v < 0:   # GNU writes c.lui's negative values as 20-bit numbers
            return hex(v & 0xFFFFF)
        return hex(v) if v >= 0 and rng.random() < 0.3 else str(v)
    if role == K.PCREL:
        lo, hi = kind.value_range()
        lo, hi = max(lo, -2000), min(hi, 2000)
        v = rng.randint(lo // 2, hi // 2) * 2
        return f".{v:+d}"
    if role == K.CSR:
        if rng.random() < 0.6:
            return rng.choice(GNU_CSRS)
        return str(rng.randrange(4096))
    if role == K.FENCE:
        return _fence(rng)
    if role == K.RM:
        if insn.mnemonic in EXACT_CONVERSIONS:     # GNU as 2.40 refuses a rounding mode here
            return None
        return rng.choice(["rne", "rtz", "rdn", "rup", "rmm", "dyn", None])
    raise ValueError(role)


def random_line(rng: random.Random, insn: Instruction) -> str:
    values = {k.name: _operand(rng, k, insn) for k in insn.operands}
    out, prev = [], None
    for t in insn.tokens:
        if t in values:
            v = values[t]
            if v is None:                       # omitted optional operand: drop the comma before it
                if out and out[-1] == ", ":
                    out.pop()
                continue
            out.append(v)
        elif t == ",":
            out.append(", ")
        else:
            out.append(t)
    mn = insn.mnemonic
    if any(k.role == K.AQRL for k in insn.hidden):
        mn += rng.choice(["", ".aq", ".rl", ".aqrl"])
    ops = "".join(out)
    return f"{mn} {ops}".rstrip()


def random_lines(rng, records, per_record):
    lines = []
    for r in records:
        for _ in range(per_record):
            lines.append(random_line(rng, r))
    return lines


def table_records(gnu_only=True):
    return [r for r in INSTRUCTIONS if not gnu_only or gnu_supported(r)]


# ------------------------------------------------------------------------------------------------ GNU

def gnu_assemble(source: str, march: str = GNU_MARCH, relax=False) -> bytes:
    """The .text bytes GNU as produces for ``source`` (raises RuntimeError with its messages)."""
    with tempfile.TemporaryDirectory() as d:
        src, obj, binf = (os.path.join(d, n) for n in ("a.s", "a.o", "a.bin"))
        with open(src, "w") as f:
            f.write(source)
        args = [GNU_AS, f"-march={march}", src, "-o", obj]
        if not relax:
            args.insert(1, "-mno-relax")
        r = subprocess.run(args, capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError(r.stderr)
        subprocess.run([GNU_OBJCOPY, "-O", "binary", "-j", ".text", obj, binf], check=True)
        with open(binf, "rb") as f:
            return f.read()


def gnu_link(sources: list[str], march: str = "rv64gc", workdir: str | None = None) -> str:
    """Assemble with GNU as (no relaxation) and link with GNU ld; returns the executable's path."""
    d = workdir or tempfile.mkdtemp()
    objs = []
    for i, s in enumerate(sources):
        o = os.path.join(d, f"f{i}.o")
        r = subprocess.run([GNU_AS, f"-march={march}", "-mno-relax", s, "-o", o], capture_output=True,
                           text=True)
        if r.returncode:
            raise RuntimeError(r.stderr)
        objs.append(o)
    exe = os.path.join(d, "gnu.elf")
    r = subprocess.run([GNU_LD, "--no-relax", *objs, "-o", exe], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(r.stderr)
    return exe


def split_words(b: bytes) -> list[int]:
    out, i = [], 0
    while i < len(b):
        if b[i] & 3 == 3:
            out.append(int.from_bytes(b[i:i + 4], "little"))
            i += 4
        else:
            out.append(int.from_bytes(b[i:i + 2], "little"))
            i += 2
    return out


def words_per_line(lines: list[str], assemble_one) -> list[list[int]]:
    """Per-line words: each line is preceded by a marker so the byte stream can be split."""
    raise NotImplementedError


def _owners(recs, per_record):
    return [r for r in recs for _ in range(per_record)]


def regenerate(path=os.path.join(HERE, "golden_encodings.tsv"), per_record=12, seed=20240901):
    """Write the golden file: every GNU-supported record, ``per_record`` random lines each, with the
    words GNU as 2.40 produces (assembled under .option norvc, one line at a time via markers)."""
    rng = random.Random(seed)
    recs = table_records()
    lines = random_lines(rng, recs, per_record)
    base = [l for l, r in zip(lines, _owners(recs, per_record)) if r.length == 4]
    comp = [l for l, r in zip(lines, _owners(recs, per_record)) if r.length == 2]
    lines = base + comp
    src = ".option norvc\n" + "\n".join(base) + "\n.option rvc\n" + "\n".join(comp) + "\n"
    data = gnu_assemble(src)
    words = split_words(data)
    if len(words) != len(lines):
        raise RuntimeError("each golden line must give exactly one instruction")
    with open(path, "w") as f:
        f.write("# source\twords (hex) — generated by tests/asm_corpus/asmgen.py with GNU as "
                "(-mno-relax, -march=" + GNU_MARCH + ", .option norvc)\n")
        for line, w in zip(lines, words):
            f.write(f"{line}\t{w:0{8 if w & 3 == 3 else 4}x}\n")
    return len(lines)


if __name__ == "__main__":
    n = regenerate()
    print(f"wrote {n} lines")
