"""A generated, deterministic corpus of MARC21 records with a known answer for every merge.

Every record carries its **ground-truth work id** in a local field, ``999 $w`` (e.g.
``999 ## $w work-odyssey``): records with the same work id describe the same bibliographic
work and must end up in one merged entry; records with different ids must not. The merge must
never read 999 - it is the answer key, not evidence. :func:`work_id` reads it.

- :func:`corpus` - the main "books" database (~130 records): plain English books, German
  (umlauts, ß), French (combining accents, stored decomposed), Cyrillic, CJK (one with an 880
  vernacular field), an ISBN-10 record and an ISBN-13 record of the same book, 020 $z
  cancelled ISBNs (one equal to another book's valid ISBN), qualifiers "(pbk.)", "(set)",
  "(v. 2)" and 020 $q, a multi-volume set sharing a set ISBN, editions with different ISBNs,
  look-alikes differing only in year, records without any identifier (two of one work), a
  979 ISBN, serials with ISSN, articles with 773, a thesis, a record with 100 authors, records
  without author or year, 856 links, 948 OCLC holdings, 852 holdings.
- :func:`style_sets` - the same works catalogued three ways, overlapping: "copac" (UK union
  catalogue: ISBN-13, holdings in 852), "gbv" (German union catalogue: hyphenated ISBN-10, RDA
  264, German subjects), "oclc" (WorldCat: ocm numbers, 035 (OCoLC), both ISBN forms with $q,
  948 holdings, 856 links). :func:`expected_groups` gives the exact merge answer.
- :func:`bulk` - ``n`` plain, unique records for benchmarks. Exactly :data:`BULK_RARE_HITS`
  (67) of them have the word :data:`BULK_RARE_WORD` ("zephyr") in the title, whatever ``n``
  (>= 67): ``find @attr 1=4 zephyr`` gives 67 hits.

Nothing here is random without a fixed seed: the same call gives the same bytes every time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from pymarc import Field, Indicators, Record, Subfield
from stdnum import ean, isbn, issn

__all__ = [
    "BULK_RARE_HITS",
    "BULK_RARE_WORD",
    "CATALOGUES",
    "WORK_CODE",
    "WORK_TAG",
    "bulk",
    "corpus",
    "expected_groups",
    "style_sets",
    "work_id",
]

WORK_TAG, WORK_CODE = "999", "w"  # the answer key: never evidence for the merge
CATALOGUES: tuple[Catalogue, ...] = ("copac", "gbv", "oclc")
BULK_RARE_WORD = "zephyr"
BULK_RARE_HITS = 67

Kind = Literal["book", "serial", "article", "thesis"]
Catalogue = Literal["copac", "gbv", "oclc"]
Style = Literal["plain", Catalogue]


# --- identifiers -------------------------------------------------------------------------------


def isbn13(body12: str) -> str:
    """A valid ISBN-13 from its first twelve digits."""
    return body12 + ean.calc_check_digit(body12)


def isbn10_of(isbn_13: str) -> str:
    return str(isbn.to_isbn10(isbn_13))


def issn_of(body7: str) -> str:
    """A valid ISSN, hyphenated, from its first seven digits."""
    return f"{body7[:4]}-{body7[4:]}{issn.calc_check_digit(body7)}"


# --- what a work is, independent of who catalogued it -------------------------------------------


@dataclass(frozen=True)
class Work:
    """One bibliographic work; :func:`_render` turns it into a catalogue's MARC record."""

    id: str
    title: str
    subtitle: str = ""
    nonfiling: int = 0  # length of a leading article ("The " = 4)
    part_number: str = ""  # 245 $n "Vol. 2"
    part_name: str = ""  # 245 $p
    authors: tuple[str, ...] = ()  # "Surname, Forenames"; the first is the main entry
    corporate: str = ""  # 110 when there is no personal author
    responsibility: str = ""  # 245 $c
    year: int | None = None
    place: str = "London"
    publisher: str = "Penguin"
    edition: str = ""
    isbns: tuple[tuple[str, str], ...] = ()  # (ISBN-13, qualifier) of this item
    set_isbn: str = ""  # ISBN-13 of the whole multi-volume set
    cancelled: tuple[str, ...] = ()  # 020 $z, as printed
    issn: str = ""
    lccn: str = ""
    oclc: int = 0
    lang: str = "eng"
    country: str = "enk"
    subjects: tuple[str, ...] = ()  # "Heading -- Subdivision"
    pages: str = ""
    kind: Kind = "book"
    host: tuple[str, str, str] = ("", "", "")  # 773: (title, ISSN, "Vol. 12, no. 3 (1977), p. 1-9")
    thesis: str = ""  # 502 $a
    notes: tuple[str, ...] = ()
    summary: str = ""
    links: tuple[tuple[str, str], ...] = ()  # 856: (URL, public note)
    vernacular: str = ""  # original-script title, sent in an 880 paired with 245
    extra_authors: int = 0  # generated 700 added entries (the "100 authors" record)


def _decompose(work: Work) -> Work:
    """The work with every text decomposed (NFD): "é" as "e" + U+0301, as MARC-8 origins have."""

    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    return replace(
        work,
        title=nfd(work.title),
        subtitle=nfd(work.subtitle),
        authors=tuple(nfd(a) for a in work.authors),
        responsibility=nfd(work.responsibility),
        place=nfd(work.place),
        publisher=nfd(work.publisher),
        subjects=tuple(nfd(s) for s in work.subjects),
        summary=nfd(work.summary),
    )


SURNAMES = (
    "Abbott",
    "Baker",
    "Carter",
    "Dawson",
    "Ellis",
    "Fletcher",
    "Graham",
    "Hughes",
    "Irving",
    "Jennings",
    "Kemp",
    "Lambert",
    "Morgan",
    "Norris",
    "Osborne",
    "Palmer",
    "Quinn",
    "Reid",
    "Sutton",
    "Turner",
    "Underwood",
    "Vaughan",
    "Walsh",
    "Young",
)
FORENAMES = (
    "Alice",
    "Benjamin",
    "Clara",
    "David",
    "Eleanor",
    "Frederick",
    "Grace",
    "Henry",
    "Isabel",
    "James",
    "Katherine",
    "Laurence",
    "Margaret",
    "Nicholas",
    "Olivia",
    "Peter",
    "Rachel",
    "Samuel",
    "Theresa",
    "William",
)
# (word in the title, LCSH-style subject)
TOPICS = (
    ("water", "Water supply"),
    ("rivers", "Rivers"),
    ("bridges", "Bridges -- Design and construction"),
    ("gardens", "Gardens -- History"),
    ("ships", "Ships -- History"),
    ("railways", "Railroads -- History"),
    ("birds", "Birds"),
    ("mountains", "Mountains"),
    ("castles", "Castles"),
    ("weather", "Weather"),
    ("maps", "Cartography -- History"),
    ("printing", "Printing -- History"),
)
TEMPLATES = (
    ("A history of {t}", "", 2),
    ("{T} and society", "", 0),
    ("The {t} handbook", "", 4),
    ("Understanding {t}", "a guide for students", 0),
    ("{T}", "a very short introduction", 0),
    ("{T} in the modern world", "", 0),
    ("The natural history of {t}", "", 4),
    ("Essays on {t}", "", 0),
)
PUBLISHERS = (  # (place, publisher, ISBN prefix: 978 + group + registrant, 6 digits)
    ("Oxford", "Oxford University Press", "978019"),
    ("Cambridge", "Cambridge University Press", "978052"),
    ("London", "Penguin", "978014"),
    ("New York", "W.W. Norton", "978039"),
    ("London", "Routledge", "978041"),
)


def _plain_works() -> list[Work]:
    """96 plain English books, each title unique (topic x template); before 1970 no ISBN."""
    works = []
    for i in range(len(TOPICS) * len(TEMPLATES)):
        word, subject = TOPICS[i % len(TOPICS)]
        template, subtitle, nonfiling = TEMPLATES[i // len(TOPICS)]
        place, publisher, prefix = PUBLISHERS[i % len(PUBLISHERS)]
        year = 1955 + (i * 13) % 68
        authors = [f"{SURNAMES[(i * 7) % 24]}, {FORENAMES[(i * 3) % 20]}"]
        if i % 4 == 3:
            authors.append(f"{SURNAMES[(i * 5 + 3) % 24]}, {FORENAMES[(i * 11) % 20]}")
        isbns: tuple[tuple[str, str], ...] = ()
        lccn = ""
        if year >= 1970:
            isbns = ((isbn13(f"{prefix}{100000 + i * 37:06d}"), "pbk." if i % 3 else "hbk."),)
        else:
            lccn = f"{year % 100}{12000 + i:06d}"
        works.append(
            Work(
                id=f"work-plain-{i:02d}",
                title=template.format(t=word, T=word.capitalize()),
                subtitle=subtitle,
                nonfiling=nonfiling,
                authors=tuple(authors),
                year=year,
                place=place,
                publisher=publisher,
                edition="2nd ed." if i % 5 == 4 else "",
                isbns=isbns,
                lccn=lccn,
                oclc=10_000_000 + i * 101,
                subjects=(subject,),
                pages=f"{120 + (i * 29) % 400} p.",
            )
        )
    return works


ODYSSEY = Work(
    id="work-odyssey",
    title="The Odyssey",
    nonfiling=4,
    authors=("Homer",),
    responsibility="translated by Robert Fagles",
    year=1997,
    publisher="Penguin Books",
    isbns=((isbn13("978014026886"), "pbk."),),
    subjects=("Odysseus (Greek mythology) -- Poetry",),
    pages="541 p.",
    oclc=36_000_001,
    notes=("Translation of: Odysseia.",),
    summary="Odysseus' ten-year journey home from Troy to Ithaca and to Penelope.",
)
COUNTERPOINT = Work(  # its 020 $z is HARMONY's valid ISBN: the two must never merge
    id="work-counterpoint",
    title="Counterpoint in practice",
    authors=("Mann, Alfred",),
    year=1987,
    place="New York",
    publisher="Dover",
    isbns=((isbn13("978048625442"), "pbk."),),
    cancelled=(isbn13("978048625443"), "0-486-00000-0"),
    subjects=("Counterpoint",),
    pages="xiv, 242 p.",
)
HARMONY = Work(
    id="work-harmony",
    title="Harmony and voice leading",
    authors=("Aldwell, Edward",),
    year=1989,
    place="New York",
    publisher="Dover",
    isbns=((isbn13("978048625443"), ""),),
    subjects=("Harmony",),
    pages="xii, 620 p.",
)
BYZANTIUM_SET = isbn13("978052183231")
BYZANTIUM = tuple(
    Work(
        id=f"work-byzantine-{volume}",
        title="A history of the Byzantine state",
        part_number=f"Vol. {volume}",
        part_name=name,
        nonfiling=2,
        authors=("Ostrogorsky, George",),
        year=1968 + volume,
        place="Cambridge",
        publisher="Cambridge University Press",
        isbns=((isbn13(body), f"v. {volume}"),),
        set_isbn=BYZANTIUM_SET,
        subjects=("Byzantine Empire -- History",),
        pages=pages,
    )
    for volume, name, body, pages in (
        (1, "The early centuries", "978052183232", "xx, 410 p."),
        (2, "The middle centuries", "978052183233", "xii, 388 p."),
    )
)
ALGORITHMS = tuple(
    Work(
        id=f"work-algorithms-{number}",
        title="Introduction to algorithms",
        authors=("Cormen, Thomas H.", "Leiserson, Charles E.", "Rivest, Ronald L."),
        year=year,
        place="Cambridge, Mass.",
        publisher="MIT Press",
        edition=edition,
        isbns=((isbn13(body), "hbk."),),
        subjects=("Computer algorithms",),
        pages=pages,
        oclc=oclc,
    )
    for number, edition, year, body, pages, oclc in (
        (2, "2nd ed.", 2001, "978026203293", "xxi, 1180 p.", 46_000_002),
        (3, "3rd ed.", 2009, "978026203384", "xix, 1292 p.", 46_000_003),
    )
)
REPORTS = tuple(  # look-alikes: nothing but the year tells them apart
    Work(
        id=f"work-report-{year}",
        title="Annual report",
        corporate="Friends of the Library",
        year=year,
        place="Norwich",
        publisher="Friends of the Library",
        pages="24 p.",
        subjects=("Libraries -- Great Britain -- Periodicals",),
    )
    for year in (2019, 2020)
)
POEMS = tuple(
    Work(
        id=f"work-poems-{year}",
        title="Poems",
        authors=("Dickinson, Emily",),
        year=year,
        place="Boston",
        publisher="Roberts Brothers",
        pages="152 p.",
        subjects=("American poetry",),
    )
    for year in (1890, 1891)
)
VILLAGE = Work(  # no identifier at all: merges on title, author, year and edition only
    id="work-village",
    title="Letters from a village",
    subtitle="a Suffolk chronicle",
    authors=("Marsh, Edith",),
    year=1962,
    place="Ipswich",
    publisher="Boydell",
    subjects=("Suffolk (England) -- Social life and customs",),
    pages="188 p.",
)
GERMAN = (
    Work(
        id="work-strassen",
        title="Über die Straßen von München",
        subtitle="eine Stadtgeschichte",
        authors=("Groß, Anna",),
        year=2012,
        place="München",
        publisher="C.H. Beck",
        isbns=((isbn13("978340663114"), "Pappband"),),
        lang="ger",
        country="gw",
        subjects=("Straßenbau -- München -- Geschichte", "Munich (Germany) -- History"),
        pages="312 S.",
        edition="2. Auflage",
        oclc=80_000_001,
    ),
    Work(
        id="work-grundzuege",
        title="Grundzüge der Völkerpsychologie",
        authors=("Müller, Jürgen",),
        year=1998,
        place="Göttingen",
        publisher="Vandenhoeck & Ruprecht",
        isbns=((isbn13("978352545678"), ""),),
        lang="ger",
        country="gw",
        subjects=("Völkerpsychologie",),
        pages="245 S.",
    ),
)
FRENCH = (
    Work(
        id="work-miserables",
        title="Les misérables",
        nonfiling=4,
        authors=("Hugo, Victor",),
        year=1995,
        place="Paris",
        publisher="Gallimard",
        isbns=((isbn13("978207040850"), ""),),
        lang="fre",
        country="fr",
        subjects=("Paris (France) -- Romans",),
        pages="1 232 p.",
    ),
    Work(
        id="work-education",
        title="L'éducation sentimentale",
        nonfiling=2,
        authors=("Flaubert, Gustave",),
        year=2002,
        place="Paris",
        publisher="Éditions du Seuil",
        isbns=((isbn13("979102000012"), ""),),
        lang="fre",
        country="fr",
        subjects=("Jeunes hommes -- Romans",),
        pages="498 p.",
        summary="Frédéric Moreau, étudiant à Paris, et Mᵐᵉ Arnoux : l'éducation d'un cœur.",
    ),
)
SCRIPTS = (
    Work(
        id="work-voina",
        title="Война и мир",
        authors=("Толстой, Лев Николаевич",),
        year=1983,
        place="Москва",
        publisher="Художественная литература",
        isbns=((isbn13("978500012345"), ""),),
        lang="rus",
        country="ru",
        subjects=("Война 1812 года -- Романы",),
        pages="1 360 с.",
    ),
    Work(
        id="work-prestuplenie",
        title="Преступление и наказание",
        authors=("Достоевский, Фёдор Михайлович",),
        year=2006,
        place="Санкт-Петербург",
        publisher="Азбука",
        isbns=((isbn13("978535201234"), ""),),
        lang="rus",
        country="ru",
        pages="672 с.",
    ),
    Work(
        id="work-honglou",
        title="紅樓夢",
        authors=("曹雪芹",),
        year=2005,
        place="北京",
        publisher="人民文學出版社",
        isbns=((isbn13("978702004567"), ""),),
        lang="chi",
        country="cc",
        subjects=("中國小說",),
        pages="1 606 頁",
    ),
    Work(
        id="work-neko",
        title="Wagahai wa neko de aru",
        vernacular="吾輩は猫である",
        authors=("Natsume, Sōseki",),
        year=2003,
        place="Tōkyō",
        publisher="Shinchōsha",
        isbns=((isbn13("978410101001"), ""),),
        lang="jpn",
        country="ja",
        pages="610 p.",
    ),
)
JLH_ISSN = issn_of("0022225")
SERIALS = (
    Work(
        id="work-jlh",
        title="Journal of library history",
        kind="serial",
        year=1966,
        place="Tallahassee",
        publisher="Florida State University",
        issn=JLH_ISSN,
        subjects=("Libraries -- History -- Periodicals",),
        oclc=1_784_123,
        lang="eng",
        country="flu",
    ),
    Work(
        id="work-bibliothek",
        title="Bibliothek und Wissenschaft",
        kind="serial",
        year=1964,
        place="Wiesbaden",
        publisher="Harrassowitz",
        issn=issn_of("0067823"),
        lang="ger",
        country="gw",
        subjects=("Bibliothekswesen -- Zeitschrift",),
    ),
)
ARTICLES = (
    Work(
        id="work-article-circulating",
        title="Circulating libraries in Georgian England",
        authors=("Fergus, Jan",),
        year=1977,
        kind="article",
        host=("Journal of library history", JLH_ISSN, "Vol. 12, no. 3 (1977), p. 245-261"),
        subjects=("Circulating libraries -- England",),
    ),
    Work(
        id="work-article-editorial",
        title="Editorial",
        authors=("Reid, Margaret",),
        year=1977,
        kind="article",
        host=("Journal of library history", JLH_ISSN, "Vol. 12, no. 1 (1977), p. 1-2"),
    ),
)
THESIS = Work(
    id="work-thesis",
    title="Water rights in medieval Scotland",
    authors=("Campbell, Fiona",),
    year=2015,
    place="Edinburgh",
    publisher="University of Edinburgh",
    kind="thesis",
    thesis="Thesis (Ph.D.)--University of Edinburgh, 2015.",
    country="stk",
    subjects=("Water rights -- Scotland -- History",),
    pages="iv, 287 leaves",
    links=(("https://era.example.ac.uk/handle/1842/12345", "Full text (open access)"),),
)
COLLABORATION = Work(
    id="work-collaboration",
    title="Measurements of the lunar libration",
    subtitle="results of the International Libration Collaboration",
    authors=("Abbott, Alice",),
    extra_authors=99,
    year=2011,
    place="Geneva",
    publisher="CERN",
    isbns=((isbn13("978929083367"), ""),),
    subjects=("Moon -- Libration",),
    pages="84 p.",
)
ANONYMOUS = (
    Work(
        id="work-beowulf",
        title="Beowulf",
        subtitle="an Anglo-Saxon epic poem",
        responsibility="translated from the heyne-socin text by Jane Leeson Hall",
        year=1892,
        place="Boston",
        publisher="D.C. Heath",
        subjects=("Epic poetry, English (Old)",),
        lccn="10001234",
    ),
    Work(
        id="work-chronicle",
        title="The Anglo-Saxon chronicle",
        nonfiling=4,
        year=1953,
        publisher="Dent",
        lccn="53005678",
        subjects=("Great Britain -- History -- To 1066",),
    ),
)
UNDATED = Work(
    id="work-sermons",
    title="Sermons on several occasions",
    authors=("Wesley, John",),
    year=None,
    publisher="[s.n.]",
    subjects=("Methodist Church -- Sermons",),
    pages="3 v.",
)
ONLINE = Work(
    id="work-preservation",
    title="Digital preservation handbook",
    corporate="Digital Preservation Coalition",
    year=2015,
    place="York",
    publisher="Digital Preservation Coalition",
    isbns=((isbn13("978099315840"), "online"),),
    subjects=("Digital preservation",),
    links=(
        ("https://www.example.org/handbook", "Free online version"),
        ("https://www.example.org/handbook/errata", "Errata"),
    ),
)
EDITION_CONFLICT = Work(  # catalogued "2nd ed." / "Second edition" / "2. ed.": one work
    id="work-cataloguing",
    title="Cataloguing and classification",
    subtitle="an introduction",
    authors=("Chan, Lois Mai",),
    year=1994,
    place="New York",
    publisher="McGraw-Hill",
    edition="2nd ed.",
    isbns=((isbn13("978007010506"), "hbk."),),
    subjects=("Cataloging",),
    pages="xxi, 519 p.",
    oclc=28_000_017,
)
OLD_BOOK = Work(  # no ISBN: joined by its OCLC number and LCCN
    id="work-ornithology",
    title="A manual of British ornithology",
    authors=("Yarrell, William",),
    year=1952,
    publisher="Van Voorst",
    lccn="52012345",
    oclc=4_567_890,
    subjects=("Birds -- Great Britain",),
    pages="312 p.",
)

CURATED = (
    ODYSSEY,
    COUNTERPOINT,
    HARMONY,
    *BYZANTIUM,
    *ALGORITHMS,
    *REPORTS,
    *POEMS,
    VILLAGE,
    *GERMAN,
    *FRENCH,
    *SCRIPTS,
    *SERIALS,
    *ARTICLES,
    THESIS,
    COLLABORATION,
    *ANONYMOUS,
    UNDATED,
    ONLINE,
    EDITION_CONFLICT,
    OLD_BOOK,
)


# --- rendering a work as one catalogue's MARC record ------------------------------------------


@dataclass(frozen=True)
class _Style:
    """How one catalogue writes MARC: identifiers, ISBN form, holdings."""

    name: Style
    agency: str
    isbn_form: Literal["13", "10", "both"] = "13"
    hyphens: bool = False
    qualifier_in_q: bool = False  # RDA-era 020 $q instead of "(pbk.)" in $a
    rda: bool = False  # 264 _1 instead of 260
    holdings: Literal["", "852", "948"] = ""
    edition: Mapping[str, str] = field(default_factory=dict)  # edition statement rewrites


_STYLES = {
    "plain": _Style("plain", "DLC"),
    "copac": _Style("copac", "UkMaC", holdings="852"),
    "gbv": _Style(
        "gbv",
        "DE-627",
        isbn_form="10",
        hyphens=True,
        rda=True,
        edition={"2nd ed.": "2. ed.", "3rd ed.": "3. ed."},
    ),
    "oclc": _Style(
        "oclc",
        "OCoLC",
        isbn_form="both",
        qualifier_in_q=True,
        holdings="948",
        edition={"2nd ed.": "Second edition."},
    ),
}

_LIBRARIES_852 = (  # 852 $a institution, $b location
    ("University of Oxford", "Bodleian Library"),
    ("British Library", "St Pancras"),
    ("University of Cambridge", "University Library"),
)
_LIBRARIES_948 = (  # OCLC 948: $a country, $b state or province, $c OCLC symbol, $d library
    ("US", "MA", "HLS", "Harvard University Library"),
    ("US", "NY", "ZCU", "Columbia University"),
    ("GB", "", "UKMGB", "British Library"),
    ("DE", "", "GBVCP", "SUB Göttingen"),
)


def _df(tag: str, indicators: str, *subfields: tuple[str, str]) -> Field:
    """A data field: ``_df("245", "14", ("a", "The Odyssey"))``."""
    return Field(
        tag=tag,
        indicators=Indicators(indicators[0], indicators[1]),
        subfields=[Subfield(code, value) for code, value in subfields],
    )


def _end(text: str, mark: str = ".") -> str:
    """``text`` closed by ``mark``, unless it already ends in punctuation or a non-Latin letter."""
    if not text or text[-1] in ".?!-" or not text[-1].isascii():
        return text
    return text + mark


def _isbn_fields(work: Work, style: _Style) -> list[Field]:
    fields = []
    entries = list(work.isbns) + ([(work.set_isbn, "set")] if work.set_isbn else [])
    for value13, qualifier in entries:
        values = [value13]
        if value13.startswith("978") and style.isbn_form != "13":
            ten = isbn10_of(value13)
            values = [ten] if style.isbn_form == "10" else [value13, ten]
        for value in values:
            text = str(isbn.format(value)) if style.hyphens else value
            if qualifier and style.qualifier_in_q:
                fields.append(_df("020", "  ", ("a", text), ("q", qualifier)))
            else:
                fields.append(
                    _df("020", "  ", ("a", f"{text} ({qualifier})" if qualifier else text))
                )
    fields += [_df("020", "  ", ("z", value)) for value in work.cancelled]
    return fields


def _fixed_008(work: Work, entered: str) -> str:
    if work.kind == "serial":
        dates = f"c{work.year or 'uuuu'}9999"
    elif work.year is None:
        dates = "nuuuuuuuu"
    else:
        dates = f"s{work.year}    "
    return f"{entered}{dates}{work.country:<3.3}{' ' * 17}{work.lang} d"


def _title_field(work: Work) -> Field:
    closing = " /" if work.responsibility else "."
    # ISBD: what follows a subfield decides its closing mark
    if work.subtitle:
        after_a = " :"
    elif work.part_number:
        after_a = "."
    else:
        after_a = closing
    subs = [("6", "880-01")] if work.vernacular else []
    subs.append(("a", work.title + after_a))
    if work.part_number:
        subs.append(("n", work.part_number + ("," if work.part_name else closing)))
    if work.part_name:
        subs.append(("p", work.part_name + closing))
    if work.subtitle:
        subs.append(("b", work.subtitle + closing))
    if work.responsibility:
        subs.append(("c", work.responsibility + "."))
    has_author = bool(work.authors or work.corporate)
    return _df("245", f"{int(has_author)}{work.nonfiling}", *subs)


def _imprint(work: Work, style: _Style) -> Field:
    subs = [("a", f"{work.place} :"), ("b", f"{work.publisher},")]
    if work.year is None:
        subs[-1] = ("b", work.publisher)
    else:
        subs.append(("c", f"{work.year}-" if work.kind == "serial" else f"{work.year}."))
    return _df("264", " 1", *subs) if style.rda else _df("260", "  ", *subs)


def _names(work: Work, style: _Style) -> list[Field]:
    relator = [("e", "author.")] if style.rda else []
    fields = []
    if work.authors:
        first = work.authors[0]
        heading = first + "," if style.rda else _end(first)
        fields.append(_df("100", "1 " if "," in first else "0 ", ("a", heading), *relator))
    elif work.corporate:
        fields.append(_df("110", "2 ", ("a", _end(work.corporate))))
    fields += [_df("700", "1 ", ("a", _end(name)), *relator) for name in work.authors[1:]]
    for number in range(1, work.extra_authors + 1):
        name = f"{SURNAMES[number % 24]}, {FORENAMES[(number * 7) % 20][0]}."
        fields.append(_df("700", "1 ", ("a", name)))
    return fields


def _subjects(work: Work, style: _Style) -> list[Field]:
    fields = []
    for heading in work.subjects:
        head, *subdivisions = heading.split(" -- ")
        subs = [("a", head), *(("x", s) for s in subdivisions)]
        if style.name == "gbv" and work.lang == "ger":  # German headings from the GND
            fields.append(_df("650", " 7", *subs, ("2", "gnd")))
        else:
            fields.append(_df("650", " 0", *subs))
    return fields


def _holdings(work: Work, kind: str, serial_number: int) -> list[Field]:
    fields = []
    if kind == "852":
        for library, location in _LIBRARIES_852[: 1 + serial_number % 3]:
            shelf = f"{300 + serial_number}.{serial_number % 97}"
            fields.append(_df("852", "  ", ("a", library), ("b", location), ("h", shelf)))
    if kind == "948":
        for country, state, symbol, name in _LIBRARIES_948[: 1 + serial_number % 4]:
            region = [("b", state)] if state else []
            fields.append(_df("948", "  ", ("a", country), *region, ("c", symbol), ("d", name)))
        if work.isbns and serial_number % 3 == 0:
            url = f"https://worldcat.example.org/oclc/{work.oclc or serial_number}"
            fields.append(
                _df("856", "41", ("u", url), ("i", "PDF"), ("z", "Full text via FirstSearch"))
            )
    return fields


def _render(
    work: Work, control: str, style_name: Style, serial_number: int = 0, holdings: str = ""
) -> Record:
    """``work`` as catalogue ``style_name`` would send it, with 001 ``control``; ``holdings``
    ("852", "948") adds holdings fields to a style that has none of its own."""
    style = _STYLES[style_name]
    level = {"book": "m", "thesis": "m", "serial": "s", "article": "b"}[work.kind]
    record = Record(force_utf8=True, leader=f"00000na{level} a2200000 a 4500")
    fields = [
        Field(tag="001", data=control),
        Field(tag="003", data=style.agency),
        Field(tag="005", data="20240101120000.0"),
        Field(tag="008", data=_fixed_008(work, "240101")),
    ]
    if work.lccn:
        fields.append(_df("010", "  ", ("a", f"   {work.lccn} ")))
    fields += _isbn_fields(work, style)
    if work.issn:
        written = work.issn.replace("-", "") if style.name == "gbv" else work.issn
        fields.append(_df("022", "0 ", ("a", written), ("l", work.issn)))
    if work.oclc and style.name in ("oclc", "gbv"):
        fields.append(_df("035", "  ", ("a", f"(OCoLC){work.oclc}")))
    if style.name == "gbv":
        fields.append(_df("035", "  ", ("a", f"(DE-599)GBV{control}")))
    language = "ger" if style.name == "gbv" else "eng"
    rules = [("e", "rda")] if style.rda else []
    fields.append(
        _df("040", "  ", ("a", style.agency), ("b", language), ("c", style.agency), *rules)
    )
    fields += _names(work, style)[:1]
    fields.append(_title_field(work))
    if work.edition:
        fields.append(_df("250", "  ", ("a", style.edition.get(work.edition, work.edition))))
    if work.kind != "article":
        fields.append(_imprint(work, style))
    if work.pages:
        fields.append(_df("300", "  ", ("a", work.pages + " ;"), ("c", "24 cm.")))
    if work.thesis:
        fields.append(_df("502", "  ", ("a", work.thesis)))
    fields += [_df("500", "  ", ("a", note)) for note in work.notes]
    if work.summary:
        fields.append(_df("520", "  ", ("a", work.summary)))
    fields += _subjects(work, style)
    fields += _names(work, style)[1:]
    if work.kind == "article":
        host_title, host_issn, where = work.host
        fields.append(_df("773", "0 ", ("t", host_title), ("g", where), ("x", host_issn)))
    if work.vernacular:
        fields.append(_df("880", "10", ("6", "245-01/$1"), ("a", work.vernacular)))
    fields += [_df("856", "40", ("u", url), ("z", note)) for url, note in work.links]
    fields += _holdings(work, holdings or style.holdings, serial_number)
    fields.append(_df(WORK_TAG, "  ", (WORK_CODE, work.id)))
    record.fields.extend(fields)
    return record


# --- public -------------------------------------------------------------------------------------


def work_id(record: Record) -> str | None:
    """The ground-truth work id in 999 $w, or None for a record without one."""
    for fld in record.get_fields(WORK_TAG):
        values = fld.get_subfields(WORK_CODE)
        if values:
            return str(values[0])
    return None


def corpus() -> list[Record]:
    """The main "books" database: 96 plain books, the curated cases, and three duplicates.

    Duplicates inside this one database (union catalogues have them): the Odyssey once with
    ISBN-13 and once with its ISBN-10 (hyphenated, 264); "Letters from a village" twice without
    any identifier; "Les misérables" once more with decomposed (NFD) accents. Some records
    carry OCLC 948 holdings (and a full-text 856), some 852 holdings.
    Control numbers are "pc00001"... in list order.
    """
    works: list[tuple[Work, Style]] = [(w, "plain") for w in _plain_works()]
    works += [(w, "plain") for w in CURATED]
    works += [(ODYSSEY, "gbv"), (replace(VILLAGE, place="Ipswich [England]"), "plain")]
    works += [(_decompose(FRENCH[0]), "plain")]
    held_948 = {ONLINE.id, COLLABORATION.id, ALGORITHMS[1].id}  # OCLC-style holdings
    held_852 = {THESIS.id, GERMAN[0].id, ODYSSEY.id}  # library and shelf mark
    records = []
    for n, (work, style) in enumerate(works, start=1):
        plain_948 = work.id.startswith("work-plain-") and n % 10 == 0
        plain_852 = work.id.startswith("work-plain-") and n % 10 == 5
        holdings = "948" if work.id in held_948 or plain_948 else ""
        holdings = "852" if work.id in held_852 or plain_852 else holdings
        records.append(_render(work, f"pc{n:05d}", style, n, holdings))
    return records


# Which catalogues hold which works: every pattern of overlap, plus the traps.
_MEMBERSHIP = ("cgo", "cg", "go", "co", "c", "g", "o")


def _style_works() -> list[tuple[Work, str]]:
    plain = _plain_works()
    chosen = [(plain[i], _MEMBERSHIP[i % len(_MEMBERSHIP)]) for i in range(0, 84, 3)]
    chosen += [
        (ODYSSEY, "cgo"),  # ISBN-13 / hyphenated ISBN-10 / both with $q
        (EDITION_CONFLICT, "cgo"),  # same ISBN, edition written three ways
        (ALGORITHMS[0], "cg"),
        (ALGORITHMS[1], "o"),  # other edition, other ISBN: apart
        (BYZANTIUM[0], "go"),
        (BYZANTIUM[1], "o"),  # volumes share only the set ISBN
        (COUNTERPOINT, "o"),
        (HARMONY, "c"),  # $z of one is the other's ISBN
        (VILLAGE, "cg"),  # no identifiers (so not in "oclc"); title, author, year, edition
        (POEMS[0], "c"),
        (POEMS[1], "g"),  # no identifiers; year decides
        (OLD_BOOK, "go"),  # OCLC number and LCCN only
        (SERIALS[0], "cgo"),
        # no identifiers: never held by "oclc", whose 001 ocm number is an identifier
        (ARTICLES[0], "cg"),
        (GERMAN[0], "go"),
        (FRENCH[1], "cg"),
        (SCRIPTS[0], "co"),
        (THESIS, "c"),
        (ONLINE, "o"),
        (COLLABORATION, "g"),
    ]
    return chosen


def style_sets() -> dict[str, list[Record]]:
    """The "copac", "gbv" and "oclc" catalogues: overlapping renderings of the corpus works.

    Control numbers: copac "C0000001"..., gbv "000000017"... (PPN-like), oclc "ocm<OCLC number>"
    (or "ocm9" + a serial number when the work has none). :func:`expected_groups` is the answer.
    """
    sets: dict[str, list[Record]] = {name: [] for name in CATALOGUES}
    for n, (work, where) in enumerate(_style_works(), start=1):
        for name in CATALOGUES:
            if name[0] not in where:
                continue
            if name == "copac":
                control = f"C{n:07d}"
            elif name == "gbv":
                control = f"{n * 17:09d}"
            else:
                control = f"ocm{work.oclc:08d}" if work.oclc else f"ocm9{n:07d}"
            sets[name].append(_render(work, control, name, n))
    return sets


def expected_groups(
    catalogues: Mapping[str, Iterable[Record]],
) -> list[frozenset[tuple[str, str]]]:
    """The ground-truth merge: one set of (catalogue, 001) per work, largest groups first.

    Pass ``style_sets()``, or ``{"books": corpus()}`` for the duplicates inside one database.
    """
    groups: dict[str, set[tuple[str, str]]] = {}
    for name, records in catalogues.items():
        for record in records:
            work = work_id(record)
            control = "".join(str(f.data) for f in record.get_fields("001"))
            if work is None:
                raise ValueError(f"record {control!r} of {name!r} has no 999 $w work id")
            groups.setdefault(work, set()).add((name, control))
    return sorted((frozenset(g) for g in groups.values()), key=lambda g: (-len(g), sorted(g)))


_BULK_WORDS = (
    "history",
    "science",
    "theory",
    "practice",
    "studies",
    "essays",
    "letters",
    "voyages",
    "principles",
    "elements",
    "introduction",
    "survey",
    "memoirs",
    "sketches",
    "notes",
    "lectures",
    "readings",
    "papers",
    "reflections",
    "observations",
)
_BULK_SUBJECTS = (
    "music",
    "geology",
    "chemistry",
    "economics",
    "poetry",
    "architecture",
    "medicine",
    "astronomy",
    "law",
    "theology",
    "botany",
    "navigation",
    "painting",
    "farming",
)


def bulk(n: int) -> list[Record]:
    """``n`` unique plain books for benchmarks, "pb0000001"...; the first ``k`` of ``bulk(n)``
    equal ``bulk(k)`` except for which ones carry the rare word.

    Exactly :data:`BULK_RARE_HITS` records (spread evenly) have :data:`BULK_RARE_WORD` in
    their title and nowhere else, so ``find @attr 1=4 zephyr`` (or 1=1016) gives 67 hits
    when ``n`` >= 67, and ``n`` hits when fewer. Each has a valid unique ISBN-13.
    """
    if n <= BULK_RARE_HITS:
        rare = set(range(n))
    else:
        rare = {(k * n) // BULK_RARE_HITS for k in range(BULK_RARE_HITS)}
    records = []
    for i in range(n):
        word = _BULK_WORDS[i % len(_BULK_WORDS)]
        subject = _BULK_SUBJECTS[(i // len(_BULK_WORDS)) % len(_BULK_SUBJECTS)]
        title = f"{word.capitalize()} of {subject}"
        subtitle = f"{BULK_RARE_WORD} edition" if i in rare else f"volume {i // 280 + 1}"
        place, publisher, _prefix = PUBLISHERS[i % len(PUBLISHERS)]
        work = Work(
            id=f"work-bulk-{i}",
            title=title,
            subtitle=subtitle,
            authors=(f"{SURNAMES[i % 24]}, {FORENAMES[(i // 24) % 20]}",),
            year=1900 + i % 124,
            place=place,
            publisher=publisher,
            isbns=((isbn13(f"9781{i:08d}"), ""),),
            subjects=(subject.capitalize(),),
            pages=f"{100 + i % 500} p.",
        )
        records.append(_render(work, f"pb{i + 1:07d}", "plain", i))
    return records
