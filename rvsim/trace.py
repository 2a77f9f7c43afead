"""Commit log: one line per retired instruction, in the format of Spike's ``-l --log-commits``.

    core   0: 3 0x0000000000010078 (0x00a00513) x10 0x000000000000000a

Tracing steps the machine one instruction at a time from Python, so it runs at interpreter speed of
Python, not of the core: use it on short runs or with --max-insns.  :func:`describe_insn` is the
one-line description of an instruction that ``rvsim run`` and ``rvsim debug`` print.
"""
from __future__ import annotations

from . import isa
from .isa.operands import FREG, XREG
from .machine import StopReason


def describe_insn(machine, pc: int) -> str:
    """`word  disassembly` of the instruction at pc, or '' when it cannot be read."""
    try:
        raw = machine.read(pc, 4)
    except ValueError:
        return ""
    word = int.from_bytes(raw, "little")
    if word & 3 != 3:
        word &= 0xFFFF
    try:
        from .disasm import disassemble
        text = disassemble(word, pc=pc, xlen=getattr(machine, "xlen", 64))
    except Exception:  # the disassembler is a nicety here, never a reason to fail
        r = isa.decode(word, xlen=getattr(machine, "xlen", 64))
        text = r.mnemonic if r else "(illegal)"
    width = 8 if word & 3 == 3 else 4
    return f"{word:0{width}x}  {text}"


def _dest(record):
    for kind in record.operands:
        if "rd" in kind.slots and kind.role in (XREG, FREG):
            return kind
    return None


def run_traced(machine, max_instructions, out):
    budget = max_instructions
    xlen = getattr(machine, "xlen", 64)
    digits, xmask = xlen // 4, (1 << xlen) - 1     # Spike prints RV32 registers and pcs with 8 digits
    total = 0
    while budget is None or budget > 0:
        pc = machine.pc
        try:
            raw = int.from_bytes(machine.read(pc, 4), "little")
        except ValueError:
            raw = 0
        word = raw if raw & 3 == 3 else raw & 0xFFFF
        record = isa.decode(word, machine.extensions)
        priv = machine.priv
        info = machine.step(1)
        total += info.instructions
        if budget is not None:
            budget -= 1
        if info.instructions:
            line = f"core   0: {priv} 0x{pc:0{digits}x} (0x{word:0{8 if word & 3 == 3 else 4}x})"
            kind = _dest(record) if record else None
            if kind is not None:
                reg = kind.extract(word)
                # the core's registers as Python ints: a trace needs no numpy views
                if kind.role == XREG and reg != 0:
                    line += f" x{reg:<2d} 0x{int(machine._hart.x[reg]) & xmask:0{digits}x}"
                elif kind.role == FREG:
                    line += f" f{reg:<2d} 0x{int(machine._hart.f[reg]):016x}"
            out.write(line + "\n")
        if info.reason is not StopReason.LIMIT:
            info.instructions = total
            return info
    return info
