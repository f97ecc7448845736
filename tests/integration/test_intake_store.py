"""Intake's claims on provider message ids, against the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

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
