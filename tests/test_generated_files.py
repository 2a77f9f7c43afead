"""Files generated from the ISA table are checked in; they must be regenerated when it changes."""
from rvsim.isa import gen_c, gen_docs


def test_c_decoder_is_fresh():
    assert gen_c.main(["--check"]) == 0, "run `python -m rvsim.isa.gen_c`"


def test_isa_coverage_doc_is_fresh():
    assert gen_docs.main(["--check"]) == 0, "run `python -m rvsim.isa.gen_docs`"


def test_pre_parsed_records_equal_the_parsed_table():
    from rvsim import isa
    from rvsim.isa import records
    from rvsim.isa.operands import OPERAND_KINDS
    isa.INSTRUCTIONS                                    # registers the vector and ML operand kinds
    loaded = records.load(OPERAND_KINDS)
    assert loaded is not None, "rvsim/isa/_records.py is missing or stale: run `python -m rvsim.isa.gen_c`"
    assert loaded == isa.parse_tables()
    assert all(a.operands[i] is b.operands[i] for a, b in zip(loaded, isa.parse_tables())
               for i in range(len(a.operands)))      # the very kind objects, not copies


def test_stale_records_are_not_used(monkeypatch):
    from rvsim.isa import _records, records
    from rvsim.isa.operands import OPERAND_KINDS
    monkeypatch.setattr(_records, "SOURCE_DIGEST", "0" * 64)
    assert records.load(OPERAND_KINDS) is None          # the table is parsed instead
