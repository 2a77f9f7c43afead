"""Command-line pieces of the cycle model: ``rvsim run --timing``, ``rvsim profile`` (rvsim/cli.py
calls these so that it stays thin)."""
from __future__ import annotations

import argparse
import sys

from .config import TimingConfigError, load_config


def load_for_cli(args, parser) -> dict:
    """The preset of ``--timing``; sets ``args.vlen`` from it when not given."""
    try:
        cfg = load_config(args.timing)
    except TimingConfigError as exc:
        parser.exit(2, f"rvsim: {exc}\n")
    vec = cfg["vector"]
    if vec["enabled"]:
        if args.vlen is None:
            args.vlen = vec["vlen"]
        elif args.vlen != vec["vlen"]:
            parser.exit(2, f"rvsim: --vlen {args.vlen} differs from the preset's VLEN {vec['vlen']}\n")
    return cfg


def run_regions_for_cli(machine, timing, program, args, parser):
    """``rvsim run --region``: fast-forward with the model off, model the regions (rvsim.timing.region).
    Returns the run's StopInfo and a Timing whose results are the regions' sums."""
    from .region import parse_regions, run_regions
    try:
        regions = parse_regions(args.region)
        cfg = timing.config
        machine.disable_timing()
        info, results = run_regions(machine, cfg, regions, program=program, warmup=args.warmup,
                                    max_instructions=args.max_insns)
    except (TimingConfigError, KeyError) as exc:
        parser.exit(2, f"rvsim: {exc}\n")
    for res in results.values():
        t = res.totals
        sys.stderr.write(f"rvsim: region {res.name}: {res.entries} entries, {t.get('cycles', 0):,} cycles, "
                         f"{t.get('instructions', 0):,} instructions\n")
    return info, _RegionTiming(timing, results)


class _RegionTiming:
    """The regions' summed results in the shape finish_run reads (result(), for one Timing)."""

    def __init__(self, timing, results, name=None, config=None):
        self._timing, self.results = timing, results
        self._name = name or timing.name
        self._config = config or timing.config

    def result(self, program=None):
        from . import TimingResult, lines_of
        total: dict = {}
        by_pc: dict = {}
        from .region import _add
        for res in self.results.values():
            _add(total, res.totals)
            by_pc.update(res.by_pc)
        stalls = total.get("stalls", {})
        vec, cfg, cycles = total.get("vector", {}), self._config["vector"], total.get("cycles", 0)
        if vec and cfg["enabled"] and cycles:
            vec["busy_pct"] = {p: round(100.0 * vec["busy"].get(p, 0) / (cycles * max(1, n)), 2)
                               for p, n in cfg["pipes"].items()}
        return TimingResult(self._name, total.get("cycles", 0), total.get("instructions", 0),
                            stalls, total.get("branches", 0), total.get("mispredicts", 0),
                            total.get("taken", 0), total.get("cache", {}), total.get("vector", {}),
                            total.get("flops", 0), by_pc,
                            lines_of(by_pc, program) if program is not None else {})


def finish_run(timing, args, stats: dict) -> None:
    """Print the timing summary, add it to the --stats dictionary, write the pipeline view."""
    from .report import print_summary
    result = timing.result()
    if isinstance(timing, _RegionTiming):
        stats["regions"] = {name: res.to_dict() for name, res in timing.results.items()}
    stats["cycles"] = result.cycles
    stats["timing"] = result.to_dict()
    print_summary(result, file=sys.stderr)
    if args.pipeview and not isinstance(timing, _RegionTiming):     # (not yet within regions)
        from .pipeview import write_kanata
        n = write_kanata(timing, args.pipeview)
        sys.stderr.write(f"rvsim: pipeline view of {n:,} instructions written to {args.pipeview}\n")


def main_profile(argv) -> int:
    from ..asm import AsmError, assemble_files
    from ..host import LinuxEnvironment
    from ..machine import Machine, StopReason
    from .report import annotate, print_summary
    p = argparse.ArgumentParser(prog="rvsim profile",
                                description="Cycles and stall causes per source line (hottest first).")
    p.add_argument("program", help="assembly source (.s/.S)")
    p.add_argument("args", nargs="*", help="arguments passed to the program (after '--' if they look "
                                           "like options)")
    p.add_argument("--timing", default="teach", metavar="PRESET|FILE.toml")
    p.add_argument("--isa", default="rv64gcv")
    p.add_argument("--vlen", type=int, default=None)
    p.add_argument("--defsym", action="append", metavar="NAME=VALUE")
    p.add_argument("--top", type=int, default=25, help="lines shown (default 25)")
    p.add_argument("--stats", metavar="FILE.json", help="write the full result as JSON")
    p.add_argument("--max-insns", type=int, default=None)
    p.add_argument("--region", action="append", metavar="[NAME=]BEGIN:END",
                   help="profile only this region (as for rvsim run; repeatable)")
    p.add_argument("--warmup", type=int, default=0, metavar="N",
                   help="with --region: N uncounted instructions on the model at each entry")
    from ..cli import parse_run_args
    args = parse_run_args(p, argv)      # options before or after the program, as for `rvsim run`
    cfg = load_for_cli(args, p)
    defsym = {}
    for item in args.defsym or ():
        name, _, value = item.partition("=")
        defsym[name] = int(value, 0) if value else 1
    try:
        prog = assemble_files([args.program], defsym=defsym, march=args.isa)
    except AsmError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"rvsim: {exc}\n")
        return 1
    try:
        m = Machine(args.isa, vlen=args.vlen or 256)
        timing = m.enable_timing(cfg)
    except ValueError as exc:
        p.exit(2, f"rvsim: {exc}\n")
    m.env = LinuxEnvironment()
    m.load_elf(prog.to_elf(), argv=[args.program] + args.args, name=args.program)
    if args.region:
        from .region import parse_regions, run_regions
        m.disable_timing()
        try:
            info, results = run_regions(m, cfg, parse_regions(args.region), program=prog,
                                        warmup=args.warmup, max_instructions=args.max_insns)
        except (TimingConfigError, KeyError) as exc:
            p.exit(2, f"rvsim: {exc}\n")
        timing = _RegionTiming(None, results, name=cfg["name"], config=cfg)
    else:
        info = m.run(args.max_insns)
    if info.reason is not StopReason.EXIT:
        sys.stderr.write(f"rvsim: the program stopped: {info.reason.value} at pc {info.pc:#x}\n")
    result = timing.result(prog)
    print_summary(result)
    annotate(result, prog, top=args.top)
    if args.stats:
        import json
        with open(args.stats, "w") as fh:
            json.dump(result.to_dict(), fh, indent=2)
            fh.write("\n")
    return 0 if info.reason is StopReason.EXIT and info.exit_code == 0 else 1
