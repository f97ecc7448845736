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


async def test_a_period_inside_a_month_reports_the_whole_month_and_says_so(
    reporting: Reporting,
) -> None:
    early, late = (
        complaint("MDRJ1", OCTOBER),
        complaint("MDRJ1", datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
    )
    await reporting.publish([early, late])
    await reporting.processed(2)
    head = reporting.token(Role.HEAD)
    asked = {"clinic": "MDRJ1", "from": "2026-10-15", "to": "2026-10-20"}
    whole_october = {"from": "2026-10-01", "to": "2026-10-31"}
    for path in ("/api/v1/reports/summary", "/api/v1/reports/ikm"):
        report = (await reporting.http.get(path, params=asked, headers=head)).json()
        assert report["period"] == {
            **whole_october,
            "requested": {"from": "2026-10-15", "to": "2026-10-20"},
            "widened": True,
        }
    summary = (
        await reporting.http.get("/api/v1/reports/summary", params=asked, headers=head)
    ).json()
    assert summary["received"] == 2  # both are October's, though neither is in 15-20 October
    exact = {"clinic": "MDRJ1", **whole_october}
    same = (await reporting.http.get("/api/v1/reports/summary", params=exact, headers=head)).json()
    assert (same["period"]["widened"], same["received"]) == (False, 2)
    export = await reporting.http.get(
        "/api/v1/reports/summary", params={**asked, "format": "csv"}, headers=head
    )
    assert "Periode,2026-10-01 s.d. 2026-10-31" in export.content.decode("utf-8-sig")
    district = reporting.token(Role.DISTRICT, clinic=None)
    board = {"district": "banjarnegara", "from": "2026-09-30", "to": "2026-10-02"}
    for path in ("/api/v1/reports/district/clinics", "/api/v1/reports/district/trends"):
        report = (await reporting.http.get(path, params=board, headers=district)).json()
        assert (report["period"]["from"], report["period"]["to"]) == ("2026-09-01", "2026-10-31")


async def test_the_api_description_says_reports_are_by_whole_months(reporting: Reporting) -> None:
    document = (await reporting.http.get("/openapi.json")).json()
    for path in ("summary", "ikm", "district/clinics", "district/trends"):
        operation = document["paths"][f"/api/v1/reports/{path}"]["get"]
        assert "whole months" in operation["description"]
        dates = {p["name"]: p.get("description", "") for p in operation["parameters"]}
        assert "first day of its month" in dates["from"] and "last day" in dates["to"]
