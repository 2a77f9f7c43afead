"""The scalar engine's fast paths (docs/guide.md, "The interpreter"): the software TLB of loads and
stores, and the compressed instructions' own copies of their semantics.

Each test puts the machine where a stale fast path would give a different answer than the architecture:
the expected values come from the spec's semantics worked out by hand in the test (the same values
qemu-riscv64 gives for these programs), never from another run of the core.
"""
from __future__ import annotations

import pytest

from rvsim.asm import assemble
from rvsim.machine import Machine, StopReason
from tests.strategies import CODE, DATA, MEM_SIZE, enc, program

PAGE = 0x50000                  # a page that is data first and code later
ADDI_A0_7 = enc("addi", rd=10, rs1=10, imm_i=7)
ADDI_A0_1 = enc("addi", rd=10, rs1=10, imm_i=1)
CAUSE_STORE_ACCESS, CAUSE_MISALIGNED_LOAD, CAUSE_LOAD_ACCESS, CAUSE_BREAKPOINT = 7, 4, 5, 3


def _at_ebreak(info):
    """The programs end with ebreak; without a trap handler it stops the run as a breakpoint trap."""
    return info.reason is StopReason.TRAP and info.cause == CAUSE_BREAKPOINT


def _li(rd, value):
    """lui + addi: rd = value sign-extended from 32 bits (the +0x800 rounds for addi's negative low part)."""
    hi = ((value + 0x800) >> 12) & 0xFFFFF
    lo = value - (hi << 12)
    return [enc("lui", rd=rd, imm_u=hi), enc("addi", rd=rd, rs1=rd, imm_i=lo)]


def _machine(words, **kw):
    m = Machine("rv64gc", memory_size=MEM_SIZE, **kw)
    m.map(CODE, 0x1000, "rwx")
    m.map(DATA, 0x2000, "rw")
    m.map(PAGE, 0x1000, "rwx")
    m.load_image(program(*words), addr=CODE)
    m.pc = CODE
    return m


def test_a_page_that_becomes_code_in_the_same_run_sees_later_stores():
    """Stores to PAGE fill the store TLB while it is data; then PAGE runs code that patches an
    instruction it has already executed.  With precise self-modifying code (qemu's behaviour too) the
    loop's second pass runs the new instruction: a0 = 1 + 7."""
    patch_loop = [
        ADDI_A0_1,                                    # PAGE+0: patched to addi a0, a0, 7
        enc("sw", rs1=5, rs2=6, imm_s=0),             # PAGE+4: store the new instruction at PAGE+0
        enc("addi", rd=7, rs1=7, imm_i=-1),           # PAGE+8
        enc("bne", rs1=7, rs2=0, imm_b=-12),          # PAGE+12: two passes
        enc("ebreak"),                                # PAGE+16
    ]
    words = [*_li(5, PAGE), *_li(6, ADDI_A0_7), enc("addi", rd=7, rs1=0, imm_i=2),
             enc("addi", rd=10, rs1=0, imm_i=0)]
    # the data phase: write the loop's words into PAGE one store at a time (hits after the first)
    for i, w in enumerate(patch_loop):
        words += [*_li(28, w), enc("sw", rs1=5, rs2=28, imm_s=4 * i)]
    words += [enc("jalr", rd=0, rs1=5, imm_i=0)]
    m = _machine(words)
    info = m.run(10_000)
    assert _at_ebreak(info), info
    assert m.x[10] == 8
    assert m.read(PAGE, 4) == ADDI_A0_7.to_bytes(4, "little")


def test_host_permission_change_between_runs_reaches_the_fast_path():
    """A loop stores to DATA (the store TLB caches the page); the host then maps DATA read-only; the
    next store must fault with mtval = its address, and loads keep working."""
    words = [*_li(5, DATA),
             enc("sd", rs1=5, rs2=5, imm_s=8),        # CODE+8
             enc("ld", rd=6, rs1=5, imm_i=8),         # CODE+12
             enc("jal", rd=0, imm_j=-8)]              # CODE+16: back to the store
    m = _machine(words)
    assert m.run(2 + 3 * 50).reason is StopReason.LIMIT   # ends after a jal: pc at the store
    assert m.pc == CODE + 8
    m.map(DATA, 0x1000, "r")
    info = m.run(10)
    assert info.reason is StopReason.TRAP and info.cause == CAUSE_STORE_ACCESS
    assert info.tval == DATA + 8 and info.pc == CODE + 8 and info.instructions == 0
    m.map(DATA, 0x1000, "")                               # and unmapped: loads fault too
    m.pc = CODE + 12
    info = m.run(10)
    assert info.reason is StopReason.TRAP and info.cause == CAUSE_LOAD_ACCESS and info.tval == DATA + 8


@pytest.mark.parametrize("offset, size", [(1, 2), (2, 4), (4, 8), (0x7FE, 4)])
def test_misaligned_access_on_a_cached_page_traps_when_asked(offset, size):
    """An aligned load caches the page; a misaligned one on the same page must still trap (with
    trap_misaligned) with mtval = its address, and succeed with the right bytes without."""
    load = {2: "lh", 4: "lw", 8: "ld"}[size]
    words = [*_li(5, DATA), enc("ld", rd=6, rs1=5, imm_i=0), enc(load, rd=7, rs1=5, imm_i=offset),
             enc("ebreak")]
    data = bytes((i * 7 + 1) & 0xFF for i in range(0x1000))
    for trap in (True, False):
        m = _machine(words, trap_misaligned=trap)
        m.write(DATA, data)
        info = m.run(100)
        if trap:
            assert info.reason is StopReason.TRAP and info.cause == CAUSE_MISALIGNED_LOAD
            assert info.tval == DATA + offset and info.pc == CODE + 12
        else:
            assert _at_ebreak(info), info
            expected = int.from_bytes(data[offset:offset + size], "little", signed=True)
            assert m.x[7] == expected & (2**64 - 1)


def test_store_to_the_htif_page_after_a_cached_neighbour():
    """tohost sits on a page the store fast path must never take: a store there stops the run even
    after other stores to the same page."""
    src = """
        .globl _start
    _start:
        la t0, scratch
        li t1, 5
    1:  sd t1, 0(t0)
        addi t1, t1, -1
        bnez t1, 1b
        li t2, 1
        la t3, tohost
        sd t2, 0(t3)
        j .
        .data
        .balign 4096
    scratch: .dword 0
    tohost: .dword 0
    """
    prog = assemble(src, march="rv64gc")
    m = Machine("rv64gc")
    m.load_elf(prog.to_elf())          # a bare-metal ELF with tohost: HTIF requests end the run
    tohost = prog.symbol("tohost")
    assert tohost >> 12 == prog.symbol("scratch") >> 12
    info = m.run(1000)
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    assert m.read(prog.symbol("scratch"), 8) == (1).to_bytes(8, "little")


MIXED = [
    # (word, length in bytes): compressed forms of the ops with their own copies, between full ones
    (0x4505, 2),                                      # c.li a0, 1
    (enc("addi", rd=11, rs1=0, imm_i=100), 4),
    (0x0505, 2),                                      # c.addi a0, 1
    (0x952E, 2),                                      # c.add a0, a1
    (enc("slli", rd=10, rs1=10, shamt6=1), 4),
    (0x8D0D, 2),                                      # c.sub a0, a1
    (0x0506, 2),                                      # c.slli a0, 1
    (0x2505, 2),                                      # c.addiw a0, 1
]


def _mixed_reference(n):
    """(pc offset, a0) after n instructions of MIXED, by the spec."""
    a0 = a1 = 0
    pc = 0
    for word, length in MIXED[:n]:
        if word == 0x4505:
            a0 = 1
        elif length == 4 and (word & 0x7F) == 0x13 and ((word >> 7) & 31) == 11:
            a1 = 100
        elif word == 0x0505:
            a0 += 1
        elif word == 0x952E:
            a0 += a1
        elif length == 4:
            a0 <<= 1
        elif word == 0x8D0D:
            a0 -= a1
        elif word == 0x0506:
            a0 <<= 1
        elif word == 0x2505:
            a0 = ((a0 + 1 + 2**31) % 2**32) - 2**31
        pc += length
    return pc, a0 % 2**64


@pytest.mark.parametrize("n", range(1, len(MIXED) + 1))
def test_budget_stops_after_exactly_n_mixed_length_instructions(n):
    m = _machine([w for w, _ in MIXED] + [enc("ebreak")])
    info = m.run(n)
    pc, a0 = _mixed_reference(n)
    assert info.reason is StopReason.LIMIT and info.instructions == n
    assert m.pc == CODE + pc and m.x[10] == a0 and m.instret == n


@pytest.mark.parametrize("at", range(1, len(MIXED)))
def test_breakpoint_on_each_instruction_of_a_mixed_run(at):
    """A breakpoint on a compressed instruction stops before it; continuing runs its own copy.  (One
    at the pc a run starts from does not stop that run: the first instruction is not a case.)"""
    m = _machine([w for w, _ in MIXED] + [enc("ebreak")])
    bp_pc, _ = _mixed_reference(at)
    m.add_breakpoint(CODE + bp_pc)
    info = m.run(100)
    assert info.reason is StopReason.BREAKPOINT and m.pc == CODE + bp_pc and m.instret == at
    info = m.run(100)
    assert _at_ebreak(info), info
    end_pc, a0 = _mixed_reference(len(MIXED))
    assert m.pc == CODE + end_pc and m.x[10] == a0


def test_mixed_run_is_the_same_timed_and_recorded():
    """The compressed copies exist in every loop variant: switching mid-run keeps the result."""
    m = _machine([w for w, _ in MIXED] + [enc("ebreak")])
    m.run(2)
    m.enable_timing()
    m.run(2)
    m.record()
    m.run(2)
    m.disable_timing()
    info = m.run(100)
    end_pc, a0 = _mixed_reference(len(MIXED))
    assert _at_ebreak(info) and m.pc == CODE + end_pc and m.x[10] == a0
    assert m.instret == len(MIXED)


BRANCHES = {  # mnemonic: taken for (rs1, rs2) = (x5, x6) below, by the spec's comparisons
    "beq": lambda a, b: a == b, "bne": lambda a, b: a != b,
    "blt": lambda a, b: _signed(a) < _signed(b), "bge": lambda a, b: _signed(a) >= _signed(b),
    "bltu": lambda a, b: a < b, "bgeu": lambda a, b: a >= b,
}


def _signed(v):
    return v - (1 << 64) if v >> 63 else v


@pytest.mark.parametrize("timed", [False, True])
@pytest.mark.parametrize("values", [(3, 3), (2**64 - 1, 1), (1, 2**64 - 1)])
@pytest.mark.parametrize("mnemonic", sorted(BRANCHES))
def test_branch_to_an_unfetchable_target_without_c(mnemonic, values, timed):
    """Without C a branch to 2 mod 4 runs its own handler (chosen at decode): taken, it traps on the
    branch with mtval = the target and does not retire; not taken, it is an ordinary instruction.  A
    breakpoint on it stops first, and continuing runs the same handler."""
    word = enc(mnemonic, rs1=5, rs2=6, imm_b=10)
    m = Machine("rv64g", memory_size=MEM_SIZE)
    m.map(CODE, 0x1000, "rwx")
    m.load_image(program(enc("addi", rd=7, rs1=0, imm_i=1), word, enc("addi", rd=7, rs1=7, imm_i=1)),
                 addr=CODE)
    m.pc = CODE
    if timed:
        m.enable_timing()
    m.x[5], m.x[6] = values
    m.add_breakpoint(CODE + 4)
    info = m.run(10)
    assert info.reason is StopReason.BREAKPOINT and m.pc == CODE + 4 and m.instret == 1
    info = m.run(2)
    if BRANCHES[mnemonic](*values):
        assert info.reason is StopReason.TRAP and info.cause == 0 and info.tval == CODE + 14
        assert info.pc == CODE + 4 and m.instret == 1 and m.x[7] == 1
    else:
        assert info.reason is StopReason.LIMIT and m.pc == CODE + 12 and m.instret == 3 and m.x[7] == 2


STRADDLE_PATCH = r'''
    .option norvc
    .globl _start
_start:
    li s0, 2
loop:
    call f
    addi s1, s1, 1      # skipped once the return's offset is patched to 4
    la t0, straddle
    lhu t1, 2(t0)       # the upper half of jalr, on the next page: imm is its bits 15:4
    addi t1, t1, 0x40   # imm 0 -> 4
    sh t1, 2(t0)
    addi s0, s0, -1
    bnez s0, loop
    mv a0, s1
    li a7, 93
    ecall
    .balign 4096
    .skip 4096 - 4
    .option rvc
f:
    c.nop
    .option norvc
straddle:
    jalr zero, 0(ra)    # starts 2 bytes before a page no other instruction runs from
'''


@pytest.mark.parametrize("mode", ["functional", "timed", "recording"])
def test_store_to_the_upper_half_of_a_page_straddling_instruction(mode):
    """The patched return skips `addi s1` on the second pass, so s1 = 1 (qemu-riscv64 exits with 1
    on this program linked with writable text).  The store's page holds no decoded instruction of
    its own; without the straddle noted at decode the stale return ran again and s1 was 2."""
    m = Machine("rv64gc")
    m.load_asm(STRADDLE_PATCH)
    straddle = m.asm_program.symbol("straddle")
    assert straddle % 4096 == 4094
    m.map(straddle & ~0xFFF, 0x2000, "rwx")
    if mode == "timed":
        m.enable_timing("x60")
    elif mode == "recording":
        m.record()
    info = m.run(1000)
    assert info.reason is StopReason.EXIT and info.exit_code == 1, info


AFTER_ECALL = r'''
    .globl _start
_start:
    li a0, 1
    la a1, msg
    li a2, 3
    li a7, 64
write:
    ecall               # write(1, msg, 3), after 5 instructions (la is two)
after:
    li a0, 7
    li a7, 93           # exit(7)
    ecall
    .data
msg: .ascii "hi\n"
'''


def test_breakpoint_right_after_a_serviced_system_call_stops():
    """run() re-enters the core after the host services the ecall; the breakpoint on the next
    instruction is the first stop the caller sees there, so it must stop (it used to be stepped over
    as if already reported)."""
    import io
    from rvsim.host import LinuxEnvironment
    out = io.BytesIO()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=out))
    m.load_asm(AFTER_ECALL)
    after = m.asm_program.symbol("after")
    m.add_breakpoint(after)
    info = m.run()
    assert (info.reason, info.pc, out.getvalue()) == (StopReason.BREAKPOINT, after, b"hi\n"), info
    info = m.run()                      # resuming from the reported stop executes it
    assert info.reason is StopReason.EXIT and info.exit_code == 7


def test_breakpoint_at_a_chunk_boundary_stops(monkeypatch):
    """The same for run()'s re-entry after a full chunk of instructions."""
    import rvsim.machine
    monkeypatch.setattr(rvsim.machine, "CHUNK", 5)
    m = Machine("rv64gc")
    m.load_asm(AFTER_ECALL)
    write = m.asm_program.symbol("write")
    m.add_breakpoint(write)
    info = m.run()
    assert (info.reason, info.pc, info.instructions) == (StopReason.BREAKPOINT, write, 5), info


# --------------------------------------------------------------------------- constant-step copies
# mul, mulw, the taken and untaken conditional branches, flw/fld/fsw/fsd and fmadd.s/d have a 4-byte
# copy that steps a constant (and c.fld/c.fsd a 2-byte one); each is followed by an instruction whose
# effect shows where execution went on.

STEP_SRC = """
    .globl _start
_start:
    la t0, vals
    la s0, vals
    li t1, 7
    li t2, -3
    li t5, 0
    mul t3, t1, t2
    mulw t4, t1, t2
    flw ft0, 0(t0)
    flw ft1, 4(t0)
    flw ft2, 8(t0)
    fmadd.s ft3, ft0, ft1, ft2
    fsw ft3, 12(t0)
    fld ft4, 16(t0)
    fld ft5, 24(t0)
    fld ft6, 32(t0)
    fmadd.d ft7, ft4, ft5, ft6
    fsd ft7, 40(t0)
    fld fs0, 16(s0)
    fsd fs0, 48(s0)
    blt t2, t1, after_blt
    li t5, 99
after_blt:
    bge t2, t1, after_bge
    addi t5, t5, 1
after_bge:
    bltu t1, t2, after_bltu
    addi t5, t5, 10
after_bltu:
    bgeu t1, t2, after_bgeu
    addi t5, t5, 100
after_bgeu:
    ebreak
    .data
    .balign 8
vals: .float 1.5, 2.0, 0.25, 0.0
    .double 1.5, 2.0, 0.25, 0.0, 0.0, 0.0
"""


def _step_program():
    """The program above as an ELF (its ebreak stops the run: StopReason.EBREAK)."""
    prog = assemble(STEP_SRC, march="rv64gc")
    m = Machine("rv64gc")
    m.load_elf(prog.to_elf())
    return prog, m


def _check_step_program(prog, m):
    vals = prog.symbol("vals")
    assert m.x[28] == 2**64 - 21 and m.x[29] == 2**64 - 21          # mul, mulw: 7 * -3
    assert m.read(vals + 12, 4) == (0x40500000).to_bytes(4, "little")            # 1.5f * 2 + 0.25
    assert int(m.f[3]) == 0xFFFFFFFF_40500000                                     # NaN-boxed
    assert m.read(vals + 40, 8) == (0x400A000000000000).to_bytes(8, "little")    # 3.25
    assert m.read(vals + 48, 8) == (0x3FF8000000000000).to_bytes(8, "little")    # c.fld, c.fsd: 1.5
    assert m.x[30] == 101            # blt taken, bge not, bltu taken (7 < 2^64-3), bgeu not


@pytest.mark.parametrize("timed", [False, True])
def test_constant_step_copies(timed):
    prog, m = _step_program()
    if timed:
        m.enable_timing()
    info = m.run(1000)
    assert info.reason is StopReason.EBREAK and m.pc == prog.symbol("after_bgeu")
    _check_step_program(prog, m)


def test_budget_ends_anywhere_in_the_constant_step_copies():
    """run(n) stops after exactly n instructions, and the rest of the run ends as one run does; a
    budget that ends on the taken blt leaves the pc at its target."""
    prog, whole = _step_program()
    whole.run(1000)
    total = whole.instret
    for n in range(1, total):
        prog, m = _step_program()
        info = m.run(n)
        assert info.reason is StopReason.LIMIT and m.instret == n
        if m.pc == prog.symbol("after_blt"):
            assert m.x[30] == 0      # the li t5, 99 it jumps over has not run
        assert m.run(1000).reason is StopReason.EBREAK and m.instret == total
        _check_step_program(prog, m)


# --------------------------------------------------------------------------- near branches
# A branch or jal whose target is on its own page (known at decode) runs a copy that moves to the target
# slot without a page check; one whose target is on another page must leave the page.

TAKEN = {"beq": (3, 3), "bne": (1, 2), "blt": (2**64 - 1, 1), "bge": (1, 2**64 - 1),
         "bltu": (1, 2**64 - 1), "bgeu": (2**64 - 1, 1)}   # (x5, x6) for which each is taken


def _edge_machine(words_at):
    """A machine with CODE and the page after it executable; words_at: {address: [words]}."""
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.map(CODE, 0x2000, "rwx")
    for addr, words in words_at.items():
        m.write(addr, program(*words))
    m.pc = CODE
    return m


@pytest.mark.parametrize("mnemonic", sorted(TAKEN))
def test_branches_across_page_edges(mnemonic):
    """Taken branches at the last word of a page to the next page (+8: beyond the page's end
    sentinels) and at the first words of a page back to the one before; a near jal to get there."""
    end = CODE + 0x1000
    m = _edge_machine({
        CODE: [enc("addi", rd=7, rs1=0, imm_i=0),
               enc("jal", rd=0, imm_j=0xFF4)],                       # CODE+4 -> end-8 (near)
        end - 16: [enc("addi", rd=7, rs1=7, imm_i=1000),             # end-16
                   enc("ebreak"),                                     # end-12
                   enc("addi", rd=7, rs1=7, imm_i=1),                 # end-8
                   enc(mnemonic, rs1=5, rs2=6, imm_b=8)],             # end-4 -> end+4
        end: [enc("addi", rd=7, rs1=7, imm_i=100),                   # end: skipped
              enc("addi", rd=7, rs1=7, imm_i=10),                     # end+4
              enc(mnemonic, rs1=5, rs2=6, imm_b=-0x18)],              # end+8 -> end-16
    })
    m.x[5], m.x[6] = TAKEN[mnemonic]
    info = m.run(1000)
    assert _at_ebreak(info) and m.pc == end - 12
    assert m.x[7] == 1011 and m.instret == 7


# (first count, limit, compare limit with count instead of count with limit): the loop below closes
# with `mnemonic count, limit` (or `limit, count`) back to its head while the branch is taken
LOOPS = {"beq": (0, 1, False), "bne": (0, 3, False), "blt": (-2, 3, False), "bge": (0, 3, True),
         "bltu": (0, 3, False), "bgeu": (0, 3, True)}


@pytest.mark.parametrize("mnemonic", sorted(LOOPS))
def test_near_backward_branch_loop_budget_and_breakpoint(mnemonic):
    """A counted loop closed by a near branch: a budget ending anywhere (on the taken branch: the pc
    at the loop head) leaves the spec's state; a breakpoint on the branch stops before it each pass."""
    count0, limit, swap = LOOPS[mnemonic]
    rs = (29, 28) if swap else (28, 29)
    words = [enc("addi", rd=28, rs1=0, imm_i=count0),     # CODE+0: count
             enc("addi", rd=29, rs1=0, imm_i=limit),      # CODE+4: limit
             enc("addi", rd=28, rs1=28, imm_i=1),         # CODE+8: loop head
             enc("addi", rd=7, rs1=7, imm_i=2),           # CODE+12
             enc(mnemonic, rs1=rs[0], rs2=rs[1], imm_b=-8),   # CODE+16
             enc("ebreak")]                               # CODE+20
    ref = _loop_reference(mnemonic)
    for n in range(1, len(ref) + 1):
        m = _edge_machine({CODE: words})
        info = m.run(n)
        assert info.reason is StopReason.LIMIT and m.instret == n
        assert (m.pc, int(m.x[28]), int(m.x[7])) == ref[n - 1]
    m = _edge_machine({CODE: words})
    m.add_breakpoint(CODE + 16)
    stops = 0
    while True:
        info = m.run(1000)
        if info.reason is not StopReason.BREAKPOINT:
            break
        assert m.pc == CODE + 16
        stops += 1
    assert _at_ebreak(info) and m.pc == CODE + 20
    assert stops == sum(1 for pc, _, _ in ref if pc == CODE + 16) and m.x[7] == 2 * stops


def _loop_reference(mnemonic):
    """(pc, x28, x7) after each instruction of the loop above, by the spec's comparisons (signed for
    blt and bge, unsigned for bltu and bgeu; the values here are small and non-negative but for blt's
    start, which is negative)."""
    count, limit, swap = LOOPS[mnemonic]
    u = lambda v: v % 2**64
    taken = {"beq": lambda a, b: a == b, "bne": lambda a, b: a != b,
             "blt": lambda a, b: a < b, "bge": lambda a, b: a >= b,
             "bltu": lambda a, b: u(a) < u(b), "bgeu": lambda a, b: u(a) >= u(b)}[mnemonic]
    x7 = 0
    out = [(CODE + 4, count, x7), (CODE + 8, count, x7)]
    while True:
        count += 1
        out.append((CODE + 12, count, x7))
        x7 += 2
        out.append((CODE + 16, count, x7))
        a, b = (limit, count) if swap else (count, limit)
        if taken(a, b):
            out.append((CODE + 8, count, x7))
        else:
            out.append((CODE + 20, count, x7))
            break
    return [(pc, u(c), v) for pc, c, v in out]


def test_store_rewrites_a_near_branch_in_its_own_page():
    """The loop patches its own near branch (beq +8 -> beq +12) on the first pass; the second pass must
    take the new target: x10 = (1 + 10) + 10.  A stale decode would give 1 + 10 + 1 + 10."""
    old, new = enc("beq", rs1=0, rs2=0, imm_b=8), enc("beq", rs1=0, rs2=0, imm_b=12)
    loop = [enc("addi", rd=7, rs1=7, imm_i=1),            # PAGE+0
            old,                                          # PAGE+4: -> PAGE+12, patched -> PAGE+16
            enc("addi", rd=10, rs1=10, imm_i=1000),       # PAGE+8: never
            enc("addi", rd=10, rs1=10, imm_i=1),          # PAGE+12
            enc("addi", rd=10, rs1=10, imm_i=10),         # PAGE+16
            enc("sw", rs1=5, rs2=6, imm_s=4),             # PAGE+20: patch PAGE+4
            enc("blt", rs1=7, rs2=8, imm_b=-24),          # PAGE+24: two passes
            enc("ebreak")]                                # PAGE+28
    m = _machine([*_li(5, PAGE), *_li(6, new), enc("addi", rd=8, rs1=0, imm_i=2),
                  enc("jalr", rd=0, rs1=5, imm_i=0)])
    m.write(PAGE, program(*loop))
    info = m.run(1000)
    assert _at_ebreak(info) and m.pc == PAGE + 28
    assert m.x[10] == 21 and m.x[7] == 2


def test_near_branch_loop_switching_to_timed_and_recorded_mid_run():
    """Switching loop variants in the middle of a loop closed by a near branch (each switch sends every
    slot back to the decoder, which chooses the new loop's copies) keeps the spec's state."""
    count0, limit, swap = LOOPS["bne"]
    words = [enc("addi", rd=28, rs1=0, imm_i=count0), enc("addi", rd=29, rs1=0, imm_i=limit),
             enc("addi", rd=28, rs1=28, imm_i=1), enc("addi", rd=7, rs1=7, imm_i=2),
             enc("bne", rs1=28, rs2=29, imm_b=-8), enc("ebreak")]
    ref = _loop_reference("bne")
    m = _edge_machine({CODE: words})
    m.run(5)                                   # ends on the first taken bne
    assert (m.pc, int(m.x[28]), int(m.x[7])) == ref[4]
    m.enable_timing()
    m.run(3)
    assert (m.pc, int(m.x[28]), int(m.x[7])) == ref[7]
    m.record()
    m.run(1)
    m.disable_timing()
    m.run(1)
    assert (m.pc, int(m.x[28]), int(m.x[7])) == ref[9]
    info = m.run(100)
    assert _at_ebreak(info) and (m.pc, int(m.x[28]), int(m.x[7])) == ref[-1]
    assert m.instret == len(ref)
