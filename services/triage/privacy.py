"""Retention: which complaints' personal data has outlived its purpose, erasing it from
triage's own records and announcing it (UU 27/2022; the operator runs
``sigap purge-personal-data``).

A complaint qualifies once it has been closed or rejected for longer than the retention period.
Erasing removes the reporter (name, phone, e-mail), the contact key that links complaints of one
person, and the provider's message id, and masks phone numbers and e-mail addresses (and the
reporter's own name) in every free text; what the register and the statistics use — kind,
category, unit, channel, dates, deadlines, history — stays. The erasure and its
``complaint.personal_data_purged`` event are written in one transaction (the outbox), so every
other service holding a copy hears of it even if the command dies right after.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.triage.domain.similarity import keywords
from shared.events import (
    Actor,
    ComplaintPersonalDataPurged,
    Event,
    PersonalDataPurgedData,
)
from shared.logging import mask_text
from shared.outbox import Outbox
from shared.storage import Client, Database

FINISHED = ("closed", "rejected")
PURGED_AT = "personal_data_purged_at"
NAME_MARK = "[nama]"


@dataclass(frozen=True)
class PurgeCandidate:
    complaint_id: uuid.UUID
    tracking_number: str
    district: str
    clinic: str
    finished_at: datetime


def finished_at(doc: dict[str, Any]) -> datetime | None:
    """When the complaint reached its final status (the last history entry moving into it)."""
    for entry in reversed(doc.get("history") or []):
        if entry.get("to_status") == doc.get("status"):
            at = entry.get("at")
            return at if isinstance(at, datetime) else None
    return None


async def candidates(db: Database, cutoff: datetime) -> list[PurgeCandidate]:
    """Closed or rejected complaints finished before ``cutoff`` whose data is not erased yet."""
    cursor = db["complaints"].find(
        {"status": {"$in": list(FINISHED)}, PURGED_AT: None},
        {"tracking_number": 1, "district": 1, "clinic": 1, "status": 1, "history": 1},
    )
    found = []
    async for doc in cursor:
        at = finished_at(doc)
        if at is not None and at < cutoff:
            found.append(
                PurgeCandidate(
                    doc["_id"], doc["tracking_number"], doc["district"], doc["clinic"], at
                )
            )
    return sorted(found, key=lambda c: c.finished_at)


def _scrub(text: Any, names: Sequence[str]) -> Any:
    if not isinstance(text, str):
        return text
    for name in names:
        text = re.sub(rf"(?i)\b{re.escape(name)}\b", NAME_MARK, text)
    return mask_text(text)


def scrubbed(doc: dict[str, Any], now: datetime) -> tuple[dict[str, Any], list[str]]:
    """The ``$set`` and the fields to ``$unset`` that erase one complaint's personal data."""
    reporter = doc.get("reporter") or {}
    names = [reporter["name"].strip()] if reporter.get("name", "").strip() else []
    text = _scrub(doc.get("text"), names)
    changes: dict[str, Any] = {PURGED_AT: now, "text": text}
    if isinstance(text, str):  # the search words were taken from the text as received
        changes["keywords"] = keywords(text)
    if doc.get("reply"):
        changes["reply"] = {**doc["reply"], "text": _scrub(doc["reply"].get("text"), names)}
    changes["history"] = [
        {**entry, "detail": _scrub(entry.get("detail"), names)} for entry in doc.get("history", [])
    ]
    removed = ["reporter", "reporter_key"]
    if isinstance(doc.get("source"), dict):
        removed.append("source.external_id")
    return changes, removed


class RetentionPurge:
    """Erases one complaint at a time in triage and stages its announcement in the outbox."""

    def __init__(self, client: Client, db: Database, outbox: Outbox) -> None:
        self._client = client
        self._complaints = db["complaints"]
        self._outbox = outbox

    async def purge(
        self,
        candidate: PurgeCandidate,
        *,
        retention_days: int,
        now: datetime,
        correlation_id: str,
    ) -> bool:
        """Erase and announce; False when already erased or changed meanwhile (next run)."""
        event = ComplaintPersonalDataPurged.create(
            PersonalDataPurgedData(
                complaint_id=candidate.complaint_id,
                tracking_number=candidate.tracking_number,
                finished_at=candidate.finished_at,
                retention_days=retention_days,
            ),
            district=candidate.district,
            clinic=candidate.clinic,
            actor=Actor.system("retention"),
            correlation_id=correlation_id,
            occurred_at=now,
        )

        async def transaction(session: AsyncClientSession) -> list[Event]:
            query = {"_id": candidate.complaint_id, "status": {"$in": list(FINISHED)}}
            doc = await self._complaints.find_one({**query, PURGED_AT: None}, session=session)
            if doc is None:
                return []
            changes, removed = scrubbed(doc, now)
            # The version filter leaves alone a complaint changed meanwhile (say, reopened).
            result = await self._complaints.update_one(
                {**query, "version": doc["version"], PURGED_AT: None},
                {"$set": changes, "$unset": dict.fromkeys(removed, "")},
                session=session,
            )
            if result.modified_count != 1:
                return []
            await self._outbox.stage(session, [event])
            return [event]

        async with self._client.start_session() as session:
            staged = await session.with_transaction(transaction)
        if staged:
            await self._outbox.publish([str(event.event_id)])
        return bool(staged)


async def holding(db: Database, complaint_ids: Iterable[uuid.UUID]) -> int:
    """How many of these complaints still hold personal data (what a purge would change)."""
    return await db["complaints"].count_documents(
        {"_id": {"$in": list(complaint_ids)}, PURGED_AT: None}
    )
