"""Staff pages (console, entry forms, dashboard): who is signed in, and the way back to the
login page. The session is the same ``sigap_session`` cookie the APIs accept, verified by the
same shared dependency, so every service's pages agree on who may see what."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse

from shared.auth import Action, Principal, Role, signed_in

LOGIN_PATH = "/konsol/masuk"
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
    if principal.clinic is not None and principal.may(Action.COMPLAINT_RECORD):
        links.append(("Catat", "/konsol/catat/"))
    if principal.may(Action.REPORT_READ):
        links.append(("Laporan", "/dasbor/"))
    if principal.may(Action.USER_MANAGE):
        links.append(("Pengguna", "/konsol/pengguna"))
    return links
