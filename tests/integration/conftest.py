"""Services that several integration test modules run: each fixture starts one in the test
process against the test's own exchange and databases (tests/conftest.py)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import aio_pika
import pytest

from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.integration.triage_harness import Harness, running_triage
from tests.support.consumer import Handler, consuming
from tests.support.notify_harness import Mongo, Notify, running_notify
from tests.support.reporting_harness import Reporting, running_reporting


@pytest.fixture
async def triage(settings: Settings, amqp: object, mongo: object) -> AsyncIterator[Harness]:
    async with running_triage(settings) as harness:
        yield harness


@pytest.fixture
async def reporting(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Any
) -> AsyncIterator[Reporting]:
    async with running_reporting(settings, amqp) as running:
        yield running


@pytest.fixture
def start_notify(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Mongo
) -> Callable[..., contextlib.AbstractAsyncContextManager[Notify]]:
    """Starts notify with ``replicas`` app instances, inside the test, as it needs."""

    def start(replicas: int = 1) -> contextlib.AbstractAsyncContextManager[Notify]:
        return running_notify(settings, amqp, mongo, replicas)

    return start


@pytest.fixture
def start_consumer(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Any
) -> Callable[[Handler], contextlib.AbstractAsyncContextManager[ServiceRuntime]]:
    """Starts a consuming service with the handler a test gives (tests/support/consumer.py)."""

    def start(handler: Handler) -> contextlib.AbstractAsyncContextManager[ServiceRuntime]:
        return consuming(settings, handler)

    return start
