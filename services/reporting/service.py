"""Reporting use cases: log every event once and fold it into the aggregates.

Every event is appended to ``event_log`` (personal data masked first: the PIN dropped, the
reporter reduced to its masked form, contacts in free text masked) in the same transaction as
its effect. A complaint event then recomputes its complaint's fact from the log and hands the
aggregates the difference between the new and the previous fact; a survey or notification event
adds its own contribution. The applier makes a redelivered event a no-op.

The aggregates are few hot documents (a clinic's month, its district's): events' transactions
that all updated them conflicted and retried. So an event's transaction only *inserts* its
share (``pending_contributions``), and a fold adds the pending shares in one transaction per
batch; the handler returns after a fold that began after its commit, so an acknowledged event
is counted, and a share left by a crash is folded by the redelivery (or by any later event).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.asynchronous.client_session import AsyncClientSession

from services.reporting.domain.contributions import (
    difference,
    fact_contributions,
    from_storable,
    notification_contributions,
    survey_contributions,
    to_storable,
)
from services.reporting.domain.facts import LoggedEvent, project
from services.reporting.domain.register import mask_contacts, mask_own_name, mask_reporter
from services.reporting.domain.stats import month_key
from services.reporting.store import (
    FOLD_BATCH,
    FactConflictError,
    ReportingStore,
    fact_document,
    log_document,
)
from shared.directory import Directory
from shared.events import ComplaintReceived, Event, SurveySubmitted
from shared.idempotency import Effect, IdempotentApplier
from shared.logging import get_logger

DEFAULT_TZ = "Asia/Jakarta"
_FACT_RETRIES = 5
_FREE_TEXT = ("text", "reply", "reason", "question", "note", "error")
log = get_logger(__name__)


def redacted(event: Event) -> dict[str, Any]:
    """The event's data as reporting keeps it: nothing that identifies the complainant."""
    data: dict[str, Any] = event.data.model_dump(mode="json")
    if isinstance(event, ComplaintReceived):
        data.pop("pin", None)
        if isinstance(data.get("text"), str):
            data["text"] = mask_own_name(data["text"], data.get("reporter"))
        data["reporter"] = mask_reporter(data.get("identity"), data.get("reporter"))
    if isinstance(event, SurveySubmitted):
        data.pop("suggestion", None)  # becomes feedback of its own, with its own masking
    for key in _FREE_TEXT:
        if isinstance(data.get(key), str):
            data[key] = mask_contacts(data[key])
    return data


def to_logged(event: Event) -> LoggedEvent:
    return LoggedEvent(
        event_id=str(event.event_id),
        type=event.type,
        occurred_at=event.occurred_at,
        district=event.district,
        clinic=event.clinic,
        actor_kind=event.actor.kind,
        data=redacted(event),
    )


class ZoneBook:
    """The clinics' time zones (a report month is the clinic's calendar month)."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory
        self._zones: dict[str, ZoneInfo] = {}

    async def zone(self, clinic_code: str) -> ZoneInfo:
        if clinic_code not in self._zones:
            clinic = await self._directory.clinic(clinic_code)
            self._zones[clinic_code] = ZoneInfo(clinic.timezone if clinic else DEFAULT_TZ)
        return self._zones[clinic_code]


class ReportingService:
    def __init__(self, store: ReportingStore, applier: IdempotentApplier, zones: ZoneBook) -> None:
        self._store = store
        self._applier = applier
        self._zones = zones
        self._folding = asyncio.Lock()  # one fold at a time in this process
        self._fold_requests = 0  # requests so far, numbered
        self._folded_up_to = 0  # every request up to this number is covered by a fold

    async def _apply(self, event: Event, effect: Effect) -> None:
        await self._applier.apply(event, effect)
        await self._fold()  # also after a duplicate: its share may be what a crash left

    async def _fold(self) -> None:
        """Fold everything pending, unless a fold that began after this call already did."""
        self._fold_requests += 1
        request = self._fold_requests
        async with self._folding:
            if self._folded_up_to >= request:
                return
            covered = self._fold_requests  # a fold starting now covers every request so far
            async with self._store.db.client.start_session() as session:
                while await session.with_transaction(self._store.fold) == FOLD_BATCH:
                    pass
            self._folded_up_to = covered

    async def record_complaint_event(self, event: Event) -> None:
        """Log a complaint event and bring its complaint's fact and the aggregates up to date."""
        complaint_id = str(event.data.complaint_id)
        logged = to_logged(event)
        zone = await self._zones.zone(event.clinic)

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.append_log(session, log_document(logged, "complaint", complaint_id))
            events = await self._store.complaint_events(session, complaint_id)
            fact = project(complaint_id, events)
            assert fact is not None  # the event just logged is among them
            previous = await self._store.fact(session, complaint_id)
            new = fact_contributions(fact, zone)
            old = from_storable(previous["contrib"]) if previous else {}
            month = month_key(fact.received_at, zone) if fact.received_at else None
            document = fact_document(fact, month, to_storable(new))
            await self._store.save_fact(session, document, previous["rev"] if previous else None)
            await self._store.stage(session, str(event.event_id), difference(new, old))
            return ()

        for attempt in range(1, _FACT_RETRIES + 1):
            try:
                await self._apply(event, effect)
                return
            except FactConflictError:
                if attempt == _FACT_RETRIES:
                    raise
                log.info("reporting.fact_conflict_retried", attempt=attempt)

    async def record_survey(self, event: SurveySubmitted) -> None:
        logged = to_logged(event)

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.append_log(session, log_document(logged, "survey", None))
            await self._store.stage(session, str(event.event_id), survey_contributions(logged))
            return ()

        await self._apply(event, effect)

    async def record_notification(self, event: Event) -> None:
        logged = to_logged(event)
        zone = await self._zones.zone(event.clinic)

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.append_log(session, log_document(logged, "notification", None))
            contributions = notification_contributions(logged, zone)
            await self._store.stage(session, str(event.event_id), contributions)
            return ()

        await self._apply(event, effect)
