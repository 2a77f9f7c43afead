#!/usr/bin/env python3
"""Vector programs for the differential test against qemu-riscv64 (tests/test_vector_qemu.py).

Each program is a static Linux ELF, assembled with rvsim's own assembler, that loads all 32 vector
registers, the f registers and a pool of x registers with prepared values, runs a sequence of vector
instructions, and writes its final state to stdout: vl, vtype, vxsat, vxrm, fcsr, vstart, vlenb, the
pool of x registers, f0-f31, a scratch buffer the loads and stores use, and the 32 vector registers
(whole-register stores).  The same ELF runs at VLEN=128 and 256 (sizes follow vlenb); qemu-riscv64's
output at each VLEN is the golden dump.

Random programs: each block is a vsetvli/vsetivli (random SEW, LMUL, AVL; policies tu, mu, so that the
result is defined) followed by a few instructions drawn from every vector instruction of the ISA table
(integer, fixed point, widening/narrowing, compares, masks, permutations, reductions, FP at SEW 32/64,
loads and stores: unit-stride, strided, indexed, segment, fault-only-first, whole-register, mask).
They are valid by construction: an instruction whose encoding is reserved under the block's vtype, or
whose accesses would leave the scratch buffer, is redrawn; the reference model
(tests/reference/vector_ref.py) is the judge, run at VLEN=256 (the larger vl; the footprint at 128 is
a subset).  Indexed accesses get their index register loaded from a table of element-aligned offsets
(distinct for stores, whose order would otherwise decide the result).  Left out: the .rtz conversions
(QEMU 7.2 aborts on them; the reference-model tests cover them) and vsetvl (the blocks use
vsetvli/vsetivli).  SEW=16 floating point is in: QEMU 7.2
has no Zvfh property but executes the half-precision vector instructions, and agrees with rvsim's
Zvfh (rv64gcv_zvfh) on every one drawn; the reference model, which has no Zvfh, judges their register
groups as at SEW=32.  The instructions are rendered with rvsim's disassembler and assembled back (and checked to
give the same word).

Hand-written kernels (strip-mined loops with tail and masked-off elements undisturbed) follow the
same prologue and dump.

    python tests/vector_data/gen_qemu_programs.py            # regenerate ELFs and golden dumps
    python tests/vector_data/gen_qemu_programs.py --check    # compare rvsim with qemu, write nothing

Needs qemu-riscv64 (QEMU 7.2: -cpu rv64,v=true,vlen=N,elen=64,vext_spec=v1.0).
"""
from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE.parent))

from reference.vector_ref import Illegal, MemoryFault, VState, execute, execute_fp, execute_mem  # noqa: E402
from rvsim.asm import assemble  # noqa: E402
from rvsim.disasm import disassemble  # noqa: E402
from rvsim.isa import INSTRUCTIONS  # noqa: E402

OUT = HERE / "qemu"
VLENS = (128, 256)
MARCH = "rv64gcv_zvfh"
SCRATCH = 2048                  # bytes of the load/store buffer
VINIT = 32 * 256 // 8           # vector register image for VLEN up to 256
POOL = [5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28]
ADDR, STRIDE, TABLE = 31, 30, 29        # t6: access address, t5: stride / table address, t4: AVL
HEADER = 7 * 8 + len(POOL) * 8 + 32 * 8
EXCLUDED = {"vsetvl", "vsetvli", "vsetivli"}
LMULS = {"mf8": 1 / 8, "mf4": 1 / 4, "mf2": 1 / 2, "m1": 1, "m2": 2, "m4": 4, "m8": 8}
LMUL_NAME = {v: k for k, v in LMULS.items()}
XREG = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"]
FAKE_BASE = 0x100000            # where the reference model places the scratch buffer


def qemu_cpu(vlen: int) -> str:
    return f"rv64,v=true,vlen={vlen},elen=64,vext_spec=v1.0"


def kind(r) -> str:
    op = r.match & 0x7f
    if op in (0x07, 0x27):
        return "mem"
    if (r.match >> 12) & 7 in (1, 5):
        return "fp"
    return "int"


def mem_fields(r) -> dict:
    w = r.match
    return {"nf": ((w >> 29) & 7) + 1, "mop": (w >> 26) & 3, "lumop": (w >> 20) & 31,
            "width": (w >> 12) & 7, "store": (w & 0x7f) == 0x27}


CANDIDATES = sorted((r for r in INSTRUCTIONS if "v" in r.extensions and r.mnemonic not in EXCLUDED
                     and ".rtz." not in r.mnemonic), key=lambda r: r.mnemonic)
BY_KIND = {k: [r for r in CANDIDATES if kind(r) == k] for k in ("int", "fp", "mem")}


# ---------------------------------------------------------------- values

def float_bits(rng: random.Random, width: int) -> int:
    """Mostly ordinary values, with zeros, infinities, NaNs (quiet and signaling), subnormals."""
    f = {16: np.float16, 32: np.float32, 64: np.float64}[width]
    u = {16: np.uint16, 32: np.uint32, 64: np.uint64}[width]
    k = rng.randrange(10)
    exp_bits, frac = {16: (5, 10), 32: (8, 23), 64: (11, 52)}[width]
    top = ((1 << exp_bits) - 1) << frac
    sign = rng.getrandbits(1) << (width - 1)
    if k == 0:
        return sign | rng.choice([0, top, top | (1 << (frac - 1)), top | 1, 1, (1 << frac) - 1])
    if k == 1:
        return sign | rng.getrandbits(frac)
    if k == 2:
        return int(f(rng.randint(-100, 100)).view(u))
    return int(f(rng.gauss(0, 1) * 10.0 ** rng.randint(-4, 4)).view(u))


def vinit_image(rng: random.Random) -> bytes:
    """32 registers of VLEN=256: each register holds one kind of data (floats of one width, small or
    random integers), so FP instructions see mostly ordinary numbers."""
    out = bytearray()
    for _ in range(32):
        k = rng.randrange(6)
        if k in (0, 1):
            w = 32 if k == 0 else 64
            out += b"".join(float_bits(rng, w).to_bytes(w // 8, "little") for _ in range(256 // w))
        elif k == 2:
            out += bytes(rng.choice([0, 1, 2, 0x7f, 0x80, 0xff, rng.randrange(256)]) for _ in range(32))
        elif k == 3:
            out += bytes(rng.randrange(4) for _ in range(32))
        else:
            out += bytes(rng.randrange(256) for _ in range(32))
    return bytes(out)


def freg_values(rng: random.Random) -> list[int]:
    vals = []
    for _ in range(32):
        k = rng.randrange(4)
        if k == 0:
            vals.append(float_bits(rng, 64))
        elif k == 3:
            vals.append(rng.getrandbits(64))               # an improperly boxed single
        else:
            vals.append(0xffffffff00000000 | float_bits(rng, 32))
    return vals


def scalar_value(rng: random.Random) -> int:
    return rng.choice([0, 1, 2, 3, 5, 7, 8, 31, 63, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
                       0x80000000, 0xffffffff, 2**63 - 1, 2**63, 2**64 - 1, rng.getrandbits(64),
                       rng.getrandbits(64), rng.randrange(-20, 20) % 2**64])


# ---------------------------------------------------------------- programs

class Program:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.body: list[str] = []
        self.tables: list[str] = []
        self.vinit = vinit_image(rng)
        self.fregs = freg_values(rng)
        self.xregs = {r: scalar_value(rng) for r in POOL}
        self.scratch = bytes(rng.randrange(256) for _ in range(SCRATCH))
        self.vxrm = rng.randrange(4)
        self.frm = rng.randrange(5)
        self.count = 0          # instructions under test

    def emit(self, line: str) -> None:
        self.body.append("    " + line)

    def source(self) -> str:
        lines = [
            "    .text", "    .globl _start", "_start:",
            "    la s0, scratch", "    la s1, tables",
            "    la t6, vinit", "    csrr t5, vlenb", "    slli t5, t5, 3",
        ]
        for r in (0, 8, 16, 24):
            lines += [f"    vl8re8.v v{r}, (t6)", "    add t6, t6, t5"]
        lines.append("    la t6, finit")
        lines += [f"    fld f{i}, {8 * i}(t6)" for i in range(32)]
        lines += [f"    li {XREG[r]}, {v:#x}" for r, v in self.xregs.items()]
        lines += [f"    csrwi vxrm, {self.vxrm}", f"    csrwi frm, {self.frm}", "    csrwi fflags, 0"]
        lines += self.body
        lines += DUMP
        lines += ["    .data", "    .p2align 6", "vinit:"] + data_lines(self.vinit)
        lines += ["    .p2align 3", "finit:"] + [f"    .dword {v:#x}" for v in self.fregs]
        lines += ["    .p2align 6", "scratch:"] + data_lines(self.scratch)
        lines += ["    .p2align 3", "tables:"] + self.tables
        lines += ["    .bss", "    .p2align 6", "dump:", f"    .zero {HEADER}", "    .p2align 6", "vdump:",
                  f"    .zero {VINIT}", ""]
        return "\n".join(lines)


DUMP = [
    "    la s2, dump",
] + [f"    csrr t6, {c}\n    sd t6, {8 * i}(s2)" for i, c in
     enumerate(["vl", "vtype", "vxsat", "vxrm", "fcsr", "vstart", "vlenb"])] + [
    f"    sd {XREG[r]}, {56 + 8 * i}(s2)" for i, r in enumerate(POOL)] + [
    f"    fsd f{i}, {56 + 8 * len(POOL) + 8 * i}(s2)" for i in range(32)] + [
    "    la t6, vdump", "    csrr t5, vlenb", "    slli t5, t5, 3",
    "    vs8r.v v0, (t6)", "    add t6, t6, t5", "    vs8r.v v8, (t6)", "    add t6, t6, t5",
    "    vs8r.v v16, (t6)", "    add t6, t6, t5", "    vs8r.v v24, (t6)",
    "    li a0, 1", "    la a1, dump", f"    li a2, {HEADER}", "    li a7, 64", "    ecall",
    "    li a0, 1", "    la a1, scratch", f"    li a2, {SCRATCH}", "    li a7, 64", "    ecall",
    "    li a0, 1", "    la a1, vdump", "    csrr a2, vlenb", "    slli a2, a2, 5", "    li a7, 64", "    ecall",
    "    li a0, 0", "    li a7, 93", "    ecall",
]


def data_lines(data: bytes) -> list[str]:
    return ["    .byte " + ", ".join(str(b) for b in data[i:i + 32]) for i in range(0, len(data), 32)]


def vsetvli_line(p: Program, sew: int, lmul: float, avl: int) -> None:
    vt = f"e{sew}, {LMUL_NAME[lmul]}, tu, mu"
    if avl < 32 and p.rng.random() < 0.3:
        p.emit(f"vsetivli {XREG[p.rng.choice(POOL)]}, {avl}, {vt}")
    else:
        p.emit(f"li {XREG[TABLE]}, {avl}")
        p.emit(f"vsetvli {XREG[TABLE]}, {XREG[TABLE]}, {vt}")


def draw_operands(p: Program, r, lmul: float) -> dict:
    rng = p.rng
    group = max(1, int(lmul))
    ops = {}
    for k in r.operands:
        if k.role == "vreg":
            g = rng.choice([group, group, 2 * group if group < 8 else group, 1])
            ops[k.name] = rng.randrange(0, 32, g) if rng.random() < 0.85 else rng.randrange(32)
        elif k.role == "vm":
            ops[k.name] = 0 if rng.random() < 0.3 else 1
        elif k.role == "freg":
            ops[k.name] = rng.randrange(32)
        elif k.role == "xreg":
            ops[k.name] = rng.choice(POOL)
        else:
            lo, hi = k.value_range()
            ops[k.name] = rng.randint(lo, hi)
    return ops


def reference_state(p: Program, sew: int, lmul: float, vl: int) -> VState:
    st = VState(vlen=256, vreg=np.frombuffer(p.vinit, np.uint8).reshape(32, 32).copy(), sew=sew, lmul=lmul,
                vl=vl, vxrm=p.vxrm)
    st.x = [0] * 32
    for reg, v in p.xregs.items():
        st.x[reg] = v
    return st


def try_instruction(p: Program, r, sew: int, lmul: float, vl: int, avl: int) -> bool:
    """Draw operands for r until the reference model accepts them (or give up); emit it."""
    for _ in range(20):
        ops = draw_operands(p, r, lmul)
        st = reference_state(p, sew, lmul, vl)
        pre: list[str] = []
        try:
            k = kind(r)
            if k == "int":
                execute(st, r.mnemonic, ops)
            elif k == "fp":
                if sew == 16:
                    # the reference model has no Zvfh: the register-group rules are those of SEW=32
                    st = reference_state(p, 32, lmul, min(vl, int(lmul * 256 // 32)))
                execute_fp(st, r.mnemonic, ops, p.frm, list(p.fregs))
            else:
                pre = prepare_access(p, r, ops, st, sew, lmul, vl, avl)
                if pre is None:
                    continue
                execute_mem(st, mem_fields(r), ops, bytearray(p.scratch), FAKE_BASE)
        except (Illegal, MemoryFault):
            continue
        word = r.encode(ops)
        text = disassemble(word, aliases=False).replace("\t", " ")
        check = assemble("    " + text + "\n", march=MARCH).section(".text").data
        assert int.from_bytes(check[:4], "little") == word, (text, hex(word))
        for line in pre:
            p.emit(line)
        p.emit(text)
        p.count += 1
        return True
    return False


def prepare_access(p: Program, r, ops: dict, st: VState, sew: int, lmul: float, vl: int, avl: int):
    """Address (and stride or index) set-up lines for a load/store, with the reference state set to
    match; None when no placement inside the scratch buffer fits."""
    rng = p.rng
    f = mem_fields(r)
    eew = {0: 8, 5: 16, 6: 32, 7: 64}[f["width"]]
    indexed = f["mop"] in (1, 3)
    data_eew = sew if indexed else eew
    unit = f["nf"] * data_eew // 8          # bytes per element (all fields)
    lines = []
    ops["rs1"] = ADDR
    if indexed:
        # index values: element-aligned offsets, distinct for stores; loaded with the index EEW
        idx_lmul = lmul * eew / sew
        if idx_lmul not in LMUL_NAME or eew > idx_lmul * 64:
            return None
        vidx = ops["vs2"]
        if not group_aligned(vidx, idx_lmul):
            return None
        span = min(SCRATCH - unit, (1 << eew) - 1)
        grain = unit if f["store"] else data_eew // 8     # stores: segments may not overlap either
        slots = span // grain + 1
        if f["store"] and slots < vl:
            return None
        picks = rng.sample(range(slots), vl) if f["store"] else [rng.randrange(slots) for _ in range(vl)]
        idx = [s * grain for s in picks]
        for i, v in enumerate(idx):
            st.put(vidx, i, eew, v)
        label = f"idx{len(p.tables)}"
        width = {8: ".byte", 16: ".half", 32: ".word", 64: ".dword"}[eew]
        p.tables.append(f"    .p2align 3\n{label}:\n" + "\n".join(
            f"    {width} " + ", ".join(str(v) for v in idx[i:i + 16]) for i in range(0, len(idx), 16)))
        lines += [f"li {XREG[TABLE]}, {avl}",
                  f"vsetvli {XREG[TABLE]}, {XREG[TABLE]}, e{eew}, {LMUL_NAME[idx_lmul]}, tu, mu",
                  f"la {XREG[STRIDE]}, {label}", f"vle{eew}.v v{vidx}, ({XREG[STRIDE]})",
                  f"li {XREG[TABLE]}, {avl}",
                  f"vsetvli {XREG[TABLE]}, {XREG[TABLE]}, e{sew}, {LMUL_NAME[lmul]}, tu, mu"]
        base = 0
    elif f["mop"] == 2:
        step = rng.choice([1, 1, 2, 3]) * unit + rng.choice([0, 0, data_eew // 8])
        stride = step * rng.choice([1, 1, -1]) if rng.random() < 0.95 else 0
        if stride == 0 and f["store"]:
            stride = unit
        ops["rs2"] = STRIDE
        st.x[STRIDE] = stride % 2**64
        span = (max(vl, 1) - 1) * abs(stride) + unit
        if span > SCRATCH:
            return None
        lo = (max(vl, 1) - 1) * -stride if stride < 0 else 0
        base = lo + rng.randrange(0, (SCRATCH - span) // (data_eew // 8) + 1) * (data_eew // 8)
        lines.append(f"li {XREG[STRIDE]}, {stride}")
    else:
        size = unit * vl
        if f["lumop"] == 8:
            size = f["nf"] * 32
        elif f["lumop"] == 0xb:
            size = (vl + 7) // 8
        if size > SCRATCH:
            return None
        base = rng.randrange(0, (SCRATCH - size) // (eew // 8) + 1) * (eew // 8)
    st.x[ADDR] = FAKE_BASE + base
    if base < 2048:
        lines.insert(0, f"addi {XREG[ADDR]}, s0, {base}")
    else:
        lines[:0] = [f"li {XREG[ADDR]}, {base}", f"add {XREG[ADDR]}, {XREG[ADDR]}, s0"]
    return lines


def group_aligned(reg: int, emul: float) -> bool:
    n = max(1, int(emul))
    return reg % n == 0 and reg + n <= 32


def random_program(seed: int, blocks: int = 50) -> Program:
    rng = random.Random(seed)
    p = Program(rng)
    for _ in range(blocks):
        sew = rng.choice([8, 16, 32, 64, 32, 64])
        lmul = rng.choice([x for x in LMULS.values() if sew <= x * 64])
        vlmax256 = int(lmul * 256 // sew)
        avl = rng.choice([vlmax256, vlmax256 + 3, 1000, rng.randint(0, vlmax256), rng.randint(1, 8)])
        vl = min(avl, vlmax256)
        vsetvli_line(p, sew, lmul, avl)
        if rng.random() < 0.1:
            p.vxrm = rng.randrange(4)
            p.emit(f"csrwi vxrm, {p.vxrm}")
        if rng.random() < 0.1:
            p.frm = rng.randrange(5)
            p.emit(f"csrwi frm, {p.frm}")
        for _ in range(rng.randint(1, 4)):
            k = rng.choices(["int", "fp", "mem"], weights=[5, 3, 2])[0]
            for _ in range(10):
                if try_instruction(p, rng.choice(BY_KIND[k]), sew, lmul, vl, avl):
                    break
    return p


# ---------------------------------------------------------------- hand-written kernels

KERNELS = {
    # y[i] = a*x[i] + y[i] over 37 floats (strip-mined, the last strip partial): tail undisturbed
    "saxpy": """
    li a3, 37
    mv a4, s0
    addi a5, s0, 512
    fmv.w.x fa5, zero
    li t0, 0x40400000
    fmv.w.x fa5, t0
1:  vsetvli t0, a3, e32, m2, tu, mu
    vle32.v v8, (a4)
    vle32.v v16, (a5)
    vfmacc.vf v16, fa5, v8
    vse32.v v16, (a5)
    slli t1, t0, 2
    add a4, a4, t1
    add a5, a5, t1
    sub a3, a3, t0
    bnez a3, 1b
""",
    # masked: z[i] = x[i] < y[i] ? x[i] - y[i] : undisturbed, over 50 int16 in strips of LMUL=1
    "masked_sub": """
    li a3, 50
    mv a4, s0
    addi a5, s0, 256
    addi a6, s0, 1024
1:  vsetvli t0, a3, e16, m1, tu, mu
    vle16.v v1, (a4)
    vle16.v v2, (a5)
    vle16.v v3, (a6)
    vmslt.vv v0, v1, v2
    vsub.vv v3, v1, v2, v0.t
    vse16.v v3, (a6)
    slli t1, t0, 1
    add a4, a4, t1
    add a5, a5, t1
    add a6, a6, t1
    sub a3, a3, t0
    bnez a3, 1b
""",
    # sum and max of 100 int32 (reductions into v20/v21 across strips), widening sum of bytes
    "reductions": """
    li a3, 100
    mv a4, s0
    vsetivli zero, 1, e32, m1, tu, mu
    vmv.s.x v20, zero
    li t1, 0x80000000
    vmv.s.x v21, t1
1:  vsetvli t0, a3, e32, m4, tu, mu
    vle32.v v8, (a4)
    vredsum.vs v20, v8, v20
    vredmax.vs v21, v8, v21
    slli t1, t0, 2
    add a4, a4, t1
    sub a3, a3, t0
    bnez a3, 1b
    li a3, 200
    mv a4, s0
    vsetivli zero, 1, e16, m1, tu, mu
    vmv.s.x v22, zero
1:  vsetvli t0, a3, e8, m2, tu, mu
    vle8.v v8, (a4)
    vwredsumu.vs v22, v8, v22
    add a4, a4, t0
    sub a3, a3, t0
    bnez a3, 1b
    vsetivli zero, 1, e32, m1, tu, mu
    vmv.x.s a0, v20
    vmv.x.s a1, v21
""",
    # deinterleave 3-byte pixels with a segment load, swap channels, store interleaved
    "rgb_swap": """
    li a3, 40
    mv a4, s0
    addi a5, s0, 1024
1:  vsetvli t0, a3, e8, m1, tu, mu
    vlseg3e8.v v4, (a4)
    vmv.v.v v10, v4
    vmv.v.v v4, v6
    vmv.v.v v6, v10
    vsseg3e8.v v4, (a5)
    slli t1, t0, 1
    add t1, t1, t0
    add a4, a4, t1
    add a5, a5, t1
    sub a3, a3, t0
    bnez a3, 1b
""",
    # dot product of 45 doubles with an ordered FP reduction; float compare mask and merge
    "fp_dot": """
    li a3, 45
    mv a4, s0
    addi a5, s0, 512
    vsetivli zero, 1, e64, m1, tu, mu
    vmv.s.x v24, zero
1:  vsetvli t0, a3, e64, m2, tu, mu
    vle64.v v8, (a4)
    vle64.v v10, (a5)
    vfmul.vv v12, v8, v10
    vfredosum.vs v24, v12, v24
    vmflt.vv v0, v8, v10
    vmerge.vvm v14, v8, v10, v0
    vse64.v v14, (a4)
    slli t1, t0, 3
    add a4, a4, t1
    add a5, a5, t1
    sub a3, a3, t0
    bnez a3, 1b
    vfmv.f.s fa0, v24
""",
    # reverse 60 halfwords with vrgather (index vid reversed), then compress the odd ones
    "permute": """
    li a3, 60
    vsetvli t0, a3, e16, m8, tu, mu
    vle16.v v8, (s0)
    vid.v v16
    addi t1, t0, -1
    vrsub.vx v16, v16, t1
    vrgather.vv v24, v8, v16
    vse16.v v24, (s0)
    vand.vi v16, v24, 1
    vmsne.vi v0, v16, 0
    vcompress.vm v16, v24, v0
    vcpop.m a0, v0
    vfirst.m a1, v0
    viota.m v24, v0
    vslidedown.vi v8, v24, 3
    vslideup.vi v16, v8, 5
""",
    # byte search with fault-only-first loads and vfirst (a strlen over a 0-terminated buffer)
    "strlen": """
    addi a4, s0, 7
    sb zero, 300(s0)
    li t1, 1
1:  vsetvli t0, zero, e8, m4, tu, mu
    vle8ff.v v8, (a4)
    csrr t0, vl
    vmseq.vi v0, v8, 0
    vfirst.m a0, v0
    add a4, a4, t0
    bltz a0, 1b
    sub a4, a4, t0
    add a4, a4, a0
    sub a0, a4, s0
    addi a0, a0, -7
""",
    # fixed point: averaging adds and saturating narrowing clips, vxsat accrued
    "fixed_point": """
    li a3, 33
    mv a4, s0
    addi a5, s0, 600
    csrwi vxrm, 1
1:  vsetvli t0, a3, e16, m2, tu, mu
    vle16.v v8, (a4)
    vaadd.vv v12, v8, v8
    vsmul.vv v16, v8, v12
    vssra.vi v16, v16, 3
    vsetvli t0, a3, e8, m1, tu, mu
    vnclip.wi v20, v16, 2
    vse8.v v20, (a5)
    slli t1, t0, 1
    add a4, a4, t1
    add a5, a5, t0
    sub a3, a3, t0
    bnez a3, 1b
""",
}


def kernel_program(name: str, seed: int) -> Program:
    p = Program(random.Random(seed))
    p.body = [line for line in KERNELS[name].strip("\n").split("\n")]
    return p


# ---------------------------------------------------------------- running

def run_rvsim(elf: bytes, vlen: int) -> bytes:
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine, StopReason
    out = io.BytesIO()
    m = Machine(MARCH, vlen=vlen, env=LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
    m.load_elf(elf)
    info = m.run(10_000_000)
    if info.reason is not StopReason.EXIT or info.exit_code != 0:
        raise RuntimeError(f"rvsim VLEN={vlen}: {info}")
    return out.getvalue()


def run_qemu(qemu: str, elf_path: Path, vlen: int) -> bytes:
    r = subprocess.run([qemu, "-cpu", qemu_cpu(vlen), str(elf_path)], capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"qemu VLEN={vlen} exited with {r.returncode}: {r.stderr.decode()[-300:]}")
    return r.stdout


def describe(expected: bytes, got: bytes, vlen: int) -> str:
    """Where two dumps differ, by register / field."""
    if len(expected) != len(got):
        return f"dump sizes differ: {len(expected)} vs {len(got)}"
    names = ["vl", "vtype", "vxsat", "vxrm", "fcsr", "vstart", "vlenb"] + [XREG[r] for r in POOL] + \
        [f"f{i}" for i in range(32)]
    out = []
    for i, n in enumerate(names):
        a, b = expected[8 * i:8 * i + 8], got[8 * i:8 * i + 8]
        if a != b:
            out.append(f"{n}: expected {int.from_bytes(a, 'little'):#x} got {int.from_bytes(b, 'little'):#x}")
    s0, s1 = HEADER, HEADER + SCRATCH
    diff = [i for i in range(s0, s1) if expected[i] != got[i]]
    if diff:
        out.append(f"scratch differs at {len(diff)} bytes from offset {diff[0] - s0}")
    vlenb = vlen // 8
    for r in range(32):
        a = expected[s1 + r * vlenb:s1 + (r + 1) * vlenb]
        b = got[s1 + r * vlenb:s1 + (r + 1) * vlenb]
        if a != b:
            out.append(f"v{r}: expected {a.hex()} got {b.hex()}")
    return "\n".join(out)


def build(p: Program) -> bytes:
    return assemble(p.source(), filename="prog.s", march=MARCH).to_elf()


def programs(random_count: int):
    """(name, Program) of the committed set."""
    for name in KERNELS:
        yield f"kernel_{name}", kernel_program(name, seed=1000 + len(name))
    for seed in range(random_count):
        yield f"random_{seed:03d}", random_program(seed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=32, help="random programs")
    ap.add_argument("--check", action="store_true", help="compare rvsim with qemu only")
    args = ap.parse_args()
    qemu = shutil.which("qemu-riscv64")
    if not qemu:
        raise SystemExit("qemu-riscv64 is needed (Debian package qemu-user)")
    if not args.check:
        if OUT.exists():
            shutil.rmtree(OUT)
        OUT.mkdir()
    bad = 0
    total = 0
    with tempfile.TemporaryDirectory() as d:
        for name, p in programs(args.count):
            elf = build(p)
            path = Path(d, name + ".elf")
            path.write_bytes(elf)
            path.chmod(0o755)           # qemu-user exits 1, silently, on a file without x
            total += p.count
            for vlen in VLENS:
                golden = run_qemu(qemu, path, vlen)
                got = run_rvsim(elf, vlen)
                if golden != got:
                    bad += 1
                    print(f"{name} VLEN={vlen}: rvsim differs from qemu\n{describe(golden, got, vlen)}")
                if not args.check:
                    (OUT / f"{name}.vlen{vlen}.out").write_bytes(golden)
            if not args.check:
                (OUT / f"{name}.elf").write_bytes(elf)
            print(f"{name}: {p.count} random instructions" if p.count else name, flush=True)
    print(f"{total} random instructions; {bad} mismatching runs")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
