"""What the operator changes in the register — districts, clinics, units, staff accounts —
behind the ``sigap`` CLI and the demo seed, so that both go through the same checks and both
leave the same audit trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from shared.accounts import Accounts
from shared.audit import OPERATOR, AuditAction, AuditLog
from shared.directory import Clinic, Directory, District, Unit
from shared.sessions import RevocationStore
from shared.settings import Settings
from shared.storage import create_client, database, ensure_indexes
from shared.users import NewUser, Passwords, StaffUser, UserStore


@dataclass(frozen=True)
class Register:
    directory: Directory
    users: UserStore
    accounts: Accounts
    audit: AuditLog

    async def save_district(self, district: District) -> None:
        await self.directory.save_district(district)
        await self.audit.record(
            AuditAction.DISTRICT_SAVED, actor=OPERATOR, target=district.code, district=district.code
        )

    async def save_clinic(self, clinic: Clinic) -> None:
        """Create or replace a clinic; its district must exist (LookupError otherwise)."""
        await self.directory.save_clinic(clinic)
        await self.audit.record(
            AuditAction.CLINIC_SAVED,
            actor=OPERATOR,
            target=clinic.code,
            clinic=clinic.code,
            district=clinic.district,
            detail={"units": ",".join(unit.code for unit in clinic.units)},
        )

    async def add_unit(self, clinic_code: str, unit: Unit) -> Clinic:
        clinic = await self.directory.clinic(clinic_code)
        if clinic is None:
            raise LookupError(f"clinic {clinic_code!r} does not exist")
        if clinic.has_unit(unit.code):
            raise ValueError(f"unit {unit.code!r} already exists in {clinic_code}")
        updated = clinic.model_copy(update={"units": (*clinic.units, unit)})
        await self.save_clinic(updated)
        return updated

    async def create_user(self, new: NewUser) -> StaffUser:
        return await self.accounts.create(new, actor=None)

    async def reset_password(self, username: str, password: str) -> StaffUser:
        """Set a new password and end every session of the user."""
        return await self.accounts.reset_password(username, password, actor=None)


@asynccontextmanager
async def open_register(
    settings: Settings, passwords: Passwords | None = None
) -> AsyncIterator[Register]:
    client = create_client(settings)
    try:
        db = database(client, settings, "directory")
        await ensure_indexes(db, "directory")
        directory, users, audit = Directory(db), UserStore(db), AuditLog(db)
        accounts = Accounts(users, directory, passwords or Passwords(), RevocationStore(db), audit)
        yield Register(directory, users, accounts, audit)
    finally:
        await client.close()
