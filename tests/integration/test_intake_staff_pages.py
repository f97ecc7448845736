"""The staff entry pages (/konsol/catat/…) through the real intake app, broker and database:
who may open them, a complaint received by staff, and what every form does when refused.
The suggestion box and paper surveys are in test_intake_staff_batches.py."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from shared.auth import Role
from tests.integration.test_intake_fixtures import Intake, intake_fixture  # noqa: F401

pytestmark = pytest.mark.integration

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGES = (
    "/konsol/catat/",
    "/konsol/catat/aduan",
    "/konsol/catat/kotak-saran",
    "/konsol/catat/survei",
)
FORMS = PAGES[1:]


def sign_in(intake: Intake, role: Role = Role.OFFICER, clinic: str | None = "MDRJ1") -> None:
    intake.client.cookies.set("sigap_session", intake.staff_token(role, clinic))


async def form_token(intake: Intake, path: str) -> str:
    page = await intake.client.get(path)
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found, "the form carries no CSRF token"
    return found.group(1)


async def post_form(intake: Intake, path: str, fields: dict[str, str]) -> httpx.Response:
    token = await form_token(intake, path)
    return await intake.client.post(path, data={"csrf_token": token, **fields})


def phone_call(**overrides: str) -> dict[str, str]:
    return {
        "channel": "telepon",
        "reported_on": "2026-11-02",
        "kind": "keluhan",
        "unit": "farmasi",
        "text": "Penelepon: obat hipertensi di farmasi kosong dua minggu",
        "name": "Pak Darto",
        "phone": "081311112222",
        **overrides,
    }


def receipt_of(page: httpx.Response) -> tuple[str, str]:
    number = re.search(r'id="tracking-number">([^<]+)<', page.text)
    pin = re.search(r'id="pin">([0-9]{6})<', page.text)
    assert number and pin, page.text
    return number.group(1), pin.group(1)


async def test_menu_shows_the_officer_every_entry_of_their_own_clinic(intake: Intake) -> None:
    sign_in(intake)
    page = await intake.client.get("/konsol/catat/")
    assert page.status_code == 200, page.text
    for link in FORMS:
        assert f'href="{link}"' in page.text
    assert "UPTD Puskesmas Mandiraja 1" in page.text
    assert "user-officer" in page.text  # the staff layout names who is signed in
    bare = await intake.client.get("/konsol/catat")
    assert (bare.status_code, bare.headers["location"]) == (303, "/konsol/catat/")
    english = await intake.client.get("/konsol/catat/?lang=en")
    assert "Suggestion box opening" in english.text and "Record" in english.text


async def test_quality_team_sees_only_the_paper_survey_entry(intake: Intake) -> None:
    sign_in(intake, Role.QUALITY_TEAM)
    page = await intake.client.get("/konsol/catat/")
    assert page.status_code == 200
    assert 'href="/konsol/catat/survei"' in page.text
    assert 'href="/konsol/catat/aduan"' not in page.text
    assert (await intake.client.get("/konsol/catat/survei")).status_code == 200
    assert (await intake.client.get("/konsol/catat/aduan")).status_code == 403


async def test_without_a_session_every_page_sends_to_the_login_page(intake: Intake) -> None:
    for method, path in [*(("GET", path) for path in PAGES), *(("POST", path) for path in FORMS)]:
        reply = await intake.client.request(method, path, data={} if method == "POST" else None)
        assert reply.status_code == 303, (method, path)
        assert reply.headers["location"] == "/konsol/masuk?next=" + path.replace("/", "%2F")
    assert await intake.sink.events() == []


async def test_an_expired_or_forged_session_also_sends_to_the_login_page(intake: Intake) -> None:
    intake.client.cookies.set("sigap_session", "bukan-token")
    reply = await intake.client.get("/konsol/catat/aduan")
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/konsol/masuk?next=")


async def test_roles_that_may_not_record_get_a_refusal_page_in_indonesian(
    intake: Intake,
) -> None:
    refused = [
        *((Role.UNIT, "MDRJ1", path) for path in PAGES),
        (Role.QUALITY_TEAM, "MDRJ1", "/konsol/catat/kotak-saran"),
        (Role.DISTRICT, None, "/konsol/catat/"),
        (Role.ADMIN, None, "/konsol/catat/aduan"),
    ]
    for role, clinic, path in refused:
        sign_in(intake, role, clinic)
        page = await intake.client.get(path)
        assert page.status_code == 403, (role, path)
        assert "Akses ditolak" in page.text and "tidak dapat mencatat" in page.text
        if path in FORMS:
            assert (await intake.client.post(path, data={"text": "x"})).status_code == 403
    assert await intake.sink.events() == []


async def test_phone_complaint_gives_tracking_number_and_pin_through_the_entry_use_case(
    intake: Intake,
) -> None:
    sign_in(intake)
    page = await post_form(intake, "/konsol/catat/aduan", phone_call())
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    number, pin = receipt_of(page)
    assert number.startswith("MDRJ1-")
    [event] = await intake.sink.wait_for(1)
    assert event["actor"] == {"kind": "staff", "id": "user-officer", "role": "officer"}
    data = event["data"]
    assert (data["tracking_number"], data["channel"], data["kind"]) == (
        number,
        "telepon",
        "keluhan",
    )
    assert (data["unit"], data["identity"]) == ("farmasi", "biasa")
    assert data["reporter"]["name"] == "Pak Darto"
    assert data["source"]["reported_on"] == "2026-11-02"
    assert data["pin"] == pin  # the PIN handed to the reporter is the complaint's


async def test_social_media_complaint_keeps_its_platform_and_link(intake: Intake) -> None:
    sign_in(intake)
    fields = phone_call(
        channel="media_sosial",
        platform="instagram",
        source_ref="https://instagram.com/p/abc123",
        name="",
        phone="",
        anonymous="1",
    )
    page = await post_form(intake, "/konsol/catat/aduan", fields)
    assert page.status_code == 200, page.text
    [event] = await intake.sink.wait_for(1)
    source = event["data"]["source"]
    assert (source["platform"], source["external_id"]) == (
        "instagram",
        "https://instagram.com/p/abc123",
    )
    assert (event["data"]["identity"], event["data"]["reporter"]) == ("anonim", None)


@pytest.mark.parametrize(
    ("fields", "field", "label", "reason"),
    [
        (phone_call(phone="0812"), "phone", "Nomor HP", "Nomor HP tidak valid"),
        (phone_call(channel=""), "channel", "Kanal", "Pilih salah satu"),
        (phone_call(channel="media_sosial"), "platform", "Platform", "Pilih platform"),
        (phone_call(platform="facebook"), "platform", "Platform", "Kosongkan"),
        (phone_call(unit="radiologi"), "unit", "Unit layanan", "tidak ada di"),
        (phone_call(anonymous="1"), "anonymous", "Anonim", "Kosongkan nama"),
        (phone_call(reported_on="kemarin"), "reported_on", "Tanggal diterima", "Tanggal"),
    ],
)
async def test_refused_complaint_names_the_field_and_keeps_what_was_typed(
    intake: Intake, fields: dict[str, str], field: str, label: str, reason: str
) -> None:
    sign_in(intake)
    typed = {**fields, "text": "Obat <b>kosong</b> & antre"}
    page = await post_form(intake, "/konsol/catat/aduan", typed)
    assert page.status_code == 422, page.text
    assert f'<a href="#{field}">{label}</a>' in page.text
    assert f'id="{field}-error"' in page.text and reason in page.text
    assert "Obat &lt;b&gt;kosong&lt;/b&gt; &amp; antre" in page.text
    assert f'value="{fields["phone"]}"' in page.text
    assert await intake.sink.events() == []


@pytest.mark.parametrize(
    ("path", "fields", "kept"),
    [
        ("/konsol/catat/aduan", phone_call(), "Pak Darto"),
        ("/konsol/catat/kotak-saran", {"slip-0-kind": "saran", "slip-0-text": "Kursi"}, "Kursi"),
        ("/konsol/catat/survei", {"form-0-occupation": "Nelayan", "form-0-U1": "3"}, "Nelayan"),
    ],
)
async def test_a_form_without_its_csrf_token_stores_nothing_and_keeps_what_was_typed(
    intake: Intake, path: str, fields: dict[str, Any], kept: str
) -> None:
    sign_in(intake)
    await form_token(intake, path)  # the cookie is set; the form's copy is missing
    page = await intake.client.post(path, data=fields)
    assert page.status_code == 403
    assert "Sesi formulir kedaluwarsa" in page.text and kept in page.text
    wrong = await intake.client.post(path, data={**fields, "csrf_token": "palsu"})
    assert wrong.status_code == 403
    assert await intake.sink.events() == []
