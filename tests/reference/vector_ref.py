"""An independent reference model of RVV 1.0 integer instructions, written from the specification.

It works on a numpy copy of the vector register file (32 x VLENB bytes) with plain Python integers per
element: slow and obvious.  It knows nothing of the C core; tests run one instruction on both and
compare the whole register file, x registers, vxsat and vl.

Policy: agnostic elements are left undisturbed (the machine's default), or set to all ones when
``ones`` is true (Machine(vector_agnostic="ones")); mask destinations' tails are always agnostic.

``execute`` returns None, or "illegal" when the encoding is reserved for the current vtype (the C core
must then raise an illegal-instruction trap), or a memory fault ("fault", element) for loads/stores.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np


class Illegal(Exception):
    pass


def s(x: int, bits: int) -> int:
    """Two's-complement value of an unsigned bits-wide x."""
    x &= (1 << bits) - 1
    return x - (1 << bits) if x >> (bits - 1) else x


def u(x: int, bits: int) -> int:
    return x & ((1 << bits) - 1)


@dataclass
class VState:
    vlen: int
    vreg: np.ndarray                    # (32, vlenb) uint8
    sew: int = 8
    lmul: float = 1                     # 1/8 .. 8
    vta: int = 0
    vma: int = 0
    vl: int = 0
    vstart: int = 0
    vxrm: int = 0
    vxsat: int = 0
    x: list = field(default_factory=lambda: [0] * 32)
    ones: bool = False

    def __repr__(self):
        return (f"VState(vlen={self.vlen}, sew={self.sew}, lmul={self.lmul}, vl={self.vl}, "
                f"vstart={self.vstart}, vta={self.vta}, vma={self.vma}, ones={self.ones}, vxrm={self.vxrm})")

    @property
    def vlenb(self):
        return self.vlen // 8

    @property
    def vlmax(self):
        return int(self.lmul * self.vlen // self.sew)

    # element access over a register group (little-endian, contiguous)
    def get(self, reg: int, i: int, eew: int) -> int:
        flat = self.vreg.reshape(-1)
        off = reg * self.vlenb + i * eew // 8
        return int.from_bytes(flat[off:off + eew // 8].tobytes(), "little")

    def put(self, reg: int, i: int, eew: int, value: int) -> None:
        flat = self.vreg.reshape(-1)
        off = reg * self.vlenb + i * eew // 8
        flat[off:off + eew // 8] = np.frombuffer(u(value, eew).to_bytes(eew // 8, "little"), np.uint8)

    def bit(self, reg: int, i: int) -> int:
        return (int(self.vreg[reg, i // 8]) >> (i % 8)) & 1

    def put_bit(self, reg: int, i: int, b: int) -> None:
        byte = int(self.vreg[reg, i // 8])
        self.vreg[reg, i // 8] = (byte & ~(1 << (i % 8))) | ((b & 1) << (i % 8))


# ---------------------------------------------------------------- operand legality (spec: Vector Operands)

def regs_of(emul: float) -> int:
    return max(1, int(emul))


def check_group(reg: int, emul: float) -> None:
    if emul > 8 or emul < 1 / 8:
        raise Illegal("EMUL out of range")
    if emul > 1 and reg % int(emul):
        raise Illegal("misaligned register group")


def overlaps(a, na, b, nb) -> bool:
    return a < b + nb and b < a + na


def check_overlap(vd, d_emul, d_eew, vs, s_emul, s_eew) -> None:
    nd, ns = regs_of(d_emul), regs_of(s_emul)
    if not overlaps(vd, nd, vs, ns) or d_eew == s_eew:
        return
    if d_eew < s_eew and vd == vs:
        return
    if d_eew > s_eew and s_emul >= 1 and vs + ns == vd + nd:
        return
    raise Illegal("illegal overlap")


# ---------------------------------------------------------------- instruction semantics

def _rnd(v: int, d: int, vxrm: int) -> int:
    """Spec roundoff increment for v >> d."""
    if d == 0:
        return 0
    b = lambda k: (v >> k) & 1  # noqa: E731
    low = v & ((1 << (d - 1)) - 1)
    if vxrm == 0:
        return b(d - 1)
    if vxrm == 1:
        return b(d - 1) & (1 if (low != 0 or b(d)) else 0)
    if vxrm == 2:
        return 0
    return 1 if (not b(d)) and (v & ((1 << d) - 1)) != 0 else 0


def _sat(v: int, lo: int, hi: int, st: VState) -> int:
    if v < lo:
        st.vxsat = 1
        return lo
    if v > hi:
        st.vxsat = 1
        return hi
    return v


def _div(a, b, sew):
    if b == 0:
        return -1
    if a == -(1 << (sew - 1)) and b == -1:
        return a
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _rem(a, b, sew):
    if b == 0:
        return a
    if a == -(1 << (sew - 1)) and b == -1:
        return 0
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def single_width(name: str, a: int, b: int, sew: int, st: VState) -> int:
    """Result of a single-width op on unsigned a (vs2) and b (vs1 / scalar)."""
    sa, sb = s(a, sew), s(b, sew)
    smin, smax = -(1 << (sew - 1)), (1 << (sew - 1)) - 1
    sh = b & (sew - 1)
    ops = {
        "vadd": lambda: a + b, "vsub": lambda: a - b, "vrsub": lambda: b - a,
        "vminu": lambda: min(a, b), "vmin": lambda: min(sa, sb), "vmaxu": lambda: max(a, b),
        "vmax": lambda: max(sa, sb), "vand": lambda: a & b, "vor": lambda: a | b, "vxor": lambda: a ^ b,
        "vsll": lambda: a << sh, "vsrl": lambda: a >> sh, "vsra": lambda: sa >> sh,
        "vmul": lambda: a * b, "vmulh": lambda: (sa * sb) >> sew, "vmulhu": lambda: (a * b) >> sew,
        "vmulhsu": lambda: (sa * b) >> sew,
        "vdivu": lambda: a // b if b else -1, "vremu": lambda: a % b if b else a,
        "vdiv": lambda: _div(sa, sb, sew), "vrem": lambda: _rem(sa, sb, sew),
        "vsaddu": lambda: _sat(a + b, 0, (1 << sew) - 1, st), "vsadd": lambda: _sat(sa + sb, smin, smax, st),
        "vssubu": lambda: _sat(a - b, 0, (1 << sew) - 1, st), "vssub": lambda: _sat(sa - sb, smin, smax, st),
        "vaaddu": lambda: ((a + b) >> 1) + _rnd(a + b, 1, st.vxrm),
        "vaadd": lambda: ((sa + sb) >> 1) + _rnd(u(sa + sb, sew + 2), 1, st.vxrm),
        "vasubu": lambda: ((a - b) >> 1) + _rnd(u(a - b, sew + 2), 1, st.vxrm),
        "vasub": lambda: ((sa - sb) >> 1) + _rnd(u(sa - sb, sew + 2), 1, st.vxrm),
        "vsmul": lambda: _sat(((sa * sb) >> (sew - 1)) + _rnd(u(sa * sb, 2 * sew + 2), sew - 1, st.vxrm),
                              smin, smax, st),
        "vssrl": lambda: (a >> sh) + _rnd(a, sh, st.vxrm),
        "vssra": lambda: (sa >> sh) + _rnd(a, sh, st.vxrm),
    }
    return u(ops[name](), sew)


def multiply_add(name: str, d: int, a: int, b: int, sew: int) -> int:
    return u({"vmacc": d + b * a, "vnmsac": d - b * a, "vmadd": b * d + a, "vnmsub": a - b * d}[name], sew)


def widening(name: str, a: int, b: int, d: int, sew: int) -> int:
    """a is vs2 (SEW, or 2*SEW for .w forms), b vs1/scalar (SEW), d the old 2*SEW destination."""
    w = 2 * sew
    sa, sb = s(a, sew), s(b, sew)
    base = name.replace(".w", "")
    if name.endswith(".w"):
        sa = s(a, w)
    r = {
        "vwaddu": a + b, "vwadd": sa + sb, "vwsubu": a - b, "vwsub": sa - sb,
        "vwmulu": a * b, "vwmul": sa * sb, "vwmulsu": sa * b,
        "vwmaccu": d + a * b, "vwmacc": d + sa * sb, "vwmaccsu": d + sb * a, "vwmaccus": d + b * sa,
    }[base]
    return u(r, w)


def narrowing(name: str, a: int, b: int, sew: int, st: VState) -> int:
    """a is vs2 (2*SEW), b the shift amount source (SEW)."""
    w = 2 * sew
    sh = b & (w - 1)
    if name == "vnsrl":
        return u(a >> sh, sew)
    if name == "vnsra":
        return u(s(a, w) >> sh, sew)
    if name == "vnclipu":
        return _sat((a >> sh) + _rnd(a, sh, st.vxrm), 0, (1 << sew) - 1, st)
    if name == "vnclip":
        return u(_sat((s(a, w) >> sh) + _rnd(a, sh, st.vxrm), -(1 << (sew - 1)), (1 << (sew - 1)) - 1, st),
                 sew)
    raise KeyError(name)


def compare(name: str, a: int, b: int, sew: int) -> int:
    sa, sb = s(a, sew), s(b, sew)
    return int({"vmseq": a == b, "vmsne": a != b, "vmsltu": a < b, "vmslt": sa < sb, "vmsleu": a <= b,
                "vmsle": sa <= sb, "vmsgtu": a > b, "vmsgt": sa > sb}[name])


SINGLE = ["vadd", "vsub", "vrsub", "vminu", "vmin", "vmaxu", "vmax", "vand", "vor", "vxor", "vsll", "vsrl",
          "vsra", "vmul", "vmulh", "vmulhu", "vmulhsu", "vdivu", "vdiv", "vremu", "vrem", "vsaddu", "vsadd",
          "vssubu", "vssub", "vaaddu", "vaadd", "vasubu", "vasub", "vsmul", "vssrl", "vssra"]
MACC = ["vmacc", "vnmsac", "vmadd", "vnmsub"]
WIDENING = ["vwaddu", "vwadd", "vwsubu", "vwsub", "vwaddu.w", "vwadd.w", "vwsubu.w", "vwsub.w", "vwmulu",
            "vwmul", "vwmulsu", "vwmaccu", "vwmacc", "vwmaccsu", "vwmaccus"]
NARROWING = ["vnsrl", "vnsra", "vnclipu", "vnclip"]
COMPARE = ["vmseq", "vmsne", "vmsltu", "vmslt", "vmsleu", "vmsle", "vmsgtu", "vmsgt"]
REDUCTIONS = {"vredsum": lambda acc, a, w: acc + a, "vredand": lambda acc, a, w: acc & a,
              "vredor": lambda acc, a, w: acc | a, "vredxor": lambda acc, a, w: acc ^ a,
              "vredminu": lambda acc, a, w: min(acc, a), "vredmaxu": lambda acc, a, w: max(acc, a),
              "vredmin": lambda acc, a, w: u(min(s(acc, w), s(a, w)), w),
              "vredmax": lambda acc, a, w: u(max(s(acc, w), s(a, w)), w)}
MASK_LOGICAL = {"vmand": lambda a, b: a & b, "vmnand": lambda a, b: 1 - (a & b),
                "vmandn": lambda a, b: a & (1 - b), "vmxor": lambda a, b: a ^ b, "vmor": lambda a, b: a | b,
                "vmnor": lambda a, b: 1 - (a | b), "vmorn": lambda a, b: a | (1 - b),
                "vmxnor": lambda a, b: 1 - (a ^ b)}


def _split(mnemonic: str) -> tuple[str, str]:
    base, _, form = mnemonic.rpartition(".")
    return base, form


def execute(st: VState, mnemonic: str, ops: dict) -> None:
    """Execute one arithmetic/mask/permutation instruction on ``st``; raise Illegal when reserved."""
    name, form = _split(mnemonic)
    # carry-in and merge forms read v0 as a mask (their vm bit is 0); unmasked-only forms have vm=1
    vm = ops.get("vm", 0 if form in ("vvm", "vxm", "vim") else 1)
    sew, lmul = st.sew, st.lmul
    vd, vs1, vs2 = ops.get("vd"), ops.get("vs1"), ops.get("vs2")
    scalar = None
    if "rs1" in ops:
        scalar = st.x[ops["rs1"]]
    elif "simm5" in ops:
        scalar = ops["simm5"]
    elif "uimm5" in ops:
        scalar = ops["uimm5"]
    masked = vm == 0

    def active(i):
        return vm == 1 or st.bit(0, i)

    def check_sources(d_emul, d_eew, srcs, no_overlap=False, v0_dest_ok=False):
        """srcs: list of (reg, emul, eew)."""
        d_emul_eff = 1 if d_eew == 1 else d_emul
        check_group(vd, d_emul_eff)
        if masked and vd == 0 and d_eew != 1 and not v0_dest_ok:
            raise Illegal("masked destination overlaps v0")
        for reg, emul, eew in srcs:
            e_eff = 1 if eew == 1 else emul
            check_group(reg, e_eff)
            if no_overlap:
                if overlaps(vd, regs_of(d_emul_eff), reg, regs_of(e_eff)):
                    raise Illegal("destination overlaps a source")
            else:
                check_overlap(vd, d_emul_eff, d_eew, reg, e_eff, eew)
            if masked and reg == 0 and eew != 1:
                raise Illegal("v0 read as mask and as data")
        vecs = [(r, 1 if e == 1 else em, e) for r, em, e in srcs]
        for i in range(len(vecs)):
            for j in range(i + 1, len(vecs)):
                (r1, e1, w1), (r2, e2, w2) = vecs[i], vecs[j]
                if w1 != w2 and overlaps(r1, regs_of(e1), r2, regs_of(e2)):
                    raise Illegal("register read with two EEWs")

    def write_elems(d_eew, d_emul, compute, lo=None):
        """Element-wise write with masking, vstart and tail policy; compute(i) -> value.
        Elements below ``lo`` (default vstart) are left alone."""
        if st.vstart >= st.vl:
            return
        lo = st.vstart if lo is None else max(lo, st.vstart)
        results = {}
        for i in range(lo, st.vl):
            if active(i):
                results[i] = compute(i)
        for i in range(lo, st.vl):
            if i in results:
                st.put(vd, i, d_eew, results[i])
            elif st.ones and st.vma:
                st.put(vd, i, d_eew, -1)
        if st.ones and st.vta:
            end = regs_of(d_emul) * st.vlenb * 8 // d_eew
            for i in range(st.vl, end):
                st.put(vd, i, d_eew, -1)

    def write_mask(compute, use_mask=True):
        if st.vstart >= st.vl:
            return
        out = {}
        for i in range(st.vstart, st.vl):
            if not use_mask or active(i):
                out[i] = compute(i)
        for i in range(st.vstart, st.vl):
            if i in out:
                st.put_bit(vd, i, out[i])
            elif st.ones and st.vma:
                st.put_bit(vd, i, 1)
        if st.ones:
            for i in range(st.vl, st.vlen):
                st.put_bit(vd, i, 1)

    def src2(i, eew=None):
        return st.get(vs2, i, eew or sew)

    def src1(i):
        return st.get(vs1, i, sew) if form in ("vv", "wv", "vvm") else u(scalar, sew)

    has_vs1 = form in ("vv", "wv", "vvm")
    s1 = [(vs1, lmul, sew)] if has_vs1 else []

    if name in SINGLE:
        check_sources(lmul, sew, [(vs2, lmul, sew)] + s1)
        write_elems(sew, lmul, lambda i: single_width(name, src2(i), src1(i), sew, st))
    elif name in MACC:
        check_sources(lmul, sew, [(vs2, lmul, sew)] + s1)
        write_elems(sew, lmul, lambda i: multiply_add(name, st.get(vd, i, sew), src2(i), src1(i), sew))
    elif name in WIDENING or (name + "." + form[0]) in WIDENING:
        full = name + ".w" if form in ("wv", "wx") else name
        if sew == 64 or lmul == 8:
            raise Illegal("widening at SEW=64 or LMUL=8")
        wide_a = form in ("wv", "wx")
        check_sources(2 * lmul, 2 * sew, [(vs2, 2 * lmul if wide_a else lmul, 2 * sew if wide_a else sew)] + s1)
        write_elems(2 * sew, 2 * lmul,
                    lambda i: widening(full, src2(i, 2 * sew if wide_a else sew), src1(i),
                                       st.get(vd, i, 2 * sew), sew))
    elif name in NARROWING:
        if sew == 64 or lmul == 8:
            raise Illegal("narrowing at SEW=64 or LMUL=8")
        check_sources(lmul, sew, [(vs2, 2 * lmul, 2 * sew)] + s1)
        write_elems(sew, lmul, lambda i: narrowing(name, src2(i, 2 * sew), src1(i), sew, st))
    elif name in COMPARE:
        check_sources(1, 1, [(vs2, lmul, sew)] + s1)
        write_mask(lambda i: compare(name, src2(i), src1(i), sew))
    elif name in ("vadc", "vsbc"):
        check_sources(lmul, sew, [(vs2, lmul, sew)] + s1)
        if vd == 0:
            raise Illegal("vadc/vsbc into v0")
        sign = 1 if name == "vadc" else -1
        vm = 1   # every body element is written
        write_elems(sew, lmul, lambda i: src2(i) + sign * (src1(i) + st.bit(0, i)))
    elif name in ("vmadc", "vmsbc"):
        carry_in = form.endswith("m")
        check_sources(1, 1, [(vs2, lmul, sew)] + s1)
        def carry(i):
            cin = st.bit(0, i) if carry_in else 0
            if name == "vmadc":
                return int(src2(i) + src1(i) + cin >= 1 << sew)
            return int(src2(i) - src1(i) - cin < 0)
        write_mask(carry, use_mask=False)
    elif name == "vmerge" or mnemonic.startswith("vmv.v."):
        merge = name == "vmerge"
        check_group(vd, lmul)
        if merge and (vd == 0 or vs2 == 0):
            raise Illegal("merge with v0 as data")
        if merge:
            check_group(vs2, lmul)
        if has_vs1 or form == "v":
            check_group(vs1, lmul)
            if merge and vs1 == 0:
                raise Illegal("merge with v0 as data")
        def pick(i):
            other = st.get(vs1, i, sew) if (has_vs1 or form == "v") else u(scalar, sew)
            return other if (not merge or st.bit(0, i)) else src2(i)
        vm = 1
        write_elems(sew, lmul, pick)
    elif name in ("vzext", "vsext"):
        f = int(form[2])
        seew, semul = sew // f, lmul / f
        if seew < 8 or semul < 1 / 8:
            raise Illegal("extension source EEW/EMUL")
        check_sources(lmul, sew, [(vs2, semul, seew)])
        write_elems(sew, lmul, lambda i: (s(src2(i, seew), seew) if name == "vsext" else src2(i, seew)))
    elif name in REDUCTIONS or name in ("vwredsum", "vwredsumu"):
        wide = name.startswith("vw")
        if wide and sew == 64:
            raise Illegal("widening reduction at SEW=64")
        if st.vstart != 0:
            raise Illegal("reduction with vstart != 0")
        check_group(vs2, lmul)
        if masked and vs2 == 0:
            raise Illegal("v0 read as mask and as data")
        if st.vl == 0:
            return
        w = 2 * sew if wide else sew
        acc = st.get(vs1, 0, w)
        for i in range(st.vl):
            if active(i):
                a = src2(i)
                if wide:
                    a = u(s(a, sew), w) if name == "vwredsum" else a
                    acc = u(acc + a, w)
                else:
                    acc = u(REDUCTIONS[name](acc, a, w), w)
        st.put(vd, 0, w, acc)
        if st.ones and st.vta:
            for i in range(1, st.vlenb * 8 // w):
                st.put(vd, i, w, -1)
    elif name in MASK_LOGICAL:
        vm = 1
        write_mask(lambda i: MASK_LOGICAL[name](st.bit(vs2, i), st.bit(vs1, i)), use_mask=False)
    elif mnemonic in ("vcpop.m", "vfirst.m"):
        if st.vstart != 0:
            raise Illegal("vstart != 0")
        set_bits = [i for i in range(st.vl) if st.bit(vs2, i) and active(i)]
        rd = ops["rd"]
        if mnemonic == "vcpop.m":
            value = len(set_bits)
        else:
            value = set_bits[0] if set_bits else -1
        if rd:
            st.x[rd] = u(value, 64)
    elif mnemonic in ("vmsbf.m", "vmsif.m", "vmsof.m"):
        if st.vstart != 0 or vd == vs2 or (masked and vd == 0):
            raise Illegal("vmsbf/vmsif/vmsof operands")
        found = [False]
        def first(i):
            sbit = st.bit(vs2, i)
            if found[0]:
                return 0
            if sbit:
                found[0] = True
                return 0 if mnemonic == "vmsbf.m" else 1
            return 0 if mnemonic == "vmsof.m" else 1
        write_mask(first)
    elif mnemonic == "viota.m":
        check_group(vd, lmul)
        if st.vstart != 0 or (masked and vd == 0) or overlaps(vd, regs_of(lmul), vs2, 1):
            raise Illegal("viota operands")
        count = [0]
        def iota(i):
            r = count[0]
            count[0] += st.bit(vs2, i)
            return r
        write_elems(sew, lmul, iota)
    elif mnemonic == "vid.v":
        check_group(vd, lmul)
        if masked and vd == 0:
            raise Illegal("masked vid into v0")
        write_elems(sew, lmul, lambda i: i)
    elif mnemonic == "vmv.x.s":
        if ops["rd"]:
            st.x[ops["rd"]] = u(s(st.get(vs2, 0, sew), sew), 64)
    elif mnemonic == "vmv.s.x":
        if st.vstart < st.vl:
            st.put(vd, 0, sew, st.x[ops["rs1"]])
            if st.ones and st.vta:
                for i in range(1, st.vlenb * 8 // sew):
                    st.put(vd, i, sew, -1)
    elif name in ("vslideup", "vslidedown", "vslide1up", "vslide1down"):
        up = "up" in name
        check_sources(lmul, sew, [(vs2, lmul, sew)], no_overlap=up)
        x = scalar
        vlmax = st.vlmax
        src = [src2(i) for i in range(vlmax)]
        if name == "vslideup":
            # destination elements below the offset are unchanged
            write_elems(sew, lmul, lambda i: src[i - x], lo=min(x, st.vl))
        elif name == "vslidedown":
            write_elems(sew, lmul, lambda i: src[i + x] if i + x < vlmax else 0)
        elif name == "vslide1up":
            write_elems(sew, lmul, lambda i: u(x, sew) if i == 0 else src[i - 1])
        else:
            write_elems(sew, lmul, lambda i: u(x, sew) if i == st.vl - 1 else src[i + 1])
    elif name in ("vrgather", "vrgatherei16"):
        ei16 = name == "vrgatherei16"
        srcs = [(vs2, lmul, sew)]
        if has_vs1:
            srcs.append((vs1, lmul * 16 / sew if ei16 else lmul, 16 if ei16 else sew))
        check_sources(lmul, sew, srcs, no_overlap=True)
        vlmax = st.vlmax
        table = [src2(i) for i in range(vlmax)]
        def gather(i):
            k = (st.get(vs1, i, 16 if ei16 else sew) if has_vs1 else scalar)
            return table[k] if k < vlmax else 0
        write_elems(sew, lmul, gather)
    elif mnemonic == "vcompress.vm":
        if st.vstart != 0:
            raise Illegal("vcompress with vstart != 0")
        check_sources(lmul, sew, [(vs2, lmul, sew), (vs1, 1, 1)], no_overlap=True)
        packed = [src2(i) for i in range(st.vl) if st.bit(vs1, i)]
        for k, v in enumerate(packed):
            st.put(vd, k, sew, v)
        if st.ones and st.vta and st.vl > 0:      # vstart >= vl: no element, tail included, is written
            for k in range(len(packed), regs_of(lmul) * st.vlenb * 8 // sew):
                st.put(vd, k, sew, -1)
    elif mnemonic.startswith("vmv") and mnemonic.endswith("r.v"):
        nr = int(mnemonic[3])
        if vd % nr or vs2 % nr:
            raise Illegal("vmv<nr>r alignment")
        start = st.vstart * sew // 8
        flat = st.vreg.reshape(-1)
        n = nr * st.vlenb
        if start < n:
            flat[vd * st.vlenb + start:vd * st.vlenb + n] = flat[vs2 * st.vlenb + start:vs2 * st.vlenb + n].copy()
    else:
        raise KeyError(f"reference model does not know {mnemonic}")
    st.vstart = 0


# ---------------------------------------------------------------- loads and stores

class MemoryFault(Exception):
    def __init__(self, element: int, addr: int):
        super().__init__(f"fault at element {element}, address {addr:#x}")
        self.element, self.addr = element, addr


def execute_mem(st: VState, word_fields: dict, ops: dict, mem: bytearray, mem_base: int) -> None:
    """Execute a vector load/store.  ``word_fields``: nf, mop, lumop (loads: the 24..20 field), width,
    store (bool).  Memory is ``mem`` at guest address ``mem_base``; any access outside it faults
    (MemoryFault with vstart set to the element, elements before it done).  Raises Illegal when reserved."""
    nf, mop, lumop, store = word_fields["nf"], word_fields["mop"], word_fields["lumop"], word_fields["store"]
    eew = {0: 8, 5: 16, 6: 32, 7: 64}[word_fields["width"]]
    vd = ops.get("vd", ops.get("vs3"))
    vm = ops.get("vm", 1)
    base = st.x[ops["rs1"]]

    def access(addr, nbytes, value=None):
        off = (addr - mem_base) % (1 << 64)
        if off + nbytes > len(mem):
            # an access that runs off the end reports the address of its first inaccessible byte
            # (privileged spec: mtval holds the portion of a misaligned access that faulted)
            raise MemoryFault(-1, addr if off >= len(mem) else (mem_base + len(mem)) % (1 << 64))
        if value is None:
            return int.from_bytes(mem[off:off + nbytes], "little")
        mem[off:off + nbytes] = u(value, 8 * nbytes).to_bytes(nbytes, "little")
        return None

    if mop == 0 and lumop in (8, 0xb):
        # whole register (8) or mask (0xb) load/store: byte-granular, unmasked
        if lumop == 8:
            if nf not in (1, 2, 4, 8) or vd % nf:
                raise Illegal("whole-register group")
            evl = nf * st.vlenb * 8 // eew
        else:
            eew, evl = 8, (st.vl + 7) // 8
        for i in range(st.vstart, evl):
            addr = (base + i * eew // 8) % (1 << 64)
            try:
                if store:
                    access(addr, eew // 8, st.get(vd, i, eew))
                else:
                    st.put(vd, i, eew, access(addr, eew // 8))
            except MemoryFault as f:
                st.vstart = i
                raise MemoryFault(i, f.addr) from None
        if lumop == 0xb and not store and st.ones and st.vstart < evl:
            for i in range(evl, st.vlenb):
                st.put(vd, i, 8, -1)
        st.vstart = 0
        return

    indexed = mop in (1, 3)
    data_eew = st.sew if indexed else eew
    data_emul = st.lmul if indexed else eew / st.sew * st.lmul
    if data_emul > 8 or data_emul < 1 / 8:
        raise Illegal("EMUL out of range")
    regs = regs_of(data_emul)
    check_group(vd, data_emul)
    if nf * regs > 8 or vd + nf * regs > 32:
        raise Illegal("segment group beyond v31 or over 8 registers")
    if not store and vm == 0 and vd == 0:
        raise Illegal("masked load into v0")
    if indexed:
        idx_emul = eew / st.sew * st.lmul
        check_group(ops["vs2"], idx_emul)
        if not store:
            for f in range(nf):
                fd = vd + f * regs
                if nf > 1:
                    if overlaps(fd, regs, ops["vs2"], regs_of(idx_emul)):
                        raise Illegal("segment destination overlaps index")
                else:
                    check_overlap(fd, data_emul, data_eew, ops["vs2"], idx_emul, eew)
    if st.vstart >= st.vl:
        st.vstart = 0
        return
    stride = s(st.x[ops["rs2"]], 64) if mop == 2 else nf * data_eew // 8
    ff = not store and mop == 0 and lumop == 0x10
    for i in range(st.vstart, st.vl):
        if vm == 0 and not st.bit(0, i):
            if not store and st.ones and st.vma:
                for f in range(nf):
                    st.put(vd + f * regs, i, data_eew, -1)
            continue
        if indexed:
            addr = base + st.get(ops["vs2"], i, eew)
        else:
            addr = base + i * stride
        for f in range(nf):
            fa = (addr + f * data_eew // 8) % (1 << 64)
            try:
                if store:
                    access(fa, data_eew // 8, st.get(vd + f * regs, i, data_eew))
                else:
                    st.put(vd + f * regs, i, data_eew, access(fa, data_eew // 8))
            except MemoryFault as fault:
                if ff and i > 0:
                    st.vl = i
                    break
                st.vstart = i
                raise MemoryFault(i, fault.addr) from None
        else:
            continue
        break
    if not store and st.ones and st.vta:
        for f in range(nf):
            for i in range(st.vl, regs * st.vlenb * 8 // data_eew):
                st.put(vd + f * regs, i, data_eew, -1)
    st.vstart = 0


# ---------------------------------------------------------------- floating point

def _write_elems(st: VState, vd: int, vm: int, d_eew: int, d_emul: float, compute) -> None:
    if st.vstart >= st.vl:
        return
    for i in range(st.vstart, st.vl):
        if vm == 1 or st.bit(0, i):
            st.put(vd, i, d_eew, compute(i))
        elif st.ones and st.vma:
            st.put(vd, i, d_eew, -1)
    if st.ones and st.vta:
        for i in range(st.vl, regs_of(d_emul) * st.vlenb * 8 // d_eew):
            st.put(vd, i, d_eew, -1)


def _write_mask(st: VState, vd: int, vm: int, compute) -> None:
    if st.vstart >= st.vl:
        return
    out = {i: compute(i) for i in range(st.vstart, st.vl) if vm == 1 or st.bit(0, i)}
    for i in range(st.vstart, st.vl):
        if i in out:
            st.put_bit(vd, i, out[i])
        elif st.ones and st.vma:
            st.put_bit(vd, i, 1)
    if st.ones:
        for i in range(st.vl, st.vlen):
            st.put_bit(vd, i, 1)


FP_BINARY = ["vfadd", "vfsub", "vfrsub", "vfmul", "vfdiv", "vfrdiv", "vfmin", "vfmax", "vfsgnj", "vfsgnjn",
             "vfsgnjx"]
FP_FMA = ["vfmacc", "vfnmacc", "vfmsac", "vfnmsac", "vfmadd", "vfnmadd", "vfmsub", "vfnmsub"]
# The specification's lookup tables for vfrec7.v (index: the seven significand MSBs) and vfrsqrt7.v
# (index: the exponent's LSB, then the six significand MSBs); entries are the seven MSBs of the result
# significand.
REC7_TABLE = [
    127, 125, 123, 121, 119, 117, 116, 114, 112, 110, 109, 107, 105, 104, 102, 100,
    99, 97, 96, 94, 93, 91, 90, 88, 87, 85, 84, 83, 81, 80, 79, 77,
    76, 75, 74, 72, 71, 70, 69, 68, 66, 65, 64, 63, 62, 61, 60, 59,
    58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43,
    42, 41, 40, 40, 39, 38, 37, 36, 35, 35, 34, 33, 32, 31, 31, 30,
    29, 28, 28, 27, 26, 25, 25, 24, 23, 23, 22, 21, 21, 20, 19, 19,
    18, 17, 17, 16, 15, 15, 14, 14, 13, 12, 12, 11, 11, 10, 9, 9,
    8, 8, 7, 7, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0,
]
RSQRT7_TABLE = [
    52, 51, 50, 48, 47, 46, 44, 43, 42, 41, 40, 39, 38, 36, 35, 34,
    33, 32, 31, 30, 30, 29, 28, 27, 26, 25, 24, 23, 23, 22, 21, 20,
    19, 19, 18, 17, 16, 16, 15, 14, 14, 13, 12, 12, 11, 10, 10, 9,
    9, 8, 7, 7, 6, 6, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0,
    127, 125, 123, 121, 119, 118, 116, 114, 113, 111, 109, 108, 106, 105, 103, 102,
    100, 99, 97, 96, 95, 93, 92, 91, 90, 88, 87, 86, 85, 84, 83, 82,
    80, 79, 78, 77, 76, 75, 74, 73, 72, 71, 70, 70, 69, 68, 67, 66,
    65, 64, 63, 63, 62, 61, 60, 59, 59, 58, 57, 56, 56, 55, 54, 53,
]


def _normalised(fmt: int, magnitude) -> tuple[int, int]:
    """Biased exponent (below 1 for subnormals) and significand bits after the leading one."""
    from . import fp
    f = fp.FORMATS[fmt]
    e = fp.floor_log2(magnitude)
    frac = (magnitude / fp.pow2(e) - 1) * 2 ** f.frac_bits
    return e + f.bias, int(frac)


def estimate(fmt: int, a: int, recip_sqrt: bool, rm: int) -> tuple[int, int]:
    """vfrsqrt7 / vfrec7 of bit pattern a: (result, flags)."""
    from . import fp
    f = fp.FORMATS[fmt]
    v = fp.decode(fmt, a)
    if v.is_nan:
        return f.canonical_nan, fp.NV if v.kind == fp.SNAN else 0
    if v.kind == fp.ZERO:
        return fp._infinity(fmt, v.sign), fp.DZ
    if recip_sqrt:
        if v.sign:
            return f.canonical_nan, fp.NV
        if v.kind == fp.INF:
            return 0, 0
        e, sig = _normalised(fmt, v.magnitude)
        t = RSQRT7_TABLE[((e & 1) << 6) | (sig >> (f.frac_bits - 6))]
        out_e = (3 * f.bias - 1 - e) // 2
        return fp._encode_exact(fmt, 0, (1 + Fraction(t, 128)) * fp.pow2(out_e - f.bias)), 0
    if v.kind == fp.INF:
        return fp._zero(fmt, v.sign), 0
    e, sig = _normalised(fmt, v.magnitude)
    t = REC7_TABLE[sig >> (f.frac_bits - 7)]
    out_e = 2 * f.bias - 1 - e
    value = (1 + Fraction(t, 128)) * fp.pow2(out_e - f.bias)
    if out_e > 2 * f.bias:
        return fp.round_value(fmt, v.sign, value, rm)     # overflow: infinity or the largest finite
    if out_e < 1:
        # subnormal: the significand with its leading one shifted right, low bits dropped
        value = Fraction(int(value / fp.pow2(1 - f.bias - f.frac_bits)), 1) * fp.pow2(1 - f.bias - f.frac_bits)
    return fp._encode_exact(fmt, v.sign, value), 0


FP_WIDE = ["vfwadd", "vfwsub", "vfwadd.w", "vfwsub.w", "vfwmul", "vfwmacc", "vfwnmacc", "vfwmsac", "vfwnmsac"]
FP_CMP = ["vmfeq", "vmfne", "vmflt", "vmfle", "vmfgt", "vmfge"]


def execute_fp(st: VState, mnemonic: str, ops: dict, frm: int, fregs: list, exts=frozenset()) -> int:
    """Execute one vector FP instruction with dynamic rounding mode ``frm``; ``fregs`` are the 64-bit f
    registers (updated by vfmv.f.s).  Returns the accrued exception flags.  SEW 32/64, and binary16 at
    SEW=16 as ``exts`` allows: with "zvfh" every FP instruction plus the int8 <-> f16 conversions, with
    "zvfhmin" only vfwcvt.f.f.v and vfncvt.f.f.w (spec: zvfh.adoc, zvfhmin.adoc)."""
    from . import fp
    zvfh = "zvfh" in exts
    name, _, form = mnemonic.rpartition(".")
    vm = ops.get("vm", 0 if form == "vfm" else 1)
    masked = vm == 0
    sew, lmul = st.sew, st.lmul
    vd, vs1, vs2 = ops.get("vd"), ops.get("vs1"), ops.get("vs2")
    flags = [0]
    if frm > 4:
        raise Illegal("invalid frm")

    def F(w):
        return {16: fp.F16, 32: fp.F32, 64: fp.F64}[w]

    def call(fn, *args):
        r, fl = fn(*args)
        flags[0] |= fl
        return r

    def neg(x, w):
        return x ^ (1 << (w - 1))

    def scalar(w):
        v = fregs[ops["fs1"]]
        if w == 64:
            return v
        return v & ((1 << w) - 1) if v >> w == (1 << (64 - w)) - 1 else fp.canonical_nan(F(w))

    def basic_checks(d_emul, d_eew, srcs):
        check_group(vd, 1 if d_eew == 1 else d_emul)
        if masked and vd == 0 and d_eew != 1:
            raise Illegal("masked destination overlaps v0")
        for reg, emul, eew in srcs:
            check_group(reg, emul)
            check_overlap(vd, 1 if d_eew == 1 else d_emul, d_eew, reg, emul, eew)
            if masked and reg == 0:
                raise Illegal("v0 read as mask and as data")
        if len(srcs) == 2 and srcs[0][2] != srcs[1][2] and overlaps(srcs[0][0], regs_of(srcs[0][1]),
                                                                     srcs[1][0], regs_of(srcs[1][1])):
            raise Illegal("register read with two EEWs")

    fp_sews = (16, 32, 64) if zvfh else (32, 64)
    if sew not in fp_sews and not (sew in (8, 16, 32) and (name.startswith("vfwcvt") or name.startswith("vfncvt"))):
        raise Illegal("FP SEW")
    f = F(sew) if sew >= 16 else None
    vec1 = form in ("vv", "wv", "vs")
    s1 = [(vs1, lmul, sew)] if vec1 and name not in FP_WIDE + [n.replace(".w", "") for n in FP_WIDE] else []

    def b_of(i, w=None):
        return st.get(vs1, i, sew) if vec1 else scalar(sew)

    if name in FP_BINARY or name in FP_FMA:
        basic_checks(lmul, sew, [(vs2, lmul, sew)] + s1)
        def op(i):
            a, b, d = st.get(vs2, i, sew), b_of(i), st.get(vd, i, sew)
            sign = 1 << (sew - 1)
            if name == "vfadd": return call(fp.add, f, a, b, frm)
            if name == "vfsub": return call(fp.sub, f, a, b, frm)
            if name == "vfrsub": return call(fp.sub, f, b, a, frm)
            if name == "vfmul": return call(fp.mul, f, a, b, frm)
            if name == "vfdiv": return call(fp.div, f, a, b, frm)
            if name == "vfrdiv": return call(fp.div, f, b, a, frm)
            if name == "vfmin": return call(fp.min, f, a, b)
            if name == "vfmax": return call(fp.max, f, a, b)
            if name == "vfsgnj": return (a & ~sign) | (b & sign)
            if name == "vfsgnjn": return (a & ~sign) | (~b & sign)
            if name == "vfsgnjx": return a ^ (b & sign)
            n = lambda x: neg(x, sew)  # noqa: E731
            return {"vfmacc": lambda: call(fp.fma, f, b, a, d, frm),
                    "vfnmacc": lambda: call(fp.fma, f, n(b), a, n(d), frm),
                    "vfmsac": lambda: call(fp.fma, f, b, a, n(d), frm),
                    "vfnmsac": lambda: call(fp.fma, f, n(b), a, d, frm),
                    "vfmadd": lambda: call(fp.fma, f, b, d, a, frm),
                    "vfnmadd": lambda: call(fp.fma, f, n(b), d, n(a), frm),
                    "vfmsub": lambda: call(fp.fma, f, b, d, n(a), frm),
                    "vfnmsub": lambda: call(fp.fma, f, n(b), d, a, frm)}[name]()
        _write_elems(st, vd, vm, sew, lmul, op)
    elif name in FP_WIDE or name + ".w" in FP_WIDE and form in ("wv", "wf"):
        full = name + ".w" if form in ("wv", "wf") else name
        if sew not in ((16, 32) if zvfh else (32,)) or lmul == 8:
            raise Illegal("FP widening needs SEW=32 (or 16 with Zvfh) and LMUL < 8")
        w, wf = 2 * sew, F(2 * sew)
        wide_a = form in ("wv", "wf")
        srcs = [(vs2, 2 * lmul if wide_a else lmul, w if wide_a else sew)]
        if vec1:
            srcs.append((vs1, lmul, sew))
        basic_checks(2 * lmul, w, srcs)
        def wop(i):
            a = st.get(vs2, i, w) if wide_a else call(fp.convert, wf, f, st.get(vs2, i, sew), frm)
            b = call(fp.convert, wf, f, b_of(i), frm)
            d = st.get(vd, i, w)
            n = lambda x: neg(x, w)  # noqa: E731
            base = full.replace(".w", "")
            return {"vfwadd": lambda: call(fp.add, wf, a, b, frm), "vfwsub": lambda: call(fp.sub, wf, a, b, frm),
                    "vfwmul": lambda: call(fp.mul, wf, a, b, frm),
                    "vfwmacc": lambda: call(fp.fma, wf, b, a, d, frm),
                    "vfwnmacc": lambda: call(fp.fma, wf, n(b), a, n(d), frm),
                    "vfwmsac": lambda: call(fp.fma, wf, b, a, n(d), frm),
                    "vfwnmsac": lambda: call(fp.fma, wf, n(b), a, d, frm)}[base]()
        _write_elems(st, vd, vm, w, 2 * lmul, wop)
    elif name in FP_CMP:
        basic_checks(1, 1, [(vs2, lmul, sew)] + s1)
        def cmp(i):
            a, b = st.get(vs2, i, sew), b_of(i)
            if name == "vmfeq": return call(fp.eq, f, a, b)
            if name == "vmfne": return 1 - call(fp.eq, f, a, b)
            if name == "vmflt": return call(fp.lt, f, a, b)
            if name == "vmfle": return call(fp.le, f, a, b)
            if name == "vmfgt": return call(fp.lt, f, b, a)
            return call(fp.le, f, b, a)
        _write_mask(st, vd, vm, cmp)
    elif mnemonic in ("vfsqrt.v", "vfclass.v", "vfrsqrt7.v", "vfrec7.v") or (mnemonic.startswith("vfcvt.")):
        basic_checks(lmul, sew, [(vs2, lmul, sew)])
        kind = mnemonic[6:-2] if mnemonic.startswith("vfcvt.") else mnemonic
        def un(i):
            a = st.get(vs2, i, sew)
            if kind == "vfsqrt.v": return call(fp.sqrt, f, a, frm)
            if kind == "vfclass.v": return fp.classify(f, a)
            if kind == "vfrsqrt7.v": return call(estimate, f, a, True, frm)
            if kind == "vfrec7.v": return call(estimate, f, a, False, frm)
            rm = fp.RTZ if kind.startswith("rtz.") else frm
            k = kind.replace("rtz.", "")
            if k == "xu.f": return u(call(fp.to_int, f, a, sew, True, rm), sew)
            if k == "x.f": return u(call(fp.to_int, f, a, sew, False, rm), sew)
            if k == "f.xu": return call(fp.from_int, f, a, sew, True, rm)
            return call(fp.from_int, f, s(a, sew), sew, False, rm)
        _write_elems(st, vd, vm, sew, lmul, un)
    elif mnemonic.startswith("vfwcvt.") or mnemonic.startswith("vfncvt."):
        widen = mnemonic.startswith("vfw")
        kind = mnemonic[7:-2]
        rm = fp.RTZ if kind.startswith("rtz.") else fp.ROD if kind.startswith("rod.") else frm
        k = kind.replace("rtz.", "").replace("rod.", "")
        src_float = (k.endswith(".f")) if widen else k.endswith(".f")
        dst_float = k.startswith("f.")
        if sew == 64 or lmul == 8:
            raise Illegal("widening/narrowing at SEW=64 or LMUL=8")
        # the SEW-wide operand: binary16 needs Zvfh (Zvfhmin: f.f conversions only, not rod), an 8-bit
        # integer converts from/to binary16 (Zvfh)
        narrow_fp = (src_float if widen else dst_float)
        half_ok = zvfh or ("zvfhmin" in exts and k == "f.f" and rm != fp.ROD)
        if (narrow_fp and sew not in ((16, 32) if half_ok else (32,))) or (not narrow_fp and sew == 8 and not zvfh):
            raise Illegal("FP width needs Zvfh")
        w = 2 * sew
        if widen:
            basic_checks(2 * lmul, w, [(vs2, lmul, sew)])
        else:
            basic_checks(lmul, sew, [(vs2, 2 * lmul, w)])
        def cvt(i):
            if widen:
                a = st.get(vs2, i, sew)
                if k == "f.f": return call(fp.convert, F(w), F(sew), a, rm)
                if k == "xu.f": return u(call(fp.to_int, F(sew), a, w, True, rm), w)
                if k == "x.f": return u(call(fp.to_int, F(sew), a, w, False, rm), w)
                if k == "f.xu": return call(fp.from_int, F(w), a, sew, True, rm)
                return call(fp.from_int, F(w), s(a, sew), sew, False, rm)
            a = st.get(vs2, i, w)
            if k == "f.f": return call(fp.convert, F(sew), F(w), a, rm)
            if k == "xu.f": return u(call(fp.to_int, F(w), a, sew, True, rm), sew)
            if k == "x.f": return u(call(fp.to_int, F(w), a, sew, False, rm), sew)
            if k == "f.xu": return call(fp.from_int, F(sew), a, w, True, rm)
            return call(fp.from_int, F(sew), s(a, w), w, False, rm)
        _write_elems(st, vd, vm, w if widen else sew, 2 * lmul if widen else lmul, cvt)
    elif mnemonic == "vfmv.f.s":
        v = st.get(vs2, 0, sew)
        fregs[ops["fd"]] = v if sew == 64 else v | (((1 << 64) - 1) ^ ((1 << sew) - 1))
    elif mnemonic == "vfmv.s.f":
        if st.vstart < st.vl:
            st.put(vd, 0, sew, scalar(sew))
            if st.ones and st.vta:
                for i in range(1, st.vlenb * 8 // sew):
                    st.put(vd, i, sew, -1)
    elif mnemonic in ("vfmerge.vfm", "vfmv.v.f"):
        merge = mnemonic == "vfmerge.vfm"
        check_group(vd, lmul)
        if merge:
            check_group(vs2, lmul)
            if vd == 0 or vs2 == 0:
                raise Illegal("merge with v0 as data")
        x = scalar(sew)
        _write_elems(st, vd, 1, sew, lmul, lambda i: x if (not merge or st.bit(0, i)) else st.get(vs2, i, sew))
    elif name in ("vfslide1up", "vfslide1down"):
        check_group(vd, lmul)
        check_group(vs2, lmul)
        if masked and (vd == 0 or vs2 == 0):
            raise Illegal("v0 overlap")
        if name == "vfslide1up" and overlaps(vd, regs_of(lmul), vs2, regs_of(lmul)):
            raise Illegal("slide1up overlap")
        x = scalar(sew)
        src = [st.get(vs2, i, sew) for i in range(st.vlmax)]
        if name == "vfslide1up":
            _write_elems(st, vd, vm, sew, lmul, lambda i: x if i == 0 else src[i - 1])
        else:
            _write_elems(st, vd, vm, sew, lmul, lambda i: x if i == st.vl - 1 else src[i + 1])
    elif name in ("vfredosum", "vfredusum", "vfredmin", "vfredmax", "vfwredosum", "vfwredusum"):
        wide = name.startswith("vfw")
        if wide and sew not in ((16, 32) if zvfh else (32,)):
            raise Illegal("widening FP reduction needs SEW=32 (or 16 with Zvfh)")
        if st.vstart != 0:
            raise Illegal("reduction with vstart != 0")
        check_group(vs2, lmul)
        if masked and vs2 == 0:
            raise Illegal("v0 read as mask and as data")
        if st.vl:
            w = 2 * sew if wide else sew
            acc = st.get(vs1, 0, w)
            # rvsim's documented order for the unordered sums: sequential, like the ordered ones
            for i in range(st.vl):
                if vm == 1 or st.bit(0, i):
                    a = st.get(vs2, i, sew)
                    if wide:
                        a = call(fp.convert, F(w), f, a, frm)
                    if "sum" in name:
                        acc = call(fp.add, F(w), acc, a, frm)
                    elif name.endswith("min"):
                        acc = call(fp.min, F(w), acc, a)
                    else:
                        acc = call(fp.max, F(w), acc, a)
            st.put(vd, 0, w, acc)
            if st.ones and st.vta:
                for i in range(1, st.vlenb * 8 // w):
                    st.put(vd, i, w, -1)
    else:
        raise KeyError(f"reference model does not know {mnemonic}")
    st.vstart = 0
    return flags[0]
