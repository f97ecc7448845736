"""The reliability run's own infrastructure: a private RabbitMQ node and a private database
server (both restarted by the test, so never the shared ones), and the four services as
processes against them.

`make test` runs a short version (SIGAP_RELIABILITY_COMPLAINTS, 300 by default);
`make test-reliability` runs it with 10,000 complaints.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ops.seed import seed_demo
from shared.settings import Settings
from tests.reliability.traffic import APP_SECRET, PUBLIC_BASE_URL, TWILIO_TOKEN
from tests.support.private_broker import PrivateBroker, private_broker, rabbitmq_installed
from tests.support.private_database import PrivateDatabase, private_database
from tests.support.service_processes import ServiceProcess, service_processes

PREFIX = "rel"
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)


@dataclass
class Stack:
    broker: PrivateBroker
    database: PrivateDatabase
    settings: Settings
    services: dict[str, ServiceProcess]
    logs: Path


def complaints_to_send() -> int:
    return int(os.environ.get("SIGAP_RELIABILITY_COMPLAINTS", "300"))


def service_environment(broker: PrivateBroker, database: PrivateDatabase) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SIGAP_")}
    return {
        **inherited,
        "SIGAP_ENVIRONMENT": "test",
        "SIGAP_LOG_LEVEL": "INFO",
        "SIGAP_RABBITMQ_URL": broker.url,
        "SIGAP_MONGODB_URL": database.url,
        "SIGAP_AMQP_PREFIX": PREFIX,
        "SIGAP_MONGODB_DB_PREFIX": PREFIX,
        "SIGAP_RETRY_DELAYS_SECONDS": json.dumps(RETRY_DELAYS),
        "SIGAP_PUBLISH_TIMEOUT_SECONDS": "3",
        # A handler notices the database is gone in 1.5 s, so that messages in hand run through
        # their retries during its outage and some reach a dead-letter queue to be replayed.
        "SIGAP_MONGODB_TIMEOUT_MS": "1500",
        "SIGAP_OUTBOX_RELAY_INTERVAL_SECONDS": "0.5",
        # One load generator is one client: lift the per-client limits for the run.
        "SIGAP_RATE_LIMIT_SUBMIT_PER_MINUTE": str(10**9),
        "SIGAP_RATE_LIMIT_WEBHOOK_PER_MINUTE": str(10**9),
        "SIGAP_WHATSAPP_APP_SECRET": APP_SECRET,
        "SIGAP_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "SIGAP_PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    if not rabbitmq_installed():
        pytest.fail("the reliability test needs rabbitmq-server installed (a private node)")
    with private_broker() as broker, private_database() as database:
        settings = Settings(
            environment="test",
            rabbitmq_url=broker.url,
            mongodb_url=database.url,
            amqp_prefix=PREFIX,
            mongodb_db_prefix=PREFIX,
            retry_delays_seconds=RETRY_DELAYS,
        )
        asyncio.run(seed_demo(settings))
        logs = tmp_path / "logs"
        with service_processes(service_environment(broker, database), logs) as services:
            yield Stack(broker, database, settings, services, logs)
