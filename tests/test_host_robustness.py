"""The host environments take whatever a guest passes: every Linux system call and every semihosting
call, with arguments that are small numbers, valid pointers, unmapped or wild addresses and huge sizes,
answers with a result (or an exit) -- never a Python exception escaping into run()."""
from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings, strategies as st

from rvsim.asm import assemble
from rvsim.host import SYSCALL_NAMES, SYSCALL_NAMES_RV32, LinuxEnvironment, SemihostEnvironment
from rvsim.machine import Machine

DATA = 0x20000
WILD = (0, 1, 8, DATA, DATA + 0xFF8, DATA + 0x1000, 0x7FFFFFFF000, 2**63, 2**64 - 8, 2**64 - 1)
ARG = st.one_of(st.sampled_from(WILD), st.integers(0, 64), st.integers(0, 2**64 - 1), st.just(3),
                st.sampled_from([2**31, 2**32, 1 << 40, 0xFFFFFFFF, 0x1000, 1030, 0x1000, 0x100]))
SETTINGS = settings(max_examples=300 * int(__import__("os").environ.get("RVSIM_HYPOTHESIS_SCALE", "1")), deadline=None, suppress_health_check=list(HealthCheck))


def _machine(env):
    m = Machine("rv64gc", memory_size=1 << 24)
    m.env = env
    m.map(DATA, 0x1000, "rw")
    m.write(DATA, b"data/x\0" + bytes(range(256)) * 8)
    return m


@SETTINGS
@given(st.sampled_from(sorted(SYSCALL_NAMES)), st.lists(ARG, min_size=6, max_size=6))
def test_every_linux_system_call_answers(tmp_path_factory, number, args):
    root = tmp_path_factory.getbasetemp()
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "x").write_bytes(b"0123456789" * 10)
    env = LinuxEnvironment(stdin=io.BytesIO(b"input"), stdout=io.BytesIO(), stderr=io.BytesIO(),
                           allow_dir=root, warn=lambda msg: None)
    m = _machine(env)
    m.x[17], m.x[10], m.x[11], m.x[12] = 56, 2**64 - 100, DATA, 2     # openat(AT_FDCWD, "data/x", O_RDWR)
    env.ecall(m)
    assert int(m.x[10]) == 3                                           # fd 3: a real file to work on
    env.brk = env.brk_start = 0x100000
    env.brk_limit = env.mmap_floor = 0x400000
    env.mmap_top = env.mmap_next = 0x800000
    m.x[17] = number
    for i, a in enumerate(args):
        m.x[10 + i] = a
    result = env.ecall(m)
    assert result is None or 0 <= result <= 255


class _Rv32View:
    """The machine as an RV32 one (machine.xlen = 32): the environment follows the ilp32 ABI."""
    xlen = 32

    def __init__(self, machine):
        self._machine = machine

    def __getattr__(self, name):
        return getattr(self._machine, name)


@SETTINGS
@given(st.sampled_from(sorted(SYSCALL_NAMES_RV32)), st.lists(ARG, min_size=6, max_size=6))
def test_every_rv32_linux_system_call_answers(tmp_path_factory, number, args):
    root = tmp_path_factory.getbasetemp()
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "x").write_bytes(b"0123456789" * 10)
    env = LinuxEnvironment(stdin=io.BytesIO(b"input"), stdout=io.BytesIO(), stderr=io.BytesIO(),
                           allow_dir=root, warn=lambda msg: None)
    m = _Rv32View(_machine(env))
    x = m._hart.x
    x[17], x[10], x[11], x[12] = 56, 2**64 - 100, DATA, 2
    env.ecall(m)
    assert int(x[10]) == 3
    env.brk = env.brk_start = 0x100000
    env.brk_limit = env.mmap_floor = 0x400000
    env.mmap_top = env.mmap_next = 0x800000
    x[17] = number
    for i, a in enumerate(args):
        x[10 + i] = a
    result = env.ecall(m)
    assert result is None or 0 <= result <= 255
    if result is None:
        assert int(x[10]) >> 31 in (0, 2**33 - 1)    # a 32-bit result, held sign-extended


SEMIHOSTING_OPS = (0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x0E, 0x0F,
                   0x10, 0x11, 0x12, 0x13, 0x15, 0x16, 0x18, 0x20, 0x30, 0x31, 0x77)


@SETTINGS
@given(st.sampled_from(SEMIHOSTING_OPS), ARG, st.lists(ARG, min_size=4, max_size=4))
def test_every_semihosting_call_answers(tmp_path_factory, op, arg, block):
    root = tmp_path_factory.getbasetemp()
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "x").write_bytes(b"0123456789" * 10)
    env = SemihostEnvironment(stdin=io.BytesIO(b"in"), stdout=io.BytesIO(), stderr=io.BytesIO(),
                              allow_dir=root, warn=lambda msg: None)
    env.argv = ["p", "a"]
    env.handles[3] = open(root / "data" / "x", "r+b")                  # a file to work on
    m = _machine(env)
    prog = assemble(".globl _start\n_start:\n.option norvc\nslli x0, x0, 0x1f\nebreak\nsrai x0, x0, 7\n",
                    march="rv64gc")
    from rvsim.loader import read_elf
    start = read_elf(prog.to_elf()).entry
    m.map(start & ~0xFFF, 0x1000, "rwx")
    m.write(start, prog.section(".text").data)
    m.pc = start + 4                                   # at the ebreak
    m.write(DATA + 0x800, b"".join((v & (2**64 - 1)).to_bytes(8, "little") for v in block))
    m.x[10], m.x[11] = op, (DATA + 0x800) if arg == 0x100 else arg
    result = env.ebreak(m)
    assert result is None or 0 <= result <= 255
    assert m.pc == start + 8
