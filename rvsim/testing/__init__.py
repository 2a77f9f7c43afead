"""rvsim.testing: property-based conformance testing for RISC-V implementations.

* :mod:`rvsim.testing.strategies` — hypothesis strategies derived from the ISA table: instructions,
  edge-case operand values, vector configurations and whole programs that are valid by construction.
* :func:`compare` — run programs on rvsim and on a reference (qemu-riscv64, or your own simulator
  through a callback), compare registers, FP and vector state and memory, and report the first
  diverging instruction.
* :func:`diff` — differences between two :class:`ArchState` or two :class:`rvsim.machine.Snapshot`.
* a pytest plugin (``rvsim.testing.plugin``): ``machine`` and ``assemble`` fixtures and ``--rvsim-ref``.

See docs/testing.md for worked examples.
"""
from __future__ import annotations

from .differential import Comparison, Divergence, compare, locate_divergence
from .harness import Batch, Case, run_rvsim
from .insn import Insn
from .program import Loop, Op, Skip, TestProgram, VectorBlock
from .qemu import QemuReference, ReferenceUnavailable
from .state import ArchState, Difference, diff, side_by_side

__all__ = ["ArchState", "Batch", "Case", "Comparison", "Difference", "Divergence", "Insn", "Loop", "Op",
           "QemuReference", "ReferenceUnavailable", "Skip", "TestProgram", "VectorBlock", "compare", "diff",
           "locate_divergence", "run_rvsim", "side_by_side"]
