"""RVV 1.0: the V extension (ELEN=64) for application processors.

The records are the ratified encodings (riscv-opcodes ``rv_v``), with the assembly syntax GNU as 2.40
accepts and prints.  Three things differ from the scalar tables:

* ``vm`` is an optional trailing operand: written ``v0.t`` when the instruction is masked (vm bit 0),
  left out when it is not (vm bit 1).  Its value is the raw vm bit, so an unmasked instruction is
  encoded with ``{"vm": 1}``.
* The segment count ``nf`` and the whole-register count are part of the mnemonic (``vlseg4e32.v``,
  ``vl2re16.v``, ``vs4r.v``, ``vmv8r.v``), one record each, so the nf field is fixed bits.
* Multiply-add instructions name their operands in the order ``vd, vs1, vs2`` (or ``vd, rs1, vs2``),
  every other arithmetic instruction ``vd, vs2, vs1``; the encoding is the same either way.

Rather than spell out ~700 near-identical lines, the lines are produced here from compact lists of
(mnemonic, funct6, forms); each produced line is an ordinary table record (see :mod:`.table`).  The
decoded entry gets vd/vs3 in ``rd``, vs1 in ``rs1``, vs2 in ``rs2``, the vm bit in ``aux[0]`` and
vector immediates (simm5, uimm5, vtypei) in ``imm``.  The C core reads nf and the element width from
the raw instruction bits.
"""
from __future__ import annotations

from .operands import IMM, UIMM, VM, VREG, VTYPEI, OperandKind, register_kinds

register_kinds([
    OperandKind("vd", VREG, ((11, 7, 0),), slots=("rd",)),
    OperandKind("vs3", VREG, ((11, 7, 0),), slots=("rd",)),      # store data
    OperandKind("vs1", VREG, ((19, 15, 0),), slots=("rs1",)),
    OperandKind("vs2", VREG, ((24, 20, 0),), slots=("rs2",)),
    OperandKind("vm", VM, ((25, 25, 0),), slots=("aux[0]",)),
    OperandKind("simm5", IMM, ((19, 15, 0),), signed=True, slots=("imm",)),
    OperandKind("uimm5", UIMM, ((19, 15, 0),), slots=("imm",)),
    OperandKind("vtypei11", VTYPEI, ((30, 20, 0),), slots=("imm",)),
    OperandKind("vtypei10", VTYPEI, ((29, 20, 0),), slots=("imm",)),
])

# funct3 of the OP-V major opcode (0x57) by operand category
OPIVV, OPFVV, OPMVV, OPIVI, OPIVX, OPFVF, OPMVX, OPCFG = range(8)

# Operand syntax per form.  "macc" forms put the multiplier operand (vs1/rs1/fs1) before vs2.
_FORMS = {
    # form: (funct3, syntax)
    "vv": (OPIVV, "vd, vs2, vs1, vm"),
    "vx": (OPIVX, "vd, vs2, rs1, vm"),
    "vi": (OPIVI, "vd, vs2, simm5, vm"),
    "vu": (OPIVI, "vd, vs2, uimm5, vm"),        # .vi form whose immediate is unsigned
    "wv": (OPIVV, "vd, vs2, vs1, vm"),
    "wx": (OPIVX, "vd, vs2, rs1, vm"),
    "wu": (OPIVI, "vd, vs2, uimm5, vm"),
    "vs": (OPIVV, "vd, vs2, vs1, vm"),
    "vvm": (OPIVV, "vd, vs2, vs1, v0"),
    "vxm": (OPIVX, "vd, vs2, rs1, v0"),
    "vim": (OPIVI, "vd, vs2, simm5, v0"),
    "vv1": (OPIVV, "vd, vs2, vs1"),             # carry-out without carry-in (vm bit 1)
    "vx1": (OPIVX, "vd, vs2, rs1"),
    "vi1": (OPIVI, "vd, vs2, simm5"),
}
# The suffix written in the mnemonic for each form.
_SUFFIX = {"vu": "vi", "wu": "wi", "vv1": "vv", "vx1": "vx", "vi1": "vi"}


def _line(mn: str, syntax: str, bits: str) -> str:
    return f"{mn} | {syntax} | {bits}"


def _opv(mn: str, funct6: int, funct3: int, syntax: str, extra: str = "") -> str:
    if syntax.endswith(", v0"):
        extra = (extra + " 25=0").strip()        # carry-in / merge select: always v0
    elif "vm" not in syntax.split(", "):
        extra = (extra + " 25=1").strip()        # unmasked-only instruction
    return _line(mn, syntax, f"31..26={funct6:#04x} {extra} 14..12={funct3} 6..0=0x57".replace("  ", " "))


def _int_ops(specs: str, category: str) -> list[str]:
    """Lines for ``name funct6 form...`` specs; ``category`` "i" (OPIV*) or "m" (OPMV*)."""
    out = []
    for spec in specs.strip().splitlines():
        name, f6, *forms = spec.split()
        for form in forms:
            f3, syntax = _FORMS[form]
            if category == "m":
                f3 = {OPIVV: OPMVV, OPIVX: OPMVX}[f3]
            out.append(_opv(f"{name}.{_SUFFIX.get(form, form)}", int(f6, 16), f3, syntax))
    return out


def _macc_ops(specs: str, vv_f3: int, vx_f3: int, scalar: str) -> list[str]:
    out = []
    for spec in specs.strip().splitlines():
        name, f6, *forms = spec.split()
        for form in forms:
            f3 = vv_f3 if form == "vv" else vx_f3
            src = "vs1" if form == "vv" else scalar
            out.append(_opv(f"{name}.{form}", int(f6, 16), f3, f"vd, {src}, vs2, vm"))
    return out


# ---------------------------------------------------------------- integer (OPIVV / OPIVX / OPIVI)
_OPI = """
vadd        00 vv vx vi
vsub        02 vv vx
vrsub       03 vx vi
vminu       04 vv vx
vmin        05 vv vx
vmaxu       06 vv vx
vmax        07 vv vx
vand        09 vv vx vi
vor         0a vv vx vi
vxor        0b vv vx vi
vrgather    0c vv vx vu
vrgatherei16 0e vv
vslideup    0e vx vu
vslidedown  0f vx vu
vadc        10 vvm vxm vim
vmadc       11 vvm vxm vim vv1 vx1 vi1
vsbc        12 vvm vxm
vmsbc       13 vvm vxm vv1 vx1
vmerge      17 vvm vxm vim
vmseq       18 vv vx vi
vmsne       19 vv vx vi
vmsltu      1a vv vx
vmslt       1b vv vx
vmsleu      1c vv vx vi
vmsle       1d vv vx vi
vmsgtu      1e vx vi
vmsgt       1f vx vi
vsaddu      20 vv vx vi
vsadd       21 vv vx vi
vssubu      22 vv vx
vssub       23 vv vx
vsll        25 vv vx vu
vsmul       27 vv vx
vsrl        28 vv vx vu
vsra        29 vv vx vu
vssrl       2a vv vx vu
vssra       2b vv vx vu
vnsrl       2c wv wx wu
vnsra       2d wv wx wu
vnclipu     2e wv wx wu
vnclip      2f wv wx wu
vwredsumu   30 vs
vwredsum    31 vs
"""

# ---------------------------------------------------------------- integer (OPMVV / OPMVX)
_OPM = """
vredsum     00 vs
vredand     01 vs
vredor      02 vs
vredxor     03 vs
vredminu    04 vs
vredmin     05 vs
vredmaxu    06 vs
vredmax     07 vs
vaaddu      08 vv vx
vaadd       09 vv vx
vasubu      0a vv vx
vasub       0b vv vx
vslide1up   0e vx
vslide1down 0f vx
vdivu       20 vv vx
vdiv        21 vv vx
vremu       22 vv vx
vrem        23 vv vx
vmulhu      24 vv vx
vmul        25 vv vx
vmulhsu     26 vv vx
vmulh       27 vv vx
vwaddu      30 vv vx
vwadd       31 vv vx
vwsubu      32 vv vx
vwsub       33 vv vx
vwaddu.w    34 wv wx
vwadd.w     35 wv wx
vwsubu.w    36 wv wx
vwsub.w     37 wv wx
vwmulu      38 vv vx
vwmulsu     3a vv vx
vwmul       3b vv vx
"""
# the .w forms above are written vwaddu.wv: fix their suffix below
_OPM_MACC = """
vmadd       29 vv vx
vnmsub      2b vv vx
vmacc       2d vv vx
vnmsac      2f vv vx
vwmaccu     3c vv vx
vwmacc      3d vv vx
vwmaccus    3e vx
vwmaccsu    3f vv vx
"""

# ---------------------------------------------------------------- floating point (OPFVV / OPFVF)
_OPF = """
vfadd       00 vv vf
vfredusum   01 vs
vfsub       02 vv vf
vfredosum   03 vs
vfmin       04 vv vf
vfredmin    05 vs
vfmax       06 vv vf
vfredmax    07 vs
vfsgnj      08 vv vf
vfsgnjn     09 vv vf
vfsgnjx     0a vv vf
vfslide1up  0e vf
vfslide1down 0f vf
vmfeq       18 vv vf
vmfle       19 vv vf
vmflt       1b vv vf
vmfne       1c vv vf
vmfgt       1d vf
vmfge       1f vf
vfdiv       20 vv vf
vfrdiv      21 vf
vfmul       24 vv vf
vfrsub      27 vf
vfwadd      30 vv vf
vfwredusum  31 vs
vfwsub      32 vv vf
vfwredosum  33 vs
vfwadd.w    34 wv wf
vfwsub.w    36 wv wf
vfwmul      38 vv vf
"""
_OPF_MACC = """
vfmadd      28 vv vf
vfnmadd     29 vv vf
vfmsub      2a vv vf
vfnmsub     2b vv vf
vfmacc      2c vv vf
vfnmacc     2d vv vf
vfmsac      2e vv vf
vfnmsac     2f vv vf
vfwmacc     3c vv vf
vfwnmacc    3d vv vf
vfwmsac     3e vv vf
vfwnmsac    3f vv vf
"""

# Unary groups: (funct6, funct3, [(mnemonic, vs1 field value, syntax)])
_UNARY = [
    (0x10, OPMVV, [("vmv.x.s", 0x00, "rd, vs2"), ("vcpop.m", 0x10, "rd, vs2, vm"),
                   ("vfirst.m", 0x11, "rd, vs2, vm")]),
    (0x12, OPMVV, [("vzext.vf8", 2, "vd, vs2, vm"), ("vsext.vf8", 3, "vd, vs2, vm"),
                   ("vzext.vf4", 4, "vd, vs2, vm"), ("vsext.vf4", 5, "vd, vs2, vm"),
                   ("vzext.vf2", 6, "vd, vs2, vm"), ("vsext.vf2", 7, "vd, vs2, vm")]),
    (0x14, OPMVV, [("vmsbf.m", 0x01, "vd, vs2, vm"), ("vmsof.m", 0x02, "vd, vs2, vm"),
                   ("vmsif.m", 0x03, "vd, vs2, vm"), ("viota.m", 0x10, "vd, vs2, vm")]),
    (0x10, OPFVV, [("vfmv.f.s", 0x00, "fd, vs2")]),
    (0x12, OPFVV, [(f"vf{n}cvt.{t}", code, "vd, vs2, vm") for n, t, code in [
        ("", "xu.f.v", 0x00), ("", "x.f.v", 0x01), ("", "f.xu.v", 0x02), ("", "f.x.v", 0x03),
        ("", "rtz.xu.f.v", 0x06), ("", "rtz.x.f.v", 0x07),
        ("w", "xu.f.v", 0x08), ("w", "x.f.v", 0x09), ("w", "f.xu.v", 0x0a), ("w", "f.x.v", 0x0b),
        ("w", "f.f.v", 0x0c), ("w", "rtz.xu.f.v", 0x0e), ("w", "rtz.x.f.v", 0x0f),
        ("n", "xu.f.w", 0x10), ("n", "x.f.w", 0x11), ("n", "f.xu.w", 0x12), ("n", "f.x.w", 0x13),
        ("n", "f.f.w", 0x14), ("n", "rod.f.f.w", 0x15), ("n", "rtz.xu.f.w", 0x16),
        ("n", "rtz.x.f.w", 0x17)]]),
    (0x13, OPFVV, [("vfsqrt.v", 0x00, "vd, vs2, vm"), ("vfrsqrt7.v", 0x04, "vd, vs2, vm"),
                   ("vfrec7.v", 0x05, "vd, vs2, vm"), ("vfclass.v", 0x10, "vd, vs2, vm")]),
]

# Instructions with their own shapes.
_MISC = [
    _opv("vmv.v.v", 0x17, OPIVV, "vd, vs1", "24..20=0"),
    _opv("vmv.v.x", 0x17, OPIVX, "vd, rs1", "24..20=0"),
    _opv("vmv.v.i", 0x17, OPIVI, "vd, simm5", "24..20=0"),
    _opv("vmv.s.x", 0x10, OPMVX, "vd, rs1", "24..20=0"),
    _opv("vid.v", 0x14, OPMVV, "vd, vm", "24..20=0 19..15=0x11"),
    _opv("vcompress.vm", 0x17, OPMVV, "vd, vs2, vs1"),
    _opv("vfmerge.vfm", 0x17, OPFVF, "vd, vs2, fs1, v0"),
    _opv("vfmv.v.f", 0x17, OPFVF, "vd, fs1", "24..20=0"),
    _opv("vfmv.s.f", 0x10, OPFVF, "vd, fs1", "24..20=0"),
] + [
    _opv(f"{name}.mm", f6, OPMVV, "vd, vs2, vs1")
    for name, f6 in [("vmandn", 0x18), ("vmand", 0x19), ("vmor", 0x1a), ("vmxor", 0x1b),
                     ("vmorn", 0x1c), ("vmnand", 0x1d), ("vmnor", 0x1e), ("vmxnor", 0x1f)]
] + [
    _opv(f"vmv{nr}r.v", 0x27, OPIVI, "vd, vs2", f"19..15={nr - 1}") for nr in (1, 2, 4, 8)
]

# ---------------------------------------------------------------- configuration
_CFG = [
    _line("vsetvli", "rd, rs1, vtypei11", "31=0 14..12=7 6..0=0x57"),
    _line("vsetivli", "rd, zimm5, vtypei10", "31..30=3 14..12=7 6..0=0x57"),
    _line("vsetvl", "rd, rs1, rs2", "31..25=0x40 14..12=7 6..0=0x57"),
]

# ---------------------------------------------------------------- loads and stores
_WIDTHS = {8: 0, 16: 5, 32: 6, 64: 7}     # EEW -> width field (bits 14..12)


def _mem_lines() -> list[str]:
    out = []

    def mem(mn, syntax, nf, mop, field_24_20, width, store, vm=True):
        opcode = 0x27 if store else 0x07
        bits = f"31..29={nf - 1} 28=0 27..26={mop} {'' if vm else '25=1 '}"
        if field_24_20 is not None:
            bits += f"24..20={field_24_20:#x} "
        bits += f"14..12={width} 6..0={opcode:#x}"
        out.append(_line(mn, syntax + (", vm" if vm else ""), bits))

    for eew, width in _WIDTHS.items():
        for nf in range(1, 9):
            seg = f"seg{nf}" if nf > 1 else ""
            # unit stride, fault-only-first, strided
            mem(f"vl{seg}e{eew}.v", "vd, (rs1)", nf, 0, 0, width, False)
            mem(f"vs{seg}e{eew}.v", "vs3, (rs1)", nf, 0, 0, width, True)
            mem(f"vl{seg}e{eew}ff.v", "vd, (rs1)", nf, 0, 0x10, width, False)
            mem(f"vl{'s' + seg if seg else 's'}e{eew}.v", "vd, (rs1), rs2", nf, 2, None, width, False)
            mem(f"vs{'s' + seg if seg else 's'}e{eew}.v", "vs3, (rs1), rs2", nf, 2, None, width, True)
            # indexed: unordered (mop 1) and ordered (mop 3); eew is the index width
            for kind, mop in (("u", 1), ("o", 3)):
                base = f"{kind}xseg{nf}ei" if nf > 1 else f"{kind}xei"
                mem(f"vl{base}{eew}.v", "vd, (rs1), vs2", nf, mop, None, width, False)
                mem(f"vs{base}{eew}.v", "vs3, (rs1), vs2", nf, mop, None, width, True)
        for nf in (1, 2, 4, 8):
            mem(f"vl{nf}re{eew}.v", "vd, (rs1)", nf, 0, 0x08, width, False, vm=False)
    for nf in (1, 2, 4, 8):
        mem(f"vs{nf}r.v", "vs3, (rs1)", nf, 0, 0x08, 0, True, vm=False)
    mem("vlm.v", "vd, (rs1)", 1, 0, 0x0b, 0, False, vm=False)
    mem("vsm.v", "vs3, (rs1)", 1, 0, 0x0b, 0, True, vm=False)
    return out


def _fp_ops(specs: str) -> list[str]:
    out = []
    for spec in specs.strip().splitlines():
        name, f6, *forms = spec.split()
        for form in forms:
            if form in ("vv", "vs", "wv"):
                f3, syntax = OPFVV, "vd, vs2, vs1, vm"
            else:
                f3, syntax = OPFVF, "vd, vs2, fs1, vm"
            mn = f"{name}{form[1:]}" if name.endswith(".w") else f"{name}.{form}"
            out.append(_opv(mn, int(f6, 16), f3, syntax))
    return out


def _opm_lines() -> list[str]:
    out = []
    for line in _int_ops(_OPM, "m"):
        mn, rest = line.split(" | ", 1)
        # "vwaddu.w.wv" -> "vwaddu.wv"
        if ".w." in mn:
            mn = mn.replace(".w.", ".")
        out.append(f"{mn} | {rest}")
    return out


def _unary_lines() -> list[str]:
    out = []
    for f6, f3, entries in _UNARY:
        for mn, code, syntax in entries:
            out.append(_opv(mn, f6, f3, syntax, f"19..15={code:#x}"))
    return out


V = "\n".join(
    _CFG + _mem_lines() + _int_ops(_OPI, "i") + _opm_lines() + _macc_ops(_OPM_MACC, OPMVV, OPMVX, "rs1")
    + _fp_ops(_OPF) + _macc_ops(_OPF_MACC, OPFVV, OPFVF, "fs1") + _unary_lines() + _MISC
)

TABLES = {"v": V}


def _mnemonics_where(test) -> frozenset[str]:
    return frozenset(line.split(" | ")[0] for line in V.splitlines() if test(line.split(" | ")[2]))


# What the embedded subsets leave out by encoding (rvsim.isa.enabled): the instructions of the OPFVV and
# OPFVF categories need Zve32f (zv.adoc: Zve32x and Zve64x have no floating point), and the loads and
# stores whose width field names EEW=64 (data or index) need Zve64x (Zve32x "provides support for EEW of
# 8, 16, and 32"; GNU as 2.40 refuses them with "illegal opcode for zve32x").
FP_MNEMONICS = _mnemonics_where(lambda bits: "6..0=0x57" in bits and
                                (f"14..12={OPFVV} " in bits or f"14..12={OPFVF} " in bits))
EEW64_MEMORY = _mnemonics_where(lambda bits: ("6..0=0x7" in bits or "6..0=0x27" in bits) and
                                f"14..12={_WIDTHS[64]} " in bits)
