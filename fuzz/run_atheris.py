"""Coverage-guided fuzzing of the Python targets with atheris (pip install atheris).

    PYTHONPATH=. python fuzz/run_atheris.py loader|host|asm [libFuzzer options] [corpus dirs]

Example (a 10-minute campaign on the assembler, growing out/asm from the seeds):
    PYTHONPATH=. python fuzz/run_atheris.py asm -max_total_time=600 -rss_limit_mb=2048 fuzz/out/asm fuzz/corpus/asm
libFuzzer's last line, `Done N runs in S second(s)`, gives the number of inputs.
"""
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))     # the project root, as run_mutation.py

with atheris.instrument_imports(include=["rvsim"]):
    import rvsim.asm            # noqa: F401  (instrumented for coverage)
    import rvsim.host           # noqa: F401
    import rvsim.loader         # noqa: F401
    import rvsim.machine        # noqa: F401
    from fuzz.pytargets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(sorted(TARGETS))} [libFuzzer options] [corpus dirs]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
