"""Reporting in MongoDB: the event log (the history every aggregate can be rebuilt from), one
fact per complaint, and the aggregates the reports read — never the raw complaints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from services.reporting.domain.contributions import (
    CLINIC_IKM,
    COLLECTIONS,
    DISTRICT_IKM,
    DISTRICT_MONTHLY,
    DISTRICT_NOW,
    IKM,
    MONTHLY,
    NOW,
    Contributions,
    add_into,
    from_storable,
    to_storable,
)
from services.reporting.domain.facts import ComplaintFact, LoggedEvent
from shared.storage import Database

EVENT_LOG = "event_log"
FACTS = "complaint_facts"
VISITS = "visits"
# Each event's share of the aggregates, written with the event and folded in batches (see
# ReportingStore.fold). A rebuild drops it with the aggregates it would have been added to.
PENDING = "pending_contributions"
AGGREGATES = (*COLLECTIONS, PENDING)
FOLD_BATCH = 500
Session = AsyncClientSession | None


class FactConflictError(Exception):
    """Another event of the same complaint changed its fact first: apply this one again."""


def log_document(event: LoggedEvent, subject: str, complaint_id: str | None) -> dict[str, Any]:
    return {
        "_id": event.event_id,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "district": event.district,
        "clinic": event.clinic,
        "actor_kind": event.actor_kind,
        "subject": subject,
        "complaint_id": complaint_id,
        "data": dict(event.data),
    }


def logged_event(doc: Mapping[str, Any]) -> LoggedEvent:
    return LoggedEvent(
        event_id=str(doc["_id"]),
        type=str(doc["type"]),
        occurred_at=doc["occurred_at"],
        district=str(doc["district"]),
        clinic=str(doc["clinic"]),
        actor_kind=str(doc.get("actor_kind", "")),
        data=doc.get("data") or {},
    )


def fact_document(
    fact: ComplaintFact, month: str | None, contrib: list[dict[str, object]]
) -> dict[str, Any]:
    doc = asdict(fact)
    doc["missed"] = sorted(fact.missed)
    doc["open"], doc["overdue"] = fact.open, fact.overdue
    doc.update({"_id": fact.complaint_id, "month": month, "contrib": contrib})
    return doc


class ReportingStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._log = db[EVENT_LOG]
        self._facts = db[FACTS]
        self._visits = db[VISITS]

    # --- writes, inside the applier's transaction -------------------------------------------

    async def append_log(self, session: Session, doc: Mapping[str, Any]) -> None:
        await self._log.insert_one(dict(doc), session=session)

    async def complaint_events(self, session: Session, complaint_id: str) -> list[LoggedEvent]:
        cursor = self._log.find({"complaint_id": complaint_id}, session=session)
        return [logged_event(doc) async for doc in cursor]

    async def fact(self, session: Session, complaint_id: str) -> dict[str, Any] | None:
        return await self._facts.find_one({"_id": complaint_id}, session=session)

    async def save_fact(
        self, session: Session, doc: dict[str, Any], previous_rev: int | None
    ) -> None:
        """Write the fact if nobody else did since it was read (optimistic, by revision)."""
        if previous_rev is None:
            try:
                await self._facts.insert_one({**doc, "rev": 1}, session=session)
            except DuplicateKeyError as exc:
                raise FactConflictError(doc["_id"]) from exc
            return
        replaced = await self._facts.replace_one(
            {"_id": doc["_id"], "rev": previous_rev},
            {**doc, "rev": previous_rev + 1},
            session=session,
        )
        if replaced.matched_count != 1:
            raise FactConflictError(doc["_id"])

    async def add(self, session: Session, contributions: Contributions) -> None:
        for target, fields in contributions.items():
            await self.db[target.collection].update_one(
                {"_id": target.doc_id},
                {"$inc": fields, "$setOnInsert": dict(target.meta)},
                upsert=True,
                session=session,
            )

    async def stage(self, session: Session, event_id: str, contributions: Contributions) -> None:
        """Keep an event's share of the aggregates until a fold adds it. Inserting (never
        updating a shared document) lets the events' transactions run side by side."""
        if contributions:
            doc = {"_id": event_id, "items": to_storable(contributions)}
            await self.db[PENDING].insert_one(doc, session=session)

    async def fold(self, session: Session) -> int:
        """Add a batch of pending shares to the aggregates — one ``$inc`` per aggregate
        document — and delete them, in the caller's transaction: each share counts once."""
        cursor = self.db[PENDING].find({}, session=session).limit(FOLD_BATCH)
        pending = [doc async for doc in cursor]
        if not pending:
            return 0
        total: Contributions = {}
        add_into(total, *(from_storable(doc["items"]) for doc in pending))
        await self.add(session, total)
        ids = [doc["_id"] for doc in pending]
        await self.db[PENDING].delete_many({"_id": {"$in": ids}}, session=session)
        return len(pending)

    async def set_visits(self, district: str, clinic: str, month: str, visits: int) -> None:
        await self._visits.replace_one(
            {"_id": f"{clinic}:{month}"},
            {"district": district, "clinic": clinic, "month": month, "visits": visits},
            upsert=True,
        )

    # --- reads for the reports: aggregate-sized ------------------------------------------

    async def monthly(
        self, scope: Mapping[str, str], first: str, last: str
    ) -> list[dict[str, Any]]:
        """Month documents of a clinic, or the district's roll-ups when the scope is a district."""
        collection = MONTHLY if "clinic" in scope else DISTRICT_MONTHLY
        query = {**scope, "month": {"$gte": first, "$lte": last}}
        return [doc async for doc in self.db[collection].find(query, {"_id": 0})]

    async def clinic_months(self, district: str, first: str, last: str) -> list[dict[str, Any]]:
        """Every clinic's month documents (the district dashboard compares clinics)."""
        query = {"district": district, "month": {"$gte": first, "$lte": last}}
        return [doc async for doc in self.db[MONTHLY].find(query, {"_id": 0})]

    async def now(self, scope: Mapping[str, str]) -> list[dict[str, Any]]:
        collection = NOW if "clinic" in scope else DISTRICT_NOW
        return [doc async for doc in self.db[collection].find(dict(scope), {"_id": 0})]

    async def clinics_now(self, district: str) -> list[dict[str, Any]]:
        return [doc async for doc in self.db[NOW].find({"district": district}, {"_id": 0})]

    async def ikm_docs(
        self, scope: Mapping[str, str], first: str, last: str, unit: str | None = None
    ) -> list[dict[str, Any]]:
        """IKM tallies of the scope: per unit when asked, else the clinic or district roll-up."""
        query: dict[str, Any] = {**scope, "month": {"$gte": first, "$lte": last}}
        if unit:
            query["unit"] = unit
            collection = IKM
        else:
            collection = CLINIC_IKM if "clinic" in scope else DISTRICT_IKM
        return [doc async for doc in self.db[collection].find(query, {"_id": 0})]

    async def clinic_ikm_docs(self, district: str, first: str, last: str) -> list[dict[str, Any]]:
        query = {"district": district, "month": {"$gte": first, "$lte": last}}
        return [doc async for doc in self.db[CLINIC_IKM].find(query, {"_id": 0})]

    async def visits(self, scope: Mapping[str, str], first: str, last: str) -> list[dict[str, Any]]:
        query = {**scope, "month": {"$gte": first, "$lte": last}}
        return [doc async for doc in self._visits.find(query, {"_id": 0})]

    async def register(self, clinic: str, month: str) -> list[dict[str, Any]]:
        """The complaints received in a clinic's month, in order of receipt."""
        cursor = self._facts.find({"clinic": clinic, "month": month}, {"contrib": 0}).sort(
            [("received_at", 1), ("_id", 1)]
        )
        return [doc async for doc in cursor]

    async def plans_for_elements(self, clinic: str, first: str, last: str) -> list[dict[str, Any]]:
        """Follow-up plans that name survey elements (what was done about the IKM)."""
        query = {
            "clinic": clinic,
            "month": {"$gte": first, "$lte": last},
            "plan.ikm_elements.0": {"$exists": True},
        }
        return [doc["plan"] async for doc in self._facts.find(query, {"plan": 1})]
