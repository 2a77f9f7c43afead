"""Operand rules of the V extension, derived from each table record's mnemonic and syntax.

The ISA table says where a vector instruction's register fields are; this module says what they hold
for a given vtype: each vector operand's element width (EEW) and register-group size (EMUL), whether
the operation is floating point, and which operands must not overlap.  The strategies use it to draw
only legal, fully specified register choices (the spec's "reserved" encodings and the cases it leaves to
the implementation are avoided), so new V records in the table are picked up as long as they follow
the naming patterns below; :func:`vector_shape` raises for a mnemonic it cannot classify, and a test
runs it over the whole table.

Conventions: LMUL and EMUL are kept as base-2 logarithms (-3..3), SEW and EEW in bits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..isa import Instruction

ELEN = 64
# mask-result compares: the destination may be v0 even when masked
_COMPARE = re.compile(r"vm(seq|sne|sltu|slt|sleu|sle|sgtu|sgt|feq|fle|flt|fne|fgt|fge)\.")
_UNIT = re.compile(r"v([ls])(?:seg(\d))?e(\d+)(ff)?\.v$")
_STRIDED = re.compile(r"v([ls])s(?:seg(\d))?e(\d+)\.v$")
_INDEXED = re.compile(r"v([ls])([uo])x(?:seg(\d))?ei(\d+)\.v$")
_WHOLE_LOAD = re.compile(r"vl(\d)re(\d+)\.v$")
_WHOLE_STORE = re.compile(r"vs(\d)r\.v$")
_WHOLE_MOVE = re.compile(r"vmv(\d)r\.v$")
_EXTEND = re.compile(r"v[sz]ext\.vf(\d)$")


@dataclass(frozen=True)
class VOperand:
    """A vector register operand: ``width`` is ``"sew"``, ``"2sew"``, ``"sew/2"`` (``/4``, ``/8``),
    ``"mask"`` (one register, EEW 1), ``"ei16"``, ``"eew8"``... (a fixed EEW, EMUL scaled from LMUL),
    or ``"whole"`` (``nregs`` registers regardless of vtype).  ``scalar`` operands use element 0 of
    one register (reduction operands)."""

    kind: str               # operand kind name in the table (vd, vs1, vs2, vs3)
    dest: bool
    width: str
    scalar: bool = False
    nregs: int = 1          # for "whole"


@dataclass(frozen=True)
class VMemory:
    mode: str               # "unit", "ff", "strided", "indexed", "whole", "mask"
    store: bool
    eew: int                # data EEW (0: SEW, for indexed); index EEW in ``index_eew``
    nf: int = 1
    index_eew: int = 0


@dataclass(frozen=True)
class VShape:
    record: Instruction
    category: str                      # "config", "memory", "arith"
    operands: tuple[VOperand, ...] = ()
    fp_widths: tuple[str, ...] = ()    # widths (as in VOperand.width) that hold floating-point values
    reads_v0: bool = False             # carry-in / merge select: the literal v0 operand
    masked_dest_may_be_v0: bool = False
    disjoint: tuple[tuple[str, str], ...] = ()   # operand pairs that must not overlap at all
    memory: VMemory | None = None
    vstart_ok: bool = True             # the spec allows vstart != 0


@dataclass(frozen=True)
class Placement:
    """An operand's EEW (bits; 1 for masks), EMUL (log2) and the number of registers it spans."""

    eew: int
    emul: int
    nregs: int
    align: int


_SHAPES: dict[str, VShape] = {}


def vector_shape(record: Instruction) -> VShape:
    """The operand rules of a V record (raises ValueError for a mnemonic it cannot classify)."""
    shape = _SHAPES.get(record.mnemonic)
    if shape is None:
        shape = _SHAPES[record.mnemonic] = _shape(record)
    return shape


def _shape(r: Instruction) -> VShape:
    m = r.mnemonic
    kinds = [k.name for k in r.operands]
    if m in ("vsetvli", "vsetivli", "vsetvl"):
        return VShape(r, "config")
    mem = _memory(m)
    if mem is not None:
        data = "vs3" if mem.store else "vd"
        if mem.mode == "whole":
            ops = (VOperand(data, not mem.store, "whole", nregs=mem.nf),)
        elif mem.mode == "mask":
            ops = (VOperand(data, not mem.store, "mask"),)
        elif mem.mode == "indexed":
            ops = (VOperand(data, not mem.store, "sew"), VOperand("vs2", False, f"eew{mem.index_eew}"))
        else:
            ops = (VOperand(data, not mem.store, f"eew{mem.eew}"),)
        return VShape(r, "memory", ops, memory=mem,
                      disjoint=(("vd", "vs2"),) if mem.mode == "indexed" and not mem.store else ())
    base, _, suffix = m.partition(".")
    fp = m.startswith(("vf", "vmf"))

    def op(kind, width, scalar=False, dest=None):
        return VOperand(kind, kind == "vd" if dest is None else dest, width, scalar)

    def present(*ops):
        return tuple(o for o in ops if o.kind in kinds)

    if suffix == "mm":
        return VShape(r, "arith", present(op("vd", "mask"), op("vs2", "mask"), op("vs1", "mask")))
    if m in ("vcpop.m", "vfirst.m"):
        return VShape(r, "arith", (op("vs2", "mask"),), vstart_ok=False)
    if m in ("vmsbf.m", "vmsif.m", "vmsof.m"):
        return VShape(r, "arith", (op("vd", "mask"), op("vs2", "mask")), disjoint=(("vd", "vs2"),),
                      vstart_ok=False)
    if m == "viota.m":
        return VShape(r, "arith", (op("vd", "sew"), op("vs2", "mask")), disjoint=(("vd", "vs2"),),
                      vstart_ok=False)
    if m == "vid.v":
        return VShape(r, "arith", (op("vd", "sew"),))
    if m in ("vmv.x.s", "vfmv.f.s"):
        return VShape(r, "arith", (op("vs2", "sew"),), fp_widths=("sew",) if fp else ())
    if m in ("vmv.s.x", "vfmv.s.f", "vmv.v.x", "vmv.v.i", "vfmv.v.f"):
        return VShape(r, "arith", (op("vd", "sew"),), fp_widths=("sew",) if fp else ())
    if m == "vmv.v.v":
        return VShape(r, "arith", (op("vd", "sew"), op("vs1", "sew")))
    wm = _WHOLE_MOVE.match(m)
    if wm:
        n = int(wm.group(1))
        return VShape(r, "arith", (VOperand("vd", True, "whole", nregs=n), VOperand("vs2", False, "whole", nregs=n)))
    if m == "vcompress.vm":
        return VShape(r, "arith", (op("vd", "sew"), op("vs2", "sew"), op("vs1", "mask")),
                      disjoint=(("vd", "vs2"), ("vd", "vs1")), vstart_ok=False)
    ext = _EXTEND.match(m)
    if ext:
        return VShape(r, "arith", (op("vd", "sew"), op("vs2", f"sew/{ext.group(1)}")))
    if _COMPARE.match(m) or base in ("vmadc", "vmsbc"):
        srcs = present(op("vs2", "sew"), op("vs1", "sew"))
        return VShape(r, "arith", (op("vd", "mask"),) + srcs, fp_widths=("sew",) if fp else (),
                      reads_v0="v0" in r.tokens, masked_dest_may_be_v0=bool(_COMPARE.match(m)))
    if base in ("vadc", "vsbc", "vmerge", "vfmerge"):
        return VShape(r, "arith", present(op("vd", "sew"), op("vs2", "sew"), op("vs1", "sew")),
                      fp_widths=("sew",) if fp else (), reads_v0=True)
    if suffix == "vs":                                  # reductions: vd and vs1 are scalars
        wide = base.startswith(("vwred", "vfwred"))
        w = "2sew" if wide else "sew"
        return VShape(r, "arith", (op("vd", w, True), op("vs2", "sew"), op("vs1", w, True)),
                      fp_widths=(("sew", "2sew") if wide else ("sew",)) if fp else (), vstart_ok=False)
    if base in ("vfcvt", "vfwcvt", "vfncvt"):
        return _conversion(r, base, suffix, op)
    if base.startswith(("vw", "vfw")) and suffix in ("vv", "vx", "vf", "wv", "wx", "wf"):
        wide_src = suffix.startswith("w")
        ops = present(op("vd", "2sew"), op("vs2", "2sew" if wide_src else "sew"), op("vs1", "sew"))
        return VShape(r, "arith", ops, fp_widths=("sew", "2sew") if fp else ())
    if base.startswith("vn") and suffix in ("wv", "wx", "wi"):
        return VShape(r, "arith", present(op("vd", "sew"), op("vs2", "2sew"), op("vs1", "sew")))
    if base in ("vrgather", "vrgatherei16"):
        ops = present(op("vd", "sew"), op("vs2", "sew"), op("vs1", "ei16" if base == "vrgatherei16" else "sew"))
        return VShape(r, "arith", ops, disjoint=tuple(("vd", o.kind) for o in ops[1:]))
    if base in ("vslideup", "vslide1up", "vfslide1up"):
        return VShape(r, "arith", present(op("vd", "sew"), op("vs2", "sew")), fp_widths=("sew",) if fp else (),
                      disjoint=(("vd", "vs2"),))
    if r.syntax.startswith("vd,") and set(kinds) <= {"vd", "vs1", "vs2", "rs1", "fs1", "simm5", "uimm5", "vm"}:
        # single-width arithmetic (multiply-adds read vd too; same EEW, so any overlap is legal)
        return VShape(r, "arith", present(op("vd", "sew"), op("vs2", "sew"), op("vs1", "sew")),
                      fp_widths=("sew",) if fp else ())
    raise ValueError(f"no vector operand rule for {m} ({r.syntax})")


def _conversion(r, base, suffix, op) -> VShape:
    # suffix: "xu.f.v", "rtz.x.f.v", "f.xu.w", "f.f.v", "rod.f.f.w"...; the part before the source
    # letter is the destination type
    parts = suffix.split(".")
    dst, src = parts[-3], parts[-2]
    dest_width = {"vfcvt": "sew", "vfwcvt": "2sew", "vfncvt": "sew"}[base]
    src_width = {"vfcvt": "sew", "vfwcvt": "sew", "vfncvt": "2sew"}[base]
    fp = tuple(w for w, t in ((dest_width, dst), (src_width, src)) if t == "f")
    return VShape(r, "arith", (op("vd", dest_width), op("vs2", src_width)), fp_widths=tuple(dict.fromkeys(fp)))


def _memory(m: str) -> VMemory | None:
    if m in ("vlm.v", "vsm.v"):
        return VMemory("mask", m == "vsm.v", 8)
    g = _UNIT.match(m)
    if g:
        return VMemory("ff" if g.group(4) else "unit", g.group(1) == "s", int(g.group(3)), int(g.group(2) or 1))
    g = _STRIDED.match(m)
    if g:
        return VMemory("strided", g.group(1) == "s", int(g.group(3)), int(g.group(2) or 1))
    g = _INDEXED.match(m)
    if g:
        return VMemory("indexed", g.group(1) == "s", 0, int(g.group(3) or 1), int(g.group(4)))
    g = _WHOLE_LOAD.match(m)
    if g:
        return VMemory("whole", False, int(g.group(2)), int(g.group(1)))
    g = _WHOLE_STORE.match(m)
    if g:
        return VMemory("whole", True, 8, int(g.group(1)))
    return None


def placement(o: VOperand, sew: int, lmul: int) -> Placement | None:
    """Where operand ``o`` lives under vtype (``sew`` bits, LMUL 2**``lmul``); None when the spec makes
    that combination reserved or leaves it to the implementation."""
    if o.width == "whole":
        return Placement(8, 0, o.nregs, o.nregs)
    if o.width == "mask":
        return Placement(1, 0, 1, 1)
    if o.width == "sew":
        eew, emul = sew, lmul
    elif o.width == "2sew":
        eew, emul = 2 * sew, lmul + 1
    elif o.width.startswith("sew/"):
        f = int(o.width[4:])
        eew, emul = sew // f, lmul - f.bit_length() + 1
    elif o.width.startswith("ei") or o.width.startswith("eew"):
        eew = int(re.sub(r"\D", "", o.width))
        emul = lmul + (eew.bit_length() - sew.bit_length())
    else:
        raise ValueError(o.width)
    if eew < 8 or eew > ELEN or not -3 <= emul <= 3:
        return None
    if emul < 0 and eew > ELEN >> -emul:         # fractional group too small for the element
        return None
    if o.scalar:
        return Placement(eew, emul, 1, 1)
    n = 1 << max(emul, 0)
    return Placement(eew, emul, n, n)


def fp_ok(shape: VShape, sew: int, fp_sews=frozenset({32, 64})) -> bool:
    """Whether the floating-point widths of ``shape`` are supported at ``sew``."""
    for w in shape.fp_widths:
        width = {"sew": sew, "2sew": 2 * sew}[w]
        if width not in fp_sews:
            return False
    return True


def layout(shape: VShape, sew: int, lmul: int, nf: int | None = None) -> dict[str, Placement] | None:
    """Placements of every vector operand of ``shape`` under (sew, lmul), or None if the instruction
    is not legal there.  Segment accesses span ``nf`` times the group."""
    out = {}
    for o in shape.operands:
        p = placement(o, sew, lmul)
        if p is None:
            return None
        if shape.memory is not None and shape.memory.nf > 1 and shape.memory.mode != "whole" and \
                o.kind in ("vd", "vs3"):
            total = shape.memory.nf * p.nregs
            if total > 8:
                return None
            p = Placement(p.eew, p.emul, total, p.align)
        out[o.kind] = p
    return out
