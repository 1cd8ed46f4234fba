"""Records from every syntax a target sends, read into one :class:`BibRecord`.

``read_record(oid, data, ...)`` for a record off the wire, ``read_file(path)`` for a MARC,
MARCXML, MODS or Dublin Core file, ``record_to_json`` / ``show_file`` for the command line.
ISBN, ISSN, LCCN and OCLC number rules live in :mod:`app.records.identifiers`.
"""

from app.records.model import BibRecord, Holding, HostItem, Isbn, Issn, Link, Name, Original
from app.records.reading import read_bytes, read_file, read_record
from app.records.show import record_to_json, show_file

__all__ = [
    "BibRecord",
    "Holding",
    "HostItem",
    "Isbn",
    "Issn",
    "Link",
    "Name",
    "Original",
    "read_bytes",
    "read_file",
    "read_record",
    "record_to_json",
    "show_file",
]
