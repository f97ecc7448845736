"""The reporting service's aggregates against the real broker and database: events in
(redelivered, out of order), aggregates out, equal to a recount and to a rebuild. The recount
folds with reporting's own functions, so it proves order does not matter; that the numbers are
right is test_reporting_recount_by_hand's count from the raw events."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from services.reporting.domain.contributions import COLLECTIONS
from services.reporting.rebuild import rebuild
from shared.auth import Role
from shared.events import (
    Actor,
    Event,
    NotificationFailed,
    NotificationFailedData,
    NotificationSent,
    NotificationSentData,
)
from shared.settings import Settings
from tests.support.reporting_harness import Reporting
from tests.unit.test_reporting_reports import survey
from tests.unit.test_reporting_scenarios import deliveries, history, normalised, recount

pytestmark = pytest.mark.integration
SUMMARY = {"clinic": "MDRJ1", "from": "2026-09-01", "to": "2026-12-31"}


def stored_aggregates(
    docs_by_collection: dict[str, list[dict[str, Any]]],
) -> dict[tuple[str, str], dict[str, int]]:
    result: dict[tuple[str, str], dict[str, int]] = {}

    def flatten(node: dict[str, Any], prefix: str = "") -> dict[str, int]:
        flat: dict[str, int] = {}
        for key, value in node.items():
            if isinstance(value, dict):
                flat.update(flatten(value, f"{prefix}{key}."))
            elif isinstance(value, int) and value:
                flat[f"{prefix}{key}"] = value
        return flat

    for collection, docs in docs_by_collection.items():
        for doc in docs:
            # meta fields (district, clinic, month) are strings: flatten keeps only counters
            fields = flatten({k: v for k, v in doc.items() if k != "_id"})
            if fields:
                result[(collection, str(doc["_id"]))] = fields
    return result


async def aggregates(reporting: Reporting) -> dict[tuple[str, str], dict[str, int]]:
    return stored_aggregates({name: await reporting.collection(name) for name in COLLECTIONS})


def notification(model: type[Event], data_model: type[Any], **extra: Any) -> Event:
    data = data_model(
        notification_id=uuid.uuid4(),
        cause_event_id=uuid.uuid4(),
        complaint_id=uuid.uuid4(),
        channel="whatsapp",
        recipient_kind="reporter",
        recipient="+62812****678",
        template="tanda_terima",
        **extra,
    )
    at = datetime(2026, 10, 4, 3, 0, tzinfo=UTC)
    return model.create(
        data,
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor.system("notify"),
        correlation_id="c-5",
        occurred_at=at,
    )


async def test_aggregates_equal_a_recount_after_redeliveries_and_out_of_order_arrival(
    reporting: Reporting, settings: Settings
) -> None:
    rng = random.Random(2026)
    histories = [history(rng) for _ in range(60)]
    unique = sum(len(h.events) for h in histories)
    await reporting.publish(deliveries(histories, rng))
    await reporting.processed(unique)

    assert await aggregates(reporting) == normalised(recount(histories))
    head = reporting.token(Role.HEAD)
    summary = (
        await reporting.http.get("/api/v1/reports/summary", params=SUMMARY, headers=head)
    ).json()
    mine = [h for h in histories if h.clinic == "MDRJ1"]
    assert summary["received"] == len(mine)
    assert summary["open_now"] == sum(h.open for h in mine)
    assert summary["by_status"] == {
        s: n
        for s, n in sorted(
            {h.status: sum(x.status == h.status for x in mine) for h in mine}.items()
        )
    }
    assert sum(summary["by_kind"].values()) == len(mine)

    counts = await rebuild(settings)
    assert counts["complaints"] == len(histories) and counts["events"] == unique
    assert await aggregates(reporting) == normalised(recount(histories))
    again = (
        await reporting.http.get("/api/v1/reports/summary", params=SUMMARY, headers=head)
    ).json()
    assert again == summary


async def test_notifications_and_surveys_are_counted_and_rebuilt_alike(
    reporting: Reporting, settings: Settings
) -> None:
    events = [
        notification(NotificationSent, NotificationSentData, provider_message_id="wamid.1"),
        notification(
            NotificationFailed, NotificationFailedData, error="x", permanent=True, attempt=1
        ),
        survey((3,) * 9),
        survey((4,) * 9, unit="farmasi"),
    ]
    await reporting.publish(events + events[:2])
    await reporting.processed(4)
    head = reporting.token(Role.HEAD)
    params = {"clinic": "MDRJ1", "from": "2026-10-01", "to": "2026-10-31"}

    async def reports() -> tuple[Any, Any, Any]:
        get = reporting.http.get
        summary = (await get("/api/v1/reports/summary", params=params, headers=head)).json()
        ikm = (await get("/api/v1/reports/ikm", params=params, headers=head)).json()
        unit = {**params, "unit": "farmasi"}
        farmasi = (await get("/api/v1/reports/ikm", params=unit, headers=head)).json()
        return summary, ikm, farmasi

    summary, ikm, farmasi = await reports()
    assert summary["notifications"] == {"failed": 1, "sent": 1}
    assert (ikm["ikm"], ikm["respondents"], farmasi["ikm"]) == ("87.50", 2, "100.00")
    counts = await rebuild(settings)
    assert (counts["surveys"], counts["notifications"]) == (2, 2)
    assert await reports() == (summary, ikm, farmasi)
