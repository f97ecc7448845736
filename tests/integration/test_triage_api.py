"""The staff API of triage against the real broker and database: clinic and unit isolation on
every endpoint, identity per role, the register's filters, refused transitions and input."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from shared.auth import Role
from shared.events import Reporter
from tests.integration.triage_harness import PREFIX, Harness

pytestmark = pytest.mark.integration

PLAN = {"actions": ["Tambah petugas"], "owner": "Koordinator", "made_by": "tim_pengaduan"}
COMMANDS: dict[str, dict[str, Any]] = {
    "triage": {"kind": "keluhan", "category": "waktu_tunggu", "unit": "pendaftaran",
               "urgent": False},
    "assign": {"assignee": "Budi"},
    "plan": {**PLAN, "due_date": "2100-01-01"},
    "progress": {},
    "escalate": {"reason": "Perlu keputusan kepala"},
    "wait": {"question": "Kapan Ibu datang?"},
    "reply": {"text": "Terima kasih, sudah kami tindak lanjuti."},
    "close": {"satisfied": True},
    "reopen": {"reason": "Masih terjadi"},
    "reject": {"reason": "Pesan promosi (spam)"},
}  # fmt: skip


async def list_ids(triage: Harness, params: dict[str, Any] | None = None, **token: Any) -> set:
    answer = await triage.http.get(PREFIX, params=params or {}, headers=triage.token(**token))
    assert answer.status_code == 200, answer.text
    return {item["id"] for item in answer.json()["items"]}


async def test_another_clinic_finds_nothing_on_any_endpoint(triage: Harness) -> None:
    cid = (await triage.receive(clinic="MDRJ1")).data.complaint_id
    before = (await triage.get(cid)).json()
    strangers = [
        {"clinic": "MDRJ2"},  # same district, other clinic
        {"clinic": "RANAI", "district": "natuna"},  # other district
    ]
    for stranger in strangers:
        for role in (Role.COMPLAINT_TEAM, Role.HEAD):
            assert (await triage.get(cid, role=role, **stranger)).status_code == 404
            listed = await triage.http.get(
                PREFIX, params={"clinic": "MDRJ1"}, headers=triage.token(role=role, **stranger)
            )
            assert listed.status_code == 404, listed.text
            assert listed.json()["errors"][0]["field"] == "clinic"
            for name, body in COMMANDS.items():
                answer = await triage.command(cid, name, body, role=role, **stranger)
                assert answer.status_code == 404, (name, stranger, answer.text)
    after = (await triage.get(cid)).json()
    assert (after["version"], after["history"]) == (before["version"], before["history"])
    assert await list_ids(triage) == {str(cid)}


async def test_unit_users_see_and_act_only_on_complaints_routed_to_their_unit(
    triage: Harness,
) -> None:
    queue = (await triage.receive()).data.complaint_id  # classified to pendaftaran
    drugs = (await triage.receive(text="Obat di apotek habis terus")).data.complaint_id
    farmasi = {"role": Role.UNIT, "unit": "farmasi"}
    assert await list_ids(triage, **farmasi) == {str(drugs)}
    assert (await triage.get(queue, **farmasi)).status_code == 404
    assert (await triage.get(drugs, **farmasi)).status_code == 200
    plan = {**PLAN, "due_date": (triage.clock() + timedelta(days=9)).date().isoformat()}
    assert (await triage.command(queue, "plan", plan, **farmasi)).status_code == 404
    assert (await triage.command(drugs, "plan", plan, **farmasi)).status_code == 200


async def test_reporter_identity_is_shown_whole_only_to_the_team_and_the_head(
    triage: Harness,
) -> None:
    reporter = Reporter(name="Siti Aminah", phone="+6281234567890", email="siti@contoh.id")
    open_id = (await triage.receive(reporter=reporter)).data.complaint_id
    secret = (await triage.receive(identity="rahasia", reporter=reporter)).data.complaint_id
    anonymous = (await triage.receive(identity="anonim")).data.complaint_id

    for role in (Role.COMPLAINT_TEAM, Role.HEAD):
        whole = (await triage.get(secret, role=role)).json()["reporter"]
        assert whole == {
            "name": "Siti Aminah",
            "phone": "+6281234567890",
            "email": "siti@contoh.id",
        }
    masked = (await triage.get(open_id, role=Role.OFFICER)).json()["reporter"]
    assert masked["name"] == "S*** A*****" and "1234567" not in masked["phone"]
    assert masked["email"].endswith("@contoh.id") and "siti" not in masked["email"]
    assert (await triage.get(secret, role=Role.OFFICER)).json()["reporter"] is None
    assert (await triage.get(anonymous)).json()["reporter"] is None

    listed = await triage.http.get(PREFIX, headers=triage.token(role=Role.HEAD))
    for item in listed.json()["items"]:
        assert item["reporter"] is None or "Siti Aminah" not in str(item["reporter"])
    audit = triage.triage.runtime.directory_db["audit_log"]
    assert await audit.count_documents({"action": "complaint.identity_viewed"}) == 2


async def test_register_filters_by_status_unit_channel_category_text_and_overdue(
    triage: Harness,
) -> None:
    queue = str((await triage.receive(channel="sms")).data.complaint_id)
    drugs = str((await triage.receive(text="Obat di apotek habis terus")).data.complaint_id)
    await triage.command(uuid.UUID(drugs), "reject", {"reason": "Bukan aduan"})

    assert await list_ids(triage, {"status": "rejected"}) == {drugs}
    assert await list_ids(triage, {"unit": "pendaftaran"}) == {queue}
    assert await list_ids(triage, {"channel": "sms"}) == {queue}
    assert await list_ids(triage, {"category": "waktu_tunggu"}) == {queue}
    assert await list_ids(triage, {"q": "antriannya LAMAAA"}) == {queue}
    assert await list_ids(triage, {"q": "obat"}) == {drugs}
    assert await list_ids(triage, {"q": "sertifikat vaksin"}) == set()
    assert await list_ids(triage, {"overdue": "true"}) == set()
    triage.clock.advance(timedelta(days=14))  # verify deadline long gone, never confirmed
    assert await list_ids(triage, {"overdue": "true"}) == {queue}
    assert await list_ids(triage, {"overdue": "false"}) == {drugs}

    first = await triage.http.get(PREFIX, params={"limit": 1}, headers=triage.token())
    second = await triage.http.get(PREFIX, params={"limit": 1, "offset": 1}, headers=triage.token())
    assert first.json()["total"] == second.json()["total"] == 2
    assert {first.json()["items"][0]["id"], second.json()["items"][0]["id"]} == {queue, drugs}
    bad = await triage.http.get(PREFIX, params={"status": "lost"}, headers=triage.token())
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


async def test_same_reporter_repeating_a_complaint_is_flagged_as_a_possible_duplicate(
    triage: Harness,
) -> None:
    first = (await triage.receive()).data.complaint_id
    triage.clock.advance(timedelta(days=2))
    again = (await triage.receive(text="antriannya lamaaa, 3 jam blm dipanggil")).data
    other = Reporter(name="Budi", phone="+6289876543210")
    stranger = (await triage.receive(reporter=other)).data.complaint_id

    assert (await triage.get(again.complaint_id)).json()["possible_duplicate_of"] == str(first)
    assert (await triage.get(stranger)).json()["possible_duplicate_of"] is None
    assert await list_ids(triage, {"duplicate": "true"}) == {str(again.complaint_id)}


async def test_commands_refused_in_a_closed_and_a_rejected_complaint_name_the_reason(
    triage: Harness,
) -> None:
    closed = (await triage.receive(kind="saran", text="Tambah kursi")).data.complaint_id
    await triage.command(closed, "reply", COMMANDS["reply"])
    await triage.command(closed, "close", COMMANDS["close"])
    rejected = (await triage.receive()).data.complaint_id
    await triage.command(rejected, "reject", COMMANDS["reject"])

    for cid, allowed in ((closed, {"reopen"}), (rejected, set())):
        before = (await triage.get(cid)).json()
        for name, body in COMMANDS.items():
            if name in allowed:
                continue
            answer = await triage.command(cid, name, body, role=Role.HEAD)
            assert answer.status_code == 409, (before["status"], name, answer.text)
            detail = answer.json()["detail"]
            assert "tidak dapat" in detail and before["status"] in detail
            assert answer.json()["complaint"]["version"] == before["version"]
        assert (await triage.get(cid)).json()["version"] == before["version"]


async def test_keluhan_cannot_be_answered_before_its_follow_up_plan(triage: Harness) -> None:
    cid = (await triage.receive()).data.complaint_id
    answer = await triage.command(cid, "reply", COMMANDS["reply"])
    assert answer.status_code == 409
    assert "rencana tindak lanjut" in answer.json()["detail"]


async def test_callers_without_a_session_or_the_permission_are_refused(triage: Harness) -> None:
    cid = (await triage.receive()).data.complaint_id
    assert (await triage.http.get(PREFIX)).status_code == 401
    refused = await triage.command(cid, "triage", COMMANDS["triage"], role=Role.QUALITY_TEAM)
    assert refused.status_code == 403
    district = {"role": Role.DISTRICT, "clinic": None}
    assert (await triage.get(cid, **district)).status_code == 403


async def test_bad_input_is_refused_naming_the_field(triage: Harness) -> None:
    cid = (await triage.receive()).data.complaint_id
    cases = [
        ("assign", {"assignee": ""}, "assignee"),
        ("plan", {**PLAN, "actions": [], "due_date": "2100-01-01"}, "actions"),
        ("plan", {**PLAN, "due_date": "2000-01-01"}, "plan.due_date"),
        ("reject", {"reason": "spam", "password": "x"}, "password"),
        ("triage", {**COMMANDS["triage"], "kind": "gosip"}, "kind"),
        ("triage", {**COMMANDS["triage"], "unit": "radiologi"}, "unit"),
    ]
    for name, body, field in cases:
        answer = await triage.command(cid, name, body)
        assert answer.status_code == 422, (name, answer.text)
        assert answer.json()["errors"][0]["field"] == field
    missing_version = await triage.http.post(
        f"{PREFIX}/{cid}/assign", json={"assignee": "Budi"}, headers=triage.token()
    )
    assert missing_version.json()["errors"][0]["field"] == "version"
    unknown = await triage.get(uuid.uuid4())
    assert unknown.status_code == 404
