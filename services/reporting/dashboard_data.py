"""What each dashboard page shows, assembled from the report use cases (aggregates only, never
the complaints themselves): the district overview, one clinic's drill-down, the register.

The reports carry no identity but the register's masked reporter, the one form reporting ever
keeps (services.reporting.domain.register), so nothing here can show a complainant to anyone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, Final

from services.reporting import dashboard_charts as charts
from services.reporting.dashboard_period import Period
from services.reporting.domain.ikm import required_sample
from services.reporting.domain.register import (
    CHANNEL_LABELS,
    KIND_LABELS,
    REGISTER_COLUMNS,
    STATUS_LABELS,
)
from services.reporting.reports import ReportQueries, Scope
from services.reporting.store import ReportingStore
from shared.directory import Clinic

Translate = Callable[[str], str]
DEADLINE_LABELS: Final = {
    "triage": "Verifikasi (3 hari kerja)",
    "response": "Tindak lanjut dan jawaban (5 hari kerja)",
}


def category_label(code: str) -> str:
    """ "waktu_tunggu" → "Waktu tunggu"."""
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


def _labelled(counts: Mapping[str, int], labels: Mapping[str, str]) -> list[tuple[str, int]]:
    return [(labels.get(key, category_label(key)), count) for key, count in counts.items()]


def _with_sample(row: Mapping[str, Any]) -> dict[str, Any]:
    visits = row.get("visits")
    return {**row, "required_sample": required_sample(visits) if visits is not None else None}


def _ranking(rows: list[dict[str, Any]], order: list[str], key: str) -> list[dict[str, Any]]:
    by_code = {row["clinic"]: row for row in rows}
    return [
        {"clinic": code, "name": by_code[code]["name"], "value": by_code[code][key]}
        for code in order
        if by_code[code][key] is not None
    ]


class DashboardData:
    def __init__(self, queries: ReportQueries, store: ReportingStore) -> None:
        self._queries = queries
        self._store = store

    async def district(self, district: str, period: Period, t: Translate) -> dict[str, Any]:
        """All the district's clinics side by side, the rankings and the month trends."""
        first, last = period.first, period.last
        scope = Scope(district)
        summary, ikm, board, trends = await asyncio.gather(
            self._queries.summary(scope, first, last),
            self._queries.ikm(scope, first, last, None, None),
            self._queries.district_clinics(district, first, last),
            self._queries.district_trends(district, first, last),
        )
        rows = [_with_sample(row) for row in board["clinics"]]
        clinics = [(row["clinic"], row["name"]) for row in rows]
        return {
            "summary": summary,
            "ikm": ikm,
            "rows": rows,
            "by_ikm": _ranking(rows, board["ranking_by_ikm"], "ikm"),
            "by_deadlines": _ranking(rows, board["ranking_by_deadlines_met"], "response_rate"),
            "months": trends["months"],
            "charts": {
                "ikm-clinics": charts.ikm_by_clinic(rows),
                "complaints-months": charts.complaints_by_clinic_and_month(
                    trends["months"], clinics
                ),
                "ikm-months": charts.ikm_by_month(trends["months"], clinics, t("Kabupaten")),
            },
        }

    async def clinic(self, clinic: Clinic, period: Period, t: Translate) -> dict[str, Any]:
        """One clinic: complaint summary, IKM per element and per unit, month trends."""
        first, last = period.first, period.last
        scope = Scope(clinic.district, clinic.code)
        summary, ikm = await asyncio.gather(
            self._queries.summary(scope, first, last),
            self._queries.ikm(scope, first, last, None, None),
        )
        per_unit = await asyncio.gather(
            *(self._queries.ikm(scope, first, last, unit.code, None) for unit in clinic.units)
        )
        per_month = await asyncio.gather(
            *(self._queries.ikm(scope, month, month, None, None) for month in period.months)
        )
        unit_names = {unit.code: unit.name for unit in clinic.units}
        months = [
            {**row, "ikm": month_ikm["ikm"], "respondents": month_ikm["respondents"]}
            for row, month_ikm in zip(summary["by_month"], per_month, strict=True)
        ]
        trend = [{**m, "by_clinic": {}} for m in months]
        return {
            "summary": summary,
            "ikm": ikm,
            "units": [
                {"code": unit.code, "name": unit.name, **report}
                for unit, report in zip(clinic.units, per_unit, strict=True)
            ],
            "months": months,
            "breakdowns": [
                (t("Per jenis"), _labelled(summary["by_kind"], KIND_LABELS)),
                (t("Per kanal"), _labelled(summary["by_channel"], CHANNEL_LABELS)),
                (t("Per kategori"), _labelled(summary["by_category"], {})),
                (t("Per unit"), _labelled(summary["by_unit"], unit_names)),
                (t("Per status"), _labelled(summary["by_status"], STATUS_LABELS)),
                (t("Status saat ini"), _labelled(summary["status_now"], STATUS_LABELS)),
            ],
            "deadlines": [
                (t(DEADLINE_LABELS.get(kind, kind)), outcome)
                for kind, outcome in summary["deadlines"].items()
            ],
            "response_by_unit": [
                (unit_names.get(code, category_label(code)), outcome)
                for code, outcome in summary["response_by_unit"].items()
            ],
            "response_by_channel": [
                (CHANNEL_LABELS.get(code, code), outcome)
                for code, outcome in summary["response_by_channel"].items()
            ],
            "charts": {
                "complaints-months": charts.complaints_by_month(months, t),
                "ikm-months": charts.ikm_by_month(trend, [], clinic.name),
                "nrr-elements": charts.nrr_by_element(ikm["elements"]),
            },
        }

    async def register(self, clinic: Clinic, month: str) -> dict[str, Any]:
        """The register's rows as the exports have them, with unit and category named."""
        units = {unit.code: unit.name for unit in clinic.units}
        rows = [
            {
                **row,
                "unit": units.get(row["unit"], row["unit"]),
                "category": category_label(row["category"]) if row["category"] else "",
            }
            for row in await self._queries.register(clinic, month)
        ]
        return {"columns": REGISTER_COLUMNS, "rows": rows}

    async def visits(self, scope: Scope, period: Period) -> dict[tuple[str, str], int]:
        """Visits already entered, by (clinic, month)."""
        docs = await self._store.visits(scope.query, period.first, period.last)
        return {(doc["clinic"], doc["month"]): int(doc["visits"]) for doc in docs}
