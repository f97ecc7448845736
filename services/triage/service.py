"""Triage use cases: register a received complaint with its automatic triage, and (later)
every staff command — each loads the aggregate, calls the domain, saves, emits events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from pymongo.asynchronous.client_session import AsyncClientSession

from services.triage.domain import complaint as domain
from services.triage.domain.classify import Classification, classify
from services.triage.domain.deadlines import WorkingCalendar
from services.triage.store import ComplaintStore
from shared.directory import Directory
from shared.events import (
    Actor,
    ComplaintReceived,
    ComplaintTriaged,
    ComplaintTriagedData,
    Event,
    utc_now,
)
from shared.idempotency import IdempotentApplier

SYSTEM_ACTOR = Actor.system("triage")
Classifier = Callable[[str], Classification]


class TriageService:
    def __init__(
        self,
        store: ComplaintStore,
        applier: IdempotentApplier,
        directory: Directory,
        classifier: Classifier = classify,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._applier = applier
        self._directory = directory
        self._classify = classifier
        self._clock = clock

    async def _calendar(self, clinic_code: str) -> WorkingCalendar:
        clinic = await self._directory.clinic(clinic_code)
        return WorkingCalendar(timezone=clinic.timezone if clinic else "Asia/Jakarta")

    async def register(self, event: ComplaintReceived) -> None:
        """Store a received complaint and triage it automatically (a person confirms later)."""
        data = event.data
        calendar = await self._calendar(event.clinic)
        suggestion = self._classify(data.text)
        now = self._clock()

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
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
            await self._store.add(
                session,
                complaint,
                {
                    "reporter": data.reporter.model_dump() if data.reporter else None,
                    "source": data.source.model_dump(mode="json") if data.source else None,
                    "suggestion": {
                        "category": suggestion.category,
                        "unit": suggestion.unit,
                        "urgent": suggestion.urgent,
                        "confidence": suggestion.confidence,
                    },
                },
            )
            return [self._triaged(event, change, suggestion) for change in changes]

        await self._applier.apply(event, effect)

    def _triaged(
        self, cause: ComplaintReceived, change: domain.Event, suggestion: Classification
    ) -> Event:
        assert isinstance(change, domain.Triaged)
        return ComplaintTriaged.following(
            cause,
            ComplaintTriagedData(
                complaint_id=cause.data.complaint_id,
                tracking_number=cause.data.tracking_number,
                kind=change.kind.value,
                category=change.category,
                unit=change.unit,
                urgent=change.urgent,
                automatic=True,
                confidence=suggestion.confidence,
                response_due=change.response_due,
            ),
            actor=SYSTEM_ACTOR,
            occurred_at=change.at,
        )
