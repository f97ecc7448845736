"""The transactional outbox: events are written in the same transaction as the change that
caused them, then published with confirms. A relay republishes whatever a crash left behind,
so a committed change never loses its event (consumers are idempotent, so a rare second
publish is harmless)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from datetime import timedelta

from pymongo.asynchronous.client_session import AsyncClientSession

from shared.background import every
from shared.events import Event, decode, encode, utc_now
from shared.logging import get_logger
from shared.messaging import Publisher
from shared.storage import Database

log = get_logger(__name__)
COLLECTION = "outbox"
# Staged events kept in memory for their publish after the commit; more means aborted leftovers.
STAGED_IN_MEMORY = 10_000


class Outbox:
    def __init__(self, db: Database, publisher: Publisher) -> None:
        self._collection = db[COLLECTION]
        self._publisher = publisher
        # What this process staged, by event id: published right after the commit without
        # reading it back. The database copy stays the truth the relay works from.
        self._staged: OrderedDict[str, Event] = OrderedDict()

    async def stage(self, session: AsyncClientSession, events: Sequence[Event]) -> None:
        if not events:
            return
        now = utc_now()
        await self._collection.insert_many(
            [
                {
                    "_id": str(event.event_id),
                    "type": event.type,
                    "causation_id": event.causation_id,
                    "body": encode(event).decode(),
                    "created_at": now,
                    "published": False,
                }
                for event in events
            ],
            session=session,
        )
        for event in events:
            self._staged[str(event.event_id)] = event
        while len(self._staged) > STAGED_IN_MEMORY:  # left by transactions that aborted
            self._staged.popitem(last=False)

    async def publish(self, event_ids: Sequence[str]) -> int:
        """Publish the given staged events now (right after their transaction committed)."""
        if not event_ids:
            return 0
        staged = [self._staged.pop(event_id, None) for event_id in event_ids]
        if all(event is not None for event in staged):
            return await self._publish_events([event for event in staged if event is not None])
        cursor = self._collection.find({"_id": {"$in": list(event_ids)}, "published": False})
        return await self._publish_documents([doc async for doc in cursor])

    async def publish_caused_by(self, causation_id: str) -> int:
        """Publish what an already-applied event staged, in case a crash interrupted it."""
        cursor = self._collection.find({"causation_id": causation_id, "published": False})
        return await self._publish_documents([doc async for doc in cursor])

    async def relay_pending(self, older_than: timedelta = timedelta(seconds=2)) -> int:
        cursor = (
            self._collection.find(
                {"published": False, "created_at": {"$lt": utc_now() - older_than}}
            )
            .sort("created_at", 1)
            .limit(500)
        )
        return await self._publish_documents([doc async for doc in cursor])

    async def run_relay(self, interval_seconds: float) -> None:
        async def relay() -> None:
            published = await self.relay_pending()
            if published:
                log.warning("outbox.relayed", count=published)

        await every(interval_seconds, relay, "outbox.relay_failed")

    async def _publish_documents(self, documents: list[dict[str, object]]) -> int:
        ordered = sorted(documents, key=lambda d: d["created_at"])  # type: ignore[arg-type,return-value]
        return await self._publish_events([decode(str(doc["body"]).encode()) for doc in ordered])

    async def _publish_events(self, events: Sequence[Event]) -> int:
        """Publish in order, each confirmed; then mark what was confirmed, in one write (a
        crash before the mark means a second publish later, which consumers absorb)."""
        confirmed: list[str] = []
        try:
            for event in events:
                await self._publisher.publish(event)
                confirmed.append(str(event.event_id))
        finally:
            if confirmed:
                await self._collection.update_many(
                    {"_id": {"$in": confirmed}},
                    {"$set": {"published": True, "published_at": utc_now()}},
                )
        return len(events)
