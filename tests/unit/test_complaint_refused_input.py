"""The Complaint aggregate refuses bad input naming the field, and changes nothing: plans,
reasons and times."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.triage.domain.complaint import FollowUpPlan, PlanMaker, Status
from services.triage.domain.errors import InvalidCommand
from tests.support.complaint_builders import CALENDAR, TEAM, in_status, receive, wib


@pytest.mark.parametrize(
    ("status", "plan", "field"),
    [
        pytest.param(
            Status.ESCALATED,
            FollowUpPlan(
                ("Tegur petugas",), "Tim pengaduan", date(2026, 3, 9), PlanMaker.TIM_PENGADUAN
            ),
            "plan.made_by",
            id="escalated-plan-is-made-with-the-head",
        ),
        pytest.param(
            Status.TRIAGED,
            FollowUpPlan(("Perbaiki kipas",), "Sanitarian", date(2026, 3, 1), PlanMaker.TIM_MUTU),
            "plan.due_date",
            id="due-date-in-the-past",
        ),
    ],
)
def test_plan_is_refused_naming_the_field(status: Status, plan: FollowUpPlan, field: str) -> None:
    complaint, now = in_status(status)
    with pytest.raises(InvalidCommand) as refused:
        complaint.record_plan(plan=plan, actor=TEAM, now=now, calendar=CALENDAR)
    assert refused.value.field == field
    assert complaint.status is status


def test_plan_without_actions_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        FollowUpPlan((), "Tim mutu", date(2026, 3, 9), PlanMaker.TIM_MUTU)
    assert refused.value.field == "plan.actions"


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejection_requires_a_reason(reason: str) -> None:
    complaint = receive()
    with pytest.raises(InvalidCommand) as refused:
        complaint.reject(reason=reason, actor=TEAM, now=wib(3, 2, 10))
    assert refused.value.field == "reason"
    assert "wajib diisi" in refused.value.message
    assert (complaint.status, complaint.version) == (Status.RECEIVED, 1)


def test_time_without_a_zone_is_refused_naming_the_field() -> None:
    complaint = receive()
    with pytest.raises(InvalidCommand) as refused:
        complaint.assign(assignee="farmasi", actor=TEAM, now=datetime(2026, 3, 2, 10))
    assert refused.value.field == "now"


def test_complaint_waiting_for_the_reporter_is_closed_only_with_a_reason() -> None:
    complaint, now = in_status(Status.WAITING_REPORTER)
    with pytest.raises(InvalidCommand) as refused:
        complaint.close(reason=None, satisfied=None, actor=TEAM, now=now)
    assert refused.value.field == "reason"
    complaint.close(reason="Pelapor tidak dapat dihubungi", satisfied=None, actor=TEAM, now=now)
    assert complaint.status is Status.CLOSED
    assert complaint.paused_at is None
