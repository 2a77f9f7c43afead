"""Statements from source lines: the lark LALR grammar (grammar.lark) plus a fast path for plain lines.

A statement is labels, then a name (mnemonic or directive) with operands, or ``sym = expr``.  What a name
means is decided later from the ISA table and the directive list.  Operands are expression trees:

* ``int`` — a constant (folded while parsing); ``str`` — a symbol or register name;
* ``('u', op, x)``, ``('b', op, x, y)`` — unary and binary operators (GNU as precedence);
* ``('r', 'hi', x)`` — a relocation operator ``%hi(x)``; ``('L', n, 'b'|'f')`` — numeric label reference;
* ``('f', value)`` — a floating-point literal;
* at the top of an operand only: ``('m', offset_or_None, base)`` — ``offset(base)`` or ``(base)``,
  ``('s', bytes)`` — a string.

Most lines are ``mnemonic reg, reg, imm`` or ``mnemonic reg, imm(reg)``; a regular-expression fast path
turns those into the same trees the grammar would (tests/test_asm_parser.py checks that the two agree)
and hands every other line to lark in one parse per file.  Operand columns are not computed while parsing:
an error message re-parses its own line with positions (:func:`operand_spans`).
"""
from __future__ import annotations


import re
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

_MASK64 = (1 << 64) - 1


def wrap64(v: int) -> int:
    """``v`` as a signed 64-bit value (GNU as computes expressions in 64 bits)."""
    v &= _MASK64
    return v - (1 << 64) if v >> 63 else v


class ParenName(str):
    """A symbol name written in parentheses: ``(a0)`` as an operand is a memory operand without offset."""

    __slots__ = ()


class Stmt:
    """One statement.  ``kind`` is 'insn' (mnemonic or directive with ``args``), 'assign' or None."""

    __slots__ = ("labels", "kind", "name", "args", "line", "index")

    def __init__(self, labels, kind, name, args, line=None, index=0):
        self.labels = labels      # list of label names (numeric labels as ('N', n))
        self.kind = kind
        self.name = name
        self.args = args
        self.line = line          # the SourceLine it came from (set by the caller)
        self.index = index        # statement number within its line (``a; b`` has 0 and 1)

    def __repr__(self):
        return f"Stmt({self.labels!r}, {self.kind!r}, {self.name!r}, {self.args!r})"

    def key(self):
        return (self.labels, self.kind, self.name, self.args)


# ----------------------------------------------------------------------------------------------- literals

_ESCAPES = {"n": 10, "t": 9, "r": 13, "b": 8, "f": 12, "v": 11, "a": 7, "e": 27, "\\": 92, '"': 34,
            "'": 39, "0": 0}


def unescape(body: str) -> bytes:
    """The bytes of a GNU as string body (without quotes): \\n \\t \\\\ \\" octal \\ooo hex \\xhh."""
    if "\\" not in body:
        return body.encode("utf-8")
    out = bytearray()
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c != "\\" or i + 1 == n:
            out += c.encode("utf-8")
            i += 1
            continue
        d = body[i + 1]
        if d in "01234567":
            j = i + 1
            while j < n and j < i + 4 and body[j] in "01234567":
                j += 1
            out.append(int(body[i + 1:j], 8) & 0xFF)
            i = j
        elif d in "xX":
            j = i + 2
            while j < n and body[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(body[i + 2:j] or "0", 16) & 0xFF)
            i = j
        else:
            out.append(_ESCAPES.get(d, ord(d)) & 0xFF)
            i += 2
    return bytes(out)


def parse_number(text: str):
    """Value of a NUM token: int, ('L', n, 'b'|'f') for a local label reference, or ('f', float)."""
    t = text
    if t[:2] in ("0x", "0X"):
        return wrap64(int(t, 16))
    if t[:2] in ("0b", "0B") and len(t) > 2:
        return wrap64(int(t[2:], 2))
    last = t[-1]
    if last in "bf" and t[:-1].isdigit():
        return ("L", int(t[:-1]), last)
    if "." in t or "e" in t or "E" in t:
        return ("f", float(t))
    try:
        if len(t) > 1 and t[0] == "0":
            return wrap64(int(t, 8))
        return wrap64(int(t))
    except ValueError:
        # reported where the value is used, which knows the statement and operand
        return ("badnum", t)


# ------------------------------------------------------------------------------------------------ folding

def _div(a, b):
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _mod(a, b):
    return a - b * _div(a, b)


# GNU semantics: comparisons give -1 for true, >> is a logical shift of the 64-bit value.
BINARY_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _div,
    "%": _mod,
    "<<": lambda a, b: (a << b) if 0 <= b < 64 else 0,
    ">>": lambda a, b: ((a & _MASK64) >> b) if 0 <= b < 64 else 0,
    "|": lambda a, b: a | b,
    "&": lambda a, b: a & b,
    "^": lambda a, b: a ^ b,
    "!": lambda a, b: a | ~b,
    "==": lambda a, b: -int(a == b),
    "!=": lambda a, b: -int(a != b),
    "<>": lambda a, b: -int(a != b),
    "<": lambda a, b: -int(a < b),
    ">": lambda a, b: -int(a > b),
    "<=": lambda a, b: -int(a <= b),
    ">=": lambda a, b: -int(a >= b),
    "&&": lambda a, b: int(bool(a) and bool(b)),
    "||": lambda a, b: int(bool(a) or bool(b)),
}
UNARY_OPS = {"-": lambda a: -a, "~": lambda a: ~a, "!": lambda a: int(not a)}


def fold_binary(op, a, b):
    if type(a) is int and type(b) is int:
        if op in ("/", "%") and b == 0:
            return ("b", op, a, b)          # reported as an error when evaluated
        return wrap64(BINARY_OPS[op](a, b))
    return ("b", op, a, b)


def fold_unary(op, a):
    if type(a) is int:
        return wrap64(UNARY_OPS[op](a))
    if op == "-" and type(a) is tuple and a[0] == "f":
        return ("f", -a[1])
    return ("u", op, a)


# ------------------------------------------------------------------------------------------------ grammar

def _binop(op):
    return lambda self, a, b: fold_binary(op, a, b)


@v_args(inline=True)
class _ToStatements(Transformer):
    """Builds Stmt objects straight from the LALR parse (no parse tree is kept)."""

    def start(self, *stmts):
        return list(stmts)

    def labeled(self, *items):
        labels = [x for x in items if isinstance(x, _Label)]
        body = items[-1] if not isinstance(items[-1], _Label) else None
        names = [x.name for x in labels]
        line = labels[0].line
        if body is None:
            return (line, Stmt(names, None, None, None))
        body.labels = names
        return (line, body)

    def stmt(self, body):
        return (body.line, body)

    def label(self, name):
        return _Label(str(name), name.line)

    def num_label(self, num):
        if not num.isdigit():           # `0x10:`, `0b:` (GNU as rejects them too)
            raise _BadLabel(num)
        return _Label(("N", int(num)), num.line)

    def insn_noargs(self, name):
        s = Stmt([], "insn", str(name).lower() if name[0] != "." else str(name), [])
        s.line = name.line
        return s

    def insn(self, name, args):
        s = Stmt([], "insn", str(name).lower() if name[0] != "." else str(name), args)
        s.line = name.line
        return s

    def insn_fmt(self, name, fmt, args):
        s = Stmt([], "insn", str(name).lower() if name[0] != "." else str(name), [str(fmt)] + args)
        s.line = name.line
        return s

    def assign(self, name, expr):
        s = Stmt([], "assign", str(name), [expr])
        s.line = name.line
        return s

    def args(self, *items):
        return list(items)

    def arg(self, e):
        if type(e) is ParenName:
            return ("m", None, str(e))
        return e

    def mem(self, off, base):
        return ("m", off, str(base) if isinstance(base, str) else base)

    def string(self, tok):
        return ("s", unescape(tok[1:-1]))

    def number(self, tok):
        return parse_number(str(tok))

    def symbol(self, tok):
        name = str(tok)
        return name[:-4] if name.endswith(("@plt", "@PLT")) else name

    def char(self, tok):
        body = str(tok)[1:]
        if body.endswith("'") and len(body) > 1 and body != "\\'":
            body = body[:-1]
        b = unescape(body)
        return b[0] if b else 0

    def reloc(self, tok, e):
        return ("r", str(tok)[1:], e)

    def paren(self, e):
        return ParenName(e) if isinstance(e, str) else e

    def neg(self, a):
        return fold_unary("-", a)

    def inv(self, a):
        return fold_unary("~", a)

    def lnot(self, a):
        return fold_unary("!", a)

    def pos(self, a):
        return a

    def cmp(self, a, op, b):
        return fold_binary(str(op), a, b)

    add = _binop("+")
    sub = _binop("-")
    mul = _binop("*")
    div = _binop("/")
    mod = _binop("%")
    shl = _binop("<<")
    shr = _binop(">>")
    bor = _binop("|")
    band = _binop("&")
    bxor = _binop("^")
    bornot = _binop("!")
    lor = _binop("||")
    land = _binop("&&")


class _Label:
    __slots__ = ("name", "line")

    def __init__(self, name, line):
        self.name = name
        self.line = line


GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")


@lru_cache(maxsize=None)
def _lark() -> Lark:
    return Lark(GRAMMAR_PATH.read_text(), parser="lalr", transformer=_ToStatements(),
                maybe_placeholders=True)


@lru_cache(maxsize=None)
def _lark_positions() -> Lark:
    return Lark(GRAMMAR_PATH.read_text(), parser="lalr", propagate_positions=True,
                maybe_placeholders=True)


class _BadLabel(Exception):
    """A number that is not a numeric label (``0x10:``), raised while parsing."""

    def __init__(self, token):
        super().__init__(str(token))
        self.token = token


class ParseError(Exception):
    def __init__(self, line_index: int, column: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line_index = line_index    # 0-based index into the parsed lines
        self.column = column
        self.message = message
        self.hint = hint


def _describe(err: UnexpectedInput, text_line: str) -> tuple[str, str]:
    if isinstance(err, UnexpectedCharacters):
        ch = text_line[err.column - 1] if 0 < err.column <= len(text_line) else "?"
        return f"unexpected character `{ch}`", ""
    if isinstance(err, UnexpectedToken):
        tok = err.token
        if tok.type == "$END" or tok.type == "_SEP":
            return "unexpected end of line", "an operand or closing parenthesis is missing"
        exp = sorted(e for e in err.expected if not e.startswith("_"))
        names = {"NAME": "a name", "NUM": "a number", "COMMA": "`,`", "RPAR": "`)`", "LPAR": "`(`"}
        expected = ", ".join(names.get(e, e.lower()) for e in exp[:6])
        before = text_line[:max(0, tok.column - 1)] if tok.column else ""
        if "COMMA" in exp and before.rstrip() != before and before.split() and \
                re.fullmatch(r"[A-Za-z0-9_.$()+-]+", before.split()[-1]):
            # `addi a0 x0 1`: RARS and Venus take blanks between operands
            return f"unexpected `{tok}`", ("separate operands with commas: `addi a0, x0, 1` (RARS and "
                                           "Venus also take blanks; GNU as and rvsim need commas)")
        return f"unexpected `{tok}`", (f"expected {expected}" if expected else "")
    return "syntax error", ""


def parse_lark(lines: list[str]) -> list[list[Stmt]]:
    """Parse ``lines`` (comment-free) with the grammar in one pass; one statement list per line.

    Raises ParseError for the first line the grammar rejects (the caller re-parses the rest).
    """
    out: list[list[Stmt]] = [[] for _ in lines]
    if not lines:
        return out
    text = "\n".join(lines) + "\n"
    try:
        result = _lark().parse(text)
    except _BadLabel as e:
        idx = min(e.token.line - 1, len(lines) - 1)
        raise ParseError(idx, e.token.column, f"`{e.token}` is not a label name",
                         "numeric labels are decimal digits (`1:`); names start with a letter, `_`, "
                         "`.` or `$`") from None
    except UnexpectedEOF:
        raise ParseError(len(lines) - 1, len(lines[-1]) + 1, "unexpected end of input") from None
    except UnexpectedInput as e:
        line = (e.line if isinstance(e.line, int) and e.line > 0 else 1)
        if isinstance(e, UnexpectedToken) and e.token.type == "_SEP" and e.token == "\n":
            # the newline that ends line N is reported on line N
            pass
        idx = min(line - 1, len(lines) - 1)
        msg, hint = _describe(e, lines[idx])
        col = e.column if isinstance(e.column, int) and e.column > 0 else len(lines[idx]) + 1
        raise ParseError(idx, col, msg, hint) from None
    for line, stmt in result:
        stmts = out[line - 1]
        stmt.index = len(stmts)
        stmts.append(stmt)
    return out


# ---------------------------------------------------------------------------------------------- fast path

_NAME = r"[A-Za-z_.$][A-Za-z0-9_.$]*"
_UINT = r"(?:0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)"
_INT = "-?" + _UINT
_OP_MEM = re.compile(rf"[ \t]*({_INT})?[ \t]*\([ \t]*({_NAME})[ \t]*\)[ \t]*\Z")
_OP_RELOC = re.compile(
    rf"[ \t]*%([a-z_0-9]+)\([ \t]*({_NAME})[ \t]*(?:([+-])[ \t]*({_UINT}))?[ \t]*\)"
    rf"(?:[ \t]*\([ \t]*({_NAME})[ \t]*\))?[ \t]*\Z")


def _int(text: str) -> int:
    neg = text[0] == "-"
    if neg:
        text = text[1:]
    v = int(text, 16) if text[:2] in ("0x", "0X") else int(text)
    return wrap64(-v if neg else v)


_NAME_RE = re.compile(_NAME + r"\Z")
_MNEMONIC_RE = re.compile(r"[A-Za-z_.][A-Za-z0-9_.]*\Z")
_INT_RE = re.compile(_INT + r"\Z")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.$")
_INT_START = frozenset("-0123456789")


_OPERAND_MEMO: dict = {}


def _fast_operand(text: str):
    """Operand tree of a plainly written operand (memoized: registers and small numbers repeat)."""
    r = _OPERAND_MEMO.get(text)
    if r is None:
        if len(_OPERAND_MEMO) > 200000:
            _OPERAND_MEMO.clear()
        r = _OPERAND_MEMO[text] = _fast_operand_uncached(text)
    return r


def _fast_operand_uncached(text: str):
    p = text.strip()
    if not p:
        return None
    c = p[0]
    if c in _NAME_START:
        return p if _NAME_RE.match(p) else None
    if c in _INT_START:
        if _INT_RE.match(p):
            return _int(p)
        if p[-1] == ")":
            m = _OP_MEM.match(p)
            if m:
                off = m.group(1)
                return ("m", _int(off) if off is not None else None, m.group(2))
        return None
    if c == "(":
        m = _OP_MEM.match(p)
        if m:
            return ("m", None, m.group(2)) if m.group(1) is None else None
        return None
    if c == "%":
        m = _OP_RELOC.match(p)
        if m:
            rel, sym, sign, num, base = m.groups()
            e = sym
            if sign:
                e = fold_binary(sign, sym, _int(num))
            r = ("r", rel, e)
            return ("m", r, base) if base else r
    return None


def parse_fast(text: str):
    """Statements of a plain line (``[label:] name [operands]``), or None when the grammar is needed."""
    if ";" in text or '"' in text or "'" in text or "=" in text:
        return None
    label = None
    if ":" in text:
        head, _, text = text.partition(":")
        head = head.strip()
        if not _NAME_RE.match(head) or ":" in text:
            return None
        label = head
    parts = text.split(None, 1)
    if not parts:
        return [Stmt([label], None, None, None)] if label else []
    name = parts[0]
    if not _MNEMONIC_RE.match(name):
        return None
    if name[0] != ".":
        name = name.lower()
    args = []
    if len(parts) > 1:
        for part in parts[1].split(","):
            v = _fast_operand(part)
            if v is None:
                return None
            args.append(v)
    return [Stmt([label] if label else [], "insn", name, args)]


def parse_line(text: str) -> list[Stmt]:
    """Statements of one line (fast path, else the grammar).  Raises ParseError."""
    r = parse_fast(text)
    if r is not None:
        return r
    return parse_lark([text])[0]


def operand_spans(text: str, index: int = 0) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """Column span (1-based, end exclusive) of statement ``index``'s name and of each of its operands."""
    try:
        tree = _lark_positions().parse(text + "\n")
    except UnexpectedInput:
        return (1, 1), []
    bodies = []
    for st in tree.children:
        body = st.children[-1] if st.data == "labeled" else st.children[0]
        if st.data == "labeled" and getattr(body, "data", None) in ("label", "num_label"):
            continue
        bodies.append(body)
    if index >= len(bodies):
        return (1, 1), []
    body = bodies[index]
    name_tok = body.children[0]
    name_span = (name_tok.column, name_tok.end_column)
    spans = []
    if body.data in ("insn", "insn_fmt"):
        if body.data == "insn_fmt":
            f = body.children[1]
            spans.append((f.column, f.end_column))
        for a in body.children[-1].children:
            if a is None:
                spans.append((name_tok.end_column, name_tok.end_column + 1))
            elif isinstance(a, Token):
                spans.append((a.column, a.end_column))
            else:
                spans.append((a.meta.column, a.meta.end_column))
    elif body.data == "assign":
        e = body.children[1]
        spans.append((e.column, e.end_column) if isinstance(e, Token) else (e.meta.column, e.meta.end_column))
    return name_span, spans
