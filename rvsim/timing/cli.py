"""Command-line pieces of the cycle model: ``rvsim run --timing``, ``rvsim profile`` (rvsim/cli.py
calls these so that it stays thin)."""
from __future__ import annotations

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
    from .region import RegionTiming, parse_regions, run_regions
    try:
        regions = parse_regions(args.region)
        cfg = timing.config
        machine.disable_timing()
        trace = [] if args.pipeview else None
        info, results = run_regions(machine, cfg, regions, program=program, warmup=args.warmup,
                                    max_instructions=args.max_insns, trace=trace,
                                    trace_limit=args.pipeview_limit)
    except (TimingConfigError, KeyError) as exc:
        parser.exit(2, f"rvsim: {exc}\n")
    for res in results.values():
        t = res.totals
        sys.stderr.write(f"rvsim: region {res.name}: {res.entries} {'entry' if res.entries == 1 else 'entries'}, {t.get('cycles', 0):,} cycles, "
                         f"{t.get('instructions', 0):,} instructions\n")
    return info, RegionTiming(timing, results, trace=trace)


def finish_run(timing, args, stats: dict) -> None:
    """Print the timing summary, add it to the --stats dictionary, write the pipeline view."""
    from .region import RegionTiming
    from .report import print_summary
    result = timing.result()
    if isinstance(timing, RegionTiming):
        stats["regions"] = {name: res.to_dict() for name, res in timing.results.items()}
    stats["cycles"] = result.cycles
    stats["timing"] = result.to_dict()
    print_summary(result, file=sys.stderr)
    if args.pipeview:       # within regions: the regions' instructions, --pipeview-limit from their start
        from .pipeview import write_kanata
        n = write_kanata(timing, args.pipeview)
        sys.stderr.write(f"rvsim: pipeline view of {n:,} instructions written to {args.pipeview}\n")


def main_profile(argv) -> int:
    from .profile import main_profile as run_profile
    return run_profile(argv)
