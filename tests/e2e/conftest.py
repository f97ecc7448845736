from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from ops.seed import seed_demo
from services.intake.main import create_app as create_intake
from services.notify.main import create_app as create_notify
from services.reporting.main import create_app as create_reporting
from services.triage.main import create_app as create_triage
from shared.settings import Settings
from tests.support.lifespan import Running


@dataclass
class System:
    intake: httpx.AsyncClient
    triage: httpx.AsyncClient
    notify: httpx.AsyncClient
    reporting: httpx.AsyncClient


@pytest.fixture
async def system(settings: Settings, amqp: object, mongo: object) -> AsyncIterator[System]:
    """All four services running in this process against the real broker and database."""
    await seed_demo(settings)
    factories = (create_intake, create_triage, create_notify, create_reporting)
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for factory in factories:
            app = await stack.enter_async_context(Running(factory(settings)))
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app.app), base_url="http://sigap.test"
            )
            clients.append(await stack.enter_async_context(client))
        yield System(*clients)
