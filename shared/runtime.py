"""What every service is made of at run time: settings, logging, the Mongo client, the broker,
the publisher, the outbox and (for consumers) the event consumer — wired once, here."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from faststream.rabbit import RabbitBroker
from faststream_fastapi import FastStreamAPI

from shared.audit import AuditLog
from shared.auth import TokenCodec
from shared.background import stop
from shared.directory import Directory
from shared.http import CorrelationMiddleware, install_error_handlers
from shared.idempotency import IdempotentApplier
from shared.logging import configure_logging, get_logger
from shared.messaging import EventConsumer, RabbitPublisher, declare_topology, make_broker
from shared.metrics import (
    CountingPublisher,
    HttpMetricsMiddleware,
    QueueLagProbe,
    ServiceMetrics,
    metrics_router,
)
from shared.outbox import Outbox
from shared.sessions import RevocationStore
from shared.settings import Settings
from shared.storage import create_client, database, ensure_indexes, ping
from shared.tracing import instrument_broker, instrument_http, tracer_provider

log = get_logger(__name__)
StartupHook = Callable[[], Awaitable[None]]
# Each check of /ready gives up after this long (both run at once), so that a probe gets its 503
# before its own timeout (3 s in the compose healthchecks) instead of waiting for the database
# driver's server selection (SIGAP_MONGODB_TIMEOUT_MS).
READY_CHECK_SECONDS = 2.0


class ServiceRuntime:
    def __init__(self, service: str, settings: Settings, *, consumes: bool = True) -> None:
        configure_logging(service, settings.log_level, settings.log_format)
        self.service = service
        self.settings = settings
        self.client = create_client(settings)
        self.db = database(self.client, settings, service)
        self.directory_db = database(self.client, settings, "directory")
        self.directory = Directory(self.directory_db)
        self.consumer = EventConsumer(service, settings) if consumes else None
        self.metrics = ServiceMetrics(service)
        self.tracer_provider = tracer_provider(settings, service)
        self.broker: RabbitBroker = make_broker(settings, self.consumer)
        # Innermost, so that FastStream's metrics see a handler's error before the retry path
        # takes it; tracing outermost, so that the consumer span encloses everything.
        self.broker.add_middleware(self.metrics.broker_middleware())
        if self.tracer_provider is not None:
            instrument_broker(self.broker, self.tracer_provider)
        self.publisher = CountingPublisher(RabbitPublisher(self.broker, settings), self.metrics)
        self.outbox = Outbox(self.db, self.publisher)
        self.applier = IdempotentApplier(self.client, self.db, self.outbox)
        self._startup_hooks: list[StartupHook] = []
        self._background: list[asyncio.Task[Any]] = []

    def on_startup(self, hook: StartupHook) -> None:
        self._startup_hooks.append(hook)

    def asgi(self, *routers: APIRouter, title: str) -> FastStreamAPI:
        """The service's ASGI application: its routes, /health, /ready, /metrics, and the
        broker."""
        if self.consumer is not None:
            self.consumer.subscribe(self.broker)
        api = FastAPI(title=title, lifespan=self._lifespan)
        api.state.tokens = TokenCodec(
            self.settings.auth_secret.get_secret_value(),
            issuer=self.settings.auth_issuer,
            audience=self.settings.auth_audience,
        )
        # Logout and password change end sessions in every service; privileged reads are audited.
        api.state.revocations = RevocationStore(self.directory_db)
        api.state.audit = AuditLog(self.directory_db)
        api.add_middleware(CorrelationMiddleware)
        api.add_middleware(HttpMetricsMiddleware, metrics=self.metrics)
        install_error_handlers(api)
        api.include_router(self._health_router())
        probe = (
            QueueLagProbe(self.broker, self.consumer.queues, self.metrics)
            if self.consumer is not None
            else None
        )
        token = self.settings.metrics_token.get_secret_value()
        api.include_router(metrics_router(self.metrics, probe, token))
        if self.tracer_provider is not None:
            instrument_http(api, self.tracer_provider)
        for router in routers:
            api.include_router(router)
        return FastStreamAPI(
            self.broker,
            application=api,
            connection_hook=self._connect_broker,
            safe_connection=True,  # a service that cannot reach the broker must not pretend
            asyncapi_path="/asyncapi",
        )

    async def _connect_broker(self, broker: RabbitBroker) -> None:
        delay = 0.5
        for attempt in range(1, 31):
            try:
                await broker.connect()
                break
            except Exception as exc:  # noqa: BLE001 — the broker may still be starting
                log.warning("broker.unreachable", attempt=attempt, error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        else:
            raise RuntimeError("RabbitMQ unreachable")
        await declare_topology(broker, self.settings)
        await broker.start()
        log.info("broker.started")

    @asynccontextmanager
    async def _lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        await ensure_indexes(self.db, self.service)
        await ensure_indexes(database(self.client, self.settings, "directory"), "directory")
        for hook in self._startup_hooks:
            await hook()
        interval = self.settings.outbox_relay_interval_seconds
        self._background.append(asyncio.create_task(self.outbox.run_relay(interval)))
        log.info("service.started")
        try:
            yield
        finally:
            await stop(self._background)
            await self.client.close()
            if self.tracer_provider is not None:
                await asyncio.to_thread(self.tracer_provider.shutdown)  # flushes queued spans

    def _health_router(self) -> APIRouter:
        router = APIRouter(tags=["health"])

        @router.get("/health")
        async def health() -> dict[str, str]:
            return {"status": "ok", "service": self.service}

        @router.get("/ready", response_model=None)
        async def ready() -> dict[str, Any] | JSONResponse:
            broker, database_up = await asyncio.gather(
                self.broker.ping(timeout=READY_CHECK_SECONDS), self._database_reachable()
            )
            checks = {"broker": broker, "database": database_up}
            body = {"status": "ok" if all(checks.values()) else "unavailable", **checks}
            return body if all(checks.values()) else JSONResponse(body, status_code=503)

        return router

    async def _database_reachable(self) -> bool:
        try:
            await asyncio.wait_for(ping(self.client), READY_CHECK_SECONDS)
        except Exception:  # noqa: BLE001 — reported as not ready, not raised
            return False
        return True
