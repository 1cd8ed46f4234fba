"""Events to BER and back: ``encode_apdu`` and ``decode_apdu`` for every APDU in events.py.

Both directions exist for requests and responses alike, so the same core can play an
origin or a target. Strings use the association's character set (``encoding``); record
bytes are never touched. Whatever a peer sends that we cannot read raises
RemoteProtocolError naming the APDU and the part that was wrong, never a pyasn1 traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error

from app.z3950 import ber, fastpath, oids
from app.z3950.asn1.apdus import APDUS, UNSUPPORTED_APDUS
from app.z3950.errors import LocalProtocolError, RemoteProtocolError
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
    Event,
    External,
    IdPass,
    InitRequest,
    InitResponse,
    Open,
    PresentRequest,
    PresentResponse,
    ResourceReportRequest,
    ResourceReportResponse,
    ScanEntry,
    ScanRequest,
    ScanResponse,
    SearchRequest,
    SearchResponse,
    SortKey,
    SortRequest,
    SortResponse,
    TriggerResourceControlRequest,
)
from app.z3950.externals import (
    charset_agreement_external,
    charset_proposal_external,
    check_encodable,
    diagnostics_in_external,
    externals_in_other_information,
    fill_diag_rec,
    fill_external,
    fill_other_information,
    oclc_external,
    read_charset_negotiation,
    read_diag_rec,
    read_external,
    read_oclc,
    user_info_external,
)
from app.z3950.retrieval import fill_records, read_records
from app.z3950.rpn import BIB1, Attribute
from app.z3950.rpn_codec import (
    fill_attributes,
    fill_attributes_plus_term,
    fill_query,
    read_attributes,
    read_attributes_plus_term,
    read_query,
    read_term,
)
from app.z3950.text import to_octets, to_text

_BIT_NAMES = {bit: name for name, bit in OPTION_BITS.items()}


# --- public API ---------------------------------------------------------------------------


def encode_apdu(event: Event, *, encoding: str = "utf-8") -> bytes:
    """The BER bytes of one APDU. LocalProtocolError for an event that is not an APDU or
    holds something that cannot be sent (a term the character set cannot hold)."""
    entry = _ENCODERS.get(type(event))
    if entry is None:
        raise LocalProtocolError(f"{type(event).__name__} is not an APDU that can be sent.")
    number, fill = entry
    pdu = APDUS[number][1].clone()
    fill(pdu, event, encoding)
    reference = getattr(event, "reference_id", None)
    if reference is not None:
        pdu["referenceId"] = reference
    try:
        return bytes(encoder.encode(pdu))
    except PyAsn1Error as exc:
        raise LocalProtocolError(
            f"{type(event).__name__} could not be encoded.", detail=str(exc)
        ) from exc


def decode_apdu(data: bytes, *, encoding: str = "utf-8") -> Event:
    """The event for one whole APDU (as ``framing`` cuts them). RemoteProtocolError if the
    bytes are not a Z39.50 APDU Polycat understands."""
    header = ber.read_header(data, 0, len(data))
    if header is None:
        raise RemoteProtocolError(
            "The target sent a truncated message.", detail=f"{len(data)} octets: {data.hex()}"
        )
    identifier, number, _, _ = header
    if identifier & 0xE0 != ber.CONTEXT | ber.CONSTRUCTED or number not in APDUS:
        if identifier & 0xE0 == ber.CONTEXT | ber.CONSTRUCTED and number in UNSUPPORTED_APDUS:
            name = UNSUPPORTED_APDUS[number]
            raise RemoteProtocolError(
                f"The target sent a {name}, a Z39.50 service Polycat does not support.",
                detail=f"APDU [{number}] {name}",
            )
        raise RemoteProtocolError(
            "The target sent something that is not a Z39.50 message.",
            detail=f"unknown APDU tag {ber.tag_name(identifier & 0xC0, number)};"
            f" first octets {data[:16].hex()}",
        )
    name, spec = APDUS[number]
    whole = ber.read_tlv(data, 0, len(data))
    if whole.end != len(data):
        raise RemoteProtocolError(
            f"The target sent a malformed {name} APDU.",
            detail=f"{len(data) - whole.end} octets after the end of {name}",
        )
    fast = fastpath.decode(number, data, encoding)
    if fast is not None:
        return fast
    try:
        # pyasn1 cannot read an indefinite length inside an ANY (an EXTERNAL's value)
        pdu, _ = decoder.decode(ber.definite(data), asn1Spec=spec)
        return _DECODERS[number](pdu, encoding)
    except RemoteProtocolError:
        raise
    except Exception as exc:  # pyasn1 fails in many ways on bad input; all mean the same
        raise RemoteProtocolError(
            f"The target sent a malformed {name} APDU.", detail=f"{name}: {exc!r}"
        ) from exc


# --- helpers ------------------------------------------------------------------------------


def _bits(positions: Iterable[int]) -> tuple[int, ...]:
    """A BIT STRING value padded to whole octets, as YAZ sends it."""
    wanted = set(positions)
    if not wanted:
        return (0,) * 8
    size = (max(wanted) // 8 + 1) * 8
    return tuple(1 if bit in wanted else 0 for bit in range(size))


def _set_bits(value: Any) -> list[int]:
    return [index for index, bit in enumerate(value) if bit]


def _option_bits(options: Iterable[str]) -> list[int]:
    bits = []
    for name in options:
        if name not in OPTION_BITS:
            raise LocalProtocolError(f"Unknown Init option {name!r}.")
        bits.append(OPTION_BITS[name])
    return bits


def _optional_text(component: Any, encoding: str) -> str | None:
    return to_text(component, encoding) if component.isValue else None


def _optional_int(component: Any) -> int | None:
    return int(component) if component.isValue else None


def _default(value: int | None, default: int) -> int:
    return default if value is None else value


def _reference(pdu: Any) -> bytes | None:
    value = pdu["referenceId"]
    return bytes(value) if value.isValue else None


def _fill_database_names(component: Any, databases: tuple[str, ...], encoding: str) -> None:
    for index, name in enumerate(databases):
        component[index] = to_octets(name, encoding, "database name")


def _read_texts(component: Any, encoding: str) -> tuple[str, ...]:
    return tuple(to_text(item, encoding) for item in component)


def _fill_element_set(component: Any, name: str, encoding: str) -> None:
    component["genericElementSetName"] = to_octets(name, encoding, "element set name")


def _read_element_set(component: Any, encoding: str) -> str | None:
    if not component.isValue:
        return None
    if component.getName() == "genericElementSetName":
        return to_text(component["genericElementSetName"], encoding)
    specific = component["databaseSpecific"]
    return to_text(specific[0]["esn"], encoding) if len(specific) else None


def _read_diagnostics(component: Any, encoding: str) -> tuple[Diagnostic, ...]:
    return tuple(read_diag_rec(rec, encoding) for rec in component) if component.isValue else ()


# --- Init ---------------------------------------------------------------------------------


def _fill_init_common(pdu: Any, event: InitRequest | InitResponse, encoding: str) -> None:
    if not 1 <= event.version <= 3:
        raise LocalProtocolError(f"Z39.50 version {event.version} does not exist (1, 2 or 3).")
    pdu["protocolVersion"] = _bits(range(event.version))
    options = set(_option_bits(event.options))
    if isinstance(event, InitRequest) and event.charset is not None:
        # a proposal is only read by a target when this bit says one is there
        options.add(OPTION_BITS["negotiationModel"])
    pdu["options"] = _bits(options)
    pdu["preferredMessageSize"] = event.preferred_message_size
    pdu["exceptionalRecordSize"] = event.exceptional_record_size
    for field, value in (
        ("implementationId", event.implementation_id),
        ("implementationName", event.implementation_name),
        ("implementationVersion", event.implementation_version),
    ):
        if value is not None:
            pdu[field] = to_octets(value, encoding, "implementation name")


def _fill_init_request(pdu: Any, event: InitRequest, encoding: str) -> None:
    _fill_init_common(pdu, event, encoding)
    auth = event.authentication
    if isinstance(auth, Open):
        pdu["idAuthentication"]["open"] = to_octets(auth.text, encoding, "login")
    elif isinstance(auth, IdPass):
        id_pass = pdu["idAuthentication"]["idPass"]
        for field, value in (
            ("groupId", auth.group),
            ("userId", auth.user),
            ("password", auth.password),
        ):
            if value is not None:
                id_pass[field] = to_octets(value, encoding, "login")
    elif isinstance(auth, Anonymous):
        pdu["idAuthentication"]["anonymous"] = None
    if event.user_information is not None:
        check_encodable(event.user_information)
        fill_external(pdu["userInformationField"], event.user_information)
    if event.charset is not None:
        fill_other_information(
            pdu["otherInfo"], [charset_proposal_external(event.charset, encoding)]
        )


def _fill_init_response(pdu: Any, event: InitResponse, encoding: str) -> None:
    _fill_init_common(pdu, event, encoding)
    pdu["result"] = event.accepted
    # one userInformationField: OCLC's record first, then the refusal, then anything else;
    # what does not fit there travels in otherInfo
    candidates: list[External] = []
    if event.oclc is not None:
        candidates.append(oclc_external(event.oclc, encoding))
    if event.diagnostic is not None:
        candidates.append(user_info_external(event.diagnostic, encoding))
    if event.user_information is not None:
        check_encodable(event.user_information)
        candidates.append(event.user_information)
    if candidates:
        fill_external(pdu["userInformationField"], candidates[0])
    others = candidates[1:]
    if event.charset is not None:
        others.insert(0, charset_agreement_external(event.charset, encoding))
    if others:
        fill_other_information(pdu["otherInfo"], others)


def _read_init_common(pdu: Any, encoding: str) -> dict[str, Any]:
    versions = _set_bits(pdu["protocolVersion"])
    return {
        "version": max(versions) + 1 if versions else 0,
        "options": frozenset(
            _BIT_NAMES[bit] for bit in _set_bits(pdu["options"]) if bit in _BIT_NAMES
        ),
        "preferred_message_size": int(pdu["preferredMessageSize"]),
        "exceptional_record_size": int(pdu["exceptionalRecordSize"]),
        "implementation_id": _optional_text(pdu["implementationId"], encoding),
        "implementation_name": _optional_text(pdu["implementationName"], encoding),
        "implementation_version": _optional_text(pdu["implementationVersion"], encoding),
        "reference_id": _reference(pdu),
    }


def _read_init_request(pdu: Any, encoding: str) -> InitRequest:
    fields = _read_init_common(pdu, encoding)
    auth_choice = pdu["idAuthentication"]
    auth: Open | IdPass | Anonymous | None = None
    if auth_choice.isValue:
        kind = auth_choice.getName()
        if kind == "open":
            auth = Open(to_text(auth_choice["open"], encoding))
        elif kind == "idPass":
            id_pass = auth_choice["idPass"]
            auth = IdPass(
                user=_optional_text(id_pass["userId"], encoding),
                password=_optional_text(id_pass["password"], encoding),
                group=_optional_text(id_pass["groupId"], encoding),
            )
        elif kind == "anonymous":
            auth = Anonymous()
        else:
            raise RemoteProtocolError(
                "The origin used EXTERNAL authentication, which Polycat does not support.",
                detail="idAuthentication other",
            )
    charset = None
    for external in externals_in_other_information(pdu["otherInfo"]):
        negotiation = read_charset_negotiation(external, encoding)
        if isinstance(negotiation, CharsetProposal):
            charset = negotiation
    user_information = (
        read_external(pdu["userInformationField"]) if pdu["userInformationField"].isValue else None
    )
    if fields["version"] < 1:
        fields["version"] = 1
    return InitRequest(
        authentication=auth, charset=charset, user_information=user_information, **fields
    )


def _read_init_response(pdu: Any, encoding: str) -> InitResponse:
    fields = _read_init_common(pdu, encoding)
    externals = []
    if pdu["userInformationField"].isValue:
        externals.append(read_external(pdu["userInformationField"]))
    externals.extend(externals_in_other_information(pdu["otherInfo"]))
    charset: CharsetAgreement | None = None
    oclc = None
    diagnostic = None
    user_information = None
    for external in externals:
        negotiation = read_charset_negotiation(external, encoding)
        if negotiation is not None:
            if isinstance(negotiation, CharsetAgreement):
                charset = negotiation
            continue
        if external.oid == oids.OCLC_USER_INFORMATION and external.single_asn1:
            oclc = read_oclc(external.data, encoding)
            continue
        found = diagnostics_in_external(external, encoding)
        if found:
            diagnostic = diagnostic or found[0]
        elif user_information is None:
            user_information = external
    return InitResponse(
        accepted=bool(pdu["result"]),
        charset=charset,
        oclc=oclc,
        diagnostic=diagnostic,
        user_information=user_information,
        **fields,
    )


# --- Search and Present -------------------------------------------------------------------


def _fill_search_request(pdu: Any, event: SearchRequest, encoding: str) -> None:
    pdu["smallSetUpperBound"] = event.small_set_upper_bound
    pdu["largeSetLowerBound"] = event.large_set_lower_bound
    pdu["mediumSetPresentNumber"] = event.medium_set_present_number
    pdu["replaceIndicator"] = event.replace
    pdu["resultSetName"] = to_octets(event.result_set_name, encoding, "result set name")
    _fill_database_names(pdu["databaseNames"], event.databases, encoding)
    if event.small_set_element_set is not None:
        _fill_element_set(pdu["smallSetElementSetNames"], event.small_set_element_set, encoding)
    if event.medium_set_element_set is not None:
        _fill_element_set(pdu["mediumSetElementSetNames"], event.medium_set_element_set, encoding)
    if event.preferred_record_syntax is not None:
        pdu["preferredRecordSyntax"] = event.preferred_record_syntax
    fill_query(pdu["query"], event.query, encoding)


def _read_search_request(pdu: Any, encoding: str) -> SearchRequest:
    syntax = pdu["preferredRecordSyntax"]
    return SearchRequest(
        query=read_query(pdu["query"], encoding),
        databases=_read_texts(pdu["databaseNames"], encoding),
        result_set_name=to_text(pdu["resultSetName"], encoding),
        replace=bool(pdu["replaceIndicator"]),
        small_set_upper_bound=int(pdu["smallSetUpperBound"]),
        large_set_lower_bound=int(pdu["largeSetLowerBound"]),
        medium_set_present_number=int(pdu["mediumSetPresentNumber"]),
        small_set_element_set=_read_element_set(pdu["smallSetElementSetNames"], encoding),
        medium_set_element_set=_read_element_set(pdu["mediumSetElementSetNames"], encoding),
        preferred_record_syntax=str(syntax) if syntax.isValue else None,
        reference_id=_reference(pdu),
    )


def _fill_search_response(pdu: Any, event: SearchResponse, encoding: str) -> None:
    pdu["resultCount"] = event.result_count
    pdu["numberOfRecordsReturned"] = event.records_returned
    pdu["nextResultSetPosition"] = event.next_position
    pdu["searchStatus"] = event.search_status
    if event.result_set_status is not None:
        pdu["resultSetStatus"] = event.result_set_status
    if event.present_status is not None:
        pdu["presentStatus"] = event.present_status
    fill_records(pdu, event.records, event.diagnostics, encoding)


def _read_search_response(pdu: Any, encoding: str) -> SearchResponse:
    records, diagnostics = read_records(pdu["records"], encoding)
    return SearchResponse(
        result_count=int(pdu["resultCount"]),
        search_status=bool(pdu["searchStatus"]),
        records_returned=int(pdu["numberOfRecordsReturned"]),
        next_position=int(pdu["nextResultSetPosition"]),
        result_set_status=_optional_int(pdu["resultSetStatus"]),
        present_status=_optional_int(pdu["presentStatus"]),
        records=records,
        diagnostics=diagnostics,
        reference_id=_reference(pdu),
    )


def _fill_present_request(pdu: Any, event: PresentRequest, encoding: str) -> None:
    pdu["resultSetId"] = to_octets(event.result_set, encoding, "result set name")
    pdu["resultSetStartPoint"] = event.start
    pdu["numberOfRecordsRequested"] = event.count
    if event.element_set is not None:
        _fill_element_set(pdu["recordComposition"]["simple"], event.element_set, encoding)
    if event.preferred_record_syntax is not None:
        pdu["preferredRecordSyntax"] = event.preferred_record_syntax
    if event.max_record_size is not None:
        pdu["maxRecordSize"] = event.max_record_size


def _read_present_request(pdu: Any, encoding: str) -> PresentRequest:
    composition = pdu["recordComposition"]
    element_set = None
    if composition.isValue:
        if composition.getName() == "simple":
            element_set = _read_element_set(composition["simple"], encoding)
        else:
            spec = composition["complex"]["generic"]
            if spec.isValue and spec["elementSpec"].isValue:
                chosen = spec["elementSpec"]
                if chosen.getName() == "elementSetName":
                    element_set = to_text(chosen["elementSetName"], encoding)
    syntax = pdu["preferredRecordSyntax"]
    return PresentRequest(
        result_set=to_text(pdu["resultSetId"], encoding),
        start=int(pdu["resultSetStartPoint"]),
        count=int(pdu["numberOfRecordsRequested"]),
        element_set=element_set,
        preferred_record_syntax=str(syntax) if syntax.isValue else None,
        max_record_size=_optional_int(pdu["maxRecordSize"]),
        reference_id=_reference(pdu),
    )


def _fill_present_response(pdu: Any, event: PresentResponse, encoding: str) -> None:
    pdu["numberOfRecordsReturned"] = event.records_returned
    pdu["nextResultSetPosition"] = event.next_position
    pdu["presentStatus"] = event.present_status
    fill_records(pdu, event.records, event.diagnostics, encoding)


def _read_present_response(pdu: Any, encoding: str) -> PresentResponse:
    records, diagnostics = read_records(pdu["records"], encoding)
    return PresentResponse(
        records_returned=int(pdu["numberOfRecordsReturned"]),
        next_position=int(pdu["nextResultSetPosition"]),
        present_status=int(pdu["presentStatus"]),
        records=records,
        diagnostics=diagnostics,
        reference_id=_reference(pdu),
    )


# --- Scan ---------------------------------------------------------------------------------


def _fill_scan_request(pdu: Any, event: ScanRequest, encoding: str) -> None:
    _fill_database_names(pdu["databaseNames"], event.databases, encoding)
    pdu["attributeSet"] = event.attribute_set
    fill_attributes_plus_term(pdu["termListAndStartPoint"], event.term, encoding)
    pdu["stepSize"] = event.step_size
    pdu["numberOfTermsRequested"] = event.count
    pdu["preferredPositionInResponse"] = event.preferred_position


def _read_scan_request(pdu: Any, encoding: str) -> ScanRequest:
    attribute_set = pdu["attributeSet"]
    return ScanRequest(
        databases=_read_texts(pdu["databaseNames"], encoding),
        term=read_attributes_plus_term(pdu["termListAndStartPoint"], encoding),
        attribute_set=str(attribute_set) if attribute_set.isValue else BIB1,
        count=int(pdu["numberOfTermsRequested"]),
        preferred_position=_default(_optional_int(pdu["preferredPositionInResponse"]), 1),
        step_size=_default(_optional_int(pdu["stepSize"]), 0),
        reference_id=_reference(pdu),
    )


def _fill_scan_response(pdu: Any, event: ScanResponse, encoding: str) -> None:
    if event.step_size is not None:
        pdu["stepSize"] = event.step_size
    pdu["scanStatus"] = event.status
    pdu["numberOfEntriesReturned"] = len(event.entries)
    if event.position_of_term is not None:
        pdu["positionOfTerm"] = event.position_of_term
    if event.entries or event.diagnostics:
        listing = pdu["entries"]
        for index, entry in enumerate(event.entries):
            chosen = listing["entries"][index]
            if entry.diagnostic is not None:
                fill_diag_rec(chosen["surrogateDiagnostic"], entry.diagnostic, encoding)
                continue
            info = chosen["termInfo"]
            info["term"]["general"] = to_octets(entry.term, encoding, "scan term")
            if entry.display is not None:
                info["displayTerm"] = to_octets(entry.display, encoding, "scan term")
            if entry.count is not None:
                info["globalOccurrences"] = entry.count
        for index, diagnostic in enumerate(event.diagnostics):
            fill_diag_rec(listing["nonsurrogateDiagnostics"][index], diagnostic, encoding)


def _read_scan_response(pdu: Any, encoding: str) -> ScanResponse:
    entries: list[ScanEntry] = []
    diagnostics: tuple[Diagnostic, ...] = ()
    listing = pdu["entries"]
    if listing.isValue:
        for chosen in listing["entries"] if listing["entries"].isValue else ():
            if chosen.getName() == "surrogateDiagnostic":
                entries.append(
                    ScanEntry("", diagnostic=read_diag_rec(chosen["surrogateDiagnostic"], encoding))
                )
                continue
            info = chosen["termInfo"]
            text, _ = read_term(info["term"], encoding)
            entries.append(
                ScanEntry(
                    term=text,
                    count=_optional_int(info["globalOccurrences"]),
                    display=_optional_text(info["displayTerm"], encoding),
                )
            )
        diagnostics = _read_diagnostics(listing["nonsurrogateDiagnostics"], encoding)
    return ScanResponse(
        status=int(pdu["scanStatus"]),
        entries=tuple(entries),
        position_of_term=_optional_int(pdu["positionOfTerm"]),
        step_size=_optional_int(pdu["stepSize"]),
        diagnostics=diagnostics,
        reference_id=_reference(pdu),
    )


# --- Sort ---------------------------------------------------------------------------------


def _fill_sort_request(pdu: Any, event: SortRequest, encoding: str) -> None:
    for index, name in enumerate(event.inputs):
        pdu["inputResultSetNames"][index] = to_octets(name, encoding, "result set name")
    pdu["sortedResultSetName"] = to_octets(event.output, encoding, "result set name")
    for index, key in enumerate(event.keys):
        spec = pdu["sortSequence"][index]
        sort_key = spec["sortElement"]["generic"]
        if key.use is not None:
            fill_attributes(sort_key["sortAttributes"]["list"], (Attribute(1, key.use),), encoding)
            sort_key["sortAttributes"]["id"] = BIB1
        elif key.field is not None:
            sort_key["sortfield"] = to_octets(key.field, encoding, "sort field")
        else:
            raise LocalProtocolError("A sort key needs a use attribute or a field name.")
        spec["sortRelation"] = 0 if key.ascending else 1
        spec["caseSensitivity"] = 0 if key.case_sensitive else 1
        # records lacking the key sort as if empty rather than failing the sort (as YAZ asks)
        spec["missingValueAction"]["null"] = None


def _read_sort_key(spec: Any, encoding: str) -> SortKey:
    element = spec["sortElement"]
    if element.getName() == "generic":
        sort_key = element["generic"]
    else:
        specific = element["databaseSpecific"]
        sort_key = specific[0]["dbSort"]
    relation = int(spec["sortRelation"])
    ascending = relation in (0, 3)
    case_sensitive = int(spec["caseSensitivity"]) == 0
    kind = sort_key.getName()
    if kind == "sortfield":
        name = to_text(sort_key["sortfield"], encoding)
        return SortKey(field=name, ascending=ascending, case_sensitive=case_sensitive)
    if kind == "sortAttributes":
        for attribute in read_attributes(sort_key["sortAttributes"]["list"], encoding):
            if attribute.type != 1:
                continue
            if isinstance(attribute.value, int):
                return SortKey(
                    use=attribute.value, ascending=ascending, case_sensitive=case_sensitive
                )
            return SortKey(
                field=attribute.value, ascending=ascending, case_sensitive=case_sensitive
            )
    raise RemoteProtocolError(
        "The sort request has a sort key Polycat cannot read.", detail=f"SortKey {kind}"
    )


def _read_sort_request(pdu: Any, encoding: str) -> SortRequest:
    return SortRequest(
        inputs=_read_texts(pdu["inputResultSetNames"], encoding),
        output=to_text(pdu["sortedResultSetName"], encoding),
        keys=tuple(_read_sort_key(spec, encoding) for spec in pdu["sortSequence"]),
        reference_id=_reference(pdu),
    )


def _fill_sort_response(pdu: Any, event: SortResponse, encoding: str) -> None:
    pdu["sortStatus"] = event.status
    if event.result_set_status is not None:
        pdu["resultSetStatus"] = event.result_set_status
    for index, diagnostic in enumerate(event.diagnostics):
        fill_diag_rec(pdu["diagnostics"][index], diagnostic, encoding)
    if event.result_count is not None:
        pdu["resultCount"] = event.result_count


def _read_sort_response(pdu: Any, encoding: str) -> SortResponse:
    return SortResponse(
        status=int(pdu["sortStatus"]),
        result_set_status=_optional_int(pdu["resultSetStatus"]),
        result_count=_optional_int(pdu["resultCount"]),
        diagnostics=_read_diagnostics(pdu["diagnostics"], encoding),
        reference_id=_reference(pdu),
    )


# --- Delete, resource control, Close ------------------------------------------------------


def _fill_delete_request(pdu: Any, event: DeleteResultSetRequest, encoding: str) -> None:
    pdu["deleteFunction"] = 1 if event.all else 0
    for index, name in enumerate(event.names):
        pdu["resultSetList"][index] = to_octets(name, encoding, "result set name")


def _read_delete_request(pdu: Any, encoding: str) -> DeleteResultSetRequest:
    names = pdu["resultSetList"]
    return DeleteResultSetRequest(
        names=_read_texts(names, encoding) if names.isValue else (),
        all=int(pdu["deleteFunction"]) == 1,
        reference_id=_reference(pdu),
    )


def _fill_delete_response(pdu: Any, event: DeleteResultSetResponse, encoding: str) -> None:
    pdu["deleteOperationStatus"] = event.status
    for index, (name, status) in enumerate(event.statuses):
        entry = pdu["deleteListStatuses"][index]
        entry["id"] = to_octets(name, encoding, "result set name")
        entry["status"] = status


def _read_delete_response(pdu: Any, encoding: str) -> DeleteResultSetResponse:
    statuses = pdu["deleteListStatuses"]
    return DeleteResultSetResponse(
        status=int(pdu["deleteOperationStatus"]),
        statuses=tuple((to_text(s["id"], encoding), int(s["status"])) for s in statuses)
        if statuses.isValue
        else (),
        reference_id=_reference(pdu),
    )


def _fill_trigger(pdu: Any, event: TriggerResourceControlRequest, encoding: str) -> None:
    pdu["requestedAction"] = event.action


def _read_trigger(pdu: Any, encoding: str) -> TriggerResourceControlRequest:
    return TriggerResourceControlRequest(
        action=int(pdu["requestedAction"]), reference_id=_reference(pdu)
    )


def _fill_report_request(pdu: Any, event: ResourceReportRequest, encoding: str) -> None:
    """Nothing but the reference id: Polycat asks for the target's default report format."""


def _read_report_request(pdu: Any, encoding: str) -> ResourceReportRequest:
    return ResourceReportRequest(reference_id=_reference(pdu))


def _fill_report_response(pdu: Any, event: ResourceReportResponse, encoding: str) -> None:
    pdu["resourceReportStatus"] = event.status


def _read_report_response(pdu: Any, encoding: str) -> ResourceReportResponse:
    return ResourceReportResponse(
        status=int(pdu["resourceReportStatus"]), reference_id=_reference(pdu)
    )


def _fill_close(pdu: Any, event: Close, encoding: str) -> None:
    pdu["closeReason"] = int(event.reason)
    if event.diagnostic_information is not None:
        pdu["diagnosticInformation"] = to_octets(
            event.diagnostic_information, encoding, "close message"
        )


def _read_close(pdu: Any, encoding: str) -> Close:
    value = int(pdu["closeReason"])
    known = value in CloseReason._value2member_map_
    reason = CloseReason(value) if known else CloseReason.UNSPECIFIED
    return Close(
        reason=reason,
        diagnostic_information=_optional_text(pdu["diagnosticInformation"], encoding),
        reference_id=_reference(pdu),
    )


_ENCODERS: dict[type, tuple[int, Callable[[Any, Any, str], None]]] = {
    InitRequest: (20, _fill_init_request),
    InitResponse: (21, _fill_init_response),
    SearchRequest: (22, _fill_search_request),
    SearchResponse: (23, _fill_search_response),
    PresentRequest: (24, _fill_present_request),
    PresentResponse: (25, _fill_present_response),
    DeleteResultSetRequest: (26, _fill_delete_request),
    DeleteResultSetResponse: (27, _fill_delete_response),
    TriggerResourceControlRequest: (32, _fill_trigger),
    ResourceReportRequest: (33, _fill_report_request),
    ResourceReportResponse: (34, _fill_report_response),
    ScanRequest: (35, _fill_scan_request),
    ScanResponse: (36, _fill_scan_response),
    SortRequest: (43, _fill_sort_request),
    SortResponse: (44, _fill_sort_response),
    Close: (48, _fill_close),
}

_DECODERS: dict[int, Callable[[Any, str], Event]] = {
    20: _read_init_request,
    21: _read_init_response,
    22: _read_search_request,
    23: _read_search_response,
    24: _read_present_request,
    25: _read_present_response,
    26: _read_delete_request,
    27: _read_delete_response,
    32: _read_trigger,
    33: _read_report_request,
    34: _read_report_response,
    35: _read_scan_request,
    36: _read_scan_response,
    43: _read_sort_request,
    44: _read_sort_response,
    48: _read_close,
}
