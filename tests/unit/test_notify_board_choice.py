"""The team's choice to publish an answer on the response board travels from the reply (API
body or console form) through the domain to ``complaint.responded``, which notify's board
honours."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from starlette.datastructures import FormData

from services.notify.domain.board import belongs_on_board
from services.triage.api_schemas import ReplyBody
from services.triage.console_forms import body_from_form
from services.triage.domain.complaint import Actor, Channel, Complaint, IdentityLevel, Kind, Role
from services.triage.domain.deadlines import WorkingCalendar
from services.triage.wire import Cause, to_wire
from shared.events import RespondedData

CALENDAR = WorkingCalendar()
TEAM = Actor("u-team", Role.COMPLAINT_TEAM, "Budi")
AT = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Jakarta"))


def answered(identity: IdentityLevel, channel: Channel, publish: bool) -> RespondedData:
    c = Complaint.receive(
        complaint_id=str(uuid.uuid4()),
        tracking_number="MDRJ1-0001",
        district="banjarnegara",
        clinic="MDRJ1",
        channel=channel,
        identity=identity,
        kind=Kind.SARAN,
        text="Ruang tunggu panas",
        received_at=AT,
        calendar=CALENDAR,
    )
    c.triage(kind=Kind.SARAN, category="x", unit="y", urgent=False, actor=TEAM, now=AT,
             calendar=CALENDAR)  # fmt: skip
    [change] = c.record_reply(
        text="Kipas dipasang", actor=TEAM, now=AT, calendar=CALENDAR, publish_on_board=publish
    )
    event = to_wire(change, c, Cause("corr-1"))
    assert event is not None and isinstance(event.data, RespondedData)
    return event.data


@pytest.mark.parametrize("publish", [True, False])
def test_an_identified_complainants_answer_is_published_only_when_the_team_chooses(
    publish: bool,
) -> None:
    data = answered(IdentityLevel.BIASA, Channel.WEB, publish)
    assert data.publish_on_board is publish
    assert belongs_on_board("biasa", "web", data.publish_on_board) is publish


@pytest.mark.parametrize(
    ("identity", "channel"),
    [(IdentityLevel.ANONIM, Channel.WEB), (IdentityLevel.BIASA, Channel.KOTAK_SARAN)],
)
def test_anonymous_and_suggestion_box_answers_are_published_whatever_was_ticked(
    identity: IdentityLevel, channel: Channel
) -> None:
    assert answered(identity, channel, publish=False).publish_on_board is True


def test_publishing_is_off_unless_asked_for_in_the_api_body_or_the_form() -> None:
    assert ReplyBody(version=3, text="Jawab").publish_on_board is False
    ticked = body_from_form(
        "reply", FormData([("version", "3"), ("text", "Jawab"), ("publish_on_board", "1")])
    )
    unticked = body_from_form("reply", FormData([("version", "3"), ("text", "Jawab")]))
    assert isinstance(ticked, ReplyBody) and ticked.publish_on_board is True
    assert isinstance(unticked, ReplyBody) and unticked.publish_on_board is False
