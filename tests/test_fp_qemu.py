"""Differential test against qemu-riscv64: random sequences of scalar FP instructions (F, D, Zfh,
Zfhmin) in a small Linux program, run on both, with every destination register and the fflags each
instruction raised compared one by one.

The program loads all 32 f registers and a pool of integer registers with edge-biased bit patterns
(NaN-boxed singles and halves, improperly boxed values, doubles, NaNs, subnormals, integer limits),
then runs the instructions (encoded from the ISA table as .word, with static and dynamic rounding
modes and occasional frm changes).  After each one it appends the destination register and fflags
to a log (and clears fflags); at the end it writes the log to stdout.  QEMU 7.2 has no Zfbfmin, so
the bfloat16 conversions are left to the reference-model tests.

Needs riscv64-unknown-elf-as/ld and qemu-riscv64 (skips without them).
More programs: FP_QEMU_PROGRAMS=20 python -m pytest -q tests/test_fp_qemu.py
"""
from __future__ import annotations

import io
import os
import random
import struct
import subprocess

import pytest

from tests.conftest import require_tool

pytest.importorskip("rvsim._core", reason="the C extension is not built (python setup.py build_ext --inplace)")

from rvsim import isa  # noqa: E402
from rvsim.host import LinuxEnvironment  # noqa: E402
from rvsim.machine import Machine, StopReason  # noqa: E402

PROGRAMS = int(os.environ.get("FP_QEMU_PROGRAMS", "5"))
LENGTH = 400
QEMU_CPU = "rv64,Zfh=true"          # QEMU 7.2 spells the property with a capital Z
EXTENSIONS = {"f", "d", "zfh", "zfhmin"}
TRANSFERS = {"flw", "fld", "flh", "fsw", "fsd", "fsh"}
INSNS = sorted((i for i in isa.INSTRUCTIONS
                if set(i.extension.split("+")) <= EXTENSIONS and i.mnemonic not in TRANSFERS),
               key=lambda i: i.mnemonic)
# integer registers the instructions may read and write; s10 (table), s11 (log), t6 (scratch) are not
XPOOL = [5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 29]
M64 = (1 << 64) - 1


def float_pattern(rng, exp_bits, frac_bits):
    width = 1 + exp_bits + frac_bits
    top = (1 << exp_bits) - 1
    bias = top >> 1
    kind = rng.randrange(6)
    sign = rng.getrandbits(1) << (width - 1)
    if kind == 0:       # zero, infinity, quiet and signaling NaNs, one
        mag = rng.choice([0, top << frac_bits, (top << frac_bits) | (1 << (frac_bits - 1)),
                          (top << frac_bits) | 1, (top << frac_bits) | 3, bias << frac_bits])
    elif kind == 1:     # subnormal, smallest normals, largest finite
        mag = rng.choice([1, rng.getrandbits(frac_bits), 1 << frac_bits, (top << frac_bits) - 1])
    elif kind == 2:     # short significand near 1 or near the integer-conversion limits
        exp = rng.choice([bias, bias - 1, bias + 1, bias + 31, bias + 32, bias + 63, bias + 10])
        mag = (min(exp, top - 1) << frac_bits) | (rng.getrandbits(4) << (frac_bits - 4))
    else:
        mag = rng.getrandbits(width - 1)
    return sign | mag


BOXED_S, BOXED_H = M64 << 32 & M64, M64 << 16 & M64
POOL = 48       # values of each kind in the program's data table


def source_format(mnemonic):
    name, *sfx = mnemonic.split(".")
    if name == "fcvt":
        return sfx[1]
    return {"w": "s"}.get(sfx[1], sfx[1]) if name == "fmv" else sfx[0]


def integer_value(rng):
    return rng.choice([0, 1, M64, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 63, (1 << 63) - 1,
                       (1 << 24) + 1, (1 << 53) + 1, 65504, M64 ^ 0xffff,
                       rng.getrandbits(64), rng.getrandbits(32), -rng.getrandbits(31) & M64])


def generate(seed):
    """Assembly text of one test program, and the list of instructions it logs.

    Before most instructions a source register is reloaded from the data table with a value of the
    instruction's own format (so that few operations see a wrongly boxed NaN); the other sources
    keep whatever earlier instructions left there."""
    rng = random.Random(seed)
    pools = {
        "s": [BOXED_S | float_pattern(rng, 8, 23) for _ in range(POOL)],
        "h": [BOXED_H | float_pattern(rng, 5, 10) for _ in range(POOL)],
        "d": [float_pattern(rng, 11, 52) for _ in range(POOL)],
        "bad": [rng.choice([0, 0x7fffffff, 0xfffffffe, 0xffff7fff]) << 32 | rng.getrandbits(32)
                for _ in range(POOL)],
        "x": [integer_value(rng) for _ in range(POOL)],
    }
    base = {}
    table = []
    for kind, values in pools.items():
        base[kind] = 8 * len(table)
        table += values

    def reload(kind, reg, op):
        k = rng.randrange(POOL)
        return f"  {op} {reg}, {base[kind] + 8 * k}(s10)"

    lines = [".globl _start", ".text", "_start:", "  la s10, table", "  la s11, log"]
    lines += [reload(rng.choice("shd"), f"f{i}", "fld") for i in range(32)]
    lines += [reload("x", f"x{r}", "ld") for r in XPOOL]
    lines += ["  fsflags zero", f"  fsrmi {rng.randrange(5)}"]
    logged = []
    for _ in range(LENGTH):
        if rng.random() < 0.03:
            lines.append(f"  fsrmi {rng.randrange(5)}")
        insn = rng.choice(INSNS)
        fmt = source_format(insn.mnemonic)
        ops = {}
        for k in insn.all_operands:
            if k.name in ("fd", "fs1", "fs2", "fs3"):
                ops[k.name] = rng.randrange(32)
            elif k.name in ("rd", "rs1"):
                ops[k.name] = rng.choice(XPOOL)
            elif k.name == "rm":
                ops["rm"] = rng.choice([0, 0, 1, 2, 3, 4, 7, 7, 7])
        for k in ("fs1", "fs2", "fs3"):
            if k in ops and rng.random() < 0.7:
                kind = "bad" if rng.random() < 0.05 else fmt
                lines.append(reload(kind, f"f{ops[k]}", "fld"))
        if "rs1" in ops and rng.random() < 0.5:
            lines.append(reload("x", f"x{ops['rs1']}", "ld"))
        word = insn.encode(ops)
        lines.append(f"  .word {word:#010x}   # {insn.mnemonic} {ops}")
        lines.append(f"  fsd f{ops['fd']}, 0(s11)" if "fd" in ops else f"  sd x{ops['rd']}, 0(s11)")
        lines += ["  frflags t6", "  sd t6, 8(s11)", "  fsflags zero", "  addi s11, s11, 16"]
        logged.append((insn.mnemonic, ops, word))
    lines += ["  li a0, 1", "  la a1, log", f"  li a2, {16 * LENGTH}", "  li a7, 64", "  ecall",
              "  li a0, 0", "  li a7, 93", "  ecall",
              ".data", ".balign 8", "table:"]
    lines += [f"  .dword {v:#x}" for v in table]
    lines += [".bss", ".balign 8", "log:", f"  .zero {16 * LENGTH}"]
    return "\n".join(lines) + "\n", logged


def build(tmp_path, seed):
    as_, ld = require_tool("riscv64-unknown-elf-as"), require_tool("riscv64-unknown-elf-ld")
    text, logged = generate(seed)
    src, obj, elf = tmp_path / f"fp{seed}.S", tmp_path / f"fp{seed}.o", tmp_path / f"fp{seed}.elf"
    src.write_text(text)
    subprocess.run([as_, "-march=rv64gc", "-o", obj, src], check=True)
    subprocess.run([ld, "-Ttext=0x10000", "-o", elf, obj], check=True)
    return elf, logged


def run_rvsim(elf):
    out = io.BytesIO()
    m = Machine("rv64gc_zfh", env=LinuxEnvironment(stdout=out, stderr=io.BytesIO()))
    m.load_elf(elf)
    info = m.run(max_instructions=1_000_000)
    assert info.reason is StopReason.EXIT and info.exit_code == 0, info
    return out.getvalue()


@pytest.mark.parametrize("seed", range(PROGRAMS))
def test_random_fp_sequence_matches_qemu(tmp_path, seed):
    qemu = require_tool("qemu-riscv64")
    elf, logged = build(tmp_path, seed)
    want = subprocess.run([qemu, "-cpu", QEMU_CPU, elf], capture_output=True, check=True).stdout
    got = run_rvsim(elf)
    assert len(want) == len(got) == 16 * LENGTH
    mismatches = []
    for i, (mn, ops, word) in enumerate(logged):
        w_val, w_fl = struct.unpack_from("<QQ", want, 16 * i)
        g_val, g_fl = struct.unpack_from("<QQ", got, 16 * i)
        if (w_val, w_fl) != (g_val, g_fl):
            mismatches.append(f"#{i} {mn} {ops} ({word:#010x}): qemu {w_val:#018x}/{w_fl:#x} "
                              f"rvsim {g_val:#018x}/{g_fl:#x}")
    assert not mismatches, f"{len(mismatches)} of {LENGTH} differ:\n" + "\n".join(mismatches[:15])
