"""`/ready` against the real broker and database: 503 naming what is down when the service's
link to the database or to the broker is cut, and 200 again once it is back, the service having
recovered on its own (and consuming again).

The shared RabbitMQ and database stay up (other tests use them): the service reaches each
through a relay on loopback, and cutting the relay drops its connections and refuses new ones,
which is what the service sees when a server or the network between goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aio_pika
import httpx
import pytest

from services.reporting.main import create_app
from shared.settings import Settings
from shared.storage import database
from tests.support.lifespan import Running
from tests.support.publishing import publish
from tests.support.reporting_harness import received, seed_directory
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


class Link:
    """A TCP relay on loopback to one server. ``cut()`` drops every relayed connection and
    refuses new ones (accepted, then closed at once) until ``mend()``."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.up = True
        self.port = 0
        self._open: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        self.up = False
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    def mend(self) -> None:
        self.up = True

    def rewrite(self, url: str) -> str:
        """``url`` with its host and port replaced by this relay's."""
        parts = urlsplit(url)
        credentials, _, _ = parts.netloc.rpartition("@")
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.up:
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._open.update((writer, upstream_writer))
        await asyncio.gather(
            self._pipe(reader, upstream_writer),
            self._pipe(upstream_reader, writer),
            return_exceptions=True,
        )

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while chunk := await source.read(65536):
                sink.write(chunk)
                await sink.drain()
        finally:
            self._open.discard(sink)
            sink.transport.abort()


@contextlib.asynccontextmanager
async def link_to(url: str) -> AsyncIterator[Link]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None, url
    link = Link(parts.hostname, parts.port)
    await link.start()
    try:
        yield link
    finally:
        await link.stop()


@contextlib.asynccontextmanager
async def reporting_through(
    settings: Settings, *, broker: Link | None = None, db: Link | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """Reporting (a consuming service) reaching the broker and/or the database through links."""
    changes: dict[str, Any] = {}
    if broker is not None:
        changes["rabbitmq_url"] = broker.rewrite(settings.rabbitmq_url.get_secret_value())
    if db is not None:
        changes["mongodb_url"] = db.rewrite(settings.mongodb_url.get_secret_value())
    linked = Settings(**{**settings.model_dump(), **changes})
    await seed_directory(settings)
    async with Running(create_app(linked)) as running:
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            yield client


async def readiness(client: httpx.AsyncClient) -> tuple[int, dict[str, Any]]:
    answer = await client.get("/ready")
    return answer.status_code, answer.json()


async def unready(client: httpx.AsyncClient) -> dict[str, Any]:
    """The body of the first 503 (the service notices a lost connection a moment after it goes)."""
    _, body = await eventually(
        lambda: readiness(client), until=lambda r: r[0] == 503, what="/ready answering 503"
    )
    return body


async def ready_again(client: httpx.AsyncClient) -> None:
    await eventually(
        lambda: readiness(client),
        until=lambda r: r == (200, {"status": "ok", "broker": True, "database": True}),
        timeout=60,
        what="/ready answering 200 again",
    )


async def test_a_cut_database_makes_ready_answer_503_naming_it_and_200_once_back(
    settings: Settings, amqp: Any, mongo: Any
) -> None:
    async with (
        link_to(settings.mongodb_url.get_secret_value()) as db,
        reporting_through(settings, db=db) as client,
    ):
        assert await readiness(client) == (200, {"status": "ok", "broker": True, "database": True})
        db.cut()
        assert await unready(client) == {"status": "unavailable", "broker": True, "database": False}
        db.mend()
        await ready_again(client)


async def test_a_lost_broker_connection_makes_ready_answer_503_naming_it_and_the_service_recovers(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Any
) -> None:
    async with (
        link_to(settings.rabbitmq_url.get_secret_value()) as broker,
        reporting_through(settings, broker=broker) as client,
    ):
        assert (await readiness(client))[0] == 200
        broker.cut()
        assert await unready(client) == {"status": "unavailable", "broker": False, "database": True}
        broker.mend()
        await ready_again(client)
        # The connection came back with its consumers: an event published now is applied.
        at = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
        await publish(amqp, settings, received(None, "anonim", "Antrean lama", at))
        applied = database(mongo, settings, "reporting")["processed_events"]
        await eventually(
            lambda: applied.count_documents({}), until=lambda n: n == 1, what="event applied"
        )
