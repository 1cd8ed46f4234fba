"""The one bibliographic record every reader produces and merge, exports and the window share.

Frozen value objects. A reader fills what its syntax carries and leaves the rest empty; the
original bytes are always kept so that nothing a catalogue sent is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

NameKind = Literal["personal", "corporate", "meeting"]

# What kind of thing the record describes; exports map it to RIS TY / BibTeX entry types.
Material = Literal[
    "book",
    "chapter",  # a part of a book (MARC 773 to a monograph, MODS relatedItem host book)
    "article",  # a part of a serial (MARC 773 to a serial)
    "serial",
    "thesis",
    "map",
    "music",  # printed music
    "sound",
    "video",
    "image",
    "electronic",
    "manuscript",
    "conference",
    "report",
    "other",
]


@dataclass(frozen=True, slots=True)
class Name:
    """A person or body with their role ("author", "editor", "translator", "contributor"...)."""

    name: str  # "Surname, Forenames" for persons; the body's name for corporate/meeting
    role: str = "author"
    kind: NameKind = "personal"
    dates: str = ""  # "1809-1882"

    @property
    def surname(self) -> str:
        return self.name.split(",", 1)[0].strip() if self.kind == "personal" else self.name


@dataclass(frozen=True, slots=True)
class Isbn:
    """One ISBN as found. ``value`` is the ISBN-13 when valid, else the digits as found."""

    value: str
    raw: str  # the subfield text exactly as the record had it
    valid: bool
    qualifier: str = ""  # "pbk.", "set", "v. 2" ... from $q or the parenthesis after $a
    cancelled: bool = False  # True when it came from 020 $z (never used to merge)


@dataclass(frozen=True, slots=True)
class Issn:
    value: str  # "1234-5679" normalised when valid
    raw: str
    valid: bool
    kind: Literal["issn", "linking", "incorrect", "cancelled"] = "issn"


@dataclass(frozen=True, slots=True)
class Link:
    """An 856 (or MODS location/url): where the item or something about it lives online."""

    url: str
    note: str = ""  # $z public note, $3 materials specified, $y link text
    relationship: str = ""  # "resource", "version", "related" (856 ind2 0/1/2)


@dataclass(frozen=True, slots=True)
class Holding:
    """Which library holds a copy: OCLC 948, MARC 852, OPAC holdings, MODS location."""

    library: str = ""  # institution name
    symbol: str = ""  # OCLC symbol or ISIL
    location: str = ""  # branch / shelving location
    call_number: str = ""
    country: str = ""  # ISO country code
    state: str = ""  # US state / Canadian province
    note: str = ""  # local details, copy notes, availability


@dataclass(frozen=True, slots=True)
class HostItem:
    """The larger work a part belongs to (MARC 773, MODS relatedItem type=host)."""

    title: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""  # "425-431" or "425"
    year: int | None = None
    issn: str = ""
    isbn: str = ""
    related_parts: str = ""  # the 773 $g text as found


@dataclass(frozen=True, slots=True)
class Original:
    """The record exactly as the catalogue sent it."""

    syntax: str  # "usmarc", "unimarc", "marcxml", "mods", "sutrs", "oclcxml", "opac", "xml"...
    oid: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class BibRecord:
    # ``title`` is the title proper as a reader shows it, without subtitle ("The origin of
    # species"); ``nonsort`` is its leading article when the record marks one ("The ")
    title: str = ""
    nonsort: str = ""
    subtitle: str = ""
    part: str = ""  # 245 $n $p: number and name of part
    responsibility: str = ""  # 245 $c
    names: tuple[Name, ...] = ()
    edition: str = ""
    publisher: str = ""
    place: str = ""
    year: int | None = None
    date: str = ""  # the date string as found ("c1999", "[1859?]")
    physical: str = ""  # 300
    series: tuple[str, ...] = ()
    language: str = ""  # ISO 639-2/B code ("eng", "ger") as the record gives it
    languages: tuple[str, ...] = ()  # every language code, the first equal to ``language``
    subjects: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    abstract: str = ""
    isbns: tuple[Isbn, ...] = ()
    issns: tuple[Issn, ...] = ()
    lccn: str = ""  # normalised (no blanks, no hyphen, serial padded to six digits)
    oclc_numbers: tuple[str, ...] = ()  # digits only
    control_numbers: tuple[tuple[str, str], ...] = ()  # (agency or source, number), e.g. 001/003
    urls: tuple[Link, ...] = ()
    holdings: tuple[Holding, ...] = ()
    host: HostItem | None = None
    material: Material = "book"
    # where it came from
    target: str = ""  # the catalogue's name or host:port/db
    database: str = ""
    position: int | None = None  # 1-based position in that target's result set
    original: Original | None = None
    # why it could not be read (the raw bytes are still in ``original``), or None
    error: str | None = None
    # lesser problems met while reading: "leader/09 says MARC-8 but the bytes are UTF-8" ...
    warnings: tuple[str, ...] = field(default=())

    # --- views the merge and the exports use ---

    @property
    def authors(self) -> tuple[Name, ...]:
        """Names in an author-like role (author, creator, or no role given)."""
        return tuple(n for n in self.names if n.role in ("author", "creator", ""))

    @property
    def editors(self) -> tuple[Name, ...]:
        return tuple(n for n in self.names if n.role == "editor")

    @property
    def valid_isbns(self) -> tuple[str, ...]:
        """Normalised ISBN-13s that may be used to merge (valid, not cancelled), in order."""
        seen: dict[str, None] = {}
        for i in self.isbns:
            if i.valid and not i.cancelled:
                seen.setdefault(i.value, None)
        return tuple(seen)

    @property
    def invalid_isbns(self) -> tuple[str, ...]:
        return tuple(i.raw for i in self.isbns if not i.valid or i.cancelled)

    @property
    def valid_issns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.value for i in self.issns if i.valid and i.kind == "issn"))

    @property
    def full_title(self) -> str:
        """Title and subtitle as a citation shows them: "Title: subtitle"."""
        if self.subtitle:
            return f"{self.title}: {self.subtitle}"
        return self.title
