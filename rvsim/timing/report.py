"""Text reports of a TimingResult: the short summary of ``rvsim run --timing`` and the annotated source
of ``rvsim profile`` (hot lines first, like perf annotate)."""
from __future__ import annotations

from pathlib import Path

from . import STALL_DESCRIPTIONS, VECTOR_WAIT_DESCRIPTIONS, VECTOR_WAITS, TimingResult


def _console(file):
    from rich.console import Console
    con = Console(file=file, highlight=False, soft_wrap=True)
    if not con.is_terminal:
        con = Console(file=file, highlight=False, soft_wrap=True, width=160)
    return con


def print_summary(result: TimingResult, file=None) -> None:
    """cycles, instructions, IPC, stalls by cause, vector busy %, FLOP/cycle."""
    from rich.table import Table
    con = _console(file)
    c = result.cycles
    con.print(f"[bold]timing[/bold] ({result.preset}): {c:,} cycles, {result.instructions:,} instructions, "
              f"IPC {result.ipc:.3f}")
    stalls = [(k, v) for k, v in result.stalls.items() if v]
    if stalls:
        t = Table(title=None, show_edge=False, box=None, pad_edge=False)
        t.add_column("stall cause")
        t.add_column("cycles", justify="right")
        t.add_column("% of cycles", justify="right")
        t.add_column("")
        for k, v in sorted(stalls, key=lambda kv: -kv[1]):
            t.add_row(k, f"{v:,}", f"{100.0 * v / c:.1f}" if c else "-", STALL_DESCRIPTIONS.get(k, ""))
        con.print(t)
    else:
        con.print("no stalls")
    extras = []
    if result.branches:
        extras.append(f"branches {result.branches:,}, mispredicted {result.mispredicts:,} "
                      f"({100.0 * result.mispredicts / max(1, result.branches + result.taken):.1f}% of transfers)")
    cache = result.cache
    if cache.get("l1d_accesses"):
        extras.append(f"L1D {cache['l1d_misses']:,} misses / {cache['l1d_accesses']:,} accesses")
    if cache.get("l1i_accesses"):
        extras.append(f"L1I {cache['l1i_misses']:,} misses")
    if cache.get("l2_accesses"):
        extras.append(f"L2 {cache['l2_misses']:,} misses / {cache['l2_accesses']:,}")
    if cache.get("dram_bytes"):
        pct = result.dram_bandwidth_pct
        of = f" ({pct:.1f}% of the configured {result.dram_bandwidth:g})" if pct is not None else ""
        extras.append(f"DRAM {cache['dram_bytes']:,} bytes, {result.dram_bytes_per_cycle:.2f} bytes/cycle{of}")
    if cache.get("prefetches"):
        extras.append(f"prefetcher: {cache['prefetches']:,} lines, {cache['prefetch_hits']:,} used")
    if cache.get("mshr_wait"):
        extras.append(f"misses waited {cache['mshr_wait']:,} cycles for a free MSHR")
    vec = result.vector
    if vec.get("instructions"):
        busy = vec.get("busy_pct", {})
        parts = ", ".join(f"{p} {busy[p]:.1f}%" for p in ("arith", "permute", "memory", "tile")
                          if vec["busy"].get(p))
        extras.append(f"vector: {vec['instructions']:,} instructions; pipes busy {parts}")
    if result.flops:
        extras.append(f"FP work: {result.flops:,} FLOP, {result.flops_per_cycle:.3f} FLOP/cycle")
    if result.int_ops:
        extras.append(f"integer vector work: {result.int_ops:,} OP, {result.int_ops / max(1, c):.3f} OP/cycle")
    for e in extras:
        con.print(e)
    print_vector_waits(result, con)


def print_vector_waits(result: TimingResult, con) -> None:
    """Where the vector unit's time went: its waits by cause, and the scalar core's vector_queue stall
    by the cause that held the head of the queue (docs/timing.md section 4.7)."""
    from rich.table import Table
    vec = result.vector
    wait, full = vec.get("wait", {}), vec.get("queue_full", {})
    if not (any(wait.values()) or any(full.values())):
        return
    c = result.cycles or 1
    t = Table(show_edge=False, box=None, pad_edge=False)
    for col, just in (("vector unit waited on", "left"), ("cycles", "right"), ("% of cycles", "right"),
                      ("queue full", "right"), ("", "left")):
        t.add_column(col, justify=just)
    for w in sorted(VECTOR_WAITS, key=lambda w: -(wait.get(w, 0) + full.get(w, 0))):
        if wait.get(w) or full.get(w):
            t.add_row(w, f"{wait.get(w, 0):,}", f"{100.0 * wait.get(w, 0) / c:.1f}",
                      f"{full.get(w, 0):,}", VECTOR_WAIT_DESCRIPTIONS[w])
    con.print(t)


def annotate(result: TimingResult, program=None, file=None, top: int = 20, context: int = 0) -> None:
    """Source lines with their cycles and main stall cause, hottest first (needs by_line)."""
    from rich.markup import escape
    from rich.table import Table
    con = _console(file)
    total = result.cycles or 1
    lines = sorted(result.by_line.values(), key=lambda s: -s.cycles)
    sources: dict[str, list[str]] = {}

    def text_of(fname, ln):
        if fname not in sources:
            try:
                sources[fname] = Path(fname).read_text().splitlines()
            except OSError:
                sources[fname] = []
        src = sources[fname]
        return src[ln - 1].rstrip() if 0 < ln <= len(src) else ""

    t = Table(show_edge=False, box=None, pad_edge=False)
    for col, just in (("% cycles", "right"), ("cycles", "right"), ("count", "right"),
                      ("stall", "right"), ("cause", "left"), ("line", "right"), ("source", "left")):
        t.add_column(col, justify=just, no_wrap=col != "source")
    for s in lines[:top]:
        cause = s.main_cause or ""
        t.add_row(f"{100.0 * s.cycles / total:.1f}", f"{s.cycles:,}", f"{s.count:,}",
                  f"{s.stall_cycles:,}" if s.stall_cycles else "", cause, f"{Path(s.file).name}:{s.line}",
                  escape(text_of(s.file, s.line).strip()))
    con.print(t)
    if len(lines) > top:
        rest = sum(s.cycles for s in lines[top:])
        con.print(f"... {len(lines) - top} more lines, {rest:,} cycles ({100.0 * rest / total:.1f}%)")
