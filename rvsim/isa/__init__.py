"""rvsim's ISA table: one declarative record per instruction.

``RECORDS`` holds every encoding once, with its XLEN when it exists on one only (``Instruction.xlen``);
``INSTRUCTIONS``/``BY_MNEMONIC`` are the RV64 view, :func:`instructions`/:func:`by_mnemonic` either view.
Everything that knows an encoding reads it from here: the assembler, the disassembler, the generated C
decoder (``python -m rvsim.isa.gen_c``), the documentation's coverage table and the test strategies.
"""
from __future__ import annotations

import importlib
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
)

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
}

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
        if m not in EXTENSIONS and m not in IMPLIES:
            raise ValueError(f"ISA string {isa!r}: unknown extension {m!r} "
                             f"(known: {', '.join(e for e in EXTENSIONS if len(e) > 1)})")
        names.append(m)
    exts = expand_extensions(names)
    if "i" not in exts:
        raise ValueError(f"ISA string {isa!r}: the base I (or G) is required")
    return exts | {RV32} if s.startswith("rv32") else exts


def xlen_of(exts) -> int:
    """32 for an extension set made from an rv32 ISA string, else 64."""
    return 32 if exts is not None and RV32 in exts else 64


def extension_mask(exts) -> int:
    """Bit mask of enabled extensions as the C core expects it (bit n = EXTENSIONS[n])."""
    return sum(1 << EXTENSIONS.index(e) for e in exts if e in EXTENSIONS)


def enabled(insn: Instruction, exts) -> bool:
    """Whether ``insn`` exists on a machine with extensions ``exts`` (and their XLEN)."""
    if insn.xlen and insn.xlen != xlen_of(exts):
        return False
    return all(e in exts for e in insn.extensions) or any(e in exts for e in insn.alternatives)


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
