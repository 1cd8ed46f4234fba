"""What can go wrong on an association, in words a librarian understands.

Diagnostics the target sends come back as ``app.z3950.errors.DiagnosticError``; garbage on the
wire as ``RemoteProtocolError``. The errors here are the ones only a socket can produce: the
target is unreachable, refuses the login, closes on us, or does not answer in time.
"""

from __future__ import annotations

from app.errors import PolycatError
from app.z3950.errors import DiagnosticError, ProtocolError
from app.z3950.events import (
    CloseReason,
    Diagnostic,
    InitResponse,
    OclcUserInformation,
)

# Close reasons as a librarian would say them.
_CLOSE_WORDS: dict[CloseReason, str] = {
    CloseReason.FINISHED: "the catalogue ended the session",
    CloseReason.SHUTDOWN: "the catalogue is shutting down",
    CloseReason.SYSTEM_PROBLEM: "the catalogue had a system problem",
    CloseReason.COST_LIMIT: "the cost limit was reached",
    CloseReason.RESOURCES: "the catalogue ran out of resources",
    CloseReason.SECURITY_VIOLATION: "the catalogue reported a security violation",
    CloseReason.PROTOCOL_ERROR: "the catalogue reported a protocol error",
    CloseReason.LACK_OF_ACTIVITY: "the session was idle for too long",
    CloseReason.PEER_ABORT: "the catalogue aborted the session",
    CloseReason.UNSPECIFIED: "the catalogue closed the session",
}


class NetError(PolycatError):
    """Something went wrong talking to one target; ``target`` is ``host:port``."""

    # one of app.search.events.FailureKind; the fan-out and the CLI report it as is
    kind = "connect"

    def __init__(self, message: str, *, target: str = "", detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.target = target


class ConnectFailed(NetError):
    """The target could not be reached: unknown host, connection refused, no route."""

    kind = "connect"


class InitRefused(NetError):
    """The target answered the Init with ``result = false``: usually a refused login."""

    kind = "login"

    def __init__(self, response: InitResponse, *, target: str = "") -> None:
        self.response = response
        self.diagnostic: Diagnostic | None = response.diagnostic
        oclc: OclcUserInformation | None = response.oclc
        self.fail_reason: bool | None = oclc.fail_reason if oclc else None
        self.text: str | None = oclc.text if oclc else None
        reasons: list[str] = []
        if self.text:
            reasons.append(self.text.strip())
        if self.diagnostic is not None:
            words = self.diagnostic.message
            if self.diagnostic.addinfo:
                words = f"{words} ({self.diagnostic.addinfo})"
            reasons.append(words)
        reason = "; ".join(reasons) or "the catalogue gave no reason"
        detail = f"InitResponse from {response.implementation_name or 'unknown'}"
        if self.diagnostic is not None:
            detail += f", diagnostic {self.diagnostic.code} {self.diagnostic.addinfo!r}"
        if oclc is not None:
            detail += f", OCLC failReason={self.fail_reason} text={self.text!r}"
        super().__init__(f"login refused: {reason}", target=target, detail=detail)

    @property
    def code(self) -> int | None:
        return self.diagnostic.code if self.diagnostic else None


class TargetClosed(NetError):
    """The target sent a Close, or dropped the connection, while we were waiting."""

    kind = "closed"

    def __init__(
        self,
        reason: CloseReason | None,
        message: str | None = None,
        *,
        target: str = "",
    ) -> None:
        self.reason = reason
        self.diagnostic_information = message
        if reason is None:
            words = "the catalogue dropped the connection"
        else:
            words = _CLOSE_WORDS.get(reason, "the catalogue closed the session")
        if message:
            words = f"{words}: {message}"
        super().__init__(
            words,
            target=target,
            detail=f"Close reason={reason.name if reason is not None else 'none (EOF)'}"
            f" diagnosticInformation={message!r}",
        )


class OperationTimeout(NetError):
    """No answer within the allowed time; the association has been closed."""

    kind = "timeout"

    def __init__(self, operation: str, seconds: float, *, target: str = "") -> None:
        self.operation = operation
        self.seconds = seconds
        super().__init__(
            f"no answer to the {operation} within {seconds:g} seconds",
            target=target,
            detail=f"{operation} timed out after {seconds:g}s; association aborted",
        )


class AssociationCancelled(NetError):
    """The user stopped the work; the association has been closed."""

    kind = "cancelled"


class AssociationClosed(NetError):
    """An operation was asked of an association that is already closed."""

    kind = "closed"


# Bib-1 codes a librarian reads as "this catalogue cannot do that search".
_UNSUPPORTED = frozenset({3, 107, 108, 113, 114, 115, 116, 117, 118, 121, 122, 123, 124, 125})
_DATABASE = frozenset({109, 235, 236})


def failure_kind(exc: BaseException) -> str:
    """Which ``app.search.events.FailureKind`` an exception from an association is."""
    if isinstance(exc, NetError):
        return exc.kind
    if isinstance(exc, DiagnosticError):
        if exc.code in _DATABASE:
            return "database"
        if exc.code in _UNSUPPORTED:
            return "unsupported"
        return "diagnostic"
    if isinstance(exc, ProtocolError):
        return "protocol"
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, OSError):
        return "connect"
    return "diagnostic"
