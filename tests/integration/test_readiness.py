"""`/ready` against the real broker and database: 503 naming what is down when the service's
link to the database or to the broker is cut, and 200 again once it is back, the service having
recovered on its own (and consuming again).

The shared RabbitMQ and database stay up (other tests use them): the service reaches each
through a relay on loopback, and cutting the relay drops its connections and refuses new ones,
which is what the service sees when a server or the network between goes away.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aio_pika
import httpx
import pytest

from services.reporting.main import create_app
from shared.settings import Settings
from shared.storage import database
from tests.support.lifespan import Running
from tests.support.link import Link, link_to
from tests.support.publishing import publish
from tests.support.reporting_harness import received, seed_directory
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


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
