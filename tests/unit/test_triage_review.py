"""A person confirms or corrects the automatic triage; the correction is kept for measuring
the classifier, and only a person's triage meets the verify deadline."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from services.triage.domain.accuracy import accuracy
from services.triage.domain.complaint import (
    SYSTEM,
    Actor,
    Channel,
    Complaint,
    IdentityLevel,
    Kind,
    Role,
    Status,
    Triaged,
    TriageDecision,
)
from services.triage.domain.deadlines import DeadlineKind, WorkingCalendar
from services.triage.domain.errors import IllegalTransition, InvalidCommand

WIB = ZoneInfo("Asia/Jakarta")
CALENDAR = WorkingCalendar("Asia/Jakarta")
TEAM = Actor("u-team", Role.COMPLAINT_TEAM, "Budi")
HEAD = Actor("u-head", Role.HEAD, "dr. Dwi")


def wib(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WIB)


def automatically_triaged(urgent: bool = False) -> Complaint:
    """Received Monday 2 March 2026 09:00 WIB and triaged by the system at once."""
    complaint = Complaint.receive(
        complaint_id="c-1",
        tracking_number="MDRJ1-0001",
        district="banjarnegara",
        clinic="MDRJ1",
        channel=Channel.WHATSAPP,
        identity=IdentityLevel.BIASA,
        kind=Kind.KELUHAN,
        text="Antrian lama sekali",
        received_at=wib(3, 2),
        calendar=CALENDAR,
        urgent=urgent,
    )
    complaint.triage(
        kind=Kind.KELUHAN,
        category="waktu_tunggu",
        unit="pendaftaran",
        urgent=urgent,
        actor=SYSTEM,
        now=wib(3, 2),
        calendar=CALENDAR,
    )
    return complaint


def person_triages(complaint: Complaint, actor: Actor = TEAM, **decision: object) -> Triaged:
    values: dict[str, object] = {
        "kind": Kind.KELUHAN,
        "category": "waktu_tunggu",
        "unit": "pendaftaran",
        "urgent": False,
        **decision,
    }
    [event] = complaint.triage(
        actor=actor,
        now=wib(3, 3),
        calendar=CALENDAR,
        **values,  # type: ignore[arg-type]
    )
    assert isinstance(event, Triaged)
    return event


def test_automatic_triage_is_announced_as_automatic_and_leaves_no_review() -> None:
    complaint = automatically_triaged()
    assert complaint.status is Status.TRIAGED
    assert complaint.triage_review is None
    assert complaint.history[-1].actor == SYSTEM


def test_person_confirming_the_suggestion_records_no_correction() -> None:
    complaint = automatically_triaged()
    event = person_triages(complaint)
    assert event.automatic is False
    review = complaint.triage_review
    assert review is not None and review.actor == TEAM
    assert review.suggested == review.confirmed
    assert review.corrected_fields == ()


def test_person_correcting_category_and_unit_keeps_the_original_suggestion() -> None:
    complaint = automatically_triaged()
    person_triages(complaint, category="sikap_petugas", unit="poli_umum")
    person_triages(complaint, HEAD, category="sikap_petugas", unit="farmasi", urgent=True)
    review = complaint.triage_review
    assert review is not None
    assert review.suggested == TriageDecision(Kind.KELUHAN, "waktu_tunggu", "pendaftaran", False)
    assert review.confirmed == TriageDecision(Kind.KELUHAN, "sikap_petugas", "farmasi", True)
    assert review.corrected_fields == ("category", "unit", "urgent")
    assert (complaint.category, complaint.unit, complaint.urgent) == (
        "sikap_petugas",
        "farmasi",
        True,
    )
    assert [h.action for h in complaint.history] == ["receive", "triage", "triage", "triage"]


def test_person_triaging_a_complaint_nobody_suggested_anything_for_has_no_suggestion() -> None:
    complaint = Complaint.receive(
        complaint_id="c-2",
        tracking_number="MDRJ1-0002",
        district="banjarnegara",
        clinic="MDRJ1",
        channel=Channel.LANGSUNG,
        identity=IdentityLevel.BIASA,
        kind=Kind.SARAN,
        text="Tambah kursi",
        received_at=wib(3, 2),
        calendar=CALENDAR,
    )
    person_triages(complaint, kind=Kind.SARAN, category="kebersihan_sarana")
    assert complaint.triage_review is not None
    assert complaint.triage_review.suggested is None
    assert complaint.triage_review.corrected_fields == ()


def test_system_triages_only_once() -> None:
    complaint = automatically_triaged()
    with pytest.raises(IllegalTransition, match="triase otomatis hanya sekali"):
        complaint.triage(
            kind=Kind.KELUHAN,
            category="lainnya",
            unit="pendaftaran",
            urgent=False,
            actor=SYSTEM,
            now=wib(3, 3),
            calendar=CALENDAR,
        )


def test_verify_deadline_is_missed_when_nobody_confirms_the_automatic_triage() -> None:
    complaint = automatically_triaged()
    [missed] = complaint.check_deadlines(wib(3, 6))  # verify was due Thursday 5 March
    assert missed.kind is DeadlineKind.TRIAGE


def test_verify_deadline_is_met_by_a_person_confirming_in_time() -> None:
    complaint = automatically_triaged()
    person_triages(complaint)
    assert complaint.check_deadlines(wib(3, 6)) == []


def test_answer_deadline_counts_from_the_person_triage() -> None:
    complaint = automatically_triaged()
    event = person_triages(complaint)  # Tuesday 3 March: five working days -> Tuesday 10 March
    expected = datetime(2026, 3, 10, 23, 59, 59, tzinfo=WIB).astimezone(UTC)
    assert event.response_due == complaint.deadlines.response_due == expected


def test_complainant_message_nobody_asked_for_is_kept_in_the_register() -> None:
    complaint = automatically_triaged()
    version = complaint.version
    assert (
        complaint.record_reporter_message(text="Tambahan: loket 2", actor=TEAM, now=wib(3, 3)) == []
    )
    assert complaint.status is Status.TRIAGED
    assert complaint.version == version + 1
    assert complaint.history[-1].detail == "Tambahan: loket 2"


def test_unit_outside_the_clinic_register_is_refused_naming_the_field() -> None:
    complaint = automatically_triaged()
    with pytest.raises(InvalidCommand) as refused:
        complaint.triage(
            kind=Kind.KELUHAN,
            category="waktu_tunggu",
            unit="radiologi",
            urgent=False,
            actor=TEAM,
            now=wib(3, 3),
            calendar=CALENDAR,
            known_units={"pendaftaran", "farmasi"},
        )
    assert refused.value.field == "unit"
    assert complaint.triage_review is None


def test_accuracy_is_the_share_of_suggestions_people_kept() -> None:
    kept, corrected = automatically_triaged(), automatically_triaged()
    person_triages(kept)
    person_triages(corrected, category="sikap_petugas")
    assert kept.triage_review and corrected.triage_review
    measured = accuracy([kept.triage_review, corrected.triage_review])
    assert measured.reviewed == 2
    assert measured.kept == {"kind": 1.0, "category": 0.5, "unit": 1.0, "urgent": 1.0}
    assert accuracy([]).kept["category"] is None
