"""The ISA a program was built for, and what an illegal instruction was missing.

Compilers and assemblers (GCC, clang, GNU as, ``rvsim asm``) record the ISA in the ELF's
``.riscv.attributes`` section as a versioned arch string (``rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_v1p0_zicsr2p0
...``); assembly sources say it with ``.attribute arch, "rv64gcv"``.  :func:`isa_from_arch_string` turns either
spelling into an ISA string rvsim accepts, keeping the extensions of the ISA table and dropping the ones it
does not model separately (``zmmul``, ``zaamo``, ``zve64d``, ``zvl256b`` ...: subsets or properties of
extensions it has).
"""
from __future__ import annotations

import re

from . import EXTENSIONS, IMPLIES, decode, enabled, parse_isa_string, xlen_of

# The ISA every command assumes when neither --isa nor the program names one.
DEFAULT_ISA = "rv64gcv"
# What an RV32 program (an ELFCLASS32 file, an rv32 arch attribute) gets on top of its own extensions.
DEFAULT_ISA32 = "rv32gcv"

_VERSION = re.compile(r"\d+(p\d+)?$")
_SINGLE = re.compile(r"([a-z])(\d+(?:p\d+)?)?")
_ATTRIBUTE = re.compile(r'^\s*\.attribute\s+(?:arch|Tag_RISCV_arch|5)\s*,\s*"([^"]+)"', re.M)


def isa_from_arch_string(arch: str) -> str | None:
    """``rv64i2p1_m2p0_..._v1p0_zicsr2p0_zvl128b1p0`` or ``rv64gcv_zvfh`` -> an ISA string that
    :func:`rvsim.isa.parse_isa_string` accepts (None for anything that is not an rv64 or rv32 arch
    string; an rv32 one gives an ``rv32...`` string, which only ``parse_isa_string(..., rv32=True)`` takes)."""
    s = arch.strip().lower()
    if not s.startswith(("rv64", "rv32")):
        return None
    base = s[:4]
    head, *rest = s[4:].split("_")
    singles = []
    for m in _SINGLE.finditer(head):
        if m.group(1) in "gimafdcv":
            singles.append(m.group(1))
    multi = []
    for part in rest:
        name = _VERSION.sub("", part) if not part.startswith("zvl") else part
        if len(name) == 1 and name in "gimafdcv":
            singles.append(name)
        elif name in EXTENSIONS or name in IMPLIES:
            if name not in multi:
                multi.append(name)
    if "i" not in singles and "g" not in singles:
        return None
    if "v" in singles:      # compilers list the embedded subsets that V implies (zve32f ... zve64d)
        multi = [e for e in multi if not e.startswith("zve")]
    if set("imafd") <= set(singles) and "zicsr" in multi and "zifencei" in multi:
        singles = ["g"] + [c for c in singles if c not in "imafd"]       # rv64g: the usual spelling
        multi = [e for e in multi if e not in ("zicsr", "zifencei")]
    order = "gimafdcv"
    text = base + "".join(sorted(set(singles), key=order.index))
    if multi:
        text += "_" + "_".join(multi)
    parse_isa_string(text, rv32=True)          # always valid by construction; a check that it stays so
    return text


def program_isa(arch: str) -> str:
    """The ISA a machine takes for a program whose ``.riscv.attributes`` name ``arch`` (an rvsim ISA
    string from :func:`isa_from_arch_string`): :data:`DEFAULT_ISA` with the program's extensions added.

    The attribute is a lower bound, not a list of everything the program may execute: GNU as does not
    add the extensions that ``.option rvc`` or ``.option arch, +...`` enable inside a file (the official
    riscv-tests build rv64uc with ``-march=rv64g`` and switch C on that way), and the cores a program
    runs on have more than it asks for.  An explicit ``--isa`` stays exact.  An rv32 arch string gets
    :data:`DEFAULT_ISA32` the same way (its XLEN is the program's)."""
    if not arch.startswith(("rv64", "rv32")):
        return arch
    base = arch[:4]
    singles, multi = [], []
    for text in (DEFAULT_ISA if base == "rv64" else DEFAULT_ISA32, arch):
        head, *rest = text[4:].split("_")
        singles += [c for c in head if c not in singles]
        multi += [e for e in rest if e not in multi]
    if "g" in singles:                      # g = imafd_zicsr_zifencei
        singles = [c for c in singles if c not in "imafd"]
        multi = [e for e in multi if e not in ("zicsr", "zifencei")]
    order = "gimafdcv"
    merged = base + "".join(sorted(set(singles), key=order.index)) + "".join("_" + e for e in multi)
    parse_isa_string(merged)
    return merged


def isa_of_source(path) -> str | None:
    """The ISA an assembly file names with ``.attribute arch, "..."`` (None when it names none)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read(1 << 20)
    except OSError:
        return None
    m = _ATTRIBUTE.search(text)
    return isa_from_arch_string(m.group(1)) if m else None


def missing_extension(word: int, isa_string: str) -> str | None:
    """When ``word`` is an instruction of an extension the machine with ``isa_string`` lacks: a sentence
    naming the instruction, its extension and the --isa option that adds it; else None."""
    exts = parse_isa_string(isa_string)
    record = decode(word, xlen=xlen_of(exts))
    if record is None or enabled(record, exts):
        return None
    need = [e for e in record.extensions if e not in exts]
    if not need and "zve32x" in exts and "v" in record.extensions:
        from .vector import FP_MNEMONICS       # what an embedded vector subset leaves out
        sub = "zve32f" if record.mnemonic in FP_MNEMONICS else "zve64x"
        return f"{record.mnemonic} needs {sub.capitalize()} (or V), which this machine does not have: " \
               f"--isa {isa_string}_{sub}"
    if not need:
        return None
    names = ", ".join(e.capitalize() if len(e) > 1 else e.upper() for e in need)
    suffix = "".join(e if len(e) == 1 else "" for e in need)
    multi = "".join(f"_{e}" for e in need if len(e) > 1)
    base, *others = isa_string.split("_")
    option = base + suffix + "".join("_" + o for o in others) + multi
    return (f"{record.mnemonic} is {names}, which this machine does not have: --isa {option}")


def illegal_instruction_hint(machine, stop) -> str | None:
    """For a run that stopped on an illegal-instruction trap (cause 2) of an extension ``machine`` lacks:
    :func:`missing_extension`'s sentence; else None."""
    if getattr(stop, "cause", None) != 2:
        return None
    try:
        raw = machine.read(stop.pc, 4)
    except ValueError:
        try:
            raw = machine.read(stop.pc, 2) + b"\0\0"
        except ValueError:
            return None
    word = int.from_bytes(raw, "little")
    return missing_extension(word if word & 3 == 3 else word & 0xFFFF, machine.isa_string)
