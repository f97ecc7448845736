"""Every staff route of every service × every role, read from the running apps themselves: a route
answers 401 without a valid session, 403 to a role the permission table refuses, and lets every
role the table allows through. New routes are picked up without touching this file."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from faststream_fastapi import FastStreamAPI

from services.intake.main import create_app as create_intake
from services.notify.main import create_app as create_notify
from services.reporting.main import create_app as create_reporting
from services.triage.main import create_app as create_triage
from shared.auth import Action, Principal, Requirement, Role, TokenCodec
from shared.settings import Settings

pytestmark = pytest.mark.integration

SERVICES: dict[str, Callable[[Settings], FastStreamAPI]] = {
    "intake": create_intake,
    "triage": create_triage,
    "notify": create_notify,
    "reporting": create_reporting,
}
STAFF_PREFIX = "/api/v1/staff/"
OPEN_STAFF_ROUTES = {("POST", "/api/v1/staff/auth/login")}  # how a session starts
PRINCIPALS = {
    role: Principal(
        user_id=f"matrix-{role.value}",
        role=role,
        district="banjarnegara",
        clinic=None if role in (Role.DISTRICT, Role.ADMIN) else "MDRJ1",
        unit="poli_umum" if role is Role.UNIT else None,
        name=f"Uji {role.value}",
    )
    for role in Role
}


@dataclass(frozen=True)
class StaffRoute:
    method: str
    path: str
    actions: frozenset[Action | None]  # None: any signed-in staff member

    def allows(self, role: Role) -> bool:
        principal = PRINCIPALS[role]
        return all(action is None or principal.may(action) for action in self.actions)

    def url(self) -> str:
        """The path with every parameter filled (a UUID fits both str and UUID parameters)."""
        path = self.path
        while "{" in path:
            start, end = path.index("{"), path.index("}")
            path = path[:start] + str(uuid.uuid4()) + path[end + 1 :]
        return path


def requirements(dependant: Dependant) -> Iterator[Requirement]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Requirement):
            yield dependency.call
        yield from requirements(dependency)


def routes_of(app: FastStreamAPI) -> list[tuple[StaffRoute, bool]]:
    """Every HTTP route of a service app with its requirements; True when it has one."""
    found = []
    for context in iter_route_contexts(app._application.routes):
        dependant = getattr(context, "dependant", None)
        if dependant is None or context.path is None:
            continue
        actions = frozenset(req.action for req in requirements(dependant))
        for method in sorted(context.methods or ()):
            found.append((StaffRoute(method, context.path, actions), bool(actions)))
    return found


def codec(settings: Settings, **overrides: str) -> TokenCodec:
    options = {"issuer": settings.auth_issuer, "audience": settings.auth_audience, **overrides}
    return TokenCodec(settings.auth_secret.get_secret_value(), **options)


def refused_tokens(settings: Settings) -> dict[str, str]:
    """Tokens no service may accept, each wrong in exactly one way."""
    head = PRINCIPALS[Role.HEAD]
    good = codec(settings).issue(head, timedelta(minutes=30))
    header, _payload, signature = good.split(".")
    admin_payload = codec(settings).issue(replace(head, role=Role.ADMIN), timedelta(1)).split(".")
    return {
        "expired": codec(settings).issue(
            head, timedelta(minutes=30), now=datetime.now(UTC) - timedelta(hours=1)
        ),
        "tampered": f"{header}.{admin_payload[1]}.{signature}",
        "wrong audience": codec(settings, audience="sigap-public").issue(head, timedelta(1)),
        "wrong issuer": codec(settings, issuer="elsewhere").issue(head, timedelta(1)),
        "other secret": TokenCodec("x" * 40, issuer=settings.auth_issuer).issue(head, timedelta(1)),
        "garbage": "not-a-token",
    }


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_every_staff_route_answers_exactly_as_the_permission_table_says(
    service: str, settings: Settings, amqp: object, mongo: object
) -> None:
    app = SERVICES[service](settings)
    routes = routes_of(app)
    unguarded = [
        (route.method, route.path)
        for route, guarded in routes
        if route.path.startswith(STAFF_PREFIX)
        and not guarded
        and (route.method, route.path) not in OPEN_STAFF_ROUTES
    ]
    assert unguarded == [], f"staff routes without require(...): {unguarded}"
    guarded_routes = [route for route, guarded in routes if guarded]
    if service == "triage":
        assert len(guarded_routes) >= 9  # at least the identity routes
    tokens = codec(settings)
    refused = refused_tokens(settings)
    wrong: list[str] = []
    async with (
        LifespanManager(app, startup_timeout=30, shutdown_timeout=30) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app, raise_app_exceptions=False),
            base_url="http://sigap.test",
        ) as client,
    ):
        for route in guarded_routes:

            async def call(token: str | None, route: StaffRoute = route) -> int:
                headers = {"authorization": f"Bearer {token}"} if token else {}
                body = {} if route.method in ("POST", "PUT", "PATCH") else None
                response = await client.request(
                    route.method, route.url(), headers=headers, json=body
                )
                return response.status_code

            for kind, token in {"no token": None, **refused}.items():
                if (status := await call(token)) != 401:
                    wrong.append(f"{route.method} {route.path} with {kind}: {status}, not 401")
            for role, principal in PRINCIPALS.items():
                # A fresh session per call: a permitted logout must not end the next call's one.
                status = await call(tokens.issue(principal, timedelta(minutes=5)))
                if route.allows(role) and status in (401, 403):
                    wrong.append(f"{route.method} {route.path} as {role}: {status}, allowed")
                if not route.allows(role) and status != 403:
                    wrong.append(f"{route.method} {route.path} as {role}: {status}, not 403")
    assert wrong == [], "\n".join(wrong)
