"""Turning test programs into one runnable Linux ELF, and running it on rvsim.

A :class:`Batch` assembles any number of :class:`~rvsim.testing.program.TestProgram` objects (all with
the same extensions and VLEN) into one static RV64 Linux executable with rvsim's own assembler, so
no GNU tools are needed.  Each program becomes a *case*::

    .LcaseK:        lla t6, .LcaseK_init       # the initial state table in .data
                    jal t5, rvt_load_state     # f registers, fcsr, vector state, x2..x29
                    ld ra / t5 / t6 from the table
    .LcaseK_body:   ... the program ...
    .LcaseK_end:    ebreak

rvsim runs a case by setting pc to ``.LcaseK`` and running until the ``ebreak`` (and reads the state from
the Machine).  A reference without that kind of access runs the whole file: ``_start`` installs a
signal handler (on its own stack) for SIGTRAP, SIGILL, SIGBUS, SIGFPE and SIGSEGV and jumps to case 0;
the ``ebreak`` at the end of a case (or any trap inside it) enters the handler, which writes one
record to stdout — signal, pc and x1..x31 from the signal frame, f0..f31 and fcsr, vl, vtype, vstart,
vcsr and the vector registers, and the case's scratch buffer — and returns from the signal into the
next case.  :func:`parse_records` reads the records back; qemu-riscv64 runs the file this way.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from functools import cached_property

from ..isa import xlen_of
from .insn import Insn
from .program import TestProgram, _Writer, asm_line, isa_string, render_items
from .state import ArchState

SCRATCH_ALIGN = 64
INIT_X, INIT_FCSR, INIT_F, INIT_VL, INIT_VTYPE, INIT_VCSR, INIT_V = 0, 256, 264, 520, 528, 536, 576
RECORD_MAGIC = 0x52565349_4D544553          # "SETMISVR"
UCONTEXT_MCONTEXT = 176                     # offset of uc_mcontext in the RISC-V Linux ucontext
# ... on rv32 (ilp32): uc_flags, uc_link, a 12-byte stack_t, the 8-byte sigset_t and 120 bytes of padding
# end at 148, and uc_mcontext (16-byte aligned for the Q state) starts at 160; its pc and x1..x31 are 4 bytes
UCONTEXT_MCONTEXT_RV32 = 160
SIGNALS = {4: "SIGILL", 5: "SIGTRAP", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV"}
# rvsim trap causes as the Linux signal a user program gets
CAUSE_SIGNALS = {0: "SIGBUS", 1: "SIGSEGV", 2: "SIGILL", 3: "SIGTRAP", 4: "SIGBUS", 5: "SIGSEGV",
                 6: "SIGBUS", 7: "SIGSEGV", 12: "SIGSEGV", 13: "SIGSEGV", 15: "SIGSEGV"}
MAX_STEPS = 1_000_000                       # per case on rvsim; generated programs need far fewer


@dataclass
class Case:
    """One program's place in a batch ELF (what a reference callback receives)."""

    program: TestProgram
    index: int
    entry: int = 0          # start of the state-loading prologue
    body: int = 0           # first instruction of the program body
    end: int = 0            # the final ebreak: run until pc == end
    scratch: int = 0        # scratch buffer address
    scratch_size: int = 0
    batch: "Batch | None" = field(default=None, repr=False)

    @property
    def elf(self) -> bytes:
        """The whole batch's executable (run it from ``entry`` until ``end``)."""
        return self.batch.elf

    @property
    def isa(self) -> str:
        return self.program.isa

    @property
    def memory_regions(self) -> list[tuple[int, int]]:
        return [(self.scratch, self.scratch_size)]

    def segments(self) -> list[tuple[int, bytes, str]]:
        """The loadable segments of the ELF: (address, bytes, "rwx" permissions)."""
        out = []
        for s in self.batch.assembled.sections:
            if s.nobits or not s.size:
                continue
            out.append((s.address, bytes(s.data), "r" + ("w" if "w" in s.flags else "") +
                        ("x" if "x" in s.flags else "")))
        return out


class Batch:
    """Programs assembled into one executable (see the module docstring)."""

    def __init__(self, programs, dump: bool = True):
        programs = list(programs)
        if not programs:
            raise ValueError("a batch needs at least one program")
        first = programs[0]
        for p in programs[1:]:
            if p.extensions != first.extensions or p.vlen != first.vlen or (p.f is None) != (first.f is None):
                raise ValueError("all programs of a batch must have the same extensions, VLEN and "
                                 "(with F) all or none an initial FP state")
        self.programs = programs
        self.extensions = first.extensions
        self.vlen = first.vlen
        self.isa = isa_string(self.extensions)
        # f registers and fcsr are set up and dumped when the programs give them (TestProgram.f)
        self.has_f = "f" in self.extensions and first.f is not None
        self.has_v = "v" in self.extensions
        # RV32: the tables keep their 8-byte slots (an RV32 value in the low word, little-endian), the
        # code loads and stores words, and the signal frame is ilp32's
        self.xlen = xlen_of(self.extensions)
        self._ld, self._sd = ("lw", "sw") if self.xlen == 32 else ("ld", "sd")
        self.cases = [Case(p, i, batch=self) for i, p in enumerate(programs)]
        self.source, self.origins = self._source(dump)

    # ------------------------------------------------------------------------------------ building

    def _source(self, dump: bool) -> tuple[str, list]:
        compressed = "c" in self.extensions
        text: list[str] = [".text", ".option norvc" if compressed else "", ".globl _start"]
        data: list[str] = [".data", ".balign 64"]
        origins: list[tuple[int, str, object]] = []      # (case, label, Insn) of instructions under test
        if dump:
            text += self._start_code()
            text += ["rvt_handler:", "    lla s3, rvt_state", _blob(self._handler_code(), self.xlen)]
        text += ["rvt_load_state:", _blob(self._loader_code(), self.xlen)]
        for case in self.cases:
            p, k = case.program, case.index
            if len(p.scratch) % 8:
                raise ValueError("the scratch buffer size must be a multiple of 8 bytes")
            w = _Writer(f"c{k}", compressed)
            w.rvc = False
            # case labels are local (.L): a batch of thousands of cases keeps a small symbol table
            ld = self._ld
            w.text += [f".Lcase{k}:", f"    lla t6, .Lcase{k}_init", "    jal t5, rvt_load_state",
                       f"    {ld} ra, 8(t6)", f"    {ld} t5, 240(t6)", f"    {ld} t6, 248(t6)", f".Lcase{k}_body:"]
            render_items(p.items, f"c{k}", self.extensions, f".Lcase{k}_scratch", w)
            if compressed and w.rvc:
                w.text.append("    .option norvc")
            w.text += [f".Lcase{k}_end:", "    ebreak"]
            origins += [(k, label, insn) for label, insn in w.origins]
            text += w.text
            data += [".balign 64", f".Lcase{k}_init:"]
            data += self._init_table(p)
            data += [f".balign {SCRATCH_ALIGN}", f".Lcase{k}_scratch:", _dwords(p.scratch)]
            data += w.data
        # the handler's state block: current case, case count, case table, record buffer, then the
        # sigaltstack and sigaction arguments
        data += [".balign 64", "rvt_state:", f"    .dword 0, {len(self.cases)}, rvt_cases, rvt_record"]
        if self.xlen == 32:     # stack_t {ss_sp, ss_flags, ss_size}, sigaction {handler, flags, mask (8)}
            data += ["    .word 0, 0, 65536, 0, 0, 0", "    .word rvt_handler, 0x08000004, 0, 0, 0, 0"]
        else:
            data += ["    .dword 0, 0, 65536", "    .dword rvt_handler, 0x08000004, 0"]
        data += [".balign 8", "rvt_cases:"]
        data += [f"    .dword .Lcase{c.index}, .Lcase{c.index}_scratch, {len(c.program.scratch)}"
                 for c in self.cases]
        data += [".balign 64", f"rvt_record: .space {self.record_size(max(len(p.scratch) for p in self.programs))}"]
        return "\n".join(text + data) + "\n", origins

    def _init_table(self, p: TestProgram) -> list[str]:
        words = [0] + list(p.x) + [p.fcsr] + list(p.f if p.f is not None else [0] * 32)
        words += [p.vl, p.vtype, p.vcsr]
        out = [f"    .dword {', '.join(hex(w) for w in words)}"]
        if p.v is not None:
            out += [".balign 64", _dwords(b"".join(p.v))]
        return out

    def _vec(self, mnemonic: str, **ops) -> str:
        return "    " + asm_line(Insn.make(mnemonic, **ops))

    def _loader_code(self) -> list[str]:
        """rvt_load_state: everything but x1, x30, x31 from the table at t6; returns through t5."""
        out = []
        ld = self._ld
        if self.has_f:
            out += [f"    {ld} ra, {INIT_FCSR}(t6)", "    fscsr ra"]
            out += [f"    fld f{i}, {INIT_F + 8 * i}(t6)" for i in range(32)]
        if self.has_v:
            vlenb = self.vlen // 8
            out.append(self._vec("vsetivli", rd=0, zimm5=0, vtypei10=0xC0))   # a legal vtype first
            out.append(f"    addi ra, t6, {INIT_V}")
            for i in range(0, 32, 8):
                out.append(self._vec("vl8re8.v", vd=i, rs1=1))
                out.append(f"    li sp, {8 * vlenb}")
                out.append("    add ra, ra, sp")
            out += [f"    {ld} ra, {INIT_VL}(t6)", f"    {ld} sp, {INIT_VTYPE}(t6)"]
            out.append(self._vec("vsetvl", rd=0, rs1=1, rs2=2))
            out += [f"    {ld} ra, {INIT_VCSR}(t6)", "    csrw vcsr, ra"]
        out += [f"    {ld} x{i}, {8 * i}(t6)" for i in range(2, 30)]
        out.append("    jr t5")
        return out

    def _start_code(self) -> list[str]:
        # The signal stack is mapped far from the program's data: a program may point sp anywhere near
        # its scratch buffer, and a signal taken with sp inside the alternate stack cannot be delivered.
        out = ["_start:", "    lla s3, rvt_state",
               "    li a0, 0", "    li a1, 65536", "    li a2, 3", "    li a3, 0x22", "    li a4, -1",
               "    li a5, 0", "    li a7, 222", "    ecall",                       # mmap(rw, private|anon)
               f"    {self._sd} a0, 32(s3)", "    addi a0, s3, 32", "    li a1, 0", "    li a7, 132", "    ecall"]
        for sig in SIGNALS:
            out += [f"    li a0, {sig}", "    addi a1, s3, 56", "    li a2, 0", "    li a3, 8",
                    "    li a7, 134", "    ecall"]
        out += [f"    {self._ld} t0, 16(s3)", f"    {self._ld} t0, 0(t0)", "    jr t0"]
        return out

    def _handler_code(self) -> list[str]:
        # s3 = rvt_state, a0 = signal number, a2 = ucontext; every register is free here (the program's
        # values are in the signal frame or, for f and v registers, still in the registers)
        ld, sd, rv32 = self._ld, self._sd, self.xlen == 32

        def store(reg, offset, base):
            # an 8-byte slot of the record: on RV32 the word, zero-extended
            return [f"    {sd} {reg}, {offset}({base})"] + ([f"    sw zero, {offset + 4}({base})"] if rv32 else [])
        magic = ["    li t0, 0x4d544553", "    sw t0, 0(s1)", "    li t0, 0x52565349", "    sw t0, 4(s1)"] \
            if rv32 else [f"    li t0, {RECORD_MAGIC:#x}", "    sd t0, 0(s1)"]
        out = ["    mv s0, a2", f"    {ld} s1, 24(s3)", *magic, f"    {ld} s2, 0(s3)",
               *store("s2", 8, "s1"), *store("a0", 16, "s1")]
        if self.has_v:     # read the vector CSRs before any vector instruction changes them
            for k, csr in enumerate(("vl", "vtype", "vstart", "vcsr")):
                out += [f"    csrr t0, {csr}", *store("t0", 24 + 8 * k, "s1")]
        # pc and x1..x31 from the frame
        mcontext, word = (UCONTEXT_MCONTEXT_RV32, 4) if rv32 else (UCONTEXT_MCONTEXT, 8)
        out += [f"    addi t0, s0, {mcontext}", "    addi t1, s1, 64", "    li t2, 32",
                "1:", f"    {ld} t3, 0(t0)", *store("t3", 0, "t1"), f"    addi t0, t0, {word}", "    addi t1, t1, 8",
                "    addi t2, t2, -1", "    bnez t2, 1b"]
        # t1 now points after the 32 words
        if self.has_f:
            out += [f"    fsd f{i}, {8 * i}(t1)" for i in range(32)]
            out += ["    frcsr t0", *store("t0", 256, "t1"), "    addi t1, t1, 264"]
        if self.has_v:
            vlenb = self.vlen // 8
            out.append(self._vec("vsetivli", rd=0, zimm5=0, vtypei10=0xC0))
            for i in range(0, 32, 8):
                out.append(self._vec("vs8r.v", vs3=i, rs1=6))
                out += [f"    li t0, {8 * vlenb}", "    add t1, t1, t0"]
        # the scratch buffer: (address, size) from the case table entry of the current case
        entry = [f"    {ld} t0, 16(s3)", "    slli t2, s2, 4", "    slli t4, s2, 3", "    add t2, t2, t4",
                 "    add t0, t0, t2"]
        out += entry + [f"    {ld} t2, 8(t0)", f"    {ld} t3, 16(t0)",
                        "2:", "    beqz t3, 3f", f"    {ld} t4, 0(t2)", f"    {sd} t4, 0(t1)", f"    addi t2, t2, {word}",
                        f"    addi t1, t1, {word}", f"    addi t3, t3, -{word}", "    j 2b",
                        "3:", "    li a0, 1", "    mv a1, s1", "    sub a2, t1, s1", "    li a7, 64", "    ecall",
                        # next case, or exit
                        "    addi s2, s2, 1", f"    {sd} s2, 0(s3)", f"    {ld} t0, 8(s3)", "    bltu s2, t0, 4f",
                        "    li a0, 0", "    li a7, 94", "    ecall", "4:"]
        out += entry + [f"    {ld} t0, 0(t0)", f"    {sd} t0, {mcontext}(s0)", "    li a7, 139", "    ecall"]
        return out

    def record_size(self, scratch_size: int) -> int:
        size = 64 + 256
        if self.has_f:
            size += 264
        if self.has_v:
            size += 32 * self.vlen // 8
        return size + scratch_size

    # ------------------------------------------------------------------------------------ results

    @cached_property
    def assembled(self):
        from ..asm import assemble
        prog = assemble(self.source, filename="<rvsim.testing batch>", march=self.isa)
        syms = prog.symbol_map
        for case in self.cases:
            k = case.index
            case.entry, case.body, case.end = syms[f".Lcase{k}"], syms[f".Lcase{k}_body"], syms[f".Lcase{k}_end"]
            case.scratch, case.scratch_size = syms[f".Lcase{k}_scratch"], len(case.program.scratch)
        return prog

    @cached_property
    def elf(self) -> bytes:
        return self.assembled.to_elf()

    def tested_instructions(self, case: Case) -> list[tuple[int, Insn]]:
        """(address, instruction) of every instruction under test in ``case``, in program order."""
        syms = self.assembled.symbol_map
        return [(syms[label], insn) for k, label, insn in self.origins if k == case.index]

    def instruction_at(self, case: Case, pc: int):
        """The instruction under test (an :class:`~rvsim.testing.insn.Insn`) at ``pc``, or None."""
        return next((insn for a, insn in self.tested_instructions(case) if a == pc), None)


def _dwords(data: bytes) -> str:
    """One .dword line holding ``data`` (a multiple of 8 bytes): far cheaper to assemble than .byte lines."""
    if not data:
        return ""
    words = [int.from_bytes(data[i:i + 8], "little") for i in range(0, len(data), 8)]
    return "    .dword " + ", ".join(hex(w) for w in words)


_BLOBS: dict[tuple, str] = {}


def _blob(lines: list[str], xlen: int = 64) -> str:
    """Position-independent code (no symbol references outside itself) assembled once and written as one
    ``.4byte`` line: the fixed parts of the harness cost nothing per batch."""
    source = "\n".join(lines)
    blob = _BLOBS.get((source, xlen))
    if blob is None:
        from ..asm import assemble
        prog = assemble(".option norvc\n" + source + "\n", filename="<rvsim.testing harness>",
                        march=f"rv{xlen}gcv")
        code = prog.section(".text").data
        words = [int.from_bytes(code[i:i + 4], "little") for i in range(0, len(code), 4)]
        blob = _BLOBS[(source, xlen)] = "    .4byte " + ", ".join(hex(w) for w in words)
    return blob


def parse_records(batch: Batch, output: bytes) -> dict[int, ArchState]:
    """The states in a dump written by the batch's signal handler, by case index."""
    states: dict[int, ArchState] = {}
    pos = 0
    while pos + 64 <= len(output):
        magic, index, signal, vl, vtype, vstart, vcsr = struct.unpack_from("<7Q", output, pos)
        if magic != RECORD_MAGIC or index >= len(batch.cases):
            raise ValueError(f"malformed dump record at byte {pos} of the reference's output")
        case = batch.cases[index]
        size = batch.record_size(len(case.program.scratch))
        rec = output[pos:pos + size]
        if len(rec) < size:
            break
        words = struct.unpack_from("<32Q", rec, 64)
        off = 64 + 256
        state = ArchState(pc=words[0], x=words[1:])
        if batch.has_f:
            state.f = struct.unpack_from("<32Q", rec, off)
            state.fcsr = struct.unpack_from("<Q", rec, off + 256)[0]
            off += 264
        if batch.has_v:
            vlenb = batch.vlen // 8
            state.v = tuple(rec[off + i * vlenb:off + (i + 1) * vlenb] for i in range(32))
            state.vl, state.vtype, state.vstart = vl, vtype, vstart
            state.vxrm, state.vxsat = (vcsr >> 1) & 3, vcsr & 1
            off += 32 * vlenb
        state.memory = {case.scratch: rec[off:off + len(case.program.scratch)]}
        name = SIGNALS.get(signal, f"signal {signal}")
        if not (name == "SIGTRAP" and state.pc == case.end):
            state.trap = f"{name} at {state.pc:#x}"
        states[index] = state
        pos += size
    return states


# ------------------------------------------------------------------------------------------ rvsim

def run_rvsim(batch: Batch, cases=None, max_steps: int = MAX_STEPS) -> list[ArchState]:
    """Run cases of ``batch`` on rvsim (all by default) and return their final states."""
    from ..host import LinuxEnvironment
    from ..machine import Machine
    m = Machine(batch.isa, vlen=batch.vlen, env=LinuxEnvironment(stdout=io.BytesIO(), stderr=io.BytesIO()))
    m.load_elf(batch.elf, name="<rvsim.testing batch>")
    out = []
    for case in (batch.cases if cases is None else cases):
        m.pc = case.entry
        info = m.run(max_instructions=max_steps)
        out.append(capture(m, case, info))
    return out


def capture(m, case: Case, info) -> ArchState:
    """The ArchState of a Machine after running ``case`` (``info`` from run/step)."""
    from ..machine import StopReason
    state = ArchState.from_machine(m, memory=case.memory_regions)
    if info.reason is StopReason.EBREAK and m.pc == case.end:
        return state
    if info.reason is StopReason.TRAP:
        state.pc = info.pc
        state.trap = f"{CAUSE_SIGNALS.get(info.cause, f'cause {info.cause}')} at {info.pc:#x}"
    elif info.reason is StopReason.EBREAK:
        state.trap = f"SIGTRAP at {info.pc:#x}"
    else:
        state.trap = f"{info.reason.value} at {info.pc:#x}"
    return state
