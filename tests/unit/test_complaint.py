"""The Complaint aggregate: its workflow table, register, version and deadlines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.triage.domain.complaint import (
    SYSTEM,
    TRANSITIONS,
    Actor,
    Channel,
    Closed,
    Command,
    Complaint,
    DeadlineMissed,
    Escalated,
    Event,
    FollowUpPlan,
    IdentityLevel,
    Kind,
    PlanMaker,
    Reopened,
    Responded,
    Role,
    Status,
    Triaged,
)
from services.triage.domain.deadlines import DeadlineKind, WorkingCalendar
from services.triage.domain.errors import IllegalTransition, InvalidCommand

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


Runner = Callable[[Complaint, datetime], list[Event]]
# One valid call of each command; the table test runs each from every status.
RUNNERS: dict[Command, Runner] = {
    Command.TRIAGE: lambda c, now: c.triage(
        kind=Kind.KELUHAN,
        category="waktu_tunggu",
        unit="pendaftaran",
        urgent=True,
        actor=TEAM,
        now=now,
        calendar=CALENDAR,
    ),
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
STEP = timedelta(minutes=10)


def in_status(status: Status) -> tuple[Complaint, datetime]:
    """An urgent keluhan brought to ``status`` through the workflow; returns the next moment."""
    complaint, now = receive(urgent=True), wib(3, 2, 10)
    for command in PATHS[status]:
        RUNNERS[command](complaint, now)
        now += STEP
    assert complaint.status is status
    return complaint, now


def test_table_covers_every_command_and_every_status_is_reachable() -> None:
    assert set(TRANSITIONS) == set(Command)
    assert set(PATHS) == set(Status)


@pytest.mark.parametrize("status", list(Status), ids=str)
@pytest.mark.parametrize("command", list(Command), ids=str)
def test_every_command_is_allowed_exactly_from_the_statuses_in_the_table(
    command: Command, status: Status
) -> None:
    complaint, now = in_status(status)
    version, entries = complaint.version, len(complaint.history)
    sources, target = TRANSITIONS[command]
    if status in sources:
        events = RUNNERS[command](complaint, now)
        expected = target or (Status.TRIAGED if command is Command.REPORTER_REPLIED else status)
        assert complaint.status is expected
        assert complaint.version == version + 1
        assert events and all(event.version == complaint.version for event in events)
        entry = complaint.history[-1]
        assert (entry.action, entry.from_status, entry.to_status) == (command, status, expected)
    else:
        with pytest.raises(IllegalTransition) as refused:
            RUNNERS[command](complaint, now)
        assert (refused.value.command, refused.value.status) == (command, status)
        assert (complaint.status, complaint.version) == (status, version)
        assert len(complaint.history) == entries


def test_closed_complaint_cannot_be_planned() -> None:
    complaint, now = in_status(Status.CLOSED)
    with pytest.raises(IllegalTransition) as refused:
        complaint.record_plan(plan=PLAN, actor=HEAD, now=now, calendar=CALENDAR)
    assert refused.value.message == (
        "Status 'closed' tidak dapat diubah ke 'planned' (perintah 'record_plan')"
    )


def test_rejected_complaint_cannot_be_assigned() -> None:
    complaint, now = in_status(Status.REJECTED)
    with pytest.raises(IllegalTransition, match="Perintah 'assign' tidak dapat dijalankan"):
        complaint.assign(assignee="farmasi", actor=TEAM, now=now)


def test_keluhan_goes_from_receipt_to_closing_along_the_happy_path() -> None:
    complaint = receive()
    assert complaint.status is Status.RECEIVED
    complaint.triage(
        kind=Kind.KELUHAN,
        category="waktu_tunggu",
        unit="pendaftaran",
        urgent=False,
        actor=TEAM,
        now=wib(3, 3, 10),
        calendar=CALENDAR,
    )
    complaint.assign(assignee="pendaftaran", actor=TEAM, now=wib(3, 3, 11))
    complaint.record_plan(plan=PLAN, actor=TEAM, now=wib(3, 4, 9), calendar=CALENDAR)
    complaint.start_progress(actor=TEAM, now=wib(3, 4, 10))
    complaint.record_reply(
        text="Loket pagi kini dua petugas.", actor=TEAM, now=wib(3, 5, 11), calendar=CALENDAR
    )
    events = complaint.close(reason=None, satisfied=True, actor=OFFICER, now=wib(3, 6, 9))
    assert [entry.to_status for entry in complaint.history] == [
        Status.RECEIVED,
        Status.TRIAGED,
        Status.TRIAGED,
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.RESPONDED,
        Status.CLOSED,
    ]
    assert events == [Closed("c-1", 7, wib(3, 6, 9).astimezone(UTC), OFFICER, None, True, False)]
    assert (complaint.category, complaint.unit, complaint.assignee) == (
        "waktu_tunggu",
        "pendaftaran",
        "pendaftaran",
    )
    assert complaint.plan == PLAN
    assert complaint.reply is not None and complaint.reply.text == "Loket pagi kini dua petugas."
    assert complaint.satisfied is True


def test_register_records_actor_time_and_reason_of_each_change() -> None:
    complaint = receive()
    complaint.triage(
        kind=Kind.KELUHAN,
        category="sikap_petugas",
        unit="poli_umum",
        urgent=False,
        actor=TEAM,
        now=wib(3, 2, 11),
        calendar=CALENDAR,
    )
    complaint.escalate(
        reason="Tim tidak menemukan pemecahan masalah", actor=TEAM, now=wib(3, 2, 13)
    )
    first, _, last = complaint.history
    assert (first.action, first.actor, first.at) == ("receive", OFFICER, wib(3, 2, 9))
    assert last.actor == TEAM
    assert last.at == wib(3, 2, 13) and last.at.tzinfo is UTC
    assert (last.from_status, last.to_status) == (Status.TRIAGED, Status.ESCALATED)
    assert last.detail == "Tim tidak menemukan pemecahan masalah"


def test_every_change_raises_the_version_by_one() -> None:
    complaint = receive()
    assert complaint.version == 1
    for version, command in enumerate(PATHS[Status.REOPENED], start=2):
        RUNNERS[command](complaint, wib(3, 3, 9) + version * STEP)
        assert complaint.version == version


def test_received_complaint_is_due_for_triage_in_three_working_days() -> None:
    complaint = receive(at=wib(3, 2, 9))
    assert complaint.deadlines.triage_due == end_of(3, 5)
    assert complaint.deadlines.response_due is None


def test_triage_sets_the_answer_deadline_five_working_days_out() -> None:
    complaint = receive()
    events = complaint.triage(
        kind=Kind.KELUHAN,
        category="waktu_tunggu",
        unit="pendaftaran",
        urgent=False,
        actor=TEAM,
        now=wib(3, 3, 10),
        calendar=CALENDAR,
    )
    assert complaint.deadlines.response_due == end_of(3, 10)
    assert isinstance(events[0], Triaged) and events[0].response_due == end_of(3, 10)


def test_urgent_complaint_is_due_the_same_working_day() -> None:
    complaint = receive()
    events = complaint.triage(
        kind=Kind.KELUHAN,
        category="pelayanan_medis",
        unit="ugd",
        urgent=True,
        actor=TEAM,
        now=wib(3, 3, 14),
        calendar=CALENDAR,
    )
    assert complaint.deadlines.response_due == end_of(3, 3)
    assert isinstance(events[0], Triaged) and events[0].urgent


def test_complaint_flagged_urgent_at_intake_keeps_its_same_day_deadline() -> None:
    complaint = receive(urgent=True, at=wib(3, 2, 9))
    assert complaint.deadlines.response_due == end_of(3, 2)
    RUNNERS[Command.TRIAGE](complaint, wib(3, 3, 9))
    assert complaint.deadlines.response_due == end_of(3, 2)


def test_urgent_flag_dropped_at_triage_gives_the_normal_answer_deadline() -> None:
    complaint = receive(urgent=True)
    complaint.triage(
        kind=Kind.SARAN,
        category="informasi",
        unit="pendaftaran",
        urgent=False,
        actor=TEAM,
        now=wib(3, 3, 10),
        calendar=CALENDAR,
    )
    assert complaint.deadlines.response_due == end_of(3, 10)


def test_urgent_complaint_can_go_to_the_head_straight_from_receipt() -> None:
    complaint = receive(urgent=True)
    events = complaint.escalate(
        reason="Pasien butuh jawaban segera", actor=OFFICER, now=wib(3, 2, 9, 5)
    )
    assert complaint.status is Status.ESCALATED
    assert events == [
        Escalated("c-1", 2, wib(3, 2, 9, 5), OFFICER, "Pasien butuh jawaban segera", True)
    ]


def test_non_urgent_complaint_is_triaged_before_it_can_be_escalated() -> None:
    complaint = receive(urgent=False)
    with pytest.raises(IllegalTransition, match="hanya aduan mendesak"):
        complaint.escalate(reason="Butuh keputusan kepala", actor=TEAM, now=wib(3, 2, 10))
    assert complaint.status is Status.RECEIVED


def test_keluhan_needs_a_follow_up_plan_before_the_reply() -> None:
    complaint = receive()
    complaint.triage(
        kind=Kind.KELUHAN,
        category="kebersihan_sarana",
        unit="lainnya",
        urgent=False,
        actor=TEAM,
        now=wib(3, 2, 10),
        calendar=CALENDAR,
    )
    with pytest.raises(IllegalTransition, match="rencana tindak lanjut"):
        complaint.record_reply(
            text="Terima kasih", actor=TEAM, now=wib(3, 2, 11), calendar=CALENDAR
        )


@pytest.mark.parametrize("kind", [Kind.SARAN, Kind.PUJIAN, Kind.PERTANYAAN], ids=str)
def test_suggestion_compliment_and_question_can_be_answered_right_after_triage(
    kind: Kind,
) -> None:
    complaint = receive(kind=kind)
    complaint.triage(
        kind=kind,
        category="informasi",
        unit="pendaftaran",
        urgent=False,
        actor=TEAM,
        now=wib(3, 2, 10),
        calendar=CALENDAR,
    )
    events = complaint.record_reply(
        text="Terima kasih atas masukannya.", actor=TEAM, now=wib(3, 2, 11), calendar=CALENDAR
    )
    assert complaint.status is Status.RESPONDED
    assert isinstance(events[0], Responded)


def test_plan_for_an_escalated_complaint_is_made_with_the_head() -> None:
    complaint, now = in_status(Status.ESCALATED)
    team_plan = FollowUpPlan(
        ("Tegur petugas",), "Tim pengaduan", date(2026, 3, 9), PlanMaker.TIM_PENGADUAN
    )
    with pytest.raises(InvalidCommand) as refused:
        complaint.record_plan(plan=team_plan, actor=TEAM, now=now, calendar=CALENDAR)
    assert refused.value.field == "plan.made_by"
    assert complaint.status is Status.ESCALATED


def test_plan_with_a_due_date_in_the_past_is_refused() -> None:
    complaint, now = in_status(Status.TRIAGED)
    late = FollowUpPlan(("Perbaiki kipas",), "Sanitarian", date(2026, 3, 1), PlanMaker.TIM_MUTU)
    with pytest.raises(InvalidCommand) as refused:
        complaint.record_plan(plan=late, actor=TEAM, now=now, calendar=CALENDAR)
    assert refused.value.field == "plan.due_date"


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


@pytest.mark.parametrize(
    "paused_in", [Status.TRIAGED, Status.PLANNED, Status.IN_PROGRESS, Status.ESCALATED], ids=str
)
def test_reporter_reply_returns_to_the_status_the_pause_began_in(paused_in: Status) -> None:
    complaint, now = in_status(paused_in)
    complaint.wait_for_reporter(question="Siapa nama petugasnya?", actor=TEAM, now=now)
    complaint.reporter_replied(
        text="Petugas loket 2", actor=OFFICER, now=now + STEP, calendar=CALENDAR
    )
    assert complaint.status is paused_in
    assert complaint.paused_at is None and complaint.paused_from is None


def test_waiting_for_the_reporter_pauses_the_answer_deadline() -> None:
    complaint = receive()
    complaint.triage(
        kind=Kind.KELUHAN,
        category="waktu_tunggu",
        unit="pendaftaran",
        urgent=False,
        actor=TEAM,
        now=wib(3, 3, 10),
        calendar=CALENDAR,
    )
    assert complaint.deadlines.response_due == end_of(3, 10)
    complaint.wait_for_reporter(question="Jam berapa Ibu datang?", actor=TEAM, now=wib(3, 4, 9))
    events = complaint.reporter_replied(
        text="Jam 7 pagi", actor=OFFICER, now=wib(3, 6, 9), calendar=CALENDAR
    )
    # Wednesday and Thursday were spent waiting: the answer moves from Tue 10 to Thu 12 March.
    assert complaint.deadlines.response_due == end_of(3, 12)
    assert complaint.paused_working_days == 2
    assert events[0].version == complaint.version


def test_answer_deadline_is_not_raised_while_waiting_for_the_reporter() -> None:
    complaint, _ = in_status(Status.WAITING_REPORTER)  # urgent: answer was due Mon 2 March
    assert complaint.check_deadlines(wib(3, 20)) == []
    complaint.reporter_replied(
        text="Maaf baru sempat membalas", actor=OFFICER, now=wib(3, 20), calendar=CALENDAR
    )
    assert complaint.deadlines.response_due == end_of(3, 20)  # the pause is given back in full
    assert complaint.check_deadlines(wib(3, 20, 15)) == []


def test_each_missed_deadline_is_raised_once() -> None:
    complaint = receive(at=wib(3, 2, 9))
    missed = complaint.check_deadlines(wib(3, 6, 0, 1))  # triage was due Thu 5 March
    assert missed == [
        DeadlineMissed("c-1", 2, wib(3, 6, 0, 1), SYSTEM, DeadlineKind.TRIAGE, end_of(3, 5))
    ]
    assert complaint.check_deadlines(wib(3, 9)) == []
    complaint.triage(
        kind=Kind.KELUHAN,
        category="waktu_tunggu",
        unit="pendaftaran",
        urgent=False,
        actor=TEAM,
        now=wib(3, 9, 10),
        calendar=CALENDAR,
    )
    assert complaint.check_deadlines(wib(3, 16, 23)) == []  # answer due Mon 16 March
    [late] = complaint.check_deadlines(wib(3, 17, 8))
    assert late.kind is DeadlineKind.RESPONSE
    assert complaint.check_deadlines(wib(3, 18)) == []
    assert complaint.missed_deadlines == {DeadlineKind.TRIAGE, DeadlineKind.RESPONSE}


def test_missed_deadline_is_written_in_the_register_by_the_system() -> None:
    complaint = receive(at=wib(3, 2, 9))
    complaint.check_deadlines(wib(3, 6))
    entry = complaint.history[-1]
    assert (entry.action, entry.actor, entry.to_status) == (
        "deadline_missed",
        SYSTEM,
        Status.RECEIVED,
    )
    assert complaint.version == 2


def test_deadline_met_in_time_is_never_raised() -> None:
    complaint = receive(at=wib(3, 2, 9))
    RUNNERS[Command.TRIAGE](complaint, wib(3, 2, 10))
    RUNNERS[Command.RECORD_REPLY](complaint, wib(3, 2, 11))
    assert complaint.check_deadlines(wib(12, 31)) == []
    assert complaint.version == 3


def test_reopened_complaint_gets_a_new_answer_deadline_that_can_be_missed_again() -> None:
    complaint = receive()
    RUNNERS[Command.TRIAGE](complaint, wib(3, 2, 10))  # urgent: answer due the same day
    [first_miss] = complaint.check_deadlines(wib(3, 3))
    RUNNERS[Command.RECORD_REPLY](complaint, wib(3, 3, 10))
    events = complaint.reopen(
        reason="Masih antre lama", actor=OFFICER, now=wib(3, 4, 10), calendar=CALENDAR
    )
    assert events == [
        Reopened("c-1", complaint.version, wib(3, 4, 10), OFFICER, "Masih antre lama", end_of(3, 4))
    ]
    assert complaint.deadlines.close_due is None
    [second_miss] = complaint.check_deadlines(wib(3, 5))
    assert first_miss.kind is second_miss.kind is DeadlineKind.RESPONSE


def test_answered_complaint_closes_automatically_after_ten_working_days_without_reply() -> None:
    complaint, _ = in_status(Status.TRIAGED)
    RUNNERS[Command.RECORD_REPLY](complaint, wib(3, 5, 11))
    assert complaint.deadlines.close_due == end_of(3, 20)  # Nyepi (19 March) skipped
    events = complaint.auto_close(now=wib(3, 21, 0, 5))
    assert complaint.status is Status.CLOSED
    assert events[0] == Closed(
        "c-1", complaint.version, wib(3, 21, 0, 5), SYSTEM, complaint.history[-1].detail, None, True
    )
    assert complaint.history[-1].actor == SYSTEM


def test_automatic_close_is_refused_before_the_close_deadline() -> None:
    complaint, _ = in_status(Status.TRIAGED)
    RUNNERS[Command.RECORD_REPLY](complaint, wib(3, 5, 11))
    with pytest.raises(IllegalTransition, match="ditutup otomatis"):
        complaint.auto_close(now=wib(3, 20, 23))
    assert complaint.status is Status.RESPONDED


def test_complaint_waiting_for_the_reporter_is_closed_only_with_a_reason() -> None:
    complaint, now = in_status(Status.WAITING_REPORTER)
    with pytest.raises(InvalidCommand) as refused:
        complaint.close(reason=None, satisfied=None, actor=TEAM, now=now)
    assert refused.value.field == "reason"
    complaint.close(reason="Pelapor tidak dapat dihubungi", satisfied=None, actor=TEAM, now=now)
    assert complaint.status is Status.CLOSED
    assert complaint.paused_at is None
