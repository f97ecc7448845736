"""Property tests over every event model: any valid event survives the wire unchanged, and a
message of an unknown schema version is refused cleanly: the consumer sends it to its
dead-letter queue at once, unchanged, without retrying."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import aiormq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from shared.events import EVENT_MODELS, Event, UndecodableEventError, decode, encode
from shared.messaging import ATTEMPT_HEADER, ERROR_HEADER, EventConsumer
from shared.settings import Settings
from tests.support.strategies import model_strategy

MODELS = sorted(EVENT_MODELS.values(), key=lambda model: model.model_fields["type"].default)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.model_fields["type"].default)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_event_round_trips_through_the_wire(
    model: type[Event], data: st.DataObject
) -> None:
    event = data.draw(model_strategy(model))
    assert decode(encode(event)) == event


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.model_fields["type"].default)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), version=st.integers().filter(lambda v: v != 1))
def test_unknown_schema_version_is_refused(
    model: type[Event], data: st.DataObject, version: int
) -> None:
    body = json.loads(encode(data.draw(model_strategy(model))))
    body["schema_version"] = version
    with pytest.raises(UndecodableEventError, match="unknown event"):
        decode(json.dumps(body).encode())


class RecordingBroker:
    """Stands in for the broker: records what the consumer republishes, confirms it."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    async def publish(self, body: bytes, **options: Any) -> aiormq.spec.Basic.Ack:
        self.published.append({"body": body, **options})
        return aiormq.spec.Basic.Ack()


class DeliveredMessage:
    def __init__(self, body: bytes) -> None:
        self.body = body
        self.headers: dict[str, Any] = {}
        self.raw_message = SimpleNamespace(
            message_id="m-1", correlation_id="c-1", content_type="application/json", type=None
        )
        self.outcome: str | None = None

    async def ack(self) -> None:
        self.outcome = "ack"

    async def nack(self, requeue: bool = True) -> None:
        self.outcome = "requeued" if requeue else "dropped"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.model_fields["type"].default)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), version=st.integers(2, 10**6))
def test_unknown_schema_version_goes_to_the_dead_letter_queue_at_once(
    model: type[Event], data: st.DataObject, version: int
) -> None:
    assume((model.model_fields["type"].default, version) not in EVENT_MODELS)  # e.g. a v2
    body = json.loads(encode(data.draw(model_strategy(model))))
    body["schema_version"] = version
    consumer = EventConsumer("reporting", Settings(environment="test"))
    broker = RecordingBroker()
    consumer._broker = broker  # type: ignore[assignment]
    message = DeliveredMessage(json.dumps(body).encode())

    async def call_next(msg: DeliveredMessage) -> None:
        await consumer.dispatch(json.loads(msg.body))

    asyncio.run(consumer._consume(call_next, message))  # type: ignore[arg-type]

    [republished] = broker.published
    assert republished["queue"] == consumer.queues.dead_letter.name
    assert republished["headers"][ATTEMPT_HEADER] == 1  # no retry: it can never decode
    assert "UndecodableEventError" in republished["headers"][ERROR_HEADER]
    assert json.loads(republished["body"]) == body  # kept as it came, for the operator
    assert message.outcome == "ack"  # taken off the main queue only once it is kept
