"""Reporting consumes every event: each is logged and folded into the aggregates once."""

from __future__ import annotations

from pydantic import BaseModel

from services.reporting.service import ReportingService
from shared.events import EVENT_MODELS, Event, SurveySubmitted
from shared.messaging import EventConsumer


def _names_a_complaint(model: type[Event]) -> bool:
    data = model.model_fields["data"].annotation
    return (
        isinstance(data, type)
        and issubclass(data, BaseModel)
        and "complaint_id" in data.model_fields
    )


def register(consumer: EventConsumer, service: ReportingService) -> None:
    @consumer.handles(SurveySubmitted)
    async def on_survey_submitted(event: SurveySubmitted) -> None:
        await service.record_survey(event)

    async def on_complaint_event(event: Event) -> None:
        await service.record_complaint_event(event)

    async def on_notification_event(event: Event) -> None:
        await service.record_notification(event)

    for (event_type, _version), model in EVENT_MODELS.items():
        if event_type.startswith("complaint.") and _names_a_complaint(model):
            consumer.handles(model)(on_complaint_event)
        elif event_type.startswith("notification."):
            consumer.handles(model)(on_notification_event)
