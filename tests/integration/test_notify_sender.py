"""The sender's guarantees against the real database: of several senders racing for the
same records each message leaves once, and a crashed sender's record is taken over."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from ops.seed import seed_demo
from services.notify.channels import OutgoingMessage
from services.notify.sender import Sender
from services.notify.store import NotifyStore
from services.notify.templates import TemplateLibrary
from shared.directory import Directory
from shared.events import Event
from shared.outbox import Outbox
from shared.settings import Settings
from shared.storage import create_client, database, ensure_indexes

pytestmark = pytest.mark.integration
Mongo = AsyncMongoClient[dict[str, Any]]
PHONE = "+6281234567890"


class RecordingAdapter:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: OutgoingMessage) -> str | None:
        await asyncio.sleep(0)  # let the other sender run in between
        self.sent.append(message.body)
        return f"id-{len(self.sent)}"


class RecordingPublisher:
    def __init__(self) -> None:
        self.events: list[Event] = []

    async def publish(self, event: Event) -> None:
        self.events.append(event)


def queued_record(n: int, **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "_id": uuid.uuid4(),
        "cause_event_id": uuid.uuid4(),
        "recipient_key": "reporter",
        "complaint_id": uuid.uuid4(),
        "district": "banjarnegara",
        "clinic": "MDRJ1",
        "correlation_id": f"c{n}",
        "audience": "reporter",
        "channel": "sms",
        "address": PHONE,
        "user_id": None,
        "template": "jawaban",
        "params": {"jenis": "Pengaduan", "nomor_tiket": f"T{n}", "jawaban": "ok"},
        "status": "queued",
        "attempts": 0,
        "version": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
        **fields,
    }


@pytest.fixture
async def senders(settings: Settings, mongo: Mongo) -> AsyncIterator[Any]:
    await seed_demo(settings)
    client = create_client(settings)
    db = database(client, settings, "notify")
    await ensure_indexes(db, "notify")
    publisher = RecordingPublisher()
    adapter = RecordingAdapter()

    def make(clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Sender:
        return Sender(
            store=NotifyStore(db, database(client, settings, "directory")),
            client=client,
            outbox=Outbox(db, publisher),
            directory=Directory(database(client, settings, "directory")),
            templates=TemplateLibrary(),
            adapters={"sms": adapter},
            settings=settings,
            clock=clock,
        )

    yield make, db, adapter, publisher
    await client.close()


async def test_two_senders_racing_for_the_same_records_send_each_once(senders: Any) -> None:
    make, db, adapter, publisher = senders
    await db["notifications"].insert_many([queued_record(n) for n in range(20)])

    await asyncio.gather(make().run_once(), make().run_once(), make().run_once())

    assert sorted(adapter.sent) == sorted(set(adapter.sent))
    assert len(adapter.sent) == 20
    assert await db["notifications"].count_documents({"status": "sent"}) == 20
    assert len(publisher.events) == 20


async def test_a_crashed_senders_record_is_taken_over_once_its_lease_ran_out(
    senders: Any,
) -> None:
    make, db, adapter, publisher = senders
    past = datetime.now(UTC) - timedelta(minutes=1)
    abandoned = queued_record(1, status="sending", claimed_by="dead", lease_until=past, version=1)
    leased = queued_record(
        2,
        status="sending",
        claimed_by="busy",
        version=1,
        lease_until=datetime.now(UTC) + timedelta(minutes=5),
    )
    await db["notifications"].insert_many([abandoned, leased])

    assert await make().run_once() == 1

    assert len(adapter.sent) == 1 and "T1" in adapter.sent[0]
    taken = await db["notifications"].find_one({"_id": abandoned["_id"]})
    assert taken["status"] == "sent"
    still = await db["notifications"].find_one({"_id": leased["_id"]})
    assert still["status"] == "sending"  # its sender is alive: left alone
    assert [e.type for e in publisher.events] == ["notification.sent"]
