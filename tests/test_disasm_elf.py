"""rvsim disasm FILE against objdump -d: the whole listing, labels and address comments included."""
import io
import subprocess
from pathlib import Path

import pytest

from rvsim.disasm.elf import disassemble_elf

from .conftest import require_tool

ROOT = Path(__file__).resolve().parent
GOLDEN = ROOT / "golden" / "objdump"
ELFS = sorted((ROOT / "programs" / "bin").glob("*.elf")) + \
    sorted((ROOT.parent / "benchmarks" / "programs" / "bin").glob("*.elf"))


def ours(path: Path, aliases=True) -> str:
    out = io.StringIO()
    disassemble_elf(str(path), aliases=aliases, out=out)
    return out.getvalue()


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.name)
def test_listing_matches_committed_objdump_output(golden):
    name, _, mode = golden.name[:-4].partition(".")
    elf = ROOT / "programs" / "bin" / f"{name}.elf"
    text = ours(elf, aliases=mode != "no-aliases").replace(str(elf), "FILE")
    assert text == golden.read_text()


@pytest.mark.parametrize("elf", ELFS, ids=lambda p: p.name)
def test_listing_matches_live_objdump(elf):
    objdump = require_tool("riscv64-unknown-elf-objdump")
    expected = subprocess.run([objdump, "-d", str(elf)], capture_output=True, text=True,
                              check=True).stdout
    assert ours(elf) == expected


def test_cli_reports_bad_files(tmp_path, capsys):
    from rvsim.cli import main
    bad = tmp_path / "junk"
    bad.write_bytes(b"not an elf")
    assert main(["disasm", str(bad)]) == 1
    assert "rvsim disasm:" in capsys.readouterr().err
