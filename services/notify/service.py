"""Notify's consumer use cases: remember what later messages need, decide which messages an
event calls for and queue them once (the sender sends them, outside the transaction), keep
the public board and the opt-outs."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.notify.domain import board, planning
from services.notify.domain.board import BOARD_FIELDS
from services.notify.domain.messages import (
    DEADLINE_LABELS,
    channel_label,
    kind_label,
    local_time_label,
)
from services.notify.domain.planning import PlannedNotification
from services.notify.store import NotifyStore
from shared.directory import Directory
from shared.events import (
    ComplaintAssigned,
    ComplaintClosed,
    ComplaintDeadlineMissed,
    ComplaintEscalated,
    ComplaintFeedbackReceived,
    ComplaintPlanRecorded,
    ComplaintReceived,
    ComplaintReporterReplied,
    ComplaintResponded,
    ComplaintTriaged,
    ComplaintWaitingReporter,
    Event,
    NotificationDeliveryUpdated,
    ReporterOptedOut,
    ReporterOptedOutV2,
)
from shared.idempotency import IdempotentApplier
from shared.storage import Document


class UnknownComplaintError(LookupError):
    """An event about a complaint notify has not seen received yet: retried, so that an
    event overtaking its complaint.received waits for it."""


class NotifyService:
    def __init__(
        self, store: NotifyStore, applier: IdempotentApplier, directory: Directory
    ) -> None:
        self._store = store
        self._applier = applier
        self._directory = directory

    async def complaint_received(self, event: ComplaintReceived) -> None:
        data = event.data
        reporter = data.reporter
        phone = reporter.phone if reporter else None
        email = str(reporter.email) if reporter and reporter.email else None
        channel = planning.reporter_channel(
            data.channel, data.identity, has_phone=bool(phone), has_email=bool(email)
        )
        names = [reporter.name] if reporter and reporter.name else []
        complaint: Document = {
            "clinic": event.clinic,
            "district": event.district,
            "tracking_number": data.tracking_number,
            "kind": data.kind,
            "identity": data.identity,
            "source_channel": data.channel,
            "reply_channel": channel,
            "address": planning.reporter_address(channel, phone, email),
            "reporter_name": reporter.name if reporter else None,
            # Only the scrubbed text is kept: it is what the public board may show.
            "question": board.scrub(data.text, names),
            "unit": data.unit,
            "received_at": data.received_at,
            "last_inbound_at": data.received_at if data.channel == "whatsapp" else None,
        }
        staff = await self._store.staff(event.clinic, ["complaint_team"])

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.save_complaint(session, data.complaint_id, complaint)
            recipients = planning.recipients_for(
                planning.on_received(),
                reporter_channel=channel,
                reporter_address=complaint["address"],
                members=staff,
                clinic=event.clinic,
            )
            params = _params(complaint)
            await self._store.plan(
                session, event, data.complaint_id, recipients, params, {"pin": data.pin}
            )
            return ()

        await self._applier.apply(event, effect)

    async def complaint_triaged(self, event: ComplaintTriaged) -> None:
        data = event.data
        alerted = (await self._known(data.complaint_id)).get("alerted_unit")
        planned = planning.on_triaged(data.urgent, data.unit, alerted)
        update = {
            "category": data.category,
            "unit": data.unit,
            "urgent": data.urgent,
            "alerted_unit": data.unit,
        }
        await self._notify(event, data.complaint_id, planned, update)

    async def complaint_assigned(self, event: ComplaintAssigned) -> None:
        data = event.data
        alerted = (await self._known(data.complaint_id)).get("alerted_unit")
        update = {"unit": data.unit, "alerted_unit": data.unit} if data.unit else {}
        planned = planning.on_assigned(data.unit, alerted)
        await self._notify(event, data.complaint_id, planned, update, unit=data.unit)

    async def plan_recorded(self, event: ComplaintPlanRecorded) -> None:
        await self._notify(event, event.data.complaint_id, planning.on_plan_recorded())

    async def complaint_escalated(self, event: ComplaintEscalated) -> None:
        planned = planning.on_escalated()
        extra = {"alasan": event.data.reason}
        await self._notify(event, event.data.complaint_id, planned, extra=extra)

    async def waiting_reporter(self, event: ComplaintWaitingReporter) -> None:
        planned = planning.on_waiting_reporter()
        extra = {"pertanyaan": event.data.question}
        await self._notify(event, event.data.complaint_id, planned, extra=extra)

    async def reporter_replied(self, event: ComplaintReporterReplied) -> None:
        """A reply reopens WhatsApp's 24-hour window for free-form messages."""
        await self._inbound(event, event.data.complaint_id, came_over_whatsapp=True)

    async def feedback_received(self, event: ComplaintFeedbackReceived) -> None:
        """So does the YA/TIDAK to the closing question, when it came over WhatsApp."""
        whatsapp = event.data.channel == "whatsapp"
        await self._inbound(event, event.data.complaint_id, came_over_whatsapp=whatsapp)

    async def _inbound(
        self, event: Event, complaint_id: uuid.UUID, *, came_over_whatsapp: bool
    ) -> None:
        complaint = await self._known(complaint_id)
        if complaint.get("source_channel") != "whatsapp" or not came_over_whatsapp:
            return
        at = event.occurred_at

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.update_complaint(
                session,
                complaint_id,
                {"last_inbound_at": at},
                later_than=("last_inbound_at", at),
            )
            return ()

        await self._applier.apply(event, effect)

    async def complaint_responded(self, event: ComplaintResponded) -> None:
        data = event.data

        def board_entry(complaint: Document) -> Document | None:
            if not board.belongs_on_board(
                complaint["identity"], complaint["source_channel"], data.publish_on_board
            ):
                return None
            names = [complaint["reporter_name"]] if complaint.get("reporter_name") else []
            return {
                "clinic": event.clinic,
                "district": event.district,
                "tracking_number": data.tracking_number,
                "kind": complaint["kind"],
                "category": complaint.get("category"),
                "unit": complaint.get("unit"),
                "received_at": complaint["received_at"],
                "question": board.scrub(complaint["question"], names),
                "reply": board.scrub(data.reply, names),
                "responded_at": event.occurred_at,
            }

        await self._notify(
            event,
            data.complaint_id,
            planning.on_responded(),
            extra={"jawaban": data.reply},
            board_entry=board_entry,
        )

    async def complaint_closed(self, event: ComplaintClosed) -> None:
        planned = planning.on_closed(event.data.reason)
        await self._notify(event, event.data.complaint_id, planned)

    async def deadline_missed(self, event: ComplaintDeadlineMissed) -> None:
        data = event.data
        clinic = await self._directory.clinic(event.clinic)
        extra = {
            "tenggat": DEADLINE_LABELS.get(data.deadline, data.deadline),
            "batas_waktu": local_time_label(
                data.due_at, clinic.timezone if clinic else "Asia/Jakarta"
            ),
        }
        await self._notify(event, data.complaint_id, planning.on_deadline_missed(), extra=extra)

    async def delivery_updated(self, event: NotificationDeliveryUpdated) -> None:
        data = event.data

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.notifications.update_one(
                {"channel": data.channel, "provider_message_id": data.provider_message_id},
                {"$set": {"delivery_status": data.status, "delivery_error": data.error}},
                session=session,
            )
            return ()

        await self._applier.apply(event, effect)

    async def reporter_opted_out(self, event: ReporterOptedOut | ReporterOptedOutV2) -> None:
        """Nothing more is sent to the address: the number that replied STOP, or the address
        the named complaint is answered at (whatever its channel)."""
        data = event.data
        address: str | None = data.address
        channel: str = data.channel
        if address is None and isinstance(event, ReporterOptedOutV2):
            assert event.data.complaint_id is not None  # the model requires one without address
            complaint = await self._known(event.data.complaint_id)
            address, channel = complaint.get("address"), str(complaint.get("reply_channel"))

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            if address:  # an anonymous complaint has no address: nothing is sent to stop
                await self._store.record_opt_out(
                    session, address, channel, data.clinic, event.occurred_at
                )
            return ()

        await self._applier.apply(event, effect)

    async def _known(self, complaint_id: uuid.UUID) -> Document:
        complaint = await self._store.complaint(complaint_id)
        if complaint is None:
            raise UnknownComplaintError(str(complaint_id))
        return complaint

    async def _notify(
        self,
        event: Event,
        complaint_id: uuid.UUID,
        planned: Sequence[PlannedNotification],
        update: Document | None = None,
        *,
        extra: Document | None = None,
        unit: str | None = None,
        board_entry: Callable[[Document], Document | None] | None = None,
    ) -> None:
        """Update what notify knows, queue the planned messages, in one transaction.

        ``board_entry`` makes the board's entry from the complaint as this transaction reads
        it, and the complaint is marked in the same transaction: an answer and a triage that
        overtook each other conflict on the complaint, so the entry never keeps a category or
        unit the complaint no longer has."""
        complaint = {**await self._known(complaint_id), **(update or {})}
        roles = {planning.AUDIENCE_ROLE[p.audience] for p in planned if p.audience != "reporter"}
        staff = await self._store.staff(event.clinic, sorted(roles)) if roles else []
        recipients = planning.recipients_for(
            planned,
            reporter_channel=complaint.get("reply_channel"),
            reporter_address=complaint.get("address"),
            members=staff,
            clinic=event.clinic,
            unit=unit or complaint.get("unit"),
        )

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            if update:
                await self._store.update_complaint(session, complaint_id, update)
                shown = {key: update[key] for key in BOARD_FIELDS if key in update}
                if shown:
                    await self._store.refresh_board_entry(session, complaint_id, shown)
            if board_entry is not None:
                current = await self._store.complaint(complaint_id, session) or complaint
                entry = board_entry(current)
                if entry is not None:
                    await self._store.update_complaint(session, complaint_id, {"on_board": True})
                    await self._store.save_board_entry(session, complaint_id, entry)
            params = {**_params(complaint), **(extra or {})}
            await self._store.plan(session, event, complaint_id, recipients, params)
            return ()

        await self._applier.apply(event, effect)


def _params(complaint: Document) -> dict[str, Any]:
    """The template values every message about a complaint may use."""
    return {
        "jenis": kind_label(complaint.get("kind")),
        "nomor_tiket": complaint.get("tracking_number"),
        "kanal": channel_label(complaint.get("source_channel")),
        "unit": complaint.get("unit") or "-",
        "kategori": complaint.get("category") or "-",
    }
