"""Why a program stopped, in words a student can act on: the source line of the faulting instruction
(for an assembled program) and, for the common faults, a sentence on the likely cause."""
from __future__ import annotations

FETCH_CAUSES = (0, 1, 12)            # instruction address misaligned, access fault, page fault
LOAD_CAUSES = (4, 5, 13)
STORE_CAUSES = (6, 7, 15)
ILLEGAL_INSTRUCTION = 2


def _source_line(prog, pc: int) -> str | None:
    where = prog.line_at(pc) if prog is not None else None
    if where is None:
        return None
    file, line = where
    try:
        with open(file, encoding="utf-8", errors="replace") as fh:
            text = fh.read().splitlines()[line - 1].strip()
    except (OSError, IndexError):
        text = ""
    return f"{file}:{line}: {text}" if text else f"{file}:{line}"


def _code_end(machine, prog) -> int | None:
    if prog is not None:
        ends = [sec.end for sec in prog.sections if "x" in sec.flags]
        if ends:
            return max(ends)
    return machine.symbols.get("_etext")


def _in_code(prog, addr: int) -> bool:
    return prog is not None and any("x" in sec.flags and sec.address <= addr < sec.end
                                    for sec in prog.sections)


def _exit_call(machine) -> str:
    tool = getattr(machine.env, "tool", "")
    if tool == "rars":
        return "li a7, 10 then ecall"
    if tool == "venus":
        return "li a0, 10 then ecall"
    return "li a7, 93 then ecall; RARS and Venus programs: run with --env rars or --env venus"


def explain_stop(machine, info, prog=None, with_source: bool = True) -> list[str]:
    """Lines to print after the one-line stop message of ``rvsim run`` (and the debugger's and the web
    page's): ``in FILE:LINE: text`` (unless ``with_source`` is false, for a caller that shows the
    location itself) and a hint.  ``prog`` is the assembled rvsim.asm.Program (None for an ELF input)."""
    from .machine import StopReason
    lines = []
    if info.reason is not StopReason.TRAP:
        return lines
    cause, tval, pc = info.cause, info.tval or 0, info.pc
    end = _code_end(machine, prog)
    past_end = end is not None and end <= pc < end + 4096
    where = None if past_end or not with_source else _source_line(prog, pc)
    if where is not None:
        lines.append(f"in {where}")
    if cause in FETCH_CAUSES and pc == 0:
        if "_start" in machine.symbols and "main" not in machine.symbols:
            why = ("did `_start` return? It has no caller: end the program with an exit system call, "
                   "or name the entry `main`, which may `ret`")
        else:
            why = "was `ra` overwritten by a call without saving it on the stack?"
        lines.append(f"hint: the program jumped to address 0: a `ret` or `jr` through a register holding 0 "
                     f"({why})")
    elif (cause in FETCH_CAUSES or cause == ILLEGAL_INSTRUCTION) and past_end:
        lines.append("hint: the program ran past the end of your code: end it with an exit system call "
                     f"({_exit_call(machine)}) or `ret` from main")
    elif cause == ILLEGAL_INSTRUCTION:
        from .isa.arch import illegal_instruction_hint   # an instruction of an extension this machine lacks
        missing = illegal_instruction_hint(machine, info)
        if missing:
            lines.append(f"hint: {missing}")
    elif cause in LOAD_CAUSES + STORE_CAUSES:
        access = "load" if cause in LOAD_CAUSES else "store"
        if cause in (4, 6):
            lines.append(f"hint: the {access} address {tval:#x} is not a multiple of the access size; "
                         "align the data (.align 2 before a .word, .align 3 before a .dword) or check "
                         "the offset")
        elif tval < 4096:
            lines.append(f"hint: the {access} address {tval:#x} is near 0: a null pointer, or a "
                         "register used as an address before it was set")
        elif access == "store" and _in_code(prog, tval):
            lines.append(f"hint: {tval:#x} is in the program's code, which is read-only: put variables "
                         "in .data (or .bss)")
        else:
            lines.append(f"hint: nothing is mapped at {tval:#x}: check the address computation (an "
                         "index scaled by the element size? a stack pointer moved too far?)")
    elif cause in FETCH_CAUSES:
        lines.append(f"hint: the program jumped to {pc:#x}, where there is no code: a `jr`/`ret` through "
                     "a register that does not hold a code address")
    return lines
