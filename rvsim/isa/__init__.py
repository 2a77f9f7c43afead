"""rvsim's ISA table: one declarative record per instruction.

Everything that knows an encoding reads it from here: the assembler, the disassembler, the generated C
decoder (``python -m rvsim.isa.gen_c``), the documentation's coverage table and the test strategies.
"""
from __future__ import annotations

from functools import lru_cache

from . import base, compressed, fp, ml, vector
from .operands import OPERAND_KINDS, OperandKind
from .table import Instruction, parse_table

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

_MODULES = (base, fp, compressed, vector, ml)


def _load() -> tuple[Instruction, ...]:
    records = []
    for module in _MODULES:
        for ext, text in module.TABLES.items():
            for part in ext.replace("|", "+").split("+"):
                if part not in EXTENSIONS:
                    raise ValueError(f"table {module.__name__} names unknown extension {part!r}")
            records.extend(parse_table(text, ext))
    seen = set()
    for r in records:
        if r.mnemonic in seen:
            raise ValueError(f"instruction {r.mnemonic} defined twice")
        seen.add(r.mnemonic)
    return tuple(records)


INSTRUCTIONS: tuple[Instruction, ...] = _load()
BY_MNEMONIC: dict[str, Instruction] = {r.mnemonic: r for r in INSTRUCTIONS}


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


def parse_isa_string(isa: str) -> frozenset[str]:
    """Extensions named by an ISA string such as ``rv64gc``, ``rv64imac_zba_zbb`` or ``rv64gcv_zvfh``."""
    s = isa.strip().lower()
    if not s.startswith("rv64"):
        raise ValueError(f"ISA string {isa!r}: only rv64 is supported (it must start with 'rv64')")
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
    return exts


def extension_mask(exts) -> int:
    """Bit mask of enabled extensions as the C core expects it (bit n = EXTENSIONS[n])."""
    return sum(1 << EXTENSIONS.index(e) for e in exts if e in EXTENSIONS)


def enabled(insn: Instruction, exts) -> bool:
    """Whether ``insn`` exists on a machine with extensions ``exts``."""
    return all(e in exts for e in insn.extensions) or any(e in exts for e in insn.alternatives)


@lru_cache(maxsize=None)
def _buckets() -> dict[tuple[int, int], tuple[Instruction, ...]]:
    # Candidates grouped by the bits every 32-bit instruction fixes (opcode and, when fixed, funct3);
    # within a bucket the most specific mask is tried first, as the C decoder does.
    out: dict[tuple[int, int], list[Instruction]] = {}
    for r in INSTRUCTIONS:
        out.setdefault(_bucket_key(r.match, r.length), []).append(r)
    return {k: tuple(sorted(v, key=lambda r: -bin(r.mask).count("1"))) for k, v in out.items()}


def _bucket_key(word: int, length: int) -> tuple[int, int]:
    return (length, word & 0x7F) if length == 4 else (length, (word & 3) | ((word >> 11) & 0x1C))


def decode(word: int, exts=None) -> Instruction | None:
    """The instruction record for ``word`` (a 32-bit or 16-bit encoding), or None when it is illegal.

    ``exts`` limits the search to enabled extensions (default: every extension in the table).
    Reserved encodings (operand kinds with ``reserved_zero``) decode to None.
    """
    length = 4 if (word & 3) == 3 else 2
    for r in _buckets().get(_bucket_key(word, length), ()):
        if not r.matches(word) or (exts is not None and not enabled(r, exts)):
            continue
        if any(k.reserved_zero and k.extract(word) == 0 for k in r.all_operands):
            return None
        return r
    return None


__all__ = ["INSTRUCTIONS", "BY_MNEMONIC", "EXTENSIONS", "Instruction", "OperandKind", "OPERAND_KINDS",
           "decode", "parse_isa_string", "expand_extensions", "extension_mask", "enabled"]
