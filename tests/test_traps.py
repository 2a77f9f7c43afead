"""Machine-mode traps and CSRs (priv/machine.adoc, unpriv/zicsr.adoc, zicntr.adoc).

Two styles: with mtvec = 0 a trap stops run() with StopReason.TRAP (cause, tval, pc); with mtvec set
to a handler address the trap is taken, and one step() leaves the hart at the handler with mepc,
mcause, mtval and mstatus updated.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rvsim import isa
from rvsim.machine import Machine, StopReason
from tests.reference import int_ref
from tests.reference.int_ref import MASK64
from tests.strategies import CODE, DATA, MEM_SIZE, core_has_fp_loads, enc, examples, program, reg_values

HANDLER = 0x30000
USER = 0x40000

MSTATUS, MISA, MEDELEG, MIDELEG, MIE, MTVEC, MCOUNTEREN = 0x300, 0x301, 0x302, 0x303, 0x304, 0x305, 0x306
MSCRATCH, MEPC, MCAUSE, MTVAL, MIP = 0x340, 0x341, 0x342, 0x343, 0x344
PMPCFG0, PMPCFG1, PMPCFG2, PMPADDR0 = 0x3A0, 0x3A1, 0x3A2, 0x3B0
MCYCLE, MINSTRET, CYCLE, TIME, INSTRET = 0xB00, 0xB02, 0xC00, 0xC01, 0xC02
MVENDORID, MARCHID, MIMPID, MHARTID = 0xF11, 0xF12, 0xF13, 0xF14
FFLAGS, FRM, FCSR = 0x001, 0x002, 0x003

MIE_BIT, MPIE_BIT = 1 << 3, 1 << 7
MPP = 3 << 11
FS = 3 << 13
MPRV, TW = 1 << 17, 1 << 21
SD = 1 << 63


def machine(*words, isa_string="rv64gc", handler=True, at=CODE, **kw) -> Machine:
    """A machine with ``words`` at ``at`` (pc there), data pages, and a handler page at HANDLER."""
    m = Machine(isa_string, memory_size=MEM_SIZE, **kw)
    m.map(DATA, 0x2000, "rw")
    m.map(HANDLER, 0x1000, "rwx")
    m.map(at, 0x1000, "rwx")
    m.load_image(program(*words), addr=at)
    if handler:
        m.csr["mtvec"] = HANDLER
    return m


def csrr(rd, csr):
    return enc("csrrs", rd=rd, csr=csr, rs1=0)


def csrw(csr, rs):
    return enc("csrrw", rd=0, csr=csr, rs1=rs)


# ------------------------------------------------------------------ illegal instructions

ILLEGAL_WORDS = {
    # opcode custom-0 / custom-1: no standard instruction
    "custom-0": 0x0000000B,
    "custom-1 with fields": 0xFFFFF02B,
    # OP with funct7 = 0000010 is not an instruction of RV64IMA_Zba_Zbb_Zbs
    "add with funct7=2": 0x04000033,
    # LOAD funct3 = 111 would be ldu (RV128 only)
    "load funct3=7": 0x00007003,
    # OP-IMM-32 shifts have a 5-bit shamt: bit 25 set is reserved
    "slliw shamt[5]": 0x0200101B,
    "sraiw funct7=0x21": 0x4200501B,
    # SYSTEM funct3=0 with unknown funct12 (sret: no S-mode)
    "sret": 0x10200073,
    # SYSTEM funct3 = 100 is unused
    "system funct3=4": 0x00004073,
    # a CSR number that does not exist
    "csrr unknown CSR 0x7c0": 0x7C0022F3,
    # all ones: a >= 48-bit encoding; mtval holds its first 32 bits (ILEN = 32)
    "all ones": 0xFFFFFFFF,
}


@pytest.mark.parametrize("word", list(ILLEGAL_WORDS.values()), ids=list(ILLEGAL_WORDS))
def test_illegal_instruction_stops_with_the_instruction_bits(word):
    m = machine(handler=False)
    m.write(CODE, word.to_bytes(4, "little"))
    m.x[5] = 1234
    info = m.step()
    assert (info.reason, info.cause, info.tval, info.pc) == (StopReason.TRAP, 2, word, CODE)
    assert m.x[5] == 1234 and m.instret == 0


@pytest.mark.parametrize("word", list(ILLEGAL_WORDS.values()), ids=list(ILLEGAL_WORDS))
def test_illegal_instruction_trap_to_handler(word):
    m = machine()
    m.write(CODE, word.to_bytes(4, "little"))
    m.csr["mstatus"] = MIE_BIT
    info = m.step()
    assert info.reason == StopReason.LIMIT
    assert m.pc == HANDLER
    assert (m.csr["mcause"], m.csr["mtval"], m.csr["mepc"]) == (2, word, CODE)
    expected, _ = int_ref.trap_entry(MIE_BIT, 3)
    assert m.csr["mstatus"] & (MIE_BIT | MPIE_BIT | MPP) == expected & (MIE_BIT | MPIE_BIT | MPP)


def test_illegal_instructions_are_not_in_the_table():
    exts = isa.parse_isa_string("rv64gc_zba_zbb_zbs")
    for name, word in ILLEGAL_WORDS.items():
        if name.startswith("csrr unknown"):
            continue                      # a valid encoding; the CSR is what is missing
        assert isa.decode(word, exts) is None, name


# ------------------------------------------------------------------ ecall, ebreak


def test_ecall_from_machine_mode():
    m = machine(enc("ecall"))
    m.step()
    assert m.pc == HANDLER and m.priv == 3
    assert (m.csr["mcause"], m.csr["mtval"], m.csr["mepc"]) == (11, 0, CODE)
    assert m.csr["mstatus"] & MPP == MPP
    assert m.instret == 0, "ecall raises an exception: it does not retire"


def test_ecall_from_user_mode():
    m = machine(enc("ecall"))
    m.csr["mstatus"] = MPP | MIE_BIT     # MPP must be overwritten with U by the trap
    m.priv = 0
    m.step()
    assert m.pc == HANDLER and m.priv == 3
    assert (m.csr["mcause"], m.csr["mepc"]) == (8, CODE)
    assert m.csr["mstatus"] & (MPP | MPIE_BIT | MIE_BIT) == MPIE_BIT


@pytest.mark.parametrize("priv,cause", [(3, 11), (0, 8)])
def test_ecall_stops_run_without_handler(priv, cause):
    m = machine(enc("addi", rd=5, rs1=0, imm_i=1), enc("ecall"), handler=False)
    m.priv = priv
    info = m.run(max_instructions=10)
    assert (info.reason, info.cause, info.tval, info.pc) == (StopReason.TRAP, cause, 0, CODE + 4)
    assert info.instructions == 1


@pytest.mark.parametrize("word,length", [(enc("ebreak"), 4), (enc("c.ebreak"), 2)])
def test_ebreak(word, length):
    m = machine(handler=False)
    m.write(CODE, word.to_bytes(length, "little"))
    info = m.step()
    assert (info.reason, info.cause, info.pc) == (StopReason.TRAP, 3, CODE)
    assert info.tval in (0, CODE), "mtval is zero or the address of the ebreak"
    m = machine()
    m.write(CODE, word.to_bytes(length, "little"))
    m.step()
    assert (m.pc, m.csr["mcause"], m.csr["mepc"]) == (HANDLER, 3, CODE)
    assert m.csr["mtval"] in (0, CODE)


# ------------------------------------------------------------------ instruction fetch


@pytest.mark.parametrize("kind", ["jal", "beq", "jalr"])
def test_misaligned_jump_target_without_c(kind):
    """IALIGN = 32: a taken jump to 2 mod 4 traps on the jump, mtval = target, rd unchanged."""
    word = {"jal": enc("jal", rd=1, imm_j=6), "beq": enc("beq", rs1=0, rs2=0, imm_b=-6),
            "jalr": enc("jalr", rd=1, rs1=6, imm_i=3)}[kind]
    target = {"jal": CODE + 6, "beq": CODE - 6, "jalr": DATA + 2}[kind]
    m = machine(word, isa_string="rv64g", handler=False)
    m.x[6] = DATA - 1               # jalr: DATA - 1 + 3 = DATA + 2
    m.x[1] = 0x1111
    info = m.step()
    assert (info.reason, info.cause, info.tval, info.pc) == (StopReason.TRAP, 0, target, CODE)
    assert m.x[1] == 0x1111
    # into a handler: mepc is the jump, not the target
    m = machine(word, isa_string="rv64g")
    m.x[6] = DATA - 1
    m.step()
    assert (m.pc, m.csr["mcause"], m.csr["mtval"], m.csr["mepc"]) == (HANDLER, 0, target, CODE)


def test_not_taken_branch_to_misaligned_target_does_not_trap():
    m = machine(enc("bne", rs1=0, rs2=0, imm_b=6), isa_string="rv64g", handler=False)
    assert m.step().reason == StopReason.LIMIT
    assert m.pc == CODE + 4


def test_same_jumps_are_fine_with_c():
    m = machine(enc("jal", rd=1, imm_j=6), handler=False)
    assert m.step().reason == StopReason.LIMIT
    assert (m.pc, m.x[1]) == (CODE + 6, CODE + 4)


@pytest.mark.parametrize("target,perms", [(0x50000, None), (DATA, "rw"), (MEM_SIZE + 0x100, None),
                                          (1 << 63, None)])
def test_fetch_access_fault(target, perms):
    m = machine(enc("jalr", rd=1, rs1=6, imm_i=0), handler=False)
    if perms:
        m.map(target, 0x1000, perms)
    m.x[6] = target
    info = m.run(max_instructions=3)
    assert (info.reason, info.cause, info.tval, info.pc) == (StopReason.TRAP, 1, target, target)
    assert m.x[1] == CODE + 4
    m = machine(enc("jalr", rd=1, rs1=6, imm_i=0))
    m.x[6] = target
    m.run(max_instructions=2)
    assert (m.pc, m.csr["mcause"], m.csr["mtval"], m.csr["mepc"]) == (HANDLER, 1, target, target)


def test_fetch_fault_at_the_start():
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.pc = 0x50000
    info = m.step()
    assert (info.reason, info.cause, info.tval, info.pc) == (StopReason.TRAP, 1, 0x50000, 0x50000)


# ------------------------------------------------------------------ mret


MSTATUS_STATES = st.builds(lambda mie, mpie, mpp, mprv: mie * MIE_BIT | mpie * MPIE_BIT | mpp << 11
                           | mprv * MPRV, st.booleans(), st.booleans(), st.sampled_from((0, 3)),
                           st.booleans())


@settings(max_examples=examples(40), deadline=None)
@given(mstatus=MSTATUS_STATES, epc=st.integers(0, 0x7FF).map(lambda k: USER + 2 * k))
def test_mret_restores_privilege_and_interrupt_stack(mstatus, epc):
    m = machine(enc("mret"))
    m.map(USER, 0x1000, "rwx")
    m.csr["mstatus"] = mstatus
    m.csr["mepc"] = epc
    assert m.step().reason == StopReason.LIMIT
    want, priv = int_ref.mret(mstatus)
    mask = MIE_BIT | MPIE_BIT | MPP | MPRV
    assert m.csr["mstatus"] & mask == want & mask
    assert (m.priv, m.pc) == (priv, epc)
    assert m.instret == 1


@settings(max_examples=examples(40), deadline=None)
@given(mstatus=MSTATUS_STATES, priv=st.sampled_from((0, 3)))
def test_trap_entry_stacks_privilege_and_interrupt_enable(mstatus, priv):
    m = machine(enc("ecall"))
    m.csr["mstatus"] = mstatus
    m.priv = priv
    m.step()
    want, new_priv = int_ref.trap_entry(mstatus, priv)
    mask = MIE_BIT | MPIE_BIT | MPP
    assert m.csr["mstatus"] & mask == want & mask
    assert m.priv == new_priv and m.pc == HANDLER


def test_mret_in_user_mode_is_illegal():
    word = enc("mret")
    m = machine(word, handler=False)
    m.priv = 0
    info = m.step()
    assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 2, word)
    assert m.priv == 0


def test_wfi_in_user_mode_with_tw_is_illegal():
    word = enc("wfi")
    m = machine(word, word, handler=False)
    m.priv = 0
    assert m.step().reason == StopReason.LIMIT, "WFI with TW=0 completes (no S-mode)"
    m.csr["mstatus"] = TW
    info = m.step()
    assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 2, word)


def test_user_program_with_machine_mode_handler():
    """A U-mode program makes two ecalls; the M-mode handler counts them in x20 and returns past
    them (mepc + 4); the program then spins in a loop."""
    handler = program(enc("addi", rd=20, rs1=20, imm_i=1),
                      csrr(21, MEPC), enc("addi", rd=21, rs1=21, imm_i=4), csrw(MEPC, 21),
                      csrr(22, MCAUSE), enc("mret"))
    user = program(enc("addi", rd=5, rs1=0, imm_i=1), enc("ecall"), enc("addi", rd=5, rs1=5, imm_i=1),
                   enc("ecall"), enc("addi", rd=5, rs1=5, imm_i=1), enc("jal", rd=0, imm_j=0))
    m = machine()
    m.write(HANDLER, handler)
    m.map(USER, 0x1000, "rwx")
    m.write(USER, user)
    m.pc = USER
    m.priv = 0
    info = m.run(max_instructions=100)
    assert info.reason == StopReason.HANG            # the final `j .`
    assert (m.x[20], m.x[5], m.x[22]) == (2, 3, 8)
    assert (m.pc, m.priv) == (USER + 20, 0)
    assert m.csr["mstatus"] & MPP == 0, "mret leaves MPP = U"


# ------------------------------------------------------------------ CSR instructions

CSR_MNEMONICS = ("csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci")


@settings(max_examples=examples(120), deadline=None)
@given(mn=st.sampled_from(CSR_MNEMONICS), rd=st.sampled_from((0, 5, 6)), rs1=st.sampled_from((0, 6, 7)),
       old=reg_values(), src=reg_values())
def test_csr_instruction_read_modify_write(mn, rd, rs1, old, src):
    """On mscratch (every bit writable): rd gets the old value, the CSR the spec's new value."""
    imm = mn.endswith("i")
    word = enc(mn, rd=rd, csr=MSCRATCH, **({"zimm5": rs1} if imm else {"rs1": rs1}))
    m = machine(word)
    m.csr["mscratch"] = old
    if not imm and rs1:
        m.x[rs1] = src
    m.x[5] = m.x[6] = 0x5A5A
    srcval = rs1 if imm else (m.x[rs1] if rs1 else 0)
    assert m.step().reason == StopReason.LIMIT
    writes, new = int_ref.csr_effect(mn, rs1, int(srcval), old)
    assert m.csr["mscratch"] == (new if writes else old)
    if rd:
        assert m.x[rd] == old
    assert m.x[0] == 0


@pytest.mark.parametrize("csr", [CYCLE, TIME, INSTRET, MVENDORID, MARCHID, MIMPID, MHARTID])
def test_read_only_csr_rules(csr):
    """Reading is fine (csrrs/csrrc with rs1=x0, immediate 0); any write attempt is illegal, even
    csrrs with a source register that holds zero."""
    assert int_ref.csr_is_read_only(csr)
    ok = [enc("csrrs", rd=5, csr=csr, rs1=0), enc("csrrc", rd=5, csr=csr, rs1=0),
          enc("csrrsi", rd=5, csr=csr, zimm5=0), enc("csrrci", rd=5, csr=csr, zimm5=0)]
    bad = [enc("csrrw", rd=0, csr=csr, rs1=6), enc("csrrw", rd=5, csr=csr, rs1=0),
           enc("csrrs", rd=5, csr=csr, rs1=6), enc("csrrc", rd=5, csr=csr, rs1=6),
           enc("csrrwi", rd=0, csr=csr, zimm5=0), enc("csrrsi", rd=5, csr=csr, zimm5=1),
           enc("csrrci", rd=5, csr=csr, zimm5=31)]
    for word in ok:
        m = machine(word, handler=False)
        assert m.step().reason == StopReason.LIMIT, hex(word)
    for word in bad:
        m = machine(word, handler=False)
        m.x[6] = 0
        m.x[5] = 0x77
        info = m.step()
        assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 2, word), hex(word)
        assert m.x[5] == 0x77


@pytest.mark.parametrize("csr", [MSTATUS, MISA, MTVEC, MSCRATCH, MEPC, MCAUSE, MTVAL, MIE, MIP,
                                 MCYCLE, MINSTRET, PMPCFG0, PMPADDR0, MHARTID, MCOUNTEREN])
def test_user_mode_cannot_access_machine_csrs(csr):
    assert int_ref.csr_min_priv(csr) == 3
    for word in (csrr(5, csr), enc("csrrw", rd=0, csr=csr, rs1=6)):
        m = machine(word, handler=False)
        m.priv = 0
        before = m.csr[csr]
        info = m.step()
        assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 2, word)
        assert m.csr[csr] == before


@pytest.mark.parametrize("csr,bit", [(CYCLE, 0), (TIME, 1), (INSTRET, 2)])
def test_user_counter_access_follows_mcounteren(csr, bit):
    word = csrr(5, csr)
    m = machine(word, handler=False)
    m.priv = 0
    m.csr["mcounteren"] = 0
    assert m.step().cause == 2
    m.csr["mcounteren"] = 1 << bit
    m.pc = CODE
    assert m.step().reason == StopReason.LIMIT


def test_unknown_csr_is_illegal_in_machine_mode():
    for csr in (0x7C0, 0x5C0, 0x800, 0xFFF, 0x3A1):   # 0x3a1 = pmpcfg1: absent on RV64
        word = csrr(5, csr)
        m = machine(word, handler=False)
        info = m.step()
        assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 2, word), hex(csr)


# ------------------------------------------------------------------ counters


def test_instret_counts_exactly_and_cycle_time_advance():
    n = 50
    words = [enc("addi", rd=5, rs1=5, imm_i=1)] * n + [csrr(6, INSTRET), csrr(7, MINSTRET),
                                                        csrr(8, CYCLE), csrr(9, TIME)]
    m = machine(*words)
    assert m.run(max_instructions=n + 4).reason == StopReason.LIMIT
    # a CSR instruction reads the value before it retires
    assert (m.x[6], m.x[7]) == (n, n + 1)
    assert m.x[8] >= n + 2
    assert m.instret == n + 4
    loop = [enc("addi", rd=5, rs1=5, imm_i=1), enc("blt", rs1=5, rs2=10, imm_b=-4),
            csrr(11, TIME), csrr(12, CYCLE), csrr(13, INSTRET)]
    m2 = machine(csrr(8, TIME), csrr(9, CYCLE), *loop)
    m2.x[10] = 5000
    m2.run(max_instructions=2 + 2 * 5000 + 3)
    assert m2.x[11] > m2.x[8], "time advances"
    assert m2.x[12] > m2.x[9], "cycle advances"
    assert m2.x[13] == 2 + 2 * 5000 + 2


def test_trapping_instructions_do_not_retire():
    m = machine(enc("ecall"))
    m.write(HANDLER, program(csrr(5, MINSTRET)))
    m.run(max_instructions=2)
    assert m.x[5] == 0
    assert m.instret == 1


def test_written_minstret_is_read_by_the_next_instruction():
    """zicsr: a value written to instret by one instruction is the value the next one reads."""
    m = machine(csrw(MINSTRET, 5), csrr(6, MINSTRET), csrr(7, INSTRET))
    m.x[5] = 1000
    m.run(max_instructions=3)
    assert (m.x[6], m.x[7]) == (1000, 1001)


def test_mcycle_write_and_independence_from_minstret():
    m = machine(*[enc("addi", rd=0, rs1=0, imm_i=0)] * 20, csrr(5, MCYCLE), csrw(MINSTRET, 0),
                csrr(6, MCYCLE), csrw(MCYCLE, 7), csrr(8, MCYCLE))
    m.x[7] = 1 << 40
    m.run(max_instructions=25)
    assert m.x[5] <= m.x[6] <= m.x[5] + 4, "writing minstret must not move mcycle"
    assert (1 << 40) <= m.x[8] <= (1 << 40) + 1


def test_host_counter_writes_are_exact_and_do_not_disturb_later_counting():
    """A host write is not an instruction: nothing retires after it, and a later CSR instruction in
    the guest counts normally."""
    m = machine(enc("addi", rd=0, rs1=0, imm_i=0), csrr(5, MINSTRET), csrr(6, MINSTRET), csrr(7, MCYCLE),
                csrr(8, MCYCLE))
    m.csr["minstret"] = 100
    m.csr["mcycle"] = 5000
    assert (m.csr["minstret"], m.csr["mcycle"]) == (100, 5000)
    m.run(max_instructions=5)
    assert (m.x[5], m.x[6]) == (101, 102)
    assert 5000 + 3 <= m.x[7] < m.x[8] <= 5000 + 8


def test_host_csr_access_round_trips():
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.csr["mscratch"] = 0xDEADBEEFCAFEF00D
    assert m.csr["mscratch"] == 0xDEADBEEFCAFEF00D
    m.csr["minstret"] = 77
    assert m.instret == 77 and m.csr["instret"] == 77
    with pytest.raises(KeyError):
        m.csr["no-such-csr"]
    with pytest.raises(KeyError):
        m.csr[0x7C0]


# ------------------------------------------------------------------ FS = Off


FP_WORDS = {
    "fadd.d": enc("fadd.d", fd=1, fs1=2, fs2=3, rm=7),
    "fld": enc("fld", fd=1, rs1=10, imm_i=0),
    "fsw": enc("fsw", fs2=1, rs1=10, imm_s=0),
    "fmv.x.d": enc("fmv.x.d", rd=5, fs1=1),
    "fmv.w.x": enc("fmv.w.x", fd=1, rs1=5),
    "c.fld": enc("c.fld", c_fd_p=9, c_uimm8=8, c_rs1_p=10),
    "c.fsdsp": enc("c.fsdsp", c_fs2=1, c_uimm9sp_s=8),
    "frflags": csrr(5, FFLAGS),
    "fsrm": enc("csrrw", rd=5, csr=FRM, rs1=6),
    "fscsr": enc("csrrw", rd=0, csr=FCSR, rs1=6),
}


@pytest.mark.parametrize("word", list(FP_WORDS.values()), ids=list(FP_WORDS))
def test_fs_off_makes_fp_illegal(word):
    m = machine(handler=False)
    m.write(CODE, word.to_bytes(4 if word & 3 == 3 else 2, "little"))
    m.x[10] = DATA
    m.x[2] = DATA
    assert m.csr["mstatus"] & FS == 0, "FS starts Off"
    info = m.step()
    assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 2, word)
    # FS = Initial: the same word is legal now (no stale decoding)
    if word & 0x7F != 0x73 and not core_has_fp_loads():
        return                          # FP semantics not in this core yet
    m.csr["mstatus"] = 1 << 13
    m.pc = CODE
    info = m.step()
    assert info.reason == StopReason.LIMIT, info


def test_fcsr_access_sets_fs_dirty_and_sd():
    m = machine(enc("csrrw", rd=0, csr=FCSR, rs1=6), csrr(7, FCSR), csrr(8, MSTATUS), handler=False)
    m.csr["mstatus"] = 1 << 13
    m.x[6] = 0xE5
    assert m.run(max_instructions=3).reason == StopReason.LIMIT
    assert m.x[7] == 0xE5
    assert m.x[8] & FS == FS and m.x[8] & SD


def test_fs_off_again_makes_fp_illegal_again():
    word = FP_WORDS["frflags"]
    m = machine(word, csrw(MSTATUS, 0), word, handler=False)
    m.csr["mstatus"] = 1 << 13
    assert m.run(max_instructions=2).reason == StopReason.LIMIT
    info = m.step()
    assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, 2, word)


# ------------------------------------------------------------------ misa and WARL fields


@pytest.mark.parametrize("isa_string,letters", [
    ("rv64gc", "IMAFDCU"), ("rv64g", "IMAFDU"), ("rv64imac_zicsr", "IMACU"), ("rv64i_zicsr", "IU"),
    ("rv64gcv", "IMAFDCVU")])
def test_misa(isa_string, letters):
    m = machine(csrr(5, MISA), isa_string=isa_string)
    m.step()
    misa = int(m.x[5])
    assert misa == m.csr["misa"]
    assert misa >> 62 == 2, "MXL = 64"
    assert (misa >> 26) & ((1 << 36) - 1) == 0, "bits between MXL and the extensions are 0"
    present = {chr(ord("A") + i) for i in range(26) if misa >> i & 1}
    assert present - {"B"} == set(letters), present
    assert "S" not in present and "E" not in present


def test_misa_write_keeps_a_legal_value():
    m = machine(csrw(MISA, 5), csrr(6, MISA), enc("c.addi", c_rd_rs1_n0=7, c_nzimm6=1))
    m.x[5] = 0
    m.run(max_instructions=3)
    assert m.x[6] >> 62 == 2 and m.x[6] & (1 << 8), "MXL and I survive"
    if m.x[6] & (1 << 2):
        assert m.x[7] == 1, "C reads as enabled, so compressed code runs"


@pytest.mark.parametrize("value", [HANDLER, HANDLER | 1, HANDLER | 2, HANDLER | 3, 0x7FFFFFFFFFFFFFFC])
def test_mtvec_warl(value):
    m = machine(csrw(MTVEC, 5), csrr(6, MTVEC), handler=False)
    m.x[5] = value
    m.run(max_instructions=2)
    got = int(m.x[6])
    assert got & 3 in (0, 1), "MODE holds Direct or Vectored only"
    if value & 3 == 0:
        assert got == value, "a 4-byte aligned Direct base is kept"


def test_mtvec_vectored_sends_exceptions_to_base():
    m = machine(enc("ecall"))
    m.csr["mtvec"] = HANDLER | 1
    if m.csr["mtvec"] & 3 != 1:
        pytest.skip("vectored mode not supported")
    m.step()
    assert m.pc == HANDLER


@pytest.mark.parametrize("isa_string,mask", [("rv64gc", ~1), ("rv64g", ~3)])
def test_mepc_warl(isa_string, mask):
    m = machine(csrw(MEPC, 5), csrr(6, MEPC), isa_string=isa_string)
    m.x[5] = 0x12345677
    m.run(max_instructions=2)
    assert m.x[6] == 0x12345677 & mask & MASK64


@pytest.mark.parametrize("mpp,legal", [(0, True), (1, False), (2, False), (3, True)])
def test_mstatus_mpp_warl(mpp, legal):
    m = machine(csrw(MSTATUS, 5), csrr(6, MSTATUS))
    m.x[5] = mpp << 11
    m.run(max_instructions=2)
    got = (int(m.x[6]) >> 11) & 3
    assert got in (0, 3), "only M and U exist"
    if legal:
        assert got == mpp


def test_mstatus_fixed_fields():
    """Without S-mode, the S-mode bits read 0; UXL reads 2 (64-bit U-mode)."""
    m = machine(csrw(MSTATUS, 5), csrr(6, MSTATUS))
    m.x[5] = MASK64
    m.run(max_instructions=2)
    s = int(m.x[6])
    for name, bit in (("SIE", 1), ("SPIE", 5), ("SPP", 8), ("SUM", 18), ("MXR", 19), ("TVM", 20),
                      ("TSR", 22)):
        assert not s >> bit & 1, f"{name} must be read-only 0 without S-mode"
    assert (s >> 32) & 3 == 2, "UXL = 64-bit"
    assert (s >> 34) & 3 == 0, "SXL = 0 without S-mode"
    assert s & MIE_BIT and s & MPIE_BIT and s & MPRV and s & TW, "M-mode bits are writable"


def test_pmp_csrs_are_writable():
    cfg = 0x1F | (0x0B << 8)           # entry 0: NAPOT RWX, entry 1: TOR R+X
    m = machine(csrw(PMPADDR0, 5), csrr(6, PMPADDR0), csrw(PMPCFG0, 7), csrr(8, PMPCFG0),
                csrw(PMPCFG2, 7), csrr(9, PMPCFG2), csrw(PMPADDR0 + 63, 5), csrr(10, PMPADDR0 + 63))
    m.x[5] = 0x0000_0000_2000_3FFF
    m.x[7] = cfg
    assert m.run(max_instructions=8).reason == StopReason.LIMIT
    assert m.x[6] == 0x2000_3FFF
    assert m.x[8] == cfg and m.x[9] == cfg
    assert m.x[10] == 0x2000_3FFF


def test_pmp_reserved_w_without_r_is_not_stored():
    m = machine(csrw(PMPCFG0, 7), csrr(8, PMPCFG0))
    m.x[7] = 0x1A                       # NAPOT, W without R: reserved combination
    m.run(max_instructions=2)
    assert (m.x[8] & 3) != 2, "R=0, W=1 is reserved (WARL)"


def test_mscratch_and_mhartid():
    m = machine(csrw(MSCRATCH, 5), csrr(6, MSCRATCH), csrr(7, MHARTID))
    m.x[5] = MASK64
    m.run(max_instructions=3)
    assert m.x[6] == MASK64
    assert m.x[7] == 0, "a single hart: hart 0"


# ------------------------------------------------------------------ handlers that cannot run


def test_unfetchable_trap_vector_is_a_clear_error():
    from rvsim.errors import SimulationError
    m = machine(0xFFFFFFFF, handler=False)
    m.csr["mtvec"] = 0x50000            # unmapped
    with pytest.raises(SimulationError, match="mtvec"):
        m.run(max_instructions=10)


def test_trap_loop_in_the_handler_ends_at_the_budget():
    m = machine(0xFFFFFFFF)
    m.write(HANDLER, (0xFFFFFFFF).to_bytes(4, "little"))   # the handler itself is illegal
    info = m.run(max_instructions=1000)
    assert info.reason == StopReason.LIMIT
    assert m.pc == HANDLER and m.csr["mepc"] == HANDLER
    assert m.instret == 0


@pytest.mark.parametrize("isa_string,pc,cause", [("rv64g", CODE + 2, 0), ("rv64gc", CODE + 1, 0)])
def test_misaligned_pc_set_by_the_host(isa_string, pc, cause):
    m = machine(isa_string=isa_string, handler=False)
    m.pc = pc
    info = m.step()
    assert (info.reason, info.cause, info.tval) == (StopReason.TRAP, cause, pc)
