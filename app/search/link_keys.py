"""The keys a record *publishes* to be merged with others, decided from the record alone.

Records that publish the same key become one entry (``app.search.merge``). No key depends on
what arrived before, so the grouping does not depend on the order in which catalogues answer.
The keys, strongest first:

``isbn:<ISBN-13>``
    every valid ISBN of 020 $a (``Isbn.cancelled`` numbers from $z never merge). A *set ISBN*
    (qualifier "set", "v. 1-3", "Gesamtwerk", "obra completa"...) is not published by a record
    that also carries an ISBN of its own: a volume joins its own copies, never its siblings.
    (The pairwise rule "two volumes sharing only a set ISBN stay apart" would otherwise be
    undone by a third record holding the set ISBN alone, which would join both volumes.)
``issn:<ISSN>``
    valid ISSNs of kind "issn", only from records without an ISBN of their own: the ISSN on a
    book is its series', and two volumes of one series are not one book.
``oclc:<number>``, ``lccn:<number>``
    always published: both name one bibliographic record at OCLC or the Library of Congress.
``key:<title>|<surname>|<year>|<edition>``
    only from records with none of the above (identifiers that belong to the host of an article
    or chapter do not count), and only with a title plus an author or a year. Such an entry is
    marked ``probable``. A material other than "book" and the host of a part are added to the
    key, so a film never joins the novel and two articles called "Editorial" stay apart.

Records that could not be read (``error`` set) publish nothing and stay on their own.
"""

from __future__ import annotations

import functools
import re

from app.records.identifiers import normalize_isbn, normalize_oclc
from app.records.model import BibRecord
from app.search.normalise import edition_key, fold, title_key

__all__ = ["AUTHOR_ROLES", "is_set_qualifier", "link_keys", "merge_isbns", "strict_key"]

_SET_QUALIFIER = re.compile(
    r"\bset\b|\bcomplete\b|gesamt|\bobras?\s+complet|\bo\.\s?c\.|\bs[ée]rie\b|\bcoffret\b"
    r"|\bensemble\b|\bkomplett|\bconjunto\b"
    r"|\b(?:v|vols?|bd|bde|t|tomes?|tl|teil|vol)\.?\s*\d+\s*[-–]\s*\d+"  # "v. 1-3", "Bd. 1-2"
    r"|\b\d+\s*(?:v|vols?|volumes|bde|bände|t|tomes)\b\.?",  # "3 v.", "2 Bde."
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=512)
def is_set_qualifier(text: str) -> bool:
    """True for an ISBN qualifier naming a whole multi-volume set rather than one volume."""
    return bool(text) and _SET_QUALIFIER.search(text) is not None


def merge_isbns(record: BibRecord) -> tuple[list[str], list[str]]:
    """(ISBNs the record merges on, set ISBNs it holds back because it has its own ISBN)."""
    usable: dict[str, bool] = {}  # value -> is a set ISBN here
    for i in record.isbns:
        if not i.valid or i.cancelled:
            continue
        # the readers split "(set)" off the raw text into the qualifier (identifiers.parse_isbn)
        is_set = is_set_qualifier(i.qualifier) if i.qualifier else False
        usable[i.value] = usable.get(i.value, False) or is_set
    if record.host is not None and record.host.isbn:
        usable.pop(normalize_isbn(record.host.isbn) or "", None)
    if not any(usable.values()) or all(usable.values()):
        return list(usable), []
    return [v for v, s in usable.items() if not s], [v for v, s in usable.items() if s]


AUTHOR_ROLES = frozenset({"author", "creator", ""})


def strict_key(record: BibRecord) -> str | None:
    """``key:<title>|<surname>|<year>|<edition>[|material][|host]``, or None when too thin."""
    title = title_key(record.title, record.nonsort, record.part)
    if not title:
        return None
    surname = ""
    for name in record.names:
        if name.role in AUTHOR_ROLES:  # BibRecord.authors, without building the tuple
            surname = fold(name.surname)
            break
    year = str(record.year) if record.year is not None else ""
    if not surname and not year:
        return None
    parts = [title, surname, year, edition_key(record.edition)]
    if record.material != "book":
        parts.append(record.material)
    host = record.host
    if host is not None:
        parts.append(fold(f"{host.title} {host.volume} {host.issue} {host.pages}"))
    return "key:" + "|".join(parts)


def link_keys(record: BibRecord) -> tuple[str, ...]:
    """Every key under which ``record`` joins others (see the module docstring)."""
    if record.error is not None:
        return ()
    keys = ["isbn:" + v for v in merge_isbns(record)[0]] if record.isbns else []
    if not keys and record.issns:
        host_issn = record.host.issn.replace("-", "").upper() if record.host else ""
        keys += [f"issn:{v}" for v in record.valid_issns if v.replace("-", "") != host_issn]
    for number in record.oclc_numbers:
        digits = number.lstrip("0") if number.isdigit() else normalize_oclc(number)
        if digits and "oclc:" + digits not in keys:
            keys.append("oclc:" + digits)
    lccn = record.lccn.replace(" ", "")
    if lccn:
        keys.append(f"lccn:{lccn}")
    if keys:
        return tuple(keys)
    key = strict_key(record)
    return (key,) if key else ()
