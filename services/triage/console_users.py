"""User management (/konsol/pengguna) for the head (own clinic) and the admin (own district),
and the audit log (/konsol/audit). Every rule is ``shared.accounts``'s, as in the staff API:
scope (another clinic's user is not found), roles a head may give, sessions ended when a
person's rights or password change, an audit entry for each change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from services.triage import console_labels as labels
from services.triage.console_forms import field_errors
from services.triage.console_preferences import (
    SAVED,
    PreferenceFormError,
    preferences_of,
    save_preferences,
    typed_preferences,
)
from services.triage.console_web import Console, text_of
from services.triage.identity_api import Identity
from shared.accounts import UserUpdate
from shared.auth import Action, Principal, Role
from shared.users import CLINIC_ROLES, AccountError, NewUser, StaffUser
from shared.web.forms import FORM_EXPIRED, form_state

NEW_FIELDS = ("username", "name", "role", "clinic", "unit", "email", "phone")
PATTERNS = {
    "username": "Huruf kecil, angka, titik, minus atau garis bawah; 3–40 karakter",
    "phone": "Nomor HP tidak valid. Contoh: +6281234567890",
    "email": "Alamat email tidak valid. Contoh: nama@contoh.id",
}
PASSWORDS_DIFFER = "Kedua kata sandi tidak sama"
DONE = {
    "dibuat": "Pengguna dibuat.",
    "peran": "Peran disimpan. Sesi pengguna itu diakhiri.",
    "status": "Status akun disimpan.",
    "kata-sandi": "Kata sandi baru disimpan. Semua sesi pengguna itu diakhiri.",
    "pemberitahuan": SAVED,
}
CHANGES = ("peran", "status", "kata-sandi", "pemberitahuan")
AUDIT_PAGE = 50


def refusal(exc: ValidationError) -> dict[str, str]:
    errors = field_errors(exc)
    for error in exc.errors():
        name = str(error["loc"][0]) if error.get("loc") else ""
        if name in PATTERNS and error["type"] != "missing":
            errors[name] = PATTERNS[name]
    return errors


def roles_for(principal: Principal) -> list[Role]:
    allowed = CLINIC_ROLES if principal.clinic is not None else set(Role)
    return [role for role in Role if role in allowed]


def router(console: Console, identity: Identity) -> APIRouter:
    web = APIRouter()
    accounts = identity.accounts

    async def choices(principal: Principal) -> dict[str, Any]:
        clinics = await console.directory.clinics(principal.district)
        if principal.clinic is not None:
            clinics = [c for c in clinics if c.code == principal.clinic]
        units = sorted({(u.code, u.name) for c in clinics for u in c.units})
        names = dict(units)
        return {
            "roles": roles_for(principal),
            "clinics": clinics,
            "units": units,
            "unit_names": names,
        }

    async def list_page(
        request: Request,
        principal: Principal,
        status_code: int = 200,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        alert: str | None = None,
    ) -> HTMLResponse:
        return console.render(
            request,
            principal,
            "pengguna.html",
            status_code,
            users=await accounts.visible_users(principal),
            values=values or {"clinic": principal.clinic or ""},
            **form_state(errors, alert),
            **(await choices(principal)),
        )

    async def user_page(
        request: Request,
        principal: Principal,
        user: StaffUser,
        status_code: int = 200,
        failed: str | None = None,
        errors: dict[str, str] | None = None,
        alert: str | None = None,
        prefs: dict[str, Any] | None = None,
    ) -> HTMLResponse:
        done = DONE.get(request.query_params.get("selesai", "")) if status_code == 200 else None
        return console.render(
            request,
            principal,
            "pengguna_satu.html",
            status_code,
            user=user,
            failed=failed,
            prefs=prefs or preferences_of(user),
            **form_state(errors, alert),
            notice=done,
            when=labels.local_time,
            **(await choices(principal)),
        )

    @web.get("/konsol/pengguna", response_model=None)
    async def user_list(request: Request) -> Response:
        principal = await console.signed_in(request, Action.USER_MANAGE)
        if isinstance(principal, Response):
            return principal
        return await list_page(request, principal)

    @web.post("/konsol/pengguna", response_model=None)
    async def create_user(request: Request) -> Response:
        principal = await console.signed_in(request, Action.USER_MANAGE)
        if isinstance(principal, Response):
            return principal
        form, genuine = await console.posted(request)
        values = {name: text_of(form, name, 200) for name in NEW_FIELDS}
        if not genuine:
            return await list_page(request, principal, 403, values, alert=FORM_EXPIRED)
        password, repeated = str(form.get("password") or ""), str(form.get("password2") or "")
        if password != repeated:
            errors = {"password2": PASSWORDS_DIFFER}
            return await list_page(request, principal, 422, values, errors)
        body: dict[str, Any] = {k: v for k, v in values.items() if v}
        body["username"] = values["username"].lower()
        try:
            new = NewUser.model_validate({**body, "password": password})
            user = await accounts.create(new, principal)
        except ValidationError as exc:
            return await list_page(request, principal, 422, values, refusal(exc))
        except AccountError as exc:
            errors = {exc.field: exc.reason}
            return await list_page(request, principal, exc.status_code, values, errors)
        return RedirectResponse(f"/konsol/pengguna/{user.id}?selesai=dibuat", status_code=303)

    async def managed(request: Request, user_id: str) -> tuple[Principal, StaffUser] | Response:
        """The manager and the user they manage, or the page to answer instead (a user out
        of the manager's scope is not found, as one that does not exist)."""
        principal = await console.signed_in(request, Action.USER_MANAGE)
        if isinstance(principal, Response):
            return principal
        try:
            return principal, await accounts.get(principal, user_id)
        except AccountError:
            return console.not_found(request, principal)

    @web.get("/konsol/pengguna/{user_id}", response_model=None)
    async def user_detail(request: Request, user_id: str) -> Response:
        found = await managed(request, user_id)
        return await user_page(request, *found) if isinstance(found, tuple) else found

    @web.post("/konsol/pengguna/{user_id}/{change}", response_model=None)
    async def change_user(request: Request, user_id: str, change: str) -> Response:
        found = await managed(request, user_id)
        if not isinstance(found, tuple):
            return found
        principal, user = found
        if change not in CHANGES:
            return console.not_found(request, principal)
        form, genuine = await console.posted(request)
        if not genuine:
            return await user_page(request, principal, user, 403, change, alert=FORM_EXPIRED)
        if change == "pemberitahuan":
            try:
                await save_preferences(identity, principal, user.id, form)
            except PreferenceFormError as refused:
                typed = typed_preferences(form)
                return await user_page(
                    request, principal, user, 422, change, refused.errors, prefs=typed
                )
            return RedirectResponse(f"/konsol/pengguna/{user.id}?selesai={change}", 303)
        try:
            if change == "kata-sandi":
                password = str(form.get("password") or "")
                if password != str(form.get("password2") or ""):
                    raise AccountError("password2", PASSWORDS_DIFFER)
                await accounts.set_password_of(principal, user.id, password)
            else:
                fields: dict[str, Any] = (
                    {"role": text_of(form, "role", 40), "unit": text_of(form, "unit", 40) or None}
                    if change == "peran"
                    else {"active": text_of(form, "active") == "1"}
                )
                update = UserUpdate.model_validate(fields)
                await accounts.update(principal, user.id, update)
        except ValidationError as exc:
            return await user_page(request, principal, user, 422, change, refusal(exc))
        except AccountError as exc:
            errors = {exc.field: exc.reason}
            return await user_page(request, principal, user, exc.status_code, change, errors)
        return RedirectResponse(f"/konsol/pengguna/{user.id}?selesai={change}", status_code=303)

    @web.get("/konsol/audit", response_model=None)
    async def audit_log(request: Request) -> Response:
        principal = await console.signed_in(request, Action.AUDIT_READ)
        if isinstance(principal, Response):
            return principal
        action = request.query_params.get("aksi", "")
        action = action if action in labels.AUDIT_ACTIONS else ""
        try:
            before = datetime.fromisoformat(request.query_params.get("sebelum", ""))
        except ValueError:
            before = None
        entries = await identity.audit.entries(
            clinic=principal.clinic,
            district=principal.district,
            action=action or None,
            before=before,
            limit=AUDIT_PAGE,
        )
        names = {u.id: u.username for u in await accounts.visible_users(principal)}
        older = entries[-1].at.isoformat() if len(entries) == AUDIT_PAGE else None
        return console.render(
            request,
            principal,
            "audit.html",
            entries=entries,
            names=names,
            action=action,
            older=older,
            when=labels.local_time,
        )

    return web
