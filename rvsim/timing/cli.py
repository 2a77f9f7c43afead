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


def finish_run(timing, args, stats: dict) -> None:
    """Print the timing summary, add it to the --stats dictionary, write the pipeline view."""
    from .report import print_summary
    result = timing.result()
    stats["cycles"] = result.cycles
    stats["timing"] = result.to_dict()
    print_summary(result, file=sys.stderr)
    if args.pipeview:
        from .pipeview import write_kanata
        n = write_kanata(timing, args.pipeview)
        sys.stderr.write(f"rvsim: pipeline view of {n:,} instructions written to {args.pipeview}\n")


def main_profile(argv) -> int:
    from .profile import main_profile as run_profile
    return run_profile(argv)
