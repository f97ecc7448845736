"""Intake's subscribers: triage's state changes keep the complainant's tracking view current;
notify's sent closing message makes intake await the answer to its question; a complaint
accepted at a clinic's edge node (forwarded by its uplink) gets its tracking view here."""

from __future__ import annotations

from services.intake.tracking_service import TrackingService
from shared.events import (
    ComplaintClosed,
    ComplaintEscalated,
    ComplaintPlanRecorded,
    ComplaintProgressStarted,
    ComplaintReceived,
    ComplaintRejected,
    ComplaintReopened,
    ComplaintReporterReplied,
    ComplaintResponded,
    ComplaintTriaged,
    ComplaintWaitingReporter,
    Event,
    NotificationSent,
)
from shared.messaging import EventConsumer

TRACKED = (
    ComplaintTriaged,
    ComplaintPlanRecorded,
    ComplaintProgressStarted,
    ComplaintEscalated,
    ComplaintWaitingReporter,
    ComplaintReporterReplied,
    ComplaintResponded,
    ComplaintClosed,
    ComplaintReopened,
    ComplaintRejected,
)


def register(consumer: EventConsumer, tracking: TrackingService) -> None:
    async def on_progress(event: Event) -> None:
        await tracking.record(event)

    for model in TRACKED:
        consumer.handles(model)(on_progress)

    @consumer.handles(ComplaintReceived)
    async def on_received_at_an_edge_node(event: ComplaintReceived) -> None:
        # Only an edge node's uplink brings these here: intake's queue is not bound to them.
        await tracking.adopt(event)

    @consumer.handles(NotificationSent)
    async def on_notification_sent(event: NotificationSent) -> None:
        await tracking.closing_message_sent(event)
