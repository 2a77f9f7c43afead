"""Static linking: place the sections of assembled files like GNU ld's default scripts (elf64lriscv for
RV64, elf32lriscv for RV32), resolve symbols across files and apply the fixups.

Layout (the facts of ld's default script; the RV32 one differs only in word size): text segment at
0x10000 + size of the ELF and
program headers: ``.text`` (``.text.unlikely*``, ``.text.exit*``, ``.text.startup*``, ``.text.hot*`` first,
then ``.text``, ``.text.*``), ``.rodata``; the data segment starts at the next page plus the same page
offset, with ``.data``, ``.sdata`` (``.srodata.cst16/8/4/2``, ``.srodata*``, ``.sdata*``), ``.sbss`` and
``.bss``.  ``__global_pointer$`` and the usual ``_end``/``__bss_start`` symbols are defined.  Linker
relaxation is not performed (compare with ``ld --no-relax`` / ``as -mno-relax``).

``%got_pcrel_hi`` references (``la`` under ``.option pic``) get a global offset table as ld builds it for
a static executable: ``.got`` between ``.data`` and ``.sdata``, two reserved ``.got.plt`` words (-1, 0),
then ``_GLOBAL_OFFSET_TABLE_`` with one reserved word and an entry per symbol holding its address --
local symbols first (in symbol-table order), then global ones in the order ld's symbol hash table visits
them.  Words are 4 bytes on RV32, 8 on RV64.
"""
from __future__ import annotations

from .assembler import FileAssembler
from .fragments import Section
from .encoder import XREGS
from .errors import Diagnostic, StatementError
from .program import Program, ProgramSection, ProgramSymbol, Relocation

TEXT_BASE = 0x10000
PAGE = 0x1000
# ELF header and program header sizes by XLEN (ELFCLASS64 / ELFCLASS32)
ELF_HEADER = {64: 64, 32: 52}
PHDR = {64: 56, 32: 32}

# output section -> input name patterns, by priority (exact name, or prefix ending with '.')
_OUTPUT = [
    ("text", ".text", [(".text.unlikely", ".text.unlikely."), (".text.exit", ".text.exit."),
                       (".text.startup", ".text.startup."), (".text.hot", ".text.hot."),
                       (".text", ".text.")]),
    ("text", ".rodata", [(".rodata", ".rodata.")]),
    ("text", ".sdata2", [(".sdata2", ".sdata2.")]),
    ("data", ".preinit_array", [(".preinit_array", None)]),
    ("data", ".init_array", [(".init_array", ".init_array.")]),
    ("data", ".fini_array", [(".fini_array", ".fini_array.")]),
    ("data", ".data", [(".data", ".data.")]),
    ("data", ".got", [(".got", None)]),
    ("data", ".sdata", [(".srodata.cst16", None), (".srodata.cst8", None), (".srodata.cst4", None),
                        (".srodata.cst2", None), (".srodata", ".srodata."), (".sdata", ".sdata.")]),
    ("bss", ".sbss", [(".sbss", ".sbss."), (".scommon", None)]),
    ("bss", ".bss", [(".bss", ".bss.")]),
]


_SLOT = {name: i for i, (_, name, _) in enumerate(_OUTPUT)}
GOT_INDEX = _SLOT[".got"]
GOT_HEADER_WORDS = 3           # .got.plt's two reserved words, then .got's reserved first word
BFD_HASH_SIZE = 4051            # bfd's default hash table size: ld visits global GOT symbols in its order


def _bfd_hash_bucket(name: str) -> int:
    """The bucket of ``name`` in bfd's string hash table (bfd_hash_hash), modulo its default size."""
    h = 0
    for c in name.encode():
        h = (h + c + (c << 17)) & 0xFFFFFFFFFFFFFFFF
        h ^= h >> 2
    n = len(name.encode())
    h = (h + n + (n << 17)) & 0xFFFFFFFFFFFFFFFF
    h ^= h >> 2
    return h % BFD_HASH_SIZE


def _classify(sec: Section):
    """(output index, priority) of an input section, or an orphan placement."""
    for oi, (_, _, pats) in enumerate(_OUTPUT):
        for pi, (exact, prefix) in enumerate(pats):
            if sec.name == exact or (prefix and sec.name.startswith(prefix)):
                return oi, pi
    return None


def _orphan_slot(sec: Section) -> int:
    """Which standard output section an unknown section follows (ld places orphans by their flags)."""
    if sec.nobits:
        return _SLOT[".bss"]
    if "x" in sec.flags:
        return _SLOT[".text"]
    if "w" in sec.flags:
        return _SLOT[".data"]
    return _SLOT[".rodata"]


class Linker:
    def __init__(self, files: list[FileAssembler]):
        self.files = files
        self.errors: list[Diagnostic] = []
        self.globals: dict[str, tuple] = {}
        self.linker_symbols: dict[str, int] = {}
        self.hi_parts: dict[int, int] = {}
        self.failed_hi: set[int] = set()           # auipcs whose %pcrel_hi had an error (reported)
        self.relocations: list[Relocation] = []
        self.got: Section | None = None
        self.got_slots: dict[tuple, int] = {}     # ("L", file, name) / ("G", name) -> entry index
        self.xlen = files[0].elf_xlen if files else 64
        self.word = self.xlen // 8                 # bytes of an address (GOT entries, alignments)
        for f in files[1:]:
            if f.elf_xlen != self.xlen:
                self.error(f"{f.filename} is RV{f.elf_xlen} but {files[0].filename} is RV{self.xlen}: "
                           "files of different XLEN cannot be linked together",
                           "assemble every file with the same -march rv32... or rv64...")

    def error(self, msg, hint="", src=None, stmt=None, operand=None, asm=None):
        if src is not None and asm is not None:
            n = len(asm.errors)
            asm.cur_src = src
            asm.error(msg, hint, src, stmt, operand)
            self.errors.extend(asm.errors[n:])
            del asm.errors[n:]
        else:
            self.errors.append(Diagnostic(src.file if src else "<link>", src.line if src else 0, 0, msg,
                                          src.orig if src else "", 1, hint))

    # ------------------------------------------------------------------------------------- symbols

    def collect_globals(self):
        for f in self.files:
            for s in f.symbols.values():
                if s.binding == "local" or s.kind is None:
                    continue
                prev = self.globals.get(s.name)
                if prev is None or (prev[1].binding == "weak" and s.binding != "weak"):
                    self.globals[s.name] = (f, s)
                elif s.binding != "weak" and prev[1].binding != "weak":
                    src = s.defined_at[0] if s.defined_at else None
                    first = prev[1].defined_at[0] if prev[1].defined_at else None
                    where = f" (first defined at {first.file}:{first.line})" if first else ""
                    self.error(f"symbol `{s.name}` is defined in two files{where}",
                               "make one of them local or rename it", src,
                               s.defined_at[1] if s.defined_at else None, None, f)

    def symbol_value(self, f: FileAssembler, name: str, seen=()):
        s = f.symbols.get(name)
        if s is None or s.kind is None:
            g = self.globals.get(name)
            if g is None:
                if name in self.linker_symbols:
                    return self.linker_symbols[name]
                raise StatementError(f"undefined symbol `{display_name(name)}`", _undefined_hint(name, f, self))
            f, s = g
        if s.kind == "label":
            _, sec, fi, off = s.value
            return sec.address + sec.frags[fi].addr + off
        if name in seen:
            raise StatementError(f"symbol `{name}` is defined in terms of itself")
        v = s.value
        return v if type(v) is int else self.resolve(f, v, seen + (name,))

    def resolve(self, f: FileAssembler, v, seen=()) -> int:
        if type(v) is int:
            return v
        total = v.addend
        for key, coef in v.terms.items():
            if key[0] == "F":
                _, sec, fi = key
                total += coef * (sec.address + sec.frags[fi].addr)
            else:
                total += coef * self.symbol_value(f, key[1], seen)
        return total

    # ------------------------------------------------------------------------------------- GOT

    def _got_key(self, f: FileAssembler, expr):
        key = expr.single() if not isinstance(expr, int) else None
        if key is None or key[0] == "F" or expr.addend:
            raise StatementError("a GOT reference must name a symbol, without an offset",
                                 "write `la rd, sym` then add the offset")
        name = key[1]
        s = f.symbols.get(name)
        if s is not None and s.kind is not None and s.binding == "local":
            return ("L", f, name)
        return ("G", name)

    def collect_got(self):
        """The GOT entries: local symbols in the order of the symbol table (first mention in the file),
        then global ones in the order of ld's hash table (bucket, then name)."""
        local, glob = [], set()
        for f in self.files:
            for x in f.fixups:
                if x.kind != "insn":
                    continue
                for d in x.data[2]:
                    if d.mode != "got_pcrel_hi":
                        continue
                    try:
                        key = self._got_key(f, d.expr)
                    except StatementError as e:
                        self.error(e.message, e.hint, x.src, x.stmt, d.operand, f)
                        continue
                    if key[0] == "L":
                        if key not in local:
                            local.append(key)
                    else:
                        glob.add(key)
        # ld numbers local entries by the object's symbol table: GNU as lists symbols in the order they
        # were first mentioned (a `call helper` before `la a0, helper` counts)
        order = {id(f): (i, {n: j for j, n in enumerate(f.symbols)}) for i, f in enumerate(self.files)}
        local.sort(key=lambda k: (order[id(k[1])][0], order[id(k[1])][1].get(k[2], 1 << 30)))
        keys = local + sorted(glob, key=lambda k: (_bfd_hash_bucket(k[1]), k[1]))
        if not keys:
            return
        self.got_slots = {k: i for i, k in enumerate(keys)}
        owner = self.files[0]
        got = Section(".got", "aw", False, owner)
        got.align = self.word
        got.size = self.word * (GOT_HEADER_WORDS + len(keys))
        got.frags[0].data = bytearray(got.size)
        self.got = got

    def fill_got(self):
        if self.got is None:
            return
        w = self.word
        data = bytearray((2**self.xlen - 1).to_bytes(w, "little") + bytes(2 * w))
        for key in self.got_slots:
            try:
                value = self.symbol_value(key[1], key[2]) if key[0] == "L" else \
                    self.symbol_value(self.files[0], key[1])
            except StatementError:
                value = 0           # reported where the reference is applied
            data += (value & (2**self.xlen - 1)).to_bytes(w, "little")
        self.got.frags[0].data = data

    def got_entry(self, f: FileAssembler, expr) -> int:
        key = self._got_key(f, expr)      # (raises for a reference that has no entry)
        return self.got.address + self.word * (GOT_HEADER_WORDS + self.got_slots[key])

    # ------------------------------------------------------------------------------------- layout

    def layout(self):
        outputs: list[list] = [[] for _ in _OUTPUT]
        orphans: dict[int, dict[str, list]] = {}
        for f in self.files:
            for sec in f.section_order:
                if sec.size == 0 and not _has_symbols(sec):
                    continue
                c = _classify(sec)
                if c is None:
                    if "a" not in sec.flags and sec.name not in (".text",) and not sec.flags:
                        # non-allocated (e.g. .comment, .note.GNU-stack): not loaded
                        if sec.size:
                            self.unloaded.append(sec)
                        continue
                    orphans.setdefault(_orphan_slot(sec), {}).setdefault(sec.name, []).append(sec)
                    continue
                outputs[c[0]].append((c[1], sec))
        if self.got is not None:
            outputs[GOT_INDEX].append((0, self.got))
        out_list = []
        for oi, (seg, name, _) in enumerate(_OUTPUT):
            secs = [s for _, s in sorted(outputs[oi], key=lambda t: t[0])]
            if secs:
                out_list.append((seg, name, secs))
            for oname, osecs in orphans.get(oi, {}).items():
                seg2 = "bss" if osecs[0].nobits else ("text" if "w" not in osecs[0].flags else "data")
                out_list.append((seg2, oname, osecs))
        has_data = any(seg != "text" for seg, _, _ in out_list)
        self.gnu_stack = any(sec.name == ".note.GNU-stack" for f in self.files for sec in f.section_order)
        # RISCV_ATTRIBUTES + LOAD text [+ LOAD data] [+ GNU_STACK]
        nphdr = 2 + (1 if has_data else 0) + (1 if self.gnu_stack else 0)
        self.nphdr = nphdr
        self.text_start = TEXT_BASE + ELF_HEADER[self.xlen] + PHDR[self.xlen] * nphdr
        # DATA_SEGMENT_ALIGN: the data segment starts at the same page offset as the end of the text
        # segment, one page up -- unless starting at the page boundary spans fewer pages.
        same_offset = self._place_sections(out_list, "offset")
        at_boundary = self._place_sections(out_list, "page")
        if _pages(at_boundary) < _pages(same_offset):
            self._place_sections(out_list, "page")
        else:
            self._place_sections(out_list, "offset")

    def _place_sections(self, out_list, data_start):
        """Assign addresses; returns (data start, data end) for the page count comparison."""
        addr = self.text_start
        has_data = any(seg != "text" for seg, _, _ in out_list)
        sections: list[tuple] = []
        first_data = True
        data_begin = sdata_begin = bss_start = None
        for seg, name, secs in out_list:
            if seg != "text" and first_data:
                addr = _align(addr, PAGE) + ((addr & (PAGE - 1)) if data_start == "offset" else 0)
                first_data = False
                data_begin = addr
            if name == ".data" and data_begin is None:
                data_begin = addr
            align = max(s.align for s in secs)
            addr = _align(addr, align)
            if name == ".sdata":
                sdata_begin = addr
            if seg == "bss" and bss_start is None:
                bss_start = addr
            start = addr
            for s in secs:
                addr = _align(addr, s.align)
                s.address = addr
                addr += s.size
            if name == ".bss":
                addr = _align(addr, self.word)
            sections.append((name, start, addr - start, secs, seg))
        end = _align(addr, self.word)
        text_end = max((a + n for nm, a, n, _, seg in sections if seg == "text"), default=self.text_start)
        if data_begin is None:
            data_begin = end if has_data else _align(text_end, PAGE) + (text_end & (PAGE - 1))
        if sdata_begin is None:
            sdata_begin = bss_start if bss_start is not None else end
        if bss_start is None:
            bss_start = end
        edata = max((a + n for nm, a, n, _, seg in sections if seg == "data"), default=data_begin)
        if self.got is not None:
            self.linker_symbols["_GLOBAL_OFFSET_TABLE_"] = self.got.address + 2 * self.word
        self.linker_symbols.update({
            "__global_pointer$": min(sdata_begin + 0x800, max(data_begin + 0x800, end - 0x800)),
            "__SDATA_BEGIN__": sdata_begin, "__DATA_BEGIN__": data_begin, "__BSS_END__": end,
            "__bss_start": bss_start, "_end": end, "end": end, "_edata": edata, "edata": edata,
            "__executable_start": TEXT_BASE, "_etext": text_end, "etext": text_end, "__etext": text_end,
        })
        self.out_sections = sections
        return (data_begin, end) if has_data else None

    # ------------------------------------------------------------------------------------- fixups

    def apply(self):
        fixups = [(f, x) for f in self.files for x in f.fixups]
        # %pcrel_hi first, so a %pcrel_lo can find its pair wherever it is
        fixups.sort(key=lambda t: 0 if t[1].kind == "insn" and any(d.mode in ("pcrel_hi", "got_pcrel_hi")
                                                                     for d in t[1].data[2]) else 1)
        for f, x in fixups:
            try:
                self.apply_one(f, x)
            except _AlreadyReported:
                pass
            except StatementError as e:
                if x.kind == "insn" and any(d.mode in ("pcrel_hi", "got_pcrel_hi") for d in x.data[2]):
                    self.failed_hi.add(self._place(x)[0])
                self.error(e.message, e.hint, x.src, x.stmt, e.operand, f)

    def _place(self, x):
        frag = x.section.frags[x.frag]
        off = frag.addr + x.offset + (len(frag.data) if x.in_var else 0)
        return x.section.address + off, frag, x.offset

    def apply_one(self, f: FileAssembler, x):
        addr, frag, off = self._place(x)
        if x.kind == "data":
            size, v, operand = x.data
            try:
                value = self.resolve(f, v)
            except StatementError as e:
                e.operand = operand if e.operand is None else e.operand
                raise
            if not -(1 << (8 * size - 1)) <= value < (1 << (8 * size)) and size < 8:
                raise StatementError(f"value {value:#x} does not fit in {size} byte{'s' if size > 1 else ''}",
                                     "", operand)
            b = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
            self._patch(frag, x, b)
            self.relocations.append(Relocation(addr, f"data{size * 8}", value))
            return
        enc, word, deferred = x.data
        for d in deferred:
            try:
                word |= self._operand_bits(f, enc, d, addr)
            except StatementError as e:
                if e.operand is None:
                    e.operand = d.operand
                raise
        self._patch(frag, x, word.to_bytes(enc.length, "little"))

    def _operand_bits(self, f, enc, d, addr) -> int:
            kind = d.kind
            if d.mode == "pcrel_lo":
                at = self.resolve(f, d.expr)
                if at in self.failed_hi:
                    # the pair's auipc already has an error (an undefined symbol): one is enough
                    raise _AlreadyReported("")
                if at not in self.hi_parts:
                    raise StatementError("%pcrel_lo must name the label of an auipc with %pcrel_hi",
                                         "write `1: auipc a0, %pcrel_hi(sym)` then `addi a0, a0, %pcrel_lo(1b)`",
                                         d.operand)
                value = _sext(self.hi_parts[at], 12)
            else:
                target = self.resolve(f, d.expr)
                if d.mode == "pcrel":
                    value = target - addr
                    lo, hi = kind.value_range()
                    if not lo <= value <= hi:
                        raise StatementError(f"branch target out of range for `{enc.mnemonic}` (offset {value})",
                                             f"allowed offsets are {lo}..{hi}", d.operand)
                    if value % 2:
                        raise StatementError(f"misaligned branch target (offset {value} is odd)",
                                             "branch targets must be 2-byte aligned", d.operand)
                elif d.mode in ("pcrel_hi", "got_pcrel_hi"):
                    if d.mode == "got_pcrel_hi":
                        target = self.got_entry(f, d.expr)
                    delta = target - addr
                    self.hi_parts[addr] = delta
                    if not -(1 << 31) - 0x800 <= delta < (1 << 31) - 0x800:
                        raise StatementError("pc-relative offset out of the ±2 GiB range", "", d.operand)
                    value = ((delta + 0x800) >> 12) & 0xFFFFF
                elif d.mode == "hi":
                    value = ((target + 0x800) >> 12) & 0xFFFFF
                elif d.mode == "lo":
                    value = _sext(target, 12)
                else:
                    value = target
                    if kind.name == "imm_u" and -0x80000 <= value < 0:
                        value &= 0xFFFFF
                    lo, hi = kind.value_range()
                    if not lo <= value <= hi:
                        raise StatementError(f"immediate {value} out of range for `{enc.mnemonic}`",
                                             f"allowed range is {lo}..{hi}", d.operand)
                    if value % kind.scale:
                        raise StatementError(f"immediate {value} of `{enc.mnemonic}` must be a multiple "
                                             f"of {kind.scale}", "", d.operand)
            self.relocations.append(Relocation(addr, d.mode, value))
            return kind.insert(value)

    @staticmethod
    def _patch(frag, x, b):
        if x.in_var:
            vb = bytearray(frag.var_bytes)
            vb[x.offset:x.offset + len(b)] = b
            frag.var_bytes = bytes(vb)
        else:
            frag.data[x.offset:x.offset + len(b)] = b

    # ------------------------------------------------------------------------------------- program

    def link(self) -> Program:
        self.unloaded = []
        self.collect_globals()
        self.collect_got()
        self.layout()
        self.fill_got()
        self.apply()
        sections = []
        for name, start, size, secs, seg in self.out_sections:
            nobits = seg == "bss"
            buf = bytearray()
            if not nobits:
                for s in secs:
                    pad = s.address - start - len(buf)
                    buf += bytes(pad)
                    for fr in s.frags:
                        buf += fr.data
                        buf += fr.var_bytes
                buf += bytes(size - len(buf))
            flags = "a" + ("w" if seg != "text" else "") + ("x" if any("x" in s.flags for s in secs) else "")
            sections.append(ProgramSection(name, start, bytes(buf), flags, max(s.align for s in secs),
                                           size, nobits))
        symbols = []
        for f in self.files:
            for s in f.symbols.values():
                if s.kind is None:
                    continue
                try:
                    value = self.symbol_value(f, s.name)
                except StatementError:
                    continue
                secname = None
                if s.kind == "label":
                    secname = next((nm for nm, _, _, secs, _ in self.out_sections if s.value[1] in secs), None)
                size = 0
                if s.size is not None:
                    try:
                        size = self.resolve(f, s.size)
                    except StatementError:
                        size = 0
                symbols.append(ProgramSymbol(s.name, value, secname, s.binding, s.type, size, f.filename))
        defined = {s.name for f in self.files for s in f.symbols.values() if s.kind is not None}
        for name, value in self.linker_symbols.items():
            if name not in defined:
                symbols.append(ProgramSymbol(name, value, None, "global", None, 0, "<linker>"))
        entry = None
        g = self.globals.get("_start")
        if g is not None:
            entry = self.symbol_value(g[0], "_start")
        else:
            for f in self.files:
                s = f.symbols.get("_start")
                if s is not None and s.kind == "label":
                    entry = self.symbol_value(f, "_start")
                    break
        if entry is None:
            text = next((s for s in sections if s.name == ".text"), None)
            entry = text.address if text else self.text_start
        lines = []
        for f in self.files:
            for sec, fi, off, file, line in f.lines:
                lines.append((sec.address + sec.frags[fi].addr + off, file, line))
        lines.sort(key=lambda t: t[0])
        arch = self.files[0].march if self.files else "rv64gc"      # -march, or the .attribute arch
        return Program(sections, symbols, entry, lines, self.relocations, arch,
                       attributes=dict(self.files[0].attributes) if self.files else {},
                       gnu_stack=self.gnu_stack, xlen=self.xlen,
                       mabi=getattr(self.files[0], "mabi", None) if self.files else None)


class _AlreadyReported(StatementError):
    """A consequence of an error already reported (the %pcrel_lo half of a failed %pcrel_hi)."""


def display_name(name: str) -> str:
    """Source spelling of a symbol name (numeric local labels are stored as .L<n>\x02<k>)."""
    if "\x02" in name:
        return name[2:name.index("\x02")] + "f"
    return name


def _has_symbols(sec):
    return False


def _pages(span) -> int:
    if span is None:
        return 0
    a, b = span
    return (_align(b, PAGE) - (a & -PAGE)) // PAGE


def _align(v, a):
    return (v + a - 1) & -a if a > 1 else v


def _sext(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def _undefined_hint(name, f, linker):
    from .errors import closest
    if name in XREGS:
        return f"`{name}` is a register; this operand needs a symbol or a number"
    names = [n for n, s in f.symbols.items() if s.kind is not None and "\x02" not in n]
    names += list(linker.globals)
    best = closest(name, names)
    if best:
        return f"did you mean `{best[0]}`?"
    if name.startswith(".L") and "\x02" in name:
        return "a numeric `Nf` reference needs a later `N:` label"
    return "define it with a label or .equ, or export it from another file with .globl"
