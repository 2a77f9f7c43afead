"""Start-up cost: what each command imports, and the struct ELF reader that lets `rvsim run` skip
pyelftools.

The import lists are pinned, not timed (the figures come from benchmarks/).  A new import on the
`rvsim run prog.elf` path fails here; if it is meant, add it to the list and check that the start-up
figures the benchmark prints stay within their targets.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rvsim.errors import LoadError
from rvsim.loader import read_elf

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "tests" / "programs" / "bin"
SMALL_ELF = PROGRAMS / "exit_code.elf"

# Everything of rvsim that `rvsim run prog.elf` may import.
RUN_ELF_MODULES = {
    "rvsim", "rvsim.__main__", "rvsim.cli", "rvsim.runargs", "rvsim.machine", "rvsim._core",
    "rvsim._core.lib", "rvsim.errors", "rvsim.history", "rvsim.isa", "rvsim.isa.arch", "rvsim.isa.csrs", "rvsim.views", "rvsim.loader",
    "rvsim.host", "rvsim.stop",
    "rvsim.history",            # Machine's reverse-execution mixin (it imports only the core)
    "rvsim.isa.arch",           # the ISA named by the ELF's .riscv.attributes (no instruction table)
}
HEAVY = ("numpy", "elftools", "lark", "rich", "prompt_toolkit", "matplotlib", "pandas", "hypothesis",
         "tomllib", "tomli")


def _imports_of(code: str, *args: str, cwd=None) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code`` (sys.modules at the end),
    minus those it imports before running anything."""
    probe = ("import sys\n"
             "before = set(sys.modules)\n"
             f"{code}\n"
             "sys.stdout.flush()\n"
             "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(set(sys.modules) - before)) + '\\n')\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                          env=env, cwd=cwd or ROOT, timeout=120)
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES ")]
    assert line, f"the probe failed:\n{proc.stderr}"
    return set(line[-1].split()[1:])


def _run_cli(*argv: str) -> str:
    # as `python -m rvsim run ...` does, but the probe must outlive main() to read sys.modules
    return ("import rvsim.cli\n"
            f"status = rvsim.cli.main({list(argv)!r})\n")


def _third_party(modules: set[str]) -> set[str]:
    stdlib = sys.stdlib_module_names
    return {m for m in modules
            if m.split(".")[0] not in stdlib and not m.startswith("rvsim") and m != "_cffi_backend"}


def test_run_elf_imports_only_what_it_needs():
    modules = _imports_of(_run_cli("run", str(SMALL_ELF)))
    ours = {m for m in modules if m.split(".")[0] == "rvsim"}
    assert ours <= RUN_ELF_MODULES, f"new rvsim modules on the `rvsim run prog.elf` path: {ours - RUN_ELF_MODULES}"
    assert {"rvsim.machine", "rvsim.loader", "rvsim.host"} <= ours
    assert not _third_party(modules), f"third-party modules imported: {sorted(_third_party(modules))}"
    for heavy in HEAVY:
        assert heavy not in modules


def test_run_assembly_imports_the_assembler_but_not_numpy(tmp_path):
    src = tmp_path / "exit.s"
    src.write_text(".globl _start\n_start:\n  li a0, 0\n  li a7, 93\n  ecall\n")
    modules = _imports_of(_run_cli("run", str(src)))
    assert "rvsim.asm" in modules
    # plain lines take the parser's fast path: lark is not even imported
    for heavy in ("lark", "rvsim.asm.lalr", "numpy", "elftools", "rich", "rvsim.disasm"):
        assert heavy not in modules, f"{heavy} imported by `rvsim run prog.s`"


def test_lines_the_fast_path_cannot_take_load_the_grammar(tmp_path):
    src = tmp_path / "hello.s"
    src.write_text('.globl _start\n_start:\n  li a0, 1\n  la a1, msg\n  li a2, 3\n  li a7, 64\n  ecall\n'
                   '  li a0, 0\n  li a7, 93\n  ecall\nmsg: .ascii "hi\\n"\n')
    modules = _imports_of(_run_cli("run", str(src)))
    assert {"lark", "rvsim.asm.lalr"} <= modules
    assert "numpy" not in modules


def test_import_machine_is_light():
    modules = _imports_of("import rvsim.machine")
    assert not _third_party(modules)
    assert "rvsim.isa.table" not in modules            # the instruction table is built on demand


def test_views_still_import_numpy_on_demand():
    modules = _imports_of("from rvsim.machine import Machine\n"
                          "m = Machine('rv64gc')\n"
                          "m.x[5] = 7\n"
                          "import numpy\n"
                          "assert int(m.x[5]) == 7 and isinstance(m.x, numpy.ndarray)\n")
    assert "numpy" in modules


def test_views_follow_the_core_after_loading():
    from rvsim.machine import Machine
    m = Machine("rv64gc")
    before = m.x
    m.load_elf(SMALL_ELF)                  # re-creates the core: the views must be made again
    assert m.x is not before
    assert int(m.x[2]) == int(m._hart.x[2]) != 0     # sp of the initial stack
    assert m.memory.size == m.memory_size


# ------------------------------------------------------------------ the struct ELF reader


def _elftools_view(path):
    """What read_elf should find, read with pyelftools (an independent reader)."""
    from elftools.elf.constants import P_FLAGS
    from elftools.elf.elffile import ELFFile
    with open(path, "rb") as fh:
        elf = ELFFile(fh)
        segments = []
        for seg in elf.iter_segments():
            if seg["p_type"] != "PT_LOAD" or seg["p_memsz"] == 0:
                continue
            f = seg["p_flags"]
            perms = ("r" if f & P_FLAGS.PF_R else "") + ("w" if f & P_FLAGS.PF_W else "") + \
                ("x" if f & P_FLAGS.PF_X else "")
            segments.append((seg["p_vaddr"], seg["p_memsz"], seg.data(), perms, seg["p_paddr"]))
        symbols = {}
        symtab = elf.get_section_by_name(".symtab")
        for sym in (symtab.iter_symbols() if symtab is not None else ()):
            if (sym.name and not sym.name.startswith("$") and sym["st_shndx"] != "SHN_UNDEF"
                    and sym["st_info"]["type"] != "STT_FILE"):
                symbols.setdefault(sym.name, sym["st_value"])
        return elf["e_entry"], segments, symbols, (elf["e_phnum"], elf["e_phentsize"])


ELFS = sorted(PROGRAMS.glob("*.elf")) + sorted((ROOT / "benchmarks" / "programs" / "bin").glob("*.elf"))


@pytest.mark.parametrize("path", ELFS, ids=lambda p: p.name)
def test_struct_reader_agrees_with_pyelftools(path):
    prog = read_elf(path)
    entry, segments, symbols, (phnum, phentsize) = _elftools_view(path)
    assert prog.entry == entry
    assert [(s.vaddr, s.memsz, s.data, s.perms, s.paddr) for s in prog.segments] == segments
    assert prog.symbols == symbols
    assert (prog.phnum, prog.phentsize) == (phnum, phentsize)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 8191), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(0, 9000))
def test_corrupt_elf_is_a_load_error_never_a_crash(edits, cut):
    raw = bytearray(SMALL_ELF.read_bytes())
    for offset, value in edits:           # mostly in the headers, where the reader looks
        raw[offset % len(raw)] = value
    raw = bytes(raw[:max(cut, 4)])
    try:
        prog = read_elf(raw, name="corrupt.elf")
    except LoadError as exc:
        assert "corrupt.elf" in str(exc)
    else:
        assert prog.segments


# ------------------------------------------------------------------ the grammar cache

def _assemble_in_fresh_process(cache_home, src: str) -> str:
    code = ("from rvsim.asm import assemble\n"
            "from rvsim.asm.parser import parse_lark\n"
            f"print(parse_lark([{src!r}]), len(assemble({src!r}).to_elf()))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               XDG_CACHE_HOME=str(cache_home))
    env.pop("RVSIM_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120, cwd=ROOT)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    return proc.stdout


def test_grammar_cache_is_written_then_used_and_survives_damage(tmp_path):
    src = 'msg: .ascii "a;b", "c" ; .byte 1 + 2 * 3'
    fresh = _assemble_in_fresh_process(tmp_path, src)
    cached = tmp_path / "rvsim" / "asm-statements.lark-cache"
    assert cached.is_file()
    assert _assemble_in_fresh_process(tmp_path, src) == fresh           # loaded from the cache
    cached.write_bytes(cached.read_bytes()[:len(cached.read_bytes()) // 2])   # a torn write
    assert _assemble_in_fresh_process(tmp_path, src) == fresh
    cached.write_bytes(b"garbage\n" * 10)
    assert _assemble_in_fresh_process(tmp_path, src) == fresh


def test_no_writable_cache_directory_is_no_problem(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    src = 'msg: .ascii "x"'
    assert _assemble_in_fresh_process(blocker, src)
