"""Account use cases shared by the staff API and the operator CLI: create, read, update and
deactivate users, change and reset passwords — each scoped, audited and revoking sessions
where a person's rights change.

Scope: a head manages the users of their clinic, an admin those of their district, the operator
(``actor=None``, the ``sigap`` CLI) every user. A user outside the caller's scope does not exist
for the caller (404), as with every object of another clinic.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shared.audit import OPERATOR, AuditAction, AuditLog, DetailValue
from shared.auth import Principal, Role
from shared.directory import Directory
from shared.sessions import RevocationStore
from shared.users import (
    CLINIC_ROLES,
    PHONE_PATTERN,
    AccountConflictError,
    AccountError,
    AccountForbiddenError,
    AccountNotFoundError,
    NewUser,
    NotifyChannel,
    Passwords,
    StaffUser,
    UserStore,
    alert_problem,
    new_user_document,
    password_problem,
    placement_problem,
)

Actor = Principal | None


class UserUpdate(BaseModel):
    """A partial change of an account; only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    notify_channels: tuple[NotifyChannel, ...] | None = None
    digest: bool | None = None
    role: Role | None = None
    unit: str | None = Field(default=None, max_length=40)
    active: bool | None = None


def _check_alerts(user: StaffUser, updates: Mapping[str, Any]) -> None:
    """Chosen alert channels must keep the contact detail they go to."""
    channels = updates.get("notify_channels", user.notify_channels)
    if channels is None:  # not chosen: alerts follow whatever contact details there are
        return
    email = updates.get("email", user.email)
    phone = updates.get("phone", user.phone)
    problem = alert_problem(channels, email, phone)
    if problem:
        raise problem


def _not_found(field: str = "user_id") -> AccountNotFoundError:
    return AccountNotFoundError(field, "Tidak ditemukan")


def in_scope(actor: Actor, user: StaffUser) -> bool:
    if actor is None:
        return True
    if actor.clinic is not None:
        return user.clinic == actor.clinic
    return user.district == actor.district


class Accounts:
    def __init__(
        self,
        users: UserStore,
        directory: Directory,
        passwords: Passwords,
        revocations: RevocationStore,
        audit: AuditLog,
    ) -> None:
        self._users = users
        self._directory = directory
        self._passwords = passwords
        self._revocations = revocations
        self._audit = audit

    async def create(self, new: NewUser, actor: Actor) -> StaffUser:
        new, district = await self._placement(new, actor)
        problem = password_problem(new.password, new.username)
        if problem:
            raise problem
        password_hash = await self._passwords.hash(new.password)
        user = await self._users.insert(new_user_document(new, district, password_hash))
        await self._audit.record(
            AuditAction.USER_CREATED,
            actor=actor or OPERATOR,
            target=user.id,
            clinic=user.clinic,
            district=user.district,
            detail={"username": user.username, "role": user.role.value, "unit": user.unit},
        )
        return user

    async def _placement(self, new: NewUser, actor: Actor) -> tuple[NewUser, str]:
        """The new user placed (a head's clinic by default) and its district, after checking
        that role, clinic and unit fit the caller."""
        if actor is not None and actor.clinic is not None:
            if new.role not in CLINIC_ROLES:
                raise AccountForbiddenError("role", "Peran ini hanya dapat dibuat oleh admin")
            new = new.model_copy(update={"clinic": new.clinic or actor.clinic})
            if new.clinic != actor.clinic:
                raise _not_found("clinic")
        problem = placement_problem(new.role, new.clinic, new.unit)
        if problem:
            raise problem
        if new.clinic is None:
            district = new.district or (actor.district if actor else None)
            if district is None:
                raise AccountError("district", "Wajib diisi untuk peran dinas/admin")
            visible = actor is None or district == actor.district
            if not visible or await self._directory.district(district) is None:
                raise _not_found("district")
            return new, district
        clinic = await self._directory.clinic(new.clinic)
        if clinic is None or (actor is not None and clinic.district != actor.district):
            raise _not_found("clinic")
        if new.district is not None and new.district != clinic.district:
            raise AccountError("district", "Tidak sesuai dengan kabupaten puskesmas")
        if new.unit is not None and not clinic.has_unit(new.unit):
            raise AccountError("unit", "Unit tidak ada di puskesmas ini")
        return new, clinic.district

    async def get(self, actor: Actor, user_id: str) -> StaffUser:
        user = await self._users.by_id(user_id)
        if user is None or not in_scope(actor, user):
            raise _not_found()
        return user

    async def visible_users(self, actor: Principal) -> list[StaffUser]:
        if actor.clinic is not None:
            return await self._users.find(clinic=actor.clinic)
        return await self._users.find(district=actor.district)

    async def update(self, actor: Principal, user_id: str, change: UserUpdate) -> StaffUser:
        user = await self.get(actor, user_id)
        sent = {name for name in change.model_fields_set if name not in ("role", "active")}
        # Only contact details can be cleared with null; a null name or flag means "unchanged".
        updates: dict[str, Any] = {
            name: (str(value) if name == "email" and value else value)
            for name, value in change.model_dump(include=sent).items()
            if value is not None or name in ("email", "phone")
        }
        updates.pop("unit", None)
        if change.role is not None or "unit" in change.model_fields_set:
            updates.update(await self._new_role(actor, user, change))
        if change.active is not None and change.active != user.active:
            if user.id == actor.user_id:
                raise AccountConflictError("active", "Tidak dapat menonaktifkan akun sendiri")
            updates["active"] = change.active
        if not updates:
            return user
        if {"notify_channels", "email", "phone"} & set(updates):
            _check_alerts(user, updates)
        updated = await self._users.update(user.id, updates)
        assert updated is not None
        await self._record_update(actor, user, updated, sorted(updates))
        if (updated.role, updated.unit, updated.active) != (user.role, user.unit, user.active):
            await self._revocations.revoke_user(user.id)
        return updated

    async def _new_role(
        self, actor: Principal, user: StaffUser, change: UserUpdate
    ) -> dict[str, Any]:
        role = change.role or user.role
        unit = change.unit if "unit" in change.model_fields_set else user.unit
        unit = unit if role is Role.UNIT else None
        if (role, unit) == (user.role, user.unit):
            return {}
        if user.id == actor.user_id:
            raise AccountConflictError("role", "Tidak dapat mengubah peran akun sendiri")
        if actor.clinic is not None and role not in CLINIC_ROLES:
            raise AccountForbiddenError("role", "Peran ini hanya dapat diberikan oleh admin")
        problem = placement_problem(role, user.clinic, unit)
        if problem:
            raise AccountError("role", problem.reason)
        clinic = await self._directory.clinic(user.clinic) if user.clinic else None
        if unit is not None and (clinic is None or not clinic.has_unit(unit)):
            raise AccountError("unit", "Unit tidak ada di puskesmas ini")
        return {"role": role.value, "unit": unit}

    async def _record_update(
        self, actor: Principal, before: StaffUser, after: StaffUser, fields: list[str]
    ) -> None:
        async def record(action: AuditAction, detail: dict[str, DetailValue]) -> None:
            await self._audit.record(
                action,
                actor=actor,
                target=after.id,
                clinic=after.clinic,
                district=after.district,
                detail=detail,
            )

        if (before.role, before.unit) != (after.role, after.unit):
            role_change = {"from": before.role.value, "to": after.role.value, "unit": after.unit}
            await record(AuditAction.ROLE_CHANGED, dict(role_change))
        if before.active != after.active:
            active = after.active
            await record(AuditAction.USER_ACTIVATED if active else AuditAction.USER_DEACTIVATED, {})
        profile = [name for name in fields if name not in ("role", "unit", "active")]
        if profile:
            await record(AuditAction.USER_UPDATED, {"fields": ",".join(profile)})

    async def change_password(self, actor: Principal, current: str, new: str) -> None:
        """The signed-in user's own password; every session of theirs ends, this one too."""
        user = await self._users.by_id(actor.user_id)
        if user is None or not user.active:
            raise _not_found()
        if not await self._passwords.verify(user.password_hash, current):
            raise AccountError("current_password", "Kata sandi lama salah")
        if new == current:
            raise AccountError("new_password", "Kata sandi baru harus berbeda")
        problem = password_problem(new, user.username)
        if problem:
            raise AccountError("new_password", problem.reason)
        await self._set_password(user, new)
        if actor.token_id and actor.expires_at:
            await self._revocations.revoke(actor.token_id, actor.expires_at)
        await self._audit.record(AuditAction.PASSWORD_CHANGED, actor=actor, target=user.id)

    async def reset_password(self, username: str, password: str, actor: Actor) -> StaffUser:
        user = await self._users.by_username(username)
        if user is None or not in_scope(actor, user):
            raise _not_found("username")
        problem = password_problem(password, user.username)
        if problem:
            raise problem
        await self._set_password(user, password)
        await self._audit.record(
            AuditAction.PASSWORD_RESET,
            actor=actor or OPERATOR,
            target=user.id,
            clinic=user.clinic,
            district=user.district,
        )
        return user

    async def set_password_of(self, actor: Principal, user_id: str, password: str) -> StaffUser:
        """A head or admin gives another user in their scope a new password (forgotten or
        leaked): every session of that user ends. One's own password goes through
        ``change_password``, which asks for the current one."""
        user = await self.get(actor, user_id)
        if user.id == actor.user_id:
            raise AccountConflictError(
                "password", "Ubah kata sandi akun sendiri lewat menu ubah kata sandi"
            )
        problem = password_problem(password, user.username)
        if problem:
            raise problem
        await self._set_password(user, password)
        await self._audit.record(
            AuditAction.PASSWORD_RESET,
            actor=actor,
            target=user.id,
            clinic=user.clinic,
            district=user.district,
        )
        return user

    async def _set_password(self, user: StaffUser, password: str) -> None:
        password_hash = await self._passwords.hash(password)
        now = datetime.now(UTC)
        await self._users.update(
            user.id, {"password_hash": password_hash, "password_changed_at": now}
        )
        await self._revocations.revoke_user(user.id)
