"""MongoDB filters over the complaint register: the staff list and the deadline scan.

Kept apart from ``store`` so the filters can be read (and tested) as plain dictionaries.
Only operators SecantusDB supports are used; text search goes through the ``keywords`` array.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from services.triage.domain.complaint import ANSWER_CLOCK_RUNS, TRIAGE_CLOCK_RUNS, Status
from services.triage.domain.deadlines import DeadlineKind
from services.triage.domain.similarity import keywords


@dataclass(frozen=True)
class ComplaintQuery:
    """What a staff member asks of the register. ``district``/``clinic``/``unit_scope`` come
    from who asks (never from the request), the rest from the request."""

    district: str
    clinic: str | None = None
    unit_scope: str | None = None
    status: Status | None = None
    unit: str | None = None
    channel: str | None = None
    category: str | None = None
    kind: str | None = None
    overdue: bool | None = None
    possible_duplicate: bool | None = None
    text: str | None = None
    offset: int = 0
    limit: int = 50
    order: Literal["newest", "deadline"] = "newest"


def _values(statuses: frozenset[Status]) -> list[str]:
    return sorted(s.value for s in statuses)


def overdue(now: datetime) -> dict[str, Any]:
    """A running deadline has passed (whether or not the scheduler has raised it yet)."""
    return {
        "$or": [
            {
                "status": {"$in": _values(TRIAGE_CLOCK_RUNS)},
                "triage_review": None,
                "deadlines.triage_due": {"$lt": now},
            },
            {
                "status": {"$in": _values(ANSWER_CLOCK_RUNS)},
                "deadlines.response_due": {"$lt": now},
            },
        ]
    }


def due_for_check(now: datetime) -> dict[str, Any]:
    """Complaints the deadline scheduler has something to do with."""
    return {
        "$or": [
            {
                "status": {"$in": _values(TRIAGE_CLOCK_RUNS)},
                "triage_review": None,
                "deadlines.triage_due": {"$lt": now},
                "missed_deadlines": {"$ne": DeadlineKind.TRIAGE.value},
            },
            {
                "status": {"$in": _values(ANSWER_CLOCK_RUNS)},
                "deadlines.response_due": {"$lt": now},
                "missed_deadlines": {"$ne": DeadlineKind.RESPONSE.value},
            },
            {"status": Status.RESPONDED.value, "deadlines.close_due": {"$lt": now}},
        ]
    }


def ordering(query: ComplaintQuery) -> list[tuple[str, int]]:
    """Newest first, or the nearest deadline first: complaints still without an answer
    deadline (not yet triaged; their verify deadline is the nearer one) come before the rest."""
    if query.order == "deadline":
        return [("deadlines.response_due", 1), ("deadlines.triage_due", 1), ("received_at", -1)]
    return [("received_at", -1)]


def matching(query: ComplaintQuery, now: datetime) -> dict[str, Any]:
    conditions: list[dict[str, Any]] = [{"district": query.district}]
    if query.clinic is not None:
        conditions.append({"clinic": query.clinic})
    if query.unit_scope is not None:
        conditions.append({"unit": query.unit_scope})
    equal = {
        "status": query.status.value if query.status else None,
        "unit": query.unit,
        "channel": query.channel,
        "category": query.category,
        "kind": query.kind,
    }
    conditions.extend({name: value} for name, value in equal.items() if value is not None)
    if query.overdue is True:
        conditions.append(overdue(now))
    elif query.overdue is False:
        conditions.append({"$nor": [overdue(now)]})
    if query.possible_duplicate is not None:
        flagged = {"possible_duplicate_of": {"$ne": None}}
        conditions.append(flagged if query.possible_duplicate else {"$nor": [flagged]})
    if query.text:
        words = keywords(query.text)
        # A query of stop words only matches nothing rather than everything.
        conditions.append({"keywords": {"$all": words}} if words else {"_id": None})
    return {"$and": conditions}
