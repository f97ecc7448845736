"""Triage's subscribers: decode, call one use case."""

from __future__ import annotations

from services.triage.service import TriageService
from shared.events import ComplaintFeedbackReceived, ComplaintReceived, ComplaintReporterReplied
from shared.messaging import EventConsumer


def register(consumer: EventConsumer, service: TriageService) -> None:
    @consumer.handles(ComplaintReceived)
    async def on_complaint_received(event: ComplaintReceived) -> None:
        await service.register(event)

    @consumer.handles(ComplaintReporterReplied)
    async def on_reporter_replied(event: ComplaintReporterReplied) -> None:
        await service.reporter_replied(event)

    @consumer.handles(ComplaintFeedbackReceived)
    async def on_feedback_received(event: ComplaintFeedbackReceived) -> None:
        await service.feedback_received(event)
