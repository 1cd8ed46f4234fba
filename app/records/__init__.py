"""Records from every syntax a target sends, read into one :class:`BibRecord`."""

from app.records.model import BibRecord, Holding, HostItem, Isbn, Issn, Link, Name, Original

__all__ = ["BibRecord", "Holding", "HostItem", "Isbn", "Issn", "Link", "Name", "Original"]
