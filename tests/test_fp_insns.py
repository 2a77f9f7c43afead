"""Scalar floating-point instructions (F, D, Zfh, Zfhmin, Zfbfmin) executed by the machine, one at a
time, against an instruction-level model built on the exact Python reference (tests/reference/fp.py).

Each example encodes one instruction from the ISA table, places it at the window base, fills the
register files, frm and fflags, executes one step and compares every integer and FP register, fflags,
mstatus.FS and (for a reserved rounding mode) the illegal-instruction trap with the model.  The model
follows the spec text (f-st-ext, d-st-ext, zfh, zfbfmin): NaN-boxing of narrow operands and results,
rm/frm selection and reserved modes, the fused multiply-add sign rules, transfers that move bits
unchanged, and fflags accrual.

Operands are biased towards the values where floating point goes wrong.  Both execution paths of the
core are covered: RNE single/double arithmetic runs on the host FPU, every other mode in softfloat.

More examples: FP_EXAMPLES=500 python -m pytest -q tests/test_fp_insns.py
"""
from __future__ import annotations

import os
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reference import fp

pytest.importorskip("rvsim._core", reason="the C extension is not built (python setup.py build_ext --inplace)")

from rvsim import isa  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402
from rvsim.testing import strategies as testing_strategies  # noqa: E402

TOOLKIT_FORMAT = {"bf16": "bf16", "f16": "h", "f32": "s", "f64": "d"}   # reference name -> toolkit name

EXAMPLES = int(os.environ.get("FP_EXAMPLES", "30"))
examples = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

ISA = "rv64gc_zfh_zfbfmin"
M64 = (1 << 64) - 1
MSTATUS_FS = 3 << 13
FS_INITIAL, FS_DIRTY = 1 << 13, 3 << 13
ILLEGAL_INSTRUCTION = 2

FORMAT_OF = {"s": fp.F32, "d": fp.F64, "h": fp.F16, "bf16": fp.BF16}
INT_KINDS = {"w": (32, False), "wu": (32, True), "l": (64, False), "lu": (64, True)}
FP_EXTENSIONS = {"f", "d", "zfh", "zfhmin", "zfbfmin"}


def width(fmt):
    return fp.FORMATS[fmt].width


# ---- the instruction-level model -------------------------------------------------------------------

def unbox(fmt, reg):
    """The operand a non-transfer instruction sees: NaN-boxing checked (spec: nanboxing)."""
    w = width(fmt)
    if w == 64:
        return reg
    if reg >> w == (1 << (64 - w)) - 1:
        return reg & ((1 << w) - 1)
    return fp.canonical_nan(fmt)


def box(fmt, bits):
    w = width(fmt)
    return bits if w == 64 else (M64 ^ ((1 << w) - 1)) | (bits & ((1 << w) - 1))


def negate(fmt, bits):
    return bits ^ (1 << (width(fmt) - 1))


def sign_extend(value, bits):
    value &= (1 << bits) - 1
    return (value - (1 << bits) if value >> (bits - 1) else value) & M64


class Outcome:
    """What one instruction should do: write an f or x register (or nothing), accrue flags, or trap."""

    def __init__(self, freg=None, xreg=None, flags=0, trap=False):
        self.freg, self.xreg, self.flags, self.trap = freg, xreg, flags, trap


def model(insn, ops, f, x, frm):
    """Outcome of executing `insn` with operand values `ops` on register files f, x."""
    mn = insn.mnemonic
    name, *sfx = mn.split(".")
    if "rm" in ops:
        rm = frm if ops["rm"] == 7 else ops["rm"]
        if rm not in fp.ROUNDING_MODES:
            return Outcome(trap=True)
    fs = [f[ops[k]] if k in ops else None for k in ("fs1", "fs2", "fs3")]

    if name in ("fadd", "fsub", "fmul", "fdiv"):
        fmt = FORMAT_OF[sfx[0]]
        r, fl = getattr(fp, name[1:])(fmt, unbox(fmt, fs[0]), unbox(fmt, fs[1]), rm)
        return Outcome(freg=box(fmt, r), flags=fl)
    if name == "fsqrt":
        fmt = FORMAT_OF[sfx[0]]
        r, fl = fp.sqrt(fmt, unbox(fmt, fs[0]), rm)
        return Outcome(freg=box(fmt, r), flags=fl)
    if name in ("fmadd", "fmsub", "fnmsub", "fnmadd"):
        # fmadd a*b+c, fmsub a*b-c, fnmsub -(a*b)+c, fnmadd -(a*b)-c; -(a*b) is exactly (-a)*b
        fmt = FORMAT_OF[sfx[0]]
        a, b, c = (unbox(fmt, v) for v in fs)
        if name.startswith("fn"):
            a = negate(fmt, a)
        if name in ("fmsub", "fnmadd"):
            c = negate(fmt, c)
        r, fl = fp.fma(fmt, a, b, c, rm)
        return Outcome(freg=box(fmt, r), flags=fl)
    if name in ("fsgnj", "fsgnjn", "fsgnjx"):
        fmt = FORMAT_OF[sfx[0]]
        a, b = unbox(fmt, fs[0]), unbox(fmt, fs[1])
        top = width(fmt) - 1
        sa, sb = a >> top, b >> top
        sign = {"fsgnj": sb, "fsgnjn": sb ^ 1, "fsgnjx": sa ^ sb}[name]
        return Outcome(freg=box(fmt, (a & ((1 << top) - 1)) | (sign << top)))
    if name in ("fmin", "fmax"):
        fmt = FORMAT_OF[sfx[0]]
        r, fl = getattr(fp, name[1:])(fmt, unbox(fmt, fs[0]), unbox(fmt, fs[1]))
        return Outcome(freg=box(fmt, r), flags=fl)
    if name in ("feq", "flt", "fle"):
        fmt = FORMAT_OF[sfx[0]]
        r, fl = getattr(fp, name[1:])(fmt, unbox(fmt, fs[0]), unbox(fmt, fs[1]))
        return Outcome(xreg=r, flags=fl)
    if name == "fclass":
        fmt = FORMAT_OF[sfx[0]]
        return Outcome(xreg=fp.classify(fmt, unbox(fmt, fs[0])))
    if name == "fmv":
        dst, src = sfx
        if dst == "x":      # fmv.x.{w,h,d}: the low bits, sign-extended, boxing not checked
            bits = 64 if src == "d" else 32 if src == "w" else 16
            return Outcome(xreg=sign_extend(fs[0], bits))
        fmt = {"w": fp.F32, "d": fp.F64, "h": fp.F16}[dst]
        return Outcome(freg=box(fmt, x[ops["rs1"]] & ((1 << width(fmt)) - 1)))
    if name == "fcvt":
        dst, src = sfx
        if dst in INT_KINDS:
            fmt = FORMAT_OF[src]
            bits, uns = INT_KINDS[dst]
            r, fl = fp.to_int(fmt, unbox(fmt, fs[0]), bits, uns, rm)
            return Outcome(xreg=r & M64, flags=fl)
        if src in INT_KINDS:
            fmt = FORMAT_OF[dst]
            bits, uns = INT_KINDS[src]
            r, fl = fp.from_int(fmt, x[ops["rs1"]], bits, uns, rm)
            return Outcome(freg=box(fmt, r), flags=fl)
        to_fmt, from_fmt = FORMAT_OF[dst], FORMAT_OF[src]
        r, fl = fp.convert(to_fmt, from_fmt, unbox(from_fmt, fs[0]), rm)
        return Outcome(freg=box(to_fmt, r), flags=fl)
    raise AssertionError(f"no model for {mn}")


# ---- operand strategies ----------------------------------------------------------------------------

def pattern(fmt, sign, biased_exp, frac):
    F = fp.FORMATS[fmt]
    return (sign << (F.width - 1)) | (biased_exp << F.frac_bits) | frac


def special_values(fmt):
    F = fp.FORMATS[fmt]
    top, frac_all, quiet = 2 ** F.exp_bits - 1, 2 ** F.frac_bits - 1, 1 << (F.frac_bits - 1)
    mags = [0, 1, 2, frac_all, 1 << F.frac_bits, (1 << F.frac_bits) | 1,       # zero, subnormals, min normal
            pattern(fmt, 0, F.bias, 0), pattern(fmt, 0, F.bias, 1), pattern(fmt, 0, F.bias - 1, frac_all),
            pattern(fmt, 0, F.bias, quiet), pattern(fmt, 0, F.bias + 1, 0), pattern(fmt, 0, F.bias - 1, 0),
            pattern(fmt, 0, top - 1, frac_all), pattern(fmt, 0, top - 1, frac_all - 1),   # max normal
            pattern(fmt, 0, top, 0),                                                  # infinity
            pattern(fmt, 0, top, quiet), pattern(fmt, 0, top, quiet | 5),             # quiet NaNs
            pattern(fmt, 0, top, 1), pattern(fmt, 0, top, quiet - 1)]                 # signaling NaNs
    # integer-conversion thresholds: 2^31, 2^32, 2^63, 2^64 and their neighbours
    for k in (31, 32, 63, 64):
        e = F.bias + k
        if e < top:
            mags += [pattern(fmt, 0, e, 0), pattern(fmt, 0, e - 1, frac_all), pattern(fmt, 0, e, 1)]
    return [m | s for m in mags for s in (0, 1 << (F.width - 1))]


def core_specials(fmt):
    """The values every operation must get right: zeros, infinities, NaNs, and a few finite ones."""
    F = fp.FORMATS[fmt]
    top, frac_all, quiet = 2 ** F.exp_bits - 1, 2 ** F.frac_bits - 1, 1 << (F.frac_bits - 1)
    mags = [0, pattern(fmt, 0, top, 0), pattern(fmt, 0, top, quiet), pattern(fmt, 0, top, 1),
            pattern(fmt, 0, top, quiet | 3), pattern(fmt, 0, F.bias, 0), 1, 1 << F.frac_bits,
            pattern(fmt, 0, top - 1, frac_all), pattern(fmt, 0, F.bias + 31, 0)]
    return [m | s for m in mags for s in (0, 1 << (F.width - 1))]


def values(fmt):
    """Bit patterns of one format, biased to edge cases."""
    F = fp.FORMATS[fmt]
    top = 2 ** F.exp_bits - 1
    edge_exps = sorted({0, 1, 2, F.bias - 2, F.bias - 1, F.bias, F.bias + 1, F.bias + 23, F.bias + 24,
                        F.bias + 30, F.bias + 31, F.bias + 32, F.bias + 52, F.bias + 53, F.bias + 62,
                        F.bias + 63, F.bias + 64, top - 2, top - 1, top} & set(range(top + 1)))
    # the narrower formats' overflow and underflow boundaries, for conversions
    edge_exps = sorted(set(edge_exps) | {F.bias + k for k in (-150, -149, -127, -126, -125, -25, -24,
                                                                -15, -14, 15, 16, 127, 128)
                                         if 0 < F.bias + k < top})
    fracs = st.one_of(
        st.integers(0, 2 ** F.frac_bits - 1),
        # short significands: exact sums/products and rounding ties
        st.integers(0, 15).map(lambda v: v << (F.frac_bits - 4)),
        st.integers(0, 2 ** F.frac_bits - 1).map(lambda v: v | 1),
        st.sampled_from([0, 1, 2 ** F.frac_bits - 1, 1 << (F.frac_bits - 1)]),
    )
    structured = st.builds(lambda s, e, fr: pattern(fmt, s, e, fr),
                           st.integers(0, 1), st.sampled_from(edge_exps), fracs)
    return st.one_of(st.sampled_from(special_values(fmt)), st.sampled_from(core_specials(fmt)),
                     structured, st.integers(0, 2 ** F.width - 1),
                     testing_strategies.float_values(TOOLKIT_FORMAT[F.name]))  # the public toolkit's


def related(fmt, a):
    """A second operand made from the first: exact cancellation, ties, neighbours, scaled copies."""
    F = fp.FORMATS[fmt]
    mask = (1 << F.width) - 1
    return st.sampled_from([a, negate(fmt, a), (a + 1) & mask, (a - 1) & mask,
                            negate(fmt, (a + 1) & mask), a ^ (1 << F.frac_bits),
                            (a + ((F.frac_bits + 2) << F.frac_bits)) & mask,
                            (a - (2 << F.frac_bits)) & mask])


def registers(fmt, bits):
    """A 64-bit register holding `bits` of fmt: usually properly boxed, sometimes not."""
    w = width(fmt)
    if w == 64:
        return st.just(bits)
    proper = box(fmt, bits)
    bad_tops = [0, 1, ((1 << (64 - w)) - 1) ^ 1, ((1 << (64 - w)) - 1) >> 1, 0x7ff8 << (48 - w)]
    return st.one_of(st.just(proper), st.just(proper), st.just(proper), st.just(proper),
                     st.sampled_from(bad_tops).map(lambda t: (t << w) | bits))


INT_EDGES = sorted({v & M64 for v in [
    0, 1, 2, 3, -1, -2, 7, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, -0x80000000, -0x80000001,
    0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, (1 << 24) + 1, (1 << 24) + 3,
    (1 << 25) + 2, (1 << 53) + 1, (1 << 54) + 2, -(1 << 53) - 1, 0xffffff7fffffffff, 65519, 65520,
    65504, 2048 + 1, 0x7ffffe80, 0xfffffe80]})


def integers():
    return st.one_of(st.sampled_from(INT_EDGES), st.integers(0, M64),
                     st.integers(-(1 << 31), (1 << 31) - 1).map(lambda v: v & M64),
                     st.builds(lambda k, d, neg: ((-1 if neg else 1) * ((1 << k) + d)) & M64,
                               st.integers(0, 63), st.integers(-3, 3), st.booleans()))


# RNE (static or dynamic) is weighted up: it is the host-FPU path, the others run in softfloat
ROUNDING_FIELDS = st.sampled_from([0, 0, 0, 1, 2, 3, 4, 7, 7, 7, 7, 5, 6])
FRM_VALUES = st.sampled_from([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7])


# ---- running one instruction -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def machine():
    return Machine(ISA)


def background(seed):
    """Recognisable contents for registers an instruction must not touch."""
    return [(0x1111111111111111 * (i % 15 + 1) + seed) & M64 for i in range(32)]


def execute(m, word, f, x, frm, fflags, length=4):
    m.load_image(word.to_bytes(length, "little"))
    m.csr["mtvec"] = 0
    m.csr["frm"] = frm
    m.csr["fflags"] = fflags
    m.csr["mstatus"] = (m.csr["mstatus"] & ~MSTATUS_FS) | FS_INITIAL   # after frm/fflags: they dirty FS
    m.f[:] = f
    m.x[:] = x
    info = m.step(1)
    return info


def operand_values(insn, draw):
    """Register numbers and contents for `insn`'s operands, drawn together."""
    ops = {}
    for k in insn.all_operands:     # hidden operands too: the always-exact fcvts keep rm hidden
        if k.name in ("fd", "rd", "fs1", "fs2", "fs3", "rs1"):
            ops[k.name] = draw(st.integers(0, 31))
        elif k.name == "rm":
            ops["rm"] = draw(ROUNDING_FIELDS)
    return ops


def operand_format(insn):
    """Format of the FP source operands (the source side of a conversion)."""
    name, *sfx = insn.mnemonic.split(".")
    if name == "fcvt":
        return FORMAT_OF.get(sfx[1])
    if name == "fmv":
        return {"w": fp.F32, "d": fp.F64, "h": fp.F16}.get(sfx[1])
    return FORMAT_OF[sfx[0]]


TRANSFERS = ("flw", "fld", "flh", "fsw", "fsd", "fsh")
FP_INSNS = [i for i in isa.INSTRUCTIONS
            if set(i.extension.split("+")) & FP_EXTENSIONS and "c" not in i.extension.split("+")]
COMPUTE_INSNS = [i for i in FP_INSNS if i.mnemonic not in TRANSFERS]


def test_every_fp_instruction_is_covered():
    mnemonics = {i.mnemonic for i in COMPUTE_INSNS}
    assert len(mnemonics) == 92
    for extra in ("fadd.h", "fcvt.bf16.s", "fcvt.s.bf16", "fcvt.h.d", "fmv.x.h", "fnmadd.d"):
        assert extra in mnemonics


@pytest.mark.parametrize("insn", COMPUTE_INSNS, ids=[i.mnemonic for i in COMPUTE_INSNS])
@examples
@given(data=st.data())
def test_instruction_against_reference(machine, insn, data):
    draw = data.draw
    ops = operand_values(insn, draw)
    frm = draw(FRM_VALUES, label="frm")
    fflags0 = draw(st.sampled_from([0, 0, 0, 0x1f, 1, 16]), label="fflags")
    f = background(1)
    x = background(2)
    x[0] = 0
    fmt = operand_format(insn)
    # source values: later registers may alias earlier ones, exactly as in the machine
    first = None
    for k in ("fs1", "fs2", "fs3"):
        if k in ops:
            bits = draw(values(fmt) if first is None or k == "fs3"
                        else st.one_of(values(fmt), related(fmt, first)), label=k)
            first = bits if first is None else first
            f[ops[k]] = draw(registers(fmt, bits), label=k + " register")
    if "rs1" in ops and ops["rs1"]:
        x[ops["rs1"]] = draw(integers(), label="rs1 value")

    word = insn.encode(ops)
    out = model(insn, ops, list(f), list(x), frm)
    info = execute(machine, word, f, x, frm, fflags0)

    want_f, want_x = list(f), list(x)
    if out.trap:
        assert info.reason == StopReason.TRAP and info.cause == ILLEGAL_INSTRUCTION, info
        assert info.tval == word and info.pc == 0
        want_flags = fflags0
    else:
        assert info.reason == StopReason.LIMIT and info.pc == 4, info
        if out.freg is not None:
            want_f[ops["fd"]] = out.freg
        if out.xreg is not None and ops["rd"] != 0:
            want_x[ops["rd"]] = out.xreg
        want_flags = fflags0 | out.flags
    got_f, got_x = [int(v) for v in machine.f], [int(v) for v in machine.x]
    for i in range(32):
        assert got_f[i] == want_f[i], f"{insn.mnemonic} f{i}: got {got_f[i]:#018x} want {want_f[i]:#018x}"
        assert got_x[i] == want_x[i], f"{insn.mnemonic} x{i}: got {got_x[i]:#018x} want {want_x[i]:#018x}"
    got_flags = machine.csr["fflags"]
    assert got_flags == want_flags, f"{insn.mnemonic}: fflags got {got_flags:#x} want {want_flags:#x}"
    fs = machine.csr["mstatus"] & MSTATUS_FS
    if out.trap:
        assert fs == FS_INITIAL
    elif out.freg is not None or want_flags != fflags0:
        assert fs == FS_DIRTY, f"{insn.mnemonic} wrote FP state but left mstatus.FS = {fs >> 13}"


# ---- every pair of special values through the inline and host-FPU paths ------------------------------

def check_cases(m, mn, cases, rm=None, frm=0):
    """Run `mn` once per tuple of source values; compare destination and fflags with the model."""
    insn = isa.BY_MNEMONIC[mn]
    ops = {k.name: n for k, n in zip(insn.operands, (1, 2, 3, 4))}
    if rm is not None:
        ops["rm"] = rm
    word = insn.encode(ops)
    m.load_image(word.to_bytes(4, "little"))
    m.csr["mtvec"] = 0
    m.csr["frm"] = frm
    f, x = background(9), background(10)
    x[0] = 0
    fmt = operand_format(insn)
    failures = []
    for values_ in cases:
        for k, v in zip(("fs1", "fs2", "fs3"), values_):
            if k in ops:
                f[ops[k]] = box(fmt, v)
        if "rs1" in ops:
            x[ops["rs1"]] = values_[0]
        want = model(insn, ops, f, x, frm)
        m.csr["fflags"] = 0
        m.f[:] = f
        m.x[:] = x
        m.pc = 0
        info = m.step(1)
        assert info.reason == StopReason.LIMIT, (mn, info)
        got = int(m.f[ops["fd"]]) if want.freg is not None else int(m.x[ops["rd"]])
        expect = want.freg if want.freg is not None else want.xreg
        got_flags = m.csr["fflags"]
        if (got, got_flags) != (expect, want.flags):
            failures.append(f"{mn} {' '.join(hex(v) for v in values_)}: got {got:#x}/{got_flags:#x} "
                            f"want {expect:#x}/{want.flags:#x}")
    assert not failures, "\n".join(failures[:20])


SPECIAL_BINARY = ["fadd", "fsub", "fmul", "fdiv", "fmin", "fmax", "feq", "flt", "fle", "fsgnjx"]


@pytest.mark.parametrize("sfx", ["s", "d"])
@pytest.mark.parametrize("op", SPECIAL_BINARY)
def test_special_value_pairs(machine, op, sfx):
    specials = core_specials(FORMAT_OF[sfx])
    rm = 0 if op in ("fadd", "fsub", "fmul", "fdiv") else None
    check_cases(machine, f"{op}.{sfx}", [(a, b) for a in specials for b in specials], rm=rm)


@pytest.mark.parametrize("mn", ["fmadd.s", "fnmadd.s", "fmadd.d", "fnmsub.d"])
def test_special_value_triples(machine, mn):
    specials = core_specials(FORMAT_OF[mn[-1]])[:12]      # zeros, infinities, NaNs
    check_cases(machine, mn, [(a, b, c) for a in specials for b in specials for c in specials], rm=0)


@pytest.mark.parametrize("mn, rm", [("fsqrt.s", 0), ("fsqrt.d", 0), ("fcvt.s.d", 0), ("fcvt.d.s", 0),
                                    ("fcvt.w.s", 1), ("fcvt.wu.s", 1), ("fcvt.l.s", 1), ("fcvt.lu.s", 1),
                                    ("fcvt.w.d", 1), ("fcvt.wu.d", 1), ("fcvt.l.d", 1), ("fcvt.lu.d", 1),
                                    ("fclass.s", None), ("fclass.d", None)])
def test_special_values_unary(machine, mn, rm):
    fmt = operand_format(isa.BY_MNEMONIC[mn])
    check_cases(machine, mn, [(a,) for a in special_values(fmt) + core_specials(fmt)], rm=rm)


@pytest.mark.parametrize("mn", ["fcvt.s.w", "fcvt.s.wu", "fcvt.s.l", "fcvt.s.lu",
                                "fcvt.d.w", "fcvt.d.wu", "fcvt.d.l", "fcvt.d.lu"])
def test_edge_integers_to_float(machine, mn):
    check_cases(machine, mn, [(v,) for v in INT_EDGES], rm=0)


# ---- loads and stores (transfers) ------------------------------------------------------------------

LOADS = {"flw": 32, "fld": 64, "flh": 16}
STORES = {"fsw": 32, "fsd": 64, "fsh": 16}
DATA = 0x800


@pytest.mark.parametrize("mn", sorted(LOADS))
@examples
@given(bits=st.integers(0, M64), offset=st.integers(-16, 16), fd=st.integers(0, 31),
       rs1=st.integers(1, 31))
def test_load_boxes_the_loaded_bits(machine, mn, bits, offset, fd, rs1):
    w = LOADS[mn]
    machine.write(DATA, bits.to_bytes(8, "little") * 8)
    word = isa.BY_MNEMONIC[mn].encode({"fd": fd, "rs1": rs1, "imm_i": offset * 8})
    f, x = background(3), background(4)
    x[0] = 0
    x[rs1] = DATA + 32 - offset * 8
    info = execute(machine, word, f, x, 0, 0)
    assert info.reason == StopReason.LIMIT, info
    want = bits if w == 64 else (M64 ^ ((1 << w) - 1)) | (bits & ((1 << w) - 1))
    assert int(machine.f[fd]) == want
    assert machine.csr["mstatus"] & MSTATUS_FS == FS_DIRTY


@pytest.mark.parametrize("mn", sorted(STORES))
@examples
@given(reg=st.integers(0, M64), offset=st.integers(-16, 16), fs2=st.integers(0, 31),
       rs1=st.integers(1, 31))
def test_store_writes_the_low_bits_unchanged(machine, mn, reg, offset, fs2, rs1):
    w = STORES[mn]
    machine.write(DATA, b"\xa5" * 64)
    word = isa.BY_MNEMONIC[mn].encode({"fs2": fs2, "rs1": rs1, "imm_s": offset})
    f, x = background(5), background(6)
    x[0] = 0
    f[fs2] = reg
    x[rs1] = DATA + 32 - offset
    info = execute(machine, word, f, x, 0, 0)
    assert info.reason == StopReason.LIMIT, info
    assert machine.read(DATA + 32, w // 8) == (reg & ((1 << w) - 1)).to_bytes(w // 8, "little")
    assert machine.read(DATA + 32 + w // 8, 1) == b"\xa5"


def test_compressed_fld_fsd(machine):
    # c.fldsp f9, 8(sp) ; c.fsdsp f9, 16(sp): the C forms run the same semantics
    fldsp = isa.BY_MNEMONIC["c.fldsp"].encode({"c_fd": 9, "c_uimm9sp": 8})
    fsdsp = isa.BY_MNEMONIC["c.fsdsp"].encode({"c_fs2": 9, "c_uimm9sp_s": 16})
    code = fldsp.to_bytes(2, "little") + fsdsp.to_bytes(2, "little")
    machine.load_image(code)
    machine.write(DATA + 8, (0x0123456789abcdef).to_bytes(8, "little"))
    machine.x[2] = DATA
    machine.csr["mstatus"] = (machine.csr["mstatus"] & ~MSTATUS_FS) | FS_INITIAL
    machine.csr["mtvec"] = 0
    info = machine.step(2)
    assert info.reason == StopReason.LIMIT and info.pc == 4, info
    assert int(machine.f[9]) == 0x0123456789abcdef
    assert machine.read(DATA + 16, 8) == (0x0123456789abcdef).to_bytes(8, "little")


# ---- known answers for the corners that matter most --------------------------------------------------

def one(m, mn, f=None, x=None, frm=0, fflags=0, **ops):
    insn = isa.BY_MNEMONIC[mn]
    fr, xr = background(7), background(8)
    xr[0] = 0
    for i, v in (f or {}).items():
        fr[i] = v
    for i, v in (x or {}).items():
        xr[i] = v
    info = execute(m, insn.encode(ops), fr, xr, frm, fflags)
    return info, m.csr["fflags"]


def b32(v):
    return 0xffffffff00000000 | v


def test_tininess_is_detected_after_rounding(machine):
    # (1 - 2^-23) * (2^-126 * (1 + 2^-23)) = 2^-126 * (1 - 2^-46): below the smallest normal before
    # rounding, exactly 2^-126 after rounding to 24 bits -> inexact but not underflow (host path, RNE)
    for mn, ops in (("fmul.s", {}), ("fmadd.s", {"fs3": 3})):
        info, fl = one(machine, mn, f={1: b32(0x3f7ffffe), 2: b32(0x00800001), 3: b32(0)},
                       fd=4, fs1=1, fs2=2, rm=0, **ops)
        assert int(machine.f[4]) == b32(0x00800000)
        assert fl == fp.NX
        assert fp.mul(fp.F32, 0x3f7ffffe, 0x00800001, fp.RNE) == (0x00800000, fp.NX)
    # the same for a narrowing conversion: (1 - 2^-29) * 2^-126 rounds to 2^-126
    info, fl = one(machine, "fcvt.s.d", f={1: 0x380fffffff000000}, fd=4, fs1=1, rm=0)
    assert int(machine.f[4]) == b32(0x00800000)
    assert fl == fp.NX
    assert fp.convert(fp.F32, fp.F64, 0x380fffffff000000, fp.RNE) == (0x00800000, fp.NX)


def test_fma_of_infinity_times_zero_plus_quiet_nan_is_invalid(machine):
    for rm in (0, 1):       # host path and softfloat path
        info, fl = one(machine, "fmadd.s", f={1: b32(0x7f800000), 2: b32(0), 3: b32(0x7fc00000)},
                       fd=4, fs1=1, fs2=2, fs3=3, rm=rm)
        assert int(machine.f[4]) == b32(0x7fc00000) and fl == fp.NV
        info, fl = one(machine, "fnmadd.d", f={1: 0, 2: 0xfff0000000000000, 3: 0x7ff8000000000001},
                       fd=4, fs1=1, fs2=2, fs3=3, rm=rm)
        assert int(machine.f[4]) == 0x7ff8000000000000 and fl == fp.NV


def test_host_nan_results_are_canonical(machine):
    # x86 produces the negative "default NaN" for inf - inf and propagates payloads
    info, fl = one(machine, "fsub.s", f={1: b32(0x7f800000), 2: b32(0x7f800000)}, fd=3, fs1=1, fs2=2, rm=0)
    assert int(machine.f[3]) == b32(0x7fc00000) and fl == fp.NV
    info, fl = one(machine, "fadd.d", f={1: 0xfff8000000001234, 2: 0}, fd=3, fs1=1, fs2=2, rm=0)
    assert int(machine.f[3]) == 0x7ff8000000000000 and fl == 0
    info, fl = one(machine, "fsqrt.s", f={1: b32(0xbf800000)}, fd=3, fs1=1, rm=0)
    assert int(machine.f[3]) == b32(0x7fc00000) and fl == fp.NV


def test_fnmadd_negates_the_product_not_the_sum(machine):
    # a*b = +0, c = -0, rounding down: -(a*b) - c = -0 + +0 = -0, whereas negating the sum would
    # give -(+0 + -0) = -(-0) = +0
    info, fl = one(machine, "fnmadd.s", f={1: b32(0), 2: b32(0x3f800000), 3: b32(0x80000000)},
                   fd=4, fs1=1, fs2=2, fs3=3, rm=fp.RDN)
    assert int(machine.f[4]) == b32(0x80000000)


def test_improperly_boxed_operands_read_as_canonical_nan(machine):
    info, fl = one(machine, "fadd.s", f={1: 0x000000003f800000, 2: b32(0x3f800000)}, fd=3, fs1=1, fs2=2, rm=0)
    assert int(machine.f[3]) == b32(0x7fc00000) and fl == 0
    info, fl = one(machine, "fsgnjn.h", f={1: 0xffffffff00003c00, 2: 0xffffffffffff3c00}, fd=3, fs1=1, fs2=2)
    assert int(machine.f[3]) == 0xffffffffffff7e00 | 0x8000
    info, fl = one(machine, "fclass.s", f={1: 0xfffffffe3f800000}, rd=5, fs1=1)
    assert int(machine.x[5]) == fp.FCLASS_QNAN


def test_moves_sign_extend_and_box(machine):
    info, fl = one(machine, "fmv.x.w", f={1: 0x1234567880000001}, rd=5, fs1=1)
    assert int(machine.x[5]) == 0xffffffff80000001
    info, fl = one(machine, "fmv.x.h", f={1: 0x0000000000008001}, rd=5, fs1=1)
    assert int(machine.x[5]) == 0xffffffffffff8001
    info, fl = one(machine, "fmv.w.x", x={6: 0x123456787f800001}, fd=2, rs1=6)
    assert int(machine.f[2]) == 0xffffffff7f800001


def test_fcvt_wu_sign_extends_the_32_bit_result(machine):
    info, fl = one(machine, "fcvt.wu.s", f={1: b32(struct.unpack("<I", struct.pack("<f", 3e9))[0])},
                   rd=5, fs1=1, rm=1)
    assert int(machine.x[5]) == 0xffffffffb2d05e00 and fl == 0


@pytest.mark.parametrize("rm, frm", [(5, 0), (6, 0), (7, 5), (7, 6), (7, 7)])
def test_reserved_rounding_mode_is_illegal(machine, rm, frm):
    for mn, ops in (("fadd.s", {"fd": 1, "fs1": 2, "fs2": 3}), ("fcvt.d.s", {"fd": 1, "fs1": 2}),
                    ("fcvt.d.w", {"fd": 1, "rs1": 2}), ("fmadd.h", {"fd": 1, "fs1": 2, "fs2": 3, "fs3": 4})):
        word = isa.BY_MNEMONIC[mn].encode(dict(ops, rm=rm))
        info, fl = one(machine, mn, frm=frm, rm=rm, **ops)
        assert info.reason == StopReason.TRAP and info.cause == ILLEGAL_INSTRUCTION and info.tval == word


def test_fp_instructions_trap_while_fs_is_off(machine):
    word = isa.BY_MNEMONIC["fadd.s"].encode({"fd": 1, "fs1": 2, "fs2": 3, "rm": 0})
    machine.load_image(word.to_bytes(4, "little"))
    machine.csr["mtvec"] = 0
    machine.csr["mstatus"] = machine.csr["mstatus"] & ~MSTATUS_FS
    info = machine.step(1)
    assert info.reason == StopReason.TRAP and info.cause == ILLEGAL_INSTRUCTION and info.tval == word


def test_host_float_work_between_runs_does_not_leak_into_fflags(machine):
    # the lazily folded host flags must come from guest instructions only
    info, fl = one(machine, "fadd.s", f={1: b32(0x3f800000), 2: b32(0x3f800000)}, fd=3, fs1=1, fs2=2, rm=0)
    assert fl == 0
    junk = 0.1 + 0.2          # raises inexact in the host FPU
    junk = 1e308 * 10.0       # overflow
    assert junk == float("inf")
    assert machine.csr["fflags"] == 0


def test_fflags_read_by_the_guest_include_host_flags():
    # csrr a0, fflags right after an inexact host-path fadd.s in the same run
    m = Machine(ISA)
    fadd = isa.BY_MNEMONIC["fadd.s"].encode({"fd": 3, "fs1": 1, "fs2": 2, "rm": 0})
    csrrs = isa.BY_MNEMONIC["csrrs"].encode({"rd": 10, "rs1": 0, "csr": 1})
    m.load_image(fadd.to_bytes(4, "little") + csrrs.to_bytes(4, "little"))
    m.csr["mstatus"] = FS_INITIAL
    m.f[1], m.f[2] = b32(0x3f800000), b32(0x33800001)     # 1 + (2^-24 + tiny): inexact
    info = m.step(2)
    assert info.pc == 8
    assert int(m.x[10]) == fp.NX
