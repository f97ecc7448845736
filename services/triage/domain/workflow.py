"""The complaint's workflow as one table: command -> allowed source statuses -> target status,
and the statuses in which each deadline clock runs. The rules the table alone cannot state are
checked by the commands of ``complaint.Complaint`` (see its module docstring)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from services.triage.domain.values import Command, Status

S = Status
# command -> (statuses it is allowed from, status it leads to). Target None: ``assign`` keeps
# the status; ``reporter_replied`` returns to the status the pause began in.
TRANSITIONS: Mapping[Command, tuple[frozenset[Status], Status | None]] = MappingProxyType(
    {
        Command.TRIAGE: (frozenset({S.RECEIVED, S.TRIAGED}), S.TRIAGED),
        Command.ASSIGN: (frozenset(Status) - {S.RESPONDED, S.CLOSED, S.REJECTED}, None),
        Command.RECORD_PLAN: (
            frozenset({S.TRIAGED, S.PLANNED, S.ESCALATED, S.REOPENED}),
            S.PLANNED,
        ),
        Command.START_PROGRESS: (frozenset({S.PLANNED}), S.IN_PROGRESS),
        Command.ESCALATE: (
            frozenset({S.RECEIVED, S.TRIAGED, S.PLANNED, S.IN_PROGRESS, S.REOPENED}),
            S.ESCALATED,
        ),
        Command.WAIT_FOR_REPORTER: (
            frozenset({S.TRIAGED, S.PLANNED, S.IN_PROGRESS, S.ESCALATED}),
            S.WAITING_REPORTER,
        ),
        Command.REPORTER_REPLIED: (frozenset({S.WAITING_REPORTER}), None),
        Command.RECORD_REPLY: (
            frozenset({S.TRIAGED, S.PLANNED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED}),
            S.RESPONDED,
        ),
        Command.CLOSE: (frozenset({S.RESPONDED, S.WAITING_REPORTER}), S.CLOSED),
        Command.REOPEN: (frozenset({S.RESPONDED, S.CLOSED}), S.REOPENED),
        Command.REJECT: (frozenset({S.RECEIVED, S.TRIAGED, S.REOPENED}), S.REJECTED),
    }
)
# The answer deadline runs in these statuses (received: only when urgent at intake).
ANSWER_CLOCK_RUNS = frozenset(
    {S.RECEIVED, S.TRIAGED, S.PLANNED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED}
)
# The verify (triage) deadline runs here until a person has triaged.
TRIAGE_CLOCK_RUNS = frozenset({S.RECEIVED, S.TRIAGED})
