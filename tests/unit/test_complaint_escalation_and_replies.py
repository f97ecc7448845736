"""The Complaint aggregate's rules on the way to an answer: who may go to the head and when,
what must come before the reply, and where a pause for the reporter resumes."""

from __future__ import annotations

import pytest

from services.triage.domain.complaint import Escalated, Kind, Responded, Status
from services.triage.domain.errors import IllegalTransition
from tests.support.complaint_builders import (
    CALENDAR,
    OFFICER,
    STEP,
    TEAM,
    in_status,
    receive,
    triage,
    wib,
)


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
    triage(complaint, wib(3, 2, 10), category="kebersihan_sarana", unit="lainnya")
    with pytest.raises(IllegalTransition, match="rencana tindak lanjut"):
        complaint.record_reply(
            text="Terima kasih", actor=TEAM, now=wib(3, 2, 11), calendar=CALENDAR
        )


@pytest.mark.parametrize("kind", [Kind.SARAN, Kind.PUJIAN, Kind.PERTANYAAN], ids=str)
def test_suggestion_compliment_and_question_can_be_answered_right_after_triage(
    kind: Kind,
) -> None:
    complaint = receive(kind=kind)
    triage(complaint, wib(3, 2, 10), kind=kind, category="informasi")
    events = complaint.record_reply(
        text="Terima kasih atas masukannya.", actor=TEAM, now=wib(3, 2, 11), calendar=CALENDAR
    )
    assert complaint.status is Status.RESPONDED
    assert isinstance(events[0], Responded)


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
