"""rvsim's ISA table: one declarative record per instruction.

``RECORDS`` holds every encoding once, with its XLEN when it exists on one only (``Instruction.xlen``);
``INSTRUCTIONS``/``BY_MNEMONIC`` are the RV64 view, :func:`instructions`/:func:`by_mnemonic` either view.
Everything that knows an encoding reads it from here: the assembler, the disassembler, the generated C
decoder (``python -m rvsim.isa.gen_c``), the documentation's coverage table and the test strategies.
"""
from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .table import Instruction

# XLEN travels with the extension set: an RV32 ISA string's set holds this mark (an RV64 one holds nothing
# extra, so RV64 sets are what they always were).
RV32 = "rv32"

# Importing this package is cheap (a Machine needs only the extension names below): the instruction
# records are built on first use of INSTRUCTIONS / BY_MNEMONIC (see __getattr__ at the end).

# Extensions the table knows, in the order their bits are numbered in the C core's extension mask.
# Never reorder: append.  ``priv`` (mret, wfi) is always enabled.
EXTENSIONS = (
    "i", "m", "a", "f", "d", "c", "zicsr", "zifencei", "priv", "zba", "zbb", "zbs",
    "zfh", "zfhmin", "zfbfmin",
    "v", "zvfh", "zvfhmin", "zvfbfmin", "zvfbfwma", "zvdot4a8i", "zvt",
    "zve32x", "zve32f", "zve64x", "zve64f", "zve64d",
    "zbc",
)

# The embedded vector subsets (unpriv "Vector Extensions", zv.adoc: Zve32x is the base, Zve64x adds 64-bit
# integers, Zve32f single precision, Zve64f both, Zve64d double precision).  A machine with one of them
# and no V has the vector unit (its set holds "v" too, see :func:`expand_extensions`) with the limits the
# C core reads from these bits: ELEN 32 without Zve64x, no vector FP without Zve32f, no FP64 without
# Zve64d, and no vmulh*/vsmul at EEW=64 (zve64x.adoc).  V itself is all of them without those limits:
# "RV64GCV and RV64GCV_Zve64f are ... equivalent" (v-st-ext.adoc), so V named beside them drops them.
ZVE = ("zve32x", "zve32f", "zve64x", "zve64f", "zve64d")

# What enabling an extension also enables (the spec's dependencies plus containment).
IMPLIES = {
    "g": ("i", "m", "a", "f", "d", "zicsr", "zifencei"),
    "f": ("zicsr",),
    "d": ("f",),
    "zfh": ("zfhmin",),
    "zfhmin": ("f",),
    "zfbfmin": ("f",),
    "v": ("d", "zicsr"),
    "zvfh": ("zvfhmin", "zfhmin"),
    "zvfhmin": ("v",),
    "zvfbfmin": ("v", "zfbfmin"),
    "zvfbfwma": ("zvfbfmin",),
    "zvdot4a8i": ("v",),
    "zvt": ("v",),
    # the dependencies of zv.adoc, zve64x.adoc and zve64d.adoc (Zve32f needs F, Zve64d D; Zve32x Zicsr)
    "zve32x": ("zicsr",),
    "zve32f": ("zve32x", "f"),
    "zve64x": ("zve32x",),
    "zve64f": ("zve32f", "zve64x"),
    "zve64d": ("zve64f", "d"),
}

_ZVL = re.compile(r"zvl(\d+)b$")


def min_vlen(exts) -> int:
    """The least VLEN the extensions ask for (the Zvl* table of vector-common.adoc: Zve32* 32, Zve64* 64,
    ZvlNb N); 0 without a vector extension.  V's own 128 is not enforced (rvsim runs V with VLEN=64 too)."""
    n = 0
    for e in exts:
        m = _ZVL.match(e)
        if m:
            n = max(n, int(m.group(1)))
    if "zve64x" in exts:
        n = max(n, 64)
    elif "zve32x" in exts:
        n = max(n, 32)
    return n

_TABLE_MODULES = ("base", "fp", "compressed", "vector", "ml")
_LAZY_NAMES = {"OPERAND_KINDS": ".operands", "OperandKind": ".operands", "Instruction": ".table",
               "parse_table": ".table"}


def _load() -> tuple:
    modules = [importlib.import_module(f"{__name__}.{name}") for name in _TABLE_MODULES]  # their kinds too
    from . import records
    from .operands import OPERAND_KINDS
    cached = records.load(OPERAND_KINDS)
    if cached is not None:
        return cached
    return _parse(modules)


def parse_tables() -> tuple:
    """Every instruction record, parsed from the table text (what rvsim/isa/_records.py caches)."""
    return _parse([importlib.import_module(f"{__name__}.{name}") for name in _TABLE_MODULES])


def _parse(modules) -> tuple:
    """Every record, parsed from the table text of ``modules`` and checked."""
    from .table import parse_table
    records = []
    for module in modules:
        for ext, text in module.TABLES.items():
            for part in ext.split("@")[0].replace("|", "+").split("+"):
                if part not in EXTENSIONS:
                    raise ValueError(f"table {module.__name__} names unknown extension {part!r}")
            records.extend(parse_table(text, ext))
    for xlen in (32, 64):
        view = [r for r in records if r.on_xlen(xlen)]
        seen = set()
        for r in view:
            if r.mnemonic in seen:
                raise ValueError(f"instruction {r.mnemonic} defined twice for RV{xlen}")
            seen.add(r.mnemonic)
        for r in view:
            if r.expands_to and r.expands_to not in seen:
                raise ValueError(f"{r.mnemonic} expands to {r.expands_to}, which RV{xlen} does not have")
    return tuple(records)


def expand_extensions(names) -> frozenset[str]:
    """Close a set of extension names under :data:`IMPLIES` (``g`` -> imafd + zicsr + zifencei)."""
    out, todo = set(), list(names)
    while todo:
        e = todo.pop()
        if e in out:
            continue
        out.add(e)
        todo.extend(IMPLIES.get(e, ()))
    out.add("priv")
    out.discard("g")
    if "zve32x" in out:
        out.add("v")            # the vector unit, limited by the Zve bits (see ZVE)
    return frozenset(out)


def parse_isa_string(isa: str, rv32: bool = True) -> frozenset[str]:
    """Extensions named by an ISA string such as ``rv64gc``, ``rv32imac``, ``rv64imac_zba_zbb`` or
    ``rv64gcv_zvfh``.  The set of an ``rv32...`` string holds :data:`RV32` (see :func:`xlen_of`).

    ``rv32=False`` refuses rv32 strings (for a caller that handles RV64 only)."""
    s = isa.strip().lower()
    if s.startswith("rv32") and not rv32:
        raise ValueError(f"ISA string {isa!r}: an RV32 ISA is not accepted here; use an rv64 ISA")
    if not s.startswith(("rv64", "rv32")):
        raise ValueError(f"ISA string {isa!r}: it must start with 'rv64'" + (" or 'rv32'" if rv32 else ""))
    head, *multi = s[4:].split("_")
    names = []
    for ch in head:
        if ch not in "gimafdcv":
            raise ValueError(f"ISA string {isa!r}: unknown single-letter extension {ch!r}")
        names.append(ch)
    for m in multi:
        if not m:
            continue
        zvl = _ZVL.match(m)
        if zvl:
            n = int(zvl.group(1))
            if n < 32 or n > 65536 or n & (n - 1):
                raise ValueError(f"ISA string {isa!r}: {m} names no vector length (Zvl32b ... Zvl65536b)")
            names.append(m)
            continue
        if m not in EXTENSIONS and m not in IMPLIES:
            raise ValueError(f"ISA string {isa!r}: unknown extension {m!r} "
                             f"(known: {', '.join(e for e in EXTENSIONS if len(e) > 1)})")
        names.append(m)
    if "v" in names:            # V has every Zve subset, without their limits (v-st-ext.adoc)
        names = [n for n in names if n not in ZVE]
    exts = expand_extensions(names)
    if "i" not in exts:
        raise ValueError(f"ISA string {isa!r}: the base I (or G) is required")
    return exts | {RV32} if s.startswith("rv32") else exts


def xlen_of(exts) -> int:
    """32 for an extension set made from an rv32 ISA string, else 64."""
    return 32 if exts is not None and RV32 in exts else 64


def vector_limits(exts) -> tuple[int, int] | None:
    """(ELEN, the widest vector FP element: 0, 32 or 64) of a machine with ``exts``; None without a
    vector unit.  V: (64, 64); the Zve subsets as zv.adoc lists them."""
    if "v" not in exts:
        return None
    if "zve32x" not in exts:
        return 64, 64
    elen = 64 if "zve64x" in exts else 32
    return elen, 64 if "zve64d" in exts else 32 if "zve32f" in exts else 0


def extension_mask(exts) -> int:
    """Bit mask of enabled extensions as the C core expects it (bit n = EXTENSIONS[n])."""
    return sum(1 << EXTENSIONS.index(e) for e in exts if e in EXTENSIONS)


def enabled(insn: Instruction, exts) -> bool:
    """Whether ``insn`` exists on a machine with extensions ``exts`` (and their XLEN)."""
    if insn.xlen and insn.xlen != xlen_of(exts):
        return False
    if "zve32x" in exts and "v" in insn.extensions and not _zve_has(insn, exts):
        return False
    return all(e in exts for e in insn.extensions) or any(e in exts for e in insn.alternatives)


def _zve_has(insn: Instruction, exts) -> bool:
    # What an embedded subset leaves out of the table's V records, as GNU as 2.40 checks it: the vector
    # FP instructions need Zve32f, the EEW=64 loads and stores (and EEW=64 indices) Zve64x.  What
    # depends on SEW (FP64, vmulh* at SEW=64) is checked when the instruction runs.
    from .vector import FP_MNEMONICS, EEW64_MEMORY
    if insn.mnemonic in FP_MNEMONICS:
        return "zve32f" in exts
    if insn.mnemonic in EEW64_MEMORY:
        return "zve64x" in exts
    return True


def instructions(xlen: int = 64) -> tuple:
    """The records of an RV``xlen`` machine (``INSTRUCTIONS`` is RV64's, ``RECORDS`` every one)."""
    if xlen == 64:
        return __getattr__("INSTRUCTIONS")
    return tuple(r for r in __getattr__("RECORDS") if r.on_xlen(xlen))


_BY_XLEN: dict = {}


def by_mnemonic(xlen: int = 64) -> dict:
    """Mnemonic -> record on an RV``xlen`` machine (``BY_MNEMONIC`` is RV64's)."""
    if xlen not in _BY_XLEN:
        _BY_XLEN[xlen] = {r.mnemonic: r for r in instructions(xlen)}
    return _BY_XLEN[xlen]


_BUCKETS: dict = {}


def _buckets(xlen: int = 64) -> dict:
    # Candidates grouped by the bits every 32-bit instruction fixes (opcode and, when fixed, funct3);
    # within a bucket the most specific mask is tried first, as the C decoder does.
    if xlen not in _BUCKETS:
        out: dict = {}
        for r in instructions(xlen):
            out.setdefault(_bucket_key(r.match, r.length), []).append(r)
        _BUCKETS[xlen] = {k: tuple(sorted(v, key=lambda r: -bin(r.mask).count("1"))) for k, v in out.items()}
    return _BUCKETS[xlen]


def _bucket_key(word: int, length: int) -> tuple[int, int]:
    return (length, word & 0x7F) if length == 4 else (length, (word & 3) | ((word >> 11) & 0x1C))


def decode(word: int, exts=None, xlen: int | None = None) -> Instruction | None:
    """The instruction record for ``word`` (a 32-bit or 16-bit encoding), or None when it is illegal.

    ``exts`` limits the search to enabled extensions (default: every extension in the table); the XLEN is
    ``xlen``, else that of ``exts`` (see :func:`xlen_of`), else 64.
    Reserved encodings (operand kinds with ``reserved_zero``) decode to None.
    """
    length = 4 if (word & 3) == 3 else 2
    for r in _buckets(xlen or xlen_of(exts)).get(_bucket_key(word, length), ()):
        if not r.matches(word) or (exts is not None and not enabled(r, exts)):
            continue
        if any(k.reserved_zero and k.extract(word) == 0 for k in r.all_operands):
            return None
        return r
    return None


def __getattr__(name: str):
    """The instruction table (built once, on first use), its record types and the table modules."""
    if name in ("INSTRUCTIONS", "BY_MNEMONIC", "RECORDS"):
        if "INSTRUCTIONS" in globals():
            return globals()[name]
        records = _load()
        rv64 = tuple(r for r in records if r.on_xlen(64))
        globals()["RECORDS"] = records
        globals()["INSTRUCTIONS"] = rv64
        globals()["BY_MNEMONIC"] = {r.mnemonic: r for r in rv64}
        return globals()[name]
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(_LAZY_NAMES[name], __name__), name)
        globals()[name] = value
        return value
    if name in _TABLE_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["INSTRUCTIONS", "BY_MNEMONIC", "RECORDS", "RV32", "instructions", "by_mnemonic", "xlen_of",
           "EXTENSIONS", "Instruction", "OperandKind", "OPERAND_KINDS",
           "decode", "parse_isa_string", "expand_extensions", "extension_mask", "enabled"]
