"""The vector unit's register-group bookkeeping against figures the model counted before it changed.

The chaining check keeps a producer's state once per register group it wrote (csrc/timing_vector_step.h,
vgroup_write / vgroup_wait; docs/timing.md section 4.6).  When a later instruction overwrites part of a
group, the registers left over must keep their old producer, and a source group that several
instructions wrote must be looked at register run by register run.  The program below does that at
every size: a group cut at its head, in its middle and at its end, a wider group read across pieces
written at LMUL 1 and 2, widening destinations, accumulating consumers (acc_latency), mask registers,
with loads among the producers (waits on memory) and arithmetic (chaining).  PINNED holds its figures
as main at 25d62ab counted them (one state record per register), with chaining, without it, and with
accumulator forwarding: any difference in cycles or in the vector unit's counters fails here.
"""
from __future__ import annotations

import copy

import pytest

from rvsim.asm import assemble
from rvsim.host import LinuxEnvironment
from rvsim.machine import Machine, StopReason

PROGRAM = """
        .globl  _start
_start: la      s0, buf
        li      s1, 12
        li      t0, 0x5a5a
        vsetivli zero, 1, e32, m1, ta, ma
        vmv.s.x v0, t0
1:      li      a0, 64
        vsetvli zero, a0, e32, m4, ta, ma
        vle32.v v4, (s0)                # v4-v7 (a load)
        vle32.v v12, (s0)               # v12-v15
        vsetvli zero, a0, e32, m1, ta, ma
        vfadd.vv v4, v1, v1             # the group's head only: v5-v7 keep the load
        vfmul.vv v6, v2, v2             # its middle: v5 | v6 | v7
        vfadd.vv v15, v3, v3            # the end of v12-v15
        vsetvli zero, a0, e32, m4, ta, ma
        vfadd.vv v16, v4, v12           # reads v4-v7 (four producers) and v12-v15 (two)
        vsetvli zero, a0, e32, m2, ta, ma
        vle32.v v8, (s0)                # v8-v9
        vfmacc.vv v10, v8, v8           # accumulates into v10-v11
        vfmacc.vv v10, v8, v8
        vsetvli zero, a0, e32, m8, ta, ma
        vfadd.vv v24, v8, v16           # v8-v15 (pieces of m2, m4 and m1) and v16-v23
        vsetvli zero, a0, e32, m2, ta, ma
        vfwmacc.vv v20, v2, v4          # widening: v20-v23, over v16-v23's second half
        vfwmacc.vv v20, v2, v4
        vsetvli zero, a0, e32, m4, ta, mu
        vfadd.vv v16, v20, v20, v0.t    # masked: v0 too
        vmflt.vv v1, v16, v24           # a mask destination (one register) inside nothing
        vsetvli zero, a0, e32, m1, ta, ma
        vle32.v v25, (s0)               # the middle of v24-v31
        vsetvli zero, a0, e32, m8, ta, ma
        vfmacc.vv v24, v8, v16          # accumulates into v24-v31 (two producers)
        vse32.v v24, (s0)
        addi    s0, s0, 256
        addi    s1, s1, -1
        bnez    s1, 1b
        li      a0, 0
        li      a7, 93
        ecall
        .data
        .align  6
buf:    .zero   8192
"""


def _config(chaining: bool, acc_latency: int):
    from rvsim.timing import load_config, parse_config
    data = copy.deepcopy(load_config("x60"))
    data["vector"]["chaining"] = chaining
    data["vector"]["acc_latency"] = acc_latency
    return parse_config(data)


CASES = {
    "chaining_acc1": (True, 1),     # x60 as shipped
    "chaining_acc8": (True, 8),
    "no_chaining": (False, 0),
    "no_chaining_acc2": (False, 2),
}


def figures(name: str) -> dict:
    chaining, acc = CASES[name]
    m = Machine("rv64gcv", vlen=256, env=LinuxEnvironment())
    t = m.enable_timing(_config(chaining, acc))
    m.load_elf(assemble(PROGRAM, march="rv64gcv").to_elf())
    info = m.run()
    assert info.reason is StopReason.EXIT and info.exit_code == 0, info
    totals = t.totals()
    return {"cycles": totals["cycles"], "vector": totals["vector"], "stalls": totals["stalls"]}


PINNED = {'chaining_acc1': {'cycles': 1777,
                   'stalls': {'dcache': 0,
                              'dep_alu': 26,
                              'dep_fp': 0,
                              'dep_load': 0,
                              'dep_muldiv': 0,
                              'dep_vector': 0,
                              'icache': 545,
                              'mispredict': 110,
                              'serialize': 56,
                              'taken_branch': 0,
                              'unit': 0,
                              'vector_queue': 912,
                              'waw': 0},
                   'vector': {'busy': {'arith': 1129, 'memory': 492, 'permute': 0, 'tile': 0},
                              'elements': 5569,
                              'instructions': 205,
                              'queue_full': {'chaining': 95, 'memory': 327, 'pipe_busy': 490, 'scalar': 0},
                              'queue_wait': 1192,
                              'wait': {'chaining': 132, 'memory': 494, 'pipe_busy': 566, 'scalar': 180}}},
 'chaining_acc8': {'cycles': 1835,
                   'stalls': {'dcache': 0,
                              'dep_alu': 26,
                              'dep_fp': 0,
                              'dep_load': 0,
                              'dep_muldiv': 0,
                              'dep_vector': 0,
                              'icache': 545,
                              'mispredict': 110,
                              'serialize': 56,
                              'taken_branch': 0,
                              'unit': 0,
                              'vector_queue': 970,
                              'waw': 0},
                   'vector': {'busy': {'arith': 1129, 'memory': 492, 'permute': 0, 'tile': 0},
                              'elements': 5569,
                              'instructions': 205,
                              'queue_full': {'chaining': 184, 'memory': 327, 'pipe_busy': 459, 'scalar': 0},
                              'queue_wait': 1252,
                              'wait': {'chaining': 216, 'memory': 494, 'pipe_busy': 542, 'scalar': 178}}},
 'no_chaining': {'cycles': 2371,
                 'stalls': {'dcache': 0,
                            'dep_alu': 26,
                            'dep_fp': 0,
                            'dep_load': 0,
                            'dep_muldiv': 0,
                            'dep_vector': 0,
                            'icache': 545,
                            'mispredict': 110,
                            'serialize': 92,
                            'taken_branch': 0,
                            'unit': 0,
                            'vector_queue': 1471,
                            'waw': 0},
                 'vector': {'busy': {'arith': 1129, 'memory': 492, 'permute': 0, 'tile': 0},
                            'elements': 5569,
                            'instructions': 205,
                            'queue_full': {'chaining': 719, 'memory': 463, 'pipe_busy': 289, 'scalar': 0},
                            'queue_wait': 1788,
                            'wait': {'chaining': 876, 'memory': 646, 'pipe_busy': 266, 'scalar': 178}}},
 'no_chaining_acc2': {'cycles': 2299,
                      'stalls': {'dcache': 0,
                                 'dep_alu': 26,
                                 'dep_fp': 0,
                                 'dep_load': 0,
                                 'dep_muldiv': 0,
                                 'dep_vector': 0,
                                 'icache': 545,
                                 'mispredict': 110,
                                 'serialize': 89,
                                 'taken_branch': 0,
                                 'unit': 0,
                                 'vector_queue': 1402,
                                 'waw': 0},
                      'vector': {'busy': {'arith': 1129, 'memory': 492, 'permute': 0, 'tile': 0},
                                 'elements': 5569,
                                 'instructions': 205,
                                 'queue_full': {'chaining': 650,
                                                'memory': 463,
                                                'pipe_busy': 289,
                                                'scalar': 0},
                                 'queue_wait': 1716,
                                 'wait': {'chaining': 804, 'memory': 646, 'pipe_busy': 266, 'scalar': 178}}}}


@pytest.mark.parametrize("name", sorted(CASES))
def test_register_groups_match_the_per_register_model(name):
    assert figures(name) == PINNED[name]
