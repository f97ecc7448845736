"""The reports as staff pages under /dasbor/: the district overview, a clinic's drill-down and
its register (buku rekapan). Routes only decide who sees what and which period; the numbers
come from services.reporting.dashboard_data, the pages from templates/.

- /dasbor/ — district and admin users: the district's clinics side by side; clinic staff with
  the report permission are sent to their own clinic's page.
- /dasbor/puskesmas/{code} — one clinic; a clinic outside the principal's scope is a 404 page.
- /dasbor/register/{code}?month=YYYY-MM — the register of a month, with its exports.
Not signed in: the login page, coming back here afterwards.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from services.reporting import dashboard_visits
from services.reporting.dashboard_data import DashboardData
from services.reporting.dashboard_period import PeriodError, months_before, read_month, read_period
from services.reporting.dashboard_views import (
    DEFAULT_ZONE,
    DashboardViews,
    query_of,
    redirect,
    today_in,
    with_query,
)
from services.reporting.reports import ReportQueries
from services.reporting.store import ReportingStore
from shared.auth import Action, Principal
from shared.directory import Directory
from shared.web.pages import SHARED


def router(queries: ReportQueries, store: ReportingStore, directory: Directory) -> APIRouter:
    web = APIRouter(tags=["dashboard"], include_in_schema=False)
    # The shared stylesheet and Chart.js, at /reporting/static/ through the gateway.
    web.mount("/static", StaticFiles(directory=str(SHARED / "static")), name="shared-static")
    views = DashboardViews(queries)
    data = DashboardData(queries, store)

    @web.get("/dasbor")
    async def without_slash(request: Request) -> Response:
        return redirect(with_query("/dasbor/", query_of(request)))

    @web.get("/dasbor/")
    async def overview(request: Request) -> Response:
        principal = await views.signed_in(request, Action.REPORT_READ)
        if not isinstance(principal, Principal):
            return principal
        if principal.clinic is not None:
            return redirect(with_query(f"/dasbor/puskesmas/{principal.clinic}", query_of(request)))
        if not principal.may(Action.DISTRICT_READ):
            return views.refused(request, principal)
        district = await directory.district(principal.district)
        zone = district.timezone if district else DEFAULT_ZONE
        context: dict[str, Any] = {"district": district, "values": query_of(request)}
        try:
            period = read_period(query_of(request), today_in(zone))
        except PeriodError as exc:
            return views.render(
                request, principal, "dasbor_kabupaten.html", 422, error=exc, **context
            )
        report = await data.district(principal.district, period, views.translator(request))
        return views.render(
            request, principal, "dasbor_kabupaten.html", period=period, report=report, **context
        )

    @web.get("/dasbor/puskesmas/{code}")
    async def clinic_page(request: Request, code: str) -> Response:
        reader = await views.clinic_reader(request, code)
        if not isinstance(reader, tuple):
            return reader
        principal, clinic = reader
        context: dict[str, Any] = {"clinic": clinic, "values": query_of(request)}
        try:
            period = read_period(query_of(request), today_in(clinic.timezone))
        except PeriodError as exc:
            return views.render(
                request, principal, "dasbor_puskesmas.html", 422, error=exc, **context
            )
        report = await data.clinic(clinic, period, views.translator(request))
        return views.render(
            request, principal, "dasbor_puskesmas.html", period=period, report=report, **context
        )

    @web.get("/dasbor/register/{code}")
    async def register_page(request: Request, code: str) -> Response:
        reader = await views.clinic_reader(request, code)
        if not isinstance(reader, tuple):
            return reader
        principal, clinic = reader
        this_month = f"{today_in(clinic.timezone):%Y-%m}"
        context: dict[str, Any] = {"clinic": clinic, "values": query_of(request)}
        try:
            month = read_month(request.query_params.get("month"), "month", this_month)
        except PeriodError as exc:
            return views.render(
                request, principal, "dasbor_register.html", 422, error=exc, **context
            )
        return views.render(
            request,
            principal,
            "dasbor_register.html",
            month=month,
            previous=months_before(month, 1),
            following=months_before(month, -1) if month < this_month else None,
            register=await data.register(clinic, month),
            **context,
        )

    web.include_router(dashboard_visits.router(views, data, store, directory))
    return web
