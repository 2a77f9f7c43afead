"""The rv32 Linux system-call ABI (ilp32) of rvsim.host.LinuxEnvironment.

rv32 Linux has no call that takes a 32-bit time_t (only the *_time64 ones: clock_gettime64 403,
clock_nanosleep_time64 407, ppoll_time64 414, futex_time64 422 ...), no fstat/newfstatat (statx 291 is its
stat), _llseek at 62, mmap2 at 222, and structures whose longs and pointers are 4 bytes (sysinfo, rusage,
tms, iovec).  Oracles: qemu-riscv32 (tests/linux32/syscalls.s prints what the calls return and how many
bytes they write; tests/linux32/syscalls.out is qemu-riscv32 7.2's output) and, where qemu 7.2 differs
from the kernel (it still has fstat/newfstatat for riscv32), the kernel's uapi headers, cited below.

The whole-program test needs the RV32 core (``Machine("rv32ima")``); the unit tests call the
environment directly with a 32-bit view of an RV64 machine, so they run today.
"""
from __future__ import annotations

import errno
import io
import struct
import subprocess
from pathlib import Path

import pytest

from rvsim.asm import assemble
from rvsim.host import LinuxEnvironment, machine_xlen
from tests.conftest import require_tool

pytest.importorskip("rvsim._core", reason="the C extension is not built (python setup.py build_ext --inplace)")

from rvsim import Machine  # noqa: E402

HERE = Path(__file__).resolve().parent / "linux32"
ARGV = ["syscalls", "one", "two"]
DATA = bytes(range(100))


def _program(tmp_path) -> Path:
    (tmp_path / "data.txt").write_bytes(DATA)
    elf = tmp_path / "syscalls.elf"
    elf.write_bytes(assemble((HERE / "syscalls.s").read_text(), filename="syscalls.s", march="rv32ima").to_elf())
    elf.chmod(0o755)
    return elf


def _rv32_machine():
    return Machine("rv32ima")


def test_rv32_program_gives_qemu_riscv32s_output(tmp_path):
    elf = _program(tmp_path)
    m = _rv32_machine()
    out = io.BytesIO()
    m.env = LinuxEnvironment(stdout=out, stderr=io.BytesIO(), allow_dir=tmp_path, warn=lambda msg: None)
    m.load_elf(str(elf), argv=[a.encode() for a in ARGV])
    info = m.run(max_instructions=10_000_000)
    assert info.exit_code == 0, info
    assert out.getvalue().decode() == (HERE / "syscalls.out").read_text()


def test_qemu_riscv32_still_gives_the_committed_output(tmp_path):
    qemu = require_tool("qemu-riscv32")
    elf = _program(tmp_path)
    r = subprocess.run([qemu, str(elf), *ARGV[1:]], cwd=tmp_path, capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == (HERE / "syscalls.out").read_text()


# ---------------------------------------------------------------- the environment, called directly

class Rv32View:
    """An RV64 machine seen as RV32 by the environment (machine.xlen = 32), for the unit tests below:
    the ABI is the environment's business, whatever core runs the instructions."""
    xlen = 32

    def __init__(self, machine):
        self._machine = machine

    def __getattr__(self, name):
        return getattr(self._machine, name)


BUF = 0x20000


@pytest.fixture
def rv32(tmp_path):
    (tmp_path / "data.txt").write_bytes(DATA)
    m = Machine("rv64gc", memory_size=1 << 24)
    m.map(BUF, 0x2000, "rw")
    out = io.BytesIO()
    env = LinuxEnvironment(stdin=io.BytesIO(b"input"), stdout=out, stderr=io.BytesIO(), allow_dir=tmp_path,
                           warn=lambda msg: None)
    env.brk = env.brk_start = 0x100000
    env.brk_limit = env.mmap_floor = 0x400000
    env.mmap_top = env.mmap_next = 0x800000
    m.env = env
    view = Rv32View(m)
    view.out = out
    return view


def call(m, number, *args) -> int:
    """Make system call ``number`` as an rv32 program does; the signed 32-bit result."""
    x = m._hart.x
    x[17] = number
    for i, a in enumerate(args):
        x[10 + i] = a & (2**64 - 1)
    assert m.env.ecall(m) is None
    raw = int(x[10])
    assert raw >> 31 in (0, 2**33 - 1), f"{raw:#x} is not a sign-extended 32-bit value"
    return raw - (1 << 64) if raw >> 63 else raw


def test_the_xlen_comes_from_the_machine():
    assert machine_xlen(object()) == 64
    assert machine_xlen(Rv32View(object())) == 32


def test_no_time32_calls_and_no_fstat(rv32):
    # asm-generic/unistd.h guards the time32 calls with __ARCH_WANT_TIME32_SYSCALLS || __BITS_PER_LONG != 32,
    # and fstat (80) / newfstatat (79) with __ARCH_WANT_NEW_STAT, which riscv defines for __LP64__ only
    for number in (113, 114, 101, 98, 169, 73, 115, 80, 79):
        assert call(rv32, number, 1, BUF, 0, 0) == -errno.ENOSYS, number


def test_time64_calls(rv32):
    assert call(rv32, 403, 1, BUF) == 0                       # clock_gettime64: struct __kernel_timespec
    sec, nsec = struct.unpack("<qq", rv32.read(BUF, 16))
    assert 0 <= nsec < 10**9
    assert call(rv32, 407, 1, 0, BUF, 0) == 0                 # clock_nanosleep_time64
    rv32.write(BUF, struct.pack("<I", 5))
    assert call(rv32, 422, BUF, 128, 6) == -errno.EAGAIN      # futex_time64 WAIT_PRIVATE, value differs
    assert call(rv32, 422, BUF, 129, 1) == 0                  # WAKE_PRIVATE
    rv32.write(BUF, struct.pack("<iHH", 1, 4, 0) + struct.pack("<iHH", 99, 1, 0))
    assert call(rv32, 414, BUF, 2, 0, 0, 8) == 2              # ppoll_time64: stdout writable, 99 POLLNVAL
    assert struct.unpack("<iHHiHH", rv32.read(BUF, 16)) == (1, 4, 4, 99, 1, 0x20)


def test_structures_with_32_bit_longs(rv32):
    rv32.write(BUF, b"\xaa" * 256)
    assert call(rv32, 179, BUF) == 0                          # struct sysinfo: 64 bytes, mem_unit at 52
    data = rv32.read(BUF, 65)
    assert struct.unpack_from("<I", data, 52)[0] == 1 and data[64] == 0xAA
    rv32.write(BUF, b"\xaa" * 256)
    assert call(rv32, 165, 0, BUF) == 0                       # struct rusage: 72 bytes
    data = rv32.read(BUF, 73)
    assert data[72] == 0xAA and data[71] != 0xAA
    rv32.write(BUF, b"\xaa" * 256)
    assert call(rv32, 153, BUF) >= 0                          # struct tms: 4 clock_t of 4 bytes
    assert rv32.read(BUF, 17)[16] == 0xAA
    assert call(rv32, 160, BUF) == 0
    assert rv32.read(BUF + 4 * 65, 8) == b"riscv32\0"         # uname's machine
    rv32.write(BUF, b"\xaa" * 16)
    assert call(rv32, 123, 0, 64, BUF) == 4                   # sched_getaffinity: one 32-bit long
    assert rv32.read(BUF, 5) == b"\x01\0\0\0\xaa"


def test_iovecs_of_two_words(rv32):
    rv32.write(BUF + 0x100, b"hello world\n")
    rv32.write(BUF, struct.pack("<IIII", BUF + 0x100, 6, BUF + 0x106, 6))
    assert call(rv32, 66, 1, BUF, 2) == 12
    assert rv32.out.getvalue() == b"hello world\n"
    assert call(rv32, 56, -100, BUF + 0x100, 0) == -errno.ENOENT   # "hello world\n" is no file
    rv32.write(BUF + 0x200, b"data.txt\0")
    fd = call(rv32, 56, -100, BUF + 0x200, 0)
    assert fd == 3
    rv32.write(BUF, struct.pack("<IIII", BUF + 0x300, 3, BUF + 0x310, 2))
    assert call(rv32, 65, fd, BUF, 2) == 5
    assert rv32.read(BUF + 0x300, 3) == bytes([0, 1, 2]) and rv32.read(BUF + 0x310, 2) == bytes([3, 4])


def test_llseek_pread64_and_statx(rv32):
    rv32.write(BUF + 0x200, b"data.txt\0")
    fd = call(rv32, 56, -100, BUF + 0x200, 0)
    rv32.write(BUF, b"\xff" * 8)
    assert call(rv32, 62, fd, 0, 10, BUF, 0) == 0             # _llseek(fd, high, low, &result, SEEK_SET)
    assert rv32.read(BUF, 8) == (10).to_bytes(8, "little")
    assert call(rv32, 62, fd, 1, 0, BUF, 5) == -errno.EINVAL  # a bad whence
    assert call(rv32, 67, fd, BUF, 4, 20, 0) == 4             # pread64: the offset in a3 (low), a4 (high)
    assert rv32.read(BUF, 4) == bytes([20, 21, 22, 23])
    assert call(rv32, 67, fd, BUF, 4, 20, 1) == 0             # offset 2**32 + 20: past the end
    rv32.write(BUF, b"\xaa" * 260)
    assert call(rv32, 291, -100, BUF + 0x200, 0, 0x7FF, BUF) == 0
    st = rv32.read(BUF, 257)
    assert struct.unpack_from("<Q", st, 40)[0] == 100 and struct.unpack_from("<H", st, 28)[0] & 0xF000 == 0x8000
    assert st[256] == 0xAA
    rv32.write(BUF + 0x200, b"\0")
    assert call(rv32, 291, fd, BUF + 0x200, 0x1000, 0x7FF, BUF) == 0   # AT_EMPTY_PATH: glibc's fstat
    assert struct.unpack_from("<Q", rv32.read(BUF, 48), 40)[0] == 100
    assert call(rv32, 291, 1, BUF + 0x200, 0x1000, 0x7FF, BUF) == 0
    assert struct.unpack_from("<H", rv32.read(BUF, 32), 28)[0] & 0xF000 == 0x2000     # the console
    assert call(rv32, 291, 77, BUF + 0x200, 0x1000, 0x7FF, BUF) == -errno.EBADF


def test_mmap2_counts_pages(rv32):
    addr = call(rv32, 222, 0, 8192, 3, 0x22, -1, 0) & 0xFFFFFFFF
    assert addr % 4096 == 0 and 0x400000 <= addr < 0x800000
    rv32.write(addr + 4096, b"x")
    assert call(rv32, 215, addr, 8192) == 0


def test_an_rv32_error_is_a_negative_32_bit_number(rv32):
    assert call(rv32, 57, 1234) == -errno.EBADF               # close of a descriptor that is not open
    assert call(rv32, 4000) == -errno.ENOSYS
