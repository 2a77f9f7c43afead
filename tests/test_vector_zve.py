"""The embedded vector subsets Zve32x, Zve32f, Zve64x, Zve64f and Zve64d (unpriv "Vector Extensions").

Oracles: the spec text (zv.adoc, zve64x.adoc, zve64d.adoc, vector-common.adoc, cited per test), GNU as
2.40 (which instructions each -march accepts, and the bytes), and qemu-riscv64 7.2, which has Zve32f and
Zve64f (``-cpu rv64,v=false,Zve32f=true,elen=32``): whether an instruction traps, and what vsetvl makes of
a vtype.  The small programs set a vtype with vsetvl (the register form), run one instruction and exit
with 0; an illegal instruction is SIGILL under qemu and an illegal-instruction trap (cause 2) in rvsim.
"""
from __future__ import annotations

import subprocess

import pytest

from rvsim.asm import AsmError, assemble
from rvsim.isa import parse_isa_string, vector_limits
from tests.conftest import require_tool

pytest.importorskip("rvsim._core", reason="the C extension is not built (python setup.py build_ext --inplace)")

from rvsim import Machine  # noqa: E402
from rvsim.stop import StopReason  # noqa: E402

ZVE_ISAS = {
    # ISA string: (ELEN, widest vector FP element), as zv.adoc describes each subset
    "rv64imac_zve32x": (32, 0),
    "rv64imafc_zve32f": (32, 32),
    "rv64imac_zve64x": (64, 0),
    "rv64imafc_zve64f": (64, 32),
    "rv64imafdc_zve64d": (64, 64),
}


def vtype(sew: int, lmul: str = "m1", ta: int = 1, ma: int = 1) -> int:
    vlmul = {"m1": 0, "m2": 1, "m4": 2, "m8": 3, "mf8": 5, "mf4": 6, "mf2": 7}[lmul]
    return ma << 7 | ta << 6 | {8: 0, 16: 1, 32: 2, 64: 3}[sew] << 3 | vlmul


def program(vt: int, body: str, exit_with: str = "li a0, 0") -> str:
    """A Linux program: vsetvl to ``vt`` with AVL 4, ``body``, then exit(``a0``)."""
    return f"""
    .text
    .globl _start
_start:
    la a1, buf
    li t1, {vt}
    li a0, 4
    vsetvl t0, a0, t1
    {body}
    {exit_with}
    li a7, 93
    ecall
    .data
    .balign 64
buf: .zero 512
"""


def build(source: str) -> bytes:
    # assembled for full V: the subset machine decides what is legal, as qemu does
    return assemble(source, march="rv64gcv").to_elf()


def run_rvsim(isa: str, elf: bytes, tmp_path, vlen: int = 128):
    path = tmp_path / "p.elf"
    path.write_bytes(elf)
    m = Machine(isa, vlen=vlen)
    m.load_elf(str(path))
    info = m.run(max_instructions=10_000)
    if info.reason == StopReason.TRAP:
        assert info.cause == 2, info
        return "SIGILL"
    assert info.reason == StopReason.EXIT, info
    return info.exit_code


QEMU_CPU = {
    "rv64imafc_zve32f": "rv64,v=false,Zve32f=true,elen=32,vlen=128",
    "rv64imafc_zve64f": "rv64,v=false,Zve64f=true,elen=64,vlen=128",
}


def run_qemu(isa: str, elf: bytes, tmp_path):
    qemu = require_tool("qemu-riscv64")
    path = tmp_path / "q.elf"
    path.write_bytes(elf)
    path.chmod(0o755)
    r = subprocess.run([qemu, "-cpu", QEMU_CPU[isa], str(path)], capture_output=True, timeout=60)
    return "SIGILL" if r.returncode == -4 else r.returncode


# ---------------------------------------------------------------- the ISA strings


def test_isa_strings_give_the_subsets_and_their_dependencies():
    # zv.adoc: Zve64x includes Zve32x, Zve32f adds FP32 (and needs F), Zve64f is their union, Zve64d adds
    # FP64 (and needs D)
    assert {"zve32x", "zicsr"} <= parse_isa_string("rv64imac_zve32x")
    assert "f" not in parse_isa_string("rv64imac_zve64x")
    assert {"f", "zve32x"} <= parse_isa_string("rv64imac_zve32f")
    assert {"zve32f", "zve64x", "zve32x"} <= parse_isa_string("rv64imafc_zve64f")
    assert {"d", "zve64f", "zve32f", "zve64x"} <= parse_isa_string("rv64imac_zve64d")
    for isa, limits in ZVE_ISAS.items():
        assert vector_limits(parse_isa_string(isa)) == limits, isa
    assert vector_limits(parse_isa_string("rv64gcv")) == (64, 64)
    assert vector_limits(parse_isa_string("rv64gc")) is None
    # v-st-ext.adoc: "RV64GCV and RV64GCV_Zve64f are both valid and equivalent ISA strings"
    assert parse_isa_string("rv64gcv_zve64f") == parse_isa_string("rv64gcv")
    assert parse_isa_string("rv64gcv_zve32x_zvl128b") - {"zvl128b"} == parse_isa_string("rv64gcv")
    assert vector_limits(parse_isa_string("rv32imac_zve32x", rv32=True)) == (32, 0)


def test_zvl_names_a_minimum_vlen():
    assert "zvl256b" in parse_isa_string("rv64imac_zve32x_zvl256b")
    with pytest.raises(ValueError, match="vector length"):
        parse_isa_string("rv64imac_zve32x_zvl100b")
    with pytest.raises(ValueError, match="VLEN >= 512"):
        Machine("rv64imac_zve64x_zvl512b", vlen=256)
    assert Machine("rv64imac_zve64x_zvl512b", vlen=512).vlen == 512


def test_misa_has_no_v_for_a_subset():
    # v-st-ext.adoc: "The misa[v] bit is set for implementations providing misa and supporting V"
    v_bit = 1 << (ord("V") - ord("A"))
    assert Machine("rv64gcv").csr["misa"] & v_bit
    for isa in ZVE_ISAS:
        assert not Machine(isa).csr["misa"] & v_bit, isa


# ---------------------------------------------------------------- the assembler against GNU as 2.40

ASM_CASES = ["vadd.vv v1, v2, v3", "vle32.v v1, (a0)", "vle64.v v1, (a0)", "vl1re64.v v1, (a0)",
             "vluxei64.v v1, (a0), v2", "vsse64.v v1, (a0), a1", "vfadd.vv v1, v2, v3",
             "vfwcvt.f.f.v v2, v1", "vmulh.vv v1, v2, v3", "vsmul.vv v1, v2, v3", "vmfeq.vf v0, v1, fa0",
             "vfirst.m a0, v1", "vwadd.vv v2, v4, v6"]


@pytest.mark.parametrize("isa", [*ZVE_ISAS, "rv32imac_zve64x", "rv32imafc_zve32f"])
def test_assembler_accepts_what_gnu_as_accepts(isa, tmp_path):
    gas = require_tool("riscv64-unknown-elf-as")
    objcopy = require_tool("riscv64-unknown-elf-objcopy")
    for insn in ASM_CASES:
        src = tmp_path / "a.s"
        src.write_text(f".text\n{insn}\n")
        r = subprocess.run([gas, f"-march={isa}", str(src), "-o", str(tmp_path / "a.o")], capture_output=True)
        try:
            ours = assemble(f".text\n{insn}\n", march=isa)
        except AsmError:
            ours = None
        assert (ours is not None) == (r.returncode == 0), f"{isa}: {insn}: GNU as says {r.stderr.decode()!r}"
        if ours is not None:
            subprocess.run([objcopy, "-O", "binary", "-j", ".text", str(tmp_path / "a.o"), str(tmp_path / "a.bin")],
                           check=True)
            (tmp_path / "r.elf").write_bytes(ours.to_elf())
            subprocess.run([objcopy, "-O", "binary", "-j", ".text", str(tmp_path / "r.elf"), str(tmp_path / "r.bin")],
                           check=True)
            assert (tmp_path / "a.bin").read_bytes() == (tmp_path / "r.bin").read_bytes(), (isa, insn)


def test_assembler_names_the_missing_subset():
    with pytest.raises(AsmError, match="Zve32f"):
        assemble(".text\nvfadd.vv v1, v2, v3\n", march="rv64imac_zve64x")
    with pytest.raises(AsmError, match="Zve64x"):
        assemble(".text\nvle64.v v1, (a0)\n", march="rv64imafc_zve32f")


def test_arch_attribute_names_the_subset_as_gnu_as_does(tmp_path):
    readelf = require_tool("riscv64-unknown-elf-readelf")
    gas = require_tool("riscv64-unknown-elf-as")
    for isa in ZVE_ISAS:
        (tmp_path / "a.s").write_text(".text\nnop\n")
        subprocess.run([gas, f"-march={isa}", str(tmp_path / "a.s"), "-o", str(tmp_path / "g.o")], check=True)
        (tmp_path / "r.elf").write_bytes(assemble(".text\nnop\n", march=isa).to_elf())
        attrs = []
        for f in ("g.o", "r.elf"):
            out = subprocess.run([readelf, "-A", str(tmp_path / f)], capture_output=True, text=True).stdout
            arch = next(line for line in out.splitlines() if "Tag_RISCV_arch" in line).split('"')[1]
            # GNU as adds zmmul1p0 for M (rvsim's attribute never has, whatever the vector unit), and GNU as
            # 2.40 does not add Zicsr for Zve32x, which rvsim does: "The Zve32x extension depends on the
            # Zicsr extension" (the V spec 1.0, section 18.2; vset* and csrr vl need it)
            attrs.append(arch.replace("_zmmul1p0", "").replace("_zicsr2p0", ""))
        assert attrs[0] == attrs[1], isa


# ---------------------------------------------------------------- vsetvl: SEW > ELEN and LMUL < SEWmin/ELEN

VSET_CASES = [(64, "m1"), (32, "m1"), (32, "mf2"), (16, "mf2"), (8, "mf4"), (8, "mf8"), (16, "mf4"),
              (64, "m8"), (32, "m8")]


def _vset_outcome(isa: str, sew: int, lmul: str, tmp_path):
    # exit code: vill (vtype's top bit) * 100 + vl
    elf = build(program(vtype(sew, lmul), "csrr t2, vtype\n    srli t2, t2, 63\n    li t3, 100\n    mul t2, t2, t3",
                        "add a0, t2, t0"))
    return run_rvsim(isa, elf, tmp_path)


@pytest.mark.parametrize("isa", ZVE_ISAS)
def test_vsetvl_follows_elen(isa, tmp_path):
    elen = ZVE_ISAS[isa][0]
    for sew, lmul in VSET_CASES:
        frac = {"mf2": 2, "mf4": 4, "mf8": 8}.get(lmul, 1)
        # vector-common.adoc: SEW > ELEN is unsupported (vill); norm:vtype_lmul_fval_rsv: LMUL <
        # SEWmin/ELEN is reserved and rvsim sets vill, and a fractional LMUL needs SEW <= LMUL*ELEN
        # (norm:vtype_sew_val)
        legal = sew <= elen and sew * frac <= elen
        mul = {"m2": 2, "m4": 4, "m8": 8}.get(lmul, 1)
        vlmax = 128 * mul // frac // sew
        want = min(4, vlmax) if legal else 100
        assert _vset_outcome(isa, sew, lmul, tmp_path) == want, (isa, sew, lmul)


@pytest.mark.parametrize("isa", QEMU_CPU)
def test_vsetvl_matches_qemu(isa, tmp_path):
    for sew, lmul in VSET_CASES:
        if lmul == "mf8":
            continue        # reserved for ELEN=32: qemu 7.2 accepts it (LMUL*VLEN >= SEW), rvsim sets vill
        elf = build(program(vtype(sew, lmul), "csrr t2, vtype\n    srli t2, t2, 63\n    li t3, 100\n"
                                              "    mul t2, t2, t3", "add a0, t2, t0"))
        assert run_rvsim(isa, elf, tmp_path) == run_qemu(isa, elf, tmp_path), (isa, sew, lmul)


# ---------------------------------------------------------------- which instructions run at which SEW

# (instruction, SEW, {isa: "SIGILL" or 0}); spec sections in the comments
INSN_CASES = [
    ("vadd.vv v1, v2, v3", 32, {i: 0 for i in ZVE_ISAS}),
    ("vle32.v v1, (a1)", 32, {i: 0 for i in ZVE_ISAS}),
    # Zve32x "provides support for EEW of 8, 16, and 32": an EEW=64 access is illegal at ELEN=32
    ("vle64.v v8, (a1)", 8, {i: "SIGILL" if ZVE_ISAS[i][0] == 32 else 0 for i in ZVE_ISAS}),
    ("vluxei64.v v1, (a1), v8", 8, {i: "SIGILL" if ZVE_ISAS[i][0] == 32 else 0 for i in ZVE_ISAS}),
    ("vl1re64.v v1, (a1)", 8, {i: "SIGILL" if ZVE_ISAS[i][0] == 32 else 0 for i in ZVE_ISAS}),
    # a widening instruction's 2*SEW destination must fit ELEN
    ("vwadd.vv v2, v4, v6", 32, {i: "SIGILL" if ZVE_ISAS[i][0] == 32 else 0 for i in ZVE_ISAS}),
    ("vwadd.vv v2, v4, v6", 16, {i: 0 for i in ZVE_ISAS}),
    ("vnsrl.wv v1, v2, v4", 32, {i: "SIGILL" if ZVE_ISAS[i][0] == 32 else 0 for i in ZVE_ISAS}),
    ("vwredsum.vs v2, v4, v6", 32, {i: "SIGILL" if ZVE_ISAS[i][0] == 32 else 0 for i in ZVE_ISAS}),
    # zve64x.adoc: vmulh* and vsmul are not included for EEW=64
    ("vmulh.vv v1, v2, v3", 64, {i: "SIGILL" for i in ZVE_ISAS}),
    ("vmulhu.vx v1, v2, a0", 64, {i: "SIGILL" for i in ZVE_ISAS}),
    ("vmulhsu.vv v1, v2, v3", 64, {i: "SIGILL" for i in ZVE_ISAS}),
    ("vsmul.vv v1, v2, v3", 64, {i: "SIGILL" for i in ZVE_ISAS}),
    ("vmulh.vv v1, v2, v3", 32, {i: 0 for i in ZVE_ISAS}),
    ("vmul.vv v1, v2, v3", 64, {i: "SIGILL" if ZVE_ISAS[i][0] == 32 else 0 for i in ZVE_ISAS}),
    # zv.adoc: Zve32x and Zve64x have no floating point; Zve32f and Zve64f FP32 only; Zve64d FP64 too
    ("vfadd.vv v1, v2, v3", 32, {i: 0 if ZVE_ISAS[i][1] else "SIGILL" for i in ZVE_ISAS}),
    ("vfmv.v.f v1, fa0", 32, {i: 0 if ZVE_ISAS[i][1] else "SIGILL" for i in ZVE_ISAS}),
    ("vfadd.vv v1, v2, v3", 64, {i: 0 if ZVE_ISAS[i][1] == 64 else "SIGILL" for i in ZVE_ISAS}),
    ("vfwcvt.f.f.v v2, v1", 32, {i: 0 if ZVE_ISAS[i][1] == 64 else "SIGILL" for i in ZVE_ISAS}),
    ("vfncvt.f.f.w v1, v2", 32, {i: 0 if ZVE_ISAS[i][1] == 64 else "SIGILL" for i in ZVE_ISAS}),
    ("vfwadd.vv v2, v4, v6", 32, {i: 0 if ZVE_ISAS[i][1] == 64 else "SIGILL" for i in ZVE_ISAS}),
    # FP32 -> int64 and back: the FP operand is 32 bits, the integer one 64 (fine at ELEN=64)
    ("vfwcvt.x.f.v v2, v1", 32, {i: 0 if ZVE_ISAS[i][1] and ZVE_ISAS[i][0] == 64 else "SIGILL"
                                 for i in ZVE_ISAS}),
    ("vfncvt.f.x.w v1, v2", 32, {i: 0 if ZVE_ISAS[i][1] and ZVE_ISAS[i][0] == 64 else "SIGILL"
                                 for i in ZVE_ISAS}),
    ("vfwcvt.f.x.v v2, v1", 16, {i: 0 if ZVE_ISAS[i][1] else "SIGILL" for i in ZVE_ISAS}),
    ("vfirst.m a0, v1", 32, {i: 0 for i in ZVE_ISAS}),
]


# "Vector load/store encodings for unsupported EEW widths are reserved" (vector-common.adoc,
# norm:vector_ls_ins_rsv): rvsim makes them illegal; QEMU 7.2 with elen=32 still runs EEW=64 accesses
QEMU_ACCEPTS_RESERVED = {
    "vle64.v": "QEMU 7.2 runs EEW=64 loads at ELEN=32 (a reserved encoding; rvsim traps)",
    "vluxei64.v": "QEMU 7.2 runs EEW=64 indices at ELEN=32 (a reserved encoding; rvsim traps)",
    "vl1re64.v": "QEMU 7.2 runs EEW=64 whole-register loads at ELEN=32 (a reserved encoding; rvsim traps)",
}


def _insn_program(insn: str, sew: int) -> bytes:
    return build(program(vtype(sew), f"vmv.v.i v2, 1\n    vmv.v.i v8, 0\n    {insn}"))


@pytest.mark.parametrize("insn,sew,want", INSN_CASES, ids=[f"{c[0].split()[0]}-e{c[1]}" for c in INSN_CASES])
def test_instruction_legality_follows_the_subset(insn, sew, want, tmp_path):
    elf = _insn_program(insn, sew)
    got = {isa: run_rvsim(isa, elf, tmp_path) for isa in ZVE_ISAS}
    assert got == want
    assert run_rvsim("rv64gcv", elf, tmp_path) == 0          # V has all of it


# QEMU is the oracle where it follows the spec; the reserved encodings it runs are checked against the spec
# text alone, by the test above
QEMU_CASES = [c for c in INSN_CASES if c[0].split()[0] not in QEMU_ACCEPTS_RESERVED]


@pytest.mark.parametrize("insn,sew,want", QEMU_CASES, ids=[f"{c[0].split()[0]}-e{c[1]}" for c in QEMU_CASES])
def test_instruction_legality_matches_qemu(insn, sew, want, tmp_path):
    elf = _insn_program(insn, sew)
    for isa in QEMU_CPU:
        assert run_rvsim(isa, elf, tmp_path) == run_qemu(isa, elf, tmp_path), isa


def test_vector_fp_is_illegal_without_zve32f_even_with_scalar_f(tmp_path):
    elf = _insn_program("vfadd.vv v1, v2, v3", 32)
    assert run_rvsim("rv64imafdc_zve64x", elf, tmp_path) == "SIGILL"
    assert run_rvsim("rv64imafdc_zve64f", elf, tmp_path) == 0


def test_the_cycle_model_runs_a_subset(tmp_path):
    src = program(vtype(32), "vle32.v v1, (a1)\n    vadd.vv v2, v1, v1\n    vse32.v v2, (a1)\n"
                  "    vwadd.vv v4, v1, v1")
    path = tmp_path / "p.elf"
    path.write_bytes(build(src))
    m = Machine("rv64imac_zve32x", vlen=128)
    m.load_elf(str(path))
    m.enable_timing()
    info = m.run(max_instructions=10_000)
    # the widening add at SEW=32 needs EEW=64 > ELEN: an illegal-instruction trap, after a timed run
    assert (info.reason, info.cause) == (StopReason.TRAP, 2)
    assert m.timing.cycles > 0


# vsetvli and vsetivli with an immediate vtype take the interpreter's inline path (csrc/exec_v.inc,
# V_SET_INLINE); on a Zve machine it defers to set_vtype, which knows ELEN, as vsetvl does (above).
@pytest.mark.parametrize("form", ["vsetvli t0, zero, e64, m1, ta, ma", "vsetivli t0, 4, e64, m1, ta, ma",
                                  "vsetvli t0, zero, e8, mf8, ta, ma"])
def test_vsetvli_immediate_follows_elen(form, tmp_path):
    elf = build(f"""
    .globl _start
_start:
    {form}
    csrr t2, vtype
    srli t2, t2, 63
    li t3, 100
    mul t2, t2, t3
    add a0, t2, t0
    li a7, 93
    ecall
""")
    assert run_rvsim("rv64imac_zve32x", elf, tmp_path) == 100        # vill, vl = 0


def test_vsetvli_immediate_within_elen(tmp_path):
    elf = build("""
    .globl _start
_start:
    vsetvli t0, zero, e32, m1, ta, ma
    mv a0, t0
    li a7, 93
    ecall
""")
    assert run_rvsim("rv64imac_zve32x", elf, tmp_path) == 4


def test_zve32x_on_rv32(tmp_path):
    # the same limits on RV32 (the subsets "can be combined with XLEN=32 or XLEN=64"); vill is bit 31
    m = Machine("rv32imac_zve32x", vlen=128)
    src = """
    .globl _start
_start:
    li t1, 0x18                 # e64, m1
    li a0, 4
    vsetvl t0, a0, t1
    csrr t2, vtype
    srli t2, t2, 31             # vill
    li t1, 0x10                 # e32, m1
    vsetvl t0, a0, t1
    vmv.v.i v1, 3
    vadd.vv v2, v1, v1
    vmv.x.s a0, v2
    li t3, 100
    mul t2, t2, t3
    add a0, a0, t2
    add a0, a0, t0
    vwadd.vv v4, v1, v1         # EEW=64 destination at ELEN=32: illegal
    li a7, 93
    ecall
"""
    path = tmp_path / "z.elf"
    path.write_bytes(assemble(src, march="rv32imac_zve32x").to_elf())
    m.load_elf(str(path))
    info = m.run(max_instructions=1000)
    assert (info.reason, info.cause) == (StopReason.TRAP, 2)      # at the vwadd
    assert int(m.x[10]) == 100 + 6 + 4                             # vill, 3 + 3, vl = 4


def test_an_illegal_instruction_names_the_missing_subset():
    from rvsim.isa.arch import missing_extension
    word = int.from_bytes(assemble(".text\nvfadd.vv v1, v2, v3\n", march="rv64gcv").section(".text").data[:4],
                          "little")
    assert missing_extension(word, "rv64imac_zve32x").endswith("--isa rv64imac_zve32x_zve32f")
    assert missing_extension(word, "rv64imafc_zve32f") is None       # legal by encoding (SEW decides)
