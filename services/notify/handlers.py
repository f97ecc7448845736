"""Notify's subscribers: decode, call one use case."""

from __future__ import annotations

from services.notify.service import NotifyService
from shared.events import (
    ComplaintAssigned,
    ComplaintClosed,
    ComplaintDeadlineMissed,
    ComplaintEscalated,
    ComplaintFeedbackReceived,
    ComplaintPlanRecorded,
    ComplaintReceived,
    ComplaintReporterReplied,
    ComplaintResponded,
    ComplaintTriaged,
    ComplaintWaitingReporter,
    NotificationDeliveryUpdated,
    ReporterOptedOut,
    ReporterOptedOutV2,
)
from shared.messaging import EventConsumer


def register(consumer: EventConsumer, service: NotifyService) -> None:
    @consumer.handles(ComplaintReceived)
    async def on_complaint_received(event: ComplaintReceived) -> None:
        await service.complaint_received(event)

    @consumer.handles(ComplaintTriaged)
    async def on_complaint_triaged(event: ComplaintTriaged) -> None:
        await service.complaint_triaged(event)

    @consumer.handles(ComplaintAssigned)
    async def on_complaint_assigned(event: ComplaintAssigned) -> None:
        await service.complaint_assigned(event)

    @consumer.handles(ComplaintPlanRecorded)
    async def on_plan_recorded(event: ComplaintPlanRecorded) -> None:
        await service.plan_recorded(event)

    @consumer.handles(ComplaintEscalated)
    async def on_complaint_escalated(event: ComplaintEscalated) -> None:
        await service.complaint_escalated(event)

    @consumer.handles(ComplaintWaitingReporter)
    async def on_waiting_reporter(event: ComplaintWaitingReporter) -> None:
        await service.waiting_reporter(event)

    @consumer.handles(ComplaintReporterReplied)
    async def on_reporter_replied(event: ComplaintReporterReplied) -> None:
        await service.reporter_replied(event)

    @consumer.handles(ComplaintFeedbackReceived)
    async def on_feedback_received(event: ComplaintFeedbackReceived) -> None:
        await service.feedback_received(event)

    @consumer.handles(ComplaintResponded)
    async def on_complaint_responded(event: ComplaintResponded) -> None:
        await service.complaint_responded(event)

    @consumer.handles(ComplaintClosed)
    async def on_complaint_closed(event: ComplaintClosed) -> None:
        await service.complaint_closed(event)

    @consumer.handles(ComplaintDeadlineMissed)
    async def on_deadline_missed(event: ComplaintDeadlineMissed) -> None:
        await service.deadline_missed(event)

    @consumer.handles(NotificationDeliveryUpdated)
    async def on_delivery_updated(event: NotificationDeliveryUpdated) -> None:
        await service.delivery_updated(event)

    @consumer.handles(ReporterOptedOut)  # both versions: one handler per event type
    async def on_reporter_opted_out(event: ReporterOptedOut | ReporterOptedOutV2) -> None:
        await service.reporter_opted_out(event)
