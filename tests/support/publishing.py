"""Put events on a test's exchange the way a service's outbox relay does: persistent, routed by
their type."""

from __future__ import annotations

import aio_pika

from shared.events import Event, encode
from shared.settings import Settings


async def publish(
    amqp: aio_pika.abc.AbstractRobustConnection, settings: Settings, *events: Event
) -> None:
    async with amqp.channel() as channel:
        exchange = await channel.get_exchange(settings.exchange_name)
        for event in events:
            message = aio_pika.Message(
                encode(event), delivery_mode=aio_pika.DeliveryMode.PERSISTENT
            )
            await exchange.publish(message, routing_key=event.routing_key)
