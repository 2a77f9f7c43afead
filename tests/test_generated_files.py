"""Files generated from the ISA table are checked in; they must be regenerated when it changes."""
from rvsim.isa import gen_c, gen_docs


def test_c_decoder_is_fresh():
    assert gen_c.main(["--check"]) == 0, "run `python -m rvsim.isa.gen_c`"


def test_isa_coverage_doc_is_fresh():
    assert gen_docs.main(["--check"]) == 0, "run `python -m rvsim.isa.gen_docs`"
