from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import aio_pika
import pytest
from pymongo import AsyncMongoClient

from shared.settings import Settings
from shared.topology import all_service_queues
from tests.support.infra import Infrastructure, infrastructure


@pytest.fixture(scope="session")
def infra() -> Iterator[Infrastructure]:
    with infrastructure() as running:
        yield running


@pytest.fixture
def settings(infra: Infrastructure) -> Settings:
    """Settings of one test: its own exchange, queues and databases, and quick retries."""
    name = f"t{uuid.uuid4().hex[:10]}"
    return Settings(
        environment="test",
        log_level="INFO",
        rabbitmq_url=infra.rabbitmq_url,
        mongodb_url=infra.mongodb_url,
        amqp_prefix=name,
        mongodb_db_prefix=name,
        retry_delays_seconds=(0.05, 0.1),
        delivery_limit=5,
        publish_timeout_seconds=3.0,
        outbox_relay_interval_seconds=0.2,
    )


@pytest.fixture
async def amqp(settings: Settings) -> AsyncIterator[aio_pika.abc.AbstractRobustConnection]:
    """A plain AMQP connection to inspect queues; removes the test's topology afterwards."""
    connection = await aio_pika.connect_robust(settings.rabbitmq_url.get_secret_value())
    yield connection
    await connection.close()
    # A fresh connection: a test may have had the broker drop the first one.
    cleanup = await aio_pika.connect(settings.rabbitmq_url.get_secret_value())
    async with cleanup, cleanup.channel() as channel:
        for queues in all_service_queues(settings):
            for queue in (queues.main, *queues.retries, queues.dead_letter):
                await channel.queue_delete(queue.name)
        await channel.exchange_delete(settings.exchange_name)


@pytest.fixture
async def mongo(settings: Settings) -> AsyncIterator[AsyncMongoClient[dict[str, object]]]:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        settings.mongodb_url.get_secret_value(), tz_aware=True, uuidRepresentation="standard"
    )
    yield client
    for name in await client.list_database_names():
        if name.startswith(settings.mongodb_db_prefix + "_"):
            await client.drop_database(name)
    await client.close()
