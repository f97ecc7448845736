"""What the staff entry pages show: one method per page, given what the route decided (see
services.intake.staff_web). Every page is the staff layout with the signed-in member's menu."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from services.intake.schemas import (
    BoxOpeningIn,
    BoxOpeningReceipt,
    PaperSurveysIn,
    PaperSurveysReceipt,
    Receipt,
    SlipIn,
    StaffComplaintIn,
)
from services.intake.staff_web_forms import (
    BOX_FIELDS,
    CHANNELS,
    PAPER_FIELDS,
    PAPER_ROWS,
    PLATFORMS,
    SLIP_FIELDS,
    SLIP_ROWS,
    STAFF_LABELS,
    box_opening_from_form,
    paper_surveys_from_form,
    row_labels,
)
from services.intake.web_forms import KINDS, SURVEY_FIELDS
from services.intake.web_views import SURVEY_CHOICES, clinic_today, kind_label
from shared.auth import Action, Principal
from shared.directory import Clinic
from shared.web.forms import form_state
from shared.web.pages import Pages
from shared.web.staff import StaffPages

REFUSAL = ("Akses ditolak", "Peran Anda tidak dapat mencatat aduan atau survei di halaman ini.")
Errors = dict[str, str]
B = TypeVar("B")


def channel_label(channel: str) -> str:
    return next((label for code, label in CHANNELS if code == channel), channel)


def new_batch_id() -> str:
    """The batch a page's rows are stored as: sending the same page twice (a double click,
    a retry after "sibuk") stores each row once."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class BatchPage(Generic[B]):
    """A page of numbered rows (suggestion slips, paper survey forms) stored as one batch."""

    template: str
    prefix: str  # a row's fields are "<prefix>-<row>-<field>"
    initial_rows: int  # shown at first, and added by each "tambah baris"
    fields: tuple[str, ...]  # the page's own fields
    row_fields: tuple[str, ...]
    parse: Callable[[FormData, list[dict[str, str]]], tuple[B, list[int]]]
    defaults: Callable[[Clinic], dict[str, str]]  # a new page's values
    choices: Mapping[str, Any]  # what the rows' selects offer


BOX_PAGE: BatchPage[BoxOpeningIn] = BatchPage(
    "konsol_kotak_saran.html",
    "slip",
    SLIP_ROWS,
    BOX_FIELDS,
    SLIP_FIELDS,
    box_opening_from_form,
    lambda clinic: {"opened_on": clinic_today(clinic)},
    {"kinds": KINDS},
)
SURVEY_PAGE: BatchPage[PaperSurveysIn] = BatchPage(
    "konsol_survei.html",
    "form",
    PAPER_ROWS,
    PAPER_FIELDS,
    SURVEY_FIELDS,
    paper_surveys_from_form,
    lambda _clinic: {},
    SURVEY_CHOICES,
)


class StaffEntryViews(StaffPages):
    def __init__(self, pages: Pages) -> None:
        super().__init__(pages, "_konsol.html", refusal=REFUSAL)

    def _form(
        self,
        request: Request,
        principal: Principal,
        clinic: Clinic,
        template: str,
        values: dict[str, str],
        errors: Errors | None,
        alert: str | None,
        status_code: int,
        **context: Any,
    ) -> HTMLResponse:
        """An entry form: what was typed (or the defaults), and why it was refused."""
        return self.render(
            request,
            principal,
            template,
            status_code,
            clinic=clinic,
            today=clinic_today(clinic),
            values=values,
            **form_state(errors, alert),
            **context,
        )

    def menu(self, request: Request, principal: Principal, clinic: Clinic) -> HTMLResponse:
        return self.render(
            request,
            principal,
            "konsol_catat.html",
            clinic=clinic,
            records_complaints=principal.may(Action.COMPLAINT_RECORD),
            records_surveys=principal.may(Action.SURVEY_RECORD),
        )

    def complaint_form(
        self,
        request: Request,
        principal: Principal,
        clinic: Clinic,
        values: dict[str, str] | None = None,
        errors: Errors | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        return self._form(
            request,
            principal,
            clinic,
            "konsol_aduan.html",
            values or {"reported_on": clinic_today(clinic)},
            errors,
            alert,
            status_code,
            channels=CHANNELS,
            platforms=PLATFORMS,
            kinds=KINDS,
            labels=STAFF_LABELS,
        )

    def complaint_receipt(
        self,
        request: Request,
        principal: Principal,
        clinic: Clinic,
        body: StaffComplaintIn,
        receipt: Receipt,
    ) -> HTMLResponse:
        return self.render(
            request,
            principal,
            "konsol_aduan_diterima.html",
            clinic=clinic,
            receipt=receipt,
            kind=kind_label(body.kind),
            channel=channel_label(body.channel),
        )

    def box_receipt(
        self,
        request: Request,
        principal: Principal,
        clinic: Clinic,
        receipt: BoxOpeningReceipt,
        slips: list[SlipIn],
    ) -> HTMLResponse:
        units = {unit.code: unit.name for unit in clinic.units}
        recorded = [
            (kind_label(slip.kind), units.get(slip.unit or "", ""), slip.text, number)
            for slip, number in zip(slips, receipt.tracking_numbers, strict=True)
        ]
        return self.render(
            request,
            principal,
            "konsol_kotak_saran_diterima.html",
            clinic=clinic,
            receipt=receipt,
            recorded=recorded,
        )

    def batch_form(
        self,
        page: BatchPage[Any],
        request: Request,
        principal: Principal,
        clinic: Clinic,
        rows: int,
        values: dict[str, str] | None = None,
        errors: Errors | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        """A batch page with ``rows`` rows; a new one gets a new batch id."""
        return self._form(
            request,
            principal,
            clinic,
            page.template,
            values or {**page.defaults(clinic), "batch_id": new_batch_id()},
            errors,
            alert,
            status_code,
            **page.choices,
            rows=rows,
            labels={**STAFF_LABELS, **row_labels(page.prefix, rows, page.row_fields)},
        )

    def survey_receipt(
        self, request: Request, principal: Principal, clinic: Clinic, receipt: PaperSurveysReceipt
    ) -> HTMLResponse:
        return self.render(
            request, principal, "konsol_survei_diterima.html", clinic=clinic, receipt=receipt
        )
