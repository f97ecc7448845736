"""Notification records: one per (cause event, recipient), which is what makes a redelivered
event unable to plan or send the same message twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.notify.domain.planning import PlannedNotification, ReplyChannel
from shared.events import Event, utc_now
from shared.storage import Database


class NotifyStore:
    def __init__(self, db: Database) -> None:
        self._notifications = db["notifications"]
        self._contacts = db["reporter_contacts"]

    async def save_contact(
        self,
        session: AsyncClientSession,
        complaint_id: uuid.UUID,
        channel: ReplyChannel | None,
        contact: dict[str, Any],
    ) -> None:
        """Keep how to reach the complainant, for every later message about the complaint."""
        await self._contacts.update_one(
            {"_id": complaint_id},
            {"$setOnInsert": {"channel": channel, **contact, "created_at": utc_now()}},
            upsert=True,
            session=session,
        )

    async def plan(
        self,
        session: AsyncClientSession,
        cause: Event,
        complaint_id: uuid.UUID,
        planned: Sequence[PlannedNotification],
    ) -> None:
        for item in planned:
            await self._notifications.update_one(
                {"cause_event_id": cause.event_id, "recipient_key": item.audience},
                {
                    "$setOnInsert": {
                        "_id": uuid.uuid4(),
                        "complaint_id": complaint_id,
                        "clinic": cause.clinic,
                        "audience": item.audience,
                        "channel": item.channel,
                        "template": item.template,
                        "status": "queued",
                        "created_at": utc_now(),
                    }
                },
                upsert=True,
                session=session,
            )

    async def for_complaint(self, complaint_id: uuid.UUID) -> list[dict[str, Any]]:
        cursor = self._notifications.find({"complaint_id": complaint_id}, {"_id": 0})
        return [doc async for doc in cursor]
