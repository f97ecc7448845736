"""Who is told what: the complainant over their own channel, staff by role and preference."""

from __future__ import annotations

from services.notify.domain import planning
from services.notify.domain.planning import PlannedNotification, StaffMember


def member(user_id: str, role: str, **fields: object) -> StaffMember:
    values: dict[str, object] = {"clinic": "MDRJ1", "email": f"{user_id}@pkm.test"}
    values.update(fields)
    return StaffMember(user_id, role, **values)  # type: ignore[arg-type]


def test_complainant_is_answered_over_the_channel_the_complaint_came_from() -> None:
    assert planning.reporter_channel("whatsapp", "biasa", True, False) == "whatsapp"
    assert planning.reporter_channel("sms", "rahasia", True, True) == "sms"
    assert planning.reporter_channel("web", "biasa", True, True) == "email"
    assert planning.reporter_channel("telepon", "biasa", True, False) == "sms"
    assert planning.reporter_channel("langsung", "biasa", False, False) is None


def test_anonymous_and_suggestion_box_feedback_is_answered_on_the_board_only() -> None:
    assert planning.reporter_channel("web", "anonim", False, False) == "papan_tanggapan"
    assert planning.reporter_channel("kotak_saran", "biasa", True, True) == "papan_tanggapan"
    planned = planning.on_received()
    recipients = planning.recipients_for(
        planned,
        reporter_channel="papan_tanggapan",
        reporter_address=None,
        members=[],
        clinic="MDRJ1",
    )
    assert recipients == []


def test_receipt_goes_to_the_reporter_and_the_alert_to_the_clinics_active_team() -> None:
    members = [
        member("a", "complaint_team"),
        member("b", "complaint_team", active=False),
        member("c", "complaint_team", clinic="MDRJ2"),
        member("d", "head"),
    ]
    recipients = planning.recipients_for(
        planning.on_received(),
        reporter_channel="sms",
        reporter_address="+6281234567890",
        members=members,
        clinic="MDRJ1",
    )
    assert [(r.key, r.channel, r.address, r.template) for r in recipients] == [
        ("reporter", "sms", "+6281234567890", "tanda_terima"),
        ("user:a:email", "email", "a@pkm.test", "staf_aduan_baru"),
    ]


def test_staff_get_each_channel_they_chose_that_has_an_address() -> None:
    both = member("a", "head", phone="+6281100000001", notify_channels=("email", "whatsapp"))
    no_phone = member("b", "head", notify_channels=("whatsapp",))
    recipients = planning.staff_recipients(
        PlannedNotification("head", "staf_eskalasi", at_once=True), [both, no_phone], "MDRJ1"
    )
    assert [(r.key, r.address) for r in recipients] == [
        ("user:a:email", "a@pkm.test"),
        ("user:a:whatsapp", "+6281100000001"),
    ]


def test_only_the_unit_the_complaint_is_routed_to_is_told() -> None:
    members = [member("f", "unit", unit="farmasi"), member("p", "unit", unit="pendaftaran")]
    recipients = planning.staff_recipients(
        planning.on_assigned("farmasi")[0], members, "MDRJ1", unit="farmasi"
    )
    assert [r.user_id for r in recipients] == ["f"]
    assert planning.on_assigned(None) == []


def test_triage_routing_the_complaint_to_a_unit_alerts_that_unit() -> None:
    members = [member("f", "unit", unit="farmasi"), member("p", "unit", unit="pendaftaran")]
    planned = planning.on_triaged(False, "farmasi", alerted_unit=None)
    recipients = planning.recipients_for(
        planned,
        reporter_channel=None,
        reporter_address=None,
        members=members,
        clinic="MDRJ1",
        unit="farmasi",
    )
    assert [(r.user_id, r.template) for r in recipients] == [("f", "staf_aduan_unit")]


def test_unit_hears_once_per_routing_and_again_only_when_moved_to_another_unit() -> None:
    assert planning.on_triaged(False, "farmasi", alerted_unit="farmasi") == []
    assert [p.template for p in planning.on_triaged(False, "poli_umum", "farmasi")] == [
        "staf_aduan_unit"
    ]
    assert planning.on_assigned("farmasi", alerted_unit="farmasi") == []


def test_urgent_triage_alerts_the_head_at_once_and_the_unit_it_is_routed_to() -> None:
    assert [(p.audience, p.at_once) for p in planning.on_triaged(True, "ugd", None)] == [
        ("head", True),
        ("unit", False),
    ]


def test_digest_holds_ordinary_alerts_but_never_urgent_ones() -> None:
    head = member("h", "head", digest=True)
    team = member("t", "complaint_team", digest=True)
    [urgent] = planning.staff_recipients(planning.on_triaged(True)[0], [head], "MDRJ1")
    [missed] = planning.staff_recipients(planning.on_deadline_missed()[0], [head], "MDRJ1")
    [new] = planning.staff_recipients(planning.on_received()[1], [team], "MDRJ1")
    assert not urgent.hold_for_digest and not missed.hold_for_digest
    assert new.hold_for_digest


def test_escalation_updates_the_complainant_and_alerts_the_head() -> None:
    assert [(p.audience, p.template) for p in planning.on_escalated()] == [
        ("reporter", "status_dieskalasi"),
        ("head", "staf_eskalasi"),
    ]
    assert planning.on_triaged(False) == []


def test_closing_asks_whether_the_answer_helped_except_for_duplicates() -> None:
    assert [p.template for p in planning.on_closed("resolved")] == ["penutupan"]
    assert [p.template for p in planning.on_closed("no_reply")] == ["penutupan"]
    assert planning.on_closed("duplicate") == []
