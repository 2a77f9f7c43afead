"""``rvsim disasm FILE``: disassemble the executable sections of an ELF file as ``objdump -d`` does."""
from __future__ import annotations

import argparse
import bisect
import sys

from elftools.common.exceptions import ELFError
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from . import disassemble_range

OCTETS_PER_LINE = 8


class _Symbols:
    """Symbol lookup the way objdump labels code: exact addresses and nearest-below."""

    def __init__(self, elf: ELFFile):
        best: dict[int, tuple] = {}
        symtab = elf.get_section_by_name(".symtab")
        for sym in symtab.iter_symbols() if symtab else ():
            kind = sym["st_info"]["type"]
            if not sym.name or sym.name.startswith("$") or kind in ("STT_FILE", "STT_SECTION"):
                continue
            if sym["st_shndx"] == "SHN_UNDEF":
                continue
            # objdump's preference among symbols at one address: typed before untyped, then global,
            # weak, local; larger before smaller; then by name
            binding = {"STB_GLOBAL": 0, "STB_WEAK": 1}.get(sym["st_info"]["bind"], 2)
            rank = (kind == "STT_NOTYPE", binding, -sym["st_size"], sym.name)
            addr = sym["st_value"]
            if addr not in best or rank < best[addr]:
                best[addr] = rank
        self.by_addr = {a: r[-1] for a, r in best.items()}
        self.gp = next((s["st_value"] for s in (symtab.iter_symbols() if symtab else ())
                        if s.name == "__global_pointer$"), None)
        self.sorted = sorted(self.by_addr)

    def describe(self, addr: int) -> str:
        i = bisect.bisect_right(self.sorted, addr) - 1
        if i < 0:
            if not self.sorted:
                return f"{addr:x}"
            base = self.sorted[0]          # below every symbol: objdump counts back from the first
            return f"{addr:x} <{self.by_addr[base]}-{base - addr:#x}>"
        base = self.sorted[i]
        name = self.by_addr[base]
        return f"{addr:x} <{name}>" if base == addr else f"{addr:x} <{name}+{addr - base:#x}>"


SKIP_ZEROES = 8            # objdump skips a run of at least this many zero bytes...
SKIP_ZEROES_AT_END = 3     # ...or a shorter one that ends where the symbol's code ends


def _zero_run_end(data: bytes, start: int, stop: int) -> int | None:
    """Where objdump resumes after the zero bytes at ``start``, or None when it prints them."""
    z = start
    while z < stop and data[z] == 0:
        z += 1
    run = z - start
    if run and (run >= SKIP_ZEROES or (z == stop and run < SKIP_ZEROES_AT_END)):
        return z
    return None


def _raw_column(word: int, length: int) -> str:
    # objdump prints the instruction as one word, then pads as if the rest of an 8-byte line were
    # filled with chunks of the same size, each chunk "xx..xx " wide
    chunks = (OCTETS_PER_LINE - length) // length
    return f"{word:0{2 * length}x}" + " " * (chunks * (2 * length + 1) + 1)


def _arch_extensions(elf: ELFFile, xlen: int):
    """The extensions of the file's Tag_RISCV_arch, which objdump decodes with (a c.fld in an rv32imac
    file is a ``.2byte``); None (every extension) when the file has no usable attribute."""
    from ..isa import RV32, parse_isa_string
    from ..isa.arch import isa_from_arch_string
    section = elf.get_section_by_name(".riscv.attributes")
    arch = None
    try:
        for sub in section.iter_subsections() if section is not None else ():
            for subsub in sub.iter_subsubsections():
                for attribute in subsub.iter_attributes():
                    if attribute.tag == "TAG_ARCH":
                        arch = attribute.value
    except (AttributeError, ELFError, ValueError):        # a malformed or foreign attributes section
        return None
    if not isinstance(arch, str):
        return None
    isa = isa_from_arch_string(arch)
    if isa is None:
        return None
    exts = parse_isa_string(isa, rv32=True)
    return exts if (RV32 in exts) == (xlen == 32) else None


def disassemble_elf(path, aliases: bool = True, out=sys.stdout, image: bytes | None = None) -> None:
    """Disassemble the ELF file at ``path`` (or, when given, the ELF ``image`` named ``path``)."""
    import io
    with (io.BytesIO(image) if image is not None else open(path, "rb")) as fh:
        if fh.read(4) != b"\x7fELF":
            raise ValueError(f"{path}: not an ELF file (an assembly source should end in .s, .S or .asm)")
        fh.seek(0)
        elf = ELFFile(fh)
        if elf["e_machine"] != "EM_RISCV":
            raise ValueError(f"{path}: not a RISC-V ELF file")
        symbols = _Symbols(elf)
        xlen = elf.elfclass            # ELFCLASS32: RV32 (c.jal, c.flw... and 32-bit addresses)
        exts = _arch_extensions(elf, xlen)
        out.write(f"\n{path}:     file format elf{xlen}-littleriscv\n\n")
        for section in elf.iter_sections():
            if not section["sh_flags"] & SH_FLAGS.SHF_EXECINSTR or section["sh_type"] != "SHT_PROGBITS":
                continue
            base, data = section["sh_addr"], section.data()
            out.write(f"\nDisassembly of section {section.name}:\n")
            items = disassemble_range(data, base, aliases=aliases, exts=exts, symbolize=symbols.describe,
                                      gp=symbols.gp, xlen=xlen)
            stops = sorted({a for a in symbols.by_addr if base < a < base + len(data)}
                           | {base + len(data)})
            i = 0
            while i < len(items):
                pc, word, length, text = items[i]
                if pc in symbols.by_addr:
                    out.write(f"\n{pc:0{xlen // 4}x} <{symbols.by_addr[pc]}>:\n")
                skip_to = _zero_run_end(data, pc - base, stops[bisect.bisect_right(stops, pc)] - base)
                if skip_to is not None:
                    out.write("\t...\n")
                    while i < len(items) and items[i][0] < base + skip_to:
                        i += 1
                    if i < len(items) and items[i][0] != base + skip_to:    # resume mid-instruction
                        items[i:] = disassemble_range(data[skip_to:], base + skip_to, aliases=aliases,
                                                      exts=exts, symbolize=symbols.describe, gp=symbols.gp,
                                                      xlen=xlen)
                    continue
                raw = _raw_column(word, length) if length in (2, 4) else f"{word:x} "
                out.write(f"{pc:8x}:\t{raw}\t{text}\n")
                i += 1


def main_disasm(argv) -> int:
    ap = argparse.ArgumentParser(prog="rvsim disasm",
                                 description="Disassemble an RV64 or RV32 ELF file like objdump -d (an "
                                             "assembly source .s/.S/.asm is assembled first).")
    ap.add_argument("file")
    ap.add_argument("--no-aliases", "-M", action="store_true",
                    help="print the base instructions, as objdump -M no-aliases")
    ap.add_argument("--march", default=None,
                    help="ISA to assemble an assembly source with (default: its .attribute arch, else "
                         "rv64gcv; rv32... for RV32)")
    args = ap.parse_args(argv)
    image = None
    if args.file.endswith((".s", ".S", ".asm")):
        # an assembly source: assemble it first, then show what it became
        from ..asm import AsmError, assemble_files
        from ..isa.arch import DEFAULT_ISA, isa_of_source
        march = args.march or isa_of_source(args.file) or DEFAULT_ISA
        try:
            image = assemble_files([args.file], march=march).to_elf()
        except AsmError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
    try:
        disassemble_elf(args.file, aliases=not args.no_aliases, image=image)
    except (OSError, ELFError, ValueError) as exc:
        sys.stderr.write(f"rvsim disasm: {exc}\n")
        return 1
    return 0
