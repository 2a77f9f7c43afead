"""Generated test programs: a tree of self-contained items plus the initial state they start from.

A :class:`TestProgram` is what :func:`rvsim.testing.strategies.programs` draws.  Its body is a tuple of
items, each valid on its own, so deleting items (hypothesis' shrinking, or the bisection in
:mod:`rvsim.testing.compare`) always leaves a valid program:

* :class:`Op` — the instruction under test with the setup it needs (an address for a load, a rounding
  mode restored after a CSR write) and any constant data it reads;
* :class:`Skip` — a forward branch or jump over a few items (taken or not, it never leaves them);
* :class:`Loop` — a counted loop (``trips`` iterations on a counter register the body never writes);
* :class:`VectorBlock` — a vtype/vl setting and the vector instructions generated for it.

Setup text may use placeholders filled in when the program is written out: ``{scratch}`` (the scratch
buffer), ``{end}`` (the end of the enclosing Skip), ``{data}`` (the item's constant data).
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from dataclasses import dataclass, field, replace

from ..isa import RV32, parse_isa_string
from .insn import LMUL_NAMES, XREG_NAMES, Insn

@dataclass(frozen=True)
class Op:
    insn: Insn
    setup: tuple = ()          # lines (Insn or text) before the instruction
    teardown: tuple = ()       # lines after it
    data: bytes = b""          # constant data, at label {data} (8-byte aligned)

    @property
    def lines(self) -> tuple:
        return self.setup + (self.insn,) + self.teardown


@dataclass(frozen=True)
class Skip:
    jump: Op                   # its instruction's PC-relative target (or its setup) names {end}
    body: tuple = ()
    trace: int | None = None   # x register recording the outcome: shifted left before the jump, +1 if not taken


@dataclass(frozen=True)
class Loop:
    counter: int               # x register counting down from trips
    trips: int
    body: tuple = ()


@dataclass(frozen=True)
class VectorBlock:
    sew: int
    lmul: int                  # log2 of LMUL, -3..3
    avl: int                   # requested vector length (vl = min(avl, VLMAX), avl <= VLMAX or >= 2*VLMAX)
    tail_agnostic: bool
    mask_agnostic: bool
    avl_register: int          # x register used to pass avl when it does not fit vsetivli
    body: tuple = ()

    @property
    def vtype(self) -> int:
        return vtype_value(self.sew, self.lmul, self.tail_agnostic, self.mask_agnostic)

    @property
    def vtype_text(self) -> str:
        return (f"e{self.sew}, {LMUL_NAMES[self.lmul & 7]}, {'ta' if self.tail_agnostic else 'tu'}, "
                f"{'ma' if self.mask_agnostic else 'mu'}")

    def vlmax(self, vlen: int) -> int:
        return (vlen << self.lmul >> 3) // self.sew if self.lmul >= 0 else (vlen >> -self.lmul) // self.sew


def vtype_value(sew: int, lmul: int, ta: bool, ma: bool) -> int:
    return (lmul & 7) | ((sew.bit_length() - 4) << 3) | (int(ta) << 6) | (int(ma) << 7)


@dataclass(frozen=True)
class TestProgram:
    """A generated program and its initial state.

    ``x`` holds the initial x1..x31, ``f`` f0..f31 (None: the FP registers and fcsr are neither set up
    nor compared, as for an ISA without F), ``fcsr`` the initial frm and fflags, ``v`` the 32 vector registers' initial bytes (or None without V) with ``vtype``/``vl``/``vcsr``,
    ``scratch`` the initial contents of the scratch buffer all loads and stores go to.
    """

    __test__ = False                     # not a pytest test class

    items: tuple
    x: tuple
    extensions: frozenset
    scratch: bytes
    f: tuple | None = None
    fcsr: int = 0
    v: tuple | None = None
    vtype: int = 0
    vl: int = 0
    vcsr: int = 0
    vlen: int = 128

    # ---------------------------------------------------------------------------------- queries

    @property
    def isa(self) -> str:
        """An ISA string naming the program's extensions (``rv64imafdc_zba``)."""
        return isa_string(self.extensions)

    def instructions(self) -> list[Insn]:
        """The instructions under test (setup and loop scaffolding left out), in program order."""
        out: list[Insn] = []
        for item in walk(self.items):
            if isinstance(item, Op):
                out.append(item.insn)
            elif isinstance(item, Skip):
                out.append(item.jump.insn)
        return out

    def __len__(self) -> int:
        return len(self.instructions())

    def with_items(self, items) -> "TestProgram":
        return replace(self, items=tuple(items))

    def source(self) -> str:
        """A standalone assembly listing of the body (for reading; see :mod:`rvsim.testing.harness`
        for the runnable form)."""
        text, data = render_items(self.items, "p", self.extensions)
        return "\n".join(text + (["", ".data"] + data if data else []))

    def __str__(self) -> str:
        lines = [ln.strip() for ln in render_items(self.items, "p", self.extensions)[0]]
        return "\n".join(ln for ln in lines if ln and not ln.startswith(".option")
                         and not (ln.startswith(".Lp_t") and ln.endswith(":")))

    def __repr__(self) -> str:
        body = "; ".join(str(self).splitlines())
        n = len(self)
        return f"<TestProgram {self.isa} ({n} instruction{'' if n == 1 else 's'} under test): {body}>"

    def _repr_pretty_(self, p, cycle) -> None:        # hypothesis prints falsifying examples with this
        p.text(repr(self))


def walk(items):
    """Every item of a body, depth first (a Skip's jump Op is not yielded separately)."""
    for item in items:
        yield item
        if isinstance(item, (Skip, Loop, VectorBlock)):
            yield from walk(item.body)


def isa_string(exts) -> str:
    singles = "".join(c for c in "imafdcv" if c in exts)
    if {"i", "m", "a", "f", "d", "zicsr", "zifencei"} <= set(exts):
        singles = "g" + "".join(c for c in singles if c not in "imafd")
    multi = sorted(e for e in exts if len(e) > 1 and e not in ("priv", "zicsr", "zifencei", RV32))
    if "g" not in singles:
        multi = sorted(set(multi) | ({"zicsr"} & set(exts)) | ({"zifencei"} & set(exts)))
    s = ("rv32" if RV32 in exts else "rv64") + singles + "".join("_" + e for e in multi)
    parse_isa_string(s)     # validate
    return s


# ------------------------------------------------------------------------------------------- render

@dataclass
class _Writer:
    prefix: str
    compressed: bool              # the ISA has C: track .option rvc/norvc
    text: list = field(default_factory=list)
    data: list = field(default_factory=list)
    counter: itertools.count = field(default_factory=itertools.count)
    rvc: bool | None = None
    origins: list = field(default_factory=list)     # (label, Insn) of each instruction under test

    def emit(self, line, labels: dict, under_test: bool = False) -> None:
        if isinstance(line, Insn):
            want = line.length == 2
            text = asm_line(line)
            if line.target is not None:
                text = text.replace(line.target, line.target.format(**labels))
        else:
            want = False
            text = line.format(**labels)
        if self.compressed and want != self.rvc:
            self.text.append("    .option rvc" if want else "    .option norvc")
            self.rvc = want
        if under_test:
            label = f".L{self.prefix}_t{len(self.origins)}"
            self.origins.append((label, line))
            self.text.append(f"{label}:")
        self.text.append("    " + text)

    def label(self, name: str) -> str:
        return f".L{self.prefix}_{name}{next(self.counter)}"


def render_items(items, prefix: str, extensions, scratch_label: str | None = None,
                 writer: _Writer | None = None) -> tuple[list[str], list[str]]:
    """Assembly lines (text, data) of a body; labels are made unique with ``prefix``."""
    w = writer or _Writer(prefix, "c" in extensions)
    scratch = scratch_label or f"{prefix}_scratch"
    _render(items, w, {"scratch": scratch})
    return w.text, w.data


def _render(items, w: _Writer, labels: dict) -> None:
    for item in items:
        if isinstance(item, Op):
            _render_op(item, w, labels)
        elif isinstance(item, Skip):
            end = w.label("skip")
            inner = dict(labels, end=end)
            if item.trace is not None:
                w.emit(f"slli {XREG_NAMES[item.trace]}, {XREG_NAMES[item.trace]}, 1", labels)
            _render_op(item.jump, w, inner)
            if item.trace is not None:
                w.emit(f"addi {XREG_NAMES[item.trace]}, {XREG_NAMES[item.trace]}, 1", labels)
            _render(item.body, w, labels)
            w.text.append(f"{end}:")
        elif isinstance(item, Loop):
            head = w.label("loop")
            reg = XREG_NAMES[item.counter]
            w.emit(f"li {reg}, {item.trips}", labels)
            w.text.append(f"{head}:")
            _render(item.body, w, labels)
            w.emit(f"addi {reg}, {reg}, -1", labels)
            w.emit(f"bne {reg}, zero, {head}", labels)
        elif isinstance(item, VectorBlock):
            if item.avl <= 31:
                w.emit(Insn.make("vsetivli", rd=0, zimm5=item.avl, vtypei10=item.vtype), labels)
            else:
                reg = XREG_NAMES[item.avl_register]
                w.emit(f"li {reg}, {item.avl}", labels)
                w.emit(Insn.make("vsetvli", rd=0, rs1=item.avl_register, vtypei11=item.vtype), labels)
            _render(item.body, w, labels)
        else:
            raise TypeError(f"not a program item: {item!r}")


@lru_cache(maxsize=None)
def assembler_knows(mnemonic: str) -> bool:
    """Whether rvsim's assembler can parse this record's operands (the V operand syntax is added
    to it separately; until then such instructions are written as ``.4byte`` words)."""
    from ..asm.encoder import encoder_for
    try:
        return encoder_for(mnemonic) is not None
    except KeyError:
        return False


def asm_line(insn: Insn) -> str:
    """The line that assembles to ``insn``: its text, or its word with the text as a comment."""
    if assembler_knows(insn.mnemonic):
        return insn.text
    return f".{insn.length}byte {insn.word:#0{2 + 2 * insn.length}x}  # {insn.text}"


def _render_op(op: Op, w: _Writer, labels: dict) -> None:
    if op.data:
        name = w.label("data")
        labels = dict(labels, data=name)
        w.data.append("    .balign 8")
        w.data.append(f"{name}:")
        for i in range(0, len(op.data), 16):
            w.data.append("    .byte " + ", ".join(str(b) for b in op.data[i:i + 16]))
    for line in op.setup:
        w.emit(line, labels)
    w.emit(op.insn, labels, under_test=True)
    for line in op.teardown:
        w.emit(line, labels)
