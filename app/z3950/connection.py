"""One Z39.50 association as a state machine over bytes (h11-style): ``send`` turns an
event into bytes, ``receive_data`` buffers bytes, ``next_event`` hands back events.

The same machine serves an origin (a client) and a target (the in-process test target):
states name the association's phase, whichever side we are. Every legal move is one row
of ``_TRANSITIONS``; anything else is a LocalProtocolError when we try it and a
RemoteProtocolError when the peer does, and leaves the connection in ERROR.
"""

from __future__ import annotations

from enum import Enum

from app.z3950.codec import decode_apdu, encode_apdu
from app.z3950.errors import CharacterSetError, LocalProtocolError, RemoteProtocolError
from app.z3950.events import (
    NEED_DATA,
    Close,
    ConnectionClosed,
    DeleteResultSetRequest,
    DeleteResultSetResponse,
    Event,
    InitRequest,
    InitResponse,
    PresentRequest,
    PresentResponse,
    ResourceReportRequest,
    ResourceReportResponse,
    ScanRequest,
    ScanResponse,
    SearchRequest,
    SearchResponse,
    SortRequest,
    SortResponse,
    TriggerResourceControlRequest,
    _NeedData,
)
from app.z3950.framing import DEFAULT_MAX_APDU_SIZE, Framer
from app.z3950.text import python_codec


class Role(Enum):
    ORIGIN = "origin"  # the client: sends requests
    TARGET = "target"  # the server: sends responses


class State(Enum):
    IDLE = "idle"  # connected, no Init yet
    INIT_SENT = "init sent"  # the Init request is out, its answer is awaited
    OPEN = "open"  # Init accepted, no request outstanding
    REQUEST_SENT = "request sent"  # one request outstanding
    CLOSE_SENT = "close sent"  # the origin sent Close and awaits the target's Close
    CLOSED = "closed"  # over: a Close exchange, a refused Init, or the stream ended
    ERROR = "error"  # a protocol error happened; nothing more can be done


# What answers what: the one request an origin may have outstanding, and its response.
RESPONSE_TO: dict[type, type] = {
    SearchRequest: SearchResponse,
    PresentRequest: PresentResponse,
    ScanRequest: ScanResponse,
    SortRequest: SortResponse,
    DeleteResultSetRequest: DeleteResultSetResponse,
    ResourceReportRequest: ResourceReportResponse,
}
_REQUESTS = frozenset(RESPONSE_TO)
_RESPONSES = frozenset(RESPONSE_TO.values())

# (state, who sends, what kind) -> next state. Kinds: init, init-accepted, init-refused,
# request, response, trigger, close. A target's Close is legal in every state (below).
_TRANSITIONS: dict[tuple[State, Role, str], State] = {
    (State.IDLE, Role.ORIGIN, "init"): State.INIT_SENT,
    (State.INIT_SENT, Role.TARGET, "init-accepted"): State.OPEN,
    (State.INIT_SENT, Role.TARGET, "init-refused"): State.CLOSED,
    (State.INIT_SENT, Role.ORIGIN, "close"): State.CLOSE_SENT,
    (State.OPEN, Role.ORIGIN, "request"): State.REQUEST_SENT,
    (State.OPEN, Role.ORIGIN, "trigger"): State.OPEN,
    (State.OPEN, Role.ORIGIN, "close"): State.CLOSE_SENT,
    (State.REQUEST_SENT, Role.TARGET, "response"): State.OPEN,
    # cancel (TriggerResourceControl) and Close may overtake an outstanding request
    (State.REQUEST_SENT, Role.ORIGIN, "trigger"): State.REQUEST_SENT,
    (State.REQUEST_SENT, Role.ORIGIN, "close"): State.CLOSE_SENT,
    # the answer to a request that crossed our Close on the wire
    (State.CLOSE_SENT, Role.TARGET, "response"): State.CLOSE_SENT,
    **{
        (state, Role.TARGET, "close"): State.CLOSED
        for state in (State.IDLE, State.INIT_SENT, State.OPEN, State.REQUEST_SENT)
    },
    (State.CLOSE_SENT, Role.TARGET, "close"): State.CLOSED,
    # the origin answers a target's Close with its own, once
    (State.CLOSED, Role.ORIGIN, "close-answer"): State.CLOSED,
}


def _kind(event: Event) -> str:
    if isinstance(event, InitRequest):
        return "init"
    if isinstance(event, InitResponse):
        return "init-accepted" if event.accepted else "init-refused"
    if isinstance(event, TriggerResourceControlRequest):
        return "trigger"
    if isinstance(event, Close):
        return "close"
    if type(event) in _REQUESTS:
        return "request"
    if type(event) in _RESPONSES:
        return "response"
    return "not an APDU"


def _sender(kind: str) -> Role:
    return Role.TARGET if kind in ("init-accepted", "init-refused", "response") else Role.ORIGIN


class Connection:
    """The protocol state of one association, no I/O of its own."""

    def __init__(
        self,
        role: Role,
        *,
        max_apdu_size: int = DEFAULT_MAX_APDU_SIZE,
        encoding: str = "utf-8",
    ) -> None:
        self.role = role
        self.state = State.IDLE
        self._encoding = "utf-8"
        self.encoding = encoding
        self._framer = Framer(max_apdu_size)
        self._eof = False
        self._outstanding: type | None = None  # the request awaiting its response
        self._close_answer_due = False  # the target closed first; the origin may answer
        # the Init exchange (None until then); what it agreed is read from the response
        self.init_request: InitRequest | None = None
        self.init_response: InitResponse | None = None

    # --- the public surface -----------------------------------------------------------

    @property
    def encoding(self) -> str:
        """The Python codec for InternationalStrings (switched by a charset agreement)."""
        return self._encoding

    @encoding.setter
    def encoding(self, name: str) -> None:
        codec = python_codec(name)
        if codec is None:
            raise CharacterSetError(f"Python has no codec for the character set {name!r}.")
        self._encoding = codec

    @property
    def version(self) -> int | None:
        """The protocol version the Init agreed."""
        return self.init_response.version if self.init_response else None

    @property
    def options(self) -> frozenset[str]:
        """The Init options the target agreed to."""
        return self.init_response.options if self.init_response else frozenset()

    @property
    def charset(self) -> str | None:
        """The character set the target chose, by the name it gave (None: none negotiated)."""
        agreed = self.init_response.charset if self.init_response else None
        return (agreed.charset or None) if agreed else None

    @property
    def _peer(self) -> Role:
        return Role.TARGET if self.role is Role.ORIGIN else Role.ORIGIN

    @property
    def max_apdu_size(self) -> int:
        return self._framer.max_apdu_size

    @property
    def outstanding(self) -> type | None:
        """The request type awaiting its answer, if any."""
        return self._outstanding

    def send(self, event: Event) -> bytes:
        """The bytes for ``event``; LocalProtocolError (and ERROR) if it is not allowed now.

        A text the agreed character set cannot hold raises CharacterSetError and leaves the
        association as it was.
        """
        if self.state is State.ERROR:
            raise LocalProtocolError("This connection already failed; open a new one.")
        kind = _kind(event)
        if kind == "not an APDU" or (kind != "close" and _sender(kind) is not self.role):
            self._fail_local(f"A Z39.50 {self.role.value} does not send {type(event).__name__}.")
        try:
            data = encode_apdu(event, encoding=self._encoding)
        except LocalProtocolError:
            self.state = State.ERROR
            raise
        self._advance(event, kind, self.role, LocalProtocolError)
        return data

    def receive_data(self, data: bytes) -> None:
        """Buffer bytes from the peer; ``b""`` means the peer closed the stream."""
        if self._eof:
            raise LocalProtocolError("Data received after the stream was closed.")
        if data:
            self._framer.feed(data)
        else:
            self._eof = True

    def next_event(self) -> Event | _NeedData:
        """The next event from the peer, NEED_DATA, or ConnectionClosed after EOF."""
        if self.state is State.ERROR:
            raise RemoteProtocolError("This connection already failed; open a new one.")
        try:
            apdu = self._framer.next_apdu()
            if apdu is None:
                if not self._eof:
                    return NEED_DATA
                if self._framer.buffered:
                    raise RemoteProtocolError(
                        f"The {self._peer.value} closed the connection in the middle of a message.",
                        detail=f"{self._framer.buffered} octets of an unfinished APDU at EOF",
                    )
                if self.state is not State.CLOSED:
                    self.state = State.CLOSED
                    self._outstanding = None
                return ConnectionClosed()
            event = decode_apdu(apdu, encoding=self._encoding)
            self._advance(event, _kind(event), self._peer, RemoteProtocolError)
        except RemoteProtocolError:
            self.state = State.ERROR
            raise
        return event

    # --- the machine ------------------------------------------------------------------

    def _advance(
        self,
        event: Event,
        kind: str,
        sender: Role,
        error: type[LocalProtocolError] | type[RemoteProtocolError],
    ) -> None:
        if kind == "close" and sender is Role.ORIGIN and self._close_answer_due:
            kind = "close-answer"
        if _sender(kind) is not sender and kind != "close":
            self._refuse(error, f"a {sender.value} does not send {type(event).__name__}")
        target = _TRANSITIONS.get((self.state, sender, kind))
        if target is None:
            self._refuse(error, f"{type(event).__name__} is not allowed in state {self.state.name}")
            return
        if kind == "response":
            expected = RESPONSE_TO.get(self._outstanding) if self._outstanding else None
            if type(event) is not expected:
                wanted = expected.__name__ if expected else "no response"
                self._refuse(error, f"got {type(event).__name__} while expecting {wanted}")
            self._outstanding = None
        elif kind == "request":
            self._outstanding = type(event)
        elif isinstance(event, InitRequest):
            self.init_request = event
        elif isinstance(event, InitResponse):
            self._agree(event)
        elif kind == "close":
            if sender is Role.TARGET:
                self._outstanding = None  # the target will answer nothing more
            self._close_answer_due = sender is Role.TARGET and self.state is not State.CLOSE_SENT
        elif kind == "close-answer":
            self._close_answer_due = False
        self.state = target

    def _agree(self, response: InitResponse) -> None:
        """Record what the Init exchange settled, and switch to the agreed character set."""
        self.init_response = response
        codec = python_codec(self.charset)
        if codec is not None:
            self._encoding = codec

    def _refuse(
        self, error: type[LocalProtocolError] | type[RemoteProtocolError], what: str
    ) -> None:
        self.state = State.ERROR
        if error is LocalProtocolError:
            raise LocalProtocolError(f"Polycat tried something Z39.50 does not allow: {what}.")
        raise RemoteProtocolError(f"The {self._peer.value} broke the Z39.50 protocol: {what}.")

    def _fail_local(self, message: str) -> None:
        self.state = State.ERROR
        raise LocalProtocolError(message)
