"""Staff accounts: the user document every service agrees on, its placement rules, password
hashing (argon2id) and the store on the directory database's ``users`` collection."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pymongo.errors import DuplicateKeyError

from shared.auth import Principal, Role
from shared.storage import Database

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,39}$"
PHONE_PATTERN = r"^\+62[0-9]{8,13}$"
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
NotifyChannel = Literal["email", "whatsapp"]
NOTIFY_CHANNELS: tuple[NotifyChannel, ...] = ("email", "whatsapp")

# Staff of a clinic (or of one of its units) and staff of the district office.
CLINIC_ROLES = frozenset(
    {Role.OFFICER, Role.COMPLAINT_TEAM, Role.QUALITY_TEAM, Role.HEAD, Role.UNIT}
)
DISTRICT_ROLES = frozenset({Role.DISTRICT, Role.ADMIN})


class AccountError(Exception):
    """A refused account operation, naming the field and the reason (shown to the user)."""

    status_code = 422

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class AccountNotFoundError(AccountError):
    status_code = 404


class AccountConflictError(AccountError):
    status_code = 409


class AccountForbiddenError(AccountError):
    status_code = 403


class StaffUser(BaseModel):
    """One staff member, as stored (``id`` is the document's ``_id``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    username: str
    name: str
    role: Role
    district: str
    clinic: str | None = None
    unit: str | None = None
    email: str | None = None
    phone: str | None = None
    # None until the member chooses: then the alerts follow their contact details.
    notify_channels: tuple[NotifyChannel, ...] | None = None
    digest: bool = False
    active: bool = True
    password_hash: str = Field(repr=False)
    created_at: datetime
    password_changed_at: datetime

    def principal(self, token_id: str | None = None) -> Principal:
        return Principal(
            user_id=self.id,
            role=self.role,
            district=self.district,
            clinic=self.clinic,
            unit=self.unit,
            name=self.name,
            token_id=token_id,
        )

    @property
    def alert_channels(self) -> tuple[NotifyChannel, ...]:
        return alert_channels(self.notify_channels, self.email, self.phone)

    def public(self) -> dict[str, Any]:
        """What the API shows of an account: everything but the password hash."""
        return self.model_dump(mode="json", exclude={"password_hash"})


class Profile(BaseModel):
    """The fields of an account a person may fill in, refused when unknown."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    notify_channels: tuple[NotifyChannel, ...] | None = None
    digest: bool = False


class NewUser(Profile):
    username: str = Field(pattern=USERNAME_PATTERN)
    role: Role
    clinic: str | None = Field(default=None, max_length=8)
    unit: str | None = Field(default=None, max_length=40)
    district: str | None = Field(default=None, max_length=40)
    password: str = Field(repr=False, max_length=PASSWORD_MAX_LENGTH)


def placement_problem(role: Role, clinic: str | None, unit: str | None) -> AccountError | None:
    """Why a role cannot sit at this clinic/unit, or None: clinic roles need a clinic, only
    unit users have a unit, district roles have neither."""
    if role in DISTRICT_ROLES:
        if clinic is not None:
            return AccountError("clinic", "Peran dinas/admin tidak terikat pada puskesmas")
        if unit is not None:
            return AccountError("unit", "Peran dinas/admin tidak terikat pada unit")
        return None
    if clinic is None:
        return AccountError("clinic", "Peran ini wajib terikat pada satu puskesmas")
    if role is Role.UNIT and unit is None:
        return AccountError("unit", "Pengguna unit wajib terikat pada satu unit")
    if role is not Role.UNIT and unit is not None:
        return AccountError("unit", "Hanya pengguna unit yang terikat pada unit")
    return None


def alert_channels(
    chosen: Sequence[str] | None, email: str | None, phone: str | None
) -> tuple[NotifyChannel, ...]:
    """The channels a staff member is alerted over: the ones they chose, or, while they have
    not chosen, e-mail when they have an address and WhatsApp when they have a mobile number
    (a new account is alerted over every contact detail it was given, never over none)."""
    if chosen is not None:
        return tuple(c for c in NOTIFY_CHANNELS if c in chosen)
    return tuple(c for c, address in zip(NOTIFY_CHANNELS, (email, phone), strict=True) if address)


def alert_problem(
    channels: Sequence[str], email: str | None, phone: str | None
) -> AccountError | None:
    """Why these alert channels cannot work for these contact details, or None."""
    if "email" in channels and not email:
        return AccountError("notify_channels", "Pemberitahuan lewat email memerlukan alamat email")
    if "whatsapp" in channels and not phone:
        return AccountError("notify_channels", "Pemberitahuan lewat WhatsApp memerlukan nomor HP")
    return None


def password_problem(password: str, username: str) -> AccountError | None:
    if len(password) < PASSWORD_MIN_LENGTH:
        return AccountError("password", f"Kata sandi minimal {PASSWORD_MIN_LENGTH} karakter")
    if len(password) > PASSWORD_MAX_LENGTH:
        return AccountError("password", f"Kata sandi maksimal {PASSWORD_MAX_LENGTH} karakter")
    if username.lower() in password.lower():
        return AccountError("password", "Kata sandi tidak boleh memuat nama pengguna")
    return None


class Passwords:
    """argon2id hashing; hashing and verifying run in a thread, off the event loop."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._decoy: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether ``password`` matches; with no hash (unknown user) the same work is done
        against a decoy, so that the answer's timing does not reveal which usernames exist."""
        if password_hash is None:
            self._decoy = self._decoy or await self.hash(uuid.uuid4().hex)
            password_hash = self._decoy
            password = ""
        try:
            return await asyncio.to_thread(self._hasher.verify, password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def new_user_document(
    new: NewUser, district: str, password_hash: str, now: datetime | None = None
) -> dict[str, Any]:
    created = now or datetime.now(UTC)
    return {
        "_id": uuid.uuid4().hex,
        "username": new.username,
        "name": new.name,
        "role": new.role.value,
        "district": district,
        "clinic": new.clinic,
        "unit": new.unit,
        "email": str(new.email) if new.email else None,
        "phone": new.phone,
        "notify_channels": None if new.notify_channels is None else list(new.notify_channels),
        "digest": new.digest,
        "active": True,
        "password_hash": password_hash,
        "created_at": created,
        "password_changed_at": created,
    }


def _user(doc: Mapping[str, Any]) -> StaffUser:
    return StaffUser.model_validate({**doc, "id": doc["_id"]})


class UserStore:
    """The ``users`` collection of the directory database."""

    def __init__(self, db: Database) -> None:
        self._users = db["users"]

    async def insert(self, doc: dict[str, Any]) -> StaffUser:
        try:
            await self._users.insert_one(doc)
        except DuplicateKeyError as exc:
            raise AccountConflictError("username", "Nama pengguna sudah dipakai") from exc
        return _user(doc)

    async def by_id(self, user_id: str) -> StaffUser | None:
        doc = await self._users.find_one({"_id": user_id})
        return _user(doc) if doc else None

    async def by_username(self, username: str) -> StaffUser | None:
        doc = await self._users.find_one({"username": username.strip().lower()})
        return _user(doc) if doc else None

    async def find(
        self, *, clinic: str | None = None, district: str | None = None, limit: int = 500
    ) -> list[StaffUser]:
        query = {"clinic": clinic} if clinic else {"district": district}
        cursor = self._users.find(query).sort("username", 1).limit(limit)
        return [_user(doc) async for doc in cursor]

    async def update(self, user_id: str, changes: Mapping[str, Any]) -> StaffUser | None:
        await self._users.update_one({"_id": user_id}, {"$set": dict(changes)})
        return await self.by_id(user_id)
