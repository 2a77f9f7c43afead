"""Vector operand syntax for the assembler: vector registers, the ``v0.t`` mask and the ``vsetvli``
type immediate, registered through the encoder's role extension point (docs/assembler.md)."""
from __future__ import annotations

from rvsim.isa import operands as K

from .encoder import _immediate, register_role
from .errors import StatementError

SEW = {"e8": 0, "e16": 1, "e32": 2, "e64": 3}
LMUL = {"m1": 0, "m2": 1, "m4": 2, "m8": 3, "mf8": 5, "mf4": 6, "mf2": 7}
TAIL = {"tu": 0, "ta": 1}
MASK = {"mu": 0, "ma": 1}


def _mask_operand(ctx, args, i, kind, insn):
    """``v0.t`` masks the instruction (vm = 0); leaving it out means unmasked (vm = 1)."""
    if i < len(args) and args[i] == "v0.t":
        return 0, i + 1
    return 1, i


def _vtype_immediate(ctx, args, i, kind, insn):
    """``e32, m4, ta, ma`` as GNU as writes it (LMUL, tail and mask policies may be left out: m1, tu,
    mu), or a plain number."""
    a = args[i] if i < len(args) else None
    if not (isinstance(a, str) and a in SEW):
        if isinstance(a, str) and a.lower() in SEW:
            a = a.lower()
        else:
            return _immediate(ctx, args, i, kind, insn)
    value = SEW[a] << 3
    i += 1
    for table, shift in ((LMUL, 0), (TAIL, 6), (MASK, 7)):
        if i < len(args) and isinstance(args[i], str) and args[i] in table:
            value |= table[args[i]] << shift
            i += 1
    if i < len(args) and isinstance(args[i], str) and args[i] in {**LMUL, **TAIL, **MASK}:
        raise StatementError(f"`{args[i]}` is out of place in the vector type of `{insn.mnemonic}`",
                             "write e<SEW>, m<LMUL>, ta|tu, ma|mu in this order", i)
    return value, i


register_role(K.VREG, registers={f"v{n}": n for n in range(32)}, description="a vector register")
register_role(K.VM, _mask_operand, optional=True)
register_role(K.VTYPEI, _vtype_immediate, variadic=True)
