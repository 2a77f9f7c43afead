"""The vector unit of the cycle model against its documented formulas (docs/timing.md section 4), the
kernels of asm/ on the model, and the Ara-like preset's matmul utilisation curve.

The micro-kernels run on the teach preset (single issue, perfect memory) with a vector unit whose
parameters make the arithmetic easy to follow: VLEN 256, one 128-bit arithmetic pipe (an e32 register
takes 2 cycles), vfma latency 4, vector loads latency 2, issue latency 1.
"""
import copy
import os

import pytest

from rvsim.asm import assemble
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.timing import parse_config
from rvsim.timing.bench import KERNELS, run_point

EXIT = """
    li a0, 0
    li a7, 93
    ecall
"""


def vector_config(chaining=True, **vector):
    import tomllib
    from rvsim.timing.config import PRESET_DIR
    data = tomllib.loads((PRESET_DIR / "teach.toml").read_text())
    data["vector"] = {
        "enabled": True, "vlen": 256, "dlen": 128, "queue_depth": 4, "issue_latency": 1,
        "chaining": chaining, "acc_latency": 0,
        "pipes": {"arith": 1, "permute": 1, "memory": 1},
        "width": {"arith": 128, "memory": 128},
        "latency": {"vfma": 4, "vfalu": 4, "vload": 2, "vstore": 1},
        "strided_cycles": 1,
    }
    data["vector"].update(copy.deepcopy(vector))
    return parse_config(data)


def run(body: str, cfg, data: str = ""):
    src = "    .globl _start\n_start:\n" + body + EXIT + (("\n    .data\n" + data) if data else "")
    prog = assemble(src, march="rv64gcv")
    m = Machine("rv64gcv", vlen=256, env=LinuxEnvironment())
    t = m.enable_timing(cfg)
    m.load_elf(prog.to_elf())
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    return t.result(prog)


@pytest.mark.parametrize("lmul", [1, 2, 4, 8])
@pytest.mark.parametrize("chaining", [True, False])
def test_dependent_vfmacc_chain_at_each_lmul(lmul, chaining):
    # vsetvli issues at 0; the four vfmacc.vv (each accumulating into v8, so each depends on the one
    # before) issue at 1..4.  Section 4.2: o = ceil(vl * SEW / DLEN) = ceil(8 LMUL * 32 / 128) = 2 LMUL.
    # Section 4.3: the first starts at issue + issue_latency = 2.  A dependent one may start
    #   with chaining:    s(p) + L                        (its first group is ready),
    #                     but not before the pipe is free: s(p) + o          -> every max(L, o) cycles
    #   without chaining: s(p) + o - 1 + L (the whole result)               -> every o - 1 + L cycles.
    # The last completes at s + o - 1 + L; the scalar exit (3 instructions) is done by cycle 8.
    o, L, k = 2 * lmul, 4, 4
    step = max(L, o) if chaining else o - 1 + L
    expected = 2 + (k - 1) * step + o - 1 + L
    body = f"    vsetvli t0, zero, e32, m{lmul}, ta, ma\n" + "    vfmacc.vv v8, v16, v24\n" * k
    r = run(body, vector_config(chaining=chaining))
    assert r.cycles == expected
    assert r.flops == k * 8 * lmul * 2
    assert r.vector["busy"]["arith"] == k * o


def test_independent_vfmacc_fill_the_pipe():
    # four independent vfmacc at m1 (o = 2): starts 2, 4, 6, 8; the last completes at 8 + 2 - 1 + 4
    body = "    vsetvli t0, zero, e32, m1, ta, ma\n" + "".join(
        f"    vfmacc.vv v{d}, v16, v24\n" for d in range(4))
    r = run(body, vector_config())
    assert r.cycles == 8 + 2 - 1 + 4


BUF = "buf: .zero 1024\n"


@pytest.mark.parametrize("chaining", [True, False])
def test_strided_load_one_element_per_cycle(chaining):
    # la (2 instructions), li, vsetvli issue at 0..3; vlse32 issues at 4 and starts at 5.
    # Section 4.2: strided occupancy = vl * strided_cycles = 8.  It completes at 5 + 8 - 1 + 2 = 14
    # (every element's line arrives at its own cycle + 2: no later than that).
    # The dependent vfadd (o = 2, L = 4) may start, with chaining, at max(5 + 2, 14 + 1 - 2) = 13
    # (not so early that it would overtake the load), without chaining at 14; it completes 2 - 1 + 4
    # cycles after its start.
    body = """
    la a0, buf
    li a1, 64
    vsetvli t0, zero, e32, m1, ta, ma
    vlse32.v v8, (a0), a1
    vfadd.vv v16, v8, v8
"""
    r = run(body, vector_config(chaining=chaining), BUF)
    start = 13 if chaining else 14
    assert r.cycles == start + 2 - 1 + 4
    assert r.vector["busy"]["memory"] == 8


def test_unit_stride_load_is_bytes_over_width():
    # the same, unit stride: 32 bytes over a 128-bit port = 2 cycles: completes at 5 + 2 - 1 + 2 = 8;
    # the chained vfadd starts at max(5 + 2, 8 + 1 - 2) = 7 and completes at 7 + 2 - 1 + 4 = 12
    body = """
    la a0, buf
    li a1, 64
    vsetvli t0, zero, e32, m1, ta, ma
    vle32.v v8, (a0)
    vfadd.vv v16, v8, v8
"""
    r = run(body, vector_config(), BUF)
    assert r.cycles == 12
    assert r.vector["busy"]["memory"] == 2


def test_fractional_memory_occupancy_adds_up():
    # section 4.2: the memory pipe is busy bytes / width plus `extra`, in quarter cycles.  Eight
    # independent 8-byte loads (vle32 at vl = 2) with extra = 0.25 cycles: 0.5 + 0.25 = 0.75 each, but
    # at most one vector instruction starts per cycle, so they start at 5..12 and the last completes
    # at 12 + 1 - 1 + 2 = 14, before the scalar exit's last instruction (15 instructions: cycle 15).
    # With extra = 1.0 the pipe is the limit: 1.5 cycles each, starts at 5, 6.5, 8, ... 15.5 (quarter
    # cycles are kept, not rounded per instruction); the last completes at 15.5 + 1.5 - 1 + 2 = 18.
    body = "    la a0, buf\n    li a1, 2\n    vsetvli t0, a1, e32, m1, ta, ma\n" + "".join(
        f"    vle32.v v{d}, (a0)\n" for d in range(8, 16))
    r = run(body, vector_config(queue_depth=16, extra={"vload": 0.25}), BUF)
    assert r.cycles == 15
    assert r.vector["busy"]["memory"] == 6          # 8 x 0.75
    r = run(body, vector_config(queue_depth=16, extra={"vload": 1.0}), BUF)
    assert r.cycles == 18
    assert r.vector["busy"]["memory"] == 12         # 8 x 1.5


# ------------------------------------------------------------------ the kernels of asm/

@pytest.mark.parametrize("name", sorted(KERNELS))
def test_kernel_runs_deterministically_under_teach(name):
    kernel = KERNELS[name]
    n = 8 if kernel.multiple <= 8 else kernel.multiple
    first = run_point(name, n, "teach")
    assert first.ok, first.error
    assert first.region == "kernel"
    assert first.cycles > 0 and first.instructions > 0
    second = run_point(name, n, "teach")
    assert (second.cycles, second.instructions, second.stalls) == \
        (first.cycles, first.instructions, first.stalls)


@pytest.mark.parametrize("name", ["rvv_fp32_m4", "gemv", "conv2d"])
def test_vector_kernels_run_deterministically_on_x60(name):
    a, b = run_point(name, 16, "x60"), run_point(name, 16, "x60")
    assert a.ok and b.ok
    assert a.cycles == b.cycles and a.model_flops == b.model_flops


def test_kernel_checks_catch_a_wrong_result():
    # the self-check of a kernel is not vacuous: corrupt one element of C at kernel_end
    import io
    from rvsim.asm import assemble_files
    from rvsim.timing.bench import asm_dir
    prog = assemble_files([str(asm_dir() / "matmul_rvv_fp32.s")], defsym={"N": 12}, march="rv64gcv")
    out = io.BytesIO()
    m = Machine("rv64gcv", env=LinuxEnvironment(stdout=out))
    m.load_elf(prog.to_elf())
    m.add_breakpoint("kernel_end")
    assert m.run().reason is StopReason.BREAKPOINT
    m.memory[m.symbols["C"] + 4 * 30 + 3 - m.memory_base] ^= 0x01
    m.remove_breakpoint("kernel_end")
    info = m.run()
    assert info.exit_code == 1 and b"FAILED" in out.getvalue()


# ------------------------------------------------------------------ Ara's fmatmul

ARA_SIZES = (16, 32, 64, 128, 256)


@pytest.fixture(scope="module")
def ara_curve():
    return {n: run_point("rvv_fp32_blocked", n, "ara") for n in ARA_SIZES}


def test_ara_fmatmul_utilisation_above_90_percent_for_large_matrices(ara_curve):
    # Ara (arXiv 2210.08882): > 98.5% FPU utilisation on large fmatmul
    big = ara_curve[ARA_SIZES[-1]]
    assert big.ok
    assert big.peak == 16.0             # 4 lanes x 64-bit FPU = 8 fp32 FMA per cycle
    assert big.utilisation > 0.90


def test_ara_fmatmul_falls_off_for_small_matrices(ara_curve):
    # short vectors: the single-issue scalar core cannot issue the loads and vfmacc fast enough
    util = [ara_curve[n].utilisation for n in ARA_SIZES]
    assert all(a < b for a, b in zip(util, util[1:]))
    assert util[0] < 0.5


def test_bench_command_writes_csv_and_json(tmp_path, capsys):
    import csv
    import json
    from rvsim.timing.bench import main_bench
    out_csv, out_json = tmp_path / "b.csv", tmp_path / "b.json"
    rc = main_bench(["--kernel", "fp32", "--kernel", "rvv_fp32_m2", "--size", "8", "--size", "12",
                     "--preset", "teach", "--preset", "x60", "--jobs", "2",
                     "--csv", str(out_csv), "--json", str(out_json)])
    assert rc == 0
    rows = list(csv.DictReader(out_csv.open()))
    points = json.loads(out_json.read_text())
    assert len(rows) == len(points) == 8
    assert {(p["kernel"], p["preset"], p["n"]) for p in points} == {
        (k, p, n) for k in ("fp32", "rvv_fp32_m2") for p in ("teach", "x60") for n in (8, 12)}
    for p in points:
        assert p["ok"] and p["cycles"] > 0 and p["work"] == 2 * p["n"] ** 3
        assert p["region"] == "kernel"
    # the same point twice gives the same cycles (worker processes or not)
    again = run_point("rvv_fp32_m2", 12, "x60")
    assert again.cycles == next(p["cycles"] for p in points
                                if (p["kernel"], p["preset"], p["n"]) == ("rvv_fp32_m2", "x60", 12))
    assert "rvv_fp32_m2" in capsys.readouterr().out


def test_bench_plot_draws_cycles_and_work_per_cycle(tmp_path):
    """`rvsim bench --plot` (the `plot` extra, installed with the test extra): a PNG with both panels."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if os.environ.get("RVSIM_REQUIRE_TOOLS") == "1":
            pytest.fail("matplotlib is missing (the test extra installs it); RVSIM_REQUIRE_TOOLS=1 requires it")
        pytest.skip("matplotlib is not installed (pip install -e '.[test]')")
    from rvsim.timing.bench import main_bench
    png = tmp_path / "b.png"
    rc = main_bench(["--kernel", "saxpy", "--kernel", "gemv", "--size", "32", "--size", "64",
                     "--preset", "x60", "--jobs", "1", "--plot", str(png)])
    assert rc == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 2 * height > 400            # two panels side by side
