"""C-like expressions of the debugger, as gdb reads them: registers (``$a0`` and ``a0``, ``$pc``,
``$sp``), symbols (a data label is an ``int`` there, a code label its address), memory
(``*(int *)($sp + 8)``, ``arr[2]``, ``&label``), value history (``$1``, ``$``, ``$$``), convenience
variables (``$count``), arithmetic, comparisons, logic and assignment.

The evaluator knows nothing of terminals: it reads and writes through a ``Target`` (the session).
"""
from __future__ import annotations

import functools
import math
import re
import struct
from dataclasses import dataclass


class DebugError(Exception):
    """An error shown to the user as one line (never a traceback)."""


@dataclass(frozen=True)
class CType:
    name: str
    size: int
    signed: bool = True
    floating: bool = False
    target: "CType | None" = None       # pointers: the type pointed to
    code: bool = False                  # a pointer to code: printed with its symbol

    @property
    def is_pointer(self) -> bool:
        return self.target is not None or self.code

    def pointer(self, size: int = 8) -> "CType":
        return CType(f"{self.name} *", size, signed=False, target=self)


VOID = CType("void", 1)
CHAR = CType("char", 1)
SHORT = CType("short", 2)
INT = CType("int", 4)
LONG = CType("long", 8)
FLOAT = CType("float", 4, floating=True)
DOUBLE = CType("double", 8, floating=True)
CODE_PTR = CType("void (*)()", 8, signed=False, code=True)
DATA_PTR = VOID.pointer()

_BASE_TYPES = {
    "char": CHAR, "signed char": CHAR, "unsigned char": CType("unsigned char", 1, False),
    "short": SHORT, "short int": SHORT, "unsigned short": CType("unsigned short", 2, False),
    "int": INT, "signed": INT, "signed int": INT, "unsigned": CType("unsigned int", 4, False),
    "unsigned int": CType("unsigned int", 4, False),
    "long": LONG, "long int": LONG, "long long": LONG, "unsigned long": CType("unsigned long", 8, False),
    "unsigned long long": CType("unsigned long", 8, False),
    "float": FLOAT, "double": DOUBLE, "void": VOID,
    "int8_t": CType("int8_t", 1), "uint8_t": CType("uint8_t", 1, False),
    "int16_t": CType("int16_t", 2), "uint16_t": CType("uint16_t", 2, False),
    "int32_t": CType("int32_t", 4), "uint32_t": CType("uint32_t", 4, False),
    "int64_t": CType("int64_t", 8), "uint64_t": CType("uint64_t", 8, False),
    "size_t": CType("unsigned long", 8, False),
}


@dataclass(frozen=True)
class DataModel:
    """The C data model of the program's ABI: LP64 on RV64, ILP32 on RV32 (long and pointers are
    XLEN wide, long long is 64 bits on both)."""
    long: CType
    ulong: CType
    ptr_size: int
    types: dict

    @property
    def code_ptr(self) -> CType:
        return CType("void (*)()", self.ptr_size, signed=False, code=True)

    @property
    def data_ptr(self) -> CType:
        return VOID.pointer(self.ptr_size)


LP64 = DataModel(LONG, CType("unsigned long", 8, False), 8, _BASE_TYPES)
_ILP32_LONG, _ILP32_ULONG = CType("long", 4), CType("unsigned long", 4, False)
ILP32 = DataModel(_ILP32_LONG, _ILP32_ULONG, 4, {
    **_BASE_TYPES, "long": _ILP32_LONG, "long int": _ILP32_LONG, "unsigned long": _ILP32_ULONG,
    "long long": CType("long long", 8), "unsigned long long": CType("unsigned long long", 8, False),
    "size_t": CType("unsigned int", 4, False)})


def data_model(xlen: int) -> DataModel:
    return ILP32 if xlen == 32 else LP64


TYPE_WORDS = {"char", "short", "int", "long", "unsigned", "signed", "float", "double", "void"} | \
    {k for k in _BASE_TYPES if " " not in k}


@dataclass
class Value:
    value: int | float          # ints are kept in their type's range (signed or not)
    type: CType
    lval: tuple | None = None   # ('x', n) ('f', n) ('pc',) ('csr', name) ('mem', addr) ('conv', name)

    def as_int(self) -> int:
        if self.type.floating:
            return int(self.value)
        return int(self.value)

    def truth(self) -> bool:
        return bool(self.value)


def wrap(value: int, ctype: CType) -> int:
    """An integer reduced to ctype's width, signed or not."""
    bits = ctype.size * 8
    value &= (1 << bits) - 1
    if ctype.signed and not ctype.is_pointer and value >> (bits - 1):
        value -= 1 << bits
    return value


def bits_of(v: Value) -> int:
    """The value's bit pattern (unsigned, type width)."""
    if v.type.floating:
        fmt = "<f" if v.type.size == 4 else "<d"
        return int.from_bytes(struct.pack(fmt, v.value), "little")
    return int(v.value) & ((1 << (v.type.size * 8)) - 1)


def from_bits(raw: int, ctype: CType):
    if ctype.floating:
        size = ctype.size
        return struct.unpack("<f" if size == 4 else "<d", (raw & ((1 << size * 8) - 1)).to_bytes(size, "little"))[0]
    return wrap(raw, ctype)


# ------------------------------------------------------------------------------------ tokenizer

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d+\.\d*(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d+[0-9a-zA-Z_]*)
  | (?P<char>'(?:\\.|[^\\'])')
  | (?P<name>\$?[A-Za-z_.][\w.]*\$?|\$\$?\d*)
  | (?P<op><<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>=()\[\],?:])
""", re.VERBOSE)


@functools.lru_cache(maxsize=256)
def tokenize(text: str) -> tuple[tuple[str, str], ...]:
    """The tokens of an expression (cached: a breakpoint condition is evaluated at every hit)."""
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise DebugError(f"A syntax error in expression, near `{text[pos:]}'.")
        pos = m.end()
        kind = m.lastgroup
        if kind != "ws":
            out.append((kind, m.group()))
    out.append(("end", ""))
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def _number(text: str) -> tuple:
    v = _parse_number(text)
    return v.value, v.type


def parse_number(text: str) -> Value:
    value, ctype = _number(text)
    return Value(value, ctype)


def _parse_number(text: str) -> Value:
    t = text.replace("_", "")
    try:
        if re.fullmatch(r"\d+\.\d*(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+", t):
            return Value(float(t), DOUBLE)
        low = t.lower()
        suffix = ""
        while low and low[-1] in "ul" and not low.startswith("0x"):
            suffix, low = low[-1] + suffix, low[:-1]
        value = int(low, 0) if not (low.startswith("0") and len(low) > 1 and low[1].isdigit()) \
            else int(low, 8)
    except ValueError:
        raise DebugError(f'Invalid number "{text}".') from None
    ctype = INT if -2**31 <= value < 2**31 and "l" not in suffix else LONG
    if ctype is INT or (value < 2**32 and "l" not in suffix and low[:2] in ("0x", "0b")):
        if value >= 2**31:
            ctype = CType("unsigned int", 4, False)     # C: a hex constant that fits unsigned int
    if "u" in suffix:
        ctype = CType("unsigned " + ctype.name, ctype.size, False)
    if value >= 2**63:
        ctype = CType("unsigned long", 8, False)
    return Value(wrap(value, ctype), ctype)


# ------------------------------------------------------------------------------------ parser

_BINARY = {
    "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6,
    "<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
}


class Evaluator:
    """Parses and evaluates one expression against a target (see ``Session``) that provides
    ``read_register(name) -> Value | None``, ``write_lvalue(lval, Value)``, ``read_memory(addr, n)``,
    ``symbol_value(name) -> Value | None``, ``history(n)``, ``convenience`` (a dict)."""

    def __init__(self, target, text: str):
        self.t = target
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.model = getattr(target, "model", LP64)

    # token helpers
    def peek(self, k: int = 0):
        j = self.i + k
        tokens = self.tokens
        return tokens[j] if j < len(tokens) else tokens[-1]

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, op: str):
        tok = self.take()
        if tok[1] != op:
            self.syntax(tok)

    def syntax(self, tok=None):
        tok = tok or self.peek()
        rest = self.text[self._offset_of(tok):] if tok[0] != "end" else ""
        if not rest:
            raise DebugError("A syntax error in expression, near `'.")
        raise DebugError(f"A syntax error in expression, near `{rest}'.")

    def _offset_of(self, tok) -> int:
        # position of the i-th token in the text (re-scan; expressions are short)
        pos, n = 0, 0
        for m in _TOKEN.finditer(self.text):
            if m.lastgroup == "ws":
                continue
            if (m.lastgroup, m.group()) == tok and n >= self.i - 1:
                return m.start()
            n += 1
            pos = m.end()
        return pos

    def parse(self) -> Value:
        if self.peek()[0] == "end":
            raise DebugError("Argument required (expression to compute).")
        v = self.assignment()
        if self.peek()[0] != "end":
            self.syntax()
        return v

    def assignment(self) -> Value:
        left = self.ternary()
        if self.peek()[1] == "=":
            self.take()
            right = self.assignment()
            return self.t.assign(left, right)
        return left

    def ternary(self) -> Value:
        cond = self.binary(1)
        if self.peek()[1] == "?":
            self.take()
            a = self.assignment()
            self.expect(":")
            b = self.ternary()
            return a if cond.truth() else b
        return cond

    def binary(self, level: int) -> Value:
        left = self.unary()
        while True:
            op = self.peek()[1]
            prec = _BINARY.get(op) if self.peek()[0] == "op" else None
            if prec is None or prec < level:
                return left
            self.take()
            right = self.binary(prec + 1)
            left = apply_binary(op, left, right)

    def cast_type(self) -> CType | None:
        """A type name in parentheses at the cursor (after '('), or None."""
        j = self.i
        words = []
        while self.tokens[j][0] == "name" and self.tokens[j][1] in TYPE_WORDS:
            words.append(self.tokens[j][1])
            j += 1
        if not words:
            return None
        name = " ".join(words)
        ctype = self.model.types.get(name)
        if ctype is None:
            raise DebugError(f"No symbol \"{name}\" in current context.")
        while self.tokens[j][1] == "*":
            ctype = ctype.pointer(self.model.ptr_size)
            j += 1
        if self.tokens[j][1] != ")":
            return None
        self.i = j + 1
        return ctype

    def unary(self) -> Value:
        kind, tok = self.peek()
        if kind == "op" and tok in "-+~!*&":
            self.take()
            v = self.unary()
            if tok == "-":
                return arith(lambda a, b: -b, Value(0, v.type), v) if not v.type.floating \
                    else Value(-v.value, v.type)
            if tok == "+":
                return Value(v.value, v.type)
            if tok == "~":
                if v.type.floating:
                    raise DebugError("Argument to complement operation not an integer, boolean.")
                return Value(wrap(~int(v.value), promote(v.type)), promote(v.type))
            if tok == "!":
                return Value(int(not v.truth()), INT)
            if tok == "*":
                return self.t.deref(v)
            if tok == "&":
                if not v.lval or v.lval[0] != "mem":
                    raise DebugError("Attempt to take address of value not located in memory.")
                return Value(v.lval[1], v.type.pointer(self.model.ptr_size))
        if tok == "(" and kind == "op":
            self.take()
            ctype = self.cast_type()
            if ctype is not None:
                v = self.unary()
                return cast(v, ctype)
            v = self.assignment()
            self.expect(")")
            return self.postfix(v)
        if kind == "name" and tok == "sizeof":
            self.take()
            self.expect("(")
            ctype = self.cast_type()
            if ctype is None:
                v = self.assignment()
                self.expect(")")
                return Value(v.type.size, self.model.ulong)
            return Value(ctype.size, self.model.ulong)
        return self.postfix(self.primary())

    def postfix(self, v: Value) -> Value:
        while self.peek()[1] == "[":
            self.take()
            index = self.assignment()
            self.expect("]")
            v = self.t.index(v, index)
        return v

    def primary(self) -> Value:
        kind, tok = self.take()
        if kind == "num":
            return parse_number(tok)
        if kind == "char":
            body = tok[1:-1]
            ch = bytes(body, "utf-8").decode("unicode_escape") if body.startswith("\\") else body
            return Value(ord(ch), CHAR)
        if kind == "name":
            return self.t.lookup(tok)
        self.syntax((kind, tok))


def promote(ctype: CType) -> CType:
    if ctype.floating or ctype.is_pointer:
        return ctype
    if ctype.size < 4:
        return INT
    return ctype


def common_type(a: CType, b: CType) -> CType:
    if a.floating or b.floating:
        return DOUBLE if (a.size == 8 and a.floating) or (b.size == 8 and b.floating) or \
            not (a.floating and b.floating) else FLOAT
    a, b = promote(a), promote(b)
    if a.size != b.size:
        return a if a.size > b.size else b
    return a if not a.signed else b


def arith(fn, a: Value, b: Value) -> Value:
    ctype = common_type(a.type, b.type)
    if ctype.floating:
        return Value(float(fn(float(a.value), float(b.value))), ctype)
    return Value(wrap(fn(int(a.value), int(b.value)), ctype), ctype)


def apply_binary(op: str, a: Value, b: Value) -> Value:
    if op in ("&&", "||"):
        r = (a.truth() and b.truth()) if op == "&&" else (a.truth() or b.truth())
        return Value(int(r), INT)
    if op in ("==", "!=", "<", ">", "<=", ">="):
        ctype = common_type(a.type, b.type)
        x = a.value if ctype.floating else wrap(int(a.value), ctype)
        y = b.value if ctype.floating else wrap(int(b.value), ctype)
        r = {"==": x == y, "!=": x != y, "<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
        return Value(int(r), INT)
    # pointer arithmetic scales by the pointed-to size, as C does
    if op in "+-" and a.type.target is not None and not b.type.is_pointer and not b.type.floating:
        step = max(a.type.target.size, 1)
        delta = int(b.value) * step
        return Value(wrap(int(a.value) + (delta if op == "+" else -delta), a.type), a.type)
    if op in ("/", "%"):
        if not (a.type.floating or b.type.floating) and int(b.value) == 0:
            raise DebugError("Division by zero")
        if a.type.floating or b.type.floating:
            if op == "%":
                raise DebugError("Integer only operation %.")
            if b.value == 0:
                return Value(math.copysign(math.inf, a.value) if a.value else math.nan, DOUBLE)
            return arith(lambda x, y: x / y, a, b)
        # C division truncates toward zero
        def cdiv(x, y):
            q = abs(x) // abs(y)
            return q if (x >= 0) == (y >= 0) else -q
        if op == "/":
            return arith(cdiv, a, b)
        return arith(lambda x, y: x - cdiv(x, y) * y, a, b)
    if op in ("<<", ">>", "&", "|", "^") and (a.type.floating or b.type.floating):
        raise DebugError("Integer only operation.")
    fns = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
           "<<": lambda x, y: x << (y & 63), ">>": lambda x, y: x >> (y & 63),
           "&": lambda x, y: x & y, "|": lambda x, y: x | y, "^": lambda x, y: x ^ y}
    if op in ("<<", ">>"):
        ctype = promote(a.type)
        return Value(wrap(fns[op](int(a.value), int(b.value)), ctype), ctype)
    return arith(fns[op], a, b)


def cast(v: Value, ctype: CType) -> Value:
    if ctype is VOID:
        return Value(0, VOID)
    if ctype.floating:
        return Value(float(v.value), ctype)
    if v.type.floating:
        if math.isnan(v.value) or math.isinf(v.value):
            return Value(0, ctype)
        return Value(wrap(int(v.value), ctype), ctype)
    return Value(wrap(int(v.value), ctype), ctype)


def evaluate(target, text: str) -> Value:
    return Evaluator(target, text).parse()


# ------------------------------------------------------------------------------------ formatting

def format_float(x: float, size: int) -> str:
    if math.isnan(x):
        return "nan(0x%x)" % (int.from_bytes(struct.pack("<d", x), "little") & ((1 << 51) - 1)) \
            if size == 8 else "nan(0x%x)" % (int.from_bytes(struct.pack("<f", x), "little") & ((1 << 22) - 1))
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    limit = 9 if size == 4 else 17
    text = f"{x:.{limit}g}"
    # the shortest text that reads back as the same value, in %g's form at gdb's precision: whole
    # numbers below 10**limit in full (10, not 1e+01), exponents only beyond
    exponent = int(f"{x:.17e}".split("e")[1])
    for digits in range(1, 18):
        cand = f"{x:.{max(digits, exponent + 1) if 0 <= exponent < limit else digits}g}"
        back = float(cand)
        if size == 4:
            try:
                back = struct.unpack("<f", struct.pack("<f", back))[0]
            except OverflowError:       # rounded up past FLT_MAX: more digits are needed
                continue
        if back == x:
            text = cand
            break
    return text


def char_repr(code: int) -> str:
    code &= 0xFF
    names = {0: "\\000", 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r",
             39: "\\'", 92: "\\\\", 27: "\\033"}
    if code in names:
        return names[code]
    if 32 <= code < 127:
        return chr(code)
    return f"\\{code:03o}"


def format_value(v: Value, fmt: str | None, symbolize) -> str:
    """gdb's text of a value: natural format, or one of x d u o t c f a s z."""
    ctype = v.type
    if ctype is VOID:
        return "void"
    size = ctype.size
    raw = bits_of(v)
    if fmt in (None, "s"):
        if ctype.floating:
            return format_float(float(v.value), size)
        if ctype.code:
            return f"({ctype.name}) {symbolize(raw, True)}"
        if ctype.target is not None:
            sym = symbolize(raw, False)
            return f"({ctype.name}) {sym}"
        if ctype.size == 1 and ctype.name in ("char", "unsigned char", "int8_t", "uint8_t"):
            return f"{int(v.value)} '{char_repr(raw)}'"
        return str(int(v.value))
    if fmt == "x":
        return f"{raw:#x}"
    if fmt == "z":
        return f"0x{raw:0{size * 2}x}"
    if fmt == "o":
        return f"0{raw:o}" if raw else "0"
    if fmt == "t":
        return f"{raw:b}"
    if fmt == "d":
        return str(wrap(raw, CType("s", size)))
    if fmt == "u":
        return str(raw)
    if fmt == "c":
        value = wrap(raw, CType("c", 1))
        return f"{value} '{char_repr(raw)}'"
    if fmt == "a":
        return symbolize(raw, True)
    if fmt == "f":
        if ctype.floating:
            return format_float(float(v.value), size)
        if size in (4, 8):
            # an integer register holding a float's bits: show the float (NaN-boxed singles too)
            if size == 8 and raw >> 32 == 0xFFFFFFFF:
                return format_float(struct.unpack("<f", (raw & 0xFFFFFFFF).to_bytes(4, "little"))[0], 4)
            return format_float(from_bits(raw, FLOAT if size == 4 else DOUBLE), size)
        return str(int(v.value))
    raise DebugError(f"Undefined output format \"{fmt}\".")
