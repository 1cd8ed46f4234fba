"""Write the offline demo's three catalogues from the book list below.

    .venv/bin/python resources/demo/make_demo.py      # rewrites the files beside this script

- ``copac.mods.xml`` + ``copac.sutrs.txt``: a Copac-style catalogue (MODS and SUTRS only);
- ``gbv.mrc``: a GBV-style catalogue (MARC 21 in UTF-8, 852 holdings, scan and sort);
- ``oclc.mrc``: an OCLC-style catalogue (MARC 21, 035 OCLC numbers, 948 holdings, 856 links;
  the demo serves it behind a login with an OCLC user-information record).

The same book appears in two or three catalogues with the differences real catalogues have
(an ISBN-10 here and its ISBN-13 there, "2. Aufl." against "2nd ed.", a missing publisher),
so that the window's merge, conflicts and holdings have something to show. The ISBNs are
made with valid check digits; they are demo data, not real books' numbers.
Deterministic: running it twice writes the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pymarc

HERE = Path(__file__).resolve().parent


def isbn13(stem12: str) -> str:
    digits = [int(c) for c in stem12]
    total = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return stem12 + str((10 - total % 10) % 10)


def isbn10(isbn_13: str) -> str:
    stem = isbn_13[3:12]
    total = sum((10 - i) * int(c) for i, c in enumerate(stem))
    check = (11 - total % 11) % 11
    return stem + ("X" if check == 10 else str(check))


@dataclass
class Book:
    key: str
    title: str
    authors: list[str]
    publisher: str
    place: str
    year: int
    language: str
    subjects: list[str]
    pages: str
    subtitle: str = ""
    nonsort: str = ""
    edition: str = ""
    isbn_stem: str = ""  # 12 digits; the check digit is computed
    oclc: str = ""
    editors: list[str] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)
    series: str = ""
    # which catalogues hold it: c = Copac-style, g = GBV-style, o = OCLC-style
    held: str = "cgo"
    # per catalogue differences: {"g": {"edition": "2. Aufl."}, "o": {"isbn10": True}}
    quirks: dict[str, dict[str, object]] = field(default_factory=dict)
    url: str = ""

    @property
    def isbn(self) -> str:
        return isbn13(self.isbn_stem) if self.isbn_stem else ""


BOOKS: list[Book] = [
    Book("origin1859", "On the origin of species by means of natural selection",
         ["Darwin, Charles, 1809-1882"], "John Murray", "London", 1859, "eng",
         ["Evolution (Biology)", "Natural selection"], "ix, 502 p.", nonsort="",
         subtitle="or the preservation of favoured races in the struggle for life",
         oclc="352242", held="cgo", url="https://www.gutenberg.org/ebooks/1228"),
    Book("origin2008", "On the origin of species", ["Darwin, Charles, 1809-1882"],
         "Oxford University Press", "Oxford", 2008, "eng",
         ["Evolution (Biology)", "Natural selection"], "lvi, 394 p.",
         editors=["Beer, Gillian"], isbn_stem="978019921922", series="Oxford world's classics",
         held="cgo", quirks={"o": {"isbn10": True}}),
    Book("groesse", "Über die Größe der Bibliotheken", ["Müller, Jürgen"], "Mohr Siebeck",
         "Tübingen", 2009, "ger", ["Bibliothek", "Bibliotheksbau"], "XII, 318 S.",
         edition="2. Aufl.", isbn_stem="978316148410", held="cgo",
         quirks={"o": {"edition": "2nd ed."}, "c": {"edition": "2nd edition"}}),
    Book("process", "Der Process", ["Kafka, Franz, 1883-1924"], "S. Fischer",
         "Frankfurt am Main", 1998, "ger", ["Kafka, Franz -- Der Process"], "410 S.",
         subtitle="Roman in der Fassung der Handschrift", isbn_stem="978310038199", held="go"),
    Book("miserables", "Les misérables", ["Hugo, Victor, 1802-1885"], "Gallimard", "Paris",
         1995, "fre", ["Paris (France) -- Fiction"], "2 vol. (1934 p.)",
         nonsort="Les ", isbn_stem="978207040228", series="Folio classique", held="co"),
    Book("recherche", "À la recherche du temps perdu", ["Proust, Marcel, 1871-1922"],
         "Gallimard", "Paris", 1999, "fre", ["Mémoire -- Romans"], "2401 p.",
         isbn_stem="978207075492", series="Quarto", held="cgo"),
    Book("taocp1", "The art of computer programming", ["Knuth, Donald Ervin, 1938-"],
         "Addison-Wesley", "Reading, Mass.", 1997, "eng",
         ["Computer programming", "Computer algorithms"], "xx, 650 p.", nonsort="The ",
         subtitle="Vol. 1, Fundamental algorithms", edition="3rd ed.",
         isbn_stem="978020189683", held="cgo", quirks={"g": {"isbn10": True}}),
    Book("taocp2", "The art of computer programming", ["Knuth, Donald Ervin, 1938-"],
         "Addison-Wesley", "Reading, Mass.", 1997, "eng",
         ["Computer programming", "Computer algorithms"], "xiii, 762 p.", nonsort="The ",
         subtitle="Vol. 2, Seminumerical algorithms", edition="3rd ed.",
         isbn_stem="978020189684", held="go"),
    Book("sicp", "Structure and interpretation of computer programs",
         ["Abelson, Harold", "Sussman, Gerald Jay"], "MIT Press", "Cambridge, Mass.", 1996,
         "eng", ["LISP (Computer program language)", "Computer programming"], "xxiii, 657 p.",
         edition="2nd ed.", isbn_stem="978026251087", held="cgo"),
    Book("salton", "Introduction to modern information retrieval",
         ["Salton, Gerard", "McGill, Michael J."], "McGraw-Hill", "New York", 1983, "eng",
         ["Information storage and retrieval systems"], "xv, 448 p.",
         isbn_stem="978007054484", held="co", quirks={"c": {"isbn10": True}}),
    Book("chan", "Cataloging and classification", ["Chan, Lois Mai"], "Scarecrow Press",
         "Lanham, Md.", 2007, "eng", ["Cataloging", "Classification -- Books"], "xxiv, 560 p.",
         subtitle="an introduction", edition="3rd ed.", isbn_stem="978081086000", held="cgo",
         quirks={"g": {"publisher": ""}}),
    Book("frbr", "FRBR", ["Maxwell, Robert L., 1957-"], "American Library Association",
         "Chicago", 2008, "eng", ["FRBR (Conceptual model)", "Cataloging"], "xi, 154 p.",
         subtitle="a guide for the perplexed", isbn_stem="978083890950", held="co"),
    Book("pride", "Pride and prejudice", ["Austen, Jane, 1775-1817"], "Penguin Books",
         "London", 2003, "eng", ["Courtship -- Fiction", "England -- Fiction"], "xliii, 435 p.",
         editors=["Jones, Vivien"], isbn_stem="978014143951", series="Penguin classics",
         held="cgo"),
    Book("middlemarch", "Middlemarch", ["Eliot, George, 1819-1880"], "Penguin Books",
         "London", 1994, "eng", ["Married people -- Fiction"], "xxx, 838 p.",
         subtitle="a study of provincial life", isbn_stem="978014043388", held="co"),
    Book("voina", "Война и мир", ["Толстой, Лев Николаевич, 1828-1910"], "Эксмо", "Москва",
         2015, "rus", ["Napoleonic Wars, 1800-1815 -- Fiction"], "1296 с.",
         isbn_stem="978569973412", held="go"),
    Book("neko", "吾輩は猫である", ["夏目漱石, 1867-1916"], "岩波書店", "東京", 1990, "jpn",
         ["Cats -- Fiction"], "555 p.", isbn_stem="978400310101", held="go"),
    Book("blechtrommel", "Die Blechtrommel", ["Grass, Günter, 1927-2015"], "Steidl",
         "Göttingen", 1993, "ger", ["Danzig (Poland) -- Fiction"], "731 S.", nonsort="Die ",
         subtitle="Roman", isbn_stem="978388243234", held="cgo"),
    Book("faust", "Faust", ["Goethe, Johann Wolfgang von, 1749-1832"], "Reclam", "Stuttgart",
         2000, "ger", ["Faust, -d 1540 -- Drama"], "143 S.",
         subtitle="der Tragödie erster Teil", isbn_stem="978315000001",
         series="Reclams Universal-Bibliothek", held="cgo", quirks={"o": {"isbn10": True}}),
    Book("bovary", "Madame Bovary", ["Flaubert, Gustave, 1821-1880"], "Gallimard", "Paris",
         2001, "fre", ["Adultery -- Fiction"], "512 p.", subtitle="mœurs de province",
         isbn_stem="978207041311", series="Folio classique", held="co"),
    Book("quijote", "Don Quijote de la Mancha",
         ["Cervantes Saavedra, Miguel de, 1547-1616"], "Alfaguara", "Madrid", 2004, "spa",
         ["Knights and knighthood -- Spain -- Fiction"], "XCVI, 1249 p.",
         editors=["Rico, Francisco"], isbn_stem="978842046761", held="cgo"),
    Book("rose-en", "The name of the rose", ["Eco, Umberto"], "Harcourt Brace Jovanovich",
         "San Diego", 1983, "eng", ["Monastic and religious life -- Fiction"], "502 p.",
         nonsort="The ", translators=["Weaver, William, 1923-2013"], isbn_stem="978015144647",
         held="cgo", quirks={"o": {"isbn10": True}}),
    Book("rose-it", "Il nome della rosa", ["Eco, Umberto"], "Bompiani", "Milano", 1980, "ita",
         ["Monastic and religious life -- Fiction"], "503 p.", nonsort="Il ",
         isbn_stem="978884520734", held="go"),
    Book("hawking", "A brief history of time", ["Hawking, Stephen, 1942-2018"], "Bantam Books",
         "Toronto", 1988, "eng", ["Cosmology", "Black holes (Astronomy)"], "x, 198 p.",
         nonsort="A ", subtitle="from the big bang to black holes", isbn_stem="978055305340",
         held="cgo"),
    Book("geb", "Gödel, Escher, Bach", ["Hofstadter, Douglas R., 1945-"], "Basic Books",
         "New York", 1999, "eng", ["Artificial intelligence", "Metamathematics"],
         "xxi, 777 p.", subtitle="an eternal golden braid", edition="20th anniversary ed.",
         isbn_stem="978046502656", held="cgo",
         quirks={"g": {"edition": "20th anniversary edition"}}),
    Book("kuhn", "The structure of scientific revolutions", ["Kuhn, Thomas S."],
         "University of Chicago Press", "Chicago", 2012, "eng", ["Science -- Philosophy"],
         "xlvi, 217 p.", nonsort="The ", edition="4th ed.", isbn_stem="978022645811",
         held="cgo"),
    Book("kuhn1962", "The structure of scientific revolutions", ["Kuhn, Thomas S."],
         "University of Chicago Press", "Chicago", 1962, "eng", ["Science -- Philosophy"],
         "xv, 172 p.", nonsort="The ", held="co"),
    Book("orientalism", "Orientalism", ["Said, Edward W."], "Pantheon Books", "New York",
         1978, "eng", ["Orientalism", "East and West"], "xi, 368 p.",
         isbn_stem="978039442814", held="co"),
    Book("spring", "Silent spring", ["Carson, Rachel, 1907-1964"], "Houghton Mifflin",
         "Boston", 1962, "eng", ["Pesticides -- Environmental aspects"], "368 p.",
         oclc="360207", held="cgo"),
    Book("library", "The library", ["Murray, Stuart A. P."], "Skyhorse Publishing",
         "New York", 2009, "eng", ["Libraries -- History"], "x, 310 p.", nonsort="The ",
         subtitle="an illustrated history", isbn_stem="978160239706", held="cgo"),
    Book("gantert", "Bibliothekarisches Grundwissen", ["Gantert, Klaus"], "De Gruyter Saur",
         "Berlin", 2016, "ger", ["Bibliothekswesen", "Einführung"], "XII, 467 S.",
         edition="9., vollständig neu bearbeitete und erweiterte Auflage",
         isbn_stem="978311032145", held="go", quirks={"o": {"edition": "9th ed."}}),
    Book("handbuch", "Handbuch Bibliothek", [], "Metzler", "Stuttgart", 2012, "ger",
         ["Bibliothek", "Bibliothekswissenschaft"], "XIV, 402 S.",
         subtitle="Geschichte, Aufgaben, Perspektiven",
         editors=["Umlauf, Konrad", "Gradmann, Stefan"], isbn_stem="978347602380", held="cg"),
    Book("strunk", "The elements of style", ["Strunk, William, 1869-1946", "White, E. B."],
         "Allyn and Bacon", "Boston", 2000, "eng", ["English language -- Rhetoric"],
         "xviii, 105 p.", nonsort="The ", edition="4th ed.", isbn_stem="978020530902",
         held="cgo"),
    Book("dennett", "Darwin's dangerous idea", ["Dennett, Daniel C."], "Simon & Schuster",
         "New York", 1995, "eng", ["Natural selection", "Evolution (Biology) -- Philosophy"],
         "586 p.", subtitle="evolution and the meanings of life", isbn_stem="978068480290",
         held="co"),
    Book("descent", "The descent of man, and selection in relation to sex",
         ["Darwin, Charles, 1809-1882"], "John Murray", "London", 1871, "eng",
         ["Human evolution", "Sexual selection in animals"], "2 v.", nonsort="The ",
         held="cg"),
    Book("voyage", "Journal of researches into the natural history and geology of the "
         "countries visited during the voyage of H.M.S. Beagle round the world",
         ["Darwin, Charles, 1809-1882"], "John Murray", "London", 1845, "eng",
         ["Beagle Expedition (1831-1836)", "Natural history"], "viii, 519 p.",
         edition="2nd ed.", oclc="2690428", held="go"),
    Book("bibliotheken-de", "Bibliotheken in Deutschland", ["Plassmann, Engelbert"],
         "Harrassowitz", "Wiesbaden", 2011, "ger", ["Bibliothekswesen -- Deutschland"],
         "XI, 296 S.", edition="2., erw. Aufl.", isbn_stem="978344706522", held="g"),
    Book("lancaster", "Indexing and abstracting in theory and practice",
         ["Lancaster, F. W. (Frederick Wilfrid), 1933-2013"], "Facet", "London", 2003, "eng",
         ["Indexing", "Abstracting"], "xvi, 451 p.", edition="3rd ed.",
         isbn_stem="978185604482", held="c"),
]

# OCLC-style 948 holdings (country, state, symbol, library) and GBV 852 holdings (ISIL, name).
OCLC_LIBRARIES = [
    ("US", "MA", "HLS", "Harvard University Library"),
    ("US", "CT", "YUS", "Yale University Library"),
    ("GB", "", "UKMGB", "British Library"),
    ("DE", "", "GBVCP", "Verbundzentrale des GBV"),
    ("US", "IL", "CGU", "University of Chicago Library"),
]
GBV_LIBRARIES = [
    ("DE-7", "SUB Göttingen"),
    ("DE-18", "SUB Hamburg"),
    ("DE-84", "UB Braunschweig"),
]


def quirk(book: Book, cat: str, name: str, default: object) -> object:
    return book.quirks.get(cat, {}).get(name, default)


def names_fields(book: Book) -> list[pymarc.Field]:
    fields: list[pymarc.Field] = []
    people = list(book.authors)
    if people:
        fields.append(pymarc.Field("100", pymarc.Indicators("1", " "),
                                   _name_subfields(people[0], "author")))
    for other in people[1:]:
        fields.append(pymarc.Field("700", pymarc.Indicators("1", " "),
                                   _name_subfields(other, "author")))
    for ed in book.editors:
        fields.append(pymarc.Field("700", pymarc.Indicators("1", " "),
                                   _name_subfields(ed, "editor")))
    for tr in book.translators:
        fields.append(pymarc.Field("700", pymarc.Indicators("1", " "),
                                   _name_subfields(tr, "translator")))
    return fields


def _name_subfields(name: str, role: str) -> list[pymarc.Subfield]:
    parts = name.rsplit(", ", 1)
    subs = []
    if len(parts) == 2 and parts[1][:1].isdigit():
        subs = [pymarc.Subfield("a", parts[0] + ","), pymarc.Subfield("d", parts[1] + ",")]
    else:
        subs = [pymarc.Subfield("a", name + ",")]
    subs.append(pymarc.Subfield("e", role + "."))
    return subs


def marc(book: Book, cat: str, number: int) -> pymarc.Record:
    rec = pymarc.Record(force_utf8=True)
    rec.leader = pymarc.Leader("00000nam a2200000 i 4500")
    control = f"{'gbv' if cat == 'g' else 'ocm'}{number:08d}"
    rec.add_field(pymarc.Field("001", data=control))
    rec.add_field(pymarc.Field("003", data="DE-601" if cat == "g" else "OCoLC"))
    date1 = f"{book.year:04d}"
    fixed = f"200101s{date1}    xx            000 1 {book.language} d"
    rec.add_field(pymarc.Field("008", data=fixed))
    if book.isbn:
        value = isbn10(book.isbn) if quirk(book, cat, "isbn10", False) else book.isbn
        rec.add_field(pymarc.Field("020", pymarc.Indicators(" ", " "),
                                   [pymarc.Subfield("a", value)]))
    if book.oclc or cat == "o":
        number_text = book.oclc or f"{900000 + number}"
        rec.add_field(pymarc.Field("035", pymarc.Indicators(" ", " "),
                                   [pymarc.Subfield("a", f"(OCoLC){number_text}")]))
    rec.add_field(pymarc.Field("040", pymarc.Indicators(" ", " "),
                               [pymarc.Subfield("a", "DE-601" if cat == "g" else "DLC"),
                                pymarc.Subfield("b", "ger" if cat == "g" else "eng")]))
    rec.add_field(pymarc.Field("041", pymarc.Indicators("0", " "),
                               [pymarc.Subfield("a", book.language)]))
    fields = names_fields(book)
    for f in fields[:1]:
        rec.add_field(f)
    title_subs = [pymarc.Subfield("a", book.title + (" :" if book.subtitle else " /"))]
    if book.subtitle:
        title_subs.append(pymarc.Subfield("b", book.subtitle + " /"))
    responsibility = ", ".join(_forward(n) for n in book.authors) or ", ".join(
        _forward(n) for n in book.editors)
    title_subs.append(pymarc.Subfield("c", (responsibility or "[s.n.]") + "."))
    first = "1" if book.authors else "0"
    rec.add_field(pymarc.Field("245", pymarc.Indicators(first, str(len(book.nonsort))),
                               title_subs))
    edition = str(quirk(book, cat, "edition", book.edition))
    if edition:
        rec.add_field(pymarc.Field("250", pymarc.Indicators(" ", " "),
                                   [pymarc.Subfield("a", edition)]))
    publisher = str(quirk(book, cat, "publisher", book.publisher))
    pub = [pymarc.Subfield("a", book.place + " :")]
    if publisher:
        pub.append(pymarc.Subfield("b", publisher + ","))
    pub.append(pymarc.Subfield("c", f"{book.year}."))
    rec.add_field(pymarc.Field("264", pymarc.Indicators(" ", "1"), pub))
    rec.add_field(pymarc.Field("300", pymarc.Indicators(" ", " "),
                               [pymarc.Subfield("a", book.pages)]))
    if book.series:
        rec.add_field(pymarc.Field("490", pymarc.Indicators("0", " "),
                                   [pymarc.Subfield("a", book.series)]))
    for subject in book.subjects:
        head, *rest = subject.split(" -- ")
        subs = [pymarc.Subfield("a", head)] + [pymarc.Subfield("x", r) for r in rest]
        rec.add_field(pymarc.Field("650", pymarc.Indicators(" ", "0"), subs))
    for f in fields[1:]:
        rec.add_field(f)
    if book.url and cat == "o":
        rec.add_field(pymarc.Field("856", pymarc.Indicators("4", "1"),
                                   [pymarc.Subfield("u", book.url),
                                    pymarc.Subfield("z", "Full text (Project Gutenberg)")]))
    if cat == "g":
        for isil, name in GBV_LIBRARIES[: 1 + number % 3]:
            rec.add_field(pymarc.Field("852", pymarc.Indicators(" ", " "), [
                pymarc.Subfield("a", isil), pymarc.Subfield("b", name),
                pymarc.Subfield("h", f"{book.key[:3].upper()} {book.year % 100:02d}/{number}")]))
    if cat == "o":
        for country, state, symbol, name in OCLC_LIBRARIES[: 2 + number % 4]:
            subs = [pymarc.Subfield("a", country)]
            if state:
                subs.append(pymarc.Subfield("b", state))
            subs += [pymarc.Subfield("c", symbol), pymarc.Subfield("d", name)]
            rec.add_field(pymarc.Field("948", pymarc.Indicators(" ", " "), subs))
    return rec


def _forward(name: str) -> str:
    """"Darwin, Charles, 1809-1882" -> "Charles Darwin"."""
    parts = [p for p in name.split(", ") if not p[:1].isdigit()]
    if len(parts) >= 2:
        return f"{parts[1]} {parts[0]}"
    return parts[0] if parts else name


def mods(book: Book, number: int) -> str:
    out = ['<mods xmlns="http://www.loc.gov/mods/v3" version="3.7">']
    title = book.title[len(book.nonsort):] if book.nonsort else book.title
    out.append("<titleInfo>")
    if book.nonsort:
        out.append(f"<nonSort>{escape(book.nonsort)}</nonSort>")
    out.append(f"<title>{escape(title)}</title>")
    if book.subtitle:
        out.append(f"<subTitle>{escape(book.subtitle)}</subTitle>")
    out.append("</titleInfo>")
    for role, people in (("author", book.authors), ("editor", book.editors),
                         ("translator", book.translators)):
        for person in people:
            parts = person.rsplit(", ", 1)
            dates = parts[1] if len(parts) == 2 and parts[1][:1].isdigit() else ""
            display = parts[0] if dates else person
            family, _, given = display.partition(", ")
            out.append('<name type="personal">')
            out.append(f'<namePart type="family">{escape(family)}</namePart>')
            if given:
                out.append(f'<namePart type="given">{escape(given)}</namePart>')
            if dates:
                out.append(f'<namePart type="date">{escape(dates)}</namePart>')
            out.append(f'<role><roleTerm type="text">{role}</roleTerm></role></name>')
    out.append("<typeOfResource>text</typeOfResource>")
    out.append("<originInfo>")
    out.append(f'<place><placeTerm type="text">{escape(book.place)}</placeTerm></place>')
    publisher = str(quirk(book, "c", "publisher", book.publisher))
    if publisher:
        out.append(f"<publisher>{escape(publisher)}</publisher>")
    out.append(f'<dateIssued keyDate="yes">{book.year}</dateIssued>')
    edition = str(quirk(book, "c", "edition", book.edition))
    if edition:
        out.append(f"<edition>{escape(edition)}</edition>")
    out.append("</originInfo>")
    out.append(f'<language><languageTerm type="code" authority="iso639-2b">{book.language}'
               "</languageTerm></language>")
    out.append(f"<physicalDescription><extent>{escape(book.pages)}</extent>"
               "</physicalDescription>")
    for subject in book.subjects:
        topics = "".join(f"<topic>{escape(t)}</topic>" for t in subject.split(" -- "))
        out.append(f'<subject authority="lcsh">{topics}</subject>')
    if book.series:
        out.append(f'<relatedItem type="series"><titleInfo><title>{escape(book.series)}'
                   "</title></titleInfo></relatedItem>")
    if book.isbn:
        value = isbn10(book.isbn) if quirk(book, "c", "isbn10", False) else book.isbn
        out.append(f'<identifier type="isbn">{value}</identifier>')
    if book.oclc:
        out.append(f'<identifier type="oclc">{book.oclc}</identifier>')
    for library in ("British Library", "University of Oxford")[: 1 + number % 2]:
        out.append(f"<location><physicalLocation>{library}</physicalLocation></location>")
    out.append(f"<recordInfo><recordIdentifier>copac-{number:06d}</recordIdentifier>"
               "</recordInfo>")
    out.append("</mods>")
    return "".join(out)


def sutrs(book: Book, number: int) -> str:
    """Copac's SUTRS layout: labelled lines, continuation lines indented."""
    lines = [f"Title: {book.title}" + (f" : {book.subtitle}" if book.subtitle else "")]
    for person in book.authors:
        lines.append(f"Author: {person}")
    for person in book.editors:
        lines.append(f"Editor: {person}")
    edition = str(quirk(book, "c", "edition", book.edition))
    if edition:
        lines.append(f"Edition: {edition}")
    publisher = str(quirk(book, "c", "publisher", book.publisher))
    lines.append(f"Publisher: {book.place} : {publisher}, {book.year}")
    lines.append(f"Physical Description: {book.pages}")
    if book.isbn:
        ten = quirk(book, "c", "isbn10", False)
        lines.append(f"ISBN: {isbn10(book.isbn) if ten else book.isbn}")
    for subject in book.subjects:
        lines.append(f"Subject: {subject}")
    lines.append(f"Language: {book.language}")
    lines.append("Held by: British Library" + ("; University of Oxford" if number % 2 else ""))
    return "\n".join(lines) + "\n"


def main() -> None:
    gbv = [marc(b, "g", i + 1) for i, b in enumerate(BOOKS) if "g" in b.held]
    oclc = [marc(b, "o", i + 1) for i, b in enumerate(BOOKS) if "o" in b.held]
    (HERE / "gbv.mrc").write_bytes(b"".join(r.as_marc() for r in gbv))
    (HERE / "oclc.mrc").write_bytes(b"".join(r.as_marc() for r in oclc))
    copac = [(i + 1, b) for i, b in enumerate(BOOKS) if "c" in b.held]
    collection = "\n".join(mods(b, n) for n, b in copac)
    (HERE / "copac.mods.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<modsCollection xmlns="http://www.loc.gov/mods/v3">\n' + collection
        + "\n</modsCollection>\n",
        encoding="utf-8",
    )
    # records separated by a line holding a form feed, in the same order as the MODS file
    (HERE / "copac.sutrs.txt").write_text("\f\n".join(sutrs(b, n) for n, b in copac),
                                         encoding="utf-8")
    print(f"copac {len(copac)}, gbv {len(gbv)}, oclc {len(oclc)} records")


if __name__ == "__main__":
    main()
