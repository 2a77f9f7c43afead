"""An independent RISC-V reference simulator in Python, for the mutation benchmark.

:class:`RefSim` executes what :func:`rvsim.testing.strategies.programs` generates for RV64 I, M, A,
C, F, D, Zba/Zbb/Zbs, Zfh, Zicsr and a subset of V (see :data:`VECTOR_MNEMONICS`), and plugs into
:func:`rvsim.testing.compare` exactly as a user's simulator does (``compare(program, against=RefSim())``).
It shares nothing with rvsim's implementation: instructions are decoded here from their bits
(opcode, funct3, funct7 ... as the encodings in the unprivileged spec give them), the semantics are
written from the spec text, and FP arithmetic is :mod:`rvsim.testing.softfloat`.

``RefSim(bug="i-sraw-logical")`` switches on one deliberately wrong behaviour from
:data:`rvsim.testing.mutants.BUGS`: each is a single-instruction slip of the kind real simulators and
RTL make.  The benchmark (:mod:`rvsim.testing.mutants`) measures how many of them the strategies find.

Vector tail and masked-off elements are left undisturbed whatever the policy (as rvsim does; both are
legal for the agnostic policies).
"""
from __future__ import annotations

from . import softfloat as sf
from .state import ArchState

MASK = (1 << 64) - 1
M32 = 0xFFFFFFFF

# the subset of V the reference models (with the whole-register loads the harness prologue uses)
VECTOR_MNEMONICS = frozenset(
    ["vsetvli", "vsetivli", "vsetvl"]
    + [f"{op}{w}.v" for op in ("vle", "vse", "vlse", "vsse") for w in (8, 16, 32, 64)]
    + [f"{op}.{f}" for op in ("vadd", "vand", "vor", "vxor") for f in ("vv", "vx", "vi")]
    + ["vsub.vv", "vsub.vx", "vrsub.vx", "vrsub.vi"]
    + [f"{op}.{f}" for op in ("vsll", "vsrl", "vsra") for f in ("vv", "vx", "vi")]
    + [f"{op}.{f}" for op in ("vminu", "vmin", "vmaxu", "vmax") for f in ("vv", "vx")]
    + [f"{op}.{f}" for op in ("vmseq", "vmsne", "vmsleu", "vmsle") for f in ("vv", "vx", "vi")]
    + [f"{op}.{f}" for op in ("vmsltu", "vmslt") for f in ("vv", "vx")]
    + [f"{op}.{f}" for op in ("vmsgtu", "vmsgt") for f in ("vx", "vi")]
    + ["vmerge.vvm", "vmerge.vxm", "vmerge.vim", "vmv.v.v", "vmv.v.x", "vmv.v.i"]
    + [f"{op}.{f}" for op in ("vmul", "vmulh", "vmulhu", "vmulhsu") for f in ("vv", "vx")]
    + [f"{op}.{f}" for op in ("vwaddu", "vwadd", "vwmulu", "vwmul", "vwmulsu") for f in ("vv", "vx")]
    + ["vwaddu.wv", "vwadd.wv", "vwaddu.wx", "vwadd.wx"]
    + [f"{op}.{f}" for op in ("vnsrl", "vnsra") for f in ("wv", "wx", "wi")]
    + [f"v{z}ext.vf{k}" for z in "zs" for k in (2, 4, 8)]
    + ["vredsum.vs", "vmv.x.s", "vmv.s.x", "vcpop.m"]
    + [f"vm{op}.mm" for op in ("and", "or", "xor", "andn", "orn")]
    + [f"{op}.{f}" for op in ("vfadd", "vfsub", "vfmul", "vfmin", "vfmax") for f in ("vv", "vf")]
    + [f"{op}.{f}" for op in ("vmfeq", "vmflt", "vmfle") for f in ("vv", "vf")]
    + ["vfmv.f.s", "vfmv.s.f", "vfmv.v.f"])


def sx(v: int, bits: int) -> int:
    """Sign-extend the low ``bits`` of v to 64 bits (as an unsigned pattern)."""
    v &= (1 << bits) - 1
    return (v - (1 << bits) if v >> (bits - 1) else v) & MASK


def signed(v: int, bits: int = 64) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def _div(a: int, b: int, bits: int) -> int:
    """Signed division rounding towards zero (a, b signed) with RISC-V's special cases."""
    if b == 0:
        return -1
    if a == -(1 << (bits - 1)) and b == -1:
        return a
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _rem(a: int, b: int, bits: int) -> int:
    if b == 0:
        return a
    if a == -(1 << (bits - 1)) and b == -1:
        return 0
    return a - b * _div(a, b, bits)


class Trap(Exception):
    pass


CANONICAL = {16: sf.H.canonical_nan, 32: sf.S.canonical_nan, 64: sf.D.canonical_nan}
FMT_OF = {0: sf.S, 1: sf.D, 2: sf.H}               # the fmt field of F/D/Zfh instructions
CSR_FFLAGS, CSR_FRM, CSR_FCSR = 1, 2, 3
CSR_VSTART, CSR_VXSAT, CSR_VXRM, CSR_VCSR, CSR_VL, CSR_VTYPE, CSR_VLENB = 8, 9, 10, 15, 0xC20, 0xC21, 0xC22


class RefSim:
    """``RefSim(bug=None)(case)`` runs a :class:`~rvsim.testing.harness.Case` and returns its final
    :class:`~rvsim.testing.state.ArchState` (x, f, fcsr, the vector state, the scratch buffer)."""

    def __init__(self, bug: str | None = None, max_steps: int = 200_000):
        self.bug = bug
        self.max_steps = max_steps
        self.name = f"refsim (bug {bug})" if bug else "refsim"

    # ------------------------------------------------------------------------------------ running

    def __call__(self, case) -> ArchState:
        segments = case.segments()
        lo = min(a for a, _, _ in segments)
        hi = max(a + len(d) for a, d, _ in segments)
        self.lo = lo
        self.mem = bytearray(hi - lo)
        for a, d, _ in segments:
            self.mem[a - lo:a - lo + len(d)] = d
        self.vlen = case.program.vlen
        self.vlenb = self.vlen // 8
        self.x = [0] * 32
        self.f = [0] * 32
        self.frm = self.fflags = 0
        self.v = bytearray(32 * self.vlenb)
        self.vl = self.vstart = self.vxrm = self.vxsat = 0
        self.vtype = 1 << 63
        self.reservation = None
        self.pc = case.entry
        trap = None
        try:
            for _ in range(self.max_steps):
                if self.pc == case.end:
                    break
                self.step()
                self.x[0] = 0
            else:
                trap = f"step limit at {self.pc:#x}"
        except Trap as e:
            trap = f"{e} at {self.pc:#x}"
        exts = case.program.extensions
        state = ArchState(pc=self.pc, x=self.x, trap=trap,
                          memory={case.scratch: bytes(self.mem[case.scratch - lo:case.scratch - lo + case.scratch_size])})
        if "f" in exts and case.program.f is not None:
            state.f = self.f
            state.fcsr = self.frm << 5 | self.fflags
        if "v" in exts:
            state.v = [bytes(self.v[i * self.vlenb:(i + 1) * self.vlenb]) for i in range(32)]
            state.vl, state.vtype, state.vstart = self.vl, self.vtype, self.vstart
            state.vxrm, state.vxsat = self.vxrm, self.vxsat
        return state

    # ------------------------------------------------------------------------------------ memory

    def load(self, addr: int, size: int) -> int:
        off = (addr - self.lo) & MASK
        if off + size > len(self.mem):
            raise Trap("SIGSEGV")
        return int.from_bytes(self.mem[off:off + size], "little")

    def store(self, addr: int, size: int, value: int) -> None:
        off = (addr - self.lo) & MASK
        if off + size > len(self.mem):
            raise Trap("SIGSEGV")
        self.mem[off:off + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")

    # ------------------------------------------------------------------------------------ decode + execute

    def step(self) -> None:
        pc = self.pc
        half = self.load(pc, 2)
        if half & 3 != 3:
            self.pc = self.compressed(half, pc)
            return
        w = self.load(pc, 4)
        op = w & 0x7F
        handler = self.OPCODES.get(op)
        if handler is None:
            raise Trap("SIGILL")
        nxt = handler(self, w, pc)
        self.pc = (pc + 4 if nxt is None else nxt) & MASK

    def wx(self, rd: int, value: int) -> None:
        if rd:
            self.x[rd] = value & MASK

    # -- base integer

    def op_lui(self, w, pc):
        self.wx((w >> 7) & 31, sx(w & 0xFFFFF000, 32))

    def op_auipc(self, w, pc):
        self.wx((w >> 7) & 31, pc + sx(w & 0xFFFFF000, 32))

    def op_jal(self, w, pc):
        imm = sx(((w >> 31) << 20) | (((w >> 12) & 255) << 12) | (((w >> 20) & 1) << 11)
                 | (((w >> 21) & 1023) << 1), 21)
        self.wx((w >> 7) & 31, pc + 4)
        return pc + imm

    def op_jalr(self, w, pc):
        target = (self.x[(w >> 15) & 31] + sx(w >> 20, 12)) & ~1
        self.wx((w >> 7) & 31, pc + 4)
        return target

    def op_branch(self, w, pc):
        a, b = self.x[(w >> 15) & 31], self.x[(w >> 20) & 31]
        f3 = (w >> 12) & 7
        bug = self.bug
        if f3 == 0:
            taken = a == b
        elif f3 == 1:
            taken = a != b
        elif f3 == 4:
            taken = a < b if bug == "i-blt-unsigned" else signed(a) < signed(b)
        elif f3 == 5:
            taken = signed(a) >= signed(b)
        elif f3 == 6:
            taken = a < b
        elif f3 == 7:
            taken = signed(a) >= signed(b) if bug == "i-bgeu-signed" else a >= b
        else:
            raise Trap("SIGILL")
        if taken:
            imm = sx(((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 63) << 5)
                     | (((w >> 8) & 15) << 1), 13)
            return pc + imm
        return None

    LOADS = {0: (1, True), 1: (2, True), 2: (4, True), 3: (8, True), 4: (1, False), 5: (2, False), 6: (4, False)}

    def op_load(self, w, pc):
        f3 = (w >> 12) & 7
        if f3 not in self.LOADS:
            raise Trap("SIGILL")
        size, is_signed = self.LOADS[f3]
        if self.bug == "i-lb-zext" and f3 == 0:
            is_signed = False
        if self.bug == "i-lwu-sext" and f3 == 6:
            is_signed = True
        v = self.load(self.x[(w >> 15) & 31] + sx(w >> 20, 12), size)
        self.wx((w >> 7) & 31, sx(v, 8 * size) if is_signed else v)

    def op_store(self, w, pc):
        f3 = (w >> 12) & 7
        if f3 > 3:
            raise Trap("SIGILL")
        imm = sx(((w >> 25) << 5) | ((w >> 7) & 31), 12)
        self.store(self.x[(w >> 15) & 31] + imm, 1 << f3, self.x[(w >> 20) & 31])

    def op_imm(self, w, pc):
        rd, a, f3 = (w >> 7) & 31, self.x[(w >> 15) & 31], (w >> 12) & 7
        imm = sx(w >> 20, 12)
        top6, shamt, imm12 = w >> 26, (w >> 20) & 63, w >> 20
        bug = self.bug
        if f3 == 0:
            r = a + imm
        elif f3 == 2:
            r = int(signed(a) < signed(imm))
        elif f3 == 3:
            r = int(a < ((w >> 20) if bug == "i-sltiu-zext-imm" else imm))
        elif f3 == 4:
            r = a ^ imm
        elif f3 == 6:
            r = a | imm
        elif f3 == 7:
            r = a & imm
        elif f3 == 1:
            if top6 == 0:
                r = a << shamt
            elif top6 == 0x12:
                r = a & ~(1 << shamt)                                  # bclri
            elif top6 == 0x0A:
                r = a | (1 << shamt)                                   # bseti
            elif top6 == 0x1A:
                r = a ^ (1 << shamt)                                   # binvi
            elif imm12 == 0x600:
                r = 64 - a.bit_length()                                # clz
            elif imm12 == 0x601:
                r = (a & -a).bit_length() - 1 if a else 64             # ctz
            elif imm12 == 0x602:
                r = bin(a).count("1")                                  # cpop
            elif imm12 == 0x604:
                r = sx(a, 8)                                           # sext.b
            elif imm12 == 0x605:
                r = sx(a, 8 if bug == "zb-sext-h-from-b" else 16)      # sext.h
            else:
                raise Trap("SIGILL")
        else:                                                          # f3 == 5
            if top6 == 0:
                r = a >> shamt
            elif top6 == 0x10:
                r = signed(a) >> (shamt & 31 if bug == "i-srai-5bit" else shamt)
            elif top6 == 0x18:
                r = (a >> shamt) | (a << (64 - shamt))                 # rori
            elif top6 == 0x12:
                r = (a >> shamt) & 1                                   # bexti
            elif imm12 == 0x287:
                r = sum(0xFF << i for i in range(0, 64, 8) if (a >> i) & 0xFF)   # orc.b
            elif imm12 == 0x6B8:
                r = int.from_bytes(a.to_bytes(8, "little"), "big")     # rev8
            else:
                raise Trap("SIGILL")
        self.wx(rd, r)

    def op_imm32(self, w, pc):
        rd, a, f3 = (w >> 7) & 31, self.x[(w >> 15) & 31], (w >> 12) & 7
        f7, shamt, imm12 = w >> 25, (w >> 20) & 31, w >> 20
        bug = self.bug
        if f3 == 0:
            r = a + sx(w >> 20, 12)
            r = r & M32 if bug == "i-addiw-no-sext" else sx(r, 32)
        elif f3 == 1 and f7 == 0:
            r = sx(a << shamt, 32)
        elif f3 == 1 and (w >> 26) == 2:
            r = (a & M32) << ((w >> 20) & 63)                          # slli.uw
        elif f3 == 1 and imm12 == 0x600:
            r = 32 - (a & M32).bit_length() + (32 if bug == "zb-clzw-64" else 0)
        elif f3 == 1 and imm12 == 0x601:
            low = a & M32
            r = (low & -low).bit_length() - 1 if low else 32
        elif f3 == 1 and imm12 == 0x602:
            r = bin(a if bug == "zb-cpopw-64" else a & M32).count("1")
        elif f3 == 5 and f7 == 0:
            r = sx((a & M32) >> shamt, 32)
        elif f3 == 5 and f7 == 0x20:
            r = sx(signed(a, 32) >> shamt, 32)
        elif f3 == 5 and f7 == 0x30:
            low = a & M32
            r = sx((low >> shamt) | (low << (32 - shamt)), 32)         # roriw
        else:
            raise Trap("SIGILL")
        self.wx(rd, r)

    def op_reg(self, w, pc):
        rd, a, b, f3, f7 = (w >> 7) & 31, self.x[(w >> 15) & 31], self.x[(w >> 20) & 31], (w >> 12) & 7, w >> 25
        bug = self.bug
        sh = b & 63
        if f7 == 0:
            r = (a + b, a << (b & 31 if bug == "i-sll-5bit" else sh), int(signed(a) < signed(b)), int(a < b),
                 a ^ b, a >> sh, a | b, a & b)[f3]
        elif f7 == 0x20 and f3 in (0, 5, 7, 6, 4):
            r = {0: a - b, 5: signed(a) >> sh, 7: a & ~b, 6: a | ~b, 4: ~(a ^ b)}[f3]
        elif f7 == 1:
            sa, sb = signed(a), signed(b)
            if f3 == 0:
                r = a * b
            elif f3 == 1:
                r = (sa * sb) >> 64
            elif f3 == 2:
                r = (sa * (sb if bug == "m-mulhsu-signed" else b)) >> 64
            elif f3 == 3:
                r = (a * b) >> 64
            elif f3 == 4:
                if bug == "m-div-overflow" and sa == -(1 << 63) and sb == -1:
                    r = 0
                else:
                    r = _div(sa, sb, 64)
            elif f3 == 5:
                r = a // b if b else MASK
            elif f3 == 6:
                r = (sa % sb if bug == "m-rem-sign-divisor" and sb else _rem(sa, sb, 64))
            else:
                r = a % b if b else (0 if bug == "m-remu-by-zero-0" else a)
        elif f7 == 0x10 and f3 in (2, 4, 6):
            r = (a << (f3 >> 1)) + b                                   # shNadd
        elif f7 == 0x05 and f3 in (4, 5, 6, 7):
            if f3 == 4:
                r = min(a, b) if bug == "zb-min-unsigned" else min(signed(a), signed(b))
            else:
                r = {5: min(a, b), 6: max(signed(a), signed(b)), 7: max(a, b)}[f3]
        elif f7 == 0x30 and f3 in (1, 5):
            r = (a << sh | a >> (64 - sh)) if f3 == 1 else (a >> sh | a << (64 - sh))
        elif f7 == 0x24 and f3 == 1:
            r = a & ~(1 << sh)
        elif f7 == 0x24 and f3 == 5:
            r = (a >> (b & 31 if bug == "zb-bext-5bit" else sh)) & 1
        elif f7 == 0x34 and f3 == 1:
            r = a ^ (1 << sh)
        elif f7 == 0x14 and f3 == 1:
            r = a | (1 << sh)
        else:
            raise Trap("SIGILL")
        self.wx(rd, r)

    def op_reg32(self, w, pc):
        rd, a, b, f3, f7 = (w >> 7) & 31, self.x[(w >> 15) & 31], self.x[(w >> 20) & 31], (w >> 12) & 7, w >> 25
        bug = self.bug
        sh = b & 31
        if f7 == 0 and f3 == 0:
            r = sx(a + b, 32)
        elif f7 == 0x20 and f3 == 0:
            r = (a - b) & M32 if bug == "i-subw-no-sext" else sx(a - b, 32)
        elif f7 == 0 and f3 == 1:
            r = sx(a << sh, 32)
        elif f7 == 0 and f3 == 5:
            r = sx((a & M32) >> sh, 32)
        elif f7 == 0x20 and f3 == 5:
            r = sx((a & M32) >> sh, 32) if bug == "i-sraw-logical" else sx(signed(a, 32) >> sh, 32)
        elif f7 == 1:
            sa, sb = signed(a, 32), signed(b, 32)
            ua, ub = a & M32, b & M32
            if f3 == 0:
                r = (a * b) & M32 if bug == "m-mulw-no-sext" else sx(a * b, 32)
            elif f3 == 4:
                r = 0 if bug == "m-divw-by-zero-0" and sb == 0 else sx(_div(sa, sb, 32), 32)
            elif f3 == 5:
                r = sx(ua // ub, 32) if ub else MASK
            elif f3 == 6:
                r = sx(_rem(sa, sb, 32), 32)
            elif f3 == 7:
                r = sx(ua % ub if ub else ua, 32)
            else:
                raise Trap("SIGILL")
        elif f7 == 0x04 and f3 == 0:
            r = (a & M32) + b                                          # add.uw
        elif f7 == 0x10 and f3 in (2, 4, 6):
            ra = a if bug == "zb-sh1add-uw-no-zext" and f3 == 2 else a & M32
            r = (ra << (f3 >> 1)) + b                                  # shNadd.uw
        elif f7 == 0x04 and f3 == 4 and (w >> 20) & 31 == 0:
            r = a & 0xFFFF                                             # zext.h
        elif f7 == 0x30 and f3 in (1, 5):
            low = a & M32
            r = (low << sh | low >> (32 - sh)) if f3 == 1 else (low >> sh | low << (32 - sh))
            r = r & M32 if bug == "zb-rolw-no-sext" and f3 == 1 else sx(r, 32)
        else:
            raise Trap("SIGILL")
        self.wx(rd, r)

    def op_misc_mem(self, w, pc):
        if (w >> 12) & 7 not in (0, 1):
            raise Trap("SIGILL")

    # -- atomics

    def op_amo(self, w, pc):
        f3, f5 = (w >> 12) & 7, w >> 27
        if f3 not in (2, 3):
            raise Trap("SIGILL")
        size = 4 if f3 == 2 else 8
        bits = 8 * size
        rd, addr, src = (w >> 7) & 31, self.x[(w >> 15) & 31], self.x[(w >> 20) & 31]
        if addr % size:
            raise Trap("SIGBUS")
        bug = self.bug
        if f5 == 2:                                                    # lr
            self.wx(rd, sx(self.load(addr, size), bits))
            self.reservation = addr
            return None
        if f5 == 3:                                                    # sc
            ok = self.reservation == addr
            if ok:
                self.store(addr, size, src)
            self.reservation = None
            result = int(not ok)
            self.wx(rd, result ^ 1 if bug == "a-sc-inverted" and size == 8 else result)
            return None
        old = self.load(addr, size)
        so, ss = signed(old, bits), signed(src, bits)
        uo, us = old, src & ((1 << bits) - 1)
        if f5 == 1:
            new = src
        elif f5 == 0:
            new = old + src
        elif f5 == 4:
            new = old ^ src
        elif f5 == 12:
            new = old & src
        elif f5 == 8:
            new = old | src
        elif f5 == 16:
            new = min(so, ss)
        elif f5 == 20:
            new = max(uo, us) if bug == "a-amomax-w-unsigned" and size == 4 else max(so, ss)
        elif f5 == 24:
            new = min(so, ss) if bug == "a-amominu-d-signed" and size == 8 else min(uo, us)
        elif f5 == 28:
            new = max(uo, us)
        else:
            raise Trap("SIGILL")
        self.store(addr, size, new)
        zext = bug == "a-amoadd-w-zext" and f5 == 0 and size == 4
        self.wx(rd, old if zext else sx(old, bits))

    # -- system: CSRs (fence, ecall... are never generated; ebreak ends a case)

    def op_system(self, w, pc):
        f3 = (w >> 12) & 7
        if f3 in (0, 4):
            raise Trap("SIGTRAP" if w == 0x00100073 else "SIGILL")
        rd, rs1, csr = (w >> 7) & 31, (w >> 15) & 31, w >> 20
        src = rs1 if f3 >= 5 else self.x[rs1]
        old = self.read_csr(csr)
        kind = f3 & 3
        if kind == 1:
            self.write_csr(csr, src)
        elif rs1 != 0:
            self.write_csr(csr, old | src if kind == 2 else old & ~src)
        self.wx(rd, old)

    def read_csr(self, csr):
        return {CSR_FFLAGS: self.fflags, CSR_FRM: self.frm, CSR_FCSR: self.frm << 5 | self.fflags,
                CSR_VSTART: self.vstart, CSR_VXSAT: self.vxsat, CSR_VXRM: self.vxrm,
                CSR_VCSR: self.vxrm << 1 | self.vxsat, CSR_VL: self.vl, CSR_VTYPE: self.vtype,
                CSR_VLENB: self.vlenb}[csr]

    def write_csr(self, csr, v):
        if csr == CSR_FFLAGS:
            self.fflags = v & 31
        elif csr == CSR_FRM:
            self.frm = v & 7
        elif csr == CSR_FCSR:
            self.fflags, self.frm = v & 31, (v >> 5) & 7
        elif csr == CSR_VSTART:
            self.vstart = v & (self.vlen - 1)
        elif csr == CSR_VXSAT:
            self.vxsat = v & 1
        elif csr == CSR_VXRM:
            self.vxrm = v & 3
        elif csr == CSR_VCSR:
            self.vxsat, self.vxrm = v & 1, (v >> 1) & 3
        else:
            raise Trap("SIGILL")

    # -- compressed (RV64C)

    def compressed(self, h: int, pc: int) -> int:
        q, f3 = h & 3, h >> 13
        x = self.x
        bug = self.bug
        nxt = pc + 2
        rdp, rs2p = 8 + ((h >> 7) & 7), 8 + ((h >> 2) & 7)
        rd, rs2 = (h >> 7) & 31, (h >> 2) & 31
        imm6 = sx(((h >> 12) & 1) << 5 | (h >> 2) & 31, 6)
        uimm_d = ((h >> 10) & 7) << 3 | ((h >> 5) & 3) << 6           # c.ld/c.sd/c.fld/c.fsd
        uimm_w = ((h >> 10) & 7) << 3 | ((h >> 6) & 1) << 2 | ((h >> 5) & 1) << 6
        if h == 0:
            raise Trap("SIGILL")
        if q == 0:
            if f3 == 0:
                imm = ((h >> 7) & 15) << 6 | ((h >> 11) & 3) << 4 | ((h >> 5) & 1) << 3 | ((h >> 6) & 1) << 2
                self.wx(rs2p, x[2] + imm)
            elif f3 == 1:
                self.f[rs2p] = self.load(x[rdp] + uimm_d, 8)
            elif f3 == 2:
                v = self.load(x[rdp] + uimm_w, 4)
                self.wx(rs2p, v if bug == "c-lw-zext" else sx(v, 32))
            elif f3 == 3:
                self.wx(rs2p, self.load(x[rdp] + uimm_d, 8))
            elif f3 == 5:
                self.store(x[rdp] + uimm_d, 8, self.f[rs2p])
            elif f3 == 6:
                self.store(x[rdp] + uimm_w, 4, x[rs2p])
            elif f3 == 7:
                self.store(x[rdp] + uimm_d, 8, x[rs2p])
            else:
                raise Trap("SIGILL")
        elif q == 1:
            if f3 == 0:
                self.wx(rd, x[rd] + imm6)
            elif f3 == 1:
                r = x[rd] + imm6
                self.wx(rd, r & M32 if bug == "c-addiw-no-sext" else sx(r, 32))
            elif f3 == 2:
                self.wx(rd, imm6)
            elif f3 == 3:
                if rd == 2:
                    imm = sx(((h >> 12) & 1) << 9 | ((h >> 6) & 1) << 4 | ((h >> 5) & 1) << 6
                             | ((h >> 3) & 3) << 7 | ((h >> 2) & 1) << 5, 10)
                    self.wx(2, x[2] + imm)
                else:
                    self.wx(rd, sx(((h >> 12) & 1) << 17 | ((h >> 2) & 31) << 12, 18))
            elif f3 == 4:
                f2 = (h >> 10) & 3
                shamt = ((h >> 12) & 1) << 5 | (h >> 2) & 31
                a, b = x[rdp], x[rs2p]
                if f2 == 0:
                    r = a >> shamt
                elif f2 == 1:
                    r = a >> shamt if bug == "c-srai-logical" else signed(a) >> shamt
                elif f2 == 2:
                    r = a & (imm6 & 63 if bug == "c-andi-zext-imm" else imm6)
                elif (h >> 12) & 1 == 0:
                    r = (a - b, a ^ b, a | b, a & b)[(h >> 5) & 3]
                elif (h >> 5) & 3 == 0:
                    r = (a - b) & M32 if bug == "c-subw-no-sext" else sx(a - b, 32)
                elif (h >> 5) & 3 == 1:
                    r = sx(a + b, 32)
                else:
                    raise Trap("SIGILL")
                self.wx(rdp, r)
            elif f3 == 5:
                off = sx(((h >> 12) & 1) << 11 | ((h >> 11) & 1) << 4 | ((h >> 9) & 3) << 8 | ((h >> 8) & 1) << 10
                         | ((h >> 7) & 1) << 6 | ((h >> 6) & 1) << 7 | ((h >> 3) & 7) << 1 | ((h >> 2) & 1) << 5, 12)
                nxt = pc + off
            else:
                off = sx(((h >> 12) & 1) << 8 | ((h >> 10) & 3) << 3 | ((h >> 5) & 3) << 6 | ((h >> 3) & 3) << 1
                         | ((h >> 2) & 1) << 5, 9)
                if (x[rdp] == 0) == (f3 == 6):
                    nxt = pc + off
        else:
            uimm_dsp = ((h >> 12) & 1) << 5 | ((h >> 5) & 3) << 3 | ((h >> 2) & 7) << 6
            if f3 == 0:
                self.wx(rd, x[rd] << (((h >> 12) & 1) << 5 | (h >> 2) & 31))
            elif f3 == 1:
                self.f[rd] = self.load(x[2] + uimm_dsp, 8)
            elif f3 == 2:
                imm = ((h >> 12) & 1) << 5 | ((h >> 4) & 7) << 2 | ((h >> 2) & 3) << 6
                self.wx(rd, sx(self.load(x[2] + imm, 4), 32))
            elif f3 == 3:
                self.wx(rd, self.load(x[2] + uimm_dsp, 8))
            elif f3 == 4:
                if (h >> 12) & 1 == 0:
                    if rs2 == 0:
                        nxt = x[rd] & ~1
                    else:
                        self.wx(rd, x[rs2])
                else:
                    if rs2 == 0 and rd == 0:
                        raise Trap("SIGTRAP")
                    if rs2 == 0:
                        target = x[rd] & ~1
                        self.wx(1, pc + 2)
                        nxt = target
                    else:
                        self.wx(rd, x[rd] + x[rs2])
            elif f3 == 5:
                self.store(x[2] + (((h >> 10) & 7) << 3 | ((h >> 7) & 7) << 6), 8, self.f[rs2])
            elif f3 == 6:
                self.store(x[2] + (((h >> 9) & 15) << 2 | ((h >> 7) & 3) << 6), 4, x[rs2])
            else:
                self.store(x[2] + (((h >> 10) & 7) << 3 | ((h >> 7) & 7) << 6), 8, x[rs2])
        return nxt & MASK

    # ------------------------------------------------------------------------------------ floating point

    def rm(self, field: int) -> int:
        rm = self.frm if field == 7 else field
        if rm > 4:
            raise Trap("SIGILL")
        return rm

    def read_f(self, r: int, fmt: sf.Fmt, mnemonic_bug: str | None = None) -> int:
        """An operand of width fmt, unboxed (an improperly NaN-boxed value reads as the canonical NaN)."""
        v = self.f[r]
        if fmt.width == 64:
            return v
        upper = MASK >> fmt.width << fmt.width
        if (v & upper) != upper and not (mnemonic_bug and self.bug == mnemonic_bug):
            return fmt.canonical_nan
        return v & ((1 << fmt.width) - 1)

    def write_f(self, r: int, fmt: sf.Fmt, bits: int) -> None:
        self.f[r] = (MASK >> fmt.width << fmt.width | bits) & MASK

    def op_load_fp(self, w, pc):
        f3 = (w >> 12) & 7
        if f3 in (0, 5, 6, 7):
            return self.vector_memory(w, store=False)
        size = {1: 2, 2: 4, 3: 8}.get(f3)
        if size is None:
            raise Trap("SIGILL")
        v = self.load(self.x[(w >> 15) & 31] + sx(w >> 20, 12), size)
        self.write_f((w >> 7) & 31, sf.BY_WIDTH[8 * size], v)

    def op_store_fp(self, w, pc):
        f3 = (w >> 12) & 7
        if f3 in (0, 5, 6, 7):
            return self.vector_memory(w, store=True)
        size = {1: 2, 2: 4, 3: 8}.get(f3)
        if size is None:
            raise Trap("SIGILL")
        imm = sx(((w >> 25) << 5) | ((w >> 7) & 31), 12)
        self.store(self.x[(w >> 15) & 31] + imm, size, self.f[(w >> 20) & 31])

    def op_fma(self, w, pc):
        fmt = FMT_OF.get((w >> 25) & 3)
        if fmt is None:
            raise Trap("SIGILL")
        op = w & 0x7F
        rm = self.rm((w >> 12) & 7)
        a, b, c = (self.read_f((w >> 15) & 31, fmt), self.read_f((w >> 20) & 31, fmt),
                   self.read_f(w >> 27, fmt))
        neg_p, neg_c = {0x43: (False, False), 0x47: (False, True), 0x4B: (True, False), 0x4F: (True, True)}[op]
        if self.bug == "f-fmadd-s-double-round" and op == 0x43 and fmt is sf.S:
            p, fl1 = sf.mul(fmt, a, b, rm)
            r, fl2 = sf.add(fmt, p, c, rm)
            r, fl = r, fl1 | fl2
        else:
            r, fl = sf.fma(fmt, a, b, c, rm, neg_p, neg_c)
        self.fflags |= fl
        self.write_f((w >> 7) & 31, fmt, r)

    def op_fp(self, w, pc):
        f5, fmtbits, f3 = w >> 27, (w >> 25) & 3, (w >> 12) & 7
        fmt = FMT_OF.get(fmtbits)
        if fmt is None:
            raise Trap("SIGILL")
        rd, rs1, rs2 = (w >> 7) & 31, (w >> 15) & 31, (w >> 20) & 31
        bug = self.bug
        is_s, is_d, is_h = fmt is sf.S, fmt is sf.D, fmt is sf.H
        flags = 0
        if f5 in (0, 1, 2, 3, 11):
            rm = self.rm(f3)
            box_bug = "f-nanbox-s-ignored" if is_s and f5 == 0 else "h-nanbox-ignored" if is_h and f5 == 0 else None
            a = self.read_f(rs1, fmt, box_bug)
            if f5 == 11:
                if bug == "d-fsqrt-d-rm" and is_d:
                    rm = sf.RNE
                r, flags = sf.sqrt(fmt, a, rm)
            else:
                b = self.read_f(rs2, fmt, box_bug)
                if f5 in (0, 1):
                    r, flags = sf.add(fmt, a, b, rm, subtract=f5 == 1)
                elif f5 == 2:
                    r, flags = sf.mul(fmt, a, b, rm)
                else:
                    r, flags = sf.div(fmt, a, b, rm)
                    if bug == "f-fdiv-s-no-dz" and is_s:
                        flags &= ~sf.DZ
            self.write_f(rd, fmt, r)
        elif f5 == 4:                                                  # fsgnj
            a, b = self.read_f(rs1, fmt), self.read_f(rs2, fmt)
            s = fmt.sign
            sign = {0: b & s, 1: ~b & s, 2: (a ^ b) & s}.get(f3)
            if sign is None:
                raise Trap("SIGILL")
            self.write_f(rd, fmt, (a & ~s) | sign)
        elif f5 == 5:                                                  # fmin / fmax
            a, b = self.read_f(rs1, fmt), self.read_f(rs2, fmt)
            if f3 not in (0, 1):
                raise Trap("SIGILL")
            if bug == "f-fmax-nan" and is_s and f3 == 1 and (sf.is_nan(fmt, a) or sf.is_nan(fmt, b)):
                r, flags = fmt.canonical_nan, sf.NV if sf.is_snan(fmt, a) or sf.is_snan(fmt, b) else 0
            elif bug == "f-fmin-zero-sign" and is_s and f3 == 0 and sf.is_zero(fmt, a) and sf.is_zero(fmt, b):
                r, flags = b, 0
            else:
                r, flags = sf.min_max(fmt, a, b, want_max=f3 == 1)
                if bug == "d-fmin-d-snan-no-nv" and is_d and f3 == 0:
                    flags = 0
            self.write_f(rd, fmt, r)
        elif f5 == 8:                                                  # fcvt.fmt.fmt
            src = FMT_OF.get(rs2)
            if src is None:
                raise Trap("SIGILL")
            rm = self.rm(f3)
            a = self.read_f(rs1, src)
            if bug == "h-fcvt-h-s-rtz" and is_h and src is sf.S:
                rm = sf.RTZ
            r, flags = sf.convert(fmt, src, a, rm)
            if bug == "d-fcvt-s-d-overflow-max" and is_s and src is sf.D and flags & sf.OF:
                r = (r & fmt.sign) | fmt.max_finite
            self.write_f(rd, fmt, r)
        elif f5 == 20:                                                 # compare
            a, b = self.read_f(rs1, fmt), self.read_f(rs2, fmt)
            op = {2: "eq", 1: "lt", 0: "le"}.get(f3)
            if op is None:
                raise Trap("SIGILL")
            r, flags = sf.compare(fmt, a, b, op)
            if bug == "f-feq-signals" and is_s and op == "eq" and (sf.is_nan(fmt, a) or sf.is_nan(fmt, b)):
                flags = sf.NV
            if bug == "d-fle-d-quiet" and is_d and op == "le" and not (sf.is_snan(fmt, a) or sf.is_snan(fmt, b)):
                flags = 0
            self.wx(rd, r)
        elif f5 == 24:                                                 # fcvt.int.fmt
            rm = self.rm(f3)
            a = self.read_f(rs1, fmt)
            bits, sgn = {0: (32, True), 1: (32, False), 2: (64, True), 3: (64, False)}[rs2] if rs2 < 4 else (0, 0)
            if not bits:
                raise Trap("SIGILL")
            if bug == "f-fcvt-w-s-rtz" and is_s and rs2 == 0:
                rm = sf.RTZ
            r, flags = sf.to_int(fmt, a, rm, bits, sgn)
            if bug == "f-fcvt-wu-s-neg" and is_s and rs2 == 1 and sf.sign_of(fmt, a) and not sf.is_nan(fmt, a) \
                    and not sf.is_inf(fmt, a):
                v, fl = sf.to_int(fmt, a, rm, 64, True)
                if signed(v) <= -1:
                    r, flags = v & M32, fl
            if bug == "d-fcvt-l-d-nan-min" and is_d and rs2 == 2 and sf.is_nan(fmt, a):
                r = 1 << 63
            self.wx(rd, sx(r, 32) if bits == 32 else r)
        elif f5 == 26:                                                 # fcvt.fmt.int
            rm = self.rm(f3)
            a = self.x[rs1]
            if rs2 == 0:
                v = signed(a, 32)
            elif rs2 == 1:
                v = signed(a, 32) if bug == "d-fcvt-d-wu-sext" and is_d else a & M32
            elif rs2 == 2:
                v = signed(a)
            elif rs2 == 3:
                v = a
            else:
                raise Trap("SIGILL")
            r, flags = sf.from_int(fmt, v, rm)
            self.write_f(rd, fmt, r)
        elif f5 == 28 and f3 == 0 and rs2 == 0:                        # fmv.x.fmt
            raw = self.f[rs1] & ((1 << fmt.width) - 1)
            zext = (bug == "f-fmv-x-w-zext" and is_s) or (bug == "h-fmv-x-h-zext" and is_h)
            self.wx(rd, raw if zext else sx(raw, fmt.width))
        elif f5 == 28 and f3 == 1 and rs2 == 0:                        # fclass
            a = self.read_f(rs1, fmt)
            c = sf.classify(fmt, a)
            if bug == "h-fclass-h-subnormal-as-normal" and is_h and c in (1 << 2, 1 << 5):
                c = 1 << 1 if c == 1 << 2 else 1 << 6
            self.wx(rd, c)
        elif f5 == 30 and f3 == 0 and rs2 == 0:                        # fmv.fmt.x
            self.write_f(rd, fmt, self.x[rs1] & ((1 << fmt.width) - 1))
        else:
            raise Trap("SIGILL")
        self.fflags |= flags

    # ------------------------------------------------------------------------------------ vector

    @property
    def sew(self) -> int:
        return 8 << ((self.vtype >> 3) & 7)

    @property
    def lmul(self) -> int:
        """log2 of LMUL."""
        v = self.vtype & 7
        return v - 8 if v & 4 else v

    def vlmax(self, sew: int, lmul: int) -> int:
        return (self.vlen << lmul) // sew if lmul >= 0 else (self.vlen >> -lmul) // sew

    def vget(self, reg: int, i: int, eew: int) -> int:
        b = eew // 8
        off = reg * self.vlenb + i * b
        return int.from_bytes(self.v[off:off + b], "little")

    def vset(self, reg: int, i: int, eew: int, value: int) -> None:
        b = eew // 8
        off = reg * self.vlenb + i * b
        self.v[off:off + b] = (value & ((1 << eew) - 1)).to_bytes(b, "little")

    def mask_bit(self, reg: int, i: int) -> int:
        return (self.v[reg * self.vlenb + i // 8] >> (i % 8)) & 1

    def set_mask_bit(self, reg: int, i: int, bit: int) -> None:
        off = reg * self.vlenb + i // 8
        self.v[off] = (self.v[off] & ~(1 << (i % 8))) | (int(bit) << (i % 8))

    def active(self, vm: int, i: int) -> bool:
        return vm == 1 or self.mask_bit(0, i) == 1

    def op_v(self, w, pc):
        f3 = (w >> 12) & 7
        if f3 == 7:
            return self.vsetvl(w)
        if self.vtype >> 63:
            raise Trap("SIGILL")
        f6, vm, vs2, vs1, vd = w >> 26, (w >> 25) & 1, (w >> 20) & 31, (w >> 15) & 31, (w >> 7) & 31
        sew, vl = self.sew, self.vl
        bug = self.bug
        mask = (1 << sew) - 1
        if f3 in (0, 3, 4):                                            # OPIVV, OPIVI, OPIVX
            if f3 == 0:
                src1 = lambda i: self.vget(vs1, i, sew)                # noqa: E731
            elif f3 == 3:
                imm = sx(vs1, 5) & mask
                if f6 in (0x25, 0x28, 0x29, 0x2C, 0x2D):               # shifts take the immediate unsigned
                    imm = vs1
                src1 = lambda i: imm                                   # noqa: E731
            else:
                scalar = self.x[vs1] & mask
                if f6 in (0x2C, 0x2D):
                    scalar = self.x[vs1] & ((1 << (2 * sew)) - 1)
                src1 = lambda i: scalar                                # noqa: E731
            s = lambda v: signed(v, sew)                               # noqa: E731
            simple = {
                0x00: lambda a, b: a + b, 0x02: lambda a, b: a - b, 0x03: lambda a, b: b - a,
                0x04: lambda a, b: min(a, b), 0x05: lambda a, b: min(s(a), s(b)),
                0x06: lambda a, b: max(a, b), 0x07: lambda a, b: max(s(a), s(b)),
                0x09: lambda a, b: a & b, 0x0A: lambda a, b: a | b, 0x0B: lambda a, b: a ^ b,
                0x25: lambda a, b: a << (b & (sew - 1)), 0x28: lambda a, b: a >> (b & (sew - 1)),
                0x29: (lambda a, b: a >> (b & (sew - 1))) if bug == "v-vsra-logical" and f3 == 0
                else (lambda a, b: s(a) >> (b & (sew - 1))),
            }
            if f6 in simple:
                fn = simple[f6]
                unmasked = bug == "v-vadd-vx-unmasked" and f6 == 0 and f3 == 4
                tail = bug == "v-tu-tail-written" and f6 == 0 and f3 == 0 and not (self.vtype >> 6) & 1
                end = self.vlmax(sew, self.lmul) if tail else vl
                for i in range(self.vstart, end):
                    if unmasked or self.active(vm, i):
                        self.vset(vd, i, sew, fn(self.vget(vs2, i, sew), src1(i)))
            elif 0x18 <= f6 <= 0x1F:                                   # integer compares
                cmp = {0x18: lambda a, b: a == b, 0x19: lambda a, b: a != b, 0x1A: lambda a, b: a < b,
                       0x1B: (lambda a, b: a < b) if bug == "v-vmslt-vx-unsigned" and f3 == 4
                       else (lambda a, b: s(a) < s(b)),
                       0x1C: lambda a, b: a <= b, 0x1D: lambda a, b: s(a) <= s(b),
                       0x1E: lambda a, b: a > b, 0x1F: lambda a, b: s(a) > s(b)}[f6]
                self.mask_result(vd, vm, lambda i: cmp(self.vget(vs2, i, sew), src1(i)),
                                 clear_tail=bug == "v-vmseq-tail-cleared" and f6 == 0x18 and f3 == 0)
            elif f6 == 0x17:                                           # vmerge / vmv.v
                for i in range(self.vstart, vl):
                    take = vm == 1 or self.mask_bit(0, i)
                    self.vset(vd, i, sew, src1(i) if take else self.vget(vs2, i, sew))
            elif f6 in (0x2C, 0x2D):                                   # vnsrl / vnsra
                wide = 2 * sew
                shmask = (sew - 1) if bug == "v-vnsrl-shamt-sew" and f6 == 0x2C else (wide - 1)
                for i in range(self.vstart, vl):
                    if self.active(vm, i):
                        a = self.vget(vs2, i, wide)
                        if f6 == 0x2D:
                            a = signed(a, wide)
                        self.vset(vd, i, sew, a >> (src1(i) & shmask))
            else:
                raise Trap("SIGILL")
        elif f3 in (2, 6):                                             # OPMVV, OPMVX
            self.op_mv(w, f3, f6, vm, vs2, vs1, vd)
        else:                                                          # OPFVV, OPFVF
            self.op_fv(w, f3, f6, vm, vs2, vs1, vd)
        self.vstart = 0

    def mask_result(self, vd, vm, fn, clear_tail=False):
        for i in range(self.vstart, self.vl):
            if self.active(vm, i):
                self.set_mask_bit(vd, i, fn(i))
        if clear_tail:
            for i in range(self.vl, self.vlen):
                self.set_mask_bit(vd, i, 0)

    def op_mv(self, w, f3, f6, vm, vs2, vs1, vd):
        sew, vl = self.sew, self.vl
        bug = self.bug
        mask = (1 << sew) - 1
        if f3 == 2:
            src1 = lambda i: self.vget(vs1, i, sew)                    # noqa: E731
        else:
            scalar = self.x[vs1] & mask
            src1 = lambda i: scalar                                    # noqa: E731
        s = lambda v: signed(v, sew)                                   # noqa: E731
        if f6 == 0x10:
            if f3 == 2 and vs1 == 0:                                   # vmv.x.s
                self.wx(vd, sx(self.vget(vs2, 0, sew), sew))
            elif f3 == 2 and vs1 == 0x10:                              # vcpop.m
                self.wx(vd, sum(self.mask_bit(vs2, i) for i in range(vl) if self.active(vm, i)))
            elif f3 == 6 and vs2 == 0:                                 # vmv.s.x
                if self.vstart < vl:
                    self.vset(vd, 0, sew, self.x[vs1])
            else:
                raise Trap("SIGILL")
            return
        if f3 == 2 and f6 == 0x00:                                     # vredsum.vs
            if vl:
                acc = 0 if bug == "v-vredsum-ignores-vs1" else self.vget(vs1, 0, sew)
                for i in range(vl):
                    if self.active(vm, i):
                        acc += self.vget(vs2, i, sew)
                self.vset(vd, 0, sew, acc)
            return
        if f3 == 2 and f6 == 0x12:                                     # vzext / vsext
            k = {2: 8, 3: 8, 4: 4, 5: 4, 6: 2, 7: 2}.get(vs1)
            if k is None:
                raise Trap("SIGILL")
            is_signed = vs1 & 1 or (bug == "v-vzext-vf2-sext" and vs1 == 6)
            narrow = sew // k
            for i in range(self.vstart, vl):
                if self.active(vm, i):
                    v = self.vget(vs2, i, narrow)
                    self.vset(vd, i, sew, sx(v, narrow) if is_signed else v)
            return
        if f3 == 2 and 0x18 <= f6 <= 0x1C:                             # mask logical
            fn = {0x18: lambda a, b: a & ~b, 0x19: lambda a, b: a & b, 0x1A: lambda a, b: a | b,
                  0x1B: lambda a, b: a ^ b, 0x1C: lambda a, b: a | ~b}[f6]
            for i in range(self.vstart, vl):
                self.set_mask_bit(vd, i, fn(self.mask_bit(vs2, i), self.mask_bit(vs1, i)) & 1)
            return
        mul = {0x25: lambda a, b: a * b, 0x27: lambda a, b: (s(a) * s(b)) >> sew,
               0x24: lambda a, b: (a * b) >> sew, 0x26: lambda a, b: (s(a) * b) >> sew}
        if f6 in mul:
            fn = mul[f6]
            for i in range(self.vstart, vl):
                if self.active(vm, i):
                    self.vset(vd, i, sew, fn(self.vget(vs2, i, sew), src1(i)))
            return
        wide = 2 * sew
        if f6 in (0x30, 0x31, 0x34, 0x35, 0x38, 0x3A, 0x3B):           # widening
            sign_b = f6 in (0x31, 0x35, 0x3B) and not (bug == "v-vwadd-vv-zext" and f6 == 0x31 and f3 == 2)
            sign_a = f6 in (0x31, 0x35, 0x3A, 0x3B) and not (bug == "v-vwadd-vv-zext" and f6 == 0x31 and f3 == 2)
            wide_a = f6 in (0x34, 0x35)
            for i in range(self.vstart, vl):
                if self.active(vm, i):
                    a = self.vget(vs2, i, wide if wide_a else sew)
                    a = signed(a, wide if wide_a else sew) if sign_a else a
                    b = src1(i)
                    b = signed(b, sew) if sign_b else b
                    self.vset(vd, i, wide, a * b if f6 >= 0x38 else a + b)
            return
        raise Trap("SIGILL")

    def vfmt(self, sew):
        return sf.BY_WIDTH[sew]

    def op_fv(self, w, f3, f6, vm, vs2, vs1, vd):
        sew, vl = self.sew, self.vl
        fmt = self.vfmt(sew)
        if f3 == 1:
            src1 = lambda i: self.vget(vs1, i, sew)                    # noqa: E731
        else:
            scalar = self.read_f(vs1, fmt)
            src1 = lambda i: scalar                                    # noqa: E731
        rm = self.frm
        if rm > 4:
            raise Trap("SIGILL")
        if f6 == 0x10:
            if f3 == 1 and vs1 == 0:                                   # vfmv.f.s
                self.write_f(vd, fmt, self.vget(vs2, 0, sew))
            elif f3 == 5 and vs2 == 0:                                 # vfmv.s.f
                if self.vstart < vl:
                    self.vset(vd, 0, sew, src1(0))
            else:
                raise Trap("SIGILL")
            return
        if f6 == 0x17 and f3 == 5 and vm == 1:                         # vfmv.v.f
            for i in range(self.vstart, vl):
                self.vset(vd, i, sew, src1(i))
            return
        if f6 in (0x18, 0x19, 0x1B):
            op = {0x18: "eq", 0x19: "le", 0x1B: "lt"}[f6]
            flags = 0

            def cmp(i):
                nonlocal flags
                r, fl = sf.compare(fmt, self.vget(vs2, i, sew), src1(i), op)
                flags |= fl
                return r
            self.mask_result(vd, vm, cmp)
            self.fflags |= flags
            return
        if self.bug == "v-vfadd-rm" and f6 == 0:
            rm = sf.RNE
        ops = {0x00: lambda a, b: sf.add(fmt, a, b, rm), 0x02: lambda a, b: sf.add(fmt, a, b, rm, subtract=True),
               0x24: lambda a, b: sf.mul(fmt, a, b, rm), 0x04: lambda a, b: sf.min_max(fmt, a, b, False),
               0x06: lambda a, b: sf.min_max(fmt, a, b, True)}
        if f6 not in ops:
            raise Trap("SIGILL")
        fn = ops[f6]
        for i in range(self.vstart, vl):
            if self.active(vm, i):
                r, fl = fn(self.vget(vs2, i, sew), src1(i))
                self.fflags |= fl
                self.vset(vd, i, sew, r)

    def vsetvl(self, w):
        rd, rs1 = (w >> 7) & 31, (w >> 15) & 31
        if (w >> 31) == 0:
            vtype, avl = (w >> 20) & 0x7FF, self.x[rs1]
        elif (w >> 30) == 3:
            vtype, avl = (w >> 20) & 0x3FF, rs1
        else:
            vtype, avl = self.x[(w >> 20) & 31], self.x[rs1]
        vsew, vlmul = (vtype >> 3) & 7, vtype & 7
        lmul = vlmul - 8 if vlmul & 4 else vlmul
        sew = 8 << vsew
        ill = vtype >> 8 or vsew > 3 or vlmul == 4 or (lmul < 0 and sew > 64 >> -lmul)
        if ill:
            self.vtype, self.vl = 1 << 63, 0
            self.wx(rd, 0)
            self.vstart = 0
            return None
        top = self.vlmax(sew, lmul)
        if self.bug == "v-vsetvli-ignores-lmul" and (w >> 31) == 0 and lmul > 0:
            top = self.vlmax(sew, 0)
        if (w >> 30) != 3 and rs1 == 0:
            vl = top if rd != 0 else min(self.vl, top)
        else:
            vl = avl if avl <= top else top
        self.vtype, self.vl, self.vstart = vtype, vl, 0
        self.wx(rd, vl)
        return None

    def vector_memory(self, w, store: bool):
        f3 = (w >> 12) & 7
        eew = {0: 8, 5: 16, 6: 32, 7: 64}[f3]
        nf, mew, mop, vm, lumop = (w >> 29) + 1, (w >> 28) & 1, (w >> 26) & 3, (w >> 25) & 1, (w >> 20) & 31
        vd, base = (w >> 7) & 31, self.x[(w >> 15) & 31]
        if mew:
            raise Trap("SIGILL")
        if mop == 0 and lumop == 8:                                    # whole registers
            nbytes = nf * self.vlenb
            for k in range(self.vstart * eew // 8, nbytes):
                if store:
                    self.store(base + k, 1, self.v[vd * self.vlenb + k])
                else:
                    self.v[vd * self.vlenb + k] = self.load(base + k, 1)
            self.vstart = 0
            return None
        if self.vtype >> 63 or nf != 1 or mop not in (0, 2) or (mop == 0 and lumop != 0):
            raise Trap("SIGILL")
        stride = eew // 8 if mop == 0 else signed(self.x[lumop])
        if self.bug == "v-vle16-uses-sew" and not store and mop == 0 and eew == 16:
            eew = self.sew
            stride = eew // 8
        start = 0 if self.bug == "v-vle-ignores-vstart" and not store and mop == 0 else self.vstart
        for i in range(start, self.vl):
            if not self.active(vm, i):
                continue
            addr = base + i * stride
            if store:
                self.store(addr, eew // 8, self.vget(vd, i, eew))
            else:
                self.vset(vd, i, eew, self.load(addr, eew // 8))
        self.vstart = 0
        return None

    OPCODES = {0x37: op_lui, 0x17: op_auipc, 0x6F: op_jal, 0x67: op_jalr, 0x63: op_branch, 0x03: op_load,
               0x23: op_store, 0x13: op_imm, 0x1B: op_imm32, 0x33: op_reg, 0x3B: op_reg32, 0x0F: op_misc_mem,
               0x2F: op_amo, 0x73: op_system, 0x07: op_load_fp, 0x27: op_store_fp, 0x43: op_fma, 0x47: op_fma,
               0x4B: op_fma, 0x4F: op_fma, 0x53: op_fp, 0x57: op_v}
