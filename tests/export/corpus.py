"""A hostile corpus of BibRecords: everything that has broken a bibliography export somewhere.

Each case is named so a failing test says which record broke which judge.
"""

from __future__ import annotations

from app.records.model import BibRecord, Holding, HostItem, Isbn, Issn, Link, Name, Original

DARWIN = BibRecord(
    title="The origin of species",
    nonsort="The ",
    subtitle="by means of natural selection",
    names=(Name("Darwin, Charles", dates="1809-1882"),),
    edition="1st ed.",
    publisher="John Murray",
    place="London",
    year=1859,
    date="1859",
    physical="ix, 502 p.",
    language="eng",
    languages=("eng",),
    subjects=("Evolution (Biology)", "Natural selection -- History -- 19th century"),
    isbns=(
        Isbn("9780198526636", "0-19-852663-6 (pbk.)", True, "pbk."),
        Isbn("9780140432053", "9780140432053", True),
        Isbn("0198526630", "0198526630", False),
        Isbn("9780000000002", "9780000000002", True, cancelled=True),
    ),
    urls=(Link("https://doi.org/10.5962/bhl.title.68064", "Full text"),),
    holdings=(Holding(library="LoC", call_number="QH365 .O2 1859"),),
    target="LoC",
    position=1,
)


def _authors(n: int) -> tuple[Name, ...]:
    return tuple(Name(f"Author{i:03d}, Given{i}") for i in range(n))


CASES: dict[str, BibRecord] = {
    "darwin": DARWIN,
    "braces": BibRecord(
        title="Set theory {ZF} and {unbalanced",
        subtitle="closing}} too} many",
        names=(Name("{Anon}, {Brace"),),
        notes=("}}} closes nothing {", "{{{{"),
        year=2001,
    ),
    "percent_backslash": BibRecord(
        title=r"50% of C:\Users\x \textbf{bold} ends with \\",
        names=(Name("Back\\slash, Percent%"),),
        abstract="100% \\ backslash \\n not a newline % comment?",
        year=1999,
    ),
    "quotes_at": BibRecord(
        title="He said \"hello\" and 'bye' @home, a=b, x@y.org",
        names=(Name('O\'Brien, "Flann"'),),
        notes=('@book{fake, title = "injected"}', "ER  - not the end", "TY  - JOUR"),
        year=1967,
    ),
    "tex_specials": BibRecord(
        title="Cost $5 & #1 a_b ~home ^caret",
        subtitle="R&D for C# and F#: 100% _under_ ~approx~ ^up^ $math$",
        names=(Name("Smith & Sons, Ltd", kind="corporate"), Name("Ünder_score, A.")),
        publisher="AT&T Bell Labs #2",
        place="Murray Hill, N.J. ~ 50%",
        series=("Lecture notes in C# & $", "Series_2"),
        year=1984,
    ),
    "line_breaks": BibRecord(
        title="A title\nbroken over\r\nthree lines",
        names=(Name("Tab,\tTom"),),
        notes=("line one\nline two\r\n\tindented\x0bvertical\x0cform\x85nel\u2028ls\u2029ps",),
        abstract="para 1\n\npara 2\ttabbed",
        subjects=("Subject\nwith break",),
        year=2010,
    ),
    "controls": BibRecord(
        title="Control \x00nul \x1bescape \x1fsubfield \x1efield \x1drecord \x07bell end",
        notes=("bad \udcff surrogate and \ufffe nonchar",),
        year=2002,
    ),
    "hundred_authors": BibRecord(
        title="Observation of a new particle in the search for the Standard Model Higgs boson",
        names=_authors(100),
        year=2012,
        material="article",
        host=HostItem(title="Physics Letters B", volume="716", issue="1", pages="1-29"),
    ),
    "no_author_no_year": BibRecord(title="Anonymous pamphlet without a date"),
    "empty": BibRecord(),
    "corporate": BibRecord(
        title="World health statistics",
        names=(
            Name("World Health Organization", kind="corporate"),
            Name("Conference on Health (3rd : 2001 : Paris, France)", kind="meeting"),
            Name("Department of Trade and Industry", kind="corporate", role="editor"),
        ),
        publisher="WHO",
        place="Geneva",
        year=2008,
        isbns=(Isbn("9789241563598", "9789241563598", True),),
    ),
    "cyrillic": BibRecord(
        title="Война и мир",
        names=(Name("Толстой, Лев Николаевич", dates="1828-1910"),),
        publisher="Художественная литература",
        place="Москва",
        year=1978,
        language="rus",
        subjects=("Русская литература",),
    ),
    "cjk": BibRecord(
        title="源氏物語",
        names=(Name("紫式部"),),
        publisher="岩波書店",
        place="東京",
        year=1965,
        language="jpn",
    ),
    "chinese_korean": BibRecord(
        title="中国哲学史 한국어 제목",
        names=(Name("冯友兰"), Name("김, 철수")),
        year=1931,
        language="chi",
    ),
    "nfd": BibRecord(
        title="Cafe\u0301 society in Mu\u0308nchen",
        subtitle="Tie\u0302\u0301ng Vie\u0323\u0302t and S\u030cpane\u030c\u030c",
        names=(Name("Mu\u0308ller, Jo\u0308rg"), Name("Dvor\u030ca\u0301k, Anton\u0131\u0301n")),
        publisher="Verlag fu\u0308r Ü",
        year=1990,
        language="ger",
    ),
    "european": BibRecord(
        title="Straße, Ørsted, Łódź, İstanbul, þorn, ðeta, Æsir, Œuvre, ș and ț, ñandú, ç",
        names=(Name("Çelik, Ömer"), Name("Łukasiewicz, Jan"), Name("Þórðarson, Þórbergur")),
        place="Kraków",
        year=1920,
    ),
    "greek": BibRecord(title="Ὀδύσσεια", names=(Name("Ὅμηρος"),), year=800, language="grc"),
    "emoji": BibRecord(
        title="Cats 🐱 and dogs 🐶: a 👍 review ❤️",
        names=(Name("Emoji, 😀"),),
        year=2020,
        notes=("Flags 🇩🇪 and ZWJ 👩‍💻 sequences",),
    ),
    "typography": BibRecord(
        title="“Quotes” – en — em … ellipsis «guillemets» ‘single’ € £ © ® ™ § ¶ ° ½ x²",
        subtitle="non\u00a0breaking\u2009thin\u3000ideographic ﬁ ligature ＡＢＣ",
        year=2015,
    ),
    "capitals": BibRecord(
        title="Z39.50 and DNA in Paris",
        subtitle="iPhone apps for the NASA McDonald's LaTeX users",
        names=(Name("van Gogh, Vincent"), Name("King, Martin Luther, Jr."), Name("Plato")),
        year=2005,
    ),
    "and_in_name": BibRecord(
        title="Names with and",
        names=(Name("Marks and Spencer, Michael"), Name("And, Anders AND")),
        year=1977,
    ),
    "long_title": BibRecord(
        title=" ".join(f"Word{i} of a very long Title" for i in range(500)),
        names=(Name("Long, Lois"),),
        abstract="Abstract " * 3000,
        year=2000,
    ),
    "article": BibRecord(
        title="Molecular structure of nucleic acids",
        subtitle="a structure for deoxyribose nucleic acid",
        names=(Name("Watson, J. D."), Name("Crick, F. H. C.")),
        year=1953,
        date="1953-04-25",
        material="article",
        host=HostItem(
            title="Nature",
            volume="171",
            issue="4356",
            pages="737–738",
            year=1953,
            issn="0028-0836",
            related_parts="Vol. 171, no. 4356 (1953), p. 737-738",
        ),
        issns=(Issn("0028-0836", "0028-0836", True),),
        urls=(Link("https://doi.org/10.1038/171737a0"),),
    ),
    "chapter": BibRecord(
        title="The chapter",
        names=(Name("Author, Chapter"), Name("Editor, Book", role="editor")),
        year=2003,
        material="chapter",
        host=HostItem(title="The collected book", pages="pp. 11-42", isbn="9780198526636"),
    ),
    "phd_thesis": BibRecord(
        title="A thesis on theses",
        names=(Name("Scholar, Young"),),
        year=1990,
        material="thesis",
        notes=("Thesis (Ph. D.)--University of Oxford, 1990.", "Includes bibliography."),
    ),
    "masters_thesis": BibRecord(
        title="Eine Diplomarbeit",
        names=(Name("Student, Erika"),),
        year=2004,
        material="thesis",
        notes=("Diplomarbeit, Technische Universität München, 2004",),
        language="ger",
    ),
    "thesis_unknown_degree": BibRecord(
        title="Some thesis", names=(Name("X, Y"),), year=2011, material="thesis"
    ),
    "map": BibRecord(
        title="Map of the world", names=(Name("Mercator, Gerardus"),), year=1569, material="map"
    ),
    "music": BibRecord(title="Sonatas", names=(Name("Scarlatti, Domenico"),), material="music"),
    "sound": BibRecord(title="Kind of blue", names=(Name("Davis, Miles"),), material="sound"),
    "video": BibRecord(title="Metropolis", names=(Name("Lang, Fritz"),), material="video"),
    "image": BibRecord(title="Photograph", material="image", year=1900),
    "electronic": BibRecord(
        title="Online database",
        material="electronic",
        urls=(Link("http://example.org/a b{c}\\d?q=1&r=ü#frag"), Link("ftp://x.org/f;type=a")),
    ),
    "manuscript": BibRecord(
        title="Letter to a friend", names=(Name("Writer, A."),), year=1850, material="manuscript"
    ),
    "proceedings": BibRecord(
        title="Proceedings of the 1st Conference",
        material="conference",
        year=2001,
        names=(Name("Chair, Program", role="editor"),),
    ),
    "conference_paper": BibRecord(
        title="A paper",
        names=(Name("Speaker, S."),),
        material="conference",
        year=2001,
        host=HostItem(title="Proceedings of the 1st Conference", pages="1-10"),
    ),
    "report": BibRecord(title="Technical report 42", publisher="Institute", material="report"),
    "serial": BibRecord(
        title="Journal of hostile data",
        material="serial",
        issns=(
            Issn("1234-5679", "1234-5679", True),
            Issn("2345-6789", "2345-6789", False, "linking"),
        ),
    ),
    "other": BibRecord(title="Kit", material="other", year=1999),
    "html_like": BibRecord(
        title="<i>Homo sapiens</i> & <b>bold</b> ]]> <![CDATA[ x ]]>",
        names=(Name("<script>alert(1)</script>"),),
        year=2001,
    ),
    "part": BibRecord(title="Collected works", part="Vol. 2, Letters", year=1900),
    "weird_year": BibRecord(title="Year 850", year=850, date="[850?]"),
    "translator": BibRecord(
        title="Translated",
        names=(Name("Original, Author"), Name("Translator, Tina", role="translator")),
        year=1999,
    ),
    "mods_source": BibRecord(
        title="From MODS",
        names=(Name("Mods, Maria"),),
        year=2018,
        original=Original("mods", "1.2.840.10003.5.109.10", b"<mods/>"),
        target="Copac",
        position=7,
    ),
}

# two records with the same surname, year and first title word: their keys must clash
CLASH = [
    BibRecord(title="Origin of species", names=(Name("Darwin, Charles"),), year=1859),
    BibRecord(title="The origin of species", names=(Name("Darwin, C."),), year=1859),
    BibRecord(title="Origin", names=(Name("Darwin, Charles"),), year=1859),
]


def hostile() -> list[BibRecord]:
    return list(CASES.values())
