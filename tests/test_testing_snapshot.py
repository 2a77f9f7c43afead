"""Machine.snapshot()/restore() and rvsim.testing.diff."""
from __future__ import annotations

import io

import numpy as np
import pytest

from rvsim.asm import assemble
from rvsim.host import LinuxEnvironment
from rvsim.machine import PAGE, Machine, StopReason
from rvsim.testing import ArchState, diff

PROGRAM = """
    .globl _start
_start:
    la t0, buf
    li t1, 0x1122334455667788
    sd t1, 0(t0)
    addi a0, a0, 5
    csrwi fflags, 3
    fence.i
patch:
    addi a1, zero, 1
    ebreak
    .data
    .balign 8
buf: .dword 0, 0
"""


def _machine(isa="rv64gcv"):
    m = Machine(isa, vlen=128, env=LinuxEnvironment(stdout=io.BytesIO()))
    prog = assemble(PROGRAM, march=isa)
    m.load_elf(prog.to_elf())
    return m, prog


def test_restore_returns_registers_csrs_vectors_and_memory():
    m, prog = _machine()
    m.v[3, :] = 7
    flags = int(m._hart.fflags)        # (read the field: a CSR read of fflags folds in host FPU flags)
    snap = m.snapshot()
    buf = prog.symbol("buf")
    info = m.run(1000)
    assert info.reason is StopReason.EBREAK
    m.v[3, :] = 9
    m.csr["vxrm"] = 2
    assert m.x[10] == 5 and m.read_u64(buf) == 0x1122334455667788 and int(m._hart.fflags) == 3 | flags
    after = m.snapshot()
    m.restore(snap)
    assert m.x[10] == 0 and m.read_u64(buf) == 0 and int(m._hart.fflags) == flags and m.csr["vxrm"] == 0
    assert m.pc == prog.entry and (m.v[3] == 7).all() and m.instret == 0
    assert not diff(m.snapshot(), snap)
    # and forwards again
    m.restore(after)
    assert not diff(m.snapshot(), after)


def test_the_program_runs_the_same_after_restore():
    m, _ = _machine()
    snap = m.snapshot()
    first = m.run(1000)
    state1 = ArchState.from_machine(m)
    m.restore(snap)
    second = m.run(1000)
    assert (first.reason, first.pc, first.instructions) == (second.reason, second.pc, second.instructions)
    assert not diff(state1, ArchState.from_machine(m))


def test_restored_code_is_decoded_again():
    """Code written after the snapshot (and already executed) is replaced by the saved code."""
    m, prog = _machine()
    snap = m.snapshot()
    m.run(1000)
    assert m.x[11] == 1
    patch = prog.symbol("patch")
    m.write(patch, (0x00200593).to_bytes(4, "little"))      # addi a1, zero, 2
    m.restore(snap)
    m.run(1000)
    assert m.x[11] == 1


def test_pages_mapped_after_the_snapshot_are_unmapped_and_cleared():
    m, _ = _machine()
    snap = m.snapshot()
    extra = 0x3000_0000
    m.map(extra, 2 * PAGE, "rw")
    m.write(extra + 8, b"\x55" * 16)
    text_page = m.program.entry & ~(PAGE - 1)
    m.map(text_page, PAGE, "rw")                            # permissions changed too
    m.restore(snap)
    from rvsim._core import lib
    assert lib.rv_page_perms(m._core, extra) == 0
    assert m.read(extra + 8, 16) == bytes(16)
    assert lib.rv_page_perms(m._core, text_page) & lib.RV_PERM_X


def test_snapshot_skips_zero_pages_and_can_cover_a_region():
    m, prog = _machine()
    full = m.snapshot()
    assert len(full.zero_pages) > 1000            # the untouched 8 MiB stack is listed, not copied
    assert full.data.shape[0] < 16
    buf = prog.symbol("buf")
    region = m.snapshot(region=(buf, 16))
    assert region.end_page - region.first_page == 1
    m.run(1000)
    changed = m.snapshot(region=(buf, 16))
    d = diff(region, changed, ignore=("instret", "cycle"))
    names = {x.where for x in d}
    assert f"mem[{buf:#x}]" in names and "x10 (a0)" in names and "pc" in names and "fflags" in names
    m.restore(region)
    assert m.read_u64(buf) == 0 and m.x[10] == 0
    with pytest.raises(ValueError):
        m.snapshot(region=(m.memory_base + m.memory_size - 8, 64))


def test_snapshots_belong_to_their_machine_shape():
    m, _ = _machine()
    other = Machine("rv64gcv", vlen=256)
    with pytest.raises(ValueError):
        other.restore(m.snapshot())


def test_archstate_diff():
    a = ArchState(pc=0x100, x=[0] * 32, f=[1] * 32, fcsr=0x20, memory={0x2000: b"abcdefgh" * 2})
    b = ArchState(pc=0x100, x=[0] * 31 + [5], f=[1] * 32, fcsr=0x21, memory={0x2000: b"abcdefgh" + b"abcdefgX"})
    where = [d.where for d in diff(a, b)]
    assert where == ["x31 (t6)", "fcsr", "mem[0x2008]"]
    assert diff(a, b, ignore=("fcsr",))[-1].where == "mem[0x2008]"
    assert not diff(a, ArchState(x=[0] * 32))           # fields one side leaves out are not compared
    with pytest.raises(ValueError):
        ArchState(x=[0] * 5)
    with pytest.raises(TypeError):
        diff(a, object())


def test_archstate_from_machine_reads_vector_state():
    m = Machine("rv64gcv", vlen=128)
    m.v[5, :] = np.arange(16, dtype=np.uint8)
    s = ArchState.from_machine(m, memory=[(0, 8)])
    assert s.v[5] == bytes(range(16)) and s.vl == 0 and s.memory == {0: bytes(8)}
    assert ArchState.from_machine(Machine("rv64imac")).v is None
