"""One complaint in the staff console through the real triage app, broker and database: the
whole SOP path by forms (confirm triage, plan, progress, reply, close) publishing the same
events as the API, refusals shown on the page, only the role's actions offered, identity
shown and audited per role, and another clinic's complaint answered as missing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.audit import AuditLog
from tests.integration.triage_console_client import ConsoleClient, csrf_of, signed_in
from tests.integration.triage_harness import Harness

pytestmark = pytest.mark.integration
TRIAGE = {"kind": "keluhan", "category": "waktu_tunggu", "unit": "pendaftaran"}


async def status_of(triage: Harness, complaint_id: object) -> str:
    doc = await triage.triage.store.get_document(complaint_id)  # type: ignore[arg-type]
    assert doc is not None
    return str(doc["status"])


async def test_team_member_takes_a_complaint_from_triage_to_closing_by_forms(
    triage: Harness,
) -> None:
    cid = (await triage.receive()).data.complaint_id
    console = await signed_in(triage, "mdrj1.aduan")
    due = (triage.clock() + timedelta(days=7)).date().isoformat()
    steps = [
        ("triage", TRIAGE, "triaged"),
        ("plan", {"actions": "Tambah petugas loket\nBuka loket 07.00", "owner": "Koordinator",
                  "due_date": due, "made_by": "tim_pengaduan"}, "planned"),
        ("progress", {}, "in_progress"),
        ("reply", {"text": "Loket kedua kini dibuka pukul 07.00."}, "responded"),
        ("close", {"satisfied": "1"}, "closed"),
    ]  # fmt: skip
    for name, fields, status in steps:
        answer = await console.command(cid, name, fields)
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"/konsol/aduan/{cid}?selesai={name}#riwayat"
        assert await status_of(triage, cid) == status

    page = await triage.http.get(f"/konsol/aduan/{cid}?selesai=close")
    assert "Tersimpan." in page.text and "Selesai" in page.text
    for shown in ("Tambah petugas loket", "Loket kedua kini dibuka pukul 07.00.", "Koordinator"):
        assert shown in page.text
    for step in ("Verifikasi (triase)", "Rencana tindak lanjut", "Mulai ditindaklanjuti"):
        assert step in page.text
    assert 'action="/konsol/aduan/' + str(cid) + '/reopen"' in page.text
    assert 'action="/konsol/aduan/' + str(cid) + '/reply"' not in page.text
    await triage.tap.wait_for("complaint.responded", cid)
    closed = await triage.tap.wait_for("complaint.closed", cid)
    assert closed[0]["actor"]["kind"] == "staff"


async def test_a_refused_transition_is_explained_on_the_page_and_keeps_the_typed_reply(
    triage: Harness,
) -> None:
    cid = (await triage.receive()).data.complaint_id
    console = await signed_in(triage, "mdrj1.aduan")
    await console.command(cid, "triage", TRIAGE)

    answer = await console.command(cid, "reply", {"text": "Kami jawab langsung saja"})

    assert answer.status_code == 409
    assert 'role="alert"' in answer.text and "record_reply" in answer.text
    assert "Kami jawab langsung saja</textarea>" in answer.text
    assert await status_of(triage, cid) == "triaged"


async def test_a_command_on_an_outdated_page_is_refused_as_stale(triage: Harness) -> None:
    cid = (await triage.receive()).data.complaint_id
    console = await signed_in(triage, "mdrj1.aduan")
    page = await triage.http.get(f"/konsol/aduan/{cid}")
    await console.command(cid, "assign", {"assignee": "Budi"})

    answer = await triage.http.post(
        f"/konsol/aduan/{cid}/assign",
        data={"csrf_token": csrf_of(page), "version": "1", "assignee": "Ani"},
    )

    assert answer.status_code == 409
    assert "Aduan sudah diubah oleh pengguna lain" in answer.text
    doc = await triage.triage.store.get_document(cid)
    assert doc is not None and doc["assignee"] == "Budi"


async def test_an_empty_field_and_a_past_due_date_are_named_beside_the_field(
    triage: Harness,
) -> None:
    cid = (await triage.receive()).data.complaint_id
    console = await signed_in(triage, "mdrj1.aduan")
    await console.command(cid, "triage", TRIAGE)

    plan = {"owner": "Koordinator", "due_date": "2020-01-01", "made_by": "tim_mutu"}
    empty = await console.command(cid, "plan", {**plan, "actions": ""})
    past = await console.command(cid, "plan", {**plan, "actions": "Tambah kursi"})

    assert empty.status_code == 422
    assert 'id="plan-actions-error"' in empty.text and "Wajib diisi" in empty.text
    assert 'value="Koordinator"' in empty.text
    assert past.status_code == 422
    assert 'id="plan-due_date-error"' in past.text and "tanggal target sudah lewat" in past.text
    assert await status_of(triage, cid) == "triaged"


async def test_a_form_without_its_token_changes_nothing(triage: Harness) -> None:
    cid = (await triage.receive()).data.complaint_id
    await signed_in(triage, "mdrj1.aduan")

    answer = await triage.http.post(
        f"/konsol/aduan/{cid}/reject", data={"version": "2", "reason": "spam"}
    )

    assert answer.status_code == 403 and "Sesi formulir kedaluwarsa" in answer.text
    assert await status_of(triage, cid) == "triaged"


async def test_another_clinic_complaint_is_the_same_not_found_page_as_a_missing_one(
    triage: Harness,
) -> None:
    cid = (await triage.receive(clinic="RANAI")).data.complaint_id
    await signed_in(triage, "mdrj1.aduan")
    missing = await triage.http.get("/konsol/aduan/3f1f4c52-0000-4000-8000-000000000000")
    foreign = await triage.http.get(f"/konsol/aduan/{cid}")
    inbox = await triage.http.get("/konsol/")

    assert missing.status_code == foreign.status_code == 404
    assert missing.text == foreign.text
    posted = await triage.http.post(
        f"/konsol/aduan/{cid}/reject",
        data={"csrf_token": csrf_of(inbox), "version": "2", "reason": "spam"},
    )
    assert posted.status_code == 404
    assert await status_of(triage, cid) == "triaged"


async def test_each_role_is_offered_only_the_commands_it_may_run(triage: Harness) -> None:
    cid = (await triage.receive()).data.complaint_id
    offered = {}
    for username in ("mdrj1.aduan", "mdrj1.mutu", "mdrj1.petugas"):
        triage.http.cookies.clear()
        await signed_in(triage, username)
        page = (await triage.http.get(f"/konsol/aduan/{cid}")).text
        offered[username] = {
            name for name in ("triage", "assign", "plan", "escalate", "reject", "wait")
            if f'/konsol/aduan/{cid}/{name}"' in page
        }  # fmt: skip

    assert offered["mdrj1.aduan"] == {"triage", "assign", "plan", "escalate", "reject", "wait"}
    assert offered["mdrj1.mutu"] == {"plan"}
    assert offered["mdrj1.petugas"] == {"assign"}
    inbox = await triage.http.get("/konsol/")
    refused = await triage.http.post(
        f"/konsol/aduan/{cid}/reject",
        data={"csrf_token": csrf_of(inbox), "version": "2", "reason": "spam"},
    )
    assert refused.status_code == 403
    assert await status_of(triage, cid) == "triaged"


async def test_reporter_identity_is_shown_to_the_team_and_audited_but_masked_for_officers(
    triage: Harness,
) -> None:
    cid = (await triage.receive()).data.complaint_id
    await signed_in(triage, "mdrj1.petugas")
    officer_page = (await triage.http.get(f"/konsol/aduan/{cid}")).text
    triage.http.cookies.clear()
    await signed_in(triage, "mdrj1.aduan")
    team_page = (await triage.http.get(f"/konsol/aduan/{cid}")).text

    assert "Siti Aminah" in team_page and "+6281234567890" in team_page
    assert "Siti Aminah" not in officer_page and "+6281234567890" not in officer_page
    viewed = await AuditLog(triage.triage.runtime.directory_db).entries(
        clinic="MDRJ1", action="complaint.identity_viewed"
    )
    assert [entry.target for entry in viewed] == [str(cid)]
    assert viewed[0].actor_role == "complaint_team"


async def test_district_staff_land_on_the_dashboard_and_never_read_a_clinic_complaint(
    triage: Harness,
) -> None:
    cid = (await triage.receive(text="Petugas farmasi membentak saya")).data.complaint_id
    console = ConsoleClient(triage.http)
    answer = await console.login("dinkes.bna")
    assert answer.headers["location"] == "/dasbor/"

    page = await triage.http.get(f"/konsol/aduan/{cid}")
    inbox = await triage.http.get("/konsol/")
    posted = await triage.http.post(
        f"/konsol/aduan/{cid}/reject",
        data={"csrf_token": csrf_of(inbox), "version": "2", "reason": "spam"},
    )

    assert page.status_code == inbox.status_code == posted.status_code == 403
    for answer in (page, inbox, posted):
        assert "membentak" not in answer.text
    assert await status_of(triage, cid) == "triaged"
