"""Copy the riscv-opcodes lines of the ML extensions into ml_opcodes.txt (golden data for
tests/test_ml_table.py).

    python tests/vector_data/gen_ml_opcodes.py [RISCV_OPCODES_DIR]

The directory defaults to $RVSIM_OPCODES or ../shared/reference/riscv-opcodes beside the project.  The output keeps each
source file's instruction lines under a ``# file`` header, and the arg_lut.csv rows of the fields they use.
"""
import os
import sys
from pathlib import Path

FILES = ["rv_zvfbfmin", "rv_zvfbfwma", "unratified/rv_zvdot4a", "unratified/rv_zvtbase", "unratified/rv_zvt8e",
         "unratified/rv_zvt16e", "unratified/rv_zvt64e", "unratified/rv_zvti8i32mm", "unratified/rv_zvtofp8fmm"]
OUT = Path(__file__).with_name("ml_opcodes.txt")


def main(argv) -> int:
    default = Path(__file__).resolve().parents[3] / "shared" / "reference" / "riscv-opcodes"
    root = Path(argv[1] if len(argv) > 1 else os.environ.get("RVSIM_OPCODES") or default)
    lines, fields = [], set()
    for name in FILES:
        lines.append(f"# {name}")
        for raw in (root / "extensions" / name).read_text().splitlines():
            text = raw.strip()
            if not text or text.startswith("#") or text.startswith("$"):
                continue
            lines.append(" ".join(text.split()))
            fields.update(t for t in text.split()[1:] if "=" not in t)
    lines.append("# arg_lut.csv")
    for row in (root / "arg_lut.csv").read_text().splitlines():
        if row.split(",")[0].strip().strip('"') in fields:
            lines.append(row.strip())
    src = (root / "SOURCE").read_text().strip() if (root / "SOURCE").exists() else str(root)
    OUT.write_text(f"# riscv-opcodes: {src}\n" + "\n".join(lines) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
