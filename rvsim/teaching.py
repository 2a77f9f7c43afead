"""Teaching environments: the system calls of the RARS and Venus simulators that course material uses.

* :class:`RarsEnvironment` — RARS (and MARS) numbering: the call number in ``a7``, arguments in ``a0``,
  ``a1``, ``fa0``; results in ``a0`` / ``fa0``.  The calls RARS shares with Linux (57 close, 62 lseek,
  63 read, 64 write, 93 exit) are Linux's, so the file calls work too (1024 opens a file), and so is
  every number RARS does not define (a C program runs under it as under Linux).
* :class:`VenusEnvironment` — Venus numbering: the call number in ``a0``, the argument in ``a1``.

Both are Linux environments underneath (:class:`rvsim.host.LinuxEnvironment`): the same standard
streams, heap (``sbrk`` moves the Linux ``brk``), files under ``allow_dir`` and deterministic clock.

Output follows what the tools document: integers in decimal, ``print_hex`` as ``0x`` and 8 hex digits,
``print_bin`` as 32 binary digits, floats as Java's ``Float.toString`` / ``Double.toString``.  RARS and
Venus are 32-bit simulators; on RV64 a register that holds a sign-extended 32-bit value (what ``li``,
``lw`` and the ``*w`` instructions give) prints exactly as there, and a wider value prints all 64 bits
(``print_int`` in decimal, ``print_hex`` as 16 hex digits, ``print_bin`` as 64 binary digits,
``print_unsigned`` as a 64-bit unsigned number).  On RV32 every register is 32 bits, so everything
prints as in RARS and Venus (``print_int`` of 0xffffffff is -1, ``print_unsigned`` 4294967295).
"""
from __future__ import annotations

import math
import random
import struct

from .host import LinuxEnvironment, _Exit, machine_xlen
from .teaching_calls import SHARED_WITH_LINUX, RARS_CALLS, VENUS_CALLS

MASK32 = (1 << 32) - 1
MASK64 = (1 << 64) - 1
AT_FDCWD = -100 & MASK64
O_WRONLY, O_CREAT, O_TRUNC, O_APPEND = 0o1, 0o100, 0o1000, 0o2000

def java_float_string(value: float, single: bool) -> str:
    """``Float.toString`` (single) or ``Double.toString`` of Java (JDK 19 and later): the shortest
    decimal that reads back as the same number, as ``123.45`` for 10**-3 <= |v| < 10**7 and
    ``1.2345E7`` otherwise; ``NaN``, ``Infinity``, ``-0.0``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    import numpy as np
    number = np.float32(value) if single else np.float64(value)
    value = float(number)
    text = np.format_float_scientific(number, unique=True, trim="-")
    sign = "-" if text.startswith("-") else ""
    mantissa, _, exponent = text.lstrip("-").partition("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"      # value = d.ddd x 10**exp
    exp = int(exponent)
    if 1e-3 <= abs(value) < 1e7:
        if exp >= 0:
            whole, frac = digits[:exp + 1].ljust(exp + 1, "0"), digits[exp + 1:]
        else:
            whole, frac = "0", "0" * (-exp - 1) + digits
        return f"{sign}{whole}.{frac or '0'}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exp}"


def _single_bits(value: float) -> int:
    """The binary32 bits of a Python float, rounded (overflow gives infinity), NaN-boxed."""
    import numpy as np
    with np.errstate(over="ignore"):
        bits = int(np.array([value], dtype=np.float32).view(np.uint32)[0])
    return bits | (MASK64 ^ MASK32)


def _is_sign_extended_32(v: int) -> bool:
    top = v >> 31
    return top == 0 or top == (1 << 33) - 1


def format_int(v: int) -> str:
    """print_int: a register in signed decimal."""
    v &= MASK64
    return str(v - (1 << 64) if v >> 63 else v)


def format_hex(v: int) -> str:
    """print_hex: ``0x`` and 8 hex digits (16 for a value wider than 32 bits)."""
    v &= MASK64
    return f"0x{v & MASK32:08x}" if _is_sign_extended_32(v) else f"0x{v:016x}"


def format_bin(v: int) -> str:
    """print_bin: 32 binary digits (64 for a value wider than 32 bits)."""
    v &= MASK64
    return f"{v & MASK32:032b}" if _is_sign_extended_32(v) else f"{v:064b}"


def format_unsigned(v: int) -> str:
    """print_unsigned: the low 32 bits unsigned (all 64 bits for a value wider than 32 bits)."""
    v &= MASK64
    return str(v & MASK32) if _is_sign_extended_32(v) else str(v)


class _ConsoleCalls(LinuxEnvironment):
    """What the RARS and Venus calls share: console output and input on the environment's streams,
    sbrk on the Linux heap, exit."""

    tool = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._unknown_warned: set[int] = set()

    @staticmethod
    def reg(m, i: int) -> int:
        """Register x``i`` as a 64-bit pattern: on RV32 its 32 bits sign-extended, so that a register
        prints as in the 32-bit tools whatever the core keeps above them."""
        v = int(m._hart.x[i])
        if machine_xlen(m) == 32:
            v &= MASK32
            v -= (v >> 31) << 32
        return v & MASK64

    @staticmethod
    def set_reg(m, i: int, value: int) -> None:
        """Write x``i`` (RV32: the low 32 bits, held sign-extended as the core holds RV32 registers)."""
        if machine_xlen(m) == 32:
            value &= MASK32
            value -= (value >> 31) << 32
        m._hart.x[i] = value & MASK64

    def out(self, m, text: str | bytes) -> None:
        """Console output, charged to ``max_output`` like a Linux ``write``."""
        data = text.encode() if isinstance(text, str) else text
        self.emit(m, self.stdout, data)
        self.stdout.flush()            # a prompt appears before the program waits for input
        if data:
            self.output_mid_line = not data.endswith(b"\n")

    def read_line(self) -> bytes:
        """One line of input including its newline (none at end of input)."""
        readline = getattr(self.stdin, "readline", None)
        if readline is not None:
            return readline(1 << 16)
        out = bytearray()
        while len(out) < 1 << 16:
            b = self.stdin.read(1)
            if not b:
                break
            out += b
            if b == b"\n":
                break
        return bytes(out)

    def sbrk(self, m, size: int):
        """Grow the heap by ``size`` bytes; returns the old break, 8-byte aligned, or None when the
        heap is exhausted (RARS and Venus end the program then)."""
        size = size - (1 << 64) if size >> 63 else size
        start = (self.brk + 7) & ~7
        if size < 0:
            return None
        if self.sys_brk(m, start + size) != start + size and size:
            return None
        return start

    def fail(self, m, message: str):
        """End the program as the tool does on a bad call: a runtime error message, status 1."""
        self._warn(f"{self.tool}: {message} at pc {int(m._hart.trap_pc):#x}")
        return _Exit(1)

    def unknown(self, m, number: int, where: str):
        if number not in self._unknown_warned:
            self._unknown_warned.add(number)
            self._warn(f"{self.tool} system call {number} (in {where}) is not implemented; it does nothing"
                       + self.other_tool_hint(m))
        return None

    def other_tool_hint(self, m) -> str:
        return ""


class RarsEnvironment(_ConsoleCalls):
    """RARS / MARS system calls (number in a7).  See the module documentation for the formats."""

    tool = "rars"

    def __init__(self, *, seed: int = 0, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self._seed = seed
        self._generators: dict[int, random.Random] = {}

    def ecall(self, machine) -> int | None:
        number = self.reg(machine, 17)
        if number not in RARS_CALLS or number in SHARED_WITH_LINUX:
            # Linux's calls: the file calls RARS numbers the same, and everything a C program needs
            return super().ecall(machine)
        name = RARS_CALLS[number]
        handler = getattr(self, "rars_" + name.lower())
        try:
            result = handler(machine, self.reg(machine, 10), self.reg(machine, 11))
        except ValueError:              # a pointer outside guest memory
            result = self.fail(machine, f"{name}: an address argument is outside memory")
        except (OSError, OverflowError) as exc:
            result = self.fail(machine, f"{name}: {exc}")
        if isinstance(result, _Exit):
            return result.code
        return None

    # ------------------------------------------------------------------------- output

    def rars_printint(self, m, a0, a1):
        self.out(m, format_int(a0))

    def rars_printfloat(self, m, a0, a1):
        bits = int(m.f[10]) & MASK32
        self.out(m, java_float_string(struct.unpack("<f", struct.pack("<I", bits))[0], single=True))

    def rars_printdouble(self, m, a0, a1):
        self.out(m, java_float_string(struct.unpack("<d", struct.pack("<Q", int(m.f[10])))[0], single=False))

    def rars_printstring(self, m, a0, a1):
        try:
            self.out(m, m.read_cstring(a0, limit=1 << 20))
        except ValueError:
            return self.fail(m, f"PrintString: address {a0:#x} is outside memory")

    def rars_printchar(self, m, a0, a1):
        self.out(m, bytes([a0 & 0xFF]))

    def rars_printinthex(self, m, a0, a1):
        self.out(m, format_hex(a0))

    def rars_printintbinary(self, m, a0, a1):
        self.out(m, format_bin(a0))

    def rars_printintunsigned(self, m, a0, a1):
        self.out(m, format_unsigned(a0))

    # ------------------------------------------------------------------------- input

    def rars_readint(self, m, a0, a1):
        line = self.read_line()
        if not line:
            return self.fail(m, "ReadInt: end of input")
        text = line.decode(errors="replace").strip()
        try:
            value = int(text, 10)
        except ValueError:
            return self.fail(m, f"ReadInt: invalid integer input `{text}`")
        if not -(1 << 31) <= value < 1 << 31:
            return self.fail(m, f"ReadInt: `{text}` does not fit in 32 bits")
        self.set_reg(m, 10, value)

    def _read_number(self, m, name: str):
        text = self.read_line().decode(errors="replace").strip()
        try:
            return float(text)
        except ValueError:
            self.fail(m, f"{name}: invalid float input `{text}`")
            return None

    def rars_readfloat(self, m, a0, a1):
        value = self._read_number(m, "ReadFloat")
        if value is None:
            return _Exit(1)
        m.f[10] = _single_bits(value)

    def rars_readdouble(self, m, a0, a1):
        value = self._read_number(m, "ReadDouble")
        if value is None:
            return _Exit(1)
        m.f[10] = struct.unpack("<Q", struct.pack("<d", value))[0]

    def rars_readstring(self, m, a0, a1):
        """fgets semantics: at most a1 - 1 bytes of one line (its newline kept when it fits), then a NUL;
        a1 = 1 stores only the NUL; a1 < 1 reads nothing."""
        size = a1 - (1 << 64) if a1 >> 63 else a1
        if size < 1:
            return None
        if size == 1:
            m.write(a0, b"\0")
            return None
        line = self.read_line()
        try:
            m.write(a0, line[:size - 1] + b"\0")
        except ValueError:
            return self.fail(m, f"ReadString: buffer {a0:#x} is outside memory")

    def rars_readchar(self, m, a0, a1):
        data = self.stdin.read(1)
        if not data:
            return self.fail(m, "ReadChar: end of input")
        self.set_reg(m, 10, data[0])

    # ------------------------------------------------------------------------- memory, process, time

    def rars_sbrk(self, m, a0, a1):
        address = self.sbrk(m, a0)
        if address is None:
            return self.fail(m, f"Sbrk: cannot allocate {format_int(a0)} bytes")
        self.set_reg(m, 10, address)

    def rars_exit(self, m, a0, a1):
        return _Exit(0)

    def rars_exit2(self, m, a0, a1):
        return _Exit(a0 & 0xFF)

    def rars_time(self, m, a0, a1):
        ms = self._now_ns(m) // 1_000_000
        self.set_reg(m, 10, ms & MASK32)
        self.set_reg(m, 11, (ms >> 32) & MASK32)

    def rars_sleep(self, m, a0, a1):
        return None                                            # a deterministic run does not wait

    def rars_open(self, m, a0, a1):
        """1024 Open: a0 the file name, a1 the flags (0 read, 1 write/create, 9 append/create)."""
        flags = {0: 0, 1: O_WRONLY | O_CREAT | O_TRUNC, 9: O_WRONLY | O_CREAT | O_APPEND}.get(a1)
        if flags is None:
            self.set_reg(m, 10, MASK64)
            return None
        fd = self.sys_openat(m, AT_FDCWD, a0, flags, 0o644)
        self.set_reg(m, 10, MASK64 if fd >> 63 else fd)
        return None

    # ------------------------------------------------------------------------- random numbers

    def _generator(self, stream: int) -> random.Random:
        g = self._generators.get(stream)
        if g is None:
            g = self._generators[stream] = random.Random(f"{self._seed}:{stream}")
        return g

    def rars_randseed(self, m, a0, a1):
        self._generators[a0 & MASK32] = random.Random(a1 & MASK64)

    def rars_randint(self, m, a0, a1):
        v = self._generator(a0 & MASK32).getrandbits(32)
        self.set_reg(m, 10, (v - (1 << 32) if v >> 31 else v) & MASK64)

    def rars_randintrange(self, m, a0, a1):
        bound = a1 & MASK32
        if bound == 0 or bound >> 31:
            return self.fail(m, f"RandIntRange: upper bound {format_int(a1)} must be positive")
        self.set_reg(m, 10, self._generator(a0 & MASK32).randrange(bound))

    def rars_randfloat(self, m, a0, a1):
        v = self._generator(a0 & MASK32).random()
        m.f[10] = _single_bits(v)

    def rars_randdouble(self, m, a0, a1):
        m.f[10] = struct.unpack("<Q", struct.pack("<d", self._generator(a0 & MASK32).random()))[0]


class VenusEnvironment(_ConsoleCalls):
    """Venus system calls (number in a0, argument in a1)."""

    tool = "venus"
    # `ret` from `main`: exit2(a0), i.e. mv a1, a0; li a0, 17; ecall
    MAIN_RETURN_STUB = bytes.fromhex("93050500" "13051001" "73000000")

    def ecall(self, machine) -> int | None:
        try:
            return self._venus_call(machine)
        except ValueError:              # a pointer outside guest memory
            return self.fail(machine, "an address argument is outside memory").code

    def _venus_call(self, machine) -> int | None:
        number, arg = self.reg(machine, 10), self.reg(machine, 11)
        name = VENUS_CALLS.get(number)
        if name is None:
            return self.unknown(machine, number, "a0")     # (no hint: a RARS call would be in a7)
        if name == "print_int":
            self.out(machine, format_int(arg))
        elif name == "print_string":
            try:
                self.out(machine, machine.read_cstring(arg, limit=1 << 20))
            except ValueError:
                return self.fail(machine, f"print_string: address {arg:#x} is outside memory").code
        elif name == "print_character":
            self.out(machine, bytes([arg & 0xFF]))
        elif name == "printHex":
            self.out(machine, format_hex(arg))
        elif name == "sbrk":
            address = self.sbrk(machine, arg)
            if address is None:
                return self.fail(machine, f"sbrk: cannot allocate {format_int(arg)} bytes").code
            self.set_reg(machine, 10, address)
        elif name == "exit":
            return 0
        elif name == "exit2":
            return arg & 0xFF
        return None


ENVIRONMENTS = {"linux": LinuxEnvironment, "rars": RarsEnvironment, "venus": VenusEnvironment}


def make_environment(name: str, **kwargs):
    """The host environment called ``name`` (``linux``, ``rars`` or ``venus``); keyword arguments as for
    :class:`rvsim.host.LinuxEnvironment` (``stdin``, ``stdout``, ``allow_dir``, ``deterministic``...)."""
    try:
        cls = ENVIRONMENTS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown environment {name!r}: choose linux, rars or venus") from None
    return cls(**kwargs)


def isa_without_compression(isa: str) -> str:
    """The ISA string without the C extension (``rv64gcv`` -> ``rv64gv``): every instruction is 4
    bytes, as in RARS and Venus, so addresses step by 4."""
    base, sep, rest = isa.partition("_")
    return base[:4] + base[4:].replace("c", "") + sep + rest


def teach_preset(args) -> None:
    """``--teach``: the options a course wants, applied to parsed ``rvsim run`` / ``debug`` options:
    no automatic compression (an assembly program is assembled and run without C; a compiled ELF keeps
    the ISA it may need), misaligned loads and stores trap (as in RARS), a deterministic clock and
    random numbers."""
    if args.isa is not None and args.program.endswith((".s", ".S", ".asm")):
        args.isa = isa_without_compression(args.isa)
    args.trap_misaligned = True
    args.realtime = False
