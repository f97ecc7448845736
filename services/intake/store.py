"""Intake's own records in MongoDB.

* ``submissions`` — one document per tracking number, reserved (unique ``_id``) before the
  event is published and marked published after the broker confirmed it; it keeps the PIN's
  hash and the complainant's view of the progress (status, unit, dates, reply).
* ``inbound`` — one document per provider message (WhatsApp message id, SMS MessageSid, a slip
  of a box opening…), claimed before publishing so that a redelivery creates nothing new.
* ``pin_failures`` — wrong PINs per tracking number, expiring (TTL index).
* ``suggestion_box_openings`` — each opening of the suggestion box, recorded as one batch.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from shared.storage import Database, Document

ClaimState = Literal["new", "done", "busy"]


@dataclass(frozen=True, slots=True)
class Claim:
    state: ClaimState
    tracking_number: str | None = None  # of the complaint already made from it ("done")


class SubmissionStore:
    def __init__(self, db: Database) -> None:
        self._submissions = db["submissions"]
        self._inbound = db["inbound"]
        self._failures = db["pin_failures"]
        self._openings = db["suggestion_box_openings"]

    # --- tracking numbers ---------------------------------------------------------------

    async def reserve(
        self,
        tracking_number: str,
        complaint_id: uuid.UUID,
        clinic: str,
        at: datetime,
        view: dict[str, Any] | None = None,
    ) -> None:
        """Insert under the unique tracking number; raises DuplicateKeyError when taken."""
        await self._submissions.insert_one(
            {
                **(view or {}),
                "_id": tracking_number,
                "complaint_id": complaint_id,
                "clinic": clinic,
                "created_at": at,
                "published": False,
            }
        )

    async def mark_published(self, tracking_number: str) -> None:
        await self._submissions.update_one({"_id": tracking_number}, {"$set": {"published": True}})

    async def release(self, tracking_number: str) -> None:
        await self._submissions.delete_one({"_id": tracking_number, "published": False})

    async def published_submission(self, tracking_number: str) -> Document | None:
        return await self._submissions.find_one({"_id": tracking_number, "published": True})

    async def waiting_on(self, clinic: str, reporter_key: str) -> Document | None:
        """The latest complaint of this complainant at ``clinic`` that awaits their answer."""
        cursor = (
            self._submissions.find(
                {
                    "reporter_key": reporter_key,
                    "clinic": clinic,
                    "status": "waiting_reporter",
                    "published": True,
                }
            )
            .sort("updated_at", -1)
            .limit(1)
        )
        return next(iter(await cursor.to_list()), None)

    async def record_progress(
        self,
        tracking_number: str,
        at: datetime,
        changes: dict[str, Any],
        session: AsyncClientSession,
    ) -> None:
        """Apply a newer state; an event older than the last one applied changes nothing."""
        await self._submissions.update_one(
            {
                "_id": tracking_number,
                "$or": [{"progress_at": None}, {"progress_at": {"$lte": at}}],
            },
            {"$set": {**changes, "progress_at": at, "updated_at": at}},
            session=session,
        )

    # --- provider messages (de-duplication) ---------------------------------------------

    async def claim_inbound(self, key: str, now: datetime, stale_after: timedelta) -> Claim:
        """Claim a provider message before publishing its complaint.

        "done": a complaint was made from it already. "busy": another request is publishing
        it right now. A claim left behind by a crash is taken over once ``stale_after``
        passed; a claim whose publish failed was released, so the retry gets "new".
        """
        try:
            await self._inbound.insert_one({"_id": key, "state": "pending", "claimed_at": now})
            return Claim("new")
        except DuplicateKeyError:
            pass
        existing = await self._inbound.find_one({"_id": key})
        if existing is None:  # released between the insert and the read
            return await self.claim_inbound(key, now, stale_after)
        if existing["state"] == "published":
            return Claim("done", existing.get("tracking_number"))
        taken = await self._inbound.update_one(
            {"_id": key, "state": "pending", "claimed_at": {"$lt": now - stale_after}},
            {"$set": {"claimed_at": now}},
        )
        return Claim("new") if taken.modified_count == 1 else Claim("busy")

    async def complete_inbound(self, key: str, tracking_number: str | None) -> None:
        await self._inbound.update_one(
            {"_id": key}, {"$set": {"state": "published", "tracking_number": tracking_number}}
        )

    async def release_inbound(self, key: str) -> None:
        await self._inbound.delete_one({"_id": key, "state": "pending"})

    # --- wrong PINs -----------------------------------------------------------------------

    async def pin_failures(self, tracking_number: str, now: datetime) -> int:
        doc = await self._failures.find_one({"_id": tracking_number, "expires_at": {"$gt": now}})
        return int(doc["count"]) if doc else 0

    async def add_pin_failure(self, tracking_number: str, now: datetime, window: timedelta) -> None:
        expired = await self._failures.delete_one(
            {"_id": tracking_number, "expires_at": {"$lte": now}}
        )
        del expired  # an expired window starts again from zero
        await self._failures.update_one(
            {"_id": tracking_number},
            {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": now + window}},
            upsert=True,
        )

    # --- suggestion box -------------------------------------------------------------------

    async def record_opening(self, opening: Document) -> None:
        """Record a box opening once (its batch id is the key); a retry refreshes it."""
        await self._openings.replace_one({"_id": opening["_id"]}, opening, upsert=True)
