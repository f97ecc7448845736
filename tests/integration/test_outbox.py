"""A committed change never loses its event: the outbox publishes it after the commit, and
whatever a crash left unpublished is published later (by the redelivery or by the relay)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import aio_pika
import pytest
from pymongo.asynchronous.client_session import AsyncClientSession

from shared.events import (
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    ComplaintTriaged,
    ComplaintTriagedData,
    Event,
)
from shared.messaging import PublishError
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.support.lifespan import Running
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def cause() -> ComplaintReceived:
    return ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number="MDRJ1-2611-ABCD-EFGH",
            pin="123456",
            channel="sms",
            kind="keluhan",
            text="Lama",
            received_at=datetime.now(UTC),
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="c-1",
    )


def consequence(of: ComplaintReceived) -> ComplaintTriaged:
    return ComplaintTriaged.following(
        of,
        ComplaintTriagedData(
            complaint_id=of.data.complaint_id,
            tracking_number=of.data.tracking_number,
            kind="keluhan",
            category="waktu_tunggu",
            unit="pendaftaran",
            urgent=False,
            automatic=True,
        ),
        actor=Actor.system("test"),
    )


class BrokerDownOnce:
    """Wraps the real publisher; the first publish fails as if the process died there."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.failed = False

    async def publish(self, event: Event) -> None:
        if not self.failed:
            self.failed = True
            raise PublishError("simulated crash after commit")
        await self.real.publish(event)  # type: ignore[attr-defined]


@contextlib.asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[ServiceRuntime]:
    runtime = ServiceRuntime("triage", settings, consumes=False)
    async with Running(runtime.asgi(title="t")):
        yield runtime


async def reporting_depth(amqp: aio_pika.abc.AbstractRobustConnection, settings: Settings) -> int:
    async with amqp.channel() as channel:
        queue = await channel.declare_queue(f"{settings.amqp_prefix}.reporting", passive=True)
        return int(queue.declaration_result.message_count or 0)


async def test_event_left_unpublished_by_a_crash_is_published_on_redelivery(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: object
) -> None:
    async with started(settings) as runtime:
        flaky = BrokerDownOnce(runtime.publisher)
        runtime.outbox._publisher = flaky  # the crash happens between commit and publish
        event = cause()

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await runtime.db["things"].insert_one({"_id": event.event_id}, session=session)
            return [consequence(event)]

        with pytest.raises(PublishError):
            await runtime.applier.apply(event, effect)
        assert await runtime.db["things"].count_documents({}) == 1
        assert await runtime.db["outbox"].count_documents({"published": False}) == 1

        # The broker redelivers the cause: nothing is applied twice, the event goes out.
        assert await runtime.applier.apply(event, effect) is False
        assert await runtime.db["things"].count_documents({}) == 1
        assert await runtime.db["outbox"].count_documents({"published": True}) == 1
        await eventually(lambda: reporting_depth(amqp, settings), until=lambda n: n == 1)


async def test_relay_publishes_what_nobody_else_did(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: object
) -> None:
    async with started(settings) as runtime:
        event = consequence(cause())
        async with runtime.client.start_session() as session:
            await runtime.outbox.stage(session, [event])
        assert await runtime.outbox.relay_pending(older_than=timedelta(0)) == 1
        assert await runtime.outbox.relay_pending(older_than=timedelta(0)) == 0
        await eventually(lambda: reporting_depth(amqp, settings), until=lambda n: n == 1)
