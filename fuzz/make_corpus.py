"""Regenerate the seed corpora in fuzz/corpus/ (small, committed; the fuzzers grow them in out/).

    PYTHONPATH=. python fuzz/make_corpus.py

exec/ and timing/: header variants (harness.h) + code from the test programs and the asm/ kernels.
elf/: the smallest test ELFs.  asm/: short real sources from asm/ and tests/programs/src.
"""
import hashlib
import random
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _write(directory: Path, data: bytes) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def code_chunks():
    from elftools.elf.elffile import ELFFile
    for elf in sorted((ROOT / "tests/programs/bin").glob("*.elf")):
        if elf.stat().st_size > 100_000:
            continue
        with open(elf, "rb") as fh:
            text = ELFFile(fh).get_section_by_name(".text")
            if text is not None:
                data = text.data()
                yield elf.stem, data[:1024]
    from rvsim.asm import assemble_files
    for src in sorted((ROOT / "asm").glob("*.s")):
        try:
            prog = assemble_files([src], march="rv64gcv_zfh_zvfh_zfbfmin_zvfbfwma_zvdot4a8i_zvt",
                                  include_dirs=[ROOT / "asm"])
        except Exception as exc:     # a kernel needing defsyms: skip it
            print(f"skip {src.name}: {exc}".splitlines()[0])
            continue
        yield src.stem, prog.to_binary()[:2048]


def header(rng: random.Random, everything: bool) -> bytes:
    h = bytearray(rng.randbytes(24))
    h[3] = (0x80 if everything else rng.choice([0x40, 0])) | rng.randrange(5) | (rng.randrange(8) << 3)
    h[5] = rng.choice([0x00, 0x08, 0x10, 0x18, 0xd1, 0x03, 0x13])     # e8m1, e16, e32, e64, fractional...
    h[6] = rng.choice([1, 4, 17, 255])
    h[8] |= 0x80
    return bytes(h)


def main() -> None:
    rng = random.Random(15)
    corpus = HERE / "corpus"
    for name, code in code_chunks():
        for target in ("exec", "timing"):
            data = header(rng, everything=True) + code
            if target == "timing":
                data += bytes(rng.randrange(256) for _ in range(16))
            _write(corpus / target, data)
    # a few tiny hand-made ones: a loop, an ecall, vector set-up only
    loop = struct.pack("<III", 0x00150513, 0xfe051ee3, 0x00000073)   # addi a0,a0,1; bnez a0,-4; ecall
    for everything in (True, False):
        _write(corpus / "exec", header(rng, everything) + loop)
        _write(corpus / "timing", header(rng, everything) + loop + bytes(range(0, 32, 2)))
    for elf in sorted((ROOT / "tests/programs/bin").glob("*.elf"), key=lambda p: p.stat().st_size)[:4]:
        _write(corpus / "elf", elf.read_bytes())
    sources = sorted((ROOT / "tests/programs/src").glob("*.[sS]")) + sorted((ROOT / "asm").glob("*.s"))
    for src in sources:
        text = src.read_bytes()
        if len(text) < 12_000:
            _write(corpus / "asm", text)


if __name__ == "__main__":
    main()
