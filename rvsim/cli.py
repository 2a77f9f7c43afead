"""The ``rvsim`` command line: a thin layer over the library API.

    rvsim run PROGRAM [ARGS...]    run an ELF executable (or an assembly file)
    rvsim asm SRC... -o OUT        assemble and link
    rvsim disasm FILE              disassemble like objdump -d
    rvsim profile PROG.s --timing P   cycles per source line (rvsim.timing)
    rvsim bench                    sweep kernels x sizes x timing presets
    rvsim web [PROG.s ...]         the browser page (rvsim.web)

Exit status of ``run``: the guest's exit code; 125 when the simulation fails (unhandled trap,
instruction limit, core error), 126 when the program cannot be loaded, 130 on Ctrl-C.
"""
from __future__ import annotations

import argparse
import sys
import time

from .runargs import parse_run_args, parse_size

EXIT_SIM_FAILURE = 125
EXIT_LOAD_FAILURE = 126
EXIT_INTERRUPTED = 130


def _load(machine, program: str, args, parser):
    """Load PROGRAM (an ELF file, or assembly assembled in-process); returns the assembled
    rvsim.asm.Program for assembly (its line table lets the debugger show source lines), else None."""
    from .errors import LoadError
    if program.endswith((".s", ".S", ".asm")):
        try:
            from .asm import AsmError
        except ImportError:
            parser.exit(EXIT_LOAD_FAILURE, "rvsim: this build has no assembler\n")
        try:
            prog = machine.load_asm(program, argv=[program] + args.args, envp=_envp(args),
                                    defsym=dict(_defsyms(args.defsym)), march=args.isa)
        except AsmError as exc:
            sys.stderr.write(f"{exc}\n")
            sys.exit(1)
        except LoadError as exc:
            parser.exit(EXIT_LOAD_FAILURE, f"rvsim: {exc}\n")
        for warning in prog.warnings:
            sys.stderr.write(f"{warning}\n")
        return prog
    try:
        machine.load_elf(program, argv=[program] + args.args, envp=_envp(args))
    except LoadError as exc:
        parser.exit(EXIT_LOAD_FAILURE, f"rvsim: {exc}\n")
    return None


def _envp(args) -> list[str]:
    """The program's environment: empty (runs are reproducible) or the host's with --host-env, plus -E."""
    import os
    env = dict(os.environ) if args.host_env else {}
    for item in args.env or ():
        name, _, value = item.partition("=")
        env[name] = value
    return [f"{k}={v}" for k, v in env.items()]


def _defsyms(items):
    for item in items or ():
        name, _, value = item.partition("=")
        yield name, int(value, 0) if value else 1


def _environment(args):
    """The program's host environment: Linux system calls, semihosting for a bare-metal ELF that uses
    it, or None for one that defines tohost (the loader gives those an HTIF environment)."""
    from .host import LinuxEnvironment, SemihostEnvironment
    if not args.program.endswith((".s", ".S", ".asm")):
        from .loader import read_elf
        try:
            prog = read_elf(args.program)
        except Exception:  # unreadable or not an ELF: _load reports it
            prog = None
        if prog is not None and prog.semihosting:
            return SemihostEnvironment(allow_dir=args.allow_dir, deterministic=not args.realtime)
        if prog is not None and prog.bare_metal:
            return None
    if args.system_calls != "linux":
        from .teaching import make_environment
        return make_environment(args.system_calls, allow_dir=args.allow_dir, deterministic=not args.realtime)
    return LinuxEnvironment(allow_dir=args.allow_dir, deterministic=not args.realtime)


def _machine(args, parser):
    """The Machine of `run` and `debug`: ISA, memory, VLEN (the timing preset's by default), its host
    environment and, with --timing, the cycle model; returns (machine, timing or None)."""
    from .machine import Machine
    timing_cfg = None
    if args.timing:
        from .timing.cli import load_for_cli
        timing_cfg = load_for_cli(args, parser)        # sets args.vlen from the preset
    args.vlen = args.vlen or 256
    if args.isa is None and args.program.endswith((".s", ".S", ".asm")):
        from .isa.arch import DEFAULT_ISA, isa_of_source
        args.isa = isa_of_source(args.program) or DEFAULT_ISA
    if args.teach:
        from .teaching import teach_preset
        teach_preset(args)
    try:
        machine = Machine(args.isa, memory_size=args.memory, vlen=args.vlen,
                          trap_misaligned=args.trap_misaligned, tile_te=args.tile_te)
        timing = machine.enable_timing(timing_cfg) if timing_cfg else None
    except ValueError as exc:
        parser.exit(2, f"rvsim: {exc}\n")
    machine.env = _environment(args)
    return machine, timing


def cmd_run(args, parser) -> int:
    from .errors import SimulationError
    from .machine import StopReason

    machine, timing = _machine(args, parser)
    source = _load(machine, args.program, args, parser)
    if args.max_output is not None and machine.env is not None:
        machine.env.max_output = args.max_output
    if args.region and timing is None:
        parser.exit(2, "rvsim: --region needs --timing PRESET\n")
    if timing is not None and args.pipeview and not args.region:
        timing.record_trace(args.pipeview_limit)
    start = time.perf_counter()
    try:
        if args.region:
            from .timing.cli import run_regions_for_cli
            info, timing = run_regions_for_cli(machine, timing, source, args, parser)
        elif args.trace:
            from .trace import run_traced
            info = run_traced(machine, args.max_insns, sys.stderr)
        else:
            info = machine.run(args.max_insns)
    except KeyboardInterrupt:
        sys.stderr.write(f"\nrvsim: interrupted at pc {machine.pc:#x} after {machine.instret} "
                         "instructions\n")
        return EXIT_INTERRUPTED
    except SimulationError as exc:
        sys.stderr.write(f"rvsim: {exc}\n")
        return EXIT_SIM_FAILURE
    seconds = time.perf_counter() - start
    status = 0
    if info.reason is StopReason.EXIT:
        status = info.exit_code
    else:
        what = {
            StopReason.LIMIT: f"instruction limit ({args.max_insns}) reached",
            StopReason.TRAP: f"unhandled trap: {info.cause_name}",
            StopReason.EBREAK: "ebreak (breakpoint trap)",
            StopReason.BREAKPOINT: "breakpoint",
            StopReason.ECALL: "unserviced ecall",
            StopReason.HANG: "the program hangs in a jump to itself (nothing can interrupt it)",
        }[info.reason]
        if info.reason is StopReason.TRAP and info.cause in (1, 5, 7, 0, 4, 6):
            what += f" (address {info.tval:#x})"
        from .trace import describe_insn
        insn = describe_insn(machine, info.pc)
        if getattr(machine.env, "output_mid_line", False) and sys.stdout.isatty() and sys.stderr.isatty():
            sys.stderr.write("\n")                   # not on the line the program's output left open
        sys.stderr.write(f"rvsim: {what} at pc {info.pc:#x}" + (f": {insn}" if insn else "") + "\n")
        from .explain import explain_stop            # source line and a sentence on the likely cause
        for line in explain_stop(machine, info, source):
            sys.stderr.write(f"rvsim: {line}\n")
        status = EXIT_SIM_FAILURE
    stats = {
        "program": args.program,
        "stop": info.reason.value,
        "exit_code": info.exit_code,
        "instructions": machine.instret,
        "cycles": None,         # only the cycle model (--timing) knows cycles; set by finish_run
        "seconds": round(seconds, 6),
        "mips": round(machine.instret / seconds / 1e6, 3) if seconds > 0 else None,
        "isa": machine.isa_string,
        "vlen": args.vlen,
    }
    if timing is not None:
        from .timing.cli import finish_run
        finish_run(timing, args, stats)
    if args.signature:
        from .signature import SignatureError, write_signature
        try:
            write_signature(machine, args.signature, args.signature_granularity)
        except (SignatureError, OSError) as exc:
            sys.stderr.write(f"rvsim: --signature: {exc}\n")
            status = status or EXIT_SIM_FAILURE
    if args.stats:
        import json
        with open(args.stats, "w") as fh:
            json.dump(stats, fh, indent=2)
            fh.write("\n")
    if args.report:
        cycles = (f"{stats['cycles']} cycles, " if stats["cycles"] is not None
                  else "no cycle count without --timing, ")
        sys.stderr.write(f"rvsim: {stats['instructions']} instructions, {cycles}"
                         f"{seconds:.3f} s ({stats['mips']} MIPS)\n")
    return status


def cmd_debug(args, parser) -> int:
    from .debug.repl import run_debugger
    machine, timing = _machine(args, parser)    # with --timing, stops report cycles too
    source = _load(machine, args.program, args, parser)
    return run_debugger(machine, source, timing=timing, record=not args.no_record, batch=args.batch,
                        steps=args.debug_steps or [], quiet=args.quiet)


def cmd_asm(argv) -> int:
    try:
        from .asm.cli import main_asm
    except ImportError:
        sys.stderr.write("rvsim: this build has no assembler\n")
        return 1
    return main_asm(argv)


def cmd_disasm(argv) -> int:
    try:
        from .disasm.elf import main_disasm
    except ImportError:
        sys.stderr.write("rvsim: this build has no disassembler\n")
        return 1
    return main_disasm(argv)


class _EnvOption(argparse.Action):
    """--env linux|rars|venus picks the system calls; --env NAME=VALUE sets a variable as -E does."""

    def __call__(self, parser, namespace, value, option_string=None):
        from .teaching import ENVIRONMENTS
        if value.lower() in ENVIRONMENTS:
            namespace.system_calls = value.lower()
        elif "=" in value:
            namespace.env = (namespace.env or []) + [value]
        else:
            parser.error(f"--env {value}: choose linux, rars or venus (or NAME=VALUE, as -E, for an "
                         "environment variable)")


def build_run_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rvsim run", description="Run a RISC-V program.",
        epilog="rvsim's options may come before or after PROGRAM; arguments for the program that start "
               "with '-' go after '--' (rvsim run prog.elf --report -- -v input.txt).")
    p.add_argument("program", help="RV64 or RV32 ELF executable, or an assembly file (.s/.S)")
    p.add_argument("args", nargs="*", help="arguments passed to the program")
    p.add_argument("--isa", default=None,
                   help="ISA string (default: the program's own, from the ELF's .riscv.attributes or the "
                        "source's .attribute arch; else rv64gcv)")
    p.add_argument("--vlen", type=int, default=None,
                   help="vector register length in bits (default 256, or the timing preset's)")
    p.add_argument("--tile-te", type=int, default=None, metavar="TE",
                   help="Zvt matrix tiles are TE x TE (default min(32, VLEN/4))")
    p.add_argument("--max-insns", type=int, default=None, metavar="N",
                   help="stop after N instructions (exit status 125)")
    p.add_argument("--memory", type=parse_size, default=1 << 30, metavar="SIZE",
                   help="guest memory bound, e.g. 256M, 2G (default 1G)")
    p.add_argument("--stats", metavar="FILE.json", help="write run statistics as JSON")
    p.add_argument("--report", action="store_true", help="print instructions, cycles and MIPS")
    p.add_argument("--trace", action="store_true",
                   help="print a commit log (pc, instruction, register written) on stderr")
    p.add_argument("--signature", metavar="FILE",
                   help="when the run ends, write the memory from the program's begin_signature to its "
                        "end_signature symbol to FILE, a hex line per granule (as Spike's +signature and "
                        "Sail's --test-signature: for riscv-arch-test / RISCOF)")
    p.add_argument("--signature-granularity", type=int, default=4, metavar="BYTES", choices=(1, 2, 4, 8, 16),
                   help="bytes per line of --signature (default 4)")
    p.add_argument("--allow-dir", metavar="DIR", help="let the program open files under DIR")
    p.add_argument("--max-output", type=parse_size, default=None, metavar="BYTES",
                   help="end the run (exit status 125) once the program has written more than BYTES "
                        "(console and files together), e.g. 1M")
    p.add_argument("-E", action="append", dest="env", metavar="NAME=VALUE",
                   help="set an environment variable for the program (repeatable; the program starts "
                        "with an empty environment unless --host-env)")
    p.add_argument("--env", action=_EnvOption, dest="env", metavar="linux|rars|venus",
                   help="system calls of an .s program or Linux ELF: linux (default), rars (RARS/MARS "
                        "numbers in a7) or venus (Venus numbers in a0); --env NAME=VALUE is -E")
    p.add_argument("--teach", action="store_true",
                   help="course preset: no automatic compression (every instruction 4 bytes), "
                        "misaligned accesses trap, deterministic clock and random numbers")
    p.set_defaults(system_calls="linux")
    p.add_argument("--host-env", action="store_true",
                   help="pass rvsim's own environment to the program (then -E adds or overrides)")
    p.add_argument("--realtime", action="store_true",
                   help="clocks and getrandom use the host (default: deterministic)")
    p.add_argument("--trap-misaligned", action="store_true",
                   help="misaligned loads/stores trap instead of being performed")
    p.add_argument("--defsym", action="append", metavar="NAME=VALUE",
                   help="define a symbol when PROGRAM is an assembly file")
    p.add_argument("--timing", metavar="PRESET|FILE.toml",
                   help="run on the cycle model (presets: teach, c908, x60, ara) and report cycles")
    p.add_argument("--pipeview", metavar="FILE", help="with --timing: write a Kanata log for Konata")
    p.add_argument("--pipeview-limit", type=int, default=100_000, metavar="N",
                   help="instructions recorded by --pipeview (default 100000)")
    p.add_argument("--region", action="append", metavar="[NAME=]BEGIN:END|FUNCTION",
                   help="with --timing: model only this region (labels, addresses or FILE:LINE; a function "
                        "alone: each call of it until it returns; "
                        "repeatable, a repeated name accumulates), running at functional speed outside")
    p.add_argument("--warmup", type=int, default=0, metavar="N",
                   help="with --region: run N instructions of each region entry on the model uncounted")
    return p


USAGE = """usage: rvsim COMMAND [ARGS...]

commands:
  run PROGRAM [ARGS...]   run an RV64 or RV32 ELF executable or assembly file
  asm SRC... -o OUT       assemble and link into an ELF executable (or -O binary)
  disasm FILE             disassemble an ELF file like objdump -d
  debug PROGRAM [ARGS...] step through a program interactively (or from a command script)
  profile PROG --timing P cycles and stalls per function, source line and loop (ELF or .s)
  bench                   sweep kernels x sizes x presets x parameter grids (cache, Dask, DataFrames)
  web [PROG.s ...]        a browser page to edit, step (and back-step) and time programs

`rvsim COMMAND --help` describes each command; `rvsim --version` prints the version.
"""


def main(argv=None) -> int:
    """The ``rvsim`` console script."""
    try:
        status = _dispatch(argv)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # the reader went away (rvsim run prog | head): not an error of ours
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(argv) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0 if argv else 2
    if argv[0] in ("-V", "--version"):
        from . import __version__
        sys.stdout.write(f"rvsim {__version__}\n")
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "run":
        parser = build_run_parser()
        args = parse_run_args(parser, rest)
        return cmd_run(args, parser)
    if cmd == "profile":
        from .timing.cli import main_profile
        return main_profile(rest)
    if cmd == "bench":
        from .timing.bench import main_bench
        return main_bench(rest)
    if cmd == "debug":
        from .debug import add_debug_options
        parser = build_run_parser()
        parser.prog = "rvsim debug"
        add_debug_options(parser)
        args = parse_run_args(parser, rest)
        return cmd_debug(args, parser)
    if cmd == "web":
        from .web import main_web
        return main_web(rest)
    if cmd == "asm":
        return cmd_asm(rest)
    if cmd == "disasm":
        return cmd_disasm(rest)
    sys.stderr.write(f"rvsim: unknown command {cmd!r}\n{USAGE}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
