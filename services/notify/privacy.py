"""Retention: on ``complaint.personal_data_purged`` notify erases what it keeps of the
complainant (``sigap purge-personal-data``; see shared/events/privacy.py).

Notify's view of the complaint loses the reply address and the reporter's name (its question is
kept: it was scrubbed for the public board when stored). The complainant's own notification
records keep their template, status and dates for the delivery statistics, with the address
masked as in the logs and the PIN (kept only until sent) removed. Staff notifications name staff,
not the complainant, and stay. Opt-outs stay too: they are a person's standing request not to be
messaged, kept for as long as the number may write in again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from pymongo.asynchronous.client_session import AsyncClientSession

from shared.events import ComplaintPersonalDataPurged
from shared.idempotency import IdempotentApplier
from shared.logging import mask_text
from shared.privacy import PURGED_AT, PurgeEraser, register
from shared.storage import Database

__all__ = ["PersonalDataEraser", "holding", "register"]


class PersonalDataEraser(PurgeEraser):
    def __init__(self, db: Database, applier: IdempotentApplier) -> None:
        super().__init__(applier)
        self._complaints = db["complaints"]
        self._notifications = db["notifications"]

    async def erase_in(
        self, event: ComplaintPersonalDataPurged, session: AsyncClientSession
    ) -> None:
        complaint_id, now = event.data.complaint_id, event.occurred_at
        await self._complaints.update_one(
            {"_id": complaint_id, PURGED_AT: None},
            {"$set": {PURGED_AT: now}, "$unset": {"address": "", "reporter_name": ""}},
            session=session,
        )
        query = {"complaint_id": complaint_id, "audience": "reporter", PURGED_AT: None}
        async for doc in self._notifications.find(query, {"address": 1}, session=session):
            address = doc.get("address")
            await self._notifications.update_one(
                {"_id": doc["_id"]},
                {
                    "$set": {
                        PURGED_AT: now,
                        "address": mask_text(address) if isinstance(address, str) else None,
                    },
                    "$unset": {"params.pin": ""},
                },
                session=session,
            )


async def holding(db: Database, complaint_ids: Iterable[uuid.UUID]) -> int:
    """How many records of these complaints still hold personal data (read only)."""
    ids = list(complaint_ids)
    complaints = await db["complaints"].count_documents({"_id": {"$in": ids}, PURGED_AT: None})
    reporter_records = await db["notifications"].count_documents(
        {"complaint_id": {"$in": ids}, "audience": "reporter", PURGED_AT: None}
    )
    return complaints + reporter_records
