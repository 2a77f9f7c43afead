"""The timing front ends: `rvsim profile`, and `rvsim run --timing` with --stats and --pipeview."""
from __future__ import annotations

import json
import re
from pathlib import Path

from rvsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
KERNEL = str(ROOT / "asm" / "matmul_rvv_fp32.s")
LOOP = """
        .globl _start
_start: li      t0, 200
1:      addi    t1, t1, 1
        mul     t2, t1, t1
        addi    t0, t0, -1
        bnez    t0, 1b
        li      a0, 0
        li      a7, 93
        ecall
"""


def _profile(capsys, *argv):
    rc = main(["profile", *argv])
    out = capsys.readouterr().out
    return rc, out


def test_profile_takes_options_after_the_program(capsys):
    rc_after, after = _profile(capsys, KERNEL, "--defsym", "N=8", "--timing", "x60")
    rc_before, before = _profile(capsys, "--timing", "x60", "--defsym", "N=8", KERNEL)
    assert rc_after == rc_before == 0
    assert "timing (x60)" in after
    assert after == before


def test_profile_lists_hot_lines_with_their_source(capsys, tmp_path):
    src = tmp_path / "loop.s"
    src.write_text(LOOP)
    stats = tmp_path / "p.json"
    rc, out = _profile(capsys, str(src), "--timing", "teach", "--stats", str(stats))
    assert rc == 0
    rows = [line for line in out.splitlines() if "loop.s:" in line]
    assert rows, out
    # the loop body (lines 4-7) runs 200 times: its lines are the hot ones, each with its source text
    hot = rows[:4]
    assert all(re.search(r"loop\.s:[4-7]\b", r) for r in hot), hot
    assert any("mul" in r for r in hot)
    counts = [int(r.split()[2].replace(",", "")) for r in hot]
    assert all(c == 200 for c in counts), hot
    data = json.loads(stats.read_text())
    assert data["cycles"] > 800 and data["instructions"] == 4 * 200 + 4
    assert data["by_line"]


def test_run_with_timing_writes_stats_and_a_kanata_pipeline_view(capsys, tmp_path):
    stats, view = tmp_path / "s.json", tmp_path / "p.kanata"
    rc = main(["run", KERNEL, "--defsym", "N=8", "--timing", "x60", "--stats", str(stats),
               "--pipeview", str(view)])
    captured = capsys.readouterr()
    assert rc == 0 and "matmul_rvv_fp32: ok" in captured.out
    assert re.search(r"timing \(x60\): [\d,]+ cycles, [\d,]+ instructions, IPC", captured.err)
    data = json.loads(stats.read_text())
    assert data["timing"]["cycles"] == data["cycles"] > data["instructions"] > 0
    assert set(data["timing"]["stalls"]) >= {"dep_alu", "mispredict"}
    lines = view.read_text().splitlines()
    assert lines[0] == "Kanata\t0004" and lines[1].startswith("C=\t")
    retired = [ln for ln in lines if ln.startswith("R\t")]
    assert len(retired) == data["instructions"]
    # every instruction is introduced, labelled with its disassembly, and retired once
    labels = [ln for ln in lines if ln.startswith("L\t") and ln.split("\t")[2] == "0"]
    assert len(labels) == len(retired)
    assert any("vfmacc.vf" in ln for ln in labels)
