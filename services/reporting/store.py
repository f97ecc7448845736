"""Reporting aggregates in MongoDB: one counter document per clinic and month, one IKM tally
per clinic, unit and month. Reports read these, never the raw complaints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.reporting.domain.ikm import IkmTally
from shared.storage import Database


class ReportingStore:
    def __init__(self, db: Database) -> None:
        self._counts = db["complaint_counts"]
        self._ikm = db["ikm_tallies"]

    async def add_counts(
        self,
        session: AsyncClientSession,
        *,
        district: str,
        clinic: str,
        month: str,
        increments: Mapping[str, int],
    ) -> None:
        await self._counts.update_one(
            {"_id": f"{clinic}:{month}"},
            {
                "$inc": dict(increments),
                "$setOnInsert": {"district": district, "clinic": clinic, "month": month},
            },
            upsert=True,
            session=session,
        )

    async def add_survey(
        self,
        session: AsyncClientSession,
        *,
        district: str,
        clinic: str,
        unit: str,
        month: str,
        answers: Mapping[str, int],
    ) -> None:
        tally = IkmTally()
        tally.add(answers)
        await self._ikm.update_one(
            {"_id": f"{clinic}:{unit}:{month}"},
            {
                "$inc": {f"tally.{k}": v for k, v in tally.to_dict().items()},
                "$setOnInsert": {
                    "district": district,
                    "clinic": clinic,
                    "unit": unit,
                    "month": month,
                },
            },
            upsert=True,
            session=session,
        )

    async def counts(self, scope: Mapping[str, str], first: str, last: str) -> list[dict[str, Any]]:
        query = {**scope, "month": {"$gte": first, "$lte": last}}
        return [doc async for doc in self._counts.find(query, {"_id": 0})]

    async def ikm_tally(
        self, scope: Mapping[str, str], first: str, last: str, unit: str | None = None
    ) -> IkmTally:
        query: dict[str, Any] = {**scope, "month": {"$gte": first, "$lte": last}}
        if unit:
            query["unit"] = unit
        total = IkmTally()
        async for doc in self._ikm.find(query, {"tally": 1}):
            total = total + IkmTally.from_dict(doc["tally"])
        return total
