"""The signature of an architectural test: the memory between two symbols, as hex lines.

The RISC-V architectural tests (riscv-arch-test, run by RISCOF) and many verification benches end by
comparing a memory region the test wrote its results into, the *signature*, with a reference
model's.  The test marks the region with ``begin_signature`` and ``end_signature`` (a model's
``RVMODEL_DATA_BEGIN``/``RVMODEL_DATA_END``); the model writes it out one *granule* per line (4 bytes
by default), each as lowercase hex with the most significant byte first, which is the format Spike's
``+signature=FILE`` and the Sail model's ``--test-signature`` write, so signatures from rvsim compare
with theirs line for line (``rvsim run --signature FILE``; docs/testing.md).
"""
from __future__ import annotations

from pathlib import Path

# model_test.h and link.ld for building the architectural tests for rvsim (docs/testing.md)
ARCH_TEST_ENV = Path(__file__).resolve().parent / "testing" / "arch_test_env"
BEGIN, END = "begin_signature", "end_signature"
GRANULARITIES = (1, 2, 4, 8, 16)


class SignatureError(ValueError):
    """The program has no signature region, or it cannot be read."""


def signature_lines(machine, granularity: int = 4, begin: str = BEGIN, end: str = END) -> list[str]:
    """The signature region of the program loaded in ``machine`` (its symbols ``begin`` and ``end``),
    one line of ``granularity`` bytes each, as hex digits most significant first.  A region whose
    length is not a multiple of the granularity has its last granule padded with zero bytes, as
    Spike writes it."""
    if granularity not in GRANULARITIES:
        raise SignatureError(f"a signature granularity of {granularity} bytes: use one of "
                             f"{', '.join(map(str, GRANULARITIES))}")
    symbols = getattr(machine, "symbols", {}) or {}
    missing = [name for name in (begin, end) if name not in symbols]
    if missing:
        raise SignatureError(f"the program has no {' or '.join(missing)} symbol, so no signature region "
                             "(an architectural test defines them in RVMODEL_DATA_BEGIN and RVMODEL_DATA_END)")
    start, stop = symbols[begin], symbols[end]
    if stop < start:
        raise SignatureError(f"{end} ({stop:#x}) is before {begin} ({start:#x})")
    try:
        data = machine.read(start, stop - start)
    except ValueError as exc:
        raise SignatureError(f"the signature region [{start:#x}, {stop:#x}) cannot be read: {exc}") from None
    length = -(-len(data) // granularity) * granularity
    data = data.ljust(length, b"\0")
    return [data[i:i + granularity][::-1].hex() for i in range(0, length, granularity)]


def write_signature(machine, path, granularity: int = 4, begin: str = BEGIN, end: str = END) -> int:
    """Write the signature to ``path`` (a line per granule); returns the number of lines."""
    lines = signature_lines(machine, granularity, begin, end)
    with open(path, "w") as fh:
        fh.write("".join(line + "\n" for line in lines))
    return len(lines)
