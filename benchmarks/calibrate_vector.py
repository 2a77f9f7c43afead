#!/usr/bin/env python3
"""Vector throughput calibration: the X60-like and C908-like presets against measured rvv-bench numbers.

For every cell of ../shared/reference/calibration/rvv-bench-x60-c908-vlmax.csv whose instruction the
kernels use (vle/vse/vlse, vfmacc/vfmul/vfadd .vv/.vf, vmacc/vwmacc, vredsum/vfredusum, vmv.v.x,
vslidedown) at LMUL m1..m8, this builds the same loop the benchmark ran — the instruction 8 times (same
registers: v8, v16, v24 / t0 / ft0, as rvv-bench writes them) inside a counted loop at vl=VLMAX, ta, ma —
runs it on the cycle model and prints predicted vs measured cycles per instruction and the error
distribution.  The cells come from benchmarks/data/rvv_bench_vlmax_cells.csv, the subset of the shared
calibration file this script uses (regenerate it with --extract).  Cycles per instruction = (cycles of 3N iterations - cycles of N iterations) / (2N x 8),
after a warm-up pass, so start-up, drain and cold caches cancel.  The loops are assembled by rvsim's own
assembler.

    python benchmarks/calibrate_vector.py [--core x60|c908] [--masked] [--show all|bad|none]
    python benchmarks/calibrate_vector.py --extract [FULL.csv]     # rewrite the committed subset

Exit status 0 when at least 90% of the cells are within 15% (the acceptance criterion).
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

# shared/ sits beside the project root (../shared), wherever the checkout is.
SOURCE_DATA = HERE.parent.parent / "shared" / "reference" / "calibration" / "rvv-bench-x60-c908-vlmax.csv"
DATA = HERE / "data" / "rvv_bench_vlmax_cells.csv"
CORES = {"x60": ("SpacemiT X60", 256), "c908": ("XuanTie C908", 128)}
INSTRUCTIONS = re.compile(
    r"^(v[ls]e(8|16|32|64)\.v|vlse(8|16|32|64)\.v|vf(macc|mul|add)\.v[vf]|vmacc\.v[vx]|vwmacc\.v[vx]"
    r"|vredsum\.vs|vfredusum\.vs|vmv\.v\.x|vslidedown\.v[xi])$")
LMULS = ("m1", "m2", "m4", "m8")
N = 16          # iterations of the short loop; the long one runs 3N (both longer than the
                # x60 predictor's 12-bit history, so both loop exits mispredict alike)


def _wanted(r) -> bool:
    return (any(r["core"].startswith(name) for name, _ in CORES.values()) and r["lmul"] in LMULS
            and INSTRUCTIONS.match(r["mnemonic"]) is not None)


def cells(core: str, masked: bool):
    name = CORES[core][0]
    with open(DATA) as fh:
        return [r for r in csv.DictReader(fh)
                if r["core"].startswith(name) and _wanted(r) and (r["masked"] == "1") == masked]


def extract(source: Path = SOURCE_DATA, dest: Path = DATA) -> int:
    """Copy the cells this script uses out of the full rvv-bench table (same columns)."""
    with open(source) as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if _wanted(r)]
        fields = reader.fieldnames
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return len(rows)


def distribution(errors) -> str:
    """How many cells fall in each band of |error|."""
    bands = [(0.05, "<=5%"), (0.10, "<=10%"), (0.15, "<=15%"), (0.25, "<=25%"), (0.50, "<=50%"),
             (float("inf"), ">50%")]
    counts = [0] * len(bands)
    for e in errors:
        for i, (limit, _) in enumerate(bands):
            if abs(e) <= limit:
                counts[i] += 1
                break
    return "  ".join(f"{label} {n}" for (_, label), n in zip(bands, counts))


def _operands(r) -> str:
    """The instruction as rvv-bench writes it (the CSV's 'instruction' column), for our registers."""
    return r["instruction"]


def program(rows) -> str:
    lines = [".option norvc", ".text", ".globl _start", "_start:",
             "  la s0, results", "  la s6, buffer",
             "  li t5, 3"]
    for k, r in enumerate(rows):
        sew, lmul = int(r["sew"]), r["lmul"]
        eew = re.search(r"e(\d+)\.v$", r["mnemonic"])
        shift = {8: 0, 16: 1, 32: 2, 64: 3}[int(eew.group(1))] if eew else 0
        lines += [f"cell{k}:", f"  vsetvli t6, x0, e{sew}, {lmul}, ta, ma",
                  "  mv t0, s6", "  mv t2, s6", f"  li t3, {3 << shift}"]
        # a warm-up pass (caches, branch predictor), then N and 3N iterations of the same loop
        lines += [f"  li s1, {3 * N}", f"  jal ra, loop{k}"]
        for reps, part in ((N, "a"), (3 * N, "b")):
            lines += [f"mark{k}{part}0:", f"  li s1, {reps}", f"  jal ra, loop{k}",
                      f"mark{k}{part}1:", "  nop"]
        lines += [f"  j cell{k + 1}", f"loop{k}:"]
        lines += [f"  {_operands(r)}"] * 8
        lines += ["  addi s1, s1, -1", f"  bnez s1, loop{k}", "  ret"]
    lines += [f"cell{len(rows)}:", "  li a0, 0", "  li a7, 93", "  ecall",
              ".data", ".balign 4096", f"results: .zero {16 * len(rows)}",
              ".balign 4096", "buffer: .zero 65536"]
    return "\n".join(lines) + "\n"


def build(src: str) -> bytes:
    """The calibration program as an ELF image."""
    from rvsim.asm import assemble
    return assemble(src, filename="calibrate_vector.s", march="rv64gcv").to_elf()


def predict(core: str, rows, preset=None, vlen: int | None = None) -> list[float]:
    """Cycles per instruction of each row's loop on the model (``core``'s preset and VLEN unless
    ``preset`` and ``vlen`` are given: any preset can be checked against a table of throughputs)."""
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine, StopReason
    vlen = vlen or CORES[core][1]
    m = Machine("rv64gcv_zvfh", vlen=vlen, env=LinuxEnvironment())
    timing = m.enable_timing(preset or f"{core}")
    m.load_elf(build(program(rows)))
    # the model's clock at each mark: completion of everything issued before it (drains included)
    marks = {}
    for k in range(len(rows)):
        names = [f"mark{k}{part}{edge}" for part in "ab" for edge in "01"]
        for name in names:
            m.add_breakpoint(name)
        for _ in names:
            info = m.run()
            if info.reason is not StopReason.BREAKPOINT:
                raise RuntimeError(f"calibration program stopped: {info}")
            marks[info.pc] = timing.cycles
        for name in names:
            m.remove_breakpoint(name)
    info = m.run()
    if info.reason is not StopReason.EXIT or info.exit_code != 0:
        raise RuntimeError(f"calibration program stopped: {info}")
    sym = m.symbols
    out = []
    for k in range(len(rows)):
        short = marks[sym[f"mark{k}a1"]] - marks[sym[f"mark{k}a0"]]
        long = marks[sym[f"mark{k}b1"]] - marks[sym[f"mark{k}b0"]]
        out.append((long - short) / (2 * N * 8))
    return out


def evaluate(core: str, masked: bool = False, preset=None):
    rows = cells(core, masked)
    pred = predict(core, rows, preset)
    out = []
    for r, p in zip(rows, pred):
        meas = float(r["cycles_throughput"])
        out.append((r, p, meas, (p - meas) / meas))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--core", choices=sorted(CORES), action="append")
    ap.add_argument("--masked", action="store_true", help="also the masked (v0.t) cells")
    ap.add_argument("--show", choices=("all", "bad", "none"), default="all")
    ap.add_argument("--extract", nargs="?", const=str(SOURCE_DATA), metavar="FULL.csv",
                    help=f"rewrite {DATA.relative_to(HERE.parent)} from the full rvv-bench table")
    args = ap.parse_args(argv)
    if args.extract:
        print(f"{extract(Path(args.extract))} cells written to {DATA}")
        return 0
    all_errors = []
    total = within = 0
    for core in args.core or sorted(CORES):
        for masked in ((False, True) if args.masked else (False,)):
            res = evaluate(core, masked)
            by_insn = defaultdict(list)
            for r, p, meas, err in res:
                by_insn[r["mnemonic"]].append(abs(err))
            print(f"== {core}{' masked' if masked else ''}: {len(res)} cells")
            if args.show != "none":
                print(f"{'instruction':14s} {'sew':>3s} {'lmul':>4s} {'measured':>9s} {'predicted':>9s} {'error':>7s}")
                for r, p, meas, err in res:
                    if args.show == "bad" and abs(err) <= 0.15:
                        continue
                    flag = "" if abs(err) <= 0.15 else "  <--"
                    print(f"{r['mnemonic']:14s} {r['sew']:>3s} {r['lmul']:>4s} {meas:9.2f} {p:9.2f} "
                          f"{100 * err:+6.1f}%{flag}")
            errs = sorted(abs(e) for *_, e in res)
            all_errors += errs
            ok = sum(e <= 0.15 for e in errs)
            total += len(errs)
            within += ok
            q = lambda f: errs[min(len(errs) - 1, int(f * len(errs)))] * 100
            print(f"   within 15%: {ok}/{len(errs)} ({100 * ok / len(errs):.1f}%); |error| median "
                  f"{q(0.5):.1f}%, 90th {q(0.9):.1f}%, max {100 * errs[-1]:.1f}%")
            print(f"   |error| distribution: {distribution(errs)}")
            for mn, e in sorted(by_insn.items()):
                bad = sum(x > 0.15 for x in e)
                if bad:
                    print(f"   {mn}: {bad}/{len(e)} cells outside 15%")
    print(f"TOTAL within 15%: {within}/{total} ({100 * within / total:.1f}%); |error| distribution: "
          f"{distribution(all_errors)}")
    return 0 if within >= 0.9 * total else 1


if __name__ == "__main__":
    sys.exit(main())
