"""Staff entry routes under /api/v1/entry/ (the gateway sends /api/v1/staff/ to triage).

Every route needs a staff session allowed to record; a clinic other than the staff member's
answers 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from services.intake.edge import accepted, limited_route
from services.intake.entry_service import EntryService, NotVisibleError
from services.intake.public_api import REFUSALS
from services.intake.schemas import (
    BoxOpeningIn,
    BoxOpeningReceipt,
    PaperSurveysIn,
    PaperSurveysReceipt,
    Receipt,
    StaffComplaintIn,
)
from shared.auth import Action, Principal, require
from shared.http import correlation_id
from shared.logging import get_logger

log = get_logger(__name__)
T = TypeVar("T")
NOT_FOUND = "Puskesmas tidak ditemukan"


async def _visible(call: Awaitable[T]) -> T | JSONResponse:
    try:
        return await accepted(call)
    except NotVisibleError:
        return JSONResponse({"detail": NOT_FOUND}, status_code=404)


def router(entry: EntryService, max_body: int) -> APIRouter:
    api = APIRouter(
        prefix="/api/v1/entry", tags=["staff entry"], route_class=limited_route(max_body)
    )
    staff_refusals = {
        **REFUSALS,
        401: {"description": "Belum masuk"},
        404: {"description": NOT_FOUND},
    }

    @api.post("/complaints", status_code=202, response_model=Receipt, responses=staff_refusals)
    async def record_complaint(
        body: StaffComplaintIn,
        request: Request,
        principal: Principal = Depends(require(Action.COMPLAINT_RECORD)),
    ) -> Receipt | JSONResponse:
        result = await _visible(entry.record(principal, body, correlation_id(request)))
        if isinstance(result, Receipt):
            log.info(
                "complaint.accepted", tracking_number=result.tracking_number, channel=body.channel
            )
        return result

    @api.post(
        "/suggestion-box",
        status_code=202,
        response_model=BoxOpeningReceipt,
        responses=staff_refusals,
    )
    async def record_box_opening(
        body: BoxOpeningIn,
        request: Request,
        principal: Principal = Depends(require(Action.COMPLAINT_RECORD)),
    ) -> BoxOpeningReceipt | JSONResponse:
        result = await _visible(entry.open_box(principal, body, correlation_id(request)))
        if isinstance(result, BoxOpeningReceipt):
            log.info("suggestion_box.opened", batch_id=result.batch_id, slips=len(body.slips))
        return result

    @api.post(
        "/surveys", status_code=202, response_model=PaperSurveysReceipt, responses=staff_refusals
    )
    async def record_paper_surveys(
        body: PaperSurveysIn,
        request: Request,
        principal: Principal = Depends(require(Action.SURVEY_RECORD)),
    ) -> PaperSurveysReceipt | JSONResponse:
        result = await _visible(entry.record_surveys(principal, body, correlation_id(request)))
        if isinstance(result, PaperSurveysReceipt):
            log.info("surveys.recorded", batch_id=result.batch_id, forms=result.accepted)
        return result

    return api
