"""Notify's subscribers: decode, call one use case."""

from __future__ import annotations

from services.notify.service import NotifyService
from shared.events import ComplaintReceived, ComplaintTriaged
from shared.messaging import EventConsumer


def register(consumer: EventConsumer, service: NotifyService) -> None:
    @consumer.handles(ComplaintReceived)
    async def on_complaint_received(event: ComplaintReceived) -> None:
        await service.complaint_received(event)

    @consumer.handles(ComplaintTriaged)
    async def on_complaint_triaged(event: ComplaintTriaged) -> None:
        await service.complaint_triaged(event)
