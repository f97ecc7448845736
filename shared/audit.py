"""The audit log: failed logins and every privileged action, readable by the head (own clinic)
and the admin (own district, and the refused sign-ins of unknown usernames).

An entry names who did what to which object; ``detail`` holds codes and staff-side facts only.
A complainant's name, phone, e-mail or text never goes in: the log outlives erasure requests.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.auth import Principal
from shared.storage import Database

DetailValue = str | int | bool | None
# Keys that would carry personal data of complainants; refused so that it cannot slip in.
PERSONAL_KEYS = frozenset(
    {"name", "phone", "email", "text", "address", "pin", "reporter", "contact"}
)
OPERATOR = "operator"  # the actor of commands run with the `sigap` CLI


class AuditAction(StrEnum):
    LOGIN_FAILED = "login.failed"
    LOGIN_THROTTLED = "login.throttled"
    LOGIN = "login.succeeded"
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password.changed"
    PASSWORD_RESET = "password.reset"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    ROLE_CHANGED = "user.role_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_ACTIVATED = "user.activated"
    IDENTITY_VIEWED = "complaint.identity_viewed"
    DISTRICT_SAVED = "district.saved"
    CLINIC_SAVED = "clinic.saved"


class AuditEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    at: datetime
    actor: str
    actor_role: str | None = None
    action: str
    target: str | None = None
    clinic: str | None = None
    district: str | None = None
    detail: dict[str, DetailValue] = {}


class AuditLog:
    """The ``audit_log`` collection of the directory database."""

    def __init__(self, db: Database) -> None:
        self._entries = db["audit_log"]

    async def record(
        self,
        action: AuditAction | str,
        *,
        actor: Principal | str,
        target: str | None = None,
        clinic: str | None = None,
        district: str | None = None,
        detail: Mapping[str, DetailValue] | None = None,
    ) -> AuditEntry:
        detail = dict(detail or {})
        personal = PERSONAL_KEYS.intersection(detail)
        if personal:
            raise ValueError(f"personal data does not belong in the audit log: {sorted(personal)}")
        if isinstance(actor, Principal):
            actor_id, actor_role = actor.user_id, actor.role.value
            clinic = clinic if clinic is not None else actor.clinic
            district = district if district is not None else actor.district
        else:
            actor_id, actor_role = actor, None
        doc: dict[str, Any] = {
            "_id": uuid.uuid4().hex,
            "at": datetime.now(UTC),
            "actor": actor_id,
            "actor_role": actor_role,
            "action": str(action),
            "target": target,
            "clinic": clinic,
            "district": district,
            "detail": detail,
        }
        await self._entries.insert_one(doc)
        return AuditEntry.model_validate({**doc, "id": doc["_id"]})

    async def entries(
        self,
        *,
        clinic: str | None = None,
        district: str | None = None,
        action: str | None = None,
        before: datetime | None = None,
        limit: int = 50,
    ) -> list[AuditEntry]:
        """Newest first, for one clinic or (with ``clinic`` None) one whole district. A district's
        reader also sees the entries that belong to no one: refused sign-ins with a username
        that does not exist, which is what guessing and credential stuffing look like."""
        if not clinic and not district:
            raise ValueError("audit entries are read for one clinic or one district")
        query: dict[str, Any] = (
            {"clinic": clinic}
            if clinic
            else {"$or": [{"district": district}, {"district": None, "clinic": None}]}
        )
        if action:
            query["action"] = action
        if before:
            query["at"] = {"$lt": before}
        cursor = self._entries.find(query).sort("at", -1).limit(limit)
        return [AuditEntry.model_validate({**doc, "id": doc["_id"]}) async for doc in cursor]
