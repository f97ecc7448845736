"""A consuming service with a handler the test gives (on the triage queue, the topology declared
on start), for tests of the consumption protocol itself: retries, dead letters, replay."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import APIRouter
from pymongo.asynchronous.client_session import AsyncClientSession

from shared.events import ComplaintReceived, Event
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.support.lifespan import Running

Handler = Callable[[ServiceRuntime, ComplaintReceived], Awaitable[None]]


async def store_complaint(runtime: ServiceRuntime, event: ComplaintReceived) -> None:
    """The plain handler: keep the complaint once, in the event's idempotent transaction."""

    async def effect(session: AsyncClientSession) -> list[Event]:
        await runtime.db["stored"].insert_one(
            {"_id": event.data.complaint_id, "text": event.data.text}, session=session
        )
        return []

    await runtime.applier.apply(event, effect)


@contextlib.asynccontextmanager
async def consuming(settings: Settings, handler: Handler) -> AsyncIterator[ServiceRuntime]:
    runtime = ServiceRuntime("triage", settings)
    assert runtime.consumer is not None

    @runtime.consumer.handles(ComplaintReceived)
    async def on_received(event: ComplaintReceived) -> None:
        await handler(runtime, event)

    async with Running(runtime.asgi(APIRouter(), title="test")):
        yield runtime
