"""The public portal (no login), reached from the QR code on each clinic's poster: report
feedback, track it, fill the satisfaction survey, print the poster.

Server-side pages (services.intake.web_views); every form works without scripts. A POST checks
its CSRF token before anything else, and a refused form comes back with what was typed and the
reason per field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import FormData

from services.intake.edge import RateLimits, limited_route
from services.intake.service import IntakeService, InvalidFieldError
from services.intake.survey_service import SurveyService
from services.intake.tracking_service import TooManyAttemptsError, TrackingService
from services.intake.web_forms import (
    COMPLAINT_FIELDS,
    REQUIRED,
    SURVEY_FIELDS,
    FormRefusedError,
    complaint_from_form,
    survey_from_form,
    typed_values,
)
from services.intake.web_views import (
    BUSY,
    NOT_MATCHING,
    OPTED_OUT,
    TOO_MANY,
    PortalViews,
)
from shared.directory import Clinic
from shared.events import Actor
from shared.http import correlation_id
from shared.logging import get_logger
from shared.messaging import PublishError
from shared.settings import Settings
from shared.web.csrf import CSRF_FIELD, csrf_valid
from shared.web.forms import FORM_EXPIRED
from shared.web.pages import SHARED, Pages

log = get_logger(__name__)
PUBLIC = Actor(kind="public")
TEMPLATES = Path(__file__).resolve().parent / "templates"


def pages() -> Pages:
    return Pages("intake", TEMPLATES)


def submitted_token(form: FormData) -> str | None:
    token = form.get(CSRF_FIELD)
    return token if isinstance(token, str) else None


def router(
    intake: IntakeService,
    surveys: SurveyService,
    tracking: TrackingService,
    pages: Pages,
    limits: RateLimits,
    settings: Settings,
) -> APIRouter:
    web = APIRouter(
        tags=["portal"],
        include_in_schema=False,
        route_class=limited_route(settings.intake_max_body_bytes),
    )
    # The shared stylesheet and scripts, at /intake/static/ through the gateway. Mounted here
    # because the service's application is built inside ServiceRuntime.asgi.
    web.mount("/static", StaticFiles(directory=str(SHARED / "static")), name="shared-static")
    views = PortalViews(pages)
    base_url = settings.public_base_url.rstrip("/")
    submit_limit = limits.dependency("submit")
    read_limit = limits.dependency("read")

    async def within(limit: Callable[[Request], Awaitable[None]], request: Request) -> bool:
        try:
            await limit(request)
        except HTTPException:
            return False
        return True

    async def find_clinic(code: str) -> Clinic | None:
        try:
            return await intake.clinic(code)
        except InvalidFieldError:
            return None

    @web.get("/", response_class=HTMLResponse)
    async def choose_clinic(request: Request) -> HTMLResponse:
        return views.portal(request, await intake.clinics())

    @web.get("/lapor")
    @web.get("/survei")
    async def without_clinic() -> RedirectResponse:
        return RedirectResponse("/", status_code=303)

    @web.get("/lapor/{code}", response_class=HTMLResponse)
    async def complaint_form(request: Request, code: str) -> HTMLResponse:
        clinic = await find_clinic(code)
        return views.complaint_form(request, clinic) if clinic else views.not_found(request)

    @web.post("/lapor/{code}", response_class=HTMLResponse)
    async def submit_complaint(request: Request, code: str) -> HTMLResponse:
        form = await request.form()
        forged = not csrf_valid(request, submitted_token(form))
        clinic = await find_clinic(code)
        if clinic is None:
            return views.not_found(request)
        values = typed_values(form, COMPLAINT_FIELDS)
        if forged:
            return views.complaint_form(request, clinic, values, None, FORM_EXPIRED, 403)
        if not await within(submit_limit, request):
            return views.complaint_form(request, clinic, values, None, TOO_MANY, 429)
        try:
            receipt = await intake.submit(
                complaint_from_form(clinic.code, form),
                channel="web",
                actor=PUBLIC,
                correlation_id=correlation_id(request),
            )
        except FormRefusedError as refused:
            return views.complaint_form(request, clinic, values, refused.errors, status_code=422)
        except InvalidFieldError as refused:
            errors = {refused.field: refused.reason}
            return views.complaint_form(request, clinic, values, errors, status_code=422)
        except PublishError:
            log.exception("intake.not_confirmed")
            return views.complaint_form(request, clinic, values, None, BUSY, 503)
        log.info("complaint.accepted", tracking_number=receipt.tracking_number, channel="web")
        return views.complaint_receipt(request, clinic, values["kind"], receipt)

    @web.get("/lacak", response_class=HTMLResponse)
    async def tracking_form(request: Request) -> HTMLResponse:
        return views.tracking_form(request, request.query_params.get("nomor", "")[:60])

    async def tracking_request(request: Request) -> tuple[str, str, HTMLResponse | None]:
        """The tracking number and PIN a form sent, and the answer refusing the form when it is
        forged or its client has guessed too often (else None)."""
        form = await request.form()
        forged = not csrf_valid(request, submitted_token(form))
        number = str(form.get("tracking_number") or "").strip()[:60]
        pin = str(form.get("pin") or "").strip()[:12]
        if forged:
            return number, pin, views.tracking_form(request, number, None, FORM_EXPIRED, 403)
        if not await within(read_limit, request) or not limits.may_guess(request):
            return number, pin, views.tracking_form(request, number, None, TOO_MANY, 429)
        return number, pin, None

    @web.post("/lacak", response_class=HTMLResponse)
    async def track(request: Request) -> HTMLResponse:
        number, pin, refused = await tracking_request(request)
        if refused is not None:
            return refused
        typed = (("tracking_number", number), ("pin", pin))
        errors = {name: REQUIRED for name, value in typed if not value}
        if errors:
            return views.tracking_form(request, number, errors, status_code=422)
        try:
            view = await tracking.view(number, pin)
        except TooManyAttemptsError:
            return views.tracking_form(request, number, None, TOO_MANY, 429)
        if view is None:
            # The same answer for a wrong PIN and an unknown number: it tells nothing.
            limits.count_wrong_guess(request)
            return views.tracking_form(request, number, None, NOT_MATCHING, 404)
        clinic = await find_clinic(view.tracking_number.split("-")[0])
        return views.tracking_status(request, view, clinic, pin)

    @web.post("/lacak/berhenti", response_class=HTMLResponse)
    async def stop_messages(request: Request) -> HTMLResponse:
        """Works for every complainant, whatever channel they are answered over (an e-mail
        cannot be answered with BERHENTI): asked again with tracking number and PIN."""
        number, pin, refused = await tracking_request(request)
        if refused is not None:
            return refused
        try:
            view = await tracking.opt_out(number, pin, correlation_id(request))
        except TooManyAttemptsError:
            return views.tracking_form(request, number, None, TOO_MANY, 429)
        except PublishError:
            log.exception("intake.not_confirmed")
            return views.tracking_form(request, number, None, BUSY, 503)
        if view is None:
            limits.count_wrong_guess(request)
            return views.tracking_form(request, number, None, NOT_MATCHING, 404)
        log.info("reporter.opted_out", channel="web")
        clinic = await find_clinic(view.tracking_number.split("-")[0])
        return views.tracking_status(request, view, clinic, notice=OPTED_OUT)

    @web.get("/survei/{code}", response_class=HTMLResponse)
    async def survey_form(request: Request, code: str) -> HTMLResponse:
        clinic = await find_clinic(code)
        return views.survey_form(request, clinic) if clinic else views.not_found(request)

    @web.post("/survei/{code}", response_class=HTMLResponse)
    async def submit_survey(request: Request, code: str) -> HTMLResponse:
        form = await request.form()
        forged = not csrf_valid(request, submitted_token(form))
        clinic = await find_clinic(code)
        if clinic is None:
            return views.not_found(request)
        values = typed_values(form, SURVEY_FIELDS)
        if forged:
            return views.survey_form(request, clinic, values, None, FORM_EXPIRED, 403)
        if not await within(submit_limit, request):
            return views.survey_form(request, clinic, values, None, TOO_MANY, 429)
        try:
            receipt = await surveys.submit(
                clinic,
                survey_from_form(form),
                paper="web",
                actor=PUBLIC,
                correlation_id=correlation_id(request),
            )
        except FormRefusedError as refused:
            return views.survey_form(request, clinic, values, refused.errors, status_code=422)
        except InvalidFieldError as refused:
            errors = {refused.field: refused.reason}
            return views.survey_form(request, clinic, values, errors, status_code=422)
        except PublishError:
            log.exception("intake.not_confirmed")
            return views.survey_form(request, clinic, values, None, BUSY, 503)
        log.info("survey.accepted", survey_id=str(receipt.survey_id), channel="web")
        return views.survey_receipt(request, clinic, receipt)

    @web.get("/poster/{code}", response_class=HTMLResponse)
    async def poster(request: Request, code: str) -> HTMLResponse:
        clinic = await find_clinic(code)
        return views.poster(request, clinic, base_url) if clinic else views.not_found(request)

    return web
