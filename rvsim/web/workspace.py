"""The files a browser tab works on, assembled without touching the host's file system.

A tab sends its sources as text.  ``.include`` is resolved among those texts first, then among the
read-only example files (asm/'s ``common.inc``...), then under ``--allow-dir``; absolute paths and
``..`` are refused, so a program cannot make the server read an arbitrary file.
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILES = 32
MAX_SOURCE_BYTES = 1 << 20          # all of a tab's sources together
MAX_INCLUDE_BYTES = 4 << 20


class WorkspaceError(ValueError):
    """A request the workspace refuses (too big, a path outside what the user may read...)."""


def clean_name(name: str) -> str:
    """A relative, normalised file name with no '..' (raises WorkspaceError otherwise)."""
    if not isinstance(name, str) or not name or len(name) > 200 or "\0" in name or "\\" in name:
        raise WorkspaceError(f"bad file name {name!r}")
    norm = posixpath.normpath(name)
    if norm.startswith("/") or norm == ".." or norm.startswith("../") or norm == ".":
        raise WorkspaceError(f"file name {name!r} leaves the workspace")
    return norm


def resolve_under(root: Path, name: str) -> Path:
    """``root/name`` when it stays inside ``root`` (after following symbolic links), else WorkspaceError."""
    rel = clean_name(name)
    root = root.resolve()
    path = (root / rel).resolve()
    if path != root and root not in path.parents:
        raise WorkspaceError(f"{name!r} is outside the allowed directory")
    return path


@dataclass
class Library:
    """Files a program may ``.include`` besides its own: the examples' include files and --allow-dir."""

    includes: dict[str, str] = field(default_factory=dict)      # name -> text (read-only examples)
    allow_dir: Path | None = None

    def read(self, name: str) -> str | None:
        name = clean_name(name)
        if name in self.includes:
            return self.includes[name]
        if self.allow_dir is not None:
            path = resolve_under(self.allow_dir, name)
            if path.is_file():
                if path.stat().st_size > MAX_INCLUDE_BYTES:
                    raise WorkspaceError(f"{name!r} is too large to include")
                return path.read_text(encoding="utf-8", errors="replace")
        return None


def check_sources(files) -> list[tuple[str, str]]:
    """Validate a request's ``[{"name", "text"}]`` list: names, count and total size."""
    if not isinstance(files, list) or not files:
        raise WorkspaceError("no source files")
    if len(files) > MAX_FILES:
        raise WorkspaceError(f"at most {MAX_FILES} files")
    out, total, seen = [], 0, set()
    for f in files:
        if not isinstance(f, dict) or not isinstance(f.get("text"), str):
            raise WorkspaceError("each file needs a name and a text")
        name = clean_name(f.get("name", ""))
        if name in seen:
            raise WorkspaceError(f"two files are named {name!r}")
        seen.add(name)
        total += len(f["text"].encode("utf-8", errors="replace"))
        if total > MAX_SOURCE_BYTES:
            raise WorkspaceError(f"the program is larger than {MAX_SOURCE_BYTES // 1024} KiB")
        out.append((name, f["text"]))
    return out


def assemble_sources(files: list[tuple[str, str]], march: str, library: Library, defsym=None):
    """Assemble and link in-memory sources; returns rvsim.asm.Program or raises rvsim.asm.AsmError."""
    from ..asm import assembler as asm_mod
    from ..asm import _NoGC, _link
    from ..asm.errors import StatementError

    texts = dict(files)

    class TabAssembler(asm_mod.FileAssembler):
        """Reads sources and includes from the tab's texts and the library, never the disk at large."""

        def load(self, path: str):
            name = clean_name(path)
            text = texts.get(name)
            if text is None:
                try:
                    text = library.read(name)
                except WorkspaceError as exc:
                    raise StatementError(str(exc)) from None
            if text is None:
                raise StatementError(f"cannot find `{path}`",
                                     "open it in another tab of the editor, or give --allow-dir")
            return self.lines_of(text, name)

        def include(self, rest):
            r = asm_mod.parse_line(f".x {rest}")
            if not r or not r[0].args or type(r[0].args[0]) is not tuple or r[0].args[0][0] != "s":
                raise StatementError("`.include` needs a file name in quotes", '.include "file.s"')
            name = r[0].args[0][1].decode()
            try:
                name = clean_name(name)
            except WorkspaceError as exc:
                raise StatementError(str(exc), "include a file by a relative name") from None
            if self.include_depth > 30:
                raise StatementError("`.include` nested too deeply", "is a file including itself?")
            self.include_depth += 1
            try:
                self.run_file(name)
            finally:
                self.include_depth -= 1

    with _NoGC():
        return _link([_assemble_text(TabAssembler, name, text, march, defsym) for name, text in files])


def _assemble_text(cls, name, text, march, defsym):
    """rvsim.asm's per-file driver, with our FileAssembler class."""
    from ..asm import AsmError, AssemblyAbort, Diagnostic, _defsyms
    from ..asm.errors import StatementError
    try:
        fa = cls(name, march, _defsyms(defsym))
    except ValueError as exc:       # a bad ISA string
        raise AsmError([Diagnostic(name, 0, 0, str(exc), hint="e.g. rv64gc or rv64imac_zba_zbb")])
    try:
        fa.run_text(text)
        fa.finish()
    except AssemblyAbort:
        pass
    except StatementError as exc:
        fa.errors.append(Diagnostic(name, 0, 0, exc.message, hint=exc.hint))
    except RecursionError:
        fa.errors.append(Diagnostic(name, 0, 0, "expression or macro nesting too deep"))
    return fa


def diagnostic_json(d) -> dict:
    return {"file": d.file, "line": d.line, "col": d.col, "length": d.length, "message": d.message,
            "hint": d.hint, "severity": d.severity, "text": str(d)}


# ---------------------------------------------------------------------------------------- examples

EXAMPLES_DIR = Path(__file__).parent / "examples"


def kernel_dir() -> Path | None:
    """asm/ of the source tree (beside the package), when there is one."""
    here = Path(__file__).resolve().parents[2] / "asm"
    return here if (here / "common.inc").exists() else None


def examples() -> dict[str, dict]:
    """id -> {"title", "group", "files": [names], "dir", "env", "preset"}: course programs shipped in the
    package, then the kernels of asm/ when the source tree is there."""
    out: dict[str, dict] = {}
    for p in sorted(EXAMPLES_DIR.glob("*.s")):
        first = p.read_text().splitlines()[0] if p.stat().st_size else ""
        title = first.lstrip("#").strip().split(":")[0] if first.startswith("#") else p.stem
        env = "linux"
        for line in p.read_text().splitlines()[:12]:
            if "env:" in line:
                env = line.split("env:")[1].strip().split()[0]
        out[f"course/{p.stem}"] = {"title": title or p.stem, "group": "course", "files": [p.name],
                                   "dir": EXAMPLES_DIR, "env": env}
    kdir = kernel_dir()
    if kdir is not None:
        for p in sorted(kdir.glob("*.s")):
            out[f"kernels/{p.stem}"] = {"title": p.stem, "group": "kernels", "files": [p.name],
                                        "dir": kdir, "env": "linux"}
    return out


def include_library(allow_dir=None) -> Library:
    includes = {}
    kdir = kernel_dir()
    if kdir is not None:
        for p in kdir.glob("*.inc"):
            includes[p.name] = p.read_text()
    return Library(includes, Path(allow_dir).resolve() if allow_dir else None)


def example_files(example_id: str) -> list[dict]:
    ex = examples().get(example_id)
    if ex is None:
        raise WorkspaceError(f"no example {example_id!r}")
    return [{"name": n, "text": (ex["dir"] / n).read_text()} for n in ex["files"]]


def list_dir(root: Path, limit: int = 500) -> list[str]:
    """Assembly files under ``root`` (relative names), for the open dialog."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if fn.endswith((".s", ".S", ".asm", ".inc")):
                out.append(os.path.relpath(os.path.join(dirpath, fn), root).replace(os.sep, "/"))
                if len(out) >= limit:
                    return out
    return out
