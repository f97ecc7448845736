"""Intake's claims on provider message ids and its grouped writes, against the real database."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo.errors import DuplicateKeyError

from services.intake.store import SubmissionStore
from shared.settings import Settings
from shared.storage import create_client, database, ensure_indexes

pytestmark = pytest.mark.integration
STALE = timedelta(minutes=2)


@pytest.fixture
async def store(settings: Settings, mongo: Any) -> Any:
    client = create_client(settings)
    db = database(client, settings, "intake")
    await ensure_indexes(db, "intake")
    yield SubmissionStore(db)
    await client.close()


async def test_a_message_is_claimed_once_and_then_known_as_done(store: SubmissionStore) -> None:
    now = datetime.now(UTC)
    assert (await store.claim_inbound("whatsapp:wamid.1", now, STALE)).state == "new"
    assert (await store.claim_inbound("whatsapp:wamid.1", now, STALE)).state == "busy"
    await store.complete_inbound("whatsapp:wamid.1", "MDRJ1-2611-ABCD-EFGH")
    done = await store.claim_inbound("whatsapp:wamid.1", now, STALE)
    assert (done.state, done.tracking_number) == ("done", "MDRJ1-2611-ABCD-EFGH")


async def test_a_released_claim_does_not_block_the_retry(store: SubmissionStore) -> None:
    now = datetime.now(UTC)
    assert (await store.claim_inbound("sms:SM1", now, STALE)).state == "new"
    await store.release_inbound("sms:SM1")
    assert (await store.claim_inbound("sms:SM1", now, STALE)).state == "new"


async def test_a_claim_abandoned_by_a_crash_is_taken_over_once_stale(
    store: SubmissionStore,
) -> None:
    then = datetime.now(UTC) - STALE - timedelta(seconds=1)
    assert (await store.claim_inbound("sms:SM2", then, STALE)).state == "new"
    now = datetime.now(UTC)
    assert (await store.claim_inbound("sms:SM2", now, STALE)).state == "new"
    assert (await store.claim_inbound("sms:SM2", now, STALE)).state == "busy"


async def test_a_release_never_removes_a_completed_message(store: SubmissionStore) -> None:
    now = datetime.now(UTC)
    await store.claim_inbound("sms:SM3", now, STALE)
    await store.complete_inbound("sms:SM3", "MDRJ1-2611-ABCD-EFGH")
    await store.release_inbound("sms:SM3")
    assert (await store.claim_inbound("sms:SM3", now, STALE)).state == "done"


async def test_wrong_pins_are_counted_within_their_window(store: SubmissionStore) -> None:
    now = datetime.now(UTC)
    window = timedelta(minutes=15)
    for _ in range(3):
        await store.add_pin_failure("MDRJ1-2611-ABCD-EFGH", now, window)
    assert await store.pin_failures("MDRJ1-2611-ABCD-EFGH", now) == 3
    later = now + window + timedelta(seconds=1)
    assert await store.pin_failures("MDRJ1-2611-ABCD-EFGH", later) == 0
    await store.add_pin_failure("MDRJ1-2611-ABCD-EFGH", later, window)
    assert await store.pin_failures("MDRJ1-2611-ABCD-EFGH", later) == 1


async def test_concurrent_reservations_are_all_stored_and_a_taken_number_fails_alone(
    store: SubmissionStore,
) -> None:
    now = datetime.now(UTC)
    await store.reserve("MDRJ1-2611-TAKN-AAAA", uuid.uuid4(), "MDRJ1", now)
    numbers = [f"MDRJ1-2611-CONC-{i:04d}" for i in range(30)]
    outcomes = await asyncio.gather(
        *(store.reserve(n, uuid.uuid4(), "MDRJ1", now) for n in numbers),
        store.reserve("MDRJ1-2611-TAKN-AAAA", uuid.uuid4(), "MDRJ1", now),
        return_exceptions=True,
    )
    assert outcomes[:-1] == [None] * 30
    assert isinstance(outcomes[-1], DuplicateKeyError)
    await asyncio.gather(*(store.mark_published(n) for n in numbers))
    for number in numbers:
        assert await store.published_submission(number) is not None
    assert await store.published_submission("MDRJ1-2611-TAKN-AAAA") is None


async def test_a_reservation_written_again_for_the_same_complaint_stands(
    store: SubmissionStore,
) -> None:
    # What a driver retry of a write that had landed looks like to the store.
    now, complaint_id = datetime.now(UTC), uuid.uuid4()
    await store.reserve("MDRJ1-2611-RTRY-AAAA", complaint_id, "MDRJ1", now)
    await store.reserve("MDRJ1-2611-RTRY-AAAA", complaint_id, "MDRJ1", now)
    with pytest.raises(DuplicateKeyError):
        await store.reserve("MDRJ1-2611-RTRY-AAAA", uuid.uuid4(), "MDRJ1", now)
