"""The vector unit's memory accesses in the cycle model (docs/timing.md section 4.4, csrc/timing_memory.c
tm_vector_memory): which lines each access touches and what the caches do with them.

Oracle: a reference model of the caches written here (set-associative, least recently used, write-back
and write-allocate L1D, an L2 under it that the data never overflows), fed the same accesses in program
order.  It counts what the model's counters count, so that the model's fast paths (a one-line access; a
line that misses L1D and hits L2, taken without calls) and its general path (taken here with no MSHRs)
are each held to the same independent figures.  Scalar loads and stores between the vector accesses use
and replace the lines the scalar side found last, which a vector line that evicts them must forget.
"""
from __future__ import annotations

import io
import random

import pytest

from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.timing import load_config

LINE = 64
L1D_SETS, L1D_WAYS = 4, 4           # a 1 KiB L1D: vector accesses evict each other's lines all the time
L2 = {"size": 65536, "ways": 8, "line": LINE, "latency": 20}
BUF_BYTES = 16384


def x60(mshrs=4, l2=None, prefetch=False, write_back=True):
    """The x60 preset with a small L1D over an L2 (and no prefetcher, unless asked for)."""
    cfg = load_config("x60")
    cfg["memory"]["l1d"] = {"size": L1D_SETS * L1D_WAYS * LINE, "ways": L1D_WAYS, "line": LINE,
                            "write_back": write_back, "mshrs": mshrs}
    cfg["memory"]["l2"] = dict(L2, **(l2 or {}))
    cfg["memory"]["prefetch"] = {"enabled": prefetch}
    return cfg


def run(body: str, cfg, head: str = ""):
    """BODY (a0 = buf) on the x60 model with CFG (HEAD: before the program's first line); the model's
    totals."""
    src = (head + "    .globl _start\n_start:\n    la a0, buf\n" + body +
           "    li a0, 0\n    li a7, 93\n    ecall\n"
           f"    .data\n    .balign 4096\nbuf: .zero {BUF_BYTES}\n")
    m = Machine("rv64gcv", vlen=load_config("x60")["vector"]["vlen"],
                env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.enable_timing(cfg)
    m.load_asm(src, name="vmem.s")
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    return m.timing.totals()


class Caches:
    """L1D (L1D_SETS x L1D_WAYS, LRU; write-back and write-allocate, or write-through without
    allocation) over an L2 that only ever fills empty ways here (the data and code fit in it), counted
    as the model counts."""

    def __init__(self, write_back=True):
        self.write_back = write_back
        self.l1 = [[] for _ in range(L1D_SETS)]     # per set: [line, dirty], least recently used first
        self.l2 = set()
        self.n = dict(l1d_accesses=0, l1d_misses=0, l2_accesses=0, l2_misses=0, writebacks=0)

    def l2_access(self, line):
        self.n["l2_accesses"] += 1
        if line not in self.l2:
            self.n["l2_misses"] += 1
            self.l2.add(line)

    def access(self, line, write):
        s = self.l1[line % L1D_SETS]
        self.n["l1d_accesses"] += 1
        for e in s:
            if e[0] == line:
                s.remove(e)
                s.append([line, e[1] or (write and self.write_back)])
                if write and not self.write_back:
                    self.l2_access(line)        # (written through)
                return
        self.n["l1d_misses"] += 1
        if write and not self.write_back:
            self.l2_access(line)                # (written through, not allocated)
            return
        if len(s) == L1D_WAYS:
            old, dirty = s.pop(0)
            if dirty:
                self.n["writebacks"] += 1
                self.l2_access(old)         # (a write-back: a hit, the line came through L2)
        self.l2_access(line)                # the line's data (also for a store: write-allocate)
        s.append([line, write])

    def vector(self, off, nbytes, write):
        """A unit-stride access of nbytes at buf + off: every line it touches, in order."""
        for line in range(off // LINE, (off + nbytes - 1) // LINE + 1):
            self.access(BUF_LINE0 + line, write)


BUF_LINE0 = 1 << 40     # (the reference model's lines of buf: any numbering apart from code lines works)

# vtype settings (AVL, SEW, LMUL) and the bytes an access moves: one line at most (m1, e32: 32
# bytes; 5 bytes of e8), or two or three (m2 and m4 at e32: 64 and 128 bytes)
SHAPES = [(8, "e32", "m1", 32), (5, "e8", "m1", 5), (16, "e32", "m2", 64), (32, "e32", "m4", 128)]


def program(seed: int, count: int, write_back=True):
    """COUNT accesses, vector and scalar, at random places of buf (with offsets that end a vector access
    exactly at a line's end, or one element past it); the assembly and the reference model's counts."""
    rng = random.Random(seed)
    ref = Caches(write_back)
    lines = []
    shape = None
    for _ in range(count):
        kind = rng.random()
        if kind < 0.25:
            off = rng.randrange(0, BUF_BYTES, 4)
            write = rng.random() < 0.5
            lines.append(f"    li t1, {off}\n    add t1, a0, t1\n    {'sw t2' if write else 'lw t2'}, 0(t1)\n")
            ref.access(BUF_LINE0 + off // LINE, write)
            continue
        avl, sew, lmul, nbytes = rng.choice(SHAPES)
        if shape != (avl, sew, lmul):
            lines.append(f"    li t4, {avl}\n    vsetvli zero, t4, {sew}, {lmul}, ta, ma\n")
            shape = (avl, sew, lmul)
        unit = 1 if sew == "e8" else 4
        within = rng.choice([0, LINE - nbytes % LINE if nbytes < LINE else 0, LINE - nbytes % LINE + unit,
                             rng.randrange(0, LINE, unit)])
        base = rng.randrange(0, BUF_BYTES - 2 * LINE - nbytes, LINE)
        off = base + within
        write = rng.random() < 0.4
        op = ("vse" if write else "vle") + sew[1:] + ".v"
        lines.append(f"    li t1, {off}\n    add t1, a0, t1\n    {op} v8, (t1)\n")
        ref.vector(off, nbytes, write)
    return "".join(lines), ref


@pytest.mark.parametrize("mshrs,write_back", [(4, True), (0, True), (4, False)])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vector_lines_count_as_a_reference_cache_counts(seed, mshrs, write_back):
    """The counters after a random mix of vector and scalar accesses equal the reference model's; the
    L2 also serves the instruction fetches that missed L1I (their lines apart from the data's).  With
    MSHRs the vector lines that miss L1D and hit L2 take the model's fast path (loads only, when L1D
    writes through); with none (unlimited), its general path."""
    body, ref = program(seed, 400, write_back)
    got = run(body, x60(mshrs=mshrs, write_back=write_back))["cache"]
    fetch_misses = got["l1i_misses"]
    want = dict(ref.n)
    want["l2_accesses"] += fetch_misses
    want["l2_misses"] += fetch_misses
    assert {k: got[k] for k in want} == want
    assert got["prefetches"] == got["prefetch_hits"] == 0


def test_one_line_or_two():
    """An m1 load of 32 bytes that ends exactly at a line's end touches one line; four bytes later it
    touches two (hand count: the first access of each line misses, nothing else does)."""
    body = ("    vsetivli zero, 8, e32, m1, ta, ma\n"
            "    addi t1, a0, 32\n    vle32.v v8, (t1)\n"         # line 0
            "    addi t1, a0, 96\n    vle32.v v8, (t1)\n"         # line 1
            "    addi t1, a0, 164\n    vle32.v v8, (t1)\n")       # lines 2 and 3
    got = run(body, x60())["cache"]
    assert got["l1d_accesses"] == 4 and got["l1d_misses"] == 4
    assert got["l2_accesses"] - got["l1i_misses"] == 4


def test_vector_misses_wait_for_a_free_mshr():
    """Eight vector loads of eight lines that L2 holds (brought in by scalar loads, then evicted from the
    16-line L1D by 16 more, the last of which is waited for): with eight MSHRs they go at once, with one
    each waits for the one before, L2's latency from its request.  The loads are issued a few cycles apart
    (their 32 bytes take the 16-byte memory port two cycles, and an addi comes between), so the k-th
    waits k latencies less at most 4 cycles each: the waits add up to 1 + 2 + ... + 7 = 28 latencies
    less at most 4 cycles each."""
    warm = "".join(f"    ld t2, {LINE * i}(a0)\n" for i in range(8))
    evict = "".join(f"    ld t2, {LINE * i}(t3)\n" for i in range(16))    # lines 64 .. 79: 4 a set
    prefix = ("    vsetivli zero, 8, e32, m1, ta, ma\n" + warm + "    li t3, 4096\n    add t3, a0, t3\n" + evict +
              "    add t5, t5, t2\n    .balign 64\n")
    # (in one code line: no instruction fetch misses between them)
    loads = "".join(f"    addi t1, a0, {LINE * i}\n    vle32.v v{8 + i}, (t1)\n" for i in range(8))
    lat = L2["latency"]
    added = {}
    for mshrs in (1, 8):
        before, after = run(prefix, x60(mshrs=mshrs)), run(prefix + loads, x60(mshrs=mshrs))
        assert after["cache"]["l1d_misses"] - before["cache"]["l1d_misses"] == 8
        data_l2_misses = [r["cache"]["l2_misses"] - r["cache"]["l1i_misses"] for r in (before, after)]
        assert data_l2_misses[0] == data_l2_misses[1]      # (L2 holds the eight lines)
        added[mshrs] = after["cache"]["mshr_wait"] - before["cache"]["mshr_wait"]
    assert added[8] == 0
    assert 28 * (lat - 4) <= added[1] <= 28 * lat


def test_a_vector_line_evicting_the_scalar_line_found_last():
    """A scalar load remembers its line as found last; four vector loads of other lines of its L1D set
    evict it (it is the least recently used); the same scalar load again misses (hand count: six
    misses, one for each access)."""
    stride = L1D_SETS * LINE        # the next line of the same set
    body = ("    vsetivli zero, 8, e32, m1, ta, ma\n    lw t2, 0(a0)\n" +
            "".join(f"    li t1, {stride * k}\n    add t1, a0, t1\n    vle32.v v8, (t1)\n" for k in range(1, 5)) +
            "    lw t2, 0(a0)\n")
    got = run(body, x60())["cache"]
    assert got["l1d_accesses"] == 6 and got["l1d_misses"] == 6


def test_vector_lines_found_in_every_way_of_an_l2_set():
    """Eight lines of one L2 set (an 8-way L2 of 16 sets; the code lives in other sets) brought in by
    scalar loads, pushed out of L1D (they share its one 4-way set) and loaded again by vector loads:
    each misses L1D and hits L2, whatever way of the set holds it (hand count)."""
    l2 = {"size": 8 * 16 * LINE}
    far = 1024                                  # 16 lines: the same L2 set, the same L1D set
    warm = "".join(f"    li t1, {far * k}\n    add t1, t3, t1\n    ld t2, 0(t1)\n" for k in range(8))
    loads = "".join(f"    li t1, {far * k}\n    add t1, t3, t1\n    vle32.v v8, (t1)\n" for k in range(8))
    # code from an address with L2 set 0 (a few lines: sets 0 .. 3); the data's lines in set 8
    head = "    .text\n    .balign 1024\n"
    # (then two lines of other sets: L2's two lines found last are not among the eight)
    prefix = ("    vsetivli zero, 8, e32, m1, ta, ma\n    addi t3, a0, 512\n" + warm +
              "    ld t2, 64(t3)\n    ld t2, 128(t3)\n")
    before = run(prefix, x60(l2=l2), head)["cache"]
    after = run(prefix + loads, x60(l2=l2), head)["cache"]
    assert after["l1d_misses"] - before["l1d_misses"] == 8
    assert after["l2_accesses"] - before["l2_accesses"] == 8 + after["l1i_misses"] - before["l1i_misses"]
    assert after["l2_misses"] - before["l2_misses"] == after["l1i_misses"] - before["l1i_misses"]
    assert before["l2_misses"] - before["l1i_misses"] == 8 + 2
