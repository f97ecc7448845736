"""Notify use cases: decide which messages an event calls for and queue them once."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo.asynchronous.client_session import AsyncClientSession

from services.notify.domain import planning
from services.notify.store import NotifyStore
from shared.events import ComplaintReceived, ComplaintTriaged, Event
from shared.idempotency import IdempotentApplier


class NotifyService:
    def __init__(self, store: NotifyStore, applier: IdempotentApplier) -> None:
        self._store = store
        self._applier = applier

    async def complaint_received(self, event: ComplaintReceived) -> None:
        data = event.data
        reporter = data.reporter
        channel = planning.reporter_channel(
            data.channel,
            data.identity,
            has_phone=bool(reporter and reporter.phone),
            has_email=bool(reporter and reporter.email),
        )
        contact = reporter.model_dump(exclude_none=True) if reporter else {}
        contact["tracking_number"] = data.tracking_number

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.save_contact(session, data.complaint_id, channel, contact)
            await self._store.plan(session, event, data.complaint_id, planning.on_received(channel))
            return ()

        await self._applier.apply(event, effect)

    async def complaint_triaged(self, event: ComplaintTriaged) -> None:
        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            planned = planning.on_triaged(event.data.urgent)
            await self._store.plan(session, event, event.data.complaint_id, planned)
            return ()

        await self._applier.apply(event, effect)
