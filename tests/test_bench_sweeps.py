"""``rvsim bench`` sweeps: any kernel (assembly with --defsym, ELF, Python callable), parameter grids over
preset keys, the result cache (resume, re-run, --no-cache), a Dask LocalCluster (same results as local, a
killed worker loses no point), DataFrame export and plots."""
from __future__ import annotations

import io
import json
import os
import signal

import pytest

from rvsim.timing.bench import (BenchError, CallableSource, main_bench, parse_grid, plan, run_sweep, sweep)
from rvsim.timing.cache import ResultCache

pd = pytest.importorskip("pandas") if os.environ.get("RVSIM_REQUIRE_TOOLS") != "1" else __import__("pandas")


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("RVSIM_CACHE_DIR", str(d))
    return d


def _asm(name):
    from rvsim.timing.bench import asm_dir
    return str(asm_dir() / name)


# ------------------------------------------------------------------ grids

def test_grid_values_take_the_parameter_type_and_size_suffixes():
    grid = parse_grid(["vector.width.arith=128,256,512", "memory.l1d.size=16K,32K,64K",
                       "vector.chaining=true,false", "vector.masked_factor=1,2.5"])
    assert grid == {"vector.width.arith": [128, 256, 512], "memory.l1d.size": [16384, 32768, 65536],
                    "vector.chaining": [True, False], "vector.masked_factor": [1.0, 2.5]}


@pytest.mark.parametrize("item, words", [
    ("vector.widht.arith=128", ["vector.widht.arith", "valid keys"]),
    ("vector.width=128", ["is a table", "arith"]),
    ("memory.l1d.size=big", ["not a int"]),
    ("core.issue_width", ["KEY=VALUE"]),
])
def test_bad_grid_items_are_clear_errors(item, words):
    with pytest.raises(BenchError) as e:
        parse_grid([item])
    for w in words:
        assert w in str(e.value)


def test_settings_apply_before_defaults_so_derived_widths_follow():
    from rvsim.timing.bench import Built, apply_settings, peak_per_cycle
    from rvsim.timing.config import load_config
    base = load_config("x60")
    cfg = apply_settings("x60", {"vector.dlen": 256})
    assert cfg["vector"]["dlen"] == 256 and cfg["vector"]["width"]["arith"] in (0, 256)   # 0: DLEN
    fp32 = Built(b"", "", fp=True, sew=32, vector=True)
    assert peak_per_cycle(base, fp32) == 2 * 128 / 32 * 2
    assert peak_per_cycle(cfg, fp32) == 2 * 256 / 32 * 2
    assert cfg["vector"]["width"]["memory"] == 128          # the preset names it: it stays
    assert apply_settings("x60", {}) == base
    assert apply_settings("x60", {})["name"] == "x60"


def test_an_impossible_setting_names_the_parameter():
    with pytest.raises(BenchError, match="issue_width"):
        plan(["int32"], [8], ["x60"], parse_grid(["core.issue_width=9"]))


def test_plan_is_the_cartesian_product_and_builds_each_program_once(monkeypatch):
    from rvsim.timing import bench
    builds = []
    real = bench.AsmSource.build

    def counting(self, size, defsym, store=None):
        builds.append((self.name, size, tuple(sorted(defsym.items()))))
        return real(self, size, defsym, store)
    monkeypatch.setattr(bench.AsmSource, "build", counting)
    grid = parse_grid(["vector.width.arith=128,256,512", "memory.l1d.size=16K,32K,64K"])
    pts = plan([_asm("matmul_rvv_fp32.s")], [8, 16], ["x60", "c908"], grid, {"LMUL": [1, 2]})
    assert len(pts) == 2 * 2 * 2 * 9
    assert len(builds) == 4                       # sizes x LMUL
    assert len({p.key for p in pts}) == len(pts)   # every point has its own key
    widths = {(p.settings["vector.width.arith"], p.config["vector"]["width"]["arith"]) for p in pts}
    assert widths == {(w, w) for w in (128, 256, 512)}
    assert {p.settings["defsym.LMUL"] for p in pts} == {1, 2}


# ------------------------------------------------------------------ kernels of every kind

def test_assembly_elf_and_callable_kernels(tmp_path, cache_dir):
    from rvsim.asm import assemble_files
    src = _asm("saxpy_rvv.s")
    elf = tmp_path / "saxpy.elf"
    elf.write_bytes(assemble_files([src], defsym={"N": 64}, march="rv64gcv").to_elf())

    def build(n):
        return assemble_files([src], defsym={"N": n}, march="rv64gcv")
    points = sweep([src, str(elf), CallableSource(build, name="built")], sizes=[64], presets=["x60"],
                   frame=False, jobs=1)
    assert [p.kernel for p in points] == ["saxpy_rvv.s", "saxpy.elf", "built"]
    assert all(p.ok and p.region == "kernel" and p.cycles > 0 for p in points), points
    # the same program: the same cycles (the ELF ignores its size argument: N is assembled in)
    assert len({p.cycles for p in points}) == 1
    assert points[0].model_flops == 2 * 64


def test_region_is_timed_and_the_self_check_still_runs(cache_dir):
    [p] = sweep(["rvv_fp32_m2"], sizes=[12], presets=["x60"], frame=False, jobs=1)
    assert p.ok and p.region == "kernel"
    assert p.model_flops == 2 * 12 ** 3          # only the kernel's FP work is in the region


def test_a_failing_kernel_is_reported_not_raised(tmp_path, cache_dir):
    bad = tmp_path / "bad.s"
    bad.write_text(".globl _start\n_start:\n  li a0, 3\n  li a7, 93\n  ecall\n")
    [p] = sweep([str(bad)], presets=["teach"], frame=False, jobs=1)
    assert not p.ok and "exit code 3" in p.error and p.region == "program"
    with pytest.raises(BenchError, match="unknown kernel"):
        sweep(["no_such_kernel"], frame=False)


# ------------------------------------------------------------------ the cache

def test_cache_serves_a_rerun_and_no_cache_measures_again(tmp_path):
    args = dict(kernels=["int32", "gemv"], sizes=[8, 16], presets=["teach"],
                grid={"core.latency.load": [2, 3]}, jobs=2)
    first = sweep(cache=tmp_path, **args)
    assert len(first) == 8 and not first["cached"].any() and first["ok"].all()
    second = sweep(cache=tmp_path, **args)
    assert second["cached"].all()
    cols = [c for c in first.columns if c != "cached"]
    pd.testing.assert_frame_equal(first[cols], second[cols])
    third = sweep(cache=tmp_path, use_cache=False, **args)
    assert not third["cached"].any()
    pd.testing.assert_frame_equal(first[cols], third[cols])
    # the load latency is part of the key and changes the cycles of the int32 kernel
    c = first[first.kernel == "int32"].groupby("core.latency.load")["cycles"].first()
    assert c[2] != c[3]


def test_key_follows_program_bytes_parameters_and_version(monkeypatch):
    from rvsim.timing import cache
    from rvsim.timing.config import load_config
    cfg = load_config("x60")
    k = cache.point_key(b"elf", "rv64gcv", cfg)
    assert cache.point_key(b"elf", "rv64gcv", cfg) == k
    assert cache.point_key(b"elg", "rv64gcv", cfg) != k
    cfg2 = json.loads(json.dumps(cfg))
    cfg2["memory"]["l1d"]["ways"] = 8
    assert cache.point_key(b"elf", "rv64gcv", cfg2) != k
    monkeypatch.setattr(cache, "rvsim_version", lambda: "99.0")
    assert cache.point_key(b"elf", "rv64gcv", cfg) != k


class _StopAfter:
    """A progress sink that interrupts the sweep (as Ctrl-C would) after n measured points."""

    def __init__(self, n):
        self.n, self.measured, self.cached = n, 0, 0

    def start(self, total, cached):
        self.cached = cached

    def advance(self, pp):
        self.measured += 1
        if self.measured == self.n:
            raise KeyboardInterrupt

    def stop(self):
        pass


def test_an_interrupted_sweep_resumes_without_recomputing(tmp_path):
    grid = {"core.latency.load": [2, 3, 4]}
    pts = plan(["int32", "fp32"], [8, 12], ["teach"], grid)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(pts, cache=tmp_path, jobs=1, progress=_StopAfter(5))
    with ResultCache(tmp_path) as c:
        assert len(c) == 5
    resumed = _StopAfter(10 ** 9)
    points = run_sweep(pts, cache=tmp_path, jobs=1, progress=resumed)
    assert resumed.cached == 5 and resumed.measured == len(pts) - 5
    assert sum(p.cached for p in points) == 5 and all(p.ok for p in points)


# ------------------------------------------------------------------ Dask

@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("dask.distributed") if os.environ.get("RVSIM_REQUIRE_TOOLS") != "1" \
        else __import__("dask.distributed").distributed
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_cluster_gives_the_local_results(tmp_path, dask_client):
    args = dict(kernels=["rvv_fp32_m4", "conv2d"], sizes=[8, 16], presets=["x60"],
                grid={"vector.width.arith": [128, 256], "memory.l1d.size": [16384, 32768]})
    local = sweep(use_cache=False, jobs=1, **args)
    remote = sweep(cache=tmp_path, dask=dask_client, **args)
    assert len(remote) == 16 and remote["ok"].all()
    cols = [c for c in local.columns if c != "cached"]
    pd.testing.assert_frame_equal(local[cols], remote[cols])
    with ResultCache(tmp_path) as c:
        assert len(c) == 16                        # streamed into the cache


def test_a_killed_worker_loses_no_point(tmp_path, dask_client):
    pts = plan(["rvv_fp32_blocked", "gemv"], [32, 64], ["x60", "c908"],
               {"vector.queue_depth": [4, 8, 16]})
    pids = dask_client.run(os.getpid)              # {worker address: pid}
    victim = sorted(pids.values())[0]

    class KillOne(_StopAfter):
        def advance(self, pp):
            self.measured += 1
            if self.measured == 2:
                os.kill(victim, signal.SIGKILL)   # a worker dies with points in flight
    sink = KillOne(0)
    points = run_sweep(pts, cache=tmp_path, dask=dask_client, progress=sink)
    assert len(points) == len(pts) == 24 and all(p.ok for p in points)
    assert victim not in dask_client.run(os.getpid).values()      # the nanny started a new worker
    reference = {pp.key: p.cycles for pp, p in zip(pts, run_sweep(pts, use_cache=False, jobs=1))}
    assert {p.key: p.cycles for p in points} == reference


# ------------------------------------------------------------------ results as data

def test_frame_columns_export_and_plots(tmp_path, cache_dir):
    pytest.importorskip("matplotlib")
    out = tmp_path / "points.parquet"
    rc = main_bench(["--kernel", "saxpy", "--kernel", "rvv_fp32_m4", "--size", "64", "--preset", "x60",
                     "--set", "vector.width.arith=128,256", "--set", "memory.dram.bandwidth=4,16",
                     "--out", str(out), "--plot-against", "vector.width.arith", str(tmp_path / "a.png"),
                     "--roofline", str(tmp_path / "r.png"), "-q"])
    assert rc == 0
    df = pd.read_parquet(out)
    assert len(df) == 8
    for col in ("kernel", "size", "preset", "vector.width.arith", "memory.dram.bandwidth", "cycles",
                "instructions", "ipc", "stall_dep_vector", "stall_dcache", "flops_per_cycle", "utilisation",
                "dram_bytes_per_cycle", "flops_per_dram_byte", "vbusy_arith"):
        assert col in df.columns, col
    sax = df[df.kernel == "saxpy"]
    assert (sax.flops == 128).all() and (sax.dram_bytes > 0).all()
    # saxpy is bandwidth-bound: more DRAM bandwidth, fewer cycles
    by_bw = sax.groupby("memory.dram.bandwidth")["cycles"].mean()
    assert by_bw[16] < by_bw[4]
    from rvsim.timing.bench import plot_against
    plot_against(df, "size", tmp_path / "s.png")
    for png in ("a.png", "r.png", "s.png"):
        assert (tmp_path / png).read_bytes()[:4] == b"\x89PNG"
    for ext in ("csv", "json"):
        assert main_bench(["--kernel", "saxpy", "--size", "64", "--preset", "x60", "-q",
                           "--out", str(tmp_path / f"p.{ext}")]) == 0
    assert len(pd.read_csv(tmp_path / "p.csv")) == 1
    assert json.loads((tmp_path / "p.json").read_text())[0]["kernel"] == "saxpy"


def test_cli_errors_are_clear(capsys, cache_dir):
    with pytest.raises(SystemExit) as e:
        main_bench(["--kernel", "asm/i8dot.s"])
    assert e.value.code == 2 and "unknown kernel 'asm/i8dot.s'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main_bench(["--kernel", "int32", "--set", "memory.l1d.sise=4K"])
    assert "memory.l1d.sise" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main_bench(["--kernel", "int32", "--out", "x.xlsx", "--size", "8", "--preset", "teach", "-q"])
    assert ".csv, .json or .parquet" in capsys.readouterr().err


def test_cli_runs_on_a_local_dask_cluster_and_then_from_the_cache(tmp_path, capsys):
    pytest.importorskip("dask.distributed") if os.environ.get("RVSIM_REQUIRE_TOOLS") != "1" else None
    argv = ["--kernel", "gemv", "--size", "16", "--preset", "x60", "--set", "vector.queue_depth=2,8",
            "--cache", str(tmp_path), "--dask", "local:2", "--out", str(tmp_path / "p.csv")]
    assert main_bench(argv) == 0
    err = capsys.readouterr().err
    assert "2 points, 2 measured, 0 from the cache" in err
    assert main_bench(argv) == 0                   # no cluster is started for a sweep that is all cached
    assert "2 points, 0 measured, 2 from the cache" in capsys.readouterr().err
    assert len(pd.read_csv(tmp_path / "p.csv")) == 2


def test_ctrl_c_stops_the_workers_and_the_same_command_resumes(tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while worker processes run:
    exit status 130, no traceback, the finished points stay in the cache, and the same command resumes."""
    import sqlite3
    import subprocess
    import sys
    import time
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    argv = [sys.executable, "-m", "rvsim", "bench", "--kernel", "rvv_fp32_blocked", "--kernel", "gemv",
            "--size", "128", "--size", "256", "--preset", "x60", "--set", "vector.queue_depth=1,2,3,4",
            "--set", "core.latency.load=2,3,4", "--jobs", "2", "--cache", str(tmp_path), "-q"]
    env = dict(os.environ, PYTHONPATH=str(root))
    proc = subprocess.Popen(argv, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    db = tmp_path / "bench.sqlite"
    done = 0
    deadline = time.monotonic() + 300
    while done < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(str(db)) as con:
                    done = con.execute("SELECT COUNT(*) FROM points").fetchone()[0]
            except sqlite3.OperationalError:
                pass
    assert proc.poll() is None, "the sweep ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert b"interrupted" in err and b"Traceback" not in err
    with ResultCache(tmp_path) as c:
        stored = len(c)
    assert 2 <= stored < 48
    again = subprocess.run(argv, cwd=root, env=env, capture_output=True, timeout=600)
    assert again.returncode == 0
    assert f"48 points, {48 - stored} measured, {stored} from the cache".encode() in again.stderr


def test_fast_forward_runs_the_setup_functional_and_starts_the_region_cold():
    """By default the model runs through the setup, so the region finds the data it wrote in the caches;
    --fast-forward keeps the model off until kernel_begin: same instructions, more cycles (cold misses),
    and a point of its own in the cache."""
    warm = sweep(["rvv_fp32_m4"], sizes=[16], presets=["x60"], use_cache=False, jobs=1, frame=False)[0]
    cold = sweep(["rvv_fp32_m4"], sizes=[16], presets=["x60"], use_cache=False, jobs=1, frame=False,
                 fast_forward=True)[0]
    assert warm.ok and cold.ok
    assert cold.instructions == warm.instructions
    assert cold.cycles > warm.cycles
    keys = {plan(["rvv_fp32_m4"], [16], ["x60"], fast_forward=ff)[0].key for ff in (False, True)}
    assert len(keys) == 2


# ------------------------------------------------------------------ --region

def _instructions_between(elf: bytes, begin: str, end: str) -> list[int]:
    """Functional run: the instructions from each arrival at ``begin`` to the next arrival at ``end``."""
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine, StopReason
    m = Machine("rv64gcv", vlen=256, env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.load_elf(elf, argv=["kernel"])
    m.add_breakpoint(begin)
    m.add_breakpoint(end)
    passes, start = [], None
    while True:
        info = m.run()
        if info.reason is not StopReason.BREAKPOINT:
            return passes
        if m.pc == m.symbols[begin] and start is None:
            start = m.instret
        elif m.pc == m.symbols[end] and start is not None:
            passes.append(m.instret - start)
            start = None


def test_region_option_counts_every_pass_with_the_model_off_outside(cache_dir):
    """--region (sweep(regions=...)): every pass through the region is counted (gemv's row set-up runs
    once per row), the self-check still runs, and the kernel's own region counts what the default point
    counts, from cold caches (the model is off before it)."""
    [planned] = plan(["gemv"], [16], ["x60"])
    passes = _instructions_between(planned.built.elf, "row", "strip")
    assert len(passes) == 16
    [p] = sweep(["gemv"], sizes=[16], presets=["x60"], frame=False, jobs=1, regions=["row:strip"])
    assert p.ok and p.region == "row:strip"
    assert p.instructions == sum(passes)
    default, kernel = (sweep(["gemv"], sizes=[16], presets=["x60"], frame=False, jobs=1, regions=r)[0]
                       for r in (None, ["kernel_begin:kernel_end"]))
    assert default.ok and kernel.ok and default.region == "kernel"
    assert kernel.instructions == default.instructions
    assert kernel.cycles > default.cycles          # cold: the set-up ran with the model off
    keys = {plan(["gemv"], [16], ["x60"], regions=r, warmup=w)[0].key
            for r, w in ((None, 0), (["row:strip"], 0), (["row:strip"], 5))}
    assert len(keys) == 3


def test_region_option_errors_are_clear(capsys, cache_dir):
    [p] = sweep(["gemv"], sizes=[16], presets=["x60"], frame=False, jobs=1, regions=["nolabel:kernel_end"])
    assert not p.ok and "no such label" in p.error
    for argv, words in ((["--region", "a:b:c:d:e"], "expected [NAME=]BEGIN:END"),
                        (["--warmup", "5"], "needs regions"),
                        (["--region", "row:strip", "--fast-forward"], "--fast-forward and --region")):
        with pytest.raises(SystemExit) as e:
            main_bench(["--kernel", "gemv", "--size", "16", "--preset", "x60", "-q"] + argv)
        assert e.value.code == 2 and words in capsys.readouterr().err
