"""The system-call numbers of the teaching tools (RARS/MARS: number in a7; Venus: number in a0), as each
tool's documentation names them, and the hint the Linux environment prints for a call one of them knows.

A leaf module: the Linux environment (host.py) reads it for the hint, and the teaching environments
(teaching.py), which build on the Linux one, read it for their dispatch.
"""
from __future__ import annotations


# call number -> name, as each tool's documentation names them
RARS_CALLS = {
    1: "PrintInt", 2: "PrintFloat", 3: "PrintDouble", 4: "PrintString", 5: "ReadInt", 6: "ReadFloat",
    7: "ReadDouble", 8: "ReadString", 9: "Sbrk", 10: "Exit", 11: "PrintChar", 12: "ReadChar",
    17: "Exit2", 30: "Time", 32: "Sleep", 34: "PrintIntHex", 35: "PrintIntBinary",
    36: "PrintIntUnsigned", 40: "RandSeed", 41: "RandInt", 42: "RandIntRange", 43: "RandFloat",
    44: "RandDouble", 57: "Close", 62: "LSeek", 63: "Read", 64: "Write", 93: "Exit2", 1024: "Open",
}
VENUS_CALLS = {1: "print_int", 4: "print_string", 9: "sbrk", 10: "exit", 11: "print_character",
               17: "exit2", 34: "printHex"}
SHARED_WITH_LINUX = (57, 62, 63, 64, 93)       # close, lseek, read, write, exit: the same numbers
# the calls a RARS program makes that Linux does not know (a hint names --env rars for these)
_RARS_ONLY = {n for n in RARS_CALLS if n not in (17,) + SHARED_WITH_LINUX}


def linux_hint(machine, number: int) -> str:
    """For an ecall Linux does not know: a hint naming the teaching environment that knows it, or ''."""
    if number in _RARS_ONLY:
        return (f"; {number} is RARS's {RARS_CALLS[number]} (number in a7): "
                "run with --env rars for RARS/MARS system calls")
    a0 = int(machine._hart.x[10])         # the core's registers: no numpy for a hint
    if a0 in VENUS_CALLS:
        return (f"; a0 = {a0} is Venus's {VENUS_CALLS[a0]} (number in a0): "
                "run with --env venus for Venus system calls")
    return ""
