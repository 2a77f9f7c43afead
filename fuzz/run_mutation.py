"""A plain (not coverage-guided) mutation loop over the Python targets: fast where atheris's
instrumentation is slow, so it runs many more inputs in the same time.

    PYTHONPATH=. python fuzz/run_mutation.py loader|host|asm SECONDS [SEED [FRESH]]

Seeds come from fuzz/corpus (and fuzz/out/<target> when atheris has grown it); each input is a seed
with 1-7 byte mutations, or (with probability FRESH, default 0.2) fresh random bytes: for the
assembler those are short token streams, much faster than the real sources.  A finding (any exception other than the allowed
ones) is saved to fuzz/out/findings/ and the loop goes on; the figures are printed at the end.
"""
import argparse
import hashlib
import random
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fuzz.pytargets import TARGETS, mutate  # noqa: E402

CORPUS = {"loader": ["corpus/elf", "out/loader"], "host": ["out/host"], "asm": ["corpus/asm", "out/asm"]}


def main() -> int:
    parser = argparse.ArgumentParser(description="A plain mutation loop over rvsim's Python fuzz targets.")
    parser.add_argument("target", choices=sorted(CORPUS))
    parser.add_argument("seconds", type=float, help="how long to run")
    parser.add_argument("seed", type=int, nargs="?", default=0, help="random seed (default 0)")
    parser.add_argument("fresh", type=float, nargs="?", default=0.2,
                        help="probability of fresh random bytes instead of a mutated seed (default 0.2)")
    args = parser.parse_args()
    name, seconds, fresh = args.target, args.seconds, args.fresh
    rng = random.Random(args.seed)
    target = TARGETS[name]
    seeds = [p.read_bytes() for d in CORPUS[name] if (HERE / d).is_dir() for p in sorted((HERE / d).iterdir())]
    seeds = [s for s in seeds if len(s) < 64_000] or [b""]
    findings = HERE / "out" / "findings"
    count = failures = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if rng.random() < fresh:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        else:
            data = mutate(rng.choice(seeds), rng)
        count += 1
        try:
            target(data)
        except Exception:
            failures += 1
            findings.mkdir(parents=True, exist_ok=True)
            path = findings / f"{name}-{hashlib.sha1(data).hexdigest()[:12]}"
            path.write_bytes(data)
            print(f"FINDING {path}:\n{traceback.format_exc()}", file=sys.stderr)
    print(f"rvsim fuzz: {count} {name} inputs in {seconds:.0f} s, {failures} findings", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
