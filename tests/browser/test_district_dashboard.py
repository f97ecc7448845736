"""The district dashboard in a real browser, through the whole running system: a patient's
survey on the public portal reaches the district office's dashboard, and the district office
never sees who complained.

Staff sign in through POST /api/v1/staff/auth/login, whose answer sets the session cookie in
the browser context (the same cookie the login page sets)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, expect

from ops.seed import DEMO_PASSWORD
from tests.browser.screens import save_screenshot
from tests.support.stack import LocalStack
from tests.support.waiting import eventually

DESKTOP = ViewportSize(width=1280, height=900)
SMALL_SCREEN = ViewportSize(width=360, height=740)
NAME, PHONE = "Ratna Sari Dewi", "081298765432"
IDENTITY = ("Ratna", "Dewi", PHONE, "6281298765432", "81298765432")
# U3 and U8 answered 3, the rest 4: Σ NRR = 34, IKM = 25 × 34 / 9 = 94.44 (A, Sangat Baik).
ANSWERS = {f"U{i}": 3 if i in (3, 8) else 4 for i in range(1, 10)}


def this_month() -> str:
    return f"{datetime.now(ZoneInfo('Asia/Jakarta')):%Y-%m}"


async def signed_in(browser: Browser, stack: LocalStack, username: str) -> BrowserContext:
    context = await browser.new_context(base_url=stack.origin, locale="id-ID", viewport=DESKTOP)
    answer = await context.request.post(
        "/api/v1/staff/auth/login", data={"username": username, "password": DEMO_PASSWORD}
    )
    assert answer.ok, await answer.text()
    return context


@pytest.fixture
async def district(browser: Browser, stack: LocalStack) -> AsyncIterator[Page]:
    context = await signed_in(browser, stack, "dinkes.bna")
    yield await context.new_page()
    await context.close()


async def fill_survey(page: Page, clinic: str) -> None:
    await page.goto(f"/survei/{clinic}")
    await page.get_by_label("Unit layanan yang Anda gunakan").select_option("farmasi")
    for code, answer in ANSWERS.items():
        await (
            page.locator(f"#{code}").get_by_role("radio", name=re.compile(rf"^{answer} — ")).check()
        )
    await page.get_by_label("Laki-laki").check()
    await page.get_by_label("Umur").fill("52")
    await page.get_by_label("Pendidikan terakhir").select_option("sma")
    await page.get_by_label("Pekerjaan").fill("Pedagang")
    await page.get_by_role("button", name="Kirim").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terima kasih atas penilaian Anda"
    )


async def cell_text(page: Page, path: str, selector: str) -> str:
    await page.goto(path)
    cell = page.locator(selector)
    return (await cell.inner_text()).strip() if await cell.count() else ""


async def charts_drawn(page: Page) -> None:
    figures = page.locator("figure.chart")
    await expect(figures.first).to_have_attribute("data-drawn", "true")
    for index in range(await figures.count()):
        await expect(figures.nth(index)).to_have_attribute("data-drawn", "true")


async def test_a_survey_on_the_portal_shows_in_the_district_dashboard(
    page: Page, district: Page
) -> None:
    await fill_survey(page, "BNJR1")

    ikm = await eventually(
        lambda: cell_text(district, "/dasbor/", '#clinic-table tr[data-clinic="BNJR1"] td.ikm'),
        until=lambda text: text == "94.44",
        timeout=60,
        interval=0.5,
        what="the survey in the district dashboard",
    )

    assert ikm == "94.44"
    row = district.locator('#clinic-table tr[data-clinic="BNJR1"]')
    await expect(row.locator(".grade")).to_have_text("A")
    await expect(district.locator("#clinic-table tr[data-clinic]")).to_have_count(3)
    await expect(district.locator("#clinic-table")).not_to_contain_text("Ranai")
    await charts_drawn(district)
    await (
        district.locator("#clinic-table")
        .get_by_role("link", name=re.compile("Banjarnegara 1"))
        .click()
    )
    await expect(district.get_by_role("heading", level=1)).to_have_text(
        "UPTD Puskesmas Banjarnegara 1"
    )
    await expect(district.locator("#clinic-ikm")).to_have_text("94.44")
    elements = district.locator("#element-table tbody tr")
    await expect(elements).to_have_count(9)
    await expect(elements.nth(2)).to_contain_text("3.00")
    await expect(district.locator("main")).to_contain_text("Sangat Baik")


async def complaint_id(browser: Browser, stack: LocalStack, tracking_number: str) -> str:
    """The complaint's id, as its clinic's head finds it in the staff API."""
    head = await signed_in(browser, stack, "mdrj1.kepala")
    try:

        async def listed() -> list[dict[str, str]]:
            answer = await head.request.get("/api/v1/staff/complaints", params={"limit": 200})
            items: list[dict[str, str]] = (await answer.json())["items"]
            return [i for i in items if i["tracking_number"] == tracking_number]

        found = await eventually(listed, timeout=60, interval=0.5, what="the complaint in triage")
        return found[0]["id"]
    finally:
        await head.close()


async def test_the_district_never_sees_who_complained(
    page: Page, district: Page, browser: Browser, stack: LocalStack
) -> None:
    await page.goto("/lapor/MDRJ1")
    await page.get_by_role("radio", name=re.compile(r"^Keluhan")).check()
    await page.get_by_label("Unit layanan").select_option("farmasi")
    await page.get_by_label("Isi", exact=True).fill("Obat habis terus, disuruh beli di luar")
    await page.get_by_label("Nama", exact=True).fill(NAME)
    await page.get_by_label("Nomor HP").fill(PHONE)
    await page.get_by_role("button", name="Kirim").click()
    number = (await page.locator("#tracking-number").inner_text()).strip()
    found = await complaint_id(browser, stack, number)

    detail = await district.request.get(f"/api/v1/staff/complaints/{found}")
    console = await district.request.get(f"/konsol/aduan/{found}", max_redirects=0)
    register_path = f"/dasbor/register/MDRJ1?month={this_month()}"
    register = await eventually(
        lambda: cell_text(district, register_path, "#register-table"),
        until=lambda text: number in text,
        timeout=60,
        interval=0.5,
        what="the complaint in the register",
    )

    assert detail.status == 403
    assert console.status in (303, 403, 404)
    assert "R*** S*** D***" in register
    for path in ("/dasbor/", "/dasbor/puskesmas/MDRJ1", register_path):
        await district.goto(path)
        html = await district.content()
        assert not [word for word in IDENTITY if word in html], path
    for answer in (detail, console):
        body = await answer.text()
        assert not [word for word in IDENTITY if word in body]


async def test_visits_entered_in_the_form_set_the_required_sample(district: Page) -> None:
    await district.goto("/dasbor/kunjungan")
    await district.get_by_label("Puskesmas").select_option("MDRJ1")
    await district.get_by_label("Bulan", exact=True).fill(this_month())
    await district.get_by_label("Jumlah kunjungan", exact=True).fill("1200")
    await district.get_by_role("button", name="Simpan").click()

    await expect(district.locator("#saved")).to_be_visible()
    cell = district.locator(f'td[data-clinic="MDRJ1"][data-month="{this_month()}"]')
    await expect(cell).to_have_text("1200")
    await district.goto("/dasbor/")
    sample = district.locator('#clinic-table tr[data-clinic="MDRJ1"] td.sample')
    await expect(sample).to_have_text("292")  # Krejcie & Morgan for N = 1,200


def survey_body(clinic: str, unit: str, answers: tuple[int, ...]) -> dict[str, object]:
    return {
        "clinic": clinic,
        "unit": unit,
        "answers": {f"U{i}": answer for i, answer in enumerate(answers, start=1)},
        "respondent": {"sex": "P", "age": 35, "education": "sma", "occupation": "Guru"},
    }


async def test_screenshots_of_the_dashboard_pages(page: Page, district: Page) -> None:
    for body in (
        survey_body("MDRJ1", "poli_umum", (4, 3, 2, 3, 3, 4, 4, 3, 2)),
        survey_body("MDRJ1", "kia_kb", (3, 3, 3, 4, 3, 3, 4, 3, 3)),
        survey_body("MDRJ2", "farmasi", (3, 2, 2, 3, 3, 3, 3, 2, 3)),
    ):
        answer = await page.request.post("/api/v1/surveys", data=body)
        assert answer.status == 202, await answer.text()
    await eventually(
        lambda: cell_text(district, "/dasbor/", '#clinic-table tr[data-clinic="MDRJ2"] td.ikm'),
        until=lambda text: text not in ("", "—"),
        timeout=60,
        interval=0.5,
        what="the surveys in the district dashboard",
    )
    for path, name in (
        ("/dasbor/", "dasbor-kabupaten.png"),
        ("/dasbor/puskesmas/MDRJ1", "dasbor-puskesmas.png"),
        (f"/dasbor/register/MDRJ1?month={this_month()}", "dasbor-register.png"),
    ):
        await district.goto(path)
        if await district.locator("figure.chart").count():
            await charts_drawn(district)
        await save_screenshot(district, name)


async def test_language_switch_keeps_the_dashboard_period(district: Page) -> None:
    year = int(this_month()[:4]) - 1
    await district.goto(f"/dasbor/?from={year}-01&to={year}-03")
    await district.get_by_label("Bahasa").select_option("en")
    await expect(district.get_by_label("From month")).to_have_value(f"{year}-01")
    await expect(district.get_by_label("To month")).to_have_value(f"{year}-03")
    assert f"from={year}-01" in district.url and f"to={year}-03" in district.url
    await district.get_by_label("Language").select_option("id")
    await expect(district.get_by_label("Sampai bulan")).to_have_value(f"{year}-03")


async def test_the_dashboard_fits_a_phone_with_wide_tables_scrolling_inside(district: Page) -> None:
    await district.set_viewport_size(SMALL_SCREEN)
    for path in (
        "/dasbor/",
        "/dasbor/puskesmas/MDRJ1",
        f"/dasbor/register/MDRJ1?month={this_month()}",
    ):
        await district.goto(path)
        assert await district.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        ), path
