"""The form where the head, the district office or the operator enters a clinic's visits
(kunjungan) of a month: the base of "complaints per 1,000 visits" and of the survey's
required sample. Entering a month again replaces its number.

A refused form comes back with what was typed and the reason per field, and stores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.reporting.api import VisitsEntry
from services.reporting.dashboard_data import DashboardData
from services.reporting.dashboard_period import Period, months_before, this_month
from services.reporting.dashboard_views import DashboardViews, redirect, today_in, with_query
from services.reporting.reports import Scope
from services.reporting.store import ReportingStore
from shared.auth import Action, Principal
from shared.directory import Clinic, Directory
from shared.web.forms import CHECK_FIELDS, FORM_EXPIRED

PATH = "/dasbor/kunjungan"
SHOWN_MONTHS = 12
REASONS = {
    "clinic": "Pilih puskesmas",
    "month": "Isi bulan dengan format TTTT-BB, misalnya 2026-10",
    "visits": "Isi jumlah kunjungan: bilangan bulat 0 sampai 10.000.000",
}
NO_CLINIC = "Puskesmas tidak ditemukan"
FIELD_LABELS = {"clinic": "Puskesmas", "month": "Bulan", "visits": "Jumlah kunjungan"}


def entry_from(form: Mapping[str, str]) -> VisitsEntry | dict[str, str]:
    """The entry, or the reason per refused field."""
    values = {"clinic": form.get("clinic", ""), "month": form.get("month", "")}
    raw = form.get("visits", "").strip().replace(".", "")  # "1.500" is how it is written
    try:
        return VisitsEntry.model_validate({**values, "visits": raw or None})
    except ValidationError as exc:
        fields = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        return {field: REASONS[field] for field in REASONS if field in fields}


def router(
    views: DashboardViews, data: DashboardData, store: ReportingStore, directory: Directory
) -> APIRouter:
    web = APIRouter(tags=["dashboard"], include_in_schema=False)

    async def clinics_of(principal: Principal) -> list[Clinic]:
        if principal.clinic is not None:
            own = await directory.clinic(principal.clinic)
            return [own] if own else []
        return await directory.clinics(principal.district)

    async def form_page(
        request: Request,
        principal: Principal,
        values: Mapping[str, str],
        errors: Mapping[str, str] | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> Response:
        clinics = await clinics_of(principal)
        zone = clinics[0].timezone if clinics else "Asia/Jakarta"
        last = this_month(today_in(zone))
        period = Period(months_before(last, SHOWN_MONTHS - 1), last)
        scope = Scope(principal.district, principal.clinic)
        return views.render(
            request,
            principal,
            "dasbor_kunjungan.html",
            status_code,
            clinics=clinics,
            months=list(reversed(period.months)),
            entered=await data.visits(scope, period),
            values={"month": months_before(last, 1), **values},
            errors=errors or {},
            field_labels=FIELD_LABELS,
            alert=alert,
            saved=request.query_params.get("tersimpan") == "1",
        )

    @web.get(PATH)
    async def visits_form(request: Request) -> Response:
        principal = await views.signed_in(request, Action.VISITS_RECORD)
        if not isinstance(principal, Principal):
            return principal
        return await form_page(request, principal, dict(request.query_params))

    @web.post(PATH)
    async def record_visits(request: Request) -> Response:
        principal = await views.signed_in(request, Action.VISITS_RECORD)
        if not isinstance(principal, Principal):
            return principal
        posted, genuine = await views.posted(request)
        form = {k: v for k, v in posted.items() if isinstance(v, str)}
        values = {key: form.get(key, "") for key in ("clinic", "month", "visits")}
        if not genuine:
            return await form_page(request, principal, values, None, FORM_EXPIRED, 403)
        entry = entry_from(form)
        if isinstance(entry, dict):
            return await form_page(request, principal, values, entry, CHECK_FIELDS, 422)
        clinic = await views.clinic(principal, entry.clinic)
        if clinic is None:
            refused = {"clinic": NO_CLINIC}
            return await form_page(request, principal, values, refused, CHECK_FIELDS, 422)
        await store.set_visits(clinic.district, clinic.code, entry.month, entry.visits)
        saved = {"clinic": clinic.code, "month": entry.month, "tersimpan": "1"}
        return redirect(with_query(PATH, saved))

    return web
