"""``rvsim bench``: sweeps of kernels x sizes x presets on the cycle model.

Each point assembles a kernel of asm/ with ``--defsym N=size`` (plus the kernel's own symbols, e.g.
LMUL), runs it on a machine with the preset's VLEN and reads the model's clock at the kernel's
``kernel_begin`` and ``kernel_end`` labels (the whole run when it has none), so that filling the inputs
and checking the result are not counted.  Work is the kernel's nominal operation count (2 N^3 for a
matrix multiply: one multiply and one add per term), so FLOP/cycle compares across kernels; for the
vector FP kernels the utilisation is FLOP/cycle divided by the preset's peak (arith pipes x width /
SEW x 2).  Points run in parallel over processes.

    rvsim bench                                       # the default sweep
    rvsim bench --kernel rvv_fp32_blocked --preset ara --size 16 --size 32 --size 64 --plot ara.png
    rvsim bench --list
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Kernel:
    """A benchmark kernel: an assembly file of asm/ and how to size and count it."""

    name: str
    file: str                       # under the asm directory
    isa: str = "rv64gcv"
    defsym: tuple = ()              # extra (name, value) pairs
    work: str = "matmul"            # how the operation count follows from N (see WORK)
    fp: bool = True                 # floating-point work (FLOP) or integer (OP)
    sew: int = 32                   # element width of the arithmetic (for the peak)
    vector: bool = True
    sizes: tuple = (16, 32, 64)
    multiple: int = 1               # N must be a multiple of this
    max_size: int = 1 << 30
    description: str = ""


# operation count (multiply and add counted separately) from the size N
WORK = {
    "matmul": lambda n: 2 * n ** 3,
    "gemv": lambda n: 2 * n ** 2,
    "conv2d": lambda n: 2 * 9 * max(n - 2, 0) ** 2,
    "axpy": lambda n: 2 * n,
}

KERNELS = {k.name: k for k in (
    Kernel("int32", "matmul_int32.s", fp=False, vector=False, description="scalar int32 matmul"),
    Kernel("fp32", "matmul_fp32.s", vector=False, description="scalar fp32 matmul (fmadd.s)"),
    Kernel("rvv_fp32_m1", "matmul_rvv_fp32.s", defsym=(("LMUL", 1),), sizes=(16, 32, 64, 128),
           description="RVV fp32 matmul, vfmacc.vf row broadcast, LMUL 1"),
    Kernel("rvv_fp32_m2", "matmul_rvv_fp32.s", defsym=(("LMUL", 2),), sizes=(16, 32, 64, 128),
           description="RVV fp32 matmul, vfmacc.vf row broadcast, LMUL 2"),
    Kernel("rvv_fp32_m4", "matmul_rvv_fp32.s", defsym=(("LMUL", 4),), sizes=(16, 32, 64, 128),
           description="RVV fp32 matmul, vfmacc.vf row broadcast, LMUL 4"),
    Kernel("rvv_fp32_m8", "matmul_rvv_fp32.s", defsym=(("LMUL", 8),), sizes=(16, 32, 64, 128),
           description="RVV fp32 matmul, vfmacc.vf row broadcast, LMUL 8"),
    Kernel("rvv_fp32_blocked", "matmul_rvv_fp32_blocked.s", sizes=(16, 32, 64, 128), multiple=4,
           description="RVV fp32 matmul, 4 rows register-blocked (Ara's fmatmul shape)"),
    Kernel("rvv_fp16", "matmul_rvv_fp16.s", isa="rv64gcv_zvfh", sew=16, sizes=(16, 32, 64, 128),
           max_size=512, description="RVV fp16 matmul (Zvfh), vfmacc.vf row broadcast, LMUL 4"),
    Kernel("int8_vwmacc", "matmul_int8_vwmacc.s", fp=False, sew=8, sizes=(16, 32, 64),
           description="int8 matmul, vsext + vwmacc into int32"),
    Kernel("int8_vdot4a", "matmul_int8_vdot4a.s", isa="rv64gcv_zvdot4a8i", fp=False, sew=8,
           sizes=(16, 32, 64), multiple=4, description="int8 matmul with Zvdot4a8i vdot4a"),
    Kernel("bf16", "matmul_bf16.s", isa="rv64gcv_zvfbfwma", sew=16, sizes=(16, 32, 64),
           description="bf16 matmul with Zvfbfwma vfwmaccbf16 into fp32"),
    Kernel("zvt", "matmul_zvt.s", isa="rv64gcv_zvt", fp=False, sew=8, sizes=(16, 32, 64),
           description="int8 matmul on Zvt tiles"),
    Kernel("gemv", "gemv_fp32.s", work="gemv", sizes=(32, 64, 128, 256),
           description="RVV fp32 matrix-vector product (vfmacc.vv + vfredusum)"),
    Kernel("saxpy", "saxpy_rvv.s", work="axpy", sizes=(256, 1024, 4096, 16384),
           description="RVV fp32 saxpy, strip-mined vfmacc.vf at LMUL 8"),
    Kernel("conv2d", "conv2d_fp32.s", work="conv2d", sizes=(16, 32, 64, 128),
           description="RVV fp32 3x3 convolution"),
)}

DEFAULT_KERNELS = ("int32", "fp32", "rvv_fp32_m4", "rvv_fp32_blocked", "gemv", "conv2d")
DEFAULT_PRESETS = ("x60", "c908")


def asm_dir() -> Path:
    """asm/ of the source tree (the current directory's, else the one beside the package)."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (base / "asm" / "matmul_int32.s").exists():
            return base / "asm"
    raise FileNotFoundError("no asm/ directory with the kernels (run from the rvsim source tree or "
                            "give --asm-dir)")


@dataclass
class Point:
    """One measured point of a sweep."""

    kernel: str
    preset: str
    n: int
    cycles: int = 0
    instructions: int = 0
    work: int = 0
    fp: bool = True
    model_flops: int = 0            # the model's own FP operation count over the region
    peak: float = 0.0               # the preset's peak work per cycle for this kernel (0: unknown)
    region: str = "kernel"          # "kernel" (kernel_begin..kernel_end) or "program"
    ok: bool = True
    error: str = ""
    stalls: dict = field(default_factory=dict)

    @property
    def ipc(self) -> float:
        return self.instructions / self.cycles if self.cycles else 0.0

    @property
    def work_per_cycle(self) -> float:
        return self.work / self.cycles if self.cycles else 0.0

    @property
    def utilisation(self) -> float | None:
        return self.work_per_cycle / self.peak if self.peak else None

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(ipc=round(self.ipc, 4), work_per_cycle=round(self.work_per_cycle, 4),
                 utilisation=None if self.utilisation is None else round(self.utilisation, 4))
        return d


def peak_per_cycle(cfg: dict, kernel: Kernel) -> float:
    """Vector FP peak: every arithmetic pipe doing a full-width FMA each cycle (0 when not meaningful)."""
    vec = cfg["vector"]
    if not (kernel.vector and kernel.fp and vec["enabled"]):
        return 0.0
    width = vec["width"]["arith"] or vec["dlen"]
    return max(1, vec["pipes"]["arith"]) * width / kernel.sew * 2


def run_point(kernel_name: str, n: int, preset: str, asm: str | None = None,
              max_instructions: int | None = None) -> Point:
    """Assemble, run and time one kernel at one size on one preset (runs in a worker process)."""
    from ..asm import AsmError, assemble_files
    from ..host import LinuxEnvironment
    from ..machine import Machine, StopReason
    from . import load_config
    import io

    kernel = KERNELS[kernel_name]
    cfg = load_config(preset)
    point = Point(kernel.name, cfg["name"] or str(preset), n, fp=kernel.fp,
                  work=WORK[kernel.work](n), peak=peak_per_cycle(cfg, kernel))
    path = Path(asm or asm_dir()) / kernel.file
    defsym = dict(kernel.defsym)
    defsym["N"] = n
    try:
        prog = assemble_files([str(path)], defsym=defsym, march=kernel.isa)
    except (AsmError, OSError) as exc:
        point.ok, point.error = False, str(exc).splitlines()[0]
        return point
    vlen = cfg["vector"]["vlen"] if cfg["vector"]["enabled"] else 256
    out = io.BytesIO()
    m = Machine(kernel.isa, vlen=vlen, env=LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
    timing = m.enable_timing(cfg)
    m.load_elf(prog.to_elf(), name=str(path))
    syms = m.symbols
    marks = [s for s in ("kernel_begin", "kernel_end") if s in syms]
    snapshots = []
    if len(marks) == 2:
        for s in marks:
            m.add_breakpoint(s)
        for _ in marks:
            info = m.run(max_instructions)
            if info.reason is not StopReason.BREAKPOINT:
                break
            snapshots.append((timing.cycles, m.instret, timing.totals()))
        for s in marks:
            m.remove_breakpoint(s)
    info = m.run(max_instructions)
    if info.reason is not StopReason.EXIT or info.exit_code != 0:
        point.ok = False
        point.error = (f"exit code {info.exit_code}" if info.reason is StopReason.EXIT
                       else f"stopped: {info.reason.value} at {info.pc:#x}")
    if len(snapshots) == 2:
        (c0, i0, t0), (c1, i1, t1) = snapshots
        point.cycles, point.instructions = c1 - c0, i1 - i0
        point.model_flops = t1["flops"] - t0["flops"]
        point.stalls = {k: t1["stalls"][k] - t0["stalls"][k] for k in t1["stalls"]
                        if t1["stalls"][k] - t0["stalls"][k]}
    else:
        t = timing.totals()
        point.region = "program"
        point.cycles, point.instructions, point.model_flops = t["cycles"], m.instret, t["flops"]
        point.stalls = {k: v for k, v in t["stalls"].items() if v}
    return point


def _sizes_for(kernel: Kernel, sizes) -> list[int]:
    return [n for n in (sizes or kernel.sizes) if n % kernel.multiple == 0 and n <= kernel.max_size]


def sweep(kernels, sizes, presets, jobs: int = 2, asm: str | None = None, progress=None) -> list[Point]:
    """Every kernel x size x preset, in parallel over `jobs` processes (1: in this process)."""
    tasks = [(k, n, p) for k in kernels for p in presets for n in _sizes_for(KERNELS[k], sizes)]
    points: list[Point] = []
    if jobs <= 1:
        for k, n, p in tasks:
            points.append(run_point(k, n, p, asm))
            if progress:
                progress(points[-1])
        return points
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_point, k, n, p, asm) for k, n, p in tasks]
        for fut in futures:
            points.append(fut.result())
            if progress:
                progress(points[-1])
    return points


# ------------------------------------------------------------------ output

def print_table(points, file=None) -> None:
    from rich.console import Console
    from rich.table import Table
    con = Console(file=file or sys.stdout, highlight=False)
    if not con.is_terminal:
        con = Console(file=file or sys.stdout, highlight=False, width=160)
    t = Table(show_edge=False, box=None, pad_edge=False)
    for col, just in (("kernel", "left"), ("preset", "left"), ("N", "right"), ("cycles", "right"),
                      ("instructions", "right"), ("IPC", "right"), ("work/cycle", "right"),
                      ("peak %", "right"), ("check", "left")):
        t.add_column(col, justify=just)
    for p in points:
        unit = "FLOP" if p.fp else "OP"
        util = p.utilisation
        t.add_row(p.kernel, p.preset, str(p.n), f"{p.cycles:,}", f"{p.instructions:,}", f"{p.ipc:.2f}",
                  f"{p.work_per_cycle:.3f} {unit}", f"{100 * util:.1f}" if util is not None else "-",
                  ("ok" if p.ok else f"FAILED: {p.error}") + ("" if p.region == "kernel" else
                                                               " (whole program)"))
    con.print(t)


def write_csv(points, path) -> None:
    fields = ["kernel", "preset", "n", "cycles", "instructions", "ipc", "work", "fp", "work_per_cycle",
              "peak", "utilisation", "model_flops", "region", "ok", "error"]
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for p in points:
            w.writerow(p.to_dict())


def write_json(points, path) -> None:
    with open(path, "w") as fh:
        json.dump([p.to_dict() for p in points], fh, indent=2)
        fh.write("\n")


def plot(points, path) -> None:
    """Cycles and work per cycle against N, one line per kernel and preset (needs matplotlib)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    series: dict = {}
    for p in points:
        if p.ok:
            series.setdefault((p.kernel, p.preset), []).append(p)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    for (kernel, preset), pts in sorted(series.items()):
        pts.sort(key=lambda p: p.n)
        label = f"{kernel} / {preset}"
        ax1.plot([p.n for p in pts], [p.cycles for p in pts], marker="o", label=label)
        ax2.plot([p.n for p in pts], [p.work_per_cycle for p in pts], marker="o", label=label)
    ax1.set(yscale="log", xlabel="N", ylabel="cycles", title="cycles")
    ax2.set(xlabel="N", ylabel="FLOP (or OP) per cycle", title="work per cycle")
    sizes = sorted({p.n for pts in series.values() for p in pts})
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        ax.set_xticks(sizes, [str(n) for n in sizes])
        ax.minorticks_off()
        ax.grid(True, which="both", alpha=0.3)
    ax2.legend(fontsize="small", loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ------------------------------------------------------------------ command line

def main_bench(argv) -> int:
    ap = argparse.ArgumentParser(prog="rvsim bench", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--kernel", action="append", metavar="NAME",
                    help=f"kernels (default: {' '.join(DEFAULT_KERNELS)}; 'all' for every one)")
    ap.add_argument("--size", action="append", type=int, metavar="N",
                    help="sizes N (default: each kernel's own)")
    ap.add_argument("--preset", action="append", metavar="PRESET|FILE.toml",
                    help=f"timing presets (default: {' '.join(DEFAULT_PRESETS)})")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--csv", metavar="FILE.csv", help="write the points as CSV")
    ap.add_argument("--json", metavar="FILE.json", help="write the points as JSON")
    ap.add_argument("--plot", metavar="FILE.png", help="draw cycles and FLOP/cycle against N "
                                                       "(needs matplotlib: pip install rvsim[plot])")
    ap.add_argument("--asm-dir", metavar="DIR", help="where the kernels are (default: asm/)")
    ap.add_argument("--list", action="store_true", help="list the kernels and exit")
    args = ap.parse_args(argv)
    if args.list:
        for k in KERNELS.values():
            print(f"{k.name:18s} {k.file:28s} sizes {' '.join(map(str, k.sizes)):16s} {k.description}")
        return 0
    kernels = args.kernel or list(DEFAULT_KERNELS)
    if "all" in kernels:
        kernels = list(KERNELS)
    unknown = [k for k in kernels if k not in KERNELS]
    if unknown:
        ap.exit(2, f"rvsim bench: unknown kernel {unknown[0]!r} (rvsim bench --list shows them)\n")
    presets = args.preset or list(DEFAULT_PRESETS)
    from .config import TimingConfigError, load_config
    try:
        for p in presets:
            load_config(p)
    except TimingConfigError as exc:
        ap.exit(2, f"rvsim bench: {exc}\n")
    try:
        asm = str(args.asm_dir or asm_dir())
    except FileNotFoundError as exc:
        ap.exit(2, f"rvsim bench: {exc}\n")
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            ap.exit(2, "rvsim bench: --plot needs matplotlib (pip install 'rvsim[plot]')\n")
    if any(n < 1 for n in args.size or ()):
        ap.exit(2, "rvsim bench: sizes must be positive\n")
    for k in kernels:
        kernel = KERNELS[k]
        for n in args.size or ():
            if n % kernel.multiple or n > kernel.max_size:
                why = (f"a multiple of {kernel.multiple}" if n % kernel.multiple
                       else f"at most {kernel.max_size}")
                sys.stderr.write(f"rvsim bench: skipping {k} at N={n} (N must be {why})\n")
    done = [0]
    total = sum(len(_sizes_for(KERNELS[k], args.size)) for k in kernels) * len(presets)

    def progress(p):
        done[0] += 1
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done[0]}/{total} {p.kernel} {p.preset} N={p.n}    ")
            sys.stderr.flush()

    points = sweep(kernels, args.size, presets, jobs=max(1, args.jobs), asm=asm, progress=progress)
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 60 + "\r")
    print_table(points)
    if args.csv:
        write_csv(points, args.csv)
    if args.json:
        write_json(points, args.json)
    if args.plot:
        plot(points, args.plot)
        sys.stderr.write(f"rvsim bench: plot written to {args.plot}\n")
    return 0 if all(p.ok for p in points) else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main_bench(sys.argv[1:]))
