"""Domain events of the Complaint aggregate mapped to the wire models of ``shared.events``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.triage.domain import complaint as domain
from services.triage.domain.complaint import Channel, Complaint, IdentityLevel
from shared import events as wire

SYSTEM_ACTOR = wire.Actor.system("triage")


@dataclass(frozen=True)
class Cause:
    """Where a change came from: the correlation it continues and the event or request id."""

    correlation_id: str
    causation_id: str | None = None


def actor_of(actor: domain.Actor) -> wire.Actor:
    if actor.role is domain.Role.SYSTEM:
        return SYSTEM_ACTOR
    return wire.Actor(kind="staff", id=actor.user_id, role=actor.role.value)


def _data(change: domain.Event, complaint: Complaint, confidence: float | None) -> wire.Contract:
    ref = {"complaint_id": uuid.UUID(complaint.id), "tracking_number": complaint.tracking_number}
    match change:
        case domain.Triaged():
            return wire.ComplaintTriagedData(
                **ref,
                kind=change.kind.value,
                category=change.category,
                unit=change.unit,
                urgent=change.urgent,
                automatic=change.automatic,
                confidence=confidence if change.automatic else None,
                triage_due=complaint.deadlines.triage_due,
                response_due=change.response_due,
            )
        case domain.Assigned():
            return wire.ComplaintAssignedData(**ref, assignee=change.assignee, unit=complaint.unit)
        case domain.PlanRecorded():
            plan = change.plan
            return wire.PlanRecordedData(
                **ref,
                actions=plan.actions,
                owner=plan.owner,
                due_date=plan.due_date,
                made_by=plan.made_by.value,
            )
        case domain.ProgressStarted():
            return wire.ProgressStartedData(**ref)
        case domain.Escalated():
            return wire.EscalatedData(**ref, reason=change.reason, urgent=change.urgent)
        case domain.WaitingReporter():
            return wire.WaitingReporterData(**ref, question=change.question)
        case domain.Responded():
            # Anonymous and suggestion-box answers can only be read there; others when the
            # team chooses to publish them.
            on_board = (
                complaint.identity is IdentityLevel.ANONIM
                or complaint.channel is Channel.KOTAK_SARAN
                or change.publish_on_board
            )
            return wire.RespondedData(**ref, reply=change.text, publish_on_board=on_board)
        case domain.Closed():
            reason = "no_reply" if change.automatic else "resolved"
            return wire.ClosedData(**ref, reason=reason, satisfied=change.satisfied)
        case domain.Reopened() | domain.Rejected():
            return wire.ReasonData(**ref, reason=change.reason)
        case domain.DeadlineMissed():
            return wire.DeadlineMissedData(**ref, deadline=change.kind.value, due_at=change.due)
    raise TypeError(f"no wire event for {type(change).__name__}")


_MODELS: dict[type[domain.Event], type[wire.Event]] = {
    domain.Triaged: wire.ComplaintTriaged,
    domain.Assigned: wire.ComplaintAssigned,
    domain.PlanRecorded: wire.ComplaintPlanRecorded,
    domain.ProgressStarted: wire.ComplaintProgressStarted,
    domain.Escalated: wire.ComplaintEscalated,
    domain.WaitingReporter: wire.ComplaintWaitingReporter,
    domain.Responded: wire.ComplaintResponded,
    domain.Closed: wire.ComplaintClosed,
    domain.Reopened: wire.ComplaintReopened,
    domain.Rejected: wire.ComplaintRejected,
    domain.DeadlineMissed: wire.ComplaintDeadlineMissed,
}


def to_wire(
    change: domain.Event,
    complaint: Complaint,
    cause: Cause,
    *,
    confidence: float | None = None,
    event_id: uuid.UUID | None = None,
) -> wire.Event | None:
    """The wire event announcing ``change``; None for a change that came from the wire itself
    (the complainant's reply arrives as ``complaint.reporter_replied``)."""
    if isinstance(change, domain.ReporterReplied):
        return None
    model = _MODELS[type(change)]
    return model.create(
        _data(change, complaint, confidence),
        district=complaint.district,
        clinic=complaint.clinic,
        actor=actor_of(change.actor),
        correlation_id=cause.correlation_id,
        causation_id=cause.causation_id,
        occurred_at=change.at,
        event_id=event_id,
    )
