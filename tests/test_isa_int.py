"""Semantics of every RV64I, M, A, Zba, Zbb and Zbs instruction against the reference model.

Each instruction of the ISA table (iterated by extension, so none is forgotten) runs once on the core
with hypothesis-drawn operands and register values; the result is compared with
tests/reference/int_ref.py, written from the specification.  Explicit tests follow for the behaviour
the property tests only reach by chance: extension of loaded values, misaligned and page-crossing
accesses, LR/SC sequences, jumps across pages.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rvsim import isa
from rvsim.machine import Machine, StopReason
from tests.reference import int_ref
from tests.reference.int_ref import MASK64, Ops
from tests.strategies import (CODE, CODE_PC, DATA, DATA_END, HOLE, INT_ISA, MEM_SIZE, RO, XO, Pair, aim, enc,
                              encode_drawn, examples, program, reg_values, word_bytes)

INT_EXTENSIONS = ("i", "m", "a", "zba", "zbb", "zbs", "zbc")
INT_RECORDS = [r for r in isa.INSTRUCTIONS if r.extension in INT_EXTENSIONS]
MEMORY = set(int_ref.LOADS) | set(int_ref.STORES) | set(int_ref.ATOMICS)
BOOLEANS, SEEDS, PRIVS = st.booleans(), st.integers(0, 3), st.sampled_from((3, 0))


def test_every_integer_instruction_has_reference_semantics():
    """The property test below runs every table instruction of these extensions, and the reference
    knows exactly those (plus fld/fsd, which compressed forms expand to)."""
    table = {r.mnemonic for r in INT_RECORDS}
    assert table == set(int_ref.SEMANTICS) - {"fld", "fsd"}
    for ext in INT_EXTENSIONS:
        assert any(r.extension == ext for r in INT_RECORDS), f"no {ext} instructions in the table"


def _check_fields(record, values, ops: Ops) -> None:
    """The table's encoding puts each operand where the spec's format says it is."""
    for name, v in values.items():
        if name in ("rd", "rs1", "rs2"):
            assert getattr(ops, name) == v, f"{record.mnemonic}: {name} field"
        elif name == "imm_u":
            assert (ops.imm >> 12) & 0xFFFFF == v, f"{record.mnemonic}: imm_u field"
        elif name.startswith(("imm_", "shamt")):
            assert ops.imm == v, f"{record.mnemonic}: {name} field"


@pytest.mark.parametrize("mnemonic", [r.mnemonic for r in INT_RECORDS])
@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_instruction_matches_reference(mnemonic, data):
    record = isa.BY_MNEMONIC[mnemonic]
    word, values = encode_drawn(data, record)
    ops = int_ref.decode32(record.mnemonic, word)
    _check_fields(record, values, ops)
    memory_op = record.mnemonic in MEMORY
    pair = Pair(trap_misaligned=memory_op and data.draw(BOOLEANS, label="trap_misaligned"),
                seed=data.draw(SEEDS, label="seed"), priv=data.draw(PRIVS, label="priv"))
    pair.place(word_bytes(word, 4))
    aim(data, pair, record.mnemonic, ops)
    pair.step_and_compare(record.mnemonic, ops, 4)


# Memory instructions have the most cases: give them extra examples.
@pytest.mark.parametrize("mnemonic", sorted(MEMORY - {"fld", "fsd"}))
@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_memory_instruction_matches_reference(mnemonic, data):
    record = isa.BY_MNEMONIC[mnemonic]
    word, values = encode_drawn(data, record)
    ops = int_ref.decode32(mnemonic, word)
    if ops.rs1 == 0:            # aim needs a base register
        return
    pair = Pair(trap_misaligned=data.draw(BOOLEANS, label="trap_misaligned"),
                seed=data.draw(SEEDS, label="seed"))
    pair.place(word_bytes(word, 4))
    aim(data, pair, mnemonic, ops)
    pair.step_and_compare(mnemonic, ops, 4)


# ------------------------------------------------------------------ x0 and register views


@pytest.mark.parametrize("record", [r for r in INT_RECORDS if r.all_operands and
                                    r.all_operands[0].name == "rd"], ids=lambda r: r.mnemonic)
def test_x0_destination_stays_zero(record):
    values = {k.name: 0 for k in record.all_operands}
    values.update(rd=0, rs1=10, rs2=11)
    if record.mnemonic == "jal":
        values["imm_j"] = 4          # to the next instruction (`j .` would stop run() as a hang)
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.map(DATA, 0x2000, "rw")
    m.load_image(word_bytes(record.encode(values)) + program(enc("addi", rd=12, rs1=0, imm_i=0)),
                 addr=CODE)
    m.x[10] = CODE + 4 if record.mnemonic == "jalr" else DATA
    m.x[11] = 0xFFFFFFFFFFFFFFFF
    info = m.run(max_instructions=2)
    assert info.reason == StopReason.LIMIT, info
    assert m.x[0] == 0
    assert m.x[12] == 0, "a later read of x0 must see 0"


# ------------------------------------------------------------------ loads and stores


@pytest.mark.parametrize("mnemonic,size,expected", [
    ("lb", 1, 0xFFFFFFFFFFFFFF81), ("lbu", 1, 0x81),
    ("lh", 2, 0xFFFFFFFFFFFF8281), ("lhu", 2, 0x8281),
    ("lw", 4, 0xFFFFFFFF84838281), ("lwu", 4, 0x84838281),
    ("ld", 8, 0x8887868584838281),
])
def test_load_extension(mnemonic, size, expected):
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.map(DATA, 0x1000, "rw")
    m.write(DATA + 8, bytes(range(0x81, 0x89)))
    m.load_image(program(enc(mnemonic, rd=5, rs1=6, imm_i=-8)), addr=CODE)
    m.x[6] = DATA + 16
    assert m.step().reason == StopReason.LIMIT
    assert m.x[5] == expected
    m.write(DATA + 8, bytes([0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F]))
    m.pc = CODE
    m.step()
    assert m.x[5] == int.from_bytes(b"\x7f" * size, "little")   # positive values: no extension


@pytest.mark.parametrize("mnemonic,size", [("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)])
def test_store_widths(mnemonic, size):
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.map(DATA, 0x1000, "rw")
    m.write(DATA, b"\xee" * 16)
    m.load_image(program(enc(mnemonic, rs1=6, rs2=7, imm_s=3)), addr=CODE)
    m.x[6] = DATA
    m.x[7] = 0x0807060504030201
    m.step()
    assert m.read(DATA, 16) == b"\xee" * 3 + bytes(range(1, size + 1)) + b"\xee" * (13 - size)


@pytest.mark.parametrize("mnemonic,size,cause", [
    ("lh", 2, 4), ("lhu", 2, 4), ("lw", 4, 4), ("lwu", 4, 4), ("ld", 8, 4),
    ("sh", 2, 6), ("sw", 4, 6), ("sd", 8, 6)])
@pytest.mark.parametrize("offset", [1, 3])
def test_misaligned_access(mnemonic, size, cause, offset):
    """Performed by default; with trap_misaligned=True, cause 4/6 and mtval = the address."""
    addr = DATA + 0x100 + offset
    store = cause == 6
    code = enc(mnemonic, rs1=6, rs2=7, imm_s=0) if store else enc(mnemonic, rd=5, rs1=6, imm_i=0)
    for trap in (False, True):
        m = Machine(INT_ISA, memory_size=MEM_SIZE, trap_misaligned=trap)
        m.map(DATA, 0x1000, "rw")
        m.write(DATA + 0x100, bytes(range(1, 17)))
        m.load_image(program(code), addr=CODE)
        m.x[6] = addr
        m.x[7] = 0xA1A2A3A4A5A6A7A8
        m.x[5] = 0x5555
        info = m.step()
        if not trap:
            assert info.reason == StopReason.LIMIT
            if store:
                assert m.read(addr, size) == (0xA1A2A3A4A5A6A7A8).to_bytes(8, "little")[:size]
            else:
                v = int.from_bytes(bytes(range(1 + offset, 1 + offset + size)), "little")
                assert m.x[5] == v
        else:
            assert (info.reason, info.cause, info.tval, info.pc) == (StopReason.TRAP, cause, addr, CODE)
            assert m.x[5] == 0x5555
            assert m.read(DATA + 0x100, 16) == bytes(range(1, 17))


def test_misaligned_trap_goes_to_handler():
    m = Machine(INT_ISA, memory_size=MEM_SIZE, trap_misaligned=True)
    m.map(DATA, 0x1000, "rw")
    m.load_image(program(enc("lw", rd=5, rs1=6, imm_i=2)), addr=CODE)
    m.map(CODE + 0x1000, 0x1000, "rx")
    m.csr["mtvec"] = CODE + 0x1000
    m.x[6] = DATA
    m.step()
    assert m.pc == CODE + 0x1000
    assert (m.csr["mcause"], m.csr["mtval"], m.csr["mepc"]) == (4, DATA + 2, CODE)


@pytest.mark.parametrize("load", [True, False])
@pytest.mark.parametrize("size", [2, 4, 8])
def test_page_crossing_access(load, size):
    """A misaligned access that spans two mapped pages is performed; one that runs into an unmapped
    page faults with mtval = the address of the part that faulted (the first byte of that page)."""
    mn = {2: "h", 4: "w", 8: "d"}[size]
    code = enc("l" + mn, rd=5, rs1=6, imm_i=0) if load else enc("s" + mn, rs1=6, rs2=7, imm_s=0)
    for addr, ok, tval in ((DATA + 0x1000 - 1, True, None), (DATA_END - 1, False, HOLE),
                           (HOLE + 0x1000 - 1, False, HOLE + 0x1000 - 1)):
        m = Machine(INT_ISA, memory_size=MEM_SIZE)
        m.map(DATA, 0x2000, "rw")
        m.write(addr - 8 if ok else DATA_END - 16, bytes(range(16)) if ok else b"\x11" * 16)
        m.load_image(program(code), addr=CODE)
        m.x[6] = addr
        m.x[7] = 0x0102030405060708
        m.x[5] = 77
        info = m.step()
        if ok:
            assert info.reason == StopReason.LIMIT
            if load:
                assert m.x[5] == int.from_bytes(bytes(range(8, 8 + size)), "little")
            else:
                assert m.read(addr, size) == (0x0102030405060708).to_bytes(8, "little")[:size]
        else:
            assert info.reason == StopReason.TRAP
            assert (info.cause, info.tval) == ((5 if load else 7), tval)
            assert m.x[5] == 77
            assert m.read(DATA_END - 16, 16) == b"\x11" * 16, "a faulting store writes nothing"


@pytest.mark.parametrize("addr,perms_needed", [
    (HOLE + 8, "r"), (XO + 8, "r"), (RO + 8, "w"), (MEM_SIZE + 64, "rw"), (1 << 63, "rw"),
    ((1 << 64) - 8, "rw")])
def test_access_fault(addr, perms_needed):
    for load in (True, False):
        if ("r" if load else "w") not in perms_needed:
            continue
        m = Machine(INT_ISA, memory_size=MEM_SIZE)
        m.map(DATA, 0x2000, "rw")
        m.map(RO, 0x1000, "r")
        m.map(XO, 0x1000, "x")
        code = enc("ld", rd=5, rs1=6, imm_i=0) if load else enc("sd", rs1=6, rs2=7, imm_s=0)
        m.load_image(program(code), addr=CODE)
        m.x[6] = addr
        info = m.step()
        assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 5 if load else 7, addr)


def test_read_only_page_is_readable():
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.map(RO, 0x1000, "r")
    m.write(RO, (0x1234).to_bytes(8, "little"))
    m.load_image(program(enc("ld", rd=5, rs1=6, imm_i=0)), addr=CODE)
    m.x[6] = RO
    assert m.step().reason == StopReason.LIMIT
    assert m.x[5] == 0x1234


# ------------------------------------------------------------------ atomics


def _atomic_machine(*words, trap_misaligned=False):
    m = Machine(INT_ISA, memory_size=MEM_SIZE, trap_misaligned=trap_misaligned)
    m.map(DATA, 0x2000, "rw")
    m.map(RO, 0x1000, "r")
    m.load_image(program(*words), addr=CODE)
    return m


def test_lr_sc_success_then_reservation_is_gone():
    m = _atomic_machine(enc("lr.d", rd=5, rs1=6), enc("sc.d", rd=7, rs1=6, rs2=8),
                        enc("sc.d", rd=9, rs1=6, rs2=10))
    m.write(DATA, (41).to_bytes(8, "little"))
    m.x[6], m.x[8], m.x[10] = DATA, 42, 43
    assert m.run(max_instructions=3).reason == StopReason.LIMIT
    assert m.x[5] == 41
    assert m.x[7] == 0, "sc after lr to the same address succeeds"
    assert m.x[9] != 0, "the first sc invalidated the reservation"
    assert m.read_u64(DATA) == 42


def test_sc_without_reservation_fails_and_writes_nothing():
    for mn in ("sc.w", "sc.d"):
        m = _atomic_machine(enc(mn, rd=7, rs1=6, rs2=8))
        m.write(DATA, b"\x99" * 8)
        m.x[6], m.x[8] = DATA, 0
        m.step()
        assert m.x[7] == 1
        assert m.read(DATA, 8) == b"\x99" * 8


def test_sc_to_another_page_than_the_reservation_fails():
    m = _atomic_machine(enc("lr.w", rd=5, rs1=6), enc("sc.w", rd=7, rs1=9, rs2=8))
    m.x[6], m.x[9], m.x[8] = DATA, DATA + 0x1000, 5
    m.run(max_instructions=2)
    assert m.x[7] != 0
    assert m.read(DATA + 0x1000, 4) == bytes(4)


def test_lr_w_sign_extends():
    m = _atomic_machine(enc("lr.w", rd=5, rs1=6), enc("sc.w", rd=7, rs1=6, rs2=8))
    m.write(DATA, (0x80000001).to_bytes(4, "little"))
    m.x[6], m.x[8] = DATA, 0xFFFFFFFF00000007
    m.run(max_instructions=2)
    assert m.x[5] == 0xFFFFFFFF80000001
    assert m.x[7] == 0
    assert m.read(DATA, 8) == (7).to_bytes(4, "little") + bytes(4)


@pytest.mark.parametrize("mn,old,src,new,rd", [
    ("amoadd.w", 0x7FFFFFFF, 1, 0x80000000, 0x7FFFFFFF),
    ("amoswap.w", 0x80000000, 0x1234, 0x1234, 0xFFFFFFFF80000000),
    ("amomin.w", 0x80000000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF80000000),
    ("amominu.w", 0x80000000, 0x7FFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF80000000),
    ("amomax.w", 0xFFFFFFFF, 0x00000001, 0x00000001, MASK64),
    ("amomaxu.w", 0xFFFFFFFF, 0x00000001, 0xFFFFFFFF, MASK64),
    ("amoadd.d", MASK64, 2, 1, MASK64),
    ("amomin.d", 1 << 63, 5, 1 << 63, 1 << 63),
    ("amominu.d", 1 << 63, 5, 5, 1 << 63),
])
def test_amo_values(mn, old, src, new, rd):
    size = 4 if mn.endswith(".w") else 8
    m = _atomic_machine(enc(mn, rd=5, rs1=6, rs2=7))
    m.write(DATA + 8, old.to_bytes(size, "little") + b"\xcc" * 8)
    m.x[6], m.x[7] = DATA + 8, src | (0xABCD000000000000 if size == 4 else 0)
    m.step()
    assert m.x[5] == rd
    assert m.read(DATA + 8, size + 8) == new.to_bytes(size, "little") + b"\xcc" * 8


@pytest.mark.parametrize("mn", ["amoadd.w", "amoswap.d", "sc.w", "sc.d", "lr.w", "lr.d"])
@pytest.mark.parametrize("trap_misaligned", [False, True])
def test_misaligned_atomics_trap(mn, trap_misaligned):
    """Atomics need natural alignment even where plain accesses may be misaligned."""
    words = [enc("lr.d", rd=5, rs1=9)] if mn.startswith("sc") else []
    code = enc(mn, rd=5, rs1=6) if mn.startswith("lr") else enc(mn, rd=5, rs1=6, rs2=7)
    m = _atomic_machine(*words, code, trap_misaligned=trap_misaligned)
    m.x[9] = DATA
    m.x[6] = DATA + 2
    m.x[5] = 0x77
    info = m.run(max_instructions=len(words) + 1)
    assert info.reason == StopReason.TRAP
    # address-misaligned (4 for LR, 6 otherwise) or access fault (5/7) are both allowed
    load = mn.startswith("lr")
    assert (info.cause, info.tval) in {((4 if load else 6), DATA + 2), ((5 if load else 7), DATA + 2)}
    assert m.read(DATA, 16) == bytes(16)


@pytest.mark.parametrize("mn,addr,cause", [
    ("amoadd.d", RO, 7), ("amoswap.w", HOLE, 7), ("amoor.d", MEM_SIZE, 7), ("lr.d", HOLE, 5),
    ("lr.w", MEM_SIZE + 8, 5)])
def test_atomic_access_faults(mn, addr, cause):
    code = enc(mn, rd=5, rs1=6) if mn.startswith("lr") else enc(mn, rd=5, rs1=6, rs2=7)
    m = _atomic_machine(code)
    m.x[6] = addr
    info = m.step()
    assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, cause, addr)


# ------------------------------------------------------------------ control transfer


@pytest.mark.parametrize("mn,a,b,taken", [
    ("beq", 5, 5, True), ("beq", 5, 6, False), ("bne", 5, 6, True), ("bne", 0, 0, False),
    ("blt", MASK64, 0, True), ("blt", 0, MASK64, False), ("bltu", 0, MASK64, True),
    ("bltu", MASK64, 0, False), ("bge", 0, 1 << 63, True), ("bge", 1 << 63, 0, False),
    ("bgeu", 1 << 63, 0, True), ("bgeu", 3, 4, False), ("bge", 7, 7, True), ("bgeu", 7, 7, True)])
@pytest.mark.parametrize("offset", [8, -8, 0x1000 - 0x800 + 4, -0x1000])
def test_branches_taken_and_not_taken_across_pages(mn, a, b, taken, offset):
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.map(CODE - 0x1000, 0x3000, "rwx")
    target = CODE_PC + offset
    m.write(CODE_PC, program(enc(mn, rs1=5, rs2=6, imm_b=offset), enc("addi", rd=7, rs1=0, imm_i=1)))
    m.write(target, program(enc("addi", rd=7, rs1=0, imm_i=2)))
    m.pc = CODE_PC
    m.x[5], m.x[6] = a, b
    assert m.run(max_instructions=2).reason == StopReason.LIMIT
    assert m.x[7] == (2 if taken else 1)
    assert m.pc == (target if taken else CODE_PC + 4) + 4


@pytest.mark.parametrize("offset", [4, -4, 0x800, 0x1000, -0x10000, 0xFFFFE, -0x100000])
def test_jal_link_and_target(offset):
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    start = 0x80000
    m.load_image(program(enc("jal", rd=1, imm_j=offset)), addr=start)
    info = m.step()
    assert info.reason == StopReason.LIMIT
    assert m.x[1] == start + 4
    assert m.pc == (start + offset) & MASK64


@pytest.mark.parametrize("base,imm,target", [
    (0x80001, 0, 0x80000), (0x80000, 3, 0x80002), (0x80000, -1, 0x7FFFE), (MASK64, 0, MASK64 - 1),
    (0x7FF, 0x7FF, 0xFFE)])
def test_jalr_clears_bit_zero(base, imm, target):
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.load_image(program(enc("jalr", rd=5, rs1=6, imm_i=imm)), addr=CODE)
    m.x[6] = base
    assert m.step().reason == StopReason.LIMIT
    assert m.pc == target
    assert m.x[5] == CODE + 4


def test_jalr_with_rd_equal_rs1_uses_the_old_value():
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.load_image(program(enc("jalr", rd=1, rs1=1, imm_i=8)), addr=CODE)
    m.x[1] = 0x40000
    m.step()
    assert m.pc == 0x40008
    assert m.x[1] == CODE + 4


def test_jump_to_unmapped_code_faults_at_the_target():
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.load_image(program(enc("jal", rd=1, imm_j=0x4000)), addr=CODE)
    info = m.run(max_instructions=5)
    assert (info.reason, info.cause, info.tval, info.pc) == (StopReason.TRAP, 1, CODE + 0x4000,
                                                              CODE + 0x4000)
    assert m.x[1] == CODE + 4, "the jump itself retired"


@pytest.mark.parametrize("mn", ["lui", "auipc"])
@pytest.mark.parametrize("imm", [0, 1, 0x7FFFF, 0x80000, 0xFFFFF])
def test_upper_immediates(mn, imm):
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.load_image(program(enc(mn, rd=5, imm_u=imm)), addr=CODE)
    m.step()
    value = int_ref.sext(imm << 12, 32)
    assert m.x[5] == ((CODE if mn == "auipc" else 0) + value) & MASK64


@settings(max_examples=examples(60), deadline=None)
@given(a=reg_values(), b=reg_values())
def test_division_corner_cases(a, b):
    """All eight divide/remainder instructions on one machine, with the divisor often 0 or -1."""
    mns = ["div", "divu", "rem", "remu", "divw", "divuw", "remw", "remuw"]
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.load_image(program(*[enc(mn, rd=10 + i, rs1=5, rs2=6) for i, mn in enumerate(mns)]), addr=CODE)
    for divisor in (b, 0, MASK64, 0xFFFFFFFF):
        m.pc = CODE
        m.x[5], m.x[6] = a, divisor
        m.run(max_instructions=len(mns))
        for i, mn in enumerate(mns):
            ref = int_ref.RefHart(int_ref.RefMemory(0x1000))
            ref.x[5], ref.x[6] = a, divisor
            int_ref.execute(ref, mn, Ops(rd=10, rs1=5, rs2=6))
            assert m.x[10 + i] == ref.x[10], f"{mn} {a:#x}, {divisor:#x}"


def test_xo_page_is_not_readable_but_executable():
    m = Machine(INT_ISA, memory_size=MEM_SIZE)
    m.map(XO, 0x1000, "x")
    m.write(XO, program(enc("auipc", rd=6, imm_u=0), enc("ld", rd=5, rs1=6, imm_i=0)))
    m.pc = XO
    info = m.run(max_instructions=2)
    assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 5, XO)
