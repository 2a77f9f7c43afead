"""pytest plugin ``rvsim`` (registered through the ``pytest11`` entry point when rvsim is installed).

Fixtures:

* ``machine`` — a fresh :class:`rvsim.machine.Machine`; ``@pytest.mark.rvsim(isa="rv64gcv", vlen=256)``
  chooses its ISA and VLEN (default rv64gc, 128).
* ``assemble`` — ``assemble(source, march=None)`` assembles with rvsim's assembler (the marker's ISA by
  default) and returns the linked :class:`rvsim.asm.Program`; ``assemble.run(source)`` also loads it
  into ``machine`` and runs it, returning the StopInfo.
* ``rvsim_reference`` — the reference chosen with ``--rvsim-ref``: ``qemu`` (the default) or
  ``module:callable`` for your own simulator (a callable taking a Case and returning an ArchState).
  The test is skipped when qemu-riscv64 is not installed (failed instead under RVSIM_REQUIRE_TOOLS=1).
* ``rvsim_compare`` — :func:`rvsim.testing.compare` bound to that reference.

The reference fixtures are session-scoped (stateless), so hypothesis tests may use them.

The module imports nothing from rvsim until a fixture is used, so test sessions that use none of
this pay nothing for it.
"""
from __future__ import annotations

import importlib
import os

import pytest

DEFAULT_ISA = "rv64gc"
DEFAULT_VLEN = 128


def pytest_addoption(parser):
    group = parser.getgroup("rvsim", "rvsim conformance testing")
    group.addoption("--rvsim-ref", action="store", default="qemu", metavar="REF",
                    help="reference simulator for rvsim.testing.compare: 'qemu' (default, qemu-riscv64 "
                         "from PATH) or 'module:callable' (a callable taking a Case, returning an ArchState)")


def pytest_configure(config):
    config.addinivalue_line("markers", "rvsim(isa='rv64gc', vlen=128): ISA and VLEN of the machine, "
                                       "assemble and rvsim_compare fixtures")


def _marker_options(request) -> tuple[str, int]:
    marker = request.node.get_closest_marker("rvsim")
    kwargs = dict(marker.kwargs) if marker else {}
    if marker and marker.args:
        kwargs.setdefault("isa", marker.args[0])
    return kwargs.get("isa", DEFAULT_ISA), int(kwargs.get("vlen", DEFAULT_VLEN))


@pytest.fixture
def machine(request):
    """A fresh rvsim Machine (ISA and VLEN from the ``rvsim`` marker)."""
    from rvsim.machine import Machine
    isa, vlen = _marker_options(request)
    return Machine(isa, vlen=vlen)


class _Assembler:
    def __init__(self, request, march: str):
        self._request = request
        self.march = march

    def __call__(self, source: str, march: str | None = None):
        from rvsim.asm import assemble
        return assemble(source, filename=f"<{self._request.node.name}>", march=march or self.march)

    def run(self, source: str, max_instructions: int = 1_000_000):
        """Assemble ``source``, load it into the ``machine`` fixture and run it (a ``tohost`` symbol makes
        it bare metal, otherwise it runs as a Linux program)."""
        m = self._request.getfixturevalue("machine")
        m.load_elf(self(source).to_elf(), name=f"<{self._request.node.name}>")
        return m.run(max_instructions=max_instructions)


@pytest.fixture
def assemble(request):
    """``assemble(source)`` -> rvsim.asm.Program, with the marker's ISA; ``assemble.run(source)``."""
    isa, _ = _marker_options(request)
    return _Assembler(request, isa)


def load_reference(spec: str):
    """The reference named by a ``--rvsim-ref`` value."""
    if spec == "qemu":
        from rvsim.testing.qemu import QemuReference
        return QemuReference()
    module, _, attr = spec.partition(":")
    if not module or not attr:
        raise pytest.UsageError(f"--rvsim-ref={spec!r}: expected 'qemu' or 'module:callable'")
    try:
        obj = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise pytest.UsageError(f"--rvsim-ref={spec!r}: {exc}") from None
    return obj


@pytest.fixture(scope="session")
def rvsim_reference(request):
    """The reference chosen with --rvsim-ref (skips when qemu-riscv64 is needed but missing)."""
    ref = load_reference(request.config.getoption("--rvsim-ref"))
    if getattr(ref, "name", None) == "qemu" and not ref.available:
        message = "qemu-riscv64 is not installed (Debian package qemu-user)"
        if os.environ.get("RVSIM_REQUIRE_TOOLS") == "1":
            pytest.fail(message + "; RVSIM_REQUIRE_TOOLS=1 requires it")
        pytest.skip(message)
    return ref


@pytest.fixture(scope="session")
def rvsim_compare(rvsim_reference):
    """``rvsim_compare(programs, **options)``: :func:`rvsim.testing.compare` against the chosen reference."""
    from rvsim.testing import compare

    def run(programs, **options):
        return compare(programs, against=rvsim_reference, **options)
    run.reference = rvsim_reference
    return run
