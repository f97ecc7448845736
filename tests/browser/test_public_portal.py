"""The public portal in a real browser, through the whole running system: what a patient does
with a phone after scanning the clinic's QR poster."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.async_api import Browser, Page, ViewportSize, expect

from ops.seed import DEMO_PASSWORD
from tests.browser.screens import save_screenshot
from tests.integration.test_intake_web import expected_modules, qr_modules
from tests.support.stack import LocalStack
from tests.support.waiting import eventually

PHONE = ViewportSize(width=360, height=740)
TRACKING_NUMBER = re.compile(r"^MDRJ1-\d{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$")
COMPLAINT_TEXT = "Antrean di pendaftaran lama sekali, saya menunggu dua jam"
BOARD_QUESTION = "Kursi di ruang tunggu pendaftaran kurang, banyak pasien lansia berdiri"
BOARD_REPLY = "Terima kasih. Mulai bulan ini ada dua puluh kursi tambahan di ruang tunggu."


async def fill_complaint(page: Page, phone: str) -> None:
    await page.goto("/lapor/MDRJ1")
    await page.get_by_role("radio", name=re.compile(r"^Keluhan")).check()
    await page.get_by_label("Unit layanan").select_option("pendaftaran")
    await page.get_by_label("Isi", exact=True).fill(COMPLAINT_TEXT)
    await page.get_by_label("Nama", exact=True).fill("Siti Aminah")
    await page.get_by_label("Nomor HP").fill(phone)


async def fits_the_screen(page: Page) -> bool:
    return bool(
        await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    )


async def test_complaint_on_a_phone_shows_tracking_number_and_pin_then_tracks(page: Page) -> None:
    await page.set_viewport_size(PHONE)
    await fill_complaint(page, "081234567890")
    assert await fits_the_screen(page)
    await page.get_by_role("button", name="Kirim").click()

    await expect(page.get_by_role("heading", level=1)).to_contain_text("sudah diterima")
    number = (await page.locator("#tracking-number").inner_text()).strip()
    pin = (await page.locator("#pin").inner_text()).strip()
    assert TRACKING_NUMBER.match(number), number
    assert re.fullmatch(r"\d{6}", pin), pin
    await expect(page.locator("#pin")).to_be_visible()
    await save_screenshot(page, "portal-tanda-terima.png")

    await page.locator("#status-link").click()
    await expect(page.get_by_label("Nomor pelacakan")).to_have_value(number)
    await page.get_by_label("PIN", exact=True).fill(pin)
    await page.get_by_role("button", name="Lihat status").click()
    await expect(page.locator("#status")).to_have_text("Diterima")
    await expect(page.locator("main")).not_to_contain_text("Siti Aminah")
    await save_screenshot(page, "portal-lacak.png")

    wrong_pin = "000000" if pin != "000000" else "111111"
    await page.goto("/lacak")
    await page.get_by_label("Nomor pelacakan").fill(number)
    await page.get_by_label("PIN", exact=True).fill(wrong_pin)
    await page.get_by_role("button", name="Lihat status").click()
    await expect(page.get_by_role("alert")).to_contain_text("Nomor pelacakan atau PIN tidak cocok")
    await expect(page.locator("#status")).to_have_count(0)


async def test_home_lists_each_clinic_with_its_report_form(page: Page) -> None:
    await page.goto("/")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sampaikan keluhan, saran, pujian atau pertanyaan Anda"
    )
    await save_screenshot(page, "portal-beranda.png")
    clinic = page.locator("ul.clinics li").filter(has_text="UPTD Puskesmas Mandiraja 1")
    await clinic.get_by_role("link", name="Lapor").click()
    await expect(page).to_have_url(re.compile(r"/lapor/MDRJ1$"))
    await page.get_by_role("radio", name=re.compile(r"^Keluhan")).check()
    await page.get_by_label("Isi", exact=True).fill(COMPLAINT_TEXT)
    await save_screenshot(page, "portal-lapor.png")


async def test_refused_phone_is_named_and_the_typed_text_stays(page: Page) -> None:
    await fill_complaint(page, "12345")
    await page.get_by_role("button", name="Kirim").click()

    await expect(page.get_by_role("alert")).to_contain_text("Periksa isian yang ditandai.")
    await expect(page.get_by_role("link", name="Nomor HP")).to_be_visible()
    await expect(page.locator("#phone-error")).to_contain_text("Nomor HP tidak valid")
    await expect(page.get_by_label("Nomor HP")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Nomor HP")).to_have_value("12345")
    await expect(page.get_by_label("Isi", exact=True)).to_have_value(COMPLAINT_TEXT)
    await expect(page.get_by_label("Nama", exact=True)).to_have_value("Siti Aminah")
    await expect(page.get_by_role("radio", name=re.compile(r"^Keluhan"))).to_be_checked()


async def test_anonymous_choice_hides_the_identity_fields_and_is_accepted(page: Page) -> None:
    await page.goto("/lapor/MDRJ1")
    await page.get_by_role("radio", name=re.compile(r"^Saran")).check()
    await page.get_by_label("Isi", exact=True).fill("Tolong tambah kursi di ruang tunggu")
    await page.get_by_label("Nama", exact=True).fill("Tidak dikirim")
    await page.get_by_label("Saya ingin anonim").check()
    await expect(page.get_by_label("Nama", exact=True)).to_be_hidden()
    await page.get_by_role("button", name="Kirim").click()
    await expect(page.locator("#tracking-number")).to_have_text(TRACKING_NUMBER)


async def test_satisfaction_survey_with_the_nine_elements_is_submitted(page: Page) -> None:
    await page.goto("/survei/MDRJ1")
    await page.get_by_label("Unit layanan yang Anda gunakan").select_option("farmasi")
    elements = page.locator("fieldset[id^=U]")
    await expect(elements).to_have_count(9)
    for index in range(1, 10):
        await page.locator(f"#U{index}").get_by_role("radio", name=re.compile(r"^3 — ")).check()
    await page.get_by_label("Perempuan").check()
    await page.get_by_label("Umur").fill("41")
    await page.get_by_label("Pendidikan terakhir").select_option("smp")
    await page.get_by_label("Pekerjaan").fill("Petani")
    await save_screenshot(page, "portal-survei.png")
    await page.get_by_role("button", name="Kirim").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terima kasih atas penilaian Anda"
    )


async def test_poster_has_a_qr_code_of_the_clinic_form_address(
    page: Page, stack: LocalStack
) -> None:
    await page.goto("/poster/MDRJ1")
    svg = await page.locator("svg.qr").evaluate("node => node.outerHTML")
    printed = (await page.locator("#report-url").inner_text()).strip()
    port = stack.origin.rsplit(":", 1)[1]
    assert printed == f"http://localhost:{port}/lapor/MDRJ1"
    assert qr_modules(svg) == expected_modules(printed)
    assert qr_modules(svg) != expected_modules(printed.replace("MDRJ1", "RANAI"))
    await save_screenshot(page, "portal-poster.png")
    await page.emulate_media(media="print")
    await expect(page.locator("header.top")).to_be_hidden()
    await expect(page.locator("svg.qr")).to_be_visible()


async def test_language_switch_turns_the_portal_into_english(page: Page) -> None:
    await page.goto("/lapor/MDRJ1")
    await page.get_by_label("Bahasa").select_option("en")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Send us your complaint, suggestion, compliment or question"
    )
    await expect(page.get_by_role("radio", name=re.compile(r"^Complaint"))).to_be_visible()
    await page.goto("/lacak")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Track your report")
    await page.get_by_label("Language").select_option("id")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Lacak laporan Anda")


async def test_language_switch_never_costs_the_receipt_and_keeps_the_tracking_query(
    page: Page,
) -> None:
    await page.goto("/lapor/MDRJ1")
    await page.get_by_role("radio", name=re.compile(r"^Pertanyaan")).check()
    await page.get_by_label("Isi", exact=True).fill("Apakah poli gigi buka hari Sabtu?")
    await page.get_by_label("Saya ingin anonim").check()
    await page.get_by_role("button", name="Kirim").click()
    number = (await page.locator("#tracking-number").inner_text()).strip()
    # Reloading the receipt's URL would show the empty form: the PIN is shown only once.
    await expect(page.locator("form.lang")).to_have_count(0)
    await expect(page.locator("#pin")).to_have_text(re.compile(r"^\d{6}$"))

    await page.locator("#status-link").click()
    await page.get_by_label("Bahasa").select_option("en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Track your report")
    await expect(page).to_have_url(re.compile(r"[?&]lang=en"))
    await expect(page.get_by_label("Tracking number")).to_have_value(number)


async def test_form_post_without_the_csrf_token_is_refused(page: Page) -> None:
    await page.goto("/lapor/MDRJ1")  # the browser holds the cookie; the form's copy is left out
    fields: dict[str, str | float | bool] = {"kind": "keluhan", "text": COMPLAINT_TEXT}
    refused = await page.request.post("/lapor/MDRJ1", form=fields)
    forged = await page.request.post("/lapor/MDRJ1", form={**fields, "csrf_token": "palsu"})
    for answer in (refused, forged):
        assert answer.status == 403
        body = await answer.text()
        assert 'id="form-alert"' in body and 'id="tracking-number"' not in body


async def answer_on_the_board(browser: Browser, stack: LocalStack, number: str) -> None:
    """The complaint team verifies, plans and answers an anonymous complaint (staff API)."""
    team = await browser.new_context(base_url=stack.origin)
    try:
        login = await team.request.post(
            "/api/v1/staff/auth/login", data={"username": "mdrj1.aduan", "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {(await login.json())['token']}"}

        async def listed() -> list[dict[str, Any]]:
            found = await team.request.get(
                "/api/v1/staff/complaints", params={"limit": 200}, headers=headers
            )
            items: list[dict[str, Any]] = (await found.json())["items"]
            return [item for item in items if item["tracking_number"] == number]

        [complaint] = await eventually(listed, timeout=60, interval=0.5, what="in triage")
        path = f"/api/v1/staff/complaints/{complaint['id']}"
        version = (await (await team.request.get(path, headers=headers)).json())["version"]
        due = (date.today() + timedelta(days=7)).isoformat()
        triage = {"kind": "saran", "category": "kebersihan_sarana", "unit": "pendaftaran"}
        plan = {"actions": ["Tambah kursi"], "owner": "Tata usaha", "due_date": due}
        for command, body in (
            ("triage", {**triage, "urgent": False}),
            ("plan", {**plan, "made_by": "tim_pengaduan"}),
            ("reply", {"text": BOARD_REPLY}),
        ):
            done = await team.request.post(
                f"{path}/{command}", data={**body, "version": version}, headers=headers
            )
            assert done.ok, await done.text()
            version = (await done.json())["version"]
    finally:
        await team.close()


async def test_board_and_survey_results_show_answers_and_switch_to_english(
    page: Page, browser: Browser, stack: LocalStack
) -> None:
    await page.goto("/lapor/MDRJ1")
    await page.get_by_role("radio", name=re.compile(r"^Saran")).check()
    await page.get_by_label("Isi", exact=True).fill(BOARD_QUESTION)
    await page.get_by_label("Saya ingin anonim").check()
    await page.get_by_role("button", name="Kirim").click()
    number = (await page.locator("#tracking-number").inner_text()).strip()
    await answer_on_the_board(browser, stack, number)

    async def board_text() -> str:
        await page.goto("/papan-tanggapan/MDRJ1")
        return await page.locator("#board").inner_text()

    await eventually(
        board_text, until=lambda text: number in text, timeout=60, interval=0.5, what="board"
    )
    await expect(page.locator("#board")).to_contain_text(BOARD_REPLY)
    await save_screenshot(page, "portal-papan-tanggapan.png")
    await page.get_by_label("Bahasa").select_option("en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Response Board")
    await expect(page.locator("#board")).to_contain_text(BOARD_REPLY)
    await page.get_by_label("Language").select_option("id")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Papan Tanggapan")
    await page.get_by_role("link", name="Versi cetak (A4)").click()
    await page.emulate_media(media="print")
    await expect(page.locator("header.top")).to_be_hidden()
    await expect(page.locator("#board")).to_contain_text(BOARD_REPLY)
    await page.emulate_media(media="screen")

    for answers in ((4, 3, 3, 4, 3, 4, 4, 3, 3), (3, 3, 2, 4, 3, 3, 4, 3, 2)):
        body = {
            "clinic": "MDRJ1",
            "unit": "poli_umum",
            "answers": {f"U{i}": answer for i, answer in enumerate(answers, start=1)},
            "respondent": {"sex": "L", "age": 47, "education": "smp", "occupation": "Petani"},
        }
        sent = await page.request.post("/api/v1/surveys", data=body)
        assert sent.status == 202, await sent.text()

    async def results_text() -> str:
        await page.goto("/api/v1/reports/public/ikm/MDRJ1/halaman")
        return await page.locator("#ikm").inner_text()

    await eventually(
        results_text, until=lambda text: "IKM" in text, timeout=60, interval=0.5, what="IKM"
    )
    await save_screenshot(page, "portal-hasil-survei.png")
    await page.get_by_label("Bahasa").select_option("en")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Public Satisfaction Survey Results"
    )
    await expect(page.locator("main")).to_contain_text("Requirements")
    await page.get_by_label("Language").select_option("id")
