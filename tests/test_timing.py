"""The cycle model against its own documented formulas (docs/timing.md): micro-kernels whose cycle
count follows from the formulas by hand, asserted exactly."""
import pytest

from rvsim.asm import assemble
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason
from rvsim.timing import TimingConfigError, load_config, parse_config, preset_names

EXIT = """
    li a0, 0
    li a7, 93
    ecall
"""


def config(**sections):
    """The teach preset with some sections overridden (nested dicts)."""
    import copy
    import tomllib
    from rvsim.timing.config import PRESET_DIR
    data = tomllib.loads((PRESET_DIR / "teach.toml").read_text())

    def merge(dst, src):
        for k, v in src.items():
            if isinstance(v, dict):
                merge(dst.setdefault(k, {}), v)
            else:
                dst[k] = v
    data = copy.deepcopy(data)
    merge(data, sections)
    return parse_config(data)


def run(body: str, cfg="teach", isa="rv64gc", data: str = ""):
    src = "    .globl _start\n_start:\n" + body + EXIT + (("\n    .data\n" + data) if data else "")
    prog = assemble(src, march=isa)
    m = Machine(isa, env=LinuxEnvironment())
    t = m.enable_timing(cfg)
    m.load_elf(prog.to_elf())
    info = m.run()
    assert info.reason is StopReason.EXIT
    return t.result(prog), m


def test_teach_straight_line_is_one_cycle_each():
    r, _ = run("    addi t0, t0, 1\n" * 20)
    # 20 adds + 3 exit instructions, no stalls
    assert r.instructions == 23
    assert r.cycles == 23
    assert r.stall_cycles == 0


def test_dependent_chain_costs_its_latency():
    # section 2.2: a chain of N dependent ops of latency L issues every L cycles
    cfg = config(core={"latency": {"alu": 3}})
    n = 10
    r, _ = run("    addi t0, t0, 1\n" * n, cfg)
    # adds issue at 0, 3, ..., 3(n-1); the exit's li a0 and li a7 (independent, latency 3) follow in
    # the next two cycles, the ecall (latency 1) after them; the clock is the latest completion,
    # li a7's: 3(n-1) + 2 + 3
    last_add = 3 * (n - 1)
    assert r.cycles == last_add + 2 + 3
    assert r.stalls["dep_alu"] == 2 * (n - 1)


def test_independent_ops_dual_issue():
    cfg = config(core={"issue_width": 2, "units": {"alu": 2}})
    r, _ = run("    addi t0, t0, 1\n    addi t1, t1, 1\n" * 10, cfg)
    # 20 independent adds in 10 cycles, then li a0 / li a7 pair in cycle 10, ecall in 11 (csr unit)
    assert r.cycles == 12
    assert r.stall_cycles == 0


def test_independent_fmas_pipelined_vs_dependent():
    body_dep = "    mul t0, t0, t1\n" * 8
    body_ind = "".join(f"    mul t{i % 2 + 2}, t0, t1\n" for i in range(8))
    cfg = config(core={"latency": {"mul": 4}})
    dep, _ = run(body_dep, cfg)
    ind, _ = run(body_ind, cfg)
    # dependent: issues at 0,4,...,28; independent: one per cycle (pipelined unit), the last ready at 7+4
    assert dep.stalls["dep_muldiv"] == 7 * 3
    assert ind.stalls["dep_muldiv"] == 0
    assert dep.cycles - ind.cycles == 7 * 3


def test_load_use_stall_is_one_cycle():
    body = """
    la t0, value
    ld t1, 0(t0)
    addi t2, t1, 1
"""
    r, _ = run(body, data="value: .dword 5")
    assert r.stalls["dep_load"] == 1
    assert r.cycles == r.instructions + 1


def test_taken_branch_costs_two_and_jump_one():
    # a loop of 10 iterations: the backward branch is taken 9 times (not-taken prediction: 2 each)
    body = """
    li t0, 10
1:  addi t0, t0, -1
    bnez t0, 1b
    j 2f
2:  nop
"""
    r, _ = run(body)
    assert r.stalls["mispredict"] == 9 * 2
    assert r.stalls["taken_branch"] == 1
    assert r.cycles == r.instructions + 9 * 2 + 1


def test_mispredicted_loop_exit_with_bimodal():
    # bimodal 2-bit counters start weakly not-taken: the first taken branch mispredicts, then the
    # counter predicts taken until the exit, which mispredicts once more
    cfg = config(core={"predictor": {"kind": "bimodal", "entries": 64}, "mispredict_penalty": 5,
                       "taken_penalty": 0})
    body = """
    li t0, 20
1:  addi t0, t0, -1
    bnez t0, 1b
"""
    r, _ = run(body, cfg)
    assert r.mispredicts == 2
    assert r.stalls["mispredict"] == 2 * 5


def test_static_btfn_predicts_loops():
    cfg = config(core={"predictor": {"kind": "static"}, "mispredict_penalty": 4, "taken_penalty": 1})
    body = """
    li t0, 20
1:  addi t0, t0, -1
    bnez t0, 1b
"""
    r, _ = run(body, cfg)
    # backward taken 19 times (correct: 1 bubble each), the exit mispredicts once
    assert r.mispredicts == 1
    assert r.stalls["mispredict"] == 4
    assert r.stalls["taken_branch"] == 19


def test_l1_miss_stream():
    # section 3: each new 64-byte line misses: ready = issue + load latency + DRAM latency + line/bw;
    # the loads of one line after the first wait for the same fill
    cfg = config(memory={"l1d": {"size": 4096, "ways": 1, "line": 64},
                         "dram": {"latency": 50, "bandwidth": 8}},
                 core={"latency": {"load": 2}})
    lines = 4
    body = "    la t0, buf\n" + "".join(f"    ld t1, {64 * i}(t0)\n    add t2, t2, t1\n"
                                         for i in range(lines))
    r, _ = run(body, cfg, data=".balign 64\nbuf: .zero 1024")
    assert r.cache["l1d_misses"] == lines
    # each load misses and its add waits: the line arrives 2 + 50 + 64/8 = 60 cycles after the load
    # issues, i.e. 59 cycles of stall beyond the next cycle; the loads do not overlap (each add blocks)
    assert r.stalls["dcache"] == lines * 59


def test_dram_bandwidth_serialises_misses():
    cfg = config(memory={"l1d": {"size": 4096, "ways": 1, "line": 64},
                         "dram": {"latency": 10, "bandwidth": 4}})
    # independent loads to 4 lines: fills are 16 cycles each and queue behind each other
    body = "    la t0, buf\n" + "".join(f"    ld t{i + 1}, {64 * i}(t0)\n" for i in range(4)) + \
        "    add t5, t4, t4\n"
    r, _ = run(body, cfg, data=".balign 64\nbuf: .zero 1024")
    assert r.cache["dram_bytes"] >= 256
    # the 4th load issues at cycle 5 (after la's 2 instructions and 3 loads), its fill starts when the
    # bus frees at 2+2+16*3 and ends 16 cycles later, plus 10 latency
    la_len = 2
    first = la_len
    bus_free = first + 2 + 16 * 3        # fills start at issue + load latency (2) and serialise
    ready4 = bus_free + 16 + 10
    add_issue = first + 4
    assert r.stalls["dcache"] == ready4 - add_issue


def test_operand_dependent_divide():
    cfg = config(core={"latency": {"div": 4}, "divide": {"operand_dependent": True, "bits_per_cycle": 1},
                       "occupancy": {"div": 0}})
    small, _ = run("    li t0, 7\n    li t1, 3\n    div t2, t0, t1\n    addi t3, t2, 1\n", cfg)
    big, _ = run("    li t0, 1000000\n    li t1, 3\n    div t2, t0, t1\n    addi t3, t2, 1\n", cfg)
    # quotient bits: 7/3 -> bitlen 3 - 2 + 1 = 2; 1000000/3 -> 20 - 2 + 1 = 19
    assert small.stalls["dep_muldiv"] == 4 + 2 - 1
    assert big.stalls["dep_muldiv"] == 4 + 19 - 1


def test_per_line_breakdown_and_mcycle():
    body = """
    li t0, 5
1:  addi t0, t0, -1
    bnez t0, 1b
    rdcycle a1
"""
    r, m = run(body)
    lines = {ln: s for (f, ln), s in r.by_line.items()}
    # the 4 taken branches are charged to the branch's line (line 6 of the source)
    assert lines[6].stalls["mispredict"] == 8
    assert sum(s.cycles for s in r.by_line.values()) == r.cycles
    # rdcycle reads the model's clock: 1 (li) + 10 (loop) + 8 stalls = 19 cycles before it
    assert int(m.x[11]) == 19


def test_determinism():
    body = "    li t0, 50\n1:  addi t0, t0, -1\n    mul t1, t0, t0\n    bnez t0, 1b\n"
    a, _ = run(body, "x60")
    b, _ = run(body, "x60")
    assert a.to_dict() == b.to_dict()


def test_unknown_key_is_an_error_naming_valid_keys():
    with pytest.raises(TimingConfigError) as exc:
        parse_config({"core": {"issue_widht": 2}})
    assert "issue_widht" in str(exc.value) and "issue_width" in str(exc.value)
    with pytest.raises(TimingConfigError):
        parse_config({"memory": {"l1d": {"size": 1000, "ways": 3, "line": 64}}})
    with pytest.raises(TimingConfigError):
        load_config("no-such-preset")


def test_presets_load():
    for name in preset_names():
        cfg = load_config(name)
        assert cfg["name"] == name
    assert {"teach", "c908", "x60", "ara", "x280"} <= set(preset_names())


def test_vlen_mismatch_is_reported():
    m = Machine("rv64gcv", vlen=128)
    with pytest.raises(TimingConfigError, match="VLEN"):
        m.enable_timing("x60")


def test_functional_mode_after_timing():
    prog = assemble("    .globl _start\n_start:\n" + "    addi t0, t0, 1\n" * 5 + EXIT)
    m = Machine("rv64gc", env=LinuxEnvironment())
    m.enable_timing("teach")
    m.disable_timing()
    m.load_elf(prog.to_elf())
    assert m.run().reason is StopReason.EXIT
    assert m.csr["mcycle"] == m.instret


def test_mret_is_charged_the_taken_penalty_where_it_is_an_ordinary_op():
    """mret transfers control, so the model treats it as a taken jump (docs/timing.md section 2.3): on
    teach (serialize_csr = false, so mret is not a serialising op) each of 100 mrets is charged
    taken_penalty cycles of taken-branch stall, as the first instruction it returns to waits for the
    fetch redirect."""
    from tests.strategies import CODE, MEM_SIZE, enc, program
    handler_at, user_at = 0x30000, 0x40000
    m = Machine("rv64gc", memory_size=MEM_SIZE)
    m.map(handler_at, 0x1000, "rwx")
    m.map(CODE, 0x1000, "rwx")
    m.map(user_at, 0x1000, "rwx")
    m.csr["mtvec"] = handler_at
    m.write(handler_at, program(enc("csrrs", rd=21, csr=0x341, rs1=0), enc("addi", rd=21, rs1=21, imm_i=4),
                                enc("csrrw", rd=0, csr=0x341, rs1=21), enc("mret")))
    m.write(user_at, program(enc("addi", rd=5, rs1=0, imm_i=100), enc("ecall"),
                             enc("addi", rd=5, rs1=5, imm_i=-1), enc("bne", rs1=5, rs2=0, imm_b=-8),
                             enc("jal", rd=0, imm_j=0)))
    m.pc, m.priv = user_at, 0
    m.enable_timing("teach")
    assert m.run(max_instructions=1000).reason == StopReason.HANG
    penalty = load_config("teach")["core"]["taken_penalty"]
    assert penalty > 0 and load_config("teach")["core"]["serialize_csr"] is False
    mret = m.timing.result().by_pc[handler_at + 12]
    assert mret.count == 100
    assert mret.stalls.get("taken_branch", 0) == 100 * penalty
