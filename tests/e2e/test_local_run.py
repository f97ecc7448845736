"""`make run` without Docker: the whole system as local processes behind one origin."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import aio_pika
import httpx
import pytest
from pymongo import MongoClient

from shared.settings import Settings
from shared.topology import all_service_queues
from tests.support.infra import Infrastructure, free_port

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


@dataclass(frozen=True)
class LocalStack:
    origin: str
    mongodb_url: str
    prefix: str


def wait_for(check: Callable[[], T], timeout: float, what: str) -> T:
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout}s")
        time.sleep(0.2)


async def delete_topology(settings: Settings) -> None:
    connection = await aio_pika.connect(settings.rabbitmq_url.get_secret_value())
    async with connection, connection.channel() as channel:
        for queues in all_service_queues(settings):
            for queue in (queues.main, *queues.retries, queues.dead_letter):
                await channel.queue_delete(queue.name)
        await channel.exchange_delete(settings.exchange_name)


@pytest.fixture
def local_stack(infra: Infrastructure, tmp_path: Path) -> Iterator[LocalStack]:
    http_port, db_port, base = free_port(), free_port(), free_port()
    prefix = f"run{base}"
    env = {
        **os.environ,
        "SIGAP_HTTP_PORT": str(http_port),
        "SIGAP_LOCAL_DB_PORT": str(db_port),
        "SIGAP_LOCAL_PORT_BASE": str(base),
        "SIGAP_STATE_DIR": str(tmp_path / "state"),
        "SIGAP_RABBITMQ_URL": infra.rabbitmq_url,
        "SIGAP_AMQP_PREFIX": prefix,
        "SIGAP_MONGODB_DB_PREFIX": prefix,
    }
    env.pop("SIGAP_MONGODB_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "ops.local_run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield LocalStack(
            f"http://127.0.0.1:{http_port}",
            f"mongodb://127.0.0.1:{db_port}/?directConnection=true",
            prefix,
        )
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
        print(output.decode(errors="replace"))
        asyncio.run(delete_topology(Settings(rabbitmq_url=infra.rabbitmq_url, amqp_prefix=prefix)))
    assert b"stopping database" in output
    assert process.returncode == 0


def test_make_run_serves_every_service_on_one_origin_and_stores_a_complaint(
    local_stack: LocalStack,
) -> None:
    with httpx.Client(base_url=local_stack.origin, timeout=5) as http:
        for service in ("intake", "triage", "notify", "reporting"):
            wait_for(
                lambda s=service: http.get(f"/{s}/ready").status_code == 200,  # type: ignore[misc]
                90,
                f"{service} ready through the gateway",
            )
        reply = http.post(
            "/api/v1/complaints",
            json={"clinic": "BNJR1", "kind": "keluhan", "text": "Toilet di ruang tunggu kotor"},
        )
        assert reply.status_code == 202, reply.text
        tracking_number = reply.json()["tracking_number"]

    with MongoClient(local_stack.mongodb_url, tz_aware=True) as client:
        complaints = client[f"{local_stack.prefix}_triage"]["complaints"]
        stored = wait_for(
            lambda: complaints.find_one({"tracking_number": tracking_number}), 10, "stored"
        )
    assert stored["clinic"] == "BNJR1"
    assert stored["category"] == "kebersihan_sarana"
