"""Intake's own records: each tracking number reserved once (unique), then marked published."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.storage import Database


class SubmissionStore:
    def __init__(self, db: Database) -> None:
        self._submissions = db["submissions"]

    async def reserve(
        self, tracking_number: str, complaint_id: uuid.UUID, clinic: str, at: datetime
    ) -> None:
        await self._submissions.insert_one(
            {
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
