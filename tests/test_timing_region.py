"""Regions of interest (rvsim.timing.region, rvsim run --region): the model is on only inside them."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rvsim.asm import assemble, assemble_files
from rvsim.cli import main
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.timing import TimingConfigError
from rvsim.timing.region import parse_region, parse_regions, run_regions

ROOT = Path(__file__).resolve().parents[1]
KERNEL = str(ROOT / "asm" / "matmul_rvv_fp32.s")

# two passes through a loop region, with untimed work (a long loop) between and around them
PROGRAM = """
    .globl _start
_start:
    li s0, 2
again:
    li t0, 1000
pre: addi t0, t0, -1
    bnez t0, pre
r_begin:
    li t1, 50
body: addi t1, t1, -1
    bnez t1, body
r_end:
    addi s0, s0, -1
    bnez s0, again
    li a0, 0
    li a7, 93
    ecall
"""


def _machine(src=PROGRAM):
    prog = assemble(src, march="rv64gc")
    m = Machine("rv64gc", env=LinuxEnvironment())
    m.load_elf(prog.to_elf())
    return m, prog


def test_parse_region_forms():
    assert parse_region("a:b") == parse_region("a:b")
    r = parse_region("k=kernel_begin:kernel_end")
    assert (r.name, r.begin, r.end) == ("k", "kernel_begin", "kernel_end")
    r = parse_region("m.s:10:m.s:20")
    assert (r.begin, r.end) == ("m.s:10", "m.s:20")
    assert parse_region("m.s:10:0x100").end == "0x100"
    assert parse_region("lab:m.s:20").begin == "lab"
    with pytest.raises(TimingConfigError, match="BEGIN:END"):
        parse_region("nothing")


def test_region_counts_only_its_instructions_on_every_pass():
    m, prog = _machine()
    info, results = run_regions(m, "teach", parse_regions(["loop=r_begin:r_end"]), program=prog)
    assert info.reason is StopReason.EXIT
    res = results["loop"]
    assert res.entries == 2
    # li + 50 x (addi, bnez) per pass, the untimed 1000-iteration loops not at all
    assert res.totals["instructions"] == 2 * (1 + 2 * 50)
    assert res.totals["cycles"] > res.totals["instructions"] // 2
    assert m.timing is None                 # the model is off after the run


def test_region_by_source_line_and_address_match_the_labels():
    m, prog = _machine()
    _, by_label = run_regions(m, "teach", parse_regions(["r_begin:r_end"]), program=prog)
    m, prog = _machine()
    begin, end = m.symbols["r_begin"], m.symbols["r_end"]
    line_b, line_e = prog.line_at(begin), prog.line_at(end)
    specs = [f"{line_b[0]}:{line_b[1]}:{hex(end)}"]
    _, by_line = run_regions(m, "teach", parse_regions(specs), program=prog)
    assert list(by_line.values())[0].totals["instructions"] == \
        list(by_label.values())[0].totals["instructions"]


def test_warmup_fills_the_caches_without_counting():
    def region_cycles(warmup):
        prog = assemble_files([KERNEL], defsym={"N": 16}, march="rv64gcv")
        m = Machine("rv64gcv", vlen=256, env=LinuxEnvironment(stdout=io.BytesIO()))
        m.load_elf(prog.to_elf())
        info, res = run_regions(m, "x60", parse_regions(["kernel_begin:kernel_end"]), warmup=warmup)
        assert info.reason is StopReason.EXIT and info.exit_code == 0
        return res["kernel_begin:kernel_end"].totals
    cold, warm = region_cycles(0), region_cycles(300)
    assert warm["instructions"] == cold["instructions"] - 300
    assert warm["cycles"] < cold["cycles"]


def test_run_region_cli(tmp_path, capsys):
    stats = tmp_path / "s.json"
    rc = main(["run", KERNEL, "--defsym", "N=16", "--timing", "x60", "--region", "k=kernel_begin:kernel_end",
               "--region", "k=kernel_begin:kernel_end", "--stats", str(stats)])
    assert rc == 0
    data = json.loads(stats.read_text())
    assert data["regions"]["k"]["entries"] == 1
    assert data["cycles"] == data["regions"]["k"]["totals"]["cycles"] > 0
    assert "region k: 1 entries" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", KERNEL, "--region", "a:b"])          # needs --timing
