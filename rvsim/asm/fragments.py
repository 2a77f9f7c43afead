"""The pieces an assembled file is made of: source lines, fragments of section contents, sections,
symbols, and the variable parts (alignments, branches) and fixups that layout resolves.

Shared by the assembler driver (assembler.py), the directives and the linker.
"""
from __future__ import annotations


class Src:
    """A source line: where it is, its comment-free text and the original text (for messages)."""

    __slots__ = ("file", "line", "text", "orig")

    def __init__(self, file, line, text, orig):
        self.file = file
        self.line = line
        self.text = text
        self.orig = orig


class Frag:
    __slots__ = ("data", "var", "addr", "var_size", "var_bytes")

    def __init__(self):
        self.data = bytearray()
        self.var = None          # Align or Branch ending this fragment
        self.addr = 0            # offset in the section, set by layout
        self.var_size = 0
        self.var_bytes = b""


class Section:
    def __init__(self, name: str, flags: str, nobits: bool, owner):
        self.name = name
        self.flags = flags        # subset of "awx"
        self.nobits = nobits
        self.align = 1
        self.frags = [Frag()]
        self.owner = owner        # the FileAssembler
        self.size = 0
        self.address = 0          # set by the linker
        self.has_var = False
        self.entsize = 0

    def __repr__(self):
        return f"<Section {self.name} of {self.owner.filename}>"


class Symbol:
    __slots__ = ("name", "value", "binding", "type", "size", "defined_at", "kind", "section", "file",
                 "common")

    def __init__(self, name, file):
        self.name = name
        self.value = None         # ('loc', section, frag, off) | int | Rel (equ) | None
        self.binding = "local"
        self.type = None
        self.size = None
        self.defined_at = None    # (Src, Stmt) of the definition
        self.kind = None          # 'label' | 'equ' | None (undefined)
        self.section = None
        self.file = file
        self.common = None        # (size, align) for .comm


class Align:
    __slots__ = ("boundary", "fill", "max_skip", "code")

    def __init__(self, boundary, fill, max_skip, code):
        self.boundary = boundary
        self.fill = fill
        self.max_skip = max_skip
        self.code = code          # fill with nops (c.nop when the gap is 2 mod 4)


class Branch:
    """A branch or jump whose length depends on the distance to its target."""

    __slots__ = ("enc", "values", "target", "kind", "can_compress", "src", "stmt", "exts", "size",
                 "operand")

    def __init__(self, enc, values, target, kind, can_compress, src, stmt, exts, operand):
        self.enc = enc
        self.values = values
        self.target = target      # Rel or int
        self.kind = kind          # 'b' (conditional: 2/4/8 bytes) or 'j' (2/4 bytes)
        self.can_compress = can_compress
        self.src = src
        self.stmt = stmt
        self.exts = exts
        self.size = 2 if can_compress else 4
        self.operand = operand


class Fixup:
    """Bytes to patch once addresses are known."""

    __slots__ = ("section", "frag", "offset", "kind", "data", "src", "stmt", "in_var")

    def __init__(self, section, frag, offset, kind, data, src, stmt, in_var=False):
        self.section = section
        self.frag = frag
        self.offset = offset
        self.kind = kind          # 'insn' | 'data'
        self.data = data
        self.src = src
        self.stmt = stmt
        self.in_var = in_var      # offset is inside the fragment's variable part
