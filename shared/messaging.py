"""The one publisher (persistent, confirmed) and the one consumer (ack after the write,
retry with growing delay, dead-letter after the last attempt)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import aiormq
from fastapi.exceptions import RequestValidationError
from faststream import AckPolicy, BaseMiddleware
from faststream.rabbit import Channel, RabbitBroker
from faststream.rabbit.message import RabbitMessage

from shared.events import Event, UndecodableEventError, encode
from shared.events.registry import decode_object
from shared.logging import bind_correlation, get_logger
from shared.settings import Settings
from shared.topology import (
    UPLINK_BINDINGS,
    ServiceQueues,
    all_service_queues,
    events_exchange,
    service_queues,
    uplink_queue,
)

log = get_logger(__name__)

ATTEMPT_HEADER = "x-sigap-attempt"
ERROR_HEADER = "x-sigap-error"
SERVICE_HEADER = "x-sigap-service"
FAILED_AT_HEADER = "x-sigap-failed-at"

E = TypeVar("E", bound=Event)
Handler = Callable[[Any], Awaitable[None]]


class PublishError(RuntimeError):
    """The broker did not confirm a message: the caller must not report success."""


class Publisher(Protocol):
    async def publish(self, event: Event) -> None: ...


def make_broker(settings: Settings, consumer: EventConsumer | None = None) -> RabbitBroker:
    return RabbitBroker(
        settings.rabbitmq_url.get_secret_value(),
        # Publisher confirms are on by default; unroutable (mandatory) messages must raise too.
        default_channel=Channel(
            prefetch_count=settings.prefetch_count, publisher_confirms=True, on_return_raises=True
        ),
        middlewares=[consumer.middleware] if consumer else (),
        logger=None,  # structlog logs what matters; FastStream's per-message log costs ~20%
        graceful_timeout=15.0,
        reconnect_interval=1.0,
        app_id="sigap",
    )


async def declare_topology(broker: RabbitBroker, settings: Settings) -> None:
    """Declare the exchange and every service's queues and bindings (idempotent)."""
    exchange = await broker.declare_exchange(events_exchange(settings))
    for queues in all_service_queues(settings):
        main = await broker.declare_queue(queues.main)
        for pattern in queues.bindings:
            await main.bind(exchange, routing_key=pattern)
        for retry in queues.retries:
            await broker.declare_queue(retry)
        await broker.declare_queue(queues.dead_letter)
    if settings.edge_uplink:
        uplink = await broker.declare_queue(uplink_queue(settings))
        for pattern in UPLINK_BINDINGS:
            await uplink.bind(exchange, routing_key=pattern)


class RabbitPublisher:
    """Publishes events to the exchange as persistent messages and waits for the confirm."""

    def __init__(self, broker: RabbitBroker, settings: Settings) -> None:
        self._broker = broker
        self._exchange = events_exchange(settings)
        self._timeout = settings.publish_timeout_seconds

    async def publish(self, event: Event) -> None:
        try:
            confirm = await self._broker.publish(
                encode(event),
                exchange=self._exchange,
                routing_key=event.routing_key,
                persist=True,
                mandatory=True,
                timeout=self._timeout,
                message_id=str(event.event_id),
                correlation_id=event.correlation_id,
                content_type="application/json",
                message_type=event.type,
                headers={"schema_version": event.schema_version},
            )
        except Exception as exc:  # lost connection, timeout, unroutable…
            raise PublishError(f"{event.type} {event.event_id} not confirmed: {exc}") from exc
        if not isinstance(confirm, aiormq.spec.Basic.Ack):
            raise PublishError(f"{event.type} {event.event_id} not confirmed: {confirm!r}")


class EventConsumer:
    """One service's consumer: typed handlers per event, over one queue.

    Protocol per message: decode → handler (which writes, idempotently) → ack. When the
    handler raises, the message is republished (confirmed) to the next delay queue and only
    then acknowledged; after the last attempt, or at once for a message no model can decode,
    it goes to the dead-letter queue instead. If even that republish fails, the message is
    returned to the queue, and the broker's delivery limit dead-letters it in the end.
    """

    def __init__(self, service: str, settings: Settings) -> None:
        self.service = service
        self.queues: ServiceQueues = service_queues(settings, service)
        self._settings = settings
        self._handlers: dict[str, Handler] = {}
        self._broker: RabbitBroker | None = None

    def handles(self, model: type[E]) -> Callable[[Callable[[E], Awaitable[None]]], Handler]:
        event_type: str = model.model_fields["type"].default

        def register(handler: Callable[[E], Awaitable[None]]) -> Handler:
            if event_type in self._handlers:
                raise RuntimeError(f"{self.service} handles {event_type} twice")
            self._handlers[event_type] = handler
            return handler

        return register

    @property
    def handled_types(self) -> frozenset[str]:
        return frozenset(self._handlers)

    async def dispatch(self, body: dict[str, Any]) -> None:
        event = decode_object(body)
        bind_correlation(event.correlation_id, event_id=str(event.event_id), event_type=event.type)
        handler = self._handlers.get(event.type)
        if handler is None:
            log.debug("event.ignored")  # a wildcard binding brings events this service skips
            return
        started = time.perf_counter()
        await handler(event)
        log.info("event.handled", ms=round((time.perf_counter() - started) * 1000, 2))

    def subscribe(self, broker: RabbitBroker) -> None:
        self._broker = broker
        dispatch = self.dispatch

        @broker.subscriber(
            self.queues.main,
            ack_policy=AckPolicy.MANUAL,
            title=f"{self.service}:events",
            description=f"Domain events consumed by the {self.service} service.",
        )
        async def consume(body: dict[str, Any]) -> None:
            await dispatch(body)

    @property
    def middleware(self) -> Callable[..., BaseMiddleware]:
        consumer = self

        class ReliableConsumption(BaseMiddleware):
            async def consume_scope(self, call_next: Any, msg: Any) -> Any:
                return await consumer._consume(call_next, msg)

        return ReliableConsumption

    async def _consume(self, call_next: Any, msg: RabbitMessage) -> Any:
        try:
            result = await call_next(msg)
        except Exception as exc:  # noqa: BLE001 — every failure goes to retry or dead letter
            await self._after_failure(msg, exc)
            return None
        await msg.ack()
        return result

    async def _after_failure(self, msg: RabbitMessage, exc: Exception) -> None:
        attempt = int(msg.headers.get(ATTEMPT_HEADER, 1))
        poison = isinstance(exc, UndecodableEventError | RequestValidationError)
        if poison or attempt >= self._settings.max_attempts:
            target, next_attempt = self.queues.dead_letter, attempt
        else:
            target, next_attempt = self.queues.retries[attempt - 1], attempt + 1
        error = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning(
            "event.failed",
            attempt=attempt,
            to=target.name,
            error=error,
            exc_info=not poison,
        )
        headers = {
            **msg.headers,
            ATTEMPT_HEADER: next_attempt,
            ERROR_HEADER: error,
            SERVICE_HEADER: self.service,
            FAILED_AT_HEADER: datetime.now(UTC).isoformat(),
        }
        try:
            await self._republish(msg, target.name, headers)
        except Exception:  # the broker keeps it; its delivery limit is the net
            log.exception("event.requeued_after_failed_republish")
            await msg.nack(requeue=True)
            return
        await msg.ack()

    async def _republish(self, msg: RabbitMessage, queue: str, headers: dict[str, Any]) -> None:
        if self._broker is None:
            raise RuntimeError("consumer is not subscribed to a broker")
        raw = msg.raw_message
        confirm = await self._broker.publish(
            msg.body,
            queue=queue,
            persist=True,
            mandatory=True,
            timeout=self._settings.publish_timeout_seconds,
            headers=headers,
            message_id=raw.message_id,
            correlation_id=raw.correlation_id,
            content_type=raw.content_type,
            message_type=raw.type,
        )
        if not isinstance(confirm, aiormq.spec.Basic.Ack):
            raise PublishError(f"republish to {queue} not confirmed: {confirm!r}")
