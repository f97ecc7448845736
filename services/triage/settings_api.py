"""Staff HTTP API around triage's configuration and quality: each district's and clinic's
deadline policy and days off (operator), and how often people kept the automatic triage."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.triage.calendars import CalendarBook, Scope
from services.triage.domain.accuracy import accuracy
from services.triage.domain.deadlines import DeadlinePolicy, PolicyOverride
from services.triage.domain.errors import InvalidCommand
from services.triage.store import ComplaintStore
from shared.auth import Action, Principal, require
from shared.directory import Directory
from shared.http import field_error

NOT_FOUND = "Wilayah atau puskesmas tidak ditemukan"


class PolicyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    triage_days: int | None = Field(default=None, ge=1, le=60)
    response_days: int | None = Field(default=None, ge=1, le=60)
    urgent_response_days: int | None = Field(default=None, ge=0, le=60)
    auto_close_days: int | None = Field(default=None, ge=1, le=60)


class DeadlineSettingsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policy: PolicyBody = PolicyBody()
    days_off: list[date] = Field(default_factory=list, max_length=366)


def build_router(store: ComplaintStore, calendars: CalendarBook, directory: Directory) -> APIRouter:
    router = APIRouter(prefix="/api/v1/staff", tags=["staff settings"])

    async def in_district(principal: Principal, scope: Scope, code: str) -> bool:
        if scope == "district":
            return code == principal.district
        return await directory.visible_clinic(principal, code) is not None

    def answer(policy: PolicyOverride, days_off: list[date]) -> dict[str, Any]:
        return {
            "policy": {k: v for k, v in asdict(policy).items() if v is not None},
            "days_off": sorted(day.isoformat() for day in days_off),
        }

    @router.get("/deadline-settings/{scope}/{code}", response_model=None)
    async def read_settings(
        scope: Literal["district", "clinic"],
        code: str,
        principal: Annotated[Principal, Depends(require(Action.SETTINGS_MANAGE))],
    ) -> dict[str, Any] | JSONResponse:
        if not await in_district(principal, scope, code):
            return field_error(404, "code", NOT_FOUND)
        return answer(*await calendars.get(scope, code))

    @router.put("/deadline-settings/{scope}/{code}", response_model=None)
    async def write_settings(
        scope: Literal["district", "clinic"],
        code: str,
        body: DeadlineSettingsBody,
        principal: Annotated[Principal, Depends(require(Action.SETTINGS_MANAGE))],
    ) -> dict[str, Any] | JSONResponse:
        if not await in_district(principal, scope, code):
            return field_error(404, "code", NOT_FOUND)
        override = PolicyOverride(**body.policy.model_dump())
        try:
            DeadlinePolicy().overridden(override)
        except InvalidCommand as exc:
            return field_error(422, f"policy.{exc.field}", exc.message)
        await calendars.set(scope, code, override, body.days_off)
        return answer(override, body.days_off)

    @router.get("/triage/accuracy", response_model=None)
    async def triage_accuracy(
        principal: Annotated[Principal, Depends(require(Action.REPORT_READ))],
        clinic: Annotated[str | None, Query(max_length=40)] = None,
    ) -> dict[str, Any] | JSONResponse:
        """Share of automatic suggestions people kept, per field, over every confirmation."""
        if clinic and await directory.visible_clinic(principal, clinic) is None:
            return field_error(404, "clinic", NOT_FOUND)
        measured = accuracy(await store.reviews(principal.district, principal.clinic or clinic))
        return {"reviewed": measured.reviewed, "kept": measured.kept}

    return router
