"""Every change of a complaint is announced with its own wire event."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.triage.domain.complaint import (
    SYSTEM,
    Actor,
    Channel,
    Complaint,
    FollowUpPlan,
    IdentityLevel,
    Kind,
    PlanMaker,
    ReporterReplied,
    Role,
)
from services.triage.domain.deadlines import WorkingCalendar
from services.triage.wire import Cause, to_wire
from shared.events import Event, decode, encode

WIB = ZoneInfo("Asia/Jakarta")
CALENDAR = WorkingCalendar()
TEAM = Actor("u-team", Role.COMPLAINT_TEAM, "Budi")
CAUSE = Cause("corr-1", "http:POST")


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=WIB)


def complaint(identity: IdentityLevel = IdentityLevel.BIASA) -> Complaint:
    return Complaint.receive(
        complaint_id=str(uuid.uuid4()),
        tracking_number="MDRJ1-0001",
        district="banjarnegara",
        clinic="MDRJ1",
        channel=Channel.WEB,
        identity=identity,
        kind=Kind.KELUHAN,
        text="Antrian lama",
        received_at=at(2),
        calendar=CALENDAR,
    )


def announce(c: Complaint, changes: list) -> list[Event]:  # type: ignore[type-arg]
    events = [to_wire(change, c, CAUSE) for change in changes]
    return [e for e in events if e is not None]


def test_each_command_of_a_whole_life_maps_to_its_event_type() -> None:
    c = complaint()
    plan = FollowUpPlan(("Tambah petugas",), "Koordinator", date(2026, 3, 20), PlanMaker.TIM_MUTU)
    steps = [
        c.triage(kind=Kind.KELUHAN, category="waktu_tunggu", unit="pendaftaran", urgent=False,
                 actor=SYSTEM, now=at(2), calendar=CALENDAR),
        c.triage(kind=Kind.KELUHAN, category="waktu_tunggu", unit="pendaftaran", urgent=False,
                 actor=TEAM, now=at(3), calendar=CALENDAR),
        c.assign(assignee="Budi", actor=TEAM, now=at(3)),
        c.record_plan(plan=plan, actor=TEAM, now=at(3), calendar=CALENDAR),
        c.start_progress(actor=TEAM, now=at(4)),
        c.escalate(reason="Perlu kepala", actor=TEAM, now=at(4)),
        c.wait_for_reporter(question="Kapan?", actor=TEAM, now=at(4)),
        c.reporter_replied(text="Senin", actor=TEAM, now=at(5), calendar=CALENDAR),
        c.record_reply(text="Sudah ditangani", actor=TEAM, now=at(5), calendar=CALENDAR),
        c.close(reason=None, satisfied=True, actor=TEAM, now=at(6)),
        c.reopen(reason="Masih", actor=TEAM, now=at(9), calendar=CALENDAR),
        c.check_deadlines(at(31)),
    ]  # fmt: skip
    types = [e.type for step in steps for e in announce(c, list(step))]
    assert types == [
        "complaint.triaged", "complaint.triaged", "complaint.assigned",
        "complaint.plan_recorded", "complaint.progress_started", "complaint.escalated",
        "complaint.waiting_reporter", "complaint.responded", "complaint.closed",
        "complaint.reopened", "complaint.deadline_missed",
    ]  # fmt: skip
    assert isinstance(steps[7][0], ReporterReplied)  # arrived from the wire: not re-announced


def test_wire_events_carry_the_clinic_the_actor_and_the_cause() -> None:
    c = complaint()
    [event] = announce(c, c.triage(kind=Kind.KELUHAN, category="x", unit="y", urgent=False,
                                   actor=TEAM, now=at(3), calendar=CALENDAR))  # fmt: skip
    assert (event.clinic, event.district, event.correlation_id) == (
        "MDRJ1",
        "banjarnegara",
        "corr-1",
    )
    assert event.actor.kind == "staff" and event.actor.role == "complaint_team"
    assert event.data.automatic is False  # type: ignore[attr-defined]
    assert decode(encode(event)) == event


def test_answer_to_an_anonymous_complaint_goes_on_the_public_board() -> None:
    c = complaint(IdentityLevel.ANONIM)
    c.triage(kind=Kind.KELUHAN, category="x", unit="y", urgent=True, actor=TEAM, now=at(2),
             calendar=CALENDAR)  # fmt: skip
    [event] = announce(c, c.record_reply(text="Jawab", actor=TEAM, now=at(2), calendar=CALENDAR))
    assert event.data.publish_on_board is True  # type: ignore[attr-defined]


def test_automatic_close_is_announced_as_closed_for_no_reply() -> None:
    c = complaint()
    c.triage(kind=Kind.KELUHAN, category="x", unit="y", urgent=True, actor=TEAM, now=at(2),
             calendar=CALENDAR)  # fmt: skip
    c.record_reply(text="Jawab", actor=TEAM, now=at(2), calendar=CALENDAR)
    [event] = announce(c, c.auto_close(now=at(31)))
    assert event.data.reason == "no_reply"  # type: ignore[attr-defined]
    assert event.actor.kind == "system"
