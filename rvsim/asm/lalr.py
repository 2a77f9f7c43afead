"""The assembler's grammar (grammar.lark) as a lark LALR parser: the lines that the fast path of
:mod:`rvsim.asm.parser` cannot take (strings, expressions, several statements on a line...), and the
operand columns of error messages.

It is a module of its own so that lark is imported only by a program that needs it.
"""
from __future__ import annotations


import os
import re
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .statement import ParenName, ParseError, Stmt, fold_binary, fold_unary, parse_number, unescape

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


class _BadLabel(Exception):
    """A number that is not a numeric label (``0x10:``), raised while parsing."""

    def __init__(self, token):
        super().__init__(str(token))
        self.token = token


class _Label:
    __slots__ = ("name", "line")

    def __init__(self, name, line):
        self.name = name
        self.line = line


GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")


def _cache_file(name: str):
    """Where lark keeps the analysed grammar between runs (building the LALR tables takes ~0.2 s,
    loading them ~0.02 s): a file in the user's cache directory, or False (no cache) when there is
    none that can be written.  lark checks the file against the grammar, its options and its own
    version before using it, and builds afresh when the file is stale, damaged or unreadable."""
    if os.environ.get("RVSIM_NO_CACHE"):
        return False
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "rvsim")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK | os.R_OK):
        return False
    return os.path.join(folder, f"asm-{name}.lark-cache")


@lru_cache(maxsize=None)
def _lark() -> Lark:
    return Lark(GRAMMAR_PATH.read_text(), parser="lalr", transformer=_ToStatements(),
                maybe_placeholders=True, cache=_cache_file("statements"))


@lru_cache(maxsize=None)
def _lark_positions() -> Lark:
    return Lark(GRAMMAR_PATH.read_text(), parser="lalr", propagate_positions=True,
                maybe_placeholders=True, cache=_cache_file("positions"))


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
    except UnexpectedEOF:
        raise ParseError(len(lines) - 1, len(lines[-1]) + 1, "unexpected end of input") from None
    except _BadLabel as e:
        idx = min(e.token.line - 1, len(lines) - 1)
        raise ParseError(idx, e.token.column, f"`{e.token}` is not a label name",
                         "numeric labels are decimal digits (`1:`); names start with a letter, `_`, "
                         "`.` or `$`") from None
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
