"""Check every V-extension record of rvsim's ISA table against GNU as, and write the golden file.

For each record, random operands are drawn (several sets), the assembly text is rendered from the
record's syntax, the whole lot is assembled with ``riscv64-unknown-elf-as -march=rv64gcv`` and the
words GNU as produced are compared with ``Instruction.encode``.  GNU as rejects some operand
combinations (register-group overlaps it checks); those lines are redrawn.  The objdump text of each
word is kept too.

    python tests/vector_data/gen_table_golden.py          # check and (re)write table_golden.tsv
    python tests/vector_data/gen_table_golden.py --check  # check only

Golden lines: mnemonic, operand values (JSON), assembly text, word (hex), objdump text; tab-separated.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rvsim.isa import INSTRUCTIONS  # noqa: E402
from rvsim.isa.operands import VM, VTYPEI  # noqa: E402

GOLDEN = Path(__file__).with_name("table_golden.tsv")
AS = "riscv64-unknown-elf-as"
OBJDUMP = "riscv64-unknown-elf-objdump"
SETS_PER_RECORD = 3

_LMUL = {0: "m1", 1: "m2", 2: "m4", 3: "m8", 5: "mf8", 6: "mf4", 7: "mf2"}


def vtype_text(value: int) -> str:
    """The ``e32, m4, ta, ma`` form of a legal vtype immediate."""
    sew = 8 << ((value >> 3) & 7)
    return (f"e{sew}, {_LMUL[value & 7]}, {'ta' if value >> 6 & 1 else 'tu'}, "
            f"{'ma' if value >> 7 & 1 else 'mu'}")


def render(insn, values: dict[str, int]) -> str:
    """Assembly text of ``insn`` with operand ``values`` (GNU syntax)."""
    text = insn.syntax
    for k in insn.operands:
        v = values[k.name]
        if k.role == VM:
            text = re.sub(r",\s*vm\b", ", v0.t" if v == 0 else "", text)
            continue
        if k.role == VTYPEI:
            s = vtype_text(v)
        elif k.role == "xreg":
            s = f"x{v}"
        elif k.role == "freg":
            s = f"f{v}"
        elif k.role == "vreg":
            s = f"v{v}"
        else:
            s = str(v)
        text = re.sub(rf"\b{k.name}\b", s, text)
    return f"{insn.mnemonic} {text}".strip()


def draw(insn, rng: random.Random) -> dict[str, int]:
    values = {}
    for k in insn.operands:
        if k.role == VTYPEI:
            values[k.name] = (rng.randrange(4) << 3) | rng.choice(list(_LMUL)) | (rng.randrange(4) << 6)
        elif k.role == VM:
            values[k.name] = rng.randrange(2)
        else:
            lo, hi = k.value_range()
            values[k.name] = rng.randint(lo, hi)
    return values


def assemble(lines: list[str], workdir: Path) -> tuple[dict[int, str], list[int] | None]:
    """Assemble ``lines``: ({line index: error}, words) — words is None when any line failed."""
    src = workdir / "t.s"
    obj = workdir / "t.o"
    src.write_text(".option norvc\n" + "\n".join(lines) + "\n")
    p = subprocess.run([AS, "-march=rv64gcv", "-o", str(obj), str(src)], capture_output=True, text=True)
    errors = {}
    for m in re.finditer(r"t\.s:(\d+): Error: (.*)", p.stderr):
        errors[int(m.group(1)) - 2] = m.group(2)
    if p.returncode or errors:
        if not errors:
            raise RuntimeError(p.stderr)
        return errors, None
    binfile = workdir / "t.bin"
    subprocess.run(["riscv64-unknown-elf-objcopy", "-O", "binary", "-j", ".text", str(obj), str(binfile)],
                   check=True)
    data = binfile.read_bytes()
    return {}, [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data), 4)]


def disassemble(workdir: Path) -> list[str]:
    out = subprocess.run([OBJDUMP, "-d", "-M", "no-aliases", str(workdir / "t.o")], capture_output=True,
                         text=True, check=True).stdout
    texts = []
    for line in out.splitlines():
        m = re.match(r"\s*[0-9a-f]+:\s+[0-9a-f]{8}\s+(.*)", line)
        if m:
            texts.append(re.sub(r"\s+", " ", m.group(1).strip()))
    return texts


def generate(seed: int = 2024) -> list[tuple]:
    rng = random.Random(seed)
    records = [r for r in INSTRUCTIONS if "v" in r.extensions]
    items = []          # [insn, values, text]
    for r in records:
        for _ in range(SETS_PER_RECORD):
            v = draw(r, rng)
            items.append([r, v, render(r, v)])
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        for attempt in range(200):
            errors, words = assemble([t for _, _, t in items], work)
            if words is not None:
                break
            for i in errors:
                r = items[i][0]
                items[i][1] = draw(r, rng)
                items[i][2] = render(r, items[i][1])
        else:
            raise RuntimeError(f"GNU as keeps rejecting: {[items[i][2] + ': ' + e for i, e in errors.items()]}")
        texts = disassemble(work)
    out = []
    for (r, v, t), w, dis in zip(items, words, texts):
        out.append((r.mnemonic, json.dumps(v, sort_keys=True), t, f"{w:08x}", dis))
    return out


def check(rows) -> list[str]:
    from rvsim.isa import BY_MNEMONIC, decode
    problems = []
    for mn, vals, text, word, _dis in rows:
        insn = BY_MNEMONIC[mn]
        values = json.loads(vals)
        w = int(word, 16)
        if insn.encode(values) != w:
            problems.append(f"{text}: table encodes {insn.encode(values):08x}, GNU as {w:08x}")
        got = decode(w)
        if got is None or got.mnemonic != mn:
            problems.append(f"{text}: {w:08x} decodes as {got and got.mnemonic}")
        elif got.decode_operands(w) != values:
            problems.append(f"{text}: operands decode as {got.decode_operands(w)}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare only, do not write the golden file")
    args = ap.parse_args()
    if not shutil.which(AS):
        print(f"{AS} is not installed", file=sys.stderr)
        return 2
    rows = generate()
    problems = check(rows)
    for p in problems:
        print(p)
    print(f"{len(rows)} lines, {len(problems)} problems")
    if not problems and not args.check:
        GOLDEN.write_text("".join("\t".join(r) + "\n" for r in rows))
        print(f"wrote {GOLDEN}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
