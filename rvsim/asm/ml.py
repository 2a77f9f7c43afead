"""Operand syntax of the ML extensions (rvsim.isa.ml): matrix tiles ``mt0``..``mt15`` and the
``msetmtypei`` immediate ``e8[alt], w4``, registered through the encoder's role extension point."""
from __future__ import annotations

from rvsim.isa import ml as K

from .encoder import _immediate, register_role
from .errors import StatementError

TILES = {f"mt{n}": n for n in range(16)}
SEW = {"e8": 0, "e16": 1, "e32": 2, "e64": 3}
TWIDEN = {"w0": 0, "w1": 1, "w2": 2, "w4": 3}    # mtype.mtwiden: TWIDEN = 1 << (mtwiden - 1), 0 = off


def _tile(ctx, args, i, kind, insn):
    a = args[i] if i < len(args) else None
    t = TILES.get(a.lower()) if isinstance(a, str) else None
    if t is None:
        raise StatementError(f"operand {i + 1} of `{insn.mnemonic}` must be a matrix tile (mt0..mt15)",
                             f"write `{insn.mnemonic} {insn.syntax}`", i)
    step = 1 << min(s[2] for s in kind.slices)
    if t % step:
        raise StatementError(f"`{insn.mnemonic}` cannot name tile mt{t}",
                             "its tile field holds even tiles only (mt0, mt2, ..., mt14)", i)
    return t, i + 1


def _mtype_immediate(ctx, args, i, kind, insn):
    """``e8alt, w4``: SEW (with ``alt`` for altfmt = 1) then TWIDEN (0 leaves the matrix unit off);
    a plain number is taken as the packed field value."""
    a = args[i] if i < len(args) else None
    if not isinstance(a, str):
        return _immediate(ctx, args, i, kind, insn)
    name = a.lower()
    alt = name.endswith("alt")
    sew = SEW.get(name[:-3] if alt else name)
    if sew is None:
        raise StatementError(f"`{a}` is not an element width for `{insn.mnemonic}`",
                             "write e8, e16, e32 or e64, with `alt` appended for altfmt (e8alt)", i)
    b = args[i + 1] if i + 1 < len(args) else None
    widen = TWIDEN.get(b.lower()) if isinstance(b, str) else None
    if widen is None:
        raise StatementError(f"`{insn.mnemonic}` needs the widening after the element width",
                             "write w0, w1, w2 or w4 (e.g. `msetmtypei e8alt, w4`)", i + 1)
    return widen | sew << 2 | int(alt) << 4, i + 2


register_role(K.TREG, _tile)
register_role(K.MTYPEI, _mtype_immediate, variadic=True)
