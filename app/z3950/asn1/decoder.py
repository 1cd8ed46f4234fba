"""pyasn1's BER decoder, with one repair: an ANY of indefinite length.

pyasn1 0.6 reads an ANY (here: the single-ASN1-type value of an EXTERNAL, an opaque list of
records) of definite length as its exact octets, but of indefinite length it hands its parent
plain ``bytes`` instead of a value (a tagged ANY then fails with "'bytes' object has no
attribute 'effectiveTagSet'") and drops the 00 00 end markers of nested indefinite values.
YAZ writes OPAC records, charset negotiation and whole Present responses that way. The
repair keeps pyasn1 walking the children (every header is still read and checked by pyasn1)
and then takes the octets between where the value began and its end marker, as the
definite-length case does: the ANY holds exactly what the peer sent.

Everything else is pyasn1's own decoder, registered through its type map the way its CER and
DER decoders specialise it.
"""

# pyasn1 ships no type information, so its classes are Any to mypy
# mypy: disallow-subclassing-any=False
from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, ClassVar

from pyasn1.codec.ber import decoder, eoo
from pyasn1.codec.streaming import readFromStream
from pyasn1.error import PyAsn1Error, SubstrateUnderrunError
from pyasn1.type import tagmap, univ

__all__ = ["decode", "dotted"]


class _AnyPayloadDecoder(decoder.AnyPayloadDecoder):
    def indefLenValueDecoder(
        self,
        substrate: Any,
        asn1Spec: Any,
        tagSet: Any = None,
        length: Any = None,
        state: Any = None,
        decodeFun: Any = None,
        substrateFun: Any = None,
        **options: Any,
    ) -> Iterator[Any]:
        if asn1Spec is None:
            tagged = False
        elif asn1Spec.__class__ is tagmap.TagMap:
            tagged = tagSet in asn1Spec.tagMap
        else:
            tagged = tagSet == asn1Spec.tagSet
        # a tagged ANY holds what is inside its tag; an untagged one is the whole element
        start = substrate.tell() if tagged else substrate.markedPosition
        component: Any = None
        while component is not eoo.endOfOctets:
            before = substrate.tell()
            for component in decodeFun(
                substrate,
                self.protoComponent,
                substrateFun=self.substrateCollector,
                allowEoo=True,
                **options,
            ):
                if isinstance(component, SubstrateUnderrunError):
                    yield component
            if substrate.tell() == before:
                raise PyAsn1Error("an ANY of indefinite length has no end-of-contents octets")
        end = substrate.tell() - (2 if tagged else 0)
        substrate.seek(start, os.SEEK_SET)
        chunk = b""
        for chunk in readFromStream(substrate, end - start, options):
            if isinstance(chunk, SubstrateUnderrunError):
                yield chunk
        if tagged:
            substrate.seek(2, os.SEEK_CUR)  # past the tag's own end marker
        if substrateFun:
            yield chunk  # inside another ANY: its octets are all that is wanted
        else:
            yield self._createComponent(asn1Spec, tagSet, chunk, **options)


class _SingleItemDecoder(decoder.SingleItemDecoder):
    TYPE_MAP: ClassVar[dict[Any, Any]] = {
        **decoder.SingleItemDecoder.TYPE_MAP,
        univ.Any.typeId: _AnyPayloadDecoder(),
    }


_ITEM_DECODER = _SingleItemDecoder()


class _StreamingDecoder(decoder.StreamingDecoder):
    @staticmethod
    def SINGLE_ITEM_DECODER(**options: Any) -> Any:
        """One item decoder for every decode: pyasn1 would make a new one per call, and its
        caches of the tags met (a tenth of decoding a small APDU) would start cold each time."""
        return _ITEM_DECODER


class _Decoder(decoder.Decoder):
    STREAMING_DECODER = _StreamingDecoder


_decode = _Decoder()


def decode(data: bytes, spec: Any) -> tuple[Any, bytes]:
    """pyasn1's ``decode(data, asn1Spec=spec)``: the value and the octets after it."""
    value, rest = _decode(data, asn1Spec=spec)
    return value, bytes(rest)


@lru_cache(maxsize=256)
def _dotted(arcs: tuple[int, ...]) -> str:
    return ".".join(map(str, arcs))


def dotted(oid: Any) -> str:
    """The dotted form of a decoded OBJECT IDENTIFIER (a response repeats a few syntax OIDs,
    so their text is made once)."""
    return _dotted(oid.asTuple())
