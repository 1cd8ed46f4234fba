"""Byte-level cases: each event and the exact BER the standard asks for (h11-style table).

The expected bytes were worked out by hand from the ASN.1 (z3950v3.asn, charneg-3.asn), with
the structure spelt out beside them; the captured vectors (test_vectors.py) cross-check the
same encoder against YAZ.
"""

from __future__ import annotations

import pytest

from app.z3950 import (
    Anonymous,
    CharacterSetError,
    CharsetAgreement,
    Close,
    CloseReason,
    ConnectionClosed,
    DeleteResultSetRequest,
    DeleteResultSetResponse,
    Diagnostic,
    External,
    IdPass,
    InitRequest,
    InitResponse,
    LocalProtocolError,
    OclcUserInformation,
    PresentRequest,
    PresentResponse,
    RemoteProtocolError,
    ResourceReportRequest,
    ResourceReportResponse,
    RetrievalRecord,
    ScanEntry,
    ScanRequest,
    ScanResponse,
    SearchRequest,
    SearchResponse,
    SortKey,
    SortRequest,
    SortResponse,
    SurrogateDiagnostic,
    TriggerResourceControlRequest,
    decode_apdu,
    encode_apdu,
    oids,
)
from app.z3950.events import Event
from app.z3950.rpn import Attribute, Boolean, Proximity, ResultSetRef, RPNQuery, Term
from tests.vectors import load

BIB1_ATTRS = "06072a8648ce130301"  # OID 1.2.840.10003.3.1
BIB1_DIAG = "06072a8648ce130401"  # OID 1.2.840.10003.4.1


def h(text: str) -> bytes:
    """Hex with spaces and ``|`` as visual separators."""
    return bytes.fromhex(text.replace("|", " "))


CASES: list[tuple[str, Event, str]] = [
    (
        "trigger resource control: cancel",
        TriggerResourceControlRequest(),
        "bf20 04 | 9f2e 01 03",  # [32] { requestedAction [46] 3 }
    ),
    ("resource report request", ResourceReportRequest(), "bf21 00"),
    (
        "resource report request with a reference id",
        ResourceReportRequest(reference_id=b"ab"),
        "bf21 04 | 82 02 6162",  # referenceId [2] IMPLICIT OCTET STRING
    ),
    ("resource report response", ResourceReportResponse(0), "bf22 04 | 9f32 01 00"),
    (
        "close with reason and message",
        Close(CloseReason.SYSTEM_PROBLEM, "disk full"),
        # closeReason [211] (high tag 81 53), diagnosticInformation [3] GeneralString
        "bf30 10 | 9f8153 01 02 | 83 09 6469736b2066756c6c",
    ),
    ("delete all result sets", DeleteResultSetRequest(all=True), "ba 04 | 9f20 01 01"),
    (
        "delete two result sets",
        DeleteResultSetRequest(("a", "b")),
        # deleteFunction [32] list, resultSetList SEQUENCE OF ResultSetId [31]
        "ba 0e | 9f20 01 00 | 30 08 9f1f0161 9f1f0162",
    ),
    (
        "delete response with list statuses",
        DeleteResultSetResponse(0, (("a", 0),)),
        # deleteOperationStatus [0] IMPLICIT, deleteListStatuses [1] { SEQUENCE { id, [33] } }
        "bb 0f | 80 01 00 | a1 0a 30 08 9f1f0161 9f210100",
    ),
    (
        "sort response with a diagnostic and a count",
        SortResponse(0, result_set_status=3, result_count=5, diagnostics=(Diagnostic(30, "x"),)),
        f"bf2c 1c | 830100 | 840103 | a5 11 30 0f {BIB1_DIAG} 02011e 1a0178 | 860105",
    ),
    (
        "sort request by field, descending, case sensitive",
        SortRequest(("a",), "b", (SortKey(field="year", ascending=False, case_sensitive=True),)),
        # inputs [3], output [4], sortSequence [5] { SortKeySpec { generic [1] { sortfield [0] },
        # relation [1] descending, case [2] sensitive, missingValueAction [3] { null [2] } } }
        "bf2b 1e | a3 03 1b0161 | 84 01 62 | a5 14 30 12 a1 06 8004 79656172 | 810101 | 820100"
        " | a3 02 8200",
    ),
    (
        "scan request: numeric term with a use attribute",
        ScanRequest(("db",), Term("5", (Attribute(1, 4),), "numeric"), count=10),
        # databaseNames [3], attributeSet, [102] { [44] {1=4}, numeric [215] 5 }, [5] [6] [7]
        f"bf23 2e | a305 9f69026462 | {BIB1_ATTRS} | bf66 12 bf2c 0a 3008 9f780101 9f790104"
        " 9f8157 01 05 | 850100 | 86010a | 870101",
    ),
    (
        "scan response: counted, displayed and diagnosed entries",
        ScanResponse(
            0,
            (
                ScanEntry("water", 10),
                ScanEntry("wave", display="Wave"),
                ScanEntry("", diagnostic=Diagnostic(241)),
            ),
            position_of_term=1,
            step_size=0,
        ),
        # stepSize [3], scanStatus [4], numberOfEntriesReturned [5], positionOfTerm [6],
        # entries [7] { entries [1] { termInfo [1] {...}, ..., surrogateDiagnostic [2] {...} } }
        "bf24 3f | 830100 | 840100 | 850103 | 860101 | a7 31 a1 2f"
        " a1 0b 9f2d 05 7761746572 82010a"
        " a1 0d 9f2d 04 77617665 80 04 57617665"
        f" a2 11 30 0f {BIB1_DIAG} 020200f1 1a00",
    ),
    (
        "Type-101 search: proximity of a complex-attribute term and a result set",
        SearchRequest(
            RPNQuery(
                Proximity(Term("a", (Attribute(1, "title"),)), ResultSetRef("s1"), distance=2),
                type_101=True,
            ),
            ("db",),
            result_set_name="r",
            small_set_element_set="F",
            preferred_record_syntax=oids.USMARC,
        ),
        # bounds [13]-[15], replace [16], name [17], databases [18], small ESN [100] { [0] F },
        # syntax [104], query [21] { type-101 [101] { bib-1, rpnRpnOp [1] {
        #   op [0] { [102] { [44] { 1 = complex [224] { list [1] { string [1] "title" } } },
        #            general [45] "a" } },
        #   op [0] { resultSet [31] "s1" },
        #   [46] { prox [3] { exclusion, distance 2, ordered, relation 3, unit [5] { known 2 } } }
        # } } }
        "b6 72 | 8d0100 8e0101 8f0100 900101 910172 | b205 9f69026462 | bf6403 800146"
        " | 9f6807 2a8648ce13050a"
        f" | b54a bf6547 {BIB1_ATTRS} a13c"
        " a01d bf661a bf2c13 3011 9f780101 bf816009 a107 81057469746c65 9f2d0161"
        " a005 9f1f027331"
        " bf2e13 a311 810100 820102 830101 840103 a503810102",
    ),
    (
        "Type-1 search: OR of a characterString term and a null term",
        SearchRequest(
            RPNQuery(Boolean("or", Term("x", (), "characterString"), Term("", (), "null"))),
            ("a", "b"),
            result_set_name="1",
        ),
        # characterString [216] = 9f8158, null [221] = 9f815d, operator [46] { or [1] }
        "b6 46 | 8d0100 8e0101 8f0100 900101 910131 | b208 9f690161 9f690162"
        f" | b52b a129 {BIB1_ATTRS} a11e"
        " a00b bf6608 bf2c00 9f81580178"
        " a00a bf6607 bf2c00 9f815d00"
        " bf2e02 8100",
    ),
    (
        "present with element set, XML syntax, max record size and a reference id",
        PresentRequest(
            "default",
            11,
            10,
            element_set="B",
            preferred_record_syntax=oids.XML,
            max_record_size=1_000_000,
            reference_id=b"\x01",
        ),
        # referenceId [2], resultSetId [31] (high tag), start [30] and count [29] (low tags),
        # simple [19] { [0] B }, syntax [104] 1.2.840.10003.5.109.10, maxRecordSize [206]
        "b8 2a | 820101 | 9f1f0764656661756c74 | 9e010b | 9d010a | b303800142"
        " | 9f68082a8648ce13056d0a | 9f814e030f4240",
    ),
    (
        "present response: octet-aligned, SUTRS, OPAC and a surrogate diagnostic",
        PresentResponse(
            4,
            5,
            0,
            records=(
                RetrievalRecord(oids.USMARC, b"abc", "db"),
                RetrievalRecord(oids.SUTRS, b"hi", None, single_asn1=True),
                RetrievalRecord(oids.OPAC, h("3003020105"), "db", single_asn1=True),
                SurrogateDiagnostic(Diagnostic(238, "xml"), "db"),
            ),
        ),
        # NamePlusRecord { name [0], record [1] { retrievalRecord [1] { EXTERNAL } } }:
        # MARC octet-aligned [1]; SUTRS single-ASN1 [0] { GeneralString }; OPAC [0] { its BER };
        # surrogateDiagnostic [2] { DefaultDiagFormat }
        "b9 76 | 980104 990105 9b0100 | bc6b"
        " 3018 80026462 a112 a110 280e 06072a8648ce13050a 8103616263"
        " 3015 a113 a111 280f 06072a8648ce130565 a004 1b026869"
        " 301a 80026462 a114 a112 2810 06072a8648ce130566 a005 3003020105"
        f" 301c 80026462 a116 a214 3012 {BIB1_DIAG} 020200ee 1a03786d6c",
    ),
    (
        "search response with a non-surrogate diagnostic",
        SearchResponse(
            0, False, result_set_status=3, present_status=5, diagnostics=(Diagnostic(114, "9999"),)
        ),
        # counts [23] [24] [25], status [22], resultSetStatus [26], presentStatus [27],
        # nonSurrogateDiagnostic [130] (high tag 81 02)
        f"b7 28 | 970100 980100 990100 960100 9a0103 9b0105 | bf810212 {BIB1_DIAG} 020172"
        " 1a0439393939",
    ),
    (
        "search response with several non-surrogate diagnostics",
        SearchResponse(0, False, diagnostics=(Diagnostic(109, "a"), Diagnostic(235, "b"))),
        # multipleNonSurDiagnostics [205] { DiagRec, DiagRec }
        f"b7 33 | 970100 980100 990100 960100 | bf814d23 300f {BIB1_DIAG} 02016d 1a0161"
        f" 3010 {BIB1_DIAG} 020200eb 1a0162",
    ),
    (
        "init request: version 2, idPass login",
        InitRequest(
            version=2,
            options=frozenset({"search", "present"}),
            preferred_message_size=1024,
            exceptional_record_size=2048,
            authentication=IdPass("u", "p", "g"),
            implementation_id="1",
            implementation_name="P",
            implementation_version="0",
        ),
        # protocolVersion [3] bits 0-1, options [4] bits 0-1 (whole octets, as YAZ),
        # sizes [5] [6], idAuthentication [7] { idPass { group [0], user [1], password [2] } },
        # implementation id/name/version [110]-[112]
        "b4 29 | 830200c0 | 840200c0 | 85020400 | 86020800 | a70b 3009 800167 810175 820170"
        " | 9f6e0131 9f6f0150 9f700130",
    ),
    (
        "init request: anonymous, user information, no implementation fields",
        InitRequest(
            options=frozenset({"search"}),
            preferred_message_size=1,
            exceptional_record_size=1,
            authentication=Anonymous(),
            implementation_id=None,
            implementation_name=None,
            implementation_version=None,
            user_information=External("1.2.3", h("040178"), single_asn1=True),
        ),
        # anonymous NULL inside [7]; userInformationField [11] { EXTERNAL { 1.2.3, [0] {...} } }
        "b4 1f | 830200e0 | 84020080 | 850101 | 860101 | a7020500 | ab0b 2809 06022a03 a003040178",
    ),
    (
        "init response: OCLC user information and a UTF-8 agreement",
        InitResponse(
            True,
            options=frozenset({"search"}),
            preferred_message_size=1,
            exceptional_record_size=1,
            implementation_name="OCLC",
            oclc=OclcUserInformation(motd="hi", dblist=("WorldCat",)),
            charset=CharsetAgreement("UTF-8", None, True),
        ),
        # result [12]; userInformationField [11] { EXTERNAL { 1.2.840.10003.10.1000.17.1,
        #   [0] { SEQUENCE { motd [1], SEQUENCE { [2] WorldCat } } } } };
        # otherInfo [201] { { externallyDefinedInfo [4] { 1.2.840.10003.15.3, [0] {
        #   response [2] { selectedCharSets [1] { iso10646 [2] { encodingLevel [2]
        #   1.0.10646.1.0.8 } }, recordsInSelectedCharSets [3] TRUE } } } } }
        "b5 60 | 830200e0 84020080 850101 860101 8c0101 | 9f6f044f434c43"
        " | ab22 2820 060a2a8648ce130a87681101 a012 3010 81026869 300a 8208576f726c64436174"
        " | bf814920 301e a41c 06072a8648ce130f03 a011 a20f a10a a208 820628d316010008 830101",
    ),
]


BY_NAME = pytest.mark.parametrize(
    ("event", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)


@BY_NAME
def test_encode_gives_the_standard_bytes(event: Event, expected: str) -> None:
    assert encode_apdu(event).hex() == h(expected).hex()


@BY_NAME
def test_decode_gives_the_event_back(event: Event, expected: str) -> None:
    assert decode_apdu(h(expected)) == event


def test_refused_init_is_explained_exactly_as_zebra_does() -> None:
    """Our target-side refusal carries the same UserInfo-1/diag-1 bytes zebrasrv sends."""
    refusal = InitResponse(False, diagnostic=Diagnostic(1011, "alice"))
    zebra = next(apdu for direction, apdu in load("zebra_init_refused") if direction == "<")
    field = h(
        "ab3c 283a 06072a8648ce130a03 a02f bf81492b 3029 a427 06072a8648ce130402 a01c 301a"
        " 3018 a116 a114 06072a8648ce130401 020203f3 1a05616c696365"
    )
    assert field in zebra
    assert field in encode_apdu(refusal)
    assert decode_apdu(encode_apdu(refusal)).diagnostic == Diagnostic(1011, "alice")  # type: ignore[union-attr]


def test_strings_use_the_association_character_set() -> None:
    term = SearchRequest(RPNQuery(Term("Müller")), ("db",))
    assert "M\u00fcller".encode() in encode_apdu(term)
    assert b"M\xfcller" in encode_apdu(term, encoding="iso-8859-1")
    latin = encode_apdu(term, encoding="iso-8859-1")
    assert decode_apdu(latin, encoding="iso-8859-1") == term
    # bytes the agreed set cannot decode become U+FFFD, never an exception
    garbled = decode_apdu(encode_apdu(term), encoding="ascii")
    assert isinstance(garbled, SearchRequest) and "\ufffd" in str(garbled.query.root)


def test_unencodable_term_is_a_character_set_error() -> None:
    with pytest.raises(CharacterSetError, match=r"cannot be sent .*iso-8859-1"):
        encode_apdu(SearchRequest(RPNQuery(Term("北京")), ("db",)), encoding="iso-8859-1")


def test_what_is_not_an_apdu_cannot_be_encoded() -> None:
    with pytest.raises(LocalProtocolError, match="ConnectionClosed is not an APDU"):
        encode_apdu(ConnectionClosed())
    with pytest.raises(LocalProtocolError, match="version 4 does not exist"):
        encode_apdu(InitRequest(version=4))
    with pytest.raises(LocalProtocolError, match="Unknown Init option 'teleport'"):
        encode_apdu(InitRequest(options=frozenset({"teleport"})))
    with pytest.raises(LocalProtocolError, match="either records or non-surrogate"):
        encode_apdu(
            PresentResponse(
                1, 2, records=(RetrievalRecord(None, b""),), diagnostics=(Diagnostic(1),)
            )
        )
    with pytest.raises(LocalProtocolError, match="must hold one whole BER value"):
        encode_apdu(PresentResponse(1, 2, records=(RetrievalRecord(oids.OPAC, b"xx", None, True),)))


@pytest.mark.parametrize(
    ("data", "message", "detail"),
    [
        (b"GET / HTTP/1.0\r\n\r\n", "not a Z39.50 message", "unknown APDU tag [APPLICATION 7]"),
        (h("bf2e00"), "extendedServicesRequest", "APDU [46]"),
        (h("bf6300"), "not a Z39.50 message", "[99]"),
        (h("b40383 0100"), "malformed initRequest APDU", "initRequest"),
        (h("bf2004 9f2e0103 00"), "malformed triggerResourceControlRequest", "1 octets after"),
        (h("b4"), "truncated", ""),
    ],
    ids=[
        "http",
        "unsupported-apdu",
        "unknown-tag",
        "missing-fields",
        "trailing-octet",
        "one-octet",
    ],
)
def test_garbage_is_a_remote_protocol_error_in_words(
    data: bytes, message: str, detail: str
) -> None:
    with pytest.raises(RemoteProtocolError, match=message) as caught:
        decode_apdu(data)
    assert detail in caught.value.detail


def _tlv(identifier: str, *parts: bytes) -> bytes:
    contents = b"".join(parts)
    return h(identifier) + bytes([len(contents)]) + contents


def test_a_cql_query_is_refused_plainly() -> None:
    # query [21] { type-104 [104] IMPLICIT EXTERNAL { 1.2.840.10003.16.2, [1] "ti=x" } }
    cql = _tlv("bf68", h("06072a8648ce131002"), _tlv("81", b"ti=x"))
    search = _tlv(
        "b6",
        h("8d0100 8e0101 8f0100 900101 910131"),
        _tlv("b2", _tlv("9f69", b"db")),
        _tlv("b5", cql),
    )
    with pytest.raises(RemoteProtocolError, match="query type-104"):
        decode_apdu(search)
