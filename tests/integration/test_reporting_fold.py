"""Reporting's events write their share of the aggregates beside their marker, and folds add
the shares: each counts once, concurrently applied events included, and a share a crash left
before its fold is counted when the event comes again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.reporting.domain.contributions import Contributions, add_into, survey_contributions
from services.reporting.service import ReportingService, ZoneBook, to_logged
from services.reporting.store import PENDING, ReportingStore
from shared.directory import Directory
from shared.events import Event
from shared.idempotency import IdempotentApplier
from shared.outbox import Outbox
from shared.settings import Settings
from shared.storage import create_client, database, ensure_indexes
from tests.unit.test_reporting_reports import survey

pytestmark = pytest.mark.integration


class NoPublisher:
    async def publish(self, event: Event) -> None:  # reporting emits nothing
        raise AssertionError(f"reporting published {event.type}")


@pytest.fixture
async def service(settings: Settings, mongo: Any) -> AsyncIterator[ReportingService]:
    client = create_client(settings)
    db = database(client, settings, "reporting")
    await ensure_indexes(db, "reporting")
    applier = IdempotentApplier(client, db, Outbox(db, NoPublisher()))
    zones = ZoneBook(Directory(database(client, settings, "directory")))
    yield ReportingService(ReportingStore(db), applier, zones)
    await client.close()


async def aggregates_of(store: ReportingStore, expected: Contributions) -> Contributions:
    found: Contributions = {}
    for target, fields in expected.items():
        doc = await store.db[target.collection].find_one({"_id": target.doc_id}) or {}
        found[target] = {name: _at(doc, name) for name in fields}
    return found


def _at(doc: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        doc = doc.get(part, {}) if isinstance(doc, dict) else {}
    return doc or 0


def shares(events: list[Any]) -> Contributions:
    total: Contributions = {}
    add_into(total, *(survey_contributions(to_logged(event)) for event in events))
    return total


async def test_surveys_applied_side_by_side_are_each_counted_once(
    service: ReportingService,
) -> None:
    events = [survey((4, 3, 4, 2, 4, 3, 4, 4, 3)) for _ in range(40)]
    await asyncio.gather(*(service.record_survey(event) for event in events))
    await asyncio.gather(*(service.record_survey(event) for event in events[:10]))  # again
    store = service._store
    assert await aggregates_of(store, shares(events)) == shares(events)
    assert await store.db[PENDING].count_documents({}) == 0


async def test_a_share_left_by_a_crash_before_its_fold_counts_once_on_redelivery(
    service: ReportingService, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = survey((2, 2, 3, 3, 4, 4, 1, 2, 3))
    fold = service._fold

    async def crash() -> None:
        raise ConnectionError("process killed after the commit")

    monkeypatch.setattr(service, "_fold", crash)
    with pytest.raises(ConnectionError):
        await service.record_survey(event)
    store = service._store
    assert await store.db[PENDING].count_documents({}) == 1

    monkeypatch.setattr(service, "_fold", fold)
    await service.record_survey(event)  # the broker delivers it again
    assert await aggregates_of(store, shares([event])) == shares([event])
    assert await store.db[PENDING].count_documents({}) == 0
