"""Each clinic's deadline calendar: its zone from the clinic register, and the deadline policy
and extra days off an operator set for its district and for the clinic itself.

Stored in triage's ``deadline_settings`` collection, one document per district
(``_id = "district:<code>"``) and per clinic (``"clinic:<code>"``):
``{"policy": {"triage_days": 2, ...}, "days_off": ["2026-03-20", ...]}``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

from services.triage.domain.deadlines import PolicyOverride, WorkingCalendar
from shared.directory import Directory
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
    def __init__(self, db: Database, directory: Directory) -> None:
        self._settings = db["deadline_settings"]
        self._directory = directory

    async def rules(self, clinic_code: str) -> ClinicRules:
        clinic = await self._directory.clinic(clinic_code)
        units = frozenset(unit.code for unit in clinic.units) if clinic else frozenset()
        return ClinicRules(await self.for_clinic(clinic_code), units)

    async def for_clinic(self, clinic_code: str) -> WorkingCalendar:
        clinic = await self._directory.clinic(clinic_code)
        district_doc = (
            await self._settings.find_one({"_id": f"district:{clinic.district}"})
            if clinic
            else None
        )
        clinic_doc = await self._settings.find_one({"_id": f"clinic:{clinic_code}"})
        return WorkingCalendar.for_clinic(
            clinic.timezone if clinic else DEFAULT_TIMEZONE,
            district_days_off=_days_off(district_doc),
            clinic_days_off=_days_off(clinic_doc),
            district_policy=_override(district_doc),
            clinic_policy=_override(clinic_doc),
        )

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

    async def get(self, scope: Scope, code: str) -> tuple[PolicyOverride, list[date]]:
        doc = await self._settings.find_one({"_id": f"{scope}:{code}"})
        return _override(doc) or PolicyOverride(), _days_off(doc)
