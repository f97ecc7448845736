"""The Complaint aggregate's deadlines: when triage, the answer and the automatic close fall
due, how a pause for the reporter moves them, and that each miss is raised once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from services.triage.domain.complaint import (
    SYSTEM,
    Closed,
    Command,
    DeadlineMissed,
    Kind,
    Reopened,
    Status,
    Triaged,
)
from services.triage.domain.deadlines import DeadlineKind
from services.triage.domain.errors import IllegalTransition
from tests.support.complaint_builders import (
    CALENDAR,
    OFFICER,
    RUNNERS,
    TEAM,
    end_of,
    in_status,
    receive,
    triage,
    wib,
)


def test_received_complaint_is_due_for_triage_in_three_working_days() -> None:
    complaint = receive(at=wib(3, 2, 9))
    assert complaint.deadlines.triage_due == end_of(3, 5)
    assert complaint.deadlines.response_due is None


# Each case: (urgent at intake, how the team triages, when, the answer deadline it gives).
NORMAL = {"kind": Kind.KELUHAN, "category": "waktu_tunggu", "unit": "pendaftaran"}
URGENT = {"kind": Kind.KELUHAN, "category": "pelayanan_medis", "unit": "ugd", "urgent": True}
DROPPED = {"kind": Kind.SARAN, "category": "informasi", "unit": "pendaftaran"}


@pytest.mark.parametrize(
    ("urgent_at_intake", "triaged", "now", "due"),
    [
        pytest.param(False, NORMAL, wib(3, 3, 10), end_of(3, 10), id="five-working-days-out"),
        pytest.param(False, URGENT, wib(3, 3, 14), end_of(3, 3), id="urgent-the-same-working-day"),
        pytest.param(
            True, DROPPED, wib(3, 3, 10), end_of(3, 10), id="urgent-flag-dropped-normal-deadline"
        ),
    ],
)
def test_triage_sets_the_answer_deadline_by_urgency(
    urgent_at_intake: bool, triaged: dict[str, Any], now: datetime, due: datetime
) -> None:
    complaint = receive(urgent=urgent_at_intake)
    events = triage(complaint, now, **triaged)
    assert complaint.deadlines.response_due == due
    assert isinstance(events[0], Triaged)
    assert (events[0].response_due, events[0].urgent) == (due, triaged.get("urgent", False))


def test_complaint_flagged_urgent_at_intake_keeps_its_same_day_deadline() -> None:
    complaint = receive(urgent=True, at=wib(3, 2, 9))
    assert complaint.deadlines.response_due == end_of(3, 2)
    RUNNERS[Command.TRIAGE](complaint, wib(3, 3, 9))
    assert complaint.deadlines.response_due == end_of(3, 2)


def test_waiting_for_the_reporter_pauses_the_answer_deadline() -> None:
    complaint = receive()
    triage(complaint, wib(3, 3, 10))
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
    triage(complaint, wib(3, 9, 10))
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
