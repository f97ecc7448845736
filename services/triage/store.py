"""The complaint repository: MongoDB documents in, Complaint aggregates out.

Every change is saved with an optimistic version check: a write based on a stale version
matches nothing and raises ``StaleComplaintError`` (the API answers 409 with the current state).
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.triage.domain.complaint import (
    Actor,
    Channel,
    Complaint,
    Feedback,
    FollowUpPlan,
    HistoryEntry,
    IdentityLevel,
    Kind,
    PlanMaker,
    Reply,
    Role,
    Status,
    TriageDecision,
    TriageReview,
)
from services.triage.domain.deadlines import DeadlineKind, Deadlines
from services.triage.domain.similarity import Earlier
from services.triage.queries import ComplaintQuery, due_for_check, matching, ordering
from shared.storage import Database


class StaleComplaintError(Exception):
    def __init__(self, complaint_id: str) -> None:
        super().__init__(f"complaint {complaint_id} changed meanwhile")
        self.complaint_id = complaint_id


def _plain(value: Any) -> Any:
    """Domain values as BSON: enums by value, dates as ISO text, sets and tuples as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    return value


def to_document(complaint: Complaint, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = _plain(dataclasses.asdict(complaint))
    doc["_id"] = uuid.UUID(doc.pop("id"))
    return {**doc, **(extra or {})}


def _actor(doc: dict[str, Any]) -> Actor:
    return Actor(doc["user_id"], Role(doc["role"]), doc.get("name"))


def _decision(doc: dict[str, Any] | None) -> TriageDecision | None:
    if doc is None:
        return None
    return TriageDecision(Kind(doc["kind"]), doc["category"], doc["unit"], doc["urgent"])


def _review(doc: dict[str, Any] | None) -> TriageReview | None:
    if doc is None:
        return None
    confirmed = _decision(doc["confirmed"])
    assert confirmed is not None
    return TriageReview(_decision(doc.get("suggested")), confirmed, _actor(doc["actor"]), doc["at"])


def _feedback(doc: dict[str, Any] | None) -> Feedback | None:
    return Feedback(doc["helped"], Channel(doc["channel"]), doc["at"]) if doc else None


def from_document(doc: dict[str, Any]) -> Complaint:
    plan = doc.get("plan")
    reply = doc.get("reply")
    return Complaint(
        id=str(doc["_id"]),
        tracking_number=doc["tracking_number"],
        district=doc["district"],
        clinic=doc["clinic"],
        channel=Channel(doc["channel"]),
        identity=IdentityLevel(doc["identity"]),
        kind=Kind(doc["kind"]),
        text=doc["text"],
        received_at=doc["received_at"],
        deadlines=Deadlines(**doc["deadlines"]),
        status=Status(doc["status"]),
        version=doc["version"],
        urgent=doc["urgent"],
        category=doc.get("category"),
        unit=doc.get("unit"),
        assignee=doc.get("assignee"),
        plan=FollowUpPlan(
            actions=tuple(plan["actions"]),
            owner=plan["owner"],
            due_date=date.fromisoformat(plan["due_date"]),
            made_by=PlanMaker(plan["made_by"]),
        )
        if plan
        else None,
        reply=Reply(reply["text"], reply["at"]) if reply else None,
        satisfied=doc.get("satisfied"),
        feedback=_feedback(doc.get("feedback")),
        paused_at=doc.get("paused_at"),
        paused_from=Status(doc["paused_from"]) if doc.get("paused_from") else None,
        paused_working_days=doc.get("paused_working_days", 0),
        missed_deadlines={DeadlineKind(k) for k in doc.get("missed_deadlines", [])},
        triage_review=_review(doc.get("triage_review")),
        history=[
            HistoryEntry(
                at=h["at"],
                actor=_actor(h["actor"]),
                action=h["action"],
                from_status=Status(h["from_status"]) if h.get("from_status") else None,
                to_status=Status(h["to_status"]),
                detail=h.get("detail"),
            )
            for h in doc.get("history", [])
        ],
    )


class ComplaintStore:
    def __init__(self, db: Database) -> None:
        self._complaints = db["complaints"]

    async def add(
        self,
        session: AsyncClientSession,
        complaint: Complaint,
        extra: dict[str, Any] | None = None,
    ) -> None:
        await self._complaints.insert_one(to_document(complaint, extra), session=session)

    async def save(
        self, session: AsyncClientSession, complaint: Complaint, expected_version: int
    ) -> None:
        doc = to_document(complaint)
        complaint_id = doc.pop("_id")
        result = await self._complaints.update_one(
            {"_id": complaint_id, "version": expected_version}, {"$set": doc}, session=session
        )
        if result.matched_count != 1:
            raise StaleComplaintError(complaint.id)

    async def get(self, complaint_id: uuid.UUID) -> Complaint | None:
        doc = await self._complaints.find_one({"_id": complaint_id})
        return from_document(doc) if doc else None

    async def get_document(self, complaint_id: uuid.UUID) -> dict[str, Any] | None:
        return await self._complaints.find_one({"_id": complaint_id})

    async def exists(self, session: AsyncClientSession, complaint_id: uuid.UUID) -> bool:
        found = await self._complaints.find_one({"_id": complaint_id}, {"_id": 1}, session=session)
        return found is not None

    async def search(
        self, query: ComplaintQuery, now: datetime
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the register matching ``query`` in its order, and the total count."""
        spec = matching(query, now)
        total = await self._complaints.count_documents(spec)
        cursor = (
            self._complaints.find(spec, {"history": 0})
            .sort(ordering(query))
            .skip(query.offset)
            .limit(query.limit)
        )
        return [doc async for doc in cursor], total

    async def earlier_of_reporter(
        self, session: AsyncClientSession, clinic: str, key: str, since: datetime
    ) -> list[Earlier]:
        cursor = self._complaints.find(
            {"clinic": clinic, "reporter_key": key, "received_at": {"$gte": since}},
            {"received_at": 1, "keywords": 1},
            session=session,
        ).limit(50)
        return [
            Earlier(str(doc["_id"]), doc["received_at"], doc.get("keywords", []))
            async for doc in cursor
        ]

    async def reviews(self, district: str, clinic: str | None) -> list[TriageReview]:
        """Every person's review of an automatic triage, for one clinic or a whole district."""
        spec: dict[str, Any] = {"district": district, "triage_review.suggested": {"$ne": None}}
        if clinic is not None:
            spec["clinic"] = clinic
        cursor = self._complaints.find(spec, {"triage_review": 1})
        return [review async for doc in cursor if (review := _review(doc["triage_review"]))]

    async def due_for_check(self, now: datetime, limit: int = 200) -> list[uuid.UUID]:
        """Complaints with a deadline that passed unraised, or due to close automatically."""
        cursor = self._complaints.find(due_for_check(now), {"_id": 1}).limit(limit)
        return [doc["_id"] async for doc in cursor]
