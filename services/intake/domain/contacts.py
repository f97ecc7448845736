"""A complainant's phone number as a lookup key that is not the number itself.

Intake must recognise a reply from the number of a complaint the team is waiting on, without
keeping a second copy of the number (UU 27/2022: collected only as needed). It keeps a keyed
hash instead: HMAC-SHA256 with the server's pepper, so the table alone reveals nothing.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["contact_key"]


def contact_key(phone_e164: str, pepper: bytes) -> str:
    """The lookup key of a phone number already normalised to E.164 (``+628…``)."""
    if not pepper:
        raise ValueError("a non-empty pepper is required")
    digest = hmac.new(pepper, b"contact:" + phone_e164.encode("ascii"), hashlib.sha256)
    return digest.hexdigest()
