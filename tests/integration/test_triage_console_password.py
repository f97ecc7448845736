"""A staff member changes their own password in the console (/konsol/kata-sandi), through the
real triage app and database: refused forms name the field and change nothing; a change ends
every session of the member, is audited, and the new password is the one that signs in."""

from __future__ import annotations

import httpx
import pytest

from ops.seed import DEMO_PASSWORD
from shared.audit import AuditAction, AuditLog
from tests.integration.triage_console_client import ConsoleClient, browser, csrf_of, signed_in
from tests.integration.triage_harness import Harness

pytestmark = pytest.mark.integration
NEW_PASSWORD = "antrean-sore-2026"
PAGE = "/konsol/kata-sandi"


async def change(console: ConsoleClient, current: str, new: str, again: str) -> httpx.Response:
    return await console.submit(
        PAGE,
        PAGE,
        {"current_password": current, "new_password": new, "new_password2": again},
    )


async def test_a_changed_password_ends_every_session_and_is_the_one_that_signs_in(
    triage: Harness,
) -> None:
    officer = await signed_in(triage, "mdrj1.petugas", new_browser=True)
    other_device = await signed_in(triage, "mdrj1.petugas", new_browser=True)
    form = await officer.http.get(PAGE)
    assert form.status_code == 200
    assert 'autocomplete="current-password"' in form.text

    answer = await change(officer, DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/konsol/masuk?selesai=kata-sandi"
    assert "sigap_session=" in answer.headers["set-cookie"]  # the cookie is deleted
    notice = await browser(triage).http.get(answer.headers["location"])
    assert "Kata sandi diganti" in notice.text
    for device in (officer, other_device):
        inbox = await device.http.get("/konsol/")
        assert inbox.status_code == 303
        assert inbox.headers["location"].startswith("/konsol/masuk")
    assert (await browser(triage).login("mdrj1.petugas")).status_code == 401
    assert (await browser(triage).login("mdrj1.petugas", NEW_PASSWORD)).status_code == 303
    entries = await AuditLog(triage.triage.runtime.directory_db).entries(
        clinic="MDRJ1", action=AuditAction.PASSWORD_CHANGED
    )
    assert len(entries) == 1


@pytest.mark.parametrize(
    ("current", "new", "again", "field", "reason"),
    [
        ("salah-sekali-2026", NEW_PASSWORD, NEW_PASSWORD, "current_password", "lama salah"),
        (DEMO_PASSWORD, NEW_PASSWORD, "antrean-pagi-2026", "new_password2", "tidak sama"),
        (DEMO_PASSWORD, "pendek", "pendek", "new_password", "minimal 10"),
        (DEMO_PASSWORD, DEMO_PASSWORD, DEMO_PASSWORD, "new_password", "harus berbeda"),
        (DEMO_PASSWORD, "x-mdrj1.petugas-x", "x-mdrj1.petugas-x", "new_password", "nama pengguna"),
        ("", NEW_PASSWORD, NEW_PASSWORD, "current_password", "Wajib diisi"),
    ],
)
async def test_a_refused_change_names_the_field_and_changes_nothing(
    triage: Harness, current: str, new: str, again: str, field: str, reason: str
) -> None:
    officer = await signed_in(triage, "mdrj1.petugas", new_browser=True)

    answer = await change(officer, current, new, again)

    assert answer.status_code == 422
    assert f'id="{field}" ' in answer.text and f'id="{field}-error"' in answer.text
    assert reason in answer.text
    assert NEW_PASSWORD not in answer.text and DEMO_PASSWORD not in answer.text
    assert (await officer.http.get("/konsol/")).status_code == 200  # still signed in
    assert (await browser(triage).login("mdrj1.petugas")).status_code == 303


async def test_a_forged_form_or_no_session_changes_nothing(triage: Harness) -> None:
    officer = await signed_in(triage, "mdrj1.petugas", new_browser=True)
    page = await officer.http.get(PAGE)
    assert csrf_of(page)

    forged = await officer.http.post(
        PAGE,
        data={
            "csrf_token": "forged",
            "current_password": DEMO_PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    anonymous = await browser(triage).http.get(PAGE)

    assert forged.status_code == 403
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/konsol/masuk?next=%2Fkonsol%2Fkata-sandi"
    assert (await browser(triage).login("mdrj1.petugas")).status_code == 303


async def test_every_role_reaches_the_page_from_the_menu(triage: Harness) -> None:
    for username in ("mdrj1.petugas", "mdrj1.kepala", "dinkes.bna"):
        member = await signed_in(triage, username, new_browser=True)
        page = await member.http.get(PAGE)
        assert page.status_code == 200, username
        assert f'href="{PAGE}"' in page.text
