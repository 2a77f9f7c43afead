"""Source text handling: comment removal and splitting into lines.

Comments are replaced by spaces (newlines kept) before anything else looks at the text, so columns and
line numbers stay those of the original file and neither the fast line parser nor the grammar has to know
about ``#``, ``//`` or ``/* */``.
"""
from __future__ import annotations

import re

# Strings and character literals are matched too, so that a '#' inside them is not taken for a comment.
_COMMENT_OR_LITERAL = re.compile(
    r'"(?:\\.|[^"\\\n])*"'           # string
    r"|'(?:\\.|[^\\\n])'?"           # character literal ('a or 'a')
    r"|/\*.*?\*/"                     # block comment (may span lines)
    r"|/\*.*"                         # unterminated block comment: to the end of the file
    r"|(?://|#)[^\n]*",               # line comments
    re.S)


def _blank(m: re.Match) -> str:
    s = m.group(0)
    c = s[0]
    if c == '"' or c == "'":
        return s
    if s.startswith("/*"):
        return re.sub(r"[^\n]", " ", s)
    return " " * len(s)


def strip_comments(text: str) -> str:
    """``text`` with every comment replaced by blanks (same length, same line breaks)."""
    if "#" not in text and "/" not in text:
        return text
    return _COMMENT_OR_LITERAL.sub(_blank, text)


# Line-number directives of compiler output (gcc -g): `.file 1 "dir" "name" md5 0x...`, `.loc 1 25 3
# is_stmt 0 view .LVU3`.  rvsim writes no DWARF line table, so they are ignored; their operands are not
# expressions (words side by side), so they are blanked before parsing rather than taught to the grammar.
_LINE_INFO_DIRECTIVE = re.compile(
    r"^((?:\s*[A-Za-z_.$][\w.$]*:)*\s*\.(?:loc|loc_mark_labels|file|view)(?![\w.$]))([^;\n]*)", re.M)


def _blank_operands(m: re.Match) -> str:
    return m.group(1) + " " * len(m.group(2))


def split_lines(text: str) -> list[str]:
    """Comment-free lines of ``text`` (without their line breaks)."""
    text = strip_comments(text.replace("\r\n", "\n"))
    if ".loc" in text or ".file" in text or ".view" in text:
        text = _LINE_INFO_DIRECTIVE.sub(_blank_operands, text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
