"""``host:port/database`` as librarians and YAZ write a target's address."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import PolycatError

DEFAULT_PORT = 210  # the port IANA gave Z39.50
DEFAULT_DATABASE = "Default"  # what YAZ asks for when no database is named


class AddressError(PolycatError, ValueError):
    """A target address that cannot be read."""


@dataclass(frozen=True, slots=True)
class TargetAddress:
    host: str
    port: int
    databases: tuple[str, ...]

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}/{'+'.join(self.databases)}"


def parse_address(text: str) -> TargetAddress:
    """``z3950.loc.gov:7090/Voyager``, ``[::1]:210/a+b``, ``tcp:host:port/db``.

    Several databases are joined by ``+``; the port defaults to 210 and the database to
    ``Default``, as in yaz-client.
    """
    rest = text.strip()
    if rest.startswith("tcp:"):
        rest = rest[4:]
    hostport, _, dbs = rest.partition("/")
    if hostport.startswith("["):
        host, _, after = hostport[1:].partition("]")
        port_text = after.removeprefix(":")
    else:
        host, _, port_text = hostport.partition(":")
    if not host:
        raise AddressError(f"no host in target address {text!r} (expected HOST:PORT/DATABASE)")
    try:
        port = int(port_text) if port_text else DEFAULT_PORT
    except ValueError:
        raise AddressError(
            f"the port in {text!r} is not a number (expected HOST:PORT/DATABASE)"
        ) from None
    if not 0 < port < 65536:
        raise AddressError(f"the port in {text!r} is out of range")
    databases = tuple(d for d in dbs.split("+") if d) or (DEFAULT_DATABASE,)
    return TargetAddress(host, port, databases)
