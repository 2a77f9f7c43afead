"""The RARS/Venus teaching environments and semihosting on RV32.

RARS and Venus are 32-bit simulators: on RV32 every register prints as there (print_int of 0xffffffff is
-1, print_unsigned 4294967295, print_hex 0xffffffff).  RV32 semihosting follows AArch32's conventions
(the RISC-V semihosting spec adopts ARM's: parameter blocks of XLEN-wide fields, and SYS_EXIT takes the
reason itself in a1, not a block).

The unit tests call the environments with a 32-bit view of an RV64 machine (the environment reads the
XLEN from ``machine.xlen``); the program tests run on the RV32 core.
"""
from __future__ import annotations

import io
import struct

import pytest

from rvsim.asm import assemble
from rvsim.host import SemihostEnvironment

pytest.importorskip("rvsim._core", reason="the C extension is not built (python setup.py build_ext --inplace)")

from rvsim import Machine  # noqa: E402
from rvsim.teaching import RarsEnvironment, VenusEnvironment  # noqa: E402

BUF = 0x20000


class Rv32View:
    """An RV64 machine as the environments see an RV32 one (``xlen`` 32)."""
    xlen = 32

    def __init__(self, machine):
        self._machine = machine

    def __getattr__(self, name):
        return getattr(self._machine, name)


def _view(env):
    m = Machine("rv64gc", memory_size=1 << 24)
    m.map(BUF, 0x2000, "rw")
    m.env = env
    env.brk = env.brk_start = 0x100000
    env.brk_limit = env.mmap_floor = 0x400000
    env.mmap_top = env.mmap_next = 0x800000
    return Rv32View(m)


def _regs(m, **values):
    names = {"a0": 10, "a1": 11, "a7": 17}
    for name, v in values.items():
        m._hart.x[names[name]] = v & (2**64 - 1)


@pytest.mark.parametrize("upper", [0, 0xFFFFFFFF, 0x12345678])
def test_rars_prints_32_bit_registers_whatever_lies_above(upper):
    # the core holds RV32 registers sign-extended; whatever it keeps in the upper half, RV32 prints 32 bits
    out = io.BytesIO()
    env = RarsEnvironment(stdout=out, warn=lambda msg: None)
    m = _view(env)
    for number in (1, 34, 35, 36):           # PrintInt, PrintIntHex, PrintIntBinary, PrintIntUnsigned
        _regs(m, a7=number, a0=upper << 32 | 0xFFFFFFFF)
        assert env.ecall(m) is None
        out.write(b" ")
    assert out.getvalue().decode().split() == ["-1", "0xffffffff", "1" * 32, "4294967295"]


def test_rars_results_are_32_bit_values_held_sign_extended():
    env = RarsEnvironment(stdin=io.BytesIO(b"-5\n"), stdout=io.BytesIO(), warn=lambda msg: None)
    m = _view(env)
    _regs(m, a7=5)                            # ReadInt
    env.ecall(m)
    assert int(m._hart.x[10]) == 2**64 - 5
    _regs(m, a7=9, a0=16)                     # Sbrk
    env.ecall(m)
    first = int(m._hart.x[10])
    assert first == 0x100000
    _regs(m, a7=9, a0=-16)                    # a negative size is an error (exit 1), as in RARS
    assert env.ecall(m) == 1
    _regs(m, a7=1024, a0=BUF, a1=5)           # Open with bad flags: -1
    env.ecall(m)
    assert int(m._hart.x[10]) == 2**64 - 1


def test_venus_on_rv32():
    out = io.BytesIO()
    env = VenusEnvironment(stdout=out, warn=lambda msg: None)
    m = _view(env)
    _regs(m, a0=1, a1=0xFFFFFFFF)             # print_int
    env.ecall(m)
    _regs(m, a0=34, a1=0x80000000)            # printHex
    env.ecall(m)
    _regs(m, a0=9, a1=4)                      # sbrk
    env.ecall(m)
    assert int(m._hart.x[10]) == 0x100000
    _regs(m, a0=17, a1=0xFFFFFF03)            # exit2: the low byte
    assert env.ecall(m) == 3
    assert out.getvalue() == b"-10x80000000"


# ---------------------------------------------------------------- semihosting

SEQ = bytes.fromhex("1310f001" "73001000" "13507040")      # slli x0,x0,31; ebreak; srai x0,x0,7
CODE = 0x21000


def _semihost(op, arg, env, m):
    m.write(CODE, SEQ)
    m.pc = CODE + 4
    _regs(m, a0=op, a1=arg)
    return env.ebreak(m)


@pytest.fixture
def sh(tmp_path):
    out = io.BytesIO()
    env = SemihostEnvironment(stdout=out, stderr=out, allow_dir=tmp_path, warn=lambda msg: None)
    m = Machine("rv64gc", memory_size=1 << 24)
    m.map(BUF, 0x2000, "rw")
    m.map(CODE, 0x1000, "rwx")
    m.env = env
    (tmp_path / "f.txt").write_bytes(b"0123456789")
    return env, Rv32View(m), out


def test_semihosting_blocks_have_4_byte_fields_on_rv32(sh):
    env, m, out = sh
    m.write(BUF + 0x100, b"f.txt\0")
    m.write(BUF, struct.pack("<III", BUF + 0x100, 0, 5))         # SYS_OPEN(name, "rb", length)
    assert _semihost(0x01, BUF, env, m) is None
    handle = int(m._hart.x[10])
    assert handle == 3
    m.write(BUF, struct.pack("<III", handle, BUF + 0x200, 4))   # SYS_READ: 0 bytes left unread
    _semihost(0x06, BUF, env, m)
    assert int(m._hart.x[10]) == 0 and m.read(BUF + 0x200, 4) == b"0123"
    m.write(BUF, struct.pack("<I", handle))                     # SYS_FLEN
    _semihost(0x0C, BUF, env, m)
    assert int(m._hart.x[10]) == 10
    m.write(BUF + 0x100, b"hi\n")
    m.write(BUF, struct.pack("<III", 1, BUF + 0x100, 3))        # SYS_WRITE to stdout
    _semihost(0x05, BUF, env, m)
    assert out.getvalue() == b"hi\n" and int(m._hart.x[10]) == 0
    m.write(BUF, struct.pack("<I", 0x80000000))                 # SYS_ISERROR: negative as a 32-bit word
    _semihost(0x08, BUF, env, m)
    assert int(m._hart.x[10]) == 1
    m.write(BUF, struct.pack("<I", 77))                         # SYS_CLOSE of no handle: -1, sign-extended
    _semihost(0x02, BUF, env, m)
    assert int(m._hart.x[10]) == 2**64 - 1


def test_semihosting_cmdline_and_heapinfo_on_rv32(sh):
    env, m, _ = sh
    env.argv = ["prog", "x"]
    m.write(BUF, struct.pack("<II", BUF + 0x100, 64) + b"\xaa" * 8)
    _semihost(0x15, BUF, env, m)
    assert m.read(BUF, 12) == struct.pack("<II", BUF + 0x100, 6) + b"\xaa" * 4
    assert m.read(BUF + 0x100, 7) == b"prog x\0"
    m.write(BUF, struct.pack("<I", BUF + 0x100))
    m.write(BUF + 0x100, b"\xaa" * 20)
    _semihost(0x16, BUF, env, m)
    assert m.read(BUF + 0x100, 20) == bytes(16) + b"\xaa" * 4     # four 4-byte fields


def test_semihosting_exit_on_rv32_takes_the_reason_itself(sh):
    env, m, _ = sh
    assert _semihost(0x18, 0x20026, env, m) == 0                # ADP_Stopped_ApplicationExit
    assert _semihost(0x18, 0x20023, env, m) == 1                # RunTimeErrorUnknown
    m.write(BUF, struct.pack("<II", 0x20026, 9))                # SYS_EXIT_EXTENDED: a block, with a code
    assert _semihost(0x20, BUF, env, m) == 9


# ---------------------------------------------------------------- whole programs on the RV32 core

def _rv32_machine(isa, **kwargs):
    return Machine(isa, **kwargs)


RARS_RV32 = """
    .globl _start
_start:
    li a0, -1
    li a7, 1
    ecall                       # PrintInt: -1
    li a0, ' '
    li a7, 11
    ecall
    li a0, -1
    li a7, 36
    ecall                       # PrintIntUnsigned: 4294967295
    li a0, ' '
    li a7, 11
    ecall
    li a0, 0x7fffffff
    addi a0, a0, 1              # wraps on RV32
    li a7, 34
    ecall                       # PrintIntHex: 0x80000000
    li a0, ' '
    li a7, 11
    ecall
    li a0, 0x7fffffff
    addi a0, a0, 1
    li a7, 1
    ecall                       # PrintInt: -2147483648
    li a0, 16
    li a7, 9
    ecall                       # Sbrk
    li t0, 7
    sw t0, 12(a0)               # the memory is there
    lw a0, 12(a0)
    li a7, 93
    ecall
"""


@pytest.mark.parametrize("env_cls", [RarsEnvironment])
def test_a_rars_program_on_rv32(env_cls):
    m = _rv32_machine("rv32im")
    out = io.BytesIO()
    m.env = env_cls(stdout=out, warn=lambda msg: None)
    m.load_asm(RARS_RV32, march="rv32im")
    info = m.run(100_000)
    assert info.exit_code == 7
    assert out.getvalue().decode() == "-1 4294967295 0x80000000 -2147483648"


def test_a_semihosting_program_on_rv32(tmp_path):
    src = """
    .globl _start
    .option norvc
_start:
    li a0, 0x04                 # SYS_WRITE0
    la a1, msg
    slli x0, x0, 0x1f
    ebreak
    srai x0, x0, 7
    li a0, 0x20                 # SYS_EXIT_EXTENDED
    la a1, block
    slli x0, x0, 0x1f
    ebreak
    srai x0, x0, 7
    .data
msg: .asciz "semihosting on rv32\\n"
    .balign 4
block: .word 0x20026, 42
"""
    m = _rv32_machine("rv32imac")
    out = io.BytesIO()
    m.env = SemihostEnvironment(stdout=out, stderr=out, warn=lambda msg: None)
    m.load_elf(assemble(src, march="rv32imac").to_elf())
    info = m.run(max_instructions=10_000)
    assert info.exit_code == 42
    assert out.getvalue() == b"semihosting on rv32\n"


# ---------------------------------------------------------------- HTIF

def test_htif_requests_from_rv32():
    # The HTIF protocol does not change with XLEN: tohost/fromhost and the system-call block of
    # riscv-tests' syscalls.c (volatile uint64_t magic_mem[8]) are 64-bit words on RV32 too; an RV32
    # program's block just sits at a 32-bit address
    from rvsim.host import HtifEnvironment
    out = io.BytesIO()
    env = HtifEnvironment(tohost=BUF + 0x1000, fromhost=BUF + 0x1008, stdout=out)
    m = Machine("rv64gc", memory_size=1 << 24)
    m.map(BUF, 0x2000, "rw")
    view = Rv32View(m)
    m.write(BUF + 0x100, b"htif32\n")
    m.write(BUF, struct.pack("<4Q", 64, 1, BUF + 0x100, 7))          # write(1, buf, 7)
    assert env.htif(view, BUF) is None
    assert out.getvalue() == b"htif32\n"
    assert struct.unpack("<q", m.read(BUF, 8))[0] == 7                 # the result in magic_mem[0]
    assert struct.unpack("<Q", m.read(BUF + 0x1008, 8))[0] == 1        # fromhost acknowledged
    assert env.htif(view, 21 << 1 | 1) == 21                            # exit(21): riscv-tests' TESTNUM
