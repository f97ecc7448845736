"""One registry from routing key (and schema version) to event model, and the wire codec."""

from __future__ import annotations

import json
from collections.abc import Iterable

from pydantic import ValidationError

from shared.events.complaints import (
    ComplaintAssigned,
    ComplaintClosed,
    ComplaintDeadlineMissed,
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
)
from shared.events.envelope import Event
from shared.events.feedback import ComplaintFeedbackReceived
from shared.events.notifications import (
    NotificationDeliveryUpdated,
    NotificationFailed,
    NotificationSent,
    ReporterOptedOut,
    ReporterOptedOutV2,
)
from shared.events.privacy import ComplaintPersonalDataPurged
from shared.events.surveys import SurveySubmitted


class UndecodableEventError(ValueError):
    """A message that no version of any known event model accepts: never retried."""


def _key(model: type[Event]) -> tuple[str, int]:
    return model.model_fields["type"].default, model.model_fields["schema_version"].default


def _build(models: Iterable[type[Event]]) -> dict[tuple[str, int], type[Event]]:
    registry: dict[tuple[str, int], type[Event]] = {}
    for model in models:
        key = _key(model)
        if key in registry:
            raise RuntimeError(f"event {key} registered twice")
        registry[key] = model
    return registry


EVENT_MODELS: dict[tuple[str, int], type[Event]] = _build(
    (
        ComplaintReceived,
        ComplaintTriaged,
        ComplaintAssigned,
        ComplaintPlanRecorded,
        ComplaintProgressStarted,
        ComplaintEscalated,
        ComplaintWaitingReporter,
        ComplaintReporterReplied,
        ComplaintResponded,
        ComplaintClosed,
        ComplaintReopened,
        ComplaintRejected,
        ComplaintDeadlineMissed,
        ComplaintFeedbackReceived,
        ComplaintPersonalDataPurged,
        SurveySubmitted,
        NotificationSent,
        NotificationFailed,
        NotificationDeliveryUpdated,
        ReporterOptedOut,
        ReporterOptedOutV2,
    )
)
EVENT_TYPES: frozenset[str] = frozenset(event_type for event_type, _ in EVENT_MODELS)


def routing_key_of(model: type[Event]) -> str:
    return _key(model)[0]


def encode(event: Event) -> bytes:
    return event.model_dump_json().encode()


def decode(body: bytes) -> Event:
    """Parse a message body into its event model, or raise ``UndecodableEventError``."""
    try:
        obj = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UndecodableEventError(f"body is not JSON: {exc}") from exc
    return decode_object(obj)


def decode_object(obj: object) -> Event:
    """Validate a parsed JSON body into its event model, or raise ``UndecodableEventError``."""
    if not isinstance(obj, dict):
        raise UndecodableEventError("body is not a JSON object")
    key = (obj.get("type"), obj.get("schema_version"))
    model = EVENT_MODELS.get(key)  # type: ignore[arg-type]
    if model is None:
        raise UndecodableEventError(f"unknown event type/version {key!r}")
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        raise UndecodableEventError(f"invalid {key[0]} v{key[1]}: {exc}") from exc
