"""``rvsim asm SRC... -o OUT [-O binary] [--defsym NAME=VALUE] [-march=ISA] [-mabi=ABI] [-I DIR]``."""
from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rvsim asm", description="Assemble and link RISC-V assembly "
                                "(GNU as syntax) into a static RV64 or RV32 ELF executable or a raw binary.")
    p.add_argument("sources", nargs="+", metavar="SRC", help="assembly source files (linked together)")
    p.add_argument("-o", dest="output", required=True, metavar="OUT", help="output file")
    p.add_argument("-O", dest="format", choices=["elf", "binary"], default="elf",
                   help="output format (default: elf)")
    p.add_argument("--defsym", action="append", default=[], metavar="NAME=VALUE",
                   help="define an absolute symbol")
    p.add_argument("-march", "--march", dest="march", default=None,
                   help="ISA string (default: the first source's `.attribute arch`, else rv64gcv, as for "
                        "`rvsim run`)")
    p.add_argument("-mabi", "--mabi", dest="mabi", default=None,
                   help="ABI recorded in the ELF header: ilp32, ilp32f, ilp32d (RV32), lp64, lp64f, lp64d "
                        "(default: as GNU as, double-float with D, else soft-float)")
    p.add_argument("-I", dest="include", action="append", default=[], metavar="DIR",
                   help="directory searched by .include")
    return p


def main_asm(argv=None) -> int:
    from . import AsmError, assemble_files
    argv = list(sys.argv[1:] if argv is None else argv)
    # accept GNU's single-dash spelling -march=rv64gc
    argv = ["-" + a if a.startswith(("-march=", "-mabi=")) else a for a in argv]
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
    if args.march is None:
        from ..isa.arch import DEFAULT_ISA, isa_of_source
        args.march = isa_of_source(args.sources[0]) or DEFAULT_ISA
    try:
        prog = assemble_files(args.sources, defsym=defsym, march=args.march, include_dirs=args.include,
                              mabi=args.mabi)
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
