"""EXTERNALs and what travels in them: diagnostics, character-set negotiation, OCLC user
information, and the OtherInformation list that carries them.

Each ``fill_*`` function writes into a pyasn1 component the caller got from its parent;
each ``read_*`` function turns a decoded component into events.
"""

from __future__ import annotations

from typing import Any

from pyasn1.codec.ber import encoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import univ

from app.z3950 import ber, oids
from app.z3950.asn1.base import (
    DefaultDiagFormat,
    Diag1,
    OtherInformation,
    external_encoding,
    external_oid,
)
from app.z3950.asn1.decoder import decode
from app.z3950.asn1.init import CharSetandLanguageNegotiation
from app.z3950.errors import LocalProtocolError, RemoteProtocolError
from app.z3950.events import (
    BIB1_DIAG,
    CharsetAgreement,
    CharsetProposal,
    Diagnostic,
    External,
    OclcUserInformation,
)
from app.z3950.text import to_octets, to_text, visible_text

# --- EXTERNAL -----------------------------------------------------------------------------


def fill_external(component: Any, external: External) -> None:
    if external.oid is not None:
        component["direct-reference"] = external.oid
    if external.single_asn1:
        component["encoding"]["single-ASN1-type"] = external.data
    else:
        component["encoding"]["octet-aligned"] = external.data


def read_external(component: Any) -> External:
    """An arbitrary (BIT STRING) encoding is read as its octets."""
    how, value = external_encoding(component)
    return External(external_oid(component), value, single_asn1=how == "single-ASN1-type")


def decode_value(data: bytes, spec: Any, what: str) -> Any:
    """Decode the BER of an EXTERNAL's inner value with ``spec``; RemoteProtocolError if bad."""
    try:
        value, rest = decode(data, spec)
    except (PyAsn1Error, TypeError, ValueError) as exc:
        raise RemoteProtocolError(
            f"The target sent a malformed {what}.", detail=f"{what}: {exc}; bytes {data[:64].hex()}"
        ) from exc
    if rest:
        raise RemoteProtocolError(
            f"The target sent a malformed {what}.", detail=f"{len(rest)} octets after the {what}"
        )
    return value


def check_one_value(data: bytes, what: str) -> None:
    """LocalProtocolError unless ``data`` is one whole BER value (what a single-ASN1-type
    EXTERNAL or a structured record must hold to be sent)."""
    try:
        _, rest = decode(data, univ.Any())
    except PyAsn1Error as exc:
        raise LocalProtocolError(f"{what} must hold one whole BER value.", detail=str(exc)) from exc
    if rest:
        raise LocalProtocolError(
            f"{what} must hold one whole BER value.", detail=f"{len(rest)} octets after it"
        )


# --- diagnostics --------------------------------------------------------------------------


def fill_default_diag(component: Any, diagnostic: Diagnostic, encoding: str) -> None:
    component["diagnosticSetId"] = diagnostic.diagnostic_set
    component["condition"] = diagnostic.code
    # VisibleString (v2) when it can be, as YAZ does; otherwise InternationalString (v3)
    if diagnostic.addinfo.isascii():
        component["addinfo"]["v2Addinfo"] = diagnostic.addinfo.encode("ascii")
    else:
        component["addinfo"]["v3Addinfo"] = to_octets(diagnostic.addinfo, encoding, "addinfo")


def read_default_diag(component: Any, encoding: str) -> Diagnostic:
    addinfo = component["addinfo"]
    text = ""
    if addinfo.isValue and addinfo.getName() == "v2Addinfo":
        text = visible_text(addinfo.getComponent(), encoding)
    elif addinfo.isValue:
        text = to_text(addinfo.getComponent(), encoding)
    return Diagnostic(
        code=int(component["condition"]),
        addinfo=text,
        diagnostic_set=str(component["diagnosticSetId"]),
    )


def fill_diag_rec(component: Any, diagnostic: Diagnostic, encoding: str) -> None:
    fill_default_diag(component["defaultFormat"], diagnostic, encoding)


def read_diag_rec(component: Any, encoding: str) -> Diagnostic:
    if component.getName() == "defaultFormat":
        return read_default_diag(component["defaultFormat"], encoding)
    diagnostics = diagnostics_in_external(read_external(component["externallyDefined"]), encoding)
    if diagnostics:
        return diagnostics[0]
    oid = external_oid(component["externallyDefined"])
    return Diagnostic(100, f"externally defined diagnostic of type {oid or 'unknown'}")


def read_diag1(data: bytes, encoding: str) -> list[Diagnostic]:
    """diag-1 (DiagnosticFormatDiag1): the default-format records, with their messages."""
    found: list[Diagnostic] = []
    for element in decode_value(data, Diag1, "diag-1 diagnostic"):
        message = to_text(element["message"], encoding) if element["message"].isValue else ""
        chosen = element["diagnostic"]
        if chosen.isValue and chosen.getName() == "defaultDiagRec":
            diagnostic = read_default_diag(chosen["defaultDiagRec"], encoding)
            if message and not diagnostic.addinfo:
                diagnostic = Diagnostic(diagnostic.code, message, diagnostic.diagnostic_set)
            found.append(diagnostic)
        elif message:
            found.append(Diagnostic(100, message))
    return found


def diag1_external(diagnostic: Diagnostic, encoding: str) -> External:
    value = Diag1.clone()
    fill_default_diag(value[0]["diagnostic"]["defaultDiagRec"], diagnostic, encoding)
    return External(oids.DIAG1, encoder.encode(value), single_asn1=True)


def diagnostics_in_external(external: External, encoding: str) -> list[Diagnostic]:
    """Diagnostics carried by an EXTERNAL: bib-1 DefaultDiagFormat, diag-1, or UserInfo-1
    wrapping either (how YAZ's front end explains a refused Init)."""
    if not external.single_asn1:
        return []
    if external.oid == oids.DIAG1:
        return read_diag1(external.data, encoding)
    if external.oid == BIB1_DIAG:
        value = decode_value(external.data, DefaultDiagFormat(), "diagnostic")
        return [read_default_diag(value, encoding)]
    if external.oid == oids.USER_INFO_1:
        units = decode_value(external.data, OtherInformation(), "user information")
        found: list[Diagnostic] = []
        for unit in units:
            inner = unit["information"]
            if inner.getName() == "externallyDefinedInfo":
                found.extend(
                    diagnostics_in_external(read_external(inner["externallyDefinedInfo"]), encoding)
                )
        return found
    return []


def user_info_external(diagnostic: Diagnostic, encoding: str) -> External:
    """A refused Init's reason the way YAZ's front end sends it: UserInfo-1 around diag-1."""
    units = OtherInformation()
    inner = diag1_external(diagnostic, encoding)
    fill_external(units[0]["information"]["externallyDefinedInfo"], inner)
    return External(oids.USER_INFO_1, encoder.encode(units), single_asn1=True)


# --- character-set and language negotiation-3 ---------------------------------------------

_FORMS = {name.upper(): oid for oid, name in oids.ISO10646_FORMS.items()}
# ISO-IR registration numbers of the ISO 2022 sets a library target may select
_ISO2022_SETS = {100: "iso8859-1", 101: "iso8859-2", 126: "iso8859-7", 127: "iso8859-6"}


def _fill_charset(choice: Any, name: str) -> None:
    form = _FORMS.get(name.upper().replace("UTF8", "UTF-8"))
    if form is not None:
        choice["iso10646"]["encodingLevel"] = form
        return
    # any other name travels as a private set named by a string (YAZ, GBV: iso8859-1, iso5426)
    fill_external(
        choice["private"]["externallySpecified"],
        External(oids.CHARSET_ID, name.encode("ascii", errors="replace")),
    )


def _read_charset(choice: Any) -> str | None:
    kind = choice.getName()
    if kind == "iso10646":
        oid = str(choice["iso10646"]["encodingLevel"])
        return oids.ISO10646_FORMS.get(oid, oid)
    if kind == "private":
        private = choice["private"]
        if private.getName() == "externallySpecified":
            return to_text(read_external(private["externallySpecified"]).data, "latin-1")
        if private.getName() == "viaOid":
            return ",".join(str(oid) for oid in private["viaOid"])
        return "previously agreed"
    if kind == "iso2022":
        iso = choice["iso2022"].getComponent()
        sets = [int(n) for n in iso[1]]
        for number in sets:
            if number in _ISO2022_SETS:
                return _ISO2022_SETS[number]
        return "iso2022:" + ",".join(str(n) for n in sets)
    return None  # "none": the target declined to negotiate


def charset_proposal_external(proposal: CharsetProposal, encoding: str) -> External:
    value = CharSetandLanguageNegotiation()
    origin = value["proposal"]
    if proposal.charsets:
        for index, name in enumerate(proposal.charsets):
            _fill_charset(origin["proposedCharSets"][index], name)
    for index, language in enumerate(proposal.languages):
        origin["proposedlanguages"][index] = to_octets(language, encoding, "language")
    origin["recordsInSelectedCharSets"] = proposal.records_in_selected_charsets
    return External(oids.CHARSET_NEGOTIATION_3, encoder.encode(value), single_asn1=True)


def charset_agreement_external(agreement: CharsetAgreement, encoding: str) -> External:
    value = CharSetandLanguageNegotiation()
    response = value["response"]
    if agreement.charset is None:
        response["selectedCharSets"]["none"] = None
    else:
        _fill_charset(response["selectedCharSets"], agreement.charset)
    if agreement.language is not None:
        response["selectedLanguage"] = to_octets(agreement.language, encoding, "language")
    if agreement.records_in_selected_charsets is not None:
        response["recordsInSelectedCharSets"] = agreement.records_in_selected_charsets
    return External(oids.CHARSET_NEGOTIATION_3, encoder.encode(value), single_asn1=True)


def read_charset_negotiation(
    external: External, encoding: str
) -> CharsetProposal | CharsetAgreement | None:
    if external.oid != oids.CHARSET_NEGOTIATION_3 or not external.single_asn1:
        return None
    value = decode_value(external.data, CharSetandLanguageNegotiation(), "charset negotiation")
    if value.getName() == "proposal":
        origin = value["proposal"]
        names = tuple(
            name for choice in origin["proposedCharSets"] if (name := _read_charset(choice))
        )
        languages = tuple(to_text(lang, encoding) for lang in origin["proposedlanguages"])
        selected = origin["recordsInSelectedCharSets"]
        return CharsetProposal(names, languages, bool(selected) if selected.isValue else False)
    response = value["response"]
    chosen = response["selectedCharSets"]
    language = response["selectedLanguage"]
    selected = response["recordsInSelectedCharSets"]
    return CharsetAgreement(
        charset=_read_charset(chosen) if chosen.isValue else None,
        language=to_text(language, encoding) if language.isValue else None,
        records_in_selected_charsets=bool(selected) if selected.isValue else None,
    )


# --- OCLC user information ----------------------------------------------------------------


def oclc_external(info: OclcUserInformation, encoding: str) -> External:
    """Write the record in OCLC's shape: motd [1], dblist SEQUENCE OF [2], failReason [3],
    text [2]; OCLC's extra ``code [1]`` is never sent (it would reuse tag [1])."""
    parts: list[bytes] = []
    if info.motd is not None:
        parts.append(ber.tlv(0x81, to_octets(info.motd, encoding, "message of the day")))
    if info.dblist:
        names = b"".join(
            ber.tlv(0x82, to_octets(db, encoding, "database name")) for db in info.dblist
        )
        parts.append(ber.tlv(0x30, names))
    if info.fail_reason is not None:
        parts.append(ber.tlv(0x83, b"\x01" if info.fail_reason else b"\x00"))
    if info.text is not None:
        parts.append(ber.tlv(0x82, to_octets(info.text, encoding, "text")))
    return External(oids.OCLC_USER_INFORMATION, ber.tlv(0x30, b"".join(parts)), single_asn1=True)


def read_oclc(data: bytes, encoding: str) -> OclcUserInformation:
    """Walk OCLC's record by hand: a [1] before dblist/failReason/text is the motd, a later
    [1] is OCLC's numeric code, which nothing needs."""
    top = ber.read_tlv(data, 0, len(data))
    if not (top.constructed and top.cls == ber.UNIVERSAL and top.tag == 16):
        raise RemoteProtocolError(
            "The target sent a malformed OCLC user-information record.",
            detail=f"expected a SEQUENCE, got {ber.tag_name(top.cls, top.tag)}",
        )
    motd: str | None = None
    dblist: list[str] = []
    fail_reason: bool | None = None
    text: str | None = None
    past_motd = False
    for part in ber.children(data, top):
        if part.cls == ber.UNIVERSAL and part.tag == 16:
            dblist.extend(
                to_text(ber.primitive_bytes(data, name), encoding)
                for name in ber.children(data, part)
            )
            past_motd = True
        elif part.cls == ber.CONTEXT and part.tag == 1 and not past_motd:
            motd = to_text(ber.primitive_bytes(data, part), encoding)
        elif part.cls == ber.CONTEXT and part.tag == 2:
            text = to_text(ber.primitive_bytes(data, part), encoding)
            past_motd = True
        elif part.cls == ber.CONTEXT and part.tag == 3:
            fail_reason = any(data[part.content : part.content_end])
            past_motd = True
    return OclcUserInformation(motd, tuple(dblist), fail_reason, text)


# --- OtherInformation ---------------------------------------------------------------------


def fill_other_information(component: Any, externals: list[External]) -> None:
    for index, external in enumerate(externals):
        fill_external(component[index]["information"]["externallyDefinedInfo"], external)


def externals_in_other_information(component: Any) -> list[External]:
    found = []
    if component.isValue:
        for unit in component:
            inner = unit["information"]
            if inner.getName() == "externallyDefinedInfo":
                found.append(read_external(inner["externallyDefinedInfo"]))
    return found


def check_encodable(external: External) -> None:
    """A single-ASN1-type EXTERNAL must carry one whole BER element."""
    if external.single_asn1:
        check_one_value(external.data, "An EXTERNAL marked single-ASN1-type")
