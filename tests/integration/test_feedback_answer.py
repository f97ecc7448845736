"""The answer to the closing question "Apakah jawaban kami membantu?", through the real broker
and database: intake, triage and notify run together; notify sends the closing message to a
local WhatsApp/SMS stand-in, the complainant answers over a signed webhook, and triage keeps
the answer on the complaint once."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aio_pika
import httpx
import pytest
from pydantic import SecretStr

from services.intake.main import create_app as create_intake
from services.notify.main import create_app as create_notify
from shared.auth import Role
from shared.events import (
    Actor,
    ComplaintReporterReplied,
    Event,
    ReporterRepliedData,
    encode,
)
from shared.settings import Settings
from tests.integration.test_intake_fixtures import (
    PUBLIC_BASE_URL,
    TWILIO_TOKEN,
    EventSink,
    Intake,
    bind_sink,
    inbound_sms,
    intake_settings,
    post_sms,
    post_whatsapp,
    seed,
    whatsapp_payload,
)
from tests.integration.triage_harness import Harness, running_triage
from tests.support.lifespan import Running
from tests.support.provider_stub import HttpProviderStub, http_provider
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


@dataclass
class System:
    intake: Intake
    triage: Harness
    whatsapp: HttpProviderStub
    sms: HttpProviderStub
    amqp: aio_pika.abc.AbstractRobustConnection

    @property
    def sink(self) -> EventSink:
        return self.intake.sink

    @property
    def notify_complaints(self) -> Any:
        return self.intake.mongo[f"{self.intake.settings.mongodb_db_prefix}_notify"]["complaints"]

    async def publish(self, event: Event) -> None:
        async with self.amqp.channel() as channel:
            exchange = await channel.get_exchange(self.intake.settings.exchange_name)
            message = aio_pika.Message(
                encode(event), delivery_mode=aio_pika.DeliveryMode.PERSISTENT
            )
            await exchange.publish(message, routing_key=event.type)

    async def republish(self, body: dict[str, Any]) -> None:
        """Deliver an event seen on the exchange once more, as the broker may."""
        async with self.amqp.channel() as channel:
            exchange = await channel.get_exchange(self.intake.settings.exchange_name)
            message = aio_pika.Message(json.dumps(body).encode())
            await exchange.publish(message, routing_key=body["type"])

    async def complaint(self, complaint_id: str, clinic: str) -> dict[str, Any]:
        reply = await self.triage.get(uuid.UUID(complaint_id), clinic=clinic)
        assert reply.status_code == 200, reply.text
        return dict(reply.json())


@pytest.fixture
async def system(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Any
) -> AsyncIterator[System]:
    async with http_provider() as whatsapp, http_provider() as sms:
        configured = intake_settings(
            settings,
            whatsapp_api_base_url=f"{whatsapp.base_url}/v21.0",
            whatsapp_access_token=SecretStr("wa-token"),
            sms_api_base_url=sms.base_url,
            sms_account_sid="AC1",
            notify_sender_interval_seconds=0.05,
            notify_retry_base_seconds=0.05,
        )
        assert configured.twilio_auth_token.get_secret_value() == TWILIO_TOKEN
        await seed(configured)
        async with (
            running_triage(configured) as triage,
            Running(create_notify(configured)),
            Running(create_intake(configured)) as intake_app,
            contextlib.AsyncExitStack() as stack,
        ):
            sink = await bind_sink(configured, amqp)
            transport = httpx.ASGITransport(app=intake_app.app, client=("198.51.100.7", 40000))
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url=PUBLIC_BASE_URL)
            )
            intake = Intake(client, sink, configured, mongo)
            yield System(intake, triage, whatsapp, sms, amqp)


def whatsapp_text(message_id: str, body: str) -> bytes:
    payload = json.loads(whatsapp_payload("text_message"))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["id"], message["text"]["body"] = message_id, body
    message["timestamp"] = str(int(time.time()))
    return json.dumps(payload).encode()


async def answered_complaint(system: System, clinic: str, **posted: Any) -> dict[str, Any]:
    """The complaint made of the first message, confirmed as a suggestion and answered."""
    [received] = await system.sink.wait_for(1, "complaint.received")
    complaint_id = uuid.UUID(received["data"]["complaint_id"])
    await eventually(
        lambda: system.triage.triage.store.get_document(complaint_id), what="complaint stored"
    )
    token: dict[str, Any] = {"role": Role.COMPLAINT_TEAM, "clinic": clinic}
    decision = {"kind": "saran", "category": "waktu_tunggu", "unit": "pendaftaran", "urgent": False}
    steps: list[tuple[str, dict[str, Any]]] = [
        ("triage", decision),
        ("reply", {"text": "Loket ditambah."}),
    ]
    for name, body in steps:
        answer = await system.triage.command(complaint_id, name, body, **token)
        assert answer.status_code == 200, (name, answer.text)
    return dict(received)


async def close(system: System, received: dict[str, Any], clinic: str) -> None:
    complaint_id = uuid.UUID(received["data"]["complaint_id"])
    token: dict[str, Any] = {"role": Role.COMPLAINT_TEAM, "clinic": clinic}
    answer = await system.triage.command(complaint_id, "close", {}, **token)
    assert answer.status_code == 200, answer.text


async def awaiting_answer(system: System, tracking_number: str) -> None:
    """Notify sent the closing message and intake now awaits its answer."""
    await eventually(
        lambda: system.intake.collection("submissions").find_one(
            {"_id": tracking_number, "feedback": "awaited", "status": "closed"}
        ),
        what="closing question awaiting its answer",
    )


async def test_ya_over_whatsapp_after_the_closing_message_is_kept_once_on_the_complaint(
    system: System,
) -> None:
    assert (await post_whatsapp(system.intake, whatsapp_text("wamid.Q1", "Antre 2 jam"))).is_success
    received = await answered_complaint(system, "PKMWA")
    cid, number = received["data"]["complaint_id"], received["data"]["tracking_number"]
    await close(system, received, "PKMWA")
    await awaiting_answer(system, number)
    closing = [r for r in system.whatsapp.requests if "membantu" in r.body.decode()]
    assert len(closing) == 1  # the question really went out over WhatsApp

    ya = whatsapp_text("wamid.YA1", "Ya, membantu")
    reply = await post_whatsapp(system.intake, ya)
    assert reply.json() == {"received": 0, "duplicates": 0}
    [answer] = await system.sink.wait_for(1, "complaint.feedback_received")
    assert answer["data"] == {
        "complaint_id": cid,
        "tracking_number": number,
        "helped": True,
        "channel": "whatsapp",
    }
    seen = await eventually(
        lambda: system.complaint(cid, "PKMWA"),
        until=lambda doc: doc["feedback"] is not None,
        what="feedback on the complaint",
    )
    assert (seen["status"], seen["feedback"]["helped"], seen["feedback"]["channel"]) == (
        "closed",
        True,
        "whatsapp",
    )

    # A WhatsApp answer reopens the 24-hour window for free-form messages.
    answered_at = datetime.fromisoformat(answer["occurred_at"])
    await eventually(
        lambda: system.notify_complaints.find_one(
            {"_id": uuid.UUID(cid), "last_inbound_at": {"$gte": answered_at}}
        ),
        what="notify saw the answer come in over WhatsApp",
    )

    # WhatsApp delivers the webhook again, and the broker the event: nothing more is kept.
    again = await post_whatsapp(system.intake, ya)
    assert again.json() == {"received": 0, "duplicates": 1}
    await system.republish(answer)
    marker = ComplaintReporterReplied.create(
        ReporterRepliedData(complaint_id=uuid.UUID(cid), tracking_number=number, text="Makasih"),
        district="banjarnegara",
        clinic="PKMWA",
        actor=Actor(kind="provider", id="whatsapp"),
        correlation_id="c-marker",
    )
    await system.publish(marker)  # handled after the redelivery: the queue is in order
    final = await eventually(
        lambda: system.complaint(cid, "PKMWA"),
        until=lambda doc: doc["history"][-1]["action"] == "reporter_message",
        what="the marker after the redelivery",
    )
    assert [h["detail"] for h in final["history"] if h["action"] == "feedback"] == [
        "Jawaban membantu: YA"
    ]
    published = await system.sink.events("complaint.feedback_received")
    assert {e["event_id"] for e in published} == {answer["event_id"]}  # and our redelivery
    assert len(await system.sink.events("complaint.received")) == 1

    # Answered already: a later TIDAK is ordinary feedback again and the answer stands.
    assert (await post_whatsapp(system.intake, whatsapp_text("wamid.T2", "Tidak"))).is_success
    [_, later] = await system.sink.wait_for(2, "complaint.received")
    assert later["data"]["text"] == "Tidak"
    published = await system.sink.events("complaint.feedback_received")
    assert {e["event_id"] for e in published} == {answer["event_id"]}
    assert (await system.complaint(cid, "PKMWA"))["feedback"]["helped"] is True


async def test_ya_to_a_complaint_whose_closing_message_was_not_sent_changes_nothing(
    system: System,
) -> None:
    assert (await post_whatsapp(system.intake, whatsapp_text("wamid.Q2", "Antre 2 jam"))).is_success
    received = await answered_complaint(system, "PKMWA")
    cid = received["data"]["complaint_id"]
    # Answered but not closed: nobody asked whether the answer helped.
    assert (await post_whatsapp(system.intake, whatsapp_text("wamid.YA2", "YA"))).is_success
    [_, new] = await system.sink.wait_for(2, "complaint.received")
    assert new["data"]["text"] == "YA"  # handled as before: new feedback
    assert await system.sink.events("complaint.feedback_received") == []
    seen = await system.complaint(cid, "PKMWA")
    assert (seen["status"], seen["feedback"]) == ("responded", None)
    assert "feedback" not in {h["action"] for h in seen["history"]}


async def test_tidak_over_sms_after_the_closing_sms_is_kept_as_not_helped(
    system: System,
) -> None:
    assert (await post_sms(system.intake, inbound_sms(body="Obat sering kosong"))).is_success
    received = await answered_complaint(system, "MDRJ1")
    cid, number = received["data"]["complaint_id"], received["data"]["tracking_number"]
    await close(system, received, "MDRJ1")
    await awaiting_answer(system, number)
    assert (await post_sms(system.intake, inbound_sms(body="tidak membantu"))).is_success
    [answer] = await system.sink.wait_for(1, "complaint.feedback_received")
    assert (answer["data"]["helped"], answer["data"]["channel"]) == (False, "sms")
    seen = await eventually(
        lambda: system.complaint(cid, "MDRJ1"),
        until=lambda doc: doc["feedback"] is not None,
        what="feedback on the complaint",
    )
    assert seen["feedback"]["helped"] is False
    assert len(await system.sink.events("complaint.received")) == 1
