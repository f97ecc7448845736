"""A district's complaint summary counts per clinic, from the clinics' month documents."""

from __future__ import annotations

from typing import Any

from services.reporting.domain.summaries import received_by_clinic, summarize
from services.reporting.domain.tables import summary_tables


def _summary(by_clinic: dict[str, int], clinic: str | None = None) -> dict[str, Any]:
    report = summarize([], [], {}, "2026-10", "2026-10")
    scope = {"district": "banjarnegara", "clinic": clinic, "from": "2026-10", "to": "2026-10"}
    return {**scope, **report, "by_clinic": by_clinic}


def test_counts_per_clinic_add_up_its_months_and_list_a_clinic_without_complaints() -> None:
    monthly: list[dict[str, Any]] = [
        {"clinic": "MDRJ1", "month": "2026-09", "received": 4},
        {"clinic": "MDRJ1", "month": "2026-10", "received": 3},
        {"clinic": "MDRJ2", "month": "2026-10", "received": 1},
        {"clinic": "MDRJ2", "month": "2026-11"},  # only notifications counted that month
    ]
    assert received_by_clinic(["MDRJ2", "MDRJ1", "MDRJ3"], monthly) == {
        "MDRJ1": 7,
        "MDRJ2": 1,
        "MDRJ3": 0,
    }


def test_a_district_summary_export_has_a_table_per_clinic_and_a_clinic_summary_none() -> None:
    district = summary_tables(_summary({"MDRJ1": 7, "MDRJ2": 0}))
    (table,) = [t for t in district if t.title == "Per puskesmas"]
    assert table.headers == ("Puskesmas", "Jumlah") and table.rows == (("MDRJ1", 7), ("MDRJ2", 0))
    clinic = summary_tables(_summary({"MDRJ1": 7}, clinic="MDRJ1"))
    assert "Per puskesmas" not in [t.title for t in clinic]
    assert clinic[-1].title == "Tren bulanan"  # the recap page leaves the last table out
