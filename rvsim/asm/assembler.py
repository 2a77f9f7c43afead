"""Assembling one source file: statements -> sections of fragments, symbols and fixups.

A section is a list of *fragments* (GNU as's model): each holds fixed bytes and may end with one variable
item whose size is settled by :meth:`FileAssembler.relax` — a branch that can be 2, 4 or 8 bytes long, or
an alignment.  Labels are (section, fragment, offset).  Operands that need addresses become fixups that
the linker applies once every section has its address.
"""
from __future__ import annotations

import os
import re

from ..isa import enabled, parse_isa_string, xlen_of
from ..isa import operands as K
from . import compress as C
from . import directives, pseudo
from .encoder import FREGS, XREGS, Deferred, Encoder, describe_arg, encoder_for
from .errors import Diagnostic, StatementError, did_you_mean
from .expr import NotConstant, Rel, apply_binary, apply_unary
from .parser import ParseError, ParenName, Stmt, parse_fast, parse_lark, parse_line
from .source import split_lines
# the data model is in fragments.py, shared with directives.py and linker.py
from .fragments import Align, Branch, Fixup, Frag, Section, Src, Symbol  # noqa: F401


_CONTROL = re.compile(
    r"[ \t]*(?:[A-Za-z_.$0-9][A-Za-z0-9_.$]*:[ \t]*)*"
    r"\.(macro|endm|rept|endr|irp|irpc|include|if|ifdef|ifndef|ifc|ifnc|ifeq|ifne|ifge|ifgt|ifle|iflt|"
    r"ifb|ifnb|else|elseif|endif|exitm|purgem|end)\b(.*)\Z", re.I)
_FIRST_WORD = re.compile(r"[ \t]*(?:[A-Za-z_.$0-9][A-Za-z0-9_.$]*:[ \t]*)*([A-Za-z_.$][A-Za-z0-9_.$]*)(.*)\Z")
_STATEMENT_HEAD = re.compile(r"([ \t]*(?:[A-Za-z_.$0-9][A-Za-z0-9_.$]*:[ \t]*)*\.?[A-Za-z][A-Za-z0-9_.]*[ \t]+)(.*)\Z")


def _blank_separated(text: str) -> str | None:
    """A statement whose operands are separated by blanks only (``addi a0 x0 1``, ``.word 1 2 3``, as
    RARS and Venus accept) rewritten with commas; None for anything else (a line with commas, quotes
    or ``;``, or a single operand).  Used only for a line that GNU as would reject (it does not parse,
    or its statement fails), so GNU input keeps GNU's meaning."""
    m = _STATEMENT_HEAD.match(text)
    if m is None or "," in text or '"' in text or "'" in text or ";" in text:
        return None
    operands = m.group(2).split()
    if len(operands) < 2:
        return None
    return m.group(1) + ", ".join(operands)


_RARS_EQV = re.compile(r"[ \t]*\.eqv[ \t]+([A-Za-z_][A-Za-z0-9_.$]*)[ \t]*(,?)(.*)\Z", re.I)
_REGISTER_NAMES = frozenset(XREGS) | frozenset(FREGS)
_BLOCK_OPEN = {"macro": "macro", "rept": "rept", "irp": "rept", "irpc": "rept"}
_BLOCK_CLOSE = {"endm": "macro", "endr": "rept"}

# Standard section names -> (flags, nobits)
STANDARD_SECTIONS = {".text": ("ax", False), ".data": ("aw", False), ".bss": ("aw", True),
                     ".rodata": ("a", False), ".sdata": ("aw", False), ".sbss": ("aw", True),
                     ".srodata": ("a", False), ".tdata": ("awT", False), ".tbss": ("awT", True)}


def default_section_flags(name: str) -> tuple[str, bool]:
    for prefix, fl in STANDARD_SECTIONS.items():
        if name == prefix or name.startswith(prefix + "."):
            return fl
    return "", False


class Macro:
    __slots__ = ("name", "params", "body", "src")

    def __init__(self, name, params, body, src):
        self.name = name
        self.params = params      # list of (name, default, kind) kind in {'', 'req', 'vararg'}
        self.body = body          # list of Src
        self.src = src


class AssemblyAbort(Exception):
    pass


class FileAssembler:
    """Assembles one file (and what it includes) into sections, symbols and fixups."""

    MAX_ERRORS = 200

    def __init__(self, filename: str, march: str = "rv64gc", defsym=None, include_dirs=()):
        self.filename = filename
        self.march = march
        self.exts = parse_isa_string(march, rv32=True)
        self.rvc = "c" in self.exts
        # the XLEN instructions are assembled for (.option arch may change it) and the ELF class's
        # (-march, or a later .attribute arch, as GNU as)
        self.xlen = self.elf_xlen = xlen_of(self.exts)
        # GNU as aligns code sections to 2 when -march has C (whatever .option says later), else 4
        self.insn_align = 2 if self.rvc else 4
        self.option_stack: list[tuple] = []
        self.pic = False          # .option pic: `la` loads the address from the GOT
        self.sections: dict[str, Section] = {}
        self.section_order: list[Section] = []
        self.section_stack: list[tuple] = []
        self.previous = None
        self.symbols: dict[str, Symbol] = {}
        self.fixups: list[Fixup] = []
        self.lines: list[tuple] = []            # (section, frag, offset, file, line) per instruction
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.handlers: dict = {}
        self.macros: dict[str, Macro] = {}
        self.numeric_labels: dict[int, int] = {}
        self.include_dirs = list(include_dirs)
        self.include_depth = 0
        self.macro_counter = 0
        self.attributes: dict = {}
        self.ended = False
        self.cond_stack: list[list[bool]] = []   # [active, taken] per open .if
        self.parse_cache: dict[str, list[Stmt]] = {}
        self.cur_src: Src | None = None
        self.cur_stmt: Stmt | None = None
        self.text_eqv: dict[str, str] = {}      # RARS-style .eqv NAME TEXT substitutions
        self.set_section(".text")
        for name, value in (defsym or {}).items():
            s = self.symbol(name)
            s.kind, s.value = "equ", int(value)

    # ------------------------------------------------------------------------------------- diagnostics

    def error(self, message: str, hint: str = "", src: Src | None = None, stmt: Stmt | None = None,
              operand: int | None = None, col: int | None = None, length: int = 1):
        src = src or self.cur_src
        stmt = stmt if stmt is not None else self.cur_stmt
        if src is None:
            self.errors.append(Diagnostic(self.filename, 0, 0, message, hint=hint))
        else:
            if col is None:
                col, length = self._culprit(src, stmt, operand)
            self.errors.append(Diagnostic(src.file, src.line, col, message, src.orig, length, hint))
        if len(self.errors) >= self.MAX_ERRORS:
            raise AssemblyAbort()

    def warn(self, message: str, hint: str = "", operand: int | None = None):
        """A warning about the current statement (the program is still built)."""
        src, stmt = self.cur_src, self.cur_stmt
        if src is None:
            self.warnings.append(Diagnostic(self.filename, 0, 0, message, hint=hint, severity="warning"))
            return
        col, length = self._culprit(src, stmt, operand)
        self.warnings.append(Diagnostic(src.file, src.line, col, message, src.orig, length, hint,
                                        severity="warning"))

    def _culprit(self, src: Src, stmt: Stmt | None, operand: int | None) -> tuple[int, int]:
        from .parser import operand_spans
        first = len(src.text) - len(src.text.lstrip()) + 1
        if stmt is None:
            return first, 1
        name_span, spans = operand_spans(src.text, stmt.index)
        if operand is not None and operand < len(spans):
            a, b = spans[operand]
            return a, max(1, b - a)
        if operand is not None and spans:               # one past the last operand
            return spans[-1][1], 1
        if name_span != (1, 1):
            return name_span[0], max(1, name_span[1] - name_span[0])
        return first, 1

    # ------------------------------------------------------------------------------------- sections

    def set_section(self, name: str, flags: str | None = None, nobits: bool | None = None,
                    entsize: int = 0):
        sec = self.sections.get(name)
        if sec is None:
            dflags, dnobits = default_section_flags(name)
            sec = Section(name, dflags if flags is None else flags,
                          dnobits if nobits is None else nobits, self)
            sec.entsize = entsize
            self.sections[name] = sec
            self.section_order.append(sec)
        if getattr(self, "section", None) is not sec:
            self.previous = getattr(self, "section", None)
        self.section = sec
        self.frag = sec.frags[-1]
        self.data = self.frag.data

    def new_frag(self, var):
        sec = self.section
        self.frag.var = var
        sec.has_var = True
        f = Frag()
        sec.frags.append(f)
        self.frag = f
        self.data = f.data

    def here(self):
        """The current location as a relocatable value."""
        sec = self.section
        return Rel(len(self.data), {("F", sec, len(sec.frags) - 1): 1})

    # ------------------------------------------------------------------------------------- symbols

    def symbol(self, name: str) -> Symbol:
        s = self.symbols.get(name)
        if s is None:
            s = self.symbols[name] = Symbol(name, self.filename)
        return s

    def define_label(self, name, src, stmt):
        if type(name) is tuple:                          # numeric label N:
            n = name[1]
            k = self.numeric_labels.get(n, 0) + 1
            self.numeric_labels[n] = k
            name = f".L{n}\x02{k}"
        s = self.symbol(name)
        if s.kind is not None:
            prev = s.defined_at[0] if s.defined_at else None
            where = f" (first defined at {prev.file}:{prev.line})" if prev else ""
            self.error(f"symbol `{name}` is already defined{where}", "rename one of the labels",
                       src, stmt, col=(len(src.text) - len(src.text.lstrip()) + 1),
                       length=len(name))
            return
        s.kind = "label"
        sec = self.section
        s.value = ("loc", sec, len(sec.frags) - 1, len(self.data))
        s.section = sec
        s.defined_at = (src, stmt)

    def bind(self, e):
        """Replace what depends on the position of the statement: ``.`` and ``1b``/``1f``."""
        t = type(e)
        if t is str:
            return self.here() if e == "." else e
        if t is not tuple:
            return e
        tag = e[0]
        if tag == "L":
            n, d = e[1], e[2]
            k = self.numeric_labels.get(n, 0)
            if d == "f":
                k += 1
            elif k == 0:
                raise StatementError(f"numeric label `{n}b` has no earlier definition `{n}:`",
                                     "a `b` reference looks backwards for the closest `N:` label")
            return f".L{n}\x02{k}"
        if tag == "b":
            return ("b", e[1], self.bind(e[2]), self.bind(e[3]))
        if tag == "u":
            return ("u", e[1], self.bind(e[2]))
        if tag == "r":
            return ("r", e[1], self.bind(e[2]))
        if tag == "m":
            return ("m", None if e[1] is None else self.bind(e[1]), e[2])
        return e

    def value(self, e, operand=None):
        """Evaluate an operand expression now: int, or Rel when it needs addresses."""
        t = type(e)
        if t is int:
            return e
        if t is str or t is ParenName:
            if e == ".":
                return self.here()
            s = self.symbols.get(e)
            if s is not None:
                k = s.kind
                if k == "equ":
                    return s.value
                if k == "label":
                    _, sec, fi, off = s.value
                    return Rel(off, {("F", sec, fi): 1})
            if e in XREGS:
                raise StatementError(f"register `{e}` used where a value is expected",
                                     operand=operand)
            return Rel(0, {("S", e): 1})
        if t is Rel:
            return e
        tag = e[0]
        if tag == "b":
            return apply_binary(e[1], self.value(e[2], operand), self.value(e[3], operand))
        if tag == "u":
            return apply_unary(e[1], self.value(e[2], operand))
        if tag == "L":
            return self.value(self.bind(e), operand)
        if tag == "r":
            raise StatementError(f"`%{e[1]}` is only allowed as an instruction operand", operand=operand)
        if tag == "f":
            raise StatementError("floating-point number where an integer is expected", operand=operand)
        if tag == "s":
            raise StatementError("string where a number is expected", operand=operand)
        if tag == "m":
            raise StatementError(f"unexpected memory operand `{describe_arg(e)}`", operand=operand)
        if tag == "badnum":
            raise StatementError(f"invalid number `{e[1]}`",
                                 "a leading 0 makes a number octal (digits 0-7); write 0x.. for hex",
                                 operand=operand)
        raise StatementError("bad expression", operand=operand)

    def const(self, e, operand=None, what="a constant") -> int:
        """Evaluate an expression that must be constant now."""
        v = self.value(self.bind(e), operand)
        if type(v) is not int:
            if type(v) is Rel:
                v = self._try_same_frag(v)
            if type(v) is not int:
                names = [k[1] for k in v.terms if k[0] == "S"]
                hint = (f"`{names[0]}` is not defined before this line" if names
                        else "labels get addresses only after the whole file is assembled")
                raise NotConstant(f"expected {what}, not an address expression", hint, operand)
        return v

    def _try_same_frag(self, v: Rel):
        return v

    # ------------------------------------------------------------------------------------- emission

    def emit_bytes(self, b):
        self.data += b

    def record_line(self):
        src = self.cur_src
        sec = self.section
        if sec.align < self.insn_align:
            sec.align = self.insn_align
        self.lines.append((self.section, len(self.section.frags) - 1, len(self.data), src.file, src.line))

    def emit_word(self, enc: Encoder, values: dict, deferred: list, compressible=True, allow_nop=True):
        """Emit one table instruction (compressing it when GNU as would)."""
        if deferred:
            if enc.has_pcrel:
                return self.emit_branch(enc, values, deferred)
            self.record_line()
            word = enc.word(values)
            self.fixups.append(Fixup(self.section, len(self.section.frags) - 1, len(self.data), "insn",
                                     (enc, word, deferred), self.cur_src, self.cur_stmt))
            self.data += word.to_bytes(enc.length, "little")
            return
        self.record_line()
        word = enc.word(values)
        if compressible and self.rvc and enc.compressible:
            c = C.compress(enc.insn, values, self.exts, allow_nop, compressible == "jump",
                           compressible if type(compressible) is str and compressible != "jump" else None)
            if c is not None:
                self.data += c.to_bytes(2, "little")
                return
        self.data += word.to_bytes(enc.length, "little")

    def emit_branch(self, enc: Encoder, values: dict, deferred: list, kind: str | None = None):
        d = deferred[0]
        target = d.expr
        mn = enc.insn.mnemonic
        self.record_line()
        if kind is None:
            kind = "b" if mn in _INVERSE else None
        if kind is not None and type(target) is Rel and target.single() is not None:
            can_c = False
            if self.rvc and "c" in self.exts:
                if kind == "b":
                    can_c = (mn in ("beq", "bne") and values.get("rs2", 0) == 0
                             and 8 <= values.get("rs1", 0) <= 15)
                else:
                    can_c = True
            br = Branch(enc, values, target, kind, can_c, self.cur_src, self.cur_stmt, self.exts,
                        d.operand)
            self.new_frag(br)
            return
        word = enc.word(values)
        self.fixups.append(Fixup(self.section, len(self.section.frags) - 1, len(self.data), "insn",
                                 (enc, word, deferred), self.cur_src, self.cur_stmt))
        self.data += word.to_bytes(enc.length, "little")

    # ------------------------------------------------------------------------------------- driver

    def load(self, path: str) -> list[Src]:
        try:
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                text = f.read()
        except OSError as e:
            raise StatementError(f"cannot read `{path}`: {e.strerror}")
        return self.lines_of(text, path)

    @staticmethod
    def lines_of(text: str, filename: str) -> list[Src]:
        text = text.replace("\r\n", "\n")
        orig = text.split("\n")
        clean = split_lines(text)
        return [Src(filename, i + 1, t, orig[i]) for i, t in enumerate(clean)]

    def preparse(self, lines: list[Src]) -> list:
        """Statements of every line (None for lines handled textually: control lines, macro bodies)."""
        out = [None] * len(lines)
        slow = []
        depth = 0
        for i, src in enumerate(lines):
            text = src.text
            if "." in text:
                m = _CONTROL.match(text)
                if m:
                    w = m.group(1).lower()
                    if w in ("macro", "irp", "irpc"):
                        depth += 1
                    elif w in ("endm", "endr") and depth:
                        depth -= 1
                    continue
            if depth:
                continue
            r = parse_fast(text)
            if r is None:
                slow.append(i)
            else:
                out[i] = r
        while slow:
            try:
                res = parse_lark([lines[i].text for i in slow])
            except ParseError as e:
                bad = slow[e.line_index]
                out[bad] = e
                # lines before the bad one parsed fine: parse them again without it
                head, slow = slow[: e.line_index], slow[e.line_index + 1:]
                if head:
                    for i, r in zip(head, parse_lark([lines[i].text for i in head])):
                        out[i] = r
                continue
            for i, r in zip(slow, res):
                out[i] = r
            break
        return out

    def run_file(self, path: str):
        self.run_lines(self.load(path))

    def run_text(self, text: str):
        self.run_lines(self.lines_of(text, self.filename))

    def substitute_eqv(self, lines: list[Src]) -> list[Src]:
        """RARS's `.eqv NAME TEXT` (no comma, or TEXT a register): TEXT replaces the word NAME in the
        lines that follow, like #define.  `.eqv NAME, EXPR` is GNU's directive and stays a symbol."""
        if not self.text_eqv and not any(".eqv" in src.text or ".EQV" in src.text for src in lines):
            return lines
        out = []
        for src in lines:
            m = _RARS_EQV.match(src.text)
            if m and (not m.group(2) or m.group(3).strip().lower() in _REGISTER_NAMES):
                value = m.group(3).strip()
                if self.text_eqv:                  # names defined earlier are replaced in the value
                    value = self._eqv_pattern.sub(lambda w: self.text_eqv[w.group(1)], value)
                self.text_eqv[m.group(1)] = value
                self._eqv_pattern = re.compile(r"(?<![\w.$])(" + "|".join(
                    re.escape(k) for k in sorted(self.text_eqv, key=len, reverse=True)) + r")(?![\w$])")
                out.append(Src(src.file, src.line, "", src.orig))
                continue
            if self.text_eqv and '"' not in src.text:
                text = self._eqv_pattern.sub(lambda w: self.text_eqv[w.group(1)], src.text)
                if text != src.text:
                    src = Src(src.file, src.line, text, src.orig)
            out.append(src)
        return out

    def run_lines(self, lines: list[Src], parsed=None):
        if parsed is None:
            lines = self.substitute_eqv(lines)
            parsed = self.preparse(lines)
        i, n = 0, len(lines)
        statement = self.statement
        while i < n and not self.ended:
            src = lines[i]
            p = parsed[i]
            if p is None or self.macros:
                text = src.text
                m = _CONTROL.match(text) if "." in text else None
                if m:
                    i = self.control(m.group(1).lower(), m.group(2), lines, i)
                    continue
                if self.macros:
                    w = _FIRST_WORD.match(text)
                    if w and w.group(1) in self.macros:
                        if not self.cond_stack or self.cond_stack[-1][0]:
                            self.cur_src = src
                            self.cur_stmt = None
                            try:
                                self.expand_macro(self.macros[w.group(1)], w.group(2), src)
                            except StatementError as e:
                                self.error(e.message, e.hint, src, None)
                        i += 1
                        continue
                if p is None:
                    p = self.parse_src(src)
            i += 1
            if self.cond_stack and not self.cond_stack[-1][0]:
                continue
            if type(p) is ParseError:
                blanks = _blank_separated(src.text)
                if blanks is not None:
                    # `addi a0 x0 1` (Venus, RARS): the operands with commas, if that is valid
                    q = self.parse_src(Src(src.file, src.line, blanks, src.orig))
                    p = p if type(q) is ParseError else q
            if type(p) is ParseError:
                self.cur_src = src
                self.error(p.message, p.hint, src, None, col=p.column)
                continue
            self.cur_src = src
            for st in p:
                statement(st, src)

    def parse_src(self, src: Src):
        r = self.parse_cache.get(src.text)
        if r is None:
            try:
                r = parse_line(src.text)
            except ParseError as e:
                r = e
            self.parse_cache[src.text] = r
        return r

    def statement(self, st: Stmt, src: Src):
        self.cur_stmt = st
        if st.labels:
            for name in st.labels:
                self.define_label(name, src, st)
        kind = st.kind
        if kind is None:
            return
        try:
            if kind == "insn":
                # `bnez a0,`: an empty operand after a comma (directives such as `.p2align 3,,4` may
                # leave operands empty on purpose)
                if None in st.args and not st.name.startswith("."):
                    i = st.args.index(None)
                    raise StatementError(f"operand {i + 1} of `{st.name}` is missing",
                                         "a comma must be followed by an operand", operand=i)
                h = self.handlers.get(st.name)
                if h is None:
                    h = self.make_handler(st.name)
                h(st.args)
            else:
                self.assign(st.name, st.args[0], "=")
        except StatementError as e:
            if kind == "insn" and self._retry_blank_separated(st, src):
                return
            self.error(e.message, e.hint, src, st, e.operand)

    def _retry_blank_separated(self, st: Stmt, src: Src) -> bool:
        """`li a0 -1` parses (as `li a0-1`) but fails: with its blank-separated operands as separate
        operands (RARS, Venus) it may be right.  True when that version assembled."""
        text = _blank_separated(src.text)
        if text is None:
            return False
        q = self.parse_src(Src(src.file, src.line, text, src.orig))
        if type(q) is ParseError or len(q) != 1 or q[0].kind != "insn" or q[0].name != st.name or \
                len(q[0].args) <= len(st.args):
            return False
        errors = len(self.errors)
        try:
            self.statement(Stmt((), "insn", st.name, q[0].args, st.line, st.index), src)
        except AssemblyAbort:
            raise
        if len(self.errors) > errors:           # still wrong: report the statement as written
            del self.errors[errors:]
            return False
        return True

    # ------------------------------------------------------------------------------------- handlers

    def make_handler(self, name: str):
        if name[0] == ".":
            d = directives.DIRECTIVES.get(name.lower())
            if d is None:
                hint = did_you_mean(name.lower(), directives.DIRECTIVES)
                raise StatementError(f"unknown directive `{name}`", hint)
            h = lambda args, d=d: d(self, args)
            self.handlers[name] = h
            return h
        enc = encoder_for(name, self.xlen)
        ps = pseudo.PSEUDOS.get(name)
        if enc is None and ps is None:
            hint = did_you_mean(name, _known_mnemonics())
            raise StatementError(f"unknown instruction `{name}`", hint)
        if enc is not None and enc.insn.mnemonic.startswith("c.") and name.startswith("c."):
            compressible = False
        else:
            compressible = True
        if ps is not None:
            h = lambda args, ps=ps, enc=enc: ps(self, args, enc)
        else:
            h = self._table_handler(enc, compressible)
        self.handlers[name] = h
        return h

    def _table_handler(self, enc: Encoder, compressible: bool):
        ok = enabled(enc.insn, self.exts)

        def handler(args):
            if not ok:
                raise self.not_enabled(enc)
            values, deferred = enc.parse(self, args)
            self.emit_word(enc, values, deferred, compressible)
        return handler

    def not_enabled(self, enc: Encoder) -> StatementError:
        if enc.insn.xlen and enc.insn.xlen != self.xlen:
            # name what was written: `sext.w` rather than the addiw it stands for
            written = self.cur_stmt.name if self.cur_stmt is not None and self.cur_stmt.name else enc.mnemonic
            return StatementError(f"`{written}` is RV{enc.insn.xlen}-only; this file is RV{self.xlen} "
                                  f"(-march {self.march})", self._xlen_hint(written))
        need = "+".join(enc.insn.extensions)
        ext = enc.insn.extensions[-1]
        if "zve32x" in self.exts and "v" in enc.insn.extensions:
            from ..isa.vector import FP_MNEMONICS
            sub = "zve32f" if enc.insn.mnemonic in FP_MNEMONICS else "zve64x"
            why = "a vector floating-point instruction" if sub == "zve32f" else "an EEW=64 vector access"
            return StatementError(f"`{enc.mnemonic}` is {why}, which {sub.capitalize()} (or V) adds",
                                  f"add it to -march (e.g. -march={self.march}_{sub}) or use V")
        if "c" in enc.insn.extensions and "c" not in self.exts:
            if "c" in parse_isa_string(self.march, rv32=True):
                return StatementError(f"`{enc.mnemonic}` is a compressed instruction, disabled by "
                                      "`.option norvc`", "write `.option rvc` before it")
            return StatementError(f"`{enc.mnemonic}` needs the C extension, which is not enabled",
                                  f"add c to -march (e.g. -march={self.march}c) or write `.option rvc`")
        if len(ext) == 1:
            return StatementError(f"`{enc.mnemonic}` needs the {need.upper()} extension, which is not enabled",
                                  f"add {ext} to the -march string or write `.option arch, +{ext}` before it")
        return StatementError(f"`{enc.mnemonic}` needs the {need.upper()} extension, which is not enabled",
                              f"add it to -march (e.g. -march={self.march}_{ext}) or write "
                              f"`.option arch, +{ext}` before it")

    def _xlen_hint(self, mnemonic: str) -> str:
        if self.xlen == 64:
            return "assemble it with -march rv32... (or `.attribute arch, \"rv32i\"`)"
        return {"ld": "lw loads 32 bits", "sd": "sw stores 32 bits", "lwu": "lw loads 32 bits",
                "sext.w": "every register is 32 bits wide: mv copies it"}.get(
            mnemonic, "assemble it with -march rv64... for RV64")

    def check_enabled(self, enc: Encoder):
        if not enc.enabled_in(self.exts):
            raise self.not_enabled(enc)

    def set_exts(self, exts, rvc=None):
        self.exts = frozenset(exts)
        self.rvc = ("c" in self.exts) if rvc is None else rvc
        self.xlen = xlen_of(self.exts)
        self.handlers.clear()

    def assign(self, name: str, expr, how: str):
        if name == ".":
            raise StatementError("assigning to `.` is not supported", "use .org or .space")
        v = self.value(self.bind(expr), 0 if how == "=" else 1)
        s = self.symbol(name)
        if s.kind == "label":
            raise StatementError(f"symbol `{name}` is already defined as a label",
                                 "a label cannot be redefined with .set/.equ/=", 0)
        if how == "equiv" and s.kind is not None:
            raise StatementError(f"symbol `{name}` is already defined", "`.equiv` refuses to redefine")
        s.kind = "equ"
        s.value = v
        s.defined_at = (self.cur_src, self.cur_stmt)

    # ------------------------------------------------------------------------------------- control lines

    def _block(self, lines, i, kind):
        """Index of the line closing the block opened at ``i`` (.endm / .endr), nesting-aware."""
        depth = 0
        for j in range(i + 1, len(lines)):
            m = _CONTROL.match(lines[j].text)
            if not m:
                continue
            w = m.group(1).lower()
            if _BLOCK_OPEN.get(w) == kind:
                depth += 1
            elif _BLOCK_CLOSE.get(w) == kind:
                if depth == 0:
                    return j
                depth -= 1
        return None

    def control(self, word, rest, lines, i):
        src = lines[i]
        self.cur_src = src
        self.cur_stmt = None
        active = not self.cond_stack or self.cond_stack[-1][0]
        rest = rest.strip()
        try:
            if word.startswith("if"):
                if not active:
                    self.cond_stack.append([False, True])
                else:
                    c = self.condition(word, rest)
                    self.cond_stack.append([c, c])
                return i + 1
            if word in ("else", "elseif"):
                if not self.cond_stack:
                    raise StatementError(f"`.{word}` without `.if`")
                top = self.cond_stack[-1]
                outer = len(self.cond_stack) < 2 or self.cond_stack[-2][0]
                if top[1] or not outer:
                    top[0] = False
                else:
                    c = True if word == "else" else self.condition("if", rest)
                    top[0] = c
                    top[1] = c
                return i + 1
            if word == "endif":
                if not self.cond_stack:
                    raise StatementError("`.endif` without `.if`")
                self.cond_stack.pop()
                return i + 1
            if word in ("macro", "rept", "irp", "irpc"):
                kind = _BLOCK_OPEN[word]
                end = self._block(lines, i, kind)
                if end is None:
                    raise StatementError(f"`.{word}` without `.{'endm' if kind == 'macro' else 'endr'}`",
                                         "close the block")
                body = lines[i + 1:end]
                if active:
                    self._pre_labels(src)
                    if word == "macro":
                        self.define_macro(rest, body, src)
                    elif word == "rept":
                        n = self.const(self._expr(rest), None, "a repeat count")
                        for _ in range(max(0, n)):
                            self.run_lines(body)
                    else:
                        self.irp(word, rest, body)
                return end + 1
            if word in ("endm", "endr", "exitm"):
                if word != "exitm" and active:
                    raise StatementError(f"`.{word}` without an opening block")
                if word == "exitm" and active:
                    self.exit_macro = True
                return i + 1
            if not active:
                return i + 1
            if word == "purgem":
                self.macros.pop(rest.strip(), None)
                self.handlers.pop(rest.strip(), None)
                return i + 1
            if word == "include":
                self._pre_labels(src)
                self.include(rest)
                return i + 1
            if word == "end":
                self._pre_labels(src)
                self.ended = True
                return len(lines)
        except StatementError as e:
            self.error(e.message, e.hint, src, None)
        return i + 1

    def _pre_labels(self, src):
        m = re.match(r"[ \t]*((?:[A-Za-z_.$0-9][A-Za-z0-9_.$]*:[ \t]*)*)", src.text)
        for name in re.findall(r"([A-Za-z_.$0-9][A-Za-z0-9_.$]*):", m.group(1)):
            self.define_label(("N", int(name)) if name.isdigit() else name, src, None)

    def _directive_operands(self, text: str):
        """Parse the operands of a directive the line parser left as text (.if, .include)."""
        try:
            return parse_line(f".x {text}")
        except ParseError as e:
            raise StatementError(e.message, e.hint) from None

    def _expr(self, text: str):
        r = self._directive_operands(text)
        if not r or not r[0].args:
            raise StatementError("expected an expression")
        return r[0].args[0]

    def condition(self, word, rest) -> bool:
        if word in ("ifdef", "ifndef"):
            s = self.symbols.get(rest.strip())
            d = s is not None and s.kind is not None
            return d if word == "ifdef" else not d
        if word in ("ifb", "ifnb"):
            return (not rest.strip()) == (word == "ifb")
        if word in ("ifc", "ifnc"):
            a, _, b = rest.partition(",")
            same = a.strip().strip("'") == b.strip().strip("'")
            return same if word == "ifc" else not same
        v = self.const(self._expr(rest), None, "a constant condition")
        return {"if": v != 0, "ifne": v != 0, "ifeq": v == 0, "ifge": v >= 0, "ifgt": v > 0,
                "ifle": v <= 0, "iflt": v < 0}[word]

    def include(self, rest):
        r = self._directive_operands(rest)
        if not r or not r[0].args or type(r[0].args[0]) is not tuple or r[0].args[0][0] != "s":
            raise StatementError("`.include` needs a file name in quotes", '.include "file.s"')
        name = r[0].args[0][1].decode()
        here = os.path.dirname(self.cur_src.file) if self.cur_src else "."
        for d in [here, *self.include_dirs, "."]:
            p = os.path.join(d, name)
            if os.path.exists(p):
                break
        else:
            raise StatementError(f"cannot find include file `{name}`",
                                 f"looked in {', '.join([here, *self.include_dirs])}")
        if self.include_depth > 30:
            raise StatementError("`.include` nested too deeply", "is a file including itself?")
        self.include_depth += 1
        try:
            self.run_file(p)
        finally:
            self.include_depth -= 1

    def define_macro(self, rest, body, src):
        m = re.match(r"([A-Za-z_.$][A-Za-z0-9_.$]*)[ \t]*,?[ \t]*(.*)\Z", rest)
        if not m:
            raise StatementError("`.macro` needs a name", ".macro name arg1, arg2=default")
        name, params_text = m.group(1), m.group(2)
        params = []
        for p in re.split(r"[ \t]*,[ \t]*|[ \t]+(?=[A-Za-z_])", params_text.strip()) if params_text.strip() else []:
            pname, _, default = p.partition("=")
            kind = ""
            if ":" in pname:
                pname, _, kind = pname.partition(":")
            params.append((pname.strip(), default.strip(), kind.strip()))
        self.macros[name] = Macro(name, params, body, src)
        self.handlers.pop(name, None)

    def _split_macro_args(self, text: str) -> list[str]:
        text = text.strip()
        if not text:
            return []
        out, cur, depth, q = [], "", 0, False
        i = 0
        while i < len(text):
            ch = text[i]
            if q:
                cur += ch
                if ch == "\\" and i + 1 < len(text):
                    cur += text[i + 1]
                    i += 1
                elif ch == '"':
                    q = False
            elif ch == '"':
                q = True
                cur += ch
            elif ch == "(":
                depth += 1
                cur += ch
            elif ch == ")":
                depth -= 1
                cur += ch
            elif ch == "," and depth == 0:
                out.append(cur.strip())
                cur = ""
            elif ch in " \t" and depth == 0:
                # a blank separates arguments unless it sits next to an operator
                j = i
                while j < len(text) and text[j] in " \t":
                    j += 1
                nxt = text[j] if j < len(text) else ","
                prev = cur.rstrip()[-1:] if cur.strip() else ""
                if nxt in ",+-*/|&^<>=)" or prev in "+-*/|&^<>=(" or not cur.strip():
                    cur += " "
                else:
                    out.append(cur.strip())
                    cur = ""
                i = j
                continue
            else:
                cur += ch
            i += 1
        out.append(cur.strip())
        return out

    def expand_macro(self, macro: Macro, argtext: str, src: Src):
        args = self._split_macro_args(argtext)
        values = {}
        positional = [a for a in args if not re.match(r"[A-Za-z_.$][A-Za-z0-9_.$]*=", a)]
        for a in args:
            m = re.match(r"([A-Za-z_.$][A-Za-z0-9_.$]*)=(.*)\Z", a)
            if m and any(p[0] == m.group(1) for p in macro.params):
                values[m.group(1)] = m.group(2)
        pi = 0
        for idx, (pname, default, kind) in enumerate(macro.params):
            if pname in values:
                continue
            if kind == "vararg":
                values[pname] = ", ".join(positional[pi:])
                pi = len(positional)
                continue
            if pi < len(positional) and positional[pi] != "":
                values[pname] = positional[pi]
            elif kind == "req":
                raise StatementError(f"missing value for required argument `{pname}` of macro `{macro.name}`")
            else:
                values[pname] = default
            pi += 1
        if pi < len(positional):
            raise StatementError(f"too many arguments for macro `{macro.name}` "
                                 f"({len(macro.params)} expected)", "check the macro's .macro line")
        self.macro_counter += 1
        count = str(self.macro_counter)
        names = sorted(values, key=len, reverse=True)
        pat = re.compile(r"\\(" + "|".join(re.escape(n) for n in names) + r")(\(\))?|\\@|\\\(\)") if names \
            else re.compile(r"\\@|\\\(\)")

        def sub(m):
            s = m.group(0)
            if s == "\\@":
                return count
            if s == "\\()":
                return ""
            return values[m.group(1)]
        body = [Src(b.file, b.line, pat.sub(sub, b.text), pat.sub(sub, b.orig)) for b in macro.body]
        if self.include_depth > 60:
            raise StatementError(f"macro `{macro.name}` expands too deeply", "is it recursive?")
        self.include_depth += 1
        try:
            self.run_macro_body(body)
        finally:
            self.include_depth -= 1

    def run_macro_body(self, body):
        self.exit_macro = False
        # .exitm stops the expansion: run line by line so it can take effect
        for k in range(len(body)):
            if self.exit_macro:
                break
            self.run_lines(body[k:k + 1]) if not _CONTROL.match(body[k].text) or \
                _CONTROL.match(body[k].text).group(1).lower() not in _BLOCK_OPEN else None
            m = _CONTROL.match(body[k].text)
            if m and m.group(1).lower() in _BLOCK_OPEN:
                self.run_lines(body[k:])
                break
        self.exit_macro = False

    def irp(self, word, rest, body):
        name, _, items = rest.partition(",")
        name = name.strip()
        if word == "irp":
            values = [v.strip() for v in self._split_macro_args(items)] if items.strip() else [""]
        else:
            values = list(items.strip())
        pat = re.compile(r"\\" + re.escape(name) + r"(\(\))?|\\\(\)")
        for v in values:
            sub = lambda m, v=v: "" if m.group(0) == "\\()" else v
            self.run_lines([Src(b.file, b.line, pat.sub(sub, b.text), pat.sub(sub, b.orig)) for b in body])

    # ------------------------------------------------------------------------------------- layout

    def finish(self):
        """Settle variable fragments (branch lengths, alignments) and encode them."""
        if self.cond_stack:
            self.error("`.if` without `.endif` at the end of the file", "close the conditional block")
        for sec in self.section_order:
            if "x" in sec.flags and sec.align > 2:
                # GNU as pads the end of a code section to its alignment with nops
                cur = self.section
                self.set_section(sec.name)
                self.new_frag(Align(sec.align, None, None, True))
                self.set_section(cur.name)
            self.relax(sec)

    def frag_address(self, key):
        """Section-relative address of a ('F', sec, fi) base during layout."""
        _, sec, fi = key
        return sec.frags[fi].addr

    def local_target(self, target, sec, seen=None):
        """Section offset of a branch target when it is a label of ``sec`` in this file, else None."""
        base = target.single()
        if base is None:
            return None
        if base[0] == "F":
            return (base, target.addend) if base[1] is sec else None
        s = self.symbols.get(base[1])
        if s is None or s.binding == "weak":
            return None
        if s.kind == "label" and s.value[1] is sec:
            _, _, fi, off = s.value
            return (("F", sec, fi), off + target.addend)
        if s.kind == "equ" and type(s.value) is Rel:
            seen = seen or set()
            if base[1] in seen:
                return None
            seen.add(base[1])
            r = self.local_target(s.value, sec, seen)
            if r is not None:
                return (r[0], r[1] + target.addend)
        return None

    def relax(self, sec: Section):
        frags = sec.frags
        if not sec.has_var:
            sec.size = len(frags[0].data)
            return
        targets = {}
        for fi, f in enumerate(frags):
            if type(f.var) is Branch:
                targets[fi] = self.local_target(f.var.target, sec)
                if targets[fi] is None:
                    f.var.size = 4
                    f.var.can_compress = False
        addr = 0                                          # first estimate: every branch at its shortest
        for f in frags:
            f.addr = addr
            addr += len(f.data)
            v = f.var
            if type(v) is Align:
                addr += (-addr) % v.boundary
            elif v is not None:
                addr += v.size
        for _ in range(100):
            changed = False
            addr = 0
            for fi, f in enumerate(frags):
                stretch = addr - f.addr          # growth so far in this pass: later labels move too
                f.addr = addr
                addr += len(f.data)
                v = f.var
                if v is None:
                    continue
                if type(v) is Align:
                    pad = (-addr) % v.boundary
                    if v.max_skip is not None and pad > v.max_skip:
                        pad = 0
                    f.var_size = pad
                    addr += pad
                    continue
                t = targets.get(fi)
                if t is not None:
                    (_, _, tfi), toff = t
                    disp = frags[tfi].addr + toff - addr
                    if tfi > fi:
                        disp += stretch
                    need = self._branch_size(v, disp)
                    if need > v.size:
                        v.size = need
                        changed = True
                f.var_size = v.size
                addr += v.size
            if not changed:
                break
        sec.size = addr
        for fi, f in enumerate(frags):
            v = f.var
            if type(v) is Align:
                f.var_bytes = self._padding(v, f.var_size)
            elif type(v) is Branch:
                t = targets.get(fi)
                disp = None
                if t is not None:
                    (_, _, tfi), toff = t
                    disp = frags[tfi].addr + toff - (f.addr + len(f.data))
                f.var_bytes = self._encode_branch(sec, fi, f, v, disp)

    @staticmethod
    def _branch_size(v: Branch, disp: int) -> int:
        if v.kind == "b":
            if v.can_compress and -256 <= disp < 256 and disp % 2 == 0:
                return 2
            if -4096 <= disp < 4096:
                return 4
            return 6 if v.can_compress else 8          # inverted (c.)branch over a jal
        if v.can_compress and -2048 <= disp < 2048:
            return 2
        return 4

    def _padding(self, v: Align, size: int) -> bytes:
        if not v.code:
            return bytes([v.fill & 0xFF]) * size
        out = bytearray()
        if size % 4 >= 2 and "c" in self.exts:
            out += b"\x01\x00"                            # c.nop
        while len(out) + 4 <= size:
            out += b"\x13\x00\x00\x00"                    # nop
        out += bytes(size - len(out))
        return bytes(out)

    def _encode_branch(self, sec, fi, f, v: Branch, disp):
        """Bytes of a settled branch; a fixup when the target is elsewhere."""
        if disp is not None and disp % 2:
            self.error(f"misaligned branch target (offset {disp} is odd)",
                       "branch and jump targets must be 2-byte aligned", v.src, v.stmt, v.operand)
            disp -= 1
        enc, values = v.enc, dict(v.values)
        mn = enc.insn.mnemonic
        kindname = enc.insn.operands[-1].name if v.kind == "b" else None
        if v.size == 2:
            if v.kind == "b":
                c = encoder_for("c.beqz" if mn == "beq" else "c.bnez", self.xlen)
                return c.word({"c_rs1_p": values["rs1"], "c_imm_b": disp}).to_bytes(2, "little")
            c = encoder_for("c.j", self.xlen)
            return c.word({"c_imm_j": disp}).to_bytes(2, "little")
        if v.size in (6, 8):
            if v.size == 6:
                inv = encoder_for("c.bnez" if mn == "beq" else "c.beqz", self.xlen)
                first = inv.word({"c_rs1_p": values["rs1"], "c_imm_b": 6}).to_bytes(2, "little")
            else:
                inv = encoder_for(_INVERSE[mn], self.xlen)
                vals = dict(values)
                vals[kindname] = 8
                first = inv.word(vals).to_bytes(4, "little")
            j = encoder_for("jal", self.xlen)
            jd = disp - len(first)
            if not -(1 << 20) <= jd < (1 << 20):
                self.error(f"branch target out of range (offset {disp})", "the target is more than 1 MiB away",
                           v.src, v.stmt, v.operand)
                jd = 0
            return first + j.word({"rd": 0, "imm_j": jd}).to_bytes(4, "little")
        if disp is None:
            word = enc.word(values)
            d = Deferred(enc.insn.operands[-1] if v.kind == "b" else
                         next(k for k in enc.insn.operands if k.role == K.PCREL), v.target, "pcrel",
                         v.operand)
            self.fixups.append(Fixup(sec, fi, 0, "insn", (enc, word, [d]), v.src, v.stmt, in_var=True))
            return word.to_bytes(4, "little")
        pk = next(k for k in enc.insn.operands if k.role == K.PCREL)
        lo, hi = pk.value_range()
        if not lo <= disp <= hi:
            self.error(f"jump target out of range (offset {disp})", f"allowed range is {lo}..{hi}",
                       v.src, v.stmt, v.operand)
            disp = 0
        values[pk.name] = disp
        return enc.word(values).to_bytes(4, "little")


_INVERSE = {"beq": "bne", "bne": "beq", "blt": "bge", "bge": "blt", "bltu": "bgeu", "bgeu": "bltu"}


_KNOWN = None


def _known_mnemonics():
    global _KNOWN
    if _KNOWN is None:
        from ..isa import BY_MNEMONIC
        from .pseudo import PSEUDOS
        _KNOWN = sorted(set(BY_MNEMONIC) | set(PSEUDOS))
    return _KNOWN
