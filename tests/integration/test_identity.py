"""Staff identity through the triage service's HTTP API, against the real broker and database:
login, cookie, logout and password change revoking sessions in every service, throttling per
account and per client, user management isolated per clinic and district, the audit log."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends

from ops.seed import DEMO_PASSWORD, seed_demo
from services.triage.main import create_app as create_triage
from shared.auth import Action, Principal, require
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.support.lifespan import Running

pytestmark = pytest.mark.integration
ClientFactory = Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def start_triage(settings: Settings, amqp: object, mongo: object) -> ClientFactory:
    """The triage service (with its identity routes) over the demo register and accounts."""

    @contextlib.asynccontextmanager
    async def start(service_settings: Settings | None = None) -> AsyncIterator[httpx.AsyncClient]:
        await seed_demo(settings)
        app = create_triage(service_settings or settings)
        async with (
            Running(app) as manager,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://sigap.test"
            ) as client,
        ):
            yield client

    return start


@pytest.fixture
async def triage(start_triage: ClientFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with start_triage() as client:
        yield client


async def login(
    client: httpx.AsyncClient,
    username: str,
    password: str = DEMO_PASSWORD,
    client_ip: str = "192.0.2.10",
) -> httpx.Response:
    return await client.post(
        "/api/v1/staff/auth/login",
        json={"username": username, "password": password},
        headers={"x-forwarded-for": client_ip},
    )


async def token_of(client: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> str:
    response = await login(client, username, password)
    assert response.status_code == 200, response.text
    client.cookies.clear()  # each call below says which credential it uses
    return str(response.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def user_id_of(client: httpx.AsyncClient, token: str) -> str:
    return str((await client.get("/api/v1/staff/me", headers=bearer(token))).json()["user"]["id"])


async def audit(client: httpx.AsyncClient, token: str, action: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/staff/audit", params={"action": action}, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


async def test_login_returns_a_token_and_an_http_only_session_cookie(
    triage: httpx.AsyncClient,
) -> None:
    response = await login(triage, "mdrj1.kepala")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["user"]["role"] == "head"
    assert "password_hash" not in body["user"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"sigap_session={body['token']}")
    for attribute in ("HttpOnly", "SameSite=lax", "Max-Age=28800", "Path=/"):
        assert attribute in cookie
    assert "Secure" not in cookie  # the demo origin is plain http
    me = await triage.get("/api/v1/staff/me")  # with the cookie alone
    assert me.status_code == 200
    assert me.json()["user"]["username"] == "mdrj1.kepala"
    assert "user.manage" in me.json()["permissions"]


async def test_the_session_cookie_is_secure_when_the_public_origin_is_https(
    settings: Settings, start_triage: ClientFactory
) -> None:
    https = settings.model_copy(update={"public_base_url": "https://sigap.banjarnegarakab.go.id"})
    async with start_triage(https) as client:
        response = await login(client, "mdrj1.aduan")
    assert response.status_code == 200
    assert "Secure" in response.headers["set-cookie"]


async def test_a_wrong_password_and_an_unknown_user_get_the_same_refusal(
    triage: httpx.AsyncClient,
) -> None:
    wrong = await login(triage, "mdrj1.kepala", "not-the-password")
    unknown = await login(triage, "nobody.here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "set-cookie" not in wrong.headers


async def test_a_failed_login_is_in_the_audit_log_of_the_users_clinic_only(
    triage: httpx.AsyncClient,
) -> None:
    await login(triage, "mdrj1.petugas", "not-the-password", client_ip="198.51.100.7")
    head = await token_of(triage, "mdrj1.kepala")
    entries = await audit(triage, head, "login.failed")
    assert len(entries) == 1
    assert entries[0]["detail"] == {"reason": "wrong_password", "client": "198.51.100.7"}
    assert entries[0]["clinic"] == "MDRJ1" and entries[0]["district"] == "banjarnegara"
    assert await audit(triage, await token_of(triage, "ranai.kepala"), "login.failed") == []
    admin = await token_of(triage, "admin.bna")
    assert len(await audit(triage, admin, "login.failed")) == 1


async def test_logout_ends_the_session_in_every_service(
    settings: Settings, triage: httpx.AsyncClient
) -> None:
    token = await token_of(triage, "mdrj1.aduan")
    other = ServiceRuntime("reporting", settings, consumes=False)
    probe = APIRouter()

    @probe.get("/probe")
    async def read(principal: Annotated[Principal, Depends(require(Action.REPORT_READ))]) -> str:
        return principal.user_id

    async with (
        Running(other.asgi(probe, title="probe")) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://reporting.test"
        ) as reporting,
    ):
        assert (await reporting.get("/probe", headers=bearer(token))).status_code == 200
        logout = await triage.post("/api/v1/staff/auth/logout", headers=bearer(token))
        assert logout.status_code == 204
        assert 'sigap_session=""' in logout.headers["set-cookie"]
        assert (await reporting.get("/probe", headers=bearer(token))).status_code == 401
    assert (await triage.get("/api/v1/staff/me", headers=bearer(token))).status_code == 401


async def test_changing_the_password_ends_every_session_and_the_old_password(
    triage: httpx.AsyncClient,
) -> None:
    first, second = await token_of(triage, "mdrj1.mutu"), await token_of(triage, "mdrj1.mutu")
    wrong = await triage.post(
        "/api/v1/staff/auth/password",
        json={"current_password": "not-the-password", "new_password": "a-new-long-secret"},
        headers=bearer(first),
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    short = await triage.post(
        "/api/v1/staff/auth/password",
        json={"current_password": DEMO_PASSWORD, "new_password": "short"},
        headers=bearer(first),
    )
    assert short.json()["errors"][0]["field"] == "new_password"
    changed = await triage.post(
        "/api/v1/staff/auth/password",
        json={"current_password": DEMO_PASSWORD, "new_password": "a-new-long-secret"},
        headers=bearer(first),
    )
    assert changed.status_code == 204
    for token in (first, second):
        assert (await triage.get("/api/v1/staff/me", headers=bearer(token))).status_code == 401
    assert (await login(triage, "mdrj1.mutu")).status_code == 401
    assert (await login(triage, "mdrj1.mutu", "a-new-long-secret")).status_code == 200
    head = await token_of(triage, "mdrj1.kepala")
    assert len(await audit(triage, head, "password.changed")) == 1


async def test_an_account_is_throttled_after_five_failures_from_any_clients(
    triage: httpx.AsyncClient,
) -> None:
    for attempt in range(5):
        failed = await login(triage, "mdrj1.kepala", "guess-number-x", f"203.0.113.{attempt}")
        assert failed.status_code == 401
    throttled = await login(triage, "mdrj1.kepala", DEMO_PASSWORD, "203.0.113.99")
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    assert (await login(triage, "mdrj1.aduan", DEMO_PASSWORD, "203.0.113.99")).status_code == 200
    admin = await token_of(triage, "admin.bna")
    assert len(await audit(triage, admin, "login.failed")) == 5
    throttled_entries = await audit(triage, admin, "login.throttled")
    assert [entry["clinic"] for entry in throttled_entries] == ["MDRJ1"]


async def test_a_client_is_throttled_after_twenty_failures_on_any_accounts(
    triage: httpx.AsyncClient,
) -> None:
    for attempt in range(20):
        failed = await login(triage, f"guess{attempt}", "guess-number-x", "198.51.100.66")
        assert failed.status_code == 401
    assert (await login(triage, "mdrj1.aduan", DEMO_PASSWORD, "198.51.100.66")).status_code == 429
    assert (await login(triage, "mdrj1.aduan", DEMO_PASSWORD, "198.51.100.67")).status_code == 200
    # Guesses at usernames that do not exist belong to no clinic: the district's admin sees them.
    admin = await token_of(triage, "admin.bna")
    guessed = {entry["target"] for entry in await audit(triage, admin, "login.failed")}
    assert {f"guess{attempt}" for attempt in range(20)} <= guessed
    head = await token_of(triage, "mdrj1.kepala")
    assert not {e["target"] for e in await audit(triage, head, "login.failed")} & guessed


async def test_parallel_guesses_at_one_account_get_no_more_tries_than_the_limit(
    triage: httpx.AsyncClient,
) -> None:
    answers = await asyncio.gather(
        *(login(triage, "mdrj1.mutu", f"guess-number-{i}", "198.51.100.70") for i in range(12))
    )
    statuses = [answer.status_code for answer in answers]
    # However the requests interleave, no more than five passwords are tried (fewer may be).
    assert set(statuses) == {401, 429} and statuses.count(401) <= 5
    assert (await login(triage, "mdrj1.mutu", DEMO_PASSWORD, "198.51.100.71")).status_code == 429


async def test_a_successful_login_forgives_the_accounts_earlier_failures(
    triage: httpx.AsyncClient,
) -> None:
    for _ in range(4):
        await login(triage, "ranai.aduan", "guess-number-x")
    assert (await login(triage, "ranai.aduan")).status_code == 200
    for _ in range(4):
        assert (await login(triage, "ranai.aduan", "guess-number-x")).status_code == 401
    assert (await login(triage, "ranai.aduan")).status_code == 200


async def test_a_head_manages_the_users_of_their_own_clinic_only(
    triage: httpx.AsyncClient,
) -> None:
    head = await token_of(triage, "mdrj1.kepala")
    listed = (await triage.get("/api/v1/staff/users", headers=bearer(head))).json()["users"]
    assert {user["clinic"] for user in listed} == {"MDRJ1"} and len(listed) == 5
    ranai_head = await user_id_of(triage, await token_of(triage, "ranai.kepala"))
    assert (
        await triage.get(f"/api/v1/staff/users/{ranai_head}", headers=bearer(head))
    ).status_code == 404
    patched = await triage.patch(
        f"/api/v1/staff/users/{ranai_head}", json={"active": False}, headers=bearer(head)
    )
    assert patched.status_code == 404
    new = {"username": "mdrj1.farmasi", "name": "Unit Farmasi", "role": "unit",
           "unit": "farmasi", "password": "farmasi-long-secret"}  # fmt: skip
    elsewhere = await triage.post(
        "/api/v1/staff/users", json={**new, "clinic": "RANAI"}, headers=bearer(head)
    )
    assert elsewhere.status_code == 404 and elsewhere.json()["errors"][0]["field"] == "clinic"
    admin_role = await triage.post(
        "/api/v1/staff/users", json={**new, "role": "admin", "unit": None}, headers=bearer(head)
    )
    assert admin_role.status_code == 403
    created = await triage.post("/api/v1/staff/users", json=new, headers=bearer(head))
    assert created.status_code == 201, created.text
    assert created.json()["clinic"] == "MDRJ1" and created.json()["district"] == "banjarnegara"
    again = await triage.post("/api/v1/staff/users", json=new, headers=bearer(head))
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "username"
    assert (await login(triage, "mdrj1.farmasi", "farmasi-long-secret")).status_code == 200
    newest = (await audit(triage, head, "user.created"))[0]
    assert newest["target"] == created.json()["id"]
    assert newest["actor"] == await user_id_of(triage, head) and newest["actor_role"] == "head"
    ranai = await audit(triage, await token_of(triage, "ranai.kepala"), "user.created")
    assert ranai and {entry["clinic"] for entry in ranai} == {"RANAI"}


async def test_creating_a_user_names_the_field_that_does_not_fit(
    triage: httpx.AsyncClient,
) -> None:
    head = await token_of(triage, "mdrj1.kepala")
    base = {"username": "mdrj1.baru", "name": "Baru", "role": "unit", "password": "long-enough-1"}
    cases = [
        ({**base, "unit": "kamar_operasi"}, "unit"),
        ({**base}, "unit"),
        ({**base, "role": "officer", "password": "short"}, "password"),
        ({**base, "role": "officer", "phone": "08123"}, "phone"),
        ({**base, "role": "officer", "shoe_size": 42}, "shoe_size"),
    ]
    for body, field in cases:
        response = await triage.post("/api/v1/staff/users", json=body, headers=bearer(head))
        assert response.status_code in (403, 422), (field, response.text)
        assert response.json()["errors"][0]["field"] == field


async def test_a_role_change_or_deactivation_ends_the_users_sessions_and_is_audited(
    triage: httpx.AsyncClient,
) -> None:
    head = await token_of(triage, "mdrj1.kepala")
    officer = await token_of(triage, "mdrj1.petugas")
    officer_id = await user_id_of(triage, officer)
    promoted = await triage.patch(
        f"/api/v1/staff/users/{officer_id}",
        json={"role": "complaint_team", "phone": "+6281234567890"},
        headers=bearer(head),
    )
    assert promoted.status_code == 200 and promoted.json()["role"] == "complaint_team"
    assert (await triage.get("/api/v1/staff/me", headers=bearer(officer))).status_code == 401
    changes = await audit(triage, head, "user.role_changed")
    assert changes[0]["detail"] == {"from": "officer", "to": "complaint_team", "unit": None}
    assert (await audit(triage, head, "user.updated"))[0]["detail"] == {"fields": "phone"}
    deactivated = await triage.patch(
        f"/api/v1/staff/users/{officer_id}", json={"active": False}, headers=bearer(head)
    )
    assert deactivated.json()["active"] is False
    assert (await login(triage, "mdrj1.petugas")).status_code == 401
    assert len(await audit(triage, head, "user.deactivated")) == 1
    head_id = await user_id_of(triage, head)
    own = await triage.patch(
        f"/api/v1/staff/users/{head_id}", json={"active": False}, headers=bearer(head)
    )
    assert own.status_code == 409


async def test_an_admin_manages_the_users_of_their_district_only(
    triage: httpx.AsyncClient,
) -> None:
    admin = await token_of(triage, "admin.bna")
    listed = (await triage.get("/api/v1/staff/users", headers=bearer(admin))).json()["users"]
    assert {user["district"] for user in listed} == {"banjarnegara"}
    assert {"mdrj1.kepala", "dinkes.bna"} <= {user["username"] for user in listed}
    ranai_head = await user_id_of(triage, await token_of(triage, "ranai.kepala"))
    assert (
        await triage.get(f"/api/v1/staff/users/{ranai_head}", headers=bearer(admin))
    ).status_code == 404
    body = {"username": "ranai.mutu", "name": "Mutu", "role": "quality_team",
            "clinic": "RANAI", "password": "long-enough-1"}  # fmt: skip
    response = await triage.post("/api/v1/staff/users", json=body, headers=bearer(admin))
    assert response.status_code == 404
    body = {"username": "dinkes.natuna", "name": "Dinkes", "role": "district",
            "district": "natuna", "password": "long-enough-1"}  # fmt: skip
    response = await triage.post("/api/v1/staff/users", json=body, headers=bearer(admin))
    assert response.status_code == 404
    body = {**body, "username": "dinkes.bna2", "district": "banjarnegara"}
    created = await triage.post("/api/v1/staff/users", json=body, headers=bearer(admin))
    assert created.status_code == 201 and created.json()["clinic"] is None
    entries = await audit(triage, admin, "user.created")
    assert created.json()["id"] in {entry["target"] for entry in entries}


async def test_alert_channels_without_their_contact_detail_are_refused_naming_the_field(
    triage: httpx.AsyncClient,
) -> None:
    head = await token_of(triage, "mdrj1.kepala")
    listed = (await triage.get("/api/v1/staff/users", headers=bearer(head))).json()["users"]
    officer = "/api/v1/staff/users/" + next(
        user["id"] for user in listed if user["username"] == "mdrj1.petugas"
    )
    no_phone = {"notify_channels": ["whatsapp"], "phone": None}
    refused = await triage.patch(officer, json=no_phone, headers=bearer(head))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "notify_channels"
    with_phone = {"notify_channels": ["whatsapp"], "phone": "+6281234500001"}
    assert (await triage.patch(officer, json=with_phone, headers=bearer(head))).status_code == 200
    cleared = await triage.patch(officer, json={"phone": None}, headers=bearer(head))
    assert cleared.status_code == 422  # WhatsApp alerts would have nowhere to go
