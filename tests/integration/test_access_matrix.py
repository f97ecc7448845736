"""Every staff route of every service, read from the running apps themselves: each route is
guarded (or on the short list of public ones), has its row in the access table
(tests/support/access_cases.py), and refuses every token that is wrong in some way with 401.
What each role gets on each target is tested in test_access_matrix_scope.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from faststream_fastapi import FastStreamAPI

from services.intake.main import create_app as create_intake
from services.notify.main import create_app as create_notify
from services.reporting.main import create_app as create_reporting
from services.triage.main import create_app as create_triage
from shared.auth import Action, Principal, Requirement, Role, TokenCodec
from shared.settings import Settings
from tests.support.access_cases import CASES
from tests.support.lifespan import Running

pytestmark = pytest.mark.integration

SERVICES: dict[str, Callable[[Settings], FastStreamAPI]] = {
    "intake": create_intake,
    "triage": create_triage,
    "notify": create_notify,
    "reporting": create_reporting,
}
# The JSON routes anybody may call: everything else under /api/ needs a staff session.
PUBLIC_API = {
    ("intake", "GET", "/api/v1/clinics"),
    ("intake", "POST", "/api/v1/complaints"),
    ("intake", "POST", "/api/v1/surveys"),
    ("intake", "GET", "/api/v1/complaints/track/{tracking_number}"),
    ("triage", "POST", "/api/v1/staff/auth/login"),  # how a session starts
    ("notify", "GET", "/api/v1/notify/board/{clinic}"),
    ("reporting", "GET", "/api/v1/reports/public/ikm/{clinic}"),
    ("reporting", "GET", "/api/v1/reports/public/ikm/{clinic}/halaman"),
}
# What each staff route asks for, written out literally and checked against SPEC §1, so
# that a route guarded by the wrong action fails here even though the derived matrix would
# follow it. "signed_in": any staff member, about their own session.
ROUTE_ACTIONS: dict[tuple[str, str, str], str] = {
    ("intake", "POST", "/api/v1/entry/complaints"): "complaint.record",
    ("intake", "POST", "/api/v1/entry/suggestion-box"): "complaint.record",
    ("intake", "POST", "/api/v1/entry/surveys"): "survey.record",
    ("triage", "POST", "/api/v1/staff/auth/logout"): "signed_in",
    ("triage", "POST", "/api/v1/staff/auth/password"): "signed_in",
    ("triage", "GET", "/api/v1/staff/me"): "signed_in",
    ("triage", "GET", "/api/v1/staff/users"): "user.manage",
    ("triage", "POST", "/api/v1/staff/users"): "user.manage",
    ("triage", "GET", "/api/v1/staff/users/{user_id}"): "user.manage",
    ("triage", "PATCH", "/api/v1/staff/users/{user_id}"): "user.manage",
    ("triage", "POST", "/api/v1/staff/users/{user_id}/password"): "user.manage",
    ("triage", "GET", "/api/v1/staff/audit"): "audit.read",
    ("triage", "GET", "/api/v1/staff/complaints"): "complaint.read",
    ("triage", "GET", "/api/v1/staff/complaints/{complaint_id}"): "complaint.read",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/triage"): "complaint.triage",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/assign"): "complaint.assign",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/plan"): "complaint.plan",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/progress"): "complaint.progress",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/escalate"): "complaint.escalate",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/wait"): "complaint.reply",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/reply"): "complaint.reply",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/close"): "complaint.close",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/reopen"): "complaint.reopen",
    ("triage", "POST", "/api/v1/staff/complaints/{complaint_id}/reject"): "complaint.reject",
    ("triage", "GET", "/api/v1/staff/deadline-settings/{scope}/{code}"): "settings.manage",
    ("triage", "PUT", "/api/v1/staff/deadline-settings/{scope}/{code}"): "settings.manage",
    ("triage", "GET", "/api/v1/staff/triage/accuracy"): "report.read",
    ("notify", "GET", "/api/v1/notify/failed"): "audit.read",
    ("notify", "POST", "/api/v1/notify/failed/{notification_id}/retry"): "audit.read",
    ("reporting", "GET", "/api/v1/reports/summary"): "report.read",
    ("reporting", "GET", "/api/v1/reports/ikm"): "report.read",
    ("reporting", "GET", "/api/v1/reports/register"): "report.read",
    ("reporting", "GET", "/api/v1/reports/register/print"): "report.read",
    ("reporting", "GET", "/api/v1/reports/recap/print"): "report.read",
    ("reporting", "GET", "/api/v1/reports/district/clinics"): "district.read",
    ("reporting", "GET", "/api/v1/reports/district/trends"): "district.read",
    ("reporting", "POST", "/api/v1/reports/visits"): "visits.record",
}
HEAD = Principal("matrix-head", Role.HEAD, "banjarnegara", "MDRJ1", name="Uji head")


@dataclass(frozen=True)
class Route:
    service: str
    method: str
    path: str
    actions: frozenset[Action | None]  # None: any signed-in staff member; empty: unguarded

    @property
    def key(self) -> tuple[str, str, str]:
        return self.service, self.method, self.path


def _requirements(dependant: Dependant) -> Iterator[Requirement]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Requirement):
            yield dependency.call
        yield from _requirements(dependency)


def api_routes(service: str, app: FastStreamAPI) -> list[Route]:
    """Every JSON route (under /api/) of a service app with the actions it requires."""
    found: list[Route] = []
    for context in iter_route_contexts(app._application.routes):
        dependant = getattr(context, "dependant", None)
        if dependant is None or context.path is None or not context.path.startswith("/api/"):
            continue
        actions = frozenset(req.action for req in _requirements(dependant))
        found.extend(
            Route(service, method, context.path, actions)
            for method in sorted(context.methods or ())
        )
    return found


def staff_routes(service: str, app: FastStreamAPI) -> list[Route]:
    return [route for route in api_routes(service, app) if route.actions]


def codec(settings: Settings, **overrides: str) -> TokenCodec:
    options = {"issuer": settings.auth_issuer, "audience": settings.auth_audience, **overrides}
    return TokenCodec(settings.auth_secret.get_secret_value(), **options)


def refused_tokens(settings: Settings) -> dict[str, str]:
    """Tokens no service may accept, each wrong in exactly one way."""
    good = codec(settings).issue(HEAD, timedelta(minutes=30))
    header, _payload, signature = good.split(".")
    admin_payload = codec(settings).issue(replace(HEAD, role=Role.ADMIN), timedelta(1)).split(".")
    return {
        "expired": codec(settings).issue(
            HEAD, timedelta(minutes=30), now=datetime.now(UTC) - timedelta(hours=1)
        ),
        "tampered": f"{header}.{admin_payload[1]}.{signature}",
        "wrong audience": codec(settings, audience="sigap-public").issue(HEAD, timedelta(1)),
        "wrong issuer": codec(settings, issuer="elsewhere").issue(HEAD, timedelta(1)),
        "other secret": TokenCodec("x" * 40, issuer=settings.auth_issuer).issue(HEAD, timedelta(1)),
        "garbage": "not-a-token",
    }


def concrete(path: str) -> str:
    """The path with every parameter filled (a UUID fits both str and UUID parameters)."""
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + "0b3c0f0e-5a1d-4f57-9d0c-6f1e2a3b4c5d" + path[end + 1 :]
    return path


def test_every_staff_json_route_is_guarded_and_has_its_row_in_the_access_table(
    settings: Settings,
) -> None:
    routes = [
        route for name, make in SERVICES.items() for route in api_routes(name, make(settings))
    ]
    unguarded = [r.key for r in routes if not r.actions and r.key not in PUBLIC_API]
    assert unguarded == [], f"JSON routes without require(...) and not public: {unguarded}"
    guarded = {r.key for r in routes if r.actions}
    assert sorted(guarded - set(CASES)) == [], "staff routes without a row in access_cases.py"
    assert sorted(set(CASES) - guarded) == [], "rows of access_cases.py without a staff route"
    assert not PUBLIC_API & guarded, "a public route now asks for a session: update PUBLIC_API"


def test_every_staff_route_asks_for_the_action_written_in_the_access_table(
    settings: Settings,
) -> None:
    asked = {
        route.key: ",".join(sorted("signed_in" if a is None else a.value for a in route.actions))
        for name, make in SERVICES.items()
        for route in staff_routes(name, make(settings))
    }
    assert asked == ROUTE_ACTIONS


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_every_staff_route_refuses_a_missing_or_wrong_token_with_401(
    service: str, settings: Settings, amqp: object, mongo: object
) -> None:
    app = SERVICES[service](settings)
    routes = staff_routes(service, app)
    assert routes, f"{service} has no staff route"
    wrong: list[str] = []
    async with (
        Running(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app, raise_app_exceptions=False),
            base_url="http://sigap.test",
        ) as client,
    ):
        for route in routes:
            for kind, token in {"no token": None, **refused_tokens(settings)}.items():
                headers = {"authorization": f"Bearer {token}"} if token else {}
                body: dict[str, str] | None = (
                    {} if route.method in ("POST", "PUT", "PATCH") else None
                )
                answer = await client.request(
                    route.method, concrete(route.path), headers=headers, json=body
                )
                if answer.status_code != 401:
                    wrong.append(f"{route.method} {route.path} with {kind}: {answer.status_code}")
    assert wrong == [], "\n".join(wrong)
