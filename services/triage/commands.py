"""The staff commands as the service layer runs them: from a validated request body (the JSON
API's or a console form's, the same pydantic models) and who asks, to the ``Act`` that
``TriageService.execute`` applies. One table, so the API and the console cannot disagree on
what a command does or who may run it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.triage import api_schemas as body_of
from services.triage.calendars import ClinicRules
from services.triage.domain import complaint as domain
from services.triage.domain.complaint import Complaint
from services.triage.service import Act
from shared.auth import Action, Principal


def actor_of(principal: Principal) -> domain.Actor:
    return domain.Actor(principal.user_id, domain.Role(principal.role.value), principal.name)


def triage(body: body_of.TriageBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, clinic: ClinicRules) -> list[domain.Event]:
        return c.triage(
            kind=domain.Kind(body.kind),
            category=body.category,
            unit=body.unit,
            urgent=body.urgent,
            actor=actor,
            now=now,
            calendar=clinic.calendar,
            known_units=clinic.units,
        )

    return act


def assign(body: body_of.AssignBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, _clinic: ClinicRules) -> list[domain.Event]:
        return c.assign(assignee=body.assignee, actor=actor, now=now)

    return act


def plan(body: body_of.PlanBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, clinic: ClinicRules) -> list[domain.Event]:
        follow_up = domain.FollowUpPlan(
            actions=tuple(body.actions),
            owner=body.owner,
            due_date=body.due_date,
            made_by=domain.PlanMaker(body.made_by),
        )
        return c.record_plan(plan=follow_up, actor=actor, now=now, calendar=clinic.calendar)

    return act


def progress(_body: body_of.ProgressBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, _clinic: ClinicRules) -> list[domain.Event]:
        return c.start_progress(actor=actor, now=now)

    return act


def escalate(body: body_of.EscalateBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, _clinic: ClinicRules) -> list[domain.Event]:
        return c.escalate(reason=body.reason, actor=actor, now=now)

    return act


def wait(body: body_of.WaitBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, _clinic: ClinicRules) -> list[domain.Event]:
        return c.wait_for_reporter(question=body.question, actor=actor, now=now)

    return act


def reply(body: body_of.ReplyBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, clinic: ClinicRules) -> list[domain.Event]:
        return c.record_reply(
            text=body.text,
            actor=actor,
            now=now,
            calendar=clinic.calendar,
            publish_on_board=body.publish_on_board,
        )

    return act


def close(body: body_of.CloseBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, _clinic: ClinicRules) -> list[domain.Event]:
        return c.close(reason=body.reason, satisfied=body.satisfied, actor=actor, now=now)

    return act


def reopen(body: body_of.ReasonBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, clinic: ClinicRules) -> list[domain.Event]:
        return c.reopen(reason=body.reason, actor=actor, now=now, calendar=clinic.calendar)

    return act


def reject(body: body_of.ReasonBody, actor: domain.Actor) -> Act:
    def act(c: Complaint, now: datetime, _clinic: ClinicRules) -> list[domain.Event]:
        return c.reject(reason=body.reason, actor=actor, now=now)

    return act


@dataclass(frozen=True)
class CommandSpec:
    """A command's request body, the permission it needs, its domain command (to offer it
    only in the statuses the workflow allows) and how it becomes an ``Act``."""

    body: type[body_of.Command]
    action: Action
    domain_command: domain.Command
    act: Callable[[Any, domain.Actor], Act]


C = domain.Command
COMMANDS: dict[str, CommandSpec] = {
    "triage": CommandSpec(body_of.TriageBody, Action.COMPLAINT_TRIAGE, C.TRIAGE, triage),
    "assign": CommandSpec(body_of.AssignBody, Action.COMPLAINT_ASSIGN, C.ASSIGN, assign),
    "plan": CommandSpec(body_of.PlanBody, Action.COMPLAINT_PLAN, C.RECORD_PLAN, plan),
    "progress": CommandSpec(
        body_of.ProgressBody, Action.COMPLAINT_PROGRESS, C.START_PROGRESS, progress
    ),
    "escalate": CommandSpec(body_of.EscalateBody, Action.COMPLAINT_ESCALATE, C.ESCALATE, escalate),
    "wait": CommandSpec(body_of.WaitBody, Action.COMPLAINT_REPLY, C.WAIT_FOR_REPORTER, wait),
    "reply": CommandSpec(body_of.ReplyBody, Action.COMPLAINT_REPLY, C.RECORD_REPLY, reply),
    "close": CommandSpec(body_of.CloseBody, Action.COMPLAINT_CLOSE, C.CLOSE, close),
    "reopen": CommandSpec(body_of.ReasonBody, Action.COMPLAINT_REOPEN, C.REOPEN, reopen),
    "reject": CommandSpec(body_of.ReasonBody, Action.COMPLAINT_REJECT, C.REJECT, reject),
}
