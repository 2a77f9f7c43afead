"""Typed numpy views of the vector unit and the Zvt tile state, mixed into :class:`rvsim.machine.Machine`.

    >>> m = Machine("rv64gcv_zvt")
    >>> m.vreg(8, np.float32, lmul=2)[:4]      # v8..v9 as float32 (a view: writes go to the machine)
    >>> m.vtype.sew, m.vl
    >>> m.tile(0, np.int32)                     # tile mt0 as TE x TE int32 (a copy)

bfloat16 has no numpy dtype: ``vreg(i, "bf16")`` gives the raw uint16 patterns and
:func:`bf16_to_float32` / :func:`float32_to_bf16` convert.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ._core import ffi, lib

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

BF16 = "bf16"


def bf16_to_float32(bits) -> np.ndarray:
    """bfloat16 bit patterns (uint16) as float32 values (exact)."""
    import numpy as np
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def float32_to_bf16(values) -> np.ndarray:
    """float32 values as bfloat16 bit patterns, rounded to nearest even (NaNs become the canonical
    0x7fc0, as RISC-V conversions do)."""
    import numpy as np
    u = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    nan = (u & 0x7FFFFFFF) > 0x7F800000
    return np.where(nan, np.uint16(0x7FC0), rounded)


class VType(NamedTuple):
    """The vtype CSR decoded."""

    sew: int            # element width in bits (0 when vill)
    lmul: float         # 1/8 .. 8 (0 when vill)
    ta: bool
    ma: bool
    vill: bool
    altfmt: bool        # bit 8 (Zvt's second operand format)
    raw: int


class MType(NamedTuple):
    """The Zvt mtype CSR decoded (draft 0.4: mtwiden[1:0], tk[7:5], tm[23:10])."""

    twiden: int         # 1, 2 or 4; 0 when the matrix unit is not configured
    tk: int
    tm: int
    raw: int


def _dtype(dtype) -> np.dtype:
    import numpy as np
    if isinstance(dtype, str) and dtype.lower() in ("bf16", "bfloat16"):
        return np.dtype(np.uint16)
    dt = np.dtype(dtype)
    if dt.itemsize not in (1, 2, 4, 8) or dt.kind not in "iuf":
        raise ValueError(f"vector element type must be an 8..64-bit integer or float, not {dt}")
    return dt


def tile_offsets(te: int, tile: int, tew: int) -> np.ndarray:
    """Byte offsets in the tile state of every element (row, col) of a tile viewed with element width
    tew: the Zvt 0.4 punning layout.  Shape (ETE, ETE) with ETE = TE (TE/2 for tew = 64)."""
    import numpy as np
    ete = te if tew < 64 else te // 2
    row, col = np.meshgrid(np.arange(ete), np.arange(ete), indexing="ij")
    q = te // 4
    if tew == 8:
        ptile, minor, major = tile + 0 * row, (row % 4) * 4 + col % 4, (row // 4) * q + col // 4
    elif tew == 16:
        ptile = tile + ((row & 2) >> 1)
        minor = (row % 2) * 4 + (col % 2) * 2 + ((col // 2) % 2) * 8
        major = (row // 4) * q + col // 4
    elif tew == 32:
        ptile = tile + 2 * (row // (te // 2)) + ((col & 2) >> 1)
        minor = (row % 2) * 8 + (col % 2) * 4
        major = ((row // 2) % q) * q + col // 4
    elif tew == 64:
        ptile, minor, major = tile + row // q, (col % 2) * 8, (row % q) * q + col // 2
    else:
        raise ValueError("tile element width must be 8, 16, 32 or 64")
    return ptile * te * te + major * 16 + minor


class VectorViews:
    """Vector and tile state accessors of a Machine (needs ``_core``, ``_hart``, ``v``, ``vlen``)."""

    def vreg(self, index: int, dtype, lmul: float = 1) -> np.ndarray:
        """Registers v<index>.. (``lmul`` of them, or the first ``lmul`` part of one register when
        fractional) as a writable numpy array of ``dtype`` (int8..float64, float16, or "bf16" as uint16)."""
        dt = _dtype(dtype)
        if lmul not in (0.125, 0.25, 0.5, 1, 2, 4, 8):
            raise ValueError("lmul must be 1/8, 1/4, 1/2, 1, 2, 4 or 8")
        regs = max(1, int(lmul))
        if not 0 <= index <= 32 - regs:
            raise ValueError(f"v{index} with LMUL={lmul} is outside v0..v31")
        nbytes = int(self.vlen // 8 * lmul)
        return self.v[index:index + regs].reshape(-1)[:nbytes].view(dt)

    @property
    def vtype(self) -> VType:
        raw = int(self._hart.vtype)
        vill = bool(raw >> 63)
        if vill:
            return VType(0, 0, False, False, True, False, raw)
        vlmul = raw & 7
        lmul = 2.0 ** (vlmul if vlmul < 4 else vlmul - 8)
        return VType(8 << ((raw >> 3) & 7), lmul if lmul < 1 else int(lmul), bool(raw >> 6 & 1),
                     bool(raw >> 7 & 1), False, bool(raw >> 8 & 1), raw)

    @property
    def vl(self) -> int:
        return int(self._hart.vl)

    @property
    def vstart(self) -> int:
        return int(self._hart.vstart)

    # ------------------------------------------------------------------ Zvt

    @property
    def tile_te(self) -> int:
        """TE, the tile edge at TEW=32 (0 when the machine has no Zvt)."""
        return int(lib.rv_tile_te(self._core))

    @property
    def mtype(self) -> MType:
        raw = int(self._hart.mtype)
        code = raw & 3
        return MType(1 << (code - 1) if code else 0, (raw >> 5) & 7, (raw >> 10) & 0x3FFF, raw)

    @property
    def tiles(self) -> np.ndarray:
        """The whole tile state, 16 * TE * TE bytes, as a writable uint8 view."""
        import numpy as np
        te = self.tile_te
        if not te:
            raise ValueError("this machine has no Zvt tile state (add _zvt to the ISA string)")
        return np.frombuffer(ffi.buffer(lib.rv_tiles(self._core), 16 * te * te), dtype=np.uint8)

    def _tile_index(self, tile: int, dtype) -> tuple[np.ndarray, np.dtype]:
        import numpy as np
        dt = _dtype(dtype)
        tew = dt.itemsize * 8
        step = {8: 1, 16: 2, 32: 4, 64: 2}[tew]
        if not 0 <= tile < 16 or tile % step:
            raise ValueError(f"with {tew}-bit elements the tiles are mt0, mt{step}, ... (not mt{tile})")
        offs = tile_offsets(self.tile_te, tile, tew)
        return offs[..., None] + np.arange(dt.itemsize), dt

    def tile(self, tile: int, dtype="int32") -> np.ndarray:
        """Tile mt<tile> viewed with the element width of ``dtype`` (its tiles are TE x TE, or
        TE/2 x TE/2 at 64 bits), as a (rows, cols) array: a copy."""
        import numpy as np
        idx, dt = self._tile_index(tile, dtype)
        return np.ascontiguousarray(self.tiles[idx]).view(dt)[..., 0]

    def set_tile(self, tile: int, values, dtype=None) -> None:
        """Write a whole tile (an ETE x ETE array; its dtype gives the element width unless given)."""
        import numpy as np
        values = np.asarray(values) if dtype is None else np.asarray(values, dtype=_dtype(dtype))
        idx, dt = self._tile_index(tile, values.dtype if dtype is None else dtype)
        if values.shape != idx.shape[:2]:
            raise ValueError(f"tile shape is {idx.shape[:2]}, got {values.shape}")
        self.tiles[idx] = np.ascontiguousarray(values.astype(dt)).view(np.uint8).reshape(idx.shape)
