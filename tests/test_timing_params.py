"""The cycle model's parameters: one table of limits for C and Python, dlen as the default pipe width,
the return-address stack's depth, the run report without a model."""
from __future__ import annotations

import warnings

import pytest

from rvsim.cli import main
from rvsim.timing import TimingConfigError, TimingConfigWarning, load_config
from rvsim.timing.config import limits, to_params

from .test_timing import config, run

RECURSION = """
    li a0, 10
    jal ra, f
    j done
f:
    addi sp, sp, -16
    sd ra, 8(sp)
    beqz a0, 1f
    addi a0, a0, -1
    jal ra, f
1:
    ld ra, 8(sp)
    addi sp, sp, 16
    ret
done:
"""


def test_return_address_stack_keeps_only_its_depth_for_jal_calls():
    """11 nested calls through jal and 11 returns: a stack of 16 predicts every return, one of 4 only the
    innermost 4 (the depth limit applies when jal pushes, as when jalr pushes)."""
    def mispredicts(depth):
        r, _ = run(RECURSION, config(core={"predictor": {"ras_entries": depth}}))
        return r.mispredicts
    assert mispredicts(4) - mispredicts(16) == 11 - 4


def test_c_and_python_share_the_parameter_limits():
    from rvsim._core import ffi, lib
    from rvsim.machine import Machine
    lim = limits()
    assert lim["issue_width"] == lib.RV_TIMING_MAX_ISSUE
    ok = config(core={"issue_width": lim["issue_width"]})
    Machine("rv64gc").enable_timing(ok)                 # the widest width Python accepts, C accepts
    with pytest.raises(TimingConfigError, match=f"1..{lim['issue_width']}"):
        config(core={"issue_width": lim["issue_width"] + 1})
    # and C refuses what Python would refuse, had Python been bypassed
    params = to_params(ok, ffi)
    params.issue_width = lim["issue_width"] + 1
    m = Machine("rv64gc")
    assert lib.rv_timing_enable(m._core, params) == -1
    params.issue_width = 1
    params.ras_entries = lim["ras_entries"] + 1
    assert lib.rv_timing_enable(m._core, params) == -1


def test_dlen_sets_the_pipe_widths_unless_given():
    from rvsim._core import ffi
    cfg = load_config("x60")
    cfg["vector"]["dlen"] = 256
    p = to_params(cfg, ffi)
    assert p.v_width[0] == 256                  # arith follows dlen
    assert p.v_width[2] == 128                  # memory is given by the preset


def test_an_arithmetic_width_that_contradicts_dlen_warns():
    with pytest.warns(TimingConfigWarning, match="vector.dlen"):
        config(vector={"enabled": True, "dlen": 128, "width": {"arith": 256}})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config(vector={"enabled": True, "dlen": 256, "width": {"arith": 256}})
        for name in ("x60", "c908", "ara", "teach"):
            load_config(name)


def test_report_without_a_model_has_no_cycle_count(capsys, tmp_path):
    src = tmp_path / "p.s"
    src.write_text("    .globl _start\n_start:\n    li a0, 0\n    li a7, 93\n    ecall\n")
    assert main(["run", "--report", str(src)]) == 0
    err = capsys.readouterr().err
    assert "instructions" in err and "cycles" not in err.replace("no cycle count", "")
