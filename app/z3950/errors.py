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
    """A target answered with a Bib-1 (or other set's) diagnostic instead of a result."""

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
        words = explain(code, diagnostic_set)
        if addinfo:
            words = f"{words} ({addinfo})"
        if target:
            words = f"{target}: {words}"
        super().__init__(
            words, detail=f"diagnostic {code} [{diagnostic_set}]: {describe(code, diagnostic_set)}"
        )

    @classmethod
    def from_diagnostic(
        cls, diagnostic: Diagnostic, *, target: str | None = None
    ) -> DiagnosticError:
        return cls(diagnostic.code, diagnostic.addinfo, diagnostic.diagnostic_set, target=target)
