"""A database that cannot be reached gets a 503 with Retry-After (nothing was done, try again),
never a 500: the public API in its JSON error shape, a web form as a page that says so. Once
the database is back the same submission is accepted.

The shared database stays up (other tests use it): intake reaches it through a relay on
loopback, which the test cuts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.intake.main import create_app
from shared.http import DATABASE_UNAVAILABLE
from shared.settings import Settings
from tests.integration.test_intake_fixtures import PUBLIC_BASE_URL, intake_settings, seed
from tests.support.lifespan import Running
from tests.support.link import Link, link_to

pytestmark = pytest.mark.integration
COMPLAINT = {"clinic": "MDRJ1", "kind": "keluhan", "text": "Ruang tunggu panas sekali"}


@pytest.fixture
async def intake(
    settings: Settings, amqp: Any, mongo: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, Link]]:
    configured = intake_settings(settings)
    await seed(configured)
    async with link_to(configured.mongodb_url.get_secret_value()) as db:
        linked = configured.model_copy(
            update={
                "mongodb_url": type(configured.mongodb_url)(
                    db.rewrite(configured.mongodb_url.get_secret_value())
                ),
                "mongodb_timeout_ms": 1000,  # a cut link is noticed at once
            }
        )
        async with Running(create_app(linked)) as running:
            transport = httpx.ASGITransport(app=running.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_BASE_URL) as client:
                yield client, db


async def test_a_complaint_sent_while_the_database_is_unreachable_gets_503_then_is_accepted(
    intake: tuple[httpx.AsyncClient, Link],
) -> None:
    client, db = intake
    assert (await client.post("/api/v1/complaints", json=COMPLAINT)).status_code == 202
    db.cut()
    refused = await client.post("/api/v1/complaints", json=COMPLAINT)
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"]
    assert refused.json() == {"detail": DATABASE_UNAVAILABLE, "errors": []}
    page = await client.get("/lacak", headers={"accept": "text/html"})
    assert page.status_code == 200  # a page that needs no database still answers
    db.mend()
    assert (await client.post("/api/v1/complaints", json=COMPLAINT)).status_code == 202


async def test_a_web_form_sent_while_the_database_is_unreachable_gets_a_page_saying_so(
    intake: tuple[httpx.AsyncClient, Link],
) -> None:
    client, db = intake
    form = await client.get("/lacak")
    token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    db.cut()
    answer = await client.post(
        "/lacak",
        data={"csrf_token": token, "tracking_number": "MDRJ1-2612-ABCD-EFGH", "pin": "123456"},
        headers={"accept": "text/html"},
    )
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("text/html")
    assert DATABASE_UNAVAILABLE in answer.text and answer.headers["retry-after"]
