"""docs/tutorial.md is executed: every ```console block's `$ rvsim ...` command runs (in docs/tutorial/),
`(rvsim) CMD` lines are typed into the debugger session they follow, and the output under each command
must be exactly what the tutorial shows.

`python tests/test_tutorial.py` rewrites the outputs in the tutorial from a fresh run (then read the
diff before committing it: the text around the blocks must still be true)."""
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial.md"
WORKDIR = ROOT / "docs" / "tutorial"
MARK = "@@@rvsim-tutorial@@@"


def console_blocks(text: str):
    """(start line index, end line index, lines) of each ```console block."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            j = i + 1
            while lines[j].strip() != "```":
                j += 1
            yield i + 1, j, lines[i + 1:j]
            i = j
        i += 1


def parse(block: list[str]):
    """[(shell command, [debugger commands])] of a block."""
    runs = []
    for line in block:
        if line.startswith("$ "):
            runs.append((line[2:], []))
        elif line.startswith("(rvsim) "):
            runs[-1][1].append(line[len("(rvsim) "):])
    return runs


def execute(shell: str, commands: list[str]) -> list[tuple[str | None, str]]:
    """Run one shell command (an rvsim command line), typing the debugger commands; returns
    [(None, output before the first command)] + [(command, its output)]."""
    argv = shlex.split(shell)
    assert argv[0] == "rvsim", shell
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="100")
    stdin = "".join(f"echo {MARK}\\n\n{cmd}\n" for cmd in commands)
    proc = subprocess.run([sys.executable, "-m", "rvsim", *argv[1:]], cwd=WORKDIR, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    parts = out.split(MARK + "\n")
    result = [(None, parts[0])]
    for k, cmd in enumerate(commands):
        result.append((cmd, parts[k + 1] if k + 1 < len(parts) else ""))
    return result


def render(runs) -> list[str]:
    lines = []
    for shell, commands in runs:
        lines.append(f"$ {shell}")
        for cmd, output in execute(shell, commands):
            if cmd is not None:
                lines.append(f"(rvsim) {cmd}")
            lines += [ln.rstrip() for ln in output.splitlines()]
    return lines


BLOCKS = list(console_blocks(TUTORIAL.read_text()))


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_tutorial_block(index):
    _, _, block = BLOCKS[index]
    expected = [ln.rstrip() for ln in block]
    assert render(parse(block)) == expected


def test_tutorial_covers_the_debugger():
    text = TUTORIAL.read_text()
    for cmd in ("next", "step", "stepi", "info registers", "print", "p ", "x/", "break", "tbreak",
                "continue", "backtrace", "finish", "watch", "display", "undisplay", "reverse-step",
                "reverse-stepi", "reverse-finish", "reverse-continue", "--timing", "--batch", "-x",
                "-ex", "help"):
        assert f"(rvsim) {cmd}" in text or f" {cmd}" in text, cmd


def regenerate() -> None:
    lines = TUTORIAL.read_text().splitlines()
    for start, end, block in reversed(list(console_blocks("\n".join(lines)))):
        lines[start:end] = render(parse(block))
    TUTORIAL.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    regenerate()


def test_the_programs_shown_are_the_programs_run():
    """Each ```asm block that names its file (`# sum.s: ...`) is that file of docs/tutorial/, byte for
    byte, so the listing a student reads is the program the console blocks ran."""
    text = TUTORIAL.read_text()
    shown = re.findall(r"```asm\n(# (\S+\.s)\b.*?\n.*?)```", text, flags=re.S)
    assert len(shown) >= 3
    for body, name in shown:
        assert (TUTORIAL.parent / "tutorial" / name).read_text() == body, name
