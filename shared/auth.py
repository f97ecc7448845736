"""Identity and access, the same in every service: roles, the one permission table, signed
tokens, and the one FastAPI dependency that checks them.

A staff request carries a bearer token (API) or the ``sigap_session`` cookie (web pages). Every
service verifies it here — signature, expiry, audience, issuer — and then asks the table below
whether the role may do the action. Clinic isolation is a separate question asked of the
principal (``sees_clinic``): an object of another clinic answers 404, never 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

import jwt
from fastapi import HTTPException, Request

SESSION_COOKIE = "sigap_session"
ALGORITHM = "HS256"


class Role(StrEnum):
    OFFICER = "officer"  # petugas pelayanan / pengelola aduan
    COMPLAINT_TEAM = "complaint_team"  # tim pengelola aduan dan umpan balik
    QUALITY_TEAM = "quality_team"  # tim mutu
    HEAD = "head"  # kepala puskesmas
    UNIT = "unit"  # unit terkait
    DISTRICT = "district"  # dinas kesehatan
    ADMIN = "admin"  # operator


class Action(StrEnum):
    COMPLAINT_RECORD = "complaint.record"  # staff entry of the staff-logged channels
    COMPLAINT_READ = "complaint.read"
    COMPLAINT_TRIAGE = "complaint.triage"
    COMPLAINT_ASSIGN = "complaint.assign"
    COMPLAINT_PLAN = "complaint.plan"
    COMPLAINT_PROGRESS = "complaint.progress"
    COMPLAINT_ESCALATE = "complaint.escalate"
    COMPLAINT_REPLY = "complaint.reply"
    COMPLAINT_CLOSE = "complaint.close"
    COMPLAINT_REOPEN = "complaint.reopen"
    COMPLAINT_REJECT = "complaint.reject"
    IDENTITY_READ = "complaint.identity.read"  # the reporter's name and contact
    SURVEY_RECORD = "survey.record"
    REPORT_READ = "report.read"
    REPORT_EXPORT = "report.export"
    DISTRICT_READ = "district.read"  # aggregates across the district's clinics
    VISITS_RECORD = "visits.record"  # monthly visit counts: the base of rates and survey samples
    USER_MANAGE = "user.manage"
    AUDIT_READ = "audit.read"
    SETTINGS_MANAGE = "settings.manage"


A = Action
_WORKFLOW = frozenset(
    {
        A.COMPLAINT_READ,
        A.COMPLAINT_TRIAGE,
        A.COMPLAINT_ASSIGN,
        A.COMPLAINT_PLAN,
        A.COMPLAINT_PROGRESS,
        A.COMPLAINT_ESCALATE,
        A.COMPLAINT_REPLY,
        A.COMPLAINT_CLOSE,
        A.COMPLAINT_REOPEN,
        A.COMPLAINT_REJECT,
    }
)
# The one table of who may do what (SPEC §1). Handlers never test roles themselves.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.OFFICER: frozenset(
        {A.COMPLAINT_RECORD, A.COMPLAINT_READ, A.COMPLAINT_ASSIGN, A.SURVEY_RECORD}
    ),
    Role.COMPLAINT_TEAM: _WORKFLOW
    | {A.COMPLAINT_RECORD, A.IDENTITY_READ, A.SURVEY_RECORD, A.REPORT_READ, A.REPORT_EXPORT},
    Role.QUALITY_TEAM: frozenset(
        {A.COMPLAINT_READ, A.COMPLAINT_PLAN, A.SURVEY_RECORD, A.REPORT_READ, A.REPORT_EXPORT}
    ),
    Role.HEAD: _WORKFLOW
    | {
        A.COMPLAINT_RECORD,
        A.IDENTITY_READ,
        A.SURVEY_RECORD,
        A.REPORT_READ,
        A.REPORT_EXPORT,
        A.USER_MANAGE,
        A.AUDIT_READ,
        A.VISITS_RECORD,
    },
    Role.UNIT: frozenset({A.COMPLAINT_READ, A.COMPLAINT_PROGRESS, A.COMPLAINT_PLAN}),
    Role.DISTRICT: frozenset({A.REPORT_READ, A.REPORT_EXPORT, A.DISTRICT_READ, A.VISITS_RECORD}),
    Role.ADMIN: frozenset(
        {
            A.USER_MANAGE,
            A.AUDIT_READ,
            A.SETTINGS_MANAGE,
            A.REPORT_READ,
            A.DISTRICT_READ,
            A.VISITS_RECORD,
        }
    ),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated staff member behind a request."""

    user_id: str
    role: Role
    district: str
    clinic: str | None = None  # None for district and admin users
    unit: str | None = None  # set for unit users
    name: str | None = None
    token_id: str | None = None
    expires_at: datetime | None = None  # of the session token, when read from one

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def sees_clinic(self, clinic: str, district: str) -> bool:
        """Whether an object of ``clinic`` (in ``district``) exists for this principal at all."""
        if self.clinic is None:
            return district == self.district
        return clinic == self.clinic

    @property
    def sees_identity(self) -> bool:
        return self.may(Action.IDENTITY_READ)


class InvalidTokenError(Exception):
    pass


class TokenCodec:
    """Signs and verifies session tokens (JWT, HS256) with issuer and audience checked."""

    def __init__(
        self, secret: str, *, issuer: str = "sigap", audience: str = "sigap-staff"
    ) -> None:
        if len(secret) < 32:
            raise ValueError("the token secret must be at least 32 characters")
        self._secret = secret
        self.issuer = issuer
        self.audience = audience

    def issue(self, principal: Principal, ttl: timedelta, now: datetime | None = None) -> str:
        issued = now or datetime.now(UTC)
        claims: dict[str, Any] = {
            "sub": principal.user_id,
            "role": principal.role.value,
            "district": principal.district,
            "clinic": principal.clinic,
            "unit": principal.unit,
            "name": principal.name,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued,
            "nbf": issued,
            "exp": issued + ttl,
            "jti": principal.token_id or uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "aud", "iss", "jti"]},
            )
            return Principal(
                user_id=str(claims["sub"]),
                role=Role(claims["role"]),
                district=str(claims["district"]),
                clinic=claims.get("clinic"),
                unit=claims.get("unit"),
                name=claims.get("name"),
                token_id=str(claims["jti"]),
                expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            )
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise InvalidTokenError(str(exc)) from exc


class RevocationCheck(Protocol):
    async def is_revoked(self, token_id: str) -> bool: ...


def token_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(SESSION_COOKIE)


class Requirement:
    """FastAPI dependency: the caller's principal, refused with 401/403 unless it may ``action``
    (``None``: any signed-in staff member).

    The service puts its ``TokenCodec`` in ``app.state.tokens`` and, where logout and password
    change must revoke sessions, a ``RevocationCheck`` in ``app.state.revocations``. The action
    stays readable on the dependency so that tests can walk every route and check the table.
    """

    def __init__(self, action: Action | None) -> None:
        self.action = action

    def __repr__(self) -> str:
        return f"Requirement({self.action!s})"

    async def __call__(self, request: Request) -> Principal:
        token = token_from(request)
        if token is None:
            raise HTTPException(401, "Silakan masuk terlebih dahulu")
        codec: TokenCodec = request.app.state.tokens
        try:
            principal = codec.verify(token)
        except InvalidTokenError as exc:
            raise HTTPException(401, "Sesi tidak valid atau sudah berakhir") from exc
        revocations: RevocationCheck | None = getattr(request.app.state, "revocations", None)
        if revocations is not None and await revocations.is_revoked(principal.token_id or ""):
            raise HTTPException(401, "Sesi sudah diakhiri")
        if self.action is not None and not principal.may(self.action):
            raise HTTPException(403, "Anda tidak berwenang untuk tindakan ini")
        return principal


def require(action: Action) -> Requirement:
    """The dependency of a staff route: ``Depends(require(Action.X))``."""
    return Requirement(action)


def signed_in() -> Requirement:
    """The dependency of a route every signed-in staff member may use (own profile, logout)."""
    return Requirement(None)
