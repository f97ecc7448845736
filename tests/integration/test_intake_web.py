"""The public portal's pages through HTTP, with the real broker and database behind them: every
form refuses a missing CSRF token, keeps what was typed on refusal and names the field."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import httpx
import pytest
import segno
from faststream_fastapi import FastStreamAPI

from services.intake import handlers, web
from services.intake.edge import RateLimits
from services.intake.service import IntakeService
from services.intake.store import SubmissionStore
from services.intake.survey_service import SurveyService
from services.intake.tracking_service import TrackingService
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.integration.test_intake_fixtures import (
    PUBLIC_BASE_URL,
    Intake,
    bind_sink,
    intake_settings,
    seed,
)
from tests.support.lifespan import Running

pytestmark = pytest.mark.integration

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ANSWERS = {f"U{i}": str(1 + i % 4) for i in range(1, 10)}
RESPONDENT = {"sex": "P", "age": "34", "education": "sma", "occupation": "Ibu rumah tangga"}


def portal_app(settings: Settings) -> FastStreamAPI:
    """Intake with its portal, composed as services/intake/main.py composes the service."""
    runtime = ServiceRuntime("intake", settings)
    assert runtime.consumer is not None
    pepper = settings.pin_pepper.get_secret_value().encode()
    store = SubmissionStore(runtime.db)
    intake = IntakeService(
        runtime.directory, store, runtime.publisher, settings.public_base_url, pepper
    )
    tracking = TrackingService(store, runtime.applier, pepper, settings.tracking_failures_allowed)
    handlers.register(runtime.consumer, tracking)
    portal = web.router(
        intake, SurveyService(intake), tracking, web.pages(), RateLimits(settings), settings
    )
    return runtime.asgi(portal, title="SIGAP intake")


@pytest.fixture
async def portal(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Any
) -> AsyncIterator[Intake]:
    configured = intake_settings(settings)
    await seed(configured)
    app = portal_app(configured)
    async with Running(app) as running:
        sink = await bind_sink(configured, amqp)
        transport = httpx.ASGITransport(app=running.app, client=("198.51.100.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_BASE_URL) as client:
            yield Intake(client, sink, configured, mongo)


async def form_token(portal: Intake, path: str) -> str:
    page = await portal.client.get(path)
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found, "the form carries no CSRF token"
    return found.group(1)


async def post_form(portal: Intake, path: str, fields: dict[str, str]) -> httpx.Response:
    token = await form_token(portal, path)
    return await portal.client.post(path, data={"csrf_token": token, **fields})


def complaint(**overrides: str) -> dict[str, str]:
    return {
        "kind": "keluhan",
        "unit": "pendaftaran",
        "text": "Antrean pendaftaran lama sekali, lebih dari dua jam",
        "name": "Siti",
        "phone": "081234567890",
        "email": "",
        **overrides,
    }


def receipt_of(page: httpx.Response) -> tuple[str, str]:
    number = re.search(r'id="tracking-number">([^<]+)<', page.text)
    pin = re.search(r'id="pin">([0-9]+)<', page.text)
    assert number and pin, page.text
    return number.group(1), pin.group(1)


def qr_modules(svg: str) -> list[list[bool]]:
    """The dark modules of a QR code drawn as segno draws it (one path of horizontal runs)."""
    root = ET.fromstring(svg)
    [path] = [el for el in root.iter() if el.tag.endswith("path")]
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    moves = re.findall(r"([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", path.get("d", ""))
    for command, dx, dy in moves:
        if command == "M":
            x, y = float(dx), float(dy)
        elif command == "m":
            x, y = x + float(dx), y + float(dy)
        else:  # h: a run of dark modules on this row
            dark.update((int(x) + i, int(y)) for i in range(int(float(dx))))
            x += float(dx)
    size = max(max(col, row) for col, row in dark) + 1
    return [[(col, row) in dark for col in range(4, size)] for row in range(4, size)]


def expected_modules(url: str) -> list[list[bool]]:
    return [[bool(m) for m in row] for row in segno.make_qr(url, error="m").matrix]


async def test_portal_lists_every_clinic_with_its_pages(portal: Intake) -> None:
    page = await portal.client.get("/")
    assert page.status_code == 200
    for link in ("/lapor/MDRJ1", "/survei/RANAI", "/papan-tanggapan/MDRJ1", "/lacak"):
        assert f'href="{link}"' in page.text
    assert 'href="/api/v1/reports/public/ikm/MDRJ1/halaman"' in page.text
    assert "UPTD Puskesmas Mandiraja 1" in page.text


async def test_complaint_form_gives_tracking_number_and_pin_and_publishes_once(
    portal: Intake,
) -> None:
    page = await post_form(portal, "/lapor/MDRJ1", complaint())
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    number, pin = receipt_of(page)
    assert number.startswith("MDRJ1-") and len(pin) == 6
    assert f'href="/lacak?nomor={number}"' in page.text
    [event] = await portal.sink.wait_for(1)
    assert (event["type"], event["clinic"]) == ("complaint.received", "MDRJ1")
    data = event["data"]
    assert (data["tracking_number"], data["channel"], data["kind"]) == (number, "web", "keluhan")
    assert (data["unit"], data["identity"]) == ("pendaftaran", "biasa")
    assert data["reporter"] == {"name": "Siti", "phone": "+6281234567890", "email": None}
    assert "Siti" not in page.text and "081234567890" not in page.text


async def test_anonymous_complaint_stores_no_identity_and_confidential_is_rahasia(
    portal: Intake,
) -> None:
    anonymous = complaint(anonymous="1", name="", phone="", kind="saran")
    assert (await post_form(portal, "/lapor/MDRJ1", anonymous)).status_code == 200
    confidential = complaint(confidential="1")
    assert (await post_form(portal, "/lapor/MDRJ1", confidential)).status_code == 200
    first, second = await portal.sink.wait_for(2)
    assert (first["data"]["identity"], first["data"]["reporter"]) == ("anonim", None)
    assert second["data"]["identity"] == "rahasia"
    assert second["data"]["reporter"]["name"] == "Siti"


@pytest.mark.parametrize(
    ("fields", "field", "label", "reason"),
    [
        (complaint(phone="12345"), "phone", "Nomor HP", "Nomor HP tidak valid"),
        (complaint(email="bukan-email"), "email", "Email", "Alamat email tidak valid"),
        (complaint(kind=""), "kind", "Jenis", "Wajib diisi"),
        (complaint(kind="marah"), "kind", "Jenis", "Pilih salah satu"),
        (complaint(unit="radiologi"), "unit", "Unit layanan", "tidak ada di"),
        (complaint(anonymous="1"), "anonymous", "Anonim", "Kosongkan nama"),
    ],
)
async def test_refused_field_is_named_and_everything_typed_comes_back(
    portal: Intake, fields: dict[str, str], field: str, label: str, reason: str
) -> None:
    typed = {**fields, "text": "Obat di farmasi <b>sering</b> kosong & antre lama"}
    page = await post_form(portal, "/lapor/MDRJ1", typed)
    assert page.status_code == 422, page.text
    assert f'<a href="#{field}">{label}</a>' in page.text
    assert f'id="{field}-error"' in page.text and reason in page.text
    assert "Obat di farmasi &lt;b&gt;sering&lt;/b&gt; kosong &amp; antre lama" in page.text
    if fields.get("phone"):
        assert f'value="{fields["phone"]}"' in page.text
    assert await portal.sink.events() == []


async def test_empty_text_is_refused_naming_the_text_field(portal: Intake) -> None:
    page = await post_form(portal, "/lapor/MDRJ1", complaint(text="   "))
    assert page.status_code == 422
    assert '<a href="#text">Isi</a>' in page.text and 'value="081234567890"' in page.text


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/lapor/MDRJ1", "Antrean pendaftaran lama sekali"),
        ("/survei/MDRJ1", 'value="Ibu rumah tangga"'),
        ("/lacak", 'value="MDRJ1-2501-7KQ4-M9XP"'),
    ],
)
async def test_form_post_without_the_csrf_token_is_refused_and_does_nothing(
    portal: Intake, path: str, kept: str
) -> None:
    await form_token(portal, path)  # the cookie is set: only the form's copy is missing
    fields = {**complaint(), **ANSWERS, **RESPONDENT, "unit": "farmasi"}
    fields |= {"tracking_number": "MDRJ1-2501-7KQ4-M9XP", "pin": "123456"}
    missing = await portal.client.post(path, data=fields)
    forged = await portal.client.post(path, data={**fields, "csrf_token": "forged-token"})
    for page in (missing, forged):
        assert page.status_code == 403
        assert "Sesi formulir kedaluwarsa" in page.text and kept in page.text
    assert await portal.sink.events() == []


async def test_tracking_shows_status_for_the_right_pin_only(portal: Intake) -> None:
    number, pin = receipt_of(await post_form(portal, "/lapor/MDRJ1", complaint()))
    found = await post_form(portal, "/lacak", {"tracking_number": number.lower(), "pin": pin})
    assert found.status_code == 200, found.text
    assert found.headers["cache-control"] == "no-store"
    assert re.search(r'id="status">Diterima<', found.text)
    assert "Pendaftaran" in found.text and "WIB" in found.text
    wrong_pin = "000000" if pin != "000000" else "111111"
    wrong = await post_form(portal, "/lacak", {"tracking_number": number, "pin": wrong_pin})
    unknown = await post_form(
        portal, "/lacak", {"tracking_number": "MDRJ1-2501-7KQ4-M9XQ", "pin": pin}
    )
    for page in (wrong, unknown):
        assert page.status_code == 404
        assert "Nomor pelacakan atau PIN tidak cocok" in page.text
        assert 'id="status"' not in page.text
    assert f'value="{number}"' in wrong.text


async def test_tracking_form_names_missing_fields(portal: Intake) -> None:
    page = await post_form(portal, "/lacak", {"tracking_number": "", "pin": ""})
    assert page.status_code == 422
    assert '<a href="#tracking_number">Nomor pelacakan</a>' in page.text
    assert '<a href="#pin">PIN</a>' in page.text


async def test_survey_is_published_and_its_suggestion_gets_a_number(portal: Intake) -> None:
    fields = {"unit": "farmasi", **ANSWERS, **RESPONDENT, "suggestion": "Tambah kursi tunggu"}
    page = await post_form(portal, "/survei/MDRJ1", fields)
    assert page.status_code == 200, page.text
    number, _pin = receipt_of(page)
    [survey] = await portal.sink.wait_for(1, "survey.submitted")
    assert survey["data"]["answers"] == {code: int(value) for code, value in ANSWERS.items()}
    assert survey["data"]["respondent"] == {**RESPONDENT, "age": 34}
    assert (survey["data"]["unit"], survey["data"]["form"]) == ("farmasi", "web")
    [saran] = await portal.sink.wait_for(1, "complaint.received")
    assert (saran["data"]["tracking_number"], saran["data"]["kind"]) == (number, "saran")


async def test_survey_names_each_unanswered_element_and_keeps_the_answers(portal: Intake) -> None:
    answered = {code: value for code, value in ANSWERS.items() if code not in ("U3", "U8")}
    fields = {"unit": "farmasi", **answered, **RESPONDENT, "age": "7"}
    page = await post_form(portal, "/survei/MDRJ1", fields)
    assert page.status_code == 422
    for code in ("U3", "U8"):
        assert f'id="{code}-error"' in page.text
    assert '<a href="#age">Umur</a>: Paling kecil 10' in page.text
    assert re.search(r'name="U1" value="2" required\s+checked', page.text)
    assert await portal.sink.events() == []


async def test_survey_form_lists_the_nine_elements_and_their_scale(portal: Intake) -> None:
    page = (await portal.client.get("/survei/MDRJ1")).text
    names = ["Persyaratan", "Sistem, Mekanisme dan Prosedur", "Waktu Penyelesaian"]
    names += ["Biaya/Tarif", "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana"]
    names += ["Perilaku Pelaksana", "Penanganan Pengaduan, Saran dan Masukan"]
    names += ["Sarana dan Prasarana"]
    for index, name in enumerate(names, start=1):
        assert f"<legend>U{index}. {name}</legend>" in page
    assert "4 — Gratis" in page and "1 — Sangat mahal" in page


async def test_poster_carries_a_qr_code_of_the_clinic_report_url(portal: Intake) -> None:
    page = await portal.client.get("/poster/mdrj1")
    assert page.status_code == 200
    url = f"{PUBLIC_BASE_URL}/lapor/MDRJ1"
    svg = re.search(r"<svg.*?</svg>", page.text, re.S)
    assert svg is not None
    assert qr_modules(svg.group(0)) == expected_modules(url)
    assert qr_modules(svg.group(0)) != expected_modules(f"{PUBLIC_BASE_URL}/lapor/RANAI")
    assert f'id="report-url">{url}<' in page.text


async def test_unknown_clinic_answers_a_404_page(portal: Intake) -> None:
    for path in ("/lapor/NOPE9", "/survei/NOPE9", "/poster/NOPE9"):
        page = await portal.client.get(path)
        assert page.status_code == 404 and "Halaman tidak ditemukan" in page.text


async def test_english_is_chosen_by_the_language_switch_and_remembered(portal: Intake) -> None:
    page = await portal.client.get("/lapor/MDRJ1", params={"lang": "en"})
    assert 'lang="en"' in page.text and "Complaint" in page.text
    assert page.cookies.get("sigap_lang") == "en"
    again = await portal.client.get("/lacak")
    assert "Tracking number" in again.text


async def test_stylesheet_and_scripts_are_served_by_the_service_itself(portal: Intake) -> None:
    page = (await portal.client.get("/lapor/MDRJ1")).text
    assert 'href="/intake/static/sigap.css"' in page and "http" not in page.split("<main>")[0]
    for path in ("/static/sigap.css", "/static/vendor/htmx-2.0.4.min.js"):
        assert (await portal.client.get(path)).status_code == 200
