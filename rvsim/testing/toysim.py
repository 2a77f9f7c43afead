"""A deliberately small RV64IM interpreter in Python: the "your own simulator" of docs/testing.md.

It shows what a reference callback for :func:`rvsim.testing.compare` has to do — load the case's
segments, execute from ``case.entry`` until ``pc == case.end``, return an
:class:`~rvsim.testing.state.ArchState` — and, with ``ToySim(broken="mulhu")``, serves as the
deliberately wrong reference the tests use to check that a divergence is caught and located.

Only RV64I and M are modelled (no compressed, FP, atomics, CSRs); instructions are decoded with
rvsim's ISA table, the semantics below are written from the unprivileged spec.
"""
from __future__ import annotations

from ..isa import decode, parse_isa_string
from .state import ArchState

MASK = (1 << 64) - 1


def _s64(v: int) -> int:
    v &= MASK
    return v - (1 << 64) if v >> 63 else v


def _sx(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return (v - (1 << bits) if v >> (bits - 1) else v) & MASK


def _div(a: int, b: int) -> int:        # signed, rounding towards zero
    if b == 0:
        return -1
    if a == -(1 << 63) and b == -1:
        return a
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _rem(a: int, b: int) -> int:
    if b == 0:
        return a
    if a == -(1 << 63) and b == -1:
        return 0
    return a - b * _div(a, b)


# register-register and register-immediate operations: f(a, b) on unsigned 64-bit values
_ALU = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "and": lambda a, b: a & b,
    "or": lambda a, b: a | b, "xor": lambda a, b: a ^ b,
    "sll": lambda a, b: a << (b & 63), "srl": lambda a, b: a >> (b & 63),
    "sra": lambda a, b: _s64(a) >> (b & 63),
    "slt": lambda a, b: int(_s64(a) < _s64(b)), "sltu": lambda a, b: int(a < b),
    "addw": lambda a, b: _sx(a + b, 32), "subw": lambda a, b: _sx(a - b, 32),
    "sllw": lambda a, b: _sx(a << (b & 31), 32), "srlw": lambda a, b: _sx((a & 0xFFFFFFFF) >> (b & 31), 32),
    "sraw": lambda a, b: _sx(_s64(_sx(a, 32)) >> (b & 31), 32),
    "mul": lambda a, b: a * b,
    "mulh": lambda a, b: (_s64(a) * _s64(b)) >> 64,
    "mulhsu": lambda a, b: (_s64(a) * b) >> 64,
    "mulhu": lambda a, b: (a * b) >> 64,
    "div": lambda a, b: _div(_s64(a), _s64(b)), "divu": lambda a, b: a // b if b else MASK,
    "rem": lambda a, b: _rem(_s64(a), _s64(b)), "remu": lambda a, b: a % b if b else a,
    "mulw": lambda a, b: _sx(a * b, 32),
    "divw": lambda a, b: _sx(_div(_s64(_sx(a, 32)), _s64(_sx(b, 32))), 32),
    "divuw": lambda a, b: _sx((a & 0xFFFFFFFF) // (b & 0xFFFFFFFF), 32) if b & 0xFFFFFFFF else MASK,
    "remw": lambda a, b: _sx(_rem(_s64(_sx(a, 32)), _s64(_sx(b, 32))), 32),
    "remuw": lambda a, b: _sx((a & 0xFFFFFFFF) % (b & 0xFFFFFFFF), 32) if b & 0xFFFFFFFF else _sx(a, 32),
}
_IMM = {"addi": "add", "andi": "and", "ori": "or", "xori": "xor", "slti": "slt", "sltiu": "sltu",
        "slli": "sll", "srli": "srl", "srai": "sra", "addiw": "addw", "slliw": "sllw", "srliw": "srlw",
        "sraiw": "sraw"}
_BRANCH = {"beq": lambda a, b: a == b, "bne": lambda a, b: a != b,
           "blt": lambda a, b: _s64(a) < _s64(b), "bge": lambda a, b: _s64(a) >= _s64(b),
           "bltu": lambda a, b: a < b, "bgeu": lambda a, b: a >= b}
_LOAD = {"lb": (1, True), "lh": (2, True), "lw": (4, True), "ld": (8, True), "lbu": (1, False),
         "lhu": (2, False), "lwu": (4, False)}
_STORE = {"sb": 1, "sh": 2, "sw": 4, "sd": 8}


class ToySim:
    """``ToySim()(case)`` runs a :class:`~rvsim.testing.harness.Case` and returns its final state.

    ``broken``: a mnemonic whose result is deliberately wrong (its low bit flipped), to demonstrate
    what :func:`rvsim.testing.compare` reports when a reference disagrees.
    """

    name = "toysim"
    SUPPORTED = frozenset(parse_isa_string("rv64im"))

    def __init__(self, broken: str | None = None, max_steps: int = 200_000):
        self.broken = broken
        self.max_steps = max_steps
        if broken:
            self.name = f"toysim (broken {broken})"

    def __call__(self, case) -> ArchState:
        if not case.program.extensions <= self.SUPPORTED:
            raise ValueError(f"ToySim models RV64IM only, not {case.isa}")
        segments = case.segments()
        lo = min(a for a, _, _ in segments)
        hi = max(a + len(d) for a, d, _ in segments)
        mem = bytearray(hi - lo)
        for a, d, _ in segments:
            mem[a - lo:a - lo + len(d)] = d
        x = [0] * 32
        pc = case.entry
        trap = None
        for _ in range(self.max_steps):
            if pc == case.end:
                break
            off = pc - lo
            if not 0 <= off <= len(mem) - 4:
                trap = f"SIGSEGV at {pc:#x}"
                break
            word = int.from_bytes(mem[off:off + 4], "little")
            record = decode(word, self.SUPPORTED)
            if record is None:
                trap = f"SIGILL at {pc:#x}"
                break
            ops = record.decode_operands(word)
            try:
                pc = self.execute(record.mnemonic, ops, x, mem, lo, pc)
            except IndexError:
                trap = f"SIGSEGV at {pc:#x}"
                break
            x[0] = 0
        else:
            trap = f"step limit at {pc:#x}"
        scratch = bytes(mem[case.scratch - lo:case.scratch - lo + case.scratch_size])
        return ArchState(pc=pc, x=x, memory={case.scratch: scratch}, trap=trap)

    def execute(self, m: str, o: dict, x: list, mem: bytearray, lo: int, pc: int) -> int:
        """Execute one instruction; returns the next pc."""
        nxt = pc + 4
        rd = o.get("rd", 0)
        result = None
        if m in _ALU:
            result = _ALU[m](x[o["rs1"]], x[o["rs2"]])
        elif m in _IMM:
            imm = o.get("imm_i", o.get("shamt6", o.get("shamt5")))
            result = _ALU[_IMM[m]](x[o["rs1"]], imm & MASK)
        elif m == "lui":
            result = _sx(o["imm_u"] << 12, 32)
        elif m == "auipc":
            result = pc + _sx(o["imm_u"] << 12, 32)
        elif m == "jal":
            result, nxt = pc + 4, pc + o["imm_j"]
        elif m == "jalr":
            result, nxt = pc + 4, (x[o["rs1"]] + o["imm_i"]) & MASK & ~1
        elif m in _BRANCH:
            if _BRANCH[m](x[o["rs1"]], x[o["rs2"]]):
                nxt = pc + o["imm_b"]
        elif m in _LOAD:
            size, signed = _LOAD[m]
            a = (x[o["rs1"]] + o["imm_i"] - lo) & MASK
            if a + size > len(mem):
                raise IndexError
            v = int.from_bytes(mem[a:a + size], "little")
            result = _sx(v, 8 * size) if signed else v
        elif m in _STORE:
            size = _STORE[m]
            a = (x[o["rs1"]] + o["imm_s"] - lo) & MASK
            if a + size > len(mem):
                raise IndexError
            mem[a:a + size] = (x[o["rs2"]] & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
        elif m in ("fence", "fence.i"):
            pass
        else:
            raise NotImplementedError(f"ToySim does not model {m}")
        if result is not None and rd:
            result &= MASK
            if m == self.broken:
                result ^= 1
            x[rd] = result
        return nxt & MASK
