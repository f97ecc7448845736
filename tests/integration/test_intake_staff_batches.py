"""The staff pages that take many items at once, through the real intake app, broker and
database: a suggestion-box opening (one complaint per filled row) and paper survey forms."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.integration.test_intake_fixtures import Intake, intake_fixture  # noqa: F401
from tests.integration.test_intake_staff_pages import form_token, post_form, sign_in

pytestmark = pytest.mark.integration

BOX = "/konsol/catat/kotak-saran"
SURVEYS = "/konsol/catat/survei"
BATCH = re.compile(r'name="batch_id" value="([0-9a-f]{32})"')


def slips(*rows: tuple[int, str, str, str]) -> dict[str, str]:
    """(row, kind, unit, text) of each filled row of the opening's table."""
    fields = {"opened_on": "2026-11-02", "rows": "5"}
    for row, kind, unit, text in rows:
        fields |= {f"slip-{row}-kind": kind, f"slip-{row}-unit": unit, f"slip-{row}-text": text}
    return fields


def paper(row: int, **overrides: str) -> dict[str, str]:
    fields = {
        "unit": "poli_umum",
        "service_date": "2026-11-03",
        **{f"U{i}": str(1 + i % 4) for i in range(1, 10)},
        "sex": "P",
        "age": "41",
        "education": "smp",
        "occupation": "Petani",
        "suggestion": "",
        **overrides,
    }
    return {f"form-{row}-{name}": value for name, value in fields.items()}


async def test_box_opening_creates_one_complaint_per_filled_row_and_skips_empty_ones(
    intake: Intake,
) -> None:
    sign_in(intake)
    fields = slips(
        (0, "saran", "", "Tambah kursi di ruang tunggu"),
        (2, "keluhan", "poli_umum", "Toilet kotor"),
        (4, "pujian", "", "Bidan di KIA ramah"),
    )
    page = await post_form(intake, BOX, fields)
    assert page.status_code == 200, page.text
    numbers = re.findall(r'class="mono tracking-number">([^<]+)<', page.text)
    events = await intake.sink.wait_for(3)
    assert [e["data"]["tracking_number"] for e in events] == numbers
    assert [e["data"]["kind"] for e in events] == ["saran", "keluhan", "pujian"]
    assert [e["data"]["unit"] for e in events] == [None, "poli_umum", None]
    assert {e["data"]["channel"] for e in events} == {"kotak_saran"}
    assert {e["data"]["identity"] for e in events} == {"anonim"}
    assert {e["data"]["source"]["reported_on"] for e in events} == {"2026-11-02"}
    assert {e["actor"]["id"] for e in events} == {"user-officer"}
    opening = await intake.collection("suggestion_box_openings").find_one(
        {"_id": events[0]["data"]["source"]["batch_id"]}
    )
    assert (opening["slips"], opening["recorded_by"]) == (3, "user-officer")


async def test_the_same_opening_sent_twice_stores_each_slip_once(intake: Intake) -> None:
    sign_in(intake)
    token = await form_token(intake, BOX)
    fields = {
        "csrf_token": token,
        "batch_id": "b" * 32,
        **slips((0, "saran", "", "Parkir sempit"), (1, "keluhan", "", "Antre lama")),
    }
    first = await intake.client.post(BOX, data=fields)
    again = await intake.client.post(BOX, data=fields)  # a double click, or a retry
    assert first.status_code == again.status_code == 200
    pattern = r'class="mono tracking-number">([^<]+)<'
    assert re.findall(pattern, first.text) == re.findall(pattern, again.text)
    await intake.sink.wait_for(2)
    assert len(await intake.sink.events("complaint.received")) == 2


async def test_each_page_of_the_box_opening_is_a_new_batch(intake: Intake) -> None:
    sign_in(intake)
    batches = [BATCH.findall((await intake.client.get(BOX)).text) for _ in range(2)]
    assert [len(found) for found in batches] == [1, 1]
    assert batches[0] != batches[1]


@pytest.mark.parametrize(
    ("row", "kind", "unit", "text", "field", "label", "reason"),
    [
        (3, "keluhan", "", "", "slip-3-text", "Baris 4 · Isi", "Wajib diisi"),
        (1, "", "", "Lampu mati", "slip-1-kind", "Baris 2 · Jenis", "Wajib diisi"),
        (2, "saran", "radiologi", "Ada radiologi?", "slip-2-unit", "Baris 3 · Unit", "tidak ada"),
    ],
)
async def test_a_refused_slip_names_its_row_and_nothing_is_stored(
    intake: Intake,
    row: int,
    kind: str,
    unit: str,
    text: str,
    field: str,
    label: str,
    reason: str,
) -> None:
    sign_in(intake)
    fields = slips((0, "saran", "", "Tambah <kursi> & kipas"), (row, kind, unit, text))
    page = await post_form(intake, BOX, fields)
    assert page.status_code == 422, page.text
    assert f'<a href="#{field}">{label}' in page.text
    assert f'id="{field}-error"' in page.text and reason in page.text
    assert "Tambah &lt;kursi&gt; &amp; kipas</textarea>" in page.text
    assert 'value="2026-11-02"' in page.text
    assert await intake.sink.events() == []


async def test_an_opening_without_any_slip_is_refused(intake: Intake) -> None:
    sign_in(intake)
    page = await post_form(intake, BOX, slips())
    assert page.status_code == 422
    assert "Isi paling sedikit satu slip" in page.text
    assert await intake.sink.events() == []


async def test_adding_rows_shows_five_more_keeps_the_typed_slips_and_stores_nothing(
    intake: Intake,
) -> None:
    sign_in(intake)
    fields = {**slips((4, "saran", "farmasi", "Antrean obat lama")), "action": "tambah"}
    page = await intake.client.post(BOX, data=fields)  # no token needed: nothing is stored
    assert page.status_code == 200
    assert 'name="rows" value="10"' in page.text
    assert 'id="slip-9-text"' in page.text and 'id="slip-10-text"' not in page.text
    assert "Antrean obat lama</textarea>" in page.text
    assert '<option value="farmasi" selected>' in page.text
    assert await intake.sink.events() == []


async def test_paper_surveys_are_recorded_with_their_suggestions_and_empty_forms_skipped(
    intake: Intake,
) -> None:
    sign_in(intake, clinic="MDRJ1")
    fields = {
        "rows": "3",
        **paper(0),
        **paper(1, unit="farmasi", suggestion="Ruang tunggu farmasi panas"),
        "form-2-service_date": "2026-11-03",  # a date alone is an empty form
    }
    page = await post_form(intake, SURVEYS, fields)
    assert page.status_code == 200, page.text
    assert '<strong id="survey-count">2</strong>' in page.text
    surveys = await intake.sink.wait_for(2, "survey.submitted")
    assert [s["data"]["unit"] for s in surveys] == ["poli_umum", "farmasi"]
    assert {s["data"]["form"] for s in surveys} == {"kertas"}
    assert surveys[0]["data"]["answers"]["U4"] == 1
    assert surveys[0]["data"]["respondent"] == {
        "sex": "P",
        "age": 41,
        "education": "smp",
        "occupation": "Petani",
    }
    [suggestion] = await intake.sink.wait_for(1, "complaint.received")
    assert (suggestion["data"]["kind"], suggestion["data"]["channel"]) == ("saran", "survei")
    assert suggestion["data"]["tracking_number"] in page.text


@pytest.mark.parametrize(
    ("overrides", "field", "label", "reason"),
    [
        ({"U5": ""}, "form-1-U5", "Formulir 2 · U5 Produk", "Pilih salah satu jawaban"),
        ({"age": "7"}, "form-1-age", "Formulir 2 · Umur", "Paling kecil 10"),
        ({"unit": "radiologi"}, "form-1-unit", "Formulir 2 · Unit layanan", "tidak ada"),
    ],
)
async def test_a_refused_paper_form_names_its_form_and_nothing_is_stored(
    intake: Intake, overrides: dict[str, str], field: str, label: str, reason: str
) -> None:
    sign_in(intake)
    fields = {"rows": "3", **paper(0, occupation="Nelayan"), **paper(1, **overrides)}
    page = await post_form(intake, SURVEYS, fields)
    assert page.status_code == 422, page.text
    assert f'<a href="#{field}">{label}' in page.text
    assert f'id="{field}-error"' in page.text and reason in page.text
    assert 'value="Nelayan"' in page.text
    assert await intake.sink.events() == []


async def test_a_future_service_date_on_a_later_form_stores_none_of_the_forms(
    intake: Intake,
) -> None:
    sign_in(intake)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    fields = {"rows": "3", **paper(0), **paper(1, service_date=tomorrow)}
    page = await post_form(intake, SURVEYS, fields)
    assert page.status_code == 422, page.text
    assert 'id="form-1-service_date-error"' in page.text and "masa depan" in page.text
    assert await intake.sink.events() == []
