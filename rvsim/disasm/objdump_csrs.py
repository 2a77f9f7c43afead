"""The CSR names GNU objdump 2.40 prints for privileged spec 1.12 (its choice for code without a priv-spec
attribute, such as a raw binary), by number; other numbers print as hex.

Besides the machine/supervisor CSRs this includes the unprivileged, debug, hypervisor and AIA CSRs
objdump knows and the RV32-only ``...h`` halves, and leaves out newer ones it does not know (those of
:mod:`rvsim.isa.csrs` such as jvt, sctrctl or mcyclecfg).  Checked against
tests/golden/encodings_csrs.tsv (every number 0..4095).
"""
from __future__ import annotations


def _names() -> dict[int, str]:
    out: dict[int, str] = {}

    def put(base: int, *names: str) -> None:
        for i, name in enumerate(names):
            if name:
                out[base + i] = name

    def series(base: int, fmt: str, first: int, last: int) -> None:
        for n in range(first, last + 1):
            out[base + n - first] = fmt.format(n)

    put(0x001, "fflags", "frm", "fcsr")
    put(0x008, "vstart", "vxsat", "vxrm")
    put(0x00F, "vcsr")
    put(0x015, "seed")
    put(0x100, "sstatus")
    put(0x104, "sie", "stvec", "scounteren")
    put(0x10A, "senvcfg")
    series(0x10C, "sstateen{}", 0, 3)
    put(0x114, "sieh")
    put(0x140, "sscratch", "sepc", "scause", "stval", "sip")
    put(0x14D, "stimecmp")
    put(0x150, "siselect", "sireg")
    put(0x154, "siph")
    put(0x15C, "stopei", "stimecmph")
    put(0x180, "satp")
    put(0x200, "vsstatus")
    put(0x204, "vsie", "vstvec")
    put(0x214, "vsieh")
    put(0x240, "vsscratch", "vsepc", "vscause", "vstval", "vsip")
    put(0x24D, "vstimecmp")
    put(0x250, "vsiselect", "vsireg")
    put(0x254, "vsiph")
    put(0x25C, "vstopei", "vstimecmph")
    put(0x280, "vsatp")
    put(0x300, "mstatus", "misa", "medeleg", "mideleg", "mie", "mtvec", "mcounteren")
    put(0x308, "mvien", "mvip", "menvcfg")
    series(0x30C, "mstateen{}", 0, 3)
    put(0x310, "mstatush")
    put(0x313, "midelegh", "mieh")
    put(0x318, "mvienh", "mviph", "menvcfgh")
    series(0x31C, "mstateen{}h", 0, 3)
    put(0x320, "mcountinhibit")
    series(0x323, "mhpmevent{}", 3, 31)
    put(0x340, "mscratch", "mepc", "mcause", "mtval", "mip")
    put(0x34A, "mtinst", "mtval2")
    put(0x350, "miselect", "mireg")
    put(0x354, "miph")
    put(0x35C, "mtopei")
    series(0x3A0, "pmpcfg{}", 0, 15)
    series(0x3B0, "pmpaddr{}", 0, 63)
    put(0x5A8, "scontext")
    put(0x600, "hstatus", "", "hedeleg", "hideleg", "hie", "htimedelta", "hcounteren", "hgeie",
        "hvien", "hvictl", "henvcfg")
    series(0x60C, "hstateen{}", 0, 3)
    put(0x613, "hidelegh")
    put(0x615, "htimedeltah")
    put(0x618, "hvienh")
    put(0x61A, "henvcfgh")
    series(0x61C, "hstateen{}h", 0, 3)
    put(0x643, "htval", "hip", "hvip", "hviprio1", "hviprio2")
    put(0x64A, "htinst")
    put(0x655, "hviph", "hviprio1h", "hviprio2h")
    put(0x680, "hgatp")
    put(0x6A8, "hcontext")
    series(0x723, "mhpmevent{}h", 3, 31)
    put(0x7A0, "tselect", "tdata1", "tdata2", "tdata3", "tinfo", "tcontrol")
    put(0x7A8, "mcontext")
    put(0x7AA, "mscontext")
    put(0x747, "mseccfg")
    put(0x757, "mseccfgh")
    put(0x7B0, "dcsr", "dpc", "dscratch0", "dscratch1")
    put(0xB00, "mcycle", "", "minstret")
    series(0xB03, "mhpmcounter{}", 3, 31)
    put(0xB80, "mcycleh", "", "minstreth")
    series(0xB83, "mhpmcounter{}h", 3, 31)
    put(0xC00, "cycle", "time", "instret")
    series(0xC03, "hpmcounter{}", 3, 31)
    put(0xC20, "vl", "vtype", "vlenb")
    put(0xC80, "cycleh", "timeh", "instreth")
    series(0xC83, "hpmcounter{}h", 3, 31)
    put(0xDA0, "scountovf")
    put(0xDB0, "stopi")
    put(0xE12, "hgeip")
    put(0xEB0, "vstopi")
    put(0xF11, "mvendorid", "marchid", "mimpid", "mhartid", "mconfigptr")
    put(0xFB0, "mtopi")
    return out


OBJDUMP_CSR_NAMES: dict[int, str] = _names()
