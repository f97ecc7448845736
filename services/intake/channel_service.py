"""The provider channels: WhatsApp Cloud API notifications and Twilio-compatible SMS.

Each inbound message with text becomes one complaint, claimed by the provider's message id
first, so a redelivered notification creates nothing new. Delivery receipts of the messages
SIGAP sent become ``notification.delivery_updated`` events with an id derived from the
provider's message id and status, so their redelivery is absorbed by the consumers.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from services.intake.domain.sms import InboundSms, normalise_phone
from services.intake.domain.whatsapp import InboundMessage, WhatsAppBatch
from services.intake.replies import ReporterReplies
from services.intake.service import (
    AlreadyReceivedError,
    ComplaintDraft,
    IntakeService,
    InvalidFieldError,
)
from shared.directory import Clinic
from shared.events import (
    TEXT_MAX,
    Actor,
    DeliveryUpdatedData,
    NotificationDeliveryUpdated,
    Reporter,
    ReporterOptedOut,
    ReporterOptedOutData,
    Source,
)
from shared.events import DeliveryStatus as WireStatus
from shared.logging import get_logger

log = get_logger(__name__)

WHATSAPP = Actor(kind="provider", id="whatsapp")
SMS = Actor(kind="provider", id="sms")
_RECEIPT_IDS = uuid.UUID("6f1c2d0e-52a1-4d0b-9a57-5b0f2f7d3c11")  # namespace of receipt event ids
_WHATSAPP_STATUS: dict[str, WireStatus] = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "played": "read",  # a voice message listened to: read, as far as SIGAP cares
    "failed": "failed",
}
_SMS_STATUS: dict[str, WireStatus] = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "failed": "failed",
    "undelivered": "failed",
}


@dataclass
class WebhookOutcome:
    accepted: list[str] = field(default_factory=list)  # tracking numbers
    duplicates: int = 0
    replies: int = 0  # answers to the team's question or to the closing question
    skipped: int = 0
    receipts: int = 0


class ChannelService:
    def __init__(self, intake: IntakeService) -> None:
        self._intake = intake
        self._replies = ReporterReplies(intake)

    async def whatsapp(self, batch: WhatsAppBatch, correlation_id: str) -> WebhookOutcome:
        outcome = WebhookOutcome()
        clinics: dict[str, Clinic | None] = {}
        for message in batch.messages:
            clinic = await self._clinic_of(message.phone_number_id, clinics)
            if clinic is not None and message.opt_out:
                phone = _whatsapp_phone(message)
                if phone is not None:
                    await self._opted_out(
                        clinic, "whatsapp", phone, message.message_id, correlation_id
                    )
            if clinic is None or not self._is_feedback(message):
                outcome.skipped += 1
                continue
            draft = _whatsapp_draft(message)
            key = f"whatsapp:{message.message_id}"
            try:
                answered = await self._replies.forward_if_awaited(
                    clinic,
                    _whatsapp_phone(message),
                    draft.text,
                    channel="whatsapp",
                    actor=WHATSAPP,
                    correlation_id=correlation_id,
                    inbound_key=key,
                )
                if answered is not None:
                    outcome.replies += 1
                    continue
                receipt = await self._intake.accept(
                    clinic,
                    draft,
                    channel="whatsapp",
                    actor=WHATSAPP,
                    correlation_id=correlation_id,
                    inbound_key=key,
                )
            except AlreadyReceivedError:
                outcome.duplicates += 1
                continue
            outcome.accepted.append(receipt.tracking_number)
        for status in batch.statuses:
            clinic = await self._clinic_of(status.phone_number_id, clinics)
            wire_status = _WHATSAPP_STATUS.get(status.status)
            if clinic is None or wire_status is None:
                outcome.skipped += 1
                continue
            error = status.error_detail or status.error_title
            await self._publish_receipt(
                clinic, "whatsapp", status.message_id, wire_status, error, correlation_id
            )
            outcome.receipts += 1
        return outcome

    async def sms(self, sms: InboundSms, correlation_id: str) -> str | None:
        """The tracking number of the complaint made or answered, or None (opt-out, repeat)."""
        clinic = await self._intake.directory.clinic_by_sms_number(sms.to_number)
        if clinic is None:
            raise InvalidFieldError("To", "Nomor tujuan tidak terdaftar pada Puskesmas mana pun")
        if sms.opt_out:  # notify keeps consent; intake makes no complaint of it
            await self._opted_out(clinic, "sms", sms.from_number, sms.message_sid, correlation_id)
            return None
        if not sms.body.strip():
            raise InvalidFieldError("Body", "Pesan kosong")
        draft = ComplaintDraft(
            kind="keluhan",
            text=sms.body.strip()[:TEXT_MAX],
            reporter=Reporter(phone=sms.from_number),
            source=Source(external_id=sms.message_sid),
        )
        try:
            answered = await self._replies.forward_if_awaited(
                clinic,
                sms.from_number,
                draft.text,
                channel="sms",
                actor=SMS,
                correlation_id=correlation_id,
                inbound_key=f"sms:{sms.message_sid}",
            )
            if answered is not None:
                return answered
            receipt = await self._intake.accept(
                clinic,
                draft,
                channel="sms",
                actor=SMS,
                correlation_id=correlation_id,
                inbound_key=f"sms:{sms.message_sid}",
            )
        except AlreadyReceivedError:
            return None
        return receipt.tracking_number

    async def sms_status(self, form: Mapping[str, str], correlation_id: str) -> bool:
        """A gateway's status callback for an SMS SIGAP sent; False when it is not one we use."""
        status = _SMS_STATUS.get(form.get("MessageStatus", "").lower())
        sid = form.get("MessageSid") or form.get("SmsSid")
        try:
            clinic = await self._intake.directory.clinic_by_sms_number(
                normalise_phone(form.get("From", ""))
            )
        except ValueError:
            clinic = None
        if status is None or not sid or clinic is None:
            return False
        error = form.get("ErrorCode") or None
        await self._publish_receipt(clinic, "sms", sid, status, error, correlation_id)
        return True

    async def _clinic_of(
        self, phone_number_id: str, known: dict[str, Clinic | None]
    ) -> Clinic | None:
        if phone_number_id not in known:
            known[phone_number_id] = await self._intake.directory.clinic_by_whatsapp_id(
                phone_number_id
            )
            if known[phone_number_id] is None:
                log.warning("whatsapp.unknown_phone_number_id", phone_number_id=phone_number_id)
        return known[phone_number_id]

    @staticmethod
    def _is_feedback(message: InboundMessage) -> bool:
        if message.opt_out:
            log.info("whatsapp.opt_out", message_id=message.message_id)
            return False
        if message.text is None or message.group_id is not None:
            log.info(
                "whatsapp.not_feedback", message_id=message.message_id, type=message.message_type
            )
            return False
        return True

    async def _opted_out(
        self,
        clinic: Clinic,
        channel: Literal["whatsapp", "sms"],
        address: str,
        message_id: str,
        correlation_id: str,
    ) -> None:
        event = ReporterOptedOut.create(
            ReporterOptedOutData(channel=channel, address=address, clinic=clinic.code),
            district=clinic.district,
            clinic=clinic.code,
            actor=WHATSAPP if channel == "whatsapp" else SMS,
            correlation_id=correlation_id,
            event_id=uuid.uuid5(_RECEIPT_IDS, f"{channel}:{message_id}:opt_out"),
        )
        await self._intake.publisher.publish(event)
        log.info("reporter.opted_out", channel=channel)

    async def _publish_receipt(
        self,
        clinic: Clinic,
        channel: str,
        message_id: str,
        status: WireStatus,
        error: str | None,
        correlation_id: str,
    ) -> None:
        event = NotificationDeliveryUpdated.create(
            DeliveryUpdatedData(
                channel="whatsapp" if channel == "whatsapp" else "sms",
                provider_message_id=message_id[:200],
                status=status,
                error=error[:1000] if error else None,
            ),
            district=clinic.district,
            clinic=clinic.code,
            actor=WHATSAPP if channel == "whatsapp" else SMS,
            correlation_id=correlation_id,
            event_id=uuid.uuid5(_RECEIPT_IDS, f"{channel}:{message_id}:{status}"),
        )
        await self._intake.publisher.publish(event)


def _whatsapp_phone(message: InboundMessage) -> str | None:
    if not message.sender_wa_id:
        return None
    try:
        return normalise_phone("+" + message.sender_wa_id)
    except ValueError:
        return None


def _whatsapp_draft(message: InboundMessage) -> ComplaintDraft:
    phone = _whatsapp_phone(message)
    name = (message.sender_name or "").strip()[:120] or None
    reporter = Reporter(name=name, phone=phone) if name or phone else None
    return ComplaintDraft(
        kind="keluhan",
        text=(message.text or "").strip()[:TEXT_MAX],
        reporter=reporter,
        source=Source(external_id=message.message_id[:200]),
    )
