"""``rvsim profile``: where a program's cycles go, by function, source line and loop.

The program is an ELF (built by GCC, clang or ``rvsim asm``) or an assembly file (assembled by rvsim).
Cycles and stalls come from the cycle model's per-instruction counters; they are attributed to source
lines through the DWARF line table of an ELF built with ``-g`` (C, or assembly assembled with ``as -g``),
or through rvsim's own line table for an assembly file, and to functions through the symbol table.
``--folded FILE`` writes the call stacks with their cycles in the folded format of flame-graph tools
(``main;matmul;dot 12345`` per line: flamegraph.pl, speedscope, inferno): rvsim stops at every function
entry and at the return address of every call, and charges the cycles between two stops to the stack.

    rvsim profile prog.elf --timing x60
    rvsim profile kernel.s --defsym N=64 --timing x60 --source --folded kernel.folded
"""
from __future__ import annotations

import argparse
import bisect
import io
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .config import TimingConfigError

COMPILE_HINT = ("compile the C program to an ELF instead and profile that, e.g.\n"
                "  riscv64-unknown-elf-gcc -O2 -g --specs=picolibc.specs --oslib=semihost --crt0=semihost "
                "prog.c -o prog.elf\n  rvsim profile prog.elf")


class ProfileError(Exception):
    pass


# ------------------------------------------------------------------ symbols and lines

@dataclass
class Function:
    name: str
    start: int
    end: int                        # exclusive (the next function's start when the size is unknown)


def functions_of(elf_bytes: bytes) -> list[Function]:
    """Functions from the ELF symbol table: FUNC symbols with their sizes; when there are none (plain
    assembly labels), every global or local text label starts one."""
    from elftools.elf.elffile import ELFFile
    elf = ELFFile(io.BytesIO(elf_bytes))
    symtab = elf.get_section_by_name(".symtab")
    if symtab is None:
        return []
    text = [s for s in elf.iter_sections() if s["sh_flags"] & 0x4]       # SHF_EXECINSTR
    ranges = [(s["sh_addr"], s["sh_addr"] + s["sh_size"]) for s in text]

    def in_text(a):
        return any(lo <= a < hi for lo, hi in ranges)
    funcs, labels = [], []
    for sym in symtab.iter_symbols():
        name, t, a = sym.name, sym["st_info"]["type"], sym["st_value"]
        if not name or name.startswith((".L", "$")) or not in_text(a):
            continue
        if t == "STT_FUNC":
            funcs.append((a, sym["st_size"], name))
        elif t == "STT_NOTYPE":
            labels.append((a, 0, name))
    chosen = funcs or labels
    chosen.sort()
    out: list[Function] = []
    for i, (a, size, name) in enumerate(chosen):
        if out and out[-1].start == a:
            continue                                # aliases: keep the first name
        nxt = next((b for b, _, _ in chosen[i + 1:] if b > a), max(hi for _, hi in ranges))
        out.append(Function(name, a, a + size if size else nxt))
    return out


def dwarf_line_table(elf_bytes: bytes) -> list[tuple[int, str | None, int]]:
    """(address, file, line) rows of the DWARF line programs, sorted; a row with file None ends a
    sequence.  Empty when the ELF has no line table (built without -g)."""
    from elftools.elf.elffile import ELFFile
    elf = ELFFile(io.BytesIO(elf_bytes))
    if not elf.has_dwarf_info():
        return []
    dw = elf.get_dwarf_info()
    rows = []
    for cu in dw.iter_CUs():
        lp = dw.line_program_for_CU(cu)
        if lp is None:
            continue
        top = cu.get_top_DIE()
        comp_dir = top.attributes.get("DW_AT_comp_dir")
        comp_dir = comp_dir.value.decode(errors="replace") if comp_dir is not None else ""
        version = lp.header["version"]
        files = lp.header["file_entry"]
        dirs = [d.decode(errors="replace") if isinstance(d, bytes) else str(d)
                for d in lp.header["include_directory"]]
        paths = {}

        def path_of(index):
            if index in paths:
                return paths[index]
            i = index if version >= 5 else index - 1
            if not 0 <= i < len(files):
                paths[index] = None
                return None
            fe = files[i]
            name = fe.name.decode(errors="replace") if isinstance(fe.name, bytes) else str(fe.name)
            d = fe.dir_index
            if version >= 5:
                directory = dirs[d] if 0 <= d < len(dirs) else comp_dir
            else:
                directory = dirs[d - 1] if 0 < d <= len(dirs) else comp_dir
            p = os.path.normpath(os.path.join(comp_dir, directory, name))
            paths[index] = p
            return p
        for entry in lp.get_entries():
            st = entry.state
            if st is None:
                continue
            if st.end_sequence:
                rows.append((st.address, None, 0))
            else:
                rows.append((st.address, path_of(st.file), st.line))
    # at one address the last row wins (the line the instruction belongs to); end rows sort first
    rows.sort(key=lambda r: (r[0], r[1] is not None))
    return rows


class LineMap:
    """pc -> (file, line) from a sorted (address, file, line) table."""

    def __init__(self, rows):
        self.rows = list(rows)
        self.addrs = [r[0] for r in self.rows]

    def __bool__(self):
        return bool(self.rows)

    def at(self, pc: int):
        i = bisect.bisect_right(self.addrs, pc) - 1
        if i < 0 or self.rows[i][1] is None:
            return None
        return self.rows[i][1], self.rows[i][2]


# ------------------------------------------------------------------ loops

def _backward_target(word: int, pc: int) -> int | None:
    """The target of a branch or jal at pc when it jumps backwards (a loop's back edge)."""
    from .. import isa
    rec = isa.decode(word)
    if rec is None:
        return None
    ops = rec.decode_operands(word)
    for k in ("imm_b", "imm_j", "c_imm_b", "c_imm_j"):
        if k in ops and ops[k] < 0:
            if rec.mnemonic in ("jal", "c.jal") and ops.get("rd", 0) not in (0,):
                return None                      # a call, not a loop
            return pc + ops[k]
    return None


@dataclass
class Loop:
    start: int
    end: int                        # the back-edge instruction
    cycles: int
    iterations: int
    mix: list = field(default_factory=list)     # [(mnemonic, executions)]
    stalls: dict = field(default_factory=dict)


def find_loops(by_pc: dict, read_word, function_at=None) -> list[Loop]:
    """Every executed backward branch/jump within a function closes a loop [target, branch]; its cycles
    are those of the instructions inside (nested loops count in each)."""
    from .. import isa
    pcs = sorted(by_pc)
    loops = []
    words = {}
    for pc in pcs:
        w = read_word(pc)
        if w is None:
            continue
        words[pc] = w
        target = _backward_target(w, pc)
        if target is None or target not in by_pc:
            continue
        if function_at is not None and function_at(target) != function_at(pc):
            continue                                # a jump to shared code (e.g. millicode), not a loop
        lo, hi = bisect.bisect_left(pcs, target), bisect.bisect_right(pcs, pc)
        body = pcs[lo:hi]
        cycles = sum(by_pc[p].cycles for p in body)
        mix: Counter = Counter()
        stalls: Counter = Counter()
        for p in body:
            w2 = words.get(p) if p in words else read_word(p)
            rec = isa.decode(w2) if w2 is not None else None
            mix[rec.mnemonic if rec else "?"] += by_pc[p].count
            stalls.update({k: v for k, v in by_pc[p].stalls.items() if v})
        loops.append(Loop(target, pc, cycles, by_pc[target].count, mix.most_common(), dict(stalls)))
    loops.sort(key=lambda lp: -lp.cycles)
    return loops


# ------------------------------------------------------------------ call stacks (folded)

TRACKED_FUNCTIONS = 40     # of the core's 64 breakpoints; the rest are for return addresses


class StackTracker:
    """Stops at every function entry and at the return address of each call; the cycles between two
    stops go to the current stack."""

    def __init__(self, machine, timing, functions: list[Function], tracked=None):
        self.m, self.timing = machine, timing
        self.functions = functions
        self.starts = [f.start for f in functions]
        self.entry = {f.start: f.name for f in functions if tracked is None or f.name in tracked}
        self.stack: list[tuple[str, int, int]] = []        # (name, return address, sp at entry)
        self.folded: Counter = Counter()
        self.last = 0
        self.ret_refs: Counter = Counter()
        for a in self.entry:
            machine.add_breakpoint(a)
        here = self.function_at(machine.pc)
        if here:
            self.stack.append((here, -1, -1))

    def function_at(self, pc):
        i = bisect.bisect_right(self.starts, pc) - 1
        if i >= 0 and pc < self.functions[i].end:
            return self.functions[i].name
        return None

    def charge(self):
        now = self.timing.cycles
        if now > self.last:
            key = ";".join(n for n, _, _ in self.stack) or (self.function_at(self.m.pc) or "[unknown]")
            self.folded[key] += now - self.last
        self.last = now

    def stop(self, pc):
        """The machine stopped at a breakpoint at pc: update the stack."""
        self.charge()
        m = self.m
        sp = int(m.x[2])
        if pc in self.ret_refs:
            # returning from the innermost frame (a tail call took over its caller's frame)
            if self.stack and self.stack[-1][1] == pc:
                _, ret, _ = self.stack.pop()
                self._unref(ret)
        if pc in self.entry:
            link = self._link_register(pc)
            if link is None:
                # a tail call (j/jr): the callee takes its caller's frame and return address
                if self.stack and self.stack[-1][1] != -1:
                    _, ret, frame_sp = self.stack.pop()
                    self.stack.append((self.entry[pc], ret, frame_sp))
                else:
                    self.stack.append((self.entry[pc], -1, sp))
                return
            ret = int(m.x[link])
            if ret not in self.ret_refs and ret not in self.entry:
                try:
                    m.add_breakpoint(ret)
                except ValueError:          # out of breakpoints (deep recursion): not tracked
                    return
            self.stack.append((self.entry[pc], ret, sp))
            self.ret_refs[ret] += 1

    def _link_register(self, pc) -> int | None:
        """1 (ra) or 5 (t0, GCC's -msave-restore millicode) when the instruction before the link
        register's address is a call to pc; None for a tail call."""
        from .. import isa
        weak = None
        for reg in (5, 1):
            ret = int(self.m.x[reg])
            for size in (4, 2):
                try:
                    raw = self.m.read(ret - size, size)
                except ValueError:
                    continue
                word = int.from_bytes(raw, "little")
                if (size == 4) != (word & 3 == 3):
                    continue
                rec = isa.decode(word)
                if rec is None:
                    continue
                ops = rec.decode_operands(word)
                if rec.mnemonic == "jal" and ops.get("rd") == reg and ret - size + ops["imm_j"] == pc:
                    return reg
                # an indirect call: we stop before the callee's first instruction, so its base
                # register still holds the target (unless it was the link register itself)
                x = self.m.x
                if rec.mnemonic == "jalr" and ops.get("rd") == reg:
                    if ops["rs1"] == reg:
                        weak = reg if weak is None else weak
                    elif (int(x[ops["rs1"]]) + ops["imm_i"]) & ~1 & (2 ** 64 - 1) == pc:
                        return reg
                if rec.mnemonic == "c.jalr" and reg == 1:
                    if ops["c_rs1_n0"] == 1:
                        weak = reg if weak is None else weak
                    elif int(x[ops["c_rs1_n0"]]) & ~1 == pc:
                        return reg
                if size == 4:
                    break                       # a 32-bit instruction ends at ret: no compressed one does
        return weak
        return None

    def _unref(self, ret):
        self.ret_refs[ret] -= 1
        if self.ret_refs[ret] <= 0:
            del self.ret_refs[ret]
            if ret not in self.entry:
                try:
                    self.m.remove_breakpoint(ret)
                except (KeyError, ValueError):
                    pass


def write_folded(folded: Counter, path) -> None:
    with open(path, "w") as fh:
        for stack, n in sorted(folded.items()):
            fh.write(f"{stack} {n}\n")


# ------------------------------------------------------------------ the profile

@dataclass
class Profile:
    result: object                   # TimingResult
    functions: list                  # [(name, LineStats-like dict)]
    lines: dict                      # (file, line) -> LineStats
    loops: list
    folded: Counter | None
    stop: object
    line_at: object = None           # pc -> (file, line) or None
    function_at: object = None       # pc -> function name or None
    hint: str | None = None          # the missing extension of an illegal-instruction stop
    regions: dict | None = None      # with regions: name -> RegionResult (entries, totals)


def load_program(path: str, isa: str | None, defsym: dict):
    """(elf bytes, isa, rvsim Program or None) for an ELF or an assembly file."""
    from ..isa.arch import DEFAULT_ISA, isa_of_source
    from ..loader import elf_isa
    try:
        head = Path(path).read_bytes()[:4]
    except OSError as exc:
        raise ProfileError(f"{path}: {exc.strerror or exc}") from None
    if head == b"\x7fELF":
        data = Path(path).read_bytes()
        return data, isa or elf_isa(data), None
    if not path.endswith((".s", ".S", ".asm")):
        raise ProfileError(f"{path}: neither an ELF file nor assembly (.s/.S)")
    from ..asm import AsmError, assemble_files
    isa = isa or isa_of_source(path) or DEFAULT_ISA
    try:
        prog = assemble_files([path], defsym=defsym, march=isa)
    except AsmError as exc:
        text = str(exc)
        undefined = [d.message for d in getattr(exc, "diagnostics", []) if "undefined symbol" in d.message]
        if undefined or "undefined symbol" in text:
            text += ("\nrvsim profile: this assembly calls functions it does not define (compiler output "
                     "expects the C library); " + COMPILE_HINT)
        raise ProfileError(text) from None
    return prog.to_elf(), isa, prog


def profile(path: str, timing="teach", *, isa=None, vlen=None, defsym=None, argv=(), max_instructions=None,
            folded=False, regions=None, warmup: int = 0) -> Profile:
    """Profile a program (ELF or assembly) on the cycle model.  ``regions`` (``[NAME=]BEGIN:END``
    strings, as ``rvsim run --region``) models only those regions, the rest running at functional
    speed; ``warmup`` instructions at each region entry run on the model uncounted."""
    if regions and folded:
        raise ProfileError("rvsim profile: --folded follows the whole program's calls; it does not "
                           "combine with --region")
    from ..host import LinuxEnvironment, SemihostEnvironment
    from ..loader import read_elf
    from ..machine import Machine, StopReason
    from . import LineStats, lines_of, load_config
    cfg = load_config(timing)
    data, isa, prog = load_program(path, isa, dict(defsym or {}))
    info = read_elf(data, name=path)
    if vlen is None:
        vlen = cfg["vector"]["vlen"] if cfg["vector"]["enabled"] else 256
    funcs = functions_of(data)

    def run(tracked):
        m = Machine(isa, vlen=vlen)
        quiet = {"stdout": io.BytesIO(), "stderr": io.BytesIO()} if tracked else {}   # said once
        m.env = (SemihostEnvironment(**quiet) if info.semihosting else None if info.bare_metal
                 else LinuxEnvironment(**quiet))
        m.load_elf(data, argv=[path, *argv], name=path)
        if regions:
            from .region import RegionTiming, parse_regions, run_regions
            stop, results = run_regions(m, cfg, parse_regions(regions), program=prog, warmup=warmup,
                                        max_instructions=max_instructions)
            return m, RegionTiming(None, results, name=cfg["name"], config=cfg), stop, None
        t = m.enable_timing(cfg)
        tracker = StackTracker(m, t, funcs, tracked) if tracked else None
        remaining = max_instructions
        while True:
            stop = m.run(remaining)
            if remaining is not None:
                remaining -= stop.instructions
            if stop.reason is StopReason.BREAKPOINT and tracker is not None and \
                    (remaining is None or remaining > 0):
                tracker.stop(m.pc)
                continue
            break
        if tracker is not None:
            tracker.charge()
        return m, t, stop, tracker

    m, t, stop, tracker = run(None)
    result = t.result(prog)
    lines = result.by_line
    line_at = prog.line_at if prog is not None else None
    if prog is None:
        lmap = LineMap(dwarf_line_table(data))
        if lmap:
            line_at = lmap.at
            result.by_line = lines = lines_of(result.by_pc, lmap.at)
    per_func: dict = {}
    starts = [f.start for f in funcs]

    def function_at(pc):
        i = bisect.bisect_right(starts, pc) - 1
        return funcs[i].name if i >= 0 and pc < funcs[i].end else None
    for pc, s in result.by_pc.items():
        i = bisect.bisect_right(starts, pc) - 1
        name = funcs[i].name if i >= 0 and pc < funcs[i].end else "[unknown]"
        agg = per_func.get(name)
        if agg is None:
            per_func[name] = LineStats(s.count, s.cycles, dict(s.stalls))
        else:
            agg.count += s.count
            agg.cycles += s.cycles
            for c, v in s.stalls.items():
                agg.stalls[c] += v

    def read_word(pc):
        try:
            raw = m.read(pc, 4)
        except ValueError:
            try:
                raw = m.read(pc, 2) + b"\0\0"
            except ValueError:
                return None
        w = int.from_bytes(raw, "little")
        return w if w & 3 == 3 else w & 0xFFFF
    loops = find_loops(result.by_pc, read_word, function_at)
    if folded and funcs:
        # a second, identical run that stops at the entries of the functions the first one executed
        # (the core has a bounded number of breakpoints: the hottest TRACKED_FUNCTIONS of them)
        executed = [name for name, _ in sorted(per_func.items(), key=lambda kv: -kv[1].cycles)
                    if name != "[unknown]"][:TRACKED_FUNCTIONS]
        _, _, _, tracker = run(set(executed))
    from ..isa.arch import illegal_instruction_hint
    return Profile(result, sorted(per_func.items(), key=lambda kv: -kv[1].cycles), lines, loops,
                   tracker.folded if tracker else None, stop, line_at, function_at,
                   illegal_instruction_hint(m, stop), t.results if regions else None)


# ------------------------------------------------------------------ reports

def print_functions(p: Profile, file=None, top=15) -> None:
    from rich.table import Table
    from .report import _console
    con = _console(file)
    total = p.result.cycles or 1
    t = Table(show_edge=False, box=None, pad_edge=False, title=None)
    for col, just in (("% cycles", "right"), ("cycles", "right"), ("instructions", "right"),
                      ("stall", "right"), ("cause", "left"), ("function", "left")):
        t.add_column(col, justify=just)
    for name, s in p.functions[:top]:
        t.add_row(f"{100.0 * s.cycles / total:.1f}", f"{s.cycles:,}", f"{s.count:,}",
                  f"{s.stall_cycles:,}" if s.stall_cycles else "", s.main_cause or "", name)
    con.print("[bold]functions[/bold] (self cycles)")
    con.print(t)


def print_loops(p: Profile, file=None, top=5) -> None:
    from .report import _console
    con = _console(file)
    if not p.loops:
        return
    total = p.result.cycles or 1
    con.print("[bold]hottest loops[/bold]")
    for lp in p.loops[:top]:
        where = _where(p, lp.start)
        n = sum(c for _, c in lp.mix) or 1
        mix = ", ".join(f"{mn} {100.0 * c / n:.0f}%" for mn, c in lp.mix[:8])
        stall = max(lp.stalls.items(), key=lambda kv: kv[1])[0] if lp.stalls else "-"
        con.print(f"  {lp.start:#x}..{lp.end:#x} {where}: {lp.cycles:,} cycles "
                  f"({100.0 * lp.cycles / total:.1f}%), {lp.iterations:,} iterations, main stall {stall}")
        con.print(f"      mix: {mix}")


def _where(p: Profile, pc: int) -> str:
    """'function (file:line)' of an address."""
    parts = []
    name = p.function_at(pc) if p.function_at else None
    if name:
        parts.append(name)
    line = p.line_at(pc) if p.line_at else None
    if line:
        parts.append(f"({Path(line[0]).name}:{line[1]})")
    return " ".join(parts)


def print_source(p: Profile, file=None, files_limit=3) -> None:
    """The hottest source files, every line with its cycles (an annotated listing)."""
    from .report import _console
    con = _console(file)
    by_file: dict = {}
    for (f, ln), s in p.lines.items():
        by_file.setdefault(f, {})[ln] = s
    total = p.result.cycles or 1
    ranked = sorted(by_file.items(), key=lambda kv: -sum(s.cycles for s in kv[1].values()))
    for fname, rows in ranked[:files_limit]:
        try:
            text = Path(fname).read_text(errors="replace").splitlines()
        except OSError:
            con.print(f"[bold]{fname}[/bold]: source not found; lines with cycles: "
                      + ", ".join(f"{ln}:{s.cycles}" for ln, s in sorted(rows.items())))
            continue
        con.print(f"[bold]{fname}[/bold]")
        lo, hi = max(1, min(rows) - 2), min(len(text), max(rows) + 2)
        for ln in range(lo, hi + 1):
            s = rows.get(ln)
            cyc = f"{s.cycles:>10,} {100.0 * s.cycles / total:5.1f}%" if s else " " * 17
            cause = (s.main_cause or "") if s else ""
            con.print(f"{cyc} {cause:>12s} {ln:5d}  {text[ln - 1] if ln <= len(text) else ''}", markup=False)


def main_profile(argv) -> int:
    from ..errors import LoadError
    from ..runargs import parse_run_args
    from .report import annotate, print_summary
    ap = argparse.ArgumentParser(prog="rvsim profile", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("program", help="ELF executable, or assembly source (.s/.S)")
    ap.add_argument("args", nargs="*", help="arguments passed to the program (after '--' if they look "
                                            "like options)")
    ap.add_argument("--timing", default="teach", metavar="PRESET|FILE.toml")
    ap.add_argument("--isa", default=None, help="ISA (default: the program's own, else rv64gcv)")
    ap.add_argument("--vlen", type=int, default=None)
    ap.add_argument("--defsym", action="append", metavar="NAME=VALUE")
    ap.add_argument("--top", type=int, default=25, help="lines shown (default 25)")
    ap.add_argument("--source", action="store_true", help="print the annotated source of the hottest files")
    ap.add_argument("--folded", metavar="FILE", help="write call stacks with cycles for flame-graph tools")
    ap.add_argument("--stats", metavar="FILE.json", help="write the full result as JSON")
    ap.add_argument("--max-insns", type=int, default=None)
    ap.add_argument("--region", action="append", metavar="[NAME=]BEGIN:END|FUNCTION",
                    help="profile only this region (as for rvsim run; repeatable)")
    ap.add_argument("--warmup", type=int, default=0, metavar="N",
                    help="with --region: N uncounted instructions on the model at each entry")
    args = parse_run_args(ap, argv)
    defsym = {}
    for item in args.defsym or ():
        name, _, value = item.partition("=")
        defsym[name] = int(value, 0) if value else 1
    try:
        p = profile(args.program, args.timing, isa=args.isa, vlen=args.vlen, defsym=defsym, argv=args.args,
                    max_instructions=args.max_insns, folded=bool(args.folded), regions=args.region,
                    warmup=args.warmup)
    except ProfileError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except LoadError as exc:                # e.g. an RV32 program: one line, as rvsim run says it
        sys.stderr.write(f"rvsim profile: {exc}\n")
        return 1
    except (TimingConfigError, ValueError, KeyError) as exc:
        ap.exit(2, f"rvsim profile: {exc}\n")
    from ..machine import StopReason
    if p.stop.reason is not StopReason.EXIT:
        sys.stderr.write(f"rvsim: the program stopped: {p.stop.reason.value} at pc {p.stop.pc:#x}\n")
        if p.hint:
            sys.stderr.write(f"rvsim: {p.hint}\n")
    if args.folded:
        write_folded(p.folded or Counter(), args.folded)
        sys.stderr.write(f"rvsim profile: {len(p.folded or ())} stacks written to {args.folded}\n")
    for res in (p.regions or {}).values():
        t = res.totals
        sys.stderr.write(f"rvsim profile: region {res.name}: {res.entries} {'entry' if res.entries == 1 else 'entries'}, {t.get('cycles', 0):,} "
                         f"cycles, {t.get('instructions', 0):,} instructions\n")
    print_summary(p.result)
    print_functions(p)
    if p.lines:
        annotate(p.result, None, top=args.top)
    else:
        print("no source lines (an ELF built without -g): per-function and per-loop only")
    print_loops(p)
    if args.source:
        print_source(p)
    if args.stats:
        import json
        d = p.result.to_dict()
        d["functions"] = {name: s.to_dict() for name, s in p.functions}
        if p.regions is not None:       # as rvsim run --stats: each region's entries and totals
            d["regions"] = {name: res.to_dict() for name, res in p.regions.items()}
        with open(args.stats, "w") as fh:
            json.dump(d, fh, indent=2)
            fh.write("\n")
    ok = p.stop.reason is StopReason.EXIT and p.stop.exit_code == 0
    return 0 if ok else 1
