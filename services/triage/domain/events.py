"""Domain events returned by the Complaint aggregate's commands (see ``complaint``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.triage.domain.deadlines import DeadlineKind
from services.triage.domain.values import Actor, FollowUpPlan, Kind


@dataclass(frozen=True)
class Event:
    complaint_id: str
    version: int
    at: datetime
    actor: Actor


@dataclass(frozen=True)
class Triaged(Event):
    kind: Kind
    category: str
    unit: str
    urgent: bool
    response_due: datetime
    automatic: bool = False  # the system's suggestion, not yet confirmed by a person


@dataclass(frozen=True)
class Assigned(Event):
    assignee: str


@dataclass(frozen=True)
class PlanRecorded(Event):
    plan: FollowUpPlan


@dataclass(frozen=True)
class ProgressStarted(Event):
    """The follow-up plan is being carried out."""


@dataclass(frozen=True)
class Escalated(Event):
    reason: str
    urgent: bool


@dataclass(frozen=True)
class WaitingReporter(Event):
    question: str


@dataclass(frozen=True)
class ReporterReplied(Event):
    text: str
    paused_working_days: int
    response_due: datetime | None


@dataclass(frozen=True)
class Responded(Event):
    text: str
    close_due: datetime
    publish_on_board: bool = False  # the team chose to show it on the public board too


@dataclass(frozen=True)
class Closed(Event):
    reason: str | None
    satisfied: bool | None
    automatic: bool


@dataclass(frozen=True)
class Reopened(Event):
    reason: str
    response_due: datetime


@dataclass(frozen=True)
class Rejected(Event):
    reason: str


@dataclass(frozen=True)
class DeadlineMissed(Event):
    kind: DeadlineKind
    due: datetime
