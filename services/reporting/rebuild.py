"""The operator's rebuild: drop every aggregate and recompute it from the event log.

The result is the same as the live folding gives, because both sum the same contributions
(``domain/contributions.py``) of the same facts (``domain/facts.py``). Run it with the reporting
service stopped: events consumed during a rebuild could be counted before their aggregate is
dropped. Visits are entered by people, not derived from events: they are kept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from services.reporting.domain.contributions import (
    Contributions,
    add_into,
    fact_contributions,
    notification_contributions,
    survey_contributions,
    to_storable,
)
from services.reporting.domain.facts import LoggedEvent, project
from services.reporting.domain.stats import month_key
from services.reporting.service import ZoneBook
from services.reporting.store import (
    AGGREGATES,
    EVENT_LOG,
    FACTS,
    fact_document,
    logged_event,
)
from shared.directory import Directory
from shared.settings import Settings
from shared.storage import Database, create_client, database, ensure_indexes

_BATCH = 1000


async def _complaints(db: Database) -> AsyncIterator[tuple[str, list[LoggedEvent]]]:
    """Each complaint's logged events, one complaint at a time (the log sorted by complaint)."""
    cursor = (
        db[EVENT_LOG].find({"subject": "complaint"}).sort([("complaint_id", 1), ("occurred_at", 1)])
    )
    current: str | None = None
    events: list[LoggedEvent] = []
    async for doc in cursor:
        if doc["complaint_id"] != current:
            if current is not None:
                yield current, events
            current, events = doc["complaint_id"], []
        events.append(logged_event(doc))
    if current is not None:
        yield current, events


async def write_aggregates(db: Database, totals: Contributions) -> int:
    """Insert summed contributions as aggregate documents (into emptied collections)."""
    documents: dict[str, list[dict[str, Any]]] = {}
    for target, fields in totals.items():
        doc: dict[str, Any] = {"_id": target.doc_id, **dict(target.meta)}
        for key, value in fields.items():
            if value:
                node = doc
                *parents, leaf = key.split(".")
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = value
        documents.setdefault(target.collection, []).append(doc)
    for collection, docs in documents.items():
        for start in range(0, len(docs), _BATCH):
            await db[collection].insert_many(docs[start : start + _BATCH], ordered=False)
    return sum(len(docs) for docs in documents.values())


async def rebuild_database(db: Database, directory: Directory) -> dict[str, int]:
    """Recompute facts and aggregates of one reporting database from its event log."""
    zones = ZoneBook(directory)
    for name in (FACTS, *AGGREGATES):
        await db[name].drop()
    await ensure_indexes(db, "reporting")
    totals: Contributions = {}
    facts: list[dict[str, Any]] = []
    counts = {"events": 0, "complaints": 0, "surveys": 0, "notifications": 0}
    async for complaint_id, events in _complaints(db):
        fact = project(complaint_id, events)
        assert fact is not None
        zone = await zones.zone(fact.clinic)
        contributions = fact_contributions(fact, zone)
        add_into(totals, contributions)
        month = month_key(fact.received_at, zone) if fact.received_at else None
        facts.append({**fact_document(fact, month, to_storable(contributions)), "rev": 1})
        counts["events"] += len(events)
        counts["complaints"] += 1
        if len(facts) >= _BATCH:
            await db[FACTS].insert_many(facts, ordered=False)
            facts = []
    if facts:
        await db[FACTS].insert_many(facts, ordered=False)
    async for doc in db[EVENT_LOG].find({"subject": {"$in": ["survey", "notification"]}}):
        event = logged_event(doc)
        counts["events"] += 1
        if doc["subject"] == "survey":
            add_into(totals, survey_contributions(event))
            counts["surveys"] += 1
        else:
            add_into(totals, notification_contributions(event, await zones.zone(event.clinic)))
            counts["notifications"] += 1
    counts["aggregates"] = await write_aggregates(db, totals)
    return counts


async def rebuild(settings: Settings) -> dict[str, int]:
    """``sigap rebuild-reports``: recompute every reporting aggregate from the stored history."""
    client = create_client(settings)
    try:
        db = database(client, settings, "reporting")
        directory = Directory(database(client, settings, "directory"))
        return await rebuild_database(db, directory)
    finally:
        await client.close()
