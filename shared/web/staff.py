"""Staff pages (console, entry forms, dashboard): who is signed in, the way back to the login
page, and ``StaffPages``, what every service's staff pages do around their own work. The
session is the same ``sigap_session`` cookie the APIs accept, verified by the same shared
dependency, so every service's pages agree on who may see what."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from shared.auth import Action, Principal, Role, signed_in
from shared.web.csrf import CSRF_FIELD, csrf_valid
from shared.web.pages import Pages

LOGIN_PATH = "/konsol/masuk"
NOT_ALLOWED_TITLE = "Tidak berwenang"
NOT_ALLOWED = "Anda tidak berwenang membuka halaman ini."
_CHECK = signed_in()


async def page_principal(request: Request) -> Principal | None:
    """The signed-in staff member, or None when the cookie is missing, expired, forged or
    revoked (the page then sends the browser to the login page)."""
    try:
        return await _CHECK(request)
    except HTTPException:
        return None


def to_login(request: Request) -> RedirectResponse:
    """Back to the login page, returning here afterwards (only ever a local path)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{LOGIN_PATH}?next={quote(here, safe='')}", status_code=303)


def home_of(principal: Principal) -> str:
    """Where a staff member lands after login: the district sees the dashboard."""
    if principal.role is Role.DISTRICT or (
        principal.clinic is None and principal.may(Action.DISTRICT_READ)
    ):
        return "/dasbor/"
    return "/konsol/"


def staff_nav(principal: Principal) -> list[tuple[str, str]]:
    """The links of the staff layout's menu (label in Indonesian, path) this role may use."""
    links: list[tuple[str, str]] = []
    if principal.clinic is not None and principal.may(Action.COMPLAINT_READ):
        links.append(("Kotak Masuk", "/konsol/"))
    records = principal.may(Action.COMPLAINT_RECORD) or principal.may(Action.SURVEY_RECORD)
    if principal.clinic is not None and records:
        links.append(("Catat", "/konsol/catat/"))
    if principal.may(Action.REPORT_READ):
        links.append(("Laporan", "/dasbor/"))
    if principal.may(Action.USER_MANAGE):
        links.append(("Pengguna", "/konsol/pengguna"))
    return links


class StaffPages:
    """What every staff page of a service does around its own work: who is signed in and
    allowed (else the login page or the one refusal page), the posted form with its CSRF
    verdict, and rendering inside the staff layout with the member's menu, never cached
    (staff pages are read on shared clinic PCs).

    ``layout``: the service's template the refusal page extends; ``refusal``: that page's
    (title, message), in Indonesian; ``extra``: the service's own template globals."""

    def __init__(
        self,
        pages: Pages,
        layout: str,
        refusal: tuple[str, str] = (NOT_ALLOWED_TITLE, NOT_ALLOWED),
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.pages = pages
        self._layout = layout
        self._refusal = refusal
        self._extra = dict(extra or {})

    async def signed_in(self, request: Request, *actions: Action) -> Principal | Response:
        """The staff member, or the answer to send instead: the login page when the cookie is
        missing, expired, forged or revoked; the refusal page when the role may none of
        ``actions`` (no actions: being signed in is enough)."""
        principal = await page_principal(request)
        if principal is None:
            return to_login(request)
        if actions and not any(principal.may(action) for action in actions):
            return self.refused(request, principal)
        return principal

    @staticmethod
    async def posted(request: Request) -> tuple[FormData, bool]:
        """The posted form and whether its CSRF token matches the cookie's."""
        form = await request.form()
        token = form.get(CSRF_FIELD)
        return form, csrf_valid(request, token if isinstance(token, str) else None)

    def render(
        self,
        request: Request,
        principal: Principal,
        template: str,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        response = self.pages.render(
            request,
            template,
            status_code=status_code,
            principal=principal,
            nav=staff_nav(principal),
            **{**self._extra, **context},
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def refused(self, request: Request, principal: Principal) -> HTMLResponse:
        """The 403 page: the role may not open this page."""
        title, message = self._refusal
        return self.render(
            request,
            principal,
            "dilarang.html",
            403,
            layout=self._layout,
            refusal_title=title,
            refusal_message=message,
        )
