"""The result cache of ``rvsim bench``: one SQLite file of measured points, keyed by a hash of what
determines the result (the program's bytes, the full resolved timing parameters, the ISA, rvsim's version
and the C core's build).  A point is written as soon as it is measured, so an interrupted sweep resumes
where it stopped and a repeated one is read back instead of simulated.

The file is ``bench.sqlite`` in ``--cache DIR``, else ``$RVSIM_CACHE_DIR``, else the user cache directory
(``$XDG_CACHE_HOME/rvsim``, default ``~/.cache/rvsim``).  Deleting it is always safe.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from functools import lru_cache
from pathlib import Path

CACHE_ENV = "RVSIM_CACHE_DIR"
CACHE_FILE = "bench.sqlite"
# Bump when the meaning of a stored result changes without rvsim's version changing.
SCHEMA = 1


def default_cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rvsim"


@lru_cache(maxsize=None)
def core_build_id() -> str:
    """A hash of the compiled C core (the cycle model lives there), so a rebuilt core never reuses
    results of the old one; '' when it cannot be read."""
    try:
        from .. import _core
        path = _core.__file__
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:16]
    except (ImportError, OSError, AttributeError):
        return ""


@lru_cache(maxsize=None)
def rvsim_version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version
        try:
            return version("rvsim")
        except PackageNotFoundError:
            pass
    except ImportError:  # pragma: no cover
        pass
    # a source checkout that is not installed: pyproject.toml's version
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        for line in pyproject.read_text().splitlines():
            if line.startswith("version"):
                return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "unknown"


def digest(value) -> str:
    """sha256 of bytes, or of a JSON-able value's canonical JSON."""
    if isinstance(value, (bytes, bytearray)):
        return hashlib.sha256(value).hexdigest()
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def point_key(elf, isa: str, config, argv=(), max_instructions=None, region=None) -> str:
    """The cache key of one point: every input that can change its result.  ``elf`` and ``config`` may
    be given as their :func:`digest` (a sweep hashes each program and each config once)."""
    ident = {
        "schema": SCHEMA,
        "program": elf if isinstance(elf, str) else digest(elf),
        "isa": isa,
        "config": config if isinstance(config, str) else digest(config),
        "argv": list(argv),
        "max_instructions": max_instructions,
        "region": region,
        "rvsim": rvsim_version(),
        "core": core_build_id(),
    }
    text = json.dumps(ident, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _file_digest(path: Path):
    st = path.stat()
    return _file_digest_at(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=1024)
def _file_digest_at(path: str, mtime_ns: int, size: int):
    import re
    data = Path(path).read_bytes()
    includes = tuple(inc.decode(errors="replace")
                     for inc in re.findall(rb'^\s*\.include\s+"([^"]+)"', data, re.M))
    return hashlib.sha256(data).digest(), includes


def source_key(path, isa: str, defsym: dict) -> str | None:
    """The key of an assembled program: the bytes of the source and of the files it includes (found
    beside it), the symbols, the ISA and rvsim's version; None when a file cannot be read."""
    h = hashlib.sha256()
    h.update(json.dumps({"isa": isa, "defsym": defsym, "rvsim": rvsim_version(), "schema": SCHEMA},
                        sort_keys=True).encode())
    todo, seen = [Path(path)], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            file_digest, includes = _file_digest(p)
        except OSError:
            if p == Path(path):
                return None
            continue
        h.update(str(p.name).encode() + b"\0" + file_digest)
        todo.extend(p.parent / inc for inc in includes)
    return h.hexdigest()


class ResultCache:
    """Measured points by key (see :func:`point_key`).  ``ResultCache(None)`` is the user cache."""

    def __init__(self, directory=None):
        self.directory = Path(directory) if directory else default_cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / CACHE_FILE
        self._db = sqlite3.connect(str(self.path), timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS points (key TEXT PRIMARY KEY, result TEXT NOT NULL, "
                         "created REAL NOT NULL)")
        # assembled programs, keyed by their sources' bytes, symbols, ISA and rvsim's version: a re-run
        # of a sweep of assembly kernels finds its points without assembling anything
        self._db.execute("CREATE TABLE IF NOT EXISTS programs (key TEXT PRIMARY KEY, elf BLOB NOT NULL, "
                         "created REAL NOT NULL)")
        self._db.commit()

    def get_many(self, keys) -> dict[str, dict]:
        keys = list(keys)
        out: dict[str, dict] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self._db.execute(f"SELECT key, result FROM points WHERE key IN "
                                    f"({','.join('?' * len(chunk))})", chunk)
            out.update((k, json.loads(v)) for k, v in rows)
        return out

    def put(self, key: str, result: dict) -> None:
        self._db.execute("INSERT OR REPLACE INTO points VALUES (?, ?, ?)",
                         (key, json.dumps(result, sort_keys=True), time.time()))
        self._db.commit()

    def get_program(self, key: str) -> bytes | None:
        row = self._db.execute("SELECT elf FROM programs WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def put_program(self, key: str, elf: bytes) -> None:
        self._db.execute("INSERT OR REPLACE INTO programs VALUES (?, ?, ?)", (key, elf, time.time()))
        self._db.commit()

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM points").fetchone()[0]

    def clear(self) -> None:
        self._db.execute("DELETE FROM points")
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
