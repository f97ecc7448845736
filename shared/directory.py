"""The register of districts, clinics and their units, read by every service.

Written by the operator (``sigap`` CLI); services only read it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from shared.storage import Database

if TYPE_CHECKING:
    from shared.auth import Principal

# Clinic codes are short and upper-case: they are read aloud inside tracking numbers.
CLINIC_CODE_PATTERN = r"^[A-Z][A-Z0-9]{1,7}$"
CODE_PATTERN = r"^[a-z0-9][a-z0-9_-]{1,39}$"
TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")  # WIB, WITA, WIT


class Unit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=120)


class District(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=120)
    timezone: str = Field(default="Asia/Jakarta", pattern="^Asia/(Jakarta|Makassar|Jayapura)$")


class Clinic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=CLINIC_CODE_PATTERN)
    name: str = Field(min_length=1, max_length=120)
    district: str = Field(pattern=CODE_PATTERN)
    timezone: str = Field(default="Asia/Jakarta", pattern="^Asia/(Jakarta|Makassar|Jayapura)$")
    units: tuple[Unit, ...] = ()
    whatsapp_phone_number_id: str | None = Field(default=None, max_length=40)
    sms_number: str | None = Field(default=None, max_length=20)

    def has_unit(self, code: str) -> bool:
        return any(unit.code == code for unit in self.units)


class Directory:
    def __init__(self, db: Database) -> None:
        self._districts = db["districts"]
        self._clinics = db["clinics"]

    async def save_district(self, district: District) -> None:
        doc = district.model_dump()
        await self._districts.replace_one({"_id": district.code}, doc, upsert=True)

    async def save_clinic(self, clinic: Clinic) -> None:
        if await self._districts.find_one({"_id": clinic.district}) is None:
            raise LookupError(f"district {clinic.district!r} does not exist")
        doc = clinic.model_dump(exclude_none=True)
        await self._clinics.replace_one({"_id": clinic.code}, doc, upsert=True)

    async def district(self, code: str) -> District | None:
        doc = await self._districts.find_one({"_id": code}, {"_id": 0})
        return District.model_validate(doc) if doc else None

    async def clinic(self, code: str) -> Clinic | None:
        doc = await self._clinics.find_one({"_id": code}, {"_id": 0})
        return Clinic.model_validate(doc) if doc else None

    async def visible_clinic(self, principal: Principal, code: str) -> Clinic | None:
        """The clinic when it exists for ``principal`` (their own clinic, or a clinic of their
        district), else None: another's clinic answers as if it did not exist."""
        if principal.clinic is not None and code != principal.clinic:
            return None
        clinic = await self.clinic(code)
        if clinic is None or not principal.sees_clinic(clinic.code, clinic.district):
            return None
        return clinic

    async def clinic_by_whatsapp_id(self, phone_number_id: str) -> Clinic | None:
        doc = await self._clinics.find_one(
            {"whatsapp_phone_number_id": phone_number_id}, {"_id": 0}
        )
        return Clinic.model_validate(doc) if doc else None

    async def clinic_by_sms_number(self, number: str) -> Clinic | None:
        doc = await self._clinics.find_one({"sms_number": number}, {"_id": 0})
        return Clinic.model_validate(doc) if doc else None

    async def clinics(self, district: str | None = None) -> list[Clinic]:
        query = {"district": district} if district else {}
        cursor = self._clinics.find(query, {"_id": 0}).sort("code", 1)
        return [Clinic.model_validate(doc) async for doc in cursor]


# How long a clinic read from the register is used before it is read again.
CLINIC_TTL_SECONDS = 30.0


class ClinicCache:
    """The clinics this process read from the register, each kept ``ttl`` seconds: every
    submission and every complaint event names its clinic, and the register changes a few
    times a year (a new unit or time zone shows within ``ttl``). A code the register does not
    know is not kept, so a new clinic is served at once."""

    def __init__(
        self,
        directory: Directory,
        ttl: float = CLINIC_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._directory = directory
        self._ttl = ttl
        self._clock = clock
        self._known: dict[str, tuple[Clinic, float]] = {}

    async def clinic(self, code: str) -> Clinic | None:
        now = self._clock()
        kept = self._known.get(code)
        if kept is not None and kept[1] > now:
            return kept[0]
        clinic = await self._directory.clinic(code)
        if clinic is not None:
            self._known[code] = (clinic, now + self._ttl)
        return clinic
