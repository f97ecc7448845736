"""Intake's public HTTP routes: thin, they call the service and map errors."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.intake.schemas import ClinicOut, ComplaintIn, Receipt, UnitOut
from services.intake.service import IntakeService, InvalidFieldError
from shared.events import Actor
from shared.http import correlation_id, field_error
from shared.logging import get_logger
from shared.messaging import PublishError

log = get_logger(__name__)


def router(service: IntakeService) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["public"])

    @api.get("/clinics", response_model=list[ClinicOut])
    async def list_clinics() -> list[ClinicOut]:
        return [
            ClinicOut(
                code=clinic.code,
                name=clinic.name,
                district=clinic.district,
                units=[UnitOut(code=u.code, name=u.name) for u in clinic.units],
            )
            for clinic in await service.clinics()
        ]

    @api.post(
        "/complaints",
        status_code=202,
        response_model=Receipt,
        responses={422: {"description": "Data tidak valid"}, 503: {"description": "Coba lagi"}},
    )
    async def submit_complaint(body: ComplaintIn, request: Request) -> Receipt | JSONResponse:
        try:
            receipt = await service.submit(
                body,
                channel="web",
                actor=Actor(kind="public"),
                correlation_id=correlation_id(request),
            )
        except InvalidFieldError as exc:
            return field_error(422, exc.field, exc.reason)
        except PublishError:
            log.exception("complaint.not_accepted")
            return JSONResponse(
                {"detail": "Layanan sedang sibuk, aduan belum diterima. Silakan coba lagi."},
                status_code=503,
                headers={"Retry-After": "5"},
            )
        log.info("complaint.accepted", tracking_number=receipt.tracking_number)
        return receipt

    return api
