"""GET /api/v1/complaints/track/{tracking_number}?pin=…: the complainant's own view.

An unknown number and a wrong PIN answer the same 404, so the answer tells nothing about
which numbers exist; repeated wrong PINs are refused with 429, per number and per client.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from services.intake.edge import RateLimits, too_many
from services.intake.schemas import ComplaintView
from services.intake.tracking_service import TooManyAttemptsError, TrackingService

NOT_FOUND = "Nomor pelacakan atau PIN tidak cocok"
THROTTLED_SECONDS = 900


def router(tracking: TrackingService, limits: RateLimits) -> APIRouter:
    api = APIRouter(prefix="/api/v1/complaints", tags=["public"])

    @api.get(
        "/track/{tracking_number}",
        response_model=ComplaintView,
        responses={404: {"description": NOT_FOUND}, 429: {"description": "Terlalu banyak"}},
        dependencies=[Depends(limits.dependency("read"))],
    )
    async def track(
        request: Request,
        tracking_number: Annotated[str, Path(min_length=1, max_length=60)],
        pin: Annotated[str, Query(min_length=1, max_length=12)],
    ) -> ComplaintView | JSONResponse:
        if not limits.may_guess(request):
            raise too_many(THROTTLED_SECONDS)
        try:
            view = await tracking.view(tracking_number, pin)
        except TooManyAttemptsError:
            raise too_many(THROTTLED_SECONDS) from None
        if view is None:
            limits.count_wrong_guess(request)
            return JSONResponse({"detail": NOT_FOUND}, status_code=404)
        return view

    return api
