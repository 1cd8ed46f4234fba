"""The protocol core against a real yaz-ztest over a plain blocking socket: real chunking,
real piggy-backing, 2,000 records in pages of 100. (app/net tests the asyncio layer.)"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from app.z3950 import (
    NEED_DATA,
    CharsetProposal,
    Close,
    Connection,
    ConnectionClosed,
    InitRequest,
    InitResponse,
    PresentRequest,
    PresentResponse,
    RetrievalRecord,
    Role,
    SearchRequest,
    SearchResponse,
    State,
    oids,
    parse_pqf,
)
from app.z3950.events import Event
from tests.peers import ZTest

pytestmark = pytest.mark.peers


class Session:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.conn = Connection(Role.ORIGIN)
        self.reads = 0

    def ask(self, event: Event) -> Event:
        self.sock.sendall(self.conn.send(event))
        while True:
            answer = self.conn.next_event()
            if answer is not NEED_DATA:
                return answer
            self.conn.receive_data(self.sock.recv(65536))
            self.reads += 1


@pytest.fixture
def session(ztest: ZTest) -> Iterator[Session]:
    opened = Session(ztest.port)
    yield opened
    opened.sock.close()


def test_init_with_charset_then_close(session: Session) -> None:
    answer = session.ask(InitRequest(charset=CharsetProposal(("UTF-8",))))
    assert isinstance(answer, InitResponse) and answer.accepted
    assert session.conn.state is State.OPEN and session.conn.version == 3
    # ztest names ISO-8859-1 whatever is proposed; the connection follows the agreement
    assert session.conn.charset == "ISO-8859-1" and session.conn.encoding == "iso8859-1"
    closing = session.ask(Close())
    assert isinstance(closing, Close) and session.conn.state is State.CLOSED
    session.conn.receive_data(session.sock.recv(65536))
    assert session.conn.next_event() == ConnectionClosed()


def test_piggybacked_records_and_2000_records_in_pages(session: Session) -> None:
    assert isinstance(session.ask(InitRequest()), InitResponse)
    search = SearchRequest(
        parse_pqf("2000"),
        ("Default",),
        small_set_upper_bound=0,
        large_set_lower_bound=10_000,
        medium_set_present_number=10,
        preferred_record_syntax=oids.USMARC,
    )
    found = session.ask(search)
    assert isinstance(found, SearchResponse) and found.result_count == 2000
    assert found.records_returned == len(found.records) == 10  # in the Search response itself
    records = list(found.records)
    position = 11
    while position <= 2000:
        wanted = min(100, 2001 - position)
        page = session.ask(
            PresentRequest("default", position, wanted, preferred_record_syntax=oids.USMARC)
        )
        assert isinstance(page, PresentResponse) and page.present_status == 0, page
        records += page.records
        position = page.next_position
    assert len(records) == 2000
    for record in records:
        assert isinstance(record, RetrievalRecord) and record.oid == oids.USMARC
        assert int(record.data[:5]) == len(record.data) and record.data.endswith(b"\x1d")
    assert session.reads > 20  # the pages really arrived in several chunks
