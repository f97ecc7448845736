"""The topology is declared once: names, queue types and the retry ladder."""

from __future__ import annotations

from faststream.rabbit import QueueType

from shared.events import EVENT_TYPES
from shared.settings import Settings
from shared.topology import SUBSCRIPTIONS, all_service_queues, service_queues


def matches(pattern: str, key: str) -> bool:
    head, _, tail = pattern.partition(".")
    key_head, _, key_tail = key.partition(".")
    return head == key_head and (tail in ("*", "#") or tail == key_tail)


def test_each_consumer_has_a_durable_quorum_queue_with_a_dead_letter_queue() -> None:
    settings = Settings(amqp_prefix="x", retry_delays_seconds=(1, 5, 30))
    queues = service_queues(settings, "triage")
    assert queues.main.name == "x.triage"
    assert queues.main.arguments["x-queue-type"] == QueueType.QUORUM.value
    assert queues.main.durable
    assert queues.main.arguments["x-dead-letter-routing-key"] == "x.triage.dlq"
    assert queues.dead_letter.name == "x.triage.dlq"
    assert queues.dead_letter.arguments["x-queue-type"] == QueueType.QUORUM.value


def test_retry_delays_grow_and_return_to_the_main_queue() -> None:
    settings = Settings(amqp_prefix="x", retry_delays_seconds=(1, 5, 30))
    retries = service_queues(settings, "notify").retries
    assert [q.arguments["x-message-ttl"] for q in retries] == [1000, 5000, 30000]
    assert {q.arguments["x-dead-letter-routing-key"] for q in retries} == {"x.notify"}
    assert settings.max_attempts == 4


def test_every_event_type_reaches_at_least_one_queue() -> None:
    patterns = [p for service in SUBSCRIPTIONS.values() for p in service]
    for event_type in EVENT_TYPES:
        assert any(matches(p, event_type) for p in patterns), event_type


def test_queue_names_are_unique() -> None:
    names = [
        q.name
        for queues in all_service_queues(Settings())
        for q in (queues.main, *queues.retries, queues.dead_letter)
    ]
    assert len(names) == len(set(names))
