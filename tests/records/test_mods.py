"""MODS v3 as Copac and zebra serve it, written by hand after real Copac records."""

from __future__ import annotations

from app.records import Holding, HostItem, Link, Name, read_bytes, read_record
from tests.records.helpers import XML

COPAC_BOOK = """<?xml version="1.0" encoding="UTF-8"?>
<mods xmlns="http://www.loc.gov/mods/v3" xmlns:xlink="http://www.w3.org/1999/xlink"
      version="3.4">
  <titleInfo>
    <nonSort>The</nonSort>
    <title>origin of species by means of natural selection</title>
    <subTitle>or the preservation of favoured races in the struggle for life</subTitle>
  </titleInfo>
  <titleInfo type="alternative"><title>On the origin of species</title></titleInfo>
  <name type="personal" usage="primary">
    <namePart type="family">Darwin</namePart>
    <namePart type="given">Charles</namePart>
    <namePart type="date">1809-1882</namePart>
  </name>
  <name type="personal">
    <namePart>Beer, Gillian</namePart>
    <role><roleTerm type="text" authority="marcrelator">editor</roleTerm></role>
  </name>
  <name type="personal">
    <namePart>Bronn, Heinrich Georg, 1800-1862</namePart>
    <role><roleTerm type="code" authority="marcrelator">trl</roleTerm></role>
  </name>
  <name type="corporate"><namePart>Oxford University Press</namePart>
    <role><roleTerm type="text">publisher</roleTerm></role></name>
  <typeOfResource>text</typeOfResource>
  <genre authority="marcgt">book</genre>
  <originInfo>
    <place><placeTerm type="code" authority="marccountry">enk</placeTerm></place>
    <place><placeTerm type="text">Oxford</placeTerm></place>
    <publisher>Oxford University Press</publisher>
    <dateIssued>c1996</dateIssued>
    <dateIssued encoding="marc" keyDate="yes">1996</dateIssued>
    <edition>[New ed.]</edition>
    <issuance>monographic</issuance>
  </originInfo>
  <language><languageTerm authority="iso639-2b" type="code">eng</languageTerm></language>
  <physicalDescription>
    <form authority="marcform">print</form>
    <extent>xxix, 394 p. : ill. ; 19 cm.</extent>
  </physicalDescription>
  <abstract>Darwin's theory of evolution by natural selection.</abstract>
  <note>Originally published: London : John Murray, 1859.</note>
  <note type="bibliography">Includes bibliographical references and index.</note>
  <subject authority="lcsh"><topic>Evolution (Biology)</topic></subject>
  <subject authority="lcsh"><topic>Natural selection</topic><temporal>19th century</temporal>
  </subject>
  <subject authority="lcsh">
    <name type="personal"><namePart>Darwin, Charles</namePart>
      <namePart type="date">1809-1882</namePart></name>
    <genre>Correspondence</genre>
  </subject>
  <subject><geographic>Galapagos Islands</geographic><topic>Description and travel</topic>
  </subject>
  <relatedItem type="series">
    <titleInfo><title>Oxford world's classics</title><partNumber>123</partNumber></titleInfo>
  </relatedItem>
  <identifier type="isbn">0192835564 (pbk.)</identifier>
  <identifier type="isbn" invalid="yes">0192835565</identifier>
  <identifier type="lccn">96-2048</identifier>
  <identifier type="oclc">(OCoLC)ocm34321234</identifier>
  <location>
    <physicalLocation>Cambridge University Library</physicalLocation>
    <shelfLocator>9000.d.1234</shelfLocator>
  </location>
  <location>
    <physicalLocation>Oxford University</physicalLocation>
    <holdingSimple><copyInformation>
      <subLocation>Bodleian Library, Upper Reading Room</subLocation>
      <shelfLocator>QH365 .O2 1996</shelfLocator>
      <note>Copy 2 on loan</note>
    </copyInformation></holdingSimple>
  </location>
  <location>
    <physicalLocation authority="marcorg">StEdNL</physicalLocation>
  </location>
  <location>
    <url displayLabel="Table of contents" usage="primary display">http://catdir.loc.gov/toc/96-2048.html</url>
  </location>
  <recordInfo>
    <recordContentSource authority="marcorg">Uk</recordContentSource>
    <recordIdentifier source="COPAC">123456789</recordIdentifier>
  </recordInfo>
</mods>"""

COPAC_ARTICLE = """<mods xmlns="http://www.loc.gov/mods/v3">
  <titleInfo><title>Wing shape and flight in birds</title></titleInfo>
  <name type="personal"><namePart type="given">Anna</namePart>
    <namePart type="family">Smith</namePart></name>
  <name type="personal"><namePart type="family">Jones</namePart>
    <namePart type="given">B. C.</namePart></name>
  <typeOfResource>text</typeOfResource>
  <genre>article</genre>
  <relatedItem type="host">
    <titleInfo><title>Nature</title></titleInfo>
    <originInfo><dateIssued>2019</dateIssued><issuance>continuing</issuance></originInfo>
    <identifier type="issn">0028-0836</identifier>
    <part>
      <detail type="volume"><number>570</number></detail>
      <detail type="issue"><number>7761</number></detail>
      <extent unit="pages"><start>425</start><end>431</end></extent>
      <date>2019</date>
      <text>Vol. 570, no. 7761 (2019), p. 425-431</text>
    </part>
  </relatedItem>
  <identifier type="doi">10.1038/s41586-019-0000-0</identifier>
</mods>"""

THESIS = """<mods xmlns="http://www.loc.gov/mods/v3">
  <titleInfo><title>Polycat and the catalogues</title></titleInfo>
  <name type="personal"><namePart>Cataloguer, Cara</namePart>
    <role><roleTerm type="text">author</roleTerm></role></name>
  <genre authority="marcgt">theses</genre>
  <originInfo><dateIssued>2020</dateIssued></originInfo>
  <language><languageTerm type="code" authority="rfc3066">de</languageTerm></language>
</mods>"""


def test_copac_book() -> None:
    rec = read_record(XML, COPAC_BOOK.encode(), target="Copac", position=1)
    assert rec.error is None
    assert rec.original is not None and rec.original.syntax == "mods"
    assert (rec.title, rec.nonsort) == (
        "The origin of species by means of natural selection", "The "
    )
    assert rec.subtitle == "or the preservation of favoured races in the struggle for life"
    assert rec.names == (
        Name("Darwin, Charles", "author", "personal", "1809-1882"),
        Name("Beer, Gillian", "editor", "personal"),
        Name("Bronn, Heinrich Georg", "translator", "personal", "1800-1862"),
        Name("Oxford University Press", "publisher", "corporate"),
    )
    assert [n.name for n in rec.authors] == ["Darwin, Charles"]
    assert (rec.place, rec.publisher, rec.date, rec.year) == (
        "Oxford", "Oxford University Press", "c1996", 1996
    )
    assert rec.edition == "[New ed.]"
    assert rec.physical == "xxix, 394 p. : ill. ; 19 cm."
    assert rec.language == "eng"
    assert rec.abstract == "Darwin's theory of evolution by natural selection."
    assert rec.notes == (
        "Originally published: London : John Murray, 1859.",
        "Includes bibliographical references and index.",
    )
    assert rec.subjects == (
        "Evolution (Biology)",
        "Natural selection -- 19th century",
        "Darwin, Charles, 1809-1882 -- Correspondence",
        "Galapagos Islands -- Description and travel",
    )
    assert rec.series == ("Oxford world's classics ; 123",)
    assert rec.valid_isbns == ("9780192835567",)
    assert rec.isbns[0].qualifier == "pbk."
    assert rec.invalid_isbns == ("0192835565",)
    assert rec.lccn == "96002048"
    assert rec.oclc_numbers == ("34321234",)
    assert ("COPAC", "123456789") in rec.control_numbers
    assert rec.holdings == (
        Holding(library="Cambridge University Library", call_number="9000.d.1234"),
        Holding(library="Oxford University", location="Bodleian Library, Upper Reading Room",
                call_number="QH365 .O2 1996", note="Copy 2 on loan"),
        Holding(symbol="StEdNL"),
    )
    assert rec.urls == (Link("http://catdir.loc.gov/toc/96-2048.html", "Table of contents"),)
    assert rec.material == "book"
    assert rec.warnings == ()


def test_copac_article_in_a_journal() -> None:
    rec = read_record(XML, COPAC_ARTICLE.encode())
    assert [n.name for n in rec.authors] == ["Smith, Anna", "Jones, B. C."]
    assert rec.host == HostItem(
        title="Nature", volume="570", issue="7761", pages="425-431", year=2019,
        issn="0028-0836", related_parts="Vol. 570, no. 7761 (2019), p. 425-431",
    )
    assert rec.material == "article"
    assert ("doi", "10.1038/s41586-019-0000-0") in rec.control_numbers


def test_thesis_and_two_letter_language() -> None:
    rec = read_record(XML, THESIS.encode())
    assert (rec.material, rec.language, rec.year) == ("thesis", "ger", 2020)
    assert [n.name for n in rec.authors] == ["Cataloguer, Cara"]


def test_mods_collection_file_and_no_namespace() -> None:
    plain = COPAC_ARTICLE.replace(' xmlns="http://www.loc.gov/mods/v3"', "")
    collection = (
        '<modsCollection xmlns="http://www.loc.gov/mods/v3">'
        + COPAC_BOOK.split("?>", 1)[1]
        + THESIS
        + "</modsCollection>"
    )
    records = read_bytes(collection.encode())
    assert [r.material for r in records] == ["book", "thesis"]
    assert read_record(XML, plain.encode()).host is not None


def test_brief_record_with_title_only() -> None:
    rec = read_record(
        XML, b'<mods xmlns="http://www.loc.gov/mods/v3"><titleInfo><title>Brief.</title>'
        b"</titleInfo></mods>"
    )
    assert (rec.title, rec.names, rec.year, rec.material) == ("Brief", (), None, "book")


def test_mods_without_title_warns() -> None:
    rec = read_record(XML, b'<mods xmlns="http://www.loc.gov/mods/v3"><note>x</note></mods>')
    assert rec.error is None
    assert rec.warnings == ("the MODS record has no title (titleInfo/title)",)
