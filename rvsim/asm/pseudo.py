"""Pseudo-instructions (the RISC-V assembly manual's list, as GNU as expands them).

Each handler gets the assembler, the operand trees and the table encoder of the same mnemonic when one
exists (``jalr``, ``jal``, ``fence``, loads and stores also have real forms: the handler falls back to it).
Expansions were checked against GNU as 2.40 (tests/test_asm_pseudo.py).
"""
from __future__ import annotations

from ..isa import enabled
from ..isa import operands as K
from .encoder import FREGS, XREGS, Deferred, describe_arg, encoder_for
from .errors import StatementError
from .statement import wrap64


# ------------------------------------------------------------------------------------------------ helpers

def xreg(args, i, mn):
    if i >= len(args):
        raise StatementError(f"`{mn}` is missing operand {i + 1}", operand=i)
    a = args[i]
    r = XREGS.get(a) if isinstance(a, str) else None
    if r is None:
        raise StatementError(f"operand {i + 1} of `{mn}` must be an integer register, not `{describe_arg(a)}`",
                             operand=i)
    return r


def freg(args, i, mn):
    if i >= len(args):
        raise StatementError(f"`{mn}` is missing operand {i + 1}", operand=i)
    a = args[i]
    r = FREGS.get(a) if isinstance(a, str) else None
    if r is None:
        raise StatementError(f"operand {i + 1} of `{mn}` must be a floating-point register, "
                             f"not `{describe_arg(a)}`", operand=i)
    return r


def count(args, n, mn, syntax):
    if len(args) not in (n if isinstance(n, tuple) else (n,)):
        want = " or ".join(str(x) for x in n) if isinstance(n, tuple) else str(n)
        raise StatementError(f"`{mn}` takes {want} operand{'s' if want != '1' else ''}, got {len(args)}",
                             f"syntax: {mn} {syntax}", len(args) if len(args) > max(
                                 n if isinstance(n, tuple) else (n,)) else None)


def emit(asm, mn, values, compressible=True, deferred=(), allow_nop=True):
    enc = encoder_for(mn, asm.xlen)
    asm.check_enabled(enc)
    asm.emit_word(enc, values, list(deferred), compressible, allow_nop)


def _pseudo_table(rows):
    """Simple pseudos: name -> (operand pattern, base mnemonic, operand mapping)."""
    out = {}
    for name, pattern, base, mapping in rows:
        out[name] = (pattern, base, mapping)
    return out


# ------------------------------------------------------------------------------------------------ li

def _sext(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def li_sequence(rd: int, value: int, xlen: int = 64) -> list[tuple[str, dict]]:
    """The instructions GNU as emits for ``li rd, value`` (before compression)."""
    value = wrap64(value)
    if -2048 <= value < 2048:
        return [("addi", {"rd": rd, "rs1": 0, "imm_i": value})]
    if xlen == 32:
        return _load_const32(rd, value)
    out: list[tuple[str, dict]] = []
    _load_const(rd, value, out)
    return out


def _load_const32(rd, v):
    """GNU as on RV32: a constant whose upper 32 bits are all zeros or all ones is taken as its low 32
    bits, sign-extended (0xffffffff is -1); any other constant keeps its 64-bit value, and lui gets the
    low 32 bits of its upper part (so 0x100000000 becomes lui rd, 0: GNU's arithmetic, kept)."""
    if v >> 32 in (0, -1):
        v = _sext(v, 32)
    lo = _sext(v, 12)
    hi = wrap64(v - lo)
    out: list[tuple[str, dict]] = []
    src = 0
    if hi:
        out.append(("lui", {"rd": rd, "imm_u": (hi >> 12) & 0xFFFFF}))
        src = rd
    if lo or not src:
        out.append(("addi", {"rd": rd, "rs1": src, "imm_i": lo}))
    return out


def _load_const(rd, v, out):
    lo = _sext(v, 12)
    hi = wrap64(v - lo)
    if _sext(v, 32) != v:
        # Not a sign-extended 32-bit value: build hi >> shift (shift = its trailing zeros, at least 12),
        # shift it into place and add the low 12 bits.
        shift = 12
        while not (hi >> shift) & 1:
            shift += 1
        _load_const(rd, hi >> shift, out)
        out.append(("slli", {"rd": rd, "rs1": rd, "shamt6": shift}))
        if lo:
            out.append(("addi", {"rd": rd, "rs1": rd, "imm_i": lo}))
        return
    src = 0
    if hi:
        out.append(("lui", {"rd": rd, "imm_u": (hi >> 12) & 0xFFFFF}))
        src = rd
    if lo or not src:
        out.append(("addiw", {"rd": rd, "rs1": src, "imm_i": lo}))


def p_li(asm, args, enc):
    count(args, 2, "li", "rd, constant")
    rd = xreg(args, 0, "li")
    v = asm.const(args[1], 1, "a constant")
    emit_li(asm, rd, v)


def emit_li(asm, rd, v):
    seq = li_sequence(rd, v, asm.xlen)
    if asm.xlen == 32 and not -2048 <= wrap64(v) < 2048:
        # GNU as 2.40 on RV32, for a constant written outside addi's range: an addi alone stays 32-bit
        # (li a0, 0xffffffff is addi a0, zero, -1, not c.li), one after a lui compresses, to c.nop too
        for mn, values in seq:
            if mn == "lui":
                emit(asm, mn, values, allow_nop=False)
            else:
                emit(asm, mn, values, compressible=len(seq) > 1)
        return
    for mn, values in seq:
        emit(asm, mn, values, allow_nop=False)


# ------------------------------------------------------------------------------------------------ addresses

def _target(asm, args, i):
    a = args[i]
    if isinstance(a, str) and a in XREGS:
        raise StatementError(f"operand {i + 1} must be a symbol, not register `{a}`", operand=i)
    if type(a) is tuple and a[0] in ("m", "s", "f", "r"):
        raise StatementError(f"operand {i + 1} must be a symbol or address, not `{describe_arg(a)}`",
                             operand=i)
    return asm.value(asm.bind(a), i)


def pcrel_pair(asm, temp, target, second, values, lo_kind, operand, compressible_hi=False, hi="pcrel_hi"):
    """auipc temp, %pcrel_hi(target); <second> with %pcrel_lo of that auipc (``hi="got_pcrel_hi"``:
    the auipc addresses target's GOT entry instead)."""
    auipc = encoder_for("auipc", asm.xlen)
    here = asm.here()
    asm.emit_word(auipc, {"rd": temp}, [Deferred(auipc.insn.operands[1], target, hi, operand)])
    enc = encoder_for(second, asm.xlen)
    asm.check_enabled(enc)
    kind = next(k for k in enc.insn.operands if k.name == lo_kind)
    asm.emit_word(enc, values, [Deferred(kind, here, "pcrel_lo", operand)])


def p_lla(asm, args, enc, name="lla"):
    count(args, 2, name, "rd, symbol")
    rd = xreg(args, 0, name)
    t = _target(asm, args, 1)
    if type(t) is int:
        emit_li(asm, rd, t)
        return
    pcrel_pair(asm, rd, t, "addi", {"rd": rd, "rs1": rd}, "imm_i", 1)


def p_la(asm, args, enc):
    """la: lla, or under `.option pic` a load of the address from the global offset table (as GNU as)."""
    if not asm.pic:
        p_lla(asm, args, enc, "la")
        return
    count(args, 2, "la", "rd, symbol")
    rd = xreg(args, 0, "la")
    t = _target(asm, args, 1)
    if type(t) is int:
        emit_li(asm, rd, t)
        return
    pcrel_pair(asm, rd, t, "ld" if asm.xlen == 64 else "lw", {"rd": rd, "rs1": rd}, "imm_i", 1,
               hi="got_pcrel_hi")


def p_call(asm, args, enc, name="call"):
    count(args, (1, 2), name, "[rd,] symbol")
    if len(args) == 2:
        rd, temp = xreg(args, 0, name), 6
    else:
        rd = temp = 1
    t = _target(asm, args, len(args) - 1)
    pcrel_pair(asm, temp, t, "jalr", {"rd": rd, "rs1": temp}, "imm_i", len(args) - 1)


def p_tail(asm, args, enc):
    count(args, 1, "tail", "symbol")
    t = _target(asm, args, 0)
    pcrel_pair(asm, 6, t, "jalr", {"rd": 0, "rs1": 6}, "imm_i", 0)


def p_jump(asm, args, enc):
    count(args, 2, "jump", "symbol, temp")
    temp = xreg(args, 1, "jump")
    t = _target(asm, args, 0)
    pcrel_pair(asm, temp, t, "jalr", {"rd": 0, "rs1": temp}, "imm_i", 0)


def load_store(asm, args, enc):
    """lw rd, symbol / sw rs, symbol, temp / flw fd, symbol, temp — or the plain table form."""
    insn = enc.insn
    is_store = insn.operands[0].name in ("rs2", "fs2")
    if len(args) >= 2 and type(args[1]) is tuple and args[1][0] == "m" or len(args) < 2:
        values, deferred = enc.parse(asm, args)
        asm.check_enabled(enc)
        asm.emit_word(enc, values, deferred)
        return
    asm.check_enabled(enc)
    mn = insn.mnemonic
    reg_kind = insn.operands[0]
    reg = (freg if reg_kind.role == K.FREG else xreg)(args, 0, mn)
    fp = reg_kind.role == K.FREG
    if is_store or fp and not is_store and len(args) == 3:
        count(args, 3, mn, f"{'rs' if not fp else 'fs'}, symbol, temp")
        temp = xreg(args, 2, mn)
    else:
        count(args, 2, mn, "rd, symbol")
        temp = reg
    t = _target(asm, args, 1)
    mem = insn.operands[1]
    base = next(k for k in insn.operands if k.name == "rs1")
    values = {reg_kind.name: reg, base.name: temp}
    pcrel_pair(asm, temp, t, mn, values, mem.name, 1)


# ------------------------------------------------------------------------------------------------ jumps

def p_j(asm, args, enc):
    count(args, 1, "j", "label")
    jal = encoder_for("jal", asm.xlen)
    t = _target(asm, args, 0)
    d = Deferred(jal.insn.operands[1], t, "pcrel", 0)
    asm.emit_branch(jal, {"rd": 0}, [d], kind="j")


def p_jal(asm, args, enc):
    if len(args) == 1:
        t = _target(asm, args, 0)
        asm.emit_word(enc, {"rd": 1}, [Deferred(enc.insn.operands[1], t, "pcrel", 0)])
        return
    values, deferred = enc.parse(asm, args)
    asm.emit_word(enc, values, deferred)


def _jalr_like(asm, args, rd, mn, allow_compress):
    """jr/jalr operand forms: rs | rs, imm | imm(rs)."""
    if len(args) == 1 and type(args[0]) is tuple and args[0][0] == "m":
        rs = xreg([args[0][2]], 0, mn)
        off = 0 if args[0][1] is None else args[0][1]
        imm = asm.const(off, 0, "an offset")
    elif len(args) == 1:
        rs, imm = xreg(args, 0, mn), 0
    elif len(args) == 2:
        rs, imm = xreg(args, 0, mn), asm.const(args[1], 1, "an offset")
    else:
        count(args, (1, 2), mn, "rs  |  rs, offset  |  offset(rs)")
    enc = encoder_for("jalr", asm.xlen)
    from .encoder import check_immediate
    check_immediate(imm, K.OPERAND_KINDS["imm_i"], enc.insn, 0)
    asm.emit_word(enc, {"rd": rd, "rs1": rs, "imm_i": imm}, [], compressible="jump" if allow_compress else False)


def p_jr(asm, args, enc):
    _jalr_like(asm, args, 0, "jr", True)


def p_ret(asm, args, enc):
    count(args, 0, "ret", "")
    asm.emit_word(encoder_for("jalr", asm.xlen), {"rd": 0, "rs1": 1, "imm_i": 0}, [], compressible="jump")


def p_jalr(asm, args, enc):
    if len(args) == 1:
        _jalr_like(asm, args, 1, "jalr", True)
        return
    if len(args) == 2:
        _jalr_like(asm, [args[1]], xreg(args, 0, "jalr"), "jalr", False)
        return
    if len(args) == 3 and not (type(args[1]) is tuple and args[1][0] == "m"):   # jalr rd, rs1, imm
        _jalr_like(asm, args[1:], xreg(args, 0, "jalr"), "jalr", False)
        return
    values, deferred = enc.parse(asm, args)
    asm.emit_word(enc, values, deferred, compressible=False)


# ------------------------------------------------------------------------------------------------ simple

def _simple(base, pattern, build, syntax, compressible=True):
    """A pseudo that maps its operands onto one base instruction."""
    def handler(asm, args, enc, _name=None):
        mn = handler.name
        count(args, len(pattern), mn, syntax)
        regs = [(xreg if p == "x" else freg)(args, i, mn) for i, p in enumerate(pattern)]
        emit(asm, base, build(*regs), compressible)
    handler.name = ""
    return handler


def _branch_zero(base, swap):
    def handler(asm, args, enc):
        mn = handler.name
        count(args, 2, mn, "rs, label")
        rs = xreg(args, 0, mn)
        t = _target(asm, args, 1)
        b = encoder_for(base, asm.xlen)
        values = {"rs1": 0, "rs2": rs} if swap else {"rs1": rs, "rs2": 0}
        asm.emit_word(b, values, [Deferred(b.insn.operands[2], t, "pcrel", 1)])
    handler.name = ""
    return handler


def _branch_swap(base):
    def handler(asm, args, enc):
        mn = handler.name
        count(args, 3, mn, "rs, rt, label")
        rs, rt = xreg(args, 0, mn), xreg(args, 1, mn)
        t = _target(asm, args, 2)
        b = encoder_for(base, asm.xlen)
        asm.emit_word(b, {"rs1": rt, "rs2": rs}, [Deferred(b.insn.operands[2], t, "pcrel", 2)])
    handler.name = ""
    return handler


def p_nop(asm, args, enc):
    count(args, 0, "nop", "")
    emit(asm, "addi", {"rd": 0, "rs1": 0, "imm_i": 0})


def _zbb_or(expansion):
    """sext.b/sext.h/zext.h: the Zbb instruction when enabled, else GNU's two-shift expansion."""
    def handler(asm, args, enc):
        mn = handler.name
        if enc is not None and enabled(enc.insn, asm.exts):
            values, deferred = enc.parse(asm, args)
            asm.emit_word(enc, values, deferred)
            return
        count(args, 2, mn, "rd, rs")
        rd, rs = xreg(args, 0, mn), xreg(args, 1, mn)
        expansion(asm, rd, rs)
    handler.name = ""
    return handler


def _shift_pair(left, right, n):
    """Two shifts by the register width less ``n`` bits (sext.b: 56 on RV64, 24 on RV32)."""
    def f(asm, rd, rs):
        amount = asm.xlen - n
        shamt = "shamt6" if asm.xlen == 64 else "shamt5"
        emit(asm, left, {"rd": rd, "rs1": rs, shamt: amount})
        emit(asm, right, {"rd": rd, "rs1": rd, shamt: amount})
    return f


def p_zext_w(asm, args, enc):
    count(args, 2, "zext.w", "rd, rs")
    rd, rs = xreg(args, 0, "zext.w"), xreg(args, 1, "zext.w")
    if "zba" in asm.exts:
        emit(asm, "add.uw", {"rd": rd, "rs1": rs, "rs2": 0})
    else:
        if asm.xlen == 32:
            raise asm.not_enabled(encoder_for("add.uw", asm.xlen))
        _shift_pair("slli", "srli", 32)(asm, rd, rs)


def _csr_operand(asm, args, i, mn):
    from .encoder import _csr
    return _csr(asm, args, i, K.OPERAND_KINDS["csr"], encoder_for("csrrs", asm.xlen).insn)[0]


def _csr_pseudo(base, has_rd, has_src, imm=False):
    def handler(asm, args, enc):
        mn = handler.name
        n = 1 + has_rd + has_src
        count(args, n, mn, ("rd, " if has_rd else "") + "csr" + (", imm" if imm else ", rs" if has_src else ""))
        i = 0
        values = {"rd": 0}
        if has_rd:
            values["rd"] = xreg(args, 0, mn)
            i = 1
        values["csr"] = _csr_operand(asm, args, i, mn)
        op, use_imm = base, imm
        if has_src:
            # GNU as turns `csrs CSR, IMM` (and `csrrs rd, CSR, IMM`...) into the immediate form
            if not imm and not (isinstance(args[i + 1], str) and args[i + 1] in XREGS):
                op, use_imm = base + "i", True
            if use_imm:
                e = encoder_for(op, asm.xlen)
                from .encoder import check_immediate
                values["zimm5"] = check_immediate(asm.const(args[i + 1], i + 1), K.OPERAND_KINDS["zimm5"],
                                                  e.insn, i + 1)
            else:
                values["rs1"] = xreg(args, i + 1, mn)
        else:
            values["rs1"] = 0
        emit(asm, op, values)
    handler.name = ""
    return handler


def _fixed_csr(base, csr, imm=False, read=None):
    """frcsr/fscsr/frrm/fsrm/frflags/fsflags(+i), rdcycle...: fixed CSR, optional rd."""
    def handler(asm, args, enc):
        mn = handler.name
        values = {"csr": csr, "rd": 0, "rs1": 0}
        if read == "only":
            count(args, 1, mn, "rd")
            values["rd"] = xreg(args, 0, mn)
        else:
            count(args, (1, 2), mn, ("[rd,] imm" if imm else "[rd,] rs"))
            i = 0
            if len(args) == 2:
                values["rd"] = xreg(args, 0, mn)
                i = 1
            if imm:
                e = encoder_for(base, asm.xlen)
                from .encoder import check_immediate
                values["zimm5"] = check_immediate(asm.const(args[i], i), K.OPERAND_KINDS["zimm5"], e.insn, i)
                values.pop("rs1")
            else:
                values["rs1"] = xreg(args, i, mn)
        emit(asm, base, values)
    handler.name = ""
    return handler


def p_fence(asm, args, enc):
    if not args:
        emit(asm, "fence", {"pred": 15, "succ": 15})
        return
    values, deferred = enc.parse(asm, args)
    asm.emit_word(enc, values, deferred)


def p_fence_tso(asm, args, enc):
    count(args, 0, "fence.tso", "")
    e = encoder_for("fence", asm.xlen)
    asm.check_enabled(e)
    asm.record_line()
    asm.data += (e.word({"pred": 3, "succ": 3}) | (0b1000 << 28)).to_bytes(4, "little")


def p_unimp(asm, args, enc):
    count(args, 0, "unimp", "")
    asm.record_line()
    if asm.rvc:
        asm.data += b"\0\0"                     # c.unimp
    else:
        asm.data += (0xC0001073).to_bytes(4, "little")   # csrrw zero, cycle, zero


def p_pause(asm, args, enc):
    count(args, 0, "pause", "")
    emit(asm, "fence", {"pred": 1, "succ": 0})


def _fp_unary(kind, suffix):
    base = {"mv": "fsgnj", "neg": "fsgnjn", "abs": "fsgnjx"}[kind] + "." + suffix
    return _simple(base, "ff", lambda d, s: {"fd": d, "fs1": s, "fs2": s}, "fd, fs")


PSEUDOS: dict = {
    "li": p_li, "la": p_la, "lla": p_lla, "call": p_call, "tail": p_tail, "jump": p_jump,
    "j": p_j, "jal": p_jal, "jr": p_jr, "jalr": p_jalr, "ret": p_ret, "nop": p_nop,
    "fence": p_fence, "fence.tso": p_fence_tso, "pause": p_pause, "unimp": p_unimp,
    "mv": _simple("addi", "xx", lambda d, s: {"rd": d, "rs1": s, "imm_i": 0}, "rd, rs", "c.mv"),
    "not": _simple("xori", "xx", lambda d, s: {"rd": d, "rs1": s, "imm_i": -1}, "rd, rs"),
    "neg": _simple("sub", "xx", lambda d, s: {"rd": d, "rs1": 0, "rs2": s}, "rd, rs"),
    "negw": _simple("subw", "xx", lambda d, s: {"rd": d, "rs1": 0, "rs2": s}, "rd, rs"),
    "sext.w": _simple("addiw", "xx", lambda d, s: {"rd": d, "rs1": s, "imm_i": 0}, "rd, rs"),
    "zext.b": _simple("andi", "xx", lambda d, s: {"rd": d, "rs1": s, "imm_i": 255}, "rd, rs"),
    "zext.w": p_zext_w,
    "zext.h": _zbb_or(_shift_pair("slli", "srli", 16)),
    "sext.b": _zbb_or(_shift_pair("slli", "srai", 8)),
    "sext.h": _zbb_or(_shift_pair("slli", "srai", 16)),
    "seqz": _simple("sltiu", "xx", lambda d, s: {"rd": d, "rs1": s, "imm_i": 1}, "rd, rs"),
    "snez": _simple("sltu", "xx", lambda d, s: {"rd": d, "rs1": 0, "rs2": s}, "rd, rs"),
    "sltz": _simple("slt", "xx", lambda d, s: {"rd": d, "rs1": s, "rs2": 0}, "rd, rs"),
    "sgtz": _simple("slt", "xx", lambda d, s: {"rd": d, "rs1": 0, "rs2": s}, "rd, rs"),
    "beqz": _branch_zero("beq", False), "bnez": _branch_zero("bne", False),
    "blez": _branch_zero("bge", True), "bgez": _branch_zero("bge", False),
    "bltz": _branch_zero("blt", False), "bgtz": _branch_zero("blt", True),
    "bgt": _branch_swap("blt"), "ble": _branch_swap("bge"),
    "bgtu": _branch_swap("bltu"), "bleu": _branch_swap("bgeu"),
    "csrr": _csr_pseudo("csrrs", True, False),
    "csrrw": _csr_pseudo("csrrw", True, True), "csrrs": _csr_pseudo("csrrs", True, True),
    "csrrc": _csr_pseudo("csrrc", True, True),
    "csrw": _csr_pseudo("csrrw", False, True), "csrs": _csr_pseudo("csrrs", False, True),
    "csrc": _csr_pseudo("csrrc", False, True),
    "csrwi": _csr_pseudo("csrrwi", False, True, True), "csrsi": _csr_pseudo("csrrsi", False, True, True),
    "csrci": _csr_pseudo("csrrci", False, True, True),
    "frcsr": _fixed_csr("csrrs", 3, read="only"), "fscsr": _fixed_csr("csrrw", 3),
    "frrm": _fixed_csr("csrrs", 2, read="only"), "fsrm": _fixed_csr("csrrw", 2),
    "fsrmi": _fixed_csr("csrrwi", 2, imm=True),
    "frflags": _fixed_csr("csrrs", 1, read="only"), "fsflags": _fixed_csr("csrrw", 1),
    "fsflagsi": _fixed_csr("csrrwi", 1, imm=True),
    "rdcycle": _fixed_csr("csrrs", 0xC00, read="only"), "rdtime": _fixed_csr("csrrs", 0xC01, read="only"),
    "rdinstret": _fixed_csr("csrrs", 0xC02, read="only"),
}
for _sfx in ("s", "d", "h"):
    for _k in ("mv", "neg", "abs"):
        PSEUDOS[f"f{_k}.{_sfx}"] = _fp_unary(_k, _sfx)
    # fgt/fge: flt/fle with the operands swapped
    PSEUDOS[f"fgt.{_sfx}"] = _simple(f"flt.{_sfx}", "xff", lambda d, a, b: {"rd": d, "fs1": b, "fs2": a},
                                     "rd, fs1, fs2")
    PSEUDOS[f"fge.{_sfx}"] = _simple(f"fle.{_sfx}", "xff", lambda d, a, b: {"rd": d, "fs1": b, "fs2": a},
                                     "rd, fs1, fs2")
for _mn in ("lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", "sb", "sh", "sw", "sd",
            "flw", "fld", "flh", "fsw", "fsd", "fsh"):
    PSEUDOS[_mn] = load_store
# ------------------------------------------------------------------------------------------------ vector

def vreg(args, i, mn):
    if i >= len(args):
        raise StatementError(f"`{mn}` is missing operand {i + 1}", operand=i)
    a = args[i]
    if not (isinstance(a, str) and a.startswith("v") and a[1:].isdigit() and int(a[1:]) < 32):
        raise StatementError(f"operand {i + 1} of `{mn}` must be a vector register, not `{describe_arg(a)}`",
                             operand=i)
    return int(a[1:])


def _masked(args, i):
    """(vm bit, index after it): an optional `v0.t` operand at ``i``."""
    if i < len(args) and args[i] == "v0.t":
        return 0, i + 1
    return 1, i


def _vcompare_immediate(base, zero_form):
    """vmslt{u}.vi / vmsge{u}.vi: GNU rewrites `< i` as `<= i-1` and `>= i` as `> i-1`; an unsigned
    compare with 0 has no such immediate and becomes vmsne.vv / vmseq.vv of a register with itself."""
    unsigned = base.endswith("u.vi")

    def handler(asm, args, enc):
        mn = handler.name
        count(args, (3, 4), mn, "vd, vs2, imm[, v0.t]")
        vd, vs2 = vreg(args, 0, mn), vreg(args, 1, mn)
        imm = asm.const(args[2], 2, "an immediate")
        vm, end = _masked(args, 3)
        if end != len(args):
            raise StatementError(f"operand {end + 1} of `{mn}` must be v0.t", operand=end)
        if unsigned and imm == 0:
            emit(asm, zero_form, {"vd": vd, "vs2": vs2, "vs1": vs2, "vm": vm})
            return
        if not (-15 <= imm <= 16):
            raise StatementError(f"immediate {imm} out of range for `{mn}`", "allowed range is -15..16",
                                 2)
        emit(asm, base, {"vd": vd, "vs2": vs2, "simm5": imm - 1, "vm": vm})
    handler.name = ""
    return handler


def _vmsge_vx(less_than):
    """vmsge{u}.vx: GNU's expansions through vmslt{u}.vx and mask logic (the RVV spec's sequences)."""
    def handler(asm, args, enc):
        mn = handler.name
        count(args, (3, 4, 5), mn, "vd, vs2, rs1[, v0.t[, vt]]")
        vd, vs2, rs1 = vreg(args, 0, mn), vreg(args, 1, mn), xreg(args, 2, mn)
        vm, end = _masked(args, 3)
        temp = vreg(args, end, mn) if end < len(args) else None
        if vm and temp is None and end == len(args):                  # unmasked
            emit(asm, less_than, {"vd": vd, "vs2": vs2, "rs1": rs1, "vm": 1})
            emit(asm, "vmnand.mm", {"vd": vd, "vs2": vd, "vs1": vd})
        elif not vm and temp is None:                                  # masked, vd != v0
            if vd == 0:
                raise StatementError(f"`{mn}` with v0.t and vd = v0 needs a temporary register",
                                     f"syntax: {mn} vd, vs2, rs1, v0.t, vt", 0)
            emit(asm, less_than, {"vd": vd, "vs2": vs2, "rs1": rs1, "vm": 0})
            emit(asm, "vmxor.mm", {"vd": vd, "vs2": vd, "vs1": 0})
        elif not vm and vd == 0:                                       # masked, vd = v0, with a temporary
            emit(asm, less_than, {"vd": temp, "vs2": vs2, "rs1": rs1, "vm": 0})
            emit(asm, "vmandn.mm", {"vd": vd, "vs2": vd, "vs1": temp})
        elif not vm:                                                   # masked, any vd, with a temporary
            emit(asm, less_than, {"vd": temp, "vs2": vs2, "rs1": rs1, "vm": 0})
            emit(asm, "vmandn.mm", {"vd": temp, "vs2": 0, "vs1": temp})
            emit(asm, "vmandn.mm", {"vd": vd, "vs2": vd, "vs1": 0})
            emit(asm, "vmor.mm", {"vd": vd, "vs2": temp, "vs1": vd})
        else:
            raise StatementError(f"operand {end + 1} of `{mn}` must be v0.t", operand=end)
    handler.name = ""
    return handler


PSEUDOS.update({
    "vmslt.vi": _vcompare_immediate("vmsle.vi", None),
    "vmsltu.vi": _vcompare_immediate("vmsleu.vi", "vmsne.vv"),
    "vmsge.vi": _vcompare_immediate("vmsgt.vi", None),
    "vmsgeu.vi": _vcompare_immediate("vmsgtu.vi", "vmseq.vv"),
    "vmsge.vx": _vmsge_vx("vmslt.vx"),
    "vmsgeu.vx": _vmsge_vx("vmsltu.vx"),
})


for _name, _h in PSEUDOS.items():
    if hasattr(_h, "name"):
        _h.name = _name
