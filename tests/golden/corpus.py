"""Reading the golden corpus files written by make_corpus.py (see its docstring for the format)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent
BASE_PC = 0x80000000          # every corpus line was assembled at this pc


@dataclass(frozen=True)
class CorpusLine:
    file: str
    lineno: int
    source: str
    words: tuple[str, ...]     # objdump's hex groups (4 digits: 16-bit parcel, 8: 32-bit word, 2: byte)
    objdump: tuple[str, ...]   # one text per instruction
    no_aliases: tuple[str, ...]

    @property
    def data(self) -> bytes:
        """The line's bytes, in memory order."""
        return b"".join(int(w, 16).to_bytes(len(w) // 2, "little") for w in self.words)

    @property
    def id(self) -> str:
        return f"{self.file}:{self.lineno}"


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append({"t": "\t", "\\": "\\"}[text[i + 1]])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def load(path: Path) -> list[CorpusLine]:
    lines = []
    for lineno, raw in enumerate(path.read_text().splitlines(), 1):
        if not raw or raw.startswith("#"):
            continue
        source, words, plain, raw_text = raw.split("\t")
        lines.append(CorpusLine(path.name, lineno, _unescape(source), tuple(words.split()),
                                tuple(_unescape(plain).split(" ; ")), tuple(_unescape(raw_text).split(" ; "))))
    return lines


def corpus_files() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("encodings_*.tsv"))


def load_all() -> list[CorpusLine]:
    return [line for path in corpus_files() for line in load(path)]
