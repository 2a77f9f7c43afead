"""Python-level fuzz targets: the ELF loader, the host environments and the assembler.

Each target takes the fuzzer's bytes and returns normally when rvsim behaved (a clean run, a
LoadError, a SimulationError, an AsmError); any other exception propagates and is a finding.  They are
driven by atheris (fuzz/run_atheris.py, coverage-guided) and by hypothesis in tests/test_fuzz.py.

Budgets keep every input small: at most 20 000 guest instructions, a 64 MiB guest window, outputs
into memory buffers, files only in a scratch --allow-dir.
"""
from __future__ import annotations

import io
import random
import struct
import tempfile
import types
from pathlib import Path

from rvsim.errors import LoadError, SimulationError

MAX_INSTRUCTIONS = 20_000
GUEST_MEMORY = 64 << 20
_SCRATCH = tempfile.TemporaryDirectory(prefix="rvsim-fuzz-")
ALLOW_DIR = Path(_SCRATCH.name)
(ALLOW_DIR / "data.txt").write_bytes(b"hello from the host\n" * 4)


def _quiet(msg: str) -> None:
    pass


def _streams():
    return dict(stdin=io.BytesIO(b"some input\nfor the guest\n"), stdout=io.BytesIO(), stderr=io.BytesIO())


# ---------------------------------------------------------------------------------------- loader

def loader_target(data: bytes) -> None:
    """An ELF file: parse, load (choosing the environment as `rvsim run` does) and run briefly."""
    from rvsim.host import HtifEnvironment, LinuxEnvironment, SemihostEnvironment
    from rvsim.loader import read_elf
    from rvsim.machine import Machine
    try:
        prog = read_elf(data, name="fuzz.elf")
        machine = Machine("rv64gcv", memory_size=GUEST_MEMORY)
        if prog.semihosting:
            machine.env = SemihostEnvironment(allow_dir=ALLOW_DIR, warn=_quiet, **_streams())
        elif prog.bare_metal:
            machine.env = HtifEnvironment(prog.tohost, prog.fromhost, stdout=io.BytesIO())
        else:
            machine.env = LinuxEnvironment(allow_dir=ALLOW_DIR, warn=_quiet, **_streams())
        machine.load_elf(data, name="fuzz.elf")
        machine.run(MAX_INSTRUCTIONS)
    except (LoadError, SimulationError):
        pass


# ---------------------------------------------------------------------------------------- hosts

_EDGE = (0, 1, 2, 3, 7, 8, 16, 255, 4095, 4096, 1 << 20, 1 << 31, (1 << 32) - 1, 1 << 63, (1 << 64) - 1,
         (1 << 64) - 4096)
SYSCALLS = sorted({17, 23, 24, 25, 29, 48, 56, 57, 61, 62, 63, 64, 65, 66, 67, 68, 78, 79, 80, 93, 94, 96,
                   98, 99, 101, 113, 114, 123, 124, 129, 130, 131, 134, 135, 153, 160, 163, 165, 169, 172,
                   173, 174, 175, 176, 177, 178, 179, 214, 215, 216, 222, 226, 233, 261, 278, 291, 293})
SEMIHOST_OPS = (0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x0E, 0x0F, 0x10,
                0x11, 0x12, 0x13, 0x15, 0x16, 0x18, 0x20, 0x30, 0x31)
BASE = 0x10000
WINDOW = 1 << 20
STRINGS = (b"data.txt\0", b":tt\0", b"../../etc/passwd\0", b"/data.txt\0", b"new.bin\0", b"sub/x\0",
           b":semihosting-features\0", b".\0", b"/\0")


class _Bytes:
    """A cursor over the fuzzer's bytes (zeros once they run out)."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def byte(self) -> int:
        b = self.data[self.pos] if self.pos < len(self.data) else 0
        self.pos += 1
        return b

    def word(self) -> int:
        return int.from_bytes(bytes(self.byte() for _ in range(8)), "little")

    def left(self) -> bool:
        return self.pos < len(self.data)

    def value(self) -> int:
        """An argument: a pointer into the window, an edge value, a small number or raw bits."""
        kind = self.byte() % 6
        if kind in (0, 1):
            return BASE + (self.word() % WINDOW)
        if kind == 2:
            return BASE + 0x100 * (self.byte() % 16)          # the strings and blocks at the start
        if kind == 3:
            return _EDGE[self.byte() % len(_EDGE)]
        if kind == 4:
            return self.byte()
        return self.word()


def host_target(data: bytes) -> None:
    """A sequence of host calls with fuzzer-chosen arguments against one of the three environments."""
    from rvsim.host import HtifEnvironment, LinuxEnvironment, SEMIHOSTING_SEQUENCE, SemihostEnvironment
    from rvsim.machine import Machine
    b = _Bytes(data)
    kind = b.byte() % 3
    machine = Machine("rv64gc", memory_base=BASE, memory_size=WINDOW * 4)
    machine.map(BASE, WINDOW, "rw")
    # strings at BASE + 0x100 * k, then fuzzer bytes
    for k, s in enumerate(STRINGS):
        machine.write(BASE + 0x100 * k, s)
    machine.write(BASE + 0x1000, data[:WINDOW - 0x1000])
    sequence_at = BASE + WINDOW - 64
    machine.write(sequence_at, SEMIHOSTING_SEQUENCE)
    if kind == 0:
        env = LinuxEnvironment(allow_dir=ALLOW_DIR, warn=_quiet, **_streams())
        prog = types.SimpleNamespace(brk_start=BASE + WINDOW, stack_top=BASE + 4 * WINDOW, path="fuzz")
        env.attach(machine, prog)
    elif kind == 1:
        env = SemihostEnvironment(allow_dir=ALLOW_DIR, warn=_quiet, **_streams())
        env.argv = ["fuzz", "arg"]
    else:
        env = HtifEnvironment(BASE + 0x800, BASE + 0x808 if b.byte() & 1 else None, stdout=io.BytesIO())
    machine.env = env
    try:
        for _ in range(16):
            if not b.left():
                break
            if kind == 0:
                sel = b.byte()
                machine.x[17] = SYSCALLS[sel % len(SYSCALLS)] if sel < 240 else b.word()
                for r in range(10, 16):
                    machine.x[r] = b.value()
                if env.ecall(machine) is not None:
                    break
            elif kind == 1:
                sel = b.byte()
                machine.x[10] = SEMIHOST_OPS[sel % len(SEMIHOST_OPS)] if sel < 240 else b.word()
                machine.x[11] = b.value()
                # an argument block of fuzzer words at a fixed place, often what a1 points to
                machine.write(BASE + 0x2000, b"".join(struct.pack("<Q", b.value()) for _ in range(4)))
                if b.byte() & 1:
                    machine.x[11] = BASE + 0x2000
                machine.pc = sequence_at + 4
                if env.ebreak(machine) not in (None, NotImplemented):
                    break
            else:
                device, command = b.byte() % 3, b.byte() % 3
                value = (device << 56) | (command << 48) | (b.value() & ((1 << 48) - 1))
                machine.write(BASE + 0x2000, b"".join(struct.pack("<Q", b.value()) for _ in range(4)))
                if b.byte() & 1:
                    value = BASE + 0x2000
                if value and env.htif(machine, value) is not None:
                    break
    except SimulationError:
        pass
    finally:
        for entry in getattr(env, "fds", {}).values():
            if entry.owned:
                entry.stream.close()
        for stream in getattr(env, "handles", {}).values():
            if hasattr(stream, "name"):
                stream.close()


# ---------------------------------------------------------------------------------------- assembler

VOCAB = ("add", "addi", "addiw", "sub", "lui", "auipc", "jal", "jalr", "beq", "bnez", "ld", "sd", "lw", "sw",
         "lb", "li", "la", "mv", "call", "tail", "ret", "nop", "j", "csrr", "csrw", "fadd.d", "fmv.x.w",
         "fld", "flw", "vsetvli", "vle32.v", "vse8.v", "vadd.vv", "vfmacc.vf", "vmv.v.x", "amoswap.w.aq",
         "lr.d", "sc.w", "c.addi", "c.lw", "sh1add", "clz", "rev8", "bclri", "fcvt.s.h", "vdot4a.vv",
         "x0", "zero", "ra", "sp", "a0", "a1", "t0", "s11", "x31", "x32", "f0", "ft1", "fa5", "v0", "v8",
         "v31", "e8", "e16", "e32", "e64", "m1", "m8", "mf2", "mf8", "ta", "tu", "ma", "mu", "v0.t",
         ".text", ".data", ".bss", ".section", ".globl", ".word", ".dword", ".half", ".byte", ".asciz",
         ".string", ".align", ".p2align", ".balign", ".space", ".zero", ".fill", ".equ", ".set", ".rept",
         ".endr", ".macro", ".endm", ".if", ".else", ".endif", ".include", ".option", "rvc", "norvc",
         "push", "pop", ".type", ".size", "%hi", "%lo", "%pcrel_hi", "%pcrel_lo", "0", "1", "-1", "4095",
         "2048", "-2049", "0x7fffffff", "0xffffffffffffffff", "1f", "1b", "label", "label:", "1:", "(",
         ")", ",", "+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "~", "\"str\"", "'c'", "#", ";",
         "\n", "\n", "\n", " ", "\\", "@", "$", "rne", "rtz", "dyn", "0.5", "1e9", "9" * 30)


def tokens_to_source(data: bytes) -> str:
    out = []
    for byte in data:
        out.append(VOCAB[byte % len(VOCAB)])
        out.append(" " if byte < 200 else "")
    return "".join(out)


def asm_target(data: bytes) -> None:
    """Either a token stream (first byte even) or raw source text (mutated real sources)."""
    from rvsim.asm import assemble
    from rvsim.asm.errors import AsmError
    if not data:
        return
    source = tokens_to_source(data[1:]) if data[0] % 2 == 0 else data[1:].decode("utf-8", "replace")
    march = ("rv64gc", "rv64gcv_zfh_zvfh_zba_zbb_zbs", "rv64i", "rv64imac_zvt")[data[0] // 2 % 4]
    try:
        prog = assemble(source, filename="fuzz.s", march=march)
        prog.to_elf()
    except AsmError:
        pass


TARGETS = {"loader": loader_target, "host": host_target, "asm": asm_target}


def mutate(seed: bytes, rng: random.Random) -> bytes:
    """A few byte-level mutations (for the hypothesis driver when atheris is not installed)."""
    data = bytearray(seed)
    for _ in range(rng.randrange(1, 8)):
        op = rng.randrange(4)
        if op == 0 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == 1 and data:
            i = rng.randrange(len(data))
            del data[i:i + rng.randrange(1, 16)]
        elif op == 2:
            i = rng.randrange(len(data) + 1)
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        elif op == 3 and len(data) >= 8:
            i = rng.randrange(len(data) - 7)
            data[i:i + 8] = struct.pack("<Q", rng.choice(_EDGE))
    return bytes(data)
