"""Dead-letter queues for the operator (`sigap dlq ...`): listed and inspected without losing a
message or its place, replayed back to the consumer, which then applies the event once."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import aio_pika
import pytest
from typer.testing import CliRunner, Result

from ops import cli, cli_support
from ops.dead_letters import inspect_dead_letters, list_dead_letters, replay_dead_letters
from shared.events import (
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    Reporter,
)
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.support.consumer import store_complaint
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def received(text: str = "Antrian pendaftaran lama sekali") -> ComplaintReceived:
    return ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number="MDRJ1-2611-ABCDEF",
            pin="123456",
            channel="whatsapp",
            kind="keluhan",
            text=f"{text}, hubungi saya di 081234567890",
            reporter=Reporter(name="Budi Santoso", phone="+6281234567890"),
            received_at=datetime.now(UTC),
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id=str(uuid.uuid4()),
    )


async def dead_letter_count(settings: Settings) -> int:
    infos = {info.service: info for info in await list_dead_letters(settings)}
    return infos["triage"].messages


async def dead_letter_ids(settings: Settings) -> list[str | None]:
    return [letter.event_id for letter in await inspect_dead_letters(settings, "triage", 100)]


async def fail_into_dead_letters(start_consumer: Any, settings: Settings, count: int) -> list[str]:
    """Publish ``count`` events to a consumer that always fails: they end dead-lettered."""

    async def broken(_runtime: ServiceRuntime, _event: ComplaintReceived) -> None:
        raise ConnectionError("database unreachable")

    ids: list[str] = []
    async with start_consumer(broken) as runtime:
        for n in range(count):
            event = received(f"Keluhan nomor {n}")
            await runtime.publisher.publish(event)
            ids.append(str(event.event_id))
            # One at a time, so that their order in the dead-letter queue is known.
            await eventually(lambda: dead_letter_count(settings), until=lambda c, n=n: c == n + 1)
    return ids


async def sigap(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setattr(cli_support, "get_settings", lambda: settings)
    return await asyncio.to_thread(CliRunner().invoke, cli.app, list(args))


async def test_inspecting_leaves_every_dead_letter_in_place_and_in_order(
    start_consumer: Any, settings: Settings
) -> None:
    ids = await fail_into_dead_letters(start_consumer, settings, 3)
    for _ in range(3):
        assert await dead_letter_ids(settings) == ids
    assert await dead_letter_count(settings) == 3
    first = (await inspect_dead_letters(settings, "triage", limit=1))[0]
    assert first.type == "complaint.received" and first.clinic == "MDRJ1"
    assert first.attempts == settings.max_attempts
    assert "ConnectionError: database unreachable" in first.reason
    assert first.first_failed_at is not None and first.first_failed_at <= datetime.now(UTC)


async def test_inspection_masks_the_personal_data_of_the_body(
    start_consumer: Any, settings: Settings
) -> None:
    await fail_into_dead_letters(start_consumer, settings, 1)
    [letter] = await inspect_dead_letters(settings, "triage")
    shown = json.dumps(letter.body)
    for secret in ("Budi Santoso", "+6281234567890", "081234567890", "123456"):
        assert secret not in shown
    assert letter.body["data"]["tracking_number"] == "MDRJ1-2611-ABCDEF"


async def test_an_undecodable_message_is_listed_with_its_reason(
    start_consumer: Any, amqp: aio_pika.abc.AbstractRobustConnection, settings: Settings
) -> None:
    async with start_consumer(store_complaint), amqp.channel() as channel:
        exchange = await channel.get_exchange(settings.exchange_name)
        await exchange.publish(
            aio_pika.Message(b"not json, call 081234567890"), routing_key="complaint.received"
        )
        await eventually(lambda: dead_letter_count(settings), until=lambda c: c == 1)
    [letter] = await inspect_dead_letters(settings, "triage")
    assert "UndecodableEventError" in letter.reason and letter.attempts == 1
    assert letter.type is None and "081234567890" not in str(letter.body)


async def test_a_replayed_event_that_failed_on_a_transient_fault_is_applied_once(
    start_consumer: Any, settings: Settings
) -> None:
    outage = True
    calls: list[str] = []

    async def flaky(runtime: ServiceRuntime, event: ComplaintReceived) -> None:
        calls.append(str(event.event_id))
        if outage:
            raise ConnectionError("database unreachable")
        await store_complaint(runtime, event)

    async with start_consumer(flaky) as runtime:
        event = received()
        await runtime.publisher.publish(event)
        await eventually(lambda: dead_letter_count(settings), until=lambda c: c == 1)
        outage = False
        assert await replay_dead_letters(settings, "triage") == 1
        await eventually(lambda: runtime.db["stored"].count_documents({}), until=lambda n: n == 1)
        # A second replay finds nothing; the event was handled once after the replay.
        assert await replay_dead_letters(settings, "triage") == 0
        assert await dead_letter_count(settings) == 0
        assert calls.count(str(event.event_id)) == settings.max_attempts + 1
        assert await runtime.db["processed_events"].count_documents({}) == 1


async def test_a_replayed_duplicate_is_applied_only_once(
    start_consumer: Any, settings: Settings
) -> None:
    """The same event dead-lettered twice and both replayed: the consumer stores it once."""
    outage = True

    async def flaky(runtime: ServiceRuntime, event: ComplaintReceived) -> None:
        if outage:
            raise ConnectionError("database unreachable")
        await store_complaint(runtime, event)

    async with start_consumer(flaky) as runtime:
        event = received()
        for expected in (1, 2):
            await runtime.publisher.publish(event)
            await eventually(
                lambda: dead_letter_count(settings), until=lambda c, e=expected: c == e
            )
        outage = False
        assert await replay_dead_letters(settings, "triage") == 2
        await eventually(lambda: dead_letter_count(settings), until=lambda c: c == 0)
        await eventually(lambda: runtime.db["processed_events"].count_documents({}))
        assert await runtime.db["stored"].count_documents({}) == 1


async def test_replay_by_event_id_or_limit_moves_only_those_and_keeps_the_rest_in_order(
    start_consumer: Any, settings: Settings
) -> None:
    ids = await fail_into_dead_letters(start_consumer, settings, 4)
    assert await replay_dead_letters(settings, "triage", event_id=ids[1]) == 1
    assert await dead_letter_ids(settings) == [ids[0], ids[2], ids[3]]
    assert await replay_dead_letters(settings, "triage", limit=2) == 2
    # Nobody consumes the main queue now: the replayed messages wait there.
    assert await dead_letter_ids(settings) == [ids[3]]
    assert await replay_dead_letters(settings, "triage", event_id=str(uuid.uuid4())) == 0


async def test_the_cli_lists_inspects_and_replays(
    start_consumer: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await fail_into_dead_letters(start_consumer, settings, 2)
    listed = await sigap(settings, monkeypatch, "dlq", "list")
    assert listed.exit_code == 0, listed.output
    assert f"{settings.amqp_prefix}.triage.dlq" in listed.output
    inspected = await sigap(settings, monkeypatch, "dlq", "inspect", "triage", "--body")
    assert inspected.exit_code == 0, inspected.output
    assert ids[0] in inspected.output and "Budi Santoso" not in inspected.output
    replayed = await sigap(settings, monkeypatch, "dlq", "replay", "triage", "--event-id", ids[0])
    assert replayed.exit_code == 0 and "1 pesan" in replayed.output
    assert await dead_letter_ids(settings) == [ids[1]]


async def test_an_unknown_service_or_event_is_refused_with_exit_code_1(
    start_consumer: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with start_consumer(store_complaint):
        pass  # declares the topology
    unknown = await sigap(settings, monkeypatch, "dlq", "inspect", "gudang")
    assert unknown.exit_code == 1 and "gudang" in unknown.output
    missing = await sigap(
        settings, monkeypatch, "dlq", "replay", "triage", "--event-id", str(uuid.uuid4())
    )
    assert missing.exit_code == 1 and "event-id" in missing.output
