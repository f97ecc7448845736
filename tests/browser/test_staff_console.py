"""The staff console in a real browser, through the whole running system: a patient's complaint
from the public portal is triaged, planned, answered and closed by the complaint team in the
console, and the patient reads the answer with the tracking number and PIN; the head resets a
user's forgotten password. Screenshots of the main console pages go to docs/screenshots/."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from ops.seed import DEMO_PASSWORD
from tests.browser.screens import save_screenshot
from tests.browser.test_public_portal import PHONE, fill_complaint, fits_the_screen
from tests.support.stack import LocalStack
from tests.support.waiting import eventually

DESKTOP = ViewportSize(width=1280, height=900)
REPLY = "Mulai minggu ini loket pendaftaran kedua dibuka pukul 07.00. Terima kasih atas laporannya."


@pytest.fixture
async def staff(browser: Browser, stack: LocalStack) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=stack.origin, locale="id-ID", viewport=DESKTOP)
    yield await context.new_page()
    await context.close()


async def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    await page.get_by_label("Nama pengguna").fill(username)
    await page.get_by_label("Kata sandi").fill(password)
    await page.get_by_role("button", name="Masuk").click()


async def report_complaint(page: Page) -> tuple[str, str]:
    await fill_complaint(page, "081234567890")
    await page.get_by_role("button", name="Kirim").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("sudah diterima")
    number = (await page.locator("#tracking-number").inner_text()).strip()
    return number, (await page.locator("#pin").inner_text()).strip()


async def listed(page: Page, number: str) -> int:
    await page.goto("/konsol/")
    return await page.get_by_role("link", name=number).count()


async def tracked_reply(page: Page, number: str, pin: str) -> str:
    await page.goto("/lacak")
    await page.get_by_label("Nomor pelacakan").fill(number)
    await page.get_by_label("PIN", exact=True).fill(pin)
    await page.get_by_role("button", name="Lihat status").click()
    reply = page.locator("#reply")
    return (await reply.inner_text()).strip() if await reply.count() else ""


async def test_team_answers_a_portal_complaint_that_the_patient_then_tracks(
    page: Page, staff: Page
) -> None:
    number, pin = await report_complaint(page)

    await staff.goto("/konsol/")
    await expect(staff).to_have_url(re.compile(r"/konsol/masuk\?next="))
    await expect(staff.get_by_role("heading", level=1)).to_have_text("Masuk ke konsol petugas")
    await save_screenshot(staff, "konsol-masuk.png")
    await sign_in(staff, "mdrj1.aduan", "bukan-kata-sandinya")
    await expect(staff.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")
    await expect(staff.get_by_label("Nama pengguna")).to_have_value("mdrj1.aduan")
    await sign_in(staff, "mdrj1.aduan")
    await expect(staff.get_by_role("heading", level=1)).to_contain_text("Kotak Masuk")

    await eventually(lambda: listed(staff, number), timeout=60, interval=0.5, what="in the inbox")
    await save_screenshot(staff, "konsol-kotak-masuk.png")
    await staff.get_by_role("link", name=number).click()
    await expect(staff.locator("#tracking-number")).to_have_text(number)
    await expect(staff.locator("#reporter")).to_contain_text("Siti Aminah")

    await staff.get_by_role("button", name="Konfirmasi verifikasi").click()
    await expect(staff.locator("#notice")).to_have_text("Tersimpan.")
    await expect(staff.locator("#status")).to_have_text("Diverifikasi")
    await staff.locator("#plan-actions").fill("Buka loket pendaftaran kedua\nTambah petugas pagi")
    await staff.locator("#plan-owner").fill("Koordinator pendaftaran")
    await staff.locator("#plan-due_date").fill((date.today() + timedelta(days=7)).isoformat())
    await staff.get_by_role("button", name="Simpan rencana").click()
    await expect(staff.locator("#status")).to_have_text("RTL dibuat")
    await expect(staff.locator("#plan")).to_contain_text("Buka loket pendaftaran kedua")

    await staff.locator("#form-reply > summary").click()
    await staff.locator("#reply-text").fill(REPLY)
    await staff.get_by_role("button", name="Kirim jawaban").click()
    await expect(staff.locator("#status")).to_have_text("Dijawab")
    await save_screenshot(staff, "konsol-aduan.png")
    await staff.locator("#close-satisfied").select_option("1")
    await staff.get_by_role("button", name="Tutup aduan").click()
    await expect(staff.locator("#status")).to_have_text("Selesai")
    await expect(staff.locator("#history")).to_contain_text("Ditutup")
    await staff.set_viewport_size(PHONE)  # the same pages on a phone: no sideways scrolling
    for path in (staff.url, "/konsol/"):
        await staff.goto(path)
        assert await fits_the_screen(staff), path

    reply = await eventually(
        lambda: tracked_reply(page, number, pin),
        until=lambda text: text == REPLY,
        timeout=60,
        interval=0.5,
        what="the reply on the tracking page",
    )
    assert reply == REPLY
    await expect(page.locator("#status")).to_have_text("Selesai")


async def test_head_resets_a_forgotten_password_and_the_user_signs_in_with_it(
    staff: Page, browser: Browser, stack: LocalStack
) -> None:
    username = f"mdrj1.loket{uuid.uuid4().hex[:4]}"
    first, second = "loket-pertama-2026", "loket-kedua-2026"
    await staff.goto("/konsol/masuk")
    await sign_in(staff, "mdrj1.kepala")
    await staff.get_by_role("link", name="Pengguna").click()
    await staff.get_by_label("Nama pengguna").fill(username)
    await staff.get_by_label("Nama", exact=True).fill("Petugas Loket Pagi")
    await staff.get_by_label("Peran", exact=True).select_option("officer")
    await staff.get_by_label("Kata sandi awal").fill(first)
    await staff.get_by_label("Ulangi kata sandi").fill(first)
    await staff.get_by_role("button", name="Tambah pengguna").click()
    await expect(staff.locator("#notice")).to_have_text("Pengguna dibuat.")

    await staff.get_by_label("Kata sandi baru").fill(second)
    await staff.get_by_label("Ulangi kata sandi").fill(second)
    await staff.get_by_role("button", name="Simpan kata sandi baru").click()
    await expect(staff.locator("#notice")).to_contain_text("Semua sesi pengguna itu diakhiri")
    await staff.goto("/konsol/pengguna")
    await expect(staff.get_by_role("link", name=username)).to_be_visible()
    await save_screenshot(staff, "konsol-pengguna.png")

    context = await browser.new_context(base_url=stack.origin, locale="id-ID")
    user = await context.new_page()
    await user.goto("/konsol/masuk")
    await sign_in(user, username, first)
    await expect(user.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")
    await sign_in(user, username, second)
    await expect(user.get_by_role("heading", level=1)).to_contain_text("Kotak Masuk")
    await context.close()
