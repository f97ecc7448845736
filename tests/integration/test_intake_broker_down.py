"""A broker that is down gets a 503, never a 2xx, and nothing is left half-accepted: the
sender's retry, once the broker is back, is accepted as if it were the first attempt.

The shared RabbitMQ stays up (other tests use it): the intake runtime's own connection is
closed instead, which is what the service sees when the broker goes away.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from faststream.rabbit import RabbitBroker

from services.intake.main import create_app
from shared.auth import Role
from shared.settings import Settings
from tests.integration.test_intake_fixtures import (
    PUBLIC_BASE_URL,
    Intake,
    bind_sink,
    inbound_sms,
    intake_settings,
    post_sms,
    post_whatsapp,
    seed,
    whatsapp_payload,
)
from tests.support.lifespan import Running

pytestmark = pytest.mark.integration


@pytest.fixture
async def outage(
    settings: Settings, amqp: Any, mongo: Any
) -> AsyncIterator[tuple[Intake, RabbitBroker]]:
    configured = intake_settings(settings)
    await seed(configured)
    app = create_app(configured)
    broker: RabbitBroker = app._brokers[0]  # the runtime's one broker connection
    async with Running(app) as running:
        sink = await bind_sink(configured, amqp)
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_BASE_URL) as client:
            await broker.stop()  # the broker "goes down" for this service
            yield Intake(client, sink, configured, mongo), broker


async def back_up(broker: RabbitBroker) -> None:
    await broker.connect()
    await broker.start()


async def test_public_complaint_gets_503_and_nothing_is_reserved(outage: Any) -> None:
    intake, broker = outage
    body = {"clinic": "MDRJ1", "kind": "keluhan", "text": "Ruang tunggu panas"}
    reply = await intake.client.post("/api/v1/complaints", json=body)
    assert reply.status_code == 503
    assert reply.headers["retry-after"]
    assert await intake.collection("submissions").count_documents({}) == 0
    await back_up(broker)
    assert (await intake.client.post("/api/v1/complaints", json=body)).status_code == 202
    assert len(await intake.sink.wait_for(1)) == 1


async def test_whatsapp_message_gets_503_and_its_redelivery_is_accepted(outage: Any) -> None:
    intake, broker = outage
    body = whatsapp_payload("text_message")
    assert (await post_whatsapp(intake, body)).status_code == 503
    assert await intake.sink.events() == []
    await back_up(broker)
    assert (await post_whatsapp(intake, body)).status_code == 200
    [event] = await intake.sink.wait_for(1)
    assert event["data"]["channel"] == "whatsapp"


async def test_sms_gets_503_and_its_redelivery_is_accepted(outage: Any) -> None:
    intake, broker = outage
    form = inbound_sms()
    assert (await post_sms(intake, form)).status_code == 503
    await back_up(broker)
    assert (await post_sms(intake, form)).status_code == 200
    assert len(await intake.sink.wait_for(1)) == 1


async def test_survey_gets_503(outage: Any) -> None:
    intake, _broker = outage
    body = {
        "clinic": "MDRJ1",
        "unit": "farmasi",
        "answers": {f"U{i}": 4 for i in range(1, 10)},
        "respondent": {"sex": "L", "age": 40, "education": "sd", "occupation": "Petani"},
    }
    assert (await intake.client.post("/api/v1/surveys", json=body)).status_code == 503
    assert await intake.sink.events() == []


async def test_suggestion_box_retry_after_503_publishes_each_slip_once(outage: Any) -> None:
    intake, broker = outage
    body = {
        "opened_on": "2026-11-02",
        "batch_id": "kotak-2026-11-a",
        "slips": [
            {"kind": "saran", "text": "Tambah tempat sampah"},
            {"kind": "pujian", "text": "Bidan ramah"},
        ],
    }
    headers = intake.staff(Role.OFFICER)
    reply = await intake.client.post("/api/v1/entry/suggestion-box", json=body, headers=headers)
    assert reply.status_code == 503
    await back_up(broker)
    reply = await intake.client.post("/api/v1/entry/suggestion-box", json=body, headers=headers)
    assert reply.status_code == 202, reply.text
    again = await intake.client.post("/api/v1/entry/suggestion-box", json=body, headers=headers)
    assert again.json()["tracking_numbers"] == reply.json()["tracking_numbers"]
    events = await intake.sink.wait_for(2)
    assert len(events) == 2
