"""SUTRS text records in the shapes Copac and OCLC FirstSearch print them."""

from __future__ import annotations

from app.records import Holding, Link, Name, read_record
from tests.records.helpers import SUTRS

COPAC_FULL = """\
Title: The origin of species : by means of natural selection / by Charles Darwin.
Author: Darwin, Charles, 1809-1882.
Other Author(s): Beer, Gillian; Huxley, Thomas Henry, 1825-1895.
Edition: New ed.
Published: London : John Murray, 1860.
Physical description: ix, 502 p. ; 20 cm.
Series: World's classics ; 11
Notes: Includes index.
       Originally published 1859.
Subject(s): Evolution (Biology); Natural selection
ISBN: 0192835564 (pbk.)
Language: English
Held by: Cambridge University Library; Oxford University; Trinity College Dublin
"""

FIRSTSEARCH_FULL = """\
 Title: The origin of species by means of natural selection
 Author(s): Darwin, Charles, 1809-1882.
 Corp Author(s): Royal Society (Great Britain)
 Publication: London : John Murray,
 Year: 1859
 Description: ix, 502 p. ; 20 cm.
 Language: English
 Standard No: ISBN: 0198526636; 9780306406157; LCCN: 59-1234
 SUBJECT(S)
 Descriptor: Evolution (Biology)
             Natural selection.
 Geographic: Galapagos Islands.
 Note(s): First edition./ Includes index.
 Responsibility: by Charles Darwin.
 Material Type: Book (PrintBook)
 Document Type: Book
 Entry: 19800101
 Update: 20200101
 Accession No: OCLC: 1234567
 Database: WorldCat
 Access: http://www.worldcat.org/oclc/1234567 (Full text)
 Libraries:
    GB        BRITISH LIBRARY                 BLX
    US   NY   COLUMBIA UNIV                   ZCU
    US   OH   OCLC LIBRARY                    OCL
"""


def test_copac_sutrs() -> None:
    rec = read_record(SUTRS, COPAC_FULL.encode(), target="Copac")
    assert rec.error is None
    assert rec.original is not None
    assert rec.original.data.decode() == COPAC_FULL  # the full text is kept
    assert (rec.title, rec.subtitle, rec.responsibility) == (
        "The origin of species", "by means of natural selection", "by Charles Darwin"
    )
    assert rec.names == (
        Name("Darwin, Charles", "author", "personal", "1809-1882"),
        Name("Beer, Gillian", "contributor", "personal"),
        Name("Huxley, Thomas Henry", "contributor", "personal", "1825-1895"),
    )
    assert (rec.place, rec.publisher, rec.date, rec.year) == (
        "London", "John Murray", "1860", 1860
    )
    assert rec.edition == "New ed."
    assert rec.physical == "ix, 502 p. ; 20 cm."
    assert rec.series == ("World's classics ; 11",)
    assert rec.notes == ("Includes index. Originally published 1859.",)
    assert rec.subjects == ("Evolution (Biology)", "Natural selection")
    assert rec.valid_isbns == ("9780192835567",)
    assert rec.isbns[0].qualifier == "pbk."
    assert rec.language == "eng"
    assert [h.library for h in rec.holdings] == [
        "Cambridge University Library", "Oxford University", "Trinity College Dublin"
    ]
    assert rec.warnings == ()


def test_firstsearch_sutrs() -> None:
    rec = read_record(SUTRS, FIRSTSEARCH_FULL.encode(), target="OCLC")
    assert rec.title == "The origin of species by means of natural selection"
    assert rec.responsibility == "by Charles Darwin"
    assert rec.names == (
        Name("Darwin, Charles", "author", "personal", "1809-1882"),
        Name("Royal Society (Great Britain)", "author", "corporate"),
    )
    assert (rec.place, rec.publisher, rec.year) == ("London", "John Murray", 1859)
    assert rec.valid_isbns == ("9780198526636", "9780306406157")
    assert rec.lccn == "59001234"
    assert rec.oclc_numbers == ("1234567",)
    assert rec.subjects == ("Evolution (Biology)", "Natural selection", "Galapagos Islands")
    assert rec.notes == ("First edition./ Includes index.",)
    assert rec.material == "book"
    assert rec.urls == (Link("http://www.worldcat.org/oclc/1234567"),)
    assert rec.holdings == (
        Holding(library="BRITISH LIBRARY", symbol="BLX", country="GB"),
        Holding(library="COLUMBIA UNIV", symbol="ZCU", country="US", state="NY"),
        Holding(library="OCLC LIBRARY", symbol="OCL", country="US", state="OH"),
    )
    assert not any("Database" in n or "Entry" in n for n in rec.notes)


def test_zebra_style_holdings_and_bodies() -> None:
    text = (
        "Title: Digital preservation handbook\n"
        "Author: Digital Preservation Coalition\n"
        "Held by: Harvard University Library (HLS) US MA\n"
        "Held by: British Library (UKMGB) GB\n"
        "Record number: pc00126\n"
    )
    rec = read_record(SUTRS, text.encode())
    assert rec.names == (Name("Digital Preservation Coalition", "author", "corporate"),)
    assert rec.holdings == (
        Holding(library="Harvard University Library", symbol="HLS", country="US", state="MA"),
        Holding(library="British Library", symbol="UKMGB", country="GB"),
    )
    assert rec.control_numbers == (("", "pc00126"),)


def test_unknown_labels_become_notes_and_thesis_is_recognised() -> None:
    text = "Title: A study\nDissertation: Thesis (Ph.D.)--Oxford, 1990.\nShelf code: XY 12\n"
    rec = read_record(SUTRS, text.encode())
    assert rec.material == "thesis"
    assert rec.notes == ("Dissertation: Thesis (Ph.D.)--Oxford, 1990.", "Shelf code: XY 12")


def test_unlabelled_text_keeps_everything() -> None:
    rec = read_record(SUTRS, b"This is dummy SUTRS record number 1")
    assert rec.error is None
    assert rec.title == "This is dummy SUTRS record number 1"
    assert rec.notes == ("This is dummy SUTRS record number 1",)
    assert rec.warnings and "no labelled fields" in rec.warnings[0]


def test_decomposed_text_comes_out_composed() -> None:
    rec = read_record(SUTRS, "Title: Les mise\u0301rables\n".encode())
    assert rec.title == "Les misérables"


def test_latin1_text_is_read_with_a_warning() -> None:
    rec = read_record(SUTRS, "Title: Grüße\nAuthor: Müller, Hans\n".encode("latin-1"))
    assert (rec.title, rec.names[0].name) == ("Grüße", "Müller, Hans")
    assert rec.warnings == ("the text record is not UTF-8; it was read as Latin-1",)
