"""Apply an event at most once: the processed-event marker, the effect and the outgoing events
are written in one MongoDB transaction, so a redelivered or duplicated event changes nothing
the second time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from shared.events import Event, utc_now
from shared.logging import get_logger
from shared.outbox import Outbox
from shared.storage import Client, Database

log = get_logger(__name__)
PROCESSED = "processed_events"

# The effect writes with the session it is given and returns the events it causes.
Effect = Callable[[AsyncClientSession], Awaitable[Sequence[Event]]]


class AlreadyAppliedError(Exception):
    pass


class IdempotentApplier:
    def __init__(self, client: Client, db: Database, outbox: Outbox) -> None:
        self._client = client
        self._processed = db[PROCESSED]
        self._outbox = outbox

    async def apply(self, event: Event, effect: Effect) -> bool:
        """Run ``effect`` for ``event`` unless it ran before. True when it ran now."""
        event_id = str(event.event_id)

        async def transaction(session: AsyncClientSession) -> Sequence[Event]:
            try:
                await self._processed.insert_one(
                    {"_id": event_id, "type": event.type, "processed_at": utc_now()},
                    session=session,
                )
            except DuplicateKeyError as exc:
                raise AlreadyAppliedError(event_id) from exc
            outgoing = await effect(session)
            await self._outbox.stage(session, outgoing)
            return outgoing

        try:
            async with self._client.start_session() as session:
                outgoing = await session.with_transaction(transaction)
        except AlreadyAppliedError:
            log.info("event.duplicate_skipped")
            await self._outbox.publish_caused_by(event_id)
            return False
        await self._outbox.publish([str(e.event_id) for e in outgoing])
        return True
