"""What the reliability run proves at the end, read from the broker and the databases."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient

from shared.settings import Settings
from shared.topology import all_service_queues
from tests.reliability.traffic import Ledger
from tests.support.private_broker import PrivateBroker

REFERENCE = re.compile(r"\(ref (R\d{5})\)")
Mongo = AsyncMongoClient[dict[str, Any]]


def working_queues(settings: Settings) -> list[str]:
    """Every main and retry queue: where nothing may be left once the system is at rest."""
    return [q.name for s in all_service_queues(settings) for q in (s.main, *s.retries)]


def dead_letter_queues(settings: Settings) -> dict[str, str]:
    return {s.service: s.dead_letter.name for s in all_service_queues(settings)}


async def unpublished(mongo: Mongo, settings: Settings) -> int:
    """Events staged in an outbox and not yet published (a crash between the two)."""
    total = 0
    for service in ("intake", "triage", "notify", "reporting"):
        outbox = mongo[f"{settings.mongodb_db_prefix}_{service}"]["outbox"]
        total += await outbox.count_documents({"published": False})
    return total


async def wait_until_at_rest(
    broker: PrivateBroker, mongo: Mongo, settings: Settings, timeout: float
) -> dict[str, tuple[int, int]]:
    """Until no message waits or is in hand outside the dead-letter queues and every outbox
    is empty, twice in a row (the retry ladder's delays can hide a message for a moment)."""
    names = working_queues(settings)
    deadline = time.monotonic() + timeout
    quiet = 0
    while True:
        depths = await asyncio.to_thread(broker.queue_depths)
        busy = {n: depths.get(n, (0, 0)) for n in names if depths.get(n, (0, 0)) != (0, 0)}
        pending = await unpublished(mongo, settings)
        quiet = quiet + 1 if not busy and not pending else 0
        if quiet >= 3:
            return depths
        if time.monotonic() > deadline:
            raise AssertionError(f"not at rest after {timeout}s: {busy}, outbox {pending}")
        await asyncio.sleep(1.0)


@dataclass
class Stored:
    """Triage's complaints, by what identifies them."""

    total: int = 0
    by_tracking_number: Counter[str] = field(default_factory=Counter)
    by_message_id: Counter[str] = field(default_factory=Counter)
    by_reference: Counter[str] = field(default_factory=Counter)
    recount: dict[str, Counter[str]] = field(default_factory=dict)  # clinic -> field counts

    def duplicates(self, ledger: Ledger) -> dict[str, int]:
        """Complaints stored more than once, by what should have prevented it. A web
        complaint sent again after a lost answer may be stored once per such attempt."""
        return {
            "tracking_number": sum(n - 1 for n in self.by_tracking_number.values() if n > 1),
            "provider_message_id": sum(n - 1 for n in self.by_message_id.values() if n > 1),
            "web_beyond_lost_answers": sum(
                max(0, n - 1 - ledger.lost_answers[ref])
                for ref, n in self.by_reference.items()
                if ref in ledger.web
            ),
        }


async def stored_complaints(mongo: Mongo, settings: Settings) -> Stored:
    stored = Stored()
    complaints = mongo[f"{settings.mongodb_db_prefix}_triage"]["complaints"]
    projection = {
        "tracking_number": 1,
        "text": 1,
        "source": 1,
        "clinic": 1,
        "channel": 1,
        "kind": 1,
        "status": 1,
    }
    async for doc in complaints.find({}, projection):
        stored.total += 1
        stored.by_tracking_number[doc["tracking_number"]] += 1
        source = doc.get("source") or {}
        if source.get("external_id"):
            stored.by_message_id[source["external_id"]] += 1
        if match := REFERENCE.search(doc.get("text") or ""):
            stored.by_reference[match.group(1)] += 1
        counts = stored.recount.setdefault(doc["clinic"], Counter())
        counts["received"] += 1
        for name in ("status", "channel", "kind"):
            counts[f"{name}.{doc[name]}"] += 1
    return stored


def missing(stored: Stored, ledger: Ledger) -> dict[str, list[str]]:
    """Accepted complaints (every 202 and every 200 of a provider) that triage does not have."""
    return {
        "web": [ref for ref, tn in ledger.web.items() if stored.by_tracking_number[tn] == 0],
        "webhooks": [ref for ref, mid in ledger.webhooks.items() if stored.by_message_id[mid] == 0],
    }


def _flatten(doc: dict[str, Any], prefix: str = "") -> Counter[str]:
    flat: Counter[str] = Counter()
    for key, value in doc.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, int) and not isinstance(value, bool):
            flat[f"{prefix}{key}"] += value
    return flat


async def aggregate_mismatches(mongo: Mongo, settings: Settings, stored: Stored) -> list[str]:
    """Each clinic's reporting aggregates against a recount of triage's stored complaints: its
    current state (received, by status) and its months summed (received, by channel, kind)."""
    db = mongo[f"{settings.mongodb_db_prefix}_reporting"]
    months: dict[str, Counter[str]] = {}
    async for doc in db["complaint_counts"].find({}):
        months.setdefault(doc["clinic"], Counter()).update(_flatten(doc))
    now = {doc["clinic"]: _flatten(doc) async for doc in db["clinic_status"].find({})}
    problems = []
    for clinic in sorted(set(stored.recount) | set(months) | set(now)):
        recount = stored.recount.get(clinic, Counter())
        for name, value in recount.items():
            if name.startswith(("received", "status.")):
                got = now.get(clinic, Counter())[name]
                if got != value:
                    problems.append(f"{clinic} now {name}: {got} != recount {value}")
            if name.startswith(("received", "channel.", "kind.", "status.")):
                got = months.get(clinic, Counter())[name]
                if got != value:
                    problems.append(f"{clinic} months {name}: {got} != recount {value}")
        for name, got in now.get(clinic, Counter()).items():
            if name.startswith("status.") and got and recount[name] == 0:
                problems.append(f"{clinic} now {name}: {got}, none stored")
    return problems
