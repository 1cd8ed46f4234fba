"""MARC 21 fields into BibRecord: records built with pymarc, read through read_record."""

from __future__ import annotations

import pytest
from pymarc import Field

from app.records import BibRecord, Holding, HostItem, Link, Name, read_record, record_to_json
from tests.records.helpers import USMARC, cf, df, iso


def fixed(date1: str = "1859", contents: str = "    ", conference: str = "0") -> str:
    """An 008 for books: 24-27 nature of contents, 29 conference publication."""
    return f"860506s{date1}    enk    {' '}{' '}{contents} {conference}00 0 eng d"


FIXED = fixed()


def read(*fields: Field, leader: str = "00000nam a2200000 a 4500") -> BibRecord:
    rec = read_record(USMARC, iso(*fields, leader=leader), target="LoC", position=3)
    assert rec.error is None, rec.error
    return rec


def darwin() -> list[Field]:
    return [
        cf("001", "ocm00012345"),
        cf("003", "OCoLC"),
        cf("008", FIXED),
        df("010", "  ", ("a", "   59000001 ")),
        df("020", "  ", ("a", "0198526636"), ("q", "(pbk.)"), ("c", "£7.99")),
        df("020", "  ", ("z", "0198526637")),
        df("035", "  ", ("a", "(OCoLC)ocm00012345")),
        df("035", "  ", ("a", "(DE-599)GBV123456")),
        df("041", "1 ", ("a", "engfre"), ("h", "ger")),
        df("100", "1 ", ("a", "Darwin, Charles,"), ("d", "1809-1882."), ("e", "author.")),
        df("245", "14", ("a", "The origin of species :"),
           ("b", "by means of natural selection /"), ("c", "by Charles Darwin.")),
        df("250", "  ", ("a", "2nd ed., with additions and corrections.")),
        df("264", " 4", ("c", "©1858")),
        df("264", " 1", ("a", "London :"), ("b", "John Murray,"), ("c", "1859.")),
        df("300", "  ", ("a", "ix, 502 p. :"), ("b", "ill. ;"), ("c", "20 cm.")),
        df("490", "1 ", ("a", "Classics of science ;"), ("v", "v. 3")),
        df("500", "  ", ("a", "Includes index.")),
        df("520", "  ", ("a", "The book that founded evolutionary biology.")),
        df("600", "10", ("a", "Darwin, Charles,"), ("d", "1809-1882"), ("v", "Correspondence.")),
        df("650", " 0", ("a", "Evolution (Biology)"), ("x", "History"), ("y", "19th century.")),
        df("650", " 0", ("a", "Evolution (Biology)"), ("x", "History"), ("y", "19th century.")),
        df("651", " 0", ("a", "Galapagos Islands"), ("x", "Description and travel.")),
        df("653", "  ", ("a", "natural selection"), ("a", "species")),
        df("655", " 7", ("a", "Electronic books."), ("2", "local")),
        df("700", "1 ", ("a", "Huxley, Thomas Henry,"), ("d", "1825-1895.")),
        df("700", "1 ", ("a", "Beer, Gillian,"), ("e", "editor.")),
        df("700", "1 ", ("a", "Müller, Hans"), ("4", "trl")),
        df("710", "2 ", ("a", "Royal Society (Great Britain)")),
        df("830", " 0", ("a", "Classics of science ;"), ("v", "v. 3.")),
        df("856", "41", ("u", "https://example.org/origin"), ("z", "Digitised copy"),
           ("3", "Full text")),
    ]


def test_darwin_reads_every_part() -> None:
    rec = read(*darwin())
    assert (rec.title, rec.nonsort, rec.subtitle) == (
        "The origin of species", "The ", "by means of natural selection"
    )
    assert rec.responsibility == "by Charles Darwin"
    assert rec.edition == "2nd ed., with additions and corrections"
    assert (rec.place, rec.publisher, rec.date, rec.year) == ("London", "John Murray", "1859", 1859)
    assert rec.physical == "ix, 502 p. : ill. ; 20 cm."
    assert rec.series == ("Classics of science ; v. 3",)
    assert (rec.language, rec.languages) == ("eng", ("eng", "fre"))
    assert rec.subjects == (
        "Darwin, Charles, 1809-1882 -- Correspondence",
        "Evolution (Biology) -- History -- 19th century",
        "Galapagos Islands -- Description and travel",
        "natural selection",
        "species",
    )
    assert rec.notes == ("Includes index.",)
    assert rec.abstract == "The book that founded evolutionary biology."
    assert rec.names == (
        Name("Darwin, Charles", "author", "personal", "1809-1882"),
        Name("Huxley, Thomas Henry", "", "personal", "1825-1895"),
        Name("Beer, Gillian", "editor", "personal"),
        Name("Müller, Hans", "translator", "personal"),
        Name("Royal Society (Great Britain)", "contributor", "corporate"),
    )
    assert [n.name for n in rec.authors] == ["Darwin, Charles", "Huxley, Thomas Henry"]
    assert [n.name for n in rec.editors] == ["Beer, Gillian"]
    assert rec.valid_isbns == ("9780198526636",)
    assert rec.isbns[0].qualifier == "pbk."
    assert rec.invalid_isbns == ("0198526637",)
    assert rec.isbns[1].cancelled
    assert rec.lccn == "59000001"
    assert rec.oclc_numbers == ("12345",)
    assert rec.control_numbers == (("OCoLC", "ocm00012345"), ("DE-599", "GBV123456"))
    assert rec.urls == (Link("https://example.org/origin", "Full text; Digitised copy", "version"),)
    assert rec.material == "book"
    assert (rec.target, rec.position, rec.warnings) == ("LoC", 3, ())
    assert rec.original is not None and rec.original.syntax == "usmarc"


def test_record_to_json_gives_what_the_command_line_prints() -> None:
    out = record_to_json(read(*darwin()))
    assert out["title"] == "The origin of species"
    assert out["subtitle"] == "by means of natural selection"
    assert out["authors"] == ["Darwin, Charles", "Huxley, Thomas Henry"]
    assert out["editors"] == ["Beer, Gillian"]
    assert out["year"] == 1859
    assert out["isbns"] == ["9780198526636"]
    assert out["invalid_isbns"] == ["0198526637"]
    assert out["oclc_numbers"] == ["12345"]
    assert out["lccn"] == "59000001"
    assert out["urls"] == ["https://example.org/origin"]
    assert out["error"] is None
    assert out["syntax"] == "usmarc"
    assert out["material"] == "book"


def test_nonsort_from_nsb_nse_marks_overrides_nothing_else() -> None:
    rec = read(df("245", "10", ("a", "\x88Der \x89Zauberberg /"), ("c", "Thomas Mann.")))
    assert (rec.title, rec.nonsort) == ("Der Zauberberg", "Der ")
    assert "\x88" not in record_to_json(rec)["title"]


def test_nonfiling_indicator_beyond_title_is_ignored() -> None:
    rec = read(df("245", "09", ("a", "Ab.")))
    assert (rec.title, rec.nonsort) == ("Ab", "")


def test_260_used_when_no_264_publication_and_year_from_brackets() -> None:
    rec = read(
        cf("008", "990101q18501860enk           000 0 eng d"),
        df("245", "00", ("a", "Anonymous pamphlet.")),
        df("260", "  ", ("a", "[S.l. :"), ("b", "s.n.,"), ("c", "[1859?]")),
    )
    assert (rec.title, rec.place, rec.publisher, rec.date, rec.year) == (
        "Anonymous pamphlet", "", "", "[1859?]", 1859
    )


def test_year_falls_back_to_008_and_copyright_date_is_last_resort() -> None:
    rec = read(cf("008", fixed(date1="1901")), df("245", "00", ("a", "X")))
    assert (rec.year, rec.date) == (1901, "")
    rec = read(
        df("245", "00", ("a", "X")),
        df("264", " 1", ("a", "Berlin :"), ("b", "Springer")),
        df("264", " 4", ("c", "©2019")),
    )
    assert (rec.place, rec.publisher, rec.date, rec.year) == ("Berlin", "Springer", "©2019", 2019)


def test_490_without_tracing_kept_alongside_830() -> None:
    rec = read(
        df("245", "00", ("a", "X")),
        df("490", "0 ", ("a", "Pamphlet series")),
        df("490", "1 ", ("a", "Lecture notes in mathematics ;"), ("v", "1234")),
        df("830", " 0", ("a", "Lecture notes in mathematics (Springer-Verlag) ;"), ("v", "1234.")),
    )
    assert rec.series == (
        "Pamphlet series",
        "Lecture notes in mathematics (Springer-Verlag) ; 1234",
    )


def test_corporate_and_meeting_names() -> None:
    rec = read(
        df("110", "2 ", ("a", "United States."), ("b", "Congress."), ("b", "House.")),
        df("245", "00", ("a", "Hearings.")),
        df("711", "2 ", ("a", "Conference on Bibliography"), ("n", "(3rd :"), ("d", "1999 :"),
           ("c", "Paris, France)"), ("j", "editor")),
    )
    assert rec.names == (
        Name("United States. Congress. House", "author", "corporate"),
        Name("Conference on Bibliography (3rd : 1999 : Paris, France)", "editor", "meeting"),
    )


@pytest.mark.parametrize(
    ("related", "volume", "issue", "pages", "year"),
    [
        ("Vol. 70, No. 14 (2019), p. 425", "70", "14", "425", 2019),
        ("Vol. 70, no. 14 (Dec. 2019), p. 425-431", "70", "14", "425-431", 2019),
        ("Bd. 12, H. 3 (2001), S. 45-67", "12", "3", "45-67", 2001),
        ("v. 12, no. 3 (2001): 45-67", "12", "3", "45-67", 2001),
        ("70(14), 425–431", "70", "14", "425-431", None),
        ("Jg. 5 (2003), Nr. 2, S. 10-20", "5", "2", "10-20", 2003),
    ],
)
def test_773_host_item(related: str, volume: str, issue: str, pages: str, year: int) -> None:
    rec = read(
        df("245", "10", ("a", "Wing shape in birds.")),
        df("773", "0 ", ("t", "Nature."), ("g", related), ("x", "0028-0836")),
        leader="00000nab a2200000 a 4500",
    )
    assert rec.host == HostItem("Nature", volume, issue, pages, year, "0028-0836", "", related)
    assert rec.material == "article"


def test_773_enumeration_subfield_q_and_chapter_in_book() -> None:
    rec = read(
        df("245", "10", ("a", "A chapter.")),
        df("773", "0 ", ("t", "Collected essays"), ("q", "70:14<425"), ("z", "0198526636"),
           ("d", "Oxford : OUP, 1999")),
        leader="00000naa a2200000 a 4500",
    )
    assert rec.host is not None
    assert (rec.host.volume, rec.host.issue, rec.host.pages) == ("70", "14", "425")
    assert (rec.host.isbn, rec.host.year) == ("9780198526636", 1999)
    assert rec.material == "chapter"


@pytest.mark.parametrize(
    ("leader67", "fixed_or_field", "material"),
    [
        ("am", None, "book"),
        ("as", None, "serial"),
        ("ai", None, "serial"),
        ("tm", None, "manuscript"),
        ("em", None, "map"),
        ("fm", None, "map"),
        ("cm", None, "music"),
        ("dm", None, "music"),
        ("im", None, "sound"),
        ("jm", None, "sound"),
        ("gm", None, "video"),
        ("km", None, "image"),
        ("mm", None, "electronic"),
        ("pm", None, "other"),
        ("am", df("502", "  ", ("a", "Thesis (Ph. D.)--University of Oxford, 1990.")), "thesis"),
        ("am", cf("008", fixed(contents="bm  ")), "thesis"),
        ("am", cf("008", fixed(conference="1")), "conference"),
        ("am", cf("008", fixed(contents="t   ")), "report"),
        ("aa", None, "chapter"),
        ("ab", None, "article"),
    ],
)
def test_material(leader67: str, fixed_or_field: Field | None, material: str) -> None:
    fields = [df("245", "00", ("a", "X"))] + ([fixed_or_field] if fixed_or_field else [])
    assert read(*fields, leader=f"00000n{leader67} a2200000 a 4500").material == material


def test_oclc_948_holdings_several_libraries_per_field() -> None:
    rec = read(
        df("245", "00", ("a", "X")),
        df("948", "  ", ("a", "US"), ("b", "OH"), ("c", "OCL"), ("d", "OCLC Library"),
           ("c", "OSU"), ("d", "Ohio State University"), ("e", "v.1-3 only")),
        df("948", "  ", ("a", "GB"), ("c", "BLX"), ("d", "British Library")),
        df("852", "  ", ("a", "DE-101"), ("b", "Lesesaal"), ("h", "QH365"), ("i", ".O2 1859"),
           ("z", "Ask at desk")),
        df("852", "  ", ("a", "Bodleian Library"), ("j", "Vet. A5 e.123")),
    )
    assert rec.holdings == (
        Holding(library="OCLC Library", symbol="OCL", country="US", state="OH"),
        Holding(library="Ohio State University", symbol="OSU", country="US", state="OH",
                note="v.1-3 only"),
        Holding(library="British Library", symbol="BLX", country="GB"),
        Holding(symbol="DE-101", location="Lesesaal", call_number="QH365 .O2 1859",
                note="Ask at desk"),
        Holding(library="Bodleian Library", call_number="Vet. A5 e.123"),
    )


def test_issn_kinds_from_022() -> None:
    rec = read(
        df("245", "00", ("a", "Nature.")),
        df("022", "0 ", ("a", "0028-0836"), ("l", "0028-0836"), ("y", "0028-0837"),
           ("z", "1234-5679")),
        leader="00000nas a2200000 a 4500",
    )
    assert [(i.value, i.kind, i.valid) for i in rec.issns] == [
        ("0028-0836", "issn", True),
        ("0028-0836", "linking", True),
        ("0028-0837", "incorrect", False),
        ("1234-5679", "cancelled", True),
    ]
    assert rec.valid_issns == ("0028-0836",)
    assert rec.material == "serial"


def test_isbn10_and_isbn13_in_different_records_give_one_key() -> None:
    first = read(df("245", "00", ("a", "A")), df("020", "  ", ("a", "0-306-40615-2 (pbk.)")))
    second = read(df("245", "00", ("a", "A")), df("020", "  ", ("a", "9780306406157")))
    assert first.valid_isbns == second.valid_isbns == ("9780306406157",)


def test_record_without_title_warns() -> None:
    rec = read(df("100", "1 ", ("a", "Nobody.")))
    assert rec.title == ""
    assert "no title" in " ".join(rec.warnings)


def test_editors_inferred_from_245c_in_records_without_relators() -> None:
    rec = read(
        df("245", "04", ("a", "The Computer Bible /"),
           ("c", "J. Arthur Baird, David Noel Freedman, editors.")),
        df("700", "1 ", ("a", "Baird, J. Arthur.")),
        df("700", "1 ", ("a", "Freedman, David Noel,"), ("d", "1922-")),
        df("700", "1 ", ("a", "Someone, Else.")),
    )
    assert [(n.name, n.role) for n in rec.names] == [
        ("Baird, J. Arthur", "editor"), ("Freedman, David Noel", "editor"), ("Someone, Else", "")
    ]
    with_author = read(
        df("100", "1 ", ("a", "Adam, James.")),
        df("245", "14", ("a", "The religious teachers of Greece /"),
           ("c", "Edited with a memoir, by his wife, Adela Marion Adam.")),
        df("700", "1 ", ("a", "Adam, Adela Marion.")),
    )
    assert [n.role for n in with_author.names] == ["author", ""]  # a main entry: no guessing
