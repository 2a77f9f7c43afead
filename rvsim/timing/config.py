"""Timing presets: TOML files that set the cycle model's parameters (docs/timing.md explains each).

A preset names only what it changes; everything else takes the default below.  Keys are checked
strictly: an unknown key is an error that names the key and lists the valid ones, so a typo never
silently leaves a default in place.  ``load_config("x60")`` reads a shipped preset
(rvsim/timing/presets/x60.toml); any other argument is a path to a TOML file.
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from ..errors import RvsimError
from ..isa.classes import SCALAR_CLASSES, VECTOR_CLASSES

PRESET_DIR = Path(__file__).resolve().parent / "presets"


class TimingConfigError(RvsimError, ValueError):
    """A timing preset that cannot be used (unknown key, wrong type, impossible value)."""


class TimingConfigWarning(UserWarning):
    """A timing preset that can be used but probably does not say what its author meant."""


# Scalar unit kinds and the unit each scalar class issues to (fixed: docs/timing.md section 2.3).
UNITS = ("alu", "branch", "mul", "div", "lsu", "fpu", "fdiv", "csr", "vector")
UNIT_OF = {
    "alu": "alu", "vset": "alu", "branch": "branch", "jal": "branch", "jalr": "branch",
    "mul": "mul", "div": "div", "load": "lsu", "store": "lsu", "amo": "lsu",
    "fadd": "fpu", "fmul": "fpu", "fma": "fpu", "fmisc": "fpu", "fdiv": "fdiv", "fsqrt": "fdiv",
    "csr": "csr", "fence": "csr", "system": "csr",
}
VECTOR_ISSUE_CLASSES = tuple(c for c in VECTOR_CLASSES if c != "vset")
PREDICTORS = ("static", "not-taken", "bimodal", "gshare")
VPIPES = ("arith", "permute", "memory", "tile")
# Vector pipe of each vector class (reductions: vector.reduction_pipe).
VPIPE_OF = {
    "vload": "memory", "vstore": "memory", "vtilemove": "memory",
    "vmove": "permute", "vslide": "permute", "vgather": "permute", "vcompress": "permute",
    "vmvr": "permute", "vtile": "tile",
}
REDUCTIONS = ("vred", "vfred", "vfredo")

_SCALAR_LATENCY = {c: 1 for c in SCALAR_CLASSES if c != "vset"}
_SCALAR_LATENCY.update(load=2, mul=3, div=20, fadd=4, fmul=4, fma=4, fdiv=20, fsqrt=20, fmisc=2)
_VECTOR_LATENCY = {c: 4 for c in VECTOR_ISSUE_CLASSES}
_VECTOR_LATENCY.update(vload=4, vstore=1, vtoscalar=2, vfromscalar=2, vdiv=8, vfdiv=8)

# Every key a preset may set, with its default (the type of the default is the type required).
DEFAULTS: dict = {
    "name": "",
    "description": "",
    "core": {
        "issue_width": 1,
        "mispredict_penalty": 2,
        "taken_penalty": 0,
        "serialize_csr": True,
        "predictor": {"kind": "static", "entries": 1024, "history_bits": 10, "btb_entries": 0,
                      "ras_entries": 0},
        "units": {u: 1 for u in UNITS},
        "latency": dict(_SCALAR_LATENCY, vset=1),
        "occupancy": {c: (0 if c in ("div", "fdiv", "fsqrt") else 1)
                      for c in list(SCALAR_CLASSES) + ["vset"]},
        "divide": {"operand_dependent": False, "bits_per_cycle": 1},
    },
    "memory": {
        "l1i": {"size": 0, "ways": 1, "line": 64},
        "l1d": {"size": 0, "ways": 1, "line": 64, "write_back": True, "mshrs": 0},
        "l2": {"size": 0, "ways": 8, "line": 64, "latency": 12, "write_back": True, "mshrs": 0},
        "dram": {"latency": 0, "bandwidth": 0},
        "prefetch": {"enabled": False, "level": "l2", "streams": 8, "distance": 16},
    },
    "vector": {
        "enabled": False,
        "vlen": 256,
        "dlen": 128,
        "queue_depth": 4,
        "issue_latency": 1,
        "chaining": True,
        "reduction_pipe": "arith",
        "acc_latency": 0,
        "masked_factor": 1.0,
        "e64_mul_factor": 1,
        "strided_cycles": 1,
        "mem_via_l1": True,
        "to_scalar_latency": 1,
        "pipes": {p: 1 for p in VPIPES},
        "width": {"arith": 0, "permute": 0, "memory": 0, "tile": 0},
        "latency": dict(_VECTOR_LATENCY),
        "cost": {c: 1 for c in VECTOR_ISSUE_CLASSES},
        "extra": {c: 0.0 for c in VECTOR_ISSUE_CLASSES},
        "tree_step": {c: 0.0 for c in REDUCTIONS},
    },
    "ml": {"tile_te": 0, "dot_width": 0, "bf16_width": 0},
}


def _merge(defaults: dict, given: dict, where: str) -> dict:
    out = copy.deepcopy(defaults)
    for key, value in given.items():
        path = f"{where}.{key}" if where else key
        if key not in defaults:
            valid = ", ".join(sorted(defaults))
            raise TimingConfigError(f"unknown key {path!r} (valid keys{' in [' + where + ']' if where else ''}: "
                                    f"{valid})")
        d = defaults[key]
        if isinstance(d, dict):
            if not isinstance(value, dict):
                raise TimingConfigError(f"{path} must be a table")
            out[key] = _merge(d, value, path)
        elif isinstance(d, bool):
            if not isinstance(value, bool):
                raise TimingConfigError(f"{path} must be true or false (got {value!r})")
            out[key] = value
        elif isinstance(d, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TimingConfigError(f"{path} must be a non-negative integer (got {value!r})")
            out[key] = value
        elif isinstance(d, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise TimingConfigError(f"{path} must be a non-negative number (got {value!r})")
            out[key] = float(value)
        elif isinstance(d, str):
            if not isinstance(value, str):
                raise TimingConfigError(f"{path} must be a string (got {value!r})")
            out[key] = value
    return out


def limits() -> dict:
    """The parameter limits of the C model (csrc/timing.h, RV_TIMING_MAX_*): one table for C and Python."""
    from .._core import lib
    return {"issue_width": lib.RV_TIMING_MAX_ISSUE, "queue_depth": lib.RV_TIMING_MAX_QUEUE,
            "history_bits": lib.RV_TIMING_MAX_HISTORY, "ras_entries": lib.RV_TIMING_MAX_RAS,
            "pipes": lib.RV_TIMING_MAX_PIPES, "mshrs": lib.RV_TIMING_MAX_MSHRS,
            "prefetch_streams": lib.RV_TIMING_MAX_STREAMS, "prefetch_distance": lib.RV_TIMING_MAX_PF_DISTANCE}


def _check(cfg: dict) -> None:
    core, vec, mem = cfg["core"], cfg["vector"], cfg["memory"]
    lim = limits()
    if not 1 <= core["issue_width"] <= lim["issue_width"]:
        raise TimingConfigError(f"core.issue_width must be 1..{lim['issue_width']} "
                                f"(got {core['issue_width']})")
    if core["predictor"]["ras_entries"] > lim["ras_entries"]:
        raise TimingConfigError(f"core.predictor.ras_entries must be at most {lim['ras_entries']}")
    if core["predictor"]["kind"] not in PREDICTORS:
        raise TimingConfigError(f"core.predictor.kind must be one of {', '.join(PREDICTORS)} "
                                f"(got {core['predictor']['kind']!r})")
    for key in ("entries", "btb_entries"):
        n = core["predictor"][key]
        if n & (n - 1):
            raise TimingConfigError(f"core.predictor.{key} must be a power of two (got {n})")
    if core["predictor"]["kind"] in ("bimodal", "gshare") and core["predictor"]["entries"] == 0:
        raise TimingConfigError("core.predictor.entries must be at least 1")
    if core["predictor"]["history_bits"] > lim["history_bits"]:
        raise TimingConfigError(f"core.predictor.history_bits must be at most {lim['history_bits']}")
    if vec["reduction_pipe"] not in ("arith", "permute"):
        raise TimingConfigError("vector.reduction_pipe must be 'arith' or 'permute'")
    for name in ("l1i", "l1d", "l2"):
        c = mem[name]
        if c["size"]:
            line, ways = c["line"], c["ways"]
            if line < 4 or line & (line - 1) or ways < 1 or c["size"] % (line * ways) or \
                    (c["size"] // (line * ways)) & (c["size"] // (line * ways) - 1):
                raise TimingConfigError(
                    f"memory.{name}: size {c['size']} must be ways ({ways}) x line ({line}) x a power "
                    "of two sets, with the line a power of two")
    for name in ("l1d", "l2"):
        if mem[name]["mshrs"] > lim["mshrs"]:
            raise TimingConfigError(f"memory.{name}.mshrs must be at most {lim['mshrs']} (0 means unlimited)")
    pf = mem["prefetch"]
    if pf["level"] not in ("l1d", "l2"):
        raise TimingConfigError(f"memory.prefetch.level must be 'l1d' or 'l2' (got {pf['level']!r})")
    if pf["enabled"]:
        if not 1 <= pf["streams"] <= lim["prefetch_streams"]:
            raise TimingConfigError(f"memory.prefetch.streams must be 1..{lim['prefetch_streams']}")
        if not 1 <= pf["distance"] <= lim["prefetch_distance"]:
            raise TimingConfigError(f"memory.prefetch.distance must be 1..{lim['prefetch_distance']} lines")
        if not mem[pf["level"]]["size"]:
            raise TimingConfigError(f"memory.prefetch.level = {pf['level']!r}, but the preset has no "
                                    f"{pf['level'].upper()}")
    if vec["enabled"]:
        if vec["vlen"] < 64 or vec["vlen"] & (vec["vlen"] - 1):
            raise TimingConfigError(f"vector.vlen must be a power of two >= 64 (got {vec['vlen']})")
        if vec["dlen"] == 0 or vec["dlen"] > vec["vlen"] * 8:
            raise TimingConfigError(f"vector.dlen must be between 1 and 8 x VLEN (got {vec['dlen']})")
        if not 1 <= vec["queue_depth"] <= lim["queue_depth"]:
            raise TimingConfigError(f"vector.queue_depth must be 1..{lim['queue_depth']}")
    for p, n in vec["pipes"].items():
        if n > lim["pipes"]:
            raise TimingConfigError(f"vector.pipes.{p} must be at most {lim['pipes']}")
    for u, n in core["units"].items():
        if n > lim["pipes"]:
            raise TimingConfigError(f"core.units.{u} must be at most {lim['pipes']} (0 means unlimited)")


def _warn(cfg: dict, source: str) -> None:
    """vector.dlen is the arithmetic datapath width: the pipe widths follow it unless a preset gives
    them, and an arithmetic width that contradicts it is most likely a forgotten dlen."""
    import warnings
    vec = cfg["vector"]
    arith = vec["width"]["arith"]
    if vec["enabled"] and arith and arith != vec["dlen"]:
        warnings.warn(TimingConfigWarning(
            f"{source}: vector.width.arith = {arith} overrides vector.dlen = {vec['dlen']} (the arithmetic "
            "datapath is DLEN wide: set vector.dlen, and leave [vector.width] arith out)"), stacklevel=3)


def parse_config(data: dict, source: str = "<preset>") -> dict:
    """Validate a preset's parsed TOML and fill in the defaults (a pipe width left at 0 is DLEN)."""
    try:
        cfg = _merge(DEFAULTS, data, "")
        _check(cfg)
    except TimingConfigError as exc:
        raise TimingConfigError(f"{source}: {exc}") from None
    _warn(cfg, source)
    return cfg


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml"))


def load_config(spec) -> dict:
    """A preset by name (``"x60"``), a path to a TOML file, or an already parsed dict."""
    if isinstance(spec, dict):
        return parse_config(spec)
    text_spec = str(spec)
    path = Path(text_spec)
    if not path.suffix and (PRESET_DIR / f"{text_spec}.toml").exists():
        path = PRESET_DIR / f"{text_spec}.toml"
    if not path.exists():
        raise TimingConfigError(f"no timing preset {text_spec!r} (shipped presets: "
                                f"{', '.join(preset_names())}; or give a path to a .toml file)")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise TimingConfigError(f"{path}: not valid TOML: {exc}") from None
    cfg = parse_config(data, str(path))
    if not cfg["name"]:
        cfg["name"] = path.stem
    return cfg


def to_params(cfg: dict, ffi):
    """The C parameter struct (rv_timing_params) for a validated config."""
    from ..isa.classes import CLASSES
    p = ffi.new("rv_timing_params *")
    core, mem, vec, ml = cfg["core"], cfg["memory"], cfg["vector"], cfg["ml"]
    p.issue_width = core["issue_width"]
    for cls, lat in core["latency"].items():
        i = CLASSES.index(cls)
        p.latency[i] = lat
        p.occupancy[i] = core["occupancy"][cls]
    for cls, unit in UNIT_OF.items():
        p.unit_of[CLASSES.index(cls)] = UNITS.index(unit)
    for cls in VECTOR_ISSUE_CLASSES:
        p.unit_of[CLASSES.index(cls)] = UNITS.index("vector")
    for u, n in core["units"].items():
        p.unit_count[UNITS.index(u)] = n
    p.div_operand_dependent = int(core["divide"]["operand_dependent"])
    p.div_bits_per_cycle = core["divide"]["bits_per_cycle"]
    pred = core["predictor"]
    p.predictor = PREDICTORS.index(pred["kind"])
    p.predictor_entries = pred["entries"]
    p.history_bits = pred["history_bits"]
    p.btb_entries = pred["btb_entries"]
    p.ras_entries = pred["ras_entries"]
    p.mispredict_penalty = core["mispredict_penalty"]
    p.taken_penalty = core["taken_penalty"]
    p.serialize_csr = int(core["serialize_csr"])
    for name in ("l1i", "l1d", "l2"):
        c, dst = mem[name], getattr(p, name)
        dst.size, dst.ways, dst.line = c["size"], c["ways"], c["line"]
        dst.latency = c.get("latency", 0)
        dst.write_back = int(c.get("write_back", True))
        dst.mshrs = c.get("mshrs", 0)
    p.dram_latency = mem["dram"]["latency"]
    p.dram_bytes_per_cycle = mem["dram"]["bandwidth"]
    pf = mem["prefetch"]
    if pf["enabled"]:
        p.prefetch_streams = pf["streams"]
        p.prefetch_distance = pf["distance"]
        p.prefetch_level = 1 if pf["level"] == "l1d" else 2
    p.v_enabled = int(vec["enabled"])
    p.vlen = vec["vlen"]
    p.v_queue_depth = vec["queue_depth"]
    p.v_issue_latency = vec["issue_latency"]
    p.v_chaining = int(vec["chaining"])
    for k, pipe in enumerate(VPIPES):
        p.v_pipes[k] = vec["pipes"][pipe]
        width = vec["width"][pipe] or vec["dlen"]
        p.v_width[k] = width
    for cls in VECTOR_ISSUE_CLASSES:
        i = CLASSES.index(cls)
        pipe = VPIPE_OF.get(cls, "arith")
        if cls in REDUCTIONS:
            pipe = vec["reduction_pipe"]
        p.v_pipe_of[i] = VPIPES.index(pipe)
        p.latency[i] = vec["latency"][cls]
        p.v_cost[i] = vec["cost"][cls]
        p.v_extra[i] = int(round(vec["extra"][cls] * 4))      # quarter cycles
    for cls, step in vec["tree_step"].items():
        p.v_tree_step[CLASSES.index(cls)] = int(round(step * 4))
    p.v_acc_latency = vec["acc_latency"]
    p.v_masked_factor = int(round(vec["masked_factor"] * 4))
    p.v_e64_mul_factor = vec["e64_mul_factor"]
    p.v_strided_cycles = vec["strided_cycles"]
    p.v_mem_via_l1 = int(vec["mem_via_l1"])
    p.v_to_scalar_latency = vec["to_scalar_latency"]
    p.tile_te = ml["tile_te"]
    p.dot_width = ml["dot_width"]
    p.bf16_width = ml["bf16_width"]
    return p
