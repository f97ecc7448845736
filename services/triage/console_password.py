"""A staff member's own password (/konsol/kata-sandi), for every role: the same
``Accounts.change_password`` as the API (old password checked, the new one vetted, every
session of the member ended, audited); afterwards the browser signs in again."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from services.triage.console_web import Console
from services.triage.identity_api import Identity
from shared.auth import Principal
from shared.users import PASSWORD_MAX_LENGTH, AccountError
from shared.web.forms import FORM_EXPIRED, form_state
from shared.web.staff import LOGIN_PATH

PASSWORD_PATH = "/konsol/kata-sandi"
CHANGED = "kata-sandi"  # the login page's notice after the change
REQUIRED = "Wajib diisi"
PASSWORDS_DIFFER = "Kedua kata sandi tidak sama"
FIELDS = ("current_password", "new_password", "new_password2")


def router(console: Console, identity: Identity) -> APIRouter:
    web = APIRouter()

    def page(
        request: Request,
        principal: Principal,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        alert: str | None = None,
    ) -> HTMLResponse:
        # Passwords are never sent back into the form, even when a field is refused.
        return console.render(
            request,
            principal,
            "kata_sandi.html",
            status_code,
            **form_state(errors, alert),
        )

    @web.get(PASSWORD_PATH, response_model=None)
    async def password_form(request: Request) -> Response:
        principal = await console.signed_in(request)
        if isinstance(principal, Response):
            return principal
        return page(request, principal)

    @web.post(PASSWORD_PATH, response_model=None)
    async def change_password(request: Request) -> Response:
        principal = await console.signed_in(request)
        if isinstance(principal, Response):
            return principal
        form, genuine = await console.posted(request)
        if not genuine:
            return page(request, principal, 403, alert=FORM_EXPIRED)
        typed = {
            name: value[:PASSWORD_MAX_LENGTH] if isinstance(value := form.get(name), str) else ""
            for name in FIELDS
        }
        errors = {name: REQUIRED for name, value in typed.items() if not value}
        if not errors and typed["new_password"] != typed["new_password2"]:
            errors["new_password2"] = PASSWORDS_DIFFER
        if errors:
            return page(request, principal, 422, errors)
        try:
            await identity.accounts.change_password(
                principal, typed["current_password"], typed["new_password"]
            )
        except AccountError as exc:
            return page(request, principal, exc.status_code, {exc.field: exc.reason})
        answer = RedirectResponse(f"{LOGIN_PATH}?selesai={CHANGED}", status_code=303)
        return identity.end_cookie(answer)

    return web
