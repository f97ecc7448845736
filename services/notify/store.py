"""Notify's MongoDB: what it knows of each complaint, the notification records (one per cause
event and recipient, which is what makes a redelivered event unable to plan or send the same
message twice), opt-outs and the public board; and a read of the staff users."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession

from services.notify.domain.planning import Recipient, StaffMember
from shared.events import Event, utc_now
from shared.storage import Database, Document
from shared.users import alert_channels


class NotifyStore:
    def __init__(self, db: Database, directory_db: Database) -> None:
        self.notifications = db["notifications"]
        self._complaints = db["complaints"]
        self._opt_outs = db["opt_outs"]
        self._board = db["board_entries"]
        self._users = directory_db["users"]

    # --- what notify knows of a complaint -------------------------------------------------

    async def save_complaint(
        self, session: AsyncClientSession, complaint_id: uuid.UUID, fields: Document
    ) -> None:
        await self._complaints.update_one(
            {"_id": complaint_id},
            {"$setOnInsert": {**fields, "created_at": utc_now()}},
            upsert=True,
            session=session,
        )

    async def update_complaint(
        self,
        session: AsyncClientSession | None,
        complaint_id: uuid.UUID,
        fields: Document,
        *,
        later_than: tuple[str, datetime] | None = None,
    ) -> None:
        query: Document = {"_id": complaint_id}
        if later_than is not None:  # only move a timestamp forward
            field, value = later_than
            query["$or"] = [{field: None}, {field: {"$lt": value}}]
        await self._complaints.update_one(query, {"$set": fields}, session=session)

    async def complaint(
        self, complaint_id: uuid.UUID, session: AsyncClientSession | None = None
    ) -> Document | None:
        return await self._complaints.find_one({"_id": complaint_id}, session=session)

    # --- notification records -------------------------------------------------------------

    async def plan(
        self,
        session: AsyncClientSession,
        cause: Event,
        complaint_id: uuid.UUID | None,
        recipients: Sequence[Recipient],
        params: Document,
        reporter_params: Document | None = None,
    ) -> None:
        """Queue one record per recipient; ``reporter_params`` (the PIN) only in the
        complainant's own record, and removed once it is sent."""
        now = utc_now()
        for recipient in recipients:
            own = reporter_params if recipient.audience == "reporter" and reporter_params else {}
            await self.notifications.update_one(
                {"cause_event_id": cause.event_id, "recipient_key": recipient.key},
                {
                    "$setOnInsert": {
                        "_id": uuid.uuid4(),
                        "complaint_id": complaint_id,
                        "district": cause.district,
                        "clinic": cause.clinic,
                        "correlation_id": cause.correlation_id,
                        "audience": recipient.audience,
                        "channel": recipient.channel,
                        "address": recipient.address,
                        "user_id": recipient.user_id,
                        "template": recipient.template,
                        "params": {**params, **own},
                        "status": "held" if recipient.hold_for_digest else "queued",
                        "attempts": 0,
                        "version": 0,
                        "next_attempt_at": now,
                        "created_at": now,
                        "updated_at": now,
                    }
                },
                upsert=True,
                session=session,
            )

    async def for_complaint(self, complaint_id: uuid.UUID) -> list[Document]:
        cursor = self.notifications.find({"complaint_id": complaint_id}).sort("created_at", 1)
        return [doc async for doc in cursor]

    async def due(self, now: datetime, limit: int) -> list[Document]:
        """Queued records whose time has come, and records whose sender lost its lease."""
        ready = self.notifications.find(
            {"status": "queued", "next_attempt_at": {"$lte": now}}
        ).sort("next_attempt_at", ASCENDING)
        stale = self.notifications.find({"status": "sending", "lease_until": {"$lt": now}})
        return [doc async for doc in ready.limit(limit)] + [doc async for doc in stale.limit(limit)]

    async def claim(self, doc: Document, sender_id: str, lease_until: datetime) -> bool:
        """Take a record for sending. Of two senders claiming the same version, one wins."""
        result = await self.notifications.update_one(
            {"_id": doc["_id"], "status": doc["status"], "version": doc["version"]},
            {
                "$set": {
                    "status": "sending",
                    "claimed_by": sender_id,
                    "lease_until": lease_until,
                    "updated_at": utc_now(),
                },
                "$inc": {"version": 1, "attempts": 1},
            },
        )
        return result.matched_count == 1

    async def settle(
        self,
        session: AsyncClientSession | None,
        doc: Document,
        sender_id: str,
        fields: Document,
        unset: Sequence[str] = (),
    ) -> bool:
        """Record the outcome of a claimed send; False when the claim was lost meanwhile."""
        update: Document = {"$set": {**fields, "updated_at": utc_now()}, "$inc": {"version": 1}}
        if unset:
            update["$unset"] = dict.fromkeys(unset, "")
        result = await self.notifications.update_one(
            {
                "_id": doc["_id"],
                "status": "sending",
                "claimed_by": sender_id,
                "version": doc["version"] + 1,
            },
            update,
            session=session,
        )
        return result.matched_count == 1

    async def failed(self, clinic: str | None, district: str, limit: int = 200) -> list[Document]:
        query: Document = {"status": "failed", "district": district}
        if clinic is not None:
            query["clinic"] = clinic
        cursor = self.notifications.find(query).sort("updated_at", DESCENDING).limit(limit)
        return [doc async for doc in cursor]

    async def requeue(self, notification_id: uuid.UUID) -> bool:
        result = await self.notifications.update_one(
            {"_id": notification_id, "status": "failed"},
            {
                "$set": {"status": "queued", "attempts": 0, "next_attempt_at": utc_now()},
                "$inc": {"version": 1},
            },
        )
        return result.matched_count == 1

    async def notification(self, notification_id: uuid.UUID) -> Document | None:
        return await self.notifications.find_one({"_id": notification_id})

    # --- digests --------------------------------------------------------------------------

    async def held(self, clinic: str) -> list[Document]:
        cursor = self.notifications.find({"status": "held", "clinic": clinic}).sort(
            "created_at", ASCENDING
        )
        return [doc async for doc in cursor]

    async def clinics_with_held(self) -> list[str]:
        return [str(c) for c in await self.notifications.distinct("clinic", {"status": "held"})]

    async def mark_digested(
        self, session: AsyncClientSession, ids: Sequence[uuid.UUID], digest_id: uuid.UUID
    ) -> None:
        await self.notifications.update_many(
            {"_id": {"$in": list(ids)}, "status": "held"},
            {"$set": {"status": "digested", "digest_id": digest_id, "updated_at": utc_now()}},
            session=session,
        )

    # --- opt-outs -------------------------------------------------------------------------

    async def record_opt_out(
        self, session: AsyncClientSession, address: str, channel: str, clinic: str, at: datetime
    ) -> None:
        await self._opt_outs.update_one(
            {"_id": address},
            {"$setOnInsert": {"channel": channel, "clinic": clinic, "opted_out_at": at}},
            upsert=True,
            session=session,
        )

    async def opted_out(self, address: str) -> bool:
        return await self._opt_outs.find_one({"_id": address}) is not None

    # --- the public board -----------------------------------------------------------------

    async def save_board_entry(
        self, session: AsyncClientSession, complaint_id: uuid.UUID, entry: Document
    ) -> None:
        await self._board.update_one(
            {"_id": complaint_id}, {"$set": entry}, upsert=True, session=session
        )

    async def refresh_board_entry(
        self, session: AsyncClientSession, complaint_id: uuid.UUID, fields: Document
    ) -> None:
        """A category or unit decided after the answer was posted shows on the board too."""
        await self._board.update_one({"_id": complaint_id}, {"$set": fields}, session=session)

    async def board(self, clinic: str, limit: int = 200) -> list[Document]:
        cursor = (
            self._board.find({"clinic": clinic}, {"_id": 0})
            .sort("responded_at", DESCENDING)
            .limit(limit)
        )
        return [doc async for doc in cursor]

    # --- staff users (the directory's users collection, read only) ------------------------

    async def staff(self, clinic: str, roles: Sequence[str]) -> list[StaffMember]:
        cursor = self._users.find(
            {"clinic": clinic, "role": {"$in": list(roles)}, "active": True},
            {
                "role": 1,
                "clinic": 1,
                "unit": 1,
                "email": 1,
                "phone": 1,
                "notify_channels": 1,
                "digest": 1,
                "active": 1,
            },
        )
        return [_member(doc) async for doc in cursor]


def _member(doc: dict[str, Any]) -> StaffMember:
    return StaffMember(
        user_id=str(doc["_id"]),
        role=str(doc.get("role")),
        clinic=doc.get("clinic"),
        unit=doc.get("unit"),
        email=doc.get("email"),
        phone=doc.get("phone"),
        # An account that never chose is alerted over the contact details it has.
        notify_channels=alert_channels(
            doc.get("notify_channels"), doc.get("email"), doc.get("phone")
        ),
        digest=bool(doc.get("digest", False)),
        active=bool(doc.get("active", True)),
    )
