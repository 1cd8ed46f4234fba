"""Protocol errors: ours (local), the peer's (remote), and a target's Bib-1 diagnostics."""

from __future__ import annotations

from app.errors import PolycatError
from app.z3950.diagnostics import describe, explain
from app.z3950.events import BIB1_DIAG, Diagnostic


class ProtocolError(PolycatError):
    """The Z39.50 conversation itself went wrong; the association cannot continue."""


class LocalProtocolError(ProtocolError):
    """Polycat asked for something the protocol does not allow now (a bug on our side)."""


class RemoteProtocolError(ProtocolError):
    """The target sent bytes that are not a Z39.50 APDU we may receive now."""


class CharacterSetError(PolycatError):
    """Text that the association's character set cannot carry (or an unknown set's name).

    Not a protocol error: the association stays usable with other text.
    """


class DiagnosticError(PolycatError):
    """A target answered with a Bib-1 (or other set's) diagnostic instead of a result.

    ``message`` is the table's words for the code (plain words where there are some, else
    the standard's text); ``addinfo`` and ``target`` stay separate so callers can phrase
    them; ``str()`` is the message with the addinfo, and ``detail`` holds everything.
    """

    def __init__(
        self,
        code: int,
        addinfo: str = "",
        diagnostic_set: str = BIB1_DIAG,
        *,
        target: str | None = None,
    ) -> None:
        self.code = code
        self.addinfo = addinfo
        self.diagnostic_set = diagnostic_set
        self.target = target
        detail = f"diagnostic {code} [{diagnostic_set}]: {describe(code, diagnostic_set)}"
        if addinfo:
            detail += f"; addinfo {addinfo!r}"
        if target:
            detail += f"; from {target}"
        super().__init__(explain(code, diagnostic_set), detail=detail)

    def __str__(self) -> str:
        return f"{self.message} ({self.addinfo})" if self.addinfo else self.message

    @classmethod
    def from_diagnostic(
        cls, diagnostic: Diagnostic, *, target: str | None = None
    ) -> DiagnosticError:
        return cls(diagnostic.code, diagnostic.addinfo, diagnostic.diagnostic_set, target=target)
