"""The complainant's tracking view: number and PIN, no enumeration, kept current by events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import pytest

from services.intake.domain.tracking import generate_tracking_number
from shared.events import (
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    ComplaintResponded,
    ComplaintTriaged,
    ComplaintTriagedData,
    Event,
    Reporter,
    RespondedData,
    encode,
)
from tests.integration.test_intake_fixtures import Intake, intake_fixture  # noqa: F401
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def submit(intake: Intake) -> dict[str, Any]:
    reply = await intake.client.post(
        "/api/v1/complaints",
        json={"clinic": "MDRJ1", "kind": "keluhan", "text": "Obat habis terus di farmasi"},
    )
    assert reply.status_code == 202, reply.text
    return dict(reply.json())


async def track(intake: Intake, number: str, pin: str, client: str = "198.51.100.7") -> Any:
    return await intake.client.get(
        f"/api/v1/complaints/track/{number}",
        params={"pin": pin},
        headers={"X-Forwarded-For": client},
    )


async def publish(intake: Intake, amqp: Any, event: Event) -> None:
    async with amqp.channel() as channel:
        exchange = await channel.get_exchange(intake.settings.exchange_name)
        await exchange.publish(
            aio_pika.Message(encode(event), delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=event.type,
        )


def wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 1_000_000:06d}"


async def test_complainant_sees_kind_status_and_dates_with_number_and_pin(intake: Intake) -> None:
    receipt = await submit(intake)
    reply = await track(intake, receipt["tracking_number"], receipt["pin"])
    assert reply.status_code == 200, reply.text
    view = reply.json()
    assert view["kind"] == "keluhan"
    assert view["status"] == "received"
    assert view["status_label"] == "Diterima"
    assert view["reply"] is None
    assert "text" not in view and "reporter" not in view


async def test_number_is_read_forgivingly(intake: Intake) -> None:
    receipt = await submit(intake)
    spoken = receipt["tracking_number"].lower().replace("-", " ")
    assert (await track(intake, spoken, receipt["pin"])).status_code == 200


async def test_wrong_pin_and_unknown_number_answer_the_same_404(intake: Intake) -> None:
    receipt = await submit(intake)
    wrong_pin = await track(intake, receipt["tracking_number"], wrong(receipt["pin"]))
    unknown = await track(intake, "MDRJ1-2501-7KQ4-M9XP", receipt["pin"], client="198.51.100.8")
    malformed = await track(intake, "nomor-asal", receipt["pin"], client="198.51.100.9")
    assert wrong_pin.status_code == unknown.status_code == malformed.status_code == 404
    assert wrong_pin.json() == unknown.json() == malformed.json()


async def test_repeated_wrong_pins_are_throttled_even_for_the_right_pin_later(
    intake: Intake,
) -> None:
    receipt = await submit(intake)
    allowed = intake.settings.tracking_failures_allowed
    for attempt in range(allowed):
        # each guess from another address: the per-number throttle must hold on its own
        reply = await track(
            intake, receipt["tracking_number"], wrong(receipt["pin"]), f"203.0.113.{attempt}"
        )
        assert reply.status_code == 404
    blocked = await track(intake, receipt["tracking_number"], receipt["pin"], "203.0.113.200")
    assert blocked.status_code == 429
    assert "retry-after" in blocked.headers


async def test_unknown_numbers_are_throttled_alike(intake: Intake) -> None:
    number = "MDRJ1-2501-7KQ4-M9XP"
    for attempt in range(intake.settings.tracking_failures_allowed):
        assert (await track(intake, number, "123456", f"203.0.113.{attempt}")).status_code == 404
    assert (await track(intake, number, "123456", "203.0.113.99")).status_code == 429


async def test_one_client_guessing_many_numbers_is_throttled(intake: Intake) -> None:
    statuses = []
    for _ in range(intake.settings.tracking_failures_allowed * 3 + 1):
        number = f"MDRJ1-2501-{uuid.uuid4().hex[:4]}"
        statuses.append((await track(intake, number, "123456", "192.0.2.50")).status_code)
    assert set(statuses[:-1]) == {404}
    assert statuses[-1] == 429


async def test_triage_and_reply_events_move_the_view_along(intake: Intake, amqp: Any) -> None:
    receipt = await submit(intake)
    [received] = await intake.sink.wait_for(1, "complaint.received")
    ref = {
        "complaint_id": uuid.UUID(received["data"]["complaint_id"]),
        "tracking_number": receipt["tracking_number"],
    }
    now = datetime.now(UTC)
    triaged = ComplaintTriaged.create(
        ComplaintTriagedData(
            **ref, kind="keluhan", category="obat", unit="farmasi", urgent=False, automatic=False
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor.system("triage"),
        correlation_id="c-1",
        occurred_at=now,
    )
    responded = ComplaintResponded.create(
        RespondedData(**ref, reply="Stok obat sudah ditambah mulai minggu ini."),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="staff", id="u1"),
        correlation_id="c-1",
        occurred_at=now + timedelta(minutes=5),
    )
    # Out of order and twice: the later state wins, the repeat changes nothing.
    for event in (responded, triaged, responded):
        await publish(intake, amqp, event)

    async def view() -> dict[str, Any]:
        return dict((await track(intake, receipt["tracking_number"], receipt["pin"])).json())

    seen = await eventually(
        view,
        until=lambda v: v.get("status") == "responded",
        what="view answered",
    )
    processed = intake.mongo[f"{intake.settings.mongodb_db_prefix}_intake"]["processed_events"]
    await eventually(
        lambda: processed.count_documents({}), until=lambda n: n == 2, what="both applied"
    )
    seen = await view()
    assert seen["status"] == "responded"
    assert seen["status_label"] == "Sudah dijawab"
    assert seen["reply"] == "Stok obat sudah ditambah mulai minggu ini."
    assert seen["replied_at"] is not None


async def test_a_complaint_accepted_at_an_edge_node_is_tracked_here_whatever_arrives_first(
    intake: Intake, amqp: Any
) -> None:
    number, pin = generate_tracking_number("MDRJ1", datetime.now(UTC).date()), "482913"
    received = ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number=number,
            pin=pin,
            channel="web",
            kind="keluhan",
            text="Obat habis terus di farmasi",
            reporter=Reporter(name="Siti Aminah", phone="+6281234567890"),
            received_at=datetime.now(UTC) - timedelta(hours=3),
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="c-edge",
    )
    responded = ComplaintResponded.following(
        received,
        RespondedData(
            complaint_id=received.data.complaint_id,
            tracking_number=number,
            reply="Stok obat sudah ditambah.",
        ),
        actor=Actor(kind="staff", id="u1"),
    )
    # The district's reply arrives before the edge's uplink delivers the complaint (twice).
    await publish(intake, amqp, responded)
    queue = f"{intake.settings.amqp_prefix}.intake"
    async with amqp.channel() as channel:
        for _ in range(2):  # as the uplink shovel puts it into the queue
            message = aio_pika.Message(encode(received), message_id=str(received.event_id))
            await channel.default_exchange.publish(message, routing_key=queue)

    # Polled in the database: a tracking attempt before it arrives would count as a wrong PIN.
    processed = intake.mongo[f"{intake.settings.mongodb_db_prefix}_intake"]["processed_events"]
    await eventually(
        lambda: processed.count_documents({}), until=lambda n: n == 2, what="both applied"
    )
    seen = await track(intake, number, pin)
    assert seen.status_code == 200, seen.text
    assert seen.json()["status"] == "responded"
    assert seen.json()["reply"] == "Stok obat sudah ditambah."
    assert (await track(intake, number, wrong(pin))).status_code == 404
    submissions = intake.mongo[f"{intake.settings.mongodb_db_prefix}_intake"]["submissions"]
    assert await submissions.count_documents({"_id": number}) == 1
