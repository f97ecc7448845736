"""Triage use cases: register a received complaint with its automatic triage, take the
complainant's reply and their answer to the closing question, run a staff command, and check
one complaint's deadlines. Each loads the aggregate, calls the domain, saves with a version
check and emits its events through the outbox, in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from pymongo.asynchronous.client_session import AsyncClientSession

from services.triage.calendars import CalendarBook, ClinicRules
from services.triage.domain import complaint as domain
from services.triage.domain.classify import Classification, classify
from services.triage.domain.complaint import Complaint
from services.triage.domain.similarity import (
    DUPLICATE_WINDOW,
    keywords,
    possible_duplicate_of,
    reporter_key,
)
from services.triage.store import ComplaintStore, StaleComplaintError
from services.triage.wire import Cause, to_wire
from shared.events import (
    ComplaintFeedbackReceived,
    ComplaintReceived,
    ComplaintReporterReplied,
    Event,
    utc_now,
)
from shared.idempotency import IdempotentApplier

Classifier = Callable[[str], Classification]
# A staff command: changes the complaint (or raises a domain error) and returns its changes.
Act = Callable[[Complaint, datetime, ClinicRules], list[domain.Event]]
DEADLINE_EVENTS = uuid.UUID("0f7c56a4-6f5e-4d0e-9b7a-5a3f0e1d2c47")


class ComplaintNotFoundError(LookupError):
    pass


class TriageService:
    def __init__(
        self,
        store: ComplaintStore,
        applier: IdempotentApplier,
        calendars: CalendarBook,
        classifier: Classifier = classify,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._applier = applier
        self._calendars = calendars
        self._classify = classifier
        self._clock = clock

    async def register(self, event: ComplaintReceived) -> None:
        """Store a received complaint and triage it automatically (a person confirms later)."""
        data = event.data
        calendar = await self._calendars.for_clinic(event.clinic)
        suggestion = self._classify(data.text)
        now = self._clock()
        words = keywords(data.text)
        reporter = data.reporter
        key = reporter_key(reporter.phone, reporter.email) if reporter else None

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            if await self._store.exists(session, data.complaint_id):
                return []  # the same complaint announced twice under two event ids
            complaint = domain.Complaint.receive(
                complaint_id=str(data.complaint_id),
                tracking_number=data.tracking_number,
                district=event.district,
                clinic=event.clinic,
                channel=domain.Channel(data.channel),
                identity=domain.IdentityLevel(data.identity),
                kind=domain.Kind(data.kind),
                text=data.text,
                received_at=data.received_at,
                calendar=calendar,
                urgent=suggestion.urgent,
            )
            changes = complaint.triage(
                kind=domain.Kind(data.kind),
                category=suggestion.category,
                unit=data.unit or suggestion.unit,
                urgent=suggestion.urgent,
                actor=domain.SYSTEM,
                now=now,
                calendar=calendar,
            )
            earlier = (
                await self._store.earlier_of_reporter(
                    session, event.clinic, key, data.received_at - DUPLICATE_WINDOW
                )
                if key
                else []
            )
            await self._store.add(
                session,
                complaint,
                {
                    "reporter": reporter.model_dump() if reporter else None,
                    "reporter_key": key,
                    "source": data.source.model_dump(mode="json") if data.source else None,
                    "keywords": words,
                    "possible_duplicate_of": possible_duplicate_of(
                        words, complaint.received_at, earlier
                    ),
                    "suggestion": {
                        "category": suggestion.category,
                        "unit": suggestion.unit,
                        "urgent": suggestion.urgent,
                        "confidence": suggestion.confidence,
                    },
                },
            )
            cause = Cause(event.correlation_id, str(event.event_id))
            return _announce(changes, complaint, cause, confidence=suggestion.confidence)

        await self._applier.apply(event, effect)

    async def reporter_replied(self, event: ComplaintReporterReplied) -> None:
        """The complainant answered: the paused clock restarts. A message nobody asked for is
        kept in the register. An unknown complaint is retried (its receipt may still come)."""
        complaint_id = event.data.complaint_id

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            complaint = await self._store.get(complaint_id)
            if complaint is None:
                raise ComplaintNotFoundError(str(complaint_id))
            version, now = complaint.version, event.occurred_at
            actor = domain.Actor(event.actor.id or "pelapor", domain.Role.SYSTEM, "Pelapor")
            if complaint.status is domain.Status.WAITING_REPORTER:
                calendar = await self._calendars.for_clinic(complaint.clinic)
                complaint.reporter_replied(
                    text=event.data.text, actor=actor, now=now, calendar=calendar
                )
            else:
                complaint.record_reporter_message(text=event.data.text, actor=actor, now=now)
            await self._store.save(session, complaint, version)
            return []

        await self._applier.apply(event, effect)

    async def feedback_received(self, event: ComplaintFeedbackReceived) -> None:
        """The complainant answered the closing question: kept on the complaint once. An
        unknown complaint is retried (its receipt may still come)."""
        data = event.data

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            complaint = await self._store.get(data.complaint_id)
            if complaint is None:
                raise ComplaintNotFoundError(str(data.complaint_id))
            version = complaint.version
            actor = domain.Actor(event.actor.id or "pelapor", domain.Role.SYSTEM, "Pelapor")
            channel = domain.Channel(data.channel)
            complaint.record_feedback(
                helped=data.helped, channel=channel, actor=actor, now=event.occurred_at
            )
            if complaint.version != version:
                await self._store.save(session, complaint, version)
            return []

        await self._applier.apply(event, effect)

    async def execute(
        self,
        complaint_id: uuid.UUID,
        expected_version: int,
        act: Act,
        cause: Cause,
        visible: Callable[[Complaint], bool],
    ) -> Complaint:
        """Run one staff command on the version the user saw; StaleComplaintError when the
        complaint changed since, ComplaintNotFoundError when the user may not see it."""
        complaint = await self._store.get(complaint_id)
        if complaint is None or not visible(complaint):
            raise ComplaintNotFoundError(str(complaint_id))
        if complaint.version != expected_version:
            raise StaleComplaintError(complaint.id)
        rules = await self._calendars.rules(complaint.clinic)
        events = _announce(act(complaint, self._clock(), rules), complaint, cause)

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.save(session, complaint, expected_version)
            return events

        # A staff command is applied once under the id of the first event it produces.
        await self._applier.apply(events[0], effect)
        return complaint

    async def check_deadlines(self, complaint_id: uuid.UUID) -> list[Event]:
        """Raise the missed deadlines of one complaint and close it when its time has come.

        Event ids derive from the complaint, the deadline and its due moment, so replicas
        scanning at once produce the same event and only one applies it."""
        complaint = await self._store.get(complaint_id)
        if complaint is None:
            return []
        version, now = complaint.version, self._clock()
        changes: list[domain.Event] = list(complaint.check_deadlines(now))
        due = complaint.deadlines.close_due
        if complaint.status is domain.Status.RESPONDED and due is not None and now > due:
            changes += complaint.auto_close(now=now)
        if not changes:
            return []
        cause = Cause(f"deadline-{complaint.id}")
        events = [
            to_wire(change, complaint, cause, event_id=_deadline_event_id(complaint, change))
            for change in changes
        ]
        outgoing = [e for e in events if e is not None]

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.save(session, complaint, version)
            return outgoing

        applied = await self._applier.apply(outgoing[0], effect)
        return outgoing if applied else []


def _deadline_event_id(complaint: Complaint, change: domain.Event) -> uuid.UUID:
    if isinstance(change, domain.DeadlineMissed):
        name = f"{complaint.id}/{change.kind}/{change.due.isoformat()}"
    else:
        name = f"{complaint.id}/auto_close/{complaint.deadlines.close_due}"
    return uuid.uuid5(DEADLINE_EVENTS, name)


def _announce(
    changes: Sequence[domain.Event],
    complaint: Complaint,
    cause: Cause,
    *,
    confidence: float | None = None,
) -> list[Event]:
    events = [to_wire(change, complaint, cause, confidence=confidence) for change in changes]
    return [event for event in events if event is not None]
