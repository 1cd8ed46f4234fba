"""CSL-JSON, judged by citeproc-py: every item loads and renders in a bundled style."""

from __future__ import annotations

import json

import pytest

from app.export import export
from app.export.csljson import csl_item
from app.records.model import BibRecord, Name
from tests.export import expect
from tests.export.corpus import CASES, DARWIN, hostile
from tests.export.judges import citeproc_bibliography


def test_hostile_corpus_renders_a_bibliography_with_citeproc() -> None:
    records = hostile()
    data = export(records, "csljson").data
    entries = citeproc_bibliography(data)
    assert len(entries) == len(records)
    items = json.loads(data)
    assert len({item["id"] for item in items}) == len(records)
    for record, item in zip(records, items, strict=True):
        assert item.get("title", "") == expect.title(record)
        names = [a.get("literal") or " ".join(a.values()) for a in item.get("author", [])]
        assert [expect.name_words(n) for n in names] == [
            expect.name_words(n) for n in expect.author_names(record)
        ]
        valid = [i.value for i in record.isbns if i.valid and not i.cancelled]
        isbns = item.get("ISBN", "").split(", ")
        assert [n for n in isbns if n in valid] == valid
        if record.year is not None:
            assert item["issued"]["date-parts"][0][0] == record.year
        else:
            assert "issued" not in item


def test_rendered_text_names_author_title_and_year() -> None:
    (entry,) = citeproc_bibliography(export([DARWIN], "csljson").data)
    assert "Darwin, C." in entry and "1859" in entry
    assert "The origin of species: by means of natural selection" in entry


def test_empty_input_is_an_empty_array() -> None:
    assert json.loads(export([], "csljson").data) == []


def test_book_item() -> None:
    item = csl_item(DARWIN, "darwin1859origin")
    assert item["id"] == "darwin1859origin" and item["type"] == "book"
    assert item["author"] == [{"family": "Darwin", "given": "Charles"}]
    assert item["issued"] == {"date-parts": [[1859]]}
    assert (item["publisher"], item["publisher-place"]) == ("John Murray", "London")
    assert item["edition"] == "1"
    assert item["ISBN"] == "9780198526636, 9780140432053, 0198526630"
    assert item["URL"] == "https://doi.org/10.5962/bhl.title.68064"
    assert item["DOI"] == "10.5962/bhl.title.68064"
    assert item["language"] == "en"
    assert item["call-number"] == "QH365 .O2 1859"


def test_article_item_has_container_volume_issue_page_and_full_date() -> None:
    item = csl_item(CASES["article"], "k")
    assert item["type"] == "article-journal"
    assert item["container-title"] == "Nature"
    assert (item["volume"], item["issue"], item["page"]) == ("171", "4356", "737-738")
    assert item["issued"] == {"date-parts": [[1953, 4, 25]]}
    assert item["ISSN"] == "0028-0836"


@pytest.mark.parametrize(
    ("case", "kind"),
    [
        ("chapter", "chapter"), ("phd_thesis", "thesis"), ("map", "map"),
        ("music", "musical_score"), ("sound", "song"), ("video", "motion_picture"),
        ("image", "graphic"), ("electronic", "document"), ("manuscript", "manuscript"),
        ("conference_paper", "paper-conference"), ("proceedings", "book"),
        ("report", "report"), ("serial", "periodical"), ("other", "document"),
    ],
)  # fmt: skip
def test_type_follows_the_material(case: str, kind: str) -> None:
    assert csl_item(CASES[case], "k")["type"] == kind


def test_corporate_names_are_literal_and_suffixes_kept() -> None:
    record = BibRecord(
        title="T",
        names=(
            Name("World Health Organization", kind="corporate"),
            Name("King, Martin Luther, Jr."),
            Name("Editor, Ed", role="editor"),
            Name("Plato"),
        ),
    )
    item = csl_item(record, "k")
    assert item["author"] == [
        {"literal": "World Health Organization"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Plato"},
    ]
    assert item["editor"] == [{"family": "Editor", "given": "Ed"}]


def test_thesis_genre_and_university() -> None:
    item = csl_item(CASES["phd_thesis"], "k")
    assert item["genre"] == "PhD thesis" and item["publisher"] == "University of Oxford"
    assert item["note"] == "Thesis (Ph. D.)--University of Oxford, 1990.\nIncludes bibliography."
