"""Event contracts: one envelope, one model per type, a registry, strict decoding."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from shared.events import (
    EVENT_MODELS,
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    ComplaintTriaged,
    ComplaintTriagedData,
    Reporter,
    UndecodableEventError,
    decode,
    encode,
)

REQUIRED_TYPES = {
    "complaint.received",
    "complaint.triaged",
    "complaint.plan_recorded",
    "complaint.escalated",
    "complaint.responded",
    "complaint.closed",
    "complaint.reopened",
    "complaint.rejected",
    "complaint.deadline_missed",
    "survey.submitted",
    "notification.sent",
    "notification.failed",
}


def received(**overrides: object) -> ComplaintReceived:
    data = {
        "complaint_id": uuid.uuid4(),
        "tracking_number": "MDRJ1-2611-ABCD-EFGH",
        "pin": "012345",
        "channel": "whatsapp",
        "kind": "keluhan",
        "text": "Antri lama",
        "reporter": Reporter(name="Budi", phone="+6281234567890"),
        "received_at": datetime.now(UTC),
        **overrides,
    }
    return ComplaintReceived.create(
        ComplaintReceivedData(**data),  # type: ignore[arg-type]
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="corr-1",
    )


def test_every_event_type_the_spec_names_has_a_model() -> None:
    assert {event_type for event_type, _ in EVENT_MODELS} >= REQUIRED_TYPES


def test_event_round_trips_through_the_wire_format() -> None:
    event = received()
    assert decode(encode(event)) == event
    assert event.routing_key == "complaint.received"
    assert event.schema_version == 1


def test_following_event_keeps_correlation_and_names_its_cause() -> None:
    cause = received()
    follow = ComplaintTriaged.following(
        cause,
        ComplaintTriagedData(
            complaint_id=cause.data.complaint_id,
            tracking_number=cause.data.tracking_number,
            kind="keluhan",
            category="waktu_tunggu",
            unit="pendaftaran",
            urgent=False,
            automatic=True,
        ),
        actor=Actor.system("triage"),
    )
    assert follow.correlation_id == cause.correlation_id
    assert follow.causation_id == str(cause.event_id)
    assert (follow.district, follow.clinic) == (cause.district, cause.clinic)


def test_occurred_at_is_kept_in_utc() -> None:
    wib = timezone(timedelta(hours=7))
    event = ComplaintReceived.create(
        received().data,
        district="d1",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="c",
        occurred_at=datetime(2026, 11, 26, 9, 0, tzinfo=wib),
    )
    assert event.occurred_at == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert event.occurred_at.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValidationError, match="received_at"):
        received(received_at=datetime(2026, 1, 1))


def test_anonymous_complaint_cannot_carry_a_reporter() -> None:
    with pytest.raises(ValidationError, match="anonim"):
        received(identity="anonim")


def test_unknown_fields_are_refused() -> None:
    body = json.loads(encode(received()))
    body["data"]["password"] = "x"
    with pytest.raises(UndecodableEventError, match="password"):
        decode(json.dumps(body).encode())


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"type": "complaint.received", "schema_version": 2}',
        b'{"type": "complaint.vanished", "schema_version": 1}',
        b'{"type": "complaint.received", "schema_version": 1}',
    ],
)
def test_undecodable_messages_raise_a_clear_error(body: bytes) -> None:
    with pytest.raises(UndecodableEventError):
        decode(body)


def test_events_are_immutable() -> None:
    event = received()
    with pytest.raises(ValidationError):
        event.clinic = "OTHER"  # type: ignore[misc]
