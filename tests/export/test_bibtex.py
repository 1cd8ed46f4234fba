"""BibTeX, judged by bibtexparser 2 and pybtex (strict), in UTF-8 and in ASCII mode."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.export import export
from app.export.bibtex import bibtex_entry, latex, protect_title
from app.export.keys import citation_keys
from app.records.model import BibRecord, Isbn, Link, Name
from tests.export import expect
from tests.export.corpus import CASES, CLASH, hostile
from tests.export.judges import bibtexparser_entries, detex, pybtex_entries


def _bib(records: list[BibRecord], ascii: bool = False) -> bytes:
    return export(records, "bibtex", ascii=ascii).data


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("ascii", [False, True], ids=["utf8", "ascii"])
def test_hostile_corpus_parses_with_zero_errors_in_both_judges(ascii: bool) -> None:
    records = hostile()
    data = _bib(records, ascii)
    if ascii:
        assert data.isascii()
    entries = bibtexparser_entries(data)
    assert len(entries) == len(records)
    database = pybtex_entries(data)
    assert len(database.entries) == len(records)
    assert [e.key for e in entries] == list(database.entries.keys())
    assert len(set(database.entries.keys())) == len(records)
    for entry in re.split(r"\n\n(?=@)", data.decode("utf-8")):
        assert _balanced(entry), entry


def test_title_authors_year_and_isbns_come_back_through_pybtex() -> None:
    records = hostile()
    database = pybtex_entries(_bib(records))
    for record, entry in zip(records, database.entries.values(), strict=True):
        assert detex(entry.fields.get("title", "")) == expect.title(record)
        people = entry.persons.get("author", [])
        assert [expect.name_words(detex(str(p))) for p in people] == [
            expect.name_words(n) for n in expect.author_names(record)
        ]
        assert entry.fields.get("year") == (str(record.year) if record.year else None)
        valid = [i.value for i in record.isbns if i.valid and not i.cancelled]
        assert [n for n in entry.fields.get("isbn", "").split(", ") if n in valid] == valid


# cases whose every character has a spelling latexcodec (pybtex's decoder) also reads back
LATIN = ["darwin", "braces", "percent_backslash", "quotes_at", "tex_specials", "capitals",
         "and_in_name", "corporate", "article", "masters_thesis"]  # fmt: skip


@pytest.mark.parametrize("case", LATIN)
def test_ascii_mode_reads_back_to_the_same_text(case: str) -> None:
    record = CASES[case]
    data = _bib([record], ascii=True)
    assert data.isascii()
    (entry,) = pybtex_entries(data).entries.values()
    assert detex(entry.fields["title"]) == expect.title(record)
    people = entry.persons.get("author", [])
    assert [expect.name_words(detex(str(p))) for p in people] == [
        expect.name_words(n) for n in expect.author_names(record)
    ]


def test_ascii_mode_spells_accents_and_letters_the_latex_way() -> None:
    text = latex("Müller Café Garçon Straße Ørsted Łódź Dvořák naïve Ångström ı", ascii=True)
    assert text == (
        r"M{\"u}ller Caf{\'e} Gar{\c{c}}on Stra{\ss}e {\O}rsted {\L}{\'o}d{\'z} "
        r"Dvo{\v{r}}{\'a}k na{\"{\i}}ve {\r{A}}ngstr{\"o}m {\i}"
    )


def test_ascii_mode_writes_symbol_for_what_latex_cannot_spell_and_warns() -> None:
    result = export([CASES["cyrillic"], CASES["darwin"]], "bibtex", ascii=True)
    assert result.data.isascii()
    assert r"{\symbol{1042}}" in result.data.decode()  # В
    (problem,) = result.problems
    assert problem.index == 0 and not problem.skipped
    assert "no LaTeX spelling" in problem.message and "В" in problem.message
    assert result.written == 2


def test_nfd_input_is_written_composed() -> None:
    data = _bib([CASES["nfd"]]).decode("utf-8")
    assert "Müller, Jörg" in data and "Café" in data and "Tiếng" in data


@pytest.mark.parametrize(
    ("char", "escaped"),
    [("{", r"{\textbraceleft}"), ("}", r"{\textbraceright}"), ("\\", r"{\textbackslash}"),
     ("%", r"\%"), ("&", r"\&"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_"),
     ("^", r"{\textasciicircum}"), ("~", r"{\textasciitilde}")],
)  # fmt: skip
def test_every_tex_special_is_escaped(char: str, escaped: str) -> None:
    assert latex(f"a{char}b") == f"a{escaped}b"


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_balanced_braces_that_both_judges_accept(text: str) -> None:
    record = BibRecord(title=text, names=(Name(text),), notes=(text,), year=2000)
    for ascii in (False, True):
        data = export([record], "bibtex", ascii=ascii).data
        assert _balanced(data.decode("utf-8"))
        assert len(bibtexparser_entries(data)) == 1
        assert len(pybtex_entries(data).entries) == 1


@given(st.text(alphabet="abcXYZ019 {}\\%&$#_^~äöüéñßø中", max_size=60))
@settings(max_examples=200, deadline=None)
def test_titles_read_back_exactly(text: str) -> None:
    record = BibRecord(title=text)
    (entry,) = pybtex_entries(_bib([record])).entries.values()
    assert detex(entry.fields.get("title", "")) == " ".join(text.split())


@pytest.mark.parametrize(
    ("title", "protected"),
    [
        ("Introduction to DNA in Paris", "Introduction to {DNA} in {Paris}"),
        ("Z39.50 explained", "{Z39.50} explained"),
        ("The origin of species", "The origin of species"),
        ("iPhone apps", "{iPhone} apps"),
        ("Über alles: Eine Reise", "Über alles: {Eine} {Reise}"),
        ("COVID-19 and us", "{COVID-19} and us"),
    ],
)
def test_capitals_beyond_the_first_character_are_protected(title: str, protected: str) -> None:
    assert protect_title(title) == protected


def _entry(record: BibRecord) -> str:
    return bibtex_entry(record, "key")


def test_names_last_first_suffix_and_corporate_in_braces() -> None:
    text = _entry(
        BibRecord(
            title="T",
            names=(
                Name("King, Martin Luther, Jr."),
                Name("World Health Organization", kind="corporate"),
                Name("Marks and Spencer, Michael"),
                Name("Editor, Ed", role="editor"),
            ),
        )
    )
    assert (
        "author = {King, Jr., Martin Luther and {World Health Organization} and "
        "Marks {and} Spencer, Michael}" in text
    )
    assert "editor = {Editor, Ed}" in text


@pytest.mark.parametrize(
    ("case", "kind"),
    [
        ("darwin", "book"), ("article", "article"), ("chapter", "incollection"),
        ("phd_thesis", "phdthesis"), ("masters_thesis", "mastersthesis"),
        ("thesis_unknown_degree", "phdthesis"), ("manuscript", "unpublished"),
        ("proceedings", "proceedings"), ("conference_paper", "inproceedings"),
        ("report", "techreport"), ("map", "misc"), ("sound", "misc"), ("serial", "misc"),
    ],
)  # fmt: skip
def test_entry_type_follows_the_material(case: str, kind: str) -> None:
    assert _entry(CASES[case]).startswith(f"@{kind}{{key,\n")


def test_thesis_fields() -> None:
    assert "school = {University of Oxford}" in _entry(CASES["phd_thesis"])
    unknown = _entry(CASES["thesis_unknown_degree"])
    assert "type = {Thesis}" in unknown
    manuscript = _entry(CASES["manuscript"])
    assert "note = {Manuscript}" in manuscript


def test_article_fields_and_page_range() -> None:
    text = _entry(CASES["article"])
    lines = ["journal = {Nature}", "volume = {171}", "number = {4356}", "pages = {737--738}",
             "issn = {0028-0836}", "doi = {10.1038/171737a0}"]  # fmt: skip
    for line in lines:
        assert f"  {line},\n" in text
    assert "booktitle = {The collected book}" in _entry(CASES["chapter"])
    assert "pages = {11--42}" in _entry(CASES["chapter"])


def test_urls_are_percent_encoded_where_bibtex_would_choke() -> None:
    record = BibRecord(title="T", urls=(Link("http://example.org/a b{c}\\d?q=1&r=ü#frag%20"),))
    assert "url = {http://example.org/a%20b%7Bc%7D%5Cd?q=1&r=%C3%BC#frag%20}" in _entry(record)


def test_edition_ordinal_becomes_a_number_and_isbns_are_listed() -> None:
    text = _entry(
        BibRecord(
            title="T",
            edition="2nd ed.",
            isbns=(Isbn("9780198526636", "0198526636", True),
                   Isbn("9780140432053", "9780140432053", True)),
        )
    )  # fmt: skip
    assert "edition = {2}" in text
    assert "isbn = {9780198526636, 9780140432053}" in text


def test_keys_follow_surname_year_first_significant_word() -> None:
    cases = ["darwin", "no_author_no_year", "corporate", "cyrillic", "cjk", "greek", "nfd"]
    keys = citation_keys([CASES[c] for c in cases])
    assert keys == [
        "darwin1859origin",
        "anonndanonymous",
        "world2008world",
        "tolstoi1978voina",
        "anon1965",
        "omeros800odysseia",
        "muller1990cafe",
    ]


def test_clashing_keys_get_letters_in_input_order_and_stay_stable() -> None:
    assert citation_keys(CLASH) == ["darwin1859origin", "darwin1859origina", "darwin1859originb"]
    assert citation_keys(CLASH[:2]) == citation_keys(CLASH)[:2]
    many = citation_keys([CLASH[0]] * 30)
    assert len(set(many)) == 30 and many[26] == "darwin1859originz" and many[27].endswith("aa")


def test_editor_gives_the_key_when_there_is_no_author() -> None:
    record = BibRecord(title="A reader", names=(Name("Huxley, T. H.", role="editor"),), year=1900)
    assert citation_keys([record]) == ["huxley1900reader"]
