"""Dublin Core (oai_dc) and OCLC's 15-element XML records."""

from __future__ import annotations

from app.records import Link, Name, read_record
from tests.records.helpers import XML

OAI_DC = """<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
    xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:title>The origin of species : by means of natural selection / Charles Darwin</dc:title>
  <dc:creator>Darwin, Charles, 1809-1882</dc:creator>
  <dc:contributor>Gillian Beer</dc:contributor>
  <dc:contributor>Royal Society of London</dc:contributor>
  <dc:subject>Evolution (Biology)</dc:subject>
  <dc:subject>Natural selection.</dc:subject>
  <dc:description>Darwin's theory of natural selection.</dc:description>
  <dc:publisher>London : John Murray, 1859</dc:publisher>
  <dc:date>1859</dc:date>
  <dc:type>Text</dc:type>
  <dc:format>ix, 502 p.</dc:format>
  <dc:identifier>ISBN 0198526636</dc:identifier>
  <dc:identifier>urn:ISBN:978-0-306-40615-7</dc:identifier>
  <dc:identifier>info:oclcnum/12345</dc:identifier>
  <dc:identifier>https://archive.org/details/originofspecies</dc:identifier>
  <dc:language>en</dc:language>
  <dc:rights>Public domain</dc:rights>
</oai_dc:dc>"""

# OCLC's XML syntax: fifteen unqualified elements in a plain record
OCLC_XML = """<?xml version="1.0" encoding="ISO-8859-1"?>
<oclcdcs>
  <title>Grüße aus Köln</title>
  <creator>Hans Müller</creator>
  <creator>Universität zu Köln</creator>
  <date>c2001</date>
  <publisher>Köln : Emons</publisher>
  <identifier>(OCoLC)ocm45678901</identifier>
  <identifier>3897050838</identifier>
  <type>Thesis/dissertation</type>
  <language>ger</language>
  <source>WorldCat</source>
</oclcdcs>""".encode("latin-1")


def test_oai_dc() -> None:
    rec = read_record(XML, OAI_DC.encode())
    assert rec.error is None
    assert rec.original is not None and rec.original.syntax == "dc"
    assert (rec.title, rec.subtitle, rec.responsibility) == (
        "The origin of species", "by means of natural selection", "Charles Darwin"
    )
    assert rec.names == (
        Name("Darwin, Charles", "author", "personal", "1809-1882"),
        Name("Beer, Gillian", "contributor", "personal"),
        Name("Royal Society of London", "contributor", "corporate"),
    )
    assert (rec.place, rec.publisher, rec.year, rec.date) == (
        "London", "John Murray", 1859, "1859"
    )
    assert rec.valid_isbns == ("9780198526636", "9780306406157")
    assert rec.oclc_numbers == ("12345",)
    assert rec.urls == (Link("https://archive.org/details/originofspecies"),)
    assert rec.subjects == ("Evolution (Biology)", "Natural selection")
    assert rec.notes == ("Darwin's theory of natural selection.", "Rights: Public domain")
    assert (rec.language, rec.physical, rec.material) == ("eng", "ix, 502 p.", "book")


def test_oclc_fifteen_element_xml() -> None:
    rec = read_record(XML, OCLC_XML)
    assert rec.original is not None and rec.original.syntax == "oclcxml"
    assert rec.title == "Grüße aus Köln"
    assert rec.names == (
        Name("Müller, Hans", "author", "personal"),
        Name("Universität zu Köln", "author", "corporate"),
    )
    assert (rec.place, rec.publisher, rec.year, rec.date) == ("Köln", "Emons", 2001, "c2001")
    assert rec.oclc_numbers == ("45678901",)
    assert rec.valid_isbns == ("9783897050839",)
    assert (rec.material, rec.language) == ("thesis", "ger")
    assert rec.notes == ("Source: WorldCat",)
