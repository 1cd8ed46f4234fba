"""What travels in EXTERNALs: OCLC's user information (read by hand), character-set
negotiation-3 in all its forms, and the diagnostics a refused Init carries."""

from __future__ import annotations

from pyasn1.codec.ber import encoder

from app.z3950 import (
    CharsetAgreement,
    CharsetProposal,
    Diagnostic,
    External,
    InitRequest,
    InitResponse,
    OclcUserInformation,
    asn1,
    ber,
    decode_apdu,
    encode_apdu,
    oids,
)
from app.z3950.externals import (
    charset_proposal_external,
    diag1_external,
    read_charset_negotiation,
    read_oclc,
)


def tlv(identifier: int, *parts: bytes) -> bytes:
    return ber.tlv(identifier, b"".join(parts))


# OCLC's record as FirstSearch sends it: motd [1], dblist SEQUENCE OF [2], failReason [3],
# then code [1] INTEGER (the reused tag), then text [2]
OCLC_REFUSAL = tlv(
    0x30,
    tlv(0x81, b"Welcome to FirstSearch"),
    tlv(0x30, tlv(0x82, b"WorldCat"), tlv(0x82, b"ERIC")),
    tlv(0x83, b"\xff"),
    tlv(0x81, b"\x02"),
    tlv(0x82, b"Your authorization has expired"),
)


def test_oclc_record_by_hand() -> None:
    info = read_oclc(OCLC_REFUSAL, "utf-8")
    assert info == OclcUserInformation(
        motd="Welcome to FirstSearch",
        dblist=("WorldCat", "ERIC"),
        fail_reason=True,
        text="Your authorization has expired",
    )


def test_oclc_record_without_motd_reads_the_later_code_as_a_code() -> None:
    record = tlv(0x30, tlv(0x83, b"\x00"), tlv(0x81, b"\x07"), tlv(0x82, b"ok"))
    assert read_oclc(record, "utf-8") == OclcUserInformation(None, (), False, "ok")


def test_oclc_record_in_an_init_response() -> None:
    external = tlv(
        0x28, ber.tlv(0x06, bytes.fromhex("2a8648ce130a87681101")), tlv(0xA0, OCLC_REFUSAL)
    )
    response = InitResponse(False, implementation_name="OCLC")
    data = encode_apdu(response)
    # splice userInformationField [11] into our own encoding of the rest
    body = ber.read_tlv(data, 0, len(data))
    contents = data[body.content :] + tlv(0xAB, external)
    apdu = ber.tlv(0xB5, contents)
    decoded = decode_apdu(apdu)
    assert isinstance(decoded, InitResponse) and not decoded.accepted
    assert decoded.oclc is not None and decoded.oclc.fail_reason is True
    assert decoded.oclc.dblist == ("WorldCat", "ERIC")
    assert decoded.user_information is None


def test_our_oclc_record_is_read_back_by_the_hand_reader() -> None:
    info = OclcUserInformation("motd", ("WorldCat",), True, "text")
    event = InitResponse(True, oclc=info)
    decoded = decode_apdu(encode_apdu(event))
    assert isinstance(decoded, InitResponse) and decoded.oclc == info


def test_proposal_uses_iso10646_for_utf8_and_private_names_otherwise() -> None:
    external = charset_proposal_external(
        CharsetProposal(("UTF-8", "iso8859-1", "iso5426")), "utf-8"
    )
    assert external.oid == oids.CHARSET_NEGOTIATION_3 and external.single_asn1
    data = external.data
    assert bytes.fromhex("820628d316010008") in data  # encodingLevel 1.0.10646.1.0.8
    # private [3] { externallySpecified [2] { 1.2.840.10003.15.1000.81.1, [1] "iso8859-1" } }
    assert bytes.fromhex("060a2a8648ce130f876851018109") + b"iso8859-1" in data
    assert read_charset_negotiation(external, "utf-8") == CharsetProposal(
        ("UTF-8", "iso8859-1", "iso5426"), (), True
    )


def _response(**choice: object) -> External:
    value = asn1.CharSetandLanguageNegotiation()
    response = value["response"]
    for key, fill in choice.items():
        fill(response[key])  # type: ignore[operator]
    return External(oids.CHARSET_NEGOTIATION_3, encoder.encode(value), single_asn1=True)


def test_agreement_in_iso2022_form() -> None:
    def iso2022(selected: object) -> None:
        answer = selected["iso2022"]["targetResponse"]  # type: ignore[index]
        answer["selectedEnvironment"]["eightBit"] = None
        answer["selectedSets"].extend([6, 100])
        answer["selectedinitialSet"]["g0"] = 6
        answer["selectedinitialSet"]["g1"] = 100
        answer["selectedinitialSet"]["c0"] = 1
        answer["selectedLeftAndRight"]["gLeft"] = 0

    agreement = read_charset_negotiation(_response(selectedCharSets=iso2022), "utf-8")
    assert agreement == CharsetAgreement("iso8859-1", None, None)


def test_agreement_by_oid_none_and_language() -> None:
    def via_oid(selected: object) -> None:
        selected["private"]["viaOid"].append("1.2.3.4")  # type: ignore[index]

    assert read_charset_negotiation(_response(selectedCharSets=via_oid), "utf-8") == (
        CharsetAgreement("1.2.3.4")
    )

    def none(selected: object) -> None:
        selected["none"] = None  # type: ignore[index]

    agreement = read_charset_negotiation(_response(selectedCharSets=none), "utf-8")
    assert agreement == CharsetAgreement(None)
    languaged = CharsetAgreement("UTF-8", "ger", True)
    decoded = decode_apdu(encode_apdu(InitResponse(True, charset=languaged)))
    assert isinstance(decoded, InitResponse) and decoded.charset == languaged


def test_a_proposal_without_the_negotiation_bit_still_sets_it() -> None:
    request = InitRequest(options=frozenset({"search"}), charset=CharsetProposal())
    decoded = decode_apdu(encode_apdu(request))
    assert isinstance(decoded, InitRequest)
    assert decoded.options == {"search", "negotiationModel"}


def test_diagnostics_in_every_init_wrapper() -> None:
    diagnostic = Diagnostic(1011, "alice")
    direct_diag1 = diag1_external(diagnostic, "utf-8")
    bib1 = asn1.DefaultDiagFormat()
    bib1["diagnosticSetId"] = oids.BIB1_DIAGNOSTICS
    bib1["condition"] = 1012
    bib1["addinfo"]["v3Addinfo"] = "Müller".encode()
    direct_bib1 = External(oids.BIB1_DIAGNOSTICS, encoder.encode(bib1), single_asn1=True)
    for external, expected in (
        (direct_diag1, diagnostic),
        (direct_bib1, Diagnostic(1012, "Müller")),
    ):
        response = InitResponse(False, user_information=external)
        decoded = decode_apdu(encode_apdu(response))
        assert isinstance(decoded, InitResponse)
        assert decoded.diagnostic == expected and decoded.user_information is None


def test_diag1_message_without_a_default_record() -> None:
    value = asn1.Diag1.clone()
    value[0]["message"] = b"service closed for maintenance"
    external = External(oids.DIAG1, encoder.encode(value), single_asn1=True)
    decoded = decode_apdu(encode_apdu(InitResponse(False, user_information=external)))
    assert isinstance(decoded, InitResponse)
    assert decoded.diagnostic == Diagnostic(100, "service closed for maintenance")


def test_unknown_user_information_is_kept_raw() -> None:
    mine = External("1.2.3.4.5", b"\x04\x03abc", single_asn1=True)
    decoded = decode_apdu(encode_apdu(InitResponse(True, user_information=mine)))
    assert isinstance(decoded, InitResponse) and decoded.user_information == mine
