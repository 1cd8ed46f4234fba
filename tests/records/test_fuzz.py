"""Damaged records of every syntax: described in plain words, never by the catch-all that
stands in for Polycat's own bugs, never an exception, the bytes always kept."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.records import read_record
from app.records.opac import encode_opac
from tests.records.helpers import OPAC, SUTRS, UNIMARC, XML, df, iso, yaz_marcdump
from tests.records.test_dc import OAI_DC
from tests.records.test_mods import COPAC_ARTICLE, COPAC_BOOK
from tests.records.test_sutrs import FIRSTSEARCH_FULL
from tests.records.test_unimarc import hugo, iso5426_record

MARC = iso(df("245", "10", ("a", "Title")), df("020", "  ", ("a", "0198526636")))
SAMPLES = {
    "marcxml": (XML, yaz_marcdump(MARC, "-o", "marcxml")),
    "mods": (XML, COPAC_BOOK.encode()),
    "mods-article": (XML, COPAC_ARTICLE.encode()),
    "dc": (XML, OAI_DC.encode()),
    "sutrs": (SUTRS, FIRSTSEARCH_FULL.encode()),
    "opac": (OPAC, encode_opac(MARC, [{"nucCode": "DLC", "callNumber": "QH365"}],
                               circulation=[[{"availableNow": True}]])),
    "unimarc": (UNIMARC, hugo()),
    "unimarc-5426": (UNIMARC, iso5426_record()),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_records_never_hit_the_catch_all(name: str, data: st.DataObject) -> None:
    oid, good = SAMPLES[name]
    damaged = bytearray(good)
    for _ in range(data.draw(st.integers(0, 6))):
        where = data.draw(st.integers(0, len(damaged) - 1))
        damaged[where] = data.draw(st.integers(0, 255))
    sample = bytes(damaged[: data.draw(st.integers(1, len(damaged)))])
    rec = read_record(oid, sample)
    assert rec.original is not None and rec.original.data == sample
    assert rec.error is None or not rec.error.startswith("Polycat could not read"), rec.error
