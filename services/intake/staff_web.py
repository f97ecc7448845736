"""The staff entry pages under /konsol/catat/ (the gateway sends them to intake): a complaint
received in person, by phone, in the complaint book, on social media or email, or in a lokmin
session; a suggestion-box opening with all its slips; paper survey forms.

Each page calls the same use case as the staff entry API (services.intake.entry_service), so
every rule is the API's. A page needs a staff session of the member's own clinic (else the
login page); a role that may not record gets a 403 page. A POST checks its CSRF token first,
and a refused form comes back with what was typed and the reason per field (per row).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from services.intake.edge import limited_route
from services.intake.entry_service import EntryService
from services.intake.service import InProgressError, IntakeService, InvalidFieldError
from services.intake.staff_web_forms import (
    STAFF_COMPLAINT_FIELDS,
    flat_values,
    row_field,
    row_values,
    rows_in,
    staff_complaint_from_form,
)
from services.intake.staff_web_messages import MESSAGES
from services.intake.staff_web_views import BOX_PAGE, SURVEY_PAGE, BatchPage, StaffEntryViews
from services.intake.web_forms import FormRefusedError, typed_values
from services.intake.web_views import BUSY
from shared.auth import Action, Principal
from shared.directory import Clinic
from shared.http import correlation_id
from shared.logging import get_logger
from shared.messaging import PublishError
from shared.web.forms import FORM_EXPIRED
from shared.web.pages import Pages

log = get_logger(__name__)
T = TypeVar("T")
B = TypeVar("B")
R = TypeVar("R")
Errors = dict[str, str]
TEMPLATES = Path(__file__).resolve().parent / "staff_templates"
ADD_ROWS = "tambah"  # the "tambah baris" button's value: show more rows, store nothing


def pages() -> Pages:
    return Pages("intake", TEMPLATES, messages=MESSAGES)


@dataclass(frozen=True, slots=True)
class Refusal:
    status_code: int
    errors: dict[str, str] = field(default_factory=dict)
    alert: str | None = None


async def outcome(call: Awaitable[T], name: Callable[[str], str] = str) -> T | Refusal:
    """The use case's result, or why nothing was stored: a field (named as the page names it)
    or the broker not confirming."""
    try:
        return await call
    except InvalidFieldError as refused:
        return Refusal(422, {name(refused.field): refused.reason})
    except (PublishError, InProgressError):
        log.exception("intake.not_confirmed")
        return Refusal(503, alert=BUSY)


def router(entry: EntryService, intake: IntakeService, pages: Pages, max_body: int) -> APIRouter:
    web = APIRouter(
        prefix="/konsol/catat",
        tags=["staff pages"],
        include_in_schema=False,
        route_class=limited_route(max_body),
    )
    views = StaffEntryViews(pages)

    async def staff_of(request: Request, *actions: Action) -> tuple[Principal, Clinic] | Response:
        """The signed-in member and their clinic, or the page to answer instead."""
        principal = await views.signed_in(request, *actions)
        if not isinstance(principal, Principal):
            return principal
        clinic = await intake.directory.clinic(principal.clinic) if principal.clinic else None
        if clinic is None:
            return views.refused(request, principal)
        return principal, clinic

    async def batch_posted(
        request: Request,
        staff: tuple[Principal, Clinic],
        page: BatchPage[B],
        store: Callable[[Principal, B, str], Awaitable[R]],
    ) -> tuple[B, R] | Response:
        """A batch page's rows stored, or the page again: with more rows ("tambah baris"), or
        with what was typed and why nothing was stored."""
        form, genuine = await views.posted(request)
        rows = rows_in(form, page.initial_rows)
        typed = row_values(form, page.prefix, page.row_fields, rows)
        values = {**typed_values(form, page.fields), **flat_values(typed, page.prefix)}

        def again(
            errors: Errors | None = None, alert: str | None = None, code: int = 200
        ) -> Response:
            return views.batch_form(page, request, *staff, rows, values, errors, alert, code)

        if form.get("action") == ADD_ROWS:
            return again()
        if not genuine:
            return again(None, FORM_EXPIRED, 403)
        try:
            body, rows_of = page.parse(form, typed)
        except FormRefusedError as refused:
            return again(refused.errors, None, 422)
        result = await outcome(
            store(staff[0], body, correlation_id(request)),
            lambda name: row_field(name, rows_of),
        )
        if isinstance(result, Refusal):
            return again(result.errors, result.alert, result.status_code)
        return body, result

    @web.get("")
    async def without_slash() -> RedirectResponse:
        return RedirectResponse("/konsol/catat/", status_code=303)

    @web.get("/")
    async def menu(request: Request) -> Response:
        staff = await staff_of(request, Action.COMPLAINT_RECORD, Action.SURVEY_RECORD)
        return views.menu(request, *staff) if isinstance(staff, tuple) else staff

    @web.get("/aduan")
    async def complaint_form(request: Request) -> Response:
        staff = await staff_of(request, Action.COMPLAINT_RECORD)
        return views.complaint_form(request, *staff) if isinstance(staff, tuple) else staff

    @web.post("/aduan")
    async def record_complaint(request: Request) -> Response:
        staff = await staff_of(request, Action.COMPLAINT_RECORD)
        if not isinstance(staff, tuple):
            return staff
        principal, clinic = staff
        form, genuine = await views.posted(request)
        values = typed_values(form, STAFF_COMPLAINT_FIELDS)
        if not genuine:
            return views.complaint_form(request, *staff, values, None, FORM_EXPIRED, 403)
        try:
            body = staff_complaint_from_form(form)
        except FormRefusedError as refused:
            return views.complaint_form(request, *staff, values, refused.errors, None, 422)
        result = await outcome(entry.record(principal, body, correlation_id(request)))
        if isinstance(result, Refusal):
            return views.complaint_form(
                request, *staff, values, result.errors, result.alert, result.status_code
            )
        log.info("complaint.accepted", tracking_number=result.tracking_number, channel=body.channel)
        return views.complaint_receipt(request, principal, clinic, body, result)

    @web.get("/kotak-saran")
    async def box_form(request: Request) -> Response:
        staff = await staff_of(request, Action.COMPLAINT_RECORD)
        if not isinstance(staff, tuple):
            return staff
        return views.batch_form(BOX_PAGE, request, *staff, BOX_PAGE.initial_rows)

    @web.post("/kotak-saran")
    async def record_box_opening(request: Request) -> Response:
        staff = await staff_of(request, Action.COMPLAINT_RECORD)
        if not isinstance(staff, tuple):
            return staff
        stored = await batch_posted(request, staff, BOX_PAGE, entry.open_box)
        if isinstance(stored, Response):
            return stored
        body, result = stored
        log.info("suggestion_box.opened", batch_id=result.batch_id, slips=len(body.slips))
        return views.box_receipt(request, *staff, result, body.slips)

    @web.get("/survei")
    async def survey_form(request: Request) -> Response:
        staff = await staff_of(request, Action.SURVEY_RECORD)
        if not isinstance(staff, tuple):
            return staff
        return views.batch_form(SURVEY_PAGE, request, *staff, SURVEY_PAGE.initial_rows)

    @web.post("/survei")
    async def record_surveys(request: Request) -> Response:
        staff = await staff_of(request, Action.SURVEY_RECORD)
        if not isinstance(staff, tuple):
            return staff
        stored = await batch_posted(request, staff, SURVEY_PAGE, entry.record_surveys)
        if isinstance(stored, Response):
            return stored
        _body, result = stored
        log.info("surveys.recorded", batch_id=result.batch_id, forms=result.accepted)
        return views.survey_receipt(request, *staff, result)

    return web
