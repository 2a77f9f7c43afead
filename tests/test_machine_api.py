"""The Machine API around the core: stops, budgets, breakpoints, register/memory views, Ctrl-C, and
loading bad ELF files.  Small ELF files are built here from valid headers."""
from __future__ import annotations

import os
import shutil
import signal
import struct
import threading
import time

import numpy as np
import pytest

from rvsim.errors import LoadError
from rvsim.host import LinuxEnvironment
from rvsim.machine import CHUNK, Machine, StopReason
from tests.strategies import CODE, DATA, MEM_SIZE, enc, program

# ------------------------------------------------------------------ a minimal ELF writer

EM_RISCV, EM_X86_64 = 243, 62
PT_LOAD, PT_INTERP, PT_DYNAMIC = 1, 3, 2
PF_X, PF_W, PF_R = 1, 2, 4
TEXT = 0x10000


def make_elf(code: bytes, *, elf_class=2, data_encoding=1, machine=EM_RISCV, e_type=2,
             extra_phdrs=(), entry=None, segments=None) -> bytes:
    """A statically linked ELF64 executable: one R+X segment holding the headers and ``code``.

    ``segments`` overrides the program headers: (type, flags, offset, vaddr, filesz, memsz) tuples.
    """
    nph = 1 + len(extra_phdrs) if segments is None else len(segments)
    code_off = 64 + 56 * nph
    code_off = (code_off + 15) & ~15
    image_size = code_off + len(code)
    if segments is None:
        segments = [(PT_LOAD, PF_R | PF_X, 0, TEXT, image_size, image_size)] + list(extra_phdrs)
    ident = b"\x7fELF" + bytes([elf_class, data_encoding, 1, 0]) + bytes(8)
    header = ident + struct.pack("<HHIQQQIHHHHHH", e_type, machine, 1,
                                 TEXT + code_off if entry is None else entry, 64, 0, 0x5, 64, 56,
                                 nph, 64, 0, 0)
    phdrs = b"".join(struct.pack("<IIQQQQQQ", t, f, off, va, va, fs, ms, 0x1000)
                     for t, f, off, va, fs, ms in segments)
    out = (header + phdrs).ljust(code_off, b"\0") + code
    return out


def write_elf(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def li(rd, value):
    """addi-only load of a small constant."""
    return enc("addi", rd=rd, rs1=0, imm_i=value)


EXIT = [li(17, 93), enc("ecall")]           # a7 = exit; a0 holds the code


def linux_machine(tmp_path, *words) -> Machine:
    path = write_elf(tmp_path, "prog", make_elf(program(*words)))
    m = Machine("rv64gc")
    m.load_elf(path)
    return m


# ------------------------------------------------------------------ Linux-style programs


def test_linux_program_exits(tmp_path):
    m = linux_machine(tmp_path, li(10, 7), *EXIT)
    info = m.run()
    assert (info.reason, info.exit_code) == (StopReason.EXIT, 7)
    assert m.priv == 0, "Linux programs run in user mode"


WILD = {
    # name: (instructions, cause, tval)
    "load from unmapped": ([enc("lui", rd=5, imm_u=0xDEAD0), enc("ld", rd=6, rs1=5, imm_i=8)], 5,
                           0xFFFFFFFFDEAD0008),
    "load from null": ([enc("lw", rd=6, rs1=0, imm_i=0)], 5, 0),
    "store to unmapped": ([enc("lui", rd=5, imm_u=0x7FFF0), enc("sd", rs1=5, rs2=0, imm_s=0)], 7,
                          0x7FFF0000),
    "store to code": ([enc("auipc", rd=5, imm_u=0), enc("sw", rs1=5, rs2=0, imm_s=0)], 7, None),
    "jump to unmapped": ([enc("lui", rd=5, imm_u=0x12345), enc("jalr", rd=1, rs1=5, imm_i=0)], 1,
                         0x12345000),
    "jump to null": ([enc("jalr", rd=1, rs1=0, imm_i=0)], 1, 0),
    "jump into the stack": ([enc("jalr", rd=1, rs1=2, imm_i=0)], 1, None),
    "illegal instruction": ([0xFFFFFFFF], 2, 0xFFFFFFFF),
    "mret in user mode": ([enc("mret")], 2, enc("mret")),
    "csr access in user mode": ([enc("csrrs", rd=5, csr=0x300, rs1=0)], 2, None),
}


@pytest.mark.parametrize("name", list(WILD))
def test_wild_accesses_stop_with_a_trap(tmp_path, name):
    words, cause, tval = WILD[name]
    m = linux_machine(tmp_path, *words, li(10, 0), *EXIT)
    info = m.run(max_instructions=1000)
    assert info.reason == StopReason.TRAP, info
    assert info.cause == cause
    if tval is not None:
        assert info.tval == tval
    assert info.cause_name
    # the machine can still be inspected and stepped
    assert isinstance(m.pc, int)
    m.step()


def test_misaligned_store_in_linux_program_is_performed(tmp_path):
    m = linux_machine(tmp_path, enc("addi", rd=6, rs1=0, imm_i=0x55),
                      enc("sd", rs1=2, rs2=6, imm_s=-13), enc("ld", rd=10, rs1=2, imm_i=-13), *EXIT)
    info = m.run()
    assert (info.reason, info.exit_code) == (StopReason.EXIT, 0x55)


def test_program_that_never_exits_stops_at_the_limit(tmp_path):
    m = linux_machine(tmp_path, enc("addi", rd=5, rs1=5, imm_i=1), enc("jal", rd=0, imm_j=-4))
    info = m.run(max_instructions=100_000)
    assert (info.reason, info.instructions) == (StopReason.LIMIT, 100_000)


# ------------------------------------------------------------------ budgets and stepping


def loop_machine() -> Machine:
    """x5 counts up forever: addi; addi; jal back."""
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.load_image(program(enc("addi", rd=5, rs1=5, imm_i=1), enc("addi", rd=6, rs1=6, imm_i=2),
                         enc("jal", rd=0, imm_j=-8)), addr=CODE)
    return m


@pytest.mark.parametrize("n", [1, 2, 3, 7, 1000, 12345])
def test_run_stops_after_exactly_n(n):
    m = loop_machine()
    info = m.run(max_instructions=n)
    assert (info.reason, info.instructions, m.instret) == (StopReason.LIMIT, n, n)
    # x5 is incremented by the first of every three instructions
    assert m.x[5] == (n + 2) // 3
    assert m.pc == CODE + 4 * (n % 3)


def test_run_limit_beyond_one_chunk():
    m = loop_machine()
    n = CHUNK + 5
    info = m.run(max_instructions=n)
    assert (info.reason, info.instructions, m.instret) == (StopReason.LIMIT, n, n)


def test_step_executes_one_instruction_at_a_time():
    m = loop_machine()
    pcs = []
    for _ in range(7):
        info = m.step()
        assert (info.reason, info.instructions) == (StopReason.LIMIT, 1)
        pcs.append(m.pc)
    assert pcs == [CODE + 4, CODE + 8, CODE, CODE + 4, CODE + 8, CODE, CODE + 4]
    assert m.instret == 7
    info = m.step(5)
    assert info.instructions == 5 and m.instret == 12


def test_run_zero_instructions_does_nothing():
    m = loop_machine()
    info = m.run(max_instructions=0)
    assert (info.reason, info.instructions, m.pc) == (StopReason.LIMIT, 0, CODE)


# ------------------------------------------------------------------ breakpoints


def test_breakpoint_stops_before_the_instruction_and_continues():
    m = loop_machine()
    bp = m.add_breakpoint(CODE + 4)
    info = m.run(max_instructions=100)
    assert (info.reason, info.pc, info.instructions) == (StopReason.BREAKPOINT, CODE + 4, 1)
    assert m.x[6] == 0, "the instruction at the breakpoint has not executed"
    # running again executes it and stops the next time round the loop
    info = m.run(max_instructions=100)
    assert (info.reason, info.pc, info.instructions) == (StopReason.BREAKPOINT, CODE + 4, 3)
    assert m.x[6] == 2
    # step() from a breakpoint executes the instruction there
    info = m.step()
    assert (info.reason, m.pc, m.x[6]) == (StopReason.LIMIT, CODE + 8, 4)
    m.remove_breakpoint(bp)
    assert m.breakpoints == frozenset()
    info = m.run(max_instructions=30)
    assert (info.reason, info.instructions) == (StopReason.LIMIT, 30)


def test_breakpoint_added_after_the_code_was_decoded():
    m = loop_machine()
    m.run(max_instructions=50)          # the loop is in the decode cache now
    m.add_breakpoint(CODE + 8)
    info = m.run(max_instructions=50)
    assert (info.reason, info.pc) == (StopReason.BREAKPOINT, CODE + 8)
    m.remove_breakpoint(CODE + 8)
    assert m.run(max_instructions=50).reason == StopReason.LIMIT


def test_breakpoint_on_a_branch_target_and_several_breakpoints():
    m = loop_machine()
    m.add_breakpoint(CODE)              # reached by the backward jal
    m.add_breakpoint(CODE + 8)
    seen = [m.run(max_instructions=100).pc for _ in range(4)]
    assert seen == [CODE + 8, CODE, CODE + 8, CODE]


def test_breakpoint_by_symbol(tmp_path):
    m = linux_machine(tmp_path, li(10, 3), *EXIT)
    m.symbols["second"] = m.pc + 4
    m.add_breakpoint("second")
    info = m.run()
    assert (info.reason, info.pc) == (StopReason.BREAKPOINT, m.symbols["second"])
    with pytest.raises(KeyError):
        m.add_breakpoint("no-such-symbol")
    assert m.run().exit_code == 3


# ------------------------------------------------------------------ numpy views


def test_register_view_writes_are_seen_by_the_next_instruction():
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.load_image(program(enc("addi", rd=6, rs1=5, imm_i=1), enc("add", rd=7, rs1=0, rs2=5),
                         enc("addi", rd=8, rs1=0, imm_i=0)), addr=CODE)
    m.x[5] = 41
    m.x[0] = 99                          # must not leak into x0's value
    m.step()
    assert m.x[6] == 42
    m.x[5] = 2**64 - 1
    m.x[0] = 99
    m.step(2)
    assert m.x[7] == 2**64 - 1
    assert m.x[8] == 0 and m.x[0] == 0
    assert m.x.dtype == np.uint64 and m.x.shape == (32,)


def test_memory_views_share_guest_memory():
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.map(DATA, 0x1000, "rw")
    m.load_image(program(enc("ld", rd=5, rs1=6, imm_i=0), enc("sd", rs1=6, rs2=7, imm_s=8)), addr=CODE)
    m.x[6], m.x[7] = DATA, 0x1122334455667788
    view = m.read_array(DATA, np.uint64, 2)
    view[0] = 0xCAFE
    m.step(2)
    assert m.x[5] == 0xCAFE
    assert view[1] == 0x1122334455667788
    assert m.memory[DATA + 8] == 0x88


def test_writing_code_through_write_is_re_decoded():
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.load_image(program(enc("addi", rd=5, rs1=0, imm_i=1)), addr=CODE)
    m.step()
    m.write(CODE, program(enc("addi", rd=5, rs1=0, imm_i=2)))
    m.pc = CODE
    m.step()
    assert m.x[5] == 2


def test_self_modifying_code_with_fence_i():
    new = enc("addi", rd=5, rs1=0, imm_i=7)
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.load_image(program(enc("sw", rs1=6, rs2=7, imm_s=0), enc("fence.i"),
                         enc("addi", rd=5, rs1=0, imm_i=1)), addr=CODE)
    m.x[6], m.x[7] = CODE + 8, new
    m.run(max_instructions=3)
    assert m.x[5] == 7


def test_outside_the_window_raises():
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    with pytest.raises(ValueError):
        m.read(MEM_SIZE - 4, 8)
    with pytest.raises(ValueError):
        m.write(MEM_SIZE, b"x")
    with pytest.raises(ValueError):
        m.map(MEM_SIZE, 0x1000)


# ------------------------------------------------------------------ Ctrl-C


def test_sigint_interrupts_run_and_the_machine_stays_usable():
    m = loop_machine()
    sent = []

    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, interrupt)
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            m.run()                     # an infinite loop
        caught = time.monotonic()
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, old)
    assert sent and caught - sent[0] < 1.0, f"KeyboardInterrupt after {caught - sent[0]:.2f} s"
    assert m.instret > 0
    assert m.pc in (CODE, CODE + 4, CODE + 8)
    # still usable: state is consistent and it runs on
    count = int(m.x[5])
    assert m.run(max_instructions=3).reason == StopReason.LIMIT
    assert int(m.x[5]) == count + 1


# ------------------------------------------------------------------ malformed ELF files


def _valid():
    return make_elf(program(li(10, 0), *EXIT))


def test_valid_elf_from_this_writer_loads(tmp_path):
    m = Machine("rv64gc")
    m.load_elf(write_elf(tmp_path, "ok", _valid()))
    assert m.run().exit_code == 0


BAD_ELFS = {
    "truncated header": (lambda: _valid()[:40], "truncated"),
    "truncated program headers": (lambda: _valid()[:0x60], None),
    "truncated segment": (lambda: _valid()[:-4], "truncated"),
    # ELFCLASS32 in a file laid out as ELF64: read as ELF32 (RV32 programs load), it is malformed
    "32-bit class, 64-bit layout": (lambda: make_elf(b"\0" * 8, elf_class=1), "malformed 32-bit ELF"),
    "big-endian": (lambda: make_elf(b"\0" * 8, data_encoding=2), "big-endian"),
    "x86-64": (lambda: make_elf(b"\0" * 8, machine=EM_X86_64), "not RISC-V"),
    "dynamically linked (PT_INTERP)": (
        lambda: make_elf(b"\0" * 8, extra_phdrs=[(PT_INTERP, PF_R, 0, TEXT, 8, 8)]), "dynamically linked"),
    "dynamically linked (PT_DYNAMIC)": (
        lambda: make_elf(b"\0" * 8, extra_phdrs=[(PT_DYNAMIC, PF_R | PF_W, 0, TEXT, 8, 8)]),
        "dynamically linked"),
    "relocatable object": (lambda: make_elf(b"\0" * 8, e_type=1), "not an executable"),
    "no loadable segments": (lambda: make_elf(b"\0" * 8, segments=[]), "no loadable segments"),
    "garbage": (lambda: bytes((i * 37 + 11) & 0xFF for i in range(4096)), "not an ELF"),
    "ELF magic then garbage": (lambda: b"\x7fELF\x02\x01\x01" + bytes((i * 91 + 3) & 0xFF for i in range(500)),
                               None),
    "empty": (lambda: b"", "not an ELF"),
}


@pytest.mark.parametrize("name", list(BAD_ELFS))
def test_malformed_elf_raises_load_error(tmp_path, name):
    build, words = BAD_ELFS[name]
    path = write_elf(tmp_path, "bad", build())
    m = Machine("rv64gc")
    with pytest.raises(LoadError) as err:
        m.load_elf(path)
    message = str(err.value)
    assert str(path) in message
    if words:
        assert words in message


def test_host_binary_is_not_risc_v():
    sh = shutil.which("sh") or "/bin/sh"
    if not os.path.exists(sh):
        pytest.skip("no /bin/sh here")
    with pytest.raises(LoadError, match="not RISC-V|not an ELF"):
        Machine("rv64gc").load_elf(os.path.realpath(sh))


def test_directory_and_missing_file(tmp_path):
    with pytest.raises(LoadError, match="directory|cannot read"):
        Machine("rv64gc").load_elf(tmp_path)
    with pytest.raises(LoadError, match="cannot read|No such file|not found|does not exist"):
        Machine("rv64gc").load_elf(tmp_path / "missing")


def test_machine_is_usable_after_a_failed_load(tmp_path):
    m = Machine("rv64gc")
    with pytest.raises(LoadError):
        m.load_elf(write_elf(tmp_path, "bad", b"junk"))
    m.load_elf(write_elf(tmp_path, "ok", _valid()))
    assert m.run().exit_code == 0


def test_linux_environment_is_reused_explicitly(tmp_path):
    env = LinuxEnvironment()
    m = Machine("rv64gc", env=env)
    m.load_elf(write_elf(tmp_path, "ok", make_elf(program(li(10, 5), *EXIT))))
    assert m.env is env
    assert m.run().exit_code == 5


def test_a_jump_to_itself_stops_as_a_hang():
    from rvsim.asm import assemble
    from rvsim.machine import StopReason
    m = Machine("rv64gc")
    m.load_elf(assemble(".globl _start\n_start: li a0, 3\n  addi a0, a0, 1\nspin: j spin\n").to_elf())
    info = m.run()                          # no limit: it must still return
    assert info.reason is StopReason.HANG and info.pc == m.symbols["spin"]
    assert m.instret == 2 and int(m.x[10]) == 4
    assert m.run().reason is StopReason.HANG           # and again, without executing anything
    assert m.instret == 2


def test_cli_reports_a_hang(tmp_path):
    import subprocess
    import sys
    src = tmp_path / "spin.s"
    src.write_text(".globl _start\n_start:\n  .option norvc\n1: j 1b\n")
    r = subprocess.run([sys.executable, "-m", "rvsim", "run", str(src)], capture_output=True, timeout=60)
    assert r.returncode == 125
    assert b"hangs in a jump to itself" in r.stderr and b"at pc 0x" in r.stderr and b"j\t0x" in r.stderr


def test_reading_past_guest_memory_is_refused_before_allocating():
    m = Machine("rv64gc", memory_size=1 << 20)
    with pytest.raises(ValueError):
        m.read(0x1000, 1 << 60)            # a guest-supplied size: no host allocation is attempted
    with pytest.raises(ValueError):
        m.read(2**64 - 8, 16)


def test_segments_at_the_top_of_the_address_space_are_a_load_error(tmp_path):
    """Found by fuzzing (fuzz/pytargets.py loader): the memory window chosen for segments near 2**64
    wrapped around, and re-creating the core raised a ValueError instead of a LoadError."""
    vaddr = 2**64 - 0x100000
    path = write_elf(tmp_path, "top", make_elf(b"\x13\x00\x00\x00", entry=vaddr + 0x100,
                                               segments=[(PT_LOAD, PF_R | PF_X, 0, vaddr, 0, 0x1000)]))
    m = Machine("rv64gc", memory_size=1 << 24)
    with pytest.raises(LoadError, match="top of the address space"):
        m.load_elf(path)
