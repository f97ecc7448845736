"""User management and the audit log in the staff console, and the password reset in the staff
API, through the real triage app and database: a head manages only their clinic, a reset ends
the user's sessions and is audited, refused forms keep what was typed."""

from __future__ import annotations

import httpx
import pytest

from ops.seed import DEMO_PASSWORD
from shared.audit import AuditLog
from shared.auth import SESSION_COOKIE
from shared.users import UserStore
from tests.integration.triage_console_client import ConsoleClient
from tests.integration.triage_harness import Harness

pytestmark = pytest.mark.integration
NEW_PASSWORD = "loket-pagi-2026"


def another_browser(triage: Harness) -> httpx.AsyncClient:
    """A second person's browser on the same running service (its own cookies)."""
    transport = httpx.ASGITransport(app=triage.triage.app)
    return httpx.AsyncClient(transport=transport, base_url="http://sigap.test")


async def user_id(triage: Harness, username: str) -> str:
    user = await UserStore(triage.triage.runtime.directory_db).by_username(username)
    assert user is not None
    return user.id


async def head(triage: Harness, username: str = "mdrj1.kepala") -> ConsoleClient:
    console = ConsoleClient(triage.http)
    assert (await console.login(username)).status_code == 303
    return console


async def audited(triage: Harness, action: str, clinic: str = "MDRJ1") -> list[str | None]:
    entries = await AuditLog(triage.triage.runtime.directory_db).entries(
        clinic=clinic, action=action
    )
    return [entry.target for entry in entries]


async def test_head_lists_only_the_own_clinic_users_and_reaches_the_audit_log(
    triage: Harness,
) -> None:
    await head(triage)
    page = await triage.http.get("/konsol/pengguna")

    assert page.status_code == 200
    assert "mdrj1.aduan" in page.text and "ranai.aduan" not in page.text
    assert "admin.bna" not in page.text
    audit = await triage.http.get("/konsol/audit")
    assert audit.status_code == 200 and "Masuk" in audit.text and "mdrj1.kepala" in audit.text
    foreign = await triage.http.get(f"/konsol/pengguna/{await user_id(triage, 'ranai.aduan')}")
    assert foreign.status_code == 404


async def test_staff_without_user_management_are_refused_the_pages(triage: Harness) -> None:
    await head(triage, "mdrj1.aduan")
    assert (await triage.http.get("/konsol/pengguna")).status_code == 403
    assert (await triage.http.get("/konsol/audit")).status_code == 403


async def test_head_creates_a_unit_user_and_a_refused_form_keeps_what_was_typed(
    triage: Harness,
) -> None:
    console = await head(triage)
    fields = {"username": "Bad Name!", "name": "Apoteker Jaga", "role": "unit",
              "unit": "farmasi", "password": NEW_PASSWORD, "password2": NEW_PASSWORD}  # fmt: skip

    refused = await console.submit("/konsol/pengguna", "/konsol/pengguna", fields)
    assert refused.status_code == 422
    assert 'id="username-error"' in refused.text and 'value="Apoteker Jaga"' in refused.text
    assert NEW_PASSWORD not in refused.text

    created = await console.submit(
        "/konsol/pengguna", "/konsol/pengguna", {**fields, "username": "mdrj1.farmasi"}
    )
    assert created.status_code == 303
    user = await UserStore(triage.triage.runtime.directory_db).by_username("mdrj1.farmasi")
    assert user is not None and (user.clinic, user.unit) == ("MDRJ1", "farmasi")
    assert user.id in await audited(triage, "user.created")


async def test_head_changes_a_role_and_deactivates_a_user_whose_session_then_ends(
    triage: Harness,
) -> None:
    target = await user_id(triage, "mdrj1.petugas")
    async with another_browser(triage) as other:
        officer = ConsoleClient(other)
        await officer.login("mdrj1.petugas")
        assert (await other.get("/konsol/")).status_code == 200

        console = await head(triage)
        page = f"/konsol/pengguna/{target}"
        unit_without = await console.submit(page, f"{page}/peran", {"role": "unit", "unit": ""})
        assert (
            unit_without.status_code == 422 and "wajib terikat pada satu unit" in unit_without.text
        )
        moved = await console.submit(page, f"{page}/peran", {"role": "unit", "unit": "farmasi"})
        assert moved.status_code == 303
        assert (await other.get("/konsol/")).status_code == 303  # the old session ended
        off = await console.submit(page, f"{page}/status", {"active": "0"})
        assert off.status_code == 303
        assert "Nonaktif" in (await triage.http.get(page)).text
        other.cookies.clear()
        assert (await officer.login("mdrj1.petugas")).status_code == 401
    assert target in await audited(triage, "user.deactivated")


async def test_head_resets_a_forgotten_password_ending_every_session_of_that_user(
    triage: Harness,
) -> None:
    target = await user_id(triage, "mdrj1.mutu")
    async with another_browser(triage) as other:
        await ConsoleClient(other).login("mdrj1.mutu")
        old_session = other.cookies[SESSION_COOKIE]
        console = await head(triage)
        page = f"/konsol/pengguna/{target}"

        mismatch = await console.submit(
            page, f"{page}/kata-sandi", {"password": NEW_PASSWORD, "password2": "lain-lagi-2026"}
        )
        assert mismatch.status_code == 422 and "Kedua kata sandi tidak sama" in mismatch.text
        done = await console.submit(
            page, f"{page}/kata-sandi", {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        assert done.status_code == 303
        notice = await triage.http.get(done.headers["location"])
        assert "Semua sesi pengguna itu diakhiri" in notice.text

        other.cookies.set(SESSION_COOKIE, old_session)
        assert (await other.get("/konsol/")).status_code == 303
        other.cookies.clear()
        assert (await ConsoleClient(other).login("mdrj1.mutu")).status_code == 401
        assert (await ConsoleClient(other).login("mdrj1.mutu", NEW_PASSWORD)).status_code == 303
    assert target in await audited(triage, "password.reset")


async def test_password_reset_api_is_scoped_checked_and_revokes_sessions(
    triage: Harness,
) -> None:
    async def token(username: str) -> str:
        answer = await triage.http.post(
            "/api/v1/staff/auth/login",
            json={"username": username, "password": DEMO_PASSWORD},
            headers={"x-forwarded-for": "192.0.2.30"},
        )
        triage.http.cookies.clear()
        return str(answer.json()["token"])

    def bearer(value: str) -> dict[str, str]:
        return {"authorization": f"Bearer {value}"}

    head_token, victim_token = await token("mdrj1.kepala"), await token("mdrj1.aduan")
    victim, foreign = await user_id(triage, "mdrj1.aduan"), await user_id(triage, "ranai.aduan")
    reset = "/api/v1/staff/users/{}/password"

    weak = await triage.http.post(
        reset.format(victim), json={"password": "pendek"}, headers=bearer(head_token)
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "password"
    other_clinic = await triage.http.post(
        reset.format(foreign), json={"password": NEW_PASSWORD}, headers=bearer(head_token)
    )
    assert other_clinic.status_code == 404
    own = await triage.http.post(
        reset.format(await user_id(triage, "mdrj1.kepala")),
        json={"password": NEW_PASSWORD},
        headers=bearer(head_token),
    )
    assert own.status_code == 409
    not_allowed = await triage.http.post(
        reset.format(victim), json={"password": NEW_PASSWORD}, headers=bearer(victim_token)
    )
    assert not_allowed.status_code == 403

    done = await triage.http.post(
        reset.format(victim), json={"password": NEW_PASSWORD}, headers=bearer(head_token)
    )

    assert done.status_code == 204
    me = await triage.http.get("/api/v1/staff/me", headers=bearer(victim_token))
    assert me.status_code == 401
    assert await audited(triage, "password.reset") == [victim]


async def test_district_admin_manages_every_clinic_of_the_district_and_no_other(
    triage: Harness,
) -> None:
    console = await head(triage, "admin.bna")
    page = await triage.http.get("/konsol/pengguna")
    assert "mdrj1.aduan" in page.text and "ranai.aduan" not in page.text
    fields = {"username": "mdrj2.aduan", "name": "Tim Aduan Mandiraja 2", "role": "complaint_team",
              "clinic": "MDRJ2", "password": NEW_PASSWORD, "password2": NEW_PASSWORD}  # fmt: skip

    created = await console.submit("/konsol/pengguna", "/konsol/pengguna", fields)
    foreign = await console.submit(
        "/konsol/pengguna", "/konsol/pengguna", {**fields, "username": "x.ranai", "clinic": "RANAI"}
    )

    assert created.status_code == 303
    user = await UserStore(triage.triage.runtime.directory_db).by_username("mdrj2.aduan")
    assert user is not None and user.clinic == "MDRJ2"
    assert foreign.status_code == 404 and 'id="clinic-error"' in foreign.text
    assert await UserStore(triage.triage.runtime.directory_db).by_username("x.ranai") is None
