"""Intake's public HTTP routes: the clinic list, the public complaint form and the survey.
Thin: they call a use case and map its refusals (services.intake.edge)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from services.intake.edge import RateLimits, accepted, limited_route
from services.intake.schemas import (
    ClinicOut,
    ComplaintIn,
    Receipt,
    SurveyIn,
    SurveyReceipt,
    UnitOut,
)
from services.intake.service import IntakeService
from services.intake.survey_service import SurveyService
from shared.events import Actor
from shared.http import correlation_id
from shared.logging import get_logger

log = get_logger(__name__)
PUBLIC = Actor(kind="public")
REFUSALS: dict[int | str, dict[str, str]] = {
    413: {"description": "Isi permintaan terlalu besar"},
    415: {"description": "Jenis isi bukan application/json"},
    422: {"description": "Data tidak valid (field dan alasannya disebutkan)"},
    429: {"description": "Terlalu banyak permintaan"},
    503: {"description": "Belum diterima, coba lagi"},
}


def router(
    intake: IntakeService, surveys: SurveyService, limits: RateLimits, max_body: int
) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["public"], route_class=limited_route(max_body))

    @api.get(
        "/clinics",
        response_model=list[ClinicOut],
        dependencies=[Depends(limits.dependency("read"))],
    )
    async def list_clinics() -> list[ClinicOut]:
        return [
            ClinicOut(
                code=clinic.code,
                name=clinic.name,
                district=clinic.district,
                units=[UnitOut(code=u.code, name=u.name) for u in clinic.units],
            )
            for clinic in await intake.clinics()
        ]

    @api.post(
        "/complaints",
        status_code=202,
        response_model=Receipt,
        responses=REFUSALS,
        dependencies=[Depends(limits.dependency("submit"))],
    )
    async def submit_complaint(body: ComplaintIn, request: Request) -> Receipt | JSONResponse:
        result = await accepted(
            intake.submit(body, channel="web", actor=PUBLIC, correlation_id=correlation_id(request))
        )
        if isinstance(result, Receipt):
            log.info("complaint.accepted", tracking_number=result.tracking_number, channel="web")
        return result

    @api.post(
        "/surveys",
        status_code=202,
        response_model=SurveyReceipt,
        responses=REFUSALS,
        dependencies=[Depends(limits.dependency("submit"))],
    )
    async def submit_survey(body: SurveyIn, request: Request) -> SurveyReceipt | JSONResponse:
        async def submit() -> SurveyReceipt:
            clinic = await intake.clinic(body.clinic)
            return await surveys.submit(
                clinic, body, paper="web", actor=PUBLIC, correlation_id=correlation_id(request)
            )

        result = await accepted(submit())
        if isinstance(result, SurveyReceipt):
            log.info("survey.accepted", survey_id=str(result.survey_id))
        return result

    return api
