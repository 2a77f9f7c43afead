"""cffi build script for rvsim._core (API mode, out-of-line).

setup.py names this file in ``cffi_modules``; cffi runs it standalone, so it must not import rvsim.
The cdef is the text between ``/* cffi-begin */`` and ``/* cffi-end */`` in the public headers, so the
declarations cffi sees are the ones the C compiler sees.  Set RVSIM_DEBUG=1 to build without
optimisation and with AddressSanitizer and UndefinedBehaviorSanitizer.
"""
import os
import re
from pathlib import Path

from cffi import FFI

ROOT = Path(__file__).resolve().parent.parent
CSRC = ROOT / "csrc"
# Headers whose cffi region is part of the Python interface, in dependency order.
PUBLIC_HEADERS = ["rvsim.h", "softfloat.h", "timing.h", "history.h"]


def _cdef() -> str:
    parts = []
    for name in PUBLIC_HEADERS:
        path = CSRC / name
        if not path.exists():
            continue
        m = re.search(r"/\* cffi-begin \*/(.*?)/\* cffi-end \*/", path.read_text(), re.S)
        if not m:
            raise RuntimeError(f"{path} has no cffi-begin/cffi-end region")
        parts.append(m.group(1))
    return "\n".join(parts)


def _sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in CSRC.glob("*.c"))


debug = os.environ.get("RVSIM_DEBUG") == "1"
if debug:
    cflags = ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined"]
    ldflags = ["-fsanitize=address,undefined"]
else:
    cflags = ["-O2", "-fno-strict-aliasing", "-fno-plt"]
    ldflags = []
cflags += ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-unused-label"]

ffibuilder = FFI()
ffibuilder.cdef(_cdef())
ffibuilder.set_source(
    "rvsim._core",
    "\n".join(f'#include "{h}"' for h in PUBLIC_HEADERS if (CSRC / h).exists()),
    sources=_sources(),
    include_dirs=[str(CSRC)],
    # headers and the exec_*.inc files included into interp.c: a change to any of them rebuilds
    depends=sorted(str(p.relative_to(ROOT)) for p in CSRC.iterdir() if p.suffix in (".h", ".inc")),
    extra_compile_args=cflags,
    extra_link_args=ldflags,
    libraries=["m"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
