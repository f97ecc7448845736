"""The complaint page's less common steps through the real triage app, broker and database:
escalation to the head, reopening and rejecting by the page's forms, each shown in the status
and the history and published as its event; and the automatic suggestion of category and unit,
shown on the page and already chosen in the triage form."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta

import pytest

from services.triage.console_labels import CATEGORIES
from tests.integration.triage_console_client import ConsoleClient, signed_in
from tests.integration.triage_harness import Harness

pytestmark = pytest.mark.integration
TRIAGE = {"kind": "keluhan", "category": "waktu_tunggu", "unit": "pendaftaran"}
PLAN = {"actions": "Buka loket kedua", "owner": "Koordinator", "made_by": "tim_pengaduan"}


async def run(console: ConsoleClient, cid: uuid.UUID, name: str, fields: dict[str, str]) -> str:
    """One command by its form; answers the complaint page the browser is sent back to."""
    answer = await console.command(cid, name, fields)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/konsol/aduan/{cid}?selesai={name}#riwayat"
    return (await console.http.get(answer.headers["location"])).text


def status_badge(page: str) -> str:
    found = re.search(r'<span class="badge" id="status">([^<]*)</span>', page)
    assert found, "no status on the page"
    return html.unescape(found.group(1))


def history(page: str) -> list[str]:
    """The text of each line of the page's history, oldest first."""
    found = re.search(r'<ol class="timeline" id="history">(.*?)</ol>', page, re.S)
    assert found, "no history on the page"
    lines = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", line).split())) for line in lines]


def chosen(page: str, select_id: str) -> str:
    """The option a <select> of the page has selected."""
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no {select_id} on the page"
    options = re.findall(r'<option value="([^"]*)" selected>', select.group(1))
    assert len(options) == 1, options
    return str(options[0])


async def test_escalation_by_form_goes_to_the_head_with_its_reason_in_the_history(
    triage: Harness,
) -> None:
    cid = (await triage.receive()).data.complaint_id
    console = await signed_in(triage, "mdrj1.aduan")
    await run(console, cid, "triage", TRIAGE)
    reason = "Pelapor sudah tiga kali mengeluhkan loket yang sama"

    page = await run(console, cid, "escalate", {"reason": reason})

    assert status_badge(page) == "Ke Kepala Puskesmas"
    last = history(page)[-1]
    assert last.startswith("Diteruskan ke Kepala Puskesmas Diverifikasi → Ke Kepala Puskesmas")
    assert last.endswith(reason) and "Tim Pengelola Aduan Mandiraja 1" in last
    # An escalated complaint is planned with the head: the plan form proposes it.
    assert chosen(page, "plan-made_by") == "kepala"
    [event] = await triage.tap.wait_for("complaint.escalated", cid)
    assert event["data"]["reason"] == reason


async def test_a_closed_complaint_reopened_by_form_is_open_again_with_the_reason_in_history(
    triage: Harness,
) -> None:
    cid = (await triage.receive()).data.complaint_id
    console = await signed_in(triage, "mdrj1.aduan")
    await run(console, cid, "triage", TRIAGE)
    due = (triage.clock() + timedelta(days=7)).date().isoformat()
    await run(console, cid, "plan", {**PLAN, "due_date": due})
    await run(console, cid, "reply", {"text": "Loket kedua kini dibuka pukul 07.00."})
    await run(console, cid, "close", {"satisfied": "0"})
    reason = "Pelapor menelepon: antrean masih tiga jam"

    page = await run(console, cid, "reopen", {"reason": reason})

    assert status_badge(page) == "Dibuka kembali"
    last = history(page)[-1]
    assert last.startswith("Dibuka kembali Selesai → Dibuka kembali") and last.endswith(reason)
    assert [line.split()[0] for line in history(page)][-3:] == ["Jawaban", "Ditutup", "Dibuka"]
    for offered in ("plan", "reply", "escalate", "reject"):
        assert f'action="/konsol/aduan/{cid}/{offered}"' in page
    assert f'action="/konsol/aduan/{cid}/reopen"' not in page
    [event] = await triage.tap.wait_for("complaint.reopened", cid)
    assert event["data"]["reason"] == reason


async def test_rejecting_by_form_is_final_and_the_page_offers_no_further_step(
    triage: Harness,
) -> None:
    cid = (await triage.receive(text="tes tes 123 promo pulsa murah")).data.complaint_id
    console = await signed_in(triage, "mdrj1.aduan")
    reason = "Pesan promosi, bukan aduan"

    page = await run(console, cid, "reject", {"reason": reason})

    assert status_badge(page) == "Ditolak"
    last = history(page)[-1]
    assert last.startswith("Ditolak Diverifikasi → Ditolak") and last.endswith(reason)
    assert "Tidak ada tindakan yang dapat Anda lakukan pada status ini." in page
    assert f'action="/konsol/aduan/{cid}/' not in page
    [event] = await triage.tap.wait_for("complaint.rejected", cid)
    assert event["data"]["reason"] == reason


async def test_automatic_suggestion_is_shown_and_already_chosen_in_the_triage_form(
    triage: Harness,
) -> None:
    text = "Obat di farmasi habis terus, saya disuruh beli di apotek luar"
    cid = (await triage.receive(text=text)).data.complaint_id
    console = await signed_in(triage, "mdrj1.aduan")
    doc = await triage.triage.store.get_document(cid)
    assert doc is not None
    suggestion = doc["suggestion"]
    assert suggestion["unit"] == "farmasi"  # not the form's first unit: the choice is the page's

    page = (await triage.http.get(f"/konsol/aduan/{cid}")).text

    assert "Belum dikonfirmasi (saran otomatis)" in page
    shown = re.search(r"Saran otomatis: ([^<]*)</p>", page)
    assert shown, "no suggestion on the page"
    assert html.unescape(shown.group(1)).startswith(f"{CATEGORIES[suggestion['category']]} · ")
    assert chosen(page, "triage-category") == suggestion["category"]
    assert chosen(page, "triage-unit") == suggestion["unit"]

    fields = {"kind": chosen(page, "triage-kind"), "category": chosen(page, "triage-category")}
    confirmed = await run(console, cid, "triage", {**fields, "unit": chosen(page, "triage-unit")})

    assert "Sudah dikonfirmasi petugas" in confirmed
    after = await triage.triage.store.get_document(cid)
    assert after is not None
    assert (after["category"], after["unit"]) == (suggestion["category"], "farmasi")
    assert after["triage_review"]["confirmed"]["unit"] == "farmasi"
