"""``rvsim asm SRC... -o OUT [-O binary] [--defsym NAME=VALUE] [-march=ISA] [-I DIR]``."""
from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rvsim asm", description="Assemble and link RISC-V assembly "
                                "(GNU as syntax) into a static RV64 ELF executable or a raw binary.")
    p.add_argument("sources", nargs="+", metavar="SRC", help="assembly source files (linked together)")
    p.add_argument("-o", dest="output", required=True, metavar="OUT", help="output file")
    p.add_argument("-O", dest="format", choices=["elf", "binary"], default="elf",
                   help="output format (default: elf)")
    p.add_argument("--defsym", action="append", default=[], metavar="NAME=VALUE",
                   help="define an absolute symbol")
    p.add_argument("-march", "--march", dest="march", default="rv64gc", help="ISA string (default rv64gc)")
    p.add_argument("-I", dest="include", action="append", default=[], metavar="DIR",
                   help="directory searched by .include")
    return p


def main_asm(argv=None) -> int:
    from . import AsmError, assemble_files
    argv = list(sys.argv[1:] if argv is None else argv)
    # accept GNU's single-dash spelling -march=rv64gc
    argv = ["--march=" + a.split("=", 1)[1] if a.startswith("-march=") else a for a in argv]
    args = build_parser().parse_args(argv)
    defsym = {}
    for d in args.defsym:
        name, sep, value = d.partition("=")
        if not sep or not name:
            print(f"rvsim asm: --defsym needs NAME=VALUE, got `{d}`", file=sys.stderr)
            return 2
        try:
            defsym[name] = int(value, 0)
        except ValueError:
            print(f"rvsim asm: --defsym {name}: `{value}` is not a number", file=sys.stderr)
            return 2
    try:
        prog = assemble_files(args.sources, defsym=defsym, march=args.march, include_dirs=args.include)
    except AsmError as e:
        print(str(e), file=sys.stderr)
        return 1
    for warning in prog.warnings:
        print(str(warning), file=sys.stderr)
    data = prog.to_binary() if args.format == "binary" else prog.to_elf()
    try:
        with open(args.output, "wb") as f:
            f.write(data)
    except OSError as e:
        print(f"rvsim asm: cannot write {args.output}: {e.strerror}", file=sys.stderr)
        return 1
    if args.format == "elf":
        import os
        os.chmod(args.output, 0o755)
    return 0


if __name__ == "__main__":
    sys.exit(main_asm())
