"""The extension point for new operand syntax (docs/assembler.md): a vector-like record with a register
role, an optional mask operand and a multi-operand vtype immediate assembles through the generic encoder.
The kinds and roles here have test-only names so they cannot clash with the real vector table."""
from __future__ import annotations

import pytest

from rvsim.asm.assembler import FileAssembler
from rvsim.asm.encoder import Encoder, register_role
from rvsim.asm.errors import StatementError
from rvsim.asm.parser import parse_line
from rvsim.isa.operands import OPERAND_KINDS, OperandKind
from rvsim.isa.table import Instruction

VD = OperandKind("tx_vd", "tx_vreg", ((11, 7, 0),))
VS2 = OperandKind("tx_vs2", "tx_vreg", ((24, 20, 0),))
VS1 = OperandKind("tx_vs1", "tx_vreg", ((19, 15, 0),))
VM = OperandKind("tx_vm", "tx_vm", ((25, 25, 0),))
VTYPEI = OperandKind("tx_vtypei", "tx_vtypei", ((30, 20, 0),))


def _mask(ctx, args, i, kind, insn):
    if i < len(args) and args[i] == "v0.t":
        return 0, i + 1
    return 1, i                                   # unmasked: nothing written


def _vtype(ctx, args, i, kind, insn):
    sew = {"e8": 0, "e16": 1, "e32": 2, "e64": 3}
    lmul = {"m1": 0, "m2": 1, "m4": 2, "m8": 3, "mf8": 5, "mf4": 6, "mf2": 7}
    names = args[i:i + 4]
    if len(names) != 4 or names[0] not in sew or names[1] not in lmul:
        raise StatementError("expected e<sew>, m<lmul>, ta|tu, ma|mu", operand=i)
    v = sew[names[0]] << 3 | lmul[names[1]] | (names[2] == "ta") << 6 | (names[3] == "ma") << 7
    return v, i + 4


register_role("tx_vreg", registers={f"v{n}": n for n in range(32)}, description="a vector register")
register_role("tx_vm", _mask, optional=True)
register_role("tx_vtypei", _vtype, variadic=True)

# Records built by hand (not registered in the global table or kind list).
VADD = Instruction("vadd.vv", "v", "tx_vd, tx_vs2, tx_vs1, tx_vm", 0x57, 0xFC00707F, 4, (VD, VS2, VS1, VM),
                   tokens=("tx_vd", ",", "tx_vs2", ",", "tx_vs1", ",", "tx_vm"))
VSETVLI = Instruction("vsetvli", "v", "rd, rs1, tx_vtypei", 0x7057, 0x8000707F, 4,
                      (OPERAND_KINDS["rd"], OPERAND_KINDS["rs1"], VTYPEI),
                      tokens=("rd", ",", "rs1", ",", "tx_vtypei"))


def encode(rec, line):
    fa = FileAssembler("t.s")
    values, deferred = Encoder(rec).parse(fa, parse_line(line)[0].args)
    assert not deferred
    return Encoder(rec).word(values)


def test_vector_like_syntax_through_registered_roles():
    # words as GNU as encodes them (vadd.vv v1,v2,v3[,v0.t]; vsetvli t0,a0,e32,m4,ta,ma)
    assert encode(VADD, "vadd.vv v1, v2, v3") == 0x022180D7
    assert encode(VADD, "vadd.vv v1, v2, v3, v0.t") == 0x002180D7
    assert encode(VSETVLI, "vsetvli t0, a0, e32, m4, ta, ma") == 0x0D2572D7


def test_registered_roles_report_errors():
    with pytest.raises(StatementError) as e:
        encode(VADD, "vadd.vv v1, x2, v3")
    assert "must be a vector register" in e.value.message and e.value.operand == 1
    with pytest.raises(StatementError):
        encode(VSETVLI, "vsetvli t0, a0, e33, m4, ta, ma")
