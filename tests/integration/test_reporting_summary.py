"""The complaint summary against the real broker and database: a district's counts per clinic
from the clinics' aggregates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.auth import Role
from shared.events import ComplaintReceived
from tests.support.reporting_harness import Reporting, received

pytestmark = pytest.mark.integration
SEPTEMBER = datetime(2026, 9, 20, 3, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 10, 3, 0, tzinfo=UTC)


def complaint(clinic: str, at: datetime, district: str = "banjarnegara") -> ComplaintReceived:
    event = received(None, "anonim", f"Keluhan di {clinic}", at)
    return event.model_copy(update={"clinic": clinic, "district": district})


async def test_a_district_summary_counts_complaints_per_clinic_including_those_with_none(
    reporting: Reporting,
) -> None:
    events = [
        *(complaint("MDRJ1", OCTOBER) for _ in range(3)),
        complaint("MDRJ1", SEPTEMBER),
        complaint("RANAI", OCTOBER, district="natuna"),  # another district's clinic
    ]
    await reporting.publish(events)
    await reporting.processed(len(events))
    district = reporting.token(Role.DISTRICT, clinic=None)

    async def summary(first: str, last: str, **scope: str) -> dict[str, object]:
        params = {"from": first, "to": last, **scope}
        answer = await reporting.http.get(
            "/api/v1/reports/summary", params=params, headers=district
        )
        assert answer.status_code == 200
        return dict(answer.json())

    october = await summary("2026-10-01", "2026-10-31", district="banjarnegara")
    assert october["by_clinic"] == {"MDRJ1": 3, "MDRJ2": 0}
    both = await summary("2026-09-01", "2026-10-31", district="banjarnegara")
    assert (both["by_clinic"], both["received"]) == ({"MDRJ1": 4, "MDRJ2": 0}, 4)
    one = await summary("2026-09-01", "2026-10-31", clinic="MDRJ1")
    assert one["by_clinic"] == {"MDRJ1": 4}
