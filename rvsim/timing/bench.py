"""``rvsim bench``: design-space sweeps on the cycle model.

A sweep is every kernel x size x preset x parameter-grid point.  A kernel is a built-in name (``rvsim bench
--list``), an assembly file (sized with ``--defsym N=size``), an ELF executable (given the size as its
first argument), or, from Python, a callable that builds a program for a size.  ``--set KEY=V1,V2,...``
sweeps any preset key (``vector.dlen``, ``memory.l1d.size``, ``core.issue_width`` ...).

Only the kernel's region is timed: the program runs at functional speed with the model off up to its
``kernel_begin`` label, on the model up to ``kernel_end``, and functionally again through its self-check
(without both labels, the whole program is timed).  ``--region [NAME=]BEGIN:END`` (labels, addresses,
FILE:LINE or ``markers``, as for ``rvsim run``; repeatable) times those regions instead, every pass
through them, with the model off outside them (``--warmup N``: uncounted instructions at each entry).  Every point is keyed by a hash of the program's bytes,
the full resolved parameters and rvsim's version, and stored in a result cache as soon as it is measured,
so an interrupted sweep resumes and a repeated one is instant (``--no-cache`` measures again).  Points run
in worker processes (``--jobs``) or on a Dask cluster (``--dask tcp://SCHEDULER:8786`` or ``--dask
local:N``).  docs/sweeps.md describes it all.

    rvsim bench                                       # the default sweep
    rvsim bench --kernel asm/matmul_rvv_fp32.s --defsym LMUL=4 --size 16 --size 32 --preset x60 \\
        --set vector.dlen=128,256,512 --set memory.l1d.size=16K,32K,64K --out points.parquet
    rvsim bench --kernel rvv_fp32_blocked --preset ara --size 16 --size 32 --size 64 --plot ara.png
    rvsim bench --dask local:2 ...                    # a LocalCluster of 2 worker processes
    rvsim bench --list
"""
from __future__ import annotations

import argparse
import copy
import csv
import io
import itertools
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Kernel:
    """A built-in benchmark kernel: an assembly file of asm/ and how to size and count it."""

    name: str
    file: str                       # under the asm directory
    isa: str = "rv64gcv"
    defsym: tuple = ()              # extra (name, value) pairs
    work: str = "matmul"            # how the operation count follows from N (see WORK)
    fp: bool = True                 # floating-point work (FLOP) or integer (OP)
    sew: int = 32                   # element width its arithmetic instruction is timed at (the peak)
    unit: str = "vfma"              # the class of that instruction (PEAK_UNITS; the peak)
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
    Kernel("int8_vwmacc", "matmul_int8_vwmacc.s", fp=False, sew=32, unit="vmul", sizes=(16, 32, 64),
           description="int8 matmul, vsext + vwmacc into int32"),
    Kernel("int8_vdot4a", "matmul_int8_vdot4a.s", isa="rv64gcv_zvdot4a8i", fp=False, sew=32, unit="vdot",
           sizes=(16, 32, 64), multiple=4, description="int8 matmul with Zvdot4a8i vdot4a"),
    Kernel("bf16", "matmul_bf16.s", isa="rv64gcv_zvfbfwma", sew=32, unit="vbf16mac", sizes=(16, 32, 64),
           description="bf16 matmul with Zvfbfwma vfwmaccbf16 into fp32"),
    Kernel("zvt", "matmul_zvt.s", isa="rv64gcv_zvt", fp=False, sew=8, unit="vtile", sizes=(16, 32, 64),
           description="int8 matmul on Zvt tiles"),
    Kernel("gemv", "gemv_fp32.s", work="gemv", sizes=(32, 64, 128, 256),
           description="RVV fp32 matrix-vector product (vfmacc.vv + vfredusum)"),
    Kernel("saxpy", "saxpy_rvv.s", work="axpy", sizes=(256, 1024, 4096, 16384),
           description="RVV fp32 saxpy, strip-mined vfmacc.vf at LMUL 8"),
    Kernel("conv2d", "conv2d_fp32.s", work="conv2d", sizes=(16, 32, 64, 128),
           description="RVV fp32 3x3 convolution"),
    # memory-bound at sizes beyond every preset's last-level cache (the matrix of gemv at N=1024 is
    # 4 MiB, the vectors of saxpy at N=262144 1 MiB each): achieved DRAM bandwidth, benchmarks/bench_dram.py
    Kernel("gemv_dram", "gemv_fp32.s", work="gemv", sizes=(512, 1024), max_size=4096,
           description="gemv with the matrix in DRAM (1 and 4 MiB)"),
    Kernel("saxpy_dram", "saxpy_rvv.s", work="axpy", sizes=(65536, 262144), max_size=1 << 24,
           description="saxpy with x and y in DRAM (256 KiB and 1 MiB each)"),
)}

DEFAULT_KERNELS = ("int32", "fp32", "rvv_fp32_m4", "rvv_fp32_blocked", "gemv", "conv2d")
DEFAULT_PRESETS = ("x60", "c908")
DEFAULT_ISA = "rv64gcv"
REGION = ("kernel_begin", "kernel_end")


class BenchError(ValueError):
    """A sweep that cannot be set up (unknown kernel, bad --set, a program that does not assemble)."""


def asm_dir() -> Path:
    """asm/ of the source tree (the current directory's, else the one beside the package)."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (base / "asm" / "matmul_int32.s").exists():
            return base / "asm"
    raise FileNotFoundError("no asm/ directory with the kernels (run from the rvsim source tree or "
                            "give --asm-dir)")


# ------------------------------------------------------------------ kernels as program sources

@dataclass
class Built:
    """One program ready to run: its ELF bytes and what a point needs to know about it."""

    elf: bytes
    isa: str
    argv: tuple = ()
    work: int | None = None         # nominal operation count (None: use the model's FP count)
    fp: bool = True
    sew: int = 32
    vector: bool = True
    unit: str = "vfma"


class Source:
    """A kernel of a sweep: ``build(size, defsym)`` gives the program for one size."""

    name: str = "?"
    sizes: tuple = (None,)
    fp: bool = True
    sew: int = 32
    vector: bool = True
    unit: str = "vfma"

    def accepts(self, size) -> str | None:
        """None when ``size`` is valid for this kernel, else why not."""
        return None

    def build(self, size, defsym: dict, store=None) -> Built:
        """``store``: a ResultCache that may hold the program already built (assembly only)."""
        raise NotImplementedError


class AsmSource(Source):
    """An assembly file, assembled by rvsim with ``--defsym N=size`` (and any other symbols)."""

    def __init__(self, path, *, isa: str | None = None, defsym=(), size_symbol: str = "N",
                 name: str | None = None, work: Callable | None = None, fp=True, sew=32, vector=True,
                 sizes=(None,), multiple=1, max_size=1 << 30, unit="vfma"):
        self.path = str(path)
        self.name = name or Path(path).name
        self.isa = isa
        self.defsym = dict(defsym)
        self.size_symbol = size_symbol
        self.work_of = work
        self.fp, self.sew, self.vector, self.sizes, self.unit = fp, sew, vector, tuple(sizes), unit
        self.multiple, self.max_size = multiple, max_size

    def accepts(self, size):
        if size is None:
            return None
        if size % self.multiple:
            return f"N must be a multiple of {self.multiple}"
        if size > self.max_size:
            return f"N must be at most {self.max_size}"
        return None

    def recipe(self, size, defsym) -> tuple[str, dict, str]:
        """(path, symbols, ISA): what assembling this kernel at this size takes."""
        from ..isa.arch import isa_of_source
        syms = dict(self.defsym)
        syms.update(defsym)
        if size is not None:
            syms[self.size_symbol] = size
        return self.path, syms, self.isa or isa_of_source(self.path) or DEFAULT_ISA

    def build(self, size, defsym, store=None):
        from .cache import source_key
        path, syms, isa = self.recipe(size, defsym)
        key = source_key(path, isa, syms) if store is not None else None
        elf = store.get_program(key) if key else None
        if elf is None:
            elf = assemble_kernel(path, syms, isa)
            if key:
                store.put_program(key, elf)
        work = self.work_of(size) if self.work_of is not None and size is not None else None
        return Built(elf, isa, work=work, fp=self.fp, sew=self.sew, vector=self.vector, unit=self.unit)


def assemble_kernel(path: str, syms: dict, isa: str) -> bytes:
    """The ELF of an assembly kernel (a module-level function: worker processes run it)."""
    from ..asm import AsmError, assemble_files
    try:
        return assemble_files([path], defsym=syms, march=isa).to_elf()
    except AsmError as exc:
        raise BenchError(str(exc)) from None
    except OSError as exc:
        raise BenchError(f"{path}: {exc.strerror or exc}") from None


class _Programs:
    """Assembled programs of one sweep when there is no result cache (the same get/put as ResultCache)."""

    def __init__(self):
        self._elf = {}

    def get_program(self, key):
        return self._elf.get(key)

    def put_program(self, key, elf):
        self._elf[key] = elf


def _assemble_ahead(jobs_list, store, workers: int) -> None:
    """Assemble the kernels the store does not have yet, over ``workers`` processes."""
    from .cache import source_key
    todo = {}
    for src, n, dcombo in jobs_list:
        if isinstance(src, AsmSource):
            path, syms, isa = src.recipe(n, dcombo)
            key = source_key(path, isa, syms)
            if key and key not in todo and store.get_program(key) is None:
                todo[key] = (path, syms, isa)
    if len(todo) < 4 or workers <= 1:
        return                                      # build() assembles them one by one
    import multiprocessing
    keys = list(todo)
    pool = multiprocessing.get_context().Pool(workers, initializer=_ignore_sigint)
    try:
        for key, elf in zip(keys, pool.starmap(assemble_kernel, [todo[k] for k in keys])):
            store.put_program(key, elf)
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


def builtin_source(name: str, asm: str | None = None) -> AsmSource:
    k = KERNELS[name]
    return AsmSource(Path(asm or asm_dir()) / k.file, isa=k.isa, defsym=k.defsym, name=k.name,
                     work=WORK[k.work], fp=k.fp, sew=k.sew, vector=k.vector, sizes=k.sizes,
                     multiple=k.multiple, max_size=k.max_size, unit=k.unit)


class ElfSource(Source):
    """An ELF executable; a size is passed as its first argument (``prog 64``)."""

    def __init__(self, path, *, isa: str | None = None, name: str | None = None, fp=True, sew=32):
        self.path, self.name, self.isa, self.fp, self.sew = str(path), name or Path(path).name, isa, fp, sew

    def build(self, size, defsym, store=None):
        from ..loader import elf_isa
        try:
            data = Path(self.path).read_bytes()
        except OSError as exc:
            raise BenchError(f"{self.path}: {exc.strerror or exc}") from None
        if data[:4] != b"\x7fELF":
            raise BenchError(f"{self.path}: not an ELF file (assembly files end in .s or .S)")
        isa = self.isa or elf_isa(data) or DEFAULT_ISA
        argv = (self.name,) + (() if size is None else (str(size),))
        return Built(data, isa, argv=argv, fp=self.fp, sew=self.sew)


class CallableSource(Source):
    """A Python callable ``fn(size)`` returning an assembled :class:`rvsim.asm.Program`, ELF bytes or a
    path to an ELF (optionally with ``isa=``, ``work=`` from :class:`Built`: return a Built then)."""

    def __init__(self, fn, *, name: str | None = None, isa: str | None = None, sizes=(None,)):
        self.fn, self.name, self.isa = fn, name or getattr(fn, "__name__", "callable"), isa
        self.sizes = tuple(sizes)

    def build(self, size, defsym, store=None):
        from ..loader import elf_isa
        made = self.fn(size) if not defsym else self.fn(size, **defsym)
        if isinstance(made, Built):
            return made
        if hasattr(made, "to_elf"):               # an rvsim.asm.Program
            data = made.to_elf()
        elif isinstance(made, (bytes, bytearray)):
            data = bytes(made)
        else:
            data = Path(made).read_bytes()
        return Built(data, self.isa or elf_isa(data) or DEFAULT_ISA)


def make_source(spec, asm: str | None = None, isa: str | None = None, size_symbol: str = "N") -> Source:
    """A kernel from what the user named: a built-in kernel, a .s/.S file, an ELF file or a callable."""
    if isinstance(spec, Source):
        return spec
    if callable(spec):
        return CallableSource(spec, isa=isa)
    text = str(spec)
    if text in KERNELS and not os.path.exists(text):
        if isa:
            src = builtin_source(text, asm)
            src.isa = isa
            return src
        return builtin_source(text, asm)
    if not os.path.exists(text):
        raise BenchError(f"unknown kernel {text!r}: not a built-in kernel (rvsim bench --list) and no such "
                         "file")
    if text.endswith((".s", ".S", ".asm")):
        return AsmSource(text, isa=isa, size_symbol=size_symbol)
    return ElfSource(text, isa=isa)


# ------------------------------------------------------------------ parameter grids

def parse_size(text: str) -> int:
    """An integer, with an optional K/M/G (binary) suffix: 16K = 16384."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    t = text.strip().lower().removesuffix("ib").removesuffix("b") if text.strip().lower() not in ("b",) \
        else text
    if t and t[-1] in units:
        return int(float(t[:-1]) * units[t[-1]])
    return int(t, 0)


def _default_at(key: str):
    from .config import DEFAULTS
    node = DEFAULTS
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            where = key[:key.index(part)].rstrip(".") if part in key else ""
            valid = ", ".join(sorted(node)) if isinstance(node, dict) else ""
            raise BenchError(f"--set {key}: no timing parameter {key!r}"
                             + (f" (valid keys{' in ' + where if where else ''}: {valid})" if valid else ""))
        node = node[part]
    if isinstance(node, dict):
        raise BenchError(f"--set {key}: {key!r} is a table; name one of its keys: {', '.join(sorted(node))}")
    return node


def parse_value(key: str, text: str):
    """A --set value in the type of the parameter it sets."""
    default = _default_at(key)
    t = text.strip()
    try:
        if isinstance(default, bool):
            if t.lower() in ("true", "1", "yes", "on"):
                return True
            if t.lower() in ("false", "0", "no", "off"):
                return False
            raise ValueError
        if isinstance(default, int):
            return parse_size(t)
        if isinstance(default, float):
            return float(t)
    except ValueError:
        kind = "true or false" if isinstance(default, bool) else type(default).__name__
        raise BenchError(f"--set {key}={text}: {t!r} is not a {kind}") from None
    return t


def parse_grid(items) -> dict[str, list]:
    """``["vector.width.arith=128,256", "memory.l1d.size=16K,32K"]`` -> {key: [values]} (in order)."""
    grid: dict[str, list] = {}
    for item in items or ():
        key, eq, values = item.partition("=")
        key = key.strip()
        if not eq or not key or not values.strip():
            raise BenchError(f"--set {item!r}: write KEY=VALUE[,VALUE...], e.g. vector.dlen=128,256")
        grid[key] = [parse_value(key, v) for v in values.split(",") if v.strip()]
    return grid


def preset_data(spec) -> dict:
    """What a preset itself says (its TOML, before defaults), with its name: settings apply to this, so
    that a derived default (a pipe width that follows vector.dlen) follows a swept value too."""
    from .config import PRESET_DIR, TimingConfigError, load_config, tomllib
    if isinstance(spec, dict):
        return copy.deepcopy(spec)
    load_config(spec)                                   # every error message of an unusable preset
    path = Path(str(spec))
    if not path.suffix and (PRESET_DIR / f"{spec}.toml").exists():
        path = PRESET_DIR / f"{spec}.toml"
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:  # pragma: no cover (load_config checked it)
        raise TimingConfigError(f"{path}: {exc}") from None
    data.setdefault("name", path.stem)
    return data


def apply_settings(preset, settings: dict) -> dict:
    """The resolved config of ``preset`` (a name, a path or the TOML data) with dotted-key settings
    applied, checked like a preset file."""
    from .config import TimingConfigError, parse_config
    data = preset_data(preset)
    for key, value in settings.items():
        _default_at(key)
        node = data
        *path, last = key.split(".")
        for part in path:
            node = node.setdefault(part, {})
        node[last] = value
    source = data.get("name") or "preset"
    if settings:
        source += " with " + ", ".join(f"{k}={v}" for k, v in settings.items())
    try:
        return parse_config(data, source)
    except TimingConfigError as exc:
        raise BenchError(str(exc)) from None


def parse_defsyms(items) -> dict[str, list[int]]:
    """``--defsym NAME=V1,V2`` (a grid of assembly symbols) -> {NAME: [values]}."""
    out: dict[str, list[int]] = {}
    for item in items or ():
        name, _, values = item.partition("=")
        try:
            out[name.strip()] = [int(v, 0) for v in values.split(",") if v.strip()] or [1]
        except ValueError:
            raise BenchError(f"--defsym {item!r}: values must be integers") from None
    return out


# ------------------------------------------------------------------ measuring one point

def _sum_into(into: dict, d: dict) -> None:
    """Add the counters of ``d`` (nested dicts of numbers) into ``into``."""
    for k, v in d.items():
        if isinstance(v, dict):
            _sum_into(into.setdefault(k, {}), v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            into[k] = into.get(k, 0) + v


def measure(task: dict) -> dict:
    """Run one point (in a worker process or on a Dask worker): a pure function of ``task``, which holds
    the ELF bytes, the ISA, the resolved timing config, argv, the instruction limit and the region labels.
    Returns the raw counters over the region (JSON-able)."""
    from ..errors import RvsimError
    from ..host import LinuxEnvironment, SemihostEnvironment
    from ..loader import read_elf
    from ..machine import Machine, StopReason

    cfg = task["config"]
    vec = cfg["vector"]
    vlen = vec["vlen"] if vec["enabled"] else 256
    out = io.BytesIO()
    result = {"ok": True, "error": "", "region": "kernel", "exit_code": None}
    try:
        info = read_elf(task["elf"])
        env = (SemihostEnvironment(stdout=out, stdin=io.BytesIO()) if info.semihosting else
               None if info.bare_metal else LinuxEnvironment(stdout=out, stdin=io.BytesIO()))
        m = Machine(task["isa"], vlen=vlen, env=env)
        m.load_elf(task["elf"], argv=list(task.get("argv") or ["kernel"]))
        limit = task.get("max_instructions")
        begin, end = task.get("region") or REGION
        timing = None
        if task.get("regions"):
            # --region: the regions' every pass, the model off outside them (rvsim.timing.region)
            from .region import parse_regions, run_regions
            result["region"] = ",".join(task["regions"])
            stop, regions = run_regions(m, cfg, parse_regions(task["regions"]), warmup=task.get("warmup", 0),
                                        max_instructions=limit)
            never = [r.name for r in regions.values() if not r.entries]
            if never:
                raise RvsimError(f"the program never entered region {never[0]} ({stop.reason.value} at "
                                 f"{stop.pc:#x})")
            totals = {}
            for r in regions.values():
                _sum_into(totals, r.totals)
            instructions = totals.get("instructions", 0)
            timing = True
        elif begin in m.symbols and end in m.symbols:
            # The model runs through the setup, so the region starts with the caches and predictor as
            # the setup left them (the data it wrote is warm, as on hardware); its counters restart at
            # the region's first instruction, and the self-check after the region runs functional.
            # With fast_forward the setup runs functional too and the region starts cold.
            warm = None if task.get("fast_forward") else m.enable_timing(cfg)
            m.add_breakpoint(begin)
            stop = m.run(limit)
            m.remove_breakpoint(begin)
            if stop.reason is not StopReason.BREAKPOINT:
                m.disable_timing()
            else:
                timing = warm if warm is not None else m.enable_timing(cfg)
                timing.reset()
                m.add_breakpoint(end)
                stop = m.run(limit)
                m.remove_breakpoint(end)
                totals = timing.totals()
                instructions = totals["instructions"]
                m.disable_timing()
                if stop.reason is StopReason.BREAKPOINT:
                    stop = m.run(limit)          # the self-check, functional again
        else:
            result["region"] = "program"
            timing = m.enable_timing(cfg)
            stop = m.run(limit)
            totals = timing.totals()
            instructions = totals["instructions"]
        if timing is None:
            raise RvsimError(f"the program never reached {begin} ({stop.reason.value} at {stop.pc:#x})")
        if stop.reason is not StopReason.EXIT or stop.exit_code != 0:
            result["ok"] = False
            result["error"] = (f"exit code {stop.exit_code}" if stop.reason is StopReason.EXIT
                               else f"stopped: {stop.reason.value} at {stop.pc:#x}")
            from ..isa.arch import illegal_instruction_hint
            hint = illegal_instruction_hint(m, stop)
            if hint:
                result["error"] += f": {hint}"
            tail = out.getvalue().decode(errors="replace").strip().splitlines()
            if tail:
                result["error"] += f" ({tail[-1][:200]})"
        result["exit_code"] = stop.exit_code
    except (RvsimError, ValueError) as exc:
        return {"ok": False, "error": str(exc).splitlines()[0], "region": result["region"], "cycles": 0,
                "instructions": 0, "stalls": {}, "cache": {}, "vector": {}, "flops": 0, "int_ops": 0,
                "exit_code": None}
    result.update(cycles=totals.get("cycles", 0), instructions=instructions, stalls=totals.get("stalls", {}),
                  cache=totals.get("cache", {}), vector=totals.get("vector", {}), flops=totals.get("flops", 0),
                  int_ops=totals.get("int_ops", 0),
                  branches=totals.get("branches", 0), mispredicts=totals.get("mispredicts", 0))
    return result


# ------------------------------------------------------------------ points and results

@dataclass
class Point:
    """One measured point of a sweep (the fields the table, CSV and JSON show)."""

    kernel: str
    preset: str
    n: int | None
    cycles: int = 0
    instructions: int = 0
    work: int = 0
    fp: bool = True
    model_flops: int = 0            # the model's own FP operation count over the region
    model_int_ops: int = 0          # and its integer vector operation count
    peak: float = 0.0               # the preset's peak work per cycle for this kernel (0: unknown)
    region: str = "kernel"          # "kernel" (kernel_begin..kernel_end) or "program"
    ok: bool = True
    error: str = ""
    stalls: dict = field(default_factory=dict)
    vector_wait: dict = field(default_factory=dict)  # the vector unit's waits by cause (docs/timing.md 4.7)
    vector_busy: dict = field(default_factory=dict)  # % of cycles each vector pipe kind was busy
    settings: dict = field(default_factory=dict)     # the swept parameters and defsyms of this point
    raw: dict = field(default_factory=dict, repr=False)
    key: str = ""
    cached: bool = False
    dram_bandwidth: float = 0.0     # the preset's DRAM bytes per cycle (0: not limited)

    @property
    def ipc(self) -> float:
        return self.instructions / self.cycles if self.cycles else 0.0

    @property
    def work_per_cycle(self) -> float:
        return self.work / self.cycles if self.cycles else 0.0

    @property
    def utilisation(self) -> float | None:
        return self.work_per_cycle / self.peak if self.peak else None

    @property
    def dram_bytes_per_cycle(self) -> float:
        """Achieved DRAM bandwidth over the region (reads, writebacks and prefetches)."""
        return self.raw.get("cache", {}).get("dram_bytes", 0) / self.cycles if self.cycles else 0.0

    @property
    def dram_pct(self) -> float | None:
        """Achieved DRAM bandwidth as a percentage of the configured one (None: not limited)."""
        return 100.0 * self.dram_bytes_per_cycle / self.dram_bandwidth if self.dram_bandwidth else None

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("raw")
        d.update(ipc=round(self.ipc, 4), work_per_cycle=round(self.work_per_cycle, 4),
                 utilisation=None if self.utilisation is None else round(self.utilisation, 4),
                 dram_bytes_per_cycle=round(self.dram_bytes_per_cycle, 4),
                 dram_pct=None if self.dram_pct is None else round(self.dram_pct, 2))
        return d

    def row(self, cfg: dict | None = None) -> dict:
        """One flat DataFrame row: parameters, counters, stall breakdown, rates."""
        from . import STALL_CAUSES, VECTOR_PIPES, VECTOR_WAITS
        raw = self.raw
        cache = raw.get("cache", {})
        vec = raw.get("vector", {})
        d = {"kernel": self.kernel, "preset": self.preset, "size": self.n}
        d.update(self.settings)
        d.update(cycles=self.cycles, instructions=self.instructions, ipc=self.ipc, work=self.work,
                 work_per_cycle=self.work_per_cycle, flops=self.model_flops,
                 flops_per_cycle=self.model_flops / self.cycles if self.cycles else 0.0,
                 peak=self.peak, utilisation=self.utilisation)
        for c in STALL_CAUSES:
            d[f"stall_{c}"] = raw.get("stalls", {}).get(c, 0)
        dram = cache.get("dram_bytes", 0)
        d.update(l1d_accesses=cache.get("l1d_accesses", 0), l1d_misses=cache.get("l1d_misses", 0),
                 l2_misses=cache.get("l2_misses", 0), dram_bytes=dram,
                 dram_bytes_per_cycle=dram / self.cycles if self.cycles else 0.0, dram_pct=self.dram_pct,
                 flops_per_dram_byte=self.model_flops / dram if dram else float("nan"))
        for p in VECTOR_PIPES:
            busy = vec.get("busy", {}).get(p, 0)
            pipes = max(1, cfg["vector"]["pipes"][p]) if cfg else 1
            d[f"vbusy_{p}"] = busy / (self.cycles * pipes) if self.cycles else 0.0
        for w in VECTOR_WAITS:
            d[f"vwait_{w}"] = vec.get("wait", {}).get(w, 0)
            d[f"vqueue_full_{w}"] = vec.get("queue_full", {}).get(w, 0)
        d.update(int_ops=self.model_int_ops,
                 int_ops_per_cycle=self.model_int_ops / self.cycles if self.cycles else 0.0)
        d.update(region=self.region, ok=self.ok, error=self.error, cached=self.cached, key=self.key)
        return d


# The instruction classes a kernel's peak can be computed for (Kernel.unit).
PEAK_UNITS = ("vfma", "vmul", "vdot", "vbf16mac", "vtile")


def peak_per_cycle(cfg: dict, kernel) -> float:
    """The preset's peak operations per cycle (multiply-add = 2) for the kernel's arithmetic: every pipe
    its instruction class runs on busy with it, at the rates the model times it at (docs/timing.md
    section 4.2): ``vfma``/``vmul`` at ``kernel.sew`` bits per element on the arithmetic pipes, ``vdot``
    a 4-way dot product per 32-bit result at ``ml.dot_width``, ``vbf16mac`` a multiply-add per 32-bit
    result at ``ml.bf16_width``, ``vtile`` ``ml.tile_te``^2 multiply-adds per tile pipe.  0 for scalar
    kernels and presets without a vector unit."""
    vec, ml = cfg["vector"], cfg["ml"]
    unit = getattr(kernel, "unit", "vfma")
    if not (kernel.vector and vec["enabled"]) or unit not in PEAK_UNITS:
        return 0.0
    pipes = max(1, vec["pipes"]["arith"])
    width = vec["width"]["arith"] or vec["dlen"]
    if unit == "vdot":
        return pipes * (ml["dot_width"] or width) / 32 * 4 * 2
    if unit == "vbf16mac":
        return pipes * (ml["bf16_width"] or width) / 32 * 2
    if unit == "vtile":
        te = ml["tile_te"] or min(32, vec["vlen"] // 4)      # 0: the machine's default TE
        return max(1, vec["pipes"]["tile"]) * te * te * 2
    return pipes * width / kernel.sew * 2


def bandwidth_roof(cfg: dict) -> float:
    """The preset's DRAM bytes per cycle (0: not limited)."""
    return float(cfg["memory"]["dram"]["bandwidth"])


@dataclass
class PlannedPoint:
    kernel: str
    size: int | None
    preset: str
    settings: dict
    config: dict
    built: Built
    task: dict
    key: str


def _point_from(plan: PlannedPoint, raw: dict, cached: bool) -> Point:
    b = plan.built
    work = b.work if b.work is not None else raw.get("flops", 0)
    return Point(plan.kernel, plan.preset, plan.size, cycles=raw.get("cycles", 0),
                 instructions=raw.get("instructions", 0), work=work, fp=b.fp,
                 model_flops=raw.get("flops", 0), model_int_ops=raw.get("int_ops", 0),
                 peak=peak_per_cycle(plan.config, b),
                 region=raw.get("region", "kernel"), ok=raw.get("ok", False), error=raw.get("error", ""),
                 stalls={k: v for k, v in raw.get("stalls", {}).items() if v},
                 vector_wait={k: v for k, v in raw.get("vector", {}).get("wait", {}).items() if v},
                 vector_busy=_busy_pct(plan.config, raw),
                 settings=dict(plan.settings),
                 raw=raw, key=plan.key, cached=cached, dram_bandwidth=bandwidth_roof(plan.config))


def plan(kernels, sizes=None, presets=None, grid=None, defsym=None, *, asm=None, isa=None,
         size_symbol="N", max_instructions=None, region=REGION, fast_forward: bool = False, warn=None,
         store=None,
         jobs: int = 1, regions=None, warmup: int = 0) -> list[PlannedPoint]:
    """Every kernel x size x defsym x preset x grid point, each program built once (``store``: a
    ResultCache whose assembled programs are reused; ``jobs``: processes that assemble them).
    ``regions`` (``[NAME=]BEGIN:END`` strings, as ``rvsim run --region``) times those regions instead of
    kernel_begin..kernel_end, with ``warmup`` uncounted instructions at each entry."""
    from .cache import digest, point_key
    from .config import TimingConfigError
    regions = list(regions or [])
    if regions:
        from .region import parse_regions
        try:
            parse_regions(regions)
        except TimingConfigError as exc:
            raise BenchError(str(exc)) from None
    if warmup < 0:
        raise BenchError("the warm-up must be at least 0 instructions")
    if warmup and not regions:
        raise BenchError("a warm-up needs regions (--region)")
    if regions and fast_forward:
        raise BenchError("--fast-forward and --region: regions always run with the model off outside them")
    sources = [make_source(k, asm, isa, size_symbol) for k in kernels]
    presets = list(presets or DEFAULT_PRESETS)
    try:
        base = [preset_data(p) for p in presets]     # by position: a preset may be a config dict
    except TimingConfigError as exc:
        raise BenchError(str(exc)) from None
    grid = dict(grid or {})
    combos = [dict(zip(grid, vals)) for vals in itertools.product(*grid.values())] if grid else [{}]
    dgrid = dict(defsym or {})
    dcombos = [dict(zip(dgrid, vals)) for vals in itertools.product(*dgrid.values())] if dgrid else [{}]
    configs, config_digests = {}, {}
    for i in range(len(presets)):
        for combo in combos:
            ck = (i, json.dumps(combo, sort_keys=True))
            configs[ck] = apply_settings(base[i], combo)
            config_digests[ck] = digest(configs[ck])
    points = []
    builds = []
    for src in sources:
        for n in (list(sizes) if sizes else list(src.sizes)):
            why = src.accepts(n)
            if why:
                if warn:
                    warn(f"skipping {src.name} at N={n} ({why})")
                continue
            builds.extend((src, n, dcombo) for dcombo in dcombos)
    store = store if store is not None else _Programs()
    _assemble_ahead(builds, store, jobs)
    for src, n, dcombo in builds:
        built = src.build(n, dcombo, store)
        elf_digest = digest(built.elf)
        for i, p in enumerate(presets):
            for combo in combos:
                ck = (i, json.dumps(combo, sort_keys=True))
                cfg = configs[ck]
                task = {"elf": built.elf, "isa": built.isa, "config": cfg, "argv": list(built.argv),
                        "max_instructions": max_instructions, "region": list(region),
                        "fast_forward": fast_forward}
                if regions:
                    task.update(regions=regions, warmup=warmup)
                key = point_key(elf_digest, built.isa, config_digests[ck], built.argv, max_instructions,
                                (["regions"] + regions + [f"warmup={warmup}"]) if regions else
                                list(region) + (["fast-forward"] if fast_forward else []))
                settings = dict(combo)
                settings.update({f"defsym.{k}": v for k, v in dcombo.items()})
                points.append(PlannedPoint(src.name, n, cfg["name"] or str(p), settings, cfg,
                                           built, task, key))
    return points


# ------------------------------------------------------------------ running a sweep

def _ignore_sigint() -> None:
    # worker processes: Ctrl-C is the parent's to handle (it stops the pool), not a traceback per worker
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _measure_indexed(item):
    i, task = item
    return i, measure(task)


def _run_local(todo, jobs, on_result):
    if jobs <= 1:
        for pp in todo:
            on_result(pp, measure(pp.task))
        return
    import multiprocessing
    pool = multiprocessing.get_context().Pool(jobs, initializer=_ignore_sigint)
    try:
        for i, raw in pool.imap_unordered(_measure_indexed, [(i, pp.task) for i, pp in enumerate(todo)]):
            on_result(todo[i], raw)
    except BaseException:
        pool.terminate()            # Ctrl-C or an error: stop the workers now (finished points are stored)
        pool.join()
        raise
    pool.close()
    pool.join()


def dask_client(address: str):
    """A dask.distributed Client: ``local:N`` starts a LocalCluster of N worker processes (one thread
    each), anything else is a scheduler address (tcp://host:8786)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise BenchError("--dask needs dask.distributed (pip install 'rvsim[sweep]')") from None
    if address.startswith("local"):
        _, _, n = address.partition(":")
        try:
            workers = int(n or os.cpu_count() or 1)
        except ValueError:
            raise BenchError(f"--dask {address}: write local:N with N worker processes") from None
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster)
    try:
        return Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise BenchError(f"--dask {address}: cannot reach the scheduler: {exc}") from None


def _run_dask(todo, client, on_result, retries: int):
    from dask.distributed import as_completed
    # a point's key is its cache key: the scheduler never runs the same point twice at once
    futures = {}
    for pp in todo:
        fut = client.submit(measure, pp.task, key=f"rvsim-point-{pp.key}", retries=retries, pure=False)
        futures[fut] = pp
    try:
        for fut in as_completed(list(futures)):
            on_result(futures[fut], fut.result())
    except BaseException:
        client.cancel(list(futures))
        raise


def run_sweep(points: list[PlannedPoint], *, cache=None, use_cache=True, jobs=2, dask=None, retries=3,
              progress=None) -> list[Point]:
    """Measure every planned point not already in the cache (written to it as each arrives); returns
    the points in plan order.  ``cache``: a ResultCache, a directory, or None for the user cache.
    ``dask``: a scheduler address, ``local:N`` or a dask.distributed Client."""
    from .cache import ResultCache
    store = None
    if use_cache:
        store = cache if isinstance(cache, ResultCache) else ResultCache(cache)
    results: dict[str, tuple[dict, bool]] = {}
    if store is not None:
        for k, v in store.get_many({pp.key for pp in points}).items():
            results[k] = (v, True)
    todo, seen = [], set()
    for pp in points:
        if pp.key not in results and pp.key not in seen:
            seen.add(pp.key)
            todo.append(pp)
    if progress:
        progress.start(len(points), len(points) - len(todo))

    def on_result(pp, raw):
        results[pp.key] = (raw, False)
        if store is not None:
            store.put(pp.key, raw)
        if progress:
            progress.advance(pp)

    try:
        if todo:
            if dask is not None:
                client, own = (dask, False) if not isinstance(dask, str) else (dask_client(dask), True)
                try:
                    _run_dask(todo, client, on_result, retries)
                finally:
                    if own:
                        cluster = getattr(client, "cluster", None)
                        client.close()
                        if cluster is not None:
                            cluster.close()
            else:
                _run_local(todo, jobs, on_result)
    finally:
        if progress:
            progress.stop()
        if store is not None and not isinstance(cache, ResultCache):
            store.close()
    return [_point_from(pp, *results[pp.key]) for pp in points if pp.key in results]


def to_frame(points: list[Point], configs=None):
    """A pandas DataFrame, one row per point (see :meth:`Point.row` for the columns)."""
    import pandas as pd
    rows = [p.row(configs[i] if configs else None) for i, p in enumerate(points)]
    return pd.DataFrame(rows)


def sweep(kernels=DEFAULT_KERNELS, sizes=None, presets=DEFAULT_PRESETS, grid=None, *, defsym=None,
          jobs: int = 2, dask=None, cache=None, use_cache: bool = True, asm=None, isa=None,
          max_instructions=None, fast_forward: bool = False, retries: int = 3, progress=None,
          frame: bool = True, regions=None, warmup: int = 0):
    """The Python API: measure a sweep and return a pandas DataFrame (one row per point) or, with
    ``frame=False``, the list of :class:`Point`.

    >>> df = sweep(["rvv_fp32_m4", "asm/my_kernel.s", build_fn], sizes=[16, 32], presets=["x60"],
    ...            grid={"vector.dlen": [128, 256, 512]}, dask="local:2")   # doctest: +SKIP

    ``grid`` maps dotted preset keys to value lists (or pass the ``--set`` strings through
    :func:`parse_grid`); ``defsym`` maps assembly symbols to value lists.  The model runs through each
    program's setup and counts from ``kernel_begin``; ``fast_forward=True`` runs the setup functional
    instead, so the region starts cold.  ``regions`` (``["[NAME=]BEGIN:END", ...]``, as ``rvsim run
    --region``) times every pass through those regions instead, the model off outside them, with
    ``warmup`` uncounted instructions at each entry; a point's counters are the regions' sum.
    """
    if isinstance(grid, (list, tuple)):
        grid = parse_grid(grid)
    from .cache import ResultCache
    store = None
    if use_cache:
        store = cache if isinstance(cache, ResultCache) else ResultCache(cache)
    try:
        planned = plan(kernels, sizes, presets, grid, defsym, asm=asm, isa=isa,
                       max_instructions=max_instructions, fast_forward=fast_forward, store=store, jobs=jobs,
                       regions=regions, warmup=warmup)
        points = run_sweep(planned, cache=store, use_cache=use_cache, jobs=jobs, dask=dask,
                           retries=retries, progress=progress)
    finally:
        if store is not None and store is not cache:
            store.close()
    if not frame:
        return points
    by_key = {pp.key: pp.config for pp in planned}
    return to_frame(points, [by_key[p.key] for p in points])


def run_point(kernel_name: str, n: int, preset, asm: str | None = None,
              max_instructions: int | None = None) -> Point:
    """One built-in kernel at one size on one preset, measured now (no cache)."""
    planned = plan([kernel_name], [n], [preset], asm=asm, max_instructions=max_instructions)
    pp = planned[0]
    return _point_from(pp, measure(pp.task), False)


class RichProgress:
    """A rich progress bar on stderr (a plain count when stderr is not a terminal)."""

    def __init__(self, file=None):
        self.file = file or sys.stderr
        self._bar = None
        self.measured = 0
        self.cached = 0

    def start(self, total, cached):
        self.cached = cached
        if not self.file.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        self._bar = Progress(TextColumn("[bold]rvsim bench"), BarColumn(), MofNCompleteColumn(),
                             TimeRemainingColumn(), TextColumn("{task.description}"),
                             console=Console(file=self.file), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("", total=total, completed=cached)

    def advance(self, pp):
        self.measured += 1
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=f"{pp.kernel} N={pp.size} {pp.preset}")

    def stop(self):
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


# ------------------------------------------------------------------ output

def print_table(points, file=None, settings_columns=()) -> None:
    from rich.console import Console
    from rich.table import Table
    con = Console(file=file or sys.stdout, highlight=False)
    if not con.is_terminal:
        con = Console(file=file or sys.stdout, highlight=False, width=200)
    t = Table(show_edge=False, box=None, pad_edge=False)
    cols = [("kernel", "left"), ("preset", "left"), ("N", "right")]
    cols += [(s, "right") for s in settings_columns]
    cols += [("cycles", "right"), ("instructions", "right"), ("IPC", "right"), ("work/cycle", "right"),
             ("peak %", "right"), ("DRAM B/cycle", "right"), ("vector waits on", "left"), ("check", "left")]
    for col, just in cols:
        t.add_column(col, justify=just)
    for p in points:
        unit = "FLOP" if p.fp else "OP"
        util = p.utilisation
        t.add_row(p.kernel, p.preset, "-" if p.n is None else str(p.n),
                  *[str(p.settings.get(s, "")) for s in settings_columns],
                  f"{p.cycles:,}", f"{p.instructions:,}", f"{p.ipc:.2f}",
                  f"{p.work_per_cycle:.3f} {unit}", f"{100 * util:.1f}" if util is not None else "-",
                  _dram_cell(p),
                  _top_wait(p),
                  ("ok" if p.ok else f"FAILED: {p.error}") + ("" if p.region == "kernel" else
                                                               " (whole program)" if p.region == "program"
                                                               else f" (region {p.region})"))
    con.print(t)


def _dram_cell(p) -> str:
    """Achieved DRAM bandwidth, and its share of the configured one: '5.91 (74%)'."""
    if not p.raw.get("cache", {}).get("dram_bytes"):
        return "-"
    pct = p.dram_pct
    return f"{p.dram_bytes_per_cycle:.2f}" + (f" ({pct:.0f}%)" if pct is not None else "")


def _busy_pct(cfg: dict, raw: dict) -> dict:
    """Per vector pipe kind, the % of the region's cycles its pipes were busy (the pipes that worked)."""
    cycles, busy = raw.get("cycles", 0), raw.get("vector", {}).get("busy", {})
    if not cycles or not cfg["vector"]["enabled"]:
        return {}
    return {p: round(100.0 * n / (cycles * max(1, cfg["vector"]["pipes"][p])), 2) for p, n in busy.items() if n}


def _top_wait(p) -> str:
    """The vector unit's main wait, as a share of the cycles ("memory 41%"), or "-"."""
    if not p.vector_wait or not p.cycles:
        return "-"
    w, n = max(p.vector_wait.items(), key=lambda kv: kv[1])
    return f"{w} {100.0 * n / p.cycles:.0f}%"


def write_csv(points, path) -> None:
    fields = ["kernel", "preset", "n", "cycles", "instructions", "ipc", "work", "fp", "work_per_cycle",
              "peak", "utilisation", "dram_bytes_per_cycle", "dram_pct", "model_flops", "model_int_ops",
              "region", "ok", "error"]
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for p in points:
            w.writerow(p.to_dict())


def write_json(points, path) -> None:
    with open(path, "w") as fh:
        json.dump([p.to_dict() for p in points], fh, indent=2)
        fh.write("\n")


def write_frame(df, path) -> None:
    """The DataFrame as .csv, .json (records) or .parquet (needs pyarrow), by the file's extension."""
    p = str(path)
    if p.endswith(".parquet"):
        df.to_parquet(p, index=False)
    elif p.endswith(".json"):
        df.to_json(p, orient="records", indent=2)
    elif p.endswith(".csv"):
        df.to_csv(p, index=False)
    else:
        raise BenchError(f"--out {p}: the file must end in .csv, .json or .parquet")


def plot(points, path) -> None:
    """Cycles and work per cycle against N, one line per kernel, preset and setting (needs matplotlib)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    series: dict = {}
    for p in points:
        if p.ok and p.n is not None:
            label = " ".join([p.kernel, "/", p.preset] + [f"{k}={v}" for k, v in sorted(p.settings.items())])
            series.setdefault(label, []).append(p)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    for label, pts in sorted(series.items()):
        pts.sort(key=lambda p: p.n)
        ax1.plot([p.n for p in pts], [p.cycles for p in pts], marker="o", label=label)
        ax2.plot([p.n for p in pts], [p.work_per_cycle for p in pts], marker="o", label=label)
    ax1.set(yscale="log", xlabel="N", ylabel="cycles", title="cycles")
    ax2.set(xlabel="N", ylabel="FLOP (or OP) per cycle", title="work per cycle")
    sizes = sorted({p.n for pts in series.values() for p in pts})
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        if sizes:
            ax.set_xticks(sizes, [str(n) for n in sizes])
        ax.minorticks_off()
        ax.grid(True, which="both", alpha=0.3)
    ax2.legend(fontsize="small", loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_against(df, parameter: str, path, metrics=("cycles", "utilisation")) -> None:
    """Each metric against a swept parameter (a column of the DataFrame), one line per kernel, size and
    preset."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    if parameter not in df.columns:
        raise BenchError(f"--plot-against {parameter}: not a column (size, or a swept parameter: "
                         f"{', '.join(c for c in df.columns if '.' in c) or 'none'})")
    ok = df[df["ok"]]
    fig, axes = plt.subplots(1, len(metrics), figsize=(6 * len(metrics), 4.8), squeeze=False)
    groups = [c for c in ["kernel", "size", "preset"] + [c for c in df.columns if "." in c] if c != parameter]
    for ax, metric in zip(axes[0], metrics):
        for name, g in ok.groupby(groups, dropna=False, sort=True):
            g = g.groupby(parameter, sort=True)[metric].mean()
            label = " ".join(str(v) for v in (name if isinstance(name, tuple) else (name,)))
            ax.plot(list(g.index), list(g.values), marker="o", label=label)
        ax.set(xlabel=parameter, ylabel=metric, title=f"{metric} against {parameter}")
        if metric == "cycles":
            ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
    axes[0][-1].legend(fontsize="x-small", loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_roofline(df, configs, path) -> None:
    """FLOP per DRAM byte against FLOP per cycle: the points, coloured by preset, under the roofs of the
    configurations swept (compute roof: the vector FP32 peak; bandwidth roof: DRAM bytes per cycle).
    ``configs``: the resolved configs of the points (one roof per distinct pair of roofs)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    pts = df[df["ok"] & (df["dram_bytes"] > 0) & (df["flops"] > 0)]
    xs = list(pts["flops_per_dram_byte"]) or [1.0]
    lo, hi = min(xs) / 4, max(xs) * 4
    grid = [lo * (hi / lo) ** (i / 100) for i in range(101)]
    colours = {}
    roofs = {}
    for cfg in (configs.values() if isinstance(configs, dict) else configs):
        compute = peak_per_cycle(cfg, Built(b"", "", fp=True, sew=32, vector=True)) or \
            2.0 * max(1, cfg["core"]["units"]["fpu"])
        roofs.setdefault((cfg["name"], compute, bandwidth_roof(cfg)), None)
    for name in sorted({r[0] for r in roofs} | set(pts["preset"])):
        colours[name] = f"C{len(colours) % 10}"
    compute_names: dict = {}
    for (name, compute, bw) in sorted(roofs):
        roof = [min(compute, bw * x) if bw else compute for x in grid]
        ax.plot(grid, roof, color=colours[name], linewidth=1.2, alpha=0.7, linestyle="--")
        compute_names.setdefault(compute, set()).add(name)
    for compute, names in compute_names.items():
        ax.annotate(f"{', '.join(sorted(names))}: {compute:g} FLOP/cycle", (grid[-1], compute),
                    fontsize="x-small", ha="right", va="bottom")
    for bw in sorted({bw for _, _, bw in roofs if bw}):
        ax.annotate(f"{bw:g} B/cycle", (grid[0], bw * grid[0]), fontsize="x-small", ha="left", va="bottom",
                    rotation=30)
    for name, sub in pts.groupby("preset"):
        ax.scatter(sub["flops_per_dram_byte"], sub["flops_per_cycle"], color=colours[name], s=16,
                   label=str(name))
    ax.set(xscale="log", yscale="log", xlabel="FLOP per DRAM byte", ylabel="FLOP per cycle",
           title="roofline (dashed: the roofs of the configurations swept)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ------------------------------------------------------------------ command line

def main_bench(argv) -> int:
    ap = argparse.ArgumentParser(prog="rvsim bench", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--kernel", action="append", metavar="NAME|FILE.s|ELF",
                    help=f"kernels: built-in names, assembly files or ELF executables (default: "
                         f"{' '.join(DEFAULT_KERNELS)}; 'all' for every built-in one)")
    ap.add_argument("--size", action="append", type=parse_size, metavar="N",
                    help="sizes N (default: each kernel's own); --defsym N=size for assembly, the first "
                         "argument for an ELF")
    ap.add_argument("--size-symbol", default="N", metavar="NAME", help="the assembly symbol of the size")
    ap.add_argument("--defsym", action="append", metavar="NAME=V[,V...]",
                    help="assembly symbols (a list sweeps them)")
    ap.add_argument("--preset", action="append", metavar="PRESET|FILE.toml",
                    help=f"timing presets (default: {' '.join(DEFAULT_PRESETS)})")
    ap.add_argument("--set", action="append", dest="settings", metavar="KEY=V[,V...]",
                    help="a preset parameter, or a list of values to sweep (vector.dlen=128,256)")
    ap.add_argument("--isa", help="ISA (default: the program's .riscv.attributes / .attribute arch, "
                                  f"else {DEFAULT_ISA})")
    ap.add_argument("--max-insns", type=int, default=None, metavar="N", help="instruction limit per point")
    ap.add_argument("--fast-forward", action="store_true",
                    help="run each program's setup with the model off (functional speed): the region "
                         "between kernel_begin and kernel_end then starts cold (default: the model runs "
                         "through the setup, which leaves the kernel's data in the caches)")
    ap.add_argument("--region", action="append", metavar="[NAME=]BEGIN:END|FUNCTION",
                    help="time this region instead of kernel_begin..kernel_end: labels, addresses, FILE:LINE, "
                         "a function (each call) or 'markers', as for rvsim run (repeatable; a point counts every pass through "
                         "every region, the model off outside them)")
    ap.add_argument("--warmup", type=int, default=0, metavar="N",
                    help="with --region: N instructions of each region entry on the model uncounted")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="local worker processes (default 2)")
    ap.add_argument("--dask", metavar="tcp://HOST:8786|local:N",
                    help="run the points on a Dask cluster (pip install 'rvsim[sweep]')")
    ap.add_argument("--retries", type=int, default=3, help="Dask: times a failed point is retried")
    ap.add_argument("--cache", metavar="DIR", help="result cache directory (default $RVSIM_CACHE_DIR or "
                                                   "~/.cache/rvsim)")
    ap.add_argument("--no-cache", action="store_true", help="measure every point again (nothing stored)")
    ap.add_argument("--out", metavar="FILE", help="write one row per point as .csv, .json or .parquet")
    ap.add_argument("--csv", metavar="FILE.csv", help="write the points as CSV (the table's columns)")
    ap.add_argument("--json", metavar="FILE.json", help="write the points as JSON")
    ap.add_argument("--plot", metavar="FILE.png", help="draw cycles and FLOP/cycle against N "
                                                       "(needs matplotlib: pip install rvsim[plot])")
    ap.add_argument("--plot-against", nargs=2, metavar=("KEY", "FILE.png"),
                    help="draw cycles and utilisation against a swept parameter")
    ap.add_argument("--roofline", metavar="FILE.png", help="draw a roofline (FLOP/DRAM byte vs FLOP/cycle)")
    ap.add_argument("--asm-dir", metavar="DIR", help="where the built-in kernels are (default: asm/)")
    ap.add_argument("--list", action="store_true", help="list the built-in kernels and exit")
    ap.add_argument("--quiet", "-q", action="store_true", help="no table")
    args = ap.parse_args(argv)
    if args.list:
        for k in KERNELS.values():
            print(f"{k.name:18s} {k.file:28s} sizes {' '.join(map(str, k.sizes)):16s} {k.description}")
        return 0
    kernels = args.kernel or list(DEFAULT_KERNELS)
    if "all" in kernels:
        kernels = list(KERNELS)
    try:
        asm = str(args.asm_dir) if args.asm_dir else None
        if asm is None and any(k in KERNELS and not os.path.exists(k) for k in kernels):
            asm = str(asm_dir())
    except FileNotFoundError as exc:
        ap.exit(2, f"rvsim bench: {exc}\n")
    wants_frame = args.out or args.plot_against or args.roofline
    needs = []
    if args.plot or args.plot_against or args.roofline:
        needs.append(("matplotlib", "plot"))
    if wants_frame:
        needs.append(("pandas", "sweep"))
    if args.out and args.out.endswith(".parquet"):
        needs.append(("pyarrow", "sweep"))
    for mod, extra in needs:
        try:
            __import__(mod)
        except ImportError:
            ap.exit(2, f"rvsim bench: this needs {mod} (pip install 'rvsim[{extra}]')\n")
    if args.out and not args.out.endswith((".csv", ".json", ".parquet")):
        ap.exit(2, f"rvsim bench: --out {args.out}: the file must end in .csv, .json or .parquet\n")
    if any(n < 1 for n in args.size or ()):
        ap.exit(2, "rvsim bench: sizes must be positive\n")
    presets = args.preset or list(DEFAULT_PRESETS)
    store = None
    if not args.no_cache:
        from .cache import ResultCache
        try:
            store = ResultCache(args.cache)
        except OSError as exc:
            ap.exit(2, f"rvsim bench: cannot open the result cache: {exc}\n")
    try:
        grid = parse_grid(args.settings)
        planned = plan(kernels, args.size, presets, grid, parse_defsyms(args.defsym), asm=asm, isa=args.isa,
                       size_symbol=args.size_symbol, max_instructions=args.max_insns,
                       fast_forward=args.fast_forward, warn=lambda msg: sys.stderr.write(f"rvsim bench: {msg}\n"), store=store,
                       jobs=max(1, args.jobs), regions=args.region, warmup=args.warmup)
    except BenchError as exc:
        ap.exit(2, f"rvsim bench: {exc}\n")
    progress = RichProgress()
    try:
        points = run_sweep(planned, cache=store, use_cache=not args.no_cache, jobs=max(1, args.jobs),
                           dask=args.dask, retries=args.retries, progress=progress)
    except BenchError as exc:
        ap.exit(2, f"rvsim bench: {exc}\n")
    except KeyboardInterrupt:
        done = progress.measured + progress.cached
        sys.stderr.write(f"\nrvsim bench: interrupted; {done} of {len(planned)} points are done"
                         + ("" if args.no_cache else " and cached (run the same command to resume)") + "\n")
        return EXIT_INTERRUPTED
    sys.stderr.write(f"rvsim bench: {len(points)} points, {progress.measured} measured, "
                     f"{progress.cached} from the cache\n")
    settings_columns = list(grid) + [f"defsym.{k}" for k in parse_defsyms(args.defsym)
                                     if len(parse_defsyms(args.defsym)[k]) > 1]
    settings_columns = [c for c in settings_columns if c in grid and len(grid[c]) > 1 or c.startswith("defsym.")]
    if not args.quiet:
        print_table(points, settings_columns=settings_columns)
    if args.csv:
        write_csv(points, args.csv)
    if args.json:
        write_json(points, args.json)
    if args.plot:
        plot(points, args.plot)
        sys.stderr.write(f"rvsim bench: plot written to {args.plot}\n")
    if wants_frame:
        by_key = {pp.key: pp.config for pp in planned}
        df = to_frame(points, [by_key[p.key] for p in points])
        try:
            if args.out:
                write_frame(df, args.out)
            if args.plot_against:
                plot_against(df, args.plot_against[0], args.plot_against[1])
            if args.roofline:
                plot_roofline(df, [pp.config for pp in planned], args.roofline)
        except BenchError as exc:
            ap.exit(2, f"rvsim bench: {exc}\n")
    return 0 if all(p.ok for p in points) else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main_bench(sys.argv[1:]))
