"""Intake's own records in MongoDB.

* ``submissions`` — one document per tracking number, reserved (unique ``_id``) before the
  event is published and marked published after the broker confirmed it; it keeps the PIN's
  hash and the complainant's view of the progress (status, unit, dates, reply), and whether
  the answer to the closing question is awaited (``feedback``: ``awaited``/``answered``).
* ``inbound`` — one document per provider message (WhatsApp message id, SMS MessageSid, a slip
  of a box opening…), claimed before publishing so that a redelivery creates nothing new.
* ``pin_failures`` — wrong PINs per tracking number, expiring (TTL index).
* ``suggestion_box_openings`` — each opening of the suggestion box, recorded as one batch.

Reservations and "published" marks of concurrent requests are written together (group
commit, :class:`GroupWrite`): the database, not intake, limits the public form, and one
``insert_many`` of twenty documents costs it about what two ``insert_one`` do. Every caller
still waits for the write that holds its document.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Literal, TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import BulkWriteError, DuplicateKeyError, WriteError

from shared.storage import Database, Document

ClaimState = Literal["new", "done", "busy"]
T = TypeVar("T")
# What a group write answers each of its items: None when written, else the item's error.
Outcomes = Sequence[BaseException | None]
DUPLICATE_KEY = 11000


@dataclass(frozen=True, slots=True)
class Claim:
    state: ClaimState
    tracking_number: str | None = None  # of the complaint already made from it ("done")


class GroupWrite(Generic[T]):
    """One write for the items of concurrent callers: the first caller's item is written at
    once, and items arriving while a write is in flight go together in the next one. Each
    caller returns (or raises its item's error) only after the write that held its item."""

    def __init__(self, write: Callable[[list[T]], Awaitable[Outcomes]], limit: int = 500) -> None:
        self._write = write
        self._limit = limit
        self._waiting: list[tuple[T, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> None:
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        await future

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._limit], self._waiting[self._limit :]
            outcomes: Outcomes
            try:
                outcomes = await self._write([item for item, _ in batch])
            except BaseException as exc:  # every caller of the batch gets the failure
                outcomes = [exc] * len(batch)
                if not isinstance(exc, Exception):
                    _settle(batch, outcomes)
                    raise
            _settle(batch, outcomes)


def _settle(batch: list[tuple[T, asyncio.Future[None]]], outcomes: Outcomes) -> None:
    for (_, future), outcome in zip(batch, outcomes, strict=True):
        if future.done():  # the caller went away; the write stands
            continue
        if isinstance(outcome, asyncio.CancelledError):
            future.cancel()
        elif outcome is None:
            future.set_result(None)
        else:
            future.set_exception(outcome)


class SubmissionStore:
    def __init__(self, db: Database) -> None:
        self._submissions = db["submissions"]
        self._inbound = db["inbound"]
        self._failures = db["pin_failures"]
        self._openings = db["suggestion_box_openings"]
        self._insert = GroupWrite(self._insert_submissions)
        self._mark = GroupWrite(self._mark_published)

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
        await self._insert(
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
        await self._mark(tracking_number)

    async def _insert_submissions(self, documents: list[Document]) -> Outcomes:
        try:
            await self._submissions.insert_many(documents, ordered=False)
        except BulkWriteError as exc:  # some were refused (a taken number): only they fail
            outcomes: list[BaseException | None] = [None] * len(documents)
            for error in exc.details.get("writeErrors", []):
                kind = DuplicateKeyError if error.get("code") == DUPLICATE_KEY else WriteError
                outcomes[error["index"]] = kind(error.get("errmsg", ""), error.get("code"), error)
            return await self._ours_after_all(documents, outcomes)
        return [None] * len(documents)

    async def _ours_after_all(self, documents: list[Document], outcomes: Outcomes) -> Outcomes:
        """A number "taken" by the very document being inserted is ours: the driver retries a
        write whose reply was lost, and the first attempt may have landed."""
        taken = [doc["_id"] for doc, out in zip(documents, outcomes, strict=True) if out]
        cursor = self._submissions.find({"_id": {"$in": taken}}, {"complaint_id": 1})
        owners = {doc["_id"]: doc["complaint_id"] async for doc in cursor}
        return [
            None
            if isinstance(out, DuplicateKeyError) and owners.get(doc["_id"]) == doc["complaint_id"]
            else out
            for doc, out in zip(documents, outcomes, strict=True)
        ]

    async def _mark_published(self, tracking_numbers: list[str]) -> Outcomes:
        await self._submissions.update_many(
            {"_id": {"$in": tracking_numbers}}, {"$set": {"published": True}}
        )
        return [None] * len(tracking_numbers)

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

    async def awaiting_feedback(self, clinic: str, reporter_key: str) -> Document | None:
        """The latest closed complaint of this complainant at ``clinic`` whose closing message
        (asking whether the answer helped) was sent and has no answer yet."""
        cursor = (
            self._submissions.find(
                {
                    "reporter_key": reporter_key,
                    "clinic": clinic,
                    "status": "closed",
                    "feedback": "awaited",
                    "published": True,
                }
            )
            .sort("feedback_asked_at", -1)
            .limit(1)
        )
        return next(iter(await cursor.to_list()), None)

    async def await_feedback(
        self, complaint_id: uuid.UUID, at: datetime, session: AsyncClientSession
    ) -> None:
        """The closing question was sent: its answer is awaited from now on."""
        await self._submissions.update_one(
            {"complaint_id": complaint_id, "published": True},
            {"$set": {"feedback": "awaited", "feedback_asked_at": at}},
            session=session,
        )

    async def feedback_answered(self, tracking_number: str) -> None:
        await self._submissions.update_one(
            {"_id": tracking_number}, {"$set": {"feedback": "answered"}}
        )

    async def record_progress(
        self,
        tracking_number: str,
        at: datetime,
        changes: dict[str, Any],
        session: AsyncClientSession,
    ) -> None:
        """Apply a newer state; an event older than the last one applied changes nothing. A
        complaint accepted at an edge node may be heard of here before it is adopted: its
        state is kept, and the adoption adds the rest."""
        progress = {**changes, "progress_at": at, "updated_at": at}
        known = await self._submissions.find_one(
            {"_id": tracking_number}, {"_id": 1}, session=session
        )
        if known is None:
            await self._submissions.insert_one(
                {"_id": tracking_number, **progress}, session=session
            )
            return
        await self._submissions.update_one(
            {
                "_id": tracking_number,
                "$or": [{"progress_at": None}, {"progress_at": {"$lte": at}}],
            },
            {"$set": progress},
            session=session,
        )

    async def adopt(
        self, tracking_number: str, submission: dict[str, Any], session: AsyncClientSession
    ) -> None:
        """Keep the tracking view of a complaint accepted at a clinic's edge node; a state
        heard of before (``record_progress``) stands."""
        known = await self._submissions.find_one(
            {"_id": tracking_number}, {"status": 1}, session=session
        )
        if known is None:
            await self._submissions.insert_one(
                {"_id": tracking_number, **submission}, session=session
            )
            return
        kept = {k: v for k, v in submission.items() if k not in ("status", "updated_at")}
        await self._submissions.update_one(
            {"_id": tracking_number}, {"$set": kept}, session=session
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
