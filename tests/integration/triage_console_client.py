"""A browser-like client of the staff console for integration tests: it keeps cookies, reads the
CSRF token from the page it is on and posts forms the way a browser does."""

from __future__ import annotations

import re
from typing import Any

import httpx

from ops.seed import DEMO_PASSWORD
from tests.integration.triage_harness import Harness

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {page.url}"
    return found.group(1)


class ConsoleClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def login(
        self, username: str, password: str = DEMO_PASSWORD, next_path: str = ""
    ) -> httpx.Response:
        """Sign in through the login form; answers the form's response (not followed)."""
        form = await self.http.get("/konsol/masuk")
        return await self.http.post(
            "/konsol/masuk",
            data={
                "csrf_token": csrf_of(form),
                "username": username,
                "password": password,
                "next": next_path,
            },
            headers={"x-forwarded-for": "192.0.2.20"},
        )

    async def submit(self, page_path: str, action: str, fields: dict[str, Any]) -> httpx.Response:
        """Open ``page_path`` and post ``fields`` to ``action`` with that page's CSRF token."""
        page = await self.http.get(page_path)
        assert page.status_code == 200, page.text
        return await self.http.post(action, data={"csrf_token": csrf_of(page), **fields})

    async def command(
        self, complaint_id: object, name: str, fields: dict[str, Any]
    ) -> httpx.Response:
        """Run a command from the complaint page, on the version that page shows."""
        page = await self.http.get(f"/konsol/aduan/{complaint_id}")
        assert page.status_code == 200, page.text
        version = VERSION.search(page.text)
        assert version, "the page offers no command"
        return await self.http.post(
            f"/konsol/aduan/{complaint_id}/{name}",
            data={"csrf_token": csrf_of(page), "version": version.group(1), **fields},
        )


def browser(triage: Harness) -> ConsoleClient:
    """One more person's browser on the running service, with cookies of its own."""
    transport = httpx.ASGITransport(app=triage.triage.app)
    return ConsoleClient(httpx.AsyncClient(transport=transport, base_url="http://sigap.test"))


async def signed_in(
    triage: Harness, username: str, password: str = DEMO_PASSWORD, *, new_browser: bool = False
) -> ConsoleClient:
    """``username`` signed in through the login form: on the harness's own client (whose
    cookies the test's later ``triage.http`` requests carry), or in a browser of their own."""
    console = browser(triage) if new_browser else ConsoleClient(triage.http)
    assert (await console.login(username, password)).status_code == 303
    return console
