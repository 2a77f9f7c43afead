"""Register files indexed by number or by name: ``m.x["a0"]``, ``m.x["x10"]``, ``m.f["fa0"]``.

They are numpy arrays (views onto the core's registers) that also take a register name as index; a
Python int stored through them is taken modulo 2**width (64, or 32 for RV32's integer registers), so
``m.x["a0"] = -1`` works.
"""
from __future__ import annotations

import numpy as np

MASK64 = (1 << 64) - 1


class _RegisterFile(np.ndarray):
    """A 32-register numpy view whose index may be a register name."""

    _prefix = "x"
    _numbers: dict[str, int] | None = None

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        raise NotImplementedError

    @classmethod
    def number(cls, name: str) -> int:
        """The register number of an ABI name (``a0``) or architectural name (``x10``)."""
        if cls._numbers is None:
            numbers = {n: i for i, n in enumerate(cls._names())}
            numbers.update({f"{cls._prefix}{i}": i for i in range(32)})
            cls._extra_names(numbers)
            cls._numbers = numbers
        try:
            return cls._numbers[name.strip().lower().lstrip("$")]
        except KeyError:
            raise KeyError(f"no register named {name!r}") from None

    @classmethod
    def _extra_names(cls, numbers: dict[str, int]) -> None:
        pass

    def __getitem__(self, key):
        if type(key) is str:
            key = self.number(key)
        result = np.ndarray.__getitem__(self, key)
        # a slice is a plain array again (iterating a subclass would go through this method per item)
        return result.view(np.ndarray) if type(result) is type(self) else result

    def __setitem__(self, key, value):
        if type(key) is str:
            key = self.number(key)
        if type(value) is int:
            value &= MASK64 if self.itemsize == 8 else (1 << (8 * self.itemsize)) - 1
        np.ndarray.__setitem__(self, key, value)

    def __array_wrap__(self, arr, context=None, return_scalar=False):
        # arithmetic on registers gives a plain array, not another register file
        return np.asarray(arr) if arr.shape else arr[()]


class IntRegisters(_RegisterFile):
    _prefix = "x"
    _numbers = None

    @classmethod
    def _names(cls):
        from .disasm import XREG_NAMES
        return XREG_NAMES

    @classmethod
    def _extra_names(cls, numbers):
        numbers["fp"] = 8


class FloatRegisters(_RegisterFile):
    _prefix = "f"
    _numbers = None

    @classmethod
    def _names(cls):
        from .disasm import FREG_NAMES
        return FREG_NAMES

