"""Init request and response to and from their pyasn1 form: versions and options as BIT
STRINGs, login, implementation names, and what the EXTERNALs carry (character-set
negotiation, OCLC's user information, the reason for a refusal)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.z3950 import oids
from app.z3950.components import (
    optional_text,
    reference_id,
)
from app.z3950.errors import LocalProtocolError, RemoteProtocolError
from app.z3950.events import (
    OPTION_BITS,
    Anonymous,
    CharsetAgreement,
    CharsetProposal,
    External,
    IdPass,
    InitRequest,
    InitResponse,
    Open,
)
from app.z3950.externals import (
    charset_agreement_external,
    charset_proposal_external,
    check_encodable,
    diagnostics_in_external,
    externals_in_other_information,
    fill_external,
    fill_other_information,
    oclc_external,
    read_charset_negotiation,
    read_external,
    read_oclc,
    user_info_external,
)
from app.z3950.text import to_octets, to_text

_BIT_NAMES = {bit: name for name, bit in OPTION_BITS.items()}


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


def fill_init_request(pdu: Any, event: InitRequest, encoding: str) -> None:
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


def fill_init_response(pdu: Any, event: InitResponse, encoding: str) -> None:
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
        "implementation_id": optional_text(pdu["implementationId"], encoding),
        "implementation_name": optional_text(pdu["implementationName"], encoding),
        "implementation_version": optional_text(pdu["implementationVersion"], encoding),
        "reference_id": reference_id(pdu),
    }


def read_init_request(pdu: Any, encoding: str) -> InitRequest:
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
                user=optional_text(id_pass["userId"], encoding),
                password=optional_text(id_pass["password"], encoding),
                group=optional_text(id_pass["groupId"], encoding),
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


def read_init_response(pdu: Any, encoding: str) -> InitResponse:
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
