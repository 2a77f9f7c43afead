"""The mutation benchmark: which seeded reference-simulator bugs does ``programs()`` find?

    PYTHONPATH=. python benchmarks/bench_mutation.py [--examples 200] [--seed 0] [BUG ...]

For every bug of rvsim.testing.mutants.BUGS (or the ones named), hypothesis draws up to --examples
programs for the bug's extension group and compares rvsim with the reference simulator carrying that
bug.  Printed per bug: caught or not, the programs drawn up to the first divergence, the time spent
shrinking it to the minimal program; then the share caught.  tests/test_mutation_benchmark.py fails when
it drops below THRESHOLD.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rvsim.testing.mutants import BUGS, score  # noqa: E402

THRESHOLD = 0.95


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bugs", nargs="*", help="bug names (default: all)")
    ap.add_argument("--examples", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--verbose", action="store_true", help="print each minimal failing program's report")
    args = ap.parse_args()
    unknown = [b for b in args.bugs if b not in BUGS]
    if unknown:
        ap.error(f"unknown bugs: {', '.join(unknown)}")
    print(f"{'bug':32} {'group':5} {'caught':6} {'examples':>8} {'shrink s':>8} {'cpu s':>6} {'total s':>8}")

    def show(h):
        ex = "" if h.examples is None else str(h.examples)
        sh = "" if h.shrink_seconds is None else f"{h.shrink_seconds:.1f}"
        cpu = "" if h.shrink_cpu is None else f"{h.shrink_cpu:.1f}"
        print(f"{h.bug:32} {BUGS[h.bug][0]:5} {'yes' if h.caught else 'NO':6} {ex:>8} {sh:>8} {cpu:>6} {h.seconds:8.1f}",
              flush=True)
        if args.verbose and h.caught:
            print("    " + h.report.replace("\n", "\n    "))
    start = time.perf_counter()
    hunts = score(args.bugs or None, args.examples, args.seed, progress=show)
    caught = [h for h in hunts if h.caught]
    share = len(caught) / len(hunts)
    worst = max((h.shrink_seconds for h in caught), default=0.0)
    worst_cpu = max((h.shrink_cpu for h in caught), default=0.0)
    print(f"\ncaught {len(caught)} of {len(hunts)} bugs ({100 * share:.1f} %) within {args.examples} examples each; "
          f"median examples {sorted(h.examples for h in caught)[len(caught) // 2] if caught else '-'}, "
          f"slowest shrink {worst:.1f} s ({worst_cpu:.1f} s CPU); {time.perf_counter() - start:.0f} s in all")
    return 0 if share >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
