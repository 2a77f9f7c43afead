"""HTML views of machine state for Jupyter (``Machine._repr_html_``)."""
from __future__ import annotations

import html


def _current_instruction(machine) -> str:
    from .disasm import disassemble, instruction_length
    try:
        half = int.from_bytes(machine.read(machine.pc, 2), "little")
        size = instruction_length(half)
        word = int.from_bytes(machine.read(machine.pc, size), "little")
        return disassemble(word, pc=machine.pc)
    except Exception:  # unmapped pc or an undecodable word: the table still shows the registers
        return "(cannot read the instruction at pc)"


def machine_html(machine) -> str:
    """pc, the instruction there (with its source line for load_asm programs) and the integer
    registers (ABI name, hex, signed decimal) as an HTML table."""
    from .disasm import XREG_NAMES
    esc = html.escape
    where = ""
    prog = getattr(machine, "asm_program", None)
    if prog is not None:
        line = prog.line_at(machine.pc)
        if line is not None:
            where = f" &nbsp; <code>{esc(line[0])}:{line[1]}</code>"
    head = (f"<p><b>Machine</b> {esc(machine.isa_string)} &nbsp; pc <code>{machine.pc:#x}</code> "
            f"&nbsp; <code>{esc(_current_instruction(machine))}</code>{where} &nbsp; "
            f"{machine.instret} instructions retired</p>")
    rows = []
    for row in range(8):
        cells = []
        for r in range(row, 32, 8):
            value = int(machine.x[r])
            signed = value - (1 << 64) if value >> 63 else value
            cells.append(f"<td><b>{XREG_NAMES[r]}</b></td><td><code>{value:#018x}</code></td>"
                         f"<td style='text-align:right'>{signed}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return head + "<table style='font-size:smaller'>" + "".join(rows) + "</table>"
