"""The only place a socket lives: asyncio associations over app.z3950, and a target to test on.

    async with connect("z3950.loc.gov", 7090, timeout=20) as assoc:
        result = await assoc.search("@attr 1=7 9780192834386", "Voyager", syntax="usmarc")
"""

from app.net.address import AddressError, TargetAddress, parse_address
from app.net.association import Association, connect
from app.net.catalogue import Catalogue, CatalogueRecord
from app.net.errors import (
    AssociationCancelled,
    AssociationClosed,
    ConnectFailed,
    InitRefused,
    NetError,
    OperationTimeout,
    TargetClosed,
    failure_kind,
)
from app.net.results import DeleteResult, RawRecord, ScanResult, SearchResult, SortResult
from app.net.target import Behaviour, Server, serve

__all__ = [
    "AddressError",
    "Association",
    "AssociationCancelled",
    "AssociationClosed",
    "Behaviour",
    "Catalogue",
    "CatalogueRecord",
    "ConnectFailed",
    "DeleteResult",
    "InitRefused",
    "NetError",
    "OperationTimeout",
    "RawRecord",
    "ScanResult",
    "SearchResult",
    "Server",
    "SortResult",
    "TargetAddress",
    "TargetClosed",
    "connect",
    "failure_kind",
    "parse_address",
    "serve",
]
