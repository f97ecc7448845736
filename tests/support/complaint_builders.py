"""Complaints of the triage domain for unit tests: the actors, a WIB clock, one valid call of
each workflow command, and a complaint brought to any status through the workflow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.triage.domain.complaint import (
    Actor,
    Channel,
    Command,
    Complaint,
    Event,
    FollowUpPlan,
    IdentityLevel,
    Kind,
    PlanMaker,
    Role,
    Status,
)
from services.triage.domain.deadlines import WorkingCalendar

WIB = ZoneInfo("Asia/Jakarta")
CALENDAR = WorkingCalendar("Asia/Jakarta")
OFFICER = Actor("u-officer", Role.OFFICER, "Sari")
TEAM = Actor("u-team", Role.COMPLAINT_TEAM, "Budi")
HEAD = Actor("u-head", Role.HEAD, "dr. Dwi")
PLAN = FollowUpPlan(
    actions=("Tambah satu petugas loket pendaftaran pada jam 07.30-09.00",),
    owner="Koordinator Pendaftaran",
    due_date=date(2026, 3, 31),
    made_by=PlanMaker.KEPALA,
)
STEP = timedelta(minutes=10)


def wib(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def end_of(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=WIB).astimezone(UTC)


def receive(
    *, kind: Kind = Kind.KELUHAN, urgent: bool = False, at: datetime | None = None
) -> Complaint:
    return Complaint.receive(
        complaint_id="c-1",
        tracking_number="PKM-2603-0001",
        district="banjarnegara",
        clinic="mandiraja-1",
        channel=Channel.WHATSAPP,
        identity=IdentityLevel.RAHASIA,
        kind=kind,
        text="Antrian pendaftaran lama sekali, sudah 2 jam belum dipanggil",
        received_at=at or wib(3, 2, 9),  # Monday 2 March 2026
        calendar=CALENDAR,
        urgent=urgent,
        actor=OFFICER,
    )


def triage(
    complaint: Complaint,
    now: datetime,
    *,
    kind: Kind = Kind.KELUHAN,
    category: str = "waktu_tunggu",
    unit: str = "pendaftaran",
    urgent: bool = False,
) -> list[Event]:
    """The complaint team triages the complaint."""
    return complaint.triage(
        kind=kind,
        category=category,
        unit=unit,
        urgent=urgent,
        actor=TEAM,
        now=now,
        calendar=CALENDAR,
    )


Runner = Callable[[Complaint, datetime], list[Event]]
# One valid call of each command; the table test runs each from every status.
RUNNERS: dict[Command, Runner] = {
    Command.TRIAGE: lambda c, now: triage(c, now, urgent=True),
    Command.ASSIGN: lambda c, now: c.assign(assignee="pendaftaran", actor=TEAM, now=now),
    Command.RECORD_PLAN: lambda c, now: c.record_plan(
        plan=PLAN, actor=HEAD, now=now, calendar=CALENDAR
    ),
    Command.START_PROGRESS: lambda c, now: c.start_progress(actor=TEAM, now=now),
    Command.ESCALATE: lambda c, now: c.escalate(
        reason="Tim tidak menemukan pemecahan masalah", actor=TEAM, now=now
    ),
    Command.WAIT_FOR_REPORTER: lambda c, now: c.wait_for_reporter(
        question="Pada tanggal dan jam berapa Bapak/Ibu datang?", actor=TEAM, now=now
    ),
    Command.REPORTER_REPLIED: lambda c, now: c.reporter_replied(
        text="Senin pagi jam 7", actor=OFFICER, now=now, calendar=CALENDAR
    ),
    Command.RECORD_REPLY: lambda c, now: c.record_reply(
        text="Mulai minggu depan loket pagi dilayani dua petugas.",
        actor=TEAM,
        now=now,
        calendar=CALENDAR,
    ),
    Command.CLOSE: lambda c, now: c.close(
        reason="Pelapor puas", satisfied=True, actor=TEAM, now=now
    ),
    Command.REOPEN: lambda c, now: c.reopen(
        reason="Pelapor: antrian masih lama", actor=OFFICER, now=now, calendar=CALENDAR
    ),
    Command.REJECT: lambda c, now: c.reject(reason="Pesan promosi (spam)", actor=TEAM, now=now),
}
C = Command
PATHS: dict[Status, list[Command]] = {
    Status.RECEIVED: [],
    Status.TRIAGED: [C.TRIAGE],
    Status.PLANNED: [C.TRIAGE, C.RECORD_PLAN],
    Status.IN_PROGRESS: [C.TRIAGE, C.RECORD_PLAN, C.START_PROGRESS],
    Status.WAITING_REPORTER: [C.TRIAGE, C.WAIT_FOR_REPORTER],
    Status.ESCALATED: [C.TRIAGE, C.ESCALATE],
    Status.RESPONDED: [C.TRIAGE, C.RECORD_PLAN, C.RECORD_REPLY],
    Status.CLOSED: [C.TRIAGE, C.RECORD_PLAN, C.RECORD_REPLY, C.CLOSE],
    Status.REOPENED: [C.TRIAGE, C.RECORD_PLAN, C.RECORD_REPLY, C.CLOSE, C.REOPEN],
    Status.REJECTED: [C.REJECT],
}


def in_status(status: Status) -> tuple[Complaint, datetime]:
    """An urgent keluhan brought to ``status`` through the workflow; returns the next moment."""
    complaint, now = receive(urgent=True), wib(3, 2, 10)
    for command in PATHS[status]:
        RUNNERS[command](complaint, now)
        now += STEP
    assert complaint.status is status
    return complaint, now
