"""The statement model the parsers produce (rvsim.asm.parser's fast path and rvsim.asm.lalr's grammar):
statements, operand trees with constants folded as GNU as folds them (64-bit), number and string literals,
and the parse error.  A leaf module, so that the two parsers share it without importing each other.
"""
from __future__ import annotations

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


class ParseError(Exception):
    def __init__(self, line_index: int, column: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line_index = line_index    # 0-based index into the parsed lines
        self.column = column
        self.message = message
        self.hint = hint
