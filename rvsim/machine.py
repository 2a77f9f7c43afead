"""The Python face of the simulator: :class:`Machine`.

A Machine owns one hart and its memory in the C core.  Registers, CSRs and memory are numpy views onto
the core's own buffers, so reading them copies nothing.  numpy is imported when a view is first used:
running a program from the command line never needs it.  ``run()`` executes in C until something needs
the host (a Linux system call, an HTIF request, a breakpoint, a trap the guest does not handle, the
instruction limit); the host environment services it and, where the program can go on, resumes.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from . import isa
from ._core import ffi, lib
from .errors import SimulationError
from .history import HistoryMixin
from .isa.csrs import CSR_NUMBERS, RV32_CSRS
from .stop import StopInfo, StopReason  # noqa: F401  (part of this module's API)
from .views import VectorViews

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from .host import HostEnvironment

PAGE = 4096
DEFAULT_MEMORY = 1 << 30          # guest memory bound: 1 GiB (reserved lazily by the host)
CHUNK = 1 << 24                   # instructions per C call, so Ctrl-C is noticed within ~50 ms


def _runs(pages: np.ndarray) -> list[np.ndarray]:
    """Split sorted page numbers into runs of consecutive pages."""
    import numpy as np
    if len(pages) == 0:
        return []
    return np.split(pages, np.nonzero(np.diff(pages) != 1)[0] + 1)


@dataclass
class MachineOptions:
    isa: str = "rv64gc"
    memory_base: int = 0
    memory_size: int = DEFAULT_MEMORY
    vlen: int = 256
    trap_misaligned: bool = False
    extensions: frozenset = field(default_factory=frozenset)


@dataclass(eq=False)
class Snapshot:
    """A copy of a Machine's architectural state (see :meth:`Machine.snapshot`).

    ``hart`` is the raw hart record (integer and FP registers, pc, privilege, every CSR the core keeps,
    the LR/SC reservation), ``v`` the vector register file, ``pages`` the page numbers (relative to the
    window base) whose contents were saved, ``data`` their bytes (one row per page), ``perms`` the
    permissions of the covered pages.  Pages that were mapped but all zero are listed in ``zero_pages``
    rather than copied, so an 8 MiB stack that was never touched costs nothing.
    """

    hart: bytes
    v: np.ndarray
    mcycle: int
    first_page: int                 # the saved page range [first_page, end_page) of the window
    end_page: int
    perms: np.ndarray               # permission bits of every page in the range
    pages: np.ndarray               # saved (non-zero) pages
    data: np.ndarray                # (len(pages), 4096) bytes
    zero_pages: np.ndarray          # mapped (or in-region) pages that were all zero
    memory_base: int
    vlen: int
    xlen: int = 64

    @property
    def x(self) -> np.ndarray:
        """x0..x31 as Machine.x shows them: uint64 on RV64, the 32-bit values (uint32) on RV32."""
        import numpy as np
        x = np.frombuffer(self.hart, dtype=np.uint64, count=32)
        return x.astype(np.uint32) if self.xlen == 32 else x

    def field(self, name: str):
        """A named field of the saved hart record (``pc``, ``priv``, ``fflags``, ``vl``, ``mstatus``...)."""
        h = ffi.new("rv_hart_state *")
        ffi.buffer(h)[:] = self.hart
        value = getattr(h, name)
        return [int(v) for v in value] if isinstance(value, ffi.CData) else int(value)

    def memory(self, addr: int, size: int) -> bytes:
        """Saved guest memory [addr, addr+size): bytes of saved pages, zeros elsewhere."""
        out = bytearray(size)
        off = addr - self.memory_base
        index = {int(p): i for i, p in enumerate(self.pages)}
        pos = 0
        while pos < size:
            pg, within = divmod(off + pos, PAGE)
            n = min(PAGE - within, size - pos)
            i = index.get(pg)
            if i is not None:
                out[pos:pos + n] = self.data[i, within:within + n].tobytes()
            pos += n
        return bytes(out)


class _CsrFile:
    """``m.csr['mstatus']``, ``m.csr[0x300]``: CSRs as the host sees them (no privilege checks)."""

    def __init__(self, machine: "Machine"):
        self._m = machine

    @staticmethod
    def _number(key) -> int:
        if isinstance(key, str):
            try:
                return CSR_NUMBERS[key]
            except KeyError:
                pass
            try:
                return RV32_CSRS[key]           # mstatush, cycleh...: only RV32 machines have them
            except KeyError:
                raise KeyError(f"unknown CSR name {key!r}") from None
        return int(key)

    def __getitem__(self, key) -> int:
        num = self._number(key)
        out = ffi.new("uint64_t *")
        if lib.rv_csr_read(self._m._core, num, out):
            raise KeyError(f"CSR {key!r} ({num:#x}) does not exist on this machine")
        return int(out[0])

    def __setitem__(self, key, value: int) -> None:
        num = self._number(key)
        if lib.rv_csr_write(self._m._core, num, int(value) & (2**64 - 1)):
            raise KeyError(f"CSR {key!r} ({num:#x}) does not exist on this machine")


class Machine(VectorViews, HistoryMixin):
    """One RV64 or RV32 hart with memory, executing in C.

    Options: ``isa_string`` (``"rv64gc"``, ``"rv64gcv_zvfh"``, ``"rv32imac"``...: its ``rv32``/``rv64``
    prefix is the XLEN; default: the loaded ELF's own, else rv64gcv), ``memory_base``/``memory_size`` (the
    guest memory window and bound; loading an ELF moves the window to fit it), ``vlen`` (vector register
    bits), ``trap_misaligned`` (misaligned accesses trap instead of being performed),
    ``vector_agnostic`` (``"undisturbed"`` or ``"ones"``), ``tile_te`` (Zvt: tiles are TE x TE, default
    min(32, VLEN/4)), ``deterministic`` (the default Linux
    environment's clocks and random bytes derive from the instruction count rather than the host), and
    ``env``, the host environment (the loader picks one when None).

    >>> m = Machine("rv64gc")
    >>> m.load_elf("prog.elf")          # doctest: +SKIP
    >>> info = m.run()                  # doctest: +SKIP
    """

    def __init__(self, isa_string: str | None = None, *, memory_base: int = 0,
                 memory_size: int = DEFAULT_MEMORY, vlen: int = 256, trap_misaligned: bool = False,
                 vector_agnostic: str = "undisturbed", deterministic: bool = True,
                 tile_te: int | None = None,
                 env: "HostEnvironment | None" = None):
        # vector_agnostic: what tail/mask-agnostic vector elements become: "undisturbed" (kept) or
        # "ones" (all bits set, as some hardware does, to flush out code relying on undisturbed)
        if vector_agnostic not in ("undisturbed", "ones"):
            raise ValueError("vector_agnostic must be 'undisturbed' or 'ones'")
        self.vector_agnostic = vector_agnostic
        self.deterministic = deterministic
        # no ISA given: the default until load_elf reads the program's own (.riscv.attributes)
        self.isa_from_program = isa_string is None
        if isa_string is None:
            from .isa.arch import DEFAULT_ISA
            isa_string = DEFAULT_ISA
        self.extensions = isa.parse_isa_string(isa_string)
        self.isa_string = isa_string
        self.trap_misaligned = trap_misaligned
        self.vlen = vlen
        if vlen < isa.min_vlen(self.extensions):
            raise ValueError(f"ISA {isa_string} needs VLEN >= {isa.min_vlen(self.extensions)} bits; "
                             f"this machine has vlen={vlen}")
        self._tile_te = tile_te or 0     # Zvt tile edge TE (None: min(32, VLEN/4)); see views.py
        self._core = None
        self._retired_cores: list = []
        if isinstance(env, str):            # "linux", "rars" or "venus"
            from .teaching import make_environment
            env = make_environment(env, deterministic=deterministic)
        self.env = env
        self.program = None
        self.asm_program = None             # the rvsim.asm.Program that load_asm assembled
        self.symbols: dict[str, int] = {}
        self._breakpoints: set[int] = set()
        self.timing = None                  # rvsim.timing.Timing while the cycle model is on
        self._create(memory_base, memory_size)

    # ------------------------------------------------------------------ construction

    def _create(self, base: int, size: int, flags: int = 0) -> None:
        if base % PAGE or size % PAGE or size <= 0:
            raise ValueError("memory_base and memory_size must be positive multiples of 4096")
        if self.xlen == 32 and base + size > 1 << 32:
            raise ValueError(f"a memory window of {size:#x} bytes at {base:#x} does not fit the 32-bit address "
                             "space of RV32: lower memory_size (--memory)")
        cfg = ffi.new("rv_config *")
        cfg.extensions = isa.extension_mask(self.extensions)
        cfg.mem_base = base
        cfg.mem_size = size
        cfg.vlen = self.vlen
        cfg.tile_te = self._tile_te
        cfg.flags = (flags & ~lib.RV_CFG_XLEN32) | (lib.RV_CFG_TRAP_MISALIGNED if self.trap_misaligned else 0) | \
            (lib.RV_CFG_VECTOR_AGNOSTIC_ONES if self.vector_agnostic == "ones" else 0) | \
            (lib.RV_CFG_XLEN32 if self.xlen == 32 else 0)
        err = ffi.new("char[200]")
        core = lib.rv_create(cfg, err, 200)
        if core == ffi.NULL:
            raise ValueError(ffi.string(err).decode())
        if self._core is not None:
            # numpy views handed out earlier point into the old core: keep it alive with the Machine
            self._retired_cores.append(self._core)
        self._core = ffi.gc(core, lib.rv_destroy)
        self._flags = cfg.flags
        self.memory_base, self.memory_size = base, size
        self._hart = lib.rv_hart(self._core)
        for view in ("x", "f", "memory", "v"):      # made again, on the new core, when next used
            self.__dict__.pop(view, None)
        self.csr = _CsrFile(self)
        for bp in self._breakpoints:
            lib.rv_add_breakpoint(self._core, bp)
        if self.timing is not None:
            self.timing._attach()           # the cycle model follows the machine to its new core
        self._history_reattach()            # and so do recording and watchpoints

    @property
    def xlen(self) -> int:
        """32 or 64: the width of the integer registers and addresses (the ISA string's rv32/rv64)."""
        return isa.xlen_of(self.extensions)

    def set_isa(self, isa_string: str) -> None:
        """Change the extensions (before a program is loaded: this re-creates the core)."""
        self.extensions = isa.parse_isa_string(isa_string)
        self.isa_string = isa_string
        self._reconfigure(flags=self._flags)

    def _reconfigure(self, *, base: int | None = None, size: int | None = None,
                     flags: int | None = None) -> None:
        """Re-create the core with a new memory window or new flags (before a program is loaded)."""
        self._create(self.memory_base if base is None else base,
                     self.memory_size if size is None else size,
                     (self._flags & ~lib.RV_CFG_TRAP_MISALIGNED) if flags is None else flags)

    # ------------------------------------------------------------------ views (numpy, made on first use)

    @cached_property
    def x(self) -> np.ndarray:
        """Integer registers x0..x31: a writable view of the core's register file, indexed by number or
        name (``m.x[10]``, ``m.x["a0"]``): uint64 on RV64, uint32 on RV32 (the core holds RV32 registers
        sign-extended to 64 bits; the view is their low halves, and run() sign-extends what the host
        wrote)."""
        import numpy as np
        from .registers import IntRegisters
        buf = ffi.buffer(self._hart.x, 32 * 8)
        if self.xlen == 32:
            return np.ndarray((32,), dtype=np.uint32, buffer=buf, strides=(8,)).view(IntRegisters)
        return np.frombuffer(buf, dtype=np.uint64).view(IntRegisters)

    @cached_property
    def f(self) -> np.ndarray:
        """Floating-point registers f0..f31 as raw uint64 bit patterns (NaN-boxed singles), indexed by
        number or name (``m.f["fa0"]``)."""
        import numpy as np
        from .registers import FloatRegisters
        return np.frombuffer(ffi.buffer(self._hart.f, 32 * 8), dtype=np.uint64).view(FloatRegisters)

    @cached_property
    def memory(self) -> np.ndarray:
        """The guest memory window [memory_base, memory_base + memory_size) as a uint8 view."""
        import numpy as np
        return np.frombuffer(ffi.buffer(lib.rv_memory(self._core), self.memory_size), dtype=np.uint8)

    @cached_property
    def v(self) -> np.ndarray:
        """The vector register file, one row of VLEN/8 bytes per register."""
        import numpy as np
        return np.frombuffer(ffi.buffer(lib.rv_vregs(self._core), 32 * self.vlen // 8),
                             dtype=np.uint8).reshape(32, self.vlen // 8)

    # ------------------------------------------------------------------ state

    @property
    def pc(self) -> int:
        return int(self._hart.pc)

    @pc.setter
    def pc(self, value: int) -> None:
        self._hart.pc = int(value) & ((1 << self.xlen) - 1)

    @property
    def instret(self) -> int:
        """Instructions retired since the machine was created."""
        return int(self._hart.instret)

    @property
    def priv(self) -> int:
        """Current privilege mode: 3 machine, 0 user."""
        return int(self._hart.priv)

    @priv.setter
    def priv(self, mode: int) -> None:
        if mode not in (0, 3):
            raise ValueError("privilege mode must be 3 (machine) or 0 (user)")
        self._hart.priv = mode

    @property
    def fflags(self) -> int:
        return self.csr["fflags"]

    def map(self, addr: int, size: int, perms: str = "rwx") -> None:
        """Make guest memory [addr, addr+size) accessible with permissions from ``"rwx"``."""
        bits = (("r" in perms) and lib.RV_PERM_R) | (("w" in perms) and lib.RV_PERM_W) | \
               (("x" in perms) and lib.RV_PERM_X)
        lo, hi = addr & ~(PAGE - 1), (addr + size + PAGE - 1) & ~(PAGE - 1)
        if lib.rv_map(self._core, lo, hi - lo, bits):
            raise ValueError(f"[{addr:#x}, {addr + size:#x}) is outside the memory window "
                             f"[{self.memory_base:#x}, {self.memory_base + self.memory_size:#x})")

    def read(self, addr: int, size: int) -> bytes:
        """Guest memory as bytes (any part of the window, mapped or not)."""
        # checked before allocating: sizes can come from a guest (system-call arguments)
        if size < 0 or addr < self.memory_base or addr + size > self.memory_base + self.memory_size:
            raise ValueError(f"read of {size} bytes at {addr:#x} is outside guest memory")
        buf = ffi.new("uint8_t[]", size)
        if lib.rv_read_memory(self._core, addr, buf, size):
            raise ValueError(f"read of {size} bytes at {addr:#x} is outside guest memory")
        return bytes(ffi.buffer(buf, size))

    def write(self, addr: int, data) -> None:
        """Write bytes (or a numpy array's bytes) into guest memory; code there is re-decoded."""
        np = sys.modules.get("numpy")       # an array exists only once numpy is imported
        if np is not None and isinstance(data, np.ndarray):
            data = np.ascontiguousarray(data).view(np.uint8)
        data = bytes(data)
        if lib.rv_write_memory(self._core, addr, data, len(data)):
            raise ValueError(f"write of {len(data)} bytes at {addr:#x} is outside guest memory")

    def read_array(self, addr: int, dtype, count: int) -> np.ndarray:
        """A numpy view of ``count`` elements of ``dtype`` at guest address ``addr`` (no copy)."""
        import numpy as np
        dtype = np.dtype(dtype)
        off = addr - self.memory_base
        if off < 0 or off + count * dtype.itemsize > self.memory_size:
            raise ValueError(f"{count} x {dtype} at {addr:#x} is outside guest memory")
        return self.memory[off:off + count * dtype.itemsize].view(dtype)

    def read_u64(self, addr: int) -> int:
        return int.from_bytes(self.read(addr, 8), "little")

    def read_cstring(self, addr: int, limit: int = 4096) -> bytes:
        out = bytearray()
        end = self.memory_base + self.memory_size
        while len(out) < limit:
            here = addr + len(out)
            if not self.memory_base <= here < end:
                raise ValueError(f"string at {addr:#x} runs outside guest memory")
            chunk = self.read(here, min(256, limit - len(out), end - here))
            nul = chunk.find(b"\0")
            if nul >= 0:
                return bytes(out + chunk[:nul])
            out += chunk
        return bytes(out)

    # ------------------------------------------------------------------ breakpoints

    def add_breakpoint(self, where) -> int:
        """Stop before the instruction at an address or symbol name executes."""
        addr = self._resolve(where)
        if lib.rv_add_breakpoint(self._core, addr):
            raise ValueError("too many breakpoints")
        self._breakpoints.add(addr)
        return addr

    def remove_breakpoint(self, where) -> None:
        addr = self._resolve(where)
        lib.rv_remove_breakpoint(self._core, addr)
        self._breakpoints.discard(addr)

    @property
    def breakpoints(self) -> frozenset[int]:
        return frozenset(self._breakpoints)

    def _resolve(self, where) -> int:
        if isinstance(where, str):
            try:
                return self.symbols[where]
            except KeyError:
                raise KeyError(f"no symbol named {where!r}") from None
        return int(where)

    # ------------------------------------------------------------------ loading

    def load_elf(self, path, argv=None, envp=None, name=None):
        """Load an RV64 or RV32 ELF executable (a path or its bytes) and prepare it to run.

        Linux programs get argv/envp on their initial stack; bare-metal programs with a ``tohost``
        symbol start in M-mode (see :mod:`rvsim.loader`).  A Machine created without an ISA takes the
        program's own from its ``.riscv.attributes`` (as GCC, clang and ``rvsim asm`` write it).
        """
        from .loader import load_elf
        return load_elf(self, path, argv=argv, envp=envp, name=name)

    def load_asm(self, source, argv=None, envp=None, *, name=None, defsym=None, march=None,
                 include_dirs=()):
        """Assemble a source file (a path ending in .s/.S/.asm) or source text and load it; returns
        the assembled :class:`rvsim.asm.Program` (also kept as ``asm_program``: its line table maps
        addresses to source lines).  Raises :class:`rvsim.asm.AsmError` listing every error.

        >>> m = Machine("rv64gc", env="rars")
        >>> prog = m.load_asm("main: li a0, 7\\n ret\\n")
        >>> m.run().exit_code
        7
        """
        from .loader import load_assembly
        return load_assembly(self, source, argv=argv, envp=envp, name=name, defsym=defsym, march=march,
                             include_dirs=include_dirs)

    def load_image(self, data: bytes, addr: int | None = None, entry: int | None = None) -> None:
        """Load a flat binary image at ``addr`` (default: the window base), executable, and set pc."""
        addr = self.memory_base if addr is None else addr
        self.map(addr, len(data), "rwx")
        self.write(addr, data)
        self.pc = addr if entry is None else entry

    # ------------------------------------------------------------------ execution

    def run(self, max_instructions: int | None = None) -> StopInfo:
        """Execute until the program exits, stops or ``max_instructions`` have retired."""
        start = self.instret
        remaining = max_instructions
        resumed = False
        while True:
            budget = CHUNK if remaining is None else min(CHUNK, remaining)
            if budget <= 0:
                return StopInfo(StopReason.LIMIT, self.pc, self.instret - start)
            if resumed and self._breakpoints and self.pc in self._breakpoints:
                # the core steps over a breakpoint at the pc it starts from, which is right when the
                # caller resumes from a stop it saw, not when this loop re-enters after a system call
                # or a full chunk: the caller has not stopped there yet
                return self._handle_stop(lib.RV_STOP_BREAKPOINT, start)
            resumed = True
            self._hart.x[0] = 0
            before = self.instret
            code = lib.rv_run(self._core, budget)
            if code == lib.RV_STOP_LIMIT:
                # the whole budget was used (traps use budget without retiring)
                if remaining is not None:
                    remaining -= budget
                    if remaining <= 0:
                        return StopInfo(StopReason.LIMIT, self.pc, self.instret - start)
                continue
            if remaining is not None:
                remaining -= self.instret - before
            info = self._handle_stop(code, start)
            if info is not None:
                return info

    def step(self, n: int = 1) -> StopInfo:
        """Execute ``n`` instructions (stopping early for the same reasons as run())."""
        return self.run(max_instructions=n)

    def _handle_stop(self, code: int, start: int) -> StopInfo | None:
        h = self._hart
        if code == lib.RV_STOP_ECALL:
            if self.env is None:
                return StopInfo(StopReason.ECALL, int(h.trap_pc), self.instret - start)
            if self._replayed():
                return None
            exit_code = self.env.ecall(self)
            if exit_code is not None:
                self._host_exited()
                return StopInfo(StopReason.EXIT, int(h.trap_pc), self.instret - start,
                                exit_code=exit_code)
            return None
        if code == lib.RV_STOP_HTIF:
            value = int(h.htif_value)
            if self.env is not None and self._replayed():
                return None
            exit_code = self.env.htif(self, value) if self.env is not None else None
            if exit_code is None and self.env is None:
                exit_code = value >> 1 if value & 1 else None
            if exit_code is not None:
                self._host_exited()
                return StopInfo(StopReason.EXIT, self.pc, self.instret - start, exit_code=exit_code)
            return None
        if code == lib.RV_STOP_BREAKPOINT:
            if self.timing is not None:
                self.timing.mark()
            return StopInfo(StopReason.BREAKPOINT, self.pc, self.instret - start)
        if code == lib.RV_STOP_EBREAK:
            handler = getattr(self.env, "ebreak", None)
            if handler is not None and self._replayed():
                return None
            result = handler(self) if handler is not None else NotImplemented
            if result is NotImplemented:
                if self.env is None or not getattr(self.env, "ebreak_traps", False):
                    return StopInfo(StopReason.EBREAK, self.pc, self.instret - start)
                # a breakpoint the host does not service: the guest's trap handler takes it
                code = lib.rv_raise_trap(self._core, 3, self.pc)
                return self._handle_stop(code, start) if code else None
            if result is not None:
                self._host_exited()
                return StopInfo(StopReason.EXIT, self.pc, self.instret - start, exit_code=result)
            return None
        if code == lib.RV_STOP_TRAP:
            return StopInfo(StopReason.TRAP, int(h.trap_pc), self.instret - start,
                            cause=int(h.trap_cause), tval=int(h.trap_tval))
        if code == lib.RV_STOP_HANG:
            return StopInfo(StopReason.HANG, self.pc, self.instret - start)
        if code == lib.RV_STOP_WATCH:
            return StopInfo(StopReason.WATCHPOINT, self.pc, self.instret - start, watch=self._watch_hit())
        if code == lib.RV_STOP_ERROR:
            raise SimulationError(ffi.string(h.error).decode() + f" at pc {int(h.trap_pc):#x}",
                                  pc=int(h.trap_pc), cause=int(h.trap_cause))
        raise SimulationError(f"core returned unknown stop code {code}", pc=self.pc)

    def enable_timing(self, preset="teach"):
        """Turn the cycle model on (a preset name, a .toml path or a parsed config); returns the
        :class:`rvsim.timing.Timing` that holds its results.  ``run()`` then executes in the timed
        loop; :meth:`disable_timing` returns to the functional loop."""
        from .timing import Timing
        if self.timing is not None:
            self.timing.disable()
        self.timing = Timing(self, preset)
        return self.timing

    def disable_timing(self) -> None:
        if self.timing is not None:
            self.timing.disable()
        self.timing = None

    # ------------------------------------------------------------------ snapshots

    def snapshot(self, region: tuple[int, int] | None = None) -> Snapshot:
        """Copy the architectural state: registers, pc, privilege, CSRs, vector registers and guest memory.

        By default every mapped page is saved (all-zero pages only by number); ``region=(addr, size)``
        saves just the pages covering that range, which is cheaper for a large program when the test
        touches a known buffer.  Host-side state (open files, the Linux environment's brk) is not part of
        a snapshot.
        """
        import numpy as np
        flags = self._page_flags()
        if region is None:
            first, end = 0, len(flags)
        else:
            addr, size = region
            off = addr - self.memory_base
            if off < 0 or size < 0 or off + size > self.memory_size:
                raise ValueError(f"snapshot region [{addr:#x}, {addr + size:#x}) is outside guest memory")
            first, end = off // PAGE, -(-(off + size) // PAGE)
        perms = (flags[first:end] & 7).copy()
        candidates = np.nonzero(perms)[0] + first if region is None else np.arange(first, end)
        saved, zero, rows = [], [], []
        for run in _runs(candidates):
            block = self.memory[run[0] * PAGE:(run[-1] + 1) * PAGE].reshape(-1, PAGE)
            used = block.any(axis=1)
            saved.append(run[used])
            zero.append(run[~used])
            rows.append(block[used].copy())
        pages = np.concatenate(saved) if saved else np.zeros(0, dtype=np.int64)
        data = np.concatenate(rows) if rows else np.zeros((0, PAGE), dtype=np.uint8)
        return Snapshot(bytes(ffi.buffer(self._hart)), self.v.copy(), self.csr["mcycle"], first, end,
                        perms, pages, data,
                        np.concatenate(zero) if zero else np.zeros(0, dtype=np.int64),
                        self.memory_base, self.vlen, self.xlen)

    def restore(self, snap: Snapshot) -> None:
        """Return to the state saved by :meth:`snapshot` (only the pages it covered are touched)."""
        if snap.memory_base != self.memory_base or snap.vlen != self.vlen or \
                snap.end_page > self.memory_size // PAGE:
            raise ValueError("snapshot was taken on a machine with another memory window or VLEN")
        import numpy as np
        flags = self._page_flags()
        current = flags[snap.first_page:snap.end_page] & 7
        changed = np.nonzero(current != snap.perms)[0]
        for run in _runs(changed):
            perm = snap.perms[run]
            for sub in np.split(run, np.nonzero(np.diff(perm))[0] + 1):
                lo = self.memory_base + (snap.first_page + int(sub[0])) * PAGE
                lib.rv_map(self._core, lo, len(sub) * PAGE, int(snap.perms[sub[0]]))
        # pages that must be zero now: saved-as-zero pages and, for a whole-memory snapshot, pages
        # mapped since (which the permission restore above just unmapped)
        if snap.first_page == 0 and snap.end_page == len(flags):
            stale = np.nonzero((current != 0) & (snap.perms == 0))[0]
        else:
            stale = np.zeros(0, dtype=np.int64)
        for pages in (snap.zero_pages, stale):
            for run in _runs(pages):
                block = self.memory[run[0] * PAGE:(run[-1] + 1) * PAGE].reshape(-1, PAGE)
                for pg in run[block.any(axis=1)]:
                    self._write_page(int(pg), bytes(PAGE))
        if len(snap.pages):
            now = self.memory.reshape(-1, PAGE)[snap.pages] if len(snap.pages) < 4096 else None
            for i, pg in enumerate(snap.pages):
                row = snap.data[i]
                if now is None or not np.array_equal(now[i], row):
                    self._write_page(int(pg), row)
        ffi.buffer(self._hart)[:] = snap.hart
        self.v[:] = snap.v
        self.csr["mcycle"] = snap.mcycle

    def _write_page(self, page: int, data) -> None:
        # through the core, so decoded instructions on the page are forgotten
        lib.rv_write_memory(self._core, self.memory_base + page * PAGE, ffi.from_buffer(data), PAGE)

    def _page_flags(self) -> np.ndarray:
        import numpy as np
        return np.frombuffer(ffi.buffer(lib.rv_page_flags(self._core), self.memory_size // PAGE),
                             dtype=np.uint8)

    def flush_icache(self) -> None:
        """Forget decoded instructions (after writing code through the ``memory`` view)."""
        lib.rv_flush_decode_cache(self._core)

    def __repr__(self) -> str:
        return f"<Machine {self.isa_string} pc={self.pc:#x} instret={self.instret}>"

    def _repr_html_(self) -> str:
        """Jupyter: pc, the current instruction and the registers as a table."""
        from .notebook import machine_html
        return machine_html(self)
