"""A small library for the in-process target: MARC21, MARCXML and SUTRS of the same books."""

from __future__ import annotations

from dataclasses import dataclass

import pymarc
from pymarc import Field, Indicators, Record, Subfield

from app.net.catalogue import Catalogue, CatalogueRecord
from app.z3950.oids import SUTRS, USMARC, XML


@dataclass(frozen=True)
class Book:
    title: str
    author: str
    year: int
    isbn: str = ""
    subjects: tuple[str, ...] = ()
    publisher: str = "Murray"


BOOKS: tuple[Book, ...] = (
    Book("On the origin of species", "Darwin, Charles", 1859, "9780192834386", ("Evolution",)),
    Book("The descent of man", "Darwin, Charles", 1871, "9780140436310", ("Evolution", "Man")),
    Book("The voyage of the Beagle", "Darwin, Charles", 1839, "", ("Voyages",)),
    Book("Das Kapital", "Marx, Karl", 1867, "9783938210040", ("Economics",), "Meissner"),
    Book("Grundrisse", "Marx, Karl", 1939, "", ("Economics",), "Dietz"),
    Book("Faust", "Goethe, Johann Wolfgang von", 1808, "9783150000014", ("Drama",), "Cotta"),
    Book("Die Leiden des jungen Werthers", "Goethe, Johann Wolfgang von", 1774, ""),
    Book("Les Misérables", "Hugo, Victor", 1862, "9782070409228", ("France",), "Lacroix"),
    Book("Notre-Dame de Paris", "Hugo, Victor", 1831, "", ("Paris", "France"), "Gosselin"),
    Book("Müller und Söhne", "Müller, Jürgen", 1990, "3-16-148410-0", ("Business",), "Mohr"),
    Book("War and peace", "Tolstoy, Leo", 1869, "9780199232765", ("Napoleonic Wars",)),
    Book("Anna Karenina", "Tolstoy, Leo", 1878, "", ("Marriage",), "Russkii Vestnik"),
)


def marc(book: Book, number: int) -> Record:
    record = Record(force_utf8=True)
    record.leader = record.leader[:9] + "a" + record.leader[10:]
    record.add_field(Field(tag="001", data=f"poly{number:05d}"))
    if book.isbn:
        record.add_field(
            Field(tag="020", indicators=Indicators(" ", " "), subfields=[Subfield("a", book.isbn)])
        )
    record.add_field(
        Field(tag="100", indicators=Indicators("1", " "), subfields=[Subfield("a", book.author)])
    )
    record.add_field(
        Field(tag="245", indicators=Indicators("1", "0"), subfields=[Subfield("a", book.title)])
    )
    record.add_field(
        Field(
            tag="260",
            indicators=Indicators(" ", " "),
            subfields=[Subfield("b", book.publisher), Subfield("c", str(book.year))],
        )
    )
    for subject in book.subjects:
        record.add_field(
            Field(tag="650", indicators=Indicators(" ", "0"), subfields=[Subfield("a", subject)])
        )
    return record


def sutrs(book: Book) -> bytes:
    lines = [f"Title: {book.title}", f"Author: {book.author}", f"Year: {book.year}"]
    if book.isbn:
        lines.append(f"ISBN: {book.isbn}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def entry(book: Book, number: int) -> CatalogueRecord:
    record = marc(book, number)
    brief = Record(force_utf8=True, leader=record.leader)
    brief.add_field(*record.get_fields("001", "245"))
    return CatalogueRecord(
        formats={
            USMARC: record.as_marc(),
            XML: pymarc.record_to_xml(record, namespace=True),
            SUTRS: sutrs(book),
        },
        fields={
            "title": (book.title,),
            "author": (book.author,),
            "year": (str(book.year),),
            "isbn": (book.isbn,) if book.isbn else (),
            "subject": book.subjects,
            "publisher": (book.publisher,),
            "local": (f"poly{number:05d}",),
        },
        brief={USMARC: brief.as_marc()},
    )


def catalogue(copies: int = 1) -> Catalogue:
    """Database "books" holds BOOKS (``copies`` times over); "more" holds the first three.

    Also "big": 250 numbered records titled "Record N of many" for paging tests.
    """
    books = [entry(b, i) for i in range(copies) for b in BOOKS]
    more = [entry(b, 900 + i) for i, b in enumerate(BOOKS[:3])]
    big = [
        entry(Book(f"Record {n} of many", "Counter, Ann", 2000 + n % 20), 1000 + n)
        for n in range(1, 251)
    ]
    return Catalogue({"books": books, "more": more, "big": big})
