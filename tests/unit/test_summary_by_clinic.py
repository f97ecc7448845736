"""A district's complaint summary counts per clinic, from the district's month roll-ups."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.reporting.domain.contributions import DISTRICT_MONTHLY, MONTHLY, fact_contributions
from services.reporting.domain.facts import ComplaintFact
from services.reporting.domain.summaries import received_by_clinic, summarize
from services.reporting.domain.tables import summary_tables


def _summary(by_clinic: dict[str, int], clinic: str | None = None) -> dict[str, Any]:
    report = summarize([], [], {}, "2026-10", "2026-10")
    scope = {"district": "banjarnegara", "clinic": clinic, "from": "2026-10", "to": "2026-10"}
    return {**scope, **report, "by_clinic": by_clinic}


def test_counts_per_clinic_add_up_the_districts_months_and_list_a_clinic_without_any() -> None:
    district_months: list[dict[str, Any]] = [
        {"district": "banjarnegara", "month": "2026-09", "received": 4, "clinic": {"MDRJ1": 4}},
        {"district": "banjarnegara", "month": "2026-10", "received": 4,
         "clinic": {"MDRJ1": 3, "MDRJ2": 1}},
        {"district": "banjarnegara", "month": "2026-11"},  # only notifications counted
    ]  # fmt: skip
    counted = summarize(district_months, [], {}, "2026-09", "2026-11")["by_clinic"]
    assert received_by_clinic(["MDRJ2", "MDRJ1", "MDRJ3"], counted) == {
        "MDRJ1": 7,
        "MDRJ2": 1,
        "MDRJ3": 0,
    }


def test_a_complaint_counts_for_its_clinic_in_the_districts_roll_up_only() -> None:
    fact = ComplaintFact(
        complaint_id="c1", district="banjarnegara", clinic="MDRJ1", channel="web",
        kind="keluhan", status="received", received_at=datetime(2026, 10, 5, 3, tzinfo=UTC),
    )  # fmt: skip
    contributions = fact_contributions(fact, ZoneInfo("Asia/Jakarta"))
    by_collection = {target.collection: fields for target, fields in contributions.items()}
    assert by_collection[DISTRICT_MONTHLY]["clinic.MDRJ1"] == 1
    assert not any(key.startswith("clinic.") for key in by_collection[MONTHLY])


def test_a_district_summary_export_has_a_table_per_clinic_and_a_clinic_summary_none() -> None:
    district = summary_tables(_summary({"MDRJ1": 7, "MDRJ2": 0}))
    (table,) = [t for t in district if t.title == "Per puskesmas"]
    assert table.headers == ("Puskesmas", "Jumlah") and table.rows == (("MDRJ1", 7), ("MDRJ2", 0))
    clinic = summary_tables(_summary({"MDRJ1": 7}, clinic="MDRJ1"))
    assert "Per puskesmas" not in [t.title for t in clinic]
    assert clinic[-1].title == "Tren bulanan"  # the recap page leaves the last table out
