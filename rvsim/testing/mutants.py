"""The mutation benchmark: how good are the strategies at finding real bugs?

:data:`BUGS` lists single-instruction bugs of the kind simulators and RTL get wrong (sign and zero
extension, operand order, W-forms, boundary values, rounding modes, NaN boxing, vl/vstart/tail/mask
policies, EEW/EMUL).  Each is a switch on the independent reference simulator
:class:`rvsim.testing.refsim.RefSim`.  :func:`hunt` runs ``programs()`` against the reference with one
bug switched on, through :func:`rvsim.testing.compare` as any user callback, and records whether
hypothesis found a divergence within ``max_examples`` programs, after how many, and how long shrinking
the failing program took.  :func:`score` does it for every bug.

    python benchmarks/bench_mutation.py            # the table and the total
    python benchmarks/bench_mutation.py i-sraw-logical v-vle-ignores-vstart

Programs are drawn for the bug's extension group (``GROUPS``), as a verification engineer tests one
extension at a time; the V group is limited to the part of V the reference models
(:data:`rvsim.testing.refsim.VECTOR_MNEMONICS`).
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

# name: (group, what is wrong)
BUGS = {
    # I
    "i-sraw-logical": ("I", "sraw shifts in zeros"),
    "i-sltiu-zext-imm": ("I", "sltiu zero-extends its immediate"),
    "i-subw-no-sext": ("I", "subw zero-extends its 32-bit result"),
    "i-bgeu-signed": ("I", "bgeu compares signed"),
    "i-blt-unsigned": ("I", "blt compares unsigned"),
    "i-lb-zext": ("I", "lb zero-extends"),
    "i-lwu-sext": ("I", "lwu sign-extends"),
    "i-srai-5bit": ("I", "srai uses only 5 bits of its shift amount"),
    "i-sll-5bit": ("I", "sll uses only 5 bits of rs2"),
    "i-addiw-no-sext": ("I", "addiw zero-extends its 32-bit result"),
    # M
    "m-mulhsu-signed": ("M", "mulhsu treats rs2 as signed"),
    "m-divw-by-zero-0": ("M", "divw by zero gives 0 instead of -1"),
    "m-remu-by-zero-0": ("M", "remu by zero gives 0 instead of the dividend"),
    "m-div-overflow": ("M", "div of INT64_MIN by -1 gives 0 instead of INT64_MIN"),
    "m-mulw-no-sext": ("M", "mulw zero-extends its 32-bit result"),
    "m-rem-sign-divisor": ("M", "rem takes the sign of the divisor (floored)"),
    # A
    "a-amomax-w-unsigned": ("A", "amomax.w compares unsigned"),
    "a-amominu-d-signed": ("A", "amominu.d compares signed"),
    "a-amoadd-w-zext": ("A", "amoadd.w returns the old value zero-extended"),
    "a-sc-inverted": ("A", "sc.d writes 1 on success and 0 on failure"),
    # C
    "c-srai-logical": ("C", "c.srai shifts in zeros"),
    "c-addiw-no-sext": ("C", "c.addiw zero-extends its 32-bit result"),
    "c-lw-zext": ("C", "c.lw zero-extends"),
    "c-andi-zext-imm": ("C", "c.andi zero-extends its 6-bit immediate"),
    "c-subw-no-sext": ("C", "c.subw zero-extends its 32-bit result"),
    # F
    "f-fmin-zero-sign": ("F", "fmin.s(-0, +0) returns its second operand (ignores the order of zeros)"),
    "f-fmax-nan": ("F", "fmax.s with one NaN operand returns NaN instead of the other operand"),
    "f-feq-signals": ("F", "feq.s raises NV for quiet NaNs"),
    "f-fcvt-w-s-rtz": ("F", "fcvt.w.s ignores the rounding mode (always truncates)"),
    "f-fcvt-wu-s-neg": ("F", "fcvt.wu.s of a negative value wraps instead of saturating to 0"),
    "f-fmadd-s-double-round": ("F", "fmadd.s rounds the product before adding"),
    "f-fmv-x-w-zext": ("F", "fmv.x.w zero-extends"),
    "f-fdiv-s-no-dz": ("F", "fdiv.s by zero does not raise DZ"),
    "f-nanbox-s-ignored": ("F", "fadd.s reads an improperly NaN-boxed operand as its low 32 bits"),
    # D
    "d-fcvt-s-d-overflow-max": ("D", "fcvt.s.d overflows to the largest finite value whatever the rounding mode"),
    "d-fcvt-l-d-nan-min": ("D", "fcvt.l.d of NaN gives INT64_MIN instead of INT64_MAX"),
    "d-fmin-d-snan-no-nv": ("D", "fmin.d does not raise NV for a signalling NaN"),
    "d-fle-d-quiet": ("D", "fle.d does not raise NV for a quiet NaN"),
    "d-fcvt-d-wu-sext": ("D", "fcvt.d.wu sign-extends its source"),
    "d-fsqrt-d-rm": ("D", "fsqrt.d ignores the rounding mode (always RNE)"),
    # Zba / Zbb / Zbs
    "zb-clzw-64": ("Zb", "clzw counts over 64 bits"),
    "zb-cpopw-64": ("Zb", "cpopw counts all 64 bits"),
    "zb-rolw-no-sext": ("Zb", "rolw zero-extends its 32-bit result"),
    "zb-sh1add-uw-no-zext": ("Zb", "sh1add.uw does not zero-extend rs1"),
    "zb-bext-5bit": ("Zb", "bext uses only 5 bits of rs2"),
    "zb-min-unsigned": ("Zb", "min compares unsigned"),
    "zb-sext-h-from-b": ("Zb", "sext.h sign-extends from bit 7"),
    # Zfh
    "h-fcvt-h-s-rtz": ("Zfh", "fcvt.h.s truncates whatever the rounding mode"),
    "h-nanbox-ignored": ("Zfh", "fadd.h reads an improperly NaN-boxed operand as its low 16 bits"),
    "h-fmv-x-h-zext": ("Zfh", "fmv.x.h zero-extends"),
    "h-fclass-h-subnormal-as-normal": ("Zfh", "fclass.h reports subnormals as normal"),
    # V
    "v-vadd-vx-unmasked": ("V", "vadd.vx ignores the mask"),
    "v-vsra-logical": ("V", "vsra.vv shifts in zeros"),
    "v-vle-ignores-vstart": ("V", "unit-stride loads start at element 0 whatever vstart"),
    "v-tu-tail-written": ("V", "vadd.vv with tail-undisturbed writes the tail up to VLMAX"),
    "v-vwadd-vv-zext": ("V", "vwadd.vv zero-extends its operands (as vwaddu)"),
    "v-vnsrl-shamt-sew": ("V", "vnsrl masks the shift amount to SEW instead of 2*SEW bits"),
    "v-vle16-uses-sew": ("V", "vle16.v uses SEW instead of its EEW of 16"),
    "v-vmslt-vx-unsigned": ("V", "vmslt.vx compares unsigned"),
    "v-vsetvli-ignores-lmul": ("V", "vsetvli computes VLMAX as if LMUL were 1 when LMUL > 1"),
    "v-vfadd-rm": ("V", "vfadd ignores frm (always RNE)"),
    "v-vmseq-tail-cleared": ("V", "vmseq.vv clears the mask tail (agnostic means undisturbed or ones)"),
    "v-vredsum-ignores-vs1": ("V", "vredsum.vs leaves out vs1[0]"),
    "v-vzext-vf2-sext": ("V", "vzext.vf2 sign-extends"),
}

CSR_MNEMONICS = frozenset({"csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci"})


# The unit each group tests: the extensions whose instructions the programs consist of (besides the
# scaffolding every program has: register setup, loops, the signature).  I is tested as the whole base
# ISA; every other group as the extension on its own, the way a verification engineer tests one unit
# (the M programs are M instructions on edge-value operands, not mostly base instructions).
UNITS = {"I": ("i",), "M": ("m",), "A": ("a",), "C": ("c",), "F": ("f", "zicsr"), "D": ("d", "zicsr"),
         "Zb": ("zba", "zbb", "zbs"), "Zfh": ("zfh", "zfhmin", "zicsr"), "V": ("v", "zicsr")}


@lru_cache(maxsize=None)
def group_options(group: str) -> dict:
    """programs() options for a bug group: the ISA (F-only programs are not possible: the harness loads
    the f registers with fld, so F is tested with D present, and Zfh with F and D) and ``include``, the
    mnemonics of the unit under test (:data:`UNITS`; for V, the part of V the reference models,
    :data:`rvsim.testing.refsim.VECTOR_MNEMONICS`, and vsetvl/vsetvli/vsetivli)."""
    from .. import isa as isa_table
    from .refsim import VECTOR_MNEMONICS
    from .strategies import generated_mnemonics
    isa = {"I": "rv64i", "M": "rv64im", "A": "rv64ia", "C": "rv64ic", "F": "rv64ifd", "D": "rv64ifd",
           "Zb": "rv64i_zba_zbb_zbs", "Zfh": "rv64ifd_zfh", "V": "rv64iv"}[group]
    opts: dict = {"extensions": isa}
    if group != "I":
        unit = {r.mnemonic for r in isa_table.RECORDS if set(r.extensions) & set(UNITS[group])}
        names = generated_mnemonics(isa) & unit
        if group == "V":
            names = {m for m in names if m in VECTOR_MNEMONICS or m.startswith("vset") or m in CSR_MNEMONICS}
            opts["vstart"] = True
        opts["include"] = frozenset(names)
    return opts


@dataclass
class Hunt:
    bug: str
    caught: bool
    examples: int | None          # programs drawn up to the first divergence
    shrink_seconds: float | None  # from the first divergence to the minimal example (wall clock)
    seconds: float                # the whole hunt (wall clock)
    shrink_cpu: float | None = None   # the same as shrink_seconds in CPU time of this process
    report: str = ""              # the minimal failing program's report
    shrink_runs: int | None = None    # programs run from the first divergence to the end (shrinking)
    minimal_size: int | None = None   # instructions under test in the minimal failing program
    minimal_lines: int | None = None  # lines of its listing (setup and scaffolding included)
    minimal: object = None            # the minimal failing TestProgram


@contextmanager
def _without_local_constants():
    """Hypothesis (6.131 and later) draws about one integer in twenty from constants it finds in the
    source of every non-library module loaded so far: which programs a hunt draws would then depend on
    what else the process imported (the benchmark script, other test files under pytest).  The
    benchmark switches that pool off so that its figures do not depend on where it runs.  (A hypothesis
    without these internals is left as it is.)"""
    try:
        from hypothesis.internal.conjecture import providers
        empty = providers.Constants()
        cache, original = providers.CONSTANTS_CACHE, providers._get_local_constants
    except (ImportError, AttributeError):
        yield
        return
    cache.cache.clear()
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.cache.clear()


def _hypothesis_test(group: str, max_examples: int, seed: int, body, shrink: bool = True):
    """``body(program)`` under ``@given(programs(...))`` for ``group``, with the benchmark's settings (the
    same for :func:`hunt` and :func:`draw_group`, so both see the same programs)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    from .strategies import programs

    @hypothesis_seed(seed)
    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.target] + [Phase.shrink] * shrink,
              report_multiple_bugs=False, print_blob=False)
    @given(programs(**group_options(group)))
    def test(program):
        body(program)

    def run():
        with _without_local_constants():
            test()
    return run


def hunt(bug: str, max_examples: int = 200, seed: int = 0, shrink: bool = True) -> Hunt:
    """Hunt one bug: ``programs()`` for its group against ``RefSim(bug=bug)``, shrinking the failing
    program unless ``shrink=False``."""
    from .differential import compare
    from .refsim import RefSim

    reference = RefSim(bug=bug)
    count = runs = 0
    first: list[float] = []
    last: list = [None]

    def body(program):
        nonlocal count, runs
        if not first:
            count += 1
        else:
            runs += 1
        try:
            compare(program, against=reference)
        except AssertionError:
            if not first:
                first.append(time.perf_counter())
                first.append(time.process_time())
            last[0] = program
            raise

    test = _hypothesis_test(BUGS[bug][0], max_examples, seed, body, shrink)
    start = time.perf_counter()
    try:
        test()
    except AssertionError as e:
        end = time.perf_counter()
        minimal = last[0]
        return Hunt(bug, True, count, end - first[0], end - start, shrink_cpu=time.process_time() - first[1],
                    report=str(e), shrink_runs=runs, minimal_size=len(minimal),
                    minimal_lines=len(str(minimal).splitlines()), minimal=minimal)
    return Hunt(bug, False, None, None, time.perf_counter() - start)


def draw_group(group: str, max_examples: int = 200, seed: int = 0) -> list:
    """The programs :func:`hunt` draws for a bug of ``group`` before it finds a divergence: hypothesis's
    generation depends only on its seed and on the outcomes of earlier examples, all passing until the
    first divergence, so these are the same programs, in the same order, for every bug of the group."""
    out: list = []
    _hypothesis_test(group, max_examples, seed, out.append)()
    return out


def detect(bugs=None, max_examples: int = 200, seed: int = 0, progress=None) -> dict[str, int | None]:
    """For each bug, the number of programs :func:`hunt` draws up to and including the first that
    diverges (None: none of ``max_examples`` does), without shrinking.  The programs of a group are
    drawn once, and each is assembled and run on rvsim once (as :func:`hunt` does it, one program per
    executable, so addresses are the same), then on the reference once per bug.  Equivalent to
    ``hunt(bug).examples`` (tests/test_mutation_benchmark.py checks it) at a fraction of the cost."""
    from .differential import _compare_states
    from .harness import Batch, run_rvsim
    from .refsim import RefSim

    bugs = list(bugs or BUGS)
    out: dict[str, int | None] = {}
    for group in dict.fromkeys(BUGS[b][0] for b in bugs):
        runs = []
        for program in draw_group(group, max_examples, seed):
            batch = Batch([program])
            runs.append((batch.cases[0], run_rvsim(batch)[0]))
        for bug in (b for b in bugs if BUGS[b][0] == group):
            reference = RefSim(bug=bug)
            found = None
            for k, (case, mine) in enumerate(runs):
                if _compare_states(mine, reference(case))[1]:
                    found = k + 1
                    break
            out[bug] = found
            if progress:
                progress(bug, found)
    return {b: out[b] for b in bugs}


def score(bugs=None, max_examples: int = 200, seed: int = 0, progress=None) -> list[Hunt]:
    out = []
    for bug in bugs or BUGS:
        h = hunt(bug, max_examples, seed)
        out.append(h)
        if progress:
            progress(h)
    return out
