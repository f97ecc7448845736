"""One complaint's reporting fact, folded from its events in the order they happened.

Reporting receives a complaint's events at least once and in any order. Instead of applying each
event to a running state (which a late or repeated event would corrupt), the fact is recomputed
from *all* the complaint's logged events every time one arrives: the fold is a pure function of
the set of events, so redelivery and arrival order cannot change it.

Events are sorted by the time they happened, ties broken by their place in the workflow. A
complaint whose ``complaint.received`` has not arrived yet has no receipt month and contributes
nothing to the aggregates until it does.

Definitions the reports use:
- *first response*: the first time the team went back to the complainant — a reply
  (``responded``) or a question (``waiting_reporter``), whichever came first.
- *time to close*: receipt to the last ``closed`` (only while the complaint is closed).
- deadline *missed*: a ``complaint.deadline_missed`` of that kind was raised at any time;
  *met*: the step was done (triaged for the triage deadline, answered for the answer deadline)
  and no miss of that kind was raised.
- *helped*: the complainant's last answer (YA/TIDAK) to "Apakah jawaban kami membantu?".
- *open*: neither closed nor rejected. *overdue*: open, not answered and not waiting on the
  complainant, with a deadline missed since the last reopening.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

Data = Mapping[str, Any]

# Position of each event type in the workflow: orders events that share a timestamp.
WORKFLOW_ORDER: Final[dict[str, int]] = {
    "complaint.received": 0,
    "complaint.triaged": 1,
    "complaint.assigned": 2,
    "complaint.plan_recorded": 3,
    "complaint.progress_started": 4,
    "complaint.escalated": 5,
    "complaint.waiting_reporter": 6,
    "complaint.reporter_replied": 7,
    "complaint.deadline_missed": 8,
    "complaint.responded": 9,
    "complaint.closed": 10,
    "complaint.reopened": 11,
    "complaint.rejected": 12,
    "complaint.feedback_received": 13,
}
_STATUS_AFTER: Final[dict[str, str]] = {
    "complaint.received": "received",
    "complaint.triaged": "triaged",
    "complaint.plan_recorded": "planned",
    "complaint.progress_started": "in_progress",
    "complaint.escalated": "escalated",
    "complaint.waiting_reporter": "waiting_reporter",
    "complaint.responded": "responded",
    "complaint.closed": "closed",
    "complaint.reopened": "reopened",
    "complaint.rejected": "rejected",
}
CLOSED_STATUSES: Final = frozenset({"closed", "rejected"})
# Statuses in which the answer is still owed and its clock runs (SPEC §3).
_CLOCK_RUNS: Final = frozenset(
    {"received", "triaged", "planned", "in_progress", "escalated", "reopened"}
)
DEADLINE_KINDS: Final = ("triage", "response")


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """An event as reporting keeps it in its log (personal data already masked)."""

    event_id: str
    type: str
    occurred_at: datetime
    district: str
    clinic: str
    actor_kind: str
    data: Data

    @property
    def sort_key(self) -> tuple[datetime, int, str]:
        return self.occurred_at, WORKFLOW_ORDER.get(self.type, 99), self.event_id


@dataclass(frozen=True, slots=True)
class Plan:
    actions: tuple[str, ...]
    owner: str
    due_date: str
    made_by: str
    ikm_elements: tuple[str, ...]
    recorded_at: datetime


@dataclass(slots=True)
class ComplaintFact:
    """What the reports need to know about one complaint, as of all its events so far."""

    complaint_id: str
    district: str
    clinic: str
    tracking_number: str | None = None
    received_at: datetime | None = None
    channel: str | None = None
    kind: str | None = None
    identity: str | None = None
    reporter: str | None = None  # masked already
    text: str | None = None
    category: str | None = None
    unit: str | None = None
    urgent: bool = False
    status: str = "received"
    triaged_at: datetime | None = None
    first_response_at: datetime | None = None
    responded_at: datetime | None = None
    reply: str | None = None
    closed_at: datetime | None = None
    close_reason: str | None = None
    satisfied: bool | None = None
    helped: bool | None = None  # the complainant's last YA/TIDAK to the closing question
    rejected_reason: str | None = None
    plan: Plan | None = None
    missed: set[str] = field(default_factory=set)
    missed_since_reopen: bool = False
    reopened: int = 0
    events: int = 0

    @property
    def complete(self) -> bool:
        """Whether the receipt is known, so that the complaint has a month to count in."""
        return self.received_at is not None

    @property
    def open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def overdue(self) -> bool:
        return self.status in _CLOCK_RUNS and self.missed_since_reopen

    def deadline_outcome(self, kind: str) -> str | None:
        """``"met"``, ``"missed"`` or ``None`` while the deadline has not fallen due."""
        if kind in self.missed:
            return "missed"
        done = self.triaged_at if kind == "triage" else self.responded_at
        return "met" if done is not None else None


def parse_instant(value: object) -> datetime | None:
    """An ISO-8601 instant as stored in the log (``None`` stays ``None``)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _earliest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate < current else current


def _apply(fact: ComplaintFact, event: LoggedEvent, paused_from: list[str]) -> None:
    data, at = event.data, event.occurred_at
    if event.type == "complaint.received":
        fact.tracking_number = data.get("tracking_number")
        fact.received_at = parse_instant(data.get("received_at")) or at
        fact.channel, fact.identity = data.get("channel"), data.get("identity")
        fact.kind = fact.kind or data.get("kind")
        fact.unit = fact.unit or data.get("unit")
        fact.reporter, fact.text = data.get("reporter"), data.get("text")
        return  # the status set by later events (if they arrived first) must stand
    if event.type == "complaint.triaged":
        fact.kind, fact.category, fact.unit = (
            data.get("kind"),
            data.get("category"),
            data.get("unit"),
        )
        fact.urgent = bool(data.get("urgent"))
        fact.triaged_at = _earliest(fact.triaged_at, at)
    elif event.type == "complaint.assigned" and data.get("unit"):
        fact.unit = data["unit"]
    elif event.type == "complaint.plan_recorded":
        fact.plan = Plan(
            tuple(data.get("actions", ())),
            str(data.get("owner", "")),
            str(data.get("due_date", "")),
            str(data.get("made_by", "")),
            tuple(data.get("ikm_elements", ())),
            at,
        )
    elif event.type == "complaint.escalated":
        fact.urgent = fact.urgent or bool(data.get("urgent"))
    elif event.type == "complaint.waiting_reporter":
        paused_from.append(fact.status)
        fact.first_response_at = _earliest(fact.first_response_at, at)
    elif event.type == "complaint.reporter_replied":
        fact.status = paused_from.pop() if paused_from else fact.status
        return
    elif event.type == "complaint.deadline_missed":
        fact.missed.add(str(data.get("deadline")))
        fact.missed_since_reopen = True
        return
    elif event.type == "complaint.responded":
        fact.responded_at, fact.reply = at, data.get("reply")
        fact.first_response_at = _earliest(fact.first_response_at, at)
    elif event.type == "complaint.closed":
        fact.closed_at, fact.close_reason = at, data.get("reason")
        fact.satisfied = data.get("satisfied")
    elif event.type == "complaint.reopened":
        fact.closed_at, fact.satisfied, fact.close_reason = None, None, None
        fact.missed_since_reopen = False
        fact.reopened += 1
    elif event.type == "complaint.rejected":
        fact.rejected_reason = data.get("reason")
    elif event.type == "complaint.feedback_received":
        fact.helped = bool(data.get("helped"))
        return  # an answer after closing changes no status
    if event.type in _STATUS_AFTER:
        fact.status = _STATUS_AFTER[event.type]


def project(complaint_id: str, events: Iterable[LoggedEvent]) -> ComplaintFact | None:
    """The fact of a complaint from all its events (any order, duplicates ignored)."""
    unique = {event.event_id: event for event in events}
    ordered = sorted(unique.values(), key=lambda event: event.sort_key)
    if not ordered:
        return None
    first = next((e for e in ordered if e.type == "complaint.received"), ordered[0])
    fact = ComplaintFact(complaint_id, first.district, first.clinic)
    paused_from: list[str] = []
    for event in ordered:
        _apply(fact, event, paused_from)
    fact.events = len(ordered)
    return fact
