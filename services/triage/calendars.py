"""Each clinic's deadline calendar: its zone from the clinic register, and the deadline policy
and extra days off an operator set for its district and for the clinic itself.

Stored in triage's ``deadline_settings`` collection, one document per district
(``_id = "district:<code>"``) and per clinic (``"clinic:<code>"``):
``{"policy": {"triage_days": 2, ...}, "days_off": ["2026-03-20", ...]}``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

from services.triage.domain.deadlines import PolicyOverride, WorkingCalendar
from shared.directory import CLINIC_TTL_SECONDS, ClinicCache, Directory
from shared.storage import Database

Scope = Literal["district", "clinic"]
DEFAULT_TIMEZONE = "Asia/Jakarta"


def _override(doc: dict[str, Any] | None) -> PolicyOverride | None:
    return PolicyOverride(**doc.get("policy", {})) if doc else None


def _days_off(doc: dict[str, Any] | None) -> list[date]:
    return [date.fromisoformat(day) for day in doc.get("days_off", [])] if doc else []


@dataclass(frozen=True)
class ClinicRules:
    """What a command needs to know of the complaint's clinic."""

    calendar: WorkingCalendar
    units: frozenset[str]


class CalendarBook:
    """Each clinic's rules and working calendar. Every complaint event asks for them, and
    settings change a few times a year, so this process keeps what it read for ``ttl`` seconds
    (as the clinic register is kept): a change made through this process applies at once, one
    made through another replica within ``ttl``."""

    def __init__(
        self,
        db: Database,
        directory: Directory,
        ttl: float = CLINIC_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = db["deadline_settings"]
        self._clinics = ClinicCache(directory, ttl, clock)
        self._ttl = ttl
        self._clock = clock
        self._kept: dict[str, tuple[dict[str, Any] | None, float]] = {}

    async def rules(self, clinic_code: str) -> ClinicRules:
        clinic = await self._clinics.clinic(clinic_code)
        units = frozenset(unit.code for unit in clinic.units) if clinic else frozenset()
        return ClinicRules(await self.for_clinic(clinic_code), units)

    async def for_clinic(self, clinic_code: str) -> WorkingCalendar:
        clinic = await self._clinics.clinic(clinic_code)
        district_doc = await self._setting(f"district:{clinic.district}") if clinic else None
        clinic_doc = await self._setting(f"clinic:{clinic_code}")
        return WorkingCalendar.for_clinic(
            clinic.timezone if clinic else DEFAULT_TIMEZONE,
            district_days_off=_days_off(district_doc),
            clinic_days_off=_days_off(clinic_doc),
            district_policy=_override(district_doc),
            clinic_policy=_override(clinic_doc),
        )

    async def _setting(self, key: str) -> dict[str, Any] | None:
        now = self._clock()
        kept = self._kept.get(key)
        if kept is not None and kept[1] > now:
            return kept[0]
        doc = await self._settings.find_one({"_id": key})
        self._kept[key] = (doc, now + self._ttl)
        return doc

    async def set(
        self, scope: Scope, code: str, policy: PolicyOverride, days_off: list[date]
    ) -> None:
        """Replace the policy and days off of one district or clinic."""
        await self._settings.replace_one(
            {"_id": f"{scope}:{code}"},
            {
                "policy": {k: v for k, v in asdict(policy).items() if v is not None},
                "days_off": sorted(day.isoformat() for day in set(days_off)),
            },
            upsert=True,
        )
        self._kept.pop(f"{scope}:{code}", None)

    async def get(self, scope: Scope, code: str) -> tuple[PolicyOverride, list[date]]:
        doc = await self._settings.find_one({"_id": f"{scope}:{code}"})
        return _override(doc) or PolicyOverride(), _days_off(doc)
