"""How a staff member is alerted (by e-mail and/or WhatsApp, one by one or in a daily digest):
every member sets their own at /konsol/preferensi, a head or admin a user's on the user page
(``console_users``). Both go through ``Accounts.update``, as the staff API does (audited)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from services.triage.console_forms import field_errors
from services.triage.console_web import Console, text_of
from services.triage.identity_api import Identity
from shared.accounts import UserUpdate
from shared.auth import Principal
from shared.users import NOTIFY_CHANNELS, AccountError, StaffUser, alert_problem
from shared.web.forms import FORM_EXPIRED, form_state

PREFERENCES_PATH = "/konsol/preferensi"
SAVED = "Preferensi pemberitahuan disimpan."
FIELD_PATTERNS = {
    "phone": "Nomor HP tidak valid. Contoh: +6281234567890",
    "email": "Alamat email tidak valid. Contoh: nama@contoh.id",
}


class PreferenceFormError(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def typed_preferences(form: FormData) -> dict[str, Any]:
    """What the form holds, as the page shows it back."""
    chosen = {str(value) for value in form.getlist("notify_channels")}
    return {
        "notify_channels": [c for c in NOTIFY_CHANNELS if c in chosen],
        "digest": text_of(form, "digest") == "1",
        "email": text_of(form, "email", 200),
        "phone": text_of(form, "phone", 40),
    }


def preferences_of(user: StaffUser) -> dict[str, Any]:
    return {
        "notify_channels": list(user.alert_channels),
        "digest": user.digest,
        "email": user.email or "",
        "phone": user.phone or "",
    }


def preference_update(typed: dict[str, Any]) -> UserUpdate:
    """The account change the form asks for. No box ticked is a choice too (no alerts), so
    the channels are always sent; a channel needs its contact detail."""
    try:
        update = UserUpdate.model_validate(
            {
                "notify_channels": typed["notify_channels"],
                "digest": typed["digest"],
                "email": typed["email"] or None,
                "phone": typed["phone"] or None,
            }
        )
    except ValidationError as exc:
        errors = field_errors(exc)
        errors.update({k: v for k, v in FIELD_PATTERNS.items() if k in errors})
        raise PreferenceFormError(errors) from exc
    email = str(update.email) if update.email else None
    problem = alert_problem(typed["notify_channels"], email, update.phone)
    if problem:
        raise PreferenceFormError({problem.field: problem.reason})
    return update


async def save_preferences(
    identity: Identity, principal: Principal, user_id: str, form: FormData
) -> dict[str, Any]:
    """Save what the form asks for; the typed values, for the page to show back."""
    typed = typed_preferences(form)
    try:
        await identity.accounts.update(principal, user_id, preference_update(typed))
    except AccountError as exc:
        raise PreferenceFormError({exc.field: exc.reason}) from exc
    return typed


def router(console: Console, identity: Identity) -> APIRouter:
    web = APIRouter()

    async def page(
        request: Request,
        principal: Principal,
        status_code: int = 200,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        alert: str | None = None,
    ) -> HTMLResponse:
        user = await identity.accounts.get(principal, principal.user_id)
        saved = status_code == 200 and request.query_params.get("selesai") == "1"
        return console.render(
            request,
            principal,
            "preferensi.html",
            status_code,
            preferences=values or preferences_of(user),
            notice=SAVED if saved else None,
            **form_state(errors, alert),
        )

    @web.get(PREFERENCES_PATH, response_model=None)
    async def preferences_form(request: Request) -> Response:
        principal = await console.signed_in(request)
        if isinstance(principal, Response):
            return principal
        return await page(request, principal)

    @web.post(PREFERENCES_PATH, response_model=None)
    async def change_preferences(request: Request) -> Response:
        principal = await console.signed_in(request)
        if isinstance(principal, Response):
            return principal
        form, genuine = await console.posted(request)
        if not genuine:
            return await page(request, principal, 403, typed_preferences(form), None, FORM_EXPIRED)
        try:
            await save_preferences(identity, principal, principal.user_id, form)
        except PreferenceFormError as refused:
            typed = typed_preferences(form)
            return await page(request, principal, 422, typed, refused.errors)
        return RedirectResponse(f"{PREFERENCES_PATH}?selesai=1", status_code=303)

    return web
