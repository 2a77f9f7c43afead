"""Timing classes: what the cycle model needs to know about each instruction, derived from the table.

Every instruction record gets an :class:`OpTiming`: its *class* (which functional unit or vector pipe runs
it and which latency/cost parameters apply), the register file of each decoded register slot and whether
the slot is read or written, and a few flags (memory access size and addressing mode, widening,
accumulation into the destination...).  The classes are assigned by rules on mnemonics and extensions,
not listed by hand, so instructions added to the table later (vector, ML extensions) are classified as
they arrive.  ``python -m rvsim.isa.gen_c`` writes the result as a C table (csrc/isa_timing.h); the timing
presets (rvsim.timing) name the classes to give them latencies.

Compressed instructions run their expansion's semantics and get their expansion's timing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import BY_MNEMONIC, INSTRUCTIONS, by_mnemonic, instructions
from .operands import FREG, VM, VREG, XREG
from .table import Instruction

# Scalar classes, then vector ones.  The order is the C enum's: append only.
SCALAR_CLASSES = (
    "alu", "branch", "jal", "jalr", "mul", "div", "load", "store", "amo",
    "fadd", "fmul", "fma", "fdiv", "fsqrt", "fmisc", "csr", "fence", "system",
)
VECTOR_CLASSES = (
    "vset",          # vsetvl/vsetvli/vsetivli (run by the scalar core)
    "vload", "vstore",
    "valu", "vmul", "vdiv",
    "vfalu", "vfmul", "vfma", "vfdiv",
    "vred", "vfred", "vfredo",
    "vmove", "vslide", "vgather", "vcompress",
    "vmask",         # mask-register logical operations
    "vtoscalar",     # result goes to an x or f register (vmv.x.s, vfmv.f.s, vcpop.m, vfirst.m)
    "vfromscalar",   # vmv.s.x, vfmv.s.f
    "vmvr",          # whole-register moves
    "vdot",          # int8 4-way dot product into int32 (Zvdot4a8i)
    "vbf16mac",      # bf16 widening multiply-add into fp32 (Zvfbfwma)
    "vtile",         # Zvt tile-array multiply-accumulate
    "vtilemove",     # Zvt moves between tile state and vector registers / memory
)
CLASSES = SCALAR_CLASSES + VECTOR_CLASSES
FIRST_VECTOR_CLASS = len(SCALAR_CLASSES)

# Register slot kinds (what the decoded rd/rs1/rs2/rs3 field names).
SLOT_NONE, SLOT_X, SLOT_F, SLOT_V = 0, 1, 2, 3
SLOT_KINDS = {XREG: SLOT_X, FREG: SLOT_F, VREG: SLOT_V}

# Flags.
F_RD_IS_SOURCE = 1 << 0     # the rd slot is read, not written (vector store data vs3)
F_READS_RD = 1 << 1         # the destination is also read (multiply-accumulate)
F_WIDEN = 1 << 2            # destination elements are 2*SEW wide
F_WIDE_SRC = 1 << 3         # vs2 elements are 2*SEW wide (.w forms, narrowing)
F_MASK_DEST = 1 << 4        # destination is one mask register
F_STRIDED = 1 << 5          # vector memory: strided
F_INDEXED = 1 << 6          # vector memory: indexed (gather/scatter)
F_WHOLE = 1 << 7            # vector memory / move: whole registers (nf registers, ignores vl)
F_MASK_MEM = 1 << 8         # vlm.v / vsm.v: ceil(vl/8) bytes
F_SCALAR_RESULT = 1 << 9    # result in an x or f register
F_SINGLE_ELEMENT = 1 << 10  # operates on element 0 only (vmv.s.x)
F_VSET = 1 << 11            # writes vl/vtype
F_FP = 1 << 12              # floating-point work (counts toward FLOPs)
F_FLOP2 = 1 << 13           # two FLOPs per element (fused multiply-add)
F_EXT_SRC = 1 << 14         # vzext/vsext: source elements narrower than SEW
F_FAULT_FIRST = 1 << 15     # fault-only-first load
F_HAS_VM = 1 << 16          # has a vm operand (aux[0] = 0 means masked)

FLAG_NAMES = {
    "RD_IS_SOURCE": F_RD_IS_SOURCE, "READS_RD": F_READS_RD, "WIDEN": F_WIDEN,
    "WIDE_SRC": F_WIDE_SRC, "MASK_DEST": F_MASK_DEST, "STRIDED": F_STRIDED, "INDEXED": F_INDEXED,
    "WHOLE": F_WHOLE, "MASK_MEM": F_MASK_MEM, "SCALAR_RESULT": F_SCALAR_RESULT,
    "SINGLE_ELEMENT": F_SINGLE_ELEMENT, "VSET": F_VSET, "FP": F_FP, "FLOP2": F_FLOP2,
    "EXT_SRC": F_EXT_SRC, "FAULT_FIRST": F_FAULT_FIRST, "HAS_VM": F_HAS_VM,
}


@dataclass(frozen=True)
class OpTiming:
    """Timing-relevant facts of one instruction."""

    tclass: str
    slots: tuple[int, int, int, int]     # SLOT_* of rd, rs1, rs2, rs3
    flags: int = 0
    mem_bytes: int = 0       # scalar memory access size; vector memory: element width in bits (0 = SEW)
    nf: int = 1              # vector segment fields / whole-register count
    elem_bits: int = 0       # scalar FP element width (16/32/64); 0 otherwise

    @property
    def class_index(self) -> int:
        return CLASSES.index(self.tclass)


_SCALAR_LOAD = {"lb": 1, "lh": 2, "lw": 4, "ld": 8, "lbu": 1, "lhu": 2, "lwu": 4,
                "flh": 2, "flw": 4, "fld": 8, "lr.w": 4, "lr.d": 8}
_SCALAR_STORE = {"sb": 1, "sh": 2, "sw": 4, "sd": 8, "fsh": 2, "fsw": 4, "fsd": 8,
                 "sc.w": 4, "sc.d": 8}
_FP_WIDTH = {"h": 16, "s": 32, "d": 64, "bf16": 16}

# Vector memory mnemonics.
_V_UNIT = re.compile(r"^v([ls])(?:seg(\d))?e(\d+)(ff)?\.v$")
_V_STRIDED = re.compile(r"^v([ls])s(?:seg(\d))?e(\d+)\.v$")
_V_INDEXED = re.compile(r"^v([ls])[uo]x(?:seg(\d))?ei(\d+)\.v$")
_V_WHOLE_LOAD = re.compile(r"^vl(\d)re(\d+)\.v$")
_V_WHOLE_STORE = re.compile(r"^vs(\d)r\.v$")


def _slots(insn: Instruction) -> tuple[tuple[int, int, int, int], bool]:
    slot_kind = {"rd": SLOT_NONE, "rs1": SLOT_NONE, "rs2": SLOT_NONE, "rs3": SLOT_NONE}
    rd_is_source = False
    for k in insn.all_operands:
        kind = SLOT_KINDS.get(k.role)
        if kind is None:
            continue
        for s in k.slots:
            if s in slot_kind:
                slot_kind[s] = kind
                if s == "rd" and k.name == "vs3":
                    rd_is_source = True
    return (slot_kind["rd"], slot_kind["rs1"], slot_kind["rs2"], slot_kind["rs3"]), rd_is_source


def _scalar_class(mn: str, ext: str) -> tuple[str, int, int]:
    """(class, flags, elem_bits) of a scalar instruction."""
    if mn in ("beq", "bne", "blt", "bge", "bltu", "bgeu"):
        return "branch", 0, 0
    if mn in ("jal", "jalr"):
        return mn, 0, 0
    if mn.startswith("amo"):
        return "amo", 0, 0
    if mn in _SCALAR_LOAD:
        return "load", 0, 0
    if mn in _SCALAR_STORE:
        return "store", 0, 0
    if mn.startswith("csrr"):
        return "csr", 0, 0
    if mn in ("fence", "fence.i", "fence.tso", "sfence.vma"):
        return "fence", 0, 0
    if mn in ("ecall", "ebreak", "mret", "sret", "wfi"):
        return "system", 0, 0
    if ext == "zbc":
        # carry-less multiplication: on the multiplier (an assumption: no modelled core documents it)
        return "mul", 0, 0
    if ext in ("m",) or mn.startswith(("mul", "div", "rem")):
        if mn.startswith("mul"):
            return "mul", 0, 0
        if mn.startswith(("div", "rem")):
            return "div", 0, 0
    if mn.startswith("f") and "." in mn:
        op, _, rest = mn.partition(".")
        width = _FP_WIDTH.get(rest.split(".")[-1], 0) if op not in ("fcvt", "fmv") else 0
        if op in ("fadd", "fsub"):
            return "fadd", F_FP, width
        if op == "fmul":
            return "fmul", F_FP, width
        if op in ("fmadd", "fmsub", "fnmadd", "fnmsub"):
            return "fma", F_FP | F_FLOP2, width
        if op == "fdiv":
            return "fdiv", F_FP, width
        if op == "fsqrt":
            return "fsqrt", F_FP, width
        return "fmisc", 0, width
    return "alu", 0, 0


def _vector_class(mn: str, ext: str) -> tuple[str, int, int, int]:
    """(class, flags, memory element bits, nf) of a vector (or ML-extension) instruction."""
    if mn.startswith("vsetvl") or mn == "vsetivli":
        return "vset", F_VSET, 0, 1
    m = _V_UNIT.match(mn)
    if m:
        kind, nf, eew, ff = m.groups()
        return ("vload" if kind == "l" else "vstore"), (F_FAULT_FIRST if ff else 0), int(eew), \
            int(nf or 1)
    m = _V_STRIDED.match(mn)
    if m:
        kind, nf, eew = m.groups()
        return ("vload" if kind == "l" else "vstore"), F_STRIDED, int(eew), int(nf or 1)
    m = _V_INDEXED.match(mn)
    if m:
        kind, nf, _index_eew = m.groups()
        return ("vload" if kind == "l" else "vstore"), F_INDEXED, 0, int(nf or 1)
    m = _V_WHOLE_LOAD.match(mn)
    if m:
        return "vload", F_WHOLE, int(m.group(2)), int(m.group(1))
    m = _V_WHOLE_STORE.match(mn)
    if m:
        return "vstore", F_WHOLE, 8, int(m.group(1))
    if mn in ("vlm.v", "vsm.v"):
        return ("vload" if mn == "vlm.v" else "vstore"), F_MASK_MEM, 8, 1
    m = re.match(r"^vmv(\d)r\.v$", mn)
    if m:
        return "vmvr", F_WHOLE, 0, int(m.group(1))
    if ext == "zvt" or mn.startswith("vt"):
        if "mm" in mn:      # vtfmm: FP tiles; vtmmu / vtmms: int8 -> int32 (operations, not FLOPs)
            return "vtile", (F_FP | F_FLOP2) if mn.startswith("vtf") else F_FLOP2, 0, 1
        return "vtilemove", 0, 0, 1
    if ext == "zvdot4a8i" or mn.startswith("vdot"):
        return "vdot", F_READS_RD, 0, 1
    if ext == "zvfbfwma" or "bf16" in mn and "macc" in mn:
        return "vbf16mac", F_READS_RD | F_WIDEN | F_FP | F_FLOP2, 0, 1

    base, _, form = mn.partition(".")
    flags = 0
    if form in ("wv", "wx", "wf", "wi"):
        flags |= F_WIDE_SRC            # .wv .wx .wf .wi: vs2 is 2*SEW
    if base.startswith(("vn", "vfn")) and base not in ("vnmsac", "vnmsub", "vfnmacc", "vfnmadd",
                                                       "vfnmsac", "vfnmsub"):
        flags |= F_WIDE_SRC            # narrowing: vs2 is 2*SEW, vd is SEW
    if base.startswith("vw") or (base.startswith("vfw") and not base.startswith("vfwred")):
        flags |= F_WIDEN
    if base in ("vzext", "vsext"):
        flags |= F_EXT_SRC

    if mn in ("vmv.x.s", "vfmv.f.s", "vcpop.m", "vfirst.m"):
        return "vtoscalar", F_SCALAR_RESULT, 0, 1
    if mn in ("vmv.s.x", "vfmv.s.f"):
        return "vfromscalar", F_SINGLE_ELEMENT, 0, 1
    if mn in ("vmv.v.v", "vmv.v.x", "vmv.v.i", "vfmv.v.f"):
        return "vmove", flags, 0, 1
    if "slide" in base:
        return "vslide", flags, 0, 1
    if base.startswith("vrgather"):
        return "vgather", flags, 0, 1
    if base == "vcompress":
        return "vcompress", flags, 0, 1
    if base in ("vfredosum", "vfwredosum"):
        return "vfredo", flags | F_FP, 0, 1
    if base.startswith(("vfred", "vfwred")):
        return "vfred", flags | F_FP, 0, 1
    if base.startswith(("vred", "vwred")):
        return "vred", flags, 0, 1
    if form == "mm" or base in ("vmsbf", "vmsif", "vmsof"):
        return "vmask", flags | F_MASK_DEST, 0, 1
    if base.startswith(("vms", "vmf", "vmadc", "vmsbc")):
        flags |= F_MASK_DEST
    macc = base in ("vmacc", "vnmsac", "vmadd", "vnmsub", "vwmacc", "vwmaccu", "vwmaccsu",
                    "vwmaccus")
    fmacc = base in ("vfmacc", "vfnmacc", "vfmsac", "vfnmsac", "vfmadd", "vfnmadd", "vfmsub",
                     "vfnmsub", "vfwmacc", "vfwnmacc", "vfwmsac", "vfwnmsac")
    if macc:
        return "vmul", flags | F_READS_RD, 0, 1
    if fmacc:
        return "vfma", flags | F_READS_RD | F_FP | F_FLOP2, 0, 1
    if base.startswith(("vmul", "vwmul", "vsmul")):
        return "vmul", flags, 0, 1
    if base.startswith(("vdiv", "vrem")):
        return "vdiv", flags, 0, 1
    if base in ("vfdiv", "vfrdiv", "vfsqrt"):
        return "vfdiv", flags | F_FP, 0, 1
    if base in ("vfmul", "vfwmul"):
        return "vfmul", flags | F_FP, 0, 1
    if base in ("vfadd", "vfsub", "vfrsub", "vfwadd", "vfwsub"):
        return "vfalu", flags | F_FP, 0, 1
    if base.startswith(("vf", "vmf")):
        return "vfalu", flags, 0, 1
    return "valu", flags, 0, 1


_VECTOR_EXTS = ("v", "zvfh", "zvfhmin", "zvfbfmin", "zvfbfwma", "zvdot4a8i", "zvt")


def classify(insn: Instruction) -> OpTiming:
    """Timing facts of ``insn`` (a compressed instruction gets its expansion's)."""
    if insn.expands_to:
        insn = (BY_MNEMONIC if insn.xlen != 32 else by_mnemonic(32))[insn.expands_to]
    slots, rd_is_source = _slots(insn)
    mn = insn.mnemonic
    exts = insn.extensions
    if any(e in _VECTOR_EXTS for e in exts) and mn.startswith("v"):
        tclass, flags, eew, nf = _vector_class(mn, exts[-1])
        if rd_is_source:
            flags |= F_RD_IS_SOURCE
        if any(k.role == VM for k in insn.all_operands):
            flags |= F_HAS_VM
        return OpTiming(tclass, slots, flags, eew, nf)
    tclass, flags, width = _scalar_class(mn, exts[-1])
    mem = _SCALAR_LOAD.get(mn) or _SCALAR_STORE.get(mn) or 0
    if tclass == "amo":
        mem = 8 if mn.endswith(".d") else 4
    return OpTiming(tclass, slots, flags, mem, 1, width)


def table(xlen: int = 64) -> dict[str, OpTiming]:
    """OpTiming of every instruction of RV``xlen``, by mnemonic."""
    return {r.mnemonic: classify(r) for r in (INSTRUCTIONS if xlen == 64 else instructions(xlen))}


__all__ = ["CLASSES", "SCALAR_CLASSES", "VECTOR_CLASSES", "OpTiming", "classify", "table"]
