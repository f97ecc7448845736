"""Channel adapters: one interface, one adapter per provider (WhatsApp Cloud API, a
Twilio-compatible SMS gateway, SMTP). An adapter sends one message or raises
``DeliveryError`` saying whether another try may succeed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from services.notify.domain.delivery import DeliveryError
from services.notify.domain.planning import SendChannel

__all__ = ["ChannelAdapter", "DeliveryError", "OutgoingMessage", "WhatsAppMode"]

WhatsAppMode = Literal["text", "template"]


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    channel: SendChannel
    to: str  # E.164 phone number or e-mail address
    title: str  # the e-mail subject
    body: str
    clinic: str
    whatsapp_phone_number_id: str | None = None  # the clinic's sending number
    sms_from: str | None = None  # the clinic's SMS number
    whatsapp_mode: WhatsAppMode = "text"  # "template" outside the 24-hour window


class ChannelAdapter(Protocol):
    async def send(self, message: OutgoingMessage) -> str | None:
        """Send the message; return the provider's message id when it gives one."""
        ...
