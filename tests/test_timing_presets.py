"""The shipped presets: ML units sourced or marked hypothetical (docs/timing.md section 10), and the
x280 preset written by the walk-through of section 11 against the figures of its source, LLVM's
scheduling model for the SiFive 7 series (RISCVSchedSiFive7.td), run through rvv-bench's loop."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from rvsim.timing.config import PRESET_DIR, load_config, preset_names

ROOT = Path(__file__).resolve().parent.parent
ML_KEYS = ("dot_width", "bf16_width", "tile_te")


def _calibration():
    spec = importlib.util.spec_from_file_location("calibrate_vector", ROOT / "benchmarks" / "calibrate_vector.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _ml_lines(text: str) -> dict:
    """key -> the comment of its line (continuation comment lines appended), within the [ml] table."""
    out, key, inside = {}, None, False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.split("#")[0].strip() == "[ml]"
            continue
        if not inside:
            continue
        m = re.match(r"(\w+)\s*=\s*[^#]*(#.*)?$", stripped)
        if m:
            key = m.group(1)
            out[key] = m.group(2) or ""
        elif stripped.startswith("#") and key:
            out[key] += " " + stripped
    return out


@pytest.mark.parametrize("name", [n for n in preset_names() if load_config(n)["vector"]["enabled"]])
def test_every_ml_parameter_of_a_vector_preset_is_set_and_sourced(name):
    text = (PRESET_DIR / f"{name}.toml").read_text()
    tags = set(re.findall(r"^#\s+\[(\w+)\]", text, re.M))      # the sources the header lists
    lines = _ml_lines(text)
    assert set(ML_KEYS) <= set(lines), f"{name}: [ml] must set {ML_KEYS}"
    for key in ML_KEYS:
        comment = lines[key]
        cited = {t for t in re.findall(r"\[(\w+)\]", comment)}
        assert "hypothetical" in comment or (cited and cited <= tags), f"{name}: ml.{key}: {comment!r}"
    cfg = load_config(name)
    assert all(cfg["ml"][k] > 0 for k in ML_KEYS)


def test_tile_arrays_follow_the_datapath():
    # the hypothetical rule of docs/timing.md 10.1: edge = DLEN / 32 (the x60 keeps its own reason)
    for name in ("c908", "ara", "x280"):
        cfg = load_config(name)
        assert cfg["ml"]["tile_te"] == cfg["vector"]["dlen"] // 32, name


def test_zvt_kernel_runs_at_most_at_the_tile_arrays_rate_and_follows_it():
    from rvsim.timing.bench import run_point
    rate = {}
    for name in ("x60", "c908", "ara"):
        p = run_point("zvt", 64, name)
        assert p.ok, p.error
        te = load_config(name)["ml"]["tile_te"]
        rate[name] = p.work_per_cycle
        assert p.peak == 2 * te * te
        assert rate[name] <= 2 * te * te
    # 16 multiply-adds per cycle on the C908's array against 64 on the others
    assert rate["c908"] < rate["x60"] and rate["c908"] < rate["ara"]


# From RISCVSchedSiFive7.td (VLEN 512, DLEN 256): an arithmetic or unit-stride memory instruction holds
# its sequencer 2 x LMUL cycles; an unordered reduction 2 LMUL + 5 (4 + log2(DLEN / SEW)).  rvv-bench's
# loop repeats one instruction with the same registers, so a multiply-add accumulates into the previous
# one's result: one every max(latency 8, occupancy) cycles (LLVM gives vd no bypass).
LMULS = (("m1", 1), ("m2", 2), ("m4", 4), ("m8", 8))
LLVM_SIFIVE7 = (
    [("vfmul.vv v8, v16, v24", "vfmul.vv", 32, lm, 2 * n) for lm, n in LMULS]
    + [("vfmacc.vv v8, v16, v24", "vfmacc.vv", 32, lm, max(8, 2 * n)) for lm, n in LMULS]
    + [("vadd.vv v8, v16, v24", "vadd.vv", 8, lm, 2 * n) for lm, n in LMULS]
    + [("vle32.v v8, (t0)", "vle32.v", 32, lm, 2 * n) for lm, n in LMULS]
    + [("vredsum.vs v8, v16, v24", "vredsum.vs", 32, "m1", 2 + 5 * (4 + 3)),
       ("vredsum.vs v8, v16, v24", "vredsum.vs", 8, "m1", 2 + 5 * (4 + 5))]
)


def test_x280_preset_reproduces_its_sources_throughputs():
    cal = _calibration()
    rows = [{"instruction": ins, "mnemonic": mn, "sew": str(sew), "lmul": lm} for ins, mn, sew, lm, _ in LLVM_SIFIVE7]
    got = cal.predict("x280", rows, preset="x280", vlen=512)
    for (ins, _, sew, lm, want), cycles in zip(LLVM_SIFIVE7, got):
        assert cycles == pytest.approx(want, rel=0.05), f"{ins} e{sew} {lm}: {cycles} cycles, LLVM {want}"


def test_x280_preset_runs_a_kernel_at_its_fp32_rate():
    from rvsim.timing.bench import run_point
    cfg = load_config("x280")
    assert cfg["vector"]["vlen"] == 512 and cfg["vector"]["dlen"] == 256 and cfg["core"]["issue_width"] == 2
    p = run_point("rvv_fp32_blocked", 64, "x280")
    assert p.ok, p.error
    assert p.peak == 256 / 32 * 2                   # one 256-bit FMA pipe: 16 FLOP per cycle
    assert 0.3 < p.utilisation <= 1.0


def test_peak_follows_the_rate_each_instruction_is_timed_at():
    from rvsim.timing.bench import KERNELS, peak_per_cycle
    x60 = load_config("x60")        # two 128-bit arithmetic pipes
    assert peak_per_cycle(x60, KERNELS["rvv_fp32_m4"]) == 2 * 128 / 32 * 2
    assert peak_per_cycle(x60, KERNELS["rvv_fp16"]) == 2 * 128 / 16 * 2
    assert peak_per_cycle(x60, KERNELS["bf16"]) == 2 * 128 / 32 * 2      # fp32 results, not bf16 inputs
    assert peak_per_cycle(x60, KERNELS["int8_vdot4a"]) == 2 * 128 / 32 * 4 * 2
    assert peak_per_cycle(x60, KERNELS["int8_vwmacc"]) == 2 * 128 / 32 * 2
    assert peak_per_cycle(x60, KERNELS["zvt"]) == 8 * 8 * 2
    assert peak_per_cycle(x60, KERNELS["int32"]) == 0                     # scalar: no vector peak


def test_a_bf16_widening_kernel_can_reach_its_peak():
    from rvsim.timing.bench import run_point
    # one 256-bit pipe kept busy by chained vfwmaccbf16 (vl = 64: 8 cycles each, the loop needs 4)
    p = run_point("bf16", 64, "x280")
    assert p.ok, p.error
    assert 0.9 < p.utilisation <= 1.0
