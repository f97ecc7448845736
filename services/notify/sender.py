"""The sender: a background worker in every notify process that sends queued messages.

A record is claimed with a conditional update (queued → sending, with a lease), so of two
replicas only one sends it; a sender that dies mid-send loses its lease and another takes the
record over. The provider is called outside any transaction; its outcome, and the
notification.sent / notification.failed event, are then written in one transaction (the
event leaves through the outbox).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.notify.channels import ChannelAdapter, OutgoingMessage, WhatsAppMode
from services.notify.domain.delivery import (
    DeliveryError,
    backoff,
    next_step,
    whatsapp_window_open,
)
from services.notify.domain.messages import render
from services.notify.store import NotifyStore
from services.notify.templates import TemplateLibrary, TemplateNotFoundError
from shared.background import every
from shared.directory import Directory
from shared.events import (
    Actor,
    Event,
    NotificationFailed,
    NotificationFailedData,
    NotificationSent,
    NotificationSentData,
    utc_now,
)
from shared.logging import get_logger, mask_email, mask_phone
from shared.outbox import Outbox
from shared.settings import Settings
from shared.storage import Client, Document

log = get_logger(__name__)
ACTOR = Actor.system("notify")
BATCH = 50


class LostClaimError(Exception):
    """Another sender took the record over (this one's lease ran out)."""


class Sender:
    def __init__(
        self,
        *,
        store: NotifyStore,
        client: Client,
        outbox: Outbox,
        directory: Directory,
        templates: TemplateLibrary,
        adapters: Mapping[str, ChannelAdapter],
        settings: Settings,
        clock: Callable[[], datetime] = utc_now,
        sender_id: str | None = None,
    ) -> None:
        self._store = store
        self._client = client
        self._outbox = outbox
        self._directory = directory
        self._templates = templates
        self._adapters = adapters
        self._settings = settings
        self._clock = clock
        self.sender_id = sender_id or uuid.uuid4().hex

    async def run(self, interval_seconds: float) -> None:
        await every(interval_seconds, self.run_once, "sender.round_failed")

    async def run_once(self) -> int:
        """Send every record that is due now; the number sent or settled."""
        handled = 0
        lease = timedelta(seconds=self._settings.notify_lease_seconds)
        for doc in await self._store.due(self._clock(), BATCH):
            if await self._store.claim(doc, self.sender_id, self._clock() + lease):
                try:
                    await self._deliver(doc)
                    handled += 1
                except LostClaimError:
                    log.warning("notification.claim_lost", notification_id=str(doc["_id"]))
        return handled

    async def _deliver(self, doc: Document) -> None:
        if await self._store.opted_out(doc["address"]):
            await self._settle(doc, {"status": "suppressed", "reason": "opt_out"}, None)
            return
        try:
            message = await self._message(doc)
            provider_id = await self._adapters[doc["channel"]].send(message)
        except DeliveryError as exc:
            await self._failed(doc, exc)
            return
        fields = {"status": "sent", "sent_at": self._clock(), "provider_message_id": provider_id}
        data = NotificationSentData(**_data(doc), provider_message_id=provider_id)
        event = NotificationSent.create(data, **_envelope(doc, "sent"))
        await self._settle(doc, fields, event)
        log.info("notification.sent", channel=doc["channel"], template=doc["template"])

    async def _message(self, doc: Document) -> OutgoingMessage:
        clinic = await self._directory.clinic(doc["clinic"])
        try:
            template = self._templates.get(doc["template"], doc["clinic"], doc["channel"])
        except TemplateNotFoundError as exc:
            raise DeliveryError(f"template {doc['template']} tidak ada", temporary=False) from exc
        values = {
            **doc.get("params", {}),
            "puskesmas": clinic.name if clinic else doc["clinic"],
            "alamat_web": self._settings.public_base_url,
        }
        rendered = render(template, values)
        return OutgoingMessage(
            channel=doc["channel"],
            to=doc["address"],
            title=rendered.title,
            body=rendered.body,
            clinic=doc["clinic"],
            whatsapp_phone_number_id=clinic.whatsapp_phone_number_id if clinic else None,
            sms_from=clinic.sms_number if clinic else None,
            whatsapp_mode=await self._whatsapp_mode(doc),
        )

    async def _whatsapp_mode(self, doc: Document) -> WhatsAppMode:
        """Free-form text only inside the 24-hour window the complainant's last message
        opened; staff, who never write to the clinic's number, get the approved template."""
        if doc["channel"] != "whatsapp" or doc["audience"] != "reporter":
            return "template"
        complaint = await self._store.complaint(doc["complaint_id"]) or {}
        open_ = whatsapp_window_open(complaint.get("last_inbound_at"), self._clock())
        return "text" if open_ else "template"

    async def _failed(self, doc: Document, error: DeliveryError) -> None:
        attempt = int(doc.get("attempts", 0)) + 1
        step = next_step(attempt, self._settings.notify_max_send_attempts, error.temporary)
        now = self._clock()
        if step == "retry":
            delay = backoff(attempt, self._settings.notify_retry_base_seconds)
            fields: Document = {"status": "queued", "next_attempt_at": now + delay}
        else:
            fields = {"status": "failed", "failed_at": now}
        fields["last_error"] = error.reason
        data = NotificationFailedData(
            **_data(doc), error=error.reason, permanent=step == "give_up", attempt=attempt
        )
        event = NotificationFailed.create(data, **_envelope(doc, f"failed:{attempt}"))
        await self._settle(doc, fields, event)
        log.warning(
            "notification.failed",
            channel=doc["channel"],
            attempt=attempt,
            next=step,
            error=error.reason,
        )

    async def _settle(self, doc: Document, fields: Document, event: Event | None) -> None:
        # The PIN is needed only until the receipt has left (or never will).
        unset = ("params.pin",) if fields["status"] != "queued" else ()

        async def transaction(session: AsyncClientSession) -> None:
            if not await self._store.settle(session, doc, self.sender_id, fields, unset):
                raise LostClaimError(str(doc["_id"]))
            await self._outbox.stage(session, [event] if event else [])

        async with self._client.start_session() as session:
            await session.with_transaction(transaction)
        if event is not None:
            try:
                await self._outbox.publish([str(event.event_id)])
            except Exception:  # committed: the outbox relay publishes it later
                log.exception("notification.event_publish_deferred")


def _data(doc: Document) -> dict[str, Any]:
    address = str(doc["address"])
    return {
        "notification_id": doc["_id"],
        "cause_event_id": doc["cause_event_id"],
        "complaint_id": doc.get("complaint_id"),
        "channel": doc["channel"],
        "recipient_kind": "reporter" if doc["audience"] == "reporter" else "staff",
        "recipient": mask_email(address) if "@" in address else mask_phone(address),
        "template": doc["template"],
    }


def _envelope(doc: Document, outcome: str) -> dict[str, Any]:
    return {
        "district": doc["district"],
        "clinic": doc["clinic"],
        "actor": ACTOR,
        "correlation_id": doc["correlation_id"],
        "causation_id": str(doc["cause_event_id"]),
        # Deterministic: the same outcome of the same record can be staged only once.
        "event_id": uuid.uuid5(doc["_id"], outcome),
    }
