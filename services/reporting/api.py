"""Report queries, answered from the aggregates."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from services.reporting.domain.ikm import compute_ikm, required_sample
from services.reporting.store import ReportingStore

Code = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$")]


def _scope(clinic: str | None, district: str | None) -> dict[str, str]:
    if bool(clinic) == bool(district):
        raise HTTPException(422, detail="Isi salah satu: clinic atau district")
    return {"clinic": clinic} if clinic else {"district": district}  # type: ignore[dict-item]


def _months(first: date, last: date) -> tuple[str, str]:
    if last < first:
        raise HTTPException(422, detail="'to' tidak boleh sebelum 'from'")
    return f"{first:%Y-%m}", f"{last:%Y-%m}"


def router(store: ReportingStore) -> APIRouter:
    api = APIRouter(prefix="/api/v1/reports", tags=["reports"])

    @api.get("/summary")
    async def summary(
        from_: Annotated[date, Query(alias="from")],
        to: date,
        clinic: Code = None,
        district: Code = None,
    ) -> dict[str, Any]:
        scope = _scope(clinic, district)
        first, last = _months(from_, to)
        totals: Counter[str] = Counter()
        by_kind: Counter[str] = Counter()
        by_channel: Counter[str] = Counter()
        by_month: Counter[str] = Counter()
        for doc in await store.counts(scope, first, last):
            totals.update({"received": doc.get("received", 0)})
            totals.update(doc.get("events", {}))
            by_kind.update(doc.get("by_kind", {}))
            by_channel.update(doc.get("by_channel", {}))
            by_month[doc["month"]] += doc.get("received", 0)
        return {
            **scope,
            "from": first,
            "to": last,
            "received": totals.pop("received", 0),
            "events": dict(totals),
            "by_kind": dict(by_kind),
            "by_channel": dict(by_channel),
            "by_month": dict(sorted(by_month.items())),
        }

    @api.get("/ikm")
    async def ikm(
        from_: Annotated[date, Query(alias="from")],
        to: date,
        clinic: Code = None,
        district: Code = None,
        unit: Code = None,
        population: Annotated[int | None, Query(ge=0)] = None,
    ) -> dict[str, Any]:
        scope = _scope(clinic, district)
        first, last = _months(from_, to)
        tally = await store.ikm_tally(scope, first, last, unit)
        base: dict[str, Any] = {**scope, "from": first, "to": last, "unit": unit}
        base["respondents"] = tally.respondents
        base["required_sample"] = required_sample(population) if population is not None else None
        if tally.respondents == 0:
            return {**base, "ikm": None, "grade": None, "label": None, "elements": []}
        result = compute_ikm(tally)
        return {
            **base,
            "elements": [
                {
                    "code": e.code,
                    "name": e.name,
                    "nrr": str(e.nrr) if e.nrr is not None else None,
                    "grade": e.grade.value if e.grade else None,
                }
                for e in result.elements
            ],
            "ikm": str(result.ikm),
            "grade": result.grade.value,
            "label": result.label,
            "complete": result.complete,
            "priorities": [p.code for p in result.priorities],
        }

    return api
