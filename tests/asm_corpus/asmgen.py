"""Random assembly lines for every ISA table instruction, and GNU as as an oracle.

Used by tests/test_asm_encodings.py and tests/test_asm_rv32.py (live hypothesis comparisons) and by
``python tests/asm_corpus/asmgen.py`` which regenerates the committed golden files (golden_*.tsv for RV64,
golden_*_rv32.tsv for RV32, assembled with -march=rv32gc_zba_zbb_zbc_zbs_zfh).
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

from rvsim.isa import INSTRUCTIONS, Instruction, instructions  # noqa: E402
from rvsim.isa import operands as K  # noqa: E402
from rvsim.isa.csrs import CSR_NUMBERS  # noqa: E402
from rvsim.asm.encoder import EXACT_CONVERSIONS, FREG_ABI, XREG_ABI  # noqa: E402

# CSR names GNU as 2.40 knows (a subset of rvsim's list).
GNU_CSRS = """fflags frm fcsr cycle time instret hpmcounter3 hpmcounter31 sstatus sie stvec scounteren
senvcfg sscratch sepc scause stval sip satp mvendorid marchid mimpid mhartid mconfigptr mstatus misa
medeleg mideleg mie mtvec mcounteren menvcfg mstatush mscratch mepc mcause mtval mip mtinst mtval2 pmpcfg0
pmpcfg2 pmpaddr0 pmpaddr15 mcycle minstret mhpmcounter3 mhpmcounter31 mcountinhibit mhpmevent3
mhpmevent31 tselect tdata1 tdata2 tdata3 dcsr dpc dscratch0 dscratch1""".split()
GNU_CSRS = [c for c in GNU_CSRS if c in CSR_NUMBERS]

GNU_AS = shutil.which("riscv64-unknown-elf-as")
GNU_LD = shutil.which("riscv64-unknown-elf-ld")
GNU_OBJCOPY = shutil.which("riscv64-unknown-elf-objcopy")
QEMU = shutil.which("qemu-riscv64")
GNU_MARCH = "rv64gc_zba_zbb_zbc_zbs_zfh"
GNU_MARCH32 = "rv32gc_zba_zbb_zbc_zbs_zfh"      # the RV32 corpus ISA
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
    out = []
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


def branch_program(rng: random.Random, statements: int, labels: int) -> list[str]:
    """Lines of a program that exercises branch relaxation: ``labels`` labels scattered among
    ``statements`` random statements, with gaps (``.skip``) that push branches, calls, ``la`` and
    symbol loads out of their short ranges, every label defined."""
    lines, n = [], 0
    for _ in range(statements):
        k = rng.random()
        if k < 0.3:
            lines.append(f"L{n}:")
            n += 1
        if k < 0.5:
            lines.append(rng.choice(["addi a0, a0, 1", "add s0, s0, s1", "nop", ".skip 200", ".skip 1000"]))
        else:
            t = f"L{rng.randrange(0, labels)}"
            lines.append(rng.choice([f"beqz s0, {t}", f"bnez a1, {t}", f"beq a0, a1, {t}", f"j {t}",
                                     f"jal {t}", f"bgt a0, a1, {t}", f"call {t}", f"tail {t}", f"la a0, {t}",
                                     f"lw a2, {t}"]))
    return lines + [f"L{i}:" for i in range(n, labels)]


def table_records(gnu_only=True, xlen=64):
    return [r for r in (INSTRUCTIONS if xlen == 64 else instructions(xlen)) if not gnu_only or gnu_supported(r)]


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


def gnu_assemble_lines(lines: list[str], prelude: str = "", march: str = GNU_MARCH) -> list[bytes]:
    """The bytes GNU as gives for each line (a label before every line splits the .text section)."""
    src = prelude + "".join(f".Lline{i}:\n{l}\n" for i, l in enumerate(lines)) + f".Lline{len(lines)}:\n"
    with tempfile.TemporaryDirectory() as d:
        path, obj, binf = (os.path.join(d, n) for n in ("a.s", "a.o", "a.bin"))
        with open(path, "w") as f:
            f.write(src.replace(".Lline", "Lline"))
        r = subprocess.run([GNU_AS, f"-march={march}", "-mno-relax", path, "-o", obj], capture_output=True,
                           text=True)
        if r.returncode:
            raise RuntimeError(r.stderr)
        subprocess.run([GNU_OBJCOPY, "-O", "binary", "-j", ".text", obj, binf], check=True)
        with open(binf, "rb") as f:
            data = f.read()
        nm = subprocess.run([shutil.which("riscv64-unknown-elf-nm"), obj], capture_output=True, text=True).stdout
    addr = {}
    for row in nm.split("\n"):
        parts = row.split()
        if len(parts) == 3 and parts[2].startswith("Lline"):
            addr[int(parts[2][5:])] = int(parts[0], 16)
    return [data[addr[i]:addr[i + 1]] for i in range(len(lines))]


def rvsim_assemble_lines(lines: list[str], prelude: str = "", march: str = GNU_MARCH) -> list[bytes]:
    """The same split for rvsim's assembler."""
    from rvsim.asm import assemble
    src = prelude + "".join(f"Lline{i}:\n{l}\n" for i, l in enumerate(lines)) + f"Lline{len(lines)}:\n"
    prog = assemble(src, march=march)
    text = prog.section(".text")
    m = prog.symbol_map
    return [text.data[m[f"Lline{i}"] - text.address:m[f"Lline{i + 1}"] - text.address]
            for i in range(len(lines))]


# ------------------------------------------------------------------------------------------------ li / rvc

def random_constant(rng: random.Random) -> int:
    k = rng.random()
    if k < 0.2:
        v = rng.randint(-2**63, 2**64 - 1)
    elif k < 0.4:
        v = rng.randint(-2**40, 2**40)
    elif k < 0.6:
        v = rng.randint(-2**20, 2**20) << rng.randint(0, 50)
    elif k < 0.7:
        v = ((1 << rng.randint(0, 63)) - 1) << rng.randint(0, 10)
    elif k < 0.8:
        v = rng.randint(-2**31, 2**32)
    elif k < 0.9:
        v = rng.randint(-4096, 4096)
    else:
        v = rng.choice([0, 1, -1, 2047, -2048, 2048, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 2**63 - 1, -2**63,
                        0x7FFFF800, 0xFFF, 0x800, -0x801])
    v &= 2**64 - 1
    return v - 2**64 if v >> 63 and rng.random() < 0.5 else v


def li_lines(rng, n):
    regs = ["a0", "s0", "t0", "zero", "sp", "a5", "x31"]
    return [f"li {rng.choice(regs)}, {hex(random_constant(rng)) if rng.random() < 0.7 else random_constant(rng)}"
            for _ in range(n)]


_C_REGS = ["s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5"]


def compress_lines(rng, n):
    """Base instructions and pseudos biased towards operands that have a compressed form."""
    def R():
        k = rng.random()
        if k < 0.5:
            return rng.choice(_C_REGS)
        if k < 0.7:
            return rng.choice(["zero", "sp", "ra"])
        return f"x{rng.randrange(32)}"

    def F():
        return rng.choice(["fs0", "fs1", "fa0", "fa5", "ft0", "f31", "f8"])

    def I():
        return str(rng.choice([rng.randint(-40, 40), 0, rng.randint(-2048, 2047)]))

    def O(scale, maxv):
        return str(rng.choice([rng.randrange(0, maxv, scale), rng.randrange(0, 600), 0]))
    gens = [
        lambda: f"addi {R()}, {R()}, {I()}",
        lambda: f"addi {R()}, sp, {O(4, 1100)}",
        lambda: f"addi sp, sp, {rng.choice([16, -16, 32, -512, 496, 8, 48, -64, 1024])}",
        lambda: f"addiw {R()}, {R()}, {I()}",
        lambda: f"{rng.choice(['add', 'sub', 'and', 'or', 'xor', 'addw', 'subw'])} {R()}, {R()}, {R()}",
        lambda: f"lui {R()}, {rng.choice([1, 31, 32, 0xfffff, 0xfffe0, 0xfffdf, 0, 5])}",
        lambda: f"{rng.choice(['lw', 'ld'])} {R()}, {O(4, 600)}({R()})",
        lambda: f"{rng.choice(['sw', 'sd'])} {R()}, {O(4, 600)}({R()})",
        lambda: f"{rng.choice(['fld', 'fsd', 'flw', 'fsw'])} {F()}, {O(8, 600)}({R()})",
        lambda: f"{rng.choice(['slli', 'srli', 'srai'])} {R()}, {R()}, {rng.randrange(64)}",
        lambda: f"andi {R()}, {R()}, {I()}",
        lambda: f"{rng.choice(['mv', 'not', 'neg', 'sext.w', 'seqz'])} {R()}, {R()}",
        lambda: f"li {R()}, {I()}",
        lambda: rng.choice(["nop", "ebreak", "ret", "fence"]),
        lambda: f"{rng.choice(['jr', 'jalr'])} {R()}",
        lambda: f"jalr {R()}, {rng.choice(['0', '4'])}({R()})",
    ]
    return [rng.choice(gens)() for _ in range(n)]


PSEUDO_LINES = """mv a0, a1
not a0, a1
neg a0, a1
negw a0, a1
sext.w a0, a1
zext.b a0, a1
zext.h a0, a1
zext.w a0, a1
sext.b a0, a1
sext.h a0, a1
seqz a0, a1
snez a0, a1
sltz a0, a1
sgtz a0, a1
nop
ret
jr t0
jalr t0
jalr a0, t0
jr 4(a0)
jalr 8(a0)
fmv.s fa0, fa1
fabs.s fa0, fa1
fneg.s fa0, fa1
fmv.d fa0, fa1
fabs.d fa0, fa1
fneg.d fa0, fa1
fmv.h fa0, fa1
fabs.h fa0, fa1
fgt.s a0, fa1, fa2
fge.d a0, fa1, fa2
fgt.h a0, fa1, fa2
csrr a0, mstatus
csrw mscratch, a1
csrs mie, a2
csrc mip, a3
csrwi mstatus, 5
csrsi 0x300, 31
csrci fcsr, 1
frcsr a0
fscsr a0, a1
fscsr a1
frrm a0
fsrm a0, a1
fsrm a1
fsrmi a0, 3
fsrmi 2
frflags a0
fsflags a0, a1
fsflags a2
fsflagsi a0, 7
fsflagsi 1
rdcycle a0
rdtime a1
rdinstret a2
fence
fence rw, w
fence.tso
fence.i
amoadd.w.aqrl a0, a1, (a2)
lr.d.aq a0, (a1)
sc.d.rl a0, a1, 0(a2)
fadd.d fa0, fa1, fa2
fcvt.d.w fa0, a0
fcvt.w.d a0, fa0, rtz
lui a0, %hi(0x12345678)
addi a0, a0, %lo(0x12345678)
lw a0, %lo(0x12345fff)(a1)
li a0, 'a'
li a1, 1 << 12 | 0x10
li a2, (100 - 1) * 3 / 2
li a3, ~0xff
addi a0, a0, -(1 << 11)""".split("\n")

# Lines whose expansion refers to labels: compared after linking.
PSEUDO_LABEL_LINES = """beqz a0, target
bnez s0, target
blez a0, target
bgez a1, target
bltz a2, target
bgtz a3, target
bgt a0, a1, target
ble a0, a1, target
bgtu a0, a1, target
bleu a0, a1, target
j target
jal target
jal ra, target
call target
call t0, target
tail target
jump target, t2
la a0, target
lla a1, target + 8
lw a0, target
ld a1, target + 4
sw a0, target, t0
sd a1, target, t1
flw fa0, target, t0
fsd fa1, target, t1
lb a2, target
1: auipc a0, %pcrel_hi(target)
addi a0, a0, %pcrel_lo(1b)""".split("\n")


def _owners(recs, per_record):
    return [r for r in recs for _ in range(per_record)]


def regenerate_lines(path, lines, prelude, note, march=GNU_MARCH):
    got = gnu_assemble_lines(lines, prelude, march)
    with open(path, "w") as f:
        f.write(f"# source\tbytes (hex) — generated by tests/asm_corpus/asmgen.py with GNU as 2.40 "
                f"(-mno-relax, -march={march}{note})\n")
        for line, b in zip(lines, got):
            f.write(f"{line}\t{b.hex()}\n")
    return len(lines)


def read_golden(path):
    rows = []
    with open(path) as f:
        for row in f:
            if row.startswith("#") or not row.strip():
                continue
            src, data = row.rstrip("\n").split("\t")
            rows.append((src, data))
    return rows


def regenerate_all():
    n = regenerate()
    rng = random.Random(7)
    n += regenerate_lines(os.path.join(HERE, "golden_li.tsv"), li_lines(rng, 1500), ".option rvc\n", ", rvc")
    rng = random.Random(8)
    n += regenerate_lines(os.path.join(HERE, "golden_li_norvc.tsv"), li_lines(rng, 500), ".option norvc\n",
                          ", norvc")
    rng = random.Random(9)
    n += regenerate_lines(os.path.join(HERE, "golden_compress.tsv"), compress_lines(rng, 3000),
                          ".option rvc\n", ", rvc")
    n += regenerate_lines(os.path.join(HERE, "golden_pseudo.tsv"), PSEUDO_LINES, ".option rvc\n", ", rvc")
    return n


def gnu_rejected(lines: list[str], prelude: str = "", march: str = GNU_MARCH) -> set[int]:
    """Indices of the lines GNU as refuses (with -march=``march``), from the line numbers of its errors."""
    import re
    src = prelude + "".join(f"Lline{i}:\n{l}\n" for i, l in enumerate(lines))
    first = prelude.count("\n") + 2                 # source line of lines[0]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "a.s")
        with open(path, "w") as f:
            f.write(src)
        r = subprocess.run([GNU_AS, f"-march={march}", "-mno-relax", path, "-o", os.path.join(d, "a.o")],
                           capture_output=True, text=True)
    return {(int(n) - first) // 2 for n in re.findall(r"a\.s:(\d+): Error", r.stderr)}


def gnu_accepted(lines: list[str], prelude: str = "", march: str = GNU_MARCH) -> list[str]:
    """The lines GNU as assembles (with -march=``march``)."""
    bad = gnu_rejected(lines, prelude, march)
    return [l for i, l in enumerate(lines) if i not in bad]


def regenerate_rv32():
    """The RV32 golden files: every record of an RV32 machine, li, compression and pseudo-instructions,
    as GNU as 2.40 assembles them with -march=rv32gc_zba_zbb_zbc_zbs_zfh."""
    n = regenerate(os.path.join(HERE, "golden_encodings_rv32.tsv"), seed=20261207, xlen=32)
    rng = random.Random(17)
    n += regenerate_lines(os.path.join(HERE, "golden_li_rv32.tsv"), li_lines(rng, 800) + li32_lines(rng, 800),
                          ".option rvc\n", ", rvc", GNU_MARCH32)
    rng = random.Random(19)
    lines = gnu_accepted(compress_lines(rng, 3000) + PSEUDO_LINES, ".option rvc\n", GNU_MARCH32)
    n += regenerate_lines(os.path.join(HERE, "golden_pseudo_rv32.tsv"), lines, ".option rvc\n", ", rvc",
                          GNU_MARCH32)
    return n


def li32_lines(rng, n):
    """li with constants near the 32-bit boundaries (the RV32 sign handling)."""
    regs = ["a0", "s0", "t0", "zero", "sp", "a5", "x31"]
    values = [0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, -0x80000000, -0x80000001, 0x100000000, 0xFFFFF800,
              0x7FFFF800, 0x800, -0x801, 0xFFFFFFFF00000000, 0x1FFFFFFFF]
    out = []
    for _ in range(n):
        v = rng.choice([rng.choice(values), rng.getrandbits(32), rng.getrandbits(32) - (1 << 31),
                        rng.choice(values) + rng.randint(-3, 3)])
        out.append(f"li {rng.choice(regs)}, {hex(v) if v >= 0 and rng.random() < 0.7 else v}")
    return out


def regenerate(path=os.path.join(HERE, "golden_encodings.tsv"), per_record=12, seed=20240901, xlen=64):
    """Write the golden file: every GNU-supported record, ``per_record`` random lines each, with the
    words GNU as 2.40 produces (assembled under .option norvc, one line at a time via markers)."""
    march = GNU_MARCH if xlen == 64 else GNU_MARCH32
    rng = random.Random(seed)
    recs = table_records(xlen=xlen)
    lines = random_lines(rng, recs, per_record)
    base = [l for l, r in zip(lines, _owners(recs, per_record)) if r.length == 4]
    comp = [l for l, r in zip(lines, _owners(recs, per_record)) if r.length == 2]
    lines = base + comp
    src = ".option norvc\n" + "\n".join(base) + "\n.option rvc\n" + "\n".join(comp) + "\n"
    data = gnu_assemble(src, march)
    words = split_words(data)
    if len(words) != len(lines):
        raise RuntimeError("each golden line must give exactly one instruction")
    with open(path, "w") as f:
        f.write("# source\twords (hex) — generated by tests/asm_corpus/asmgen.py with GNU as "
                "(-mno-relax, -march=" + march + ", .option norvc)\n")
        for line, w in zip(lines, words):
            f.write(f"{line}\t{w:0{8 if w & 3 == 3 else 4}x}\n")
    return len(lines)


if __name__ == "__main__":
    n = regenerate_all() if "--rv32" not in sys.argv else 0
    n += regenerate_rv32()
    print(f"wrote {n} lines")
