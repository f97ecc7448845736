"""Retention: on ``complaint.personal_data_purged`` intake erases what it keeps of the
complainant (``sigap purge-personal-data``; see shared/events/privacy.py).

The submission keeps its tracking number, clinic, kind, channel, unit, status and dates. Gone
are the contact key (which finds a person's other complaints), the PIN's hash (the tracking page
closes for good: the PIN was the complainant's only key to it) and the texts addressed to the
complainant (reply and note), which may name them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from shared.events import ComplaintPersonalDataPurged
from shared.idempotency import IdempotentApplier
from shared.privacy import PURGED_AT, PurgeEraser, register
from shared.storage import Database

__all__ = ["PersonalDataEraser", "holding", "register"]
PERSONAL_FIELDS = ("reporter_key", "pin_hash", "reply", "note")


def _selection(complaint_ids: Iterable[uuid.UUID]) -> dict[str, Any]:
    return {"complaint_id": {"$in": list(complaint_ids)}, PURGED_AT: None}


class PersonalDataEraser(PurgeEraser):
    def __init__(self, db: Database, applier: IdempotentApplier) -> None:
        super().__init__(applier)
        self._submissions = db["submissions"]

    async def erase_in(
        self, event: ComplaintPersonalDataPurged, session: AsyncClientSession
    ) -> None:
        await self._submissions.update_many(
            _selection([event.data.complaint_id]),
            {
                "$set": {PURGED_AT: event.occurred_at},
                "$unset": dict.fromkeys(PERSONAL_FIELDS, ""),
            },
            session=session,
        )


async def holding(db: Database, complaint_ids: Iterable[uuid.UUID]) -> int:
    """How many of these complaints' submissions still hold personal data (read only)."""
    return await db["submissions"].count_documents(_selection(complaint_ids))
