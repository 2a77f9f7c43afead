"""rvsim.testing: property-based conformance testing for RISC-V implementations.

* :mod:`rvsim.testing.strategies` — hypothesis strategies derived from the ISA table: instructions,
  edge-case operand values, vector configurations and whole programs that are valid by construction.
* :func:`compare` — run programs on rvsim and on a reference (qemu-riscv64, or your own simulator
  through a callback), compare registers, FP and vector state and memory, and report the first
  diverging instruction.
* :func:`diff` — differences between two :class:`ArchState` or two :class:`rvsim.machine.Snapshot`.
* a pytest plugin (``rvsim.testing.plugin``): ``machine`` and ``assemble`` fixtures and ``--rvsim-ref``.

See docs/testing.md for worked examples.  Names are imported lazily (the pytest plugin imports this
package in every test session).
"""
from __future__ import annotations

_LAZY = {
    "ArchState": "state", "Difference": "state", "diff": "state", "side_by_side": "state",
    "Batch": "harness", "Case": "harness", "run_rvsim": "harness",
    "Comparison": "differential", "Divergence": "differential", "compare": "differential",
    "locate_divergence": "differential",
    "Insn": "insn",
    "Loop": "program", "Op": "program", "Skip": "program", "TestProgram": "program", "VectorBlock": "program",
    "QemuReference": "qemu", "ReferenceUnavailable": "qemu", "QEMU_KNOWN_BUGS": "qemu",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'rvsim.testing' has no attribute {name!r}") from None
    import importlib
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
