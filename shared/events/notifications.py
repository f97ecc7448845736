"""Events of the messages SIGAP sends and of their delivery."""

from __future__ import annotations

import uuid
from typing import Literal, Self

from pydantic import Field, model_validator

from shared.events.envelope import Contract, Event

NotificationChannel = Literal["whatsapp", "sms", "email", "papan_tanggapan"]
RecipientKind = Literal["reporter", "staff"]
DeliveryStatus = Literal["sent", "delivered", "read", "failed"]


class NotificationData(Contract):
    notification_id: uuid.UUID
    cause_event_id: uuid.UUID
    complaint_id: uuid.UUID | None = None
    channel: NotificationChannel
    recipient_kind: RecipientKind
    # Always masked (e.g. "+62812****678"): events are stored and logged.
    recipient: str = Field(max_length=200)
    template: str = Field(min_length=1, max_length=80)


class NotificationSentData(NotificationData):
    provider_message_id: str | None = Field(default=None, max_length=200)


class NotificationSent(Event):
    type: Literal["notification.sent"] = "notification.sent"
    schema_version: Literal[1] = 1
    data: NotificationSentData


class NotificationFailedData(NotificationData):
    error: str = Field(max_length=1000)
    permanent: bool
    attempt: int = Field(ge=1)


class NotificationFailed(Event):
    type: Literal["notification.failed"] = "notification.failed"
    schema_version: Literal[1] = 1
    data: NotificationFailedData


class DeliveryUpdatedData(Contract):
    """A provider's receipt for a message already sent (WhatsApp statuses, SMS callbacks)."""

    channel: NotificationChannel
    provider_message_id: str = Field(min_length=1, max_length=200)
    status: DeliveryStatus
    error: str | None = Field(default=None, max_length=1000)


class NotificationDeliveryUpdated(Event):
    type: Literal["notification.delivery_updated"] = "notification.delivery_updated"
    schema_version: Literal[1] = 1
    data: DeliveryUpdatedData


class ReporterOptedOutData(Contract):
    """A complainant asked for no more messages (replied STOP or BERHENTI)."""

    channel: Literal["whatsapp", "sms"]
    address: str = Field(pattern=r"^\+[1-9][0-9]{7,14}$")  # E.164, the number that opted out
    clinic: str = Field(min_length=1, max_length=40)


class ReporterOptedOut(Event):
    type: Literal["reporter.opted_out"] = "reporter.opted_out"
    schema_version: Literal[1] = 1
    data: ReporterOptedOutData


class ReporterOptedOutDataV2(Contract):
    """A complainant asked for no more messages, whatever channel they are answered over:
    replied STOP/BERHENTI from their number (``address``), or pressed "Berhenti menerima
    pesan" on the tracking page after tracking number and PIN (``complaint_id``: notify knows
    the address it answers that complaint at, an e-mail address included)."""

    channel: Literal["whatsapp", "sms", "web"]
    address: str | None = Field(default=None, pattern=r"^\+[1-9][0-9]{7,14}$")
    complaint_id: uuid.UUID | None = None
    clinic: str = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _names_who(self) -> Self:
        if self.channel == "web" and self.complaint_id is None:
            raise ValueError("complaint_id is required when the opt-out came from the web")
        if self.channel != "web" and self.address is None:
            raise ValueError("address is required when the opt-out came over WhatsApp or SMS")
        return self


class ReporterOptedOutV2(Event):
    """Version 2: the opt-out may name a complaint instead of a phone number (so that a
    complainant answered by e-mail can stop too). Consumers accept both versions."""

    type: Literal["reporter.opted_out"] = "reporter.opted_out"
    schema_version: Literal[2] = 2
    data: ReporterOptedOutDataV2
