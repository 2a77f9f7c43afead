"""Profiles of compiled code (`rvsim profile` on a GCC -O2 -g ELF: functions, DWARF lines, loops, folded
stacks) and the ISA taken from the program (.riscv.attributes, .attribute arch), with an illegal-instruction
stop that names the missing extension."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from rvsim.cli import main
from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "profile"
PICOLIBC = ["--specs=picolibc.specs", "--oslib=semihost", "--crt0=semihost", "-mabi=lp64d"]


@pytest.fixture(scope="module")
def hot_elf(tmp_path_factory):
    gcc = require_tool("riscv64-unknown-elf-gcc")
    out = tmp_path_factory.mktemp("hot") / "hot.elf"
    subprocess.run([gcc, "-O2", "-g", *PICOLIBC, "-march=rv64gc", str(HERE / "hot.c"), "-o", str(out)],
                   check=True)
    return out


def test_gcc_program_profile_names_functions_lines_and_loops(hot_elf, tmp_path, capsys):
    folded = tmp_path / "hot.folded"
    rc = main(["profile", str(hot_elf), "--timing", "x60", "--source", "--folded", str(folded)])
    out = capsys.readouterr().out
    assert rc == 0
    # functions by self cycles: the inner product is the hottest
    funcs = out[out.index("functions"):]
    first = funcs.splitlines()[2]
    assert first.split()[-1] == "dot_column", funcs[:400]
    for name in ("matmul", "checksum", "main"):
        assert name in funcs
    # DWARF lines: the multiply-add line of hot.c, with its source text
    assert "hot.c:13" in out and "s += a[i][k] * b[k][j];" in out
    # the hottest loop is dot_column's, with its FP multiply-add in the mix
    loops = out[out.index("hottest loops"):]
    assert "dot_column (hot.c:1" in loops.splitlines()[1]
    assert "fmadd.s" in loops.splitlines()[2]
    # folded stacks: every cycle is charged to a call stack
    stacks = dict(line.rsplit(" ", 1) for line in folded.read_text().splitlines())
    total = sum(int(v) for v in stacks.values())
    cycles = int(out.split(" cycles,")[0].rsplit(" ", 1)[1].replace(",", ""))
    assert total == cycles
    hot = [k for k in stacks if k.endswith(";main;matmul;dot_column")]
    assert hot and int(stacks[hot[0]]) > total // 2


def test_compiler_assembly_calling_libc_gets_a_clear_error(tmp_path, capsys):
    gcc = require_tool("riscv64-unknown-elf-gcc")
    s = tmp_path / "hot.s"
    subprocess.run([gcc, "-O2", "-S", "--specs=picolibc.specs", "-march=rv64gc", "-mabi=lp64d", str(HERE / "hot.c"),
                    "-o", str(s)],
                   check=True)
    rc = main(["profile", str(s)])
    err = capsys.readouterr().err
    assert rc == 1
    assert "undefined symbol" in err and "compile the C program to an ELF" in err


def test_assembly_profile_still_uses_rvsims_line_table(capsys):
    rc = main(["profile", str(ROOT / "asm" / "saxpy_rvv.s"), "--defsym", "N=64", "--timing", "x60"])
    out = capsys.readouterr().out
    assert rc == 0 and "saxpy_rvv.s:" in out and "hottest loops" in out


# ------------------------------------------------------------------ the ISA from the program

def test_arch_strings_of_compilers_become_isa_strings():
    from rvsim.isa.arch import isa_from_arch_string
    gcc = "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_v1p0_zicsr2p0_zifencei2p0_zmmul1p0_zve32f1p0_zvl128b1p0"
    assert isa_from_arch_string(gcc) == "rv64gcv"
    assert isa_from_arch_string(gcc.replace("_zifencei2p0", "")) == "rv64imafdcv_zicsr"
    # GCC 12 -march=rv64gcv lists every subset V implies
    gcc12 = ("rv64i2p0_m2p0_a2p0_f2p0_d2p0_c2p0_v1p0_zicsr2p0_zifencei2p0_zve32f1p0_zve32x1p0_zve64d1p0"
             "_zve64f1p0_zve64x1p0_zvl128b1p0_zvl32b1p0_zvl64b1p0")
    assert isa_from_arch_string(gcc12) == "rv64gcv"
    # without V, an embedded subset is what the program needs
    assert isa_from_arch_string("rv32i2p1_m2p0_c2p0_zicsr2p0_zve32x1p0_zvl32b1p0") == "rv32imc_zicsr_zve32x"
    assert isa_from_arch_string("rv64gcv_zvdot4a8i") == "rv64gcv_zvdot4a8i"
    assert isa_from_arch_string("rv64i2p1_m2p0_zvfh1p0") == "rv64im_zvfh"
    # RV32 strings are recognised
    assert isa_from_arch_string("rv32i2p1_m2p0_a2p1_c2p0_zmmul1p0") == "rv32imac"
    assert isa_from_arch_string("rv128i") is None


def test_missing_extension_names_the_extension_and_the_option():
    from rvsim.asm import assemble
    from rvsim.isa.arch import missing_extension
    prog = assemble(".globl _start\n_start: vdot4a.vx v8, v16, a0\n", march="rv64gcv_zvdot4a8i")
    word = int.from_bytes(prog.section(".text").data[:4], "little")
    assert missing_extension(word, "rv64gcv") == \
        "vdot4a.vx is Zvdot4a8i, which this machine does not have: --isa rv64gcv_zvdot4a8i"
    assert missing_extension(word, "rv64gcv_zvdot4a8i") is None
    add = int.from_bytes(assemble("add a0, a0, a1\n").section(".text").data[:4], "little")
    assert missing_extension(add, "rv64gc") is None


def _vdot_elf(tmp_path):
    elf = tmp_path / "vdot.elf"
    rc = main(["asm", str(ROOT / "asm" / "matmul_int8_vdot4a.s"), "--defsym", "N=8",
               "-march=rv64gcv_zvdot4a8i", "-o", str(elf)])
    assert rc == 0
    return elf


def test_run_takes_the_isa_from_the_elf(tmp_path, capsys):
    from rvsim.machine import Machine
    elf = _vdot_elf(tmp_path)
    assert main(["run", str(elf)]) == 0
    m = Machine()
    m.load_elf(str(elf))
    assert m.isa_string == "rv64gcv_zvdot4a8i"
    assert Machine("rv64gc").isa_string == "rv64gc"      # an explicit ISA is kept
    capsys.readouterr()
    assert main(["run", "--isa", "rv64gcv", str(elf)]) == 125
    err = capsys.readouterr().err
    assert "illegal instruction" in err
    hint = "vdot4a.vx is Zvdot4a8i, which this machine does not have: --isa rv64gcv_zvdot4a8i"
    assert hint in err
    # bench and profile say the same
    from rvsim.timing.bench import sweep
    [p] = sweep([str(elf)], presets=["x60"], isa="rv64gcv", use_cache=False, jobs=1, frame=False)
    assert not p.ok and hint in p.error
    [p] = sweep([str(elf)], presets=["x60"], use_cache=False, jobs=1, frame=False)
    assert p.ok                                    # the ELF's own ISA has it
    assert main(["profile", "--isa", "rv64gcv", str(elf)]) == 1
    assert hint in capsys.readouterr().err
    # and the debugger, at the trap
    assert main(["debug", "--isa", "rv64gcv", "--batch", "-ex", "run", str(elf)]) in (0, 1)
    out = capsys.readouterr()
    assert "Hint: " + hint in out.out + out.err


def test_assembly_attribute_arch_sets_the_isa(tmp_path, capsys):
    src = tmp_path / "f16.s"
    src.write_text('.attribute arch, "rv64gcv_zvfh"\n.globl _start\n_start:\n'
                   "  vsetivli t0, 4, e16, m1, ta, ma\n  vfadd.vv v1, v2, v3\n"
                   "  li a0, 0\n  li a7, 93\n  ecall\n")
    assert main(["run", str(src)]) == 0
    elf = tmp_path / "f16.elf"
    assert main(["asm", str(src), "-o", str(elf)]) == 0
    from rvsim.loader import elf_isa
    assert elf_isa(str(elf)) == "rv64gcv_zvfh"


def test_asm_and_run_share_one_default(tmp_path):
    from rvsim.loader import elf_isa
    src = tmp_path / "v.s"
    src.write_text(".globl _start\n_start:\n  vsetivli t0, 4, e32, m1, ta, ma\n  li a0, 0\n  li a7, 93\n"
                   "  ecall\n")
    elf = tmp_path / "v.elf"
    assert main(["asm", str(src), "-o", str(elf)]) == 0         # rv64gcv by default, as `run`
    assert elf_isa(str(elf)) == "rv64gcv"
    assert main(["run", str(elf)]) == 0


def test_clang_rvv_program_runs_without_isa(tmp_path):
    clang = require_tool("clang")
    gcc = require_tool("riscv64-unknown-elf-gcc")
    obj, elf = tmp_path / "rvv_add.o", tmp_path / "rvv_add.elf"
    r = subprocess.run([clang, "--target=riscv64-unknown-elf", "-march=rv64gcv", "-O2", "-c",
                        str(HERE / "rvv_add.c"), "-o", str(obj)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # clang compiles; GNU ld and picolibc (the riscv64-unknown-elf toolchain) link
    subprocess.run([gcc, *PICOLIBC, "-march=rv64gcv", str(obj), "-o", str(elf)], check=True)
    from rvsim.loader import elf_isa
    assert "v" in elf_isa(str(elf)).split("_")[0]
    assert main(["run", str(elf)]) == 0
    assert main(["run", "--isa", "rv64gc", str(elf)]) != 0     # and the vector code really is there


def test_every_isa_survives_the_attribute_round_trip():
    """What the assembler writes into .riscv.attributes (rvsim.asm.program.arch_attribute, versioned like
    GCC's) reads back as the same extensions, for any set of the ISA table's extensions."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from rvsim.asm.program import arch_attribute
    from rvsim.isa import EXTENSIONS, expand_extensions, parse_isa_string
    from rvsim.isa.arch import isa_from_arch_string
    choices = [e for e in EXTENSIONS if e not in ("i", "priv")]

    @settings(max_examples=200, deadline=None)
    @given(st.sets(st.sampled_from(choices)))
    def check(names):
        exts = expand_extensions({"i", *names})
        back = isa_from_arch_string(arch_attribute(exts))
        assert back is not None and parse_isa_string(back) == exts
    check()


def test_gnu_assembled_program_gets_lines_from_its_dwarf_table(tmp_path, capsys):
    gcc = require_tool("riscv64-unknown-elf-gcc")
    src = tmp_path / "loop.s"
    src.write_text(".globl _start\n_start:\n  li t0, 300\n  li t1, 0\n"
                   "1:\n  mul t2, t0, t0\n  add t1, t1, t2\n  addi t0, t0, -1\n  bnez t0, 1b\n"
                   "  li a0, 0\n  li a7, 93\n  ecall\n")
    elf = tmp_path / "loop.elf"
    subprocess.run([gcc, "-nostdlib", "-static", "-g", "-march=rv64gc", "-mabi=lp64d", str(src), "-o", str(elf)],
                   check=True)
    assert main(["profile", str(elf), "--timing", "x60"]) == 0
    out = capsys.readouterr().out
    assert "loop.s:6" in out and "mul t2, t0, t0" in out          # DWARF line of the as -g program
    loops = out[out.index("hottest loops"):].splitlines()
    assert "300 iterations" in loops[1] and "mul 25%" in loops[2]


def test_the_elf_attribute_is_a_lower_bound(tmp_path):
    """As the official riscv-tests build rv64uc: -march=rv64g, with C switched on by `.option rvc` inside
    the file, which GNU as does not record in .riscv.attributes.  The machine adds the attribute's
    extensions to the default ISA, so the program runs; --isa stays exact."""
    from rvsim.asm import assemble
    from rvsim.isa.arch import program_isa
    from rvsim.machine import Machine, StopReason
    assert program_isa("rv64g") == "rv64gcv"
    assert program_isa("rv64imac_zba") == "rv64gcv_zba"
    assert program_isa("rv64gcv_zvdot4a8i") == "rv64gcv_zvdot4a8i"
    src = (".globl _start\n_start:\n  li a0, 41\n  .option push\n  .option rvc\n  c.addi a0, 1\n"
           "  .option pop\n  addi a0, a0, -42\n  li a7, 93\n  ecall\n")
    elf = tmp_path / "rvc.elf"
    elf.write_bytes(assemble(src, march="rv64g").to_elf())
    m = Machine()
    m.load_elf(str(elf))
    assert m.isa_string == "rv64gcv"
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0
    m = Machine("rv64g")
    m.load_elf(str(elf))
    assert m.run().reason is StopReason.TRAP          # c.addi is illegal without C
