"""The raw limits SIGAP's pipeline is measured against, on this machine, in one run:

- publish with confirms through aio-pika, awaiting each confirm and with many in flight;
- consume with manual ack;
- insert into the database one by one and in batches.

Messages are the size of a real `complaint.received` event. Run: `python -m bench.broker_limit`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import aio_pika
from pymongo import AsyncMongoClient

from bench.infra import database
from shared.events import Actor, ComplaintReceived, ComplaintReceivedData, Reporter, encode


def sample_event() -> bytes:
    return encode(
        ComplaintReceived.create(
            ComplaintReceivedData(
                complaint_id=uuid.uuid4(),
                tracking_number="MDRJ1-2611-7KQ4-M9XP",
                pin="123456",
                channel="web",
                kind="keluhan",
                text="Antrian di pendaftaran lama sekali, sudah dua jam belum dipanggil. " * 3,
                reporter=Reporter(name="Siti Aminah", phone="+6281234567890"),
                received_at=datetime.now(UTC),
            ),
            district="banjarnegara",
            clinic="MDRJ1",
            actor=Actor(kind="public"),
            correlation_id=str(uuid.uuid4()),
        )
    )


def sample_size() -> int:
    return len(sample_event())


async def publish_rate(url: str, n: int, in_flight: int) -> tuple[float, float]:
    body = sample_event()
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(
            f"bench.limit.{uuid.uuid4().hex[:8]}",
            durable=True,
            arguments={"x-queue-type": "quorum"},
        )
        semaphore = asyncio.Semaphore(in_flight)

        async def one() -> None:
            async with semaphore:
                await channel.default_exchange.publish(
                    aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                    routing_key=queue.name,
                )

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        elapsed = time.perf_counter() - started
        consumed = await consume_rate(channel, queue, n)
        await queue.delete(if_unused=False, if_empty=False)
    return n / elapsed, consumed


async def consume_rate(
    channel: aio_pika.abc.AbstractChannel, queue: aio_pika.abc.AbstractQueue, n: int
) -> float:
    await channel.set_qos(prefetch_count=300)
    done = asyncio.Event()
    count = 0

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal count
        json.loads(message.body)
        await message.ack()
        count += 1
        if count == n:
            done.set()

    started = time.perf_counter()
    tag = await queue.consume(on_message)
    await done.wait()
    elapsed = time.perf_counter() - started
    await queue.cancel(tag)
    return n / elapsed


async def insert_rates(url: str, n: int) -> tuple[float, float]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    db = client[f"bench_limit_{uuid.uuid4().hex[:8]}"]
    doc = json.loads(sample_event())
    try:
        started = time.perf_counter()
        for _ in range(n):
            await db.one.insert_one({**doc, "_id": uuid.uuid4().hex})
        single = n / (time.perf_counter() - started)
        batch = [{**doc, "_id": uuid.uuid4().hex} for _ in range(n * 5)]
        started = time.perf_counter()
        for start in range(0, len(batch), 1000):
            await db.many.insert_many(batch[start : start + 1000], ordered=False)
        many = len(batch) / (time.perf_counter() - started)
    finally:
        await client.drop_database(db.name)
        await client.close()
    return single, many


async def limits(rabbitmq: str, mongodb: str, n: int) -> dict[str, float]:
    """Every raw limit, in messages or documents per second."""
    single, _ = await publish_rate(rabbitmq, n // 5, in_flight=1)
    batched, consumed = await publish_rate(rabbitmq, n, in_flight=1000)
    insert_one, insert_many = await insert_rates(mongodb, n // 5)
    return {
        "publish, awaiting each confirm": single,
        "publish, 1,000 confirms in flight": batched,
        "consume, manual ack, prefetch 300": consumed,
        "database insert_one, one by one": insert_one,
        "database insert_many, batches of 1,000": insert_many,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rabbitmq", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--mongodb", default=None, help="default: :27018, else started here")
    parser.add_argument("-n", type=int, default=5000)
    args = parser.parse_args()
    print(f"message size: {len(sample_event())} bytes")
    with database(args.mongodb) as mongodb:
        for what, rate in (await limits(args.rabbitmq, mongodb, args.n)).items():
            print(f"{what:<40} {rate:8,.0f}/s")


if __name__ == "__main__":
    asyncio.run(main())
