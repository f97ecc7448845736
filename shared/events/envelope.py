"""The envelope every event travels in, whatever its type."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

ClinicCode = str
DistrictCode = str


class Contract(BaseModel):
    """Base of every model on the wire: unknown fields refused, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(Contract):
    """Who caused the event: a member of the public, a staff user, the system or a provider."""

    kind: Literal["public", "staff", "system", "provider"]
    id: str | None = Field(default=None, max_length=120)
    role: str | None = Field(default=None, max_length=40)

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(kind="system", id=name)


SYSTEM = Actor(kind="system")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Event(Contract):
    """Envelope fields shared by all events.

    Each subclass narrows ``type`` and ``schema_version`` to literals with defaults and types
    ``data``. The routing key of an event on the exchange is its ``type``.
    """

    event_id: uuid.UUID
    type: str
    schema_version: int
    occurred_at: AwareDatetime
    district: DistrictCode = Field(min_length=1, max_length=40)
    clinic: ClinicCode = Field(min_length=1, max_length=40)
    correlation_id: str = Field(min_length=1, max_length=120)
    causation_id: str | None = Field(default=None, max_length=120)
    actor: Actor
    data: Any

    @field_validator("occurred_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @classmethod
    def create(
        cls,
        data: Any,
        *,
        district: str,
        clinic: str,
        actor: Actor,
        correlation_id: str,
        causation_id: str | None = None,
        occurred_at: datetime | None = None,
        event_id: uuid.UUID | None = None,
    ) -> Self:
        return cls(
            event_id=event_id or uuid.uuid4(),
            type=cls.model_fields["type"].default,
            schema_version=cls.model_fields["schema_version"].default,
            occurred_at=occurred_at or utc_now(),
            district=district,
            clinic=clinic,
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor=actor,
            data=data,
        )

    @classmethod
    def following(
        cls,
        cause: Event,
        data: Any,
        *,
        actor: Actor,
        occurred_at: datetime | None = None,
        event_id: uuid.UUID | None = None,
    ) -> Self:
        """An event caused by another: same clinic and correlation, causation = the cause."""
        return cls.create(
            data,
            district=cause.district,
            clinic=cause.clinic,
            actor=actor,
            correlation_id=cause.correlation_id,
            causation_id=str(cause.event_id),
            occurred_at=occurred_at,
            event_id=event_id,
        )

    @property
    def routing_key(self) -> str:
        return self.type
