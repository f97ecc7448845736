"""Report use cases: each reads aggregate documents (never every complaint) and assembles one
report with the pure functions of ``domain/``."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.reporting.domain.ikm import compute_ikm
from services.reporting.domain.register import register_row
from services.reporting.domain.stats import complaints_per_1000_visits, deadline_rate, month_range
from services.reporting.domain.summaries import (
    covered_period,
    ikm_report,
    month_row,
    received_by_clinic,
    summarize,
    tally_of,
)
from services.reporting.service import ZoneBook
from services.reporting.store import ReportingStore
from shared.directory import Clinic, Directory


@dataclass(frozen=True, slots=True)
class Scope:
    """One clinic, or a whole district."""

    district: str
    clinic: str | None = None

    @property
    def query(self) -> dict[str, str]:
        return {"clinic": self.clinic} if self.clinic else {"district": self.district}

    def describe(self) -> dict[str, str | None]:
        return {"district": self.district, "clinic": self.clinic}


def _visits_by_month(docs: list[dict[str, Any]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for doc in docs:
        totals[doc["month"]] = totals.get(doc["month"], 0) + int(doc["visits"])
    return totals


class ReportQueries:
    def __init__(self, store: ReportingStore, directory: Directory, zones: ZoneBook) -> None:
        self._store = store
        self._directory = directory
        self._zones = zones

    async def clinic(self, code: str) -> Clinic | None:
        return await self._directory.clinic(code)

    async def summary(self, scope: Scope, first: str, last: str) -> dict[str, Any]:
        # Independent reads, side by side (a dozen month documents, the "now" documents, the
        # visits and, for a district, its clinics' codes).
        monthly, now, visit_docs, clinics = await asyncio.gather(
            self._store.monthly(scope.query, first, last),
            self._store.now(scope.query),
            self._store.visits(scope.query, first, last),
            self._directory.clinics(scope.district) if not scope.clinic else _no_clinics(),
        )
        report = summarize(monthly, now, _visits_by_month(visit_docs), first, last)
        by_clinic = (
            {scope.clinic: report["received"]}
            if scope.clinic
            else received_by_clinic([clinic.code for clinic in clinics], report["by_clinic"])
        )
        return {
            **scope.describe(),
            "from": first,
            "to": last,
            "period": covered_period(first, last),
            **report,
            "by_clinic": by_clinic,
        }

    async def ikm(
        self, scope: Scope, first: str, last: str, unit: str | None, population: int | None
    ) -> dict[str, Any]:
        tally = tally_of(await self._store.ikm_docs(scope.query, first, last, unit))
        if population is None and unit is None:
            visits = await self._store.visits(scope.query, first, last)
            population = sum(int(doc["visits"]) for doc in visits) if visits else None
        report = ikm_report(tally, population)
        period = covered_period(first, last)
        return {
            **scope.describe(),
            "unit": unit,
            "from": first,
            "to": last,
            "period": period,
            **report,
        }

    async def register(self, clinic: Clinic, month: str) -> list[dict[str, Any]]:
        zone = await self._zones.zone(clinic.code)
        facts = await self._store.register(clinic.code, month)
        return [register_row(number, fact, zone) for number, fact in enumerate(facts, start=1)]

    async def district_clinics(self, district: str, first: str, last: str) -> dict[str, Any]:
        """All clinics of the district side by side, with the two rankings."""
        clinics = await self._directory.clinics(district)
        scope = {"district": district}
        monthly = await self._store.clinic_months(district, first, last)
        now = {doc["clinic"]: doc for doc in await self._store.clinics_now(district)}
        tallies = await self._store.clinic_ikm_docs(district, first, last)
        visits = await self._store.visits(scope, first, last)
        rows = []
        for clinic in clinics:
            own = [doc for doc in monthly if doc["clinic"] == clinic.code]
            rows.append(
                _clinic_row(
                    clinic,
                    own,
                    now.get(clinic.code, {}),
                    [doc for doc in tallies if doc["clinic"] == clinic.code],
                    _visits_by_month([d for d in visits if d["clinic"] == clinic.code]),
                )
            )
        by_ikm = sorted(rows, key=lambda r: (r["ikm"] is None, -float(r["ikm"] or 0), r["clinic"]))
        by_deadline = sorted(
            rows,
            key=lambda r: (
                r["response_rate"] is None,
                -float(r["response_rate"] or 0),
                r["clinic"],
            ),
        )
        return {
            "district": district,
            "from": first,
            "to": last,
            "period": covered_period(first, last),
            "clinics": rows,
            "ranking_by_ikm": [r["clinic"] for r in by_ikm],
            "ranking_by_deadlines_met": [r["clinic"] for r in by_deadline],
        }

    async def district_trends(self, district: str, first: str, last: str) -> dict[str, Any]:
        """Month by month: the district's totals and IKM, and each clinic's complaints and IKM."""
        scope = {"district": district}
        monthly = await self._store.clinic_months(district, first, last)
        tallies = await self._store.clinic_ikm_docs(district, first, last)
        visits = await self._store.visits(scope, first, last)
        months = []
        for month in month_range(first, last):
            docs = [doc for doc in monthly if doc["month"] == month]
            summary = summarize(docs, [], {}, month, month)
            tally = tally_of(doc for doc in tallies if doc["month"] == month)
            entered = {d["clinic"]: int(d["visits"]) for d in visits if d["month"] == month}
            row = month_row(month, _totals(summary), sum(entered.values()) or None)
            if entered:  # the rate only over the clinics whose visits were entered
                counted = sum(d.get("received", 0) for d in docs if d["clinic"] in entered)
                rate = complaints_per_1000_visits(counted, sum(entered.values()))
                row["per_1000_visits"] = None if rate is None else str(rate)
            row["ikm"] = str(compute_ikm(tally).ikm) if tally.respondents else None
            row["respondents"] = tally.respondents
            by_clinic: dict[str, dict[str, Any]] = {
                doc["clinic"]: {"received": doc.get("received", 0), "ikm": None} for doc in docs
            }
            for code in sorted({t["clinic"] for t in tallies if t["month"] == month}):
                own = tally_of(t for t in tallies if t["month"] == month and t["clinic"] == code)
                entry = by_clinic.setdefault(code, {"received": 0, "ikm": None})
                entry["ikm"] = str(compute_ikm(own).ikm)
            row["by_clinic"] = dict(sorted(by_clinic.items()))
            months.append(row)
        period = covered_period(first, last)
        return {"district": district, "from": first, "to": last, "period": period, "months": months}

    async def public_ikm(self, clinic: Clinic, first: str, last: str) -> dict[str, Any]:
        """What the public page shows: IKM, grade, per-element values and the follow-up taken."""
        report = await self.ikm(Scope(clinic.district, clinic.code), first, last, None, None)
        plans = await self._store.plans_for_elements(clinic.code, first, last)
        follow_up = [
            {
                "elements": list(plan.get("ikm_elements", ())),
                "actions": list(plan.get("actions", ())),
                "due_date": plan.get("due_date"),
            }
            for plan in plans
        ]
        public = {
            k: report[k]
            for k in (
                "from",
                "to",
                "respondents",
                "elements",
                "ikm",
                "grade",
                "label",
                "priorities",
            )
        }
        return {"clinic": clinic.code, "clinic_name": clinic.name, **public, "follow_up": follow_up}


def _totals(summary: Mapping[str, Any]) -> dict[str, int]:
    response = summary["deadlines"].get("response", {})
    return {
        "received": summary["received"],
        "status.closed": summary["by_status"].get("closed", 0),
        "open": summary["open_in_period"],
        "deadline.response.met": response.get("met", 0),
        "deadline.response.missed": response.get("missed", 0),
    }


def _clinic_row(
    clinic: Clinic,
    monthly: list[dict[str, Any]],
    now: Mapping[str, Any],
    tallies: list[dict[str, Any]],
    visits_by_month: Mapping[str, int],
) -> dict[str, Any]:
    received = sum(int(doc.get("received", 0)) for doc in monthly)
    met = sum(int(doc.get("deadline", {}).get("response", {}).get("met", 0)) for doc in monthly)
    missed = sum(
        int(doc.get("deadline", {}).get("response", {}).get("missed", 0)) for doc in monthly
    )
    tally = tally_of(tallies)
    result = compute_ikm(tally) if tally.respondents else None
    rate = deadline_rate(met, missed)
    visits = sum(visits_by_month.values()) or None
    counted = sum(int(doc.get("received", 0)) for doc in monthly if doc["month"] in visits_by_month)
    per_1000 = complaints_per_1000_visits(counted, visits) if visits else None
    return {
        "clinic": clinic.code,
        "name": clinic.name,
        "received": received,
        "response_met": met,
        "response_missed": missed,
        "response_rate": None if rate is None else str(rate),
        "open_now": int(now.get("open", 0)),
        "overdue_now": int(now.get("overdue", 0)),
        "respondents": tally.respondents,
        "ikm": str(result.ikm) if result else None,
        "grade": result.grade.value if result else None,
        "label": result.label if result else None,
        "visits": visits,
        "per_1000_visits": None if per_1000 is None else str(per_1000),
    }


async def _no_clinics() -> list[Clinic]:
    return []
