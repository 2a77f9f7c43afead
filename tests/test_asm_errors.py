"""Every user error: file:line:col, the source line, a caret under the culprit and a hint.  All errors
of a file are reported together, and bad input never escapes as a Python traceback."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from rvsim.asm import AsmError, assemble, assemble_files


def errors_of(src: str, **kw) -> list:
    with pytest.raises(AsmError) as e:
        assemble(src, "t.s", **kw)
    return e.value.diagnostics


def one(src: str, **kw):
    d = errors_of(src, **kw)
    assert len(d) == 1, [str(x) for x in d]
    return d[0]


def caret_under(d) -> str:
    """The text the caret underlines."""
    return d.source_line[d.col - 1:d.col - 1 + d.length]


def test_unknown_mnemonic_suggests_the_closest():
    d = one("  nop\n  addd a0, a1, a2\n")
    assert (d.file, d.line, d.col) == ("t.s", 2, 3)
    assert "unknown instruction `addd`" in d.message
    assert caret_under(d) == "addd"
    assert d.hint == "did you mean `add`?"
    text = str(d)
    assert text.splitlines()[0] == "t.s:2:3: error: unknown instruction `addd`"
    assert text.splitlines()[1].strip() == "addd a0, a1, a2"
    assert text.splitlines()[2].strip() == "^~~~"


def test_unknown_directive():
    d = one(".wrod 5\n")
    assert "unknown directive `.wrod`" in d.message and d.hint == "did you mean `.word`?"


def test_wrong_operand_count():
    d = one("addi a0, a1\n")
    assert "`addi` takes 3 operands, got 2" in d.message
    assert "syntax: addi rd, rs1, imm_i" in d.hint
    d = one("ret a0\n")
    assert "takes 0 operands" in d.message


def test_wrong_operand_kind():
    d = one("add a0, a1, 5\n")
    assert "operand 3 of `add` must be an integer register, not `5`" in d.message
    assert caret_under(d) == "5"
    d = one("fadd.s fa0, a1, fa2\n")
    assert "floating-point register" in d.message and caret_under(d) == "a1"
    d = one("lw a0, 4(fa0)\n")
    assert "integer register" in d.message and caret_under(d) == "4(fa0)"


def test_immediate_out_of_range_names_the_range():
    d = one("addi a0, a1, 5000\n")
    assert "immediate 5000 out of range for `addi`" in d.message
    assert d.hint == "allowed range is -2048..2047"
    assert caret_under(d) == "5000"
    d = one("slli a0, a0, 64\n")
    assert d.hint == "allowed range is 0..63"
    d = one("c.lwsp a0, 2(sp)\n")
    assert "multiple of 4" in d.message


def test_compressed_register_range():
    d = one("c.lw a0, 4(t0)\n")
    assert "x8-x15" in d.message and caret_under(d) == "4(t0)"


def test_misaligned_branch_target():
    d = one("_start: beq a0, a1, odd\n nop\nodd = . + 1\n")
    assert "misaligned branch target" in d.message and caret_under(d) == "odd"
    assert "2-byte aligned" in d.hint


def test_branch_out_of_range():
    d = one("_start: jal far\n .skip 0x100000\nfar: nop\n")
    assert "out of range" in d.message and caret_under(d) == "far"


def test_undefined_symbol():
    d = one("_start: j undefined_lable\nundefined_label: nop\n")
    assert "undefined symbol `undefined_lable`" in d.message
    assert caret_under(d) == "undefined_lable"
    assert d.hint == "did you mean `undefined_label`?"
    d = one(".data\n.word 1, missing + 4\n")
    assert (d.line, caret_under(d)) == (2, "missing + 4")
    d = one("j 1f\n")
    assert "undefined symbol `1f`" in d.message


def test_duplicate_symbol():
    d = one("dup: nop\ndup: nop\n")
    assert (d.line, d.col) == (2, 1) and caret_under(d) == "dup"
    assert "already defined (first defined at t.s:1)" in d.message


def test_duplicate_global_across_files(tmp_path):
    a, b = tmp_path / "a.s", tmp_path / "b.s"
    a.write_text(".globl f\nf: ret\n")
    b.write_text(".globl f\nf: nop\n")
    with pytest.raises(AsmError) as e:
        assemble_files([a, b])
    assert "defined in two files" in str(e.value)


def test_extension_not_enabled():
    d = one("andn a0, a1, a2\n", march="rv64gc")
    assert "needs the ZBB extension" in d.message and "+zbb" in d.hint
    d = one("mul a0, a1, a2\n", march="rv64i")
    assert "needs the M extension" in d.message
    d = one(".option norvc\nc.nop\n")
    assert "disabled by `.option norvc`" in d.message and d.hint == "write `.option rvc` before it"
    d = one("fadd.h fa0, fa1, fa2\n.option arch, +zfh\nfadd.h fa0, fa1, fa2\n")
    assert d.line == 1


def test_bad_march():
    with pytest.raises(AsmError) as e:
        assemble("nop\n", march="rv128gc")
    assert "'rv64' or 'rv32'" in str(e.value)


def test_syntax_error_points_at_the_token():
    d = one("lw a0, 3(a1, a2\n")
    assert (d.line, d.col) == (1, 12) and "unexpected `,`" in d.message and "`)`" in d.hint


def test_all_errors_of_a_file_are_reported():
    src = "addd a0, a1, a2\naddi a0, a1\naddi a0, a1, 5000\n.wrod 1\nlw a0, (a1\nnop\n"
    d = errors_of(src)
    assert [x.line for x in d] == [1, 2, 3, 4, 5]
    text = str(AsmError(d))
    assert text.endswith("5 errors")


def test_unknown_csr_and_rounding_mode():
    d = one("csrr a0, mstatuss\n")
    assert "unknown CSR `mstatuss`" in d.message and d.hint == "did you mean `mstatus`?"
    d = one("fadd.s fa0, fa1, fa2, xyz\n")
    assert "rounding mode" in d.message and "rne rtz rdn rup rmm dyn" in d.hint


def test_li_needs_a_constant():
    d = one("li a0, later\nlater: nop\n")
    assert "expected a constant" in d.message and caret_under(d) == "later"


def test_macro_and_block_errors():
    d = one(".rept 3\nnop\n")
    assert "`.rept` without `.endr`" in d.message
    d = one(".macro m a\n addi \\a, \\a, 1\n.endm\nm a0, a1\n")
    assert "too many arguments" in d.message


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdefxsp0123456789 ,.():%+-*/<>'\"\\;#\n\t_=@$lwjr")),
               max_size=80))
def test_garbage_never_raises_anything_but_asm_error(text):
    try:
        assemble(text, "fuzz.s")
    except AsmError as e:
        for d in e.diagnostics:
            assert d.file == "fuzz.s" and d.message
            str(d)


def test_invalid_octal_number_is_located():
    from rvsim.asm import AsmError, assemble
    with pytest.raises(AsmError) as e:
        assemble("li a0, 08\n.word 019\n", filename="oct.s")
    text = str(e.value)
    assert "oct.s:1:8: error: invalid number `08`" in text
    assert "oct.s:2:7: error: invalid number `019`" in text


@pytest.mark.parametrize("src", ["bnez s3,", "la a0,", "add a0, a1,", "sd a0, 8(a1),", "call ra,"])
def test_a_trailing_comma_is_a_missing_operand(src):
    """Found by fuzzing (fuzz/pytargets.py asm): `bnez s3,` raised a TypeError from the pseudo handler."""
    d = one(f"  {src}\n")
    assert "is missing" in d.message and d.line == 1


@pytest.mark.parametrize("src", [".if 1 +\n.endif", ".include \"x\" \"y\"", ".if )\n.endif", ".include ("])
def test_unparsable_directive_operands_are_asm_errors(src):
    """Found by fuzzing (fuzz/run_mutation.py asm): `.if`/`.include` operands that do not parse raised the
    parser's internal ParseError instead of an AsmError."""
    d = errors_of(src + "\n")[0]
    assert d.line == 1 and d.message


@pytest.mark.parametrize("src", [".zero 999999999999999999999999999999", ".space 1<<40, 3", ".skip 1<<29",
                                 ".fill 1<<30, 8, 1", ".balign 1<<40", ".data\n.zero 200<<20\n.zero 100<<20"])
def test_huge_space_directives_are_asm_errors_not_host_memory_errors(src):
    """Found by fuzzing (fuzz/run_mutation.py asm): `.zero 999999999999999999999999999999` tried to allocate
    the bytes on the host and raised MemoryError.  A section may not grow past 256 MiB."""
    d = errors_of(src + "\n")[0]
    assert "larger than 256 MiB" in d.message and d.line == src.count("\n") + 1
