"""Property tests over every event model: any valid event survives the wire unchanged, and a
message of an unknown schema version is refused cleanly (it goes to the dead-letter queue)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.events import EVENT_MODELS, Event, UndecodableEventError, decode, encode
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
