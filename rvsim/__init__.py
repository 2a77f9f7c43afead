"""rvsim: a RISC-V instruction-set simulator with a C core, a GNU-compatible assembler and
numpy views of the machine state.

The top-level names are imported lazily so that ``import rvsim`` stays fast.
"""
__version__ = "0.1.0"

_LAZY = {
    "Machine": ("rvsim.machine", "Machine"),
    "StopReason": ("rvsim.stop", "StopReason"),
    "StopInfo": ("rvsim.stop", "StopInfo"),
    "LinuxEnvironment": ("rvsim.host", "LinuxEnvironment"),
    "SimulationError": ("rvsim.errors", "SimulationError"),
    "LoadError": ("rvsim.errors", "LoadError"),
    "assemble": ("rvsim.asm", "assemble"),
    "disassemble": ("rvsim.disasm", "disassemble"),
}

__all__ = list(_LAZY) + ["__version__"]


def __getattr__(name):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'rvsim' has no attribute {name!r}") from None
    import importlib
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value
