"""Assembler directives (``.word``, ``.section``, ``.option``, ``.insn``...).

Each handler takes the assembler and the operand trees.  Directives that only matter to an object-file
writer or a debugger (``.cfi_*``, ``.file``, ``.ident``, ``.loc``...) are accepted and ignored;
``.type``, ``.size`` and ``.attribute`` are recorded.
"""
from __future__ import annotations

import re
import struct

from ..isa import IMPLIES, EXTENSIONS, expand_extensions, parse_isa_string
from .fragments import Align, Fixup
from .encoder import FREGS, XREGS, describe_arg
from .errors import StatementError


def _need(args, lo, hi, name, syntax):
    if not lo <= len(args) <= hi:
        raise StatementError(f"`{name}` takes {lo if lo == hi else f'{lo} to {hi}'} operand"
                             f"{'s' if hi != 1 else ''}, got {len(args)}", f"syntax: {name} {syntax}",
                             hi if len(args) > hi else None)


def _name(a, i, what="a symbol name"):
    if isinstance(a, str) and a not in XREGS:
        return str(a)
    raise StatementError(f"expected {what}, not `{describe_arg(a)}`", operand=i)


# ------------------------------------------------------------------------------------------------ sections

def d_text(asm, args):
    asm.set_section(".text")


def d_data(asm, args):
    asm.set_section(".data")


def d_bss(asm, args):
    asm.set_section(".bss")


def d_rodata(asm, args):
    asm.set_section(".rodata")


_SECTION_TYPES = {"@progbits": False, "%progbits": False, "@nobits": True, "%nobits": True,
                  "@note": False, "@init_array": False, "@fini_array": False, "@preinit_array": False}


def _raw_operands(asm) -> list[str]:
    """The operand text of the current statement split at top-level commas (for .section names)."""
    text = asm.cur_src.text
    m = re.search(r"\.(?:section|pushsection)\b", text)
    rest = text[m.end():] if m else ""
    rest = rest.split(";")[0] if '"' not in rest else rest
    out, cur, q = [], "", False
    for ch in rest:
        if ch == '"':
            q = not q
        if ch == "," and not q:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return out


def d_section(asm, args, push=False):
    if not args:
        raise StatementError("`.section` needs a section name", '.section .rodata or .section .mydata,"aw"')
    parts = _raw_operands(asm)
    name = parts[0].strip('"')
    flags, nobits = None, None
    if len(parts) > 1 and parts[1].startswith('"'):
        flags = "".join(c for c in parts[1].strip('"') if c in "awxMST")
        flags = "".join(c for c in flags if c in "awxT")
        if name.startswith((".bss", ".sbss", ".tbss")):
            nobits = True
    entsize = 0
    if len(parts) > 2:
        t = parts[2].strip()
        if t in _SECTION_TYPES:
            nobits = _SECTION_TYPES[t]
        if len(parts) > 3:
            try:
                entsize = int(parts[3], 0)
            except ValueError:
                entsize = 0
    if push:
        asm.section_stack.append((asm.section, asm.previous))
    asm.set_section(name, flags, nobits, entsize)


def d_pushsection(asm, args):
    d_section(asm, args, push=True)


def d_popsection(asm, args):
    if not asm.section_stack:
        raise StatementError("`.popsection` without `.pushsection`")
    sec, prev = asm.section_stack.pop()
    asm.set_section(sec.name)
    asm.previous = prev


def d_previous(asm, args):
    if asm.previous is None:
        raise StatementError("`.previous` with no previous section")
    asm.set_section(asm.previous.name)


# ------------------------------------------------------------------------------------------------ symbols

def _binding(kind):
    def handler(asm, args):
        if not args:
            raise StatementError(f"`.{kind}` needs at least one symbol")
        for i, a in enumerate(args):
            s = asm.symbol(_name(a, i))
            s.binding = {"globl": "global", "global": "global", "local": "local", "weak": "weak"}[kind]
    return handler


def d_type(asm, args):
    _need(args, 2, 2, ".type", "symbol, @function|@object")
    s = asm.symbol(_name(args[0], 0))
    t = args[1]
    t = t if isinstance(t, str) else describe_arg(t)
    s.type = {"@function": "func", "%function": "func", "function": "func", "@object": "object",
              "%object": "object", "object": "object"}.get(t.lstrip(), None)


def d_size(asm, args):
    _need(args, 2, 2, ".size", "symbol, size")
    s = asm.symbol(_name(args[0], 0))
    s.size = asm.value(asm.bind(args[1]), 1)


def d_equ(asm, args, how="set"):
    _need(args, 2, 2, f".{how}", "symbol, expression")
    name = _name(args[0], 0)
    v = asm.value(asm.bind(args[1]), 1)
    s = asm.symbol(name)
    if s.kind == "label":
        raise StatementError(f"symbol `{name}` is already defined as a label", operand=0)
    if how in ("equiv", "eqv") and s.kind is not None:
        raise StatementError(f"symbol `{name}` is already defined", f"`.{how}` refuses to redefine", 0)
    s.kind = "equ"
    s.value = v
    s.defined_at = (asm.cur_src, asm.cur_stmt)


def d_comm(asm, args, local=False):
    _need(args, 2, 3, ".comm", "symbol, size[, align]")
    name = _name(args[0], 0)
    size = asm.const(args[1], 1)
    align = asm.const(args[2], 2) if len(args) > 2 else min(16, 1 << max(0, (size - 1).bit_length()))
    s = asm.symbol(name)
    if s.kind is not None:
        return
    cur = asm.section
    asm.set_section(".bss")
    sec = asm.section
    sec.align = max(sec.align, align)
    pad = (-len(asm.data)) % align if not sec.has_var else 0
    if sec.has_var or pad:
        asm.new_frag(Align(align, 0, None, False)) if sec.has_var else asm.data.extend(bytes(pad))
    s.kind = "label"
    s.value = ("loc", sec, len(sec.frags) - 1, len(asm.data))
    s.section = sec
    s.size = size
    s.type = "object"
    if not local and s.binding == "local":
        s.binding = "global"
    asm.data.extend(bytes(size))
    asm.set_section(cur.name)


# ------------------------------------------------------------------------------------------------ data

def _check_aligned(asm, size: int, name: str) -> None:
    """Warn about a .half/.word/.dword (or .float/.double) at an address that is not a multiple of its
    size: GNU as accepts it silently, but a lw/sw of it then traps or is slow, and RARS would have
    aligned it.  Only where the offset is known: from the start of a data section or an alignment."""
    sec = asm.section
    if size == 1 or "x" in sec.flags:
        return
    if len(sec.frags) > 1:
        var = sec.frags[-2].var
        if type(var) is not Align or var.boundary < size:
            return
    offset = len(asm.data)
    if offset % size:
        power = {2: 1, 4: 2, 8: 3}[size]
        asm.warn(f"misaligned {name}: it is at offset {offset} of {sec.name}, not a multiple of {size}",
                 f"put `.align {power}` before it (RARS aligns {name} by itself, GNU as does not)")


def _data(size, name=None):
    def handler(asm, args):
        if not args:
            return
        if name is not None:
            _check_aligned(asm, size, name)
        out = asm.data
        for i, a in enumerate(args):
            if a is None:
                out += bytes(size)
                continue
            if type(a) is tuple and a[0] == "s":
                raise StatementError("string in a numeric data directive", "use .ascii or .string", i)
            v = asm.value(asm.bind(a), i) if type(a) is not int else a
            if type(v) is int:
                out += (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
            else:
                sec = asm.section
                asm.fixups.append(Fixup(sec, len(sec.frags) - 1, len(out), "data", (size, v, i),
                                        asm.cur_src, asm.cur_stmt))
                out += bytes(size)
    return handler


def _float(fmt, name):
    def handler(asm, args):
        if args:
            _check_aligned(asm, struct.calcsize(fmt), name)
        for i, a in enumerate(args):
            if type(a) is tuple and a[0] == "f":
                v = a[1]
            elif type(a) is int:
                v = float(a)
            elif isinstance(a, str) and a.lower() in ("inf", "infinity", "nan"):
                v = float(a)
            elif type(a) is tuple and a[0] == "u" and a[1] == "-" and isinstance(a[2], str):
                v = -float(a[2])
            else:
                v = float(asm.const(a, i, "a number"))
            try:
                asm.data += struct.pack(fmt, v)
            except OverflowError:
                raise StatementError(f"floating-point value {v} out of range", operand=i)
    return handler


def _strings(zero):
    def handler(asm, args):
        for i, a in enumerate(args):
            if type(a) is not tuple or a[0] != "s":
                raise StatementError(f"expected a string in quotes, not `{describe_arg(a)}`", operand=i)
            asm.data += a[1]
            if zero:
                asm.data.append(0)
    return handler


# A guard for the host: space directives, repeated fills and alignments may not grow one section past
# this (an input such as `.zero 999999999999` would otherwise exhaust host memory before failing).
MAX_SECTION_BYTES = 256 << 20


def _reserve(asm, n, operand=0):
    if n < 0:
        raise StatementError(f"negative size {n}", operand=operand)
    if len(asm.data) + n > MAX_SECTION_BYTES:
        raise StatementError(f"{n} more bytes would make the section larger than "
                             f"{MAX_SECTION_BYTES >> 20} MiB", operand=operand)


def d_zero(asm, args):
    _need(args, 1, 1, ".zero", "count")
    n = asm.const(args[0], 0, "a byte count")
    _reserve(asm, n)
    asm.data += bytes(n)


def d_space(asm, args):
    _need(args, 1, 2, ".space", "count[, fill]")
    n = asm.const(args[0], 0, "a byte count")
    fill = asm.const(args[1], 1) & 0xFF if len(args) > 1 else 0
    _reserve(asm, n)
    asm.data += bytes([fill]) * n


def d_fill(asm, args):
    _need(args, 1, 3, ".fill", "repeat[, size[, value]]")
    rep = asm.const(args[0], 0)
    size = asm.const(args[1], 1) if len(args) > 1 and args[1] is not None else 1
    val = asm.const(args[2], 2) if len(args) > 2 else 0
    if rep < 0 or not 0 <= size <= 8:
        raise StatementError("bad .fill operands", "repeat >= 0, size 0..8")
    _reserve(asm, rep * size)
    # GNU as writes at most 4 bytes of the value; wider sizes are zero-padded
    item = (val & 0xFFFFFFFF).to_bytes(4, "little")[:size] + bytes(max(0, size - 4))
    asm.data += item * rep


def _leb(signed):
    def handler(asm, args):
        for i, a in enumerate(args):
            v = asm.const(a, i)
            out = bytearray()
            while True:
                b = v & 0x7F
                v >>= 7
                done = (v == 0 and not b & 0x40) or (v == -1 and b & 0x40) if signed else v == 0
                out.append(b | (0 if done else 0x80))
                if done:
                    break
            asm.data += out
    return handler


# ------------------------------------------------------------------------------------------------ alignment

def _align(asm, boundary, fill, max_skip, i=0):
    if boundary <= 0 or boundary & (boundary - 1):
        raise StatementError(f"alignment {boundary} is not a power of 2", operand=i)
    _reserve(asm, boundary - 1, i)
    sec = asm.section
    sec.align = max(sec.align, boundary)
    code = fill is None and "x" in sec.flags
    if not code and fill is None:
        fill = 0
    asm.new_frag(Align(boundary, fill, max_skip, code))


def _p2(asm, args, name):
    _need(args, 1, 3, name, "power[, fill[, max]]")
    n = asm.const(args[0], 0, "an alignment")
    if not 0 <= n < 32:
        raise StatementError(f"alignment 2**{n} out of range", "allowed range is 0..31", 0)
    fill = asm.const(args[1], 1) if len(args) > 1 and args[1] is not None else None
    mx = asm.const(args[2], 2) if len(args) > 2 and args[2] is not None else None
    _align(asm, 1 << n, fill, mx)


def d_p2align(asm, args):
    _p2(asm, args, ".p2align")


def d_align(asm, args):
    _p2(asm, args, ".align")                  # on RISC-V, .align takes a power of two like .p2align


def d_balign(asm, args):
    _need(args, 1, 3, ".balign", "bytes[, fill[, max]]")
    n = asm.const(args[0], 0, "an alignment")
    fill = asm.const(args[1], 1) if len(args) > 1 and args[1] is not None else None
    mx = asm.const(args[2], 2) if len(args) > 2 and args[2] is not None else None
    _align(asm, n, fill, mx)


# ------------------------------------------------------------------------------------------------ options

def d_option(asm, args):
    if not args:
        raise StatementError("`.option` needs an argument", "rvc, norvc, push, pop, arch, relax, norelax, pic, nopic")
    opt = args[0] if isinstance(args[0], str) else describe_arg(args[0])
    if opt == "rvc":
        asm.set_exts(asm.exts | {"c"}, True)
    elif opt == "norvc":
        asm.set_exts(asm.exts - {"c"}, False)    # GNU as then refuses c.* instructions too
    elif opt == "push":
        asm.option_stack.append((asm.exts, asm.rvc, asm.pic))
    elif opt == "pop":
        if not asm.option_stack:
            raise StatementError("`.option pop` without `.option push`")
        exts, rvc, asm.pic = asm.option_stack.pop()
        asm.set_exts(exts, rvc)
    elif opt == "arch":
        _option_arch(asm, args[1:])
    elif opt in ("pic", "nopic"):
        asm.pic = opt == "pic"
    elif opt in ("relax", "norelax", "csr-check", "no-csr-check"):
        pass
    else:
        raise StatementError(f"unknown option `{opt}`",
                             "known: rvc norvc push pop arch relax norelax pic nopic", 0)


def _option_arch(asm, rest):
    text = asm.cur_src.text
    m = re.search(r"\barch\s*,(.*)", text)
    if not m:
        raise StatementError("`.option arch` needs extensions",
                             ".option arch, +zba  or  .option arch, rv64gc  or  .option arch, rv32imac")
    items = [x.strip() for x in m.group(1).split(";")[0].split(",") if x.strip()]
    exts = set(asm.exts)
    for it in items:
        if it.startswith("rv"):
            try:
                exts = set(parse_isa_string(it, rv32=True))
            except ValueError as e:
                raise StatementError(str(e))
        elif it[0] in "+-":
            name = it[1:].lower()
            name = re.sub(r"\d+p\d+$", "", name)
            if name not in EXTENSIONS and name not in IMPLIES:
                raise StatementError(f"unknown extension `{name}`", "e.g. .option arch, +zba")
            if it[0] == "+":
                exts |= expand_extensions([name])
            else:
                exts.discard(name)
        else:
            raise StatementError(f"bad `.option arch` item `{it}`", "use +ext, -ext or a full ISA string")
    asm.set_exts(exts, "c" in exts)


def d_attribute(asm, args):
    _need(args, 2, 2, ".attribute", "tag, value")
    tag = args[0] if isinstance(args[0], str) else asm.const(args[0], 0)
    v = args[1]
    asm.attributes[tag] = v[1].decode() if type(v) is tuple and v[0] == "s" else asm.const(v, 1)
    if tag in ("arch", "Tag_RISCV_arch", 5) and isinstance(asm.attributes[tag], str):
        # as GNU as: the arch attribute sets the ISA and XLEN (and the ELF class) from here on
        from ..isa.arch import isa_from_arch_string
        isa = isa_from_arch_string(asm.attributes[tag])
        if isa is None:
            raise StatementError(f"`.attribute arch` names no ISA rvsim knows: {asm.attributes[tag]!r}",
                                 'e.g. .attribute arch, "rv32imac" or "rv64gc"', 1)
        exts = parse_isa_string(isa, rv32=True)
        asm.march = isa
        asm.set_exts(exts, "c" in exts)
        asm.elf_xlen = asm.xlen


def d_ignore(asm, args):
    pass


def d_end(asm, args):
    asm.ended = True


def d_error(asm, args):
    msg = args[0][1].decode() if args and type(args[0]) is tuple and args[0][0] == "s" else "error"
    raise StatementError(msg, "raised by .error in the source")


# ------------------------------------------------------------------------------------------------ .insn

_OPCODES = {
    "LOAD": 0x03, "LOAD_FP": 0x07, "CUSTOM_0": 0x0B, "MISC_MEM": 0x0F, "OP_IMM": 0x13, "AUIPC": 0x17,
    "OP_IMM_32": 0x1B, "STORE": 0x23, "STORE_FP": 0x27, "CUSTOM_1": 0x2B, "AMO": 0x2F, "OP": 0x33,
    "LUI": 0x37, "OP_32": 0x3B, "MADD": 0x43, "MSUB": 0x47, "NMSUB": 0x4B, "NMADD": 0x4F, "OP_FP": 0x53,
    "OP_V": 0x57, "CUSTOM_2": 0x5B, "BRANCH": 0x63, "JALR": 0x67, "JAL": 0x6F, "SYSTEM": 0x73,
    "CUSTOM_3": 0x7B, "C0": 0, "C1": 1, "C2": 2,
}

# format -> (fields in written order, length). Field names: op f2 f3 f4 f6 f7 rd rs1 rs2 rs3 imm/mem/target
_INSN_FORMATS = {
    "r": ("op f3 f7 rd rs1 rs2", 4), "r4": ("op f3 f2 rd rs1 rs2 rs3", 4),
    "i": ("op f3 rd rs1 imm", 4), "s": ("op f3 rs2 mem_s", 4), "b": ("op f3 rs1 rs2 target_b", 4),
    "sb": ("op f3 rs1 rs2 target_b", 4),
    "u": ("op rd imm_u", 4), "j": ("op rd target_j", 4), "uj": ("op rd target_j", 4),
    "cr": ("op f4 rd rs2", 2), "ci": ("op f3 rd imm_ci", 2), "ciw": ("op f3 rdp imm_ciw", 2),
    "css": ("op f3 rs2 imm_css", 2), "cl": ("op f3 rdp mem_cl", 2), "cs": ("op f3 rs2p mem_cs", 2),
    "ca": ("op f6 f2 rdp rs2p", 2), "cb": ("op f3 rs1p target_cb", 2), "cj": ("op f3 target_cj", 2),
}


def _insn_reg(a, i):
    if isinstance(a, str):
        if a in XREGS:
            return XREGS[a]
        if a in FREGS:
            return FREGS[a]
    raise StatementError(f"operand {i + 1} of `.insn` must be a register, not `{describe_arg(a)}`", operand=i)


def _bits(v, hi, lo):
    return (v & ((1 << (hi - lo + 1)) - 1)) << lo


def d_insn(asm, args):
    if not args:
        raise StatementError("`.insn` needs operands", ".insn r OP, 0, 0, a0, a1, a2  or  .insn 0x00b50533")
    fmt = args[0].lower() if isinstance(args[0], str) and args[0].lower() in _INSN_FORMATS else None
    if fmt is None:
        # raw: .insn value  or  .insn length, value
        if len(args) == 1:
            v = asm.const(args[0], 0)
            length = 2 if v & 3 != 3 else 4
            if v >> (8 * length):
                raise StatementError("`.insn` value conflicts with the instruction length",
                                     "a value whose low bits are 11 is 4 bytes long, else 2", 0)
        else:
            _need(args, 2, 2, ".insn", "length, value")
            length, v = asm.const(args[0], 0), asm.const(args[1], 1)
            if length not in (2, 4) or (length == 4) != (v & 3 == 3) or v >> (8 * length):
                raise StatementError("`.insn` value conflicts with the instruction length", operand=1)
        asm.record_line()
        asm.data += v.to_bytes(length, "little")
        return
    spec, length = _INSN_FORMATS[fmt]
    fields = spec.split()
    ops = args[1:]
    if fmt == "i" and len(ops) == 4 and type(ops[3]) is tuple and ops[3][0] == "m":
        ops = ops[:3] + [ops[3][2], 0 if ops[3][1] is None else ops[3][1]]     # .insn i op, f3, rd, imm(rs1)
    if len(ops) != len(fields):
        raise StatementError(f"`.insn {fmt}` takes {len(fields)} operands, got {len(ops)}",
                             f"syntax: .insn {fmt} {', '.join(fields)}")
    word = 0
    vals = {}
    for i, (f, a) in enumerate(zip(fields, ops), 1):
        if f == "op":
            v = _OPCODES.get(a.upper()) if isinstance(a, str) else None
            vals[f] = v if v is not None else asm.const(a, i)
        elif f in ("rd", "rs1", "rs2", "rs3"):
            vals[f] = _insn_reg(a, i)
        elif f in ("rdp", "rs2p", "rs1p"):
            r = _insn_reg(a, i)
            if not 8 <= r <= 15:
                raise StatementError("compressed register operand must be x8..x15 / f8..f15", operand=i)
            vals[f] = r - 8
        elif f.startswith("mem"):
            if type(a) is not tuple or a[0] != "m":
                raise StatementError("expected offset(register)", operand=i)
            vals["rs1"] = _insn_reg(a[2], i)
            vals["rs1p"] = vals["rs1"] - 8
            vals[f] = asm.const(0 if a[1] is None else a[1], i)
        elif f.startswith("target"):
            vals[f] = asm.value(asm.bind(a), i)
        else:
            vals[f] = asm.const(a, i)
    op = vals["op"]
    g = vals.get
    if length == 4:
        word = op & 0x7F
        if fmt == "r":
            word |= _bits(g("f3"), 14, 12) | _bits(g("f7"), 31, 25) | _bits(g("rd"), 11, 7) | \
                _bits(g("rs1"), 19, 15) | _bits(g("rs2"), 24, 20)
        elif fmt == "r4":
            word |= _bits(g("f3"), 14, 12) | _bits(g("f2"), 26, 25) | _bits(g("rd"), 11, 7) | \
                _bits(g("rs1"), 19, 15) | _bits(g("rs2"), 24, 20) | _bits(g("rs3"), 31, 27)
        elif fmt == "i":
            _range(vals["imm"], -2048, 2047, 4)
            word |= _bits(g("f3"), 14, 12) | _bits(g("rd"), 11, 7) | _bits(g("rs1"), 19, 15) | \
                _bits(g("imm"), 31, 20)
        elif fmt == "s":
            imm = vals["mem_s"]
            _range(imm, -2048, 2047, 3)
            word |= _bits(g("f3"), 14, 12) | _bits(g("rs2"), 24, 20) | _bits(g("rs1"), 19, 15) | \
                _bits(imm >> 5, 31, 25) | _bits(imm, 11, 7)
        elif fmt == "u":
            _range(vals["imm_u"], 0, 0xFFFFF, 2)
            word |= _bits(g("rd"), 11, 7) | _bits(g("imm_u"), 31, 12)
        elif fmt in ("b", "sb", "j", "uj"):
            base = word | (_bits(g("f3"), 14, 12) | _bits(g("rs1"), 19, 15) | _bits(g("rs2"), 24, 20)
                           if fmt in ("b", "sb") else _bits(g("rd"), 11, 7))
            _insn_branch(asm, base, vals, fmt, len(fields))
            return
        asm.record_line()
        asm.data += word.to_bytes(4, "little")
        return
    word = op & 3
    if fmt == "cr":
        word |= _bits(g("f4"), 15, 12) | _bits(g("rd"), 11, 7) | _bits(g("rs2"), 6, 2)
    elif fmt == "ci":
        imm = vals["imm_ci"]
        _range(imm, -32, 31, 3)
        word |= _bits(g("f3"), 15, 13) | _bits(imm >> 5, 12, 12) | _bits(g("rd"), 11, 7) | _bits(imm, 6, 2)
    elif fmt == "ciw":
        imm = vals["imm_ciw"]
        _range(imm, 0, 255, 3)
        word |= _bits(g("f3"), 15, 13) | _bits(imm, 12, 5) | _bits(g("rdp"), 4, 2)
    elif fmt == "css":
        imm = vals["imm_css"]
        _range(imm, 0, 63, 3)
        word |= _bits(g("f3"), 15, 13) | _bits(imm, 12, 7) | _bits(g("rs2"), 6, 2)
    elif fmt in ("cl", "cs"):
        imm = vals["mem_cl" if fmt == "cl" else "mem_cs"]
        _range(imm, 0, 31, 3)
        r = g("rdp") if fmt == "cl" else g("rs2p")
        word |= _bits(g("f3"), 15, 13) | _bits(imm >> 2, 12, 10) | _bits(g("rs1p"), 9, 7) | \
            _bits(imm, 6, 5) | _bits(r, 4, 2)
    elif fmt == "ca":
        word |= _bits(g("f6"), 15, 10) | _bits(g("rdp"), 9, 7) | _bits(g("f2"), 6, 5) | _bits(g("rs2p"), 4, 2)
    elif fmt in ("cb", "cj"):
        base = word | _bits(g("f3"), 15, 13) | (_bits(g("rs1p"), 9, 7) if fmt == "cb" else 0)
        _insn_branch(asm, base, vals, fmt, len(fields))
        return
    asm.record_line()
    asm.data += word.to_bytes(2, "little")


def _range(v, lo, hi, i):
    if not lo <= v <= hi:
        raise StatementError(f"immediate {v} out of range", f"allowed range is {lo}..{hi}", i)


class _RawEncoder:
    """A one-off encoder for .insn branch formats: fixed bits plus one pc-relative field."""

    def __init__(self, base, kind, length):
        from ..isa.table import Instruction
        self.insn = Instruction(".insn", "i", "", base, 0, length, (kind,))
        self.base = base
        self.length = length
        self.has_pcrel = True
        self.mnemonic = ".insn"

    def word(self, values):
        w = self.base
        for k in self.insn.operands:
            if k.name in values:
                w |= k.insert(values[k.name])
        return w


def _insn_branch(asm, base, vals, fmt, operand):
    from ..isa.operands import OPERAND_KINDS as KS
    from .encoder import Deferred
    kind = {"b": "imm_b", "sb": "imm_b", "j": "imm_j", "uj": "imm_j", "cb": "c_imm_b", "cj": "c_imm_j"}[fmt]
    k = KS[kind]
    enc = _RawEncoder(base, k, 2 if fmt in ("cb", "cj") else 4)
    target = vals[[f for f in vals if f.startswith("target")][0]]
    asm.emit_branch(enc, {}, [Deferred(k, target, "pcrel", operand)], kind=None)


DIRECTIVES = {
    ".text": d_text, ".data": d_data, ".bss": d_bss, ".rodata": d_rodata, ".section": d_section,
    ".pushsection": d_pushsection, ".popsection": d_popsection, ".previous": d_previous,
    ".globl": _binding("globl"), ".global": _binding("global"), ".local": _binding("local"),
    ".weak": _binding("weak"),
    ".hidden": d_ignore, ".protected": d_ignore, ".internal": d_ignore,
    ".type": d_type, ".size": d_size,
    ".equ": d_equ, ".set": d_equ, ".equiv": lambda asm, args: d_equ(asm, args, "equiv"),
    ".comm": d_comm, ".lcomm": lambda asm, args: d_comm(asm, args, True),
    ".byte": _data(1), ".half": _data(2, ".half"), ".short": _data(2, ".short"), ".2byte": _data(2),
    ".hword": _data(2, ".hword"), ".word": _data(4, ".word"), ".long": _data(4, ".long"),
    ".4byte": _data(4), ".int": _data(4, ".int"), ".dword": _data(8, ".dword"), ".quad": _data(8, ".quad"),
    ".8byte": _data(8),
    ".float": _float("<f", ".float"), ".single": _float("<f", ".single"), ".double": _float("<d", ".double"),
    ".ascii": _strings(False), ".asciz": _strings(True), ".string": _strings(True),
    ".asciiz": _strings(True),       # RARS/MARS/Venus spelling of .asciz (GNU as has only .asciz)
    ".eqv": lambda asm, args: d_equ(asm, args, "eqv"),
    ".zero": d_zero, ".space": d_space, ".skip": d_space, ".fill": d_fill,
    ".uleb128": _leb(False), ".sleb128": _leb(True),
    ".align": d_align, ".p2align": d_p2align, ".balign": d_balign,
    ".option": d_option, ".attribute": d_attribute, ".insn": d_insn,
    ".file": d_ignore, ".ident": d_ignore, ".loc": d_ignore, ".addrsig": d_ignore,
    ".addrsig_sym": d_ignore, ".variant_cc": d_ignore, ".end": d_end, ".error": d_error, ".err": d_error,
    ".sleb": d_ignore,
}
for _cfi in ("startproc", "endproc", "def_cfa", "def_cfa_offset", "def_cfa_register", "offset",
             "restore", "remember_state", "restore_state", "adjust_cfa_offset", "rel_offset",
             "register", "return_column", "signal_frame", "window_save", "escape", "sections",
             "personality", "lsda", "undefined", "same_value", "val_offset"):
    DIRECTIVES[".cfi_" + _cfi] = d_ignore
