"""Loading RV64 and RV32 ELF executables (ELFCLASS64 / ELFCLASS32) into a Machine.

Two kinds of program are recognised:

* **Linux user-mode programs** (statically linked; newlib, picolibc, glibc or freestanding): they run
  in U-mode, their ``ecall``\\ s are Linux system calls serviced by :class:`rvsim.host.LinuxEnvironment`,
  and they start with the Linux initial stack (argc, argv, envp, auxv) at the top of guest memory.
* **Bare-metal programs**: those that define a ``tohost`` symbol (the HTIF convention of riscv-tests
  and many test benches), which stop when they write ``tohost``, and those that contain the RISC-V
  semihosting sequence (e.g. picolibc's ``--oslib=semihost``), serviced by
  :class:`rvsim.host.SemihostEnvironment`.  They start in M-mode at the entry point, with their
  segments at their physical (load) addresses, as a boot loader would place them.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

from ._core import lib
from .errors import LoadError
from .host import SEMIHOSTING_SEQUENCE

EM_RISCV = 243
ET_EXEC, ET_DYN = 2, 3
PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
PF_X, PF_W, PF_R = 1, 2, 4
SHT_SYMTAB = 2
SHT_RISCV_ATTRIBUTES = 0x70000003     # .riscv.attributes (the ISA string GCC, clang and rvsim asm write)
PN_XNUM = 0xFFFF
_ELF_HEADER = struct.Struct("<HHIQQQIHHHHHH")        # Elf64_Ehdr after e_ident
_PROGRAM_HEADER = struct.Struct("<IIQQQQQQ")         # Elf64_Phdr
_SECTION_HEADER = struct.Struct("<IIQQQQIIQQ")       # Elf64_Shdr
_ELF32_HEADER = struct.Struct("<HHIIIIIHHHHHH")      # Elf32_Ehdr after e_ident
_PROGRAM_HEADER32 = struct.Struct("<IIIIIIII")       # Elf32_Phdr (p_flags after p_memsz)
_SECTION_HEADER32 = struct.Struct("<IIIIIIIIII")     # Elf32_Shdr (Elf64_Shdr's fields, 32-bit)
ELFCLASS32, ELFCLASS64 = 1, 2
_TYPE_NAMES = {0: "ET_NONE", 1: "ET_REL", 4: "ET_CORE"}
_MACHINE_NAMES = {3: "EM_386", 8: "EM_MIPS", 20: "EM_PPC", 21: "EM_PPC64", 22: "EM_S390", 40: "EM_ARM",
                  62: "EM_X86_64", 183: "EM_AARCH64", 258: "EM_LOONGARCH"}
STACK_SIZE = 8 << 20
PAGE = 4096
MSTATUS_FS_INITIAL = 1 << 13
MSTATUS_VS_INITIAL = 1 << 9
MSTATUS_MS_INITIAL = 1 << 29           # Zvt matrix tile state (draft)

# auxiliary vector keys (Linux include/uapi/linux/auxvec.h)
AT_NULL, AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY = 0, 3, 4, 5, 6, 7, 8, 9
AT_UID, AT_EUID, AT_GID, AT_EGID, AT_HWCAP, AT_CLKTCK, AT_SECURE, AT_RANDOM = 11, 12, 13, 14, 16, 17, 23, 25
AT_EXECFN = 31


@dataclass
class Segment:
    vaddr: int
    memsz: int
    data: bytes
    perms: str
    paddr: int = -1             # the load address (LMA); -1: the same as vaddr

    @property
    def load_address(self) -> int:
        return self.vaddr if self.paddr < 0 else self.paddr


@dataclass
class LoadedProgram:
    """What :func:`load_elf` found and set up."""

    path: str
    entry: int
    segments: list[Segment]
    symbols: dict[str, int]
    bare_metal: bool
    semihosting: bool = False
    tohost: int | None = None
    fromhost: int | None = None
    brk_start: int = 0
    stack_top: int = 0
    phdr: int = 0
    phnum: int = 0
    phentsize: int = 0
    argv: list[bytes] = field(default_factory=list)
    arch: str | None = None     # the ISA of .riscv.attributes (as rvsim spells it), None when absent
    xlen: int = 64              # 32 for an ELFCLASS32 file


def read_elf(source, name: str | None = None) -> LoadedProgram:
    """Parse and validate an RV64 or RV32 executable (a path, or the file's bytes); raises
    :class:`LoadError` with a clear reason."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw, path = bytes(source), name or "<memory>"
    else:
        path = name or str(source)
        try:
            with open(source, "rb") as fh:
                raw = fh.read()
        except IsADirectoryError:
            raise LoadError(f"{path}: is a directory") from None
        except OSError as exc:
            raise LoadError(f"{path}: cannot read: {exc.strerror}") from None
    if raw[:4] != b"\x7fELF":
        raise LoadError(f"{path}: not an ELF file")
    if len(raw) < 52:                          # the smaller, Elf32_Ehdr
        raise LoadError(f"{path}: truncated ELF header")
    if raw[4] not in (ELFCLASS32, ELFCLASS64):
        raise LoadError(f"{path}: unknown ELF class {raw[4]} (neither 32- nor 64-bit)")
    elf32 = raw[4] == ELFCLASS32
    if len(raw) < (52 if elf32 else 64):
        raise LoadError(f"{path}: truncated ELF header")
    if raw[5] != 1:
        raise LoadError(f"{path}: big-endian ELF; RISC-V programs are little-endian")
    # The headers are read with struct (pyelftools costs ~0.1 s to import, more than a short run)
    # and every offset and count is checked against the file before use.
    try:
        (e_type, e_machine, _version, entry, phoff, shoff, _flags, _ehsize, phentsize, phnum,
         shentsize, shnum, _shstrndx) = (_ELF32_HEADER if elf32 else _ELF_HEADER).unpack_from(raw, 16)
        if e_machine != EM_RISCV:
            raise LoadError(f"{path}: ELF for {_MACHINE_NAMES.get(e_machine, f'machine {e_machine}')}, "
                            "not RISC-V")
        if e_type not in (ET_EXEC, ET_DYN):
            raise LoadError(f"{path}: ELF type {_TYPE_NAMES.get(e_type, e_type)} is not an executable")
        sections = _section_headers(raw, shoff, shentsize, shnum, elf32)
        if phnum == PN_XNUM and sections:
            phnum = sections[0][7]              # the real count is in section 0's sh_info
        segments, phdr = [], 0
        headers = _program_headers(raw, phoff, phentsize, phnum, elf32)
        for p_type, flags, off, vaddr, paddr, filesz, memsz in headers:
            if p_type in (PT_INTERP, PT_DYNAMIC):
                raise LoadError(f"{path}: dynamically linked; rvsim runs statically linked programs "
                                "(link with -static)")
            if p_type != PT_LOAD or memsz == 0:
                continue
            if filesz and off + filesz > len(raw):
                raise LoadError(f"{path}: truncated: a segment extends past the end of the file")
            perms = ("r" if flags & PF_R else "") + ("w" if flags & PF_W else "") + \
                    ("x" if flags & PF_X else "")
            segments.append(Segment(vaddr, memsz, raw[off:off + filesz], perms, paddr))
            if off <= phoff < off + filesz:
                phdr = vaddr + phoff - off
        if not segments:
            raise LoadError(f"{path}: no loadable segments")
        symbols = {}
        for sh in sections:
            if sh[1] == SHT_SYMTAB:                 # the (only) static symbol table and its strings
                if sh[6] >= len(sections):
                    raise ValueError("the symbol table's string table does not exist")
                symbols = _symbols(_section_data(raw, sh), _section_data(raw, sections[sh[6]]), elf32)
                break
        arch = None
        for sh in sections:
            if sh[1] == SHT_RISCV_ATTRIBUTES:
                arch = _arch_attribute(_section_data(raw, sh))
                break
    except LoadError:
        raise
    except (struct.error, ValueError, IndexError) as exc:
        raise LoadError(f"{path}: malformed {'32-bit ' if elf32 else ''}ELF: {exc}") from None
    tohost = symbols.get("tohost")
    semihosting = tohost is None and any("x" in seg.perms and SEMIHOSTING_SEQUENCE in seg.data
                                         for seg in segments)
    return LoadedProgram(str(path), entry, segments, symbols, bare_metal=tohost is not None or semihosting,
                         semihosting=semihosting, tohost=tohost, fromhost=symbols.get("fromhost"),
                         phdr=phdr, phnum=phnum, phentsize=phentsize, arch=arch, xlen=32 if elf32 else 64)


def _arch_attribute(data: bytes) -> str | None:
    """Tag_RISCV_arch of a .riscv.attributes section ('A', then vendor subsections of tagged
    attributes: an odd tag has a string value, an even tag a ULEB128), as an rvsim ISA string."""
    from .isa.arch import isa_from_arch_string
    if data[:1] != b"A":
        return None
    pos = 1
    while pos + 4 <= len(data):
        length = struct.unpack_from("<I", data, pos)[0]
        end = min(pos + length, len(data))
        vendor_end = data.find(b"\0", pos + 4, end)
        if length < 5 or vendor_end < 0:
            return None
        if data[pos + 4:vendor_end] == b"riscv":
            q = vendor_end + 1
            while q + 5 <= end:                     # sub-subsections: tag, uint32 size, attributes
                sub_tag, size = data[q], struct.unpack_from("<I", data, q + 1)[0]
                sub_end = min(q + max(size, 5), end)
                r = q + 5
                while sub_tag == 1 and r < sub_end:
                    tag, r = _uleb(data, r)
                    if tag & 1 or tag == 0:         # a string (tags 4 and 6 etc. are numbers)
                        nul = data.find(b"\0", r, sub_end)
                        if nul < 0:
                            return None
                        if tag == 5:
                            return isa_from_arch_string(data[r:nul].decode("ascii", "replace"))
                        r = nul + 1
                    else:
                        _, r = _uleb(data, r)
                q = sub_end
        pos = end
    return None


def _uleb(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data):
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    return value, pos


def elf_isa(source) -> str | None:
    """The ISA to run an ELF (a path or its bytes) with: the default ISA plus the extensions its
    .riscv.attributes name (rvsim.isa.arch.program_isa); None when it does not say or is not a readable
    RISC-V ELF."""
    try:
        arch = read_elf(source).arch
    except LoadError:
        return None
    from .isa.arch import program_isa
    return program_isa(arch) if arch else None


def _table(raw: bytes, offset: int, entsize: int, count: int, record: struct.Struct, what: str):
    if count == 0:
        return []
    if entsize < record.size:
        raise ValueError(f"{what} entries of {entsize} bytes are too small")
    if offset + entsize * count > len(raw):
        raise ValueError(f"the {what} table extends past the end of the file")
    return [record.unpack_from(raw, offset + i * entsize) for i in range(count)]


def _program_headers(raw: bytes, phoff: int, phentsize: int, phnum: int, elf32: bool = False):
    """(p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz) of each program header."""
    if elf32:
        return [(h[0], h[6], h[1], h[2], h[3], h[4], h[5])
                for h in _table(raw, phoff, phentsize, phnum, _PROGRAM_HEADER32, "program header")]
    return [h[:7] for h in _table(raw, phoff, phentsize, phnum, _PROGRAM_HEADER, "program header")]


def _section_headers(raw: bytes, shoff: int, shentsize: int, shnum: int, elf32: bool = False):
    """Every Elf64_Shdr (or Elf32_Shdr, the same fields) as a tuple (an empty list when the file has no
    section table)."""
    record = _SECTION_HEADER32 if elf32 else _SECTION_HEADER
    if shoff == 0:
        return []
    if shnum == 0:                  # 65280 sections or more: the count is in section 0's sh_size
        shnum = _table(raw, shoff, shentsize, 1, record, "section header")[0][5]
    return _table(raw, shoff, shentsize, shnum, record, "section header")


def _section_data(raw: bytes, sh) -> bytes:
    offset, size = sh[4], sh[5]
    if offset + size > len(raw):
        raise ValueError("a section extends past the end of the file")
    return raw[offset:offset + size]


def _symbols(symtab: bytes, strtab: bytes, elf32: bool = False) -> dict[str, int]:
    """Defined symbols by name (first definition wins) from raw Elf64_Sym (or Elf32_Sym) entries (test
    programs have tens of thousands of labels: a reader object per symbol would take seconds)."""
    symbols: dict[str, int] = {}
    if elf32:
        entries = ((n, i, o, s, v, z) for n, v, z, i, o, s in struct.iter_unpack("<IIIBBH", symtab[:len(symtab) // 16 * 16]))
    else:
        entries = struct.iter_unpack("<IBBHQQ", symtab[:len(symtab) // 24 * 24])
    for name_off, info, _other, shndx, value, _size in entries:
        # skip undefined and file symbols, and "$x..." / "$d" mapping symbols (code/data markers)
        if not name_off or shndx == 0 or info & 0xf == 4:
            continue
        end = strtab.find(b"\0", name_off)
        name = strtab[name_off:end if end >= 0 else len(strtab)].decode("utf-8", "replace")
        if name and not name.startswith("$"):
            symbols.setdefault(name, value)
    return symbols


def _choose_window(prog: LoadedProgram, size: int) -> int:
    # a bare-metal image occupies its load addresses and, once its startup code has copied .data,
    # the addresses it runs at
    starts = [s.vaddr for s in prog.segments] + ([s.load_address for s in prog.segments] if prog.bare_metal else [])
    ends = [s.vaddr + s.memsz for s in prog.segments] + \
        ([s.load_address + len(s.data) for s in prog.segments] if prog.bare_metal else [])
    lo, hi = min(starts), max(ends)
    reserve = 0 if prog.bare_metal else STACK_SIZE * 2
    if hi + reserve <= size:
        return 0
    base = lo & ~((1 << 20) - 1)
    if base + size > 1 << 64:
        raise LoadError(f"{prog.path}: segments at {lo:#x}..{hi:#x} are too close to the top of the address "
                        f"space for a guest memory window of {size:#x} bytes")
    if hi - base + reserve > size:
        raise LoadError(f"{prog.path}: segments span {hi - lo:#x} bytes, more than the guest memory "
                        f"limit of {size:#x} bytes allows (raise it with memory_size / --memory)")
    return base


def load_elf(machine, path, argv=None, envp=None, name=None) -> LoadedProgram:
    """Load an executable (path or bytes) into ``machine``, re-creating its memory window to fit, and
    set up the entry state."""
    from .host import HtifEnvironment, LinuxEnvironment, SemihostEnvironment

    prog = read_elf(path, name)
    path = prog.path
    if prog.arch and not prog.arch.startswith(f"rv{prog.xlen}"):
        prog.arch = None            # an attribute that contradicts the ELF class: the class decides
    if getattr(machine, "isa_from_program", False):
        from .isa.arch import DEFAULT_ISA, DEFAULT_ISA32, program_isa
        isa = program_isa(prog.arch) if prog.arch else \
            (machine.isa_string if machine.xlen == prog.xlen else DEFAULT_ISA32 if prog.xlen == 32 else DEFAULT_ISA)
        if isa != machine.isa_string:               # what the program was built for, at least
            machine.set_isa(isa)
    if prog.xlen != getattr(machine, "xlen", 64):
        raise LoadError(f"{path}: a {prog.xlen}-bit (RV{prog.xlen}) program, but the machine is RV{machine.xlen} "
                        f"({machine.isa_string}): give an rv{prog.xlen} ISA (--isa rv{prog.xlen}...) or none")
    base = _choose_window(prog, machine.memory_size)
    if prog.xlen == 32 and base + machine.memory_size > 1 << 32:
        raise LoadError(f"{path}: a guest memory window of {machine.memory_size:#x} bytes at {base:#x} does not fit "
                        "the 32-bit address space of RV32 (lower it with memory_size / --memory)")
    if prog.bare_metal:
        flags = lib.RV_CFG_EBREAK_TO_HOST if prog.semihosting else 0
    else:
        flags = lib.RV_CFG_ECALL_TO_HOST | lib.RV_CFG_EBREAK_TO_HOST | lib.RV_CFG_STOP_ON_TRAP
    machine._reconfigure(base=base, flags=flags)
    # A Linux process gets its segments' permissions (pages shared by two segments get the union).
    # Bare-metal code runs in M-mode on physical memory, which has no page permissions: all of the
    # window is RAM, readable, writable and executable (riscv-tests copy code into data and patch their
    # own text; riscv-vector-tests store results past the end of their image).
    if prog.bare_metal:
        machine.map(machine.memory_base, machine.memory_size, "rwx")
    else:
        perms_by_page: dict[int, str] = {}
        for seg in prog.segments:
            for page in range(seg.vaddr & ~(PAGE - 1), seg.vaddr + seg.memsz, PAGE):
                perms_by_page[page] = perms_by_page.get(page, "") + seg.perms
        for page, perms in perms_by_page.items():
            machine.map(page, PAGE, perms)
    for seg in prog.segments:
        machine.write(seg.load_address if prog.bare_metal else seg.vaddr, seg.data)
    machine.symbols = dict(prog.symbols)
    machine.pc = prog.entry
    h = machine._hart
    h.mstatus = int(h.mstatus) | MSTATUS_FS_INITIAL | (MSTATUS_VS_INITIAL if "v" in machine.extensions else 0) \
        | (MSTATUS_MS_INITIAL if "zvt" in machine.extensions else 0)
    if prog.bare_metal:
        lib.rv_set_tohost(machine._core, prog.tohost or 0)
        machine.priv = 3
        prog.argv = [os.fsencode(a) for a in (argv or [os.path.basename(str(path))])]
        # system calls are not the host's here (ecall traps to the program's own handler): a Linux
        # environment (rvsim run's default for a .s file, which it cannot tell apart before assembling
        # it) gives way to the program's own
        if machine.env is None or isinstance(machine.env, LinuxEnvironment):
            machine.env = SemihostEnvironment(deterministic=machine.deterministic) \
                if prog.semihosting else HtifEnvironment(prog.tohost, prog.fromhost)
        if isinstance(machine.env, SemihostEnvironment):
            machine.env.attach(machine, prog)
    else:
        machine.priv = 0
        h.mcounteren = 7                     # user mode may read cycle, time and instret
        end = max(s.vaddr + s.memsz for s in prog.segments)
        prog.brk_start = (end + PAGE - 1) & ~(PAGE - 1)
        prog.stack_top = machine.memory_base + machine.memory_size
        machine.map(prog.stack_top - STACK_SIZE, STACK_SIZE, "rw")
        if machine.env is None:
            machine.env = LinuxEnvironment(deterministic=machine.deterministic)
        if not isinstance(machine.env, LinuxEnvironment):
            raise LoadError(f"{path}: a Linux program needs a LinuxEnvironment")
        machine.env.attach(machine, prog)
        argv = [os.fsencode(a) for a in (argv or [os.path.basename(str(path))])]
        prog.argv = argv
        envp = [os.fsencode(e) for e in (envp if envp is not None else [])]
        h.x[2] = _build_initial_stack(machine, prog, argv, envp)
        if "_start" not in prog.symbols and prog.symbols.get("main") is not None:
            _start_at_main(machine, prog)
    machine.program = prog
    return prog


MAIN_RETURN_SYMBOL = "__rvsim_main_return"


def _start_at_main(machine, prog: LoadedProgram) -> None:
    """A program as students write it, with ``main`` and no ``_start``: start at ``main`` with
    a0 = argc, a1 = argv, a2 = envp, and a return address whose code exits with a0 as the status (in
    the page below the stack, which nothing else uses)."""
    stub = prog.stack_top - STACK_SIZE - PAGE
    machine.map(stub, PAGE, "rx")
    machine.write(stub, machine.env.MAIN_RETURN_STUB)
    machine.symbols[MAIN_RETURN_SYMBOL] = stub
    sp = int(machine.x[2])
    word = machine.xlen // 8
    argc = int.from_bytes(machine.read(sp, word), "little")
    machine.x[10] = argc
    machine.x[11] = sp + word
    machine.x[12] = sp + 2 * word + word * argc
    machine.x[1] = stub
    prog.entry = machine.pc = prog.symbols["main"]


ASSEMBLY_SUFFIXES = (".s", ".S", ".asm")


def load_assembly(machine, source, *, argv=None, envp=None, name=None, defsym=None, march=None,
                  include_dirs=()):
    """Assemble ``source`` (a path ending in .s/.S/.asm, or source text) for ``machine``'s ISA and
    load it as :func:`load_elf` does; returns the assembled :class:`rvsim.asm.Program`, whose
    ``warnings`` the caller may show.  Raises :class:`rvsim.asm.AsmError` (every error, in line order)."""
    from .asm import assemble, assemble_files
    march = march or machine.isa_string
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source
                                           and source.endswith(ASSEMBLY_SUFFIXES)):
        name = name or os.fspath(source)
        prog = assemble_files([os.fspath(source)], defsym=defsym, march=march, include_dirs=include_dirs)
    else:
        name = name or "<input>"
        prog = assemble(source, filename=name, defsym=defsym, march=march, include_dirs=include_dirs)
    load_elf(machine, prog.to_elf(), argv=argv or [name], envp=envp, name=name)
    machine.asm_program = prog
    return prog


def _build_initial_stack(machine, prog: LoadedProgram, argv, envp) -> int:
    """Lay out argc, argv, envp and auxv below the stack top as the Linux kernel does; return sp."""
    top = prog.stack_top
    strings = bytearray()
    offsets = []
    for s in argv + envp:
        offsets.append(len(strings))
        strings += s + b"\0"
    random_off = len(strings)
    strings += machine.env.random_bytes(16)
    execfn_off = offsets[0] if argv else random_off
    area = (top - len(strings) - 64) & ~15
    machine.write(area, bytes(strings))
    addr = lambda off: area + off  # noqa: E731
    auxv = [(AT_PHDR, prog.phdr), (AT_PHENT, prog.phentsize), (AT_PHNUM, prog.phnum),
            (AT_PAGESZ, PAGE), (AT_BASE, 0), (AT_FLAGS, 0), (AT_ENTRY, prog.entry),
            (AT_UID, 0), (AT_EUID, 0), (AT_GID, 0), (AT_EGID, 0), (AT_HWCAP, _hwcap(machine)),
            (AT_CLKTCK, 100), (AT_SECURE, 0), (AT_RANDOM, addr(random_off)),
            (AT_EXECFN, addr(execfn_off)), (AT_NULL, 0)]
    words = [len(argv)]
    words += [addr(o) for o in offsets[:len(argv)]] + [0]
    words += [addr(o) for o in offsets[len(argv):]] + [0]
    for k, v in auxv:
        words += [k, v]
    word = getattr(machine, "xlen", 64) // 8        # ilp32: the stack's words are 4 bytes
    sp = (area - word * len(words)) & ~15
    machine.write(sp, b"".join(w.to_bytes(word, "little") for w in words))
    return sp


def _hwcap(machine) -> int:
    return sum(1 << (ord(c) - ord("a")) for c in "imafdcv" if c in machine.extensions)
