"""The staff console's sign-in and inbox through the real triage app, broker and database: the
session cookie, wrong passwords, throttling, safe redirects, logout revoking the session, and
an inbox that only ever shows the principal's own clinic (and a unit user's own unit)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest

from ops.seed import DEMO_PASSWORD
from shared.audit import AuditLog
from shared.auth import SESSION_COOKIE
from shared.settings import Settings
from tests.integration.triage_console_client import ConsoleClient, csrf_of
from tests.integration.triage_harness import Harness, running_triage

pytestmark = pytest.mark.integration


def audit_of(triage: Harness) -> AuditLog:
    return AuditLog(triage.triage.runtime.directory_db)


async def test_login_sets_an_httponly_lax_session_cookie_and_lands_on_the_inbox(
    triage: Harness,
) -> None:
    answer = await ConsoleClient(triage.http).login("mdrj1.aduan")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/konsol/"
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "max-age=" in cookie and "expires=" in cookie
    assert "secure" not in cookie  # the test origin is plain http
    inbox = await triage.http.get("/konsol/")
    assert inbox.status_code == 200
    assert "Kotak Masuk" in inbox.text and "Tim Pengelola Aduan Mandiraja 1" in inbox.text
    assert inbox.headers["cache-control"] == "no-store"
    english = await triage.http.get("/konsol/", params={"lang": "en"})
    assert "Inbox" in english.text and "Overdue only" in english.text


async def test_cookie_is_secure_when_the_public_origin_is_https(
    settings: Settings, amqp: object, mongo: object
) -> None:
    https = settings.model_copy(update={"public_base_url": "https://sigap.example.id"})
    async with running_triage(https) as triage:
        answer = await ConsoleClient(triage.http).login("mdrj1.aduan")
        assert answer.status_code == 303
        assert "secure" in answer.headers["set-cookie"].lower()


async def test_wrong_password_is_named_in_indonesian_keeps_the_username_and_is_audited(
    triage: Harness,
) -> None:
    answer = await ConsoleClient(triage.http).login("mdrj1.aduan", "salah-sekali-123")

    assert answer.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in answer.text
    assert 'value="mdrj1.aduan"' in answer.text
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    failed = await audit_of(triage).entries(clinic="MDRJ1", action="login.failed")
    assert failed and failed[0].detail["reason"] == "wrong_password"


async def test_repeated_wrong_passwords_are_throttled_even_with_the_right_one(
    triage: Harness,
) -> None:
    console = ConsoleClient(triage.http)
    for _ in range(5):
        assert (await console.login("mdrj1.mutu", "bukan-sandinya-1")).status_code == 401

    answer = await console.login("mdrj1.mutu", DEMO_PASSWORD)

    assert answer.status_code == 429
    assert "Terlalu banyak percobaan masuk" in answer.text
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


async def test_login_returns_to_a_local_next_path_and_never_to_another_site(
    triage: Harness,
) -> None:
    console = ConsoleClient(triage.http)
    local = await console.login("mdrj1.aduan", next_path="/konsol/?status=received")
    assert local.headers["location"] == "/konsol/?status=received"
    for foreign in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        triage.http.cookies.clear()
        answer = await console.login("mdrj1.aduan", next_path=foreign)
        assert answer.headers["location"] == "/konsol/", foreign


async def test_a_page_without_a_valid_session_sends_the_browser_to_login_and_back(
    triage: Harness,
) -> None:
    missing = await triage.http.get("/konsol/aduan/abc?x=1")
    assert missing.status_code == 303
    assert (
        missing.headers["location"]
        == f"/konsol/masuk?next={quote('/konsol/aduan/abc?x=1', safe='')}"
    )

    triage.http.cookies.set(SESSION_COOKIE, "bukan.token.asli")
    assert (await triage.http.get("/konsol/")).headers["location"].startswith("/konsol/masuk")
    login_page = await triage.http.get("/konsol/masuk?next=%2Fkonsol%2Fpengguna")
    assert 'name="next" value="/konsol/pengguna"' in login_page.text


async def test_logout_revokes_the_session_and_clears_the_cookie(triage: Harness) -> None:
    console = ConsoleClient(triage.http)
    await console.login("mdrj1.aduan")
    session = triage.http.cookies[SESSION_COOKIE]
    inbox = await triage.http.get("/konsol/")

    answer = await triage.http.post("/konsol/keluar", data={"csrf_token": csrf_of(inbox)})

    assert answer.status_code == 303 and answer.headers["location"] == "/konsol/masuk"
    assert f'{SESSION_COOKIE}=""' in answer.headers["set-cookie"]
    triage.http.cookies.set(SESSION_COOKIE, session)  # a copy of the old cookie is dead too
    assert (await triage.http.get("/konsol/")).headers["location"].startswith("/konsol/masuk")
    assert await audit_of(triage).entries(clinic="MDRJ1", action="logout")


async def test_logout_and_login_without_the_form_token_change_nothing(triage: Harness) -> None:
    console = ConsoleClient(triage.http)
    await console.login("mdrj1.aduan")
    forged = await triage.http.post("/konsol/keluar", data={})
    assert forged.status_code == 303 and forged.headers["location"] == "/konsol/"
    assert (await triage.http.get("/konsol/")).status_code == 200

    triage.http.cookies.clear()
    await triage.http.get("/konsol/masuk")
    refused = await triage.http.post(
        "/konsol/masuk", data={"username": "mdrj1.aduan", "password": DEMO_PASSWORD}
    )
    assert refused.status_code == 403 and SESSION_COOKIE not in refused.headers.get(
        "set-cookie", ""
    )


async def test_inbox_shows_only_the_own_clinic_with_overdue_markers_and_filters(
    triage: Harness,
) -> None:
    own = await triage.receive(clinic="MDRJ1", text="Obat di farmasi habis terus")
    other = await triage.receive(clinic="MDRJ2", text="Obat di farmasi habis terus")
    await ConsoleClient(triage.http).login("mdrj1.aduan")

    inbox = await triage.http.get("/konsol/")
    assert own.data.tracking_number in inbox.text
    assert other.data.tracking_number not in inbox.text
    assert "Lewat tenggat" not in inbox.text

    triage.clock.advance(timedelta(days=30))
    overdue = await triage.http.get("/konsol/", params={"overdue": "1"})
    assert own.data.tracking_number in overdue.text and "Lewat tenggat" in overdue.text
    by_text = await triage.http.get("/konsol/", params={"q": "antrian pendaftaran"})
    assert own.data.tracking_number not in by_text.text
    by_status = await triage.http.get("/konsol/", params={"status": "closed"})
    assert own.data.tracking_number not in by_status.text
    refused = await triage.http.get("/konsol/", params={"status": "bukan-status"})
    assert refused.status_code == 422 and own.data.tracking_number in refused.text


async def test_unit_user_sees_only_complaints_routed_to_their_unit(triage: Harness) -> None:
    poli = await triage.receive(text="Dokter di poli umum kasar dan membentak pasien")
    queue = await triage.receive(text="Antrian di pendaftaran lama sekali")
    routed = await triage.triage.store.get_document(poli.data.complaint_id)
    assert routed is not None and routed["unit"] == "poli_umum"
    await ConsoleClient(triage.http).login("mdrj1.poli-umum")

    inbox = await triage.http.get("/konsol/")
    widened = await triage.http.get("/konsol/", params={"unit": "pendaftaran"})

    assert poli.data.tracking_number in inbox.text
    assert queue.data.tracking_number not in inbox.text
    assert queue.data.tracking_number not in widened.text
    opened = await triage.http.get(f"/konsol/aduan/{queue.data.complaint_id}")
    assert opened.status_code == 404


async def test_inbox_pages_through_the_register(triage: Harness) -> None:
    numbers = [(await triage.receive()).data.tracking_number for _ in range(27)]
    await ConsoleClient(triage.http).login("mdrj1.aduan")

    first = await triage.http.get("/konsol/")
    second = await triage.http.get("/konsol/", params={"halaman": "2"})

    assert "Halaman 1 / 2" in first.text and 'rel="next"' in first.text
    shown = [n for n in numbers if n in first.text], [n for n in numbers if n in second.text]
    assert len(shown[0]) == 25 and len(shown[1]) == 2
    assert not set(shown[0]) & set(shown[1])
