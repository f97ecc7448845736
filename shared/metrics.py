"""Prometheus metrics of one service process: HTTP requests, FastStream's broker metrics, the
business facts counted where every event leaves the process, and the lag of the service's
queues read from the broker at scrape time.

Each runtime owns its own registry (several services can share a test process). GET /metrics
is internal: it answers 404 to a request that came through the public proxy (nginx and
ops.gateway always set X-Forwarded-For) and, when SIGAP_METRICS_TOKEN is set, asks for it as a
bearer token.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from faststream.rabbit import RabbitBroker
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.events import Event
from shared.logging import get_logger
from shared.messaging import Publisher
from shared.topology import ServiceQueues

log = get_logger(__name__)

# A scrape waits at most this long for the broker; the lag of a slow scrape is left out.
QUEUE_PROBE_TIMEOUT_SECONDS = 2.0
# Scrapes closer together than this reuse the last reading (several Prometheus servers, or a
# person refreshing the page, must not turn into a stream of queue declarations).
QUEUE_PROBE_MIN_INTERVAL_SECONDS = 5.0


class ServiceMetrics:
    """The metrics of one service process, in its own registry."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_requests = Counter(
            "sigap_http_requests",
            "HTTP requests answered, by route template and status code.",
            ("method", "route", "status"),
            registry=r,
        )
        self.http_duration = Histogram(
            "sigap_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ("method", "route"),
            registry=r,
        )
        self.events_published = Counter(
            "sigap_events_published",
            "Events confirmed by the broker, by event type.",
            ("type",),
            registry=r,
        )
        self.publish_failures = Counter(
            "sigap_events_publish_failed",
            "Events the broker did not confirm, by event type.",
            ("type",),
            registry=r,
        )
        self.complaints_received = Counter(
            "sigap_complaints_received",
            "Feedback accepted at intake (complaint.received), by channel and kind.",
            ("channel", "kind"),
            registry=r,
        )
        self.deadlines_missed = Counter(
            "sigap_deadlines_missed",
            "Deadlines missed (complaint.deadline_missed), by deadline.",
            ("deadline",),
            registry=r,
        )
        self.notifications_failed = Counter(
            "sigap_notifications_failed",
            "Messages that could not be sent (notification.failed), by channel and whether "
            "the failure is permanent.",
            ("channel", "permanent"),
            registry=r,
        )
        self.queue_messages = Gauge(
            "sigap_queue_messages_ready",
            "Messages waiting in this service's queues, read from the broker at scrape time.",
            ("queue", "role"),
            registry=r,
        )
        self.queue_consumers = Gauge(
            "sigap_queue_consumers",
            "Consumers attached to this service's queues, read at scrape time.",
            ("queue", "role"),
            registry=r,
        )
        self.queue_probe_ok = Gauge(
            "sigap_queue_probe_success",
            "1 when the last queue reading succeeded, 0 when the broker did not answer.",
            registry=r,
        )
        self._facts: dict[str, Callable[[Any], None]] = {
            "complaint.received": lambda data: self.complaints_received.labels(
                data.channel, data.kind
            ).inc(),
            "complaint.deadline_missed": lambda data: self.deadlines_missed.labels(
                data.deadline
            ).inc(),
            "notification.failed": lambda data: self.notifications_failed.labels(
                data.channel, str(data.permanent).lower()
            ).inc(),
        }

    def record_published(self, event: Event) -> None:
        """Count one confirmed event, and the business fact it is, if it is one."""
        self.events_published.labels(event.type).inc()
        fact = self._facts.get(event.type)
        if fact is not None:
            fact(event.data)

    def broker_middleware(self) -> RabbitPrometheusMiddleware:
        """FastStream's own consume/publish metrics (faststream_* series) in this registry."""
        return RabbitPrometheusMiddleware(registry=self.registry, app_name=self.service)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class CountingPublisher:
    """The service's publisher, counting what the broker confirmed: every event a service
    emits passes here (intake directly, the others through the outbox), so each business fact
    is counted once, by the process that published it. A rare outbox re-publish after a crash
    counts twice: the counters are 'at least', like the delivery."""

    def __init__(self, inner: Publisher, metrics: ServiceMetrics) -> None:
        self._inner = inner
        self._metrics = metrics

    async def publish(self, event: Event) -> None:
        try:
            await self._inner.publish(event)
        except Exception:
            self._metrics.publish_failures.labels(event.type).inc()
            raise
        self._metrics.record_published(event)


class QueueLagProbe:
    """Reads ready messages and consumers of one service's queues by passive declaration."""

    def __init__(
        self,
        broker: RabbitBroker,
        queues: ServiceQueues,
        metrics: ServiceMetrics,
        min_interval: float = QUEUE_PROBE_MIN_INTERVAL_SECONDS,
    ) -> None:
        self._broker = broker
        self._min_interval = min_interval
        self._metrics = metrics
        self._queues: list[tuple[str, str]] = [
            (queues.main.name, "main"),
            *((retry.name, "retry") for retry in queues.retries),
            (queues.dead_letter.name, "dead_letter"),
        ]
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        async with self._lock:
            if time.monotonic() - self._read_at < self._min_interval:
                return
            try:
                async with asyncio.timeout(QUEUE_PROBE_TIMEOUT_SECONDS):
                    await self._read()
            except Exception as exc:  # noqa: BLE001 — a scrape reports the failure, never raises
                log.warning("metrics.queue_probe_failed", error=str(exc))
                self._metrics.queue_probe_ok.set(0)
                return
            self._metrics.queue_probe_ok.set(1)
            self._read_at = time.monotonic()

    async def _read(self) -> None:
        if not self._broker.running:
            raise RuntimeError("broker not started")
        connection = await self._broker.connect()  # the broker's own connection, one channel
        async with connection.channel(publisher_confirms=False) as channel:
            for name, role in self._queues:
                declared = await channel.declare_queue(name, passive=True, robust=False)
                result = declared.declaration_result
                self._metrics.queue_messages.labels(name, role).set(result.message_count or 0)
                self._metrics.queue_consumers.labels(name, role).set(result.consumer_count or 0)


class HttpMetricsMiddleware:
    """Counts and times every HTTP request by its route template (bounded label values)."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = str(scope.get("method", ""))
            self.metrics.http_requests.labels(method, route, str(status)).inc()
            self.metrics.http_duration.labels(method, route).observe(time.perf_counter() - started)


def metrics_router(metrics: ServiceMetrics, probe: QueueLagProbe | None, token: str) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/metrics", include_in_schema=False)
    async def scrape(request: Request) -> Response:
        if "x-forwarded-for" in request.headers:  # came through the public proxy
            return Response(status_code=404)
        if token and not _bearer_matches(request.headers.get("authorization", ""), token):
            return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
        if probe is not None:
            await probe.refresh()
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return router


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, value = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip(), token)
