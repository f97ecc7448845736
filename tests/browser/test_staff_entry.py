"""The staff entry pages in a real browser, through the whole running system: an officer of
Puskesmas Mandiraja 1 records a phone call, a suggestion-box opening and paper survey forms.

The officer signs in through the staff login API (POST /api/v1/staff/auth/login), whose answer
sets the ``sigap_session`` cookie in the browser context: the login page itself belongs to the
console and is tested there."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, expect

from ops.seed import DEMO_PASSWORD
from tests.browser.screens import save_screenshot
from tests.support.stack import LocalStack
from tests.support.waiting import eventually

DESKTOP = ViewportSize(width=1280, height=900)
TRACKING_NUMBER = re.compile(r"^MDRJ1-\d{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$")
SLIPS = (
    ("saran", "", "Mohon ditambah kursi di ruang tunggu pendaftaran"),
    ("keluhan", "poli_umum", "Toilet dekat poli umum sering kotor dan bau"),
    ("pujian", "kia_kb", "Bidan di KIA sangat sabar menjelaskan"),
    ("pertanyaan", "", "Apakah ada layanan sore untuk pekerja?"),
    ("keluhan", "farmasi", "Antrean obat di farmasi lebih dari satu jam"),
)


async def sign_in(page: Page, username: str = "mdrj1.petugas") -> str:
    answer = await page.request.post(
        "/api/v1/staff/auth/login", data={"username": username, "password": DEMO_PASSWORD}
    )
    assert answer.ok, await answer.text()
    cookies = await page.context.cookies()
    assert any(cookie["name"] == "sigap_session" for cookie in cookies)
    return str((await answer.json())["token"])


async def complaints_of(page: Page, token: str) -> list[dict[str, Any]]:
    answer = await page.request.get(
        "/api/v1/staff/complaints?channel=kotak_saran&limit=200",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.ok, await answer.text()
    items: list[dict[str, Any]] = (await answer.json())["items"]
    return items


async def test_without_a_session_the_entry_page_sends_to_the_login_page(page: Page) -> None:
    answer = await page.request.get("/konsol/catat/aduan", max_redirects=0)
    assert answer.status == 303
    assert answer.headers["location"] == "/konsol/masuk?next=%2Fkonsol%2Fcatat%2Faduan"


async def test_officer_logs_a_phone_complaint_and_reads_out_number_and_pin(page: Page) -> None:
    await page.set_viewport_size(DESKTOP)
    await sign_in(page)
    await page.goto("/konsol/catat/")
    await page.get_by_role("link", name="Aduan, saran, pujian atau pertanyaan").click()

    await page.get_by_role("radio", name="Telepon", exact=True).check()
    await page.get_by_role("radio", name="Keluhan", exact=True).check()
    await page.get_by_label("Unit layanan").select_option("farmasi")
    await page.locator("#text").fill(
        "Penelepon mengeluh obat hipertensi di farmasi kosong sudah dua minggu"
    )
    await page.get_by_label("Nama", exact=True).fill("Darto")
    await page.get_by_label("Nomor HP").fill("081311112222")
    await save_screenshot(page, "konsol-catat-aduan.png")
    await page.get_by_role("button", name="Simpan").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Aduan tercatat")
    await expect(page.locator("main")).to_contain_text("Telepon")
    number = (await page.locator("#tracking-number").inner_text()).strip()
    assert TRACKING_NUMBER.match(number), number
    assert re.fullmatch(r"\d{6}", (await page.locator("#pin").inner_text()).strip())


async def test_refused_complaint_names_the_field_and_keeps_the_text(page: Page) -> None:
    await sign_in(page)
    await page.goto("/konsol/catat/aduan")
    await page.get_by_role("radio", name="Media sosial / email").check()
    await page.get_by_role("radio", name="Saran", exact=True).check()
    await page.locator("#text").fill("Komentar di Instagram: parkir motor sempit")
    await page.get_by_role("button", name="Simpan").click()

    await expect(page.get_by_role("alert")).to_contain_text("Periksa isian yang ditandai.")
    await expect(page.locator("#platform-error")).to_have_text(
        "Pilih platform untuk kanal media sosial"
    )
    await expect(page.locator("#text")).to_have_value("Komentar di Instagram: parkir motor sempit")
    await expect(page.get_by_role("radio", name="Media sosial / email")).to_be_checked()


async def test_box_opening_with_five_slips_creates_five_complaints(page: Page) -> None:
    await page.set_viewport_size(DESKTOP)
    token = await sign_in(page)
    before = {c["tracking_number"] for c in await complaints_of(page, token)}
    await page.goto("/konsol/catat/kotak-saran")
    await page.get_by_label("Tanggal kotak saran dibuka").fill("2026-11-02")
    for row, (kind, unit, text) in enumerate(SLIPS):
        await page.locator(f"#slip-{row}-kind").select_option(kind)
        if unit:
            await page.locator(f"#slip-{row}-unit").select_option(unit)
        await page.locator(f"#slip-{row}-text").fill(text)

    await page.get_by_role("button", name="Tambah baris").click()  # htmx: only the table
    await expect(page.locator("#slip-9-text")).to_be_visible()
    await expect(page.locator("#slip-4-text")).to_have_value(SLIPS[4][2])
    await expect(page.locator("#slip-1-unit")).to_have_value("poli_umum")
    await save_screenshot(page, "konsol-kotak-saran.png")
    await page.get_by_role("button", name="Simpan semua slip").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Kotak saran tercatat")
    await expect(page.locator("#slip-count")).to_have_text("5")
    numbers = [n.strip() for n in await page.locator(".tracking-number").all_inner_texts()]
    assert len(numbers) == 5 and all(TRACKING_NUMBER.match(n) for n in numbers), numbers
    stored = await eventually(
        lambda: complaints_of(page, token),
        until=lambda found: {c["tracking_number"] for c in found} - before >= set(numbers),
        what="the five slips in the staff complaint list",
    )
    new = [c for c in stored if c["tracking_number"] in numbers]
    assert sorted(c["kind"] for c in new) == sorted(kind for kind, _, _ in SLIPS)


async def test_adding_rows_works_without_scripts(browser: Browser, stack: LocalStack) -> None:
    context: BrowserContext = await browser.new_context(
        base_url=stack.origin, locale="id-ID", java_script_enabled=False
    )
    try:
        page = await context.new_page()
        await sign_in(page)
        await page.goto("/konsol/catat/kotak-saran")
        await page.locator("#slip-2-text").fill("Lampu lorong mati")
        await page.get_by_role("button", name="Tambah baris").click()
        await expect(page.locator("#slip-9-text")).to_be_visible()
        await expect(page.locator("#slip-2-text")).to_have_value("Lampu lorong mati")
    finally:
        await context.close()


async def test_paper_survey_form_is_entered_with_its_suggestion(page: Page) -> None:
    await page.set_viewport_size(DESKTOP)
    await sign_in(page)
    await page.goto("/konsol/catat/survei")
    await page.locator("#form-0-unit").select_option("poli_umum")
    await page.locator("#form-0-service_date").fill("2026-11-03")
    for i in range(1, 10):
        await page.locator(f"#form-0-U{i}").select_option(str(3 if i % 3 else 4))
    await page.locator("#form-0-sex").select_option("P")
    await page.locator("#form-0-age").fill("38")
    await page.locator("#form-0-education").select_option("sma")
    await page.locator("#form-0-occupation").fill("Ibu rumah tangga")
    await page.locator("#form-0-suggestion").fill("Tolong sediakan air minum di ruang tunggu")
    await save_screenshot(page, "konsol-survei-kertas.png")
    await page.get_by_role("button", name="Simpan semua formulir").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Survei tercatat")
    await expect(page.locator("#survey-count")).to_have_text("1")
    suggestion = (await page.locator(".tracking-number").inner_text()).strip()
    assert TRACKING_NUMBER.match(suggestion), suggestion
