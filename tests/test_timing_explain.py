"""Where the vector unit's time goes (docs/timing.md section 4.7): its waits by cause, the scalar core's
vector_queue stall by the cause that held the queue's head, and integer operation counts.

Each program is built so that one cause should dominate; the counters must also add up to what the
pipeline trace shows independently (the start cycle of every vector instruction)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rvsim.asm import assemble
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.timing import VECTOR_WAITS, load_config

ROOT = Path(__file__).resolve().parent.parent
EXIT = """
    li a0, 0
    li a7, 93
    ecall
"""


def run(body: str, preset: str, data: str = ""):
    cfg = load_config(preset)
    src = ".text\n.globl _start\n_start:\n" + body + EXIT + (("\n.data\n" + data) if data else "")
    m = Machine("rv64gcv", vlen=cfg["vector"]["vlen"], env=LinuxEnvironment())
    t = m.enable_timing(cfg)
    m.load_elf(assemble(src, march="rv64gcv").to_elf())
    t.record_trace(200_000)
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0, info
    res = t.result()
    records = t.trace_records()
    return cfg, res, records


def start_span_from_trace(records) -> tuple[int, int]:
    """(cycles from the first vector start to the last, vector instructions) read off the trace."""
    starts = [r.start for r in records if r.vector]
    return starts[-1] - starts[0], len(starts)


def check_sums(cfg, res, records):
    """The start delays by cause plus one cycle per start make up the vector unit's start timeline;
    the queue-full causes make up the scalar core's vector_queue stall."""
    wait, full = res.vector["wait"], res.vector["queue_full"]
    span, n = start_span_from_trace(records)
    assert n == res.vector["instructions"]
    assert sum(wait.values()) + (n - 1) == pytest.approx(span, abs=len(VECTOR_WAITS))
    assert sum(full.values()) == res.stalls["vector_queue"]
    return wait, full


# A gather of 2 KiB blocks at pseudo-random places in 8 MiB (beyond x280's 256 KiB L2: every line misses;
# a stride prefetcher cannot follow an LCG), each block added into a register right after it arrives.
MISSES = """
    la s0, buf
    li s1, 2000                     # blocks
    li s2, 1103515245
    li s3, 12345
    li s4, 0x7ff800                 # 8 MiB, 2 KiB aligned
    vsetvli t0, x0, e32, m8, ta, ma
1:  mul s3, s3, s2
    addi s3, s3, 1
    and t1, s3, s4
    add t1, s0, t1
    vle32.v v8, (t1)
    vfadd.vv v16, v16, v8
    addi s1, s1, -1
    bnez s1, 1b
"""


def test_missing_loads_show_as_memory_waits():
    cfg, res, records = run(MISSES, "x280", data=".balign 4096\nbuf: .zero 8390656\n")
    assert res.cache["l2_misses"] > 1000
    wait, full = check_sums(cfg, res, records)
    assert max(wait, key=wait.get) == "memory"
    assert wait["memory"] > 0.5 * res.cycles
    if res.stalls["vector_queue"]:
        assert max(full, key=full.get) == "memory"


# A chain of multiply-adds into one accumulator: x280's vfma latency is 8, an m1 one holds the pipe 2.
CHAIN = """
    li s1, 500
    vsetvli t0, x0, e32, m1, ta, ma
1:  vfmacc.vv v8, v16, v24
    vfmacc.vv v8, v16, v24
    vfmacc.vv v8, v16, v24
    vfmacc.vv v8, v16, v24
    addi s1, s1, -1
    bnez s1, 1b
"""


def test_a_dependent_chain_shows_as_chaining():
    cfg, res, records = run(CHAIN, "x280")
    wait, full = check_sums(cfg, res, records)
    assert max(wait, key=wait.get) == "chaining"
    # each starts 8 cycles after the previous one (1 + 7 waiting): one per 8 cycles after a cold start
    assert wait["chaining"] == pytest.approx(2000 * 7, rel=0.01)
    assert res.cycles == pytest.approx(2000 * 8, rel=0.03)
    assert res.stalls["vector_queue"] > 0.5 * res.cycles
    assert full["chaining"] == res.stalls["vector_queue"]


# Independent m8 multiplies: each holds x280's one arithmetic pipe for 16 cycles.
PIPE = """
    li s1, 200
    vsetvli t0, x0, e32, m8, ta, ma
1:  vfmul.vv v8, v16, v24
    vfmul.vv v0, v16, v24
    addi s1, s1, -1
    bnez s1, 1b
"""


def test_independent_work_on_one_pipe_shows_as_pipe_busy():
    cfg, res, records = run(PIPE, "x280")
    wait, full = check_sums(cfg, res, records)
    assert max(wait, key=wait.get) == "pipe_busy"
    assert res.vector["busy_pct"]["arith"] > 90
    assert wait["pipe_busy"] == pytest.approx(400 * 15, rel=0.01)     # 1 + 15 cycles per start
    assert res.cycles == pytest.approx(400 * 16, rel=0.06)           # after a cold start


# A vector add after a chain of scalar divides (its scalar operand): the vector unit starves.
SCALAR = """
    li s1, 300
    li t1, 1000000
    li t2, 3
    vsetvli t0, x0, e32, m1, ta, ma
1:  div t1, t1, t2
    addi t1, t1, 1000
    vadd.vx v8, v16, t1
    addi s1, s1, -1
    bnez s1, 1b
"""


def test_a_vector_unit_waiting_for_scalar_operands_shows_as_scalar():
    cfg, res, records = run(SCALAR, "x280")
    wait, _ = check_sums(cfg, res, records)
    assert max(wait, key=wait.get) == "scalar"
    assert wait["scalar"] > 0.9 * res.cycles       # a 66-cycle divide per vadd


def test_integer_tile_operations_are_counted_as_operations():
    from rvsim.timing.bench import run_point
    p = run_point("zvt", 32, "x60")
    assert p.ok, p.error
    assert p.model_int_ops == 2 * 32 ** 3           # vtmms: 2 tm tn tk, covering C = A^T B exactly
    assert p.model_flops == 0


def test_report_stats_and_bench_show_the_breakdown(tmp_path):
    src = tmp_path / "miss.s"
    src.write_text(".option arch, +v\n.text\n.globl _start\n_start:\n" + MISSES + EXIT + "\n.data\n.balign 4096\nbuf: .zero 8390656\n")
    stats = tmp_path / "s.json"
    r = subprocess.run([sys.executable, "-m", "rvsim", "run", "--isa", "rv64gcv", "--vlen", "512",
                        "--timing", "x280", "--report", "--stats", str(stats), str(src)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "vector unit waited on" in r.stderr and "memory" in r.stderr
    d = json.loads(stats.read_text())["timing"]
    assert set(d["vector"]["wait"]) == set(VECTOR_WAITS)
    assert max(d["vector"]["wait"], key=d["vector"]["wait"].get) == "memory"
    r = subprocess.run([sys.executable, "-m", "rvsim", "profile", "--isa", "rv64gcv", "--vlen", "512",
                        "--timing", "x280", str(src)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "vector unit waited on" in r.stdout
    out = tmp_path / "b.json"
    r = subprocess.run([sys.executable, "-m", "rvsim", "bench", "--kernel", "rvv_fp32_m4", "--size", "16",
                        "--preset", "x60", "--no-cache", "--json", str(out)], capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "vector waits on" in r.stdout
    point = json.loads(out.read_text())[0]
    assert 0 < point["vector_busy"]["arith"] <= 100 and point["vector_wait"]
