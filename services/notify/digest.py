"""Daily digests: staff who asked for one get a single message a day listing what was held for
them, instead of one message per complaint (urgent alerts are never held)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from pymongo.asynchronous.client_session import AsyncClientSession

from services.notify.domain.messages import render
from services.notify.store import NotifyStore
from services.notify.templates import TemplateLibrary
from shared.directory import Directory
from shared.events import utc_now
from shared.storage import Client, Document

DIGEST_TEMPLATE = "staf_ringkasan_harian"
DIGEST_NAMESPACE = uuid.UUID("6f1d4a52-4c1b-4f57-9d0e-8a7f3c2b1d11")


class DigestMaker:
    def __init__(
        self,
        store: NotifyStore,
        client: Client,
        directory: Directory,
        templates: TemplateLibrary,
        digest_hour: int,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._client = client
        self._directory = directory
        self._templates = templates
        self._hour = digest_hour
        self._clock = clock

    async def run_once(self) -> int:
        """Queue today's digest for every recipient with held messages; the number queued."""
        made = 0
        for code in await self._store.clinics_with_held():
            clinic = await self._directory.clinic(code)
            zone = ZoneInfo(clinic.timezone if clinic else "Asia/Jakarta")
            today = self._clock().astimezone(zone).date()
            cutoff = datetime.combine(today, time(self._hour), tzinfo=zone)
            if self._clock() < cutoff:
                continue
            groups: dict[tuple[str, str], list[Document]] = defaultdict(list)
            for doc in await self._store.held(code):
                if doc["created_at"] < cutoff:  # later ones go into tomorrow's digest
                    groups[(doc["user_id"], doc["channel"])].append(doc)
            for items in groups.values():
                made += await self._queue_digest(items, today.strftime("%d-%m-%Y"))
        return made

    async def _queue_digest(self, items: list[Document], day: str) -> int:
        first = items[0]
        digest_id = uuid.uuid5(DIGEST_NAMESPACE, f"{first['user_id']}:{first['channel']}:{day}")
        lines = []
        for item in items:
            template = self._templates.get(item["template"], item["clinic"])
            lines.append("- " + render(template, item.get("params", {})).title)
        now = self._clock()
        record: Document = {
            "_id": uuid.uuid4(),
            "cause_event_id": digest_id,
            "recipient_key": f"user:{first['user_id']}:{first['channel']}",
            "complaint_id": None,
            **{k: first[k] for k in ("district", "clinic", "audience", "channel", "address")},
            "user_id": first["user_id"],
            "correlation_id": f"digest-{digest_id}",
            "template": DIGEST_TEMPLATE,
            "params": {"tanggal": day, "jumlah": len(items), "daftar": "\n".join(lines)},
            "status": "queued",
            "attempts": 0,
            "version": 0,
            "next_attempt_at": now,
            "created_at": now,
            "updated_at": now,
        }

        async def transaction(session: AsyncClientSession) -> bool:
            result = await self._store.notifications.update_one(
                {"cause_event_id": digest_id, "recipient_key": record["recipient_key"]},
                {"$setOnInsert": record},
                upsert=True,
                session=session,
            )
            if result.upserted_id is None:  # made before: these wait for tomorrow's
                return False
            await self._store.mark_digested(session, [i["_id"] for i in items], digest_id)
            return True

        async with self._client.start_session() as session:
            made = await session.with_transaction(transaction)
        return 1 if made else 0
