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
and hands every other line to lark in one parse per file (:mod:`rvsim.asm.lalr`, imported only then).
Operand columns are not computed while parsing: an error message re-parses its own line with positions
(:func:`operand_spans`).
"""
from __future__ import annotations

import re

from .statement import (  # noqa: F401  (the statement model, re-exported for the assembler)
    BINARY_OPS, UNARY_OPS, ParenName, ParseError, Stmt, fold_binary, fold_unary, parse_number, unescape, wrap64)

# ------------------------------------------------------------------------------------------------ grammar

def parse_lark(lines: list[str]) -> list[list[Stmt]]:
    """Parse ``lines`` (comment-free) with the grammar in one pass; one statement list per line.

    Raises ParseError for the first line the grammar rejects (the caller re-parses the rest).
    """
    from .lalr import parse_lark as parse       # lark is imported only when a line needs it
    return parse(lines)


def operand_spans(text: str, index: int = 0) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """Column span (1-based, end exclusive) of statement ``index``'s name and of each of its operands."""
    from .lalr import operand_spans as spans
    return spans(text, index)


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
