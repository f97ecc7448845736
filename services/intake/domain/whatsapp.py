"""The WhatsApp channel: Business Cloud API webhooks, parsed into domain values.

Meta calls the webhook twice over:

* ``GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`` once, when the
  webhook is configured: :func:`verify_handshake` says what to echo.
* ``POST`` notifications signed with ``X-Hub-Signature-256``: check
  :func:`verify_signature` on the raw body first, then :func:`parse_notification`.
  (Both checks live in ``signatures`` with the other HMAC code.)

A notification may carry several entries, changes, messages and statuses;
all are returned, in order. Meta delivers at least once, so the caller
de-duplicates by ``message_id``. Only ``messages`` changes are read; other
fields (template status, account updates …) are listed in
``WhatsAppBatch.ignored_fields``. The wire models ignore unknown keys, because
Meta adds fields without notice, but validate every key SIGAP uses.

Senders are identified by phone number (``from``/``wa_id``) and, since
Meta's username rollout (2026), by a business-scoped user id (``from_user_id``/
``user_id``, BSUID); a user with a username may have no phone number in the
payload at all, so at least one of the two is required, and either may be
used to reply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from services.intake.domain.signatures import verify_meta_handshake as verify_handshake
from services.intake.domain.signatures import verify_meta_signature as verify_signature
from services.intake.domain.sms import is_opt_out

__all__ = [
    "KNOWN_STATUSES",
    "DeliveryStatus",
    "InboundMessage",
    "InvalidWhatsAppPayloadError",
    "MediaRef",
    "WhatsAppBatch",
    "parse_notification",
    "verify_handshake",
    "verify_signature",
]

MESSAGES_FIELD = "messages"
CAPTIONED_TYPES = frozenset({"image", "document", "video"})
MEDIA_TYPES = frozenset({"image", "document", "video", "audio", "sticker"})
COMMAND_TYPES = frozenset({"text", "interactive", "button"})  # typed or tapped by the user
CONTENT_KEYED_TYPES = MEDIA_TYPES | {"text", "location", "interactive", "button", "reaction"}
KNOWN_STATUSES = frozenset({"sent", "delivered", "read", "played", "failed"})


class InvalidWhatsAppPayloadError(ValueError):
    """A signed notification that does not have the shape Meta documents.

    The message names each field and the reason, never the value received, so
    it can be logged without personal data.
    """


def _field_errors(error: ValidationError) -> str:
    problems = error.errors(include_url=False, include_input=False, include_context=False)
    return "; ".join(f"{'.'.join(map(str, p['loc'])) or 'payload'}: {p['msg']}" for p in problems)


# --- Wire format (as Meta sends it) ------------------------------------------


def _unix_seconds(value: object) -> object:
    """Meta's ``timestamp``: a string of Unix seconds, as an aware UTC datetime."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        seconds = int(value)
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        seconds = value
    else:
        raise ValueError("timestamp must be a string of Unix seconds")
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError) as error:
        raise ValueError("timestamp is out of range") from error


UnixTime = Annotated[datetime, BeforeValidator(_unix_seconds)]
Id = Annotated[str, StringConstraints(min_length=1)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Metadata(_Wire):
    display_phone_number: str
    phone_number_id: Id


class _Profile(_Wire):
    name: str | None = None


class _Contact(_Wire):
    profile: _Profile | None = None
    wa_id: str | None = None
    user_id: str | None = None


class _Text(_Wire):
    body: str


class _Media(_Wire):
    id: Id
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    filename: str | None = None


class _Location(_Wire):
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


class _Reply(_Wire):
    id: str
    title: str


class _Interactive(_Wire):
    type: str
    button_reply: _Reply | None = None
    list_reply: _Reply | None = None


class _Button(_Wire):
    text: str
    payload: str | None = None


class _Reaction(_Wire):
    message_id: str
    emoji: str | None = None  # absent when a reaction is removed


class _Context(_Wire):
    id: str | None = None


class _ErrorData(_Wire):
    details: str | None = None


class _Error(_Wire):
    code: int
    title: str | None = None
    message: str | None = None
    error_data: _ErrorData | None = None


class _Message(_Wire):
    from_: str | None = Field(default=None, alias="from")
    from_user_id: str | None = None
    id: Id
    timestamp: UnixTime
    type: str
    group_id: str | None = None
    context: _Context | None = None
    text: _Text | None = None
    image: _Media | None = None
    document: _Media | None = None
    video: _Media | None = None
    audio: _Media | None = None
    sticker: _Media | None = None
    location: _Location | None = None
    interactive: _Interactive | None = None
    button: _Button | None = None
    reaction: _Reaction | None = None

    @model_validator(mode="after")
    def _sender_and_content_present(self) -> _Message:
        if not self.from_ and not self.from_user_id:
            raise ValueError("message has neither 'from' nor 'from_user_id'")
        if self.type in CONTENT_KEYED_TYPES and getattr(self, self.type) is None:
            raise ValueError(f"message of type {self.type!r} has no {self.type!r} object")
        return self


class _Status(_Wire):
    id: Id
    status: str
    timestamp: UnixTime
    recipient_id: str | None = None
    recipient_user_id: str | None = None
    errors: tuple[_Error, ...] = ()


class _MessagesValue(_Wire):
    messaging_product: Literal["whatsapp"]
    metadata: _Metadata
    contacts: tuple[_Contact, ...] = ()
    messages: tuple[_Message, ...] = ()
    statuses: tuple[_Status, ...] = ()


class _Change(_Wire):
    field: str
    value: _MessagesValue | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_messages_only(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and data.get("field") != MESSAGES_FIELD:
            return {key: item for key, item in data.items() if key != "value"}
        return data


class _Entry(_Wire):
    id: str
    changes: tuple[_Change, ...] = ()


class _Notification(_Wire):
    object: Literal["whatsapp_business_account"]
    entry: tuple[_Entry, ...]


# --- Domain values ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MediaRef:
    """An attachment to fetch from the Cloud API media endpoint by ``media_id``."""

    media_id: str
    mime_type: str | None
    sha256: str | None
    filename: str | None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message a WhatsApp user sent to a clinic's business number."""

    waba_id: str
    phone_number_id: str
    display_phone_number: str
    message_id: str
    sender_wa_id: str | None  # phone number without '+', absent for username-only users
    sender_user_id: str | None  # business-scoped user id (BSUID)
    sender_name: str | None
    message_type: str
    text: str | None  # text body, media caption, or the label of the tapped reply
    media: MediaRef | None
    reply_to_message_id: str | None  # the message this one answers (``context.id``)
    group_id: str | None
    timestamp: datetime  # aware, UTC
    opt_out: bool


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """What became of a message SIGAP sent: sent, delivered, read, played or failed."""

    phone_number_id: str
    message_id: str
    status: str  # one of KNOWN_STATUSES, or a value Meta added later
    recipient_id: str | None  # phone number, or group id
    recipient_user_id: str | None
    timestamp: datetime  # aware, UTC
    error_code: int | None
    error_title: str | None
    error_detail: str | None


@dataclass(frozen=True, slots=True)
class WhatsAppBatch:
    """Everything one notification carried."""

    messages: tuple[InboundMessage, ...]
    statuses: tuple[DeliveryStatus, ...]
    ignored_fields: tuple[str, ...]


def parse_notification(payload: Mapping[str, Any]) -> WhatsAppBatch:
    """Flatten a webhook notification; raises :class:`InvalidWhatsAppPayloadError`."""
    try:
        notification = _Notification.model_validate(payload)
    except ValidationError as error:
        raise InvalidWhatsAppPayloadError(_field_errors(error)) from None
    messages: list[InboundMessage] = []
    statuses: list[DeliveryStatus] = []
    ignored: list[str] = []
    for entry in notification.entry:
        for change in entry.changes:
            if change.value is None:
                ignored.append(change.field)
                continue
            value = change.value
            messages.extend(_inbound(entry.id, value, message) for message in value.messages)
            statuses.extend(_delivery(value, status) for status in value.statuses)
    return WhatsAppBatch(tuple(messages), tuple(statuses), tuple(ignored))


def _inbound(waba_id: str, value: _MessagesValue, message: _Message) -> InboundMessage:
    text = _text_of(message)
    media = _media_of(message)
    return InboundMessage(
        waba_id=waba_id,
        phone_number_id=value.metadata.phone_number_id,
        display_phone_number=value.metadata.display_phone_number,
        message_id=message.id,
        sender_wa_id=message.from_ or None,
        sender_user_id=message.from_user_id or None,
        sender_name=_sender_name(value.contacts, message),
        message_type=message.type,
        text=text,
        media=MediaRef(media.id, media.mime_type, media.sha256, media.filename) if media else None,
        reply_to_message_id=message.context.id if message.context else None,
        group_id=message.group_id,
        timestamp=message.timestamp,
        opt_out=message.type in COMMAND_TYPES and is_opt_out(text),
    )


def _text_of(message: _Message) -> str | None:
    text: str | None = None
    if message.type == "text" and message.text:
        text = message.text.body
    elif message.type in CAPTIONED_TYPES:
        media = _media_of(message)
        text = media.caption if media else None
    elif message.type == "interactive" and message.interactive:
        reply = message.interactive.button_reply or message.interactive.list_reply
        text = reply.title if reply else None
    elif message.type == "button" and message.button:
        text = message.button.text
    return text if text and text.strip() else None


def _media_of(message: _Message) -> _Media | None:
    media = {
        "image": message.image,
        "document": message.document,
        "video": message.video,
        "audio": message.audio,
        "sticker": message.sticker,
    }
    return media.get(message.type)


def _sender_name(contacts: tuple[_Contact, ...], message: _Message) -> str | None:
    for contact in contacts:
        same_phone = bool(message.from_) and contact.wa_id == message.from_
        same_user = bool(message.from_user_id) and contact.user_id == message.from_user_id
        if (same_phone or same_user) and contact.profile:
            return contact.profile.name
    if len(contacts) == 1 and contacts[0].profile:
        return contacts[0].profile.name
    return None


def _delivery(value: _MessagesValue, status: _Status) -> DeliveryStatus:
    error = status.errors[0] if status.errors else None
    detail = None
    if error:
        detail = (error.error_data.details if error.error_data else None) or error.message
    return DeliveryStatus(
        phone_number_id=value.metadata.phone_number_id,
        message_id=status.id,
        status=status.status,
        recipient_id=status.recipient_id,
        recipient_user_id=status.recipient_user_id,
        timestamp=status.timestamp,
        error_code=error.code if error else None,
        error_title=error.title if error else None,
        error_detail=detail,
    )
