"""qemu-riscv64 / qemu-riscv32 (QEMU user mode) as a reference: runs a whole batch ELF in one process
(qemu-riscv32 for an RV32 batch).

The batch's signal handler writes each case's final state to stdout (see :mod:`rvsim.testing.harness`),
so thousands of small programs cost one QEMU start-up.  QEMU 7.2 knows these extensions (``-cpu``
properties); programs using others (Zfbfmin, the Zv* extensions) cannot be checked against it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from .harness import Batch, parse_records
from .state import ArchState

# extension -> -cpu property (None: on by default in QEMU's rv64 CPU)
QEMU_EXTENSIONS = {"i": None, "m": None, "a": None, "f": None, "d": None, "c": None, "zicsr": None,
                   "zifencei": None, "priv": None, "zba": "zba=true", "zbb": "zbb=true", "zbs": "zbs=true", "zbc": "zbc=true",
                   "zfh": "Zfh=true", "zfhmin": "Zfhmin=true", "v": None}


# Instructions QEMU 7.2 gets wrong (found by this harness; rvsim follows the spec).  Exclude them when
# comparing against QEMU: programs(..., exclude=QEMU_KNOWN_BUGS).
QEMU_KNOWN_BUGS = {
    "ctzw": "QEMU 7.2 counts the trailing zeros of all 64 bits when the low word is zero "
            "(ctzw of 0x8000000000000000 gives 63, the spec says 32)",
}
# the vector conversions with a static round-towards-zero mode abort QEMU 7.2 itself
# ("translate.c: decode_save_opc: Assertion `ctx->insn_start != NULL' failed") when one starts a
# translation block
QEMU_KNOWN_BUGS.update({m: "aborts QEMU 7.2 (decode_save_opc assertion in translate.c)" for m in (
    "vfcvt.rtz.xu.f.v", "vfcvt.rtz.x.f.v", "vfwcvt.rtz.xu.f.v", "vfwcvt.rtz.x.f.v", "vfncvt.rtz.xu.f.w",
    "vfncvt.rtz.x.f.w")})


class ReferenceUnavailable(RuntimeError):
    """The reference cannot run these programs (tool missing, extension unknown to it)."""


class QemuReference:
    """Run batches under ``qemu-riscv64``, or ``qemu-riscv32`` for RV32 programs (``path``: the executable,
    default from PATH; ``path32``: the one for RV32 batches).

    ``compare(program, against="qemu")`` uses one of these; pass an instance to choose the binary or a
    timeout.
    """

    name = "qemu"
    known_bugs = QEMU_KNOWN_BUGS

    def __init__(self, path: str | None = None, timeout: float = 120.0, extra_cpu_options=(),
                 path32: str | None = None):
        self.path = path or shutil.which("qemu-riscv64")
        self.path32 = path32 or shutil.which("qemu-riscv32")
        self.timeout = timeout
        self.extra_cpu_options = tuple(extra_cpu_options)

    @property
    def available(self) -> bool:
        return self.path is not None and os.access(self.path, os.X_OK)

    def supports(self, extensions) -> list[str]:
        """Extensions QEMU 7.2 cannot check (empty when it can run the programs)."""
        from ..isa import RV32
        return sorted(e for e in extensions if e not in QEMU_EXTENSIONS and e != RV32)

    def executable(self, xlen: int = 64) -> str | None:
        """The QEMU binary for RV``xlen`` programs (None when it is not installed)."""
        path = self.path32 if xlen == 32 else self.path
        return path if path is not None and os.access(path, os.X_OK) else None

    def cpu(self, extensions, vlen: int) -> str:
        from ..isa import xlen_of
        opts = [f"rv{xlen_of(extensions)}"]
        opts += [QEMU_EXTENSIONS[e] for e in sorted(extensions) if QEMU_EXTENSIONS.get(e)]
        if "v" in extensions:
            opts += ["v=true", f"vlen={vlen}", "elen=64", "vext_spec=v1.0"]
        opts += list(self.extra_cpu_options)
        return ",".join(opts)

    def run_batch(self, batch: Batch) -> list[ArchState]:
        xlen = getattr(batch, "xlen", 64)
        qemu = self.executable(xlen)
        name = f"qemu-riscv{xlen}"
        if qemu is None:
            raise ReferenceUnavailable(f"{name} is not installed (Debian package qemu-user)")
        missing = self.supports(batch.extensions)
        if missing:
            raise ReferenceUnavailable(f"QEMU 7.2 does not implement {', '.join(missing)}")
        with tempfile.TemporaryDirectory(prefix="rvsim-testing-") as d:
            exe = os.path.join(d, "batch.elf")
            with open(exe, "wb") as fh:
                fh.write(batch.elf)
            os.chmod(exe, 0o755)           # qemu-user refuses files without execute permission
            try:
                proc = subprocess.run([qemu, "-cpu", self.cpu(batch.extensions, batch.vlen), exe],
                                      capture_output=True, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                raise RuntimeError(f"{name} did not finish {len(batch.cases)} programs in "
                                   f"{self.timeout:.0f} s") from None
        states = parse_records(batch, proc.stdout)
        out = []
        for case in batch.cases:
            state = states.get(case.index)
            if state is None:
                detail = proc.stderr.decode(errors="replace").strip()[-300:]
                state = ArchState(trap=f"{name} exited with status {proc.returncode} before "
                                       f"finishing this program{': ' + detail if detail else ''}")
            out.append(state)
        return out

    def __repr__(self) -> str:
        return f"QemuReference({self.path!r})"
