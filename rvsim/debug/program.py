"""What the debugger knows of the program: symbols, functions, source lines, instruction text, memory
accesses and calls of an instruction word.  Nothing here runs the machine."""
from __future__ import annotations

import bisect
import re

from ..isa.operands import FREG_NAMES as FABI, XREG_NAMES as ABI


def register_index(name: str):
    """('x', n), ('f', n), ('v', n) or ('pc', 0) for a register name (ABI or numeric, no '$'), else None."""
    n = name.lower()
    if n == "pc":
        return "pc", 0
    if n == "fp":
        return "x", 8
    if n in ABI:
        return "x", ABI.index(n)
    if n in FABI:
        return "f", FABI.index(n)
    if len(n) > 1 and n[0] in "xfv" and n[1:].isdigit() and int(n[1:]) < 32 and str(int(n[1:])) == n[1:]:
        return n[0], int(n[1:])
    return None


def insn_length(low_half: int) -> int:
    return 4 if low_half & 3 == 3 else 2


def _sext(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def memory_access(word: int, x) -> tuple[str, int, int] | None:
    """(kind 'r'|'w'|'rw', address, size) of a scalar load/store/AMO about to execute, else None.
    ``x`` is the integer register file.  (Vector memory instructions are not decoded here.)"""
    if word & 3 == 3:
        op, f3 = word & 0x7F, (word >> 12) & 7
        rs1 = (word >> 15) & 31
        base = int(x[rs1])
        if op == 0x03:
            return "r", (base + _sext(word >> 20, 12)) & (2**64 - 1), 1 << (f3 & 3)
        if op == 0x07 and f3 in (1, 2, 3, 4):
            return "r", (base + _sext(word >> 20, 12)) & (2**64 - 1), 1 << f3
        imm_s = _sext(((word >> 25) << 5) | ((word >> 7) & 31), 12)
        if op == 0x23:
            return "w", (base + imm_s) & (2**64 - 1), 1 << (f3 & 3)
        if op == 0x27 and f3 in (1, 2, 3, 4):
            return "w", (base + imm_s) & (2**64 - 1), 1 << f3
        if op == 0x2F and f3 in (2, 3):
            funct5 = word >> 27
            kind = "r" if funct5 == 2 else "w" if funct5 == 3 else "rw"
            return kind, base, 1 << f3
        return None
    w, op, f3 = word & 0xFFFF, word & 3, (word >> 13) & 7
    if op == 0:
        rs1 = 8 + ((w >> 7) & 7)
        if f3 in (2, 6):
            off = (((w >> 10) & 7) << 3) | (((w >> 6) & 1) << 2) | (((w >> 5) & 1) << 6)
            size = 4
        elif f3 in (1, 3, 5, 7):
            off = (((w >> 10) & 7) << 3) | (((w >> 5) & 3) << 6)
            size = 8
        else:
            return None
        return ("r" if f3 < 4 else "w"), (int(x[rs1]) + off) & (2**64 - 1), size
    if op == 2:
        sp = int(x[2])
        if f3 == 2:
            off = (((w >> 12) & 1) << 5) | (((w >> 4) & 7) << 2) | (((w >> 2) & 3) << 6)
            return "r", (sp + off) & (2**64 - 1), 4
        if f3 in (1, 3):
            off = (((w >> 12) & 1) << 5) | (((w >> 5) & 3) << 3) | (((w >> 2) & 7) << 6)
            return "r", (sp + off) & (2**64 - 1), 8
        if f3 == 6:
            off = (((w >> 9) & 15) << 2) | (((w >> 7) & 3) << 6)
            return "w", (sp + off) & (2**64 - 1), 4
        if f3 in (5, 7):
            off = (((w >> 10) & 7) << 3) | (((w >> 7) & 7) << 6)
            return "w", (sp + off) & (2**64 - 1), 8
    return None


def call_or_return(word: int) -> str | None:
    """'call' for jal/jalr that link ra (or t0), 'ret' for jalr x0, 0(ra), else None."""
    if word & 3 == 3:
        op, rd, rs1 = word & 0x7F, (word >> 7) & 31, (word >> 15) & 31
        if op == 0x6F and rd in (1, 5):
            return "call"
        if op == 0x67:
            if rd in (1, 5):
                return "call"
            if rd == 0 and rs1 in (1, 5) and word >> 20 == 0:
                return "ret"
        return None
    w = word & 0xFFFF
    if w & 3 == 2 and (w >> 13) == 4 and (w >> 2) & 31 == 0:
        rs1 = (w >> 7) & 31
        if (w >> 12) & 1 and rs1:
            return "call"
        if not (w >> 12) & 1 and rs1 in (1, 5):
            return "ret"
    return None


class ProgramInfo:
    """Symbols, functions and (for a program rvsim assembled) source lines."""

    def __init__(self, machine, program=None):
        self.m = machine
        self.program = program
        self.symbols: dict[str, int] = dict(machine.symbols)
        if program is not None:
            for name, addr in program.symbol_map.items():
                self.symbols.setdefault(name, addr)
        # names that are not useful in <sym+off> (section markers, linker symbols)
        shown = {n: a for n, a in self.symbols.items()
                 if not n.startswith(("$", ".L")) and n not in ("", "__global_pointer$")}
        self._by_addr = sorted((a, n) for n, a in shown.items())
        self._addrs = [a for a, _ in self._by_addr]
        self.code_ranges = self._code_ranges()
        self.functions = self._find_functions()
        self._func_addrs = sorted(self.functions)
        self._sources: dict[str, list[str]] = {}
        if program is not None:
            table = program.line_table
            # the first address of each run of one source line (a pseudo-instruction such as `la` or
            # `call` is several machine instructions on one line)
            self.line_starts = {a for i, (a, f, ln) in enumerate(table)
                                if i == 0 or table[i - 1][1:] != (f, ln)}
            self.main_file = table[0][1] if table else None
        else:
            self.line_starts = set()
            self.main_file = None

    # ---------------------------------------------------------------- code and symbols

    def _code_ranges(self) -> list[tuple[int, int]]:
        if self.program is not None:
            return [(s.address, s.address + s.size) for s in self.program.sections if "x" in s.flags]
        ranges = []
        elf = getattr(self.m, "program", None)
        for seg in getattr(elf, "segments", None) or ():
            if "x" in getattr(seg, "perms", ""):
                ranges.append((seg.vaddr, seg.vaddr + seg.memsz))
        if not ranges:
            flags = self.m._page_flags()
            pages = [i for i, f in enumerate(flags) if f & 4]
            for p in pages:
                lo = self.m.memory_base + p * 4096
                if ranges and ranges[-1][1] == lo:
                    ranges[-1] = (ranges[-1][0], lo + 4096)
                else:
                    ranges.append((lo, lo + 4096))
        return ranges

    def in_code(self, addr: int) -> bool:
        return any(lo <= addr < hi for lo, hi in self.code_ranges)

    def _find_functions(self) -> dict[int, str]:
        """Function entries: global code symbols, the entry point and every target of a call in the
        code (student programs call local labels: `call fact`)."""
        funcs: dict[int, str] = {}
        name_of = {}
        for a, n in self._by_addr:
            name_of.setdefault(a, n)
        binding = {}
        if self.program is not None:
            for s in self.program.symbols:
                binding[s.name] = s.binding
        for a, n in self._by_addr:
            if self.in_code(a) and binding.get(n, "global") != "local":
                funcs.setdefault(a, n)
        # a RARS-style program's `main` is a local label, and it is where the program starts
        main = self.symbols.get("main")
        if main is not None and self.in_code(main):
            funcs.setdefault(main, "main")
        if self.in_code(self.m.pc) and self.m.pc in name_of:
            funcs.setdefault(self.m.pc, name_of[self.m.pc])
        for lo, hi in self.code_ranges:
            if hi - lo > (4 << 20):
                continue
            try:
                data = self.m.read(lo, hi - lo)
            except ValueError:
                continue
            pos = 0
            auipc: dict[int, int] = {}      # rd -> value after `auipc rd, imm` (call = auipc + jalr)
            while pos + 2 <= len(data):
                half = data[pos] | data[pos + 1] << 8
                n = insn_length(half)
                if pos + n > len(data):
                    break
                word = int.from_bytes(data[pos:pos + n], "little")
                here = lo + pos
                target = None
                if n == 4 and word & 0x7F == 0x6F and (word >> 7) & 31 in (1, 5):
                    imm = ((word >> 31) << 20) | (((word >> 12) & 0xFF) << 12) | \
                        (((word >> 20) & 1) << 11) | (((word >> 21) & 0x3FF) << 1)
                    target = (here + _sext(imm, 21)) & (2**64 - 1)
                elif n == 4 and word & 0x7F == 0x17:
                    auipc = {(word >> 7) & 31: (here + _sext(word & 0xFFFFF000, 32)) & (2**64 - 1)}
                    pos += n
                    continue
                elif n == 4 and word & 0x7F == 0x67 and (word >> 7) & 31 in (1, 5) and \
                        (word >> 15) & 31 in auipc:
                    target = (auipc[(word >> 15) & 31] + _sext(word >> 20, 12)) & (2**64 - 1)
                auipc = {}
                if target is not None and target in name_of:
                    funcs.setdefault(target, name_of[target])
                pos += n
        return funcs

    def symbolize(self, addr: int) -> str:
        """`name` or `name+off` of the nearest symbol at or below addr ('' when none is near)."""
        i = bisect.bisect_right(self._addrs, addr) - 1
        if i < 0:
            return ""
        a, n = self._by_addr[i]
        # prefer a function name over a data label sharing its address
        same = [name for aa, name in self._by_addr[max(0, i - 8):i + 1] if aa == a]
        n = next((s for s in same if self.functions.get(a) == s), same[-1] if same else n)
        off = addr - a
        if off > 1 << 20:
            return ""
        return n if off == 0 else f"{n}+{off}"

    def addr_text(self, addr: int) -> str:
        sym = self.symbolize(addr)
        return f"{addr:#x} <{sym}>" if sym else f"{addr:#x}"

    def function_at(self, pc: int) -> tuple[int, str] | None:
        i = bisect.bisect_right(self._func_addrs, pc) - 1
        if i < 0 or not self.in_code(pc):
            return None
        start = self._func_addrs[i]
        return start, self.functions[start]

    def function_end(self, start: int) -> int:
        i = bisect.bisect_right(self._func_addrs, start)
        nxt = self._func_addrs[i] if i < len(self._func_addrs) else None
        for lo, hi in self.code_ranges:
            if lo <= start < hi:
                return min(nxt, hi) if nxt is not None else hi
        return start + 4

    def function_named(self, name: str) -> int | None:
        return self.symbols.get(name)

    # ---------------------------------------------------------------- source lines

    def line_at(self, pc: int) -> tuple[str, int] | None:
        if self.program is None or not self.in_code(pc):
            return None
        return self.program.line_at(pc)

    def is_line_start(self, pc: int) -> bool:
        return pc in self.line_starts

    def source_lines(self, file: str) -> list[str]:
        lines = self._sources.get(file)
        if lines is None:
            try:
                with open(file, encoding="utf-8", errors="replace") as fh:
                    lines = fh.read().splitlines()
            except OSError:
                lines = []
            self._sources[file] = lines
        return lines

    def source_text(self, file: str, line: int) -> str | None:
        lines = self.source_lines(file)
        return lines[line - 1] if 0 < line <= len(lines) else None

    def files(self) -> list[str]:
        if self.program is None:
            return []
        seen = []
        for _, f, _ in self.program.line_table:
            if f not in seen:
                seen.append(f)
        return seen

    def match_file(self, name: str) -> str | None:
        for f in self.files():
            if f == name or f.endswith("/" + name) or f.split("/")[-1] == name.split("/")[-1]:
                return f
        return None

    def address_of_line(self, file: str, line: int) -> tuple[int, int] | None:
        """(address, line) of the first instruction at LINE or, when that line has no code, the next
        line that has some (as gdb moves a breakpoint)."""
        best = None
        for a, f, ln in self.program.line_table if self.program else ():
            if f == file and ln >= line and (best is None or (ln, a) < (best[1], best[0])):
                best = (a, ln)
        return best

    def line_range(self, pc: int) -> tuple[int, int] | None:
        """[start, end) addresses of the line-table entry holding pc."""
        if self.program is None:
            return None
        table = self.program.line_table
        addrs = self.program._line_addrs
        i = bisect.bisect_right(addrs, pc) - 1
        if i < 0:
            return None
        start = table[i][0]
        key = table[i][1:]
        j = i + 1
        while j < len(table) and table[j][1:] == key:
            j += 1
        end = table[j][0] if j < len(table) else self.function_end(start)
        return start, end

    # ---------------------------------------------------------------- instructions

    def word_at(self, pc: int) -> tuple[int, int] | None:
        """(word, length) of the instruction at pc without disassembling it, or None."""
        m = self.m
        off = pc - m.memory_base
        if not 0 <= off <= m.memory_size - 2:
            return None
        mem = m.memory
        half = int(mem[off]) | int(mem[off + 1]) << 8
        if half & 3 != 3:
            return half, 2
        if off + 4 > m.memory_size:
            return None
        return half | int(mem[off + 2]) << 16 | int(mem[off + 3]) << 24, 4

    def insn_at(self, pc: int) -> tuple[int, int, str] | None:
        """(word, length, text) of the instruction at pc, or None when it cannot be read."""
        try:
            half = int.from_bytes(self.m.read(pc, 2), "little")
            n = insn_length(half)
            word = int.from_bytes(self.m.read(pc, n), "little")
        except ValueError:
            return None
        try:
            from ..disasm import disassemble
            text = disassemble(word, pc=pc)
        except Exception:       # the disassembler is a nicety here, never a reason to fail
            text = "(bad)"
        text = re.sub(r"\b0x([0-9a-f]+)\b(?=\s*$)", lambda mo: self._target(mo), text)
        return word, n, text

    def _target(self, mo) -> str:
        addr = int(mo.group(1), 16)
        sym = self.symbolize(addr) if self.in_code(addr) else ""
        return f"{addr:#x} <{sym}>" if sym else mo.group(0)
