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
KERNEL_GEMV = str(ROOT / "asm" / "gemv_fp32.s")

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
        parse_region("a:b:c:d:e")


# a recursive function called twice: fact(n) retires 4 instructions at n = 1 and 12 more per level above
FACT = """
    .globl _start
_start:
    li a0, 5
    jal ra, fact
    mv s0, a0
    li a0, 3
    jal ra, fact
    add a0, a0, s0
    li t0, 126
    sub a0, a0, t0          # 5! + 3! = 126: exit status 0
    li a7, 93
    ecall
fact:
    li t0, 2
    blt a0, t0, 1f
    addi sp, sp, -16
    sd ra, 0(sp)
    sd a0, 8(sp)
    addi a0, a0, -1
    jal ra, fact
    ld t1, 8(sp)
    mul a0, a0, t1
    ld ra, 0(sp)
    addi sp, sp, 16
    ret
1:  li a0, 1
    ret
"""


def test_a_function_alone_is_each_call_until_it_returns():
    assert parse_region("fact") == parse_region("fact=fact")
    assert parse_region("fact").end == parse_region("f=fact").end != "fact"
    m, prog = _machine(FACT)
    info, results = run_regions(m, "teach", parse_regions(["fact"]), program=prog)
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    res = results["fact"]
    # the recursive calls inside count within the outermost call, not as entries of their own
    assert res.entries == 2
    assert res.totals["instructions"] == (4 + 12 * 4) + (4 + 12 * 2)
    assert not m.breakpoints                    # the return addresses' stops are gone too


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
    line_b = prog.line_at(begin)
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
    assert "region k: 1 entry," in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", KERNEL, "--region", "a:b"])          # needs --timing


MARKED = """
    .include "roi.inc"
    .globl _start
_start:
    li t0, 1000
pre: addi t0, t0, -1
    bnez t0, pre
    roi_begin
    li t1, 50
body: addi t1, t1, -1
    bnez t1, body
    roi_dump
    roi_end
    li a0, 0
    li a7, 93
    ecall
"""


def test_marker_words_match_gnu_as(tmp_path):
    from rvsim.timing.region import MARKERS, marker_word
    from .conftest import require_tool
    as_ = require_tool("riscv64-unknown-elf-as")
    objdump = require_tool("riscv64-unknown-elf-objdump")
    import subprocess
    src = tmp_path / "m.s"
    src.write_text("".join(f"slti x0, x0, {imm:#x}\n" for imm in MARKERS.values()))
    subprocess.run([as_, "-march=rv64gc", str(src), "-o", str(tmp_path / "m.o")], check=True)
    out = subprocess.run([objdump, "-d", str(tmp_path / "m.o")], capture_output=True, text=True).stdout
    words = [int(line.split()[1], 16) for line in out.splitlines() if "slti" in line]
    assert words == [marker_word(k) for k in MARKERS]


def test_guest_markers_delimit_the_region():
    src = MARKED
    prog = assemble_files_text(src)
    m = Machine("rv64gc", env=LinuxEnvironment())
    m.load_elf(prog.to_elf())
    info, results = run_regions(m, "teach", parse_regions(["markers"]), program=prog)
    assert info.reason is StopReason.EXIT
    res = results["markers"]
    # the begin marker itself, li, 50 x (addi, bnez); the dump and end markers stop before running
    assert res.entries == 1 and res.totals["instructions"] == 1 + 1 + 100 + 1
    assert res.dumps and res.dumps[0]["instructions"] == 1 + 1 + 100


def assemble_files_text(src):
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "marked.s"
        path.write_text(src)
        import shutil
        shutil.copy(ROOT / "asm" / "roi.inc", Path(d) / "roi.inc")
        return assemble_files([str(path)], march="rv64gc")


def test_c_program_with_the_header_runs_on_qemu_and_marks_its_region(tmp_path):
    """The header's markers are plain no-ops to real hardware (qemu here) and a region to rvsim."""
    import subprocess
    from .conftest import require_tool
    gcc = require_tool("riscv64-linux-gnu-gcc")
    qemu = require_tool("qemu-riscv64")
    src = tmp_path / "roi.c"
    src.write_text('#include <stdio.h>\n#include "rvsim_roi.h"\nint main(void) { volatile int s = 0;\n'
                   '  RVSIM_ROI_BEGIN(); for (int i = 0; i < 100; i++) s += i; RVSIM_ROI_END();\n'
                   '  printf("%d\\n", s); return 0; }\n')
    elf = tmp_path / "roi.elf"
    subprocess.run([gcc, "-static", "-O2", "-I", str(ROOT / "include"), str(src), "-o", str(elf)], check=True)
    assert subprocess.run([qemu, str(elf)], capture_output=True, text=True).stdout == "4950\n"
    out = io.BytesIO()
    m = Machine("rv64gc", env=LinuxEnvironment(stdout=out))
    m.load_elf(elf)
    info, results = run_regions(m, "teach", parse_regions(["loop=markers"]))
    assert info.reason is StopReason.EXIT and out.getvalue() == b"4950\n"
    assert results["loop"].entries == 1 and 300 < results["loop"].totals["instructions"] < 2000


def test_profile_region_shows_only_the_kernel_lines(capsys):
    rc = main(["profile", KERNEL, "--defsym", "N=16", "--timing", "x60", "--region", "kernel_begin:kernel_end",
               "--top", "40"])
    out = capsys.readouterr().out
    assert rc == 0
    import re
    src = Path(KERNEL).read_text().splitlines()
    first = next(i for i, t in enumerate(src, 1) if t.startswith("kernel_begin:"))
    last = next(i for i, t in enumerate(src, 1) if t.startswith("kernel_end:"))
    rows = [line for line in out.splitlines() if re.search(r"\.(s|inc):\d+", line)]
    assert rows and any("vfmacc" in r for r in rows)
    for r in rows:      # only the kernel's lines (and vset.inc's macro): no fill or check code (common.inc)
        assert "common.inc" not in r, r
        m = re.search(r"matmul_rvv_fp32\.s:(\d+)", r)
        assert (m and first <= int(m.group(1)) <= last) or "vset.inc" in r, r


def test_profile_stats_has_each_region_as_run_stats_does(tmp_path, capsys):
    """profile --stats with named regions: each region's entries and totals (as rvsim run --stats), the
    profile's totals their sum."""
    stats, run_stats = tmp_path / "p.json", tmp_path / "r.json"
    regions = ["--region", "k=kernel_begin:kernel_end", "--region", "rows=row:strip"]
    common = [KERNEL_GEMV, "--defsym", "N=16", "--timing", "x60"] + regions
    assert main(["profile", *common, "--stats", str(stats)]) == 0
    assert "region rows: 16 entries" in capsys.readouterr().err
    assert main(["run", *common, "--stats", str(run_stats)]) == 0
    prof, run = json.loads(stats.read_text()), json.loads(run_stats.read_text())
    assert prof["regions"]["k"]["entries"] == 1 and prof["regions"]["rows"]["entries"] == 16
    assert prof["regions"] == run["regions"]
    assert prof["cycles"] == sum(r["totals"]["cycles"] for r in prof["regions"].values())


def test_pipeview_within_regions_draws_only_their_instructions(tmp_path):
    m, prog = _machine()
    trace: list = []
    info, results = run_regions(m, "teach", parse_regions(["loop=r_begin:r_end"]), program=prog,
                                trace=trace, trace_limit=150)
    assert info.reason is StopReason.EXIT
    begin, end = m.symbols["r_begin"], m.symbols["r_end"]
    # 101 instructions per pass, two passes, the limit counted from the first region's start
    assert len(trace) == 150
    assert all(begin <= r.pc < end for r in trace)
    assert trace[0].pc == begin
    assert trace[101].pc == begin                  # the second entry follows the first in time
    assert all(b.issue >= a.issue for a, b in zip(trace, trace[1:]))
    out = tmp_path / "p.kanata"
    rc = main(["run", KERNEL, "--defsym", "N=16", "--timing", "x60", "--region", "kernel_begin:kernel_end",
               "--pipeview", str(out), "--pipeview-limit", "500"])
    assert rc == 0
    text = out.read_text()
    assert text.startswith("Kanata") and text.count("\nI\t") == 500
