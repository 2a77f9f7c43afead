"""Kanata pipeline logs (the text format the Konata viewer reads) from the cycle model's trace.

Each instruction is drawn with the stages the model distinguishes: ``F`` from when fetch could deliver
it to issue, ``Is`` at issue (stall cycles before it show as F), ``Vq`` waiting in the vector queue,
``Vx`` executing in the vector unit, and ``Ex`` until its result is ready; the label is its address and
disassembly, the detail line its stall cause.
"""
from __future__ import annotations

from . import STALL_CAUSES


def _disasm(raw: int, pc: int) -> str:
    try:
        from ..disasm import disassemble
        return disassemble(raw, pc=pc)
    except Exception:   # the listing is a nicety; the timeline does not depend on it
        return f".word {raw:#x}"


def write_kanata(timing, path) -> int:
    """Write the recorded trace (Timing.record_trace) to ``path``; returns the instruction count."""
    recs = timing.trace_records()
    events = []     # (cycle, order, text)
    for i, r in enumerate(recs):
        pc, raw = int(r.pc), int(r.raw)
        fetch, issue, start, done = int(r.fetch), int(r.issue), int(r.start), int(r.done)
        fetch = min(fetch, issue)
        label = f"{pc:08x}: {_disasm(raw, pc)}"
        cause = STALL_CAUSES[r.cause] if r.cause < len(STALL_CAUSES) else ""
        ev = [(fetch, 0, f"I\t{i}\t{i}\t0"), (fetch, 1, f"L\t{i}\t0\t{label}"),
              (fetch, 2, f"S\t{i}\t0\tF")]
        if cause:
            ev.append((fetch, 3, f"L\t{i}\t1\tstall {int(r.stall)} cycles: {cause}"))
        ev.append((issue, 4, f"S\t{i}\t0\tIs"))
        if r.vector:
            if start > issue + 1:
                ev.append((issue + 1, 5, f"S\t{i}\t0\tVq"))
            ev.append((max(start, issue + 1), 6, f"S\t{i}\t0\tVx"))
        elif done > issue + 1:
            ev.append((issue + 1, 5, f"S\t{i}\t0\tEx"))
        end = max(done, issue + 1)
        ev.append((end, 7, f"R\t{i}\t{i}\t0"))
        events.extend(ev)
    events.sort(key=lambda e: (e[0], e[1]))
    with open(path, "w") as fh:
        fh.write("Kanata\t0004\n")
        now = events[0][0] if events else 0
        fh.write(f"C=\t{now}\n")
        for cycle, _, text in events:
            if cycle != now:
                fh.write(f"C\t{cycle - now}\n")
                now = cycle
            fh.write(text + "\n")
    return len(recs)
