"""cffi build script for rvsim._core (API mode, out-of-line).

setup.py names this file in ``cffi_modules``; cffi runs it standalone, so it must not import rvsim.
The cdef is the text between ``/* cffi-begin */`` and ``/* cffi-end */`` in the public headers, so the
declarations cffi sees are the ones the C compiler sees.  Set RVSIM_DEBUG=1 to build without
optimisation and with AddressSanitizer and UndefinedBehaviorSanitizer.
"""
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cffi import FFI

ROOT = Path(__file__).resolve().parent.parent
CSRC = ROOT / "csrc"
# Headers whose cffi region is part of the Python interface, in dependency order.
PUBLIC_HEADERS = ["rvsim.h", "softfloat.h", "timing.h", "history.h", "jit_api.h"]


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


def _compile_in_parallel() -> None:
    """Have setuptools compile an extension's sources concurrently, one per CPU.

    setuptools compiles the sources of one extension one after another; the interpreter's loop variants
    each take minutes at -O2, so a serial build leaves all but one core idle.  This replaces
    CCompiler.compile with the same steps (its own _setup_compile and _compile) run on a thread pool; the
    compiler processes are what run in parallel.
    """
    try:
        from setuptools._distutils import ccompiler
    except ImportError:  # a setuptools without its own distutils
        from distutils import ccompiler

    def compile(self, sources, output_dir=None, macros=None, include_dirs=None, debug=0,
                extra_preargs=None, extra_postargs=None, depends=None):
        macros, objects, extra_postargs, pp_opts, build = self._setup_compile(
            output_dir, macros, include_dirs, sources, depends, extra_postargs)
        cc_args = self._get_cc_args(pp_opts, debug, extra_preargs)

        def one(obj):
            src, ext = build[obj]
            self._compile(obj, src, ext, cc_args, extra_postargs, pp_opts)

        jobs = int(os.environ.get("RVSIM_BUILD_JOBS") or os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for _ in pool.map(one, [obj for obj in objects if obj in build]):
                pass
        return objects

    ccompiler.CCompiler.compile = compile


debug = os.environ.get("RVSIM_DEBUG") == "1"
if debug:
    cflags = ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined"]
    ldflags = ["-fsanitize=address,undefined"]
else:
    cflags = ["-O2", "-fno-strict-aliasing", "-fno-plt"]
    ldflags = []
cflags += ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-unused-label"]

_compile_in_parallel()
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
