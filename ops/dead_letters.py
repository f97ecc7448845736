"""The operator's view of the dead-letter queues: how many, why each died, and replay.

Reading never consumes: messages are fetched unacknowledged on a channel of their own and that
channel is then closed, which hands them back to the queue in their order (closing, unlike
``nack(requeue=True)``, does not count as a failed delivery against a quorum queue's delivery
limit on RabbitMQ 4). Replay publishes each message to its service's main queue through the
default exchange, waits for the broker's confirm, and only then acknowledges it in the
dead-letter queue: a command killed half-way leaves every message in one queue or the other,
at worst in both, which the idempotent consumers absorb.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage

from shared.logging import mask_personal_data, mask_text
from shared.messaging import ATTEMPT_HEADER, ERROR_HEADER, FAILED_AT_HEADER
from shared.settings import Settings
from shared.topology import SUBSCRIPTIONS, service_queues

REPLAYED_HEADER = "x-sigap-replayed"
REPLAYED_AT_HEADER = "x-sigap-replayed-at"
# Reset on replay so that the message gets every attempt again.
_RESET_HEADERS = (ATTEMPT_HEADER, ERROR_HEADER, FAILED_AT_HEADER, "x-delivery-count")
_BODY_PREVIEW = 500
_RETURN_TIMEOUT = 5.0


class UnknownServiceError(LookupError):
    def __init__(self, service: str) -> None:
        known = ", ".join(SUBSCRIPTIONS)
        super().__init__(f"layanan {service!r} tidak dikenal (pilih: {known})")
        self.service = service


@dataclass(frozen=True)
class DeadLetterQueueInfo:
    service: str
    queue: str
    messages: int
    exists: bool = True


@dataclass(frozen=True)
class DeadLetter:
    service: str
    position: int  # 1 = the next message replay would take
    event_id: str | None
    type: str | None
    clinic: str | None
    reason: str  # the consumer's error, or the broker's dead-letter reason
    attempts: int | None
    first_failed_at: datetime | None
    body: Any  # the decoded body with personal data masked (or masked text when not JSON)


def _queue_names(settings: Settings, service: str) -> tuple[str, str]:
    if service not in SUBSCRIPTIONS:
        raise UnknownServiceError(service)
    queues = service_queues(settings, service)
    return queues.main.name, queues.dead_letter.name


@asynccontextmanager
async def _connection(settings: Settings) -> AsyncIterator[AbstractConnection]:
    connection = await aio_pika.connect(settings.rabbitmq_url.get_secret_value())
    async with connection:
        yield connection


async def _message_count(connection: AbstractConnection, queue: str) -> int | None:
    """Messages waiting in ``queue``; None when it does not exist (the topology is undeclared)."""
    channel = await connection.channel()
    try:
        declared = await channel.declare_queue(queue, passive=True)
    except aio_pika.exceptions.ChannelClosed:
        return None  # a passive declare of a missing queue closes its channel
    finally:
        if not channel.is_closed:
            await channel.close()
    return int(declared.declaration_result.message_count or 0)


async def list_dead_letters(settings: Settings) -> list[DeadLetterQueueInfo]:
    """Every consuming service's dead-letter queue and how many messages wait in it."""
    infos: list[DeadLetterQueueInfo] = []
    async with _connection(settings) as connection:
        for service in SUBSCRIPTIONS:
            _main, queue = _queue_names(settings, service)
            count = await _message_count(connection, queue)
            infos.append(DeadLetterQueueInfo(service, queue, count or 0, exists=count is not None))
    return infos


async def _take(channel: AbstractChannel, queue: str, limit: int) -> list[AbstractIncomingMessage]:
    """Up to ``limit`` messages, unacknowledged: closing ``channel`` gives back the rest."""
    dlq = await channel.get_queue(queue, ensure=True)
    taken: list[AbstractIncomingMessage] = []
    while len(taken) < limit:
        message = await dlq.get(no_ack=False, fail=False)
        if message is None:
            break
        taken.append(message)
    return taken


async def inspect_dead_letters(
    settings: Settings, service: str, limit: int = 20
) -> list[DeadLetter]:
    """The first ``limit`` dead letters of ``service``, left in place and in order."""
    if limit < 1:
        raise ValueError("limit: harus 1 atau lebih")
    _main, queue = _queue_names(settings, service)
    async with _connection(settings) as connection:
        waiting = await _message_count(connection, queue)
        if waiting is None:
            raise LookupError(f"antrean {queue} belum ada (layanan belum pernah berjalan)")
        channel = await connection.channel()
        try:
            messages = await _take(channel, queue, limit)
            return [_describe(service, i, m) for i, m in enumerate(messages, start=1)]
        finally:
            await channel.close()  # hands every fetched message back, unacknowledged
            await _returned(connection, queue, waiting)


async def replay_dead_letters(
    settings: Settings,
    service: str,
    limit: int | None = None,
    event_id: str | None = None,
) -> int:
    """Move dead letters of ``service`` back to its main queue; returns how many moved.

    Only the messages present when the replay starts are considered, so a message that fails
    again at once and comes back to the dead-letter queue is not replayed a second time.
    """
    if limit is not None and limit < 1:
        raise ValueError("limit: harus 1 atau lebih")
    main, queue = _queue_names(settings, service)
    async with _connection(settings) as connection:
        waiting = await _message_count(connection, queue)
        if not waiting:
            return 0
        reader = await connection.channel()
        publisher = await connection.channel(publisher_confirms=True, on_return_raises=True)
        # Without a filter only the first ``limit`` are needed; a filter must look at all.
        wanted = waiting if event_id is not None or limit is None else min(waiting, limit)
        moved = 0
        try:
            for message in await _take(reader, queue, wanted):
                if limit is not None and moved >= limit:
                    break
                if event_id is not None and _event_id(message) != event_id:
                    continue  # stays unacknowledged: given back when the reader closes
                await _republish(publisher, main, message, settings.publish_timeout_seconds)
                await message.ack()
                moved += 1
        finally:
            await publisher.close()
            await reader.close()
            await _returned(connection, queue, waiting - moved)
    return moved


async def _returned(connection: AbstractConnection, queue: str, expected: int) -> None:
    """Wait until the broker has put back what a closed channel held (it does so after the
    close completes), so that the next look at the queue sees every message in its place."""
    deadline = asyncio.get_running_loop().time() + _RETURN_TIMEOUT
    while (await _message_count(connection, queue) or 0) < expected:
        if asyncio.get_running_loop().time() > deadline:
            return  # not lost: the broker returns them; the next look will see them
        await asyncio.sleep(0.02)


async def _republish(
    channel: AbstractChannel, queue: str, message: AbstractIncomingMessage, timeout: float
) -> None:
    headers: dict[str, Any] = {
        k: v for k, v in (message.headers or {}).items() if k not in _RESET_HEADERS
    }
    headers[REPLAYED_HEADER] = int(headers.get(REPLAYED_HEADER, 0) or 0) + 1
    headers[REPLAYED_AT_HEADER] = datetime.now(UTC).isoformat()
    confirm = await channel.default_exchange.publish(
        aio_pika.Message(
            message.body,
            headers=headers,
            content_type=message.content_type,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            type=message.type,
            app_id=message.app_id,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        ),
        routing_key=queue,
        mandatory=True,
        timeout=timeout,
    )
    if not isinstance(confirm, aiormq.spec.Basic.Ack):
        raise RuntimeError(f"broker tidak mengonfirmasi pesan {message.message_id}: {confirm!r}")


def _parsed(message: AbstractIncomingMessage) -> dict[str, Any] | None:
    try:
        body = json.loads(message.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _event_id(message: AbstractIncomingMessage) -> str | None:
    body = _parsed(message)
    found = body.get("event_id") if body else None
    return str(found) if found is not None else message.message_id


def _deaths(headers: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    deaths = headers.get("x-death")
    return [d for d in deaths if isinstance(d, Mapping)] if isinstance(deaths, list) else []


def _reason(headers: Mapping[str, Any]) -> str:
    error = headers.get(ERROR_HEADER)
    if error:
        return mask_text(_text(error))
    # Dead-lettered by the broker itself (delivery limit, rejection); "expired" entries are the
    # retry ladder's delays, not failures.
    for death in _deaths(headers):
        if _text(death.get("reason")) != "expired":
            return f"broker: {_text(death.get('reason'))} ({_text(death.get('queue'))})"
    return "tidak diketahui"


def _attempts(headers: Mapping[str, Any]) -> int | None:
    for key in (ATTEMPT_HEADER, "x-delivery-count"):
        value = headers.get(key)
        if isinstance(value, int):
            return value
    return None


def _first_failed_at(headers: Mapping[str, Any]) -> datetime | None:
    """The earliest failure on record: the first retry's delay or the final dead-lettering."""
    times = [d["time"] for d in _deaths(headers) if isinstance(d.get("time"), datetime)]
    failed_at = headers.get(FAILED_AT_HEADER)
    if failed_at:
        with suppress(ValueError):
            times.append(datetime.fromisoformat(_text(failed_at)))
    aware = [t if t.tzinfo else t.replace(tzinfo=UTC) for t in times]
    return min(aware, default=None)


def _text(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _describe(service: str, position: int, message: AbstractIncomingMessage) -> DeadLetter:
    headers: Mapping[str, Any] = message.headers or {}
    body = _parsed(message)
    if body is None:
        preview: Any = mask_text(message.body[:_BODY_PREVIEW].decode(errors="replace"))
    else:
        preview = dict(mask_personal_data(None, "", dict(body)))
    return DeadLetter(
        service=service,
        position=position,
        event_id=_event_id(message),
        type=_text(body["type"]) if body and body.get("type") else message.type,
        clinic=_text(body["clinic"]) if body and body.get("clinic") else None,
        reason=_reason(headers),
        attempts=_attempts(headers),
        first_failed_at=_first_failed_at(headers),
        body=preview,
    )
