"""Whole-program figures of the cycle model, as the model counted them before batched retirement.

The timed loop hands the model most retirements in batches (csrc/interp_timed.c, timing.c's
rv_timing_drain) instead of one call per instruction.  The model must count exactly what it counted when
each instruction was stepped as it retired, so these scenarios were run on main at 9146191 (before that
change) and their figures stored in timing_goldens.json: every total of the model (cycles, stalls by
cause, branches, caches, vector unit) and a digest of the per-address counters.  The scenarios exercise
what the batches must respect: programs that read `cycle` mid-run (asm_zicsr; CYCLE_READER, whose
values read are compared too), self-modifying code
(asm_smc), vector instructions between scalar ones (the RVV kernels), traps and AMOs, runs cut into
chunks of odd sizes, a pipeline trace being recorded, and the kernels on other presets.

    python tests/timing_goldens.py            # regenerate timing_goldens.json (only from a model that
                                              # is known to be right: the figures are the oracle)

tests/test_timing_goldens.py compares each scenario with the stored figures.
"""
from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDENS = HERE / "timing_goldens.json"
PROGRAMS = HERE / "programs"

# test programs (tests/programs) whose instruction count does not depend on the host
ELF_PROGRAMS = ("asm_zicsr", "asm_smc", "asm_muldiv", "asm_amo", "asm_rvc", "asm_misaligned", "kernels",
                "recursion", "float_ops", "strings", "atomics")
# (name, asm file, isa, defsym) of the shipped kernels, run whole (filling and checking included)
ASM_KERNELS = (
    ("int32", "matmul_int32.s", "rv64gcv", {"N": 16}),
    ("fp32", "matmul_fp32.s", "rv64gcv", {"N": 16}),
    ("rvv_fp32_m1", "matmul_rvv_fp32.s", "rv64gcv", {"N": 32, "LMUL": 1}),
    ("rvv_fp32_m4", "matmul_rvv_fp32.s", "rv64gcv", {"N": 32, "LMUL": 4}),
    ("rvv_fp32_blocked", "matmul_rvv_fp32_blocked.s", "rv64gcv", {"N": 32}),
    ("rvv_fp16", "matmul_rvv_fp16.s", "rv64gcv_zvfh", {"N": 16}),
    ("int8_vwmacc", "matmul_int8_vwmacc.s", "rv64gcv", {"N": 16}),
    ("int8_vdot4a", "matmul_int8_vdot4a.s", "rv64gcv_zvdot4a8i", {"N": 16}),
    ("bf16", "matmul_bf16.s", "rv64gcv_zvfbfwma", {"N": 16}),
    ("zvt", "matmul_zvt.s", "rv64gcv_zvt", {"N": 16}),
    ("gemv", "gemv_fp32.s", "rv64gcv", {"N": 64}),
    ("saxpy", "saxpy_rvv.s", "rv64gcv", {"N": 1024}),
    ("conv2d", "conv2d_fp32.s", "rv64gcv", {"N": 16}),
    # at sizes beyond the last-level cache (misses, MSHRs, the prefetcher, DRAM bandwidth)
    ("gemv_dram", "gemv_fp32.s", "rv64gcv", {"N": 512}),
    ("saxpy_dram", "saxpy_rvv.s", "rv64gcv", {"N": 65536}),
)


def _vlen(preset):
    from rvsim.timing import load_config
    return load_config(preset)["vector"]["vlen"]


def _elf_machine(name, preset):
    sys.path.insert(0, str(HERE))
    from test_programs import GOLDEN, _decode
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine
    entry = GOLDEN[name]
    env = LinuxEnvironment(stdin=io.BytesIO(_decode(entry["stdin"])), stdout=io.BytesIO(),
                           stderr=io.BytesIO(), allow_dir=PROGRAMS / entry["cwd"])
    m = Machine("rv64gcv", vlen=_vlen(preset), env=env)
    m.enable_timing(preset)
    m.load_elf(PROGRAMS / entry["elf"], argv=entry["argv"],
               envp=[f"{k}={v}" for k, v in entry["env"].items()])
    return m


def _asm_machine(name, preset):
    from rvsim.asm import assemble_files
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine
    _, file, isa, defsym = next(k for k in ASM_KERNELS if k[0] == name)
    m = Machine(isa, vlen=_vlen(preset), env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.enable_timing(preset)
    prog = assemble_files([str(ROOT / "asm" / file)], defsym=defsym, march=isa)
    m.load_elf(prog.to_elf(), name=file)
    return m


# A loop that reads `cycle` between loads, multiplies, branches and a vector add, and stores what it read:
# the values read are figures of the model too (the model must have run every older instruction).
CYCLE_READER = """
        .globl  _start
_start: la      s0, buf
        li      s1, 96
        li      t0, 0
        li      a0, 4
        vsetvli zero, a0, e32, m1, ta, ma
1:      ld      t1, 0(s0)
        mul     t2, t1, s1
        add     t0, t0, t2
        rdcycle t3
        sd      t3, 0(s0)
        andi    t4, s1, 3
        bnez    t4, 2f
        vle32.v v1, (s0)
        vadd.vv v2, v1, v1
        vse32.v v2, (s0)
        csrr    t5, cycle
        sd      t5, 8(s0)
2:      addi    s0, s0, 16
        addi    s1, s1, -1
        bnez    s1, 1b
        li      a0, 0
        li      a7, 93
        ecall
        .data
        .align  4
buf:    .zero   1552
"""


# Vector memory accesses of every shape the model looks up line by line: unit stride across a page
# boundary, masked, strided with small, large (a line per element, across pages) and negative strides,
# segment loads and stores, LMUL=4, a strided store, and a fault-only-first load that stops at the end
# of memory (s2 is set to 8 bytes below it, so vl becomes 2); the base walks on by 777 bytes per
# iteration.  VMEM_FAULT ends with a unit-stride load there that traps part-way (vstart = 2).
VMEM = """
        .globl  _start
_start: la      s0, buf
        li      s1, 40
        li      t0, 0x5555
        vsetivli zero, 1, e32, m1, ta, ma
        vmv.s.x v0, t0
1:      li      a0, 8
        vsetvli zero, a0, e32, m1, ta, mu
        li      t1, 4080
        add     t2, s0, t1
        vle32.v v1, (t2)
        vle32.v v2, (s0), v0.t
        li      t3, 8
        vlse32.v v3, (s0), t3
        li      t3, 4160
        vlse32.v v4, (s0), t3
        li      t3, -12
        addi    t4, s0, 1024
        vlse32.v v5, (t4), t3
        li      a0, 6
        vsetvli zero, a0, e32, m1, ta, ma
        vlseg3e32.v v8, (s0)
        vsseg2e32.v v8, (t2)
        li      a0, 32
        vsetvli zero, a0, e32, m4, ta, ma
        addi    t5, s0, 2000
        vle32.v v12, (t5)
        vfadd.vv v16, v12, v12
        vse32.v v16, (t5)
        li      t3, 20
        vsse32.v v16, (s0), t3
        li      a0, 8
        vsetvli zero, a0, e32, m1, ta, ma
        vle32ff.v v20, (s2)
        csrr    t6, vl
        add     s3, s3, t6
        li      t1, 777
        add     s0, s0, t1
        addi    s1, s1, -1
        bnez    s1, 1b
        FAULT
        mv      a0, zero
        li      a7, 93
        ecall
        .data
        .align  12
buf:    .zero   65536
"""
SOURCES = {
    "cycle_reader": CYCLE_READER,
    "vmem": VMEM.replace("FAULT", ""),
    "vmem_fault": VMEM.replace("FAULT", "li a0, 8\n        vsetvli zero, a0, e32, m1, ta, ma\n"
                                        "        vle32.v v21, (s2)"),
}


def _src_machine(name, preset):
    from rvsim.host import LinuxEnvironment
    from rvsim.machine import Machine
    m = Machine("rv64gcv", vlen=_vlen(preset), env=LinuxEnvironment(stdout=io.BytesIO(), stdin=io.BytesIO()))
    m.enable_timing(preset)
    m.load_asm(SOURCES[name], name=f"{name}.s")
    m.x[18] = m.memory_base + m.memory_size - 8     # s2 (VMEM): two elements below the end of memory
    return m


def scenarios():
    """(key, kind, program, preset, chunk, trace): chunk = run() budget per call (None: one call)."""
    out = []
    for name in ELF_PROGRAMS:
        out.append((f"elf:{name}:x60", "elf", name, "x60", None, False))
    for name, *_ in ASM_KERNELS:
        out.append((f"asm:{name}:x60", "asm", name, "x60", None, False))
    for name in ("int32", "rvv_fp32_m4", "gemv", "zvt"):
        for preset in ("c908", "ara", "teach"):
            if preset == "teach" and name != "int32":
                continue
            out.append((f"asm:{name}:{preset}", "asm", name, preset, None, False))
    out.append(("src:cycle_reader:x60", "src", "cycle_reader", "x60", None, False))
    out.append(("src:cycle_reader:c908:chunk5", "src", "cycle_reader", "c908", 5, False))
    for preset in ("x60", "c908", "ara"):
        out.append((f"src:vmem:{preset}", "src", "vmem", preset, None, False))
    out.append(("src:vmem_fault:x60", "src", "vmem_fault", "x60", None, False))
    for name in ("gemv_dram", "saxpy_dram"):
        out.append((f"asm:{name}:ara", "asm", name, "ara", None, False))
    # the same runs cut into run() calls of odd sizes, and with a pipeline trace recorded
    out.append(("asm:rvv_fp32_m4:x60:chunk997", "asm", "rvv_fp32_m4", "x60", 997, False))
    out.append(("asm:int32:x60:chunk1", "asm", "int32", "x60", 1, False))
    out.append(("elf:asm_zicsr:x60:chunk61", "elf", "asm_zicsr", "x60", 61, False))
    out.append(("elf:asm_smc:x60:chunk7", "elf", "asm_smc", "x60", 7, False))
    out.append(("asm:rvv_fp32_blocked:x60:trace", "asm", "rvv_fp32_blocked", "x60", None, True))
    return out


def measure(kind, program, preset, chunk, trace, keep=None):
    """Run one scenario to its end; returns its figures (every total and a digest of the per-address
    counters).  keep: a list the machine is appended to."""
    from rvsim.machine import StopReason
    m = {"elf": _elf_machine, "asm": _asm_machine, "src": _src_machine}[kind](program, preset)
    if keep is not None:
        keep.append(m)
    if trace:
        m.timing.record_trace(1 << 20)
    while True:
        info = m.run(chunk) if chunk else m.run()
        if info.reason is not StopReason.LIMIT:
            break
    trapped = program == "vmem_fault"      # ends in the fault it is about
    if info.reason is not (StopReason.TRAP if trapped else StopReason.EXIT):
        raise RuntimeError(f"{program} on {preset} stopped: {info}")
    totals = m.timing.totals()
    digest = hashlib.sha256()
    for pc, s in sorted(m.timing.by_pc().items()):
        digest.update(repr((pc, s.count, s.cycles, sorted(s.stalls.items()))).encode())
    if trace:
        for r in m.timing.trace_records():
            digest.update(repr(tuple(r)).encode())
    out = {"instret": int(m.instret), "exit_code": info.exit_code, "totals": totals,
           "by_pc": digest.hexdigest()}
    if program == "cycle_reader":
        # the cycle values the program read
        out["memory"] = hashlib.sha256(m.read(m.asm_program.symbol("buf"), 1552)).hexdigest()
    if program.startswith("vmem"):
        out["s3"] = int(m.x[19])      # the vl the fault-only-first loads got, summed
    if trapped:
        out["trap"] = [int(info.pc), str(info.cause), int(m.csr["vstart"])]
    return out


def main() -> int:
    sys.path.insert(0, str(ROOT))
    out = {}
    for key, *args in scenarios():
        out[key] = measure(*args)
        print(key, out[key]["totals"]["cycles"], flush=True)
    GOLDENS.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
