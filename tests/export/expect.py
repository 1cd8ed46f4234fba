"""What a field should read as after a round trip, written independently of app.export."""

from __future__ import annotations

import unicodedata

from app.records.model import BibRecord


def flat(text: str) -> str:
    """NFC, control characters and unpaired surrogates gone, whitespace runs -> one space."""
    kept = "".join(
        c
        for c in unicodedata.normalize("NFC", text)
        if c.isspace() or (unicodedata.category(c) not in ("Cc", "Cs") and c not in "\ufffe\uffff")
    )
    return " ".join(kept.split())


def title(record: BibRecord) -> str:
    text = record.title + (f": {record.subtitle}" if record.subtitle else "")
    if record.part:
        text += f". {record.part}"
    return flat(text)


def author_names(record: BibRecord) -> list[str]:
    return [flat(n.name) for n in record.names if n.role in ("author", "creator", "")]


def name_words(name: str) -> list[str]:
    """The words of a name in any order: "King, Jr., Martin" and "King, Martin, Jr." agree."""
    return sorted(name.replace(",", " ").split())
