"""Loading RV64 ELF executables into a Machine.

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

import io
import os
import struct
from dataclasses import dataclass, field

from elftools.common.exceptions import ELFError
from elftools.elf.constants import P_FLAGS
from elftools.elf.elffile import ELFFile

from ._core import lib
from .errors import LoadError
from .host import SEMIHOSTING_SEQUENCE

EM_RISCV = 243
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


def read_elf(source, name: str | None = None) -> LoadedProgram:
    """Parse and validate an RV64 executable (a path, or the file's bytes); raises :class:`LoadError`
    with a clear reason."""
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
    if len(raw) < 64:
        raise LoadError(f"{path}: truncated ELF header")
    if raw[4] != 2:
        raise LoadError(f"{path}: 32-bit ELF; rvsim runs RV64 programs")
    if raw[5] != 1:
        raise LoadError(f"{path}: big-endian ELF; RISC-V programs are little-endian")
    try:
        elf = ELFFile(io.BytesIO(raw))
        if elf["e_machine"] not in ("EM_RISCV", EM_RISCV):
            raise LoadError(f"{path}: ELF for {elf['e_machine']}, not RISC-V")
        if elf["e_type"] not in ("ET_EXEC", "ET_DYN"):
            raise LoadError(f"{path}: ELF type {elf['e_type']} is not an executable")
        segments, phdr = [], 0
        for seg in elf.iter_segments():
            t = seg["p_type"]
            if t in ("PT_INTERP", "PT_DYNAMIC"):
                raise LoadError(f"{path}: dynamically linked; rvsim runs statically linked programs "
                                "(link with -static)")
            if t != "PT_LOAD" or seg["p_memsz"] == 0:
                continue
            off, filesz = seg["p_offset"], seg["p_filesz"]
            if filesz and off + filesz > len(raw):
                raise LoadError(f"{path}: truncated: a segment extends past the end of the file")
            flags = seg["p_flags"]
            perms = ("r" if flags & P_FLAGS.PF_R else "") + ("w" if flags & P_FLAGS.PF_W else "") + \
                    ("x" if flags & P_FLAGS.PF_X else "")
            segments.append(Segment(seg["p_vaddr"], seg["p_memsz"], raw[off:off + filesz], perms,
                                    seg["p_paddr"]))
            if off <= elf["e_phoff"] < off + filesz:
                phdr = seg["p_vaddr"] + elf["e_phoff"] - off
        if not segments:
            raise LoadError(f"{path}: no loadable segments")
        symbols = {}
        symtab = elf.get_section_by_name(".symtab")
        if symtab is not None:
            symbols = _symbols(symtab.data(), elf.get_section(symtab["sh_link"]).data())
        entry = elf["e_entry"]
        phnum, phentsize = elf["e_phnum"], elf["e_phentsize"]
    except LoadError:
        raise
    except (ELFError, ValueError, KeyError, IndexError, AssertionError) as exc:
        raise LoadError(f"{path}: malformed ELF: {exc}") from None
    except Exception as exc:  # pyelftools raises assorted errors on corrupt input
        raise LoadError(f"{path}: malformed ELF: {type(exc).__name__}: {exc}") from None
    tohost = symbols.get("tohost")
    semihosting = tohost is None and any("x" in seg.perms and SEMIHOSTING_SEQUENCE in seg.data
                                         for seg in segments)
    return LoadedProgram(str(path), entry, segments, symbols, bare_metal=tohost is not None or semihosting,
                         semihosting=semihosting, tohost=tohost, fromhost=symbols.get("fromhost"),
                         phdr=phdr, phnum=phnum, phentsize=phentsize)


def _symbols(symtab: bytes, strtab: bytes) -> dict[str, int]:
    """Defined symbols by name (first definition wins) from raw Elf64_Sym entries: read directly, since
    pyelftools takes about 0.2 ms a symbol and test programs have tens of thousands of labels."""
    symbols: dict[str, int] = {}
    for name_off, info, _other, shndx, value, _size in struct.iter_unpack("<IBBHQQ", symtab[:len(symtab) // 24 * 24]):
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
    base = _choose_window(prog, machine.memory_size)
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
        if machine.env is None:
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
        machine.x[2] = _build_initial_stack(machine, prog, argv, envp)
    machine.program = prog
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
    sp = (area - 8 * len(words)) & ~15
    machine.write(sp, b"".join(w.to_bytes(8, "little") for w in words))
    return sp


def _hwcap(machine) -> int:
    return sum(1 << (ord(c) - ord("a")) for c in "imafdcv" if c in machine.extensions)
