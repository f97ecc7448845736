"""The complainant's tracking view: looked up with the tracking number and PIN, kept up to date
by triage's events.

A wrong PIN and an unknown number look the same to the caller. Wrong PINs are counted per
number as typed (whether it exists or not, so the throttle reveals nothing) and refused with
429 once ``failures_allowed`` is reached within the window.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.intake.domain.contacts import contact_key
from services.intake.domain.progress import status_after, status_label
from services.intake.domain.tracking import (
    InvalidTrackingNumberError,
    hash_pin,
    normalise_tracking_number,
    verify_pin,
)
from services.intake.schemas import ComplaintView
from services.intake.store import SubmissionStore
from shared.events import (
    CLOSING_TEMPLATE,
    Actor,
    ClosedData,
    ComplaintReceived,
    Event,
    NotificationSent,
    ReasonData,
    ReporterOptedOutDataV2,
    ReporterOptedOutV2,
    RespondedData,
    WaitingReporterData,
    utc_now,
)
from shared.events.complaints import ComplaintRejected, ComplaintTriagedData
from shared.idempotency import IdempotentApplier
from shared.messaging import Publisher
from shared.storage import Document

FAILURE_WINDOW = timedelta(minutes=15)
_OPT_OUT_IDS = uuid.UUID("2b7e0c55-6d1f-4c1a-9f0e-8a3d4b5c6e7f")  # namespace of opt-out ids


class TooManyAttemptsError(Exception):
    pass


class TrackingService:
    def __init__(
        self,
        store: SubmissionStore,
        applier: IdempotentApplier,
        pin_pepper: bytes,
        failures_allowed: int,
        publisher: Publisher | None = None,
    ) -> None:
        self._store = store
        self._applier = applier
        self._pepper = pin_pepper
        self._failures_allowed = failures_allowed
        self._publisher = publisher

    async def view(self, raw_number: str, pin: str) -> ComplaintView | None:
        """The complaint behind number and PIN, or None for a wrong pair (never which one)."""
        doc = await self._verified(raw_number, pin)
        return None if doc is None else _view(doc)

    async def opt_out(self, raw_number: str, pin: str, correlation_id: str) -> ComplaintView | None:
        """The complainant behind number and PIN asks for no more messages, whatever channel
        they are answered over: ``reporter.opted_out`` names the complaint, and notify stops
        every message to the address it answers it at. None for a wrong pair. Asking twice
        publishes the same event (one id per complaint), which consumers apply once."""
        doc = await self._verified(raw_number, pin)
        if doc is None:
            return None
        if self._publisher is None:
            raise RuntimeError("this tracking service has no publisher")
        data = ReporterOptedOutDataV2(
            channel="web", complaint_id=doc["complaint_id"], clinic=doc["clinic"]
        )
        await self._publisher.publish(
            ReporterOptedOutV2.create(
                data,
                district=doc["district"],
                clinic=doc["clinic"],
                actor=Actor(kind="public"),
                correlation_id=correlation_id,
                event_id=uuid.uuid5(_OPT_OUT_IDS, str(doc["complaint_id"])),
            )
        )
        return _view(doc)

    async def _verified(self, raw_number: str, pin: str) -> Document | None:
        now = utc_now()
        try:
            number = normalise_tracking_number(raw_number)
        except InvalidTrackingNumberError:
            number = None
        throttle_key = number or raw_number.strip().upper()[:60]
        if await self._store.pin_failures(throttle_key, now) >= self._failures_allowed:
            raise TooManyAttemptsError(throttle_key)
        doc = await self._store.published_submission(number) if number else None
        matches = doc is not None and await asyncio.to_thread(
            verify_pin, pin, str(doc.get("pin_hash", "")), self._pepper
        )
        if doc is None or not matches:
            await self._store.add_pin_failure(throttle_key, now, FAILURE_WINDOW)
            return None
        return doc

    async def record(self, event: Event) -> None:
        """Move the tracking view along with one of triage's events (once per event)."""
        status = status_after(event.type, automatic=bool(getattr(event.data, "automatic", False)))
        if status is None:
            return
        changes = {"status": status, **_details(event)}
        tracking_number = str(event.data.tracking_number)

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.record_progress(tracking_number, event.occurred_at, changes, session)
            return []

        await self._applier.apply(event, effect)

    async def adopt(self, event: ComplaintReceived) -> None:
        """A complaint accepted at a clinic's edge node (its uplink forwards the event here):
        kept like one accepted here, so that the district answers its tracking (once)."""
        data = event.data
        # scrypt is deliberately slow: keep it off the event loop.
        pin_hash = await asyncio.to_thread(hash_pin, data.pin, self._pepper)
        phone = data.reporter.phone if data.reporter and data.identity != "anonim" else None
        submission = {
            "complaint_id": data.complaint_id,
            "clinic": event.clinic,
            "district": event.district,
            "reporter_key": contact_key(phone, self._pepper) if phone else None,
            "kind": data.kind,
            "channel": data.channel,
            "unit": data.unit,
            "status": "received",
            "received_at": data.received_at,
            "updated_at": data.received_at,
            "created_at": data.received_at,
            "pin_hash": pin_hash,
            "published": True,
            "accepted_at_edge": True,
        }

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.adopt(data.tracking_number, submission, session)
            return []

        await self._applier.apply(event, effect)

    async def closing_message_sent(self, event: NotificationSent) -> None:
        """The complainant was asked over WhatsApp or SMS whether the answer helped: their
        YA/TIDAK over that number is awaited."""
        data, complaint_id = event.data, event.data.complaint_id
        if data.template != CLOSING_TEMPLATE or data.recipient_kind != "reporter":
            return
        if complaint_id is None or data.channel not in ("whatsapp", "sms"):
            return

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.await_feedback(complaint_id, event.occurred_at, session)
            return []

        await self._applier.apply(event, effect)


def _view(doc: Document) -> ComplaintView:
    return ComplaintView(
        tracking_number=doc["_id"],
        kind=doc["kind"],
        status=doc["status"],
        status_label=status_label(doc["status"]),
        unit=doc.get("unit"),
        received_at=doc["received_at"],
        updated_at=doc.get("updated_at") or doc["received_at"],
        note=doc.get("note"),
        reply=doc.get("reply"),
        replied_at=doc.get("replied_at"),
        closed_at=doc.get("closed_at"),
    )


def _details(event: Event) -> dict[str, Any]:
    data = event.data
    if isinstance(data, ComplaintTriagedData):
        return {"unit": data.unit}
    if isinstance(data, WaitingReporterData):
        return {"note": data.question}
    if isinstance(data, RespondedData):
        return {"reply": data.reply, "replied_at": event.occurred_at, "note": None}
    if isinstance(data, ClosedData):
        return {"closed_at": event.occurred_at}
    if isinstance(event, ComplaintRejected) and isinstance(data, ReasonData):
        return {"note": data.reason, "closed_at": event.occurred_at}
    if event.type == "complaint.reopened":
        return {"closed_at": None}
    return {}
