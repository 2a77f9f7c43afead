"""The mutation benchmark: which seeded reference-simulator bugs does ``programs()`` find?

    PYTHONPATH=. python benchmarks/bench_mutation.py [--examples 200] [--seed 0] [--shrink] [BUG ...]

What it measures: for every bug of rvsim.testing.mutants.BUGS (or the ones named), whether one of the
first --examples programs hypothesis draws from ``programs(**group_options(group))`` -- the default
programs() for the extension under test (the bug's group: the whole base ISA for I, the extension's own
instructions for the others) -- diverges between rvsim and the reference simulator carrying that bug.
Each group's programs are drawn once (hypothesis seed --seed, the same programs mutants.hunt sees for
every bug of the group up to its first divergence), run on rvsim once and on the reference once per bug
(mutants.detect).  With --shrink, every caught bug is then hunted as a user would (mutants.hunt:
hypothesis finds and shrinks the failing program) and the shrinking is printed: wall-clock and CPU
seconds from the first failing program to the minimal one, the programs run meanwhile, and the size of
the minimal program (instructions under test / lines of its listing); then the median and the maximum.
Exit status 1 when the share caught is below THRESHOLD.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rvsim.testing.mutants import BUGS, detect, hunt  # noqa: E402

THRESHOLD = 0.95


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bugs", nargs="*", help="bug names (default: all)")
    ap.add_argument("--examples", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shrink", action="store_true", help="also hunt each caught bug and time the shrinking")
    ap.add_argument("--verbose", action="store_true", help="with --shrink: print each minimal failing program")
    args = ap.parse_args()
    unknown = [b for b in args.bugs if b not in BUGS]
    if unknown:
        ap.error(f"unknown bugs: {', '.join(unknown)}")
    start, cpu = time.perf_counter(), time.process_time()
    print(f"{'bug':32} {'group':5} {'caught':6} {'examples':>8}" +
          (f" {'shrink s':>8} {'cpu s':>6} {'runs':>5} {'minimal':>7}" if args.shrink else ""))
    shrinks = []

    def show(bug, found):
        line = f"{bug:32} {BUGS[bug][0]:5} {'yes' if found else 'NO':6} {found or '':>8}"
        if args.shrink and found:
            h = hunt(bug, args.examples, args.seed)
            if h.examples != found:        # the two ways of running must agree (see mutants.detect)
                line += f"  (hunt: {h.examples})"
            if h.caught:
                shrinks.append((h.shrink_cpu, h.shrink_seconds, bug, h.shrink_runs, h.minimal_size, h.minimal_lines))
                line += (f" {h.shrink_seconds:8.1f} {h.shrink_cpu:6.1f} {h.shrink_runs:5} "
                         f"{f'{h.minimal_size}/{h.minimal_lines}':>7}")
                if args.verbose:
                    line += "\n    " + h.report.replace("\n", "\n    ")
        print(line, flush=True)
    found = detect(args.bugs or None, args.examples, args.seed, progress=show)
    caught = [b for b, f in found.items() if f]

    def plural(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"
    share = len(caught) / len(found)
    print(f"\ncaught {len(caught)} of {plural(len(found), 'bug')} ({100 * share:.1f} %) within {args.examples} examples each "
          f"(seed {args.seed}); median examples {sorted(found[b] for b in caught)[len(caught) // 2] if caught else '-'}; "
          f"missed: {' '.join(b for b, f in found.items() if not f) or 'none'}")
    if shrinks:
        def median(values):
            values = sorted(values)
            return values[len(values) // 2]
        worst = max(shrinks)
        print(f"shrinking ({plural(len(shrinks), 'bug')}): CPU median {median(s[0] for s in shrinks):.1f} s, max {worst[0]:.1f} s "
              f"({worst[2]}); wall clock median {median(s[1] for s in shrinks):.1f} s, max "
              f"{max(s[1] for s in shrinks):.1f} s; programs run median {median(s[3] for s in shrinks)}, max "
              f"{max(s[3] for s in shrinks)}; minimal program median {plural(median(s[4] for s in shrinks), 'instruction')} "
              f"under test ({median(s[5] for s in shrinks)} lines), max {max(s[4] for s in shrinks)} "
              f"({max(s[5] for s in shrinks)} lines)")
    print(f"{time.perf_counter() - start:.0f} s in all ({time.process_time() - cpu:.0f} s CPU)")
    return 0 if share >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
