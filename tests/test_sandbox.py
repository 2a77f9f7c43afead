"""The sandbox promises of docs/security.md that no other test file checks on its own: files only under
--allow-dir, no host commands, bounded host allocation for guest-chosen sizes, the output limit
(--max-output), and host-call faults ending as SimulationError rather than a traceback."""
from __future__ import annotations

import errno
import io
import struct
import subprocess
import sys
import types
from pathlib import Path

import pytest

from rvsim.errors import SimulationError
from rvsim.host import (SEMIHOSTING_SEQUENCE, HtifEnvironment, LinuxEnvironment, SemihostEnvironment)
from rvsim.machine import Machine

ROOT = Path(__file__).resolve().parent.parent
BASE = 0x10000
STR = BASE + 0x100          # a guest string
BLOCK = BASE + 0x800        # a semihosting argument block / HTIF syscall block
BUF = BASE + 0x1000


def neg(err: int) -> int:
    return (-err) & (2**64 - 1)


def machine_with(env) -> Machine:
    m = Machine("rv64gc", memory_base=BASE, memory_size=1 << 22)
    m.map(BASE, 1 << 20, "rw")
    m.env = env
    if isinstance(env, LinuxEnvironment):
        env.attach(m, types.SimpleNamespace(brk_start=BASE + (1 << 20), stack_top=BASE + (1 << 22) + (8 << 20),
                                            path="prog"))
    return m


def linux_call(m, number, *args) -> int:
    m.x[17] = number
    for i, a in enumerate(args):
        m.x[10 + i] = a
    assert m.env.ecall(m) is None
    return int(m.x[10])


def semihost_call(m, op, arg) -> int:
    m.write(BASE + 0x4000, SEMIHOSTING_SEQUENCE)
    m.pc = BASE + 0x4004
    m.x[10], m.x[11] = op, arg
    assert m.env.ebreak(m) is None
    return int(m.x[10])


def linux_env(tmp_path, **kw):
    return LinuxEnvironment(stdin=io.BytesIO(), stdout=io.BytesIO(), stderr=io.BytesIO(), warn=lambda s: None,
                            **kw)


# ------------------------------------------------------------------------------ files only under --allow-dir

ESCAPES = ["../outside.txt", "/../outside.txt", "sub/../../outside.txt", "link/outside.txt", "abs-link"]


def _jail(tmp_path):
    jail = tmp_path / "jail"
    (jail / "sub").mkdir(parents=True)
    (tmp_path / "outside.txt").write_text("secret")
    (jail / "link").symlink_to(tmp_path)                      # a symlink leading out of the jail
    (jail / "abs-link").symlink_to(tmp_path / "outside.txt")
    (jail / "inside.txt").write_text("fine")
    return jail


@pytest.mark.parametrize("path", ESCAPES)
def test_linux_open_outside_allow_dir_is_refused(tmp_path, path):
    jail = _jail(tmp_path)
    m = machine_with(linux_env(tmp_path, allow_dir=jail))
    m.write(STR, path.encode() + b"\0")
    assert linux_call(m, 56, neg(100), STR, 0, 0) == neg(errno.EACCES)           # openat O_RDONLY
    assert linux_call(m, 56, neg(100), STR, 0o101, 0o644) == neg(errno.EACCES)   # O_WRONLY|O_CREAT
    m.write(STR, b"inside.txt\0")
    assert linux_call(m, 56, neg(100), STR, 0, 0) == 3
    m.write(STR, b"/inside.txt\0")                                                 # the jail is also /
    assert linux_call(m, 56, neg(100), STR, 0, 0) == 4


def test_linux_open_without_allow_dir_is_refused(tmp_path):
    m = machine_with(linux_env(tmp_path))
    m.write(STR, str(tmp_path).encode() + b"/x\0")
    assert linux_call(m, 56, neg(100), STR, 0o101, 0o644) == neg(errno.EACCES)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("path", ESCAPES)
def test_semihosting_open_outside_allow_dir_is_refused(tmp_path, path):
    jail = _jail(tmp_path)
    env = SemihostEnvironment(stdin=io.BytesIO(), stdout=io.BytesIO(), stderr=io.BytesIO(), allow_dir=jail,
                              warn=lambda s: None)
    m = machine_with(env)
    m.write(STR, path.encode() + b"\0")
    for mode in (0, 4):                                  # "rb", "wb"
        m.write(BLOCK, struct.pack("<3Q", STR, mode, len(path)))
        assert semihost_call(m, 0x01, BLOCK) == 2**64 - 1
        assert env.errno == errno.EACCES
    assert (tmp_path / "outside.txt").read_text() == "secret"


# ------------------------------------------------------------------------------ no host escape

@pytest.mark.parametrize("number", [220, 221, 198, 203, 40, 39, 129])   # clone execve socket connect mount umount kill
def test_linux_calls_that_could_reach_the_host_do_nothing(tmp_path, number):
    m = machine_with(linux_env(tmp_path))
    m.write(STR, b"/bin/sh\0")
    result = linux_call(m, number, STR, 0, 0, 0, 0, 0)
    assert result in (neg(errno.ENOSYS), neg(errno.EPERM), neg(errno.EINVAL), neg(errno.ESRCH), 0) or number == 129


def test_semihosting_system_is_refused(tmp_path):
    env = SemihostEnvironment(stdin=io.BytesIO(), stdout=io.BytesIO(), stderr=io.BytesIO(), warn=lambda s: None)
    m = machine_with(env)
    marker = tmp_path / "ran"
    cmd = f"touch {marker}".encode()
    m.write(STR, cmd + b"\0")
    m.write(BLOCK, struct.pack("<2Q", STR, len(cmd)))
    assert semihost_call(m, 0x12, BLOCK) == 2**64 - 1
    assert env.errno == errno.EPERM and not marker.exists()


# ------------------------------------------------------------------------------ bounded host allocation

def test_guest_chosen_sizes_do_not_allocate_unboundedly(tmp_path):
    """A 50 GB brk, a 2**63-byte mmap, write/read/getrandom of 2**60 bytes: answered without allocating
    (the guest window is 4 MiB; a real allocation of these sizes would fail the test with MemoryError)."""
    m = machine_with(linux_env(tmp_path))
    brk0 = linux_call(m, 214, 0)
    assert linux_call(m, 214, brk0 + 50 * 2**30) == brk0                     # refused: brk unchanged
    assert linux_call(m, 222, 0, 2**63, 3, 0x22, 2**64 - 1, 0) == neg(errno.ENOMEM)
    assert linux_call(m, 64, 1, BUF, 2**60) == neg(errno.EFAULT)      # capped at 16 MiB, past the window
    assert linux_call(m, 63, 0, BUF, 2**60) == 0                               # empty stdin
    assert linux_call(m, 278, BUF, 2**60, 0) <= 1 << 20                         # getrandom: capped at 1 MiB


def test_htif_write_length_is_capped_and_bad_pointers_are_simulation_errors():
    out = io.BytesIO()
    env = HtifEnvironment(BASE + 0x800, None, stdout=out)
    m = machine_with(env)
    m.write(BLOCK + 0x40, struct.pack("<4Q", 64, 1, BUF, 2**62))               # write(1, BUF, 2**62)
    with pytest.raises(SimulationError, match="outside guest memory"):
        env.htif(m, BLOCK + 0x40)
    with pytest.raises(SimulationError, match="HTIF request"):
        env.htif(m, 0x8)                                                        # a block outside memory
    m.write(BLOCK + 0x40, struct.pack("<4Q", 64, 1, BUF, 5))
    m.write(BUF, b"hello")
    assert env.htif(m, BLOCK + 0x40) is None and out.getvalue() == b"hello"


# ------------------------------------------------------------------------------ output limit

def test_linux_output_limit_counts_console_and_files(tmp_path):
    out = io.BytesIO()
    env = LinuxEnvironment(stdin=io.BytesIO(), stdout=out, stderr=out, allow_dir=tmp_path, warn=lambda s: None,
                           max_output=1000)
    m = machine_with(env)
    m.write(BUF, b"x" * 600)
    assert linux_call(m, 64, 1, BUF, 600) == 600
    m.write(STR, b"file.bin\0")
    fd = linux_call(m, 56, neg(100), STR, 0o101, 0o644)
    assert fd == 3
    m.x[17], m.x[10], m.x[11], m.x[12] = 64, fd, BUF, 600
    with pytest.raises(SimulationError, match="output limit"):
        env.ecall(m)
    assert len(out.getvalue()) == 600
    env.fds[3].stream.close()
    assert (tmp_path / "file.bin").stat().st_size == 400                        # cut exactly at the limit


def test_semihosting_and_htif_output_limits():
    out = io.BytesIO()
    env = SemihostEnvironment(stdin=io.BytesIO(), stdout=out, stderr=out, warn=lambda s: None, max_output=10)
    m = machine_with(env)
    m.write(STR, b"0123456789abcdef\0")
    with pytest.raises(SimulationError, match="output limit"):
        semihost_call(m, 0x04, STR)                                            # SYS_WRITE0
    assert out.getvalue() == b"0123456789"
    out = io.BytesIO()
    env = HtifEnvironment(BASE + 0x800, None, stdout=out, max_output=3)
    m = machine_with(env)
    for ch in b"abc":
        assert env.htif(m, (1 << 56) | (1 << 48) | ch) is None                 # console putchar
    with pytest.raises(SimulationError, match="output limit"):
        env.htif(m, (1 << 56) | (1 << 48) | ord("d"))
    assert out.getvalue() == b"abc"


CHATTY = """.globl _start
_start:
    la a1, msg
loop:
    li a0, 1
    li a2, 10
    li a7, 64
    ecall
    j loop
.data
msg: .ascii "chatter!!\\n"
"""


def test_cli_max_output_ends_a_chatty_program(tmp_path):
    src = tmp_path / "chatty.s"
    src.write_text(CHATTY)
    r = subprocess.run([sys.executable, "-m", "rvsim", "run", "--max-output", "1k", str(src)],
                       capture_output=True, cwd=ROOT, timeout=120)
    assert r.returncode == 125, r.stderr
    assert len(r.stdout) == 1024
    assert b"output limit reached" in r.stderr and b"Traceback" not in r.stderr


def test_cli_core_error_is_a_message_not_a_traceback(tmp_path):
    """A SimulationError from a run (here an HTIF block outside memory) is reported, exit status 125."""
    src = tmp_path / "htif.s"
    src.write_text(".globl _start\n_start:\n    la t0, tohost\n    li t1, 0x40000000000\n    sd t1, 0(t0)\n"
                   "1:  j 1b\n.data\n.globl tohost\ntohost: .dword 0\n")
    elf = tmp_path / "htif.elf"
    assert subprocess.run([sys.executable, "-m", "rvsim", "asm", str(src), "-o", str(elf)], cwd=ROOT).returncode == 0
    r = subprocess.run([sys.executable, "-m", "rvsim", "run", str(elf)], capture_output=True, cwd=ROOT, timeout=120)
    assert r.returncode == 125, r.stderr
    assert b"HTIF request" in r.stderr and b"Traceback" not in r.stderr


# ------------------------------------------------------------------------------ memory bound

def test_program_larger_than_the_memory_bound_is_refused():
    from rvsim.asm import assemble
    from rvsim.errors import LoadError
    elf = assemble(".globl _start\n_start:\n  j _start\n.bss\nbig: .space 0x2000000\n", march="rv64gc").to_elf()
    m = Machine("rv64gc", memory_size=16 << 20)
    with pytest.raises(LoadError, match="guest memory"):
        m.load_elf(elf)


def test_guest_cannot_reach_past_its_window():
    """Loads, stores and fetches beyond --memory trap as access faults (the host never maps more)."""
    m = Machine("rv64gc", memory_base=BASE, memory_size=1 << 16)
    m.map(BASE, 1 << 16, "rwx")
    from rvsim.asm import assemble
    code = assemble(".globl _start\n_start:\n  li t0, 0x20000\n  sd t0, 0(t0)\n", march="rv64gc").to_binary()
    m.write(BASE, code)
    m.pc = BASE
    info = m.run(100)
    assert info.reason.value == "trap" and info.cause == 7 and info.tval == 0x20000
