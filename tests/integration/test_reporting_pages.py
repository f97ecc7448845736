"""The dashboard pages (/dasbor/) through the real reporting service, broker and database: what
the district office, a clinic's head and other roles see, who is sent away, and that no page
shows a district user who complained."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from shared.auth import SESSION_COOKIE, Role
from shared.events import Reporter
from tests.support.reporting_harness import Reporting, received
from tests.unit.test_reporting_reports import HAND_DATA, survey

pytestmark = pytest.mark.integration

OCTOBER = {"from": "2026-10", "to": "2026-10"}
AT = datetime(2026, 10, 3, 2, 0, tzinfo=UTC)
IDENTITIES = ("Siti", "Aminah", "Joko", "joko@contoh.id", "081399998888", "6281311112222")


def sign_in(reporting: Reporting, role: Role, clinic: str | None = "MDRJ1") -> None:
    """A browser's session: the same token the API takes, in the staff cookie."""
    reporting.http.cookies.clear()
    token = reporting.token(role, clinic=clinic)["Authorization"].removeprefix("Bearer ")
    reporting.http.cookies.set(SESSION_COOKIE, token)


def chart(html: str, name: str) -> dict[str, object]:
    found = re.search(rf'<script type="application/json" data-chart="{name}">(.*?)</script>', html)
    assert found, f"chart {name} missing"
    loaded: dict[str, object] = json.loads(found.group(1))
    return loaded


def row_of(html: str, clinic: str) -> str:
    found = re.search(rf'<tr data-clinic="{clinic}">(.*?)</tr>', html, re.S)
    assert found, f"row of {clinic} missing"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


async def with_complaints_and_surveys(reporting: Reporting) -> None:
    complaints = [
        received(Reporter(name="Siti Aminah", phone="+6281311112222"), "biasa", "Antrian lama", AT),
        received(
            Reporter(name="Joko Widodo", email="joko@contoh.id"),
            "rahasia",
            "Petugas kasar",
            AT + timedelta(hours=1),
        ),
        received(None, "anonim", "Telepon saya 081399998888", AT + timedelta(hours=2)),
    ]
    other = survey((2,) * 9).model_copy(update={"clinic": "MDRJ2"})
    await reporting.publish([*complaints, *(survey(row) for row in HAND_DATA), other])
    await reporting.processed(len(complaints) + len(HAND_DATA) + 1)


async def test_district_sees_its_clinics_side_by_side_ranked_with_rates_and_trends(
    reporting: Reporting,
) -> None:
    await with_complaints_and_surveys(reporting)
    sign_in(reporting, Role.HEAD)
    entry = {"clinic": "MDRJ1", "month": "2026-10", "visits": 1500}
    saved = await reporting.http.post("/api/v1/reports/visits", json=entry)
    assert saved.status_code == 200
    sign_in(reporting, Role.DISTRICT, clinic=None)

    page = await reporting.http.get("/dasbor/", params=OCTOBER)

    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert "Dinkes banjarnegara" in html and "Puskesmas RANAI" not in html
    assert row_of(html, "MDRJ1") == "Puskesmas MDRJ1 84.44 B 5 306 3 2.00 — 3 0"
    assert row_of(html, "MDRJ2") == "Puskesmas MDRJ2 50.00 D 1 — 0 — — 0 0"
    ranking = re.search(r'<ol id="ranking-ikm">(.*?)</ol>', html, re.S)
    assert ranking and re.findall(r"Puskesmas (MDRJ\d)", ranking.group(1)) == ["MDRJ1", "MDRJ2"]
    # District IKM from all six respondents' answers, not a mean of the clinics' IKMs.
    assert re.search(r'id="district-ikm">78\.70<', html)
    months = chart(html, "complaints-months")
    assert months["data"] == {
        "labels": ["Oktober 2026"],
        "datasets": [
            {"label": "Puskesmas MDRJ1", "data": [3], "backgroundColor": "#0b7a53"},
            {"label": "Puskesmas MDRJ2", "data": [0], "backgroundColor": "#1f5fa8"},
        ],
    }
    assert chart(html, "ikm-clinics")["data"]["datasets"][0]["data"] == [84.44, 50.0]  # type: ignore[index]
    assert "vendor/chart-4.4.7.umd.min.js" in html and "cdn" not in html.lower()
    exports = "/api/v1/reports/district/clinics?from=2026-10-01&amp;to=2026-10-31"
    assert f"{exports}&amp;district=banjarnegara&amp;format=xlsx" in html
    trends = "/api/v1/reports/district/trends?from=2026-10-01&amp;to=2026-10-31"
    assert f"{trends}&amp;district=banjarnegara&amp;format=csv" in html
    assert 'href="/dasbor/puskesmas/MDRJ1?from=2026-10&amp;to=2026-10"' in html


async def test_clinic_staff_land_on_their_own_clinic_with_ikm_per_element_and_unit(
    reporting: Reporting,
) -> None:
    await with_complaints_and_surveys(reporting)
    sign_in(reporting, Role.QUALITY_TEAM)

    landing = await reporting.http.get("/dasbor/", params=OCTOBER)
    assert landing.status_code == 303
    assert landing.headers["location"] == "/dasbor/puskesmas/MDRJ1?from=2026-10&to=2026-10"
    page = await reporting.http.get("/dasbor/puskesmas/MDRJ1", params=OCTOBER)

    assert page.status_code == 200
    html = page.text
    assert re.search(r'id="clinic-ikm">84\.44<', html) and "Baik" in html
    table = re.search(r'<table id="element-table">(.*?)</table>', html, re.S)
    assert table
    nrr = re.findall(
        r'<td class="num">(\d\.\d\d)</td><td class="num">\d\.\d{3}</td>', table.group(1)
    )
    assert nrr == ["3.60", "3.40", "2.80", "3.80", "3.20", "3.40", "4.00", "3.40", "2.80"]
    assert chart(html, "nrr-elements")["data"]["datasets"][0]["data"][2] == 2.8  # type: ignore[index]
    units = re.search(r'<table id="unit-table">(.*?)</table>', html, re.S)
    assert units and "Poli Umum" in units.group(1) and "84.44" in units.group(1)
    assert "/dasbor/register/MDRJ1?month=2026-10" in html
    assert "/api/v1/reports/recap/print?clinic=MDRJ1&amp;month=2026-10" in html
    assert "/api/v1/reports/ikm?from=2026-10-01&amp;to=2026-10-31&amp;clinic=MDRJ1" in html
    assert "Dasbor kabupaten" not in html  # no way up for clinic staff


async def test_a_clinic_outside_the_principals_scope_is_a_not_found_page(
    reporting: Reporting,
) -> None:
    sign_in(reporting, Role.HEAD)
    for path in ("/dasbor/puskesmas/MDRJ2", "/dasbor/register/MDRJ2", "/dasbor/puskesmas/NOPE"):
        page = await reporting.http.get(path)
        assert page.status_code == 404 and "Halaman tidak ditemukan" in page.text, path
    sign_in(reporting, Role.DISTRICT, clinic=None)
    for path in ("/dasbor/puskesmas/RANAI", "/dasbor/register/RANAI", "/dasbor/puskesmas/x-1"):
        page = await reporting.http.get(path)
        assert page.status_code == 404 and "Puskesmas RANAI" not in page.text, path
    assert (await reporting.http.get("/dasbor/puskesmas/MDRJ2")).status_code == 200


async def test_without_a_session_every_page_sends_to_login_and_back(reporting: Reporting) -> None:
    reporting.http.cookies.clear()
    for path, back in (
        ("/dasbor/", "%2Fdasbor%2F"),
        ("/dasbor/puskesmas/MDRJ1?from=2026-10", "%2Fdasbor%2Fpuskesmas%2FMDRJ1%3Ffrom%3D2026-10"),
        ("/dasbor/register/MDRJ1", "%2Fdasbor%2Fregister%2FMDRJ1"),
        ("/dasbor/kunjungan", "%2Fdasbor%2Fkunjungan"),
    ):
        page = await reporting.http.get(path)
        assert page.status_code == 303, path
        assert page.headers["location"] == f"/konsol/masuk?next={back}"
    reporting.http.cookies.set(SESSION_COOKIE, "not-a-token")
    assert (await reporting.http.get("/dasbor/")).headers["location"].startswith("/konsol/masuk")


async def test_roles_without_the_report_permission_get_a_refusal_page(reporting: Reporting) -> None:
    for role in (Role.UNIT, Role.OFFICER):
        sign_in(reporting, role)
        for path in ("/dasbor/", "/dasbor/puskesmas/MDRJ1", "/dasbor/register/MDRJ1"):
            page = await reporting.http.get(path)
            assert page.status_code == 403 and "Tidak berwenang" in page.text, (role, path)


async def test_no_dashboard_page_shows_the_district_who_complained(reporting: Reporting) -> None:
    await with_complaints_and_surveys(reporting)
    sign_in(reporting, Role.DISTRICT, clinic=None)
    pages = {
        path: await reporting.http.get(path, params=params)
        for path, params in (
            ("/dasbor/", OCTOBER),
            ("/dasbor/puskesmas/MDRJ1", OCTOBER),
            ("/dasbor/register/MDRJ1", {"month": "2026-10"}),
            ("/dasbor/kunjungan", {}),
        )
    }

    for path, page in pages.items():
        assert page.status_code == 200, path
        assert not [word for word in IDENTITIES if word in page.text], path
    register = pages["/dasbor/register/MDRJ1"].text
    assert "S*** A***" in register and "Dirahasiakan" in register and "Anonim" in register
    assert "+6281****222" in register and "08139****888" in register  # masked, as in exports


async def test_register_page_lists_the_month_with_its_exports_for_those_who_may(
    reporting: Reporting,
) -> None:
    await with_complaints_and_surveys(reporting)
    sign_in(reporting, Role.HEAD)
    page = await reporting.http.get("/dasbor/register/MDRJ1", params={"month": "2026-10"})

    assert page.status_code == 200
    rows = re.findall(r"MDRJ1-2610-[0-9A-F]{6}", page.text)
    assert len(rows) == 3 and "Oktober 2026" in page.text
    for link in (
        "/api/v1/reports/register?clinic=MDRJ1&amp;month=2026-10&amp;format=csv",
        "/api/v1/reports/register?clinic=MDRJ1&amp;month=2026-10&amp;format=xlsx",
        "/api/v1/reports/register/print?clinic=MDRJ1&amp;month=2026-10",
        'href="/dasbor/register/MDRJ1?month=2026-09" rel="prev"',
    ):
        assert link in page.text, link
    sign_in(reporting, Role.ADMIN, clinic=None)
    admin = await reporting.http.get("/dasbor/register/MDRJ1", params={"month": "2026-10"})
    assert admin.status_code == 200 and "format=csv" not in admin.text
    assert "/api/v1/reports/register/print?clinic=MDRJ1" in admin.text
    empty = await reporting.http.get("/dasbor/register/MDRJ2", params={"month": "2026-10"})
    assert "Tidak ada aduan pada bulan ini." in empty.text


async def test_a_bad_period_names_its_field_and_shows_no_numbers(reporting: Reporting) -> None:
    sign_in(reporting, Role.DISTRICT, clinic=None)
    for path, params, field in (
        ("/dasbor/", {"from": "2026-13"}, "from"),
        ("/dasbor/", {"from": "2026-10", "to": "2026-09"}, "to"),
        ("/dasbor/puskesmas/MDRJ1", {"from": "2020-01", "to": "2026-10"}, "to"),
        ("/dasbor/register/MDRJ1", {"month": "Oktober"}, "month"),
    ):
        page = await reporting.http.get(path, params=params)
        assert page.status_code == 422, (path, params)
        assert f'id="{field}-error"' in page.text and 'aria-invalid="true"' in page.text
        assert "data-chart" not in page.text and "<table" not in page.text


async def test_the_operator_sees_the_district_without_downloads_and_english_on_request(
    reporting: Reporting,
) -> None:
    sign_in(reporting, Role.ADMIN, clinic=None)
    page = await reporting.http.get("/dasbor/", params=OCTOBER)
    assert page.status_code == 200 and 'data-clinic="MDRJ2"' in page.text
    assert "format=csv" not in page.text and 'href="/dasbor/kunjungan"' in page.text
    english = await reporting.http.get("/dasbor/", params={**OCTOBER, "lang": "en"})
    assert "District dashboard" in english.text and "Health centres compared" in english.text
    bare = await reporting.http.get("/dasbor", params=OCTOBER)
    assert (bare.status_code, bare.headers["location"]) == (303, "/dasbor/?from=2026-10&to=2026-10")
