"""Disassembler: GNU objdump's instruction text for words of rvsim's ISA table.

``disassemble(word, pc)`` gives the text of one instruction (``mnemonic<TAB>operands``), and
``disassemble_range(data, base_pc)`` walks a code region.  The output is the instruction text of
``riscv64-unknown-elf-objdump -d`` (binutils 2.40) on a stripped object: register ABI names, objdump's
decimal/hex convention per operand kind, CSR names, rounding modes other than dyn, fence sets, branch
targets as absolute ``0x...`` addresses, ``.aq/.rl`` suffixes, alias spellings from
:mod:`rvsim.isa.aliases` (or none with ``aliases=False``, as ``-M no-aliases``), illegal words as
``.2byte``/``.4byte``, and objdump's ``# 0x...`` address comments (a register loaded by lui/auipc, or tp/x0,
used as a base).  Everything is derived from the ISA table; tests/golden/ holds the objdump output it is
checked against.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rvsim.isa import Instruction, by_mnemonic, enabled, instructions, ml, xlen_of
from rvsim.isa.aliases import OBJDUMP_SHOWS_RESERVED, Alias, kind as alias_kind, rules_for
from rvsim.isa.operands import (AQRL, CSR, FENCE, FREG, IMM, NF, PCREL, RM, UIMM, VM, VREG, VTYPEI,
                                XREG, OperandKind)

from rvsim.isa.operands import FREG_NAMES, XREG_NAMES   # re-exported: register names by number

from .objdump_csrs import OBJDUMP_CSR_NAMES

__all__ = ["disassemble", "disassemble_range", "instruction_length"]

MASK64 = (1 << 64) - 1

ROUNDING_NAMES = ("rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", None)   # None: dyn, not shown
AQRL_SUFFIX = ("", ".rl", ".aq", ".aqrl")                                         # field value = aq:rl

# objdump prints these immediate kinds in hex (shift amounts) or as the 20-bit upper immediate in hex;
# every other immediate is decimal.
HEX_KINDS = frozenset({"shamt5", "shamt6", "c_nzuimm6", "c_nzuimm5"})
UPPER_IMMEDIATE_KINDS = frozenset({"imm_u", "c_nzimm18"})

# objdump's "# address" comments.  A lui/auipc/c.lui remembers the value it puts in rd; a later
# instruction that prints an offset from that register prints the sum (once: the register is then
# forgotten), and offsets from x0 or tp print the offset alone.  Which printed operand triggers it:
# the offset of every 32-bit ``imm(base)`` operand (loads, stores, jalr) and the entries below
# (printed kind, base kind, offset kind, 32-bit result, skipped when the base is x0).
HIGH_PART_SETTERS = {"lui": ("rd", "imm_u", False), "auipc": ("rd", "imm_u", True),
                     "c.lui": ("c_rd_n2", "c_nzimm18", False)}
EXTRA_ADDRESS_USES = {
    "addi": (("imm_i", "rs1", "imm_i", False, True),),
    "addiw": (("imm_i", "rs1", "imm_i", True, True),),
    "jalr": (("rs1", "rs1", "imm_i", False, False),),
    "c.addi": (("c_nzimm6", "c_rd_rs1_n0", "c_nzimm6", False, True),),
    "c.addiw": (("c_imm6", "c_rd_rs1_n0r", "c_imm6", True, True),),
}
_TP = 4
_GP = 3


def instruction_length(parcel: int) -> int:
    """Length in bytes of the instruction whose first 16-bit parcel is ``parcel``, as objdump 2.40
    computes it (the 80..176-bit formats are reported as 2, objdump does not decode them either)."""
    if parcel & 3 != 3:
        return 2
    if parcel & 0x1F != 0x1F:
        return 4
    if parcel & 0x3F == 0x1F:
        return 6
    if parcel & 0x7F == 0x3F:
        return 8
    return 2


# ---------------------------------------------------------------------------------------------------
# Per-record display data, built once


@dataclass(frozen=True)
class _Display:
    """One way to print a record: a rule's spelling or the record's own."""

    mnemonic: str
    tokens: tuple[str, ...]
    kinds: dict                    # kind name -> OperandKind for every kind the syntax/constraints use
    rule: Alias | None
    accepts_reserved: frozenset    # reserved_zero kinds this display explicitly allows at zero
    checked_zero_mask: int         # ignored bits and hidden fields that must be zero (objdump's masks)


@dataclass(frozen=True)
class _RecordInfo:
    record: Instruction
    displays_aliases: tuple[_Display, ...]     # rules usable with aliases, then the plain display
    displays_plain: tuple[_Display, ...]       # always-rules, then the plain display
    reserved_kinds: tuple[OperandKind, ...]
    aqrl: OperandKind | None
    address_uses: dict                         # printed kind -> tuple of (base, offset, wide, skip_x0)
    high_setter: tuple | None


def _kinds_of(record: Instruction) -> dict[str, OperandKind]:
    return {k.name: k for k in record.all_operands}


def _display(record: Instruction, rule: Alias | None) -> _Display:
    own = _kinds_of(record)
    kinds = dict(own)
    tokens = rule.tokens if rule else record.tokens
    referenced = set()
    for name in list(tokens) + ([c.kind for c in rule.when] + [c.other for c in rule.when if c.other]
                                if rule else []):
        k = own.get(name) or alias_kind(name)
        if k is not None:
            kinds[name] = k
            referenced.add(name)
    covered = 0
    for name in referenced:
        covered |= kinds[name].bits_mask
    # objdump's opcode masks cover the bits rvsim's table ignores and hidden fields such as the rm of
    # exact conversions: it only decodes them as zero, unless the spelling shows them (c.nop's hint).
    must_be_zero = record.ignored
    for k in record.hidden:
        if k.role != AQRL:
            must_be_zero |= k.bits_mask
    must_be_zero &= ~covered
    accepts = frozenset(c.kind for c in rule.when if c.op == "=") if rule else frozenset()
    return _Display(rule.mnemonic if rule else record.mnemonic, tokens, kinds, rule, accepts,
                    must_be_zero)


def _address_uses(record: Instruction) -> dict:
    uses: dict[str, tuple] = {}
    t = record.tokens
    if record.length == 4:
        for i in range(len(t) - 3):
            k = next((k for k in record.operands if k.name == t[i]), None)
            if k is not None and k.role == IMM and t[i + 1] == "(" and t[i + 3] == ")":
                uses[t[i]] = uses.get(t[i], ()) + ((t[i + 2], t[i], False, False),)
    for printed, base, offset, wide, skip in EXTRA_ADDRESS_USES.get(record.mnemonic, ()):
        uses[printed] = uses.get(printed, ()) + ((base, offset, wide, skip),)
    return uses


def _info(record: Instruction) -> _RecordInfo:
    rules = [r for r in rules_for(record.mnemonic) if r.disasm]
    plain = _display(record, None)
    with_aliases = tuple(_display(record, r) for r in rules) + (plain,)
    without = tuple(_display(record, r) for r in rules if r.always) + (plain,)
    reserved = tuple(k for k in record.all_operands if k.reserved_zero)
    aqrl = next((k for k in record.hidden if k.role == AQRL), None)
    return _RecordInfo(record, with_aliases, without, reserved, aqrl, _address_uses(record),
                       HIGH_PART_SETTERS.get(record.mnemonic))


@lru_cache(maxsize=None)
def _buckets(xlen: int = 64) -> dict[tuple[int, int], tuple[tuple[Instruction, _RecordInfo], ...]]:
    """Records of RV``xlen`` (with their display data) by opcode bucket, most specific mask first, as the
    decoders of rvsim.isa and the C core order them.  Built on first use."""
    out: dict[tuple[int, int], list[Instruction]] = {}
    for r in instructions(xlen) + (_objdump_rv32_wide_shifts() if xlen == 32 else ()):
        out.setdefault(_bucket(r.match, r.length), []).append(r)
    return {k: tuple((r, _info(r)) for r in sorted(v, key=lambda r: -bin(r.mask).count("1")))
            for k, v in out.items()}


SHIFT_AMOUNT_KINDS = frozenset({"shamt6", "c_nzuimm6"})


def _objdump_rv32_wide_shifts() -> tuple[Instruction, ...]:
    """objdump 2.40 decodes RV32's shift-immediates (slli, srai, rori, bseti, c.slli...) with RV64's 6-bit
    amount: ``0x02551513`` prints as ``slli a0,a0,0x25`` although shamt[5]=1 is reserved on RV32.  The RV64
    records of those shifts, tried after RV32's own (their masks are less specific)."""
    rv32 = by_mnemonic(32)
    return tuple(r for r in instructions(64) if r.xlen == 64 and r.mnemonic in rv32
                 and any(k.name in SHIFT_AMOUNT_KINDS for k in r.operands))


def _bucket(word: int, length: int) -> tuple[int, int]:
    return (4, word & 0x7F) if length == 4 else (2, (word & 3) | ((word >> 11) & 0x1C))


# ---------------------------------------------------------------------------------------------------
# Rendering


class _State:
    """objdump's per-register memory of lui/auipc results (for the address comments), and the XLEN."""

    __slots__ = ("high", "symbolize", "gp", "xlen", "mask")

    def __init__(self, symbolize=None, gp=None, xlen: int = 64) -> None:
        self.high: dict[int, int] = {}
        self.symbolize = symbolize      # address -> text (objdump's "10100 <main+0x18>"), or None
        self.gp = gp                    # the global pointer's value, when the file defines it
        self.xlen = xlen                # RV32 decodes its own encodings (c.jal...) and wraps at 2**32
        self.mask = (1 << xlen) - 1


def _sext32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def _format(k: OperandKind, v: int, pc: int, symbolize=None, mask: int = MASK64) -> str | None:
    role = k.role
    if role == XREG:
        return XREG_NAMES[v]
    if role == FREG:
        return FREG_NAMES[v]
    if role == PCREL:
        target = (pc + v) & mask
        return symbolize(target) if symbolize else f"{target:#x}"
    if role in (IMM, UIMM):
        if k.name in UPPER_IMMEDIATE_KINDS:
            return f"{v & 0xFFFFF:#x}"
        if k.name in HEX_KINDS:
            return f"{v:#x}"
        return str(v)
    if role == CSR:
        name = OBJDUMP_CSR_NAMES.get(v)
        return name if name else f"{v:#x}"
    if role == RM:
        return ROUNDING_NAMES[v]
    if role == FENCE:
        return "".join(ch for bit, ch in zip((8, 4, 2, 1), "iorw") if v & bit) or "unknown"
    if role == VREG:
        return f"v{v}"
    if role == VM:
        return None if v else "v0.t"
    if role == VTYPEI:
        # GNU's vsetvli immediate spelling (to be checked against objdump once vector records exist).
        sew, lmul = (v >> 3) & 7, v & 7
        if v >> 8 or sew > 3 or lmul == 4:
            return str(v)
        lm = ("m1", "m2", "m4", "m8", None, "mf8", "mf4", "mf2")[lmul]
        return f"e{8 << sew},{lm},{'ta' if v >> 6 & 1 else 'tu'},{'ma' if v >> 7 & 1 else 'mu'}"
    if role == NF:
        return str(v)
    if role == ml.TREG:
        return f"mt{v}"
    if role == ml.MTYPEI:
        return ml.format_mtype_immediate(v)
    raise ValueError(f"no display rule for operand kind {k.name} (role {role})")


def _illegal(data: bytes) -> str:
    n = len(data)
    value = int.from_bytes(data, "little")
    if n in (2, 4, 8):
        return f".{n}byte\t{value:#x}"
    return ".byte\t" + ", ".join(f"{b:#04x}" for b in data)


def _render(word: int, length: int, pc: int, aliases: bool, exts, state: _State) -> str | None:
    """Text of the instruction ``word`` (``length`` 2 or 4), or None when objdump would not decode it."""
    for record, info in _buckets(state.xlen).get(_bucket(word, length), ()):
        if (word & record.mask) == record.match and (exts is None or enabled(record, exts)
                                                     or record.xlen != state.xlen and _wide_shift_ok(record, exts)):
            break
    else:
        return None
    values: dict[str, int] = {}

    def value(name: str, kinds) -> int:
        # kind names are global, so one cache serves every display of the record
        v = values.get(name)
        if v is None:
            v = values[name] = kinds[name].extract(word)
        return v

    chosen = None
    for d in (info.displays_aliases if aliases else info.displays_plain):
        if d.rule is None or all(c.holds({n: value(n, d.kinds) for n in (c.kind, c.other) if n})
                                 for c in d.rule.when):
            chosen = d
            break
    assert chosen is not None      # the plain display always matches
    if word & chosen.checked_zero_mask:
        return None
    if record.mnemonic not in OBJDUMP_SHOWS_RESERVED:
        for k in info.reserved_kinds:
            if k.name not in chosen.accepts_reserved and value(k.name, chosen.kinds) == 0:
                return None

    mnemonic = chosen.mnemonic
    if info.aqrl is not None:
        mnemonic += AQRL_SUFFIX[info.aqrl.extract(word)]
    parts: list[str] = []
    comment = None
    for tok in chosen.tokens:
        k = chosen.kinds.get(tok)
        if k is None:                       # punctuation or a literal register
            parts.append(tok)
            continue
        v = value(tok, chosen.kinds)
        text = _format(k, v, pc, state.symbolize, state.mask)
        if text is None:                    # an optional operand at its default (dyn, unmasked)
            if parts and parts[-1] == ",":
                parts.pop()
            continue
        parts.append(text)
        if state is not None:
            for base, offset, wide, skip_x0 in info.address_uses.get(tok, ()):
                b = value(base, chosen.kinds)
                if skip_x0 and b == 0:
                    continue
                addr = _maybe_address(state, b, value(offset, chosen.kinds), wide)
                if addr is not None:
                    comment = addr
            if info.high_setter and tok == info.high_setter[0]:
                _, upper, pc_relative = info.high_setter
                hi = _sext32(value(upper, chosen.kinds) << 12) if upper == "imm_u" \
                    else value(upper, chosen.kinds) << 12
                state.high[v] = (pc + hi if pc_relative else hi) & state.mask
    text = mnemonic + ("\t" + "".join(parts) if parts else "")
    if comment is not None:
        symbolize = state.symbolize if state is not None else None
        text += f" # {symbolize(comment) if symbolize else f'{comment:#x}'}"
    return text


def _wide_shift_ok(record: Instruction, exts) -> bool:
    # an RV64 shift shown on RV32 (see _objdump_rv32_wide_shifts): its extensions must be enabled
    return all(e in exts for e in record.extensions)


def _maybe_address(state: _State, base: int, offset: int, wide: bool) -> int | None:
    high = state.high.pop(base, None)
    if high is not None:
        addr = (high if base != 0 else 0) + offset
    elif base == _GP and state.gp is not None:
        addr = state.gp + offset       # objdump knows gp from __global_pointer$
    elif base in (0, _TP):
        addr = offset
    else:
        return None
    if wide:
        addr = _sext32(addr)
    return addr & state.mask


def _one(data: bytes, pc: int, aliases: bool, exts, state: _State) -> tuple[int, int, str]:
    """(word, length, text) of the instruction at the start of ``data``."""
    if len(data) < 2:
        return data[0] if data else 0, len(data), _illegal(data)
    parcel = data[0] | data[1] << 8
    length = instruction_length(parcel)
    if len(data) < length:
        length = len(data) if len(data) < 4 else 2
        chunk = data[:length]
        return int.from_bytes(chunk, "little"), length, _illegal(chunk)
    chunk = data[:length]
    word = int.from_bytes(chunk, "little")
    text = _render(word, length, pc, aliases, exts, state) if length in (2, 4) else None
    return word, length, text if text is not None else _illegal(chunk)


def disassemble(word_or_bytes, pc: int = 0, aliases: bool = True, exts=None, xlen: int | None = None) -> str:
    """objdump's text for one instruction at ``pc``.

    ``word_or_bytes``: an instruction word (an int: a 16-bit encoding is taken from the low half when
    its low two bits are not 11) or bytes (little-endian, the first instruction is used).
    ``aliases=False`` is ``objdump -M no-aliases``; ``exts`` limits decoding to those extensions.
    ``xlen`` is 32 or 64 (default: that of ``exts``, see :func:`rvsim.isa.xlen_of`, else 64).
    """
    if isinstance(word_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(word_or_bytes)
        if not data:
            raise ValueError("disassemble: no bytes given")
    elif isinstance(word_or_bytes, int):
        if not 0 <= word_or_bytes <= 0xFFFFFFFF:
            raise ValueError(f"disassemble: {word_or_bytes:#x} is not a 16- or 32-bit instruction word")
        if word_or_bytes & 3 != 3:
            data = (word_or_bytes & 0xFFFF).to_bytes(2, "little")
        else:
            data = word_or_bytes.to_bytes(4, "little")
    else:
        raise TypeError(f"disassemble: expected an int or bytes, got {type(word_or_bytes).__name__}")
    state = _State(xlen=xlen or xlen_of(exts))
    return _one(data, pc & state.mask, aliases, exts, state)[2]


def disassemble_range(data: bytes, base_pc: int = 0, aliases: bool = True, exts=None, symbolize=None,
                      gp=None, xlen: int | None = None) -> list[tuple[int, int, int, str]]:
    """Disassemble a code region: a list of (pc, word, length, text), as objdump walks it (including
    its address comments, which need the instructions before).  ``symbolize`` turns a branch target
    or commented address into text (objdump on a file with symbols prints ``10100 <main+0x18>``);
    by default addresses print as ``0x10100``, as objdump does for a stripped object.  ``gp`` is the
    value of ``__global_pointer$``: offsets from gp then get address comments too.  ``xlen`` as for
    :func:`disassemble`."""
    data = bytes(data)
    state = _State(symbolize, gp, xlen or xlen_of(exts))
    out = []
    pos = 0
    while pos < len(data):
        pc = (base_pc + pos) & state.mask
        word, length, text = _one(data[pos:pos + 8], pc, aliases, exts, state)
        out.append((pc, word, length, text))
        pos += length
    return out
