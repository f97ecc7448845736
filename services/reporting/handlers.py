"""Reporting consumes every event: each is folded into the aggregates once."""

from __future__ import annotations

from services.reporting.service import ReportingService
from shared.events import EVENT_MODELS, Event, SurveySubmitted
from shared.messaging import EventConsumer


def register(consumer: EventConsumer, service: ReportingService) -> None:
    @consumer.handles(SurveySubmitted)
    async def on_survey_submitted(event: SurveySubmitted) -> None:
        await service.record_survey(event)

    async def on_event(event: Event) -> None:
        await service.count_event(event)

    for model in EVENT_MODELS.values():
        if model is not SurveySubmitted:
            consumer.handles(model)(on_event)
