"""MARCXML and turbomarc (written by yaz-marcdump), and XML that must be refused safely."""

from __future__ import annotations

import pytest

from app.records import read_bytes, read_record, record_to_json
from tests.records.helpers import USMARC, XML, cf, df, iso, to_marc8, yaz_marcdump

RECORD = iso(
    cf("001", "12345"),
    cf("008", "860506s1859    enk           000 0 eng d"),
    df("020", "  ", ("a", "0198526636 (pbk.)")),
    df("100", "1 ", ("a", "Darwin, Charles,"), ("d", "1809-1882.")),
    df("245", "14", ("a", "The origin of species :"), ("b", "by means of natural selection /"),
       ("c", "by Charles Darwin.")),
    df("264", " 1", ("a", "London :"), ("b", "John Murray,"), ("c", "1859.")),
    df("650", " 0", ("a", "Evolution (Biology)"), ("x", "Müller-Lyer illusion.")),
    df("700", "1 ", ("a", "Ørsted, Hans Christian,"), ("e", "editor.")),
)


def without_provenance(record: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in record.items() if k not in ("syntax", "warnings")}


def test_marcxml_from_yaz_reads_like_the_iso2709_it_came_from() -> None:
    xml = yaz_marcdump(RECORD, "-o", "marcxml")
    assert b"http://www.loc.gov/MARC21/slim" in xml
    from_xml = read_record(XML, xml)
    from_iso = read_record(USMARC, RECORD)
    assert from_xml.error is None
    assert from_xml.original is not None and from_xml.original.syntax == "marcxml"
    assert without_provenance(record_to_json(from_xml)) == without_provenance(
        record_to_json(from_iso)
    )
    assert from_xml.title == "The origin of species"
    assert from_xml.editors[0].name == "Ørsted, Hans Christian"


def test_marcxml_from_a_marc8_record_via_yaz() -> None:
    xml = yaz_marcdump(to_marc8(RECORD), "-f", "MARC-8", "-t", "UTF-8", "-o", "marcxml")
    rec = read_record(XML, xml)
    assert rec.subjects == ("Evolution (Biology) -- Müller-Lyer illusion",)


def test_turbomarc_from_yaz() -> None:
    xml = yaz_marcdump(RECORD, "-o", "turbomarc")
    rec = read_record(XML, xml)
    assert rec.error is None
    assert rec.original is not None and rec.original.syntax == "turbomarc"
    assert (rec.title, rec.year, rec.valid_isbns) == (
        "The origin of species", 1859, ("9780198526636",)
    )


def test_a_marcxml_collection_file_gives_every_record() -> None:
    second = iso(df("245", "10", ("a", "Second record.")))
    xml = yaz_marcdump(RECORD + second, "-o", "marcxml")
    assert xml.count(b"<record") == 2
    records = read_bytes(xml)
    assert [r.title for r in records] == ["The origin of species", "Second record"]
    assert [r.position for r in records] == [1, 2]
    # each record keeps its own XML, which reads back to the same record
    again = [read_record(XML, r.original.data) for r in records if r.original is not None]
    assert [r.title for r in again] == ["The origin of species", "Second record"]


def test_marcxml_without_namespace_and_with_a_wrapper() -> None:
    xml = b"""<?xml version="1.0"?>
    <response><records><record>
      <leader>00000nam a2200000 a 4500</leader>
      <datafield tag="245" ind1="0" ind2="0"><subfield code="a">Wrapped title.</subfield>
      </datafield></record></records></response>"""
    rec = read_record(XML, xml)
    assert rec.title == "Wrapped title"


def test_oid_says_marc_but_the_record_is_xml() -> None:
    rec = read_record(USMARC, yaz_marcdump(RECORD, "-o", "marcxml"))
    assert rec.title == "The origin of species"
    assert "the record syntax says MARC but the record is XML" in rec.warnings


def test_oid_says_xml_but_the_record_is_iso2709() -> None:
    rec = read_record(XML, RECORD)
    assert rec.title == "The origin of species"
    assert "the record syntax says XML but the record is ISO 2709 MARC" in rec.warnings


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<record xmlns="http://www.loc.gov/MARC21/slim"><datafield tag="245" ind1="0" ind2="0">
<subfield code="a">&lol9;</subfield></datafield></record>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE record [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<mods xmlns="http://www.loc.gov/mods/v3"><titleInfo><title>&secret;</title></titleInfo></mods>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE mods SYSTEM "http://127.0.0.1:9/evil.dtd">
<mods xmlns="http://www.loc.gov/mods/v3"><titleInfo><title>&evil;</title></titleInfo></mods>"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_hostile_xml_becomes_an_error_record(hostile: bytes) -> None:
    rec = read_record(XML, hostile, target="Evil", position=1)
    assert rec.error is not None
    assert "root:" not in rec.error and "lollol" not in rec.error
    assert rec.title == ""
    assert rec.original is not None and rec.original.data == hostile
    assert rec.target == "Evil"


def test_billion_laughs_is_refused_for_what_it_is() -> None:
    rec = read_record(XML, BILLION_LAUGHS)
    assert rec.error is not None and "declares entities" in rec.error


def test_malformed_xml_says_where() -> None:
    rec = read_record(XML, b"<record><datafield tag='245'>")
    assert rec.error is not None and rec.error.startswith("the XML is not well-formed")


def test_xml_of_another_kind_is_an_error() -> None:
    rec = read_record(XML, b"<html><body>Service unavailable</body></html>")
    assert rec.error == "the XML is not MARCXML, MODS or Dublin Core, so Polycat cannot read it"


def test_records_cut_from_a_prefixed_collection_stand_alone() -> None:
    xml = yaz_marcdump(RECORD + iso(df("245", "10", ("a", "Second record."))), "-o", "marcxml")
    prefixed = (
        xml.replace(b"<collection xmlns=", b"<marc:collection xmlns:xlink='x:y' xmlns:marc=")
        .replace(b"</collection", b"</marc:collection")
        .replace(b"<record", b"<marc:record")
        .replace(b"</record", b"</marc:record")
        .replace(b"<leader", b"<marc:leader")
        .replace(b"</leader", b"</marc:leader")
        .replace(b"<controlfield", b"<marc:controlfield")
        .replace(b"</controlfield", b"</marc:controlfield")
        .replace(b"<datafield", b"<marc:datafield")
        .replace(b"</datafield", b"</marc:datafield")
        .replace(b"<subfield", b"<marc:subfield")
        .replace(b"</subfield", b"</marc:subfield")
    )
    records = read_bytes(prefixed)
    assert [r.title for r in records] == ["The origin of species", "Second record"]
    for rec in records:
        assert rec.original is not None
        assert rec.original.data.startswith(b"<marc:record xmlns:xlink='x:y' xmlns:marc=")
        assert read_record(XML, rec.original.data).title == rec.title


def test_records_in_another_encoding_are_serialised_again() -> None:
    doc = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<collection xmlns="http://www.loc.gov/MARC21/slim">'
        '<record><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Grüße</subfield>'
        "</datafield></record><record><datafield tag=\"245\" ind1=\"0\" ind2=\"0\">"
        '<subfield code="a">Köln</subfield></datafield></record></collection>'
    ).encode("latin-1")
    records = read_bytes(doc)
    assert [r.title for r in records] == ["Grüße", "Köln"]
    assert [read_record(XML, r.original.data).title for r in records if r.original] == [
        "Grüße", "Köln"
    ]
