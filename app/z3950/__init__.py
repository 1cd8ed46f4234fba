"""Z39.50 as bytes in, events out: ASN.1, BER framing, the association state machine, PQF.

No sockets and no asyncio live here (see app/net for those).
"""
