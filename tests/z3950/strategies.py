"""Hypothesis strategies for every APDU event, within what the wire can carry exactly.

Where the protocol cannot tell two events apart the strategies pick the canonical one: a null
term has empty text, a numeric term is a canonical integer, a charset proposal that names a
character set offers ``negotiationModel``, a structured record holds definite-length BER.
"""

from __future__ import annotations

from hypothesis import strategies as st

from app.z3950 import ber, oids
from app.z3950.events import (
    OPTION_BITS,
    Anonymous,
    CharsetAgreement,
    CharsetProposal,
    Close,
    CloseReason,
    DeleteResultSetRequest,
    DeleteResultSetResponse,
    Diagnostic,
    External,
    IdPass,
    InitRequest,
    InitResponse,
    OclcUserInformation,
    Open,
    PresentRequest,
    PresentResponse,
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
)
from app.z3950.rpn import Attribute, Boolean, Node, Proximity, ResultSetRef, RPNQuery, Term

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
ascii_name = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=10)
count = st.integers(min_value=0, max_value=2**31 - 1)
small = st.integers(min_value=0, max_value=1000)
octets = st.binary(max_size=40)
reference = st.none() | st.binary(min_size=1, max_size=8)

# OIDs with no special meaning to the codec (special ones are exercised explicitly)
plain_oid = st.builds(
    lambda first, second, rest: ".".join(map(str, [first, second, *rest])),
    st.integers(0, 2),
    st.integers(0, 39),
    st.lists(st.integers(0, 2**32), max_size=5),
).filter(lambda oid: not oid.startswith("1.2.840.10003"))
syntax_oid = st.sampled_from(sorted(oids.RECORD_SYNTAXES.values()))
diagnostic_set = st.sampled_from([oids.BIB1_DIAGNOSTICS, oids.DIAG1]) | plain_oid

diagnostics = st.builds(Diagnostic, code=count, addinfo=text, diagnostic_set=diagnostic_set)


def _ber_value(payload: bytes) -> bytes:
    return ber.tlv(0x04, payload)  # an OCTET STRING: one whole, definite BER value


# --- queries ------------------------------------------------------------------------------

attributes = st.builds(
    Attribute,
    type=st.integers(1, 10_000),
    value=count | text,
    attribute_set=st.none() | plain_oid,
)
terms = st.one_of(
    st.builds(Term, text, st.tuples() | st.lists(attributes, max_size=3).map(tuple)),
    st.builds(
        lambda t, a: Term(t, a, "characterString"),
        text,
        st.lists(attributes, max_size=2).map(tuple),
    ),
    st.builds(
        lambda n, a: Term(str(n), a, "numeric"),
        st.integers(-(2**40), 2**40),
        st.lists(attributes, max_size=2).map(tuple),
    ),
    st.builds(lambda a: Term("", a, "null"), st.lists(attributes, max_size=2).map(tuple)),
)


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Boolean, st.sampled_from(["and", "or", "and-not"]), children, children),
        st.builds(
            Proximity,
            children,
            children,
            exclusion=st.booleans(),
            distance=small,
            ordered=st.booleans(),
            relation=st.integers(1, 6),
            known_unit=st.booleans(),
            unit=small,
        ),
    )


nodes: st.SearchStrategy[Node] = st.recursive(
    terms | st.builds(ResultSetRef, text), _extend, max_leaves=8
)
queries = st.builds(
    RPNQuery, nodes, attribute_set=st.just(oids.BIB1_ATTRIBUTES) | plain_oid, type_101=st.booleans()
)

# --- Init ---------------------------------------------------------------------------------

options = st.frozensets(st.sampled_from(sorted(OPTION_BITS)))
charset_names = st.sampled_from(["UTF-8", "UTF-16", "UCS-2", "UCS-4", "iso8859-1", "iso5426"])
authentication = st.one_of(
    st.none(),
    st.builds(Open, text),
    st.builds(IdPass, st.none() | text, st.none() | text, st.none() | text),
    st.just(Anonymous()),
)
externals = st.one_of(
    st.builds(External, st.none() | plain_oid, octets),
    st.builds(
        lambda oid, data: External(oid, _ber_value(data), True), st.none() | plain_oid, octets
    ),
)


@st.composite
def init_requests(draw: st.DrawFn) -> InitRequest:
    charset = draw(
        st.none()
        | st.builds(
            CharsetProposal,
            st.lists(charset_names, max_size=3).map(tuple),
            st.lists(text, max_size=2).map(tuple),
            st.booleans(),
        )
    )
    chosen = draw(options)
    if charset is not None:
        chosen |= {"negotiationModel"}
    return InitRequest(
        version=draw(st.integers(1, 3)),
        options=chosen,
        preferred_message_size=draw(count),
        exceptional_record_size=draw(count),
        authentication=draw(authentication),
        implementation_id=draw(st.none() | text),
        implementation_name=draw(st.none() | text),
        implementation_version=draw(st.none() | text),
        charset=charset,
        user_information=draw(st.none() | externals),
        reference_id=draw(reference),
    )


init_responses = st.builds(
    InitResponse,
    accepted=st.booleans(),
    version=st.integers(1, 3),
    options=options,
    preferred_message_size=count,
    exceptional_record_size=count,
    implementation_id=st.none() | text,
    implementation_name=st.none() | text,
    implementation_version=st.none() | text,
    charset=st.none()
    | st.builds(
        CharsetAgreement, st.none() | charset_names, st.none() | text, st.none() | st.booleans()
    ),
    oclc=st.none()
    | st.builds(
        OclcUserInformation,
        st.none() | text,
        st.lists(text, max_size=3).map(tuple),
        st.none() | st.booleans(),
        st.none() | text,
    ),
    diagnostic=st.none() | diagnostics,
    user_information=st.none() | externals,
    reference_id=reference,
)

# --- Search, Present and their records ----------------------------------------------------


@st.composite
def retrieval_records(draw: st.DrawFn) -> RetrievalRecord:
    oid = draw(st.none() | syntax_oid)
    single = draw(st.booleans())
    data = draw(octets)
    if single and oid in oids.STRUCTURED_SYNTAXES:
        data = _ber_value(data)
    return RetrievalRecord(oid, data, draw(st.none() | text), single)


records = retrieval_records() | st.builds(SurrogateDiagnostic, diagnostics, st.none() | text)


@st.composite
def records_or_diagnostics(draw: st.DrawFn) -> dict[str, object]:
    if draw(st.booleans()):
        return {"records": tuple(draw(st.lists(records, max_size=4))), "diagnostics": ()}
    return {"records": (), "diagnostics": tuple(draw(st.lists(diagnostics, max_size=3)))}


search_requests = st.builds(
    SearchRequest,
    query=queries,
    databases=st.lists(text, min_size=1, max_size=3).map(tuple),
    result_set_name=text,
    replace=st.booleans(),
    small_set_upper_bound=count,
    large_set_lower_bound=count,
    medium_set_present_number=count,
    small_set_element_set=st.none() | text,
    medium_set_element_set=st.none() | text,
    preferred_record_syntax=st.none() | syntax_oid,
    reference_id=reference,
)


@st.composite
def search_responses(draw: st.DrawFn) -> SearchResponse:
    return SearchResponse(
        result_count=draw(count),
        search_status=draw(st.booleans()),
        records_returned=draw(count),
        next_position=draw(count),
        result_set_status=draw(st.none() | st.integers(1, 4)),
        present_status=draw(st.none() | st.integers(0, 5)),
        reference_id=draw(reference),
        **draw(records_or_diagnostics()),  # type: ignore[arg-type]
    )


present_requests = st.builds(
    PresentRequest,
    result_set=text,
    start=count,
    count=count,
    element_set=st.none() | text,
    preferred_record_syntax=st.none() | syntax_oid,
    max_record_size=st.none() | count,
    reference_id=reference,
)


@st.composite
def present_responses(draw: st.DrawFn) -> PresentResponse:
    return PresentResponse(
        records_returned=draw(count),
        next_position=draw(count),
        present_status=draw(st.integers(0, 5)),
        reference_id=draw(reference),
        **draw(records_or_diagnostics()),  # type: ignore[arg-type]
    )


# --- the other services -------------------------------------------------------------------

scan_entries = st.one_of(
    st.builds(ScanEntry, text, st.none() | count, st.none() | text),
    st.builds(lambda d: ScanEntry("", diagnostic=d), diagnostics),
)
scan_requests = st.builds(
    ScanRequest,
    databases=st.lists(text, min_size=1, max_size=3).map(tuple),
    term=terms,
    attribute_set=st.just(oids.BIB1_ATTRIBUTES) | plain_oid,
    count=count,
    preferred_position=count,
    step_size=count,
    reference_id=reference,
)
scan_responses = st.builds(
    ScanResponse,
    status=st.integers(0, 6),
    entries=st.lists(scan_entries, max_size=5).map(tuple),
    position_of_term=st.none() | count,
    step_size=st.none() | count,
    diagnostics=st.lists(diagnostics, max_size=2).map(tuple),
    reference_id=reference,
)
sort_keys = st.one_of(
    st.builds(SortKey, use=count, ascending=st.booleans(), case_sensitive=st.booleans()),
    st.builds(SortKey, field=text, ascending=st.booleans(), case_sensitive=st.booleans()),
)
sort_requests = st.builds(
    SortRequest,
    inputs=st.lists(text, min_size=1, max_size=3).map(tuple),
    output=text,
    keys=st.lists(sort_keys, min_size=1, max_size=3).map(tuple),
    reference_id=reference,
)
sort_responses = st.builds(
    SortResponse,
    status=st.integers(0, 2),
    result_set_status=st.none() | st.integers(1, 4),
    result_count=st.none() | count,
    diagnostics=st.lists(diagnostics, max_size=2).map(tuple),
    reference_id=reference,
)
other_events = st.one_of(
    st.builds(
        DeleteResultSetRequest, st.lists(text, max_size=3).map(tuple), st.booleans(), reference
    ),
    st.builds(
        DeleteResultSetResponse,
        st.integers(0, 10),
        st.lists(st.tuples(text, st.integers(0, 10)), max_size=3).map(tuple),
        reference,
    ),
    st.builds(TriggerResourceControlRequest, st.integers(1, 3), reference),
    st.builds(ResourceReportRequest, reference),
    st.builds(ResourceReportResponse, st.integers(0, 7), reference),
    st.builds(Close, st.sampled_from(list(CloseReason)), st.none() | text, reference),
)

every_event = st.one_of(
    init_requests(),
    init_responses,
    search_requests,
    search_responses(),
    present_requests,
    present_responses(),
    scan_requests,
    scan_responses,
    sort_requests,
    sort_responses,
    other_events,
)
