"""Staff identity over HTTP: login, logout, own password and profile, user management and the
audit log. Thin: every rule lives in shared.sessions and shared.accounts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from shared.accounts import Accounts, UserUpdate
from shared.audit import AuditLog
from shared.auth import SESSION_COOKIE, Action, Principal, require, signed_in
from shared.http import client_address, field_error
from shared.runtime import ServiceRuntime
from shared.sessions import (
    LoginRefusedError,
    LoginThrottle,
    LoginThrottledError,
    RevocationStore,
    Session,
    SignIn,
)
from shared.users import PASSWORD_MAX_LENGTH, AccountError, NewUser, Passwords, UserStore

Answer = dict[str, Any] | JSONResponse | Response
SignedIn = Annotated[Principal, Depends(signed_in())]
UserManager = Annotated[Principal, Depends(require(Action.USER_MANAGE))]
AuditReader = Annotated[Principal, Depends(require(Action.AUDIT_READ))]


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH, repr=False)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH, repr=False)
    new_password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH, repr=False)


def _refused(exc: AccountError) -> JSONResponse:
    return field_error(exc.status_code, exc.field, exc.reason)


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH, repr=False)


class Identity:
    """The identity use cases wired once per service, shared by the API and the console."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        settings = runtime.settings
        self.db = runtime.directory_db
        self.users, self.passwords, self.audit = UserStore(self.db), Passwords(), AuditLog(self.db)
        self.revocations = RevocationStore(self.db)
        self.accounts = Accounts(
            self.users, runtime.directory, self.passwords, self.revocations, self.audit
        )
        self.ttl = timedelta(minutes=settings.session_minutes)
        self.secure_cookie = settings.public_base_url.startswith("https://")
        self.trust_forwarded_for = settings.trust_forwarded_for

    def client(self, request: Request) -> str:
        """Who is signing in, for the per-client login limit."""
        return client_address(request, self.trust_forwarded_for)

    def sign_in(self, request: Request) -> SignIn:
        tokens = request.app.state.tokens  # the codec every service verifies with
        return SignIn(
            self.users,
            self.passwords,
            LoginThrottle(self.db),
            self.revocations,
            self.audit,
            tokens,
            self.ttl,
        )

    def start_cookie(self, response: Response, session: Session) -> None:
        """The session cookie: HttpOnly, SameSite=Lax, Secure behind https, ending with it."""
        response.set_cookie(
            SESSION_COOKIE,
            session.token,
            max_age=int(self.ttl.total_seconds()),  # the token's lifetime, issued just now
            expires=session.expires_at,
            httponly=True,
            secure=self.secure_cookie,
            samesite="lax",
            path="/",
        )

    def end_cookie(self, response: Response) -> Response:
        response.delete_cookie(
            SESSION_COOKIE, path="/", httponly=True, secure=self.secure_cookie, samesite="lax"
        )
        return response


def router(identity: Identity) -> APIRouter:
    users, accounts, audit = identity.users, identity.accounts, identity.audit
    sign_in, _end_cookie = identity.sign_in, identity.end_cookie
    api = APIRouter(prefix="/api/v1/staff", tags=["staff: identity"])

    @api.post("/auth/login", response_model=None)
    async def login(body: LoginRequest, request: Request, response: Response) -> Answer:
        try:
            session = await sign_in(request).login(
                body.username, body.password, identity.client(request)
            )
        except LoginThrottledError as exc:
            return JSONResponse(
                {"detail": "Terlalu banyak percobaan masuk. Coba lagi nanti."},
                status_code=429,
                headers={"Retry-After": str(exc.retry_after)},
            )
        except LoginRefusedError:
            return field_error(401, "password", "Nama pengguna atau kata sandi salah")
        identity.start_cookie(response, session)
        return {
            "token": session.token,
            "token_type": "bearer",
            "expires_at": session.expires_at.isoformat(),
            "user": session.user.public(),
        }

    @api.post("/auth/logout", status_code=204, response_model=None)
    async def logout(request: Request, principal: SignedIn) -> Response:
        await sign_in(request).logout(principal)
        return _end_cookie(Response(status_code=204))

    @api.post("/auth/password", status_code=204, response_model=None)
    async def change_password(body: PasswordChange, principal: SignedIn) -> Answer:
        try:
            await accounts.change_password(principal, body.current_password, body.new_password)
        except AccountError as exc:
            return _refused(exc)
        return _end_cookie(Response(status_code=204))

    @api.get("/me", response_model=None)
    async def me(principal: SignedIn) -> Answer:
        user = await users.by_id(principal.user_id)
        if user is None or not user.active:
            return field_error(404, "user", "Akun tidak ditemukan")
        permissions = sorted(action.value for action in Action if principal.may(action))
        return {"user": user.public(), "permissions": permissions}

    @api.get("/users", response_model=None)
    async def list_users(principal: UserManager) -> Answer:
        return {"users": [user.public() for user in await accounts.visible_users(principal)]}

    @api.post("/users", status_code=201, response_model=None)
    async def create_user(body: NewUser, principal: UserManager) -> Answer:
        try:
            return (await accounts.create(body, principal)).public()
        except AccountError as exc:
            return _refused(exc)

    @api.get("/users/{user_id}", response_model=None)
    async def read_user(user_id: str, principal: UserManager) -> Answer:
        try:
            return (await accounts.get(principal, user_id)).public()
        except AccountError as exc:
            return _refused(exc)

    @api.patch("/users/{user_id}", response_model=None)
    async def update_user(user_id: str, body: UserUpdate, principal: UserManager) -> Answer:
        try:
            return (await accounts.update(principal, user_id, body)).public()
        except AccountError as exc:
            return _refused(exc)

    @api.post("/users/{user_id}/password", status_code=204, response_model=None)
    async def reset_password(user_id: str, body: PasswordReset, principal: UserManager) -> Answer:
        """Another user's new password (forgotten); every session of theirs ends."""
        try:
            await accounts.set_password_of(principal, user_id, body.password)
        except AccountError as exc:
            return _refused(exc)
        return Response(status_code=204)

    @api.get("/audit", response_model=None)
    async def audit_entries(
        principal: AuditReader,
        action: Annotated[str | None, Query(max_length=60)] = None,
        before: datetime | None = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> Answer:
        entries = await audit.entries(
            clinic=principal.clinic,
            district=principal.district,
            action=action,
            before=before,
            limit=limit,
        )
        return {"entries": [entry.model_dump(mode="json") for entry in entries]}

    return api
