"""The association state machine: an origin and a target joined by a fake link (h11-style)."""

from __future__ import annotations

import pytest

from app.z3950 import (
    NEED_DATA,
    CharacterSetError,
    CharsetAgreement,
    CharsetProposal,
    Close,
    CloseReason,
    Connection,
    ConnectionClosed,
    DeleteResultSetRequest,
    DeleteResultSetResponse,
    Diagnostic,
    InitRequest,
    InitResponse,
    LocalProtocolError,
    PresentRequest,
    PresentResponse,
    RemoteProtocolError,
    ResourceReportRequest,
    ResourceReportResponse,
    RetrievalRecord,
    Role,
    ScanRequest,
    ScanResponse,
    SearchRequest,
    SearchResponse,
    SortKey,
    SortRequest,
    SortResponse,
    State,
    TriggerResourceControlRequest,
    encode_apdu,
    oids,
)
from app.z3950.events import Event
from app.z3950.rpn import RPNQuery, Term

SEARCH = SearchRequest(RPNQuery(Term("water")), ("Default",))
HITS = SearchResponse(42, True)
PRESENT = PresentRequest("default", 1, 2)
RECORDS = PresentResponse(
    2, 3, records=(RetrievalRecord(oids.USMARC, b"a"), RetrievalRecord(oids.USMARC, b"b"))
)


class Link:
    """An origin and a target whose bytes go straight to each other."""

    def __init__(self) -> None:
        self.origin = Connection(Role.ORIGIN)
        self.target = Connection(Role.TARGET)

    def send(self, sender: Connection, event: Event) -> Event:
        receiver = self.target if sender is self.origin else self.origin
        receiver.receive_data(sender.send(event))
        received = receiver.next_event()
        assert received == event
        assert receiver.next_event() is NEED_DATA
        return received

    def states(self) -> tuple[State, State]:
        return self.origin.state, self.target.state

    def open(self, **init: object) -> None:
        self.send(self.origin, InitRequest())
        assert self.states() == (State.INIT_SENT, State.INIT_SENT)
        self.send(self.target, InitResponse(True, **init))  # type: ignore[arg-type]
        assert self.states() == (State.OPEN, State.OPEN)


@pytest.fixture
def link() -> Link:
    return Link()


def test_a_whole_session(link: Link) -> None:
    assert link.states() == (State.IDLE, State.IDLE)
    link.open(options=frozenset({"search", "present"}))
    assert link.origin.version == 3 and link.origin.options == {"search", "present"}
    for request, response in [
        (SEARCH, HITS),
        (PRESENT, RECORDS),
        (ScanRequest(("Default",), Term("w")), ScanResponse(0)),
        (SortRequest(("default",), "sorted", (SortKey(4),)), SortResponse(0)),
        (DeleteResultSetRequest(("sorted",)), DeleteResultSetResponse(0)),
        (ResourceReportRequest(), ResourceReportResponse(0)),
    ]:
        link.send(link.origin, request)
        assert link.states() == (State.REQUEST_SENT, State.REQUEST_SENT)
        assert link.origin.outstanding is type(request)
        link.send(link.target, response)
        assert link.states() == (State.OPEN, State.OPEN)
    link.send(link.origin, Close())
    assert link.states() == (State.CLOSE_SENT, State.CLOSE_SENT)
    link.send(link.target, Close())
    assert link.states() == (State.CLOSED, State.CLOSED)


def test_only_one_request_outstanding(link: Link) -> None:
    link.open()
    link.send(link.origin, SEARCH)
    with pytest.raises(
        LocalProtocolError, match="SearchRequest is not allowed in state REQUEST_SENT"
    ):
        link.origin.send(SEARCH)
    assert link.origin.state is State.ERROR


def test_a_target_answering_twice_is_a_remote_error(link: Link) -> None:
    link.open()
    link.send(link.origin, SEARCH)
    link.send(link.target, HITS)
    link.origin.receive_data(encode_apdu(HITS))
    with pytest.raises(RemoteProtocolError, match="SearchResponse is not allowed in state OPEN"):
        link.origin.next_event()
    assert link.origin.state is State.ERROR
    with pytest.raises(RemoteProtocolError, match="already failed"):
        link.origin.next_event()
    with pytest.raises(LocalProtocolError, match="already failed"):
        link.origin.send(Close())


def test_the_response_must_answer_the_request(link: Link) -> None:
    link.open()
    link.send(link.origin, SEARCH)
    link.origin.receive_data(encode_apdu(RECORDS))
    with pytest.raises(
        RemoteProtocolError, match="got PresentResponse while expecting SearchResponse"
    ):
        link.origin.next_event()


def test_init_comes_first(link: Link) -> None:
    with pytest.raises(LocalProtocolError, match="not allowed in state IDLE"):
        link.origin.send(SEARCH)
    target = Connection(Role.TARGET)
    target.receive_data(encode_apdu(SEARCH))
    with pytest.raises(
        RemoteProtocolError,
        match=r"^The origin broke the Z39\.50 protocol: SearchRequest is not allowed in state IDLE",
    ):
        target.next_event()


def test_roles_send_only_their_own_apdus(link: Link) -> None:
    with pytest.raises(LocalProtocolError, match="origin does not send InitResponse"):
        link.origin.send(InitResponse(True))
    with pytest.raises(LocalProtocolError, match="target does not send InitRequest"):
        link.target.send(InitRequest())
    with pytest.raises(LocalProtocolError, match="does not send ConnectionClosed"):
        Connection(Role.ORIGIN).send(ConnectionClosed())


def test_a_refused_init_ends_the_association(link: Link) -> None:
    link.send(link.origin, InitRequest())
    link.send(link.target, InitResponse(False, diagnostic=Diagnostic(1011, "alice")))
    assert link.states() == (State.CLOSED, State.CLOSED)
    assert link.origin.init_response is not None
    assert link.origin.init_response.diagnostic == Diagnostic(1011, "alice")
    with pytest.raises(LocalProtocolError):
        link.origin.send(SEARCH)


def test_cancel_while_a_request_is_outstanding(link: Link) -> None:
    link.open()
    link.send(link.origin, SEARCH)
    link.send(link.origin, TriggerResourceControlRequest(action=3))
    assert link.states() == (State.REQUEST_SENT, State.REQUEST_SENT)
    link.send(link.target, HITS)  # the answer still comes, and is still expected
    assert link.states() == (State.OPEN, State.OPEN)


def test_close_overtaking_a_request_then_its_answer_then_the_close(link: Link) -> None:
    link.open()
    link.send(link.origin, PRESENT)
    link.send(link.origin, Close(CloseReason.PEER_ABORT))
    assert link.states() == (State.CLOSE_SENT, State.CLOSE_SENT)
    link.send(link.target, RECORDS)  # crossed our Close on the wire
    assert link.states() == (State.CLOSE_SENT, State.CLOSE_SENT)
    link.send(link.target, Close())
    assert link.states() == (State.CLOSED, State.CLOSED)


def test_after_close_only_a_close_answer(link: Link) -> None:
    link.open()
    link.send(link.origin, Close())
    with pytest.raises(LocalProtocolError, match="not allowed in state CLOSE_SENT"):
        link.origin.send(SEARCH)
    other = Link()
    other.open()
    other.send(other.origin, Close())
    other.origin.receive_data(encode_apdu(HITS))  # no request was outstanding
    with pytest.raises(RemoteProtocolError, match="got SearchResponse while expecting no response"):
        other.origin.next_event()


@pytest.mark.parametrize("moment", ["idle", "init", "open", "mid-present"])
def test_target_close_is_accepted_in_any_state(link: Link, moment: str) -> None:
    if moment != "idle":
        link.send(link.origin, InitRequest())
    if moment in ("open", "mid-present"):
        link.send(link.target, InitResponse(True))
    if moment == "mid-present":
        link.send(link.origin, PRESENT)
    link.send(link.target, Close(CloseReason.RESOURCES, "too busy"))
    assert link.states() == (State.CLOSED, State.CLOSED)
    assert link.origin.outstanding is None
    # the origin may answer the target's Close once, and nothing else
    link.send(link.origin, Close())
    assert link.states() == (State.CLOSED, State.CLOSED)
    with pytest.raises(LocalProtocolError):
        link.origin.send(Close())


def test_peer_closing_the_stream(link: Link) -> None:
    link.open()
    link.send(link.origin, SEARCH)
    link.origin.receive_data(b"")
    assert link.origin.next_event() == ConnectionClosed()
    assert link.origin.state is State.CLOSED
    assert link.origin.next_event() == ConnectionClosed()
    with pytest.raises(LocalProtocolError, match="after the stream was closed"):
        link.origin.receive_data(b"more")


def test_apdus_before_eof_are_delivered_first(link: Link) -> None:
    link.open()
    link.send(link.origin, SEARCH)
    link.origin.receive_data(encode_apdu(HITS) + encode_apdu(Close()))
    link.origin.receive_data(b"")
    assert link.origin.next_event() == HITS
    assert link.origin.next_event() == Close()
    assert link.origin.next_event() == ConnectionClosed()


def test_eof_in_the_middle_of_an_apdu(link: Link) -> None:
    link.open()
    link.send(link.origin, PRESENT)
    data = encode_apdu(RECORDS)
    link.origin.receive_data(data[:10])
    assert link.origin.next_event() is NEED_DATA
    link.origin.receive_data(b"")
    with pytest.raises(RemoteProtocolError, match="middle of a message"):
        link.origin.next_event()
    assert link.origin.state is State.ERROR


def test_garbage_and_oversize_put_the_connection_in_error() -> None:
    origin = Connection(Role.ORIGIN, max_apdu_size=100)
    origin.send(InitRequest())
    origin.receive_data(b"\xb5\x84\x40\x00\x00\x00")
    with pytest.raises(RemoteProtocolError, match="larger than Polycat accepts"):
        origin.next_event()
    assert origin.state is State.ERROR
    other = Connection(Role.ORIGIN)
    other.send(InitRequest())
    other.receive_data(b"\x00\x01garbage")
    with pytest.raises(RemoteProtocolError, match=r"not a Z39\.50 message"):
        other.next_event()
    assert other.state is State.ERROR


def test_charset_agreement_switches_the_encoding(link: Link) -> None:
    link.send(link.origin, InitRequest(charset=CharsetProposal(("UTF-8", "iso8859-1"))))
    link.send(link.target, InitResponse(True, charset=CharsetAgreement("iso8859-1")))
    assert link.origin.charset == link.target.charset == "iso8859-1"
    assert link.origin.encoding == link.target.encoding == "iso8859-1"
    data = link.origin.send(SearchRequest(RPNQuery(Term("Müller")), ("Default",)))
    assert b"M\xfcller" in data
    link.target.receive_data(data)
    event = link.target.next_event()
    assert isinstance(event, SearchRequest) and event.query.root == Term("Müller")


def test_a_charset_without_a_python_codec_keeps_the_encoding(link: Link) -> None:
    link.send(link.origin, InitRequest(charset=CharsetProposal(("iso5426",))))
    link.send(link.target, InitResponse(True, charset=CharsetAgreement("iso5426")))
    assert link.origin.charset == "iso5426" and link.origin.encoding == "utf-8"


def test_encoding_is_settable_and_checked(link: Link) -> None:
    link.open()
    link.origin.encoding = "latin-1"
    assert link.origin.encoding == "iso8859-1"
    with pytest.raises(CharacterSetError, match="no codec"):
        link.origin.encoding = "klingon-8"
    assert link.origin.state is State.OPEN


def test_unencodable_text_leaves_the_association_usable(link: Link) -> None:
    link.open()
    link.origin.encoding = "iso-8859-1"
    with pytest.raises(CharacterSetError):
        link.origin.send(SearchRequest(RPNQuery(Term("北京")), ("Default",)))
    assert link.origin.state is State.OPEN
    link.origin.encoding = "utf-8"
    link.send(link.origin, SearchRequest(RPNQuery(Term("北京")), ("Default",)))


def test_max_apdu_size_is_kept() -> None:
    assert Connection(Role.ORIGIN).max_apdu_size == 16 * 1024 * 1024
    assert Connection(Role.TARGET, max_apdu_size=5).max_apdu_size == 5
