"""Expression values: constants and relocatable values (symbol + addend).

While a file is assembled, label addresses are not final (branches may still grow), so an expression that
mentions a label evaluates to a :class:`Rel`: an addend plus a weighted sum of *bases*.  A base is
``('F', section, frag_index)`` — the start of a fragment of a section of this file — or ``('S', name)``
— a symbol not known yet (defined later, or in another file).  ``end - start`` within one fragment cancels
to a constant at once; across fragments it becomes constant after layout.  The linker turns every base into
an address (:meth:`Rel.resolve`).
"""
from __future__ import annotations

from .errors import StatementError
from .statement import BINARY_OPS, UNARY_OPS, wrap64


class Rel:
    """``addend + sum(coef * base)`` (see the module docstring)."""

    __slots__ = ("addend", "terms")

    def __init__(self, addend: int, terms: dict):
        self.addend = addend
        self.terms = terms

    def __repr__(self):
        return f"Rel({self.addend}, {self.terms})"

    @staticmethod
    def base(key, offset: int = 0) -> "Rel":
        return Rel(offset, {key: 1})

    def single(self):
        """The base when the value is exactly one base plus an addend (a 'symbol + offset'), else None."""
        if len(self.terms) == 1:
            (k, c), = self.terms.items()
            if c == 1:
                return k
        return None


def _combine(a, b, sign: int):
    """a + sign*b for ints and Rels; returns int when all bases cancel."""
    if type(a) is int and type(b) is int:
        return wrap64(a + sign * b)
    if type(a) is int:
        terms = {k: sign * c for k, c in b.terms.items()}
        return Rel(wrap64(a + sign * b.addend), terms)
    if type(b) is int:
        return Rel(wrap64(a.addend + sign * b), dict(a.terms))
    terms = dict(a.terms)
    for k, c in b.terms.items():
        n = terms.get(k, 0) + sign * c
        if n:
            terms[k] = n
        else:
            del terms[k]
    addend = wrap64(a.addend + sign * b.addend)
    return addend if not terms else Rel(addend, terms)


def _scale(a: Rel, f: int):
    if f == 0:
        return 0
    return Rel(wrap64(a.addend * f), {k: c * f for k, c in a.terms.items()})


def apply_binary(op: str, a, b):
    """``a op b`` on values (ints or Rels); raises StatementError when the result is not representable."""
    if op == "+":
        return _combine(a, b, 1)
    if op == "-":
        return _combine(a, b, -1)
    if type(a) is int and type(b) is int:
        if op in ("/", "%") and b == 0:
            raise StatementError("division by zero in expression")
        return wrap64(BINARY_OPS[op](a, b))
    if op == "*":
        if type(a) is int:
            return _scale(b, a)
        if type(b) is int:
            return _scale(a, b)
    raise NotConstant(f"operator `{op}` needs constant operands here")


def apply_unary(op: str, a):
    if type(a) is int:
        return wrap64(UNARY_OPS[op](a))
    if op == "-":
        return _scale(a, -1)
    raise NotConstant(f"operator `{op}` needs a constant operand here")


class NotConstant(StatementError):
    """An expression that has to be constant is not (yet)."""


def finalize(v):
    """Collapse a Rel without bases to an int."""
    if type(v) is Rel and not v.terms:
        return v.addend
    return v
