"""Linking and output: the gcc -O2 corpus against GNU as + ld, qemu runs, ELF structure, several files,
relocations, the line table, -O binary and the CLI."""
from __future__ import annotations

import glob
import io
import os
import random
import subprocess
import sys
import tempfile

import pytest
from elftools.elf.elffile import ELFFile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "asm_corpus"))

import asmgen  # noqa: E402
from rvsim.asm import AsmError, assemble, assemble_files  # noqa: E402
from rvsim.asm.cli import main_asm  # noqa: E402

CORPUS_S = sorted(glob.glob(os.path.join(HERE, "asm_corpus", "c", "*.s")))
needs_gnu_ld = pytest.mark.skipif(asmgen.GNU_AS is None or asmgen.GNU_LD is None,
                                  reason="riscv64-unknown-elf-as/ld not installed: GNU link comparison skipped")
needs_qemu = pytest.mark.skipif(asmgen.QEMU is None, reason="qemu-riscv64 not installed: run test skipped")

HELLO = """\
    .text
    .globl _start
_start:
    la   a1, msg
    li   a0, 1
    li   a2, 13
    li   a7, 64          # write(1, msg, len)
    ecall
    li   a0, 7
    li   a7, 93          # exit(7)
    ecall
    .data
msg: .ascii "hello, rvsim\\n"
msg_end:
"""


def _alloc_sections(elf_bytes: bytes) -> dict:
    e = ELFFile(io.BytesIO(elf_bytes))
    return {s.name: (s["sh_addr"], s.data() if s["sh_type"] != "SHT_NOBITS" else s["sh_size"])
            for s in e.iter_sections() if s["sh_flags"] & 2}


def _write_exe(data: bytes) -> str:
    fd, path = tempfile.mkstemp(suffix=".elf")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o755)
    return path


def _run(path: str):
    r = subprocess.run([asmgen.QEMU, path], capture_output=True, timeout=60)
    return r.returncode, r.stdout


# ------------------------------------------------------------------------------------------------ ELF

def test_elf_structure():
    prog = assemble(HELLO, "hello.s")
    e = ELFFile(io.BytesIO(prog.to_elf()))
    assert e["e_type"] == "ET_EXEC" and e["e_machine"] == "EM_RISCV" and e.elfclass == 64
    assert e.little_endian
    assert e["e_entry"] == prog.symbol("_start") == 0x100E8
    loads = [s for s in e.iter_segments() if s["p_type"] == "PT_LOAD"]
    assert [(s["p_flags"], s["p_align"]) for s in loads] == [(5, 0x1000), (6, 0x1000)]
    for s in loads:                                   # file offset and address agree modulo the page
        assert s["p_offset"] % 0x1000 == s["p_vaddr"] % 0x1000
    text = e.get_section_by_name(".text")
    assert text["sh_flags"] & 4 and text["sh_addr"] == 0x100E8
    syms = {s.name: s for s in e.get_section_by_name(".symtab").iter_symbols()}
    assert syms["_start"]["st_info"]["bind"] == "STB_GLOBAL"
    assert syms["msg"]["st_value"] == prog.symbol("msg")


def test_to_binary_is_the_loaded_image():
    prog = assemble(HELLO)
    b = prog.to_binary()
    text = prog.section(".text")
    data = prog.section(".data")
    assert b[:len(text.data)] == text.data
    assert b[data.address - text.address:] == data.data


def test_line_table_maps_every_instruction():
    src = "_start:\n  li a0, 0x123456789\n  nop\n\n  addi a0, a0, 1 ; ret\n"
    prog = assemble(src, "t.s")
    text = prog.section(".text")
    addrs = [a for a, _, _ in prog.line_table]
    assert addrs == sorted(addrs) and addrs[0] == text.address
    assert prog.line_at(text.address) == ("t.s", 2)
    assert prog.line_at(addrs[1]) == ("t.s", 2)        # li expands to several instructions
    assert [ln for _, _, ln in prog.line_table][-3:] == [3, 5, 5]
    assert prog.address_of_line("t.s", 3) == addrs[-3]


def test_relocations_hi_lo_and_pcrel():
    src = """
    .globl _start
_start:
    lui  a0, %hi(value)
    ld   a1, %lo(value)(a0)
1:  auipc a2, %pcrel_hi(value)
    addi a2, a2, %pcrel_lo(1b)
    .data
    .zero 0x7f8
value: .dword 5, value
"""
    prog = assemble(src)
    v = prog.symbol("value")
    assert v & 0x800                                   # %lo is negative: %hi carries one more
    words = [int.from_bytes(prog.section(".text").data[i:i + 4], "little") for i in range(0, 16, 4)]
    assert (words[0] >> 12) == ((v + 0x800) >> 12) & 0xFFFFF
    lo = words[1] >> 20
    lo = lo - 4096 if lo & 0x800 else lo
    assert ((words[0] >> 12) << 12) + lo == v
    pc = prog.symbol("_start") + 8
    hi = words[2] >> 12
    lo2 = words[3] >> 20
    lo2 = lo2 - 4096 if lo2 & 0x800 else lo2
    assert pc + (hi << 12) + lo2 == v
    d = prog.section(".data").data
    assert int.from_bytes(d[0x800:0x808], "little") == v


def test_two_files_link_through_globl(tmp_path):
    a = tmp_path / "a.s"
    b = tmp_path / "b.s"
    a.write_text(".globl _start\n_start:\n  call helper\n  la a0, shared\n  j 1f\nlocal: nop\n1: ret\n")
    b.write_text(".globl helper, shared\nhelper:\n  li a0, 1\n  ret\nlocal: nop\n.data\nshared: .word 42\n")
    prog = assemble_files([a, b])
    assert prog.symbol("helper") > prog.symbol("_start")
    names = [(s.name, s.file) for s in prog.symbols if s.name == "local"]
    assert len(names) == 2                             # one local per file, no clash
    with pytest.raises(AsmError) as e:
        b.write_text(".globl helper\nhelper: ret\n.globl _start\n_start: nop\n")
        assemble_files([a, b])
    assert "defined in two files" in str(e.value) or "undefined symbol `shared`" in str(e.value)


# ------------------------------------------------------------------------------------------------ GNU

@needs_gnu_ld
@pytest.mark.parametrize("path", CORPUS_S, ids=[os.path.basename(p) for p in CORPUS_S])
def test_gcc_corpus_matches_gnu_as_and_ld(path):
    """gcc -O2 -S output: rvsim's linked sections equal GNU as (-mno-relax) + ld (--no-relax)."""
    with tempfile.TemporaryDirectory() as d:
        exe = asmgen.gnu_link([path], workdir=d)
        with open(exe, "rb") as f:
            want = _alloc_sections(f.read())
    got = _alloc_sections(assemble_files([path]).to_elf())
    assert set(got) == set(want)
    for name in want:
        assert got[name] == want[name], name


@needs_gnu_ld
@pytest.mark.parametrize("seed", [1, 2])
def test_branch_relaxation_and_calls_match_gnu(seed):
    rng = random.Random(seed)
    lines = asmgen.branch_program(rng, 1200, 150)
    for rvc in ("rvc", "norvc"):
        src = f".globl _start\n_start:\n.option {rvc}\n" + "\n".join(lines) + "\n"
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "a.s")
            with open(p, "w") as f:
                f.write(src)
            with open(asmgen.gnu_link([p], workdir=d), "rb") as f:
                want = _alloc_sections(f.read())
        assert _alloc_sections(assemble(src).to_elf()) == want


@needs_gnu_ld
def test_pseudo_instructions_with_labels_match_gnu():
    body = "\n".join(asmgen.PSEUDO_LABEL_LINES)
    src = f".globl _start\n_start:\n{body}\n.skip 3000\ntarget: nop\n.data\n.zero 5000\n"
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "a.s")
        with open(p, "w") as f:
            f.write(src)
        with open(asmgen.gnu_link([p], workdir=d), "rb") as f:
            want = _alloc_sections(f.read())
    assert _alloc_sections(assemble(src).to_elf()) == want


# ------------------------------------------------------------------------------------------------ qemu

@needs_qemu
def test_hello_runs_under_qemu():
    path = _write_exe(assemble(HELLO).to_elf())
    try:
        assert _run(path) == (7, b"hello, rvsim\n")
    finally:
        os.unlink(path)


@needs_qemu
@pytest.mark.parametrize("path", CORPUS_S, ids=[os.path.basename(p) for p in CORPUS_S])
def test_gcc_corpus_runs_like_gnu_build(path):
    exe = _write_exe(assemble_files([path]).to_elf())
    try:
        code, out = _run(exe)
    finally:
        os.unlink(exe)
    assert out
    if asmgen.GNU_LD and asmgen.GNU_AS:
        with tempfile.TemporaryDirectory() as d:
            assert _run(asmgen.gnu_link([path], workdir=d)) == (code, out)


# ------------------------------------------------------------------------------------------------ CLI

def test_cli_writes_elf_and_binary(tmp_path, capsys):
    src = tmp_path / "p.s"
    src.write_text(".globl _start\n_start: li a0, VALUE\n ecall\n")
    out = tmp_path / "p.elf"
    assert main_asm([str(src), "-o", str(out), "--defsym", "VALUE=0x55", "-march=rv64gc"]) == 0
    e = ELFFile(io.BytesIO(out.read_bytes()))
    assert e.get_section_by_name(".text").data()[:4] == bytes.fromhex("13055005")   # addi a0, zero, 0x55
    binf = tmp_path / "p.bin"
    assert main_asm([str(src), "-o", str(binf), "-O", "binary", "--defsym", "VALUE=1"]) == 0
    assert binf.read_bytes() == bytes.fromhex("0545") + bytes.fromhex("73000000")
    bad = tmp_path / "bad.s"
    bad.write_text("addx a0, a0, 1\n")
    assert main_asm([str(bad), "-o", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "bad.s:1:1: error: unknown instruction `addx`" in err


# ------------------------------------------------------------------------------------------------ PIC

PIC = """
    .option pic
    .globl _start, zeta, alpha
_start:
    la      a0, zeta              # GOT (global)
    la      a1, alpha
    la      a2, near              # GOT (local)
    .option push
    .option nopic
    la      a3, zeta              # pc-relative again inside push/pop
    .option pop
    la      a4, zeta
1:  auipc   a5, %got_pcrel_hi(alpha)
    ld      a5, %pcrel_lo(1b)(a5)
    call    helper@plt
    .file 1 "x.c"
    .loc 1 25 3 is_stmt 0 view .LVU3
helper:
    ret
    .data
zeta:   .dword 1
alpha:  .dword 2
near:   .dword 3
"""


def _insn_words(prog, n):
    t = prog.section(".text").data
    return [int.from_bytes(t[i:i + 4], "little") for i in range(0, 4 * n, 4)]


def _pcrel_target(prog, hi_at, hi_word, lo_word):
    hi = hi_word >> 12
    lo = lo_word >> 20
    lo = lo - 4096 if lo & 0x800 else lo
    return (hi_at + (hi << 12) + lo) & (2**64 - 1)


def test_la_under_option_pic_loads_from_the_got():
    prog = assemble(PIC, "pic.s", march="rv64g")
    got = prog.section(".got")
    base = prog.section(".text").address
    words = _insn_words(prog, 12)
    entries = [int.from_bytes(got.data[i:i + 8], "little") for i in range(0, len(got.data), 8)]
    # two .got.plt words, the reserved first .got word, then the local symbol, then the globals in
    # ld's hash order (alpha before zeta)
    assert entries[:3] == [2**64 - 1, 0, 0]
    assert entries[3:] == [prog.symbol("near"), prog.symbol("alpha"), prog.symbol("zeta")]
    assert prog.symbol("_GLOBAL_OFFSET_TABLE_") == got.address + 16
    for i, sym in ((0, "zeta"), (2, "alpha"), (4, "near"), (8, "zeta"), (10, "alpha")):
        assert words[i] & 0x7F == 0x17 and words[i + 1] & 0x707F == 0x3003      # auipc + ld
        slot = _pcrel_target(prog, base + 4 * i, words[i], words[i + 1])
        assert entries[(slot - got.address) // 8] == prog.symbol(sym)
    assert words[7] & 0x707F == 0x13                                            # nopic: auipc + addi
    assert _pcrel_target(prog, base + 24, words[6], words[7]) == prog.symbol("zeta")


def test_got_entries_hold_the_addresses_at_run_time():
    src = PIC.replace("helper:\n    ret", "helper:\n    ld t0, 0(a0)\n    ld t1, 0(a1)\n    ld t2, 0(a2)\n"
                      "    slli t1, t1, 4\n    slli t2, t2, 8\n    add a0, t0, t1\n    add a0, a0, t2\n"
                      "    li a7, 93\n    ecall")
    from rvsim.machine import Machine
    m = Machine("rv64gc")
    m.load_elf(assemble(src, "pic.s").to_elf())
    info = m.run(max_instructions=1000)
    assert info.exit_code == 1 + (2 << 4) + (3 << 8) & 0xFF


def test_got_reference_with_an_offset_is_an_error():
    with pytest.raises(AsmError) as e:
        assemble(".option pic\n_start: la a0, v+8\n.data\nv: .dword 0\n", "off.s")
    assert "GOT reference must name a symbol" in str(e.value)
