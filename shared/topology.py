"""The RabbitMQ topology, declared in one place.

One durable topic exchange carries every domain event, routed by its type. Each consuming
service has one durable quorum queue bound to the keys it needs, a ladder of delay queues for
retries (each a TTL'd queue dead-lettering back into the main queue), and a dead-letter queue
that keeps what failed every attempt until an operator replays it.

Every service declares the whole topology when it starts, so that a publisher never finds an
event without its queues, whichever service happens to start first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from faststream.rabbit import ExchangeType, QueueType, RabbitExchange, RabbitQueue

from shared.settings import Settings

# Which events each consuming service receives (topic patterns on the event type).
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "triage": (
        "complaint.received",
        "complaint.reporter_replied",
        "complaint.feedback_received",
    ),
    "notify": (
        "complaint.received",
        "complaint.triaged",
        "complaint.assigned",
        "complaint.plan_recorded",
        "complaint.escalated",
        "complaint.responded",
        "complaint.closed",
        "complaint.deadline_missed",
        "notification.delivery_updated",
        "complaint.reporter_replied",
        "complaint.waiting_reporter",
        "reporter.opted_out",
        "complaint.personal_data_purged",
        "complaint.feedback_received",
    ),
    "reporting": ("complaint.*", "survey.*", "notification.*"),
    # The complainant's tracking view (status, unit, dates, reply) kept by intake.
    "intake": (
        "complaint.triaged",
        "complaint.plan_recorded",
        "complaint.progress_started",
        "complaint.escalated",
        "complaint.waiting_reporter",
        "complaint.reporter_replied",
        "complaint.responded",
        "complaint.closed",
        "complaint.reopened",
        "complaint.rejected",
        # A sent closing message awaits the answer to "Apakah jawaban kami membantu?".
        "notification.sent",
        # Retention: erase the tracking view's personal data (see shared/events/privacy.py).
        "complaint.personal_data_purged",
    ),
}


@dataclass(frozen=True)
class ServiceQueues:
    service: str
    main: RabbitQueue
    retries: tuple[RabbitQueue, ...]
    dead_letter: RabbitQueue
    bindings: tuple[str, ...]


def events_exchange(settings: Settings) -> RabbitExchange:
    return RabbitExchange(settings.exchange_name, type=ExchangeType.TOPIC, durable=True)


def _quorum(name: str, arguments: dict[str, Any]) -> RabbitQueue:
    # The typed argument dicts of FastStream do not list every quorum-queue argument we use.
    return RabbitQueue(
        name, queue_type=QueueType.QUORUM, durable=True, arguments=cast("Any", arguments)
    )


def service_queues(settings: Settings, service: str) -> ServiceQueues:
    base = f"{settings.amqp_prefix}.{service}"
    dead_letter_name = f"{base}.dlq"
    # Broker-side net: a message that keeps coming back without being acknowledged (a consumer
    # crashing on it, say) is dead-lettered by the broker itself after `delivery_limit` tries.
    main = _quorum(
        base,
        {
            "x-delivery-limit": settings.delivery_limit,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": dead_letter_name,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        },
    )
    retries = tuple(
        _quorum(
            f"{base}.retry.{attempt}",
            {
                "x-message-ttl": round(delay * 1000),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": base,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            },
        )
        for attempt, delay in enumerate(settings.retry_delays_seconds, start=1)
    )
    dead_letter = _quorum(dead_letter_name, {})
    return ServiceQueues(service, main, retries, dead_letter, SUBSCRIPTIONS[service])


# At a clinic's edge node: what the district's intake must learn of complaints accepted there
# (to answer their tracking), kept until the uplink shovel moves it to the district's intake
# queue (deploy/edge/shovels.sh).
UPLINK_BINDINGS = ("complaint.received",)


def uplink_queue(settings: Settings) -> RabbitQueue:
    return _quorum(f"{settings.amqp_prefix}.uplink.intake", {})


def all_service_queues(settings: Settings) -> list[ServiceQueues]:
    return [service_queues(settings, service) for service in SUBSCRIPTIONS]
