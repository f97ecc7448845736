"""WhatsApp Cloud API and Twilio-compatible SMS webhooks, end to end through the real broker."""

from __future__ import annotations

import json
import uuid
from typing import Any

import aio_pika
import pytest

from shared.events import Actor, ComplaintWaitingReporter, WaitingReporterData, encode
from tests.integration.test_intake_fixtures import (  # noqa: F401 — the fixture
    PUBLIC_BASE_URL,
    VERIFY_TOKEN,
    Intake,
    inbound_sms,
    intake_fixture,
    meta_signature,
    post_sms,
    post_whatsapp,
    twilio_signature,
    whatsapp_payload,
)
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def test_handshake_echoes_the_challenge_for_the_right_token(intake: Intake) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    reply = await intake.client.get("/webhooks/whatsapp", params=params)
    assert reply.status_code == 200
    assert reply.text == "1158201444"
    assert reply.headers["content-type"].startswith("text/plain")


async def test_handshake_with_a_wrong_token_is_refused(intake: Intake) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"}
    reply = await intake.client.get("/webhooks/whatsapp", params=params)
    assert reply.status_code == 403
    assert "1158201444" not in reply.text


async def test_whatsapp_text_message_becomes_one_complaint_with_whatsapp_channel(
    intake: Intake,
) -> None:
    reply = await post_whatsapp(intake, whatsapp_payload("text_message"))
    assert reply.status_code == 200, reply.text
    [event] = await intake.sink.wait_for(1)
    assert event["type"] == "complaint.received"
    assert event["clinic"] == "PKMWA"
    assert event["actor"]["kind"] == "provider"
    data = event["data"]
    assert data["channel"] == "whatsapp"
    assert data["text"].startswith("Antrean di loket pendaftaran")
    assert data["reporter"] == {"name": "Siti Rahayu", "phone": "+6281200002222", "email": None}
    assert data["source"]["external_id"].startswith("wamid.")


async def test_same_whatsapp_message_delivered_again_creates_nothing_new(intake: Intake) -> None:
    body = whatsapp_payload("text_message")
    for _ in range(3):
        assert (await post_whatsapp(intake, body)).status_code == 200
    assert len(await intake.sink.events("complaint.received")) == 1
    assert await intake.collection("submissions").count_documents({}) == 1


async def test_media_with_caption_is_a_complaint_and_media_without_caption_is_not(
    intake: Intake,
) -> None:
    assert (await post_whatsapp(intake, whatsapp_payload("image_with_caption"))).status_code == 200
    no_caption = whatsapp_payload("document_without_caption")
    assert (await post_whatsapp(intake, no_caption)).status_code == 200
    [event] = await intake.sink.events("complaint.received")
    assert event["data"]["channel"] == "whatsapp"
    assert len(await intake.sink.events()) == 1


async def test_batch_handles_each_message_on_its_own(intake: Intake) -> None:
    # The fixture's second message is "STOP": an opt-out, not feedback.
    assert (await post_whatsapp(intake, whatsapp_payload("batch_two_messages"))).status_code == 200
    events = await intake.sink.events()
    assert [e["type"] for e in events] == ["complaint.received", "reporter.opted_out"]


async def test_unknown_phone_number_id_is_skipped_and_the_rest_accepted(intake: Intake) -> None:
    reply = await post_whatsapp(intake, whatsapp_payload("multiple_entries"))
    assert reply.status_code == 200, reply.text
    events = await intake.sink.events()
    assert [(e["type"], e["clinic"]) for e in events] == [("complaint.received", "PKMWA")]


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("status_sent", "sent"),
        ("status_delivered", "delivered"),
        ("status_read", "read"),
        ("status_failed", "failed"),
    ],
)
async def test_status_notification_is_a_delivery_update_not_a_complaint(
    intake: Intake, fixture: str, status: str
) -> None:
    payload = whatsapp_payload(fixture)
    assert (await post_whatsapp(intake, payload)).status_code == 200
    assert (await post_whatsapp(intake, payload)).status_code == 200
    events = await intake.sink.events()
    assert {e["type"] for e in events} == {"notification.delivery_updated"}
    assert len({e["event_id"] for e in events}) == 1  # the redelivery is the same event
    assert events[0]["data"]["status"] == status
    assert events[0]["data"]["channel"] == "whatsapp"
    if status == "failed":
        assert "24 hours" in events[0]["data"]["error"]


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=" + "0" * 64,
        "sha1=abc",
        meta_signature(b"another body"),
        meta_signature(whatsapp_payload("text_message"), secret="wrong-secret"),
    ],
)
async def test_forged_whatsapp_signature_is_refused_and_nothing_happens(
    intake: Intake, signature: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    reply = await intake.client.post(
        "/webhooks/whatsapp", content=whatsapp_payload("text_message"), headers=headers
    )
    assert reply.status_code == 403
    assert reply.json()["errors"][0]["field"] == "X-Hub-Signature-256"
    assert await intake.sink.events() == []
    assert await intake.collection("inbound").count_documents({}) == 0


async def test_body_is_verified_as_received_not_as_reserialised(intake: Intake) -> None:
    # Meta escapes non-ASCII as \\uXXXX; re-serialising would change the signed bytes.
    payload = json.loads(whatsapp_payload("text_message"))
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "Terima kasih 🙏"
    raw = json.dumps(payload, ensure_ascii=True, indent=1).encode()
    assert (await post_whatsapp(intake, raw)).status_code == 200
    [event] = await intake.sink.events("complaint.received")
    assert event["data"]["text"] == "Terima kasih 🙏"


async def test_signed_payload_of_unknown_shape_is_refused_with_422(intake: Intake) -> None:
    body = b'{"object": "page", "entry": []}'
    reply = await post_whatsapp(intake, body)
    assert reply.status_code == 422
    assert await intake.sink.events() == []


async def test_stop_message_on_whatsapp_is_an_opt_out_not_a_complaint(intake: Intake) -> None:
    payload = json.loads(whatsapp_payload("text_message"))
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "STOP"
    assert (await post_whatsapp(intake, json.dumps(payload).encode())).status_code == 200
    [event] = await intake.sink.events()
    assert event["type"] == "reporter.opted_out"
    assert event["data"]["address"] == "+6281200002222"


async def test_sms_becomes_one_complaint_with_sms_channel(intake: Intake) -> None:
    form = inbound_sms()
    reply = await post_sms(intake, form)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("application/xml")
    [event] = await intake.sink.wait_for(1)
    assert event["clinic"] == "MDRJ1"
    assert event["data"]["channel"] == "sms"
    assert event["data"]["reporter"]["phone"] == "+6281234567890"
    assert event["data"]["source"]["external_id"] == form["MessageSid"]


async def test_same_message_sid_delivered_again_creates_nothing_new(intake: Intake) -> None:
    form = inbound_sms()
    for _ in range(2):
        assert (await post_sms(intake, form)).status_code == 200
    assert len(await intake.sink.events()) == 1


async def test_forged_sms_signature_is_refused_and_nothing_happens(intake: Intake) -> None:
    form = inbound_sms()
    forged = twilio_signature(f"{PUBLIC_BASE_URL}/webhooks/sms", form, token="wrong-token")
    reply = await post_sms(intake, form, signature=forged)
    assert reply.status_code == 403
    tampered = {**form, "Body": "diubah di jalan"}
    reply = await post_sms(
        intake, tampered, signature=twilio_signature(f"{PUBLIC_BASE_URL}/webhooks/sms", form)
    )
    assert reply.status_code == 403
    assert await intake.sink.events() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"To": "+6281999999999"}, "To"),
        ({"From": "bukan-nomor"}, "From"),
        ({"Body": "   "}, "Body"),
    ],
)
async def test_bad_sms_is_refused_naming_the_field(
    intake: Intake, change: dict[str, str], field: str
) -> None:
    reply = await post_sms(intake, inbound_sms(**change))
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["field"] == field
    assert await intake.sink.events() == []


async def test_sms_status_callback_is_a_delivery_update(intake: Intake) -> None:
    form = {
        "MessageSid": "SM" + "a" * 32,
        "MessageStatus": "undelivered",
        "From": "+6228641147801",
        "To": "+6281234567890",
        "ErrorCode": "30003",
    }
    assert (await post_sms(intake, form)).status_code == 200
    [event] = await intake.sink.events()
    assert event["type"] == "notification.delivery_updated"
    assert event["data"] == {
        "channel": "sms",
        "provider_message_id": form["MessageSid"],
        "status": "failed",
        "error": "30003",
    }


async def test_sms_stop_is_an_opt_out_not_a_complaint(intake: Intake) -> None:
    assert (await post_sms(intake, inbound_sms(body="Berhenti."))).status_code == 200
    [event] = await intake.sink.events()
    assert event["type"] == "reporter.opted_out"
    assert event["data"]["channel"] == "sms"


async def ask_reporter(intake: Intake, amqp: Any, received: dict[str, Any]) -> None:
    """Triage's question to the complainant, and intake's view catching up with it."""
    question = ComplaintWaitingReporter.create(
        WaitingReporterData(
            complaint_id=uuid.UUID(received["data"]["complaint_id"]),
            tracking_number=received["data"]["tracking_number"],
            question="Jam berapa Anda datang ke farmasi?",
        ),
        district=received["district"],
        clinic=received["clinic"],
        actor=Actor(kind="staff", id="u1"),
        correlation_id="c-ask",
    )
    async with amqp.channel() as channel:
        exchange = await channel.get_exchange(intake.settings.exchange_name)
        await exchange.publish(aio_pika.Message(encode(question)), routing_key=question.type)
    await eventually(
        lambda: intake.collection("submissions").find_one(
            {"_id": received["data"]["tracking_number"], "status": "waiting_reporter"}
        ),
        what="tracking view waiting on the reporter",
    )


async def test_sms_from_a_complainant_the_team_waits_on_is_their_answer(
    intake: Intake, amqp: Any
) -> None:
    assert (await post_sms(intake, inbound_sms())).status_code == 200
    [received] = await intake.sink.wait_for(1, "complaint.received")
    await ask_reporter(intake, amqp, received)
    answer = inbound_sms(body="Sekitar jam 10 pagi")
    assert (await post_sms(intake, answer)).status_code == 200
    [replied] = await intake.sink.wait_for(1, "complaint.reporter_replied")
    assert replied["data"]["tracking_number"] == received["data"]["tracking_number"]
    assert replied["data"]["text"] == "Sekitar jam 10 pagi"
    assert len(await intake.sink.events("complaint.received")) == 1
    assert (await post_sms(intake, answer)).status_code == 200  # redelivered: nothing new
    assert len(await intake.sink.events("complaint.reporter_replied")) == 1


async def test_whatsapp_from_a_complainant_the_team_waits_on_is_their_answer(
    intake: Intake, amqp: Any
) -> None:
    assert (await post_whatsapp(intake, whatsapp_payload("text_message"))).status_code == 200
    [received] = await intake.sink.wait_for(1, "complaint.received")
    await ask_reporter(intake, amqp, received)
    payload = json.loads(whatsapp_payload("text_message"))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["id"], message["text"]["body"] = "wamid.ANSWER1", "Jam 10 pagi, Bu"
    assert (await post_whatsapp(intake, json.dumps(payload).encode())).status_code == 200
    [replied] = await intake.sink.wait_for(1, "complaint.reporter_replied")
    assert replied["data"]["tracking_number"] == received["data"]["tracking_number"]
    assert len(await intake.sink.events("complaint.received")) == 1


async def test_message_from_another_number_is_new_feedback_even_while_one_waits(
    intake: Intake, amqp: Any
) -> None:
    assert (await post_sms(intake, inbound_sms())).status_code == 200
    [received] = await intake.sink.wait_for(1, "complaint.received")
    await ask_reporter(intake, amqp, received)
    other = inbound_sms(body="Parkir sempit", From="+6281355556666")
    assert (await post_sms(intake, other)).status_code == 200
    assert len(await intake.sink.wait_for(2, "complaint.received")) == 2
    assert await intake.sink.events("complaint.reporter_replied") == []
