"""Reporting use cases: fold each event into the aggregates, once."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from pymongo.asynchronous.client_session import AsyncClientSession

from services.reporting.domain.stats import month_key
from services.reporting.store import ReportingStore
from shared.directory import Directory
from shared.events import ComplaintReceived, Event, SurveySubmitted
from shared.idempotency import IdempotentApplier

DEFAULT_TZ = "Asia/Jakarta"


class ReportingService:
    def __init__(
        self, store: ReportingStore, applier: IdempotentApplier, directory: Directory
    ) -> None:
        self._store = store
        self._applier = applier
        self._directory = directory
        self._zones: dict[str, ZoneInfo] = {}

    async def _zone(self, clinic_code: str) -> ZoneInfo:
        if clinic_code not in self._zones:
            clinic = await self._directory.clinic(clinic_code)
            self._zones[clinic_code] = ZoneInfo(clinic.timezone if clinic else DEFAULT_TZ)
        return self._zones[clinic_code]

    async def count_event(self, event: Event) -> None:
        """Count any complaint or notification event under its clinic and month."""
        zone = await self._zone(event.clinic)
        increments = {f"events.{event.type.replace('.', '_')}": 1}
        if isinstance(event, ComplaintReceived):
            month = month_key(event.data.received_at, zone)
            increments |= {
                "received": 1,
                f"by_kind.{event.data.kind}": 1,
                f"by_channel.{event.data.channel}": 1,
            }
        else:
            month = month_key(event.occurred_at, zone)

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.add_counts(
                session,
                district=event.district,
                clinic=event.clinic,
                month=month,
                increments=increments,
            )
            return ()

        await self._applier.apply(event, effect)

    async def record_survey(self, event: SurveySubmitted) -> None:
        month = event.data.service_date.strftime("%Y-%m")
        answers = event.data.answers.model_dump()

        async def effect(session: AsyncClientSession) -> Sequence[Event]:
            await self._store.add_survey(
                session,
                district=event.district,
                clinic=event.clinic,
                unit=event.data.unit,
                month=month,
                answers=answers,
            )
            return ()

        await self._applier.apply(event, effect)
