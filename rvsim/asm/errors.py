"""Diagnostics: every user error names file:line:col, shows the source line with a caret and gives a hint."""
from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass
class Diagnostic:
    """One error (or warning) at a place in the source."""

    file: str
    line: int                 # 1-based; 0 when the error has no line (a link error about a file)
    col: int                  # 1-based column of the culprit; 0 when unknown
    message: str
    source_line: str = ""
    length: int = 1           # how many columns the caret underlines
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        out = [f"{where}: {self.severity}: {self.message}"]
        if self.line and self.source_line:
            text = self.source_line.expandtabs(1).rstrip("\n")
            out.append("    " + text)
            if self.col:
                out.append("    " + " " * (self.col - 1) + "^" + "~" * max(0, self.length - 1))
        if self.hint:
            out.append(f"    hint: {self.hint}")
        return "\n".join(out)


class AsmError(Exception):
    """Raised by :func:`rvsim.asm.assemble` when the source has errors; carries all of them."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.diagnostics)
        body = "\n".join(str(d) for d in self.diagnostics)
        return f"{body}\n{n} error{'s' if n != 1 else ''}" if n > 1 else body


class StatementError(Exception):
    """Raised inside the assembler for one statement; turned into a Diagnostic by the driver.

    ``operand`` is the index of the culprit operand (None: the mnemonic), so the caret can point at it.
    """

    def __init__(self, message: str, hint: str = "", operand: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.operand = operand


def closest(word: str, candidates, n: int = 1) -> list[str]:
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)


def did_you_mean(word: str, candidates) -> str:
    best = closest(word, candidates)
    return f"did you mean `{best[0]}`?" if best else ""
