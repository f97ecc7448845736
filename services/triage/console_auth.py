"""Signing in and out of the staff console: the same ``SignIn`` as the API (throttled and
audited) and the same session cookie, set by ``Identity``."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from services.triage.console_web import Console, text_of
from services.triage.identity_api import Identity
from shared.sessions import LoginRefusedError, LoginThrottledError
from shared.users import PASSWORD_MAX_LENGTH
from shared.web.forms import FORM_EXPIRED
from shared.web.staff import LOGIN_PATH, home_of, page_principal

WRONG = "Nama pengguna atau kata sandi salah."
THROTTLED = "Terlalu banyak percobaan masuk. Coba lagi beberapa menit lagi."
REQUIRED = "Wajib diisi"
# What the login page says on arrival (``?selesai=``), after a step that ended the session.
NOTICES = {"kata-sandi": "Kata sandi diganti. Silakan masuk dengan kata sandi baru."}


def local_path(target: str) -> str | None:
    """``target`` when it is a path of this origin (never another site: no ``//host`` or
    ``/\\host``, no scheme, no control characters), else None."""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target) or target.startswith(LOGIN_PATH):
        return None
    return target


def router(console: Console, identity: Identity) -> APIRouter:
    web = APIRouter()

    def login_page(
        request: Request,
        username: str = "",
        next_path: str = "",
        errors: dict[str, str] | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        arrived = request.query_params.get("selesai", "")
        notice = NOTICES.get(arrived) if status_code == 200 else None
        page = console.pages.render(
            request,
            "masuk.html",
            status_code=status_code,
            username=username,
            next_path=next_path,
            errors=errors or {},
            alert=alert,
            notice=notice,
        )
        page.headers["Cache-Control"] = "no-store"
        return page

    @web.get("/konsol/masuk", response_model=None)
    async def login_form(request: Request) -> Response:
        next_path = local_path(request.query_params.get("next", "")) or ""
        principal = await page_principal(request)
        if principal is not None:
            return RedirectResponse(next_path or home_of(principal), status_code=303)
        return login_page(request, next_path=next_path)

    @web.post("/konsol/masuk", response_model=None)
    async def login(request: Request) -> Response:
        form, genuine = await console.posted(request)
        username = text_of(form, "username", 40).lower()
        password = form.get("password")
        password = password[:PASSWORD_MAX_LENGTH] if isinstance(password, str) else ""
        next_path = local_path(text_of(form, "next", 2000)) or ""
        if not genuine:
            return login_page(request, username, next_path, alert=FORM_EXPIRED, status_code=403)
        typed = (("username", username), ("password", password))
        errors = {name: REQUIRED for name, value in typed if not value}
        if errors:
            return login_page(request, username, next_path, errors, status_code=422)
        try:
            session = await identity.sign_in(request).login(
                username, password, identity.client(request)
            )
        except LoginThrottledError:
            return login_page(request, username, next_path, alert=THROTTLED, status_code=429)
        except LoginRefusedError:
            return login_page(request, username, next_path, alert=WRONG, status_code=401)
        answer = RedirectResponse(next_path or home_of(session.principal), status_code=303)
        identity.start_cookie(answer, session)
        return answer

    @web.post("/konsol/keluar", response_model=None)
    async def logout(request: Request) -> Response:
        _form, genuine = await console.posted(request)
        principal = await page_principal(request)
        if principal is not None and genuine:
            await identity.sign_in(request).logout(principal)
        elif principal is not None:
            # A forged sign-out must not end anyone's session: back where they were.
            return RedirectResponse("/konsol/", status_code=303)
        return identity.end_cookie(RedirectResponse(LOGIN_PATH, status_code=303))

    @web.get("/konsol", response_model=None)
    async def console_root() -> Response:
        return RedirectResponse("/konsol/", status_code=303)

    return web
