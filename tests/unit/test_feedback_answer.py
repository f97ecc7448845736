"""The complainant's answer to the closing question: read from a short reply, carried by its
event, kept on the complaint once."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from services.intake.domain.feedback_answer import interpret_feedback_answer
from services.notify.domain.planning import on_closed
from services.reporting.domain.contributions import (
    Contributions,
    add_into,
    fact_contributions,
    monthly_target,
)
from services.reporting.domain.facts import project
from services.reporting.domain.summaries import summarize
from services.reporting.service import to_logged
from services.triage.domain.complaint import (
    SYSTEM,
    Actor,
    Channel,
    Complaint,
    IdentityLevel,
    Kind,
    Role,
    Status,
)
from services.triage.domain.deadlines import WorkingCalendar
from services.triage.domain.errors import InvalidCommand
from services.triage.store import from_document, to_document
from shared.events import (
    CLOSING_TEMPLATE,
    ComplaintFeedbackReceived,
    ComplaintReceived,
    ComplaintReceivedData,
    Event,
    FeedbackReceivedData,
    Reporter,
)
from shared.events import (
    Actor as WireActor,
)

WIB = ZoneInfo("Asia/Jakarta")
CALENDAR = WorkingCalendar("Asia/Jakarta")
TEAM = Actor("u-team", Role.COMPLAINT_TEAM, "Budi")
REPORTER = Actor("whatsapp", Role.SYSTEM, "Pelapor")


def wib(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=WIB)


@pytest.mark.parametrize(
    ("reply", "answer"),
    [
        ("YA", True),
        ("ya, membantu", True),
        ("Iya sangat membantu!", True),
        ("Sudah, terima kasih", True),
        ("TIDAK", False),
        ("tidak membantu", False),
        ("gak", False),
        ("kurang membantu", False),
        ("Belum, obatnya masih kosong", False),
        ("Sudah 2 minggu belum ada kabar", None),  # a yes word, then a negation: not an answer
        ("ya tapi obat masih belum ada", None),
        ("Kapan obatnya datang? Saya sudah menunggu dua minggu di rumah", None),
        ("", None),
        ("123", None),
        ("Terima kasih", None),
    ],
)
def test_closing_answer_is_read_from_a_short_ya_or_tidak_only(
    reply: str, answer: bool | None
) -> None:
    assert interpret_feedback_answer(reply) is answer


def test_the_closing_message_notify_sends_is_the_one_whose_answer_is_awaited() -> None:
    assert [p.template for p in on_closed("resolved")] == [CLOSING_TEMPLATE]
    assert on_closed("duplicate") == []


def test_feedback_event_carries_only_the_answer_and_a_chat_channel() -> None:
    ref = {"complaint_id": uuid.uuid4(), "tracking_number": "MDRJ1-2603-0001"}
    data = FeedbackReceivedData(**ref, helped=True, channel="whatsapp")
    assert ComplaintFeedbackReceived.model_fields["type"].default == "complaint.feedback_received"
    with pytest.raises(ValidationError, match="channel"):
        FeedbackReceivedData(**ref, helped=True, channel="email")
    with pytest.raises(ValidationError, match="text"):
        FeedbackReceivedData(**ref, helped=True, channel="sms", text="YA")  # type: ignore[call-arg]
    assert data.helped is True


def closed_complaint() -> Complaint:
    complaint = Complaint.receive(
        complaint_id=str(uuid.uuid4()),
        tracking_number="MDRJ1-2603-0001",
        district="banjarnegara",
        clinic="MDRJ1",
        channel=Channel.WHATSAPP,
        identity=IdentityLevel.BIASA,
        kind=Kind.SARAN,
        text="Mohon ruang tunggu diberi kipas angin",
        received_at=wib(2),
        calendar=CALENDAR,
    )
    complaint.triage(
        kind=Kind.SARAN,
        category="sarana",
        unit="pendaftaran",
        urgent=False,
        actor=TEAM,
        now=wib(2, 10),
        calendar=CALENDAR,
    )
    complaint.record_reply(text="Kipas dipasang besok", actor=TEAM, now=wib(3), calendar=CALENDAR)
    complaint.close(reason=None, satisfied=None, actor=TEAM, now=wib(4))
    return complaint


def test_an_answer_is_kept_on_the_closed_complaint_with_a_register_entry() -> None:
    complaint = closed_complaint()
    version = complaint.version
    events = complaint.record_feedback(
        helped=True, channel=Channel.WHATSAPP, actor=REPORTER, now=wib(5)
    )
    assert events == []
    assert complaint.status is Status.CLOSED
    assert complaint.feedback is not None and complaint.feedback.helped is True
    assert complaint.feedback.channel is Channel.WHATSAPP
    assert complaint.version == version + 1
    entry = complaint.history[-1]
    assert (entry.action, entry.from_status, entry.to_status) == (
        "feedback",
        Status.CLOSED,
        Status.CLOSED,
    )
    assert entry.detail == "Jawaban membantu: YA"


def test_the_same_answer_again_or_an_older_one_changes_nothing() -> None:
    complaint = closed_complaint()
    complaint.record_feedback(helped=False, channel=Channel.SMS, actor=REPORTER, now=wib(5))
    before = (complaint.version, len(complaint.history), complaint.feedback)
    complaint.record_feedback(helped=False, channel=Channel.SMS, actor=REPORTER, now=wib(5))
    complaint.record_feedback(helped=True, channel=Channel.SMS, actor=REPORTER, now=wib(4, 12))
    assert (complaint.version, len(complaint.history), complaint.feedback) == before


def test_a_later_answer_after_a_new_closing_replaces_the_earlier_one() -> None:
    complaint = closed_complaint()
    complaint.record_feedback(helped=False, channel=Channel.WHATSAPP, actor=REPORTER, now=wib(5))
    complaint.reopen(reason="Kipas belum dipasang", actor=TEAM, now=wib(6), calendar=CALENDAR)
    complaint.record_reply(text="Sudah dipasang", actor=TEAM, now=wib(9), calendar=CALENDAR)
    complaint.close(reason=None, satisfied=True, actor=TEAM, now=wib(10))
    complaint.record_feedback(helped=True, channel=Channel.WHATSAPP, actor=REPORTER, now=wib(11))
    assert complaint.feedback is not None and complaint.feedback.helped is True
    assert [h.detail for h in complaint.history if h.action == "feedback"] == [
        "Jawaban membantu: TIDAK",
        "Jawaban membantu: YA",
    ]


def test_a_naive_answer_time_is_refused_and_changes_nothing() -> None:
    complaint = closed_complaint()
    version = complaint.version
    with pytest.raises(InvalidCommand, match="now"):
        complaint.record_feedback(
            helped=True, channel=Channel.SMS, actor=SYSTEM, now=datetime(2026, 3, 5, 9)
        )
    assert (complaint.version, complaint.feedback) == (version, None)


def test_the_answer_survives_storage() -> None:
    complaint = closed_complaint()
    complaint.record_feedback(helped=True, channel=Channel.SMS, actor=REPORTER, now=wib(5))
    document = to_document(complaint)
    assert document["feedback"] == {"helped": True, "channel": "sms", "at": wib(5)}
    assert from_document(document).feedback == complaint.feedback
    assert from_document({**document, "feedback": None}).feedback is None


def received_and_answered(helped: bool | None) -> list[Event]:
    complaint_id, number = uuid.uuid4(), f"MDRJ1-{uuid.uuid4().hex[:8].upper()}"
    envelope = {
        "district": "banjarnegara",
        "clinic": "MDRJ1",
        "actor": WireActor(kind="public"),
        "correlation_id": "c-1",
    }
    received = ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=complaint_id,
            tracking_number=number,
            pin="123456",
            channel="sms",
            kind="keluhan",
            text="Obat kosong",
            reporter=Reporter(phone="+6281234567890"),
            received_at=wib(2),
        ),
        **envelope,  # type: ignore[arg-type]
    )
    if helped is None:
        return [received]
    answer = FeedbackReceivedData(
        complaint_id=complaint_id, tracking_number=number, helped=helped, channel="sms"
    )
    return [received, ComplaintFeedbackReceived.create(answer, **envelope)]  # type: ignore[arg-type]


def test_reporting_counts_the_share_of_helped_answers_per_clinic_month() -> None:
    total: Contributions = {}
    for helped in (True, True, False, None):
        events = received_and_answered(helped)
        fact = project(str(events[0].data.complaint_id), [to_logged(e) for e in events])
        assert fact is not None and fact.helped is helped
        assert fact.status == "received"  # an answer changes no status
        add_into(total, fact_contributions(fact, WIB))
    fields = total[monthly_target("banjarnegara", "MDRJ1", "2026-03")]
    assert (fields["helped.yes"], fields["helped.no"]) == (2, 1)
    report = summarize([{"month": "2026-03", **fields}], [], {}, "2026-03", "2026-03")
    assert report["helped"] == {"yes": 2, "no": 1, "share": "66.67"}
    assert report["by_month"][0]["helped_share"] == "66.67"
    empty = summarize([], [], {}, "2026-03", "2026-03")
    assert empty["helped"] == {"yes": 0, "no": 0, "share": None}
