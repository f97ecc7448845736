"""Erasing a service's copy of a complainant's personal data when triage announces the purge
(``complaint.personal_data_purged``, see shared/events/privacy.py): each service says what it
erases; this runs it once per event, in the event's idempotent transaction."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from pymongo.asynchronous.client_session import AsyncClientSession

from shared.events import ComplaintPersonalDataPurged, Event
from shared.idempotency import IdempotentApplier
from shared.messaging import EventConsumer

PURGED_AT = "personal_data_purged_at"


class PurgeEraser(ABC):
    def __init__(self, applier: IdempotentApplier) -> None:
        self._applier = applier

    @abstractmethod
    async def erase_in(
        self, event: ComplaintPersonalDataPurged, session: AsyncClientSession
    ) -> None:
        """This service's erasure of the complaint's personal data."""

    async def erase(self, event: ComplaintPersonalDataPurged) -> None:
        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self.erase_in(event, session)
            return ()

        await self._applier.apply(event, effect)


def register(consumer: EventConsumer, eraser: PurgeEraser) -> None:
    @consumer.handles(ComplaintPersonalDataPurged)
    async def on_personal_data_purged(event: ComplaintPersonalDataPurged) -> None:
        await eraser.erase(event)
