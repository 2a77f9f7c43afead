"""rvsim's assembler and static linker (GNU as compatible RISC-V syntax).

    >>> from rvsim.asm import assemble
    >>> prog = assemble("_start: li a0, 42\\n ecall\\n")
    >>> elf = prog.to_elf()

See docs/assembler.md.  The assembler reads the ISA table (rvsim.isa) and never imports the machine.
"""
from __future__ import annotations

from .assembler import AssemblyAbort, FileAssembler
from .errors import AsmError, Diagnostic, StatementError
from .linker import Linker
from .program import Program, ProgramSection, ProgramSymbol, Relocation, check_abi
from . import vector as _vector_syntax  # noqa: F401  (registers the vector operand roles)
from . import ml as _ml_syntax  # noqa: F401  (matrix tiles, msetmtypei)

__all__ = ["assemble", "assemble_files", "AsmError", "Diagnostic", "Program", "ProgramSection",
           "ProgramSymbol", "Relocation"]


def _defsyms(defsym) -> dict[str, int]:
    out = {}
    for k, v in (defsym or {}).items():
        out[k] = int(v, 0) if isinstance(v, str) else int(v)
    return out


class _NoGC:
    """The assembler allocates many small objects and frees none of them before it returns: pausing the
    cyclic garbage collector meanwhile saves about a quarter of the time."""

    def __enter__(self):
        import gc
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        import gc
        if self.was:
            gc.enable()


def _assemble_one(run, filename, march, defsym, include_dirs=(), mabi=None) -> FileAssembler:
    try:
        fa = FileAssembler(filename, march, _defsyms(defsym), include_dirs)
        fa.mabi = check_abi(mabi, fa.exts) if mabi else None
    except ValueError as e:       # a bad -march or -mabi string
        raise AsmError([Diagnostic(filename, 0, 0, str(e), hint="e.g. -march=rv64gc or rv64imac_zba_zbb, "
                                   "-march=rv32gc -mabi=ilp32d")])
    try:
        run(fa)
        fa.finish()
    except AssemblyAbort:
        pass
    except StatementError as e:             # e.g. a source file that cannot be read
        fa.errors.append(Diagnostic(filename, 0, 0, e.message, hint=e.hint))
    except RecursionError:
        fa.errors.append(Diagnostic(filename, 0, 0, "expression or macro nesting too deep"))
    return fa


def _in_line_order(files: list[FileAssembler], errors: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics sorted by file (in the order given) and line; those without a line come after the
    ones of their file."""
    rank: dict[str, int] = {f.filename: i for i, f in enumerate(files)}
    for d in errors:                      # included files: where their first error was
        rank.setdefault(d.file, len(rank))
    return sorted(errors, key=lambda d: (rank[d.file], d.line or 1 << 30))


def _link(files: list[FileAssembler]) -> Program:
    errors = [d for f in files for d in f.errors]
    if errors:
        raise AsmError(_in_line_order(files, errors))
    linker = Linker(files)
    prog = linker.link()
    if linker.errors:
        raise AsmError(_in_line_order(files, linker.errors))
    prog.warnings = _in_line_order(files, [w for f in files for w in f.warnings])
    return prog


def assemble(source: str, filename: str = "<input>", defsym=None, march: str = "rv64gc",
             include_dirs=(), mabi: str | None = None) -> Program:
    """Assemble and link one source text.  Raises :class:`AsmError` listing every error.
    ``march`` rv64... or rv32...; ``mabi`` (lp64, lp64f, lp64d, ilp32, ilp32f, ilp32d) sets the float ABI
    of e_flags, by default GNU as's choice (double with D, else soft-float)."""
    with _NoGC():
        fa = _assemble_one(lambda a: a.run_text(source), filename, march, defsym, include_dirs, mabi)
        return _link([fa])


def assemble_files(paths, defsym=None, march: str = "rv64gc", include_dirs=(), mabi: str | None = None) -> Program:
    """Assemble several files and link them (symbols shared through ``.globl``)."""
    files = []
    with _NoGC():
        for p in paths:
            p = str(p)
            fa = _assemble_one(lambda a, p=p: a.run_file(p), p, march, defsym, include_dirs, mabi)
            files.append(fa)
        return _link(files)
