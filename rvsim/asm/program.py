"""The assembled and linked program, and its ELF / raw binary forms."""
from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass, field


@dataclass
class ProgramSection:
    name: str
    address: int
    data: bytes              # contents (empty for .bss-like sections)
    flags: str               # "a", "ax", "aw"
    align: int
    size: int                # memory size (the same as len(data) unless nobits)
    nobits: bool = False

    @property
    def end(self) -> int:
        return self.address + self.size


@dataclass
class ProgramSymbol:
    name: str
    value: int
    section: str | None      # output section name, None for absolute symbols
    binding: str             # 'local' | 'global' | 'weak'
    type: str | None         # 'func' | 'object' | None
    size: int
    file: str


@dataclass
class Relocation:
    """A resolved reference: the patched address, the operator ('pcrel', 'hi', 'lo', 'pcrel_hi',
    'pcrel_lo', 'abs', 'data32'...) and the value written."""
    address: int
    kind: str
    value: int


_ARCH_VERSIONS = {"i": "2p1", "m": "2p0", "a": "2p1", "f": "2p2", "d": "2p2", "c": "2p0", "v": "1p0",
                  "zicsr": "2p0", "zifencei": "2p0"}
_ARCH_ORDER = "imafdqlcbkjtpvh"


def arch_attribute(exts) -> str:
    from ..isa import RV32
    base = "rv32" if RV32 in exts else "rv64"
    singles = [e for e in _ARCH_ORDER if e in exts and not (e == "v" and "zve32x" in exts)]
    multi = set(e for e in exts if len(e) > 1 and e not in ("priv", RV32))
    if "zve32x" in exts:        # the subsets' minimum VLEN, as GNU as records it
        multi.add("zvl64b" if "zve64x" in exts else "zvl32b")
        if "zve64x" in exts:
            multi.add("zvl32b")
    multi = sorted(multi)
    parts = [base + "i" + _ARCH_VERSIONS["i"]]
    for e in singles:
        if e != "i":
            parts.append(e + _ARCH_VERSIONS.get(e, "2p0"))
    for e in multi:
        parts.append(e + _ARCH_VERSIONS.get(e, "1p0"))
    return "_".join(parts)


# e_flags' float-ABI field (EF_RISCV_FLOAT_ABI_*) by the ABI name's suffix
_FLOAT_ABI = {"": 0, "f": 2, "d": 4}


def _float_suffix(mabi: str) -> str:
    return mabi.removeprefix("ilp32").removeprefix("lp64")


def check_abi(mabi: str, exts) -> str:
    """``mabi`` checked against the ISA as GNU as checks it (ValueError with its message)."""
    from ..isa import RV32
    base = "ilp32" if RV32 in exts else "lp64"
    if not mabi.startswith(("ilp32", "lp64")) or _float_suffix(mabi) not in _FLOAT_ABI:
        raise ValueError(f"unknown ABI `{mabi}` (ilp32, ilp32f, ilp32d, lp64, lp64f, lp64d)")
    if not mabi.startswith(base):
        raise ValueError(f"-mabi={mabi} does not fit the {'32' if base == 'ilp32' else '64'}-bit ISA: "
                         f"use {base}, {base}f or {base}d")
    need = _float_suffix(mabi)
    if need and need not in exts:
        raise ValueError(f"the {mabi} ABI needs the {need.upper()} extension, which -march does not have")
    return mabi


@dataclass
class Program:
    sections: list[ProgramSection]
    symbols: list[ProgramSymbol]
    entry: int
    line_table: list[tuple[int, str, int]]      # (address, file, line), sorted by address
    relocations: list[Relocation]
    arch: str = "rv64gc"
    attributes: dict = field(default_factory=dict)
    gnu_stack: bool = False     # an input had .note.GNU-stack: ld adds a PT_GNU_STACK header (RW-)
    warnings: list = field(default_factory=list)    # Diagnostics with severity "warning"
    xlen: int = 64              # 32: an ELFCLASS32 executable (ld -m elf32lriscv)
    mabi: str | None = None     # the ABI of e_flags (None: GNU as's default for the ISA)

    def __post_init__(self):
        self._line_addrs = [a for a, _, _ in self.line_table]

    # ------------------------------------------------------------------------------------- queries

    def symbol(self, name: str) -> int:
        """Address of a symbol (globals first, then the first local of that name)."""
        best = None
        for s in self.symbols:
            if s.name == name:
                if s.binding != "local":
                    return s.value
                if best is None:
                    best = s.value
        if best is None:
            raise KeyError(name)
        return best

    @property
    def symbol_map(self) -> dict[str, int]:
        out = {}
        for s in self.symbols:
            if s.binding != "local" or s.name not in out:
                out[s.name] = s.value
        return out

    def section(self, name: str) -> ProgramSection:
        for s in self.sections:
            if s.name == name:
                return s
        raise KeyError(name)

    def line_at(self, address: int) -> tuple[str, int] | None:
        """(file, line) of the instruction at ``address`` (or the one containing it)."""
        i = bisect.bisect_right(self._line_addrs, address) - 1
        if i < 0:
            return None
        a, f, ln = self.line_table[i]
        # past the end of the section that holds the line: not this program's code
        if not any(sec.address <= a < sec.end and address < sec.end for sec in self.sections):
            return None
        return (f, ln)

    def address_of_line(self, file: str, line: int) -> int | None:
        for a, f, ln in self.line_table:
            if ln == line and (f == file or f.endswith("/" + file)):
                return a
        return None

    # ------------------------------------------------------------------------------------- output

    def to_binary(self) -> bytes:
        """The loaded bytes from the lowest to the highest loaded address (``objcopy -O binary``)."""
        loaded = [s for s in self.sections if not s.nobits and s.size]
        if not loaded:
            return b""
        lo = min(s.address for s in loaded)
        hi = max(s.end for s in loaded)
        buf = bytearray(hi - lo)
        for s in loaded:
            buf[s.address - lo:s.address - lo + len(s.data)] = s.data
        return bytes(buf)

    def to_elf(self) -> bytes:
        """A static little-endian executable, ELFCLASS64 for RV64 or ELFCLASS32 for RV32 (see
        rvsim/asm/linker.py for the layout)."""
        from ..isa import parse_isa_string
        exts = parse_isa_string(self.arch, rv32=True)
        elf = _ELF_LAYOUT[self.xlen]
        text = [s for s in self.sections if "w" not in s.flags]
        data = [s for s in self.sections if "w" in s.flags]
        nphdr = 2 + (1 if data else 0) + (1 if self.gnu_stack else 0)
        hdr_end = elf.ehdr_size + elf.phdr_size * nphdr
        base = 0x10000
        offsets = {}
        text_end_off = hdr_end
        for s in text:
            offsets[s.name] = s.address - base
            text_end_off = max(text_end_off, s.address - base + s.size)
        data_off = text_end_off
        if data:
            dvaddr = data[0].address
            data_off += (dvaddr - data_off) % 0x1000
            for s in data:
                offsets[s.name] = data_off + (s.address - dvaddr)
        file_end = text_end_off
        for s in data:
            if not s.nobits:
                file_end = max(file_end, offsets[s.name] + s.size)
            else:
                offsets[s.name] = max(file_end, offsets[s.name]) if False else offsets[s.name]
        out = bytearray(file_end)
        for s in self.sections:
            if not s.nobits:
                o = offsets[s.name]
                out[o:o + len(s.data)] = s.data
        # .riscv.attributes
        attr = self._attributes_section(exts)
        attr_off = len(out)
        out += attr
        # symbols
        strtab = bytearray(b"\0")

        def sname(n: str) -> int:
            o = len(strtab)
            strtab.extend(n.encode() + b"\0")
            return o
        sec_index = {s.name: i + 1 for i, s in enumerate(self.sections)}
        syms = [elf.sym(0, 0, 0, 0, 0, 0)]
        for s in self.sections:
            syms.append(elf.sym(0, 3, 0, sec_index[s.name], s.address, 0))
        visible = [s for s in self.symbols if not s.name.startswith(".L") and "\x02" not in s.name]
        locals_ = [s for s in visible if s.binding == "local"]
        globals_ = [s for s in visible if s.binding != "local"]
        types = {"func": 2, "object": 1, None: 0}
        binds = {"local": 0, "global": 1, "weak": 2}
        for s in locals_ + globals_:
            shndx = sec_index.get(s.section, 0xFFF1) if s.section else 0xFFF1
            info = (binds[s.binding] << 4) | types.get(s.type, 0)
            syms.append(elf.sym(sname(s.name), info, 0, shndx, s.value & elf.mask, s.size & elf.mask))
        first_global = 1 + len(self.sections) + len(locals_)
        while len(out) % elf.word:
            out.append(0)
        symtab_off = len(out)
        out += b"".join(syms)
        strtab_off = len(out)
        out += strtab
        shstr = bytearray(b"\0")

        def shname(n: str) -> int:
            o = len(shstr)
            shstr.extend(n.encode() + b"\0")
            return o
        names = [shname(s.name) for s in self.sections]
        n_attr, n_sym, n_str, n_shstr = (shname(".riscv.attributes"), shname(".symtab"), shname(".strtab"),
                                         shname(".shstrtab"))
        shstr_off = len(out)
        out += shstr
        while len(out) % elf.word:
            out.append(0)
        shoff = len(out)
        shdrs = [bytes(elf.shdr_size)]
        for s, nm in zip(self.sections, names):
            fl = 2 | (1 if "w" in s.flags else 0) | (4 if "x" in s.flags else 0)
            shdrs.append(elf.shdr(nm, 8 if s.nobits else 1, fl, s.address, offsets[s.name], s.size, 0, 0,
                                  s.align, 0))
        nsec = len(self.sections)
        shdrs.append(elf.shdr(n_attr, 0x70000003, 0, 0, attr_off, len(attr), 0, 0, 1, 0))
        shdrs.append(elf.shdr(n_sym, 2, 0, 0, symtab_off, len(syms) * elf.sym_size, nsec + 3, first_global,
                              elf.word, elf.sym_size))
        shdrs.append(elf.shdr(n_str, 3, 0, 0, strtab_off, len(strtab), 0, 0, 1, 0))
        shdrs.append(elf.shdr(n_shstr, 3, 0, 0, shstr_off, len(shstr), 0, 0, 1, 0))
        out += b"".join(shdrs)
        # program headers
        phdrs = [elf.phdr(0x70000003, 4, attr_off, 0, 0, len(attr), 0, 1)]
        text_mem_end = max((s.end for s in text), default=base + hdr_end)
        phdrs.append(elf.phdr(1, 5, 0, base, base, text_mem_end - base, text_mem_end - base, 0x1000))
        if data:
            dv = data[0].address
            filesz = max((s.end for s in data if not s.nobits), default=dv) - dv
            memsz = max(s.end for s in data) - dv
            phdrs.append(elf.phdr(1, 6, data_off, dv, dv, filesz, memsz, 0x1000))
        if self.gnu_stack:
            phdrs.append(elf.phdr(0x6474E551, 6, 0, 0, 0, 0, 0, 0x10))
        # e_flags: EF_RISCV_RVC, and the float ABI: -mabi's, else GNU as's default (double with D, else soft;
        # F alone is soft-float too)
        abi = _float_suffix(self.mabi) if self.mabi else ("d" if "d" in exts else "")
        flags = (1 if "c" in exts else 0) | _FLOAT_ABI[abi]
        ehdr = elf.ehdr(self.entry, elf.ehdr_size, shoff, flags, len(phdrs), len(shdrs))
        out[0:elf.ehdr_size] = ehdr
        out[elf.ehdr_size:elf.ehdr_size + elf.phdr_size * len(phdrs)] = b"".join(phdrs)
        return bytes(out)

    def _attributes_section(self, exts) -> bytes:
        arch = self.attributes.get("arch") or self.attributes.get(5) or arch_attribute(exts)
        sub = bytearray()
        sub += bytes([4]) + _uleb(16)                 # Tag_RISCV_stack_align = 16
        sub += bytes([5]) + arch.encode() + b"\0"     # Tag_RISCV_arch
        file_attr = bytes([1]) + struct.pack("<I", 5 + len(sub)) + sub
        vendor = b"riscv\0" + file_attr
        return b"A" + struct.pack("<I", 4 + len(vendor)) + vendor


class _ElfClass:
    """The record layouts of one ELF class: ELFCLASS64 (RV64) or ELFCLASS32 (RV32), whose symbol and
    program headers also order their fields differently."""

    def __init__(self, xlen: int):
        self.xlen = xlen
        self.word = xlen // 8
        self.mask = (1 << xlen) - 1
        wide = xlen == 64
        self._ehdr = struct.Struct("<4sBBBBB7sHHIQQQIHHHHHH" if wide else "<4sBBBBB7sHHIIIIIHHHHHH")
        self._phdr = struct.Struct("<IIQQQQQQ" if wide else "<IIIIIIII")
        self._shdr = struct.Struct("<IIQQQQIIQQ" if wide else "<IIIIIIIIII")
        self._sym = struct.Struct("<IBBHQQ" if wide else "<IIIBBH")
        self.ehdr_size, self.phdr_size = self._ehdr.size, self._phdr.size
        self.shdr_size, self.sym_size = self._shdr.size, self._sym.size

    def ehdr(self, entry, phoff, shoff, flags, phnum, shnum) -> bytes:
        return self._ehdr.pack(b"\x7fELF", 2 if self.xlen == 64 else 1, 1, 1, 0, 0, bytes(7), 2, 243, 1,
                               entry, phoff, shoff, flags, self.ehdr_size, self.phdr_size, phnum,
                               self.shdr_size, shnum, shnum - 1)

    def phdr(self, ptype, flags, offset, vaddr, paddr, filesz, memsz, align) -> bytes:
        if self.xlen == 64:
            return self._phdr.pack(ptype, flags, offset, vaddr, paddr, filesz, memsz, align)
        return self._phdr.pack(ptype, offset, vaddr, paddr, filesz, memsz, flags, align)

    def shdr(self, *fields) -> bytes:
        return self._shdr.pack(*fields)

    def sym(self, name, info, other, shndx, value, size) -> bytes:
        if self.xlen == 64:
            return self._sym.pack(name, info, other, shndx, value, size)
        return self._sym.pack(name, value, size, info, other, shndx)


_ELF_LAYOUT = {64: _ElfClass(64), 32: _ElfClass(32)}


def _uleb(v: int) -> bytes:
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)
