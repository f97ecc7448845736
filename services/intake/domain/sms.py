"""The SMS channel: Twilio-compatible inbound webhooks, phone numbers, opt-out.

A Twilio-compatible gateway POSTs ``application/x-www-form-urlencoded`` fields
(``MessageSid``, ``AccountSid``, ``From``, ``To``, ``Body``, ``NumMedia``,
``MediaUrl0`` …) signed with ``X-Twilio-Signature`` (see ``signatures``).
The signature covers every field the gateway sent, so verify it with all the
form fields *before* parsing them into :class:`InboundSms`, which keeps only
what SIGAP uses and ignores the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from services.intake.domain.signatures import compute_twilio_signature, verify_twilio_signature

__all__ = [
    "OPT_OUT_WORDS",
    "InboundSms",
    "InvalidSmsError",
    "SmsMedia",
    "compute_twilio_signature",
    "is_opt_out",
    "normalise_phone",
    "parse_inbound_sms",
    "verify_twilio_signature",
]

INDONESIA_COUNTRY_CODE = "62"

OPT_OUT_WORDS: frozenset[str] = frozenset({"stop", "berhenti"})
"""Whole-message replies that withdraw consent to further messages (casefolded)."""

_SEPARATORS = re.compile(r"[\s\-.()/]")
# E.164: a country code that does not start with 0, at most 15 digits in all.
_E164_DIGITS = re.compile(r"[1-9][0-9]{6,14}")
# Indonesian national significant numbers (after +62): 8 to 12 digits, no trunk 0.
_ID_NSN = re.compile(r"[1-9][0-9]{7,11}")
_SHORT_CODE = re.compile(r"[0-9]{3,8}")
_OPT_OUT_TRIM = " \t\r\n.!?,;:\"'()[]"
_MAX_MEDIA = 10


def normalise_phone(raw: str) -> str:
    """An Indonesian or international phone number in E.164 (``+628…``).

    Accepts the ways Indonesians write their numbers: ``0812-3456-7890``
    (trunk prefix 0), ``62812…``, ``+62 812…``, ``+62 (0)812…`` and
    ``0062812…``; other countries only with ``+`` or ``00``. Raises
    ``ValueError`` for anything that is not a phone number (alphanumeric
    senders, short codes, too short or too long).
    """
    compact = _SEPARATORS.sub("", raw.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("0"):
        digits = INDONESIA_COUNTRY_CODE + compact[1:]
    elif compact.startswith(INDONESIA_COUNTRY_CODE):
        digits = compact
    else:
        raise ValueError("not a phone number: expected 08…, 62… or +<country code>…")
    if digits.startswith(INDONESIA_COUNTRY_CODE + "0"):
        digits = INDONESIA_COUNTRY_CODE + digits[3:]
    if not _E164_DIGITS.fullmatch(digits):
        raise ValueError("not a phone number: E.164 allows 7 to 15 digits")
    if digits.startswith(INDONESIA_COUNTRY_CODE) and not _ID_NSN.fullmatch(digits[2:]):
        raise ValueError("not an Indonesian phone number: expected 8 to 12 digits after 62")
    return "+" + digits


def _normalise_address(raw: str) -> str:
    """A phone number in E.164, or a gateway short code (e.g. ``1708``) as is."""
    compact = raw.strip()
    if _SHORT_CODE.fullmatch(compact):
        return compact
    return normalise_phone(compact)


def is_opt_out(body: str | None) -> bool:
    """True when the whole message is an opt-out word (``STOP``, ``BERHENTI``).

    Case-insensitive; surrounding blanks and punctuation (``"Berhenti."``)
    are ignored. A word inside a longer message is not an opt-out:
    ``"jangan berhenti melayani"`` is feedback, not a command.
    """
    if body is None:
        return False
    return body.strip(_OPT_OUT_TRIM).casefold() in OPT_OUT_WORDS


PhoneNumber = Annotated[str, AfterValidator(normalise_phone)]
PhoneOrShortCode = Annotated[str, AfterValidator(_normalise_address)]
Sid = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class SmsMedia(BaseModel):
    """One attachment of an MMS (``MediaUrlN`` / ``MediaContentTypeN``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    content_type: str | None = None


class InboundSms(BaseModel):
    """An inbound SMS as a Twilio-compatible gateway posts it.

    Unknown form fields are ignored (gateways add fields over time). ``From``
    must be a phone number and is normalised to E.164; ``To`` may also be a
    short code. Older gateways that send only ``SmsMessageSid``/``SmsSid``
    are accepted. ``media`` holds the ``MediaUrlN`` attachments actually sent.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    message_sid: Sid = Field(alias="MessageSid")
    account_sid: Sid | None = Field(default=None, alias="AccountSid")
    messaging_service_sid: Sid | None = Field(default=None, alias="MessagingServiceSid")
    from_number: PhoneNumber = Field(alias="From")
    to_number: PhoneOrShortCode = Field(alias="To")
    body: str = Field(default="", alias="Body")
    num_media: int = Field(default=0, alias="NumMedia", ge=0, le=_MAX_MEDIA)
    num_segments: int | None = Field(default=None, alias="NumSegments", ge=1)
    media: tuple[SmsMedia, ...] = Field(default=(), alias="Media")

    @model_validator(mode="before")
    @classmethod
    def _collect_legacy_sid_and_media(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        fields = dict(data)
        if not fields.get("MessageSid"):
            legacy = fields.get("SmsMessageSid") or fields.get("SmsSid")
            if legacy:
                fields["MessageSid"] = legacy
        fields["Media"] = _media_fields(fields)
        return fields

    @property
    def opt_out(self) -> bool:
        """True when the sender asked to receive no more messages."""
        return is_opt_out(self.body)


def _media_fields(fields: Mapping[str, Any]) -> list[dict[str, Any]]:
    media: list[dict[str, Any]] = []
    for index in range(_MAX_MEDIA):
        url = fields.get(f"MediaUrl{index}")
        if not url:
            break
        media.append({"url": url, "content_type": fields.get(f"MediaContentType{index}")})
    return media


class InvalidSmsError(ValueError):
    """A signed SMS webhook whose fields SIGAP cannot use.

    The message names each field and the reason, never the value received
    (phone numbers and message text are personal data), so it can be logged.
    """


def parse_inbound_sms(form: Mapping[str, str]) -> InboundSms:
    """The inbound SMS in a gateway's form fields; raises :class:`InvalidSmsError`."""
    try:
        return InboundSms.model_validate(form)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False, include_context=False)
        reasons = (f"{'.'.join(map(str, p['loc'])) or 'form'}: {p['msg']}" for p in problems)
        raise InvalidSmsError("; ".join(reasons)) from None
