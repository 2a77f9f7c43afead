"""Table-driven instruction encoders and operand parsing by role.

An :class:`Encoder` is built once per table record from its syntax template (``rd, imm_i(rs1)``): one
*slot* per written operand, each parsed by the handler registered for the operand kind's role
(:data:`ROLE_PARSERS`).  Nothing here knows individual mnemonics, so records added to the ISA table (the
vector and ML extensions) assemble without new code as long as their operand roles have parsers.

Extension point for new operand syntax (e.g. vector): call :func:`register_role` with a parser for the role
(``vreg``, ``vm``, ``vtypei``...).  A parser receives the operand list and the index of the next operand and
returns ``(value, next_index)``, so one kind may consume several written operands (``e32, m4, ta, ma``)
or none (an omitted ``v0.t`` mask).  :func:`register_mnemonic_resolver` lets a module map mnemonics that
are not table entries (``vlseg4e32.v``) to a record plus preset operand values, the way ``amoadd.w.aq``
maps to ``amoadd.w`` with aq set.
"""
from __future__ import annotations

from typing import Callable

from ..isa import BY_MNEMONIC, Instruction, by_mnemonic, enabled
from ..isa import operands as K
from ..isa.csrs import CSR_NUMBERS, RV32_CSRS
from .errors import StatementError

# ------------------------------------------------------------------------------------------------ registers

from ..isa.operands import FREG_NAMES as FREG_ABI, XREG_NAMES as XREG_ABI

XREGS: dict[str, int] = {f"x{i}": i for i in range(32)}
XREGS.update({n: i for i, n in enumerate(XREG_ABI)})
XREGS["fp"] = 8
FREGS: dict[str, int] = {f"f{i}": i for i in range(32)}
FREGS.update({n: i for i, n in enumerate(FREG_ABI)})
# Register files by role; the vector work adds "vreg".
REGISTER_FILES: dict[str, dict[str, int]] = {K.XREG: XREGS, K.FREG: FREGS}
REGISTER_FILE_NAMES = {K.XREG: "an integer register", K.FREG: "a floating-point register",
                       K.VREG: "a vector register"}

ROUNDING_MODES = {"rne": 0, "rtz": 1, "rdn": 2, "rup": 3, "rmm": 4, "dyn": 7}

# Conversions that are exact: GNU as writes rm=rne (0) for them when the operand is omitted.
EXACT_CONVERSIONS = {"fcvt.d.s", "fcvt.d.w", "fcvt.d.wu", "fcvt.s.h", "fcvt.d.h", "fcvt.s.bf16"}


def reg_name(role: str, num: int) -> str:
    if role == K.XREG:
        return XREG_ABI[num]
    if role == K.FREG:
        return FREG_ABI[num]
    return f"v{num}"


def describe_arg(a) -> str:
    """Short source-like text of an operand tree for messages."""
    if isinstance(a, str):
        return a
    if type(a) is int:
        return str(a)
    if type(a) is tuple:
        t = a[0]
        if t == "m":
            return f"{describe_arg(a[1]) if a[1] is not None else ''}({describe_arg(a[2])})"
        if t == "r":
            return f"%{a[1]}({describe_arg(a[2])})"
        if t == "b":
            return f"{describe_arg(a[2])}{a[1]}{describe_arg(a[3])}"
        if t == "u":
            return f"{a[1]}{describe_arg(a[2])}"
        if t == "s":
            return '"' + a[1].decode("latin-1") + '"'
        if t == "L":
            return f"{a[1]}{a[2]}"
        if t == "f":
            return repr(a[1])
    return "?"


# ------------------------------------------------------------------------------------------------ deferred

class Deferred:
    """An operand whose value needs symbol addresses: resolved by the linker.

    ``mode`` is 'abs' (plain value), 'pcrel' (branch/jump target), or a relocation operator name
    ('hi', 'lo', 'pcrel_hi', 'pcrel_lo', 'got_pcrel_hi').
    """

    __slots__ = ("kind", "expr", "mode", "operand")

    def __init__(self, kind, expr, mode, operand):
        self.kind = kind
        self.expr = expr
        self.mode = mode
        self.operand = operand

    def __repr__(self):
        return f"Deferred({self.kind.name}, {self.expr!r}, {self.mode})"


RELOC_KINDS = {
    "hi": ("imm_u",),
    "lo": ("imm_i", "imm_s"),
    "pcrel_hi": ("imm_u",),
    "pcrel_lo": ("imm_i", "imm_s"),
    "got_pcrel_hi": ("imm_u",),     # the pc-relative high part of the symbol's GOT entry
}


# ------------------------------------------------------------------------------------------------ role parsers

def _register(role):
    regs = REGISTER_FILES[role]

    def parse(ctx, args, i, kind, insn):
        a = args[i]
        r = regs.get(a) if isinstance(a, str) else None
        if r is None:
            raise StatementError(
                f"operand {i + 1} of `{insn.mnemonic}` must be {REGISTER_FILE_NAMES[role]}, "
                f"not `{describe_arg(a)}`", _syntax_hint(insn), i)
        return check_register(r, kind, insn, i), i + 1
    return parse


def check_register(r: int, kind: K.OperandKind, insn: Instruction, i: int) -> int:
    if kind.offset:
        if not kind.offset <= r < kind.offset + (1 << kind.width):
            raise StatementError(
                f"`{insn.mnemonic}` can only use {reg_name(kind.role, kind.offset)}..."
                f"{reg_name(kind.role, kind.offset + (1 << kind.width) - 1)} "
                f"(x{kind.offset}-x{kind.offset + (1 << kind.width) - 1}) here, not "
                f"{reg_name(kind.role, r)}",
                "the 3-bit register fields of compressed instructions name x8..x15 / f8..f15", i)
    if kind.nonzero and r == 0:
        raise StatementError(f"`{insn.mnemonic}` cannot use {reg_name(kind.role, 0)} here",
                             "this register field must be nonzero", i)
    if kind.not_value is not None and r == kind.not_value:
        raise StatementError(f"`{insn.mnemonic}` cannot use {reg_name(kind.role, r)} here",
                             "use c.addi16sp to adjust sp", i)
    return r


def check_immediate(v: int, kind: K.OperandKind, insn: Instruction, i: int, what="immediate") -> int:
    lo, hi = kind.value_range()
    if kind.name == "c_nzimm18" and 0xFFFE0 <= v <= 0xFFFFF:
        v -= 1 << 20                  # c.lui a0, 0xfffff is written like lui's 20-bit field
    if not lo <= v <= hi:
        raise StatementError(f"{what} {v} out of range for `{insn.mnemonic}`",
                             f"allowed range is {lo}..{hi}"
                             + (f" in steps of {kind.scale}" if kind.scale > 1 else ""), i)
    if v % kind.scale or (v - kind.offset) & ((1 << min(s[2] for s in kind.slices)) - 1):
        raise StatementError(f"{what} {v} of `{insn.mnemonic}` must be a multiple of "
                             f"{max(kind.scale, 1 << min(s[2] for s in kind.slices))}",
                             f"allowed range is {lo}..{hi}", i)
    if kind.nonzero and v == 0:
        raise StatementError(f"{what} of `{insn.mnemonic}` must be nonzero",
                             f"allowed range is {lo}..{hi}, except 0", i)
    return v


def _immediate(ctx, args, i, kind, insn):
    a = args[i]
    if type(a) is int:
        return check_immediate(a, kind, insn, i), i + 1
    if type(a) is tuple and a[0] == "r":
        allowed = RELOC_KINDS.get(a[1])
        if allowed is None:
            raise StatementError(f"unsupported relocation operator `%{a[1]}`",
                                 "supported: %hi %lo %pcrel_hi %pcrel_lo %got_pcrel_hi", i)
        if kind.name not in allowed:
            raise StatementError(f"`%{a[1]}` cannot be used for this operand of `{insn.mnemonic}`",
                                 f"%{a[1]} fits {' and '.join(allowed)} operands", i)
        return Deferred(kind, ctx.value(ctx.bind(a[2]), i), a[1], i), i + 1
    if isinstance(a, str) and (a in XREGS or a in FREGS):
        raise StatementError(f"operand {i + 1} of `{insn.mnemonic}` must be an immediate, "
                             f"not register `{a}`", _syntax_hint(insn), i)
    if type(a) is tuple and a[0] in ("m", "s", "f"):
        raise StatementError(f"operand {i + 1} of `{insn.mnemonic}` must be an immediate, "
                             f"not `{describe_arg(a)}`", _syntax_hint(insn), i)
    v = ctx.value(a, i)
    if type(v) is int:
        return check_immediate(v, kind, insn, i), i + 1
    return Deferred(kind, v, "abs", i), i + 1


def _pcrel(ctx, args, i, kind, insn):
    a = args[i]
    if isinstance(a, str) and (a in XREGS or a in FREGS):
        raise StatementError(f"operand {i + 1} of `{insn.mnemonic}` must be a branch target, "
                             f"not register `{a}`", _syntax_hint(insn), i)
    if type(a) is tuple and a[0] in ("m", "s", "f", "r"):
        raise StatementError(f"operand {i + 1} of `{insn.mnemonic}` must be a label or address",
                             _syntax_hint(insn), i)
    return Deferred(kind, ctx.value(a, i), "pcrel", i), i + 1


def _csr(ctx, args, i, kind, insn):
    a = args[i]
    if isinstance(a, str):
        n = CSR_NUMBERS.get(a.lower())
        if n is None:
            n = RV32_CSRS.get(a.lower())
        if n is not None:
            return n, i + 1
        if a in XREGS or a in FREGS:
            raise StatementError(f"operand {i + 1} of `{insn.mnemonic}` must be a CSR, not register `{a}`",
                                 _syntax_hint(insn), i)
    v = ctx.value(a, i)
    if type(v) is not int:
        from .errors import did_you_mean
        hint = did_you_mean(a, CSR_NUMBERS) if isinstance(a, str) else ""
        raise StatementError(f"unknown CSR `{describe_arg(a)}`",
                             hint or "use a CSR name (mstatus, fcsr...) or a number 0..4095", i)
    if not 0 <= v <= 0xFFF:
        raise StatementError(f"CSR number {v} out of range", "allowed range is 0..4095", i)
    return v, i + 1


def _rounding_mode(ctx, args, i, kind, insn):
    if i >= len(args):                                   # omitted: the default
        return (0 if insn.mnemonic in EXACT_CONVERSIONS else 7), i
    a = args[i]
    m = ROUNDING_MODES.get(a) if isinstance(a, str) else None
    if m is None:
        raise StatementError(f"unknown rounding mode `{describe_arg(a)}`",
                             "rounding modes: rne rtz rdn rup rmm dyn", i)
    return m, i + 1


def _fence_set(ctx, args, i, kind, insn):
    a = args[i]
    if isinstance(a, str) and a and all(c in "iorw" for c in a) and len(set(a)) == len(a):
        v = 0
        for c in a:
            v |= {"i": 8, "o": 4, "r": 2, "w": 1}[c]
        return v, i + 1
    raise StatementError(f"operand {i + 1} of `{insn.mnemonic}` must be a fence set such as `rw` or `iorw`",
                         "fence sets are made of the letters i, o, r, w (in that order)", i)


def _unsigned(ctx, args, i, kind, insn):
    return _immediate(ctx, args, i, kind, insn)


ParseFn = Callable[..., tuple]

ROLE_PARSERS: dict[str, ParseFn] = {
    K.XREG: _register(K.XREG),
    K.FREG: _register(K.FREG),
    K.IMM: _immediate,
    K.UIMM: _unsigned,
    K.PCREL: _pcrel,
    K.CSR: _csr,
    K.RM: _rounding_mode,
    K.FENCE: _fence_set,
}
# Roles whose operand may be left out (the parser then supplies the default and consumes nothing).
OPTIONAL_ROLES: set[str] = {K.RM}
# Roles whose parser may consume several written operands (vtypei: e32, m4, ta, ma).
VARIADIC_ROLES: set[str] = set()


def register_role(role: str, parser: ParseFn | None = None, optional: bool = False,
                  registers: dict[str, int] | None = None, description: str | None = None,
                  variadic: bool = False) -> None:
    """Teach the assembler a new operand role (see the module docstring).

    ``registers`` alone gives a register role with the generic register parser; ``optional`` roles may be
    omitted (their parser then returns a default and consumes nothing); ``variadic`` roles may consume
    several written operands."""
    if registers is not None:
        REGISTER_FILES[role] = registers
        REGISTER_FILE_NAMES[role] = description or f"a {role} register"
    ROLE_PARSERS[role] = parser if parser is not None else _register(role)
    if optional:
        OPTIONAL_ROLES.add(role)
    if variadic:
        VARIADIC_ROLES.add(role)
    _ENCODERS.clear()


MNEMONIC_RESOLVERS: list[Callable[[str], tuple[Instruction, dict[str, int]] | None]] = []


def register_mnemonic_resolver(fn) -> None:
    """``fn(mnemonic) -> (record, preset operand values) | None`` for mnemonics not in the table."""
    MNEMONIC_RESOLVERS.append(fn)
    _ENCODERS.clear()


def _aqrl_suffix(name: str, xlen: int = 64):
    for suffix, bits in ((".aqrl", 3), (".aq", 2), (".rl", 1)):
        if name.endswith(suffix):
            rec = _record(name[: -len(suffix)], xlen)
            if rec is not None and any(k.role == K.AQRL for k in rec.hidden):
                aq = next(k for k in rec.hidden if k.role == K.AQRL)
                return rec, {aq.name: bits}
    return None


_aqrl_suffix.takes_xlen = True
MNEMONIC_RESOLVERS.append(_aqrl_suffix)


def _record(mnemonic: str, xlen: int) -> Instruction | None:
    """The record of ``mnemonic`` on RV``xlen``, else the other XLEN's (which is then refused as not
    enabled, with a message naming its XLEN)."""
    return by_mnemonic(xlen).get(mnemonic) or by_mnemonic(96 - xlen).get(mnemonic)


def _alias_spelling(name: str, xlen: int = 64):
    """Assembler spellings from rvsim.isa.aliases (fmv.x.s, c.unimp, c.srli64...): the record with the
    alias's operand syntax and its fixed fields preset."""
    try:
        from ..isa import aliases
    except ImportError:                    # the alias table is optional
        return None
    import dataclasses
    for rules in _alias_index(aliases).get(name, ()):
        a = rules
        rec = _record(a.insn, xlen)
        if rec is None:
            continue
        names = [t for t in a.tokens if t not in ",()"]
        kinds = K.OPERAND_KINDS
        if any(n not in kinds and n not in XREGS for n in names) or len(set(names)) != len(names):
            continue
        if any(c.op != "=" for c in a.when):
            continue
        fixed = a.fixed_values()
        written = {n: kinds[n] for n in names if n in kinds}
        # `vs1=vs2`: the written operand's value also goes into the equal field's bits
        merged = set()
        for c in a.when:
            if c.other is None:
                continue
            src, dst = (c.other, c.kind) if c.other in written else (c.kind, c.other)
            if src not in written or dst in written or dst not in kinds:
                break
            written[src] = dataclasses.replace(written[src],
                                               slices=written[src].slices + kinds[dst].slices)
            merged.add(dst)
        else:
            if any(k in fixed for k in written):
                continue
            if {k.name for k in rec.all_operands} != set(written) | set(fixed) | merged:
                continue
            operands = tuple(written[n] for n in names if n in written)
            hidden = tuple(k for k in rec.all_operands if k.name not in set(written) | merged)
            spelled = dataclasses.replace(rec, syntax=a.syntax, operands=operands, hidden=hidden,
                                          tokens=tuple(a.tokens))
            return spelled, fixed
    return None


_ALIAS_INDEX: dict | None = None


def _alias_index(aliases):
    global _ALIAS_INDEX
    if _ALIAS_INDEX is None:
        _ALIAS_INDEX = {}
        for rules in [aliases.rules_for(r.mnemonic) for r in BY_MNEMONIC.values()]:
            for a in rules:
                if a.asm and a.mnemonic not in BY_MNEMONIC:
                    _ALIAS_INDEX.setdefault(a.mnemonic, []).append(a)
    return _ALIAS_INDEX


_alias_spelling.takes_xlen = True
MNEMONIC_RESOLVERS.append(_alias_spelling)


def _syntax_hint(insn: Instruction) -> str:
    return f"syntax: {insn.mnemonic} {insn.syntax.split(';')[0].strip()}".rstrip()


# ------------------------------------------------------------------------------------------------ encoders

class Encoder:
    """Parses the written operands of one record and builds its instruction word."""

    def __init__(self, insn: Instruction, preset: dict[str, int] | None = None, xlen: int = 64):
        self.insn = insn
        self.xlen = xlen
        self.mnemonic = insn.mnemonic
        self.preset = preset or {}
        base = insn.match
        for k in insn.hidden:
            if k.name in self.preset:
                base |= k.insert(self.preset[k.name])
        self.base = base
        self.slots = _slots(insn)
        self.nargs = len(self.slots)
        self.min_args = sum(1 for s in self.slots if not (s[0] == "kind" and s[1].role in OPTIONAL_ROLES))
        if any(s[0] == "kind" and s[1].role in VARIADIC_ROLES for s in self.slots):
            self.nargs = 1 << 30                       # checked by the parsers instead
        self.has_pcrel = any(k.role == K.PCREL for k in insn.operands)
        self.length = insn.length
        self.inserters = {k.name: _inserter(k) for k in insn.all_operands}
        self.steps = self._make_steps()
        from .compress import has_candidates
        self.compressible = insn.length == 4 and has_candidates(insn.mnemonic, xlen)
        self._exts_ok = None

    def enabled_in(self, exts) -> bool:
        """Whether the record's extensions are all in ``exts`` (cached for the last set asked)."""
        if self._exts_ok is not None and self._exts_ok[0] is exts:
            return self._exts_ok[1]
        ok = enabled(self.insn, exts)
        self._exts_ok = (exts, ok)
        return ok

    def count_error(self, n: int) -> StatementError:
        if self.nargs >= 1 << 30:
            want = f"at least {self.min_args}"
        else:
            want = (f"{self.min_args}" if self.min_args == self.nargs else f"{self.min_args} or {self.nargs}")
        return StatementError(
            f"`{self.mnemonic}` takes {want} operand{'s' if self.nargs != 1 else ''}, got {n}",
            _syntax_hint(self.insn), self.nargs if n > self.nargs else None)

    def parse(self, ctx, args) -> tuple[dict, list]:
        """Operand values by kind name, and the operands that need the linker (Deferred)."""
        n = len(args)
        if n != self.nargs and (n > self.nargs or n < self.min_args):
            raise self.count_error(n)
        values = dict(self.preset) if self.preset else {}
        deferred = []
        i = 0
        for fast, slow in self.steps:
            if i < n:
                j = fast(args[i], values)
                if j:
                    i += 1
                    continue
            i = slow(ctx, args, i, values, deferred, n)
        if i < n:
            raise self.count_error(n)
        return values, deferred

    def _make_steps(self):
        steps = []
        for slot in self.slots:
            steps.append((_fast_step(slot), self._slow_step(slot)))
        return tuple(steps)

    def _slow_step(self, slot):
        tag = slot[0]
        insn = self.insn
        if tag == "kind":
            kind = slot[1]
            parser = ROLE_PARSERS[kind.role]
            optional = kind.role in OPTIONAL_ROLES
            name = kind.name

            def step(ctx, args, i, values, deferred, n):
                if i >= n and not optional:
                    raise self.count_error(n)
                v, i = parser(ctx, args, i, kind, insn)
                if type(v) is int:
                    values[name] = v
                else:
                    deferred.append(v)
                return i
            return step
        if tag == "mem":
            off_kind, base = slot[1], slot[2]

            def step(ctx, args, i, values, deferred, n):
                if i >= n:
                    raise self.count_error(n)
                a = args[i]
                if type(a) is not tuple or a[0] != "m":
                    raise StatementError(
                        f"operand {i + 1} of `{self.mnemonic}` must be a memory operand "
                        f"`{'offset' if off_kind else ''}(register)`, not `{describe_arg(a)}`",
                        _syntax_hint(insn), i)
                self._base_register(ctx, a[2], base, values, i)
                off = a[1]
                if off_kind is None:
                    if off is not None and ctx.value(off, i) != 0:
                        raise StatementError(f"`{self.mnemonic}` takes no offset here, only (register)",
                                             _syntax_hint(insn), i)
                else:
                    v, _ = ROLE_PARSERS[off_kind.role](ctx, [0 if off is None else off], 0, off_kind, insn)
                    if type(v) is int:
                        values[off_kind.name] = v
                    else:
                        v.operand = i
                        deferred.append(v)
                return i + 1
            return step
        if tag == "litname":
            literal = slot[1]

            def step(ctx, args, i, values, deferred, n):
                if i >= n:
                    raise self.count_error(n)
                if args[i] != literal:
                    raise StatementError(f"operand {i + 1} of `{self.mnemonic}` must be {literal}, "
                                         f"not `{describe_arg(args[i])}`", _syntax_hint(insn), i)
                return i + 1
            return step
        reg = slot[1]

        def step(ctx, args, i, values, deferred, n):
            if i >= n:
                raise self.count_error(n)
            a = args[i]
            if not isinstance(a, str) or XREGS.get(a) != reg:
                raise StatementError(f"operand {i + 1} of `{self.mnemonic}` must be "
                                     f"{XREG_ABI[reg]}, not `{describe_arg(a)}`", _syntax_hint(insn), i)
            return i + 1
        return step

    def _base_register(self, ctx, a, base, values, i):
        if isinstance(base, int):
            if not isinstance(a, str) or XREGS.get(a) != base:
                raise StatementError(f"the base register of `{self.mnemonic}` must be {XREG_ABI[base]}",
                                     _syntax_hint(self.insn), i)
            return
        r = XREGS.get(a) if isinstance(a, str) else None
        if r is None:
            raise StatementError(f"the base of operand {i + 1} of `{self.mnemonic}` must be an integer "
                                 f"register, not `{describe_arg(a)}`", _syntax_hint(self.insn), i)
        values[base.name] = check_register(r, base, self.insn, i)

    def word(self, values: dict) -> int:
        w = self.base
        ins = self.inserters
        for name, v in values.items():
            f = ins.get(name)
            if f is not None:
                w |= f(v)
        return w


def _never(a, values):
    return False


def _limits(kind: K.OperandKind):
    lo, hi = kind.value_range()
    step = max(kind.scale, 1 << min(sl[2] for sl in kind.slices))
    return lo, hi, step


def _fast_step(slot):
    """A check for the common spelling of an operand (plain register, in-range number, imm(reg)) that
    stores its value and returns True; anything else (including every error) goes to the slow step."""
    tag = slot[0]
    if tag == "kind":
        kind = slot[1]
        name = kind.name
        if kind.role in (K.XREG, K.FREG) and not kind.offset and not kind.nonzero and kind.not_value is None:
            regs = REGISTER_FILES[kind.role]

            def fast(a, values):
                if type(a) is str:
                    r = regs.get(a)
                    if r is not None:
                        values[name] = r
                        return True
                return False
            return fast
        if kind.role in (K.IMM, K.UIMM) and not kind.nonzero and kind.name != "c_nzimm18":
            lo, hi, step = _limits(kind)

            def fast(a, values):
                if type(a) is int and lo <= a <= hi and (step == 1 or a % step == 0):
                    values[name] = a
                    return True
                return False
            return fast
        return _never
    if tag == "mem":
        off_kind, base = slot[1], slot[2]
        if off_kind is None or isinstance(base, int) or base.offset or base.nonzero:
            return _never
        lo, hi, step = _limits(off_kind)
        oname, bname = off_kind.name, base.name

        def fast(a, values):
            if type(a) is tuple and a[0] == "m":
                off = a[1]
                if off is None:
                    off = 0
                b = a[2]
                r = XREGS.get(b) if type(b) is str else None
                if r is not None and type(off) is int and lo <= off <= hi and (step == 1 or off % step == 0):
                    values[oname] = off
                    values[bname] = r
                    return True
            return False
        return fast
    return _never


def _inserter(kind: K.OperandKind):
    if len(kind.slices) == 1 and not kind.offset:
        hi, lo, vlo = kind.slices[0]
        if vlo == 0:
            mask = (1 << (hi - lo + 1)) - 1
            return lambda v: (v & mask) << lo
    parts = tuple((vlo, (1 << (hi - lo + 1)) - 1, lo) for hi, lo, vlo in kind.slices)
    off = kind.offset
    wmask = (1 << kind.width) - 1

    def insert(v):
        v = (v - off) & wmask
        w = 0
        for vlo, m, lo in parts:
            w |= ((v >> vlo) & m) << lo
        return w
    return insert


def _slots(insn: Instruction) -> list[tuple]:
    """Operand slots of a record's syntax: ('kind', k), ('mem', offset_kind|None, base_kind|regnum),
    ('lit', regnum)."""
    groups, cur = [], []
    for t in insn.tokens:
        if t == ",":
            groups.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        groups.append(cur)
    kinds = dict(K.OPERAND_KINDS)
    kinds.update((k.name, k) for k in insn.all_operands)
    slots = []
    for g in groups:
        if "(" in g:
            p = g.index("(")
            off = kinds[g[0]] if p == 1 else None
            b = g[p + 1]
            base = kinds[b] if b in kinds else XREGS[b]
            slots.append(("mem", off, base))
        elif g[0] in kinds:
            slots.append(("kind", kinds[g[0]]))
        elif g[0] in XREGS:
            slots.append(("lit", XREGS[g[0]]))
        else:
            slots.append(("litname", g[0]))     # a literal of another register file (v0 of vmerge)
    return slots


_ENCODERS: dict[tuple[str, int], Encoder | None] = {}


def encoder_for(mnemonic: str, xlen: int = 64) -> Encoder | None:
    """The (cached) encoder for a mnemonic on RV``xlen``, or None when no record or resolver knows it.
    A mnemonic of the other XLEN only (``ld`` on RV32) gets its record's encoder, which is not enabled."""
    key = (mnemonic, xlen)
    try:
        return _ENCODERS[key]
    except KeyError:
        pass
    rec = _record(mnemonic, xlen)
    enc = None
    if rec is not None:
        enc = Encoder(rec, xlen=xlen)
    else:
        for resolve in MNEMONIC_RESOLVERS:
            r = resolve(mnemonic, xlen) if getattr(resolve, "takes_xlen", False) else resolve(mnemonic)
            if r is not None:
                enc = Encoder(r[0], r[1], xlen=xlen)
                enc.mnemonic = mnemonic
                enc.compressible = False          # an alias spelling is encoded as written
                break
    _ENCODERS[key] = enc
    return enc
