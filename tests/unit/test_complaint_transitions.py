"""The Complaint aggregate's workflow table: which command runs from which status, what each
change writes in the register, and the version it raises."""

from __future__ import annotations

from datetime import UTC

import pytest

from services.triage.domain.complaint import TRANSITIONS, Closed, Command, Status
from services.triage.domain.errors import IllegalTransition
from tests.support.complaint_builders import (
    CALENDAR,
    OFFICER,
    PATHS,
    PLAN,
    RUNNERS,
    STEP,
    TEAM,
    in_status,
    receive,
    triage,
    wib,
)


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


@pytest.mark.parametrize(
    ("status", "command", "message"),
    [
        pytest.param(
            Status.CLOSED,
            Command.RECORD_PLAN,
            "Status 'closed' tidak dapat diubah ke 'planned' (perintah 'record_plan')",
            id="closed-cannot-be-planned",
        ),
        pytest.param(
            Status.REJECTED,
            Command.ASSIGN,
            "Perintah 'assign' tidak dapat dijalankan pada status 'rejected'",
            id="rejected-cannot-be-assigned",
        ),
    ],
)
def test_refused_command_names_the_status_and_the_command(
    status: Status, command: Command, message: str
) -> None:
    complaint, now = in_status(status)
    with pytest.raises(IllegalTransition) as refused:
        RUNNERS[command](complaint, now)
    assert refused.value.message == message


def test_keluhan_goes_from_receipt_to_closing_along_the_happy_path() -> None:
    complaint = receive()
    assert complaint.status is Status.RECEIVED
    triage(complaint, wib(3, 3, 10))
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
    triage(complaint, wib(3, 2, 11), category="sikap_petugas", unit="poli_umum")
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
