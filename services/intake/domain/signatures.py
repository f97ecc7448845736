"""Webhook signature checks for the intake channels: one place for all HMAC code.

Two providers sign the webhooks SIGAP receives:

* Meta (WhatsApp Business Cloud API) first verifies the webhook URL with a GET
  carrying the verify token configured on both sides, then signs every POST
  with ``X-Hub-Signature-256: sha256=<hex>``, the HMAC-SHA256 of the *raw*
  request body keyed with the app secret. The body
  must be checked exactly as received: re-serialising parsed JSON changes bytes
  (Meta escapes non-ASCII characters as ``\\uXXXX``) and breaks the check.
* Twilio and Twilio-compatible SMS gateways send ``X-Twilio-Signature``: the
  base64 HMAC-SHA1, keyed with the auth token, of the full request URL followed
  by every POST parameter's name and value, sorted by name (case-sensitive,
  code-point order), with no separators.

Every comparison is constant-time, and a missing secret refuses everything:
an HMAC keyed with an empty secret is one anybody can compute.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "compute_twilio_signature",
    "constant_time_equals",
    "verify_meta_handshake",
    "verify_meta_signature",
    "verify_twilio_signature",
]

_META_PREFIX = "sha256="
_SHA256_HEX_LENGTH = 64

TwilioParams = Mapping[str, str] | Iterable[tuple[str, str]]
"""Form fields as a mapping, or as (name, value) pairs when a name repeats."""


def constant_time_equals(left: str | bytes, right: str | bytes) -> bool:
    """Compare two secrets without leaking, through timing, where they differ."""
    left_bytes = left.encode("utf-8") if isinstance(left, str) else left
    right_bytes = right.encode("utf-8") if isinstance(right, str) else right
    return hmac.compare_digest(left_bytes, right_bytes)


def verify_meta_handshake(params: Mapping[str, str], verify_token: str) -> str | None:
    """Meta's webhook verification: the ``hub.challenge`` to echo, or None to refuse.

    Echo the challenge as ``text/plain`` with status 200; refuse with 403. Refuses
    unless ``hub.mode`` is ``subscribe``, ``hub.verify_token`` equals the
    configured (non-empty) token and ``hub.challenge`` is not empty.
    """
    challenge = params.get("hub.challenge")
    token = params.get("hub.verify_token")
    if params.get("hub.mode") != "subscribe" or not verify_token or token is None:
        return None
    return challenge if challenge and constant_time_equals(token, verify_token) else None


def verify_meta_signature(raw_body: bytes, header_value: str | None, app_secret: str) -> bool:
    """True when ``X-Hub-Signature-256`` is the HMAC-SHA256 of ``raw_body``.

    Refuses a missing or empty header, a header without the ``sha256=``
    prefix, a digest that is not 64 hexadecimal characters, and an empty
    app secret.
    """
    if not app_secret or not header_value:
        return False
    value = header_value.strip()
    if value[: len(_META_PREFIX)].lower() != _META_PREFIX:
        return False
    hex_digest = value[len(_META_PREFIX) :]
    if len(hex_digest) != _SHA256_HEX_LENGTH:
        return False
    try:
        received = bytes.fromhex(hex_digest)
    except ValueError:
        return False
    expected = hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).digest()
    return hmac.compare_digest(expected, received)


def compute_twilio_signature(url: str, params: TwilioParams, auth_token: str) -> str:
    """Twilio's documented request signature for ``url`` and the POST ``params``.

    Names are sorted; when a name repeats, its values are sorted too (as
    Twilio's own helper libraries do).
    """
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    signed = url + "".join(name + value for name, value in sorted(pairs))
    mac = hmac.new(auth_token.encode("utf-8"), signed.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def verify_twilio_signature(
    url: str, params: TwilioParams, header_value: str | None, auth_token: str
) -> bool:
    """True when ``X-Twilio-Signature`` matches ``url`` and ``params``.

    ``url`` is the full URL the gateway called (scheme, host, path, query),
    as configured at the gateway, not as rebuilt behind a proxy. As in
    Twilio's helper libraries, the URL is tried both with and without its
    port, because Twilio is not consistent about including a default port.
    """
    if not auth_token or not header_value:
        return False
    received = header_value.strip()
    if not _is_base64_sha1(received):
        return False
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    return any(
        constant_time_equals(compute_twilio_signature(candidate, pairs, auth_token), received)
        for candidate in _url_port_variants(url)
    )


def _is_base64_sha1(value: str) -> bool:
    if not value.isascii():
        return False
    try:
        return len(base64.b64decode(value, validate=True)) == hashlib.sha1().digest_size
    except (binascii.Error, ValueError):
        return False


def _url_port_variants(url: str) -> tuple[str, ...]:
    """The URL as given, without any port, and with its explicit or default port."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return (url,)
    host = parts.netloc.rsplit("@", 1)[-1]
    userinfo = parts.netloc[: len(parts.netloc) - len(host)]
    bare_host = host if port is None else host[: host.rfind(":")]
    default_port = 443 if parts.scheme == "https" else 80
    without_port = urlunsplit(parts._replace(netloc=userinfo + bare_host))
    with_port = urlunsplit(
        parts._replace(netloc=f"{userinfo}{bare_host}:{port if port is not None else default_port}")
    )
    return tuple(dict.fromkeys((url, without_port, with_port)))
