"""The public portal in a real browser, through the whole running system: what a patient does
with a phone after scanning the clinic's QR poster."""

from __future__ import annotations

import re

from playwright.async_api import Page, ViewportSize, expect

from tests.integration.test_intake_web import expected_modules, qr_modules
from tests.support.stack import LocalStack

PHONE = ViewportSize(width=360, height=740)
TRACKING_NUMBER = re.compile(r"^MDRJ1-\d{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$")
COMPLAINT_TEXT = "Antrean di pendaftaran lama sekali, saya menunggu dua jam"


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
    assert await fits_the_screen(page)

    await page.locator("#status-link").click()
    await expect(page.get_by_label("Nomor pelacakan")).to_have_value(number)
    await page.get_by_label("PIN", exact=True).fill(pin)
    await page.get_by_role("button", name="Lihat status").click()
    await expect(page.locator("#status")).to_have_text("Diterima")
    await expect(page.locator("main")).not_to_contain_text("Siti Aminah")

    wrong_pin = "000000" if pin != "000000" else "111111"
    await page.goto("/lacak")
    await page.get_by_label("Nomor pelacakan").fill(number)
    await page.get_by_label("PIN", exact=True).fill(wrong_pin)
    await page.get_by_role("button", name="Lihat status").click()
    await expect(page.get_by_role("alert")).to_contain_text("Nomor pelacakan atau PIN tidak cocok")
    await expect(page.locator("#status")).to_have_count(0)


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
