"""The backbone's delivery promises, proved against the real broker and database."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import aio_pika
import pytest

from shared.events import Actor, ComplaintReceived, ComplaintReceivedData, encode
from shared.messaging import ATTEMPT_HEADER, ERROR_HEADER
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.support.consumer import store_complaint
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def received_event(text: str = "Antrian pendaftaran lama sekali") -> ComplaintReceived:
    return ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number="PKM01-2611-ABCDEF",
            pin="123456",
            channel="web",
            kind="keluhan",
            text=text,
            received_at=datetime.now(UTC),
        ),
        district="banjarnegara",
        clinic="mandiraja1",
        actor=Actor(kind="public"),
        correlation_id=str(uuid.uuid4()),
    )


async def publish_raw(
    connection: aio_pika.abc.AbstractRobustConnection,
    settings: Settings,
    body: bytes,
    routing_key: str = "complaint.received",
) -> None:
    async with connection.channel() as channel:
        exchange = await channel.get_exchange(settings.exchange_name)
        await exchange.publish(
            aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=routing_key,
        )


async def dead_letters(
    connection: aio_pika.abc.AbstractRobustConnection, settings: Settings
) -> list[aio_pika.abc.AbstractIncomingMessage]:
    async with connection.channel() as channel:
        queue = await channel.get_queue(f"{settings.amqp_prefix}.triage.dlq")
        messages = []
        while (message := await queue.get(fail=False, no_ack=False)) is not None:
            messages.append(message)
        for message in messages:
            await message.nack(requeue=True)
        return messages


async def test_event_crosses_the_broker_and_lands_in_the_database(start_consumer, amqp, settings):
    async with start_consumer(store_complaint) as runtime:
        event = received_event()
        await runtime.publisher.publish(event)
        stored = await eventually(
            lambda: runtime.db["stored"].find_one({"_id": event.data.complaint_id}),
            what="complaint stored",
        )
        assert stored["text"] == event.data.text


async def test_same_event_delivered_twice_is_stored_once(start_consumer, amqp, settings):
    async with start_consumer(store_complaint) as runtime:
        event = received_event()
        for _ in range(3):
            await publish_raw(amqp, settings, encode(event))
        second = received_event("Obat di farmasi habis")
        await runtime.publisher.publish(second)
        await eventually(lambda: runtime.db["stored"].count_documents({}), until=lambda n: n >= 2)
        # all five deliveries were handled once the later event is stored and the queue is empty
        await eventually(
            lambda: runtime.db["processed_events"].count_documents({}), until=lambda n: n == 2
        )
        assert await runtime.db["stored"].count_documents({}) == 2


async def test_failing_handler_ends_in_dead_letter_queue_after_all_attempts(
    start_consumer, amqp, settings
):
    calls: list[str] = []

    async def always_fails(_runtime: ServiceRuntime, event: ComplaintReceived) -> None:
        calls.append(str(event.event_id))
        raise RuntimeError("database says no")

    async with start_consumer(always_fails) as runtime:
        event = received_event()
        await runtime.publisher.publish(event)
        letters = await eventually(lambda: dead_letters(amqp, settings), what="dead letter")
        assert len(letters) == 1
        assert letters[0].body == encode(event)
        assert letters[0].headers[ATTEMPT_HEADER] == settings.max_attempts
        assert "database says no" in str(letters[0].headers[ERROR_HEADER])
        assert calls == [str(event.event_id)] * settings.max_attempts


async def test_undecodable_message_goes_to_dead_letter_queue_at_once(
    start_consumer, amqp, settings
):
    calls: list[ComplaintReceived] = []

    async def record(_runtime: ServiceRuntime, event: ComplaintReceived) -> None:
        calls.append(event)

    async with start_consumer(record) as _runtime:
        await publish_raw(amqp, settings, b'{"type": "complaint.received", "schema_version": 99}')
        await publish_raw(amqp, settings, b"not json at all")
        letters = await eventually(
            lambda: dead_letters(amqp, settings), until=lambda m: len(m) == 2
        )
        assert {m.headers[ATTEMPT_HEADER] for m in letters} == {1}
        assert calls == []


async def test_handler_that_recovers_is_retried_until_it_succeeds(start_consumer, amqp, settings):
    attempts: list[int] = []

    async def flaky(runtime: ServiceRuntime, event: ComplaintReceived) -> None:
        attempts.append(1)
        if len(attempts) < settings.max_attempts:
            raise ConnectionError("transient")
        await store_complaint(runtime, event)

    async with start_consumer(flaky) as runtime:
        event = received_event()
        await runtime.publisher.publish(event)
        await eventually(
            lambda: runtime.db["stored"].find_one({"_id": event.data.complaint_id}),
            what="stored after retries",
        )
        assert len(attempts) == settings.max_attempts
        assert await dead_letters(amqp, settings) == []


def close_broker_connections(settings: Settings) -> None:
    """Have the broker drop every connection of this test run's vhost (no one else's)."""
    vhost = unquote(urlsplit(settings.rabbitmq_url.get_secret_value()).path.lstrip("/")) or "/"
    subprocess.run(
        ["rabbitmqctl", "close_all_connections", "-p", vhost, "test: connection drop"],
        check=True,
        capture_output=True,
        timeout=60,
    )


async def test_consumer_survives_a_broker_connection_drop(start_consumer, amqp, settings, infra):
    if infra.kind != "local":
        pytest.fail("connection drop test drives the local broker with rabbitmqctl")
    async with start_consumer(store_complaint) as runtime:
        first = received_event()
        await runtime.publisher.publish(first)
        await eventually(lambda: runtime.db["stored"].count_documents({}), until=lambda n: n == 1)

        await asyncio.to_thread(close_broker_connections, settings)

        second = received_event("Toilet kotor")

        async def publish_when_reconnected() -> bool:
            try:
                await runtime.publisher.publish(second)
            except Exception:  # noqa: BLE001 — still reconnecting
                return False
            return True

        await eventually(publish_when_reconnected, timeout=30, interval=0.5, what="reconnected")
        await eventually(
            lambda: runtime.db["stored"].count_documents({}),
            until=lambda n: n == 2,
            timeout=30,
            what="second complaint consumed after reconnect",
        )
