"""RV32 on the core: XLEN-specific semantics against a 32-bit model written from the specification.

The model below (``SPEC``) is the unprivileged spec's definition of each RV32 integer instruction on
32-bit values (two's complement, results modulo 2**32); operands are edge values and seeded random
ones.  Then what only RV32 does: RV64-only encodings are illegal instructions, c.jal (RV64's c.addiw)
links, the CSRs are 32 bits wide (misa.MXL = 1, the ...h halves), addresses wrap at 32 bits.
"""
from __future__ import annotations

import random

import pytest

from rvsim.machine import Machine, StopReason

M32 = (1 << 32) - 1
ISA = "rv32imac_zba_zbb_zbs"


def s32(v: int) -> int:
    v &= M32
    return v - (1 << 32) if v >> 31 else v


def _div(a, b):
    a, b = s32(a), s32(b)
    if b == 0:
        return M32
    if a == -(1 << 31) and b == -1:
        return a & M32
    q = abs(a) // abs(b)
    return (-q if (a < 0) != (b < 0) else q) & M32


def _rem(a, b):
    a, b = s32(a), s32(b)
    if b == 0:
        return a & M32
    if a == -(1 << 31) and b == -1:
        return 0
    r = abs(a) % abs(b)
    return (-r if a < 0 else r) & M32


def _rol(a, n):
    n &= 31
    return ((a << n) | (a >> (32 - n))) & M32 if n else a


def _ror(a, n):
    return _rol(a, 32 - (n & 31))


def _clz(a):
    return 32 - a.bit_length()


def _ctz(a):
    return 32 if a == 0 else (a & -a).bit_length() - 1


def _orc_b(a):
    return sum(0xFF << (8 * i) for i in range(4) if (a >> (8 * i)) & 0xFF)


# Register-register operations: (a, b) -> result, all 32-bit unsigned.
SPEC_RR = {
    "add": lambda a, b: (a + b) & M32,
    "sub": lambda a, b: (a - b) & M32,
    "sll": lambda a, b: (a << (b & 31)) & M32,
    "slt": lambda a, b: int(s32(a) < s32(b)),
    "sltu": lambda a, b: int(a < b),
    "xor": lambda a, b: a ^ b,
    "srl": lambda a, b: a >> (b & 31),
    "sra": lambda a, b: (s32(a) >> (b & 31)) & M32,
    "or": lambda a, b: a | b,
    "and": lambda a, b: a & b,
    "mul": lambda a, b: (a * b) & M32,
    "mulh": lambda a, b: ((s32(a) * s32(b)) >> 32) & M32,
    "mulhsu": lambda a, b: ((s32(a) * b) >> 32) & M32,
    "mulhu": lambda a, b: (a * b) >> 32,
    "div": _div,
    "divu": lambda a, b: M32 if b == 0 else a // b,
    "rem": _rem,
    "remu": lambda a, b: a if b == 0 else a % b,
    "sh1add": lambda a, b: ((a << 1) + b) & M32,
    "sh2add": lambda a, b: ((a << 2) + b) & M32,
    "sh3add": lambda a, b: ((a << 3) + b) & M32,
    "andn": lambda a, b: a & ~b & M32,
    "orn": lambda a, b: (a | ~b) & M32,
    "xnor": lambda a, b: ~(a ^ b) & M32,
    "max": lambda a, b: a if s32(a) > s32(b) else b,
    "maxu": lambda a, b: max(a, b),
    "min": lambda a, b: a if s32(a) < s32(b) else b,
    "minu": lambda a, b: min(a, b),
    "rol": lambda a, b: _rol(a, b),
    "ror": lambda a, b: _ror(a, b),
    "bclr": lambda a, b: a & ~(1 << (b & 31)) & M32,
    "bset": lambda a, b: a | (1 << (b & 31)),
    "binv": lambda a, b: a ^ (1 << (b & 31)),
    "bext": lambda a, b: (a >> (b & 31)) & 1,
}
# Register-immediate operations: (a, imm) -> result; imm is the instruction's (sign-extended) immediate.
SPEC_RI = {
    "addi": (lambda a, i: (a + i) & M32, (-2048, 2047)),
    "slti": (lambda a, i: int(s32(a) < i), (-2048, 2047)),
    "sltiu": (lambda a, i: int(a < (i & M32)), (-2048, 2047)),
    "xori": (lambda a, i: (a ^ i) & M32, (-2048, 2047)),
    "ori": (lambda a, i: (a | i) & M32, (-2048, 2047)),
    "andi": (lambda a, i: (a & i) & M32, (-2048, 2047)),
    "slli": (lambda a, i: (a << i) & M32, (0, 31)),
    "srli": (lambda a, i: a >> i, (0, 31)),
    "srai": (lambda a, i: (s32(a) >> i) & M32, (0, 31)),
    "rori": (lambda a, i: _ror(a, i), (0, 31)),
    "bclri": (lambda a, i: a & ~(1 << i) & M32, (0, 31)),
    "bseti": (lambda a, i: a | (1 << i), (0, 31)),
    "binvi": (lambda a, i: a ^ (1 << i), (0, 31)),
    "bexti": (lambda a, i: (a >> i) & 1, (0, 31)),
}
SPEC_R = {
    "clz": _clz,
    "ctz": _ctz,
    "cpop": lambda a: bin(a).count("1"),
    "sext.b": lambda a: (a & 0xFF) - ((a & 0x80) << 1) & M32,
    "sext.h": lambda a: (a & 0xFFFF) - ((a & 0x8000) << 1) & M32,
    "zext.h": lambda a: a & 0xFFFF,
    "rev8": lambda a: int.from_bytes(a.to_bytes(4, "little"), "big"),
    "orc.b": _orc_b,
}
EDGES = [0, 1, 2, 31, 32, 33, 63, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xFFFF_FFFF, 0xFFFF_FFFE,
         0x0000_FFFF, 0xFFFF_0000, 0x1234_5678, 0x8765_4321]


def _operands(seed: int, n: int = 24) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    pairs = [(a, b) for a in EDGES[::2] for b in EDGES[1::2]]
    pairs += [(rng.getrandbits(32), rng.getrandbits(32)) for _ in range(n)]
    pairs += [(rng.getrandbits(32), rng.choice(EDGES)) for _ in range(n)]
    return pairs


def _run(src: str, isa: str = ISA, max_instructions: int = 1_000_000) -> Machine:
    m = Machine(isa)
    m.load_asm(src)
    info = m.run(max_instructions=max_instructions)
    assert info.reason is StopReason.EBREAK, info
    return m


def _results(m: Machine, count: int) -> list[int]:
    base = m.symbols["results"]
    data = m.read(base, 4 * count)
    return [int.from_bytes(data[4 * i:4 * i + 4], "little") for i in range(count)]


def _batch(lines: list[str], count: int) -> str:
    return ("    .text\n    .globl _start\n_start:\n    la s0, results\n" + "\n".join(lines) +
            f"\n    ebreak\n    .data\n    .align 2\nresults:\n    .zero {4 * count}\n")


def test_machine_is_rv32():
    m = Machine("rv32imac")
    assert m.xlen == 32 and m.x.dtype.itemsize == 4
    assert Machine("rv64gc").xlen == 64 and Machine().xlen == 64


@pytest.mark.parametrize("mnemonic", sorted(SPEC_RR))
def test_register_register_matches_spec(mnemonic):
    pairs = _operands(sum(mnemonic.encode()))
    lines = []
    for i, (a, b) in enumerate(pairs):
        lines += [f"    li a1, {s32(a)}", f"    li a2, {s32(b)}", f"    {mnemonic} a0, a1, a2",
                  f"    sw a0, {4 * i}(s0)"]
    m = _run(_batch(lines, len(pairs)))
    got = _results(m, len(pairs))
    for (a, b), g in zip(pairs, got):
        assert g == SPEC_RR[mnemonic](a, b), f"{mnemonic} {a:#x}, {b:#x}: {g:#x}"


@pytest.mark.parametrize("mnemonic", sorted(SPEC_RI))
def test_register_immediate_matches_spec(mnemonic):
    fn, (lo, hi) = SPEC_RI[mnemonic]
    rng = random.Random(len(mnemonic))
    cases = [(a, i) for a in EDGES for i in {lo, hi, 0, 1, rng.randint(lo, hi)}]
    lines = []
    for k, (a, i) in enumerate(cases):
        lines += [f"    li a1, {s32(a)}", f"    {mnemonic} a0, a1, {i}", f"    sw a0, {4 * k}(s0)"]
    got = _results(_run(_batch(lines, len(cases))), len(cases))
    for (a, i), g in zip(cases, got):
        assert g == fn(a, i), f"{mnemonic} {a:#x}, {i}: {g:#x}"


@pytest.mark.parametrize("mnemonic", sorted(SPEC_R))
def test_unary_matches_spec(mnemonic):
    rng = random.Random(7)
    values = EDGES + [rng.getrandbits(32) for _ in range(32)] + [0x0080_0000, 0x0000_0100, 0x00FF_0000]
    lines = []
    for k, a in enumerate(values):
        lines += [f"    li a1, {s32(a)}", f"    {mnemonic} a0, a1", f"    sw a0, {4 * k}(s0)"]
    got = _results(_run(_batch(lines, len(values))), len(values))
    for a, g in zip(values, got):
        assert g == SPEC_R[mnemonic](a), f"{mnemonic} {a:#x}: {g:#x}"


def test_registers_read_as_32_bit_values():
    """0x7fffffff + 1 wraps to 0x80000000 (negative: slt against zero says so); registers show 32 bits."""
    m = _run("""
        _start:
            li a0, 0x7fffffff
            addi a0, a0, 1
            slt a1, a0, zero
            sltu a2, zero, a0
            li a3, -1
            srli a4, a3, 1
            srai a5, a3, 31
            ebreak
    """)
    assert int(m.x["a0"]) == 0x8000_0000
    assert int(m.x["a1"]) == 1 and int(m.x["a2"]) == 1
    assert int(m.x["a3"]) == 0xFFFF_FFFF
    assert int(m.x["a4"]) == 0x7FFF_FFFF       # a logical shift of the 32-bit value, not of 64 bits
    assert int(m.x["a5"]) == 0xFFFF_FFFF


def test_host_register_writes_are_32_bit():
    m = Machine("rv32im")
    m.load_asm("_start: add a0, a1, a2\n srli a3, a1, 28\n ebreak\n")
    m.x["a1"] = 0xF000_0000
    m.x["a2"] = -1                              # taken modulo 2**32
    assert int(m.x["a2"]) == 0xFFFF_FFFF
    assert m.run().reason is StopReason.EBREAK
    assert int(m.x["a0"]) == 0xEFFF_FFFF
    assert int(m.x["a3"]) == 0xF


# RV64-only encodings (the base ISA's *W, LD/SD/LWU, 6-bit shift amounts, Zba's .uw, Zbb's *w and
# RV64 rev8, 64-bit FP conversions), spelled from the spec's opcode maps: all illegal on RV32.
RV64_ONLY = {
    "ld a0, 0(a1)": 0x0005B503,
    "sd a0, 0(a1)": 0x00A5B023,
    "lwu a0, 0(a1)": 0x0005E503,
    "addiw a0, a1, 1": 0x0015851B,
    "slliw a0, a1, 1": 0x0015951B,
    "addw a0, a1, a2": 0x00C5853B,
    "subw a0, a1, a2": 0x40C5853B,
    "sraw a0, a1, a2": 0x40C5D53B,
    "mulw a0, a1, a2": 0x02C5853B,
    "divw a0, a1, a2": 0x02C5C53B,
    "remuw a0, a1, a2": 0x02C5F53B,
    "slli a0, a1, 32": 0x02059513,
    "srli a0, a1, 63": 0x03F5D513,
    "srai a0, a1, 32": 0x4205D513,
    "add.uw a0, a1, a2": 0x08C5853B,
    "slli.uw a0, a1, 1": 0x0815951B,
    "clzw a0, a1": 0x6005951B,
    "rev8 a0, a1 (RV64)": 0x6B85D513,
    "rori a0, a1, 32": 0x6205D513,
    "bseti a0, a1, 40": 0x2A85_9513,
    "lr.d a0, (a1)": 0x1005B52F,
    "amoadd.d a0, a2, (a1)": 0x00C5B52F,
    "fcvt.l.s a0, fa0": 0xC0257553,
    "fmv.x.d a0, fa0": 0xE2050553,
}


@pytest.mark.parametrize("name", sorted(RV64_ONLY))
def test_rv64_only_instruction_is_illegal_on_rv32(name):
    word = RV64_ONLY[name]
    m = Machine("rv32gc_zba_zbb_zbs")
    m.load_asm(f"_start:\n    .word {word:#x}\n    ebreak\n")
    info = m.run(max_instructions=10)
    assert info.reason is StopReason.TRAP and info.cause == 2, (name, info)
    assert info.tval == word and info.pc == m.symbols["_start"]


def test_rv64_instructions_are_legal_on_rv64():
    """The same words are instructions on RV64 (so the test above tests XLEN, not a broken encoding)."""
    for name, word in RV64_ONLY.items():
        m = Machine("rv64gc_zba_zbb_zbs")
        m.load_asm(f"_start:\n    la a1, buf\n    .word {word:#x}\n    ebreak\n    .data\n    .align 3\nbuf: .dword 0\n")
        info = m.run(max_instructions=10)
        assert info.reason is StopReason.EBREAK, (name, info)


def test_c_jal_links_on_rv32():
    """The encoding that is c.addiw on RV64 is c.jal on RV32: ra = pc + 2."""
    m = _run("""
        .option rvc
        _start:
            c.jal target
            li a0, 1
            ebreak
        target:
            li a0, 2
            ebreak
    """)
    assert int(m.x["a0"]) == 2
    assert int(m.x["ra"]) == m.symbols["_start"] + 2


def test_compressed_shift_amount_bit_5_is_reserved_on_rv32():
    m = Machine("rv32imac")
    m.load_asm("_start:\n    .half 0x1502\n    ebreak\n")     # c.slli a0, 32: RV64 only
    info = m.run(max_instructions=10)
    assert info.reason is StopReason.TRAP and info.cause == 2, info


def test_address_wraps_at_32_bits():
    """x0 - 4 is address 0xfffffffc: the access faults there, not at 2**64 - 4."""
    m = Machine("rv32imac")
    m.load_asm("_start:\n    lw a0, -4(zero)\n    ebreak\n")
    info = m.run(max_instructions=10)
    assert info.reason is StopReason.TRAP and info.cause == 5, info
    assert info.tval == 0xFFFF_FFFC


def _run_machine_mode(body: str) -> Machine:
    """Run ``body`` bare-metal in M-mode (a program with ``tohost`` is one); it ends at label ``done``
    with an HTIF exit."""
    m = Machine("rv32imac_zicsr")
    m.load_asm(body + """
        done:
            li t0, 1
            la t1, tohost
            sw t0, 0(t1)
        1:  j 1b
            .data
            .align 3
        tohost: .dword 0
    """)
    assert m.priv == 3
    info = m.run(max_instructions=1000)
    assert info.reason is StopReason.EXIT and info.exit_code == 0, info
    return m


def test_machine_mode_csrs_are_32_bit():
    m = _run_machine_mode("""
        _start:
            csrr a0, misa
            csrr a1, mstatush
            li t0, 0x12345678
            csrw mscratch, t0
            csrr a2, mscratch
            la t1, handler
            csrw mtvec, t1
            csrr s3, mtvec
        bad:
            .word 0          # illegal
            j done
            .align 2
        handler:
            csrr a3, mcause
            csrr a4, mepc
            csrr a5, mtval
            csrr a6, minstret
            csrr a7, minstreth
            csrr s2, mcycleh
            csrr s4, mstatus
            la t0, done
            csrw mepc, t0
            mret
    """)
    misa = int(m.x["a0"])
    assert misa >> 30 == 1                                  # MXL = 1: 32-bit
    for letter in "IMACU":
        assert misa >> (ord(letter) - ord("A")) & 1
    assert int(m.x["a1"]) == 0
    assert int(m.x["a2"]) == 0x1234_5678
    assert int(m.x["s3"]) == m.symbols["handler"]
    assert int(m.x["a3"]) == 2
    assert int(m.x["a4"]) == m.symbols["bad"]
    assert int(m.x["a5"]) == 0                              # mtval: the illegal word
    assert 0 < int(m.x["a6"]) < 100 and int(m.x["a7"]) == 0 and int(m.x["s2"]) == 0
    assert (int(m.x["s4"]) >> 11) & 3 == 3                  # mstatus.MPP: the trap came from M
    assert m.csr["misa"] == misa


def test_counter_high_halves():
    """minstreth is bits 63..32 of minstret: write the low half near its top and watch the carry."""
    m = _run_machine_mode("""
        _start:
            li t0, -3
            csrw minstreth, zero
            csrw minstret, t0
            nop
            nop
            nop
            nop
            csrr a0, minstret
            csrr a1, minstreth
            csrr a2, instreth
            csrr a3, instret
            j done
    """)
    assert int(m.x["a1"]) == 1 and int(m.x["a2"]) == 1
    assert int(m.x["a0"]) < 8 and int(m.x["a3"]) < 8


def test_rv64_only_csrs_options():
    with pytest.raises(KeyError):
        Machine("rv64gc").csr["mstatush"]
    assert Machine("rv32gc").csr["mstatush"] == 0
    assert Machine("rv32gc").csr["misa"] >> 30 == 1


def test_jump_and_link_values_are_32_bit():
    m = _run("""
        _start:
            jal ra, 1f
        1:  auipc a0, 0
            ebreak
    """)
    assert int(m.x["ra"]) == m.symbols["_start"] + 4
    assert int(m.x["a0"]) == m.symbols["_start"] + 4


LOOP = """
    _start:
        li a0, 0x7ffffff0
        li a1, 40
    1:  addi a0, a0, 1
        mulh a2, a0, a0
        sw a2, -4(sp)
        lw a3, -4(sp)
        addi a1, a1, -1
        bnez a1, 1b
        ebreak
"""


def test_cycle_model_runs_rv32():
    """The timed loop compiled for RV32 gives the functional loop's results."""
    plain = _run(LOOP)
    m = Machine(ISA)
    m.enable_timing("x60")
    m.load_asm(LOOP)
    assert m.run(max_instructions=10_000).reason is StopReason.EBREAK
    assert [int(m.x[i]) for i in range(32)] == [int(plain.x[i]) for i in range(32)]
    assert int(m.x["a0"]) == 0x8000_0018
    assert m.timing.cycles > m.instret > 0


def test_reverse_execution_on_rv32():
    """The recording loop compiled for RV32: stepping back restores the 32-bit registers."""
    m = Machine(ISA)
    m.load_asm(LOOP)
    m.record()
    assert m.run(max_instructions=10_000).reason is StopReason.EBREAK
    end = [int(m.x[i]) for i in range(32)]
    m.reverse_step(6)
    assert int(m.x["a1"]) == 1 and int(m.x["a0"]) == 0x8000_0017
    m.run(max_instructions=6)
    assert [int(m.x[i]) for i in range(32)] == end


def test_64_bit_only_settings_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="32-bit address space"):
        Machine("rv32gc", memory_size=8 << 30)
    from rvsim.asm import assemble
    from rvsim.errors import LoadError
    elf32 = assemble("_start: ebreak\n", march="rv32imac").to_elf()
    elf64 = assemble("_start: ebreak\n", march="rv64imac").to_elf()
    with pytest.raises(LoadError, match="RV32.*machine is RV64"):
        Machine("rv64gc").load_elf(elf32)
    with pytest.raises(LoadError, match="RV64.*machine is RV32"):
        Machine("rv32gc").load_elf(elf64)
    m = Machine()                               # no ISA: the ELF class decides
    m.load_elf(elf32)
    assert m.xlen == 32 and m.isa_string.startswith("rv32")
    m.load_elf(elf64)
    assert m.xlen == 64


@pytest.mark.parametrize("isa, expect_trap", [("rv32gcv", True), ("rv64gcv", False)])
def test_indexed_access_with_64_bit_indices_is_reserved_on_rv32(isa, expect_trap):
    """V: "the V extension does not support EEW=64 for index values when XLEN=32" (v-st-ext.adoc);
    the same access with 32-bit indices is legal on RV32, and with 64-bit indices on RV64."""
    m = Machine(isa)
    m.load_asm("""
_start:
    la a1, buf
    vsetivli t0, 2, e32, m1, ta, ma
    vmv.v.i v2, 0
    vluxei32.v v4, (a1), v2
wide:
    vluxei64.v v5, (a1), v2
    ebreak
    .data
    .align 3
buf: .dword 7, 9
""")
    info = m.run(max_instructions=20)
    if expect_trap:
        assert (info.reason, info.cause) == (StopReason.TRAP, 2)
        assert info.pc == m.symbols["wide"]
    else:
        assert info.reason is StopReason.EBREAK


def test_cycle_model_addresses_wrap_at_32_bits():
    """On RV32 the model's effective address is the hart's 32-bit one: 0x10 - 0x20 wraps to 0xfffffff0,
    the line that the next load names through a register, so that load hits (an unwrapped sum,
    0xffff_ffff_ffff_fff0, would be another tag and a second miss)."""
    m = Machine(ISA, memory_size=1 << 32)            # the whole 32-bit address space
    m.enable_timing("x60")
    m.load_asm("""
_start:
    li t0, 0x10
    li t1, -16
    lw a0, -0x20(t0)
    lw a1, 0(t1)
    ebreak
""")
    assert m.run(max_instructions=100).reason is StopReason.EBREAK
    cache = m.timing.totals()["cache"]
    assert (cache["l1d_accesses"], cache["l1d_misses"]) == (2, 1)
